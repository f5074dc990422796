//! A submission workbook with one part's XML replaced: the first byte of
//! the input picks the part of the filled-in `minfin` template (sheets,
//! shared strings, workbook, styles, relationships, content types), the
//! rest is its new text. Mutating a whole workbook mostly breaks its
//! compressed streams and checksums, so the archive is rebuilt around the
//! fuzzed XML: the inputs reach calamine's XML readers and the template's
//! cell checks instead. Then read as `xlsx_submission` and as a table.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let Ok(xml) = std::str::from_utf8(rest) else {
        return;
    };
    let parts = bagalau_fuzz::template_parts();
    let chosen = &parts[usize::from(selector) % parts.len()];
    let bytes = bagalau_xlsx::testing::edit_parts(bagalau_fuzz::minfin_template(), |name, text| {
        if name == chosen {
            xml.to_string()
        } else {
            text
        }
    });
    let registry = bagalau_fuzz::registry();
    let m = bagalau_fuzz::pack_for_year(2023).expect("2023");
    let _ = bagalau_xlsx::identify(&bytes);
    let _ = bagalau_xlsx::read(m, registry, "minfin", &bytes);
    if let Ok(table) = bagalau_xlsx::read_table(&bytes) {
        let _ = bagalau_services::register::Register::from_table(&table.header, table.rows);
    }
});
