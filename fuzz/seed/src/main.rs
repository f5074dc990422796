//! `bagalau-fuzz-seed OUT`: writes seeds into `OUT/<target>/`. Seeds are
//! kept small (a few hundred rows at most): libFuzzer mutates whole inputs,
//! and a short valid file reaches the same checks as a long one, faster.

use bagalau_core::data::Observation;
use bagalau_core::{pack, performance, registry};
use std::collections::BTreeMap;
use std::path::PathBuf;

fn main() {
    let out = PathBuf::from(
        std::env::args()
            .nth(1)
            .expect("usage: bagalau-fuzz-seed OUT"),
    );
    let (rf, rt) = bagalau_demo::REGISTRY;
    let registry = registry::load(rf, rt).expect("the shipped registry");
    let packs: Vec<pack::Methodology> = bagalau_demo::PACKS
        .iter()
        .map(|(f, t)| pack::load(f, t).expect("a shipped pack"))
        .collect();
    let mut count = 0usize;
    let mut write = |target: &str, name: &str, bytes: &[u8]| {
        let dir = out.join(target);
        std::fs::create_dir_all(&dir).expect("the seed folder");
        std::fs::write(dir.join(name), bytes).expect("a seed file");
        count += 1;
    };

    for m in &packs {
        let obs = bagalau_demo::generate(m, &registry, bagalau_demo::DEFAULT_SEED);
        write(
            "reporting_csv",
            &format!("demo-{}.csv", m.year),
            reporting_csv(&obs[..obs.len().min(200)]).as_bytes(),
        );
        write(
            "reporting_csv",
            &format!("demo-{}-short.csv", m.year),
            reporting_csv(&obs[..obs.len().min(8)]).as_bytes(),
        );
        // Templates of one body of each kind, empty and filled in with the
        // demonstration values (as a body would return them).
        let mut kinds_done = Vec::new();
        for body in registry.evaluated_in(m.year) {
            if kinds_done.contains(&body.kind) {
                continue;
            }
            kinds_done.push(body.kind);
            let values: BTreeMap<String, f64> = obs
                .iter()
                .filter(|o| o.body == body.id)
                .filter_map(|o| Some((o.indicator.clone(), o.value?)))
                .collect();
            for (label, current) in [("empty", BTreeMap::new()), ("filled", values)] {
                let bytes =
                    bagalau_xlsx::template(m, &registry, &body.id, &current).expect("a template");
                write(
                    "xlsx_submission",
                    &format!("{}-{}-{label}.xlsx", m.year, body.id),
                    &bytes,
                );
            }
        }
    }

    // Each part of the filled-in 2023 `minfin` template, prefixed with its
    // index among the parts: the input of the `xlsx_parts` target.
    let m2023 = packs
        .iter()
        .find(|m| m.year == 2023)
        .expect("the 2023 pack");
    let current: BTreeMap<String, f64> =
        bagalau_demo::generate(m2023, &registry, bagalau_demo::DEFAULT_SEED)
            .into_iter()
            .filter(|o| o.body == "minfin")
            .filter_map(|o| Some((o.indicator, o.value?)))
            .collect();
    let minfin = bagalau_xlsx::template(m2023, &registry, "minfin", &current).expect("a template");
    let mut parts = Vec::new();
    bagalau_xlsx::testing::edit_parts(&minfin, |name, text| {
        parts.push((name.to_string(), text.clone()));
        text
    });
    for (i, (name, text)) in parts.iter().enumerate() {
        let mut input = vec![i as u8];
        input.extend_from_slice(text.as_bytes());
        write("xlsx_parts", &name.replace('/', "_"), &input);
    }

    let register_text = include_str!("../../../crates/bagalau-demo/data/services/register.csv");
    let register =
        bagalau_services::register::Register::from_csv(register_text).expect("the demo register");
    let rows = register.rows();
    let header: Vec<String> = bagalau_services::register::COLUMNS
        .iter()
        .map(|c| c.to_string())
        .collect();
    for (name, take) in [("register.xlsx", rows.len()), ("register-short.xlsx", 3)] {
        let cells: Vec<Vec<bagalau_xlsx::TableCell<'_>>> = rows
            .iter()
            .take(take)
            .map(|r| r.iter().map(|c| bagalau_xlsx::TableCell::Text(c)).collect())
            .collect();
        let bytes = bagalau_xlsx::table("register", &header, &cells).expect("a workbook");
        write("register_xlsx", name, &bytes);
    }
    write(
        "register_csv",
        "canonical.csv",
        register.to_csv().as_bytes(),
    );

    let services: Vec<String> = register.versions().iter().map(|s| s.id.clone()).collect();
    write(
        "deliveries_csv",
        "demo.csv",
        deliveries_csv(&services, 40).as_bytes(),
    );
    write(
        "deliveries_csv",
        "short.csv",
        deliveries_csv(&services, 3).as_bytes(),
    );

    let (pf, pt) = bagalau_demo::PERFORMANCE_PACKS[0];
    let perf = performance::load(pf, pt).expect("the shipped performance pack");
    let series = bagalau_demo::generate_series(&perf, &registry, bagalau_demo::DEFAULT_SEED);
    let some: Vec<&performance::Observation> = series.iter().step_by(7).take(150).collect();
    write(
        "series_tidy",
        "demo.csv",
        series_csv(&some, false).as_bytes(),
    );
    write(
        "series_sdmx",
        "demo.csv",
        series_csv(&some, true).as_bytes(),
    );
    write(
        "series_tidy",
        "short.csv",
        series_csv(&some[..5], false).as_bytes(),
    );
    write(
        "series_sdmx",
        "short.csv",
        series_csv(&some[..5], true).as_bytes(),
    );

    let questionnaire = bagalau_services::questionnaire::Questionnaire::from_toml(include_str!(
        "../../../crates/bagalau-demo/data/services/satisfaction.toml"
    ))
    .expect("the demo questionnaire");
    for (name, export) in [
        (
            "kobo",
            include_str!(
                "../../../crates/bagalau-services/tests/fixtures/surveys/kobo-xml-values.csv"
            ),
        ),
        (
            "odk",
            include_str!("../../../crates/bagalau-services/tests/fixtures/surveys/odk-central.csv"),
        ),
    ] {
        let read = bagalau_services::responses::read_export(export, &questionnaire, |_| true)
            .expect("a fixture export");
        let kept = bagalau_services::responses::to_csv(&read, &questionnaire.measures());
        write("survey_responses", &format!("{name}.csv"), kept.as_bytes());
    }
    eprintln!("{count} generated seeds in {}", out.display());
}

