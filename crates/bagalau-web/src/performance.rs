//! The performance assessment through the API (`bagalau_app::performance`):
//! the Government Performance Index with its risk areas for the roles that
//! read it before publication, the National Progress Index for anyone, and
//! the imports of performance packs and statistical series with their
//! problems placed.

use crate::citizens::uploads;
use crate::imports::FilesWithReason;
use crate::{ApiResult, AppState, JsonBody, actor};
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use bagalau_app::FrontEnd;
use bagalau_core::performance::SeriesLayout;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Which bodies.
#[derive(Deserialize, utoipa::IntoParams)]
pub struct GpiQuery {
    /// `cgb` or `leb` (default: both, each ranked within its kind).
    pub kind: Option<String>,
}

/// One indicator of a body: its values in the window and how it moves.
#[derive(Serialize, utoipa::ToSchema)]
pub struct GpiIndicatorView {
    pub indicator: String,
    /// The values in the window, by year.
    pub values: BTreeMap<String, f64>,
    /// Least-squares slope, units a year.
    pub slope: Option<f64>,
    pub level: Option<f64>,
    /// Polarity-adjusted relative annual change.
    pub change: Option<f64>,
    pub score: Option<f64>,
    /// Moving away from its target: a risk.
    pub regresses: bool,
    /// `on_track`, `moderately_improving`, `stagnating` or `decreasing`.
    pub trend: Option<String>,
    pub note: Option<String>,
}

/// A sphere of a body's activity.
#[derive(Serialize, utoipa::ToSchema)]
pub struct GpiSphereView {
    pub sphere: String,
    pub score: Option<f64>,
    pub change: Option<f64>,
    /// A risk area.
    pub risk: bool,
    pub indicators: Vec<GpiIndicatorView>,
}

/// A body's index, its rank within its kind and its spheres.
#[derive(Serialize, utoipa::ToSchema)]
pub struct GpiBodyView {
    pub body: String,
    /// `cgb` or `leb`.
    pub kind: String,
    pub gpi: Option<f64>,
    pub rank: Option<u32>,
    pub spheres: Vec<GpiSphereView>,
}

/// The Government Performance Index of a year.
#[derive(Serialize, utoipa::ToSchema)]
pub struct GpiView {
    pub year: i32,
    pub pack: String,
    pub pack_sha256: String,
    /// Computed from generated demonstration data.
    pub demonstration: bool,
    pub bodies: Vec<GpiBodyView>,
}

fn snake(value: impl Serialize) -> Option<String> {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
}

#[utoipa::path(get, path = "/api/v1/performance/{year}/gpi", params(("year" = i32, Path), GpiQuery), security(("bearer" = [])),
    responses((status = 200, description = "The index, ranked within each kind", body = GpiView),
        (status = 403, description = "Not a role that reads the performance assessment before publication"),
        (status = 404, description = "No performance pack for the year, or no registry"),
        (status = 422, description = "Not a kind of body", body = crate::ProblemsView)))]
pub(crate) async fn gpi(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(year): Path<i32>,
    Query(q): Query<GpiQuery>,
) -> ApiResult<Json<GpiView>> {
    let actor = actor(&state, &headers).await?;
    let kind = match q.kind.as_deref() {
        None => None,
        Some(text) => Some(
            bagalau_core::Kind::parse(text)
                .filter(|k| bagalau_core::Kind::RANKED.contains(k))
                .ok_or_else(|| {
                    bagalau_app::AppError::Invalid(vec![bagalau_app::Problem::of(
                        "kind",
                        format!(
                            "`{}` is not a kind of body (cgb or leb)",
                            bagalau_core::checked::shown(text)
                        ),
                    )])
                })?,
        ),
    };
    let (pack, a) = bagalau_app::performance::gpi(&state.store, &actor, year).await?;
    Ok(Json(GpiView {
        year: a.year,
        pack: pack.id,
        pack_sha256: a.pack_hash,
        demonstration: a.demonstration,
        bodies: a
            .results
            .into_iter()
            .filter(|r| kind.is_none_or(|k| r.kind == k))
            .map(|r| GpiBodyView {
                body: r.body,
                kind: r.kind.as_str().to_string(),
                gpi: r.gpi,
                rank: r.rank,
                spheres: r
                    .spheres
                    .into_iter()
                    .map(|s| GpiSphereView {
                        sphere: s.sphere,
                        score: s.score,
                        change: s.change,
                        risk: s.risk,
                        indicators: s
                            .indicators
                            .into_iter()
                            .map(|i| GpiIndicatorView {
                                indicator: i.indicator,
                                values: i
                                    .values
                                    .into_iter()
                                    .map(|(y, v)| (y.to_string(), v))
                                    .collect(),
                                slope: i.slope,
                                level: i.level,
                                change: i.change,
                                score: i.score,
                                regresses: i.regresses,
                                trend: i.trend.and_then(snake),
                                note: i.note,
                            })
                            .collect(),
                    })
                    .collect(),
            })
            .collect(),
    }))
}

/// One indicator of the National Progress Index.
#[derive(Serialize, utoipa::ToSchema)]
pub struct NpiIndicatorView {
    pub indicator: String,
    /// Its name in English (the pack has Kazakh and Russian too).
    pub name: String,
    pub unit: String,
    /// The country's value in the year.
    pub value: Option<f64>,
    /// The reference's (the OECD average).
    pub reference: Option<f64>,
    /// The country's in the base year.
    pub base: Option<f64>,
    /// 100 · country / reference, polarity-adjusted.
    pub vs_reference: Option<f64>,
    /// 100 · value / base-year value, polarity-adjusted.
    pub vs_base: Option<f64>,
}

