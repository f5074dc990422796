//! The public portal's HTML pages: rankings and body profiles, from
//! published snapshots only, in the language the request asks for; and the
//! Register of public services, public as the legal acts it lists.

use crate::{ApiError, AppState};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use bagalau_core::publication::Snapshot;
use bagalau_core::{Kind, Lang};
use bagalau_site::i18n::{self, Catalog};
use bagalau_site::opendata::{Cell, RegisterDataset};
use bagalau_site::services::{OnDate, RegisterView};
use bagalau_site::{Published, Sort};
use bagalau_store::Store;
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, LazyLock, Mutex};

/// The pages' paths, next to the API's `ROUTES`.
pub const PAGE_ROUTES: [&str; 21] = [
    "/",
    "/rankings",
    "/rankings/{year}",
    "/bodies/{body}",
    "/static/site.css",
    "/open-data",
    "/open-data/catalog.jsonld",
    "/open-data/{year}/{version}/{file}",
    "/methodology",
    "/methodology/{year}",
    "/methodology/{year}/changes",
    "/npi",
    "/npi/{year}",
    "/services",
    "/{lang}/services",
    "/{lang}/services/{id}",
    "/open-data/services/{file}",
    "/{lang}/services/ratings",
    "/{lang}/services/ratings/{year}",
    "/{lang}/monitoring",
    "/{lang}/monitoring/{id}",
];

pub(crate) static CATALOG: LazyLock<Catalog> =
    LazyLock::new(|| Catalog::new().expect("the embedded message files parse"));

/// Published snapshots by their SHA-256: immutable, so kept once read.
static SNAPSHOTS: LazyLock<Mutex<HashMap<String, Arc<Snapshot>>>> = LazyLock::new(Default::default);

/// Rendered public pages by (page, its normalised parameters, language), with
/// the fingerprint of the published data they were made from: a page is
/// served again as long as nothing it shows has changed. The keys are
/// bounded: parameters are normalised and only existing pages are kept.
static PAGES: LazyLock<Mutex<HashMap<String, (String, axum::body::Bytes)>>> =
    LazyLock::new(Default::default);

/// The published data's fingerprint per store, with the store's write
/// count and when it was read: writes through this process show at once,
/// writes by another process (the command line, another server) within
/// `FINGERPRINT_TTL`.
/// When a fingerprint was read, at which write count, and its value.
type ReadFingerprint = (std::time::Instant, u64, String);

static FINGERPRINTS: LazyLock<Mutex<HashMap<usize, ReadFingerprint>>> =
    LazyLock::new(Default::default);
const FINGERPRINT_TTL: std::time::Duration = std::time::Duration::from_secs(1);

async fn fingerprint(state: &AppState) -> Result<String, ApiError> {
    let (store, generation) = state.store.generation();
    if let Some((at, g, f)) = FINGERPRINTS
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .get(&store)
        && *g == generation
        && at.elapsed() < FINGERPRINT_TTL
    {
        return Ok(f.clone());
    }
    let f = state.store.public_fingerprint().await?;
    FINGERPRINTS
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .insert(store, (std::time::Instant::now(), generation, f.clone()));
    Ok(f)
}

/// The page under `key`, rendered by `render` unless a copy made from the
/// same published data is at hand; `None` when there is no such page.
async fn cached<F, Fut>(
    state: &AppState,
    key: String,
    render: F,
) -> Result<Option<axum::body::Bytes>, ApiError>
where
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = Result<Option<String>, ApiError>>,
{
    let fingerprint = fingerprint(state).await?;
    if let Some((f, page)) = PAGES
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .get(&key)
        && *f == fingerprint
    {
        return Ok(Some(page.clone()));
    }
    let Some(page) = render().await? else {
        return Ok(None);
    };
    let page = axum::body::Bytes::from(page);
    PAGES
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .insert(key, (fingerprint, page.clone()));
    Ok(Some(page))
}

#[derive(Deserialize, Default)]
pub struct PageParams {
    lang: Option<String>,
    kind: Option<String>,
    sort: Option<String>,
    year: Option<i32>,
}

