//! Importing records: all or nothing by default, bad rows named by line and
//! kept in a quarantine file, the quarantine mode on request.

use bagalau_analytics::import::{Target, import_csv};
use std::path::Path;

const CSV: &str = "\
service,provider,region,office,channel,recipient,requested_at,delivered_at,extra_documents
a,minjust,astana,psc_astana_1,psc,individual,2024-05-06 10:00:00,2024-05-07 15:00:00,
a,minjust,astana,portal,portal,pensioner,2024-05-06T11:00,,1
b,moh,almaty,moh_almaty,fax,individual,2024-05-06 10:00,2024-05-06 11:00,
b,moh,almaty,moh_almaty,body,individual,2024-06-31 10:00,,
b,moh,almaty,moh_almaty,body,,2024-06-03 10:00,2024-06-02 10:00,
c,akimat,almaty,portal,portal,disabled,2024-06-03 09:00,2024-06-04 09:00,-1
c,akimat,almaty,portal,portal,disabled,2024-06-03 09:00,2024-06-04 09:00,0
";

fn files(root: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for year in std::fs::read_dir(root).into_iter().flatten().flatten() {
        for month in std::fs::read_dir(year.path()).unwrap().flatten() {
            for f in std::fs::read_dir(month.path()).unwrap().flatten() {
                out.push(f.path().strip_prefix(root).unwrap().display().to_string());
            }
        }
    }
    out.sort();
    out
}

#[test]
fn one_bad_row_stops_the_import_and_every_bad_row_is_quarantined() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("deliveries");
    let quarantine = dir.path().join("bad.csv");
    let report = import_csv(
        CSV.as_bytes(),
        Target {
            providers: None,
            root: &root,
            name: "may",
            quarantine: &quarantine,
            keep_good_rows: false,
        },
        |_| {},
    )
    .unwrap();
    assert!(!report.imported);
    let said: Vec<String> = report.bad.iter().map(ToString::to_string).collect();
    assert_eq!(
        said,
        [
            "line 4, column `channel`: `fax` is not a channel (psc, portal or body)",
            "line 5, column `requested_at`: `2024-06-31 10:00` is not a day of the calendar",
            "line 6, column `recipient`: empty",
            "line 7, column `extra_documents`: `-1` is not a count",
        ]
    );
    assert!(files(&root).is_empty(), "nothing added: {:?}", files(&root));
    let kept = std::fs::read_to_string(&quarantine).unwrap();
    assert_eq!(
        kept.lines().count(),
        5,
        "header and the four rows as they were"
    );
    assert!(kept.contains("4,\"line 4, column `channel`: `fax` is not a channel (psc, portal or body)\",b,moh,almaty,moh_almaty,fax,individual,2024-05-06 10:00,2024-05-06 11:00,"), "{kept}");
}

#[test]
fn in_quarantine_mode_the_good_rows_go_in() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("deliveries");
    let quarantine = dir.path().join("bad.csv");
    let report = import_csv(
        CSV.as_bytes(),
        Target {
            providers: None,
            root: &root,
            name: "may",
            quarantine: &quarantine,
            keep_good_rows: true,
        },
        |_| {},
    )
    .unwrap();
    assert!(report.imported);
    assert_eq!(report.bad.len(), 4);
    assert_eq!(
        report.added.into_iter().collect::<Vec<_>>(),
        [((2024, 5), 2), ((2024, 6), 1)]
    );
    assert_eq!(
        files(&root),
        [
            "year=2024/month=5/may.parquet",
            "year=2024/month=6/may.parquet"
        ]
    );
    // The same name again would add the records twice: refused, nothing changed.
    let err = import_csv(
        CSV.as_bytes(),
        Target {
            providers: None,
            root: &root,
            name: "may",
            quarantine: &quarantine,
            keep_good_rows: true,
        },
        |_| {},
    )
    .unwrap_err();
    assert!(
        err.to_string()
            .contains("imported under the name `may` before"),
        "{err}"
    );
    assert_eq!(files(&root).len(), 2);
}

