//! A KoBoToolbox or ODK Central CSV export with its questionnaire, as
//! `bagalau services survey-import` reads it: an input with a NUL byte is
//! the questionnaire (TOML) before it and the export after; without one,
//! the whole input is an export of the demonstration questionnaire. The
//! responses read are kept in Bagalau's plain CSV (read back by every
//! later command) and estimated by every breakdown.
#![no_main]
use bagalau_services::questionnaire::Questionnaire;
use bagalau_services::responses::{self, BREAKDOWNS};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (questionnaire, export) = bagalau_fuzz::split_nul(data);
    let own;
    let questionnaire = match questionnaire {
        None => bagalau_fuzz::questionnaire(),
        Some(bytes) => {
            let Ok(text) = std::str::from_utf8(bytes) else {
                return;
            };
            let Ok(q) = Questionnaire::from_toml(text) else {
                return;
            };
            own = q;
            &own
        }
    };
    let Ok(text) = std::str::from_utf8(export) else {
        return;
    };
    let Ok(read) = responses::read_export(text, questionnaire, bagalau_fuzz::in_register) else {
        return;
    };
    let measures = questionnaire.measures();
    let kept = responses::to_csv(&read, &measures);
    match responses::from_csv(&kept) {
        Ok(again) => assert_eq!(
            responses::to_csv(&again, &measures),
            kept,
            "kept responses read back changed"
        ),
        Err(problem) => panic!("kept responses do not read back: {problem}\n{kept}"),
    }
    for measure in &measures {
        for by in BREAKDOWNS {
            let group_of = responses::breakdown(by).expect("a known breakdown");
            let _ = responses::estimates(&read, measure, group_of, questionnaire.min_respondents);
        }
    }
});
