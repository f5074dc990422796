//! What the records of public-service deliveries are counted into, and the
//! port through which the application asks for those counts. The counting
//! itself (Parquet read by an analytical engine) lives behind
//! [`DeliveryRecords`], so nothing above needs the engine to be built.

use crate::calendar::WorkingDays;
use crate::register::Register;
use std::collections::{BTreeMap, BTreeSet};
use std::future::Future;
use std::ops::RangeInclusive;
use std::pin::Pin;

/// The counts the indicator pack's SQL returns for every group, in its
/// column order.
pub const COUNTS: [&str; 9] = [
    "records",
    "hidden",
    "on_time",
    "violations",
    "no_delivery_date",
    "electronic",
    "documents_recorded",
    "extra_documents",
    "breaches",
];

/// The breakdowns the records are counted by: the record's own columns,
/// its service's sector and the month.
pub const DIMENSIONS: [&str; 8] = [
    "service",
    "sector",
    "provider",
    "region",
    "office",
    "channel",
    "recipient",
    "month",
];

/// The counts of one group of records.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts([u64; COUNTS.len()]);

impl Counts {
    pub fn get(&self, name: &str) -> u64 {
        COUNTS
            .iter()
            .position(|c| *c == name)
            .map_or(0, |i| self.0[i])
    }

    /// From values in the order of [`COUNTS`] (missing ones are zero).
    pub fn from_values(values: &[u64]) -> Counts {
        let mut c = Counts::default();
        for (a, b) in c.0.iter_mut().zip(values) {
            *a = *b;
        }
        c
    }

    /// The values in the order of [`COUNTS`].
    pub fn values(&self) -> [u64; COUNTS.len()] {
        self.0
    }

    pub fn add(&mut self, other: &Counts) {
        for (a, b) in self.0.iter_mut().zip(other.0) {
            *a += b;
        }
    }
}

/// A year's counts by breakdown: (dimension, value, month) → counts. The
/// value is `None` for records without one (a hidden service has no sector).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Breakdown {
    pub groups: BTreeMap<(String, Option<String>, u32), Counts>,
}

impl Breakdown {
    /// The year's counts of a dimension's values, every month summed.
    pub fn year(&self, dimension: &str) -> BTreeMap<Option<String>, Counts> {
        let mut out: BTreeMap<Option<String>, Counts> = BTreeMap::new();
        for ((d, v, _), c) in &self.groups {
            if d == dimension {
                out.entry(v.clone()).or_default().add(c);
            }
        }
        out
    }

    pub fn total(&self) -> Counts {
        let mut total = Counts::default();
        for ((d, _, _), c) in &self.groups {
            if d == "month" {
                total.add(c);
            }
        }
        total
    }

    pub fn merge(&mut self, other: Breakdown) {
        self.groups.extend(other.groups);
    }

    pub fn months(&self) -> BTreeSet<u32> {
        self.groups.keys().map(|(_, _, m)| *m).collect()
    }

    /// Keeps the months not in `months` (before their counts are replaced).
    pub fn without(mut self, months: &BTreeSet<u32>) -> Breakdown {
        self.groups.retain(|(_, _, m), _| !months.contains(m));
        self
    }

    /// Keeps only the months in `months`.
    pub fn within(mut self, months: &RangeInclusive<u32>) -> Breakdown {
        self.groups.retain(|(_, _, m), _| months.contains(m));
        self
    }
}

/// Which records to count: each condition given must hold (a record's
/// sector is its service's sector in the register version in force on the
/// day it was requested).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Filter {
    pub service: Option<String>,
    pub sector: Option<String>,
    pub provider: Option<String>,
    pub region: Option<String>,
    pub office: Option<String>,
    pub channel: Option<String>,
    pub recipient: Option<String>,
}

impl Filter {
    /// Each condition as (column, value), in the order of [`DIMENSIONS`].
    pub fn conditions(&self) -> Vec<(&'static str, &str)> {
        [
            ("service", &self.service),
            ("sector", &self.sector),
            ("provider", &self.provider),
            ("region", &self.region),
            ("office", &self.office),
            ("channel", &self.channel),
            ("recipient", &self.recipient),
        ]
        .into_iter()
        .filter_map(|(name, value)| value.as_deref().map(|v| (name, v)))
        .collect()
    }

    pub fn is_empty(&self) -> bool {
        self.conditions().is_empty()
    }
}

/// What the records of a year are to be counted with.
pub struct Question<'a> {
    pub year: i32,
    /// The months to count (1 to 12 for the whole year).
    pub months: RangeInclusive<u32>,
    pub filter: &'a Filter,
    pub register: &'a Register,
    /// The working days the register's deadlines are counted on.
    pub days: &'a WorkingDays,
    /// The register and calendar as text: what cached counts were made
    /// with, so a change in either counts the records again.
    pub inputs: &'a str,
}

