//! The openness of a body on the Open Government portals, counted from
//! records (or taken from a body's aggregate figures when no records are
//! available): Open Data sets published on time, Open Budgets documents
//! posted on time and users' comments answered, draft legal acts put to
//! public discussion for the full period on Open NPA, and Open Dialogue
//! requests answered on time and how fast.
//!
//! One CSV file per kind of record; the header says which kind a file is
//! (its first column: `dataset`, `document`, `comment`, `draft`, `request`;
//! `body,year,…` for aggregates). The columns are in `docs/citizens.md`.

use crate::Problem;
use crate::calendar::{CalendarError, Rules};
use crate::complaints::table::{self, Cells, columns, date_text, flag_text, problem};
use crate::complaints::{Added, Key, merge};
use chrono::{Datelike, NaiveDate};
use std::collections::{BTreeMap, BTreeSet};

/// The kinds of records, one file each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    OpenData,
    BudgetDocuments,
    BudgetComments,
    LegalActs,
    Dialogue,
    Aggregates,
}

impl Kind {
    pub const ALL: [Kind; 6] = [
        Kind::OpenData,
        Kind::BudgetDocuments,
        Kind::BudgetComments,
        Kind::LegalActs,
        Kind::Dialogue,
        Kind::Aggregates,
    ];

    /// The name of the kind, and of its kept file.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::OpenData => "open_data",
            Kind::BudgetDocuments => "budget_documents",
            Kind::BudgetComments => "budget_comments",
            Kind::LegalActs => "legal_acts",
            Kind::Dialogue => "dialogue",
            Kind::Aggregates => "aggregates",
        }
    }

    /// The columns of its file, the required ones first.
    pub fn columns(self) -> &'static [&'static str] {
        match self {
            Kind::OpenData => &["dataset", "body", "due", "published", "title"],
            Kind::BudgetDocuments => &["document", "body", "due", "published", "title"],
            Kind::BudgetComments => &["comment", "body", "received", "answered"],
            Kind::LegalActs => &[
                "draft",
                "body",
                "sent",
                "posted",
                "discussion_end",
                "restricted",
                "title",
            ],
            Kind::Dialogue => &["request", "body", "received", "due", "answered"],
            Kind::Aggregates => &["body", "year"],
        }
    }

    fn required(self) -> usize {
        match self {
            Kind::OpenData | Kind::BudgetDocuments => 4,
            Kind::LegalActs => 5,
            Kind::BudgetComments | Kind::Aggregates => self.columns().len(),
            Kind::Dialogue => 5,
        }
    }

    /// The kind whose file has this header.
    fn of_header(header: &[String]) -> Option<Kind> {
        let first = header.first()?.as_str();
        Kind::ALL.into_iter().find(|k| k.columns()[0] == first)
    }
}

/// A thing to be published by a date: an Open Data set of the approved
/// list, or an Open Budgets document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Publication {
    pub id: String,
    pub body: String,
    pub due: NaiveDate,
    pub published: Option<NaiveDate>,
    pub title: String,
}

/// A user's comment on Open Budgets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    pub id: String,
    pub body: String,
    pub received: NaiveDate,
    pub answered: Option<NaiveDate>,
}

/// A draft legal act the body developed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    pub id: String,
    pub body: String,
    /// Sent for adoption (or adopted): the year it counts in.
    pub sent: NaiveDate,
    /// Posted on Open NPA for public discussion; absent when it was not.
    pub posted: Option<NaiveDate>,
    /// The last day of the discussion announced.
    pub discussion_end: Option<NaiveDate>,
    /// Holds information of restricted access: not put to discussion by law.
    pub restricted: bool,
    pub title: String,
}

/// A request to the body on Open Dialogue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub id: String,
    pub body: String,
    pub received: NaiveDate,
    /// As recorded; when absent, the term of an application applies.
    pub due: Option<NaiveDate>,
    pub answered: Option<NaiveDate>,
}

