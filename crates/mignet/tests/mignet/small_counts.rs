//! Small counts that could identify people never leave through a public output: the example with two
//! sensitive indicators (one with its own threshold, one with the network's), their figures approved,
//! and every public page, file and API answer of a running server read for the exact values, which a
//! signed-in coordinator still sees.

use crate::common::*;
use crate::server::*;
use std::path::{Path, PathBuf};

/// F-PFA: 4,805 people including 2,233 children, under an indicator made sensitive with a threshold
/// of 5,000; F-MHV-TRAINED: 440, sensitive under the network's threshold of 500; D-PFA-GAP, their
/// difference (4,365), quoted in a narrative section. None of these may reach the public.
const PROTECTED: [u64; 4] = [4805, 2233, 440, 4365];

fn replace_after(text: &str, anchor: &str, from: &str, to: &str) -> String {
    let at = text.find(anchor).expect(anchor);
    let (head, tail) = text.split_at(at);
    assert!(tail.contains(from), "{from} after {anchor}");
    format!("{head}{}", tail.replacen(from, to, 1))
}

/// The example with the sensitive indicators, the derived figure and the section quoting it.
fn sensitive_example(dir: &Path) -> PathBuf {
    let data = dir.join("data");
    copy_dir(&example(), &data);
    let edit = |file: &str, f: &dyn Fn(String) -> String| {
        let p = data.join(file);
        std::fs::write(&p, f(std::fs::read_to_string(&p).unwrap())).unwrap();
    };
    edit("network.toml", &|t| {
        replace_after(
            &t,
            "[network]",
            "country = \"TH\"\n",
            "country = \"TH\"\nsmall_count_threshold = 500\n",
        )
    });
    edit("framework.toml", &|t| {
        let t = replace_after(
            &t,
            "code = \"P1.O1.I02\"",
            "kind = \"count\"\n",
            "kind = \"count\"\nsensitive = true\nthreshold = 5000\n",
        );
        replace_after(
            &t,
            "code = \"P1.O1.I03\"",
            "kind = \"count\"\n",
            "kind = \"count\"\nsensitive = true\n",
        )
    });
    edit("periods/2022/period.toml", &|t| {
        format!(
            "{t}\n[[derived]]\nid = \"D-PFA-GAP\"\nkind = \"difference\"\nfrom = \"F-MHV-TRAINED\"\nto = \"F-PFA\"\ndecimals = 0\n\n[[section]]\npriority = \"P1\"\nkind = \"context\"\ntext = \"Counselling reached {{D-PFA-GAP}} more people than volunteers were trained.\"\n"
        )
    });
    data
}

/// A store with the sensitive example loaded, and a coordinator's session cookie and API token.
fn store() -> (Sandbox, String, String) {
    let s = Sandbox::new();
    let data = sensitive_example(s.dir.path());
    s.ok(&["load", data.to_str().unwrap()]);
    let rt = tokio::runtime::Runtime::new().unwrap();
    let (cookie, token) = rt.block_on(async {
        let app = mignet_app::App::open(&s.db()).await.unwrap();
        app.add_account(
            "coord@x.org",
            "Coordinator",
            "correct horse battery staple",
            mignet_core::access::Role::Coordinator,
            None,
            "test",
        )
        .await
        .unwrap();
        let session = app
            .login("coord@x.org", "correct horse battery staple")
            .await
            .unwrap();
        let token = app.new_api_token(&session.actor, "test").await.unwrap();
        (format!("mignet_session={}", session.token), token)
    });
    (s, cookie, token)
}

fn assert_none_protected(what: &str, numbers: &[u64]) {
    for p in PROTECTED {
        assert!(
            !numbers.contains(&p),
            "{what} gives away the protected count {p}"
        );
    }
}

