//! A composite-index pipeline file (TOML), as `bagalau index build
//! --config` reads it; a pipeline that reads builds a small index with
//! every kind of `iMeta` row, each step running with the fuzzed
//! parameters, and its outputs are written out.
#![no_main]
use bagalau_index::{Pipeline, build};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(pipeline) = Pipeline::parse("pipeline.toml", text) else {
        return;
    };
    let (framework, values) = bagalau_fuzz::small_index();
    if let Ok(b) = build(framework, values, &pipeline) {
        for d in &b.datasets {
            let _ = d.to_csv();
        }
        let _ = b.results_csv(framework);
        let _ = b.indicator_stats_csv();
        let _ = b.aggregate_stats_csv();
    }
});
