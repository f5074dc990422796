//! Kazakhstan's working days, checked against the days off announced for
//! past years (the sources are in `data/kz-calendar.toml`).

use bagalau_services::calendar::{CalendarError, Rules};
use chrono::NaiveDate;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn working(y: i32, m: u32, day: u32) -> bool {
    Rules::kazakhstan()
        .working_days(y, y)
        .unwrap()
        .is_working(d(y, m, day))
        .unwrap()
}

#[test]
fn a_holiday_on_a_weekend_gives_the_next_working_day_off() {
    // 2014: 8 March was a Saturday, so Monday 10 March was off; Nauryz
    // (21-23 March) took Friday to Sunday, so Monday and Tuesday were off.
    assert!(!working(2014, 3, 10));
    assert!(working(2014, 3, 11));
    assert!(!working(2014, 3, 24) && !working(2014, 3, 25));
    assert!(working(2014, 3, 26));
    // 2011: Independence Day on Friday 16 and Saturday 17 December: Monday 19 off.
    assert!(!working(2011, 12, 19));
    assert!(working(2011, 12, 20));
    // 2021: 2 January a Saturday: Monday 4 January off; 7 January (Christmas) off.
    assert!(!working(2021, 1, 4) && working(2021, 1, 5) && !working(2021, 1, 7));
}

#[test]
fn kurban_ait_and_christmas_are_never_carried() {
    // 2019: the first day of Kurban Ait was Sunday 11 August; Monday worked.
    assert!(working(2019, 8, 12));
    // 2023: Christmas on a Saturday; Monday 9 January worked.
    assert!(working(2023, 1, 9));
    // A weekday Kurban Ait is a day off: Wednesday 28 June 2023.
    assert!(!working(2023, 6, 28));
}

#[test]
fn the_governments_transfers_move_a_saturday() {
    // 2021: Saturday 3 July worked, Monday 5 July off, Tuesday 6 July Capital Day.
    assert!(working(2021, 7, 3));
    assert!(!working(2021, 7, 5) && !working(2021, 7, 6));
    // 2024: Saturday 4 May worked; 7, 8 (moved) and 9 May off.
    assert!(working(2024, 5, 4));
    assert!(!working(2024, 5, 7) && !working(2024, 5, 8) && !working(2024, 5, 9));
}

#[test]
fn holidays_change_with_the_law() {
    // Independence Day was 16-17 December until 2021, 16 December since 2022.
    assert!(!working(2021, 12, 17));
    assert!(working(2024, 12, 17));
    // Republic Day (25 October) since 2022; First President's Day (1 December) until 2021.
    assert!(!working(2023, 10, 25));
    assert!(working(2021, 10, 25));
    assert!(!working(2020, 12, 1));
    assert!(working(2022, 12, 1));
}

#[test]
fn deadlines_count_working_days_after_the_request() {
    let days = Rules::kazakhstan().working_days(2024, 2024).unwrap();
    // Requested on Friday 3 May 2024: Saturday 4 May is a working day (moved),
    // 7-9 May are off.
    assert_eq!(days.add(d(2024, 5, 3), 1), Some(d(2024, 5, 4)));
    assert_eq!(days.add(d(2024, 5, 3), 2), Some(d(2024, 5, 6)));
    assert_eq!(days.add(d(2024, 5, 3), 3), Some(d(2024, 5, 10)));
    // Requested on a day off: counting starts with the next working day.
    assert_eq!(days.add(d(2024, 5, 8), 1), Some(d(2024, 5, 10)));
    assert_eq!(days.between(d(2024, 5, 3), d(2024, 5, 10)), Some(3));
    // Past the calendar's end there is no answer, not a guess.
    assert_eq!(days.add(d(2024, 12, 30), 5), None);
}

#[test]
fn a_year_whose_movable_holiday_is_unknown_is_an_error() {
    let err = Rules::kazakhstan().working_days(2030, 2030).unwrap_err();
    assert!(
        matches!(err, CalendarError::MovableUnknown { year: 2030, .. }),
        "{err}"
    );
}

#[test]
fn a_transfer_of_a_weekday_is_refused() {
    let err = Rules::parse(
        "[[transfer]]\nworks = \"2024-05-06\"\nrests = \"2024-05-08\"\nsource = \"x\"\n",
    )
    .unwrap_err();
    assert!(err.to_string().contains("2024-05-06"), "{err}");
}

#[test]
fn the_days_off_of_2023() {
    let off = Rules::kazakhstan().days_off(2023).unwrap();
    let listed: Vec<String> = off.iter().map(|(d, why)| format!("{d} {why}")).collect();
    insta::assert_snapshot!(listed.join("\n"));
}
