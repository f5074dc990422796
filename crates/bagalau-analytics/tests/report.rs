//! The 2023 demo methodology's public-service indicators computed from a
//! few records and the register, per body, checked by hand.

use bagalau_analytics::IndicatorPack;
use bagalau_analytics::engine::{count, session};
use bagalau_analytics::records::{Record, write_file};
use bagalau_analytics::report::{ComputedValue, Sources, computed_values};
use bagalau_services::calendar::Rules;
use bagalau_services::register::Register;
use bagalau_services::responses::{Response, Score, Tool};
use chrono::NaiveDateTime;

const PACK: &str = include_str!("../../../data/methodology/kz-operational-2023.toml");

// Two services of the Ministry of Justice (one on the portal), one of the
// local akimats (not on the portal), one withdrawn in June 2023.
const REGISTER: &str = "id,name_kk,name_ru,name_en,sector,providers,channels,deadline,deadline_unit,documents,cost_tenge,result_form,automated,effective_from,effective_to
birth,А,А,A,registration,moj,psc;portal,1,working_days,,0,electronic,true,2020-01-01,
apostille,Б,Б,B,registration,moj,psc,5,working_days,,0,paper,false,2020-01-01,
land_plot,В,В,C,land,akimat,psc,10,working_days,,0,paper,false,2020-01-01,
old_permit,Г,Г,D,land,moj,psc,10,working_days,,0,paper,false,2020-01-01,2023-06-30
";

fn t(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
}

fn record(service: &str, provider: &str, delivered: &str, extra: Option<i32>) -> Record {
    Record {
        service: service.into(),
        provider: provider.into(),
        region: "astana".into(),
        office: "psc_astana_1".into(),
        channel: "psc".into(),
        recipient: "individual".into(),
        // Monday 6 March 2023; one working day ends on Tuesday 7 March.
        requested_at: t("2023-03-06 10:00"),
        delivered_at: Some(t(delivered)),
        extra_documents: extra,
    }
}

#[tokio::test]
async fn breaches_and_register_counts_per_body() {
    let dir = tempfile::tempdir().unwrap();
    write_file(
        dir.path(),
        2023,
        3,
        "part-0",
        &[
            record("birth", "moj", "2023-03-07 12:00", None),
            // Late: delivered on 8 March (a holiday), after 7 March.
            record("birth", "moj", "2023-03-08 12:00", None),
            // On time, but with a document beyond the standard.
            record("birth", "moj", "2023-03-07 12:00", Some(1)),
            record("land_plot", "akimat_astana", "2023-03-07 12:00", None),
        ],
    )
    .unwrap();
    let register = Register::from_csv(REGISTER).unwrap();
    let days = Rules::kazakhstan().working_days(2023, 2024).unwrap();
    let ctx = session(dir.path(), &register, &days, 2023, Some(2))
        .await
        .unwrap();
    let breakdown = count(&ctx, &IndicatorPack::services_v1(), 2023, &[3])
        .await
        .unwrap();
    let methodology = bagalau_core::pack::load("kz-operational-2023.toml", PACK).unwrap();
    let sources = Sources {
        breakdown: &breakdown,
        register: &register,
        survey: None,
        complaints: None,
        openness: None,
    };
    let values = computed_values(&methodology, 2023, sources).unwrap();
    let of = |body: &str, indicator: &str| -> f64 {
        values
            .iter()
            .find(|v: &&ComputedValue| v.body == body && v.indicator == indicator)
            .unwrap_or_else(|| panic!("no {indicator} of {body}: {values:#?}"))
            .value
    };
    assert_eq!(of("moj", "ps_delivered"), 3.0);
    assert_eq!(of("moj", "ps_violations"), 2.0);
    assert_eq!(of("akimat_astana", "ps_delivered"), 1.0);
    assert_eq!(of("akimat_astana", "ps_violations"), 0.0);
    // On 31 December 2023 the old permit is gone: two services, one on the portal.
    assert_eq!(of("moj", "ps_register"), 2.0);
    assert_eq!(of("moj", "ps_electronic"), 1.0);
    // Every region's akimat holds the local services.
    assert_eq!(of("akimat_ulytau", "ps_register"), 1.0);
    assert_eq!(of("akimat_ulytau", "ps_electronic"), 0.0);
    // Only the indicators that name a computed count get values.
    assert!(values.iter().all(|v| v.indicator.starts_with("ps_")));
    assert!(values.iter().all(|v| v.indicator != "ps_satisfaction_pct"));
}

fn response(id: &str, service: &str, region: &str, score: f64) -> Response {
    Response {
        id: id.into(),
        tool: Tool::Odk,
        version: "1".into(),
        submitted: t("2023-05-02 10:00"),
        rejected: false,
        service: service.into(),
        region: region.into(),
        channel: "psc".into(),
        category: "individual".into(),
        weight: 1.0,
        scores: [(
            "overall".to_string(),
            Score {
                score,
                satisfied: score >= 4.0,
            },
        )]
        .into(),
    }
}

#[tokio::test]
async fn satisfaction_per_body_with_suppression() {
    let pack = PACK.replace(
        "id = \"ps_satisfaction_pct\"",
        "id = \"ps_satisfaction_pct\"\ncomputed = \"survey:overall\"",
    );
    let methodology = bagalau_core::pack::load("p.toml", &pack).unwrap();
    let register = Register::from_csv(REGISTER).unwrap();
    // Ten answers on the ministry's service, 7 satisfied; three on the
    // akimats' service in Astana.
    let mut responses: Vec<Response> = (0..10)
        .map(|i| {
            response(
                &format!("m{i}"),
                "birth",
                "abai",
                if i < 7 { 5.0 } else { 2.0 },
            )
        })
        .collect();
    responses.extend((0..3).map(|i| response(&format!("a{i}"), "land_plot", "astana", 5.0)));
    let breakdown = Default::default();
    let sources = Sources {
        breakdown: &breakdown,
        register: &register,
        survey: Some((&responses, 10)),
        complaints: None,
        openness: None,
    };
    let values: Vec<(String, f64)> = computed_values(&methodology, 2023, sources)
        .unwrap()
        .into_iter()
        .filter(|v| v.indicator == "ps_satisfaction_pct")
        .map(|v| (v.body, v.value))
        .collect();
    // The akimat of Astana has 3 respondents: no value.
    assert_eq!(values, [("moj".to_string(), 70.0)]);
}

#[tokio::test]
async fn an_unknown_computed_name_is_refused() {
    let pack = PACK.replace(
        "computed = \"services:breaches\"",
        "computed = \"services:speed\"",
    );
    let methodology = bagalau_core::pack::load("p.toml", &pack).unwrap();
    let register = Register::from_csv(REGISTER).unwrap();
    let breakdown = Default::default();
    let sources = Sources {
        breakdown: &breakdown,
        register: &register,
        survey: None,
        complaints: None,
        openness: None,
    };
    let err = computed_values(&methodology, 2023, sources).unwrap_err();
    assert!(
        err.to_string()
            .starts_with("indicator ps_violations: computed `services:speed` is not known"),
        "{err}"
    );
}
