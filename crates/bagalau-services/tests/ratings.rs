//! Ratings of service quality, checked against scores worked out by hand.

use bagalau_core::Names;
use bagalau_services::ratings::{
    Better, Component, Group, Method, NotRated, RatingError, Ratings, rate, score,
};

fn names(en: &str) -> Names {
    Names {
        kk: en.into(),
        ru: en.into(),
        en: en.into(),
    }
}

fn component(source: &str, weight: f64, better: Better) -> Component {
    Component {
        source: source.into(),
        weight,
        better,
        name: names(source),
    }
}

/// Timeliness 0.4, documents beyond the standard 0.2 (lower is better),
/// electronic 0.1, satisfaction 0.3; at least 100 records.
fn method() -> Method {
    Method {
        min_records: 100,
        components: vec![
            component("deadline_compliance", 0.4, Better::Higher),
            component("extra_documents_share", 0.2, Better::Lower),
            component("electronic_share", 0.1, Better::Higher),
            component("survey:overall", 0.3, Better::Higher),
        ],
    }
}

fn group(dimension: &str, value: &str, records: u64, values: [Option<f64>; 4]) -> Group {
    Group {
        dimension: dimension.into(),
        value: value.into(),
        records,
        values: values.to_vec(),
    }
}

#[test]
fn scores_are_weighted_means_with_missing_components_left_out() {
    let m = method();
    // (0.4·90 + 0.2·(100−0) + 0.1·80 + 0.3·85) / 1.0 = 89.5
    let full = score(&m, &[Some(90.0), Some(0.0), Some(80.0), Some(85.0)]).unwrap();
    assert!((full - 89.5).abs() < 1e-9, "{full}");
    // No survey figure: (0.4·95 + 0.2·98 + 0.1·60) / 0.7 = 63.6 / 0.7 = 90.857…
    let partial = score(&m, &[Some(95.0), Some(2.0), Some(60.0), None]).unwrap();
    assert!((partial - 63.6 / 0.7).abs() < 1e-9, "{partial}");
    assert_eq!(score(&m, &[None, None, None, None]), None);
}

#[test]
fn groups_are_ranked_within_their_dimension_ties_share_a_rank() {
    let groups = vec![
        group(
            "region",
            "b",
            500,
            [Some(90.0), Some(0.0), Some(80.0), Some(85.0)],
        ),
        group(
            "region",
            "c",
            50,
            [Some(100.0), Some(0.0), Some(100.0), Some(100.0)],
        ),
        group(
            "region",
            "a",
            1000,
            [Some(95.0), Some(2.0), Some(60.0), None],
        ),
        group("region", "d", 200, [None, None, None, None]),
        // (0.4·80 + 0.2·90 + 0.1·95 + 0.3·100) = 89.5, equal to b.
        group(
            "region",
            "e",
            300,
            [Some(80.0), Some(10.0), Some(95.0), Some(100.0)],
        ),
        group(
            "sector",
            "health",
            100,
            [Some(50.0), None, Some(50.0), None],
        ),
        group("provider", "mzo", 120, [Some(99.999), None, None, None]),
    ];
    let rated = rate(&method(), groups).unwrap();
    let dims: Vec<&str> = rated.iter().map(|d| d.dimension.as_str()).collect();
    assert_eq!(dims, ["provider", "sector", "region"]);

    let region = &rated[2].entries;
    let rows: Vec<(&str, Option<u32>, Option<f64>)> = region
        .iter()
        .map(|e| (e.value.as_str(), e.rank, e.score))
        .collect();
    assert_eq!(
        rows,
        [
            ("a", Some(1), Some(90.86)),
            ("b", Some(2), Some(89.5)),
            ("e", Some(2), Some(89.5)),
            ("c", None, None),
            ("d", None, None),
        ]
    );
    assert_eq!(
        region[3].not_rated,
        Some(NotRated::FewRecords { minimum: 100 })
    );
    assert_eq!(region[4].not_rated, Some(NotRated::NoData));
    // Exactly the minimum is enough.
    assert_eq!(rated[1].entries[0].score, Some(50.0));
    assert_eq!(rated[1].entries[0].rank, Some(1));
    // Values are published to 0.01.
    assert_eq!(rated[0].entries[0].values[0], Some(100.0));
    assert_eq!(rated[0].entries[0].score, Some(100.0));
}

#[test]
fn a_bad_method_or_group_is_refused_with_what_is_wrong() {
    let mut m = method();
    m.min_records = 0;
    m.components[1].weight = -1.0;
    m.components
        .push(component("survey:overall", 0.1, Better::Higher));
    let err = rate(&m, vec![]).unwrap_err().to_string();
    assert!(err.contains("min_records must be at least 1"), "{err}");
    assert!(
        err.contains("`extra_documents_share`: the weight must be a positive number, not -1"),
        "{err}"
    );
    assert!(err.contains("`survey:overall` is given twice"), "{err}");

    let err = rate(
        &method(),
        vec![group("office", "o-1", 500, [Some(101.0), None, None, None])],
    )
    .unwrap_err();
    assert_eq!(
        err,
        RatingError::Group {
            dimension: "office".into(),
            value: "o-1".into(),
            message: "101 is not a percentage".into()
        }
    );
    let short = Group {
        dimension: "office".into(),
        value: "o-2".into(),
        records: 500,
        values: vec![Some(1.0)],
    };
    let err = rate(&method(), vec![short]).unwrap_err().to_string();
    assert_eq!(err, "group office=o-2: 1 values for 4 components");
}

#[test]
fn published_ratings_read_back_the_same_and_as_a_table() {
    let dimensions = rate(
        &method(),
        vec![
            group(
                "region",
                "a",
                1000,
                [Some(95.0), Some(2.0), Some(60.0), None],
            ),
            group("region", "c", 50, [Some(100.0), None, None, None]),
        ],
    )
    .unwrap();
    let ratings = Ratings {
        year: 2023,
        pack: "services v1".into(),
        demonstration: true,
        records: 1050,
        respondents: 0,
        method: method(),
        dimensions,
    };
    let text = ratings.to_json();
    assert_eq!(Ratings::from_json(&text).unwrap(), ratings);
    assert_eq!(
        ratings.to_csv(),
        "year,dimension,value,name,rank,score,records,deadline_compliance_percent,extra_documents_share_percent,electronic_share_percent,survey_overall_percent,not_rated\n\
         2023,region,a,,1,90.86,1000,95.00,2.00,60.00,,\n\
         2023,region,c,,,,50,100.00,,,,fewer than 100 records\n"
    );
}
