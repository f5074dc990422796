//! Survey responses as KoBoToolbox and ODK Central export them to CSV, read
//! by the questionnaire's versions into one plain form kept by Bagalau.
//!
//! The export layouts (as the tools write them; checked against their own
//! test suites):
//! - KoBoToolbox: `;` between fields (`,` if the user chose it), every field
//!   quoted, CRLF; question columns named by the question's name or label,
//!   after its group path and `/`; then `_id`, `_uuid`, `_submission_time`
//!   (UTC, `2017-10-23T09:41:19`), `_validation_status`, `_notes`,
//!   `_status`, `_submitted_by`, `__version__`, `_tags`, `_index`. A form
//!   with HXL hashtags puts a row of them under the header.
//! - ODK Central: `,` between fields; `SubmissionDate` (RFC 3339), the
//!   questions (group path joined with `-`), `meta-instanceID`, `KEY`,
//!   `SubmitterID`, `SubmitterName`, `AttachmentsPresent`,
//!   `AttachmentsExpected`, `Status`, `ReviewState`, `DeviceID`, `Edits`,
//!   `FormVersion`.
//!
//! Responses the reviewers rejected (KoBo "not approved", ODK `rejected`)
//! are kept and marked, and left out of the estimates. A bad row is named
//! by line and column, and nothing is read.

use crate::Problem;
use crate::questionnaire::{Question, Questionnaire, Role, Version};
use crate::survey::{Estimate, SurveyError, mean, share};
use bagalau_core::checked::{self, CellError, shown};
use chrono::{DateTime, NaiveDateTime, Timelike};
use std::collections::{BTreeMap, BTreeSet};

/// The tool whose export a file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Tool {
    Kobo,
    Odk,
}

impl Tool {
    pub fn as_str(self) -> &'static str {
        match self {
            Tool::Kobo => "kobo",
            Tool::Odk => "odk",
        }
    }

    pub fn parse(text: &str) -> Option<Tool> {
        [Tool::Kobo, Tool::Odk]
            .into_iter()
            .find(|t| t.as_str() == text)
    }

    fn group_separator(self) -> char {
        match self {
            Tool::Kobo => '/',
            Tool::Odk => '-',
        }
    }

    fn name(self) -> &'static str {
        match self {
            Tool::Kobo => "KoBoToolbox",
            Tool::Odk => "ODK Central",
        }
    }

    /// How the tool writes a submission time.
    fn time_example(self) -> &'static str {
        match self {
            Tool::Kobo => "2024-03-03T04:14:52 (UTC)",
            Tool::Odk => "2024-04-02T00:13:44.100Z (RFC 3339)",
        }
    }

    /// The columns of (id, submission time, version, review).
    fn meta(self) -> [&'static str; 4] {
        match self {
            Tool::Kobo => [
                "_uuid",
                "_submission_time",
                "__version__",
                "_validation_status",
            ],
            Tool::Odk => ["KEY", "SubmissionDate", "FormVersion", "ReviewState"],
        }
    }
}

/// One measure's answer.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Score {
    pub score: f64,
    /// At or above the version's threshold for that measure.
    pub satisfied: bool,
}

/// One response, as Bagalau keeps it.
#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    /// The tool's identifier of the submission (KoBo `_uuid`, ODK `KEY`).
    pub id: String,
    pub tool: Tool,
    pub version: String,
    /// UTC, `YYYY-MM-DDTHH:MM:SS`.
    pub submitted: NaiveDateTime,
    pub rejected: bool,
    pub service: String,
    pub region: String,
    pub channel: String,
    pub category: String,
    pub weight: f64,
    /// Measures answered with a scored choice ("don't know" and blanks are absent).
    pub scores: BTreeMap<String, Score>,
}

/// The first line's separator: the one of `;` and `,` found more often
/// outside quotes.
fn sniff_delimiter(text: &str) -> u8 {
    let first = text.lines().next().unwrap_or("");
    let (mut quoted, mut semicolons, mut commas) = (false, 0, 0);
    for c in first.chars() {
        match c {
            '"' => quoted = !quoted,
            ';' if !quoted => semicolons += 1,
            ',' if !quoted => commas += 1,
            _ => {}
        }
    }
    if semicolons > commas { b';' } else { b',' }
}

fn problem(line: usize, column: &str, message: impl Into<String>) -> Problem {
    Problem {
        line,
        column: column.to_string(),
        message: message.into(),
    }
}

