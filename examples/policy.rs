//! Policy-response aid: the brief's eight directions as paired-seed differences.
//! `cargo run --release --example policy -- [seeds] [years]`
use consortium_sim::{Scenario, report};

fn effect(base: &report::Report, alt: &report::Report, name: &str) -> (f64, f64) {
    let diffs: Vec<f64> = base
        .replicates
        .iter()
        .zip(&alt.replicates)
        .map(|(b, a)| {
            let get = |r: &report::Replicate| r.summary.iter().find(|(n, _)| *n == name).unwrap().1;
            get(a) - get(b)
        })
        .collect();
    let mean = diffs.iter().sum::<f64>() / diffs.len() as f64;
    let min = diffs.iter().copied().fold(f64::INFINITY, f64::min);
    (mean, min)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let seeds: u32 = args.first().and_then(|x| x.parse().ok()).unwrap_or(3);
    let years: u32 = args.get(1).and_then(|x| x.parse().ok()).unwrap_or(5);
    let mut sq = Scenario::from_preset("status_quo").unwrap();
    sq.years = years;
    let base = report::run(&sq, seeds).unwrap();
    let cases: &[(&str, &[(&str, &str)], &[&str])] = &[
        (
            "1 wider reimbursement gap",
            &[("reimbursement_primary", "0.95"), ("reimbursement_tertiary", "0.4")],
            &["primary_visit_share"],
        ),
        ("2 primary investment 150", &[("primary_investment", "150")], &["primary_visit_share", "trust_primary"]),
        ("3 strict gatekeeping", &[("gatekeeping", "strict")], &["primary_visit_share", "tertiary_visit_share"]),
        (
            "4 family doctors 0.8",
            &[("family_doctor_coverage", "0.8")],
            &["primary_visit_share", "trust_primary", "tertiary_self_referrals_per_1000"],
        ),
        (
            "5 close + global budget",
            &[("integration", "close"), ("payment_method", "global_budget")],
            &["downward_referrals_per_1000", "cooperation_index"],
        ),
        ("6a global budget", &[("payment_method", "global_budget")], &["spending_per_capita"]),
        ("6b capitation", &[("payment_method", "capitation")], &["spending_per_capita"]),
        ("7 awareness 0.9", &[("awareness_campaign", "0.9")], &["primary_visit_share", "downward_acceptance"]),
        ("8 referral bonus 300", &[("referral_bonus", "300")], &["downward_referrals_per_1000"]),
    ];
    for (label, changes, outputs) in cases {
        let mut s = sq.clone();
        for (k, v) in *changes {
            s.set(k, v).unwrap();
        }
        let alt = report::run(&s, seeds).unwrap();
        for name in *outputs {
            let (mean, min) = effect(&base, &alt, name);
            println!(
                "{label:28} {name:34} base {:9.4} alt {:9.4} diff {mean:+9.4} (min over seeds {min:+.4})",
                base.mean_of(name),
                alt.mean_of(name)
            );
        }
    }
}
