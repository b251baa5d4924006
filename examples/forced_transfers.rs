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
    let seeds: u64 = std::env::var("SEEDS").ok().and_then(|v| v.parse().ok()).unwrap_or(3);
    let mut diffs = Vec::new();
    for seed in 1..=seeds {
        s.seed = seed;
        let mut out = Vec::new();
        let mut start = Simulation::with_params(s.clone(), Params::default()).unwrap();
        start.step(2 * 365);
        start.freeze_learning();
        for force in [false, true] {
            let mut sim = start.clone();
            if force {
                sim.force_transfer_proposals(Tier::Tertiary, 1.0);
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
            let sum_now = sim.summary();
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
                let get = |n: &str| sum_now.iter().find(|(k, _)| *k == n).unwrap().1;
                println!(
                    "  force {force}: tertiary occupancy {:.3}, admissions/resident {:.4}, tertiary share {:.3}, primary occupancy {:.3}",
                    get("occupancy_tertiary"),
                    get("admissions_per_resident"),
                    get("tertiary_admission_share"),
                    get("occupancy_primary")
                );
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
            out.push((down, t_net as f64 / t_rev as f64, all_net as f64 / all_rev as f64, all_net as f64 / 1e8));
        }
        println!(
            "seed {seed}: tertiary transfers {:.2} -> {:.2} per 1000; tertiary margin {:+.4} -> {:+.4}; consortium margin {:+.4} -> {:+.4}",
            out[0].0, out[1].0, out[0].1, out[1].1, out[0].2, out[1].2
        );
        diffs.push(out[1].3 - out[0].3);
    }
    let n = diffs.len() as f64;
    let mean = diffs.iter().sum::<f64>() / n;
    let sd = (diffs.iter().map(|d| (d - mean).powi(2)).sum::<f64>() / (n - 1.0).max(1.0)).sqrt();
    println!("consortium net, forced - usual: {mean:+.3} M yuan a year (s.e. {:.3}, {n} seeds)", sd / n.sqrt());
}
