//! Public services, as pure data and rules: the register of services and
//! their standards, Kazakhstan's working-day calendar for deadlines, and
//! the satisfaction-survey statistics. The raw delivery records are counted
//! by the analytical engine (`bagalau-analytics`); nothing here reads files.

pub mod calendar;
pub mod register;
pub mod survey;

/// The `expected` columns a table's header lacks, in their order.
pub fn missing_columns<'a>(expected: &[&'a str], header: &[String]) -> Vec<&'a str> {
    expected
        .iter()
        .copied()
        .filter(|c| !header.iter().any(|h| h == c))
        .collect()
}
