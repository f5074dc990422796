//! `bagalau complaints` and `bagalau openness`: records of complaints and
//! applications and of the Open Government portals, kept in the database
//! (`bagalau_app::citizens`), and the indicators of the interaction block
//! counted from them (also given to `bagalau services report-data`).

use crate::TableFormat;
use anyhow::{Result, bail};
use bagalau_app::FrontEnd;
use bagalau_app::citizens::RecordsImported;
use bagalau_services::complaints::Terms;
use bagalau_services::openness::{BodyValues, Source, VALUES};
use chrono::NaiveDate;
use comfy_table::{Table, presets::UTF8_BORDERS_ONLY};
use std::path::PathBuf;

/// How the records are judged: the reference date and the legal terms.
#[derive(clap::Args, Debug, Clone, Copy)]
pub struct Judging {
    /// The day unanswered records are judged on [default: today]
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<NaiveDate>,
    /// Term of an application (and of an Open Dialogue request without a
    /// due date), in working days
    #[arg(long, default_value_t = Terms::default().application_working_days)]
    pub application_days: u32,
    /// Term of a complaint, in working days
    #[arg(long, default_value_t = Terms::default().complaint_working_days)]
    pub complaint_days: u32,
    /// The least public discussion of a draft legal act, in calendar days
    #[arg(long, default_value_t = 10)]
    pub discussion_days: u32,
}

impl Judging {
    fn as_of(&self) -> NaiveDate {
        // The binary is where the clock is read; the libraries get the date.
        self.as_of
            .unwrap_or_else(|| chrono::Local::now().date_naive())
    }

    pub fn judged(&self) -> bagalau_app::citizens::Judging {
        bagalau_app::citizens::Judging {
            as_of: self.as_of(),
            terms: Terms {
                application_working_days: self.application_days,
                complaint_working_days: self.complaint_days,
            },
            discussion_days: self.discussion_days,
        }
    }
}

/// Today where Bagalau runs: records cannot say that something happened
/// after it.
fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}

fn print_imported(imported: &RecordsImported) -> Result<()> {
    for f in &imported.files {
        let kind = if f.kind == "complaints" {
            String::new()
        } else {
            format!(" {}", f.kind)
        };
        outln!(
            "{}: {}{kind} records; {} added, {} imported before",
            f.file,
            f.records,
            f.added,
            f.again
        );
    }
    for (kind, n) in &imported.kept {
        let kind = if kind == "complaints" {
            "complaint"
        } else {
            kind
        };
        outln!("{n} {kind} records kept in the database");
    }
    Ok(())
}

/// `bagalau complaints import`: every file read and checked, the records
/// not kept before added; all files or none.
pub async fn import_complaints(app: &crate::app::App, files: &[PathBuf], now: &str) -> Result<()> {
    let imported = bagalau_app::citizens::import_complaints(
        &app.store,
        FrontEnd::CommandLine,
        &app.acting()?,
        &crate::files::uploads(files)?,
        today(),
        now,
    )
    .await
    .map_err(|e| crate::files::refused(e, "files"))?;
    print_imported(&imported)
}

/// `bagalau openness import`: files of any kind (the header says which);
/// all or none.
pub async fn import_openness(app: &crate::app::App, files: &[PathBuf], now: &str) -> Result<()> {
    let imported = bagalau_app::citizens::import_openness(
        &app.store,
        FrontEnd::CommandLine,
        &app.acting()?,
        &crate::files::uploads(files)?,
        today(),
        now,
    )
    .await
    .map_err(|e| crate::files::refused(e, "files"))?;
    print_imported(&imported)
}

fn percent(p: Option<f64>) -> String {
    p.map(|p| format!("{p:.2}")).unwrap_or_default()
}

