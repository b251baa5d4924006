//! The month end: the processes that run once a month, after the last day's record, in
//! this order:
//!
//! 1. the insurer claws back what providers do not keep of an unspent budget, records the
//!    month's claims and resets budgets and capitation rates (`insurer.rs`);
//! 2. facilities pay their doctors the month's visit bonuses; primary centres that chose to
//!    invest spend part of their revenue on capability;
//! 3. the health commission appraises every facility on its tiered-care indicator and pays
//!    the reward or takes the penalty;
//! 4. under semi-close and close integration the consortium settles its pot
//!    (`consortium.rs`);
//! 5. each facility's month closes: its margin is read from the ledger, it learns from it
//!    and may review its strategy (`strategy.rs`);
//! 6. primary capability moves toward what investment and practice sustain;
//! 7. doctors' loads are taken for next month's effort; monthly counters restart;
//! 8. the awareness campaign informs residents, and some forget.

use crate::consortium::{Member, settle};
use crate::hospital::MonthCounts;
use crate::money::{fen, fen_as_f64, yuan};
use crate::num::trunc_u32;
use crate::sim::Simulation;
use crate::strategy::MonthDraws;
use crate::tier::Tier;

impl Simulation {
    pub(crate) fn month_end(&mut self) {
        let days = f64::from(self.day - self.month_start);
        self.month_start = self.day;
        let population = self.scenario.population;
        self.insurer.close_month(&mut self.facilities, &self.levers, &self.params, self.month, days, population);
        self.pay_visit_bonuses();
        self.invest();
        self.appraise();
        self.settle_consortium();
        let before = crate::facility_history::FacilityLog::before_learning(&self.facilities);
        self.learn_from_margins();
        self.update_capability(days);
        self.doctors.close_month(&self.params, days);
        self.campaign();
        for f in &mut self.facilities {
            f.discharge_rate = f64::from(f.discharges_month) / days;
            f.close_ledger();
            f.discharges_month = 0;
            f.visits_month = 0;
            f.counts = MonthCounts::default();
        }
        self.facility_log.record(self.month, &self.facilities, &before);
        self.month += 1;
    }

    /// Primary centres that chose to invest spend `own_investment_share` of the month's
    /// operating revenue on training and equipment.
    fn invest(&mut self) {
        let share = self.params.own_investment_share;
        for f in self.facilities.iter_mut().filter(|f| f.tier == Tier::Primary && f.learner.strategy.invest) {
            let amount = fen(share * fen_as_f64(f.month.operating_revenue().max(0)) / 100.0);
            f.book(amount, |l| &mut l.other);
            f.invested_month = amount;
        }
    }

    /// The commission's appraisal (`kpi_appraisal`): a hospital is scored on the share of
    /// its recovery-phase inpatients it transferred down, a primary centre on the share of
    /// its catchment's first contacts made at primary care, each against its target; the
    /// reward (or penalty) is `kpi_appraisal x kpi_stake` of the month's operating revenue
    /// times the relative distance from the target, capped at plus or minus one.
    fn appraise(&mut self) {
        let strength = self.levers.kpi_appraisal;
        if strength <= 0.0 {
            return;
        }
        let p = &self.params;
        for f in &mut self.facilities {
            let c = &f.counts;
            let (done, out_of, target) = if f.tier == Tier::Primary {
                (c.first_contacts[1], c.first_contacts[0], p.kpi_target_primary)
            } else {
                (c.transfers_down, c.recovery_decisions, p.kpi_target_down)
            };
            if out_of == 0 || target <= 0.0 {
                continue;
            }
            let score = ((f64::from(done) / f64::from(out_of) - target) / target).clamp(-1.0, 1.0);
            let base = yuan(f.month.operating_revenue().max(0));
            let amount = fen(strength * p.kpi_stake * base * score);
            self.commission.pay(amount, |s| &mut s.appraisal);
            f.book(amount, |l| &mut l.government);
        }
    }

