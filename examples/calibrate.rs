//! Calibration aid: runs a preset over several seeds and prints the baseline facts.
//! `cargo run --release --example calibrate -- [preset] [seeds] [years] [KEY=VALUE ...]`
use consortium_sim::{Scenario, report};
fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut s = Scenario::from_preset(args.first().map(String::as_str).unwrap_or("status_quo")).unwrap();
    let seeds: u32 = args.get(1).and_then(|x| x.parse().ok()).unwrap_or(3);
    s.years = args.get(2).and_then(|x| x.parse().ok()).unwrap_or(5);
    for kv in args.iter().skip(3) {
        let (k, v) = kv.split_once('=').unwrap();
        s.set(k, v).unwrap();
    }
    let r = report::run(&s, seeds).unwrap();
    let mut m = [[0u32; 3]; 3];
    for d in &r.replicates[0].history[r.replicates[0].history.len() - 365..] {
        for i in 0..3 {
            for j in 0..3 {
                m[i][j] += d.referrals[i][j];
            }
        }
    }
    println!("referrals last year, seed 1 (row from, column to): {m:?}");
    for (name, v) in r.mean() {
        println!("{name:40} {v:10.4}");
    }
}
