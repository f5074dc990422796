//! `bagalau monitoring …`: public monitoring from the command line, through
//! the application core (`bagalau_app::monitoring`) as the signed-in
//! account. Lists organisations, projects and findings as far as the
//! account may see them; registers an organisation and its accreditation,
//! or revokes it (a keeper of the organisations); exports a project's
//! report as CSV or JSON.

use crate::app::App;
use anyhow::{Context, Result, anyhow, bail};
use bagalau_core::Names;
use bagalau_core::cycle::Actor;
use bagalau_core::monitoring::{self, Accreditation, Organisation};
use chrono::NaiveDate;
use clap::{Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Subcommand)]
pub enum MonitoringCommand {
    /// Every monitoring organisation and whether it is accredited today.
    Organisations,
    /// Register an organisation (or change its names and accreditation), as the coordinator.
    Register {
        /// Lower-case letters, digits and `_`: its monitors hold the role `monitor:ID`.
        #[arg(long)]
        id: String,
        #[arg(long)]
        name_kk: String,
        #[arg(long)]
        name_ru: String,
        #[arg(long)]
        name_en: String,
        /// Who accredited it, and by which decision (with --from and --until).
        #[arg(long, requires_all = ["from", "until"])]
        accredited_by: Option<String>,
        #[arg(long, requires = "accredited_by")]
        from: Option<NaiveDate>,
        /// The last day of the accreditation.
        #[arg(long, requires = "accredited_by")]
        until: Option<NaiveDate>,
    },
    /// Revoke an organisation's accreditation from a day on.
    Revoke {
        #[arg(long)]
        id: String,
        /// The first day it may not act.
        #[arg(long)]
        on: NaiveDate,
        #[arg(long)]
        reason: String,
    },
    /// Monitoring projects, with their status.
    Projects {
        #[arg(long)]
        organisation: Option<String>,
    },
    /// A project's findings, with the bodies' replies.
    Findings {
        #[arg(long)]
        project: i64,
    },
    /// A project's report: its findings with the replies and its recommendations.
    Export {
        #[arg(long)]
        project: i64,
        #[arg(long, value_enum, default_value_t = ReportFormat::Csv)]
        format: ReportFormat,
        /// Where to write it (default: the standard output).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Export a project whose report is not published yet, with what
        /// the signed-in account may see of it (for the organisation's own
        /// use: it is not public).
        #[arg(long)]
        include_unpublished: bool,
    },
}

#[derive(Clone, Copy, ValueEnum)]
pub enum ReportFormat {
    Csv,
    Json,
}

impl App {
    pub async fn monitoring(&self, command: MonitoringCommand, now: &str) -> Result<()> {
        match command {
            MonitoringCommand::Organisations => self.monitoring_organisations(now).await,
            MonitoringCommand::Register {
                id,
                name_kk,
                name_ru,
                name_en,
                accredited_by,
                from,
                until,
            } => {
                let accreditation = match (accredited_by, from, until) {
                    (Some(by), Some(from), Some(until)) => Some(Accreditation {
                        by,
                        from,
                        until,
                        revoked: None,
                    }),
                    _ => None,
                };
                let names = Names {
                    kk: name_kk,
                    ru: name_ru,
                    en: name_en,
                };
                self.monitoring_register(id, names, accreditation, now)
                    .await
            }
            MonitoringCommand::Revoke { id, on, reason } => {
                self.monitoring_revoke(&id, on, &reason, now).await
            }
            MonitoringCommand::Projects { organisation } => {
                self.monitoring_projects(organisation.as_deref()).await
            }
            MonitoringCommand::Findings { project } => self.monitoring_findings(project, now).await,
            MonitoringCommand::Export {
                project,
                format,
                out,
                include_unpublished,
            } => {
                let text = self
                    .monitoring_report(project, format, include_unpublished, now)
                    .await?;
                match out {
                    Some(path) => std::fs::write(&path, text)
                        .with_context(|| format!("cannot write {}", path.display()))?,
                    None => outln!("{}", text.trim_end()),
                }
                Ok(())
            }
        }
    }

