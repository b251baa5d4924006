// The history of lever changes, for Undo and Redo (buttons, Ctrl+Z and Ctrl+Shift+Z).
//
// An entry is one lever moved by the user: `{ key, from, to }`. One gesture is one entry: a
// slider dragged (or stepped with the keyboard) records from its first `input` to its
// `change`, so undo puts it back where the drag began, not one pixel back. A gesture that
// ends where it began leaves no entry. A new change after an undo drops what could be redone,
// as in any editor.
//
// What the history covers, and why:
// - Lever moves, before a run (they change the set-up), mid-run (they apply from the next
//   day) and after a run has finished (they apply when Again reruns it). Undo and redo apply
//   a value exactly as moving the control would, so they too apply from the next day mid-run.
// - Picking a preset, and Reset, start the history afresh. Each sets every lever at once and
//   builds a new region: they are a new starting point, not a step to step back from, and an
//   undo that silently rebuilt the region (and discarded the run on screen) would surprise.
// - Setup, Again, and the run settings (residents, years, seed, urban share) keep it: they do
//   not move a lever, so the lever moves before them can still be taken back.
// - A lever change that arrives from undo or redo is not recorded again (the history moves its
//   cursor instead).
//
// The module knows nothing of the page; main.js applies what `undo()` and `redo()` return.

/** Entries kept at most; the oldest go first. */
export const HISTORY_LIMIT = 200;

export function createLeverHistory(limit = HISTORY_LIMIT) {
  /** Entries that can be undone, oldest first. */
  const done = [];
  /** Entries that can be redone, the next to redo last. */
  const undone = [];
  /** The entry of the gesture in progress (the last of `done`), or null. */
  let open = null;

  /** Closes the gesture in progress, dropping it when it ended where it began. */
  function commit() {
    if (open && open.from === open.to) done.pop();
    open = null;
  }

  return {
    /** Records lever `key` moving from `from` to `to`, as part of the gesture in progress on
     * the same lever if there is one. */
    record(key, from, to) {
      if (open && open.key !== key) commit();
      if (open) {
        open.to = to;
      } else {
        if (from === to) return;
        open = { key, from, to };
        done.push(open);
        if (done.length > limit) done.shift();
      }
      undone.length = 0;
    },

    /** The gesture in progress ended (a slider's `change`, or any one-shot control). */
    commit,

    /** Takes back the latest entry; returns it (apply `from`), or null when there is none. */
    undo() {
      commit();
      const entry = done.pop();
      if (!entry) return null;
      undone.push(entry);
      return entry;
    },

    /** Applies again the latest undone entry; returns it (apply `to`), or null. */
    redo() {
      commit();
      const entry = undone.pop();
      if (!entry) return null;
      done.push(entry);
      return entry;
    },

    /** Forgets everything (a preset picked, or Reset). */
    clear() {
      open = null;
      done.length = 0;
      undone.length = 0;
    },

    /** The entry Undo would take back (not a gesture back where it began), or null. */
    get nextUndo() {
      const skip = open && open.from === open.to ? 1 : 0;
      return done[done.length - 1 - skip] || null;
    },
    /** The entry Redo would apply, or null. */
    get nextRedo() {
      return undone[undone.length - 1] || null;
    },
    get canUndo() {
      return this.nextUndo !== null;
    },
    get canRedo() {
      return undone.length > 0;
    },
    /** Sizes, for `window.__explorer`: `{ undo, redo }`. */
    get sizes() {
      return { undo: done.length, redo: undone.length };
    },
  };
}
