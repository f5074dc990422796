//! Bagalau's plain responses CSV, the form survey imports are kept in and
//! read back from by `bagalau services satisfaction`, then estimated by
//! every breakdown for every measure it has.
#![no_main]
use bagalau_services::responses::{self, BREAKDOWNS};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(read) = responses::from_csv(text) else {
        return;
    };
    let measures: std::collections::BTreeSet<&String> =
        read.iter().flat_map(|r| r.scores.keys()).collect();
    for measure in measures {
        for by in BREAKDOWNS {
            let group_of = responses::breakdown(by).expect("a known breakdown");
            let _ = responses::estimates(&read, measure, group_of, 1);
        }
    }
});
