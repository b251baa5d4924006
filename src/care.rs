//! The care pathway: from the onset of a need to its end (treated, referred, abandoned).
//!
//! A patient decides whether and where to seek care (`demand.rs`); a doctor there sees them
//! and decides to treat, admit (`inpatient.rs`) or refer up; every service is billed, and
//! the doctor's pay follows it; every outcome updates the patient's and a neighbour's trust.
//! All of it runs inside one simulated day, in the order of `sim.rs`.

use crate::doctor::Action;
use crate::levers::Gatekeeping;
use crate::num::id16;
use crate::params::Kind;
use crate::resident::NO_FACILITY;
use crate::sim::Simulation;
use crate::tier::Tier;

/// How many words of the trust stream an outcome draws ([`Simulation::outcome`]).
pub(crate) const OUTCOME_DRAWS: usize = 2;
/// Which of an outcome's draws, counted from 0, picks the neighbour its word of mouth reaches
/// (the first is the satisfaction draw).
pub(crate) const NEIGHBOUR_DRAW: usize = 1;

/// The tier above `tier`: where a patient sent up from it goes. Only primary centres and
/// secondary hospitals send patients up (tertiary hospitals treat every case).
pub(crate) fn up_from(tier: Tier) -> Tier {
    tier.above().expect("only primary centres and secondary hospitals send patients up")
}

