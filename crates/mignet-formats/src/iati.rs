//! The IATI export of one period: IATI 2.03 activity XML, for the public registry and the portals that
//! read it (d-portal, country systems). The mapping and the reasons for it are in docs/exports.md.
//!
//! One `<iati-activity>` per priority of the results framework, one `<result type="2">` (outcome) per
//! outcome, one `<indicator>` per framework indicator, and one `<actual>` per approved figure. Only approved
//! figures are exported: this is a public format. A joint figure is one actual naming all its
//! organisations, never one actual per organisation; a figure's parts (children) are further actuals, each
//! with a `<dimension>`, as IATI asks for disaggregated results.

use mignet_core::PeriodCode;
use mignet_core::model::{
    Dataset, Figure, FigureStatus, FigureValue, Indicator, IndicatorKind, OrgKind, Organisation,
    PeriodData, PeriodStatus, Priority, RoleKind,
};
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesText, Event};
use std::collections::BTreeSet;
use std::io;

/// Why a period cannot be written as IATI activities.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IatiError {
    #[error(
        "period `{0}` has no approved figures: an IATI file needs at least one activity with results"
    )]
    NoApprovedFigures(String),
    #[error(
        "period `{0}` has no start or end date: IATI result periods need both (set `starts` and `ends` in period.toml)"
    )]
    NoDates(String),
}

/// The DAC purpose code for migration (Sector codelist, vocabulary 1): "Facilitation of orderly, safe,
/// regular and responsible migration and mobility".
pub const SECTOR_MIGRATION: &str = "15190";

/// The IATI organisation identifiers of UN agencies, by official name. Only identifiers the agencies
/// themselves publish under are listed (the `XM-DAC-` prefix and the OECD DAC channel code); an agency
/// that is not listed here is named without `@ref` rather than given a guessed one.
const UN_IATI_REFS: &[(&str, &str)] = &[
    ("International Labour Organization", "XM-DAC-41302"),
    ("International Organization for Migration", "XM-DAC-47066"),
    ("United Nations Development Programme", "XM-DAC-41114"),
    (
        "United Nations Educational, Scientific and Cultural Organization",
        "XM-DAC-41304",
    ),
    (
        "Office of the United Nations High Commissioner for Refugees",
        "XM-DAC-41121",
    ),
    ("United Nations Children's Fund", "XM-DAC-41122"),
    (
        "United Nations Entity for Gender Equality and the Empowerment of Women",
        "XM-DAC-41146",
    ),
    ("World Health Organization", "XM-DAC-928"),
];

/// The URI of the Global Compact for Migration (A/RES/73/195), the vocabulary of its objectives.
const GCM_URI: &str = "https://undocs.org/A/RES/73/195";

/// The organisation's IATI identifier, where it is known for certain.
pub fn iati_ref(org: &Organisation) -> Option<&'static str> {
    if org.kind != OrgKind::UnAgency {
        return None;
    }
    UN_IATI_REFS
        .iter()
        .find(|(name, _)| *name == org.name)
        .map(|(_, r)| *r)
}

/// The OrganisationType code for an organisation, where its kind says it unambiguously.
fn org_type(kind: OrgKind) -> Option<&'static str> {
    match kind {
        OrgKind::UnAgency => Some("40"),
        OrgKind::Government => Some("10"),
        // An NGO may be international (21), national (22) or regional (23): the model does not say.
        OrgKind::Ngo | OrgKind::Coalition | OrgKind::Other => None,
    }
}