/// Where each question of any version is in the header.
fn question_columns(
    header: &[String],
    questionnaire: &Questionnaire,
    tool: Tool,
) -> Result<BTreeMap<String, usize>, Problem> {
    let separator = tool.group_separator();
    let meta: BTreeSet<&str> = tool.meta().into_iter().collect();
    let mut out = BTreeMap::new();
    // Versions may label the same question differently: any of them names it.
    let mut questions: BTreeMap<&str, Vec<&Question>> = BTreeMap::new();
    for q in questionnaire
        .versions
        .iter()
        .flat_map(|v| v.questions.iter())
    {
        questions.entry(q.name.as_str()).or_default().push(q);
    }
    for (name, asked) in questions {
        let found: Vec<usize> = header
            .iter()
            .enumerate()
            .filter(|(_, h)| {
                !meta.contains(h.as_str()) && asked.iter().any(|q| q.is_named_by(h, separator))
            })
            .map(|(i, _)| i)
            .collect();
        match found.as_slice() {
            [] => {}
            [one] => {
                out.insert(name.to_string(), *one);
            }
            _ => {
                let names: Vec<&str> = found.iter().map(|&i| header[i].as_str()).collect();
                return Err(problem(
                    1,
                    "",
                    format!(
                        "the question `{name}` could be any of the columns {}",
                        names.join(", ")
                    ),
                ));
            }
        }
    }
    Ok(out)
}

/// The submission time as the tool writes it, to the second, or what is
/// wrong with it.
fn submitted(tool: Tool, text: &str) -> Result<NaiveDateTime, String> {
    let text = text.trim();
    let time = match tool {
        Tool::Kobo => checked::datetime(text).ok(),
        Tool::Odk => DateTime::parse_from_rfc3339(text)
            .ok()
            .map(|d| d.naive_utc()),
    };
    match time {
        Some(t) => Ok(t.with_nanosecond(0).unwrap_or(t)),
        None if text.is_empty() => Err("no submission time".into()),
        None => Err(match text.get(..10).map(checked::date) {
            Some(Err(CellError::NoSuchDay(_))) => CellError::NoSuchDay(shown(text)).to_string(),
            _ => format!(
                "`{}` is not a submission time: {} writes it as {}; export again rather than edit the file",
                shown(text),
                tool.name(),
                tool.time_example()
            ),
        }),
    }
}

/// What a header with only one of a tool's two identifying columns says.
fn half_of(tool: Tool, has: impl Fn(&str) -> bool) -> Option<String> {
    let [id, time, ..] = tool.meta();
    let (found, lacking) = match (has(id), has(time)) {
        (true, false) => (id, time),
        (false, true) => (time, id),
        _ => return None,
    };
    let article = if tool == Tool::Odk { "an" } else { "a" };
    Some(format!(
        "the header has `{found}` of {article} {} export but lacks its column `{lacking}`: export the submissions again with every column",
        tool.name()
    ))
}

/// The longest cell read: answers, ids and versions are short; a longer
/// cell is a broken export (a quote never closed).
const LONGEST_CELL: usize = 2000;

fn is_rejected(tool: Tool, review: &str) -> bool {
    let review = review.trim().to_lowercase();
    match tool {
        Tool::Kobo => review == "validation_status_not_approved" || review == "not approved",
        Tool::Odk => review == "rejected",
    }
}

