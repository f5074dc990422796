//! Hostile workbooks: each once crashed or could crash a server reading an
//! upload (a dense grid for one far cell, zip bombs, a shared-strings count
//! that reserves memory for strings that are not there). Each is refused
//! with its place named, and nothing is read.

use bagalau_core::{pack, registry};
use bagalau_xlsx::bounded::{self, Limits, Refused};
use bagalau_xlsx::testing::{edit_parts, with_cell_at};
use bagalau_xlsx::{Issue, read, read_table, table, template};
use std::collections::BTreeMap;

fn setup() -> (pack::Methodology, registry::Registry) {
    let (f, t) = bagalau_demo::REGISTRY;
    let (pf, pt) = bagalau_demo::PACKS[4];
    (pack::load(pf, pt).unwrap(), registry::load(f, t).unwrap())
}

fn minfin_template() -> (pack::Methodology, registry::Registry, Vec<u8>) {
    let (m, reg) = setup();
    let bytes = template(&m, &reg, "minfin", &BTreeMap::new()).unwrap();
    (m, reg, bytes)
}

#[test]
fn a_cell_at_the_far_corner_is_named_not_allocated_for() {
    let (m, reg, bytes) = minfin_template();
    let far = with_cell_at(&bytes, "XFD1048576");
    let problems = read(&m, &reg, "minfin", &far).unwrap_err();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0].cell, "XFD1048576");
    assert_eq!(problems[0].issue, Issue::OutsideTemplate);
    // Beside the template's columns, and below its rows, likewise.
    for cell in ["F2", "D400"] {
        let problems = read(&m, &reg, "minfin", &with_cell_at(&bytes, cell)).unwrap_err();
        assert_eq!(
            (problems[0].cell.as_str(), &problems[0].issue),
            (cell, &Issue::OutsideTemplate)
        );
    }
}

/// A one-sheet table with a text cell added at `reference` in row 1048576.
fn with_text_at(bytes: &[u8], reference: &str, text: &str) -> Vec<u8> {
    edit_parts(bytes, |name, xml| {
        if name == "xl/worksheets/sheet1.xml" {
            xml.replace(
                "</sheetData>",
                &format!(
                    r#"<row r="1048576"><c r="{reference}" t="inlineStr"><is><t>{text}</t></is></c></row></sheetData>"#
                ),
            )
        } else {
            xml
        }
    })
}

#[test]
fn a_table_with_a_stray_far_cell_is_refused_with_the_cell() {
    let columns = vec!["service_id".to_string(), "name_en".to_string()];
    let rows = vec![vec![
        bagalau_xlsx::TableCell::Text("s1"),
        bagalau_xlsx::TableCell::Text("A service"),
    ]];
    let bytes = table("register", &columns, &rows).unwrap();
    // The table itself reads; a sheet of one sheet is `sheet1.xml`.
    assert_eq!(read_table(&bytes).unwrap().rows.len(), 1);
    let far = with_text_at(&bytes, "XFD1048576", "x");
    let error = read_table(&far).unwrap_err();
    assert!(error.contains("cell XFD1048576"), "{error}");
    // Far down (in the columns a table may use) is only an empty-looking
    // row apart: read sparsely, with its row number.
    let low = with_text_at(&bytes, "A1048576", "s2");
    let read = read_table(&low).unwrap();
    assert_eq!(read.rows.last().unwrap().0, 1_048_576);
}

#[test]
fn a_part_that_unpacks_beyond_the_limit_is_refused_before_reading() {
    let (_, _, bytes) = minfin_template();
    // 8 MiB of spaces inside the first sheet: Deflate packs them about 1000:1.
    let padding = " ".repeat(8 * 1024 * 1024);
    let bomb = edit_parts(&bytes, |name, xml| {
        if name == "xl/worksheets/sheet1.xml" {
            xml.replace("</sheetData>", &format!("{padding}</sheetData>"))
        } else {
            xml
        }
    });
    assert!(bomb.len() < 100 * 1024, "packed: {} bytes", bomb.len());
    let small = Limits {
        part_bytes: 4 * 1024 * 1024,
        ..Limits::UPLOADS
    };
    assert_eq!(
        bounded::open(&bomb, small).err(),
        Some(Refused::PartTooLarge {
            part: "xl/worksheets/sheet1.xml".into(),
            limit: 4 * 1024 * 1024
        })
    );
    // Within the size limits, the ratio catches it.
    match bounded::open(&bomb, Limits::UPLOADS).err() {
        Some(Refused::Compressed { part, ratio, limit }) => {
            assert_eq!(part, "xl/worksheets/sheet1.xml");
            assert!(ratio > limit && limit == 200, "{ratio}");
        }
        other => panic!("{other:?}"),
    }
    let all = Limits {
        total_bytes: 1024 * 1024,
        ratio: u64::MAX,
        ..Limits::UPLOADS
    };
    assert_eq!(
        bounded::open(&bomb, all).err(),
        Some(Refused::TooLarge { limit: 1024 * 1024 })
    );
    // The template itself is far inside every limit.
    assert!(bounded::open(&bytes, Limits::UPLOADS).is_ok());
}

