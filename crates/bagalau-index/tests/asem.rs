//! The ASEM index (51 countries, 49 indicators, 4 levels) builds end to end
//! with the JRC's standard pipeline.

use bagalau_index::pipeline::Treatment;
use bagalau_index::{Pipeline, build, table};

fn example(name: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/../../examples/asem/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

#[test]
fn asem_builds_with_the_standard_pipeline() {
    let fw = table::read_meta("ASEM_iMeta.csv", &example("ASEM_iMeta.csv")).unwrap();
    assert_eq!(
        (fw.indicators.len(), fw.aggregates.len(), fw.levels()),
        (49, 11, 4)
    );
    let data = table::read_data("ASEM_iData.csv", &example("ASEM_iData.csv"), &fw).unwrap();
    assert_eq!(data.units.len(), 51);
    let pipeline = Pipeline::parse("pipeline.toml", &example("pipeline.toml")).unwrap();
    let b = build(&fw, &data, &pipeline).unwrap();
    let names: Vec<&str> = b.datasets.iter().map(|d| d.name).collect();
    assert_eq!(
        names,
        [
            "Raw",
            "Denominated",
            "Screened",
            "Imputed",
            "Treated",
            "Normalised",
            "Aggregated"
        ]
    );
    assert_eq!(b.index, "Index");
    // Screening at 90% availability keeps most countries.
    assert_eq!(b.units.len() + b.screened_out.len(), 51);
    for (_, a) in &b.screened_out {
        assert!(*a < 0.9);
    }
    // After group-mean imputation nothing is missing.
    let imputed = b.dataset("Imputed").unwrap();
    assert!(imputed.values.iter().all(|c| c.iter().all(Option::is_some)));
    // Min-max puts every indicator on 0..100 with both ends reached.
    let norm = b.dataset("Normalised").unwrap();
    for col in &norm.values {
        let v: Vec<f64> = col.iter().flatten().copied().collect();
        assert!(v.iter().all(|x| (0.0..=100.0).contains(x)));
        assert!(v.contains(&0.0) && v.contains(&100.0));
    }
    // Some indicators are skewed enough to be treated.
    assert!(
        b.indicators
            .iter()
            .any(|s| matches!(s.treatment, Treatment::Winsorised { .. }))
    );
    // Every unit has an index and a rank; ranks run from 1.
    assert!(b.scores.iter().all(Option::is_some));
    let mut ranks: Vec<u32> = b.ranks.iter().flatten().copied().collect();
    ranks.sort_unstable();
    assert_eq!(ranks[0], 1);
    let results = b.results_csv(&fw);
    assert!(results.starts_with("uCode,uName,Index,Rank,Conn,Sust,"));
    insta::assert_snapshot!("asem_results", results);
}
