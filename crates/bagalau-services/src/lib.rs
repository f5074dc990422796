//! Public services, as pure data and rules: the register of services and
//! their standards, Kazakhstan's working-day calendar for deadlines, and
//! the satisfaction-survey statistics. The raw delivery records are counted
//! by the analytical engine (`bagalau-analytics`); nothing here reads files.

pub mod calendar;
pub mod register;
pub mod survey;
