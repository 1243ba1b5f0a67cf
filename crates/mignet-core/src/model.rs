//! The domain model: everything a network's Highlights are made of, as plain values.
//!
//! A [`Dataset`] is the whole of one network's data: organisations, the results framework, pledges,
//! working groups and the periods with their figures and narrative. The store reads and writes it; the
//! checks and reports read it. Nothing here does I/O.

use crate::codes::{FrameworkCode, ItemId, OrgCode, PeriodCode, PlaceCode};
use serde::{Deserialize, Serialize};

/// A list written as one value or as several (`"TH"` or `["TH", "MM"]`).
fn one_or_many<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(String),
        Many(Vec<String>),
    }
    Ok(match OneOrMany::deserialize(d)? {
        OneOrMany::One(s) => vec![s],
        OneOrMany::Many(v) => v,
    })
}

/// The network itself.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Network {
    pub code: String,
    pub name: String,
    pub short_name: String,
    pub tagline: Option<String>,
    /// The network's country or countries, ISO 3166-1 two-letter codes, the first its home. Written
    /// `country = "TH"` or `countries = ["TH", "MM"]`; read from either.
    #[serde(alias = "country", deserialize_with = "one_or_many")]
    pub countries: Vec<String>,
    /// Below this count, a figure of a sensitive indicator is not published exactly
    /// ([`crate::disclosure`]); an indicator may set its own.
    #[serde(default = "crate::disclosure::default_threshold")]
    pub small_count_threshold: u64,
    /// Separation of duties: a figure is approved by someone other than the person who entered or
    /// imported its content (`separation_of_duties = true` in network.toml; off by default).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub separation_of_duties: bool,
    /// Two levels of approval: a focal point's submitted figure is approved by its own agency's
    /// approver before it reaches the network's coordinator (`agency_approval = true` in
    /// network.toml; off by default).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub agency_approval: bool,
    /// The time zone the network's people read times in (an IANA name such as `Asia/Bangkok`);
    /// UTC without one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_zone: Option<String>,
}

impl Network {
    /// The network's home country (the first it names).
    pub fn country(&self) -> &str {
        self.countries.first().map_or("", String::as_str)
    }
}

/// An administrative area of a network's own gazetteer, in the humanitarian common operational
/// datasets' convention (COD-AB): a P-code, names, the area it lies in and its level (1 to 3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Area {
    pub pcode: String,
    pub name: String,
    pub local_name: Option<String>,
    /// The P-code of the area one level up; for level 1, an ISO 3166-2 code or nothing.
    pub parent: Option<String>,
    pub level: u8,
}

/// A network's gazetteer (`places.csv`) and the boundaries of its areas (`boundaries.geojson`, a
/// FeatureCollection whose features carry a `pcode` property), both optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Gazetteer {
    pub areas: Vec<Area>,
    /// The GeoJSON text as given, for the map.
    pub boundaries: Option<String>,
}

