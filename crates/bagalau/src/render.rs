//! Everything printed: ranking tables (table, CSV, JSON), explanation trees,
//! methodology diffs, registry listings.

use crate::{TableFormat, TextFormat};
use anyhow::Result;
use bagalau_core::pack::{Methodology, fmt_num};
use bagalau_core::registry::{EventKind, Registry};
use bagalau_core::score::{self, Assessment, BodyResult, Level, Node, Previous};
use bagalau_core::{Kind, Lang, Names, diff};
use comfy_table::{Cell, CellAlignment, Table, presets::UTF8_BORDERS_ONLY};
use serde::Serialize;
use std::collections::HashMap;
use std::io::Write;

const DEMO_BANNER: &str = "DEMONSTRATION DATA: generated from a seed, not real results.";

fn two(x: f64) -> String {
    format!("{x:.2}")
}

fn opt(x: Option<f64>) -> String {
    x.map_or("-".into(), two)
}

#[derive(Serialize)]
pub struct RankingRow {
    pub rank: Option<u32>,
    pub body_id: String,
    pub body: String,
    pub kind: Kind,
    pub total: Option<f64>,
    pub blocks: Vec<(String, Option<f64>)>,
    pub band: Option<String>,
    pub change: Option<f64>,
    /// The predecessor the change is measured against, for a reorganised body.
    pub change_via: Option<String>,
    /// Whether the previous year was assessed at all (else the change is unknown, not "new").
    #[serde(skip)]
    pub previous_known: bool,
}

pub fn ranking_rows(
    registry: &Registry,
    m: &Methodology,
    current: &Assessment,
    previous: Option<&Assessment>,
    kind: Option<Kind>,
    lang: Lang,
) -> Vec<RankingRow> {
    current
        .results
        .iter()
        .filter(|r| kind.is_none_or(|k| r.kind == k))
        .map(|r| {
            let prev = previous.and_then(|p| score::previous_total(registry, p, &r.body));
            RankingRow {
                rank: r.rank,
                body_id: r.body.clone(),
                body: registry.display_name(&r.body, m.year, lang),
                kind: r.kind,
                total: r.total,
                blocks: m
                    .blocks
                    .iter()
                    .map(|b| (b.id.clone(), r.block_points(&b.id)))
                    .collect(),
                band: r.band.clone(),
                change: match (&prev, r.total) {
                    (Some(p), Some(t)) => Some(t - p.total),
                    _ => None,
                },
                change_via: prev.and_then(|p| p.via),
                previous_known: previous.is_some(),
            }
        })
        .collect()
}

fn band_name<'a>(m: &'a Methodology, id: &Option<String>, lang: Lang) -> &'a str {
    id.as_ref()
        .and_then(|id| m.bands.iter().find(|b| &b.id == id))
        .map_or("-", |b| b.name.get(lang))
}

