//! The public-service indicators through the API
//! (`bagalau_app::indicators`): a year's delivery records counted by one
//! breakdown, for a range of months and the records the filters keep; and
//! the reporting data the assessment takes from them
//! (`bagalau_app::report_data`).

use crate::{ApiResult, AppState, actor};
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use bagalau_app::indicators::{IndicatorRow, IndicatorTable, IndicatorsRequest};
use bagalau_services::deliveries::Filter;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// By what, for which months, of which records: each filter given must
/// hold.
#[derive(Deserialize, utoipa::IntoParams)]
pub struct IndicatorsQuery {
    /// `service`, `sector` (default), `provider`, `region`, `office`,
    /// `channel`, `recipient` or `month`.
    pub by: Option<String>,
    /// The first month counted (1 to 12; default 1).
    pub first_month: Option<u32>,
    /// The last month counted (1 to 12; default 12).
    pub last_month: Option<u32>,
    /// Only this service's records.
    pub service: Option<String>,
    /// Only records whose service was in this sector on the day they were
    /// requested.
    pub sector: Option<String>,
    /// Only this provider's records.
    pub provider: Option<String>,
    pub region: Option<String>,
    pub office: Option<String>,
    /// `psc`, `portal`, `body` and the like.
    pub channel: Option<String>,
    /// `individual` or `legal`.
    pub recipient: Option<String>,
}

/// An indicator of the pack.
#[derive(Serialize, utoipa::ToSchema)]
pub struct IndicatorDefinitionView {
    pub id: String,
    pub name_kk: String,
    pub name_ru: String,
    pub name_en: String,
    /// A count or a sum of counts (`on_time + violations`).
    pub numerator: String,
    /// A share's denominator; none for a plain count.
    pub denominator: Option<String>,
}

/// One value of the breakdown, or the total.
#[derive(Serialize, utoipa::ToSchema)]
pub struct IndicatorRowView {
    /// The breakdown's value (the month's number for `month`); none for
    /// records without one (a service outside the register has no sector)
    /// and for the total.
    pub value: Option<String>,
    /// Every count of the pack by name: `records`, `hidden` (services
    /// outside the register), `on_time`, `violations`, `no_delivery_date`,
    /// `electronic`, `documents_recorded`, `extra_documents`, `breaches`.
    pub counts: BTreeMap<String, u64>,
    /// Every indicator by id: a percentage for a share (none when nothing
    /// is counted below it), a number for a count.
    pub indicators: BTreeMap<String, Option<f64>>,
}

impl From<IndicatorRow> for IndicatorRowView {
    fn from(r: IndicatorRow) -> Self {
        IndicatorRowView {
            value: r.value,
            counts: r.counts,
            indicators: r.indicators,
        }
    }
}

/// The filters applied.
#[derive(Serialize, utoipa::ToSchema)]
pub struct FilterView {
    pub service: Option<String>,
    pub sector: Option<String>,
    pub provider: Option<String>,
    pub region: Option<String>,
    pub office: Option<String>,
    pub channel: Option<String>,
    pub recipient: Option<String>,
}

/// A year's public-service indicators by one breakdown.
#[derive(Serialize, utoipa::ToSchema)]
pub struct IndicatorTableView {
    pub year: i32,
    pub by: String,
    pub first_month: u32,
    pub last_month: u32,
    pub filter: FilterView,
    /// The indicator pack the records were counted with.
    pub pack: String,
    pub indicators: Vec<IndicatorDefinitionView>,
    pub rows: Vec<IndicatorRowView>,
    pub total: IndicatorRowView,
    /// The months asked for that have records.
    pub months_with_records: Vec<u32>,
    /// The months read from the records for this answer (the others came
    /// from counts cached with the fingerprint of their records).
    pub months_counted_now: Vec<u32>,
    /// What the figures cannot tell (a deadline past the calendar's end).
    pub notes: Vec<String>,
}

impl From<IndicatorTable> for IndicatorTableView {
    fn from(t: IndicatorTable) -> Self {
        let f = t.filter;
        IndicatorTableView {
            year: t.year,
            by: t.by,
            first_month: t.first_month,
            last_month: t.last_month,
            filter: FilterView {
                service: f.service,
                sector: f.sector,
                provider: f.provider,
                region: f.region,
                office: f.office,
                channel: f.channel,
                recipient: f.recipient,
            },
            pack: t.pack,
            indicators: t
                .indicators
                .into_iter()
                .map(|i| IndicatorDefinitionView {
                    id: i.id,
                    name_kk: i.name.kk,
                    name_ru: i.name.ru,
                    name_en: i.name.en,
                    numerator: i.numerator,
                    denominator: i.denominator,
                })
                .collect(),
            rows: t.rows.into_iter().map(Into::into).collect(),
            total: t.total.into(),
            months_with_records: t.months_with_records,
            months_counted_now: t.months_counted_now,
            notes: t.notes,
        }
    }
}

