//! The coordinator's pages for the results framework and the narrative, and the administrator's page
//! for accounts.
//!
//! Every kind of item is edited through one form template driven by a list of fields ([`spec`]): the
//! item is turned into JSON by serde, its fields into form values, and back. The rules are the core's
//! (`mignet_core::edit`), reached through the same use case as the API (`App::edit`).
//!
//! - `spec`: the fields of each kind of item and how each is typed;
//! - `codec`: an item's JSON turned into form values and a form read back into JSON;
//! - `items`: the pages of the framework and the narrative;
//! - `accounts`: the administrator's page for accounts;
//! - `translations`: the coordinator's page for the dataset's texts in other languages.

mod accounts;
mod codec;
mod items;
mod spec;
mod translations;

pub(crate) use codec::item_from_json;

use crate::AppState;
use axum::Router;
use axum::routing::{get, post};
use items::{create, edit_form, index, new_form, save};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin", get(index))
        .route(
            "/admin/accounts",
            get(accounts::accounts).post(accounts::create_account),
        )
        .route("/admin/accounts/{id}", post(accounts::change_account))
        .route(
            "/admin/translations",
            get(translations::translations).post(translations::save),
        )
        .route("/admin/{kind}/new", get(new_form).post(create))
        .route("/admin/{kind}/{*key}", get(edit_form).post(save))
}
