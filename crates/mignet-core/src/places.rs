//! Countries and their subdivisions, for every country: ISO 3166-1 and ISO 3166-2 as Debian's
//! iso-codes lists them, bundled in `data/` (see `data/NOTICE` for the source and its licence) and
//! read once, on first use. Also the word a brief uses for a country's first-level areas
//! ("provinces", "regions", "states"), taken from the subdivision types iso-codes gives.
//!
//! A network's own gazetteer of administrative areas (P-codes) is part of its data
//! ([`crate::model::Gazetteer`]); whether a place code belongs to a network is decided in
//! [`crate::rules`], with these tables and that gazetteer.

use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

/// A country of ISO 3166-1.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Country {
    pub alpha_2: String,
    pub alpha_3: String,
    /// The common name where iso-codes gives one (`Bolivia`), else the official short name.
    pub name: String,
}

/// A subdivision of ISO 3166-2, at any level iso-codes lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subdivision {
    /// `TH-10`, `MM-06`, `GB-ENG`.
    pub code: String,
    pub name: String,
    /// What the country calls it (`Province`, `Region`, `State`).
    pub kind: String,
    /// The whole code of the subdivision it lies in, for a lower level.
    pub parent: Option<String>,
}

impl Subdivision {
    /// The country's two letters.
    pub fn country(&self) -> &str {
        self.code.split('-').next().unwrap_or("")
    }
}

struct Tables {
    countries: Vec<Country>,
    by_alpha_2: HashMap<String, usize>,
    subdivisions: Vec<Subdivision>,
    by_code: HashMap<String, usize>,
}

#[derive(Deserialize)]
struct File1 {
    #[serde(rename = "3166-1")]
    list: Vec<RawCountry>,
}

#[derive(Deserialize)]
struct RawCountry {
    alpha_2: String,
    alpha_3: String,
    name: String,
    common_name: Option<String>,
}

#[derive(Deserialize)]
struct File2 {
    #[serde(rename = "3166-2")]
    list: Vec<RawSubdivision>,
}

#[derive(Deserialize)]
struct RawSubdivision {
    code: String,
    name: String,
    #[serde(rename = "type")]
    kind: String,
    parent: Option<String>,
}

fn tables() -> &'static Tables {
    static TABLES: OnceLock<Tables> = OnceLock::new();
    TABLES.get_or_init(|| {
        // The files are part of the crate and checked by its tests: failing to read them is a
        // broken build, not a runtime condition.
        let c: File1 = serde_json::from_str(include_str!("../data/iso_3166-1.json"))
            .expect("data/iso_3166-1.json is iso-codes' JSON");
        let s: File2 = serde_json::from_str(include_str!("../data/iso_3166-2.json"))
            .expect("data/iso_3166-2.json is iso-codes' JSON");
        let countries: Vec<Country> = c
            .list
            .into_iter()
            .map(|r| Country {
                alpha_2: r.alpha_2,
                alpha_3: r.alpha_3,
                name: r.common_name.unwrap_or(r.name),
            })
            .collect();
        let subdivisions: Vec<Subdivision> = s
            .list
            .into_iter()
            .map(|r| {
                // iso-codes writes a parent without its country (`NX` for `AZ-NX`).
                let country = r.code.split('-').next().unwrap_or("").to_owned();
                Subdivision {
                    parent: r.parent.map(|p| format!("{country}-{p}")),
                    code: r.code,
                    name: r.name,
                    kind: r.kind,
                }
            })
            .collect();
        Tables {
            by_alpha_2: countries
                .iter()
                .enumerate()
                .map(|(i, c)| (c.alpha_2.clone(), i))
                .collect(),
            by_code: subdivisions
                .iter()
                .enumerate()
                .map(|(i, s)| (s.code.clone(), i))
                .collect(),
            countries,
            subdivisions,
        }
    })
}

/// The country with these two letters (`TH`), if ISO 3166-1 has it.
pub fn country(alpha_2: &str) -> Option<&'static Country> {
    let t = tables();
    t.by_alpha_2.get(alpha_2).map(|&i| &t.countries[i])
}

/// Every country of ISO 3166-1.
pub fn countries() -> &'static [Country] {
    &tables().countries
}

/// The country with these three letters (`THA`): what someone who wrote three letters meant.
pub fn country_by_alpha_3(alpha_3: &str) -> Option<&'static Country> {
    countries()
        .iter()
        .find(|c| c.alpha_3.eq_ignore_ascii_case(alpha_3))
}

/// The subdivision with this code (`MM-06`), at any level.
pub fn subdivision(code: &str) -> Option<&'static Subdivision> {
    let t = tables();
    t.by_code.get(code).map(|&i| &t.subdivisions[i])
}

/// The subdivisions of one country, at every level, in iso-codes' order.
pub fn subdivisions(country: &str) -> impl Iterator<Item = &'static Subdivision> + '_ {
    tables()
        .subdivisions
        .iter()
        .filter(move |s| s.country() == country)
}

/// Whether `code` is written as an ISO 3166-2 code (a country's two letters and `-`) that ISO
/// 3166-2 does not have: a mistake whatever the network, which a reader without the network at
/// hand can already refuse. (A gazetteer's P-codes are never written so: `rules::gazetteer`.)
pub fn unknown_iso(code: &str) -> bool {
    code.split_once('-')
        .is_some_and(|(c, _)| c.len() == 2 && country(c).is_some())
        && subdivision(code).is_none()
}

