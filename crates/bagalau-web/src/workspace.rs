//! The workspaces: signing in and out with a session cookie, the dashboard
//! of what is due, and the reporting-data form. Every form carries a CSRF
//! token; every page checks the session's roles with the cycle's rules.

use crate::pages::cookie;
use crate::{ApiError, AppState, SubmittedValue};
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use bagalau_app::FrontEnd;
use bagalau_core::Lang;
use bagalau_core::accounts::token_hash;
use bagalau_core::cycle::{Actor, Role};
use bagalau_core::hash::sha256_hex;
use bagalau_core::refusal::Refusal;
use bagalau_site::workspace::{self as pages, Outcome, SignInError, Why};
use bagalau_store::Store;
use serde::Deserialize;
use std::collections::BTreeMap;

/// The session cookie: the same kind of token as the API's, kept HttpOnly.
const SESSION_COOKIE: &str = "bagalau_session";
/// Before signing in, the sign-in form's CSRF token (double submit).
const SIGN_IN_COOKIE: &str = "bagalau_signin";

pub const WORKSPACE_ROUTES: [&str; 8] = [
    "/login",
    "/logout",
    "/workspace",
    "/workspace/{year}/submissions/{body}",
    "/workspace/{year}/submissions/{body}/template.xlsx",
    "/workspace/{year}",
    "/workspace/{year}/act",
    "/workspace/{year}/submissions/{body}/xlsx",
];

fn catalog() -> &'static bagalau_site::i18n::Catalog {
    &crate::pages::CATALOG
}

fn lang(headers: &HeaderMap) -> Lang {
    bagalau_site::i18n::negotiate(
        None,
        cookie(headers, "lang"),
        headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok()),
    )
}

/// The CSRF token of a session: derived from the session's secret token,
/// which only the browser holding the HttpOnly cookie has.
fn csrf_of(session_token: &str) -> String {
    sha256_hex(format!("csrf:{session_token}").as_bytes())
}

/// Compares in time independent of where the texts differ.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

fn html(status: StatusCode, lang: Lang, body: String) -> Response {
    let mut r = (status, body).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    r.headers_mut().insert(
        header::CONTENT_LANGUAGE,
        HeaderValue::from_static(bagalau_site::i18n::code(lang)),
    );
    // Workspace pages hold unpublished data: never stored by caches.
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

fn set_cookie(r: &mut Response, value: String) {
    if let Ok(v) = HeaderValue::from_str(&value) {
        r.headers_mut().append(header::SET_COOKIE, v);
    }
}

/// The signed-in account and its session token, if the cookie holds a live one.
async fn session(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<Option<(Actor, String)>, ApiError> {
    let Some(token) = cookie(headers, SESSION_COOKIE) else {
        return Ok(None);
    };
    let Some(user) = state
        .store
        .user_by_token(&token_hash(token), &(state.clock)())
        .await?
    else {
        return Ok(None);
    };
    let roles = user
        .roles
        .iter()
        .filter_map(|r| Role::parse(r).ok())
        .collect();
    Ok(Some((
        Actor {
            user: user.name,
            roles,
        },
        token.to_string(),
    )))
}

fn to_login(next: &str) -> Response {
    // Encoded, so no path (even one with a CR or LF from an encoded
    // address) can break the `Location` header.
    Redirect::to(&format!(
        "/login?next={}",
        crate::percent_encode(next, b"/")
    ))
    .into_response()
}

fn random_hex() -> Result<String, ApiError> {
    Ok(hex::encode(crate::random_bytes::<32>()?))
}

/// Only paths inside the workspace are followed after signing in.
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n)
            if n.starts_with("/workspace")
                && !n.contains("//")
                && !n.contains('\\')
                && n.bytes().all(|b| b.is_ascii_graphic()) =>
        {
            n.to_string()
        }
        _ => "/workspace".to_string(),
    }
}

#[derive(Deserialize)]
pub struct NextParams {
    next: Option<String>,
}