pub fn ranking(
    out: &mut dyn Write,
    m: &Methodology,
    a: &Assessment,
    rows: &[RankingRow],
    format: TableFormat,
    lang: Lang,
) -> Result<()> {
    match format {
        TableFormat::Json => {
            #[derive(Serialize)]
            struct Out<'a> {
                year: i32,
                methodology: &'a str,
                methodology_sha256: &'a str,
                inputs_sha256: &'a str,
                demonstration: bool,
                blocks: Vec<&'a str>,
                rows: &'a [RankingRow],
            }
            let doc = Out {
                year: a.year,
                methodology: &a.pack_id,
                methodology_sha256: &a.pack_hash,
                inputs_sha256: &a.input_hash,
                demonstration: a.demonstration,
                blocks: m.blocks.iter().map(|b| b.id.as_str()).collect(),
                rows,
            };
            writeln!(out, "{}", serde_json::to_string_pretty(&doc)?)?;
        }
        TableFormat::Csv => {
            let mut w = bagalau_csv::Writer::from_writer(&mut *out);
            let mut header = vec![
                "rank".to_string(),
                "body_id".into(),
                "body".into(),
                "kind".into(),
                "total".into(),
            ];
            header.extend(m.blocks.iter().map(|b| b.id.clone()));
            header.extend([
                "band".into(),
                "change".into(),
                "change_via".into(),
                "demonstration".into(),
            ]);
            w.write_record(&header)?;
            for r in rows {
                let mut rec = vec![
                    r.rank.map_or(String::new(), |x| x.to_string()),
                    r.body_id.clone(),
                    r.body.clone(),
                    r.kind.as_str().to_string(),
                    r.total.map_or(String::new(), two),
                ];
                rec.extend(r.blocks.iter().map(|(_, p)| p.map_or(String::new(), two)));
                rec.push(r.band.clone().unwrap_or_default());
                rec.push(r.change.map_or(String::new(), two));
                rec.push(r.change_via.clone().unwrap_or_default());
                rec.push(a.demonstration.to_string());
                w.write_record(&rec)?;
            }
            w.flush()?;
        }
        TableFormat::Table => {
            writeln!(out, "{} ({}), {}", m.title.get(lang), m.id, m.year)?;
            if a.demonstration {
                writeln!(out, "{DEMO_BANNER}")?;
            }
            for kind in Kind::RANKED {
                let of_kind: Vec<&RankingRow> = rows.iter().filter(|r| r.kind == kind).collect();
                if of_kind.is_empty() {
                    continue;
                }
                let mut t = Table::new();
                t.load_preset(UTF8_BORDERS_ONLY);
                let mut header = vec!["Rank".to_string(), "Body".into(), "Total".into()];
                header.extend(
                    m.blocks
                        .iter()
                        .map(|b| format!("{} /{}", b.id, fmt_num(b.points))),
                );
                header.extend(["Band".into(), "Change".into()]);
                t.set_header(header);
                for r in of_kind {
                    let change = match (r.change, &r.change_via) {
                        (Some(c), Some(_)) => format!("{c:+.2}†"),
                        (Some(c), None) => format!("{c:+.2}"),
                        (None, _) if r.previous_known && r.total.is_some() => "new".into(),
                        (None, _) => "-".into(),
                    };
                    let mut cells = vec![
                        Cell::new(r.rank.map_or("-".into(), |x| x.to_string()))
                            .set_alignment(CellAlignment::Right),
                        Cell::new(format!("{} ({})", r.body, r.body_id)),
                        Cell::new(opt(r.total)).set_alignment(CellAlignment::Right),
                    ];
                    cells.extend(
                        r.blocks
                            .iter()
                            .map(|(_, p)| Cell::new(opt(*p)).set_alignment(CellAlignment::Right)),
                    );
                    cells.push(Cell::new(band_name(m, &r.band, lang)));
                    cells.push(Cell::new(change).set_alignment(CellAlignment::Right));
                    t.add_row(cells);
                }
                writeln!(out)?;
                writeln!(
                    out,
                    "{}s: {} bodies",
                    kind,
                    rows.iter().filter(|r| r.kind == kind).count()
                )?;
                writeln!(out, "{t}")?;
            }
            if rows.iter().any(|r| r.change_via.is_some()) {
                writeln!(
                    out,
                    "† change against the predecessor body (reorganisation), see `bagalau registry history`."
                )?;
            }
            writeln!(
                out,
                "Methodology sha256 {}; inputs sha256 {}.",
                &a.pack_hash[..16],
                &a.input_hash[..16]
            )?;
        }
    }
    Ok(())
}

/// Names and authorized bodies of the methodology's elements, by id.
fn element_names(m: &Methodology) -> HashMap<&str, (&Names, Option<&str>)> {
    let mut out = HashMap::new();
    for b in &m.blocks {
        out.insert(b.id.as_str(), (&b.name, None));
        for d in &b.directions {
            out.insert(d.id.as_str(), (&d.name, Some(d.authorized_body.as_str())));
            for c in &d.criteria {
                out.insert(c.id.as_str(), (&c.name, None));
            }
        }
    }
    out
}

