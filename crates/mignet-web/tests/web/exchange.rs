//! Exchange files on the web: the period's exports and the PDF Highlights to download (public ones
//! approved figures only), the reporting workbook of an organisation, and the upload of a filled-in
//! workbook with every problem shown at once and nothing written when there is any.

use crate::common::*;
use axum::http::{StatusCode, header};
use mignet_core::model::FigureStatus;

/// The CSV form of IOM's 2023 workbook (docs/workbook.md), one figure.
const IOM_CSV: &str = "organisation,period,indicator,kind,value,part:children,place 1\nIOM,2023,P1.O1.I02,count,640,210,TH-10\n";

async fn figures_of_2023(w: &World) -> Vec<mignet_core::Figure> {
    let ds = w.app.store().dataset().await.unwrap().unwrap();
    ds.period("2023").unwrap().figures.clone()
}

#[tokio::test]
async fn public_files_carry_approved_figures_and_the_others_need_an_account() {
    let w = world().await;
    let anon = Browser::default();
    let hxl = w.fetch(&anon, "/exports/2022/hxl").await;
    assert_eq!(hxl.status, StatusCode::OK);
    assert!(hxl.header(header::CONTENT_TYPE).starts_with("text/csv"));
    assert!(
        hxl.header(header::CONTENT_DISPOSITION)
            .contains("filename=\"mignet-2022-hxl.csv\"")
    );
    assert_eq!(
        hxl.body,
        w.app
            .export("2022", mignet_app::ExportFormat::Hxl)
            .await
            .unwrap(),
        "the download is the export's file"
    );
    assert!(hxl.text().lines().nth(1).unwrap().contains("#org"));
    let iati = w.fetch(&anon, "/exports/2022/iati").await;
    assert_eq!(iati.status, StatusCode::OK);
    assert!(iati.text().contains("<iati-activities"));
    let pdf = w.fetch(&anon, "/exports/2022/pdf").await;
    assert_eq!(pdf.status, StatusCode::OK);
    assert_eq!(pdf.header(header::CONTENT_TYPE), "application/pdf");
    assert!(pdf.body.starts_with(b"%PDF"));
    // Every status: only for someone signed in.
    for format in ["json", "xlsx"] {
        let r = w.fetch(&anon, &format!("/exports/2022/{format}")).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{format}");
        assert_eq!(r.header(header::LOCATION), "/login");
    }
    let viewer = w.browser("viewer@x.org").await;
    let json = w.fetch(&viewer, "/exports/2022/json").await;
    assert_eq!(json.status, StatusCode::OK);
    let doc: serde_json::Value = serde_json::from_slice(&json.body).unwrap();
    assert_eq!(doc["period"]["code"], "2022");
    let xlsx = w.fetch(&viewer, "/exports/2022/xlsx").await;
    assert_eq!(xlsx.status, StatusCode::OK);
    assert!(xlsx.body.starts_with(b"PK"), "an .xlsx is a zip file");
    // The downloads page lists what the visitor may take.
    let page = w.fetch(&anon, "/downloads").await.text();
    assert!(page.contains("/exports/2022/hxl") && page.contains("/exports/2022/pdf"));
    assert!(!page.contains("/exports/2022/json"), "{page}");
    let page = w.fetch(&viewer, "/downloads").await.text();
    assert!(page.contains("/exports/2022/json") && page.contains("/exports/2022/xlsx"));
}

#[tokio::test]
async fn an_unknown_export_or_period_is_not_found_and_never_a_server_error() {
    let w = world().await;
    let anon = Browser::default();
    assert_eq!(
        w.fetch(&anon, "/exports/2022/docx").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        w.fetch(&anon, "/exports/1999/hxl").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        w.fetch(&anon, "/exports/1999/pdf").await.status,
        StatusCode::NOT_FOUND
    );
    // 2023 is open and has no approved figure: an IATI file needs one, so there is none yet.
    let r = w.fetch(&anon, "/exports/2023/iati").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text());
    assert!(r.text().contains("2023"), "{}", r.text());
}