impl Gazetteer {
    pub fn is_empty(&self) -> bool {
        self.areas.is_empty() && self.boundaries.is_none()
    }
    pub fn area(&self, pcode: &str) -> Option<&Area> {
        self.areas.iter().find(|a| a.pcode == pcode)
    }
    /// Every place code a network of `countries` with this gazetteer may name: the ISO 3166-2
    /// subdivisions of its countries, at any level, and the gazetteer's P-codes.
    pub fn codes<'a>(&'a self, countries: &'a [String]) -> impl Iterator<Item = &'a str> {
        countries
            .iter()
            .flat_map(|c| crate::places::subdivisions(c).map(|s| s.code.as_str()))
            .chain(self.areas.iter().map(|a| a.pcode.as_str()))
    }
    /// Whether `code` is one of [`Gazetteer::codes`].
    pub fn knows(&self, countries: &[String], code: &str) -> bool {
        // ISO codes first, by their index: a P-code is never written as one (`rules::gazetteer`),
        // and the gazetteer is searched only for what is not.
        match crate::places::subdivision(code) {
            Some(s) => countries.iter().any(|c| c == s.country()),
            None => self.area(code).is_some(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrgKind {
    UnAgency,
    Government,
    Ngo,
    Coalition,
    Other,
}

/// A member or partner of the network.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Organisation {
    pub code: OrgCode,
    /// How reports print it (`UN Women`).
    pub short_name: String,
    pub name: String,
    pub kind: OrgKind,
    /// Members report figures; partners (a coalition, a ministry) are named but are not members.
    pub member: bool,
    pub parent: Option<OrgCode>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RoleKind {
    Coordinator,
    Secretariat,
    CoChair,
}

/// A role an organisation holds in the network.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Role {
    pub role: RoleKind,
    pub organisation: OrgCode,
    pub note: Option<String>,
}

/// The results framework: priorities -> outcomes -> indicators, under one version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Framework {
    pub version: String,
    pub title: Option<String>,
    pub priorities: Vec<Priority>,
    pub outcomes: Vec<Outcome>,
    pub indicators: Vec<Indicator>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Priority {
    pub code: FrameworkCode,
    pub title: String,
    pub summary: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Outcome {
    pub code: FrameworkCode,
    pub priority: FrameworkCode,
    pub statement: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IndicatorKind {
    Count,
    Percentage,
    /// Done or not done, with no number ("COVID-19 Hotline maintained").
    Milestone,
}

/// A part of an indicator's whole that figures may report ("including 2,233 children").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Disaggregation {
    pub key: String,
    pub label: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Baseline {
    pub value: f64,
    pub year: i32,
    pub note: Option<String>,
}

/// What an indicator aims at. An annual target is the period's own aim, compared with what the period
/// reports; a cumulative one (`cumulative = true`) is an aim for everything reported from the baseline
/// year (or the first period) up to its period, and the periods before it show progress towards it
/// ([`crate::progress`]). A milestone's target is 1: achieved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Target {
    pub period: PeriodCode,
    pub value: f64,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub cumulative: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Indicator {
    pub code: FrameworkCode,
    pub outcome: FrameworkCode,
    pub statement: String,
    pub unit: String,
    pub kind: IndicatorKind,
    pub disaggregations: Vec<Disaggregation>,
    pub places: Vec<PlaceCode>,
    /// Global Compact for Migration objectives (1..=23).
    pub gcm: Vec<u8>,
    /// SDG targets (`10.7`).
    pub sdg: Vec<String>,
    /// Every figure must carry an evidence link.
    pub figure_source_required: bool,
    pub baseline: Option<Baseline>,
    pub targets: Vec<Target>,
    /// Counts that could identify people (victims of trafficking, detained children): below the
    /// threshold, public outputs print "fewer than N" instead ([`crate::disclosure`]).
    #[serde(default)]
    pub sensitive: bool,
    /// This indicator's own threshold; without one, the network's.
    #[serde(default)]
    pub threshold: Option<u64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Wording {
    Verbatim,
    Paraphrase,
}

/// A government commitment, linked to the priorities it concerns.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Pledge {
    pub id: ItemId,
    pub forum: String,
    pub made_by: Option<OrgCode>,
    pub text: String,
    pub wording: Wording,
    pub priorities: Vec<FrameworkCode>,
    pub source: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GroupStatus {
    Active,
    Renamed,
    Closed,
}

/// A sub-working group of the network.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WorkingGroup {
    pub code: ItemId,
    pub name: String,
    pub established: Option<String>,
    pub status: GroupStatus,
    pub renamed_to: Option<String>,
    pub renamed_in: Option<String>,
    pub co_chairs: Vec<OrgCode>,
    pub secretariat: Vec<OrgCode>,
    pub members: Vec<OrgCode>,
    pub members_note: Option<String>,
    pub description: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PeriodStatus {
    Open,
    Closed,
}

/// A reporting period and its own metadata.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Period {
    pub code: PeriodCode,
    pub title: String,
    pub starts: Option<String>,
    pub ends: Option<String>,
    pub status: PeriodStatus,
    pub framework: String,
    pub introduction: Option<String>,
    /// The reporting round: when it opens, when figures are due, when the edition is published,
    /// and who reports on what. Empty for a period written before rounds existed.
    #[serde(default, skip_serializing_if = "Round::is_empty")]
    pub round: Round,
}

/// A period's reporting round (`mignet_core::completeness` reads it). Dates are `YYYY-MM-DD`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Round {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opens: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publishes: Option<String>,
    /// Which organisation reports on which indicator, as DHIS2 assigns data sets to organisation
    /// units; in the order written.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub assignments: Vec<Assignment>,
}

impl Round {
    pub fn is_empty(&self) -> bool {
        self == &Round::default()
    }
}

/// One organisation's duty to report on one indicator in a period.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Assignment {
    pub organisation: OrgCode,
    pub indicator: FrameworkCode,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SectionKind {
    /// Context: what happened around the network's work, usually with statistics.
    Context,
    /// The sentence that leads into a priority's outcomes.
    Lead,
    WaysForward,
    Closing,
}

/// A block of narrative text in a period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Section {
    pub priority: Option<FrameworkCode>,
    pub outcome: Option<FrameworkCode>,
    pub kind: SectionKind,
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Display {
    Plain,
    Millions,
    Percent,
}

/// A number from outside the network (vaccine doses from the Ministry of Public Health).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Statistic {
    pub id: ItemId,
    pub label: String,
    pub value: f64,
    pub unit: Option<String>,
    pub display: Display,
    pub qualifier: Option<String>,
    pub source: String,
    pub source_org: Option<OrgCode>,
    pub as_of: Option<String>,
    pub footnote: Option<ItemId>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Footnote {
    pub id: ItemId,
    /// A fixed marker (`*`); without one, footnotes are numbered in order of first use.
    pub marker: Option<String>,
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DerivedKind {
    /// `(to - from) / from`, in per cent.
    PercentChange,
    /// `to - from`.
    Difference,
    /// `part / whole`, in per cent.
    Share,
    /// `part / whole`, in per cent, where the whole is a population to be covered.
    Coverage,
}

/// A figure computed from stored numbers; never typed in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Derived {
    pub id: ItemId,
    pub kind: DerivedKind,
    /// The two operands: `from` and `to`, or `part` and `whole`.
    pub a: ItemId,
    pub b: ItemId,
    pub decimals: u8,
}

/// A number as it was published in narrative text, kept so that it can be checked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Claim {
    pub id: ItemId,
    pub derived: ItemId,
    pub published: f64,
    pub text: String,
    pub location: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FigureStatus {
    Draft,
    Submitted,
    Approved,
    Returned,
}

impl FigureStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Submitted => "submitted",
            Self::Approved => "approved",
            Self::Returned => "returned",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "draft" => Self::Draft,
            "submitted" => Self::Submitted,
            "approved" => Self::Approved,
            "returned" => Self::Returned,
            _ => return None,
        })
    }
}