#[test]
fn a_file_without_a_needed_column_is_refused_whole() {
    let dir = tempfile::tempdir().unwrap();
    let err = import_csv(
        "service,provider\na,b\n".as_bytes(),
        Target {
            providers: None,
            root: &dir.path().join("d"),
            name: "x",
            quarantine: &dir.path().join("bad.csv"),
            keep_good_rows: false,
        },
        |_| {},
    )
    .unwrap_err();
    assert!(
        err.to_string()
            .starts_with("line 1: missing columns: region, office"),
        "{err}"
    );
}

#[test]
fn a_parquet_file_imports_like_a_csv() {
    use bagalau_analytics::import::import_parquet;
    use bagalau_analytics::records::{Record, write_file};
    let dir = tempfile::tempdir().unwrap();
    let t = |s: &str| chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap();
    let record = |channel: &str, delivered: &str| Record {
        service: "a".into(),
        provider: "p".into(),
        region: "astana".into(),
        office: "o".into(),
        channel: channel.into(),
        recipient: "individual".into(),
        requested_at: t("2024-05-06 10:00"),
        delivered_at: Some(t(delivered)),
        extra_documents: None,
    };
    // A Parquet file as another system would hand it over.
    let source = write_file(
        &dir.path().join("source"),
        2024,
        5,
        "export",
        &[
            record("psc", "2024-05-07 10:00"),
            record("fax", "2024-05-07 10:00"),
            record("portal", "2024-05-05 10:00"),
        ],
    )
    .unwrap();
    let root = dir.path().join("deliveries");
    let quarantine = dir.path().join("bad.csv");
    let open = || std::fs::File::open(&source).unwrap();
    let report = import_parquet(
        open(),
        Target {
            providers: None,
            root: &root,
            name: "export",
            quarantine: &quarantine,
            keep_good_rows: false,
        },
        |_| {},
    )
    .unwrap();
    let said: Vec<String> = report.bad.iter().map(ToString::to_string).collect();
    assert_eq!(
        said,
        [
            "line 2, column `channel`: `fax` is not a channel (psc, portal or body)",
            "line 3, column `delivered_at`: 2024-05-05 10:00:00 is before the request (2024-05-06 10:00:00)",
        ]
    );
    assert!(!report.imported && files(&root).is_empty());
    let report = import_parquet(
        open(),
        Target {
            providers: None,
            root: &root,
            name: "export",
            quarantine: &quarantine,
            keep_good_rows: true,
        },
        |_| {},
    )
    .unwrap();
    assert_eq!(
        report.added.into_iter().collect::<Vec<_>>(),
        [((2024, 5), 1)]
    );
    assert_eq!(files(&root), ["year=2024/month=5/export.parquet"]);
}

