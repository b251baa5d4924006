//! Fuzz target `lever_sequence`: random lever changes on random days of a small run, checked against the invariants (body in `fuzz/targets.rs`).
#![no_main]

#[path = "../targets.rs"]
mod targets;

libfuzzer_sys::fuzz_target!(|case: targets::LeverSequence| targets::lever_sequence(&case));
