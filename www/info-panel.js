// The Info panel (in NetLogo's spirit: what it is, how it works, how to use it, things to
// notice, things to try, extending the model) and the "Things to try" card beside the charts.
//
// The texts are in the HTML as `data-i18n*` keys of the `info` namespace, so a language
// switch refills them with the rest of the page. Each thing to try carries the scenario it
// talks about as a link's query (`data-try="preset=gatekeeping"`); its button loads that
// scenario and sets up the run, so pressing Go ▶ is the student's next move. The card's list
// is the one source: the Info panel shows a copy of it.

import { t, onLanguageChange } from './i18n.js';

/** A copy of the card's list in the Info panel's "Things to try" part. */
function copyListIntoInfo(card, infoPart) {
  const list = card.querySelector('[data-try-list]');
  if (!list || !infoPart) return;
  const copy = list.cloneNode(true);
  copy.removeAttribute('id');
  infoPart.append(copy);
  const note = card.querySelector('[data-try-note]')?.cloneNode(false);
  if (note) infoPart.append(note);
}

/**
 * Wires the Things-to-try buttons of the card and of the Info panel (each in a
 * `data-try-root` with its own note). `load(query)` applies the scenario and
 * resolves to whether the model accepted its set-up; `next` is the button to press then (Go).
 */
export function createThingsToTry({ card, infoPart, load, next }) {
  copyListIntoInfo(card, infoPart);
  const roots = [card, infoPart].filter(Boolean);

  /** The last outcome, to write again in a new language: `{ note, item, ok }`. */
  let last = null;
  /** A load in flight: further clicks wait for it (buttons stay enabled, so focus stays). */
  let busy = false;

  function writeNote() {
    if (!last) return;
    const name = last.item?.querySelector('b')?.textContent || '';
    last.note.textContent = last.ok ? t('info.try.loaded', { name }) : t('info.try.notLoaded');
  }

  async function onTry(button) {
    if (busy) return;
    busy = true;
    const note = button.closest('[data-try-root]')?.querySelector('[data-try-note]');
    try {
      const ok = await load(button.dataset.try);
      for (const n of document.querySelectorAll('[data-try-note]')) n.textContent = '';
      last = note ? { note, item: button.closest('li'), ok } : null;
      writeNote();
      if (ok && next) {
        next.scrollIntoView({ block: 'nearest' });
        next.focus({ preventScroll: true });
      }
    } finally {
      busy = false;
    }
  }

  onLanguageChange(writeNote);
  for (const root of roots) {
    root.addEventListener('click', (event) => {
      const button = event.target instanceof Element ? event.target.closest('[data-try]') : null;
      if (button) onTry(button);
    });
  }
}
