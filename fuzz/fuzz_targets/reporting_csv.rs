//! Reporting data (CSV), checked against the shipped registry and the
//! methodology of each row's year as `bagalau import data` checks it;
//! data that pass are scored, as an import then rescores the year.
#![no_main]
use bagalau_core::data::{YearData, parse_reporting_csv};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let registry = bagalau_fuzz::registry();
    let lookup = |year: i32| bagalau_fuzz::pack_for_year(year);
    let Ok(obs) = parse_reporting_csv("fuzz.csv", text, registry, &lookup) else {
        return;
    };
    let Some(year) = obs.first().map(|o| o.year) else {
        return;
    };
    let of_year: Vec<_> = obs.iter().filter(|o| o.year == year).collect();
    let values = YearData::from_observations(of_year, false);
    if let Some(m) = bagalau_fuzz::pack_for_year(year) {
        let _ = bagalau_core::data::check_stored(registry, m, &values);
        let _ = bagalau_core::score::assess(m, registry, &values);
    }
});
