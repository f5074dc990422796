//! What changed between two methodologies: criteria added or removed,
//! points moved, rules and applicability changed, bands and indicators.

use crate::pack::{Criterion, Methodology, Rule, criteria_by_id, fmt_num};
use serde::Serialize;
use std::collections::BTreeSet;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    /// `block`, `direction`, `criterion`, `indicator` or `band`.
    pub element: &'static str,
    pub id: String,
    /// `added`, `removed`, `points`, `rule`, `applies_to`, `moved`, `authorized_body`, `min`.
    pub what: &'static str,
    pub before: Option<String>,
    pub after: Option<String>,
}

fn change(
    element: &'static str,
    id: &str,
    what: &'static str,
    before: Option<String>,
    after: Option<String>,
) -> Change {
    Change {
        element,
        id: id.to_string(),
        what,
        before,
        after,
    }
}

fn kinds(k: &[crate::Kind]) -> String {
    k.iter().map(|k| k.as_str()).collect::<Vec<_>>().join(", ")
}

/// Lists the differences from `a` to `b`, in a stable order.
pub fn diff(a: &Methodology, b: &Methodology) -> Vec<Change> {
    let mut out = Vec::new();
    // Blocks and directions.
    let (sa, sb) = (structure(a), structure(b));
    for (level, id, attrs) in &sa {
        match sb.iter().find(|(l, i, _)| l == level && i == id) {
            None => out.push(change(level, id, "removed", Some(attrs[0].1.clone()), None)),
            Some((_, _, after)) => {
                for ((what, x), (_, y)) in attrs.iter().zip(after) {
                    if x != y {
                        out.push(change(level, id, what, Some(x.clone()), Some(y.clone())));
                    }
                }
            }
        }
    }
    for (level, id, attrs) in &sb {
        if !sa.iter().any(|(l, i, _)| l == level && i == id) {
            out.push(change(level, id, "added", None, Some(attrs[0].1.clone())));
        }
    }
    // Criteria.
    let ca = criteria_by_id(a);
    let cb = criteria_by_id(b);
    let ids: BTreeSet<&str> = ca.keys().chain(cb.keys()).copied().collect();
    for id in ids {
        match (ca.get(id), cb.get(id)) {
            (Some((_, _, x)), None) => out.push(change(
                "criterion",
                id,
                "removed",
                Some(fmt_num(x.points)),
                None,
            )),
            (None, Some((_, d, y))) => out.push(change(
                "criterion",
                id,
                "added",
                None,
                Some(format!(
                    "{} points in {}: {}",
                    fmt_num(y.points),
                    d.id,
                    y.rule.describe(&b.indicators)
                )),
            )),
            (Some((_, dx, x)), Some((_, dy, y))) => {
                if dx.id != dy.id {
                    out.push(change(
                        "criterion",
                        id,
                        "moved",
                        Some(dx.id.clone()),
                        Some(dy.id.clone()),
                    ));
                }
                if x.points != y.points {
                    out.push(change(
                        "criterion",
                        id,
                        "points",
                        Some(fmt_num(x.points)),
                        Some(fmt_num(y.points)),
                    ));
                }
                if let Some(items) = checklist_change(a, x, b, y) {
                    out.push(items);
                } else {
                    let (rx, ry) = (
                        x.rule.describe(&a.indicators),
                        y.rule.describe(&b.indicators),
                    );
                    if rx != ry {
                        out.push(change("criterion", id, "rule", Some(rx), Some(ry)));
                    }
                }
                let (ax, ay) = (applicability(x), applicability(y));
                if ax != ay {
                    out.push(change("criterion", id, "applies_to", Some(ax), Some(ay)));
                }
            }
            (None, None) => unreachable!(),
        }
    }
    // Indicators and bands.
    for x in &a.indicators {
        match b.indicator(&x.id).map(|i| &b.indicators[i]) {
            None => out.push(change("indicator", &x.id, "removed", None, None)),
            Some(y) => {
                let pairs = [
                    (
                        "unit",
                        format!("{:?}", x.unit).to_lowercase(),
                        format!("{:?}", y.unit).to_lowercase(),
                    ),
                    (
                        "polarity",
                        format!("{:?}", x.polarity).to_lowercase(),
                        format!("{:?}", y.polarity).to_lowercase(),
                    ),
                    ("applies_to", kinds(&x.applies_to), kinds(&y.applies_to)),
                    ("name", names(&x.name), names(&y.name)),
                ];
                for (what, before, after) in pairs {
                    if before != after {
                        out.push(change("indicator", &x.id, what, Some(before), Some(after)));
                    }
                }
            }
        }
    }
    if a.scale != b.scale {
        out.push(change(
            "pack",
            &b.id,
            "scale",
            Some(fmt_num(a.scale)),
            Some(fmt_num(b.scale)),
        ));
    }
    // Names of blocks, directions and criteria.
    let element_names = |m: &'_ Methodology| -> Vec<(&'static str, String, String)> {
        let mut v = Vec::new();
        for bl in &m.blocks {
            v.push(("block", bl.id.clone(), names(&bl.name)));
            for d in &bl.directions {
                v.push(("direction", d.id.clone(), names(&d.name)));
                for c in &d.criteria {
                    v.push(("criterion", c.id.clone(), names(&c.name)));
                }
            }
        }
        v
    };
    let (na, nb) = (element_names(a), element_names(b));
    for (level, id, before) in &na {
        if let Some((_, _, after)) = nb.iter().find(|(l, i, _)| l == level && i == id)
            && before != after
        {
            out.push(change(
                level,
                id,
                "name",
                Some(before.clone()),
                Some(after.clone()),
            ));
        }
    }
    for y in &b.indicators {
        if a.indicator(&y.id).is_none() {
            out.push(change(
                "indicator",
                &y.id,
                "added",
                None,
                Some(y.name.en.clone()),
            ));
        }
    }
    for x in &a.bands {
        match b.bands.iter().find(|y| y.id == x.id) {
            None => out.push(change("band", &x.id, "removed", Some(fmt_num(x.min)), None)),
            Some(y) if y.min != x.min => out.push(change(
                "band",
                &x.id,
                "min",
                Some(fmt_num(x.min)),
                Some(fmt_num(y.min)),
            )),
            _ => {}
        }
    }
    for y in &b.bands {
        if !a.bands.iter().any(|x| x.id == y.id) {
            out.push(change("band", &y.id, "added", None, Some(fmt_num(y.min))));
        }
    }
    out
}

