//! Importing delivery records from CSV: read as a stream, every row
//! checked, good rows written into a staging folder per month and moved
//! into place only at the end. A bad row is never dropped silently: it is
//! reported with its line and written, as it was, to a quarantine file. By
//! default one bad row stops the import and nothing is added; in
//! quarantine mode the good rows go in and the bad ones wait in the file.

use crate::records::{
    CLUSTER_ROWS, Record, cluster, month_dir, schema, to_batch, writer_properties,
};
use crate::{AnalyticsError, Result, io};
use chrono::Datelike;
use datafusion::parquet::arrow::ArrowWriter;
use std::collections::BTreeMap;
use std::fs::File;
use std::path::{Path, PathBuf};

/// The columns a records CSV must have (others are ignored).
pub const COLUMNS: [&str; 9] = [
    "service",
    "provider",
    "region",
    "office",
    "channel",
    "recipient",
    "requested_at",
    "delivered_at",
    "extra_documents",
];

const CHANNELS: [&str; 3] = ["psc", "portal", "body"];
const BATCH: usize = 65_536;
/// The longest cell read: a longer one is a broken export.
const LONGEST_CELL: usize = 2000;

/// A row that was not imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadRow {
    pub line: u64,
    pub column: String,
    pub message: String,
}

impl std::fmt::Display for BadRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.column.is_empty() {
            write!(f, "line {}: {}", self.line, self.message)
        } else {
            write!(
                f,
                "line {}, column `{}`: {}",
                self.line, self.column, self.message
            )
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// Records added, by (year, month).
    pub added: BTreeMap<(i32, u32), u64>,
    pub bad: Vec<BadRow>,
    /// Where the bad rows were written, if there were any.
    pub quarantine: Option<PathBuf>,
    /// Whether the good rows went in.
    pub imported: bool,
}

/// Where an import goes.
#[derive(Debug, Clone, Copy)]
pub struct Target<'a> {
    /// The records' folder (`deliveries`).
    pub root: &'a Path,
    /// Names the new files: one `<name>.parquet` per month.
    pub name: &'a str,
    /// Where bad rows go.
    pub quarantine: &'a Path,
    /// Import the good rows even when some are bad.
    pub keep_good_rows: bool,
    /// The providers whose records may be imported (an importer's own);
    /// None: any. A record of another provider is a bad row.
    pub providers: Option<&'a [String]>,
}

/// Imports a records CSV.
pub fn import_csv(
    input: impl std::io::Read,
    target: Target<'_>,
    mut progress: impl FnMut(u64),
) -> Result<Report> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(LineEnds::new(input));
    let header: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|h| h.trim().to_string()).collect(),
        Err(e) if matches!(e.kind(), csv::ErrorKind::Utf8 { .. }) => {
            return Err(AnalyticsError::Input(format!(
                "line 1: {}",
                bagalau_core::checked::NOT_UTF8
            )));
        }
        Err(e) => {
            return Err(AnalyticsError::Input(format!(
                "line 1: unreadable header: {e}"
            )));
        }
    };
    let mut count = 0u64;
    let rows = reader.into_records().map(|row| {
        count += 1;
        let row = row.map_err(|e| {
            let line = e.position().map_or(count + 1, |p| p.line());
            AnalyticsError::Input(match e.kind() {
                csv::ErrorKind::Utf8 { err, .. } => format!(
                    "line {line}, column `{}`: {}",
                    header.get(err.field()).map_or("", String::as_str),
                    bagalau_core::checked::NOT_UTF8
                ),
                _ => format!("line {line}: unreadable CSV: {e}"),
            })
        })?;
        let line = row.position().map_or(count + 1, |p| p.line());
        Ok((line, row))
    });
    import_rows((header.clone(), "line 1: "), rows, target, &mut progress)
}

/// A CSV stream as the reader numbers its lines right (as
/// `bagalau_core::checked::csv_text` does for a text): without its
/// byte-order mark, and with Windows line ends (`\r\n`) read as `\n`.
struct LineEnds<R> {
    inner: std::io::BufReader<R>,
    started: bool,
    /// A `\r` that ended what was read, held until the next byte says
    /// whether a `\n` follows it.
    cr: bool,
}

impl<R: std::io::Read> LineEnds<R> {
    fn new(input: R) -> Self {
        LineEnds {
            inner: std::io::BufReader::with_capacity(1 << 16, input),
            started: false,
            cr: false,
        }
    }
}

