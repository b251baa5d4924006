//! The policy levers: the contract shared by the CLI, the wasm API and the page.
//!
//! Every lever has a key, a kind that fixes its type and range, a unit and a meaning.
//! Values are validated here and nowhere else, so every front end reports the same
//! message for the same mistake.

use crate::error::SimError;
use crate::tier::Tier;
use serde::Serialize;

/// How the insurer pays providers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PaymentMethod {
    /// Every service is paid at list price.
    FeeForService,
    /// Each facility receives a prospective budget from its past claims and keeps the balance.
    GlobalBudget,
    /// Each facility receives a fixed amount a year per resident of its catchment (a rate by
    /// tier set from a year of claims, then growing at the budget cap); under semi-close and
    /// close integration the consortium pools it with the rest of its result.
    Capitation,
    /// Admissions are paid a fixed case rate by tier and severity; outpatient care by fee.
    Drg,
}

/// How tightly the consortium is bound.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Integration {
    /// Technical help only; separate finances.
    Loose,
    /// Shared management; finances still separate, partly pooled appraisal.
    SemiClose,
    /// One legal entity with pooled finances ("one pot").
    Close,
}

/// First-contact rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Gatekeeping {
    /// Patients go where they like.
    None,
    /// Lower reimbursement when bypassing primary care.
    Soft,
    /// A referral is required for reimbursed secondary and tertiary care (emergencies exempt).
    Strict,
}

/// The value of every lever. `Default` is the `status_quo` preset.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Levers {
    /// Share of a primary-tier bill the insurer pays.
    pub reimbursement_primary: f64,
    /// Share of a secondary-tier bill the insurer pays.
    pub reimbursement_secondary: f64,
    /// Share of a tertiary-tier bill the insurer pays.
    pub reimbursement_tertiary: f64,
    /// How the insurer pays providers.
    pub payment_method: PaymentMethod,
    /// How tightly the consortium is bound.
    pub integration: Integration,
    /// Interoperable records and mutual recognition of tests, 0..1.
    pub info_sharing: f64,
    /// Share of tertiary specialist time spent in primary centres, 0..1.
    pub specialist_outreach: f64,
    /// Appraisal reward to a doctor per appropriate downward referral, yuan.
    pub referral_bonus: f64,
    /// First-contact rules.
    pub gatekeeping: Gatekeeping,
    /// Public information on tiered care, 0..1.
    pub awareness_campaign: f64,
    /// Primary centres can prescribe what hospitals prescribe.
    pub unified_drug_list: bool,
    /// Share of residents contracted with a primary-care family doctor, 0..1.
    pub family_doctor_coverage: f64,
    /// Training and equipment money for primary care, yuan per resident per year.
    pub primary_investment: f64,
    /// Multiplier on tertiary beds and outpatient slots (1 = baseline).
    pub tertiary_capacity: f64,
    /// Strength of the health commission's appraisal of facilities on tiered-care
    /// indicators, with rewards and penalties, 0..1.
    pub kpi_appraisal: f64,
}

impl Default for Levers {
    fn default() -> Self {
        Levers {
            reimbursement_primary: 0.80,
            reimbursement_secondary: 0.65,
            reimbursement_tertiary: 0.55,
            payment_method: PaymentMethod::FeeForService,
            integration: Integration::Loose,
            info_sharing: 0.2,
            specialist_outreach: 0.05,
            referral_bonus: 0.0,
            gatekeeping: Gatekeeping::None,
            awareness_campaign: 0.2,
            unified_drug_list: false,
            family_doctor_coverage: 0.3,
            primary_investment: 20.0,
            tertiary_capacity: 1.0,
            kpi_appraisal: 0.0,
        }
    }
}