/// What a figure says.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FigureValue {
    Count {
        value: u64,
    },
    Percentage {
        value: f64,
    },
    Milestone {
        achieved: bool,
    },
    /// A count below `below` of a sensitive indicator, as the public sees it: made only by
    /// [`crate::disclosure::protect`], never stored.
    Withheld {
        below: u64,
    },
}

impl FigureValue {
    /// The number, where the figure has one.
    pub fn number(&self) -> Option<f64> {
        match *self {
            Self::Count { value } => Some(value as f64),
            Self::Percentage { value } => Some(value),
            Self::Milestone { .. } | Self::Withheld { .. } => None,
        }
    }
}

/// The value an organisation, or several jointly, reports for an indicator in a period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Figure {
    pub id: ItemId,
    pub indicator: FrameworkCode,
    /// One organisation, or several for a joint figure, which is counted once.
    pub organisations: Vec<OrgCode>,
    pub value: FigureValue,
    /// Parts of the whole, by the indicator's disaggregation keys.
    pub disaggregation: Vec<(String, u64)>,
    /// Where the work was: ISO 3166-2 subdivisions of the network's countries or P-codes of its
    /// gazetteer, at any level.
    pub places: Vec<PlaceCode>,
    /// Named sites that are no administrative area: a hospital, a border crossing, a camp.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sites: Vec<String>,
    /// How many locations the work was in, without naming them ("12 locations ...").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locations: Option<u64>,
    /// ... and in how many first-level areas they lie ("... in 4 provinces").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub in_areas: Option<u64>,
    pub note: Option<String>,
    pub evidence: Option<String>,
    pub footnotes: Vec<ItemId>,
    pub status: FigureStatus,
    /// Who set the status, and when (RFC 3339).
    pub status_by: Option<String>,
    pub status_at: Option<String>,
    /// How a joint figure's value was obtained (always `Reported` for one organisation). Absent in
    /// data written before methods existed, which were all typed jointly.
    #[serde(default)]
    pub joint: crate::joint::JointMethod,
    /// Parts left out of `disaggregation` in a public view ([`crate::disclosure::protect`]): the key
    /// and, for a small count, the threshold it is below (`None`: withheld so that another part
    /// cannot be computed from the total). Always empty in the store.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub withheld_parts: Vec<(String, Option<u64>)>,
    /// How the source states the value beyond its number: "over", a range, a currency, a
    /// milestone's status ([`crate::stated`]).
    #[serde(default, skip_serializing_if = "crate::stated::Stated::is_plain")]
    pub stated: crate::stated::Stated,
}

