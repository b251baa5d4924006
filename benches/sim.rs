//! Native benchmarks of the simulation core: building a region, one simulated day, and a
//! whole simulated year of `status_quo`, at 100,000 and 1,000,000 residents.
//!
//! The standard bench harness is unstable, so this is a plain `main` (`harness = false`):
//!
//! ```text
//! cargo bench --bench sim                      # 100,000 and 1,000,000 residents
//! cargo bench --bench sim -- --quick           # fewer repetitions
//! cargo bench --bench sim -- --population 250000 --json /tmp/native.json
//! ```
//!
//! Each figure is the median over repetitions (the minimum is printed too): the machines this
//! runs on are shared, so single timings are noisy. The populations are run in turn, round
//! after round, and the scaling ratio is the median over rounds of the large run's time over
//! the small run's made just before it. "year" is what
//! `consortium-sim run --population N --years 1` does: build the region, then run 365 days.
//! "day" times every `step(1)` of that year separately: the mean, the median and the slowest
//! day (a month's end does more work than other days). "cpu" is the same year's processor
//! time of this thread (from `/proc/thread-self/schedstat`, Linux): on a machine shared with
//! other work it is closer to what the run costs than the wall-clock time.

use consortium_sim::{Scenario, Simulation};
use std::hint::black_box;
use std::time::Instant;

struct Figures {
    population: u32,
    init_s: Vec<f64>,
    year_s: Vec<f64>,
    cpu_s: Vec<f64>,
    day_mean_ms: Vec<f64>,
    day_median_ms: Vec<f64>,
    day_max_ms: Vec<f64>,
}

fn scenario(population: u32) -> Scenario {
    let mut s = Scenario::from_preset("status_quo").expect("status_quo is a preset");
    s.population = population;
    s.years = 1;
    s
}

/// What is reported of one population: medians over repetitions (and the fastest year).
struct Medians {
    year_s: f64,
    year_min_s: f64,
    cpu_s: f64,
    init_s: f64,
    day_mean_ms: f64,
    day_median_ms: f64,
    day_max_ms: f64,
    runs: usize,
}

impl Figures {
    fn medians(&self) -> Medians {
        Medians {
            year_s: median(&self.year_s),
            year_min_s: min(&self.year_s),
            cpu_s: median(&self.cpu_s),
            init_s: median(&self.init_s),
            day_mean_ms: median(&self.day_mean_ms),
            day_median_ms: median(&self.day_median_ms),
            day_max_ms: median(&self.day_max_ms),
            runs: self.year_s.len(),
        }
    }
}

fn median(v: &[f64]) -> f64 {
    let mut s = v.to_vec();
    s.sort_by(f64::total_cmp);
    let n = s.len();
    if n % 2 == 1 { s[n / 2] } else { 0.5 * (s[n / 2 - 1] + s[n / 2]) }
}

fn min(v: &[f64]) -> f64 {
    v.iter().copied().fold(f64::INFINITY, f64::min)
}

/// Processor time of this thread in seconds (Linux; `None` elsewhere).
fn cpu_time() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns: u64 = s.split_whitespace().next()?.parse().ok()?;
    #[allow(clippy::cast_precision_loss, reason = "a process's nanoseconds, far below 2^53 (104 days)")]
    let seconds = ns as f64 * 1e-9;
    Some(seconds)
}