#[allow(clippy::too_many_arguments)]
pub fn explain(
    out: &mut dyn Write,
    registry: &Registry,
    m: &Methodology,
    a: &Assessment,
    r: &BodyResult,
    previous: Option<&Previous>,
    peers: usize,
    format: TextFormat,
    lang: Lang,
) -> Result<()> {
    if format == TextFormat::Json {
        #[derive(Serialize)]
        struct Out<'a> {
            year: i32,
            body: &'a str,
            name: String,
            kind: Kind,
            methodology: &'a str,
            methodology_sha256: &'a str,
            inputs_sha256: &'a str,
            demonstration: bool,
            total: Option<f64>,
            rank: Option<u32>,
            band: &'a Option<String>,
            previous: Option<&'a Previous>,
            tree: &'a Node,
        }
        let doc = Out {
            year: a.year,
            body: &r.body,
            name: registry.display_name(&r.body, a.year, lang),
            kind: r.kind,
            methodology: &a.pack_id,
            methodology_sha256: &a.pack_hash,
            inputs_sha256: &a.input_hash,
            demonstration: a.demonstration,
            total: r.total,
            rank: r.rank,
            band: &r.band,
            previous,
            tree: &r.tree,
        };
        writeln!(out, "{}", serde_json::to_string_pretty(&doc)?)?;
        return Ok(());
    }
    writeln!(
        out,
        "{} ({}), {}, {}",
        registry.display_name(&r.body, a.year, lang),
        r.body,
        r.kind,
        a.year
    )?;
    writeln!(
        out,
        "Methodology {} (sha256 {}), inputs sha256 {}",
        a.pack_id,
        &a.pack_hash[..16],
        &a.input_hash[..16]
    )?;
    if a.demonstration {
        writeln!(out, "{DEMO_BANNER}")?;
    }
    let rank = r.rank.map_or("not ranked".into(), |x| {
        format!("rank {x} of {peers} {}s", r.kind)
    });
    writeln!(
        out,
        "Total {} / {}, band {}, {rank}",
        opt(r.total),
        fmt_num(m.scale),
        band_name(m, &r.band, lang)
    )?;
    if let (Some(p), Some(t)) = (previous, r.total) {
        match &p.via {
            Some(via) => writeln!(
                out,
                "Change against {} (predecessor) in {}: {:+.2}",
                via,
                a.year - 1,
                t - p.total
            )?,
            None => writeln!(out, "Change against {}: {:+.2}", a.year - 1, t - p.total)?,
        }
    }
    writeln!(out)?;
    let names = element_names(m);
    for block in &r.tree.children {
        print_node(out, block, &names, lang, 0)?;
    }
    if let Some(note) = &r.tree.note {
        writeln!(out, "total: {note}")?;
    }
    for s in &r.tree.steps {
        writeln!(out, "total: {s}")?;
    }
    Ok(())
}

fn print_node(
    out: &mut dyn Write,
    n: &Node,
    names: &HashMap<&str, (&Names, Option<&str>)>,
    lang: Lang,
    depth: usize,
) -> Result<()> {
    let pad = "  ".repeat(depth);
    let (name, authority) = names
        .get(n.id.as_str())
        .map_or((n.id.as_str(), None), |(nm, a)| (nm.get(lang), *a));
    let points = match n.points {
        Some(p) if n.is_bonus => format!("+{} bonus (cap {})", fmt_num(p), fmt_num(n.max)),
        Some(p) => format!("{} / {}", two(p), fmt_num(n.max)),
        None => format!("not counted / {}", fmt_num(n.max)),
    };
    let authority = authority.map_or(String::new(), |a| format!("  [assessed by {a}]"));
    writeln!(out, "{pad}{} {name}: {points}{authority}", n.id)?;
    let inner = "  ".repeat(depth + 2);
    if n.level == Level::Criterion {
        if let Some(rule) = &n.rule {
            writeln!(out, "{inner}rule: {rule}")?;
        }
        if !n.inputs.is_empty() {
            let inputs: Vec<String> = n
                .inputs
                .iter()
                .map(|i| {
                    format!(
                        "{} = {}",
                        i.indicator,
                        i.value.map_or("no data".into(), fmt_num)
                    )
                })
                .collect();
            writeln!(out, "{inner}inputs: {}", inputs.join(", "))?;
        }
    }
    for s in &n.steps {
        writeln!(out, "{inner}{s}")?;
    }
    if let Some(note) = &n.note {
        writeln!(out, "{inner}{note}")?;
    }
    for c in &n.children {
        print_node(out, c, names, lang, depth + 1)?;
    }
    Ok(())
}

