//! Every message the interface uses exists in Kazakh, Russian and English,
//! and no language has a message the others lack.

use std::collections::BTreeSet;
use std::path::Path;

fn ids_defined(ftl: &str) -> BTreeSet<String> {
    ftl.lines()
        .filter(|l| l.chars().next().is_some_and(|c| c.is_ascii_lowercase()))
        .filter_map(|l| l.split_once(" =").map(|(id, _)| id.trim().to_string()))
        .collect()
}

/// Ids in `tr.t("…")` and `tr.fmt("…"` calls of the templates and sources.
fn ids_used() -> BTreeSet<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut used = BTreeSet::new();
    for dir in ["templates", "src"] {
        for entry in std::fs::read_dir(root.join(dir)).unwrap() {
            let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
            for call in [
                ".t(\"",
                ".fmt(\"",
                "\"task-",
                "\"objection-state-",
                "\"rec-state-",
                "\"stage-",
            ] {
                for part in text.split(call).skip(1) {
                    let id = part.split('"').next().unwrap();
                    let id = match call.strip_prefix('"') {
                        Some(prefix) => format!("{prefix}{id}"),
                        None => id.to_string(),
                    };
                    if id.chars().all(|c| c.is_ascii_lowercase() || c == '-') {
                        used.insert(id);
                    }
                }
            }
        }
    }
    used
}

#[test]
fn every_message_in_every_language() {
    let defined: Vec<(&str, BTreeSet<String>)> = bagalau_site::i18n::MESSAGES
        .iter()
        .map(|(_, file, text)| (*file, ids_defined(text)))
        .collect();
    let mut used = ids_used();
    // Ids made at run time.
    for (table, _) in bagalau_site::opendata::TABLES {
        used.insert(format!("table-{table}"));
    }
    for code in <bagalau_core::refusal::Refusal as bagalau_core::refusal::VariantNames>::VARIANTS {
        used.insert(bagalau_site::refusal::message_id(code));
    }
    for sector in bagalau_site::services::SECTORS {
        used.insert(format!("sector-{}", sector.replace('_', "-")));
    }
    for unit in bagalau_site::UNITS {
        used.insert(format!("unit-{}", format!("{unit:?}").to_lowercase()));
    }
    assert!(used.len() > 30, "the scan finds the calls: {used:?}");
    for (file, ids) in &defined {
        let missing: Vec<_> = used.difference(ids).collect();
        assert!(missing.is_empty(), "{file} lacks {missing:?}");
        for (other, theirs) in &defined {
            let extra: Vec<_> = ids.difference(theirs).collect();
            assert!(extra.is_empty(), "{file} has {extra:?} that {other} lacks");
        }
    }
    // And every file parses as Fluent.
    bagalau_site::i18n::Catalog::new().unwrap();
}