/// A cookie's value from the request's `Cookie` headers.
pub(crate) fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
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
fn html(
    status: StatusCode,
    lang: Lang,
    params: &PageParams,
    body: impl Into<axum::body::Body>,
) -> Response {
    let body: axum::body::Body = body.into();
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

/// Every published version, by year then version.
async fn all_versions(state: &AppState) -> Result<Vec<Published>, ApiError> {
    let mut out = Vec::new();
    let mut list = state.store.publications(None).await?;
    list.sort_by_key(|p| (p.year, p.version));
    for p in list {
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
                    .publication_content(p.year, p.version)
                    .await?
                    .ok_or_else(|| {
                        ApiError::Internal(format!(
                            "publication {} v{} has no content",
                            p.year, p.version
                        ))
                    })?;
                let parsed: Snapshot = serde_json::from_str(&text).map_err(|e| {
                    ApiError::Internal(format!("publication {} v{}: {e}", p.year, p.version))
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
            year: p.year,
            version: p.version,
            sha256: p.content_sha256,
            published_at: p.published_at,
            reason: p.reason,
            snapshot,
        });
    }
    Ok(out)
}

/// The latest version of every published year, oldest year first.
async fn latest_versions(state: &AppState) -> Result<Vec<Published>, ApiError> {
    Ok(latest_of(all_versions(state).await?))
}

/// The latest of each year's versions (given by year then version).
fn latest_of(all: Vec<Published>) -> Vec<Published> {
    let mut latest: BTreeMap<i32, Published> = BTreeMap::new();
    for p in all {
        latest.insert(p.year, p);
    }
    latest.into_values().collect()
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
    let key = format!("rankings:{year}:{kind:?}:{sort:?}:{}", i18n::code(lang));
    let page = cached(&state, key, || async {
        let all = all_versions(&state).await?;
        let corrected = all.iter().filter(|p| p.year == year).rev().nth(1);
        let published = latest_of(all.clone());
        let Some(current) = published.iter().find(|p| p.year == year) else {
            return Ok(None);
        };
        let previous = published.iter().find(|p| p.year == year - 1);
        let registry = crate::stored_registry(&state).await?;
        let methodology = state.store.pack(year).await?.map(|p| p.methodology);
        let years: Vec<i32> = published.iter().map(|p| p.year).collect();
        Ok(Some(bagalau_site::rankings(
            &CATALOG,
            lang,
            &bagalau_site::RankingsView {
                current,
                previous,
                corrected,
                years: &years,
                methodology: methodology.as_ref(),
                registry: &registry,
                kind,
                sort,
            },
        )))
    })
    .await?;
    Ok(match page {
        Some(page) => html(StatusCode::OK, lang, &params, page),
        None => {
            let nothing = state.store.publications(None).await?.is_empty();
            not_found(lang, &params, &format!("/rankings/{year}"), nothing)
        }
    })
}

pub async fn body(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(body): Path<String>,
    Query(params): Query<PageParams>,
) -> Result<Response, ApiError> {
    let lang = language(&params, &headers);
    let today = crate::now_naive(&state)?.date();
    // Overdue flags change with the date.
    let key = format!("body:{body}:{:?}:{}:{today}", params.year, i18n::code(lang));
    let page = cached(&state, key, || async {
        // An unknown body is answered at the cost of a lookup: its page is
        // not cached (anyone can ask for endless names), so it must be cheap.
        let known = state
            .store
            .registry()
            .await?
            .is_some_and(|r| r.body(&body).is_some());
        if !known {
            return Ok(None);
        }
        let published = latest_versions(&state).await?;
        let published_years: Vec<i32> = published.iter().map(|p| p.year).collect();
        let recommendations: Vec<_> = state
            .store
            .recommendations(None)
            .await?
            .into_iter()
            .filter(|(_, r)| r.body == body && published_years.contains(&r.year))
            .collect();
        let gpi = match state.store.performance_years().await?.last() {
            Some(year) => match state.store.performance_pack(*year).await? {
                Some(pack) => {
                    let registry = crate::stored_registry(&state).await?;
                    let series = state.store.series().await?;
                    let a = bagalau_core::performance::gpi(&pack, &registry, &series);
                    Some((pack, a))
                }
                None => None,
            },
            None => None,
        };
        let registry = crate::stored_registry(&state).await?;
        let mut methodologies = BTreeMap::new();
        for p in &published {
            if let Some(stored) = state.store.pack(p.year).await? {
                methodologies.insert(p.year, stored.methodology);
            }
        }
        Ok(bagalau_site::body(
            &CATALOG,
            lang,
            &bagalau_site::BodyView {
                body: &body,
                published: &published,
                year: params.year,
                methodologies: &methodologies,
                registry: &registry,
                gpi: gpi.as_ref().map(|(p, a)| (p, a)),
                recommendations: &recommendations,
                today,
            },
        ))
    })
    .await?;
    Ok(match page {
        Some(page) => html(StatusCode::OK, lang, &params, page),
        None => {
            let nothing = state.store.publications(None).await?.is_empty();
            not_found(lang, &params, &format!("/bodies/{body}"), nothing)
        }
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
    // Browsers heed it only over HTTPS, which production serves.
    h.insert(
        header::STRICT_TRANSPORT_SECURITY,
        HeaderValue::from_static("max-age=31536000"),
    );
    response
}

/// An answer to a request with credentials (a bearer token or a session
/// cookie) may hold what is not public (a body's template with its
/// unpublished values, current results): no cache keeps it unless the
/// handler said otherwise.
pub async fn private_answers(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let credentialed = request.headers().contains_key(header::AUTHORIZATION)
        || request
            .headers()
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .any(|c| c.contains("bagalau_session="));
    let mut response = next.run(request).await;
    if credentialed && !response.headers().contains_key(header::CACHE_CONTROL) {
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

pub async fn open_data(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(params): Query<PageParams>,
) -> Result<Response, ApiError> {
    let lang = language(&params, &headers);
    let versions = all_versions(&state).await?;
    let register = register_dataset(&state).await?;
    let ratings = ratings_datasets(&state).await?;
    let signed = state.store.latest_audit_checkpoint().await?.is_some();
    let page = bagalau_site::open_data(
        &CATALOG,
        lang,
        &versions,
        register.as_ref(),
        &ratings,
        signed,
    );
    Ok(html(StatusCode::OK, lang, &params, page))
}

/// The site's public address as the server was told it (or the address it
/// serves on), a request extension; absent in process, where the request's
/// `Host` is used.
#[derive(Debug, Clone)]
pub struct PublicOrigin(pub String);

/// The site's origin: the configured public address when served; in
/// process, as the client sees it (behind a proxy: its forwarded scheme).
fn origin(public: Option<&PublicOrigin>, headers: &HeaderMap) -> String {
    if let Some(PublicOrigin(url)) = public {
        return url.clone();
    }
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .filter(|h| {
            h.chars()
                .all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c))
        })
        .unwrap_or("localhost");
    let scheme = match headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
    {
        Some("https") => "https",
        _ => "http",
    };
    format!("{scheme}://{host}")
}

pub async fn catalogue(
    State(state): State<AppState>,
    public: Option<axum::Extension<PublicOrigin>>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let versions = all_versions(&state).await?;
    let register = register_dataset(&state).await?;
    let ratings = ratings_datasets(&state).await?;
    let body = bagalau_site::opendata::catalogue(
        &origin(public.as_ref().map(|p| &p.0), &headers),
        &versions,
        register.as_ref(),
        &ratings,
    );
    Ok((
        [(header::CONTENT_TYPE, "application/ld+json")],
        serde_json::to_vec_pretty(&body).map_err(|e| ApiError::Internal(e.to_string()))?,
    )
        .into_response())
}

/// A table of a version (`v3`) or of the latest version (`latest`), as
/// `rankings.csv`, `scores.json`, `conclusions.xlsx`…
pub async fn download(
    State(state): State<AppState>,
    Path((year, version, file)): Path<(i32, String, String)>,
) -> Result<Response, ApiError> {
    let missing = || {
        ApiError::NotFound(format!(
            "no published table /open-data/{year}/{version}/{file}"
        ))
    };
    let versions = all_versions(&state).await?;
    let chosen = match version.as_str() {
        "latest" => versions
            .iter()
            .filter(|p| p.year == year)
            .max_by_key(|p| p.version),
        v => {
            let n: i32 = v
                .strip_prefix('v')
                .and_then(|n| n.parse().ok())
                .ok_or_else(missing)?;
            versions.iter().find(|p| p.year == year && p.version == n)
        }
    }
    .ok_or_else(missing)?;
    let (table, format) = file.rsplit_once('.').ok_or_else(missing)?;
    let media = bagalau_site::opendata::FORMATS
        .iter()
        .find(|(f, _)| *f == format)
        .map(|(_, m)| *m)
        .ok_or_else(missing)?;
    let m = state.store.pack(year).await?.map(|p| p.methodology);
    let t = bagalau_site::opendata::table(table, chosen, m.as_ref()).ok_or_else(missing)?;
    let bytes = match format {
        "csv" => t.csv(),
        "json" => t.json(),
        "xlsx" => xlsx(&t)?,
        _ => {
            use bagalau_parquet::Cell as P;
            let rows = rows_as(&t.rows, P::Text, P::Number, P::Empty);
            bagalau_parquet::table(&t.columns, &rows)
                .map_err(|e| ApiError::Internal(e.to_string()))?
        }
    };
    // A version's table never changes; the latest may be corrected.
    let cache = if version == "latest" {
        "public, max-age=300"
    } else {
        "public, max-age=31536000, immutable"
    };
    let disposition = format!(
        "attachment; filename=\"bagalau-{year}-v{}-{file}\"",
        chosen.version
    );
    Ok((
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(media)),
            (header::CACHE_CONTROL, HeaderValue::from_static(cache)),
            (
                header::CONTENT_DISPOSITION,
                HeaderValue::from_str(&disposition)
                    .map_err(|e| ApiError::Internal(e.to_string()))?,
            ),
        ],
        bytes,
    )
        .into_response())
}

/// A table's rows in another crate's cell type.
fn rows_as<'a, T>(
    rows: &'a [Vec<Cell>],
    text: impl Fn(&'a str) -> T,
    number: impl Fn(f64) -> T,
    empty: T,
) -> Vec<Vec<T>>
where
    T: Copy,
{
    rows.iter()
        .map(|row| {
            row.iter()
                .map(|c| match c {
                    Cell::Text(s) => text(s),
                    Cell::Number(n) => number(*n),
                    Cell::Empty => empty,
                })
                .collect()
        })
        .collect()
}

/// An open-data table as a workbook with one sheet.
fn xlsx(t: &bagalau_site::opendata::Table) -> Result<Vec<u8>, ApiError> {
    use bagalau_xlsx::TableCell;
    let rows = rows_as(
        &t.rows,
        TableCell::Text,
        TableCell::Number,
        TableCell::Empty,
    );
    bagalau_xlsx::table(t.name, &t.columns, &rows).map_err(|e| ApiError::Internal(e.to_string()))
}

pub async fn methodology_latest(State(state): State<AppState>) -> Result<Response, ApiError> {
    let years = bagalau_app::methodology::public_years(&state.store).await?;
    let year = years
        .last()
        .ok_or_else(|| ApiError::NotFound("no methodology yet".into()))?;
    Ok(Redirect::to(&format!("/methodology/{year}")).into_response())
}

pub async fn methodology(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(year): Path<i32>,
    Query(params): Query<PageParams>,
) -> Result<Response, ApiError> {
    let lang = language(&params, &headers);
    // A draft methodology is not public.
    let years = bagalau_app::methodology::public_years(&state.store).await?;
    let stored = match years.contains(&year) {
        true => state.store.pack(year).await?,
        false => None,
    };
    let Some(stored) = stored else {
        return Ok(not_found(
            lang,
            &params,
            &format!("/methodology/{year}"),
            false,
        ));
    };
    let registry = crate::stored_registry(&state).await?;
    let page = bagalau_site::methodology(&CATALOG, lang, &stored.methodology, &years, &registry);
    Ok(html(StatusCode::OK, lang, &params, page))
}

pub async fn methodology_changes(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(year): Path<i32>,
    Query(params): Query<PageParams>,
) -> Result<Response, ApiError> {
    let lang = language(&params, &headers);
    let public = bagalau_app::methodology::public_years(&state.store).await?;
    let (Some(before), Some(after)) = (
        state.store.pack(year - 1).await?,
        state.store.pack(year).await?,
    ) else {
        return Ok(not_found(
            lang,
            &params,
            &format!("/methodology/{year}/changes"),
            false,
        ));
    };
    if !(public.contains(&(year - 1)) && public.contains(&year)) {
        return Ok(not_found(
            lang,
            &params,
            &format!("/methodology/{year}/changes"),
            false,
        ));
    }
    let page =
        bagalau_site::methodology_changes(&CATALOG, lang, &before.methodology, &after.methodology);
    Ok(html(StatusCode::OK, lang, &params, page))
}

pub async fn npi_latest(State(state): State<AppState>) -> Result<Response, ApiError> {
    let years = state.store.performance_years().await?;
    let year = years
        .last()
        .ok_or_else(|| ApiError::NotFound("no performance pack yet".into()))?;
    Ok(Redirect::to(&format!("/npi/{year}")).into_response())
}

pub async fn npi(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(year): Path<i32>,
    Query(params): Query<PageParams>,
) -> Result<Response, ApiError> {
    let lang = language(&params, &headers);
    let key = format!("npi:{year}:{}", i18n::code(lang));
    let page = cached(&state, key, || async {
        let Some(pack) = state.store.performance_pack(year).await? else {
            return Ok(None);
        };
        let series = state.store.series().await?;
        let result = bagalau_core::performance::npi(&pack, &series, year);
        let years = state.store.performance_years().await?;
        Ok(Some(bagalau_site::npi(
            &CATALOG, lang, &pack, &result, &years,
        )))
    })
    .await?;
    Ok(match page {
        Some(page) => html(StatusCode::OK, lang, &params, page),
        None => not_found(lang, &params, &format!("/npi/{year}"), false),
    })
}

/// The stored register of services as the catalogue and the open-data page
/// describe it, if one is stored.
async fn register_dataset(state: &AppState) -> Result<Option<RegisterDataset>, ApiError> {
    Ok(state
        .store
        .service_register_import()
        .await?
        .map(|r| RegisterDataset {
            demonstration: r.is_demonstration(),
            sha256: r.content_hash,
            imported_at: r.imported_at,
        }))
}

/// The language an address names (`/ru/services`), if it is one of the site's.
fn path_language(code: &str) -> Option<Lang> {
    i18n::LANGS.into_iter().find(|l| i18n::code(*l) == code)
}

/// The language an address names, or the page not found (in the visitor's
/// language) for an address under `path` whose language is not the site's.
fn address_language(headers: &HeaderMap, code: &str, path: &str) -> Result<Lang, Box<Response>> {
    path_language(code).ok_or_else(|| {
        let params = PageParams::default();
        let lang = language(&params, headers);
        Box::new(not_found(lang, &params, path, false))
    })
}

/// An HTML answer in the language the address names: remembered like an
/// explicit `?lang=`.
fn html_in(status: StatusCode, lang: Lang, body: impl Into<axum::body::Body>) -> Response {
    let params = PageParams {
        lang: Some(i18n::code(lang).to_string()),
        ..Default::default()
    };
    html(status, lang, &params, body)
}

#[derive(Deserialize)]
pub struct ServicesParams {
    /// The date whose standards are shown (YYYY-MM-DD); today when absent.
    at: Option<String>,
}

/// `/services`: the register in the visitor's language.
pub async fn services_home(headers: HeaderMap, Query(params): Query<PageParams>) -> Redirect {
    let lang = language(&params, &headers);
    Redirect::to(&bagalau_site::services::list_path(lang))
}

/// What a services page is about: the language from its address, the date
/// from `?at=`; or the answer to give instead (an unknown language, a bad date).
async fn services_request(
    state: &AppState,
    headers: &HeaderMap,
    code: &str,
    params: &ServicesParams,
) -> Result<Result<(Lang, OnDate), Response>, ApiError> {
    let lang = match address_language(headers, code, "/services") {
        Ok(lang) => lang,
        Err(answer) => return Ok(Err(*answer)),
    };
    let today = crate::now_naive(state)?.date();
    let at = match params
        .at
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        None => today,
        Some(text) => match chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d") {
            Ok(date) => date,
            Err(_) => {
                let page = bagalau_site::services::bad_date(&CATALOG, lang, text);
                return Ok(Err(html_in(StatusCode::BAD_REQUEST, lang, page)));
            }
        },
    };
    Ok(Ok((lang, OnDate { at, today })))
}

