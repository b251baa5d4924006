//! Peak memory of a run: builds a `status_quo` region and runs it, then reads the process's
//! peak resident set size (`VmHWM` in `/proc/self/status`, Linux only) and divides it by the
//! residents. Everything the process holds counts: the model's state, its daily history and
//! the program itself, so this is an upper bound on the model's own bytes per resident.
//!
//! Run it in a process of its own (a peak cannot be reset):
//! `cargo bench --bench memory -- --population 1000000 --years 1`

use consortium_sim::{Scenario, Simulation};

fn vm_hwm_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// A number of bytes as `f64`.
#[allow(clippy::cast_precision_loss, reason = "bytes of memory, far below 2^53")]
fn bytes(n: u64) -> f64 {
    n as f64
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let value = |key: &str, default: u32| {
        args.iter()
            .position(|a| a == key)
            .and_then(|i| args.get(i + 1))
            .map_or(default, |v| v.parse().unwrap_or_else(|_| panic!("{key} takes a number")))
    };
    let mut scenario = Scenario::from_preset("status_quo").expect("status_quo is a preset");
    scenario.population = value("--population", 1_000_000);
    scenario.years = value("--years", 1);
    let before = vm_hwm_bytes();
    let mut sim = Simulation::new(scenario.clone()).expect("a valid scenario");
    sim.run();
    std::hint::black_box(sim.summary());
    let Some(peak) = vm_hwm_bytes() else {
        println!("memory: VmHWM is not available on this system");
        return;
    };
    let per_resident = bytes(peak) / f64::from(scenario.population);
    println!(
        "memory: {} residents, {} years: peak RSS {:.1} MB ({:.1} MB before the model), {:.1} bytes per resident",
        scenario.population,
        scenario.years,
        bytes(peak) / 1e6,
        bytes(before.unwrap_or(0)) / 1e6,
        per_resident
    );
    if let Some(i) = args.iter().position(|a| a == "--json") {
        let json = format!(
            "{{\"population\":{},\"years\":{},\"peak_rss_bytes\":{},\"bytes_per_resident\":{:.2}}}\n",
            scenario.population, scenario.years, peak, per_resident
        );
        std::fs::write(&args[i + 1], json).expect("write the --json file");
    }
}
