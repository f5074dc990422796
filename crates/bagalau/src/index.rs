//! `bagalau index build`: reads the tables, runs the engine, writes the outputs.

use anyhow::{Context, Result, anyhow};
use bagalau_index::uncertainty::{Plan, analyse};
use bagalau_index::{Data, Framework, Pipeline, table};
use std::path::Path;

fn read(path: &Path) -> Result<String> {
    crate::files::read_text(path)
}

fn name(path: &Path) -> String {
    path.display().to_string()
}

fn inputs(data: &Path, meta: &Path, config: Option<&Path>) -> Result<(Framework, Data, Pipeline)> {
    let framework = table::read_meta(&name(meta), &read(meta)?).map_err(|e| anyhow!("{e}"))?;
    let dataset =
        table::read_data(&name(data), &read(data)?, &framework).map_err(|e| anyhow!("{e}"))?;
    let pipeline = match config {
        Some(p) => Pipeline::parse(&name(p), &read(p)?)?,
        None => Pipeline::default(),
    };
    Ok((framework, dataset, pipeline))
}

pub fn build(data: &Path, meta: &Path, config: Option<&Path>, out: &Path) -> Result<()> {
    let upload = crate::files::upload;
    let (data, meta) = (upload(data)?, upload(meta)?);
    let pipeline = config.map(upload).transpose()?;
    let b = bagalau_app::index::compute(bagalau_app::index::IndexTables {
        data: &data,
        meta: &meta,
        pipeline: pipeline.as_ref(),
    })
    .map_err(|e| crate::files::refused(e, "tables"))?;
    std::fs::create_dir_all(out).with_context(|| format!("cannot create {}", out.display()))?;
    for (file, text) in &b.tables {
        let path = out.join(file);
        std::fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))?;
    }
    let time = b.time.map_or(String::new(), |t| format!(", Time {t}"));
    outln!(
        "Built `{}`: {} units{time}, {} indicators, {} aggregates over {} levels.",
        b.index,
        b.units.len(),
        b.indicators,
        b.aggregates,
        b.levels
    );
    if !b.screened_out.is_empty() {
        let list: Vec<String> = b
            .screened_out
            .iter()
            .map(|(u, a)| format!("{u} ({:.0}%)", a * 100.0))
            .collect();
        outln!(
            "Screened out (data availability below the threshold): {}",
            list.join(", ")
        );
    }
    if !b.treated.is_empty() {
        outln!("Outliers treated: {}", b.treated.join("; "));
    }
    let mut order: Vec<&bagalau_app::index::UnitResult> = b.units.iter().collect();
    order.sort_by_key(|u| (u.rank.unwrap_or(u32::MAX), u.code.clone()));
    outln!("Top of the ranking:");
    for u in order.iter().take(10) {
        outln!(
            "  {:>3}  {:<28} {}",
            u.rank.map_or("-".into(), |x| x.to_string()),
            u.name,
            u.score.map_or("-".into(), |s| format!("{s:.2}"))
        );
    }
    let written: Vec<&str> = b.tables.keys().map(String::as_str).collect();
    outln!(
        "Wrote {} files to {}: {}",
        written.len(),
        out.display(),
        written.join(", ")
    );
    Ok(())
}

pub fn uncertainty(
    data: &Path,
    meta: &Path,
    config: Option<&Path>,
    plan: &Path,
    out: &Path,
) -> Result<()> {
    let (framework, dataset, pipeline) = inputs(data, meta, config)?;
    let plan = Plan::parse(&name(plan), &read(plan)?)?;
    let bar = indicatif::ProgressBar::new(0);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{spinner} {pos} model runs, {elapsed_precise}")
            .expect("valid template"),
    );
    let started = std::time::Instant::now();
    let analysis = analyse(&framework, &dataset, &pipeline, &plan, &|n| {
        bar.set_position(n as u64)
    })?;
    bar.finish_and_clear();
    std::fs::create_dir_all(out).with_context(|| format!("cannot create {}", out.display()))?;
    std::fs::write(out.join("ranks.csv"), analysis.ranks_csv(plan.rank_shift))?;
    std::fs::write(out.join("sensitivity.csv"), analysis.sensitivity_csv())?;
    outln!(
        "{} replications, {} model runs in all, in {:.2} s; uncertain inputs: {}.",
        analysis.replications,
        analysis.runs,
        started.elapsed().as_secs_f64(),
        if analysis.inputs.is_empty() {
            "none".to_string()
        } else {
            analysis.inputs.join(", ")
        }
    );
    let mut units: Vec<_> = analysis.units.iter().collect();
    units.sort_by_key(|u| (u.nominal, u.code.clone()));
    outln!(
        "{:>7}  {:<24} {:>7} {:>7} {:>13}  moved > {}",
        "nominal",
        "unit",
        "median",
        "mean",
        "5%-95%",
        plan.rank_shift
    );
    for u in units.iter().take(15) {
        outln!(
            "{:>7}  {:<24} {:>7.1} {:>7.2} {:>6.0} - {:<5.0}  {:>5.1}%",
            u.nominal,
            u.name,
            u.median,
            u.mean,
            u.p05,
            u.p95,
            u.shifted * 100.0
        );
    }
    if !analysis.sensitivity.is_empty() {
        outln!("Sensitivity of the mean absolute rank shift (95% bootstrap intervals):");
        for s in &analysis.sensitivity {
            outln!(
                "  {:<22} first order {:.3} [{:.3}, {:.3}]   total order {:.3} [{:.3}, {:.3}]",
                s.input,
                s.first_order,
                s.first_order_ci.0,
                s.first_order_ci.1,
                s.total_order,
                s.total_order_ci.0,
                s.total_order_ci.1
            );
        }
    }
    outln!("Wrote ranks.csv and sensitivity.csv to {}", out.display());
    Ok(())
}
