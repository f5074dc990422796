//! Complaints and applications of individuals and legal entities, one
//! record each, and the indicators of the direction "Quality of handling
//! complaints and applications" counted from them per body and year.
//!
//! The terms of consideration are parameters ([`Terms`]); their defaults
//! and sources are in `docs/citizens.md`. A record without a due date gets
//! the term of its kind counted in working days on Kazakhstan's calendar.

use crate::Problem;
use crate::calendar::{CalendarError, Rules, WorkingDays};
use chrono::{Datelike, NaiveDate};
use std::collections::BTreeMap;

/// The reading of a plain CSV table with a problem per bad cell, shared by
/// the complaints and the openness records.
pub(crate) mod table {
    use crate::{Problem, missing_columns};
    use chrono::NaiveDate;
    use std::collections::BTreeMap;

    pub fn problem(line: usize, column: &str, message: impl Into<String>) -> Problem {
        Problem {
            line,
            column: column.to_string(),
            message: message.into(),
        }
    }

    /// The longest cell read: ids, names and channels are short; a longer
    /// cell is a broken export (a quote never closed).
    pub const LONGEST_CELL: usize = 2000;

    /// A table's header and its rows with their lines.
    pub struct Table {
        pub header: Vec<String>,
        pub rows: Vec<(usize, csv::StringRecord)>,
    }

    /// Reads the table; a row that is not CSV, a header without the
    /// `required` columns, or a column named twice is a problem.
    pub fn read(text: &str, required: &[&str]) -> Result<Table, Vec<Problem>> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        if text.trim().is_empty() {
            return Err(vec![problem(0, "", "the file is empty")]);
        }
        // The CSV reader's line numbers count only `\n` endings right.
        let text = text.replace("\r\n", "\n");
        let mut reader = csv::ReaderBuilder::new()
            .flexible(false)
            .from_reader(text.as_bytes());
        let header: Vec<String> = match reader.headers() {
            Ok(h) => h.iter().map(|c| c.trim().to_string()).collect(),
            Err(e) => return Err(vec![problem(1, "", format!("the header is not read: {e}"))]),
        };
        let missing = missing_columns(required, &header);
        if !missing.is_empty() {
            let message = bagalau_core::checked::separator_hint(&header)
                .unwrap_or_else(|| format!("the header lacks the columns {}", missing.join(", ")));
            return Err(vec![problem(1, "", message)]);
        }
        if let Some(h) = crate::named_twice(&header, |_| true) {
            return Err(vec![problem(1, h, "the column is named twice")]);
        }
        let mut rows = Vec::new();
        let mut problems = Vec::new();
        for (index, record) in reader.records().enumerate() {
            match record {
                Ok(r) => {
                    let line = r.position().map_or(index + 2, |p| p.line() as usize);
                    for (i, cell) in r.iter().enumerate() {
                        if let Err(e) = bagalau_core::checked::text(cell, LONGEST_CELL) {
                            let column = header.get(i).map_or("", String::as_str);
                            problems.push(problem(line, column, e.to_string()));
                        }
                    }
                    rows.push((line, r));
                }
                Err(e) => {
                    let line = e.position().map_or(index + 2, |p| p.line() as usize);
                    let message = match e.kind() {
                        csv::ErrorKind::UnequalLengths {
                            expected_len, len, ..
                        } => {
                            bagalau_core::checked::row_length(*len as usize, *expected_len as usize)
                        }
                        _ => format!("not a CSV row: {e}"),
                    };
                    problems.push(problem(line, "", message));
                }
            }
        }
        if problems.is_empty() && rows.is_empty() {
            problems.push(problem(0, "", "the file has no records: only its header"));
        }
        if problems.is_empty() {
            Ok(Table { header, rows })
        } else {
            Err(problems)
        }
    }

    /// One row's cells by column name; every bad cell adds a problem.
    pub struct Cells<'a> {
        pub line: usize,
        /// The day of the import: a day that happened (received, answered,
        /// published) cannot be after it. None when stored records are read
        /// again.
        pub today: Option<NaiveDate>,
        pub columns: &'a BTreeMap<String, usize>,
        pub record: &'a csv::StringRecord,
        pub problems: &'a mut Vec<Problem>,
    }

    impl Cells<'_> {
        pub fn raw(&self, column: &str) -> &str {
            self.columns
                .get(column)
                .and_then(|&i| self.record.get(i))
                .unwrap_or("")
                .trim()
        }

        pub fn bad(&mut self, column: &str, message: impl Into<String>) {
            self.problems.push(problem(self.line, column, message));
        }

        /// A cell that must not be empty.
        pub fn text(&mut self, column: &str) -> Option<String> {
            let raw = self.raw(column).to_string();
            if raw.is_empty() {
                self.bad(column, "empty: a value is required");
                None
            } else {
                Some(raw)
            }
        }

        /// `Some(None)` for an empty cell, `None` for a bad one.
        pub fn optional_date(&mut self, column: &str) -> Option<Option<NaiveDate>> {
            let raw = self.raw(column).to_string();
            if raw.is_empty() {
                return Some(None);
            }
            match bagalau_core::checked::date(&raw) {
                Ok(d) => Some(Some(d)),
                Err(e) => {
                    self.bad(column, e.to_string());
                    None
                }
            }
        }

        /// A day that happened: not after the day of the import.
        pub fn optional_past_date(&mut self, column: &str) -> Option<Option<NaiveDate>> {
            match self.optional_date(column)? {
                Some(d) => self.happened(column, d).map(Some),
                None => Some(None),
            }
        }

        pub fn past_date(&mut self, column: &str) -> Option<NaiveDate> {
            let date = self.date(column)?;
            self.happened(column, date)
        }

        fn happened(&mut self, column: &str, date: NaiveDate) -> Option<NaiveDate> {
            match self.today {
                Some(today) if date > today => {
                    self.bad(
                        column,
                        format!("{date} is after today, {today}: it has not happened yet"),
                    );
                    None
                }
                _ => Some(date),
            }
        }

        pub fn date(&mut self, column: &str) -> Option<NaiveDate> {
            match self.optional_date(column)? {
                Some(d) => Some(d),
                None => {
                    self.bad(column, "empty: a date (YYYY-MM-DD) is required");
                    None
                }
            }
        }

        /// `Some(None)` for an empty cell, `None` for a bad one.
        pub fn optional_flag(&mut self, column: &str) -> Option<Option<bool>> {
            let raw = self.raw(column).to_lowercase();
            match raw.as_str() {
                "" => Some(None),
                "1" | "true" | "yes" => Some(Some(true)),
                "0" | "false" | "no" => Some(Some(false)),
                _ => {
                    self.bad(
                        column,
                        format!("`{raw}` is not a yes or no (1, 0, true, false, yes, no)"),
                    );
                    None
                }
            }
        }

        pub fn flag(&mut self, column: &str) -> Option<bool> {
            match self.optional_flag(column)? {
                Some(f) => Some(f),
                None => {
                    self.bad(column, "empty: write 1 (yes) or 0 (no)");
                    None
                }
            }
        }
    }

    /// Column name to index.
    pub fn columns(header: &[String]) -> BTreeMap<String, usize> {
        header
            .iter()
            .enumerate()
            .map(|(i, h)| (h.clone(), i))
            .collect()
    }

    pub fn flag_text(flag: bool) -> &'static str {
        if flag { "1" } else { "0" }
    }

    pub fn date_text(date: Option<NaiveDate>) -> String {
        date.map(|d| d.to_string()).unwrap_or_default()
    }
}

