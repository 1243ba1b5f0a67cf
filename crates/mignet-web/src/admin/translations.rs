//! The coordinator's page for the dataset's texts in other languages: each text a reader sees, its
//! English and its translation, saved one text at a time (`App::translate`), in pages.

use crate::auth::{FormData, Session, check_csrf};
use crate::views::Page;
use crate::{AppState, WebError};
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use mignet_app::{AppError, FieldError};
use serde::Deserialize;
use serde_json::{Value, json};

/// Texts to a page: a network of thousands of result lines is translated a page at a time.
const PER_PAGE: usize = 50;

#[derive(Deserialize)]
pub(super) struct TranslationsQuery {
    lang: Option<String>,
    page: Option<usize>,
}

/// The languages a translation may be into: the site's, other than English.
fn other_languages() -> Vec<(String, String)> {
    crate::i18n::languages()
        .iter()
        .filter(|(code, _)| code != crate::i18n::ENGLISH)
        .cloned()
        .collect()
}

/// The language asked for, else the reader's when it is not English, else the first other one.
fn chosen(asked: Option<&str>, session: &Session) -> Result<String, WebError> {
    let others = other_languages();
    let pick = asked.unwrap_or(&session.lang);
    if let Some((code, _)) = others.iter().find(|(code, _)| code == pick) {
        return Ok(code.clone());
    }
    if asked.is_some() {
        return Err(WebError::NotFound(format!(
            "the site does not speak `{pick}`: a language is added as docs/translations.md says"
        )));
    }
    others
        .first()
        .map(|(code, _)| code.clone())
        .ok_or_else(|| WebError::NotFound("the site speaks no language other than English".into()))
}

async fn render(
    state: &AppState,
    session: &Session,
    lang: &str,
    page: Option<usize>,
    error: Option<(&str, &FieldError, &str)>,
    status: StatusCode,
) -> Result<Response, WebError> {
    super::items::require_coordinator(session)?;
    let rows = state.app.translations(lang).await?;
    let done = rows.iter().filter(|r| !r.text.is_empty()).count();
    // A refused translation is shown on the page that holds its text, whatever page it came from.
    let page = error
        .and_then(|(source, _, _)| rows.iter().position(|r| r.source == source))
        .map_or(page, |at| Some(at / PER_PAGE + 1));
    let (range, pager) = crate::paging::page(rows.len(), page, PER_PAGE, |n| {
        format!("/admin/translations?lang={lang}&page={n}")
    })?;
    let list: Vec<Value> = rows[range]
        .iter()
        .enumerate()
        .map(|(i, r)| {
            // A refused text comes back with what was typed and why.
            let refused = error.filter(|(source, _, _)| *source == r.source);
            json!({
                "n": i,
                "place": r.place,
                "source": r.source,
                "markup": r.markup,
                "text": refused.map_or(r.text.as_str(), |(_, _, typed)| typed),
                "error": refused.map(|(_, e, _)| e.message.clone()),
            })
        })
        .collect();
    let languages: Vec<Value> = other_languages()
        .into_iter()
        .map(|(code, name)| json!({"code": code, "name": name, "current": code == lang}))
        .collect();
    let html = Page::new(state, session, "Translations")
        .with("target", lang)
        .with("target_languages", languages)
        .with("rows", list)
        .with("done", done)
        .with("total", rows.len())
        .with("page", pager.number)
        .with("pager", pager)
        .render("translations.html")?;
    Ok((status, html).into_response())
}

pub(super) async fn translations(
    State(state): State<AppState>,
    session: Session,
    Query(q): Query<TranslationsQuery>,
) -> Result<Response, WebError> {
    let lang = chosen(q.lang.as_deref(), &session)?;
    render(&state, &session, &lang, q.page, None, StatusCode::OK).await
}

pub(super) async fn save(
    State(state): State<AppState>,
    session: Session,
    form: FormData,
) -> Result<Response, WebError> {
    check_csrf(&session, &form)?;
    let actor = session.require()?.clone();
    let lang = chosen(Some(form.get("lang").unwrap_or("")), &session)?;
    let page: Option<usize> = form.get("page").and_then(|p| p.parse().ok());
    let source = form.get("source").unwrap_or("");
    let text = form.get("text").unwrap_or("");
    match state.app.translate(&actor, &lang, source, text).await {
        Ok(_) => {
            let n = form.get("n").unwrap_or("0");
            Ok(Redirect::to(&format!(
                "/admin/translations?lang={lang}&page={}#text-{n}",
                page.unwrap_or(1)
            ))
            .into_response())
        }
        Err(AppError::Invalid(errors)) => {
            let first = errors.into_iter().next().unwrap_or(FieldError {
                field: "text".into(),
                message: "this translation cannot be saved".into(),
            });
            render(
                &state,
                &session,
                &lang,
                page,
                Some((source, &first, text)),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}
