//! The care pathway: from the onset of a need to its end (treated, referred, abandoned).
//!
//! A patient chooses a provider (or goes without); a doctor there sees them and decides to
//! treat, admit, or refer up; a hospital doctor may refer a recovering or stable patient
//! down; every service is billed; every outcome updates the patient's and a neighbour's
//! trust. All of it runs inside one simulated day, in the order of `sim.rs`.

use crate::hospital::Pending;
use crate::insurer::reimbursement;
use crate::levers::Gatekeeping;
use crate::logit::logit_choice;
use crate::params::Kind;
use crate::patient::{NO_FACILITY, personal_utility};
use crate::rng::logistic;
use crate::sim::{HORIZON, Simulation, Stay};
use crate::tier::Tier;

const KINDS: [Kind; 4] = [Kind::Minor, Kind::Moderate, Kind::Severe, Kind::Chronic];
/// Days a patient waits for a bed before giving up, by kind (moderate, severe).
const PATIENCE: [u32; 3] = [0, 14, 30];
/// The tier of each candidate slot of a resident (see `Resident::candidates`).
const SLOT_TIER: [Tier; 4] = [Tier::Primary, Tier::Secondary, Tier::Tertiary, Tier::Tertiary];
/// How many contacts ahead a resident's record is prefetched (natively).
const PREFETCH_AHEAD: usize = 4;
/// How many residents' records are loaded together where there is no prefetch (wasm).
const LOAD_BATCH: usize = 8;
const _: () = assert!(LOAD_BATCH <= crate::patient::TOUCH_MAX);

/// The tier above `tier`: where a patient sent up from it goes. Only primary centres and
/// secondary hospitals send patients up (tertiary hospitals treat every case).
fn up_from(tier: Tier) -> Tier {
    tier.above().expect("only primary centres and secondary hospitals send patients up")
}

impl Simulation {
    /// Refreshes what patients see of each facility: prices after reimbursement, yesterday's
    /// waits, and the policy terms; also today's effect of outreach and record sharing.
    pub(crate) fn refresh_offers(&mut self) {
        let l = &self.levers;
        let p = &self.params;
        let (mut coop, mut n) = (0.0, 0.0);
        for f in self.facilities.iter().filter(|f| f.tier == Tier::Tertiary) {
            coop += f.cooperation;
            n += 1.0;
        }
        let tertiary_coop = coop / n;
        let mean_coop = self.facilities.iter().map(|f| f.cooperation).sum::<f64>() / self.facilities.len() as f64;
        // Sending doctors down is a mandate in every consortium, but how much of it reaches
        // primary care depends on the tertiary hospitals' cooperation.
        self.outreach_effect = l.specialist_outreach * (0.5 + 0.5 * tertiary_coop);
        self.info_effect = l.info_sharing * (0.5 + 0.5 * mean_coop);
        for f in &mut self.facilities {
            let tier = f.tier;
            f.wait_today = f.visit_wait();
            for kind in KINDS {
                let k = kind as usize;
                let wait = if kind == Kind::Severe { f.bed_wait() } else { f.wait_today };
                let admit = match kind {
                    Kind::Moderate => p.moderate_admission,
                    Kind::Severe => p.severe_admission,
                    _ => 0.0,
                };
                let los = if kind == Kind::Severe { p.los_severe[tier] } else { p.los_moderate[tier] };
                let stay = p.price_admission[tier] + p.price_bed_day[tier] * los;
                let mut common = p.asc[k][tier] - p.beta_wait[k] * wait;
                if tier == Tier::Primary {
                    common += p.beta_awareness * l.awareness_campaign + p.beta_outreach * self.outreach_effect;
                    if kind == Kind::Chronic {
                        common += if l.unified_drug_list { p.beta_drug_list } else { -p.beta_drug_list };
                    }
                }
                for referred in [false, true] {
                    let rate = reimbursement(l, p, tier, referred, kind == Kind::Severe);
                    let oop = (p.price_visit[tier] + admit * stay) * (1.0 - rate);
                    let mut u = common;
                    if referred {
                        u += p.beta_referral;
                    } else if tier != Tier::Primary && kind != Kind::Severe && l.gatekeeping == Gatekeeping::Strict {
                        u -= p.strict_hassle;
                    }
                    for c in 0..3 {
                        let v = u - p.beta_cost[k] * oop / 100.0 / p.income_levels[c];
                        if referred { f.offer.referred[k][c] = v } else { f.offer.base[k][c] = v }
                    }
                }
            }
        }
    }

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
        let n = self.residents.len() as u32;
        for kind in [Kind::Minor, Kind::Moderate, Kind::Severe] {
            let mean = f64::from(n) * self.params.incidence[kind as usize] / 365.0;
            let count = self.rng.illness.poisson(mean);
            for _ in 0..count {
                due.push((self.rng.illness.below(n), kind));
            }
        }
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

