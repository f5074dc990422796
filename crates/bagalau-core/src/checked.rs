//! Cells as every importer reads them: dates, times, numbers and text
//! checked one way, with one wording, whatever the file.
//!
//! Spreadsheet programs and broken exports write things the parsers of the
//! standard library accept and mean otherwise: `23-07-10` parses as the year
//! 23, `20221` as a year, `1e400` as infinity, `4,5` fails in one reader and
//! is two fields in another, a NUL byte passes SQLite and fails PostgreSQL.
//! Each reader here refuses them with a message that says what was found
//! (shortened: a megabyte of garbage is never echoed whole) and what is
//! expected.

use chrono::{NaiveDate, NaiveDateTime};
use std::fmt;

/// Longest text shown back in a message.
const SHOWN: usize = 60;

/// `text` as a message shows it: at most 60 characters, then how long it was.
pub fn shown(text: &str) -> String {
    let count = text.chars().count();
    if count <= SHOWN {
        text.to_string()
    } else {
        let head: String = text.chars().take(SHOWN).collect();
        format!("{head}… ({count} characters)")
    }
}

/// Why a cell was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CellError {
    NotADate(String),
    NoSuchDay(String),
    NotATime(String),
    NotANumber(String),
    DecimalComma(String),
    NotFinite(String),
    Control(String),
    TooLong { length: usize, limit: usize },
}

impl fmt::Display for CellError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CellError::NotADate(t) => write!(
                f,
                "`{t}` is not a date: write YYYY-MM-DD with a four-digit year"
            ),
            CellError::NoSuchDay(t) => write!(f, "`{t}` is not a day of the calendar"),
            CellError::NotATime(t) => write!(
                f,
                "`{t}` is not a date and time: write YYYY-MM-DD HH:MM[:SS] with a four-digit year"
            ),
            CellError::NotANumber(t) => write!(f, "`{t}` is not a number"),
            CellError::DecimalComma(t) => write!(
                f,
                "`{t}` has a decimal comma: write the number with a point (a comma separates fields)"
            ),
            CellError::NotFinite(t) => write!(f, "`{t}` is not a finite number"),
            CellError::Control(t) => write!(
                f,
                "`{t}` holds a control character (a NUL byte or such): the file is damaged or not text"
            ),
            CellError::TooLong { length, limit } => {
                write!(
                    f,
                    "the text is {length} characters long; at most {limit} are accepted"
                )
            }
        }
    }
}

impl std::error::Error for CellError {}

/// `YYYY-MM-DD`, the year in four digits, a real day.
fn date_part(text: &str) -> Option<Result<NaiveDate, ()>> {
    let b = text.as_bytes();
    let shaped = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shaped {
        return None;
    }
    let n = |r: std::ops::Range<usize>| text[r].parse::<u32>().unwrap_or(0);
    Some(NaiveDate::from_ymd_opt(n(0..4) as i32, n(5..7), n(8..10)).ok_or(()))
}

/// A date written `YYYY-MM-DD`.
pub fn date(text: &str) -> Result<NaiveDate, CellError> {
    match date_part(text.trim()) {
        Some(Ok(d)) => Ok(d),
        Some(Err(())) => Err(CellError::NoSuchDay(shown(text))),
        None => Err(CellError::NotADate(shown(text))),
    }
}

/// A date and time: `YYYY-MM-DD HH:MM[:SS[.fraction]]`, or with `T`
/// between them, as spreadsheets and ISO 8601 write them; a date alone is
/// refused.
pub fn datetime(text: &str) -> Result<NaiveDateTime, CellError> {
    let t = text.trim();
    let refused = || CellError::NotATime(shown(text));
    if t.len() < 16 || !t.is_char_boundary(10) {
        return Err(refused());
    }
    let (day, rest) = t.split_at(10);
    let day = match date_part(day) {
        Some(Ok(d)) => d,
        Some(Err(())) => return Err(CellError::NoSuchDay(shown(text))),
        None => return Err(refused()),
    };
    let rest = rest.strip_prefix([' ', 'T']).ok_or_else(refused)?;
    ["%H:%M:%S%.f", "%H:%M"]
        .iter()
        .find_map(|f| chrono::NaiveTime::parse_from_str(rest, f).ok())
        .map(|time| day.and_time(time))
        .ok_or_else(refused)
}

