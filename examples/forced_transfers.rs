//! Incentive signs from the books: the same region run for two years with learning, then
//! frozen and copied, and the copies run a third year either as they were or with tertiary
//! doctors proposing every recovering patient they can for a downward referral; what the
//! books show over that third year: the tertiary hospitals' margin and the whole
//! consortium's.
//! `cargo run --release --example forced_transfers -- [KEY=VALUE ...]`
use consortium_sim::tier::Tier;
use consortium_sim::{Params, Scenario, Simulation};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut s = Scenario::from_preset("status_quo").unwrap();
    s.years = 3;
    for kv in &args {
        let (k, v) = kv.split_once('=').expect("KEY=VALUE");
        s.set(k, v).unwrap();
    }
    for seed in 1..=3u64 {
        s.seed = seed;
        let mut out = Vec::new();
        let mut start = Simulation::with_params(s.clone(), Params::default()).unwrap();
        start.step(2 * 365);
        start.freeze_learning();
        for force in [false, true] {
            let mut sim = start.clone();
            if force {
                sim.set_referral_propensity(Tier::Tertiary, 1.0);
            }
            let before = sim.facility_books();
            sim.step(365);
            let after = sim.facility_books();
            let fs = sim.facility_states();
            let (mut t_net, mut t_rev, mut all_net, mut all_rev) = (0i64, 0i64, 0i64, 0i64);
            for i in 0..fs.len() {
                let net = after[i].net() - before[i].net();
                let rev = after[i].operating_revenue() - before[i].operating_revenue();
                if fs[i].tier == 2 {
                    t_net += net;
                    t_rev += rev;
                }
                all_net += net;
                all_rev += rev;
            }
            let mut lines = consortium_sim::money::Ledger::default();
            for i in 0..fs.len() {
                let mut d = after[i];
                let b = before[i];
                d.insurer -= b.insurer;
                d.oop -= b.oop;
                d.government -= b.government;
                d.pooled -= b.pooled;
                d.variable -= b.variable;
                d.staff -= b.staff;
                d.fixed -= b.fixed;
                d.other -= b.other;
                lines.add(&d);
            }
            if std::env::var("LINES").is_ok() {
                let m = |x: i64| x as f64 / 1e8;
                println!(
                    "  force {force}: insurer {:.3} oop {:.3} gov {:.3} | variable {:.3} staff {:.3} fixed {:.3} other {:.3} (M yuan)",
                    m(lines.insurer),
                    m(lines.oop),
                    m(lines.government),
                    m(lines.variable),
                    m(lines.staff),
                    m(lines.fixed),
                    m(lines.other)
                );
            }
            let sum = sim.summary();
            let down = sum.iter().find(|(n, _)| *n == "downward_from_tertiary_per_1000").unwrap().1;
            out.push((down, t_net as f64 / t_rev as f64, all_net as f64 / all_rev as f64));
        }
        println!(
            "seed {seed}: tertiary transfers {:.2} -> {:.2} per 1000; tertiary margin {:+.4} -> {:+.4}; consortium margin {:+.4} -> {:+.4}",
            out[0].0, out[1].0, out[0].1, out[1].1, out[0].2, out[1].2
        );
    }
}