#[test]
fn shared_strings_that_declare_more_than_they_hold_are_refused() {
    let columns = vec!["a".to_string()];
    let bytes = table("t", &columns, &[]).unwrap();
    let sst = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1000000000000"><si><t>a</t></si></sst>"#;
    let bomb = edit_parts(&bytes, |name, xml| {
        if name == "xl/sharedStrings.xml" {
            sst.to_string()
        } else {
            xml
        }
    });
    match bounded::open(&bomb, Limits::UPLOADS).err() {
        Some(Refused::SharedStrings { declared, room }) => {
            assert_eq!(declared, 1_000_000_000_000);
            assert_eq!(room, sst.len() as u64 / 5);
        }
        other => panic!("{other:?}"),
    }
    let honest = edit_parts(&bytes, |name, xml| {
        if name == "xl/sharedStrings.xml" {
            sst.replace("1000000000000", "1")
        } else {
            xml
        }
    });
    assert!(bounded::open(&honest, Limits::UPLOADS).is_ok());
}

#[test]
fn too_many_parts_are_refused() {
    let (_, _, bytes) = minfin_template();
    let few = Limits {
        parts: 3,
        ..Limits::UPLOADS
    };
    match bounded::open(&bytes, few).err() {
        Some(Refused::TooManyParts { parts, limit: 3 }) => assert!(parts > 3),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_deleted_direction_sheet_is_named_not_skipped() {
    let (m, reg, bytes) = minfin_template();
    // Deleting a sheet in Excel removes it from the workbook's list.
    let first_direction = read(&m, &reg, "minfin", &bytes).unwrap();
    assert!(!first_direction.is_empty());
    let without = edit_parts(&bytes, |name, xml| {
        if name == "xl/workbook.xml" {
            let start = xml.find("<sheet ").unwrap();
            let second = xml[start + 1..].find("<sheet ").unwrap() + start + 1;
            let end = xml[second..].find("/>").unwrap() + second + 2;
            format!("{}{}", &xml[..second], &xml[end..])
        } else {
            xml
        }
    });
    let problems = read(&m, &reg, "minfin", &without).unwrap_err();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0].issue, Issue::MissingSheet);
    assert!(!problems[0].sheet.is_empty());
}

#[test]
fn a_formula_without_its_computed_value_is_named_not_read_as_empty() {
    let (m, reg, bytes) = minfin_template();
    // As a script writes it: the formula, no cached `<v>`.
    let uncomputed = edit_parts(&bytes, |name, xml| {
        if name != "xl/worksheets/sheet2.xml" {
            return xml;
        }
        let at = xml.find(r#"<c r="D2""#).expect("the value cell");
        let end = xml[at..].find("/>").expect("an empty cell") + at + 2;
        format!(r#"{}<c r="D2"><f>1+1</f></c>{}"#, &xml[..at], &xml[end..])
    });
    let problems = read(&m, &reg, "minfin", &uncomputed).unwrap_err();
    assert_eq!(
        (problems[0].cell.as_str(), &problems[0].issue),
        ("D2", &Issue::FormulaWithoutValue)
    );
    // With its value cached (as Excel and Calc save it), the value is read.
    let computed = edit_parts(&bytes, |name, xml| {
        if name != "xl/worksheets/sheet2.xml" {
            return xml;
        }
        let at = xml.find(r#"<c r="D2""#).expect("the value cell");
        let end = xml[at..].find("/>").expect("an empty cell") + at + 2;
        format!(
            r#"{}<c r="D2"><f>2-1</f><v>1</v></c>{}"#,
            &xml[..at],
            &xml[end..]
        )
    });
    let values: Vec<f64> = read(&m, &reg, "minfin", &computed)
        .unwrap()
        .iter()
        .filter_map(|o| o.value)
        .collect();
    assert_eq!(values, [1.0]);
}

#[test]
fn a_cell_reference_beyond_any_sheet_is_named_not_overflowed() {
    // calamine computes a reference's column and row in 32 bits: a few
    // letters or digits too many overflowed them (a panic where overflow is
    // checked, a wrong cell where it is not). The first was found by
    // fuzzing (fuzz/regressions/xlsx_parts/): a cell's `r` cut into
    // another attribute's name.
    let (m, reg, bytes) = minfin_template();
    let cut = edit_parts(&bytes, |name, xml| {
        if name == "xl/worksheets/sheet2.xml" {
            xml.replacen(r#"r="D2""#, r#"r="showErrorMessage=""#, 1)
        } else {
            xml
        }
    });
    // The fuzzed sheet also had an end tag that did not match its start
    // tag, which calamine reads past: so must the check.
    let mismatched = edit_parts(&cut, |name, xml| {
        if name == "xl/worksheets/sheet2.xml" {
            xml.replacen("<sheetViews>", "<she=etViews>", 1)
        } else {
            xml
        }
    });
    // The first reference beyond the sheet is named: a row's `r` comes
    // before its cells'.
    let cases = [
        ("showErrorMessage=", cut),
        ("showErrorMessage=", mismatched),
        ("AAAAAAAAAAAA1", with_cell_at(&bytes, "AAAAAAAAAAAA1")),
        ("99999999999", with_cell_at(&bytes, "A99999999999")),
        ("XFE1", with_cell_at(&bytes, "XFE1")),
        ("1048577", with_cell_at(&bytes, "A1048577")),
    ];
    for (reference, workbook) in cases {
        let expected = format!(
            "not an Excel workbook (.xlsx): part `xl/worksheets/sheet2.xml`: \
             `{reference}` is not a cell reference within A1:XFD1048576"
        );
        let problems = read(&m, &reg, "minfin", &workbook).unwrap_err();
        let found: Vec<String> = problems.iter().map(ToString::to_string).collect();
        assert_eq!(found, std::slice::from_ref(&expected), "{reference}");
        let refused = read_table(&workbook).unwrap_err();
        assert_eq!(refused, expected, "{reference}");
    }
}
