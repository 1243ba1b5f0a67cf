//! The store's contract, run against both databases: every test below runs once on an SQLite file and
//! once on a fresh PostgreSQL database. PostgreSQL's admin URL comes from `MIGNET_TEST_POSTGRES`
//! (`.ci/start-postgres.sh` prints one); without it the PostgreSQL runs fail, they never skip.

use mignet_core::JointMethod;
use mignet_core::model::*;
use mignet_store::Store;
use sqlx::Connection;

fn example() -> Dataset {
    mignet_formats::dataset::read_dir(&mignet_test_support::example()).expect("the example reads")
}

/// A database that lives as long as the test: an SQLite file in a temporary folder, or a fresh
/// PostgreSQL database.
struct TestDb {
    url: String,
    _dir: Option<mignet_test_support::TempDir>,
}

/// A plain connection to the test database, for looking at tables the store's API does not show.
async fn raw(url: &str) -> sqlx::AnyConnection {
    sqlx::any::install_default_drivers();
    let url = if url.starts_with("postgres") {
        url.to_owned()
    } else {
        format!("sqlite://{url}")
    };
    sqlx::AnyConnection::connect(&url).await.unwrap()
}

async fn sqlite_db() -> TestDb {
    let dir = mignet_test_support::tempdir().unwrap();
    TestDb {
        url: dir.path().join("test.db").display().to_string(),
        _dir: Some(dir),
    }
}

async fn postgres_db() -> TestDb {
    TestDb {
        url: mignet_test_support::postgres_database("mignet_t").await,
        _dir: None,
    }
}

