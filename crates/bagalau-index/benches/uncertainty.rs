//! 10,000 Monte Carlo replications of the ASEM index (issue 3 target: at most
//! 1 s on a 2-core machine; COINr takes about 0.1 s per replication).
//! Run: cargo bench -p bagalau-index --bench uncertainty

use bagalau_index::uncertainty::{Plan, analyse};
use bagalau_index::{Pipeline, build, table};
use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;

fn example(name: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/../../examples/asem/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn bench(c: &mut Criterion) {
    let fw = table::read_meta("m", &example("ASEM_iMeta.csv")).unwrap();
    let data = table::read_data("d", &example("ASEM_iData.csv"), &fw).unwrap();
    let pipeline = Pipeline::parse("p", &example("pipeline.toml")).unwrap();
    let mut plan = Plan::parse("u", &example("uncertainty.toml")).unwrap();
    plan.replications = 10_000;
    plan.sensitivity_samples = 0;
    let mut group = c.benchmark_group("asem");
    group.sample_size(10);
    group.bench_function("build the index once (standard pipeline)", |b| {
        b.iter(|| black_box(build(&fw, &data, &pipeline).unwrap()))
    });
    group.bench_function(
        "10,000 Monte Carlo replications (weights, normalisation, aggregation, winmax)",
        |b| b.iter(|| black_box(analyse(&fw, &data, &pipeline, &plan, &|_| {}).unwrap())),
    );
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
