// The first-visit tour: a few small popovers, each beside a real part of the page (the levers,
// Go and Step, the dashed status quo, the key figures, a chart's "Look for" line, Copy link),
// with Back, Next and Skip. It is not modal: the page stays usable while it is open.
//
// When it opens by itself: on a person's first visit, remembered in localStorage once the
// tour is ended (Skip, Esc or Done), so a reload mid-tour shows it again. Never in
// presentation mode (`?present=1`: a projector, the class is watching the lecturer), and not
// when the storage cannot be read (the page could not remember the tour was seen, and would
// show it on every visit). A share link does show it on a first visit: the student who opens
// the lecturer's link is the typical first visitor, and the page cannot tell a share link
// from its own reloaded URL (it always writes the scenario into the URL).
//
// Browsers driven by automation (`navigator.webdriver`, as in the page tests) do not get it by
// themselves: they are not first-time readers, and a popover taking the focus would change
// what every other test does. `?tour=1` makes such a browser behave as a person's (the
// first-visit rule above then applies); the Tour button in the header always opens it.
//
// Keyboard: focus moves into the popover (onto Next) when a step shows, Esc skips, and when
// the tour ends focus goes back to where it was (or to the Tour button).

import { t, onLanguageChange } from './i18n.js';

const SEEN_KEY = 'consortium-sim.tour-seen';
/** The query the page was opened with, read before the page rewrites its URL (main.js drops
 * `tour` from it). */
const OPENED_WITH = typeof location === 'undefined' ? '' : location.search;
/** Gap between a target and its popover, and margin to the window's edges (px). */
const GAP = 12;
const EDGE = 8;

/** The steps, in order: the element each points at, and its strings. */
const STEPS = [
  { id: 'levers', target: () => document.querySelector('#lever-groups'), title: () => t('tour.levers.title'), body: () => t('tour.levers.body') },
  { id: 'run', target: () => document.querySelector('.run-buttons'), title: () => t('tour.run.title'), body: () => t('tour.run.body') },
  { id: 'baseline', target: () => document.querySelector('.chart-toolbar .overlay-key'), title: () => t('tour.baseline.title'), body: () => t('tour.baseline.body') },
  { id: 'kpis', target: () => document.querySelector('[data-kpis]'), title: () => t('tour.kpis.title'), body: () => t('tour.kpis.body') },
  {
    id: 'lookFor',
    target: () => document.querySelector('[data-chart="visit-shares"]')?.closest('.card')?.querySelector('.look-for') || document.querySelector('.look-for'),
    title: () => t('tour.lookFor.title'),
    body: () => t('tour.lookFor.body'),
  },
  { id: 'link', target: () => document.querySelector('[data-action="copy-link"]'), title: () => t('tour.link.title'), body: () => t('tour.link.body') },
];

/** Whether the tour was ended before; `null` when the storage cannot be read. */
function seenBefore() {
  try {
    return window.localStorage.getItem(SEEN_KEY) === '1';
  } catch {
    return null;
  }
}

/** Remembers that the tour was ended; a blocked storage only means it is not remembered. */
function rememberSeen() {
  try {
    window.localStorage.setItem(SEEN_KEY, '1');
  } catch {
    // Nothing to do: the page works the same without the memory.
  }
}

/** Whether the tour should open by itself on a page opened with query `search`. */
export function tourWanted(search, { webdriver = navigator.webdriver, seen = seenBefore() } = {}) {
  const params = new URLSearchParams(search);
  if (params.get('present') === '1') return false;
  if (webdriver && params.get('tour') !== '1') return false;
  return seen === false;
}

/** Whether enough of `el` shows to point at: all of it, or its top and 120 px of it (a tall
 * target scrolled to its middle would hide its heading under the sticky run controls). */
function inView(el) {
  const r = el.getBoundingClientRect();
  const vh = window.innerHeight;
  if (r.top >= 0 && r.bottom <= vh) return true;
  return r.top >= 0 && vh - r.top >= 120;
}

function buildPopover() {
  const pop = document.createElement('div');
  pop.className = 'tour-pop';
  pop.hidden = true;
  pop.dataset.tour = '';
  pop.setAttribute('role', 'dialog');
  pop.setAttribute('aria-modal', 'false');
  pop.setAttribute('aria-labelledby', 'tour-title');
  pop.setAttribute('aria-describedby', 'tour-body');
  pop.innerHTML = `
    <p class="tour-count" data-tour-count></p>
    <h2 id="tour-title" class="tour-title"></h2>
    <p id="tour-body" class="tour-body"></p>
    <div class="tour-buttons">
      <button type="button" class="tour-skip" data-tour-skip></button>
      <button type="button" data-tour-back></button>
      <button type="button" class="primary" data-tour-next></button>
    </div>`;
  document.body.append(pop);
  return pop;
}

/**
 * The tour. `button` is the header's Tour button (it opens the tour; focus returns to it when
 * there is nowhere better). `onChange(state)` is told `{ open, step, id }` after each change.
 */