/// ` (did you mean `TH-10`?)` for an ISO-shaped code, from its country's subdivisions.
pub fn did_you_mean_iso(code: &str) -> String {
    let country = code.split('-').next().unwrap_or("");
    crate::suggest::did_you_mean(code, subdivisions(country).map(|s| s.code.as_str()))
}

/// The English name of a subdivision. For Thailand, the names the bundled example has always
/// printed (`Bangkok` where iso-codes has `Krung Thep Maha Nakhon`), from [`crate::provinces`].
pub fn name(code: &str) -> Option<&'static str> {
    crate::provinces::PROVINCES
        .iter()
        .find(|(c, _, _)| *c == code)
        .map(|(_, en, _)| *en)
        .or_else(|| subdivision(code).map(|s| s.name.as_str()))
}

/// The name in the country's own language, where one is bundled (Thailand's provinces).
pub fn local_name(code: &str) -> Option<&'static str> {
    crate::provinces::PROVINCES
        .iter()
        .find(|(c, _, _)| *c == code)
        .map(|(_, _, local)| *local)
}

/// How a brief speaks of first-level areas: one and several (`province`, `provinces`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AreaWord {
    pub one: String,
    pub many: String,
}

impl AreaWord {
    /// `1 province`, `4 provinces`.
    pub fn count(&self, n: u64) -> String {
        format!("{n} {}", if n == 1 { &self.one } else { &self.many })
    }
    /// The plural with a capital, to head a list (`Provinces`).
    pub fn heading(&self) -> String {
        capital(&self.many)
    }
    /// The singular with a capital, to head a column of codes (`Province`).
    pub fn heading_one(&self) -> String {
        capital(&self.one)
    }
}

fn capital(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// The word for the first-level areas of `countries`: the commonest type iso-codes gives their
/// subdivisions that lie in no other (`Province` for Thailand, where Bangkok and Pattaya have types
/// of their own); where types tie, each of them (`region/state` for Myanmar). `area` for a country
/// without subdivisions.
pub fn area_word<S: AsRef<str>>(countries: &[S]) -> AreaWord {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for c in countries {
        for s in subdivisions(c.as_ref()).filter(|s| s.parent.is_none()) {
            *counts.entry(s.kind.to_lowercase()).or_default() += 1;
        }
    }
    let most = counts.values().copied().max().unwrap_or(0);
    let top: Vec<&String> = counts
        .iter()
        .filter(|(_, n)| **n == most)
        .map(|(k, _)| k)
        .collect();
    if top.is_empty() {
        return AreaWord {
            one: "area".into(),
            many: "areas".into(),
        };
    }
    AreaWord {
        one: top.iter().map(|k| k.as_str()).collect::<Vec<_>>().join("/"),
        many: top.iter().map(|k| plural(k)).collect::<Vec<_>>().join("/"),
    }
}

/// The English plural of a type's last word (`union territory` -> `union territories`).
fn plural(word: &str) -> String {
    let vowel_before_y = word
        .strip_suffix('y')
        .and_then(|w| w.chars().last())
        .is_some_and(|c| "aeiou".contains(c));
    if word.ends_with('y') && !vowel_before_y {
        format!("{}ies", &word[..word.len() - 1])
    } else if ["s", "sh", "ch", "x", "z"]
        .iter()
        .any(|e| word.ends_with(e))
    {
        format!("{word}es")
    } else {
        format!("{word}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_country_and_its_subdivisions_are_bundled() {
        assert!(countries().len() >= 249, "{}", countries().len());
        assert_eq!(country("MM").unwrap().name, "Myanmar");
        assert_eq!(country("TH").unwrap().alpha_3, "THA");
        assert_eq!(country_by_alpha_3("khm").unwrap().alpha_2, "KH");
        assert!(country("XX").is_none());
        assert_eq!(subdivisions("TH").count(), 78);
        assert_eq!(subdivision("MM-06").unwrap().name, "Yangon");
        assert_eq!(subdivision("MM-06").unwrap().kind, "Region");
        // A lower level, with its parent written whole.
        assert_eq!(
            subdivision("AZ-BAB").unwrap().parent.as_deref(),
            Some("AZ-NX")
        );
        assert!(subdivision("MM-99").is_none());
    }

    #[test]
    fn thailand_keeps_the_names_its_briefs_print() {
        assert_eq!(name("TH-10"), Some("Bangkok"));
        assert_eq!(local_name("TH-10"), Some("กรุงเทพมหานคร"));
        assert_eq!(name("KH-12"), Some("Phnom Penh"));
        assert_eq!(local_name("KH-12"), None);
    }

    #[test]
    fn the_area_word_follows_the_country() {
        assert_eq!(area_word(&["TH"]).count(4), "4 provinces");
        assert_eq!(area_word(&["TH"]).count(1), "1 province");
        assert_eq!(area_word(&["MM"]).many, "regions/states");
        assert_eq!(area_word(&["PH"]).many, "regions");
        assert_eq!(area_word(&["NG"]).many, "states");
        assert_eq!(area_word(&["AQ"]).count(2), "2 areas");
        assert_eq!(plural("union territory"), "union territories");
        assert_eq!(plural("parish"), "parishes");
        assert_eq!(plural("council area"), "council areas");
    }
}