/// One repetition: build, then step day by day, timing each part.
fn once(population: u32, f: &mut Figures) {
    let cpu = cpu_time();
    let start = Instant::now();
    let mut sim = Simulation::new(scenario(population)).expect("a valid scenario");
    let built = start.elapsed().as_secs_f64();
    let mut days = Vec::with_capacity(365);
    while !sim.finished() {
        let t = Instant::now();
        sim.step(1);
        days.push(t.elapsed().as_secs_f64() * 1e3);
    }
    let total = start.elapsed().as_secs_f64();
    black_box(sim.summary());
    f.cpu_s.push(cpu.zip(cpu_time()).map_or(total, |(a, b)| b - a));
    f.init_s.push(built);
    f.year_s.push(total);
    f.day_mean_ms.push(days.iter().sum::<f64>() / consortium_sim::num::count(days.len()));
    f.day_median_ms.push(median(&days));
    f.day_max_ms.push(days.iter().copied().fold(0.0, f64::max));
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let quick = args.iter().any(|a| a == "--quick");
    let mut populations = Vec::new();
    let mut json = None;
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            "--population" => {
                populations.push(args[i + 1].parse::<u32>().expect("--population takes a number"));
                i += 1;
            }
            "--json" => {
                json = Some(args[i + 1].clone());
                i += 1;
            }
            _ => {} // cargo passes --bench; filters are not used
        }
        i += 1;
    }
    if populations.is_empty() {
        populations = vec![100_000, 1_000_000];
    }
    let reps = |population: u32| match (quick, population) {
        (true, p) if p >= 500_000 => 2,
        (true, _) => 3,
        (false, p) if p >= 500_000 => 5,
        (false, _) => 9,
    };
    let mut all: Vec<Figures> = populations.iter().map(|&p| empty(p)).collect();
    for &population in &populations {
        once(population, &mut empty(population)); // warm-up: page faults, caches, CPU clock
    }
    // Round robin over the populations: the host's speed drifts over minutes, so the runs
    // that the scaling ratio compares are made one right after the other.
    let rounds = populations.iter().map(|&p| reps(p)).max().unwrap_or(0);
    for round in 0..rounds {
        for f in all.iter_mut() {
            if round < reps(f.population) {
                once(f.population, f);
            }
        }
    }
    for f in &all {
        let m = f.medians();
        println!(
            "{:>9} residents: year {:.3} s (min {:.3}, cpu {:.3}), build {:.3} s, day mean {:.3} ms, median {:.3} ms, max {:.3} ms  [{} runs]",
            f.population,
            m.year_s,
            m.year_min_s,
            m.cpu_s,
            m.init_s,
            m.day_mean_ms,
            m.day_median_ms,
            m.day_max_ms,
            m.runs
        );
    }
    let scaling = (all.len() >= 2).then(|| {
        let (small, large) = (&all[0], &all[all.len() - 1]);
        // Each large run over the small run made just before it.
        let pairs: Vec<f64> = small.year_s.iter().zip(&large.year_s).map(|(s, l)| l / s).collect();
        let ratio = median(&pairs);
        println!(
            "scaling: {} -> {} residents: year x{:.2} for x{:.1} residents (median of {} paired runs)",
            small.population,
            large.population,
            ratio,
            f64::from(large.population) / f64::from(small.population),
            pairs.len()
        );
        ratio
    });
    if let Some(path) = json {
        let rows: Vec<String> = all
            .iter()
            .map(|f| {
                let m = f.medians();
                format!(
                    "{{\"population\":{},\"year_s\":{:.5},\"year_min_s\":{:.5},\"cpu_s\":{:.5},\"init_s\":{:.5},\"day_mean_ms\":{:.5},\"day_median_ms\":{:.5},\"day_max_ms\":{:.5},\"runs\":{}}}",
                    f.population, m.year_s, m.year_min_s, m.cpu_s, m.init_s, m.day_mean_ms, m.day_median_ms, m.day_max_ms, m.runs
                )
            })
            .collect();
        let scaling = scaling.map_or("null".to_string(), |r| format!("{r:.5}"));
        std::fs::write(&path, format!("{{\"populations\":[{}],\"scaling\":{scaling}}}\n", rows.join(",")))
            .expect("write the --json file");
    }
}

fn empty(population: u32) -> Figures {
    Figures {
        population,
        init_s: vec![],
        year_s: vec![],
        cpu_s: vec![],
        day_mean_ms: vec![],
        day_median_ms: vec![],
        day_max_ms: vec![],
    }
}