/// The National Progress Index of a year: the country against the
/// reference and against the base year (100 = equal), largest lags first.
#[derive(Serialize, utoipa::ToSchema)]
pub struct NpiView {
    pub year: i32,
    pub country: String,
    pub reference: String,
    pub base_year: i32,
    pub vs_reference: Option<f64>,
    pub vs_base: Option<f64>,
    pub demonstration: bool,
    pub indicators: Vec<NpiIndicatorView>,
}

#[utoipa::path(get, path = "/api/v1/performance/{year}/npi", params(("year" = i32, Path)),
    responses((status = 200, description = "The index, largest lags first", body = NpiView),
        (status = 404, description = "No performance pack for the year")))]
pub(crate) async fn npi(
    State(state): State<AppState>,
    Path(year): Path<i32>,
) -> ApiResult<Json<NpiView>> {
    let (pack, n) = bagalau_app::performance::npi(&state.store, year).await?;
    Ok(Json(NpiView {
        year: n.year,
        base_year: n.base_year,
        vs_reference: n.vs_reference,
        vs_base: n.vs_base,
        demonstration: n.demonstration,
        indicators: n
            .indicators
            .into_iter()
            .map(|i| {
                let def = pack.npi.iter().find(|d| d.id == i.indicator);
                NpiIndicatorView {
                    name: def.map_or_else(|| i.indicator.clone(), |d| d.name.en.clone()),
                    unit: def.map(|d| d.unit.clone()).unwrap_or_default(),
                    indicator: i.indicator,
                    value: i.value,
                    reference: i.reference,
                    base: i.base,
                    vs_reference: i.vs_reference,
                    vs_base: i.vs_base,
                }
            })
            .collect(),
        country: pack.country,
        reference: pack.reference,
    }))
}

/// How many packs an import kept.
#[derive(Serialize, utoipa::ToSchema)]
pub struct PacksImportedView {
    pub packs: usize,
}

#[utoipa::path(post, path = "/api/v1/performance/packs", request_body = FilesWithReason, security(("bearer" = [])),
    responses((status = 200, description = "Kept, each replacing its year's pack", body = PacksImportedView),
        (status = 403, description = "Not a methodologist"),
        (status = 422, description = "Problems, each placed by file, line and column: nothing imported", body = crate::ProblemsView)))]
pub(crate) async fn import_packs(
    State(state): State<AppState>,
    headers: HeaderMap,
    JsonBody(req): JsonBody<FilesWithReason>,
) -> ApiResult<Json<PacksImportedView>> {
    let actor = actor(&state, &headers).await?;
    let packs = bagalau_app::performance::import_packs(
        &state.store,
        FrontEnd::Api,
        &actor,
        &uploads(req.files),
        req.reason,
        &(state.clock)(),
    )
    .await?;
    Ok(Json(PacksImportedView { packs }))
}

/// The layout of the series files.
#[derive(Deserialize, utoipa::IntoParams)]
pub struct SeriesQuery {
    /// `tidy` (entity, indicator, year, value: the default) or `sdmx`
    /// (SDMX-CSV: REF_AREA, INDICATOR, TIME_PERIOD, OBS_VALUE).
    pub layout: Option<String>,
}

/// What an import of series did.
#[derive(Serialize, utoipa::ToSchema)]
pub struct SeriesImportedView {
    pub new: usize,
    pub changed: usize,
    pub unchanged: usize,
    /// The latest pack the observations were checked against.
    pub checked_against: i32,
}

#[utoipa::path(post, path = "/api/v1/performance/series", params(SeriesQuery), request_body = FilesWithReason, security(("bearer" = [])),
    responses((status = 200, description = "Imported", body = SeriesImportedView),
        (status = 403, description = "Not a coordinator"),
        (status = 404, description = "No performance pack or no registry to check the series against"),
        (status = 422, description = "Problems, each placed by file, line and column: nothing imported", body = crate::ProblemsView)))]
pub(crate) async fn import_series(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<SeriesQuery>,
    JsonBody(req): JsonBody<FilesWithReason>,
) -> ApiResult<Json<SeriesImportedView>> {
    let actor = actor(&state, &headers).await?;
    let layout = match q.layout.as_deref() {
        None | Some("tidy") => SeriesLayout::Tidy,
        Some("sdmx") => SeriesLayout::SdmxCsv,
        Some(other) => {
            return Err(
                bagalau_app::AppError::Invalid(vec![bagalau_app::Problem::of(
                    "layout",
                    format!(
                        "`{}` is not a layout (tidy or sdmx)",
                        bagalau_core::checked::shown(other)
                    ),
                )])
                .into(),
            );
        }
    };
    let imported = bagalau_app::performance::import_series(
        &state.store,
        FrontEnd::Api,
        &actor,
        &uploads(req.files),
        layout,
        req.reason,
        &(state.clock)(),
    )
    .await?;
    Ok(Json(SeriesImportedView {
        new: imported.new,
        changed: imported.changed,
        unchanged: imported.unchanged,
        checked_against: imported.checked_against,
    }))
}
