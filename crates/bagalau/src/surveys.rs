//! `bagalau services survey-import` and `bagalau services satisfaction`:
//! responses of satisfaction surveys from KoBoToolbox and ODK Central CSV
//! exports, kept in one plain CSV per questionnaire under the services
//! directory, and their weighted estimates by group.

use crate::TableFormat;
use crate::services::RegisterSource;
use anyhow::{Result, bail};
use bagalau_services::questionnaire::Questionnaire;
use bagalau_services::responses::{
    BREAKDOWNS, GroupEstimate, Response, breakdown, estimates, from_csv, read_export, to_csv,
};
use comfy_table::{Table, presets::UTF8_BORDERS_ONLY};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub fn read_questionnaire(path: &Path) -> Result<Questionnaire> {
    let text = crate::files::read_text(path)?;
    Questionnaire::from_toml(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))
}

fn responses_file(dir: &str, questionnaire: &Questionnaire) -> PathBuf {
    Path::new(dir)
        .join("surveys")
        .join(&questionnaire.id)
        .join("responses.csv")
}

/// The responses imported for a questionnaire (none before the first import).
pub fn stored_responses(dir: &str, questionnaire: &Questionnaire) -> Result<Vec<Response>> {
    stored(&responses_file(dir, questionnaire))
}

fn stored(path: &Path) -> Result<Vec<Response>> {
    if !path.exists() {
        return Ok(Vec::new());
    }
    let text = crate::files::read_text(path)?;
    from_csv(&text).map_err(|p| anyhow::anyhow!("{}: {p}", path.display()))
}

/// Reads every export; adds the responses not imported before, all files or
/// none. A response imported before with other answers is refused: an
/// edit in the form tool is a new fact, not a silent overwrite.
pub async fn import(
    dir: &str,
    questionnaire: &Path,
    register: RegisterSource<'_>,
    files: &[PathBuf],
) -> Result<()> {
    if files.is_empty() {
        bail!("name the CSV exports to import");
    }
    let questionnaire = read_questionnaire(questionnaire)?;
    let register = register.load().await?;
    let in_register = |id: &str| register.versions().iter().any(|s| s.id == id);
    let target = responses_file(dir, &questionnaire);
    let mut all = stored(&target)?;
    let mut known: BTreeMap<(&'static str, String), usize> = all
        .iter()
        .enumerate()
        .map(|(i, r)| ((r.tool.as_str(), r.id.clone()), i))
        .collect();
    let mut problems = Vec::new();
    let mut reports = Vec::new();
    for path in files {
        let text = crate::files::read_text(path)?;
        let read = match read_export(&text, &questionnaire, in_register) {
            Ok(read) => read,
            Err(found) => {
                problems.extend(found.iter().map(|p| format!("{}: {p}", path.display())));
                continue;
            }
        };
        let (mut added, mut again, rejected) = (0, 0, read.iter().filter(|r| r.rejected).count());
        let total = read.len();
        for r in read {
            let key = (r.tool.as_str(), r.id.clone());
            match known.get(&key) {
                Some(&i) if all[i] == r => again += 1,
                Some(_) => problems.push(format!(
                    "{}: the submission `{}` was imported before with other answers; \
                     Bagalau does not overwrite a response",
                    path.display(),
                    r.id
                )),
                None => {
                    known.insert(key, all.len());
                    all.push(r);
                    added += 1;
                }
            }
        }
        reports.push(format!(
            "{}: {total} responses ({rejected} rejected by reviewers, kept and not counted); \
             {added} added, {again} imported before",
            path.display()
        ));
    }
    if !problems.is_empty() {
        for p in problems.iter().take(30) {
            eprintln!("{p}");
        }
        if problems.len() > 30 {
            eprintln!("… {} problems in all", problems.len());
        }
        bail!("nothing imported: fix the exports and import them again");
    }
    crate::files::write_all(&[(target.clone(), to_csv(&all, &questionnaire.measures()))])?;
    for r in reports {
        outln!("{r}");
    }
    outln!("{} responses kept in {}", all.len(), target.display());
    Ok(())
}

/// Writes the demo's responses for a questionnaire, unless responses of
/// it are kept already (imported, or a demo run before): `None` then.
pub fn write_demonstration_responses(
    dir: &str,
    questionnaire: &Questionnaire,
    responses: &[Response],
) -> Result<Option<PathBuf>> {
    let target = responses_file(dir, questionnaire);
    if target.exists() {
        return Ok(None);
    }
    crate::files::write_all(&[(target.clone(), to_csv(responses, &questionnaire.measures()))])?;
    Ok(Some(target))
}

pub struct Report<'a> {
    pub questionnaire: &'a Path,
    pub register: RegisterSource<'a>,
    pub measure: Option<&'a str>,
    pub by: &'a str,
    pub min_respondents: Option<usize>,
    pub format: TableFormat,
}

/// The satisfaction estimates of one measure by one breakdown.
pub async fn satisfaction(dir: &str, report: Report<'_>) -> Result<()> {
    let questionnaire = read_questionnaire(report.questionnaire)?;
    let measures = questionnaire.measures();
    let measure = match report.measure {
        None => measures[0].clone(),
        Some(m) if measures.iter().any(|x| x == m) => m.to_string(),
        Some(m) => bail!(
            "--measure {m}: not a measure of {} (it has {})",
            questionnaire.id,
            measures.join(", ")
        ),
    };
    let min = match report.min_respondents {
        None => questionnaire.min_respondents,
        Some(k) if k >= questionnaire.min_respondents => k,
        Some(k) => bail!(
            "--min-respondents {k}: the questionnaire shows no figure on fewer than {} respondents",
            questionnaire.min_respondents
        ),
    };
    let target = responses_file(dir, &questionnaire);
    if !target.exists() {
        bail!(
            "no responses of {} yet: import them with `bagalau services survey-import`",
            questionnaire.id
        );
    }
    let responses = stored(&target)?;
    let rows = if report.by == "sector" {
        let register = report.register.load().await?;
        let sector = |r: &Response| {
            let date = r.submitted.date();
            register
                .versions()
                .iter()
                .find(|s| s.id == r.service && s.in_force(date))
                .map_or_else(|| "(not in the register)".to_string(), |s| s.sector.clone())
        };
        estimates(&responses, &measure, sector, min)?
    } else {
        let Some(group_of) = breakdown(report.by) else {
            bail!(
                "--by {}: not a breakdown (one of sector, {})",
                report.by,
                BREAKDOWNS.join(", ")
            );
        };
        estimates(&responses, &measure, group_of, min)?
    };
    print(&rows, report.by, &measure, min, report.format)
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
