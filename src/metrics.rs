//! What is observed: daily counters, the output series, and the last-year summary.
//!
//! Each day the simulation fills one [`Day`] of raw counts. Every output is defined once,
//! as a ratio of sums of those counts over a window: over one day it is the daily series,
//! over the last 365 days it is the summary. So the summary is never an average of noisy
//! daily ratios, and series and summary cannot disagree.

use serde::Serialize;

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
    /// Tertiary inpatients transferred down to primary care (the [S] statistic is the share
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

/// The outputs of the brief, in its order, followed by the extras this model adds.
pub const OUTPUTS: &[(&str, &str)] = &[
    ("primary_visit_share", "share of outpatient visits at primary centres"),
    ("secondary_visit_share", "share of outpatient visits at secondary hospitals"),
    ("tertiary_visit_share", "share of outpatient visits at tertiary hospitals"),
    ("primary_admission_share", "share of admissions at primary centres"),
    ("secondary_admission_share", "share of admissions at secondary hospitals"),
    ("tertiary_admission_share", "share of admissions at tertiary hospitals"),
    ("upward_referrals_per_1000", "upward referrals per 1,000 residents per year"),
    ("downward_referrals_per_1000", "downward referrals per 1,000 residents per year"),
    ("up_down_ratio", "upward over downward referrals (downward counted as at least 1)"),
    ("occupancy_primary", "bed occupancy at primary centres"),
    ("occupancy_secondary", "bed occupancy at secondary hospitals"),
    ("occupancy_tertiary", "bed occupancy at tertiary hospitals"),
    ("wait_days_primary", "mean days from arrival to being seen or admitted, primary"),
    ("wait_days_secondary", "mean days from arrival to being seen or admitted, secondary"),
    ("wait_days_tertiary", "mean days from arrival to being seen or admitted, tertiary"),
    ("spending_per_capita", "insurer plus out-of-pocket spending, yuan per resident per year"),
    ("oop_share", "out-of-pocket share of spending"),
    ("insurer_balance_ratio", "fund income over payments"),
    ("trust_primary", "mean patient trust in primary care, 0..1"),
    ("trust_tertiary", "mean patient trust in tertiary care, 0..1"),
    ("cooperation_index", "mean cooperation of consortium members (tiers weighted equally), 0..1"),
    ("cooperation_primary", "mean cooperation of primary centres, 0..1"),
    ("cooperation_secondary", "mean cooperation of secondary hospitals, 0..1"),
    ("cooperation_tertiary", "mean cooperation of tertiary hospitals, 0..1"),
    ("government_spending_per_capita", "the health commission's spending, yuan per resident per year"),
    ("adverse_events_per_1000", "adverse outcomes of care per 1,000 residents per year"),
    (
        "forgone_care_share",
        "share of needs for care left untreated: never taken to a provider, or not taken on to the hospital a first visit sent the patient to",
    ),
    ("duplicate_tests_per_1000", "repeated tests per 1,000 residents per year"),
    ("tertiary_complex_case_share", "share of tertiary admissions that are severe"),
    ("unmet_need_share", "share of episodes abandoned or untreated"),
    ("doctor_visits_per_day_primary", "outpatient visits per primary doctor per working day"),
    ("doctor_visits_per_day_tertiary", "outpatient visits per tertiary doctor per working day"),
    ("margin_primary", "primary centres' margin: net result over operating revenue"),
    ("margin_secondary", "secondary hospitals' margin"),
    ("margin_tertiary", "tertiary hospitals' margin"),
    ("visits_per_resident", "outpatient visits per resident per year"),
    ("admissions_per_resident", "admissions per resident per year"),
    ("hospital_admission_share", "share of admissions at secondary and tertiary hospitals"),
    ("outpatient_price_ratio", "tertiary over primary outpatient price per visit"),
    ("downward_share_of_tertiary_admissions", "tertiary inpatients transferred down over tertiary admissions"),
    ("downward_acceptance", "share of proposed downward referrals the patient accepted"),
    ("tertiary_self_referrals_per_1000", "tertiary outpatient visits without referral per 1,000 residents per year"),
    ("upward_from_primary_per_1000", "upward referrals from primary centres per 1,000 residents per year"),
    ("upward_from_secondary_per_1000", "upward referrals from secondary hospitals per 1,000 residents per year"),
    ("downward_from_secondary_per_1000", "downward referrals from secondary hospitals per 1,000 residents per year"),
    ("downward_from_tertiary_per_1000", "downward referrals from tertiary hospitals per 1,000 residents per year"),
];