/// Largest value of a lever in yuan (a bonus per referral, an investment per resident): far
/// above any policy, and low enough that money counted in fen cannot overflow (a 5.7e103 yuan
/// bonus overflowed the doctors' pay; issue 20).
pub const MAX_YUAN: f64 = 100_000.0;
/// Largest value of a multiplier lever (tertiary capacity): ten times today's beds; at 1.9e161
/// the bed counts overflowed (issue 20).
pub const MAX_MULTIPLIER: f64 = 10.0;

/// The type and range of a lever.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum LeverKind {
    /// A number in [0, 1].
    Share,
    /// A number of yuan, >= 0.
    Yuan,
    /// A multiplier > 0.
    Multiplier,
    /// One of a fixed list of names.
    Choice(&'static [&'static str]),
    /// `true` or `false`.
    Switch,
}

impl LeverKind {
    /// The allowed values, as a phrase for error messages and `levers` listings.
    pub fn allowed(&self) -> String {
        match self {
            LeverKind::Share => "a number from 0 to 1".into(),
            LeverKind::Yuan => format!("a number of yuan >= 0 and <= {MAX_YUAN}"),
            LeverKind::Multiplier => format!("a number > 0 and <= {MAX_MULTIPLIER}"),
            LeverKind::Choice(names) => names.join(", "),
            LeverKind::Switch => "true, false".into(),
        }
    }
}

/// Description of one lever, for listings, tooltips and validation.
#[derive(Debug, Clone, Copy)]
pub struct LeverSpec {
    /// The key used everywhere.
    pub key: &'static str,
    /// Type and range.
    pub kind: LeverKind,
    /// Unit shown next to the control.
    pub unit: &'static str,
    /// Which stakeholder sets or lives with this lever (for grouping controls).
    pub group: &'static str,
    /// What it means, one sentence.
    pub meaning: &'static str,
    /// Writes a value, already checked against `kind`, into its field.
    set: fn(&mut Levers, Checked),
}

/// A lever value checked against its [`LeverKind`]: a number, a switch, or the index of a
/// choice in the kind's list of names.
#[derive(Debug, Clone, Copy)]
enum Checked {
    Number(f64),
    Switch(bool),
    Choice(usize),
}

/// The setter of a number lever.
macro_rules! number {
    ($field:ident) => {
        |l, v| {
            if let Checked::Number(x) = v {
                l.$field = x;
            }
        }
    };
}

/// The setter of a choice lever: the chosen entry of `$values`, in the order of its names.
macro_rules! choice {
    ($field:ident, $values:expr) => {
        |l, v| {
            if let Checked::Choice(i) = v {
                l.$field = $values[i];
            }
        }
    };
}

/// Payment method names, in the order of [`PaymentMethod`].
pub const PAYMENT_METHODS: &[&str] = &["fee_for_service", "global_budget", "capitation", "drg"];
/// Integration names, in the order of [`Integration`].
pub const INTEGRATIONS: &[&str] = &["loose", "semi_close", "close"];
/// Gatekeeping names, in the order of [`Gatekeeping`].
pub const GATEKEEPINGS: &[&str] = &["none", "soft", "strict"];

