//! What the API tests share, over the test kit (`bagalau-testkit`): a store
//! on a real SQLite database with the demonstration registry and register,
//! the accounts given (token `bgl_<account>`), a fixed clock, and requests
//! sent in process.

#![allow(dead_code)] // Each test file uses its own part of the kit.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use bagalau_store::Store;
use bagalau_web::{AppState, router};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use std::sync::Arc;
use tower::ServiceExt;

pub const NOW: &str = "2026-03-01T09:00:00+00:00";

/// A store with the registry, the register of services and `accounts`
/// (name, roles), each with the token `bgl_<name>` (the test kit's setup).
pub async fn setup(dir: &tempfile::TempDir, accounts: &[(&str, &[&str])]) -> AppState {
    let store = bagalau_testkit::TestApp::setup()
        .registry()
        .register()
        .accounts(accounts)
        .store_in(dir.path())
        .await;
    let files = bagalau_store::files::FileStore::open(dir.path().join("evidence"), 1024).unwrap();
    AppState {
        records: bagalau_web::no_records(),
        store,
        files,
        clock: Arc::new(|| NOW.to_string()),
    }
}

/// Sends a request as `account` (none: without a token); the status and
/// the JSON answer (null when not JSON).
pub async fn send(
    state: &AppState,
    method: &str,
    path: &str,
    account: Option<&str>,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let mut req = Request::builder()
        .method(method)
        .uri(path)
        .header("Content-Type", "application/json");
    if let Some(account) = account {
        req = req.header("Authorization", format!("Bearer bgl_{account}"));
    }
    let body = body.map_or_else(Body::empty, |b| Body::from(b.to_string()));
    let res = router(state.clone())
        .oneshot(req.body(body).unwrap())
        .await
        .unwrap();
    let status = res.status();
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

/// A request body of files: `{"files": [{"name", "text"}…]}`.
pub fn files(files: &[(&str, &str)]) -> Value {
    json!({ "files": files.iter().map(|(name, text)| json!({ "name": name, "text": text })).collect::<Vec<_>>() })
}

/// How many entries the audit trail has.
pub async fn trail(state: &AppState) -> usize {
    state.store.audit_entries().await.unwrap().len()
}
