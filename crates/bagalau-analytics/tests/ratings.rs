//! The ratings' inputs from counts and survey responses, and the shipped
//! pack's method, checked against values worked out by hand.

use bagalau_analytics::IndicatorPack;
use bagalau_analytics::engine::{Breakdown, Counts};
use bagalau_analytics::ratings::{SurveyShares, ratings, survey_shares};
use bagalau_services::ratings::NotRated;
use bagalau_services::register::Register;
use bagalau_services::responses::{Response, Score, Tool};
use chrono::NaiveDateTime;
use std::collections::BTreeMap;

/// Counts in the pack's order: records, hidden, on_time, violations,
/// no_delivery_date, electronic, documents_recorded, extra_documents, breaches.
fn counts(
    records: u64,
    on_time: u64,
    violations: u64,
    electronic: u64,
    recorded: u64,
    extra: u64,
) -> Counts {
    Counts::from_values(&[
        records, 0, on_time, violations, 0, electronic, recorded, extra, 0,
    ])
}

fn breakdown() -> Breakdown {
    let mut b = Breakdown::default();
    let mut put = |d: &str, v: Option<&str>, m: u32, c: Counts| {
        b.groups.insert((d.to_string(), v.map(String::from), m), c);
    };
    // Astana over two months: 200 records, 180 on time and 20 late (90%),
    // 150 electronic (75%), 5 of 100 with documents recorded asked beyond
    // the standard (5%).
    put("region", Some("astana"), 1, counts(120, 110, 10, 90, 60, 3));
    put("region", Some("astana"), 2, counts(80, 70, 10, 60, 40, 2));
    // Shymkent: 120 of 150 on time (80%), 30 electronic (20%), documents
    // never recorded.
    put(
        "region",
        Some("shymkent"),
        1,
        counts(150, 120, 30, 30, 0, 0),
    );
    // Abai: under the pack's minimum of 100 records.
    put("region", Some("abai"), 1, counts(99, 99, 0, 99, 0, 0));
    // Records of services outside the register have no sector: not rated.
    put("sector", None, 1, counts(10, 0, 0, 0, 0, 0));
    put(
        "sector",
        Some("health"),
        1,
        counts(449, 409, 40, 279, 100, 5),
    );
    put("month", None, 1, counts(369, 329, 40, 219, 60, 3));
    put("month", None, 2, counts(80, 70, 10, 60, 40, 2));
    b
}

#[test]
fn the_shipped_pack_rates_by_its_weights() {
    let pack = IndicatorPack::services_v1();
    let mut survey = BTreeMap::new();
    let mut shares = SurveyShares::default();
    shares
        .shares
        .insert(("region".into(), "astana".into()), 80.0);
    shares.respondents = 40;
    survey.insert("overall".to_string(), shares);
    let r = ratings(&pack, 2023, &breakdown(), &survey, false).unwrap();
    assert_eq!(r.records, 449);
    assert_eq!(r.respondents, 40);
    assert_eq!(r.pack, "services v1");
    let region = &r.dimension("region").unwrap().entries;
    // Astana: 0.4·90 + 0.3·80 + 0.15·(100−5) + 0.15·75 = 36 + 24 + 14.25 + 11.25 = 85.5
    assert_eq!(region[0].value, "astana");
    assert_eq!(region[0].score, Some(85.5));
    assert_eq!(
        region[0].values,
        [Some(90.0), Some(80.0), Some(5.0), Some(75.0)]
    );
    // Shymkent: no survey figure, no documents recorded:
    // (0.4·80 + 0.15·20) / 0.55 = 35 / 0.55 = 63.636…
    assert_eq!(region[1].value, "shymkent");
    assert_eq!(region[1].score, Some(63.64));
    assert_eq!(region[1].rank, Some(2));
    assert_eq!(region[2].value, "abai");
    assert_eq!(
        region[2].not_rated,
        Some(NotRated::FewRecords { minimum: 100 })
    );
    let sector = &r.dimension("sector").unwrap().entries;
    assert_eq!(sector.len(), 1, "the group without a sector is left out");
    assert!(r.dimension("office").is_none());
}

const REGISTER: &str = "id,name_kk,name_ru,name_en,sector,providers,channels,deadline,deadline_unit,documents,cost_tenge,result_form,automated,effective_from,effective_to
a,А,А,A,registration,minjust,psc;portal,1,working_days,,0,electronic,true,2020-01-01,
c,В,В,C,land,akimat,psc,3,calendar_days,,0,paper,false,2020-01-01,
";

