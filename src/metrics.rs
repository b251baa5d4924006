//! What is observed: daily counters, the output series, and the last-year summary.
//!
//! Each day the simulation fills one [`Day`] of raw counts. Every output is defined once,
//! as a ratio of sums of those counts over a window: over one day it is the daily series,
//! over the last 365 days it is the summary. So the summary is never an average of noisy
//! daily ratios, and series and summary cannot disagree.

use std::ops::AddAssign;

use serde::Serialize;

use crate::money::{fen_as_f64, yuan};
use crate::num::count;

/// Adding one day's count into a sum over days: numbers add, arrays add entry by entry.
trait Accumulate {
    fn accumulate(&mut self, other: &Self);
}

impl Accumulate for u32 {
    fn accumulate(&mut self, other: &Self) {
        *self += *other;
    }
}

impl Accumulate for i64 {
    fn accumulate(&mut self, other: &Self) {
        *self += *other;
    }
}

impl Accumulate for f64 {
    fn accumulate(&mut self, other: &Self) {
        *self += *other;
    }
}

impl<T: Accumulate, const N: usize> Accumulate for [T; N] {
    fn accumulate(&mut self, other: &Self) {
        for (a, b) in self.iter_mut().zip(other) {
            a.accumulate(b);
        }
    }
}

