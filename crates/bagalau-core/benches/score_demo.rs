//! Scoring the whole demo: every body, five years, the full methodologies.
//! Target (issue 2): under 50 ms on a 2-core machine, release build.
//! Run: cargo bench -p bagalau-core --bench score_demo

use bagalau_core::data::YearData;
use bagalau_core::{pack, registry, score};
use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;

fn bench(c: &mut Criterion) {
    let reg = registry::load(bagalau_demo::REGISTRY.0, bagalau_demo::REGISTRY.1).unwrap();
    let years: Vec<(pack::Methodology, YearData)> = bagalau_demo::PACKS
        .iter()
        .map(|(file, text)| {
            let m = pack::load(file, text).unwrap();
            let data = YearData::from_observations(
                &bagalau_demo::generate(&m, &reg, bagalau_demo::DEFAULT_SEED),
                false,
            );
            (m, data)
        })
        .collect();
    let bodies: usize = years
        .iter()
        .map(|(m, _)| reg.evaluated_in(m.year).len())
        .sum();
    println!(
        "scoring {bodies} body-years over {} methodologies",
        years.len()
    );
    c.bench_function("score the whole demo (5 years, all bodies)", |b| {
        b.iter(|| {
            for (m, data) in &years {
                black_box(score::assess(black_box(m), &reg, data));
            }
        })
    });
    c.bench_function("load and validate the five packs", |b| {
        b.iter(|| {
            for (file, text) in bagalau_demo::PACKS {
                black_box(pack::load(file, text).unwrap());
            }
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
