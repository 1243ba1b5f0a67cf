//! The signed-in person's messages: what the reporting cycle told them (a figure submitted, returned,
//! approved, a partner's confirmation awaited, a reminder), newest first, and whether each also went
//! out by e-mail. The same list as the e-mail, from the store's outbox.

use crate::auth::Session;
use crate::views::{Page, when};
use crate::{AppState, WebError};
use axum::Router;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::json;

pub fn routes() -> Router<AppState> {
    Router::new().route("/messages", get(page))
}

async fn page(State(state): State<AppState>, session: Session) -> Result<Response, WebError> {
    let actor = session.require()?;
    let messages = state.app.messages_for(actor).await?;
    let zone = state.time_zone().await?;
    let zone = zone.as_deref();
    let list: Vec<_> = messages
        .iter()
        .map(|m| {
            json!({
                "subject": m.subject,
                "body": m.body,
                "link": m.link,
                "at": m.created_at,
                "when": when(&m.created_at, zone),
                "emailed": m.sent_at.as_deref().map(|at| when(at, zone)),
            })
        })
        .collect();
    Ok(Page::new(&state, &session, "Your messages")
        .with("messages", list)
        .render("messages.html")?
        .into_response())
}
