//! Excel submission templates. For one evaluated body and year, [`template`]
//! writes a workbook with an instructions sheet and one sheet per direction
//! listing the indicators the body reports, with their units; only the value
//! and note columns are editable (the sheets are protected) and every value
//! cell validates its unit's range. [`read`] takes the workbook back, as saved
//! by Excel or LibreOffice Calc, and returns the observations, or every
//! problem with its sheet and cell.

use bagalau_core::data::Observation;
use bagalau_core::pack::{Methodology, Unit};
use bagalau_core::registry::Registry;
pub mod bounded;
#[doc(hidden)]
pub mod testing;

use bounded::{Cells, Limits, SheetError};
use calamine::{Data, Reader, Xlsx};
use rust_xlsxwriter::{DataValidation, DataValidationRule, Format, Workbook, XlsxError};
use std::collections::BTreeMap;
use std::io::Cursor;

const INSTRUCTIONS: &str = "Instructions";
/// Rows of the instructions sheet that identify the template (0-based).
const ROW_YEAR: u32 = 2;
const ROW_BODY: u32 = 3;
const ROW_PACK: u32 = 4;
const HEADER: [&str; 5] = ["indicator_id", "indicator", "unit", "value", "note"];
const COL_VALUE: u16 = 3;
const COL_NOTE: u16 = 4;
/// The last row (0-based) of the instructions sheet that holds anything.
const INSTRUCTIONS_LAST_ROW: u32 = 6 + INSTRUCTION_LINES.len() as u32 - 1;
const INSTRUCTION_LINES: [&str; 5] = [
    "Each sheet is a direction of the methodology; each row an indicator your body reports.",
    "Fill in the value column (D) and, if you wish, a note (E). Leave a value empty when there is no data.",
    "Values are checked against their unit: percent 0-100, share 0-1, status 1, 0.5 or 0, count 0 or more.",
    "Do not rename sheets or change the indicator column: the file is read back by them.",
    "Submit the file with: bagalau import xlsx FILE (or through the API).",
];

#[derive(Debug, thiserror::Error)]
pub enum TemplateError {
    #[error("`{0}` is not evaluated in the registry that year")]
    UnknownBody(String),
    #[error("cannot write the workbook: {0}")]
    Write(#[from] XlsxError),
}

/// A problem in a returned workbook, with where it is.
#[derive(Debug, Clone, PartialEq)]
pub struct CellProblem {
    pub sheet: String,
    /// A1-style reference, or empty for the whole sheet or file.
    pub cell: String,
    pub issue: Issue,
}

/// What is wrong, as data, so the workspace can say it in the reader's
/// language; `Display` says it in English.
#[derive(Debug, Clone, PartialEq)]
pub enum Issue {
    NotAWorkbook {
        detail: String,
    },
    NotEvaluated {
        body: String,
        year: i32,
    },
    NotATemplate,
    /// The instructions sheet names another year, body or methodology.
    WrongTemplate {
        found: String,
        expected: String,
    },
    NotADirection,
    Unreadable {
        detail: String,
    },
    ValueWithoutIndicator,
    NotAnIndicatorOfSheet {
        indicator: String,
    },
    NotANumber {
        text: String,
    },
    OutOfRange {
        indicator: String,
        value: f64,
        unit: Unit,
    },
    /// The same indicator with different values on two sheets.
    Conflicting {
        indicator: String,
        here: Option<f64>,
        there: Option<f64>,
        other_sheet: String,
    },
    NotAYear {
        text: String,
    },
    /// The archive is larger, more compressed or more numerous in its parts
    /// than any workbook Bagalau reads.
    TooLarge {
        detail: String,
    },
    /// Something in a cell that the template or table does not have.
    OutsideTemplate,
    /// A direction's sheet is not in the workbook (deleted or renamed):
    /// its values would silently not be submitted.
    MissingSheet,
    /// A formula saved without the value it computes: read as empty, it
    /// would erase a stored value.
    FormulaWithoutValue,
}

impl std::fmt::Display for Issue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Issue::NotAWorkbook { detail } => write!(f, "not an Excel workbook (.xlsx): {detail}"),
            Issue::NotEvaluated { body, year } => write!(f, "`{body}` is not evaluated in {year}"),
            Issue::NotATemplate => write!(f, "missing: this is not a Bagalau template"),
            Issue::WrongTemplate { found, expected } => write!(
                f,
                "the template is for `{found}`, not `{expected}`: download the template for this body, year and methodology"
            ),
            Issue::NotADirection => write!(f, "not a direction of this template"),
            Issue::Unreadable { detail } => write!(f, "unreadable: {detail}"),
            Issue::ValueWithoutIndicator => write!(f, "a value without its indicator"),
            Issue::NotAnIndicatorOfSheet { indicator } => {
                write!(f, "`{indicator}` is not an indicator of this sheet")
            }
            Issue::NotANumber { text } => write!(f, "`{text}` is not a number"),
            Issue::OutOfRange {
                indicator,
                value,
                unit,
            } => write!(
                f,
                "{indicator}: {value} {}",
                unit.check(*value).err().unwrap_or_default()
            ),
            Issue::Conflicting {
                indicator,
                here,
                there,
                other_sheet,
            } => write!(
                f,
                "{indicator} is {} here but {} on sheet `{other_sheet}`",
                show(*here),
                show(*there)
            ),
            Issue::NotAYear { text } => write!(f, "`{text}` is not a year"),
            Issue::TooLarge { detail } => write!(f, "the file is refused: {detail}"),
            Issue::FormulaWithoutValue => write!(
                f,
                "a formula without its computed value: open the file in Excel or LibreOffice Calc and save it, or type the value"
            ),
            Issue::MissingSheet => write!(
                f,
                "missing: the workbook lacks this direction's sheet; use the template as downloaded"
            ),
            Issue::OutsideTemplate => write!(
                f,
                "outside the template: only the value and note columns of the indicator rows are read; clear this cell"
            ),
        }
    }
}