    /// The account keeping the organisations, under the rules'
    /// own check of who may.
    fn coordinator(&self) -> Result<Actor> {
        self.acting()
    }

    async fn monitoring_organisations(&self, now: &str) -> Result<()> {
        let all = bagalau_app::monitoring::organisations(&self.store, now).await?;
        if all.is_empty() {
            outln!("No monitoring organisations.");
        }
        for entry in all {
            let o = entry.organisation;
            let standing = match &o.accreditation {
                None => "not accredited".to_string(),
                Some(a) => format!(
                    "{} by {} from {} until {}{}",
                    if entry.accredited_today {
                        "accredited"
                    } else {
                        "NOT accredited today;"
                    },
                    a.by,
                    a.from,
                    a.until,
                    a.revoked.as_ref().map_or(String::new(), |r| format!(
                        ", revoked on {} ({})",
                        r.on, r.reason
                    ))
                ),
            };
            outln!("{:<20} {} — {standing}", o.id, o.name.en);
        }
        Ok(())
    }

    async fn monitoring_register(
        &self,
        id: String,
        name: Names,
        accreditation: Option<Accreditation>,
        now: &str,
    ) -> Result<()> {
        let organisation = bagalau_app::monitoring::register_organisation(
            &self.store,
            bagalau_app::FrontEnd::CommandLine,
            &self.coordinator()?,
            Organisation {
                id,
                name,
                accreditation,
            },
            now,
        )
        .await?;
        outln!(
            "Registered `{}`: {}.",
            organisation.id,
            organisation.audit_content()
        );
        Ok(())
    }

    async fn monitoring_revoke(
        &self,
        id: &str,
        on: NaiveDate,
        reason: &str,
        now: &str,
    ) -> Result<()> {
        bagalau_app::monitoring::revoke(
            &self.store,
            bagalau_app::FrontEnd::CommandLine,
            &self.coordinator()?,
            id,
            on,
            reason,
            now,
        )
        .await?;
        outln!("The accreditation of `{id}` is revoked from {on}.");
        Ok(())
    }

    /// The projects the account may see (anyone: the published ones).
    async fn monitoring_projects(&self, organisation: Option<&str>) -> Result<()> {
        let viewer = self.acting().ok();
        let shown =
            bagalau_app::monitoring::projects(&self.store, viewer.as_ref(), organisation).await?;
        if shown.is_empty() {
            outln!("No monitoring projects.");
        }
        for entry in shown {
            let (id, p) = (entry.id, entry.project);
            outln!(
                "#{id} {:<10} {:<16} {}..{} {} [services: {}; regions: {}]",
                p.status.as_str(),
                p.organisation,
                p.plan.period_from,
                p.plan.period_to,
                p.plan.title,
                p.plan.services.join(", "),
                p.plan.regions.join(", ")
            );
        }
        Ok(())
    }

    /// The findings of a project the account may see.
    async fn monitoring_findings(&self, project: i64, now: &str) -> Result<()> {
        let viewer = self.acting().ok();
        let findings = bagalau_app::monitoring::findings(
            &self.store,
            viewer.as_ref(),
            Some(project),
            None,
            now,
        )
        .await?;
        if findings.is_empty() {
            outln!("No findings in project #{project} that this account may see.");
        }
        for entry in findings {
            let (id, f) = (entry.id, &entry.finding);
            let o = &f.observation;
            outln!(
                "#{id} {} {} {} in {} on {} [{}]: {}",
                o.severity.as_str(),
                o.service,
                o.body,
                o.region,
                o.observed_on,
                reply_label(entry.reply_status),
                o.text
            );
            if let Some(r) = &f.reply {
                outln!("    reply by {} ({}): {}", r.by, r.stance.as_str(), r.text);
            }
        }
        Ok(())
    }

