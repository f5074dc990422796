//! Survey exports in the layouts KoBoToolbox and ODK Central write, read by
//! a questionnaire with two versions, and the satisfaction estimates
//! against values worked out by hand from the formulas in `src/survey.rs`.

use bagalau_services::questionnaire::{Questionnaire, QuestionnaireError};
use bagalau_services::responses::{
    GroupEstimate, Response, Tool, breakdown, estimates, from_csv, read_export, to_csv,
};
use bagalau_services::survey::Estimate;

const QUESTIONNAIRE: &str = include_str!("../../bagalau-demo/data/services/satisfaction.toml");
const KOBO: &str = include_str!("fixtures/surveys/kobo-xml-values.csv");
const ODK: &str = include_str!("fixtures/surveys/odk-central.csv");

fn questionnaire() -> Questionnaire {
    Questionnaire::from_toml(QUESTIONNAIRE).expect("the demo questionnaire")
}

fn known(_: &str) -> bool {
    true
}

fn both() -> Vec<Response> {
    let q = questionnaire();
    let mut all = read_export(KOBO, &q, known).expect("the KoBo export");
    all.extend(read_export(ODK, &q, known).expect("the ODK export"));
    all
}

fn close(a: f64, b: f64) {
    assert!((a - b).abs() < 1e-9, "{a} vs {b}");
}

fn shown(e: &Estimate) -> (usize, f64, f64, f64, f64) {
    let f = e.figure().unwrap_or_else(|| panic!("suppressed: {e:?}"));
    (f.respondents, f.effective, f.value, f.low, f.high)
}

fn group<'a>(rows: &'a [GroupEstimate], name: &str) -> &'a GroupEstimate {
    rows.iter()
        .find(|g| g.group == name)
        .unwrap_or_else(|| panic!("no group {name}"))
}

#[test]
fn a_kobo_export_is_read_by_its_form_version() {
    let rows = read_export(KOBO, &questionnaire(), known).unwrap();
    assert_eq!(rows.len(), 15);
    let first = &rows[0];
    assert_eq!(first.tool, Tool::Kobo);
    assert_eq!(first.id, "6513270e-269e-4d37-b2a7-4de452e6b438");
    assert_eq!(first.version, "vGq7ZrV4ZCbkXhBs5mJfYd");
    assert_eq!(first.submitted.to_string(), "2024-03-03 04:14:52");
    assert_eq!(
        (
            first.service.as_str(),
            first.region.as_str(),
            first.channel.as_str()
        ),
        ("reg_birth", "astana", "psc")
    );
    assert_eq!(first.scores["overall"].score, 5.0);
    assert!(first.scores["time"].satisfied);
    // Row 10 weighs 1.5 and did not know about the time; row 12 did not
    // know overall; row 11 was not approved by the reviewers.
    assert_eq!(rows[9].weight, 1.5);
    assert!(!rows[9].scores.contains_key("time"));
    assert!(!rows[11].scores.contains_key("overall"));
    let rejected: Vec<usize> = (0..rows.len()).filter(|&i| rows[i].rejected).collect();
    assert_eq!(rejected, [10]);
}

#[test]
fn an_odk_central_export_is_read_by_its_form_version() {
    let rows = read_export(ODK, &questionnaire(), known).unwrap();
    assert_eq!(rows.len(), 11);
    assert!(
        rows.iter()
            .all(|r| r.tool == Tool::Odk && r.version == "2024031501")
    );
    assert_eq!(rows[0].id, "uuid:18f135d2-5f55-4203-b018-50c5a38fd547");
    assert_eq!(rows[0].submitted.to_string(), "2024-04-02 00:13:44");
    // This version has no weight question: every response weighs 1.
    assert!(rows.iter().all(|r| r.weight == 1.0));
    assert_eq!(rows[0].scores["staff"].score, 5.0);
    assert!(!rows[0].scores.contains_key("time"));
    // Only "rejected" leaves a response out; "hasIssues" and "edited" stay.
    let rejected: Vec<usize> = (0..rows.len()).filter(|&i| rows[i].rejected).collect();
    assert_eq!(rejected, [5]);
}

