//! Policy-response aid: prints the brief's eight directions as paired-seed differences.
//! `cargo run --release --example policy -- [seeds] [years]`
use consortium_sim::validation::{POLICY_DIRECTIONS, measure};
use consortium_sim::{Scenario, report};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let seeds: u32 = args.first().and_then(|x| x.parse().ok()).unwrap_or(3);
    let mut sq = Scenario::from_preset("status_quo").unwrap();
    sq.years = args.get(1).and_then(|x| x.parse().ok()).unwrap_or(5);
    let base = report::run(&sq, seeds).unwrap();
    for d in POLICY_DIRECTIONS {
        for m in measure(d, &base).unwrap() {
            let min = m.differences.iter().copied().map(|x| x * m.effect.sign).fold(f64::INFINITY, f64::min);
            let in_direction = m.seeds_in_direction();
            println!(
                "{} {:34} base {:10.4} policy {:10.4} change {:+10.4} (se {:.4}; smallest same-direction {:.4}; {in_direction}/{} seeds) {}",
                d.number,
                m.effect.output,
                m.baseline,
                m.policy,
                m.mean(),
                m.standard_error(),
                min,
                m.differences.len(),
                if m.holds() { "ok" } else { "FAILS" }
            );
        }
    }
}
