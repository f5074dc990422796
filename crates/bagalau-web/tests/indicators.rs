//! The public-service indicators through the API, in process on a real
//! SQLite database with the records' engine the binary wires in, over
//! generated records of the demonstration register: who may read them,
//! what is refused and placed, and filters and month ranges that agree
//! with the breakdowns of the whole year (the engine's counts themselves
//! are checked by hand in bagalau-analytics' tests/indicators.rs).

mod common;

use bagalau_analytics::records::{Scenario, generate};
use bagalau_services::calendar::Rules;
use bagalau_store::Store;
use common::{send, trail};
use serde_json::Value;

const ACCOUNTS: [(&str, &[&str]); 7] = [
    ("moj_importer", &["importer:moj"]),
    ("moh_importer", &["importer:moh"]),
    ("analyst", &["analyst"]),
    ("methodologist", &["methodologist"]),
    ("coordinator", &["coordinator"]),
    ("importer", &["importer:minjust"]),
    ("reporter", &["reporter:minfin"]),
];

async fn with_records(dir: &tempfile::TempDir) -> bagalau_web::AppState {
    let mut state = common::setup(dir, &ACCOUNTS).await;
    let register = state.store.service_register().await.unwrap().unwrap();
    let days = Rules::kazakhstan().working_days(2023, 2024).unwrap();
    let services = dir.path().join("services");
    generate(
        &services.join("deliveries"),
        &register,
        &days,
        &Scenario::new(2023, 6_000, 7),
        |_| {},
    )
    .unwrap();
    state.records = bagalau_analytics::kept::kept(&services.display().to_string()).unwrap();
    state
}

fn count(row: &Value, name: &str) -> u64 {
    row["counts"][name].as_u64().unwrap()
}

fn row<'a>(table: &'a Value, value: &str) -> &'a Value {
    table["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["value"] == value)
        .unwrap_or_else(|| panic!("no row `{value}` in {table}"))
}

#[tokio::test]
async fn analysts_read_the_indicators_by_breakdown_filter_and_months() {
    let dir = tempfile::tempdir().unwrap();
    let state = with_records(&dir).await;
    let path = "/api/v1/services/indicators/2023";
    assert_eq!(send(&state, "GET", path, None, None).await.0, 401);
    for outsider in ["reporter", "importer"] {
        let (status, body) = send(&state, "GET", path, Some(outsider), None).await;
        assert_eq!(status, 403, "{outsider}: {body}");
    }
    let before = trail(&state).await;
    let (status, by_region) = send(
        &state,
        "GET",
        &format!("{path}?by=region"),
        Some("analyst"),
        None,
    )
    .await;
    assert_eq!(status, 200, "{by_region}");
    assert_eq!(by_region["pack"], "services-v1");
    assert_eq!(count(&by_region["total"], "records"), 6_000);
    let rows = by_region["rows"].as_array().unwrap();
    assert!(rows.len() > 3, "{by_region}");
    let summed: u64 = rows.iter().map(|r| count(r, "records")).sum();
    assert_eq!(summed, 6_000, "every record has a region");
    // A share is its numerator over its denominator, in per cent.
    let total = &by_region["total"];
    let compliance = total["indicators"]["deadline_compliance"].as_f64().unwrap();
    let expected = 100.0 * count(total, "on_time") as f64
        / (count(total, "on_time") + count(total, "violations")) as f64;
    assert!((compliance - expected).abs() < 1e-9);

    // A region's filter keeps exactly the records of its row.
    let region = rows[1]["value"].as_str().unwrap().to_string();
    let (status, filtered) = send(
        &state,
        "GET",
        &format!("{path}?by=channel&region={region}"),
        Some("coordinator"),
        None,
    )
    .await;
    assert_eq!(status, 200, "{filtered}");
    assert_eq!(filtered["filter"]["region"], region.as_str());
    assert_eq!(
        filtered["total"]["counts"],
        row(&by_region, &region)["counts"]
    );

    // A sector's filter keeps the records of its row of the sector breakdown.
    let (_, by_sector) = send(&state, "GET", path, Some("analyst"), None).await;
    assert_eq!(by_sector["by"], "sector");
    // (The first row is the records of services outside the register: no sector.)
    assert_eq!(by_sector["rows"][0]["value"], Value::Null);
    let sector = by_sector["rows"][1]["value"].as_str().unwrap().to_string();
    let (status, filtered) = send(
        &state,
        "GET",
        &format!("{path}?by=region&sector={sector}"),
        Some("analyst"),
        None,
    )
    .await;
    assert_eq!(status, 200, "{filtered}");
    assert_eq!(
        filtered["total"]["counts"],
        row(&by_sector, &sector)["counts"]
    );

    // Months 3 to 5 are the sum of their rows of the month breakdown.
    let (_, by_month) = send(
        &state,
        "GET",
        &format!("{path}?by=month"),
        Some("analyst"),
        None,
    )
    .await;
    assert_eq!(by_month["rows"].as_array().unwrap().len(), 12);
    let spring: u64 = ["3", "4", "5"]
        .iter()
        .map(|m| count(row(&by_month, m), "records"))
        .sum();
    let (status, months) = send(
        &state,
        "GET",
        &format!("{path}?by=month&first_month=3&last_month=5"),
        Some("analyst"),
        None,
    )
    .await;
    assert_eq!(status, 200, "{months}");
    assert_eq!(count(&months["total"], "records"), spring);
    assert_eq!(months["rows"].as_array().unwrap().len(), 3);
    assert_eq!(trail(&state).await, before, "reading writes nothing");
}

