//! The fuzz targets on stable Rust, for CI: each target first replays its checked-in corpus
//! (`fuzz/corpus/<target>/`), then runs inputs drawn from a seeded ChaCha8 stream (for the
//! text targets, mostly mutations of the corpus) for a short budget,
//! `FUZZ_SMOKE_SECONDS` per target (default 2). The bodies are those of the cargo-fuzz
//! binaries (`fuzz/targets.rs`); the long, coverage-guided runs are `scripts/fuzz.sh`.
//!
//! A failure names the target and the input: a corpus file, or the ChaCha8 seed whose
//! input `input_for(target, &corpus(target), seed)` rebuilds.

#[path = "../fuzz/targets.rs"]
mod targets;

use arbitrary::{Arbitrary, Unstructured};
use rand_chacha::ChaCha8Rng;
use rand_chacha::rand_core::{Rng, SeedableRng};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::time::{Duration, Instant};

/// Pieces of the inputs' languages a mutation inserts: syntax of TOML, JSON and `KEY=VALUE`,
/// keys, and numbers at and past the edges of what is allowed.
#[rustfmt::skip]
const TOKENS: &[&str] = &[
    "=", "[", "]", "{", "}", "\"", ",", ":", "\n", "[levers]\n", "[params]\n", "[settings]\n", "values", "from",
    "to", "steps", "population", "years", "replications", "seed", "outputs", "preset", "gatekeeping",
    "tertiary_capacity", "referral_bonus", "wait_scale", "urban_share", "0", "-1", "1e308", "1e-320", "nan", "inf",
    "-0", "18446744073709551616", "1000000", "true", "\u{0}", "é", "🏥",
];

fn budget() -> Duration {
    let seconds = std::env::var("FUZZ_SMOKE_SECONDS").ok().and_then(|s| s.parse().ok()).unwrap_or(2.0);
    Duration::from_secs_f64(seconds)
}

/// The checked-in corpus of `target`, sorted by name.
fn corpus(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus").join(target);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("a directory entry").path())
        .filter(|p| p.file_name().is_some_and(|n| n.to_string_lossy().starts_with("seed-")))
        .map(|p| (p.display().to_string(), std::fs::read(&p).expect("a corpus file")))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no corpus in {}", dir.display());
    files
}

/// A mutation of `base`: a few insertions of tokens or random bytes, deletions and
/// duplications of ranges.
fn mutate(rng: &mut ChaCha8Rng, base: &[u8]) -> Vec<u8> {
    let mut out = base.to_vec();
    for _ in 0..=rng.next_u32() % 4 {
        let at = if out.is_empty() { 0 } else { rng.next_u32() as usize % (out.len() + 1) };
        match rng.next_u32() % 4 {
            0 => {
                let token = TOKENS[rng.next_u32() as usize % TOKENS.len()];
                out.splice(at..at, token.bytes());
            }
            1 => {
                let mut bytes = vec![0u8; 1 + rng.next_u32() as usize % 8];
                rng.fill_bytes(&mut bytes);
                out.splice(at..at, bytes);
            }
            2 => {
                let end = (at + 1 + rng.next_u32() as usize % 16).min(out.len());
                if at < end {
                    out.drain(at..end);
                }
            }
            _ => {
                let end = (at + 1 + rng.next_u32() as usize % 32).min(out.len());
                let copy = out.get(at..end).map(<[u8]>::to_vec).unwrap_or_default();
                out.splice(at..at, copy);
            }
        }
    }
    out
}

/// The input of `target` drawn from seed `seed`: for the text targets three in four are
/// mutations of a corpus entry, the rest raw bytes; for `lever_sequence` raw bytes, which
/// `arbitrary` reads as a case.
fn input_for(target: &str, corpus: &[(String, Vec<u8>)], seed: u64) -> Vec<u8> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    if target != "lever_sequence" && rng.next_u32() % 4 != 0 {
        let base = &corpus[rng.next_u32() as usize % corpus.len()].1;
        return mutate(&mut rng, base);
    }
    let mut bytes = vec![0u8; 16 + rng.next_u32() as usize % 240];
    rng.fill_bytes(&mut bytes);
    bytes
}

fn run_target(target: &str, data: &[u8]) {
    match target {
        "scenario_set" => targets::scenario_set(data),
        "experiment_toml" => targets::experiment(data, false),
        "experiment_json" => targets::experiment(data, true),
        "lever_sequence" => {
            if let Ok(case) = targets::LeverSequence::arbitrary(&mut Unstructured::new(data)) {
                targets::lever_sequence(&case);
            }
        }
        other => panic!("no target {other}"),
    }
}

/// Replays the corpus, then seeded inputs until the budget is spent; returns the seeded
/// inputs run. Panics naming the input that failed.
fn smoke(target: &str) -> u64 {
    let corpus = corpus(target);
    for (name, data) in &corpus {
        if catch_unwind(AssertUnwindSafe(|| run_target(target, data))).is_err() {
            panic!("{target} fails on its corpus file {name}");
        }
    }
    let start = Instant::now();
    let mut seed = 0u64;
    while start.elapsed() < budget() {
        let data = input_for(target, &corpus, seed);
        if catch_unwind(AssertUnwindSafe(|| run_target(target, &data))).is_err() {
            panic!("{target} fails on the input of seed {seed}: {:?}", String::from_utf8_lossy(&data));
        }
        seed += 1;
    }
    seed
}

#[test]
fn scenario_set_never_panics() {
    let runs = smoke("scenario_set");
    assert!(runs > 0);
}

#[test]
fn experiment_toml_never_panics() {
    let runs = smoke("experiment_toml");
    assert!(runs > 0);
}

#[test]
fn experiment_json_never_panics() {
    let runs = smoke("experiment_json");
    assert!(runs > 0);
}

#[test]
fn lever_sequences_keep_the_invariants() {
    let runs = smoke("lever_sequence");
    assert!(runs > 0);
}
