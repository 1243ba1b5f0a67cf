//! The files as they are written: serde shapes that mirror docs/dataset-format.md one to one.
//! Nothing here is validated; `super::convert` turns these into domain values.

use serde::Deserialize;
use std::collections::BTreeMap;
use toml::Spanned;

/// A number as TOML gives it: whole numbers stay whole so that `4805.5` people can be refused.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(untagged)]
pub enum Num {
    Int(i64),
    Float(f64),
}

impl Num {
    pub fn as_f64(self) -> f64 {
        match self {
            Num::Int(i) => i as f64,
            Num::Float(f) => f,
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NetworkFile {
    pub network: Spanned<Network>,
    #[serde(default)]
    pub organisation: Vec<Spanned<Organisation>>,
    #[serde(default)]
    pub role: Vec<Spanned<Role>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Network {
    pub code: String,
    pub name: String,
    pub short_name: Option<String>,
    pub tagline: Option<String>,
    pub country: String,
    pub small_count_threshold: Option<i64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Organisation {
    pub code: String,
    pub short_name: Option<String>,
    pub name: String,
    pub kind: String,
    pub member: Option<bool>,
    pub parent: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Role {
    pub role: String,
    pub organisation: String,
    pub note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrameworkFile {
    pub framework: Spanned<Framework>,
    #[serde(default)]
    pub priority: Vec<Spanned<Priority>>,
    #[serde(default)]
    pub outcome: Vec<Spanned<Outcome>>,
    #[serde(default)]
    pub indicator: Vec<Spanned<Indicator>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Framework {
    pub version: String,
    pub title: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Priority {
    pub code: String,
    pub title: String,
    pub summary: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Outcome {
    pub code: String,
    pub priority: String,
    pub statement: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Indicator {
    pub code: String,
    pub outcome: String,
    pub statement: String,
    pub unit: Option<String>,
    pub kind: String,
    #[serde(default)]
    pub disaggregations: Vec<Disaggregation>,
    #[serde(default)]
    pub places: Vec<String>,
    #[serde(default)]
    pub gcm: Vec<i64>,
    #[serde(default)]
    pub sdg: Vec<String>,
    #[serde(default)]
    pub figure_source_required: bool,
    pub baseline: Option<Baseline>,
    #[serde(default)]
    pub targets: Vec<Target>,
    #[serde(default)]
    pub sensitive: bool,
    pub threshold: Option<i64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Disaggregation {
    pub key: String,
    pub label: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    pub value: Num,
    pub year: i64,
    pub note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Target {
    pub period: String,
    pub value: Num,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PledgesFile {
    #[serde(default)]
    pub pledge: Vec<Spanned<Pledge>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pledge {
    pub id: String,
    pub forum: String,
    pub made_by: Option<String>,
    pub text: String,
    pub wording: Option<String>,
    #[serde(default)]
    pub priorities: Vec<String>,
    pub source: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupsFile {
    #[serde(default)]
    pub group: Vec<Spanned<Group>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Group {
    pub code: String,
    pub name: String,
    pub established: Option<String>,
    pub status: Option<String>,
    pub renamed_to: Option<String>,
    pub renamed_in: Option<String>,
    #[serde(default)]
    pub co_chairs: Vec<String>,
    #[serde(default)]
    pub secretariat: Vec<String>,
    #[serde(default)]
    pub members: Vec<String>,
    pub members_note: Option<String>,
    #[serde(default)]
    pub description: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PeriodFile {
    pub period: Spanned<Period>,
    #[serde(default)]
    pub section: Vec<Spanned<Section>>,
    #[serde(default)]
    pub statistic: Vec<Spanned<Statistic>>,
    #[serde(default)]
    pub footnote: Vec<Spanned<Footnote>>,
    #[serde(default)]
    pub derived: Vec<Spanned<Derived>>,
    #[serde(default)]
    pub claim: Vec<Spanned<Claim>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Period {
    pub code: String,
    pub title: String,
    pub starts: Option<String>,
    pub ends: Option<String>,
    pub status: Option<String>,
    pub framework: String,
    pub introduction: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Section {
    pub priority: Option<String>,
    pub outcome: Option<String>,
    pub kind: String,
    pub text: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Statistic {
    pub id: String,
    pub label: String,
    pub value: Num,
    pub unit: Option<String>,
    pub display: Option<String>,
    pub qualifier: Option<String>,
    pub source: String,
    pub source_org: Option<String>,
    pub as_of: Option<String>,
    pub footnote: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Footnote {
    pub id: String,
    pub marker: Option<String>,
    pub text: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Derived {
    pub id: String,
    pub kind: String,
    pub from: Option<String>,
    pub to: Option<String>,
    pub part: Option<String>,
    pub whole: Option<String>,
    pub decimals: Option<i64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Claim {
    pub id: String,
    pub derived: String,
    pub published: Num,
    pub text: String,
    #[serde(rename = "where")]
    pub location: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FiguresFile {
    #[serde(default)]
    pub figure: Vec<Spanned<Figure>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Figure {
    pub id: String,
    pub indicator: String,
    #[serde(default)]
    pub organisations: Vec<String>,
    pub value: Option<Num>,
    pub achieved: Option<bool>,
    #[serde(default)]
    pub disaggregation: BTreeMap<String, Num>,
    #[serde(default)]
    pub places: Vec<String>,
    pub note: Option<String>,
    pub evidence: Option<String>,
    #[serde(default)]
    pub footnotes: Vec<String>,
    pub status: Option<String>,
    /// How a joint figure's value is obtained: reported | sum | max | declared_overlap | records.
    pub joint: Option<String>,
    /// Each organisation's own figure, for sum, max and declared_overlap.
    #[serde(default)]
    pub parts: BTreeMap<String, Num>,
    /// The people the organisations declare they both reached, for declared_overlap.
    pub overlap: Option<Num>,
    /// A CSV file of pseudonymous service records, relative to the dataset folder, for records.
    pub records: Option<String>,
    /// The indicator code used in the records (default: the figure's indicator).
    pub records_indicator: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HighlightsFile {
    #[serde(default)]
    pub line: Vec<Spanned<Line>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Line {
    pub outcome: String,
    #[serde(default)]
    pub figures: Vec<String>,
    pub text: String,
}
