//! The report model: the brief's content in reading order, with narrative already rendered for one
//! format. Templates only lay it out.

use crate::text::{PrintedNote, Renderer};
use crate::{Format, ReportError};
use mignet_core::model::*;
use mignet_core::numbers;
use mignet_core::{FrameworkCode, ItemId, OrgCode};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

use crate::words::{self, text, text_with};

#[derive(Debug, Serialize)]
pub struct ReportModel {
    /// The language of the brief's own words (`en`, `th`); the dataset's texts stay in its language.
    pub lang: String,
    /// The brief's fixed words in `lang`, by name (`ways_forward`, `notes`...), for the templates.
    pub words: BTreeMap<&'static str, String>,
    /// The brief's title and the network's name as plain text, for a document's title (which
    /// templates escape themselves).
    pub head_title: String,
    pub network_name: String,
    pub network_short_name: String,
    pub tagline: Option<String>,
    pub period_code: String,
    pub title: String,
    pub introduction: Option<String>,
    /// Network-wide context and lead-in, printed after the introduction.
    pub context: Vec<String>,
    pub glance: Glance,
    pub priorities: Vec<PriorityBlock>,
    /// Network-wide ways forward, printed after the priorities.
    pub ways_forward: Vec<String>,
    pub groups: Vec<GroupBlock>,
    pub closing: Vec<String>,
    pub computed: Vec<ComputedNote>,
    /// How the joint figures of the brief's lines were counted, where that is not a plain joint
    /// report: printed with the notes, not under each line.
    pub joint_notes: Vec<JointNote>,
    pub notes: Vec<PrintedNote>,
    pub members: Vec<String>,
    /// The chart of the largest counts of people reached (SVG), for the HTML brief's first page.
    pub chart: Option<String>,
    /// Which page of a brief served in pages ([`crate::render_html_page`]); absent for the whole brief.
    pub page: Option<PageOf>,
}

/// A page of a long brief: its number and how many there are, from 1.
#[derive(Debug, Clone, Serialize)]
pub struct PageOf {
    pub page: usize,
    pub pages: usize,
    /// `Page 2 of 3.` in the brief's language.
    pub words: String,
}

/// Counts the brief can state about itself, computed from the figures it prints, each with the
/// words that follow it in the brief's language and in the right number ("1 organisation reporting",
/// "2 organisations reporting").
#[derive(Debug, Serialize)]
pub struct Glance {
    pub results: usize,
    pub joint_results: usize,
    pub organisations: usize,
    pub priorities: usize,
    pub outcomes: usize,
    pub results_label: String,
    pub joint_results_label: String,
    pub organisations_label: String,
    /// `outcomes under 3 priorities`.
    pub outcomes_label: String,
    /// All of it in one sentence, for the Markdown brief.
    pub sentence: String,
}

/// Names in a sentence: `A`, `A and B`, `A, B and C`.
fn and_list(lang: &str, mut names: Vec<String>) -> String {
    match names.pop() {
        None => String::new(),
        Some(last) if names.is_empty() => last,
        Some(last) => text_with(
            lang,
            "and-list",
            &[("first", names.join(", ").into()), ("last", last.into())],
        ),
    }
}

