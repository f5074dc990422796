//! Complaints and openness records read and counted, against values worked
//! out by hand on Kazakhstan's 2023-2024 calendar (the counts are in the
//! comments; `docs/citizens.md` has the definitions).

use bagalau_services::calendar::Rules;
use bagalau_services::complaints::{self, Complaint, Counting, Counts, Terms, breakdown};
use bagalau_services::openness::{self, Aggregate, Kind, Records, Source};
use bagalau_services::{Problem, openness::OpennessError};
use chrono::NaiveDate;

const COMPLAINTS: &str = include_str!("fixtures/citizens/complaints.csv");

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn known(body: &str) -> bool {
    ["mia", "moj", "minfin", "mne", "mfa", "akimat_astana"].contains(&body)
}

fn complaints_2023(by: &str) -> std::collections::BTreeMap<String, Counts> {
    let records = complaints::read(COMPLAINTS, known).unwrap();
    let rules = Rules::kazakhstan();
    let counting = Counting {
        year: 2023,
        as_of: d("2024-02-01"),
        terms: Terms::default(),
        calendar: &rules,
    };
    complaints::count(&records, counting, breakdown(by).unwrap()).unwrap()
}

#[test]
fn due_dates_skip_weekends_holidays_and_moved_days_off() {
    let records = complaints::read(COMPLAINTS, known).unwrap();
    let rules = Rules::kazakhstan();
    let days = rules.working_days(2023, 2024).unwrap();
    let due = |body: &str, id: &str| {
        records
            .iter()
            .find(|r: &&Complaint| r.body == body && r.id == id)
            .unwrap()
            .due(&Terms::default(), &days)
            .unwrap()
    };
    // Friday 3 March + 15 working days: 8 March (Women's Day) and 21-23
    // March (Nauryz) are off; 6,7,9,10,13-17,20,24,27-30 March.
    assert_eq!(due("mia", "A-1"), d("2023-03-30"));
    // Friday 15 December + 20 working days: 18 December is Independence
    // Day carried from Saturday 16th; 1-2 January are off; Sunday 7
    // January (Christmas) is not carried. 19-22, 25-29 Dec; 3-5, 8-12,
    // 15-17 Jan.
    assert_eq!(due("mia", "C-1"), d("2024-01-17"));
    // Tuesday 27 June + 20 working days: 28 June Kurban Ait, Saturday 1
    // July worked and Friday 7 July rested by decree, 6 July Capital Day.
    // 29, 30 Jun, 1, 3-5, 10-14, 17-21, 24-27 Jul.
    assert_eq!(due("moj", "C-1"), d("2023-07-27"));
    // A due date in the record is kept.
    assert_eq!(due("mia", "C-2"), d("2024-02-15"));
}

#[test]
fn complaint_counts_by_body() {
    let by_body = complaints_2023("body");
    // mia received seven in 2023: A-2 answered a day late (31 March), C-1
    // unanswered and past its due date (17 January) on 1 February; C-2 not
    // yet due. Court: A-3 (justified), A-4, A-5. Repeated and substantiated:
    // A-3 only (A-4 is repeated but unfounded).
    assert_eq!(
        by_body["mia"],
        Counts {
            total: 7,
            answered: 5,
            pending: 1,
            overdue: 2,
            court_cases: 3,
            court_justified: 1,
            repeated_substantiated: 1,
        }
    );
    // moj: A-2 was received in 2022; C-1 answered on its due day.
    assert_eq!(
        by_body["moj"],
        Counts {
            total: 2,
            answered: 2,
            pending: 0,
            overdue: 0,
            court_cases: 0,
            court_justified: 0,
            repeated_substantiated: 1,
        }
    );
    let mia = by_body["mia"];
    assert!((mia.overdue_percent().unwrap() - 200.0 / 7.0).abs() < 1e-9);
    assert!((mia.court_justified_percent().unwrap() - 100.0 / 3.0).abs() < 1e-9);
    assert!((mia.repeated_substantiated_percent().unwrap() - 100.0 / 7.0).abs() < 1e-9);
    assert_eq!(by_body["moj"].court_justified_percent(), None);
    assert_eq!(mia.get("overdue"), Some(2));
    assert_eq!(mia.get("speed"), None);
}