/// Every lever, in the brief's order. A lever is its field in [`Levers`] (with its default)
/// and its entry here, whose setter writes a checked value into that field.
pub const LEVERS: &[LeverSpec] = &[
    LeverSpec {
        key: "reimbursement_primary",
        kind: LeverKind::Share,
        unit: "share of bill",
        group: "insurer",
        meaning: "share of a primary-tier bill the insurer pays",
        set: number!(reimbursement_primary),
    },
    LeverSpec {
        key: "reimbursement_secondary",
        kind: LeverKind::Share,
        unit: "share of bill",
        group: "insurer",
        meaning: "share of a secondary-tier bill the insurer pays",
        set: number!(reimbursement_secondary),
    },
    LeverSpec {
        key: "reimbursement_tertiary",
        kind: LeverKind::Share,
        unit: "share of bill",
        group: "insurer",
        meaning: "share of a tertiary-tier bill the insurer pays",
        set: number!(reimbursement_tertiary),
    },
    LeverSpec {
        key: "payment_method",
        kind: LeverKind::Choice(PAYMENT_METHODS),
        unit: "",
        group: "insurer",
        meaning: "how the insurer pays providers",
        set: choice!(
            payment_method,
            [PaymentMethod::FeeForService, PaymentMethod::GlobalBudget, PaymentMethod::Capitation, PaymentMethod::Drg]
        ),
    },
    LeverSpec {
        key: "integration",
        kind: LeverKind::Choice(INTEGRATIONS),
        unit: "",
        group: "hospitals",
        meaning: "how tightly the consortium is bound: technical help only; shared management; pooled finances (\"one pot\")",
        set: choice!(integration, [Integration::Loose, Integration::SemiClose, Integration::Close]),
    },
    LeverSpec {
        key: "info_sharing",
        kind: LeverKind::Share,
        unit: "0..1",
        group: "hospitals",
        meaning: "interoperable records and mutual recognition of tests: fewer duplicate tests, smoother referral, better primary diagnosis",
        set: number!(info_sharing),
    },
    LeverSpec {
        key: "specialist_outreach",
        kind: LeverKind::Share,
        unit: "share of time",
        group: "hospitals",
        meaning: "share of tertiary specialist time spent in primary centres",
        set: number!(specialist_outreach),
    },
    LeverSpec {
        key: "referral_bonus",
        kind: LeverKind::Yuan,
        unit: "yuan per referral",
        group: "doctors",
        meaning: "appraisal reward to a doctor per appropriate downward referral",
        set: number!(referral_bonus),
    },
    LeverSpec {
        key: "gatekeeping",
        kind: LeverKind::Choice(GATEKEEPINGS),
        unit: "",
        group: "patients",
        meaning: "soft: lower reimbursement when bypassing primary care; strict: a referral is required for secondary and tertiary care",
        set: choice!(gatekeeping, [Gatekeeping::None, Gatekeeping::Soft, Gatekeeping::Strict]),
    },
    LeverSpec {
        key: "awareness_campaign",
        kind: LeverKind::Share,
        unit: "0..1",
        group: "patients",
        meaning: "public information on tiered care",
        set: number!(awareness_campaign),
    },
    LeverSpec {
        key: "unified_drug_list",
        kind: LeverKind::Switch,
        unit: "",
        group: "doctors",
        meaning: "primary centres can prescribe what hospitals prescribe",
        set: |l, v| {
            if let Checked::Switch(on) = v {
                l.unified_drug_list = on;
            }
        },
    },
    LeverSpec {
        key: "family_doctor_coverage",
        kind: LeverKind::Share,
        unit: "share of residents",
        group: "patients",
        meaning: "share of residents contracted with a primary-care family doctor",
        set: number!(family_doctor_coverage),
    },
    LeverSpec {
        key: "primary_investment",
        kind: LeverKind::Yuan,
        unit: "yuan per resident per year",
        group: "hospitals",
        meaning: "training and equipment money that raises primary capability over time",
        set: number!(primary_investment),
    },
    LeverSpec {
        key: "tertiary_capacity",
        kind: LeverKind::Multiplier,
        unit: "x baseline",
        group: "hospitals",
        meaning: "tertiary beds and outpatient slots (1 = baseline)",
        set: number!(tertiary_capacity),
    },
    LeverSpec {
        key: "kpi_appraisal",
        kind: LeverKind::Share,
        unit: "0..1",
        group: "hospitals",
        meaning: "strength of the health commission's appraisal of facilities on tiered-care indicators (downward transfers, primary first contact), with rewards and penalties of up to a few per cent of revenue",
        set: number!(kpi_appraisal),
    },
];

/// A lever value before validation: what a front end hands over.
#[derive(Debug, Clone, PartialEq)]
pub enum LeverValue {
    /// A number.
    Number(f64),
    /// A name (for choices) or any text to be parsed.
    Text(String),
    /// A switch.
    Bool(bool),
}

