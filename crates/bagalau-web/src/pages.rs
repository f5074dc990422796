//! The public portal's HTML pages: rankings and body profiles, from
//! published snapshots only, in the language the request asks for.

use crate::{ApiError, AppState};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use bagalau_core::publication::Snapshot;
use bagalau_core::{Kind, Lang};
use bagalau_site::i18n::{self, Catalog};
use bagalau_site::{Published, Sort};
use bagalau_store::Store;
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, LazyLock, Mutex};

/// The pages' paths, next to the API's `ROUTES`.
pub const PAGE_ROUTES: [&str; 5] = [
    "/",
    "/rankings",
    "/rankings/{year}",
    "/bodies/{body}",
    "/static/site.css",
];

static CATALOG: LazyLock<Catalog> =
    LazyLock::new(|| Catalog::new().expect("the embedded message files parse"));

/// Published snapshots by their SHA-256: immutable, so kept once read.
static SNAPSHOTS: LazyLock<Mutex<HashMap<String, Arc<Snapshot>>>> = LazyLock::new(Default::default);

#[derive(Deserialize)]
pub struct PageParams {
    lang: Option<String>,
    kind: Option<String>,
    sort: Option<String>,
    year: Option<i32>,
}

fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

fn language(params: &PageParams, headers: &HeaderMap) -> Lang {
    i18n::negotiate(
        params.lang.as_deref(),
        cookie(headers, "lang"),
        headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok()),
    )
}

/// An HTML answer; an explicit `?lang=` is remembered for a year.
fn html(status: StatusCode, lang: Lang, params: &PageParams, body: String) -> Response {
    let mut response = (status, body).into_response();
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    h.insert(
        header::VARY,
        HeaderValue::from_static("Accept-Language, Cookie"),
    );
    h.insert(
        header::CONTENT_LANGUAGE,
        HeaderValue::from_static(i18n::code(lang)),
    );
    if params.lang.as_deref().and_then(Lang::parse).is_some() {
        let value = format!(
            "lang={}; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly",
            i18n::code(lang)
        );
        if let Ok(v) = HeaderValue::from_str(&value) {
            h.insert(header::SET_COOKIE, v);
        }
    }
    response
}

/// The latest version of every published year, oldest year first.
async fn latest_versions(state: &AppState) -> Result<Vec<Published>, ApiError> {
    let mut latest: BTreeMap<i32, bagalau_core::publication::Publication> = BTreeMap::new();
    for p in state.store.publications(None).await? {
        if latest.get(&p.year).is_none_or(|l| l.version < p.version) {
            latest.insert(p.year, p);
        }
    }
    let mut out = Vec::new();
    for (year, p) in latest {
        let cached = SNAPSHOTS
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get(&p.content_sha256)
            .cloned();
        let snapshot = match cached {
            Some(s) => s,
            None => {
                let text = state
                    .store
                    .publication_content(year, p.version)
                    .await?
                    .ok_or_else(|| {
                        ApiError::Internal(format!(
                            "publication {year} v{} has no content",
                            p.version
                        ))
                    })?;
                let parsed: Snapshot = serde_json::from_str(&text).map_err(|e| {
                    ApiError::Internal(format!("publication {year} v{}: {e}", p.version))
                })?;
                let parsed = Arc::new(parsed);
                SNAPSHOTS
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                    .insert(p.content_sha256.clone(), parsed.clone());
                parsed
            }
        };
        out.push(Published {
            year,
            version: p.version,
            sha256: p.content_sha256,
            published_at: p.published_at,
            reason: p.reason,
            snapshot: (*snapshot).clone(),
        });
    }
    Ok(out)
}

fn not_found(lang: Lang, params: &PageParams, path: &str, nothing_published: bool) -> Response {
    html(
        StatusCode::NOT_FOUND,
        lang,
        params,
        bagalau_site::not_found(&CATALOG, lang, path, nothing_published),
    )
}

pub async fn home() -> Redirect {
    Redirect::to("/rankings")
}

pub async fn rankings_latest(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(params): Query<PageParams>,
) -> Result<Response, ApiError> {
    let published = latest_versions(&state).await?;
    match published.last() {
        Some(p) => Ok(Redirect::to(&format!(
            "/rankings/{}{}",
            p.year,
            params
                .lang
                .as_ref()
                .map_or(String::new(), |l| format!("?lang={l}"))
        ))
        .into_response()),
        None => {
            let lang = language(&params, &headers);
            Ok(not_found(lang, &params, "/rankings", true))
        }
    }
}

pub async fn rankings(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(year): Path<i32>,
    Query(params): Query<PageParams>,
) -> Result<Response, ApiError> {
    let lang = language(&params, &headers);
    let published = latest_versions(&state).await?;
    let Some(current) = published.iter().find(|p| p.year == year) else {
        return Ok(not_found(
            lang,
            &params,
            &format!("/rankings/{year}"),
            published.is_empty(),
        ));
    };
    let previous = published.iter().find(|p| p.year == year - 1);
    let registry = crate::stored_registry(&state).await?;
    let methodology = state.store.pack(year).await?.map(|p| p.methodology);
    let years: Vec<i32> = published.iter().map(|p| p.year).collect();
    let kind = match params.kind.as_deref() {
        Some("cgb") => Some(Kind::Cgb),
        Some("leb") => Some(Kind::Leb),
        _ => None,
    };
    let sort = params
        .sort
        .as_deref()
        .and_then(Sort::parse)
        .unwrap_or(Sort::Rank);
    let page = bagalau_site::rankings(
        &CATALOG,
        lang,
        &bagalau_site::RankingsView {
            current,
            previous,
            years: &years,
            methodology: methodology.as_ref(),
            registry: &registry,
            kind,
            sort,
        },
    );
    Ok(html(StatusCode::OK, lang, &params, page))
}

pub async fn body(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(body): Path<String>,
    Query(params): Query<PageParams>,
) -> Result<Response, ApiError> {
    let lang = language(&params, &headers);
    let published = latest_versions(&state).await?;
    let registry = crate::stored_registry(&state).await?;
    let mut methodologies = BTreeMap::new();
    for p in &published {
        if let Some(stored) = state.store.pack(p.year).await? {
            methodologies.insert(p.year, stored.methodology);
        }
    }
    let page = bagalau_site::body(
        &CATALOG,
        lang,
        &bagalau_site::BodyView {
            body: &body,
            published: &published,
            year: params.year,
            methodologies: &methodologies,
            registry: &registry,
        },
    );
    Ok(match page {
        Some(page) => html(StatusCode::OK, lang, &params, page),
        None => not_found(
            lang,
            &params,
            &format!("/bodies/{body}"),
            published.is_empty(),
        ),
    })
}

pub async fn stylesheet() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        bagalau_site::STYLESHEET,
    )
        .into_response()
}

/// Headers every answer carries: no scripts or styles from elsewhere, no
/// framing, no sniffing, no referrer beyond the site.
pub async fn security_headers(mut response: Response) -> Response {
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; style-src 'self'; img-src 'self' data:; script-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        ),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    h.insert(
        "permissions-policy",
        HeaderValue::from_static("camera=(), microphone=(), geolocation=()"),
    );
    response
}
