//! The cycle's steps, accounts and public monitoring through the API, each
//! with who may take it and what it changes (the status of every endpoint
//! for every caller is the data-driven table of tests/authorization_matrix.rs).
//! Runs the router in-process on a real SQLite database, with a fixed clock.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use bagalau_core::accounts::token_hash;
use bagalau_core::cycle::Stage;
use bagalau_core::data::{DEMONSTRATION, YearData};
use bagalau_core::publication::{Publication, Snapshot};
use bagalau_core::{pack, registry, score};
use bagalau_store::{AnyStore, Document, ImportBatch, Store, TokenRecord, UserRecord};
use bagalau_web::{AppState, api_paths, openapi, router};
use http_body_util::BodyExt;
use serde_json::Value;
use std::sync::Arc;
use tower::ServiceExt;

const NOW: &str = "2026-03-01T00:00:00+00:00";

/// (account, roles); each gets the token "bgl_<account>".
const ACCOUNTS: [(&str, &[&str]); 8] = [
    ("coordinator", &["coordinator"]),
    ("methodologist", &["methodologist"]),
    ("assessor", &["assessor:budget@audit_chamber"]),
    ("reporter_minfin", &["reporter:minfin"]),
    ("reporter_mne", &["reporter:mne"]),
    ("verifier", &["verifier"]),
    ("commission", &["commission"]),
    ("monitor", &["monitor"]),
];

async fn setup(dir: &tempfile::TempDir) -> AnyStore {
    let store = AnyStore::open(&dir.path().join("t.db").display().to_string())
        .await
        .unwrap();
    let reg = registry::load(bagalau_demo::REGISTRY.0, bagalau_demo::REGISTRY.1).unwrap();
    let m = pack::load(bagalau_demo::PACKS[3].0, bagalau_demo::PACKS[3].1).unwrap();
    let obs = bagalau_demo::generate(&m, &reg, 9);
    let a = score::assess(&m, &reg, &YearData::from_observations(&obs, true));
    let (content, hash) = Snapshot::from_assessment(&a, &reg).canonical();
    let mut batch = ImportBatch {
        at: NOW.into(),
        actor: "test".into(),
        ..Default::default()
    };
    batch.observations = obs
        .into_iter()
        .map(|o| (o, DEMONSTRATION.to_string()))
        .collect();
    batch.packs.push(Document {
        file_name: "p".into(),
        text: bagalau_demo::PACKS[3].1.into(),
        parsed: m,
    });
    batch.registry = Some(Document {
        file_name: "r".into(),
        text: bagalau_demo::REGISTRY.1.into(),
        parsed: reg,
    });
    batch.publications.push((
        Publication {
            year: 2022,
            version: 1,
            content_sha256: hash,
            published_at: NOW.into(),
            published_by: "test".into(),
            reason: None,
        },
        content,
    ));
    for (name, roles) in ACCOUNTS {
        batch.users.push(UserRecord {
            disabled_at: None,
            name: name.into(),
            password_hash: "x".into(),
            roles: roles.iter().map(|r| r.to_string()).collect(),
            created_at: NOW.into(),
        });
        batch.tokens.push(TokenRecord {
            token_hash: token_hash(&format!("bgl_{name}")),
            name: name.into(),
            label: "t".into(),
            created_at: NOW.into(),
            expires_at: Some("2027-01-01T00:00:00+00:00".into()),
        });
    }
    batch.tokens.push(TokenRecord {
        token_hash: token_hash("bgl_expired"),
        name: "coordinator".into(),
        label: "old".into(),
        created_at: NOW.into(),
        expires_at: Some("2026-01-01T00:00:00+00:00".into()),
    });
    let d = |m, day| {
        chrono::NaiveDate::from_ymd_opt(2026, m, day)
            .unwrap()
            .and_hms_opt(23, 59, 59)
            .unwrap()
    };
    batch.cycles.push((
        2022,
        bagalau_core::cycle::Calendar {
            deadlines: std::collections::BTreeMap::from([
                (Stage::Submission, d(3, 15)),
                (Stage::Verification, d(4, 15)),
                (Stage::Preliminary, d(5, 15)),
                (Stage::Objections, d(6, 1)),
                (Stage::Final, d(7, 1)),
                (Stage::Commission, d(8, 1)),
            ]),
        },
    ));
    store.apply(batch).await.unwrap();
    store
}

/// An evidence store inside the test's folder, accepting files up to 1 KiB.
fn files(dir: &tempfile::TempDir) -> bagalau_store::files::FileStore {
    bagalau_store::files::FileStore::open(dir.path().join("evidence"), 1024).unwrap()
}

