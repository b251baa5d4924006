//! Running indexed jobs on all cores and handing their results over in index order.
//!
//! Workers pull the next index from an atomic counter; a small reorder buffer on the
//! calling thread releases results in index order. Workers never run more than `window`
//! indices ahead of the last result released, so memory stays bounded however long the
//! sweep, and the output does not depend on the number of threads.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle, TermLike};
use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::ops::Range;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Condvar, Mutex, mpsc};

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
pub struct Progress(ProgressBar);

impl Progress {
    /// A bar for `total` runs. It is drawn when stderr is a terminal, at most ten times a
    /// second. When `forced` and stderr is not a terminal (a log file), it is written as
    /// plain lines instead, at most once a second.
    pub fn new(total: u64, forced: bool) -> Progress {
        let target = if std::io::stderr().is_terminal() {
            ProgressDrawTarget::stderr_with_hz(10)
        } else if forced {
            ProgressDrawTarget::term_like_with_hz(Box::<LogLines>::default(), 1)
        } else {
            ProgressDrawTarget::hidden()
        };
        let style = ProgressStyle::with_template("[{bar:30}] {pos}/{len} runs  {elapsed} elapsed  {eta} left")
            .expect("the template is valid")
            .progress_chars("## ");
        Progress(ProgressBar::with_draw_target(Some(total), target).with_style(style))
    }

    /// Counts one finished run; the last one leaves the bar in place, on its own line.
    pub fn tick(&mut self) {
        self.0.inc(1);
        if self.0.position() >= self.0.length().unwrap_or(0) {
            self.0.finish();
        }
    }
}

/// Stderr that is not a terminal: each drawing of the bar becomes a line of its own, with
/// no cursor movement or padding, so a log file stays readable.
#[derive(Debug, Default)]
struct LogLines(Mutex<String>);

impl LogLines {
    /// Writes what was drawn since the last line, less the padding, as one line.
    fn end_line(&self) -> std::io::Result<()> {
        let mut line = self.0.lock().expect("no thread panics holding the lock");
        if !line.trim().is_empty() {
            writeln!(std::io::stderr(), "{}", line.trim_end())?;
        }
        line.clear();
        Ok(())
    }
}

impl TermLike for LogLines {
    fn width(&self) -> u16 {
        100
    }
    fn move_cursor_up(&self, _: usize) -> std::io::Result<()> {
        Ok(())
    }
    fn move_cursor_down(&self, _: usize) -> std::io::Result<()> {
        Ok(())
    }
    fn move_cursor_right(&self, _: usize) -> std::io::Result<()> {
        Ok(())
    }
    fn move_cursor_left(&self, _: usize) -> std::io::Result<()> {
        Ok(())
    }
    fn write_line(&self, text: &str) -> std::io::Result<()> {
        self.write_str(text)?;
        self.end_line()
    }
    fn write_str(&self, text: &str) -> std::io::Result<()> {
        self.0.lock().expect("no thread panics holding the lock").push_str(text);
        Ok(())
    }
    fn clear_line(&self) -> std::io::Result<()> {
        Ok(())
    }
    fn flush(&self) -> std::io::Result<()> {
        self.end_line()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

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