#[test]
fn no_public_page_file_or_api_answer_carries_a_small_count_that_a_coordinator_sees() {
    let (s, cookie, token) = store();
    let srv = serve(&s.db());

    // Public pages (HTML, and the map as SVG): what a reader is told, not drawing geometry.
    for path in [
        "/",
        "/?period=2022",
        "/indicators",
        "/indicators/P1.O1.I02",
        "/indicators/P1.O1.I03",
        "/figures/2022/F-PFA",
        "/figures/2022/F-MHV-TRAINED",
        "/sources?period=2022",
        "/pledges",
        "/groups",
        "/gcm",
        "/sdg",
        "/highlights/2022",
        "/downloads",
        "/map/2022.svg",
    ] {
        let a = srv.get(path, &[]);
        assert_eq!(a.status, 200, "{path}: {}", a.text());
        let numbers: Vec<u64> = markup_strings(&a.text())
            .iter()
            .flat_map(|t| numbers_in(t))
            .collect();
        assert_none_protected(path, &numbers);
    }
    let page = srv.get("/figures/2022/F-PFA", &[]).text();
    assert!(page.contains("fewer than 5,000"), "{page}");
    let page = srv.get("/figures/2022/F-MHV-TRAINED", &[]).text();
    assert!(page.contains("fewer than 500"), "{page}");
    let brief = srv.get("/highlights/2022", &[]).text();
    assert!(brief.contains("withheld"), "the derived figure is withheld");

    // Public files: the PDF brief (its text), HXL (its cells) and IATI (its text and attributes).
    let pdf = srv.get("/exports/2022/pdf", &[]);
    assert_eq!(pdf.status, 200);
    let pdf_path = s.path("brief.pdf");
    std::fs::write(&pdf_path, &pdf.body).unwrap();
    let out = std::process::Command::new("pdftotext")
        .args([pdf_path.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext (poppler-utils) is needed");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(text.contains("fewer than"), "{text}");
    assert_none_protected("the PDF brief", &numbers_in(&text));

    let hxl = srv.get("/exports/2022/hxl", &[]);
    assert_eq!(hxl.status, 200);
    // Runs of digits and commas count whole and piece by piece, so cells and numbers in text both do.
    assert_none_protected("the HXL file", &numbers_in(&hxl.text()));

    let iati = srv.get("/exports/2022/iati", &[]);
    assert_eq!(iati.status, 200);
    let numbers: Vec<u64> = markup_strings(&iati.text())
        .iter()
        .flat_map(|t| numbers_in(t))
        .collect();
    assert_none_protected("the IATI file", &numbers);

    // The files with exact values are not public.
    for f in ["json", "xlsx"] {
        let a = srv.get(&format!("/api/v1/periods/2022/exports/{f}"), &[]);
        assert_eq!(a.status, 401, "{f}");
    }

    // The public API.
    for path in [
        "/api/v1/network",
        "/api/v1/framework",
        "/api/v1/periods",
        "/api/v1/periods/2022/figures",
        "/api/v1/periods/2022/figures/F-PFA",
        "/api/v1/periods/2022/figures/F-MHV-TRAINED",
    ] {
        let a = srv.get(path, &[]);
        assert_eq!(a.status, 200, "{path}: {}", a.text());
        assert_none_protected(path, &json_numbers(&a.json()));
    }
    let f = srv.get("/api/v1/periods/2022/figures/F-PFA", &[]).json();
    assert_eq!(f["withheld"], "fewer than 5,000", "{f}");
    assert!(f["value"].is_null(), "{f}");
    assert_eq!(f["withheld_parts"]["children"], "fewer than 5,000", "{f}");

    // The command line's brief is the published one too.
    for format in ["md", "html"] {
        let brief = s.ok(&["report", "--period", "2022", "--format", format]);
        let numbers: Vec<u64> = markup_strings(&brief)
            .iter()
            .flat_map(|t| numbers_in(t))
            .collect();
        assert_none_protected(&format!("the {format} brief"), &numbers);
    }

    // A signed-in coordinator sees the exact values, on the page and through the API.
    let page = srv
        .get("/figures/2022/F-PFA", &[("Cookie", cookie.as_str())])
        .text();
    let numbers: Vec<u64> = markup_strings(&page)
        .iter()
        .flat_map(|t| numbers_in(t))
        .collect();
    assert!(numbers.contains(&4805) && numbers.contains(&2233), "{page}");
    let bearer = format!("Bearer {token}");
    let f = srv
        .get(
            "/api/v1/periods/2022/figures/F-PFA",
            &[("Authorization", bearer.as_str())],
        )
        .json();
    assert_eq!(f["value"], 4805.0, "{f}");
    assert_eq!(f["parts"]["children"], 2233, "{f}");
    let overview = srv
        .get("/?period=2022", &[("Cookie", cookie.as_str())])
        .text();
    assert!(
        contains_number(&overview, "4,805"),
        "the signed-in overview"
    );
}

#[test]
fn a_threshold_on_an_indicator_that_is_not_sensitive_or_below_one_is_refused_where_it_is_written() {
    let s = Sandbox::new();
    let data = sensitive_example(s.dir.path());
    let p = data.join("framework.toml");
    let t = std::fs::read_to_string(&p).unwrap();
    let t = replace_after(&t, "code = \"P1.O1.I03\"", "sensitive = true\n", "");
    let t = replace_after(
        &t,
        "code = \"P1.O1.I03\"",
        "kind = \"count\"\n",
        "kind = \"count\"\nthreshold = 0\n",
    );
    std::fs::write(&p, t).unwrap();
    let err = s.fails(&["load", data.to_str().unwrap()]);
    assert!(err.contains("framework.toml"), "{err}");
    assert!(
        err.contains("`threshold`") || err.contains("threshold"),
        "{err}"
    );
    assert!(err.contains("0 is not a threshold"), "{err}");
}
