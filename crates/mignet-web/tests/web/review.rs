//! Review in context: the coordinator's list shows, for each submitted figure, what changed since its
//! previous submission, its thread, the same organisation's earlier value on the indicator and the
//! checks; filters narrow it; several figures are approved at once; a figure's parties and the
//! coordinators write in its thread, nobody else.

use crate::common::*;
use axum::http::StatusCode;
use serde_json::{Value, json};

async fn step(
    w: &World,
    b: &Browser,
    id: &str,
    action: &str,
    version: &Value,
    comment: Option<&str>,
) -> Value {
    let mut req = json!({"action": action, "version": version});
    if let Some(c) = comment {
        req["comment"] = json!(c);
    }
    let (s, body) = w
        .api(
            b,
            "POST",
            &format!("/api/v1/periods/2023/figures/{id}/review"),
            Some(req),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{action}: {body}");
    body["version"].clone()
}

async fn new_figure(
    w: &World,
    b: &Browser,
    indicator: &str,
    orgs: Value,
    value: u64,
) -> (String, Value) {
    let (s, body) = w
        .api(
            b,
            "POST",
            "/api/v1/periods/2023/figures",
            Some(json!({"indicator": indicator, "organisations": orgs, "value": value})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{body}");
    (
        body["id"].as_str().unwrap().to_owned(),
        body["version"].clone(),
    )
}

#[tokio::test]
async fn the_coordinator_reviews_each_figure_in_its_context_and_approves_several_at_once() {
    let w = world().await;
    let iom = w.browser("iom@x.org").await;
    let unhcr = w.browser("unhcr@x.org").await;
    let coord = w.browser("coord@x.org").await;

    // IOM reports the volunteers it trained (440 in 2022), is asked a question and sent back,
    // answers in the thread, corrects the value and submits again.
    let (mhv, v) = new_figure(&w, &iom, "P1.O1.I03", json!(["IOM"]), 400).await;
    let v = step(&w, &iom, &mhv, "submit", &v, None).await;
    let v = step(
        &w,
        &coord,
        &mhv,
        "return",
        &v,
        Some("Is this the whole year?"),
    )
    .await;
    let (s, ..) = w
        .post(
            &iom,
            &format!("/figures/2023/{mhv}/comment"),
            &[("comment", "No: January to June. The whole year is 455.")],
        )
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let (s, body) = w
        .api(&iom, "PUT", &format!("/api/v1/periods/2023/figures/{mhv}"), Some(json!({"version": v, "indicator": "P1.O1.I03", "organisations": ["IOM"], "value": 455})))
        .await;
    assert_eq!(s, StatusCode::OK, "{body}");
    step(&w, &iom, &mhv, "submit", &body["version"], None).await;
    // UNHCR, another organisation, cannot write in IOM's thread; nor can a viewer.
    for who in [&unhcr, &w.browser("viewer@x.org").await] {
        let (s, ..) = w
            .post(
                who,
                &format!("/figures/2023/{mhv}/comment"),
                &[("comment", "me too")],
            )
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
    }
    // A second IOM figure and one of UNHCR's, submitted once.
    let (nfi, v) = new_figure(&w, &iom, "P2.O1.I04", json!(["IOM"]), 3000).await;
    let nfi_v = step(&w, &iom, &nfi, "submit", &v, None).await;
    let (adv, v) = new_figure(&w, &unhcr, "P2.O1.I02", json!(["UNHCR"]), 5).await;
    step(&w, &unhcr, &adv, "submit", &v, None).await;

    // The coordinator's list: the corrected figure with its change, its thread, its earlier value.
    let (s, html, _) = w.get(&coord, "/review").await;
    assert_eq!(s, StatusCode::OK, "{html}");
    let text = visible_text(&html);
    assert!(
        text.contains("changed the figure: the value from 400 to 455"),
        "{text}"
    );
    assert!(
        text.contains("returned it: “Is this the whole year?”"),
        "{text}"
    );
    assert!(
        text.contains("iom@x.org wrote: “No: January to June. The whole year is 455.”"),
        "{text}"
    );
    assert!(
        text.contains("2022: 440"),
        "IOM's 2022 value of the indicator: {text}"
    );
    assert!(text.contains("First submission."), "{text}");
    // Times read in the network's own zone (the example's is Asia/Bangkok).
    assert!(text.contains(" (+07) iom@x.org wrote"), "{text}");
    assert!(html.contains("class=\"approve\"") && html.contains("class=\"return\""));

    // Filters: by organisation, by outcome.
    let only = |html: &str| -> Vec<String> {
        html.split("id=\"r-")
            .skip(1)
            .map(|s| s.split('"').next().unwrap().to_owned())
            .collect()
    };
    let (_, html, _) = w.get(&coord, "/review?organisation=UNHCR").await;
    assert_eq!(only(&html), vec![adv.clone()]);
    let (_, html, _) = w
        .get(&coord, "/review?outcome=P2.O1&organisation=IOM")
        .await;
    assert_eq!(only(&html), vec![nfi.clone()]);
    let (_, html, _) = w
        .get(&coord, "/review?period=2023&organisation=&outcome=")
        .await;
    assert_eq!(only(&html).len(), 3);

    // Approving the ticked figures: two go through; one ticked on a page opened before a change
    // is refused, and the page says which and why.
    let (_, html, _) = w.get(&coord, "/review").await;
    let ticked = |id: &str| -> String {
        let at = html.find(&format!("value=\"2023/{id}/")).unwrap() + 7;
        html[at..].split('"').next().unwrap().to_owned()
    };
    let (mhv_t, adv_t) = (ticked(&mhv), ticked(&adv));
    let stale = format!("2023/{nfi}/{}", nfi_v.as_i64().unwrap() - 1);
    let (s, html, _) = w
        .post(
            &coord,
            "/review/approve",
            &[
                ("figure", mhv_t.as_str()),
                ("figure", adv_t.as_str()),
                ("figure", stale.as_str()),
                ("comment", "Thank you"),
            ],
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let text = visible_text(&html);
    assert!(text.contains("Approved 2 of 3 figures."), "{text}");
    assert!(text.contains(&format!("{nfi} was not approved")), "{text}");
    let ds = w.app.dataset().await.unwrap();
    let status = |id: &str| ds.period("2023").unwrap().figure(id).unwrap().status;
    use mignet_core::model::FigureStatus::*;
    assert_eq!(
        (status(&mhv), status(&adv), status(&nfi)),
        (Approved, Approved, Submitted)
    );
    // The approval's comment is on the figure's thread.
    let thread = w.app.thread("2023", &mhv).await.unwrap();
    let last = thread.last().unwrap();
    assert_eq!(
        (last.kind.as_str(), last.text.as_deref()),
        ("approve", Some("Thank you"))
    );
    // And a focal point reads the whole thread on the figure's page.
    let (_, page, _) = w.get(&iom, &format!("/figures/2023/{mhv}")).await;
    assert!(
        visible_text(&page).contains("coord@x.org approved it: “Thank you”"),
        "{page}"
    );
}

#[tokio::test]
async fn only_coordinators_see_the_review_list_and_approve_in_bulk() {
    let w = world().await;
    let iom = w.browser("iom@x.org").await;
    assert_eq!(w.get(&iom, "/review").await.0, StatusCode::FORBIDDEN);
    let (s, ..) = w
        .post(&iom, "/review/approve", &[("figure", "2023/X/1")])
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_entry_form_fits_its_indicator_and_saves_and_submits_in_one_step() {
    let w = world().await;
    let iom = w.browser("iom@x.org").await;
    let coord = w.browser("coord@x.org").await;

    // First the indicator; then only what it needs.
    let (_, html, _) = w.get(&iom, "/entry/new?period=2023").await;
    assert!(
        html.contains("First choose what the figure counts") && !html.contains("name=\"value\"")
    );
    let (_, html, _) = w
        .get(&iom, "/entry/new?period=2023&indicator=P1.O1.I07")
        .await;
    assert!(
        html.contains("name=\"achieved\"") && !html.contains("name=\"value\""),
        "a milestone is yes or no"
    );
    assert!(!html.contains("name=\"part_") && !html.contains("name=\"numerator\""));
    let (_, html, _) = w
        .get(&iom, "/entry/new?period=2023&indicator=P1.O1.I02")
        .await;
    assert!(
        html.contains("Value, in people") && html.contains("name=\"part_children\""),
        "a count of people with its parts"
    );
    assert!(!html.contains("name=\"achieved\"") && !html.contains("name=\"numerator\""));

    // Saved and submitted in one step, and the page says so.
    let fields = [
        ("period", "2023"),
        ("indicator", "P1.O1.I02"),
        ("organisations", "IOM"),
        ("value", "500"),
        ("part_children", "120"),
        ("then", "submit"),
    ];
    let (s, _, location) = w.post(&iom, "/entry/new?period=2023", &fields).await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let location = location.unwrap();
    assert!(location.ends_with("?done=submitted"), "{location}");
    let (_, page, _) = w.get(&iom, &location).await;
    assert!(
        visible_text(&page).contains("Saved and submitted for review"),
        "{page}"
    );
    let id = location
        .trim_end_matches("?done=submitted")
        .rsplit('/')
        .next()
        .unwrap()
        .to_owned();
    let stored = w.app.stored_figure("2023", &id).await.unwrap();
    assert_eq!(
        stored.figure.status,
        mignet_core::model::FigureStatus::Submitted
    );

    // A second figure for IOM on that indicator is asked about before anything is written.
    let before = w
        .app
        .dataset()
        .await
        .unwrap()
        .period("2023")
        .unwrap()
        .figures
        .len();
    let (s, html, _) = w.post(&iom, "/entry/new?period=2023", &fields[..5]).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        visible_text(&html).contains(&format!(
            "IOM already has a figure on this indicator in 2023 ({id})"
        )),
        "{html}"
    );
    assert_eq!(
        w.app
            .dataset()
            .await
            .unwrap()
            .period("2023")
            .unwrap()
            .figures
            .len(),
        before
    );
    let mut second = fields[..5].to_vec();
    second.push(("second", "yes"));
    let (s, _, location) = w.post(&iom, "/entry/new?period=2023", &second).await;
    assert_eq!(
        (s, location.map(|l| l.ends_with("?done=saved"))),
        (StatusCode::SEE_OTHER, Some(true))
    );

    // A step taken on the figure's page is confirmed there too.
    let second_id = w
        .app
        .figures_on("2023", "P1.O1.I02", "IOM")
        .await
        .unwrap()
        .pop()
        .unwrap();
    let v = w
        .app
        .stored_figure("2023", &second_id)
        .await
        .unwrap()
        .version
        .to_string();
    let (_, _, location) = w
        .post(
            &iom,
            &format!("/figures/2023/{second_id}/review"),
            &[("action", "submit"), ("version", v.as_str())],
        )
        .await;
    let location = location.unwrap();
    assert!(location.ends_with("?done=submit"), "{location}");
    let (_, page, _) = w.get(&iom, &location).await;
    assert!(visible_text(&page).contains("Submitted for review: the coordinator has been told."));
    // A plain count of one reads in the singular.
    let (_, page, _) = w
        .get(&Browser::default(), "/figures/2022/F-IMD-CAMPAIGN")
        .await;
    assert!(
        visible_text(&page).contains("1 campaign "),
        "{}",
        visible_text(&page)
    );

    // Returned: the reason is on the form while IOM corrects it.
    let (s, body) = w
        .api(&coord, "POST", &format!("/api/v1/periods/2023/figures/{id}/review"), Some(json!({"action": "return", "version": stored.version, "comment": "Children counted twice?"})))
        .await;
    assert_eq!(s, StatusCode::OK, "{body}");
    let (_, html, _) = w.get(&iom, &format!("/figures/2023/{id}/edit")).await;
    assert!(
        visible_text(&html).contains("Returned by the coordinator: “Children counted twice?”"),
        "{html}"
    );
}

#[tokio::test]
async fn with_two_levels_of_approval_the_agency_approves_before_the_coordinator() {
    // The example, with two levels of approval switched on in network.toml.
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    mignet_test_support::copy_dir(&mignet_test_support::example(), &data);
    let toml = std::fs::read_to_string(data.join("network.toml")).unwrap();
    std::fs::write(
        data.join("network.toml"),
        toml.replacen(
            "country = \"TH\"\n",
            "country = \"TH\"\nagency_approval = true\n",
            1,
        ),
    )
    .unwrap();
    let db = dir.path().join("t.db").display().to_string();
    let w = world_of(&db, dir, &data).await;
    assert!(w.app.dataset().await.unwrap().network.agency_approval);
    w.app
        .add_account(
            "approver@iom.example",
            "IOM approver",
            PASSWORD,
            mignet_core::access::Role::FocalPoint,
            Some("IOM"),
            "test",
        )
        .await
        .unwrap();
    let approver_account = w
        .app
        .mark_approver("approver@iom.example", "test")
        .await
        .unwrap();
    assert!(approver_account.actor.approves);
    let iom = w.browser("iom@x.org").await;
    let approver = w.browser("approver@iom.example").await;
    let unhcr = w.browser("unhcr@x.org").await;
    let coord = w.browser("coord@x.org").await;

    let (id, v) = new_figure(&w, &iom, "P1.O1.I03", json!(["IOM"]), 400).await;
    let v = step(&w, &iom, &id, "submit", &v, None).await;
    // It waits for IOM's approver: not on the coordinator's list, who cannot approve it yet.
    let (_, html, _) = w.get(&coord, "/review").await;
    assert!(
        !html.contains(&format!("id=\"r-{id}\"")),
        "not yet the network's to review"
    );
    let (s, body) = w
        .api(
            &coord,
            "POST",
            &format!("/api/v1/periods/2023/figures/{id}/review"),
            Some(json!({"action": "approve", "version": v})),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{body}");
    assert!(
        body.to_string().contains("waits for the approval of IOM"),
        "{body}"
    );
    // Another agency's focal point and IOM's plain focal point cannot approve it for IOM.
    for b in [&unhcr, &iom] {
        let (s, _) = w
            .api(
                b,
                "POST",
                &format!("/api/v1/periods/2023/figures/{id}/review"),
                Some(json!({"action": "endorse", "version": v})),
            )
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
    }
    // IOM's approver sees it on its own list and approves it for IOM.
    let (s, html, _) = w.get(&approver, "/review").await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        html.contains(&format!("id=\"r-{id}\"")) && html.contains("value=\"endorse\""),
        "{html}"
    );
    assert!(visible_text(&html).contains("Figures to approve for your organisation"));
    let v = step(&w, &approver, &id, "endorse", &v, None).await;
    // Now it is the coordinator's, and told to them.
    let (_, html, _) = w.get(&coord, "/review").await;
    assert!(html.contains(&format!("id=\"r-{id}\"")));
    assert!(
        visible_text(&html).contains("approved it for its organisation"),
        "the thread says so"
    );
    let (_, list) = w.api(&coord, "GET", "/api/v1/messages", None).await;
    assert!(
        list.to_string().contains("approved")
            && list
                .to_string()
                .contains(&format!("Submitted for review: {id}")),
        "{list}"
    );
    step(&w, &coord, &id, "approve", &v, None).await;

    // A changed figure needs its agency's approval again: the approver returns a second one, and
    // after the fix and a new submission, the earlier approval does not count.
    let (id2, v) = new_figure(&w, &iom, "P2.O1.I04", json!(["IOM"]), 3000).await;
    let v = step(&w, &iom, &id2, "submit", &v, None).await;
    let v = step(&w, &approver, &id2, "endorse", &v, None).await;
    let v = step(&w, &coord, &id2, "return", &v, Some("Which months?")).await;
    let (s, body) = w
        .api(&iom, "PUT", &format!("/api/v1/periods/2023/figures/{id2}"), Some(json!({"version": v, "indicator": "P2.O1.I04", "organisations": ["IOM"], "value": 3100})))
        .await;
    assert_eq!(s, StatusCode::OK, "{body}");
    let v = step(&w, &iom, &id2, "submit", &body["version"], None).await;
    let (s, _) = w
        .api(
            &coord,
            "POST",
            &format!("/api/v1/periods/2023/figures/{id2}/review"),
            Some(json!({"action": "approve", "version": v})),
        )
        .await;
    assert_eq!(
        s,
        StatusCode::FORBIDDEN,
        "the approval of the earlier content does not carry"
    );
    // The approver's message said it waits for them.
    let (_, list) = w.api(&approver, "GET", "/api/v1/messages", None).await;
    assert!(
        list.to_string()
            .contains(&format!("Waiting for your approval: {id2}")),
        "{list}"
    );
}
