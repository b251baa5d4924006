//! What a facility chooses, and how it learns to choose it from its own books.
//!
//! A facility's strategy has four parts: how much it cooperates with the consortium
//! (proposing and accepting downward referrals, using the formal referral channel, sending
//! or hosting specialists, sharing records; a few levels from none to full), how readily it
//! admits and how many follow-ups it orders (the case stance: restrain, neutral, induce),
//! how long it keeps inpatients (the day stance), and, for a primary centre, whether it
//! invests its own money in training and equipment.
//!
//! **Learning by trial, from the books.** A facility learns from its realised monthly
//! margin (net over operating revenue, read from the month's ledger after the consortium's
//! settlement). When it reviews its strategy it either pilots a change of one part (one
//! step of cooperation or of a stance, or investing or not) for `trial_months` months and
//! then keeps it with the logit probability of how much the trial's mean margin beat the
//! mean margin of as many months before it, less what changing course costs (`change_cost`:
//! a change that merely breaks even is mostly dropped), else goes back (reinforcement of what paid, with noise; the next trial
//! of the same part goes on in a direction that paid and back from one that did not); or it
//! copies
//! a same-tier peer with the Fermi probability of the peer's margin advantage (imitation:
//! replicator dynamics at agent level, evidence 1.2). It reviews with probability
//! `strategy_review` a month, and every month while its recent margin is negative: losses
//! are answered. One part at a time, so the books show what the change did.

use crate::num::{count, trunc_usize};
use crate::params::Params;
use crate::rng::{SimRng, logistic};

/// The random numbers one facility's month of learning may use. They are drawn all at once,
/// seven words whatever happens, so two runs of the same seed give the same facility the
/// same numbers in the same month, whatever differs between the runs: a policy and the
/// status quo are compared with common random numbers, and the difference between them is
/// what the policy did, not which way a coin fell.
#[derive(Debug, Clone, Copy)]
pub struct MonthDraws {
    /// Decides whether a trial that ends is kept.
    pub keep: f64,
    /// Decides whether the facility reviews its strategy.
    pub review: f64,
    /// Decides whether a review imitates a peer or pilots a change.
    pub imitation: f64,
    /// Picks the peer (a raw word: `SimRng::below_from`).
    pub peer: u64,
    /// Decides whether the peer is copied.
    pub copy: f64,
    /// Picks the part a trial changes.
    pub part: f64,
    /// Picks the direction of a part's first trial.
    pub coin: f64,
}

impl MonthDraws {
    /// Draws the month's numbers from `rng`, always in the same order.
    pub fn draw(rng: &mut SimRng) -> MonthDraws {
        MonthDraws {
            keep: rng.uniform(),
            review: rng.uniform(),
            imitation: rng.uniform(),
            peer: rng.next_word(),
            copy: rng.uniform(),
            part: rng.uniform(),
            coin: rng.uniform(),
        }
    }
}

/// Months of margins a facility remembers: a trial of up to this many months is compared with
/// as many months before it.
pub const RECENT: usize = 6;

/// Most cooperation levels a facility can choose among.
pub const MAX_LEVELS: usize = 11;

/// A cooperation level as a signed step count (levels are fewer than `MAX_LEVELS`).
fn level_step(level: u8) -> i8 {
    i8::try_from(level).expect("at most MAX_LEVELS levels")
}

/// One facility's choices.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Strategy {
    /// Cooperation level, `0..levels` (level `k` is cooperation `k / (levels - 1)`).
    pub level: u8,
    /// Case stance: -1 restrain, 0 neutral, 1 induce (follow-ups, admissions, tests).
    pub case: i8,
    /// Day stance: -1 shorter stays, 0 neutral, 1 longer stays.
    pub day: i8,
    /// Whether it spends its own money on capability (primary centres).
    pub invest: bool,
}