/// A year's counts and how they were had.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Counted {
    pub breakdown: Breakdown,
    /// The months counted from the records now; the others came from the
    /// cache of counts kept with the fingerprint of their records.
    pub counted_now: Vec<u32>,
    /// The records counted include demonstration data (generated, not
    /// reported): what is made of them must say so.
    pub demonstration: bool,
}

/// The records could not be counted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the delivery records: {0}")]
pub struct RecordsError(pub String);

pub type Counting<'a> =
    Pin<Box<dyn Future<Output = Result<Option<Counted>, RecordsError>> + Send + 'a>>;

/// How many files a removal took away.
pub type Removing<'a> = Pin<Box<dyn Future<Output = Result<usize, RecordsError>> + Send + 'a>>;

/// A file of delivery records to import (CSV or Parquet, the columns of
/// docs/services.md).
#[derive(Debug, Clone, Copy)]
pub struct RecordsFile<'a> {
    pub path: &'a std::path::Path,
    /// Names the new files: one `<stem>.parquet` per month (a stem
    /// imported already is refused, so the same records are not added
    /// twice).
    pub stem: &'a str,
    pub parquet: bool,
    /// Import the good rows even when some are bad.
    pub keep_good_rows: bool,
    /// The providers whose records may be imported (an importer's own);
    /// none: any. A record of another provider is a bad row.
    pub providers: Option<&'a [String]>,
    /// Where the bad rows are written, with their lines, when there are any.
    pub quarantine: &'a std::path::Path,
}

/// A row that was not imported.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct BadRecord {
    pub line: u64,
    /// Empty when the row as a whole is wrong.
    pub column: String,
    pub message: String,
}

/// Records added to a month.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct MonthAdded {
    pub year: i32,
    pub month: u32,
    pub records: u64,
}

/// What an import of records did.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ImportOutcome {
    /// Whether the good rows went in (all or nothing, unless asked to keep
    /// the good rows).
    pub imported: bool,
    pub added: Vec<MonthAdded>,
    pub bad_rows: usize,
    /// The first [`BAD_ROWS_KEPT`] bad rows.
    pub bad: Vec<BadRecord>,
}

/// How many bad rows an outcome lists (all of them are in the quarantine file).
pub const BAD_ROWS_KEPT: usize = 1000;

/// The delivery records kept, as an analytical engine counts them.
pub trait DeliveryRecords: Send + Sync {
    /// The counts of the records of `question.year` that pass its filter,
    /// by every breakdown and month; `None` when that year has no records.
    fn count<'a>(&'a self, question: Question<'a>) -> Counting<'a>;

    /// Imports a file of records, blocking until done (a front end runs it
    /// where blocking is allowed), telling `progress` the rows read.
    fn import(
        &self,
        file: RecordsFile<'_>,
        progress: &mut dyn FnMut(u64),
    ) -> Result<ImportOutcome, RecordsError>;

    /// Removes the records an import named `stem` added, in every month:
    /// what an import whose server stopped midway may have left.
    fn remove<'a>(&'a self, stem: &'a str) -> Removing<'a>;
}

/// No records kept: every year has none (a server or a test without the
/// analytical engine).
#[derive(Debug, Clone, Copy, Default)]
pub struct NoRecords;

impl DeliveryRecords for NoRecords {
    fn count<'a>(&'a self, _question: Question<'a>) -> Counting<'a> {
        Box::pin(std::future::ready(Ok(None)))
    }

    fn import(
        &self,
        _file: RecordsFile<'_>,
        _progress: &mut dyn FnMut(u64),
    ) -> Result<ImportOutcome, RecordsError> {
        Err(RecordsError(
            "this server keeps no delivery records (no analytical engine)".into(),
        ))
    }

    fn remove<'a>(&'a self, _stem: &'a str) -> Removing<'a> {
        Box::pin(std::future::ready(Ok(0)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_year_adds_its_months_and_a_range_keeps_its_own() {
        let mut b = Breakdown::default();
        for (month, records) in [(1, 3), (2, 5), (3, 7)] {
            b.groups.insert(
                ("month".into(), None, month),
                Counts::from_values(&[records]),
            );
            b.groups.insert(
                ("region".into(), Some("astana".into()), month),
                Counts::from_values(&[records]),
            );
        }
        assert_eq!(b.total().get("records"), 15);
        let spring = b.clone().within(&(2..=3));
        assert_eq!(spring.total().get("records"), 12);
        assert_eq!(
            spring.year("region")[&Some("astana".to_string())].get("records"),
            12
        );
        assert_eq!(
            b.without(&BTreeSet::from([1])).months(),
            BTreeSet::from([2, 3])
        );
    }

    #[test]
    fn a_filter_lists_its_conditions_in_the_breakdowns_order() {
        let filter = Filter {
            region: Some("astana".into()),
            sector: Some("health".into()),
            ..Filter::default()
        };
        assert_eq!(
            filter.conditions(),
            vec![("sector", "health"), ("region", "astana")]
        );
        assert!(Filter::default().is_empty());
    }
}
