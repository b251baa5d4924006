//! What each facility did, month by month, for the page's "why did it happen?" inspector:
//! its closed books (revenue by source, costs), the strategy it chose at the month's end
//! (cooperation level, case and day stances, investing) and what it learned that month (a
//! trial started, kept or dropped, a peer copied, with the margins it compared).
//!
//! Recording only reads: it draws no random number and writes nothing the model reads, so a
//! run gives the same results with it as without it (the golden tests check this). It costs
//! one small record per facility per month (`month_end.rs` calls it twice a month), never
//! anything per contact.

use crate::hospital::Facility;
use crate::money::Ledger;
use crate::strategy::{Strategy, Trial};

/// One facility's closed month.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MonthRecord {
    /// The month's ledger as it closed (after the settlement).
    pub books: Ledger,
    /// The margin it learned from (net over operating revenue).
    pub margin: f64,
    /// The strategy in force from the month's end: what it chose after learning.
    pub strategy: Strategy,
    /// Whether that strategy is a change being piloted.
    pub on_trial: bool,
}

/// What a facility learned in one month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LearningKind {
    /// It started piloting a change of one part of its strategy.
    Started,
    /// A trial ended and the change was kept.
    Kept,
    /// A trial ended and the facility went back to its strategy before it.
    Dropped,
    /// It copied a same-tier peer's strategy (recorded only when the copy changed something).
    Copied,
}

/// One learning event: what changed, and the margins the facility weighed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LearningEvent {
    /// Model month (from 0) at whose end it happened.
    pub month: u32,
    /// What happened.
    pub kind: LearningKind,
    /// The part tried (0 cooperation, 1 case stance, 2 day stance, 3 investment); none for a copy.
    pub part: Option<usize>,
    /// The strategy before the change (for a trial kept: before the trial).
    pub from: Strategy,
    /// The strategy after it (for a trial kept: the trial's, which stays).
    pub to: Strategy,
    /// The margin the facility compared with: the mean margin of the months before a trial
    /// (started, kept, dropped), or its own smoothed margin (copied).
    pub before: f64,
    /// The trial's mean margin (kept, dropped); `None` when there is none yet.
    pub after: Option<f64>,
}

/// What a facility's learner looked like just before the month's learning.
#[derive(Debug, Clone, Copy)]
pub struct LearnerBefore {
    strategy: Strategy,
    trial: Option<Trial>,
    record: [u32; 3],
}

/// Every facility's learner before the month's learning ([`FacilityLog::before_learning`]).
#[derive(Debug, Clone, Default)]
pub struct BeforeLearning(Vec<LearnerBefore>);

/// Every facility's months and learning events so far.
#[derive(Debug, Clone, Default)]
pub struct FacilityLog {
    /// Closed months, by facility id, oldest first.
    months: Vec<Vec<MonthRecord>>,
    /// Learning events, by facility id, oldest first.
    events: Vec<Vec<LearningEvent>>,
}

impl FacilityLog {
    /// Takes what every facility's learner holds before the month's learning.
    pub fn before_learning(facilities: &[Facility]) -> BeforeLearning {
        BeforeLearning(
            facilities
                .iter()
                .map(|f| LearnerBefore {
                    strategy: f.learner.strategy,
                    trial: f.learner.trial,
                    record: f.learner.record,
                })
                .collect(),
        )
    }

    /// Records month `month`, just closed: each facility's books (`last_month`), margin and
    /// strategy now, and what changed in its learner since `before`.
    pub fn record(&mut self, month: u32, facilities: &[Facility], before: &BeforeLearning) {
        self.months.resize_with(facilities.len(), Vec::new);
        self.events.resize_with(facilities.len(), Vec::new);
        for (i, (f, b)) in facilities.iter().zip(&before.0).enumerate() {
            let l = &f.learner;
            self.months[i].push(MonthRecord {
                books: f.last_month,
                margin: f.margin,
                strategy: l.strategy,
                on_trial: l.on_trial(),
            });
            learning_events(month, f.margin, b, &f.learner, &mut self.events[i]);
        }
    }

    /// Facility `id`'s closed months, oldest first (empty for an unknown id).
    pub fn months(&self, id: usize) -> &[MonthRecord] {
        self.months.get(id).map_or(&[], Vec::as_slice)
    }

    /// Facility `id`'s learning events, oldest first (empty for an unknown id).
    pub fn events(&self, id: usize) -> &[LearningEvent] {
        self.events.get(id).map_or(&[], Vec::as_slice)
    }
}

/// Appends what facility learner `now` did this month (`margin`: the month's) against
/// what it was (`b`): a trial ended (kept or dropped), a peer copied, a trial started. The
/// order is the order of `Simulation::learn_from_margins`.
fn learning_events(
    month: u32,
    margin: f64,
    b: &LearnerBefore,
    now: &crate::strategy::Learner,
    out: &mut Vec<LearningEvent>,
) {
    let kept = now.record[0] > b.record[0];
    let dropped = now.record[1] > b.record[1];
    let mut settled = b.strategy;
    if let (Some(t), true) = (b.trial, kept || dropped) {
        let mean = (t.sum + margin) / f64::from(t.months + 1);
        // Kept: the change piloted (from the strategy before the trial to the trial's) stays.
        // Dropped: the facility goes back from the trial's strategy to the one before.
        let (kind, from, to) = if kept {
            (LearningKind::Kept, t.before, b.strategy)
        } else {
            (LearningKind::Dropped, b.strategy, t.before)
        };
        out.push(LearningEvent { month, kind, part: Some(t.part), from, to, before: t.baseline, after: Some(mean) });
        settled = to;
    }
    if now.record[2] > b.record[2] && now.strategy != settled {
        out.push(LearningEvent {
            month,
            kind: LearningKind::Copied,
            part: None,
            from: settled,
            to: now.strategy,
            before: now.smoothed_margin,
            after: None,
        });
    }
    let started = now.trial.is_some() && (b.trial.is_none() || kept || dropped);
    if let (Some(t), true) = (now.trial, started) {
        out.push(LearningEvent {
            month,
            kind: LearningKind::Started,
            part: Some(t.part),
            from: t.before,
            to: now.strategy,
            before: t.baseline,
            after: None,
        });
    }
}

