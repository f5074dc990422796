//! The register of services: read, checked, versioned, compared, written.

use bagalau_services::register::{Change, Channel, Deadline, Register};
use chrono::NaiveDate;

const HEADER: &str = "id,name_kk,name_ru,name_en,sector,providers,channels,deadline,deadline_unit,documents,cost_tenge,result_form,automated,effective_from,effective_to\n";

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn register() -> String {
    format!(
        "{HEADER}\
birth,Баланың тууын тіркеу,Регистрация рождения ребёнка,Registration of a child's birth,registration,minjust,psc;portal,1,working_days,identity card;medical certificate,0,electronic,true,2020-01-01,2022-12-31\n\
birth,Баланың тууын тіркеу,Регистрация рождения ребёнка,Registration of a child's birth,registration,minjust,psc;portal,30,minutes,identity card;medical certificate,0,electronic,true,2023-01-01,\n\
land,Жер учаскесін беру,Предоставление земельного участка,Granting a land plot,land,akimat_almaty,body,20,working_days,application;plan,1500,paper,false,2020-01-01,2023-06-30\n\
pension,Зейнетақы тағайындау,Назначение пенсии,Granting a pension,social_protection,mlsp,psc;portal,10,working_days,identity card,0,both,true,2023-07-01,\n"
    )
}

#[test]
fn a_register_reads_with_its_versions() {
    let r = Register::from_csv(&register()).unwrap();
    assert_eq!(r.versions().len(), 4);
    let in_2022 = r.at(d("2022-06-01"));
    assert_eq!(
        in_2022.keys().copied().collect::<Vec<_>>(),
        ["birth", "land"]
    );
    assert_eq!(in_2022["birth"].deadline, Deadline::WorkingDays(1));
    let in_2024 = r.at(d("2024-01-01"));
    assert_eq!(in_2024["birth"].deadline, Deadline::Minutes(30));
    assert_eq!(in_2024["birth"].channels, [Channel::Psc, Channel::Portal]);
    assert!(in_2024["pension"].electronic());
    assert_eq!(in_2024["birth"].name.en, "Registration of a child's birth");
    assert_eq!(
        in_2024["birth"].documents,
        ["identity card", "medical certificate"]
    );
}

#[test]
fn the_diff_between_two_dates_names_what_changed() {
    let r = Register::from_csv(&register()).unwrap();
    let changes = r.diff(d("2022-06-01"), d("2024-01-01"));
    assert_eq!(
        changes,
        vec![
            Change::Changed(
                "birth".into(),
                vec![
                    ("deadline".into(), "1".into(), "30".into()),
                    (
                        "deadline_unit".into(),
                        "working_days".into(),
                        "minutes".into()
                    )
                ]
            ),
            Change::Removed("land".into()),
            Change::Added("pension".into()),
        ]
    );
}

#[test]
fn it_writes_what_it_reads() {
    let r = Register::from_csv(&register()).unwrap();
    let again = Register::from_csv(&r.to_csv()).unwrap();
    assert_eq!(again, r);
}

#[test]
fn every_bad_cell_is_named_by_line_and_column_and_nothing_is_read() {
    let text = format!(
        "{HEADER}\
ok,а,б,c,health,moh,psc,5,working_days,,0,paper,true,2024-01-01,\n\
x,а,б,c,health,moh,fax,5,weeks,,free,paper,maybe,2024-13-01,\n"
    );
    let problems = Register::from_csv(&text).unwrap_err();
    let said: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert_eq!(
        said,
        [
            "line 3, column `channels`: `fax` is not a channel (psc, portal or body)",
            "line 3, column `deadline_unit`: `weeks` is not a unit (working_days, calendar_days, hours or minutes)",
            "line 3, column `cost_tenge`: `free` is not an amount",
            "line 3, column `automated`: `maybe` is not true or false",
            "line 3, column `effective_from`: `2024-13-01` is not a day of the calendar",
        ]
    );
}

#[test]
fn a_deadline_longer_than_two_years_is_a_mistake_named_by_its_cell() {
    // 4294967295 hours once overflowed the record generator's dates, and
    // as many working days the working-day count.
    let text = format!(
        "{HEADER}\
a,а,б,c,health,moh,psc,4294967295,hours,,0,paper,true,2024-01-01,\n\
b,а,б,c,health,moh,psc,4294967295,working_days,,0,paper,true,2024-01-01,\n\
c,а,б,c,health,moh,psc,731,calendar_days,,0,paper,true,2024-01-01,\n"
    );
    let said: Vec<String> = Register::from_csv(&text)
        .unwrap_err()
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        said,
        [
            "line 2, column `deadline`: 4294967295 hours is longer than two years (at most 17544)",
            "line 3, column `deadline`: 4294967295 working_days is longer than two years (at most 500)",
        ]
    );
}

