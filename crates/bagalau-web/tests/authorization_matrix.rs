//! The authorization matrix as data. `fixtures/authorization.txt` has a row
//! per request (a method, a path and the stage of the cycle the clock is
//! in) and a column per caller (anonymous, then every account of the test
//! kit: one per role, the scoped ones for their own and another scope);
//! each cell is the status that caller gets. Every operation of the OpenAPI
//! document has at least one row.
//!
//! Requests run against the router on a prepared state in which every step
//! is possible for the account whose step it is. A request expected to
//! succeed runs on its own copy of that state (so no write changes what
//! the next row sees); every other one runs on one shared copy whose audit
//! trail must not move: nothing refused writes anything.
//!
//! `BAGALAU_MATRIX=print cargo test --test authorization_matrix` prints the
//! table as it stands, to review row by row before it replaces the fixture.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use bagalau_core::cycle::{Objection, ObjectionState, Stage};
use bagalau_core::monitoring::{
    Finding, Observation, Project, ProjectPlan, ProjectRecommendation, ProjectStatus, Severity,
};
use bagalau_core::recommendation::{Recommendation, RecommendationState};
use bagalau_store::SelectionRecord;
use bagalau_testkit::{ACCOUNTS, TestApp, during, samples, token};
use bagalau_web::{AppState, openapi, router};
use chrono::NaiveDate;
use http_body_util::BodyExt;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use tower::ServiceExt;

const FIXTURE: &str = "tests/fixtures/authorization.txt";

/// Records that an importer of minfin's services may import.
const RECORDS: &str = "service,provider,region,office,channel,recipient,requested_at,delivered_at,extra_documents\n\
    biz_audit_licence,minfin,astana,astana_office,portal,legal,2023-07-03 10:00,2023-07-04 11:00,0\n";

/// Callers with no part in minfin's cycle or the NGO's project: they never
/// see the prepared state's unpublished texts (all of which say "minfin's").
const UNRELATED: [&str; 5] = [
    "anonymous",
    "monitor",
    "reporter_mne",
    "ngo_other",
    "importer_mne",
];

const PERSON: &str = "person";
const PASSWORD: &str = "correct horse battery";

/// What the prepared state's requests need to name.
struct Prepared {
    template: bagalau_testkit::Template,
    evidence: String,
    job: String,
    workbook: Vec<u8>,
}

fn day(month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, month, day).unwrap()
}

fn state_of(app: &TestApp) -> AppState {
    AppState {
        store: app.store.clone(),
        clock: app.clock(),
        files: app.evidence(64 * 1024),
        records: bagalau_analytics::kept::kept(&app.path().join("services").display().to_string())
            .unwrap(),
    }
}

async fn call(
    state: &AppState,
    method: &str,
    path: &str,
    account: Option<&str>,
    content_type: &str,
    body: Vec<u8>,
) -> (StatusCode, Value, Vec<u8>) {
    let mut request = Request::builder()
        .method(method)
        .uri(path)
        .header("Content-Type", content_type);
    if let Some(account) = account {
        request = request.header("Authorization", format!("Bearer {}", token(account)));
    }
    let response = router(state.clone())
        .oneshot(request.body(Body::from(body)).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        bytes.to_vec(),
    )
}

async fn json_call(
    state: &AppState,
    method: &str,
    path: &str,
    account: &str,
    body: Value,
) -> Value {
    let (status, answer, _) = call(
        state,
        method,
        path,
        Some(account),
        "application/json",
        body.to_string().into_bytes(),
    )
    .await;
    assert!(status.is_success(), "{method} {path}: {status} {answer}");
    answer
}

