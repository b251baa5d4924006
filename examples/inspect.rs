//! Prints per-facility state after a run: a calibration aid for developers.
//! `cargo run --release --example inspect [preset]`
use consortium_sim::{Scenario, Simulation};
fn main() {
    let mut s = Scenario::from_preset(&std::env::args().nth(1).unwrap_or("status_quo".into())).unwrap();
    s.years = 3;
    let mut sim = Simulation::new(s).unwrap();
    sim.run();
    for (i, f) in sim.facility_states().iter().enumerate() {
        println!(
            "{i:3} tier {} doctors {:3} beds {:4} occ {:4} queue {:4} wait {:5.2} coop {:.2} cap {:.2} margin {:6.3}",
            f.tier, f.doctors, f.beds, f.occupied, f.bed_queue, f.visit_wait, f.cooperation, f.capability, f.margin
        );
    }
}