/// Reads a KoBoToolbox or ODK Central CSV export by the questionnaire.
/// Every problem is listed; a file with any is not read.
/// `in_register` says whether a service id is in the register.
pub fn read_export(
    text: &str,
    questionnaire: &Questionnaire,
    in_register: impl Fn(&str) -> bool,
) -> Result<Vec<Response>, Vec<Problem>> {
    // KoBo writes CRLF line ends.
    let text: &str = &checked::csv_text(text);
    if text.trim().is_empty() {
        return Err(vec![problem(0, "", "the file is empty")]);
    }
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(sniff_delimiter(text))
        .flexible(false)
        .from_reader(text.as_bytes());
    let header: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|c| c.trim().to_string()).collect(),
        Err(e) => return Err(vec![problem(1, "", format!("the header is not read: {e}"))]),
    };
    let has = |c: &str| header.iter().any(|h| h == c);
    let tool = if has("_uuid") && has("_submission_time") {
        Tool::Kobo
    } else if has("KEY") && has("SubmissionDate") {
        Tool::Odk
    } else {
        let message = checked::separator_hint(&header)
            .or_else(|| half_of(Tool::Kobo, has))
            .or_else(|| half_of(Tool::Odk, has))
            .unwrap_or_else(|| {
                "not a KoBoToolbox export (no `_uuid` and `_submission_time` columns) \
                 nor an ODK Central one (no `KEY` and `SubmissionDate`)"
                    .into()
            });
        return Err(vec![problem(1, "", message)]);
    };
    // A column read twice: which one holds the values?
    let read_by_name = |h: &str| {
        tool.meta().contains(&h)
            || (tool == Tool::Odk && h == "Status")
            || questionnaire
                .versions
                .iter()
                .flat_map(|v| v.questions.iter())
                .any(|q| q.is_named_by(h, tool.group_separator()))
    };
    if let Some(h) = crate::named_twice(&header, |h| !h.is_empty() && read_by_name(h)) {
        return Err(vec![problem(
            1,
            h,
            "the column is named twice: which one holds the values?",
        )]);
    }
    let columns = question_columns(&header, questionnaire, tool).map_err(|p| vec![p])?;
    let at = |name: &str| header.iter().position(|h| h == name);
    let [id_column, time_column, version_column, review_column] = tool.meta();
    let (id_at, time_at) = (at(id_column), at(time_column));
    let (version_at, review_at) = (at(version_column), at(review_column));
    let status_at = (tool == Tool::Odk).then(|| at("Status")).flatten();
    if version_at.is_none() && questionnaire.versions.len() > 1 {
        return Err(vec![problem(
            1,
            "",
            format!(
                "the export has no `{version_column}` column, and the questionnaire has {} versions: \
                 export with the form version included",
                questionnaire.versions.len()
            ),
        )]);
    }

    let mut responses = Vec::new();
    let mut problems = Vec::new();
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut unanswerable: BTreeSet<(&str, &str)> = BTreeSet::new();
    // The columns whose cells are read.
    let read_columns: BTreeSet<usize> = [id_at, time_at, version_at, review_at, status_at]
        .into_iter()
        .flatten()
        .chain(columns.values().copied())
        .collect();
    let mut rows_read = 0usize;
    for (index, record) in reader.records().enumerate() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(index + 2, |p| p.line() as usize);
                let message = match e.kind() {
                    csv::ErrorKind::UnequalLengths {
                        expected_len, len, ..
                    } => checked::row_length(*len as usize, *expected_len as usize),
                    _ => format!("not a CSV row: {e}"),
                };
                problems.push(problem(line, "", message));
                continue;
            }
        };
        let line = record.position().map_or(index + 2, |p| p.line() as usize);
        let cell = |i: Option<usize>| i.and_then(|i| record.get(i)).unwrap_or("").trim();
        // KoBo's row of HXL hashtags under the header.
        if index == 0
            && tool == Tool::Kobo
            && cell(id_at).is_empty()
            && record.iter().any(|c| c.starts_with('#'))
            && record.iter().all(|c| c.is_empty() || c.starts_with('#'))
        {
            continue;
        }
        rows_read += 1;
        // A damaged cell (a NUL byte, a quote never closed) is all that is
        // said of its row.
        let damaged: Vec<Problem> = read_columns
            .iter()
            .filter_map(|&i| {
                let text = record.get(i).unwrap_or("");
                checked::text(text, LONGEST_CELL)
                    .err()
                    .map(|e| problem(line, &header[i], e.to_string()))
            })
            .collect();
        if !damaged.is_empty() {
            problems.extend(damaged);
            continue;
        }
        let before = problems.len();
        let mut problems_in_row = false;
        let id = cell(id_at).to_string();
        if id.is_empty() {
            problems.push(problem(line, id_column, "no submission id"));
        } else if let Some(first) = seen.insert(id.clone(), line) {
            problems.push(problem(
                line,
                id_column,
                format!("the submission `{}` is also on line {first}", shown(&id)),
            ));
        }
        if status_at.is_some() && cell(status_at).eq_ignore_ascii_case("not decrypted") {
            problems.push(problem(
                line,
                "Status",
                "the submission is encrypted: export it with the form's private key",
            ));
            continue;
        }
        let when = match submitted(tool, cell(time_at)) {
            Ok(t) => Some(t),
            Err(message) => {
                problems.push(problem(line, time_column, message));
                None
            }
        };
        let version: &Version = match version_at {
            None => &questionnaire.versions[0],
            Some(i) => match questionnaire.version(cell(Some(i))) {
                Some(v) => v,
                None => {
                    let known: Vec<&str> = questionnaire
                        .versions
                        .iter()
                        .map(|v| v.id.as_str())
                        .collect();
                    problems.push(problem(
                        line,
                        version_column,
                        format!(
                            "the form version `{}` is not in the questionnaire (it has {})",
                            shown(cell(Some(i))),
                            known.join(", ")
                        ),
                    ));
                    continue;
                }
            },
        };
        let mut values: BTreeMap<Role, String> = BTreeMap::new();
        let mut scores = BTreeMap::new();
        for q in &version.questions {
            let Some(&i) = columns.get(&q.name) else {
                // Said once, at the first row of that version.
                if unanswerable.insert((version.id.as_str(), q.name.as_str())) {
                    problems.push(problem(
                        line,
                        "",
                        format!(
                            "version `{}` asks `{}`, and the export has no column for it",
                            version.id, q.name
                        ),
                    ));
                }
                // The file is refused anyway; this row is not read further.
                problems_in_row = true;
                continue;
            };
            let raw = record.get(i).unwrap_or("").trim();
            let column = &header[i];
            let value = if q.choices.is_empty() || raw.is_empty() {
                raw.to_string()
            } else {
                match q.choice(raw) {
                    Some(c) => {
                        if let (Role::Measure, Some(score)) = (q.role, c.score) {
                            let threshold = q.satisfied_at_least.unwrap_or(f64::INFINITY);
                            scores.insert(
                                q.measure.clone().unwrap_or_default(),
                                Score {
                                    score,
                                    satisfied: score >= threshold,
                                },
                            );
                        }
                        c.name.clone()
                    }
                    None => {
                        problems.push(problem(
                            line,
                            column,
                            format!("`{}` is not one of the question's choices", shown(raw)),
                        ));
                        continue;
                    }
                }
            };
            if matches!(q.role, Role::Service | Role::Region) && value.is_empty() {
                problems.push(problem(
                    line,
                    column,
                    "no answer: the response cannot be placed",
                ));
            } else if q.role == Role::Service && !in_register(&value) {
                problems.push(problem(
                    line,
                    column,
                    format!("the service `{}` is not in the register", shown(&value)),
                ));
            }
            values.insert(q.role, value);
        }
        let weight = match version.question(Role::Weight) {
            None => 1.0,
            Some(q) => {
                let text = values.get(&Role::Weight).map_or("", String::as_str);
                let column = columns.get(&q.name).map_or("", |&i| header[i].as_str());
                let weight = match checked::number(text) {
                    Ok(w) if w > 0.0 => Ok(w),
                    _ if text.is_empty() => {
                        Err("no weight: every response of this version needs one".to_string())
                    }
                    Ok(_) => Err(format!(
                        "the weight `{}` is not a positive number",
                        shown(text)
                    )),
                    Err(e) => Err(e.to_string()),
                };
                weight.unwrap_or_else(|message| {
                    problems.push(problem(line, column, message));
                    1.0
                })
            }
        };
        if problems_in_row || problems.len() > before {
            continue;
        }
        let mut take = |role| values.remove(&role).unwrap_or_default();
        responses.push(Response {
            id,
            tool,
            version: version.id.clone(),
            submitted: when.expect("checked above"),
            rejected: is_rejected(tool, cell(review_at)),
            service: take(Role::Service),
            region: take(Role::Region),
            channel: take(Role::Channel),
            category: take(Role::Category),
            weight,
            scores,
        });
    }
    if problems.is_empty() && rows_read == 0 {
        problems.push(problem(0, "", "the file has no responses: only its header"));
    }
    if problems.is_empty() {
        Ok(responses)
    } else {
        Err(problems)
    }
}

