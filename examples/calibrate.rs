//! Calibration aid: runs a preset over several seeds and prints every output, then the
//! brief's baseline targets with pass or fail.
//! `cargo run --release --example calibrate -- [preset] [seeds] [years] [KEY=VALUE ...]`
use consortium_sim::validation::{BASELINE_TARGETS, target_value};
use consortium_sim::{Scenario, report};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut s = Scenario::from_preset(args.first().map(String::as_str).unwrap_or("status_quo")).unwrap();
    let seeds: u32 = args.get(1).and_then(|x| x.parse().ok()).unwrap_or(3);
    s.years = args.get(2).and_then(|x| x.parse().ok()).unwrap_or(5);
    for kv in args.iter().skip(3) {
        let (k, v) = kv.split_once('=').expect("KEY=VALUE");
        s.set(k, v).unwrap();
    }
    let r = report::run(&s, seeds).unwrap();
    let mean = r.mean();
    for (name, v) in &mean {
        println!("{name:40} {v:10.4}");
    }
    println!();
    for t in BASELINE_TARGETS {
        let v = target_value(&mean, t.output);
        let ok = v >= t.low && v <= t.high;
        println!("{:62} {:>6.2}..{:<6.2} {v:8.4} {}", t.fact, t.low, t.high, if ok { "pass" } else { "FAIL" });
    }
}
