//! Path dependence, measured: long-run cooperation against initial cooperation over a grid
//! of payment methods and integration levels.
//!
//! Every cell of the grid runs the same seeds twice, once with every facility starting at no
//! cooperation (`cooperation_initial` = 0) and once at full cooperation (= 1), and reads the
//! cooperation of each tier over the last simulated year. Where the two starts end in the
//! same place the cell has one outcome; where they still differ by more than two standard
//! errors of the paired difference (and by at least 0.1) the outcome depends on history.
//! The gap is also read halfway through the run: a gap that holds or grows is lock-in, one
//! that shrinks or reverses is slow convergence or drift.
//!
//! `cargo run --release --example hysteresis -- [--seeds N] [--years Y] [--population P] [--markdown]`
//!
//! `--markdown` prints the section of `docs/VALIDATION.md` (`scripts/validation-doc.sh`
//! appends it); otherwise a plain table.

use consortium_sim::{Params, Scenario, Simulation};
use std::sync::Mutex;

const PAYMENTS: [&str; 4] = ["fee_for_service", "global_budget", "capitation", "drg"];
const INTEGRATIONS: [&str; 3] = ["loose", "semi_close", "close"];
const TIERS: [&str; 3] = ["primary", "secondary", "tertiary"];
/// The starting cooperation of the two runs of a pair.
const STARTS: [f64; 2] = [0.0, 1.0];

struct Setup {
    seeds: u64,
    years: u32,
    population: u32,
    markdown: bool,
}

fn setup() -> Setup {
    let mut s = Setup { seeds: 5, years: 12, population: 100_000, markdown: false };
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let mut value = |name: &str| -> u64 {
            let v = args.next().unwrap_or_else(|| panic!("{name} needs a value"));
            v.parse().unwrap_or_else(|_| panic!("{name}: a whole number, not {v:?}"))
        };
        match flag.as_str() {
            "--seeds" => s.seeds = value("--seeds"),
            "--years" => s.years = u32::try_from(value("--years")).expect("--years: at most 4294967295"),
            "--population" => {
                s.population = u32::try_from(value("--population")).expect("--population: at most 4294967295")
            }
            "--markdown" => s.markdown = true,
            other => panic!("unknown option {other:?}: --seeds N, --years Y, --population P, --markdown"),
        }
    }
    s
}

/// Cooperation by tier over the year before the halfway point and over the last year of one
/// run: `[halfway, end]`.
fn run(setup: &Setup, payment: &str, integration: &str, start: f64, seed: u64) -> [[f64; 3]; 2] {
    let mut scenario = Scenario::from_preset("status_quo").unwrap();
    scenario.population = setup.population;
    scenario.years = setup.years;
    scenario.seed = seed;
    scenario.set("payment_method", payment).unwrap();
    scenario.set("integration", integration).unwrap();
    let params = Params { cooperation_initial: start, ..Params::default() };
    let mut sim = Simulation::with_params(scenario, params).unwrap();
    sim.run();
    let days = sim.history();
    let year_ending = |end: usize| {
        let year = &days[end - 365..end];
        [0, 1, 2].map(|t| year.iter().map(|d| d.cooperation[t]).sum::<f64>() / 365.0)
    };
    [year_ending(days.len() / 2), year_ending(days.len())]
}

/// One cell: per tier, the mean long-run cooperation from each start and the paired
/// difference (high start minus low) with its standard error; and the difference halfway.
struct Cell {
    from: [[f64; 3]; 2],
    difference: [f64; 3],
    se: [f64; 3],
    halfway: [f64; 3],
}

impl Cell {
    fn depends_on_history(&self, tier: usize) -> bool {
        self.difference[tier].abs() >= 0.1 && self.difference[tier].abs() > 2.0 * self.se[tier]
    }

    /// How the gap between the two starts moved from halfway to the end: "grew", "held"
    /// (within a quarter), "shrank", or "reversed" (changed sign).
    fn trend(&self, tier: usize) -> &'static str {
        let (half, end) = (self.halfway[tier], self.difference[tier]);
        if half * end < 0.0 {
            "reversed"
        } else if end.abs() > 1.25 * half.abs() {
            "grew"
        } else if end.abs() >= 0.75 * half.abs() {
            "held"
        } else {
            "shrank"
        }
    }
}

/// `runs[seed][start][time][tier]`, time 0 halfway and 1 at the end.
fn cell(runs: &[[[[f64; 3]; 2]; 2]]) -> Cell {
    let n = consortium_sim::num::count(runs.len());
    let mut c = Cell { from: [[0.0; 3]; 2], difference: [0.0; 3], se: [0.0; 3], halfway: [0.0; 3] };
    for t in 0..3 {
        for s in 0..2 {
            c.from[s][t] = runs.iter().map(|r| r[s][1][t]).sum::<f64>() / n;
        }
        let d: Vec<f64> = runs.iter().map(|r| r[1][1][t] - r[0][1][t]).collect();
        let mean = d.iter().sum::<f64>() / n;
        let var = d.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0).max(1.0);
        c.difference[t] = mean;
        c.se[t] = (var / n).sqrt();
        c.halfway[t] = runs.iter().map(|r| r[1][0][t] - r[0][0][t]).sum::<f64>() / n;
    }
    c
}