fn login_page(
    status: StatusCode,
    lang: Lang,
    next: &str,
    name: &str,
    error: Option<SignInError>,
) -> Result<Response, ApiError> {
    let csrf = random_hex()?;
    let mut r = html(
        status,
        lang,
        pages::login(catalog(), lang, &csrf, next, name, error),
    );
    set_cookie(
        &mut r,
        format!(
            "{SIGN_IN_COOKIE}={csrf}; Path=/login; HttpOnly; SameSite=Strict; Secure; Max-Age=3600"
        ),
    );
    Ok(r)
}

pub async fn login_form(
    headers: HeaderMap,
    Query(params): Query<NextParams>,
) -> Result<Response, ApiError> {
    login_page(
        StatusCode::OK,
        lang(&headers),
        &safe_next(params.next.as_deref()),
        "",
        None,
    )
}

#[derive(Deserialize)]
pub struct LoginForm {
    name: String,
    password: String,
    csrf: String,
    next: Option<String>,
}

pub async fn login(
    State(state): State<AppState>,
    client: Option<axum::Extension<crate::ClientAddress>>,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Result<Response, ApiError> {
    let lang = lang(&headers);
    let next = safe_next(form.next.as_deref());
    if !cookie(&headers, SIGN_IN_COOKIE).is_some_and(|c| same(c, &form.csrf)) {
        return login_page(
            StatusCode::FORBIDDEN,
            lang,
            &next,
            &form.name,
            Some(SignInError::Expired),
        );
    }
    let client = client.as_ref().map(|c| &c.0);
    match crate::open_session(&state, client, &form.name, &form.password).await {
        Ok((token, _, _)) => {
            let mut r = Redirect::to(&next).into_response();
            set_cookie(
                &mut r,
                format!(
                    "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict; Secure; Max-Age={}",
                    crate::SESSION_HOURS * 3600
                ),
            );
            set_cookie(&mut r, format!("{SIGN_IN_COOKIE}=; Path=/login; Max-Age=0"));
            Ok(r)
        }
        Err(ApiError::WrongLogin) => login_page(
            StatusCode::UNAUTHORIZED,
            lang,
            &next,
            &form.name,
            Some(SignInError::Wrong),
        ),
        Err(ApiError::TooManyRequests { .. } | ApiError::Busy) => login_page(
            StatusCode::TOO_MANY_REQUESTS,
            lang,
            &next,
            &form.name,
            Some(SignInError::Locked),
        ),
        Err(e) => Err(e),
    }
}

#[derive(Deserialize)]
pub struct CsrfForm {
    csrf: String,
}

pub async fn logout(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<CsrfForm>,
) -> Result<Response, ApiError> {
    let Some((actor, token)) = session(&state, &headers).await? else {
        return Ok(to_login("/workspace"));
    };
    if !same(&csrf_of(&token), &form.csrf) {
        return Err(ApiError::Forbidden(Refusal::FormExpired));
    }
    let mut batch = crate::write_batch(&state, &actor);
    batch.revoked_tokens.push(token_hash(&token));
    state.store.apply(batch).await?;
    let mut r = Redirect::to("/").into_response();
    set_cookie(
        &mut r,
        format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Secure; Max-Age=0"),
    );
    Ok(r)
}

/// The years with an open cycle, oldest first.
async fn cycle_years(state: &AppState) -> Result<Vec<i32>, ApiError> {
    let mut years = Vec::new();
    for y in state.store.pack_years().await? {
        if state.store.cycle(y).await?.is_some() {
            years.push(y);
        }
    }
    Ok(years)
}

pub async fn dashboard(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let Some((actor, token)) = session(&state, &headers).await? else {
        return Ok(to_login("/workspace"));
    };
    let lang = lang(&headers);
    let now = crate::now_naive(&state)?;
    let registry = crate::stored_registry(&state).await?;
    let mut due = Vec::new();
    let mut submissions = Vec::new();
    let mut methodologies = BTreeMap::new();
    let years = cycle_years(&state).await?;
    for year in &years {
        if let Some((calendar, progress)) =
            bagalau_store::cycle_progress(&state.store, *year).await?
        {
            due.extend(
                bagalau_core::cycle::due(&actor, &calendar, &progress.view(), now)
                    .into_iter()
                    .map(|d| (*year, d)),
            );
        }
        let states: BTreeMap<String, _> =
            state.store.submissions(*year).await?.into_iter().collect();
        for role in &actor.roles {
            if let Role::Reporter { body } = role
                && registry
                    .body(body)
                    .is_some_and(|b| b.evaluated.contains(year))
            {
                submissions.push((*year, body.clone(), states.get(body).copied()));
            }
        }
        if let Some(p) = state.store.pack(*year).await? {
            methodologies.insert(*year, p.methodology);
        }
    }
    let latest = years.last().copied().unwrap_or_default();
    due.extend(
        bagalau_core::recommendation::due(&actor, &state.store.recommendations(None).await?, now)
            .into_iter()
            .map(|d| (latest, d)),
    );
    due.extend(
        bagalau_core::monitoring::due(
            &actor,
            &state.store.monitoring_findings(None).await?,
            &state.store.monitoring_recommendations(None).await?,
            now,
        )
        .into_iter()
        .map(|d| (latest, d)),
    );
    let roles: Vec<String> = actor.roles.iter().map(Role::to_text).collect();
    let page = pages::dashboard(
        catalog(),
        lang,
        &pages::DashboardView {
            user: &actor.user,
            roles: &roles,
            csrf: &csrf_of(&token),
            due: &due,
            submissions: &submissions,
            registry: &registry,
            methodologies: &methodologies,
        },
    );
    Ok(html(StatusCode::OK, lang, page))
}

#[derive(Deserialize)]
pub struct DoneParams {
    done: Option<String>,
}

/// Renders the reporting-data form with what was typed and the messages.
/// What the form shows besides the stored data: what was typed, the
/// messages by field, the outcome, and the status to answer with.
struct FormState {
    typed: BTreeMap<String, String>,
    errors: BTreeMap<String, String>,
    outcome: Outcome,
    status: StatusCode,
}

impl FormState {
    /// Values not accepted: their messages on their fields.
    fn invalid(typed: BTreeMap<String, String>, errors: BTreeMap<String, String>) -> Self {
        let n = errors.len();
        FormState {
            typed,
            errors,
            outcome: Outcome::Invalid(n),
            status: StatusCode::UNPROCESSABLE_ENTITY,
        }
    }

    /// The whole attempt refused, with the reason.
    /// The form refused by the cycle's rules (409, saying why); an error
    /// that is not the rules' refusal is given back as it is.
    fn refused_by_rules(typed: BTreeMap<String, String>, e: ApiError) -> Result<Self, ApiError> {
        if e.refusal().is_none() {
            return Err(e);
        }
        Ok(FormState::refused(typed, why_of(&e), StatusCode::CONFLICT))
    }

    fn refused(typed: BTreeMap<String, String>, reason: Why, status: StatusCode) -> Self {
        FormState {
            typed,
            errors: BTreeMap::new(),
            outcome: Outcome::Refused(reason),
            status,
        }
    }
}

async fn submission_page(
    state: &AppState,
    lang: Lang,
    token: &str,
    year: i32,
    body: &str,
    form: FormState,
) -> Result<Response, ApiError> {
    let registry = crate::stored_registry(state).await?;
    let m = crate::stored_pack(state, year).await?;
    let calendar = crate::open_cycle(state, year).await?;
    let extensions = state.store.extensions(year).await?;
    let deadline = bagalau_core::cycle::submission_deadline(&calendar, &extensions, body);
    let current = state
        .store
        .submissions(year)
        .await?
        .into_iter()
        .find(|(b, _)| b == body)
        .map(|(_, s)| s);
    let data = state.store.year_data(year).await?;
    let stored = data.values.get(body).cloned().unwrap_or_default();
    let page = pages::submission(
        catalog(),
        lang,
        &pages::SubmissionView {
            year,
            body,
            methodology: &m,
            registry: &registry,
            state: current,
            deadline,
            stored: &stored,
            typed: &form.typed,
            errors: &form.errors,
            outcome: form.outcome,
            csrf: &csrf_of(token),
        },
    );
    Ok(html(form.status, lang, page))
}

/// The signed-in reporter of `body`, or the answer to give instead.
async fn reporter(
    state: &AppState,
    headers: &HeaderMap,
    next: &str,
    body: &str,
) -> Result<Result<(Actor, String), Response>, ApiError> {
    let Some((actor, token)) = session(state, headers).await? else {
        return Ok(Err(to_login(next)));
    };
    if !actor.reports_for(body) {
        let lang = lang(headers);
        return Ok(Err(html(
            StatusCode::FORBIDDEN,
            lang,
            bagalau_site::forbidden(catalog(), lang, next),
        )));
    }
    Ok(Ok((actor, token)))
}

pub async fn submission_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((year, body)): Path<(i32, String)>,
    Query(params): Query<DoneParams>,
) -> Result<Response, ApiError> {
    let here = format!("/workspace/{year}/submissions/{body}");
    let (_, token) = match reporter(&state, &headers, &here, &body).await? {
        Ok(found) => found,
        Err(answer) => return Ok(answer),
    };
    let outcome = match params.done.as_deref() {
        Some("draft") => Outcome::Saved,
        Some("submitted") => Outcome::Submitted,
        _ => Outcome::None,
    };
    submission_page(
        &state,
        lang(&headers),
        &token,
        year,
        &body,
        FormState {
            typed: BTreeMap::new(),
            errors: BTreeMap::new(),
            outcome,
            status: StatusCode::OK,
        },
    )
    .await
}

