//! The Register of public services: every service with its standard,
//! versioned by effective dates. Read from and written to CSV (the same
//! columns in XLSX); a bad row is named by line and column and nothing is
//! read.

use crate::Problem;
use bagalau_core::Names;
use bagalau_core::checked::{CellError, shown};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// Where a service is delivered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// A Public Service Centre (one-stop shop).
    Psc,
    /// The e-government portal.
    Portal,
    /// The provider body itself.
    Body,
}

impl Channel {
    pub const ALL: [Channel; 3] = [Channel::Psc, Channel::Portal, Channel::Body];

    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Psc => "psc",
            Channel::Portal => "portal",
            Channel::Body => "body",
        }
    }

    pub fn parse(text: &str) -> Option<Channel> {
        Channel::ALL.into_iter().find(|c| c.as_str() == text)
    }
}

/// The standard's maximum time for delivering the service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "unit", content = "value", rename_all = "snake_case")]
pub enum Deadline {
    WorkingDays(u32),
    CalendarDays(u32),
    Hours(u32),
    Minutes(u32),
}

impl Deadline {
    pub fn unit(self) -> &'static str {
        match self {
            Deadline::WorkingDays(_) => "working_days",
            Deadline::CalendarDays(_) => "calendar_days",
            Deadline::Hours(_) => "hours",
            Deadline::Minutes(_) => "minutes",
        }
    }

    pub fn value(self) -> u32 {
        match self {
            Deadline::WorkingDays(n)
            | Deadline::CalendarDays(n)
            | Deadline::Hours(n)
            | Deadline::Minutes(n) => n,
        }
    }

    /// The longest deadline a standard may set, in its unit: two years.
    /// Anything longer is a typing mistake, and would carry dates past
    /// every calendar (4294967295 hours once overflowed the generator).
    pub fn longest(self) -> u32 {
        match self {
            Deadline::WorkingDays(_) => 500,
            Deadline::CalendarDays(_) => 731,
            Deadline::Hours(_) => 731 * 24,
            Deadline::Minutes(_) => 731 * 24 * 60,
        }
    }

    pub fn parse(value: u32, unit: &str) -> Option<Deadline> {
        Some(match unit {
            "working_days" => Deadline::WorkingDays(value),
            "calendar_days" => Deadline::CalendarDays(value),
            "hours" => Deadline::Hours(value),
            "minutes" => Deadline::Minutes(value),
            _ => return None,
        })
    }
}

impl fmt::Display for Deadline {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.value(), self.unit().replace('_', " "))
    }
}

/// The form of the result handed to the recipient.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ResultForm {
    Electronic,
    Paper,
    Both,
}

impl ResultForm {
    pub fn as_str(self) -> &'static str {
        match self {
            ResultForm::Electronic => "electronic",
            ResultForm::Paper => "paper",
            ResultForm::Both => "both",
        }
    }

    pub fn parse(text: &str) -> Option<ResultForm> {
        [ResultForm::Electronic, ResultForm::Paper, ResultForm::Both]
            .into_iter()
            .find(|f| f.as_str() == text)
    }
}

/// One version of a service and its standard, in force from
/// `effective_from` to `effective_to` (inclusive; open when `None`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Service {
    pub id: String,
    pub name: Names,
    pub sector: String,
    /// The bodies that provide it (ids of the bodies' registry).
    pub providers: Vec<String>,
    pub channels: Vec<Channel>,
    pub deadline: Deadline,
    pub documents: Vec<String>,
    /// In tenge; 0 when free.
    pub cost: f64,
    pub result_form: ResultForm,
    pub automated: bool,
    pub effective_from: NaiveDate,
    pub effective_to: Option<NaiveDate>,
}

impl Service {
    pub fn in_force(&self, date: NaiveDate) -> bool {
        self.effective_from <= date && self.effective_to.is_none_or(|to| date <= to)
    }

    pub fn electronic(&self) -> bool {
        self.channels.contains(&Channel::Portal)
    }
}

