//! Calibration probe: every facility of a tier held at one strategy (learning frozen), and
//! the tiers' margins over the last year.
//! `cargo run --release --example force -- TIER LEVEL CASE DAY [preset] [years] [seed] [KEY=VALUE ...]`
use consortium_sim::strategy::Strategy;
use consortium_sim::{Params, Scenario, Simulation};
fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let tier: u8 = args[0].parse().unwrap();
    let level: u8 = args[1].parse().unwrap();
    let case: i8 = args[2].parse().unwrap();
    let day: i8 = args[3].parse().unwrap();
    let mut s = Scenario::from_preset(args.get(4).map(String::as_str).unwrap_or("status_quo")).unwrap();
    s.years = args.get(5).and_then(|x| x.parse().ok()).unwrap_or(2);
    let seeds: u64 = args.get(6).and_then(|x| x.parse().ok()).unwrap_or(3);
    for kv in args.iter().skip(7) {
        let (k, v) = kv.split_once('=').expect("KEY=VALUE");
        s.set(k, v).unwrap();
    }
    let mut margins = [0.0; 3];
    for seed in 1..=seeds {
        s.seed = seed;
        let p = Params { provider_learning: 0.0, ..Params::default() };
        let mut sim = Simulation::with_params(s.clone(), p).unwrap();
        let ids: Vec<usize> =
            sim.facility_states().iter().enumerate().filter(|(_, f)| f.tier == tier).map(|(i, _)| i).collect();
        for &i in &ids {
            sim.set_strategy(i, Strategy { level, case, day, invest: false });
        }
        sim.run();
        let sum = sim.summary();
        for (t, name) in ["margin_primary", "margin_secondary", "margin_tertiary"].iter().enumerate() {
            margins[t] += sum.iter().find(|(n, _)| n == name).unwrap().1 / seeds as f64;
        }
    }
    println!(
        "tier {tier} level {level} case {case:+} day {day:+}: margins {:+.4} {:+.4} {:+.4}",
        margins[0], margins[1], margins[2]
    );
}