/// Imported records are kept clustered (by service, then provider, region,
/// office, channel, recipient and request time), whatever order the file
/// gave them in, and none is lost or changed on the way.
#[test]
fn imported_records_are_kept_clustered_by_service() {
    use datafusion::arrow::array::{Array, AsArray};
    use datafusion::parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
    let dir = tempfile::tempdir().unwrap();
    let mut csv = String::from(
        "service,provider,region,office,channel,recipient,requested_at,delivered_at,extra_documents\n",
    );
    let rows = [
        ("svc_b", "astana", "2024-05-06 09:00"),
        ("svc_a", "shymkent", "2024-05-06 11:00"),
        ("svc_b", "almaty_city", "2024-05-07 09:00"),
        ("svc_a", "astana", "2024-05-06 10:00"),
        ("svc_a", "astana", "2024-05-06 08:00"),
    ];
    for (service, region, at) in rows {
        csv.push_str(&format!(
            "{service},moj,{region},psc_{region}_1,psc,individual,{at},,\n"
        ));
    }
    let root = dir.path().join("deliveries");
    let report = import_csv(
        csv.as_bytes(),
        Target {
            providers: None,
            root: &root,
            name: "may",
            quarantine: &dir.path().join("bad.csv"),
            keep_good_rows: false,
        },
        |_| {},
    )
    .unwrap();
    assert!(report.imported);
    let file = std::fs::File::open(root.join("year=2024/month=5/may.parquet")).unwrap();
    let mut kept = Vec::new();
    for batch in ParquetRecordBatchReaderBuilder::try_new(file)
        .unwrap()
        .build()
        .unwrap()
    {
        let batch = batch.unwrap();
        let service = batch.column_by_name("service").unwrap().as_string::<i32>();
        let region = batch.column_by_name("region").unwrap().as_string::<i32>();
        let requested = batch.column_by_name("requested_at").unwrap();
        let requested =
            requested.as_primitive::<datafusion::arrow::datatypes::TimestampMicrosecondType>();
        for i in 0..batch.num_rows() {
            assert!(!requested.is_null(i));
            let at = chrono::DateTime::from_timestamp_micros(requested.value(i))
                .unwrap()
                .naive_utc()
                .format("%Y-%m-%d %H:%M")
                .to_string();
            kept.push((
                service.value(i).to_string(),
                region.value(i).to_string(),
                at,
            ));
        }
    }
    let expected: Vec<(String, String, String)> = [
        ("svc_a", "astana", "2024-05-06 08:00"),
        ("svc_a", "astana", "2024-05-06 10:00"),
        ("svc_a", "shymkent", "2024-05-06 11:00"),
        ("svc_b", "almaty_city", "2024-05-07 09:00"),
        ("svc_b", "astana", "2024-05-06 09:00"),
    ]
    .iter()
    .map(|(s, r, t)| (s.to_string(), r.to_string(), t.to_string()))
    .collect();
    assert_eq!(kept, expected);
}

const HEADER: &str =
    "service,provider,region,office,channel,recipient,requested_at,delivered_at,extra_documents\n";
const GOOD: &str =
    "a,minjust,astana,psc_astana_1,psc,individual,2024-05-06 10:00:00,2024-05-07 15:00:00,\n";

fn target<'a>(root: &'a Path, quarantine: &'a Path, keep_good_rows: bool) -> Target<'a> {
    Target {
        providers: None,
        root,
        name: "x",
        quarantine,
        keep_good_rows,
    }
}

#[test]
fn rows_of_the_wrong_length_are_quarantined_with_their_lines() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("deliveries");
    let quarantine = dir.path().join("bad.csv");
    // A row shortened by hand, Excel's trailing comma, a two-digit year,
    // and a file cut inside quotes.
    let text = format!(
        "{HEADER}{GOOD}a,minjust,astana\n{},\n{}a,minjust,\"astana",
        GOOD.trim_end(),
        GOOD.replace("2024-05-06 10:00:00", "24-05-06 10:00:00")
    );
    let report = import_csv(text.as_bytes(), target(&root, &quarantine, true), |_| {}).unwrap();
    let said: Vec<String> = report.bad.iter().map(ToString::to_string).collect();
    let reason = "(a row shortened by hand, a trailing comma, or a quote never closed)";
    assert_eq!(
        said,
        [
            format!("line 3: the row has 3 fields where the header has 9 {reason}"),
            format!("line 4: the row has 10 fields where the header has 9 {reason}"),
            "line 5, column `requested_at`: `24-05-06 10:00:00` is not a date and time: write YYYY-MM-DD HH:MM[:SS] with a four-digit year".to_string(),
            format!("line 6: the row has 3 fields where the header has 9 {reason}"),
        ]
    );
    assert!(report.imported);
    assert_eq!(files(&root), ["year=2024/month=5/x.parquet"]);
    let kept = std::fs::read_to_string(&quarantine).unwrap();
    assert!(kept.contains("3,\"line 3: the row has 3 fields"), "{kept}");
    assert!(
        kept.lines().any(|l| l.ends_with("a,minjust,astana")),
        "kept as it was: {kept}"
    );
    assert!(!root.join(".staging-x").exists());
}