/// The list of services (`id` None) or one service's page, from the stored
/// register; `None` when no register is stored or it lacks the service.
async fn services_page(
    state: &AppState,
    lang: Lang,
    on: OnDate,
    id: Option<&str>,
) -> Result<Option<String>, ApiError> {
    let (Some(register), Some(source)) = (
        state.store.service_register().await?,
        state.store.service_register_import().await?,
    ) else {
        return Ok(None);
    };
    let registry = state.store.registry().await?;
    let view = RegisterView {
        register: &register,
        imported_at: &source.imported_at,
        sha256: &source.content_hash,
        demonstration: source.is_demonstration(),
        registry: registry.as_ref(),
    };
    Ok(match id {
        None => Some(bagalau_site::services::services(&CATALOG, lang, &view, on)),
        Some(id) => bagalau_site::services::service(&CATALOG, lang, &view, id, on),
    })
}

/// A services page, kept while the register is unchanged. Only today's are
/// kept: any date may be asked for, and the cache must stay bounded.
async fn services_answer(
    state: &AppState,
    lang: Lang,
    on: OnDate,
    id: Option<String>,
) -> Result<Response, ApiError> {
    let page = if on.at == on.today {
        let key = format!(
            "services:{}:{}:{}",
            i18n::code(lang),
            on.today,
            id.as_deref().unwrap_or("")
        );
        cached(state, key, || services_page(state, lang, on, id.as_deref())).await?
    } else {
        services_page(state, lang, on, id.as_deref())
            .await?
            .map(Into::into)
    };
    Ok(match page {
        Some(page) => html_in(StatusCode::OK, lang, page),
        None if state.store.service_register_import().await?.is_none() => html_in(
            StatusCode::NOT_FOUND,
            lang,
            bagalau_site::services::no_register(&CATALOG, lang),
        ),
        None => html_in(
            StatusCode::NOT_FOUND,
            lang,
            bagalau_site::services::unknown_service(&CATALOG, lang, id.as_deref().unwrap_or("")),
        ),
    })
}

