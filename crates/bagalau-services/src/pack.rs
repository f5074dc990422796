//! The indicator pack: the SQL that counts the records, and the indicators
//! as ratios of its counts. Versioned and readable, so it can be reviewed
//! and run elsewhere (DuckDB runs it unchanged in the benchmark).

pub use crate::deliveries::COUNTS;
use crate::deliveries::Counts;
use crate::ratings::Method;
use bagalau_core::Names;
use serde::Deserialize;
use sha2::{Digest, Sha256};

/// The pack shipped with Bagalau.
pub const SERVICES_V1: (&str, &str) = (
    include_str!("../packs/services-v1/pack.toml"),
    include_str!("../packs/services-v1/breakdown.sql"),
);

/// An indicator pack that cannot be used, and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the indicator pack: {0}")]
pub struct PackError(pub String);

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Indicator {
    pub id: String,
    pub name: Names,
    /// A count, or a sum of counts (`on_time + violations`).
    pub numerator: String,
    pub denominator: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Manifest {
    id: String,
    version: u32,
    sql: String,
    indicator: Vec<Indicator>,
    rating: Option<Method>,
}

#[derive(Debug, Clone)]
pub struct IndicatorPack {
    pub id: String,
    pub version: u32,
    pub sql: String,
    pub indicators: Vec<Indicator>,
    /// How the ratings of service quality are made from the indicators.
    pub rating: Option<Method>,
    /// SHA-256 of the manifest and the SQL: what the cached counts were made with.
    pub hash: String,
}

impl IndicatorPack {
    pub fn parse(manifest: &str, sql: &str) -> Result<IndicatorPack, PackError> {
        let m: Manifest = toml::from_str(manifest).map_err(|e| PackError(e.to_string()))?;
        for i in &m.indicator {
            for expr in std::iter::once(&i.numerator).chain(i.denominator.as_ref()) {
                for term in expr.split('+').map(str::trim) {
                    if !COUNTS.contains(&term) {
                        return Err(PackError(format!(
                            "indicator `{}`: `{term}` is not a count (one of {})",
                            i.id,
                            COUNTS.join(", ")
                        )));
                    }
                }
            }
        }
        if let Some(method) = &m.rating {
            method.check().map_err(|e| PackError(e.to_string()))?;
            for c in &method.components {
                if c.survey_measure().is_some() {
                    continue;
                }
                match m.indicator.iter().find(|i| i.id == c.source) {
                    Some(i) if i.denominator.is_some() => {}
                    Some(_) => {
                        return Err(PackError(format!(
                            "rating component `{}`: the indicator is a count, not a share",
                            c.source
                        )));
                    }
                    None => {
                        return Err(PackError(format!(
                            "rating component `{}`: no such indicator (a share of the pack, or survey:<measure>)",
                            c.source
                        )));
                    }
                }
            }
        }
        if !sql.contains("$year") || !sql.contains("$months") {
            return Err(PackError(format!(
                "{}: the SQL must filter on $year and $months",
                m.sql
            )));
        }
        let mut h = Sha256::new();
        h.update(manifest.as_bytes());
        h.update(sql.as_bytes());
        Ok(IndicatorPack {
            id: m.id,
            version: m.version,
            sql: sql.to_string(),
            indicators: m.indicator,
            rating: m.rating,
            hash: hex::encode(h.finalize()),
        })
    }

    pub fn services_v1() -> IndicatorPack {
        IndicatorPack::parse(SERVICES_V1.0, SERVICES_V1.1).expect("the shipped pack is valid")
    }

    /// The SQL for a year's months, ready to run.
    pub fn query(&self, year: i32, months: &[u32]) -> String {
        let months: Vec<String> = months.iter().map(u32::to_string).collect();
        self.sql
            .replace("$year", &year.to_string())
            .replace("$months", &months.join(", "))
    }
}

impl Indicator {
    /// Its value over `counts`: a share in percent (none when its
    /// denominator is zero), or the count itself.
    pub fn value(&self, counts: &Counts) -> Option<f64> {
        let numerator = evaluate(&self.numerator, counts) as f64;
        match &self.denominator {
            Some(d) => {
                let denominator = evaluate(d, counts) as f64;
                (denominator > 0.0).then(|| 100.0 * numerator / denominator)
            }
            None => Some(numerator),
        }
    }
}

/// The value of a count expression (`on_time + violations`) over counts.
pub fn evaluate(expr: &str, counts: &Counts) -> u64 {
    expr.split('+')
        .map(str::trim)
        .map(|term| counts.get(term))
        .sum()
}