#[test]
fn a_file_that_breaks_off_leaves_no_staging_folder() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("deliveries");
    let quarantine = dir.path().join("bad.csv");
    let mut bytes = format!("{HEADER}{GOOD}{GOOD}").into_bytes();
    bytes.extend(b"a,minjust,\xC0\xF1\xF2\xE0\xED\xE0,o,psc,individual,2024-05-06 10:00,,\n");
    let e = import_csv(&bytes[..], target(&root, &quarantine, true), |_| {}).unwrap_err();
    assert_eq!(
        e.to_string(),
        "line 4, column `region`: not UTF-8 text (a Cyrillic file saved as Windows-1251? save it as \"CSV UTF-8\"), or not a text file at all"
    );
    assert!(files(&root).is_empty());
    assert!(
        !root.join(".staging-x").exists(),
        "the staging folder is removed"
    );
}

#[test]
fn timestamps_with_a_zone_as_pandas_writes_them_are_read() {
    use bagalau_analytics::import::import_parquet;
    use datafusion::arrow::array::{ArrayRef, Int64Array, StringArray, TimestampNanosecondArray};
    use datafusion::arrow::datatypes::{DataType, Field, Schema, TimeUnit};
    use datafusion::arrow::record_batch::RecordBatch;
    use std::sync::Arc;
    let dir = tempfile::tempdir().unwrap();
    let utc = || DataType::Timestamp(TimeUnit::Nanosecond, Some("UTC".into()));
    let text = |name: &str| Field::new(name, DataType::Utf8, true);
    let schema = Arc::new(Schema::new(vec![
        text("service"),
        text("provider"),
        text("region"),
        text("office"),
        text("channel"),
        text("recipient"),
        Field::new("requested_at", utc(), true),
        Field::new("delivered_at", utc(), true),
        Field::new("extra_documents", DataType::Int64, true),
    ]));
    let nanos = |s: &str| {
        chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M")
            .unwrap()
            .and_utc()
            .timestamp_nanos_opt()
            .unwrap()
    };
    let one = |v: &str| Arc::new(StringArray::from(vec![v])) as ArrayRef;
    let columns: Vec<ArrayRef> = vec![
        one("a"),
        one("minjust"),
        one("astana"),
        one("o"),
        one("psc"),
        one("individual"),
        Arc::new(
            TimestampNanosecondArray::from(vec![nanos("2024-05-06 10:00")]).with_timezone("UTC"),
        ),
        Arc::new(
            TimestampNanosecondArray::from(vec![nanos("2024-05-07 09:30")]).with_timezone("UTC"),
        ),
        Arc::new(Int64Array::from(vec![Some(0)])),
    ];
    let batch = RecordBatch::try_new(schema.clone(), columns).unwrap();
    let source = dir.path().join("pandas.parquet");
    let mut writer = datafusion::parquet::arrow::ArrowWriter::try_new(
        std::fs::File::create(&source).unwrap(),
        schema,
        None,
    )
    .unwrap();
    writer.write(&batch).unwrap();
    writer.close().unwrap();
    let root = dir.path().join("deliveries");
    let quarantine = dir.path().join("bad.csv");
    let report = import_parquet(
        std::fs::File::open(&source).unwrap(),
        target(&root, &quarantine, false),
        |_| {},
    )
    .unwrap();
    assert_eq!(report.bad, []);
    assert!(report.imported);
    assert_eq!(files(&root), ["year=2024/month=5/x.parquet"]);
}

/// Every file under `root` with its bytes: what an import must leave as
/// it was when it refuses a file.
/// The records folder and quarantine file under `dir`, with April's
/// records imported, which a refused file must leave as they are; and the
/// folder's contents then.
fn with_records_already_there(
    dir: &Path,
) -> (
    std::path::PathBuf,
    std::path::PathBuf,
    Vec<(String, Vec<u8>)>,
) {
    let root = dir.join("deliveries");
    let quarantine = dir.join("bad.csv");
    let report = import_csv(
        format!("{HEADER}{GOOD}").as_bytes(),
        Target {
            providers: None,
            name: "april",
            ..target(&root, &quarantine, false)
        },
        |_| {},
    )
    .unwrap();
    assert!(report.imported);
    let before = contents(&root);
    (root, quarantine, before)
}