/// `/{lang}/services[?at=YYYY-MM-DD]`: the services in force on a date, by sector.
pub async fn services(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(code): Path<String>,
    Query(params): Query<ServicesParams>,
) -> Result<Response, ApiError> {
    match services_request(&state, &headers, &code, &params).await? {
        Ok((lang, on)) => services_answer(&state, lang, on, None).await,
        Err(answer) => Ok(answer),
    }
}

/// `/{lang}/services/{id}[?at=YYYY-MM-DD]`: a service's standard and its versions.
pub async fn service(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((code, id)): Path<(String, String)>,
    Query(params): Query<ServicesParams>,
) -> Result<Response, ApiError> {
    match services_request(&state, &headers, &code, &params).await? {
        Ok((lang, on)) => services_answer(&state, lang, on, Some(id)).await,
        Err(answer) => Ok(answer),
    }
}

/// `/open-data/services/register.{csv|json|xlsx}`: the stored register, every
/// version of every service. The CSV is the stored canonical text itself.
/// `/open-data/services/ratings-YEAR[-vN].{csv|json}`: a year's published
/// ratings, a version's or the latest.
pub async fn register_download(
    State(state): State<AppState>,
    Path(file): Path<String>,
) -> Result<Response, ApiError> {
    let missing = || ApiError::NotFound(format!("no file /open-data/services/{file}"));
    if let Some((year, version, format)) = bagalau_site::ratings::parse_ratings_file(&file) {
        return ratings_download(&state, year, version, format).await;
    }
    let Some(("register", format)) = file.rsplit_once('.') else {
        return Err(missing());
    };
    let media = bagalau_site::opendata::REGISTER_FORMATS
        .iter()
        .find(|(f, _)| *f == format)
        .map(|(_, m)| *m)
        .ok_or_else(missing)?;
    let register = state
        .store
        .service_register()
        .await?
        .ok_or_else(|| ApiError::NotFound("no register of public services is stored".into()))?;
    let bytes = match format {
        "csv" => register.to_export_csv().into_bytes(),
        "json" => bagalau_site::opendata::register_table(&register).json(),
        _ => xlsx(&bagalau_site::opendata::register_table(&register))?,
    };
    let disposition = format!("attachment; filename=\"bagalau-service-register.{format}\"");
    Ok((
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(media)),
            // Replaced by the next import: kept briefly, like a year's latest version.
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=300"),
            ),
            (
                header::CONTENT_DISPOSITION,
                HeaderValue::from_str(&disposition)
                    .map_err(|e| ApiError::Internal(e.to_string()))?,
            ),
        ],
        bytes,
    )
        .into_response())
}

