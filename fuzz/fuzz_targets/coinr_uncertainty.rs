//! A composite index's uncertainty plan (TOML), as `bagalau index
//! uncertainty --plan` reads it; a plan that reads is run on a small
//! index with its counts of replications and samples capped (the cost of
//! a large count is time, not a different path through the code).
#![no_main]
use bagalau_index::Pipeline;
use bagalau_index::uncertainty::{Plan, analyse};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(mut plan) = Plan::parse("uncertainty.toml", text) else {
        return;
    };
    plan.replications = plan.replications.min(4);
    plan.sensitivity_samples = plan.sensitivity_samples.min(2);
    plan.bootstrap = plan.bootstrap.min(4);
    let (framework, values) = bagalau_fuzz::small_index();
    let _ = analyse(framework, values, &Pipeline::default(), &plan, &|_| {});
});
