//! `bagalau objection …`: objections to preliminary conclusions from the
//! command line, through the same use cases as the API
//! (`bagalau_app::objections`), as the signed-in account: a body's reporter
//! files, the direction's assessor decides, the reporter escalates a
//! rejection, the commission rules.

use crate::app::App;
use anyhow::{Result, anyhow};
use bagalau_app::FrontEnd;
use bagalau_app::objections::{self, CorrectedValue, Filing, Stepped};
use clap::Subcommand;

#[derive(Subcommand)]
pub enum ObjectionCommand {
    /// File an objection to the body's preliminary conclusion on one
    /// criterion (a reporter of the body, in the objections stage).
    File {
        #[arg(long)]
        year: i32,
        #[arg(long)]
        body: String,
        #[arg(long)]
        direction: String,
        #[arg(long)]
        criterion: String,
        /// SHA-256 of a supporting file the account uploaded (repeatable).
        #[arg(long)]
        evidence: Vec<String>,
        statement: String,
    },
    /// Accept or reject an objection, with the reason (the direction's
    /// assessor); an accepted one may correct the values its criterion reads.
    Decide {
        #[arg(long)]
        year: i32,
        #[arg(long)]
        id: i64,
        /// Accept it (without: reject it).
        #[arg(long)]
        accept: bool,
        #[arg(long)]
        reason: String,
        /// A corrected value, INDICATOR=VALUE (or INDICATOR= for no data);
        /// repeatable, only with --accept.
        #[arg(long = "value", requires = "accept")]
        values: Vec<String>,
    },
    /// Take a rejected objection to the commission (a reporter of the body).
    Escalate {
        #[arg(long)]
        year: i32,
        #[arg(long)]
        id: i64,
    },
    /// The commission's ruling on an escalated objection, with the reason.
    Rule {
        #[arg(long)]
        year: i32,
        #[arg(long)]
        id: i64,
        /// Uphold the objection (without: dismiss it).
        #[arg(long)]
        uphold: bool,
        #[arg(long)]
        reason: String,
    },
    /// The year's objections the account may see.
    List {
        #[arg(long)]
        year: i32,
    },
}

/// `INDICATOR=VALUE` as a corrected value; an empty value is "no data".
fn corrected(text: &str) -> Result<CorrectedValue> {
    let (indicator, value) = text
        .split_once('=')
        .ok_or_else(|| anyhow!("--value {text}: write INDICATOR=VALUE"))?;
    let value = match value.trim() {
        "" => None,
        v => Some(
            v.parse::<f64>()
                .map_err(|_| anyhow!("--value {text}: `{v}` is not a number"))?,
        ),
    };
    Ok(CorrectedValue {
        indicator: indicator.trim().to_string(),
        value,
        note: None,
    })
}

fn said(s: &Stepped) -> Result<()> {
    outln!(
        "Objection #{} is {}{}.",
        s.id,
        bagalau_store::objection_state_text(s.state),
        if s.corrected {
            "; the values are corrected"
        } else {
            ""
        }
    );
    Ok(())
}

impl App {
    pub async fn objection(&self, command: ObjectionCommand, now: &str) -> Result<()> {
        let (store, front, actor) = (&self.store, FrontEnd::CommandLine, self.acting()?);
        match command {
            ObjectionCommand::File {
                year,
                body,
                direction,
                criterion,
                evidence,
                statement,
            } => {
                let filing = Filing {
                    body,
                    direction,
                    criterion,
                    statement,
                    evidence,
                };
                said(&objections::file(store, front, &actor, year, filing, now).await?)?;
            }
            ObjectionCommand::Decide {
                year,
                id,
                accept,
                reason,
                values,
            } => {
                let corrections = values
                    .iter()
                    .map(|v| corrected(v))
                    .collect::<Result<Vec<_>>>()?;
                said(
                    &objections::decide(
                        store,
                        front,
                        &actor,
                        year,
                        id,
                        accept,
                        &reason,
                        corrections,
                        now,
                    )
                    .await?,
                )?;
            }
            ObjectionCommand::Escalate { year, id } => {
                said(&objections::escalate(store, front, &actor, year, id, now).await?)?;
            }
            ObjectionCommand::Rule {
                year,
                id,
                uphold,
                reason,
            } => {
                said(
                    &objections::rule(store, front, &actor, year, id, uphold, &reason, now).await?,
                )?;
            }
            ObjectionCommand::List { year } => {
                let listed = objections::list(store, &actor, year).await?;
                if listed.is_empty() {
                    outln!("No objections of {year} that this account may see.");
                }
                for (id, o) in listed {
                    outln!(
                        "#{id} {} {} / {} [{}] by {}: {}",
                        o.body,
                        o.direction,
                        o.criterion,
                        bagalau_store::objection_state_text(o.state),
                        o.filed_by,
                        o.statement
                    );
                    if let Some(reason) = &o.reason {
                        outln!(
                            "    decided by {}: {reason}",
                            o.decided_by.as_deref().unwrap_or("?")
                        );
                    }
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::corrected;

    #[test]
    fn a_corrected_value_is_an_indicator_and_a_number_or_nothing() {
        let v = corrected("bl_violations=3.5").unwrap();
        assert_eq!(
            (v.indicator.as_str(), v.value),
            ("bl_violations", Some(3.5))
        );
        assert_eq!(corrected("bl_violations=").unwrap().value, None);
        assert!(corrected("bl_violations").is_err());
        assert!(
            corrected("bl_violations=many")
                .unwrap_err()
                .to_string()
                .contains("`many` is not a number")
        );
    }
}
