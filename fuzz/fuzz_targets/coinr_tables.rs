//! COINr's tables, as `bagalau index build --meta --data` reads them: an
//! input with a NUL byte is `iMeta` before it and `iData` after, read
//! against each other; without one, the input is read both as an `iMeta`
//! and as an `iData` of the ASEM framework. Tables that read are built
//! into an index with the default pipeline, and its outputs written out.
#![no_main]
use bagalau_index::{Pipeline, build, table};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (meta, rest) = bagalau_fuzz::split_nul(data);
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let own;
    let framework = match meta {
        Some(bytes) => {
            let Ok(meta) = std::str::from_utf8(bytes) else {
                return;
            };
            let Ok(f) = table::read_meta("iMeta", meta) else {
                return;
            };
            own = f;
            &own
        }
        None => {
            let _ = table::read_meta("iMeta", text);
            bagalau_fuzz::asem_framework()
        }
    };
    let Ok(values) = table::read_data("iData", text, framework) else {
        return;
    };
    let _ = values.times();
    if let Ok(b) = build(framework, &values, &Pipeline::default()) {
        for d in &b.datasets {
            let _ = d.to_csv();
        }
        let _ = b.results_csv(framework);
        let _ = b.indicator_stats_csv();
        let _ = b.aggregate_stats_csv();
    }
});
