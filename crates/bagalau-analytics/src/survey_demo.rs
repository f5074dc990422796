//! Seeded demonstration responses to a satisfaction questionnaire, so the
//! demo's satisfaction figures, ratings and survey values have something
//! to show. Each region gets its own level of satisfaction, drawn once from
//! the seed, so the regions differ as they would in a real survey.

use crate::records::{RECIPIENTS, REGIONS};
use bagalau_services::questionnaire::{Questionnaire, Role};
use bagalau_services::register::Register;
use bagalau_services::responses::{Response, Score, Tool};
use chrono::{Duration, NaiveDate};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::BTreeMap;

/// `n` responses of `year` to the questionnaire's first version (as
/// KoBoToolbox exports them), on services of the register in force on each
/// response's day. Regions, channels and categories are the version's
/// choices (the country's regions and the generator's categories when a
/// question offers none); every measure is answered with one of its scored
/// choices. The same inputs give the same responses.
pub fn demonstration_responses(
    register: &Register,
    questionnaire: &Questionnaire,
    year: i32,
    n: usize,
    seed: u64,
) -> Vec<Response> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x5u64.rotate_left(60));
    let version = &questionnaire.versions[0];
    let choices = |role: Role| -> Vec<String> {
        version
            .question(role)
            .map(|q| q.choices.iter().map(|c| c.name.clone()).collect())
            .unwrap_or_default()
    };
    let mut regions = choices(Role::Region);
    if regions.is_empty() {
        regions = REGIONS.iter().map(|r| r.to_string()).collect();
    }
    let mut channels = choices(Role::Channel);
    if channels.is_empty() {
        channels = vec!["psc".into(), "portal".into(), "body".into()];
    }
    let categories = choices(Role::Category);
    let satisfaction: BTreeMap<&str, f64> = regions
        .iter()
        .map(|r| (r.as_str(), rng.random_range(0.55..0.92)))
        .collect();
    let Some(start) = NaiveDate::from_ymd_opt(year, 1, 1) else {
        return Vec::new();
    };
    let days = if NaiveDate::from_ymd_opt(year, 2, 29).is_some() {
        366
    } else {
        365
    };
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let submitted = start.and_hms_opt(9, 0, 0).expect("a time of day")
            + Duration::days(rng.random_range(0..days))
            + Duration::seconds(rng.random_range(0..9 * 3600));
        let in_force: Vec<String> = register
            .at(submitted.date())
            .into_keys()
            .map(String::from)
            .collect();
        if in_force.is_empty() {
            continue;
        }
        let region = regions[rng.random_range(0..regions.len())].clone();
        let category = if categories.is_empty() {
            let x: f64 = rng.random_range(0.0..1.0);
            let mut acc = 0.0;
            RECIPIENTS
                .iter()
                .find(|(_, share)| {
                    acc += share;
                    x < acc
                })
                .map_or(RECIPIENTS[0].0, |(c, _)| c)
                .to_string()
        } else {
            categories[rng.random_range(0..categories.len())].clone()
        };
        let p = satisfaction[region.as_str()];
        let mut scores = BTreeMap::new();
        for q in version.measures() {
            let (Some(measure), Some(threshold)) = (&q.measure, q.satisfied_at_least) else {
                continue;
            };
            let satisfied = rng.random_bool(p);
            let fitting: Vec<f64> = q
                .choices
                .iter()
                .filter_map(|c| c.score)
                .filter(|s| (*s >= threshold) == satisfied)
                .collect();
            if fitting.is_empty() {
                continue;
            }
            let score = fitting[rng.random_range(0..fitting.len())];
            scores.insert(
                measure.clone(),
                Score {
                    score,
                    satisfied: score >= threshold,
                },
            );
        }
        out.push(Response {
            id: format!("demonstration-{seed}-{year}-{i}"),
            tool: Tool::Kobo,
            version: version.id.clone(),
            submitted,
            rejected: false,
            service: in_force[rng.random_range(0..in_force.len())].clone(),
            region,
            channel: channels[rng.random_range(0..channels.len())].clone(),
            category,
            weight: 1.0,
            scores,
        });
    }
    out
}