/// Published ratings by their SHA-256: immutable, so kept once read.
static RATINGS: LazyLock<Mutex<HashMap<String, Arc<bagalau_services::ratings::Ratings>>>> =
    LazyLock::new(Default::default);

/// A published version of a year's ratings, read once.
async fn published_ratings(
    state: &AppState,
    p: &bagalau_core::publication::Publication,
) -> Result<Arc<bagalau_services::ratings::Ratings>, ApiError> {
    if let Some(r) = RATINGS
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .get(&p.content_sha256)
    {
        return Ok(r.clone());
    }
    let text = state
        .store
        .service_ratings_content(p.year, p.version)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no ratings {}/{}", p.year, p.version)))?;
    let ratings = bagalau_services::ratings::Ratings::from_json(&text).map_err(|e| {
        ApiError::Internal(format!(
            "published ratings {}/{} do not read: {e}",
            p.year, p.version
        ))
    })?;
    let ratings = Arc::new(ratings);
    RATINGS
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .insert(p.content_sha256.clone(), ratings.clone());
    Ok(ratings)
}

/// Every published version of the ratings, as the open-data page and the
/// catalogue list them.
async fn ratings_datasets(
    state: &AppState,
) -> Result<Vec<bagalau_site::ratings::RatingsDataset>, ApiError> {
    let mut out = Vec::new();
    for publication in state.store.service_ratings(None).await? {
        let demonstration = published_ratings(state, &publication).await?.demonstration;
        out.push(bagalau_site::ratings::RatingsDataset {
            publication,
            demonstration,
        });
    }
    Ok(out)
}