async fn upload(
    state: &AppState,
    name: &str,
    token: Option<&str>,
    bytes: Vec<u8>,
) -> (StatusCode, Value) {
    let mut req = Request::builder()
        .method("POST")
        .uri(format!("/api/v1/evidence?name={name}"));
    if let Some(t) = token {
        req = req.header("Authorization", format!("Bearer {t}"));
    }
    let res = router(state.clone())
        .oneshot(req.body(Body::from(bytes)).unwrap())
        .await
        .unwrap();
    let status = res.status();
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

async fn download(
    state: &AppState,
    sha: &str,
    token: Option<&str>,
) -> (StatusCode, Vec<u8>, axum::http::HeaderMap) {
    let mut req = Request::builder().uri(format!("/api/v1/evidence/{sha}"));
    if let Some(t) = token {
        req = req.header("Authorization", format!("Bearer {t}"));
    }
    let res = router(state.clone())
        .oneshot(req.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let (status, headers) = (res.status(), res.headers().clone());
    (
        status,
        res.into_body().collect().await.unwrap().to_bytes().to_vec(),
        headers,
    )
}

async fn get(state: &AppState, path: &str, token: Option<&str>) -> (StatusCode, Value) {
    let mut req = Request::builder().uri(path);
    if let Some(t) = token {
        req = req.header("Authorization", format!("Bearer {t}"));
    }
    let res = router(state.clone())
        .oneshot(req.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = res.status();
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

fn bodies_in(v: &Value) -> Vec<String> {
    v["results"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|r| r["body"].as_str().unwrap().to_string())
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn the_authorization_matrix() {
    let dir = tempfile::tempdir().unwrap();
    let state = AppState {
        records: bagalau_web::no_records(),
        store: setup(&dir).await,
        files: files(&dir),
        clock: Arc::new(|| NOW.to_string()),
    };
    let mut callers: Vec<(&str, Option<String>)> = vec![("anonymous", None)];
    callers.extend(ACCOUNTS.iter().map(|(n, _)| (*n, Some(format!("bgl_{n}")))));

    for (who, token) in &callers {
        let t = token.as_deref();
        // Public: health, the document, everything published.
        for path in [
            "/api/v1/health",
            "/api/v1/openapi.json",
            "/api/v1/published",
            "/api/v1/published/2022",
            "/api/v1/published/2022/1",
        ] {
            assert_eq!(get(&state, path, t).await.0, StatusCode::OK, "{who} {path}");
        }
        assert_eq!(
            get(&state, "/api/v1/published/2021", t).await.0,
            StatusCode::NOT_FOUND,
            "{who}"
        );

        let (me, body) = get(&state, "/api/v1/me", t).await;
        let (all, results) = get(&state, "/api/v1/assessments/2022", t).await;
        let (own, _) = get(&state, "/api/v1/assessments/2022/bodies/minfin", t).await;
        match *who {
            "anonymous" => {
                assert_eq!(
                    (me, all, own),
                    (
                        StatusCode::UNAUTHORIZED,
                        StatusCode::UNAUTHORIZED,
                        StatusCode::UNAUTHORIZED
                    )
                );
            }
            "monitor" => {
                assert_eq!(me, StatusCode::OK);
                assert_eq!(
                    (all, own),
                    (StatusCode::FORBIDDEN, StatusCode::FORBIDDEN),
                    "a monitor sees published results only"
                );
            }
            "reporter_minfin" => {
                assert_eq!(
                    (me, all, own),
                    (StatusCode::OK, StatusCode::OK, StatusCode::OK)
                );
                assert_eq!(bodies_in(&results), ["minfin"], "its own body only");
            }
            "reporter_mne" => {
                assert_eq!(
                    (all, own),
                    (StatusCode::OK, StatusCode::FORBIDDEN),
                    "another body's results"
                );
                assert_eq!(bodies_in(&results), ["mne"]);
            }
            _ => {
                assert_eq!(
                    (me, all, own),
                    (StatusCode::OK, StatusCode::OK, StatusCode::OK),
                    "{who}"
                );
                assert_eq!(bodies_in(&results).len(), 44, "{who} sees every body");
            }
        }
        if me == StatusCode::OK {
            assert_eq!(body["name"], *who);
        }
    }
    // Expired and unknown tokens are refused.
    assert_eq!(
        get(&state, "/api/v1/me", Some("bgl_expired")).await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        get(&state, "/api/v1/me", Some("bgl_nobody")).await.0,
        StatusCode::UNAUTHORIZED
    );
    // The published bytes are served exactly as frozen.
    let stored = state
        .store
        .publication_content(2022, 1)
        .await
        .unwrap()
        .unwrap();
    let res = router(state.clone())
        .oneshot(
            Request::builder()
                .uri("/api/v1/published/2022/1")
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(
        res.into_body().collect().await.unwrap().to_bytes(),
        stored.as_bytes()
    );
}

async fn post(
    state: &AppState,
    path: &str,
    token: Option<&str>,
    body: Value,
) -> (StatusCode, Value) {
    send(state, "POST", path, token, body).await
}

async fn put(
    state: &AppState,
    path: &str,
    token: Option<&str>,
    body: Value,
) -> (StatusCode, Value) {
    send(state, "PUT", path, token, body).await
}

async fn send(
    state: &AppState,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Value,
) -> (StatusCode, Value) {
    let mut req = Request::builder()
        .method(method)
        .uri(path)
        .header("Content-Type", "application/json");
    if let Some(t) = token {
        req = req.header("Authorization", format!("Bearer {t}"));
    }
    let res = router(state.clone())
        .oneshot(req.body(Body::from(body.to_string())).unwrap())
        .await
        .unwrap();
    let status = res.status();
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

#[tokio::test]
async fn submissions_through_the_api() {
    let dir = tempfile::tempdir().unwrap();
    let state = AppState {
        records: bagalau_web::no_records(),
        store: setup(&dir).await,
        files: files(&dir),
        clock: Arc::new(|| NOW.to_string()),
    };
    let path = "/api/v1/cycles/2022/submissions/minfin";
    let draft = serde_json::json!({ "values": [{ "indicator": "bl_violations", "value": 4, "note": "two audits" }] });
    // Who may submit for minfin: only its reporter.
    for (who, status) in [
        ("anonymous", StatusCode::UNAUTHORIZED),
        ("reporter_mne", StatusCode::FORBIDDEN),
        ("coordinator", StatusCode::FORBIDDEN),
        ("assessor", StatusCode::FORBIDDEN),
        ("commission", StatusCode::FORBIDDEN),
        ("monitor", StatusCode::FORBIDDEN),
    ] {
        let token = (who != "anonymous").then(|| format!("bgl_{who}"));
        assert_eq!(
            post(&state, path, token.as_deref(), draft.clone()).await.0,
            status,
            "{who}"
        );
    }
    let (status, body) = post(&state, path, Some("bgl_reporter_minfin"), draft.clone()).await;
    assert_eq!(
        (status, body["state"].as_str()),
        (StatusCode::OK, Some("draft")),
        "{body}"
    );
    // Evidence attached to the submission: the caller's own upload, seen by those who see the submission.
    let (_, file) = upload(
        &state,
        "act.csv",
        Some("bgl_reporter_minfin"),
        b"audit,violations\n1,4\n".to_vec(),
    )
    .await;
    let sha = file["sha256"].as_str().unwrap().to_string();
    let with_file = serde_json::json!({ "values": [], "evidence": [sha] });
    assert_eq!(
        post(&state, path, Some("bgl_reporter_minfin"), with_file)
            .await
            .0,
        StatusCode::OK
    );
    assert_eq!(
        state.store.submission_evidence(Some(2022)).await.unwrap(),
        [(2022, "minfin".to_string(), sha.clone())]
    );
    assert_eq!(
        download(&state, &sha, Some("bgl_verifier")).await.0,
        StatusCode::OK
    );
    assert_eq!(
        download(&state, &sha, Some("bgl_reporter_mne")).await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        download(&state, &sha, Some("bgl_monitor")).await.0,
        StatusCode::NOT_FOUND
    );
    // A value that does not fit: nothing is saved.
    let bad = serde_json::json!({ "values": [{ "indicator": "bl_violations", "value": 5 }, { "indicator": "ps_satisfaction_pct", "value": 140 }] });
    let (status, body) = post(&state, path, Some("bgl_reporter_minfin"), bad).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body["error"]
            .as_str()
            .unwrap()
            .contains("values[1]: column `ps_satisfaction_pct`: value 140"),
        "{body}"
    );
    assert_eq!(
        state
            .store
            .year_data(2022)
            .await
            .unwrap()
            .get("minfin", "bl_violations"),
        Some(4.0)
    );
    // Submit, then no more changes.
    let (status, body) = post(
        &state,
        path,
        Some("bgl_reporter_minfin"),
        serde_json::json!({ "values": [], "submit": true }),
    )
    .await;
    assert_eq!(
        (status, body["state"].as_str()),
        (StatusCode::OK, Some("submitted"))
    );
    assert_eq!(
        post(&state, path, Some("bgl_reporter_minfin"), draft.clone())
            .await
            .0,
        StatusCode::CONFLICT
    );
    // What each sees of the cycle.
    let (_, mine) = get(&state, "/api/v1/cycles/2022", Some("bgl_reporter_mne")).await;
    assert_eq!(
        mine["submissions"].as_array().unwrap().len(),
        0,
        "mne sees no other body's submission"
    );
    let (_, all) = get(&state, "/api/v1/cycles/2022", Some("bgl_coordinator")).await;
    assert_eq!(all["submissions"][0]["body"], "minfin");
    assert_eq!(all["stage"], "submission");
    // After the deadline, a submission is refused.
    let late = AppState {
        records: bagalau_web::no_records(),
        store: state.store.clone(),
        files: state.files.clone(),
        clock: Arc::new(|| "2026-03-16T09:00:00+00:00".to_string()),
    };
    let (status, body) = post(
        &late,
        "/api/v1/cycles/2022/submissions/mne",
        Some("bgl_reporter_mne"),
        draft,
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(
        body["error"].as_str().unwrap().starts_with("too late"),
        "{body}"
    );
    // And as data, for clients that speak another language.
    assert_eq!(body["refusal"]["code"], "closed", "{body}");
    assert_eq!(body["refusal"]["stage"], "submission", "{body}");
    assert!(body["refusal"]["deadline"].as_str().is_some(), "{body}");
    // What is due: minfin has submitted, mne has not and is now late.
    let (status, due) = get(
        &state,
        "/api/v1/cycles/2022/due",
        Some("bgl_reporter_minfin"),
    )
    .await;
    assert_eq!(
        (status, due["due"].as_array().unwrap().len()),
        (StatusCode::OK, 0),
        "{due}"
    );
    let (_, due) = get(&late, "/api/v1/cycles/2022/due", Some("bgl_reporter_mne")).await;
    assert_eq!(
        (
            due["due"][0]["what"].as_str(),
            due["due"][0]["body"].as_str(),
            due["due"][0]["overdue"].as_bool()
        ),
        (Some("submit the reporting data"), Some("mne"), Some(true)),
        "{due}"
    );
    assert_eq!(
        get(&state, "/api/v1/cycles/2022/due", None).await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        get(&state, "/api/v1/cycles/2031/due", Some("bgl_reporter_mne"))
            .await
            .0,
        StatusCode::NOT_FOUND
    );
    // Every write went to the audit trail under the API user's name.
    let entries = state.store.audit_entries().await.unwrap();
    assert!(entries.iter().any(|e| e.actor == "api:reporter_minfin"
        && e.entity == "submission"
        && e.new.as_deref() == Some("submitted")));
}

#[tokio::test]
async fn an_accepted_objection_corrects_the_data_and_the_year_is_rescored() {
    let dir = tempfile::tempdir().unwrap();
    let store = setup(&dir).await;
    let mut extra = ImportBatch {
        at: NOW.into(),
        actor: "test".into(),
        ..Default::default()
    };
    extra.users.push(UserRecord {
        disabled_at: None,
        name: "assessor2".into(),
        password_hash: "x".into(),
        roles: vec!["assessor:budget@audit_chamber".into()],
        created_at: NOW.into(),
    });
    extra.tokens.push(TokenRecord {
        token_hash: token_hash("bgl_assessor2"),
        name: "assessor2".into(),
        label: "t".into(),
        created_at: NOW.into(),
        expires_at: Some("2027-01-01T00:00:00+00:00".into()),
    });
    // Holds the budget direction, but for another body than the one the methodology assigns it to.
    extra.users.push(UserRecord {
        disabled_at: None,
        name: "unassigned".into(),
        password_hash: "x".into(),
        roles: vec!["assessor:budget@mci".into()],
        created_at: NOW.into(),
    });
    extra.tokens.push(TokenRecord {
        token_hash: token_hash("bgl_unassigned"),
        name: "unassigned".into(),
        label: "t".into(),
        created_at: NOW.into(),
        expires_at: Some("2027-01-01T00:00:00+00:00".into()),
    });
    store.apply(extra).await.unwrap();
    let at = |t: &'static str| AppState {
        records: bagalau_web::no_records(),
        store: store.clone(),
        files: files(&dir),
        clock: Arc::new(move || t.to_string()),
    };
    let (preliminary, objections_open, final_stage) = (
        at("2026-04-20T12:00:00+00:00"),
        at("2026-05-20T12:00:00+00:00"),
        at("2026-06-10T12:00:00+00:00"),
    );
    // minfin reports four violations during the submission stage.
    let reported = serde_json::json!({ "values": [{ "indicator": "bl_violations", "value": 4 }], "submit": true });
    assert_eq!(
        post(
            &at(NOW),
            "/api/v1/cycles/2022/submissions/minfin",
            Some("bgl_reporter_minfin"),
            reported
        )
        .await
        .0,
        StatusCode::OK
    );
    let conclusion =
        serde_json::json!({ "direction": "budget", "body": "minfin", "text": "Preliminary." });
    let (status, body) = post(
        &preliminary,
        "/api/v1/cycles/2022/conclusions",
        Some("bgl_unassigned"),
        conclusion.clone(),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert!(
        body["error"].as_str().unwrap().contains(
            "does not assess `budget` for `audit_chamber`, the body the methodology assigns it to"
        ),
        "{body}"
    );
    post(
        &preliminary,
        "/api/v1/cycles/2022/conclusions",
        Some("bgl_assessor"),
        conclusion,
    )
    .await;
    let objection = serde_json::json!({ "body": "minfin", "direction": "budget", "criterion": "budget_violations", "statement": "Two of the violations were annulled by a court." });
    let (_, filed) = post(
        &objections_open,
        "/api/v1/cycles/2022/objections",
        Some("bgl_reporter_minfin"),
        objection,
    )
    .await;
    let path = format!("/api/v1/cycles/2022/objections/{}/decision", filed["id"]);
    let (_, before) = get(
        &final_stage,
        "/api/v1/assessments/2022/bodies/minfin",
        Some("bgl_coordinator"),
    )
    .await;
    let violations = store
        .year_data(2022)
        .await
        .unwrap()
        .get("minfin", "bl_violations")
        .unwrap();

    let (status, body) = post(
        &final_stage,
        &path,
        Some("bgl_unassigned"),
        serde_json::json!({ "accept": false, "reason": "no" }),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    let wrong = serde_json::json!({ "accept": true, "reason": "court decisions", "corrections": [{ "indicator": "bp_spent", "value": 1 }] });
    let (status, body) = post(&final_stage, &path, Some("bgl_assessor2"), wrong).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(
        body["error"]
            .as_str()
            .unwrap()
            .contains("`bp_spent` is not read by the criterion `budget_violations`"),
        "{body}"
    );

    assert_eq!(violations, 4.0);
    let fixed = violations - 2.0;
    let accept = serde_json::json!({ "accept": true, "reason": "court decisions annulled two findings", "corrections": [{ "indicator": "bl_violations", "value": fixed }] });
    let (status, body) = post(&final_stage, &path, Some("bgl_assessor2"), accept).await;
    assert_eq!(
        (status, body["state"].as_str()),
        (StatusCode::OK, Some("accepted")),
        "{body}"
    );
    assert_eq!(
        store
            .year_data(2022)
            .await
            .unwrap()
            .get("minfin", "bl_violations"),
        Some(fixed)
    );
    let (_, after) = get(
        &final_stage,
        "/api/v1/assessments/2022/bodies/minfin",
        Some("bgl_coordinator"),
    )
    .await;
    assert!(
        after["result"]["total"].as_f64() > before["result"]["total"].as_f64(),
        "rescored: {} → {}",
        before["result"]["total"],
        after["result"]["total"]
    );
    let entries = store.audit_entries().await.unwrap();
    let correction = entries
        .iter()
        .rev()
        .find(|e| e.entity == "value" && e.key == "2022/minfin/bl_violations")
        .unwrap();
    assert_eq!(correction.actor, "api:assessor2");
    assert!(
        correction
            .old
            .as_deref()
            .unwrap()
            .contains(&format!("value={violations:?}")),
        "the old value stays on record"
    );
    assert!(
        correction
            .new
            .as_deref()
            .unwrap()
            .ends_with(&format!("origin=objection:{}", filed["id"]))
    );
}

#[tokio::test]
async fn findings_on_selected_bodies_during_verification() {
    let dir = tempfile::tempdir().unwrap();
    let store = setup(&dir).await;
    let mut selection = ImportBatch {
        at: NOW.into(),
        actor: "test".into(),
        ..Default::default()
    };
    selection.selection = Some((
        2022,
        7,
        vec![bagalau_store::SelectionRecord {
            body: "minfin".into(),
            by: "risk".into(),
            score: 3.0,
            reasons: vec!["late".into()],
        }],
    ));
    store.apply(selection).await.unwrap();
    let verification = AppState {
        records: bagalau_web::no_records(),
        store: store.clone(),
        files: files(&dir),
        clock: Arc::new(|| "2026-03-20T12:00:00+00:00".to_string()),
    };
    let finding = |body: &str, reason: &str| serde_json::json!({ "body": body, "indicator": "bl_violations", "value": 7, "reason": reason });
    let path = "/api/v1/cycles/2022/findings";
    assert_eq!(
        post(
            &verification,
            path,
            Some("bgl_reporter_minfin"),
            finding("minfin", "x")
        )
        .await
        .0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        post(
            &verification,
            path,
            Some("bgl_coordinator"),
            finding("minfin", "x")
        )
        .await
        .0,
        StatusCode::FORBIDDEN,
        "not a verifier"
    );
    assert_eq!(
        post(
            &verification,
            path,
            Some("bgl_verifier"),
            finding("mne", "x")
        )
        .await
        .0,
        StatusCode::CONFLICT,
        "not selected"
    );
    assert_eq!(
        post(
            &verification,
            path,
            Some("bgl_verifier"),
            finding("minfin", " ")
        )
        .await
        .0,
        StatusCode::UNPROCESSABLE_ENTITY,
        "no reason"
    );
    let early = AppState {
        records: bagalau_web::no_records(),
        store: store.clone(),
        files: files(&dir),
        clock: Arc::new(|| NOW.to_string()),
    };
    assert_eq!(
        post(&early, path, Some("bgl_verifier"), finding("minfin", "x"))
            .await
            .0,
        StatusCode::CONFLICT,
        "submissions still open"
    );
    let (status, body) = post(
        &verification,
        path,
        Some("bgl_verifier"),
        finding("minfin", "inspection act 12 found 7 violations"),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        store
            .year_data(2022)
            .await
            .unwrap()
            .get("minfin", "bl_violations"),
        Some(7.0)
    );
    assert_eq!(
        get(
            &verification,
            "/api/v1/cycles/2022/verification",
            Some("bgl_reporter_minfin")
        )
        .await
        .0,
        StatusCode::FORBIDDEN
    );
    let (status, seen) = get(
        &verification,
        "/api/v1/cycles/2022/verification",
        Some("bgl_coordinator"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        (
            seen["selection"][0]["body"].as_str(),
            seen["findings"][0]["new"].as_f64()
        ),
        (Some("minfin"), Some(7.0))
    );
    let entries = store.audit_entries().await.unwrap();
    assert!(entries.iter().any(|e| {
        e.entity == "finding"
            && e.actor == "api:verifier"
            && e.new
                .as_deref()
                .unwrap()
                .contains("because inspection act 12")
    }));
    assert_eq!(
        bagalau_core::audit::verify(&entries, &store.audit_records().await.unwrap()),
        vec![]
    );
}

#[test]
fn every_route_is_in_the_openapi_document() {
    let doc = openapi();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    // The router is built from the documented endpoints: what is routed is
    // documented. A few known paths stand for the families.
    for route in [
        "/api/v1/health",
        "/api/v1/cycles/{year}/submissions/{body}/xlsx",
        "/api/v1/complaints/indicators",
        "/api/v1/services/calendar/{year}",
        "/api/v1/monitoring/findings/{id}/reply",
    ] {
        assert!(
            doc["paths"].get(route).is_some(),
            "{route} is missing from the document"
        );
    }
    // The guide to the API by role names every path.
    let guide = include_str!("../../../docs/api.md");
    for path in bagalau_web::api_paths() {
        // In full, or shortened after a table's first path (`…/{id}/review`).
        let named = guide.contains(&path)
            || path
                .match_indices('/')
                .any(|(i, _)| i > 0 && guide.contains(&format!("…{}", &path[i..])));
        assert!(named, "{path} is missing from docs/api.md");
    }
    assert_eq!(
        bagalau_web::clashing_schema_names(),
        Vec::<String>::new(),
        "one schema name for two shapes"
    );
    // The document keys schemas by their type's name alone: two types of
    // one name in two modules would silently share a schema (the check
    // above sees only what the routes collect by reference).
    assert_eq!(
        schema_types_named_twice(),
        Vec::<String>::new(),
        "two documented types of one name"
    );
    assert_eq!(
        doc["paths"]["/api/v1/monitoring/projects/{id}/findings"]["post"]["requestBody"]["content"]
            ["application/json"]["schema"]["$ref"],
        "#/components/schemas/MonitoringFindingRequest"
    );
    assert_eq!(
        doc["components"]["securitySchemes"]["bearer"]["scheme"],
        "bearer"
    );
}

#[tokio::test]
async fn an_objection_from_filing_to_the_commission() {
    let dir = tempfile::tempdir().unwrap();
    let store = setup(&dir).await;
    let mut extra = ImportBatch {
        at: NOW.into(),
        actor: "test".into(),
        ..Default::default()
    };
    extra.users.push(UserRecord {
        disabled_at: None,
        name: "assessor2".into(),
        password_hash: "x".into(),
        roles: vec!["assessor:budget@audit_chamber".into()],
        created_at: NOW.into(),
    });
    extra.tokens.push(TokenRecord {
        token_hash: token_hash("bgl_assessor2"),
        name: "assessor2".into(),
        label: "t".into(),
        created_at: NOW.into(),
        expires_at: Some("2027-01-01T00:00:00+00:00".into()),
    });
    store.apply(extra).await.unwrap();
    let at = |t: &'static str| AppState {
        records: bagalau_web::no_records(),
        store: store.clone(),
        files: files(&dir),
        clock: Arc::new(move || t.to_string()),
    };
    let early = at("2026-04-10T12:00:00+00:00");
    let preliminary = at("2026-04-20T12:00:00+00:00");
    let objections_open = at("2026-05-20T12:00:00+00:00");
    let final_stage = at("2026-06-10T12:00:00+00:00");
    let conclusion = serde_json::json!({ "direction": "budget", "body": "minfin", "text": "Budget programmes executed at 97%." });

    assert_eq!(
        post(
            &early,
            "/api/v1/cycles/2022/conclusions",
            Some("bgl_assessor"),
            conclusion.clone()
        )
        .await
        .0,
        StatusCode::CONFLICT
    );
    assert_eq!(
        post(
            &preliminary,
            "/api/v1/cycles/2022/conclusions",
            Some("bgl_reporter_minfin"),
            conclusion.clone()
        )
        .await
        .0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        post(
            &preliminary,
            "/api/v1/cycles/2022/conclusions",
            Some("bgl_assessor"),
            conclusion
        )
        .await
        .0,
        StatusCode::OK
    );

    let objection = serde_json::json!({ "body": "minfin", "direction": "budget", "criterion": "bp_execution", "statement": "The plan was revised in November." });
    assert_eq!(
        post(
            &preliminary,
            "/api/v1/cycles/2022/objections",
            Some("bgl_reporter_minfin"),
            objection.clone()
        )
        .await
        .0,
        StatusCode::CONFLICT,
        "objections not open yet"
    );
    assert_eq!(
        post(
            &objections_open,
            "/api/v1/cycles/2022/objections",
            Some("bgl_reporter_mne"),
            objection.clone()
        )
        .await
        .0,
        StatusCode::FORBIDDEN
    );
    let unknown = serde_json::json!({ "body": "minfin", "direction": "budget", "criterion": "nope", "statement": "x" });
    assert_eq!(
        post(
            &objections_open,
            "/api/v1/cycles/2022/objections",
            Some("bgl_reporter_minfin"),
            unknown
        )
        .await
        .0,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    // Supporting files: uploaded first, then cited; only the filer's own uploads.
    let (_, file) = upload(
        &objections_open,
        "revised%20plan.csv",
        Some("bgl_reporter_minfin"),
        b"month,plan\n11,1900\n".to_vec(),
    )
    .await;
    let sha = file["sha256"].as_str().unwrap().to_string();
    let mut objection = objection;
    objection["evidence"] = serde_json::json!([sha]);
    let (_, theirs) = upload(
        &objections_open,
        "mne.csv",
        Some("bgl_reporter_mne"),
        b"a,b\n".to_vec(),
    )
    .await;
    let mut borrowed = objection.clone();
    borrowed["evidence"] = serde_json::json!([theirs["sha256"]]);
    let (status, body) = post(
        &objections_open,
        "/api/v1/cycles/2022/objections",
        Some("bgl_reporter_minfin"),
        borrowed,
    )
    .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "another user's upload is not evidence: {body}"
    );
    assert!(
        objections_open
            .store
            .objections(2022)
            .await
            .unwrap()
            .is_empty(),
        "nothing was filed"
    );
    let (status, filed) = post(
        &objections_open,
        "/api/v1/cycles/2022/objections",
        Some("bgl_reporter_minfin"),
        objection,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let id = filed["id"].as_i64().unwrap();
    // The assessors deciding it see the file; another body does not.
    assert_eq!(
        download(&objections_open, &sha, Some("bgl_assessor"))
            .await
            .1,
        b"month,plan\n11,1900\n"
    );
    assert_eq!(
        download(&objections_open, &sha, Some("bgl_reporter_mne"))
            .await
            .0,
        StatusCode::NOT_FOUND
    );
    let (_, listed) = get(
        &objections_open,
        "/api/v1/cycles/2022/objections",
        Some("bgl_assessor"),
    )
    .await;
    assert_eq!(listed[0]["evidence"][0].as_str(), Some(sha.as_str()));
    let base = format!("/api/v1/cycles/2022/objections/{id}");

    let reject = serde_json::json!({ "accept": false, "reason": "The revision came after the reporting date." });
    let (status, body) = post(
        &final_stage,
        &format!("{base}/decision"),
        Some("bgl_assessor"),
        reject.clone(),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "the author of the conclusion may not decide: {body}"
    );
    assert!(
        body["error"]
            .as_str()
            .unwrap()
            .starts_with("separation of duties")
    );
    assert_eq!(
        post(
            &final_stage,
            &format!("{base}/escalation"),
            Some("bgl_reporter_minfin"),
            Value::Null
        )
        .await
        .0,
        StatusCode::CONFLICT,
        "not rejected yet"
    );
    let (status, body) = post(
        &final_stage,
        &format!("{base}/decision"),
        Some("bgl_assessor2"),
        reject.clone(),
    )
    .await;
    assert_eq!(
        (status, body["state"].as_str()),
        (StatusCode::OK, Some("rejected"))
    );
    assert_eq!(
        post(
            &final_stage,
            &format!("{base}/decision"),
            Some("bgl_assessor2"),
            reject
        )
        .await
        .0,
        StatusCode::CONFLICT,
        "decided once"
    );
    let (status, body) = post(
        &final_stage,
        &format!("{base}/escalation"),
        Some("bgl_reporter_minfin"),
        Value::Null,
    )
    .await;
    assert_eq!(
        (status, body["state"].as_str()),
        (StatusCode::OK, Some("escalated"))
    );
    let uphold = serde_json::json!({ "accept": true, "reason": "The government approved the revision in time." });
    assert_eq!(
        post(
            &final_stage,
            &format!("{base}/ruling"),
            Some("bgl_coordinator"),
            uphold.clone()
        )
        .await
        .0,
        StatusCode::FORBIDDEN
    );
    let (status, body) = post(
        &final_stage,
        &format!("{base}/ruling"),
        Some("bgl_commission"),
        uphold,
    )
    .await;
    assert_eq!(
        (status, body["state"].as_str()),
        (StatusCode::OK, Some("upheld"))
    );

    assert_eq!(
        get(
            &final_stage,
            "/api/v1/cycles/2022/objections",
            Some("bgl_reporter_mne")
        )
        .await
        .1,
        serde_json::json!([])
    );
    let (_, all) = get(
        &final_stage,
        "/api/v1/cycles/2022/objections",
        Some("bgl_coordinator"),
    )
    .await;
    assert_eq!(all[0]["state"], "upheld");
    assert_eq!(all[0]["decided_by"], "commission");
    let entries = store.audit_entries().await.unwrap();
    let trail: Vec<&str> = entries
        .iter()
        .filter(|e| e.entity == "objection")
        .map(|e| e.actor.as_str())
        .collect();
    assert_eq!(
        trail,
        [
            "api:reporter_minfin",
            "api:assessor2",
            "api:reporter_minfin",
            "api:commission"
        ]
    );
    assert_eq!(
        bagalau_core::audit::verify(&entries, &store.audit_records().await.unwrap()),
        vec![]
    );

    // The commission approves once final conclusions exist; the results are frozen as a publication.
    let commission_stage = at("2026-07-10T12:00:00+00:00");
    let approval = serde_json::json!({ "reason": "approved by the Assessment Commission" });
    let (status, body) = post(
        &commission_stage,
        "/api/v1/cycles/2022/approval",
        Some("bgl_commission"),
        approval.clone(),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::CONFLICT,
        "no final conclusion yet: {body}"
    );
    let final_text = serde_json::json!({ "direction": "budget", "body": "minfin", "text": "Final: 97%, objection upheld.", "final": true });
    let written = post(
        &final_stage,
        "/api/v1/cycles/2022/conclusions",
        Some("bgl_assessor"),
        final_text.clone(),
    )
    .await;
    assert_eq!(written.0, StatusCode::OK, "{}", written.1);
    // The final conclusion goes to the body, the coordinator and the commission; not to another body or a monitor.
    let path = "/api/v1/cycles/2022/conclusions?final=true";
    for who in [
        "reporter_minfin",
        "coordinator",
        "commission",
        "methodologist",
    ] {
        let (status, seen) = get(&final_stage, path, Some(&format!("bgl_{who}"))).await;
        assert_eq!(
            (status, seen["conclusions"][0]["text"].as_str()),
            (StatusCode::OK, Some("Final: 97%, objection upheld.")),
            "{who}"
        );
    }
    let (_, mne) = get(&final_stage, path, Some("bgl_reporter_mne")).await;
    assert_eq!(
        mne["conclusions"].as_array().unwrap().len(),
        0,
        "another body's conclusion"
    );
    assert_eq!(
        get(&final_stage, path, Some("bgl_monitor")).await.0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        get(&final_stage, path, None).await.0,
        StatusCode::UNAUTHORIZED
    );
    let (_, preliminary) = get(
        &final_stage,
        "/api/v1/cycles/2022/conclusions?final=false&body=minfin",
        Some("bgl_reporter_minfin"),
    )
    .await;
    assert_eq!(
        preliminary["conclusions"].as_array().unwrap().len(),
        1,
        "{preliminary}"
    );
    assert_eq!(
        post(
            &final_stage,
            "/api/v1/cycles/2022/conclusions",
            Some("bgl_assessor"),
            final_text
        )
        .await
        .0,
        StatusCode::OK
    );
    assert_eq!(
        post(
            &commission_stage,
            "/api/v1/cycles/2022/approval",
            Some("bgl_coordinator"),
            approval.clone()
        )
        .await
        .0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        post(
            &final_stage,
            "/api/v1/cycles/2022/approval",
            Some("bgl_commission"),
            approval.clone()
        )
        .await
        .0,
        StatusCode::CONFLICT,
        "too early"
    );
    // Expert opinions: commission members, while the commission sits; seen by the commission and coordinators.
    let opinion =
        serde_json::json!({ "body": "minfin", "text": "The upheld objection is well founded." });
    let path = "/api/v1/cycles/2022/opinions";
    assert_eq!(
        post(
            &commission_stage,
            path,
            Some("bgl_coordinator"),
            opinion.clone()
        )
        .await
        .0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        post(&final_stage, path, Some("bgl_commission"), opinion.clone())
            .await
            .0,
        StatusCode::CONFLICT
    );
    let nowhere = serde_json::json!({ "body": "nowhere", "text": "x" });
    assert_eq!(
        post(&commission_stage, path, Some("bgl_commission"), nowhere)
            .await
            .0,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        post(&commission_stage, path, Some("bgl_commission"), opinion)
            .await
            .0,
        StatusCode::OK
    );
    let year_opinion = serde_json::json!({ "text": "Results are consistent with last year's." });
    assert_eq!(
        post(
            &commission_stage,
            path,
            Some("bgl_commission"),
            year_opinion
        )
        .await
        .0,
        StatusCode::OK
    );
    let (_, listed) = get(&commission_stage, path, Some("bgl_coordinator")).await;
    assert_eq!(
        (
            listed["opinions"][0]["body"].as_str(),
            listed["opinions"][1]["body"].as_str(),
            listed["opinions"][1]["author"].as_str()
        ),
        (Some("minfin"), None, Some("commission")),
        "{listed}"
    );
    for who in ["reporter_minfin", "assessor", "verifier", "monitor"] {
        assert_eq!(
            get(&commission_stage, path, Some(&format!("bgl_{who}")))
                .await
                .0,
            StatusCode::FORBIDDEN,
            "{who}"
        );
    }
    let (status, body) = post(
        &commission_stage,
        "/api/v1/cycles/2022/approval",
        Some("bgl_commission"),
        approval.clone(),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    // The setup had published version 1 from the same scores; approval adds
    // the final conclusions, so it is version 2 (with the approval's reason).
    assert_eq!(
        (body["version"].as_i64(), body["new"].as_bool()),
        (Some(2), Some(true))
    );
    // The public list names the institution that published, not the account.
    let (_, list) = get(&commission_stage, "/api/v1/published", None).await;
    let last = list.as_array().unwrap().last().unwrap().clone();
    assert_eq!(
        (last["version"].as_i64(), last["published_by"].as_str()),
        (Some(2), Some("commission")),
        "{list}"
    );
    assert!(!list.to_string().contains("api:"), "{list}");
    let (status, published) = get(&commission_stage, "/api/v1/published/2022", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        published["conclusions"],
        serde_json::json!([{ "body": "minfin", "direction": "budget", "authority": "audit_chamber",
            "text": "Final: 97%, objection upheld." }]),
        "only the final conclusion, under its authority: {published}"
    );
    let (_, again) = post(
        &commission_stage,
        "/api/v1/cycles/2022/approval",
        Some("bgl_commission"),
        approval.clone(),
    )
    .await;
    assert_eq!(
        (again["version"].as_i64(), again["new"].as_bool()),
        (Some(2), Some(false)),
        "approving the same results again changes nothing"
    );
}

#[tokio::test]
async fn recommendations_through_the_api() {
    let dir = tempfile::tempdir().unwrap();
    let state = AppState {
        records: bagalau_web::no_records(),
        store: setup(&dir).await,
        files: files(&dir),
        clock: Arc::new(|| NOW.to_string()),
    };
    let rec = serde_json::json!({ "year": 2022, "body": "minfin", "text": "Publish monthly budget execution reports", "due": "2026-06-30" });
    // Who may issue: coordinators, the commission and assessors (not to their own body).
    for (who, status) in [
        ("anonymous", StatusCode::UNAUTHORIZED),
        ("reporter_minfin", StatusCode::FORBIDDEN),
        ("reporter_mne", StatusCode::FORBIDDEN),
        ("verifier", StatusCode::FORBIDDEN),
        ("monitor", StatusCode::FORBIDDEN),
        ("methodologist", StatusCode::FORBIDDEN),
    ] {
        let token = (who != "anonymous").then(|| format!("bgl_{who}"));
        assert_eq!(
            post(
                &state,
                "/api/v1/recommendations",
                token.as_deref(),
                rec.clone()
            )
            .await
            .0,
            status,
            "{who}"
        );
    }
    let to_itself = serde_json::json!({ "year": 2022, "body": "audit_chamber", "text": "x", "due": "2026-06-30" });
    assert_eq!(
        post(
            &state,
            "/api/v1/recommendations",
            Some("bgl_assessor"),
            to_itself
        )
        .await
        .0,
        StatusCode::FORBIDDEN
    );
    let nowhere =
        serde_json::json!({ "year": 2022, "body": "nowhere", "text": "x", "due": "2026-06-30" });
    let (status, body) = post(
        &state,
        "/api/v1/recommendations",
        Some("bgl_assessor"),
        nowhere,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let past =
        serde_json::json!({ "year": 2022, "body": "minfin", "text": "x", "due": "2026-02-01" });
    assert_eq!(
        post(
            &state,
            "/api/v1/recommendations",
            Some("bgl_assessor"),
            past
        )
        .await
        .0,
        StatusCode::CONFLICT
    );
    assert!(
        state.store.recommendations(None).await.unwrap().is_empty(),
        "refused issues change nothing"
    );
    let (status, issued) = post(&state, "/api/v1/recommendations", Some("bgl_assessor"), rec).await;
    assert_eq!(status, StatusCode::OK, "{issued}");
    let id = issued["id"].as_i64().unwrap();
    // Who sees it: minfin, the issuer, coordinators; not mne, a verifier or a monitor.
    for (who, count) in [
        ("reporter_minfin", 1),
        ("assessor", 1),
        ("coordinator", 1),
        ("commission", 1),
        ("reporter_mne", 0),
        ("verifier", 0),
        ("monitor", 0),
    ] {
        let (_, list) = get(
            &state,
            "/api/v1/recommendations?year=2022",
            Some(&format!("bgl_{who}")),
        )
        .await;
        assert_eq!(
            list["recommendations"].as_array().unwrap().len(),
            count,
            "{who}: {list}"
        );
    }
    assert_eq!(
        get(&state, "/api/v1/recommendations", None).await.0,
        StatusCode::UNAUTHORIZED
    );
    let report = format!("/api/v1/recommendations/{id}/report");
    let review = format!("/api/v1/recommendations/{id}/review");
    // Evidence: uploaded first, checked by content, then cited by its SHA-256.
    let pdf: &[u8] = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n";
    let exe: &[u8] = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00\xb8\x00\x00\x00\x00\x00\x00\x00@\x00\x00\x00PE\x00\x00";
    let (status, body) = upload(
        &state,
        "report%20April.pdf",
        Some("bgl_reporter_minfin"),
        pdf.to_vec(),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let sha = body["sha256"].as_str().unwrap().to_string();
    assert_eq!(body["media_type"], "application/pdf");
    let (status, body) = upload(
        &state,
        "scan.pdf",
        Some("bgl_reporter_minfin"),
        exe.to_vec(),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body["error"]
            .as_str()
            .unwrap()
            .contains("scan.pdf: the name says `.pdf` but the content is"),
        "{body}"
    );
    assert_eq!(
        upload(
            &state,
            "big.csv",
            Some("bgl_reporter_minfin"),
            vec![b'a'; 1025]
        )
        .await
        .0,
        StatusCode::PAYLOAD_TOO_LARGE
    );
    assert_eq!(
        upload(
            &state,
            "huge.csv",
            Some("bgl_reporter_minfin"),
            vec![b'a'; 100_000]
        )
        .await
        .0,
        StatusCode::PAYLOAD_TOO_LARGE
    );
    assert_eq!(
        upload(&state, "a.pdf", Some("bgl_monitor"), pdf.to_vec())
            .await
            .0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        upload(&state, "a.pdf", None, pdf.to_vec()).await.0,
        StatusCode::UNAUTHORIZED
    );
    let (_, other) = upload(
        &state,
        "mne.csv",
        Some("bgl_reporter_mne"),
        b"x,y\n".to_vec(),
    )
    .await;
    let evidence_entries = |entries: &[bagalau_core::audit::Entry]| {
        entries.iter().filter(|e| e.entity == "evidence").count()
    };
    assert_eq!(
        evidence_entries(&state.store.audit_entries().await.unwrap()),
        2,
        "refused uploads are not recorded"
    );
    let others = serde_json::json!({ "text": "x", "evidence": [other["sha256"]] });
    let (status, body) = post(&state, &report, Some("bgl_reporter_minfin"), others).await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "another user's file is not evidence: {body}"
    );
    assert!(
        body["error"]
            .as_str()
            .unwrap()
            .contains("evidence[0]: you have uploaded no file")
    );
    assert_eq!(
        get(
            &state,
            &format!("/api/v1/evidence/{sha}"),
            Some("bgl_assessor")
        )
        .await
        .0,
        StatusCode::NOT_FOUND,
        "not cited yet"
    );
    let text = serde_json::json!({ "text": "Published since April", "evidence": [sha] });
    assert_eq!(
        post(&state, &report, Some("bgl_reporter_mne"), text.clone())
            .await
            .0,
        StatusCode::NOT_FOUND,
        "mne does not learn it exists"
    );
    assert_eq!(
        post(
            &state,
            &review,
            Some("bgl_assessor"),
            serde_json::json!({ "accept": true })
        )
        .await
        .0,
        StatusCode::CONFLICT,
        "nothing reported yet"
    );
    // Reported after the due date: overdue until then, late once executed.
    let late = AppState {
        records: bagalau_web::no_records(),
        store: state.store.clone(),
        files: state.files.clone(),
        clock: Arc::new(|| "2026-07-02T10:00:00+00:00".to_string()),
    };
    let (_, overdue) = get(
        &late,
        "/api/v1/recommendations?overdue=true",
        Some("bgl_coordinator"),
    )
    .await;
    assert_eq!(
        overdue["recommendations"][0]["id"].as_i64(),
        Some(id),
        "{overdue}"
    );
    let (_, due) = get(
        &late,
        "/api/v1/cycles/2022/due",
        Some("bgl_reporter_minfin"),
    )
    .await;
    assert!(
        due["due"].as_array().unwrap().iter().any(|d| d["what"]
            == format!("report on the execution of recommendation #{id}")
            && d["overdue"] == true),
        "{due}"
    );
    let (status, body) = post(&late, &report, Some("bgl_reporter_minfin"), text).await;
    assert_eq!(
        (status, body["recommendation"]["state"].as_str()),
        (StatusCode::OK, Some("reported")),
        "{body}"
    );
    assert_eq!(
        post(
            &late,
            &review,
            Some("bgl_commission"),
            serde_json::json!({ "accept": true })
        )
        .await
        .0,
        StatusCode::FORBIDDEN,
        "not the issuer"
    );
    let (status, body) = post(
        &late,
        &review,
        Some("bgl_assessor"),
        serde_json::json!({ "accept": false }),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::CONFLICT,
        "a return needs its reason: {body}"
    );
    let (_, body) = post(
        &late,
        &review,
        Some("bgl_assessor"),
        serde_json::json!({ "accept": false, "reason": "May is missing" }),
    )
    .await;
    assert_eq!(body["recommendation"]["state"], "returned");
    // Once cited, the issuer sees the file; another body does not.
    let (status, bytes, headers) = download(&state, &sha, Some("bgl_assessor")).await;
    assert_eq!((status, bytes.as_slice()), (StatusCode::OK, pdf));
    assert_eq!(headers.get("content-type").unwrap(), "application/pdf");
    assert_eq!(
        headers.get("content-disposition").unwrap(),
        "attachment; filename*=UTF-8''report%20April.pdf"
    );
    assert_eq!(
        download(&state, &sha, Some("bgl_reporter_mne")).await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        download(&state, "..%2F..%2Fetc%2Fpasswd", Some("bgl_coordinator"))
            .await
            .0,
        StatusCode::NOT_FOUND
    );
    post(
        &late,
        &report,
        Some("bgl_reporter_minfin"),
        serde_json::json!({ "text": "May added" }),
    )
    .await;
    let (_, body) = post(
        &late,
        &review,
        Some("bgl_assessor"),
        serde_json::json!({ "accept": true }),
    )
    .await;
    assert_eq!(
        (
            body["recommendation"]["state"].as_str(),
            body["executed_on_time"].as_bool(),
            body["overdue"].as_bool()
        ),
        (Some("executed"), Some(false), Some(false)),
        "{body}"
    );
    // As the next year's reporting data: one due by the end of 2026, none
    // executed on time (reported two days late).
    let (status, rates) = get(
        &late,
        "/api/v1/recommendations/rates?year=2022&cutoff=2026-12-31",
        Some("bgl_coordinator"),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{rates}");
    assert_eq!(
        rates["bodies"],
        serde_json::json!([{ "body": "minfin", "due": 1, "on_time": 0, "percent": 0.0 }])
    );
    assert_eq!(
        get(
            &late,
            "/api/v1/recommendations/rates?year=2022&cutoff=2026-06-29",
            Some("bgl_coordinator"),
        )
        .await
        .0,
        StatusCode::NOT_FOUND,
        "nothing due by then"
    );
    assert_eq!(
        get(
            &late,
            "/api/v1/recommendations/rates?year=2022",
            Some("bgl_assessor"),
        )
        .await
        .0,
        StatusCode::FORBIDDEN
    );
    // Every step is on the audit trail, with the old version.
    let entries = state.store.audit_entries().await.unwrap();
    let steps: Vec<_> = entries
        .iter()
        .filter(|e| e.entity == "recommendation")
        .collect();
    assert_eq!(
        steps.len(),
        5,
        "issued, reported, returned, reported, accepted"
    );
    assert!(
        steps[2].old.as_deref().unwrap().contains("state=reported")
            && steps[2]
                .new
                .as_deref()
                .unwrap()
                .contains("returned because: May is missing")
    );
}

/// Every write endpoint × every caller: those the endpoint is not for are
/// refused (401 without a token, 403, or 404 for what they may not know of)
/// and nothing is written. Whether the allowed callers succeed depends on the
/// stage; the flow tests above follow them. The table must name every route.
#[tokio::test]
async fn login_gives_a_session_and_repeated_failures_are_refused() {
    use std::sync::Mutex;
    let dir = tempfile::tempdir().unwrap();
    let store = setup(&dir).await;
    let mut batch = ImportBatch {
        at: NOW.into(),
        actor: "test".into(),
        ..Default::default()
    };
    batch.users.push(UserRecord {
        disabled_at: None,
        name: "aigerim".into(),
        password_hash: bagalau_core::accounts::hash_password("correct horse battery", &[7; 16])
            .unwrap(),
        roles: vec!["reporter:minfin".into()],
        created_at: NOW.into(),
    });
    store.apply(batch).await.unwrap();
    let now = Arc::new(Mutex::new("2026-03-01T09:00:00+00:00".to_string()));
    let clock = now.clone();
    let state = AppState {
        records: bagalau_web::no_records(),
        store: store.clone(),
        files: files(&dir),
        clock: Arc::new(move || clock.lock().unwrap().clone()),
    };
    let login =
        |name: &str, password: &str| serde_json::json!({ "name": name, "password": password });
    let (status, body) = post(
        &state,
        "/api/v1/login",
        None,
        login("aigerim", "correct horse battery"),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        body["expires_at"], "2026-03-01T17:00:00+00:00",
        "a session lasts 8 hours"
    );
    let token = body["token"].as_str().unwrap().to_string();
    let (status, me) = get(&state, "/api/v1/me", Some(&token)).await;
    assert_eq!(
        (status, me["name"].as_str()),
        (StatusCode::OK, Some("aigerim"))
    );
    // Wrong passwords and unknown names get the same answer.
    let (wrong, body) = post(
        &state,
        "/api/v1/login",
        None,
        login("aigerim", "wrong password!"),
    )
    .await;
    let (unknown, other) = post(
        &state,
        "/api/v1/login",
        None,
        login("nobody", "wrong password!"),
    )
    .await;
    assert_eq!(
        (wrong, unknown),
        (StatusCode::UNAUTHORIZED, StatusCode::UNAUTHORIZED)
    );
    assert_eq!(body, other);
    for _ in 0..4 {
        post(
            &state,
            "/api/v1/login",
            None,
            login("aigerim", "wrong password!"),
        )
        .await;
    }
    // Five failures: the next attempt waits a second after the latest
    // (2^0 s), the right password too, but the owner is never locked out.
    let (status, body) = post(
        &state,
        "/api/v1/login",
        None,
        login("aigerim", "correct horse battery"),
    )
    .await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
    assert!(
        body["error"].as_str().unwrap().contains("try again in 1 s"),
        "{body}"
    );
    *now.lock().unwrap() = "2026-03-01T09:00:01+00:00".to_string();
    assert_eq!(
        post(
            &state,
            "/api/v1/login",
            None,
            login("aigerim", "correct horse battery")
        )
        .await
        .0,
        StatusCode::OK
    );
    // Logging out revokes the token at once; another session is untouched.
    let (_, second) = post(
        &state,
        "/api/v1/login",
        None,
        login("aigerim", "correct horse battery"),
    )
    .await;
    let second = second["token"].as_str().unwrap().to_string();
    assert_eq!(
        post(&state, "/api/v1/logout", Some(&second), Value::Null)
            .await
            .0,
        StatusCode::OK
    );
    assert_eq!(
        get(&state, "/api/v1/me", Some(&second)).await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        post(&state, "/api/v1/logout", Some(&second), Value::Null)
            .await
            .0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        get(&state, "/api/v1/me", Some(&token)).await.0,
        StatusCode::OK
    );
    // The session expires.
    *now.lock().unwrap() = "2026-03-01T17:00:01+00:00".to_string();
    assert_eq!(
        get(&state, "/api/v1/me", Some(&token)).await.0,
        StatusCode::UNAUTHORIZED
    );
    // Failures are on the audit trail; passwords never are.
    let entries = store.audit_entries().await.unwrap();
    assert_eq!(
        entries
            .iter()
            .filter(|e| e.entity == "login_failure")
            .count(),
        6
    );
    assert!(
        entries
            .iter()
            .all(|e| !format!("{e:?}").contains("wrong password")
                && !format!("{e:?}").contains("correct horse"))
    );
    assert_eq!(
        bagalau_core::audit::verify(&entries, &store.audit_records().await.unwrap()),
        vec![]
    );
}

/// Every read endpoint × every caller: the status each gets, and that what a
/// body may not see (another body's objections, conclusions and
/// recommendations) is not in what it gets.
#[tokio::test]
async fn the_excel_template_through_the_api() {
    let dir = tempfile::tempdir().unwrap();
    let state = AppState {
        records: bagalau_web::no_records(),
        store: setup(&dir).await,
        files: files(&dir),
        clock: Arc::new(|| NOW.to_string()),
    };
    let fetch = |path: String, token: Option<&'static str>| {
        let state = state.clone();
        async move {
            let mut req = Request::builder().uri(path);
            if let Some(t) = token {
                req = req.header("Authorization", format!("Bearer {t}"));
            }
            let res = router(state)
                .oneshot(req.body(Body::empty()).unwrap())
                .await
                .unwrap();
            (
                res.status(),
                res.into_body().collect().await.unwrap().to_bytes().to_vec(),
            )
        }
    };
    let send = |path: &'static str, token: &'static str, bytes: Vec<u8>| {
        let state = state.clone();
        async move {
            let req = Request::builder()
                .method("POST")
                .uri(path)
                .header("Authorization", format!("Bearer {token}"));
            let res = router(state)
                .oneshot(req.body(Body::from(bytes)).unwrap())
                .await
                .unwrap();
            let status = res.status();
            (
                status,
                serde_json::from_slice::<Value>(
                    &res.into_body().collect().await.unwrap().to_bytes(),
                )
                .unwrap_or(Value::Null),
            )
        }
    };
    let (status, minfin) = fetch(
        "/api/v1/cycles/2022/submissions/minfin/template".into(),
        Some("bgl_reporter_minfin"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(minfin.starts_with(b"PK"), "an xlsx is a zip");
    assert_eq!(
        fetch(
            "/api/v1/cycles/2022/submissions/minfin/template".into(),
            Some("bgl_reporter_mne")
        )
        .await
        .0,
        StatusCode::FORBIDDEN
    );
    let (_, mne) = fetch(
        "/api/v1/cycles/2022/submissions/mne/template".into(),
        Some("bgl_reporter_mne"),
    )
    .await;
    // Another body's workbook, a file that is not one, and another reporter are refused; nothing is saved.
    let path = "/api/v1/cycles/2022/submissions/minfin/xlsx";
    let (status, body) = send(path, "bgl_reporter_minfin", mne).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body["error"]
            .as_str()
            .unwrap()
            .contains("sheet `Instructions`, cell B4: the template is for `mne`"),
        "{body}"
    );
    let (status, body) = send(path, "bgl_reporter_minfin", b"PK not really".to_vec()).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body["error"]
            .as_str()
            .unwrap()
            .contains("not an Excel workbook"),
        "{body}"
    );
    assert_eq!(
        send(path, "bgl_reporter_mne", minfin.clone()).await.0,
        StatusCode::FORBIDDEN
    );
    assert!(state.store.submissions(2022).await.unwrap().is_empty());
    // The body's own workbook is saved as a draft, its values unchanged.
    let (status, body) = send(path, "bgl_reporter_minfin", minfin).await;
    assert_eq!(
        (status, body["state"].as_str(), body["changed"].as_u64()),
        (StatusCode::OK, Some("draft"), Some(0)),
        "{body}"
    );
    assert!(body["values"].as_u64().unwrap() > 10, "{body}");
    // One cell at the sheet's far corner once made the reader allocate a
    // grid of 2^20 × 2^14 cells and abort the server: now it is a cell
    // outside the template, named.
    let (_, minfin) = fetch(
        "/api/v1/cycles/2022/submissions/minfin/template".into(),
        Some("bgl_reporter_minfin"),
    )
    .await;
    let far = bagalau_xlsx::testing::with_cell_at(&minfin, "XFD1048576");
    let (status, body) = send(path, "bgl_reporter_minfin", far).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(
        body["error"]
            .as_str()
            .unwrap()
            .contains("cell XFD1048576: outside the template"),
        "{body}"
    );
    // Past the deadline the workbook is not even read: the rules answer first.
    let late = at_time(&state, "2026-05-01T00:00:00+00:00");
    let req = Request::builder()
        .method("POST")
        .uri(path)
        .header("Authorization", "Bearer bgl_reporter_minfin");
    let res = router(late)
        .oneshot(req.body(Body::from(b"PK not really".to_vec())).unwrap())
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CONFLICT);
}

/// The state at another moment, on the same store and files.
fn at_time(state: &AppState, now: &'static str) -> AppState {
    AppState {
        records: bagalau_web::no_records(),
        clock: Arc::new(move || now.to_string()),
        ..state.clone()
    }
}

/// Public monitoring from the accreditation to the published report: every
/// `/api/v1/monitoring` route × the roles and scopes that matter, and that
/// nothing unpublished reaches anyone outside the organisation and the body
/// addressed.
#[tokio::test]
async fn public_monitoring_end_to_end_and_who_may_do_what() {
    use std::collections::BTreeSet;
    let dir = tempfile::tempdir().unwrap();
    let store = setup(&dir).await;
    let mut extra = ImportBatch {
        at: NOW.into(),
        actor: "test".into(),
        ..Default::default()
    };
    let register = bagalau_services::register::Register::from_csv(include_str!(
        "../../bagalau-demo/data/services/register.csv"
    ))
    .unwrap();
    extra.service_register = Some(Document::service_register("register.csv", register));
    for (name, role) in [
        ("keeper", "assessor:services@acsa"),
        ("adal_1", "monitor:adal"),
        ("adal_2", "monitor:adal"),
        ("other_ngo", "monitor:other"),
        ("lapsed_ngo", "monitor:lapsed"),
        ("reporter_mia", "reporter:mia"),
    ] {
        extra.users.push(UserRecord {
            disabled_at: None,
            name: name.into(),
            password_hash: "x".into(),
            roles: vec![role.into()],
            created_at: NOW.into(),
        });
        extra.tokens.push(TokenRecord {
            token_hash: token_hash(&format!("bgl_{name}")),
            name: name.into(),
            label: "t".into(),
            created_at: NOW.into(),
            expires_at: None,
        });
    }
    store.apply(extra).await.unwrap();
    let state = AppState {
        records: bagalau_web::no_records(),
        store,
        clock: Arc::new(|| NOW.to_string()),
        files: files(&dir),
    };
    let mut hit: BTreeSet<String> = BTreeSet::new();
    let mut note = |path: &str| {
        let template: Vec<String> = path
            .split('?')
            .next()
            .unwrap()
            .split('/')
            .enumerate()
            .map(|(i, part)| {
                if i == 5 && !part.is_empty() {
                    "{id}".to_string()
                } else {
                    part.to_string()
                }
            })
            .collect();
        hit.insert(template.join("/"));
    };
    let tok = |who: &str| format!("bgl_{who}");
    let everyone = [
        "coordinator",
        "methodologist",
        "assessor",
        "reporter_minfin",
        "reporter_mne",
        "verifier",
        "commission",
        "monitor",
        "keeper",
        "adal_1",
        "adal_2",
        "other_ngo",
        "lapsed_ngo",
        "reporter_mia",
    ];
    let organisation = |id: &str, from: &str, until: &str| {
        serde_json::json!({ "id": id, "name": { "kk": format!("{id} kk"), "ru": format!("{id} ru"), "en": format!("{id} en") },
            "accreditation": { "by": "acsa order 1", "from": from, "until": until } })
    };

    // --- organisations: coordinators and the authorised body keep them.
    let path = "/api/v1/monitoring/organisations";
    note(path);
    for who in everyone {
        let expected = match who {
            "coordinator" | "keeper" => StatusCode::OK,
            _ => StatusCode::FORBIDDEN,
        };
        let (status, body) = post(
            &state,
            path,
            Some(&tok(who)),
            organisation("adal", "2026-01-01", "2026-12-31"),
        )
        .await;
        assert_eq!(status, expected, "{who}: {body}");
    }
    assert_eq!(
        post(
            &state,
            path,
            None,
            organisation("adal", "2026-01-01", "2026-12-31")
        )
        .await
        .0,
        StatusCode::UNAUTHORIZED
    );
    let (status, body) = post(
        &state,
        path,
        Some("bgl_coordinator"),
        organisation("Bad Id", "2026-02-01", "2026-01-01"),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let error = body["error"].as_str().unwrap();
    assert!(
        error.contains("id:") && error.contains("accreditation.until:"),
        "{error}"
    );
    let fields: Vec<&str> = body["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["source"].as_str().unwrap())
        .collect();
    assert!(
        fields.contains(&"id") && fields.contains(&"accreditation.until"),
        "{body}"
    );
    for (id, from, until) in [
        ("other", "2026-01-01", "2026-12-31"),
        ("lapsed", "2025-01-01", "2026-01-31"),
    ] {
        assert_eq!(
            post(
                &state,
                path,
                Some("bgl_keeper"),
                organisation(id, from, until)
            )
            .await
            .0,
            StatusCode::OK
        );
    }
    let (status, list) = get(&state, path, None).await;
    assert_eq!(status, StatusCode::OK);
    let ids: Vec<&str> = list["organisations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["organisation"]["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        ["adal", "lapsed", "other"],
        "the bad one changed nothing"
    );

    // --- projects: monitors of an accredited organisation, for their own organisation.
    let project = |org: &str, services: Value| {
        serde_json::json!({ "organisation": org, "title": "Registration at the place of residence", "services": services,
            "regions": ["almaty"], "period_from": "2026-02-01", "period_to": "2026-04-30", "method": "test visits" })
    };
    let path = "/api/v1/monitoring/projects";
    note(path);
    for who in everyone {
        if who.starts_with("adal") {
            continue;
        }
        let expected = StatusCode::FORBIDDEN;
        let (status, body) = post(
            &state,
            path,
            Some(&tok(who)),
            project("adal", serde_json::json!(["reg_address"])),
        )
        .await;
        assert_eq!(status, expected, "{who}: {body}");
    }
    let (status, body) = post(
        &state,
        path,
        Some("bgl_lapsed_ngo"),
        project("lapsed", serde_json::json!(["reg_address"])),
    )
    .await;
    assert_eq!(
        (status, body["refusal"]["code"].as_str()),
        (StatusCode::FORBIDDEN, Some("not_accredited")),
        "{body}"
    );
    let (status, body) = post(
        &state,
        path,
        Some("bgl_adal_1"),
        project("adal", serde_json::json!(["reg_address", "no_such"])),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(
        body["error"].as_str().unwrap().contains("services[1]"),
        "{body}"
    );
    let (status, created) = post(
        &state,
        path,
        Some("bgl_adal_1"),
        project("adal", serde_json::json!(["reg_address"])),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{created}");
    let id = created["id"].as_i64().unwrap();
    assert_eq!(created["project"]["status"], "draft");

    // A draft is its organisation's only.
    let view = format!("/api/v1/monitoring/projects/{id}");
    note(&view);
    for who in everyone {
        let expected = if who.starts_with("adal") {
            StatusCode::OK
        } else {
            StatusCode::NOT_FOUND
        };
        assert_eq!(
            get(&state, &view, Some(&tok(who))).await.0,
            expected,
            "{who}"
        );
    }
    assert_eq!(get(&state, &view, None).await.0, StatusCode::NOT_FOUND);
    assert_eq!(
        get(&state, path, None).await.1["projects"],
        serde_json::json!([])
    );
    let status_path = format!("/api/v1/monitoring/projects/{id}/status");
    note(&status_path);
    assert_eq!(
        post(
            &state,
            &status_path,
            Some("bgl_coordinator"),
            serde_json::json!({"status": "active"})
        )
        .await
        .0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        post(
            &state,
            &status_path,
            Some("bgl_adal_2"),
            serde_json::json!({"status": "closed"})
        )
        .await
        .0,
        StatusCode::CONFLICT
    );
    assert_eq!(
        post(
            &state,
            &status_path,
            Some("bgl_adal_2"),
            serde_json::json!({"status": "active"})
        )
        .await
        .0,
        StatusCode::OK
    );
    // Started, it shows to those who keep the organisations, without findings.
    assert_eq!(
        get(&state, &view, Some("bgl_keeper")).await.0,
        StatusCode::OK
    );
    assert_eq!(
        get(&state, &view, Some("bgl_reporter_mia")).await.0,
        StatusCode::NOT_FOUND
    );

    // --- findings, with evidence the monitor uploaded.
    let pdf = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n".to_vec();
    let (status, uploaded) = upload(&state, "visit.pdf", Some("bgl_adal_1"), pdf.clone()).await;
    assert_eq!(
        status,
        StatusCode::OK,
        "monitors of an organisation upload evidence: {uploaded}"
    );
    assert_eq!(
        upload(&state, "visit.pdf", Some("bgl_monitor"), pdf)
            .await
            .0,
        StatusCode::FORBIDDEN
    );
    let sha = uploaded["sha256"].as_str().unwrap().to_string();
    let finding = |body: &str, evidence: Value| {
        serde_json::json!({ "service": "reg_address", "body": body, "region": "almaty", "office": "PSC 3",
            "observed_on": "2026-02-20", "text": "asked for a certificate the standard does not list", "severity": "major", "evidence": evidence })
    };
    let findings_path = format!("/api/v1/monitoring/projects/{id}/findings");
    note(&findings_path);
    for who in everyone {
        let expected = match who {
            "adal_1" | "adal_2" => continue,
            // Those who see the started project meet the rule; the others, nothing.
            "coordinator" | "keeper" => StatusCode::FORBIDDEN,
            _ => StatusCode::NOT_FOUND,
        };
        assert_eq!(
            post(
                &state,
                &findings_path,
                Some(&tok(who)),
                finding("mia", serde_json::json!([]))
            )
            .await
            .0,
            expected,
            "{who}"
        );
    }
    assert_eq!(
        post(
            &state,
            &findings_path,
            None,
            finding("mia", serde_json::json!([]))
        )
        .await
        .0,
        StatusCode::UNAUTHORIZED
    );
    let (status, body) = post(
        &state,
        &findings_path,
        Some("bgl_adal_2"),
        finding("mia", serde_json::json!([sha.clone()])),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "evidence someone else uploaded: {body}"
    );
    let (status, body) = post(
        &state,
        &findings_path,
        Some("bgl_adal_1"),
        finding("minfin", serde_json::json!([])),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "minfin does not provide the service: {body}"
    );
    assert!(
        state
            .store
            .monitoring_findings(None)
            .await
            .unwrap()
            .is_empty(),
        "refusals changed nothing"
    );
    let (status, first) = post(
        &state,
        &findings_path,
        Some("bgl_adal_1"),
        finding("mia", serde_json::json!([sha.clone()])),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{first}");
    // Submitted on Sunday 1 March 2026: ten working days end on Monday 16 March.
    assert_eq!(first["finding"]["reply_due"], "2026-03-16");
    assert_eq!(first["reply_status"], "awaiting");
    let (_, second) = post(
        &state,
        &findings_path,
        Some("bgl_adal_2"),
        finding("mia", serde_json::json!([])),
    )
    .await;
    let (first_id, second_id) = (
        first["id"].as_i64().unwrap(),
        second["id"].as_i64().unwrap(),
    );

    // Unpublished: the organisation and the body addressed, nobody else.
    let list_path = "/api/v1/monitoring/findings";
    note(list_path);
    for who in everyone {
        let expected = if ["adal_1", "adal_2", "reporter_mia"].contains(&who) {
            2
        } else {
            0
        };
        let (status, list) = get(&state, list_path, Some(&tok(who))).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(
            list["findings"].as_array().unwrap().len(),
            expected,
            "{who}"
        );
    }
    assert_eq!(
        get(&state, list_path, None).await.1["findings"],
        serde_json::json!([])
    );
    assert_eq!(
        get(&state, &view, Some("bgl_keeper")).await.1["findings"],
        serde_json::json!([])
    );
    assert_eq!(
        get(&state, &view, Some("bgl_reporter_mia")).await.0,
        StatusCode::OK
    );
    assert_eq!(
        download(&state, &sha, Some("bgl_reporter_mia")).await.0,
        StatusCode::OK
    );
    for who in ["reporter_minfin", "other_ngo", "monitor", "keeper"] {
        assert_eq!(
            download(&state, &sha, Some(&tok(who))).await.0,
            StatusCode::NOT_FOUND,
            "{who}"
        );
    }

    // --- the body's right of reply.
    let reply_path = format!("/api/v1/monitoring/findings/{first_id}/reply");
    note(&reply_path);
    let answer = |text: &str| serde_json::json!({ "stance": "disputes", "text": text });
    for who in everyone {
        let expected = match who {
            "reporter_mia" => continue,
            "adal_1" | "adal_2" => StatusCode::FORBIDDEN,
            _ => StatusCode::NOT_FOUND,
        };
        assert_eq!(
            post(&state, &reply_path, Some(&tok(who)), answer("no"))
                .await
                .0,
            expected,
            "{who}"
        );
    }
    let (status, body) = post(&state, &reply_path, Some("bgl_reporter_mia"), answer("  ")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body["error"].as_str().unwrap().contains("text:"), "{body}");
    let (status, body) = post(
        &state,
        &reply_path,
        Some("bgl_reporter_mia"),
        answer("the certificate is required by order 5"),
    )
    .await;
    assert_eq!(
        (status, body["reply_status"].as_str()),
        (StatusCode::OK, Some("replied")),
        "{body}"
    );
    assert_eq!(
        post(
            &state,
            &reply_path,
            Some("bgl_reporter_mia"),
            answer("again")
        )
        .await
        .0,
        StatusCode::CONFLICT
    );

    // --- recommendations, tracked like the cycle's.
    let rec_path = format!("/api/v1/monitoring/projects/{id}/recommendations");
    note(&rec_path);
    let advice = |body: &str, due: &str| serde_json::json!({ "body": body, "text": "list every document at every office", "due": due });
    for who in everyone {
        let expected = match who {
            "adal_1" | "adal_2" => continue,
            "coordinator" | "keeper" | "reporter_mia" => StatusCode::FORBIDDEN,
            _ => StatusCode::NOT_FOUND,
        };
        assert_eq!(
            post(
                &state,
                &rec_path,
                Some(&tok(who)),
                advice("mia", "2026-06-01")
            )
            .await
            .0,
            expected,
            "{who}"
        );
    }
    assert_eq!(
        post(
            &state,
            &rec_path,
            Some("bgl_adal_1"),
            advice("minfin", "2026-06-01")
        )
        .await
        .0,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        post(
            &state,
            &rec_path,
            Some("bgl_adal_1"),
            advice("mia", "2026-02-01")
        )
        .await
        .0,
        StatusCode::CONFLICT
    );
    let (status, issued) = post(
        &state,
        &rec_path,
        Some("bgl_adal_1"),
        advice("mia", "2026-06-01"),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{issued}");
    let rec_id = issued["id"].as_i64().unwrap();
    let recs = "/api/v1/monitoring/recommendations";
    note(recs);
    for who in everyone {
        let expected = if ["adal_1", "adal_2", "reporter_mia"].contains(&who) {
            1
        } else {
            0
        };
        assert_eq!(
            get(&state, recs, Some(&tok(who))).await.1["recommendations"]
                .as_array()
                .unwrap()
                .len(),
            expected,
            "{who}"
        );
    }
    let report = format!("/api/v1/monitoring/recommendations/{rec_id}/report");
    let review = format!("/api/v1/monitoring/recommendations/{rec_id}/review");
    note(&report);
    note(&review);
    let done = serde_json::json!({ "text": "lists posted in all offices" });
    assert_eq!(
        post(&state, &report, Some("bgl_reporter_minfin"), done.clone())
            .await
            .0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        post(&state, &report, Some("bgl_adal_1"), done.clone())
            .await
            .0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        post(&state, &report, Some("bgl_reporter_mia"), done.clone())
            .await
            .0,
        StatusCode::OK
    );
    let accept = serde_json::json!({ "accept": true });
    assert_eq!(
        post(&state, &review, Some("bgl_coordinator"), accept.clone())
            .await
            .0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        post(&state, &review, Some("bgl_reporter_mia"), accept.clone())
            .await
            .0,
        StatusCode::FORBIDDEN
    );
    let (status, reviewed) = post(&state, &review, Some("bgl_adal_2"), accept.clone()).await;
    assert_eq!(status, StatusCode::OK, "{reviewed}");
    assert_eq!(
        (
            reviewed["executed_on_time"].as_bool(),
            reviewed["overdue"].as_bool()
        ),
        (Some(true), Some(false))
    );

    // --- the report waits for the second finding's reply term.
    let (status, body) = post(
        &state,
        &status_path,
        Some("bgl_adal_1"),
        serde_json::json!({"status": "reported"}),
    )
    .await;
    assert_eq!(
        (status, body["refusal"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("replies_pending")),
        "{body}"
    );
    let later = at_time(&state, "2026-03-17T09:00:00+00:00");
    let late_reply = format!("/api/v1/monitoring/findings/{second_id}/reply");
    let (status, body) = post(
        &later,
        &late_reply,
        Some("bgl_reporter_mia"),
        answer("late"),
    )
    .await;
    assert_eq!(
        (status, body["refusal"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("reply_term_over")),
        "{body}"
    );
    assert_eq!(
        post(
            &later,
            &status_path,
            Some("bgl_other_ngo"),
            serde_json::json!({"status": "reported"})
        )
        .await
        .0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        post(
            &later,
            &status_path,
            Some("bgl_adal_1"),
            serde_json::json!({"status": "reported"})
        )
        .await
        .0,
        StatusCode::OK
    );

    // --- published: findings, replies and recommendations are public.
    let (status, public) = get(&later, &view, None).await;
    assert_eq!(status, StatusCode::OK, "{public}");
    let statuses: Vec<&str> = public["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["reply_status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["replied", "stands_without_reply"]);
    assert_eq!(
        public["findings"][0]["finding"]["reply"]["stance"],
        "disputes"
    );
    assert_eq!(public["recommendations"].as_array().unwrap().len(), 1);
    // The public reads the organisation and the body, not persons' accounts.
    let text = public.to_string();
    for account in ["adal_1", "adal_2", "reporter_mia", "keeper"] {
        assert!(
            !text.contains(&format!("\"{account}\"")),
            "{account} in {text}"
        );
    }
    assert_eq!(
        public["project"]["created_by"],
        public["project"]["organisation"]
    );
    assert_eq!(
        public["findings"][0]["finding"]["submitted_by"],
        public["project"]["organisation"]
    );
    assert_eq!(
        public["findings"][0]["finding"]["reply"]["by"],
        public["findings"][0]["finding"]["body"]
    );
    // Those who worked on it still see who did what.
    let (_, own) = get(&later, &view, Some("bgl_adal_1")).await;
    assert_ne!(own["project"]["created_by"], own["project"]["organisation"]);
    assert_eq!(
        get(&later, list_path, None).await.1["findings"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    assert_eq!(
        get(&later, recs, Some("bgl_other_ngo")).await.1["recommendations"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        get(&later, path, None).await.1["projects"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    // Published findings do not open their files to everyone.
    assert_eq!(
        download(&later, &sha, Some("bgl_reporter_minfin")).await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        post(
            &later,
            &status_path,
            Some("bgl_coordinator"),
            serde_json::json!({"status": "closed"})
        )
        .await
        .0,
        StatusCode::OK
    );

    // --- revocation: keepers only; afterwards the organisation opens nothing.
    let revoke = "/api/v1/monitoring/organisations/adal/revocation";
    note(revoke);
    let why = serde_json::json!({ "on": "2026-03-17", "reason": "conflict of interest" });
    for who in ["adal_1", "reporter_mia", "monitor", "assessor"] {
        assert_eq!(
            post(&later, revoke, Some(&tok(who)), why.clone()).await.0,
            StatusCode::FORBIDDEN,
            "{who}"
        );
    }
    assert_eq!(
        post(
            &later,
            revoke,
            Some("bgl_keeper"),
            serde_json::json!({ "on": "2026-03-17", "reason": "" })
        )
        .await
        .0,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        post(
            &later,
            "/api/v1/monitoring/organisations/nobody/revocation",
            Some("bgl_keeper"),
            why.clone()
        )
        .await
        .0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        post(&later, revoke, Some("bgl_keeper"), why).await.0,
        StatusCode::OK
    );
    let (status, body) = post(
        &later,
        path,
        Some("bgl_adal_1"),
        project("adal", serde_json::json!(["reg_address"])),
    )
    .await;
    assert_eq!(
        (status, body["refusal"]["code"].as_str()),
        (StatusCode::FORBIDDEN, Some("not_accredited")),
        "{body}"
    );

    // Every route was exercised, every write is on the audit trail.
    let routes: BTreeSet<String> = api_paths()
        .into_iter()
        .filter(|p| p.starts_with("/api/v1/monitoring"))
        .collect();
    assert_eq!(hit, routes);
    let entries = state.store.audit_entries().await.unwrap();
    for entity in [
        "monitoring_organisation",
        "monitoring_project",
        "monitoring_finding",
        "monitoring_recommendation",
    ] {
        assert!(
            entries
                .iter()
                .any(|e| e.entity == entity && e.actor.starts_with("api:")),
            "{entity}"
        );
    }
    assert_eq!(
        bagalau_core::audit::verify(&entries, &state.store.audit_records().await.unwrap()),
        vec![]
    );
}

/// Concurrent uploads of one new file once shared a temporary name (three
/// of four answered 500, one with the store's path), and concurrent writes
/// on SQLite answered "database is locked": every one now succeeds.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_uploads_and_writes_all_succeed() {
    let dir = tempfile::tempdir().unwrap();
    let state = AppState {
        records: bagalau_web::no_records(),
        store: setup(&dir).await,
        files: files(&dir),
        clock: Arc::new(|| NOW.to_string()),
    };
    let pdf = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n% concurrent\n%%EOF\n".to_vec();
    let uploads: Vec<_> = (0..4)
        .map(|_| {
            let (state, pdf) = (state.clone(), pdf.clone());
            tokio::spawn(async move {
                upload(&state, "proof.pdf", Some("bgl_reporter_minfin"), pdf).await
            })
        })
        .collect();
    for u in uploads {
        let (status, body) = u.await.unwrap();
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    let writes: Vec<_> = (0..12)
        .map(|i| {
            let state = state.clone();
            let (body, token) = if i % 2 == 0 {
                ("minfin", "bgl_reporter_minfin")
            } else {
                ("mne", "bgl_reporter_mne")
            };
            tokio::spawn(async move {
                post(
                    &state,
                    &format!("/api/v1/cycles/2022/submissions/{body}"),
                    Some(token),
                    serde_json::json!({ "values": [{ "indicator": "bl_violations", "value": i }] }),
                )
                .await
            })
        })
        .collect();
    for w in writes {
        let (status, body) = w.await.unwrap();
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    assert!(
        bagalau_core::audit::verify(
            &state.store.audit_entries().await.unwrap(),
            &state.store.audit_records().await.unwrap()
        )
        .is_empty()
    );
}

#[tokio::test]
async fn an_approved_year_is_corrected_through_the_api() {
    let dir = tempfile::tempdir().unwrap();
    let store = setup(&dir).await;
    // The commission approved 2022 after its cycle opened.
    let content = store.publication_content(2022, 1).await.unwrap().unwrap();
    let first = store.publications(Some(2022)).await.unwrap().remove(0);
    store
        .apply(ImportBatch {
            at: "2026-07-20T10:00:00+00:00".into(),
            actor: "api:commission".into(),
            publications: vec![(
                Publication {
                    version: 2,
                    published_at: "2026-07-20T10:00:00+00:00".into(),
                    published_by: "api:commission".into(),
                    ..first
                },
                content,
            )],
            ..Default::default()
        })
        .await
        .unwrap();
    let state = AppState {
        records: bagalau_web::no_records(),
        store: store.clone(),
        files: files(&dir),
        clock: Arc::new(|| "2026-09-01T12:00:00+00:00".to_string()),
    };
    let corrections = "/api/v1/cycles/2022/corrections";
    let (status, blank) = post(
        &state,
        corrections,
        Some("bgl_coordinator"),
        serde_json::json!({ "reason": " " }),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{blank}");
    let (status, asked) = post(
        &state,
        corrections,
        Some("bgl_coordinator"),
        serde_json::json!({ "reason": "minfin's violations were miscounted" }),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{asked}");
    assert_eq!(
        (asked["id"].as_i64(), asked["state"].as_str()),
        (Some(1), Some("requested"))
    );
    let (status, again) = post(
        &state,
        corrections,
        Some("bgl_coordinator"),
        serde_json::json!({ "reason": "another" }),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{again}");
    assert_eq!(again["refusal"]["code"], "correction_open");
    let (status, decided) = post(
        &state,
        "/api/v1/cycles/2022/corrections/1/decision",
        Some("bgl_commission"),
        serde_json::json!({ "accept": true, "reason": "the act shows it" }),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{decided}");
    assert_eq!(decided["state"], "accepted");
    // After the commission's deadline, an accepted correction is approved all the same.
    let (status, approved) = post(
        &state,
        "/api/v1/cycles/2022/approval",
        Some("bgl_commission"),
        serde_json::json!({}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{approved}");
    let (status, list) = get(&state, corrections, Some("bgl_methodologist")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list[0]["state"], "published");
    assert_eq!(list[0]["version"], approved["version"]);
    assert_eq!(list[0]["decided_by"], "commission");
    assert_eq!(
        bagalau_core::audit::verify(
            &store.audit_entries().await.unwrap(),
            &store.audit_records().await.unwrap()
        ),
        vec![]
    );
}

#[tokio::test]
async fn accounts_are_kept_by_administrators_through_the_api() {
    let dir = tempfile::tempdir().unwrap();
    let store = setup(&dir).await;
    let mut root = ImportBatch {
        at: NOW.into(),
        actor: "test".into(),
        ..Default::default()
    };
    root.users.push(UserRecord {
        disabled_at: None,
        name: "root".into(),
        password_hash: "x".into(),
        roles: vec!["administrator".into()],
        created_at: NOW.into(),
    });
    root.tokens.push(TokenRecord {
        token_hash: token_hash("bgl_root"),
        name: "root".into(),
        label: "t".into(),
        created_at: NOW.into(),
        expires_at: Some("2027-01-01T00:00:00+00:00".into()),
    });
    store.apply(root).await.unwrap();
    let state = AppState {
        records: bagalau_web::no_records(),
        store: store.clone(),
        files: files(&dir),
        clock: Arc::new(|| NOW.to_string()),
    };
    let add = |password: &str| serde_json::json!({ "name": "aliya", "roles": ["coordinator", "importer:minfin"], "password": password });
    let (status, weak) = post(&state, "/api/v1/accounts", Some("bgl_root"), add("short")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{weak}");
    let (status, bad_role) = post(
        &state,
        "/api/v1/accounts",
        Some("bgl_root"),
        serde_json::json!({ "name": "aliya", "roles": ["importer:nowhere"], "password": "a long enough password" }),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad_role}");
    let (status, added) = post(
        &state,
        "/api/v1/accounts",
        Some("bgl_root"),
        add("aliya's long password"),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{added}");
    assert_eq!(
        added["roles"],
        serde_json::json!(["coordinator", "importer:minfin"])
    );
    assert_eq!(added["has_password"], true);
    let (status, list) = get(&state, "/api/v1/accounts", Some("bgl_root")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        list.as_array()
            .unwrap()
            .iter()
            .all(|a| a.get("password_hash").is_none()),
        "no hash leaves the server"
    );
    // Aliya signs in; disabled, her session stops working at once.
    let (status, session) = post(
        &state,
        "/api/v1/login",
        None,
        serde_json::json!({ "name": "aliya", "password": "aliya's long password" }),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{session}");
    let token = session["token"].as_str().unwrap().to_string();
    assert_eq!(
        get(&state, "/api/v1/me", Some(&token)).await.0,
        StatusCode::OK
    );
    let (status, disabled) = post(
        &state,
        "/api/v1/accounts/aliya/state",
        Some("bgl_root"),
        serde_json::json!({ "disabled": true }),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{disabled}");
    assert!(disabled["disabled_at"].is_string());
    assert_eq!(
        get(&state, "/api/v1/me", Some(&token)).await.0,
        StatusCode::UNAUTHORIZED
    );
    let (status, own) = post(
        &state,
        "/api/v1/accounts/root/state",
        Some("bgl_root"),
        serde_json::json!({ "disabled": true }),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{own}");
    // Every 422 says what is wrong as placed problems.
    assert!(own["problems"][0]["message"].is_string(), "{own}");
    // Anyone revokes their own tokens.
    let (status, revoked) = post(
        &state,
        "/api/v1/accounts/coordinator/revocation",
        Some("bgl_coordinator"),
        Value::Null,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{revoked}");
    assert!(revoked["revoked"].as_u64().unwrap() >= 1);
    assert_eq!(
        get(&state, "/api/v1/me", Some("bgl_coordinator")).await.0,
        StatusCode::UNAUTHORIZED
    );
    // The administrator reads the trail: who did all this, latest last.
    let (status, log) = get(
        &state,
        "/api/v1/audit/log?entity=token&limit=2",
        Some("bgl_root"),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{log}");
    let entries = log["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 2, "{log}");
    assert!(entries.iter().all(|e| e["entity"] == "token"), "{log}");
    assert!(
        entries[0]["seq"].as_i64() < entries[1]["seq"].as_i64(),
        "{log}"
    );
    assert_eq!(
        log["total"].as_u64().unwrap() as usize,
        store.audit_entries().await.unwrap().len()
    );
    // (The coordinator's tokens were revoked above.)
    for (who, _) in ACCOUNTS.iter().filter(|(who, _)| *who != "coordinator") {
        assert_eq!(
            get(&state, "/api/v1/audit/log", Some(&format!("bgl_{who}")))
                .await
                .0,
            StatusCode::FORBIDDEN,
            "{who}"
        );
    }
    assert_eq!(
        get(&state, "/api/v1/audit/log", None).await.0,
        StatusCode::UNAUTHORIZED
    );
    // And verifies it whole: intact, with what was written above.
    let (status, verified) = post(
        &state,
        "/api/v1/audit/verification",
        Some("bgl_root"),
        serde_json::json!({}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{verified}");
    assert_eq!(verified["intact"], true, "{verified}");
    assert_eq!(
        verified["entries"].as_u64().unwrap() as usize,
        store.audit_entries().await.unwrap().len()
    );
    assert_eq!(
        verified["head_hash"].as_str(),
        store
            .audit_entries()
            .await
            .unwrap()
            .last()
            .map(|e| e.hash.as_str())
    );
    // A checkpoint kept elsewhere that this log never signed is a problem,
    // not an error; a public key that is not one is refused.
    let (status, forged) = post(
        &state,
        "/api/v1/audit/verification",
        Some("bgl_root"),
        serde_json::json!({ "checkpoints": ["example.org/log\n3\nAAAA\n\n— example.org/log AAAA\n"] }),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{forged}");
    assert_eq!(forged["intact"], false, "{forged}");
    assert!(!forged["problems"].as_array().unwrap().is_empty());
    let (status, bad) = post(
        &state,
        "/api/v1/audit/verification",
        Some("bgl_root"),
        serde_json::json!({ "public_keys": ["not a key"] }),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
    assert_eq!(bad["problems"][0]["source"], "public key 1");
    assert_eq!(
        post(
            &state,
            "/api/v1/audit/verification",
            Some("bgl_methodologist"),
            serde_json::json!({}),
        )
        .await
        .0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        bagalau_core::audit::verify(
            &store.audit_entries().await.unwrap(),
            &store.audit_records().await.unwrap()
        ),
        vec![]
    );
}

#[tokio::test]
async fn the_cycle_is_administered_through_the_api() {
    let dir = tempfile::tempdir().unwrap();
    let store = setup(&dir).await;
    let state = AppState {
        records: bagalau_web::no_records(),
        store: store.clone(),
        files: files(&dir),
        clock: Arc::new(|| NOW.to_string()),
    };
    let calendar = |reason: Option<&str>| {
        serde_json::json!({
            "deadlines": {
                "submission": "2026-03-20", "verification": "2026-04-15", "preliminary": "2026-05-15",
                "objections": "2026-06-01T18:00:00", "final": "2026-07-01", "commission": "2026-08-01"
            },
            "reason": reason
        })
    };
    let path = "/api/v1/cycles/2022/calendar";
    assert_eq!(
        put(&state, path, None, calendar(Some("r"))).await.0,
        StatusCode::UNAUTHORIZED
    );
    for who in ["monitor", "reporter_minfin", "commission"] {
        let (status, _) = put(
            &state,
            path,
            Some(&format!("bgl_{who}")),
            calendar(Some("r")),
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{who}");
    }
    let (status, answer) = put(&state, path, Some("bgl_coordinator"), calendar(None)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    assert!(
        answer["error"]
            .as_str()
            .unwrap()
            .contains("changing its calendar needs its reason")
    );
    let (status, bad) = put(
        &state,
        path,
        Some("bgl_coordinator"),
        serde_json::json!({ "deadlines": { "submission": "2026-02-30", "lunch": "2026-03-01" }, "reason": "r" }),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
    let error = bad["error"].as_str().unwrap();
    assert!(
        error.contains("unknown stage `lunch`") && error.contains("`submission` = `2026-02-30`"),
        "{error}"
    );
    let (status, opened) = put(
        &state,
        path,
        Some("bgl_coordinator"),
        calendar(Some("the act was late")),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{opened}");
    assert_eq!(opened["deadlines"]["objections"], "2026-06-01T18:00:00");
    assert_eq!(opened["deadlines"]["submission"], "2026-03-20T23:59:59");
    let extensions = "/api/v1/cycles/2022/extensions";
    let grant = |body: &str, until: &str, reason: &str| serde_json::json!({ "body": body, "until": until, "reason": reason });
    for (request, why) in [
        (
            grant("nowhere", "2026-03-25", "outage"),
            "not evaluated in 2022",
        ),
        (grant("minfin", "2026-03-25", " "), "needs its reason"),
        (grant("minfin", "soon", "outage"), "is not a date"),
    ] {
        let (status, answer) = post(&state, extensions, Some("bgl_coordinator"), request).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
        assert!(answer["error"].as_str().unwrap().contains(why), "{answer}");
    }
    let (status, granted) = post(
        &state,
        extensions,
        Some("bgl_coordinator"),
        grant("minfin", "2026-03-25", "a system outage"),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{granted}");
    assert_eq!(
        (granted["until"].as_str(), granted["granted_by"].as_str()),
        (Some("2026-03-25T23:59:59"), Some("api:coordinator"))
    );
    let stored = store.extensions(2022).await.unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].reason, "a system outage");
    // The verification draw: the riskiest, then the seed's; repeatable.
    let verification = "/api/v1/cycles/2022/verification";
    let draw = |reason: Option<&str>| serde_json::json!({ "top": 3, "draw": 2, "seed": 2024, "reason": reason });
    let (status, refused) = post(&state, verification, Some("bgl_verifier"), draw(None)).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{refused}");
    let (status, first) = post(&state, verification, Some("bgl_coordinator"), draw(None)).await;
    assert_eq!(status, StatusCode::OK, "{first}");
    assert_eq!(first["selected"].as_array().unwrap().len(), 5);
    assert_eq!(first["scored"], 44);
    let (status, again) = post(&state, verification, Some("bgl_coordinator"), draw(None)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{again}");
    let (status, redrawn) = post(
        &state,
        verification,
        Some("bgl_coordinator"),
        draw(Some("the first was announced late")),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{redrawn}");
    assert_eq!(
        redrawn["selected"], first["selected"],
        "the same seed and data, the same selection"
    );
    let kept = store.selection(2022).await.unwrap();
    assert_eq!(kept.len(), 5);
    assert_eq!(
        bagalau_core::audit::verify(
            &store.audit_entries().await.unwrap(),
            &store.audit_records().await.unwrap()
        ),
        vec![]
    );
}

/// The names given to more than one documented type (`ToSchema`) in the
/// API crate's sources.
fn schema_types_named_twice() -> Vec<String> {
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut seen = std::collections::BTreeMap::<String, usize>::new();
    for entry in std::fs::read_dir(&src).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let mut documented = false;
        for line in text.lines().map(str::trim) {
            if line.starts_with("#[derive(") && line.contains("ToSchema") {
                documented = true;
            } else if documented
                && let Some(rest) = line
                    .strip_prefix("pub struct ")
                    .or_else(|| line.strip_prefix("pub enum "))
            {
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                *seen.entry(name).or_default() += 1;
                documented = false;
            }
        }
    }
    seen.into_iter()
        .filter(|(_, n)| *n > 1)
        .map(|(name, _)| name)
        .collect()
}
