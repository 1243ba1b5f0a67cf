//! Files on the web: a period's exports and the Highlights as PDF for download, the reporting
//! workbook of an organisation, and the upload of a filled-in workbook. The same use cases as
//! `mignet export`, `mignet report --format pdf`, `mignet template` and `mignet import`.

use crate::auth::{FormData, Session, check_csrf};
use crate::views::Page;
use crate::{AppState, WebError};
use axum::Router;
use axum::body::Bytes;
use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use mignet_app::{
    AppError, ExchangeError, ExportFormat, ImportError, ImportOutcome, MAX_IMPORT_BYTES,
};

use mignet_core::OrgCode;
use mignet_core::access::Actor;
use mignet_core::model::*;
use serde::Deserialize;
use serde_json::json;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/downloads", get(downloads))
        .route("/exports/{period}/{format}", get(export))
        .route("/entry/workbook", get(workbook))
        .route(
            "/entry/upload",
            get(upload_form)
                .post(upload)
                // The workbook itself may be as large as an import reads, plus the form around it.
                .layer(DefaultBodyLimit::max(MAX_IMPORT_BYTES as usize + 64 * 1024)),
        )
}

/// A file to download, named as the browser should save it.
pub(crate) fn attachment(
    bytes: impl Into<Bytes>,
    media_type: &'static str,
    file_name: &str,
) -> Response {
    let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{file_name}\""))
        .unwrap_or(HeaderValue::from_static("attachment"));
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(media_type)),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        bytes.into(),
    )
        .into_response()
}

/// What the download links of one period are.
fn period_files(signed_in: bool) -> Vec<serde_json::Value> {
    let mut out = vec![json!({
        "format": "pdf",
        "label": "Highlights, PDF brief",
        "what": "the published brief: approved figures only",
    })];
    for f in ExportFormat::ALL {
        if !f.approved_only() && !signed_in {
            continue;
        }
        let (label, what) = match f {
            ExportFormat::Hxl => (
                "HXL-tagged CSV",
                "approved figures, one row each, with HXL hashtags",
            ),
            ExportFormat::Iati => (
                "IATI 2.03 activity XML",
                "approved figures as results of one activity per priority",
            ),
            ExportFormat::Json => ("JSON", "the whole period, every figure of every status"),
            ExportFormat::Xlsx => (
                "Excel workbook",
                "every figure of every status, with who set it and when",
            ),
        };
        out.push(json!({"format": f.name(), "label": label, "what": what}));
    }
    out
}

async fn downloads(State(state): State<AppState>, session: Session) -> Result<Response, WebError> {
    let ds = state.dataset().await?;
    let signed_in = session.actor.as_ref().is_some_and(Actor::sees_unapproved);
    let periods: Vec<_> = ds
        .periods
        .iter()
        .rev()
        .map(|p| {
            let code = p.period.code.as_str();
            json!({"code": code, "title": p.period.title, "files": period_files(signed_in)})
        })
        .collect();
    Ok(Page::new(
        &state,
        &session,
        &crate::i18n::text(&session.lang, "title-downloads"),
    )
    .translating(&ds)
    .with("periods", periods)
    .with("signed_in", signed_in)
    .render("downloads.html")?
    .into_response())
}

/// Why a period's file is not given.
pub(crate) enum FileRefusal {
    /// No such format, period, or (for IATI) no approved figure yet.
    NotFound(String),
    /// The file holds unapproved figures and nobody is signed in.
    SignIn(String),
    App(AppError),
}

/// A period's file as the downloads and the API give it: `pdf` (the Highlights), or an export
/// (`mignet export`). Files of approved figures only go to anyone and are kept, like the public pages,
/// until the store changes; the others need a reader who sees unapproved figures.
pub(crate) async fn period_file(
    state: &AppState,
    reader: Option<&Actor>,
    period: &str,
    format: &str,
) -> Result<(Bytes, &'static str, String), FileRefusal> {
    let (file, media_type, public) = if format == "pdf" {
        (format!("highlights-{period}.pdf"), "application/pdf", true)
    } else {
        let f = ExportFormat::parse(format).ok_or_else(|| {
            FileRefusal::NotFound(format!(
                "there is no export called `{format}`: the exports are pdf, {}",
                ExportFormat::NAMES
            ))
        })?;
        (f.file_name(period), f.media_type(), f.approved_only())
    };
    // The Highlights in the reader's language; the exports are data, in the dataset's words.
    let lang = crate::i18n::current();
    let render = async || match ExportFormat::parse(format) {
        None => {
            state
                .app
                .report(period, mignet_app::ReportFormat::Pdf, &lang)
                .await
        }
        Some(f) => state.app.export(period, f).await,
    };
    let bytes = if public {
        let key = match ExportFormat::parse(format) {
            None => format!("/exports/{period}/{format}?lang={lang}"),
            Some(_) => format!("/exports/{period}/{format}"),
        };
        crate::pages::cached_bytes(state, key, render)
            .await
            .map_err(FileRefusal::App)?
    } else if reader.is_some_and(Actor::sees_unapproved) {
        Bytes::from(render().await.map_err(FileRefusal::App)?)
    } else {
        return Err(FileRefusal::SignIn(format!(
            "the {format} file holds figures that are not approved yet: sign in to download it"
        )));
    };
    Ok((bytes, media_type, file))
}

