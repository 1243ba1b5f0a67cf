//! The web application in real Chromium, driven through ChromeDriver (Debian's `chromium` and
//! `chromium-driver`), against `mignet serve --demo` on a free loopback port:
//! - a figure's whole review cycle: entered, submitted, returned with a comment, fixed, approved, public;
//! - every public page checked with axe-core, failing on any violation;
//! - a whole reporting round with a real mail server and a clock file the test moves.
//!
//! Both need the browser: when Chromium, ChromeDriver or axe-core is missing the tests fail with what
//! to install; they never skip.

use mignet_test_support::{Killed, mignet_serving_port, spawn_on_free_port};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};
use thirtyfour::common::capabilities::chromium::ChromiumLikeCapabilities;
use thirtyfour::prelude::*;

const PASSWORD: &str = "mignet-demo-2026";

struct Site {
    base: String,
    _server: Killed,
    _driver: Killed,
    driver_url: String,
    _dir: tempfile::TempDir,
}

fn site() -> Site {
    site_with(&[])
}

/// `mignet serve --demo` with `extra` arguments (a mail server, a clock file).
fn site_with(extra: &[String]) -> Site {
    for (bin, pkg) in [
        ("/usr/bin/chromium", "chromium"),
        ("/usr/bin/chromedriver", "chromium-driver"),
    ] {
        assert!(
            Path::new(bin).exists(),
            "{bin} is missing: apt-get install {pkg} (scripts/test.sh does)"
        );
    }
    let dir = tempfile::tempdir().unwrap();
    let mut server = Command::new(env!("CARGO_BIN_EXE_mignet"));
    server.args([
        "--db",
        &dir.path().join("web.db").display().to_string(),
        "serve",
        "--demo",
        "--addr",
        "127.0.0.1:0",
    ]);
    server.args(extra);
    let (server, port) = spawn_on_free_port(server, mignet_serving_port);
    let mut driver = Command::new("/usr/bin/chromedriver");
    driver.arg("--port=0");
    // `ChromeDriver was started successfully on port PORT.`
    let (driver, dport) = spawn_on_free_port(driver, |line| {
        line.strip_prefix("ChromeDriver was started successfully on port ")?
            .trim_end_matches('.')
            .parse()
            .ok()
    });
    Site {
        base: format!("http://127.0.0.1:{port}"),
        _server: server,
        _driver: driver,
        driver_url: format!("http://127.0.0.1:{dport}"),
        _dir: dir,
    }
}

async fn browser(site: &Site) -> WebDriver {
    let mut caps = DesiredCapabilities::chrome();
    caps.set_binary("/usr/bin/chromium").unwrap();
    for arg in [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--window-size=1200,900",
    ] {
        caps.add_arg(arg).unwrap();
    }
    WebDriver::new(&site.driver_url, caps)
        .await
        .expect("a Chromium session through ChromeDriver")
}

