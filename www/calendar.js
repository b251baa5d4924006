// The page's calendar, shared by the page and the model workers (sim-worker.js).
//
// The model counts days. The page groups them into months of MONTH_DAYS days: Step runs one,
// Go one or three per update, the baseline is cached month by month, and the worker cuts
// every output's daily series into windows of this many days, one chart point each. A year
// is twelve such months and five days more (its thirteenth point is short). The model's
// own month ends (budgets, appraisal) fall instead on twelfths of its 365-day year; no
// export says so, which is why the page keeps its own month here.

/** Days in one of the page's months. */
export const MONTH_DAYS = 30;

/** Days in a simulated year: the core's `YEAR` (a run's `totalDays` is `years` of them). */
export const YEAR_DAYS = 365;
