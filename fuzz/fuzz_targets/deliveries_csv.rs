//! A delivery-records CSV, imported as `bagalau services import` does:
//! read as a stream, every row checked, good rows staged as Parquet per
//! month and moved into place, bad rows quarantined. The importer writes
//! files, so each input gets a fresh temporary folder; the bytes go in as
//! they are (the importer reads bytes). Both modes run: all or nothing,
//! and keeping the good rows.
#![no_main]
use bagalau_analytics::import::{Target, import_csv};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let dir = tempfile::tempdir().expect("a temporary folder");
    for keep_good_rows in [false, true] {
        let root = dir.path().join("deliveries");
        let quarantine = dir.path().join("quarantine.csv");
        let target = Target {
            providers: None,
            root: &root,
            name: "fuzz",
            quarantine: &quarantine,
            keep_good_rows,
        };
        let _ = import_csv(data, target, |_| {});
    }
});
