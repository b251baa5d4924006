//! Keyed access to the influential structural parameters: the factors of sensitivity
//! analysis and the `[params]` table of an experiment file, one table ([`PARAMETERS`]) of
//! key, meaning, screened range, valid range and how the key reads and writes [`Params`].

use super::Params;
use crate::error::SimError;

/// One structural parameter that can be read and set by key: the factors of sensitivity
/// analysis and the `[params]` table of an experiment file.
///
/// Keys ending in `_scale` multiply every episode kind's calibrated value (1 = calibrated);
/// `asc_tertiary_shift` is added to every kind's tertiary constant (0 = calibrated); the other
/// keys are the parameter itself (a per-tier key names its tier).
#[derive(Debug, Clone, Copy)]
pub struct ParamSpec {
    /// The key used by `Params::set`, the CLI and experiment files.
    pub key: &'static str,
    /// What it is, one phrase.
    pub meaning: &'static str,
    /// Lower end of the range screened by sensitivity analysis (a plausible low value).
    pub low: f64,
    /// Upper end of the screened range.
    pub high: f64,
    /// Smallest value the model accepts.
    pub min: f64,
    /// Largest value the model accepts.
    pub max: f64,
    /// How the key reads and writes the parameters.
    access: Access,
}

/// How a key reads and writes the parameters (one entry of the table, so a new key is one
/// line of [`PARAMETERS`]).
#[derive(Debug, Clone, Copy)]
struct Access {
    get: fn(&Params) -> f64,
    set: fn(&mut Params, f64),
}

/// A key that is a parameter itself (a field, or one tier's entry of a per-tier field).
macro_rules! field {
    ($($place:tt)+) => {
        Access { get: |p| p.$($place)+, set: |p, v| p.$($place)+ = v }
    };
}

/// A `_scale` key: a multiplier on every episode kind's calibrated value of a per-kind field.
macro_rules! scale {
    ($field:ident) => {
        Access {
            get: |p| p.$field[0] / Params::default().$field[0],
            set: |p, v| p.$field = Params::default().$field.map(|base| base * v),
        }
    };
}

/// Added to every kind's calibrated tertiary constant.
const ASC_TERTIARY_SHIFT: Access = Access {
    get: |p| p.asc[0][2] - Params::default().asc[0][2],
    set: |p, v| {
        for (row, base) in p.asc.iter_mut().zip(Params::default().asc) {
            row[2] = base[2] + v;
        }
    },
};

const fn spec(
    key: &'static str,
    meaning: &'static str,
    range: (f64, f64),
    valid: (f64, f64),
    access: Access,
) -> ParamSpec {
    ParamSpec { key, meaning, low: range.0, high: range.1, min: valid.0, max: valid.1, access }
}

const NON_NEGATIVE: (f64, f64) = (0.0, f64::INFINITY);
const PROBABILITY: (f64, f64) = (0.0, 1.0);
const ANY: (f64, f64) = (f64::NEG_INFINITY, f64::INFINITY);