async fn sign_in(d: &WebDriver, site: &Site, email: &str) {
    // A new session in the language the browser reads in.
    let lang = d
        .get_named_cookie("mignet_lang")
        .await
        .map_or_else(|_| "en".to_owned(), |c| c.value);
    d.delete_all_cookies().await.unwrap();
    d.goto(format!("{}/language/{lang}?next=/login", site.base))
        .await
        .unwrap();
    d.find(By::Id("email"))
        .await
        .unwrap()
        .send_keys(email)
        .await
        .unwrap();
    d.find(By::Id("password"))
        .await
        .unwrap()
        .send_keys(PASSWORD)
        .await
        .unwrap();
    submit(d, "main form button[type=submit]").await;
    let text = d
        .find(By::Css("header .who"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        text.contains("Sign out") || text.contains("ออกจากระบบ"),
        "{email} is not signed in; the page shows:\n{}",
        body_text(d).await
    );
}

async fn body_text(d: &WebDriver) -> String {
    d.find(By::Tag("body")).await.unwrap().text().await.unwrap()
}

/// Fails, showing where the browser is and what it shows, unless the page's visible text has `needle`.
async fn expect_text(d: &WebDriver, needle: &str) -> String {
    let text = body_text(d).await;
    assert!(
        text.contains(needle),
        "expected `{needle}` on {}, which shows:\n{text}",
        d.current_url().await.unwrap()
    );
    text
}

async fn expect_path(d: &WebDriver, path: &str) {
    let url = d.current_url().await.unwrap();
    assert!(
        url.path() == path,
        "expected to be on {path}, but the browser is on {url}, which shows:\n{}",
        body_text(d).await
    );
}

async fn click(d: &WebDriver, css: &str) {
    d.find(By::Css(css))
        .await
        .unwrap_or_else(|e| panic!("no `{css}`: {e}"))
        .click()
        .await
        .unwrap();
}

/// Clicks what submits a form and waits until the browser has left the page, so that what is read
/// next is the answer, not the page the form was on.
async fn submit(d: &WebDriver, css: &str) {
    let page = d.find(By::Tag("html")).await.unwrap();
    click(d, css).await;
    page.wait_until()
        .stale()
        .await
        .unwrap_or_else(|e| panic!("clicking `{css}` did not leave the page: {e}"));
}

async fn type_into(d: &WebDriver, id: &str, text: &str) {
    let field = d
        .find(By::Id(id))
        .await
        .unwrap_or_else(|e| panic!("no field #{id}: {e}"));
    field.clear().await.unwrap();
    field.send_keys(text).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_figure_goes_from_entry_through_return_and_fix_to_approval_and_the_public_dashboard() {
    let site = site();
    let d = browser(&site).await;
    let figure = "/figures/2023/IOM-P1.O1.I02";

    // The focal point of IOM enters a figure with a disaggregation and submits it.
    sign_in(&d, &site, "iom@example.org").await;
    d.goto(format!("{}/entry/new?period=2023", site.base))
        .await
        .unwrap();
    // The form asks for the indicator first, then for what it needs.
    click(&d, "#indicator option[value='P1.O1.I02']").await;
    submit(&d, "main form button[type=submit]").await;
    expect_text(&d, "counted in people").await;
    type_into(&d, "value", "500").await;
    type_into(&d, "part_children", "120").await;
    type_into(&d, "note", "Counselling in Tak province").await;
    submit(&d, "main form button[type=submit]").await;
    expect_path(&d, figure).await;
    expect_text(&d, "DRAFT").await;
    submit(&d, "form input[value=submit] + button").await;
    expect_path(&d, figure).await;
    expect_text(&d, "SUBMITTED").await;

    // The coordinator returns it with a comment.
    sign_in(&d, &site, "coordinator@example.org").await;
    d.goto(format!("{}/review", site.base)).await.unwrap();
    expect_text(&d, "IOM-P1.O1.I02").await;
    d.find(By::Css("form.return textarea"))
        .await
        .unwrap()
        .send_keys("The children are counted twice; please check.")
        .await
        .unwrap();
    submit(&d, "form.return button").await;
    d.goto(format!("{}/review", site.base)).await.unwrap();
    expect_text(&d, "Nothing is waiting for review").await;

    // The focal point sees what came back and why, fixes it and submits again.
    sign_in(&d, &site, "iom@example.org").await;
    d.goto(format!("{}/entry", site.base)).await.unwrap();
    let entry = expect_text(&d, "The children are counted twice").await;
    assert!(entry.to_lowercase().contains("returned"), "{entry}");
    d.goto(format!("{}{figure}/edit", site.base)).await.unwrap();
    type_into(&d, "part_children", "60").await;
    submit(&d, "main form button[type=submit]").await;
    expect_path(&d, figure).await;
    expect_text(&d, "60").await;
    submit(&d, "form input[value=submit] + button").await;
    expect_text(&d, "SUBMITTED").await;

    // The coordinator approves it; the public sees it; the audit trail shows each step.
    sign_in(&d, &site, "coordinator@example.org").await;
    d.goto(format!("{}/review", site.base)).await.unwrap();
    submit(&d, "form.approve button.approve").await;
    d.goto(format!("{}{figure}", site.base)).await.unwrap();
    let shown = expect_text(&d, "APPROVED on ").await;
    assert!(
        shown.contains(" by coordinator@example.org"),
        "a signed-in reader sees who approved the figure:\n{shown}"
    );
    let trail = d
        .find(By::Css("section[aria-labelledby=audit-h]"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for step in [
        "iom@example.org created the figure.",
        "iom@example.org changed the figure:",
        "children",
        "coordinator@example.org returned the figure, saying",
        "coordinator@example.org approved the figure.",
    ] {
        assert!(
            trail.contains(step),
            "the audit trail lacks `{step}`:\n{trail}"
        );
    }
    let reviews = d
        .find(By::Css("section[aria-labelledby=reviews-h]"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let mut rest = reviews.as_str();
    for step in ["submit", "return", "submit", "approve"] {
        let needle = format!("— {step}");
        let at = rest
            .find(&needle)
            .unwrap_or_else(|| panic!("review steps lack `{needle}` in order:\n{reviews}"));
        rest = &rest[at + needle.len()..];
    }
    assert!(
        reviews.contains("The children are counted twice"),
        "the return's comment is in the review steps:\n{reviews}"
    );

    // Signed out, the public dashboard shows the approved figure with its disaggregation.
    d.delete_all_cookies().await.unwrap();
    d.goto(format!("{}/?period=2023", site.base)).await.unwrap();
    let public = expect_text(&d, "500 people").await;
    assert!(public.contains("including 60 children"), "{public}");
    assert!(public.contains("Sign in"), "signed out:\n{public}");
    d.quit().await.unwrap();
}

/// A focal point uploads a workbook through the browser's own file chooser: first one with problems,
/// shown row by row with nothing written, then the corrected one, which enters as submitted.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_focal_point_uploads_a_workbook_and_sees_each_problem_then_the_import() {
    let site = site();
    let d = browser(&site).await;
    let files = tempfile::tempdir().unwrap();
    let header = "organisation,period,indicator,kind,value,part:children,place 1\n";
    let bad = files.path().join("iom-2023-bad.csv");
    std::fs::write(
        &bad,
        format!("{header}IOM,2023,P1.O1.I02,count,-5,2,TH-10\n"),
    )
    .unwrap();
    let good = files.path().join("iom-2023.csv");
    std::fs::write(
        &good,
        format!("{header}IOM,2023,P1.O1.I02,count,640,210,TH-10\n"),
    )
    .unwrap();

    sign_in(&d, &site, "iom@example.org").await;
    d.goto(format!("{}/entry", site.base)).await.unwrap();
    submit(&d, "a[href='/entry/upload']").await;
    expect_path(&d, "/entry/upload").await;
    let choose = |path: PathBuf| {
        let d = d.clone();
        async move {
            d.find(By::Id("file"))
                .await
                .unwrap()
                .send_keys(path.display().to_string())
                .await
                .unwrap();
            submit(
                &d,
                "form[enctype='multipart/form-data'] button[type=submit]",
            )
            .await;
        }
    };
    choose(bad).await;
    let text = expect_text(&d, "1 problem(s) in iom-2023-bad.csv; nothing was written").await;
    let mut row = Vec::new();
    for cell in d
        .find_all(By::Css("table.problems tbody tr:first-child td"))
        .await
        .unwrap()
    {
        row.push(cell.text().await.unwrap());
    }
    assert_eq!(
        row[..3],
        ["csv", "2", "value"],
        "sheet, line and column: {row:?}\n{text}"
    );
    choose(good).await;
    expect_text(
        &d,
        "Imported iom-2023.csv (IOM, 2023): 1 created, 0 updated, 0 unchanged",
    )
    .await;
    d.goto(format!("{}/entry", site.base)).await.unwrap();
    let text = expect_text(&d, "IMP-IOM-P1.O1.I02").await;
    // The status badge is set in capitals by the style sheet.
    assert!(
        text.contains("IMP-IOM-P1.O1.I02\n") && text.contains("640 IOM SUBMITTED"),
        "{text}"
    );
    d.quit().await.unwrap();
}

fn axe_source() -> String {
    let path = std::env::var("MIGNET_AXE_JS")
        .map(PathBuf::from)
        .unwrap_or_else(|_| {
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../../target/npm/node_modules/axe-core/axe.min.js")
        });
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("axe-core is missing at {} ({e}): `npm install --prefix target/npm axe-core@4` (scripts/test.sh does)", path.display()))
}

/// Every public page kind, as the accessibility and phone checks visit them.
const PUBLIC_PAGES: &[&str] = &[
    "/",
    "/?period=2022",
    "/?period=2023",
    "/indicators",
    "/indicators/P1.O1.I02",
    "/figures/2022/F-PFA",
    "/sources",
    "/sources?period=2022",
    "/pledges",
    "/groups",
    "/gcm",
    "/sdg",
    "/highlights/2022",
    "/downloads",
    "/editions",
    "/search?q=covid",
    "/login",
    "/no-such-page",
];

/// The pages behind sign-in, each with the account that sees it.
const SIGNED_IN_PAGES: &[(&str, &[&str])] = &[
    (
        "iom@example.org",
        &[
            "/entry",
            "/entry/new?period=2023",
            "/entry/upload",
            "/messages",
        ],
    ),
    (
        "coordinator@example.org",
        &[
            "/review",
            "/review/completeness",
            "/review/round?period=2023",
            "/messages",
            "/editions",
            "/figures/2022/F-PFA",
            "/admin",
            "/admin/indicator/P1.O1.I02",
            "/admin/section/new?period=2023",
            "/admin/working_group/new",
        ],
    ),
    ("admin@example.org", &["/admin/accounts"]),
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_public_page_passes_axe_core_without_any_violation() {
    let axe = axe_source();
    let site = site();
    let d = browser(&site).await;
    let mut failures = Vec::new();
    for page in PUBLIC_PAGES {
        failures.extend(axe_violations(&d, &axe, &site, page).await);
    }
    // The same pages in Thai, and back to English.
    d.goto(format!("{}/language/th?next=/", site.base))
        .await
        .unwrap();
    for page in PUBLIC_PAGES {
        failures.extend(axe_violations(&d, &axe, &site, page).await);
    }
    d.goto(format!("{}/language/en?next=/", site.base))
        .await
        .unwrap();
    // The pages behind sign-in are held to the same standard.
    for &(who, pages) in SIGNED_IN_PAGES {
        sign_in(&d, &site, who).await;
        for page in pages {
            failures.extend(axe_violations(&d, &axe, &site, page).await);
        }
    }
    d.quit().await.unwrap();
    assert!(
        failures.is_empty(),
        "accessibility violations (axe-core):\n{}",
        failures.join("\n")
    );
}

/// axe-core's violations on one page, as lines to print.
async fn axe_violations(d: &WebDriver, axe: &str, site: &Site, page: &str) -> Vec<String> {
    let mut failures = Vec::new();
    d.goto(format!("{}{page}", site.base)).await.unwrap();
    let title = d.title().await.unwrap();
    assert!(
        !title.is_empty(),
        "{page} has no title; it shows:\n{}",
        body_text(d).await
    );
    d.execute(axe, Vec::new()).await.unwrap();
    let ret = d
        .execute_async(
            "const done = arguments[arguments.length - 1]; axe.run(document, {resultTypes: ['violations']}).then(r => done({version: axe.version, passes: r.passes.length, violations: r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.length, target: v.nodes[0] && v.nodes[0].target.join(' '), html: v.nodes[0] && v.nodes[0].html}))}), e => done({error: String(e)}));",
            Vec::new(),
        )
        .await
        .unwrap();
    let r = ret.json();
    assert!(r["error"].is_null(), "axe-core failed on {page}: {r}");
    // A page axe found nothing to check on would pass vacuously.
    assert!(
        r["passes"].as_u64().unwrap_or(0) > 0,
        "axe-core checked nothing on {page}: {r}"
    );
    for v in r["violations"].as_array().cloned().unwrap_or_default() {
        failures.push(format!(
            "{page}: {} {} ({}) x{} at {} {}",
            v["impact"], v["id"], v["help"], v["nodes"], v["target"], v["html"]
        ));
    }
    failures
}

/// The web Highlights in Chromium under the site's security policy: the brief's styles apply (the
/// cover is blue, not unstyled text), at a desktop's width and at a phone's 360 pixels, where
/// nothing scrolls sideways.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_web_highlights_are_styled_and_fit_a_phone() {
    let site = site();
    let d = browser(&site).await;
    for width in [1200, 360] {
        d.set_window_rect(0, 0, width, 900).await.unwrap();
        d.goto(format!("{}/highlights/2022", site.base))
            .await
            .unwrap();
        let r = d
            .execute(
                "const c = document.querySelector('.brief .cover'); \
                 return {cover: c && getComputedStyle(c).backgroundColor, \
                         scroll: document.documentElement.scrollWidth, view: window.innerWidth, \
                         chart: document.querySelectorAll('.brief figure.chart svg').length};",
                Vec::new(),
            )
            .await
            .unwrap()
            .json()
            .clone();
        assert!(
            r["view"].as_u64().unwrap() <= width as u64,
            "the window is {width} px: {r}"
        );
        assert_eq!(r["cover"], "rgb(11, 94, 168)", "at {width} px: {r}");
        assert_eq!(r["chart"], 1, "at {width} px: {r}");
        assert!(
            r["scroll"].as_u64().unwrap() <= r["view"].as_u64().unwrap(),
            "at {width} px the page scrolls sideways: {r}"
        );
    }
    d.quit().await.unwrap();
}

/// Every public page, and the pages behind sign-in, fit a phone's 360 pixels, a tablet's 768 and a
/// desktop's 1280, in English and in Thai: nothing scrolls sideways (the document is never wider
/// than the window), and no text of the site's charts is drawn smaller than 12 CSS pixels (its
/// font size times the scale the chart is drawn at).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_fits_a_phone_without_sideways_scrolling() {
    let site = site();
    let d = browser(&site).await;
    let mut wide = Vec::new();
    let mut small = Vec::new();
    let mut charts = 0;
    for lang in ["en", "th"] {
        d.goto(format!("{}/language/{lang}?next=/", site.base))
            .await
            .unwrap();
        for width in [360u32, 768, 1280] {
            d.set_window_rect(0, 0, width, 800).await.unwrap();
            let mut check = async |d: &WebDriver, page: &str| {
                d.goto(format!("{}{page}", site.base)).await.unwrap();
                let r = d
                    .execute(
                        "const texts = [...document.querySelectorAll('svg.chart text')]; \
                         const sizes = texts.map(t => parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a); \
                         return {lang: document.documentElement.lang, scroll: document.documentElement.scrollWidth, view: window.innerWidth, \
                         texts: texts.length, smallest: sizes.length ? Math.min(...sizes) : null, \
                         widest: [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > window.innerWidth + 1).slice(-3).map(e => e.tagName + '.' + e.className).join(' ')};",
                        Vec::new(),
                    )
                    .await
                    .unwrap()
                    .json()
                    .clone();
                assert!(r["view"].as_u64().unwrap() <= u64::from(width), "{r}");
                assert_eq!(r["lang"], lang, "{page}: {r}");
                if r["scroll"].as_u64().unwrap() > r["view"].as_u64().unwrap() {
                    wide.push(format!("{page} at {width} px in {lang}: {r}"));
                }
                charts += r["texts"].as_u64().unwrap_or(0);
                if r["smallest"].as_f64().is_some_and(|px| px < 12.0) {
                    small.push(format!("{page} at {width} px in {lang}: {r}"));
                }
            };
            for page in PUBLIC_PAGES {
                check(&d, page).await;
            }
            for &(who, pages) in SIGNED_IN_PAGES {
                sign_in(&d, &site, who).await;
                for page in pages {
                    check(&d, page).await;
                }
            }
            d.delete_cookie("mignet_session").await.unwrap();
        }
    }
    d.quit().await.unwrap();
    assert!(charts > 0, "no chart text was measured");
    assert!(
        wide.is_empty(),
        "pages wider than the window:\n{}",
        wide.join("\n")
    );
    assert!(
        small.is_empty(),
        "chart text under 12 px:\n{}",
        small.join("\n")
    );
}

/// Waits (polling, up to a minute) until the mail server has received a message to `to` whose
/// subject starts with `subject`; returns its text.
fn mail_to(mail: &Path, to: &str, subject: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let got = mignet_test_support::received(mail);
        if let Some(m) = got.iter().find(|m| {
            m.to.iter().any(|t| t == to)
                && m.header("Subject").is_some_and(|s| s.starts_with(subject))
        }) {
            return m.message.clone();
        }
        assert!(
            Instant::now() < deadline,
            "no message to {to} starting `{subject}` after a minute; received: {:#?}",
            got.iter()
                .map(|m| (m.to.clone(), m.header("Subject")))
                .collect::<Vec<_>>()
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// The files of an edition as the public downloads them, by name.
fn edition_files(site: &Site, period: &str, number: u32) -> Vec<(String, Vec<u8>)> {
    let port: u16 = site.base.rsplit(':').next().unwrap().parse().unwrap();
    let list =
        mignet_test_support::http_get(port, &format!("/api/v1/periods/{period}/editions"), &[])
            .json();
    let edition = list
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["number"] == number)
        .unwrap_or_else(|| panic!("no edition {number} of {period}: {list}"))
        .clone();
    edition["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let a = mignet_test_support::http_get(port, f["href"].as_str().unwrap(), &[]);
            assert_eq!(a.status, 200, "{f}");
            (f["name"].as_str().unwrap().to_owned(), a.body)
        })
        .collect()
}

/// A whole reporting round in the browser, with a real mail server and a day the test moves by
/// writing the server's clock file: the coordinator sets the round; reminders go out before the due
/// date; two focal points enter and upload; the late agency is reminded after it; a figure is
/// returned, discussed, fixed and approved; the coordinator publishes; the edition's files stay
/// byte for byte the same the next day and after a correction, which makes edition 2 with errata.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_whole_reporting_round_from_assignments_to_a_corrected_edition() {
    let work = tempfile::tempdir().unwrap();
    let mail = work.path().join("mail");
    std::fs::create_dir(&mail).unwrap();
    let day = work.path().join("day");
    let set_day = |d: &str| std::fs::write(&day, format!("{d}\n")).unwrap();
    set_day("2024-01-08");
    let (_sink, smtp) = mignet_test_support::smtp_sink(&mail, None);
    let site = site_with(&[
        "--smtp".into(),
        format!("smtp://127.0.0.1:{smtp}"),
        "--mail-every".into(),
        "1".into(),
        "--today".into(),
        format!("@{}", day.display()),
    ]);
    let d = browser(&site).await;

    // The coordinator sets the round: figures due on 20 February, and UNHCR assigned one more
    // indicator (P1.O1.I02) besides its own.
    sign_in(&d, &site, "coordinator@example.org").await;
    d.goto(format!("{}/review/round?period=2023", site.base))
        .await
        .unwrap();
    let due = d.find(By::Id("due")).await.unwrap();
    due.send_keys("02202024").await.unwrap();
    // Each organisation's indicators are folded under its name: open UNHCR's.
    for s in d
        .find_all(By::Css("details.assignments summary"))
        .await
        .unwrap()
    {
        if s.text()
            .await
            .unwrap()
            .contains("High Commissioner for Refugees")
        {
            s.click().await.unwrap();
        }
    }
    d.find(By::Id("a-UNHCR-P1.O1.I02"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    submit(&d, "form.round-form button[type=submit]").await;
    expect_path(&d, "/review/completeness").await;
    expect_text(&d, "Figures due 20 February 2024").await;

    // A week before the due date, each agency with something to report is reminded.
    set_day("2024-02-13");
    for to in ["iom@example.org", "unhcr@example.org"] {
        let m = mail_to(&mail, to, "Reminder:");
        assert!(
            m.contains("due in 7 days") || m.contains("in 7 days"),
            "{m}"
        );
    }

    // IOM enters its figure and submits it in one step; UNHCR uploads its workbook.
    sign_in(&d, &site, "iom@example.org").await;
    d.goto(format!(
        "{}/entry/new?period=2023&indicator=P1.O1.I02",
        site.base
    ))
    .await
    .unwrap();
    type_into(&d, "value", "500").await;
    type_into(&d, "part_children", "120").await;
    submit(&d, "main form button[value=submit]").await;
    expect_text(&d, "Saved and submitted for review").await;
    let figure = d.current_url().await.unwrap().path().to_owned();
    let id = figure.rsplit('/').next().unwrap().to_owned();
    mail_to(
        &mail,
        "coordinator@example.org",
        &format!("Submitted for review: {id}"),
    );

    sign_in(&d, &site, "unhcr@example.org").await;
    let csv = work.path().join("unhcr-2023.csv");
    std::fs::write(
        &csv,
        "organisation,period,indicator,kind,value\nUNHCR,2023,P1.O1.I02,count,75\n",
    )
    .unwrap();
    d.goto(format!("{}/entry/upload", site.base)).await.unwrap();
    d.find(By::Id("file"))
        .await
        .unwrap()
        .send_keys(csv.display().to_string())
        .await
        .unwrap();
    submit(
        &d,
        "form[enctype='multipart/form-data'] button[type=submit]",
    )
    .await;
    expect_text(&d, "Imported unhcr-2023.csv (UNHCR, 2023): 1 created").await;

    // The day after the due date, the agencies still owing figures are reminded they are late.
    set_day("2024-02-21");
    let late = mail_to(&mail, "iom@example.org", "Overdue:");
    assert!(late.contains("1 day ago (2024-02-20)"), "{late}");

    // The coordinator returns IOM's figure with a question; IOM answers in the thread, fixes it and
    // submits again; the coordinator approves it with UNHCR's, ticked together.
    sign_in(&d, &site, "coordinator@example.org").await;
    d.goto(format!("{}/review", site.base)).await.unwrap();
    let ret = d
        .find(By::Css(format!(
            "#r-{} form.return textarea",
            id.replace('.', "\\.")
        )))
        .await
        .unwrap();
    ret.send_keys("Are the children counted twice?")
        .await
        .unwrap();
    submit(
        &d,
        &format!("#r-{} form.return button", id.replace('.', "\\.")),
    )
    .await;
    mail_to(&mail, "iom@example.org", &format!("Returned to you: {id}"));

    sign_in(&d, &site, "iom@example.org").await;
    d.goto(format!("{}{figure}", site.base)).await.unwrap();
    d.find(By::Id("thread-comment"))
        .await
        .unwrap()
        .send_keys("Yes: 60 children, not 120.")
        .await
        .unwrap();
    submit(&d, "form.comment button").await;
    mail_to(
        &mail,
        "coordinator@example.org",
        &format!("New comment on {id}"),
    );
    d.goto(format!("{}{figure}/edit", site.base)).await.unwrap();
    expect_text(
        &d,
        "Returned by the coordinator: “Are the children counted twice?”",
    )
    .await;
    type_into(&d, "part_children", "60").await;
    submit(&d, "main form button[value=submit]").await;
    expect_text(&d, "Saved and submitted for review").await;

    sign_in(&d, &site, "coordinator@example.org").await;
    d.goto(format!("{}/review", site.base)).await.unwrap();
    let review = expect_text(&d, "changed the figure:").await;
    assert!(
        review.contains("Yes: 60 children, not 120."),
        "the thread is beside the figure:\n{review}"
    );
    for t in d
        .find_all(By::Css("input[form=bulk][name=figure]"))
        .await
        .unwrap()
    {
        t.click().await.unwrap();
    }
    submit(&d, "form.bulk button").await;
    expect_text(&d, "Approved 2 of 2 figures.").await;
    mail_to(&mail, "iom@example.org", &format!("Approved: {id}"));

    // Publication: the coordinator publishes 2023; its files are served byte for byte the next day.
    d.goto(format!("{}/editions", site.base)).await.unwrap();
    click(&d, "form[action='/editions/2023'] button").await;
    expect_text(&d, "Edition 1 (latest)").await;
    let first = edition_files(&site, "2023", 1);
    assert_eq!(
        first.len(),
        6,
        "{:?}",
        first.iter().map(|f| &f.0).collect::<Vec<_>>()
    );
    set_day("2024-02-22");
    assert_eq!(
        edition_files(&site, "2023", 1),
        first,
        "the next day, the same bytes"
    );

    // A correction: the coordinator reopens IOM's figure, IOM corrects it, it is approved again,
    // and the next publication is edition 2 with its errata; edition 1 has not moved.
    d.goto(format!("{}{figure}", site.base)).await.unwrap();
    submit(&d, "form input[value=reopen] + button").await;
    sign_in(&d, &site, "iom@example.org").await;
    d.goto(format!("{}{figure}/edit", site.base)).await.unwrap();
    type_into(&d, "value", "520").await;
    submit(&d, "main form button[value=submit]").await;
    sign_in(&d, &site, "coordinator@example.org").await;
    d.goto(format!("{}/review", site.base)).await.unwrap();
    submit(&d, "form.approve button.approve").await;
    d.goto(format!("{}/editions", site.base)).await.unwrap();
    click(&d, "form[action='/editions/2023'] button").await;
    let page = expect_text(&d, "Edition 2 (latest)").await;
    assert!(
        page.contains("corrected from 500 people (children: 60) to 520 people (children: 60)"),
        "{page}"
    );
    assert_eq!(
        edition_files(&site, "2023", 1),
        first,
        "edition 1 after the correction"
    );
    let second = edition_files(&site, "2023", 2);
    assert_ne!(second, first);
    d.quit().await.unwrap();
}
