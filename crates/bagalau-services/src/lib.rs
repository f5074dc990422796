//! Public services, as pure data and rules: the register of services and
//! their standards, Kazakhstan's working-day calendar for deadlines, and
//! the satisfaction-survey statistics. The raw delivery records are counted
//! by the analytical engine (`bagalau-analytics`); nothing here reads files.

pub mod calendar;
pub mod complaints;
pub mod deliveries;
pub mod kept;
pub mod openness;
pub mod pack;
pub mod questionnaire;
pub mod rating_inputs;
pub mod ratings;
pub mod register;
pub mod report;
pub mod responses;
pub mod survey;

use std::fmt;

/// The `expected` columns a table's header lacks, in their order.
pub fn missing_columns<'a>(expected: &[&'a str], header: &[String]) -> Vec<&'a str> {
    expected
        .iter()
        .copied()
        .filter(|c| !header.iter().any(|h| h == c))
        .collect()
}

/// The first of the columns `read` that the header names a second time
/// (which of the two holds the values?).
pub fn named_twice(header: &[String], read: impl Fn(&str) -> bool) -> Option<&str> {
    header
        .iter()
        .enumerate()
        .find(|(i, h)| read(h) && header[..*i].contains(h))
        .map(|(_, h)| h.as_str())
}

/// A problem of an input file (a register, a survey export), with where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// 1-based line of the file (the header is line 1); 0 for the whole file.
    pub line: usize,
    pub column: String,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, self.column.is_empty()) {
            (0, _) => write!(f, "{}", self.message),
            (l, true) => write!(f, "line {l}: {}", self.message),
            (l, false) => write!(f, "line {l}, column `{}`: {}", self.column, self.message),
        }
    }
}