/// A body's figures of a year, reported without records.
#[derive(Debug, Clone, PartialEq)]
pub struct Aggregate {
    pub body: String,
    pub year: i32,
    /// Some of [`VALUES`].
    pub values: BTreeMap<String, f64>,
}

/// The names of the values a methodology can refer to as `openness:<name>`.
pub const VALUES: [&str; 11] = [
    "datasets_planned",
    "datasets_on_time",
    "budget_documents_required",
    "budget_documents_on_time",
    "budget_comments",
    "budget_comments_answered",
    "drafts",
    "drafts_discussed_in_full",
    "dialogue_requests",
    "dialogue_on_time",
    "dialogue_mean_working_days",
];

/// The kind of records a value is counted from.
pub fn value_kind(name: &str) -> Option<Kind> {
    Some(match name {
        "datasets_planned" | "datasets_on_time" => Kind::OpenData,
        "budget_documents_required" | "budget_documents_on_time" => Kind::BudgetDocuments,
        "budget_comments" | "budget_comments_answered" => Kind::BudgetComments,
        "drafts" | "drafts_discussed_in_full" => Kind::LegalActs,
        "dialogue_requests" | "dialogue_on_time" | "dialogue_mean_working_days" => Kind::Dialogue,
        _ => return None,
    })
}

/// A part that cannot exceed its whole, in aggregates.
const PARTS: [(&str, &str); 5] = [
    ("datasets_on_time", "datasets_planned"),
    ("budget_documents_on_time", "budget_documents_required"),
    ("budget_comments_answered", "budget_comments"),
    ("drafts_discussed_in_full", "drafts"),
    ("dialogue_on_time", "dialogue_requests"),
];

/// Every kind of openness record.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Records {
    pub datasets: Vec<Publication>,
    pub budget_documents: Vec<Publication>,
    pub budget_comments: Vec<Comment>,
    pub drafts: Vec<Draft>,
    pub requests: Vec<Request>,
    pub aggregates: Vec<Aggregate>,
}

/// Reads one file of openness records, of the kind its header says.
/// Every bad cell is a problem with its line and column; a file with any
/// problem gives nothing. `known_body` says whether a registry id exists.
pub fn read(
    text: &str,
    known_body: impl Fn(&str) -> bool,
) -> Result<(Kind, Records), Vec<Problem>> {
    read_checked(text, known_body, None)
}

/// Reads a file to import: as [`read`], and no day it records as past
/// (published, received, answered, sent, posted) is after `today`.
pub fn read_new(
    text: &str,
    known_body: impl Fn(&str) -> bool,
    today: chrono::NaiveDate,
) -> Result<(Kind, Records), Vec<Problem>> {
    read_checked(text, known_body, Some(today))
}

