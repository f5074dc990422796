//! One fixture per mistake an analyst or a broken export makes, each file
//! beside what it must give (`NAME.expected`): every problem with its line
//! and column, the file refused whole; or, for what is no mistake (a
//! byte-order mark, a formula kept as text), the records read.

use bagalau_services::complaints;
use chrono::NaiveDate;
use std::path::Path;

/// `(file name, bytes, expected)` of every fixture in `dir`, sorted.
fn fixtures(dir: &str) -> Vec<(String, Vec<u8>, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "csv"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let expected = std::fs::read_to_string(p.with_extension("expected"))
                .unwrap_or_else(|_| panic!("{} has no .expected", p.display()));
            (
                p.file_name().unwrap().to_string_lossy().to_string(),
                std::fs::read(&p).unwrap(),
                expected.trim_end().to_string(),
            )
        })
        .collect()
}

#[test]
fn complaints_files_with_the_mistakes_of_analysts_and_exports() {
    let today = NaiveDate::from_ymd_opt(2024, 6, 30).unwrap();
    let cases = fixtures("tests/fixtures/mistakes/complaints");
    assert!(cases.len() >= 15);
    let mut failures = Vec::new();
    for (name, bytes, expected) in cases {
        let got = match bagalau_core::checked::utf8(&bytes) {
            Err(e) => e.to_string(),
            Ok(text) => match complaints::read_new(text, |b| b == "mia", today) {
                Ok(records) => format!("read {} records", records.len()),
                Err(problems) => problems
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("\n"),
            },
        };
        if got != expected {
            failures.push(format!(
                "{name}:\n  expected: {expected}\n  got:      {got}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
