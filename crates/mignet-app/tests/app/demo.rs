//! The demo use case: the example compiled into the binary fills an empty store exactly as the folder
//! in the repository does, with one account per role, and leaves a store that holds data alone.

use mignet_app::App;
use mignet_app::demo::{DEMO_ACCOUNTS, DEMO_PASSWORD};

async fn app(dir: &tempfile::TempDir, name: &str) -> App {
    App::open(dir.path().join(name).to_str().unwrap())
        .await
        .unwrap()
}

#[tokio::test]
async fn the_compiled_in_example_loads_like_the_folder_and_the_demo_accounts_sign_in() {
    let dir = tempfile::tempdir().unwrap();
    let embedded = app(&dir, "embedded.db").await;
    let outcome = embedded.seed_demo(None, "test").await.unwrap();
    assert_eq!(outcome.accounts_created, DEMO_ACCOUNTS.len());

    let from_folder = app(&dir, "folder.db").await;
    let folder = mignet_test_support::example();
    let loaded = from_folder.load(&folder, "test").await.unwrap();
    assert_eq!(outcome.loaded, Some(loaded.summary.created));
    assert_eq!(
        *embedded.dataset().await.unwrap(),
        *from_folder.dataset().await.unwrap(),
        "the compiled-in example is the repository's example"
    );

    // The example's closed period, 2022, is published as its first edition; the open 2023 is not.
    let editions = embedded.editions(None).await.unwrap();
    let published: Vec<(&str, i64)> = editions
        .iter()
        .map(|e| (e.edition.period.as_str(), e.edition.number))
        .collect();
    assert_eq!(published, [("2022", 1)]);

    for (email, ..) in DEMO_ACCOUNTS {
        embedded.login(email, DEMO_PASSWORD).await.unwrap();
    }

    let again = embedded.seed_demo(None, "test").await.unwrap();
    assert_eq!(again.loaded, None, "a store with data keeps it");
    assert_eq!(
        embedded.editions(None).await.unwrap().len(),
        1,
        "and its editions"
    );
    assert_eq!(
        again.accounts_created, 0,
        "existing accounts are left alone"
    );
}