fn read_checked(
    text: &str,
    known_body: impl Fn(&str) -> bool,
    today: Option<chrono::NaiveDate>,
) -> Result<(Kind, Records), Vec<Problem>> {
    let first_line = text
        .strip_prefix('\u{feff}')
        .unwrap_or(text)
        .lines()
        .next()
        .unwrap_or("");
    let first: Vec<String> = first_line
        .split(',')
        .map(|c| c.trim().trim_matches('"').to_string())
        .collect();
    let Some(kind) = Kind::of_header(&first) else {
        let firsts: Vec<&str> = Kind::ALL.iter().map(|k| k.columns()[0]).collect();
        return Err(vec![problem(
            1,
            "",
            format!(
                "not an openness file: its first column must be one of {} (which says the kind of records)",
                firsts.join(", ")
            ),
        )]);
    };
    let t = table::read(text, &kind.columns()[..kind.required()])?;
    let columns = columns(&t.header);
    if kind == Kind::Aggregates {
        let unknown: Vec<&str> = t
            .header
            .iter()
            .map(String::as_str)
            .filter(|h| !["body", "year"].contains(h) && !VALUES.contains(h))
            .collect();
        if !unknown.is_empty() {
            return Err(vec![problem(
                1,
                "",
                format!(
                    "the columns {} are not openness values (those are {})",
                    unknown.join(", "),
                    VALUES.join(", ")
                ),
            )]);
        }
        if t.header.len() == 2 {
            return Err(vec![problem(
                1,
                "",
                format!("no value columns: give some of {}", VALUES.join(", ")),
            )]);
        }
    }
    let mut records = Records::default();
    let mut problems = Vec::new();
    let mut seen: BTreeMap<(String, String), usize> = BTreeMap::new();
    for (line, record) in &t.rows {
        let mut c = Cells {
            line: *line,
            today,
            columns: &columns,
            record,
            problems: &mut problems,
        };
        let before = c.problems.len();
        let id_column = kind.columns()[0];
        let id = if kind == Kind::Aggregates {
            c.text("year")
        } else {
            c.text(id_column)
        };
        let body = c.text("body");
        if let Some(b) = &body
            && !known_body(b)
        {
            c.bad("body", format!("`{b}` is not a body of the registry"));
        }
        if let (Some(id), Some(body)) = (&id, &body)
            && let Some(first) = seen.insert((body.clone(), id.clone()), *line)
        {
            let (column, what) = if kind == Kind::Aggregates {
                (
                    "year",
                    format!("{body}'s figures of {id} are also on line {first}"),
                )
            } else {
                (
                    id_column,
                    format!(
                        "{body} `{id}` is also on line {first}: an id is unique within its body"
                    ),
                )
            };
            c.bad(column, what);
        }
        match kind {
            Kind::OpenData | Kind::BudgetDocuments => {
                let due = c.date("due");
                let published = c.optional_past_date("published");
                if c.problems.len() == before {
                    let p = Publication {
                        id: id.expect("checked"),
                        body: body.expect("checked"),
                        due: due.expect("checked"),
                        published: published.expect("checked"),
                        title: c.raw("title").to_string(),
                    };
                    if kind == Kind::OpenData {
                        records.datasets.push(p);
                    } else {
                        records.budget_documents.push(p);
                    }
                }
            }
            Kind::BudgetComments => {
                let received = c.past_date("received");
                let answered = c.optional_past_date("answered");
                answered_not_before(&mut c, received, answered);
                if c.problems.len() == before {
                    records.budget_comments.push(Comment {
                        id: id.expect("checked"),
                        body: body.expect("checked"),
                        received: received.expect("checked"),
                        answered: answered.expect("checked"),
                    });
                }
            }
            Kind::LegalActs => {
                let sent = c.past_date("sent");
                let posted = c.optional_past_date("posted");
                let end = c.optional_date("discussion_end");
                let restricted = c.optional_flag("restricted");
                match (posted, end) {
                    (Some(Some(_)), Some(None)) => c.bad(
                        "discussion_end",
                        "empty, while the draft was posted: when did its discussion end?",
                    ),
                    (Some(None), Some(Some(_))) => c.bad(
                        "posted",
                        "empty, while a discussion end is given: when was the draft posted?",
                    ),
                    (Some(Some(p)), Some(Some(e))) if e < p => c.bad(
                        "discussion_end",
                        format!("{e} is before the day the draft was posted, {p}"),
                    ),
                    _ => {}
                }
                if let (Some(Some(true)), Some(Some(_))) = (restricted, posted) {
                    c.bad(
                        "restricted",
                        "1, while the draft was posted for discussion: restricted drafts are not posted",
                    );
                }
                if c.problems.len() == before {
                    records.drafts.push(Draft {
                        id: id.expect("checked"),
                        body: body.expect("checked"),
                        sent: sent.expect("checked"),
                        posted: posted.expect("checked"),
                        discussion_end: end.expect("checked"),
                        restricted: restricted.expect("checked").unwrap_or(false),
                        title: c.raw("title").to_string(),
                    });
                }
            }
            Kind::Dialogue => {
                let received = c.past_date("received");
                let due = c.optional_date("due");
                let answered = c.optional_past_date("answered");
                answered_not_before(&mut c, received, answered);
                if let (Some(r), Some(Some(d))) = (received, due)
                    && d < r
                {
                    c.bad("due", format!("{d} is before the day received, {r}"));
                }
                if c.problems.len() == before {
                    records.requests.push(Request {
                        id: id.expect("checked"),
                        body: body.expect("checked"),
                        received: received.expect("checked"),
                        due: due.expect("checked"),
                        answered: answered.expect("checked"),
                    });
                }
            }
            Kind::Aggregates => {
                let year = id.as_deref().and_then(|y| match y.parse::<i32>() {
                    Ok(y) if (2000..=2100).contains(&y) => Some(y),
                    _ => {
                        c.bad(
                            "year",
                            format!("`{}` is not a year", bagalau_core::checked::shown(y)),
                        );
                        None
                    }
                });
                let mut values = BTreeMap::new();
                for name in VALUES {
                    if !columns.contains_key(name) {
                        continue;
                    }
                    let raw = c.raw(name).to_string();
                    if raw.is_empty() {
                        continue;
                    }
                    let whole_number = name != "dialogue_mean_working_days";
                    let shown = bagalau_core::checked::shown(&raw);
                    match bagalau_core::checked::number(&raw) {
                        Ok(v) if v >= 0.0 && (!whole_number || v.fract() == 0.0) => {
                            values.insert(name.to_string(), v);
                        }
                        Ok(_) if whole_number => c.bad(
                            name,
                            format!("`{shown}` is not a count (a whole number, 0 or more)"),
                        ),
                        Ok(_) => c.bad(
                            name,
                            format!("`{shown}` is not a number of days (0 or more)"),
                        ),
                        Err(e) => c.bad(name, e.to_string()),
                    }
                }
                for (part, whole) in PARTS {
                    if let (Some(p), Some(w)) = (values.get(part), values.get(whole))
                        && p > w
                    {
                        c.bad(part, format!("{p} is more than {whole}, {w}"));
                    }
                }
                if c.problems.len() == before {
                    records.aggregates.push(Aggregate {
                        body: body.expect("checked"),
                        year: year.expect("checked"),
                        values,
                    });
                }
            }
        }
    }
    if problems.is_empty() {
        Ok((kind, records))
    } else {
        Err(problems)
    }
}

