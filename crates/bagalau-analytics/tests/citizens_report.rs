//! The 2023 methodology's complaints and openness indicators get their
//! values from the records' counts per body (`complaints:` and `openness:`
//! references), checked by hand.

use bagalau_analytics::report::{ComputedValue, Sources, computed_values};
use bagalau_services::complaints;
use bagalau_services::complaints::Counts;
use bagalau_services::openness;
use bagalau_services::openness::{BodyValues, Source, Value};
use bagalau_services::register::Register;
use std::collections::BTreeMap;

const PACK: &str = include_str!("../../../data/methodology/kz-operational-2023.toml");

fn values(
    complaints: Option<&BTreeMap<String, complaints::Counts>>,
    openness: Option<&BTreeMap<String, openness::BodyValues>>,
) -> Vec<ComputedValue> {
    let methodology = bagalau_core::pack::load("kz-operational-2023.toml", PACK).unwrap();
    // No service: these indicators come from the records alone.
    let register = Register::new(Vec::new()).unwrap();
    let breakdown = Default::default();
    let sources = Sources {
        breakdown: &breakdown,
        register: &register,
        survey: None,
        complaints,
        openness,
    };
    computed_values(&methodology, 2023, sources).unwrap()
}

#[test]
fn complaint_counts_become_the_complaints_indicators() {
    let counts: BTreeMap<String, Counts> = [(
        "mia".to_string(),
        Counts {
            total: 250,
            answered: 249,
            pending: 0,
            overdue: 1,
            court_cases: 4,
            court_justified: 1,
            repeated_substantiated: 5,
        },
    )]
    .into();
    let got = values(Some(&counts), None);
    let of = |indicator: &str| {
        got.iter()
            .find(|v| v.body == "mia" && v.indicator == indicator)
            .unwrap_or_else(|| panic!("no {indicator}: {got:#?}"))
    };
    assert_eq!(of("appeals_total").value, 250.0);
    assert_eq!(of("appeals_overdue").value, 1.0);
    assert_eq!(of("court_cases").value, 4.0);
    assert_eq!(of("court_justified").value, 1.0);
    assert_eq!(of("appeals_repeat").value, 5.0);
    assert_eq!(
        of("appeals_overdue").note,
        "overdue among 250 complaints and applications received in 2023"
    );
    // Internal control stays reported by the bodies; openness was not given.
    assert!(got.iter().all(|v| v.indicator != "ic_found"));
    assert_eq!(got.len(), 5);
}

#[test]
fn openness_values_become_the_openness_indicators() {
    let body: BodyValues = [
        (
            "dialogue_requests",
            Value {
                value: 6.0,
                source: Source::Records(6),
            },
        ),
        (
            "dialogue_mean_working_days",
            Value {
                value: 10.25,
                source: Source::Records(4),
            },
        ),
        (
            "datasets_planned",
            Value {
                value: 12.0,
                source: Source::Aggregate,
            },
        ),
    ]
    .into();
    let openness: BTreeMap<String, BodyValues> = [("akimat_astana".to_string(), body)].into();
    let got = values(None, Some(&openness));
    let found: BTreeMap<&str, (f64, &str)> = got
        .iter()
        .map(|v| (v.indicator.as_str(), (v.value, v.note.as_str())))
        .collect();
    assert_eq!(
        found,
        [
            (
                "dlg_received",
                (6.0, "dialogue requests of 2023, counted from 6 records")
            ),
            (
                "dlg_avg_days",
                (
                    10.25,
                    "dialogue mean working days of 2023, counted from 4 records"
                )
            ),
            (
                "od_planned",
                (12.0, "datasets planned of 2023, as the body's figure")
            ),
        ]
        .into()
    );
}

#[test]
fn an_unknown_complaints_name_is_refused_even_without_records() {
    let pack = PACK.replace(
        "computed = \"complaints:overdue\"",
        "computed = \"complaints:late\"",
    );
    let methodology = bagalau_core::pack::load("p.toml", &pack).unwrap();
    // No service: these indicators come from the records alone.
    let register = Register::new(Vec::new()).unwrap();
    let breakdown = Default::default();
    let sources = Sources {
        breakdown: &breakdown,
        register: &register,
        survey: None,
        complaints: None,
        openness: None,
    };
    let err = computed_values(&methodology, 2023, sources)
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("indicator appeals_overdue: computed `complaints:late` is not known"),
        "{err}"
    );
    assert!(
        err.contains(
            "complaints:<total|overdue|court_cases|court_justified|repeated_substantiated>"
        ),
        "{err}"
    );
}
