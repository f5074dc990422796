//! Building an index: denominate → screen → impute → treat outliers →
//! normalise → aggregate → rank, keeping every intermediate data set.

use crate::config::{Aggregator, Impute, Method, Outliers, Pipeline};
use crate::stats;
use crate::table::{Data, Framework, Unit};
use std::fmt;

/// A problem found while building, naming the step, the column and, where
/// there is one, the unit.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub struct BuildError {
    pub step: &'static str,
    pub column: String,
    pub unit: Option<String>,
    pub message: String,
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.unit {
            Some(u) => write!(
                f,
                "{}: column {}, unit {u}: {}",
                self.step, self.column, self.message
            ),
            None => write!(f, "{}: column {}: {}", self.step, self.column, self.message),
        }
    }
}

fn fail(
    step: &'static str,
    column: &str,
    unit: Option<&str>,
    message: impl Into<String>,
) -> BuildError {
    BuildError {
        step,
        column: column.to_string(),
        unit: unit.map(str::to_string),
        message: message.into(),
    }
}

/// A table of values: one row per unit, one column per code.
#[derive(Debug, Clone, PartialEq)]
pub struct Dataset {
    pub name: &'static str,
    pub units: Vec<String>,
    pub columns: Vec<String>,
    /// `values[c][r]`.
    pub values: Vec<Vec<Option<f64>>>,
}

impl Dataset {
    pub fn column(&self, code: &str) -> Option<&[Option<f64>]> {
        self.columns
            .iter()
            .position(|c| c == code)
            .map(|i| self.values[i].as_slice())
    }

    /// The data set as CSV text: `uCode` then one column per code; empty cells are missing.
    pub fn to_csv(&self) -> String {
        let header = std::iter::once("uCode".to_string()).chain(self.columns.iter().cloned());
        let rows = self.units.iter().enumerate().map(|(r, u)| {
            std::iter::once(u.clone())
                .chain(self.values.iter().map(|col| cell(col[r])))
                .collect()
        });
        csv_text(header.collect(), rows)
    }
}

/// What outlier treatment did to one indicator.
#[derive(Debug, Clone, PartialEq)]
pub enum Treatment {
    /// Within the thresholds: untouched.
    None,
    /// Winsorised this many points, at the high or low end.
    Winsorised { points: usize, high: bool },
    /// Winsorising could not bring it within the thresholds: ln(x − min + 0.01(max − min)).
    Log,
    /// Still outside the thresholds after the last treatment allowed.
    Unresolved,
}

