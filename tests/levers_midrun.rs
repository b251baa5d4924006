//! Levers changed mid-run, through the library API: a change takes effect from the next day
//! (never earlier), `levers()` shows it at once, an invalid change changes nothing, and
//! `reset()` starts the same run again from day 0.

mod common;

use common::{all_series_bits, day_text, first_difference, sim, small, summary_bits};
use consortium_sim::LeverValue;
use consortium_sim::levers::Gatekeeping;

fn text(s: &str) -> LeverValue {
    LeverValue::Text(s.to_string())
}

/// The daily series of every output, cut to days `range`.
fn series_window(s: &consortium_sim::Simulation, range: std::ops::Range<usize>) -> Vec<(&'static str, Vec<u64>)> {
    all_series_bits(s).into_iter().map(|(n, v)| (n, v[range.clone()].to_vec())).collect()
}

#[test]
fn gatekeeping_changed_after_day_200_takes_effect_from_day_200() {
    let scenario = small("status_quo", 5_000, 1, 11);
    let (mut plain, mut changed) = (sim(&scenario), sim(&scenario));
    plain.step(200);
    changed.step(200);
    assert_eq!(changed.day(), 200);
    changed.set_lever("gatekeeping", &text("strict")).unwrap();
    // Shown at once, before any day has run with it.
    assert_eq!(changed.levers().gatekeeping, Gatekeeping::Strict);
    assert_eq!(changed.levers().get("gatekeeping").unwrap(), "strict");
    assert_eq!(plain.levers().gatekeeping, Gatekeeping::None);
    plain.run();
    changed.run();
    assert_eq!(changed.history().len(), 365);
    // Days 0..200 are the same to the bit, in the raw counts and in every series.
    assert_eq!(series_window(&plain, 0..200), series_window(&changed, 0..200));
    // From the next day on, the runs part: the first difference is day 200 itself.
    assert_eq!(first_difference(&plain, &changed), Some(200), "the change must show on day 200, not before or later");
    let (a, b) = (all_series_bits(&plain), all_series_bits(&changed));
    let differing = a.iter().zip(&b).filter(|(x, y)| x.1[200..203] != y.1[200..203]).count();
    assert!(differing > 0, "no output series differs on days 200-202");
    // And strict gatekeeping does what it says: fewer tertiary visits without referral.
    let self_referred =
        |s: &consortium_sim::Simulation| -> u32 { s.history()[200..].iter().map(|d| d.tertiary_self_referred).sum() };
    assert!(
        self_referred(&changed) < self_referred(&plain),
        "self-referrals after the change: {} with strict gatekeeping vs {} without",
        self_referred(&changed),
        self_referred(&plain)
    );
}

/// A cut acts from the next day, and closes a bed only once its patient has left (MODEL.md
/// 2.8): the beds fall from the next day as far as their patients allow, never rise during the
/// cut, and reach the new number within the stays of the patients there.
#[test]
fn tertiary_capacity_cut_closes_beds_from_the_next_day_as_they_empty() {
    let scenario = small("status_quo", 5_000, 1, 3);
    let mut s = sim(&scenario);
    s.step(100);
    let before = s.history()[99].beds[2];
    s.set_lever("tertiary_capacity", &LeverValue::Number(0.5)).unwrap();
    assert_eq!(s.levers().tertiary_capacity, 0.5);
    assert_eq!(s.history().len(), 100, "set_lever does not run a day");
    s.step(1);
    let after = s.history()[100].beds[2];
    assert!(after <= before, "tertiary beds on day 100: {after}, before the cut: {before}");
    let expected: u32 = s.facility_states().iter().filter(|f| f.tier == 2).map(|f| f.beds).sum();
    assert_eq!(after, expected);
    s.step(90);
    let history = s.history();
    assert!(history[100..].windows(2).all(|w| w[1].beds[2] <= w[0].beds[2]), "beds never rise during the cut");
    assert!(
        2 * history[190].beds[2] <= before + 2,
        "beds {} after 90 days, {before} before a cut by half",
        history[190].beds[2]
    );
}

#[test]
fn changes_made_before_a_day_accumulate() {
    let mut s = sim(&small("status_quo", 3_000, 1, 5));
    s.step(10);
    s.set_lever("gatekeeping", &text("soft")).unwrap();
    s.set_lever("info_sharing", &LeverValue::Number(0.9)).unwrap();
    s.set_lever("unified_drug_list", &LeverValue::Bool(true)).unwrap();
    let l = s.levers();
    assert_eq!(l.gatekeeping, Gatekeeping::Soft);
    assert_eq!(l.info_sharing, 0.9);
    assert!(l.unified_drug_list);
    s.step(1);
    let l = s.levers();
    assert_eq!((l.gatekeeping, l.info_sharing, l.unified_drug_list), (Gatekeeping::Soft, 0.9, true));
}