/// `/{lang}/services/ratings`: the years whose ratings are published.
pub async fn ratings_years(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(code): Path<String>,
) -> Result<Response, ApiError> {
    let lang = match address_language(&headers, &code, "/services/ratings") {
        Ok(lang) => lang,
        Err(answer) => return Ok(*answer),
    };
    let key = format!("ratings:{}", i18n::code(lang));
    let page = cached(&state, key, || async {
        let datasets = ratings_datasets(&state).await?;
        Ok(Some(bagalau_site::ratings::years(
            &CATALOG, lang, &datasets,
        )))
    })
    .await?
    .expect("the years page is always made");
    Ok(html_in(StatusCode::OK, lang, page))
}

/// `/{lang}/services/ratings/{year}`: a year's ratings as last published.
pub async fn ratings_year(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((code, year)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let lang = match address_language(&headers, &code, "/services/ratings") {
        Ok(lang) => lang,
        Err(answer) => return Ok(*answer),
    };
    // Only real years make pages (and cache keys).
    let Some(year) = year
        .parse::<i32>()
        .ok()
        .filter(|y| (1000..=9999).contains(y) && year.len() == 4)
    else {
        return Ok(not_found(
            lang,
            &PageParams::default(),
            "/services/ratings",
            false,
        ));
    };
    let key = format!("ratings:{}:{year}", i18n::code(lang));
    let page = cached(&state, key, || async {
        let versions = state.store.service_ratings(Some(year)).await?;
        let Some(shown) = versions.last() else {
            return Ok(None);
        };
        let ratings = published_ratings(&state, shown).await?;
        Ok(Some(bagalau_site::ratings::year(
            &CATALOG, lang, &ratings, shown, &versions,
        )))
    })
    .await?;
    Ok(match page {
        Some(page) => html_in(StatusCode::OK, lang, page),
        None => html_in(
            StatusCode::NOT_FOUND,
            lang,
            bagalau_site::ratings::not_published(&CATALOG, lang, year),
        ),
    })
}

/// A year's ratings file: a version's (immutable, cached for long) or the
/// latest version's.
async fn ratings_download(
    state: &AppState,
    year: i32,
    version: Option<i32>,
    format: &str,
) -> Result<Response, ApiError> {
    let versions = state.store.service_ratings(Some(year)).await?;
    let shown = match version {
        Some(v) => versions.iter().find(|p| p.version == v),
        None => versions.last(),
    }
    .ok_or_else(|| {
        ApiError::NotFound(match version {
            Some(v) => format!("no version {v} of the ratings of {year} is published"),
            None => format!("no ratings of {year} are published"),
        })
    })?;
    let ratings = published_ratings(state, shown).await?;
    let bytes = match format {
        "csv" => ratings.to_csv().into_bytes(),
        _ => ratings.to_json().into_bytes(),
    };
    let media = bagalau_site::ratings::RATINGS_FORMATS
        .iter()
        .find(|(f, _)| *f == format)
        .map_or("application/octet-stream", |(_, m)| *m);
    let disposition = format!(
        "attachment; filename=\"bagalau-service-ratings-{year}-v{}.{format}\"",
        shown.version
    );
    let cache = if version.is_some() {
        "public, max-age=31536000, immutable"
    } else {
        "public, max-age=300"
    };
    Ok((
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(media)),
            (header::CACHE_CONTROL, HeaderValue::from_static(cache)),
            (
                header::CONTENT_DISPOSITION,
                HeaderValue::from_str(&disposition)
                    .map_err(|e| ApiError::Internal(e.to_string()))?,
            ),
        ],
        bytes,
    )
        .into_response())
}

