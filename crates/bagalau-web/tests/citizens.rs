//! Citizens' records through the API, in process on a real SQLite
//! database: complaints imported by an importer of one body's records,
//! problems placed by file, line and column, a questionnaire kept and its
//! survey responses imported, and the satisfaction estimates for an
//! analyst. Each account acts only within its roles; nothing refused is
//! written.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use bagalau_core::accounts::token_hash;
use bagalau_core::registry;
use bagalau_services::register::Register;
use bagalau_store::{AnyStore, Document, ImportBatch, Store, TokenRecord, UserRecord};
use bagalau_web::{AppState, router};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use std::sync::Arc;
use tower::ServiceExt;

const NOW: &str = "2026-03-01T09:00:00+00:00";

/// (account, roles); each gets the token "bgl_<account>".
const ACCOUNTS: [(&str, &[&str]); 4] = [
    ("coordinator", &["coordinator"]),
    ("importer", &["importer:minfin"]),
    ("analyst", &["analyst"]),
    ("reporter", &["reporter:minfin"]),
];

async fn setup(dir: &tempfile::TempDir) -> AppState {
    let store = AnyStore::open(&dir.path().join("t.db").display().to_string())
        .await
        .unwrap();
    let reg = registry::load(bagalau_demo::REGISTRY.0, bagalau_demo::REGISTRY.1).unwrap();
    let register = Register::from_csv(include_str!(
        "../../bagalau-demo/data/services/register.csv"
    ))
    .unwrap();
    let mut batch = ImportBatch {
        registry: Some(Document {
            file_name: "r".into(),
            text: bagalau_demo::REGISTRY.1.into(),
            parsed: reg,
        }),
        service_register: Some(Document::service_register("register.csv", register)),
        at: NOW.into(),
        actor: "test".into(),
        ..Default::default()
    };
    for (name, roles) in ACCOUNTS {
        batch.users.push(UserRecord {
            name: name.into(),
            password_hash: "x".into(),
            roles: roles.iter().map(|r| r.to_string()).collect(),
            created_at: NOW.into(),
            disabled_at: None,
        });
        batch.tokens.push(TokenRecord {
            token_hash: token_hash(&format!("bgl_{name}")),
            name: name.into(),
            label: "t".into(),
            created_at: NOW.into(),
            expires_at: Some("2027-01-01T00:00:00+00:00".into()),
        });
    }
    store.apply(batch).await.unwrap();
    let files = bagalau_store::files::FileStore::open(dir.path().join("evidence"), 1024).unwrap();
    AppState {
        store,
        files,
        clock: Arc::new(|| NOW.to_string()),
    }
}

