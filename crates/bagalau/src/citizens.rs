//! `bagalau complaints` and `bagalau openness`: records of complaints and
//! applications and of the Open Government portals, kept as canonical CSV
//! files under `<services.dir>/citizens/`, and the indicators of the
//! interaction block counted from them (also given to `bagalau services
//! report-data`).

use crate::TableFormat;
use anyhow::{Result, bail};
use bagalau_services::calendar::Rules;
use bagalau_services::complaints::{self, Complaint, Counts, Terms};
use bagalau_services::openness::{self, BodyValues, Kind, Records, Source, VALUES};
use bagalau_store::Store;
use chrono::NaiveDate;
use comfy_table::{Table, presets::UTF8_BORDERS_ONLY};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

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

    fn terms(&self) -> Terms {
        Terms {
            application_working_days: self.application_days,
            complaint_working_days: self.complaint_days,
        }
    }
}

fn folder(dir: &str) -> PathBuf {
    Path::new(dir).join("citizens")
}

fn complaints_file(dir: &str) -> PathBuf {
    folder(dir).join("complaints.csv")
}

fn openness_file(dir: &str, kind: Kind) -> PathBuf {
    folder(dir)
        .join("openness")
        .join(format!("{}.csv", kind.as_str()))
}

fn read_text(path: &Path) -> Result<String> {
    crate::files::read_text(path)
}

/// The complaints kept (none before the first import).
fn kept_complaints(dir: &str) -> Result<Option<Vec<Complaint>>> {
    let path = complaints_file(dir);
    if !path.exists() {
        return Ok(None);
    }
    complaints::read(&read_text(&path)?, |_| true)
        .map(Some)
        .map_err(|p| anyhow::anyhow!("{}: {}", path.display(), p[0]))
}

/// The openness records kept (none before the first import).
fn kept_openness(dir: &str) -> Result<Option<Records>> {
    let mut all = Records::default();
    let mut any = false;
    for kind in Kind::ALL {
        let path = openness_file(dir, kind);
        if !path.exists() {
            continue;
        }
        any = true;
        let (_, records) = openness::read(&read_text(&path)?, |_| true)
            .map_err(|p| anyhow::anyhow!("{}: {}", path.display(), p[0]))?;
        all.merge(kind, records)
            .map_err(|c| anyhow::anyhow!("{}: {}", path.display(), c[0]))?;
    }
    Ok(any.then_some(all))
}

fn refuse(problems: &[String]) -> Result<()> {
    for p in problems.iter().take(30) {
        eprintln!("{p}");
    }
    if problems.len() > 30 {
        eprintln!("… {} problems in all", problems.len());
    }
    bail!("nothing imported: fix the files and import them again")
}

async fn known_bodies(app: &crate::app::App) -> Result<impl Fn(&str) -> bool> {
    let registry = app
        .store
        .registry()
        .await?
        .ok_or_else(|| anyhow::anyhow!("no registry of bodies: import it first"))?;
    Ok(move |id: &str| registry.body(id).is_some())
}

/// `bagalau complaints import`: every file read and checked, the records
/// not kept before added; all files or none.
/// Today where Bagalau runs: records cannot say that something happened
/// after it.
fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}

pub async fn import_complaints(app: &crate::app::App, dir: &str, files: &[PathBuf]) -> Result<()> {
    let scope = bagalau_app::permission::provider_scope(&app.acting()?)?;
    let known = known_bodies(app).await?;
    let mut kept = kept_complaints(dir)?.unwrap_or_default();
    let mut problems = Vec::new();
    let mut reports = Vec::new();
    for path in files {
        let read = match complaints::read_new(&read_text(path)?, &known, today()) {
            Ok(read) => read,
            Err(found) => {
                problems.extend(found.iter().map(|p| format!("{}: {p}", path.display())));
                continue;
            }
        };
        let total = read.len();
        if let Some(own) = &scope {
            let mut others: Vec<&str> = read
                .iter()
                .map(|r| r.body.as_str())
                .filter(|b| !own.iter().any(|o| o == b))
                .collect();
            others.sort_unstable();
            others.dedup();
            if !others.is_empty() {
                problems.push(format!(
                    "{}: records of {}: this account imports only {}'s",
                    path.display(),
                    others.join(", "),
                    own.join(", ")
                ));
                continue;
            }
        }
        match complaints::merge(&mut kept, read, |r| (r.body.clone(), r.id.clone())) {
            Ok(added) => reports.push(format!(
                "{}: {total} records; {} added, {} imported before",
                path.display(),
                added.added,
                added.again
            )),
            Err(conflicts) => {
                problems.extend(conflicts.iter().map(|c| format!("{}: {c}", path.display())))
            }
        }
    }
    if !problems.is_empty() {
        return refuse(&problems);
    }
    let target = complaints_file(dir);
    crate::files::write_all(&[(target.clone(), complaints::to_csv(&kept))])?;
    for r in reports {
        outln!("{r}");
    }
    outln!(
        "{} complaint records kept in {}",
        kept.len(),
        target.display()
    );
    Ok(())
}

