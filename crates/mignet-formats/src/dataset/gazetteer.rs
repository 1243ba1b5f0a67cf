//! `places.csv` and `boundaries.geojson`: the network's own gazetteer of administrative areas
//! (P-codes in the humanitarian COD-AB convention) and their boundaries, both optional.

use super::*;

/// The largest boundaries file read: the map draws it in every page that shows it.
const MAX_BOUNDARIES: u64 = 20 * 1024 * 1024;

const COLUMNS: [&str; 5] = ["pcode", "name", "local_name", "parent", "level"];

impl Reader {
    pub(super) fn gazetteer(&mut self, network: &Network) -> Gazetteer {
        let mut g = Gazetteer::default();
        if let Some(src) = self.source("places.csv", false) {
            let lines;
            (g.areas, lines) = self.areas(&src);
            for (i, b) in rules::gazetteer(network, &g) {
                self.error(DatasetError {
                    file: src.file.clone(),
                    line: lines.get(i).copied(),
                    field: Some(b.field.to_owned()),
                    message: b.message,
                });
            }
        }
        g.boundaries = self.boundaries(network, &g);
        g
    }

    /// The rows of `places.csv`, with the line each starts on.
    fn areas(&mut self, src: &Source) -> (Vec<Area>, Vec<usize>) {
        let error = |line: Option<usize>, field: Option<&str>, message: String| DatasetError {
            file: src.file.clone(),
            line,
            field: field.map(str::to_owned),
            message,
        };
        let mut rd = csv::ReaderBuilder::new()
            .trim(csv::Trim::All)
            .from_reader(src.text.as_bytes());
        let header: Vec<String> = match rd.headers() {
            Ok(h) => h.iter().map(str::to_owned).collect(),
            Err(e) => {
                self.error(error(Some(1), None, format!("cannot be read: {e}")));
                return (Vec::new(), Vec::new());
            }
        };
        let col = |name: &str| header.iter().position(|h| h == name);
        let mut missing = false;
        let unknown: Vec<&String> = header
            .iter()
            .filter(|h| !COLUMNS.contains(&h.as_str()))
            .collect();
        for name in ["pcode", "name", "parent", "level"] {
            // A misspelt column is said once, as the unknown column that names what it meant.
            let misspelt = unknown.iter().any(|h| !did_you_mean(h, [name]).is_empty());
            if col(name).is_none() && !misspelt {
                self.error(error(
                    Some(1),
                    Some(name),
                    format!(
                        "the first line names the columns, and `{name}` is missing (the columns are {})",
                        COLUMNS.join(", ")
                    ),
                ));
                missing = true;
            }
        }
        for h in unknown {
            self.error(error(
                Some(1),
                Some(h),
                format!(
                    "unknown column `{h}`{} (the columns are {})",
                    did_you_mean(h, COLUMNS),
                    COLUMNS.join(", ")
                ),
            ));
            missing = true;
        }
        if missing {
            return (Vec::new(), Vec::new());
        }
        let (mut areas, mut lines) = (Vec::new(), Vec::new());
        for rec in rd.records() {
            let rec = match rec {
                Ok(r) => r,
                Err(e) => {
                    let line = e.position().map(|p| p.line() as usize);
                    self.error(error(line, None, format!("cannot be read: {e}")));
                    continue;
                }
            };
            let line = rec.position().map_or(0, |p| p.line() as usize);
            let get = |name: &str| col(name).and_then(|i| rec.get(i)).unwrap_or("").to_owned();
            let opt = |name: &str| Some(get(name)).filter(|s| !s.is_empty());
            let level = match get("level").parse::<u8>() {
                Ok(l) => l,
                Err(_) => {
                    self.error(error(
                        Some(line),
                        Some("level"),
                        format!("`{}` is not a level: write 1, 2 or 3", get("level")),
                    ));
                    continue;
                }
            };
            areas.push(Area {
                pcode: get("pcode"),
                name: get("name"),
                local_name: opt("local_name"),
                parent: opt("parent"),
                level,
            });
            lines.push(line);
        }
        (areas, lines)
    }

    /// `boundaries.geojson`: a FeatureCollection of polygons, each with the `pcode` of one of the
    /// network's places. Kept as written, for the map.
    fn boundaries(&mut self, network: &Network, g: &Gazetteer) -> Option<String> {
        let rel = "boundaries.geojson";
        let path = self.dir.join(rel);
        let size = std::fs::metadata(&path).ok()?.len();
        let error = |field: Option<String>, message: String| DatasetError {
            file: rel.into(),
            line: None,
            field,
            message,
        };
        if size > MAX_BOUNDARIES {
            self.error(error(
                None,
                format!(
                    "is {} MB: boundaries for a map take at most {} MB (simplify them)",
                    size / (1024 * 1024),
                    MAX_BOUNDARIES / (1024 * 1024)
                ),
            ));
            return None;
        }
        let src = self.source(rel, true)?;
        let json: serde_json::Value = match serde_json::from_str(&src.text) {
            Ok(v) => v,
            Err(e) => {
                self.error(DatasetError {
                    line: Some(e.line()),
                    ..error(None, format!("is not JSON: {e}"))
                });
                return None;
            }
        };
        if json["type"] != "FeatureCollection" || !json["features"].is_array() {
            self.error(error(
                Some("type".into()),
                "must be a GeoJSON FeatureCollection (`\"type\": \"FeatureCollection\"` with `features`)".into(),
            ));
            return None;
        }
        let before = self.errors.len();
        let empty = Vec::new();
        for (i, f) in json["features"]
            .as_array()
            .unwrap_or(&empty)
            .iter()
            .enumerate()
        {
            let field = |name: &str| Some(format!("features[{i}].{name}"));
            match f["properties"]["pcode"].as_str() {
                None => self.error(error(
                    field("properties.pcode"),
                    "each feature names its place in a `pcode` property".into(),
                )),
                Some(p) if !g.knows(&network.countries, p) => self.error(error(
                    field("properties.pcode"),
                    format!(
                        "`{p}` is not a place of the network: a P-code of places.csv or an ISO 3166-2 code of {}{}",
                        network.countries.join(", "),
                        did_you_mean(p, g.codes(&network.countries))
                    ),
                )),
                Some(_) => {}
            }
            let kind = f["geometry"]["type"].as_str().unwrap_or("");
            if !["Polygon", "MultiPolygon"].contains(&kind) {
                self.error(error(
                    field("geometry.type"),
                    format!("a boundary is a Polygon or a MultiPolygon, not `{kind}`"),
                ));
            }
        }
        (self.errors.len() == before).then_some(src.text)
    }
}
