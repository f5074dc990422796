//! A methodology pack (TOML), parsed and validated as `bagalau import pack`
//! does; a pack that loads is then compared with the shipped pack of its
//! year and scores that year's demonstration data, since its parameters
//! (points, thresholds, expressions) are what scoring computes with.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(m) = bagalau_core::pack::load("fuzz.toml", text) else {
        return;
    };
    if let Some(shipped) = bagalau_fuzz::pack_for_year(m.year) {
        let _ = bagalau_core::diff::diff(shipped, &m);
    }
    let data = bagalau_fuzz::demo_data(m.year)
        .or_else(|| bagalau_fuzz::demo_data(2023))
        .expect("the shipped years have demonstration data");
    let _ = bagalau_core::score::assess(&m, bagalau_fuzz::registry(), data);
});
