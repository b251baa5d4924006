//! Running indexed jobs on all cores and handing their results over in index order.
//!
//! Workers pull the next index from an atomic counter; a small reorder buffer on the
//! calling thread releases results in index order. Workers never run more than `window`
//! indices ahead of the last result released, so memory stays bounded however long the
//! sweep, and the output does not depend on the number of threads.

use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::ops::Range;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Condvar, Mutex, mpsc};
use std::time::{Duration, Instant};

/// Runs `work(i)` for every `i` in `range` on `threads` threads and calls `sink(i, result)`
/// in increasing `i` on the calling thread. Stops at the first error of either (later
/// results are discarded) and returns it.
pub fn run_ordered<T, E, W, S>(range: Range<u64>, threads: usize, work: W, mut sink: S) -> Result<(), E>
where
    T: Send,
    E: Send,
    W: Fn(u64) -> Result<T, E> + Sync,
    S: FnMut(u64, T) -> Result<(), E>,
{
    let threads = threads.max(1);
    // Enough look-ahead to keep every worker busy while one slow run holds up the output.
    let window = 4 * threads as u64;
    let next = AtomicU64::new(range.start);
    let stop = AtomicBool::new(false);
    let released = Mutex::new(range.start);
    let advanced = Condvar::new();
    let (tx, rx) = mpsc::channel::<(u64, Result<T, E>)>();
    std::thread::scope(|scope| {
        for _ in 0..threads {
            let tx = tx.clone();
            let (next, stop, released, advanced, work) = (&next, &stop, &released, &advanced, &work);
            scope.spawn(move || {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= range.end || stop.load(Ordering::Relaxed) {
                        break;
                    }
                    let mut r = released.lock().expect("no thread panics holding the lock");
                    while i >= *r + window && !stop.load(Ordering::Relaxed) {
                        r = advanced.wait(r).expect("no thread panics holding the lock");
                    }
                    drop(r);
                    if stop.load(Ordering::Relaxed) {
                        break;
                    }
                    if tx.send((i, work(i))).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        let mut buffer = BTreeMap::new();
        let mut want = range.start;
        let mut outcome = Ok(());
        for (i, result) in rx.iter() {
            buffer.insert(i, result);
            while let Some(result) = buffer.remove(&want) {
                outcome = result.and_then(|t| sink(want, t));
                want += 1;
                if outcome.is_err() {
                    break;
                }
            }
            if outcome.is_err() {
                break;
            }
            *released.lock().expect("no thread panics holding the lock") = want;
            advanced.notify_all();
        }
        if outcome.is_err() {
            stop.store(true, Ordering::Relaxed);
            // Take the lock so no worker misses the wake-up between its check and its wait.
            drop(released.lock().expect("no thread panics holding the lock"));
            advanced.notify_all();
        }
        drop(rx);
        outcome
    })
}

/// A one-line progress bar on stderr: runs done, elapsed time and an estimate of the rest.
#[derive(Debug)]
pub struct Progress {
    total: u64,
    done: u64,
    start: Instant,
    drawn: Option<Instant>,
    enabled: bool,
}

impl Progress {
    /// A bar for `total` runs, drawn when `forced` or when stderr is a terminal.
    pub fn new(total: u64, forced: bool) -> Progress {
        Progress {
            total,
            done: 0,
            start: Instant::now(),
            drawn: None,
            enabled: forced || std::io::stderr().is_terminal(),
        }
    }

    /// Counts one finished run and redraws at most ten times a second.
    pub fn tick(&mut self) {
        self.done += 1;
        if !self.enabled {
            return;
        }
        let now = Instant::now();
        if self.done < self.total && self.drawn.is_some_and(|t| now - t < Duration::from_millis(100)) {
            return;
        }
        self.drawn = Some(now);
        let elapsed = (now - self.start).as_secs_f64();
        let frac = self.done as f64 / self.total.max(1) as f64;
        let filled = (frac * 30.0) as usize;
        let eta = if self.done > 0 { elapsed / frac - elapsed } else { 0.0 };
        let mut err = std::io::stderr().lock();
        let _ = write!(
            err,
            "\r[{}{}] {}/{} runs  {:.0} s elapsed  {:.0} s left ",
            "#".repeat(filled),
            " ".repeat(30 - filled.min(30)),
            self.done,
            self.total,
            elapsed,
            eta
        );
        if self.done >= self.total {
            let _ = writeln!(err);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_arrive_in_order_whatever_the_threads() {
        for threads in [1, 2, 3, 8] {
            let mut seen = Vec::new();
            run_ordered(
                5..40,
                threads,
                |i| {
                    // Uneven work, so results finish out of order.
                    std::thread::sleep(Duration::from_micros((i * 7919 % 13) * 50));
                    Ok::<u64, String>(i * i)
                },
                |i, v| {
                    seen.push((i, v));
                    Ok(())
                },
            )
            .unwrap();
            assert_eq!(seen, (5..40).map(|i| (i, i * i)).collect::<Vec<_>>(), "threads {threads}");
        }
    }

    #[test]
    fn the_first_error_stops_the_run() {
        let mut seen = 0;
        let r = run_ordered(
            0..1000,
            2,
            |i| if i == 10 { Err(format!("bad {i}")) } else { Ok(i) },
            |_, _| {
                seen += 1;
                Ok(())
            },
        );
        assert_eq!(r, Err("bad 10".to_string()));
        assert_eq!(seen, 10);
        let r = run_ordered(0..1000, 2, Ok::<u64, String>, |i, _| if i == 3 { Err("sink".into()) } else { Ok(()) });
        assert_eq!(r, Err("sink".to_string()));
    }
}
