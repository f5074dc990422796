//! Methodology packs: one year's methodology as a declarative TOML file
//! (format documented in `docs/methodology-packs.md`), validated into a
//! [`Methodology`] that the scoring engine runs.

use crate::diagnostics::{Diagnostic, Diagnostics, SourceMap};
use crate::expr::{Expr, Type};
use crate::{Kind, Names, hash};
use serde::{Deserialize, Deserializer, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet};
use toml::Spanned;

/// Tolerance for the sum checks of points.
const SUM_TOLERANCE: f64 = 1e-6;

// ---------------------------------------------------------------- compiled model

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Polarity {
    Higher,
    Lower,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Band {
    pub id: String,
    pub min: f64,
    pub name: Names,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Indicator {
    pub id: String,
    pub name: Names,
    pub unit: Unit,
    pub polarity: Polarity,
    pub applies_to: Vec<Kind>,
    pub description: Option<String>,
    /// The computed indicator its values come from, as `pack:count`
    /// (`services:breaches`): counted from records rather than reported.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub computed: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Unit {
    Count,
    Percent,
    Share,
    Ratio,
    Tenge,
    Days,
    Points,
    Score,
    Status,
}

impl Unit {
    /// Checks a reported value against the unit's range.
    pub fn check(self, value: f64) -> Result<(), String> {
        if !value.is_finite() {
            return Err("is not a finite number".into());
        }
        match self {
            Unit::Count if value < 0.0 => Err("a count cannot be negative".into()),
            Unit::Percent if !(0.0..=100.0).contains(&value) => {
                Err("a percent must be between 0 and 100".into())
            }
            Unit::Share if !(0.0..=1.0).contains(&value) => {
                Err("a share must be between 0 and 1".into())
            }
            Unit::Status if ![0.0, 0.5, 1.0].contains(&value) => {
                Err("a status must be 1 (complied), 0.5 (partially) or 0 (not complied)".into())
            }
            _ => Ok(()),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Block {
    pub id: String,
    pub name: Names,
    pub points: f64,
    pub directions: Vec<Direction>,
}

#[derive(Debug, Clone)]
pub struct Direction {
    pub id: String,
    pub name: Names,
    pub points: f64,
    pub authorized_body: String,
    pub applies_to: Vec<Kind>,
    pub criteria: Vec<Criterion>,
}

#[derive(Debug, Clone)]
pub struct Criterion {
    pub id: String,
    pub name: Names,
    pub points: f64,
    pub applies_to: Vec<Kind>,
    /// Only these bodies (when set).
    pub bodies: Option<Vec<String>>,
    pub except_bodies: Vec<String>,
    pub rule: Rule,
    /// The rule in one line ([`Rule::describe`]), computed once at load.
    pub rule_text: String,
}

impl Criterion {
    pub fn is_bonus(&self) -> bool {
        matches!(self.rule, Rule::Bonus { .. })
    }

    pub fn applies(&self, body: &str, kind: Kind) -> bool {
        self.applies_to.contains(&kind)
            && self
                .bodies
                .as_ref()
                .is_none_or(|b| b.iter().any(|x| x == body))
            && !self.except_bodies.iter().any(|x| x == body)
    }
}

#[derive(Debug, Clone)]
pub struct ThresholdRow {
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub points: f64,
}

#[derive(Debug, Clone)]
pub struct ChecklistItem {
    pub id: String,
    pub indicator: usize,
    pub points: f64,
}

#[derive(Debug, Clone)]
pub enum Rule {
    Ratio {
        fact: Expr,
        plan: Expr,
        polarity: Polarity,
        cap: f64,
    },
    Share {
        numerator: Expr,
        denominator: Expr,
        polarity: Polarity,
        target: f64,
    },
    Thresholds {
        value: Expr,
        table: Vec<ThresholdRow>,
    },
    Linear {
        value: Expr,
        worst: f64,
        best: f64,
    },
    Checklist {
        items: Vec<ChecklistItem>,
        partial_deduction: f64,
    },
    Penalty {
        count: Expr,
        per_unit: f64,
        floor: f64,
    },
    Bonus {
        value: Expr,
        per_unit: f64,
    },
    Expression {
        points: Expr,
    },
}

impl Rule {
    pub fn kind(&self) -> &'static str {
        match self {
            Rule::Ratio { .. } => "ratio",
            Rule::Share { .. } => "share",
            Rule::Thresholds { .. } => "thresholds",
            Rule::Linear { .. } => "linear",
            Rule::Checklist { .. } => "checklist",
            Rule::Penalty { .. } => "penalty",
            Rule::Bonus { .. } => "bonus",
            Rule::Expression { .. } => "expression",
        }
    }

    /// Indices of every indicator the rule reads, sorted and unique.
    pub fn indicators(&self) -> Vec<usize> {
        let mut out: Vec<usize> = match self {
            Rule::Ratio { fact, plan, .. } => [fact, plan]
                .iter()
                .flat_map(|e| e.indicators())
                .copied()
                .collect(),
            Rule::Share {
                numerator,
                denominator,
                ..
            } => [numerator, denominator]
                .iter()
                .flat_map(|e| e.indicators())
                .copied()
                .collect(),
            Rule::Thresholds { value, .. }
            | Rule::Linear { value, .. }
            | Rule::Bonus { value, .. } => value.indicators().to_vec(),
            Rule::Penalty { count, .. } => count.indicators().to_vec(),
            Rule::Expression { points } => points.indicators().to_vec(),
            Rule::Checklist { items, .. } => items.iter().map(|i| i.indicator).collect(),
        };
        out.sort_unstable();
        out.dedup();
        out
    }

    /// The rule and its parameters in one line, for explanations and diffs.
    pub fn describe(&self, indicators: &[Indicator]) -> String {
        let pol = |p: &Polarity| match p {
            Polarity::Higher => "higher",
            Polarity::Lower => "lower",
        };
        match self {
            Rule::Ratio {
                fact,
                plan,
                polarity,
                cap,
            } => format!(
                "ratio: fact = {}, plan = {}, polarity {}, cap {}",
                fact.source(),
                plan.source(),
                pol(polarity),
                fmt_num(*cap)
            ),
            Rule::Share {
                numerator,
                denominator,
                polarity,
                target,
            } => format!(
                "share: {} / {}, polarity {}, target {}",
                numerator.source(),
                denominator.source(),
                pol(polarity),
                fmt_num(*target)
            ),
            Rule::Thresholds { value, table } => {
                let rows: Vec<String> = table
                    .iter()
                    .map(|r| {
                        let lo = r.min.map_or("-inf".to_string(), fmt_num);
                        let hi = r.max.map_or("+inf".to_string(), fmt_num);
                        format!("[{lo}, {hi}) -> {}", fmt_num(r.points))
                    })
                    .collect();
                format!("thresholds on {}: {}", value.source(), rows.join("; "))
            }
            Rule::Linear { value, worst, best } => format!(
                "linear on {}: 0 at {}, full at {}",
                value.source(),
                fmt_num(*worst),
                fmt_num(*best)
            ),
            Rule::Checklist {
                items,
                partial_deduction,
            } => {
                let list: Vec<String> = items
                    .iter()
                    .map(|i| {
                        format!(
                            "{} ({}) {}",
                            i.id,
                            indicators[i.indicator].id,
                            fmt_num(i.points)
                        )
                    })
                    .collect();
                format!(
                    "checklist, partial deduction {}: {}",
                    fmt_num(*partial_deduction),
                    list.join(", ")
                )
            }
            Rule::Penalty {
                count,
                per_unit,
                floor,
            } => format!(
                "penalty: {} per unit of {}, floor {}",
                fmt_num(*per_unit),
                count.source(),
                fmt_num(*floor)
            ),
            Rule::Bonus { value, per_unit } => {
                format!(
                    "bonus: {} per unit of {}",
                    fmt_num(*per_unit),
                    value.source()
                )
            }
            Rule::Expression { points } => format!("expression: {}", points.source()),
        }
    }
}

/// Formats a number without trailing zeros (at most 4 decimals).
pub fn fmt_num(x: f64) -> String {
    let s = format!("{x:.4}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".to_string()
    } else {
        s.to_string()
    }
}

/// A validated methodology pack.
#[derive(Debug, Clone)]
pub struct Methodology {
    pub id: String,
    pub year: i32,
    pub track: String,
    pub scale: f64,
    pub title: Names,
    pub provenance: String,
    pub sources: Vec<String>,
    /// Sorted by `min`, highest first.
    pub bands: Vec<Band>,
    pub indicators: Vec<Indicator>,
    pub blocks: Vec<Block>,
    /// SHA-256 of the pack's text.
    pub content_hash: String,
    indicator_index: HashMap<String, usize>,
}

impl Methodology {
    pub fn indicator(&self, id: &str) -> Option<usize> {
        self.indicator_index.get(id).copied()
    }

    pub fn band_for(&self, total: f64) -> Option<&Band> {
        self.bands.iter().find(|b| total + 1e-9 >= b.min)
    }

    pub fn criteria(&self) -> impl Iterator<Item = (&Block, &Direction, &Criterion)> {
        self.blocks.iter().flat_map(|b| {
            b.directions
                .iter()
                .flat_map(move |d| d.criteria.iter().map(move |c| (b, d, c)))
        })
    }

    /// Every registry id the pack refers to (authorized bodies, named bodies).
    pub fn referenced_bodies(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for block in &self.blocks {
            for d in &block.directions {
                out.push(&d.authorized_body);
                for c in &d.criteria {
                    out.extend(c.bodies.iter().flatten().map(String::as_str));
                    out.extend(c.except_bodies.iter().map(String::as_str));
                }
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }
}

// ---------------------------------------------------------------- raw TOML

/// A number written as a TOML integer or float.
#[derive(Debug, Clone, Copy)]
struct Num(f64);

impl<'de> Deserialize<'de> for Num {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Num;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a number")
            }
            fn visit_i64<E>(self, v: i64) -> Result<Num, E> {
                Ok(Num(v as f64))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Num, E> {
                Ok(Num(v as f64))
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Num, E> {
                if v.is_finite() {
                    Ok(Num(v))
                } else {
                    Err(E::custom("a number must be finite"))
                }
            }
        }
        d.deserialize_any(V)
    }
}

type S<T> = Spanned<T>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPack {
    format: S<u32>,
    id: S<String>,
    year: S<i32>,
    #[serde(default)]
    track: Option<String>,
    scale: S<Num>,
    title: Names,
    #[serde(default)]
    provenance: String,
    #[serde(default)]
    sources: Vec<String>,
    #[serde(default, rename = "band")]
    bands: Vec<S<RawBand>>,
    #[serde(default, rename = "indicator")]
    indicators: Vec<S<RawIndicator>>,
    #[serde(default, rename = "block")]
    blocks: Vec<S<RawBlock>>,
    #[serde(default, rename = "direction")]
    directions: Vec<S<RawDirection>>,
    #[serde(default, rename = "criterion")]
    criteria: Vec<S<RawCriterion>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBand {
    id: S<String>,
    min: S<Num>,
    name: Names,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIndicator {
    id: S<String>,
    name: Names,
    unit: Unit,
    #[serde(default = "higher")]
    polarity: Polarity,
    #[serde(default)]
    applies_to: Option<Vec<Kind>>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    computed: Option<S<String>>,
}

fn higher() -> Polarity {
    Polarity::Higher
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBlock {
    id: S<String>,
    name: Names,
    points: S<Num>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDirection {
    id: S<String>,
    block: S<String>,
    name: Names,
    points: S<Num>,
    authorized_body: S<String>,
    #[serde(default)]
    applies_to: Option<Vec<Kind>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCriterion {
    id: S<String>,
    direction: S<String>,
    name: Names,
    points: S<Num>,
    #[serde(default)]
    applies_to: Option<Vec<Kind>>,
    #[serde(default)]
    bodies: Option<Vec<String>>,
    #[serde(default)]
    except_bodies: Vec<String>,
    #[serde(default)]
    rule: Option<S<RawRule>>,
}

/// Every field any rule kind uses; which ones a kind allows is checked after
/// parsing, so that the error can say "field `cap` is not used by `share`".
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    kind: S<String>,
    fact: Option<S<String>>,
    plan: Option<S<String>>,
    numerator: Option<S<String>>,
    denominator: Option<S<String>>,
    value: Option<S<String>>,
    count: Option<S<String>>,
    points: Option<S<String>>,
    polarity: Option<S<Polarity>>,
    cap: Option<S<Num>>,
    target: Option<S<Num>>,
    worst: Option<S<Num>>,
    best: Option<S<Num>>,
    per_unit: Option<S<Num>>,
    floor: Option<S<Num>>,
    partial_deduction: Option<S<Num>>,
    table: Option<Vec<S<RawThreshold>>>,
    items: Option<Vec<S<RawItem>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawThreshold {
    min: Option<Num>,
    max: Option<Num>,
    points: Num,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawItem {
    id: String,
    indicator: S<String>,
    points: Num,
}

const RULE_KINDS: &str = "ratio, share, thresholds, linear, checklist, penalty, bonus, expression";

// ---------------------------------------------------------------- loading

/// Parses and validates a pack. `file` names the source in diagnostics.
/// Every problem found is reported, not only the first.
pub fn load(file: &str, text: &str) -> Result<Methodology, Diagnostics> {
    let map = SourceMap::new(file, text);
    let raw: RawPack = toml::from_str(text).map_err(|e| Diagnostics(vec![map.toml_error(&e)]))?;
    let mut v = Validator {
        map: &map,
        errors: Vec::new(),
    };
    let methodology = v.build(raw, text);
    if v.errors.is_empty() {
        Ok(methodology)
    } else {
        v.errors.sort_by_key(|d| (d.line, d.column));
        Err(Diagnostics(v.errors))
    }
}

struct Validator<'a> {
    map: &'a SourceMap<'a>,
    errors: Vec<Diagnostic>,
}

fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && id.starts_with(|c: char| c.is_ascii_lowercase())
}

impl Validator<'_> {
    fn err(&mut self, offset: usize, message: impl Into<String>) {
        self.errors.push(self.map.at(offset, message));
    }

    fn check_id(
        &mut self,
        what: &str,
        id: &S<String>,
        seen: &mut HashMap<String, &'static str>,
        level: &'static str,
    ) {
        if !valid_id(id.get_ref()) {
            self.err(
                id.span().start,
                format!("{what} id `{}` must be lower-case letters, digits and `_`, starting with a letter", id.get_ref()),
            );
        }
        if let Some(prev) = seen.insert(id.get_ref().clone(), level) {
            self.err(
                id.span().start,
                format!(
                    "duplicate id `{}` (already used by {} {prev})",
                    id.get_ref(),
                    if prev.starts_with(['a', 'e', 'i', 'o', 'u']) {
                        "an"
                    } else {
                        "a"
                    }
                ),
            );
        }
    }

    fn build(&mut self, raw: RawPack, text: &str) -> Methodology {
        if *raw.format.get_ref() != 1 {
            self.err(
                raw.format.span().start,
                format!(
                    "unsupported pack format {} (this version reads format 1)",
                    raw.format.get_ref()
                ),
            );
        }
        if !valid_id(raw.id.get_ref().replace('-', "_").as_str()) {
            self.err(
                raw.id.span().start,
                "pack id must be lower-case letters, digits, `-` and `_`",
            );
        }
        let scale = raw.scale.get_ref().0;
        if scale <= 0.0 {
            self.err(raw.scale.span().start, "scale must be positive");
        }

        // Bands.
        let mut bands = Vec::new();
        let mut band_ids = HashSet::new();
        for b in &raw.bands {
            let b = b.get_ref();
            if !band_ids.insert(b.id.get_ref().clone()) {
                self.err(
                    b.id.span().start,
                    format!("duplicate band id `{}`", b.id.get_ref()),
                );
            }
            if bands.iter().any(|x: &Band| x.min == b.min.get_ref().0) {
                self.err(
                    b.min.span().start,
                    format!("two bands share min = {}", fmt_num(b.min.get_ref().0)),
                );
            }
            bands.push(Band {
                id: b.id.get_ref().clone(),
                min: b.min.get_ref().0,
                name: b.name.clone(),
            });
        }
        for b in &raw.bands {
            let min = b.get_ref().min.get_ref().0;
            if min > scale || min < 0.0 {
                self.err(
                    b.get_ref().min.span().start,
                    format!(
                        "band `{}`: min {} is outside the scale 0..{}",
                        b.get_ref().id.get_ref(),
                        fmt_num(min),
                        fmt_num(scale)
                    ),
                );
            }
        }
        if !bands.iter().any(|b| b.min <= 0.0) {
            let at = raw
                .bands
                .first()
                .map_or(0, |b| b.get_ref().min.span().start);
            self.err(
                at,
                "the bands need one with `min = 0`, so that every total gets a band",
            );
        }
        bands.sort_by(|a, b| b.min.total_cmp(&a.min));

        // Indicators.
        let mut seen_ind: HashMap<String, &'static str> = HashMap::new();
        let mut indicators = Vec::new();
        for ind in &raw.indicators {
            let ind = ind.get_ref();
            self.check_id("indicator", &ind.id, &mut seen_ind, "indicator");
            if let Some(c) = &ind.computed
                && !c
                    .get_ref()
                    .split_once(':')
                    .is_some_and(|(pack, name)| valid_id(pack) && valid_id(name))
            {
                self.err(
                    c.span().start,
                    format!(
                        "computed `{}` must name a pack and one of its counts or indicators, as `services:breaches`",
                        c.get_ref()
                    ),
                );
            }
            indicators.push(Indicator {
                id: ind.id.get_ref().clone(),
                name: ind.name.clone(),
                unit: ind.unit,
                polarity: ind.polarity,
                applies_to: ind.applies_to.clone().unwrap_or(Kind::RANKED.to_vec()),
                description: ind.description.clone(),
                computed: ind.computed.as_ref().map(|c| c.get_ref().clone()),
            });
        }
        let indicator_index: HashMap<String, usize> = indicators
            .iter()
            .enumerate()
            .map(|(i, ind)| (ind.id.clone(), i))
            .collect();

        // Tree: blocks, directions, criteria; ids unique across the three levels.
        let mut seen: HashMap<String, &'static str> = HashMap::new();
        let mut blocks: Vec<Block> = Vec::new();
        let mut block_pos: HashMap<String, usize> = HashMap::new();
        let mut spans: HashMap<String, usize> = HashMap::new();
        for b in &raw.blocks {
            let b = b.get_ref();
            self.check_id("block", &b.id, &mut seen, "block");
            spans.insert(b.id.get_ref().clone(), b.id.span().start);
            block_pos.insert(b.id.get_ref().clone(), blocks.len());
            blocks.push(Block {
                id: b.id.get_ref().clone(),
                name: b.name.clone(),
                points: self.positive(&b.points),
                directions: Vec::new(),
            });
        }
        let mut dir_pos: HashMap<String, (usize, usize)> = HashMap::new();
        for d in &raw.directions {
            let d = d.get_ref();
            self.check_id("direction", &d.id, &mut seen, "direction");
            spans.insert(d.id.get_ref().clone(), d.id.span().start);
            let Some(&bi) = block_pos.get(d.block.get_ref()) else {
                let msg = match seen.get(d.block.get_ref()) {
                    Some(level) => format!(
                        "direction `{}`: `{}` is a {level}, not a block",
                        d.id.get_ref(),
                        d.block.get_ref()
                    ),
                    None => format!(
                        "direction `{}`: unknown block `{}`",
                        d.id.get_ref(),
                        d.block.get_ref()
                    ),
                };
                self.err(d.block.span().start, msg);
                continue;
            };
            if !valid_id(d.authorized_body.get_ref()) {
                self.err(
                    d.authorized_body.span().start,
                    "authorized_body must be a registry id",
                );
            }
            let direction = Direction {
                id: d.id.get_ref().clone(),
                name: d.name.clone(),
                points: self.positive(&d.points),
                authorized_body: d.authorized_body.get_ref().clone(),
                applies_to: d.applies_to.clone().unwrap_or(Kind::RANKED.to_vec()),
                criteria: Vec::new(),
            };
            dir_pos.insert(direction.id.clone(), (bi, blocks[bi].directions.len()));
            blocks[bi].directions.push(direction);
        }
        let names = |name: &str| indicator_index.get(name).copied();
        // The points of every criterion with a known direction, for the sum
        // checks: these run even when some rule is wrong, so that all problems
        // are reported together.
        let mut shares: Vec<Share> = Vec::new();
        let mut structure_ok = self.errors.is_empty();
        for c in &raw.criteria {
            let c_ref = c.get_ref();
            self.check_id("criterion", &c_ref.id, &mut seen, "criterion");
            spans.insert(c_ref.id.get_ref().clone(), c_ref.id.span().start);
            let Some(&(bi, di)) = dir_pos.get(c_ref.direction.get_ref()) else {
                let msg = match seen.get(c_ref.direction.get_ref()) {
                    // A direction refused above (its block is unknown, say).
                    Some(level) if *level == "direction" => format!(
                        "criterion `{}`: its direction `{}` has an error of its own, reported above",
                        c_ref.id.get_ref(),
                        c_ref.direction.get_ref()
                    ),
                    Some(level) => format!(
                        "criterion `{}`: `{}` is a {level}, not a direction",
                        c_ref.id.get_ref(),
                        c_ref.direction.get_ref()
                    ),
                    None => format!(
                        "criterion `{}`: unknown direction `{}`",
                        c_ref.id.get_ref(),
                        c_ref.direction.get_ref()
                    ),
                };
                self.err(c_ref.direction.span().start, msg);
                structure_ok = false;
                continue;
            };
            let points = self.positive(&c_ref.points);
            let is_bonus = c_ref
                .rule
                .as_ref()
                .is_some_and(|r| r.get_ref().kind.get_ref() == "bonus");
            shares.push(Share {
                direction: c_ref.direction.get_ref().clone(),
                points,
                kinds: c_ref.applies_to.clone().unwrap_or(Kind::RANKED.to_vec()),
                counted: !is_bonus && c_ref.bodies.is_none(),
            });
            let Some(raw_rule) = &c_ref.rule else {
                self.err(c.span().start, format!("criterion `{}` has no rule (add a [criterion.rule] table with a `kind`: {RULE_KINDS})", c_ref.id.get_ref()));
                continue;
            };
            let Some(rule) = self.rule(c_ref.id.get_ref(), raw_rule, points, &names, &indicators)
            else {
                continue;
            };
            blocks[bi].directions[di].criteria.push(Criterion {
                id: c_ref.id.get_ref().clone(),
                name: c_ref.name.clone(),
                points,
                applies_to: c_ref.applies_to.clone().unwrap_or(Kind::RANKED.to_vec()),
                bodies: c_ref.bodies.clone(),
                except_bodies: c_ref.except_bodies.clone(),
                rule_text: rule.describe(&indicators),
                rule,
            });
        }

        if structure_ok {
            self.check_sums(scale, &blocks, &shares, &spans);
        }
        self.errors.sort_by_key(|d| (d.line, d.column));
        self.errors.dedup();

        Methodology {
            id: raw.id.into_inner(),
            year: raw.year.into_inner(),
            track: raw.track.unwrap_or_else(|| "operational".into()),
            scale,
            title: raw.title,
            provenance: raw.provenance,
            sources: raw.sources,
            bands,
            indicators,
            blocks,
            content_hash: hash::sha256_hex(text.as_bytes()),
            indicator_index,
        }
    }

    fn positive(&mut self, n: &S<Num>) -> f64 {
        let v = n.get_ref().0;
        if v <= 0.0 {
            self.err(n.span().start, "points must be positive");
        }
        v
    }

    fn expr(
        &mut self,
        owner: &str,
        field: &str,
        src: &S<String>,
        names: &dyn crate::expr::Names,
        want: Type,
    ) -> Option<Expr> {
        let base = string_content_start(self.map.text(), src.span(), src.get_ref());
        let at = |offset: usize| base.map_or(src.span().start, |b| b + offset);
        let place = |offset: usize| {
            if base.is_some() {
                String::new()
            } else {
                format!(" (at character {} of the expression)", offset + 1)
            }
        };
        match Expr::parse(src.get_ref(), names) {
            Ok(e) if e.ty() == want => Some(e),
            Ok(e) => {
                self.err(
                    at(0),
                    format!(
                        "criterion `{owner}`: `{field}` must be a {want} expression, found a {}",
                        e.ty()
                    ),
                );
                None
            }
            Err(e) => {
                self.err(
                    at(e.offset),
                    format!(
                        "criterion `{owner}`: {} in `{field}`{}",
                        e.message,
                        place(e.offset)
                    ),
                );
                None
            }
        }
    }

    fn rule(
        &mut self,
        owner: &str,
        raw: &S<RawRule>,
        points: f64,
        names: &dyn crate::expr::Names,
        indicators: &[Indicator],
    ) -> Option<Rule> {
        let at = raw.span().start;
        let r = raw.get_ref();
        let kind = r.kind.get_ref().as_str();
        let allowed: &[&str] = match kind {
            "ratio" => &["fact", "plan", "polarity", "cap"],
            "share" => &["numerator", "denominator", "polarity", "target"],
            "thresholds" => &["value", "table"],
            "linear" => &["value", "worst", "best"],
            "checklist" => &["items", "partial_deduction"],
            "penalty" => &["count", "per_unit", "floor"],
            "bonus" => &["value", "per_unit"],
            "expression" => &["points"],
            other => {
                self.err(
                    r.kind.span().start,
                    format!(
                        "criterion `{owner}`: unknown rule kind `{other}` (known: {RULE_KINDS})"
                    ),
                );
                return None;
            }
        };
        let present: [(&str, Option<usize>); 17] = [
            ("fact", r.fact.as_ref().map(|x| x.span().start)),
            ("plan", r.plan.as_ref().map(|x| x.span().start)),
            ("numerator", r.numerator.as_ref().map(|x| x.span().start)),
            (
                "denominator",
                r.denominator.as_ref().map(|x| x.span().start),
            ),
            ("value", r.value.as_ref().map(|x| x.span().start)),
            ("count", r.count.as_ref().map(|x| x.span().start)),
            ("points", r.points.as_ref().map(|x| x.span().start)),
            ("polarity", r.polarity.as_ref().map(|x| x.span().start)),
            ("cap", r.cap.as_ref().map(|x| x.span().start)),
            ("target", r.target.as_ref().map(|x| x.span().start)),
            ("worst", r.worst.as_ref().map(|x| x.span().start)),
            ("best", r.best.as_ref().map(|x| x.span().start)),
            ("per_unit", r.per_unit.as_ref().map(|x| x.span().start)),
            ("floor", r.floor.as_ref().map(|x| x.span().start)),
            (
                "partial_deduction",
                r.partial_deduction.as_ref().map(|x| x.span().start),
            ),
            (
                "table",
                r.table
                    .as_ref()
                    .and_then(|t| t.first())
                    .map(|x| x.span().start)
                    .or(r.table.as_ref().map(|_| at)),
            ),
            (
                "items",
                r.items
                    .as_ref()
                    .and_then(|t| t.first())
                    .map(|x| x.span().start)
                    .or(r.items.as_ref().map(|_| at)),
            ),
        ];
        let mut ok = true;
        for (field, pos) in present {
            if let Some(pos) = pos
                && !allowed.contains(&field)
            {
                self.err(pos, format!("criterion `{owner}`: field `{field}` is not used by rule kind `{kind}` (it takes: {})", allowed.join(", ")));
                ok = false;
            }
        }
        let need = |v: &mut Self, field: &str, x: Option<&S<String>>| -> Option<Expr> {
            match x {
                Some(s) => v.expr(owner, field, s, names, Type::Number),
                None => {
                    v.err(
                        at,
                        format!("criterion `{owner}`: rule `{kind}` needs `{field}`"),
                    );
                    None
                }
            }
        };
        let num_or = |x: &Option<S<Num>>, d: f64| x.as_ref().map_or(d, |n| n.get_ref().0);
        let polarity = r
            .polarity
            .as_ref()
            .map_or(Polarity::Higher, |p| *p.get_ref());
        let rule = match kind {
            "ratio" => {
                let fact = need(self, "fact", r.fact.as_ref());
                let plan = need(self, "plan", r.plan.as_ref());
                let cap = num_or(&r.cap, 1.0);
                if cap <= 0.0 {
                    self.err(
                        r.cap.as_ref().map_or(at, |c| c.span().start),
                        format!("criterion `{owner}`: cap must be positive"),
                    );
                    ok = false;
                }
                Rule::Ratio {
                    fact: fact?,
                    plan: plan?,
                    polarity,
                    cap,
                }
            }
            "share" => {
                let numerator = need(self, "numerator", r.numerator.as_ref());
                let denominator = need(self, "denominator", r.denominator.as_ref());
                let default = if polarity == Polarity::Higher {
                    1.0
                } else {
                    0.0
                };
                let target = num_or(&r.target, default);
                let bad = match polarity {
                    Polarity::Higher => target <= 0.0 || target > 1.0,
                    Polarity::Lower => !(0.0..1.0).contains(&target),
                };
                if bad {
                    self.err(r.target.as_ref().map_or(at, |c| c.span().start), format!("criterion `{owner}`: target must be a share in (0, 1] for `higher`, [0, 1) for `lower`"));
                    ok = false;
                }
                Rule::Share {
                    numerator: numerator?,
                    denominator: denominator?,
                    polarity,
                    target,
                }
            }
            "thresholds" => {
                let value = need(self, "value", r.value.as_ref());
                let mut table = Vec::new();
                match &r.table {
                    None => {
                        self.err(
                            at,
                            format!("criterion `{owner}`: rule `thresholds` needs `table`"),
                        );
                        ok = false;
                    }
                    Some(rows) => {
                        for row in rows {
                            let x = row.get_ref();
                            let (min, max) = (x.min.map(|n| n.0), x.max.map(|n| n.0));
                            if let (Some(lo), Some(hi)) = (min, max)
                                && lo >= hi
                            {
                                self.err(row.span().start, format!("criterion `{owner}`: threshold row with min {} not below max {}", fmt_num(lo), fmt_num(hi)));
                                ok = false;
                            }
                            if x.points.0 < 0.0 || x.points.0 > points + SUM_TOLERANCE {
                                self.err(row.span().start, format!("criterion `{owner}`: threshold row gives {} points, outside 0..{} (the criterion's points)", fmt_num(x.points.0), fmt_num(points)));
                                ok = false;
                            }
                            table.push(ThresholdRow {
                                min,
                                max,
                                points: x.points.0,
                            });
                        }
                        if rows.is_empty() {
                            self.err(
                                at,
                                format!("criterion `{owner}`: the thresholds table is empty"),
                            );
                            ok = false;
                        }
                    }
                }
                Rule::Thresholds {
                    value: value?,
                    table,
                }
            }
            "linear" => {
                let value = need(self, "value", r.value.as_ref());
                let (worst, best) = (
                    r.worst.as_ref().map(|n| n.get_ref().0),
                    r.best.as_ref().map(|n| n.get_ref().0),
                );
                match (worst, best) {
                    (Some(w), Some(b)) if w == b => {
                        self.err(
                            r.best.as_ref().map_or(at, |c| c.span().start),
                            format!("criterion `{owner}`: `worst` and `best` are equal"),
                        );
                        ok = false;
                    }
                    (Some(_), Some(_)) => {}
                    _ => {
                        self.err(
                            at,
                            format!("criterion `{owner}`: rule `linear` needs `worst` and `best`"),
                        );
                        ok = false;
                    }
                }
                Rule::Linear {
                    value: value?,
                    worst: worst.unwrap_or(0.0),
                    best: best.unwrap_or(1.0),
                }
            }
            "checklist" => {
                let partial_deduction = num_or(&r.partial_deduction, 0.1);
                if partial_deduction < 0.0 {
                    self.err(
                        r.partial_deduction.as_ref().map_or(at, |c| c.span().start),
                        format!("criterion `{owner}`: partial_deduction cannot be negative"),
                    );
                    ok = false;
                }
                let mut items = Vec::new();
                let mut ids = HashSet::new();
                for item in r.items.iter().flatten() {
                    let x = item.get_ref();
                    if !ids.insert(x.id.clone()) {
                        self.err(
                            item.span().start,
                            format!("criterion `{owner}`: duplicate checklist item `{}`", x.id),
                        );
                        ok = false;
                    }
                    if x.points.0 <= 0.0 {
                        self.err(
                            item.span().start,
                            format!(
                                "criterion `{owner}`: checklist item `{}` needs positive points",
                                x.id
                            ),
                        );
                        ok = false;
                    }
                    match names.resolve(x.indicator.get_ref()) {
                        Some(i) => {
                            if indicators[i].unit != Unit::Status {
                                self.err(x.indicator.span().start, format!("criterion `{owner}`: checklist item `{}` needs a `status` indicator, `{}` is `{:?}`", x.id, x.indicator.get_ref(), indicators[i].unit).to_lowercase());
                                ok = false;
                            }
                            items.push(ChecklistItem {
                                id: x.id.clone(),
                                indicator: i,
                                points: x.points.0,
                            });
                        }
                        None => {
                            self.err(x.indicator.span().start + 1, format!("criterion `{owner}`: unknown indicator `{}` in checklist item `{}`", x.indicator.get_ref(), x.id));
                            ok = false;
                        }
                    }
                }
                if items.is_empty() && ok {
                    self.err(
                        at,
                        format!("criterion `{owner}`: rule `checklist` needs `items`"),
                    );
                    ok = false;
                }
                Rule::Checklist {
                    items,
                    partial_deduction,
                }
            }
            "penalty" => {
                let count = need(self, "count", r.count.as_ref());
                let per_unit = num_or(&r.per_unit, f64::NAN);
                if per_unit.is_nan() || per_unit <= 0.0 {
                    self.err(
                        r.per_unit.as_ref().map_or(at, |c| c.span().start),
                        format!("criterion `{owner}`: rule `penalty` needs a positive `per_unit`"),
                    );
                    ok = false;
                }
                let floor = num_or(&r.floor, 0.0);
                if floor >= points {
                    self.err(
                        r.floor.as_ref().map_or(at, |c| c.span().start),
                        format!(
                            "criterion `{owner}`: floor {} must be below the criterion's points {}",
                            fmt_num(floor),
                            fmt_num(points)
                        ),
                    );
                    ok = false;
                }
                Rule::Penalty {
                    count: count?,
                    per_unit,
                    floor,
                }
            }
            "bonus" => {
                let value = need(self, "value", r.value.as_ref());
                let per_unit = num_or(&r.per_unit, f64::NAN);
                if per_unit.is_nan() || per_unit <= 0.0 {
                    self.err(
                        r.per_unit.as_ref().map_or(at, |c| c.span().start),
                        format!("criterion `{owner}`: rule `bonus` needs a positive `per_unit`"),
                    );
                    ok = false;
                }
                Rule::Bonus {
                    value: value?,
                    per_unit,
                }
            }
            "expression" => Rule::Expression {
                points: need(self, "points", r.points.as_ref())?,
            },
            _ => unreachable!("kind checked above"),
        };
        ok.then_some(rule)
    }

    fn check_sums(
        &mut self,
        scale: f64,
        blocks: &[Block],
        shares: &[Share],
        spans: &HashMap<String, usize>,
    ) {
        for kind in Kind::RANKED {
            let block_sum: f64 = blocks.iter().map(|b| b.points).sum();
            if (block_sum - scale).abs() > SUM_TOLERANCE {
                let at = blocks.first().map_or(0, |b| spans[&b.id]);
                self.err(
                    at,
                    format!(
                        "the points of the blocks add up to {}, not the scale {}",
                        fmt_num(block_sum),
                        fmt_num(scale)
                    ),
                );
                break; // the same for both kinds
            }
            let _ = kind;
        }
        for kind in Kind::RANKED {
            for b in blocks {
                let dirs: Vec<&Direction> = b
                    .directions
                    .iter()
                    .filter(|d| d.applies_to.contains(&kind))
                    .collect();
                let sum: f64 = dirs.iter().map(|d| d.points).sum();
                if !dirs.is_empty() && (sum - b.points).abs() > SUM_TOLERANCE {
                    self.err(
                        spans[&b.id],
                        format!(
                            "block `{}`: for {kind}s its directions' points add up to {}, not {}",
                            b.id,
                            fmt_num(sum),
                            fmt_num(b.points)
                        ),
                    );
                }
                if dirs.is_empty() {
                    self.err(
                        spans[&b.id],
                        format!("block `{}` has no direction for {kind}s", b.id),
                    );
                }
                for d in dirs {
                    let crit: Vec<&Share> = shares
                        .iter()
                        .filter(|c| c.direction == d.id && c.kinds.contains(&kind) && c.counted)
                        .collect();
                    let sum: f64 = crit.iter().map(|c| c.points).sum();
                    if crit.is_empty() {
                        self.err(
                            spans[&d.id],
                            format!("direction `{}` has no criterion for {kind}s", d.id),
                        );
                    } else if (sum - d.points).abs() > SUM_TOLERANCE {
                        self.err(spans[&d.id], format!("direction `{}`: for {kind}s its criteria's points add up to {}, not {}", d.id, fmt_num(sum), fmt_num(d.points)));
                    }
                }
            }
        }
    }
}

/// A criterion's part in its direction's sum check.
struct Share {
    direction: String,
    points: f64,
    kinds: Vec<Kind>,
    /// Bonus and body-specific criteria are left out of the sums.
    counted: bool,
}

/// Ids of the criteria grouped by direction, for diffs and listings.
pub fn criteria_by_id(m: &Methodology) -> BTreeMap<&str, (&Block, &Direction, &Criterion)> {
    m.criteria()
        .map(|(b, d, c)| (c.id.as_str(), (b, d, c)))
        .collect()
}

/// Where the text of a TOML string value starts in the source, when the
/// source spells it exactly as parsed (no escapes), so that an offset in the
/// value is an offset in the file; `None` otherwise.
fn string_content_start(text: &str, span: std::ops::Range<usize>, value: &str) -> Option<usize> {
    let raw = text.get(span.clone())?;
    let quote = if raw.starts_with("\"\"\"") || raw.starts_with("\'\'\'") {
        3
    } else {
        1
    };
    let inner = raw.get(quote..raw.len().checked_sub(quote)?)?;
    let mut start = span.start + quote;
    let mut inner = inner;
    if quote == 3 {
        if let Some(rest) = inner.strip_prefix("\r\n") {
            inner = rest;
            start += 2;
        } else if let Some(rest) = inner.strip_prefix('\n') {
            inner = rest;
            start += 1;
        }
    }
    (inner == value).then_some(start)
}
