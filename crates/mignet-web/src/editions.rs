//! Published editions: each period's editions with their files and errata, the coordinator's
//! publish form, and the files themselves, served as they were published.

use crate::auth::{FormData, Session, check_csrf};
use crate::views::Page;
use crate::{AppState, WebError};
use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use mignet_app::{AppError, PublishedEdition};
use serde_json::json;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/editions", get(page))
        .route("/editions/{period}", axum::routing::post(publish))
        .route("/editions/{period}/{number}/{file}", get(file))
}

/// An edition as the page and the API show it: its files with their addresses, its errata as
/// sentences.
pub(crate) fn view(
    lang: &str,
    e: &PublishedEdition,
    signed_in: bool,
    zone: Option<&str>,
) -> serde_json::Value {
    json!({
        "period": e.edition.period,
        "number": e.edition.number,
        "published_at": e.edition.published_at,
        "published": crate::views::when_in(lang, &e.edition.published_at, zone),
        "published_by": signed_in.then_some(&e.edition.published_by),
        "content_hash": e.edition.content_hash,
        "files": e.edition.files.iter().map(|f| json!({
            "name": f.name,
            "media_type": f.media_type,
            "sha256": f.sha256,
            "size": f.size,
            "size_text": size_text(f.size),
            "href": e.href(&f.name),
        })).collect::<Vec<_>>(),
        "errata": e.errata.iter().map(|x| json!({
            "figure": (!x.figure.is_empty()).then_some(&x.figure),
            "sentence": x.sentence(),
        })).collect::<Vec<_>>(),
    })
}

fn size_text(bytes: i64) -> String {
    match bytes {
        b if b >= 1_000_000 => format!("{:.1} MB", b as f64 / 1e6),
        b if b >= 1_000 => format!("{} kB", b / 1_000),
        b => format!("{b} bytes"),
    }
}

async fn page(State(state): State<AppState>, session: Session) -> Result<Response, WebError> {
    render(&state, &session, None).await
}

/// The page, with `notice` (why a publication was refused) above the list.
async fn render(
    state: &AppState,
    session: &Session,
    notice: Option<String>,
) -> Result<Response, WebError> {
    let ds = state.dataset_for(session).await?;
    let editions = state.app.editions(None).await?;
    let signed_in = session.actor.is_some();
    let publishes = session.actor.as_ref().is_some_and(|a| a.coordinates());
    let periods: Vec<_> = ds
        .periods
        .iter()
        .rev()
        .map(|p| {
            let code = p.period.code.as_str();
            let of: Vec<_> = editions
                .iter()
                .filter(|e| e.edition.period == code)
                .map(|e| view(&session.lang, e, signed_in, ds.network.time_zone.as_deref()))
                .collect();
            json!({"code": code, "title": p.period.title, "editions": of})
        })
        .collect();
    let status = if notice.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok((
        status,
        Page::new(
            state,
            session,
            &crate::i18n::text(&session.lang, "title-editions"),
        )
        .translating(&ds)
        .with("periods", periods)
        .with("publishes", publishes)
        .with("notice", notice)
        .render("editions.html")?,
    )
        .into_response())
}

async fn publish(
    State(state): State<AppState>,
    session: Session,
    Path(period): Path<String>,
    form: FormData,
) -> Result<Response, WebError> {
    check_csrf(&session, &form)?;
    let actor = session.require()?;
    match state.app.publish(actor, &period).await {
        Ok(e) => Ok(Redirect::to(&format!(
            "/editions#{}-{}",
            e.edition.period, e.edition.number
        ))
        .into_response()),
        // Nothing to publish, or published meanwhile: the page says why, above the editions.
        Err(e @ (AppError::Invalid(_) | AppError::Changed(_))) => {
            render(&state, &session, Some(e.to_string())).await
        }
        Err(e) => Err(e.into()),
    }
}

/// A file of an edition, byte for byte as published. It never changes, so it is cached for a year
/// and answered 304 when the reader has it already.
async fn file(
    State(state): State<AppState>,
    Path((period, number, name)): Path<(String, i64, String)>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let f = state.app.edition_file(&period, number, &name).await?;
    let etag = format!("\"{}\"", f.sha256);
    let fixed = [
        (header::ETAG, etag.clone()),
        (
            header::CACHE_CONTROL,
            "public, max-age=31536000, immutable".to_owned(),
        ),
    ];
    if headers
        .get(header::IF_NONE_MATCH)
        .is_some_and(|v| v.as_bytes() == etag.as_bytes())
    {
        return Ok((StatusCode::NOT_MODIFIED, fixed).into_response());
    }
    // Files other than the PDF are downloaded, not shown under the site's address.
    let disposition = if f.media_type == "application/pdf" {
        format!("inline; filename=\"{}\"", f.name)
    } else {
        format!("attachment; filename=\"{}\"", f.name)
    };
    Ok((
        fixed,
        [
            (header::CONTENT_TYPE, f.media_type),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        f.bytes,
    )
        .into_response())
}