/// The columns of the register's CSV and XLSX, in order. Lists are
/// separated by `;`.
pub const COLUMNS: [&str; 15] = [
    "id",
    "name_kk",
    "name_ru",
    "name_en",
    "sector",
    "providers",
    "channels",
    "deadline",
    "deadline_unit",
    "documents",
    "cost_tenge",
    "result_form",
    "automated",
    "effective_from",
    "effective_to",
];

/// Every version of every service.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Register {
    services: Vec<Service>,
}

/// The register's provider for the local executive bodies: each region's
/// akimat delivers the service there.
pub const LOCAL_AKIMATS: &str = "akimat";

/// Kazakhstan's regions (17 oblasts and the 3 cities of republican significance).
pub const REGIONS: [&str; 20] = [
    "astana",
    "almaty_city",
    "shymkent",
    "abai",
    "akmola",
    "aktobe",
    "almaty",
    "atyrau",
    "east_kazakhstan",
    "zhambyl",
    "zhetisu",
    "west_kazakhstan",
    "karaganda",
    "kostanay",
    "kyzylorda",
    "mangystau",
    "pavlodar",
    "north_kazakhstan",
    "turkistan",
    "ulytau",
];

/// The body that delivers a service of `provider` in `region`: the
/// region's akimat (its id in the registry of bodies) for the local
/// executive bodies, the provider itself otherwise.
pub fn provider_in<'a>(provider: &'a str, region: &str) -> std::borrow::Cow<'a, str> {
    if provider != LOCAL_AKIMATS {
        return provider.into();
    }
    match region {
        "almaty" => "akimat_almaty_region".into(),
        "zhetisu" => "akimat_jetisu".into(),
        _ => format!("akimat_{region}").into(),
    }
}

/// How the register changed between two dates.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    Added(String),
    Removed(String),
    /// The service and the fields whose values differ: (field, before, after).
    Changed(String, Vec<(String, String, String)>),
}

impl Register {
    /// Checks the versions: ids and dates make sense and no two versions of
    /// a service are in force on the same day.
    pub fn new(services: Vec<Service>) -> Result<Register, Vec<Problem>> {
        let mut problems = Vec::new();
        let mut by_id: BTreeMap<&str, Vec<(usize, &Service)>> = BTreeMap::new();
        for (i, s) in services.iter().enumerate() {
            by_id.entry(&s.id).or_default().push((i, s));
        }
        for versions in by_id.values() {
            let mut sorted = versions.clone();
            sorted.sort_by_key(|(_, s)| s.effective_from);
            for pair in sorted.windows(2) {
                let ((_, a), (i, b)) = (pair[0], pair[1]);
                if a.effective_to.is_none_or(|to| to >= b.effective_from) {
                    problems.push(Problem {
                        line: i + 2,
                        column: "effective_from".into(),
                        message: format!(
                            "`{}` has another version in force on {} (from {})",
                            b.id, b.effective_from, a.effective_from
                        ),
                    });
                }
            }
        }
        if problems.is_empty() {
            Ok(Register { services })
        } else {
            Err(problems)
        }
    }

    /// Versions whose providers are not bodies of the registry: a problem
    /// each, naming the service and the version.
    pub fn unknown_providers(&self, known_body: impl Fn(&str) -> bool) -> Vec<Problem> {
        self.services
            .iter()
            .flat_map(|s| {
                s.providers.iter().filter(|p| !known_body(p)).map(|p| {
                    whole(format!(
                        "service `{}` (the version from {}), column `providers`: `{}` is not a body of the registry",
                        s.id,
                        s.effective_from,
                        bagalau_core::checked::shown(p)
                    ))
                })
            })
            .collect()
    }

    pub fn versions(&self) -> &[Service] {
        &self.services
    }

    /// The services in force on `date`, by id.
    pub fn at(&self, date: NaiveDate) -> BTreeMap<&str, &Service> {
        self.services
            .iter()
            .filter(|s| s.in_force(date))
            .map(|s| (s.id.as_str(), s))
            .collect()
    }

