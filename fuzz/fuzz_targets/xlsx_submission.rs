//! An Excel submission template returned by a body: identified by its
//! instructions sheet and read back, as `bagalau import xlsx` and the
//! API's upload do. The bytes go in as they are: a workbook is binary.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let registry = bagalau_fuzz::registry();
    // The upload endpoint names the body in its address and does not
    // identify first, so an unidentifiable workbook is still read whole.
    let (m, body) = match bagalau_xlsx::identify(data) {
        Ok((year, body)) if registry.body(&body).is_some() => {
            match bagalau_fuzz::pack_for_year(year) {
                Some(m) => (m, body),
                None => (bagalau_fuzz::pack_for_year(2023).expect("2023"), body),
            }
        }
        _ => (
            bagalau_fuzz::pack_for_year(2023).expect("2023"),
            "minfin".to_string(),
        ),
    };
    let _ = bagalau_xlsx::read(m, registry, &body, data);
});
