//! Reading ahead: the daily loop's memory tricks, in one place.
//!
//! At a million residents the records (32 MB) no longer fit in the processor's cache, and a
//! contact with a resident drawn at random waits for main memory twice: for the resident and
//! for the neighbour their word of mouth reaches. Since the day's arrivals are drawn before
//! the first contact runs (`care.rs`), the loop knows who comes next and can start those
//! loads early:
//! - natively (x86_64), a prefetch instruction for the resident [`PREFETCH_AHEAD`] contacts
//!   ahead, and for the neighbour the current contact will probably tell;
//! - in WebAssembly, which has no prefetch instruction, every [`LOAD_BATCH`]-th contact loads
//!   a batch of records in one go, so their misses overlap instead of stalling one contact
//!   each. A native build does the same when compiled with `RUSTFLAGS='--cfg wasm_loads'`
//!   (a benchmark knob: it measures what the missing instruction costs);
//! - on Linux, 2 MB pages for the records ([`advise_huge_pages`]).
//!
//! The neighbour is a guess: it is the resident that the trust stream's word
//! [`NEIGHBOUR_DRAW`] draws from now would pick, which is
//! right when the contact ends in an outcome (`Simulation::outcome`, whose draw order that
//! constant names and a test checks). Nothing here draws a random number or writes state:
//! results are the same with every trick on or off.

use crate::care::{NEIGHBOUR_DRAW, OUTCOME_DRAWS};
use crate::params::Kind;
use crate::patient::Residents;
use crate::rng::{PEEK_WORDS, SimRng};
use crate::sim::Simulation;

/// How many contacts ahead a resident's record is prefetched (natively).
const PREFETCH_AHEAD: usize = 4;
/// How many residents' records are loaded together where there is no prefetch (wasm).
const LOAD_BATCH: usize = 8;
/// At most this many records of residents, and as many of neighbours, per [`Residents::touch`].
const TOUCH_MAX: usize = 16;
const _: () = assert!(LOAD_BATCH <= TOUCH_MAX);
// Every neighbour a batch guesses is within the words the stream can see ahead.
const _: () = assert!((LOAD_BATCH - 1) * OUTCOME_DRAWS + NEIGHBOUR_DRAW < PEEK_WORDS);

/// Whether [`Residents::prefetch`] issues a prefetch instruction: on x86_64, unless the
/// `wasm_loads` cfg asks a native build to read ahead as WebAssembly must.
pub const PREFETCHES: bool = cfg!(all(target_arch = "x86_64", not(wasm_loads)));

impl Simulation {
    /// Starts loading what the contacts after `due[j]` will read: the resident
    /// [`PREFETCH_AHEAD`] contacts ahead (natively), or, every [`LOAD_BATCH`]-th contact, the
    /// records of the batch after the next and of the neighbours the next batch will probably
    /// reach (WebAssembly).
    #[inline]
    pub(crate) fn load_ahead(&self, due: &[(u32, Kind)], j: usize) {
        if PREFETCHES {
            if let Some(&(ahead, _)) = due.get(j + PREFETCH_AHEAD) {
                self.residents.prefetch(ahead);
            }
        } else if j.is_multiple_of(LOAD_BATCH) {
            let later = due.get(j + LOAD_BATCH..(j + 2 * LOAD_BATCH).min(due.len())).unwrap_or(&[]);
            let next = &due[j..(j + LOAD_BATCH).min(due.len())];
            self.residents.touch(later, next, &self.rng.trust);
        }
    }

    /// Starts loading the record of the neighbour that resident `r`'s outcome will tell, if
    /// the contact that starts now ends in an outcome (natively; see [`Self::load_ahead`]).
    #[inline]
    pub(crate) fn load_neighbour(&self, r: u32) {
        self.residents.prefetch_neighbour(r, &self.rng.trust, NEIGHBOUR_DRAW);
    }
}

