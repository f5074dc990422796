//! `bagalau services survey-import` and `bagalau services satisfaction`:
//! responses of satisfaction surveys from KoBoToolbox and ODK Central CSV
//! exports, kept in the database with their questionnaire
//! (`bagalau_app::surveys`), and their weighted estimates by group.

use crate::TableFormat;
use crate::app::App;
use anyhow::Result;
use bagalau_app::FrontEnd;
use bagalau_services::responses::GroupEstimate;
use comfy_table::{Table, presets::UTF8_BORDERS_ONLY};
use std::path::{Path, PathBuf};

/// `bagalau services survey-import`: the exports read by the questionnaire
/// (kept with them) and their new responses kept in the database.
pub async fn import(
    app: &App,
    questionnaire: &Path,
    register: Option<&Path>,
    files: &[PathBuf],
    now: &str,
) -> Result<()> {
    let register = match register {
        Some(file) => crate::services::read_register(file)?,
        None => crate::services::stored_register(&app.store).await?,
    };
    let questionnaire = crate::files::upload(questionnaire)?;
    let imported = bagalau_app::surveys::import_responses(
        &app.store,
        FrontEnd::CommandLine,
        &app.acting()?,
        bagalau_app::surveys::QuestionnaireSource::File(&questionnaire),
        Some(&register),
        &crate::files::uploads(files)?,
        now,
    )
    .await
    .map_err(|e| crate::files::refused(e, "exports"))?;
    for f in &imported.files {
        outln!(
            "{}: {} responses ({} rejected by reviewers, kept and not counted); \
             {} added, {} imported before",
            f.file,
            f.records,
            f.rejected,
            f.added,
            f.again
        );
    }
    outln!(
        "{} responses to {} kept in the database",
        imported.kept,
        imported.questionnaire
    );
    Ok(())
}

pub struct Report<'a> {
    pub questionnaire: &'a str,
    pub register: Option<&'a Path>,
    pub measure: Option<&'a str>,
    pub by: &'a str,
    pub min_respondents: Option<usize>,
    pub format: TableFormat,
}

/// The satisfaction estimates of one measure by one breakdown.
pub async fn satisfaction(app: &App, report: Report<'_>) -> Result<()> {
    let register = match report.register {
        Some(file) => Some(crate::services::read_register(file)?),
        None => None,
    };
    let request = bagalau_app::surveys::SatisfactionRequest {
        questionnaire: report.questionnaire,
        measure: report.measure,
        by: report.by,
        min_respondents: report.min_respondents,
    };
    let s =
        bagalau_app::surveys::satisfaction(&app.store, &app.acting()?, request, register.as_ref())
            .await?;
    print(
        &s.groups,
        &s.by,
        &s.measure,
        s.min_respondents,
        report.format,
    )
}

fn print(
    rows: &[GroupEstimate],
    by: &str,
    measure: &str,
    min: usize,
    format: TableFormat,
) -> Result<()> {
    match format {
        TableFormat::Json => {
            let items: Vec<serde_json::Value> = rows
                .iter()
                .map(|g| {
                    serde_json::json!({
                        by: g.group,
                        "measure": measure,
                        "satisfied": g.satisfied,
                        "mean": g.mean,
                    })
                })
                .collect();
            outln!("{}", serde_json::to_string_pretty(&items)?);
        }
        TableFormat::Csv => {
            let mut w = bagalau_csv::Writer::from_writer(std::io::stdout());
            w.write_record([
                by,
                "respondents",
                "effective_respondents",
                "satisfied_percent",
                "satisfied_low",
                "satisfied_high",
                "mean_score",
                "mean_low",
                "mean_high",
            ])?;
            for g in rows {
                let mut record = vec![g.group.clone()];
                match (g.satisfied.figure(), g.mean.figure()) {
                    (Some(s), Some(m)) => record.extend([
                        s.respondents.to_string(),
                        format!("{:.2}", s.effective),
                        format!("{:.2}", 100.0 * s.value),
                        format!("{:.2}", 100.0 * s.low),
                        format!("{:.2}", 100.0 * s.high),
                        format!("{:.3}", m.value),
                        format!("{:.3}", m.low),
                        format!("{:.3}", m.high),
                    ]),
                    // Suppressed: the count says why; no figure goes out.
                    _ => record.extend(
                        std::iter::once(g.satisfied.respondents().to_string())
                            .chain(std::iter::repeat_n(String::new(), 7)),
                    ),
                }
                w.write_record(&record)?;
            }
            w.flush()?;
        }
        TableFormat::Table => {
            let mut t = Table::new();
            t.load_preset(UTF8_BORDERS_ONLY);
            t.set_header(vec![
                by,
                "Respondents",
                "Satisfied %",
                "95% interval",
                "Mean score",
                "95% interval",
            ]);
            for g in rows {
                match (g.satisfied.figure(), g.mean.figure()) {
                    (Some(s), Some(m)) => t.add_row(vec![
                        g.group.clone(),
                        s.respondents.to_string(),
                        format!("{:.1}", 100.0 * s.value),
                        format!("{:.1}–{:.1}", 100.0 * s.low, 100.0 * s.high),
                        format!("{:.2}", m.value),
                        format!("{:.2}–{:.2}", m.low, m.high),
                    ]),
                    _ => t.add_row(vec![
                        g.group.clone(),
                        g.satisfied.respondents().to_string(),
                        format!("suppressed: fewer than {min} respondents"),
                    ]),
                };
            }
            outln!("Measure `{measure}`:\n{t}");
        }
    }
    Ok(())
}
