//! The one error of the use cases, and the one positioned problem.

use bagalau_core::cycle::CycleError;
use bagalau_core::refusal::Refusal;
use bagalau_store::StoreError;
use std::fmt;

/// A problem with some input, where it is: the file or table, the line or
/// row and the column when known.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Problem {
    /// The file, table or request field.
    pub source: String,
    pub line: Option<usize>,
    /// The column's name, letter or number.
    pub column: Option<String>,
    pub message: String,
}

impl Problem {
    /// A problem with a request's field or a whole input.
    pub fn of(source: &str, message: impl Into<String>) -> Problem {
        Problem {
            source: source.to_string(),
            line: None,
            column: None,
            message: message.into(),
        }
    }
}

impl From<&bagalau_core::Diagnostic> for Problem {
    /// A position in a text file (line and character, counted from 1; 0
    /// for none).
    fn from(d: &bagalau_core::Diagnostic) -> Problem {
        Problem {
            source: d.file.clone(),
            line: (d.line > 0).then_some(d.line),
            column: (d.line > 0 && d.column > 0).then(|| d.column.to_string()),
            message: d.message.clone(),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // A position in a text file is written as compilers and editors
        // write it (`file:line:column:`); a named column as words.
        if let (Some(line), Some(column)) = (self.line, &self.column)
            && !column.is_empty()
            && column.bytes().all(|b| b.is_ascii_digit())
        {
            return write!(f, "{}:{line}:{column}: {}", self.source, self.message);
        }
        write!(f, "{}: ", self.source)?;
        match (self.line, &self.column) {
            (Some(line), Some(column)) => write!(f, "line {line}, column `{column}`: ")?,
            (Some(line), None) => write!(f, "line {line}: ")?,
            (None, Some(column)) => write!(f, "column `{column}`: ")?,
            (None, None) => {}
        }
        write!(f, "{}", self.message)
    }
}

/// Why a use case did not do what was asked.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// No account: no token, or one that is unknown, expired or revoked.
    #[error("no account: sign in (`bagalau login NAME`, or a token in BAGALAU_TOKEN)")]
    Unauthenticated,
    /// The actor's roles or scope do not allow it.
    #[error("not allowed: {0}")]
    Forbidden(Refusal),
    /// Not in this state or at this time.
    #[error("not possible now: {0}")]
    Conflict(Refusal),
    /// The cycle's rules said no (who, when, which state).
    #[error(transparent)]
    Rule(#[from] CycleError),
    #[error("invalid input: {}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
    Invalid(Vec<Problem>),
    /// A field that may not be left empty (its refusal's code lets a
    /// client say so in its own language).
    #[error("invalid input: {field}: {refusal}")]
    Required {
        field: &'static str,
        refusal: Refusal,
    },
    #[error("{0}")]
    NotFound(String),
    /// A file or body over its size limit.
    #[error("{0}")]
    TooLarge(String),
    #[error("wrong account name or password")]
    WrongLogin,
    /// Recent failed logins for the name or from the address: wait.
    #[error("too many failed logins for this name or from this address: try again in {seconds} s")]
    TooManyAttempts { seconds: i64 },
    /// Too much work in hand (passwords being checked): try again shortly.
    #[error("busy: try again in a moment")]
    Busy,
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("internal error: {0}")]
    Internal(String),
}

impl AppError {
    /// Why, as data, when a rule refused.
    pub fn refusal(&self) -> Option<Refusal> {
        match self {
            AppError::Forbidden(r) | AppError::Conflict(r) => Some(r.clone()),
            AppError::Rule(e) => e.refusal(),
            _ => None,
        }
    }
}
