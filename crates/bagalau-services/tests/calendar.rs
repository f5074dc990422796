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
    // 2022: Saturday 22 October worked, Monday 24 October off before
    // Republic Day on Tuesday 25 October.
    assert!(working(2022, 10, 22));
    assert!(!working(2022, 10, 24) && !working(2022, 10, 25));
    // 2025: Sunday 5 January worked, Friday 3 January off; 8 May was not
    // moved; Republic Day on Saturday 25 October gave Monday 27 October.
    assert!(working(2025, 1, 5) && !working(2025, 1, 3));
    assert!(working(2025, 5, 8));
    assert!(!working(2025, 10, 27));
}

/// A hypothetical date for the tests below: these tests are about how
/// additions combine with the built-in rules, not about 2027's real date.
const ADDED_2027: &str = "[[movable]]\nname = \"Kurban Ait\"\ndates = [\"2027-05-17\"]\n";

#[test]
fn additions_give_the_years_a_release_does_not_know() {
    let (days, gap) = Rules::kazakhstan().working_days_with_next(2026).unwrap();
    assert!(
        matches!(gap, Some(CalendarError::MovableUnknown { year: 2027, .. })),
        "{gap:?}"
    );
    // 31 December 2026 is the last day known: a deadline into 2027 has no end.
    assert_eq!(days.add(d(2026, 12, 30), 5), None);

    let rules = Rules::kazakhstan().with_additions(ADDED_2027).unwrap();
    let (days, gap) = rules.working_days_with_next(2026).unwrap();
    assert!(gap.is_none(), "{gap:?}");
    // Wednesday 30 December 2026: 31 December, then 1-2 January (New
    // Year, Friday and Saturday: Monday 4 January off), 5 and 6 January.
    assert_eq!(days.add(d(2026, 12, 30), 3), Some(d(2027, 1, 6)));
    let days = rules.working_days(2027, 2027).unwrap();
    assert_eq!(days.is_working(d(2027, 5, 17)), Some(false));
    assert!(
        rules
            .source()
            .starts_with(bagalau_services::calendar::KAZAKHSTAN)
    );
    assert!(rules.source().ends_with(ADDED_2027));
}

#[test]
fn the_whole_calendar_copied_with_a_new_date_counts_as_the_new_date_alone() {
    let copy = bagalau_services::calendar::KAZAKHSTAN
        .replace("\"2026-05-27\",", "\"2026-05-27\", \"2027-05-17\",");
    assert!(copy.contains("2027-05-17"));
    let copied = Rules::kazakhstan().with_additions(&copy).unwrap();
    let added = Rules::kazakhstan().with_additions(ADDED_2027).unwrap();
    for year in [2014, 2021, 2023, 2025, 2027] {
        assert_eq!(
            copied.days_off(year).unwrap(),
            added.days_off(year).unwrap(),
            "{year}"
        );
        assert_eq!(
            copied.working_weekends(year),
            added.working_weekends(year),
            "{year}"
        );
    }
}

#[test]
fn an_added_date_replaces_the_known_one_of_its_year_only() {
    let rules = Rules::kazakhstan()
        .with_additions("[[movable]]\nname = \"Kurban Ait\"\ndates = [\"2026-05-28\"]\n")
        .unwrap();
    let days = rules.working_days(2025, 2026).unwrap();
    assert_eq!(days.is_working(d(2026, 5, 27)), Some(true));
    assert_eq!(days.is_working(d(2026, 5, 28)), Some(false));
    assert_eq!(days.is_working(d(2025, 6, 6)), Some(false));
}

#[test]
fn additions_bring_transfers_and_are_checked_like_the_calendar() {
    let added =
        "[[transfer]]\nworks = \"2026-03-07\"\nrests = \"2026-03-10\"\nsource = \"a test\"\n";
    let rules = Rules::kazakhstan().with_additions(added).unwrap();
    let days = rules.working_days(2026, 2026).unwrap();
    assert_eq!(days.is_working(d(2026, 3, 7)), Some(true));
    assert_eq!(days.is_working(d(2026, 3, 10)), Some(false));
    // A transfer the release already has is not counted twice.
    let again =
        "[[transfer]]\nworks = \"2024-05-04\"\nrests = \"2024-05-08\"\nsource = \"again\"\n";
    let rules = Rules::kazakhstan().with_additions(again).unwrap();
    assert_eq!(rules.working_weekends(2024).len(), 1);
    let err = Rules::kazakhstan()
        .with_additions(
            "[[transfer]]\nworks = \"2027-01-06\"\nrests = \"2027-01-08\"\nsource = \"x\"\n",
        )
        .unwrap_err();
    assert!(err.to_string().contains("2027-01-06"), "{err}");
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
fn a_transfer_onto_a_weekend_is_refused() {
    // 2024-05-04 is a Saturday, 2024-05-05 a Sunday: moving the day off
    // there once added a working day (Saturday worked, Sunday off anyway).
    let err = Rules::parse(
        "[[transfer]]\nworks = \"2024-05-04\"\nrests = \"2024-05-05\"\nsource = \"x\"\n",
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "calendar: a transfer moves a day off to 2024-05-05, which is a weekend already: the worked day 2024-05-04 would add a working day"
    );
}

#[test]
fn the_days_off_of_2023() {
    let off = Rules::kazakhstan().days_off(2023).unwrap();
    let listed: Vec<String> = off.iter().map(|(d, why)| format!("{d} {why}")).collect();
    insta::assert_snapshot!(listed.join("\n"));
}

/// A term of u32::MAX working days (a hostile API query) ends past the
/// calendar: no end, no overflow.
#[test]
fn an_endless_term_has_no_end_and_no_overflow() {
    let (days, _) = Rules::kazakhstan().working_days_with_next(2025).unwrap();
    assert_eq!(days.add(d(2025, 4, 1), u32::MAX), None);
    assert_eq!(days.add(d(2025, 4, 1), 15), Some(d(2025, 4, 22)));
}
