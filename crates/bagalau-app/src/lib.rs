//! Bagalau's application core: each use case written once, for every front
//! end (the command line, the JSON API, the workspace pages).
//!
//! A use case takes the store, the acting account ([`Actor`]), a typed
//! request and the time (and randomness, where it needs any) as
//! parameters, checks the actor's roles and scope itself, applies the
//! lifecycle's locks, writes one audited batch, and returns a typed result
//! or an [`AppError`]. It prints nothing and knows neither HTTP nor the
//! terminal: the front ends turn results into tables, JSON or pages, and
//! errors into exit codes or statuses.
//!
//! The families move here one at a time (issue 18's plan): identity and
//! accounts, the permission table, the current assessment and publication
//! are the first.

pub mod accounts;
pub mod assessment;
pub mod audit;
pub mod citizens;
pub mod correction;
pub mod cycle;
pub mod error;
pub mod evidence;
pub mod identity;
pub mod imports;
pub mod index;
pub mod indicators;
pub mod locks;
pub mod methodology;
pub mod monitoring;
pub mod objections;
pub mod opinions;
pub mod performance;
pub mod permission;
pub mod publication;
pub mod ratings;
pub mod recommendations;
pub mod records;
pub mod report_data;
pub mod services;
pub mod submissions;
pub mod surveys;
pub mod verification;

pub use bagalau_core::cycle::{Actor, Role};
pub use error::{AppError, Problem};

/// A file given to an import: its name (for the problems found in it)
/// and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Upload {
    pub name: String,
    pub text: String,
}

/// Results of use cases.
pub type AppResult<T> = Result<T, AppError>;

/// How a front end's writes are labelled in the audit trail: `cli:NAME`,
/// `api:NAME`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FrontEnd {
    CommandLine,
    Api,
}

impl FrontEnd {
    /// The audit trail's name for `user` acting through this front end.
    pub fn label(self, user: &str) -> String {
        match self {
            FrontEnd::CommandLine => format!("cli:{user}"),
            FrontEnd::Api => format!("api:{user}"),
        }
    }
}

/// An empty write batch, stamped with the time, who and why.
pub(crate) fn batch(
    front: FrontEnd,
    actor: &Actor,
    now: &str,
    reason: Option<String>,
) -> bagalau_store::ImportBatch {
    bagalau_store::ImportBatch {
        at: now.to_string(),
        actor: front.label(&actor.user),
        reason,
        ..Default::default()
    }
}

/// A time in RFC 3339 as the rules take it (UTC).
pub(crate) fn naive(now: &str) -> AppResult<chrono::NaiveDateTime> {
    chrono::DateTime::parse_from_rfc3339(now)
        .map(|t| t.naive_utc())
        .map_err(|e| AppError::Internal(format!("the time `{now}`: {e}")))
}