impl std::fmt::Display for CellProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.sheet.is_empty(), self.cell.is_empty()) {
            (true, _) => write!(f, "{}", self.issue),
            (false, true) => write!(f, "sheet `{}`: {}", self.sheet, self.issue),
            (false, false) => write!(
                f,
                "sheet `{}`, cell {}: {}",
                self.sheet, self.cell, self.issue
            ),
        }
    }
}

/// The sheets of a body's template: per direction, the indicators it reports.
fn layout<'m>(
    m: &'m Methodology,
    registry: &Registry,
    body: &str,
) -> Option<Vec<(&'m str, Vec<usize>)>> {
    let b = registry.body(body)?;
    if !b.evaluated.contains(&m.year) {
        return None;
    }
    let mut sheets = Vec::new();
    for block in &m.blocks {
        for d in block
            .directions
            .iter()
            .filter(|d| d.applies_to.contains(&b.kind))
        {
            let mut indicators: Vec<usize> = d
                .criteria
                .iter()
                .filter(|c| c.applies(body, b.kind))
                .flat_map(|c| c.rule.indicators())
                .filter(|&i| m.indicators[i].applies_to.contains(&b.kind))
                .collect();
            indicators.sort_unstable();
            indicators.dedup();
            if !indicators.is_empty() {
                sheets.push((d.id.as_str(), indicators));
            }
        }
    }
    Some(sheets)
}

fn unit_text(u: Unit) -> &'static str {
    match u {
        Unit::Count => "count (0 or more)",
        Unit::Percent => "percent (0-100)",
        Unit::Share => "share (0-1)",
        Unit::Ratio => "ratio",
        Unit::Tenge => "tenge",
        Unit::Days => "days",
        Unit::Points => "points",
        Unit::Score => "score",
        Unit::Status => "status (1, 0.5 or 0)",
    }
}

fn validation(u: Unit) -> Option<DataValidation> {
    let range = |lo: f64, hi: f64| {
        DataValidation::new().allow_decimal_number(DataValidationRule::Between(lo, hi))
    };
    let v = match u {
        Unit::Percent => range(0.0, 100.0),
        Unit::Share => range(0.0, 1.0),
        Unit::Count => DataValidation::new()
            .allow_decimal_number(DataValidationRule::GreaterThanOrEqualTo(0.0)),
        Unit::Status => DataValidation::new()
            .allow_list_strings(&["1", "0.5", "0"])
            .ok()?,
        _ => DataValidation::new().allow_decimal_number(DataValidationRule::Between(-1e15, 1e15)),
    };
    v.set_error_message(unit_text(u)).ok()
}