impl Figure {
    pub fn is_joint(&self) -> bool {
        self.organisations.len() > 1
    }
    pub fn part(&self, key: &str) -> Option<u64> {
        self.disaggregation
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| *v)
    }
}

/// A line of the Highlights brief, quoting one or more figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Line {
    pub outcome: FrameworkCode,
    pub figures: Vec<ItemId>,
    pub text: String,
}

/// One period's data: the figures and everything written around them.
#[cfg(test)]
impl Figure {
    /// A plain count of one on `P1.O1.I01` by `orgs`, for the core's tests.
    pub(crate) fn sample(orgs: &[&str], status: FigureStatus) -> Figure {
        Figure {
            id: crate::ItemId::parse("F").unwrap(),
            indicator: crate::FrameworkCode::parse("P1.O1.I01").unwrap(),
            organisations: orgs.iter().map(|o| OrgCode::parse(o).unwrap()).collect(),
            value: FigureValue::Count { value: 1 },
            disaggregation: vec![],
            places: vec![],
            sites: Vec::new(),
            locations: None,
            in_areas: None,
            note: None,
            evidence: None,
            footnotes: vec![],
            status,
            status_by: None,
            status_at: None,
            joint: Default::default(),
            withheld_parts: Vec::new(),
            stated: Default::default(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PeriodData {
    pub period: Period,
    pub sections: Vec<Section>,
    pub statistics: Vec<Statistic>,
    pub footnotes: Vec<Footnote>,
    pub derived: Vec<Derived>,
    pub claims: Vec<Claim>,
    pub figures: Vec<Figure>,
    pub lines: Vec<Line>,
}

impl PeriodData {
    pub fn figure(&self, id: &str) -> Option<&Figure> {
        self.figures.iter().find(|f| f.id.as_str() == id)
    }
    pub fn statistic(&self, id: &str) -> Option<&Statistic> {
        self.statistics.iter().find(|s| s.id.as_str() == id)
    }
    pub fn derived(&self, id: &str) -> Option<&Derived> {
        self.derived.iter().find(|d| d.id.as_str() == id)
    }
    pub fn footnote(&self, id: &str) -> Option<&Footnote> {
        self.footnotes.iter().find(|f| f.id.as_str() == id)
    }
}

/// The whole of one network's data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dataset {
    pub network: Network,
    pub organisations: Vec<Organisation>,
    pub roles: Vec<Role>,
    pub framework: Framework,
    pub pledges: Vec<Pledge>,
    pub groups: Vec<WorkingGroup>,
    pub periods: Vec<PeriodData>,
    /// The network's own administrative areas and their boundaries, where it supplies them.
    #[serde(default, skip_serializing_if = "Gazetteer::is_empty")]
    pub gazetteer: Gazetteer,
    /// The dataset's texts in other languages ([`crate::translate`]).
    #[serde(
        default,
        skip_serializing_if = "crate::translate::Translations::is_empty"
    )]
    pub translations: crate::translate::Translations,
}

/// Units that count people (rather than officials trained, reports, hotlines ...): what a chart of
/// "people reached" may put on one axis.
pub const PEOPLE_UNITS: &[&str] = &[
    "migrants",
    "people",
    "beneficiaries",
    "stakeholders",
    "children",
    "migrant workers",
    "vulnerable migrants",
];

impl Indicator {
    /// Whether the indicator counts people ([`PEOPLE_UNITS`]).
    pub fn counts_people(&self) -> bool {
        self.kind == IndicatorKind::Count && PEOPLE_UNITS.contains(&self.unit.as_str())
    }
}

impl Dataset {
    /// The follow-up of a pledge in a period: how many approved figures were reported under the
    /// priorities the pledge concerns.
    pub fn pledge_follow_up(&self, pledge: &Pledge, period: &PeriodData) -> usize {
        period
            .figures
            .iter()
            .filter(|f| f.status == FigureStatus::Approved)
            .filter(|f| {
                self.indicator(f.indicator.as_str())
                    .and_then(|i| self.outcome(i.outcome.as_str()))
                    .is_some_and(|o| pledge.priorities.contains(&o.priority))
            })
            .count()
    }

