//! Reporting-data files with the mistakes analysts and broken exports make,
//! one fixture each in `fixtures/data_mistakes`, beside the diagnostics it
//! must give (`NAME.expected`), or, for what is no mistake, the values read.

use bagalau_core::{data, pack, registry};
use bagalau_demo::{PACKS, REGISTRY};
use std::path::Path;

#[test]
fn data_files_with_the_mistakes_of_analysts_and_exports() {
    let registry = registry::load(REGISTRY.0, REGISTRY.1).unwrap();
    let packs: Vec<_> = PACKS
        .iter()
        .map(|(f, t)| pack::load(f, t).unwrap())
        .collect();
    let lookup = |year: i32| packs.iter().find(|m| m.year == year);
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/data_mistakes");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "csv"))
        .collect();
    files.sort();
    assert!(files.len() >= 10);
    let mut failures = Vec::new();
    for path in files {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let expected = std::fs::read_to_string(path.with_extension("expected")).unwrap();
        let bytes = std::fs::read(&path).unwrap();
        let got = match bagalau_core::checked::utf8(&bytes) {
            Err(e) => format!("{name}: {e}"),
            Ok(text) => match data::parse_reporting_csv(&name, text, &registry, &lookup) {
                Ok(values) => format!("read {} values", values.len()),
                Err(d) => d.to_string(),
            },
        };
        if got != expected.trim_end() {
            failures.push(format!(
                "{name}:\n  expected: {}\n  got:      {got}",
                expected.trim_end()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
