//! The web application through its router, without a socket: each request as a browser or an API
//! client would send it, against a fresh SQLite store holding the Thailand example.

use crate::common::*;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use tower::ServiceExt;

#[tokio::test]
async fn every_public_page_answers_an_anonymous_visitor() {
    let w = world().await;
    let anon = Browser::default();
    for path in [
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
        "/static/mignet.css",
        "/api/v1/openapi.json",
        "/api/v1/network",
        "/api/v1/framework",
        "/api/v1/periods",
        "/api/v1/periods/2022/figures",
    ] {
        let (status, body, _) = w.get(&anon, path).await;
        assert_eq!(status, StatusCode::OK, "{path}: {body}");
    }
    let (_, home, _) = w.get(&anon, "/").await;
    assert!(
        home.contains("4,805") && home.contains("<svg"),
        "the overview shows figures and a chart"
    );
    // The map is an image of its own, described in words for those who cannot see it.
    assert!(
        home.contains("<img class=\"map\" src=\"&#x2f;map&#x2f;2022.svg\"")
            && home.contains("Chiang Mai (TH-50): 1 figure"),
        "{home}"
    );
    let res = w
        .router
        .clone()
        .oneshot(Request::get("/map/2022.svg").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()[header::CONTENT_TYPE], "image/svg+xml");
    let svg =
        String::from_utf8(res.into_body().collect().await.unwrap().to_bytes().to_vec()).unwrap();
    assert_eq!(svg.matches("<path ").count(), 77, "every province is drawn");
    assert_eq!(
        svg.matches("class=\"prov on\"").count(),
        4,
        "the four PFA provinces are shaded"
    );
    assert!(svg.contains("Chiang Mai (TH-50): 1 figure"));
    assert_eq!(w.get(&anon, "/map/1999.svg").await.0, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn only_approved_figures_are_public() {
    let w = world().await;
    let id = w.iom_figure().await;
    let anon = Browser::default();
    let (status, _, _) = w.get(&anon, &format!("/figures/2023/{id}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, body) = w
        .api(&anon, "GET", "/api/v1/periods/2023/figures", None)
        .await;
    assert_eq!(
        (status, body.as_array().map(Vec::len)),
        (StatusCode::OK, Some(0))
    );
    let viewer = w.browser("viewer@x.org").await;
    assert_eq!(
        w.get(&viewer, &format!("/figures/2023/{id}")).await.0,
        StatusCode::OK
    );
}

/// The authorisation matrix: every write, by every role; only what the role allows succeeds.
#[tokio::test]
async fn every_write_succeeds_only_for_the_roles_that_may_do_it() {
    let w = world().await;
    let roles = ROLES;
    let mut browsers = Vec::new();
    for r in roles {
        browsers.push(if r == "anonymous" {
            Browser::default()
        } else {
            w.browser(r).await
        });
    }
    // Creating a figure for IOM: only IOM's focal point.
    for (r, b) in roles.iter().zip(&browsers) {
        let (status, body, _) = w
            .post(
                b,
                "/entry/new?period=2023",
                &[
                    ("indicator", "P1.O1.I03"),
                    ("organisations", "IOM"),
                    ("value", "12"),
                ],
            )
            .await;
        let ok = status == StatusCode::SEE_OTHER;
        assert_eq!(
            ok,
            *r == "iom@x.org",
            "{r} creating an IOM figure: {status} {body}"
        );
        let (status, body) = w.api(b, "POST", "/api/v1/periods/2023/figures", Some(serde_json::json!({"indicator": "P1.O1.I03", "organisations": ["IOM"], "value": 12}))).await;
        assert_eq!(
            status == StatusCode::CREATED,
            *r == "iom@x.org",
            "{r} creating an IOM figure through the API: {status} {body}"
        );
        assert!(
            status.is_success() || body["error"]["code"].is_string(),
            "{r}: every API error has the error shape: {body}"
        );
    }
    // Editing IOM's draft: only IOM's focal point; UNHCR's focal point is refused and nothing changes.
    let id = w.iom_figure().await;
    for (i, (r, b)) in roles.iter().zip(&browsers).enumerate() {
        let version = w
            .app
            .stored_figure("2023", &id)
            .await
            .unwrap()
            .version
            .to_string();
        let value = 900 + i as u64;
        let (status, _, _) = w
            .post(
                b,
                &format!("/figures/2023/{id}/edit"),
                &[
                    ("version", &version),
                    ("indicator", "P1.O1.I02"),
                    ("organisations", "IOM"),
                    ("value", &value.to_string()),
                ],
            )
            .await;
        assert_eq!(
            status == StatusCode::SEE_OTHER,
            *r == "iom@x.org",
            "{r} editing IOM's draft: {status}"
        );
        let stored = w.app.stored_figure("2023", &id).await.unwrap().figure.value;
        assert_eq!(
            stored == mignet_core::FigureValue::Count { value },
            *r == "iom@x.org",
            "{r} editing IOM's figure left {stored:?}"
        );
    }
    // Submitting: only IOM. Approving a submitted figure: only the coordinator and the administrator.
    let v = w.app.stored_figure("2023", &id).await.unwrap().version;
    for (r, b) in roles
        .iter()
        .zip(&browsers)
        .filter(|(r, _)| **r != "iom@x.org")
    {
        let (status, _) = w
            .api(
                b,
                "POST",
                &format!("/api/v1/periods/2023/figures/{id}/review"),
                Some(serde_json::json!({"action": "submit", "version": v})),
            )
            .await;
        assert!(!status.is_success(), "{r} submitted IOM's figure");
    }
    let (status, body) = w
        .api(
            &browsers[3],
            "POST",
            &format!("/api/v1/periods/2023/figures/{id}/review"),
            Some(serde_json::json!({"action": "submit", "version": v})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let v = body["version"].as_i64().unwrap();
    for (r, b) in roles
        .iter()
        .zip(&browsers)
        .filter(|(r, _)| !["admin@x.org", "coord@x.org"].contains(r))
    {
        let (status, _, _) = w
            .post(
                b,
                &format!("/figures/2023/{id}/review"),
                &[("action", "approve"), ("version", &v.to_string())],
            )
            .await;
        assert!(
            !status.is_redirection() && !status.is_success(),
            "{r} approved a figure: {status}"
        );
        assert_eq!(
            w.app
                .stored_figure("2023", &id)
                .await
                .unwrap()
                .figure
                .status,
            mignet_core::FigureStatus::Submitted
        );
    }
    let (status, _, _) = w
        .post(
            &browsers[2],
            &format!("/figures/2023/{id}/review"),
            &[("action", "approve"), ("version", &v.to_string())],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        w.app
            .stored_figure("2023", &id)
            .await
            .unwrap()
            .figure
            .status,
        mignet_core::FigureStatus::Approved
    );
    // Review and entry pages: who may open them.
    for (r, b) in roles.iter().zip(&browsers) {
        let (status, _, location) = w.get(b, "/review").await;
        match *r {
            "anonymous" => assert_eq!(location.as_deref(), Some("/login")),
            "admin@x.org" | "coord@x.org" => assert_eq!(status, StatusCode::OK),
            _ => assert_eq!(status, StatusCode::FORBIDDEN, "{r} opened /review"),
        }
        let (status, _, location) = w.get(b, "/entry").await;
        match *r {
            "anonymous" => assert_eq!(location.as_deref(), Some("/login")),
            "admin@x.org" | "coord@x.org" => assert_eq!(location.as_deref(), Some("/review")),
            "iom@x.org" | "unhcr@x.org" => assert_eq!(status, StatusCode::OK),
            _ => assert_eq!(status, StatusCode::FORBIDDEN, "{r} opened /entry"),
        }
        let (status, _) = w.api(b, "GET", "/api/v1/audit", None).await;
        assert_eq!(
            status == StatusCode::OK,
            *r != "anonymous",
            "{r} reading the audit trail"
        );
    }
}

#[tokio::test]
async fn a_form_with_bad_values_comes_back_with_messages_beside_the_fields_and_the_values_kept() {
    let w = world().await;
    let iom = w.browser("iom@x.org").await;
    let (status, body, _) = w
        .post(
            &iom,
            "/entry/new?period=2023",
            &[
                ("indicator", "P1.O1.I02"),
                ("organisations", "IOM"),
                ("value", "-5"),
                ("part_children", "70"),
                ("places", "TH-99"),
                ("note", "typed by hand"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body.contains("id=\"value-error\"") && body.contains("-5 is negative"),
        "{body}"
    );
    assert!(
        body.contains("id=\"places-error\"") && body.contains("TH-99"),
        "{body}"
    );
    assert!(
        body.contains(">typed by hand</textarea>") && body.contains("value=\"-5\""),
        "the typed values are kept"
    );
    let (status, body, _) = w
        .post(
            &iom,
            "/entry/new?period=2023",
            &[
                ("indicator", "P1.O1.I02"),
                ("organisations", "IOM"),
                ("value", "50"),
                ("part_children", "70"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body.contains("70 children is more than the whole of 50 people"),
        "{body}"
    );
}

#[tokio::test]
async fn the_second_of_two_concurrent_saves_gets_a_conflict_and_overwrites_nothing() {
    let w = world().await;
    let id = w.iom_figure().await;
    let iom = w.browser("iom@x.org").await;
    let v = w
        .app
        .stored_figure("2023", &id)
        .await
        .unwrap()
        .version
        .to_string();
    let (first, _, _) = w
        .post(
            &iom,
            &format!("/figures/2023/{id}/edit"),
            &[
                ("version", &v),
                ("indicator", "P1.O1.I02"),
                ("organisations", "IOM"),
                ("value", "600"),
            ],
        )
        .await;
    assert_eq!(first, StatusCode::SEE_OTHER);
    let (second, body, _) = w
        .post(
            &iom,
            &format!("/figures/2023/{id}/edit"),
            &[
                ("version", &v),
                ("indicator", "P1.O1.I02"),
                ("organisations", "IOM"),
                ("value", "700"),
            ],
        )
        .await;
    assert_eq!(second, StatusCode::CONFLICT);
    assert!(
        body.contains("Someone else saved this figure") && body.contains("value=\"700\""),
        "{body}"
    );
    assert_eq!(
        w.app.stored_figure("2023", &id).await.unwrap().figure.value,
        mignet_core::FigureValue::Count { value: 600 }
    );
    let (status, err) = w.api(&iom, "PUT", &format!("/api/v1/periods/2023/figures/{id}"), Some(serde_json::json!({"version": 1, "indicator": "P1.O1.I02", "organisations": ["IOM"], "value": 800}))).await;
    assert_eq!(
        (status, err["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("conflict"))
    );
}

#[tokio::test]
async fn the_api_answers_malformed_and_invalid_json_with_one_error_shape() {
    let w = world().await;
    let iom = w.browser("iom@x.org").await;
    let send_raw = |body: &'static str, ct: &'static str| {
        Request::post("/api/v1/periods/2023/figures")
            .header(
                header::AUTHORIZATION,
                format!("Bearer {}", iom.token.clone().unwrap()),
            )
            .header(header::CONTENT_TYPE, ct)
            .body(Body::from(body))
            .unwrap()
    };
    for (body, ct, status, code) in [
        (
            "{not json",
            "application/json",
            StatusCode::BAD_REQUEST,
            "malformed_json",
        ),
        (
            "{\"indicator\": 5}",
            "application/json",
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid",
        ),
        (
            "{}",
            "text/plain",
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
        ),
        (
            "{\"indicator\": \"P1.O1.I02\", \"organisations\": [\"IOM\"], \"value\": -3}",
            "application/json",
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid",
        ),
    ] {
        let (s, text, _) = w.send(send_raw(body, ct)).await;
        let j: serde_json::Value =
            serde_json::from_str(&text).unwrap_or_else(|_| panic!("not JSON: {text}"));
        assert_eq!(
            (s, j["error"]["code"].as_str()),
            (status, Some(code)),
            "{body}: {text}"
        );
        assert!(j["error"]["message"].is_string() && j["error"].get("field").is_some());
    }
    let (s, j) = w.api(&iom, "POST", "/api/v1/periods/2023/figures", Some(serde_json::json!({"indicator": "P1.O1.I02", "organisations": ["IOM"], "value": 10, "parts": {"children": 20}}))).await;
    assert_eq!(
        (s, j["error"]["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("parts.children"))
    );
}

#[tokio::test]
async fn sign_in_is_limited_after_five_failures_and_forms_need_their_csrf_token() {
    let w = world().await;
    let (_, page, _) = w.get(&Browser::default(), "/login").await;
    assert!(page.contains("name=\"csrf\""));
    let try_login = |password: &'static str| {
        Request::post("/login")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::COOKIE, "mignet_login_csrf=abc")
            .body(Body::from(format!(
                "csrf=abc&email=iom%40x.org&password={password}"
            )))
            .unwrap()
    };
    for _ in 0..5 {
        assert_eq!(w.send(try_login("wrong")).await.0, StatusCode::UNAUTHORIZED);
    }
    let (status, body, _) = w.send(try_login("correct+horse+battery")).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
    // A good password from a browser that has not failed yet works, and the cookie is hardened.
    let res = w
        .router
        .clone()
        .oneshot(
            Request::post("/login")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(header::COOKIE, "mignet_login_csrf=k")
                .body(Body::from(
                    "csrf=k&email=coord%40x.org&password=correct+horse+battery",
                ))
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let cookie = res
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .find(|c| c.starts_with("mignet_session="))
        .unwrap();
    for flag in ["HttpOnly", "SameSite=Strict", "Secure"] {
        assert!(cookie.contains(flag), "{cookie}");
    }
    // A signed-in form without the CSRF token is refused.
    let mut coord = w.browser("coord@x.org").await;
    coord.csrf = "forged".into();
    assert_eq!(
        w.post(&coord, "/logout", &[]).await.0,
        StatusCode::FORBIDDEN
    );
}

/// The coordinator's framework pages and API, and the administrator's account page, against every role.
#[tokio::test]
async fn only_coordinators_edit_the_framework_and_only_administrators_manage_accounts() {
    let w = world().await;
    for (i, (who, may_edit, may_manage)) in [
        ("anonymous", false, false),
        ("admin@x.org", true, true),
        ("coord@x.org", true, false),
        ("iom@x.org", false, false),
        ("viewer@x.org", false, false),
    ]
    .into_iter()
    .enumerate()
    {
        let b = if who == "anonymous" {
            Browser::default()
        } else {
            w.browser(who).await
        };
        let (status, _, _) = w.get(&b, "/admin").await;
        assert_eq!(
            status == StatusCode::OK,
            may_edit,
            "{who} GET /admin: {status}"
        );
        let (status, _, _) = w.get(&b, "/admin/accounts").await;
        assert_eq!(
            status == StatusCode::OK,
            may_manage,
            "{who} GET /admin/accounts: {status}"
        );
        let code = format!("PX{i}");
        let (status, body, _) = w
            .post(
                &b,
                "/admin/priority/new",
                &[("code", &code), ("title", "A new priority")],
            )
            .await;
        assert_eq!(
            status == StatusCode::SEE_OTHER,
            may_edit,
            "{who} creating a priority: {status} {body}"
        );
        let (status, body) = w
            .api(&b, "POST", "/api/v1/framework/outcome", Some(serde_json::json!({"item": {"code": format!("P1.{code}"), "priority": "P1", "statement": "More"}})))
            .await;
        assert_eq!(
            status == StatusCode::CREATED,
            may_edit,
            "{who} creating an outcome through the API: {status} {body}"
        );
        let (status, _, _) = w
            .post(
                &b,
                "/admin/accounts",
                &[
                    ("email", &format!("new-{code}@x.org")),
                    ("name", "N"),
                    ("password", PASSWORD),
                    ("role", "viewer"),
                ],
            )
            .await;
        assert_eq!(
            status == StatusCode::SEE_OTHER,
            may_manage,
            "{who} creating an account: {status}"
        );
    }
    // What the coordinator created is on its page, with its audit trail.
    let coord = w.browser("coord@x.org").await;
    let (status, page, _) = w.get(&coord, "/admin/priority/PX2").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("A new priority") && page.contains("coord@x.org created the priority PX2."),
        "{page}"
    );
}

#[tokio::test]
async fn an_indicator_with_published_figures_keeps_its_meaning_in_the_form_and_the_api() {
    let w = world().await;
    let coord = w.browser("coord@x.org").await;
    let (status, form, _) = w.get(&coord, "/admin/indicator/P1.O1.I02").await;
    assert_eq!(status, StatusCode::OK);
    let seen = form
        .split("name=\"seen\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    let fields = [
        ("seen", seen.as_str()),
        ("code", "P1.O1.I02"),
        ("outcome", "P1.O1"),
        ("statement", "People counselled"),
        ("unit", "people"),
        ("kind", "count"),
        ("disaggregations", "children: children"),
        ("gcm", "7\n15"),
        ("sdg", "3.8"),
    ];
    let (status, page, _) = w.post(&coord, "/admin/indicator/P1.O1.I02", &fields).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.contains("id=\"statement-error\"") && page.contains("closed period (2022"),
        "{page}"
    );
    assert!(
        page.contains(">People counselled</textarea>"),
        "the typed value is kept"
    );

    let (status, body) = w
        .api(&coord, "GET", "/api/v1/framework/indicator/P1.O1.I02", None)
        .await;
    assert_eq!(status, StatusCode::OK);
    let mut item = body["item"].clone();
    item["unit"] = serde_json::json!("persons");
    let (status, err) = w
        .api(
            &coord,
            "PUT",
            "/api/v1/framework/indicator/P1.O1.I02",
            Some(serde_json::json!({"item": item, "fingerprint": body["fingerprint"]})),
        )
        .await;
    assert_eq!(
        (status, err["error"]["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("unit")),
        "{err}"
    );
    // A change that keeps the meaning goes through; a save from the old fingerprint then conflicts.
    let mut item = body["item"].clone();
    item["sdg"] = serde_json::json!(["3.8", "10.7"]);
    let (status, saved) = w
        .api(
            &coord,
            "PUT",
            "/api/v1/framework/indicator/P1.O1.I02",
            Some(serde_json::json!({"item": item, "fingerprint": body["fingerprint"]})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    assert_ne!(saved["fingerprint"], body["fingerprint"]);
    let (status, err) = w
        .api(
            &coord,
            "PUT",
            "/api/v1/framework/indicator/P1.O1.I02",
            Some(serde_json::json!({"item": body["item"], "fingerprint": body["fingerprint"]})),
        )
        .await;
    assert_eq!(
        (status, err["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("conflict")),
        "{err}"
    );
    // The closed period's narrative is refused; the open one's is written.
    let (status, err) = w
        .api(&coord, "POST", "/api/v1/periods/2022/narrative/section", Some(serde_json::json!({"item": {"kind": "context", "priority": null, "outcome": null, "text": "More."}})))
        .await;
    assert_eq!(
        (status, err["error"]["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("period")),
        "{err}"
    );
    let (status, made) = w
        .api(&coord, "POST", "/api/v1/periods/2023/narrative/section", Some(serde_json::json!({"item": {"kind": "ways_forward", "priority": "P1", "outcome": null, "text": "Keep the hotline open."}})))
        .await;
    assert_eq!(
        (status, made["key"].as_str()),
        (StatusCode::CREATED, Some("2023/0")),
        "{made}"
    );
}

#[tokio::test]
async fn the_administrator_creates_and_changes_accounts_but_cannot_lock_themselves_out() {
    let w = world().await;
    let admin = w.browser("admin@x.org").await;
    let (status, page, _) = w
        .post(
            &admin,
            "/admin/accounts",
            &[
                ("email", "ilo@x.org"),
                ("name", "ILO focal point"),
                ("password", PASSWORD),
                ("role", "focal_point"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.contains("choose it"),
        "a focal point needs an organisation: {page}"
    );
    assert!(
        page.contains("value=\"ilo@x.org\""),
        "the typed email is kept"
    );
    let (status, _, _) = w
        .post(
            &admin,
            "/admin/accounts",
            &[
                ("email", "ilo@x.org"),
                ("name", "ILO focal point"),
                ("password", PASSWORD),
                ("role", "focal_point"),
                ("organisation", "ILO"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let ilo = w.app.login("ilo@x.org", PASSWORD).await.unwrap();
    assert_eq!(
        ilo.actor.organisation.as_ref().map(|o| o.as_str()),
        Some("ILO")
    );
    // Disabling it ends its sessions and is in the trail.
    let (status, _, _) = w
        .post(
            &admin,
            &format!("/admin/accounts/{}", ilo.actor.id),
            &[
                ("role", "focal_point"),
                ("organisation", "ILO"),
                ("disabled", "yes"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(w.app.login("ilo@x.org", PASSWORD).await.is_err());
    let (_, page, _) = w.get(&admin, "/admin/accounts").await;
    assert!(
        page.contains("admin@x.org changed the account ilo@x.org: disabled from no to yes."),
        "{page}"
    );
    // The administrator cannot demote their own account.
    let me = w.app.login("admin@x.org", PASSWORD).await.unwrap().actor;
    let (status, page, _) = w
        .post(
            &admin,
            &format!("/admin/accounts/{}", me.id),
            &[("role", "viewer")],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.contains("cannot demote or disable your own account"),
        "{page}"
    );
}

#[tokio::test]
async fn the_audit_api_pages_through_a_long_trail_and_refuses_an_impossible_limit() {
    let w = world().await;
    let coord = w.browser("coord@x.org").await;
    let (status, all) = w.api(&coord, "GET", "/api/v1/audit", None).await;
    assert_eq!(status, StatusCode::OK);
    let all = all.as_array().unwrap().clone();
    assert!(all.len() > 6, "the loaded example is audited item by item");
    let (_, first) = w.api(&coord, "GET", "/api/v1/audit?limit=3", None).await;
    assert_eq!(first.as_array().unwrap()[..], all[..3]);
    let last_id = first[2]["id"].as_i64().unwrap();
    let (_, next) = w
        .api(
            &coord,
            "GET",
            &format!("/api/v1/audit?limit=3&after={last_id}"),
            None,
        )
        .await;
    assert_eq!(
        next.as_array().unwrap()[..],
        all[3..6],
        "the next page follows on"
    );
    let (_, orgs) = w
        .api(
            &coord,
            "GET",
            "/api/v1/audit?entity=organisation&limit=2",
            None,
        )
        .await;
    let orgs = orgs.as_array().unwrap();
    assert_eq!(orgs.len(), 2);
    assert!(orgs.iter().all(|a| a["entity"] == "organisation"));
    for bad in ["limit=0", "limit=1001", "limit=-5", "after=-1"] {
        let (status, body) = w
            .api(&coord, "GET", &format!("/api/v1/audit?{bad}"), None)
            .await;
        assert!(status.is_client_error(), "{bad} answered {status}");
        assert!(body["error"]["code"].is_string(), "{bad}: {body}");
    }
}

/// The links of a page that follow `marker` (`href="/figures/`), in order, up to their closing quote.
fn links_after(body: &str, marker: &str) -> Vec<String> {
    body.match_indices(marker)
        .map(|(i, _)| {
            let rest = &body[i + marker.len()..];
            rest[..rest.find('"').unwrap()].to_owned()
        })
        .collect()
}

/// The address of a page's "next page" link, unescaped.
fn next_page(body: &str) -> Option<String> {
    links_after(body, "rel=\"next\" href=\"")
        .first()
        .map(|l| l.replace("&#x2f;", "/").replace("&amp;", "&"))
}

#[tokio::test]
async fn long_lists_come_a_page_at_a_time_and_the_pages_hold_every_figure_once() {
    let dir = tempfile::tempdir().unwrap();
    let app = mignet_app::App::open(&dir.path().join("p.db").display().to_string())
        .await
        .unwrap();
    let example =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/thailand-2022");
    app.load(&example, "test").await.unwrap();
    let state = mignet_web::AppState::new(app, true);
    let whole = mignet_web::router(state.clone());
    let paged = mignet_web::router(state.with_figures_per_page(4));
    let get = async |router: &axum::Router, path: &str| {
        let res = router
            .clone()
            .oneshot(Request::get(path).body(Body::empty()).unwrap())
            .await
            .unwrap();
        let status = res.status();
        let link = res
            .headers()
            .get(header::LINK)
            .map(|v| v.to_str().unwrap().to_owned());
        let body = res.into_body().collect().await.unwrap().to_bytes();
        (status, String::from_utf8(body.to_vec()).unwrap(), link)
    };
    for (first, marker) in [
        ("/?period=2022", "<a class=\"fig\" href=\"/figures/"),
        ("/gcm", "<li><a href=\"/figures/"),
        ("/sdg", "<li><a href=\"/figures/"),
    ] {
        let (status, all, _) = get(&whole, first).await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            next_page(&all).is_none(),
            "{first}: the example fits on one page of 200"
        );
        let all = links_after(&all, marker);
        assert!(
            all.len() > 8,
            "{first}: the example has figures for several pages of 4"
        );
        let (mut seen, mut pages, mut at) = (Vec::new(), 0, Some(first.to_owned()));
        while let Some(path) = at {
            let (status, body, _) = get(&paged, &path).await;
            assert_eq!(status, StatusCode::OK, "{path}");
            let here = links_after(&body, marker);
            assert!(
                !here.is_empty() && here.len() <= 4,
                "{path}: {} figures",
                here.len()
            );
            assert_eq!(
                body.contains("rel=\"prev\""),
                pages > 0,
                "{path}: a link back"
            );
            seen.extend(here);
            pages += 1;
            at = next_page(&body);
        }
        assert!(pages > 1, "{first}");
        assert_eq!(seen, all, "{first}: every figure once, in the same order");
        let past = format!(
            "{first}{}page=99",
            if first.contains('?') { "&" } else { "?" }
        );
        assert_eq!(get(&paged, &past).await.0, StatusCode::NOT_FOUND, "{past}");
    }

    // The API: `limit` and `after`, the next page named in the Link header.
    let (status, all, link) = get(&whole, "/api/v1/periods/2022/figures").await;
    assert_eq!(status, StatusCode::OK);
    assert!(link.is_none(), "one page holds the example's figures");
    let ids = |body: &str| -> Vec<String> {
        let v: serde_json::Value = serde_json::from_str(body).unwrap();
        v.as_array()
            .unwrap()
            .iter()
            .map(|f| f["id"].as_str().unwrap().to_owned())
            .collect()
    };
    let all = ids(&all);
    let (mut seen, mut at) = (
        Vec::new(),
        Some("/api/v1/periods/2022/figures?limit=5".to_owned()),
    );
    while let Some(path) = at {
        let (status, body, link) = get(&whole, &path).await;
        assert_eq!(status, StatusCode::OK, "{path}: {body}");
        let here = ids(&body);
        assert!(here.len() <= 5);
        seen.extend(here);
        at = link.map(|l| {
            l.trim_start_matches('<')
                .split_once('>')
                .unwrap()
                .0
                .to_owned()
        });
    }
    assert_eq!(seen, all, "every figure once, in the same order");
    for bad in ["limit=0", "limit=1001", "after=NO-SUCH-FIGURE"] {
        let (status, body, _) = get(&whole, &format!("/api/v1/periods/2022/figures?{bad}")).await;
        assert!(status.is_client_error(), "{bad} answered {status}: {body}");
    }
}

/// The web Highlights are a page of the site: its navigation around the brief, the brief's styles
/// from a stylesheet of the site, nothing inline that the site's security policy (no inline style)
/// would block, the chart of the PDF, and the corrected number marked where it is printed.
#[tokio::test]
async fn the_web_highlights_are_a_site_page_styled_under_its_security_policy() {
    let w = world().await;
    let anon = Browser::default();
    let res = w
        .router
        .clone()
        .oneshot(
            Request::get("/highlights/2022")
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let csp = res.headers()[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        csp.contains("style-src 'self'") && !csp.contains("unsafe-inline"),
        "{csp}"
    );
    let page =
        String::from_utf8(res.into_body().collect().await.unwrap().to_bytes().to_vec()).unwrap();
    assert!(
        page.contains("<nav aria-label=\"Main\">"),
        "the site's navigation"
    );
    assert!(page.contains("<link rel=\"stylesheet\" href=\"/static/highlights.css\">"));
    assert!(page.contains("<article class=\"brief\""));
    for inline in ["<style", " style=", "<script"] {
        assert!(
            !page.contains(inline),
            "`{inline}` would be blocked: {page}"
        );
    }
    assert!(
        page.contains("<figure class=\"chart\">")
            && page.contains("role=\"img\" aria-label=\"People reached")
    );
    assert!(page.contains("<span class=\"correction\"> [published as 134]</span>"));
    assert!(
        !page.contains("joint figure"),
        "no method caption under a line"
    );

    let (status, css, _) = w.get(&anon, "/static/highlights.css").await;
    assert_eq!(status, StatusCode::OK);
    assert!(css.contains(".brief .cover {"), "{css}");
}

/// The front page opens on the latest closed period with its headline results in words, each a link
/// to its figure; one approved figure of the period still being reported does not turn it, and that
/// period, asked for, says it is not final.
#[tokio::test]
async fn the_front_page_shows_the_latest_closed_period_in_headline_results() {
    let w = world().await;
    let anon = Browser::default();
    let (_, home, _) = w.get(&anon, "/").await;
    assert!(
        home.contains("<h1 id=\"page-title\">Highlights 2022</h1>"),
        "{home}"
    );
    assert!(
        home.contains("<a href=\"&#x2f;figures&#x2f;2022&#x2f;F-COVID-IEC\"><b>74,499</b> migrants reached with COVID-19 information")
            || home.contains("<a href=\"/figures/2022/F-COVID-IEC\"><b>74,499</b> migrants reached with COVID-19 information"),
        "{home}"
    );
    let text = visible_text(&home);
    for internal in ["approved figures", "reported jointly"] {
        assert!(
            !text.contains(internal),
            "`{internal}` on the front page: {text}"
        );
    }

    // A 2023 figure approved: the front page stays on 2022, and 2023 says it is in preparation.
    let id = w.iom_figure().await;
    let iom = w.browser("iom@x.org").await;
    let coord = w.browser("coord@x.org").await;
    let (_, body) = w
        .api(
            &iom,
            "POST",
            &format!("/api/v1/periods/2023/figures/{id}/review"),
            Some(serde_json::json!({"action": "submit", "version": 1})),
        )
        .await;
    let v = body["version"].as_i64().unwrap();
    let (status, body) = w
        .api(
            &coord,
            "POST",
            &format!("/api/v1/periods/2023/figures/{id}/review"),
            Some(serde_json::json!({"action": "approve", "version": v})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, home, _) = w.get(&anon, "/").await;
    assert!(
        home.contains("<h1 id=\"page-title\">Highlights 2022</h1>"),
        "{home}"
    );
    // Until it is published, the period says so; then the edition is named instead.
    assert!(home.contains("Not yet published"), "{home}");
    w.app.publish_as("test", "2022").await.unwrap();
    let (_, home, _) = w.get(&anon, "/").await;
    assert!(!home.contains("class=\"banner\""), "{home}");
    assert!(home.contains("Edition 1 of these results"), "{home}");
    let (_, open, _) = w.get(&anon, "/?period=2023").await;
    assert!(open.contains("these figures are not final"), "{open}");

    // The figure's trail, as the coordinator reads it: sentences, not fields.
    let (_, page, _) = w.get(&coord, &format!("/figures/2023/{id}")).await;
    let trail = visible_text(&page[page.find("Audit trail").unwrap()..]);
    assert!(trail.contains(": iom@x.org created the figure."), "{trail}");
    assert!(
        trail.contains(": iom@x.org submitted the figure."),
        "{trail}"
    );
    assert!(
        trail.contains(": coord@x.org approved the figure."),
        "{trail}"
    );
    assert!(
        !trail.contains("status:") && !trail.contains("→"),
        "{trail}"
    );
}

/// The sources page says how each computed number was computed in words, names what it was computed
/// from, and says where a published number disagrees: no ids, no field names.
#[tokio::test]
async fn the_sources_page_explains_computed_numbers_in_words() {
    let w = world().await;
    let (_, page, _) = w.get(&Browser::default(), "/sources?period=2022").await;
    let text = visible_text(&page);
    assert!(
        text.contains("147.6 per cent is the change from 231 to 572: (572 − 231) ÷ 231."),
        "{text}"
    );
    assert!(
        text.contains("It was first published as 134, which the stored values do not support."),
        "{text}"
    );
    assert!(text.contains("341 is 572 − 231. Computed from: Victims of human trafficking"));
    assert!(text.contains("It agrees with the 341 published."));
    for internal in ["percent_change", "S-VOT-2020", "D-VOT", "mignet computes"] {
        assert!(
            !text.contains(internal),
            "`{internal}` on the sources page: {text}"
        );
    }
}

/// Headings and facts read as English: plurals spelt, a renamed group said once.
#[tokio::test]
async fn headings_and_facts_have_no_copy_slips() {
    let w = world().await;
    let (_, groups, _) = w.get(&Browser::default(), "/groups").await;
    let text = visible_text(&groups);
    assert!(
        text.contains("Status Renamed Migrant Health Sub-Working Group in 2023"),
        "{text}"
    );
    assert!(!text.to_lowercase().contains("renamed: renamed"));
    let coord = w.browser("coord@x.org").await;
    let (_, admin, _) = w.get(&coord, "/admin").await;
    let text = visible_text(&admin);
    assert!(
        text.contains("Priorities") && text.contains("Working groups"),
        "{text}"
    );
    for slip in ["Prioritys", "Outcomes outcomes", "..", ",,"] {
        assert!(!text.contains(slip), "`{slip}` in {text}");
    }
}