impl Glance {
    fn new(
        lang: &str,
        results: usize,
        joint_results: usize,
        organisations: usize,
        priorities: usize,
        outcomes: usize,
    ) -> Self {
        let n = |v: usize| i64::try_from(v).unwrap_or(i64::MAX);
        let count = |id: &str, v: usize| text_with(lang, id, &[("count", n(v).into())]);
        Glance {
            results,
            joint_results,
            organisations,
            priorities,
            outcomes,
            results_label: count("glance-results", results),
            joint_results_label: count("glance-joint", joint_results),
            organisations_label: count("glance-organisations", organisations),
            outcomes_label: text_with(
                lang,
                "glance-outcomes",
                &[
                    ("count", n(outcomes).into()),
                    ("priorities", n(priorities).into()),
                ],
            ),
            sentence: text_with(
                lang,
                "glance-sentence",
                &[
                    ("results", n(results).into()),
                    ("organisations", n(organisations).into()),
                    ("joint", n(joint_results).into()),
                    ("priorities", n(priorities).into()),
                    ("outcomes", n(outcomes).into()),
                ],
            ),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct PriorityBlock {
    pub number: usize,
    /// `Priority 1` in the brief's language.
    pub label: String,
    /// `Ways forward, priority 1`, naming its ways forward for screen readers.
    pub ways_label: String,
    pub code: String,
    pub title: String,
    pub context: Vec<String>,
    pub lead: Vec<String>,
    pub outcomes: Vec<OutcomeBlock>,
    pub ways_forward: Vec<String>,
    /// Closing text of the priority, after its ways forward.
    pub closing: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct OutcomeBlock {
    /// `01`, `02` ... within the priority, as briefs number them.
    pub number: String,
    /// `Targets, outcome 01` and `Ways forward, outcome 01`, naming its parts for screen readers.
    pub targets_label: String,
    pub ways_label: String,
    pub code: String,
    pub statement: String,
    /// The outcome's context and lead-in, before its results.
    pub context: Vec<String>,
    pub lines: Vec<LineBlock>,
    /// The outcome's indicators with a target in the period, each with its progress; an indicator
    /// with no approved figure is listed as not reported ([`mignet_core::progress`]).
    pub targets: Vec<TargetLine>,
    /// The outcome's ways forward and closing text, after its results.
    pub ways_forward: Vec<String>,
    pub closing: Vec<String>,
}

/// One target of an indicator in the period: `4,200 of 5,000 (84.0 per cent)`, or
/// `not reported (target 5,000)`.
#[derive(Debug, Serialize)]
pub struct TargetLine {
    pub indicator: String,
    pub statement: String,
    /// What the indicator counts (`migrants`); empty for a milestone.
    pub unit: String,
    pub cumulative: bool,
    pub reported: bool,
    /// Per cent of the target, as printed (`84.0`); none without a comparable actual.
    pub percent: Option<String>,
    pub text: String,
}

#[derive(Debug, Serialize)]
pub struct LineBlock {
    pub text: String,
    /// Short names of the organisations behind the line's figures, in order.
    pub organisations: Vec<String>,
    pub joint: bool,
    /// How each joint figure of the line got its value (`exact, from 24 records, overlap 3`), for
    /// the joint figures counted otherwise than by a plain joint report: counts only, never people.
    #[serde(skip)]
    pub joint_methods: Vec<JointNote>,
    pub figures: Vec<String>,
    /// The places the line's figures were reported for, in the figures' order: administrative
    /// areas at any level, then named sites.
    pub places: Vec<Place>,
    /// What the places are called: the country's word for its first-level areas when they are all
    /// such (`Provinces` in Thailand, `Regions/states` in Myanmar), else `Places`.
    pub places_label: String,
    /// Places counted but not named: `12 locations in 4 provinces`.
    pub counted: Vec<String>,
}

/// One joint figure of a line: its value as printed, who reported it and how the value was obtained.
#[derive(Debug, Clone, Serialize)]
pub struct JointNote {
    pub figure: String,
    pub value: String,
    /// The short names of its organisations, joined (`UNICEF and IOM`).
    pub organisations: String,
    pub method: String,
}

impl ReportModel {
    /// The joint notes of the lines the model holds, in reading order.
    pub(crate) fn collect_joint_notes(&mut self) {
        self.joint_notes = self
            .priorities
            .iter()
            .flat_map(|p| &p.outcomes)
            .flat_map(|o| &o.lines)
            .flat_map(|l| l.joint_methods.iter().cloned())
            .collect();
    }
}

/// A place as the brief names it: its code (none for a named site), its English name and, where
/// one is known, its name in the local language with that language's tag (`th`).
#[derive(Debug, Serialize)]
pub struct Place {
    pub code: String,
    pub name: String,
    pub local_name: Option<String>,
    pub lang: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct GroupBlock {
    pub name: String,
    pub facts: Vec<String>,
    pub description: String,
}

/// A derived figure the brief prints, with how it was computed and, where one was published, the
/// published number it replaces.
#[derive(Debug, Serialize)]
pub struct ComputedNote {
    pub id: String,
    pub text: String,
}

/// The brief's fixed words in `lang`, by the names the templates use.
fn fixed_words(lang: &str, period: &str, members: &str) -> BTreeMap<&'static str, String> {
    let mut w: BTreeMap<&'static str, String> = [
        ("at_a_glance", "brief-at-a-glance"),
        ("chart_caption", "chart-people-caption"),
        ("chart_kicker", "chart-people-kicker"),
        ("chart_note", "chart-people-note"),
        ("reported_by", "reported-by"),
        ("reported_jointly_by", "reported-jointly-by"),
        ("col_indicator", "col-indicator"),
        ("col_progress", "col-progress-against-target"),
        ("cumulative", "cumulative-mark"),
        ("targets", "targets"),
        ("ways_forward", "ways-forward"),
        ("ways_forward_network", "ways-forward-of-network"),
        ("pages", "brief-pages"),
        ("previous_page", "previous-page"),
        ("next_page", "next-page"),
        ("sub_working_groups", "sub-working-groups"),
        ("notes", "notes"),
        ("computed_figures", "computed-figures"),
        ("joint_counted", "joint-counted"),
    ]
    .into_iter()
    .map(|(name, id)| (name, text(lang, id)))
    .collect();
    w.insert(
        "achievements",
        text_with(lang, "brief-achievements", &[("period", period.into())]),
    );
    w.insert(
        "members",
        text_with(lang, "members", &[("names", members.into())]),
    );
    w
}

/// Builds the model of `period`'s brief in English. Only approved figures are printed.
pub fn build(ds: &Dataset, period: &str, format: Format) -> Result<ReportModel, ReportError> {
    build_in(ds, period, format, words::ENGLISH)
}

/// Builds the model of `period`'s brief with its own words in `lang` (a language of
/// [`words::known`]; any other gets English words). The dataset's texts print as stored.
pub fn build_in(
    ds: &Dataset,
    period: &str,
    format: Format,
    lang: &str,
) -> Result<ReportModel, ReportError> {
    let lang = words::known(lang).unwrap_or_else(|| words::ENGLISH.to_owned());
    let lang = lang.as_str();
    let p = ds
        .period(period)
        .ok_or_else(|| ReportError::UnknownPeriod(period.to_owned()))?;
    let mut r = Renderer::new(ds, p, format, lang);
    let approved = |id: &ItemId| {
        p.figure(id.as_str())
            .is_some_and(|f| f.status == FigureStatus::Approved)
    };

    let introduction = p.period.introduction.as_deref().map(|t| r.own_markup(t));
    // Every section prints where it belongs: an outcome's under that outcome (whatever priority it
    // also names), a priority's under that priority, the rest network-wide; context and lead-in
    // before the results, ways forward and closing after them, in the order they are stored.
    let sections = |r: &mut Renderer,
                    pr: Option<&FrameworkCode>,
                    oc: Option<&FrameworkCode>,
                    kinds: &[SectionKind]|
     -> Vec<String> {
        let texts: Vec<String> = p
            .sections
            .iter()
            .filter(|s| kinds.contains(&s.kind))
            .filter(|s| match (oc, &s.outcome) {
                (Some(oc), Some(so)) => so == oc,
                (None, None) => s.priority.as_ref() == pr,
                _ => false,
            })
            .map(|s| s.text.clone())
            .collect();
        texts.iter().map(|t| r.own_markup(t)).collect()
    };
    use SectionKind::{Closing, Context, Lead, WaysForward};
    let context = sections(&mut r, None, None, &[Context, Lead]);

    let mut printed_figures: BTreeSet<&str> = BTreeSet::new();
    let mut reporting_orgs: BTreeSet<&str> = BTreeSet::new();
    let mut joint_results = 0;
    let mut priorities = Vec::new();
    let mut outcome_count = 0;
    for (pi, pr) in ds.framework.priorities.iter().enumerate() {
        let pr_context = sections(&mut r, Some(&pr.code), None, &[Context]);
        let lead = sections(&mut r, Some(&pr.code), None, &[Lead]);
        let mut outcomes = Vec::new();
        for oc in ds
            .framework
            .outcomes
            .iter()
            .filter(|o| o.priority == pr.code)
        {
            let octx = sections(&mut r, Some(&pr.code), Some(&oc.code), &[Context, Lead]);
            let o_ways = sections(&mut r, Some(&pr.code), Some(&oc.code), &[WaysForward]);
            let o_closing = sections(&mut r, Some(&pr.code), Some(&oc.code), &[Closing]);
            let mut lines = Vec::new();
            let mut quoted: BTreeSet<&str> = BTreeSet::new();
            for l in p.lines.iter().filter(|l| l.outcome == oc.code) {
                quoted.extend(l.figures.iter().map(|f| f.as_str()));
                if l.figures.is_empty() || !l.figures.iter().all(approved) {
                    continue;
                }
                let figs: Vec<&Figure> = l
                    .figures
                    .iter()
                    .filter_map(|id| p.figure(id.as_str()))
                    .collect();
                lines.push(line_block(ds, &mut r, &l.text, &figs));
            }
            // An approved figure that no line quotes still belongs in the brief, in a plain line.
            let indicators: Vec<&Indicator> = ds
                .framework
                .indicators
                .iter()
                .filter(|i| i.outcome == oc.code)
                .collect();
            for f in p
                .figures
                .iter()
                .filter(|f| f.status == FigureStatus::Approved && !quoted.contains(f.id.as_str()))
            {
                if let Some(ind) = indicators.iter().find(|i| i.code == f.indicator) {
                    let text = match f.value {
                        FigureValue::Milestone { .. } => {
                            format!("**{}** ({{{}}})", ind.statement, f.id)
                        }
                        _ => format!(
                            "**{{{}}} {}**: {}",
                            f.id,
                            numbers::unit_for(&ind.unit, f),
                            ind.statement
                        ),
                    };
                    lines.push(line_block(ds, &mut r, &text, &[f]));
                }
            }
            for l in &lines {
                printed_figures.extend(
                    l.figures
                        .iter()
                        .filter_map(|id| p.figure(id))
                        .map(|f| f.id.as_str()),
                );
            }
            let targets: Vec<TargetLine> = indicators
                .iter()
                .flat_map(|ind| {
                    mignet_core::progress::progress(ds, ind, p.period.code.as_str())
                        .into_iter()
                        .map(|g| TargetLine {
                            indicator: ind.code.to_string(),
                            statement: r.own(&ind.statement),
                            unit: r.plain(&ind.unit),
                            cumulative: g.cumulative,
                            reported: g.actual != mignet_core::progress::Actual::NotReported,
                            percent: g.percent().map(|v| {
                                numbers::group(v, mignet_core::progress::PERCENT_DECIMALS)
                            }),
                            text: r.plain(&words::progress_words(lang, ind.kind, &g)),
                        })
                })
                .collect();
            if lines.is_empty()
                && targets.is_empty()
                && octx.is_empty()
                && o_ways.is_empty()
                && o_closing.is_empty()
            {
                continue;
            }
            outcome_count += 1;
            let number = format!("{:02}", outcomes.len() + 1);
            outcomes.push(OutcomeBlock {
                targets_label: text_with(
                    lang,
                    "targets-of-outcome",
                    &[("number", number.as_str().into())],
                ),
                ways_label: text_with(
                    lang,
                    "ways-forward-of-outcome",
                    &[("number", number.as_str().into())],
                ),
                number,
                code: oc.code.to_string(),
                statement: r.own(&oc.statement),
                context: octx,
                lines,
                targets,
                ways_forward: o_ways,
                closing: o_closing,
            });
        }
        let ways_forward = sections(&mut r, Some(&pr.code), None, &[WaysForward]);
        let pr_closing = sections(&mut r, Some(&pr.code), None, &[Closing]);
        let number = i64::try_from(pi + 1).unwrap_or(i64::MAX);
        priorities.push(PriorityBlock {
            number: pi + 1,
            label: text_with(lang, "priority-number", &[("number", number.into())]),
            ways_label: text_with(
                lang,
                "ways-forward-of-priority",
                &[("number", number.into())],
            ),
            code: pr.code.to_string(),
            title: r.own(&pr.title),
            context: pr_context,
            lead,
            outcomes,
            ways_forward,
            closing: pr_closing,
        });
    }
    for id in &printed_figures {
        if let Some(f) = p.figure(id) {
            reporting_orgs.extend(f.organisations.iter().map(|o| o.as_str()));
            joint_results += usize::from(f.is_joint());
        }
    }
    let groups = ds
        .groups
        .iter()
        .map(|g| {
            let names = |list: &[OrgCode]| {
                list.iter()
                    .map(|o| {
                        ds.organisation(o.as_str())
                            .map_or(o.to_string(), |x| x.short_name.clone())
                    })
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let mut facts = Vec::new();
            if let Some(e) = &g.established {
                let date = words::date_in_words(lang, e);
                facts.push(text_with(
                    lang,
                    "group-established",
                    &[("date", date.into())],
                ));
            }
            if !g.co_chairs.is_empty() {
                let names = names(&g.co_chairs);
                facts.push(text_with(
                    lang,
                    "group-co-chairs",
                    &[("names", names.into())],
                ));
            }
            if !g.secretariat.is_empty() {
                let names = names(&g.secretariat);
                facts.push(text_with(
                    lang,
                    "group-secretariat",
                    &[("names", names.into())],
                ));
            }
            if let (GroupStatus::Renamed, Some(to)) = (g.status, &g.renamed_to) {
                facts.push(match &g.renamed_in {
                    Some(y) => text_with(
                        lang,
                        "group-renamed-in",
                        &[("to", to.as_str().into()), ("year", y.as_str().into())],
                    ),
                    None => text_with(lang, "group-renamed", &[("to", to.as_str().into())]),
                });
            }
            if g.status == GroupStatus::Closed {
                facts.push(text(lang, "group-closed"));
            }
            GroupBlock {
                name: r.own(&g.name),
                facts: facts.iter().map(|f| r.plain(f)).collect(),
                description: r.own_markup(&g.description),
            }
        })
        .collect();
    let ways_forward = sections(&mut r, None, None, &[WaysForward]);
    let closing = sections(&mut r, None, None, &[Closing]);
    let computed = computed_notes(p, &r);
    let members: Vec<String> = ds
        .organisations
        .iter()
        .filter(|o| o.member)
        .map(|o| r.plain(&o.short_name))
        .collect();
    let mut model = ReportModel {
        lang: lang.to_owned(),
        words: fixed_words(lang, p.period.code.as_str(), &members.join(", ")),
        head_title: format!(
            "{} — {}",
            ds.translations
                .get(lang, &p.period.title)
                .unwrap_or(&p.period.title),
            ds.translations
                .get(lang, &ds.network.name)
                .unwrap_or(&ds.network.name)
        ),
        network_name: r.own(&ds.network.name),
        network_short_name: r.own(&ds.network.short_name),
        tagline: ds.network.tagline.as_deref().map(|t| r.own(t)),
        period_code: p.period.code.to_string(),
        title: r.own(&p.period.title),
        introduction,
        context,
        glance: Glance::new(
            lang,
            printed_figures.len(),
            joint_results,
            reporting_orgs.len(),
            ds.framework.priorities.len(),
            outcome_count,
        ),
        priorities,
        ways_forward,
        groups,
        closing,
        computed,
        joint_notes: Vec::new(),
        notes: r.notes,
        members,
        chart: crate::charts::people_chart_in(ds, p.period.code.as_str(), lang),
        page: None,
    };
    model.collect_joint_notes();
    Ok(model)
}

fn line_block(ds: &Dataset, r: &mut Renderer, text: &str, figs: &[&Figure]) -> LineBlock {
    let mut orgs: Vec<&OrgCode> = Vec::new();
    for f in figs {
        for o in &f.organisations {
            if !orgs.contains(&o) {
                orgs.push(o);
            }
        }
    }
    LineBlock {
        text: r.own_markup(text),
        organisations: orgs
            .iter()
            .map(|o| {
                r.plain(
                    &ds.organisation(o.as_str())
                        .map_or(o.to_string(), |x| x.short_name.clone()),
                )
            })
            .collect(),
        joint: figs.iter().any(|f| f.is_joint()),
        joint_methods: figs
            .iter()
            .filter(|f| f.is_joint() && f.joint != mignet_core::JointMethod::Reported)
            .map(|f| JointNote {
                figure: f.id.to_string(),
                value: r.plain(&mignet_core::numbers::format_figure(f)),
                organisations: r.plain(&and_list(
                    &r.lang,
                    f.organisations
                        .iter()
                        .map(|o| {
                            ds.organisation(o.as_str())
                                .map_or(o.to_string(), |x| x.short_name.clone())
                        })
                        .collect(),
                )),
                method: r.plain(&f.joint.describe()),
            })
            .collect(),
        figures: figs.iter().map(|f| f.id.to_string()).collect(),
        places: places(ds, figs.iter().flat_map(|f| &f.places))
            .into_iter()
            .chain(figs.iter().flat_map(|f| &f.sites).map(|site| Place {
                code: String::new(),
                name: site.clone(),
                local_name: None,
                lang: None,
            }))
            .map(|p| Place {
                name: r.plain(&p.name),
                local_name: p.local_name.map(|l| r.plain(&l)),
                ..p
            })
            .collect(),
        places_label: places_label(&r.lang, ds, figs),
        counted: figs
            .iter()
            .filter_map(|f| ds.counted_places(f))
            .map(|c| r.plain(&c))
            .collect(),
    }
}

/// Each place once, in the order first met, with its names from the gazetteer or ISO 3166-2.
fn places<'a>(ds: &Dataset, codes: impl Iterator<Item = &'a mignet_core::PlaceCode>) -> Vec<Place> {
    let mut out: Vec<Place> = Vec::new();
    for code in codes {
        if out.iter().any(|p| p.code == code.as_str()) {
            continue;
        }
        let local_name = ds.place_local_name(code.as_str()).map(str::to_owned);
        out.push(Place {
            code: code.to_string(),
            name: ds.place_name(code.as_str()).to_owned(),
            // The bundled local names are Thailand's; a gazetteer's are in a language it does
            // not name.
            lang: (local_name.is_some() && ds.gazetteer.area(code.as_str()).is_none())
                .then(|| "th".to_owned()),
            local_name,
        });
    }
    out
}

/// The country's word for its first-level areas when every place of the figures is one
/// (`Provinces`), else `Places` ([`Dataset::places_word`]); named sites make it `Places` too.
///
/// In another language than English the label is that language's word for places: the
/// country's words for its areas come from ISO 3166-2, in English.
fn places_label(lang: &str, ds: &Dataset, figs: &[&Figure]) -> String {
    if lang != words::ENGLISH || figs.iter().any(|f| !f.sites.is_empty()) {
        return text(lang, "places");
    }
    ds.places_word(figs.iter().flat_map(|f| &f.places))
        .heading()
}

/// How each derived figure was computed, and the published claims it corrects or confirms.
fn computed_notes(p: &PeriodData, r: &Renderer) -> Vec<ComputedNote> {
    let mut out = Vec::new();
    for d in &p.derived {
        let explained = if r.lang == words::ENGLISH {
            numbers::explain_derived(p, d)
        } else {
            words::derived_words(&r.lang, p, d)
        };
        let (Ok(v), Some(mut text)) = (p.compute(d), explained) else {
            continue;
        };
        for c in p.claims.iter().filter(|c| c.derived == d.id) {
            text.push(' ');
            text.push_str(&if r.lang == words::ENGLISH {
                numbers::explain_claim(c.published, v)
            } else {
                words::claim_words(&r.lang, c.published, v)
            });
        }
        out.push(ComputedNote {
            id: d.id.to_string(),
            text: r.plain(&text),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render;
    use std::path::Path;

    fn example() -> Dataset {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/thailand-2022");
        mignet_formats::dataset::read_dir(&dir).expect("the example reads")
    }

    fn code(c: &str) -> Option<FrameworkCode> {
        Some(FrameworkCode::parse(c).unwrap())
    }

    /// Every section prints where it belongs, whatever its kind and level: none is dropped.
    #[test]
    fn a_section_of_every_kind_and_level_is_printed_once() {
        use SectionKind::*;
        let mut ds = example();
        let p = ds
            .periods
            .iter_mut()
            .find(|p| p.period.code.as_str() == "2022")
            .unwrap();
        let mut marks = Vec::new();
        let levels = [
            ("network", None, None),
            ("priority", code("P1"), None),
            ("outcome", code("P1"), code("P1.O1")),
            // An outcome's section names the outcome's own priority or none: it prints there.
            ("bare-outcome", None, code("P2.O1")),
        ];
        for (level, priority, outcome) in levels {
            for kind in [Context, Lead, WaysForward, Closing] {
                let mark = format!("MARK-{level}-{kind:?}");
                p.sections.push(Section {
                    priority: priority.clone(),
                    outcome: outcome.clone(),
                    kind,
                    text: mark.clone(),
                });
                marks.push(mark);
            }
        }
        for format in [Format::Markdown, Format::Html] {
            let out = render(&ds, "2022", format).unwrap();
            for m in &marks {
                assert_eq!(out.matches(m.as_str()).count(), 1, "{m} in {format:?}");
            }
            // In reading order: network context before the first priority, network ways forward
            // after the last.
            let at = |m: &str| out.find(m).unwrap();
            assert!(at("MARK-network-Context") < at("MARK-priority-Context"));
            assert!(at("MARK-outcome-Lead") < at("MARK-outcome-WaysForward"));
            assert!(at("MARK-network-WaysForward") > at("MARK-bare-outcome-Closing"));
        }
    }

    #[test]
    fn the_glance_words_agree_with_their_counts() {
        let g = Glance::new("en", 1, 0, 1, 1, 2);
        assert_eq!(
            (
                g.results_label.as_str(),
                g.joint_results_label.as_str(),
                g.organisations_label.as_str()
            ),
            (
                "result reported",
                "results reported jointly",
                "organisation reporting"
            )
        );
        assert_eq!(g.outcomes_label, "outcomes under 1 priority");
        assert_eq!(
            g.sentence,
            "1 result from 1 organisation (0 reported jointly) under 1 priority and 2 outcomes."
        );
    }
}