    /// What changed from the register in force on `from` to the one on `to`.
    pub fn diff(&self, from: NaiveDate, to: NaiveDate) -> Vec<Change> {
        let (a, b) = (self.at(from), self.at(to));
        let mut changes = Vec::new();
        for (id, before) in &a {
            match b.get(id) {
                None => changes.push(Change::Removed(id.to_string())),
                Some(after) => {
                    let fields: Vec<(String, String, String)> = row(before)
                        .into_iter()
                        .zip(row(after))
                        .zip(COLUMNS)
                        .filter(|((x, y), c)| x != y && !c.starts_with("effective"))
                        .map(|((x, y), c)| (c.to_string(), x, y))
                        .collect();
                    if !fields.is_empty() {
                        changes.push(Change::Changed(id.to_string(), fields));
                    }
                }
            }
        }
        for id in b.keys().filter(|id| !a.contains_key(*id)) {
            changes.push(Change::Added(id.to_string()));
        }
        changes
    }

    /// Reads the CSV: every problem found, or the register.
    pub fn from_csv(text: &str) -> Result<Register, Vec<Problem>> {
        let text = bagalau_core::checked::csv_text(text);
        let mut reader = csv::ReaderBuilder::new()
            .trim(csv::Trim::All)
            .from_reader(text.as_bytes());
        let header: Vec<String> = match reader.headers() {
            Ok(h) => h.iter().map(str::to_string).collect(),
            Err(e) => return Err(vec![whole(format!("unreadable header: {e}"))]),
        };
        let mut rows = Vec::new();
        for record in reader.records() {
            match record {
                Ok(r) => {
                    let line = r.position().map_or(0, |p| p.line() as usize);
                    rows.push((line, r.iter().map(str::to_string).collect()));
                }
                Err(e) => {
                    let line = e.position().map_or(0, |p| p.line() as usize);
                    let message = match e.kind() {
                        csv::ErrorKind::UnequalLengths {
                            expected_len, len, ..
                        } => {
                            bagalau_core::checked::row_length(*len as usize, *expected_len as usize)
                        }
                        _ => format!("unreadable row: {e}"),
                    };
                    return Err(vec![Problem {
                        line,
                        column: String::new(),
                        message,
                    }]);
                }
            }
        }
        Register::from_table(&header, rows)
    }

    /// Builds the register from a table: its header (line 1) and its rows,
    /// each with its line: the CSV's and the XLSX's reader. Rows with
    /// nothing in them (a row emptied in a spreadsheet) and columns without
    /// a name (a note beside the table) are not read.
    pub fn from_table(
        header: &[String],
        rows: Vec<(usize, Vec<String>)>,
    ) -> Result<Register, Vec<Problem>> {
        let rows: Vec<(usize, Vec<String>)> = rows
            .into_iter()
            .filter(|(_, cells)| cells.iter().any(|c| !c.trim().is_empty()))
            .collect();
        if rows.is_empty() && header.iter().all(|h| h.trim().is_empty()) {
            return Err(vec![whole(
                "the file is empty: no header, no service (a workbook's register is read from its first sheet)".into(),
            )]);
        }
        let missing = crate::missing_columns(&COLUMNS, header);
        if !missing.is_empty() {
            return Err(vec![Problem {
                line: 1,
                column: String::new(),
                message: bagalau_core::checked::separator_hint(header)
                    .unwrap_or_else(|| format!("missing columns: {}", missing.join(", "))),
            }]);
        }
        if let Some(h) = crate::named_twice(header, |h| !h.is_empty()) {
            return Err(vec![Problem {
                line: 1,
                column: h.to_string(),
                message: "the column is named twice: which one holds the values?".into(),
            }]);
        }
        if rows.is_empty() {
            return Err(vec![whole(
                "the register lists no service: only its header was found".into(),
            )]);
        }
        let rows = rows
            .into_iter()
            .map(|(line, cells)| {
                let by_column: BTreeMap<&str, String> = header
                    .iter()
                    .map(String::as_str)
                    .zip(cells)
                    .filter(|(h, _)| !h.is_empty())
                    .collect();
                (line, by_column)
            })
            .collect();
        Register::from_rows(rows)
    }

