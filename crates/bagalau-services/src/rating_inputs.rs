//! From a year's counts and survey responses to the ratings' inputs: each
//! group of every rated breakdown with its records and the value of each of
//! the pack's rating components ([`crate::ratings`] ranks them).

use crate::deliveries::Breakdown;
use crate::pack::IndicatorPack;
use crate::ratings::{DIMENSIONS, DimensionRating, Group, Method, RatingError, Ratings, rate};
use crate::register::Register;
use crate::responses::{Response, estimates};
use chrono::Datelike;
use std::collections::BTreeMap;

/// Survey shares satisfied by (dimension, group) for one measure, in
/// percent, only where a figure is not suppressed; and the respondents.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SurveyShares {
    pub shares: BTreeMap<(String, String), f64>,
    pub respondents: u64,
}

/// The groups a response counts in, for each rated breakdown the survey
/// knows: the bodies that delivered its service (local akimats by its
/// region), the service's sector in the register on the day, its region
/// and the recipient's category. Offices are not asked in the survey.
fn response_groups(r: &Response, register: &Register) -> Vec<(&'static str, String)> {
    let date = r.submitted.date();
    let mut out: Vec<(&'static str, String)> = register
        .versions()
        .iter()
        .filter(|s| s.id == r.service && s.in_force(date))
        .map(|s| ("sector", s.sector.clone()))
        .collect();
    out.extend(
        crate::report::survey_bodies(r, register)
            .into_iter()
            .map(|body| ("provider", body)),
    );
    out.push(("region", r.region.clone()));
    out.push(("recipient", r.category.clone()));
    out.sort();
    out.dedup();
    out
}

/// The weighted share satisfied with `measure` of the year's responses, by
/// every rated breakdown, with the survey's suppression under
/// `min_respondents`.
pub fn survey_shares(
    responses: &[Response],
    register: &Register,
    year: i32,
    measure: &str,
    min_respondents: usize,
) -> Result<SurveyShares, RatingError> {
    let of_year: Vec<&Response> = responses
        .iter()
        .filter(|r| r.submitted.date().year() == year && !r.rejected)
        .filter(|r| r.scores.contains_key(measure))
        .collect();
    let mut by_group: BTreeMap<(&'static str, String), Vec<Response>> = BTreeMap::new();
    for r in &of_year {
        for g in response_groups(r, register) {
            by_group.entry(g).or_default().push((*r).clone());
        }
    }
    let mut shares = BTreeMap::new();
    for ((dimension, value), answers) in by_group {
        let figures = estimates(&answers, measure, |_| String::new(), min_respondents)
            .map_err(|e| RatingError::Method(e.to_string()))?;
        if let Some(f) = figures.first().and_then(|g| g.satisfied.figure()) {
            shares.insert((dimension.to_string(), value), 100.0 * f.value);
        }
    }
    Ok(SurveyShares {
        shares,
        respondents: of_year.len() as u64,
    })
}

/// Each rated group of the year with its component values.
pub fn groups(
    pack: &IndicatorPack,
    method: &Method,
    breakdown: &Breakdown,
    survey: &BTreeMap<String, SurveyShares>,
) -> Result<Vec<Group>, RatingError> {
    let mut out = Vec::new();
    for dimension in DIMENSIONS {
        for (value, counts) in breakdown.year(dimension) {
            // Records of services outside the register have no sector.
            let Some(value) = value else { continue };
            let mut values = Vec::with_capacity(method.components.len());
            for c in &method.components {
                let v = match c.survey_measure() {
                    Some(measure) => survey
                        .get(measure)
                        .and_then(|s| s.shares.get(&(dimension.to_string(), value.clone())))
                        .copied(),
                    None => {
                        let indicator = pack
                            .indicators
                            .iter()
                            .find(|i| i.id == c.source)
                            .ok_or_else(|| {
                                RatingError::Method(format!("no indicator `{}`", c.source))
                            })?;
                        // Components are shares (the pack's check): a count has none.
                        indicator.denominator.as_ref().and(indicator.value(&counts))
                    }
                };
                values.push(v);
            }
            out.push(Group {
                dimension: dimension.to_string(),
                value,
                records: counts.get("records"),
                values,
            });
        }
    }
    Ok(out)
}

/// The year's ratings by the pack's method; the satisfaction components
/// take their shares from `survey` (by measure), when given.
pub fn ratings(
    pack: &IndicatorPack,
    year: i32,
    breakdown: &Breakdown,
    survey: &BTreeMap<String, SurveyShares>,
    demonstration: bool,
) -> Result<Ratings, RatingError> {
    let method = pack.rating.clone().ok_or_else(|| {
        RatingError::Method(format!(
            "the pack {} v{} has no [rating] method",
            pack.id, pack.version
        ))
    })?;
    let groups = groups(pack, &method, breakdown, survey)?;
    let dimensions: Vec<DimensionRating> =
        rate(&method, groups).map_err(|e| RatingError::Method(e.to_string()))?;
    Ok(Ratings {
        year,
        pack: format!("{} v{}", pack.id, pack.version),
        demonstration,
        records: breakdown.total().get("records"),
        respondents: survey.values().map(|s| s.respondents).max().unwrap_or(0),
        method,
        dimensions,
    })
}
