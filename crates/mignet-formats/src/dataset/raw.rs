//! The files as they are written: serde shapes that mirror docs/dataset-format.md one to one.
//! Nothing here is validated; the reader's modules turn these into domain values.

use serde::Deserialize;
use serde::de::{DeserializeOwned, Deserializer, Visitor};
use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;
use toml::Spanned;

/// A number as TOML gives it: whole numbers stay whole so that `4805.5` people can be refused.
/// Read by hand rather than as an untagged enum, so that a wrong value is answered with what a
/// number is ("a number") instead of the enum's name.
#[derive(Debug, Clone, Copy)]
pub enum Num {
    Int(i64),
    Float(f64),
}

impl<'de> Deserialize<'de> for Num {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct NumVisitor;
        impl Visitor<'_> for NumVisitor {
            type Value = Num;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a number")
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Num, E> {
                Ok(Num::Int(v))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Num, E> {
                Ok(i64::try_from(v).map_or(Num::Float(v as f64), Num::Int))
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Num, E> {
                Ok(Num::Float(v))
            }
        }
        d.deserialize_any(NumVisitor)
    }
}

/// A figure's `value`: a number (`65000`) or the words a report used (`"over 65,000"`, `"100-130"`,
/// `"USD 19.1 million"`), read by `mignet_core::stated::read_value`.
#[derive(Debug, Clone)]
pub enum Value {
    Num(Num),
    Text(String),
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct ValueVisitor;
        impl Visitor<'_> for ValueVisitor {
            type Value = Value;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a number, or the value as the report writes it in quotes")
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Value, E> {
                Ok(Value::Num(Num::Int(v)))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Value, E> {
                Ok(Value::Num(
                    i64::try_from(v).map_or(Num::Float(v as f64), Num::Int),
                ))
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Value, E> {
                Ok(Value::Num(Num::Float(v)))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Value, E> {
                Ok(Value::Text(v.to_owned()))
            }
        }
        d.deserialize_any(ValueVisitor)
    }
}

/// A country code, or a list of them.
#[derive(Debug, Clone, Default)]
pub struct Countries(pub Vec<String>);

impl<'de> Deserialize<'de> for Countries {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Countries;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a country code such as \"KH\", or a list such as [\"TH\", \"MM\"]")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Countries, E> {
                Ok(Countries(vec![v.to_owned()]))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut a: A,
            ) -> Result<Countries, A::Error> {
                let mut out = Vec::new();
                while let Some(c) = a.next_element::<String>()? {
                    out.push(c);
                }
                Ok(Countries(out))
            }
        }
        d.deserialize_any(V)
    }
}

/// The entries of an array of tables (`[[figure]]` ...), each read on its own: an entry with a
/// field of the wrong shape is kept aside as [`Refused`] and the file's other entries are read, so
/// that one mistake is one error.
#[derive(Debug)]
pub struct Entries<T> {
    pub read: Vec<Spanned<T>>,
    pub refused: Vec<Refused>,
}

/// An entry that did not have the shape of its kind: where it is, its `id` or `code` when it has one (so that
/// what refers to it is not reported again), the field and serde's words for what was wrong.
#[derive(Debug)]
pub struct Refused {
    pub span: Range<usize>,
    pub id: Option<String>,
    pub field: String,
    pub problem: String,
}

impl<T> Default for Entries<T> {
    fn default() -> Self {
        Entries {
            read: Vec::new(),
            refused: Vec::new(),
        }
    }
}

impl<T> std::ops::Deref for Entries<T> {
    type Target = Vec<Spanned<T>>;
    fn deref(&self) -> &Self::Target {
        &self.read
    }
}

impl<'a, T> IntoIterator for &'a Entries<T> {
    type Item = &'a Spanned<T>;
    type IntoIter = std::slice::Iter<'a, Spanned<T>>;
    fn into_iter(self) -> Self::IntoIter {
        self.read.iter()
    }
}

impl<'de, T: DeserializeOwned> Deserialize<'de> for Entries<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let all: Vec<Spanned<toml::Value>> = Vec::deserialize(d)?;
        let mut out = Entries::default();
        for entry in all {
            let span = entry.span();
            let value = entry.into_inner();
            let id = ["id", "code"]
                .iter()
                .find_map(|k| value.get(k)?.as_str())
                .map(str::to_owned);
            match serde_path_to_error::deserialize::<_, T>(value) {
                Ok(t) => out.read.push(Spanned::new(span, t)),
                Err(e) => out.refused.push(Refused {
                    span,
                    id,
                    field: e.path().to_string(),
                    problem: e.into_inner().to_string(),
                }),
            }
        }
        Ok(out)
    }
}

