//! The audit trail's checkpoints as the public fetches them: the latest,
//! the log's public keys, and the checkpoint a publication was made at.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use bagalau_core::transparency::{self, SigningKey};
use bagalau_store::{AnyStore, AuditKeys, ImportBatch, Store};
use bagalau_web::{AppState, router};
use http_body_util::BodyExt;
use std::sync::Arc;
use tower::ServiceExt;

async fn get(state: &AppState, uri: &str) -> (StatusCode, Option<String>, String) {
    let res = router(state.clone())
        .oneshot(Request::get(uri).body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = res.status();
    let kind = res
        .headers()
        .get(header::CONTENT_TYPE)
        .map(|v| v.to_str().unwrap().to_string());
    let body = res.into_body().collect().await.unwrap().to_bytes();
    (status, kind, String::from_utf8(body.to_vec()).unwrap())
}

fn state(store: AnyStore, dir: &tempfile::TempDir) -> AppState {
    AppState {
        records: bagalau_web::no_records(),
        store,
        files: bagalau_store::files::FileStore::open(dir.path().join("evidence"), 1024).unwrap(),
        clock: Arc::new(|| "2026-03-01T09:00:00+00:00".to_string()),
    }
}

#[tokio::test]
async fn checkpoints_and_keys_are_public_and_a_publication_names_its_own() {
    let dir = tempfile::tempdir().unwrap();
    let store = AnyStore::open(&dir.path().join("t.db").display().to_string())
        .await
        .unwrap();
    // Not signed yet: nothing to serve, and nothing made up.
    let unsigned = state(store.clone(), &dir);
    assert_eq!(
        get(&unsigned, "/api/v1/audit/checkpoint").await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        get(&unsigned, "/api/v1/audit/public-keys").await.0,
        StatusCode::NOT_FOUND
    );

    let (private, public) = SigningKey::generate("bagalau.test/audit", [3; 32]).unwrap();
    let store = store.with_audit_keys(AuditKeys {
        signing: Some(Arc::new(SigningKey::parse(&private).unwrap())),
        previous: vec![],
    });
    let publication = bagalau_core::publication::Publication {
        year: 2022,
        version: 1,
        content_sha256: bagalau_core::hash::sha256_hex(b"{}"),
        published_at: "2026-02-01T00:00:00Z".into(),
        published_by: "api:chair".into(),
        reason: None,
    };
    store
        .apply(ImportBatch {
            publications: vec![(publication, "{}".into())],
            at: "2026-02-01T00:00:00Z".into(),
            actor: "api:chair".into(),
            ..Default::default()
        })
        .await
        .unwrap();
    let signed = state(store.clone(), &dir);

    let (status, kind, keys) = get(&signed, "/api/v1/audit/public-keys").await;
    assert_eq!(
        (status, kind.as_deref()),
        (StatusCode::OK, Some("text/plain; charset=utf-8"))
    );
    assert_eq!(keys, format!("{public}\n"));

    let (status, kind, note) = get(&signed, "/api/v1/audit/checkpoint").await;
    assert_eq!(
        (status, kind.as_deref()),
        (StatusCode::OK, Some("text/plain; charset=utf-8"))
    );
    let head = transparency::open(&note, std::slice::from_ref(&public)).unwrap();
    assert_eq!((head.size, head.written), (1, Some((1, 1))));

    let (status, _, at_publication) = get(&signed, "/api/v1/published/2022/1/checkpoint").await;
    assert_eq!((status, at_publication), (StatusCode::OK, note));
    assert_eq!(
        get(&signed, "/api/v1/published/2022/2/checkpoint").await.0,
        StatusCode::NOT_FOUND
    );
}
