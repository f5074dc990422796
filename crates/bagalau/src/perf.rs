//! The performance-assessment commands: GPI rankings and risk areas, the
//! National Progress Index, imports of packs and series.

use crate::app::App;
use crate::{TableFormat, TextFormat};
use anyhow::{Result, anyhow};
use bagalau_app::FrontEnd;
use bagalau_core::Kind;
use bagalau_core::performance::{GpiAssessment, GpiResult, PerformancePack, SeriesLayout};
use bagalau_core::registry::Registry;
use comfy_table::{Cell, CellAlignment, Table, presets::UTF8_BORDERS_ONLY};
use std::io::Write;
use std::path::PathBuf;

const DEMO_BANNER: &str = "DEMONSTRATION DATA: generated from a seed, not real results.";

impl App {
    pub async fn gpi(&self, year: i32) -> Result<(Registry, PerformancePack, GpiAssessment)> {
        let (pack, assessment) =
            bagalau_app::performance::gpi(&self.store, &self.acting()?, year).await?;
        let registry = bagalau_app::assessment::registry(&self.store).await?;
        Ok((registry, pack, assessment))
    }

    pub async fn print_gpi(
        &self,
        year: i32,
        kind: Option<Kind>,
        format: TableFormat,
    ) -> Result<()> {
        let (registry, pack, a) = self.gpi(year).await?;
        let rows: Vec<&GpiResult> = a
            .results
            .iter()
            .filter(|r| kind.is_none_or(|k| r.kind == k))
            .collect();
        let out = &mut std::io::stdout().lock();
        match format {
            TableFormat::Json => writeln!(
                out,
                "{}",
                serde_json::to_string_pretty(&serde_json::json!({
                    "year": a.year, "pack": a.pack_id, "pack_sha256": a.pack_hash, "demonstration": a.demonstration,
                    "results": rows,
                }))?
            )?,
            TableFormat::Csv => {
                let mut w = bagalau_csv::Writer::from_writer(&mut *out);
                w.write_record([
                    "rank",
                    "body_id",
                    "body",
                    "kind",
                    "gpi",
                    "spheres",
                    "indicators",
                    "risk_indicators",
                    "risk_spheres",
                    "demonstration",
                ])?;
                for r in rows {
                    let n: usize = r.spheres.iter().map(|s| s.indicators.len()).sum();
                    w.write_record([
                        r.rank.map_or(String::new(), |x| x.to_string()),
                        r.body.clone(),
                        registry.display_name(&r.body, year, self.lang),
                        r.kind.as_str().into(),
                        r.gpi.map_or(String::new(), |g| format!("{g:.2}")),
                        r.spheres.len().to_string(),
                        n.to_string(),
                        r.risk_indicators().count().to_string(),
                        r.spheres.iter().filter(|s| s.risk).count().to_string(),
                        a.demonstration.to_string(),
                    ])?;
                }
                w.flush()?;
            }
            TableFormat::Table => {
                writeln!(
                    out,
                    "{} ({}), {}",
                    pack.title.get(self.lang),
                    pack.id,
                    pack.year
                )?;
                writeln!(
                    out,
                    "Government Performance Index: change over {}-{}; 50 = no change.",
                    pack.year - pack.window,
                    pack.year
                )?;
                if a.demonstration {
                    writeln!(out, "{DEMO_BANNER}")?;
                }
                for k in Kind::RANKED {
                    let of_kind: Vec<&&GpiResult> = rows.iter().filter(|r| r.kind == k).collect();
                    if of_kind.is_empty() {
                        continue;
                    }
                    let mut t = Table::new();
                    t.load_preset(UTF8_BORDERS_ONLY);
                    t.set_header(vec![
                        "Rank",
                        "Body",
                        "GPI",
                        "Indicators",
                        "Regressing",
                        "Risk spheres",
                    ]);
                    for r in of_kind {
                        let n: usize = r.spheres.iter().map(|s| s.indicators.len()).sum();
                        let risk: Vec<&str> = r
                            .spheres
                            .iter()
                            .filter(|s| s.risk)
                            .map(|s| s.sphere.as_str())
                            .collect();
                        t.add_row(vec![
                            Cell::new(r.rank.map_or("-".into(), |x| x.to_string()))
                                .set_alignment(CellAlignment::Right),
                            Cell::new(format!(
                                "{} ({})",
                                registry.display_name(&r.body, year, self.lang),
                                r.body
                            )),
                            Cell::new(r.gpi.map_or("-".into(), |g| format!("{g:.2}")))
                                .set_alignment(CellAlignment::Right),
                            Cell::new(n).set_alignment(CellAlignment::Right),
                            Cell::new(r.risk_indicators().count())
                                .set_alignment(CellAlignment::Right),
                            Cell::new(if risk.is_empty() {
                                "-".into()
                            } else {
                                risk.join(", ")
                            }),
                        ]);
                    }
                    writeln!(out, "\n{k}s")?;
                    writeln!(out, "{t}")?;
                }
                writeln!(
                    out,
                    "Risk areas of a body: bagalau explain --year {year} --body ID --index gpi"
                )?;
            }
        }
        Ok(())
    }