use table::{Cells, columns, date_text, flag_text};

/// The working days of `year` and, when the calendar knows it, the next
/// one (a term begun late in December ends in January); and the last year
/// covered.
pub(crate) fn working_days(rules: &Rules, year: i32) -> Result<(WorkingDays, i32), CalendarError> {
    let (days, next_unknown) = rules.working_days_with_next(year)?;
    let last = if next_unknown.is_some() {
        year
    } else {
        year + 1
    };
    Ok((days, last))
}

/// What a person brought to the body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    /// A complaint against the body's act, action or inaction.
    Complaint,
    /// An application (a request for the realisation of a right).
    Application,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Complaint => "complaint",
            Kind::Application => "application",
        }
    }

    fn parse(text: &str) -> Option<Kind> {
        [Kind::Complaint, Kind::Application]
            .into_iter()
            .find(|k| k.as_str() == text)
    }
}

/// How the body decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Outcome {
    Satisfied,
    Partly,
    Refused,
    Explained,
    LeftWithoutConsideration,
    /// Sent on to the body competent to decide.
    Forwarded,
}

impl Outcome {
    pub const ALL: [Outcome; 6] = [
        Outcome::Satisfied,
        Outcome::Partly,
        Outcome::Refused,
        Outcome::Explained,
        Outcome::LeftWithoutConsideration,
        Outcome::Forwarded,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Satisfied => "satisfied",
            Outcome::Partly => "partly",
            Outcome::Refused => "refused",
            Outcome::Explained => "explained",
            Outcome::LeftWithoutConsideration => "left_without_consideration",
            Outcome::Forwarded => "forwarded",
        }
    }

    fn parse(text: &str) -> Option<Outcome> {
        Outcome::ALL.into_iter().find(|o| o.as_str() == text)
    }
}