/// The names of every output.
pub fn output_names() -> impl Iterator<Item = &'static str> {
    OUTPUTS.iter().map(|(n, _)| *n)
}

/// Sums of counts over a window of days.
#[derive(Debug, Clone, Default)]
struct Window {
    d: Day,
    days: f64,
}

fn sum(days: &[Day]) -> Window {
    let mut w = Window { days: days.len() as f64, ..Window::default() };
    let s = &mut w.d;
    for d in days {
        for k in 0..3 {
            s.visits[k] += d.visits[k];
            s.admissions[k] += d.admissions[k];
            s.occupied[k] += d.occupied[k];
            s.beds[k] += d.beds[k];
            s.wait_sum[k] += d.wait_sum[k];
            s.wait_count[k] += d.wait_count[k];
            s.revenue[k] += d.revenue[k];
            s.net[k] += d.net[k];
            s.cooperation[k] += d.cooperation[k];
            s.trust[k] += d.trust[k];
            s.doctors[k] += d.doctors[k];
            s.price_visit[k] += d.price_visit[k];
            for j in 0..3 {
                s.referrals[k][j] += d.referrals[k][j];
            }
        }
        s.tertiary_severe += d.tertiary_severe;
        s.upward += d.upward;
        s.downward += d.downward;
        s.downward_from_tertiary += d.downward_from_tertiary;
        s.tertiary_self_referred += d.tertiary_self_referred;
        s.downward_refused += d.downward_refused;
        s.downward_proposed += d.downward_proposed;
        s.duplicate_tests += d.duplicate_tests;
        s.episodes += d.episodes;
        s.unmet += d.unmet;
        s.forgone += d.forgone;
        for k in 0..4 {
            s.episodes_by_kind[k] += d.episodes_by_kind[k];
            s.forgone_by_kind[k] += d.forgone_by_kind[k];
        }
        s.adverse_events += d.adverse_events;
        s.drug_gaps += d.drug_gaps;
        s.government += d.government;
        s.treated += d.treated;
        s.insurer_paid += d.insurer_paid;
        s.oop += d.oop;
        s.income += d.income;
    }
    w
}

/// A ratio that is 0 when the denominator is 0, so no output is ever NaN.
fn ratio(a: f64, b: f64) -> f64 {
    if b > 0.0 { a / b } else { 0.0 }
}

fn share(parts: [u32; 3], k: usize) -> f64 {
    ratio(f64::from(parts[k]), f64::from(parts[0] + parts[1] + parts[2]))
}

