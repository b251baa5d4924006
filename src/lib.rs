//! # consortium-sim
//!
//! An agent-based model of a regional medical consortium (医联体) in China's tiered care
//! system (分级诊疗). Patients choose where to seek care, doctors decide to treat or refer,
//! hospitals adapt their cooperation from their finances, and the insurer pays by tier and
//! payment method. Policy levers change their incentives; the outputs show how referrals,
//! visit shares, waiting, spending and cooperation respond.
//!
//! The core has no JavaScript in it: the WebAssembly boundary lives in `wasm.rs`, compiled
//! only for `wasm32`, and the command line is a thin binary over the same core.
//!
//! **Determinism.** The same seed and crate version give bit-identical results natively and
//! in WebAssembly: one ChaCha8 stream per subsystem, integer days, agents in `Vec`s in id
//! order, money in integer fen, and every transcendental function through `libm`.
//!
//! ```
//! use consortium_sim::{Scenario, Simulation};
//! let mut scenario = Scenario::from_preset("status_quo").unwrap();
//! scenario.population = 5_000;
//! scenario.years = 1;
//! let mut sim = Simulation::new(scenario).unwrap();
//! sim.run();
//! let summary = sim.summary();
//! let primary = summary.iter().find(|(name, _)| *name == "primary_visit_share").unwrap().1;
//! assert!(primary > 0.0 && primary < 1.0);
//! ```
#![deny(missing_docs)]
// Loops over the three tiers index several parallel per-tier arrays at once; an index reads
// more plainly there than zipped iterators.
#![allow(clippy::needless_range_loop)]

mod billing;
mod care;
pub mod change;
pub mod commission;
pub mod consortium;
mod demand;
pub mod doctor;
pub mod ensemble;
pub mod error;
#[cfg(not(target_arch = "wasm32"))]
pub mod experiment;
pub mod facility_history;
pub mod flow_reasons;
pub mod hospital;
mod inpatient;
pub mod insurer;
#[doc(hidden)]
pub mod invariants;
pub mod levers;
pub mod logit;
mod lookahead;
pub mod metrics;
pub mod money;
mod month_end;
pub mod num;
pub mod observe;
pub mod params;
pub mod patient;
mod referral;
pub mod region;
pub mod report;
pub mod resident;
pub mod rng;
pub mod scenario;
pub mod scenario_file;
#[cfg(not(target_arch = "wasm32"))]
pub mod sensitivity;
pub mod sim;
pub mod strategy;
pub mod tier;
pub mod validation;
#[cfg(target_arch = "wasm32")]
pub mod wasm;

pub use error::SimError;
pub use levers::{LEVERS, LeverValue, Levers};
pub use metrics::OUTPUTS;
pub use observe::Books;
pub use params::Params;
pub use scenario::{PRESETS, Scenario};
pub use sim::Simulation;

/// The model version, reported with every output so a result can be re-run exactly.
pub const MODEL_VERSION: &str = env!("CARGO_PKG_VERSION");