/// `bagalau openness import`: files of any kind (the header says which);
/// all or none.
pub async fn import_openness(app: &crate::app::App, dir: &str, files: &[PathBuf]) -> Result<()> {
    let known = known_bodies(app).await?;
    let mut kept = kept_openness(dir)?.unwrap_or_default();
    let mut problems = Vec::new();
    let mut reports = Vec::new();
    let mut changed = std::collections::BTreeSet::new();
    for path in files {
        let (kind, read) = match openness::read_new(&read_text(path)?, &known, today()) {
            Ok(read) => read,
            Err(found) => {
                problems.extend(found.iter().map(|p| format!("{}: {p}", path.display())));
                continue;
            }
        };
        let total = read.len(kind);
        match kept.merge(kind, read) {
            Ok(added) => {
                changed.insert(kind);
                reports.push(format!(
                    "{}: {total} {} records; {} added, {} imported before",
                    path.display(),
                    kind.as_str(),
                    added.added,
                    added.again
                ));
            }
            Err(conflicts) => {
                problems.extend(conflicts.iter().map(|c| format!("{}: {c}", path.display())))
            }
        }
    }
    problems.extend(openness::conflicts(&kept).iter().map(|e| e.to_string()));
    if !problems.is_empty() {
        return refuse(&problems);
    }
    let files: Vec<(PathBuf, String)> = changed
        .iter()
        .map(|&kind| (openness_file(dir, kind), kept.to_csv(kind)))
        .collect();
    crate::files::write_all(&files)?;
    for r in reports {
        outln!("{r}");
    }
    for kind in Kind::ALL.iter().filter(|k| kept.len(**k) > 0) {
        outln!(
            "{} {} records kept in {}",
            kept.len(*kind),
            kind.as_str(),
            openness_file(dir, *kind).display()
        );
    }
    Ok(())
}

fn complaint_counts(
    records: &[Complaint],
    calendar: &Rules,
    year: i32,
    judging: &Judging,
    by: &str,
) -> Result<BTreeMap<String, Counts>> {
    let Some(group_of) = complaints::breakdown(by) else {
        bail!(
            "--by {by}: not a breakdown (one of {})",
            complaints::BREAKDOWNS.join(", ")
        );
    };
    let counting = complaints::Counting {
        year,
        as_of: judging.as_of(),
        terms: judging.terms(),
        calendar,
    };
    Ok(complaints::count(records, counting, group_of)?)
}

fn openness_values(
    records: &Records,
    calendar: &Rules,
    year: i32,
    judging: &Judging,
) -> Result<BTreeMap<String, BodyValues>> {
    let counting = openness::Counting {
        year,
        as_of: judging.as_of(),
        discussion_days: judging.discussion_days,
        dialogue_working_days: judging.application_days,
        calendar,
    };
    Ok(openness::values(records, counting)?)
}

/// The year's complaints counts and openness values per body, for
/// `report-data`; a source with no records kept is absent, and said so.
pub struct Citizens {
    pub complaints: Option<BTreeMap<String, Counts>>,
    pub openness: Option<BTreeMap<String, BodyValues>>,
}

pub fn for_report(dir: &str, calendar: &Rules, year: i32, judging: &Judging) -> Result<Citizens> {
    let complaints = match kept_complaints(dir)? {
        Some(records) => Some(complaint_counts(&records, calendar, year, judging, "body")?),
        None => {
            eprintln!(
                "no complaint records under {}: complaints: values left out",
                folder(dir).display()
            );
            None
        }
    };
    let openness = match kept_openness(dir)? {
        Some(records) => Some(openness_values(&records, calendar, year, judging)?),
        None => {
            eprintln!(
                "no openness records under {}: openness: values left out",
                folder(dir).display()
            );
            None
        }
    };
    Ok(Citizens {
        complaints,
        openness,
    })
}

fn percent(p: Option<f64>) -> String {
    p.map(|p| format!("{p:.2}")).unwrap_or_default()
}

/// `bagalau complaints indicators`.
pub fn complaints_indicators(
    dir: &str,
    calendar: &Rules,
    year: i32,
    by: &str,
    judging: &Judging,
    format: TableFormat,
) -> Result<()> {
    let Some(records) = kept_complaints(dir)? else {
        bail!("no complaint records yet: import them with `bagalau complaints import`");
    };
    let rows = complaint_counts(&records, calendar, year, judging, by)?;
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
pub fn openness_indicators(
    dir: &str,
    calendar: &Rules,
    year: i32,
    judging: &Judging,
    format: TableFormat,
) -> Result<()> {
    let Some(records) = kept_openness(dir)? else {
        bail!("no openness records yet: import them with `bagalau openness import`");
    };
    let rows = openness_values(&records, calendar, year, judging)?;
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
