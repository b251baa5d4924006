// Types of `consortium-sim/embed`, the module that defines the `<consortium-sim>` custom
// element (importing it registers the element) and exports the element's class.

/**
 * `<consortium-sim>`: one pinned scenario of the explorer, with a chart or two and key
 * figures, that runs when it scrolls into view, fits its container and shows no control but
 * replay. Several can live on one page. Whatever the element contains before it starts (the
 * Embed dialog's snippet puts SVG charts and a data table there) is what print, screen readers
 * and browsers without wasm or workers show; the element replaces it with the live run when
 * it can.
 *
 * Attributes (strings, as in HTML):
 * - `scenario`: the query string of a share link from the explorer (the part after `?`, e.g.
 *   `preset=close_consortium&seed=7&v=0.2.0`): the scenario to run.
 * - `charts`: which charts to show, a comma-separated list of the explorer's chart names.
 * - `figures`: which key figures to show, a comma-separated list of the key figures' names.
 * - `lang`: the language of the labels, `en` or `zh-CN`.
 * - `autoplay`: present to start the run when the element scrolls into view.
 * - `compare`: `on` or `off`: whether the status quo is drawn beside the scenario.
 *
 * ```html
 * <script type="module" src="node_modules/consortium-sim/embed/consortium-sim.js"></script>
 * <consortium-sim scenario="preset=close_consortium&seed=7" lang="zh-CN" autoplay></consortium-sim>
 * ```
 */
export interface ConsortiumSimElement extends HTMLElement {
  /** 'waiting' (for Play or to scroll into view), 'loading', 'running', 'done', 'static' (no
   * live run in this browser: the fallback stays) or 'error'. */
  readonly state: 'waiting' | 'loading' | 'running' | 'done' | 'static' | 'error';
  /** Starts the run, or runs it again from day 0. */
  play(): void;
  /** The series chart `name` draws now: `{ id, name, points }` each, or null for no such chart. */
  chartData(name: string): { id: string; name: string; points: number }[] | null;
}

/** The class registered as `<consortium-sim>` (registered once, when the module loads). */
export declare const ConsortiumSim: {
  prototype: ConsortiumSimElement;
  new (): ConsortiumSimElement;
};

/** The attributes `<consortium-sim>` reads (see `ConsortiumSimElement`). */
export type ConsortiumSimAttribute = 'scenario' | 'charts' | 'figures' | 'lang' | 'autoplay' | 'compare';

declare global {
  interface HTMLElementTagNameMap {
    'consortium-sim': ConsortiumSimElement;
  }
}