/// A finite number written with a decimal point.
pub fn number(text: &str) -> Result<f64, CellError> {
    let t = text.trim();
    if t.contains(',')
        && t.replacen(',', ".", 1)
            .parse::<f64>()
            .is_ok_and(f64::is_finite)
    {
        return Err(CellError::DecimalComma(shown(text)));
    }
    // Rust reads `inf`, `nan` and `infinity` as numbers: no export means them.
    let v: f64 = t.parse().map_err(|_| CellError::NotANumber(shown(text)))?;
    if v.is_finite() {
        Ok(v)
    } else {
        Err(CellError::NotFinite(shown(text)))
    }
}

/// What a row with more or fewer fields than its header says.
pub fn row_length(fields: usize, header: usize) -> String {
    format!(
        "the row has {fields} fields where the header has {header} (a row shortened by hand, a trailing comma, or a quote never closed)"
    )
}

/// Where a file stops being UTF-8 text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotUtf8 {
    /// 1-based line and column (in characters) of the first bad byte.
    pub line: usize,
    pub column: usize,
}

/// What a file that is not UTF-8 text is told, after its place.
pub const NOT_UTF8: &str = "not UTF-8 text (a Cyrillic file saved as Windows-1251? save it as \"CSV UTF-8\"), or not a text file at all";

impl fmt::Display for NotUtf8 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}, column {}: {NOT_UTF8}", self.line, self.column)
    }
}

impl std::error::Error for NotUtf8 {}

/// The bytes of a text file as text, without its byte-order mark.
pub fn utf8(bytes: &[u8]) -> Result<&str, NotUtf8> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|e| {
        let good = std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or_default();
        let line = good.matches('\n').count() + 1;
        let column = good.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        NotUtf8 { line, column }
    })
}

/// CSV text as the `csv` reader numbers its lines right: without its
/// byte-order mark, and with Windows line ends (`\r\n`, Excel's) as `\n`.
/// The reader ends a record at the `\r` and counts the `\n` in the next
/// record, so every line after the first would be named one too early.
pub fn csv_text(text: &str) -> std::borrow::Cow<'_, str> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.contains("\r\n") {
        std::borrow::Cow::Owned(text.replace("\r\n", "\n"))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// The hint for a header that is one column: the file was saved with
/// another separator than the comma.
pub fn separator_hint(header: &[String]) -> Option<String> {
    let [only] = header else { return None };
    let separator = [';', '\t', '|'].into_iter().find(|c| only.contains(*c))?;
    let shown = if separator == '\t' {
        "tabs".to_string()
    } else {
        format!("`{separator}`")
    };
    Some(format!(
        "the columns are separated by {shown}, not commas: save the file as CSV with commas (in Excel, \"CSV UTF-8 (comma delimited)\")"
    ))
}

