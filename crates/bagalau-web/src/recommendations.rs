//! Recommendations' execution as reporting data, through
//! `bagalau_app::recommendations` (the issuing, reporting and review of
//! recommendations are still in the crate root).

use crate::{ApiResult, AppState, actor};
use axum::Json;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use serde::{Deserialize, Serialize};

/// Which recommendations.
#[derive(Deserialize, utoipa::IntoParams)]
pub struct RatesQuery {
    /// The year the recommendations were issued for.
    pub year: i32,
    /// Those due by this day (YYYY-MM-DD; default: the end of the next year).
    #[param(value_type = Option<String>, format = Date)]
    pub cutoff: Option<chrono::NaiveDate>,
}

/// A body's recommendations due by the cutoff and those executed on time.
#[derive(Serialize, utoipa::ToSchema)]
pub struct RateView {
    pub body: String,
    pub due: u32,
    pub on_time: u32,
    /// 100 · on time / due, to two decimals: the indicator's value.
    pub percent: f64,
}

/// The rates of a year's recommendations.
#[derive(Serialize, utoipa::ToSchema)]
pub struct RatesView {
    pub year: i32,
    #[schema(value_type = String, format = Date)]
    pub cutoff: chrono::NaiveDate,
    /// Bodies with nothing due by the cutoff are absent (no value, not zero).
    pub bodies: Vec<RateView>,
}

#[utoipa::path(get, path = "/api/v1/recommendations/rates", params(RatesQuery), security(("bearer" = [])),
    responses((status = 200, description = "Each body's share executed on time", body = RatesView),
        (status = 403, description = "Not a coordinator"),
        (status = 404, description = "No recommendation of the year is due by the cutoff"),
        (status = 422, description = "Not a year of four digits", body = crate::ProblemsView)))]
pub(crate) async fn rates(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<RatesQuery>,
) -> ApiResult<Json<RatesView>> {
    let actor = actor(&state, &headers).await?;
    let cutoff = match q.cutoff {
        Some(day) => day,
        None => {
            chrono::NaiveDate::from_ymd_opt(q.year.saturating_add(1), 12, 31).ok_or_else(|| {
                bagalau_app::AppError::Invalid(vec![bagalau_app::Problem::of(
                    "year",
                    format!("{} is not a year of four digits", q.year),
                )])
            })?
        }
    };
    let rates = bagalau_app::recommendations::rates(&state.store, &actor, q.year, cutoff).await?;
    Ok(Json(RatesView {
        year: q.year,
        cutoff,
        bodies: rates
            .into_iter()
            .map(|(body, c)| RateView {
                body,
                due: c.due,
                on_time: c.on_time,
                percent: bagalau_app::recommendations::rate(c),
            })
            .collect(),
    }))
}
