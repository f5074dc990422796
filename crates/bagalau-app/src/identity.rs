//! Who acts: the account behind a token, signing in with a password, and
//! the database's first administrator.
//!
//! Signing in is hardened against guessing and against load from people
//! who have no account, whichever front end asks: the account name is
//! checked against the account-name syntax and length before anything is
//! stored or hashed; each attempt is reserved in the store before the
//! password is checked ([`bagalau_store::Store::reserve_login`]), so
//! concurrent attempts count against each other and recent failures slow
//! further ones down per name and per source address (a backoff, never a
//! lockout of the owner); and every attempt is verified against an
//! Argon2id hash, the account known or not, with a password or not, so
//! timing tells nothing. Where the hash runs is the front end's choice
//! (the server's low-priority hashing threads, the command line's own
//! thread): it passes the verifier in.

use crate::{Actor, AppError, AppResult, FrontEnd, Problem, Role};
use bagalau_core::accounts::{self, token_hash, token_text};
use bagalau_core::refusal::Refusal;
use bagalau_store::{AnyStore, ImportBatch, LoginAttempt, Store, TokenRecord, UserRecord};

/// An Argon2id hash of a random password nobody knows, verified against when
/// the account is unknown or has no password.
pub const UNKNOWN_ACCOUNT_HASH: &str = "$argon2id$v=19$m=65536,t=3,p=1$8yD3srfI3nvat0IQypSG/g$FoDw8VousbYnBIfoPqdz+Mhdbx9YzKoMdhYEl+Ll560";

/// The longest password a sign-in hashes.
pub const PASSWORD_MAX: usize = 1024;

/// The account a token belongs to, as an actor with its roles, unless the
/// token is unknown, expired or revoked.
pub async fn actor_for_token(store: &AnyStore, token: &str, now: &str) -> AppResult<Actor> {
    let user = store
        .user_by_token(&token_hash(token.trim()), now)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    Ok(actor_of(&user))
}

/// An account's roles as the rules take them (a role this version does
/// not know is no role).
pub fn actor_of(user: &UserRecord) -> Actor {
    Actor {
        user: user.name.clone(),
        roles: user
            .roles
            .iter()
            .filter_map(|r| Role::parse(r).ok())
            .collect(),
    }
}

/// A sign-in with a password.
#[derive(Debug, Clone)]
pub struct SignIn<'a> {
    pub name: &'a str,
    pub password: &'a str,
    /// The client's address as the throttle counts it; empty: not throttled
    /// by address (the command line, tests in process).
    pub source: &'a str,
    /// What the session's token is for (`session`, `command line`).
    pub label: &'a str,
    /// How long the session lives.
    pub lifetime: chrono::Duration,
    pub front: FrontEnd,
    /// Randomness: the attempt's id and the token.
    pub attempt_random: [u8; 8],
    pub token_random: [u8; 32],
}

/// An open session: its token (shown once), when it ends, and whose it is.
#[derive(Debug, Clone)]
pub struct Session {
    pub token: String,
    pub expires_at: String,
    pub user: UserRecord,
}

/// Checks a name and password and opens a session. `verify(password,
/// hash)` checks the password against an Argon2id hash.
pub async fn sign_in<F, Fut>(
    store: &AnyStore,
    request: SignIn<'_>,
    now: &str,
    verify: F,
) -> AppResult<Session>
where
    F: FnOnce(String, String) -> Fut,
    Fut: std::future::Future<Output = AppResult<bool>>,
{
    let SignIn { name, password, .. } = request;
    // No account can have such a name: nothing is stored, nothing hashed.
    if !accounts::valid_account_name(name) || password.len() > PASSWORD_MAX {
        return Err(AppError::WrongLogin);
    }
    let at = crate::naive(now)?;
    let attempt = LoginAttempt {
        id: LoginAttempt::id_for(name, at, &request.attempt_random),
        name: name.to_string(),
        source: request.source.to_string(),
        at,
    };
    if let Some(until) = store.reserve_login(&attempt).await? {
        return Err(AppError::TooManyAttempts {
            seconds: (until - at).num_seconds().max(1),
        });
    }
    // A disabled account is as good as none (and costs the same hash).
    let user = store
        .users()
        .await?
        .into_iter()
        .find(|u| u.name == name && u.disabled_at.is_none());
    // Every attempt costs one Argon2id verification, so timing tells
    // neither whether the account exists nor whether it has a password.
    let hash = user
        .as_ref()
        .map(|u| u.password_hash.as_str())
        .filter(|h| accounts::is_password_hash(h))
        .unwrap_or(UNKNOWN_ACCOUNT_HASH);
    let verified = verify(password.to_string(), hash.to_string()).await;
    let ok = matches!(verified, Ok(true)) && hash != UNKNOWN_ACCOUNT_HASH;
    let mut batch = ImportBatch {
        at: now.to_string(),
        actor: request.front.label(name),
        ..Default::default()
    };
    let Some(user) = user.filter(|_| ok) else {
        // A busy refusal did not try the password: its reservation goes.
        match verified {
            Err(AppError::Busy) => batch.login_releases.push(attempt.id),
            _ => batch.login_failures.push(attempt.id),
        }
        store.apply(batch).await?;
        verified?;
        return Err(AppError::WrongLogin);
    };
    let token = token_text(&request.token_random);
    let expires_at = (at + request.lifetime).and_utc().to_rfc3339();
    batch.login_releases.push(attempt.id);
    batch.tokens.push(TokenRecord {
        token_hash: token_hash(&token),
        name: user.name.clone(),
        label: request.label.to_string(),
        created_at: now.to_string(),
        expires_at: Some(expires_at.clone()),
    });
    store.apply(batch).await?;
    Ok(Session {
        token,
        expires_at,
        user,
    })
}

/// Ends the session or token `token` of the actor (signing out).
pub async fn sign_out(store: &AnyStore, token: &str, now: &str) -> AppResult<Actor> {
    let actor = actor_for_token(store, token, now).await?;
    let mut batch = ImportBatch {
        at: now.to_string(),
        actor: FrontEnd::CommandLine.label(&actor.user),
        ..Default::default()
    };
    batch.revoked_tokens.push(token_hash(token.trim()));
    store.apply(batch).await?;
    Ok(actor)
}

/// The first administrator of a database that has no accounts yet: the
/// one write made without an account, audited as the bootstrap. Its roles
/// are `administrator` and the `also` given (a small office's operator
/// may coordinate as well).
pub async fn first_administrator(
    store: &AnyStore,
    name: &str,
    password_hash: String,
    also: &[Role],
    now: &str,
) -> AppResult<UserRecord> {
    if !accounts::valid_account_name(name) {
        return Err(AppError::Invalid(vec![Problem::of(
            "name",
            format!(
                "an account name is 1 to {} letters, digits and . _ - @",
                accounts::ACCOUNT_NAME_MAX
            ),
        )]));
    }
    if !store.users().await?.is_empty() {
        return Err(AppError::Conflict(Refusal::AccountsExist));
    }
    let mut roles: Vec<String> = std::iter::once(Role::Administrator)
        .chain(also.iter().cloned())
        .map(|r| r.to_text())
        .collect();
    roles.sort();
    roles.dedup();
    let user = UserRecord {
        disabled_at: None,
        name: name.to_string(),
        password_hash,
        roles,
        created_at: now.to_string(),
    };
    store
        .apply(ImportBatch {
            at: now.to_string(),
            actor: "bootstrap".into(),
            reason: Some("the database's first administrator".into()),
            users: vec![user.clone()],
            ..Default::default()
        })
        .await?;
    Ok(user)
}