/// The names the monitoring pages use: the register, the registry, the organisations.
async fn monitoring_names(
    state: &AppState,
) -> Result<
    (
        Option<bagalau_services::register::Register>,
        Option<bagalau_core::registry::Registry>,
        Vec<bagalau_core::monitoring::Organisation>,
    ),
    ApiError,
> {
    Ok((
        state.store.service_register().await?,
        state.store.registry().await?,
        state.store.monitoring_organisations().await?,
    ))
}

/// `/{lang}/monitoring`: the published reports of public monitoring.
pub async fn monitoring_reports(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(code): Path<String>,
) -> Result<Response, ApiError> {
    let lang = match address_language(&headers, &code, "/monitoring") {
        Ok(lang) => lang,
        Err(answer) => return Ok(*answer),
    };
    let key = format!("monitoring:{}", i18n::code(lang));
    let page = cached(&state, key, || async {
        let (register, registry, organisations) = monitoring_names(&state).await?;
        let findings = state.store.monitoring_findings(None).await?;
        let published: Vec<(
            i64,
            bagalau_core::monitoring::Project,
            Vec<bagalau_core::monitoring::Finding>,
        )> = state
            .store
            .monitoring_projects()
            .await?
            .into_iter()
            .filter(|(_, p)| p.is_published())
            .map(|(id, p)| {
                let of: Vec<_> = findings
                    .iter()
                    .filter(|(_, f)| f.project == id)
                    .map(|(_, f)| f.clone())
                    .collect();
                (id, p, of)
            })
            .collect();
        let names = bagalau_site::monitoring::Names {
            register: register.as_ref(),
            registry: registry.as_ref(),
            organisations: &organisations,
        };
        Ok(Some(bagalau_site::monitoring::reports(
            &CATALOG, lang, &names, &published,
        )))
    })
    .await?
    .expect("the reports page is always made");
    Ok(html_in(StatusCode::OK, lang, page))
}

