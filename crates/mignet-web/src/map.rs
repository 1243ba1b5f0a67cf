//! Maps of a network's places, drawn as SVG on the server: Thailand's provinces from the embedded
//! GeoJSON, or the areas of a network's own `boundaries.geojson` (features with a `pcode`).
//!
//! Written by hand because it is one projection and one path per polygon: an equirectangular
//! projection corrected for the latitude of the map's middle is exact enough for a country (or a
//! few neighbouring ones), and no map crate is needed for it. A network without boundaries has no
//! map: its pages list the places instead.

use std::collections::BTreeMap;
use std::sync::OnceLock;

const GEOJSON: &str = include_str!("../assets/th-provinces-simplified-apisit.geojson");
const WIDTH: f64 = 360.0;

/// One area's outline as an SVG path, with its code and name.
#[derive(Clone)]
pub struct Area {
    pub code: String,
    pub name: String,
    pub path: String,
}

#[derive(Clone)]
pub struct Map {
    /// What the map shows, for its alternative text (`Thailand`).
    pub of: String,
    pub areas: Vec<Area>,
    pub height: f64,
}
/// A province's outline: rings of (longitude, latitude) points.
type Rings = Vec<Vec<(f64, f64)>>;

fn rings(geometry: &serde_json::Value) -> Rings {
    let coords = &geometry["coordinates"];
    let polygons: Vec<&serde_json::Value> = match geometry["type"].as_str() {
        Some("Polygon") => vec![coords],
        Some("MultiPolygon") => coords
            .as_array()
            .map(|a| a.iter().collect())
            .unwrap_or_default(),
        _ => Vec::new(),
    };
    polygons
        .into_iter()
        .flat_map(|p| p.as_array().cloned().unwrap_or_default())
        .map(|ring| {
            ring.as_array()
                .map(|pts| {
                    pts.iter()
                        .filter_map(|pt| Some((pt[0].as_f64()?, pt[1].as_f64()?)))
                        .collect()
                })
                .unwrap_or_default()
        })
        .collect()
}

/// Projects the areas' rings onto a map [`WIDTH`] wide.
fn project(of: String, all: Vec<(String, String, Rings)>) -> Map {
    let pts = all.iter().flat_map(|(_, _, r)| r.iter().flatten());
    let (mut x0, mut x1, mut y0, mut y1) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
    for &(x, y) in pts {
        x0 = x0.min(x);
        x1 = x1.max(x);
        y0 = y0.min(y);
        y1 = y1.max(y);
    }
    if x0 > x1 || y0 > y1 {
        return Map {
            of,
            areas: Vec::new(),
            height: WIDTH,
        };
    }
    let k = ((y0 + y1) / 2.0).to_radians().cos();
    // A single point, or a line, is given some width rather than a division by zero.
    let scale = WIDTH / ((x1 - x0) * k).max(1e-6);
    let height = ((y1 - y0) * scale).clamp(1.0, 4.0 * WIDTH);
    let areas = all
        .into_iter()
        .map(|(code, name, rings)| {
            let mut path = String::new();
            for ring in rings {
                for (i, (x, y)) in ring.iter().enumerate() {
                    let px = (x - x0) * k * scale;
                    let py = (y1 - y) * scale;
                    path.push_str(&format!(
                        "{}{:.1} {:.1}",
                        if i == 0 { "M" } else { "L" },
                        px,
                        py
                    ));
                }
                path.push('Z');
            }
            Area { code, name, path }
        })
        .collect();
    Map { of, areas, height }
}

/// The bundled map of Thailand's provinces, built once.
pub fn thailand() -> &'static Map {
    static MAP: OnceLock<Map> = OnceLock::new();
    MAP.get_or_init(|| {
        let doc: serde_json::Value =
            serde_json::from_str(GEOJSON).expect("the embedded map is valid GeoJSON");
        let features = doc["features"].as_array().cloned().unwrap_or_default();
        let codes: BTreeMap<&str, &str> = crate::map_names::MAP_NAMES.iter().copied().collect();
        let all = features
            .iter()
            .filter_map(|f| {
                let name = f["properties"]["name"].as_str()?;
                let code = *codes.get(name)?;
                Some((code.to_owned(), name.to_owned(), rings(&f["geometry"])))
            })
            .collect();
        project("Thailand".to_owned(), all)
    })
}

/// The map of a network's own boundaries (checked when the dataset was read: a FeatureCollection
/// of polygons with a `pcode` property each), its areas named by `name`.
pub fn of_boundaries(of: String, geojson: &str, name: impl Fn(&str) -> String) -> Map {
    let doc: serde_json::Value = serde_json::from_str(geojson).unwrap_or_default();
    let empty = Vec::new();
    let all = doc["features"]
        .as_array()
        .unwrap_or(&empty)
        .iter()
        .filter_map(|f| {
            let code = f["properties"]["pcode"].as_str()?;
            Some((code.to_owned(), name(code), rings(&f["geometry"])))
        })
        .collect();
    project(of, all)
}

