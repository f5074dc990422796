//! `bagalau template`, `bagalau import xlsx` and `bagalau cycle submit`:
//! the Excel submission template of a body and year, reading returned
//! templates into the store (all files, or nothing), and a reporter's
//! return of its body's template in the cycle.

use crate::app::App;
use anyhow::{Context, Result, anyhow, bail};
use bagalau_store::Store;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

impl App {
    pub async fn write_template(&self, year: i32, body: &str, out: Option<&Path>) -> Result<()> {
        let registry = self.registry().await?;
        let m = self.methodology(year).await?;
        let data = self.store.year_data(year).await?;
        let current: BTreeMap<String, f64> = m
            .indicators
            .iter()
            .filter_map(|i| data.get(body, &i.id).map(|v| (i.id.clone(), v)))
            .collect();
        let bytes = bagalau_xlsx::template(&m, &registry, body, &current)?;
        let out = out.map_or_else(
            || PathBuf::from(format!("{body}-{year}.xlsx")),
            Path::to_path_buf,
        );
        std::fs::write(&out, bytes).with_context(|| format!("cannot write {}", out.display()))?;
        outln!(
            "Template for {body}, {year}: {} ({} values filled in from the database). Return it with: bagalau import xlsx {}",
            out.display(),
            current.len(),
            out.display()
        );
        Ok(())
    }

    pub async fn import_xlsx(&self, paths: &[PathBuf], now: &str) -> Result<()> {
        let registry = self.registry().await?;
        let mut batch = self.batch(now);
        let mut errors = Vec::new();
        let mut seen = BTreeMap::new();
        for path in paths {
            let file = path.display().to_string();
            let bytes = std::fs::read(path).with_context(|| format!("cannot read {file}"))?;
            let (year, body) = match bagalau_xlsx::identify(&bytes) {
                Ok(id) => id,
                Err(e) => {
                    errors.push(format!("{file}: {e}"));
                    continue;
                }
            };
            if let Some(first) = seen.insert((year, body.clone()), file.clone()) {
                errors.push(format!("{file}: {body}, {year} is also in {first}"));
                continue;
            }
            let m = match self.store.pack(year).await? {
                Some(p) => p.methodology,
                None => {
                    errors.push(format!("{file}: no methodology for {year}"));
                    continue;
                }
            };
            match bagalau_xlsx::read(&m, &registry, &body, &bytes) {
                Ok(obs) => batch
                    .observations
                    .extend(obs.into_iter().map(|o| (o, format!("xlsx:{file}")))),
                Err(problems) => errors.extend(problems.iter().map(|p| format!("{file}: {p}"))),
            }
        }
        errors.extend(self.locked_years(&batch).await?);
        if !errors.is_empty() {
            bail!("{}\nnothing was imported", errors.join("\n"));
        }
        let counts = self.store.apply(batch).await?;
        outln!(
            "Imported from Excel: {} new, {} changed, {} unchanged values. `bagalau assess` recomputes the affected years.",
            counts.values_new,
            counts.values_changed,
            counts.values_unchanged
        );
        Ok(())
    }

    /// `bagalau cycle submit FILE`: a reporter returns the body's workbook
    /// in the cycle, through the same use case as the API's upload.
    pub async fn cycle_submit(&self, path: &Path, submit: bool, now: &str) -> Result<()> {
        let file = path.display().to_string();
        let bytes = std::fs::read(path).with_context(|| format!("cannot read {file}"))?;
        let (year, body) = bagalau_xlsx::identify(&bytes).map_err(|e| anyhow!("{file}: {e}"))?;
        let actor = self.acting()?;
        // The rules before the workbook is read, as on the server.
        bagalau_app::submissions::may_submit(&self.store, &actor, year, &body, now).await?;
        let m = self.methodology(year).await?;
        let registry = self.registry().await?;
        let values = bagalau_xlsx::read(&m, &registry, &body, &bytes).map_err(|problems| {
            anyhow!(
                "{}\nnothing was saved",
                problems
                    .iter()
                    .map(|p| format!("{file}: {p}"))
                    .collect::<Vec<_>>()
                    .join("\n")
            )
        })?;
        let saved = bagalau_app::submissions::save(
            &self.store,
            bagalau_app::FrontEnd::CommandLine,
            &actor,
            year,
            &body,
            bagalau_app::submissions::Submitting {
                values: values
                    .into_iter()
                    .map(|o| bagalau_app::submissions::ReportedValue {
                        indicator: o.indicator,
                        value: o.value,
                        note: o.note,
                    })
                    .collect(),
                submit,
                evidence: Vec::new(),
            },
            now,
        )
        .await?;
        outln!(
            "{}, {year}: {} ({} new, {} changed, {} unchanged values).",
            body,
            if submit {
                "submitted"
            } else {
                "saved as a draft"
            },
            saved.counts.values_new,
            saved.counts.values_changed,
            saved.counts.values_unchanged
        );
        Ok(())
    }
}