#[test]
fn the_overall_index_runs_across_versions_with_weights_and_intervals() {
    let rows = both();
    let by_region = estimates(&rows, "overall", breakdown("region").unwrap(), 10).unwrap();
    // Astana: 10 scored KoBo answers (weights 1,1,2,1,1,2,1,1,1,1.5; scores
    // 5,4,2,5,3,4,5,1,4,5) and 5 ODK ones (weight 1; 4,5,3,4,2); the
    // rejected and the "don't know" are out. Σw = 17.5, satisfied weight
    // 11.5, p = 0.657143; Σw² = 22.25, n_eff = 17.5²/22.25 = 13.764045;
    // Wilson: [0.398496, 0.847213]. Mean 64.5/17.5 = 3.685714, weighted
    // variance 1.558367, SE 0.336484: [3.032295, 4.339133].
    let astana = group(&by_region, "astana");
    let (n, eff, p, low, high) = shown(&astana.satisfied);
    assert_eq!(n, 15);
    close(eff, 17.5 * 17.5 / 22.25);
    close(p, 11.5 / 17.5);
    close(low, 0.398_496_489_812_162_24);
    close(high, 0.847_213_190_211_216_4);
    let (_, _, m, low, high) = shown(&astana.mean);
    close(m, 64.5 / 17.5);
    close(low, 3.032_295_225_143_739_6);
    close(high, 4.339_133_346_284_831);
    // Shymkent has 3 respondents and Abai 4 with a score: no figure.
    assert_eq!(
        group(&by_region, "shymkent").satisfied,
        Estimate::Suppressed { respondents: 3 }
    );
    assert_eq!(
        group(&by_region, "abai").mean,
        Estimate::Suppressed { respondents: 4 }
    );
    let all = estimates(&rows, "overall", breakdown("all").unwrap(), 10).unwrap();
    let (n, _, p, low, high) = shown(&all[0].satisfied);
    assert_eq!(n, 22);
    close(p, 16.5 / 24.5);
    close(low, 0.457_908_198_429_126_2);
    close(high, 0.834_326_291_104_062_8);
}

#[test]
fn a_measure_only_one_version_asks_rests_on_its_responses() {
    let rows = both();
    let by_region = estimates(&rows, "time", breakdown("region").unwrap(), 10).unwrap();
    // Astana, KoBo only, 10 scored; satisfied weight 7 of 12: Wilson
    // on n_eff = 12²/16 = 9: [0.287609, 0.829200].
    let (n, eff, p, low, high) = shown(&group(&by_region, "astana").satisfied);
    assert_eq!(n, 10);
    close(eff, 9.0);
    close(p, 7.0 / 12.0);
    close(low, 0.287_608_883_776_744_9);
    close(high, 0.829_200_274_819_997_9);
    assert!(by_region.iter().all(|g| g.group != "abai"));
}

#[test]
fn the_threshold_is_the_questionnaires_to_choose() {
    let rows = both();
    let by_region = estimates(&rows, "overall", breakdown("region").unwrap(), 3).unwrap();
    assert!(matches!(
        group(&by_region, "shymkent").satisfied,
        Estimate::Shown { respondents: 3, .. }
    ));
    let (n, eff, p, _, _) = shown(&group(&by_region, "abai").satisfied);
    assert_eq!((n, eff, p), (4, 4.0, 0.75));
}

#[test]
fn labels_in_headers_and_cells_and_a_row_of_hashtags_are_understood() {
    // KoBo's "Labels" export (Russian), `;`, one group, with HXL tags.
    let text = "\"Услуга\";\"Регион\";\"Где получена услуга\";\"Категория получателя\";\"weight\";\
\"Насколько вы удовлетворены качеством услуги?\";\"Насколько вы удовлетворены сроком оказания услуги?\";\
\"_id\";\"_uuid\";\"_submission_time\";\"_validation_status\";\"_notes\";\"_status\";\"_submitted_by\";\"__version__\";\"_tags\";\"_index\"\r\n\
\"#service\";\"#adm1\";\"\";\"\";\"\";\"\";\"\";\"\";\"\";\"\";\"\";\"\";\"\";\"\";\"\";\"\";\"\"\r\n\
\"id_card\";\"город Алматы\";\"ЦОН\";\"individual\";\"1\";\"Удовлетворен\";\"Затрудняюсь ответить\";\
\"7\";\"a1\";\"2024-05-02T08:00:00\";\"Not Approved\";\"\";\"\";\"\";\"vGq7ZrV4ZCbkXhBs5mJfYd\";\"\";\"1\"\r\n";
    let rows = read_export(text, &questionnaire(), known).unwrap();
    assert_eq!(rows.len(), 1);
    let r = &rows[0];
    assert_eq!(
        (r.region.as_str(), r.channel.as_str()),
        ("almaty_city", "psc")
    );
    assert_eq!(r.scores["overall"].score, 4.0);
    assert!(!r.scores.contains_key("time"));
    assert!(r.rejected);
}

