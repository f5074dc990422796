//! The scoring engine: methodology + registry + data → scores, ranks and an
//! explanation tree for every number.

use crate::data::YearData;
use crate::pack::{Criterion, Methodology, Polarity, Rule, fmt_num};
use crate::registry::Registry;
use crate::{Kind, expr::NoValue};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Total,
    Block,
    Direction,
    Criterion,
}

/// One node of a body's explanation tree.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Node {
    pub id: String,
    pub level: Level,
    /// Maximum points (for a bonus criterion: its cap).
    pub max: f64,
    /// Points earned, bonus included; `None` means "not counted".
    pub points: Option<f64>,
    /// The part of `points` that is bonus.
    pub bonus: f64,
    pub is_bonus: bool,
    /// Why the node is not counted, or how points were redistributed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub inputs: Vec<Input>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub steps: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<Node>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Input {
    pub indicator: String,
    pub value: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BodyResult {
    pub body: String,
    pub kind: Kind,
    /// `None` when nothing could be counted.
    pub total: Option<f64>,
    pub rank: Option<u32>,
    pub band: Option<String>,
    pub tree: Node,
}

impl BodyResult {
    pub fn block_points(&self, block: &str) -> Option<f64> {
        self.tree
            .children
            .iter()
            .find(|n| n.id == block)
            .and_then(|n| n.points)
    }
}

/// A year's results, with the hashes of what produced them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Assessment {
    pub year: i32,
    pub pack_id: String,
    pub pack_hash: String,
    pub input_hash: String,
    pub demonstration: bool,
    /// Ordered by kind, then rank (unranked last), then body id.
    pub results: Vec<BodyResult>,
}

impl Assessment {
    pub fn result(&self, body: &str) -> Option<&BodyResult> {
        self.results.iter().find(|r| r.body == body)
    }
}

/// Scores every body evaluated in the methodology's year.
pub fn assess(m: &Methodology, registry: &Registry, data: &YearData) -> Assessment {
    let mut results: Vec<BodyResult> = registry
        .evaluated_in(m.year)
        .into_iter()
        .filter(|b| b.kind != Kind::Other)
        .map(|b| {
            let values = data.dense(m, &b.id);
            score_body(m, &b.id, b.kind, &values)
        })
        .collect();
    rank(&mut results);
    Assessment {
        year: m.year,
        pack_id: m.id.clone(),
        pack_hash: m.content_hash.clone(),
        input_hash: crate::data::input_hash(registry, m.year, data),
        demonstration: data.demonstration,
        results,
    }
}

/// Totals are compared as published, rounded to two decimals.
fn rank_key(total: f64) -> i64 {
    (total * 100.0).round() as i64
}

/// Ranks within each kind; ties share the best rank (1, 2, 2, 4).
pub fn rank(results: &mut [BodyResult]) {
    for r in results.iter_mut() {
        r.rank = None;
    }
    let snapshot: Vec<(Kind, Option<i64>)> = results
        .iter()
        .map(|r| (r.kind, r.total.map(rank_key)))
        .collect();
    for (i, r) in results.iter_mut().enumerate() {
        if let (kind, Some(key)) = snapshot[i] {
            let better = snapshot
                .iter()
                .filter(|(k, t)| *k == kind && t.is_some_and(|t| t > key))
                .count();
            r.rank = Some(better as u32 + 1);
        }
    }
    results.sort_by(|a, b| {
        a.kind
            .cmp(&b.kind)
            .then(a.rank.unwrap_or(u32::MAX).cmp(&b.rank.unwrap_or(u32::MAX)))
            .then(a.body.cmp(&b.body))
    });
}

