//! Doctors: who sees a patient, and how readily they refer up or down.
//!
//! Each doctor holds two propensities learned from payoffs each month: at a hospital, the
//! probability of proposing a downward referral of an eligible patient; at a primary
//! centre, the probability of referring up a moderate case that needs admission instead
//! of treating it. The payoff weighs income (a revenue-linked bonus), workload, the
//! appraisal bonus for referrals, risk, and the hospital's own stance (internal appraisal).

use crate::hospital::{Facility, marginal_margin, pooling, referral_payoffs};
use crate::levers::Levers;
use crate::params::Params;
use crate::rng::{SimRng, Stream, logistic};
use crate::tier::Tier;

/// Every doctor's state, as arrays indexed by doctor id.
#[derive(Debug, Clone, Default)]
pub struct Doctors {
    /// Facility of each doctor.
    pub facility: Vec<u16>,
    /// Propensity to refer a recovering or stable patient down (hospital doctors).
    pub down: Vec<f32>,
    /// Propensity to refer up a moderate case needing admission (primary doctors).
    pub up: Vec<f32>,
    /// A doctor's own attitude, a fixed logit offset drawn at start.
    pub bias: Vec<f32>,
    /// Outpatients seen this month.
    pub visits_month: Vec<u32>,
}

impl Doctors {
    /// Creates the doctors of every facility (facilities must already know their doctor ranges).
    pub fn new(facilities: &[Facility], seed: u64) -> Doctors {
        let mut rng = SimRng::new(seed, Stream::Staff);
        let mut d = Doctors::default();
        for (id, f) in facilities.iter().enumerate() {
            for _ in 0..f.doctors.1 {
                d.facility.push(id as u16);
                d.bias.push((0.6 * rng.normal()) as f32);
                d.down.push(0.2);
                d.up.push(0.5);
                d.visits_month.push(0);
            }
        }
        d
    }

    /// Number of doctors.
    pub fn len(&self) -> usize {
        self.facility.len()
    }

    /// True when there are no doctors.
    pub fn is_empty(&self) -> bool {
        self.facility.is_empty()
    }

    /// Monthly learning: every doctor moves each propensity toward the logit response to
    /// this month's payoff difference. `capability` holds each facility's effective
    /// capability, by facility id.
    pub fn learn(&mut self, facilities: &[Facility], capability: &[f64], levers: &Levers, params: &Params, days: f64) {
        let pool = pooling(levers);
        let primary: Vec<f64> =
            facilities.iter().zip(capability).filter(|(f, _)| f.tier == Tier::Primary).map(|(_, &c)| c).collect();
        let primary_capability = primary.iter().sum::<f64>() / primary.len().max(1) as f64;
        for id in 0..self.len() {
            let fid = usize::from(self.facility[id]);
            let f = &facilities[fid];
            let per_day = f64::from(self.visits_month[id]) / days * 365.0 / params.working_days;
            let overload = (per_day / params.visits_per_doctor_day[f.tier] - 1.0).max(0.0);
            let relief = params.workload_weight * overload;
            let bias = f64::from(self.bias[id]);
            if f.tier == Tier::Primary {
                // Refer up instead of admitting a moderate case: avoids the risk of treating
                // beyond skill and relieves workload, but gives up the admission's margin;
                // with pooled finances the consortium pays the dearer hospital stay.
                let need = params.moderate_need;
                let risk = params.treatment_risk * (need - capability[fid]).max(0.0);
                let stay = params.price_admission[Tier::Primary]
                    + params.price_bed_day[Tier::Primary] * params.los_moderate[Tier::Primary];
                let m = marginal_margin(levers, Tier::Primary, params);
                let income = params.doctor_revenue_share * m[0] * stay;
                let dearer = params.price_admission[Tier::Tertiary]
                    + params.price_bed_day[Tier::Tertiary] * params.los_moderate[Tier::Tertiary]
                    - stay;
                let pooled = pool * params.doctor_revenue_share * dearer;
                let payoff = risk + relief - income - pooled;
                let target = logistic(payoff / params.doctor_payoff_scale + params.up_bias + bias);
                self.up[id] += (params.doctor_learning * (target - f64::from(self.up[id]))) as f32;
            } else {
                let (send, recv) = referral_payoffs(levers, f.tier, params, 0.5);
                let income = params.doctor_revenue_share * (send + pool * recv);
                let appraisal = 300.0 * f.cooperation;
                let risk = params.referral_risk * (1.0 - primary_capability).max(0.0);
                let payoff = levers.referral_bonus + relief + income + appraisal - risk;
                let target = logistic(payoff / params.doctor_payoff_scale + params.down_bias + bias);
                self.down[id] += (params.doctor_learning * (target - f64::from(self.down[id]))) as f32;
            }
            self.visits_month[id] = 0;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::levers::LeverValue;

    fn learned_down(levers: &Levers) -> f64 {
        let fs = vec![Facility::for_tests(Tier::Tertiary, 50)];
        let mut d = Doctors::new(&fs, 1);
        for _ in 0..60 {
            d.learn(&fs, &[1.0], levers, &Params::default(), 30.0);
        }
        d.down.iter().map(|&x| f64::from(x)).sum::<f64>() / d.len() as f64
    }

    #[test]
    fn referral_bonus_raises_downward_propensity() {
        let base = learned_down(&Levers::default());
        let mut l = Levers::default();
        l.set("referral_bonus", &LeverValue::Number(300.0)).unwrap();
        let bonus = learned_down(&l);
        assert!(bonus > base + 0.2, "{base} -> {bonus}");
        assert!((0.05..0.5).contains(&base), "baseline willingness {base}");
    }

    #[test]
    fn budget_raises_downward_propensity() {
        let mut l = Levers::default();
        l.set("payment_method", &LeverValue::Text("global_budget".into())).unwrap();
        assert!(learned_down(&l) > learned_down(&Levers::default()));
    }

    #[test]
    fn capable_primary_doctors_refer_up_less() {
        let p = Params::default();
        let mut weak = vec![Facility::for_tests(Tier::Primary, 20)];
        weak[0].capability = 0.3;
        let mut strong = weak.clone();
        strong[0].capability = 0.8;
        let (mut a, mut b) = (Doctors::new(&weak, 2), Doctors::new(&strong, 2));
        for _ in 0..60 {
            a.learn(&weak, &[0.3], &Levers::default(), &p, 30.0);
            b.learn(&strong, &[0.8], &Levers::default(), &p, 30.0);
        }
        let mean = |d: &Doctors| d.up.iter().map(|&x| f64::from(x)).sum::<f64>() / d.len() as f64;
        assert!(mean(&a) > mean(&b) + 0.1);
    }
}
