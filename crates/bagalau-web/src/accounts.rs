//! Accounts through the API (`bagalau_app::accounts`): administrators add
//! them, give roles and passwords, disable and enable them; anyone may
//! revoke their own tokens. Thin handlers over the application's use cases.

use crate::{ApiError, ApiResult, AppState, actor, signin};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use bagalau_app::FrontEnd;
use bagalau_app::permission::{Action, authorize};
use bagalau_store::UserRecord;
use serde::{Deserialize, Serialize};

/// An account as an administrator sees it (never its password hash).
#[derive(Serialize, utoipa::ToSchema)]
pub struct AccountView {
    pub name: String,
    pub roles: Vec<String>,
    pub created_at: String,
    /// Since when it is disabled, if it is.
    pub disabled_at: Option<String>,
    /// Whether it can sign in with a password.
    pub has_password: bool,
}

impl AccountView {
    fn of(u: UserRecord) -> AccountView {
        AccountView {
            has_password: bagalau_core::accounts::is_password_hash(&u.password_hash),
            name: u.name,
            roles: u.roles,
            created_at: u.created_at,
            disabled_at: u.disabled_at,
        }
    }
}

/// An account to add, or whose roles and password to replace (a new
/// password ends every session and token of the account).
#[derive(Deserialize, utoipa::ToSchema)]
pub struct AccountRequest {
    pub name: String,
    /// `coordinator`, `reporter:minfin`, `importer:moj`, …
    pub roles: Vec<String>,
    /// At least 12 characters.
    pub password: String,
}

/// Disabling or enabling an account.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct AccountState {
    pub disabled: bool,
}

/// How many tokens and sessions were revoked.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Revoked {
    pub revoked: usize,
}

#[utoipa::path(get, path = "/api/v1/accounts", security(("bearer" = [])),
    responses((status = 200, description = "Every account", body = Vec<AccountView>),
        (status = 401, description = "No or an invalid token"), (status = 403, description = "Not an administrator")))]
pub(crate) async fn list(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> ApiResult<Json<Vec<AccountView>>> {
    let actor = actor(&state, &headers).await?;
    let users = bagalau_app::accounts::list(&state.store, &actor).await?;
    Ok(Json(users.into_iter().map(AccountView::of).collect()))
}

#[utoipa::path(post, path = "/api/v1/accounts", request_body = AccountRequest, security(("bearer" = [])),
    responses((status = 200, description = "Added, or its roles and password replaced", body = AccountView),
        (status = 403, description = "Not an administrator"), (status = 422, description = "A bad name, role or password"),
        (status = 503, description = "Passwords are being hashed: try again in a moment")))]
pub(crate) async fn add(
    State(state): State<AppState>,
    headers: HeaderMap,
    Json(req): Json<AccountRequest>,
) -> ApiResult<Json<AccountView>> {
    let actor = actor(&state, &headers).await?;
    // Nobody else makes the server hash a password.
    authorize(&actor, Action::KeepAccounts)?;
    if req.password.len() > bagalau_app::identity::PASSWORD_MAX {
        return Err(ApiError::Invalid(vec!["password: too long".into()]));
    }
    let password_hash = signin::hash(req.password).await?;
    let user = bagalau_app::accounts::add(
        &state.store,
        FrontEnd::Api,
        &actor,
        bagalau_app::accounts::AddAccount {
            name: req.name,
            roles: req.roles,
            password_hash,
        },
        &(state.clock)(),
    )
    .await?;
    Ok(Json(AccountView::of(user)))
}

#[utoipa::path(post, path = "/api/v1/accounts/{name}/state", params(("name" = String, Path)), request_body = AccountState, security(("bearer" = [])),
    responses((status = 200, description = "Disabled (its tokens revoked) or enabled", body = AccountView),
        (status = 403, description = "Not an administrator"), (status = 404, description = "No such account"),
        (status = 422, description = "An administrator's own account")))]
pub(crate) async fn set_state(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(name): Path<String>,
    Json(req): Json<AccountState>,
) -> ApiResult<Json<AccountView>> {
    let actor = actor(&state, &headers).await?;
    let user = bagalau_app::accounts::set_disabled(
        &state.store,
        FrontEnd::Api,
        &actor,
        &name,
        req.disabled,
        &(state.clock)(),
    )
    .await?;
    Ok(Json(AccountView::of(user)))
}

#[utoipa::path(post, path = "/api/v1/accounts/{name}/revocation", params(("name" = String, Path)), security(("bearer" = [])),
    responses((status = 200, description = "Every token and session of the account revoked", body = Revoked),
        (status = 403, description = "Another's account, and not an administrator"), (status = 404, description = "No such account")))]
pub(crate) async fn revoke(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(name): Path<String>,
) -> ApiResult<Json<Revoked>> {
    let actor = actor(&state, &headers).await?;
    let revoked = bagalau_app::accounts::revoke_tokens(
        &state.store,
        FrontEnd::Api,
        &actor,
        &name,
        &(state.clock)(),
    )
    .await?;
    Ok(Json(Revoked { revoked }))
}