impl Map {
    /// The map as a standalone SVG document (served as an image, so its colours are attributes,
    /// not the page's CSS): areas in `highlight` are filled, each with a title for pointers.
    pub fn svg(&self, highlight: &BTreeMap<String, usize>, label: &str) -> String {
        let mut out = format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {WIDTH} {:.0}\" role=\"img\" aria-labelledby=\"map-title\" class=\"map\"><title id=\"map-title\">{}</title>",
            self.height,
            crate::html_escape(label)
        );
        for p in &self.areas {
            let n = highlight.get(&p.code).copied().unwrap_or(0);
            let (class, fill) = if n > 0 {
                ("prov on", "#00689d")
            } else {
                ("prov", "#e3e9ef")
            };
            let title = if n > 0 {
                format!(
                    "{} ({}): {n} figure{}",
                    p.name,
                    p.code,
                    if n == 1 { "" } else { "s" }
                )
            } else {
                format!("{} ({})", p.name, p.code)
            };
            out.push_str(&format!(
                "<path class=\"{class}\" fill=\"{fill}\" stroke=\"#fff\" stroke-width=\".6\" d=\"{}\"><title>{}</title></path>",
                p.path,
                crate::html_escape(&title)
            ));
        }
        out.push_str("</svg>");
        out
    }

    /// The map in words in the reader's language, for the image's alternative text: the areas
    /// shaded and their figures.
    pub fn alt(&self, lang: &str, highlight: &BTreeMap<String, usize>, label: &str) -> String {
        use crate::i18n::text_with;
        let named: Vec<String> = self
            .areas
            .iter()
            .filter_map(|p| {
                let n = *highlight.get(&p.code)?;
                // The bundled local names are Thai (Thailand's provinces): a reader of another
                // language than English reads them where there is one.
                let name = (lang != crate::i18n::ENGLISH)
                    .then(|| mignet_core::places::local_name(&p.code))
                    .flatten()
                    .unwrap_or(&p.name);
                Some(text_with(
                    lang,
                    "map-area-figures",
                    &[
                        ("name", name.into()),
                        ("code", p.code.as_str().into()),
                        ("count", (n as i64).into()),
                    ],
                ))
            })
            .collect();
        let of = ("of", self.of.as_str().into());
        let label = ("label", label.into());
        if named.is_empty() {
            text_with(lang, "map-alt-none", &[of, label])
        } else {
            text_with(
                lang,
                "map-alt",
                &[of, label, ("areas", named.join("; ").into())],
            )
        }
    }

    /// The map's size in the SVG's own units.
    pub fn size(&self) -> (f64, f64) {
        (WIDTH, self.height)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_province_of_the_map_is_matched_to_its_iso_code() {
        let m = super::thailand();
        assert_eq!(m.areas.len(), 77);
        assert!(
            m.areas
                .iter()
                .any(|p| p.code == "TH-10" && p.name == "Bangkok Metropolis")
        );
        assert!(
            m.height > 300.0 && m.height < 900.0,
            "Thailand is taller than wide: {}",
            m.height
        );
    }

    #[test]
    fn highlighted_provinces_are_filled_and_titled() {
        let mut h = std::collections::BTreeMap::new();
        h.insert("TH-50".to_owned(), 2);
        let svg = super::thailand().svg(&h, "Provinces");
        assert_eq!(svg.matches("class=\"prov on\"").count(), 1);
        assert!(svg.contains("(TH-50): 2 figures"));
    }

    #[test]
    fn a_networks_own_boundaries_are_drawn_and_named() {
        let geojson = r#"{"type":"FeatureCollection","features":[
            {"type":"Feature","properties":{"pcode":"A1"},"geometry":{"type":"Polygon","coordinates":[[[96.0,16.0],[97.0,16.0],[97.0,17.0],[96.0,16.0]]]}},
            {"type":"Feature","properties":{"pcode":"A2"},"geometry":{"type":"MultiPolygon","coordinates":[[[[97.0,16.0],[98.0,16.0],[98.0,18.0],[97.0,16.0]]]]}}]}"#;
        let m = super::of_boundaries("Myanmar".into(), geojson, |c| format!("area {c}"));
        assert_eq!(m.areas.len(), 2);
        // Two degrees of longitude by two of latitude, near 17° N: taller than wide.
        assert!(m.height > super::WIDTH, "{}", m.height);
        let mut h = std::collections::BTreeMap::new();
        h.insert("A2".to_owned(), 1);
        let svg = m.svg(&h, "Places");
        assert!(svg.contains("area A2 (A2): 1 figure"), "{svg}");
        assert_eq!(svg.matches("class=\"prov on\"").count(), 1);
        assert_eq!(
            m.alt("en", &h, "Places"),
            "Map of Myanmar. Places, shaded: area A2 (A2): 1 figure"
        );
    }
}