#[tokio::test]
async fn a_focal_point_downloads_its_own_organisations_workbook_only() {
    let w = world().await;
    let iom = w.browser("iom@x.org").await;
    let r = w.fetch(&iom, "/entry/workbook?period=2023").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.header(header::CONTENT_TYPE), mignet_app::XLSX_MEDIA_TYPE);
    assert!(
        r.header(header::CONTENT_DISPOSITION)
            .contains("IOM-2023.xlsx")
    );
    assert_eq!(
        r.body,
        w.app.template("IOM", "2023", false).await.unwrap().bytes,
        "the download is the template `mignet template` writes"
    );
    let r = w.fetch(&iom, "/entry/workbook?period=2023&org=UNHCR").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let coord = w.browser("coord@x.org").await;
    let r = w
        .fetch(&coord, "/entry/workbook?period=2023&org=UNHCR")
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.starts_with(b"PK"));
    let viewer = w.browser("viewer@x.org").await;
    let r = w
        .fetch(&viewer, "/entry/workbook?period=2023&org=IOM")
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = w
        .fetch(&Browser::default(), "/entry/workbook?period=2023&org=IOM")
        .await;
    assert_eq!(r.header(header::LOCATION), "/login");
}

#[tokio::test]
async fn an_uploaded_workbook_enters_as_submitted_once_and_the_upload_page_says_so() {
    let w = world().await;
    let iom = w.browser("iom@x.org").await;
    let before = figures_of_2023(&w).await.len();
    let (status, body, _) = w
        .upload(&iom, None, "iom-2023.csv", IOM_CSV.as_bytes())
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body.contains("1 created, 0 updated, 0 unchanged"), "{body}");
    let figures = figures_of_2023(&w).await;
    assert_eq!(figures.len(), before + 1);
    let f = figures
        .iter()
        .find(|f| f.id.as_str() == "IMP-IOM-P1.O1.I02")
        .expect("the imported figure");
    assert_eq!(f.status, FigureStatus::Submitted);
    assert_eq!(
        f.status_by.as_deref(),
        Some("iom@x.org"),
        "the importing user"
    );
    assert!(
        f.evidence
            .as_deref()
            .unwrap()
            .starts_with("import:iom-2023.csv sha256:")
    );
    // The same file again changes nothing.
    let (status, body, _) = w
        .upload(&iom, None, "iom-2023.csv", IOM_CSV.as_bytes())
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body.contains("0 created, 0 updated, 1 unchanged"), "{body}");
    assert_eq!(figures_of_2023(&w).await, figures);
    // The audit trail names the importing user.
    let trail = w
        .app
        .store()
        .audit(Some(("figure", "2023/IMP-IOM-P1.O1.I02")))
        .await
        .unwrap();
    assert!(!trail.is_empty() && trail.iter().all(|a| a.actor == "iom@x.org"));
}

#[tokio::test]
async fn a_workbook_with_problems_lists_each_with_its_place_and_writes_nothing() {
    let w = world().await;
    let iom = w.browser("iom@x.org").await;
    let before = figures_of_2023(&w).await;
    let bad = "organisation,period,indicator,kind,value,part:children,place 1\nIOM,2023,P1.O1.I02,count,-5,210,TH-10\nIOM,2023,P1.O1.I03,count,12,,TH-99\n";
    let (status, body, _) = w.upload(&iom, None, "iom-2023.csv", bad.as_bytes()).await;
    let body = unlabelled(&body);
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body.contains("nothing was written"), "{body}");
    // One table row per problem: sheet, line, column.
    assert!(
        body.contains("<td>csv</td><td class=\"n\">2</td><td>value</td>"),
        "{body}"
    );
    assert!(
        body.contains("<td>csv</td><td class=\"n\">3</td><td>place 1</td>"),
        "{body}"
    );
    assert!(body.contains("TH-99"), "{body}");
    assert_eq!(figures_of_2023(&w).await, before, "nothing was written");
    // A file that is not a workbook at all.
    let (status, body, _) = w.upload(&iom, None, "iom-2023.ods", b"PK\x03\x04").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body.contains(".xlsx"), "{body}");
    // No file chosen.
    let (status, body, _) = w.upload(&iom, None, "", b"").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body.contains("Choose the filled-in workbook"), "{body}");
    assert_eq!(figures_of_2023(&w).await, before);
}

