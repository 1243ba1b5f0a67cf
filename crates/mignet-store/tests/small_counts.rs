//! Sensitive indicators and the network's small-count threshold in the store, on both databases:
//! written and read back as they were, and the public view (sensitive small counts withheld) is never
//! written over the exact values.

use mignet_core::disclosure;
use mignet_core::model::*;
use mignet_store::Store;
use sqlx::Connection;
use std::path::Path;

fn example() -> Dataset {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/thailand-2022");
    mignet_formats::dataset::read_dir(&dir).expect("the example reads")
}

/// A database that lives as long as the test.
struct TestDb {
    url: String,
    _dir: Option<tempfile_dir::Dir>,
}

mod tempfile_dir {
    /// A temporary folder removed on drop (std only, to keep the store's dev-dependencies small).
    pub struct Dir(pub std::path::PathBuf);
    impl Drop for Dir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

fn unique(prefix: &str) -> String {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    format!(
        "{prefix}_{}_{}_{nanos}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    )
}

async fn sqlite_db() -> TestDb {
    let dir = std::env::temp_dir().join(unique("mignet_store"));
    std::fs::create_dir_all(&dir).unwrap();
    TestDb {
        url: dir.join("test.db").display().to_string(),
        _dir: Some(tempfile_dir::Dir(dir)),
    }
}

async fn postgres_db() -> TestDb {
    let admin = std::env::var("MIGNET_TEST_POSTGRES").expect(
        "MIGNET_TEST_POSTGRES is not set: the store suite runs on PostgreSQL too. Start a server with \
         `.ci/start-postgres.sh` and export the URL it prints.",
    );
    sqlx::any::install_default_drivers();
    let name = unique("mignet_t");
    let mut conn = sqlx::AnyConnection::connect(&admin)
        .await
        .expect("connect to the PostgreSQL admin URL");
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&mut conn)
        .await
        .unwrap();
    let base = admin.rsplit_once('/').map(|(b, _)| b).unwrap();
    TestDb {
        url: format!("{base}/{name}"),
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
        let public = disclosure::protect(&back);
        assert_ne!(public, back);
        assert!(store.save_dataset(&public, "test").await.is_err());
        assert_eq!(store.dataset().await.unwrap().unwrap(), back, "nothing was written");
    };
}
