//! The pack expression language: lexed, parsed, type-checked and
//! evaluated on values with a missing one and a zero (for the
//! missing-data and division-by-zero paths).
#![no_main]
use bagalau_core::expr::Expr;
use libfuzzer_sys::fuzz_target;

/// Every identifier names one of the values below, except those starting
/// with `z`, which are unknown (the resolution error's path).
fn resolve(name: &str) -> Option<usize> {
    if name.starts_with('z') {
        None
    } else {
        Some(name.len() % VALUES.len())
    }
}

const VALUES: [Option<f64>; 6] = [
    Some(3.0),
    Some(0.0),
    None,
    Some(-1.5),
    Some(1e300),
    Some(f64::MIN_POSITIVE),
];

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(e) = Expr::parse(text, &resolve) {
        let _ = e.eval(&VALUES);
        let _ = e.divisions();
        let _ = e.as_indicator();
    }
});
