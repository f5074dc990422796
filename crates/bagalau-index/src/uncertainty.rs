//! Uncertainty and sensitivity of the ranking (OECD/JRC Handbook, section 7).
//!
//! Monte Carlo: each replication draws the uncertain assumptions (noise on
//! the weights of chosen levels, an alternative normalisation, aggregation,
//! outlier `winmax`), rebuilds the index and ranks the units. Variance-based
//! sensitivity: Saltelli's sampling design with Jansen's estimators of the
//! first-order and total-order indices of the mean absolute rank shift, with
//! bootstrap confidence intervals.
//!
//! Everything is seeded: replication `r` draws from its own stream of the
//! seed, so results do not depend on the number of threads.

use crate::config::{self, Aggregator, Method, Pipeline};
use crate::pipeline::{self, BuildError};
use crate::stats;
use crate::table::{Data, Framework};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum UncertaintyError {
    #[error(transparent)]
    Config(#[from] config::ConfigError),
    #[error("{0}")]
    Build(#[from] BuildError),
}

/// The uncertainty analysis to run (from `uncertainty.toml`).
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub replications: usize,
    pub seed: u64,
    /// Level → noise factor: w' = w · (1 + U(−1, 1) · factor) for every node of that level.
    pub weight_noise: BTreeMap<u32, f64>,
    pub normalisations: Vec<Method>,
    pub aggregations: Vec<Aggregator>,
    pub winmax: Vec<usize>,
    /// Report the share of replications in which a unit's rank moves by more than this.
    pub rank_shift: u32,
    /// Saltelli base sample size N (0 = no sensitivity analysis).
    pub sensitivity_samples: usize,
    pub bootstrap: usize,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPlan {
    replications: Option<usize>,
    seed: Option<u64>,
    rank_shift: Option<u32>,
    #[serde(default)]
    weights: BTreeMap<String, f64>,
    #[serde(default)]
    normalise: Vec<toml::Table>,
    #[serde(default)]
    aggregate: Vec<toml::Table>,
    #[serde(default)]
    winmax: Vec<usize>,
    sensitivity: Option<RawSensitivity>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSensitivity {
    samples: usize,
    bootstrap: Option<usize>,
}

impl Plan {
    pub fn parse(file: &str, text: &str) -> Result<Plan, config::ConfigError> {
        let error = |message: String| config::ConfigError {
            file: file.to_string(),
            message,
        };
        let raw: RawPlan =
            toml::from_str(text).map_err(|e| error(e.to_string().trim().to_string()))?;
        let mut weight_noise = BTreeMap::new();
        for (level, factor) in &raw.weights {
            let l: u32 = level.parse().ok().filter(|l| *l >= 1).ok_or_else(|| {
                error(format!("weights.{level}: a level is a whole number from 1"))
            })?;
            if !(0.0..=1.0).contains(factor) {
                return Err(error(format!(
                    "weights.{level}: the noise factor must be between 0 and 1"
                )));
            }
            weight_noise.insert(l, *factor);
        }
        // Alternatives reuse the pipeline file's syntax: [[normalise]] and [[aggregate]] tables.
        let mut normalisations = Vec::new();
        for (i, t) in raw.normalise.iter().enumerate() {
            let text = toml::to_string(&toml::Table::from_iter([(
                "normalise".to_string(),
                toml::Value::Table(t.clone()),
            )]))
            .expect("serialises");
            let p = Pipeline::parse(&format!("{file} (normalise alternative {})", i + 1), &text)?;
            normalisations.push(p.normalise.default);
        }
        let mut aggregations = Vec::new();
        for (i, t) in raw.aggregate.iter().enumerate() {
            let text = toml::to_string(&toml::Table::from_iter([(
                "aggregate".to_string(),
                toml::Value::Table(t.clone()),
            )]))
            .expect("serialises");
            let p = Pipeline::parse(&format!("{file} (aggregate alternative {})", i + 1), &text)?;
            aggregations.push(p.aggregate.default);
        }
        let replications = raw.replications.unwrap_or(1000);
        if replications == 0 {
            return Err(error("replications must be at least 1".into()));
        }
        Ok(Plan {
            replications,
            seed: raw.seed.unwrap_or(1),
            weight_noise,
            normalisations,
            aggregations,
            winmax: raw.winmax,
            rank_shift: raw.rank_shift.unwrap_or(5),
            sensitivity_samples: raw.sensitivity.as_ref().map_or(0, |s| s.samples),
            bootstrap: raw
                .sensitivity
                .as_ref()
                .and_then(|s| s.bootstrap)
                .unwrap_or(500),
        })
    }
}

/// Per-unit summary of the Monte Carlo ranks.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitRanks {
    pub code: String,
    pub name: String,
    pub nominal: u32,
    pub median: f64,
    pub mean: f64,
    pub p05: f64,
    pub p95: f64,
    /// Share of replications with |rank − nominal| > rank_shift.
    pub shifted: f64,
}

/// First-order and total-order sensitivity indices of one uncertain input,
/// with 95% bootstrap intervals.
#[derive(Debug, Clone, PartialEq)]
pub struct Sensitivity {
    pub input: String,
    pub first_order: f64,
    pub first_order_ci: (f64, f64),
    pub total_order: f64,
    pub total_order_ci: (f64, f64),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Analysis {
    pub replications: usize,
    pub units: Vec<UnitRanks>,
    /// The uncertain inputs, in the order used by the sensitivity analysis.
    pub inputs: Vec<String>,
    pub sensitivity: Vec<Sensitivity>,
    /// Model runs made (Monte Carlo plus sensitivity).
    pub runs: usize,
}

/// The precomputed model: normalised indicators for every (winmax,
/// normalisation) alternative, and the tree to aggregate them.
struct Model {
    /// `variants[v][indicator][unit]`.
    variants: Vec<Vec<Vec<Option<f64>>>>,
    n_winmax: usize,
    /// Aggregates in level order, each with its children as (column, node) indices;
    /// columns and nodes share one order: indicators, then aggregates.
    aggregates: Vec<Vec<(usize, usize)>>,
    /// Base weights of every node: indicators first, then aggregates.
    weights: Vec<f64>,
    levels: Vec<u32>,
    units: usize,
    availability: f64,
    aggregations: Vec<Aggregator>,
}

/// The uncertain inputs: each maps a uniform u ∈ [0, 1) to an assumption.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Input {
    /// Noise on the weights of one level; u picks one of the pre-drawn noise sets.
    Weights(u32),
    Normalisation,
    Aggregation,
    Winmax,
}

const NOISE_SETS: usize = 100;

fn pick(u: f64, n: usize) -> usize {
    ((u * n as f64) as usize).min(n - 1)
}

impl Model {
    fn scores(
        &self,
        variant: usize,
        weights: &[f64],
        aggregation: Aggregator,
        out: &mut Vec<Vec<Option<f64>>>,
    ) -> Result<(), BuildError> {
        out.clear();
        out.extend(self.variants[variant].iter().cloned());
        let codes: Vec<&str> = vec![""; self.units];
        for children in &self.aggregates {
            let cols: Vec<(usize, f64)> = children
                .iter()
                .map(|&(c, node)| (c, weights[node]))
                .collect();
            let level_result =
                pipeline::aggregate(aggregation, out, &cols, self.availability, &codes, "")?;
            out.push(level_result);
        }
        Ok(())
    }

    /// Ranks of the units on the index for one set of assumptions.
    fn ranks(
        &self,
        variant: usize,
        weights: &[f64],
        aggregation: Aggregator,
        scratch: &mut Vec<Vec<Option<f64>>>,
    ) -> Result<Vec<Option<u32>>, BuildError> {
        self.scores(variant, weights, aggregation, scratch)?;
        Ok(stats::ranks_descending(
            scratch.last().expect("an index column"),
        ))
    }
}

fn noisy(
    base: &[f64],
    levels: &[u32],
    noise: &BTreeMap<u32, f64>,
    only: Option<u32>,
    rng: &mut ChaCha8Rng,
) -> Vec<f64> {
    base.iter()
        .zip(levels)
        .map(|(w, l)| match noise.get(l) {
            Some(f) if only.is_none_or(|o| o == *l) => w * (1.0 + rng.random_range(-1.0..1.0) * f),
            _ => *w,
        })
        .collect()
}

fn quantile(sorted: &[f64], p: f64) -> f64 {
    // Linear interpolation between order statistics (R's type 7).
    let h = (sorted.len() - 1) as f64 * p;
    let (lo, hi) = (h.floor() as usize, h.ceil() as usize);
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
}

/// Runs the analysis. `progress` is called with the number of model runs done.
pub fn analyse(
    framework: &Framework,
    data: &Data,
    nominal: &Pipeline,
    plan: &Plan,
    progress: &(dyn Fn(usize) + Sync),
) -> Result<Analysis, UncertaintyError> {
    let nominal_build = pipeline::build(framework, data, nominal)?;
    let nominal_ranks = nominal_build.ranks.clone();
    let winmaxes: Vec<Option<usize>> = if plan.winmax.is_empty() {
        vec![nominal.outliers.as_ref().map(|o| o.winmax)]
    } else {
        plan.winmax.iter().map(|w| Some(*w)).collect()
    };
    let normalisations: Vec<Method> = if plan.normalisations.is_empty() {
        vec![nominal.normalise.default.clone()]
    } else {
        plan.normalisations.clone()
    };
    // Precompute the normalised data of every (normalisation, winmax) pair.
    let mut variants = Vec::new();
    for norm in &normalisations {
        for w in &winmaxes {
            let mut p = nominal.clone();
            p.normalise.default = norm.clone();
            if let (Some(w), Some(o)) = (w, p.outliers.as_mut()) {
                o.winmax = *w;
            } else if let Some(w) = w {
                p.outliers = Some(config::Outliers {
                    winmax: *w,
                    ..Default::default()
                });
            }
            let b = pipeline::build(framework, data, &p)?;
            variants.push(
                b.dataset("Normalised")
                    .expect("normalisation always runs")
                    .values
                    .clone(),
            );
        }
    }
    let mut columns: Vec<String> = framework
        .indicators
        .iter()
        .map(|n| n.code.clone())
        .collect();
    let mut weights: Vec<f64> = framework.indicators.iter().map(|n| n.weight).collect();
    let mut levels: Vec<u32> = framework.indicators.iter().map(|n| n.level).collect();
    let mut aggregates = Vec::new();
    for a in &framework.aggregates {
        let children = framework
            .children(&a.code)
            .iter()
            .map(|c| {
                let col = columns
                    .iter()
                    .position(|x| *x == c.code)
                    .expect("children come first");
                (col, col)
            })
            .collect();
        aggregates.push(children);
        columns.push(a.code.clone());
        weights.push(a.weight);
        levels.push(a.level);
    }
    let model = Model {
        variants,
        n_winmax: winmaxes.len(),
        aggregates,
        weights,
        levels,
        units: nominal_build.units.len(),
        availability: nominal.aggregate.availability,
        aggregations: if plan.aggregations.is_empty() {
            vec![nominal.aggregate.default]
        } else {
            plan.aggregations.clone()
        },
    };
    // Every combination must build: report an impossible one (e.g. a geometric
    // mean over min-max scores with zeros) before the long run.
    for v in 0..model.variants.len() {
        for &agg in &model.aggregations {
            let mut scratch = Vec::new();
            model
                .ranks(v, &model.weights, agg, &mut scratch)
                .map_err(|mut e| {
                    e.message = format!(
                        "{} (alternative: {:?} with {:?})",
                        e.message,
                        normalisations[v / model.n_winmax],
                        agg
                    );
                    e
                })?;
        }
    }

    let mut inputs: Vec<Input> = plan
        .weight_noise
        .keys()
        .map(|l| Input::Weights(*l))
        .collect();
    if normalisations.len() > 1 {
        inputs.push(Input::Normalisation);
    }
    if model.aggregations.len() > 1 {
        inputs.push(Input::Aggregation);
    }
    if winmaxes.len() > 1 {
        inputs.push(Input::Winmax);
    }
    let input_names: Vec<String> = inputs
        .iter()
        .map(|i| match i {
            Input::Weights(l) => format!("weights of level {l}"),
            Input::Normalisation => "normalisation".into(),
            Input::Aggregation => "aggregation".into(),
            Input::Winmax => "winmax".into(),
        })
        .collect();
    // Pre-drawn weight sets per level for the sensitivity design.
    let mut set_rng = ChaCha8Rng::seed_from_u64(plan.seed ^ 0x5eed_5e75);
    let noise_sets: BTreeMap<u32, Vec<Vec<f64>>> = plan
        .weight_noise
        .keys()
        .map(|l| {
            (
                *l,
                (0..NOISE_SETS)
                    .map(|_| {
                        noisy(
                            &model.weights,
                            &model.levels,
                            &plan.weight_noise,
                            Some(*l),
                            &mut set_rng,
                        )
                    })
                    .collect(),
            )
        })
        .collect();

    // A point u in [0,1)^d → ranks.
    let evaluate =
        |u: &[f64], scratch: &mut Vec<Vec<Option<f64>>>| -> Result<Vec<Option<u32>>, BuildError> {
            let mut w = model.weights.clone();
            let (mut norm, mut agg, mut win) = (0, 0, 0);
            for (input, &x) in inputs.iter().zip(u) {
                match input {
                    Input::Weights(l) => {
                        let set = &noise_sets[l][pick(x, NOISE_SETS)];
                        for (k, lv) in model.levels.iter().enumerate() {
                            if lv == l {
                                w[k] = set[k];
                            }
                        }
                    }
                    Input::Normalisation => norm = pick(x, normalisations.len()),
                    Input::Aggregation => agg = pick(x, model.aggregations.len()),
                    Input::Winmax => win = pick(x, winmaxes.len()),
                }
            }
            model.ranks(
                norm * model.n_winmax + win,
                &w,
                model.aggregations[agg],
                scratch,
            )
        };
    let shift = |ranks: &[Option<u32>]| -> f64 {
        let pairs: Vec<f64> = ranks
            .iter()
            .zip(&nominal_ranks)
            .filter_map(|(a, b)| Some((f64::from((*a)?) - f64::from((*b)?)).abs()))
            .collect();
        pairs.iter().sum::<f64>() / pairs.len().max(1) as f64
    };
    let done = std::sync::atomic::AtomicUsize::new(0);
    let tick = || {
        let n = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
        if n.is_multiple_of(256) {
            progress(n);
        }
    };

    // Monte Carlo: weights get fresh noise in every replication.
    let replications: Vec<Vec<Option<u32>>> = (0..plan.replications)
        .into_par_iter()
        .map_init(Vec::new, |scratch, r| {
            let mut rng = ChaCha8Rng::seed_from_u64(plan.seed);
            rng.set_stream(r as u64 + 1);
            let w = noisy(
                &model.weights,
                &model.levels,
                &plan.weight_noise,
                None,
                &mut rng,
            );
            let norm = pick(rng.random(), normalisations.len());
            let agg = pick(rng.random(), model.aggregations.len());
            let win = pick(rng.random(), winmaxes.len());
            let out = model.ranks(
                norm * model.n_winmax + win,
                &w,
                model.aggregations[agg],
                scratch,
            );
            tick();
            out
        })
        .collect::<Result<_, _>>()?;
    let units: Vec<UnitRanks> = nominal_build
        .units
        .iter()
        .enumerate()
        .map(|(k, unit)| {
            let mut r: Vec<f64> = replications
                .iter()
                .filter_map(|rep| rep[k])
                .map(f64::from)
                .collect();
            r.sort_by(f64::total_cmp);
            let nominal_rank = nominal_ranks[k].unwrap_or(0);
            let shifted = r
                .iter()
                .filter(|x| (**x - f64::from(nominal_rank)).abs() > f64::from(plan.rank_shift))
                .count();
            UnitRanks {
                code: unit.code.clone(),
                name: unit.name.clone(),
                nominal: nominal_rank,
                median: if r.is_empty() {
                    f64::NAN
                } else {
                    quantile(&r, 0.5)
                },
                mean: stats::mean(&r).unwrap_or(f64::NAN),
                p05: if r.is_empty() {
                    f64::NAN
                } else {
                    quantile(&r, 0.05)
                },
                p95: if r.is_empty() {
                    f64::NAN
                } else {
                    quantile(&r, 0.95)
                },
                shifted: shifted as f64 / r.len().max(1) as f64,
            }
        })
        .collect();

    // Variance-based sensitivity (Saltelli design, Jansen estimators).
    let d = inputs.len();
    let n = plan.sensitivity_samples;
    let mut sensitivity = Vec::new();
    let mut runs = plan.replications;
    if n > 0 && d > 0 {
        let mut rng = ChaCha8Rng::seed_from_u64(plan.seed);
        rng.set_stream(0);
        let a: Vec<Vec<f64>> = (0..n)
            .map(|_| (0..d).map(|_| rng.random()).collect())
            .collect();
        let b: Vec<Vec<f64>> = (0..n)
            .map(|_| (0..d).map(|_| rng.random()).collect())
            .collect();
        // Rows: A, B, then A with column i from B, for each i.
        let points: Vec<Vec<f64>> = a
            .iter()
            .cloned()
            .chain(b.iter().cloned())
            .chain((0..d).flat_map(|i| {
                a.iter().zip(&b).map(move |(ra, rb)| {
                    let mut r = ra.clone();
                    r[i] = rb[i];
                    r
                })
            }))
            .collect();
        let y: Vec<f64> = points
            .par_iter()
            .map_init(Vec::new, |scratch, u| {
                let out = evaluate(u, scratch).map(|r| shift(&r));
                tick();
                out
            })
            .collect::<Result<_, _>>()?;
        runs += y.len();
        let fa = &y[..n];
        let fb = &y[n..2 * n];
        let indices = |rows: &[usize]| -> Vec<(f64, f64)> {
            let all: Vec<f64> = rows.iter().flat_map(|&j| [fa[j], fb[j]]).collect();
            let m = all.iter().sum::<f64>() / all.len() as f64;
            let v = all.iter().map(|x| (x - m).powi(2)).sum::<f64>() / all.len() as f64;
            (0..d)
                .map(|i| {
                    let fab = &y[(2 + i) * n..(3 + i) * n];
                    let k = rows.len() as f64;
                    let first =
                        v - rows.iter().map(|&j| (fb[j] - fab[j]).powi(2)).sum::<f64>() / (2.0 * k);
                    let total =
                        rows.iter().map(|&j| (fa[j] - fab[j]).powi(2)).sum::<f64>() / (2.0 * k);
                    if v > 0.0 {
                        (first / v, total / v)
                    } else {
                        (0.0, 0.0)
                    }
                })
                .collect()
        };
        let all_rows: Vec<usize> = (0..n).collect();
        let point = indices(&all_rows);
        let mut boot_rng = ChaCha8Rng::seed_from_u64(plan.seed);
        boot_rng.set_stream(u64::MAX);
        let boots: Vec<Vec<(f64, f64)>> = (0..plan.bootstrap)
            .map(|_| {
                let rows: Vec<usize> = (0..n).map(|_| boot_rng.random_range(0..n)).collect();
                indices(&rows)
            })
            .collect();
        for (i, name) in input_names.iter().enumerate() {
            let ci = |f: fn(&(f64, f64)) -> f64| -> (f64, f64) {
                if boots.is_empty() {
                    return (f64::NAN, f64::NAN);
                }
                let mut s: Vec<f64> = boots.iter().map(|b| f(&b[i])).collect();
                s.sort_by(f64::total_cmp);
                (quantile(&s, 0.025), quantile(&s, 0.975))
            };
            sensitivity.push(Sensitivity {
                input: name.clone(),
                first_order: point[i].0,
                first_order_ci: ci(|p| p.0),
                total_order: point[i].1,
                total_order_ci: ci(|p| p.1),
            });
        }
    }
    progress(done.load(std::sync::atomic::Ordering::Relaxed));
    Ok(Analysis {
        replications: plan.replications,
        units,
        inputs: input_names,
        sensitivity,
        runs,
    })
}

impl Analysis {
    pub fn ranks_csv(&self, rank_shift: u32) -> String {
        let mut out = format!(
            "uCode,uName,nominal_rank,median_rank,mean_rank,p05_rank,p95_rank,share_shifted_over_{rank_shift}\n"
        );
        let mut units: Vec<&UnitRanks> = self.units.iter().collect();
        units.sort_by_key(|u| (u.nominal, u.code.clone()));
        for u in units {
            let name = if u.name.contains(',') {
                format!("\"{}\"", u.name.replace('"', "\"\""))
            } else {
                u.name.clone()
            };
            out.push_str(&format!(
                "{},{},{},{},{},{},{},{}\n",
                u.code, name, u.nominal, u.median, u.mean, u.p05, u.p95, u.shifted
            ));
        }
        out
    }

    pub fn sensitivity_csv(&self) -> String {
        let mut out = String::from(
            "input,first_order,first_order_low,first_order_high,total_order,total_order_low,total_order_high\n",
        );
        for s in &self.sensitivity {
            out.push_str(&format!(
                "{},{},{},{},{},{},{}\n",
                s.input,
                s.first_order,
                s.first_order_ci.0,
                s.first_order_ci.1,
                s.total_order,
                s.total_order_ci.0,
                s.total_order_ci.1
            ));
        }
        out
    }
}