impl<R: std::io::Read> std::io::Read for LineEnds<R> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        use std::io::BufRead;
        if out.is_empty() {
            return Ok(0);
        }
        if !self.started {
            self.started = true;
            if self.inner.fill_buf()?.starts_with(b"\xEF\xBB\xBF") {
                self.inner.consume(3);
            }
        }
        loop {
            let buf = self.inner.fill_buf()?;
            if buf.is_empty() {
                // The end: a `\r` held back is the last byte.
                if std::mem::take(&mut self.cr) {
                    out[0] = b'\r';
                    return Ok(1);
                }
                return Ok(0);
            }
            let (mut n, mut used) = (0, 0);
            if std::mem::take(&mut self.cr) && buf[0] != b'\n' {
                out[0] = b'\r';
                n = 1;
            }
            while used < buf.len() && n < out.len() {
                let rest = &buf[used..];
                let take = rest.len().min(out.len() - n);
                match rest[..take].iter().position(|&b| b == b'\r') {
                    None => {
                        out[n..n + take].copy_from_slice(&rest[..take]);
                        n += take;
                        used += take;
                    }
                    Some(i) => {
                        out[n..n + i].copy_from_slice(&rest[..i]);
                        n += i;
                        used += i + 1;
                        match rest.get(i + 1) {
                            // `\r\n`: the `\n` alone goes on.
                            Some(b'\n') => {}
                            // A `\r` alone (there is room: i < take).
                            Some(_) => {
                                out[n] = b'\r';
                                n += 1;
                            }
                            None => {
                                self.cr = true;
                                break;
                            }
                        }
                    }
                }
            }
            self.inner.consume(used);
            if n > 0 {
                return Ok(n);
            }
        }
    }
}

/// Imports a Parquet file of records (the columns of [`COLUMNS`]; times as
/// timestamps or text). Messages number its rows from 1 (as "line").
pub fn import_parquet(
    input: File,
    target: Target<'_>,
    mut progress: impl FnMut(u64),
) -> Result<Report> {
    use datafusion::arrow::record_batch::RecordBatchReader;
    use datafusion::arrow::util::display::{ArrayFormatter, FormatOptions};
    use datafusion::parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
    let reader = ParquetRecordBatchReaderBuilder::try_new(input)?
        .with_batch_size(BATCH)
        .build()?;
    types_fit(&reader.schema())?;
    let header: Vec<String> = reader
        .schema()
        .fields()
        .iter()
        .map(|f| f.name().clone())
        .collect();
    let mut line = 0u64;
    // A timestamp with a zone (pandas writes UTC) is read as the wall-clock
    // time in its zone, as one without.
    let options = FormatOptions::default()
        .with_timestamp_format(Some("%Y-%m-%d %H:%M:%S"))
        .with_timestamp_tz_format(Some("%Y-%m-%d %H:%M:%S"));
    let rows = reader.flat_map(move |batch| {
        let out: Vec<Result<(u64, csv::StringRecord)>> = match batch {
            Err(e) => vec![Err(e.into())],
            Ok(batch) => {
                let formatters: std::result::Result<Vec<ArrayFormatter<'_>>, _> = batch
                    .columns()
                    .iter()
                    .map(|c| ArrayFormatter::try_new(c.as_ref(), &options))
                    .collect();
                match formatters {
                    Err(e) => vec![Err(e.into())],
                    Ok(formatters) => (0..batch.num_rows())
                        .map(|i| {
                            line += 1;
                            let cells: Vec<String> = batch
                                .columns()
                                .iter()
                                .zip(&formatters)
                                .map(|(c, f)| {
                                    if c.is_null(i) {
                                        String::new()
                                    } else {
                                        f.value(i).to_string()
                                    }
                                })
                                .collect();
                            Ok((line, csv::StringRecord::from(cells)))
                        })
                        .collect(),
                }
            }
        };
        out
    });
    import_rows((header, ""), rows, target, &mut progress)
}

