//! Signing in under attack: concurrent guesses, guesses spread over names
//! or over addresses, huge names, and what failed logins may not touch
//! (the public pages' fingerprint). On SQLite, and on PostgreSQL when
//! `BAGALAU_TEST_POSTGRES_URL` names a server.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use bagalau_store::{AnyStore, ImportBatch, Store, UserRecord};
use bagalau_web::{AppState, ClientAddress, router};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use std::sync::{Arc, Mutex};
use tower::ServiceExt;

const PASSWORD: &str = "correct horse battery";

async fn with_account(store: &AnyStore) {
    let mut batch = ImportBatch {
        at: "2026-03-01T08:00:00+00:00".into(),
        actor: "test".into(),
        ..Default::default()
    };
    batch.users.push(UserRecord {
        disabled_at: None,
        name: "aigerim".into(),
        password_hash: bagalau_core::accounts::hash_password(PASSWORD, &[7; 16]).unwrap(),
        roles: vec!["coordinator".into()],
        created_at: "2026-03-01T08:00:00+00:00".into(),
    });
    batch.users.push(UserRecord {
        disabled_at: None,
        name: "robot".into(),
        password_hash: bagalau_core::accounts::NO_PASSWORD.into(),
        roles: vec!["coordinator".into()],
        created_at: "2026-03-01T08:00:00+00:00".into(),
    });
    store.apply(batch).await.unwrap();
}

struct Harness {
    state: AppState,
    now: Arc<Mutex<String>>,
    _dir: tempfile::TempDir,
}

async fn harness(store: AnyStore, dir: tempfile::TempDir) -> Harness {
    with_account(&store).await;
    let now = Arc::new(Mutex::new("2026-03-01T09:00:00+00:00".to_string()));
    let clock = now.clone();
    Harness {
        state: AppState {
            records: bagalau_web::no_records(),
            store,
            files: bagalau_store::files::FileStore::open(dir.path().join("evidence"), 1024)
                .unwrap(),
            clock: Arc::new(move || clock.lock().unwrap().clone()),
        },
        now,
        _dir: dir,
    }
}

async fn sqlite() -> Harness {
    let dir = tempfile::tempdir().unwrap();
    let store = AnyStore::open(&dir.path().join("t.db").display().to_string())
        .await
        .unwrap();
    harness(store, dir).await
}