#[tokio::test]
async fn a_bad_question_is_placed_and_a_year_without_records_is_not_found() {
    let dir = tempfile::tempdir().unwrap();
    let state = with_records(&dir).await;
    let (status, body) = send(
        &state,
        "GET",
        "/api/v1/services/indicators/2023?by=colour&first_month=13&last_month=2",
        Some("analyst"),
        None,
    )
    .await;
    assert_eq!(status, 422, "{body}");
    let fields: Vec<&str> = body["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["source"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["by", "first_month", "last_month"], "{body}");
    let long = "x".repeat(201);
    let (status, body) = send(
        &state,
        "GET",
        &format!("/api/v1/services/indicators/2023?provider={long}"),
        Some("analyst"),
        None,
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["problems"][0]["source"], "provider");
    let (status, body) = send(
        &state,
        "GET",
        "/api/v1/services/indicators/2022",
        Some("analyst"),
        None,
    )
    .await;
    assert_eq!(status, 404, "{body}");
    let (status, _) = send(
        &state,
        "GET",
        "/api/v1/services/indicators/99999",
        Some("analyst"),
        None,
    )
    .await;
    assert_eq!(status, 422);
}

#[tokio::test]
async fn ratings_are_computed_for_analysts_published_by_coordinators_and_read_by_anyone() {
    let dir = tempfile::tempdir().unwrap();
    let state = with_records(&dir).await;
    let path = "/api/v1/services/ratings/2023";
    let publications = "/api/v1/services/ratings/2023/publications";
    assert_eq!(send(&state, "GET", path, None, None).await.0, 401);
    assert_eq!(
        send(&state, "GET", path, Some("reporter"), None).await.0,
        403
    );
    let (status, computed) = send(&state, "GET", path, Some("analyst"), None).await;
    assert_eq!(status, 200, "{computed}");
    let ratings = &computed["ratings"];
    assert_eq!(ratings["records"], 6_000);
    assert_eq!(ratings["respondents"], 0);
    assert!(
        computed["notes"][0]
            .as_str()
            .unwrap()
            .contains("no questionnaire named"),
        "{computed}"
    );
    // Each provider's records are its row of the indicators by provider.
    let (_, by_provider) = send(
        &state,
        "GET",
        "/api/v1/services/indicators/2023?by=provider",
        Some("analyst"),
        None,
    )
    .await;
    let providers = ratings["dimensions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["dimension"] == "provider")
        .unwrap();
    for entry in providers["entries"].as_array().unwrap() {
        let value = entry["value"].as_str().unwrap();
        assert_eq!(
            entry["records"].as_u64(),
            Some(count(row(&by_provider, value), "records")),
            "{value}"
        );
    }

    assert_eq!(send(&state, "GET", publications, None, None).await.0, 404);
    let before = trail(&state).await;
    let body = serde_json::json!({});
    let (status, _) = send(
        &state,
        "POST",
        publications,
        Some("analyst"),
        Some(body.clone()),
    )
    .await;
    assert_eq!(status, 403, "analysts read, coordinators publish");
    assert_eq!(trail(&state).await, before, "a refusal writes nothing");
    let (status, first) = send(
        &state,
        "POST",
        publications,
        Some("coordinator"),
        Some(body.clone()),
    )
    .await;
    assert_eq!(status, 200, "{first}");
    assert_eq!(first["publication"]["version"], 1);
    assert_eq!(first["unchanged"], false);
    assert_eq!(first["ratings"], computed["ratings"]);
    assert_eq!(trail(&state).await, before + 1);
    let (_, again) = send(
        &state,
        "POST",
        publications,
        Some("coordinator"),
        Some(body.clone()),
    )
    .await;
    assert_eq!(again["unchanged"], true);
    assert_eq!(again["publication"]["version"], 1);
    assert_eq!(trail(&state).await, before + 1, "the same ratings stand");

    // Other records: a second version corrects the first, with its reason.
    let register = state.store.service_register().await.unwrap().unwrap();
    let days = Rules::kazakhstan().working_days(2023, 2024).unwrap();
    generate(
        &dir.path().join("services/deliveries"),
        &register,
        &days,
        &Scenario::new(2023, 5_000, 8),
        |_| {},
    )
    .unwrap();
    let (status, refused) = send(
        &state,
        "POST",
        publications,
        Some("coordinator"),
        Some(body),
    )
    .await;
    assert_eq!(status, 422, "{refused}");
    assert_eq!(refused["problems"][0]["source"], "reason");
    assert_eq!(trail(&state).await, before + 1);
    let (status, second) = send(
        &state,
        "POST",
        publications,
        Some("coordinator"),
        Some(serde_json::json!({ "reason": "records of December arrived late" })),
    )
    .await;
    assert_eq!(status, 200, "{second}");
    assert_eq!(second["publication"]["version"], 2);
    assert_eq!(second["ratings"]["records"], 5_000);

    // Anyone reads every version; the first is as it was.
    let (status, last) = send(&state, "GET", publications, None, None).await;
    assert_eq!(status, 200, "{last}");
    assert_eq!(last["publication"]["version"], 2);
    assert_eq!(
        last["publication"]["reason"],
        "records of December arrived late"
    );
    assert!(last["publication"].get("published_by").is_none());
    let (_, old) = send(
        &state,
        "GET",
        &format!("{publications}?version=1"),
        None,
        None,
    )
    .await;
    assert_eq!(old["ratings"], computed["ratings"]);
    assert_eq!(
        send(
            &state,
            "GET",
            &format!("{publications}?version=3"),
            None,
            None
        )
        .await
        .0,
        404
    );
}

#[tokio::test]
async fn report_data_turns_the_records_into_reporting_data_the_import_takes() {
    let dir = tempfile::tempdir().unwrap();
    let state = with_records(&dir).await;
    let path = "/api/v1/services/report-data?year=2023&as_of=2024-03-01";
    let (status, _) = send(&state, "GET", path, Some("analyst"), None).await;
    assert_eq!(status, 404, "no methodology of 2023 yet");
    let (name, text) = bagalau_demo::PACKS[4];
    let (status, body) = send(
        &state,
        "POST",
        "/api/v1/methodology/packs",
        Some("methodologist"),
        Some(common::files(&[(name, text)])),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        send(&state, "GET", path, Some("reporter"), None).await.0,
        403
    );
    let before = trail(&state).await;
    let (status, data) = send(&state, "GET", path, Some("analyst"), None).await;
    assert_eq!(status, 200, "{data}");
    assert_eq!(trail(&state).await, before, "reading writes nothing");
    // ps_delivered of each provider body is its records by provider.
    let (_, by_provider) = send(
        &state,
        "GET",
        "/api/v1/services/indicators/2023?by=provider",
        Some("analyst"),
        None,
    )
    .await;
    let delivered: Vec<&Value> = data["values"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| v["indicator_id"] == "ps_delivered")
        .collect();
    assert!(!delivered.is_empty(), "{data}");
    for v in &delivered {
        let body = v["body_id"].as_str().unwrap();
        assert_eq!(
            v["value"].as_f64(),
            Some(count(row(&by_provider, body), "records") as f64),
            "{body}"
        );
    }
    assert!(
        data["notes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n.as_str().unwrap().contains("no complaint records kept")),
        "{data}"
    );
    // The CSV is reporting data as the import takes it, one line per value.
    let csv = data["csv"].as_str().unwrap();
    assert!(
        csv.starts_with("year,body_id,indicator_id,value,note\n"),
        "{csv}"
    );
    assert_eq!(
        csv.lines().count(),
        1 + data["values"].as_array().unwrap().len()
    );
}

/// Sends `bytes` as a file of records named `name`.
async fn send_file(
    state: &bagalau_web::AppState,
    query: &str,
    account: &str,
    bytes: &str,
) -> (axum::http::StatusCode, Option<String>, Value) {
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let request = axum::http::Request::builder()
        .method("POST")
        .uri(format!("/api/v1/services/records?{query}"))
        .header("Content-Type", "text/csv")
        .header("Authorization", format!("Bearer bgl_{account}"))
        .body(axum::body::Body::from(bytes.to_string()))
        .unwrap();
    let response = bagalau_web::router(state.clone())
        .oneshot(request)
        .await
        .unwrap();
    let status = response.status();
    let location = response
        .headers()
        .get("location")
        .map(|l| l.to_str().unwrap().to_string());
    let body = response.into_body().collect().await.unwrap().to_bytes();
    (
        status,
        location,
        serde_json::from_slice(&body).unwrap_or(Value::Null),
    )
}

/// Polls a job until it has ended.
async fn ended(state: &bagalau_web::AppState, location: &str, account: &str) -> Value {
    for _ in 0..500 {
        let (status, job) = send(state, "GET", location, Some(account), None).await;
        assert_eq!(status, 200, "{job}");
        if job["state"] != "running" {
            return job;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    panic!("the import did not end");
}

#[tokio::test]
async fn records_are_imported_as_jobs_an_importer_only_its_providers() {
    let dir = tempfile::tempdir().unwrap();
    let mut state = common::setup(&dir, &ACCOUNTS).await;
    state.records =
        bagalau_analytics::kept::kept(&dir.path().join("services").display().to_string()).unwrap();
    let header = "service,provider,region,office,channel,recipient,requested_at,delivered_at,extra_documents\n";
    let good =
        "reg_birth,moj,astana,astana_office,psc,individual,2023-07-03 10:00,2023-07-03 11:00,0\n";
    // Line 5: another provider's record; line 6: not a time.
    let file = format!(
        "{header}{good}{good}{good}reg_birth,moh,astana,astana_office,psc,individual,2023-07-03 10:00,2023-07-03 11:00,0\nreg_birth,moj,astana,astana_office,psc,individual,yesterday,2023-07-03 11:00,0\n"
    );

    let (status, _, _) = send_file(&state, "name=july.csv", "analyst", &file).await;
    assert_eq!(status, 403, "analysts read, importers import");
    let (status, _, body) = send_file(&state, "name=../july.csv", "moj_importer", &file).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["problems"][0]["source"], "name");

    let before = trail(&state).await;
    let (status, location, job) = send_file(&state, "name=july.csv", "moj_importer", &file).await;
    assert_eq!(status, 202, "{job}");
    let location = location.unwrap();
    assert_eq!(
        location,
        format!(
            "/api/v1/services/records/imports/{}",
            job["id"].as_str().unwrap()
        )
    );
    assert_eq!(job["size"], file.len());
    let job = ended(&state, &location, "moj_importer").await;
    assert_eq!(job["state"], "done", "{job}");
    assert_eq!(job["imported"], false, "all or nothing: {job}");
    assert_eq!(job["bad_rows"], 2);
    assert_eq!(job["bad"][0]["line"], 5);
    assert_eq!(job["bad"][0]["column"], "provider");
    assert_eq!(job["bad"][1]["line"], 6);
    assert_eq!(job["bad"][1]["column"], "requested_at");
    assert_eq!(
        trail(&state).await,
        before + 2,
        "the start and the end, audited"
    );
    let (status, _) = send(
        &state,
        "GET",
        "/api/v1/services/indicators/2023",
        Some("analyst"),
        None,
    )
    .await;
    assert_eq!(status, 404, "nothing went in");

    // The good rows kept: three records of July, counted.
    let (status, location, _) = send_file(
        &state,
        "name=july.csv&keep_good_rows=true",
        "moj_importer",
        &file,
    )
    .await;
    assert_eq!(status, 202);
    let location = location.unwrap();
    let job = ended(&state, &location, "moj_importer").await;
    assert_eq!(job["imported"], true, "{job}");
    assert_eq!(
        job["added"],
        serde_json::json!([{ "year": 2023, "month": 7, "records": 3 }])
    );
    let (status, counted) = send(
        &state,
        "GET",
        "/api/v1/services/indicators/2023?by=provider",
        Some("analyst"),
        None,
    )
    .await;
    assert_eq!(status, 200, "{counted}");
    assert_eq!(count(&counted["total"], "records"), 3);
    assert_eq!(count(&counted["total"], "on_time"), 3);

    // The job is its importer's, the analysts' and the coordinators'.
    for reader in ["analyst", "coordinator"] {
        assert_eq!(
            send(&state, "GET", &location, Some(reader), None).await.0,
            200
        );
    }
    assert_eq!(
        send(&state, "GET", &location, Some("moh_importer"), None)
            .await
            .0,
        404
    );
    assert_eq!(send(&state, "GET", &location, None, None).await.0, 401);
    assert_eq!(
        send(
            &state,
            "GET",
            "/api/v1/services/records/imports/nope",
            Some("coordinator"),
            None
        )
        .await
        .0,
        404
    );
}

/// A server that stops in the middle of an import (a crash, a redeploy)
/// leaves its job `running` and perhaps some of its files: once the job has
/// shown no sign of work for ten minutes, whoever reads it next, on any
/// server, ends it as failed and removes what it had added.
#[tokio::test]
async fn an_import_whose_server_stopped_is_ended_and_undone_when_next_read() {
    use std::sync::{Arc, Mutex};
    let dir = tempfile::tempdir().unwrap();
    let mut state = common::setup(&dir, &ACCOUNTS).await;
    state.records =
        bagalau_analytics::kept::kept(&dir.path().join("services").display().to_string()).unwrap();
    let now = Arc::new(Mutex::new(common::NOW.to_string()));
    let clock = now.clone();
    state.clock = Arc::new(move || clock.lock().unwrap().clone());
    let file = "service,provider,region,office,channel,recipient,requested_at,delivered_at,extra_documents\n\
        reg_birth,moj,astana,astana_office,psc,individual,2023-08-01 10:00,2023-08-01 11:00,0\n";
    let (status, location, _) = send_file(&state, "name=august.csv", "moj_importer", file).await;
    assert_eq!(status, 202);
    let location = location.unwrap();
    let job = ended(&state, &location, "moj_importer").await;
    assert_eq!(job["imported"], true, "{job}");
    let id = job["id"].as_str().unwrap().to_string();
    // As if its server had stopped after adding the file, before recording
    // the end: the job is running again, its last sign of work at the start.
    let mut stopped = state.store.record_import(&id).await.unwrap().unwrap();
    stopped.state = "running".into();
    stopped.finished_at = None;
    stopped.outcome = None;
    state
        .store
        .apply(bagalau_store::ImportBatch {
            record_imports: vec![stopped],
            at: common::NOW.into(),
            actor: "api:moj_importer".into(),
            ..Default::default()
        })
        .await
        .unwrap();
    let indicators = async |state: &bagalau_web::AppState| {
        send(
            state,
            "GET",
            "/api/v1/services/indicators/2023",
            Some("analyst"),
            None,
        )
        .await
        .0
    };
    assert_eq!(indicators(&state).await, 200, "August's record is counted");

    // Five minutes on, it may still be at work.
    *now.lock().unwrap() = "2026-03-01T09:05:00+00:00".into();
    let (status, job) = send(&state, "GET", &location, Some("analyst"), None).await;
    assert_eq!(
        (status.as_u16(), job["state"].as_str()),
        (200, Some("running"))
    );

    // Eleven minutes without a sign: abandoned, ended, undone, audited.
    *now.lock().unwrap() = "2026-03-01T09:11:00+00:00".into();
    let before = trail(&state).await;
    let (status, job) = send(&state, "GET", &location, Some("analyst"), None).await;
    assert_eq!(status, 200, "{job}");
    assert_eq!(job["state"], "failed", "{job}");
    let error = job["error"].as_str().unwrap();
    assert!(
        error.contains("the import stopped before it ended"),
        "{error}"
    );
    assert!(
        error.contains("1 files of its records were removed"),
        "{error}"
    );
    assert_eq!(trail(&state).await, before + 1);
    assert_eq!(indicators(&state).await, 404, "nothing of it is kept");
    let (status, again) = send(&state, "GET", &location, Some("moj_importer"), None).await;
    assert_eq!((status.as_u16(), &again), (200, &job), "ended once");
}
