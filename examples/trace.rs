//! Calibration probe: one facility's month-by-month margin, strategy and attractions.
//! `cargo run --release --example trace -- FACILITY [preset] [years] [seed] [KEY=VALUE ...]`
use consortium_sim::{Scenario, Simulation};
fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let id: usize = args[0].parse().unwrap();
    let mut s = Scenario::from_preset(args.get(1).map(String::as_str).unwrap_or("status_quo")).unwrap();
    s.years = args.get(2).and_then(|x| x.parse().ok()).unwrap_or(3);
    s.seed = args.get(3).and_then(|x| x.parse().ok()).unwrap_or(1);
    for kv in args.iter().skip(4) {
        let (k, v) = kv.split_once('=').expect("KEY=VALUE");
        s.set(k, v).unwrap();
    }
    let mut sim = Simulation::new(s.clone()).unwrap();
    for m in 0..s.years * 12 {
        let target = (m + 1) * 365 / 12;
        sim.step(target - sim.day());
        let l = sim.learner(id);
        let st = l.strategy;
        println!(
            "m{:3} margin {:+.3} smoothed {:+.3} level {} case {:+} day {:+} inv {} trial {} record {:?}",
            m + 1,
            sim.facility_states()[id].margin,
            l.smoothed_margin,
            st.level,
            st.case,
            st.day,
            u8::from(st.invest),
            l.trial.map_or("-".to_string(), |t| format!("{}m from {:+.3}", t.months, t.baseline)),
            l.record
        );
    }
}
