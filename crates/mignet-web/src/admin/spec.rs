//! The fields of each kind of item, in the order the form shows them, and how each is typed and read.

use mignet_core::edit::Kind;
use mignet_core::model::{GroupStatus, IndicatorKind, OrgKind, SectionKind, Wording};
use mignet_core::vocab::Vocabulary;

/// How a field is typed and read back.
#[derive(Debug, Clone, Copy)]
pub(super) enum Widget {
    /// One line of text; `optional` turns an empty answer into no value.
    Text {
        optional: bool,
    },
    Area {
        optional: bool,
    },
    /// A code the item is known by; fixed once created.
    Code,
    Choice(&'static [(&'static str, &'static str)]),
    Flag,
    /// A number; `optional` turns an empty answer into no value.
    Number {
        optional: bool,
        whole: bool,
    },
    /// A reference to one item of a list (`optional`: or none), or to several.
    Ref {
        to: RefTo,
        optional: bool,
    },
    Refs(RefTo),
    /// One value per line.
    Lines {
        numbers: bool,
    },
    /// `key: label` or `period: value` per line.
    Pairs {
        first: &'static str,
        second: &'static str,
        number: bool,
        /// A yes/no field a line may end with, by its name (`2025: 20000 cumulative`).
        flag: Option<&'static str>,
    },
}

#[derive(Debug, Clone, Copy)]
pub(super) enum RefTo {
    Organisation,
    Priority,
    Outcome,
    Place,
}

pub(super) struct Field {
    pub name: &'static str,
    pub label: &'static str,
    pub widget: Widget,
    pub help: &'static str,
}

const fn f(name: &'static str, label: &'static str, widget: Widget, help: &'static str) -> Field {
    Field {
        name,
        label,
        widget,
        help,
    }
}

const TEXT: Widget = Widget::Text { optional: false };
const TEXT_OPT: Widget = Widget::Text { optional: true };
const AREA: Widget = Widget::Area { optional: false };
const AREA_OPT: Widget = Widget::Area { optional: true };
const ORG_KINDS: &[(&str, &str)] = <OrgKind as Vocabulary>::CHOICES;
const INDICATOR_KINDS: &[(&str, &str)] = <IndicatorKind as Vocabulary>::CHOICES;
const WORDINGS: &[(&str, &str)] = <Wording as Vocabulary>::CHOICES;
const GROUP_STATUSES: &[(&str, &str)] = <GroupStatus as Vocabulary>::CHOICES;
const SECTION_KINDS: &[(&str, &str)] = <SectionKind as Vocabulary>::CHOICES;
const MARKUP_HELP: &str = "Markup: **bold**, [label](https://…), {ID} quotes a stored number, {pledge:ID} a pledge, [^ID] a footnote.";

/// The fields of each kind, in the order the form shows them.
pub(super) fn spec(kind: Kind) -> Vec<Field> {
    use Widget::*;
    match kind {
        Kind::Priority => vec![
            f("code", "Code", Code, "Such as P1; permanent once created."),
            f("title", "Title", TEXT, ""),
            f("summary", "Summary", AREA_OPT, ""),
        ],
        Kind::Outcome => vec![
            f(
                "code",
                "Code",
                Code,
                "Such as P1.O1; permanent once created.",
            ),
            f(
                "priority",
                "Priority",
                Ref {
                    to: RefTo::Priority,
                    optional: false,
                },
                "",
            ),
            f("statement", "Statement", AREA, ""),
        ],
        Kind::Indicator => vec![
            f(
                "code",
                "Code",
                Code,
                "Such as P1.O1.I01; permanent once created.",
            ),
            f(
                "outcome",
                "Outcome",
                Ref {
                    to: RefTo::Outcome,
                    optional: false,
                },
                "",
            ),
            f("statement", "Statement", AREA, ""),
            f(
                "unit",
                "Unit",
                TEXT,
                "What is counted: migrants, people, workers…",
            ),
            f("kind", "Kind", Choice(INDICATOR_KINDS), ""),
            f(
                "disaggregations",
                "Disaggregations",
                Pairs {
                    first: "key",
                    second: "label",
                    number: false,
                    flag: None,
                },
                "One per line, as key: label (children: children).",
            ),
            f(
                "places",
                "Places",
                Refs(RefTo::Place),
                "Where the indicator is delivered, if it is bound to places.",
            ),
            f(
                "gcm",
                "Global Compact objectives",
                Lines { numbers: true },
                "Numbers from 1 to 23, one per line.",
            ),
            f(
                "sdg",
                "SDG targets",
                Lines { numbers: false },
                "Such as 10.7, one per line.",
            ),
            f(
                "figure_source_required",
                "Every figure must carry an evidence link",
                Flag,
                "",
            ),
            f(
                "sensitive",
                "Sensitive: small counts could identify people",
                Flag,
                "Below the threshold, the public sees \"fewer than N\" instead of the count.",
            ),
            f(
                "threshold",
                "Small-count threshold",
                Number {
                    optional: true,
                    whole: true,
                },
                "Empty: the network's threshold (10 unless set).",
            ),
            f(
                "baseline.value",
                "Baseline value",
                Number {
                    optional: true,
                    whole: false,
                },
                "",
            ),
            f(
                "baseline.year",
                "Baseline year",
                Number {
                    optional: true,
                    whole: true,
                },
                "",
            ),
            f("baseline.note", "Baseline note", TEXT_OPT, ""),
            f(
                "targets",
                "Targets",
                Pairs {
                    first: "period",
                    second: "value",
                    number: true,
                    flag: Some("cumulative"),
                },
                "One per line, as period: value (2023: 5000); a cumulative target ends with the word cumulative (2025: 20000 cumulative).",
            ),
        ],
        Kind::Organisation => vec![
            f("code", "Code", Code, "Such as IOM; permanent once created."),
            f("short_name", "Short name", TEXT, "As reports print it."),
            f("name", "Full name", TEXT, ""),
            f("kind", "Kind", Choice(ORG_KINDS), ""),
            f(
                "member",
                "Member of the network (members report figures)",
                Flag,
                "",
            ),
            f(
                "parent",
                "Part of",
                Ref {
                    to: RefTo::Organisation,
                    optional: true,
                },
                "",
            ),
        ],
        Kind::Pledge => vec![
            f("id", "Identifier", Code, "Permanent once created."),
            f("forum", "Forum", TEXT, "Where the pledge was made."),
            f(
                "made_by",
                "Made by",
                Ref {
                    to: RefTo::Organisation,
                    optional: true,
                },
                "",
            ),
            f("text", "Text", AREA, ""),
            f(
                "wording",
                "Wording",
                Choice(WORDINGS),
                "Verbatim only when quoted from the source.",
            ),
            f("priorities", "Priorities", Refs(RefTo::Priority), ""),
            f("source", "Source", TEXT_OPT, ""),
        ],
        Kind::WorkingGroup => vec![
            f("code", "Code", Code, "Permanent once created."),
            f("name", "Name", TEXT, ""),
            f("established", "Established", TEXT_OPT, "A year or a date."),
            f("status", "Status", Choice(GROUP_STATUSES), ""),
            f("renamed_to", "Renamed to", TEXT_OPT, ""),
            f("renamed_in", "Renamed in", TEXT_OPT, ""),
            f("co_chairs", "Co-chairs", Refs(RefTo::Organisation), ""),
            f("secretariat", "Secretariat", Refs(RefTo::Organisation), ""),
            f("members", "Members", Refs(RefTo::Organisation), ""),
            f("members_note", "Note on members", AREA_OPT, ""),
            f("description", "Description", AREA, ""),
        ],
        Kind::Section => vec![
            f("kind", "Kind", Choice(SECTION_KINDS), ""),
            f(
                "priority",
                "Priority",
                Ref {
                    to: RefTo::Priority,
                    optional: true,
                },
                "For a lead or ways forward under one priority.",
            ),
            f(
                "outcome",
                "Outcome",
                Ref {
                    to: RefTo::Outcome,
                    optional: true,
                },
                "",
            ),
            f("text", "Text", AREA, MARKUP_HELP),
        ],
        Kind::Footnote => vec![
            f(
                "id",
                "Identifier",
                Code,
                "Referred to as [^ID] in the text.",
            ),
            f(
                "marker",
                "Marker",
                TEXT_OPT,
                "A fixed marker such as *; without one, footnotes are numbered.",
            ),
            f("text", "Text", AREA, MARKUP_HELP),
        ],
    }
}