/// Writes the approved figures of `period` as an IATI 2.03 activities document.
pub fn activities(ds: &Dataset, period: &PeriodData) -> Result<Vec<u8>, IatiError> {
    let code = period.period.code.to_string();
    let (Some(starts), Some(ends)) = (&period.period.starts, &period.period.ends) else {
        return Err(IatiError::NoDates(code));
    };
    let approved: Vec<&Figure> = period
        .figures
        .iter()
        .filter(|f| f.status == FigureStatus::Approved)
        .collect();
    let priorities: Vec<(&Priority, Vec<&Figure>)> = ds
        .framework
        .priorities
        .iter()
        .map(|p| {
            let figures = approved
                .iter()
                .copied()
                .filter(|f| priority_of(ds, f) == Some(p.code.as_str()))
                .collect::<Vec<_>>();
            (p, figures)
        })
        // A priority with no approved figure is still reported when one of its indicators has a
        // target in the period: the target shows as not reported rather than disappearing.
        .filter(|(p, figures)| !figures.is_empty() || has_target(ds, p, &period.period.code))
        .collect();
    if priorities.is_empty() {
        return Err(IatiError::NoApprovedFigures(code));
    }
    let ctx = Ctx {
        ds,
        period,
        starts,
        ends,
    };
    let mut w = X(Writer::new_with_indent(Vec::new(), b' ', 2));
    ctx.write(&mut w, &priorities)
        .expect("writing to memory does not fail");
    let mut out = w.0.into_inner();
    out.push(b'\n');
    Ok(out)
}

/// Whether an indicator under priority `p` has a target of its own in `period`.
fn has_target(ds: &Dataset, p: &Priority, period: &PeriodCode) -> bool {
    ds.framework.indicators.iter().any(|i| {
        i.targets.iter().any(|t| &t.period == period)
            && ds
                .outcome(i.outcome.as_str())
                .is_some_and(|o| o.priority == p.code)
    })
}

fn priority_of<'d>(ds: &'d Dataset, f: &Figure) -> Option<&'d str> {
    let ind = ds.indicator(f.indicator.as_str())?;
    Some(ds.outcome(ind.outcome.as_str())?.priority.as_str())
}

struct Ctx<'a> {
    ds: &'a Dataset,
    period: &'a PeriodData,
    starts: &'a str,
    ends: &'a str,
}