fn contents(root: &Path) -> Vec<(String, Vec<u8>)> {
    files(root)
        .into_iter()
        .map(|f| {
            let bytes = std::fs::read(root.join(&f)).unwrap();
            (f, bytes)
        })
        .collect()
}

#[test]
fn a_csv_saved_by_excel_is_read_with_the_lines_people_see() {
    // "CSV UTF-8" from Excel: a byte-order mark and CRLF line ends. The CSV
    // reader once counted the lines after the first one short.
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("deliveries");
    let quarantine = dir.path().join("bad.csv");
    let text = format!(
        "\u{feff}{HEADER}{GOOD}{GOOD}{}",
        GOOD.replace("2024-05-07 15:00:00", "2024-05-06 09:00:00")
    )
    .replace('\n', "\r\n");
    let report = import_csv(text.as_bytes(), target(&root, &quarantine, false), |_| {}).unwrap();
    let said: Vec<String> = report.bad.iter().map(ToString::to_string).collect();
    assert_eq!(
        said,
        [
            "line 4, column `delivered_at`: 2024-05-06 09:00:00 is before the request (2024-05-06 10:00:00)"
        ]
    );
    assert!(!report.imported && files(&root).is_empty());
}

/// A Parquet file of three records whose `requested_at` and
/// `extra_documents` columns are the arrays given.
fn parquet_with(
    path: &Path,
    requested_at: datafusion::arrow::array::ArrayRef,
    extra_documents: datafusion::arrow::array::ArrayRef,
) {
    use datafusion::arrow::array::{ArrayRef, StringArray};
    use datafusion::arrow::datatypes::{DataType, Field, Schema};
    use datafusion::arrow::record_batch::RecordBatch;
    use std::sync::Arc;
    let text = |name: &str| Field::new(name, DataType::Utf8, true);
    let schema = Arc::new(Schema::new(vec![
        text("service"),
        text("provider"),
        text("region"),
        text("office"),
        text("channel"),
        text("recipient"),
        Field::new("requested_at", requested_at.data_type().clone(), true),
        text("delivered_at"),
        Field::new("extra_documents", extra_documents.data_type().clone(), true),
    ]));
    let three = |v: &str| Arc::new(StringArray::from(vec![v; 3])) as ArrayRef;
    let columns: Vec<ArrayRef> = vec![
        three("a"),
        three("minjust"),
        three("astana"),
        three("o"),
        three("psc"),
        three("individual"),
        requested_at,
        Arc::new(StringArray::from(vec![None::<&str>; 3])),
        extra_documents,
    ];
    let batch = RecordBatch::try_new(schema.clone(), columns).unwrap();
    let mut writer = datafusion::parquet::arrow::ArrowWriter::try_new(
        std::fs::File::create(path).unwrap(),
        schema,
        None,
    )
    .unwrap();
    writer.write(&batch).unwrap();
    writer.close().unwrap();
}

