//! The public figure and indicator pages say how each joint figure's value was obtained.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use mignet_app::App;
use tower::ServiceExt;

#[tokio::test]
async fn the_figure_page_gives_the_joint_method_in_counts() {
    let (dir, data) = mignet_test_support::example_with(&["joint-2023"]);
    let app = App::open(&dir.path().join("t.db").display().to_string())
        .await
        .unwrap();
    app.load(&data, "test").await.unwrap();
    let router = mignet_web::router(mignet_web::AppState::new(app, true));
    let get = |path: &str| {
        let router = router.clone();
        let req = Request::get(path).body(Body::empty()).unwrap();
        async move {
            let res = router.oneshot(req).await.unwrap();
            let status = res.status();
            let body = res.into_body().collect().await.unwrap().to_bytes();
            (status, String::from_utf8(body.to_vec()).unwrap())
        }
    };
    let (status, page) = get("/figures/2023/F-J-RECORDS").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("<dt>Joint value</dt><dd>exact, from 24 records, overlap 3</dd>"),
        "{page}"
    );
    let (_, page) = get("/figures/2023/F-J-SUM").await;
    assert!(
        page.contains("sum of agencies&#x27; figures (may double count)")
            || page.contains("sum of agencies&#39; figures (may double count)"),
        "{page}"
    );
    let (_, page) = get("/indicators/P1.O1.I01?period=2023").await;
    assert!(
        page.contains("(jointly: exact, from 24 records, overlap 3)"),
        "{page}"
    );
    // The API gives the same method, in counts.
    let (status, body) = get("/api/v1/periods/2023/figures/F-J-RECORDS").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let f: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        f["joint_method"],
        serde_json::json!({"method": "records", "records": 24, "overlap": 3, "description": "exact, from 24 records, overlap 3"})
    );
}