impl Ctx<'_> {
    fn write(&self, w: &mut X, priorities: &[(&Priority, Vec<&Figure>)]) -> io::Result<()> {
        w.0.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
        w.open("iati-activities", &[("version", "2.03")])?;
        let (reporting, reporting_ref) = self.reporting_org();
        if reporting.is_none() {
            w.comment(
                " reporting-org/@ref is the network's own code, not a registered IATI organisation \
                 identifier: the network needs one before publishing this file to the IATI registry ",
            )?;
        }
        for (priority, figures) in priorities {
            self.activity(w, priority, figures, reporting, &reporting_ref)?;
        }
        w.close("iati-activities")
    }

    /// The network's coordinator reports on the network's behalf (a secondary reporter) when it has a
    /// known IATI identifier; otherwise the network itself, under its own code.
    fn reporting_org(&self) -> (Option<&Organisation>, String) {
        let coordinator = self
            .ds
            .roles
            .iter()
            .filter(|r| r.role == RoleKind::Coordinator)
            .filter_map(|r| self.ds.organisation(r.organisation.as_str()))
            .find_map(|o| iati_ref(o).map(|r| (o, r)));
        match coordinator {
            Some((org, r)) => (Some(org), r.to_owned()),
            None => (None, self.ds.network.code.clone()),
        }
    }

    fn activity(
        &self,
        w: &mut X,
        priority: &Priority,
        figures: &[&Figure],
        reporting: Option<&Organisation>,
        reporting_ref: &str,
    ) -> io::Result<()> {
        let ds = self.ds;
        let p = &self.period.period;
        w.open("iati-activity", &[("xml:lang", "en")])?;
        w.text(
            "iati-identifier",
            &[],
            &format!(
                "{reporting_ref}-{}-{}-{}",
                ds.network.code, p.code, priority.code
            ),
        )?;
        match reporting {
            Some(org) => {
                let mut attrs = vec![("ref", reporting_ref), ("secondary-reporter", "1")];
                attrs.extend(org_type(org.kind).map(|t| ("type", t)));
                w.narrated("reporting-org", &attrs, &org.name)?;
            }
            None => w.narrated(
                "reporting-org",
                &[("ref", reporting_ref), ("type", "40")],
                &ds.network.name,
            )?,
        }
        w.narrated(
            "title",
            &[],
            &format!(
                "{}, {}: priority {}",
                ds.network.short_name, p.title, priority.code
            ),
        )?;
        let description = match &priority.summary {
            Some(s) => format!("{} {s}", priority.title),
            None => priority.title.clone(),
        };
        w.narrated("description", &[("type", "1")], &description)?;

        // Every organisation of the priority's figures, once, in the order the network lists them.
        let named: BTreeSet<&str> = figures
            .iter()
            .flat_map(|f| f.organisations.iter().map(|o| o.as_str()))
            .collect();
        for org in ds
            .organisations
            .iter()
            .filter(|o| named.contains(o.code.as_str()))
        {
            let mut attrs = Vec::new();
            attrs.extend(iati_ref(org).map(|r| ("ref", r)));
            attrs.push(("role", "4"));
            attrs.extend(org_type(org.kind).map(|t| ("type", t)));
            w.narrated("participating-org", &attrs, &org.name)?;
        }
        if named.is_empty() {
            // Only targets, no figure yet: the network is the one party to name.
            w.narrated(
                "participating-org",
                &[("role", "4"), ("type", "40")],
                &ds.network.name,
            )?;
        }

        let closed = p.status == PeriodStatus::Closed;
        w.empty(
            "activity-status",
            &[("code", if closed { "4" } else { "2" })],
        )?;
        w.empty("activity-date", &[("iso-date", self.starts), ("type", "2")])?;
        w.empty(
            "activity-date",
            &[
                ("iso-date", self.ends),
                ("type", if closed { "4" } else { "3" }),
            ],
        )?;
        w.empty("recipient-country", &[("code", ds.network.country())])?;

        let places: BTreeSet<&mignet_core::PlaceCode> =
            figures.iter().flat_map(|f| f.places.iter()).collect();
        for place in &places {
            w.open("location", &[("ref", place.as_str())])?;
            w.narrated("name", &[], ds.place_name(place.as_str()))?;
            w.close("location")?;
        }
        w.empty("sector", &[("vocabulary", "1"), ("code", SECTOR_MIGRATION)])?;

        let indicators: Vec<&Indicator> = ds
            .framework
            .indicators
            .iter()
            .filter(|i| {
                ds.outcome(i.outcome.as_str())
                    .is_some_and(|o| o.priority == priority.code)
            })
            .collect();
        // SDG targets in the UN's order (3.8 before 3.d before 10.7), each goal once.
        let targets: BTreeSet<(u32, u32, &str)> = indicators
            .iter()
            .flat_map(|i| i.sdg.iter())
            .filter_map(|t| {
                let (goal, target) = t.split_once('.')?;
                Some((
                    goal.parse().ok()?,
                    target.parse().unwrap_or(u32::MAX),
                    t.as_str(),
                ))
            })
            .collect();
        let goals: BTreeSet<u32> = targets.iter().map(|(g, _, _)| *g).collect();
        for goal in goals {
            w.empty("tag", &[("vocabulary", "2"), ("code", &goal.to_string())])?;
        }
        for (_, _, target) in targets {
            w.empty("tag", &[("vocabulary", "3"), ("code", target)])?;
        }
        let gcm: BTreeSet<u8> = indicators
            .iter()
            .flat_map(|i| i.gcm.iter().copied())
            .collect();
        for objective in gcm {
            w.narrated(
                "tag",
                &[
                    ("vocabulary", "99"),
                    ("vocabulary-uri", GCM_URI),
                    ("code", &objective.to_string()),
                ],
                &format!("Global Compact for Migration, objective {objective}"),
            )?;
        }

        for outcome in ds
            .framework
            .outcomes
            .iter()
            .filter(|o| o.priority == priority.code)
        {
            let of_outcome: Vec<&&Indicator> = indicators
                .iter()
                .filter(|i| i.outcome == outcome.code)
                .collect();
            if of_outcome.is_empty() {
                continue;
            }
            w.open("result", &[("type", "2")])?;
            w.narrated("title", &[], &outcome.statement)?;
            w.empty(
                "reference",
                &[("vocabulary", "99"), ("code", outcome.code.as_str())],
            )?;
            for ind in of_outcome {
                let of_indicator: Vec<&Figure> = figures
                    .iter()
                    .copied()
                    .filter(|f| f.indicator == ind.code)
                    .collect();
                self.indicator(w, ind, &of_indicator)?;
            }
            w.close("result")?;
        }
        w.close("iati-activity")
    }

    fn indicator(&self, w: &mut X, ind: &Indicator, figures: &[&Figure]) -> io::Result<()> {
        let measure = match ind.kind {
            IndicatorKind::Count => "1",
            IndicatorKind::Percentage => "2",
            IndicatorKind::Milestone => "5",
        };
        w.open("indicator", &[("measure", measure)])?;
        w.narrated("title", &[], &ind.statement)?;
        let mut about = format!("Unit: {}.", ind.unit);
        if !ind.gcm.is_empty() {
            let list: Vec<String> = ind.gcm.iter().map(u8::to_string).collect();
            about.push_str(&format!(
                " Global Compact for Migration objectives: {}.",
                list.join(", ")
            ));
        }
        if !ind.sdg.is_empty() {
            about.push_str(&format!(" SDG targets: {}.", ind.sdg.join(", ")));
        }
        w.narrated("description", &[], &about)?;
        w.empty(
            "reference",
            &[("vocabulary", "99"), ("code", ind.code.as_str())],
        )?;
        if let Some(b) = &ind.baseline {
            let year = b.year.to_string();
            let value = number(b.value);
            let mut attrs = vec![("year", year.as_str())];
            if ind.kind != IndicatorKind::Milestone {
                attrs.push(("value", value.as_str()));
            }
            match &b.note {
                Some(note) => {
                    w.open("baseline", &attrs)?;
                    w.narrated("comment", &[], note)?;
                    w.close("baseline")?;
                }
                None => w.empty("baseline", &attrs)?,
            }
        }
        let code = &self.period.period.code;
        // The period's own targets (a cumulative target in a later period is that period's), each
        // with its progress in words, computed as everywhere else (mignet_core::progress).
        let targets: Vec<mignet_core::progress::Progress> =
            mignet_core::progress::progress(self.ds, ind, code.as_str())
                .into_iter()
                .filter(|p| &p.target_period == code)
                .collect();
        if !figures.is_empty() || !targets.is_empty() {
            w.open("period", &[])?;
            w.empty("period-start", &[("iso-date", self.starts)])?;
            w.empty("period-end", &[("iso-date", self.ends)])?;
            for t in targets {
                let value = number(t.target);
                // A milestone is qualitative: its target has no value.
                let attrs: Vec<(&str, &str)> = if ind.kind == IndicatorKind::Milestone {
                    vec![]
                } else {
                    vec![("value", value.as_str())]
                };
                let from = match &ind.baseline {
                    Some(b) => format!("counted from {}", b.year),
                    None => "counted from the first period".to_owned(),
                };
                let comment = if t.cumulative {
                    format!("Cumulative target, {from}: {}.", t.text_for(ind.kind))
                } else {
                    format!("Target for {code}: {}.", t.text_for(ind.kind))
                };
                w.open("target", &attrs)?;
                w.narrated("comment", &[], &comment)?;
                w.close("target")?;
            }
            for f in figures {
                self.actuals(w, ind, f)?;
            }
            w.close("period")?;
        }
        w.close("indicator")
    }

    /// The figure's total, then one actual per part, each with its dimension.
    fn actuals(&self, w: &mut X, ind: &Indicator, f: &Figure) -> io::Result<()> {
        let orgs: Vec<&str> = f
            .organisations
            .iter()
            .map(|o| {
                self.ds
                    .organisation(o.as_str())
                    .map_or(o.as_str(), |o| o.short_name.as_str())
            })
            .collect();
        let mut comment = if f.is_joint() {
            format!(
                "Figure {}, reported jointly by {} and counted once.",
                f.id,
                and_list(&orgs)
            )
        } else {
            format!("Figure {}, reported by {}.", f.id, and_list(&orgs))
        };
        if let FigureValue::Withheld { below } = f.value {
            comment.push_str(&format!(
                " Value withheld: {} (a small count that could identify people).",
                mignet_core::numbers::fewer_than(below)
            ));
        }
        if let FigureValue::Milestone { achieved } = f.value {
            comment.push_str(if achieved {
                " Achieved."
            } else {
                " Not achieved."
            });
        }
        // IATI's value is a number: how the source stated it ("over 65,000", a range whose bottom is
        // the value, an amount's currency) is said in the comment.
        if !f.stated.is_plain() {
            comment.push_str(&format!(
                " Stated as {}{}.",
                mignet_core::numbers::format_figure(f),
                if f.stated.cumulative {
                    ", counted since the start of the work"
                } else {
                    ""
                }
            ));
        }
        if let Some(note) = &f.note {
            comment.push(' ');
            comment.push_str(note);
        }
        for id in &f.footnotes {
            if let Some(n) = self.period.footnote(id.as_str()) {
                comment.push(' ');
                comment.push_str(&n.text);
            }
        }
        // Only a link a reader may follow; a provenance note or an unsafe address stays out.
        if let Some(e) = f.evidence.as_deref().and_then(mignet_core::links::safe) {
            comment.push_str(&format!(" Evidence: {e}"));
        }
        let value = f.value.number().map(number);
        let attrs: Vec<(&str, &str)> = value.iter().map(|v| ("value", v.as_str())).collect();
        w.open("actual", &attrs)?;
        for place in &f.places {
            w.empty("location", &[("ref", place.as_str())])?;
        }
        w.narrated("comment", &[], &comment)?;
        w.close("actual")?;
        for (key, part) in &f.disaggregation {
            let label = ind
                .disaggregations
                .iter()
                .find(|d| &d.key == key)
                .map_or(key.as_str(), |d| d.label.as_str());
            w.open("actual", &[("value", &part.to_string())])?;
            for place in &f.places {
                w.empty("location", &[("ref", place.as_str())])?;
            }
            w.empty("dimension", &[("name", "disaggregation"), ("value", label)])?;
            w.narrated(
                "comment",
                &[],
                &format!(
                    "Part of figure {} ({label}), included in its total of {}.",
                    f.id,
                    value.as_deref().unwrap_or("")
                ),
            )?;
            w.close("actual")?;
        }
        Ok(())
    }
}