/// `/exports/2022/hxl`: a period's export, or `/exports/2022/pdf`, its Highlights.
async fn export(
    State(state): State<AppState>,
    session: Session,
    Path((period, format)): Path<(String, String)>,
) -> Result<Response, WebError> {
    match period_file(&state, session.actor.as_ref(), &period, &format).await {
        Ok((bytes, media_type, file)) => Ok(attachment(bytes, media_type, &file)),
        Err(FileRefusal::NotFound(m)) => Err(WebError::NotFound(m)),
        Err(FileRefusal::SignIn(_)) => Err(WebError::SignIn),
        Err(FileRefusal::App(e)) => Err(e.into()),
    }
}

#[derive(Deserialize)]
struct WorkbookQuery {
    period: Option<String>,
    org: Option<String>,
    all: Option<String>,
}

fn refused(e: ExchangeError) -> WebError {
    e.into()
}

/// The reporting workbook of an organisation for a period (`mignet template`): a focal point gets its
/// own organisation's, the coordinator any organisation's.
async fn workbook(
    State(state): State<AppState>,
    session: Session,
    Query(q): Query<WorkbookQuery>,
) -> Result<Response, WebError> {
    let actor = session.require()?;
    let org = q
        .org
        .filter(|o| !o.is_empty())
        .or_else(|| actor.organisation.as_ref().map(|o| o.to_string()))
        .ok_or_else(|| {
            WebError::BadRequest("choose the organisation the workbook is for".into())
        })?;
    let allowed = OrgCode::parse(&org).is_ok_and(|o| actor.may_exchange_workbook(&o));
    if !allowed {
        return Err(WebError::Forbidden(format!(
            "you may download only your own organisation's workbook, not {org}'s"
        )));
    }
    let period = match q.period.filter(|p| !p.is_empty()) {
        Some(p) => p,
        None => state
            .dataset()
            .await?
            .latest_open_period()
            .map(|p| p.period.code.to_string())
            .ok_or_else(|| WebError::BadRequest("no period is open for reporting".into()))?,
    };
    let all = q.all.is_some_and(|a| a == "1" || a == "yes" || a == "on");
    let out = state
        .app
        .template(&org, &period, all)
        .await
        .map_err(refused)?;
    Ok(attachment(
        out.bytes,
        mignet_app::XLSX_MEDIA_TYPE,
        &format!("{org}-{period}.xlsx"),
    ))
}

/// What the upload page shows: the form, and the outcome of the last upload if there was one.
#[derive(Default)]
struct Upload {
    outcome: Option<ImportOutcome>,
    /// Each problem with where it is (sheet, row, column, cell) and what was expected.
    problems: Vec<ImportError>,
    message: Option<String>,
    file: Option<String>,
}

fn render_upload(
    state: &AppState,
    session: &Session,
    ds: &Dataset,
    actor: &Actor,
    up: Upload,
    status: StatusCode,
) -> Result<Response, WebError> {
    let organisations: Vec<_> = ds
        .organisations
        .iter()
        .filter(|o| o.member && actor.may_exchange_workbook(&o.code))
        .map(|o| json!({"code": o.code, "short_name": o.short_name}))
        .collect();
    let open: Vec<_> = ds
        .periods
        .iter()
        .rev()
        .filter(|p| p.period.status == PeriodStatus::Open)
        .map(|p| json!({"code": p.period.code, "title": p.period.title}))
        .collect();
    let html = Page::new(state, session, "Upload a reporting workbook")
        .with("organisations", organisations)
        .with(
            "own_organisation",
            actor.organisation.as_ref().map(|o| o.to_string()),
        )
        .with("open_periods", open)
        .with("outcome", up.outcome)
        .with("problems", up.problems)
        .with("message", up.message)
        .with("file", up.file)
        .with("max_mib", MAX_IMPORT_BYTES / (1024 * 1024))
        .render("upload.html")?;
    Ok((status, html).into_response())
}