/// A Parquet file's columns of times and counts hold values of their kind
/// (or text, read as a CSV's cells): a column of another type is refused
/// whole, named, before any row is read.
fn types_fit(schema: &datafusion::arrow::datatypes::Schema) -> Result<()> {
    use datafusion::arrow::datatypes::DataType;
    fn text(t: &DataType) -> bool {
        match t {
            DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => true,
            DataType::Dictionary(_, values) => text(values),
            _ => false,
        }
    }
    for field in schema.fields() {
        let t = field.data_type();
        let expected = match field.name().as_str() {
            "requested_at" | "delivered_at"
                if !(matches!(t, DataType::Timestamp(..) | DataType::Null) || text(t)) =>
            {
                "times are expected: write them as timestamps, or as text YYYY-MM-DD HH:MM[:SS] \
                 (numbers, such as seconds since 1970, and dates without a time are not read)"
            }
            "extra_documents" if !(t.is_integer() || matches!(t, DataType::Null) || text(t)) => {
                "a count is expected: write it as whole numbers (an integer column; pandas turns \
                 whole numbers with gaps into floats: convert the column with .astype(\"Int64\"))"
            }
            _ => continue,
        };
        return Err(AnalyticsError::Input(format!(
            "column `{}`: the file holds {t} values where {expected}; nothing was imported",
            field.name()
        )));
    }
    Ok(())
}

/// `header`: the column names, and where they are for messages.
fn import_rows(
    (header, header_at): (Vec<String>, &str),
    rows: impl Iterator<Item = Result<(u64, csv::StringRecord)>>,
    target: Target<'_>,
    progress: &mut impl FnMut(u64),
) -> Result<Report> {
    let Target {
        root,
        name,
        quarantine,
        keep_good_rows,
        providers,
    } = target;
    let missing = bagalau_services::missing_columns(&COLUMNS, &header);
    if !missing.is_empty() {
        let message = bagalau_core::checked::separator_hint(&header)
            .unwrap_or_else(|| format!("missing columns: {}", missing.join(", ")));
        return Err(AnalyticsError::Input(format!("{header_at}{message}")));
    }
    let at: Vec<usize> = COLUMNS
        .iter()
        .map(|c| header.iter().position(|h| h == c).expect("checked above"))
        .collect();
    let staging = Staging::new(root.join(format!(".staging-{name}")))?;
    let staging = staging.path();
    let mut report = Report::default();
    let mut writers: BTreeMap<(i32, u32), (ArrowWriter<File>, Vec<Record>)> = BTreeMap::new();
    let mut bad_out: Option<bagalau_csv::Writer<File>> = None;
    let mut count = 0u64;
    for row in rows {
        count += 1;
        let (line, row) = row?;
        let checked = check(&row, &at, header.len()).and_then(|record| match providers {
            Some(own) if !own.contains(&record.provider) => Err((
                "provider",
                format!(
                    "`{}` is not a provider this account imports for ({})",
                    bagalau_core::checked::shown(&record.provider),
                    own.join(", ")
                ),
            )),
            _ => Ok(record),
        });
        match checked {
            Ok(record) => {
                let key = (record.requested_at.year(), record.requested_at.month());
                let (writer, pending) = match writers.entry(key) {
                    std::collections::btree_map::Entry::Occupied(e) => e.into_mut(),
                    std::collections::btree_map::Entry::Vacant(e) => {
                        let dir = month_dir(staging, key.0, key.1);
                        std::fs::create_dir_all(&dir).map_err(io(&dir))?;
                        let path = dir.join(format!("{name}.parquet"));
                        let file = File::create(&path).map_err(io(&path))?;
                        let writer =
                            ArrowWriter::try_new(file, schema(), Some(writer_properties()))?;
                        e.insert((writer, Vec::new()))
                    }
                };
                pending.push(record);
                if pending.len() == CLUSTER_ROWS {
                    writer.write(&cluster(&to_batch(pending)?)?)?;
                    pending.clear();
                }
                *report.added.entry(key).or_default() += 1;
            }
            Err((column, message)) => {
                if bad_out.is_none() {
                    let mut w =
                        bagalau_csv::Writer::flexible_from_path(quarantine).map_err(|e| {
                            AnalyticsError::Input(format!("{}: {e}", quarantine.display()))
                        })?;
                    let mut head = vec!["line".to_string(), "problem".to_string()];
                    head.extend(header.iter().cloned());
                    w.write_record(&head)
                        .map_err(|e| AnalyticsError::Input(e.to_string()))?;
                    bad_out = Some(w);
                    report.quarantine = Some(quarantine.to_path_buf());
                }
                let bad = BadRow {
                    line,
                    column: column.to_string(),
                    message,
                };
                let mut out = vec![line.to_string(), bad.to_string()];
                out.extend(row.iter().map(str::to_string));
                bad_out
                    .as_mut()
                    .expect("opened above")
                    .write_record(&out)
                    .map_err(|e| AnalyticsError::Input(e.to_string()))?;
                report.bad.push(bad);
            }
        }
        if count.is_multiple_of(BATCH as u64) {
            progress(count);
        }
    }
    progress(count);
    if let Some(mut w) = bad_out {
        w.flush().map_err(io(quarantine))?;
    }
    for (_, (mut writer, pending)) in std::mem::take(&mut writers) {
        if !pending.is_empty() {
            writer.write(&cluster(&to_batch(&pending)?)?)?;
        }
        writer.close()?;
    }
    if !report.bad.is_empty() && !keep_good_rows {
        report.added.clear();
        return Ok(report);
    }
    // Every file is complete: now they move into place, once none of
    // their names is taken.
    for (year, month) in report.added.keys() {
        let to = month_dir(root, *year, *month).join(format!("{name}.parquet"));
        if to.exists() {
            return Err(AnalyticsError::Input(format!(
                "{} exists: records were imported under the name `{name}` before",
                to.display()
            )));
        }
    }
    for (year, month) in report.added.keys() {
        let from = month_dir(staging, *year, *month).join(format!("{name}.parquet"));
        let dir = month_dir(root, *year, *month);
        std::fs::create_dir_all(&dir).map_err(io(&dir))?;
        let to = dir.join(format!("{name}.parquet"));
        std::fs::rename(&from, &to).map_err(io(&to))?;
    }
    report.imported = true;
    Ok(report)
}

