//! Incentive signs from the books, the experiment of `tests/mechanism.rs`: a region run for
//! two years with learning, then frozen with every primary centre accepting every transfer,
//! and copied; the copies run a third year either as they were or with tertiary doctors
//! proposing every recovering inpatient for a downward transfer. Prints, per seed and as a
//! mean over seeds with its standard error, what forcing did over that year to tertiary
//! downward transfers, the tertiary hospitals' margin and the whole consortium's net result.
//!
//! `SEEDS=24 cargo run --release --example forced_transfers -- [KEY=VALUE ...]`
use consortium_sim::tier::Tier;
use consortium_sim::{Scenario, Simulation};

/// Over the third year: tertiary downward transfers per 1,000 residents, the tertiary
/// margin, the consortium's net result in million yuan.
fn third_year(start: &Simulation, force: bool) -> [f64; 3] {
    let mut sim = start.clone();
    if force {
        sim.force_transfer_proposals(Tier::Tertiary, 1.0);
    }
    let before = sim.facility_books();
    sim.step(365);
    let (by_tier, all) = sim.books_since(&before);
    let tertiary = &by_tier[Tier::Tertiary];
    let transfers = sim.summary().iter().find(|(n, _)| *n == "downward_from_tertiary_per_1000").unwrap().1;
    [transfers, tertiary.margin(), consortium_sim::money::fen_as_f64(all.net()) / 1e8]
}

fn main() {
    let mut scenario = Scenario::from_preset("status_quo").unwrap();
    scenario.years = 3;
    for kv in std::env::args().skip(1) {
        let (k, v) = kv.split_once('=').expect("arguments are KEY=VALUE");
        scenario.set(k, v).unwrap_or_else(|e| panic!("{e}"));
    }
    let seeds: u64 = std::env::var("SEEDS").ok().and_then(|v| v.parse().ok()).unwrap_or(3);
    let mut changes: Vec<[f64; 3]> = Vec::new();
    for seed in 1..=seeds {
        scenario.seed = seed;
        let mut start = Simulation::new(scenario.clone()).unwrap();
        start.step(2 * 365);
        start.freeze_learning();
        start.set_full_cooperation(Tier::Primary);
        let [usual, forced] = [false, true].map(|force| third_year(&start, force));
        println!(
            "seed {seed}: tertiary transfers {:.2} -> {:.2} per 1,000; tertiary margin {:+.4} -> {:+.4}; consortium net {:+.3} -> {:+.3} M yuan",
            usual[0], forced[0], usual[1], forced[1], usual[2], forced[2]
        );
        changes.push([0, 1, 2].map(|i| forced[i] - usual[i]));
    }
    let n = consortium_sim::num::count(changes.len());
    let names = ["tertiary transfers per 1,000", "tertiary margin", "consortium net, M yuan a year"];
    for (i, name) in names.iter().enumerate() {
        let mean = changes.iter().map(|c| c[i]).sum::<f64>() / n;
        let var = changes.iter().map(|c| (c[i] - mean).powi(2)).sum::<f64>() / (n - 1.0).max(1.0);
        println!("{name}, forced - usual: {mean:+.4} (s.e. {:.4}, {n} seeds)", (var / n).sqrt());
    }
}