fn answered_not_before(
    c: &mut Cells<'_>,
    received: Option<NaiveDate>,
    answered: Option<Option<NaiveDate>>,
) {
    if let (Some(r), Some(Some(a))) = (received, answered)
        && a < r
    {
        c.bad("answered", format!("{a} is before the day received, {r}"));
    }
}

fn write(header: &[&str], rows: impl Iterator<Item = Vec<String>>) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(header).expect("writing to memory");
    for row in rows {
        w.write_record(&row).expect("writing to memory");
    }
    String::from_utf8(w.into_inner().expect("writing to memory")).expect("CSV of UTF-8 text")
}

impl Records {
    /// Adds one file's records (of `kind`) to these.
    pub fn merge(&mut self, kind: Kind, new: Records) -> Result<Added, Vec<String>> {
        let by_id_p = |r: &Publication| (r.body.clone(), r.id.clone());
        match kind {
            Kind::OpenData => merge(&mut self.datasets, new.datasets, by_id_p),
            Kind::BudgetDocuments => {
                merge(&mut self.budget_documents, new.budget_documents, by_id_p)
            }
            Kind::BudgetComments => merge(&mut self.budget_comments, new.budget_comments, |r| {
                (r.body.clone(), r.id.clone())
            }),
            Kind::LegalActs => merge(&mut self.drafts, new.drafts, |r| {
                (r.body.clone(), r.id.clone())
            }),
            Kind::Dialogue => merge(&mut self.requests, new.requests, |r| {
                (r.body.clone(), r.id.clone())
            }),
            Kind::Aggregates => merge(&mut self.aggregates, new.aggregates, |r| {
                (r.body.clone(), r.year.to_string())
            }),
        }
    }