/// A number as IATI values want it: no grouping, no trailing `.0`.
fn number(v: f64) -> String {
    format!("{v}")
}

fn and_list(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// A thin layer over quick-xml's writer for the few shapes IATI needs.
struct X(Writer<Vec<u8>>);

impl X {
    fn open(&mut self, name: &str, attrs: &[(&str, &str)]) -> io::Result<()> {
        let mut start = quick_xml::events::BytesStart::new(name);
        start.extend_attributes(attrs.iter().copied());
        self.0.write_event(Event::Start(start))
    }
    fn close(&mut self, name: &str) -> io::Result<()> {
        self.0
            .write_event(Event::End(quick_xml::events::BytesEnd::new(name)))
    }
    fn empty(&mut self, name: &str, attrs: &[(&str, &str)]) -> io::Result<()> {
        let mut start = quick_xml::events::BytesStart::new(name);
        start.extend_attributes(attrs.iter().copied());
        self.0.write_event(Event::Empty(start))
    }
    fn text(&mut self, name: &str, attrs: &[(&str, &str)], text: &str) -> io::Result<()> {
        self.open(name, attrs)?;
        self.0.write_event(Event::Text(BytesText::new(text)))?;
        self.close(name)
    }
    /// An element holding one `<narrative>`.
    fn narrated(&mut self, name: &str, attrs: &[(&str, &str)], text: &str) -> io::Result<()> {
        self.open(name, attrs)?;
        self.text("narrative", &[], text)?;
        self.close(name)
    }
    fn comment(&mut self, text: &str) -> io::Result<()> {
        self.0
            .write_event(Event::Comment(BytesText::from_escaped(text)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use mignet_core::model::FigureStatus;

    fn example() -> Dataset {
        let dir =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/thailand-2022");
        crate::dataset::read_dir(&dir).expect("the example dataset reads")
    }

    fn xml(ds: &Dataset) -> String {
        String::from_utf8(activities(ds, ds.period("2022").unwrap()).unwrap()).unwrap()
    }

    #[test]
    fn each_priority_with_approved_figures_is_one_activity_identified_under_the_reporting_org() {
        let out = xml(&example());
        assert_eq!(out.matches("<iati-activity ").count(), 3, "{out}");
        for p in ["P1", "P2", "P3"] {
            assert!(
                out.contains(&format!(
                    "<iati-identifier>XM-DAC-47066-UNNM-TH-2022-{p}</iati-identifier>"
                )),
                "{out}"
            );
        }
        assert!(
            out.contains(r#"<reporting-org ref="XM-DAC-47066" secondary-reporter="1" type="40">"#)
        );
    }

    #[test]
    fn a_joint_figure_is_one_actual_naming_every_organisation() {
        let out = xml(&example());
        assert_eq!(out.matches(r#"<actual value="74499">"#).count(), 1);
        assert!(out.contains(
            "Figure F-COVID-IEC, reported jointly by ILO, IOM, UNICEF, UN Women and WHO and counted once."
        ));
    }

    #[test]
    fn a_part_is_its_own_actual_with_a_dimension_after_the_total() {
        let out = xml(&example());
        let total = out.find(r#"<actual value="4805">"#).unwrap();
        let part = out.find(r#"<actual value="2233">"#).unwrap();
        assert!(total < part);
        assert!(out[part..].contains(r#"<dimension name="disaggregation" value="children"/>"#));
        assert!(
            out.contains(r#"<location ref="TH-50">"#),
            "places become activity locations"
        );
    }

    #[test]
    fn only_approved_figures_are_exported() {
        let mut ds = example();
        let period = ds
            .periods
            .iter_mut()
            .find(|p| p.period.code.as_str() == "2022")
            .unwrap();
        for f in &mut period.figures {
            if f.id.as_str() == "F-PFA" {
                f.status = FigureStatus::Submitted;
            }
        }
        let out = xml(&ds);
        assert!(!out.contains("F-PFA"));
        assert!(!out.contains(r#"value="4805""#));
        assert!(out.contains("F-COVID-IEC"));
    }

    #[test]
    fn a_period_without_approved_figures_is_an_error_not_an_empty_file() {
        let mut ds = example();
        for f in &mut ds.periods[0].figures {
            f.status = FigureStatus::Draft;
        }
        let p = &ds.periods[0];
        assert_eq!(
            activities(&ds, p),
            Err(IatiError::NoApprovedFigures("2022".into()))
        );
    }

    #[test]
    fn un_agencies_get_their_published_identifiers_and_others_none() {
        let ds = example();
        let by_code = |c: &str| iati_ref(ds.organisation(c).unwrap());
        assert_eq!(by_code("ILO"), Some("XM-DAC-41302"));
        assert_eq!(by_code("WHO"), Some("XM-DAC-928"));
        assert_eq!(
            by_code("UNODC"),
            None,
            "not known for certain: named, not referenced"
        );
        assert_eq!(by_code("RTG"), None);
        let out = xml(&ds);
        assert!(out.contains(
            "<participating-org role=\"4\" type=\"40\">\n      <narrative>United Nations Office on Drugs and Crime</narrative>"
        ), "{out}");
    }

    #[test]
    fn sdg_targets_and_goals_are_tags_and_the_sector_is_migration() {
        let out = xml(&example());
        assert!(out.contains(r#"<tag vocabulary="3" code="3.8"/>"#));
        assert!(out.contains(r#"<tag vocabulary="2" code="3"/>"#));
        assert!(out.contains(r#"<sector vocabulary="1" code="15190"/>"#));
    }
}