/// Scores one body; `values` are in the methodology's indicator order.
pub fn score_body(m: &Methodology, body: &str, kind: Kind, values: &[Option<f64>]) -> BodyResult {
    let mut blocks = Vec::with_capacity(m.blocks.len());
    for block in &m.blocks {
        let mut directions = Vec::new();
        for d in block
            .directions
            .iter()
            .filter(|d| d.applies_to.contains(&kind))
        {
            let criteria: Vec<Node> = d
                .criteria
                .iter()
                .filter(|c| c.applies(body, kind))
                .map(|c| score_criterion(m, c, values))
                .collect();
            directions.push(aggregate(&d.id, Level::Direction, d.points, criteria));
        }
        blocks.push(aggregate(&block.id, Level::Block, block.points, directions));
    }
    let mut tree = aggregate("total", Level::Total, m.scale, blocks);
    if let Some(p) = tree.points
        && p > m.scale
    {
        tree.steps.push(format!(
            "{} exceeds the scale: capped at {}",
            fmt_num(p),
            fmt_num(m.scale)
        ));
        tree.points = Some(m.scale);
    }
    let total = tree.points;
    BodyResult {
        body: body.to_string(),
        kind,
        total,
        rank: None,
        band: total.and_then(|t| m.band_for(t)).map(|b| b.id.clone()),
        tree,
    }
}

/// Combines children: the counted regular children's points are scaled to
/// the node's maximum (redistributing the points of those not counted), and
/// bonus points are added on top.
fn aggregate(id: &str, level: Level, max: f64, children: Vec<Node>) -> Node {
    let regular = children.iter().filter(|c| !c.is_bonus);
    let all_max: f64 = regular.clone().map(|c| c.max).sum();
    let counted: Vec<&Node> = regular.clone().filter(|c| c.points.is_some()).collect();
    let mut node = Node {
        id: id.to_string(),
        level,
        max,
        points: None,
        bonus: 0.0,
        is_bonus: false,
        note: None,
        rule: None,
        inputs: Vec::new(),
        steps: Vec::new(),
        children: Vec::new(),
    };
    if counted.is_empty() {
        node.note = Some("not counted: none of its parts could be counted".into());
        node.children = children;
        return node;
    }
    let counted_max: f64 = counted.iter().map(|c| c.max).sum();
    let base_earned: f64 = counted
        .iter()
        .map(|c| c.points.unwrap_or(0.0) - c.bonus)
        .sum();
    let bonus: f64 = counted.iter().map(|c| c.bonus).sum::<f64>()
        + children
            .iter()
            .filter(|c| c.is_bonus)
            .filter_map(|c| c.points)
            .sum::<f64>();
    let mut base = base_earned / counted_max * max;
    if (counted_max - all_max).abs() > 1e-9 {
        let excluded: Vec<&str> = children
            .iter()
            .filter(|c| !c.is_bonus && c.points.is_none())
            .map(|c| c.id.as_str())
            .collect();
        node.note = Some(format!(
            "not counted: {} ({} points); their points are shared among the counted parts in proportion",
            excluded.join(", "),
            fmt_num(all_max - counted_max)
        ));
        node.steps.push(format!(
            "{} earned of {} counted × {} / {} = {}",
            fmt_num(base_earned),
            fmt_num(counted_max),
            fmt_num(max),
            fmt_num(counted_max),
            fmt_num(base)
        ));
    } else if (counted_max - max).abs() > 1e-9 {
        node.steps.push(format!(
            "{} earned of {} × {} / {} = {}",
            fmt_num(base_earned),
            fmt_num(counted_max),
            fmt_num(max),
            fmt_num(counted_max),
            fmt_num(base)
        ));
    }
    if base < 0.0 {
        node.steps
            .push(format!("{} is below 0: set to 0", fmt_num(base)));
        base = 0.0;
    }
    if bonus != 0.0 {
        node.steps.push(format!(
            "+ bonus {} = {}",
            fmt_num(bonus),
            fmt_num(base + bonus)
        ));
    }
    node.points = Some(base + bonus);
    node.bonus = bonus;
    node.children = children;
    node
}

fn not_counted(node: &mut Node, why: String) {
    node.points = None;
    node.note = Some(format!("not counted: {why}"));
}

fn eval_num(e: &crate::expr::Expr, values: &[Option<f64>]) -> Result<f64, NoValue> {
    e.eval_number(values)
}

