//! The shared read model: every reader of one store generation gets the same copy of the dataset, and a
//! write moves readers to a fresh one. (Writes of other processes are seen within
//! `OTHER_WRITERS_SEEN_WITHIN`; crates/mignet-web/tests cover that through the pages.)

use mignet_app::App;
use mignet_test_support::{copy_dir, example};
use std::sync::Arc;

#[tokio::test]
async fn readers_of_one_generation_share_one_dataset_and_a_write_gives_a_new_one() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let app = App::open(db.to_str().unwrap()).await.unwrap();
    app.load(&example(), "test").await.unwrap();

    let a = app.dataset().await.unwrap();
    let b = app.dataset().await.unwrap();
    assert!(
        Arc::ptr_eq(&a, &b),
        "two reads with no write between them rebuilt the dataset"
    );

    // Concurrent readers of a new generation wait for one rebuild rather than each making their own.
    let copy = tempfile::tempdir().unwrap();
    let renamed = copy.path().join("example");
    copy_dir(&example(), &renamed);
    let network = renamed.join("network.toml");
    let text = std::fs::read_to_string(&network).unwrap();
    std::fs::write(
        &network,
        text.replacen("Working Better Together", "Working Together", 1),
    )
    .unwrap();
    app.load(&renamed, "test").await.unwrap();
    let (c, d) = tokio::join!(app.dataset(), app.dataset());
    let (c, d) = (c.unwrap(), d.unwrap());
    assert!(Arc::ptr_eq(&c, &d), "concurrent readers built two copies");
    assert!(
        !Arc::ptr_eq(&a, &c),
        "a write did not give readers a fresh dataset"
    );
    assert_eq!(c.network.tagline.as_deref(), Some("Working Together"));
}