/// The influential structural parameters, with the ranges screened by sensitivity analysis
/// (about the calibrated value plus or minus a quarter to a half, or the spread of the
/// published estimates).
pub const PARAMETERS: &[ParamSpec] = &[
    spec(
        "beta_quality_scale",
        "multiplier on the weight of perceived quality, every kind",
        (0.75, 1.25),
        NON_NEGATIVE,
        scale!(beta_quality),
    ),
    spec(
        "beta_cost_scale",
        "multiplier on the weight of out-of-pocket cost, every kind",
        (0.5, 1.5),
        NON_NEGATIVE,
        scale!(beta_cost),
    ),
    spec(
        "beta_wait_scale",
        "multiplier on the weight of expected waiting, every kind",
        (0.5, 1.5),
        NON_NEGATIVE,
        scale!(beta_wait),
    ),
    spec(
        "beta_distance_scale",
        "multiplier on the weight of distance, every kind",
        (0.5, 1.5),
        NON_NEGATIVE,
        scale!(beta_distance),
    ),
    spec(
        "asc_tertiary_shift",
        "added to the tertiary constant of every kind (utility)",
        (-0.5, 0.5),
        ANY,
        ASC_TERTIARY_SHIFT,
    ),
    spec(
        "beta_family_doctor",
        "utility of the contracted family doctor's centre",
        (0.3, 0.8),
        ANY,
        field!(beta_family_doctor),
    ),
    spec(
        "wait_scale",
        "outpatient wait in days per unit of rho / (1 - rho)",
        (0.15, 0.45),
        (1e-9, f64::INFINITY),
        field!(wait_scale),
    ),
    spec(
        "max_stretch",
        "how far clinics stretch their day under load (x capacity)",
        (1.2, 1.8),
        (1.0, f64::INFINITY),
        field!(max_stretch),
    ),
    spec(
        "visits_per_doctor_day_tertiary",
        "comfortable visits per tertiary doctor-day",
        (6.0, 9.0),
        (1e-9, 1e6),
        field!(visits_per_doctor_day[2]),
    ),
    spec(
        "beds_per_1000_tertiary",
        "tertiary beds per 1,000 residents",
        (1.8, 2.4),
        (1e-9, 1e3),
        field!(beds_per_1000[2]),
    ),
    spec(
        "trust_learning",
        "weight of one's own outcome in the trust update",
        (0.05, 0.2),
        PROBABILITY,
        field!(trust_learning),
    ),
    spec(
        "word_of_mouth",
        "weight of a neighbour's outcome relative to one's own",
        (0.25, 0.75),
        PROBABILITY,
        field!(word_of_mouth),
    ),
    spec(
        "negativity",
        "how much more a bad outcome moves trust than a good one",
        (1.0, 2.0),
        (0.0, 10.0),
        field!(negativity),
    ),
    spec(
        "satisfaction_primary",
        "probability of a good outcome at primary care, base capability",
        (0.35, 0.55),
        PROBABILITY,
        field!(satisfaction[0]),
    ),
    spec(
        "primary_capability",
        "initial capability of primary centres",
        (0.4, 0.6),
        PROBABILITY,
        field!(primary_capability),
    ),
    spec(
        "seek_exponent",
        "exponent of out-of-pocket cost in the decision to seek care",
        (1.0, 3.0),
        NON_NEGATIVE,
        field!(seek_exponent),
    ),
    spec(
        "doctor_payoff_scale",
        "scale (yuan) of attraction differences in doctors' choices",
        (100.0, 300.0),
        (1e-9, 1e9),
        field!(doctor_payoff_scale),
    ),
    spec(
        "down_bias",
        "logit bias of doctors against proposing a downward referral",
        (-3.0, -1.5),
        ANY,
        field!(down_bias),
    ),
    spec(
        "provider_learning",
        "how fast facilities and doctors learn (1 calibrated, 0 frozen at their start)",
        (0.5, 1.5),
        (0.0, 2.0),
        field!(provider_learning),
    ),
    spec(
        "strategy_sensitivity",
        "facilities' logit sensitivity to margin differences",
        (250.0, 1000.0),
        NON_NEGATIVE,
        field!(strategy_sensitivity),
    ),
    spec(
        "cooperation_initial",
        "mean starting cooperation of facilities",
        (0.1, 0.9),
        PROBABILITY,
        field!(cooperation_initial),
    ),
    spec(
        "cooperation_cost",
        "cost of full cooperation, share of running cost",
        (0.03, 0.09),
        NON_NEGATIVE,
        field!(cooperation_cost),
    ),
    spec(
        "settlement_performance",
        "share of a consortium surplus shared by tiered-care points",
        (0.25, 0.75),
        PROBABILITY,
        field!(settlement_performance),
    ),
    spec(
        "kpi_stake",
        "share of monthly revenue at stake under full appraisal",
        (0.015, 0.045),
        PROBABILITY,
        field!(kpi_stake),
    ),
    spec(
        "duplicate_test",
        "probability that a receiving facility repeats tests",
        (0.3, 0.7),
        PROBABILITY,
        field!(duplicate_test),
    ),
    spec(
        "accept_down_intercept",
        "logit intercept of accepting a downward referral",
        (-1.0, 0.0),
        ANY,
        field!(accept_down_intercept),
    ),
    spec(
        "premium_per_capita",
        "insurance contributions per resident per year (yuan)",
        (2000.0, 2600.0),
        NON_NEGATIVE,
        field!(premium_per_capita),
    ),
];

