//! Targets on the public pages and in the API: the indicator page's series against its targets, the
//! framework's baselines and targets, and the progress of a period (tests/fixtures/targets-2023).

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use mignet_app::App;
use tower::ServiceExt;

async fn router() -> (tempfile::TempDir, axum::Router) {
    let (dir, data) = mignet_test_support::example_with(&["targets-2023"]);
    let app = App::open(&dir.path().join("t.db").display().to_string())
        .await
        .unwrap();
    app.load(&data, "test").await.unwrap();
    (
        dir,
        mignet_web::router(mignet_web::AppState::new(app, true)),
    )
}

async fn get(router: &axum::Router, path: &str) -> (StatusCode, String) {
    let req = Request::get(path).body(Body::empty()).unwrap();
    let res = router.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let body = res.into_body().collect().await.unwrap().to_bytes();
    let page = String::from_utf8(body.to_vec()).unwrap();
    (status, crate::common::unlabelled(&page))
}

#[tokio::test]
async fn the_indicator_page_shows_its_series_from_the_baseline_against_its_targets() {
    let (_dir, router) = router().await;
    let (status, page) = get(&router, "/indicators/P1.O1.I01").await;
    assert_eq!(status, StatusCode::OK);
    for want in [
        "<h2 id=\"progress\">Progress against targets</h2>",
        "<th scope=\"row\">Baseline 2022</th>",
        "<td>74,499 of 70,000 (106.4 per cent)</td>",
        "<td>52,000 of 60,000 (86.7 per cent)</td>",
        "<td class=\"n\">150,000 by 2023 (cumulative)</td>",
        "<td>126,499 of 150,000 by 2023 (84.3 per cent)</td>",
        "<svg",
    ] {
        assert!(page.contains(want), "{want:?} in\n{page}");
    }
    // An indicator with a target and no figure in 2023 says so; one without targets has no series.
    let (_, page) = get(&router, "/indicators/P2.O3.I01").await;
    assert!(page.contains("<td>not reported (target 70)</td>"), "{page}");
    let (_, page) = get(&router, "/indicators/P2.O3.I02").await;
    assert!(!page.contains("Progress against targets"), "{page}");
}

#[tokio::test]
async fn the_api_gives_baselines_targets_and_a_periods_progress() {
    let (_dir, router) = router().await;
    let (status, body) = get(&router, "/api/v1/framework").await;
    assert_eq!(status, StatusCode::OK);
    let fw: serde_json::Value = serde_json::from_str(&body).unwrap();
    let i01 = fw["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["code"] == "P1.O1.I01")
        .unwrap();
    assert_eq!(i01["baseline"]["year"], 2022);
    assert_eq!(
        i01["targets"][2],
        serde_json::json!({"period": "2023", "value": 150000.0, "cumulative": true})
    );

    let (status, body) = get(&router, "/api/v1/periods/2023/progress").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let p: serde_json::Value = serde_json::from_str(&body).unwrap();
    let rows: Vec<_> = p
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["indicator"].as_str().unwrap().to_owned(),
                r["cumulative"].as_bool().unwrap(),
                r["actual"].as_f64(),
                r["percent"].as_f64(),
                r["reported"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            ("P1.O1.I01".into(), false, Some(52000.0), Some(86.7), true),
            ("P1.O1.I01".into(), true, Some(126499.0), Some(84.3), true),
            ("P1.O1.I02".into(), false, Some(6300.0), Some(105.0), true),
            ("P1.O1.I07".into(), false, Some(1.0), Some(100.0), true),
            ("P2.O3.I01".into(), false, None, None, false),
        ]
    );
    assert_eq!(p[4]["actual_kind"], "not_reported");
    let (status, _) = get(&router, "/api/v1/periods/1999/progress").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, doc) = get(&router, "/api/v1/openapi.json").await;
    assert!(doc.contains("/api/v1/periods/{period}/progress"));
}