/// (status, Retry-After, body) of a login from `address`.
async fn login(
    state: &AppState,
    address: &str,
    name: &str,
    password: &str,
) -> (StatusCode, Option<String>, Value) {
    let mut req = Request::builder()
        .method("POST")
        .uri("/api/v1/login")
        .header("Content-Type", "application/json")
        .body(Body::from(
            json!({ "name": name, "password": password }).to_string(),
        ))
        .unwrap();
    req.extensions_mut()
        .insert(ClientAddress(address.to_string()));
    let res = router(state.clone()).oneshot(req).await.unwrap();
    let status = res.status();
    let retry = res
        .headers()
        .get("retry-after")
        .map(|v| v.to_str().unwrap().to_string());
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    (
        status,
        retry,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

async fn concurrent_guesses_count_against_each_other(h: Harness) {
    // Ten wrong passwords at once for one name: the five free attempts are
    // checked, the other five wait (before, all ten were checked).
    let tasks: Vec<_> = (0..10)
        .map(|i| {
            let state = h.state.clone();
            tokio::spawn(async move {
                login(
                    &state,
                    &format!("198.51.100.{i}"),
                    "aigerim",
                    "wrong password!",
                )
                .await
                .0
            })
        })
        .collect();
    let mut statuses = Vec::new();
    for t in tasks {
        statuses.push(t.await.unwrap());
    }
    let count = |s: StatusCode| statuses.iter().filter(|x| **x == s).count();
    assert_eq!(
        (
            count(StatusCode::UNAUTHORIZED),
            count(StatusCode::TOO_MANY_REQUESTS)
        ),
        (5, 5),
        "{statuses:?}"
    );
    // Each checked one is audited as a failure, with its address.
    let failures: Vec<_> = h
        .state
        .store
        .audit_entries()
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.entity == "login_failure")
        .collect();
    assert_eq!(failures.len(), 5);
    assert!(failures.iter().all(|e| {
        e.key.starts_with("aigerim@2026-03-01T09:00:00.000000Z/")
            && e.new
                .as_deref()
                .is_some_and(|n| n.starts_with("failed from 198.51.100."))
    }));
    // The owner waits a second, not a quarter of an hour.
    *h.now.lock().unwrap() = "2026-03-01T09:00:01+00:00".to_string();
    assert_eq!(
        login(&h.state, "192.0.2.1", "aigerim", PASSWORD).await.0,
        StatusCode::OK
    );
    assert!(
        bagalau_core::audit::verify(
            &h.state.store.audit_entries().await.unwrap(),
            &h.state.store.audit_records().await.unwrap()
        )
        .is_empty()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_guesses_count_against_each_other_on_sqlite() {
    concurrent_guesses_count_against_each_other(sqlite().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_guesses_count_against_each_other_on_postgres() {
    use bagalau_store::testing::{
        POSTGRES_URL_VAR, drop_postgres_database, fresh_postgres_database,
    };
    let Ok(admin) = std::env::var(POSTGRES_URL_VAR) else {
        return;
    };
    let url = fresh_postgres_database(&admin).await.unwrap();
    let store = AnyStore::open(&url).await.unwrap();
    concurrent_guesses_count_against_each_other(harness(store, tempfile::tempdir().unwrap()).await)
        .await;
    drop_postgres_database(&admin, &url).await;
}

#[tokio::test]
async fn one_address_guessing_many_names_is_slowed_and_others_are_not() {
    let h = sqlite().await;
    for i in 0..10 {
        let (status, _, _) = login(
            &h.state,
            "203.0.113.9",
            &format!("user{i}"),
            "wrong password!",
        )
        .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    // The eleventh from that address waits 2^0 = 1 s; Retry-After says so.
    let (status, retry, body) = login(&h.state, "203.0.113.9", "user10", "wrong password!").await;
    assert_eq!(
        (status, retry.as_deref()),
        (StatusCode::TOO_MANY_REQUESTS, Some("1")),
        "{body}"
    );
    let (status, _, _) = login(&h.state, "203.0.113.9", "aigerim", PASSWORD).await;
    assert_eq!(
        status,
        StatusCode::TOO_MANY_REQUESTS,
        "even a right password from there"
    );
    assert_eq!(
        login(&h.state, "192.0.2.1", "aigerim", PASSWORD).await.0,
        StatusCode::OK
    );
}

#[tokio::test]
async fn huge_or_malformed_names_are_refused_before_anything_is_stored() {
    let h = sqlite().await;
    let before = h.state.store.audit_entries().await.unwrap().len();
    let fingerprint = h.state.store.public_fingerprint().await.unwrap();
    for name in [
        "x".repeat(1_000_000),
        "x".repeat(65),
        "a b".into(),
        "имя".into(),
        String::new(),
    ] {
        let (status, _, body) = login(&h.state, "192.0.2.7", &name, "wrong password!").await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
        if name.len() > 64 * 1024 {
            // Over 64 KiB without a token: refused before it is read.
            assert_eq!(
                body["error"],
                "authentication required: send `Authorization: Bearer <token>`"
            );
        } else {
            assert_eq!(body["error"], "wrong account name or password");
        }
    }
    assert_eq!(
        h.state.store.audit_entries().await.unwrap().len(),
        before,
        "nothing written"
    );
    // A well-formed failed login is audited, but leaves what the public
    // pages are made of, and so their cache, as it was.
    assert_eq!(
        login(&h.state, "192.0.2.7", "nobody", "wrong password!")
            .await
            .0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        h.state.store.audit_entries().await.unwrap().len(),
        before + 1
    );
    assert_eq!(
        h.state.store.public_fingerprint().await.unwrap(),
        fingerprint
    );
    // So does a session opened and closed.
    let (status, _, body) = login(&h.state, "192.0.2.7", "aigerim", PASSWORD).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        h.state.store.public_fingerprint().await.unwrap(),
        fingerprint
    );
}

#[tokio::test]
async fn an_account_without_a_password_answers_like_a_wrong_password() {
    let h = sqlite().await;
    let robot = login(&h.state, "192.0.2.8", "robot", "any password at all").await;
    let wrong = login(&h.state, "192.0.2.8", "aigerim", "any password at all").await;
    assert_eq!(robot.0, StatusCode::UNAUTHORIZED);
    assert_eq!((robot.0, robot.2), (wrong.0, wrong.2));
}

#[tokio::test]
async fn answers_to_credentialed_requests_are_never_cached() {
    let h = sqlite().await;
    let (_, _, body) = login(&h.state, "192.0.2.9", "aigerim", PASSWORD).await;
    let token = body["token"].as_str().unwrap();
    let req = Request::builder()
        .uri("/api/v1/me")
        .header("Authorization", format!("Bearer {token}"))
        .body(Body::empty())
        .unwrap();
    let res = router(h.state.clone()).oneshot(req).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["cache-control"], "no-store");
    assert_eq!(
        res.headers()["strict-transport-security"],
        "max-age=31536000"
    );
}

/// The server as `bagalau serve` runs it, on a port of its own.
async fn served(h: &Harness, options: bagalau_web::ServeOptions) -> std::net::SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(bagalau_web::serve_on(h.state.clone(), listener, options));
    addr
}

#[tokio::test]
async fn a_client_that_sends_its_headers_slowly_is_cut_off() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let h = sqlite().await;
    let addr = served(
        &h,
        bagalau_web::ServeOptions {
            header_read_timeout: std::time::Duration::from_millis(500),
            ..Default::default()
        },
    )
    .await;
    let mut slow = tokio::net::TcpStream::connect(addr).await.unwrap();
    slow.write_all(b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\n")
        .await
        .unwrap();
    for _ in 0..3 {
        tokio::time::sleep(std::time::Duration::from_millis(400)).await;
        // Still trickling, a line at a time.
        if slow.write_all(b"X-Slow: 1\r\n").await.is_err() {
            break;
        }
    }
    let mut answer = Vec::new();
    let read = tokio::time::timeout(
        std::time::Duration::from_secs(5),
        slow.read_to_end(&mut answer),
    )
    .await
    .expect("the server closes the connection");
    assert!(
        read.is_err() || !String::from_utf8_lossy(&answer).contains("\"status\":\"ok\""),
        "served after all: {}",
        String::from_utf8_lossy(&answer)
    );
    // A normal client is served meanwhile.
    let mut quick = tokio::net::TcpStream::connect(addr).await.unwrap();
    quick
        .write_all(b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let mut answer = String::new();
    quick.read_to_string(&mut answer).await.unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
}

#[tokio::test]
async fn the_catalogue_links_to_the_configured_address_whatever_the_host_header() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let h = sqlite().await;
    let addr = served(
        &h,
        bagalau_web::ServeOptions {
            public_url: Some("https://data.example.kz/".into()),
            ..Default::default()
        },
    )
    .await;
    let mut client = tokio::net::TcpStream::connect(addr).await.unwrap();
    client
        .write_all(b"GET /open-data/catalog.jsonld HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let mut answer = String::new();
    client.read_to_string(&mut answer).await.unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(!answer.contains("evil.example"), "{answer}");
    assert!(answer.contains("https://data.example.kz/"), "{answer}");
}