/// One complaint or application.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Complaint {
    /// The body's registration number; unique within the body.
    pub id: String,
    /// Registry id of the body that considered it.
    pub body: String,
    pub kind: Kind,
    pub received: NaiveDate,
    /// As recorded; when absent, the term of the kind applies ([`Complaint::due`]).
    pub due: Option<NaiveDate>,
    /// Absent while not answered.
    pub answered: Option<NaiveDate>,
    pub outcome: Option<Outcome>,
    /// Found well founded, wholly or partly.
    pub substantiated: bool,
    /// Repeated: the same person on the same matter again.
    pub repeated: bool,
    /// The decision on it was challenged in court.
    pub court_case: bool,
    /// The court found for the applicant, against the body.
    pub court_justified: bool,
    pub region: String,
    pub channel: String,
}

/// The terms of consideration, in working days from the day after receipt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Terms {
    pub application_working_days: u32,
    pub complaint_working_days: u32,
}

impl Default for Terms {
    /// Applications 15 working days (Administrative Procedural and
    /// Process-Related Code of the RK, Art. 76), complaints 20 working days
    /// (Art. 100); see `docs/citizens.md` for how far these are verified.
    fn default() -> Self {
        Terms {
            application_working_days: 15,
            complaint_working_days: 20,
        }
    }
}

