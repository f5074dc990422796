//! The ratings of service quality: computed from a year's delivery records
//! (through the [`DeliveryRecords`] port) and, for the survey components,
//! the satisfaction responses kept; read before publication by service
//! analysts and coordinators; published by a coordinator as immutable
//! versions (a version after the first with its reason); the published
//! versions read by anyone.

use crate::indicators::IndicatorsRequest;
use crate::permission::{Action, authorize};
use crate::services::four_digit_year;
use crate::{Actor, AppError, AppResult, FrontEnd};
use bagalau_core::publication::Publication;
use bagalau_services::deliveries::DeliveryRecords;
use bagalau_services::pack::IndicatorPack;
use bagalau_services::rating_inputs::{SurveyShares, ratings, survey_shares};
use bagalau_services::ratings::Ratings;
use bagalau_services::register::Register;
use bagalau_store::{AnyStore, Store};
use std::collections::BTreeMap;

/// The ratings computed now, with what they could not rest on.
#[derive(Debug, Clone, PartialEq)]
pub struct ComputedRatings {
    pub ratings: Ratings,
    /// In words: survey components without values, a calendar that does
    /// not know the next year, the respondents behind each measure.
    pub notes: Vec<String>,
}

/// The year's ratings by the shipped pack's method, computed now from the
/// records and (with `questionnaire`) the survey responses kept; providers
/// named as in the registry that year. `register` replaces the kept one
/// for a what-if.
pub async fn compute(
    store: &AnyStore,
    records: &dyn DeliveryRecords,
    actor: &Actor,
    year: i32,
    questionnaire: Option<&str>,
    register: Option<Register>,
) -> AppResult<ComputedRatings> {
    authorize(actor, Action::ReadServiceFigures)?;
    four_digit_year(year)?;
    let (register, demonstration_register) = match register {
        Some(r) => (r, false),
        None => (
            crate::services::register(store).await?,
            store
                .service_register_import()
                .await?
                .is_some_and(|s| s.is_demonstration()),
        ),
    };
    let calendar = crate::services::calendar(store).await?;
    let request = IndicatorsRequest::year(year, "provider");
    let (counted, mut notes) =
        crate::indicators::count(records, &calendar, &register, &request).await?;
    let counted = counted.ok_or_else(|| {
        AppError::NotFound(format!(
            "no delivery records of {year}: import them first (`bagalau services import FILE`)"
        ))
    })?;
    let pack = IndicatorPack::services_v1();
    let method = pack
        .rating
        .as_ref()
        .ok_or_else(|| AppError::Internal("the services pack has no rating method".into()))?;
    let measures: Vec<&str> = method
        .components
        .iter()
        .filter_map(|c| c.survey_measure())
        .collect();
    let mut survey: BTreeMap<String, SurveyShares> = BTreeMap::new();
    match questionnaire {
        Some(id) => {
            let q = crate::surveys::questionnaire(store, id).await?;
            let responses = crate::surveys::responses(store, actor, &q).await?;
            for measure in measures {
                let shares = survey_shares(&responses, &register, year, measure, q.min_respondents)
                    .map_err(|e| AppError::Internal(e.to_string()))?;
                notes.push(format!(
                    "{year}: {} respondents answered `{measure}`; no share rests on fewer than {}",
                    shares.respondents, q.min_respondents
                ));
                survey.insert(measure.to_string(), shares);
            }
        }
        None if !measures.is_empty() => notes.push(format!(
            "no questionnaire named: the survey components ({}) have no values; their weight goes to the others",
            measures.join(", ")
        )),
        None => {}
    }
    let mut out = ratings(
        &pack,
        year,
        &counted.breakdown,
        &survey,
        demonstration_register || counted.demonstration,
    )
    .map_err(|e| AppError::Internal(e.to_string()))?;
    if let Some(registry) = store.registry().await? {
        for d in out
            .dimensions
            .iter_mut()
            .filter(|d| d.dimension == "provider")
        {
            for e in &mut d.entries {
                e.name = registry.name_in_year(&e.value, year).cloned();
            }
        }
    }
    Ok(ComputedRatings {
        ratings: out,
        notes,
    })
}

/// What a publication of the ratings did.
#[derive(Debug, Clone, PartialEq)]
pub struct RatingsPublished {
    pub publication: Publication,
    /// The ratings equal the last version, which stands: nothing written.
    pub unchanged: bool,
    pub ratings: Ratings,
    pub notes: Vec<String>,
}

/// Publishes the year's ratings as computed now: a new immutable version,
/// unless they equal the last one; a version after the first corrects the
/// published one and needs its reason.
#[allow(clippy::too_many_arguments)]
pub async fn publish(
    store: &AnyStore,
    records: &dyn DeliveryRecords,
    front: FrontEnd,
    actor: &Actor,
    year: i32,
    questionnaire: Option<&str>,
    reason: Option<String>,
    now: &str,
) -> AppResult<RatingsPublished> {
    authorize(actor, Action::PublishRatings)?;
    let reason = reason.filter(|r| !r.trim().is_empty());
    let versions = store.service_ratings(Some(year)).await?;
    let computed = compute(store, records, actor, year, questionnaire, None).await?;
    let content = computed.ratings.to_json();
    let sha256 = bagalau_core::hash::sha256_hex(content.as_bytes());
    if let Some(last) = versions.last()
        && last.content_sha256 == sha256
    {
        return Ok(RatingsPublished {
            publication: last.clone(),
            unchanged: true,
            ratings: computed.ratings,
            notes: computed.notes,
        });
    }
    let version = versions.last().map_or(1, |p| p.version + 1);
    if version > 1 && reason.is_none() {
        return Err(AppError::Invalid(vec![crate::Problem::of(
            "reason",
            format!(
                "the ratings of {year} are published already (version {}): a new version corrects it and needs its reason",
                version - 1
            ),
        )]));
    }
    let mut batch = crate::batch(front, actor, now, reason.clone());
    let publication = Publication {
        year,
        version,
        content_sha256: sha256,
        published_at: now.to_string(),
        published_by: batch.actor.clone(),
        reason,
    };
    batch.service_ratings = vec![(publication.clone(), content)];
    store.apply(batch).await?;
    Ok(RatingsPublished {
        publication,
        unchanged: false,
        ratings: computed.ratings,
        notes: computed.notes,
    })
}

/// A published version of a year's ratings (the last when `version` is
/// none): public.
pub async fn published(
    store: &AnyStore,
    year: i32,
    version: Option<i32>,
) -> AppResult<(Publication, Ratings)> {
    four_digit_year(year)?;
    let versions = store.service_ratings(Some(year)).await?;
    let chosen = match version {
        Some(v) => versions.into_iter().find(|p| p.version == v),
        None => versions.into_iter().last(),
    };
    let Some(publication) = chosen else {
        return Err(AppError::NotFound(match version {
            Some(v) => format!("no version {v} of the ratings of {year} is published"),
            None => format!("no ratings of {year} are published"),
        }));
    };
    let text = store
        .service_ratings_content(year, publication.version)
        .await?
        .ok_or_else(|| {
            AppError::Internal(format!(
                "version {} of the ratings of {year} has no content",
                publication.version
            ))
        })?;
    let ratings = Ratings::from_json(&text).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok((publication, ratings))
}