#[test]
fn a_parquet_column_of_the_wrong_type_is_refused_whole_by_its_name() {
    use bagalau_analytics::import::import_parquet;
    use datafusion::arrow::array::{ArrayRef, Float64Array, Int64Array, StringArray};
    use std::sync::Arc;
    let dir = tempfile::tempdir().unwrap();
    let (root, quarantine, before) = with_records_already_there(dir.path());
    let times = || {
        Arc::new(StringArray::from(vec![
            "2024-05-06 10:00",
            "2024-05-06 11:00",
            "2024-05-06 12:00",
        ])) as ArrayRef
    };
    // pandas writes whole numbers with a gap as floats.
    let floats = Arc::new(Float64Array::from(vec![Some(1.0), None, Some(2.0)])) as ArrayRef;
    // Seconds since 1970, as a script might export times.
    let seconds = Arc::new(Int64Array::from(vec![1_714_989_600; 3])) as ArrayRef;
    let counts = || Arc::new(Int64Array::from(vec![Some(0), None, Some(1)])) as ArrayRef;
    let cases = [
        (
            times(),
            floats,
            "column `extra_documents`: the file holds Float64 values where a count is expected: \
             write it as whole numbers (an integer column; pandas turns whole numbers with gaps \
             into floats: convert the column with .astype(\"Int64\")); nothing was imported",
        ),
        (
            seconds,
            counts(),
            "column `requested_at`: the file holds Int64 values where times are expected: write \
             them as timestamps, or as text YYYY-MM-DD HH:MM[:SS] (numbers, such as seconds since \
             1970, and dates without a time are not read); nothing was imported",
        ),
    ];
    for (requested_at, extra_documents, expected) in cases {
        let source = dir.path().join("export.parquet");
        parquet_with(&source, requested_at, extra_documents);
        let e = import_parquet(
            std::fs::File::open(&source).unwrap(),
            Target {
                providers: None,
                name: "may",
                ..target(&root, &quarantine, true)
            },
            |_| {},
        )
        .unwrap_err();
        assert_eq!(e.to_string(), expected);
        assert_eq!(contents(&root), before, "nothing changed");
        assert!(!root.join(".staging-may").exists());
        assert!(!quarantine.exists(), "no row was read");
    }
    // Times as text are what the format allows, as a CSV's.
    let source = dir.path().join("export.parquet");
    parquet_with(&source, times(), counts());
    let report = import_parquet(
        std::fs::File::open(&source).unwrap(),
        Target {
            providers: None,
            name: "may",
            ..target(&root, &quarantine, false)
        },
        |_| {},
    )
    .unwrap();
    assert!(report.imported, "{:?}", report.bad);
    assert_eq!(
        files(&root),
        [
            "year=2024/month=5/april.parquet",
            "year=2024/month=5/may.parquet"
        ]
    );
}

/// A records CSV generated as it is read: `good` valid rows after the
/// header, then `last`.
struct Generated {
    row: u64,
    good: u64,
    last: &'static str,
    pending: Vec<u8>,
    at: usize,
}

