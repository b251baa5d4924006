//! The facility inspector's records (`facility_history.rs`) and the flows' reasons
//! (`flow_reasons.rs`): the months' books add up to each facility's ledger to the fen, the
//! stance recorded is the one chosen at the month's end, and every learning event names a
//! real change of strategy.

use consortium_sim::facility_history::LearningKind;
use consortium_sim::money::{Ledger, fen};
use consortium_sim::{Scenario, Simulation};

/// A close consortium (so the settlement moves money) with KPI appraisal and subsidies, run
/// month by month; `check` sees it after every month end.
fn run_months(months: u32, mut check: impl FnMut(&Simulation)) -> Simulation {
    let mut s = Scenario::from_preset("close_consortium").unwrap();
    s.population = 20_000;
    s.years = 3;
    s.seed = 11;
    let mut sim = Simulation::new(s).unwrap();
    for m in 0..months {
        sim.step(consortium_sim::sim::month_start(m + 1) - sim.day());
        check(&sim);
    }
    sim
}

#[test]
fn the_months_revenue_by_source_sums_to_the_ledger_to_the_fen() {
    let mut sim = run_months(14, |_| {});
    sim.step(10); // into a month: its books so far are the last entry
    let mut sources_seen = [false; 4];
    for (id, f) in sim.facilities().iter().enumerate() {
        let h = sim.facility_history(id).unwrap();
        assert_eq!(h.closed_months, 14);
        assert_eq!(h.insurer.len(), 15, "one entry per month begun");
        // In fen, line by line: the closed months and the open one are the whole run.
        let mut sum = Ledger::default();
        for m in sim.facility_months(id) {
            sum.add(&m.books);
        }
        sum.add(&f.month);
        assert_eq!(sum, f.total(), "facility {id}");
        // What the page gets: revenue by source sums to the ledger's revenue, to the fen.
        let columns = [&h.insurer, &h.oop, &h.government, &h.pooled];
        let by_source: i64 = columns.iter().flat_map(|c| c.iter()).map(|&y| fen(y)).sum();
        assert_eq!(by_source, f.total().revenue(), "facility {id}: revenue by source");
        let cost: i64 = h.cost.iter().map(|&y| fen(y)).sum();
        assert_eq!(cost, f.total().cost(), "facility {id}: cost");
        for (seen, c) in sources_seen.iter_mut().zip(columns) {
            *seen |= c.iter().any(|&y| y != 0.0);
        }
    }
    assert_eq!(sources_seen, [true; 4], "every source moves money in this scenario");
    assert!(sim.facility_history(sim.facilities().len()).is_none());
}

#[test]
fn the_stance_recorded_is_the_one_chosen_at_the_months_end() {
    let mut changed = 0;
    let mut last: Vec<_> = Vec::new();
    run_months(30, |sim| {
        let now: Vec<_> = sim.facilities().iter().map(|f| f.learner.strategy).collect();
        for (id, s) in now.iter().enumerate() {
            let recorded = sim.facility_months(id).last().unwrap();
            assert_eq!(recorded.strategy, *s, "facility {id}, month {}", sim.facility_months(id).len());
            let h = sim.facility_history(id).unwrap();
            assert_eq!(h.cooperation.last().copied(), Some(sim.facilities()[id].cooperation));
        }
        if !last.is_empty() {
            changed += now.iter().zip(&last).filter(|(a, b)| a != b).count();
        }
        last = now;
    });
    assert!(changed > 5, "strategies changed {changed} times: the test needs some changes");
}

#[test]
fn every_learning_event_names_a_real_change_of_strategy() {
    let sim = run_months(30, |_| {});
    let mut kinds = [0; 4];
    for id in 0..sim.facilities().len() {
        let months = sim.facility_months(id);
        let events = sim.facility_events(id);
        for e in events {
            assert_ne!(e.from, e.to, "facility {id}: {e:?}");
            kinds[e.kind as usize] += 1;
        }
        // The strategy moves only through events: a month without one keeps last month's,
        // and a month with some ends where its last event leads.
        for m in 1..months.len() {
            let this: Vec<_> = events.iter().filter(|e| e.month as usize == m).collect();
            match this.last() {
                None => assert_eq!(months[m].strategy, months[m - 1].strategy, "facility {id}, month {m}"),
                Some(e) if e.kind == LearningKind::Kept => {
                    assert_eq!(months[m].strategy, months[m - 1].strategy, "facility {id}, month {m}");
                    assert_eq!(e.to, months[m].strategy);
                }
                Some(e) => assert_eq!(e.to, months[m].strategy, "facility {id}, month {m}: {e:?}"),
            }
            for e in &this {
                // A trial that ends was in force all month: dropped, it is left; kept, it stays.
                match e.kind {
                    LearningKind::Dropped => assert_eq!(e.from, months[m - 1].strategy),
                    LearningKind::Kept => assert_eq!(e.to, months[m - 1].strategy),
                    _ => {}
                }
                if matches!(e.kind, LearningKind::Dropped | LearningKind::Kept) {
                    assert!(months[m - 1].on_trial, "a trial ended in month {m} of facility {id}");
                }
                if e.kind == LearningKind::Started {
                    assert!(months[m].on_trial);
                }
            }
        }
    }
    assert!(kinds[LearningKind::Started as usize] > 0 && kinds[LearningKind::Dropped as usize] > 0, "{kinds:?}");
}

#[test]
fn recording_changes_no_result() {
    // The same run stepped in different pieces, and asked for histories on the way, ends
    // the same: recording reads, it never draws.
    let s = Scenario { population: 8_000, years: 1, seed: 4, ..Scenario::default() };
    let mut a = Simulation::new(s.clone()).unwrap();
    a.run();
    let mut b = Simulation::new(s).unwrap();
    while !b.finished() {
        b.step(17.min(b.total_days() - b.day()));
        for id in 0..b.facilities().len() {
            b.facility_history(id);
        }
        b.flow_reasons();
    }
    assert_eq!(a.summary(), b.summary());
    assert_eq!(a.facility_books(), b.facility_books());
}