    pub async fn explain_gpi(&self, year: i32, body: &str, format: TextFormat) -> Result<()> {
        let (registry, pack, a) = self.gpi(year).await?;
        let r = a
            .results
            .iter()
            .find(|r| r.body == body)
            .ok_or_else(|| anyhow!("`{body}` has no performance indicators in {year}"))?;
        let out = &mut std::io::stdout().lock();
        if format == TextFormat::Json {
            writeln!(
                out,
                "{}",
                serde_json::to_string_pretty(&serde_json::json!({
                    "year": year, "body": body, "pack": a.pack_id, "pack_sha256": a.pack_hash, "demonstration": a.demonstration, "result": r,
                }))?
            )?;
            return Ok(());
        }
        let name = |id: &str| -> String {
            pack.indicators
                .iter()
                .find(|i| i.id == id)
                .map_or(id.to_string(), |i| {
                    format!("{} [{}]", i.name.get(self.lang), i.unit)
                })
        };
        let sphere_name = |id: &str| {
            pack.spheres
                .iter()
                .find(|s| s.id == id)
                .map_or(id.to_string(), |s| s.name.get(self.lang).to_string())
        };
        writeln!(
            out,
            "{} ({body}), {}, Government Performance Index {year}",
            registry.display_name(body, year, self.lang),
            r.kind
        )?;
        writeln!(out, "Pack {} (sha256 {})", a.pack_id, &a.pack_hash[..16])?;
        if a.demonstration {
            writeln!(out, "{DEMO_BANNER}")?;
        }
        let peers = a
            .results
            .iter()
            .filter(|x| x.kind == r.kind && x.rank.is_some())
            .count();
        writeln!(
            out,
            "GPI {} (rank {} of {peers} {}s): the mean of the sphere scores; score = clamp(50 + 50 · r / {}, 0, 100), r = polarity · OLS slope / mean level.",
            r.gpi.map_or("-".into(), |g| format!("{g:.2}")),
            r.rank.map_or("-".into(), |x| x.to_string()),
            r.kind,
            pack.saturation
        )?;
        for s in &r.spheres {
            writeln!(
                out,
                "\n{} ({}): score {}, mean change {}{}",
                sphere_name(&s.sphere),
                s.sphere,
                s.score.map_or("not counted".into(), |x| format!("{x:.2}")),
                s.change
                    .map_or("-".into(), |c| format!("{:+.2}% a year", c * 100.0)),
                if s.risk { "  RISK AREA" } else { "" }
            )?;
            for i in &s.indicators {
                let values: Vec<String> =
                    i.values.iter().map(|(y, v)| format!("{y}: {v}")).collect();
                writeln!(out, "  {} ({})", name(&i.indicator), i.indicator)?;
                writeln!(out, "      values {}", values.join(", "))?;
                match (i.slope, i.level, i.change, i.score) {
                    (Some(b), Some(m), Some(c), Some(sc)) => writeln!(
                        out,
                        "      slope {b:.4} a year, mean level {m:.4}, r = {:+.2}% a year, score {sc:.2}{}{}",
                        c * 100.0,
                        if i.regresses { ", REGRESSES" } else { "" },
                        i.trend.map_or(String::new(), |t| format!(
                            ", against its target: {}",
                            t.label()
                        ))
                    )?,
                    _ => writeln!(out, "      {}", i.note.as_deref().unwrap_or("not counted"))?,
                }
            }
        }
        Ok(())
    }