/// `bagalau complaints indicators`.
pub async fn complaints_indicators(
    app: &crate::app::App,
    year: i32,
    by: &str,
    judging: &Judging,
    format: TableFormat,
) -> Result<()> {
    let kept = bagalau_app::citizens::complaint_indicators(
        &app.store,
        &app.acting()?,
        year,
        by,
        &judging.judged(),
    )
    .await?;
    let Some(rows) = kept else {
        bail!("no complaint records yet: import them with `bagalau complaints import`");
    };
    match format {
        TableFormat::Json => {
            let items: Vec<serde_json::Value> = rows
                .iter()
                .map(|(group, c)| {
                    serde_json::json!({
                        by: group,
                        "counts": c,
                        "overdue_percent": c.overdue_percent(),
                        "court_justified_percent": c.court_justified_percent(),
                        "repeated_substantiated_percent": c.repeated_substantiated_percent(),
                    })
                })
                .collect();
            outln!("{}", serde_json::to_string_pretty(&items)?);
        }
        TableFormat::Csv => {
            let mut w = bagalau_csv::Writer::from_writer(std::io::stdout());
            w.write_record([
                by,
                "total",
                "answered",
                "pending",
                "overdue",
                "overdue_percent",
                "court_cases",
                "court_justified",
                "court_justified_percent",
                "repeated_substantiated",
                "repeated_substantiated_percent",
            ])?;
            for (group, c) in &rows {
                w.write_record([
                    group.clone(),
                    c.total.to_string(),
                    c.answered.to_string(),
                    c.pending.to_string(),
                    c.overdue.to_string(),
                    percent(c.overdue_percent()),
                    c.court_cases.to_string(),
                    c.court_justified.to_string(),
                    percent(c.court_justified_percent()),
                    c.repeated_substantiated.to_string(),
                    percent(c.repeated_substantiated_percent()),
                ])?;
            }
            w.flush()?;
        }
        TableFormat::Table => {
            let mut t = Table::new();
            t.load_preset(UTF8_BORDERS_ONLY);
            t.set_header(vec![
                by,
                "Received",
                "Pending",
                "Overdue",
                "Overdue %",
                "Court cases",
                "Found justified",
                "Justified %",
                "Repeated substantiated",
                "Repeated %",
            ]);
            for (group, c) in &rows {
                t.add_row(vec![
                    group.clone(),
                    c.total.to_string(),
                    c.pending.to_string(),
                    c.overdue.to_string(),
                    percent(c.overdue_percent()),
                    c.court_cases.to_string(),
                    c.court_justified.to_string(),
                    percent(c.court_justified_percent()),
                    c.repeated_substantiated.to_string(),
                    percent(c.repeated_substantiated_percent()),
                ]);
            }
            outln!(
                "Complaints and applications received in {year}, judged on {}:\n{t}",
                judging.as_of()
            );
        }
    }
    Ok(())
}

fn cell(values: &BodyValues, name: &str) -> String {
    values
        .get(name)
        .map(|v| v.value.to_string())
        .unwrap_or_default()
}

/// `bagalau openness indicators`: the values per body.
pub async fn openness_indicators(
    app: &crate::app::App,
    year: i32,
    judging: &Judging,
    format: TableFormat,
) -> Result<()> {
    let kept = bagalau_app::citizens::openness_indicators(
        &app.store,
        &app.acting()?,
        year,
        &judging.judged(),
    )
    .await?;
    let Some(rows) = kept else {
        bail!("no openness records yet: import them with `bagalau openness import`");
    };
    match format {
        TableFormat::Json => {
            let items: Vec<serde_json::Value> = rows
                .iter()
                .map(|(body, values)| serde_json::json!({ "body": body, "values": values }))
                .collect();
            outln!("{}", serde_json::to_string_pretty(&items)?);
        }
        TableFormat::Csv => {
            let mut w = bagalau_csv::Writer::from_writer(std::io::stdout());
            let mut header = vec!["body"];
            header.extend(VALUES);
            w.write_record(&header)?;
            for (body, values) in &rows {
                let mut row = vec![body.clone()];
                row.extend(VALUES.iter().map(|n| cell(values, n)));
                w.write_record(&row)?;
            }
            w.flush()?;
        }
        TableFormat::Table => {
            let mut t = Table::new();
            t.load_preset(UTF8_BORDERS_ONLY);
            t.set_header(vec![
                "Body",
                "Open Data on time",
                "Open Budgets documents on time",
                "Comments answered",
                "Drafts discussed in full",
                "Open Dialogue on time",
                "Mean working days",
            ]);
            let pair = |values: &BodyValues, part: &str, whole: &str| match (
                values.get(part),
                values.get(whole),
            ) {
                (Some(p), Some(w)) => {
                    let mark = if matches!(p.source, Source::Aggregate) {
                        " (figure)"
                    } else {
                        ""
                    };
                    format!("{} of {}{mark}", p.value, w.value)
                }
                _ => String::new(),
            };
            for (body, v) in &rows {
                t.add_row(vec![
                    body.clone(),
                    pair(v, "datasets_on_time", "datasets_planned"),
                    pair(v, "budget_documents_on_time", "budget_documents_required"),
                    pair(v, "budget_comments_answered", "budget_comments"),
                    pair(v, "drafts_discussed_in_full", "drafts"),
                    pair(v, "dialogue_on_time", "dialogue_requests"),
                    cell(v, "dialogue_mean_working_days"),
                ]);
            }
            outln!("Openness in {year}, judged on {}:\n{t}", judging.as_of());
        }
    }
    Ok(())
}
