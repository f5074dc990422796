//! Records kept one row each: a canonical CSV table (as the `to_csv` of
//! complaints, openness records and survey responses writes it) cut into
//! its rows, each with the key that identifies its record, and the rows
//! put back under their header for the readers that check a file.

/// Each row of a canonical table with its key: the `key_columns` values
/// joined by `/`. The header is left out; a row keeps its line ending.
/// Every key column should be in the header (the tables are ours); a row
/// of a table without them is its own key.
pub fn keyed_rows(canonical: &str, key_columns: &[&str]) -> Vec<(String, String)> {
    let mut reader = csv::Reader::from_reader(canonical.as_bytes());
    let header: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(str::to_string).collect(),
        Err(_) => return Vec::new(),
    };
    let positions: Vec<usize> = key_columns
        .iter()
        .filter_map(|c| header.iter().position(|h| h == c))
        .collect();
    debug_assert_eq!(
        positions.len(),
        key_columns.len(),
        "the key columns {key_columns:?} are all in the header {header:?}"
    );
    let whole_row = positions.len() != key_columns.len();
    reader
        .records()
        .filter_map(Result::ok)
        .map(|record| {
            let mut w = csv::Writer::from_writer(Vec::new());
            w.write_record(&record).expect("writing to memory");
            let row = String::from_utf8(w.into_inner().expect("writing to memory"))
                .expect("CSV of UTF-8 text");
            // Without its key columns, the row itself is what identifies it.
            let key = if whole_row {
                row.trim_end().to_string()
            } else {
                positions
                    .iter()
                    .map(|&i| record.get(i).unwrap_or(""))
                    .collect::<Vec<_>>()
                    .join("/")
            };
            (key, row)
        })
        .collect()
}

/// The table of `rows` under the header of `empty_table` (a canonical
/// table without rows).
pub fn table<'a>(empty_table: &str, rows: impl IntoIterator<Item = &'a str>) -> String {
    let mut text = empty_table.to_string();
    for row in rows {
        text.push_str(row);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_cut_with_their_keys_and_put_back_whole() {
        let canonical = "id,body,title\nC-2,minfin,\"two\nlines\"\nC-1,akimat,\"a, b\"\n";
        let rows = keyed_rows(canonical, &["body", "id"]);
        assert_eq!(
            rows,
            vec![
                (
                    "minfin/C-2".to_string(),
                    "C-2,minfin,\"two\nlines\"\n".to_string()
                ),
                (
                    "akimat/C-1".to_string(),
                    "C-1,akimat,\"a, b\"\n".to_string()
                ),
            ]
        );
        assert_eq!(
            table("id,body,title\n", rows.iter().map(|(_, r)| r.as_str())),
            canonical
        );
    }
}
