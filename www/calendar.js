// The model's calendar on the page: lookups in the month starts the model workers send.
//
// Months are defined once, in the core (`month_of` and `month_start` in src/sim.rs): twelfths
// of the 365-day year, 30 or 31 days long, each ending where the model settles budgets and
// facilities review their strategy. The page's Step runs to the end of the month in progress,
// Go runs whole months, the baseline is cached at month ends, and each chart point is one
// month's value (the model's `seriesMonthly`) drawn at the month's end.
//
// Only the worker has the wasm module, so it asks the model for the first day of every month
// of a run's horizon (`monthStart`) and sends them with every snapshot as `monthStarts`: a
// Uint32Array whose element m is the first day of month m, and whose last element is the
// horizon (`totalDays`, the start of the month after it). The functions here only look days up
// in that table; none of them knows how long a month is.

/** Days in a simulated year: the core's `YEAR` (a run's `totalDays` is `years` of them). */
export const YEAR_DAYS = 365;

/** The month that `day` falls in: the last month starting on or before it (the table's last
 * month, for the horizon itself). */
export function monthOf(starts, day) {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= day) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Months begun in the first `day` days (0 at day 0): the length of a series by month. */
export function monthsBegun(starts, day) {
  return day > 0 ? monthOf(starts, day - 1) + 1 : 0;
}

/** The day `months` month ends after `day` (at most the horizon): from a month's end, the end
 * of the month after it; from inside a month, the end of that month. */
export function monthEndAfter(starts, day, months = 1) {
  return starts[Math.min(monthOf(starts, day) + months, starts.length - 1)];
}

/** The day that month `month` ends on, as drawn: the first day after it (the next month's
 * start), or `day` when the run is inside that month. */
export function monthEnd(starts, month, day) {
  return Math.min(starts[Math.min(month + 1, starts.length - 1)], day);
}

/**
 * The timeline as the model's day-based lever changes (the scenario file's `changes`, C3):
 * `[{ day, lever, value }]` in the order they apply. An entry for month m applies on day
 * `monthStart(m - 1)`; `timeline` is kept sorted (sortTimeline), so its order is the order of
 * application, and the sort below only keeps it stable for a list that is not.
 */
export function timelineChanges(timeline, monthStart) {
  return (timeline || [])
    .map((e, i) => ({ day: monthStart(e.month - 1), lever: e.key, value: e.value, i }))
    .sort((a, b) => a.day - b.day || a.i - b.i)
    .map(({ day, lever, value }) => ({ day, lever, value }));
}
