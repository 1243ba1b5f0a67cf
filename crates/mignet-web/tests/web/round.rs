//! The reporting round of the example's open period 2023 (due 16 February 2024, assignments in its
//! period.toml): the coordinator's completeness page and API, a focal point's list of what is due,
//! each counted against the store, on days the test chooses.

use crate::common::*;
use axum::http::StatusCode;
use serde_json::json;

/// IOM enters a figure on an assigned indicator and submits it, and a second stays a draft; the
/// coordinator returns a third.
pub(crate) async fn report_some(w: &World) {
    let iom = w.browser("iom@x.org").await;
    let coord = w.browser("coord@x.org").await;
    for (indicator, steps) in [
        ("P1.O1.I01", &["submit"][..]),
        ("P1.O1.I03", &[][..]),
        ("P1.O1.I04", &["submit", "return"][..]),
    ] {
        let (s, body) = w
            .api(
                &iom,
                "POST",
                "/api/v1/periods/2023/figures",
                Some(json!({"indicator": indicator, "organisations": ["IOM"], "value": 12})),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{body}");
        let id = body["id"].as_str().unwrap().to_owned();
        let mut version = body["version"].as_i64().unwrap();
        for step in steps {
            let (who, extra) = if *step == "return" {
                (&coord, json!({"comment": "Which months does this cover?"}))
            } else {
                (&iom, json!({}))
            };
            let mut req = json!({"action": step, "version": version});
            if let Some(c) = extra.get("comment") {
                req["comment"] = c.clone();
            }
            let (s, body) = w
                .api(
                    who,
                    "POST",
                    &format!("/api/v1/periods/2023/figures/{id}/review"),
                    Some(req),
                )
                .await;
            assert_eq!(s, StatusCode::OK, "{step}: {body}");
            version = body["version"].as_i64().unwrap();
        }
    }
}

#[tokio::test]
async fn before_the_due_date_the_round_counts_each_stage_and_nothing_is_overdue() {
    let w = world_on("2024-02-10").await;
    report_some(&w).await;
    let ds = w.app.store().dataset().await.unwrap().unwrap();
    let assigned: usize = ds.period("2023").unwrap().period.round.assignments.len();
    let iom_assigned = ds
        .period("2023")
        .unwrap()
        .period
        .round
        .assignments
        .iter()
        .filter(|a| a.organisation.as_str() == "IOM")
        .count();
    assert!(
        assigned > 40 && iom_assigned > 10,
        "{assigned} {iom_assigned}"
    );

    let coord = w.browser("coord@x.org").await;
    let (s, api) = w
        .api(&coord, "GET", "/api/v1/periods/2023/completeness", None)
        .await;
    assert_eq!(s, StatusCode::OK, "{api}");
    assert_eq!(api["today"], "2024-02-10");
    assert_eq!(api["due"], "2024-02-16");
    assert_eq!(api["past_due"], false);
    assert_eq!(api["assigned"], assigned);
    assert_eq!(api["reported"], 1, "one submitted figure: {api}");
    let iom = api["organisations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["organisation"] == "IOM")
        .unwrap();
    assert_eq!(iom["assigned"], iom_assigned);
    assert_eq!(
        (&iom["submitted"], &iom["draft"], &iom["returned"]),
        (&json!(1), &json!(1), &json!(1))
    );
    assert_eq!(iom["not_started"], iom_assigned - 3);
    assert_eq!(iom["per_cent"], 100 / iom_assigned as u64);
    assert_eq!(iom["overdue"], 0);
    assert!(iom["last_activity"].as_str().is_some());

    let (s, page, _) = w.get(&coord, "/review/completeness").await;
    assert_eq!(s, StatusCode::OK);
    let text = visible_text(&page);
    assert!(
        text.contains(&format!("1 of {assigned} assigned indicators reported")),
        "{text}"
    );
    assert!(text.contains("Figures due 16 February 2024."), "{text}");
    assert!(text.contains("Today is 10 February 2024."), "{text}");
    assert!(
        text.contains("Returned, awaiting the agency IOM:"),
        "the returned figure is listed: {text}"
    );
    assert!(!text.contains("overdue"), "{text}");
}

#[tokio::test]
async fn after_the_due_date_what_is_not_reported_is_overdue_for_the_coordinator_and_the_agency() {
    let w = world_on("2024-02-20").await;
    report_some(&w).await;
    let coord = w.browser("coord@x.org").await;
    let c = w.app.completeness("2023", "2024-02-20").await.unwrap();
    let iom = c
        .organisations
        .iter()
        .find(|o| o.organisation.as_str() == "IOM")
        .unwrap();
    // Everything IOM has not submitted is overdue: the draft, the returned one, those not started.
    assert_eq!(iom.overdue, iom.assigned - 1);

    let (_, page, _) = w.get(&coord, "/review/completeness?period=2023").await;
    let text = visible_text(&page);
    assert!(text.contains("past due"), "{text}");
    assert!(text.contains(&format!("{} overdue", iom.overdue)), "{text}");

    // The focal point sees the same count on its own page, with the due date.
    let focal = w.browser("iom@x.org").await;
    let (s, entry, _) = w.get(&focal, "/entry").await;
    assert_eq!(s, StatusCode::OK);
    let text = visible_text(&entry);
    assert!(
        text.contains(&format!(
            "Due from IOM by 16 February 2024: 1 of {} assigned indicators reported; {} overdue.",
            iom.assigned, iom.overdue
        )),
        "{text}"
    );
    // A focal point of an organisation without assignments sees no such list; and none sees the round.
    let unhcr = w.browser("unhcr@x.org").await;
    let (_, entry, _) = w.get(&unhcr, "/entry").await;
    let unhcr_assigned = c
        .organisations
        .iter()
        .any(|o| o.organisation.as_str() == "UNHCR");
    assert_eq!(
        visible_text(&entry).contains("Due from UNHCR"),
        unhcr_assigned
    );
    let (s, _, _) = w.get(&focal, "/review/completeness").await;
    assert_eq!(s, StatusCode::FORBIDDEN);
}

/// The round form's fields: the dates and the (organisation, indicator) pairs ticked.
fn round_fields<'a>(
    period: &'a str,
    fingerprint: &'a str,
    dates: [&'a str; 3],
    assign: &'a [&'a str],
) -> Vec<(&'a str, &'a str)> {
    let mut f = vec![
        ("period", period),
        ("fingerprint", fingerprint),
        ("opens", dates[0]),
        ("due", dates[1]),
        ("publishes", dates[2]),
    ];
    f.extend(assign.iter().map(|a| ("assign", *a)));
    f
}

#[tokio::test]
async fn the_coordinator_opens_a_period_and_sets_its_round_from_the_form() {
    let w = world_on("2025-01-06").await;
    let coord = w.browser("coord@x.org").await;
    let iom = w.browser("iom@x.org").await;

    // A focal point neither sees the form nor opens a period.
    assert_eq!(
        w.get(&iom, "/review/round?period=2023").await.0,
        StatusCode::FORBIDDEN
    );
    let (s, ..) = w
        .post(
            &iom,
            "/review/periods",
            &[("code", "2024"), ("title", "Highlights 2024")],
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);

    // The coordinator opens 2024; a second period of that code is refused beside its field.
    let (s, _, location) = w
        .post(
            &coord,
            "/review/periods",
            &[
                ("code", "2024"),
                ("title", "Highlights 2024"),
                ("starts", "2024-01-01"),
                ("ends", "2024-12-31"),
            ],
        )
        .await;
    assert_eq!(
        (s, location.as_deref()),
        (StatusCode::SEE_OTHER, Some("/review/round?period=2024"))
    );
    let (s, html, _) = w
        .post(
            &coord,
            "/review/periods",
            &[("code", "2024"), ("title", "Again"), ("from", "2023")],
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        visible_text(&html).contains("the period 2024 exists already"),
        "{html}"
    );
    let ds = w.app.dataset().await.unwrap();
    let p = ds.period("2024").unwrap();
    assert_eq!(p.period.status, mignet_core::model::PeriodStatus::Open);
    assert!(p.figures.is_empty() && p.period.round.is_empty());

    // Its round: dates and two organisations' indicators, ticked on the form.
    let (s, html, _) = w.get(&coord, "/review/round?period=2024").await;
    assert_eq!(s, StatusCode::OK);
    let fingerprint = mignet_app::round_fingerprint(&p.period.round);
    assert!(html.contains(&fingerprint));
    assert!(
        html.contains("value=\"IOM|P1.O1.I02\""),
        "every member's indicators are offered"
    );
    let assign = ["IOM|P1.O1.I02", "IOM|P1.O1.I03", "UNHCR|P2.O1.I01"];
    // Due before it opens: refused, the date's field says why, nothing is written.
    let (s, html, _) = w
        .post(
            &coord,
            "/review/round",
            &round_fields(
                "2024",
                &fingerprint,
                ["2025-01-10", "2025-01-05", ""],
                &assign,
            ),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("aria-invalid"), "{html}");
    assert!(
        w.app
            .dataset()
            .await
            .unwrap()
            .period("2024")
            .unwrap()
            .period
            .round
            .is_empty()
    );

    let (s, _, location) = w
        .post(
            &coord,
            "/review/round",
            &round_fields(
                "2024",
                &fingerprint,
                ["2025-01-06", "2025-02-14", "2025-03-28"],
                &assign,
            ),
        )
        .await;
    assert_eq!(
        (s, location.as_deref()),
        (
            StatusCode::SEE_OTHER,
            Some("/review/completeness?period=2024")
        )
    );
    let ds = w.app.dataset().await.unwrap();
    let round = &ds.period("2024").unwrap().period.round;
    assert_eq!(round.due.as_deref(), Some("2025-02-14"));
    let pairs: Vec<String> = round
        .assignments
        .iter()
        .map(|a| format!("{}|{}", a.organisation, a.indicator))
        .collect();
    assert_eq!(pairs, assign);

    // The completeness overview counts the new assignments; IOM's list shows what is due.
    let (s, api) = w
        .api(&coord, "GET", "/api/v1/periods/2024/completeness", None)
        .await;
    assert_eq!(s, StatusCode::OK, "{api}");
    assert_eq!(api["due"], "2025-02-14");
    let orgs: Vec<(&str, i64)> = api["organisations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            (
                o["organisation"].as_str().unwrap(),
                o["assigned"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(orgs, [("IOM", 2), ("UNHCR", 1)], "{api}");

    // A form opened before that save is refused, not applied over it.
    let (s, ..) = w
        .post(
            &coord,
            "/review/round",
            &round_fields("2024", &fingerprint, ["2025-01-06", "2025-02-20", ""], &[]),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT);
    assert_eq!(
        w.app
            .dataset()
            .await
            .unwrap()
            .period("2024")
            .unwrap()
            .period
            .round
            .due
            .as_deref(),
        Some("2025-02-14")
    );

    // A closed period's round is history: no form.
    let (_, html, _) = w.get(&coord, "/review/round?period=2022").await;
    assert!(visible_text(&html).contains("is closed"), "{html}");
    // Every change is in the audit trail.
    assert!(
        !w.app
            .store()
            .audit(Some(("period", "2024")))
            .await
            .unwrap()
            .is_empty()
    );
}