/// Defines [`Day`] and its sum from one list of fields: a field added to the struct is
/// summed over windows with no other change.
macro_rules! counts {
    ($(#[$meta:meta])* pub struct $name:ident { $($(#[$field_meta:meta])* pub $field:ident: $ty:ty,)* }) => {
        $(#[$meta])*
        pub struct $name {
            $($(#[$field_meta])* pub $field: $ty,)*
        }

        impl AddAssign<&$name> for $name {
            fn add_assign(&mut self, other: &$name) {
                $(self.$field.accumulate(&other.$field);)*
            }
        }
    };
}

counts! {
/// Raw counts of one day. Money is in fen.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Day {
    /// Outpatient visits by tier.
    pub visits: [u32; 3],
    /// Admissions by tier.
    pub admissions: [u32; 3],
    /// Admissions of severe cases at tertiary hospitals.
    pub tertiary_severe: u32,
    /// Upward referrals made by doctors and taken up by the patient.
    pub upward: u32,
    /// Downward referrals made by doctors and accepted.
    pub downward: u32,
    /// Referrals by tier of origin (row) and destination (column), upward and downward.
    pub referrals: [[u32; 3]; 3],
    /// Tertiary inpatients transferred down to primary care (the \[S\] statistic is the share
    /// of tertiary inpatients transferred to primary institutions).
    pub downward_from_tertiary: u32,
    /// Tertiary outpatient visits made without a referral (self-referral).
    pub tertiary_self_referred: u32,
    /// Downward referrals refused by the patient.
    pub downward_refused: u32,
    /// Downward referrals proposed to the patient.
    pub downward_proposed: u32,
    /// Tests repeated at a receiving facility.
    pub duplicate_tests: u32,
    /// Episodes (and chronic routine needs) that sought care or went without.
    pub episodes: u32,
    /// Episodes that went without care or abandoned a queue.
    pub unmet: u32,
    /// Needs that never reached a provider: the resident decided not to seek care (part of
    /// `unmet`).
    pub forgone: u32,
    /// Episodes by kind (minor, moderate, severe, chronic routine visit).
    pub episodes_by_kind: [u32; 4],
    /// Forgone needs by kind.
    pub forgone_by_kind: [u32; 4],
    /// Adverse events of care (a case treated beyond the facility's capability gone wrong).
    pub adverse_events: u32,
    /// Chronic visits at primary care where the patient's drug was not stocked.
    pub drug_gaps: u32,
    /// Episodes that ended with treatment (an outpatient outcome or a discharge).
    pub treated: u32,
    /// Occupied beds at the end of the day, by tier.
    pub occupied: [u32; 3],
    /// Beds by tier.
    pub beds: [u32; 3],
    /// Sum of waits (days) and number of waits, by tier.
    pub wait_sum: [f64; 3],
    /// Number of waits recorded, by tier.
    pub wait_count: [u32; 3],
    /// Insurer payments to providers.
    pub insurer_paid: i64,
    /// Out-of-pocket payments.
    pub oop: i64,
    /// Contributions collected.
    pub income: i64,
    /// Operating revenue by tier (insurer, out-of-pocket, commission).
    pub revenue: [i64; 3],
    /// Net result by tier (revenue, the consortium's settlement included, less every cost).
    pub net: [i64; 3],
    /// The health commission's spending.
    pub government: i64,
    /// Mean trust of residents by tier at the end of the day.
    pub trust: [f64; 3],
    /// Mean cooperation of each tier's facilities at the end of the day.
    pub cooperation: [f64; 3],
    /// Doctors by tier.
    pub doctors: [u32; 3],
    /// Outpatient price per visit by tier, yuan.
    pub price_visit: [f64; 3],
}
}

/// One output: its name, what it means, and how it is computed from the sums of a window.
#[derive(Debug, Clone, Copy)]
pub struct Output {
    /// The key used by the CLI, experiment files and the page.
    pub name: &'static str,
    /// What it means, one phrase.
    pub description: &'static str,
    compute: fn(&Window) -> f64,
}

impl Output {
    /// Its value over a window of days.
    pub fn over(&self, days: &[Day], population: u32, working_days: f64) -> f64 {
        (self.compute)(&Window::of(days, population, working_days))
    }
}

const fn output(name: &'static str, description: &'static str, compute: fn(&Window) -> f64) -> Output {
    Output { name, description, compute }
}

/// Every output: its name, what it means and how it is computed from a window's sums. The
/// outputs of the brief come first, in its order, followed by the extras this model adds.
pub const OUTPUTS: &[Output] = &[
    output("primary_visit_share", "share of outpatient visits at primary centres", |w| share(w.d.visits, 0)),
    output("secondary_visit_share", "share of outpatient visits at secondary hospitals", |w| share(w.d.visits, 1)),
    output("tertiary_visit_share", "share of outpatient visits at tertiary hospitals", |w| share(w.d.visits, 2)),
    output("primary_admission_share", "share of admissions at primary centres", |w| share(w.d.admissions, 0)),
    output("secondary_admission_share", "share of admissions at secondary hospitals", |w| share(w.d.admissions, 1)),
    output("tertiary_admission_share", "share of admissions at tertiary hospitals", |w| share(w.d.admissions, 2)),
    output("upward_referrals_per_1000", "upward referrals per 1,000 residents per year", |w| {
        w.per_year_1000(w.d.upward)
    }),
    output("downward_referrals_per_1000", "downward referrals per 1,000 residents per year", |w| {
        w.per_year_1000(w.d.downward)
    }),
    output("up_down_ratio", "upward over downward referrals (downward counted as at least 1)", |w| {
        f64::from(w.d.upward) / f64::from(w.d.downward.max(1))
    }),
    output("occupancy_primary", "bed occupancy at primary centres", |w| {
        ratio(f64::from(w.d.occupied[0]), f64::from(w.d.beds[0]))
    }),
    output("occupancy_secondary", "bed occupancy at secondary hospitals", |w| {
        ratio(f64::from(w.d.occupied[1]), f64::from(w.d.beds[1]))
    }),
    output("occupancy_tertiary", "bed occupancy at tertiary hospitals", |w| {
        ratio(f64::from(w.d.occupied[2]), f64::from(w.d.beds[2]))
    }),
    output("wait_days_primary", "mean days from arrival to being seen or admitted, primary", |w| {
        ratio(w.d.wait_sum[0], f64::from(w.d.wait_count[0]))
    }),
    output("wait_days_secondary", "mean days from arrival to being seen or admitted, secondary", |w| {
        ratio(w.d.wait_sum[1], f64::from(w.d.wait_count[1]))
    }),
    output("wait_days_tertiary", "mean days from arrival to being seen or admitted, tertiary", |w| {
        ratio(w.d.wait_sum[2], f64::from(w.d.wait_count[2]))
    }),
    output("spending_per_capita", "insurer plus out-of-pocket spending, yuan per resident per year", |w| {
        ratio(w.spending() * 365.0, w.population * w.days)
    }),
    output("oop_share", "out-of-pocket share of spending", |w| {
        ratio(fen_as_f64(w.d.oop), fen_as_f64(w.d.insurer_paid + w.d.oop))
    }),
    // With nothing paid (every rate 0) the ratio has no finite value: payments count
    // as at least one fen, as downward referrals count as at least one.
    output("insurer_balance_ratio", "fund income over payments", |w| {
        ratio(fen_as_f64(w.d.income), fen_as_f64(w.d.insurer_paid.max(1)))
    }),
    output("trust_primary", "mean patient trust in primary care, 0..1", |w| ratio(w.d.trust[0], w.days)),
    output("trust_tertiary", "mean patient trust in tertiary care, 0..1", |w| ratio(w.d.trust[2], w.days)),
    output("cooperation_index", "mean cooperation of consortium members (tiers weighted equally), 0..1", |w| {
        ratio(w.d.cooperation.iter().sum::<f64>() / 3.0, w.days)
    }),
    output("cooperation_primary", "mean cooperation of primary centres, 0..1", |w| ratio(w.d.cooperation[0], w.days)),
    output("cooperation_secondary", "mean cooperation of secondary hospitals, 0..1", |w| {
        ratio(w.d.cooperation[1], w.days)
    }),
    output("cooperation_tertiary", "mean cooperation of tertiary hospitals, 0..1", |w| {
        ratio(w.d.cooperation[2], w.days)
    }),
    output("government_spending_per_capita", "the health commission's spending, yuan per resident per year", |w| {
        ratio(yuan(w.d.government) * 365.0, w.population * w.days)
    }),
    output("adverse_events_per_1000", "adverse outcomes of care per 1,000 residents per year", |w| {
        w.per_year_1000(w.d.adverse_events)
    }),
    output(
        "forgone_care_share",
        "share of needs for care left untreated: never taken to a provider, or not taken on to the hospital a first visit sent the patient to",
        |w| ratio(f64::from(w.d.forgone), f64::from(w.d.episodes)),
    ),
    output("duplicate_tests_per_1000", "repeated tests per 1,000 residents per year", |w| {
        w.per_year_1000(w.d.duplicate_tests)
    }),
    output("tertiary_complex_case_share", "share of tertiary admissions that are severe", |w| {
        ratio(f64::from(w.d.tertiary_severe), f64::from(w.d.admissions[2]))
    }),
    output("unmet_need_share", "share of episodes abandoned or untreated", |w| {
        ratio(f64::from(w.d.unmet), f64::from(w.d.episodes))
    }),
    output("doctor_visits_per_day_primary", "outpatient visits per primary doctor per working day", |w| {
        w.per_doctor_day(0)
    }),
    output("doctor_visits_per_day_tertiary", "outpatient visits per tertiary doctor per working day", |w| {
        w.per_doctor_day(2)
    }),
    output("margin_primary", "primary centres' margin: net result over operating revenue", |w| w.margin(0)),
    output("margin_secondary", "secondary hospitals' margin", |w| w.margin(1)),
    output("margin_tertiary", "tertiary hospitals' margin", |w| w.margin(2)),
    output("visits_per_resident", "outpatient visits per resident per year", |w| {
        ratio(f64::from(w.d.visits.iter().sum::<u32>()) * 365.0, w.population * w.days)
    }),
    output("admissions_per_resident", "admissions per resident per year", |w| {
        ratio(f64::from(w.d.admissions.iter().sum::<u32>()) * 365.0, w.population * w.days)
    }),
    output("hospital_admission_share", "share of admissions at secondary and tertiary hospitals", |w| {
        share(w.d.admissions, 1) + share(w.d.admissions, 2)
    }),
    output("outpatient_price_ratio", "tertiary over primary outpatient price per visit", |w| {
        ratio(w.d.price_visit[2], w.d.price_visit[0])
    }),
    output(
        "downward_share_of_tertiary_admissions",
        "tertiary inpatients transferred down over tertiary admissions",
        |w| ratio(f64::from(w.d.downward_from_tertiary), f64::from(w.d.admissions[2])),
    ),
    output("downward_acceptance", "share of proposed downward referrals the patient accepted", |w| {
        ratio(f64::from(w.d.downward_proposed - w.d.downward_refused), f64::from(w.d.downward_proposed))
    }),
    output(
        "tertiary_self_referrals_per_1000",
        "tertiary outpatient visits without referral per 1,000 residents per year",
        |w| w.per_year_1000(w.d.tertiary_self_referred),
    ),
    output("upward_from_primary_per_1000", "upward referrals from primary centres per 1,000 residents per year", |w| {
        w.per_year_1000(w.d.referrals[0][1] + w.d.referrals[0][2])
    }),
    output(
        "upward_from_secondary_per_1000",
        "upward referrals from secondary hospitals per 1,000 residents per year",
        |w| w.per_year_1000(w.d.referrals[1][2]),
    ),
    output(
        "downward_from_secondary_per_1000",
        "downward referrals from secondary hospitals per 1,000 residents per year",
        |w| w.per_year_1000(w.d.referrals[1][0]),
    ),
    output(
        "downward_from_tertiary_per_1000",
        "downward referrals from tertiary hospitals per 1,000 residents per year",
        |w| w.per_year_1000(w.d.referrals[2][0]),
    ),
];

/// The names of every output.
pub fn output_names() -> impl Iterator<Item = &'static str> {
    OUTPUTS.iter().map(|o| o.name)
}

/// Sums of counts over a window of days, and what the outputs divide them by.
#[derive(Debug, Clone)]
pub struct Window {
    d: Day,
    days: f64,
    population: f64,
    working_days: f64,
}

/// A ratio that is 0 when the denominator is 0, so no output is ever NaN.
fn ratio(a: f64, b: f64) -> f64 {
    if b > 0.0 { a / b } else { 0.0 }
}

fn share(parts: [u32; 3], k: usize) -> f64 {
    ratio(f64::from(parts[k]), f64::from(parts[0] + parts[1] + parts[2]))
}

impl Window {
    /// The sums of `days`.
    fn of(days: &[Day], population: u32, working_days: f64) -> Window {
        let mut d = Day::default();
        for day in days {
            d += day;
        }
        Window { d, days: count(days.len()), population: f64::from(population), working_days }
    }

    /// A count over the window, per 1,000 residents per year.
    fn per_year_1000(&self, x: u32) -> f64 {
        ratio(f64::from(x) * 1000.0 * 365.0, self.population * self.days)
    }

    /// Tier `k`'s margin: net result over operating revenue.
    fn margin(&self, k: usize) -> f64 {
        ratio(fen_as_f64(self.d.net[k]), fen_as_f64(self.d.revenue[k]))
    }

    /// Outpatient visits per doctor of tier `k` per working day.
    fn per_doctor_day(&self, k: usize) -> f64 {
        ratio(f64::from(self.d.visits[k]) * 365.0, f64::from(self.d.doctors[k]) * self.working_days)
    }

    /// Insurer plus out-of-pocket spending, yuan.
    fn spending(&self) -> f64 {
        yuan(self.d.insurer_paid + self.d.oop)
    }
}

/// The output called `name`, if there is one.
pub fn output_named(name: &str) -> Option<&'static Output> {
    OUTPUTS.iter().find(|o| o.name == name)
}

/// Whether `name` is an output.
pub fn is_output(name: &str) -> bool {
    output_named(name).is_some()
}

/// The value of output `name` over a window of days (0 for a name that is not an output:
/// callers check names first, with [`is_output`]).
pub fn evaluate(days: &[Day], name: &str, population: u32, working_days: f64) -> f64 {
    debug_assert!(is_output(name));
    output_named(name).map_or(0.0, |o| o.over(days, population, working_days))
}

/// Every output over a window of days, in the order of [`OUTPUTS`].
pub fn evaluate_all(days: &[Day], population: u32, working_days: f64) -> Vec<(&'static str, f64)> {
    let w = Window::of(days, population, working_days);
    OUTPUTS.iter().map(|o| (o.name, (o.compute)(&w))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_window_gives_zeros_not_nan() {
        // A ratio with nothing to count is 0 by definition (docs/MODEL.md 4.12), not NaN, 1
        // or anything else.
        for (name, v) in evaluate_all(&[Day::default()], 1000, 251.0) {
            assert_eq!(v.to_bits(), 0.0f64.to_bits(), "{name}: {v}");
        }
        // Visits but no admissions, referrals, beds or money: the admission shares and every
        // other ratio without a denominator are still exactly 0.
        let d = Day { visits: [3, 1, 1], ..Day::default() };
        let got = evaluate_all(&[d], 1000, 251.0);
        let value = |n: &str| got.iter().find(|(k, _)| *k == n).unwrap().1;
        assert_eq!(value("primary_visit_share"), 0.6);
        for name in ["primary_admission_share", "occupancy_tertiary", "oop_share", "downward_acceptance"] {
            assert_eq!(value(name), 0.0, "{name}");
        }
    }

    #[test]
    fn shares_and_rates() {
        let d = Day { visits: [5, 2, 3], upward: 10, downward: 2, ..Day::default() };
        let days = vec![d; 365];
        assert!((evaluate(&days, "primary_visit_share", 1000, 251.0) - 0.5).abs() < 1e-12);
        assert!((evaluate(&days, "upward_referrals_per_1000", 1000, 251.0) - 3650.0).abs() < 1e-9);
        assert!((evaluate(&days, "up_down_ratio", 1000, 251.0) - 5.0).abs() < 1e-12);
    }

    #[test]
    fn output_names_are_unique() {
        let mut names: Vec<_> = output_names().collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), OUTPUTS.len());
    }
}