impl fmt::Display for Treatment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Treatment::None => f.write_str("none"),
            Treatment::Winsorised { points, high } => {
                write!(
                    f,
                    "winsorised {points} point(s) at the {} end",
                    if *high { "high" } else { "low" }
                )
            }
            Treatment::Log => f.write_str("log transform"),
            Treatment::Unresolved => {
                f.write_str("winsorised to the limit, still outside the thresholds")
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorStats {
    pub code: String,
    /// Share of units with data, before imputation.
    pub availability: f64,
    pub imputed: usize,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub mean: Option<f64>,
    pub sd: Option<f64>,
    pub skewness: Option<f64>,
    pub kurtosis: Option<f64>,
    pub treatment: Treatment,
    pub skewness_after: Option<f64>,
    pub kurtosis_after: Option<f64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AggregateStats {
    pub code: String,
    pub level: u32,
    /// (child code, Pearson correlation of the child with this aggregate).
    pub correlations: Vec<(String, Option<f64>)>,
    pub cronbach_alpha: Option<f64>,
}

/// Everything a build produces.
#[derive(Debug, Clone, PartialEq)]
pub struct Build {
    pub time: Option<i64>,
    pub units: Vec<Unit>,
    /// Units removed by screening, with their data availability.
    pub screened_out: Vec<(String, f64)>,
    /// Raw, Denominated, Screened, Imputed, Treated, Normalised, Aggregated (those that ran).
    pub datasets: Vec<Dataset>,
    pub indicators: Vec<IndicatorStats>,
    pub aggregates: Vec<AggregateStats>,
    /// The top aggregate's code, its scores by unit and the ranks.
    pub index: String,
    pub scores: Vec<Option<f64>>,
    pub ranks: Vec<Option<u32>>,
}

impl Build {
    pub fn dataset(&self, name: &str) -> Option<&Dataset> {
        self.datasets.iter().find(|d| d.name == name)
    }

    /// The results table as CSV: unit, name, the index, its rank, then every
    /// other aggregate from the top level down.
    pub fn results_csv(&self, framework: &Framework) -> String {
        let aggregated = self.dataset("Aggregated").expect("aggregation always runs");
        let mut others: Vec<&crate::table::Node> = framework
            .aggregates
            .iter()
            .filter(|a| a.code != self.index)
            .collect();
        others.sort_by_key(|a| std::cmp::Reverse(a.level));
        let mut header = vec![
            "uCode".to_string(),
            "uName".to_string(),
            self.index.clone(),
            "Rank".to_string(),
        ];
        header.extend(others.iter().map(|a| a.code.clone()));
        let mut order: Vec<usize> = (0..self.units.len()).collect();
        order.sort_by_key(|&r| {
            (
                self.ranks[r].unwrap_or(u32::MAX),
                self.units[r].code.clone(),
            )
        });
        let rows = order.into_iter().map(|r| {
            let mut row = vec![
                self.units[r].code.clone(),
                self.units[r].name.clone(),
                cell(self.scores[r]),
                self.ranks[r].map_or(String::new(), |x| x.to_string()),
            ];
            row.extend(
                others
                    .iter()
                    .map(|a| cell(aggregated.column(&a.code).expect("aggregate column")[r])),
            );
            row
        });
        csv_text(header, rows)
    }
}

/// CSV text through the spreadsheet-safe writer: names and codes that a
/// spreadsheet would take for formulas are neutralised (`bagalau_csv`).
fn csv_text(header: Vec<String>, rows: impl Iterator<Item = Vec<String>>) -> String {
    let mut w = bagalau_csv::Writer::from_writer(Vec::new());
    w.write_record(&header).expect("writing to memory");
    for row in rows {
        w.write_record(&row).expect("writing to memory");
    }
    String::from_utf8(w.into_inner().expect("writing to memory")).expect("UTF-8 cells")
}

/// Builds the index. The data may be a panel; the pipeline's `time` (or the
/// latest) is built, and panel imputation draws on the other time points.
pub fn build(framework: &Framework, data: &Data, pipeline: &Pipeline) -> Result<Build, BuildError> {
    let times = data.times();
    let time = match (pipeline.time, times.last()) {
        (Some(t), _) if !times.contains(&t) => {
            return Err(fail(
                "select",
                "Time",
                None,
                format!("no data for Time {t} (the data have {times:?})"),
            ));
        }
        (Some(t), _) => Some(t),
        (None, last) => last.copied(),
    };
    let codes: Vec<String> = framework
        .indicators
        .iter()
        .map(|n| n.code.clone())
        .collect();

    // Denominated values for every row (all time points), so panel imputation sees them too.
    let mut all: Vec<Vec<Option<f64>>> = codes
        .iter()
        .map(|c| data.column(c).expect("validated").to_vec())
        .collect();
    if pipeline.denominate {
        for (i, node) in framework.indicators.iter().enumerate() {
            let Some(d) = &node.denominator else { continue };
            let den = data.column(d).expect("validated");
            for (r, v) in all[i].iter_mut().enumerate() {
                if let Some(x) = *v {
                    *v = match den[r] {
                        Some(0.0) => {
                            return Err(fail(
                                "denominate",
                                &node.code,
                                Some(&data.units[r].code),
                                format!("the denominator `{d}` is 0"),
                            ));
                        }
                        Some(q) => Some(x / q),
                        None => None,
                    };
                }
            }
        }
    }
    let rows: Vec<usize> = (0..data.units.len())
        .filter(|&r| data.units[r].time == time)
        .collect();
    let take = |cols: &[Vec<Option<f64>>], rows: &[usize]| -> Vec<Vec<Option<f64>>> {
        cols.iter()
            .map(|c| rows.iter().map(|&r| c[r]).collect())
            .collect()
    };
    let dataset = |name, rows: &[usize], values: Vec<Vec<Option<f64>>>| Dataset {
        name,
        units: rows.iter().map(|&r| data.units[r].code.clone()).collect(),
        columns: codes.clone(),
        values,
    };
    let mut datasets = vec![dataset(
        "Raw",
        &rows,
        take(
            &codes
                .iter()
                .map(|c| data.column(c).unwrap().to_vec())
                .collect::<Vec<_>>(),
            &rows,
        ),
    )];
    if pipeline.denominate {
        datasets.push(dataset("Denominated", &rows, take(&all, &rows)));
    }

    // Screening, on the data before imputation.
    let availability =
        |r: usize| all.iter().filter(|c| c[r].is_some()).count() as f64 / codes.len() as f64;
    let mut screened_out = Vec::new();
    let rows: Vec<usize> = match pipeline.screen {
        Some(threshold) => rows
            .into_iter()
            .filter(|&r| {
                let a = availability(r);
                let keep = a + 1e-12 >= threshold;
                if !keep {
                    screened_out.push((data.units[r].code.clone(), a));
                }
                keep
            })
            .collect(),
        None => rows,
    };
    if rows.is_empty() {
        return Err(fail("screen", "", None, "no unit is left after screening"));
    }
    let mut values = take(&all, &rows);
    if pipeline.screen.is_some() {
        datasets.push(dataset("Screened", &rows, values.clone()));
    }
    let mut stats: Vec<IndicatorStats> = codes
        .iter()
        .enumerate()
        .map(|(i, code)| IndicatorStats {
            code: code.clone(),
            availability: values[i].iter().filter(|v| v.is_some()).count() as f64
                / rows.len() as f64,
            imputed: 0,
            min: None,
            max: None,
            mean: None,
            sd: None,
            skewness: None,
            kurtosis: None,
            treatment: Treatment::None,
            skewness_after: None,
            kurtosis_after: None,
        })
        .collect();

    if let Some(method) = &pipeline.impute {
        for (i, col) in values.iter_mut().enumerate() {
            stats[i].imputed = impute(method, col, &rows, data, &all[i], &codes[i])?;
        }
        datasets.push(dataset("Imputed", &rows, values.clone()));
    }

    for (i, s) in stats.iter_mut().enumerate() {
        let x = stats::present(&values[i]);
        s.min = x.iter().copied().reduce(f64::min);
        s.max = x.iter().copied().reduce(f64::max);
        s.mean = stats::mean(&x);
        s.sd = stats::sd(&x);
        s.skewness = stats::skewness(&x);
        s.kurtosis = stats::kurtosis(&x);
        s.skewness_after = s.skewness;
        s.kurtosis_after = s.kurtosis;
    }
    if let Some(o) = &pipeline.outliers {
        for (i, s) in stats.iter_mut().enumerate() {
            s.treatment = treat(&mut values[i], o);
            let x = stats::present(&values[i]);
            s.skewness_after = stats::skewness(&x);
            s.kurtosis_after = stats::kurtosis(&x);
        }
        datasets.push(dataset("Treated", &rows, values.clone()));
    }

    for (i, node) in framework.indicators.iter().enumerate() {
        let method = pipeline
            .normalise
            .indicators
            .get(&node.code)
            .unwrap_or(&pipeline.normalise.default);
        let units: Vec<&str> = rows.iter().map(|&r| data.units[r].code.as_str()).collect();
        values[i] = normalise(
            method,
            &values[i],
            node.direction,
            node.target,
            &units,
            &node.code,
        )?;
    }
    datasets.push(dataset("Normalised", &rows, values.clone()));

    // Aggregation, level by level.
    let mut columns = codes.clone();
    let mut aggregate_stats = Vec::new();
    for agg in &framework.aggregates {
        let children = framework.children(&agg.code);
        let child_cols: Vec<(usize, f64)> = children
            .iter()
            .map(|c| {
                (
                    columns
                        .iter()
                        .position(|x| *x == c.code)
                        .expect("children come first"),
                    c.weight,
                )
            })
            .collect();
        let units: Vec<&str> = rows.iter().map(|&r| data.units[r].code.as_str()).collect();
        let method = pipeline.aggregate.at_level(agg.level);
        let result = aggregate(
            method,
            &values,
            &child_cols,
            pipeline.aggregate.availability,
            &units,
            &agg.code,
        )?;
        aggregate_stats.push(AggregateStats {
            code: agg.code.clone(),
            level: agg.level,
            correlations: children
                .iter()
                .zip(&child_cols)
                .map(|(c, (i, _))| (c.code.clone(), stats::correlation(&values[*i], &result)))
                .collect(),
            cronbach_alpha: stats::cronbach_alpha(
                &child_cols
                    .iter()
                    .map(|(i, _)| values[*i].as_slice())
                    .collect::<Vec<_>>(),
            ),
        });
        values.push(result);
        columns.push(agg.code.clone());
    }
    datasets.push(Dataset {
        name: "Aggregated",
        units: rows.iter().map(|&r| data.units[r].code.clone()).collect(),
        columns: columns.clone(),
        values: values.clone(),
    });
    let index = framework
        .aggregates
        .iter()
        .max_by_key(|a| a.level)
        .map_or_else(|| codes[0].clone(), |a| a.code.clone());
    let scores = values[columns
        .iter()
        .position(|c| *c == index)
        .expect("index column")]
    .clone();
    let ranks = stats::ranks_descending(&scores);
    Ok(Build {
        time,
        units: rows.iter().map(|&r| data.units[r].clone()).collect(),
        screened_out,
        datasets,
        indicators: stats,
        aggregates: aggregate_stats,
        index,
        scores,
        ranks,
    })
}

/// Fills missing values of one indicator; returns how many were filled.
fn impute(
    method: &Impute,
    col: &mut [Option<f64>],
    rows: &[usize],
    data: &Data,
    panel: &[Option<f64>],
    code: &str,
) -> Result<usize, BuildError> {
    let present = stats::present(col);
    let mut filled = 0;
    let group_of = |r: usize, g: &str| data.units[r].groups.get(g).cloned();
    for k in 0..col.len() {
        if col[k].is_some() {
            continue;
        }
        let r = rows[k];
        let value = match method {
            Impute::Mean => stats::mean(&present),
            Impute::Median => stats::median(&present),
            Impute::GroupMean(g) | Impute::GroupMedian(g) => {
                let Some(group) = group_of(r, g) else {
                    return Err(fail(
                        "impute",
                        g,
                        Some(&data.units[r].code),
                        format!("no group column `{g}`"),
                    ));
                };
                let peers: Vec<f64> = (0..col.len())
                    .filter(|&j| group_of(rows[j], g).as_ref() == Some(&group))
                    .filter_map(|j| col[j])
                    .collect();
                if matches!(method, Impute::GroupMean(_)) {
                    stats::mean(&peers)
                } else {
                    stats::median(&peers)
                }
            }
            Impute::Constant(v) => Some(*v),
            Impute::Latest | Impute::Interpolate => {
                let unit = &data.units[r];
                let t = unit.time.ok_or_else(|| {
                    fail(
                        "impute",
                        code,
                        Some(&unit.code),
                        "panel imputation needs a Time column",
                    )
                })?;
                let history: Vec<(i64, f64)> = (0..data.units.len())
                    .filter(|&q| data.units[q].code == unit.code)
                    .filter_map(|q| Some((data.units[q].time?, panel[q]?)))
                    .collect();
                let before = history
                    .iter()
                    .filter(|(tq, _)| *tq < t)
                    .max_by_key(|(tq, _)| *tq);
                let after = history
                    .iter()
                    .filter(|(tq, _)| *tq > t)
                    .min_by_key(|(tq, _)| *tq);
                match (method, before, after) {
                    (Impute::Latest, Some((_, v)), _) => Some(*v),
                    (Impute::Interpolate, Some((t0, v0)), Some((t1, v1))) => {
                        Some(v0 + (v1 - v0) * (t - t0) as f64 / (t1 - t0) as f64)
                    }
                    _ => None,
                }
            }
        };
        if value.is_some() {
            col[k] = value;
            filled += 1;
        }
    }
    Ok(filled)
}

fn outside(x: &[Option<f64>], o: &Outliers) -> bool {
    let v = stats::present(x);
    match (stats::skewness(&v), stats::kurtosis(&v)) {
        (Some(s), Some(k)) => s.abs() > o.skew && k > o.kurtosis,
        _ => false,
    }
}

/// Winsorises one point at a time on the side of the skew (every point equal
/// to the extreme takes the next value in), up to `winmax` points; if that is
/// not enough, applies ln(x − min + 0.01·(max − min)) to the original values.
fn treat(col: &mut [Option<f64>], o: &Outliers) -> Treatment {
    if !outside(col, o) {
        return Treatment::None;
    }
    let original = col.to_vec();
    let mut treated = vec![false; col.len()];
    let mut high = true;
    while outside(col, o) && treated.iter().filter(|t| **t).count() < o.winmax {
        let v = stats::present(col);
        high = stats::skewness(&v).unwrap_or(0.0) >= 0.0;
        let extreme = if high {
            v.iter().copied().fold(f64::MIN, f64::max)
        } else {
            v.iter().copied().fold(f64::MAX, f64::min)
        };
        let rest = v.iter().copied().filter(|x| *x != extreme);
        let Some(next) = (if high {
            rest.reduce(f64::max)
        } else {
            rest.reduce(f64::min)
        }) else {
            break;
        };
        for (k, x) in col.iter_mut().enumerate() {
            if *x == Some(extreme) {
                *x = Some(next);
                treated[k] = true;
            }
        }
    }
    let points = treated.iter().filter(|t| **t).count();
    if !outside(col, o) {
        return Treatment::Winsorised { points, high };
    }
    if !o.log_fallback {
        return Treatment::Unresolved;
    }
    let v = stats::present(&original);
    let (min, max) = (
        v.iter().copied().fold(f64::MAX, f64::min),
        v.iter().copied().fold(f64::MIN, f64::max),
    );
    for (x, orig) in col.iter_mut().zip(&original) {
        *x = orig.map(|y| (y - min + 0.01 * (max - min)).ln());
    }
    Treatment::Log
}

fn normalise(
    method: &Method,
    col: &[Option<f64>],
    direction: f64,
    target: Option<f64>,
    units: &[&str],
    code: &str,
) -> Result<Vec<Option<f64>>, BuildError> {
    let x: Vec<Option<f64>> = col.iter().map(|v| v.map(|v| v * direction)).collect();
    let v = stats::present(&x);
    let (min, max) = (
        v.iter().copied().fold(f64::INFINITY, f64::min),
        v.iter().copied().fold(f64::NEG_INFINITY, f64::max),
    );
    let zero_range = || {
        fail(
            "normalise",
            code,
            None,
            "zero range: every unit has the same value, so the indicator cannot be scaled (drop it or choose another method)",
        )
    };
    let map = |f: &dyn Fn(f64) -> f64| x.iter().map(|o| o.map(f)).collect::<Vec<_>>();
    Ok(match method {
        Method::None => x.clone(),
        Method::MinMax { lower, upper } => {
            if v.is_empty() || min == max {
                return Err(zero_range());
            }
            map(&|y| (y - min) / (max - min) * (upper - lower) + lower)
        }
        Method::ZScore { mean, sd } => {
            let (m, s) = (stats::mean(&v), stats::sd(&v));
            match (m, s) {
                (Some(m), Some(s)) if s > 0.0 => map(&|y| (y - m) / s * sd + mean),
                _ => return Err(zero_range()),
            }
        }
        Method::Rank => stats::ranks_ascending(&x),
        Method::Borda => stats::ranks_ascending(&x)
            .into_iter()
            .map(|r| r.map(|r| r - 1.0))
            .collect(),
        Method::PercentileRank => {
            let n = v.len() as f64;
            if n < 2.0 {
                return Err(zero_range());
            }
            stats::ranks_ascending(&x)
                .into_iter()
                .map(|r| r.map(|r| (r - 1.0) / (n - 1.0)))
                .collect()
        }
        Method::DistanceToMax => {
            if v.is_empty() || min == max {
                return Err(zero_range());
            }
            map(&|y| 1.0 - (max - y) / (max - min))
        }
        Method::DistanceToReference { unit, cap } => {
            let k = units.iter().position(|u| u == unit).ok_or_else(|| {
                fail(
                    "normalise",
                    code,
                    Some(unit),
                    "the reference unit is not in the data (or was screened out)",
                )
            })?;
            let reference = x[k].ok_or_else(|| {
                fail(
                    "normalise",
                    code,
                    Some(unit),
                    "the reference unit has no value",
                )
            })?;
            if reference == min {
                return Err(fail(
                    "normalise",
                    code,
                    Some(unit),
                    "the reference value equals the minimum: distances are undefined",
                ));
            }
            map(&|y| {
                let d = 1.0 - (reference - y) / (reference - min);
                if *cap { d.min(1.0) } else { d }
            })
        }
        Method::DistanceToTarget { cap } => {
            let target = target.ok_or_else(|| {
                fail(
                    "normalise",
                    code,
                    None,
                    "distance_to_target needs a Target in the metadata",
                )
            })? * direction;
            if target == min {
                return Err(fail(
                    "normalise",
                    code,
                    None,
                    "the target equals the minimum: distances are undefined",
                ));
            }
            map(&|y| {
                let d = 1.0 - (target - y) / (target - min);
                if *cap { d.min(1.0) } else { d }
            })
        }
        Method::FractionOfMax => {
            if max == 0.0 || v.is_empty() {
                return Err(fail(
                    "normalise",
                    code,
                    None,
                    "the maximum is 0: fractions of it are undefined",
                ));
            }
            map(&|y| y / max)
        }
        Method::Goalposts {
            lower,
            upper,
            scale,
        } => col
            .iter()
            .map(|o| {
                o.map(|y| {
                    let t = if direction > 0.0 {
                        (y - lower) / (upper - lower)
                    } else {
                        (upper - y) / (upper - lower)
                    };
                    t.clamp(0.0, 1.0) * scale
                })
            })
            .collect(),
    })
}

/// One aggregate from its children's columns `(index, weight)`.
pub(crate) fn aggregate(
    method: Aggregator,
    values: &[Vec<Option<f64>>],
    children: &[(usize, f64)],
    availability: f64,
    units: &[&str],
    code: &str,
) -> Result<Vec<Option<f64>>, BuildError> {
    let n = units.len();
    let present = |r: usize| -> Vec<(f64, f64)> {
        children
            .iter()
            .filter_map(|&(c, w)| values[c][r].map(|x| (x, w)))
            .collect()
    };
    let enough =
        |got: usize| (got as f64) / (children.len() as f64) + 1e-12 >= availability && got > 0;
    if method == Aggregator::Copeland {
        let mut out = vec![None; n];
        for (i, slot) in out.iter_mut().enumerate() {
            if !enough(present(i).len()) {
                continue;
            }
            let mut score = 0.0;
            for j in 0..n {
                if i == j || !enough(present(j).len()) {
                    continue;
                }
                let mut votes = 0.0;
                for &(c, w) in children {
                    if let (Some(a), Some(b)) = (values[c][i], values[c][j]) {
                        if a > b {
                            votes += w;
                        } else if a < b {
                            votes -= w;
                        }
                    }
                }
                score += votes.signum() * f64::from(u8::from(votes != 0.0));
            }
            *slot = Some(score);
        }
        return Ok(out);
    }
    let mut out = Vec::with_capacity(n);
    for (r, unit) in units.iter().enumerate() {
        let xs = present(r);
        if !enough(xs.len()) {
            out.push(None);
            continue;
        }
        let wsum: f64 = xs.iter().map(|(_, w)| w).sum();
        if wsum == 0.0 {
            out.push(None);
            continue;
        }
        let non_positive = |what: &str| -> Result<(), BuildError> {
            if xs.iter().any(|(x, _)| *x <= 0.0) {
                return Err(fail(
                    "aggregate",
                    code,
                    Some(unit),
                    format!(
                        "a {what} mean needs positive values; normalise to a positive range (e.g. minmax with lower = 1)"
                    ),
                ));
            }
            Ok(())
        };
        let v = match method {
            Aggregator::Arithmetic => xs.iter().map(|(x, w)| x * w).sum::<f64>() / wsum,
            Aggregator::Geometric => {
                non_positive("geometric")?;
                (xs.iter().map(|(x, w)| w * x.ln()).sum::<f64>() / wsum).exp()
            }
            Aggregator::Harmonic => {
                non_positive("harmonic")?;
                wsum / xs.iter().map(|(x, w)| w / x).sum::<f64>()
            }
            Aggregator::Generalised(p) => {
                if p.fract() != 0.0 {
                    non_positive("generalised")?;
                }
                (xs.iter().map(|(x, w)| w * x.powf(p)).sum::<f64>() / wsum).powf(1.0 / p)
            }
            Aggregator::Copeland => unreachable!("handled above"),
        };
        out.push(Some(v));
    }
    Ok(out)
}

fn cell(v: Option<f64>) -> String {
    v.map_or(String::new(), |v| v.to_string())
}

impl Build {
    /// Per indicator: availability, imputed cells, min, max, mean, sd,
    /// skewness and kurtosis before and after treatment, treatment applied.
    pub fn indicator_stats_csv(&self) -> String {
        let header = "iCode,availability,imputed,min,max,mean,sd,skewness,kurtosis,treatment,skewness_after,kurtosis_after"
            .split(',')
            .map(str::to_string)
            .collect();
        let rows = self.indicators.iter().map(|s| {
            vec![
                s.code.clone(),
                s.availability.to_string(),
                s.imputed.to_string(),
                cell(s.min),
                cell(s.max),
                cell(s.mean),
                cell(s.sd),
                cell(s.skewness),
                cell(s.kurtosis),
                s.treatment.to_string(),
                cell(s.skewness_after),
                cell(s.kurtosis_after),
            ]
        });
        csv_text(header, rows)
    }

    /// Per aggregate and child: the correlation of the child with the
    /// aggregate, and the aggregate's Cronbach's alpha over its children.
    pub fn aggregate_stats_csv(&self) -> String {
        let header = "iCode,level,child,correlation,cronbach_alpha"
            .split(',')
            .map(str::to_string)
            .collect();
        let rows = self.aggregates.iter().flat_map(|a| {
            a.correlations.iter().map(move |(child, r)| {
                vec![
                    a.code.clone(),
                    a.level.to_string(),
                    child.clone(),
                    cell(*r),
                    cell(a.cronbach_alpha),
                ]
            })
        });
        csv_text(header, rows)
    }
}
