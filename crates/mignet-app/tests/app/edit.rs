//! The coordinator's edits, through the use case, on the Thailand example in a real SQLite store: the
//! rules of `mignet_core::edit`, who may edit, the audit trail, and the guard against stale forms.

use mignet_app::{App, AppError};
use mignet_core::access::{Actor, Role};
use mignet_core::edit::{Edit, Item, Kind};
use mignet_core::model::*;

fn actor(role: Role, org: Option<&str>) -> Actor {
    Actor {
        id: 1,
        email: format!("{}@example.org", role.as_str()),
        name: role.as_str().into(),
        role,
        organisation: org.map(|o| mignet_core::OrgCode::parse(o).unwrap()),
        approves: false,
    }
}

async fn loaded() -> (tempfile::TempDir, App) {
    let dir = tempfile::tempdir().unwrap();
    let app = App::open(dir.path().join("t.db").to_str().unwrap())
        .await
        .unwrap();
    app.load(&mignet_test_support::example(), "test")
        .await
        .unwrap();
    (dir, app)
}

fn fields(e: AppError) -> Vec<(String, String)> {
    match e {
        AppError::Invalid(v) => v.into_iter().map(|f| (f.field, f.message)).collect(),
        other => panic!("expected field errors, got {other:?}"),
    }
}

