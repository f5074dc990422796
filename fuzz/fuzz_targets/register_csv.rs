//! The Register of public services as CSV, as `bagalau services
//! register-import` reads it; a register that reads is then listed on a
//! date and compared between two, as the portal and `register-diff` do.
#![no_main]
use bagalau_services::register::Register;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(register) = Register::from_csv(text) {
        bagalau_fuzz::use_register(&register);
    }
});
