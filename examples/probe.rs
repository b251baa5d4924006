//! Calibration probe: forgone care by kind, visits and admissions per resident, for one run.
//! `cargo run --release --example probe -- [preset] [years] [seed] [KEY=VALUE ...]`
use consortium_sim::{Scenario, Simulation};
fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut s = Scenario::from_preset(args.first().map(String::as_str).unwrap_or("status_quo")).unwrap();
    s.years = args.get(1).and_then(|x| x.parse().ok()).unwrap_or(3);
    s.seed = args.get(2).and_then(|x| x.parse().ok()).unwrap_or(1);
    for kv in args.iter().skip(3) {
        let (k, v) = kv.split_once('=').expect("KEY=VALUE");
        s.set(k, v).unwrap();
    }
    let mut sim = Simulation::new(s).unwrap();
    sim.run();
    let h = sim.history();
    let last = &h[h.len() - 365..];
    let mut e = [0u32; 4];
    let mut f = [0u32; 4];
    for d in last {
        for k in 0..4 {
            e[k] += d.episodes_by_kind[k];
            f[k] += d.forgone_by_kind[k];
        }
    }
    for k in 0..4 {
        println!("kind {k}: episodes {:8} forgone {:.3}", e[k], f64::from(f[k]) / f64::from(e[k]));
    }
}
