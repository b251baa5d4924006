//! Calibration probe: the realised effect on a facility's own margin of one more level of
//! cooperation (or one stance step), all else as learned: run a scenario two years with
//! learning, freeze, copy, change one facility's strategy in the copy, and compare that
//! facility's margin over the next three months, over seeds.
//! `cargo run --release --example marginal -- TIER PART(level|case|day) [KEY=VALUE ...]`
use consortium_sim::{Params, Scenario, Simulation};
fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let tier: u8 = args[0].parse().unwrap();
    let part = args[1].clone();
    let mut s = Scenario::from_preset("status_quo").unwrap();
    for kv in args.iter().skip(2) {
        let (k, v) = kv.split_once('=').expect("KEY=VALUE");
        s.set(k, v).unwrap();
    }
    let mut gains = Vec::new();
    for seed in 1..=8u64 {
        s.seed = seed;
        let mut base = Simulation::with_params(s.clone(), Params::default()).unwrap();
        base.step(2 * 365);
        base.freeze_learning();
        let ids: Vec<usize> =
            base.facility_states().iter().enumerate().filter(|(_, f)| f.tier == tier).map(|(i, _)| i).collect();
        for &id in &ids {
            let mut b = base.clone();
            let mut c = base.clone();
            let mut st = c.learner(id).strategy;
            let up = match part.as_str() {
                "level" => {
                    if st.level < 4 {
                        st.level += 1;
                        1.0
                    } else {
                        st.level -= 1;
                        -1.0
                    }
                }
                "case" => {
                    if st.case < 1 {
                        st.case += 1;
                        1.0
                    } else {
                        st.case -= 1;
                        -1.0
                    }
                }
                _ => {
                    if st.day < 1 {
                        st.day += 1;
                        1.0
                    } else {
                        st.day -= 1;
                        -1.0
                    }
                }
            };
            c.set_strategy(id, st);
            let (b0, c0) = (b.facility_books()[id], c.facility_books()[id]);
            b.step(91);
            c.step(91);
            let (b1, c1) = (b.facility_books()[id], c.facility_books()[id]);
            let m = |x0: consortium_sim::money::Ledger, x1: consortium_sim::money::Ledger| {
                let net = x1.net() - x0.net();
                let rev = x1.operating_revenue() - x0.operating_revenue();
                net as f64 / rev as f64
            };
            gains.push(up * (m(c0, c1) - m(b0, b1)));
        }
    }
    let n = gains.len() as f64;
    let mean = gains.iter().sum::<f64>() / n;
    let sd = (gains.iter().map(|g| (g - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
    println!("tier {tier} {part} +1 step: own margin {mean:+.4} (sd {sd:.4}, n {n})");
}
