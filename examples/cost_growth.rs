//! How the cost of a run grows with residents, years and facilities: runs one `status_quo`
//! region and prints its size and the wall time of the run (the region's construction
//! excluded). The facility count is scaled by dividing `residents_per_facility` by a factor.
//!
//! ```text
//! cargo run --release --example cost_growth -- POPULATION YEARS FACILITY_FACTOR
//! cargo run --release --example cost_growth -- 100000 1 4     # four times the facilities
//! ```
//!
//! Wall time on a shared machine is noisy; for a repeatable figure count instructions
//! (docs/PERFORMANCE.md shows the command):
//! `valgrind --tool=callgrind --toggle-collect='consortium_sim::sim::Simulation::step' \
//!  target/release/examples/cost_growth 100000 1 1`

use consortium_sim::{Params, Scenario, Simulation};
use std::time::Instant;

fn arg<T: std::str::FromStr>(args: &[String], i: usize, name: &str, default: T) -> T {
    match args.get(i) {
        None => default,
        Some(s) => s.parse().unwrap_or_else(|_| {
            eprintln!("cost_growth: {name} must be a number, got '{s}'");
            std::process::exit(2)
        }),
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let population: u32 = arg(&args, 0, "POPULATION", 100_000);
    let years: u32 = arg(&args, 1, "YEARS", 1);
    let facility_factor: f64 = arg(&args, 2, "FACILITY_FACTOR", 1.0);
    let mut scenario = Scenario::from_preset("status_quo").expect("status_quo is a preset");
    scenario.population = population;
    scenario.years = years;
    let mut params = Params::default();
    for r in &mut params.residents_per_facility {
        *r /= facility_factor;
    }
    let mut sim = Simulation::with_params(scenario, params).unwrap_or_else(|e| {
        eprintln!("cost_growth: {e}");
        std::process::exit(2)
    });
    let start = Instant::now();
    sim.run();
    let seconds = start.elapsed().as_secs_f64();
    let contacts: u64 = sim.history().iter().map(|d| u64::from(d.episodes)).sum();
    println!(
        "residents {population}, years {years}, facilities {}, episodes {contacts}: run {seconds:.3} s",
        sim.facility_states().len()
    );
}
