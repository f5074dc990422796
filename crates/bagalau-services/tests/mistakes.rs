//! One fixture per mistake an analyst or a broken export makes, each file
//! beside what it must give (`NAME.expected`): every problem with its line
//! and column, the file refused whole; or, for what is no mistake (a
//! byte-order mark, a formula kept as text), the records read. A reader
//! that panics on a fixture fails it by name.

use bagalau_services::Problem;
use bagalau_services::complaints;
use bagalau_services::questionnaire::Questionnaire;
use bagalau_services::register::Register;
use bagalau_services::responses;
use chrono::NaiveDate;
use std::path::Path;

/// `(file name, bytes, expected)` of every fixture in `dir` whose name
/// ends in `.extension`, sorted.
fn fixtures(dir: &str, extension: &str) -> Vec<(String, Vec<u8>, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == extension))
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

/// What a reader said: the records it read, or its problems, one a line.
fn said(read: Result<usize, Vec<Problem>>) -> String {
    match read {
        Ok(records) => format!("read {records} records"),
        Err(problems) => problems
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n"),
    }
}

/// A text file's bytes read as its importer reads them: placed by line
/// and column where they are not UTF-8.
fn text_file(bytes: &[u8], read: impl Fn(&str) -> String) -> String {
    match bagalau_core::checked::utf8(bytes) {
        Err(e) => e.to_string(),
        Ok(text) => read(text),
    }
}

/// Runs `read` on every fixture; fails with every one that said something
/// else than expected, or panicked.
fn compare(cases: Vec<(String, Vec<u8>, String)>, read: impl Fn(&[u8]) -> String) {
    let mut failures = Vec::new();
    for (name, bytes, expected) in cases {
        let got = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| read(&bytes)))
            .unwrap_or_else(|_| "the reader panicked".to_string());
        if got != expected {
            failures.push(format!(
                "{name}:\n  expected: {expected}\n  got:      {got}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn complaints_files_with_the_mistakes_of_analysts_and_exports() {
    let today = NaiveDate::from_ymd_opt(2024, 6, 30).unwrap();
    let cases = fixtures("tests/fixtures/mistakes/complaints", "csv");
    assert!(cases.len() >= 15);
    compare(cases, |bytes| {
        text_file(bytes, |text| {
            said(complaints::read_new(text, |b| b == "mia", today).map(|r| r.len()))
        })
    });
}

#[test]
fn registers_with_the_mistakes_of_analysts_and_exports() {
    let cases = fixtures("tests/fixtures/mistakes/register", "csv");
    assert!(cases.len() >= 25);
    compare(cases, |bytes| {
        text_file(bytes, |text| {
            said(Register::from_csv(text).map(|r| r.versions().len()))
        })
    });
}

/// The register as `bagalau services` reads a workbook: its first sheet's
/// table, then the same checks as a CSV's. The workbooks were made by
/// LibreOffice Calc (the folder's README says how); a sheet's row is named
/// "line", as a CSV's.
#[test]
fn register_workbooks_with_the_mistakes_of_analysts_and_spreadsheets() {
    let cases = fixtures("tests/fixtures/mistakes/register", "xlsx");
    assert!(cases.len() >= 15);
    compare(cases, |bytes| match bagalau_xlsx::read_table(bytes) {
        Err(e) => e,
        Ok(table) => {
            said(Register::from_table(&table.header, table.rows).map(|r| r.versions().len()))
        }
    });
}

#[test]
fn survey_exports_with_the_mistakes_of_analysts_and_exports() {
    let questionnaire = Questionnaire::from_toml(include_str!(
        "../../bagalau-demo/data/services/satisfaction.toml"
    ))
    .unwrap();
    let cases = fixtures("tests/fixtures/mistakes/surveys", "csv");
    assert!(cases.len() >= 20);
    compare(cases, |bytes| {
        text_file(bytes, |text| {
            said(responses::read_export(text, &questionnaire, |_| true).map(|r| r.len()))
        })
    });
}