/// The plain form's fixed columns; each measure adds `<measure>_score` and
/// `<measure>_satisfied`.
pub const COLUMNS: [&str; 10] = [
    "id",
    "tool",
    "version",
    "submitted",
    "rejected",
    "service",
    "region",
    "channel",
    "category",
    "weight",
];

const TIME: &str = "%Y-%m-%dT%H:%M:%S";

/// Responses in Bagalau's plain CSV form.
pub fn to_csv(responses: &[Response], measures: &[String]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header: Vec<String> = COLUMNS.iter().map(|c| c.to_string()).collect();
    for m in measures {
        header.push(format!("{m}_score"));
        header.push(format!("{m}_satisfied"));
    }
    w.write_record(&header).expect("writing to memory");
    for r in responses {
        let mut row = vec![
            r.id.clone(),
            r.tool.as_str().to_string(),
            r.version.clone(),
            r.submitted.format(TIME).to_string(),
            (if r.rejected { "1" } else { "0" }).to_string(),
            r.service.clone(),
            r.region.clone(),
            r.channel.clone(),
            r.category.clone(),
            r.weight.to_string(),
        ];
        for m in measures {
            match r.scores.get(m) {
                Some(s) => {
                    row.push(s.score.to_string());
                    row.push((if s.satisfied { "1" } else { "0" }).to_string());
                }
                None => row.extend([String::new(), String::new()]),
            }
        }
        w.write_record(&row).expect("writing to memory");
    }
    String::from_utf8(w.into_inner().expect("writing to memory")).expect("CSV of UTF-8 text")
}

