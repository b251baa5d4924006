//! Scenarios: a preset, lever overrides and the structural settings of a run.

use crate::change::Change;
use crate::error::SimError;
use crate::levers::{LeverValue, Levers};
use serde::Serialize;

/// Smallest population a run accepts: below it a region has too few facilities per tier.
pub const MIN_POPULATION: u32 = 1_000;
/// Largest population a run accepts, so the model's state (about 40 bytes per resident)
/// stays well inside a browser tab's 4 GiB address space.
pub const MAX_POPULATION: u32 = 20_000_000;
/// Longest horizon in years.
pub const MAX_YEARS: u32 = 50;

/// A resolved scenario: everything a run needs, and everything the JSON output reports.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scenario {
    /// Name of the preset the levers started from.
    pub preset: String,
    /// Every lever, resolved.
    pub levers: Levers,
    /// Residents in the region.
    pub population: u32,
    /// Share of residents living in the urban core, 0..1.
    pub urban_share: f64,
    /// Simulated years.
    pub years: u32,
    /// Master seed of every random stream.
    pub seed: u64,
    /// Lever changes during the run (`change.rs`), left out of the JSON when there are none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<Change>,
}

impl Default for Scenario {
    fn default() -> Self {
        Scenario {
            preset: "status_quo".into(),
            levers: Levers::default(),
            population: 100_000,
            urban_share: 0.6,
            years: 5,
            seed: 1,
            changes: Vec::new(),
        }
    }
}

/// A named scenario with what it stands for and where its values come from.
#[derive(Debug, Clone, Copy)]
pub struct Preset {
    /// The name used on the command line and in URLs.
    pub name: &'static str,
    /// One paragraph: what the preset stands for and its sources.
    pub description: &'static str,
    /// Lever changes from `status_quo`, as (key, value) pairs.
    pub changes: &'static [(&'static str, &'static str)],
    /// Urban share of the region (a county is mostly rural).
    pub urban_share: f64,
}

/// The five presets of the brief.
pub const PRESETS: &[Preset] = &[
    Preset {
        name: "status_quo",
        description: "A loose consortium (technical help only, separate finances) paid by fee-for-service, with a moderate reimbursement gap (80% primary, 65% secondary, 55% tertiary; NCMS/URBMI ladders of 20-35 points, domain-evidence 2.7), 30% family-doctor contracting (27.8% in a 2024 three-province survey, 2.9), little information sharing and outreach. It is the calibrated baseline: it reproduces the brief's stylized facts (visit and admission shares by tier from the NHC 2019 monthly report, occupancy, price gradient, the 'more up, less down' referral asymmetry).",
        changes: &[],
        urban_share: 0.6,
    },
    Preset {
        name: "close_consortium",
        description: "A close consortium with pooled finances ('one pot'), a global budget with the balance retained, shared records and mutual recognition of tests, the health commission's 100-yuan bonus to the doctor per downward referral, a unified drug list and wider family-doctor teams, in the spirit of the Luohu (Shenzhen) hospital group from 2015 (Wang et al., IJIC 2018; Bull WHO 2018) and the Zhenjiang Kangfu group (domain-evidence 2.11).",
        changes: &[
            ("integration", "close"),
            ("payment_method", "global_budget"),
            ("info_sharing", "0.8"),
            ("referral_bonus", "100"),
            ("unified_drug_list", "true"),
            ("family_doctor_coverage", "0.45"),
        ],
        urban_share: 0.6,
    },
    Preset {
        name: "county_community",
        description: "A rural county medical community (xianyu yigongti) whose insurance fund is prepaid by capitation to the county consortium, with a steeper reimbursement ladder and county-hospital doctors sent down, in the spirit of Anhui's Funan and Dingyuan pilots from 2016 (IJIC 2019;19(3):1; BMC Public Health 2024) and Sichuan's compact county communities (PLoS ONE 2024). The region is 25% urban.",
        changes: &[
            ("payment_method", "capitation"),
            ("integration", "close"),
            ("reimbursement_primary", "0.85"),
            ("reimbursement_secondary", "0.70"),
            ("reimbursement_tertiary", "0.50"),
            ("specialist_outreach", "0.15"),
            ("info_sharing", "0.4"),
        ],
        urban_share: 0.25,
    },
    Preset {
        name: "gatekeeping",
        description: "Strict first contact at primary care: secondary and tertiary care is reimbursed only with a referral (emergencies exempt), with family-doctor coverage of 80% and a public campaign, closer to the UK and Singapore. The northern-China NCMS gatekeeping pilot raised primary visits by 55% and cut hospital visits by 24% (Xu, Powell-Jackson & Mills, BMJ Glob Health 2020).",
        changes: &[("gatekeeping", "strict"), ("family_doctor_coverage", "0.8"), ("awareness_campaign", "0.5")],
        urban_share: 0.6,
    },
    Preset {
        name: "outreach_only",
        description: "Tertiary specialists spend 30% of their time in primary centres ('pairing assistance', sending doctors down), with payment and integration unchanged. Evidence from the NHSS 2013/2018 suggests it contained utilisation but did not shift visits to primary care, because the hospitals' incentives stayed the same.",
        changes: &[("specialist_outreach", "0.3")],
        urban_share: 0.6,
    },
];