impl Window {
    fn value(&self, name: &str, population: f64, working_days: f64) -> f64 {
        let d = &self.d;
        let per_year_1000 = |x: u32| ratio(f64::from(x) * 1000.0 * 365.0, population * self.days);
        let tier = |k: usize| k;
        let margin = |k: usize| ratio(d.net[k] as f64, d.revenue[k] as f64);
        let per_doctor_day = |k: usize| ratio(f64::from(d.visits[k]) * 365.0, f64::from(d.doctors[k]) * working_days);
        let spending = (d.insurer_paid + d.oop) as f64 / 100.0;
        match name {
            "primary_visit_share" => share(d.visits, 0),
            "secondary_visit_share" => share(d.visits, 1),
            "tertiary_visit_share" => share(d.visits, 2),
            "primary_admission_share" => share(d.admissions, 0),
            "secondary_admission_share" => share(d.admissions, 1),
            "tertiary_admission_share" => share(d.admissions, 2),
            "hospital_admission_share" => share(d.admissions, 1) + share(d.admissions, 2),
            "upward_referrals_per_1000" => per_year_1000(d.upward),
            "downward_referrals_per_1000" => per_year_1000(d.downward),
            "duplicate_tests_per_1000" => per_year_1000(d.duplicate_tests),
            "tertiary_self_referrals_per_1000" => per_year_1000(d.tertiary_self_referred),
            "upward_from_primary_per_1000" => per_year_1000(d.referrals[0][1] + d.referrals[0][2]),
            "upward_from_secondary_per_1000" => per_year_1000(d.referrals[1][2]),
            "downward_from_secondary_per_1000" => per_year_1000(d.referrals[1][0]),
            "downward_from_tertiary_per_1000" => per_year_1000(d.referrals[2][0]),
            "up_down_ratio" => f64::from(d.upward) / f64::from(d.downward.max(1)),
            "occupancy_primary" => ratio(f64::from(d.occupied[0]), f64::from(d.beds[0])),
            "occupancy_secondary" => ratio(f64::from(d.occupied[1]), f64::from(d.beds[1])),
            "occupancy_tertiary" => ratio(f64::from(d.occupied[2]), f64::from(d.beds[2])),
            "wait_days_primary" => ratio(d.wait_sum[tier(0)], f64::from(d.wait_count[0])),
            "wait_days_secondary" => ratio(d.wait_sum[1], f64::from(d.wait_count[1])),
            "wait_days_tertiary" => ratio(d.wait_sum[2], f64::from(d.wait_count[2])),
            "spending_per_capita" => ratio(spending * 365.0, population * self.days),
            "oop_share" => ratio(d.oop as f64, (d.insurer_paid + d.oop) as f64),
            // With nothing paid (every rate 0) the ratio has no finite value: payments count
            // as at least one fen, as downward referrals count as at least one.
            "insurer_balance_ratio" => ratio(d.income as f64, d.insurer_paid.max(1) as f64),
            "trust_primary" => ratio(d.trust[0], self.days),
            "trust_tertiary" => ratio(d.trust[2], self.days),
            "cooperation_index" => ratio(d.cooperation.iter().sum::<f64>() / 3.0, self.days),
            "cooperation_primary" => ratio(d.cooperation[0], self.days),
            "cooperation_secondary" => ratio(d.cooperation[1], self.days),
            "cooperation_tertiary" => ratio(d.cooperation[2], self.days),
            "government_spending_per_capita" => ratio(d.government as f64 / 100.0 * 365.0, population * self.days),
            "adverse_events_per_1000" => per_year_1000(d.adverse_events),
            "forgone_care_share" => ratio(f64::from(d.forgone), f64::from(d.episodes)),
            "tertiary_complex_case_share" => ratio(f64::from(d.tertiary_severe), f64::from(d.admissions[2])),
            "unmet_need_share" => ratio(f64::from(d.unmet), f64::from(d.episodes)),
            "doctor_visits_per_day_primary" => per_doctor_day(0),
            "doctor_visits_per_day_tertiary" => per_doctor_day(2),
            "margin_primary" => margin(0),
            "margin_secondary" => margin(1),
            "margin_tertiary" => margin(2),
            "visits_per_resident" => ratio(f64::from(d.visits.iter().sum::<u32>()) * 365.0, population * self.days),
            "admissions_per_resident" => {
                ratio(f64::from(d.admissions.iter().sum::<u32>()) * 365.0, population * self.days)
            }
            "outpatient_price_ratio" => ratio(d.price_visit[2], d.price_visit[0]),
            "downward_share_of_tertiary_admissions" => {
                ratio(f64::from(d.downward_from_tertiary), f64::from(d.admissions[2]))
            }
            "downward_acceptance" => {
                ratio(f64::from(d.downward_proposed - d.downward_refused), f64::from(d.downward_proposed))
            }
            _ => unreachable!("output names are checked before evaluation"),
        }
    }
}

/// Whether `name` is an output.
pub fn is_output(name: &str) -> bool {
    OUTPUTS.iter().any(|(n, _)| *n == name)
}

/// The value of output `name` over a window of days.
pub fn evaluate(days: &[Day], name: &str, population: u32, working_days: f64) -> f64 {
    debug_assert!(is_output(name));
    sum(days).value(name, f64::from(population), working_days)
}

/// Every output over a window of days, in the order of [`OUTPUTS`].
pub fn evaluate_all(days: &[Day], population: u32, working_days: f64) -> Vec<(&'static str, f64)> {
    let w = sum(days);
    output_names().map(|n| (n, w.value(n, f64::from(population), working_days))).collect()
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