#[test]
fn complaint_counts_by_month_and_region() {
    let by_month = complaints_2023("month");
    let totals: Vec<(&str, u64)> = by_month
        .iter()
        .map(|(m, c)| (m.as_str(), c.total))
        .collect();
    assert_eq!(
        totals,
        [
            ("2023-03", 2),
            ("2023-04", 1),
            ("2023-05", 1),
            ("2023-06", 2),
            ("2023-07", 1),
            ("2023-12", 2),
        ]
    );
    let by_region = complaints_2023("region");
    // moj's C-1 has no region; Astana: mia's and
    // moj's A-1 (its A-2 is of 2022); Abai: C-1 (overdue), C-2, A-4.
    assert_eq!(by_region["(none)"].total, 1);
    assert_eq!(by_region["astana"].total, 5);
    assert_eq!(by_region["abai"].total, 3);
    assert_eq!(by_region["abai"].overdue, 1);
}

#[test]
fn an_answer_judged_on_a_later_reference_date_is_unchanged_and_an_unanswered_one_becomes_overdue() {
    let records = complaints::read(COMPLAINTS, known).unwrap();
    let rules = Rules::kazakhstan();
    let on = |as_of: &str| {
        let counting = Counting {
            year: 2023,
            as_of: d(as_of),
            terms: Terms::default(),
            calendar: &rules,
        };
        complaints::count(&records, counting, breakdown("body").unwrap()).unwrap()["mia"]
    };
    // On 17 January C-1 is on its last day: not yet overdue.
    assert_eq!((on("2024-01-17").overdue, on("2024-01-17").pending), (1, 2));
    assert_eq!((on("2024-01-18").overdue, on("2024-01-18").pending), (2, 1));
    // After 15 February C-2 too.
    assert_eq!((on("2024-02-16").overdue, on("2024-02-16").pending), (3, 0));
}

#[test]
fn longer_terms_are_a_parameter() {
    let records = complaints::read(COMPLAINTS, known).unwrap();
    let rules = Rules::kazakhstan();
    let counting = Counting {
        year: 2023,
        as_of: d("2024-02-01"),
        terms: Terms {
            application_working_days: 16,
            complaint_working_days: 20,
        },
        calendar: &rules,
    };
    let mia = complaints::count(&records, counting, breakdown("body").unwrap()).unwrap()["mia"];
    // A-2's 16th working day is 31 March: on time now.
    assert_eq!(mia.overdue, 1);
}

fn at(line: usize, column: &str) -> (usize, String) {
    (line, column.to_string())
}

#[test]
fn every_bad_complaint_cell_is_named_and_nothing_is_read() {
    let text = include_str!("fixtures/citizens/bad_complaints.csv");
    let problems: Vec<Problem> = complaints::read(text, known).unwrap_err();
    let places: Vec<(usize, String)> = problems
        .iter()
        .map(|p| (p.line, p.column.clone()))
        .collect();
    assert_eq!(
        places,
        [
            at(3, "id"),
            at(4, "body"),
            at(4, "kind"),
            at(4, "received"),
            at(5, "substantiated"),
            at(5, "due"),
            at(5, "answered"),
            at(5, "outcome"),
            at(5, "court_justified"),
            at(6, "answered"),
            at(6, "court_justified"),
        ],
        "{problems:#?}"
    );
    assert_eq!(
        problems[0].to_string(),
        "line 3, column `id`: mia registered `A-1` also on line 2: an id is unique within its body"
    );
    assert!(
        problems[3]
            .message
            .contains("`2023-02-30` is not a day of the calendar")
    );
    assert!(problems[4].message.contains("`maybe`"));
}

#[test]
fn a_complaints_header_without_its_columns_is_refused() {
    let problems = complaints::read("id,body,kind\nA,mia,complaint\n", known).unwrap_err();
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].line, 1);
    assert!(
        problems[0].message.contains(
            "received, due, answered, outcome, substantiated, repeated, court_case, court_justified"
        ),
        "{}",
        problems[0]
    );
    let ragged = "id,body,kind,received,due,answered,outcome,substantiated,repeated,court_case,court_justified\nA,mia\n";
    assert_eq!(complaints::read(ragged, known).unwrap_err()[0].line, 2);
}