    /// Builds the register from rows of cells by column name, each with its line.
    fn from_rows(rows: Vec<(usize, BTreeMap<&str, String>)>) -> Result<Register, Vec<Problem>> {
        let mut problems = Vec::new();
        let mut services = Vec::new();
        let mut lines = Vec::new();
        for (line, cells) in rows {
            match service(line, &cells) {
                Ok(s) => {
                    services.push(s);
                    lines.push(line);
                }
                Err(mut p) => problems.append(&mut p),
            }
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        Register::new(services).map_err(|problems| {
            // `new` numbers versions by position; name their real lines.
            problems
                .into_iter()
                .map(|p| Problem {
                    line: lines.get(p.line - 2).copied().unwrap_or(p.line),
                    ..p
                })
                .collect()
        })
    }

    /// The register as it is stored and hashed: the cells as they are.
    pub fn to_csv(&self) -> String {
        let mut w = csv::Writer::from_writer(Vec::new());
        for record in self.records() {
            w.write_record(record).expect("writing to memory");
        }
        String::from_utf8(w.into_inner().expect("writing to memory")).expect("UTF-8 cells")
    }

    /// The header, then a row per version.
    fn records(&self) -> impl Iterator<Item = Vec<String>> + '_ {
        std::iter::once(COLUMNS.iter().map(|c| c.to_string()).collect())
            .chain(self.services.iter().map(row))
    }

    /// The register for people to download: as [`Register::to_csv`], but
    /// cells a spreadsheet would take for a formula are neutralised.
    pub fn to_export_csv(&self) -> String {
        let mut w = bagalau_csv::Writer::from_writer(Vec::new());
        for record in self.records() {
            w.write_record(record).expect("writing to memory");
        }
        String::from_utf8(w.into_inner().expect("writing to memory")).expect("UTF-8 cells")
    }

    /// The rows as cells, in the order of [`COLUMNS`] (for CSV and XLSX).
    pub fn rows(&self) -> Vec<Vec<String>> {
        self.services.iter().map(row).collect()
    }
}

fn whole(message: String) -> Problem {
    Problem {
        line: 0,
        column: String::new(),
        message,
    }
}

fn row(s: &Service) -> Vec<String> {
    vec![
        s.id.clone(),
        s.name.kk.clone(),
        s.name.ru.clone(),
        s.name.en.clone(),
        s.sector.clone(),
        s.providers.join(";"),
        s.channels
            .iter()
            .map(|c| c.as_str())
            .collect::<Vec<_>>()
            .join(";"),
        s.deadline.value().to_string(),
        s.deadline.unit().to_string(),
        s.documents.join(";"),
        s.cost.to_string(),
        s.result_form.as_str().to_string(),
        s.automated.to_string(),
        s.effective_from.to_string(),
        s.effective_to.map(|d| d.to_string()).unwrap_or_default(),
    ]
}

/// The longest cell read: names and lists are short; a longer cell is a
/// broken export.
const LONGEST_CELL: usize = 4000;

