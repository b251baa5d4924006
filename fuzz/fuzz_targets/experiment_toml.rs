//! Fuzz target `experiment_toml`: arbitrary text through the TOML experiment parser of `sweep --spec` (body in `fuzz/targets.rs`).
#![no_main]

// Each binary runs one of the bodies in targets.rs; the others are unused here.
#[allow(dead_code)]
#[path = "../targets.rs"]
mod targets;

libfuzzer_sys::fuzz_target!(|data: &[u8]| targets::experiment(data, false));