    pub fn len(&self, kind: Kind) -> usize {
        match kind {
            Kind::OpenData => self.datasets.len(),
            Kind::BudgetDocuments => self.budget_documents.len(),
            Kind::BudgetComments => self.budget_comments.len(),
            Kind::LegalActs => self.drafts.len(),
            Kind::Dialogue => self.requests.len(),
            Kind::Aggregates => self.aggregates.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        Kind::ALL.iter().all(|&k| self.len(k) == 0)
    }

    /// The records of one kind in its canonical CSV form (all its columns,
    /// sorted by body and id), which [`read`] reads back.
    pub fn to_csv(&self, kind: Kind) -> String {
        fn sorted<T>(items: &[T], key: impl Fn(&T) -> Key) -> Vec<&T> {
            let mut v: Vec<&T> = items.iter().collect();
            v.sort_by_key(|r| key(r));
            v
        }
        let header = kind.columns();
        match kind {
            Kind::OpenData | Kind::BudgetDocuments => {
                let items = if kind == Kind::OpenData {
                    &self.datasets
                } else {
                    &self.budget_documents
                };
                let rows = sorted(items, |r| (r.body.clone(), r.id.clone()))
                    .into_iter()
                    .map(|r| {
                        vec![
                            r.id.clone(),
                            r.body.clone(),
                            r.due.to_string(),
                            date_text(r.published),
                            r.title.clone(),
                        ]
                    });
                write(header, rows)
            }
            Kind::BudgetComments => write(
                header,
                sorted(&self.budget_comments, |r| (r.body.clone(), r.id.clone()))
                    .into_iter()
                    .map(|r| {
                        vec![
                            r.id.clone(),
                            r.body.clone(),
                            r.received.to_string(),
                            date_text(r.answered),
                        ]
                    }),
            ),
            Kind::LegalActs => write(
                header,
                sorted(&self.drafts, |r| (r.body.clone(), r.id.clone()))
                    .into_iter()
                    .map(|r| {
                        vec![
                            r.id.clone(),
                            r.body.clone(),
                            r.sent.to_string(),
                            date_text(r.posted),
                            date_text(r.discussion_end),
                            flag_text(r.restricted).to_string(),
                            r.title.clone(),
                        ]
                    }),
            ),
            Kind::Dialogue => write(
                header,
                sorted(&self.requests, |r| (r.body.clone(), r.id.clone()))
                    .into_iter()
                    .map(|r| {
                        vec![
                            r.id.clone(),
                            r.body.clone(),
                            r.received.to_string(),
                            date_text(r.due),
                            date_text(r.answered),
                        ]
                    }),
            ),
            Kind::Aggregates => {
                let mut header: Vec<&str> = header.to_vec();
                header.extend(VALUES);
                let mut items: Vec<&Aggregate> = self.aggregates.iter().collect();
                items.sort_by(|a, b| (&a.body, a.year).cmp(&(&b.body, b.year)));
                let rows = items.into_iter().map(|a| {
                    let mut row = vec![a.body.clone(), a.year.to_string()];
                    row.extend(
                        VALUES
                            .iter()
                            .map(|v| a.values.get(*v).map(|x| x.to_string()).unwrap_or_default()),
                    );
                    row
                });
                write(&header, rows)
            }
        }
    }
}

/// Where a value comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// Counted from this many records.
    Records(u64),
    /// Reported by the body as a figure.
    Aggregate,
}

#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Value {
    pub value: f64,
    pub source: Source,
}

