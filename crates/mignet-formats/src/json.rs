//! The JSON export of one period: the whole of its data as one document, in the shape documented in
//! docs/json-export.md. The shape is versioned by `format`; fields are added, never renamed or removed,
//! within a version.

use mignet_core::model::{Dataset, PeriodData};
use mignet_core::numbers;
use serde_json::{Value, json};

/// The `format` field of this shape.
pub const FORMAT: &str = "mignet.period.v1";

/// Builds the export document of `period`. Derived figures carry their computed value; claims carry the
/// computation they are checked against.
pub fn period_document(ds: &Dataset, period: &PeriodData) -> Value {
    let fw = &ds.framework;
    let derived: Vec<Value> = period
        .derived
        .iter()
        .map(|d| {
            let value = period.compute(d).ok().map(|v| numbers::round(v, d.decimals));
            json!({ "id": d.id, "kind": d.kind, "operands": [d.a, d.b], "decimals": d.decimals, "value": value })
        })
        .collect();
    let claims: Vec<Value> = period
        .claims
        .iter()
        .map(|c| {
            let computed = period.derived(c.derived.as_str()).and_then(|d| period.compute(d).ok().map(|v| (v, d.decimals)));
            json!({
                "id": c.id, "derived": c.derived, "published": c.published, "text": c.text, "where": c.location,
                "computed": computed.map(|(v, d)| numbers::round(v, d)),
                "agrees": computed.map(|(v, _)| numbers::agrees(c.published, v)),
            })
        })
        .collect();
    let figures: Vec<Value> = period
        .figures
        .iter()
        .map(|f| {
            json!({
                "id": f.id, "indicator": f.indicator, "organisations": f.organisations, "joint": f.is_joint(),
                "value": f.value,
                "disaggregation": f.disaggregation.iter().map(|(k, v)| (k.clone(), json!(v))).collect::<serde_json::Map<_, _>>(),
                "places": f.places, "sites": f.sites, "locations": f.locations, "in_areas": f.in_areas,
                "note": f.note, "evidence": f.evidence, "footnotes": f.footnotes,
                "status": f.status, "status_by": f.status_by, "status_at": f.status_at,
                "joint_method": f.is_joint().then(|| json!({
                    "method": f.joint.name(), "records": f.joint.records(), "overlap": f.joint.overlap(),
                    "description": f.joint.describe(),
                })),
            })
        })
        .collect();
    let progress: Vec<Value> = fw
        .indicators
        .iter()
        .flat_map(|i| {
            mignet_core::progress::progress(ds, i, period.period.code.as_str())
                .into_iter()
                .map(move |p| {
                    json!({
                        "indicator": p.indicator, "target_period": p.target_period,
                        "cumulative": p.cumulative, "target": p.target, "actual": p.actual,
                        "percent": p.percent(), "text": p.text_for(i.kind),
                    })
                })
        })
        .collect();
    // `country` (the home country) is kept beside `countries`: fields of v1 are never removed.
    let mut network = serde_json::to_value(&ds.network).expect("the network serialises");
    network["country"] = json!(ds.network.country());
    json!({
        "format": FORMAT,
        "network": network,
        "places": ds.gazetteer.areas,
        "organisations": ds.organisations,
        "roles": ds.roles,
        "framework": { "version": fw.version, "title": fw.title, "priorities": fw.priorities, "outcomes": fw.outcomes, "indicators": fw.indicators },
        "period": period.period,
        "figures": figures,
        "statistics": period.statistics,
        "footnotes": period.footnotes,
        "derived": derived,
        "claims": claims,
        "progress": progress,
        "sections": period.sections,
        "highlights": period.lines,
        "pledges": ds.pledges,
        "working_groups": ds.groups,
        "findings": mignet_core::check(ds, Some(period.period.code.as_str())),
    })
}
