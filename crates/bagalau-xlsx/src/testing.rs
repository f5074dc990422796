//! Hostile workbooks for tests, made by editing real ones at the XML level
//! (as an attacker would), for this crate's tests and the server's.

use std::io::{Cursor, Read, Write};

/// Rewrites every part of a workbook through `edit` (part name, XML text →
/// new text), packed again with Deflate.
pub fn edit_parts(bytes: &[u8], mut edit: impl FnMut(&str, String) -> String) -> Vec<u8> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).expect("a zip archive");
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for i in 0..archive.len() {
        let mut part = archive.by_index(i).expect("a part");
        let name = part.name().expect("a part's name").to_string();
        let mut content = Vec::new();
        part.read_to_end(&mut content).expect("a readable part");
        let content = match String::from_utf8(content) {
            Ok(text) => edit(&name, text).into_bytes(),
            Err(e) => e.into_bytes(),
        };
        out.start_file(name, options).expect("a new part");
        out.write_all(&content).expect("written");
    }
    out.finish().expect("a finished archive").into_inner()
}

/// The workbook with a text cell added at `reference` (e.g. `XFD1048576`)
/// on its second sheet, the first direction of a template.
pub fn with_cell_at(bytes: &[u8], reference: &str) -> Vec<u8> {
    let row: String = reference.chars().filter(char::is_ascii_digit).collect();
    edit_parts(bytes, |name, xml| {
        if name == "xl/worksheets/sheet2.xml" {
            xml.replace(
                "</sheetData>",
                &format!(
                    r#"<row r="{row}"><c r="{reference}" t="inlineStr"><is><t>x</t></is></c></row></sheetData>"#
                ),
            )
        } else {
            xml
        }
    })
}