/// A change being piloted.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Trial {
    /// The strategy to go back to.
    pub before: Strategy,
    /// The part changed: 0 cooperation, 1 case stance, 2 day stance, 3 investment.
    pub part: usize,
    /// The direction of the step: +1 up, -1 down.
    pub direction: i8,
    /// The margin before the trial: the mean of as many months before it as it lasts.
    pub baseline: f64,
    /// Sum of the trial months' margins.
    pub sum: f64,
    /// Months of the trial so far.
    pub months: u32,
}

/// A facility's learner: its strategy and what it remembers of its margins.
#[derive(Debug, Clone)]
pub struct Learner {
    /// The strategy played this month.
    pub strategy: Strategy,
    /// Number of cooperation levels.
    levels: usize,
    /// The change being piloted, if any.
    pub trial: Option<Trial>,
    /// Exponential mean of realised monthly margins (what the facility compares a trial
    /// with, and what peers see).
    pub smoothed_margin: f64,
    /// Months of margins seen.
    pub months: u32,
    /// The margin learned from last (equal to the month's ledger margin: a test checks it).
    pub last_margin: f64,
    /// Trials kept and dropped, and peers copied, so far.
    pub record: [u32; 3],
    /// The last `RECENT` monthly margins (a ring; the newest at `months % RECENT`).
    recent: [f64; RECENT],
    /// For each part, the direction to try next: that of the last change kept, or the
    /// opposite of the last change dropped (0: none yet, a coin decides).
    next_direction: [i8; 4],
}

impl Learner {
    /// A learner that starts at cooperation level `level` of `levels`, neutral stances, not
    /// investing.
    pub fn new(level: u8, levels: usize) -> Learner {
        debug_assert!((2..=MAX_LEVELS).contains(&levels) && usize::from(level) < levels);
        Learner {
            strategy: Strategy { level, case: 0, day: 0, invest: false },
            levels,
            trial: None,
            smoothed_margin: 0.0,
            months: 0,
            last_margin: 0.0,
            record: [0; 3],
            recent: [0.0; RECENT],
            next_direction: [0; 4],
        }
    }

    /// The highest cooperation level this learner can choose (full cooperation).
    pub fn full_level(&self) -> u8 {
        u8::try_from(self.levels - 1).expect("at most MAX_LEVELS levels")
    }

    /// The starting level for a facility, near `mean` cooperation: one of the two levels
    /// around it, the upper with the probability that makes the mean exact.
    pub fn starting_level(mean: f64, levels: usize, rng: &mut SimRng) -> u8 {
        let x = mean.clamp(0.0, 1.0) * count(levels - 1);
        let low = libm::floor(x);
        let up = rng.chance(x - low);
        u8::try_from((trunc_usize(low) + usize::from(up)).min(levels - 1)).expect("at most MAX_LEVELS levels")
    }

    /// Cooperation now, 0..1.
    pub fn cooperation(&self) -> f64 {
        f64::from(self.strategy.level) / count(self.levels - 1)
    }

    /// Whether the facility is piloting a change.
    pub fn on_trial(&self) -> bool {
        self.trial.is_some()
    }

    /// Learns from this month's realised `margin`. It always enters the smoothed margin; a
    /// trial takes it in and, when it has run `trial_months` months, ends: the change is
    /// kept with probability `logistic(strategy_sensitivity x (trial mean - baseline))`,
    /// else the strategy goes back. Frozen learners (`provider_learning` = 0) and the warm-up
    /// months learn nothing.
    pub fn learn(&mut self, margin: f64, params: &Params, warm_up: bool, draws: &MonthDraws) {
        self.last_margin = margin;
        self.recent[self.months as usize % RECENT] = margin;
        self.smoothed_margin = if self.months == 0 {
            margin
        } else {
            self.smoothed_margin + params.strategy_learning * (margin - self.smoothed_margin)
        };
        self.months += 1;
        if warm_up || params.provider_learning <= 0.0 {
            return;
        }
        let Some(trial) = self.trial.as_mut() else { return };
        trial.sum += margin;
        trial.months += 1;
        if trial.months < params.trial_months.max(1) {
            return;
        }
        let gain = trial.sum / f64::from(trial.months) - trial.baseline;
        let (before, part, direction) = (trial.before, trial.part, trial.direction);
        self.trial = None;
        if draws.keep < logistic(params.strategy_sensitivity * (gain - params.change_cost)) {
            self.record[0] += 1;
            self.next_direction[part] = direction;
        } else {
            self.strategy = before;
            self.record[1] += 1;
            self.next_direction[part] = -direction;
        }
    }