impl Terms {
    pub fn of(&self, kind: Kind) -> u32 {
        match kind {
            Kind::Application => self.application_working_days,
            Kind::Complaint => self.complaint_working_days,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ComplaintsError {
    #[error(transparent)]
    Calendar(#[from] CalendarError),
    #[error(
        "{body} {id}: received {received}, the due date is past the end of the calendar ({last}): give it in the record"
    )]
    BeyondCalendar {
        body: String,
        id: String,
        received: NaiveDate,
        last: i32,
    },
}

impl Complaint {
    /// The last day of its term: as recorded, or the term of its kind
    /// counted on the working days.
    pub fn due(&self, terms: &Terms, days: &WorkingDays) -> Option<NaiveDate> {
        self.due
            .or_else(|| days.add(self.received, terms.of(self.kind)))
    }

    /// Answered after the due date, or not answered and the due date past
    /// on `as_of`.
    pub fn overdue(&self, due: NaiveDate, as_of: NaiveDate) -> bool {
        match self.answered {
            Some(answered) => answered > due,
            None => as_of > due,
        }
    }
}

/// The columns of the records file, in their order; `region` and `channel`
/// may be left out of a file.
pub const COLUMNS: [&str; 13] = [
    "id",
    "body",
    "kind",
    "received",
    "due",
    "answered",
    "outcome",
    "substantiated",
    "repeated",
    "court_case",
    "court_justified",
    "region",
    "channel",
];

const REQUIRED: usize = 11;

/// Reads complaint records. Every bad cell is a problem with its line and
/// column; a file with any problem gives no records. `known_body` says
/// whether a registry id exists (`|_| true` to skip the check).
pub fn read(text: &str, known_body: impl Fn(&str) -> bool) -> Result<Vec<Complaint>, Vec<Problem>> {
    read_checked(text, known_body, None)
}

/// Reads a file to import: as [`read`], and no day it records as past
/// (received, answered) is after `today`.
pub fn read_new(
    text: &str,
    known_body: impl Fn(&str) -> bool,
    today: NaiveDate,
) -> Result<Vec<Complaint>, Vec<Problem>> {
    read_checked(text, known_body, Some(today))
}

fn read_checked(
    text: &str,
    known_body: impl Fn(&str) -> bool,
    today: Option<NaiveDate>,
) -> Result<Vec<Complaint>, Vec<Problem>> {
    let table = table::read(text, &COLUMNS[..REQUIRED])?;
    let columns = columns(&table.header);
    let mut problems = Vec::new();
    let mut out = Vec::new();
    let mut seen: BTreeMap<(String, String), usize> = BTreeMap::new();
    for (line, record) in &table.rows {
        let before = problems.len();
        let mut c = Cells {
            line: *line,
            today,
            columns: &columns,
            record,
            problems: &mut problems,
        };
        let id = c.text("id");
        let body = c.text("body");
        if let Some(b) = &body
            && !known_body(b)
        {
            c.bad("body", format!("`{b}` is not a body of the registry"));
        }
        if let (Some(id), Some(body)) = (&id, &body)
            && let Some(first) = seen.insert((body.clone(), id.clone()), *line)
        {
            c.bad(
                "id",
                format!(
                    "{body} registered `{id}` also on line {first}: an id is unique within its body"
                ),
            );
        }
        let kind = c.text("kind").and_then(|k| {
            let kind = Kind::parse(&k.to_lowercase());
            if kind.is_none() {
                c.bad("kind", format!("`{k}` is not complaint or application"));
            }
            kind
        });
        let received = c.past_date("received");
        let due = c.optional_date("due");
        let answered = c.optional_past_date("answered");
        let outcome_text = c.raw("outcome").to_lowercase();
        let outcome = if outcome_text.is_empty() {
            Some(None)
        } else {
            match Outcome::parse(&outcome_text) {
                Some(o) => Some(Some(o)),
                None => {
                    let known: Vec<&str> = Outcome::ALL.iter().map(|o| o.as_str()).collect();
                    c.bad(
                        "outcome",
                        format!("`{outcome_text}` is not one of {}", known.join(", ")),
                    );
                    None
                }
            }
        };
        let substantiated = c.flag("substantiated");
        let repeated = c.flag("repeated");
        let court_case = c.flag("court_case");
        let court_justified = c.optional_flag("court_justified");
        if let (Some(received), Some(Some(due))) = (received, due)
            && due < received
        {
            c.bad(
                "due",
                format!("{due} is before the day received, {received}"),
            );
        }
        if let (Some(received), Some(Some(answered))) = (received, answered)
            && answered < received
        {
            c.bad(
                "answered",
                format!("{answered} is before the day received, {received}"),
            );
        }
        match (answered, outcome) {
            (Some(Some(_)), Some(None)) => c.bad(
                "outcome",
                "empty: an answered record says how it was decided",
            ),
            (Some(None), Some(Some(o))) => c.bad(
                "answered",
                format!(
                    "empty, while the outcome is `{}`: when was it answered?",
                    o.as_str()
                ),
            ),
            _ => {}
        }
        let court_justified = match (court_case, court_justified) {
            (Some(true), Some(None)) => {
                c.bad(
                    "court_justified",
                    "empty: the decision went to court, so say whether the court found the complaint justified (1 or 0)",
                );
                None
            }
            (Some(false), Some(Some(true))) => {
                c.bad(
                    "court_justified",
                    "1, while court_case is 0: a court can only decide a case brought to it",
                );
                None
            }
            (_, j) => j.map(|j| j.unwrap_or(false)),
        };
        if problems.len() > before {
            continue;
        }
        let cell = |name: &str| {
            columns
                .get(name)
                .and_then(|&i| record.get(i))
                .unwrap_or("")
                .trim()
                .to_string()
        };
        out.push(Complaint {
            id: id.expect("checked"),
            body: body.expect("checked"),
            kind: kind.expect("checked"),
            received: received.expect("checked"),
            due: due.expect("checked"),
            answered: answered.expect("checked"),
            outcome: outcome.expect("checked"),
            substantiated: substantiated.expect("checked"),
            repeated: repeated.expect("checked"),
            court_case: court_case.expect("checked"),
            court_justified: court_justified.expect("checked"),
            region: cell("region"),
            channel: cell("channel"),
        });
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

/// Records in the canonical form ([`COLUMNS`]), sorted by body and id.
pub fn to_csv(records: &[Complaint]) -> String {
    let mut sorted: Vec<&Complaint> = records.iter().collect();
    sorted.sort_by(|a, b| (&a.body, &a.id).cmp(&(&b.body, &b.id)));
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(COLUMNS).expect("writing to memory");
    for r in sorted {
        w.write_record([
            r.id.as_str(),
            &r.body,
            r.kind.as_str(),
            &r.received.to_string(),
            &date_text(r.due),
            &date_text(r.answered),
            r.outcome.map_or("", Outcome::as_str),
            flag_text(r.substantiated),
            flag_text(r.repeated),
            flag_text(r.court_case),
            flag_text(r.court_justified),
            &r.region,
            &r.channel,
        ])
        .expect("writing to memory");
    }
    String::from_utf8(w.into_inner().expect("writing to memory")).expect("CSV of UTF-8 text")
}

/// The counts of one group (a body, a region, a month) for a year.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Counts {
    /// Received in the year.
    pub total: u64,
    pub answered: u64,
    /// Not answered and not yet due on the reference date.
    pub pending: u64,
    pub overdue: u64,
    pub court_cases: u64,
    pub court_justified: u64,
    pub repeated_substantiated: u64,
}

/// The names of the counts a methodology can refer to as `complaints:<name>`.
pub const VALUES: [&str; 5] = [
    "total",
    "overdue",
    "court_cases",
    "court_justified",
    "repeated_substantiated",
];

fn percent(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| 100.0 * part as f64 / whole as f64)
}

impl Counts {
    /// One of [`VALUES`].
    pub fn get(&self, name: &str) -> Option<u64> {
        Some(match name {
            "total" => self.total,
            "overdue" => self.overdue,
            "court_cases" => self.court_cases,
            "court_justified" => self.court_justified,
            "repeated_substantiated" => self.repeated_substantiated,
            _ => return None,
        })
    }

    pub fn overdue_percent(&self) -> Option<f64> {
        percent(self.overdue, self.total)
    }

    /// Of the decisions challenged in court, the share the court found against the body.
    pub fn court_justified_percent(&self) -> Option<f64> {
        percent(self.court_justified, self.court_cases)
    }

    pub fn repeated_substantiated_percent(&self) -> Option<f64> {
        percent(self.repeated_substantiated, self.total)
    }
}

/// The breakdowns of the counts.
pub const BREAKDOWNS: [&str; 5] = ["body", "region", "month", "kind", "channel"];

/// The group a record falls in, for one of [`BREAKDOWNS`].
pub fn breakdown(by: &str) -> Option<fn(&Complaint) -> String> {
    Some(match by {
        "body" => |r| r.body.clone(),
        "region" => |r| none_if_empty(&r.region),
        "month" => |r| r.received.format("%Y-%m").to_string(),
        "kind" => |r| r.kind.as_str().to_string(),
        "channel" => |r| none_if_empty(&r.channel),
        _ => return None,
    })
}

fn none_if_empty(text: &str) -> String {
    if text.is_empty() {
        "(none)".into()
    } else {
        text.to_string()
    }
}

/// What the counts of a year are computed with.
#[derive(Debug, Clone, Copy)]
pub struct Counting<'a> {
    pub year: i32,
    /// The day the unanswered records are judged on.
    pub as_of: NaiveDate,
    pub terms: Terms,
    pub calendar: &'a Rules,
}

/// The counts of the records received in `counting.year`, by group.
pub fn count(
    records: &[Complaint],
    counting: Counting<'_>,
    group_of: impl Fn(&Complaint) -> String,
) -> Result<BTreeMap<String, Counts>, ComplaintsError> {
    let of_year: Vec<&Complaint> = records
        .iter()
        .filter(|r| r.received.year() == counting.year)
        .collect();
    let (days, last) = working_days(counting.calendar, counting.year)?;
    let mut out: BTreeMap<String, Counts> = BTreeMap::new();
    for r in of_year {
        let due = r
            .due(&counting.terms, &days)
            .ok_or_else(|| ComplaintsError::BeyondCalendar {
                body: r.body.clone(),
                id: r.id.clone(),
                received: r.received,
                last,
            })?;
        let c = out.entry(group_of(r)).or_default();
        c.total += 1;
        c.answered += u64::from(r.answered.is_some());
        c.pending += u64::from(r.answered.is_none() && counting.as_of <= due);
        c.overdue += u64::from(r.overdue(due, counting.as_of));
        c.court_cases += u64::from(r.court_case);
        c.court_justified += u64::from(r.court_justified);
        c.repeated_substantiated += u64::from(r.repeated && r.substantiated);
    }
    Ok(out)
}

/// (body, id) or (body, year): what identifies a record within its kind.
pub type Key = (String, String);

/// The result of adding a file's records to the kept ones.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Added {
    pub added: usize,
    /// Imported before, unchanged.
    pub again: usize,
}

/// Adds `new` to `kept` by key; a record kept with other content is a
/// conflict (an edit is a new fact to be corrected at the source, not a
/// silent overwrite), named in the error.
pub fn merge<T: Clone + PartialEq>(
    kept: &mut Vec<T>,
    new: Vec<T>,
    key: impl Fn(&T) -> Key,
) -> Result<Added, Vec<String>> {
    let index: BTreeMap<Key, usize> = kept.iter().enumerate().map(|(i, r)| (key(r), i)).collect();
    let mut added = Added::default();
    let mut conflicts = Vec::new();
    for r in new {
        let k = key(&r);
        match index.get(&k) {
            Some(&i) if kept[i] == r => added.again += 1,
            Some(_) => conflicts.push(format!(
                "{} `{}` was imported before with other content; Bagalau does not overwrite a record",
                k.0, k.1
            )),
            None => {
                kept.push(r);
                added.added += 1;
            }
        }
    }
    if conflicts.is_empty() {
        Ok(added)
    } else {
        Err(conflicts)
    }
}
