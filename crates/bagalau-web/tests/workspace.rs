//! The workspaces in process on a real SQLite database: signing in and out
//! with a session cookie, CSRF on every form, the dashboard, and the
//! reporting-data form that keeps what was typed and names each error.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use bagalau_core::data::{DEMONSTRATION, YearData};
use bagalau_core::pack::Unit;
use bagalau_core::{Kind, pack, registry, score};
use bagalau_store::{AnyStore, Document, ImportBatch, Store, UserRecord};
use bagalau_web::{AppState, router};
use http_body_util::BodyExt;
use std::sync::Arc;
use tower::ServiceExt;

const NOW: &str = "2026-03-01T00:00:00+00:00";
const PASSWORD: &str = "correct horse battery";

async fn setup(dir: &tempfile::TempDir) -> AppState {
    let store = AnyStore::open(&dir.path().join("t.db").display().to_string())
        .await
        .unwrap();
    let reg = registry::load(bagalau_demo::REGISTRY.0, bagalau_demo::REGISTRY.1).unwrap();
    let m = pack::load(bagalau_demo::PACKS[3].0, bagalau_demo::PACKS[3].1).unwrap();
    let obs = bagalau_demo::generate(&m, &reg, 9);
    let a = score::assess(&m, &reg, &YearData::from_observations(&obs, true));
    let mut batch = ImportBatch {
        at: NOW.into(),
        actor: "test".into(),
        ..Default::default()
    };
    batch.observations = obs
        .into_iter()
        .map(|o| (o, DEMONSTRATION.to_string()))
        .collect();
    batch.assessments.push(a);
    batch.packs.push(Document {
        file_name: "p".into(),
        text: bagalau_demo::PACKS[3].1.into(),
        parsed: m,
    });
    batch.registry = Some(Document {
        file_name: "r".into(),
        text: bagalau_demo::REGISTRY.1.into(),
        parsed: reg,
    });
    let hash = bagalau_core::accounts::hash_password(PASSWORD, &[3u8; 16]).unwrap();
    for (name, role) in [
        ("aigerim", "reporter:minfin"),
        ("coordinator", "coordinator"),
    ] {
        batch.users.push(UserRecord {
            disabled_at: None,
            name: name.into(),
            password_hash: hash.clone(),
            roles: vec![role.into()],
            created_at: NOW.into(),
        });
    }
    let d = |m, day| {
        chrono::NaiveDate::from_ymd_opt(2026, m, day)
            .unwrap()
            .and_hms_opt(23, 59, 59)
            .unwrap()
    };
    use bagalau_core::cycle::Stage;
    batch.cycles.push((
        2022,
        bagalau_core::cycle::Calendar {
            deadlines: std::collections::BTreeMap::from([
                (Stage::Submission, d(3, 15)),
                (Stage::Verification, d(4, 15)),
                (Stage::Preliminary, d(5, 15)),
                (Stage::Objections, d(6, 1)),
                (Stage::Final, d(7, 1)),
                (Stage::Commission, d(8, 1)),
            ]),
        },
    ));
    store.apply(batch).await.unwrap();
    AppState {
        records: bagalau_web::no_records(),
        store,
        files: bagalau_store::files::FileStore::open(dir.path().join("evidence"), 1024).unwrap(),
        clock: Arc::new(|| NOW.to_string()),
    }
}

struct Answer {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    text: String,
}

impl Answer {
    /// The value of a cookie this answer sets.
    fn cookie(&self, name: &str) -> Option<String> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find_map(|v| {
                v.strip_prefix(&format!("{name}="))
                    .map(|rest| rest.split(';').next().unwrap().to_string())
            })
    }

    fn set_cookie(&self, name: &str) -> String {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with(&format!("{name}=")))
            .unwrap()
            .to_string()
    }

    /// The value of a hidden input.
    fn input(&self, name: &str) -> String {
        let at = self
            .text
            .find(&format!("name=\"{name}\" value=\""))
            .unwrap();
        let rest = &self.text[at + name.len() + 15..];
        rest.split('"').next().unwrap().to_string()
    }
}