/// The template for `body` in the methodology's year, with current values
/// filled in where known.
pub fn template(
    m: &Methodology,
    registry: &Registry,
    body: &str,
    current: &BTreeMap<String, f64>,
) -> Result<Vec<u8>, TemplateError> {
    let sheets =
        layout(m, registry, body).ok_or_else(|| TemplateError::UnknownBody(body.to_string()))?;
    let name = registry
        .body(body)
        .map_or(body.to_string(), |b| b.name.en.clone());
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    let editable = Format::new().set_unlocked();
    let ws = wb.add_worksheet();
    ws.set_name(INSTRUCTIONS)?;
    ws.write_string_with_format(
        0,
        0,
        format!("Reporting data for {} ({body}), {}", name, m.year),
        &bold,
    )?;
    ws.write_string(ROW_YEAR, 0, "year")?;
    ws.write_number(ROW_YEAR, 1, f64::from(m.year))?;
    ws.write_string(ROW_BODY, 0, "body")?;
    ws.write_string(ROW_BODY, 1, body)?;
    ws.write_string(ROW_PACK, 0, "methodology")?;
    ws.write_string(ROW_PACK, 1, format!("{} {}", m.id, m.content_hash))?;
    for (i, line) in INSTRUCTION_LINES.iter().enumerate() {
        ws.write_string(6 + i as u32, 0, *line)?;
    }
    ws.set_column_width(0, 14)?;
    ws.protect();
    for (direction, indicators) in sheets {
        let ws = wb.add_worksheet();
        ws.set_name(direction)?;
        for (c, h) in HEADER.iter().enumerate() {
            ws.write_string_with_format(0, c as u16, *h, &bold)?;
        }
        for (r, &i) in indicators.iter().enumerate() {
            let row = r as u32 + 1;
            let ind = &m.indicators[i];
            ws.write_string(row, 0, &ind.id)?;
            ws.write_string(row, 1, &ind.name.en)?;
            ws.write_string(row, 2, unit_text(ind.unit))?;
            match current.get(&ind.id) {
                Some(v) => ws.write_number_with_format(row, COL_VALUE, *v, &editable)?,
                None => ws.write_blank(row, COL_VALUE, &editable)?,
            };
            ws.write_blank(row, COL_NOTE, &editable)?;
            if let Some(v) = validation(ind.unit) {
                ws.add_data_validation(row, COL_VALUE, row, COL_VALUE, &v)?;
            }
        }
        ws.set_column_width(0, 28)?;
        ws.set_column_width(1, 60)?;
        ws.set_column_width(2, 22)?;
        ws.set_column_width(3, 16)?;
        ws.set_column_width(4, 40)?;
        ws.protect();
    }
    Ok(wb.save_to_buffer()?)
}

fn cell_ref(row: u32, col: u32) -> String {
    let mut letters = String::new();
    let mut c = col + 1;
    while c > 0 {
        let rem = (c - 1) % 26;
        letters.insert(0, (b'A' + rem as u8) as char);
        c = (c - 1) / 26;
    }
    format!("{letters}{}", row + 1)
}

fn text(d: Option<&Data>) -> String {
    match d {
        Some(Data::String(s)) => s.trim().to_string(),
        Some(Data::Float(f)) => f.to_string(),
        Some(Data::Int(i)) => i.to_string(),
        Some(Data::Empty) | None => String::new(),
        Some(other) => other.to_string(),
    }
}

/// Opens an uploaded workbook within [`Limits::UPLOADS`], or says why not.
fn open_upload(bytes: &[u8]) -> Result<Xlsx<Cursor<&[u8]>>, Box<CellProblem>> {
    bounded::open(bytes, Limits::UPLOADS).map_err(|refused| {
        Box::new(CellProblem {
            sheet: String::new(),
            cell: String::new(),
            issue: match refused {
                bounded::Refused::NotAWorkbook(detail) => Issue::NotAWorkbook { detail },
                // A reference no spreadsheet program writes: a broken file, not a large one.
                reference @ bounded::Refused::Reference { .. } => Issue::NotAWorkbook {
                    detail: reference.to_string(),
                },
                other => Issue::TooLarge {
                    detail: other.to_string(),
                },
            },
        })
    })
}

