//! Files through the API: a period's exports and its PDF Highlights, and the import of a filled-in
//! reporting workbook, for agencies whose own systems send their figures. The same use cases as the
//! downloads and upload pages (`exchange.rs`) and the command line.

use crate::AppState;
use crate::api::{Caller, ErrorBody};
use crate::error::ApiError;
use crate::exchange::FileRefusal;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use mignet_app::{ExchangeError, ImportOutcome, MAX_IMPORT_BYTES};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::{IntoParams, OpenApi, ToSchema};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/periods/{period}/exports/{format}", get(export))
        .route(
            "/imports",
            post(import).layer(DefaultBodyLimit::max(MAX_IMPORT_BYTES as usize + 1)),
        )
}

#[derive(OpenApi)]
#[openapi(
    paths(export, import),
    components(schemas(ImportDto, ProblemDto, ProblemsBody, ProblemsDetail))
)]
pub struct ExchangeDoc;

/// A period's file: `pdf` (the Highlights), `hxl` and `iati` (approved figures only, public), `json`
/// and `xlsx` (every figure of every status, for a token's account).
#[utoipa::path(get, path = "/api/v1/periods/{period}/exports/{format}",
    params(("period" = String, Path), ("format" = String, Path, description = "`pdf`, `json`, `xlsx`, `hxl` or `iati`")),
    security((), ("token" = [])),
    responses(
        (status = 200, description = "The file", content(
            (Vec<u8> = "application/pdf"),
            (Vec<u8> = "application/json"),
            (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            (Vec<u8> = "text/csv"),
            (Vec<u8> = "application/xml"))),
        (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn export(
    State(state): State<AppState>,
    caller: Caller,
    Path((period, format)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let refusal = |status, code, message| Err(ApiError::new(status, code, message));
    let (bytes, media_type, name) =
        match crate::exchange::period_file(&state, caller.0.as_ref(), &period, &format).await {
            Ok(file) => file,
            Err(FileRefusal::NotFound(m)) => {
                return refusal(StatusCode::NOT_FOUND, "not_found", m);
            }
            Err(FileRefusal::SignIn(m)) => {
                return refusal(StatusCode::UNAUTHORIZED, "unauthorized", m);
            }
            Err(FileRefusal::App(e)) => return Err(e.into()),
        };
    Ok(crate::exchange::attachment(bytes, media_type, &name))
}

#[derive(Deserialize, IntoParams)]
struct ImportQuery {
    /// The file's name; its extension (`.xlsx` or `.csv`) says how to read it, and it is recorded as
    /// the figures' evidence.
    file: String,
}

/// What an import did. (The API's own types, `ImportOutcome` and `ImportError` mirrored, carry the
/// OpenAPI schema, which the use cases, knowing nothing of the web, do not.)
#[derive(Serialize, ToSchema)]
pub struct ImportDto {
    pub organisation: String,
    pub period: String,
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    /// Things the coordinator should know that did not stop the import.
    pub notes: Vec<String>,
}

impl From<ImportOutcome> for ImportDto {
    fn from(o: ImportOutcome) -> Self {
        ImportDto {
            organisation: o.organisation,
            period: o.period,
            created: o.created,
            updated: o.updated,
            unchanged: o.unchanged,
            notes: o.notes,
        }
    }
}

/// One problem of an imported file: where it is and what was expected.
#[derive(Serialize, ToSchema)]
pub struct ProblemDto {
    /// `Figures`, or `csv` for a CSV file.
    pub sheet: String,
    /// The row as a spreadsheet numbers it, or the CSV line.
    pub row: Option<u32>,
    pub column: Option<String>,
    pub cell: Option<String>,
    pub problem: String,
    pub expected: Option<String>,
}

/// The error envelope of a file with problems: the usual fields and every problem.
#[derive(Serialize, ToSchema)]
pub struct ProblemsBody {
    pub error: ProblemsDetail,
}

#[derive(Serialize, ToSchema)]
pub struct ProblemsDetail {
    /// `invalid_file` (every problem listed), `unknown_format` or `period_not_open`.
    pub code: String,
    pub message: String,
    pub field: Option<String>,
    pub problems: Vec<ProblemDto>,
}

/// Imports a filled-in reporting workbook (.xlsx) or its CSV form, sent as the request body: every
/// problem at once and nothing written when there is any; the figures enter as submitted. A focal
/// point imports its own organisation's workbooks, a coordinator any.
#[utoipa::path(post, path = "/api/v1/imports", params(ImportQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    security(("token" = [])),
    responses((status = 200, body = ImportDto), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 413, body = ErrorBody), (status = 422, body = ProblemsBody)))]
async fn import(
    State(state): State<AppState>,
    caller: Caller,
    query: Result<Query<ImportQuery>, axum::extract::rejection::QueryRejection>,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<Response, ApiError> {
    let actor = caller.require()?;
    let Query(q) = query.map_err(|_| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "bad_request",
            "name the file: /api/v1/imports?file=iom-2023.xlsx",
        )
        .field("file")
    })?;
    let bytes = body.map_err(|e| {
        let code = if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            "too_large"
        } else {
            "bad_request"
        };
        ApiError::new(
            e.status(),
            code,
            format!("cannot read the file (at most {MAX_IMPORT_BYTES} bytes): {e}"),
        )
    })?;
    let problems = |code: &'static str, message: String, problems: Vec<ProblemDto>| {
        let body = ProblemsBody {
            error: ProblemsDetail {
                code: code.into(),
                message,
                field: Some("file".into()),
                problems,
            },
        };
        let cause = body.error.message.clone();
        crate::error::logged(
            (StatusCode::UNPROCESSABLE_ENTITY, Json(json!(body))).into_response(),
            code,
            cause,
        )
    };
    match state.app.import_as(actor, &q.file, &bytes).await {
        Ok(o) => Ok(Json(ImportDto::from(o)).into_response()),
        Err(ExchangeError::Problems { file, problems: p }) => Ok(problems(
            "invalid_file",
            format!("{} problem(s) in {file}; nothing was written", p.len()),
            p.into_iter()
                .map(|p| ProblemDto {
                    sheet: p.sheet,
                    row: p.row,
                    column: p.column,
                    cell: p.cell,
                    problem: p.problem,
                    expected: p.expected,
                })
                .collect(),
        )),
        Err(
            e @ (ExchangeError::UnknownFormat { .. }
            | ExchangeError::NoPeriod { .. }
            | ExchangeError::PeriodClosed { .. }),
        ) => Ok(problems(
            crate::error::classify_exchange(&e).1,
            format!("{e}; nothing was written"),
            Vec::new(),
        )),
        Err(ExchangeError::Forbidden(why)) => {
            Err(ApiError::new(StatusCode::FORBIDDEN, "forbidden", why))
        }
        Err(ExchangeError::App(e)) => Err(e.into()),
    }
}