    /// Whether the facility reviews its strategy this month (never during a trial): with
    /// probability `strategy_review`, scaled by `provider_learning`, or surely while its
    /// smoothed margin is negative.
    pub fn reviews(&self, params: &Params, draws: &MonthDraws) -> bool {
        if self.on_trial() || params.provider_learning <= 0.0 {
            return false;
        }
        let p = if self.smoothed_margin < 0.0 { 1.0 } else { params.strategy_review * params.provider_learning };
        draws.review < p
    }

    /// The mean margin of the last `n` months (at most `RECENT`, and those seen).
    fn recent_mean(&self, n: u32) -> f64 {
        let ring = u32::try_from(RECENT).expect("a short ring");
        let n = n.clamp(1, ring).min(self.months.max(1));
        (0..n).map(|back| self.recent[(self.months + ring - 1 - back) as usize % RECENT]).sum::<f64>() / f64::from(n)
    }

    /// Starts piloting a change of one part of the strategy, drawn at random: one
    /// cooperation level, or one step of the case or day stance, or (`can_invest`, primary
    /// centres) investing or not. The step goes the way the part's last trial suggests (on
    /// after a change that was kept, back after one that was dropped: directional learning),
    /// or either way by a coin if there was none, and never out of range.
    pub fn start_trial(&mut self, can_invest: bool, trial_months: u32, draws: &MonthDraws) {
        let before = self.strategy;
        let parts: usize = if can_invest { 4 } else { 3 };
        let part = trunc_usize(draws.part * count(parts)).min(parts - 1);
        let (x, lo, hi) = match part {
            0 => (level_step(before.level), 0, level_step(self.full_level())),
            1 => (before.case, -1, 1),
            2 => (before.day, -1, 1),
            _ => (i8::from(before.invest), 0, 1),
        };
        let mut direction = match self.next_direction[part] {
            0 if draws.coin < 0.5 => 1,
            0 => -1,
            d => d,
        };
        if x + direction < lo || x + direction > hi {
            direction = -direction;
        }
        let mut s = before;
        let y = x + direction;
        match part {
            0 => s.level = u8::try_from(y).expect("a level is kept in 0..levels"),
            1 => s.case = y,
            2 => s.day = y,
            _ => s.invest = y == 1,
        }
        self.strategy = s;
        // The trial is judged against the same number of months just before it.
        let baseline = self.recent_mean(trial_months);
        self.trial = Some(Trial { before, part, direction, baseline, sum: 0.0, months: 0 });
    }