/// Reads responses back from the plain CSV form.
pub fn from_csv(text: &str) -> Result<Vec<Response>, Problem> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| problem(1, "", e.to_string()))?
        .iter()
        .map(str::to_string)
        .collect();
    if header.len() < COLUMNS.len() || header[..COLUMNS.len()] != COLUMNS {
        return Err(problem(
            1,
            "",
            format!(
                "not Bagalau's responses file: it starts with the columns {}",
                COLUMNS.join(", ")
            ),
        ));
    }
    let measures: Vec<(String, usize, usize)> = header
        .iter()
        .enumerate()
        .filter_map(|(i, h)| {
            let m = h.strip_suffix("_score")?;
            let j = header.iter().position(|x| *x == format!("{m}_satisfied"))?;
            Some((m.to_string(), i, j))
        })
        .collect();
    let mut out = Vec::new();
    for (index, record) in reader.records().enumerate() {
        let line = index + 2;
        let record = record.map_err(|e| problem(line, "", e.to_string()))?;
        let get = |i: usize| record.get(i).unwrap_or("");
        let bad = |i: usize| problem(line, COLUMNS[i], format!("`{}` is not valid", get(i)));
        let mut scores = BTreeMap::new();
        for (m, i, j) in &measures {
            if get(*i).is_empty() {
                continue;
            }
            let score = get(*i)
                .parse()
                .map_err(|_| problem(line, &header[*i], "not a number"))?;
            scores.insert(
                m.clone(),
                Score {
                    score,
                    satisfied: get(*j) == "1",
                },
            );
        }
        out.push(Response {
            id: get(0).to_string(),
            tool: Tool::parse(get(1)).ok_or_else(|| bad(1))?,
            version: get(2).to_string(),
            submitted: NaiveDateTime::parse_from_str(get(3), TIME).map_err(|_| bad(3))?,
            rejected: get(4) == "1",
            service: get(5).to_string(),
            region: get(6).to_string(),
            channel: get(7).to_string(),
            category: get(8).to_string(),
            weight: get(9).parse().map_err(|_| bad(9))?,
            scores,
        });
    }
    Ok(out)
}

/// The breakdowns of the satisfaction estimates that the responses carry.
pub const BREAKDOWNS: [&str; 7] = [
    "all", "service", "region", "channel", "category", "version", "month",
];

/// The group a response falls in, for one of [`BREAKDOWNS`].
pub fn breakdown(by: &str) -> Option<fn(&Response) -> String> {
    Some(match by {
        "all" => |_| "all".to_string(),
        "service" => |r| r.service.clone(),
        "region" => |r| r.region.clone(),
        "channel" => |r| r.channel.clone(),
        "category" => |r| r.category.clone(),
        "version" => |r| r.version.clone(),
        "month" => |r| r.submitted.format("%Y-%m").to_string(),
        _ => return None,
    })
}

/// A group's satisfaction with one measure.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct GroupEstimate {
    pub group: String,
    /// Weighted share satisfied.
    pub satisfied: Estimate,
    /// Weighted mean score.
    pub mean: Estimate,
}

/// The estimates of `measure` by group, from the responses not rejected
/// that answered it with a score; groups under `min_respondents` are
/// suppressed.
pub fn estimates(
    responses: &[Response],
    measure: &str,
    group_of: impl Fn(&Response) -> String,
    min_respondents: usize,
) -> Result<Vec<GroupEstimate>, SurveyError> {
    /// A group's (weight, satisfied) and (weight, score) pairs.
    type Answers = (Vec<(f64, bool)>, Vec<(f64, f64)>);
    let mut groups: BTreeMap<String, Answers> = BTreeMap::new();
    for r in responses.iter().filter(|r| !r.rejected) {
        if let Some(s) = r.scores.get(measure) {
            let g = groups.entry(group_of(r)).or_default();
            g.0.push((r.weight, s.satisfied));
            g.1.push((r.weight, s.score));
        }
    }
    groups
        .into_iter()
        .map(|(group, (shares, scores))| {
            Ok(GroupEstimate {
                group,
                satisfied: share(&shares, min_respondents)?,
                mean: mean(&scores, min_respondents)?,
            })
        })
        .collect()
}
