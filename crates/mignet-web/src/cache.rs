//! Rendered public pages and files, kept while the store does not change, and rendered once when
//! several visitors miss the same one at the same time.

use crate::AppState;
use axum::body::Bytes;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Rendered public pages, kept while the store does not change. Only anonymous views are cached: a
/// signed-in person sees more, and sees it fresh.
#[derive(Default)]
pub struct PageCache {
    /// Bytes, so that a hit shares the page rather than copying it.
    pages: Mutex<HashMap<String, (Generation, Bytes)>>,
    /// One lock per page being rendered now (single flight). Concurrent misses of the same page
    /// wait on it and then find the page in `pages`, rather than each rendering it: a burst of
    /// visitors after a change costs one render (one typst run for a PDF), not one per visitor.
    rendering: Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
}

/// The store's generation ([`mignet_app::App::generation`]): pages are cached under it, and are as
/// fresh as the read model they are drawn from.
pub(crate) type Generation = mignet_app::Generation;

impl PageCache {
    fn get(&self, key: &str, generation: Generation) -> Option<Bytes> {
        self.pages
            .lock()
            .expect("cache lock")
            .get(key)
            .filter(|(g, _)| *g == generation)
            .map(|(_, html)| html.clone())
    }
    fn put(&self, key: String, generation: Generation, html: Bytes) {
        let mut m = self.pages.lock().expect("cache lock");
        if m.len() > 500 {
            m.clear();
        }
        m.insert(key, (generation, html));
    }
}

/// A render under way for one key: the lock its waiters queue on. Dropped (also when the request is
/// abandoned mid-render), it forgets the lock once nobody else holds or waits for it (the map holds
/// one reference, the flight another), so that the map stays as small as the renders under way.
struct Flight<'c> {
    cache: &'c PageCache,
    key: String,
    lock: Arc<tokio::sync::Mutex<()>>,
}

impl<'c> Flight<'c> {
    fn join(cache: &'c PageCache, key: &str) -> Flight<'c> {
        let lock = cache
            .rendering
            .lock()
            .expect("cache lock")
            .entry(key.to_owned())
            .or_default()
            .clone();
        Flight {
            cache,
            key: key.to_owned(),
            lock,
        }
    }
}

impl Drop for Flight<'_> {
    fn drop(&mut self) {
        let mut m = self.cache.rendering.lock().expect("cache lock");
        if Arc::strong_count(&self.lock) <= 2 {
            m.remove(&self.key);
        }
    }
}

/// A rendered public file, the same for every visitor, kept while the store does not change. On a
/// miss, one caller renders and the others asking for the same key meanwhile wait for it and take
/// its result from the cache. A render that fails leaves nothing behind: the next waiter renders
/// itself, so an error is never served to someone who did not cause it.
pub(crate) async fn cached_bytes<F, E>(state: &AppState, key: String, render: F) -> Result<Bytes, E>
where
    F: AsyncFnOnce() -> Result<Vec<u8>, E>,
    E: From<mignet_app::AppError>,
{
    let generation = state.app.generation().await.map_err(E::from)?;
    if let Some(bytes) = state.cache.get(&key, generation) {
        return Ok(bytes);
    }
    let flight = Flight::join(&state.cache, &key);
    let _turn = flight.lock.lock().await;
    // Whoever held the lock before may have rendered this very generation.
    if let Some(bytes) = state.cache.get(&key, generation) {
        return Ok(bytes);
    }
    let bytes = Bytes::from(render().await?);
    state.cache.put(key, generation, bytes.clone());
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn concurrent_misses_of_one_page_wait_for_one_render() {
        let dir = tempfile::tempdir().unwrap();
        let app = mignet_app::App::open(&dir.path().join("c.db").display().to_string())
            .await
            .unwrap();
        let state = AppState::new(app, true);
        let renders = Arc::new(AtomicUsize::new(0));
        let asks: Vec<_> = (0..16)
            .map(|_| {
                let (state, renders) = (state.clone(), renders.clone());
                tokio::spawn(async move {
                    cached_bytes::<_, mignet_app::AppError>(&state, "/page".into(), async || {
                        renders.fetch_add(1, Ordering::SeqCst);
                        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                        Ok(b"page".to_vec())
                    })
                    .await
                    .unwrap()
                })
            })
            .collect();
        for a in asks {
            assert_eq!(&a.await.unwrap()[..], b"page");
        }
        assert_eq!(
            renders.load(Ordering::SeqCst),
            1,
            "one render for sixteen misses"
        );
        assert!(
            state.cache.rendering.lock().unwrap().is_empty(),
            "no lock is left behind"
        );
    }

    #[tokio::test]
    async fn a_failed_render_is_not_served_to_the_next_asker() {
        let dir = tempfile::tempdir().unwrap();
        let app = mignet_app::App::open(&dir.path().join("c.db").display().to_string())
            .await
            .unwrap();
        let state = AppState::new(app, true);
        let failed = cached_bytes::<_, mignet_app::AppError>(&state, "/p".into(), async || {
            Err(mignet_app::AppError::Empty)
        })
        .await;
        assert!(failed.is_err());
        let ok = cached_bytes::<_, mignet_app::AppError>(&state, "/p".into(), async || {
            Ok(b"fine".to_vec())
        })
        .await
        .unwrap();
        assert_eq!(&ok[..], b"fine");
    }
}