async fn indicator(app: &App, code: &str) -> (Indicator, String) {
    match app.item(Kind::Indicator, code).await.unwrap() {
        (Item::Indicator(i), fp) => (i, fp),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn meaning_of_an_indicator_with_published_figures_is_frozen() {
    let (_d, app) = loaded().await;
    let coord = actor(Role::Coordinator, None);
    let (mut i, fp) = indicator(&app, "P1.O1.I02").await;
    i.statement = "Number of people counselled".into();
    i.unit = "persons".into();
    let err = app
        .edit(
            &coord,
            &Edit::Update {
                key: "P1.O1.I02".into(),
                item: Item::Indicator(i.clone()),
            },
            Some(&fp),
        )
        .await
        .unwrap_err();
    let f = fields(err);
    let names: Vec<&str> = f.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["statement", "unit"]);
    assert!(
        f[0].1
            .contains("approved figure(s) in a closed period (2022/"),
        "{}",
        f[0].1
    );
    assert!(f[0].1.contains("Add a new indicator"), "{}", f[0].1);
    // Nothing was written.
    assert_eq!(indicator(&app, "P1.O1.I02").await.1, fp);

    // What does not change the meaning of published figures may change: a tag, a target.
    let (mut i, fp) = indicator(&app, "P1.O1.I02").await;
    i.gcm.push(16);
    i.targets.push(Target {
        period: mignet_core::PeriodCode::parse("2023").unwrap(),
        value: 5000.0,
        cumulative: false,
    });
    let (key, summary) = app
        .edit(
            &coord,
            &Edit::Update {
                key: "P1.O1.I02".into(),
                item: Item::Indicator(i),
            },
            Some(&fp),
        )
        .await
        .unwrap();
    assert_eq!((key.as_str(), summary.updated), ("P1.O1.I02", 1));
    let trail = app
        .store()
        .audit(Some(("indicator", "P1.O1.I02")))
        .await
        .unwrap();
    let last = trail.last().unwrap();
    assert_eq!(
        (last.actor.as_str(), last.action.as_str()),
        ("coordinator@example.org", "update")
    );
    assert!(last.before.as_ref().unwrap()["gcm"] != last.after.as_ref().unwrap()["gcm"]);
}

#[tokio::test]
async fn a_stale_form_is_refused_and_nothing_is_lost() {
    let (_d, app) = loaded().await;
    let coord = actor(Role::Coordinator, None);
    let (p, old_fp) = app.item(Kind::Priority, "P1").await.unwrap();
    let Item::Priority(mut first) = p else {
        panic!()
    };
    let mut second = first.clone();
    first.summary = Some("First coordinator's summary".into());
    app.edit(
        &coord,
        &Edit::Update {
            key: "P1".into(),
            item: Item::Priority(first),
        },
        Some(&old_fp),
    )
    .await
    .unwrap();
    second.title = "Second coordinator's title".into();
    let err = app
        .edit(
            &coord,
            &Edit::Update {
                key: "P1".into(),
                item: Item::Priority(second),
            },
            Some(&old_fp),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(err, AppError::Changed(ref m) if m.contains("changed by someone else")),
        "{err:?}"
    );
    let (Item::Priority(now), _) = app.item(Kind::Priority, "P1").await.unwrap() else {
        panic!()
    };
    assert_eq!(now.summary.as_deref(), Some("First coordinator's summary"));
    assert_ne!(now.title, "Second coordinator's title");
}

#[tokio::test]
async fn only_coordinators_edit_and_references_are_kept_whole() {
    let (_d, app) = loaded().await;
    let outcome = Item::Outcome(Outcome {
        code: mignet_core::FrameworkCode::parse("P1.O9").unwrap(),
        priority: mignet_core::FrameworkCode::parse("P1").unwrap(),
        statement: "A new outcome".into(),
    });
    for role in [Role::FocalPoint, Role::Viewer] {
        let who = actor(role, (role == Role::FocalPoint).then_some("IOM"));
        let err = app
            .edit(&who, &Edit::Create(outcome.clone()), None)
            .await
            .unwrap_err();
        assert!(matches!(err, AppError::Forbidden(_)), "{role:?}: {err:?}");
    }
    let coord = actor(Role::Coordinator, None);
    let (key, s) = app
        .edit(&coord, &Edit::Create(outcome.clone()), None)
        .await
        .unwrap();
    assert_eq!((key.as_str(), s.created), ("P1.O9", 1));
    // Creating it twice is refused on the code.
    assert_eq!(
        fields(
            app.edit(&coord, &Edit::Create(outcome), None)
                .await
                .unwrap_err()
        )[0]
        .0,
        "code"
    );
    // An outcome under a priority that does not exist.
    let bad = Item::Outcome(Outcome {
        code: mignet_core::FrameworkCode::parse("P9.O1").unwrap(),
        priority: mignet_core::FrameworkCode::parse("P9").unwrap(),
        statement: String::new(),
    });
    let f = fields(
        app.edit(&coord, &Edit::Create(bad), None)
            .await
            .unwrap_err(),
    );
    assert_eq!(
        f.iter().map(|x| x.0.as_str()).collect::<Vec<_>>(),
        ["statement", "priority"]
    );
    // A deletion (or a change) without the fingerprint of what was read is refused, naming it.
    let f = fields(
        app.edit(
            &coord,
            &Edit::Delete {
                kind: Kind::Outcome,
                key: "P1.O9".into(),
            },
            None,
        )
        .await
        .unwrap_err(),
    );
    assert_eq!(f[0].0, "fingerprint");
    // Deleting what others refer to is refused and names them; an unused item goes, with a trace.
    let f = fields(
        app.edit(
            &coord,
            &Edit::Delete {
                kind: Kind::Organisation,
                key: "IOM".into(),
            },
            Some(&app.item(Kind::Organisation, "IOM").await.unwrap().1),
        )
        .await
        .unwrap_err(),
    );
    assert!(f[0].1.contains("figure 2022/"), "{}", f[0].1);
    let f = fields(
        app.edit(
            &coord,
            &Edit::Delete {
                kind: Kind::Outcome,
                key: "P1.O1".into(),
            },
            Some(&app.item(Kind::Outcome, "P1.O1").await.unwrap().1),
        )
        .await
        .unwrap_err(),
    );
    assert!(f[0].1.contains("indicator P1.O1.I01"), "{}", f[0].1);
    app.edit(
        &coord,
        &Edit::Delete {
            kind: Kind::Outcome,
            key: "P1.O9".into(),
        },
        Some(&app.item(Kind::Outcome, "P1.O9").await.unwrap().1),
    )
    .await
    .unwrap();
    assert!(matches!(
        app.item(Kind::Outcome, "P1.O9").await,
        Err(AppError::NotFound(_))
    ));
    let trail = app.store().audit(Some(("outcome", "P1.O9"))).await.unwrap();
    assert_eq!(
        trail.iter().map(|a| a.action.as_str()).collect::<Vec<_>>(),
        ["create", "delete"]
    );
    // Codes are permanent.
    let (Item::Priority(mut p), fp) = app.item(Kind::Priority, "P2").await.unwrap() else {
        panic!()
    };
    p.code = mignet_core::FrameworkCode::parse("P2b").unwrap();
    let f = fields(
        app.edit(
            &coord,
            &Edit::Update {
                key: "P2".into(),
                item: Item::Priority(p),
            },
            Some(&fp),
        )
        .await
        .unwrap_err(),
    );
    assert!(f[0].1.contains("codes are permanent"), "{}", f[0].1);
}

#[tokio::test]
async fn narrative_is_edited_in_an_open_period_only() {
    let (_d, app) = loaded().await;
    let coord = actor(Role::Coordinator, None);
    let (Item::Section { section, .. }, fp) = app.item(Kind::Section, "2022/0").await.unwrap()
    else {
        panic!()
    };
    let mut changed = section.clone();
    changed.text.push_str(" Edited.");
    let item = Item::Section {
        period: mignet_core::PeriodCode::parse("2022").unwrap(),
        section: changed,
    };
    let f = fields(
        app.edit(
            &coord,
            &Edit::Update {
                key: "2022/0".into(),
                item,
            },
            Some(&fp),
        )
        .await
        .unwrap_err(),
    );
    assert_eq!(f[0].0, "period");
    assert!(f[0].1.contains("period 2022 is closed"), "{}", f[0].1);

    let open = mignet_core::PeriodCode::parse("2023").unwrap();
    let context = Section {
        priority: None,
        outcome: None,
        kind: SectionKind::Context,
        text: "Borders reopened in 2023.[^fn-1]".into(),
    };
    // A footnote reference that does not resolve is refused on the text field.
    let f = fields(
        app.edit(
            &coord,
            &Edit::Create(Item::Section {
                period: open.clone(),
                section: context.clone(),
            }),
            None,
        )
        .await
        .unwrap_err(),
    );
    assert_eq!(f[0].0, "text");
    assert!(f[0].1.contains("fn-1"), "{}", f[0].1);
    let note = Footnote {
        id: mignet_core::ItemId::parse("fn-1").unwrap(),
        marker: None,
        text: "Ministry of Interior.".into(),
    };
    app.edit(
        &coord,
        &Edit::Create(Item::Footnote {
            period: open.clone(),
            footnote: note,
        }),
        None,
    )
    .await
    .unwrap();
    let (key, _) = app
        .edit(
            &coord,
            &Edit::Create(Item::Section {
                period: open,
                section: context,
            }),
            None,
        )
        .await
        .unwrap();
    assert_eq!(key, "2023/0");
    let ds = app.store().dataset().await.unwrap().unwrap();
    assert_eq!(
        ds.period("2023").unwrap().sections[0].text,
        "Borders reopened in 2023.[^fn-1]"
    );
    // The footnote is now referred to, so it cannot go.
    let f = fields(
        app.edit(
            &coord,
            &Edit::Delete {
                kind: Kind::Footnote,
                key: "2023/fn-1".into(),
            },
            Some(&app.item(Kind::Footnote, "2023/fn-1").await.unwrap().1),
        )
        .await
        .unwrap_err(),
    );
    assert!(f[0].1.contains("narrative of 2023"), "{}", f[0].1);
}

#[tokio::test]
async fn an_indicator_is_made_sensitive_with_a_threshold_and_the_public_view_follows() {
    let (_d, app) = loaded().await;
    let coord = actor(Role::Coordinator, None);
    let update = |i: Indicator| Edit::Update {
        key: "P1.O1.I03".into(),
        item: Item::Indicator(i),
    };
    let (mut i, fp) = indicator(&app, "P1.O1.I03").await;
    assert!(!i.sensitive);
    // A threshold needs a sensitive indicator, and a threshold of at least 1.
    i.threshold = Some(500);
    let f = fields(
        app.edit(&coord, &update(i.clone()), Some(&fp))
            .await
            .unwrap_err(),
    );
    assert_eq!(f[0].0, "threshold");
    assert!(f[0].1.contains("sensitive"), "{}", f[0].1);
    i.sensitive = true;
    i.threshold = Some(0);
    let f = fields(
        app.edit(&coord, &update(i.clone()), Some(&fp))
            .await
            .unwrap_err(),
    );
    assert_eq!(f[0].0, "threshold");
    assert!(f[0].1.contains("0 is not a threshold"), "{}", f[0].1);

    // Marking an indicator with published figures sensitive is allowed: it changes no meaning.
    i.threshold = Some(500);
    app.edit(&coord, &update(i), Some(&fp)).await.unwrap();
    let (stored, _) = indicator(&app, "P1.O1.I03").await;
    assert!(stored.sensitive);
    assert_eq!(stored.threshold, Some(500));
    let exact = app.dataset().await.unwrap();
    let public = app.public_dataset().await.unwrap();
    let value = |ds: &Dataset| {
        ds.period("2022")
            .unwrap()
            .figure("F-MHV-TRAINED")
            .unwrap()
            .value
    };
    assert_eq!(value(&exact), FigureValue::Count { value: 440 });
    assert_eq!(value(&public), FigureValue::Withheld { below: 500 });
}

#[tokio::test]
async fn a_script_link_in_narrative_is_refused_on_its_field() {
    let (_d, app) = loaded().await;
    let coord = actor(Role::Coordinator, None);
    let section = Section {
        priority: None,
        outcome: None,
        kind: SectionKind::Context,
        text: "See [the report](javascript:alert(1)).".into(),
    };
    let f = fields(
        app.edit(
            &coord,
            &Edit::Create(Item::Section {
                period: mignet_core::PeriodCode::parse("2023").unwrap(),
                section,
            }),
            None,
        )
        .await
        .unwrap_err(),
    );
    assert_eq!(f[0].0, "text");
    assert!(f[0].1.contains("javascript:alert(1"), "{}", f[0].1);
}