#[utoipa::path(get, path = "/api/v1/services/indicators/{year}",
    params(("year" = i32, Path, description = "A year of four digits"), IndicatorsQuery),
    security(("bearer" = [])),
    responses((status = 200, description = "The year's indicators by the breakdown", body = IndicatorTableView),
        (status = 401, description = "No account"),
        (status = 403, description = "Neither a service analyst nor a coordinator"),
        (status = 404, description = "No delivery records of the year, no register kept, or the calendar does not know the year"),
        (status = 422, description = "Not a year, a breakdown or a month; a filter's value empty or too long", body = crate::ProblemsView)))]
pub(crate) async fn indicators(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(year): Path<i32>,
    Query(query): Query<IndicatorsQuery>,
) -> ApiResult<Json<IndicatorTableView>> {
    let actor = actor(&state, &headers).await?;
    let request = IndicatorsRequest {
        year,
        by: query.by.unwrap_or_else(|| "sector".into()),
        first_month: query.first_month.unwrap_or(1),
        last_month: query.last_month.unwrap_or(12),
        filter: Filter {
            service: query.service,
            sector: query.sector,
            provider: query.provider,
            region: query.region,
            office: query.office,
            channel: query.channel,
            recipient: query.recipient,
        },
    };
    let table = bagalau_app::indicators::indicators(
        &state.store,
        state.records.as_ref(),
        &actor,
        &request,
        None,
    )
    .await?;
    Ok(Json(table.into()))
}

/// Which survey gives the `survey:` values.
#[derive(Deserialize, utoipa::IntoParams)]
pub struct ReportDataQuery {
    /// The satisfaction questionnaire whose kept responses give `survey:`
    /// values (none without it).
    pub questionnaire: Option<String>,
}

/// One value of reporting data.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ReportValueView {
    pub body_id: String,
    pub indicator_id: String,
    pub value: f64,
    /// Where it comes from, in words.
    pub note: String,
}

/// A body whose computed values are not reporting data of the year.
#[derive(Serialize, utoipa::ToSchema)]
pub struct LeftOutView {
    pub body_id: String,
    pub why: String,
    pub values: usize,
}

/// The year's reporting data computed from public services.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ReportDataView {
    pub year: i32,
    /// Only bodies assessed that year, for indicators of their kind.
    pub values: Vec<ReportValueView>,
    pub left_out: Vec<LeftOutView>,
    /// What had no source, in words.
    pub notes: Vec<String>,
    /// The values as reporting-data CSV, to be sent as they are to
    /// `POST /api/v1/data` (checked and imported as any reporting data).
    pub csv: String,
}

#[utoipa::path(get, path = "/api/v1/services/report-data",
    params(crate::citizens::JudgingQuery, ReportDataQuery),
    security(("bearer" = [])),
    responses((status = 200, description = "The year's computed values of the methodology's indicators that name a count, per body", body = ReportDataView),
        (status = 401, description = "No account"),
        (status = 403, description = "Neither a service analyst nor a coordinator"),
        (status = 404, description = "No methodology of the year, none of its indicators computed, no register or registry kept, or no such questionnaire"),
        (status = 422, description = "Not a year; an indicator names an unknown count", body = crate::ProblemsView)))]
pub(crate) async fn report_data(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(judging): Query<crate::citizens::JudgingQuery>,
    Query(query): Query<ReportDataQuery>,
) -> ApiResult<Json<ReportDataView>> {
    let actor = actor(&state, &headers).await?;
    let data = bagalau_app::report_data::report_data(
        &state.store,
        state.records.as_ref(),
        &actor,
        judging.year,
        query.questionnaire.as_deref(),
        &judging.judging(&state)?,
        None,
    )
    .await?;
    Ok(Json(ReportDataView {
        year: data.year,
        values: data
            .values
            .into_iter()
            .map(|v| ReportValueView {
                body_id: v.body,
                indicator_id: v.indicator,
                value: v.value,
                note: v.note,
            })
            .collect(),
        left_out: data
            .left_out
            .into_iter()
            .map(|l| LeftOutView {
                body_id: l.body,
                why: l.why,
                values: l.values,
            })
            .collect(),
        notes: data.notes,
        csv: data.csv,
    }))
}
