//! Open-data tables as Apache Parquet: one row group, a column per field,
//! each `DOUBLE` when every value in it is a number and `BYTE_ARRAY`
//! (UTF-8) otherwise, all optional (an empty cell is a null). Pure: cells
//! in, file bytes out.

use parquet::basic::ConvertedType;
use parquet::basic::{Compression, Repetition, Type as Physical};
use parquet::data_type::{ByteArray, ByteArrayType, DoubleType};
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::types::Type;
use std::sync::Arc;

/// A cell of a table.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Cell<'a> {
    Text(&'a str),
    Number(f64),
    Empty,
}

#[derive(Debug, thiserror::Error)]
pub enum ParquetError {
    #[error("row {row} has {found} cells for {expected} columns")]
    Ragged {
        row: usize,
        found: usize,
        expected: usize,
    },
    #[error("writing Parquet: {0}")]
    Write(#[from] parquet::errors::ParquetError),
}

/// Writes `rows` under `columns` as a Parquet file.
pub fn table(columns: &[String], rows: &[Vec<Cell<'_>>]) -> Result<Vec<u8>, ParquetError> {
    for (i, row) in rows.iter().enumerate() {
        if row.len() != columns.len() {
            return Err(ParquetError::Ragged {
                row: i,
                found: row.len(),
                expected: columns.len(),
            });
        }
    }
    let numeric: Vec<bool> = (0..columns.len())
        .map(|c| {
            rows.iter()
                .all(|r| matches!(r[c], Cell::Number(_) | Cell::Empty))
        })
        .collect();
    let fields = columns
        .iter()
        .zip(&numeric)
        .map(|(name, numeric)| {
            let builder = if *numeric {
                Type::primitive_type_builder(name, Physical::DOUBLE)
            } else {
                Type::primitive_type_builder(name, Physical::BYTE_ARRAY)
                    .with_converted_type(ConvertedType::UTF8)
            };
            builder
                .with_repetition(Repetition::OPTIONAL)
                .build()
                .map(Arc::new)
        })
        .collect::<Result<Vec<_>, _>>()?;
    let schema = Arc::new(
        Type::group_type_builder("table")
            .with_fields(fields)
            .build()?,
    );
    let props = Arc::new(
        WriterProperties::builder()
            .set_compression(Compression::UNCOMPRESSED)
            .build(),
    );
    let mut out = Vec::new();
    let mut writer = SerializedFileWriter::new(&mut out, schema, props)?;
    let mut group = writer.next_row_group()?;
    let mut c = 0;
    while let Some(mut column) = group.next_column()? {
        let levels: Vec<i16> = rows
            .iter()
            .map(|r| i16::from(r[c] != Cell::Empty))
            .collect();
        if numeric[c] {
            let values: Vec<f64> = rows
                .iter()
                .filter_map(|r| match r[c] {
                    Cell::Number(n) => Some(n),
                    _ => None,
                })
                .collect();
            column
                .typed::<DoubleType>()
                .write_batch(&values, Some(&levels), None)?;
        } else {
            let values: Vec<ByteArray> = rows
                .iter()
                .filter_map(|r| match r[c] {
                    Cell::Text(t) => Some(ByteArray::from(t)),
                    Cell::Number(n) => Some(ByteArray::from(n.to_string().as_str())),
                    Cell::Empty => None,
                })
                .collect();
            column
                .typed::<ByteArrayType>()
                .write_batch(&values, Some(&levels), None)?;
        }
        column.close()?;
        c += 1;
    }
    group.close()?;
    writer.close()?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use parquet::file::reader::{FileReader, SerializedFileReader};
    use parquet::record::Field;

    #[test]
    fn a_table_reads_back_with_types_nulls_and_kazakh_text() {
        let columns = vec![
            "body_id".to_string(),
            "total".to_string(),
            "name_kk".to_string(),
        ];
        let rows = vec![
            vec![
                Cell::Text("minfin"),
                Cell::Number(87.25),
                Cell::Text("Қаржы министрлігі"),
            ],
            vec![Cell::Text("moh"), Cell::Empty, Cell::Empty],
        ];
        let bytes = table(&columns, &rows).unwrap();
        assert_eq!(&bytes[..4], b"PAR1");
        let file = tempfile::tempfile().unwrap();
        std::io::Write::write_all(&mut &file, &bytes).unwrap();
        let reader = SerializedFileReader::new(file).unwrap();
        assert_eq!(reader.metadata().file_metadata().num_rows(), 2);
        let back: Vec<Vec<(String, Field)>> = reader
            .get_row_iter(None)
            .unwrap()
            .map(|r| {
                r.unwrap()
                    .get_column_iter()
                    .map(|(n, f)| (n.clone(), f.clone()))
                    .collect()
            })
            .collect();
        assert_eq!(back[0][1], ("total".to_string(), Field::Double(87.25)));
        assert_eq!(back[0][2].1, Field::Str("Қаржы министрлігі".into()));
        assert_eq!(back[1][1].1, Field::Null);
        assert!(matches!(
            table(&columns, &[vec![Cell::Empty]]),
            Err(ParquetError::Ragged { row: 0, .. })
        ));
    }
}

#[cfg(test)]
mod interoperability {
    use super::*;

    /// Read by DuckDB, an independent reader, when BAGALAU_TEST_DUCKDB names
    /// a Python with the `duckdb` package (`.ci/run` installs it).
    #[test]
    fn duckdb_reads_what_is_written() {
        let Ok(python) = std::env::var("BAGALAU_TEST_DUCKDB") else {
            eprintln!("BAGALAU_TEST_DUCKDB is not set: the DuckDB check is skipped");
            return;
        };
        let columns = vec![
            "body_id".to_string(),
            "total".to_string(),
            "name_kk".to_string(),
        ];
        let rows = vec![
            vec![
                Cell::Text("minfin"),
                Cell::Number(87.25),
                Cell::Text("Қаржы министрлігі"),
            ],
            vec![
                Cell::Text("moh"),
                Cell::Empty,
                Cell::Text("Денсаулық сақтау министрлігі"),
            ],
            vec![Cell::Text("mne"), Cell::Number(90.5), Cell::Empty],
        ];
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.parquet");
        std::fs::write(&path, table(&columns, &rows).unwrap()).unwrap();
        let script = format!(
            "import duckdb\nfor row in duckdb.sql(\"select body_id, total, name_kk from '{}' order by body_id\").fetchall(): print(row)\nprint(duckdb.sql(\"select typeof(total) from '{}' limit 1\").fetchall()[0][0])",
            path.display(),
            path.display()
        );
        let out = std::process::Command::new(python)
            .args(["-c", &script])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(
            String::from_utf8(out.stdout).unwrap(),
            "('minfin', 87.25, 'Қаржы министрлігі')\n('mne', 90.5, None)\n('moh', None, 'Денсаулық сақтау министрлігі')\nDOUBLE\n"
        );
    }
}