/// A staging folder, removed with whatever is in it when the import ends,
/// however it ends (an error, a refusal, a panic): files move out of it
/// into place only once every one is complete.
struct Staging(PathBuf);

impl Staging {
    fn new(path: PathBuf) -> Result<Staging> {
        // A folder left by a process that was killed.
        if path.exists() {
            std::fs::remove_dir_all(&path).map_err(io(&path))?;
        }
        Ok(Staging(path))
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if self.0.exists() {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

fn check(
    row: &csv::StringRecord,
    at: &[usize],
    fields: usize,
) -> std::result::Result<Record, (&'static str, String)> {
    if row.len() != fields {
        return Err(("", bagalau_core::checked::row_length(row.len(), fields)));
    }
    for (i, text) in row.iter().enumerate() {
        if let Err(e) = bagalau_core::checked::text(text, LONGEST_CELL) {
            let column = at.iter().position(|&a| a == i).map_or("", |c| COLUMNS[c]);
            return Err((column, e.to_string()));
        }
    }
    let cell = |i: usize| row.get(at[i]).map(str::trim).unwrap_or_default();
    for (i, column) in COLUMNS.iter().enumerate().take(6) {
        if cell(i).is_empty() {
            return Err((column, "empty".into()));
        }
    }
    if !CHANNELS.contains(&cell(4)) {
        return Err((
            "channel",
            format!(
                "`{}` is not a channel (psc, portal or body)",
                bagalau_core::checked::shown(cell(4))
            ),
        ));
    }
    let requested_at =
        bagalau_core::checked::datetime(cell(6)).map_err(|e| ("requested_at", e.to_string()))?;
    let delivered_at = match cell(7) {
        "" => None,
        text => {
            let t = bagalau_core::checked::datetime(text)
                .map_err(|e| ("delivered_at", e.to_string()))?;
            if t < requested_at {
                return Err((
                    "delivered_at",
                    format!("{t} is before the request ({requested_at})"),
                ));
            }
            Some(t)
        }
    };
    let extra_documents = match cell(8) {
        "" => None,
        text => Some(text.parse::<i32>().ok().filter(|n| *n >= 0).ok_or((
            "extra_documents",
            format!("`{}` is not a count", bagalau_core::checked::shown(text)),
        ))?),
    };
    Ok(Record {
        service: cell(0).into(),
        provider: cell(1).into(),
        region: cell(2).into(),
        office: cell(3).into(),
        channel: cell(4).into(),
        recipient: cell(5).into(),
        requested_at,
        delivered_at,
        extra_documents,
    })
}