#[test]
fn complaints_round_trip_through_the_kept_form_and_merge_once() {
    let records = complaints::read(COMPLAINTS, known).unwrap();
    let kept = complaints::to_csv(&records);
    let mut back = complaints::read(&kept, known).unwrap();
    assert_eq!(back.len(), records.len());
    for r in &records {
        assert!(back.contains(r), "{r:?}");
    }
    // The same file again adds nothing.
    let again = complaints::merge(&mut back, records.clone(), |r| {
        (r.body.clone(), r.id.clone())
    })
    .unwrap();
    assert_eq!((again.added, again.again), (0, records.len()));
    // A record changed at the source is refused, not overwritten.
    let mut edited = records[0].clone();
    edited.answered = Some(d("2023-04-03"));
    let conflicts =
        complaints::merge(&mut back, vec![edited], |r| (r.body.clone(), r.id.clone())).unwrap_err();
    assert_eq!(conflicts.len(), 1);
    assert!(conflicts[0].starts_with("mia `A-1` was imported before"));
}

fn openness_records() -> Records {
    let mut all = Records::default();
    for text in [
        include_str!("fixtures/citizens/open_data.csv"),
        include_str!("fixtures/citizens/budget_documents.csv"),
        include_str!("fixtures/citizens/budget_comments.csv"),
        include_str!("fixtures/citizens/legal_acts.csv"),
        include_str!("fixtures/citizens/dialogue.csv"),
        include_str!("fixtures/citizens/aggregates.csv"),
    ] {
        let (kind, records) = openness::read(text, known).unwrap();
        all.merge(kind, records).unwrap();
    }
    all
}

fn counting(rules: &Rules) -> openness::Counting<'_> {
    openness::Counting {
        year: 2023,
        as_of: d("2024-02-01"),
        discussion_days: 10,
        dialogue_working_days: 15,
        calendar: rules,
    }
}

#[test]
fn every_kind_of_openness_record_is_recognised_by_its_header() {
    let kinds: Vec<Kind> = [
        include_str!("fixtures/citizens/open_data.csv"),
        include_str!("fixtures/citizens/budget_documents.csv"),
        include_str!("fixtures/citizens/budget_comments.csv"),
        include_str!("fixtures/citizens/legal_acts.csv"),
        include_str!("fixtures/citizens/dialogue.csv"),
        include_str!("fixtures/citizens/aggregates.csv"),
    ]
    .iter()
    .map(|t| openness::read(t, known).unwrap().0)
    .collect();
    assert_eq!(kinds, Kind::ALL);
    let records = openness_records();
    assert_eq!(records.len(Kind::Dialogue), 7);
    for kind in Kind::ALL {
        let (k, back) = openness::read(&records.to_csv(kind), known).unwrap();
        assert_eq!(k, kind);
        assert_eq!(back.len(kind), records.len(kind), "{kind:?}");
    }
}

#[test]
fn openness_values_per_body() {
    let rules = Rules::kazakhstan();
    let values = openness::values(&openness_records(), counting(&rules)).unwrap();
    let of = |body: &str, name: &str| values[body][name].value;
    // Open data due in 2023: pop-1 published on its due day, pop-2 three
    // days late, pop-3 not at all; pop-4 is due in 2024.
    assert_eq!(of("mia", "datasets_planned"), 3.0);
    assert_eq!(of("mia", "datasets_on_time"), 1.0);
    assert_eq!(of("minfin", "datasets_on_time"), 1.0);
    // Budget documents: the 2022 report four days late.
    assert_eq!(of("akimat_astana", "budget_documents_required"), 3.0);
    assert_eq!(of("akimat_astana", "budget_documents_on_time"), 2.0);
    // Comments received in 2023: c1, c2 (unanswered), c3.
    assert_eq!(of("akimat_astana", "budget_comments"), 3.0);
    assert_eq!(of("akimat_astana", "budget_comments_answered"), 2.0);
    // Drafts sent in 2023, d5 restricted and left out: d1 10 days (the
    // least), d2 9 days, d3 16, d4 never posted, d6 21.
    assert_eq!(of("moj", "drafts"), 5.0);
    assert_eq!(of("moj", "drafts_discussed_in_full"), 3.0);
    // Open Dialogue: r1 on its due day (30 March, 15 working days), r2 a
    // day late, r3 in 7 working days, r4 unanswered past 17 January, r5
    // past its recorded due date, r6 in 3 working days; r7 is not due
    // yet on 1 February and is left out. Mean of 15, 16, 7, 3 = 10.25.
    assert_eq!(of("akimat_astana", "dialogue_requests"), 6.0);
    assert_eq!(of("akimat_astana", "dialogue_on_time"), 3.0);
    assert_eq!(of("akimat_astana", "dialogue_mean_working_days"), 10.25);
    assert_eq!(
        values["akimat_astana"]["dialogue_mean_working_days"].source,
        Source::Records(4)
    );
    // Aggregates stand where there are no records.
    assert_eq!(of("mne", "datasets_planned"), 12.0);
    assert_eq!(of("mne", "dialogue_mean_working_days"), 6.5);
    assert_eq!(values["mfa"]["datasets_on_time"].source, Source::Aggregate);
    assert!(!values["mfa"].contains_key("dialogue_requests"));
    // A body without Open Dialogue records has no such values.
    assert!(!values["mia"].contains_key("dialogue_requests"));
}