    /// The consortium's settlement of the month (`consortium.rs`).
    fn settle_consortium(&mut self) {
        let pool = self.params.pool_share[self.levers.integration as usize];
        if pool <= 0.0 {
            return;
        }
        let members: Vec<Member> = self
            .facilities
            .iter()
            .map(|f| Member {
                net: f.month.net(),
                running_cost: fen(f.running_cost(&self.params)),
                points: f64::from(f.counts.referred_down + f.counts.received)
                    + self.params.upward_points * f64::from(f.counts.referred_up + f.counts.received_up)
                    + self.params.outreach_points * f.counts.specialist_days,
            })
            .collect();
        let transfers = settle(&members, pool, self.params.settlement_performance);
        for (f, amount) in self.facilities.iter_mut().zip(transfers) {
            f.book(amount, |l| &mut l.pooled);
        }
    }

    /// Each facility, in id order, reads its margin from the month's ledger and learns from
    /// it (ending a trial that has run its course); then, if it reviews its strategy, it
    /// copies a peer (drawn at random among the other facilities of its tier) with the Fermi
    /// probability of the peer's advantage, or pilots a change.
    fn learn_from_margins(&mut self) {
        let p = &self.params;
        let n = self.facilities.len();
        // The model starts with empty beds and no history: its first months are a warm-up
        // whose books teach nothing, so facilities keep their starting strategies until then.
        let warm_up = self.month < p.warm_up_months;
        let learning = p.provider_learning > 0.0;
        let draws: Vec<MonthDraws> =
            if learning { (0..n).map(|_| MonthDraws::draw(&mut self.rng.hospitals)).collect() } else { Vec::new() };
        let none = MonthDraws { keep: 1.0, review: 1.0, imitation: 1.0, peer: 0, copy: 1.0, part: 0.0, coin: 0.0 };
        let draw = |i: usize| draws.get(i).copied().unwrap_or(none);
        for (i, f) in self.facilities.iter_mut().enumerate() {
            f.margin = f.month.margin();
            f.learner.learn(f.margin, p, warm_up, &draw(i));
        }
        if warm_up || !learning {
            return;
        }
        let mut by_tier: [Vec<usize>; 3] = Default::default();
        for (i, f) in self.facilities.iter().enumerate() {
            by_tier[f.tier].push(i);
        }
        for i in 0..n {
            let d = draw(i);
            if !self.facilities[i].learner.reviews(p, &d) {
                self.facilities[i].adopt_strategy();
                continue;
            }
            let tier = self.facilities[i].tier;
            if d.imitation < p.imitation_share {
                // A peer among the other facilities of its tier (none: nobody to copy).
                let peers = &by_tier[tier];
                let own = peers.iter().position(|&j| j == i).expect("a facility is in its tier's list");
                if peers.len() > 1 {
                    let k = crate::rng::SimRng::below_from(
                        d.peer,
                        u32::try_from(peers.len()).expect("fewer than 2^32 peers") - 1,
                    ) as usize;
                    let other = &self.facilities[peers[if k >= own { k + 1 } else { k }]];
                    // A peer piloting a change is copied in its settled strategy.
                    let strategy = other.learner.trial.map_or(other.learner.strategy, |t| t.before);
                    let margin = other.learner.smoothed_margin;
                    self.facilities[i].learner.imitate(strategy, margin, p, &d);
                }
            } else {
                self.facilities[i].learner.start_trial(tier == Tier::Primary, p.trial_months, &d);
            }
            self.facilities[i].adopt_strategy();
        }
    }

    /// Primary capability moves toward the level that investment (the commission's grant
    /// and the centre's own) and practice sustain: `gain(investment per resident)` above the
    /// status quo's, plus `volume_gain` for every unit of occupancy above one half, over
    /// `capability_months` months.
    fn update_capability(&mut self, days: f64) {
        let p = &self.params;
        let gain = |i: f64| p.investment_max_gain * i / (i + p.investment_half);
        let rate = days / (365.0 / 12.0) / p.capability_months;
        let grant = self.levers.primary_investment;
        for f in self.facilities.iter_mut().filter(|f| f.tier == Tier::Primary) {
            let own = yuan(f.invested_month) * 365.0 / days / f64::from(f.catchment.max(1));
            let occupancy = f64::from(f.counts.bed_days) / (f64::from(f.beds.max(1)) * days);
            let practice = p.volume_gain * 2.0 * (occupancy - 0.5);
            let target = p.primary_capability + gain(grant + own) - gain(p.investment_reference) + practice;
            f.capability = (f.capability + rate * (target - f.capability)).clamp(0.0, 1.0);
            f.invested_month = 0;
        }
    }