/// The spec of parameter `key`, or an error listing every key.
pub fn param_spec(key: &str) -> Result<&'static ParamSpec, SimError> {
    PARAMETERS.iter().find(|s| s.key == key).ok_or_else(|| SimError::UnknownKey {
        key: key.to_string(),
        kind: "parameter",
        allowed: PARAMETERS.iter().map(|s| s.key).collect::<Vec<_>>().join(", "),
    })
}

impl ParamSpec {
    /// The values the model accepts, as a phrase for error messages.
    pub fn allowed(&self) -> String {
        match (self.min.is_finite(), self.max.is_finite()) {
            (true, true) => format!("a number from {} to {}", self.min, self.max),
            (true, false) => format!("a number >= {}", self.min),
            _ => "any finite number".to_string(),
        }
    }
}

impl Params {
    /// The value of parameter `key` (see [`PARAMETERS`]).
    pub fn get(&self, key: &str) -> Result<f64, SimError> {
        Ok((param_spec(key)?.access.get)(self))
    }

    /// Sets parameter `key` to `value`, checking it is finite and within the model's
    /// domain. Scale and shift keys act on the calibrated values, so setting one twice does
    /// not compound. On error nothing changes.
    pub fn set(&mut self, key: &str, value: f64) -> Result<(), SimError> {
        let spec = param_spec(key)?;
        if !(value.is_finite() && value >= spec.min && value <= spec.max) {
            return Err(SimError::invalid(key, value, spec.allowed()));
        }
        (spec.access.set)(self, value);
        Ok(())
    }

    /// The parameters that differ from the calibrated set, as (key, value) in the order of
    /// [`PARAMETERS`]: what an output must record to be re-run.
    pub fn overrides(&self) -> Vec<(&'static str, f64)> {
        let d = Params::default();
        PARAMETERS
            .iter()
            .filter_map(|s| {
                let v = self.get(s.key).expect("listed key");
                (v != d.get(s.key).expect("listed key")).then_some((s.key, v))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_parameter_reads_back_what_was_set_and_defaults_are_in_range() {
        let d = Params::default();
        for s in PARAMETERS {
            let v = d.get(s.key).unwrap();
            assert!(s.low <= s.high && v >= s.min && v <= s.max, "{}: {v}", s.key);
            assert!(s.low >= s.min && s.high <= s.max, "{}: screened range outside domain", s.key);
            let mut p = d.clone();
            p.set(s.key, s.high).unwrap();
            assert!((p.get(s.key).unwrap() - s.high).abs() < 1e-12, "{}", s.key);
            assert_eq!(p.overrides().len(), usize::from(s.high != v), "{}", s.key);
            p.set(s.key, v).unwrap();
            assert_eq!(p, d, "{}: setting the default back restores the calibrated set", s.key);
        }
    }

    #[test]
    fn scales_act_on_every_kind_and_do_not_compound() {
        let mut p = Params::default();
        p.set("beta_cost_scale", 2.0).unwrap();
        p.set("beta_cost_scale", 2.0).unwrap();
        let d = Params::default();
        for k in 0..4 {
            assert_eq!(p.beta_cost[k], 2.0 * d.beta_cost[k]);
        }
        p.set("asc_tertiary_shift", 0.5).unwrap();
        assert_eq!(p.asc[2][2], d.asc[2][2] + 0.5);
    }

    #[test]
    fn bad_keys_and_values_name_the_key_and_the_allowed_values() {
        let mut p = Params::default();
        let e = p.set("nope", 1.0).unwrap_err().to_string();
        assert!(e.contains("'nope'") && e.contains("wait_scale"), "{e}");
        let e = p.set("duplicate_test", 1.5).unwrap_err().to_string();
        assert!(e.contains("'duplicate_test'") && e.contains("0 to 1"), "{e}");
        assert!(p.set("wait_scale", f64::NAN).is_err());
        assert_eq!(p, Params::default());
    }
}