impl From<&serde_json::Value> for LeverValue {
    /// A lever value as JSON (or TOML, read into JSON) holds it: a number, a name or a
    /// switch; anything else as its JSON text, which the lever's setter refuses by name.
    fn from(v: &serde_json::Value) -> LeverValue {
        match v {
            serde_json::Value::Number(n) => LeverValue::Number(n.as_f64().unwrap_or(f64::NAN)),
            serde_json::Value::String(s) => LeverValue::Text(s.clone()),
            serde_json::Value::Bool(b) => LeverValue::Bool(*b),
            other => LeverValue::Text(other.to_string()),
        }
    }
}

impl std::fmt::Display for LeverValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LeverValue::Number(x) => write!(f, "{x}"),
            LeverValue::Text(s) => write!(f, "{s}"),
            LeverValue::Bool(b) => write!(f, "{b}"),
        }
    }
}

/// The spec of `key`, or an error listing every lever key.
pub fn lever_spec(key: &str) -> Result<&'static LeverSpec, SimError> {
    LEVERS.iter().find(|s| s.key == key).ok_or_else(|| SimError::UnknownKey {
        key: key.to_string(),
        kind: "lever",
        allowed: LEVERS.iter().map(|s| s.key).collect::<Vec<_>>().join(", "),
    })
}

fn number(key: &str, kind: LeverKind, value: &LeverValue) -> Result<f64, SimError> {
    let bad = || SimError::invalid(key, value, kind.allowed());
    let x = match value {
        LeverValue::Number(x) => *x,
        LeverValue::Text(s) => s.trim().parse::<f64>().map_err(|_| bad())?,
        LeverValue::Bool(_) => return Err(bad()),
    };
    let ok = x.is_finite()
        && match kind {
            LeverKind::Share => (0.0..=1.0).contains(&x),
            LeverKind::Yuan => (0.0..=MAX_YUAN).contains(&x),
            LeverKind::Multiplier => x > 0.0 && x <= MAX_MULTIPLIER,
            _ => false,
        };
    if ok { Ok(x) } else { Err(bad()) }
}

fn choice(key: &str, names: &'static [&'static str], value: &LeverValue) -> Result<usize, SimError> {
    let text = match value {
        LeverValue::Text(s) => s.trim(),
        _ => "",
    };
    names.iter().position(|n| *n == text).ok_or_else(|| SimError::invalid(key, value, names.join(", ")))
}

fn switch(key: &str, value: &LeverValue) -> Result<bool, SimError> {
    match value {
        LeverValue::Bool(b) => Ok(*b),
        LeverValue::Text(s) if s.trim() == "true" => Ok(true),
        LeverValue::Text(s) if s.trim() == "false" => Ok(false),
        _ => Err(SimError::invalid(key, value, "true, false")),
    }
}

impl Levers {
    /// Sets lever `key` to `value`, validating both. On error nothing changes.
    pub fn set(&mut self, key: &str, value: &LeverValue) -> Result<(), SimError> {
        let spec = lever_spec(key)?;
        let checked = match spec.kind {
            LeverKind::Choice(names) => Checked::Choice(choice(key, names, value)?),
            LeverKind::Switch => Checked::Switch(switch(key, value)?),
            kind => Checked::Number(number(key, kind, value)?),
        };
        (spec.set)(self, checked);
        Ok(())
    }

    /// The value of lever `key` as text, the same form `set` accepts.
    pub fn get(&self, key: &str) -> Result<String, SimError> {
        lever_spec(key)?;
        let v = serde_json::to_value(self).expect("levers serialise");
        Ok(match &v[key] {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        })
    }

