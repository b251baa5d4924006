//! Calibration probe: month-to-month sd of each facility's margin in years 2-5, learning
//! frozen or not. `cargo run --release --example noise -- [learning 0|1] [seed]`
use consortium_sim::{Params, Scenario, Simulation};
fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let learning: f64 = args.first().and_then(|x| x.parse().ok()).unwrap_or(0.0);
    let mut s = Scenario::from_preset("status_quo").unwrap();
    s.seed = args.get(1).and_then(|x| x.parse().ok()).unwrap_or(1);
    let p = Params { provider_learning: learning, ..Params::default() };
    let mut sim = Simulation::with_params(s, p).unwrap();
    let mut rows: Vec<Vec<f64>> = Vec::new();
    for m in 0..60u32 {
        sim.step((m + 1) * 365 / 12 - sim.day());
        rows.push(sim.facility_states().iter().map(|f| f.margin).collect());
    }
    for f in 0..rows[0].len() {
        let xs: Vec<f64> = rows[12..].iter().map(|r| r[f]).collect();
        let mean = xs.iter().sum::<f64>() / xs.len() as f64;
        let sd = (xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (xs.len() - 1) as f64).sqrt();
        print!("{f}:{sd:.4} ");
    }
    println!();
}
