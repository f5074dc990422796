//! Statistical series as tidy CSV (`entity,indicator,year,value[,source]`),
//! as `bagalau import series` reads and checks them against the shipped
//! performance pack; series that pass replace the demonstration values
//! they name, and the GPI and the NPI are computed on the result.
#![no_main]
use bagalau_core::performance::{self, SeriesLayout};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(obs) = performance::parse_series("fuzz.csv", text, SeriesLayout::Tidy) else {
        return;
    };
    let pack = bagalau_fuzz::performance_pack();
    let registry = bagalau_fuzz::registry();
    if performance::check_series("fuzz.csv", &obs, pack, registry).is_err() {
        return;
    }
    let mut series = bagalau_fuzz::series().clone();
    for o in &obs {
        series
            .values
            .entry((o.entity.clone(), o.indicator.clone()))
            .or_default()
            .insert(o.year, o.value);
    }
    let _ = performance::gpi(pack, registry, &series);
    let _ = performance::npi(pack, &series, pack.year);
});