fn reporting_csv(obs: &[Observation]) -> String {
    let mut s = String::from("year,body_id,indicator_id,value,note\n");
    for o in obs {
        let value = o.value.map_or(String::new(), |v| v.to_string());
        s.push_str(&format!("{},{},{},{value},\n", o.year, o.body, o.indicator));
    }
    s
}

fn series_csv(obs: &[&performance::Observation], sdmx: bool) -> String {
    let mut s = String::from(if sdmx {
        "DATAFLOW,REF_AREA,INDICATOR,TIME_PERIOD,OBS_VALUE,UNIT_MULT\n"
    } else {
        "entity,indicator,year,value,source\n"
    });
    for o in obs {
        if sdmx {
            s.push_str(&format!(
                "KZ:GPI(1.0),{},{},{},{},0\n",
                o.entity, o.indicator, o.year, o.value
            ));
        } else {
            let source = o.source.as_deref().unwrap_or("");
            s.push_str(&format!(
                "{},{},{},{},{source}\n",
                o.entity, o.indicator, o.year, o.value
            ));
        }
    }
    s
}

/// Delivery records over the register's services, the channels and a
/// spread of dates: some on time, some late, some undelivered.
fn deliveries_csv(services: &[String], rows: usize) -> String {
    let mut s = String::from(
        "service,provider,region,office,channel,recipient,requested_at,delivered_at,extra_documents\n",
    );
    let channels = ["psc", "portal", "body"];
    for i in 0..rows {
        let service = &services[i % services.len()];
        let month = 1 + i % 12;
        let day = 1 + (i * 7) % 28;
        let delivered = match i % 4 {
            0 => String::new(),
            1 => format!("2024-{month:02}-{:02} 16:30:00", (day + 1).min(28)),
            _ => format!("2024-{:02}-{day:02} 09:00:00", (month % 12) + 1),
        };
        s.push_str(&format!(
            "{service},prov{},region{},office{},{},{},2024-{month:02}-{day:02} 10:{:02}:00,{delivered},{}\n",
            i % 5,
            i % 3,
            i % 7,
            channels[i % 3],
            if i % 2 == 0 { "individual" } else { "legal" },
            i % 60,
            i % 3
        ));
    }
    s
}