#[tokio::test]
async fn only_the_organisation_or_the_coordinator_uploads_its_workbook() {
    let w = world().await;
    let before = figures_of_2023(&w).await;
    // UNHCR's focal point uploading IOM's workbook: refused, nothing written.
    let unhcr = w.browser("unhcr@x.org").await;
    let (status, body, _) = w
        .upload(&unhcr, None, "iom-2023.csv", IOM_CSV.as_bytes())
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert!(body.contains("your own organisation"), "{body}");
    // A viewer, an anonymous visitor, a forged form: refused.
    let viewer = w.browser("viewer@x.org").await;
    let (status, _, _) = w
        .upload(&viewer, None, "iom-2023.csv", IOM_CSV.as_bytes())
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _, _) = w
        .upload(
            &Browser::default(),
            None,
            "iom-2023.csv",
            IOM_CSV.as_bytes(),
        )
        .await;
    assert!(
        status == StatusCode::FORBIDDEN || status == StatusCode::SEE_OTHER,
        "{status}"
    );
    let iom = w.browser("iom@x.org").await;
    let (status, _, _) = w
        .upload(&iom, Some("forged"), "iom-2023.csv", IOM_CSV.as_bytes())
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(figures_of_2023(&w).await, before, "nothing was written");
    // The coordinator uploads a workbook an agency sent by e-mail.
    let coord = w.browser("coord@x.org").await;
    let (status, body, _) = w
        .upload(&coord, None, "iom-2023.csv", IOM_CSV.as_bytes())
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(figures_of_2023(&w).await.len(), before.len() + 1);
}

#[tokio::test]
async fn the_api_imports_a_workbook_and_answers_its_problems_in_the_error_shape() {
    let w = world().await;
    let iom = w.browser("iom@x.org").await;
    let before = figures_of_2023(&w).await;
    let bad = "organisation,period,indicator,kind,value\nIOM,2023,P1.O1.I02,count,many\n";
    let (status, body) = w
        .api_bytes(&iom, "/api/v1/imports?file=iom-2023.csv", bad.as_bytes())
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["error"]["code"], "invalid_file");
    let p = &body["error"]["problems"][0];
    assert_eq!(
        (p["sheet"].as_str(), p["row"].as_u64(), p["column"].as_str()),
        (Some("csv"), Some(2), Some("value")),
        "{body}"
    );
    assert_eq!(figures_of_2023(&w).await, before, "nothing was written");
    let (status, body) = w
        .api_bytes(
            &iom,
            "/api/v1/imports?file=iom-2023.csv",
            IOM_CSV.as_bytes(),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        (body["organisation"].as_str(), body["created"].as_u64()),
        (Some("IOM"), Some(1))
    );
    // No file name: told how to name it.
    let (status, body) = w
        .api_bytes(&iom, "/api/v1/imports", IOM_CSV.as_bytes())
        .await;
    assert_eq!(
        (status, body["error"]["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("file")),
        "{body}"
    );
    // The exports through the API are the downloads' files.
    let (status, _) = w
        .api(
            &Browser::default(),
            "GET",
            "/api/v1/periods/2022/exports/json",
            None,
        )
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let hxl = w
        .fetch(&Browser::default(), "/api/v1/periods/2022/exports/hxl")
        .await;
    assert_eq!(hxl.status, StatusCode::OK);
    assert_eq!(
        hxl.body,
        w.fetch(&Browser::default(), "/exports/2022/hxl").await.body
    );
}