fn applicability(c: &Criterion) -> String {
    let mut s = kinds(&c.applies_to);
    if let Some(b) = &c.bodies {
        s.push_str(&format!("; only {}", b.join(", ")));
    }
    if !c.except_bodies.is_empty() {
        s.push_str(&format!("; except {}", c.except_bodies.join(", ")));
    }
    s
}

/// Two checklists that differ only in their items: list the items added,
/// removed or re-pointed rather than both whole lists.
fn checklist_change(
    a: &Methodology,
    x: &Criterion,
    b: &Methodology,
    y: &Criterion,
) -> Option<Change> {
    let (
        Rule::Checklist {
            items: ix,
            partial_deduction: px,
        },
        Rule::Checklist {
            items: iy,
            partial_deduction: py,
        },
    ) = (&x.rule, &y.rule)
    else {
        return None;
    };
    if px != py {
        return None;
    }
    let show = |m: &Methodology, i: &crate::pack::ChecklistItem| {
        format!(
            "{} ({}, {})",
            i.id,
            m.indicators[i.indicator].id,
            fmt_num(i.points)
        )
    };
    let removed: Vec<String> = ix
        .iter()
        .filter(|i| !iy.iter().any(|j| show(b, j) == show(a, i)))
        .map(|i| show(a, i))
        .collect();
    let added: Vec<String> = iy
        .iter()
        .filter(|j| !ix.iter().any(|i| show(a, i) == show(b, j)))
        .map(|j| show(b, j))
        .collect();
    if removed.is_empty() && added.is_empty() {
        return None;
    }
    let part = |label: &str, list: &[String]| {
        if list.is_empty() {
            None
        } else {
            Some(format!("{label} {}", list.join(", ")))
        }
    };
    Some(Change {
        element: "criterion",
        id: x.id.clone(),
        what: "checklist",
        before: part("removed:", &removed),
        after: part("added:", &added),
    })
}

type Attributes = Vec<(&'static str, String)>;

/// The blocks and directions with their comparable attributes (points first).
fn structure(m: &Methodology) -> Vec<(&'static str, String, Attributes)> {
    let mut out = Vec::new();
    for b in &m.blocks {
        out.push(("block", b.id.clone(), vec![("points", fmt_num(b.points))]));
        for d in &b.directions {
            let attrs = vec![
                ("points", fmt_num(d.points)),
                ("moved", b.id.clone()),
                ("authorized_body", d.authorized_body.clone()),
                ("applies_to", kinds(&d.applies_to)),
            ];
            out.push(("direction", d.id.clone(), attrs));
        }
    }
    out
}

fn names(n: &crate::Names) -> String {
    format!("{} | {} | {}", n.kk, n.ru, n.en)
}