#[test]
fn two_versions_in_force_on_one_day_are_refused() {
    let text = format!(
        "{HEADER}\
a,а,б,c,health,moh,psc,5,working_days,,0,paper,true,2024-01-01,\n\
a,а,б,c,health,moh,psc,3,working_days,,0,paper,true,2024-06-01,\n"
    );
    let problems = Register::from_csv(&text).unwrap_err();
    assert_eq!(problems.len(), 1);
    assert_eq!(
        problems[0].to_string(),
        "line 3, column `effective_from`: `a` has another version in force on 2024-06-01 (from 2024-01-01)"
    );
}

#[test]
fn a_missing_column_is_named() {
    let problems = Register::from_csv("id,name_kk\nx,y\n").unwrap_err();
    assert!(
        problems[0]
            .to_string()
            .starts_with("line 1: missing columns: name_ru, name_en")
    );
}

#[test]
fn the_demonstration_register_reads() {
    let r = Register::from_csv(include_str!(
        "../../bagalau-demo/data/services/register.csv"
    ))
    .unwrap();
    let now = r.at(d("2024-01-01"));
    assert!(now.len() >= 380, "{}", now.len());
    let sectors: std::collections::BTreeSet<&str> =
        now.values().map(|s| s.sector.as_str()).collect();
    assert!(sectors.len() >= 15, "{sectors:?}");
    // Every id names one service: its versions never overlap (checked by
    // the reading), and several services have more than one.
    let versioned = now
        .keys()
        .filter(|id| r.versions().iter().filter(|s| s.id == **id).count() > 1)
        .count();
    assert!(versioned >= 100, "{versioned}");
    // The electronic share grew: about two thirds of the services on the
    // portal in 2020, four in five by 2024.
    let portal_share = |date: &str| {
        let services = r.at(d(date));
        services.values().filter(|s| s.electronic()).count() as f64 / services.len() as f64
    };
    assert!(
        portal_share("2020-01-01") < 0.7,
        "{}",
        portal_share("2020-01-01")
    );
    assert!(
        portal_share("2024-01-01") >= 0.8,
        "{}",
        portal_share("2024-01-01")
    );
    // Services abolished and services added between the years.
    let changes = r.diff(d("2020-01-01"), d("2024-01-01"));
    assert!(
        changes
            .iter()
            .any(|c| matches!(c, Change::Removed(id) if id == "env_emissions_permit"))
    );
    assert!(
        changes
            .iter()
            .any(|c| matches!(c, Change::Added(id) if id == "env_impact_permit"))
    );
    // The land plot service moved to the portal only, with a shorter deadline, in 2023.
    assert_eq!(
        r.at(d("2022-12-31"))["land_plot"].deadline,
        Deadline::WorkingDays(20)
    );
    assert_eq!(now["land_plot"].deadline, Deadline::WorkingDays(15));
}

fn first_problem(text: &str) -> String {
    Register::from_csv(text).unwrap_err()[0].to_string()
}

#[test]
fn registers_with_the_mistakes_of_analysts_are_refused_by_line_and_column() {
    // Only a header: every indicator would have been empty.
    assert_eq!(
        first_problem(HEADER),
        "the register lists no service: only its header was found"
    );
    // A column named twice: the second once silently won.
    let twice =
        register()
            .replace('\n', ",x\n")
            .replacen("effective_to,x\n", "effective_to,name_kk\n", 1);
    assert_eq!(
        first_problem(&twice),
        "line 1, column `name_kk`: the column is named twice: which one holds the values?"
    );
    // A Kazakh name of spaces only (a cell cleared in Excel).
    let blank = register().replacen("Баланың тууын тіркеу", "   ", 1);
    assert_eq!(first_problem(&blank), "line 2, column `name_kk`: empty");
    // A two-digit year, once stored as the year 20.
    let year = register().replacen("2020-01-01", "20-01-01", 1);
    assert_eq!(
        first_problem(&year),
        "line 2, column `effective_from`: `20-01-01` is not a date: write YYYY-MM-DD with a four-digit year"
    );
    let nul = register().replacen("registration,", "regis\0tration,", 1);
    assert!(
        first_problem(&nul)
            .starts_with("line 2, column `sector`: `regis�tration` holds a control character")
    );
    let semicolons = register().replace(',', ";");
    assert!(first_problem(&semicolons).contains("separated by `;`, not commas"));
    let short = register().replacen(",2022-12-31\n", "\n", 1);
    assert_eq!(
        first_problem(&short),
        "line 2: the row has 14 fields where the header has 15 (a row shortened by hand, a trailing comma, or a quote never closed)"
    );
}

#[test]
fn providers_that_are_not_bodies_of_the_registry_are_named() {
    let r = Register::from_csv(&register()).unwrap();
    let known = |b: &str| ["minjust", "akimat_almaty"].contains(&b);
    let problems: Vec<String> = r
        .unknown_providers(known)
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        problems,
        [
            "service `pension` (the version from 2023-07-01), column `providers`: `mlsp` is not a body of the registry"
        ]
    );
}
