//! Accounts: adding them with their roles, listing them, and API tokens.
//! Kept by administrators; anyone may have a token made for themself.

use crate::permission::{Action, authorize};
use crate::{Actor, AppError, AppResult, FrontEnd, Problem, Role};
use bagalau_core::accounts::{self, token_hash, token_text};
use bagalau_store::{AnyStore, Store, TokenRecord, UserRecord};

/// The roles in their text form, checked: known roles, and the bodies
/// they name in the registry.
pub async fn checked_roles(store: &AnyStore, roles: &[String]) -> AppResult<Vec<Role>> {
    let registry = store.registry().await?;
    let mut problems = Vec::new();
    let mut parsed = Vec::new();
    for text in roles {
        let role = match Role::parse(text) {
            Ok(r) => r,
            Err(e) => {
                problems.push(Problem::of("role", e.to_string()));
                continue;
            }
        };
        let body = match &role {
            Role::Reporter { body } => Some(body.as_str()),
            Role::Assessor { authority, .. } => Some(authority.as_str()),
            _ => None,
        };
        if let Some(body) = body {
            match &registry {
                Some(reg) if reg.body(body).is_some() => {}
                Some(_) => problems.push(Problem::of(
                    "role",
                    format!("`{text}`: `{body}` is not in the registry"),
                )),
                None => problems.push(Problem::of(
                    "role",
                    format!("`{text}` names a body: import the registry first"),
                )),
            }
        }
        parsed.push(role);
    }
    if !problems.is_empty() {
        return Err(AppError::Invalid(problems));
    }
    Ok(parsed)
}

/// An account to add, or whose roles and password to replace.
#[derive(Debug, Clone)]
pub struct AddAccount {
    pub name: String,
    pub roles: Vec<String>,
    /// The password's Argon2id hash (hashed by the front end, which has
    /// the randomness for its salt).
    pub password_hash: String,
}

/// Adds an account, or replaces an existing one's roles and password.
pub async fn add(
    store: &AnyStore,
    front: FrontEnd,
    actor: &Actor,
    request: AddAccount,
    now: &str,
) -> AppResult<UserRecord> {
    authorize(actor, Action::KeepAccounts)?;
    if !accounts::valid_account_name(&request.name) {
        return Err(AppError::Invalid(vec![Problem::of(
            "name",
            format!(
                "an account name is 1 to {} letters, digits and . _ - @",
                accounts::ACCOUNT_NAME_MAX
            ),
        )]));
    }
    let mut roles: Vec<String> = checked_roles(store, &request.roles)
        .await?
        .iter()
        .map(Role::to_text)
        .collect();
    roles.sort();
    roles.dedup();
    let existing = store
        .users()
        .await?
        .into_iter()
        .find(|u| u.name == request.name);
    let user = UserRecord {
        name: request.name,
        password_hash: request.password_hash,
        roles,
        created_at: existing.map_or(now.to_string(), |u| u.created_at),
    };
    let mut batch = crate::batch(front, actor, now, None);
    batch.users.push(user.clone());
    store.apply(batch).await?;
    Ok(user)
}

/// Every account (administrators only).
pub async fn list(store: &AnyStore, actor: &Actor) -> AppResult<Vec<UserRecord>> {
    authorize(actor, Action::KeepAccounts)?;
    Ok(store.users().await?)
}

/// A token to make.
#[derive(Debug, Clone, Copy)]
pub struct NewToken<'a> {
    pub name: &'a str,
    pub label: &'a str,
    pub days: i64,
    /// The token's randomness.
    pub random: &'a [u8; 32],
}

/// A new API token for an account: an administrator's for anyone, anyone's
/// for themself. The token is returned once; the store keeps its hash.
pub async fn issue_token(
    store: &AnyStore,
    front: FrontEnd,
    actor: &Actor,
    request: NewToken<'_>,
    now: &str,
) -> AppResult<(String, String)> {
    let NewToken {
        name,
        label,
        days,
        random,
    } = request;
    if actor.user != name {
        authorize(actor, Action::KeepAccounts)?;
    }
    if !store.users().await?.iter().any(|u| u.name == name) {
        return Err(AppError::NotFound(format!("no account `{name}`")));
    }
    if days < 1 {
        return Err(AppError::Invalid(vec![Problem::of(
            "days",
            "a token lives at least one day",
        )]));
    }
    let token = token_text(random);
    let expires = (crate::naive(now)? + chrono::Duration::days(days))
        .and_utc()
        .to_rfc3339();
    let mut batch = crate::batch(front, actor, now, None);
    batch.tokens.push(TokenRecord {
        token_hash: token_hash(&token),
        name: name.into(),
        label: label.into(),
        created_at: now.into(),
        expires_at: Some(expires.clone()),
    });
    store.apply(batch).await?;
    Ok((token, expires))
}
