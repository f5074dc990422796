//! Complaints and applications (CSV), as `bagalau complaints import` reads
//! them: checked cell by cell, then kept in their canonical CSV, which is
//! read back on every later command, and counted on the working-day
//! calendar for the year of the first record.
#![no_main]
use bagalau_services::complaints::{self, Counting, Terms};
use chrono::{Datelike, NaiveDate};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(records) = complaints::read(text, bagalau_fuzz::known_body) else {
        return;
    };
    let kept = complaints::to_csv(&records);
    match complaints::read(&kept, |_| true) {
        Ok(again) => assert_eq!(
            complaints::to_csv(&again),
            kept,
            "kept records read back changed"
        ),
        Err(problems) => panic!("kept records do not read back: {problems:?}\n{kept}"),
    }
    let Some(year) = records.first().map(|r| r.received.year()) else {
        return;
    };
    let Some(as_of) = NaiveDate::from_ymd_opt(year, 12, 31) else {
        return;
    };
    for by in ["body", "month", "kind"] {
        let group_of = complaints::breakdown(by).expect("a known breakdown");
        let counting = Counting {
            year,
            as_of,
            terms: Terms::default(),
            calendar: bagalau_fuzz::calendar(),
        };
        let _ = complaints::count(&records, counting, group_of);
    }
});
