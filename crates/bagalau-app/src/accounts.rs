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
            Role::ServiceImporter { provider } => Some(provider.as_str()),
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
    // A disabled account stays disabled: enabling it is its own action.
    let (created_at, disabled_at) = match existing {
        Some(u) => (u.created_at, u.disabled_at),
        None => (now.to_string(), None),
    };
    let user = UserRecord {
        name: request.name,
        password_hash: request.password_hash,
        roles,
        created_at,
        disabled_at,
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

/// Disables an account (it signs in nowhere, its tokens are revoked), or
/// enables it again. Administrators only, and never their own.
pub async fn set_disabled(
    store: &AnyStore,
    front: FrontEnd,
    actor: &Actor,
    name: &str,
    disabled: bool,
    now: &str,
) -> AppResult<UserRecord> {
    authorize(actor, Action::KeepAccounts)?;
    if disabled && actor.user == name {
        return Err(AppError::Invalid(vec![Problem::of(
            "name",
            "an administrator does not disable their own account",
        )]));
    }
    let mut user = store
        .users()
        .await?
        .into_iter()
        .find(|u| u.name == name)
        .ok_or_else(|| AppError::NotFound(format!("no account `{name}`")))?;
    let wanted = disabled.then(|| now.to_string());
    if user.disabled_at.is_some() == disabled {
        return Ok(user);
    }
    user.disabled_at = wanted;
    let mut batch = crate::batch(front, actor, now, None);
    batch.users.push(user.clone());
    store.apply(batch).await?;
    Ok(user)
}

/// Revokes every token and session of an account: an administrator's for
/// anyone, anyone's for themself. Returns how many went.
pub async fn revoke_tokens(
    store: &AnyStore,
    front: FrontEnd,
    actor: &Actor,
    name: &str,
    now: &str,
) -> AppResult<usize> {
    if actor.user != name {
        authorize(actor, Action::KeepAccounts)?;
    }
    if !store.users().await?.iter().any(|u| u.name == name) {
        return Err(AppError::NotFound(format!("no account `{name}`")));
    }
    let tokens = store.tokens_of(name).await?;
    if tokens.is_empty() {
        return Ok(0);
    }
    let mut batch = crate::batch(front, actor, now, None);
    batch
        .revoked_tokens
        .extend(tokens.iter().map(|t| t.token_hash.clone()));
    store.apply(batch).await?;
    Ok(tokens.len())
}
