//! Prints per-facility state after a run, and the mean strategy by tier each half year: a
//! calibration aid for developers.
//! `cargo run --release --example inspect -- [preset] [years] [seed] [KEY=VALUE ...]`
use consortium_sim::{Scenario, Simulation};
fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut s = Scenario::from_preset(args.first().map(String::as_str).unwrap_or("status_quo")).unwrap();
    s.years = args.get(1).and_then(|x| x.parse().ok()).unwrap_or(5);
    s.seed = args.get(2).and_then(|x| x.parse().ok()).unwrap_or(1);
    for kv in args.iter().skip(3) {
        let (k, v) = kv.split_once('=').expect("KEY=VALUE");
        s.set(k, v).unwrap();
    }
    let mut sim = Simulation::new(s.clone()).unwrap();
    for half in 0..s.years * 2 {
        sim.step(182 + half % 2);
        let fs = sim.facility_states();
        let mut line = format!("month {:3}:", (half + 1) * 6);
        for tier in 0..3u8 {
            let of: Vec<_> = fs.iter().filter(|f| f.tier == tier).collect();
            let n = consortium_sim::num::count(of.len());
            let mean = |g: &dyn Fn(&&consortium_sim::sim::FacilityState) -> f64| of.iter().map(g).sum::<f64>() / n;
            line += &format!(
                "  t{tier} coop {:.2} case {:+.2} day {:+.2} inv {:.2} margin {:+.3}",
                mean(&|f| f.cooperation),
                mean(&|f| f64::from(f.case_stance)),
                mean(&|f| f64::from(f.day_stance)),
                mean(&|f| f64::from(u8::from(f.invests))),
                mean(&|f| f.margin)
            );
        }
        println!("{line}");
    }
    for (i, f) in sim.facility_states().iter().enumerate() {
        println!(
            "{i:3} tier {} doctors {:3} beds {:4} occ {:4} queue {:4} wait {:5.2} coop {:.2} case {:+} day {:+} inv {} cap {:.2} margin {:+.3}",
            f.tier,
            f.doctors,
            f.beds,
            f.occupied,
            f.bed_queue,
            f.visit_wait,
            f.cooperation,
            f.case_stance,
            f.day_stance,
            u8::from(f.invests),
            f.capability,
            f.margin
        );
    }
    let mut tiers = [consortium_sim::money::Ledger::default(); 3];
    for (f, l) in sim.facility_states().iter().zip(sim.facility_books()) {
        tiers[usize::from(f.tier)].add(&l);
    }
    for (t, l) in tiers.iter().enumerate() {
        let y = |x: i64| consortium_sim::money::yuan(x) / f64::from(s.years) / 1e6;
        println!(
            "tier {t} per year (M yuan): insurer {:7.2} oop {:7.2} gov {:6.2} pooled {:6.2} | variable {:7.2} staff {:7.2} fixed {:7.2} other {:6.2} | net {:7.2} margin {:+.3}",
            y(l.insurer),
            y(l.oop),
            y(l.government),
            y(l.pooled),
            y(l.variable),
            y(l.staff),
            y(l.fixed),
            y(l.other),
            y(l.net()),
            l.margin()
        );
    }
    let fs = sim.facility_states();
    let mut prop = [(0.0, 0.0); 3];
    for (f, p, _) in sim.doctor_states() {
        let t = usize::from(fs[f].tier);
        prop[t].0 += p;
        prop[t].1 += 1.0;
    }
    println!(
        "doctors' mean propensity to refer (up at primary, down at hospitals): {:.3} {:.3} {:.3}",
        prop[0].0 / prop[0].1,
        prop[1].0 / prop[1].1,
        prop[2].0 / prop[2].1
    );
}