impl Simulation {
    /// Today's new episodes and chronic routine visits.
    ///
    /// The illness stream is drawn for the whole day first (nothing else draws from it, so
    /// the draws are the same as drawing each just before its contact), and then the
    /// contacts run in that order. Knowing who comes next lets the processor load their
    /// record while the current contact runs: at a million residents a contact otherwise
    /// waits for main memory.
    pub(crate) fn arrivals(&mut self) {
        let mut due = std::mem::take(&mut self.arrivals_today);
        due.clear();
        let n = self.residents.population();
        for kind in [Kind::Minor, Kind::Moderate, Kind::Severe] {
            let mean = f64::from(n) * self.params.incidence[kind as usize] / 365.0;
            let count = self.rng.illness.poisson(mean);
            for _ in 0..count {
                due.push((self.rng.illness.below(n), kind));
            }
        }
        #[allow(
            clippy::cast_possible_truncation,
            reason = "chronic residents are some of the residents, fewer than 2^32"
        )]
        let chronic = self.residents.chronic_ids.len() as u32;
        if chronic > 0 {
            let mean = f64::from(chronic) * self.params.chronic_visits_per_year / 365.0;
            let count = self.rng.illness.poisson(mean);
            for _ in 0..count {
                due.push((self.residents.chronic_ids[self.rng.illness.below(chronic) as usize], Kind::Chronic));
            }
        }
        for j in 0..due.len() {
            self.load_ahead(&due, j);
            let (r, kind) = due[j];
            self.contact(r, kind);
        }
        self.arrivals_today = due;
    }

    /// One need for care, from choice to its end.
    fn contact(&mut self, r: u32, kind: Kind) {
        // Most contacts end with an outcome, whose word of mouth reaches a neighbour: start
        // loading that neighbour's record now.
        self.load_neighbour(r);
        self.today.episodes += 1;
        self.today.episodes_by_kind[kind as usize] += 1;
        let Some(u) = self.seeks_care(r, kind) else {
            self.forgo(kind);
            return;
        };
        let f = self.choose_with(r, kind, Tier::Primary, false, u);
        let tier = self.facilities[f].tier;
        let home = self.residents.home(r);
        let counts = &mut self.facilities[home].counts.first_contacts;
        counts[0] += 1;
        counts[1] += u32::from(tier == Tier::Primary);
        self.visit(r, f, kind, false);
    }

    /// A need that never reaches a provider.
    fn forgo(&mut self, kind: Kind) {
        self.today.forgone += 1;
        self.today.forgone_by_kind[kind as usize] += 1;
        self.today.unmet += 1;
    }

    /// The next doctor on duty at facility `f` (round robin).
    pub(crate) fn doctor_at(&mut self, f: usize) -> usize {
        let fac = &mut self.facilities[f];
        let d = fac.doctors.0 + fac.next_doctor;
        // `(next + 1) % doctors` without a division (next is always below doctors).
        fac.next_doctor += 1;
        if fac.next_doctor >= fac.doctors.1 {
            fac.next_doctor = 0;
        }
        d as usize
    }

    pub(crate) fn record_flow(&mut self, r: u32, f: usize) {
        let home = self.residents.home(r);
        self.flows[home * self.facilities.len() + f] += 1;
    }

    /// An outpatient visit and what follows from it.
    fn visit(&mut self, r: u32, f: usize, kind: Kind, referred: bool) {
        let tier = self.facilities[f].tier;
        let emergency = kind == Kind::Severe;
        let d = self.outpatient(r, f, referred, emergency);
        if referred {
            self.maybe_repeat_tests(f, referred);
        }
        let induce = self.facilities[f].inducement[0];
        let effect = self.params.inducement_effect;
        match kind {
            Kind::Minor | Kind::Moderate => {
                let mean = self.params.follow_ups[kind as usize] * (1.0 + effect[1] * induce);
                let cache = &mut self.facilities[f].follow_up_exp[kind as usize];
                for _ in 0..self.rng.clinical.poisson_cached(mean, cache) {
                    self.outpatient(r, f, referred, false);
                }
                let admit = kind == Kind::Moderate
                    && self.rng.clinical.chance(self.params.moderate_admission * (1.0 + effect[2] * induce));
                if !admit {
                    self.outcome(r, f, kind, false);
                } else if tier != Tier::Primary {
                    self.admit(f, r, kind, referred, d, false);
                } else if self.rng.doctors.chance(self.doctors.refer_probability(d, &self.params)) {
                    // The primary doctor refers the case up: nothing is booked to them for it.
                    self.doctors.learn(d, Action::Refer, 0, 0.0, &self.params);
                    self.refer_up(r, kind, f);
                } else if self.rng.clinical.chance(self.beyond_primary(f)) {
                    // Kept, but beyond the centre after all: the case goes up, and the doctor's
                    // books show what a case that goes up brings them: nothing.
                    self.doctors.learn(d, Action::Refer, 0, 0.0, &self.params);
                    self.send_up(r, f, kind);
                } else {
                    // Kept and admitted: the doctor learns from the stay when it ends.
                    self.admit(f, r, kind, referred, d, true);
                }
            }
            Kind::Severe => {
                if !self.rng.clinical.chance(self.params.severe_admission) {
                    self.outcome(r, f, kind, false);
                } else if tier == Tier::Primary
                    || (tier == Tier::Secondary && !self.rng.clinical.chance(self.params.secondary_capability))
                {
                    self.send_up(r, f, kind);
                } else {
                    self.admit(f, r, kind, referred, d, false);
                }
            }
            Kind::Chronic => self.chronic_visit(r, f, d),
        }
    }

    /// A chronic patient's routine visit at facility `f`, seen by doctor `d`.
    fn chronic_visit(&mut self, r: u32, f: usize, d: usize) {
        let tier = self.facilities[f].tier;
        if self.residents.usual(r) == NO_FACILITY {
            self.residents.set_usual(r, id16(f));
        }
        let mut bad = false;
        if tier != Tier::Primary && self.rng.clinical.chance(self.params.chronic_review_share) {
            // A review: the doctor may hand the patient back to their home centre.
            if self.propose_down(r, f, d, false) == crate::inpatient::Downward::Moved {
                self.residents.set_usual(r, id16(self.residents.home(r)));
            }
        } else if tier == Tier::Primary {
            if self.rng.clinical.chance(self.params.chronic_complication) {
                let h = self.choose(r, Kind::Chronic, Tier::Secondary, true);
                // A complication: the patient is referred to a specialist, who becomes their
                // usual doctor.
                self.today.upward += 1;
                self.today.referrals[Tier::Primary][self.facilities[h].tier] += 1;
                self.facilities[f].counts.referred_up += 1;
                self.facilities[h].counts.received_up += 1;
                self.outpatient(r, h, true, false);
                self.maybe_repeat_tests(h, true);
                self.residents.set_usual(r, id16(h));
            } else if !self.levers.unified_drug_list && self.rng.clinical.chance(self.params.drug_gap) {
                // The centre does not stock the patient's drug: they fetch the prescription at
                // their nearest hospital (an unreferred visit there) and leave unhappy.
                let hospital = usize::from(self.residents.candidates(r)[1]);
                self.outpatient(r, hospital, false, false);
                self.today.drug_gaps += 1;
                bad = true;
            }
        }
        self.outcome(r, f, Kind::Chronic, bad);
    }

    /// Probability that a moderate case needing admission is beyond primary centre `f`.
    pub(crate) fn beyond_primary(&self, f: usize) -> f64 {
        let p = &self.params;
        ((p.moderate_need - self.effective_capability(&self.facilities[f])) * p.beyond_slope).clamp(0.0, 1.0)
    }

    /// Books one outpatient visit: queue, wait, workload, bill and the doctor's pay for it.
    /// Returns the doctor seen.
    fn outpatient(&mut self, r: u32, f: usize, referred: bool, emergency: bool) -> usize {
        let fac = &mut self.facilities[f];
        let tier = fac.tier;
        self.today.wait_sum[tier] += fac.wait_today;
        self.today.wait_count[tier] += 1;
        self.today.visits[tier] += 1;
        if tier == Tier::Tertiary && !referred {
            self.today.tertiary_self_referred += 1;
        }
        fac.arrivals += 1.0;
        fac.visits_month += 1;
        let d = self.doctor_at(f);
        self.doctors.visits_month[d] += 1;
        self.record_flow(r, f);
        // The doctors' pay for visits is settled in one sum at the month's end
        // (`pay_visit_bonuses`): only what the visit brought is kept here.
        let (settled, _) = self.bill(f, self.params.price_visit[tier], referred, emergency, None);
        self.facilities[f].visit_net_month += settled.net();
        d
    }

    /// A receiving facility repeats tests unless its records are shared (the test is billed;
    /// its bonus joins the month's visit bonuses).
    fn maybe_repeat_tests(&mut self, f: usize, referred: bool) {
        let fac = &self.facilities[f];
        let p = self.params.duplicate_test * (1.0 - fac.records) * (1.0 + 0.5 * fac.inducement[0]);
        if self.rng.clinical.chance(p) {
            self.today.duplicate_tests += 1;
            let (settled, _) = self.bill(f, self.params.price_test, referred, false, None);
            self.facilities[f].visit_net_month += settled.net();
        }
    }

    /// A case beyond facility `f` must move up. The doctor uses the consortium's formal
    /// referral channel with a probability that grows with the facility's cooperation and
    /// its shared records (always under strict gatekeeping, where reimbursement needs it);
    /// otherwise the doctor only advises hospital care and the patient decides on their own.
    pub(crate) fn send_up(&mut self, r: u32, f: usize, kind: Kind) {
        let fac = &self.facilities[f];
        let tier = fac.tier;
        let formal = if self.levers.gatekeeping == Gatekeeping::Strict {
            1.0
        } else {
            fac.cooperation * (0.5 + 0.5 * fac.records)
        };
        if self.rng.doctors.chance(formal) {
            self.refer_up(r, kind, f);
        } else {
            let h = self.choose(r, kind, up_from(tier), false);
            if self.goes_on(r, kind, h) {
                let d = self.doctor_at(h);
                self.admit(h, r, kind, false, d, false);
            } else {
                self.forgo(kind);
            }
        }
    }

    /// A doctor at facility `from` refers the patient up: the patient accepts or goes without,
    /// then chooses among higher-tier candidates holding the referral and is admitted there.
    pub(crate) fn refer_up(&mut self, r: u32, kind: Kind, from: usize) {
        if !self.rng.choice.chance(self.params.accept_up) {
            self.today.unmet += 1;
            return;
        }
        let from_tier = self.facilities[from].tier;
        let h = self.choose(r, kind, up_from(from_tier), true);
        self.today.upward += 1;
        self.today.referrals[from_tier][self.facilities[h].tier] += 1;
        self.facilities[from].counts.referred_up += 1;
        self.facilities[h].counts.received_up += 1;
        let d = self.doctor_at(h);
        self.maybe_repeat_tests(h, true);
        self.admit(h, r, kind, true, d, false);
    }

    /// The end of an episode at facility `f`: the patient is satisfied or not (never after
    /// an adverse event or a missing drug: `bad`), and tells a neighbour. A bad outcome
    /// moves trust `negativity` times as far as a good one.
    ///
    /// Its draws from the trust stream are [`OUTCOME_DRAWS`] words, in a fixed order: whether
    /// the patient is satisfied, then ([`NEIGHBOUR_DRAW`]) the neighbour its word of mouth
    /// reaches. Reading ahead (`lookahead.rs`) peeks at that word to load the neighbour early.
    pub(crate) fn outcome(&mut self, r: u32, f: usize, kind: Kind, bad: bool) {
        let _ = kind;
        self.today.treated += 1;
        let fac = &self.facilities[f];
        let tier = fac.tier;
        let p = &self.params;
        let mut sat = p.satisfaction[tier] - 0.02 * fac.wait_today;
        if tier == Tier::Primary {
            sat += 0.5 * fac.capability_today;
            if self.residents.has_family_doctor(r, self.levers.family_doctor_coverage) {
                sat += 0.05;
            }
        }
        let good = self.rng.trust.chance(sat) && !bad;
        let step = if good { p.trust_learning } else { p.trust_learning * p.negativity };
        let target = if good { 1.0 } else { 0.0 };
        self.residents.learn(r, tier, target, step);
        let neighbour = self.residents.neighbour(r, &mut self.rng.trust);
        self.residents.learn(neighbour, tier, target, step * p.word_of_mouth);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::sim::small_region as small;

    #[test]
    fn capability_shrinks_the_cases_beyond_primary_care() {
        let mut sim = small();
        let f = sim.residents.home(0);
        sim.facilities[f].capability = 0.4;
        let weak = sim.beyond_primary(f);
        sim.facilities[f].capability = 0.8;
        let strong = sim.beyond_primary(f);
        assert!(weak > 0.5 && strong == 0.0, "{weak} {strong}");
    }

    #[test]
    fn a_chronic_complication_is_a_formal_referral_that_earns_both_sides_points() {
        let mut sim = small();
        sim.params.chronic_complication = 1.0;
        let r = 7;
        let f = sim.residents.home(r);
        let d = sim.doctor_at(f);
        sim.chronic_visit(r, f, d);
        let h = sim.residents.usual(r) as usize;
        assert_ne!(sim.facilities[h].tier, Tier::Primary, "the patient was referred to a hospital");
        assert_eq!(sim.today.upward, 1);
        assert_eq!(sim.facilities[f].counts.referred_up, 1, "the centre made a formal referral");
        assert_eq!(sim.facilities[h].counts.received_up, 1, "the hospital received it");
    }

    #[test]
    fn good_outcomes_raise_trust_and_reach_a_neighbour() {
        let mut sim = small();
        // Every outcome at primary care is good, and everyone starts from the same trust.
        sim.params.satisfaction[Tier::Primary] = 1.0;
        let n = sim.residents.population();
        for i in 0..n {
            sim.residents.set_trust(i, [0.5, 0.5, 0.5]);
        }
        let r = 40;
        let f = sim.residents.home(r);
        let outcomes = 60;
        for _ in 0..outcomes {
            sim.outcome(r, f, Kind::Minor, false);
        }
        assert_eq!(sim.today.treated, outcomes);
        assert!(sim.residents.trust(r)[Tier::Primary] > 0.9, "the patient's own trust rises toward 1");
        // Word of mouth: other residents heard of it, each from one outcome at a time (a step
        // of `word_of_mouth` of the patient's own toward 1), all of them in the patient's own
        // catchment, and nobody else's trust moved.
        let (a, b) = (sim.residents.catchment_start[f], sim.residents.catchment_start[f + 1]);
        let told: Vec<u32> = (0..n).filter(|&i| i != r && sim.residents.trust(i) != [0.5, 0.5, 0.5]).collect();
        assert!(u32::try_from(told.len()).unwrap() > outcomes / 2, "{} neighbours told", told.len());
        let one_step = 0.5 + sim.params.trust_learning * sim.params.word_of_mouth * 0.5;
        for &i in &told {
            assert!((a..b).contains(&i), "resident {i} outside catchment {a}..{b} was told");
            let t = sim.residents.trust(i);
            assert_eq!(&t[1..], &[0.5, 0.5], "only trust in the tier of the outcome moves");
            assert!(
                f64::from(t[Tier::Primary]) >= f64::from(crate::num::to_f32(one_step)) - 1e-6,
                "resident {i}: {t:?}"
            );
        }
    }

    #[test]
    fn the_peeked_word_is_the_neighbours_draw() {
        // Reading ahead guesses an outcome's neighbour from the trust stream's word
        // NEIGHBOUR_DRAW draws from now: that must be the resident whose trust the outcome
        // then moves, and the outcome must draw OUTCOME_DRAWS words in all.
        let mut sim = small();
        let n = sim.residents.population();
        for i in 0..n {
            sim.residents.set_trust(i, [0.5; 3]);
        }
        let mut told = 0;
        for r in (0..n).step_by(7) {
            let f = sim.residents.home(r);
            let guess = sim.residents.neighbour_from(r, sim.rng.trust.peek_word(NEIGHBOUR_DRAW).unwrap());
            let mut after = sim.rng.trust.clone();
            for _ in 0..OUTCOME_DRAWS {
                after.next_word();
            }
            let before: Vec<[f32; 3]> = (0..n).map(|i| sim.residents.trust(i)).collect();
            sim.outcome(r, f, Kind::Minor, false);
            let moved: Vec<u32> = (0..n).filter(|&i| i != r && sim.residents.trust(i) != before[i as usize]).collect();
            if guess != r {
                assert_eq!(moved, [guess], "resident {r}");
                told += 1;
            }
            assert_eq!(sim.rng.trust.next_word(), after.next_word(), "resident {r}: draws of an outcome");
        }
        assert!(told > 50, "{told} outcomes told a neighbour other than the patient");
    }

    #[test]
    fn a_bad_outcome_moves_trust_further_than_a_good_one() {
        let mut sim = small();
        sim.params.satisfaction[Tier::Primary] = 1.0;
        sim.residents.set_trust(3, [0.5, 0.5, 0.5]);
        let f = sim.residents.home(3);
        sim.outcome(3, f, Kind::Minor, false);
        let up = f64::from(sim.residents.trust(3)[Tier::Primary]) - 0.5;
        sim.residents.set_trust(3, [0.5, 0.5, 0.5]);
        sim.outcome(3, f, Kind::Minor, true);
        let down = 0.5 - f64::from(sim.residents.trust(3)[Tier::Primary]);
        assert!((down / up - sim.params.negativity).abs() < 1e-3, "{up} {down}");
    }
}