    pub async fn print_npi(&self, year: i32, format: TextFormat) -> Result<()> {
        let (pack, n) = bagalau_app::performance::npi(&self.store, year).await?;
        let out = &mut std::io::stdout().lock();
        if format == TextFormat::Json {
            writeln!(out, "{}", serde_json::to_string_pretty(&n)?)?;
            return Ok(());
        }
        writeln!(
            out,
            "National Progress Index {year} ({} against {} and against {})",
            pack.country, pack.reference, pack.base_year
        )?;
        if n.demonstration {
            writeln!(out, "{DEMO_BANNER}")?;
        }
        writeln!(
            out,
            "Against the {} average: {}; against {}: {} (100 = equal; the mean of the indicator ratios, polarity-adjusted).",
            pack.reference,
            n.vs_reference.map_or("-".into(), |v| format!("{v:.1}")),
            pack.base_year,
            n.vs_base.map_or("-".into(), |v| format!("{v:.1}"))
        )?;
        let mut t = Table::new();
        t.load_preset(UTF8_BORDERS_ONLY);
        t.set_header(vec![
            "Indicator",
            "Unit",
            &format!("{} {year}", pack.country),
            &format!("{} {year}", pack.reference),
            &format!("vs {}", pack.reference),
            &format!("{} {}", pack.country, pack.base_year),
            &format!("vs {}", pack.base_year),
        ]);
        let f = |v: Option<f64>| v.map_or("-".to_string(), |v| format!("{v:.2}"));
        for i in &n.indicators {
            let def = pack.npi.iter().find(|d| d.id == i.indicator);
            t.add_row(vec![
                Cell::new(def.map_or(i.indicator.clone(), |d| d.name.get(self.lang).to_string())),
                Cell::new(def.map_or(String::new(), |d| d.unit.clone())),
                Cell::new(f(i.value)).set_alignment(CellAlignment::Right),
                Cell::new(f(i.reference)).set_alignment(CellAlignment::Right),
                Cell::new(f(i.vs_reference)).set_alignment(CellAlignment::Right),
                Cell::new(f(i.base)).set_alignment(CellAlignment::Right),
                Cell::new(f(i.vs_base)).set_alignment(CellAlignment::Right),
            ]);
        }
        writeln!(out, "Largest lags first:\n{t}")?;
        Ok(())
    }

    pub async fn import_performance_packs(&self, paths: &[PathBuf], now: &str) -> Result<()> {
        let imported = bagalau_app::performance::import_packs(
            &self.store,
            FrontEnd::CommandLine,
            &self.acting()?,
            &crate::files::uploads(paths)?,
            self.reason.clone(),
            now,
        )
        .await
        .map_err(|e| crate::files::refused(e, "packs"))?;
        outln!("Imported {imported} performance pack(s).");
        Ok(())
    }

    pub async fn import_series(&self, paths: &[PathBuf], sdmx: bool, now: &str) -> Result<()> {
        let layout = if sdmx {
            SeriesLayout::SdmxCsv
        } else {
            SeriesLayout::Tidy
        };
        let imported = bagalau_app::performance::import_series(
            &self.store,
            FrontEnd::CommandLine,
            &self.acting()?,
            &crate::files::uploads(paths)?,
            layout,
            self.reason.clone(),
            now,
        )
        .await
        .map_err(|e| crate::files::refused(e, "series"))?;
        outln!(
            "Imported series: {} new, {} changed, {} unchanged values (checked against the packs up to {}).",
            imported.new,
            imported.changed,
            imported.unchanged,
            imported.checked_against
        );
        Ok(())
    }
}
