//! The operational assessment's inputs through the API, in process on a
//! real SQLite database: a methodologist imports a pack (a draft until
//! adopted), a coordinator the reporting data and the registry; every
//! problem placed by file, line and column, and nothing written when any
//! file is refused.

mod common;

use bagalau_store::Store;
use common::{files, send, trail};
use serde_json::json;

const ACCOUNTS: [(&str, &[&str]); 3] = [
    ("methodologist", &["methodologist"]),
    ("coordinator", &["coordinator"]),
    ("reporter", &["reporter:minfin"]),
];

#[tokio::test]
async fn packs_registry_and_data_are_imported_whole_or_not_at_all() {
    let dir = tempfile::tempdir().unwrap();
    let state = common::setup(&dir, &ACCOUNTS).await;
    let (pack_name, pack_text) = bagalau_demo::PACKS[3];

    // Packs: the methodologists'; a broken file refuses the whole request.
    let before = trail(&state).await;
    let packs = |files: serde_json::Value| {
        let mut body = files;
        body["reason"] = serde_json::Value::Null;
        body
    };
    assert_eq!(
        send(
            &state,
            "POST",
            "/api/v1/methodology/packs",
            Some("coordinator"),
            Some(packs(files(&[(pack_name, pack_text)])))
        )
        .await
        .0,
        403
    );
    let (status, body) = send(
        &state,
        "POST",
        "/api/v1/methodology/packs",
        Some("methodologist"),
        Some(packs(files(&[
            (pack_name, pack_text),
            ("typo.toml", "format = 1\nyear = 2024\nid = \n"),
        ]))),
    )
    .await;
    assert_eq!(status, 422, "{body}");
    let problem = &body["problems"][0];
    assert_eq!(
        (problem["source"].as_str(), problem["line"].as_u64()),
        (Some("typo.toml"), Some(3)),
        "{body}"
    );
    assert_eq!(trail(&state).await, before, "nothing of either file");
    let (status, body) = send(
        &state,
        "POST",
        "/api/v1/methodology/packs",
        Some("methodologist"),
        Some(packs(files(&[(pack_name, pack_text)]))),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["packs"], 1);
    assert_eq!(state.store.pack_years().await.unwrap(), vec![2022]);
    assert_eq!(
        state.store.adopted_pack_years().await.unwrap(),
        Vec::<i32>::new(),
        "a draft until adopted"
    );

    // Reporting data: the coordinators'; each bad value placed.
    let bad = "year,body_id,indicator_id,value\n2022,minfin,bp_spent,1\n2022,minfin,nope,2\n2022,mne,bp_plan,abc\n";
    let before = trail(&state).await;
    let (status, body) = send(
        &state,
        "POST",
        "/api/v1/data",
        Some("coordinator"),
        Some(files(&[("march.csv", bad)])),
    )
    .await;
    assert_eq!(status, 422, "{body}");
    let placed: Vec<(u64, String)> = body["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            assert_eq!(p["source"], "march.csv");
            (
                p["line"].as_u64().unwrap(),
                p["column"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(placed, vec![(3, "3".to_string()), (4, "4".to_string())]);
    assert_eq!(trail(&state).await, before);
    assert_eq!(
        send(
            &state,
            "POST",
            "/api/v1/data",
            Some("reporter"),
            Some(files(&[("march.csv", "year,body_id,indicator_id,value\n")]))
        )
        .await
        .0,
        403
    );
    // bp_total: a CGB's only (the number of its budget programmes).
    let good = "year,body_id,indicator_id,value\n2022,minfin,bp_spent,1\n2022,mne,bp_plan,2\n2022,minfin,bp_total,10\n";
    let (status, body) = send(
        &state,
        "POST",
        "/api/v1/data",
        Some("coordinator"),
        Some(files(&[("march.csv", good)])),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body, json!({ "new": 3, "changed": 0, "unchanged": 0 }));
    let (_, again) = send(
        &state,
        "POST",
        "/api/v1/data",
        Some("coordinator"),
        Some(files(&[("march.csv", good)])),
    )
    .await;
    assert_eq!(again, json!({ "new": 0, "changed": 0, "unchanged": 3 }));

    // The registry: the coordinators'; one that no longer fits the stored
    // pack is refused with why.
    let registry = bagalau_demo::REGISTRY.1;
    let i = registry.find("id = \"minfin\"").unwrap();
    let k = i + registry[i..].find("kind = \"cgb\"").unwrap();
    let turned = format!(
        "{}kind = \"leb\"{}",
        &registry[..k],
        &registry[k + "kind = \"cgb\"".len()..]
    );
    let upload = |text: &str| json!({ "name": "kz.toml", "text": text });
    assert_eq!(
        send(
            &state,
            "PUT",
            "/api/v1/registry",
            Some("methodologist"),
            Some(upload(registry))
        )
        .await
        .0,
        403
    );
    let before = trail(&state).await;
    let (status, body) = send(
        &state,
        "PUT",
        "/api/v1/registry",
        Some("coordinator"),
        Some(upload(&turned)),
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert!(
        body["problems"][0]["message"]
            .as_str()
            .unwrap()
            .contains("does not fit the data stored"),
        "{body}"
    );
    assert!(body.to_string().contains("minfin"), "{body}");
    assert_eq!(trail(&state).await, before);
    let (status, body) = send(
        &state,
        "PUT",
        "/api/v1/registry",
        Some("coordinator"),
        Some(upload(registry)),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let bodies = bagalau_core::registry::load("kz.toml", registry)
        .unwrap()
        .bodies
        .len();
    assert_eq!(body["bodies"], bodies);

    let entries = state.store.audit_entries().await.unwrap();
    assert!(
        entries
            .iter()
            .any(|e| e.entity == "pack" && e.actor == "api:methodologist")
    );
    assert_eq!(
        bagalau_core::audit::verify(&entries, &state.store.audit_records().await.unwrap()),
        vec![]
    );
}

/// The composite-index engine on tables sent with the request: COINr's
/// ASEM example (46 units of 2018, 49 indicators, 11 aggregates over 4
/// levels, as COINr builds it), for the roles that analyse; a bad table
/// placed by row and column.
#[tokio::test]
async fn an_index_is_built_from_the_tables_sent() {
    let dir = tempfile::tempdir().unwrap();
    let state = common::setup(
        &dir,
        &[
            ("analyst", &["analyst"]),
            ("reporter", &["reporter:minfin"]),
        ],
    )
    .await;
    let example = |f: &str| {
        std::fs::read_to_string(format!(
            "{}/../../examples/asem/{f}",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap()
    };
    let (data, meta, pipeline) = (
        example("ASEM_iData.csv"),
        example("ASEM_iMeta.csv"),
        example("pipeline.toml"),
    );
    let request = |meta: &str| {
        json!({
            "data": { "name": "ASEM_iData.csv", "text": data },
            "meta": { "name": "ASEM_iMeta.csv", "text": meta },
            "pipeline": { "name": "pipeline.toml", "text": pipeline },
        })
    };
    assert_eq!(
        send(
            &state,
            "POST",
            "/api/v1/index/builds",
            Some("reporter"),
            Some(request(&meta))
        )
        .await
        .0,
        403
    );
    let (status, built) = send(
        &state,
        "POST",
        "/api/v1/index/builds",
        Some("analyst"),
        Some(request(&meta)),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        (
            built["units"].as_array().unwrap().len(),
            built["time"].as_i64(),
            built["indicators"].as_u64(),
            built["aggregates"].as_u64(),
            built["levels"].as_u64()
        ),
        (46, Some(2018), Some(49), Some(11), Some(4)),
    );
    assert!(!built["screened_out"].as_array().unwrap().is_empty());
    let results = built["tables"]["results.csv"].as_str().unwrap();
    let first = built["units"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["rank"] == 1)
        .unwrap();
    assert!(
        results
            .lines()
            .any(|l| l.starts_with(first["code"].as_str().unwrap())),
        "{results}"
    );
    for table in [
        "Raw.csv",
        "Normalised.csv",
        "Aggregated.csv",
        "indicator_stats.csv",
    ] {
        assert!(built["tables"][table].is_string(), "{table}");
    }

    let bad = meta.replace(
        "1.0,LPI,Logistics Performance Index,1.0,1.0",
        "1.0,LPI,Logistics Performance Index,1.0,heavy",
    );
    let (status, body) = send(
        &state,
        "POST",
        "/api/v1/index/builds",
        Some("analyst"),
        Some(request(&bad)),
    )
    .await;
    assert_eq!(status, 422, "{body}");
    let problem = &body["problems"][0];
    assert_eq!(
        (
            problem["source"].as_str(),
            problem["line"].as_u64(),
            problem["column"].as_str()
        ),
        (Some("ASEM_iMeta.csv"), Some(2), Some("Weight"))
    );
}

/// The uncertainty of the ASEM ranking through the API: the nominal ranks
/// are the build's, every unit's median lies within its 5%-95% interval,
/// the same seed gives the same answer, and a plan over the server's limit
/// is refused with where to run it instead.
#[tokio::test]
async fn an_index_ranks_uncertainty_is_analysed_within_the_servers_limits() {
    let dir = tempfile::tempdir().unwrap();
    let state = common::setup(&dir, &[("analyst", &["analyst"])]).await;
    let example = |f: &str| {
        std::fs::read_to_string(format!(
            "{}/../../examples/asem/{f}",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap()
    };
    let tables = json!({
        "data": { "name": "ASEM_iData.csv", "text": example("ASEM_iData.csv") },
        "meta": { "name": "ASEM_iMeta.csv", "text": example("ASEM_iMeta.csv") },
        "pipeline": { "name": "pipeline.toml", "text": example("pipeline.toml") },
    });
    let with_plan = |plan: &str| {
        let mut request = tables.clone();
        request["plan"] = json!({ "name": "plan.toml", "text": plan });
        request
    };
    let plan = "replications = 200\nseed = 7\nrank_shift = 5\n[weights]\n1 = 0.25\n2 = 0.25\n";
    let (status, u) = send(
        &state,
        "POST",
        "/api/v1/index/uncertainty",
        Some("analyst"),
        Some(with_plan(plan)),
    )
    .await;
    assert_eq!(status, 200, "{u}");
    assert_eq!(u["replications"], 200);
    let (_, built) = send(
        &state,
        "POST",
        "/api/v1/index/builds",
        Some("analyst"),
        Some(tables.clone()),
    )
    .await;
    let units = u["units"].as_array().unwrap();
    assert_eq!(units.len(), 46);
    for unit in units {
        let rank = built["units"]
            .as_array()
            .unwrap()
            .iter()
            .find(|b| b["code"] == unit["code"])
            .unwrap()["rank"]
            .as_u64();
        assert_eq!(unit["nominal"].as_u64(), rank, "{unit}");
        let (p05, median, p95) = (
            unit["p05"].as_f64().unwrap(),
            unit["median"].as_f64().unwrap(),
            unit["p95"].as_f64().unwrap(),
        );
        assert!(p05 <= median && median <= p95, "{unit}");
    }
    assert!(u["tables"]["ranks.csv"].as_str().unwrap().lines().count() > 46);
    let (_, again) = send(
        &state,
        "POST",
        "/api/v1/index/uncertainty",
        Some("analyst"),
        Some(with_plan(plan)),
    )
    .await;
    assert_eq!(again, u, "seeded");

    let (status, body) = send(
        &state,
        "POST",
        "/api/v1/index/uncertainty",
        Some("analyst"),
        Some(with_plan("replications = 1000000\n")),
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert!(
        body["problems"][0]["message"]
            .as_str()
            .unwrap()
            .contains("bagalau index uncertainty"),
        "{body}"
    );
}

/// A methodologist checks a draft pack before importing it: what it holds,
/// or each problem placed; nothing is stored either way.
#[tokio::test]
async fn a_pack_is_checked_without_being_imported() {
    let dir = tempfile::tempdir().unwrap();
    let state = common::setup(&dir, &ACCOUNTS).await;
    let (name, text) = bagalau_demo::PACKS[3];
    let expected = bagalau_core::pack::load(name, text).unwrap();
    let before = trail(&state).await;
    let (status, checked) = send(
        &state,
        "POST",
        "/api/v1/methodology/check",
        Some("methodologist"),
        Some(files(&[(name, text)])),
    )
    .await;
    assert_eq!(status, 200, "{checked}");
    assert_eq!(checked[0]["year"], 2022);
    assert_eq!(checked[0]["id"], expected.id.as_str());
    assert_eq!(checked[0]["sha256"], expected.content_hash.as_str());
    assert_eq!(checked[0]["criteria"], expected.criteria().count());
    let (status, body) = send(
        &state,
        "POST",
        "/api/v1/methodology/check",
        Some("methodologist"),
        Some(files(&[("typo.toml", "format = 1\nyear = 2024\nid = \n")])),
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["problems"][0]["line"], 3);
    assert_eq!(
        send(
            &state,
            "POST",
            "/api/v1/methodology/check",
            None,
            Some(files(&[(name, text)]))
        )
        .await
        .0,
        401
    );
    assert_eq!(trail(&state).await, before, "nothing stored");
    assert!(state.store.pack_years().await.unwrap().is_empty());
}
