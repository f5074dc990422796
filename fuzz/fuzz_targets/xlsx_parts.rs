//! A submission workbook with one part replaced: the first byte of the
//! input picks the part of the filled-in `minfin` template (sheets, shared
//! strings, workbook, styles, relationships, content types), the rest is
//! its new content, as bytes (the XML readers decode it). Mutating a whole
//! workbook mostly breaks its compressed streams and checksums, so the
//! archive is rebuilt around the fuzzed part (stored, not deflated): the
//! inputs reach calamine's XML readers and the template's cell checks
//! instead. Then read as `xlsx_submission` reads and as a table.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let chosen = usize::from(selector) % bagalau_fuzz::template_parts().len();
    let bytes = bagalau_fuzz::template_with_part(chosen, rest);
    let registry = bagalau_fuzz::registry();
    let m = bagalau_fuzz::pack_for_year(2023).expect("2023");
    let _ = bagalau_xlsx::identify(&bytes);
    let _ = bagalau_xlsx::read(m, registry, "minfin", &bytes);
    if let Ok(table) = bagalau_xlsx::read_table(&bytes) {
        let _ = bagalau_services::register::Register::from_table(&table.header, table.rows);
    }
});
