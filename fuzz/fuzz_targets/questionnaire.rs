//! A satisfaction questionnaire (TOML), as `bagalau services
//! survey-import --questionnaire` loads it; one that loads then reads a
//! small export made for its first version's columns, and an empty one.
#![no_main]
use bagalau_services::questionnaire::Questionnaire;
use bagalau_services::responses;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(q) = Questionnaire::from_toml(text) else {
        return;
    };
    let _ = q.measures();
    let _ = responses::read_export("", &q, bagalau_fuzz::in_register);
    let _ = responses::read_export(bagalau_fuzz::ODK_EXPORT, &q, bagalau_fuzz::in_register);
    let _ = responses::read_export(bagalau_fuzz::KOBO_EXPORT, &q, bagalau_fuzz::in_register);
});
