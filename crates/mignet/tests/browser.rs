//! The web application in real Chromium, driven through ChromeDriver (Debian's `chromium` and
//! `chromium-driver`), against `mignet serve --demo` on a free loopback port:
//! - a figure's whole review cycle: entered, submitted, returned with a comment, fixed, approved, public;
//! - every public page checked with axe-core, failing on serious or critical violations.
//!
//! Both need the browser: when Chromium, ChromeDriver or axe-core is missing the tests fail with what
//! to install; they never skip.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;
use thirtyfour::common::capabilities::chromium::ChromiumLikeCapabilities;
use thirtyfour::prelude::*;

const PASSWORD: &str = "mignet-demo-2026";

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A child process killed when the test ends, however it ends.
struct Killed(Child);
impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn wait_for_port(port: u16, what: &str) {
    for _ in 0..200 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("{what} did not start listening on port {port}");
}

struct Site {
    base: String,
    _server: Killed,
    _driver: Killed,
    driver_url: String,
    _dir: tempfile::TempDir,
}

fn site() -> Site {
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
    let port = free_port();
    let server = Command::new(env!("CARGO_BIN_EXE_mignet"))
        .args([
            "--db",
            &dir.path().join("web.db").display().to_string(),
            "serve",
            "--demo",
            "--addr",
            &format!("127.0.0.1:{port}"),
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let server = Killed(server);
    wait_for_port(port, "mignet serve");
    let dport = free_port();
    let driver = Killed(
        Command::new("/usr/bin/chromedriver")
            .arg(format!("--port={dport}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    wait_for_port(dport, "chromedriver");
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
    d.delete_all_cookies().await.unwrap();
    d.goto(format!("{}/login", site.base)).await.unwrap();
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
    d.find(By::Css("main form button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let text = d
        .find(By::Css("header .who"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        text.contains("Sign out"),
        "{email} is not signed in: {text}"
    );
}

async fn body_text(d: &WebDriver) -> String {
    d.find(By::Tag("body")).await.unwrap().text().await.unwrap()
}

async fn click(d: &WebDriver, css: &str) {
    d.find(By::Css(css))
        .await
        .unwrap_or_else(|e| panic!("no `{css}`: {e}"))
        .click()
        .await
        .unwrap();
}

#[tokio::test]
#[ignore = "written, not yet run end to end: issue 3 stays open until it passes in CI"]
async fn a_figure_goes_from_entry_through_return_and_fix_to_approval_and_the_public_dashboard() {
    let site = site();
    let d = browser(&site).await;
    let figure = "/figures/2023/IOM-P1.O1.I02";

    // The focal point of IOM enters a figure with a disaggregation and submits it.
    sign_in(&d, &site, "iom@example.org").await;
    d.goto(format!("{}/entry/new?period=2023", site.base))
        .await
        .unwrap();
    click(&d, "#indicator option[value='P1.O1.I02']").await;
    d.find(By::Id("value"))
        .await
        .unwrap()
        .send_keys("500")
        .await
        .unwrap();
    d.find(By::Id("part_children"))
        .await
        .unwrap()
        .send_keys("120")
        .await
        .unwrap();
    d.find(By::Id("note"))
        .await
        .unwrap()
        .send_keys("Counselling in Tak province")
        .await
        .unwrap();
    click(&d, "main form button[type=submit]").await;
    assert!(
        d.current_url().await.unwrap().as_str().ends_with(figure),
        "saved and shown"
    );
    assert!(body_text(&d).await.contains("draft"));
    click(&d, "form input[value=submit] + button").await;
    assert!(body_text(&d).await.contains("submitted"));

    // The coordinator returns it with a comment.
    sign_in(&d, &site, "coordinator@example.org").await;
    d.goto(format!("{}/review", site.base)).await.unwrap();
    d.find(By::Css("form.return textarea"))
        .await
        .unwrap()
        .send_keys("The children are counted twice; please check.")
        .await
        .unwrap();
    click(&d, "form.return button").await;
    assert!(
        body_text(&d)
            .await
            .contains("Nothing is waiting for review")
    );

    // The focal point sees what came back and why, fixes it and submits again.
    sign_in(&d, &site, "iom@example.org").await;
    d.goto(format!("{}/entry", site.base)).await.unwrap();
    let entry = body_text(&d).await;
    assert!(
        entry.contains("returned") && entry.contains("The children are counted twice"),
        "{entry}"
    );
    d.goto(format!("{}{figure}/edit", site.base)).await.unwrap();
    let children = d.find(By::Id("part_children")).await.unwrap();
    children.clear().await.unwrap();
    children.send_keys("60").await.unwrap();
    click(&d, "main form button[type=submit]").await;
    click(&d, "form input[value=submit] + button").await;

    // The coordinator approves it; the public sees it; the audit trail shows each step.
    sign_in(&d, &site, "coordinator@example.org").await;
    d.goto(format!("{}/review", site.base)).await.unwrap();
    click(&d, "form input[value=approve] + button").await;
    d.goto(format!("{}{figure}", site.base)).await.unwrap();
    let page = body_text(&d).await;
    assert!(
        page.contains("approved by coordinator@example.org"),
        "{page}"
    );
    let trail = d
        .find(By::Css("section[aria-labelledby=audit-h]"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for step in [
        "iom@example.org — create",
        "iom@example.org — update",
        "children",
        "coordinator@example.org — status",
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
    let order: Vec<usize> = ["submit", "return", "submit", "approve"]
        .iter()
        .scan(0, |from, step| {
            let at = reviews[*from..]
                .find(&format!("— {step}"))
                .map(|i| i + *from);
            *from = at.map_or(usize::MAX / 2, |i| i + 1);
            at
        })
        .collect();
    assert_eq!(order.len(), 4, "review steps in order:\n{reviews}");

    d.delete_all_cookies().await.unwrap();
    d.goto(format!("{}/?period=2023", site.base)).await.unwrap();
    let public = body_text(&d).await;
    assert!(
        public.contains("500 people") && public.contains("including 60 children"),
        "{public}"
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

#[tokio::test]
#[ignore = "written, not yet run end to end: issue 3 stays open until it passes in CI"]
async fn every_public_page_passes_axe_core_without_serious_or_critical_violations() {
    let axe = axe_source();
    let site = site();
    let d = browser(&site).await;
    let mut failures = Vec::new();
    let pages = [
        "/",
        "/?period=2022",
        "/indicators",
        "/indicators/P1.O1.I02",
        "/figures/2022/F-PFA",
        "/sources",
        "/pledges",
        "/groups",
        "/gcm",
        "/sdg",
        "/highlights/2022",
        "/login",
    ];
    for page in pages {
        d.goto(format!("{}{page}", site.base)).await.unwrap();
        d.execute(axe.as_str(), Vec::new()).await.unwrap();
        let ret = d
            .execute_async(
                "const done = arguments[arguments.length - 1]; axe.run(document, {resultTypes: ['violations']}).then(r => done(r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.length, target: v.nodes[0] && v.nodes[0].target.join(' ')}))));",
                Vec::new(),
            )
            .await
            .unwrap();
        for v in ret.json().as_array().cloned().unwrap_or_default() {
            let impact = v["impact"].as_str().unwrap_or("");
            if impact == "serious" || impact == "critical" {
                failures.push(format!(
                    "{page}: {impact} {} ({}) x{} at {}",
                    v["id"], v["help"], v["nodes"], v["target"]
                ));
            }
        }
    }
    d.quit().await.unwrap();
    assert!(
        failures.is_empty(),
        "accessibility violations:\n{}",
        failures.join("\n")
    );
}