    /// Mean effective capability of primary centres, unweighted.
    pub(crate) fn mean_primary_capability(&self) -> f64 {
        let (sum, n) = self
            .facilities
            .iter()
            .filter(|f| f.tier == Tier::Primary)
            .fold((0.0, 0.0), |(s, n), f| (s + self.effective_capability(f), n + 1.0));
        sum / n
    }

    /// The awareness campaign reaches a share `awareness_campaign x campaign_reach` of
    /// residents each month. Each reached resident learns the tiered-care policy, and one
    /// who rates primary care below what it delivers (`truth`: the probability of a good
    /// outcome there) moves a step toward it: information corrects pessimism, it does not
    /// talk anyone down. Then a share `informed_loss` of residents, drawn at random,
    /// forgets the policy (or moves away and is replaced by someone who does not know it).
    fn campaign(&mut self) {
        let p = &self.params;
        let n = self.residents.population();
        let reached = trunc_u32(libm::round(self.levers.awareness_campaign * p.campaign_reach * f64::from(n)));
        let truth = p.satisfaction[Tier::Primary] + 0.5 * self.mean_primary_capability();
        for _ in 0..reached {
            let r = self.rng.trust.below(n);
            self.residents.set_informed(r, true);
            if f64::from(self.residents.trust(r)[Tier::Primary]) < truth {
                self.residents.learn(r, Tier::Primary, truth, 0.3);
            }
        }
        let forget = trunc_u32(libm::round(p.informed_loss * f64::from(n)));
        for _ in 0..forget {
            let r = self.rng.trust.below(n);
            self.residents.set_informed(r, false);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::Ledger;
    use crate::scenario::Scenario;

    fn small(changes: &[(&str, &str)]) -> Simulation {
        let mut s = Scenario { population: 5_000, years: 1, seed: 5, ..Scenario::default() };
        for (k, v) in changes {
            s.set(k, v).unwrap();
        }
        Simulation::new(s).unwrap()
    }

    fn hospital(sim: &Simulation) -> usize {
        sim.facilities.iter().position(|f| f.tier != Tier::Primary).unwrap()
    }

    /// A hospital that transferred `done` of 100 recovering patients down this month, with
    /// revenue of a million yuan: what the appraisal paid it, and what the commission spent.
    fn appraised(strength: &str, done: u32) -> (i64, i64) {
        let mut sim = small(&[("kpi_appraisal", strength)]);
        for f in &mut sim.facilities {
            f.month = Ledger::default();
            f.counts = MonthCounts::default();
        }
        let h = hospital(&sim);
        sim.facilities[h].month.insurer = fen(1_000_000.0);
        sim.facilities[h].counts.recovery_decisions = 100;
        sim.facilities[h].counts.transfers_down = done;
        sim.appraise();
        (sim.facilities[h].month.government, sim.commission.spent.appraisal)
    }

    #[test]
    fn the_appraisal_rewards_hospitals_above_target_and_penalises_those_below() {
        let p = crate::params::Params::default();
        let stake = p.kpi_stake * 1_000_000.0;
        // Twice the target earns the whole stake; none of it loses the whole stake.
        let above = appraised("1", trunc_u32(200.0 * p.kpi_target_down));
        assert_eq!(above, (fen(stake), fen(stake)));
        let below = appraised("1", 0);
        assert_eq!(below, (fen(-stake), fen(-stake)));
        // Half the strength, half the money; no appraisal, no money.
        assert_eq!(appraised("0.5", 0).0, fen(-stake / 2.0));
        assert_eq!(appraised("0", 0), (0, 0));
    }

    /// A primary centre's capability after a year of months at `occupancy`, with the
    /// commission's `grant` per resident.
    fn capability_after_a_year(occupancy: f64, grant: &str) -> f64 {
        let mut sim = small(&[("primary_investment", grant)]);
        let c = sim.facilities.iter().position(|f| f.tier == Tier::Primary).unwrap();
        for _ in 0..12 {
            let beds = f64::from(sim.facilities[c].beds);
            sim.facilities[c].counts.bed_days = trunc_u32(occupancy * beds * 30.0);
            sim.update_capability(30.0);
        }
        sim.facilities[c].capability
    }

    #[test]
    fn capability_grows_with_practice_and_investment_and_takes_time() {
        let start = small(&[]).facilities.iter().find(|f| f.tier == Tier::Primary).unwrap().capability;
        let idle = capability_after_a_year(0.5, "40");
        let busy = capability_after_a_year(0.9, "40");
        let funded = capability_after_a_year(0.5, "150");
        assert!(busy > idle + 0.01, "practice: {idle} -> {busy}");
        assert!(funded > idle + 0.01, "investment: {idle} -> {funded}");
        // A lag: a year closes only part of the way to where investment leads.
        let mut sim = small(&[("primary_investment", "150")]);
        let c = sim.facilities.iter().position(|f| f.tier == Tier::Primary).unwrap();
        sim.facilities[c].counts.bed_days = trunc_u32(0.5 * f64::from(sim.facilities[c].beds) * 30.0);
        sim.update_capability(30.0);
        let one_month = sim.facilities[c].capability - start;
        assert!(one_month > 0.0 && one_month < (funded - start) / 2.0, "{one_month} of {}", funded - start);
    }

    #[test]
    fn a_reviewing_facility_copies_a_peer_of_its_own_tier() {
        // Two secondary hospitals, every review an imitation, the Fermi rule sure of itself:
        // the poorer hospital copies the richer one, whatever the other facilities are.
        let s = Scenario { population: 80_000, years: 1, seed: 5, ..Scenario::default() };
        let mut sim = Simulation::new(s).unwrap();
        sim.params.imitation_share = 1.0;
        sim.params.strategy_review = 1.0;
        sim.params.imitation_intensity = 1e6;
        sim.month = 24;
        let secondary: Vec<usize> =
            (0..sim.facilities.len()).filter(|&i| sim.facilities[i].tier == Tier::Secondary).collect();
        assert_eq!(secondary.len(), 2, "the test needs exactly two secondary hospitals");
        for (rank, &i) in secondary.iter().enumerate() {
            // This month's books: a margin of -0.5 for the first, +0.5 for the second.
            let f = &mut sim.facilities[i];
            f.month = Ledger { insurer: 100, variable: if rank == 0 { 150 } else { 50 }, ..Ledger::default() };
            f.learner.trial = None;
            f.learner.strategy.level = if rank == 0 { 0 } else { f.learner.full_level() };
        }
        sim.learn_from_margins();
        let (poor, rich) = (&sim.facilities[secondary[0]].learner, &sim.facilities[secondary[1]].learner);
        assert_eq!(poor.strategy.level, rich.full_level(), "the poorer hospital copied its peer");
        assert_eq!(rich.strategy.level, rich.full_level(), "the richer one kept its own");
    }

    #[test]
    fn the_campaign_informs_and_corrects_pessimism_without_talking_anyone_down() {
        let mut sim = small(&[("awareness_campaign", "1")]);
        let n = sim.residents.population();
        for r in 0..n {
            sim.residents.set_informed(r, false);
            let t = if r % 2 == 0 { 0.1 } else { 0.99 };
            sim.residents.set_trust(r, [t, 0.5, 0.5]);
        }
        sim.campaign();
        let informed = (0..n).filter(|&r| sim.residents.is_informed(r)).count();
        assert!(informed > 0, "the campaign informs");
        let pessimists_up = (0..n).step_by(2).filter(|&r| sim.residents.trust(r)[0] > 0.1).count();
        assert!(pessimists_up > 0, "pessimists learn");
        assert!((1..n).step_by(2).all(|r| sim.residents.trust(r)[0] == 0.99), "nobody is talked down");
        let mut quiet = small(&[("awareness_campaign", "0")]);
        for r in 0..n {
            quiet.residents.set_informed(r, false);
        }
        quiet.campaign();
        assert_eq!((0..n).filter(|&r| quiet.residents.is_informed(r)).count(), 0);
    }
}
