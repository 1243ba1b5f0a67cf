//! A network of another country than Thailand (the invented Myanmar example): its pages speak of
//! its own places, never of provinces or Thailand, and without boundaries its map is a list.

use crate::common::*;
use axum::http::StatusCode;
use mignet_test_support::{copy_dir, root};

fn myanmar() -> std::path::PathBuf {
    root().join("examples/myanmar-2024")
}

async fn world_in(data: &std::path::Path) -> World {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db").display().to_string();
    world_of(&db, dir, data).await
}

/// Words of Thailand's pages that a page of another country must not hold.
fn thai_words(body: &str) -> Vec<String> {
    let lower = body.to_lowercase();
    let mut found: Vec<String> = ["province", "thailand", "thai"]
        .into_iter()
        .filter(|w| lower.contains(w))
        .map(str::to_owned)
        .collect();
    found.extend(
        [
            "TH-1", "TH-2", "TH-3", "TH-4", "TH-5", "TH-6", "TH-7", "TH-8", "TH-9", "TH-S",
        ]
        .into_iter()
        .filter(|c| body.contains(c))
        .map(str::to_owned),
    );
    found
}

#[tokio::test]
async fn the_pages_of_a_network_of_another_country_name_its_places_and_no_thai_ones() {
    let w = world_in(&myanmar()).await;
    let anonymous = Browser::default();
    let coord = w.browser("coord@x.org").await;
    let iom = w.browser("iom@x.org").await;
    let pages = [
        (&anonymous, "/"),
        (&anonymous, "/indicators"),
        (&anonymous, "/indicators/P1.O1.I01"),
        (&anonymous, "/figures/2024/F-HEALTH"),
        (&anonymous, "/figures/2024/F-REFERRALS"),
        (&anonymous, "/highlights/2024"),
        (&anonymous, "/sources?period=2024"),
        (&coord, "/"),
        (&iom, "/entry/new?period=2024"),
    ];
    for (who, path) in pages {
        let (status, body, _) = w.get(who, path).await;
        assert_eq!(status, StatusCode::OK, "{path}: {body}");
        assert_eq!(thai_words(&body), Vec::<String>::new(), "{path}: {body}");
    }

    // Without boundaries, the overview lists the places with their figures instead of a map.
    let (_, body, _) = w.get(&anonymous, "/").await;
    assert!(!body.contains("map&#x2f;2024.svg"), "{body}");
    assert!(body.contains("<ul class=\"places\">"), "{body}");
    for place in [
        "<b>Mon</b> (MM-15)",
        "<b>Hlaing Tharyar</b> (MMR013D003S001)",
        "<b>Hlaing Tharyar community clinic</b>:",
        "<b>12 locations in 4 regions&#x2f;states</b>:",
    ] {
        assert!(body.contains(place), "{place}: {body}");
    }
    let (status, _, _) = w.get(&anonymous, "/map/2024.svg").await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // The figure's page and the brief say where, in the network's words.
    let (_, body, _) = w.get(&anonymous, "/figures/2024/F-REFERRALS").await;
    assert!(
        body.contains("12 locations in 4 regions&#x2f;states"),
        "{body}"
    );
    let (_, body, _) = w.get(&anonymous, "/highlights/2024").await;
    assert!(body.contains("Places: Mon · Hlaing Tharyar"), "{body}");
    // The entry form offers the network's places: its regions and states and its gazetteer.
    let (_, body, _) = w
        .get(&iom, "/entry/new?period=2024&indicator=P1.O1.I02")
        .await;
    assert!(
        body.contains("<option value=\"MM-06\">Yangon (MM-06)</option>"),
        "{body}"
    );
    assert!(body.contains("value=\"MMR013D003S001\""), "{body}");
    assert!(body.contains("in how many regions&#x2f;states"), "{body}");
}

#[tokio::test]
async fn a_thai_place_typed_into_a_figure_of_another_country_is_refused_beside_its_field() {
    let w = world_in(&myanmar()).await;
    let iom = w.browser("iom@x.org").await;
    let (status, body, _) = w
        .post(
            &iom,
            "/entry/new?period=2024",
            &[
                ("indicator", "P1.O1.I02"),
                ("organisations", "IOM"),
                ("value", "12"),
                ("places", "TH-63"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(
        body.contains("id=\"places-error\"")
            && body.contains("Tak (TH-63) is in Thailand, not in the network&#x27;s country (MM)"),
        "{body}"
    );
}

#[tokio::test]
async fn with_boundaries_the_networks_own_areas_are_drawn() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    copy_dir(&myanmar(), &data);
    let polygon = |pcode: &str, x: f64| {
        format!(
            r#"{{"type":"Feature","properties":{{"pcode":"{pcode}"}},"geometry":{{"type":"Polygon","coordinates":[[[{x},16.0],[{},16.0],[{},17.5],[{x},16.0]]]}}}}"#,
            x + 1.0,
            x + 1.0
        )
    };
    std::fs::write(
        data.join("boundaries.geojson"),
        format!(
            r#"{{"type":"FeatureCollection","features":[{},{}]}}"#,
            polygon("MMR013", 95.5),
            polygon("MM-15", 97.0)
        ),
    )
    .unwrap();
    let w = world_in(&data).await;
    let anonymous = Browser::default();
    let (_, body, _) = w.get(&anonymous, "/").await;
    assert!(body.contains("src=\"&#x2f;map&#x2f;2024.svg\""), "{body}");
    assert!(
        body.contains("alt=\"Map of Myanmar. Places where approved figures of 2024 were delivered, shaded: Yangon (MMR013): 1 figure; Mon (MM-15): 1 figure\""),
        "{body}"
    );
    assert!(!body.contains("<ul class=\"places\">"), "{body}");
    let (status, svg, _) = w.get(&anonymous, "/map/2024.svg").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(svg.matches("<path ").count(), 2, "{svg}");
    assert!(svg.contains("Mon (MM-15): 1 figure"), "{svg}");
    // The figure names a township of Yangon (MMR013D003S001): the region holding it is shaded.
    assert!(svg.contains("Yangon (MMR013): 1 figure</title>"), "{svg}");
    assert_eq!(thai_words(&svg), Vec::<String>::new());
}
