//! The performance assessment: the Government Performance Index (change of
//! each body's indicators over the window), risk areas, SDSN-style trend
//! classes, and the National Progress Index (the country against the OECD
//! average and against the base year). Formulas: `docs/performance.md`.

use crate::diagnostics::{Diagnostic, Diagnostics, SourceMap};
use crate::pack::Polarity;
use crate::registry::Registry;
use crate::{Kind, Names, hash};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashSet};
use toml::Spanned;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum IndicatorKind {
    Statistical,
    Survey,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sphere {
    pub id: String,
    pub name: Names,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PerfIndicator {
    pub id: String,
    pub name: Names,
    pub unit: String,
    pub polarity: Polarity,
    pub kind: IndicatorKind,
    pub sphere: String,
    /// CGB-specific indicators name their bodies; shared sets name kinds.
    pub bodies: Option<Vec<String>>,
    pub applies_to: Vec<Kind>,
    pub weight: f64,
    pub target: Option<f64>,
    pub source: Option<String>,
}

impl PerfIndicator {
    pub fn applies(&self, body: &str, kind: Kind) -> bool {
        match &self.bodies {
            Some(b) => b.iter().any(|x| x == body),
            None => self.applies_to.contains(&kind),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NpiIndicator {
    pub id: String,
    pub name: Names,
    pub unit: String,
    pub polarity: Polarity,
}

/// A validated performance pack.
#[derive(Debug, Clone, PartialEq)]
pub struct PerformancePack {
    pub id: String,
    pub year: i32,
    pub title: Names,
    pub provenance: String,
    pub sources: Vec<String>,
    pub window: i32,
    pub saturation: f64,
    pub tolerance: f64,
    pub target_year: i32,
    pub country: String,
    pub reference: String,
    pub base_year: i32,
    pub spheres: Vec<Sphere>,
    pub indicators: Vec<PerfIndicator>,
    pub npi: Vec<NpiIndicator>,
    pub content_hash: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPack {
    format: Spanned<u32>,
    id: String,
    year: i32,
    title: Names,
    #[serde(default)]
    provenance: String,
    #[serde(default)]
    sources: Vec<String>,
    #[serde(default = "three")]
    window: i32,
    #[serde(default = "ten_percent")]
    saturation: f64,
    #[serde(default)]
    tolerance: f64,
    #[serde(default = "y2030")]
    target_year: i32,
    #[serde(default = "kz")]
    country: String,
    #[serde(default = "oecd")]
    reference: String,
    #[serde(default = "y2016")]
    base_year: i32,
    #[serde(default, rename = "sphere")]
    spheres: Vec<Spanned<Sphere>>,
    #[serde(default, rename = "indicator")]
    indicators: Vec<Spanned<RawIndicator>>,
    #[serde(default)]
    npi: Vec<Spanned<RawNpi>>,
}

fn three() -> i32 {
    3
}
fn ten_percent() -> f64 {
    0.10
}
fn y2030() -> i32 {
    2030
}
fn y2016() -> i32 {
    2016
}
fn kz() -> String {
    "KZ".into()
}
fn oecd() -> String {
    "OECD".into()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIndicator {
    id: String,
    name: Names,
    unit: String,
    polarity: Polarity,
    kind: IndicatorKind,
    sphere: Spanned<String>,
    bodies: Option<Vec<String>>,
    applies_to: Option<Vec<Kind>>,
    weight: Option<f64>,
    target: Option<f64>,
    source: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawNpi {
    id: String,
    name: Names,
    unit: String,
    polarity: Polarity,
}

/// Parses and validates a performance pack.
pub fn load(file: &str, text: &str) -> Result<PerformancePack, Diagnostics> {
    let map = SourceMap::new(file, text);
    let raw: RawPack = toml::from_str(text).map_err(|e| Diagnostics(vec![map.toml_error(&e)]))?;
    let mut errors: Vec<Diagnostic> = Vec::new();
    if *raw.format.get_ref() != 1 {
        errors.push(map.at(
            raw.format.span().start,
            "unsupported performance pack format (this version reads format 1)",
        ));
    }
    if raw.window < 1 {
        errors.push(map.whole("window must be at least 1 year"));
    }
    // `!(x > 0.0)` is also true of NaN, which TOML allows (`nan`).
    if !(raw.saturation > 0.0 && raw.saturation.is_finite()) {
        errors.push(map.whole("saturation must be a positive number"));
    }
    if !(raw.tolerance >= 0.0 && raw.tolerance.is_finite()) {
        errors.push(map.whole("tolerance must be a number, 0 or more"));
    }
    if raw.target_year <= raw.year {
        errors.push(map.whole(format!(
            "target_year {} is not after the pack's year {}: targets are for years to come",
            raw.target_year, raw.year
        )));
    }
    if raw.base_year > raw.year {
        errors.push(map.whole(format!(
            "base_year {} is after the pack's year {}: progress is measured since a year past",
            raw.base_year, raw.year
        )));
    }
    let mut ids = HashSet::new();
    for s in &raw.spheres {
        if !ids.insert(s.get_ref().id.clone()) {
            errors.push(map.at(s.span().start, format!("duplicate id `{}`", s.get_ref().id)));
        }
    }
    let sphere_ids: HashSet<&str> = raw
        .spheres
        .iter()
        .map(|s| s.get_ref().id.as_str())
        .collect();
    for i in &raw.indicators {
        let r = i.get_ref();
        if !ids.insert(r.id.clone()) {
            errors.push(map.at(i.span().start, format!("duplicate id `{}`", r.id)));
        }
        if !sphere_ids.contains(r.sphere.get_ref().as_str()) {
            errors.push(map.at(
                r.sphere.span().start,
                format!(
                    "indicator `{}`: unknown sphere `{}`",
                    r.id,
                    r.sphere.get_ref()
                ),
            ));
        }
        match (&r.bodies, &r.applies_to) {
            (Some(_), Some(_)) => errors.push(map.at(
                i.span().start,
                format!(
                    "indicator `{}`: give `bodies` or `applies_to`, not both",
                    r.id
                ),
            )),
            (None, None) => errors.push(map.at(
                i.span().start,
                format!(
                    "indicator `{}`: say whom it applies to (`bodies` or `applies_to`)",
                    r.id
                ),
            )),
            (Some(b), None) if b.is_empty() => errors.push(map.at(
                i.span().start,
                format!("indicator `{}`: `bodies` is empty", r.id),
            )),
            _ => {}
        }
        if r.weight.is_some_and(|w| !(w > 0.0 && w.is_finite())) {
            errors.push(map.at(
                i.span().start,
                format!("indicator `{}`: weight must be a positive number", r.id),
            ));
        }
        if r.target.is_some_and(|t| !t.is_finite()) {
            errors.push(map.at(
                i.span().start,
                format!(
                    "indicator `{}`: target must be a number (not nan or inf)",
                    r.id
                ),
            ));
        }
    }
    for n in &raw.npi {
        if !ids.insert(n.get_ref().id.clone()) {
            errors.push(map.at(n.span().start, format!("duplicate id `{}`", n.get_ref().id)));
        }
    }
    if !errors.is_empty() {
        return Err(Diagnostics(errors));
    }
    Ok(PerformancePack {
        id: raw.id,
        year: raw.year,
        title: raw.title,
        provenance: raw.provenance,
        sources: raw.sources,
        window: raw.window,
        saturation: raw.saturation,
        tolerance: raw.tolerance,
        target_year: raw.target_year,
        country: raw.country,
        reference: raw.reference,
        base_year: raw.base_year,
        spheres: raw.spheres.into_iter().map(Spanned::into_inner).collect(),
        indicators: raw
            .indicators
            .into_iter()
            .map(|i| {
                let r = i.into_inner();
                PerfIndicator {
                    id: r.id,
                    name: r.name,
                    unit: r.unit,
                    polarity: r.polarity,
                    kind: r.kind,
                    sphere: r.sphere.into_inner(),
                    bodies: r.bodies,
                    applies_to: r.applies_to.unwrap_or_default(),
                    weight: r.weight.unwrap_or(1.0),
                    target: r.target,
                    source: r.source,
                }
            })
            .collect(),
        npi: raw
            .npi
            .into_iter()
            .map(|n| {
                let n = n.into_inner();
                NpiIndicator {
                    id: n.id,
                    name: n.name,
                    unit: n.unit,
                    polarity: n.polarity,
                }
            })
            .collect(),
        content_hash: hash::sha256_hex(text.as_bytes()),
    })
}

impl PerformancePack {
    /// Every body id the pack names, for checking against the registry.
    pub fn referenced_bodies(&self) -> Vec<&str> {
        let mut out: Vec<&str> = self
            .indicators
            .iter()
            .flat_map(|i| i.bodies.iter().flatten())
            .map(String::as_str)
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }
}

// ------------------------------------------------------------ series

/// One observed value of an indicator for an entity (a body, the country,
/// the reference) in a year.
#[derive(Debug, Clone, PartialEq)]
pub struct Observation {
    pub entity: String,
    pub indicator: String,
    pub year: i32,
    pub value: f64,
    pub source: Option<String>,
    /// The line of the input file (0 when generated).
    pub line: usize,
}

/// Series by (entity, indicator) → year → value.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Series {
    pub values: BTreeMap<(String, String), BTreeMap<i32, f64>>,
    pub demonstration: bool,
}

impl Series {
    pub fn from_observations<'a>(
        obs: impl IntoIterator<Item = &'a Observation>,
        demonstration: bool,
    ) -> Series {
        let mut s = Series {
            demonstration,
            ..Default::default()
        };
        for o in obs {
            s.values
                .entry((o.entity.clone(), o.indicator.clone()))
                .or_default()
                .insert(o.year, o.value);
        }
        s
    }

    pub fn get(&self, entity: &str, indicator: &str) -> Option<&BTreeMap<i32, f64>> {
        self.values
            .get(&(entity.to_string(), indicator.to_string()))
    }
}

/// The column names of an input series file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeriesLayout {
    /// `entity,indicator,year,value[,source]`.
    Tidy,
    /// SDMX-CSV: `REF_AREA`, `INDICATOR`, `TIME_PERIOD`, `OBS_VALUE`; other columns become the source.
    SdmxCsv,
}

/// Reads a series file. Every problem names the file, the line and the column.
pub fn parse_series(
    file: &str,
    text: &str,
    layout: SeriesLayout,
) -> Result<Vec<Observation>, Diagnostics> {
    let at = |line: usize, column: usize, message: String| Diagnostic {
        file: file.to_string(),
        line,
        column,
        message,
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| Diagnostics(vec![at(1, 1, format!("cannot read the header row: {e}"))]))?
        .clone();
    let (entity, indicator, year, value) = match layout {
        SeriesLayout::Tidy => ("entity", "indicator", "year", "value"),
        SeriesLayout::SdmxCsv => ("REF_AREA", "INDICATOR", "TIME_PERIOD", "OBS_VALUE"),
    };
    let col = |n: &str| headers.iter().position(|h| h == n);
    let missing: Vec<&str> = [entity, indicator, year, value]
        .into_iter()
        .filter(|c| col(c).is_none())
        .collect();
    if !missing.is_empty() {
        return Err(Diagnostics(vec![at(
            1,
            1,
            format!("missing column(s) {}", missing.join(", ")),
        )]));
    }
    let (ce, ci, cy, cv) = (
        col(entity).unwrap(),
        col(indicator).unwrap(),
        col(year).unwrap(),
        col(value).unwrap(),
    );
    let source_cols: Vec<usize> = match layout {
        SeriesLayout::Tidy => col("source").into_iter().collect(),
        SeriesLayout::SdmxCsv => (0..headers.len())
            .filter(|i| ![ce, ci, cy, cv].contains(i))
            .collect(),
    };
    let mut out = Vec::new();
    let mut errors = Vec::new();
    let mut seen = BTreeMap::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                errors.push(at(
                    e.position().map_or(0, |p| p.line() as usize),
                    1,
                    format!("malformed row: {e}"),
                ));
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line() as usize);
        let f = |c: usize| record.get(c).unwrap_or("");
        // SDMX periods may be "2021", "2021-A" or "2021-A1"; nothing else
        // (`20221` is a typing mistake, not 2022).
        let period = f(cy);
        let year_part = period
            .strip_suffix("-A1")
            .or_else(|| period.strip_suffix("-A"))
            .unwrap_or(period);
        let Some(y) = Some(year_part)
            .filter(|s| s.len() == 4 && s.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|s| s.parse::<i32>().ok())
        else {
            errors.push(at(line, cy + 1, format!("`{period}` is not a year")));
            continue;
        };
        let raw = f(cv);
        if raw.is_empty() || raw.eq_ignore_ascii_case("NaN") {
            continue; // no observation
        }
        let Some(v) = raw.parse::<f64>().ok().filter(|v| v.is_finite()) else {
            let shown: String = raw.chars().take(40).collect();
            errors.push(at(
                line,
                cv + 1,
                format!("value `{shown}` is not a finite number"),
            ));
            continue;
        };
        if f(ce).is_empty() || f(ci).is_empty() {
            errors.push(at(line, 1, "empty entity or indicator".into()));
            continue;
        }
        let key = (f(ce).to_string(), f(ci).to_string(), y);
        if let Some(first) = seen.insert(key, line) {
            errors.push(at(
                line,
                1,
                format!(
                    "duplicate observation of `{}`, `{}`, {y} (first on line {first})",
                    f(ce),
                    f(ci)
                ),
            ));
            continue;
        }
        let source: Vec<String> = source_cols
            .iter()
            .map(|&c| f(c))
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect();
        out.push(Observation {
            entity: f(ce).to_string(),
            indicator: f(ci).to_string(),
            year: y,
            value: v,
            source: (!source.is_empty()).then(|| source.join("; ")),
            line,
        });
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(Diagnostics(errors))
    }
}

/// Checks observations against a pack and the registry: known indicators,
/// known entities, and indicators that apply to the entity.
pub fn check_series(
    file: &str,
    obs: &[Observation],
    pack: &PerformancePack,
    registry: &Registry,
) -> Result<(), Diagnostics> {
    let mut errors = Vec::new();
    for o in obs {
        let known = if o.entity == pack.country || o.entity == pack.reference {
            pack.npi.iter().any(|n| n.id == o.indicator)
        } else if let Some(b) = registry.body(&o.entity) {
            pack.indicators
                .iter()
                .any(|i| i.id == o.indicator && i.applies(&b.id, b.kind))
        } else {
            errors.push(Diagnostic {
                file: file.into(),
                line: o.line,
                column: 1,
                message: format!(
                    "unknown entity `{}` (a body id, `{}` or `{}`)",
                    o.entity, pack.country, pack.reference
                ),
            });
            continue;
        };
        if !known {
            errors.push(Diagnostic {
                file: file.into(),
                line: o.line,
                column: 2,
                message: format!(
                    "`{}` is not an indicator of `{}` in the pack `{}`",
                    o.indicator, o.entity, pack.id
                ),
            });
        }
    }
    errors.dedup();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Diagnostics(errors))
    }
}

// ------------------------------------------------------------ GPI

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Trend {
    OnTrack,
    ModeratelyImproving,
    Stagnating,
    Decreasing,
}

impl Trend {
    pub fn label(self) -> &'static str {
        match self {
            Trend::OnTrack => "on track",
            Trend::ModeratelyImproving => "moderately improving",
            Trend::Stagnating => "stagnating",
            Trend::Decreasing => "decreasing",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndicatorResult {
    pub indicator: String,
    pub sphere: String,
    /// The values in the window, by year.
    pub values: BTreeMap<i32, f64>,
    /// OLS slope, units a year (None: not counted).
    pub slope: Option<f64>,
    pub level: Option<f64>,
    /// Polarity-adjusted relative annual change.
    pub change: Option<f64>,
    pub score: Option<f64>,
    pub regresses: bool,
    pub trend: Option<Trend>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SphereResult {
    pub sphere: String,
    pub score: Option<f64>,
    pub change: Option<f64>,
    pub risk: bool,
    pub indicators: Vec<IndicatorResult>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GpiResult {
    pub body: String,
    pub kind: Kind,
    pub gpi: Option<f64>,
    pub rank: Option<u32>,
    pub spheres: Vec<SphereResult>,
}

impl GpiResult {
    pub fn risk_indicators(&self) -> impl Iterator<Item = &IndicatorResult> {
        self.spheres
            .iter()
            .flat_map(|s| &s.indicators)
            .filter(|i| i.regresses)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GpiAssessment {
    pub year: i32,
    pub pack_id: String,
    pub pack_hash: String,
    pub demonstration: bool,
    pub results: Vec<GpiResult>,
}

/// Ordinary least-squares slope of y on x.
pub fn ols_slope(points: &[(f64, f64)]) -> Option<f64> {
    let n = points.len() as f64;
    if points.len() < 2 {
        return None;
    }
    let mx = points.iter().map(|p| p.0).sum::<f64>() / n;
    let my = points.iter().map(|p| p.1).sum::<f64>() / n;
    let sxx: f64 = points.iter().map(|p| (p.0 - mx).powi(2)).sum();
    (sxx > 0.0).then(|| points.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum::<f64>() / sxx)
}

fn sign(p: Polarity) -> f64 {
    match p {
        Polarity::Higher => 1.0,
        Polarity::Lower => -1.0,
    }
}

/// The SDSN-style trend class of an indicator with a target.
pub fn trend(latest: f64, slope: f64, target: f64, polarity: Polarity, years_left: i32) -> Trend {
    let s = sign(polarity);
    let gap = s * (target - latest);
    if gap <= 0.0 {
        return Trend::OnTrack;
    }
    let needed = gap / f64::from(years_left.max(1));
    let observed = s * slope;
    if observed >= needed {
        Trend::OnTrack
    } else if observed >= needed / 2.0 {
        Trend::ModeratelyImproving
    } else if observed > 0.0 {
        Trend::Stagnating
    } else {
        Trend::Decreasing
    }
}

fn score_indicator(
    pack: &PerformancePack,
    ind: &PerfIndicator,
    series: Option<&BTreeMap<i32, f64>>,
) -> IndicatorResult {
    let (from, to) = (pack.year - pack.window, pack.year);
    let values: BTreeMap<i32, f64> = series
        .map(|s| s.range(from..=to).map(|(y, v)| (*y, *v)).collect())
        .unwrap_or_default();
    let mut r = IndicatorResult {
        indicator: ind.id.clone(),
        sphere: ind.sphere.clone(),
        values: values.clone(),
        slope: None,
        level: None,
        change: None,
        score: None,
        regresses: false,
        trend: None,
        note: None,
    };
    let has_end = values.contains_key(&from) || values.contains_key(&to);
    if values.len() < 2 || !has_end {
        r.note = Some(format!(
            "not counted: {} value(s) in {from}-{to}",
            values.len()
        ));
        return r;
    }
    let points: Vec<(f64, f64)> = values.iter().map(|(y, v)| (f64::from(*y), *v)).collect();
    let slope = ols_slope(&points).expect("two distinct years");
    let level = values.values().map(|v| v.abs()).sum::<f64>() / values.len() as f64;
    if level == 0.0 {
        r.note = Some("not counted: every value is 0".into());
        return r;
    }
    let change = sign(ind.polarity) * slope / level;
    r.slope = Some(slope);
    r.level = Some(level);
    r.change = Some(change);
    r.score = Some((50.0 + 50.0 * change / pack.saturation).clamp(0.0, 100.0));
    r.regresses = change < -pack.tolerance;
    if let (Some(target), Some((_, latest))) = (ind.target, values.iter().next_back()) {
        r.trend = Some(trend(
            *latest,
            slope,
            target,
            ind.polarity,
            pack.target_year - pack.year,
        ));
    }
    r
}

/// Scores every body evaluated in the pack's year that has indicators.
pub fn gpi(pack: &PerformancePack, registry: &Registry, series: &Series) -> GpiAssessment {
    let mut results: Vec<GpiResult> = registry
        .evaluated_in(pack.year)
        .into_iter()
        .filter(|b| b.kind != Kind::Other)
        .filter_map(|b| {
            let inds: Vec<&PerfIndicator> = pack
                .indicators
                .iter()
                .filter(|i| i.applies(&b.id, b.kind))
                .collect();
            if inds.is_empty() {
                return None;
            }
            let mut spheres: Vec<SphereResult> = Vec::new();
            for sphere in &pack.spheres {
                let mine: Vec<&&PerfIndicator> =
                    inds.iter().filter(|i| i.sphere == sphere.id).collect();
                if mine.is_empty() {
                    continue;
                }
                let indicators: Vec<IndicatorResult> = mine
                    .iter()
                    .map(|i| score_indicator(pack, i, series.get(&b.id, &i.id)))
                    .collect();
                let counted: Vec<(&IndicatorResult, f64)> = indicators
                    .iter()
                    .zip(&mine)
                    .filter(|(r, _)| r.score.is_some())
                    .map(|(r, i)| (r, i.weight))
                    .collect();
                let wsum: f64 = counted.iter().map(|(_, w)| w).sum();
                let (score, change) = if wsum > 0.0 {
                    (
                        Some(
                            counted
                                .iter()
                                .map(|(r, w)| r.score.unwrap() * w)
                                .sum::<f64>()
                                / wsum,
                        ),
                        Some(
                            counted
                                .iter()
                                .map(|(r, w)| r.change.unwrap() * w)
                                .sum::<f64>()
                                / wsum,
                        ),
                    )
                } else {
                    (None, None)
                };
                spheres.push(SphereResult {
                    sphere: sphere.id.clone(),
                    score,
                    change,
                    risk: change.is_some_and(|c| c < -pack.tolerance),
                    indicators,
                });
            }
            let scored: Vec<f64> = spheres.iter().filter_map(|s| s.score).collect();
            let gpi =
                (!scored.is_empty()).then(|| scored.iter().sum::<f64>() / scored.len() as f64);
            Some(GpiResult {
                body: b.id.clone(),
                kind: b.kind,
                gpi,
                rank: None,
                spheres,
            })
        })
        .collect();
    // Ranks within kind, ties sharing the best rank (on values rounded to two decimals).
    let keys: Vec<(Kind, Option<i64>)> = results
        .iter()
        .map(|r| (r.kind, r.gpi.map(|g| (g * 100.0).round() as i64)))
        .collect();
    for (i, r) in results.iter_mut().enumerate() {
        if let (k, Some(g)) = keys[i] {
            r.rank = Some(
                1 + keys
                    .iter()
                    .filter(|(kk, o)| *kk == k && o.is_some_and(|o| o > g))
                    .count() as u32,
            );
        }
    }
    results.sort_by(|a, b| {
        a.kind
            .cmp(&b.kind)
            .then(a.rank.unwrap_or(u32::MAX).cmp(&b.rank.unwrap_or(u32::MAX)))
            .then(a.body.cmp(&b.body))
    });
    GpiAssessment {
        year: pack.year,
        pack_id: pack.id.clone(),
        pack_hash: pack.content_hash.clone(),
        demonstration: series.demonstration,
        results,
    }
}

// ------------------------------------------------------------ NPI

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NpiIndicatorResult {
    pub indicator: String,
    pub value: Option<f64>,
    pub reference: Option<f64>,
    pub base: Option<f64>,
    /// 100 · country / OECD, polarity-adjusted.
    pub vs_reference: Option<f64>,
    /// 100 · value / base-year value, polarity-adjusted.
    pub vs_base: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NpiResult {
    pub year: i32,
    pub base_year: i32,
    pub vs_reference: Option<f64>,
    pub vs_base: Option<f64>,
    pub demonstration: bool,
    /// Sorted from the largest lag behind the reference.
    pub indicators: Vec<NpiIndicatorResult>,
}

fn ratio(x: f64, against: f64, polarity: Polarity) -> Option<f64> {
    match polarity {
        Polarity::Higher if against != 0.0 => Some(100.0 * x / against),
        Polarity::Lower if x != 0.0 => Some(100.0 * against / x),
        _ => None,
    }
}

pub fn npi(pack: &PerformancePack, series: &Series, year: i32) -> NpiResult {
    let mut indicators: Vec<NpiIndicatorResult> = pack
        .npi
        .iter()
        .map(|n| {
            let country = series.get(&pack.country, &n.id);
            let value = country.and_then(|s| s.get(&year)).copied();
            let base = country.and_then(|s| s.get(&pack.base_year)).copied();
            let reference = series
                .get(&pack.reference, &n.id)
                .and_then(|s| s.get(&year))
                .copied();
            NpiIndicatorResult {
                indicator: n.id.clone(),
                value,
                reference,
                base,
                vs_reference: value
                    .zip(reference)
                    .and_then(|(x, r)| ratio(x, r, n.polarity)),
                vs_base: value.zip(base).and_then(|(x, b)| ratio(x, b, n.polarity)),
            }
        })
        .collect();
    let mean = |f: fn(&NpiIndicatorResult) -> Option<f64>| {
        let v: Vec<f64> = indicators.iter().filter_map(f).collect();
        (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64)
    };
    let (vs_reference, vs_base) = (mean(|i| i.vs_reference), mean(|i| i.vs_base));
    indicators.sort_by(|a, b| {
        a.vs_reference
            .unwrap_or(f64::MAX)
            .total_cmp(&b.vs_reference.unwrap_or(f64::MAX))
            .then(a.indicator.cmp(&b.indicator))
    });
    NpiResult {
        year,
        base_year: pack.base_year,
        vs_reference,
        vs_base,
        demonstration: series.demonstration,
        indicators,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ols_slope_by_hand() {
        // (2020, 10), (2021, 12), (2022, 11), (2023, 15): mean x 2021.5, mean y 12;
        // Σ(dx·dy) = (-1.5)(-2) + (-0.5)(0) + (0.5)(-1) + (1.5)(3) = 3 - 0.5 + 4.5 = 7; Σdx² = 5; slope 1.4.
        let s = ols_slope(&[
            (2020.0, 10.0),
            (2021.0, 12.0),
            (2022.0, 11.0),
            (2023.0, 15.0),
        ])
        .unwrap();
        assert!((s - 1.4).abs() < 1e-12);
        assert_eq!(ols_slope(&[(2020.0, 1.0)]), None);
    }

    #[test]
    fn trend_classes() {
        // Target 80 by 2030 from 70 in 2023: 10 / 7 = 1.4286 a year needed.
        assert_eq!(trend(70.0, 1.5, 80.0, Polarity::Higher, 7), Trend::OnTrack);
        assert_eq!(
            trend(70.0, 0.8, 80.0, Polarity::Higher, 7),
            Trend::ModeratelyImproving
        );
        assert_eq!(
            trend(70.0, 0.2, 80.0, Polarity::Higher, 7),
            Trend::Stagnating
        );
        assert_eq!(
            trend(70.0, -0.1, 80.0, Polarity::Higher, 7),
            Trend::Decreasing
        );
        assert_eq!(trend(85.0, -5.0, 80.0, Polarity::Higher, 7), Trend::OnTrack);
        // Lower is better: from 10 to 3 needs −1 a year; −0.6 is more than half of that.
        assert_eq!(
            trend(10.0, -0.6, 3.0, Polarity::Lower, 7),
            Trend::ModeratelyImproving
        );
    }
}
