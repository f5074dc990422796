//! A performance pack (TOML), as `bagalau import performance` loads it; a
//! pack that loads computes the GPI and the NPI on the demonstration
//! series, since its saturation, tolerance, weights and targets are what
//! those formulas compute with.
#![no_main]
use bagalau_core::performance;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(pack) = performance::load("fuzz.toml", text) else {
        return;
    };
    let _ = pack.referenced_bodies();
    let series = bagalau_fuzz::series();
    let _ = performance::gpi(&pack, bagalau_fuzz::registry(), series);
    let _ = performance::npi(&pack, series, pack.year);
});