pub fn diff(
    out: &mut dyn Write,
    a: &Methodology,
    b: &Methodology,
    format: TextFormat,
) -> Result<()> {
    let changes = diff::diff(a, b);
    if format == TextFormat::Json {
        writeln!(out, "{}", serde_json::to_string_pretty(&changes)?)?;
        return Ok(());
    }
    writeln!(
        out,
        "{} ({}) → {} ({}): {} change(s)",
        a.id,
        a.year,
        b.id,
        b.year,
        changes.len()
    )?;
    for c in &changes {
        let detail = match (&c.before, &c.after) {
            (Some(x), Some(y)) => format!("{x} → {y}"),
            (None, Some(y)) => y.clone(),
            (Some(x), None) => x.clone(),
            (None, None) => String::new(),
        };
        writeln!(
            out,
            "  {:<9} {:<32} {:<15} {detail}",
            c.element, c.id, c.what
        )?;
    }
    Ok(())
}

pub fn bodies(
    out: &mut dyn Write,
    registry: &Registry,
    year: Option<i32>,
    lang: Lang,
) -> Result<()> {
    let mut t = Table::new();
    t.load_preset(UTF8_BORDERS_ONLY);
    t.set_header(vec!["Id", "Kind", "Name", "Evaluated"]);
    let shown_year = year.unwrap_or(9999);
    for b in &registry.bodies {
        if year.is_some_and(|y| !b.evaluated.contains(&y)) {
            continue;
        }
        let years: Vec<String> = b.evaluated.iter().map(i32::to_string).collect();
        t.add_row(vec![
            b.id.clone(),
            b.kind.to_string(),
            registry.display_name(&b.id, shown_year, lang),
            years.join(" "),
        ]);
    }
    writeln!(out, "{t}")?;
    Ok(())
}

pub fn history(out: &mut dyn Write, registry: &Registry, id: &str, lang: Lang) -> Result<()> {
    let Some(b) = registry.body(id) else {
        return Ok(());
    };
    writeln!(out, "{} ({id}), {}", b.name.get(lang), b.kind)?;
    if let Some(note) = &b.note {
        writeln!(out, "  note: {note}")?;
    }
    let years: Vec<String> = b.evaluated.iter().map(i32::to_string).collect();
    writeln!(
        out,
        "  evaluated: {}",
        if years.is_empty() {
            "never".into()
        } else {
            years.join(", ")
        }
    )?;
    for e in registry.history(id) {
        let what = match e.kind {
            EventKind::Renamed => format!(
                "renamed to {}",
                e.name.as_ref().map_or("?", |n| n.get(lang))
            ),
            EventKind::Created => "created".into(),
            EventKind::Abolished => "abolished".into(),
            EventKind::Split => format!("split: {} → {}", e.from.join(", "), e.to.join(", ")),
            EventKind::Merged => format!("merged: {} → {}", e.from.join(", "), e.to.join(", ")),
        };
        writeln!(out, "  {}  {what}", e.date)?;
        if let Some(note) = &e.note {
            writeln!(out, "              {note}")?;
        }
    }
    let preds = registry.predecessors(id);
    let succs = registry.successors(id);
    if !preds.is_empty() {
        writeln!(out, "  predecessors: {}", preds.join(", "))?;
    }
    if !succs.is_empty() {
        writeln!(out, "  successors: {}", succs.join(", "))?;
    }
    Ok(())
}
