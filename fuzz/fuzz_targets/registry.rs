//! The registry of evaluated bodies (TOML), as `bagalau import registry`
//! loads it; a registry that loads is then walked as `registry list` and
//! `registry history` walk it (lineage: predecessors and successors, which
//! a cycle of events would make endless) and scores the 2023 demonstration
//! data, the scoring engine taking each body's kind and years from it.
#![no_main]
use bagalau_core::Lang;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(registry) = bagalau_core::registry::load("fuzz.toml", text) else {
        return;
    };
    for year in 2019..=2023 {
        let _ = registry.evaluated_in(year);
    }
    for body in registry.bodies.iter().take(64) {
        let id = body.id.as_str();
        let _ = registry.predecessors(id);
        let _ = registry.successors(id);
        let _ = registry.history(id);
        let _ = registry.lifetime(id);
        let _ = registry.display_name(id, 2023, Lang::En);
    }
    let m = bagalau_fuzz::pack_for_year(2023).expect("the 2023 pack");
    let values = bagalau_fuzz::demo_data(2023).expect("the 2023 data");
    let _ = bagalau_core::score::assess(m, &registry, values);
    let _ = bagalau_core::data::input_hash(&registry, 2023, values);
});