/// The cells of a sheet of a template, none beyond the given last row and column.
fn sheet_cells(
    wb: &mut Xlsx<Cursor<&[u8]>>,
    sheet: &str,
    last_row: u32,
    last_column: u32,
) -> Result<Cells, Box<CellProblem>> {
    bounded::cells(wb, sheet, last_row, last_column, Limits::UPLOADS).map_err(|e| {
        let (cell, issue) = match e {
            SheetError::Outside { row, column } => (cell_ref(row, column), Issue::OutsideTemplate),
            SheetError::FormulaWithoutValue { row, column } => {
                (cell_ref(row, column), Issue::FormulaWithoutValue)
            }
            SheetError::Unreadable(detail) => (String::new(), Issue::Unreadable { detail }),
            other @ SheetError::TooManyCells { .. } => (
                String::new(),
                Issue::TooLarge {
                    detail: other.to_string(),
                },
            ),
        };
        Box::new(CellProblem {
            sheet: sheet.to_string(),
            cell,
            issue,
        })
    })
}

/// The cells of a template's instructions sheet (columns A and B), or why
/// the workbook is not a template.
fn instructions(wb: &mut Xlsx<Cursor<&[u8]>>) -> Result<Cells, Box<CellProblem>> {
    if !wb.sheet_names().iter().any(|n| n == INSTRUCTIONS) {
        return Err(Box::new(CellProblem {
            sheet: INSTRUCTIONS.into(),
            cell: String::new(),
            issue: Issue::NotATemplate,
        }));
    }
    sheet_cells(wb, INSTRUCTIONS, INSTRUCTIONS_LAST_ROW, 1)
}