/// Text of at most `limit` characters, without control characters other
/// than tab and line breaks.
pub fn text(text: &str, limit: usize) -> Result<&str, CellError> {
    if text
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
    {
        let cleaned: String = text
            .chars()
            .map(|c| if c.is_control() { '�' } else { c })
            .collect();
        return Err(CellError::Control(shown(&cleaned)));
    }
    let length = text.chars().count();
    if length > limit {
        return Err(CellError::TooLong { length, limit });
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_need_four_digit_years_and_real_days() {
        assert_eq!(
            date("2023-07-10"),
            Ok(NaiveDate::from_ymd_opt(2023, 7, 10).unwrap())
        );
        assert_eq!(
            date(" 2024-02-29 "),
            Ok(NaiveDate::from_ymd_opt(2024, 2, 29).unwrap())
        );
        for bad in [
            "23-07-10",
            "223-07-10",
            "20221-07-10",
            "2023-7-10",
            "10.07.2023",
            "2023/07/10",
            "",
            "2023-07-10x",
        ] {
            assert_eq!(date(bad), Err(CellError::NotADate(bad.into())), "{bad}");
        }
        assert_eq!(
            date("2023-02-30"),
            Err(CellError::NoSuchDay("2023-02-30".into()))
        );
        assert_eq!(
            date("2023-13-01"),
            Err(CellError::NoSuchDay("2023-13-01".into()))
        );
        assert!(date("2023-07-1é").is_err());
    }

    #[test]
    fn times_need_a_date_and_a_time() {
        let t = |y, m, d, h, mi, s| {
            NaiveDate::from_ymd_opt(y, m, d)
                .unwrap()
                .and_hms_opt(h, mi, s)
                .unwrap()
        };
        assert_eq!(datetime("2023-07-10 09:30"), Ok(t(2023, 7, 10, 9, 30, 0)));
        assert_eq!(
            datetime("2023-07-10T09:30:15"),
            Ok(t(2023, 7, 10, 9, 30, 15))
        );
        assert_eq!(
            datetime("2023-07-10T09:30:15.250")
                .unwrap()
                .and_utc()
                .timestamp_subsec_millis(),
            250
        );
        for bad in [
            "2023-07-10",
            "23-07-10 09:30",
            "2023-07-10 25:00",
            "2023-07-10 09:30 pm",
            "2023-07-10é09:30",
            "ééééééééééé",
        ] {
            assert!(datetime(bad).is_err(), "{bad}");
        }
        assert_eq!(
            datetime("2023-02-30 10:00"),
            Err(CellError::NoSuchDay("2023-02-30 10:00".into()))
        );
    }

    #[test]
    fn numbers_are_finite_and_written_with_a_point() {
        assert_eq!(number(" 4.5 "), Ok(4.5));
        assert_eq!(number("-1e3"), Ok(-1000.0));
        assert_eq!(number("4,5"), Err(CellError::DecimalComma("4,5".into())));
        assert_eq!(
            number("1,234,567"),
            Err(CellError::NotANumber("1,234,567".into()))
        );
        for bad in ["nan", "NaN", "inf", "-infinity", "1e400"] {
            assert_eq!(number(bad), Err(CellError::NotFinite(bad.into())), "{bad}");
        }
        assert_eq!(number("four"), Err(CellError::NotANumber("four".into())));
    }

    #[test]
    fn files_that_are_not_utf8_are_placed_and_separators_named() {
        assert_eq!(utf8("\u{feff}id,name\n".as_bytes()), Ok("id,name\n"));
        // "Минфин" in Windows-1251 on line 2, after "id,name" and "1,".
        let bytes = b"id,name\n1,\xCC\xE8\xED\xF4\xE8\xED\n";
        assert_eq!(utf8(bytes), Err(NotUtf8 { line: 2, column: 3 }));
        assert_eq!(
            separator_hint(&["id;body;kind".to_string()]).unwrap(),
            "the columns are separated by `;`, not commas: save the file as CSV with commas (in Excel, \"CSV UTF-8 (comma delimited)\")"
        );
        assert!(
            separator_hint(&["id\tbody".to_string()])
                .unwrap()
                .contains("by tabs")
        );
        assert_eq!(
            separator_hint(&["id".to_string(), "body".to_string()]),
            None
        );
    }

    #[test]
    fn csv_text_loses_its_byte_order_mark_and_windows_line_ends() {
        assert_eq!(
            csv_text("\u{feff}a,b\r\n1,\"x\r\ny\"\r\n"),
            "a,b\n1,\"x\ny\"\n"
        );
        assert!(matches!(
            csv_text("a,b\n1,2\n"),
            std::borrow::Cow::Borrowed("a,b\n1,2\n")
        ));
    }

    #[test]
    fn text_without_control_characters_and_long_texts_shortened() {
        assert_eq!(text("Минфин\tРК", 10), Ok("Минфин\tРК"));
        assert!(matches!(text("a\0b", 10), Err(CellError::Control(t)) if t == "a�b"));
        assert_eq!(
            text("abc", 2),
            Err(CellError::TooLong {
                length: 3,
                limit: 2
            })
        );
        let huge = "x".repeat(1_000_000);
        let message = number(&huge).unwrap_err().to_string();
        assert!(
            message.len() < 200 && message.contains("(1000000 characters)"),
            "{message}"
        );
    }
}
