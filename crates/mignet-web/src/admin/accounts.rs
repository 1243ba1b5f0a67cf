//! The administrator's page for accounts: every account, a new one, a change of role, organisation or
//! disabled flag, and the trail of account changes.

use crate::auth::{FormData, Session, check_csrf};
use crate::views::Page;
use crate::{AppState, WebError};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use mignet_app::{AppError, AuditFilter, FieldError, NewAccount};
use mignet_core::access::Role;
use serde_json::{Map, Value, json};

fn require_admin(session: &Session) -> Result<&mignet_core::access::Actor, WebError> {
    let actor = session.require()?;
    if actor.may_manage_accounts() {
        Ok(actor)
    } else {
        Err(WebError::Forbidden(
            "only an administrator manages accounts".into(),
        ))
    }
}

async fn render_accounts(
    state: &AppState,
    session: &Session,
    errors: &[FieldError],
    typed: Value,
    status: StatusCode,
) -> Result<Response, WebError> {
    let actor = require_admin(session)?;
    let list = state.app.list_accounts(actor).await?;
    let ds = state.dataset().await?;
    let orgs: Vec<Value> = ds
        .organisations
        .iter()
        .filter(|o| o.member)
        .map(|o| json!({"code": o.code, "label": o.short_name}))
        .collect();
    let roles: Vec<Value> = Role::ALL
        .iter()
        .map(|r| json!({"code": r.as_str(), "label": r.as_str().replace('_', " ")}))
        .collect();
    let errors: Map<String, Value> = errors
        .iter()
        .map(|e| (e.field.clone(), json!(e.message)))
        .collect();
    let zone = state.time_zone().await?;
    let trail: Vec<Value> = state
        .app
        .audit(&AuditFilter {
            entity: Some("account".into()),
            newest_first: true,
            limit: Some(50),
            ..AuditFilter::default()
        })
        .await?
        .iter()
        .map(|a| crate::views::audit_view(a, zone.as_deref()))
        .collect();
    let html = Page::new(state, session, "Accounts")
        .with("accounts", list)
        .with("organisations", orgs)
        .with("roles", roles)
        .with("errors", errors)
        .with("typed", typed)
        .with("trail", trail)
        .render("accounts.html")?;
    Ok((status, html).into_response())
}

pub(super) async fn accounts(
    State(state): State<AppState>,
    session: Session,
) -> Result<Response, WebError> {
    render_accounts(&state, &session, &[], json!({}), StatusCode::OK).await
}

fn role_of(form: &FormData) -> Result<Role, AppError> {
    Role::parse(form.get("role").unwrap_or(""))
        .ok_or_else(|| AppError::invalid("role", "choose a role"))
}

fn org_of(form: &FormData) -> Option<String> {
    form.get("organisation")
        .filter(|o| !o.is_empty())
        .map(str::to_owned)
}

pub(super) async fn create_account(
    State(state): State<AppState>,
    session: Session,
    form: FormData,
) -> Result<Response, WebError> {
    check_csrf(&session, &form)?;
    let actor = require_admin(&session)?.clone();
    let result = match role_of(&form) {
        Ok(role) => {
            let new = NewAccount {
                email: form.get("email").unwrap_or("").trim().to_owned(),
                name: form.get("name").unwrap_or("").trim().to_owned(),
                password: form.get("password").unwrap_or("").to_owned(),
                role,
                organisation: org_of(&form),
            };
            state.app.create_account_as(&actor, &new).await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => Ok(Redirect::to("/admin/accounts").into_response()),
        Err(AppError::Invalid(errors)) => {
            let typed = json!({"email": form.get("email"), "name": form.get("name"), "role": form.get("role"), "organisation": form.get("organisation")});
            render_accounts(
                &state,
                &session,
                &errors,
                typed,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(AppError::Store(mignet_app::StoreError::Refused(m))) => {
            let typed = json!({"email": form.get("email"), "name": form.get("name"), "role": form.get("role"), "organisation": form.get("organisation")});
            let errors = [FieldError {
                field: "email".into(),
                message: m,
            }];
            render_accounts(
                &state,
                &session,
                &errors,
                typed,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

pub(super) async fn change_account(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, WebError> {
    check_csrf(&session, &form)?;
    let actor = require_admin(&session)?.clone();
    let result = match role_of(&form) {
        Ok(role) => {
            let org = org_of(&form).filter(|_| role == Role::FocalPoint);
            state
                .app
                .change_account(
                    &actor,
                    id,
                    role,
                    org.as_deref(),
                    form.get("disabled").is_some(),
                    form.get("approves").is_some(),
                )
                .await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => Ok(Redirect::to("/admin/accounts").into_response()),
        Err(AppError::Invalid(errors)) => {
            let errors: Vec<FieldError> = errors
                .into_iter()
                .map(|e| FieldError {
                    field: format!("account-{id}"),
                    message: e.message,
                })
                .collect();
            render_accounts(
                &state,
                &session,
                &errors,
                json!({}),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}