    /// Starts loading what the contacts after `due[j]` will read. Natively: a prefetch of
    /// the resident four contacts ahead (and, in `contact`, of the neighbour its word of
    /// mouth will reach). WebAssembly has no prefetch, so every eighth contact the records of
    /// the eight after the next eight residents, and of the neighbours the next eight will
    /// probably reach, are loaded in one go: their cache misses overlap instead of stalling
    /// one contact each. (The `wasm-loads` feature makes a native build do the same.)
    #[inline]
    fn load_ahead(&self, due: &[(u32, Kind)], j: usize) {
        if crate::patient::PREFETCHES {
            if let Some(&(ahead, _)) = due.get(j + PREFETCH_AHEAD) {
                self.residents.prefetch(ahead);
            }
        } else if j.is_multiple_of(LOAD_BATCH) {
            let later = due.get(j + LOAD_BATCH..(j + 2 * LOAD_BATCH).min(due.len())).unwrap_or(&[]);
            let next = &due[j..(j + LOAD_BATCH).min(due.len())];
            self.residents.touch(later, next, &self.rng.trust);
        }
    }

    /// One need for care, from choice to its end.
    fn contact(&mut self, r: u32, kind: Kind) {
        // Most contacts end with an outcome, whose word of mouth reaches a neighbour drawn
        // by the trust stream's next two words (a satisfaction draw, then the neighbour):
        // start loading that neighbour's record now (natively; see `load_ahead`).
        self.residents.prefetch_neighbour(r, &self.rng.trust, 1);
        self.today.episodes += 1;
        match self.choose(r, kind, Tier::Primary, false) {
            None => self.today.unmet += 1,
            Some(f) => self.visit(r, f, kind, false),
        }
    }

    /// The patient's logit choice among their candidate facilities of at least `min_tier`
    /// (plus the outside option when not referred). Returns the facility id.
    fn choose(&mut self, r: u32, kind: Kind, min_tier: Tier, referred: bool) -> Option<usize> {
        let me = *self.residents.get(r);
        let p = &self.params;
        let cands = me.candidates;
        let class = me.income_class();
        let fd = me.has_family_doctor(self.levers.family_doctor_coverage);
        let usual = if kind == Kind::Chronic { me.usual() } else { NO_FACILITY };
        let k = kind as usize;
        let mut utilities = [0.0f64; 5];
        let mut m = 0;
        // Candidate slots hold one tier each (primary, secondary, tertiary, tertiary), so the
        // candidates of at least `min_tier` are the slots from `min_tier` on; the second
        // tertiary candidate repeats the first when the region has one tertiary hospital.
        let slots = if cands[3] == cands[2] { 3 } else { 4 };
        for slot in min_tier.index()..slots {
            let fid = cands[slot];
            let tier = SLOT_TIER[slot];
            let f = &self.facilities[usize::from(fid)];
            debug_assert_eq!(f.tier, tier);
            let base = if referred { f.offer.referred[k][class] } else { f.offer.base[k][class] };
            let km = crate::region::distance(me.pos, f.pos);
            let tier_trust = f64::from(me.trust[tier]);
            utilities[m] = base + personal_utility(p, kind, tier, tier_trust, km, fd && slot == 0, usual == fid);
            m += 1;
        }
        if !referred {
            utilities[m] = p.outside_utility[k];
            m += 1;
        }
        let pick = logit_choice(&utilities[..m], &mut self.rng.choice);
        if !referred && pick == m - 1 { None } else { Some(usize::from(cands[min_tier.index() + pick])) }
    }

