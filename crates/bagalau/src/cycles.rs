//! `bagalau cycle …`: open a year's cycle with its calendar, grant
//! extensions, see where every body stands. The command line acts as the
//! coordinator (it has the database); the rules are those of `cycle.rs`.

use crate::app::App;
use anyhow::{Context, Result, anyhow, bail};
use bagalau_core::cycle::{Actor, Calendar, Role, Stage, submission_deadline};
use bagalau_core::recommendation::RecommendationState;
use bagalau_store::Store;
use chrono::{NaiveDate, NaiveDateTime};
use std::collections::BTreeMap;
use std::path::Path;

/// Reads a calendar file: one deadline per stage, as a TOML date-time or a
/// date (meaning the end of that day).
pub fn read_calendar(path: &Path, year: i32) -> Result<Calendar> {
    let text = crate::files::read_text(path)?;
    let table: toml::Table =
        toml::from_str(&text).with_context(|| format!("{} is not valid TOML", path.display()))?;
    let mut entries = Vec::new();
    for (key, value) in &table {
        let raw = match value {
            toml::Value::Datetime(d) => d.to_string(),
            toml::Value::String(s) => s.clone(),
            _ => bail!("{}: `{key}` must be a date or a date-time", path.display()),
        };
        entries.push((key.clone(), raw));
    }
    let file = path.display().to_string();
    let calendar =
        bagalau_app::cycle::calendar(&file, entries.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .map_err(|problems| {
                anyhow!(
                    "{}",
                    problems
                        .iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join("\n")
                )
            })?;
    calendar
        .check_for(year)
        .map_err(|e| anyhow!("{}: {e}", path.display()))?;
    Ok(calendar)
}

fn now_naive(now: &str) -> Result<NaiveDateTime> {
    Ok(chrono::DateTime::parse_from_rfc3339(now)?.naive_utc())
}

impl App {
    pub async fn cycle_open(&self, year: i32, calendar: &Path, now: &str) -> Result<()> {
        let calendar = read_calendar(calendar, year)?;
        let calendar = bagalau_app::cycle::open(
            &self.store,
            bagalau_app::FrontEnd::CommandLine,
            &self.acting()?,
            year,
            calendar,
            self.reason.clone(),
            now,
        )
        .await?;
        outln!("The {year} cycle is open (times are UTC):");
        for (stage, at) in &calendar.deadlines {
            outln!("  {:<32} until {}", stage.label(), at);
        }
        Ok(())
    }

    pub async fn cycle_extend(&self, year: i32, body: &str, until: &str, now: &str) -> Result<()> {
        let reason = self.reason.clone().ok_or_else(|| {
            anyhow!("an extension needs its reason: bagalau --reason \"…\" cycle extend …")
        })?;
        let extension = bagalau_app::cycle::extend(
            &self.store,
            bagalau_app::FrontEnd::CommandLine,
            &self.acting()?,
            bagalau_app::cycle::NewExtension {
                year,
                body,
                until,
                reason: &reason,
            },
            now,
        )
        .await?;
        outln!(
            "`{body}` may submit its {year} data until {}.",
            extension.until
        );
        Ok(())
    }

    pub async fn cycle_status(&self, year: i32, now: &str) -> Result<()> {
        let calendar = self.store.cycle(year).await?.ok_or_else(|| {
            anyhow!("no {year} cycle is open: bagalau cycle open --year {year} --calendar FILE")
        })?;
        let registry = self.registry().await?;
        let extensions = self.store.extensions(year).await?;
        let submissions: BTreeMap<String, _> =
            self.store.submissions(year).await?.into_iter().collect();
        let now = now_naive(now)?;
        outln!(
            "The {year} cycle, now {}: {}",
            now.format("%Y-%m-%d %H:%M"),
            calendar
                .current(now)
                .map_or("closed".to_string(), |s| format!("stage: {}", s.label()))
        );
        for (stage, at) in &calendar.deadlines {
            outln!(
                "  {:<32} until {}{}",
                stage.label(),
                at,
                if *at < now { " (past)" } else { "" }
            );
        }
        outln!("Submissions:");
        for b in registry
            .evaluated_in(year)
            .into_iter()
            .filter(|b| b.kind != bagalau_core::Kind::Other)
        {
            let state = submissions
                .get(&b.id)
                .map_or("not started", |s| bagalau_store::state_text(*s));
            let deadline = submission_deadline(&calendar, &extensions, &b.id);
            let ext = if deadline != calendar.deadline(Stage::Submission) {
                format!(" (extended to {deadline})")
            } else {
                String::new()
            };
            outln!("  {:<28} {state}{ext}", b.id);
        }
        Ok(())
    }
}

impl App {
    /// Scores every body for risk and stores the selection: the `top`
    /// riskiest, then `draw` more in the seed's order.
    pub async fn verification_select(
        &self,
        year: i32,
        top: usize,
        draw: usize,
        seed: u64,
        now: &str,
    ) -> Result<()> {
        let (scored, rows) = bagalau_app::verification::select(
            &self.store,
            bagalau_app::FrontEnd::CommandLine,
            &self.acting()?,
            bagalau_app::verification::Draw {
                year,
                top,
                draw,
                seed,
            },
            self.reason.clone(),
            now,
        )
        .await?;
        outln!(
            "{} of {scored} bodies selected for verification in {year} (seed {seed}; the same seed and data give the same selection):",
            rows.len(),
        );
        for r in &rows {
            outln!("  {:<28} {} (risk {})", r.body, r.by, r.score);
            for why in &r.reasons {
                outln!("      {why}");
            }
        }
        Ok(())
    }

    pub async fn verification_list(&self, year: i32) -> Result<()> {
        let rows = self.store.selection(year).await?;
        if rows.is_empty() {
            outln!("No verification selection for {year} yet.");
        }
        for r in &rows {
            outln!(
                "  {:<28} {} (risk {}): {}",
                r.body,
                r.by,
                r.score,
                if r.reasons.is_empty() {
                    "-".into()
                } else {
                    r.reasons.join("; ")
                }
            );
        }
        for f in self.store.findings(Some(year)).await? {
            outln!("  finding: {}", f.audit_content());
        }
        Ok(())
    }
}

impl App {
    /// What is due for one account, or for every account.
    pub async fn cycle_due(&self, year: i32, user: Option<&str>, now: &str) -> Result<()> {
        let duties = bagalau_app::cycle::Duties::load(&self.store, year)
            .await
            .map_err(|e| match e {
                bagalau_app::AppError::NotFound(_) => anyhow!("no {year} cycle is open"),
                other => other.into(),
            })?;
        let users = self.store.users().await?;
        let chosen: Vec<_> = users
            .iter()
            .filter(|u| user.is_none_or(|n| u.name == n))
            .collect();
        if chosen.is_empty() {
            bail!(
                "{}",
                user.map_or(
                    "no accounts yet: bagalau user add …".to_string(),
                    |n| format!("no account `{n}`")
                )
            );
        }
        for u in chosen {
            let actor = Actor {
                user: u.name.clone(),
                roles: u.roles.iter().filter_map(|r| Role::parse(r).ok()).collect(),
            };
            // The same list the account sees through the API.
            let items = duties.of(&actor, now)?;
            outln!(
                "{} ({}): {}",
                u.name,
                u.roles.join(", "),
                if items.is_empty() {
                    "nothing due".to_string()
                } else {
                    format!("{} item(s)", items.len())
                }
            );
            for i in items {
                outln!(
                    "  {} {}{} by {}",
                    if i.overdue { "OVERDUE" } else { "due    " },
                    i.what,
                    i.body.map_or(String::new(), |b| format!(" ({b})")),
                    i.deadline
                );
            }
        }
        Ok(())
    }
}

impl App {
    pub async fn recommendation_issue(
        &self,
        year: i32,
        body: &str,
        due: NaiveDate,
        text: &str,
        now: &str,
    ) -> Result<()> {
        let issued = bagalau_app::recommendations::issue(
            &self.store,
            bagalau_app::FrontEnd::CommandLine,
            &self.acting()?,
            &bagalau_app::recommendations::Issuing {
                year,
                body: body.to_string(),
                text: text.to_string(),
                due,
            },
            now,
        )
        .await?;
        let (id, r) = (issued.id, issued.recommendation);
        outln!("Recommendation #{id} issued to {} (due {}).", r.body, r.due);
        Ok(())
    }

    pub async fn recommendation_list(
        &self,
        year: Option<i32>,
        overdue_only: bool,
        now: &str,
    ) -> Result<()> {
        // As far as the signed-in account sees them, as through the API.
        let listed = bagalau_app::recommendations::list(
            &self.store,
            &self.acting()?,
            year,
            overdue_only,
            now,
        )
        .await?;
        if listed.is_empty() {
            outln!(
                "No {}recommendations.",
                if overdue_only { "overdue " } else { "" }
            );
        }
        for entry in &listed {
            let (id, r) = (entry.id, &entry.recommendation);
            let flag = if entry.overdue {
                "OVERDUE "
            } else if r.state == RecommendationState::Executed && !entry.executed_on_time {
                "late    "
            } else {
                ""
            };
            outln!(
                "#{id} {} {:<24} due {} {flag}[{}] {} (issued by {})",
                r.year,
                r.body,
                r.due,
                r.state.as_str(),
                r.text,
                r.issued_by
            );
            if let Some(report) = &r.report {
                outln!("    report: {report}");
            }
            for sha in &r.evidence {
                outln!("    evidence: {sha}");
            }
            if let Some(reason) = &r.review_reason {
                outln!("    returned because: {reason}");
            }
        }
        Ok(())
    }

    /// `bagalau recommendation report`: the body reports it executed.
    pub async fn recommendation_report(
        &self,
        id: i64,
        text: &str,
        evidence: &[String],
        now: &str,
    ) -> Result<()> {
        let r = bagalau_app::recommendations::report(
            &self.store,
            bagalau_app::FrontEnd::CommandLine,
            &self.acting()?,
            id,
            text,
            evidence,
            now,
        )
        .await?;
        outln!(
            "Recommendation #{} reported executed; its issuer reviews it.",
            r.id
        );
        Ok(())
    }

    /// `bagalau recommendation review`: its issuer accepts or returns a report.
    pub async fn recommendation_review(
        &self,
        id: i64,
        accept: bool,
        reason: Option<&str>,
        now: &str,
    ) -> Result<()> {
        let r = bagalau_app::recommendations::review(
            &self.store,
            bagalau_app::FrontEnd::CommandLine,
            &self.acting()?,
            id,
            accept,
            reason,
            now,
        )
        .await?;
        outln!(
            "Recommendation #{} is {}{}.",
            r.id,
            r.recommendation.state.as_str(),
            if r.executed_on_time { ", on time" } else { "" }
        );
        Ok(())
    }

    pub async fn recommendation_rate(
        &self,
        year: i32,
        indicator: &str,
        into_year: i32,
        cutoff: Option<NaiveDate>,
    ) -> Result<()> {
        let cutoff = match cutoff {
            Some(c) => c,
            None => NaiveDate::from_ymd_opt(into_year, 12, 31)
                .ok_or_else(|| anyhow!("no such year {into_year}"))?,
        };
        let rates =
            bagalau_app::recommendations::rates(&self.store, &self.acting()?, year, cutoff).await?;
        let mut csv = bagalau_csv::Writer::from_writer(Vec::new());
        csv.write_record(["year", "body_id", "indicator_id", "value", "note"])?;
        for (body, c) in rates {
            let note = format!(
                "{} of {} recommendations ({year}) due by {cutoff} executed on time",
                c.on_time, c.due
            );
            csv.write_record([
                into_year.to_string(),
                body,
                indicator.to_string(),
                format!("{}", bagalau_app::recommendations::rate(c)),
                note,
            ])?;
        }
        let bytes = csv.into_inner().map_err(|e| anyhow!("{e}"))?;
        outln!("{}", String::from_utf8(bytes)?.trim_end());
        Ok(())
    }
}

impl App {
    /// `bagalau cycle approve`.
    pub async fn approve(&self, year: i32, now: &str) -> Result<()> {
        let p = bagalau_app::publication::approve(
            &self.store,
            bagalau_app::FrontEnd::CommandLine,
            &self.acting()?,
            year,
            self.reason.clone(),
            now,
        )
        .await?;
        if p.new {
            outln!(
                "Approved: {year} published as version {} (sha256 {}).",
                p.version,
                p.sha256
            );
        } else {
            outln!(
                "Approved: {year} is published with these results as version {}.",
                p.version
            );
        }
        if let Some(changes) = crate::app::changes_line(&p) {
            outln!("{changes}");
        }
        Ok(())
    }

    /// `bagalau correction request`.
    pub async fn correction_request(&self, year: i32, now: &str) -> Result<()> {
        let Some(reason) = self.reason.as_deref() else {
            bail!(
                "a correction needs its reason: bagalau --reason \"…\" correction request --year {year}"
            );
        };
        let (id, _) = bagalau_app::correction::request(
            &self.store,
            bagalau_app::FrontEnd::CommandLine,
            &self.acting()?,
            year,
            reason,
            now,
        )
        .await?;
        outln!(
            "Correction {id} of {year} requested: a commission member decides it (bagalau correction decide --year {year} --id {id})."
        );
        Ok(())
    }

    /// `bagalau correction decide`.
    pub async fn correction_decide(
        &self,
        year: i32,
        id: i64,
        accept: bool,
        now: &str,
    ) -> Result<()> {
        let Some(reason) = self.reason.as_deref() else {
            bail!("a decision needs its reason: bagalau --reason \"…\" correction decide …");
        };
        let c = bagalau_app::correction::decide(
            &self.store,
            bagalau_app::FrontEnd::CommandLine,
            &self.acting()?,
            bagalau_app::correction::Decision {
                year,
                id,
                accept,
                reason,
            },
            now,
        )
        .await?;
        outln!(
            "Correction {id} of {year} {}.",
            match c.state {
                bagalau_core::correction::CorrectionState::Accepted =>
                    "accepted: the year's data may change until the commission approves it again (bagalau cycle approve)",
                _ => "rejected",
            }
        );
        Ok(())
    }

    /// `bagalau correction list`.
    pub async fn correction_list(&self, year: i32) -> Result<()> {
        let list = bagalau_app::correction::list(&self.store, &self.acting()?, year).await?;
        if list.is_empty() {
            outln!("No correction of {year}.");
        }
        for (id, c) in list {
            outln!(
                "#{id} {} [{}] asked by {}: {}{}{}",
                c.year,
                c.state.as_str(),
                c.requested_by,
                c.reason,
                c.decided_by.as_ref().map_or(String::new(), |by| format!(
                    "; decided by {by}: {}",
                    c.decision.as_deref().unwrap_or("")
                )),
                c.version
                    .map_or(String::new(), |v| format!("; published as version {v}"))
            );
        }
        Ok(())
    }
}

impl App {
    /// `bagalau cycle opinion`: a commission member's expert opinion.
    pub async fn cycle_opinion(
        &self,
        year: i32,
        body: Option<String>,
        text: &str,
        now: &str,
    ) -> Result<()> {
        let opinion = bagalau_app::opinions::record_opinion(
            &self.store,
            bagalau_app::FrontEnd::CommandLine,
            &self.acting()?,
            year,
            body,
            text,
            now,
        )
        .await?;
        outln!(
            "Opinion on {} recorded.",
            opinion.body.map_or_else(
                || format!("the results of {year}"),
                |b| format!("{b} ({year})")
            )
        );
        Ok(())
    }

    /// `bagalau cycle conclude`: an assessor's conclusion.
    pub async fn cycle_conclude(
        &self,
        year: i32,
        concluding: &bagalau_app::opinions::Concluding,
        now: &str,
    ) -> Result<()> {
        let c = bagalau_app::opinions::conclude(
            &self.store,
            bagalau_app::FrontEnd::CommandLine,
            &self.acting()?,
            year,
            concluding,
            now,
        )
        .await?;
        outln!(
            "The {} conclusion on `{}` for {} ({year}) is written.",
            if c.is_final { "final" } else { "preliminary" },
            c.direction,
            c.body
        );
        Ok(())
    }

    /// `bagalau cycle finding`: a verifier's finding, correcting a value.
    pub async fn cycle_finding(
        &self,
        year: i32,
        finding: &bagalau_app::verification::VerifierFinding,
        now: &str,
    ) -> Result<()> {
        let f = bagalau_app::verification::record_finding(
            &self.store,
            bagalau_app::FrontEnd::CommandLine,
            &self.acting()?,
            year,
            finding,
            now,
        )
        .await?;
        let shown = |v: Option<f64>| v.map_or_else(|| "no data".to_string(), |v| v.to_string());
        outln!(
            "Finding recorded: {} {} of {year} corrected from {} to {}.",
            f.body,
            f.indicator,
            shown(f.old),
            shown(f.new)
        );
        Ok(())
    }

    /// `bagalau cycle opinions`: the commission's opinions on a year.
    pub async fn cycle_opinions(&self, year: i32) -> Result<()> {
        let opinions = bagalau_app::opinions::opinions(&self.store, &self.acting()?, year).await?;
        if opinions.is_empty() {
            outln!("No opinions on {year}.");
        }
        for o in &opinions {
            outln!(
                "{} on {}:\n  {}",
                o.author,
                o.body.as_deref().unwrap_or("the year"),
                o.text
            );
        }
        Ok(())
    }

    /// `bagalau cycle conclusions`: the conclusions the account may see.
    pub async fn cycle_conclusions(
        &self,
        year: i32,
        is_final: Option<bool>,
        body: Option<&str>,
    ) -> Result<()> {
        let list =
            bagalau_app::opinions::conclusions(&self.store, &self.acting()?, year, is_final, body)
                .await?;
        if list.is_empty() {
            outln!("No conclusions on {year} that this account may see.");
        }
        for c in &list {
            outln!(
                "{} / {} ({}, by {}):\n  {}",
                c.body,
                c.direction,
                if c.is_final { "final" } else { "preliminary" },
                c.author,
                c.text
            );
        }
        Ok(())
    }
}