    /// The report of a project as CSV (one row per finding or recommendation)
    /// or JSON.
    async fn monitoring_report(
        &self,
        id: i64,
        format: ReportFormat,
        include_unpublished: bool,
        now: &str,
    ) -> Result<String> {
        // What the account may see of it: a published report for anyone,
        // more for those who work on the project.
        let viewer = self.acting().ok();
        let view = bagalau_app::monitoring::project(&self.store, viewer.as_ref(), id, now)
            .await
            .map_err(|e| match e {
                bagalau_app::AppError::NotFound(_) => {
                    anyhow!("no monitoring project #{id} that this account may see")
                }
                other => other.into(),
            })?;
        let project = view.project.project;
        if !project.is_published() && !include_unpublished {
            bail!(
                "project #{id} is {}: its report is not published (add --include-unpublished to export what this account may see of it)",
                project.status.as_str()
            );
        }
        let (findings, recommendations) = (view.findings, view.recommendations);
        Ok(match format {
            ReportFormat::Json => {
                let findings: Vec<_> = findings
                    .iter()
                    .map(|f| serde_json::json!({ "id": f.id, "finding": f.finding, "reply_status": f.reply_status }))
                    .collect();
                let recommendations: Vec<_> = recommendations
                    .iter()
                    .map(|r| serde_json::json!({ "id": r.id, "recommendation": r.recommendation.recommendation,
                        "overdue": r.overdue, "executed_on_time": r.executed_on_time }))
                    .collect();
                serde_json::to_string_pretty(
                    &serde_json::json!({ "id": id, "project": project, "published": project.is_published(),
                    "findings": findings, "recommendations": recommendations }),
                )? + "\n"
            }
            ReportFormat::Csv => {
                let mut w = bagalau_csv::Writer::from_writer(Vec::new());
                w.write_record([
                    "record",
                    "id",
                    "service",
                    "body",
                    "region",
                    "office",
                    "observed_on",
                    "severity",
                    "text",
                    "evidence",
                    "reply_status",
                    "reply_stance",
                    "reply_text",
                    "reply_evidence",
                    "due",
                    "state",
                    "report",
                    "overdue",
                    "executed_on_time",
                ])?;
                for entry in &findings {
                    let (i, f) = (entry.id, &entry.finding);
                    let o = &f.observation;
                    let r = f.reply.as_ref();
                    w.write_record([
                        "finding",
                        &i.to_string(),
                        &o.service,
                        &o.body,
                        &o.region,
                        o.office.as_deref().unwrap_or(""),
                        &o.observed_on.to_string(),
                        o.severity.as_str(),
                        &o.text,
                        &o.evidence.join(";"),
                        reply_label(entry.reply_status),
                        r.map_or("", |r| r.stance.as_str()),
                        r.map_or("", |r| r.text.as_str()),
                        &r.map_or(String::new(), |r| r.evidence.join(";")),
                        &f.reply_due.to_string(),
                        "",
                        "",
                        "",
                        "",
                    ])?;
                }
                for entry in &recommendations {
                    let (i, r) = (entry.id, &entry.recommendation.recommendation);
                    w.write_record([
                        "recommendation",
                        &i.to_string(),
                        "",
                        &r.body,
                        "",
                        "",
                        "",
                        "",
                        &r.text,
                        &r.evidence.join(";"),
                        "",
                        "",
                        "",
                        "",
                        &r.due.to_string(),
                        r.state.as_str(),
                        r.report.as_deref().unwrap_or(""),
                        &entry.overdue.to_string(),
                        &entry.executed_on_time.to_string(),
                    ])?;
                }
                String::from_utf8(w.into_inner()?)?
            }
        })
    }
}

/// A finding's standing on the right of reply, as the report says it.
fn reply_label(status: monitoring::ReplyStatus) -> &'static str {
    match status {
        monitoring::ReplyStatus::Replied => "replied",
        monitoring::ReplyStatus::Awaiting => "awaiting reply",
        monitoring::ReplyStatus::StandsWithoutReply => "stands without reply",
    }
}