async fn upload_form(
    State(state): State<AppState>,
    session: Session,
) -> Result<Response, WebError> {
    let actor = session.require()?;
    if !actor.may_exchange_workbooks() {
        return Err(WebError::Forbidden(
            "workbooks are uploaded by focal points and the coordinator".into(),
        ));
    }
    let ds = state.dataset().await?;
    render_upload(
        &state,
        &session,
        &ds,
        actor,
        Upload::default(),
        StatusCode::OK,
    )
}

/// The uploaded form: its CSRF token and the file, read to at most the import's limit plus one byte
/// (so that a larger file is told apart from one exactly at the limit).
async fn read_upload(
    mut form: Multipart,
) -> Result<(Option<String>, Option<(String, Vec<u8>)>), WebError> {
    let bad = |e: axum::extract::multipart::MultipartError| {
        WebError::BadRequest(format!("cannot read the uploaded form: {e}"))
    };
    let (mut csrf, mut file) = (None, None);
    while let Some(mut field) = form.next_field().await.map_err(bad)? {
        match field.name() {
            Some("csrf") => csrf = Some(field.text().await.map_err(bad)?),
            Some("file") => {
                let name = field.file_name().unwrap_or("").to_owned();
                let mut bytes = Vec::new();
                while let Some(chunk) = field.chunk().await.map_err(bad)? {
                    let room = (MAX_IMPORT_BYTES as usize + 1).saturating_sub(bytes.len());
                    bytes.extend_from_slice(&chunk[..chunk.len().min(room)]);
                }
                file = Some((name, bytes));
            }
            _ => {}
        }
    }
    Ok((csrf, file))
}

async fn upload(
    State(state): State<AppState>,
    session: Session,
    form: Result<Multipart, MultipartRejection>,
) -> Result<Response, WebError> {
    let form = form.map_err(|e| {
        WebError::BadRequest(format!(
            "the upload must be sent as a form with a file (multipart/form-data): {e}"
        ))
    })?;
    let (csrf, file) = read_upload(form).await?;
    check_csrf(
        &session,
        &FormData(csrf.map(|t| ("csrf".to_owned(), t)).into_iter().collect()),
    )?;
    let actor = session.require()?;
    if !actor.may_exchange_workbooks() {
        return Err(WebError::Forbidden(
            "workbooks are uploaded by focal points and the coordinator".into(),
        ));
    }
    let ds = state.dataset().await?;
    let Some((name, bytes)) = file.filter(|(n, b)| !n.is_empty() || !b.is_empty()) else {
        let up = Upload {
            message: Some(
                "Choose the filled-in workbook (.xlsx) or its CSV form (.csv) to upload.".into(),
            ),
            ..Upload::default()
        };
        return render_upload(
            &state,
            &session,
            &ds,
            actor,
            up,
            StatusCode::UNPROCESSABLE_ENTITY,
        );
    };
    let (up, status) = match state.app.import_as(actor, &name, &bytes).await {
        Ok(outcome) => (
            Upload {
                outcome: Some(outcome),
                file: Some(name),
                ..Upload::default()
            },
            StatusCode::OK,
        ),
        Err(ExchangeError::Problems { file, problems }) => (
            Upload {
                message: Some(format!(
                    "{} problem(s) in {file}; nothing was written. Correct them in the workbook and upload it again.",
                    problems.len()
                )),
                problems,
                file: Some(file),
                ..Upload::default()
            },
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        Err(
            e @ (ExchangeError::UnknownFormat { .. }
            | ExchangeError::NoPeriod { .. }
            | ExchangeError::PeriodClosed { .. }
            | ExchangeError::Forbidden(_)),
        ) => (
            Upload {
                message: Some(format!("{e}; nothing was written.")),
                file: Some(name),
                ..Upload::default()
            },
            if matches!(e, ExchangeError::Forbidden(_)) {
                StatusCode::FORBIDDEN
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            },
        ),
        Err(ExchangeError::App(e)) => return Err(e.into()),
    };
    render_upload(&state, &session, &ds, actor, up, status)
}
