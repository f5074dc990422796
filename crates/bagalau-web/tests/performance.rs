//! The performance assessment through the API, in process on a real SQLite
//! database: a methodologist imports the pack, a coordinator the series
//! (problems placed, nothing written on a refusal); an analyst reads the
//! Government Performance Index, anyone the National Progress Index, whose
//! ratios are checked by hand against the series sent.

mod common;

use bagalau_core::performance;
use bagalau_store::Store;
use common::{files, send, trail};
use serde_json::Value;

const ACCOUNTS: [(&str, &[&str]); 4] = [
    ("methodologist", &["methodologist"]),
    ("coordinator", &["coordinator"]),
    ("analyst", &["analyst"]),
    ("reporter", &["reporter:minfin"]),
];

fn tidy(observations: &[performance::Observation]) -> String {
    let mut csv = String::from("entity,indicator,year,value\n");
    for o in observations {
        csv.push_str(&format!(
            "{},{},{},{}\n",
            o.entity, o.indicator, o.year, o.value
        ));
    }
    csv
}

#[tokio::test]
async fn packs_and_series_go_in_by_role_and_the_indices_come_out() {
    let dir = tempfile::tempdir().unwrap();
    let state = common::setup(&dir, &ACCOUNTS).await;
    let (pack_name, pack_text) = bagalau_demo::PERFORMANCE_PACKS[0];
    let pack = performance::load(pack_name, pack_text).unwrap();
    let registry = state.store.registry().await.unwrap().unwrap();
    let observations = bagalau_demo::generate_series(&pack, &registry, 7);
    let series = tidy(&observations);

    assert_eq!(
        send(&state, "GET", "/api/v1/performance/2023/npi", None, None)
            .await
            .0,
        404,
        "no pack yet"
    );
    let before = trail(&state).await;
    let (status, _) = send(
        &state,
        "POST",
        "/api/v1/performance/packs",
        Some("coordinator"),
        Some(files(&[("pack.toml", pack_text)])),
    )
    .await;
    assert_eq!(status, 403, "packs are the methodologists'");
    let (status, body) = send(
        &state,
        "POST",
        "/api/v1/performance/packs",
        Some("methodologist"),
        Some(files(&[
            ("pack.toml", pack_text),
            ("broken.toml", "year = \"soon\"\n"),
        ])),
    )
    .await;
    assert_eq!(status, 422, "{body}");
    let problem = &body["problems"][0];
    assert_eq!(problem["source"], "broken.toml");
    assert_eq!(problem["line"], 1);
    assert_eq!(trail(&state).await, before, "nothing of either file kept");
    let (status, body) = send(
        &state,
        "POST",
        "/api/v1/performance/packs",
        Some("methodologist"),
        Some(files(&[("pack.toml", pack_text)])),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["packs"], 1);

    // A series line naming an unknown body is placed; nothing is written.
    let bad = format!("{series}nobody,{},2023,1\n", pack.indicators[0].id);
    let bad_line = bad.lines().count();
    let before = trail(&state).await;
    let (status, body) = send(
        &state,
        "POST",
        "/api/v1/performance/series",
        Some("coordinator"),
        Some(files(&[("series.csv", &bad)])),
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["problems"][0]["source"], "series.csv");
    assert_eq!(body["problems"][0]["line"], bad_line);
    assert_eq!(trail(&state).await, before);
    assert_eq!(
        send(
            &state,
            "POST",
            "/api/v1/performance/series?layout=sdmx",
            Some("methodologist"),
            Some(files(&[("series.csv", &series)])),
        )
        .await
        .0,
        403,
        "series are the coordinators'"
    );
    let (status, body) = send(
        &state,
        "POST",
        "/api/v1/performance/series",
        Some("coordinator"),
        Some(files(&[("series.csv", &series)])),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["new"], observations.len());
    assert_eq!(body["checked_against"], 2023);

    // The GPI: for the roles that read it before publication.
    assert_eq!(
        send(
            &state,
            "GET",
            "/api/v1/performance/2023/gpi",
            Some("reporter"),
            None
        )
        .await
        .0,
        403
    );
    let (status, gpi) = send(
        &state,
        "GET",
        "/api/v1/performance/2023/gpi?kind=leb",
        Some("analyst"),
        None,
    )
    .await;
    assert_eq!(status, 200, "{gpi}");
    let bodies = gpi["bodies"].as_array().unwrap();
    assert!(!bodies.is_empty());
    assert!(bodies.iter().all(|b| b["kind"] == "leb"));
    let stored = state.store.series().await.unwrap();
    let engine = performance::gpi(&pack, &registry, &stored);
    let first = engine
        .results
        .iter()
        .find(|r| r.kind == bagalau_core::Kind::Leb && r.rank == Some(1))
        .unwrap();
    let top = bodies.iter().find(|b| b["rank"] == 1).unwrap();
    assert_eq!(top["body"], first.body.as_str());
    assert_eq!(top["gpi"].as_f64(), first.gpi);
    assert_eq!(
        send(
            &state,
            "GET",
            "/api/v1/performance/2023/gpi?kind=ministry",
            Some("analyst"),
            None
        )
        .await
        .0,
        422
    );

    // The NPI, public: each ratio worked out from the series sent.
    let (status, npi) = send(&state, "GET", "/api/v1/performance/2023/npi", None, None).await;
    assert_eq!(status, 200, "{npi}");
    assert_eq!(
        (npi["country"].as_str(), npi["reference"].as_str()),
        (Some("KZ"), Some("OECD"))
    );
    let value = |entity: &str, indicator: &str, year: i32| -> f64 {
        observations
            .iter()
            .find(|o| o.entity == entity && o.indicator == indicator && o.year == year)
            .unwrap()
            .value
    };
    let indicators = npi["indicators"].as_array().unwrap();
    let of = |id: &str| -> &Value { indicators.iter().find(|i| i["indicator"] == id).unwrap() };
    // Higher is better: 100 · country / OECD; lower is better: 100 · OECD / country.
    let gdp = of("npi_gdp_per_capita_ppp");
    let expected = 100.0 * value("KZ", "npi_gdp_per_capita_ppp", 2023)
        / value("OECD", "npi_gdp_per_capita_ppp", 2023);
    assert!((gdp["vs_reference"].as_f64().unwrap() - expected).abs() < 1e-9);
    assert_eq!(gdp["name"], "GDP per capita, PPP");
    let unemployment = of("npi_unemployment_rate");
    let expected = 100.0 * value("KZ", "npi_unemployment_rate", 2016)
        / value("KZ", "npi_unemployment_rate", 2023);
    assert!((unemployment["vs_base"].as_f64().unwrap() - expected).abs() < 1e-9);

    assert_eq!(
        bagalau_core::audit::verify(
            &state.store.audit_entries().await.unwrap(),
            &state.store.audit_records().await.unwrap()
        ),
        vec![]
    );
}
