//! Citizens' records through the API, in process on a real SQLite
//! database: complaints imported by an importer of one body's records,
//! problems placed by file, line and column, a questionnaire kept and its
//! survey responses imported, and the satisfaction estimates for an
//! analyst. Each account acts only within its roles; nothing refused is
//! written.

mod common;

use axum::http::StatusCode;
use bagalau_store::Store;
use bagalau_web::AppState;
use common::{files, trail};
use serde_json::{Value, json};

/// (account, roles); each gets the token "bgl_<account>".
const ACCOUNTS: [(&str, &[&str]); 4] = [
    ("coordinator", &["coordinator"]),
    ("importer", &["importer:minfin"]),
    ("analyst", &["analyst"]),
    ("reporter", &["reporter:minfin"]),
];

async fn setup(dir: &tempfile::TempDir) -> AppState {
    common::setup(dir, &ACCOUNTS).await
}

async fn send(
    state: &AppState,
    method: &str,
    path: &str,
    account: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    common::send(state, method, path, Some(account), body).await
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
    let (status, changes) = common::send(
        &state,
        "GET",
        "/api/v1/services/register/changes?from=2022-12-31&to=2023-01-01",
        None,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
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

/// The interaction block's counts through the API, judged on the working-day
/// calendar with the additions a coordinator keeps: an application
/// received on Tuesday 2025-04-01 is due on its 15th working day after,
/// 2025-04-22 (no holiday in between); an added day off on 2025-04-15
/// moves that to 2025-04-23, so an answer on the 23rd turns from late to
/// on time.
#[tokio::test]
async fn complaint_counts_follow_the_calendar_additions_a_coordinator_keeps() {
    let dir = tempfile::tempdir().unwrap();
    let state = setup(&dir).await;
    let indicators = "/api/v1/complaints/indicators?year=2025&as_of=2025-06-30";
    assert_eq!(
        send(&state, "GET", indicators, "analyst", None).await.0,
        StatusCode::NOT_FOUND,
        "no records yet"
    );
    let records = format!(
        "{HEADER}C-1,minfin,complaint,2025-03-03,,2025-03-20,satisfied,1,0,0,\n\
         A-1,minfin,application,2025-04-01,,2025-04-23,satisfied,1,0,0,\n"
    );
    let (status, _) = send(
        &state,
        "POST",
        "/api/v1/complaints",
        "importer",
        Some(files(&[("complaints.csv", &records)])),
    )
    .await;
    assert_eq!(status, StatusCode::OK);

    let (status, before) = send(&state, "GET", indicators, "analyst", None).await;
    assert_eq!(status, StatusCode::OK, "{before}");
    assert_eq!(before["by"], "body");
    assert_eq!(before["as_of"], "2025-06-30");
    let minfin = &before["groups"][0];
    assert_eq!(minfin["group"], "minfin");
    assert_eq!(minfin["total"], 2);
    assert_eq!(minfin["answered"], 2);
    assert_eq!(minfin["pending"], 0);
    assert_eq!(minfin["overdue"], 1);
    assert_eq!(minfin["overdue_percent"], 50.0);

    // Only the roles that read unpublished figures; a breakdown and a year checked.
    assert_eq!(
        send(&state, "GET", indicators, "reporter", None).await.0,
        StatusCode::FORBIDDEN
    );
    let (status, body) = send(
        &state,
        "GET",
        "/api/v1/complaints/indicators?year=2025&by=colour",
        "analyst",
        None,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["problems"][0]["source"], "by");
    let (status, _) = send(
        &state,
        "GET",
        "/api/v1/complaints/indicators?year=262143",
        "analyst",
        None,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

    let openness = "/api/v1/openness/indicators?year=2025";
    assert_eq!(
        send(&state, "GET", openness, "analyst", None).await.0,
        StatusCode::NOT_FOUND,
        "no openness records"
    );
    assert_eq!(
        send(&state, "GET", openness, "reporter", None).await.0,
        StatusCode::FORBIDDEN
    );

    let calendar_2025 = "/api/v1/services/calendar/2025";
    let (status, days) = send(&state, "GET", calendar_2025, "reporter", None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        !days
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["date"] == "2025-04-15")
    );

    let additions = "[[holiday]]\nname = \"Day of mourning\"\ndays = [\"04-15\"]\ncarried = false\nfrom = 2025\nuntil = 2025\n";
    let upload = json!({ "name": "additions.toml", "text": additions });
    let trail_before = trail(&state).await;
    assert_eq!(
        send(
            &state,
            "PUT",
            "/api/v1/services/calendar",
            "analyst",
            Some(upload.clone())
        )
        .await
        .0,
        StatusCode::FORBIDDEN
    );
    let (status, body) = send(
        &state,
        "PUT",
        "/api/v1/services/calendar",
        "coordinator",
        Some(json!({ "name": "broken.toml", "text": "[[holiday]]\nname = 1\n" })),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["problems"][0]["source"], "broken.toml");
    assert_eq!(
        trail(&state).await,
        trail_before,
        "nothing refused is written"
    );

    let (status, kept) = send(
        &state,
        "PUT",
        "/api/v1/services/calendar",
        "coordinator",
        Some(upload.clone()),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{kept}");
    assert_eq!(kept["unchanged"], false);
    let entries = state.store.audit_entries().await.unwrap();
    let last = entries.last().unwrap();
    assert_eq!(
        (last.entity.as_str(), last.actor.as_str()),
        ("calendar_additions", "api:coordinator")
    );
    assert_eq!(last.new.as_deref(), Some(additions));
    let (_, again) = send(
        &state,
        "PUT",
        "/api/v1/services/calendar",
        "coordinator",
        Some(upload),
    )
    .await;
    assert_eq!(again["unchanged"], true);

    let (_, days) = send(&state, "GET", calendar_2025, "reporter", None).await;
    let mourning = days
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["date"] == "2025-04-15")
        .expect("the added day off");
    assert_eq!(mourning["working"], false);
    assert_eq!(mourning["why"], "Day of mourning");

    let (_, after) = send(&state, "GET", indicators, "analyst", None).await;
    assert_eq!(after["groups"][0]["overdue"], 0);
    assert_eq!(after["groups"][0]["overdue_percent"], 0.0);

    // Judged before the answer, with a shorter term: overdue again.
    let (_, early) = send(
        &state,
        "GET",
        "/api/v1/complaints/indicators?year=2025&as_of=2025-04-22&application_days=10&by=kind",
        "coordinator",
        None,
    )
    .await;
    let application = early["groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["group"] == "application")
        .unwrap();
    assert_eq!(application["overdue"], 1, "{early}");
    assert_eq!(
        bagalau_core::audit::verify(
            &state.store.audit_entries().await.unwrap(),
            &state.store.audit_records().await.unwrap()
        ),
        vec![]
    );
}

/// A large body is read only from an account: without a valid token the
/// request is refused before its body is read (a body that is not even
/// JSON gets 401, not the 400 its reading would give), and an account's
/// is read as any other.
#[tokio::test]
async fn a_large_body_without_an_account_is_refused_unread() {
    use axum::body::Body;
    use axum::http::Request;
    use tower::ServiceExt;
    let dir = tempfile::tempdir().unwrap();
    let state = setup(&dir).await;
    let raw = "x".repeat(200 * 1024);
    let status = |token: Option<&str>, raw: String| {
        let state = state.clone();
        let token = token.map(str::to_string);
        async move {
            let mut req = Request::builder()
                .method("POST")
                .uri("/api/v1/complaints")
                .header("Content-Type", "application/json");
            if let Some(token) = token {
                req = req.header("Authorization", format!("Bearer {token}"));
            }
            bagalau_web::router(state)
                .oneshot(req.body(Body::from(raw)).unwrap())
                .await
                .unwrap()
                .status()
        }
    };
    assert_eq!(status(None, raw.clone()).await, StatusCode::UNAUTHORIZED);
    assert_eq!(
        status(Some("bgl_nobody"), raw.clone()).await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        status(Some("bgl_importer"), raw).await,
        StatusCode::BAD_REQUEST,
        "an account's body is read: it is not JSON"
    );
    // A small body is read first, as before: its reading says what is wrong.
    assert_eq!(status(None, "x".into()).await, StatusCode::BAD_REQUEST);
}
