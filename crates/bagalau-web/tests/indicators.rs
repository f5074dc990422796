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

const ACCOUNTS: [(&str, &[&str]); 4] = [
    ("analyst", &["analyst"]),
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
    state.records = bagalau_analytics::on_disk::on_disk(&services);
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