#[test]
fn a_figure_given_beside_records_of_its_kind_is_refused() {
    let rules = Rules::kazakhstan();
    let mut records = openness_records();
    records.aggregates.push(Aggregate {
        body: "mia".into(),
        year: 2023,
        values: [("datasets_on_time".to_string(), 2.0)].into(),
    });
    let err = openness::values(&records, counting(&rules)).unwrap_err();
    assert_eq!(
        err,
        OpennessError::Twice {
            body: "mia".into(),
            year: 2023,
            value: "datasets_on_time".into()
        }
    );
    // The same figure for 2022 does not meet 2023's records.
    records.aggregates.last_mut().unwrap().year = 2022;
    assert!(openness::values(&records, counting(&rules)).is_ok());
}

#[test]
fn the_discussion_period_is_a_parameter() {
    let rules = Rules::kazakhstan();
    let mut c = counting(&rules);
    c.discussion_days = 9;
    let values = openness::values(&openness_records(), c).unwrap();
    // d2's nine days now suffice.
    assert_eq!(values["moj"]["drafts_discussed_in_full"].value, 4.0);
}

fn places(text: &str) -> Vec<(usize, String)> {
    openness::read(text, known)
        .unwrap_err()
        .iter()
        .map(|p| (p.line, p.column.clone()))
        .collect()
}

#[test]
fn every_bad_openness_cell_is_named() {
    assert_eq!(
        places(
            "dataset,body,due,published\n\
             a,mia,2023-13-01,\n\
             a,mia,2023-01-01,soon\n\
             ,mia,2023-01-01,\n"
        ),
        [
            at(2, "due"),
            at(3, "dataset"),
            at(3, "published"),
            at(4, "dataset")
        ]
    );
    assert_eq!(
        places(
            "comment,body,received,answered\n\
             c1,nobody,2023-02-01,2023-01-31\n"
        ),
        [at(2, "body"), at(2, "answered")]
    );
    assert_eq!(
        places(
            "draft,body,sent,posted,discussion_end,restricted\n\
             d1,moj,2023-04-20,2023-04-01,,0\n\
             d2,moj,2023-04-20,,2023-04-11,0\n\
             d3,moj,2023-04-20,2023-04-11,2023-04-01,0\n\
             d4,moj,2023-04-20,2023-04-01,2023-04-11,1\n\
             d5,moj,,,,2\n"
        ),
        [
            at(2, "discussion_end"),
            at(3, "posted"),
            at(4, "discussion_end"),
            at(5, "restricted"),
            at(6, "sent"),
            at(6, "restricted"),
        ]
    );
    assert_eq!(
        places(
            "request,body,received,due,answered\n\
             r1,akimat_astana,2023-03-03,2023-03-01,\n"
        ),
        [at(2, "due")]
    );
    assert_eq!(
        places(
            "body,year,datasets_planned,datasets_on_time,dialogue_mean_working_days\n\
             mne,2023,3,4,\n\
             mne,2023,2.5,,x\n\
             mfa,20x3,1,1,1\n"
        ),
        [
            at(2, "datasets_on_time"),
            at(3, "year"),
            at(3, "datasets_planned"),
            at(3, "dialogue_mean_working_days"),
            at(4, "year"),
        ]
    );
}

#[test]
fn an_openness_file_of_no_known_kind_or_columns_is_refused_whole() {
    let p = places("id,body\n1,mia\n");
    assert_eq!(p, [at(1, "")]);
    let problems = openness::read("body,year,satisfaction\nmne,2023,5\n", known).unwrap_err();
    assert!(
        problems[0]
            .message
            .contains("the columns satisfaction are not openness values"),
        "{}",
        problems[0]
    );
    let problems = openness::read("dataset,body,due\n", known).unwrap_err();
    assert!(problems[0].message.contains("lacks the columns published"));
}