export function createTour({ button, onChange = () => {} }) {
  const pop = buildPopover();
  const parts = {
    count: pop.querySelector('[data-tour-count]'),
    title: pop.querySelector('.tour-title'),
    body: pop.querySelector('.tour-body'),
    skip: pop.querySelector('[data-tour-skip]'),
    back: pop.querySelector('[data-tour-back]'),
    next: pop.querySelector('[data-tour-next]'),
  };
  let index = -1;
  let target = null;
  let returnFocus = null;
  let frame = 0;

  const isOpen = () => index >= 0;

  function report() {
    onChange({ open: isOpen(), step: index, id: isOpen() ? STEPS[index].id : null });
  }

  function writeTexts() {
    const step = STEPS[index];
    parts.count.textContent = t('tour.count', { step: index + 1, steps: STEPS.length });
    parts.title.textContent = step.title();
    parts.body.textContent = step.body();
    parts.skip.textContent = t('tour.skip');
    parts.back.textContent = t('tour.back');
    parts.next.textContent = index === STEPS.length - 1 ? t('tour.done') : t('tour.next');
    parts.back.disabled = index === 0;
  }

  function markTarget(el) {
    target?.classList.remove('tour-target');
    target = el;
    target?.classList.add('tour-target');
  }

  /** Puts the popover beside its target: right, left, below or above, whichever fits first;
   * kept inside the window (on a phone it lands below or above). */
  function place() {
    frame = 0;
    if (!isOpen()) return;
    const vw = document.documentElement.clientWidth;
    const vh = window.innerHeight;
    const p = pop.getBoundingClientRect();
    const clampX = (x) => Math.max(EDGE, Math.min(x, vw - p.width - EDGE));
    const clampY = (y) => Math.max(EDGE, Math.min(y, vh - p.height - EDGE));
    let left;
    let top;
    if (!target) {
      left = (vw - p.width) / 2;
      top = (vh - p.height) / 2;
    } else {
      const r = target.getBoundingClientRect();
      if (r.right + GAP + p.width <= vw - EDGE) {
        left = r.right + GAP;
        top = clampY(r.top);
      } else if (r.left - GAP - p.width >= EDGE) {
        left = r.left - GAP - p.width;
        top = clampY(r.top);
      } else if (r.bottom + GAP + p.height <= vh - EDGE) {
        left = clampX(r.left);
        top = r.bottom + GAP;
      } else if (r.top - GAP - p.height >= EDGE) {
        left = clampX(r.left);
        top = r.top - GAP - p.height;
      } else {
        // A tall target on a small screen: the popover sits at the bottom of the window.
        left = clampX(r.left);
        top = vh - p.height - EDGE;
      }
    }
    pop.style.left = `${Math.round(clampX(left))}px`;
    pop.style.top = `${Math.round(clampY(top))}px`;
  }

  function placeSoon() {
    if (!frame) frame = requestAnimationFrame(place);
  }

  function show(i) {
    index = Math.max(0, Math.min(i, STEPS.length - 1));
    const el = STEPS[index].target();
    markTarget(el && el.getClientRects().length ? el : null);
    writeTexts();
    pop.hidden = false;
    if (target && !inView(target)) target.scrollIntoView({ block: 'center', inline: 'nearest' });
    place();
    parts.next.focus({ preventScroll: true });
    report();
  }

  function start() {
    if (!isOpen()) {
      const active = document.activeElement;
      returnFocus = active && active !== document.body ? active : null;
    }
    show(0);
  }

  /** Ends the tour (Skip, Esc or Done): remembered, and focus goes back. */
  function end() {
    if (!isOpen()) return;
    index = -1;
    markTarget(null);
    pop.hidden = true;
    rememberSeen();
    const back = returnFocus && returnFocus.isConnected ? returnFocus : button;
    returnFocus = null;
    back?.focus({ preventScroll: true });
    report();
  }

  function onKey(event) {
    if (isOpen() && event.key === 'Escape') {
      event.preventDefault();
      end();
    }
  }

  parts.skip.addEventListener('click', end);
  parts.back.addEventListener('click', () => show(index - 1));
  parts.next.addEventListener('click', () => (index === STEPS.length - 1 ? end() : show(index + 1)));
  document.addEventListener('keydown', onKey);
  // The results and the controls scroll inside their own panes: follow any scroll.
  window.addEventListener('scroll', placeSoon, { capture: true, passive: true });
  window.addEventListener('resize', placeSoon);
  button?.addEventListener('click', start);
  onLanguageChange(() => {
    if (isOpen()) {
      writeTexts();
      place();
    }
  });

  return {
    start,
    end,
    get open() {
      return isOpen();
    },
    /** Opens the tour if this is a first visit (see the top of this file). */
    startIfFirstVisit(search = OPENED_WITH) {
      if (tourWanted(search)) start();
    },
    steps: STEPS.length,
  };
}