/// A strategy as the page reads it.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct StrategyView {
    /// Cooperation, 0..1.
    pub cooperation: f64,
    /// Case stance: -1 restrain, 0 neutral, 1 induce.
    pub case: i8,
    /// Day stance: -1 shorter stays, 0 neutral, 1 longer stays.
    pub day: i8,
    /// Whether it invests its own money in capability.
    pub invest: bool,
}

/// A learning event as the page reads it.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct EventView {
    /// Model month (from 0) at whose end it happened.
    pub month: u32,
    /// started, kept, dropped or copied.
    pub kind: LearningKind,
    /// cooperation, case, day or invest; null for a copy.
    pub part: Option<&'static str>,
    /// The strategy before.
    pub from: StrategyView,
    /// The strategy after.
    pub to: StrategyView,
    /// The margin compared with (see [`LearningEvent::before`]).
    pub before: f64,
    /// The trial's mean margin, if it ended.
    pub after: Option<f64>,
}

/// One facility's history, column by column (one entry per model month begun), money in
/// yuan: what `facilityHistory(id)` gives the page.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct FacilityHistory {
    /// Facility id.
    pub id: usize,
    /// 0 primary, 1 secondary, 2 tertiary.
    pub tier: u8,
    /// Months closed; the books have one more entry when a month is under way.
    pub closed_months: usize,
    /// Insurer payments (less claw-backs), by month.
    pub insurer: Vec<f64>,
    /// Out-of-pocket payments, by month.
    pub oop: Vec<f64>,
    /// The health commission's payments (subsidies, grants, stipends, contract fees,
    /// appraisal rewards less penalties), by month.
    pub government: Vec<f64>,
    /// The consortium's settlement (signed), by month.
    pub pooled: Vec<f64>,
    /// Every cost line summed, by month.
    pub cost: Vec<f64>,
    /// Net over operating revenue, by month.
    pub margin: Vec<f64>,
    /// Cooperation chosen at each closed month's end, 0..1.
    pub cooperation: Vec<f64>,
    /// Case stance chosen at each closed month's end.
    pub case_stance: Vec<i8>,
    /// Day stance chosen at each closed month's end.
    pub day_stance: Vec<i8>,
    /// Whether a change was being piloted from each closed month's end.
    pub on_trial: Vec<bool>,
    /// What it learned, oldest first.
    pub events: Vec<EventView>,
}

const PARTS: [&str; 4] = ["cooperation", "case", "day", "invest"];

impl crate::sim::Simulation {
    /// Facility `id`'s history so far (`None` for an unknown id): its closed months and, when
    /// a month is under way, that month's books so far.
    pub fn facility_history(&self, id: usize) -> Option<FacilityHistory> {
        let f = self.facilities.get(id)?;
        let full = f.learner.full_level();
        let view = |s: &Strategy| StrategyView {
            cooperation: f64::from(s.level) / f64::from(full.max(1)),
            case: s.case,
            day: s.day,
            invest: s.invest,
        };
        let closed = self.facility_log.months(id);
        let mut books: Vec<(Ledger, f64)> = closed.iter().map(|m| (m.books, m.margin)).collect();
        if self.day > self.month_start {
            books.push((f.month, f.month.margin()));
        }
        let column =
            |line: fn(&Ledger) -> crate::money::Fen| books.iter().map(|(l, _)| crate::money::yuan(line(l))).collect();
        Some(FacilityHistory {
            id,
            tier: f.tier as u8,
            closed_months: closed.len(),
            insurer: column(|l| l.insurer),
            oop: column(|l| l.oop),
            government: column(|l| l.government),
            pooled: column(|l| l.pooled),
            cost: column(Ledger::cost),
            margin: books.iter().map(|&(_, m)| m).collect(),
            cooperation: closed.iter().map(|m| view(&m.strategy).cooperation).collect(),
            case_stance: closed.iter().map(|m| m.strategy.case).collect(),
            day_stance: closed.iter().map(|m| m.strategy.day).collect(),
            on_trial: closed.iter().map(|m| m.on_trial).collect(),
            events: self
                .facility_log
                .events(id)
                .iter()
                .map(|e| EventView {
                    month: e.month,
                    kind: e.kind,
                    part: e.part.map(|p| PARTS[p]),
                    from: view(&e.from),
                    to: view(&e.to),
                    before: e.before,
                    after: e.after,
                })
                .collect(),
        })
    }

    /// Every closed month of facility `id` (for tests and analysis; empty for an unknown id).
    pub fn facility_months(&self, id: usize) -> &[MonthRecord] {
        self.facility_log.months(id)
    }

    /// Every learning event of facility `id` (for tests and analysis).
    pub fn facility_events(&self, id: usize) -> &[LearningEvent] {
        self.facility_log.events(id)
    }
}
