//! Signing in, shared by `POST /api/v1/login` and the workspace's sign-in
//! form: the application's sign-in (`bagalau_app::identity::sign_in`:
//! names checked before anything is stored or hashed, attempts reserved
//! before the password is checked, a backoff per name and per source
//! address, every attempt verified against a hash), with the password
//! verified on the server's own hashing threads: all cores but one, at a
//! lower priority than requests ([`HASHERS`]), with a bounded queue
//! ([`WAITING`]): beyond it the answer is 503, and the request threads stay
//! free for everyone else.

use crate::{ApiError, ApiResult, AppState, random_bytes};
use axum::http::HeaderMap;
use bagalau_app::{AppError, AppResult};
use bagalau_core::accounts;
use std::net::IpAddr;
use std::sync::LazyLock;
use tokio::sync::Semaphore;

/// How long a session token from a login lives.
pub(crate) const SESSION_HOURS: i64 = 8;

/// The threads that verify passwords: all cores but one (each hash takes
/// 64 MiB and a core for about a quarter of a second), leaving one to
/// serve. They run at a lower priority than the request threads, so that
/// a page asked for while a hash runs is served at once, not after the
/// operating system's next turn (the portal's p99 during the deadline
/// rush, docs/benchmarks.md).
static HASHERS: LazyLock<Option<std::sync::mpsc::Sender<HashJob>>> = LazyLock::new(|| {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let (send, receive) = std::sync::mpsc::channel::<HashJob>();
    let receive = std::sync::Arc::new(std::sync::Mutex::new(receive));
    let mut started = 0;
    for i in 0..cores.saturating_sub(1).max(1) {
        let receive = receive.clone();
        let spawned = std::thread::Builder::new()
            .name(format!("password-hash-{i}"))
            .spawn(move || {
                lower_priority();
                loop {
                    let job = match receive.lock() {
                        Ok(r) => r.recv(),
                        Err(_) => return,
                    };
                    match job {
                        Ok(job) => job(),
                        Err(_) => return,
                    }
                }
            });
        match spawned {
            Ok(_) => started += 1,
            Err(e) => tracing::error!("cannot start a password-hashing thread: {e}"),
        }
    }
    (started > 0).then_some(send)
});

type HashJob = Box<dyn FnOnce() + Send>;

/// Makes the calling thread yield to the request threads (nice 10).
fn lower_priority() {
    #[cfg(target_os = "linux")]
    if let Err(e) =
        rustix::process::setpriority_process(Some(rustix::thread::gettid()), HASHING_NICENESS)
    {
        tracing::warn!("password hashing runs at the request threads' priority: {e}");
    }
}

/// How much lower than the request threads password hashing runs (Linux
/// nice values: 10 gets about a tenth of a core's time against a busy
/// thread at 0, and all of it when the core is otherwise idle).
#[cfg(target_os = "linux")]
const HASHING_NICENESS: i32 = 10;

/// Logins being hashed or waiting to be: beyond this many the answer is
/// "busy, try again" at once instead of a growing queue.
const WAITING_LIMIT: usize = 64;
static WAITING: LazyLock<Semaphore> = LazyLock::new(|| Semaphore::new(WAITING_LIMIT));

/// The client's address as the throttle counts it (a request extension):
/// the connection's peer, or the address a trusted reverse proxy put in the
/// configured header; an IPv6 address stands for its /64 network (one
/// subscriber's). Absent inside the process (tests): not throttled by address.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClientAddress(pub String);

/// Where the client's address comes from.
#[derive(Debug, Clone, Default)]
pub struct ClientAddressFrom {
    /// A header set by a trusted reverse proxy (`X-Forwarded-For`,
    /// `X-Real-IP`): its last address is the client's. None: the peer.
    pub header: Option<axum::http::HeaderName>,
}

/// The address a throttle counts for `ip`.
fn throttled_address(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
    }
}

impl ClientAddressFrom {
    /// Addresses from the header `name`, set by a trusted reverse proxy.
    pub fn header(name: &str) -> Result<Self, axum::http::header::InvalidHeaderName> {
        Ok(ClientAddressFrom {
            header: Some(axum::http::HeaderName::from_bytes(name.as_bytes())?),
        })
    }

    /// The address of a request with these headers from the peer `peer`.
    pub fn address(&self, headers: &HeaderMap, peer: IpAddr) -> ClientAddress {
        let forwarded = self.header.as_ref().and_then(|h| {
            headers
                .get(h)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.rsplit(',').next())
                .and_then(|v| v.trim().parse::<IpAddr>().ok())
        });
        ClientAddress(throttled_address(forwarded.unwrap_or(peer)))
    }
}

/// Runs `job` on a hashing thread, within the hashing limits.
async fn on_hashing_thread<T: Send + 'static>(
    job: impl FnOnce() -> T + Send + 'static,
) -> AppResult<T> {
    let _waiting = WAITING.try_acquire().map_err(|_| AppError::Busy)?;
    let hashers = HASHERS
        .as_ref()
        .ok_or_else(|| AppError::Internal("no password-hashing thread could start".into()))?;
    let (answer, done) = tokio::sync::oneshot::channel();
    hashers
        .send(Box::new(move || {
            // The request may have gone: then nobody waits for the answer.
            let _ = answer.send(job());
        }))
        .map_err(|e| AppError::Internal(format!("the password-hashing threads: {e}")))?;
    done.await
        .map_err(|e| AppError::Internal(format!("hashing a password: {e}")))
}

/// Verifies a password against a PHC hash on a hashing thread.
async fn verify(password: String, hash: String) -> AppResult<bool> {
    on_hashing_thread(move || accounts::verify_password(&password, &hash)).await
}

/// Hashes a new password on a hashing thread.
pub(crate) async fn hash(password: String) -> ApiResult<String> {
    let salt: [u8; 16] = random_bytes()?;
    on_hashing_thread(move || accounts::hash_password(&password, &salt))
        .await?
        .map_err(|e| ApiError::Invalid(vec![format!("password: {e}")]))
}

/// Checks a name and password and opens a session: (token, expiry,
/// account).
pub(crate) async fn open_session(
    state: &AppState,
    client: Option<&ClientAddress>,
    name: &str,
    password: &str,
) -> ApiResult<(String, String, bagalau_store::UserRecord)> {
    let session = bagalau_app::identity::sign_in(
        &state.store,
        bagalau_app::identity::SignIn {
            name,
            password,
            source: client.map_or("", |c| c.0.as_str()),
            label: "session",
            lifetime: chrono::Duration::hours(SESSION_HOURS),
            front: bagalau_app::FrontEnd::Api,
            attempt_random: random_bytes()?,
            token_random: random_bytes()?,
        },
        &(state.clock)(),
        verify,
    )
    .await?;
    Ok((session.token, session.expires_at, session.user))
}