fn main() {
    let setup = setup();
    // Every run of the grid, as (payment, integration, seed) jobs shared out over the cores.
    let jobs: Vec<(usize, usize, u64)> = (0..PAYMENTS.len())
        .flat_map(|p| (0..INTEGRATIONS.len()).flat_map(move |i| (1..=setup.seeds).map(move |s| (p, i, s))))
        .collect();
    let next = Mutex::new(0usize);
    let results = Mutex::new(vec![[[[0.0; 3]; 2]; 2]; jobs.len()]);
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                loop {
                    let j = {
                        let mut n = next.lock().unwrap();
                        *n += 1;
                        *n - 1
                    };
                    let Some(&(p, i, seed)) = jobs.get(j) else { break };
                    let pair = STARTS.map(|start| run(&setup, PAYMENTS[p], INTEGRATIONS[i], start, seed));
                    results.lock().unwrap()[j] = pair;
                }
            });
        }
    });
    let results = results.into_inner().unwrap();
    let per_cell = usize::try_from(setup.seeds).expect("--seeds: a number of runs held in memory");
    let cells: Vec<Cell> = results.chunks(per_cell).map(cell).collect();
    if setup.markdown {
        print_markdown(&setup, &cells);
    } else {
        println!("payment          integration tier       from 0  from 1  difference (se)  halfway  outcome");
        for (k, c) in cells.iter().enumerate() {
            for (t, tier) in TIERS.iter().enumerate() {
                println!(
                    "{:16} {:11} {:10} {:6.3}  {:6.3}  {:+.3} ({:.3})  {:+.3}   {}",
                    PAYMENTS[k / 3],
                    INTEGRATIONS[k % 3],
                    tier,
                    c.from[0][t],
                    c.from[1][t],
                    c.difference[t],
                    c.se[t],
                    c.halfway[t],
                    if c.depends_on_history(t) {
                        format!("depends on history (gap {})", c.trend(t))
                    } else {
                        "one outcome".into()
                    }
                );
            }
        }
    }
}

fn print_markdown(setup: &Setup, cells: &[Cell]) {
    let history: usize = cells.iter().map(|c| (0..3).filter(|&t| c.depends_on_history(t)).count()).sum();
    println!("\n## Path dependence: long-run cooperation against initial cooperation\n");
    println!(
        "Generated by `cargo run --release --example hysteresis -- --seeds {} --years {} --population {} --markdown`.\n",
        setup.seeds, setup.years, setup.population
    );
    println!(
        "Each cell runs `status_quo` with the payment method and integration shown, every facility starting at no \
         cooperation (`--param cooperation_initial=0`) or at full cooperation (`=1`), the same {} seeds each, for {} \
         years, and reads each tier's cooperation over the last year. A tier's outcome *depends on history* when the \
         two starts still differ by at least 0.1 and by more than two standard errors of the paired difference; \
         otherwise the cell has *one outcome*. The paired difference is also given halfway through the run, and for a tier that depends \
         on history, how the gap moved since: grew, held (within a quarter), shrank or reversed. {} of {} \
         tier-cells depend on history.\n",
        setup.seeds,
        setup.years,
        history,
        cells.len() * 3
    );
    let by_tier: Vec<usize> = (0..3).map(|t| cells.iter().filter(|c| c.depends_on_history(t)).count()).collect();
    println!(
        "By tier, the cells whose outcome depends on history: primary {} of {n}, secondary {} of {n}, tertiary {} of {n}. \
         Long-run primary cooperation by integration (mean over payment methods and both starts): {}.\n",
        by_tier[0],
        by_tier[1],
        by_tier[2],
        INTEGRATIONS
            .iter()
            .enumerate()
            .map(|(i, name)| {
                let mean = cells.iter().skip(i).step_by(3).map(|c| (c.from[0][0] + c.from[1][0]) / 2.0).sum::<f64>()
                    / consortium_sim::num::count(PAYMENTS.len());
                format!("{name} {mean:.2}")
            })
            .collect::<Vec<_>>()
            .join(", "),
        n = cells.len()
    );
    println!(
        "The evolutionary-game papers find two stable states, all cooperate or all defect, so that the outcome depends \
         on the initial shares (`research/domain-evidence.md` 1.2, G3 and G9), and revenue thresholds beyond which a \
         hospital's stance does not depend on the other side (G4). Their payoffs are illustrative, not calibrated; \
         `docs/MODEL.md` (path dependence) discusses what this map shows against them.\n"
    );
    println!(
        "| payment | integration | primary: from 0 → from 1 | secondary: from 0 → from 1 | tertiary: from 0 → from 1 |"
    );
    println!("|---|---|---|---|---|");
    for (k, c) in cells.iter().enumerate() {
        let tier = |t: usize| {
            format!(
                "{:.2} → {:.2} ({:+.2} ± {:.2}; halfway {:+.2}){}",
                c.from[0][t],
                c.from[1][t],
                c.difference[t],
                2.0 * c.se[t],
                c.halfway[t],
                if c.depends_on_history(t) { format!(" **history, gap {}**", c.trend(t)) } else { String::new() }
            )
        };
        println!("| {} | {} | {} | {} | {} |", PAYMENTS[k / 3], INTEGRATIONS[k % 3], tier(0), tier(1), tier(2));
    }
}
