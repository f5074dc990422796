//! The ratings of service quality through the API (`bagalau_app::ratings`):
//! computed now for service analysts and coordinators, published by a
//! coordinator as immutable versions, the published versions read by
//! anyone.

use crate::{ApiResult, AppState, JsonBody, actor};
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use bagalau_app::FrontEnd;
use bagalau_core::publication::Publication;
use bagalau_services::ratings::{Better, NotRated, Ratings};
use serde::{Deserialize, Serialize};

/// What the ratings are computed from besides the records.
#[derive(Deserialize, utoipa::IntoParams)]
pub struct RatingsQuery {
    /// The satisfaction questionnaire whose kept responses give the survey
    /// components; without it they have no values and their weight goes
    /// to the others.
    pub questionnaire: Option<String>,
}

/// A component of the score.
#[derive(Serialize, utoipa::ToSchema)]
pub struct RatingComponentView {
    /// A pack indicator's id (a share in percent), or `survey:<measure>`.
    pub source: String,
    pub weight: f64,
    /// `higher` or `lower`: which value is better.
    pub better: String,
    pub name_kk: String,
    pub name_ru: String,
    pub name_en: String,
}

/// A group's place in its rating.
#[derive(Serialize, utoipa::ToSchema)]
pub struct RatingEntryView {
    pub value: String,
    /// A provider body's name in the year rated, in the three languages.
    pub name_kk: Option<String>,
    pub name_ru: Option<String>,
    pub name_en: Option<String>,
    pub records: u64,
    /// Each component's value in percent, in the method's order.
    pub values: Vec<Option<f64>>,
    /// 0-100; none when not rated.
    pub score: Option<f64>,
    /// 1 is best; equal scores share a rank.
    pub rank: Option<u32>,
    /// Why not rated: `few_records` (under `minimum_records`) or `no_data`.
    pub not_rated: Option<String>,
    pub minimum_records: Option<u64>,
}

/// The rating of one breakdown: rated groups by rank, then the others.
#[derive(Serialize, utoipa::ToSchema)]
pub struct DimensionRatingView {
    /// `provider`, `sector`, `region`, `office` or `recipient`.
    pub dimension: String,
    pub entries: Vec<RatingEntryView>,
}

/// A year's ratings of service quality.
#[derive(Serialize, utoipa::ToSchema)]
pub struct RatingsView {
    pub year: i32,
    /// The indicator pack whose counts and method they come from.
    pub pack: String,
    /// Built on demonstration data (generated records or the demo's register).
    pub demonstration: bool,
    pub records: u64,
    /// Survey respondents behind the satisfaction components.
    pub respondents: u64,
    /// Groups with fewer records are listed, not ranked.
    pub min_records: u64,
    pub components: Vec<RatingComponentView>,
    pub dimensions: Vec<DimensionRatingView>,
}

impl From<Ratings> for RatingsView {
    fn from(r: Ratings) -> Self {
        RatingsView {
            year: r.year,
            pack: r.pack,
            demonstration: r.demonstration,
            records: r.records,
            respondents: r.respondents,
            min_records: r.method.min_records,
            components: r
                .method
                .components
                .into_iter()
                .map(|c| RatingComponentView {
                    source: c.source,
                    weight: c.weight,
                    better: match c.better {
                        Better::Higher => "higher",
                        Better::Lower => "lower",
                    }
                    .into(),
                    name_kk: c.name.kk,
                    name_ru: c.name.ru,
                    name_en: c.name.en,
                })
                .collect(),
            dimensions: r
                .dimensions
                .into_iter()
                .map(|d| DimensionRatingView {
                    dimension: d.dimension,
                    entries: d
                        .entries
                        .into_iter()
                        .map(|e| {
                            let (not_rated, minimum_records) = match e.not_rated {
                                Some(NotRated::FewRecords { minimum }) => {
                                    (Some("few_records".to_string()), Some(minimum))
                                }
                                Some(NotRated::NoData) => (Some("no_data".to_string()), None),
                                None => (None, None),
                            };
                            let name = e.name;
                            RatingEntryView {
                                value: e.value,
                                name_kk: name.as_ref().map(|n| n.kk.clone()),
                                name_ru: name.as_ref().map(|n| n.ru.clone()),
                                name_en: name.map(|n| n.en),
                                records: e.records,
                                values: e.values,
                                score: e.score,
                                rank: e.rank,
                                not_rated,
                                minimum_records,
                            }
                        })
                        .collect(),
                })
                .collect(),
        }
    }
}

/// The ratings computed now, and what they could not rest on.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ComputedRatingsView {
    pub ratings: RatingsView,
    pub notes: Vec<String>,
}

