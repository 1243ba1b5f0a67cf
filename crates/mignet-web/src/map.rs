//! The map of Thailand's provinces, drawn as SVG on the server from the embedded GeoJSON.
//!
//! Written by hand because it is one projection and one path per polygon: an equirectangular projection
//! corrected for latitude is exact enough for a country this size, and no map crate is needed for it.

use std::collections::BTreeMap;
use std::sync::OnceLock;

const GEOJSON: &str = include_str!("../assets/th-provinces-simplified-apisit.geojson");
const WIDTH: f64 = 360.0;

/// One province's outline as an SVG path, with its code and name.
pub struct Province {
    pub code: &'static str,
    pub name: String,
    pub path: String,
}

pub struct Map {
    pub provinces: Vec<Province>,
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

/// The projected map, built once.
pub fn map() -> &'static Map {
    static MAP: OnceLock<Map> = OnceLock::new();
    MAP.get_or_init(|| {
        let doc: serde_json::Value =
            serde_json::from_str(GEOJSON).expect("the embedded map is valid GeoJSON");
        let features = doc["features"].as_array().cloned().unwrap_or_default();
        let codes: BTreeMap<&str, &str> = crate::map_names::MAP_NAMES.iter().copied().collect();
        let all: Vec<(&str, String, Rings)> = features
            .iter()
            .filter_map(|f| {
                let name = f["properties"]["name"].as_str()?;
                let code = *codes.get(name)?;
                Some((code, name.to_owned(), rings(&f["geometry"])))
            })
            .collect();
        let pts = all.iter().flat_map(|(_, _, r)| r.iter().flatten());
        let (mut x0, mut x1, mut y0, mut y1) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
        for &(x, y) in pts {
            x0 = x0.min(x);
            x1 = x1.max(x);
            y0 = y0.min(y);
            y1 = y1.max(y);
        }
        let k = ((y0 + y1) / 2.0).to_radians().cos();
        let scale = WIDTH / ((x1 - x0) * k);
        let height = (y1 - y0) * scale;
        let provinces = all
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
                Province { code, name, path }
            })
            .collect();
        Map { provinces, height }
    })
}

/// The map as a standalone SVG document (served as an image, so its colours are attributes, not the
/// page's CSS): provinces in `highlight` are filled, each with a title for pointers.
pub fn svg(highlight: &BTreeMap<String, usize>, label: &str) -> String {
    let m = map();
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {WIDTH} {:.0}\" role=\"img\" aria-labelledby=\"map-title\" class=\"map\"><title id=\"map-title\">{}</title>",
        m.height,
        crate::html_escape(label)
    );
    for p in &m.provinces {
        let n = highlight.get(p.code).copied().unwrap_or(0);
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

/// The map in words, for the image's alternative text: the provinces shaded and their figures.
pub fn alt(highlight: &BTreeMap<String, usize>, label: &str) -> String {
    let named: Vec<String> = map()
        .provinces
        .iter()
        .filter_map(|p| {
            let n = *highlight.get(p.code)?;
            Some(format!(
                "{} ({}): {n} figure{}",
                p.name,
                p.code,
                if n == 1 { "" } else { "s" }
            ))
        })
        .collect();
    if named.is_empty() {
        format!("Map of Thailand. {label}: none")
    } else {
        format!("Map of Thailand. {label}, shaded: {}", named.join("; "))
    }
}

/// The map's size in the SVG's own units.
pub fn size() -> (f64, f64) {
    (WIDTH, map().height)
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_province_of_the_map_is_matched_to_its_iso_code() {
        let m = super::map();
        assert_eq!(m.provinces.len(), 77);
        assert!(
            m.provinces
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
        let svg = super::svg(&h, "Provinces");
        assert_eq!(svg.matches("class=\"prov on\"").count(), 1);
        assert!(svg.contains("(TH-50): 2 figures"));
    }
}
