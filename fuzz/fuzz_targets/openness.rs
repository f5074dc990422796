//! Openness records or a body's figures (CSV, the kind told by the
//! header), as `bagalau openness import` reads them: checked cell by cell,
//! kept in their canonical CSV (read back on every later command), checked
//! for figures that records also give, and turned into the year's values.
#![no_main]
use bagalau_services::openness::{self, Counting};
use chrono::NaiveDate;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok((kind, records)) = openness::read(text, bagalau_fuzz::known_body) else {
        return;
    };
    let kept = records.to_csv(kind);
    match openness::read(&kept, |_| true) {
        Ok((kind_again, again)) => {
            assert_eq!(kind_again, kind, "kept records read back as another kind");
            assert_eq!(again.to_csv(kind), kept, "kept records read back changed");
        }
        Err(problems) => panic!("kept records do not read back: {problems:?}\n{kept}"),
    }
    let _ = openness::conflicts(&records);
    for year in [2022, 2023, 2024] {
        let counting = Counting {
            year,
            as_of: NaiveDate::from_ymd_opt(year, 12, 31).expect("a date"),
            discussion_days: 10,
            dialogue_working_days: 15,
            calendar: bagalau_fuzz::calendar(),
        };
        let _ = openness::values(&records, counting);
    }
});
