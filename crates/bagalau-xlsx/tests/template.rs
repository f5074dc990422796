//! Templates written and read back; workbooks "filled in" by writing cells as
//! a user would, with every kind of mistake.

use bagalau_core::{pack, registry};
use bagalau_xlsx::{read, template};
use rust_xlsxwriter::Workbook;
use std::collections::BTreeMap;

fn setup() -> (pack::Methodology, registry::Registry) {
    let (f, t) = bagalau_demo::REGISTRY;
    let (pf, pt) = bagalau_demo::PACKS[4];
    (pack::load(pf, pt).unwrap(), registry::load(f, t).unwrap())
}

#[test]
fn a_template_reads_back_as_written() {
    let (m, reg) = setup();
    let empty = template(&m, &reg, "minfin", &BTreeMap::new()).unwrap();
    let read_back = read(&m, &reg, "minfin", &empty).unwrap();
    assert!(
        !read_back.is_empty()
            && read_back
                .iter()
                .all(|o| o.value.is_none() && o.body == "minfin" && o.year == 2023)
    );
    let current: BTreeMap<String, f64> = read_back
        .iter()
        .enumerate()
        .map(|(i, o)| (o.indicator.clone(), (i % 2) as f64))
        .collect();
    let filled = template(&m, &reg, "minfin", &current).unwrap();
    let got: BTreeMap<String, Option<f64>> = read(&m, &reg, "minfin", &filled)
        .unwrap()
        .into_iter()
        .map(|o| (o.indicator, o.value))
        .collect();
    let want: BTreeMap<String, Option<f64>> =
        current.into_iter().map(|(k, v)| (k, Some(v))).collect();
    assert_eq!(got, want);
    // An akimat gets its own indicators, and a body not evaluated gets none.
    let leb = read(
        &m,
        &reg,
        "akimat_abai",
        &template(&m, &reg, "akimat_abai", &BTreeMap::new()).unwrap(),
    )
    .unwrap();
    assert_ne!(
        leb.iter().map(|o| &o.indicator).collect::<Vec<_>>(),
        read_back.iter().map(|o| &o.indicator).collect::<Vec<_>>()
    );
    assert!(template(&m, &reg, "nowhere", &BTreeMap::new()).is_err());
}

/// A workbook as a user might return it: the instructions' identity cells and
/// one sheet of (indicator, value) rows, values as text or numbers.
fn filled(
    year: &str,
    body: &str,
    pack_id: &str,
    sheet: &str,
    rows: &[(&str, Option<&str>)],
) -> Vec<u8> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Instructions").unwrap();
    ws.write_string(2, 1, year).unwrap();
    ws.write_string(3, 1, body).unwrap();
    ws.write_string(4, 1, pack_id).unwrap();
    let ws = wb.add_worksheet();
    ws.set_name(sheet).unwrap();
    ws.write_string(0, 0, "indicator_id").unwrap();
    for (i, (id, value)) in rows.iter().enumerate() {
        let r = i as u32 + 1;
        ws.write_string(r, 0, *id).unwrap();
        match value.map(|v| v.parse::<f64>()) {
            Some(Ok(n)) => ws.write_number(r, 3, n).unwrap(),
            Some(Err(_)) => ws.write_string(r, 3, value.unwrap()).unwrap(),
            None => ws,
        };
    }
    wb.save_to_buffer().unwrap()
}

