//! The patterns the model must reproduce: the brief's baseline table and its eight
//! policy-response directions, as data. The calibration and policy tests check them, and
//! the developer examples print them, from this one definition.

use crate::error::SimError;
use crate::num::{count, trunc_usize};
use crate::report::{self, Report};
use crate::scenario::Scenario;

/// One stylized fact of the baseline: an output's mean over seeds must lie in `[low, high]`.
#[derive(Debug, Clone, Copy)]
pub struct Target {
    /// The fact as the brief states it.
    pub fact: &'static str,
    /// The output that measures it.
    pub output: &'static str,
    /// Lowest acceptable value.
    pub low: f64,
    /// Highest acceptable value.
    pub high: f64,
}

/// The brief's table "What the baseline must reproduce" (status_quo, mean over seeds).
pub const BASELINE_TARGETS: &[Target] = &[
    Target { fact: "primary share of outpatient visits", output: "primary_visit_share", low: 0.50, high: 0.55 },
    Target { fact: "tertiary share of outpatient visits", output: "tertiary_visit_share", low: 0.20, high: 0.26 },
    Target { fact: "hospital share of admissions", output: "hospital_admission_share", low: 0.75, high: 0.85 },
    Target { fact: "tertiary share of admissions", output: "tertiary_admission_share", low: 0.33, high: 0.42 },
    Target { fact: "bed occupancy, tertiary", output: "occupancy_tertiary", low: 0.90, high: f64::INFINITY },
    Target { fact: "bed occupancy, secondary", output: "occupancy_secondary", low: 0.75, high: 0.90 },
    Target { fact: "bed occupancy, primary", output: "occupancy_primary", low: 0.45, high: 0.65 },
    Target {
        fact: "outpatient price per visit, tertiary over primary",
        output: "outpatient_price_ratio",
        low: 2.0,
        high: 2.5,
    },
    Target { fact: "upward to downward referral ratio", output: "up_down_ratio", low: 3.0, high: f64::INFINITY },
    Target {
        fact: "downward referrals under 2% of tertiary admissions",
        output: "downward_share_of_tertiary_admissions",
        low: 0.0,
        high: 0.02,
    },
    Target { fact: "trust in primary care", output: "trust_primary", low: 0.55, high: 0.68 },
    Target {
        fact: "primary doctors see more outpatients a day than tertiary doctors",
        output: "doctor_workload_ratio",
        low: 1.0,
        high: f64::INFINITY,
    },
    Target { fact: "insurer balance ratio", output: "insurer_balance_ratio", low: 1.0, high: 1.3 },
];

