//! Fuzz target `lever_sequence`: random lever changes on random days of a small run, checked against the invariants (body in `fuzz/targets.rs`).
#![no_main]

// Each binary runs one of the bodies in targets.rs; the others are unused here.
#[allow(dead_code)]
#[path = "../targets.rs"]
mod targets;

libfuzzer_sys::fuzz_target!(|case: targets::LeverSequence| targets::lever_sequence(&case));