/// The rules the values of a year are counted by.
#[derive(Debug, Clone, Copy)]
pub struct Counting<'a> {
    pub year: i32,
    /// The day the unanswered Open Dialogue requests are judged on.
    pub as_of: NaiveDate,
    /// The least public discussion of a draft legal act, in calendar days.
    pub discussion_days: u32,
    /// The term of an Open Dialogue request without a due date, in working days.
    pub dialogue_working_days: u32,
    pub calendar: &'a Rules,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OpennessError {
    #[error(transparent)]
    Calendar(#[from] CalendarError),
    #[error(
        "{body}: {value} of {year} is both counted from records and given as a figure; keep one of them"
    )]
    Twice {
        body: String,
        year: i32,
        value: String,
    },
    #[error(
        "{body} request `{id}`: received {received}, its due date is past the end of the calendar ({last}): give it in the record"
    )]
    BeyondCalendar {
        body: String,
        id: String,
        received: NaiveDate,
        last: i32,
    },
}

/// A body's values of a year, by name (some of [`VALUES`]).
pub type BodyValues = BTreeMap<&'static str, Value>;

fn ratio_pair(
    out: &mut BTreeMap<String, BodyValues>,
    body: &str,
    names: (&'static str, &'static str),
    whole: u64,
    part: u64,
) {
    let v = out.entry(body.to_string()).or_default();
    v.insert(
        names.0,
        Value {
            value: whole as f64,
            source: Source::Records(whole),
        },
    );
    v.insert(
        names.1,
        Value {
            value: part as f64,
            source: Source::Records(whole),
        },
    );
}

/// The values of `counting.year` per body: counted from the records, and
/// the aggregates' figures where a body has no records of that kind.
pub fn values(
    records: &Records,
    counting: Counting<'_>,
) -> Result<BTreeMap<String, BodyValues>, OpennessError> {
    let year = counting.year;
    let mut out: BTreeMap<String, BodyValues> = BTreeMap::new();

    for (items, names) in [
        (&records.datasets, ("datasets_planned", "datasets_on_time")),
        (
            &records.budget_documents,
            ("budget_documents_required", "budget_documents_on_time"),
        ),
    ] {
        let mut per_body: BTreeMap<&str, (u64, u64)> = BTreeMap::new();
        for p in items.iter().filter(|p| p.due.year() == year) {
            let e = per_body.entry(&p.body).or_default();
            e.0 += 1;
            e.1 += u64::from(p.published.is_some_and(|d| d <= p.due));
        }
        for (body, (whole, part)) in per_body {
            ratio_pair(&mut out, body, names, whole, part);
        }
    }

    let mut comments: BTreeMap<&str, (u64, u64)> = BTreeMap::new();
    for c in records
        .budget_comments
        .iter()
        .filter(|c| c.received.year() == year)
    {
        let e = comments.entry(&c.body).or_default();
        e.0 += 1;
        e.1 += u64::from(c.answered.is_some());
    }
    for (body, (whole, part)) in comments {
        ratio_pair(
            &mut out,
            body,
            ("budget_comments", "budget_comments_answered"),
            whole,
            part,
        );
    }

    let mut drafts: BTreeMap<&str, (u64, u64)> = BTreeMap::new();
    for d in records.drafts.iter().filter(|d| d.sent.year() == year) {
        // Restricted drafts are not put to discussion by law; they are
        // neither counted nor held against the body.
        if d.restricted {
            continue;
        }
        let e = drafts.entry(&d.body).or_default();
        e.0 += 1;
        e.1 += u64::from(discussed_in_full(d, counting.discussion_days));
    }
    for (body, (whole, part)) in drafts {
        ratio_pair(
            &mut out,
            body,
            ("drafts", "drafts_discussed_in_full"),
            whole,
            part,
        );
    }

    let (days, last) = crate::complaints::working_days(counting.calendar, year)?;
    // (requests decided, answered on time, answered, working days to answer)
    let mut dialogue: BTreeMap<&str, (u64, u64, u64, u64)> = BTreeMap::new();
    for r in records
        .requests
        .iter()
        .filter(|r| r.received.year() == year)
    {
        let due = r
            .due
            .or_else(|| days.add(r.received, counting.dialogue_working_days))
            .ok_or_else(|| OpennessError::BeyondCalendar {
                body: r.body.clone(),
                id: r.id.clone(),
                received: r.received,
                last,
            })?;
        let e = dialogue.entry(&r.body).or_default();
        match r.answered {
            // Neither answered nor due yet: its outcome is not known.
            None if counting.as_of <= due => continue,
            None => e.0 += 1,
            Some(answered) => {
                e.0 += 1;
                e.1 += u64::from(answered <= due);
                e.2 += 1;
                let taken = days
                    .between(r.received, answered)
                    .or_else(|| {
                        // Answered past the calendar's years: count on a wider one.
                        counting
                            .calendar
                            .working_days(r.received.year(), answered.year())
                            .ok()?
                            .between(r.received, answered)
                    })
                    .ok_or(OpennessError::BeyondCalendar {
                        body: r.body.clone(),
                        id: r.id.clone(),
                        received: r.received,
                        last,
                    })?;
                e.3 += u64::from(taken);
            }
        }
    }
    for (body, (decided, on_time, answered, taken)) in dialogue {
        if decided == 0 {
            continue;
        }
        ratio_pair(
            &mut out,
            body,
            ("dialogue_requests", "dialogue_on_time"),
            decided,
            on_time,
        );
        if answered > 0 {
            let mean = taken as f64 / answered as f64;
            out.entry(body.to_string()).or_default().insert(
                "dialogue_mean_working_days",
                Value {
                    value: (mean * 100.0).round() / 100.0,
                    source: Source::Records(answered),
                },
            );
        }
    }

    if let Some(e) = conflicts(records)
        .into_iter()
        .find(|e| matches!(e, OpennessError::Twice { year: y, .. } if *y == year))
    {
        return Err(e);
    }
    for a in records.aggregates.iter().filter(|a| a.year == year) {
        for (name, &value) in &a.values {
            let Some(name) = VALUES.iter().copied().find(|v| v == name) else {
                continue;
            };
            out.entry(a.body.clone()).or_default().insert(
                name,
                Value {
                    value,
                    source: Source::Aggregate,
                },
            );
        }
    }
    Ok(out)
}