/// The value of a target's output in a summary; `doctor_workload_ratio` is primary over
/// tertiary visits per doctor-day.
pub fn target_value(summary: &[(&'static str, f64)], output: &str) -> f64 {
    let get = |name: &str| summary.iter().find(|(n, _)| *n == name).map(|(_, v)| *v).unwrap_or(f64::NAN);
    if output == "doctor_workload_ratio" {
        get("doctor_visits_per_day_primary") / get("doctor_visits_per_day_tertiary")
    } else {
        get(output)
    }
}

/// The expected response of one output to a policy change.
#[derive(Debug, Clone, Copy)]
pub struct Effect {
    /// The output.
    pub output: &'static str,
    /// +1 when the policy must raise it, -1 when it must lower it.
    pub sign: f64,
    /// The smallest mean change (in the output's units, in the expected direction) that
    /// counts as a plausible effect rather than noise.
    pub min_change: f64,
}

/// A policy change and the directions the evidence supports.
#[derive(Debug, Clone, Copy)]
pub struct Direction {
    /// Number in the brief's list.
    pub number: u8,
    /// What the brief says.
    pub claim: &'static str,
    /// Lever changes from status_quo.
    pub changes: &'static [(&'static str, &'static str)],
    /// The expected effects.
    pub effects: &'static [Effect],
}

const fn up(output: &'static str, min_change: f64) -> Effect {
    Effect { output, sign: 1.0, min_change }
}

const fn down(output: &'static str, min_change: f64) -> Effect {
    Effect { output, sign: -1.0, min_change }
}

/// The brief's eight directions, each as a concrete change against status_quo. Minimum
/// sizes are about half of what the calibrated model gives over ten seeds, so a test fails
/// when an effect collapses, not when it wobbles.
pub const POLICY_DIRECTIONS: &[Direction] = &[
    Direction {
        number: 1,
        claim: "widening the reimbursement gap in favour of primary care raises the primary share of visits",
        changes: &[("reimbursement_primary", "0.95"), ("reimbursement_tertiary", "0.4")],
        effects: &[up("primary_visit_share", 0.004)],
    },
    Direction {
        number: 2,
        claim: "raising primary capability raises the primary share and trust in primary care",
        changes: &[("primary_investment", "150")],
        effects: &[up("primary_visit_share", 0.008), up("trust_primary", 0.025)],
    },
    Direction {
        number: 3,
        claim: "strict gatekeeping raises the primary share strongly and lowers tertiary visits",
        changes: &[("gatekeeping", "strict")],
        effects: &[up("primary_visit_share", 0.02), down("tertiary_visit_share", 0.008)],
    },
    Direction {
        number: 4,
        claim: "more family-doctor coverage raises the primary share and trust, and lowers self-referral to tertiary care",
        changes: &[("family_doctor_coverage", "0.8")],
        effects: &[
            up("primary_visit_share", 0.02),
            up("trust_primary", 0.01),
            down("tertiary_self_referrals_per_1000", 40.0),
        ],
    },
    Direction {
        number: 5,
        claim: "close integration with a global budget raises downward referrals and the cooperation index",
        changes: &[("integration", "close"), ("payment_method", "global_budget")],
        effects: &[up("downward_referrals_per_1000", 4.0), up("cooperation_index", 0.05)],
    },
    Direction {
        number: 6,
        claim: "a global budget lowers spending per capita compared with fee-for-service",
        changes: &[("payment_method", "global_budget")],
        effects: &[down("spending_per_capita", 150.0)],
    },
    Direction {
        number: 6,
        claim: "capitation lowers spending per capita compared with fee-for-service",
        changes: &[("payment_method", "capitation")],
        effects: &[down("spending_per_capita", 100.0)],
    },
    Direction {
        number: 7,
        claim: "a higher awareness campaign raises the primary share and the acceptance of downward referral",
        changes: &[("awareness_campaign", "0.9")],
        effects: &[up("primary_visit_share", 0.007), up("downward_acceptance", 0.024)],
    },
    Direction {
        number: 8,
        claim: "a higher referral bonus raises downward referrals",
        changes: &[("referral_bonus", "300")],
        effects: &[up("downward_referrals_per_1000", 1.4)],
    },
];

/// The measured response of one output: paired differences (policy minus baseline, same
/// seed) per seed.
#[derive(Debug, Clone)]
pub struct Measured {
    /// The expectation.
    pub effect: Effect,
    /// Mean over seeds of the baseline.
    pub baseline: f64,
    /// Mean over seeds under the policy.
    pub policy: f64,
    /// Paired differences, one per seed.
    pub differences: Vec<f64>,
}

impl Measured {
    /// Mean paired difference.
    pub fn mean(&self) -> f64 {
        self.differences.iter().sum::<f64>() / count(self.differences.len())
    }

    /// The standard error of the mean paired difference (0 with fewer than two seeds).
    pub fn standard_error(&self) -> f64 {
        let n = count(self.differences.len());
        if n < 2.0 {
            return 0.0;
        }
        let mean = self.mean();
        let var = self.differences.iter().map(|d| (d - mean) * (d - mean)).sum::<f64>() / (n - 1.0);
        (var / n).sqrt()
    }

    /// Whether the policy moves the output the expected way: the mean paired change has the
    /// expected sign and at least the minimum size, and stands at least two standard errors
    /// from zero. Facilities and doctors learn from realised, noisy books, so a single seed
    /// can go its own way; the direction is a property of the mean over seeds.
    pub fn holds(&self) -> bool {
        let s = self.effect.sign;
        let mean = self.mean() * s;
        mean >= self.effect.min_change && mean >= 2.0 * self.standard_error()
    }
}

/// Runs a direction's policy arm with the baseline's seeds and measures every effect.
pub fn measure(direction: &Direction, baseline: &Report) -> Result<Vec<Measured>, SimError> {
    let mut scenario: Scenario = baseline.scenario.clone();
    for (key, value) in direction.changes {
        scenario.set(key, value)?;
    }
    let seeds = u32::try_from(baseline.replicates.len()).expect("the baseline ran a u32 number of seeds");
    let policy = report::run(&scenario, seeds)?;
    Ok(direction
        .effects
        .iter()
        .map(|e| {
            let pick = |r: &report::Replicate| target_value(&r.summary, e.output);
            Measured {
                effect: *e,
                baseline: baseline.mean_of(e.output),
                policy: policy.mean_of(e.output),
                differences: baseline
                    .replicates
                    .iter()
                    .zip(&policy.replicates)
                    .map(|(b, p)| pick(p) - pick(b))
                    .collect(),
            }
        })
        .collect())
}

// ---- Validation over many seeds: the `validate` command and docs/VALIDATION.md ----------

/// The `p`-quantile (0..1) of `values` by linear interpolation between order statistics
/// (Hyndman and Fan type 7, the default of R and NumPy). NaN for no values.
pub fn percentile(values: &[f64], p: f64) -> f64 {
    if values.is_empty() {
        return f64::NAN;
    }
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    let h = count(v.len() - 1) * p.clamp(0.0, 1.0);
    let lo = trunc_usize(libm::floor(h));
    let hi = (lo + 1).min(v.len() - 1);
    v[lo] + (h - count(lo)) * (v[hi] - v[lo])
}

/// One stylized fact checked over seeds.
#[derive(Debug, Clone)]
pub struct FactCheck {
    /// The target.
    pub target: Target,
    /// The output's value over the seeds' mean summary (what the calibration test checks).
    pub mean: f64,
    /// One value per seed.
    pub per_seed: Vec<f64>,
}

impl FactCheck {
    /// The 5th and 95th percentiles over seeds.
    pub fn interval(&self) -> (f64, f64) {
        (percentile(&self.per_seed, 0.05), percentile(&self.per_seed, 0.95))
    }

    /// Whether the mean lies in the target range.
    pub fn pass(&self) -> bool {
        self.mean >= self.target.low && self.mean <= self.target.high
    }

    /// How many seeds on their own lie in the target range.
    pub fn seeds_in_range(&self) -> usize {
        self.per_seed.iter().filter(|v| **v >= self.target.low && **v <= self.target.high).count()
    }
}

impl Measured {
    /// The 5th and 95th percentiles of the paired differences.
    pub fn interval(&self) -> (f64, f64) {
        (percentile(&self.differences, 0.05), percentile(&self.differences, 0.95))
    }

    /// How many seeds move in the expected direction.
    pub fn seeds_in_direction(&self) -> usize {
        self.differences.iter().filter(|d| **d * self.effect.sign > 0.0).count()
    }
}

/// The baseline's stylized facts and the policy directions, measured over the same seeds.
#[derive(Debug, Clone)]
pub struct Validation {
    /// The baseline scenario (its seed is the first).
    pub scenario: Scenario,
    /// The seeds, shared by the baseline and every policy arm.
    pub seeds: Vec<u64>,
    /// Every baseline target.
    pub facts: Vec<FactCheck>,
    /// Every policy direction with its measured effects.
    pub directions: Vec<(&'static Direction, Vec<Measured>)>,
}

/// Runs `scenario` (normally `status_quo`) over `seeds` seeds and every policy direction
/// with the same seeds, and checks the targets and directions.
pub fn validate(scenario: &Scenario, seeds: u32) -> Result<Validation, SimError> {
    let baseline = report::run(scenario, seeds)?;
    let mean = baseline.mean();
    let facts = BASELINE_TARGETS
        .iter()
        .map(|t| FactCheck {
            target: *t,
            mean: target_value(&mean, t.output),
            per_seed: baseline.replicates.iter().map(|r| target_value(&r.summary, t.output)).collect(),
        })
        .collect();
    let directions =
        POLICY_DIRECTIONS.iter().map(|d| measure(d, &baseline).map(|m| (d, m))).collect::<Result<Vec<_>, _>>()?;
    Ok(Validation {
        scenario: scenario.clone(),
        seeds: baseline.replicates.iter().map(|r| r.seed).collect(),
        facts,
        directions,
    })
}

mod render;
pub use render::{fmt_num, table};