fn response(
    i: usize,
    service: &str,
    region: &str,
    weight: f64,
    satisfied: bool,
    year: i32,
) -> Response {
    Response {
        id: format!("r{i}"),
        tool: Tool::Kobo,
        version: "v1".into(),
        submitted: NaiveDateTime::parse_from_str(&format!("{year}-06-01 10:00"), "%Y-%m-%d %H:%M")
            .unwrap(),
        rejected: false,
        service: service.into(),
        region: region.into(),
        channel: "psc".into(),
        category: "pensioner".into(),
        weight,
        scores: BTreeMap::from([(
            "overall".to_string(),
            Score {
                score: if satisfied { 5.0 } else { 2.0 },
                satisfied,
            },
        )]),
    }
}

#[test]
fn survey_shares_follow_the_services_to_their_bodies_and_sectors_with_suppression() {
    let register = Register::from_csv(REGISTER).unwrap();
    let mut responses = Vec::new();
    // Land in Abai: 10 respondents, weights 3 and 1; the satisfied weigh 3+3+1+1 of 14.
    for (i, (w, s)) in [
        (3.0, true),
        (3.0, true),
        (1.0, true),
        (1.0, true),
        (1.0, false),
        (1.0, false),
        (1.0, false),
        (1.0, false),
        (1.0, false),
        (1.0, false),
    ]
    .into_iter()
    .enumerate()
    {
        responses.push(response(i, "c", "abai", w, s, 2023));
    }
    // Registration in Astana: 5 respondents, all satisfied: under 10, suppressed.
    for i in 10..15 {
        responses.push(response(i, "a", "astana", 1.0, true, 2023));
    }
    // Another year's response is not counted.
    responses.push(response(99, "a", "astana", 1.0, false, 2022));
    let s = survey_shares(&responses, &register, 2023, "overall", 10).unwrap();
    assert_eq!(s.respondents, 15);
    let share = |d: &str, v: &str| s.shares.get(&(d.to_string(), v.to_string())).copied();
    let abai = 100.0 * 8.0 / 14.0;
    assert!((share("region", "abai").unwrap() - abai).abs() < 1e-9);
    assert!((share("sector", "land").unwrap() - abai).abs() < 1e-9);
    // The local akimats' service, delivered in Abai, is the Abai akimat's.
    assert!((share("provider", "akimat_abai").unwrap() - abai).abs() < 1e-9);
    assert_eq!(share("region", "astana"), None);
    assert_eq!(share("provider", "minjust"), None);
    // All 15 are pensioners: 8 + 5 of 14 + 5 weight units satisfied.
    let pensioners = 100.0 * 13.0 / 19.0;
    assert!((share("recipient", "pensioner").unwrap() - pensioners).abs() < 1e-9);
}

#[test]
fn demonstration_responses_are_seeded_and_answer_the_questionnaire() {
    use bagalau_analytics::survey_demo::demonstration_responses;
    use bagalau_services::questionnaire::Questionnaire;
    let register = Register::from_csv(REGISTER).unwrap();
    let q = Questionnaire::from_toml(include_str!(
        "../../bagalau-demo/data/services/satisfaction.toml"
    ))
    .unwrap();
    let a = demonstration_responses(&register, &q, 2023, 500, 7);
    assert_eq!(a.len(), 500);
    assert_eq!(a, demonstration_responses(&register, &q, 2023, 500, 7));
    assert_ne!(a, demonstration_responses(&register, &q, 2023, 500, 8));
    let version = &q.versions[0];
    let regions: Vec<&str> = version
        .question(bagalau_services::questionnaire::Role::Region)
        .unwrap()
        .choices
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    for r in &a {
        assert_eq!(r.version, version.id);
        assert!(regions.contains(&r.region.as_str()), "{}", r.region);
        assert!(["a", "c"].contains(&r.service.as_str()));
        assert_eq!(r.submitted.format("%Y").to_string(), "2023");
        let overall = &r.scores["overall"];
        assert_eq!(overall.satisfied, overall.score >= 4.0);
    }
    // Regions differ in satisfaction, as the estimates then show.
    let s = survey_shares(&a, &register, 2023, "overall", 10).unwrap();
    let by_region: Vec<f64> = regions
        .iter()
        .filter_map(|r| {
            s.shares
                .get(&("region".to_string(), r.to_string()))
                .copied()
        })
        .collect();
    assert_eq!(by_region.len(), regions.len());
    let spread = by_region.iter().cloned().fold(f64::MIN, f64::max)
        - by_region.iter().cloned().fold(f64::MAX, f64::min);
    assert!(spread > 5.0, "{by_region:?}");
}
