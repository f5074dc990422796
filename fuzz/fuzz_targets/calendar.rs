//! An operator's file of additions to the working-day calendar (TOML, the
//! `services.calendar` setting): merged into Kazakhstan's rules, then the
//! days off listed and working days counted over the years that
//! deadlines are judged in, as the services and citizens commands do.
#![no_main]
use chrono::NaiveDate;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // A clone of the rules parsed once: the same value `Rules::kazakhstan()`
    // gives, without parsing the embedded calendar again for each input.
    let Ok(rules) = bagalau_fuzz::calendar().clone().with_additions(text) else {
        return;
    };
    for year in [2016, 2023, 2024, 2025, 2026, 2027] {
        let _ = rules.days_off(year);
        let _ = rules.working_weekends(year);
        if let Ok((days, _)) = rules.working_days_with_next(year) {
            let first = NaiveDate::from_ymd_opt(year, 1, 1).expect("a date");
            let last = NaiveDate::from_ymd_opt(year, 12, 31).expect("a date");
            let _ = days.add(first, 20);
            let _ = days.add(last, 15);
            let _ = days.between(first, last);
        }
    }
});