#[utoipa::path(get, path = "/api/v1/services/ratings/{year}",
    params(("year" = i32, Path, description = "A year of four digits"), RatingsQuery),
    security(("bearer" = [])),
    responses((status = 200, description = "The year's ratings as computed now (unpublished)", body = ComputedRatingsView),
        (status = 401, description = "No account"),
        (status = 403, description = "Neither a service analyst nor a coordinator"),
        (status = 404, description = "No delivery records of the year, no register kept, or no such questionnaire"),
        (status = 422, description = "Not a year of four digits", body = crate::ProblemsView)))]
pub(crate) async fn computed(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(year): Path<i32>,
    Query(query): Query<RatingsQuery>,
) -> ApiResult<Json<ComputedRatingsView>> {
    let actor = actor(&state, &headers).await?;
    let computed = bagalau_app::ratings::compute(
        &state.store,
        state.records.as_ref(),
        &actor,
        year,
        query.questionnaire.as_deref(),
        None,
    )
    .await?;
    Ok(Json(ComputedRatingsView {
        ratings: computed.ratings.into(),
        notes: computed.notes,
    }))
}

/// A publication of the ratings: which questionnaire's responses, and why
/// (needed for a version after the first).
#[derive(Deserialize, utoipa::ToSchema)]
pub struct PublishRatingsRequest {
    pub questionnaire: Option<String>,
    pub reason: Option<String>,
}

/// A published version (who published it is in the audit trail, not here:
/// the public sees the coordinators' decision, not a person's account).
#[derive(Serialize, utoipa::ToSchema)]
pub struct RatingsPublicationView {
    pub year: i32,
    pub version: i32,
    /// SHA-256 of the published JSON: the version's identity.
    pub content_sha256: String,
    pub published_at: String,
    /// Why this version corrects the one before.
    pub reason: Option<String>,
}

impl From<Publication> for RatingsPublicationView {
    fn from(p: Publication) -> Self {
        RatingsPublicationView {
            year: p.year,
            version: p.version,
            content_sha256: p.content_sha256,
            published_at: p.published_at,
            reason: p.reason,
        }
    }
}

/// What a publication did.
#[derive(Serialize, utoipa::ToSchema)]
pub struct RatingsPublishedView {
    pub publication: RatingsPublicationView,
    /// The ratings equal the last version, which stands: nothing written.
    pub unchanged: bool,
    pub ratings: RatingsView,
    pub notes: Vec<String>,
}

#[utoipa::path(post, path = "/api/v1/services/ratings/{year}/publications",
    params(("year" = i32, Path, description = "A year of four digits")),
    request_body = PublishRatingsRequest, security(("bearer" = [])),
    responses((status = 200, description = "Published as a new version, or the last version stands (unchanged)", body = RatingsPublishedView),
        (status = 401, description = "No account"),
        (status = 403, description = "Not a coordinator"),
        (status = 404, description = "No delivery records of the year, no register kept, or no such questionnaire"),
        (status = 422, description = "A version after the first without its reason; not a year", body = crate::ProblemsView)))]
pub(crate) async fn publish(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(year): Path<i32>,
    JsonBody(request): JsonBody<PublishRatingsRequest>,
) -> ApiResult<Json<RatingsPublishedView>> {
    let actor = actor(&state, &headers).await?;
    let done = bagalau_app::ratings::publish(
        &state.store,
        state.records.as_ref(),
        FrontEnd::Api,
        &actor,
        year,
        request.questionnaire.as_deref(),
        request.reason,
        &(state.clock)(),
    )
    .await?;
    Ok(Json(RatingsPublishedView {
        publication: done.publication.into(),
        unchanged: done.unchanged,
        ratings: done.ratings.into(),
        notes: done.notes,
    }))
}

/// Which published version.
#[derive(Deserialize, utoipa::IntoParams)]
pub struct PublishedRatingsQuery {
    /// A version (default: the last).
    pub version: Option<i32>,
}

/// A published version of a year's ratings.
#[derive(Serialize, utoipa::ToSchema)]
pub struct PublishedRatingsView {
    pub publication: RatingsPublicationView,
    pub ratings: RatingsView,
}

#[utoipa::path(get, path = "/api/v1/services/ratings/{year}/publications",
    params(("year" = i32, Path, description = "A year of four digits"), PublishedRatingsQuery),
    responses((status = 200, description = "The version asked for, or the last one", body = PublishedRatingsView),
        (status = 404, description = "Nothing of the year published, or no such version"),
        (status = 422, description = "Not a year of four digits", body = crate::ProblemsView)))]
pub(crate) async fn published(
    State(state): State<AppState>,
    Path(year): Path<i32>,
    Query(query): Query<PublishedRatingsQuery>,
) -> ApiResult<Json<PublishedRatingsView>> {
    let (publication, ratings) =
        bagalau_app::ratings::published(&state.store, year, query.version).await?;
    Ok(Json(PublishedRatingsView {
        publication: publication.into(),
        ratings: ratings.into(),
    }))
}