#[test]
fn mistakes_are_named_by_sheet_and_cell_and_nothing_is_read() {
    let (m, reg) = setup();
    let id = format!("{} {}", m.id, m.content_hash);
    // The first sheet of minfin's template and two of its indicators, one a percent if there is one.
    let ok = read(
        &m,
        &reg,
        "minfin",
        &template(&m, &reg, "minfin", &BTreeMap::new()).unwrap(),
    )
    .unwrap();
    let first = &ok[0].indicator;
    let sheet = m
        .blocks
        .iter()
        .flat_map(|b| &b.directions)
        .find(|d| {
            d.criteria
                .iter()
                .any(|c| c.rule.indicators().contains(&m.indicator(first).unwrap()))
        })
        .unwrap()
        .id
        .clone();
    let unit = m.indicators[m.indicator(first).unwrap()].unit;
    let wrong = match unit {
        pack::Unit::Percent => "140",
        pack::Unit::Share => "2",
        pack::Unit::Status => "0.7",
        _ => "-1",
    };
    // The workbooks below hold one direction's sheet: the others are
    // reported missing (tests/hostile.rs), which is not what is tested here.
    let errors = |bytes: Vec<u8>| {
        read(&m, &reg, "minfin", &bytes)
            .unwrap_err()
            .iter()
            .filter(|p| p.issue != bagalau_xlsx::Issue::MissingSheet)
            .map(ToString::to_string)
            .collect::<Vec<_>>()
    };

    let e = errors(filled("2022", "minfin", &id, &sheet, &[]));
    assert_eq!(
        e,
        [
            "sheet `Instructions`, cell B3: the template is for `2022`, not `2023`: download the template for this body, year and methodology"
        ]
    );
    let e = errors(filled("2023", "mne", &id, &sheet, &[]));
    assert!(
        e[0].starts_with("sheet `Instructions`, cell B4: the template is for `mne`"),
        "{e:?}"
    );
    let e = errors(filled(
        "2023",
        "minfin",
        &id,
        &sheet,
        &[(first, Some("abc"))],
    ));
    assert_eq!(
        e,
        [format!("sheet `{sheet}`, cell D2: `abc` is not a number")]
    );
    let e = errors(filled(
        "2023",
        "minfin",
        &id,
        &sheet,
        &[("bogus", Some("1")), (first, Some("1")), (first, Some("0"))],
    ));
    assert_eq!(e.len(), 2, "{e:?}");
    assert_eq!(
        e[0],
        format!("sheet `{sheet}`, cell A2: `bogus` is not an indicator of this sheet")
    );
    assert!(
        e[1].starts_with(&format!(
            "sheet `{sheet}`, cell D4: {first} is 0 here but 1 on sheet"
        )),
        "{e:?}"
    );
    if !matches!(
        unit,
        pack::Unit::Ratio
            | pack::Unit::Tenge
            | pack::Unit::Days
            | pack::Unit::Points
            | pack::Unit::Score
    ) {
        let e = errors(filled(
            "2023",
            "minfin",
            &id,
            &sheet,
            &[(first, Some(wrong))],
        ));
        assert!(
            e[0].starts_with(&format!("sheet `{sheet}`, cell D2: {first}: {wrong}")),
            "{e:?}"
        );
    }
    let e = errors(filled("2023", "minfin", &id, "Sheet1", &[]));
    assert_eq!(e, ["sheet `Sheet1`: not a direction of this template"]);
    // Decimal commas (as typed in Kazakh and Russian locales) are numbers.
    // (typed into the downloaded template's first value cell, D2 of its
    // first direction sheet, as text)
    let template_bytes = template(&m, &reg, "minfin", &BTreeMap::new()).unwrap();
    let typed = bagalau_xlsx::testing::edit_parts(&template_bytes, |name, xml| {
        if name != "xl/worksheets/sheet2.xml" {
            return xml;
        }
        let at = xml.find(r#"<c r="D2""#).expect("the value cell");
        let end = xml[at..].find("/>").expect("an empty cell") + at + 2;
        format!(
            r#"{}<c r="D2" t="inlineStr"><is><t>0,5</t></is></c>{}"#,
            &xml[..at],
            &xml[end..]
        )
    });
    let got = read(&m, &reg, "minfin", &typed).unwrap();
    let values: Vec<_> = got.iter().filter_map(|o| o.value).collect();
    assert_eq!(values, [0.5]);
    assert!(
        read(&m, &reg, "minfin", b"not a workbook").unwrap_err()[0]
            .to_string()
            .starts_with("not an Excel workbook")
    );
}
