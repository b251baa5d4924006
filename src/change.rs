//! Lever changes scheduled during a run: a policy that starts in year two, a bonus dropped
//! after a year. Each change is set with the lever setter the page and the library use,
//! before the model simulates its day, so a scheduled run equals a run stepped by hand.
//!
//! A change with `day` d is set when d days are done (`Simulation::day() == d`); changes of
//! one day apply in list order. Their values are checked when the scenario is, against the
//! same rules and messages as `Levers::set`.

use crate::error::SimError;
use crate::levers::{LeverValue, Levers};
use crate::sim::YEAR;
use serde::ser::{Serialize, SerializeStruct, Serializer};

/// One lever change during a run.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    /// Days done when the change is set: 0 is before the first day.
    pub day: u32,
    /// The lever key.
    pub lever: String,
    /// The new value.
    pub value: LeverValue,
}

impl Change {
    /// A change of `lever` to `value` before day `day`, its value put in the lever's own
    /// form (a number, a name or a switch), or the setter's error naming the lever.
    pub fn new(day: u32, lever: &str, value: &LeverValue) -> Result<Change, SimError> {
        Ok(Change { day, lever: lever.to_string(), value: canonical(lever, value)? })
    }
}

/// `value` as the lever holds it once set: "300" becomes the number 300, so a change prints
/// the way the levers of the scenario print.
fn canonical(lever: &str, value: &LeverValue) -> Result<LeverValue, SimError> {
    let mut levers = Levers::default();
    levers.set(lever, value)?;
    let held = serde_json::to_value(&levers).expect("levers serialise");
    Ok(LeverValue::from(&held[lever]))
}

/// Checks `changes` for a run of `years` years: each day within the horizon, each lever
/// known and each value allowed. Errors name `changes[i].day`, `changes[i].lever` or
/// `changes[i].value`, with the allowed values (of the lever, for a value).
pub fn check(changes: &[Change], years: u32) -> Result<(), SimError> {
    let days = years.saturating_mul(YEAR);
    for (i, change) in changes.iter().enumerate() {
        if change.day >= days {
            let allowed = format!("a whole number from 0 to {} (the run has {days} days)", days.saturating_sub(1));
            return Err(SimError::invalid(&format!("changes[{i}].day"), change.day, allowed));
        }
        canonical(&change.lever, &change.value).map_err(|e| match e {
            SimError::UnknownKey { key, allowed, .. } => {
                SimError::invalid(&format!("changes[{i}].lever"), key, allowed)
            }
            SimError::InvalidValue { value, allowed, .. } => SimError::invalid(
                &format!("changes[{i}].value"),
                value,
                format!("{allowed} (the values of lever '{}')", change.lever),
            ),
            other => other,
        })?;
    }
    Ok(())
}

/// The order in which `changes` apply: by day, and in list order within a day.
pub(crate) fn schedule(changes: &[Change]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..changes.len()).collect();
    order.sort_by_key(|&i| changes[i].day); // stable: same-day changes keep list order
    order
}

impl Serialize for Change {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut out = s.serialize_struct("Change", 3)?;
        out.serialize_field("day", &self.day)?;
        out.serialize_field("lever", &self.lever)?;
        match &self.value {
            LeverValue::Number(x) => out.serialize_field("value", x)?,
            LeverValue::Text(t) => out.serialize_field("value", t)?,
            LeverValue::Bool(b) => out.serialize_field("value", b)?,
        }
        out.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(day: u32, lever: &str, value: LeverValue) -> Change {
        Change { day, lever: lever.to_string(), value }
    }

    #[test]
    fn values_take_the_levers_own_form() {
        let c = Change::new(3, "referral_bonus", &LeverValue::Text("300".into())).unwrap();
        assert_eq!(c.value, LeverValue::Number(300.0));
        let c = Change::new(3, "unified_drug_list", &LeverValue::Text("true".into())).unwrap();
        assert_eq!(c.value, LeverValue::Bool(true));
        let json = serde_json::to_string(&Change::new(0, "gatekeeping", &LeverValue::Text(" strict".into())).unwrap());
        assert_eq!(json.unwrap(), r#"{"day":0,"lever":"gatekeeping","value":"strict"}"#);
    }

    #[test]
    fn days_past_the_horizon_are_refused_with_the_last_allowed_day() {
        check(&[change(364, "referral_bonus", LeverValue::Number(1.0))], 1).unwrap();
        let e = check(&[change(365, "referral_bonus", LeverValue::Number(1.0))], 1).unwrap_err().to_string();
        assert!(e.contains("'changes[0].day'") && e.contains("0 to 364"), "{e}");
    }

    #[test]
    fn unknown_levers_and_bad_values_name_the_change_or_the_lever() {
        let ok = change(1, "referral_bonus", LeverValue::Number(1.0));
        let e = check(&[ok.clone(), change(1, "speed", LeverValue::Number(1.0))], 1).unwrap_err().to_string();
        assert!(e.contains("'changes[1].lever'") && e.contains("gatekeeping"), "{e}");
        let e = check(&[change(1, "info_sharing", LeverValue::Number(2.0))], 1).unwrap_err().to_string();
        assert!(e.contains("'changes[0].value'") && e.contains("'info_sharing'") && e.contains("0 to 1"), "{e}");
    }

    #[test]
    fn schedule_sorts_by_day_and_keeps_list_order_within_a_day() {
        let v = LeverValue::Number(1.0);
        let changes =
            [change(9, "a", v.clone()), change(2, "b", v.clone()), change(9, "c", v.clone()), change(2, "d", v)];
        assert_eq!(schedule(&changes), vec![1, 3, 0, 2]);
    }
}
