//! Calibration probe: chosen outputs per seed for status_quo and a variant (paired seeds).
//! `cargo run --release --example compare -- SEEDS OUTPUTS(comma) [KEY=VALUE ...]`
use consortium_sim::{Scenario, report};
fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let seeds: u32 = args[0].parse().unwrap();
    let outputs: Vec<&str> = args[1].split(',').collect();
    let base = Scenario::from_preset("status_quo").unwrap();
    let mut variant = base.clone();
    for kv in args.iter().skip(2) {
        let (k, v) = kv.split_once('=').expect("KEY=VALUE");
        variant.set(k, v).unwrap();
    }
    let a = report::run(&base, seeds).unwrap();
    let b = report::run(&variant, seeds).unwrap();
    for o in &outputs {
        let get = |r: &report::Replicate| r.summary.iter().find(|(n, _)| n == o).unwrap().1;
        let xs: Vec<String> =
            a.replicates.iter().zip(&b.replicates).map(|(x, y)| format!("{:.3}>{:.3}", get(x), get(y))).collect();
        println!("{o:32} {}", xs.join("  "));
    }
}