async fn send(
    state: &AppState,
    method: &str,
    path: &str,
    account: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let req = Request::builder()
        .method(method)
        .uri(path)
        .header("Content-Type", "application/json")
        .header("Authorization", format!("Bearer bgl_{account}"));
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

fn files(files: &[(&str, &str)]) -> Value {
    json!({ "files": files.iter().map(|(name, text)| json!({ "name": name, "text": text })).collect::<Vec<_>>() })
}

async fn trail(state: &AppState) -> usize {
    state.store.audit_entries().await.unwrap().len()
}

const HEADER: &str = "id,body,kind,received,due,answered,outcome,substantiated,repeated,court_case,court_justified\n";

#[tokio::test]
async fn complaints_are_imported_by_the_bodys_importer_with_placed_problems() {
    let dir = tempfile::tempdir().unwrap();
    let state = setup(&dir).await;
    let before = trail(&state).await;
    let own = format!(
        "{HEADER}C-1,minfin,complaint,2025-03-03,,2025-03-20,satisfied,1,0,0,\n\
         C-2,minfin,application,2025-04-01,,,,0,0,0,\n"
    );
    let other = format!("{HEADER}M-1,mia,complaint,2025-03-03,,2025-03-20,satisfied,1,0,0,\n");
    let bad = format!("{HEADER}C-3,minfin,complaint,2025-03-03,,2025-03-20,satisfied,2,0,0,\n");

    // Another body's records, and a reporter: refused, nothing written.
    let (status, answer) = send(
        &state,
        "POST",
        "/api/v1/complaints",
        "importer",
        Some(files(&[("mia.csv", &other)])),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    assert_eq!(answer["problems"][0]["source"], "mia.csv", "{answer}");
    assert!(
        answer["problems"][0]["message"]
            .as_str()
            .unwrap()
            .contains("this account imports only minfin's"),
        "{answer}"
    );
    let (status, _) = send(
        &state,
        "POST",
        "/api/v1/complaints",
        "reporter",
        Some(files(&[("own.csv", &own)])),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // A bad cell in one of two files: placed, and neither file imported.
    let (status, answer) = send(
        &state,
        "POST",
        "/api/v1/complaints",
        "importer",
        Some(files(&[("own.csv", &own), ("bad.csv", &bad)])),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    assert_eq!(
        answer["problems"][0],
        json!({ "source": "bad.csv", "line": 2, "column": "substantiated", "message": "`2` is not a yes or no (1, 0, true, false, yes, no)" }),
        "{answer}"
    );
    assert_eq!(trail(&state).await, before, "nothing refused is written");

    let (status, answer) = send(
        &state,
        "POST",
        "/api/v1/complaints",
        "importer",
        Some(files(&[("own.csv", &own)])),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(answer["files"][0]["added"], 2, "{answer}");
    assert_eq!(answer["kept"]["complaints"], 2, "{answer}");
    let entries = state.store.audit_entries().await.unwrap();
    let written: Vec<(&str, &str, &str)> = entries[before..]
        .iter()
        .map(|e| (e.entity.as_str(), e.key.as_str(), e.actor.as_str()))
        .collect();
    assert_eq!(
        written,
        vec![
            ("complaint", "minfin/C-1", "api:importer"),
            ("complaint", "minfin/C-2", "api:importer")
        ]
    );
    // The same file again: recognised; nothing written.
    let (status, answer) = send(
        &state,
        "POST",
        "/api/v1/complaints",
        "coordinator",
        Some(files(&[("own.csv", &own)])),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(answer["files"][0]["again"], 2, "{answer}");
    assert_eq!(trail(&state).await, before + 2);

    // Openness records are the coordinator's to import.
    let open_data = "dataset,body,due,published\na,minfin,2025-03-31,2025-03-30\n";
    let (status, _) = send(
        &state,
        "POST",
        "/api/v1/openness",
        "importer",
        Some(files(&[("od.csv", open_data)])),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, answer) = send(
        &state,
        "POST",
        "/api/v1/openness",
        "coordinator",
        Some(files(&[("od.csv", open_data)])),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(answer["files"][0]["kind"], "open_data", "{answer}");
    assert_eq!(trail(&state).await, before + 3);
}

#[tokio::test]
async fn survey_responses_are_kept_with_their_questionnaire_and_estimated() {
    let dir = tempfile::tempdir().unwrap();
    let state = setup(&dir).await;
    let questionnaire = include_str!("../../bagalau-demo/data/services/satisfaction.toml");
    let odk = include_str!("../../bagalau-services/tests/fixtures/surveys/odk-central.csv");
    let path = "/api/v1/questionnaires/service-satisfaction";
    let toml = json!({ "name": "satisfaction.toml", "text": questionnaire });

    // Responses need a kept questionnaire; the questionnaire's id is the path's.
    let (status, _) = send(
        &state,
        "POST",
        &format!("{path}/responses"),
        "coordinator",
        Some(files(&[("odk.csv", odk)])),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = send(
        &state,
        "PUT",
        "/api/v1/questionnaires/other",
        "coordinator",
        Some(toml.clone()),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _) = send(&state, "PUT", path, "analyst", Some(toml.clone())).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, answer) = send(&state, "PUT", path, "coordinator", Some(toml.clone())).await;
    assert_eq!(
        (status, answer["changed"].clone()),
        (StatusCode::OK, json!(true)),
        "{answer}"
    );
    let (status, answer) = send(&state, "PUT", path, "coordinator", Some(toml)).await;
    assert_eq!(
        (status, answer["changed"].clone()),
        (StatusCode::OK, json!(false)),
        "{answer}"
    );

    let (status, answer) = send(
        &state,
        "POST",
        &format!("{path}/responses"),
        "coordinator",
        Some(files(&[("odk.csv", odk)])),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(answer["files"][0]["records"], 11, "{answer}");
    assert_eq!(answer["files"][0]["rejected"], 1, "{answer}");
    assert_eq!(answer["kept"], 11, "{answer}");

    // The analyst reads the estimates; a reporter may not.
    let (status, answer) = send(
        &state,
        "GET",
        &format!("{path}/satisfaction?by=all&min_respondents=10"),
        "analyst",
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(answer["measure"], "overall", "{answer}");
    let all = &answer["groups"][0];
    assert_eq!(all["group"], "all", "{answer}");
    // 11 responses, one rejected by the reviewers and one "don't know":
    // 9 respondents, under the questionnaire's 10, so no figure.
    assert_eq!(all["satisfied"]["respondents"], 9, "{answer}");
    assert_eq!(all["satisfied"]["suppressed"], true, "{answer}");
    assert_eq!(all["satisfied"]["value"], Value::Null, "{answer}");
    let (status, answer) = send(
        &state,
        "GET",
        &format!("{path}/satisfaction?min_respondents=3"),
        "analyst",
        None,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    assert_eq!(
        answer["problems"][0]["source"], "min_respondents",
        "{answer}"
    );
    let (status, _) = send(
        &state,
        "GET",
        &format!("{path}/satisfaction"),
        "reporter",
        None,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_register_is_imported_by_a_coordinator_and_its_changes_are_public() {
    let dir = tempfile::tempdir().unwrap();
    let state = setup(&dir).await;
    let text = include_str!("../../bagalau-demo/data/services/register.csv");
    let path = "/api/v1/services/register";
    let file = |name: &str, text: &str| Some(json!({ "name": name, "text": text }));
    let before = trail(&state).await;
    let (status, _) = send(&state, "PUT", path, "analyst", file("register.csv", text)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // A provider that is no body of the registry: placed, nothing kept.
    let unknown = text.replacen(",registration,moj,", ",registration,nowhere,", 1);
    let (status, answer) = send(
        &state,
        "PUT",
        path,
        "coordinator",
        file("unknown.csv", &unknown),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    assert_eq!(answer["problems"][0]["source"], "unknown.csv", "{answer}");
    assert!(
        answer["problems"][0]["message"]
            .as_str()
            .unwrap()
            .ends_with("column `providers`: `nowhere` is not a body of the registry"),
        "{answer}"
    );
    assert_eq!(trail(&state).await, before, "nothing refused is written");
    // The same register as kept: recognised; then another, kept and audited.
    let (status, answer) = send(
        &state,
        "PUT",
        path,
        "coordinator",
        file("register.csv", text),
    )
    .await;
    assert_eq!(
        (status, answer["unchanged"].clone()),
        (StatusCode::OK, json!(true)),
        "{answer}"
    );
    let other = text.replace(",1228,paper,", ",1300,paper,");
    assert_ne!(other, text);
    let (status, answer) = send(
        &state,
        "PUT",
        path,
        "coordinator",
        file("other.csv", &other),
    )
    .await;
    assert_eq!(
        (status, answer["unchanged"].clone()),
        (StatusCode::OK, json!(false)),
        "{answer}"
    );
    let entries = state.store.audit_entries().await.unwrap();
    assert!(
        entries
            .iter()
            .any(|e| e.entity == "service_register" && e.actor == "api:coordinator")
    );

    // What changed on 1 January 2023, for anyone, without a token.
    let res = router(state.clone())
        .oneshot(
            Request::builder()
                .uri("/api/v1/services/register/changes?from=2022-12-31&to=2023-01-01")
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let changes: Value =
        serde_json::from_slice(&res.into_body().collect().await.unwrap().to_bytes()).unwrap();
    let of = |id: &str| {
        changes
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["service"] == id)
            .cloned()
    };
    assert_eq!(of("edu_voucher").unwrap()["change"], "added", "{changes}");
    assert_eq!(
        of("agri_cotton_licence").unwrap()["change"],
        "removed",
        "{changes}"
    );
    let land = of("land_plot").unwrap();
    assert_eq!(land["change"], "changed");
    assert!(
        land["fields"]
            .as_array()
            .unwrap()
            .contains(&json!({ "field": "deadline", "before": "20", "after": "15" })),
        "{land}"
    );
}