fn score_criterion(m: &Methodology, c: &Criterion, values: &[Option<f64>]) -> Node {
    let p = c.points;
    let mut node = Node {
        id: c.id.clone(),
        level: Level::Criterion,
        max: p,
        points: None,
        bonus: 0.0,
        is_bonus: c.is_bonus(),
        note: None,
        rule: Some(c.rule_text.clone()),
        inputs: c
            .rule
            .indicators()
            .into_iter()
            .map(|i| Input {
                indicator: m.indicators[i].id.clone(),
                value: values[i],
            })
            .collect(),
        steps: Vec::new(),
        children: Vec::new(),
    };
    let missing: Vec<String> = node
        .inputs
        .iter()
        .filter(|i| i.value.is_none())
        .map(|i| i.indicator.clone())
        .collect();
    let no_value = |node: &mut Node, why: NoValue| match why {
        NoValue::MissingData => not_counted(node, format!("no data for {}", missing.join(", "))),
        NoValue::DivisionByZero => not_counted(node, "division by zero in its formula".into()),
    };
    macro_rules! value {
        ($e:expr) => {
            match eval_num($e, values) {
                Ok(v) => v,
                Err(why) => {
                    no_value(&mut node, why);
                    return node;
                }
            }
        };
    }
    let points = match &c.rule {
        Rule::Ratio {
            fact,
            plan,
            polarity,
            cap,
        } => {
            let (f, pl) = (value!(fact), value!(plan));
            let r = match polarity {
                Polarity::Higher if pl == 0.0 => {
                    not_counted(&mut node, "the plan is zero".into());
                    return node;
                }
                Polarity::Higher => {
                    node.steps.push(format!(
                        "r = fact / plan = {} / {} = {}",
                        fmt_num(f),
                        fmt_num(pl),
                        fmt_num(f / pl)
                    ));
                    f / pl
                }
                Polarity::Lower if f == 0.0 => {
                    node.steps
                        .push("fact is 0 with lower-is-better: full achievement".into());
                    *cap
                }
                Polarity::Lower => {
                    node.steps.push(format!(
                        "r = plan / fact = {} / {} = {}",
                        fmt_num(pl),
                        fmt_num(f),
                        fmt_num(pl / f)
                    ));
                    pl / f
                }
            };
            let r = r.max(0.0);
            let pts = p * r.min(*cap) / cap;
            node.steps.push(format!(
                "{} × min({}, {}) / {} = {}",
                fmt_num(p),
                fmt_num(r),
                fmt_num(*cap),
                fmt_num(*cap),
                fmt_num(pts)
            ));
            pts
        }
        Rule::Share {
            numerator,
            denominator,
            polarity,
            target,
        } => {
            let (n, d) = (value!(numerator), value!(denominator));
            if d == 0.0 {
                not_counted(&mut node, "the denominator is zero".into());
                return node;
            }
            let s = n / d;
            node.steps.push(format!(
                "s = {} / {} = {}",
                fmt_num(n),
                fmt_num(d),
                fmt_num(s)
            ));
            match polarity {
                Polarity::Higher => {
                    let pts = p * (s / target).clamp(0.0, 1.0);
                    node.steps.push(format!(
                        "{} × min({} / {}, 1) = {}",
                        fmt_num(p),
                        fmt_num(s),
                        fmt_num(*target),
                        fmt_num(pts)
                    ));
                    pts
                }
                Polarity::Lower => {
                    let pts = p * ((1.0 - s) / (1.0 - target)).clamp(0.0, 1.0);
                    node.steps.push(format!(
                        "{} × clamp((1 − {}) / (1 − {}), 0, 1) = {}",
                        fmt_num(p),
                        fmt_num(s),
                        fmt_num(*target),
                        fmt_num(pts)
                    ));
                    pts
                }
            }
        }
        Rule::Thresholds { value, table } => {
            let v = value!(value);
            let row = table
                .iter()
                .find(|r| r.min.is_none_or(|lo| v >= lo) && r.max.is_none_or(|hi| v < hi));
            match row {
                Some(r) => {
                    let lo = r.min.map_or("-inf".to_string(), fmt_num);
                    let hi = r.max.map_or("+inf".to_string(), fmt_num);
                    node.steps.push(format!(
                        "value {} is in [{lo}, {hi}): {} points",
                        fmt_num(v),
                        fmt_num(r.points)
                    ));
                    r.points
                }
                None => {
                    node.steps
                        .push(format!("value {} matches no row: 0 points", fmt_num(v)));
                    0.0
                }
            }
        }
        Rule::Linear { value, worst, best } => {
            let v = value!(value);
            let t = ((v - worst) / (best - worst)).clamp(0.0, 1.0);
            let pts = p * t;
            node.steps.push(format!(
                "{} × clamp(({} − {}) / ({} − {}), 0, 1) = {} × {} = {}",
                fmt_num(p),
                fmt_num(v),
                fmt_num(*worst),
                fmt_num(*best),
                fmt_num(*worst),
                fmt_num(p),
                fmt_num(t),
                fmt_num(pts)
            ));
            pts
        }
        Rule::Checklist {
            items,
            partial_deduction,
        } => {
            let mut earned = 0.0;
            let mut counted = 0.0;
            for item in items {
                match values[item.indicator] {
                    None => node
                        .steps
                        .push(format!("{}: no data, not counted", item.id)),
                    Some(s) => {
                        counted += item.points;
                        let got = if s >= 1.0 {
                            item.points
                        } else if s <= 0.0 {
                            0.0
                        } else {
                            (item.points - partial_deduction).max(0.0)
                        };
                        let status = if s >= 1.0 {
                            "complied"
                        } else if s <= 0.0 {
                            "not complied"
                        } else {
                            "partially complied"
                        };
                        node.steps.push(format!(
                            "{}: {status}, {} of {}",
                            item.id,
                            fmt_num(got),
                            fmt_num(item.points)
                        ));
                        earned += got;
                    }
                }
            }
            if counted == 0.0 {
                not_counted(&mut node, format!("no data for {}", missing.join(", ")));
                return node;
            }
            let pts = p * earned / counted;
            node.steps.push(format!(
                "{} × {} / {} = {}",
                fmt_num(p),
                fmt_num(earned),
                fmt_num(counted),
                fmt_num(pts)
            ));
            pts
        }
        Rule::Penalty {
            count,
            per_unit,
            floor,
        } => {
            let n = value!(count);
            let pts = (p - per_unit * n).max(*floor);
            node.steps.push(format!(
                "max({}, {} − {} × {}) = {}",
                fmt_num(*floor),
                fmt_num(p),
                fmt_num(*per_unit),
                fmt_num(n),
                fmt_num(pts)
            ));
            pts
        }
        Rule::Bonus { value, per_unit } => {
            let v = value!(value);
            let pts = (per_unit * v).clamp(0.0, p);
            node.steps.push(format!(
                "bonus min({}, {} × {}) = {}",
                fmt_num(p),
                fmt_num(*per_unit),
                fmt_num(v),
                fmt_num(pts)
            ));
            node.bonus = pts;
            pts
        }
        Rule::Expression { points } => {
            let v = value!(points);
            let pts = v.clamp(0.0, p);
            node.steps
                .push(format!("{} = {}", points.source(), fmt_num(v)));
            if pts != v {
                node.steps
                    .push(format!("clamped to 0..{}: {}", fmt_num(p), fmt_num(pts)));
            }
            pts
        }
    };
    node.points = Some(points);
    node
}

/// A body's previous-year total, its own or, for a body created by a
/// reorganisation, its predecessor's (`via` names it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Previous {
    pub total: f64,
    pub via: Option<String>,
}

pub fn previous_total(registry: &Registry, previous: &Assessment, body: &str) -> Option<Previous> {
    if let Some(t) = previous.result(body).and_then(|r| r.total) {
        return Some(Previous {
            total: t,
            via: None,
        });
    }
    let preds = registry.predecessors(body);
    if let [single] = preds.as_slice() {
        return previous
            .result(single)
            .and_then(|r| r.total)
            .map(|t| Previous {
                total: t,
                via: Some((*single).to_string()),
            });
    }
    None
}