impl Residents {
    /// Asks the processor to start loading resident `i`'s record, so that a later access
    /// does not wait for main memory (a hint only; no effect on results, and none in
    /// WebAssembly, which has no prefetch instruction).
    #[inline]
    fn prefetch(&self, i: u32) {
        if let Some(person) = self.record(i) {
            prefetch(person);
        }
    }

    /// Prefetches the neighbour that [`Residents::neighbour`] will pick for resident `i`
    /// if its draw from `rng` is the word `skip` words from now.
    #[inline]
    fn prefetch_neighbour(&self, i: u32, rng: &SimRng, skip: usize) {
        if let Some(word) = rng.peek_word(skip) {
            self.prefetch(self.neighbour_from(i, word));
        }
    }

    /// Loads, in one go, the records of residents `later` and of the neighbours that
    /// residents `next` will tell about their outcomes, if each of them makes an outcome's
    /// [`OUTCOME_DRAWS`] draws from `rng` in turn, as most contacts do: a guess, so only a
    /// matter of speed. At most [`TOUCH_MAX`] of each.
    ///
    /// Loads issued together wait for memory together, instead of one contact at a time. The
    /// ids are worked out first and the loads then follow in a short loop, so that all of
    /// them are in flight within the processor's window of instructions at once.
    fn touch(&self, later: &[(u32, Kind)], next: &[(u32, Kind)], rng: &SimRng) {
        let mut ids = [0u32; 2 * TOUCH_MAX];
        let mut n = 0;
        for &(i, _) in later.iter().take(TOUCH_MAX) {
            ids[n] = i;
            n += 1;
        }
        for (k, &(i, _)) in next.iter().take(TOUCH_MAX).enumerate() {
            if let Some(word) = rng.peek_word(k * OUTCOME_DRAWS + NEIGHBOUR_DRAW) {
                ids[n] = self.neighbour_from(i, word);
                n += 1;
            }
        }
        let mut sink = 0u16;
        for &i in &ids[..n] {
            if let Some(person) = self.record(i) {
                sink ^= person.contract_rank;
            }
        }
        std::hint::black_box(sink);
    }
}

#[cfg(all(target_arch = "x86_64", not(wasm_loads)))]
#[inline(always)]
fn prefetch<T>(value: &T) {
    use std::arch::x86_64::{_MM_HINT_T0, _mm_prefetch};
    // SAFETY: SSE is part of the x86_64 baseline, so the instruction exists on every x86_64
    // CPU; a prefetch is a hint that never faults and reads nothing the program sees.
    unsafe { _mm_prefetch::<_MM_HINT_T0>(std::ptr::from_ref(value).cast::<i8>()) };
}

#[cfg(not(all(target_arch = "x86_64", not(wasm_loads))))]
#[inline(always)]
fn prefetch<T>(_value: &T) {}

/// Asks Linux to back the 2 MB-aligned part of a large array with 2 MB pages. Contacts read
/// residents at random across the whole array, and with 4 KB pages nearly every one of them
/// also misses the address-translation cache at a million residents; on this project's
/// machine the hint took about 5% off a 1,000,000-resident year (paired runs). A hint only:
/// the kernel may ignore it, and results do not depend on it.
#[cfg(target_os = "linux")]
pub(crate) fn advise_huge_pages<T>(values: &mut [T]) {
    const HUGE: usize = 2 << 20;
    let start = values.as_mut_ptr() as usize;
    let end = (start + std::mem::size_of_val(values)) & !(HUGE - 1);
    let aligned = (start + HUGE - 1) & !(HUGE - 1);
    if end > aligned {
        // SAFETY: [aligned, end) lies inside the slice's own allocation and is page-aligned;
        // MADV_HUGEPAGE changes how the kernel backs the pages, never their contents.
        unsafe { libc::madvise(aligned as *mut libc::c_void, end - aligned, libc::MADV_HUGEPAGE) };
    }
}

#[cfg(not(target_os = "linux"))]
pub(crate) fn advise_huge_pages<T>(_values: &mut [T]) {}