/// Reads a returned template: the body's observations for the year, or every
/// problem found (nothing is partially read).
pub fn read(
    m: &Methodology,
    registry: &Registry,
    body: &str,
    bytes: &[u8],
) -> Result<Vec<Observation>, Vec<CellProblem>> {
    let problem = |sheet: &str, cell: String, issue: Issue| CellProblem {
        sheet: sheet.to_string(),
        cell,
        issue,
    };
    let Some(sheets) = layout(m, registry, body) else {
        return Err(vec![problem(
            "",
            String::new(),
            Issue::NotEvaluated {
                body: body.to_string(),
                year: m.year,
            },
        )]);
    };
    let mut wb = open_upload(bytes).map_err(|p| vec![*p])?;
    let instructions = instructions(&mut wb).map_err(|p| vec![*p])?;
    let mut problems = Vec::new();
    let expect = [
        (ROW_YEAR, m.year.to_string()),
        (ROW_BODY, body.to_string()),
        (ROW_PACK, format!("{} {}", m.id, m.content_hash)),
    ];
    for (row, want) in expect {
        let got = text(instructions.get(&(row, 1)));
        if got != want {
            problems.push(problem(
                INSTRUCTIONS,
                cell_ref(row, 1),
                Issue::WrongTemplate {
                    found: got,
                    expected: want,
                },
            ));
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let expected: BTreeMap<&str, &Vec<usize>> = sheets.iter().map(|(d, i)| (*d, i)).collect();
    let mut values: BTreeMap<String, (Option<f64>, Option<String>, String)> = BTreeMap::new();
    for name in wb.sheet_names() {
        if name == INSTRUCTIONS {
            continue;
        }
        let Some(allowed) = expected.get(name.as_str()) else {
            problems.push(problem(&name, String::new(), Issue::NotADirection));
            continue;
        };
        // The header and one row per indicator of the sheet, columns A to E.
        let cells = match sheet_cells(&mut wb, &name, allowed.len() as u32, u32::from(COL_NOTE)) {
            Ok(cells) => cells,
            Err(p) => {
                problems.push(*p);
                continue;
            }
        };
        let rows: std::collections::BTreeSet<u32> =
            cells.keys().map(|(r, _)| *r).filter(|r| *r >= 1).collect();
        for row in rows {
            let id = text(cells.get(&(row, 0)));
            let raw = cells.get(&(row, u32::from(COL_VALUE)));
            let note = text(cells.get(&(row, u32::from(COL_NOTE))));
            if id.is_empty() {
                if !text(raw).is_empty() {
                    problems.push(problem(
                        &name,
                        cell_ref(row, 0),
                        Issue::ValueWithoutIndicator,
                    ));
                }
                continue;
            }
            let Some(i) = m.indicator(&id).filter(|i| allowed.contains(i)) else {
                problems.push(problem(
                    &name,
                    cell_ref(row, 0),
                    Issue::NotAnIndicatorOfSheet { indicator: id },
                ));
                continue;
            };
            let at = cell_ref(row, u32::from(COL_VALUE));
            let value = match raw {
                None | Some(Data::Empty) => None,
                Some(Data::Float(f)) => Some(*f),
                Some(Data::Int(n)) => Some(*n as f64),
                Some(Data::String(s)) if s.trim().is_empty() => None,
                Some(Data::String(s)) => match s.trim().replace(',', ".").parse::<f64>() {
                    Ok(v) => Some(v),
                    Err(_) => {
                        problems.push(problem(
                            &name,
                            at,
                            Issue::NotANumber {
                                text: s.trim().to_string(),
                            },
                        ));
                        continue;
                    }
                },
                Some(other) => {
                    problems.push(problem(
                        &name,
                        at,
                        Issue::NotANumber {
                            text: other.to_string(),
                        },
                    ));
                    continue;
                }
            };
            if let Some(v) = value
                && m.indicators[i].unit.check(v).is_err()
            {
                problems.push(problem(
                    &name,
                    at,
                    Issue::OutOfRange {
                        indicator: id,
                        value: v,
                        unit: m.indicators[i].unit,
                    },
                ));
                continue;
            }
            let note = (!note.is_empty()).then_some(note);
            match values.get(&id) {
                Some((other, _, sheet)) if *other != value => problems.push(problem(
                    &name,
                    at,
                    Issue::Conflicting {
                        indicator: id,
                        here: value,
                        there: *other,
                        other_sheet: sheet.clone(),
                    },
                )),
                Some(_) => {}
                None => {
                    values.insert(id, (value, note, name.clone()));
                }
            }
        }
    }
    let present = wb.sheet_names();
    for (direction, _) in &sheets {
        if !present.iter().any(|n| n == direction) {
            problems.push(problem(direction, String::new(), Issue::MissingSheet));
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(values
        .into_iter()
        .map(|(indicator, (value, note, _))| Observation {
            year: m.year,
            body: body.to_string(),
            indicator,
            value,
            note,
        })
        .collect())
}

fn show(v: Option<f64>) -> String {
    v.map_or("empty".into(), |v| v.to_string())
}

/// The year and body a returned template was made for, from its instructions sheet.
pub fn identify(bytes: &[u8]) -> Result<(i32, String), Box<CellProblem>> {
    let sheet = instructions(&mut open_upload(bytes)?)?;
    let year_text = text(sheet.get(&(ROW_YEAR, 1)));
    let year = year_text
        .parse::<f64>()
        .ok()
        .filter(|y| y.fract() == 0.0 && (1900.0..=9999.0).contains(y))
        .map(|y| y as i32)
        .ok_or_else(|| {
            Box::new(CellProblem {
                sheet: INSTRUCTIONS.into(),
                cell: cell_ref(ROW_YEAR, 1),
                issue: Issue::NotAYear {
                    text: year_text.clone(),
                },
            })
        })?;
    Ok((year, text(sheet.get(&(ROW_BODY, 1)))))
}

/// A cell of a plain table.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum TableCell<'a> {
    Text(&'a str),
    Number(f64),
    Empty,
}

/// A workbook of one sheet: a bold, frozen header row, then the rows (open
/// data downloads).
pub fn table(
    sheet: &str,
    columns: &[String],
    rows: &[Vec<TableCell<'_>>],
) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let ws = workbook.add_worksheet();
    ws.set_name(sheet)?;
    let bold = Format::new().set_bold();
    for (c, name) in columns.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, name, &bold)?;
    }
    for (r, row) in rows.iter().enumerate() {
        let r = r as u32 + 1;
        for (c, cell) in row.iter().enumerate() {
            match cell {
                TableCell::Text(t) => {
                    ws.write_string(r, c as u16, *t)?;
                }
                TableCell::Number(n) => {
                    ws.write_number(r, c as u16, *n)?;
                }
                TableCell::Empty => {}
            }
        }
    }
    ws.set_freeze_panes(1, 0)?;
    workbook.save_to_buffer()
}

/// A table read from a workbook: its header and its non-empty rows, each
/// with its 1-based row number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadTable {
    pub header: Vec<String>,
    pub rows: Vec<(usize, Vec<String>)>,
}

/// The last column (0-based) a plain table may use: far more than any
/// table Bagalau reads has.
pub const TABLE_LAST_COLUMN: u32 = 255;

/// A plain table read back from the first sheet of a workbook: the header
/// row (the first row with anything in it) and every following non-empty row
/// (with its 1-based row number in the sheet) as text, from the leftmost
/// column used. Dates typed as dates read as `YYYY-MM-DD`.
pub fn read_table(bytes: &[u8]) -> Result<ReadTable, String> {
    let mut wb = open_upload(bytes).map_err(|p| p.to_string())?;
    let first = wb
        .sheet_names()
        .first()
        .cloned()
        .ok_or_else(|| "the workbook has no sheet".to_string())?;
    let cells =
        sheet_cells(&mut wb, &first, u32::MAX, TABLE_LAST_COLUMN).map_err(|p| match p.issue {
            Issue::OutsideTemplate => format!(
                "sheet `{first}`, cell {}: beyond the last column a table may use ({})",
                p.cell,
                cell_ref(0, TABLE_LAST_COLUMN).trim_end_matches('1')
            ),
            _ => p.to_string(),
        })?;
    let cell = |d: Option<&Data>| match d {
        Some(Data::DateTime(dt)) => {
            let day = dt.as_f64().floor() as i64;
            chrono::NaiveDate::from_ymd_opt(1899, 12, 30)
                .and_then(|epoch| epoch.checked_add_signed(chrono::Duration::try_days(day)?))
                .map_or_else(|| dt.as_f64().to_string(), |d| d.to_string())
        }
        other => text(other),
    };
    let Some(first_column) = cells.keys().map(|(_, c)| *c).min() else {
        return Ok(ReadTable {
            header: Vec::new(),
            rows: Vec::new(),
        });
    };
    let last_column = cells.keys().map(|(_, c)| *c).max().unwrap_or(first_column);
    let mut by_row: BTreeMap<u32, Vec<String>> = BTreeMap::new();
    for ((row, column), value) in &cells {
        let line = by_row
            .entry(*row)
            .or_insert_with(|| vec![String::new(); (last_column - first_column + 1) as usize]);
        line[(column - first_column) as usize] = cell(Some(value));
    }
    let mut rows = by_row
        .into_iter()
        .filter(|(_, cells)| cells.iter().any(|c| !c.is_empty()))
        .map(|(row, cells)| (row as usize + 1, cells));
    let header = rows.next().map(|(_, h)| h).unwrap_or_default();
    Ok(ReadTable {
        header,
        rows: rows.collect(),
    })
}

#[cfg(test)]
mod table_tests {
    use super::*;

    #[test]
    fn a_table_reads_back_with_its_header_numbers_and_text() {
        let columns = vec!["body_id".to_string(), "total".to_string()];
        let rows = vec![
            vec![TableCell::Text("minfin"), TableCell::Number(87.25)],
            vec![TableCell::Text("Қаржы министрлігі"), TableCell::Empty],
        ];
        let bytes = table("rankings", &columns, &rows).unwrap();
        let mut book: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes)).unwrap();
        let range = book.worksheet_range("rankings").unwrap();
        assert_eq!(range.get((0, 1)), Some(&Data::String("total".into())));
        assert_eq!(range.get((1, 1)), Some(&Data::Float(87.25)));
        assert_eq!(
            range.get((2, 0)),
            Some(&Data::String("Қаржы министрлігі".into()))
        );
        assert!(matches!(range.get((2, 1)), None | Some(Data::Empty)));
    }
}