    /// Copies `strategy` of a peer whose smoothed margin is `peer_margin`, with the Fermi
    /// probability of its advantage. Returns whether it did.
    pub fn imitate(&mut self, strategy: Strategy, peer_margin: f64, params: &Params, draws: &MonthDraws) -> bool {
        if draws.copy < logistic(params.imitation_intensity * (peer_margin - self.smoothed_margin)) {
            self.strategy = strategy;
            self.record[2] += 1;
            true
        } else {
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::Stream;

    #[test]
    fn starting_levels_average_the_asked_mean() {
        let mut rng = SimRng::new(3, Stream::Hospitals);
        let n = 20_000;
        let mean =
            (0..n).map(|_| f64::from(Learner::starting_level(0.3, 5, &mut rng)) / 4.0).sum::<f64>() / f64::from(n);
        assert!((mean - 0.3).abs() < 0.01, "{mean}");
        assert_eq!(Learner::starting_level(1.0, 5, &mut rng), 4);
        assert_eq!(Learner::starting_level(0.0, 5, &mut rng), 0);
    }

    /// Runs a learner for `months` months against `margin(strategy, noise)`.
    fn run(
        l: &mut Learner,
        months: u32,
        p: &Params,
        rng: &mut SimRng,
        margin: impl Fn(&Strategy) -> f64,
    ) -> Vec<Strategy> {
        let mut seen = Vec::new();
        for _ in 0..months {
            let m = margin(&l.strategy) + 0.02 * (rng.uniform() - 0.5);
            let draws = MonthDraws::draw(rng);
            l.learn(m, p, false, &draws);
            if l.reviews(p, &draws) {
                l.start_trial(false, p.trial_months, &draws);
            }
            seen.push(l.strategy);
        }
        seen
    }

    /// A facility whose margin rises with cooperation learns to cooperate fully.
    #[test]
    fn a_learner_climbs_to_the_level_that_pays() {
        let p = Params::default();
        let mut rng = SimRng::new(5, Stream::Hospitals);
        let mut l = Learner::new(0, 5);
        let seen = run(&mut l, 240, &p, &mut rng, |s| 0.05 + 0.04 * f64::from(s.level) / 4.0);
        let at_top = seen[120..].iter().filter(|s| s.level >= 3).count();
        assert!(at_top > 90, "months at high cooperation in the last 120: {at_top}");
    }

    #[test]
    fn losses_are_answered_and_frozen_learners_stay_put() {
        let p = Params::default();
        let mut rng = SimRng::new(8, Stream::Hospitals);
        // Restraint loses money here; the learner leaves it, reviewing every month it loses.
        let mut l = Learner::new(2, 5);
        l.strategy.case = -1;
        let seen = run(&mut l, 60, &p, &mut rng, |s| if s.case == -1 { -0.2 } else { 0.02 });
        // It may pilot restraint again now and then (its other options pay the same, so its
        // trials drift), but it never keeps it.
        let restrained = seen[30..].iter().filter(|s| s.case == -1).count();
        assert!(restrained <= 2 * p.trial_months as usize, "{:?}", &seen[30..]);
        assert!(seen[30..].windows(p.trial_months as usize + 1).all(|w| w.iter().any(|s| s.case != -1)));
        let frozen = Params { provider_learning: 0.0, ..Params::default() };
        let mut f = Learner::new(2, 5);
        run(&mut f, 24, &frozen, &mut rng, |_| -0.2);
        assert_eq!(f.strategy, Strategy { level: 2, case: 0, day: 0, invest: false });
    }

    #[test]
    fn a_trial_that_loses_money_is_dropped() {
        let p = Params::default();
        let mut rng = SimRng::new(4, Stream::Hospitals);
        let mut dropped = 0;
        for _ in 0..200 {
            let mut l = Learner::new(2, 5);
            for _ in 0..12 {
                l.learn(0.05, &p, true, &MonthDraws::draw(&mut rng));
            }
            l.start_trial(false, p.trial_months, &MonthDraws::draw(&mut rng));
            for _ in 0..p.trial_months {
                l.learn(0.0, &p, false, &MonthDraws::draw(&mut rng));
            }
            assert!(!l.on_trial());
            dropped += usize::from(l.strategy == Strategy { level: 2, case: 0, day: 0, invest: false });
        }
        assert!(dropped > 180, "{dropped} of 200 losing trials dropped");
    }

    #[test]
    fn richer_peers_are_copied_more_often() {
        let p = Params::default();
        let mut rng = SimRng::new(2, Stream::Hospitals);
        let peer = Strategy { level: 4, case: 1, day: 1, invest: false };
        let copies = |m: f64, rng: &mut SimRng| {
            (0..4000).filter(|_| Learner::new(1, 5).imitate(peer, m, &p, &MonthDraws::draw(rng))).count()
        };
        let (richer, poorer) = (copies(0.1, &mut rng), copies(-0.1, &mut rng));
        assert!(richer > 2500 && poorer < 1500, "{richer} {poorer}");
    }
}