/// The bodies, kinds and years that records are there for.
fn record_years(records: &Records) -> BTreeSet<(&str, Kind, i32)> {
    let mut out = BTreeSet::new();
    out.extend(
        records
            .datasets
            .iter()
            .map(|r| (r.body.as_str(), Kind::OpenData, r.due.year())),
    );
    out.extend(
        records
            .budget_documents
            .iter()
            .map(|r| (r.body.as_str(), Kind::BudgetDocuments, r.due.year())),
    );
    out.extend(
        records
            .budget_comments
            .iter()
            .map(|r| (r.body.as_str(), Kind::BudgetComments, r.received.year())),
    );
    out.extend(
        records
            .drafts
            .iter()
            .map(|r| (r.body.as_str(), Kind::LegalActs, r.sent.year())),
    );
    out.extend(
        records
            .requests
            .iter()
            .map(|r| (r.body.as_str(), Kind::Dialogue, r.received.year())),
    );
    out
}

/// Figures given for a body and year that records of their kind are
/// there for too: they would count twice, so neither is taken.
pub fn conflicts(records: &Records) -> Vec<OpennessError> {
    let years = record_years(records);
    let mut out = Vec::new();
    for a in &records.aggregates {
        for name in a.values.keys() {
            if let Some(kind) = value_kind(name)
                && years.contains(&(a.body.as_str(), kind, a.year))
            {
                out.push(OpennessError::Twice {
                    body: a.body.clone(),
                    year: a.year,
                    value: name.clone(),
                });
            }
        }
    }
    out
}

/// Posted, and open to discussion for at least `days` calendar days
/// before the discussion ended or the draft was sent, whichever came first.
pub fn discussed_in_full(draft: &Draft, days: u32) -> bool {
    let (Some(posted), Some(end)) = (draft.posted, draft.discussion_end) else {
        return false;
    };
    let closed = end.min(draft.sent);
    (closed - posted).num_days() >= i64::from(days)
}
