//! Uncertainty and sensitivity analysis on the ASEM index.

use bagalau_index::uncertainty::{Plan, analyse};
use bagalau_index::{Pipeline, table};

fn example(name: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/../../examples/asem/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn setup() -> (
    bagalau_index::Framework,
    bagalau_index::Data,
    Pipeline,
    Plan,
) {
    let fw = table::read_meta("m", &example("ASEM_iMeta.csv")).unwrap();
    let data = table::read_data("d", &example("ASEM_iData.csv"), &fw).unwrap();
    let pipeline = Pipeline::parse("p", &example("pipeline.toml")).unwrap();
    let mut plan = Plan::parse("u", &example("uncertainty.toml")).unwrap();
    plan.replications = 400;
    plan.sensitivity_samples = 100;
    plan.bootstrap = 50;
    (fw, data, pipeline, plan)
}

#[test]
fn the_analysis_is_seeded_and_sensible() {
    let (fw, data, pipeline, plan) = setup();
    let one = analyse(&fw, &data, &pipeline, &plan, &|_| {}).unwrap();
    let two = analyse(&fw, &data, &pipeline, &plan, &|_| {}).unwrap();
    assert_eq!(one, two, "the same seed gives the same analysis");
    assert_eq!(
        one.inputs,
        [
            "weights of level 1",
            "weights of level 2",
            "weights of level 3",
            "normalisation",
            "aggregation",
            "winmax"
        ]
    );
    assert_eq!(one.runs, 400 + 100 * (6 + 2));
    let n = one.units.len() as f64;
    for u in &one.units {
        assert!(u.p05 <= u.median && u.median <= u.p95, "{u:?}");
        assert!(u.p05 >= 1.0 && u.p95 <= n);
        assert!((0.0..=1.0).contains(&u.shifted));
    }
    // The nominal leader stays near the top.
    let top = one.units.iter().find(|u| u.nominal == 1).unwrap();
    assert!(top.median <= 3.0, "{top:?}");
    for s in &one.sensitivity {
        assert!(s.total_order >= -0.05, "{s:?}");
        assert!(s.first_order_ci.0 <= s.first_order_ci.1);
    }
    // Total-order indices add up to at least about the first-order ones.
    let (first, total): (f64, f64) = one.sensitivity.iter().fold((0.0, 0.0), |(f, t), s| {
        (f + s.first_order, t + s.total_order)
    });
    assert!(total + 0.1 >= first, "first {first}, total {total}");

    let mut other = plan.clone();
    other.seed += 1;
    assert_ne!(
        analyse(&fw, &data, &pipeline, &other, &|_| {})
            .unwrap()
            .units,
        one.units
    );
}

#[test]
fn without_uncertainty_every_replication_gives_the_nominal_ranks() {
    let (fw, data, pipeline, _) = setup();
    let plan = Plan::parse("u", "replications = 50\n").unwrap();
    let a = analyse(&fw, &data, &pipeline, &plan, &|_| {}).unwrap();
    for u in &a.units {
        assert_eq!(
            (u.median, u.p05, u.p95, u.shifted),
            (
                f64::from(u.nominal),
                f64::from(u.nominal),
                f64::from(u.nominal),
                0.0
            )
        );
    }
    assert!(a.sensitivity.is_empty());
}

#[test]
fn an_impossible_combination_is_reported_before_running() {
    let (fw, data, pipeline, _) = setup();
    let plan = Plan::parse("u", "replications = 10\n[[aggregate]]\nmethod = \"arithmetic\"\n[[aggregate]]\nmethod = \"geometric\"\n").unwrap();
    let err = analyse(&fw, &data, &pipeline, &plan, &|_| {})
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("a geometric mean needs positive values"),
        "{err}"
    );
}

#[test]
fn plan_errors_name_the_field() {
    let e = |t: &str| Plan::parse("u.toml", t).unwrap_err().to_string();
    assert_eq!(
        e("[weights]\nx = 0.2\n"),
        "u.toml: weights.x: a level is a whole number from 1"
    );
    assert_eq!(
        e("[weights]\n2 = 3\n"),
        "u.toml: weights.2: the noise factor must be between 0 and 1"
    );
    assert!(e("[[normalise]]\nmethod = \"cubic\"\n").contains("normalise alternative 1"));
}
