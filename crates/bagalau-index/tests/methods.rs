//! Data-driven tests of every method of the index engine: each file in
//! `fixtures/` holds a metadata table, a data table and cases (a pipeline
//! and the values expected in named data sets, computed by hand from the
//! formulas in docs/composite-index.md, or the error expected).

use bagalau_index::{Pipeline, build, table};
use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Fixture {
    meta: String,
    data: String,
    #[serde(rename = "case")]
    cases: Vec<Case>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    #[serde(default)]
    pipeline: String,
    /// Data set → column → values by unit (in data order after screening; "NA" = missing).
    #[serde(default)]
    expect: BTreeMap<String, BTreeMap<String, Vec<toml::Value>>>,
    /// Indicator → treatment, as the statistics print it.
    #[serde(default)]
    treatment: BTreeMap<String, String>,
    #[serde(default)]
    screened_out: Option<Vec<String>>,
    #[serde(default)]
    ranks: Option<Vec<toml::Value>>,
    /// The error expected (from reading the tables or from the build).
    #[serde(default)]
    error: Option<String>,
}

fn number(v: &toml::Value) -> Option<f64> {
    match v {
        toml::Value::Float(f) => Some(*f),
        toml::Value::Integer(i) => Some(*i as f64),
        _ => None,
    }
}

#[test]
fn method_fixtures() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    let mut failures = Vec::new();
    let mut checks = 0;
    for path in files {
        let file = path.file_name().unwrap().to_string_lossy().to_string();
        let f: Fixture = toml::from_str(&std::fs::read_to_string(&path).unwrap())
            .unwrap_or_else(|e| panic!("{file}: {e}"));
        for case in &f.cases {
            let label = format!("{file} / {}", case.name);
            let outcome = table::read_meta("iMeta", &f.meta)
                .map_err(|e| e.to_string())
                .and_then(|fw| {
                    table::read_data("iData", &f.data, &fw)
                        .map(|d| (fw, d))
                        .map_err(|e| e.to_string())
                })
                .and_then(|(fw, d)| {
                    let p =
                        Pipeline::parse("pipeline", &case.pipeline).map_err(|e| e.to_string())?;
                    build(&fw, &d, &p).map_err(|e| e.to_string())
                });
            let b = match (outcome, &case.error) {
                (Err(got), Some(want)) => {
                    checks += 1;
                    if &got != want {
                        failures.push(format!(
                            "{label}: expected error\n    {want}\n  got\n    {got}"
                        ));
                    }
                    continue;
                }
                (Err(got), None) => {
                    failures.push(format!("{label}: unexpected error: {got}"));
                    continue;
                }
                (Ok(_), Some(want)) => {
                    failures.push(format!(
                        "{label}: expected the error {want:?}, but it built"
                    ));
                    continue;
                }
                (Ok(b), None) => b,
            };
            for (dataset, columns) in &case.expect {
                let Some(d) = b.dataset(dataset) else {
                    failures.push(format!("{label}: no data set {dataset}"));
                    continue;
                };
                for (column, want) in columns {
                    let got = d
                        .column(column)
                        .unwrap_or_else(|| panic!("{label}: no column {column} in {dataset}"));
                    checks += 1;
                    let same = got.len() == want.len()
                        && got.iter().zip(want).all(|(g, w)| match (g, number(w)) {
                            (Some(g), Some(w)) => (g - w).abs() < 1e-9,
                            (None, None) => w.as_str() == Some("NA"),
                            _ => false,
                        });
                    if !same {
                        failures.push(format!(
                            "{label}: {dataset}.{column}: expected {want:?}, got {got:?}"
                        ));
                    }
                }
            }
            for (code, want) in &case.treatment {
                checks += 1;
                let got = b
                    .indicators
                    .iter()
                    .find(|s| &s.code == code)
                    .map(|s| s.treatment.to_string());
                if got.as_deref() != Some(want.as_str()) {
                    failures.push(format!(
                        "{label}: treatment of {code}: expected {want:?}, got {got:?}"
                    ));
                }
            }
            if let Some(want) = &case.screened_out {
                checks += 1;
                let got: Vec<&String> = b.screened_out.iter().map(|(u, _)| u).collect();
                if got.iter().map(|s| s.as_str()).collect::<Vec<_>>()
                    != want.iter().map(String::as_str).collect::<Vec<_>>()
                {
                    failures.push(format!(
                        "{label}: screened out: expected {want:?}, got {got:?}"
                    ));
                }
            }
            if let Some(want) = &case.ranks {
                checks += 1;
                let want: Vec<Option<u32>> =
                    want.iter().map(|v| number(v).map(|x| x as u32)).collect();
                if b.ranks != want {
                    failures.push(format!(
                        "{label}: ranks: expected {want:?}, got {:?}",
                        b.ranks
                    ));
                }
            }
        }
    }
    assert!(checks > 40, "only {checks} checks ran");
    assert!(
        failures.is_empty(),
        "{} failure(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
}