/// The preset named `name`, or an error listing the presets.
pub fn preset(name: &str) -> Result<&'static Preset, SimError> {
    PRESETS.iter().find(|p| p.name == name).ok_or_else(|| SimError::UnknownPreset {
        name: name.to_string(),
        allowed: PRESETS.iter().map(|p| p.name).collect::<Vec<_>>().join(", "),
    })
}

/// Structural settings that are not levers.
pub const SETTINGS: &[(&str, &str)] = &[
    ("population", "a whole number from 1000 to 20000000"),
    ("urban_share", "a number from 0 to 1"),
    ("years", "a whole number from 1 to 50"),
    ("seed", "a whole number from 0 to 18446744073709551615"),
];

impl Scenario {
    /// The scenario of preset `name` with default settings.
    pub fn from_preset(name: &str) -> Result<Scenario, SimError> {
        let p = preset(name)?;
        let mut s = Scenario { preset: p.name.to_string(), urban_share: p.urban_share, ..Scenario::default() };
        for (key, value) in p.changes {
            s.levers.set(key, &LeverValue::Text((*value).to_string()))?;
        }
        Ok(s)
    }

    /// Sets a lever or a structural setting by key from text.
    pub fn set(&mut self, key: &str, value: &str) -> Result<(), SimError> {
        match key {
            "population" => self.set_population(value.trim().parse::<u64>().ok(), value),
            "years" => {
                let y = value.trim().parse::<u32>().ok().filter(|y| (1..=MAX_YEARS).contains(y));
                self.years = y.ok_or_else(|| SimError::invalid("years", value, setting_allowed("years")))?;
                Ok(())
            }
            "seed" => {
                self.seed = value
                    .trim()
                    .parse::<u64>()
                    .map_err(|_| SimError::invalid("seed", value, setting_allowed("seed")))?;
                Ok(())
            }
            "urban_share" => {
                let u = value.trim().parse::<f64>().ok().filter(|u| (0.0..=1.0).contains(u));
                self.urban_share =
                    u.ok_or_else(|| SimError::invalid("urban_share", value, setting_allowed("urban_share")))?;
                Ok(())
            }
            _ => self.levers.set(key, &LeverValue::Text(value.to_string())).map_err(|e| match e {
                // Here settings are accepted too, so the message lists them as well.
                SimError::UnknownKey { key, allowed, .. } => SimError::UnknownKey {
                    key,
                    kind: "lever or setting",
                    allowed: format!("{allowed}, {}", SETTINGS.iter().map(|(k, _)| *k).collect::<Vec<_>>().join(", ")),
                },
                other => other,
            }),
        }
    }

    /// Sets the population, checking it fits in memory.
    pub fn set_population(&mut self, n: Option<u64>, as_given: &str) -> Result<(), SimError> {
        match n.and_then(|n| u32::try_from(n).ok()) {
            Some(n) if (MIN_POPULATION..=MAX_POPULATION).contains(&n) => {
                self.population = n;
                Ok(())
            }
            _ => Err(SimError::invalid("population", as_given, setting_allowed("population"))),
        }
    }

    /// Checks the settings and the changes during the run (levers are checked when set).
    pub fn validate(&self) -> Result<(), SimError> {
        if !(MIN_POPULATION..=MAX_POPULATION).contains(&self.population) {
            return Err(SimError::invalid("population", self.population, setting_allowed("population")));
        }
        if !(1..=MAX_YEARS).contains(&self.years) {
            return Err(SimError::invalid("years", self.years, setting_allowed("years")));
        }
        if !(0.0..=1.0).contains(&self.urban_share) {
            return Err(SimError::invalid("urban_share", self.urban_share, setting_allowed("urban_share")));
        }
        crate::change::check(&self.changes, self.years)
    }
}

fn setting_allowed(key: &str) -> &'static str {
    SETTINGS.iter().find(|(k, _)| *k == key).map(|(_, a)| *a).unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_preset_resolves() {
        for p in PRESETS {
            let s = Scenario::from_preset(p.name).unwrap();
            assert_eq!(s.preset, p.name);
            s.validate().unwrap();
        }
    }

    #[test]
    fn status_quo_is_default_levers() {
        assert_eq!(Scenario::from_preset("status_quo").unwrap().levers, Levers::default());
    }

    #[test]
    fn bad_settings_name_key_and_range() {
        let mut s = Scenario::default();
        let e = s.set("years", "0").unwrap_err().to_string();
        assert!(e.contains("'years'") && e.contains("1 to 50"), "{e}");
        let e = s.set("population", "999999999999").unwrap_err().to_string();
        assert!(e.contains("'population'") && e.contains("20000000"), "{e}");
        assert!(s.set("seed", "-3").is_err());
        assert!(s.set("urban_share", "2").is_err());
        let e = Scenario::from_preset("utopia").unwrap_err().to_string();
        assert!(e.contains("utopia") && e.contains("close_consortium"), "{e}");
    }
}