#[test]
fn bad_rows_are_named_and_nothing_is_read() {
    let mut lines: Vec<String> = ODK.lines().map(str::to_string).collect();
    // Line 3: a version the questionnaire does not have; line 5: an answer
    // not among the choices; line 7: the submission of line 2 again.
    lines[2] = lines[2].replace(",2024031501", ",2024090101");
    lines[4] = lines[4].replacen(",individual,4,", ",individual,7,", 1);
    let key = lines[1].split(',').nth(10).unwrap().to_string();
    let fields: Vec<&str> = lines[6].split(',').collect();
    let old_key = fields[10].to_string();
    lines[6] = lines[6].replace(&old_key, &key);
    let text = lines.join("\n");
    let problems = read_export(&text, &questionnaire(), known).unwrap_err();
    let said: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
    assert_eq!(
        said,
        [
            "line 3, column `FormVersion`: the form version `2024090101` is not in the questionnaire (it has vGq7ZrV4ZCbkXhBs5mJfYd, 2024031501)",
            "line 5, column `overall_satisfaction`: `7` is not one of the question's choices",
            format!("line 7, column `KEY`: the submission `{key}` is also on line 2").as_str(),
        ]
    );
}

#[test]
fn services_outside_the_register_and_bad_weights_are_refused() {
    let text = KOBO
        .replacen("\"driver_licence\"", "\"fishing_permit\"", 1)
        .replacen(";\"1.5\";", ";\"-1\";", 1);
    let in_register = |id: &str| id != "fishing_permit";
    let problems = read_export(&text, &questionnaire(), in_register).unwrap_err();
    let said: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
    assert_eq!(
        said,
        [
            "line 9, column `visit/service`: the service `fishing_permit` is not in the register",
            "line 11, column `weight`: the weight `-1` is not a positive number",
        ]
    );
}

#[test]
fn files_that_are_not_exports_say_so() {
    let problems = read_export("a,b\n1,2\n", &questionnaire(), known).unwrap_err();
    assert!(problems[0].to_string().contains("not a KoBoToolbox export"));
    let no_version = KOBO.replace("\"__version__\"", "\"__version\"");
    let problems = read_export(&no_version, &questionnaire(), known).unwrap_err();
    assert!(
        problems[0].to_string().contains(
            "the export has no `__version__` column, and the questionnaire has 2 versions"
        ),
        "{problems:?}"
    );
}

#[test]
fn the_plain_form_keeps_everything() {
    let rows = both();
    let q = questionnaire();
    let text = to_csv(&rows, &q.measures());
    assert!(text.starts_with(
        "id,tool,version,submitted,rejected,service,region,channel,category,weight,overall_score,overall_satisfied,time_score,time_satisfied,staff_score,staff_satisfied\n"
    ));
    assert_eq!(from_csv(&text).unwrap(), rows);
}

#[test]
fn questionnaires_are_checked() {
    let broken = QUESTIONNAIRE.replacen("satisfied_at_least = 4\n", "", 1);
    assert_eq!(
        Questionnaire::from_toml(&broken).unwrap_err(),
        QuestionnaireError::Measure {
            version: "vGq7ZrV4ZCbkXhBs5mJfYd".into(),
            question: "q_overall".into(),
            problem: "a measure question says `satisfied_at_least`",
        }
    );
    let twice = QUESTIONNAIRE.replace("id = \"2024031501\"", "id = \"vGq7ZrV4ZCbkXhBs5mJfYd\"");
    assert_eq!(
        Questionnaire::from_toml(&twice).unwrap_err(),
        QuestionnaireError::DuplicateVersion("vGq7ZrV4ZCbkXhBs5mJfYd".into())
    );
    // The id names the folder of the kept responses: never a path.
    for id in ["../../escaped", "a/b", "", "Big", ".hidden"] {
        let escaping = QUESTIONNAIRE.replacen(
            "id = \"service-satisfaction\"",
            &format!("id = \"{id}\""),
            1,
        );
        assert_eq!(
            Questionnaire::from_toml(&escaping).unwrap_err(),
            QuestionnaireError::BadId(id.into())
        );
    }
    // Scores are finite numbers.
    for bad in ["nan", "inf", "-inf"] {
        let text = QUESTIONNAIRE.replacen(
            "satisfied_at_least = 4\n",
            &format!("satisfied_at_least = {bad}\n"),
            1,
        );
        assert!(
            matches!(
                Questionnaire::from_toml(&text).unwrap_err(),
                QuestionnaireError::Measure { problem, .. } if problem.contains("finite")
            ),
            "{bad}"
        );
    }
}

#[test]
fn a_question_without_a_column_is_said_once() {
    let text: String = ODK
        .lines()
        .map(|l| {
            let mut cells: Vec<&str> = l.split(',').collect();
            cells.remove(8); // q_staff
            cells.join(",") + "\n"
        })
        .collect();
    let problems = read_export(&text, &questionnaire(), known).unwrap_err();
    let said: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
    assert_eq!(
        said,
        ["line 2: version `2024031501` asks `q_staff`, and the export has no column for it"]
    );
}