#[test]
fn invalid_set_lever_returns_err_and_changes_nothing() {
    let scenario = small("status_quo", 4_000, 1, 21);
    let (mut touched, mut twin) = (sim(&scenario), sim(&scenario));
    touched.step(150);
    twin.step(150);
    let levers_before = touched.levers().clone();
    let bad: Vec<(&str, LeverValue)> = vec![
        ("info_sharing", LeverValue::Number(1.5)),
        ("info_sharing", LeverValue::Number(-0.1)),
        ("info_sharing", LeverValue::Number(f64::NAN)),
        ("referral_bonus", LeverValue::Number(-5.0)),
        ("referral_bonus", text("abc")),
        ("tertiary_capacity", LeverValue::Number(0.0)),
        ("payment_method", text("cash")),
        ("integration", text("tight")),
        ("gatekeeping", text("maybe")),
        ("unified_drug_list", text("maybe")),
        ("unified_drug_list", LeverValue::Number(1.0)),
        ("no_such_lever", LeverValue::Number(0.5)),
    ];
    for (key, value) in &bad {
        let e = touched.set_lever(key, value).expect_err("an invalid change must be refused").to_string();
        assert!(e.contains(&format!("'{key}'")), "error does not name the key: {e}");
        assert_eq!(touched.levers(), &levers_before, "levers changed by refused {key}={value}");
    }
    touched.run();
    twin.run();
    assert_eq!(first_difference(&touched, &twin), None);
    assert_eq!(summary_bits(&touched), summary_bits(&twin));
}

#[test]
fn invalid_change_keeps_a_valid_pending_change() {
    let scenario = small("status_quo", 4_000, 1, 8);
    let (mut a, mut b) = (sim(&scenario), sim(&scenario));
    a.step(120);
    b.step(120);
    a.set_lever("gatekeeping", &text("strict")).unwrap();
    b.set_lever("gatekeeping", &text("strict")).unwrap();
    assert!(a.set_lever("gatekeeping", &text("stricter")).is_err());
    assert!(a.set_lever("awareness_campaign", &LeverValue::Number(2.0)).is_err());
    assert_eq!(a.levers().gatekeeping, Gatekeeping::Strict);
    a.run();
    b.run();
    assert_eq!(first_difference(&a, &b), None);
    assert_eq!(summary_bits(&a), summary_bits(&b));
}

#[test]
fn a_change_before_day_0_equals_starting_with_it() {
    let base = small("status_quo", 4_000, 1, 17);
    let mut strict = base.clone();
    strict.levers.set("gatekeeping", &text("strict")).unwrap();
    strict.levers.set("tertiary_capacity", &LeverValue::Number(0.7)).unwrap();
    let mut changed = sim(&base);
    changed.set_lever("gatekeeping", &text("strict")).unwrap();
    changed.set_lever("tertiary_capacity", &LeverValue::Number(0.7)).unwrap();
    let mut started = sim(&strict);
    changed.run();
    started.run();
    assert_eq!(first_difference(&changed, &started), None);
    assert_eq!(summary_bits(&changed), summary_bits(&started));
}

#[test]
fn reset_returns_to_day_0_and_reproduces_the_run() {
    let scenario = small("close_consortium", 4_000, 1, 99);
    let mut fresh = sim(&scenario);
    fresh.step(60);
    let mut s = sim(&scenario);
    s.step(40);
    s.set_lever("payment_method", &text("drg")).unwrap();
    s.set_lever("tertiary_capacity", &LeverValue::Number(0.4)).unwrap();
    s.step(40);
    s.reset();
    assert_eq!(s.day(), 0);
    assert!(s.history().is_empty());
    assert_eq!(s.levers(), &scenario.levers, "reset drops mid-run changes");
    assert_eq!(s.scenario(), &scenario);
    s.step(60);
    let a: Vec<String> = s.history().iter().map(day_text).collect();
    let b: Vec<String> = fresh.history().iter().map(day_text).collect();
    assert_eq!(a, b);
    assert_eq!(all_series_bits(&s), all_series_bits(&fresh));
    assert_eq!(s.flows(), fresh.flows());
    assert_eq!(s.facility_states(), fresh.facility_states());
    s.run();
    fresh.run();
    assert_eq!(summary_bits(&s), summary_bits(&fresh));
}
