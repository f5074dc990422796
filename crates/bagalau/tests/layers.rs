//! The layers stay honest (after Lemmy's `cargo tree -i` check): the core
//! does no I/O, only the store knows SQL, only the binary knows the terminal.

use std::path::Path;

fn dependencies(krate: &str) -> Vec<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(krate)
        .join("Cargo.toml");
    let manifest: toml::Table = toml::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    manifest
        .get("dependencies")
        .and_then(|d| d.as_table())
        .map(|t| t.keys().cloned().collect())
        .unwrap_or_default()
}

fn assert_free_of(krate: &str, forbidden: &[&str]) {
    let deps = dependencies(krate);
    for f in forbidden {
        assert!(
            !deps.iter().any(|d| d == f),
            "{krate} must not depend on {f} (it has: {deps:?})"
        );
    }
}

#[test]
fn the_core_does_no_io_and_knows_no_sql_or_terminal() {
    assert_free_of(
        "bagalau-core",
        &[
            "sqlx",
            "tokio",
            "clap",
            "tracing",
            "figment",
            "comfy-table",
            "anyhow",
            "bagalau-store",
            "bagalau-demo",
            "rand",
        ],
    );
}

#[test]
fn the_index_engine_does_no_io() {
    assert_free_of(
        "bagalau-index",
        &[
            "sqlx",
            "tokio",
            "clap",
            "anyhow",
            "bagalau-store",
            "bagalau-core",
        ],
    );
}

#[test]
fn only_the_store_knows_sql() {
    for krate in ["bagalau-core", "bagalau-demo", "bagalau"] {
        assert_free_of(krate, &["sqlx"]);
    }
    assert_free_of(
        "bagalau-store",
        &["clap", "anyhow", "comfy-table", "figment"],
    );
}

#[test]
fn only_the_web_layer_knows_http() {
    for krate in [
        "bagalau-core",
        "bagalau-demo",
        "bagalau-store",
        "bagalau-index",
        "bagalau-site",
        "bagalau-xlsx",
        "bagalau-parquet",
        "bagalau-app",
        "bagalau",
    ] {
        assert_free_of(krate, &["axum", "hyper", "tower", "utoipa"]);
    }
    // The pages are pure rendering: no store, no runtime.
    assert_free_of("bagalau-site", &["bagalau-store", "sqlx", "tokio"]);
    assert_free_of("bagalau-web", &["sqlx", "anyhow", "clap"]);
}

#[test]
fn libraries_use_thiserror_not_anyhow() {
    for krate in [
        "bagalau-core",
        "bagalau-demo",
        "bagalau-store",
        "bagalau-index",
        "bagalau-app",
    ] {
        assert_free_of(krate, &["anyhow"]);
    }
}

#[test]
fn only_the_analytics_crate_knows_datafusion() {
    // The cluster crate runs the analytics' SQL on Ballista; nothing
    // depends on it, so the rest of the workspace never builds Ballista.
    let crates: Vec<String> = std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join(".."))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != "bagalau-analytics" && n != "bagalau-ballista")
        .collect();
    assert!(crates.len() >= 10, "{crates:?}");
    for krate in &crates {
        assert_free_of(
            krate,
            &["datafusion", "ballista", "arrow", "bagalau-ballista"],
        );
    }
    assert_free_of(
        "bagalau-services",
        &["tokio", "sqlx", "clap", "anyhow", "bagalau-store", "rand"],
    );
}

#[test]
fn the_application_core_knows_neither_http_nor_the_terminal() {
    assert_free_of(
        "bagalau-app",
        &[
            "axum",
            "hyper",
            "tower",
            "utoipa",
            "clap",
            "comfy-table",
            "indicatif",
            "rpassword",
            "anyhow",
            "figment",
            "bagalau-web",
            "bagalau-site",
        ],
    );
    // The front ends reach the accounts and publications through it.
    for front in ["bagalau", "bagalau-web"] {
        assert!(
            dependencies(front).iter().any(|d| d == "bagalau-app"),
            "{front} must use the application core"
        );
    }
}

#[test]
fn the_refusals_roles_and_states_depend_on_no_rules() {
    // No module cycles in the core: the rules (`cycle`, `recommendation`,
    // `monitoring`, `correction`) use the refusals, the roles and the
    // states; those use none of the rules.
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("../bagalau-core/src");
    for (file, allowed) in [
        ("refusal.rs", &["states"][..]),
        ("roles.rs", &[]),
        ("states.rs", &[]),
    ] {
        let text = std::fs::read_to_string(src.join(file)).unwrap();
        for line in text.lines().map(str::trim_start) {
            let Some(rest) = line.strip_prefix("use crate::") else {
                continue;
            };
            let module = rest.split([':', ';', '{', ' ']).next().unwrap_or_default();
            assert!(
                allowed.contains(&module),
                "{file} must not use crate::{module} ({line})"
            );
        }
    }
}

#[test]
fn files_that_stay_files_go_through_the_one_blob_store() {
    // The evidence store and the records engine both go through it.
    for krate in [
        "bagalau-core",
        "bagalau-app",
        "bagalau-web",
        "bagalau-site",
        "bagalau",
        "bagalau-store",
        "bagalau-analytics",
    ] {
        assert_free_of(krate, &["object_store"]);
    }
    assert!(
        dependencies("bagalau-blobs")
            .iter()
            .any(|d| d == "object_store")
    );
    for user in ["bagalau-store", "bagalau-analytics"] {
        assert!(
            dependencies(user).iter().any(|d| d == "bagalau-blobs"),
            "{user} must keep its files in the blob store"
        );
    }
}

#[test]
fn the_test_kit_ships_with_nothing() {
    // Tests use it (as a dev-dependency); no crate's own code does.
    let crates = std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join(".."))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("bagalau"))
        .collect::<Vec<_>>();
    assert!(crates.len() >= 10, "{crates:?}");
    for krate in &crates {
        assert_free_of(krate, &["bagalau-testkit"]);
    }
}