/// The refused entries of a file, each with the name of its table (`figure`).
pub trait Refusals {
    fn refusals(&self) -> Vec<(&'static str, &Refused)>;
}

macro_rules! refusals {
    ($file:ty: $($field:ident),*) => {
        impl Refusals for $file {
            fn refusals(&self) -> Vec<(&'static str, &Refused)> {
                let mut out = Vec::new();
                $(out.extend(self.$field.refused.iter().map(|r| (stringify!($field), r)));)*
                out
            }
        }
    };
}
refusals!(NetworkFile: organisation, role);
refusals!(FrameworkFile: priority, outcome, indicator);
refusals!(PledgesFile: pledge);
refusals!(GroupsFile: group);
refusals!(PeriodFile: section, statistic, footnote, derived, claim);
refusals!(FiguresFile: figure);
refusals!(HighlightsFile: line);

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
    pub organisation: Entries<Organisation>,
    #[serde(default)]
    pub role: Entries<Role>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Network {
    pub code: String,
    pub name: String,
    pub short_name: Option<String>,
    pub tagline: Option<String>,
    /// One country, or several (either key takes either shape).
    pub country: Option<Countries>,
    pub countries: Option<Countries>,
    pub small_count_threshold: Option<i64>,
    pub separation_of_duties: Option<bool>,
    pub agency_approval: Option<bool>,
    pub time_zone: Option<String>,
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
    pub priority: Entries<Priority>,
    #[serde(default)]
    pub outcome: Entries<Outcome>,
    #[serde(default)]
    pub indicator: Entries<Indicator>,
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
    #[serde(default)]
    pub cumulative: bool,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PledgesFile {
    #[serde(default)]
    pub pledge: Entries<Pledge>,
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
    pub group: Entries<Group>,
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
    pub section: Entries<Section>,
    #[serde(default)]
    pub statistic: Entries<Statistic>,
    #[serde(default)]
    pub footnote: Entries<Footnote>,
    #[serde(default)]
    pub derived: Entries<Derived>,
    #[serde(default)]
    pub claim: Entries<Claim>,
    #[serde(default)]
    pub assignment: Entries<Assignment>,
}

/// `[[assignment]]`: one organisation and the indicators it reports on in the period.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Assignment {
    pub organisation: String,
    pub indicators: Vec<String>,
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
    /// The reporting round's dates (`YYYY-MM-DD`).
    pub opens: Option<String>,
    pub due: Option<String>,
    pub publishes: Option<String>,
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
    pub figure: Entries<Figure>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Figure {
    pub id: String,
    pub indicator: String,
    #[serde(default)]
    pub organisations: Vec<String>,
    pub value: Option<Value>,
    pub achieved: Option<bool>,
    /// How the report states the value, where `value` is a plain number: `over`, `nearly` ...
    pub qualifier: Option<String>,
    /// The top of a range whose bottom is `value`.
    pub high: Option<Num>,
    /// An ISO 4217 code; an indicator whose unit is one gives it to its figures.
    pub currency: Option<String>,
    pub numerator: Option<Num>,
    pub denominator: Option<Num>,
    /// Where a milestone stands: planned | ongoing | achieved | not_achieved | delayed.
    pub milestone: Option<String>,
    /// The milestone's date (2023, 2023-06 or 2023-06-30).
    pub date: Option<String>,
    #[serde(default)]
    pub cumulative: bool,
    #[serde(default)]
    pub in_words: bool,
    #[serde(default)]
    pub disaggregation: BTreeMap<String, Num>,
    #[serde(default)]
    pub places: Vec<String>,
    /// Named sites below the administrative areas (a hospital, a border crossing, a camp).
    #[serde(default)]
    pub sites: Vec<String>,
    /// A count of locations not named, and of the first-level areas they lie in.
    pub locations: Option<Num>,
    pub in_areas: Option<Num>,
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
    pub line: Entries<Line>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Line {
    pub outcome: String,
    #[serde(default)]
    pub figures: Vec<String>,
    pub text: String,
}

/// `translations.toml`: each `[[text]]` holds a text of the dataset as written (`en`) and its
/// translations, one field per language (`th = "..."`).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TranslationsFile {
    #[serde(default)]
    pub text: Entries<std::collections::BTreeMap<String, String>>,
}
refusals!(TranslationsFile: text);
