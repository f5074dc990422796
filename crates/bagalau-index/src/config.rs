//! The pipeline configuration (`pipeline.toml`). Every section is optional:
//! a step runs when its section is present, except normalisation (default
//! min-max to 0-100) and aggregation (default weighted arithmetic mean),
//! which always run. `docs/composite-index.md` documents every field.

use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{file}: {message}")]
pub struct ConfigError {
    pub file: String,
    pub message: String,
}

/// A validated pipeline.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Pipeline {
    /// For panel data: the time point to build (default: the latest).
    pub time: Option<i64>,
    pub denominate: bool,
    /// Keep units whose share of available indicators is at least this.
    pub screen: Option<f64>,
    pub impute: Option<Impute>,
    pub outliers: Option<Outliers>,
    pub normalise: Normalise,
    pub aggregate: Aggregate,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Impute {
    Mean,
    Median,
    GroupMean(String),
    GroupMedian(String),
    /// Panels: the unit's latest earlier value.
    Latest,
    /// Panels: linear interpolation between the unit's nearest earlier and later values.
    Interpolate,
    Constant(f64),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Outliers {
    pub skew: f64,
    pub kurtosis: f64,
    pub winmax: usize,
    pub log_fallback: bool,
}

impl Default for Outliers {
    fn default() -> Self {
        Self {
            skew: 2.0,
            kurtosis: 3.5,
            winmax: 5,
            log_fallback: true,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Method {
    MinMax { lower: f64, upper: f64 },
    ZScore { mean: f64, sd: f64 },
    Rank,
    PercentileRank,
    Borda,
    DistanceToMax,
    DistanceToReference { unit: String, cap: bool },
    DistanceToTarget { cap: bool },
    FractionOfMax,
    Goalposts { lower: f64, upper: f64, scale: f64 },
    None,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Normalise {
    pub default: Method,
    pub indicators: BTreeMap<String, Method>,
}

impl Default for Normalise {
    fn default() -> Self {
        Self {
            default: Method::MinMax {
                lower: 0.0,
                upper: 100.0,
            },
            indicators: BTreeMap::new(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Aggregator {
    Arithmetic,
    Geometric,
    Harmonic,
    Generalised(f64),
    Copeland,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Aggregate {
    pub default: Aggregator,
    pub levels: BTreeMap<u32, Aggregator>,
    /// An aggregate is missing when fewer than this share of its children have values.
    pub availability: f64,
}

impl Default for Aggregate {
    fn default() -> Self {
        Self {
            default: Aggregator::Arithmetic,
            levels: BTreeMap::new(),
            availability: 0.0,
        }
    }
}

impl Aggregate {
    pub fn at_level(&self, level: u32) -> Aggregator {
        self.levels.get(&level).copied().unwrap_or(self.default)
    }
}

// ------------------------------------------------------------ raw TOML

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawPipeline {
    time: Option<i64>,
    denominate: Option<RawToggle>,
    screen: Option<RawScreen>,
    impute: Option<RawImpute>,
    outliers: Option<RawOutliers>,
    normalise: Option<RawNormalise>,
    aggregate: Option<RawAggregate>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawToggle {
    #[serde(default = "yes")]
    enabled: bool,
}

fn yes() -> bool {
    true
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawScreen {
    threshold: f64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawImpute {
    method: String,
    group: Option<String>,
    value: Option<f64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOutliers {
    skew: Option<f64>,
    kurtosis: Option<f64>,
    winmax: Option<usize>,
    log_fallback: Option<bool>,
}

#[derive(Deserialize, Default, Clone)]
#[serde(deny_unknown_fields)]
struct RawMethod {
    method: Option<String>,
    lower: Option<f64>,
    upper: Option<f64>,
    mean: Option<f64>,
    sd: Option<f64>,
    unit: Option<String>,
    cap: Option<bool>,
    scale: Option<f64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawNormalise {
    method: Option<String>,
    lower: Option<f64>,
    upper: Option<f64>,
    mean: Option<f64>,
    sd: Option<f64>,
    unit: Option<String>,
    cap: Option<bool>,
    scale: Option<f64>,
    #[serde(default)]
    indicators: BTreeMap<String, RawMethod>,
}

impl RawNormalise {
    fn default_method(&self) -> RawMethod {
        RawMethod {
            method: self.method.clone(),
            lower: self.lower,
            upper: self.upper,
            mean: self.mean,
            sd: self.sd,
            unit: self.unit.clone(),
            cap: self.cap,
            scale: self.scale,
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAggregator {
    method: String,
    p: Option<f64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAggregate {
    method: Option<String>,
    p: Option<f64>,
    availability: Option<f64>,
    #[serde(default)]
    levels: BTreeMap<String, RawAggregator>,
}

const NORMALISERS: &str = "minmax, zscore, rank, percentile_rank, borda, distance_to_max, distance_to_reference, distance_to_target, fraction_of_max, goalposts, none";
const AGGREGATORS: &str = "arithmetic, geometric, harmonic, generalised, copeland";

fn method(where_: &str, m: &RawMethod) -> Result<Method, String> {
    let name = m.method.as_deref().unwrap_or("minmax");
    let allowed: &[&str] = match name {
        "minmax" => &["lower", "upper"],
        "zscore" => &["mean", "sd"],
        "distance_to_reference" => &["unit", "cap"],
        "distance_to_target" => &["cap"],
        "goalposts" => &["lower", "upper", "scale"],
        "rank" | "percentile_rank" | "borda" | "distance_to_max" | "fraction_of_max" | "none" => {
            &[]
        }
        other => {
            return Err(format!(
                "{where_}: unknown method `{other}` (known: {NORMALISERS})"
            ));
        }
    };
    let given = [
        ("lower", m.lower.is_some()),
        ("upper", m.upper.is_some()),
        ("mean", m.mean.is_some()),
        ("sd", m.sd.is_some()),
        ("unit", m.unit.is_some()),
        ("cap", m.cap.is_some()),
        ("scale", m.scale.is_some()),
    ];
    for (field, set) in given {
        if set && !allowed.contains(&field) {
            return Err(format!(
                "{where_}: `{field}` is not a parameter of `{name}`"
            ));
        }
    }
    Ok(match name {
        "minmax" => {
            let (lower, upper) = (m.lower.unwrap_or(0.0), m.upper.unwrap_or(100.0));
            if lower >= upper {
                return Err(format!("{where_}: minmax needs lower < upper"));
            }
            Method::MinMax { lower, upper }
        }
        "zscore" => {
            let sd = m.sd.unwrap_or(1.0);
            if sd <= 0.0 {
                return Err(format!("{where_}: zscore needs sd > 0"));
            }
            Method::ZScore {
                mean: m.mean.unwrap_or(0.0),
                sd,
            }
        }
        "rank" => Method::Rank,
        "percentile_rank" => Method::PercentileRank,
        "borda" => Method::Borda,
        "distance_to_max" => Method::DistanceToMax,
        "distance_to_reference" => Method::DistanceToReference {
            unit: m
                .unit
                .clone()
                .ok_or_else(|| format!("{where_}: distance_to_reference needs `unit` (a uCode)"))?,
            cap: m.cap.unwrap_or(false),
        },
        "distance_to_target" => Method::DistanceToTarget {
            cap: m.cap.unwrap_or(false),
        },
        "fraction_of_max" => Method::FractionOfMax,
        "goalposts" => {
            let (Some(lower), Some(upper)) = (m.lower, m.upper) else {
                return Err(format!("{where_}: goalposts needs `lower` and `upper`"));
            };
            if lower >= upper {
                return Err(format!("{where_}: goalposts needs lower < upper"));
            }
            Method::Goalposts {
                lower,
                upper,
                scale: m.scale.unwrap_or(100.0),
            }
        }
        _ => Method::None,
    })
}

fn aggregator(where_: &str, name: &str, p: Option<f64>) -> Result<Aggregator, String> {
    if p.is_some() && name != "generalised" {
        return Err(format!(
            "{where_}: `p` is a parameter of `generalised` only"
        ));
    }
    Ok(match name {
        "arithmetic" => Aggregator::Arithmetic,
        "geometric" => Aggregator::Geometric,
        "harmonic" => Aggregator::Harmonic,
        "copeland" => Aggregator::Copeland,
        "generalised" => match p {
            Some(p) if p != 0.0 && p.is_finite() => Aggregator::Generalised(p),
            Some(_) => {
                return Err(format!(
                    "{where_}: generalised needs p ≠ 0 (p = 0 is the geometric mean)"
                ));
            }
            None => return Err(format!("{where_}: generalised needs `p`")),
        },
        other => {
            return Err(format!(
                "{where_}: unknown method `{other}` (known: {AGGREGATORS})"
            ));
        }
    })
}

/// The dotted key of the first float in the table that is NaN or infinite.
fn non_finite(table: &toml::Table, prefix: &str) -> Option<String> {
    fn walk(value: &toml::Value, key: String) -> Option<String> {
        match value {
            toml::Value::Float(f) if !f.is_finite() => Some(key),
            toml::Value::Table(t) => non_finite(t, &key),
            toml::Value::Array(items) => items
                .iter()
                .enumerate()
                .find_map(|(i, v)| walk(v, format!("{key}[{i}]"))),
            _ => None,
        }
    }
    table.iter().find_map(|(k, v)| {
        let key = if prefix.is_empty() {
            k.clone()
        } else {
            format!("{prefix}.{k}")
        };
        walk(v, key)
    })
}

impl Pipeline {
    /// Parses and validates a pipeline file. `file` names it in errors.
    pub fn parse(file: &str, text: &str) -> Result<Pipeline, ConfigError> {
        let error = |message: String| ConfigError {
            file: file.to_string(),
            message,
        };
        let raw: RawPipeline =
            toml::from_str(text).map_err(|e| error(e.to_string().trim().to_string()))?;
        // TOML allows nan and inf, which no parameter can be.
        let table: toml::Table = text
            .parse()
            .map_err(|e: toml::de::Error| error(e.to_string().trim().to_string()))?;
        if let Some(key) = non_finite(&table, "") {
            return Err(error(format!(
                "`{key}`: not a number (nan and inf are not parameters)"
            )));
        }
        let mut p = Pipeline {
            time: raw.time,
            denominate: raw.denominate.is_some_and(|d| d.enabled),
            ..Default::default()
        };
        if let Some(s) = raw.screen {
            if !(0.0..=1.0).contains(&s.threshold) {
                return Err(error(
                    "screen.threshold must be a share between 0 and 1".into(),
                ));
            }
            p.screen = Some(s.threshold);
        }
        if let Some(i) = raw.impute {
            let need_group = |g: Option<String>| {
                g.ok_or_else(|| {
                    error(format!(
                        "impute: `{}` needs `group` (a group column)",
                        i.method
                    ))
                })
            };
            p.impute = Some(match i.method.as_str() {
                "mean" => Impute::Mean,
                "median" => Impute::Median,
                "group_mean" => Impute::GroupMean(need_group(i.group.clone())?),
                "group_median" => Impute::GroupMedian(need_group(i.group.clone())?),
                "latest" => Impute::Latest,
                "interpolate" => Impute::Interpolate,
                "constant" => Impute::Constant(
                    i.value
                        .ok_or_else(|| error("impute: `constant` needs `value`".into()))?,
                ),
                other => {
                    return Err(error(format!(
                        "impute: unknown method `{other}` (known: mean, median, group_mean, group_median, latest, interpolate, constant)"
                    )));
                }
            });
        }
        if let Some(o) = raw.outliers {
            let d = Outliers::default();
            p.outliers = Some(Outliers {
                skew: o.skew.unwrap_or(d.skew),
                kurtosis: o.kurtosis.unwrap_or(d.kurtosis),
                winmax: o.winmax.unwrap_or(d.winmax),
                log_fallback: o.log_fallback.unwrap_or(d.log_fallback),
            });
        }
        if let Some(n) = raw.normalise {
            p.normalise.default = method("normalise", &n.default_method()).map_err(error)?;
            for (code, m) in &n.indicators {
                let m = method(&format!("normalise.indicators.{code}"), m).map_err(error)?;
                p.normalise.indicators.insert(code.clone(), m);
            }
        }
        if let Some(a) = raw.aggregate {
            if let Some(name) = &a.method {
                p.aggregate.default = aggregator("aggregate", name, a.p).map_err(error)?;
            } else if a.p.is_some() {
                return Err(error(
                    "aggregate: `p` needs method = \"generalised\"".into(),
                ));
            }
            let availability = a.availability.unwrap_or(0.0);
            if !(0.0..=1.0).contains(&availability) {
                return Err(error(
                    "aggregate.availability must be a share between 0 and 1".into(),
                ));
            }
            p.aggregate.availability = availability;
            for (level, m) in &a.levels {
                let where_ = format!("aggregate.levels.{level}");
                let l: u32 =
                    level.parse().ok().filter(|l| *l >= 2).ok_or_else(|| {
                        error(format!("{where_}: a level is a whole number from 2"))
                    })?;
                p.aggregate
                    .levels
                    .insert(l, aggregator(&where_, &m.method, m.p).map_err(error)?);
            }
        }
        Ok(p)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_file_is_the_default_pipeline() {
        let p = Pipeline::parse("p.toml", "").unwrap();
        assert_eq!(p, Pipeline::default());
        assert_eq!(
            p.normalise.default,
            Method::MinMax {
                lower: 0.0,
                upper: 100.0
            }
        );
    }

    #[test]
    fn errors_name_the_field() {
        let e = |t: &str| Pipeline::parse("p.toml", t).unwrap_err().to_string();
        assert_eq!(
            e("[normalise]\nmethod = \"minmax\"\nsd = 2\n"),
            "p.toml: normalise: `sd` is not a parameter of `minmax`"
        );
        assert_eq!(
            e("[impute]\nmethod = \"group_mean\"\n"),
            "p.toml: impute: `group_mean` needs `group` (a group column)"
        );
        assert_eq!(
            e("[aggregate]\nmethod = \"generalised\"\n"),
            "p.toml: aggregate: generalised needs `p`"
        );
        assert_eq!(
            e("[aggregate.levels.x]\nmethod = \"geometric\"\n"),
            "p.toml: aggregate.levels.x: a level is a whole number from 2"
        );
        assert_eq!(
            e("[normalise.indicators.LPI]\nmethod = \"cube\"\n")
                .split(" (known")
                .next()
                .unwrap(),
            "p.toml: normalise.indicators.LPI: unknown method `cube`"
        );
        assert!(
            e("[screen]\nthreshold = 1.5\n")
                .contains("screen.threshold must be a share between 0 and 1")
        );
        assert!(e("[outliers]\nwinmax = \"five\"\n").contains("winmax"));
    }
}