/// The state every row starts from: the demonstration registry and
/// register; 2022 in its cycle (minfin drawn for verification), 2021 in
/// its cycle with an objection at each step, 2020 approved with a
/// correction asked for, 2019 approved, 2023's pack a draft; NGOs with a
/// project, a finding and recommendations; a questionnaire with answers;
/// complaints, openness records, evidence, records imported as a job.
async fn prepare() -> Prepared {
    let app = TestApp::setup()
        .register()
        .organisations()
        .year(2023)
        .cycle(2022)
        .year(2022)
        .cycle(2021)
        .year(2021)
        .approved(2020)
        .approved(2019)
        .with(|b| {
            b.users.push(bagalau_store::UserRecord {
                name: PERSON.into(),
                password_hash: bagalau_core::accounts::hash_password(PASSWORD, &[7; 16]).unwrap(),
                roles: vec!["monitor".into()],
                created_at: bagalau_testkit::NOW.into(),
                disabled_at: None,
            });
        })
        .build()
        .await;
    let state = state_of(&app);
    let evidence = {
        let (status, answer, _) = call(
            &state,
            "POST",
            "/api/v1/evidence?name=act.pdf",
            Some("reporter_minfin"),
            "application/pdf",
            b"%PDF-1.4\n% the body's act\n".to_vec(),
        )
        .await;
        assert!(status.is_success(), "{status} {answer}");
        answer["sha256"].as_str().unwrap().to_string()
    };
    let objection = |state: ObjectionState, evidence: Vec<String>| Objection {
        body: "minfin".into(),
        direction: "budget".into(),
        criterion: "bp_execution".into(),
        filed_by: "reporter_minfin".into(),
        statement: "minfin's statement".into(),
        decided_by: (state != ObjectionState::Filed).then(|| "assessor".into()),
        reason: (state != ObjectionState::Filed).then(|| "the plan was kept".into()),
        state,
        evidence,
    };
    let recommendation = |state| samples::recommendation(2022, state);
    let monitoring_recommendation = |state: RecommendationState| ProjectRecommendation {
        project: 1,
        organisation: "adal".into(),
        recommendation: Recommendation {
            year: 2026,
            issued_by: "ngo".into(),
            ..recommendation(state)
        },
    };
    let sha = evidence.clone();
    app.apply(move |b| {
        // An objection answers a preliminary conclusion; the commission
        // approves final ones. Written by another assessor than the test
        // kit's, who may then decide objections to them (not to its own).
        for (year, is_final) in [(2022, false), (2021, false), (2022, true)] {
            b.conclusions.push((
                year,
                bagalau_core::cycle::Conclusion {
                    direction: "budget".into(),
                    body: "minfin".into(),
                    author: "lead_assessor".into(),
                    text: "minfin's conclusion".into(),
                    is_final,
                },
            ));
        }
        b.objections.extend([
            (
                2021,
                None,
                objection(ObjectionState::Filed, vec![sha.clone()]),
            ),
            (2021, None, objection(ObjectionState::Rejected, vec![])),
            (2021, None, objection(ObjectionState::Escalated, vec![])),
        ]);
        b.recommendations.extend([
            (None, recommendation(RecommendationState::Open)),
            (None, recommendation(RecommendationState::Reported)),
            // Due within the year after its own: counted in 2021's rates.
            (
                None,
                Recommendation {
                    year: 2021,
                    due: NaiveDate::from_ymd_opt(2022, 6, 30).unwrap(),
                    ..recommendation(RecommendationState::Open)
                },
            ),
        ]);
        b.corrections
            .push((None, samples::correction_requested(2020)));
        b.selection = Some((
            2022,
            7,
            vec![SelectionRecord {
                body: "minfin".into(),
                by: "draw".into(),
                score: 0.0,
                reasons: vec![],
            }],
        ));
        b.monitoring_projects.push((
            None,
            Project {
                organisation: "adal".into(),
                plan: ProjectPlan {
                    title: "Audit licences in Almaty".into(),
                    services: vec!["biz_audit_licence".into()],
                    regions: vec!["almaty".into()],
                    period_from: day(2, 1),
                    period_to: day(4, 30),
                    method: "test visits".into(),
                },
                status: ProjectStatus::Active,
                created_by: "ngo".into(),
                reported_at: None,
            },
        ));
        b.monitoring_findings.push((
            None,
            Finding {
                project: 1,
                observation: Observation {
                    service: "biz_audit_licence".into(),
                    body: "minfin".into(),
                    region: "almaty".into(),
                    office: None,
                    observed_on: day(2, 20),
                    text: "minfin's office asked for a paper copy".into(),
                    severity: Severity::Minor,
                    evidence: vec![],
                },
                submitted_by: "ngo".into(),
                submitted_at: day(2, 21).and_hms_opt(10, 0, 0).unwrap(),
                reply_due: day(3, 20),
                reply: None,
            },
        ));
        b.monitoring_recommendations.extend([
            (None, monitoring_recommendation(RecommendationState::Open)),
            (
                None,
                monitoring_recommendation(RecommendationState::Reported),
            ),
        ]);
    })
    .await;
    for (method, path, account, body) in [
        (
            "PUT",
            "/api/v1/questionnaires/service-satisfaction",
            "coordinator",
            json!({ "name": "satisfaction.toml", "text": QUESTIONNAIRE }),
        ),
        (
            "POST",
            "/api/v1/questionnaires/service-satisfaction/responses",
            "coordinator",
            files("odk.csv", RESPONSES),
        ),
        (
            "POST",
            "/api/v1/complaints",
            "coordinator",
            files("c.csv", COMPLAINTS),
        ),
        (
            "POST",
            "/api/v1/openness",
            "coordinator",
            files("o.csv", OPENNESS),
        ),
        (
            "POST",
            "/api/v1/performance/packs",
            "methodologist",
            json!({ "files": [{ "name": "pack.toml", "text": bagalau_demo::PERFORMANCE_PACKS[0].1 }], "reason": null }),
        ),
    ] {
        json_call(&state, method, path, account, body).await;
    }
    let job = {
        let (status, answer, _) = call(
            &state,
            "POST",
            "/api/v1/services/records?name=july.csv",
            Some("importer_minfin"),
            "text/csv",
            RECORDS.as_bytes().to_vec(),
        )
        .await;
        assert_eq!(status, StatusCode::ACCEPTED, "{answer}");
        let id = answer["id"].as_str().unwrap().to_string();
        let mut ended = false;
        for _ in 0..500 {
            let job = json_call(
                &state,
                "GET",
                &format!("/api/v1/services/records/imports/{id}"),
                "importer_minfin",
                Value::Null,
            )
            .await;
            if job["state"] != "running" {
                assert_eq!(job["state"], "done", "{job}");
                ended = true;
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        assert!(ended, "the import ended");
        id
    };
    json_call(
        &state,
        "POST",
        "/api/v1/services/ratings/2023/publications",
        "coordinator",
        json!({ "reason": null }),
    )
    .await;
    let workbook = {
        let (status, _, bytes) = call(
            &state,
            "GET",
            "/api/v1/cycles/2022/submissions/minfin/template",
            Some("reporter_minfin"),
            "application/json",
            vec![],
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        bytes
    };
    Prepared {
        template: app.into_template().await,
        evidence,
        job,
        workbook,
    }
}

const QUESTIONNAIRE: &str = include_str!("../../bagalau-demo/data/services/satisfaction.toml");
const RESPONSES: &str =
    include_str!("../../bagalau-services/tests/fixtures/surveys/odk-central.csv");
const COMPLAINTS: &str = "id,body,kind,received,due,answered,outcome,substantiated,repeated,court_case,court_justified\nC-1,minfin,complaint,2026-02-03,,,,0,0,0,\n";
const OPENNESS: &str = "dataset,body,due,published\nbudget,minfin,2026-03-31,\n";

fn files(name: &str, text: &str) -> Value {
    json!({ "files": [{ "name": name, "text": text }] })
}

/// The body each request sends: (content type, bytes).
fn request_body(method: &str, path: &str, prepared: &Prepared) -> (&'static str, Vec<u8>) {
    if method == "GET" {
        return ("application/json", vec![]);
    }
    let route = path.split('?').next().unwrap_or(path);
    let asem = |file: &str| {
        std::fs::read_to_string(format!(
            "{}/../../examples/asem/{file}",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap()
    };
    let index_tables = || {
        json!({
            "data": { "name": "ASEM_iData.csv", "text": asem("ASEM_iData.csv") },
            "meta": { "name": "ASEM_iMeta.csv", "text": asem("ASEM_iMeta.csv") },
            "pipeline": { "name": "pipeline.toml", "text": asem("pipeline.toml") },
        })
    };
    let (pack_name, pack_text) = bagalau_demo::PACKS
        .into_iter()
        .find(|(_, text)| text.contains("year = 2023"))
        .unwrap();
    let json = match route {
        "/api/v1/evidence" => return ("application/pdf", b"%PDF-1.4\n% more\n".to_vec()),
        "/api/v1/services/records" => return ("text/csv", RECORDS.as_bytes().to_vec()),
        r if r.ends_with("/xlsx") => {
            return (
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                prepared.workbook.clone(),
            );
        }
        "/api/v1/accounts" => {
            json!({ "name": "newcomer", "roles": ["monitor"], "password": "a long enough password" })
        }
        r if r.ends_with("/state") => json!({ "disabled": true }),
        r if r.ends_with("/revocation") && r.contains("/accounts/") => Value::Null,
        "/api/v1/audit/verification" => json!({}),
        "/api/v1/complaints" => files("c2.csv", &COMPLAINTS.replace("C-1", "C-2")),
        "/api/v1/openness" => files("o2.csv", &OPENNESS.replace("budget", "procurement")),
        r if r.ends_with("/approval") => json!({ "reason": null }),
        r if r.ends_with("/calendar") && r.contains("/cycles/") => json!({
            "deadlines": {
                "submission": "2026-03-20", "verification": "2026-04-15", "preliminary": "2026-05-15",
                "objections": "2026-06-01", "final": "2026-07-01", "commission": "2026-08-01"
            },
            "reason": "the submission week was too short"
        }),
        r if r.ends_with("/conclusions") => {
            json!({ "direction": "budget", "body": "minfin", "text": "minfin kept its plan" })
        }
        r if r.ends_with("/corrections") => json!({ "reason": "a value was wrong" }),
        r if r.contains("/corrections/") => json!({ "accept": true, "reason": "it was" }),
        r if r.ends_with("/extensions") => {
            json!({ "body": "minfin", "until": "2026-03-20", "reason": "a flood" })
        }
        r if r.ends_with("/findings") && r.contains("/cycles/") => json!({
            "body": "minfin", "indicator": "bl_violations", "value": 1, "reason": "the act says one"
        }),
        r if r.ends_with("/objections") => json!({
            "body": "minfin", "direction": "budget", "criterion": "bp_execution", "statement": "the plan changed"
        }),
        r if r.ends_with("/decision") || r.ends_with("/ruling") => {
            json!({ "accept": false, "reason": "the values stand" })
        }
        r if r.ends_with("/escalation") || r == "/api/v1/logout" => Value::Null,
        r if r.ends_with("/opinions") => json!({ "text": "the year was assessed fairly" }),
        r if r.contains("/submissions/") => {
            json!({ "values": [{ "indicator": "bl_violations", "value": 1 }] })
        }
        r if r.ends_with("/verification") => {
            json!({ "top": 2, "draw": 1, "seed": 8, "reason": "the first draw missed a region" })
        }
        "/api/v1/data" => json!({
            "files": [{ "name": "march.csv", "text": "year,body_id,indicator_id,value\n2023,minfin,bp_spent,1\n" }],
            "reason": null
        }),
        "/api/v1/index/builds" => index_tables(),
        "/api/v1/index/uncertainty" => {
            let mut tables = index_tables();
            tables["plan"] = json!({ "name": "plan.toml", "text": "replications = 20\nseed = 7\nrank_shift = 5\n" });
            tables
        }
        "/api/v1/login" => json!({ "name": PERSON, "password": PASSWORD }),
        "/api/v1/methodology/check" => files(pack_name, pack_text),
        "/api/v1/methodology/packs" => {
            json!({ "files": [{ "name": pack_name, "text": pack_text }], "reason": null })
        }
        r if r.ends_with("/adoption") => json!({}),
        r if r.ends_with("/reply") => json!({ "stance": "accepts", "text": "the office was told" }),
        "/api/v1/monitoring/organisations" => json!({
            "id": "novaya", "name": { "kk": "novaya kk", "ru": "novaya ru", "en": "novaya en" },
            "accreditation": { "by": "coordinator, order 2", "from": "2026-01-01", "until": "2026-12-31" }
        }),
        r if r.ends_with("/revocation") => {
            json!({ "on": "2026-03-17", "reason": "a conflict of interest" })
        }
        "/api/v1/monitoring/projects" => json!({
            "organisation": "adal", "title": "Audit licences in Astana", "services": ["biz_audit_licence"],
            "regions": ["astana"], "period_from": "2026-03-01", "period_to": "2026-05-31", "method": "test visits"
        }),
        r if r.ends_with("/findings") => json!({
            "service": "biz_audit_licence", "body": "minfin", "region": "almaty", "office": null,
            "observed_on": "2026-02-25", "text": "no queue system", "severity": "minor", "evidence": []
        }),
        r if r.ends_with("/recommendations") && r.contains("/projects/") => {
            json!({ "body": "minfin", "text": "put up a queue system", "due": "2026-09-01" })
        }
        r if r.ends_with("/status") => json!({ "status": "reported" }),
        r if r.ends_with("/report") => json!({ "text": "done as asked" }),
        r if r.ends_with("/review") => json!({ "accept": true, "reason": null }),
        "/api/v1/performance/packs" => json!({
            "files": [{ "name": "pack.toml", "text": bagalau_demo::PERFORMANCE_PACKS[0].1 }], "reason": null
        }),
        "/api/v1/performance/series" => json!({
            "files": [{ "name": "series.csv", "text": "entity,indicator,year,value\n" }], "reason": null
        }),
        r if r.starts_with("/api/v1/questionnaires/") && r.ends_with("/responses") => {
            files("odk2.csv", RESPONSES)
        }
        r if r.starts_with("/api/v1/questionnaires/") => {
            json!({ "name": "satisfaction.toml", "text": QUESTIONNAIRE })
        }
        "/api/v1/recommendations" => json!({
            "year": 2022, "body": "minfin", "text": "publish the plan", "due": "2027-01-01"
        }),
        "/api/v1/registry" => json!({
            "name": bagalau_demo::REGISTRY.0, "text": bagalau_demo::REGISTRY.1, "reason": null
        }),
        "/api/v1/services/calendar" => json!({
            "name": "additions.toml",
            "text": "[[holiday]]\nname = \"Day of mourning\"\ndays = [\"04-15\"]\ncarried = false\nfrom = 2026\nuntil = 2026\n"
        }),
        r if r.ends_with("/publications") => json!({ "reason": null }),
        "/api/v1/services/register" => json!({
            "name": "register.csv", "text": bagalau_demo::SERVICE_REGISTER.1
        }),
        other => panic!("no request body for {method} {other}"),
    };
    ("application/json", json.to_string().into_bytes())
}

struct Row {
    line: usize,
    method: String,
    path: String,
    stage: Stage,
    statuses: Vec<u16>,
}

fn callers() -> Vec<&'static str> {
    std::iter::once("anonymous")
        .chain(ACCOUNTS.iter().map(|(name, _)| *name))
        .collect()
}

fn stage_named(name: &str) -> Stage {
    Stage::ALL
        .into_iter()
        .find(|s| format!("{s:?}").eq_ignore_ascii_case(name))
        .unwrap_or_else(|| panic!("no stage `{name}`"))
}

fn rows(text: &str) -> Vec<Row> {
    let mut rows = Vec::new();
    let mut columns_named = false;
    for (i, line) in text.lines().enumerate() {
        if let Some(names) = line.strip_prefix("# callers:") {
            let names: Vec<&str> = names.split_whitespace().collect();
            assert_eq!(names, callers(), "{FIXTURE}:{}: the callers", i + 1);
            columns_named = true;
        }
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let cells: Vec<&str> = line.split_whitespace().collect();
        let (method, path, stage) = (cells[0], cells[1], cells[2]);
        let stage = stage_named(
            stage
                .strip_prefix('@')
                .unwrap_or_else(|| panic!("{FIXTURE}:{}: a stage as @name", i + 1)),
        );
        let statuses: Vec<u16> = cells[3..]
            .iter()
            .map(|c| {
                c.parse()
                    .unwrap_or_else(|_| panic!("{FIXTURE}:{}: `{c}`", i + 1))
            })
            .collect();
        assert_eq!(
            statuses.len(),
            callers().len(),
            "{FIXTURE}:{}: a status per caller",
            i + 1
        );
        rows.push(Row {
            line: i + 1,
            method: method.to_string(),
            path: path.to_string(),
            stage,
            statuses,
        });
    }
    assert!(columns_named, "{FIXTURE} names its callers");
    rows
}

/// The documented operation a concrete request is for: the template
/// whose literal segments it has.
fn operation_of(path: &str, operations: &[(String, String)], method: &str) -> Option<String> {
    let route = path.split('?').next().unwrap_or(path);
    let segments: Vec<&str> = route.split('/').collect();
    operations
        .iter()
        .filter(|(m, _)| m == method)
        .map(|(_, template)| template)
        .find(|template| {
            let parts: Vec<&str> = template.split('/').collect();
            parts.len() == segments.len()
                && parts
                    .iter()
                    .zip(&segments)
                    .all(|(p, s)| p.starts_with('{') || p == s)
        })
        .map(|template| format!("{method} {template}"))
}

fn operations() -> Vec<(String, String)> {
    let document = openapi();
    let mut all = Vec::new();
    for (path, item) in document["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            all.push((method.to_uppercase(), path.clone()));
        }
    }
    all
}

#[test]
fn every_operation_has_a_row() {
    let rows = rows(&std::fs::read_to_string(FIXTURE).unwrap());
    let operations = operations();
    let mut covered = Vec::new();
    for row in &rows {
        match operation_of(&row.path, &operations, &row.method) {
            Some(op) => covered.push(op),
            None => panic!(
                "{FIXTURE}:{}: {} {} is no documented operation",
                row.line, row.method, row.path
            ),
        }
    }
    let missing: Vec<String> = operations
        .iter()
        .map(|(m, p)| format!("{m} {p}"))
        .filter(|op| !covered.contains(op))
        .collect();
    assert!(missing.is_empty(), "no row for:\n{}", missing.join("\n"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_authorization_matrix_holds() {
    let text = std::fs::read_to_string(FIXTURE).unwrap();
    let rows = rows(&text);
    let prepared = prepare().await;
    let printing = std::env::var("BAGALAU_MATRIX").is_ok_and(|v| v == "print");
    let mut shared = prepared.template.open().await;
    let mut shared_state = state_of(&shared);
    let before = shared.trail().await;
    let callers = callers();
    let mut observed: Vec<(usize, Vec<u16>)> = Vec::new();
    let mut wrong = Vec::new();
    for row in &rows {
        let path = row
            .path
            .replace("{evidence}", &prepared.evidence)
            .replace("{job}", &prepared.job);
        let (content_type, body) = request_body(&row.method, &path, &prepared);
        let mut got = Vec::new();
        for (caller, expected) in callers.iter().zip(&row.statuses) {
            let account = (*caller != "anonymous").then_some(*caller);
            let succeeds = (200..300).contains(expected) && row.method != "GET";
            let own;
            let state = if succeeds {
                own = prepared.template.open().await;
                own.set_now(&during(row.stage));
                state_of(&own)
            } else {
                shared.set_now(&during(row.stage));
                shared_state.clone()
            };
            let (status, answer, _) = call(
                &state,
                &row.method,
                &path,
                account,
                content_type,
                body.clone(),
            )
            .await;
            got.push(status.as_u16());
            if UNRELATED.contains(caller) && answer.to_string().contains("minfin's") {
                wrong.push(format!(
                    "{FIXTURE}:{}: {} {} shows {caller} minfin's unpublished texts: {answer}",
                    row.line, row.method, row.path
                ));
            }
            if printing && !succeeds && status.is_success() && row.method != "GET" {
                // It wrote where it was expected not to: the next call
                // starts from the prepared state again.
                shared = prepared.template.open().await;
                shared_state = state_of(&shared);
            }
            if status.as_u16() != *expected {
                wrong.push(format!(
                    "{FIXTURE}:{}: {} {} as {caller}: {status}, expected {expected}: {}",
                    row.line,
                    row.method,
                    row.path,
                    answer.to_string().chars().take(200).collect::<String>()
                ));
            }
        }
        observed.push((row.line, got));
    }
    if printing {
        print_table(&text, &observed);
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    assert_eq!(
        shared.trail().await,
        before,
        "a refused or read-only request wrote to the audit trail"
    );
}

/// The fixture with the observed statuses in place of the expected ones.
fn print_table(text: &str, observed: &[(usize, Vec<u16>)]) {
    let by_line: BTreeMap<usize, &Vec<u16>> = observed.iter().map(|(l, s)| (*l, s)).collect();
    for (i, line) in text.lines().enumerate() {
        match by_line.get(&(i + 1)) {
            Some(statuses) => {
                let cells: Vec<&str> = line.split_whitespace().collect();
                let head = format!("{:<6} {:<58} {:<13}", cells[0], cells[1], cells[2]);
                let statuses: Vec<String> = statuses.iter().map(|s| format!("{s:>6}")).collect();
                println!("{head}{}", statuses.join(""));
            }
            None => println!("{line}"),
        }
    }
}
