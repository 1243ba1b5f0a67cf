//! Published editions: the coordinator publishes a period, its files are served byte for byte ever
//! after, publishing again with nothing changed is refused, and a correction makes the next edition
//! with errata naming the corrected figure; the home page shows the latest edition.

use crate::common::*;
use axum::http::{StatusCode, header};
use mignet_core::model::FigureValue;
use serde_json::Value;

/// Every file of an edition as the public fetches it, by name.
async fn files(w: &World, edition: &Value) -> Vec<(String, Vec<u8>)> {
    let anon = Browser::default();
    let mut out = Vec::new();
    for f in edition["files"].as_array().unwrap() {
        let r = w.fetch(&anon, f["href"].as_str().unwrap()).await;
        assert_eq!(r.status, StatusCode::OK, "{f}");
        assert_eq!(
            r.header(header::ETAG),
            format!("\"{}\"", f["sha256"].as_str().unwrap())
        );
        assert_eq!(r.body.len() as i64, f["size"].as_i64().unwrap());
        out.push((f["name"].as_str().unwrap().to_owned(), r.body));
    }
    out
}

#[tokio::test]
async fn a_published_edition_never_changes_and_a_correction_lists_its_errata() {
    let w = world().await;
    let coord = w.browser("coord@x.org").await;
    let iom = w.browser("iom@x.org").await;
    let anon = Browser::default();

    // Before any edition the home page says the results are not published.
    let home = visible_text(&w.get(&anon, "/").await.1);
    assert!(home.contains("Not yet published"), "{home}");

    // Only a coordinator publishes; a period without approved figures cannot be published.
    let (s, body) = w
        .api(&iom, "POST", "/api/v1/periods/2022/editions", None)
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{body}");
    let (s, body) = w
        .api(&coord, "POST", "/api/v1/periods/2023/editions", None)
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body.to_string().contains("no approved figure"), "{body}");

    // The coordinator publishes 2022 from the editions page.
    let (s, _, location) = w.post(&coord, "/editions/2022", &[]).await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert_eq!(location.as_deref(), Some("/editions#2022-1"));
    let (s, list) = w
        .api(&anon, "GET", "/api/v1/periods/2022/editions", None)
        .await;
    assert_eq!(s, StatusCode::OK, "{list}");
    let first = list[0].clone();
    assert_eq!(
        (
            first["number"].as_i64(),
            first["errata"].as_array().map(Vec::len)
        ),
        (Some(1), Some(0))
    );
    let published = files(&w, &first).await;
    let names: Vec<&str> = published.iter().map(|(n, _)| n.as_str()).collect();
    for name in [
        "highlights-2022.html",
        "highlights-2022.pdf",
        "mignet-2022.json",
        "mignet-2022.xlsx",
        "mignet-2022-hxl.csv",
        "mignet-2022-iati.xml",
    ] {
        assert!(names.contains(&name), "{names:?}");
    }
    let pdf = &published
        .iter()
        .find(|(n, _)| n.ends_with(".pdf"))
        .unwrap()
        .1;
    assert!(pdf.starts_with(b"%PDF"), "the brief is a PDF");
    let html = String::from_utf8_lossy(
        &published
            .iter()
            .find(|(n, _)| n.ends_with(".html"))
            .unwrap()
            .1,
    )
    .into_owned();
    assert!(
        html.contains("74,499"),
        "the brief prints the figure as approved"
    );

    // A reader who has the file is told it has not changed.
    let href = first["files"][0]["href"].as_str().unwrap();
    let etag = format!("\"{}\"", first["files"][0]["sha256"].as_str().unwrap());
    let req = axum::http::Request::get(href)
        .header(header::IF_NONE_MATCH, &etag)
        .body(axum::body::Body::empty())
        .unwrap();
    assert_eq!(w.send(req).await.0, StatusCode::NOT_MODIFIED);

    // Nothing changed: publishing again is refused, and the page says why.
    let (s, html, _) = w.post(&coord, "/editions/2022", &[]).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        visible_text(&html).contains("nothing changed since edition 1 of 2022"),
        "{html}"
    );

    // The home page opens on the published edition.
    let home = visible_text(&w.get(&anon, "/").await.1);
    assert!(home.contains("Edition 1 of these results"), "{home}");

    // A correction: the secretariat fixes a published figure in the store.
    let mut ds = (*w.app.dataset().await.unwrap()).clone();
    let p = ds
        .periods
        .iter_mut()
        .find(|p| p.period.code.as_str() == "2022")
        .unwrap();
    let f = p
        .figures
        .iter_mut()
        .find(|f| f.id.as_str() == "F-COVID-IEC")
        .unwrap();
    assert_eq!(f.value, FigureValue::Count { value: 74_499 });
    f.value = FigureValue::Count { value: 74_599 };
    w.app
        .store()
        .save_dataset(&ds, "coord@x.org")
        .await
        .unwrap();

    let (s, second) = w
        .api(&coord, "POST", "/api/v1/periods/2022/editions", None)
        .await;
    assert_eq!(s, StatusCode::CREATED, "{second}");
    assert_eq!(second["number"], 2);
    assert_ne!(second["content_hash"], first["content_hash"]);
    let errata = second["errata"].as_array().unwrap();
    assert_eq!(errata.len(), 1, "only the corrected figure: {errata:?}");
    assert_eq!(errata[0]["figure"], "F-COVID-IEC");
    let sentence = errata[0]["sentence"].as_str().unwrap();
    assert!(
        sentence.contains("corrected from 74,499") && sentence.contains("to 74,599"),
        "{sentence}"
    );

    // Edition 1 is served byte for byte as it was published; edition 2 carries the correction.
    assert_eq!(files(&w, &first).await, published);
    let corrected = files(&w, &second).await;
    let html2 = String::from_utf8_lossy(
        &corrected
            .iter()
            .find(|(n, _)| n.ends_with(".html"))
            .unwrap()
            .1,
    )
    .into_owned();
    assert!(
        html2.contains("74,599") && !html2.contains("74,499"),
        "edition 2 prints the corrected value"
    );

    // The editions page lists both, with the errata; the home page shows edition 2.
    let page = visible_text(&w.get(&anon, "/editions").await.1);
    assert!(
        page.contains("Edition 2 (latest)") && page.contains("Edition 1"),
        "{page}"
    );
    assert!(page.contains("corrected from 74,499"), "{page}");
    assert!(
        !page.contains("Publish a correction"),
        "the public sees no publish form: {page}"
    );
    let signed_in = visible_text(&w.get(&coord, "/editions").await.1);
    assert!(
        signed_in.contains("Publish a correction of 2022 (edition 3)")
            && signed_in.contains("by coord@x.org"),
        "{signed_in}"
    );
    let home = visible_text(&w.get(&anon, "/").await.1);
    assert!(home.contains("Edition 2 of these results"), "{home}");

    // The audit trail records both publications.
    let audited = w
        .app
        .store()
        .audit(Some(("edition", "2022/2")))
        .await
        .unwrap();
    assert_eq!(audited.len(), 1);
    assert_eq!(audited[0].actor, "coord@x.org");
}

#[tokio::test]
async fn editions_of_an_unknown_period_or_file_are_not_found() {
    let w = world().await;
    let anon = Browser::default();
    let (s, _) = w
        .api(&anon, "GET", "/api/v1/periods/1999/editions", None)
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert_eq!(
        w.fetch(&anon, "/editions/2022/1/highlights-2022.pdf")
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let (s, list) = w
        .api(&anon, "GET", "/api/v1/periods/2022/editions", None)
        .await;
    assert_eq!((s, list), (StatusCode::OK, serde_json::json!([])));
}
