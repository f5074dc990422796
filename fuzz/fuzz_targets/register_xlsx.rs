//! The Register of public services as an XLSX workbook: its first sheet
//! read as a table, then checked like the CSV (`bagalau services
//! register-import FILE.xlsx`).
#![no_main]
use bagalau_services::register::Register;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(table) = bagalau_xlsx::read_table(data) else {
        return;
    };
    if let Ok(register) = Register::from_table(&table.header, table.rows) {
        bagalau_fuzz::use_register(&register);
    }
});
