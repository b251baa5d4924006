//! Fuzz target `scenario_set`: `KEY=VALUE` lines through `Scenario::set`, `Params::set` and `Scenario::validate` (body in `fuzz/targets.rs`).
#![no_main]

// Each binary runs one of the bodies in targets.rs; the others are unused here.
#[allow(dead_code)]
#[path = "../targets.rs"]
mod targets;

libfuzzer_sys::fuzz_target!(|data: &[u8]| targets::scenario_set(data));
