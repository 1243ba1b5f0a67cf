//! The OpenAPI document of /api/v1, generated from the handlers and the bodies.

use super::bodies::*;
use super::handlers;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
    info(title = "mignet API", version = "1", description = "Results of a network on migration: framework, figures, review and audit. Reads are public for approved figures; writes need a Bearer token (`mignet user token EMAIL`)."),
    paths(handlers::network, handlers::framework, handlers::periods, handlers::list_figures, handlers::get_figure, handlers::create_figure, handlers::update_figure, handlers::review_figure, handlers::findings, handlers::progress, handlers::completeness, handlers::editions, handlers::publish, handlers::messages, handlers::search, handlers::audit),
    components(schemas(ErrorBody, ErrorDetail, NetworkDto, OrgDto, FrameworkDto, PriorityDto, OutcomeDto, IndicatorDto, BaselineDto, TargetDto, ProgressDto, PeriodDto, FigureDto, JointMethodDto, FigureIn, FigureUpdate, ReviewIn, ReviewActionName, FindingDto, CompletenessDto, OrganisationProgressDto, AssignmentDto, MessageDto, EditionDto, EditionFileDto, ErratumDto, SearchHitDto, AuditDto)),
    modifiers(&BearerAuth)
)]
pub struct ApiDoc;

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "token",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

pub(super) async fn openapi() -> Response {
    // The document is fixed when the binary is built: made once, then shared (it took 45 ms a request).
    static DOCUMENT: std::sync::OnceLock<axum::body::Bytes> = std::sync::OnceLock::new();
    let json = DOCUMENT.get_or_init(|| {
        ApiDoc::openapi()
            .merge_from(super::edit::EditDoc::openapi())
            .merge_from(super::exchange::ExchangeDoc::openapi())
            .to_pretty_json()
            .expect("the document serialises")
            .into()
    });
    ([(header::CONTENT_TYPE, "application/json")], json.clone()).into_response()
}