async fn send(
    state: &AppState,
    method: &str,
    uri: &str,
    cookies: &str,
    form: &[(&str, &str)],
) -> Answer {
    let body = form
        .iter()
        .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
        .collect::<Vec<_>>()
        .join("&");
    let mut request = Request::builder().method(method).uri(uri);
    if !cookies.is_empty() {
        request = request.header(header::COOKIE, cookies);
    }
    if method == "POST" {
        request = request.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    }
    let response = router(state.clone())
        .oneshot(request.body(Body::from(body)).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    Answer {
        status,
        headers,
        text: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Signs in through the form; returns the session cookie header value.
async fn sign_in(state: &AppState, name: &str) -> String {
    let form = send(state, "GET", "/login", "", &[]).await;
    let csrf = form.cookie("bagalau_signin").unwrap();
    let done = send(
        state,
        "POST",
        "/login",
        &format!("bagalau_signin={csrf}"),
        &[
            ("name", name),
            ("password", PASSWORD),
            ("csrf", &csrf),
            ("next", "/workspace"),
        ],
    )
    .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.text);
    format!(
        "bagalau_session={}",
        done.cookie("bagalau_session").unwrap()
    )
}

#[tokio::test]
async fn signing_in_and_out() {
    let dir = tempfile::tempdir().unwrap();
    let state = setup(&dir).await;
    let away = send(&state, "GET", "/workspace", "", &[]).await;
    assert_eq!(away.status, StatusCode::SEE_OTHER);
    assert_eq!(away.headers[header::LOCATION], "/login?next=/workspace");
    // A CR/LF in the address is encoded, never a broken header (once 500).
    let crlf = send(
        &state,
        "GET",
        "/workspace/2022/submissions/a%0D%0ASet-Cookie:%20x",
        "",
        &[],
    )
    .await;
    assert_eq!(crlf.status, StatusCode::SEE_OTHER);
    assert_eq!(
        crlf.headers[header::LOCATION],
        "/login?next=/workspace/2022/submissions/a%0D%0ASet-Cookie%3A%20x"
    );

    let form = send(&state, "GET", "/login?next=/workspace", "lang=en", &[]).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(
        form.text
            .contains("<label for=\"password\">Password</label>")
    );
    let csrf = form.cookie("bagalau_signin").unwrap();
    assert_eq!(form.input("csrf"), csrf);
    let jar = format!("lang=en; bagalau_signin={csrf}");
    // Without the matching token (a form posted from elsewhere): refused.
    let forged = send(
        &state,
        "POST",
        "/login",
        "lang=en",
        &[("name", "aigerim"), ("password", PASSWORD), ("csrf", &csrf)],
    )
    .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert!(forged.text.contains("The form expired"));
    // A wrong password: the name stays in its field, the error is announced.
    let wrong = send(
        &state,
        "POST",
        "/login",
        &jar,
        &[("name", "aigerim"), ("password", "nope"), ("csrf", &csrf)],
    )
    .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert!(
        wrong
            .text
            .contains("role=\"alert\" id=\"login-error\">Wrong name or password.")
    );
    assert!(
        wrong
            .text
            .contains("value=\"aigerim\" aria-invalid=\"true\"")
    );
    // Right: a session cookie, HttpOnly, SameSite=Strict, Secure; then the dashboard.
    let ok = send(
        &state,
        "POST",
        "/login",
        &jar,
        &[
            ("name", "aigerim"),
            ("password", PASSWORD),
            ("csrf", &csrf),
            ("next", "https://evil.example/"),
        ],
    )
    .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    assert_eq!(
        ok.headers[header::LOCATION],
        "/workspace",
        "never sent elsewhere"
    );
    // Nor to a workspace address with a line break in it (once 500, after
    // the session was made).
    let csrf_again = send(&state, "GET", "/login", "lang=en", &[])
        .await
        .cookie("bagalau_signin")
        .unwrap();
    let broken = send(
        &state,
        "POST",
        "/login",
        &format!("lang=en; bagalau_signin={csrf_again}"),
        &[
            ("name", "aigerim"),
            ("password", PASSWORD),
            ("csrf", &csrf_again),
            ("next", "/workspace\r\nSet-Cookie: x=1"),
        ],
    )
    .await;
    assert_eq!(broken.status, StatusCode::SEE_OTHER);
    assert_eq!(broken.headers[header::LOCATION], "/workspace");
    let set = ok.set_cookie("bagalau_session");
    for part in ["HttpOnly", "SameSite=Strict", "Secure", "Path=/"] {
        assert!(set.contains(part), "{set}");
    }
    let session = format!(
        "lang=en; bagalau_session={}",
        ok.cookie("bagalau_session").unwrap()
    );
    let home = send(&state, "GET", "/workspace", &session, &[]).await;
    assert_eq!(home.status, StatusCode::OK);
    assert_eq!(home.headers[header::CACHE_CONTROL], "no-store");
    assert!(home.text.contains("Signed in as aigerim (reporter:minfin)"));
    assert!(
        home.text.contains("<a href=\"/workspace/2022/submissions/minfin\">Submit the reporting data of Ministry of Finance</a>"),
        "{}",
        home.text
    );
    // Signing out needs the form's token, and ends the session.
    let csrf = home.input("csrf");
    assert_eq!(
        send(&state, "POST", "/logout", &session, &[("csrf", "x")])
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let out = send(&state, "POST", "/logout", &session, &[("csrf", &csrf)]).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    assert_eq!(
        send(&state, "GET", "/workspace", &session, &[])
            .await
            .status,
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn the_reporting_form_keeps_what_was_typed_and_names_each_error() {
    let dir = tempfile::tempdir().unwrap();
    let state = setup(&dir).await;
    let session = format!("lang=ru; {}", sign_in(&state, "aigerim").await);
    let path = "/workspace/2022/submissions/minfin";
    let form = send(&state, "GET", path, &session, &[]).await;
    assert_eq!(form.status, StatusCode::OK);
    let csrf = form.input("csrf");
    let m = pack::load(bagalau_demo::PACKS[3].0, bagalau_demo::PACKS[3].1).unwrap();
    let percent = m
        .indicators
        .iter()
        .find(|i| {
            i.unit == Unit::Percent
                && i.applies_to.contains(&Kind::Cgb)
                && form.text.contains(&format!("name=\"v.{}\"", i.id))
        })
        .unwrap()
        .id
        .clone();
    let other = m
        .indicators
        .iter()
        .find(|i| {
            i.id != percent
                && i.applies_to.contains(&Kind::Cgb)
                && form.text.contains(&format!("name=\"v.{}\"", i.id))
        })
        .unwrap()
        .id
        .clone();
    let before = state.store.year_data(2022).await.unwrap();
    // One field is not a number, another is fine: nothing saved, both kept.
    let bad = send(
        &state,
        "POST",
        path,
        &session,
        &[
            ("csrf", &csrf),
            ("action", "draft"),
            (&format!("v.{percent}"), "много"),
            (&format!("v.{other}"), "12,5"),
        ],
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.text
            .contains("1 значение не принято; ничего не сохранено."),
        "{}",
        bad.text
    );
    assert!(bad.text.contains(&format!(
        "value=\"много\" aria-invalid=\"true\" aria-describedby=\"e-{percent}\""
    )));
    assert!(bad.text.contains(&format!(
        "<span class=\"error\" id=\"e-{percent}\">не число</span>"
    )));
    assert!(bad.text.contains("value=\"12,5\""), "what was typed stays");
    assert_eq!(
        state.store.year_data(2022).await.unwrap(),
        before,
        "nothing saved"
    );
    // A percentage over 100: the methodology's check, next to its field, in
    // the person's language.
    let over = send(
        &state,
        "POST",
        path,
        &session,
        &[
            ("csrf", &csrf),
            ("action", "draft"),
            (&format!("v.{percent}"), "150"),
        ],
    )
    .await;
    assert_eq!(over.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        over.text.contains(&format!(
            "<span class=\"error\" id=\"e-{percent}\">процент должен быть от 0 до 100</span>"
        )),
        "{}",
        over.text
    );
    // Without the form's token: refused, nothing saved.
    assert_eq!(
        send(
            &state,
            "POST",
            path,
            &session,
            &[("action", "draft"), (&format!("v.{other}"), "1")]
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    // A good draft: saved, in the reporter's name, and the page says so.
    let saved = send(
        &state,
        "POST",
        path,
        &session,
        &[
            ("csrf", &csrf),
            ("action", "draft"),
            (&format!("v.{other}"), "12,5"),
        ],
    )
    .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    assert_eq!(
        saved.headers[header::LOCATION],
        format!("{path}?done=draft")
    );
    assert_eq!(
        state
            .store
            .year_data(2022)
            .await
            .unwrap()
            .get("minfin", &other),
        Some(12.5)
    );
    let after = send(&state, "GET", &format!("{path}?done=draft"), &session, &[]).await;
    assert!(after.text.contains("role=\"status\">Черновик сохранён."));
    assert!(after.text.contains("Состояние: черновик"));
    let entries = state.store.audit_entries().await.unwrap();
    assert!(
        entries
            .iter()
            .any(|e| e.actor == "api:aigerim" && e.entity == "submission")
    );
    // Submitted: the form becomes read-only, and a second submission is refused.
    let sent = send(
        &state,
        "POST",
        path,
        &session,
        &[("csrf", &csrf), ("action", "submit")],
    )
    .await;
    assert_eq!(
        sent.headers[header::LOCATION],
        format!("{path}?done=submitted")
    );
    let done = send(&state, "GET", path, &session, &[]).await;
    assert!(done.text.contains("readonly") && !done.text.contains("name=\"action\""));
    let again = send(
        &state,
        "POST",
        path,
        &session,
        &[("csrf", &csrf), ("action", "submit")],
    )
    .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert!(again.text.contains("Не сохранено:"));
    // The Excel template, through the session.
    let xlsx = send(
        &state,
        "GET",
        &format!("{path}/template.xlsx"),
        &session,
        &[],
    )
    .await;
    assert_eq!(xlsx.status, StatusCode::OK);
    // Another body's form: not allowed.
    let mne = send(
        &state,
        "GET",
        "/workspace/2022/submissions/mne",
        &session,
        &[],
    )
    .await;
    assert_eq!(mne.status, StatusCode::FORBIDDEN);
    assert!(mne.text.contains("Нет доступа"));
    // Someone else's role cannot post to it either.
    let coordinator = sign_in(&state, "coordinator").await;
    assert_eq!(
        send(
            &state,
            "POST",
            path,
            &coordinator,
            &[("csrf", &csrf), ("action", "draft")]
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
}

/// A whole cycle through the workspace forms, each step by its role: submit,
/// conclude, object, decide, escalate, rule, conclude finally, approve; the
/// published year then shows on the public portal.
#[tokio::test]
async fn a_whole_cycle_through_the_workspaces() {
    let dir = tempfile::tempdir().unwrap();
    let mut state = setup(&dir).await;
    let now = Arc::new(std::sync::Mutex::new(NOW.to_string()));
    let clock = now.clone();
    state.clock = Arc::new(move || clock.lock().unwrap().clone());
    let hash = bagalau_core::accounts::hash_password(PASSWORD, &[4u8; 16]).unwrap();
    let mut batch = ImportBatch {
        at: NOW.into(),
        actor: "test".into(),
        ..Default::default()
    };
    for (name, role) in [
        ("auditor", "assessor:budget@audit_chamber"),
        ("head", "assessor:budget@audit_chamber"),
        ("chair", "commission"),
        ("checker", "verifier"),
    ] {
        batch.users.push(UserRecord {
            disabled_at: None,
            name: name.into(),
            password_hash: hash.clone(),
            roles: vec![role.into()],
            created_at: NOW.into(),
        });
    }
    batch.selection = Some((
        2022,
        7,
        vec![bagalau_store::SelectionRecord {
            body: "minfin".into(),
            by: "risk".into(),
            score: 3.0,
            reasons: vec!["a jump against last year".into()],
        }],
    ));
    state.store.apply(batch).await.unwrap();
    let at = |t: &str| *now.lock().unwrap() = t.to_string();
    let page = "/workspace/2022";
    let act = "/workspace/2022/act";

    // Submission stage: the reporter submits.
    let reporter = format!("lang=en; {}", sign_in(&state, "aigerim").await);
    let form = send(
        &state,
        "GET",
        "/workspace/2022/submissions/minfin",
        &reporter,
        &[],
    )
    .await;
    let csrf = form.input("csrf");
    let sent = send(
        &state,
        "POST",
        "/workspace/2022/submissions/minfin",
        &reporter,
        &[("csrf", &csrf), ("action", "submit")],
    )
    .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER);

    // Verification stage: the verifier corrects a value of a selected body.
    at("2026-03-20T10:00:00+00:00");
    let checker = format!("lang=en; {}", sign_in(&state, "checker").await);
    let work = send(&state, "GET", page, &checker, &[]).await;
    assert!(
        work.text.contains("a jump against last year"),
        "the selection with its reasons"
    );
    let csrf = work.input("csrf");
    let typo = send(
        &state,
        "POST",
        act,
        &checker,
        &[
            ("csrf", &csrf),
            ("form", "finding"),
            ("action", "finding"),
            ("body", "minfin"),
            ("indicator", "bl_violations"),
            ("value", "three"),
            ("reason", "act of 12 March"),
        ],
    )
    .await;
    assert_eq!(typo.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        typo.text.contains(">act of 12 March</textarea>") && typo.text.contains("value=\"three\""),
        "kept: {}",
        typo.text
    );
    let found = send(
        &state,
        "POST",
        act,
        &checker,
        &[
            ("csrf", &csrf),
            ("form", "finding"),
            ("action", "finding"),
            ("body", "minfin"),
            ("indicator", "bl_violations"),
            ("value", "3"),
            ("reason", "act of 12 March"),
        ],
    )
    .await;
    assert_eq!(found.status, StatusCode::SEE_OTHER, "{}", found.text);
    assert_eq!(
        state
            .store
            .year_data(2022)
            .await
            .unwrap()
            .get("minfin", "bl_violations"),
        Some(3.0)
    );

    // Preliminary stage: the assessor concludes; an empty text comes back with the reason.
    at("2026-04-20T10:00:00+00:00");
    let auditor = format!("lang=en; {}", sign_in(&state, "auditor").await);
    let work = send(&state, "GET", page, &auditor, &[]).await;
    assert_eq!(work.status, StatusCode::OK);
    assert!(
        work.text.contains("Stage now: preliminary conclusions"),
        "{}",
        work.text
    );
    // The engine's points of the direction for each body, to write from.
    let m = pack::load(bagalau_demo::PACKS[3].0, bagalau_demo::PACKS[3].1).unwrap();
    let reg = registry::load(bagalau_demo::REGISTRY.0, bagalau_demo::REGISTRY.1).unwrap();
    let a = score::assess(&m, &reg, &state.store.year_data(2022).await.unwrap());
    let budget = a
        .results
        .iter()
        .find(|r| r.body == "minfin")
        .unwrap()
        .tree
        .children
        .iter()
        .flat_map(|b| &b.children)
        .find(|d| d.id == "budget")
        .unwrap()
        .clone();
    let row = format!(
        "<tr><th scope=\"row\">Ministry of Finance</th><td class=\"num\">{:.2} / {:.0}</td>",
        budget.points.unwrap(),
        budget.max
    );
    assert!(work.text.contains(&row), "{row}");
    let csrf = work.input("csrf");
    let empty = send(
        &state,
        "POST",
        act,
        &auditor,
        &[
            ("csrf", &csrf),
            ("form", "conclude-budget"),
            ("action", "conclude"),
            ("direction", "budget"),
            ("body", "minfin"),
            ("text", "  "),
        ],
    )
    .await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        empty.text.contains("Not done: a text is required"),
        "{}",
        empty.text
    );
    // The rules' refusals are said in the person's language, with the
    // stage's name and the date in its style.
    let auditor_ru = auditor.replacen("lang=en", "lang=ru", 1);
    let early = send(
        &state,
        "POST",
        act,
        &auditor_ru,
        &[
            ("csrf", &csrf),
            ("form", "conclude-budget"),
            ("action", "conclude"),
            ("direction", "budget"),
            ("body", "minfin"),
            ("text", "Итог: 80%."),
            ("final", "true"),
        ],
    )
    .await;
    assert_eq!(early.status, StatusCode::CONFLICT);
    let calendar = state.store.cycle(2022).await.unwrap().unwrap();
    let opens_after = calendar.deadline(bagalau_core::cycle::Stage::Objections);
    let expected = format!(
        "Не выполнено: слишком рано: этап «итоговые заключения» начинается после {}",
        opens_after.format("%d.%m.%Y %H:%M")
    );
    assert!(early.text.contains(&expected), "{expected}\n{}", early.text);
    assert!(early.text.contains(">Итог: 80%.</textarea>"), "kept");
    let done = send(
        &state,
        "POST",
        act,
        &auditor,
        &[
            ("csrf", &csrf),
            ("form", "conclude-budget"),
            ("action", "conclude"),
            ("direction", "budget"),
            ("body", "minfin"),
            ("text", "Budget discipline: 80%."),
        ],
    )
    .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.text);
    assert_eq!(
        done.headers[header::LOCATION],
        "/workspace/2022?done=conclude-budget#done"
    );
    // Forged: without the page's token, nothing happens.
    assert_eq!(
        send(
            &state,
            "POST",
            act,
            &auditor,
            &[
                ("form", "conclude-budget"),
                ("action", "conclude"),
                ("direction", "budget"),
                ("body", "mne"),
                ("text", "x")
            ]
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );

    // Objection stage: the reporter reads the conclusion and objects to a criterion.
    at("2026-05-20T10:00:00+00:00");
    let reporter = format!("lang=en; {}", sign_in(&state, "aigerim").await);
    let work = send(&state, "GET", page, &reporter, &[]).await;
    assert!(work.text.contains("Budget discipline: 80%."));
    let csrf = work.input("csrf");
    let (status, _, text) = upload(
        &state,
        act,
        &reporter,
        &[
            ("csrf", csrf.as_bytes()),
            ("form", b"object-minfin"),
            ("action", b"object"),
            ("body", b"minfin"),
            ("criterion", b"budget_violations"),
            (
                "statement",
                "Two violations were annulled by a court.".as_bytes(),
            ),
            (
                "evidence",
                b"ruling,date\nA-17,2026-04-02\nA-18,2026-04-09\n",
            ),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{text}");
    let stored = state.store.objections(2022).await.unwrap();
    assert_eq!(
        stored[0].1.evidence.len(),
        1,
        "the supporting file is cited by the objection"
    );
    let id = state.store.objections(2022).await.unwrap()[0].0.to_string();

    // Final stage: the author may not decide; the head rejects; the reporter escalates.
    at("2026-06-10T10:00:00+00:00");
    let auditor = format!("lang=en; {}", sign_in(&state, "auditor").await);
    let csrf = send(&state, "GET", page, &auditor, &[]).await.input("csrf");
    let own = send(
        &state,
        "POST",
        act,
        &auditor,
        &[
            ("csrf", &csrf),
            ("form", &format!("decide-{id}")),
            ("action", "decide"),
            ("id", &id),
            ("accept", "false"),
            ("reason", "stands"),
        ],
    )
    .await;
    assert_eq!(own.status, StatusCode::FORBIDDEN);
    // An id that is not a number never reaches an API path (`1 2` once
    // gave 500, `1/review?` another route).
    for bad in ["1 2", "1/review?", "1\r\nX: y"] {
        let odd = send(
            &state,
            "POST",
            act,
            &auditor,
            &[
                ("csrf", &csrf),
                ("form", &format!("decide-{id}")),
                ("action", "decide"),
                ("id", bad),
                ("accept", "false"),
                ("reason", "stands"),
            ],
        )
        .await;
        assert_eq!(
            odd.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{bad}: {}",
            odd.text
        );
    }
    assert!(
        own.text.contains("may not decide the objection"),
        "{}",
        own.text
    );
    assert!(
        own.text.contains(">stands</textarea>"),
        "what was typed is kept"
    );
    let head = format!("lang=en; {}", sign_in(&state, "head").await);
    let work = send(&state, "GET", page, &head, &[]).await;
    assert!(
        work.text
            .contains("Two violations were annulled by a court.")
    );
    let csrf = work.input("csrf");
    let rejected = send(
        &state,
        "POST",
        act,
        &head,
        &[
            ("csrf", &csrf),
            ("form", &format!("decide-{id}")),
            ("action", "decide"),
            ("id", &id),
            ("accept", "false"),
            ("reason", "The court rulings came after the year closed."),
        ],
    )
    .await;
    assert_eq!(rejected.status, StatusCode::SEE_OTHER, "{}", rejected.text);
    let reporter = format!("lang=en; {}", sign_in(&state, "aigerim").await);
    let work = send(&state, "GET", page, &reporter, &[]).await;
    assert!(work.text.contains("rejected") && work.text.contains("Take to the commission"));
    let csrf = work.input("csrf");
    let escalated = send(
        &state,
        "POST",
        act,
        &reporter,
        &[
            ("csrf", &csrf),
            ("form", &format!("escalate-{id}")),
            ("action", "escalate"),
            ("id", &id),
        ],
    )
    .await;
    assert_eq!(
        escalated.status,
        StatusCode::SEE_OTHER,
        "{}",
        escalated.text
    );
    let csrf = send(&state, "GET", page, &auditor, &[]).await.input("csrf");
    let fin = send(
        &state,
        "POST",
        act,
        &auditor,
        &[
            ("csrf", &csrf),
            ("form", "conclude-budget"),
            ("action", "conclude"),
            ("direction", "budget"),
            ("body", "minfin"),
            ("text", "Final: 80%."),
            ("final", "true"),
        ],
    )
    .await;
    assert_eq!(fin.status, StatusCode::SEE_OTHER, "{}", fin.text);

    // The commission: it may not approve with an objection open; it rules, then approves.
    at("2026-07-10T10:00:00+00:00");
    let chair = format!("lang=en; {}", sign_in(&state, "chair").await);
    let work = send(&state, "GET", page, &chair, &[]).await;
    let csrf = work.input("csrf");
    assert!(
        work.text.contains("Final conclusions to review (1)"),
        "the commission reads the final conclusions"
    );
    let early = send(
        &state,
        "POST",
        act,
        &chair,
        &[("csrf", &csrf), ("form", "approve"), ("action", "approve")],
    )
    .await;
    assert_eq!(early.status, StatusCode::CONFLICT);
    assert!(
        early
            .text
            .contains("objections still open: minfin/budget_violations"),
        "{}",
        early.text
    );
    let ruled = send(
        &state,
        "POST",
        act,
        &chair,
        &[
            ("csrf", &csrf),
            ("form", &format!("rule-{id}")),
            ("action", "rule"),
            ("id", &id),
            ("accept", "false"),
            ("reason", "The decision stands on the verified data."),
        ],
    )
    .await;
    assert_eq!(ruled.status, StatusCode::SEE_OTHER, "{}", ruled.text);
    let opinion = send(
        &state,
        "POST",
        act,
        &chair,
        &[
            ("csrf", &csrf),
            ("form", "opinion"),
            ("action", "opinion"),
            ("body", ""),
            ("text", "A complete year."),
        ],
    )
    .await;
    assert_eq!(opinion.status, StatusCode::SEE_OTHER, "{}", opinion.text);
    let approved = send(
        &state,
        "POST",
        act,
        &chair,
        &[("csrf", &csrf), ("form", "approve"), ("action", "approve")],
    )
    .await;
    assert_eq!(approved.status, StatusCode::SEE_OTHER, "{}", approved.text);
    assert!(
        send(&state, "GET", page, &chair, &[])
            .await
            .text
            .contains("The results of 2022 are published.")
    );

    // A recommendation: issued (a missing due date comes back), reported on, accepted.
    let csrf = send(&state, "GET", page, &chair, &[]).await.input("csrf");
    let undated = send(
        &state,
        "POST",
        act,
        &chair,
        &[
            ("csrf", &csrf),
            ("form", "issue"),
            ("action", "issue"),
            ("body", "minfin"),
            ("text", "Publish monthly reports."),
            ("due", ""),
        ],
    )
    .await;
    assert!(undated.status.is_client_error());
    assert!(
        undated
            .text
            .contains(">Publish monthly reports.</textarea>")
    );
    let issued = send(
        &state,
        "POST",
        act,
        &chair,
        &[
            ("csrf", &csrf),
            ("form", "issue"),
            ("action", "issue"),
            ("body", "minfin"),
            ("text", "Publish monthly reports."),
            ("due", "2026-12-31"),
        ],
    )
    .await;
    assert_eq!(issued.status, StatusCode::SEE_OTHER, "{}", issued.text);
    let rec = state.store.recommendations(Some(2022)).await.unwrap()[0]
        .0
        .to_string();
    let reporter = format!("lang=en; {}", sign_in(&state, "aigerim").await);
    let work = send(&state, "GET", page, &reporter, &[]).await;
    assert!(work.text.contains("Publish monthly reports."));
    let reported = send(
        &state,
        "POST",
        act,
        &reporter,
        &[
            ("csrf", &work.input("csrf")),
            ("form", &format!("report-{rec}")),
            ("action", "report"),
            ("id", &rec),
            ("text", "Published since August."),
        ],
    )
    .await;
    assert_eq!(reported.status, StatusCode::SEE_OTHER, "{}", reported.text);
    let work = send(&state, "GET", page, &chair, &[]).await;
    assert!(
        work.text.contains("Published since August."),
        "the report to review"
    );
    let reviewed = send(
        &state,
        "POST",
        act,
        &chair,
        &[
            ("csrf", &work.input("csrf")),
            ("form", &format!("review-{rec}")),
            ("action", "review"),
            ("id", &rec),
            ("accept", "true"),
        ],
    )
    .await;
    assert_eq!(reviewed.status, StatusCode::SEE_OTHER, "{}", reviewed.text);
    assert_eq!(
        state.store.recommendations(Some(2022)).await.unwrap()[0]
            .1
            .state,
        bagalau_core::recommendation::RecommendationState::Executed
    );

    // Public: the year and its final conclusion.
    let public = send(&state, "GET", "/bodies/minfin?year=2022&lang=en", "", &[]).await;
    assert_eq!(public.status, StatusCode::OK);
    assert!(public.text.contains("Final: 80%."), "{}", public.text);
    assert!(
        !public.text.contains("Budget discipline: 80%."),
        "preliminary conclusions are never published"
    );
    // Every step is on the audit trail under its person's name.
    let actors: std::collections::BTreeSet<String> = state
        .store
        .audit_entries()
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.actor)
        .collect();
    for who in [
        "api:aigerim",
        "api:auditor",
        "api:head",
        "api:chair",
        "api:checker",
    ] {
        assert!(actors.contains(who), "{who}: {actors:?}");
    }
}

/// A multipart form, as a browser sends a file input.
fn multipart(fields: &[(&str, &[u8])]) -> (String, Vec<u8>) {
    let boundary = "----bagalau-test-boundary";
    let mut body = Vec::new();
    for (name, value) in fields {
        let filename = match *name {
            "workbook" => "; filename=\"minfin-2022.xlsx\"",
            "evidence" => "; filename=\"court rulings.csv\"",
            _ => "",
        };
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"{filename}\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(value);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

async fn upload(
    state: &AppState,
    uri: &str,
    cookies: &str,
    fields: &[(&str, &[u8])],
) -> (StatusCode, axum::http::HeaderMap, String) {
    let (content_type, body) = multipart(fields);
    let response = router(state.clone())
        .oneshot(
            Request::builder()
                .method("POST")
                .uri(uri)
                .header(header::COOKIE, cookies)
                .header(header::CONTENT_TYPE, content_type)
                .body(Body::from(body))
                .unwrap(),
        )
        .await
        .unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (
        status,
        headers,
        String::from_utf8_lossy(&bytes).into_owned(),
    )
}

#[tokio::test]
async fn the_excel_template_is_uploaded_from_the_form() {
    let dir = tempfile::tempdir().unwrap();
    let state = setup(&dir).await;
    let session = format!("lang=en; {}", sign_in(&state, "aigerim").await);
    let path = "/workspace/2022/submissions/minfin";
    let form = send(&state, "GET", path, &session, &[]).await;
    assert!(form.text.contains("enctype=\"multipart/form-data\""));
    let csrf = form.input("csrf");
    let template = router(state.clone())
        .oneshot(
            Request::builder()
                .uri(format!("{path}/template.xlsx"))
                .header(header::COOKIE, &session)
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    let workbook = template
        .into_body()
        .collect()
        .await
        .unwrap()
        .to_bytes()
        .to_vec();
    // Not a workbook: the reason, nothing saved.
    let (status, _, text) = upload(
        &state,
        &format!("{path}/xlsx"),
        &session,
        &[("csrf", csrf.as_bytes()), ("workbook", b"not a workbook")],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        text.contains("Not saved:") && text.contains("not an Excel workbook"),
        "{text}"
    );
    // In Russian, the same reason in Russian.
    let (_, _, text) = upload(
        &state,
        &format!("{path}/xlsx"),
        &session.replacen("lang=en", "lang=ru", 1),
        &[("csrf", csrf.as_bytes()), ("workbook", b"not a workbook")],
    )
    .await;
    assert!(
        text.contains("Не сохранено: это не книга Excel (.xlsx)"),
        "{text}"
    );
    // Without the form's token: refused.
    let (status, _, _) = upload(
        &state,
        &format!("{path}/xlsx"),
        &session,
        &[("workbook", &workbook)],
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // The template as downloaded: saved as a draft, then submitted.
    let (status, headers, text) = upload(
        &state,
        &format!("{path}/xlsx"),
        &session,
        &[("csrf", csrf.as_bytes()), ("workbook", &workbook)],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{text}");
    assert_eq!(headers[header::LOCATION], format!("{path}?done=draft"));
    let (status, headers, _) = upload(
        &state,
        &format!("{path}/xlsx"),
        &session,
        &[
            ("csrf", csrf.as_bytes()),
            ("workbook", &workbook),
            ("submit", b"true"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(headers[header::LOCATION], format!("{path}?done=submitted"));
    assert_eq!(
        state.store.submissions(2022).await.unwrap(),
        vec![(
            "minfin".to_string(),
            bagalau_core::cycle::SubmissionState::Submitted
        )]
    );
}