impl std::io::Read for Generated {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        use std::fmt::Write;
        if self.at == self.pending.len() {
            self.pending.clear();
            self.at = 0;
            let mut chunk = String::new();
            if self.row == 0 {
                chunk.push_str(HEADER);
            }
            // Four services, each a quarter of the rows, requested every ten
            // seconds through May: already in the order the import
            // clusters records in, so that sorting them costs little.
            let quarter = self.good.div_ceil(4);
            while self.row < self.good && chunk.len() < 1 << 16 {
                let (service, at) = (self.row / quarter, self.row % quarter * 10);
                writeln!(
                    chunk,
                    "svc_{service},minjust,astana,psc_astana_1,psc,individual,2024-05-{:02} {:02}:{:02}:{:02},,{}",
                    1 + at / 86_400,
                    at / 3600 % 24,
                    at / 60 % 60,
                    at % 60,
                    self.row % 2
                )
                .unwrap();
                self.row += 1;
            }
            if self.row == self.good {
                chunk.push_str(self.last);
                self.row += 1;
            }
            self.pending = chunk.into_bytes();
        }
        let n = out.len().min(self.pending.len() - self.at);
        out[..n].copy_from_slice(&self.pending[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

#[test]
fn one_bad_line_after_a_million_good_ones_is_named_and_nothing_changes() {
    let dir = tempfile::tempdir().unwrap();
    let (root, quarantine, before) = with_records_already_there(dir.path());
    let input = Generated {
        row: 0,
        good: 1_000_000,
        last: "svc_0,minjust,astana,psc_astana_0,psc,individual,2024-05-32 10:00:00,,\n",
        pending: Vec::new(),
        at: 0,
    };
    let started = std::time::Instant::now();
    let report = import_csv(
        input,
        Target {
            providers: None,
            name: "may",
            ..target(&root, &quarantine, false)
        },
        |_| {},
    )
    .unwrap();
    eprintln!("a million and one rows checked in {:?}", started.elapsed());
    let said: Vec<String> = report.bad.iter().map(ToString::to_string).collect();
    assert_eq!(
        said,
        ["line 1000002, column `requested_at`: `2024-05-32 10:00:00` is not a day of the calendar"]
    );
    assert!(!report.imported && report.added.is_empty());
    assert_eq!(contents(&root), before, "the records folder is as it was");
    assert!(
        !root.join(".staging-may").exists(),
        "the staging folder is removed"
    );
    let kept = std::fs::read_to_string(&quarantine).unwrap();
    assert_eq!(kept.lines().count(), 2, "{kept}");
    assert!(kept.starts_with("line,problem,service,"), "{kept}");
}

/// An import through the application's port, into a folder and into
/// S3-compatible storage alike: the good rows of each month in one file
/// named by the import, a name never taken twice, nothing added when a
/// row is bad, and the files of an import removed by its name.
#[tokio::test(flavor = "multi_thread")]
async fn imports_into_the_kept_records_add_all_their_months_or_none() {
    use bagalau_analytics::kept::KeptRecords;
    let dir = tempfile::tempdir().unwrap();
    imports_through_the_port(
        KeptRecords::in_folder(&dir.path().join("services")).unwrap(),
        dir.path(),
    )
    .await;
    if let Some(moto) = bagalau_blobs::testing::Moto::from_env() {
        imports_through_the_port(
            KeptRecords::on(moto.blobs("records", "imports")),
            dir.path(),
        )
        .await;
    }
}

async fn imports_through_the_port(records: bagalau_analytics::kept::KeptRecords, scratch: &Path) {
    use bagalau_services::deliveries::{DeliveryRecords, RecordsFile};
    let good: String = CSV
        .lines()
        .enumerate()
        .filter(|(i, _)| [0, 1, 2, 7].contains(i))
        .map(|(_, l)| format!("{l}\n"))
        .collect();
    let input = scratch.join(format!("good-{}.csv", records.folder().is_some()));
    std::fs::write(&input, &good).unwrap();
    let quarantine = scratch.join("bad.csv");
    let import = |records: KeptRecordsRef, path: std::path::PathBuf, stem: &'static str| {
        let quarantine = quarantine.clone();
        tokio::task::spawn_blocking(move || {
            records.import(
                RecordsFile {
                    path: &path,
                    stem,
                    parquet: false,
                    keep_good_rows: false,
                    providers: None,
                    quarantine: &quarantine,
                },
                &mut |_| {},
            )
        })
    };
    type KeptRecordsRef = std::sync::Arc<bagalau_analytics::kept::KeptRecords>;
    let shared: KeptRecordsRef = std::sync::Arc::new(records);
    let outcome = import(shared.clone(), input.clone(), "first")
        .await
        .unwrap()
        .unwrap();
    assert!(outcome.imported);
    let months: Vec<(i32, u32, u64)> = outcome
        .added
        .iter()
        .map(|m| (m.year, m.month, m.records))
        .collect();
    assert_eq!(months, [(2024, 5, 2), (2024, 6, 1)]);
    let files = shared.files_of_year(2024).await.unwrap();
    assert_eq!(
        files,
        [
            "deliveries/year=2024/month=5/first.parquet",
            "deliveries/year=2024/month=6/first.parquet"
        ]
    );
    // The same name again: refused, nothing added.
    let again = import(shared.clone(), input.clone(), "first")
        .await
        .unwrap();
    let refused = again.unwrap_err().to_string();
    assert!(
        refused.contains("imported under the name `first` before"),
        "{refused}"
    );
    assert_eq!(shared.files_of_year(2024).await.unwrap(), files);
    // A file with a bad row adds nothing, whatever its good rows.
    let mixed = scratch.join("mixed.csv");
    std::fs::write(&mixed, CSV).unwrap();
    let outcome = import(shared.clone(), mixed, "second")
        .await
        .unwrap()
        .unwrap();
    assert!(!outcome.imported);
    assert_eq!(outcome.bad_rows, 4);
    assert_eq!(shared.files_of_year(2024).await.unwrap(), files);
    assert_eq!(shared.remove_import("first").await.unwrap(), 2);
    assert!(!shared.has_year(2024).await.unwrap());
}