    /// Reimbursement rate of a tier.
    pub fn reimbursement(&self, tier: Tier) -> f64 {
        [self.reimbursement_primary, self.reimbursement_secondary, self.reimbursement_tertiary][tier]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_lever_can_be_set_and_read_back() {
        let mut l = Levers::default();
        for spec in LEVERS {
            let current = l.get(spec.key).unwrap();
            l.set(spec.key, &LeverValue::Text(current.clone())).unwrap();
            assert_eq!(l.get(spec.key).unwrap(), current);
        }
    }

    #[test]
    fn every_value_of_every_choice_and_switch_can_be_set_and_read_back() {
        let mut l = Levers::default();
        for spec in LEVERS {
            let values: &[&str] = match spec.kind {
                LeverKind::Choice(names) => names,
                LeverKind::Switch => &["true", "false"],
                _ => &["0.25", "0.5"],
            };
            for v in values {
                l.set(spec.key, &LeverValue::Text((*v).to_string())).unwrap();
                assert_eq!(l.get(spec.key).unwrap(), *v, "{}", spec.key);
            }
        }
        l.set("payment_method", &LeverValue::Text("global_budget".into())).unwrap();
        assert_eq!(l.payment_method, PaymentMethod::GlobalBudget);
        l.set("referral_bonus", &LeverValue::Number(0.1 + 0.2)).unwrap();
        assert_eq!(l.referral_bonus.to_bits(), (0.1f64 + 0.2).to_bits(), "numbers are set exactly");
    }

    #[test]
    fn out_of_range_share_names_key_and_range() {
        let mut l = Levers::default();
        let e = l.set("info_sharing", &LeverValue::Number(1.5)).unwrap_err().to_string();
        assert!(e.contains("info_sharing") && e.contains("0 to 1"), "{e}");
        assert_eq!(l, Levers::default());
    }

    #[test]
    fn unknown_key_lists_keys() {
        let e = Levers::default().set("nope", &LeverValue::Number(1.0)).unwrap_err().to_string();
        assert!(e.contains("nope") && e.contains("gatekeeping"), "{e}");
    }

    #[test]
    fn choices_and_switches_validate() {
        let mut l = Levers::default();
        l.set("payment_method", &LeverValue::Text("drg".into())).unwrap();
        assert_eq!(l.payment_method, PaymentMethod::Drg);
        let e = l.set("payment_method", &LeverValue::Text("cash".into())).unwrap_err().to_string();
        assert!(e.contains("fee_for_service, global_budget, capitation, drg"), "{e}");
        assert!(l.set("unified_drug_list", &LeverValue::Number(1.0)).is_err());
        l.set("unified_drug_list", &LeverValue::Bool(true)).unwrap();
        assert!(l.unified_drug_list);
    }

    #[test]
    fn numbers_reject_nan_negative_and_zero_multiplier() {
        let mut l = Levers::default();
        assert!(l.set("referral_bonus", &LeverValue::Number(-1.0)).is_err());
        assert!(l.set("referral_bonus", &LeverValue::Number(f64::NAN)).is_err());
        // Bounded above, where money in fen and bed counts would overflow (issue 20's fuzzing).
        assert!(l.set("referral_bonus", &LeverValue::Number(5.7e103)).is_err());
        assert!(l.set("primary_investment", &LeverValue::Number(MAX_YUAN + 1.0)).is_err());
        l.set("referral_bonus", &LeverValue::Number(MAX_YUAN)).unwrap();
        assert!(l.set("tertiary_capacity", &LeverValue::Number(1.9e161)).is_err());
        assert!(l.set("tertiary_capacity", &LeverValue::Number(10.5)).is_err());
        l.set("tertiary_capacity", &LeverValue::Number(MAX_MULTIPLIER)).unwrap();
        assert!(l.set("tertiary_capacity", &LeverValue::Number(0.0)).is_err());
        assert!(l.set("tertiary_capacity", &LeverValue::Text("abc".into())).is_err());
        l.set("tertiary_capacity", &LeverValue::Text("1.5".into())).unwrap();
        assert_eq!(l.tertiary_capacity, 1.5);
    }
}