fn service(line: usize, cells: &BTreeMap<&str, String>) -> Result<Service, Vec<Problem>> {
    let mut problems = Vec::new();
    let mut bad = |column: &str, message: String| {
        problems.push(Problem {
            line,
            column: column.to_string(),
            message,
        })
    };
    let cell = |c: &str| cells.get(c).map_or("", |v| v.trim());
    for (column, value) in cells {
        if let Err(e) = bagalau_core::checked::text(value, LONGEST_CELL) {
            bad(column, e.to_string());
        }
    }
    let list = |c: &str| -> Vec<String> {
        cell(c)
            .split(';')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect()
    };
    let id = cell("id").to_string();
    if id.is_empty() {
        bad("id", "empty".into());
    }
    for c in ["name_kk", "name_ru", "name_en", "sector"] {
        if cell(c).is_empty() {
            bad(c, "empty".into());
        }
    }
    let providers = list("providers");
    if providers.is_empty() {
        bad("providers", "no provider body".into());
    }
    let mut channels = Vec::new();
    for c in list("channels") {
        match Channel::parse(&c) {
            Some(ch) => channels.push(ch),
            None => bad(
                "channels",
                format!("`{}` is not a channel (psc, portal or body)", shown(&c)),
            ),
        }
    }
    if channels.is_empty() && cell("channels").is_empty() {
        bad("channels", "no channel".into());
    }
    let unit = Deadline::parse(0, cell("deadline_unit"));
    let value = match bagalau_core::checked::number(cell("deadline")) {
        Ok(n) if n >= 0.0 && n.fract() == 0.0 => Some(n),
        Err(CellError::NotANumber(t)) if t.is_empty() => {
            bad("deadline", "empty".into());
            None
        }
        Ok(_) | Err(CellError::NotANumber(_)) => {
            bad(
                "deadline",
                format!(
                    "`{}` is not a whole number of 0 or more",
                    shown(cell("deadline"))
                ),
            );
            None
        }
        Err(e) => {
            bad("deadline", e.to_string());
            None
        }
    };
    let deadline = match (value, unit) {
        (_, None) => {
            bad(
                "deadline_unit",
                format!(
                    "`{}` is not a unit (working_days, calendar_days, hours or minutes)",
                    shown(cell("deadline_unit"))
                ),
            );
            None
        }
        (Some(n), Some(unit)) if n > f64::from(unit.longest()) => {
            bad(
                "deadline",
                format!(
                    "{} {} is longer than two years (at most {})",
                    shown(cell("deadline")),
                    unit.unit(),
                    unit.longest()
                ),
            );
            None
        }
        // Whole, not negative, and at most two years: a `u32`.
        (Some(n), Some(unit)) => Deadline::parse(n as u32, unit.unit()),
        (None, Some(_)) => None,
    };
    let cost = match bagalau_core::checked::number(cell("cost_tenge")) {
        Ok(c) if c >= 0.0 => c,
        Ok(_) => {
            bad(
                "cost_tenge",
                format!(
                    "`{}` is not an amount: a cost is 0 (free) or more tenge",
                    shown(cell("cost_tenge"))
                ),
            );
            0.0
        }
        Err(CellError::NotANumber(t)) if t.trim().is_empty() => {
            bad("cost_tenge", "empty: write 0 for a free service".into());
            0.0
        }
        Err(CellError::NotANumber(t)) => {
            bad("cost_tenge", format!("`{t}` is not an amount"));
            0.0
        }
        Err(e) => {
            bad("cost_tenge", e.to_string());
            0.0
        }
    };
    let result_form = ResultForm::parse(cell("result_form"));
    if result_form.is_none() {
        bad(
            "result_form",
            format!(
                "`{}` is not a form (electronic, paper or both)",
                shown(cell("result_form"))
            ),
        );
    }
    // Excel writes the `true` it read back as `TRUE`.
    let automated = match cell("automated").to_lowercase().as_str() {
        "true" | "yes" | "1" => true,
        "false" | "no" | "0" => false,
        _ => {
            bad(
                "automated",
                format!("`{}` is not true or false", shown(cell("automated"))),
            );
            false
        }
    };
    let date = |c: &str| bagalau_core::checked::date(cell(c));
    let effective_from = match date("effective_from") {
        Ok(d) => Some(d),
        Err(e) => {
            bad("effective_from", e.to_string());
            None
        }
    };
    let effective_to = if cell("effective_to").is_empty() {
        None
    } else {
        match date("effective_to") {
            Ok(d) => Some(d),
            Err(e) => {
                bad("effective_to", e.to_string());
                None
            }
        }
    };
    if let (Some(from), Some(to)) = (effective_from, effective_to)
        && to < from
    {
        bad("effective_to", format!("{to} is before {from}"));
    }
    match (deadline, result_form, effective_from) {
        (Some(deadline), Some(result_form), Some(effective_from)) if problems.is_empty() => {
            Ok(Service {
                id,
                name: Names {
                    kk: cell("name_kk").into(),
                    ru: cell("name_ru").into(),
                    en: cell("name_en").into(),
                },
                sector: cell("sector").into(),
                providers,
                channels,
                deadline,
                documents: list("documents"),
                cost,
                result_form,
                automated,
                effective_from,
                effective_to,
            })
        }
        _ => Err(problems),
    }
}