/// Saves the form as a draft or submits it; on any error the form comes
/// back with everything typed and the messages next to their fields.
pub async fn submission_save(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((year, body)): Path<(i32, String)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, ApiError> {
    let here = format!("/workspace/{year}/submissions/{body}");
    let (actor, token) = match reporter(&state, &headers, &here, &body).await? {
        Ok(found) => found,
        Err(answer) => return Ok(answer),
    };
    let lang = lang(&headers);
    let field = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    if !field("csrf").is_some_and(|c| same(c, &csrf_of(&token))) {
        return Err(ApiError::Forbidden(Refusal::FormExpired));
    }
    let submit = field("action") == Some("submit");
    let tr = catalog().tr(lang);
    let m = crate::stored_pack(&state, year).await?;
    let mut typed = BTreeMap::new();
    let mut errors = BTreeMap::new();
    let mut values = Vec::new();
    for (name, text) in &fields {
        let Some(indicator) = name.strip_prefix("v.") else {
            continue;
        };
        typed.insert(indicator.to_string(), text.clone());
        let unit = m.indicator(indicator).map(|i| m.indicators[i].unit);
        match pages::parse_number(text) {
            Ok(Some(value)) => match unit.and_then(|u| pages::out_of_range(&tr, u, value)) {
                Some(why) => {
                    errors.insert(indicator.to_string(), why);
                }
                None => values.push(SubmittedValue {
                    indicator: indicator.to_string(),
                    value: Some(value),
                    note: None,
                }),
            },
            Ok(None) => {}
            Err(pages::NotANumber) => {
                errors.insert(indicator.to_string(), tr.t("not-a-number"));
            }
        }
    }
    if !errors.is_empty() {
        return submission_page(
            &state,
            lang,
            &token,
            year,
            &body,
            FormState::invalid(typed, errors),
        )
        .await;
    }
    match save(&state, &actor, year, &body, values, submit).await {
        Ok(_) => Ok(Redirect::to(&format!(
            "{here}?done={}",
            if submit { "submitted" } else { "draft" }
        ))
        .into_response()),
        Err(bagalau_app::AppError::Invalid(problems)) => {
            for p in problems {
                errors.insert(p.column.unwrap_or(p.source), p.message);
            }
            submission_page(
                &state,
                lang,
                &token,
                year,
                &body,
                FormState::invalid(typed, errors),
            )
            .await
        }
        Err(e) => {
            let form = FormState::refused_by_rules(typed, e.into())?;
            submission_page(&state, lang, &token, year, &body, form).await
        }
    }
}

pub async fn template(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((year, body)): Path<(i32, String)>,
) -> Result<Response, ApiError> {
    let here = format!("/workspace/{year}/submissions/{body}");
    match reporter(&state, &headers, &here, &body).await? {
        Ok(_) => crate::template_download(&state, year, &body).await,
        Err(answer) => Ok(answer),
    }
}

/// A form as sent: its text fields, and its files (field, file name, bytes).
struct Sent {
    fields: Vec<(String, String)>,
    files: Vec<(String, String, Vec<u8>)>,
}

/// Reads a form sent either way a browser sends one: URL-encoded, or as
/// multipart when it carries files.
async fn read_form(state: &AppState, request: axum::extract::Request) -> Result<Sent, ApiError> {
    use axum::extract::FromRequest;
    let multipart = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    if !multipart {
        let Form(fields) = Form::<Vec<(String, String)>>::from_request(request, state)
            .await
            .map_err(|e| ApiError::Invalid(vec![e.to_string()]))?;
        return Ok(Sent {
            fields,
            files: Vec::new(),
        });
    }
    let mut parts = axum::extract::Multipart::from_request(request, state)
        .await
        .map_err(|e| ApiError::Invalid(vec![e.to_string()]))?;
    let mut sent = Sent {
        fields: Vec::new(),
        files: Vec::new(),
    };
    while let Some(field) = parts
        .next_field()
        .await
        .map_err(|e| ApiError::Invalid(vec![format!("the form: {e}")]))?
    {
        let name = field.name().unwrap_or_default().to_string();
        match field.file_name().map(str::to_string) {
            Some(file_name) => {
                let bytes = field
                    .bytes()
                    .await
                    .map_err(|e| ApiError::Invalid(vec![format!("{name}: {e}")]))?;
                if !bytes.is_empty() {
                    sent.files.push((name, file_name, bytes.to_vec()));
                }
            }
            None => {
                let text = field.text().await.unwrap_or_default();
                sent.fields.push((name, text));
            }
        }
    }
    Ok(sent)
}

#[derive(Deserialize)]
pub struct CycleParams {
    done: Option<String>,
}

/// What the cycle page shows of the last action.
/// Why the API refused, as data when the rules refused.
fn why_of(e: &ApiError) -> Why {
    e.refusal()
        .map_or_else(|| Why::Said(e.to_string()), Why::Refused)
}

struct Shown<'a> {
    done: bool,
    failed: Option<(&'a str, Why)>,
    typed: &'a BTreeMap<String, String>,
    status: StatusCode,
}

async fn cycle_page(
    state: &AppState,
    lang: Lang,
    actor: &Actor,
    token: &str,
    year: i32,
    shown: Shown<'_>,
) -> Result<Response, ApiError> {
    let Shown {
        done,
        failed,
        typed,
        status,
    } = shown;
    let calendar = crate::open_cycle(state, year).await?;
    let registry = crate::stored_registry(state).await?;
    let m = crate::stored_pack(state, year).await?;
    let submissions = state.store.submissions(year).await?;
    let conclusions = state.store.conclusions(year).await?;
    let objections = state.store.objections(year).await?;
    let selection: Vec<(String, f64, Vec<String>)> = state
        .store
        .selection(year)
        .await?
        .into_iter()
        .map(|s| (s.body, s.score, s.reasons))
        .collect();
    let recommendations = state.store.recommendations(Some(year)).await?;
    let published = !state.store.publications(Some(year)).await?.is_empty();
    // What the engine gives now, for the assessors writing their conclusions.
    let mut scores = BTreeMap::new();
    if actor
        .roles
        .iter()
        .any(|r| matches!(r, Role::Assessor { .. }))
    {
        let data = state.store.year_data(year).await?;
        let a = bagalau_core::score::assess(&m, &registry, &data);
        for r in &a.results {
            for block in &r.tree.children {
                for d in &block.children {
                    scores.insert((r.body.clone(), d.id.clone()), (d.points, d.max));
                }
            }
        }
    }
    let page = pages::cycle(
        catalog(),
        lang,
        &pages::CycleData {
            year,
            actor,
            calendar: &calendar,
            now: crate::now_naive(state)?,
            methodology: &m,
            registry: &registry,
            submissions: &submissions,
            conclusions: &conclusions,
            objections: &objections,
            selection: &selection,
            recommendations: &recommendations,
            scores: &scores,
            published,
            csrf: &csrf_of(token),
            done,
            failed,
            typed,
        },
    );
    Ok(html(status, lang, page))
}

pub async fn cycle(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(year): Path<i32>,
    Query(params): Query<CycleParams>,
) -> Result<Response, ApiError> {
    let Some((actor, token)) = session(&state, &headers).await? else {
        return Ok(to_login(&format!("/workspace/{year}")));
    };
    cycle_page(
        &state,
        lang(&headers),
        &actor,
        &token,
        year,
        Shown {
            done: params.done.is_some(),
            failed: None,
            typed: &BTreeMap::new(),
            status: StatusCode::OK,
        },
    )
    .await
}

/// A form of the cycle page: the use case it stands for, done as the
/// signed-in person through the application core (the same rules, checks
/// and audit entries as the API's); refused actions come back with the reason
/// at their form and everything typed kept.
pub async fn act(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(year): Path<i32>,
    request: axum::extract::Request,
) -> Result<Response, ApiError> {
    let Some((actor, token)) = session(&state, &headers).await? else {
        return Ok(to_login(&format!("/workspace/{year}")));
    };
    let Sent { fields, files } = read_form(&state, request).await?;
    let lang = lang(&headers);
    let typed: BTreeMap<String, String> = fields.iter().cloned().collect();
    let field = |name: &str| typed.get(name).map(String::as_str).unwrap_or_default();
    if !same(field("csrf"), &csrf_of(&token)) {
        return Err(ApiError::Forbidden(Refusal::FormExpired));
    }
    let form = field("form").to_string();
    // A refused action: the page again, the reason at its form, what was typed kept.
    let refused = |reason: Why, status| {
        cycle_page(
            &state,
            lang,
            &actor,
            &token,
            year,
            Shown {
                done: false,
                failed: Some((form.as_str(), reason)),
                typed: &typed,
                status,
            },
        )
    };
    // Supporting files go to the evidence store first (as the person), and
    // the action cites them.
    let mut evidence = Vec::new();
    for (_, file_name, bytes) in files.into_iter().filter(|(n, _, _)| n == "evidence") {
        let name: String = file_name
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || ".-_".contains(c) {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        match bagalau_app::evidence::upload(
            &state.store,
            &state.files,
            FrontEnd::Api,
            &actor,
            &name,
            &bytes,
            &(state.clock)(),
        )
        .await
        {
            Ok(stored) => evidence.push(stored.sha256),
            Err(e) => return refused_or_failed(e, refused).await,
        }
    }
    let text = |name: &str| field(name).to_string();
    let id = field("id");
    // The id names a record: a number, or the form is refused.
    let needs_id = matches!(
        field("action"),
        "escalate" | "decide" | "rule" | "report" | "review"
    );
    let id: i64 = match id.parse() {
        Ok(id) => id,
        Err(_) if needs_id => {
            return Err(ApiError::Invalid(vec![format!(
                "id: `{}` is not a number",
                id.chars().take(40).collect::<String>()
            )]));
        }
        Err(_) => 0,
    };
    let accept = field("accept") == "true";
    let optional = |name: &str| (!field(name).is_empty()).then(|| field(name).to_string());
    let (store, front, now) = (&state.store, FrontEnd::Api, (state.clock)());
    let done: Result<(), bagalau_app::AppError> = match field("action") {
        "object" => {
            let m = crate::stored_pack(&state, year).await?;
            let direction = m
                .criteria()
                .find(|(_, _, c)| c.id == field("criterion"))
                .map(|(_, d, _)| d.id.clone())
                .unwrap_or_default();
            let filing = bagalau_app::objections::Filing {
                body: text("body"),
                direction,
                criterion: text("criterion"),
                statement: text("statement"),
                evidence,
            };
            bagalau_app::objections::file(store, front, &actor, year, filing, &now)
                .await
                .map(drop)
        }
        "escalate" => bagalau_app::objections::escalate(store, front, &actor, year, id, &now)
            .await
            .map(drop),
        "conclude" => {
            let concluding = bagalau_app::opinions::Concluding {
                direction: text("direction"),
                body: text("body"),
                text: text("text"),
                is_final: field("final") == "true",
            };
            bagalau_app::opinions::conclude(store, front, &actor, year, &concluding, &now)
                .await
                .map(drop)
        }
        "decide" => bagalau_app::objections::decide(
            store,
            front,
            &actor,
            year,
            id,
            accept,
            field("reason"),
            Vec::new(),
            &now,
        )
        .await
        .map(drop),
        "rule" => bagalau_app::objections::rule(
            store,
            front,
            &actor,
            year,
            id,
            accept,
            field("reason"),
            &now,
        )
        .await
        .map(drop),
        "finding" => {
            let Ok(value) = pages::parse_number(field("value")) else {
                let reason = Why::Said(catalog().tr(lang).t("not-a-number"));
                return refused(reason, StatusCode::UNPROCESSABLE_ENTITY).await;
            };
            let finding = bagalau_app::verification::VerifierFinding {
                body: text("body"),
                indicator: text("indicator"),
                value,
                reason: text("reason"),
            };
            bagalau_app::verification::record_finding(store, front, &actor, year, &finding, &now)
                .await
                .map(drop)
        }
        "opinion" => bagalau_app::opinions::record_opinion(
            store,
            front,
            &actor,
            year,
            optional("body"),
            field("text"),
            &now,
        )
        .await
        .map(drop),
        "approve" => {
            bagalau_app::publication::approve(store, front, &actor, year, optional("reason"), &now)
                .await
                .map(drop)
        }
        "report" => bagalau_app::recommendations::report(
            store,
            front,
            &actor,
            id,
            field("text"),
            &evidence,
            &now,
        )
        .await
        .map(drop),
        "issue" => {
            let Ok(due) = chrono::NaiveDate::parse_from_str(field("due"), "%Y-%m-%d") else {
                let reason = Why::Said(format!("due: `{}` is not a date", field("due")));
                return refused(reason, StatusCode::UNPROCESSABLE_ENTITY).await;
            };
            let issuing = bagalau_app::recommendations::Issuing {
                year,
                body: text("body"),
                text: text("text"),
                due,
            };
            bagalau_app::recommendations::issue(store, front, &actor, &issuing, &now)
                .await
                .map(drop)
        }
        "review" => bagalau_app::recommendations::review(
            store,
            front,
            &actor,
            id,
            accept,
            optional("reason").as_deref(),
            &now,
        )
        .await
        .map(drop),
        _ => return Err(ApiError::Invalid(vec!["action: unknown".into()])),
    };
    match done {
        Ok(()) => Ok(Redirect::to(&format!("/workspace/{year}?done={form}#done")).into_response()),
        Err(e) => refused_or_failed(e, refused).await,
    }
}

/// A refusal shown at its form; what went wrong inside answered as an
/// internal error (its details go to the log, never to the page).
async fn refused_or_failed<F, Fut>(
    e: bagalau_app::AppError,
    refused: F,
) -> Result<Response, ApiError>
where
    F: FnOnce(Why, StatusCode) -> Fut,
    Fut: std::future::Future<Output = Result<Response, ApiError>>,
{
    let e = ApiError::from(e);
    match e.status() {
        StatusCode::INTERNAL_SERVER_ERROR => Err(e),
        status => refused(why_of(&e), status).await,
    }
}

/// The filled-in Excel template, uploaded from the form: read with the
/// sheet-and-cell checks, then saved or submitted like the form's values.
pub async fn submission_upload(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((year, body)): Path<(i32, String)>,
    mut multipart: axum::extract::Multipart,
) -> Result<Response, ApiError> {
    let here = format!("/workspace/{year}/submissions/{body}");
    let (actor, token) = match reporter(&state, &headers, &here, &body).await? {
        Ok(found) => found,
        Err(answer) => return Ok(answer),
    };
    let lang = lang(&headers);
    let (mut csrf, mut workbook, mut submit) = (String::new(), Vec::new(), false);
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|e| ApiError::Invalid(vec![format!("the upload: {e}")]))?
    {
        match field.name() {
            Some("csrf") => csrf = field.text().await.unwrap_or_default(),
            Some("submit") => submit = field.text().await.is_ok_and(|v| v == "true"),
            Some("workbook") => {
                workbook = field
                    .bytes()
                    .await
                    .map_err(|e| ApiError::Invalid(vec![format!("the workbook: {e}")]))?
                    .to_vec()
            }
            _ => {}
        }
    }
    if !same(&csrf, &csrf_of(&token)) {
        return Err(ApiError::Forbidden(Refusal::FormExpired));
    }
    let refused =
        |reason: String, status| FormState::refused(BTreeMap::new(), Why::Said(reason), status);
    if workbook.is_empty() {
        let why = catalog().tr(lang).t("upload-missing");
        return submission_page(
            &state,
            lang,
            &token,
            year,
            &body,
            refused(why, StatusCode::UNPROCESSABLE_ENTITY),
        )
        .await;
    }
    // The rules before the workbook is read: nothing is parsed for a closed
    // cycle or a submitted body.
    if let Err(e) = crate::check_may_submit(&state, &actor, year, &body).await {
        let form = FormState::refused_by_rules(BTreeMap::new(), e)?;
        return submission_page(&state, lang, &token, year, &body, form).await;
    }
    let registry = crate::stored_registry(&state).await?;
    let m = crate::stored_pack(&state, year).await?;
    let read = crate::read_workbook(m, registry, body.clone(), workbook.into()).await?;
    let observations = match read {
        Ok(o) => o,
        Err(problems) => {
            let tr = catalog().tr(lang);
            let why = problems
                .iter()
                .map(|p| pages::cell_problem(&tr, p))
                .collect::<Vec<_>>()
                .join("; ");
            return submission_page(
                &state,
                lang,
                &token,
                year,
                &body,
                refused(why, StatusCode::UNPROCESSABLE_ENTITY),
            )
            .await;
        }
    };
    let values = observations
        .into_iter()
        .map(|o| SubmittedValue {
            indicator: o.indicator,
            value: o.value,
            note: o.note,
        })
        .collect();
    match save(&state, &actor, year, &body, values, submit).await {
        Ok(_) => Ok(Redirect::to(&format!(
            "{here}?done={}",
            if submit { "submitted" } else { "draft" }
        ))
        .into_response()),
        Err(bagalau_app::AppError::Invalid(problems)) => {
            let why = problems
                .iter()
                .map(|p| {
                    format!(
                        "{}: {}",
                        p.column.as_deref().unwrap_or(&p.source),
                        p.message
                    )
                })
                .collect::<Vec<_>>()
                .join("; ");
            submission_page(
                &state,
                lang,
                &token,
                year,
                &body,
                refused(why, StatusCode::UNPROCESSABLE_ENTITY),
            )
            .await
        }
        Err(e) => {
            let form = FormState::refused_by_rules(BTreeMap::new(), e.into())?;
            submission_page(&state, lang, &token, year, &body, form).await
        }
    }
}

/// Saves the form's or workbook's values through the application core, as
/// the signed-in reporter (no evidence: the form attaches none).
async fn save(
    state: &AppState,
    actor: &bagalau_app::Actor,
    year: i32,
    body: &str,
    values: Vec<SubmittedValue>,
    submit: bool,
) -> Result<bagalau_app::submissions::Saved, bagalau_app::AppError> {
    bagalau_app::submissions::save(
        &state.store,
        bagalau_app::FrontEnd::Api,
        actor,
        year,
        body,
        bagalau_app::submissions::Submitting {
            values: values.into_iter().map(Into::into).collect(),
            submit,
            evidence: Vec::new(),
        },
        &(state.clock)(),
    )
    .await
}