    /// A place's English name: ISO 3166-2's for a subdivision ([`crate::places::name`]), the
    /// gazetteer's for a P-code, else the code itself.
    pub fn place_name<'a>(&'a self, code: &'a str) -> &'a str {
        crate::places::name(code)
            .or_else(|| self.gazetteer.area(code).map(|a| a.name.as_str()))
            .unwrap_or(code)
    }
    /// A place's name in the local language, where the gazetteer or the bundled tables have one.
    pub fn place_local_name(&self, code: &str) -> Option<&str> {
        if crate::places::subdivision(code).is_some() {
            return crate::places::local_name(code);
        }
        self.gazetteer.area(code)?.local_name.as_deref()
    }
    /// The places that hold `code`, nearest first: its gazetteer parents, then the ISO 3166-2
    /// subdivisions above (a township's district, region and the region's ISO code).
    pub fn place_ancestors(&self, code: &str) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        let mut at = code.to_owned();
        // At most a few levels; the bound keeps a malformed chain from looping.
        for _ in 0..8 {
            let up = match crate::places::subdivision(&at) {
                Some(s) => s.parent.clone(),
                None => self.gazetteer.area(&at).and_then(|a| a.parent.clone()),
            };
            match up.filter(|u| !u.is_empty() && !out.contains(u) && *u != code) {
                Some(u) => {
                    out.push(u.clone());
                    at = u;
                }
                None => break,
            }
        }
        out
    }
    /// Every place code the network may name ([`Gazetteer::codes`]).
    pub fn place_codes(&self) -> impl Iterator<Item = &str> {
        self.gazetteer.codes(&self.network.countries)
    }
    /// Whether the network may name `code` ([`Gazetteer::knows`]).
    pub fn knows_place(&self, code: &str) -> bool {
        self.gazetteer.knows(&self.network.countries, code)
    }
    /// What a list of places is called: the country's word for its first-level areas when every
    /// place is one (`provinces` in Thailand), else `places`.
    pub fn places_word<'a>(
        &self,
        codes: impl IntoIterator<Item = &'a PlaceCode>,
    ) -> crate::places::AreaWord {
        let top = codes
            .into_iter()
            .all(|p| crate::places::subdivision(p.as_str()).is_some_and(|s| s.parent.is_none()));
        if top {
            self.area_word()
        } else {
            crate::places::AreaWord {
                one: "place".into(),
                many: "places".into(),
            }
        }
    }
    /// The places of a network are drawn on the bundled map of Thailand: a network of Thailand alone
    /// whose gazetteer brings no boundaries of its own.
    pub fn has_thailand_map(&self) -> bool {
        self.network.countries == ["TH"] && self.gazetteer.boundaries.is_none()
    }
    /// `12 locations in 4 provinces`, for a figure that counts its places without naming them.
    pub fn counted_places(&self, f: &Figure) -> Option<String> {
        let n = f.locations?;
        let locations = format!(
            "{} location{}",
            crate::numbers::group(n as f64, 0),
            if n == 1 { "" } else { "s" }
        );
        Some(match f.in_areas {
            Some(a) => format!("{locations} in {}", self.area_word().count(a)),
            None => locations,
        })
    }
    /// How the network's briefs speak of its first-level areas (`provinces`, `regions/states`).
    pub fn area_word(&self) -> crate::places::AreaWord {
        crate::places::area_word(&self.network.countries)
    }

    pub fn organisation(&self, code: &str) -> Option<&Organisation> {
        self.organisations.iter().find(|o| o.code.as_str() == code)
    }
    pub fn indicator(&self, code: &str) -> Option<&Indicator> {
        self.framework
            .indicators
            .iter()
            .find(|i| i.code.as_str() == code)
    }
    pub fn outcome(&self, code: &str) -> Option<&Outcome> {
        self.framework
            .outcomes
            .iter()
            .find(|o| o.code.as_str() == code)
    }
    pub fn pledge(&self, id: &str) -> Option<&Pledge> {
        self.pledges.iter().find(|p| p.id.as_str() == id)
    }
    pub fn period(&self, code: &str) -> Option<&PeriodData> {
        self.periods.iter().find(|p| p.period.code.as_str() == code)
    }
    /// The latest period open for reporting, where new figures go.
    pub fn latest_open_period(&self) -> Option<&PeriodData> {
        self.periods
            .iter()
            .rev()
            .find(|p| p.period.status == PeriodStatus::Open)
    }
}