    /// The next doctor on duty at facility `f` (round robin).
    fn doctor_at(&mut self, f: usize) -> usize {
        let fac = &mut self.facilities[f];
        let d = fac.doctors.0 + fac.next_doctor;
        // `(next + 1) % doctors` without a division (next is always below doctors).
        fac.next_doctor += 1;
        if fac.next_doctor >= fac.doctors.1 {
            fac.next_doctor = 0;
        }
        d as usize
    }

    fn record_flow(&mut self, r: u32, f: usize) {
        let home = self.residents.home(r);
        self.flows[home * self.facilities.len() + f] += 1;
    }

    /// Bills a service at facility `f` for patient `r`.
    fn bill(&mut self, f: usize, price: f64, referred: bool, emergency: bool) {
        let tier = self.facilities[f].tier;
        let rate = reimbursement(&self.levers, &self.params, tier, referred, emergency);
        self.insurer.settle(f, &mut self.facilities[f], price, rate, &self.levers, &self.params);
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
                    self.outcome(r, f, kind);
                } else if tier == Tier::Primary && self.rng.doctors.chance(f64::from(self.doctors.up[d])) {
                    self.refer_up(r, kind, Tier::Primary);
                } else if tier == Tier::Primary && self.rng.clinical.chance(self.beyond_primary(f)) {
                    self.send_up(r, f, kind);
                } else {
                    self.admit(f, r, kind, referred);
                }
            }
            Kind::Severe => {
                if !self.rng.clinical.chance(self.params.severe_admission) {
                    self.outcome(r, f, kind);
                } else if tier == Tier::Primary
                    || (tier == Tier::Secondary && !self.rng.clinical.chance(self.params.secondary_capability))
                {
                    self.send_up(r, f, kind);
                } else {
                    self.admit(f, r, kind, referred);
                }
            }
            Kind::Chronic => {
                if self.residents.usual(r) == NO_FACILITY {
                    self.residents.set_usual(r, f as u16);
                }
                if tier != Tier::Primary && self.rng.clinical.chance(self.params.chronic_review_share) {
                    if self.propose_down(r, f, d, false) {
                        self.residents.set_usual(r, self.residents.home(r) as u16);
                    }
                } else if tier == Tier::Primary
                    && self.rng.clinical.chance(self.params.chronic_complication)
                    && let Some(h) = self.choose(r, kind, Tier::Secondary, true)
                {
                    // A complication: the patient is referred to a specialist, who becomes
                    // their usual doctor.
                    self.today.upward += 1;
                    self.today.referrals[Tier::Primary][self.facilities[h].tier] += 1;
                    self.outpatient(r, h, true, false);
                    self.maybe_repeat_tests(h, true);
                    self.residents.set_usual(r, h as u16);
                }
                self.outcome(r, f, kind);
            }
        }
    }

    /// Probability that a moderate case needing admission is beyond primary centre `f`.
    fn beyond_primary(&self, f: usize) -> f64 {
        let p = &self.params;
        ((p.moderate_need - self.effective_capability(&self.facilities[f])) * p.beyond_slope).clamp(0.0, 1.0)
    }

    /// Books one outpatient visit: queue, wait, workload and bill. Returns the doctor seen.
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
        self.bill(f, self.params.price_visit[tier], referred, emergency);
        d
    }

    /// A receiving facility repeats tests unless records are shared and recognised.
    fn maybe_repeat_tests(&mut self, f: usize, referred: bool) {
        let induce = self.facilities[f].inducement[0];
        let p = self.params.duplicate_test * (1.0 - self.info_effect) * (1.0 + 0.5 * induce);
        if self.rng.clinical.chance(p) {
            self.today.duplicate_tests += 1;
            self.bill(f, self.params.price_test, referred, false);
        }
    }

    /// A case beyond facility `f` must move up. The doctor uses the consortium's formal
    /// referral channel with a probability that grows with the facility's cooperation and
    /// with shared records (always under strict gatekeeping, where reimbursement needs it);
    /// otherwise the doctor only advises hospital care and the patient goes on their own.
    fn send_up(&mut self, r: u32, f: usize, kind: Kind) {
        let tier = self.facilities[f].tier;
        let formal = if self.levers.gatekeeping == Gatekeeping::Strict {
            1.0
        } else {
            self.facilities[f].cooperation * (0.5 + 0.5 * self.info_effect)
        };
        if self.rng.doctors.chance(formal) {
            self.refer_up(r, kind, tier);
        } else {
            match self.choose(r, kind, up_from(tier), false) {
                Some(h) => self.admit(h, r, kind, false),
                None => self.today.unmet += 1,
            }
        }
    }

    /// A doctor refers the patient up: the patient accepts or goes without, then chooses
    /// among higher-tier candidates holding the referral.
    fn refer_up(&mut self, r: u32, kind: Kind, from_tier: Tier) {
        if !self.rng.choice.chance(self.params.accept_up) {
            self.today.unmet += 1;
            return;
        }
        match self.choose(r, kind, up_from(from_tier), true) {
            Some(h) => {
                self.today.upward += 1;
                self.today.referrals[from_tier][self.facilities[h].tier] += 1;
                self.maybe_repeat_tests(h, true);
                self.admit(h, r, kind, true);
            }
            None => self.today.unmet += 1,
        }
    }

    /// Admits a patient or queues them for a bed; a full queue turns them away.
    fn admit(&mut self, f: usize, r: u32, kind: Kind, referred: bool) {
        let fac = &mut self.facilities[f];
        if fac.occupied < fac.beds {
            self.start_stay(f, r, kind, referred, 0);
        } else if fac.queue.len() < 2 * fac.beds as usize {
            fac.queue.push_back(Pending { resident: r, kind, referred, since: self.day });
        } else {
            self.today.unmet += 1;
        }
    }

    /// Fills free beds from the queues; patients who waited past their patience leave.
    pub(crate) fn admit_from_queues(&mut self) {
        for f in 0..self.facilities.len() {
            while let Some(&next) = self.facilities[f].queue.front() {
                let waited = self.day - next.since;
                if waited > PATIENCE[next.kind as usize] {
                    self.facilities[f].queue.pop_front();
                    self.today.unmet += 1;
                } else if self.facilities[f].occupied < self.facilities[f].beds {
                    self.facilities[f].queue.pop_front();
                    self.start_stay(f, next.resident, next.kind, next.referred, waited);
                } else {
                    break;
                }
            }
        }
    }

    fn schedule(&mut self, after: f64, stay: Stay) {
        let days = (libm::round(after).max(1.0) as usize).min(HORIZON - 1);
        let slot = (self.day as usize + days) % HORIZON;
        self.calendar[slot].push(Stay { days: days as u16, ..stay });
    }

    /// Occupies a bed: bills the admission and schedules the end of the acute phase.
    fn start_stay(&mut self, f: usize, r: u32, kind: Kind, referred: bool, waited: u32) {
        self.record_flow(r, f);
        let p = &self.params;
        let fac = &mut self.facilities[f];
        let tier = fac.tier;
        fac.occupied += 1;
        let induce = fac.inducement[1];
        self.today.admissions[tier] += 1;
        if tier == Tier::Tertiary && kind == Kind::Severe {
            self.today.tertiary_severe += 1;
        }
        self.today.wait_sum[tier] += f64::from(waited);
        self.today.wait_count[tier] += 1;
        let severe = kind == Kind::Severe;
        let standard = if severe { p.los_severe[tier] } else { p.los_moderate[tier] };
        let case = if self.levers.payment_method == crate::levers::PaymentMethod::Drg {
            // A DRG case rate: the admission at the standard stay, whatever the actual stay.
            p.price_admission[tier] + p.price_bed_day[tier] * standard
        } else {
            p.price_admission[tier]
        };
        let los = self.rng.clinical.lognormal(standard * (1.0 + p.inducement_effect[0] * induce), p.los_cv);
        let recovery_next = severe && tier != Tier::Primary && self.rng.clinical.chance(p.recovery_share);
        self.bill(f, case, referred, severe);
        self.schedule(los, Stay { resident: r, facility: f as u16, kind, recovery_next, referred, days: 0 });
    }

    /// Bills the bed-days of a finished stay segment. Under DRG the case rate paid for them
    /// at admission, so the days bring no revenue but still cost.
    fn bill_days(&mut self, stay: &Stay) {
        let f = usize::from(stay.facility);
        let price = self.params.price_bed_day[self.facilities[f].tier] * f64::from(stay.days);
        if self.levers.payment_method == crate::levers::PaymentMethod::Drg {
            self.facilities[f].book_cost(price * self.params.variable_cost_share);
        } else {
            self.bill(f, price, stay.referred, stay.kind == Kind::Severe);
        }
    }

    /// An inpatient event: the end of an acute phase, or a discharge.
    pub(crate) fn inpatient_event(&mut self, stay: Stay) {
        self.bill_days(&stay);
        let f = usize::from(stay.facility);
        let r = stay.resident;
        if stay.recovery_next {
            let d = self.doctor_at(f);
            if self.propose_down(r, f, d, true) {
                self.release_bed(f);
                let home = self.residents.home(r);
                self.facilities[home].occupied += 1;
                self.today.admissions[Tier::Primary] += 1;
                self.record_flow(r, home);
                self.bill(home, self.params.price_admission[Tier::Primary], true, false);
                let days = self.rng.clinical.lognormal(self.params.recovery_days, self.params.los_cv);
                self.schedule(
                    days,
                    Stay {
                        resident: r,
                        facility: home as u16,
                        kind: Kind::Moderate,
                        recovery_next: false,
                        referred: true,
                        days: 0,
                    },
                );
            } else {
                let induce = self.facilities[f].inducement[1];
                let mean = self.params.recovery_days * (1.0 + self.params.inducement_effect[0] * induce);
                let days = self.rng.clinical.lognormal(mean, self.params.los_cv);
                self.schedule(days, Stay { recovery_next: false, ..stay });
            }
        } else {
            self.release_bed(f);
            let kind = stay.kind;
            self.outcome(r, f, kind);
        }
    }

    fn release_bed(&mut self, f: usize) {
        let fac = &mut self.facilities[f];
        fac.occupied -= 1;
        fac.discharges_month += 1;
    }

    /// A hospital doctor may propose a downward referral to the patient's home centre; it
    /// happens when the doctor proposes (learned propensity, backed by the hospital's
    /// cooperation), the centre accepts (its cooperation, and a free bed for an `inpatient`) and the
    /// patient agrees. Returns whether the patient moves down.
    fn propose_down(&mut self, r: u32, f: usize, d: usize, inpatient: bool) -> bool {
        let home = self.residents.home(r);
        let sender = &self.facilities[f];
        let propose = f64::from(self.doctors.down[d]) * sender.cooperation;
        if !self.rng.doctors.chance(propose) {
            return false;
        }
        let receiver = &self.facilities[home];
        if inpatient && receiver.occupied >= receiver.beds {
            return false;
        }
        if !self.rng.doctors.chance(0.5 + 0.5 * receiver.cooperation) {
            return false;
        }
        self.today.downward_proposed += 1;
        let l = &self.levers;
        let p = &self.params;
        let trust = f64::from(self.residents.trust(r)[Tier::Primary]);
        let fd = self.residents.has_family_doctor(r, l.family_doctor_coverage);
        let gap = l.reimbursement_primary - l.reimbursement(sender.tier);
        let x = p.accept_down_intercept
            + 3.0 * (trust - 0.6)
            + 1.5 * l.awareness_campaign
            + 2.0 * gap
            + if fd { 0.5 } else { 0.0 }
            + 0.8 * self.info_effect
            + if l.unified_drug_list { 0.3 } else { 0.0 };
        if !self.rng.choice.chance(logistic(x)) {
            self.today.downward_refused += 1;
            return false;
        }
        self.today.downward += 1;
        self.today.referrals[sender.tier][Tier::Primary] += 1;
        if sender.tier == Tier::Tertiary && inpatient {
            self.today.downward_from_tertiary += 1;
        }
        true
    }

    /// The end of an episode at facility `f`: the patient is satisfied or not, and tells a
    /// neighbour.
    fn outcome(&mut self, r: u32, f: usize, kind: Kind) {
        self.today.treated += 1;
        let fac = &self.facilities[f];
        let tier = fac.tier;
        let l = &self.levers;
        let p = &self.params;
        let mut sat = p.satisfaction[tier] - 0.02 * fac.wait_today;
        if tier == Tier::Primary {
            sat += 0.5 * self.effective_capability(fac);
            if self.residents.has_family_doctor(r, l.family_doctor_coverage) {
                sat += 0.05;
            }
            if kind == Kind::Chronic {
                sat += if l.unified_drug_list { 0.05 } else { -0.05 };
            }
        }
        let good = if self.rng.trust.chance(sat) { 1.0 } else { 0.0 };
        self.residents.learn(r, tier, good, p.trust_learning);
        let neighbour = self.residents.neighbour(r, &mut self.rng.trust);
        self.residents.learn(neighbour, tier, good, p.word_of_mouth);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::levers::LeverValue;
    use crate::scenario::Scenario;

    fn small() -> Simulation {
        let s = Scenario { population: 3_000, years: 1, seed: 11, ..Scenario::default() };
        let mut sim = Simulation::new(s).unwrap();
        sim.refresh_offers();
        sim
    }

    /// Share of `n` choices of resident `r` that land at a primary centre.
    fn primary_share(sim: &mut Simulation, r: u32, kind: Kind, n: u32) -> f64 {
        let hits = (0..n)
            .filter(|_| {
                sim.choose(r, kind, Tier::Primary, false).is_some_and(|f| sim.facilities[f].tier == Tier::Primary)
            })
            .count();
        hits as f64 / f64::from(n)
    }

    #[test]
    fn strict_gatekeeping_steers_first_contact_to_primary_care() {
        let mut sim = small();
        let before = primary_share(&mut sim, 5, Kind::Minor, 4_000);
        sim.levers.set("gatekeeping", &LeverValue::Text("strict".into())).unwrap();
        sim.refresh_offers();
        let after = primary_share(&mut sim, 5, Kind::Minor, 4_000);
        assert!(after > before + 0.1, "{before} -> {after}");
    }

    #[test]
    fn a_family_doctor_contract_pulls_toward_the_home_centre() {
        let mut sim = small();
        sim.levers.family_doctor_coverage = 0.0;
        let without = primary_share(&mut sim, 7, Kind::Chronic, 4_000);
        sim.levers.family_doctor_coverage = 1.0;
        let with = primary_share(&mut sim, 7, Kind::Chronic, 4_000);
        assert!(with > without + 0.03, "{without} -> {with}");
    }

    #[test]
    fn trust_in_tertiary_care_pulls_severe_cases_up() {
        let mut sim = small();
        sim.residents.set_trust(9, [0.9, 0.5, 0.3]);
        let trusting_primary = primary_share(&mut sim, 9, Kind::Severe, 4_000);
        sim.residents.set_trust(9, [0.3, 0.5, 0.95]);
        let trusting_tertiary = primary_share(&mut sim, 9, Kind::Severe, 4_000);
        assert!(trusting_primary > trusting_tertiary + 0.1, "{trusting_primary} vs {trusting_tertiary}");
    }

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
    fn downward_referral_needs_a_willing_doctor_and_hospital() {
        let mut sim = small();
        let h = sim.facilities.iter().position(|f| f.tier == Tier::Tertiary).unwrap();
        let d = sim.facilities[h].doctors.0 as usize;
        sim.doctors.down[d] = 0.0;
        assert!((0..500).all(|_| !sim.propose_down(3, h, d, false)));
        sim.doctors.down[d] = 1.0;
        sim.facilities[h].cooperation = 0.0;
        assert!((0..500).all(|_| !sim.propose_down(3, h, d, false)));
        sim.facilities[h].cooperation = 1.0;
        let home = sim.residents.home(3);
        sim.facilities[home].cooperation = 1.0;
        let mut trust = sim.residents.trust(3);
        trust[Tier::Primary] = 0.95;
        sim.residents.set_trust(3, trust);
        sim.levers.awareness_campaign = 1.0;
        let accepted = (0..500).filter(|_| sim.propose_down(3, h, d, false)).count();
        assert!(accepted > 350, "{accepted}");
        // An inpatient transfer also needs a free bed at the home centre.
        sim.facilities[home].occupied = sim.facilities[home].beds;
        assert!((0..200).all(|_| !sim.propose_down(3, h, d, true)));
    }

    #[test]
    fn a_full_hospital_queues_patients_and_a_full_queue_turns_them_away() {
        let mut sim = small();
        let h = sim.facilities.iter().position(|f| f.tier == Tier::Tertiary).unwrap();
        let beds = sim.facilities[h].beds;
        sim.facilities[h].occupied = beds;
        sim.admit(h, 1, Kind::Severe, false);
        assert_eq!(sim.facilities[h].queue.len(), 1);
        for _ in 0..(2 * beds) {
            sim.admit(h, 1, Kind::Severe, false);
        }
        assert_eq!(sim.facilities[h].queue.len(), 2 * beds as usize);
        assert!(sim.today.unmet >= 1);
    }

    #[test]
    fn good_outcomes_raise_trust_and_reach_a_neighbour() {
        let mut sim = small();
        // Every outcome at primary care is good, and everyone starts from the same trust.
        sim.params.satisfaction[Tier::Primary] = 1.0;
        let n = sim.residents.len() as u32;
        for i in 0..n {
            sim.residents.set_trust(i, [0.5, 0.5, 0.5]);
        }
        let r = 40;
        let f = sim.residents.home(r);
        let outcomes = 60;
        for _ in 0..outcomes {
            sim.outcome(r, f, Kind::Minor);
        }
        assert_eq!(sim.today.treated, outcomes);
        assert!(sim.residents.trust(r)[Tier::Primary] > 0.9, "the patient's own trust rises toward 1");
        // Word of mouth: other residents heard of it, each from one outcome at a time (a step
        // of `word_of_mouth` toward 1), all of them in the patient's own catchment, and nobody
        // else's trust moved.
        let (a, b) = (sim.residents.catchment_start[f], sim.residents.catchment_start[f + 1]);
        let told: Vec<u32> = (0..n).filter(|&i| i != r && sim.residents.trust(i) != [0.5, 0.5, 0.5]).collect();
        assert!(told.len() as u32 > outcomes / 2, "{} neighbours told", told.len());
        let one_step = 0.5 + sim.params.word_of_mouth * 0.5;
        for &i in &told {
            assert!((a..b).contains(&i), "resident {i} outside catchment {a}..{b} was told");
            let t = sim.residents.trust(i);
            assert_eq!(&t[1..], &[0.5, 0.5], "only trust in the tier of the outcome moves");
            assert!(f64::from(t[Tier::Primary]) >= one_step as f32 as f64 - 1e-6, "resident {i}: {t:?}");
        }
    }

    #[test]
    fn referral_holders_are_reimbursed_under_strict_gatekeeping() {
        let mut sim = small();
        sim.levers.set("gatekeeping", &LeverValue::Text("strict".into())).unwrap();
        sim.refresh_offers();
        let h = sim.facilities.iter().position(|f| f.tier == Tier::Tertiary).unwrap();
        let offer = sim.facilities[h].offer;
        let k = Kind::Minor as usize;
        assert!(offer.referred[k][1] > offer.base[k][1] + sim.params.strict_hassle);
    }
}