macro_rules! both {
    ($($name:ident => $body:expr;)*) => {
        mod sqlite {
            use super::*;
            $(#[tokio::test] async fn $name() { let db = sqlite_db().await; ($body)(db.url.clone()).await; })*
        }
        mod postgres {
            use super::*;
            $(#[tokio::test] async fn $name() { let db = postgres_db().await; ($body)(db.url.clone()).await; })*
        }
    };
}

async fn loaded(url: &str) -> (Store, Dataset) {
    let store = Store::open(url).await.unwrap();
    let ds = example();
    store.save_dataset(&ds, "test").await.unwrap();
    (store, ds)
}

both! {
    annual_and_cumulative_targets_keep_their_kind_and_order_and_a_second_load_changes_nothing => |url: String| async move {
        let (store, mut ds) = loaded(&url).await;
        let period = |c: &str| mignet_core::PeriodCode::parse(c).unwrap();
        let i = ds.framework.indicators.iter_mut().find(|i| i.code.as_str() == "P1.O1.I01").unwrap();
        // Written out of the periods' order, an annual and a cumulative target in one period.
        i.targets = vec![
            Target { period: period("2023"), value: 20000.0, cumulative: true },
            Target { period: period("2023"), value: 5000.0, cumulative: false },
            Target { period: period("2022"), value: 1000.5, cumulative: false },
        ];
        let s = store.save_dataset(&ds, "test").await.unwrap();
        assert_eq!(s.updated, 1, "{s:?}");
        assert_eq!(store.dataset().await.unwrap().unwrap(), ds);
        let again = store.save_dataset(&ds, "test").await.unwrap();
        assert_eq!((again.created, again.updated, again.deleted), (0, 0, 0), "{again:?}");
        // Two annual targets of one period are one too many for the table as for the rules.
        let mut twice = ds.clone();
        let i = twice.framework.indicators.iter_mut().find(|i| i.code.as_str() == "P1.O1.I01").unwrap();
        i.targets.push(Target { period: period("2023"), value: 1.0, cumulative: false });
        assert!(store.save_dataset(&twice, "test").await.is_err());
        assert_eq!(store.dataset().await.unwrap().unwrap(), ds, "nothing was written");
    };
    a_value_as_the_report_stated_it_is_stored_whole => |url: String| async move {
        use mignet_core::stated::{Currency, MilestoneStatus, Qualifier, Stated};
        let (store, mut ds) = loaded(&url).await;
        let p = ds.periods.iter_mut().find(|p| p.period.code.as_str() == "2022").unwrap();
        let figure = |p: &mut PeriodData, id: &str| -> usize {
            p.figures.iter().position(|f| f.id.as_str() == id).unwrap()
        };
        let i = figure(p, "F-COVID-IEC");
        p.figures[i].stated = Stated {
            qualifier: Some(Qualifier::Over),
            high: Some(80000.0),
            currency: Currency::parse("USD"),
            numerator: Some(1.5),
            denominator: Some(2.5),
            cumulative: true,
            in_words: true,
            ..Stated::default()
        };
        let i = figure(p, "F-HOTLINE");
        p.figures[i].stated = Stated {
            milestone: Some(MilestoneStatus::Achieved),
            date: Some("2022-12".into()),
            ..Stated::default()
        };
        store.save_dataset(&ds, "test").await.unwrap();
        let back = store.dataset().await.unwrap().unwrap();
        assert_eq!(back, ds, "the whole dataset read back");
        let p = ds.period("2022").unwrap();
        for id in ["F-COVID-IEC", "F-HOTLINE"] {
            let one = store.figure("2022", id).await.unwrap().unwrap();
            assert_eq!(&one.figure, p.figure(id).unwrap(), "{id} read alone");
        }
    };
    places_of_any_country_round_trip_with_their_gazetteer_boundaries_sites_and_counts => |url: String| async move {
        let store = Store::open(&url).await.unwrap();
        let ds = mignet_formats::dataset::read_dir(&mignet_test_support::root().join("examples/myanmar-2024"))
            .expect("the Myanmar example reads");
        let mut ds = ds;
        ds.network.countries = vec!["MM".into(), "TH".into()];
        ds.gazetteer.boundaries = Some(r#"{"type":"FeatureCollection","features":[]}"#.into());
        store.save_dataset(&ds, "test").await.unwrap();
        let back = store.dataset().await.unwrap().unwrap();
        assert_eq!(back, ds);
        assert_eq!(back.gazetteer.areas.len(), 6);
        let f = back.period("2024").unwrap().figure("F-REFERRALS").unwrap();
        assert_eq!((f.locations, f.in_areas), (Some(12), Some(4)));
        assert_eq!(back.period("2024").unwrap().figure("F-HEALTH").unwrap().sites.len(), 1);
        let again = store.save_dataset(&ds, "test").await.unwrap();
        assert!(again.is_unchanged(), "{again:?}");
        // A changed area and changed boundaries are one audited change each; the boundaries are
        // recorded by size and digest, not copied into the trail.
        ds.gazetteer.areas[1].name = "Yangon West".into();
        let changed = r#"{"type":"FeatureCollection","features":[ ]}"#;
        ds.gazetteer.boundaries = Some(changed.into());
        let s = store.save_dataset(&ds, "test").await.unwrap();
        assert_eq!((s.created, s.updated, s.deleted), (0, 2, 0), "{s:?}");
        let trail = store.audit(Some(("boundaries", "boundaries"))).await.unwrap();
        let after = trail.last().unwrap().after.clone().unwrap();
        assert_eq!(after["bytes"], changed.len());
        assert_eq!(after.as_object().unwrap().len(), 2, "size and digest only: {after}");
        ds.gazetteer = Gazetteer::default();
        ds.network.countries = vec!["MM".into()];
        for f in &mut ds.periods[0].figures {
            f.places.retain(|p| !p.as_str().starts_with("MMR"));
        }
        store.save_dataset(&ds, "test").await.unwrap();
        assert_eq!(store.dataset().await.unwrap().unwrap(), ds);
    };
    sensitive_indicators_and_thresholds_are_stored_and_a_public_view_is_never_written => |url: String| async move {
        let (store, mut ds) = loaded(&url).await;
        ds.network.small_count_threshold = 500;
        let i = ds.framework.indicators.iter_mut().find(|i| i.code.as_str() == "P1.O1.I02").unwrap();
        i.sensitive = true;
        i.threshold = Some(5000);
        let i = ds.framework.indicators.iter_mut().find(|i| i.code.as_str() == "P1.O1.I03").unwrap();
        i.sensitive = true;
        let s = store.save_dataset(&ds, "test").await.unwrap();
        assert_eq!(s.updated, 3, "the network and two indicators: {s:?}");
        let back = store.dataset().await.unwrap().unwrap();
        assert_eq!(back, ds);
        let trail = store.audit(Some(("indicator", "P1.O1.I02"))).await.unwrap();
        assert_eq!(trail.last().unwrap().after.as_ref().unwrap()["threshold"], 5000);

        // The public view withholds F-PFA (4,805 < 5,000); writing it back is refused whole.
        let public = mignet_core::disclosure::protect(&back);
        assert_ne!(public, back);
        assert!(store.save_dataset(&public, "test").await.is_err());
        assert_eq!(store.dataset().await.unwrap().unwrap(), back, "nothing was written");
    };
    an_edit_writes_only_what_it_changed_and_a_refused_edit_writes_nothing => |url: String| async move {
        let (store, ds) = loaded(&url).await;
        let generation = store.generation().await.unwrap();
        // A figure saved by someone else after the editor read the dataset is not undone by the edit.
        let mut other = ds.clone();
        other.periods[0].figures[0].note = Some("saved meanwhile".into());
        store.save_dataset(&other, "iom@example.org").await.unwrap();
        let s = store
            .edit_dataset("coordinator@example.org", |d| {
                d.framework.priorities[0].summary = Some("Edited".into());
                Ok::<_, String>(())
            })
            .await
            .unwrap()
            .unwrap();
        assert_eq!((s.created, s.updated, s.deleted), (0, 1, 0), "{s:?}");
        let back = store.dataset().await.unwrap().unwrap();
        assert_eq!(back.framework.priorities[0].summary.as_deref(), Some("Edited"));
        assert_eq!(back.periods[0].figures[0].note.as_deref(), Some("saved meanwhile"));
        let key = back.framework.priorities[0].code.to_string();
        let trail = store.audit(Some(("priority", &key))).await.unwrap();
        assert_eq!(trail.last().unwrap().actor, "coordinator@example.org");
        assert!(store.generation().await.unwrap() > generation);
        // A refusal comes back as the inner error, and nothing is written.
        let audit = store.audit(None).await.unwrap().len();
        let refused = store
            .edit_dataset("coordinator@example.org", |d| {
                d.framework.priorities.clear();
                Err("no")
            })
            .await
            .unwrap();
        assert_eq!(refused, Err("no"));
        assert_eq!(store.dataset().await.unwrap().unwrap(), back);
        assert_eq!(store.audit(None).await.unwrap().len(), audit);
    };
    an_empty_store_has_no_dataset => |url: String| async move {
        let store = Store::open(&url).await.unwrap();
        assert!(store.dataset().await.unwrap().is_none());
    };
    a_saved_dataset_reads_back_equal => |url: String| async move {
        let (store, ds) = loaded(&url).await;
        let back = store.dataset().await.unwrap().unwrap();
        assert_eq!(back.organisations, ds.organisations);
        assert_eq!(back.framework, ds.framework);
        assert_eq!(back.pledges, ds.pledges);
        assert_eq!(back.groups, ds.groups);
        assert_eq!(back.periods, ds.periods);
        assert_eq!(back, ds);
    };
    joint_methods_with_their_records_and_overlap_read_back_and_are_audited => |url: String| async move {
        let (store, mut ds) = loaded(&url).await;
        let methods = [
            JointMethod::Sum,
            JointMethod::Max,
            JointMethod::DeclaredOverlap { overlap: 30 },
            JointMethod::Records { records: 24, overlap: 3 },
        ];
        for (f, m) in ds.periods[0].figures.iter_mut().zip(methods) {
            f.joint = m;
        }
        let s = store.save_dataset(&ds, "test").await.unwrap();
        assert_eq!(s.updated, 4, "{s:?}");
        assert_eq!(store.dataset().await.unwrap().unwrap(), ds);
        let f = &mut ds.periods[0].figures[3];
        let key = format!("2022/{}", f.id);
        f.joint = JointMethod::Records { records: 25, overlap: 4 };
        store.save_dataset(&ds, "test").await.unwrap();
        let trail = store.audit(Some(("figure", &key))).await.unwrap();
        let last = trail.last().unwrap();
        assert_eq!(last.before.as_ref().unwrap()["joint"]["records"], 24);
        assert_eq!(last.after.as_ref().unwrap()["joint"]["overlap"], 4);
        assert_eq!(store.dataset().await.unwrap().unwrap(), ds);
    };
    saving_the_same_dataset_twice_changes_nothing => |url: String| async move {
        let (store, ds) = loaded(&url).await;
        let audit_before = store.audit(None).await.unwrap().len();
        let second = store.save_dataset(&ds, "test").await.unwrap();
        assert!(second.is_unchanged(), "{second:?}");
        assert_eq!(store.audit(None).await.unwrap().len(), audit_before);
        assert_eq!(store.dataset().await.unwrap().unwrap(), ds);
    };
    a_changed_figure_is_rewritten_and_audited_with_before_and_after => |url: String| async move {
        let (store, mut ds) = loaded(&url).await;
        let f = &mut ds.periods[0].figures[0];
        let key = format!("2022/{}", f.id);
        let old = f.value;
        f.value = FigureValue::Count { value: 12345 };
        let s = store.save_dataset(&ds, "coordinator@example.org").await.unwrap();
        assert_eq!((s.created, s.updated, s.deleted), (0, 1, 0), "{s:?}");
        let trail = store.audit(Some(("figure", &key))).await.unwrap();
        let last = trail.last().unwrap();
        assert_eq!(last.action, "update");
        assert_eq!(last.actor, "coordinator@example.org");
        assert_eq!(last.before.as_ref().unwrap()["value"], serde_json::to_value(old).unwrap());
        assert_eq!(last.after.as_ref().unwrap()["value"]["value"], 12345);
        assert_eq!(store.dataset().await.unwrap().unwrap(), ds);
    };
    a_removed_figure_is_deleted_with_a_trace => |url: String| async move {
        let (store, mut ds) = loaded(&url).await;
        // Take a figure that no line quotes, or drop the lines quoting it too.
        let gone = ds.periods[0].figures.remove(0);
        ds.periods[0].lines.retain(|l| !l.figures.contains(&gone.id));
        store.save_dataset(&ds, "test").await.unwrap();
        let trail = store.audit(Some(("figure", &format!("2022/{}", gone.id)))).await.unwrap();
        assert_eq!(trail.last().unwrap().action, "delete");
        assert!(trail.last().unwrap().before.is_some());
        assert_eq!(store.dataset().await.unwrap().unwrap(), ds);
    };
    a_dataset_the_database_refuses_leaves_the_store_as_it_was => |url: String| async move {
        let (store, ds) = loaded(&url).await;
        let mut bad = ds.clone();
        bad.periods[0].figures[0].value = FigureValue::Count { value: 1 };
        // An organisation that does not exist breaks a reference: the whole write must roll back.
        bad.periods[0].figures[1].organisations.push(mignet_core::OrgCode::parse("NOBODY").unwrap());
        assert!(store.save_dataset(&bad, "test").await.is_err());
        assert_eq!(store.dataset().await.unwrap().unwrap(), ds);
    };
    a_new_figure_is_created_at_version_1_and_a_stale_save_is_refused => |url: String| async move {
        let (store, ds) = loaded(&url).await;
        let mut f = ds.periods[0].figures[0].clone();
        f.id = mignet_core::ItemId::parse("F-NEW").unwrap();
        f.status = FigureStatus::Draft;
        let w = store.put_figure("2022", &f, "focal@iom", Some(0)).await.unwrap();
        assert_eq!((w.version, w.changed), (1, true));
        // Two people opened version 1; the first saves, the second's save must not overwrite it.
        f.value = FigureValue::Count { value: 10 };
        assert_eq!(store.put_figure("2022", &f, "alice", Some(1)).await.unwrap().version, 2);
        f.value = FigureValue::Count { value: 20 };
        let err = store.put_figure("2022", &f, "bob", Some(1)).await.unwrap_err();
        assert!(matches!(err, mignet_store::StoreError::Conflict { expected: 1, current: 2, .. }), "{err}");
        assert!(err.to_string().contains("changed by someone else"));
        let stored = store.figure("2022", "F-NEW").await.unwrap().unwrap();
        assert_eq!(stored.figure.value, FigureValue::Count { value: 10 });
        // Saving identical content is not a change.
        let mut same = stored.figure.clone();
        same.status = stored.figure.status;
        assert!(!store.put_figure("2022", &same, "alice", Some(2)).await.unwrap().changed);
    };
    a_figure_is_submitted_returned_with_a_comment_resubmitted_and_approved => |url: String| async move {
        let (store, ds) = loaded(&url).await;
        let mut f = ds.periods[0].figures[0].clone();
        f.id = mignet_core::ItemId::parse("F-FLOW").unwrap();
        f.status = FigureStatus::Draft;
        store.put_figure("2022", &f, "focal", Some(0)).await.unwrap();
        use mignet_core::workflow::ReviewAction::*;
        let v = store.review_figure("2022", "F-FLOW", Submit, None, None, "focal", Some(1), false).await.unwrap().version;
        let v = store.review_figure("2022", "F-FLOW", Return, None, Some("children exceed the total"), "coordinator", Some(v), false).await.unwrap().version;
        assert_eq!(store.figure("2022", "F-FLOW").await.unwrap().unwrap().figure.status, FigureStatus::Returned);
        let v = store.review_figure("2022", "F-FLOW", Submit, None, None, "focal", Some(v), false).await.unwrap().version;
        assert!(store.review_figure("2022", "F-FLOW", Submit, None, None, "focal", Some(v), false).await.is_err(), "a submitted figure cannot be submitted again");
        store.review_figure("2022", "F-FLOW", Approve, None, None, "coordinator", Some(v), true).await.unwrap();
        let stored = store.figure("2022", "F-FLOW").await.unwrap().unwrap();
        assert_eq!((stored.figure.status, stored.figure.status_by.as_deref()), (FigureStatus::Approved, Some("coordinator")));
        let reviews = store.reviews("2022", "F-FLOW").await.unwrap();
        let steps: Vec<&str> = reviews.iter().map(|r| r.action.as_str()).collect();
        assert_eq!(steps, ["submit", "return", "submit", "approve"]);
        assert_eq!(reviews[1].comment.as_deref(), Some("children exceed the total"));
        let trail = store.audit(Some(("figure", "2022/F-FLOW"))).await.unwrap();
        let actions: Vec<&str> = trail.iter().map(|a| a.action.as_str()).collect();
        assert_eq!(actions, ["create", "status", "status", "status", "status"]);
        // Each step records the content it was taken on, and the approval by the person who entered
        // the figure is marked, in the review step and in its audit entry.
        let content = mignet_store::content_hash(&stored.figure);
        assert!(reviews.iter().all(|r| r.content.as_deref() == Some(content.as_str())), "{reviews:?}");
        assert_eq!(reviews.iter().map(|r| r.same_person).collect::<Vec<_>>(), [false, false, false, true]);
        assert_eq!(trail.last().unwrap().after.as_ref().unwrap()["same_person"], true);
        let mut changed = stored.figure.clone();
        changed.value = FigureValue::Count { value: 999_999 };
        assert_ne!(mignet_store::content_hash(&changed), content, "a changed value is other content");
    };
    an_sqlite_store_runs_in_wal_mode_and_passes_its_integrity_check => |url: String| async move {
        let (store, _) = loaded(&url).await;
        let mode = store.sqlite_journal_mode().await.unwrap();
        let check = store.sqlite_integrity().await.unwrap();
        if url.starts_with("postgres") {
            assert_eq!((mode, check), (None, None));
        } else {
            assert_eq!(mode.as_deref(), Some("wal"));
            assert_eq!(check.as_deref(), Some("ok"));
        }
    };
    two_saves_of_one_figure_at_the_same_version_from_two_connections_one_wins => |url: String| async move {
        // Two stores on one database stand for two server processes; each race runs both writes at once.
        let (a, ds) = loaded(&url).await;
        let b = Store::open(&url).await.unwrap();
        let conflict = |r: &Result<mignet_store::Written, mignet_store::StoreError>| {
            matches!(r, Err(mignet_store::StoreError::Conflict { .. }))
        };
        for round in 0..10 {
            let id = format!("F-RACE-{round}");
            let mut f = ds.periods[0].figures[0].clone();
            f.id = mignet_core::ItemId::parse(&id).unwrap();
            f.status = FigureStatus::Draft;
            let mut g = f.clone();
            g.note = Some("the other one".into());
            // Created twice at once: one creates it, the other is told it exists now.
            let (ra, rb) = tokio::join!(
                a.put_figure("2022", &f, "alice", Some(0)),
                b.put_figure("2022", &g, "bob", Some(0))
            );
            let created = [&ra, &rb].iter().filter(|r| r.as_ref().is_ok_and(|w| w.version == 1)).count();
            assert_eq!(created, 1, "round {round}: {ra:?} {rb:?}");
            assert!(conflict(&ra) || conflict(&rb), "round {round}: the loser is a conflict: {ra:?} {rb:?}");
            // Saved twice at once from version 1: one saves version 2, the other conflicts.
            f.value = FigureValue::Count { value: 100 + round };
            g.value = FigureValue::Count { value: 200 + round };
            let (ra, rb) = tokio::join!(
                a.put_figure("2022", &f, "alice", Some(1)),
                b.put_figure("2022", &g, "bob", Some(1))
            );
            let winner = match (&ra, &rb) {
                (Ok(w), r) if conflict(r) => { assert_eq!(w.version, 2); &f }
                (r, Ok(w)) if conflict(r) => { assert_eq!(w.version, 2); &g }
                _ => panic!("round {round}: exactly one save wins: {ra:?} {rb:?}"),
            };
            let stored = a.figure("2022", &id).await.unwrap().unwrap();
            assert_eq!((stored.version, stored.figure.value), (2, winner.value), "round {round}");
            let trail = a.audit(Some(("figure", &format!("2022/{id}")))).await.unwrap();
            assert_eq!(trail.len(), 2, "round {round}: one entry per version");
            // Reviewed twice at once from version 2: one step is taken.
            use mignet_core::workflow::ReviewAction::Submit;
            let (ra, rb) = tokio::join!(
                a.review_figure("2022", &id, Submit, None, None, "alice", Some(2), false),
                b.review_figure("2022", &id, Submit, None, None, "bob", Some(2), false)
            );
            assert!(
                (ra.is_ok() && conflict(&rb)) || (rb.is_ok() && conflict(&ra)),
                "round {round}: {ra:?} {rb:?}"
            );
            assert_eq!(a.reviews("2022", &id).await.unwrap().len(), 1, "round {round}");
        }
    };
    every_write_moves_the_generation_on => |url: String| async move {
        let store = Store::open(&url).await.unwrap();
        let g0 = store.generation().await.unwrap();
        store.save_dataset(&example(), "test").await.unwrap();
        let g1 = store.generation().await.unwrap();
        assert!(g1 > g0);
        store.save_dataset(&example(), "test").await.unwrap();
        assert_eq!(store.generation().await.unwrap(), g1, "an unchanged load is no write");
    };
    accounts_sessions_and_tokens_work_and_a_disabled_account_opens_nothing => |url: String| async move {
        let (store, _) = loaded(&url).await;
        use mignet_core::access::Role;
        let iom = mignet_core::OrgCode::parse("IOM").unwrap();
        let acc = store.create_account("Focal@IOM.int", "Focal", "hash", Role::FocalPoint, Some(&iom), "admin").await.unwrap();
        assert_eq!(acc.actor.email, "focal@iom.int");
        assert!(store.create_account("focal@iom.int", "Again", "h", Role::Viewer, None, "admin").await.is_err(), "one account per email");
        assert!(store.create_account("x@y.z", "X", "h", Role::FocalPoint, None, "admin").await.is_err(), "a focal point needs an organisation");
        let (found, hash) = store.account_for_login(" FOCAL@iom.int ").await.unwrap().unwrap();
        assert_eq!((found.actor.id, hash.as_str()), (acc.actor.id, "hash"));
        store.create_session("s1", acc.actor.id, "csrf1", "2999-01-01T00:00:00Z").await.unwrap();
        store.create_session("old", acc.actor.id, "csrf2", "2000-01-01T00:00:00Z").await.unwrap();
        assert_eq!(store.session("s1").await.unwrap().unwrap().1, "csrf1");
        assert!(store.session("old").await.unwrap().is_none(), "an expired session opens nothing");
        store.create_api_token("t1", acc.actor.id, "laptop").await.unwrap();
        assert_eq!(store.token_actor("t1").await.unwrap().unwrap().role, Role::FocalPoint);
        store.update_account(acc.actor.id, Role::FocalPoint, Some(&iom), true, false, "admin").await.unwrap();
        assert!(store.session("s1").await.unwrap().is_none());
        assert!(store.token_actor("t1").await.unwrap().is_none());
        let trail = store.audit(Some(("account", "focal@iom.int"))).await.unwrap();
        assert_eq!(trail.len(), 2);
        assert!(!trail[0].after.as_ref().unwrap().to_string().contains("hash"), "no password hash in the audit trail");
    };
    expired_sessions_are_deleted_when_a_new_one_starts => |url: String| async move {
        let (store, _) = loaded(&url).await;
        use mignet_core::access::Role;
        let acc = store.create_account("viewer@example.org", "V", "hash", Role::Viewer, None, "admin").await.unwrap();
        for n in 0..3 {
            store.create_session(&format!("old{n}"), acc.actor.id, "c", "2000-01-01T00:00:00Z").await.unwrap();
        }
        store.create_session("live", acc.actor.id, "c", "2999-01-01T00:00:00Z").await.unwrap();
        let mut conn = raw(&url).await;
        let left: Vec<String> = sqlx::query_scalar("SELECT token_hash FROM sessions").fetch_all(&mut conn).await.unwrap();
        assert_eq!(left, vec!["live".to_owned()], "only the live session is kept");
    };
    the_audit_trail_is_filtered_and_limited_in_sql => |url: String| async move {
        let (store, _) = loaded(&url).await;
        use mignet_store::AuditFilter;
        let all = store.audit(None).await.unwrap();
        assert!(all.len() > 20, "the example's load is audited item by item");
        let indicators = store.audit_where(&AuditFilter { entity: Some("indicator".into()), ..Default::default() }).await.unwrap();
        assert!(!indicators.is_empty() && indicators.iter().all(|a| a.entity == "indicator"));
        assert_eq!(indicators.len(), all.iter().filter(|a| a.entity == "indicator").count());
        let page = store.audit_where(&AuditFilter { limit: Some(5), ..Default::default() }).await.unwrap();
        assert_eq!(page, all[..5].to_vec(), "oldest first, five of them");
        let next = store.audit_where(&AuditFilter { cursor: Some(page[4].id), limit: Some(5), ..Default::default() }).await.unwrap();
        assert_eq!(next, all[5..10].to_vec(), "the next page starts after the cursor");
        let recent = store.audit_where(&AuditFilter { newest_first: true, limit: Some(3), ..Default::default() }).await.unwrap();
        let mut expected = all[all.len() - 3..].to_vec();
        expected.reverse();
        assert_eq!(recent, expected, "newest first");
    };
    failed_sign_ins_are_shared_by_every_process_on_the_store_and_forgotten_after_their_window => |url: String| async move {
        // Two stores opened on one database stand for two server processes.
        let (a, _) = loaded(&url).await;
        let b = Store::open(&url).await.unwrap();
        let keys = vec!["account-hash".to_owned(), "address-hash".to_owned()];
        for t in 0..5 {
            a.record_login_failure(&keys, 1_000 + t, 0).await.unwrap();
        }
        assert_eq!(b.login_failures(&keys, 0).await.unwrap(), vec![(5, 1_000), (5, 1_000)], "the other process sees every failure");
        assert_eq!(b.login_failures(&keys, 1_003).await.unwrap()[0], (2, 1_003), "only those in the window count");
        // A failure recorded later forgets those older than its window.
        b.record_login_failure(&keys[1..], 2_000, 1_004).await.unwrap();
        assert_eq!(a.login_failures(&keys, 0).await.unwrap(), vec![(1, 1_004), (2, 1_004)]);
        a.clear_login_failures("account-hash").await.unwrap();
        assert_eq!(b.login_failures(&keys, 0).await.unwrap(), vec![(0, 0), (2, 1_004)], "a sign-in that works clears its account's count only");
    };
    an_edition_keeps_its_files_byte_for_byte_and_numbers_follow_one_another => |url: String| async move {
        use mignet_store::{EditionFile, NewEdition, StoreError};
        let (store, _) = loaded(&url).await;
        // Every byte value, so that neither database rewrites the file as text.
        let pdf: Vec<u8> = (0..=255u8).cycle().take(70_000).collect();
        let files = [
            EditionFile { name: "highlights.pdf".into(), media_type: "application/pdf".into(), sha256: "a".repeat(64), bytes: pdf.clone() },
            EditionFile { name: "highlights.html".into(), media_type: "text/html".into(), sha256: "b".repeat(64), bytes: b"<p>one</p>".to_vec() },
        ];
        let new = NewEdition { period: "2022", published_by: "A. Coordinator", content_hash: "c1", lines: "[]", errata: "[]", files: &files };
        let first = store.publish_edition(&new, 0).await.unwrap();
        assert_eq!((first.number, first.published_by.as_str(), first.files.len()), (1, "A. Coordinator", 2));
        assert_eq!(first.files[1].size, 70_000, "files are listed by name with their size");
        // A publisher who compared with no edition while edition 1 exists is refused.
        let again = store.publish_edition(&new, 0).await;
        assert!(matches!(again, Err(StoreError::Conflict { current: 1, .. })), "{again:?}");
        let second = store.publish_edition(&NewEdition { content_hash: "c2", errata: "[{\"figure\":\"F1\"}]", ..new }, 1).await.unwrap();
        assert_eq!(second.number, 2);
        assert_eq!(second.errata, "[{\"figure\":\"F1\"}]");
        let f = store.edition_file("2022", 1, "highlights.pdf").await.unwrap().unwrap();
        assert_eq!((f.media_type.as_str(), f.sha256, f.bytes), ("application/pdf", "a".repeat(64), pdf));
        assert!(store.edition_file("2022", 3, "highlights.pdf").await.unwrap().is_none());
        let listed = store.editions(Some("2022")).await.unwrap();
        assert_eq!(listed.iter().map(|e| e.number).collect::<Vec<_>>(), vec![2, 1], "newest first");
        assert!(store.editions(Some("2023")).await.unwrap().is_empty());
        assert_eq!(store.editions(None).await.unwrap().len(), 2);
        let audited = store.audit(Some(("edition", "2022/2"))).await.unwrap();
        assert_eq!(audited.len(), 1, "publishing is in the audit trail");
        // Loading the dataset again leaves the editions as they were.
        store.save_dataset(&example(), "test").await.unwrap();
        assert_eq!(store.editions(None).await.unwrap().len(), 2);
    };
    a_figure_s_comment_thread_keeps_its_order_and_its_authors => |url: String| async move {
        let (store, _) = loaded(&url).await;
        let a = store.add_comment("2022", "F-PFA", "iom@x.org", "Which months?").await.unwrap();
        let b = store.add_comment("2022", "F-PFA", "coord@x.org", "January to June — “first half”").await.unwrap();
        store.add_comment("2022", "F-MLC", "coord@x.org", "elsewhere").await.unwrap();
        let thread = store.comments("2022", "F-PFA").await.unwrap();
        assert_eq!(thread, vec![a, b.clone()]);
        assert_eq!(thread[1].text, "January to June — “first half”");
        assert!(store.comments("2023", "F-PFA").await.unwrap().is_empty());
    };
}