/// `/{lang}/monitoring/{id}`: a published report; anything else is not found.
pub async fn monitoring_report(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((code, id)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let lang = match address_language(&headers, &code, "/monitoring") {
        Ok(lang) => lang,
        Err(answer) => return Ok(*answer),
    };
    let Ok(id) = id.parse::<i64>() else {
        return Ok(not_found(
            lang,
            &PageParams::default(),
            "/monitoring",
            false,
        ));
    };
    let today = crate::now_naive(&state)?.date();
    // Not kept: what a finding's reply says depends on the day (an awaited
    // reply turns into "stands without reply"), and reports are read rarely.
    let page = async {
        let Some((_, project)) = state
            .store
            .monitoring_projects()
            .await?
            .into_iter()
            .find(|(i, p)| *i == id && p.is_published())
        else {
            return Ok::<_, ApiError>(None);
        };
        let (register, registry, organisations) = monitoring_names(&state).await?;
        let names = bagalau_site::monitoring::Names {
            register: register.as_ref(),
            registry: registry.as_ref(),
            organisations: &organisations,
        };
        let findings = state.store.monitoring_findings(Some(id)).await?;
        let recommendations = state.store.monitoring_recommendations(Some(id)).await?;
        Ok(Some(bagalau_site::monitoring::report(
            &CATALOG,
            lang,
            &names,
            bagalau_site::monitoring::Report {
                id,
                project: &project,
                findings: &findings,
                recommendations: &recommendations,
                today,
            },
        )))
    }
    .await?;
    Ok(match page {
        Some(page) => html_in(StatusCode::OK, lang, page),
        None => html_in(
            StatusCode::NOT_FOUND,
            lang,
            bagalau_site::monitoring::not_published(&CATALOG, lang, id),
        ),
    })
}
