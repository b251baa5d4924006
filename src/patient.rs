//! Patients: the residents of the region, their trust, and how they choose a provider.
//!
//! Each resident is one 32-byte [`Resident`] record holding everything a contact with the
//! health system reads or writes (home, trust, candidate facilities, income, contract), so
//! a contact touches one cache line: at a million residents the records (32 MB) no longer
//! fit in cache and a contact with a resident drawn at random is a miss to main memory.
//! Residents are sorted by the primary centre nearest to their home, so that a catchment
//! is a contiguous id range: word of mouth picks a neighbour from that range without any
//! neighbour list.

use crate::params::{Kind, Params};
#[cfg(test)]
use crate::region::nearest;
use crate::region::{Layout, distance};
use crate::rng::{SimRng, Stream};
use crate::tier::Tier;

/// At most this many records of residents, and as many of neighbours, per [`Residents::touch`].
pub const TOUCH_MAX: usize = 16;

/// Marker for "no usual facility".
pub const NO_FACILITY: u16 = u16::MAX;

const URBAN: u8 = 1;
const CHRONIC: u8 = 2;
const INCOME_SHIFT: u8 = 2;
/// Bit 7 of the flags: the resident knows the tiered-care policy.
const INFORMED: u8 = 1 << 7;
/// Bits 4-6 of the flags: which candidate slot (0-3) is a chronic patient's usual facility,
/// or [`NO_USUAL`]. A usual facility is always one the patient chose among their candidates
/// (or their home centre), so three bits hold it.
const USUAL_SHIFT: u8 = 4;
const USUAL_MASK: u8 = 7 << USUAL_SHIFT;
const NO_USUAL: u8 = 7;

/// One resident's state.
#[derive(Debug, Clone, Copy, PartialEq)]
#[repr(C, align(32))]
pub struct Resident {
    /// Home position in km.
    pub pos: (f32, f32),
    /// Trust in primary, secondary and tertiary care, 0..1.
    pub trust: [f32; 3],
    /// Candidate facilities: nearest primary (home centre), nearest secondary, the two
    /// nearest tertiary hospitals (the second equals the first when there is one).
    pub candidates: [u16; 4],
    /// Rank for family-doctor contracting: contracted when rank < coverage * 65536, so a
    /// change of coverage needs no sweep over residents.
    pub contract_rank: u16,
    /// Bit flags: urban, chronic, the income class in bits 2-3, the usual slot in bits 4-6,
    /// informed of the policy in bit 7.
    flags: u8,
}

impl Resident {
    /// Whether the resident lives in the urban core.
    #[inline]
    pub fn is_urban(&self) -> bool {
        self.flags & URBAN != 0
    }

    /// Whether the resident is a chronic patient.
    #[inline]
    pub fn is_chronic(&self) -> bool {
        self.flags & CHRONIC != 0
    }

    /// Whether the resident knows the tiered-care policy: that lower tiers are reimbursed
    /// more and what a referral is for (see `Offer`).
    #[inline]
    pub fn is_informed(&self) -> bool {
        self.flags & INFORMED != 0
    }

    /// Income class (0 low, 1 middle, 2 high).
    #[inline]
    pub fn income_class(&self) -> usize {
        usize::from(self.flags >> INCOME_SHIFT & 3)
    }

    /// Whether the resident has a family-doctor contract at this coverage.
    #[inline]
    pub fn has_family_doctor(&self, coverage: f64) -> bool {
        f64::from(self.contract_rank) < coverage * 65_536.0
    }

    /// The home primary centre.
    #[inline]
    pub fn home(&self) -> u16 {
        self.candidates[0]
    }

    /// A chronic patient's usual facility, or [`NO_FACILITY`].
    #[inline]
    pub fn usual(&self) -> u16 {
        let slot = (self.flags & USUAL_MASK) >> USUAL_SHIFT;
        if slot == NO_USUAL { NO_FACILITY } else { self.candidates[usize::from(slot)] }
    }
}

/// Every resident's state, indexed by resident id.
#[derive(Debug, Clone)]
pub struct Residents {
    /// The residents, in id order.
    people: Vec<Resident>,
    /// Ids of chronic residents.
    pub chronic_ids: Vec<u32>,
    /// First resident id of each primary centre's catchment (indexed by facility id;
    /// meaningful for primary centres only), plus a final end marker.
    pub catchment_start: Vec<u32>,
    /// Running sums of trust by tier, which every trust update adjusts by its change (there
    /// is no pass over all residents to re-add them). At a million residents these `f64`
    /// sums are exact while every trust is a multiple of 2^-33, as every `f32` trust of
    /// 2^-10 or more is (in the tested runs every sum stayed exact); otherwise an update
    /// rounds the sum by at most half a unit in its last place, so a year of a million
    /// residents (12 million updates) moves a mean trust by 1.4e-9 at the very worst.
    trust_sum: [f64; 3],
}

impl Residents {
    /// Creates residents at the layout's positions, sorted by home centre. The positions are
    /// taken out of the layout (it keeps its facilities): freed once placed, they do not add
    /// to the peak memory of building the residents.
    pub fn new(layout: &mut Layout, seed: u64, params: &Params) -> Residents {
        let n = layout.residents.len();
        let n_fac = layout.facilities.len();
        let mut rng = SimRng::new(seed, Stream::Residents);
        // One nearest primary centre and secondary hospital, two nearest tertiary hospitals.
        let primary = nearest_index(layout, 0, 1);
        let secondary = nearest_index(layout, 1, 1);
        let tertiary = nearest_index(layout, 2, 2);
        // Sort by (home centre, placement index): a counting sort by home, scattering each
        // resident's position in placement order to the next free place of their catchment.
        // The scatter writes one sequential stream per centre (a gather through a sorted index
        // would miss on nearly every resident), and it writes 9 bytes a resident, not the
        // 32-byte record: at a million residents most of its writes miss the cache.
        let homes: Vec<u16> = layout.residents.iter().map(|r| primary.nearest_one((r.0, r.1))).collect();
        let mut catchment_start = vec![0u32; n_fac + 1];
        for &h in &homes {
            catchment_start[usize::from(h) + 1] += 1;
        }
        for f in 0..n_fac {
            catchment_start[f + 1] += catchment_start[f];
        }
        // The positions (two f32 bits in one u64) and urban flags, scattered to sorted places.
        // `vec!` of zeros takes pages the kernel has zeroed, so nothing is written twice.
        let mut sorted_pos = vec![0u64; n];
        let mut sorted_urban = vec![false; n];
        let mut next = catchment_start.clone();
        for (&(x, y, urban), &h) in layout.residents.iter().zip(&homes) {
            let slot = &mut next[usize::from(h)];
            sorted_pos[*slot as usize] = u64::from(x.to_bits()) << 32 | u64::from(y.to_bits());
            sorted_urban[*slot as usize] = urban;
            *slot += 1;
        }
        drop((next, homes));
        layout.residents = Vec::new();
        // Then every resident, in id order (the order of the random draws), written once and
        // in sequence. Advised before the first write: the kernel backs a page by 2 MB only
        // when it is first touched (pages touched before wait for a background scan).
        let mut people = Vec::with_capacity(n);
        advise_huge_pages(people.spare_capacity_mut());
        let mut chronic_ids = Vec::new();
        let mut trust_sum = [0.0; 3];
        for home in 0..n_fac {
            for id in catchment_start[home]..catchment_start[home + 1] {
                let bits = sorted_pos[id as usize];
                let pos = (f32::from_bits((bits >> 32) as u32), f32::from_bits(bits as u32));
                let urban = sorted_urban[id as usize];
                let s = secondary.nearest_one(pos);
                let t = tertiary.nearest(pos);
                let income = income_class(&mut rng, urban, params);
                let chronic = rng.chance(params.chronic_prevalence);
                if chronic {
                    chronic_ids.push(id);
                }
                let contract_rank = (rng.uniform() * 65_536.0) as u16;
                let mut trust = [0.0f32; 3];
                for tier in 0..3 {
                    let gap = if urban && tier == 0 { params.urban_trust_gap } else { 0.0 };
                    let v = params.trust_initial[tier] - gap + 0.12 * (rng.uniform() - 0.5);
                    trust[tier] = v.clamp(0.0, 1.0) as f32;
                    trust_sum[tier] += f64::from(trust[tier]);
                }
                let informed = rng.chance(params.informed_initial);
                let flags = (u8::from(urban) * URBAN)
                    | (u8::from(chronic) * CHRONIC)
                    | (income << INCOME_SHIFT)
                    | (NO_USUAL << USUAL_SHIFT)
                    | (u8::from(informed) * INFORMED);
                people.push(Resident { pos, trust, candidates: [home as u16, s, t[0], t[1]], contract_rank, flags });
            }
        }
        Residents { people, chronic_ids, catchment_start, trust_sum }
    }

    /// Number of residents.
    pub fn len(&self) -> usize {
        self.people.len()
    }

    /// True when there are no residents.
    pub fn is_empty(&self) -> bool {
        self.people.is_empty()
    }

    /// Resident `i`.
    #[inline]
    pub fn get(&self, i: u32) -> &Resident {
        &self.people[i as usize]
    }

    /// Home position of resident `i` in km.
    #[inline]
    pub fn pos(&self, i: u32) -> (f32, f32) {
        self.people[i as usize].pos
    }

    /// Trust of resident `i` in primary, secondary and tertiary care.
    #[inline]
    pub fn trust(&self, i: u32) -> [f32; 3] {
        self.people[i as usize].trust
    }

    /// Sets resident `i`'s trust directly (for tests and scenarios).
    pub fn set_trust(&mut self, i: u32, trust: [f32; 3]) {
        let old = std::mem::replace(&mut self.people[i as usize].trust, trust);
        for k in 0..3 {
            self.trust_sum[k] += f64::from(trust[k]) - f64::from(old[k]);
        }
    }

    /// Candidate facilities of resident `i` (see [`Resident::candidates`]).
    #[inline]
    pub fn candidates(&self, i: u32) -> [u16; 4] {
        self.people[i as usize].candidates
    }

    /// Home primary centre of resident `i`.
    #[inline]
    pub fn home(&self, i: u32) -> usize {
        usize::from(self.people[i as usize].candidates[0])
    }

    /// The usual facility of resident `i`, or [`NO_FACILITY`].
    #[inline]
    pub fn usual(&self, i: u32) -> u16 {
        self.people[i as usize].usual()
    }

    /// Makes facility `f` resident `i`'s usual facility; `f` must be one of their
    /// candidates (every facility a patient can reach is).
    pub fn set_usual(&mut self, i: u32, f: u16) {
        let person = &mut self.people[i as usize];
        let slot = person.candidates.iter().position(|&c| c == f).expect("a usual facility is a candidate");
        person.flags = (person.flags & !USUAL_MASK) | ((slot as u8) << USUAL_SHIFT);
    }

    /// Whether resident `i` lives in the urban core.
    pub fn is_urban(&self, i: u32) -> bool {
        self.people[i as usize].is_urban()
    }

    /// Whether resident `i` is a chronic patient.
    pub fn is_chronic(&self, i: u32) -> bool {
        self.people[i as usize].is_chronic()
    }

    /// Whether resident `i` knows the tiered-care policy.
    #[inline]
    pub fn is_informed(&self, i: u32) -> bool {
        self.people[i as usize].is_informed()
    }

    /// Informs resident `i` of the policy, or (`false`) lets them forget it.
    pub fn set_informed(&mut self, i: u32, informed: bool) {
        let flags = &mut self.people[i as usize].flags;
        *flags = if informed { *flags | INFORMED } else { *flags & !INFORMED };
    }

    /// Share of residents who know the policy (a pass over every resident).
    pub fn informed_share(&self) -> f64 {
        self.people.iter().filter(|p| p.is_informed()).count() as f64 / self.len().max(1) as f64
    }

    /// Income class of resident `i` (0 low, 1 middle, 2 high).
    pub fn income_class(&self, i: u32) -> usize {
        self.people[i as usize].income_class()
    }

    /// Whether resident `i` has a family-doctor contract at this coverage.
    #[inline]
    pub fn has_family_doctor(&self, i: u32, coverage: f64) -> bool {
        self.people[i as usize].has_family_doctor(coverage)
    }

    /// Moves resident `i`'s trust in `tier` toward `target` by `weight`.
    #[inline]
    pub fn learn(&mut self, i: u32, tier: Tier, target: f64, weight: f64) {
        let t = &mut self.people[i as usize].trust[tier];
        let old = f64::from(*t);
        let new = (old + weight * (target - old)).clamp(0.0, 1.0) as f32;
        self.trust_sum[tier] += f64::from(new) - old;
        *t = new;
    }

    /// Mean trust in a tier.
    pub fn mean_trust(&self, tier: Tier) -> f64 {
        self.trust_sum[tier] / self.len() as f64
    }

    /// The neighbour [`Residents::neighbour`] would pick for resident `i` from the raw
    /// random word `word`.
    #[inline]
    fn neighbour_from(&self, i: u32, word: u64) -> u32 {
        let home = self.home(i);
        let (a, b) = (self.catchment_start[home], self.catchment_start[home + 1]);
        a + SimRng::below_from(word, (b - a).max(1))
    }

    /// A random neighbour of `i`: a resident of the same primary catchment.
    #[inline]
    pub fn neighbour(&self, i: u32, rng: &mut SimRng) -> u32 {
        let word = rng.next_word();
        self.neighbour_from(i, word)
    }

    /// Asks the processor to start loading resident `i`'s record, so that a later access
    /// does not wait for main memory (a hint only; no effect on results, and none in
    /// WebAssembly, which has no prefetch instruction).
    #[inline]
    pub fn prefetch(&self, i: u32) {
        if let Some(person) = self.people.get(i as usize) {
            prefetch(person);
        }
    }

    /// Prefetches the neighbour that [`Residents::neighbour`] will pick for resident `i`
    /// if its next draw from `rng` is the `skip + 1`-th word from now.
    #[inline]
    pub fn prefetch_neighbour(&self, i: u32, rng: &SimRng, skip: usize) {
        if let Some(word) = rng.peek_word(skip) {
            self.prefetch(self.neighbour_from(i, word));
        }
    }

    /// Loads, in one go, the records of residents `later` and of the neighbours that
    /// residents `next` will tell about their outcomes, if each of them draws two words from
    /// `rng` in turn (a satisfaction draw, then the neighbour), as most contacts do: a guess,
    /// so only a matter of speed. At most [`TOUCH_MAX`] of each.
    ///
    /// For where there is no prefetch instruction (WebAssembly): loads issued together wait
    /// for memory together, instead of one contact at a time. The ids are worked out first and
    /// the loads then follow in a short loop, so that all of them are in flight within the
    /// processor's window of instructions at once.
    pub fn touch(&self, later: &[(u32, Kind)], next: &[(u32, Kind)], rng: &SimRng) {
        let mut ids = [0u32; 2 * TOUCH_MAX];
        let mut n = 0;
        for &(i, _) in later.iter().take(TOUCH_MAX) {
            ids[n] = i;
            n += 1;
        }
        for (k, &(i, _)) in next.iter().take(TOUCH_MAX).enumerate() {
            if let Some(word) = rng.peek_word(2 * k + 1) {
                ids[n] = self.neighbour_from(i, word);
                n += 1;
            }
        }
        let mut sink = 0u8;
        for &i in &ids[..n] {
            if let Some(person) = self.people.get(i as usize) {
                sink ^= person.flags;
            }
        }
        std::hint::black_box(sink);
    }

    /// The trust sums added up afresh from every resident (what the running sums must
    /// equal; for tests).
    #[cfg(test)]
    fn trust_sum_from_scratch(&self) -> [f64; 3] {
        let mut s = [0.0; 3];
        for person in &self.people {
            for k in 0..3 {
                s[k] += f64::from(person.trust[k]);
            }
        }
        s
    }
}

/// Whether [`Residents::prefetch`] issues a prefetch instruction: on x86_64, unless the
/// `wasm-loads` feature asks a native build to read ahead as WebAssembly must.
pub const PREFETCHES: bool = cfg!(all(target_arch = "x86_64", not(feature = "wasm-loads")));

#[cfg(all(target_arch = "x86_64", not(feature = "wasm-loads")))]
#[inline(always)]
fn prefetch<T>(value: &T) {
    use std::arch::x86_64::{_MM_HINT_T0, _mm_prefetch};
    // SAFETY: SSE is part of the x86_64 baseline, so the instruction exists on every x86_64
    // CPU; a prefetch is a hint that never faults and reads nothing the program sees.
    unsafe { _mm_prefetch::<_MM_HINT_T0>(std::ptr::from_ref(value).cast::<i8>()) };
}

#[cfg(not(all(target_arch = "x86_64", not(feature = "wasm-loads"))))]
#[inline(always)]
fn prefetch<T>(_value: &T) {}

/// Asks Linux to back the 2 MB-aligned part of a large array with 2 MB pages. Contacts read
/// residents at random across the whole array, and with 4 KB pages nearly every one of them
/// also misses the address-translation cache at a million residents; on this project's
/// machine the hint took about 5% off a 1,000,000-resident year (paired runs). A hint only:
/// the kernel may ignore it, and results do not depend on it.
#[cfg(target_os = "linux")]
fn advise_huge_pages<T>(values: &mut [T]) {
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
fn advise_huge_pages<T>(_values: &mut [T]) {}

fn income_class(rng: &mut SimRng, urban: bool, params: &Params) -> u8 {
    // Urban residents move one class up with probability 0.3 (urban incomes are higher).
    let u = rng.uniform();
    let base = if u < params.income_shares[0] {
        0
    } else if u < params.income_shares[0] + params.income_shares[1] {
        1
    } else {
        2
    };
    if urban && base < 2 && rng.chance(0.3) { base + 1 } else { base }
}

/// Nearest-facility lookup for one tier over a grid, so placing a million residents does
/// not scan every facility for each.
struct NearestIndex {
    /// How many nearest facilities the cells' lists are complete for (1 or 2).
    wanted: usize,
    inv_cell: f64,
    cols: usize,
    /// Where each grid cell's list starts in `entries` (row-major, plus an end marker).
    starts: Vec<u32>,
    /// For each grid cell, the facilities of the tier within reach of that cell, nearest
    /// to its centre first.
    entries: Vec<Entry>,
}

/// A facility in a grid cell's list.
#[derive(Debug, Clone, Copy)]
struct Entry {
    /// Its distance from the cell's centre less `half` (km): less, by `GRID_SLACK_KM` at
    /// least, than its distance from any point of the cell.
    bound: f64,
    pos: (f32, f32),
    id: u16,
}

/// Distance (km) added to every bound of the grid so that rounding (of a cell's centre to
/// `f32`, of a point's cell) can never put a point outside what its cell accounts for.
const GRID_SLACK_KM: f64 = 1e-3;

/// Cells per side of the blocks that narrow each cell's search (see [`nearest_index`]).
const BLOCK: usize = 8;

/// The grid of `tier`'s facilities, complete for the `wanted` (1 or 2) nearest of any point.
fn nearest_index(layout: &Layout, tier: u8, wanted: usize) -> NearestIndex {
    debug_assert!(wanted == 1 || wanted == 2);
    let of_tier: Vec<(u16, (f32, f32))> = layout
        .facilities
        .iter()
        .enumerate()
        .filter(|(_, f)| f.2 == tier)
        .map(|(i, f)| (i as u16, (f.0, f.1)))
        .collect();
    // About one facility per few cells where they are densest (hospitals cluster in the
    // core), and a bounded build cost: cells times facilities.
    let cols = ((16.0 * (of_tier.len() as f64).sqrt()) as usize).clamp(32, 256);
    let cell = layout.side / cols as f64;
    // Every point of a cell lies within `half` of its centre.
    let half = cell * std::f64::consts::SQRT_2 / 2.0 + GRID_SLACK_KM;
    // The distance within which the `wanted` nearest facilities to the centre of a square
    // lie (`dist` is by facility, in the order of `of`).
    let far = |of: &[(u16, (f32, f32))], dist: &[f64]| {
        let near = two_nearest(of.iter().zip(dist).map(|(&(id, _), &d)| (id, d)));
        near[..wanted].iter().map(|&(d, _)| d).filter(|d| d.is_finite()).fold(0.0, f64::max)
    };
    // The centre of square (`col`, `row`) of a grid of squares of side `size`, and the
    // distances from a point to facilities `of`, into `dist`.
    let centre =
        |col: usize, row: usize, size: f64| (((col as f64 + 0.5) * size) as f32, ((row as f64 + 0.5) * size) as f32);
    let measure = |from: (f32, f32), of: &[(u16, (f32, f32))], dist: &mut Vec<f64>| {
        dist.clear();
        dist.extend(of.iter().map(|&(_, pos)| distance(from, pos)));
    };
    // First, for each block of BLOCK x BLOCK cells, the facilities that any of its cells
    // can list, so that a cell measures its distance to those only, not to every facility
    // of the tier (at a million residents the cells number 23,000 and the primary centres
    // 91). A cell's centre lies within `block_half` of its block's centre, so the `wanted`
    // nearest to it lie within `far + block_half` of it, and what it lists (below) within
    // `far + block_half + 2 half` of it: within `far + 2 block_half + 2 half` of the block's
    // centre. The cells' lists are the same as from all facilities.
    let blocks = cols.div_ceil(BLOCK);
    let block = cell * BLOCK as f64;
    let block_half = block * std::f64::consts::SQRT_2 / 2.0 + GRID_SLACK_KM;
    let mut dist = Vec::with_capacity(of_tier.len());
    let mut in_block = Vec::with_capacity(blocks * blocks);
    for br in 0..blocks {
        for bc in 0..blocks {
            measure(centre(bc, br, block), &of_tier, &mut dist);
            let reach = far(&of_tier, &dist) + 2.0 * block_half + 2.0 * half;
            let listed: Vec<(u16, (f32, f32))> =
                of_tier.iter().zip(&dist).filter(|&(_, &d)| d <= reach).map(|(&e, _)| e).collect();
            in_block.push(listed);
        }
    }
    let mut starts = Vec::with_capacity(cols * cols + 1);
    let mut entries = Vec::new();
    for r in 0..cols {
        for c in 0..cols {
            starts.push(entries.len() as u32);
            let candidates = &in_block[(r / BLOCK) * blocks + c / BLOCK];
            measure(centre(c, r, cell), candidates, &mut dist);
            // The `wanted` nearest facilities to the centre bound the search: the `wanted`
            // nearest to a point of the cell lie within their distance plus `half` of the
            // point, so within that plus `2 half` of the centre. (Lists for one facility are
            // shorter, and most lookups want one.)
            let reach = far(candidates, &dist) + 2.0 * half;
            let first = entries.len();
            entries.extend(candidates.iter().zip(&dist).filter(|&(_, &d)| d <= reach).map(|(&(id, pos), &d)| Entry {
                bound: d - half,
                pos,
                id,
            }));
            // Nearest to the centre first, so that a search can stop at the first facility
            // that cannot be nearer than what it has found.
            entries[first..].sort_unstable_by(|a, b| a.bound.total_cmp(&b.bound).then(a.id.cmp(&b.id)));
        }
    }
    starts.push(entries.len() as u32);
    NearestIndex { wanted, inv_cell: 1.0 / cell, cols, starts, entries }
}

/// Whether facility `id` at distance `d` comes before `than`: nearer, or as near with a
/// smaller id (the order of every nearest-facility search).
#[inline]
fn precedes(d: f64, id: u16, than: (f64, u16)) -> bool {
    d < than.0 || (d == than.0 && id < than.1)
}

/// The two smallest `(distance, id)` pairs in [`precedes`] order; missing entries are
/// `(infinity, u16::MAX)`.
#[inline]
fn two_nearest(items: impl Iterator<Item = (u16, f64)>) -> [(f64, u16); 2] {
    let mut best = [(f64::INFINITY, u16::MAX); 2];
    for (id, d) in items {
        keep_two_nearest(&mut best, id, d);
    }
    best
}

/// Puts facility `id` at distance `d` into `best`, the two smallest pairs so far in
/// [`precedes`] order, if it belongs there. The two smallest of a set come out the same
/// whatever order the set is seen in: ids are distinct, so the order is total.
#[inline]
fn keep_two_nearest(best: &mut [(f64, u16); 2], id: u16, d: f64) {
    if precedes(d, id, best[0]) {
        best[1] = best[0];
        best[0] = (d, id);
    } else if precedes(d, id, best[1]) {
        best[1] = (d, id);
    }
}

impl NearestIndex {
    /// The facilities of the cell holding `p` (clamped to the grid). A point on a cell's
    /// edge may land in either cell: both account for it, with `GRID_SLACK_KM` to spare.
    fn cell(&self, p: (f32, f32)) -> &[Entry] {
        let cell_of = |x: f32| ((f64::from(x) * self.inv_cell) as i64).clamp(0, self.cols as i64 - 1) as usize;
        let k = cell_of(p.1) * self.cols + cell_of(p.0);
        &self.entries[self.starts[k] as usize..self.starts[k + 1] as usize]
    }

    /// The two nearest facility ids to `p` (the same id twice when only one exists).
    fn nearest(&self, p: (f32, f32)) -> [u16; 2] {
        debug_assert_eq!(self.wanted, 2, "built for the nearest facility only");
        let mut best = [(f64::INFINITY, u16::MAX); 2];
        for e in self.cell(p) {
            // This facility, and every one after it, is farther from `p` than the two found.
            if e.bound > best[1].0 {
                break;
            }
            keep_two_nearest(&mut best, e.id, distance(p, e.pos));
        }
        if best[1].1 == u16::MAX { [best[0].1, best[0].1] } else { [best[0].1, best[1].1] }
    }

    /// The nearest facility id to `p` (in [`precedes`] order).
    fn nearest_one(&self, p: (f32, f32)) -> u16 {
        let cell = self.cell(p);
        // The only facility within reach of a cell is the nearest to every point of it.
        if let [only] = cell {
            return only.id;
        }
        let mut best = (f64::INFINITY, u16::MAX);
        for e in cell {
            // This facility, and every one after it, is farther from `p` than the one found.
            if e.bound > best.0 {
                break;
            }
            let d = distance(p, e.pos);
            if precedes(d, e.id, best) {
                best = (d, e.id);
            }
        }
        best.1
    }
}

/// What a patient weighs about one candidate facility, computed once a day per facility
/// (patients sense yesterday's queues, not today's).
///
/// A resident who does not know the tiered-care policy (`is_informed` false) does not know
/// that lower tiers are reimbursed more: they expect every tier to be reimbursed at the
/// mean of the three rates. Gatekeeping rules are known to all (hospitals enforce them at
/// registration), and a referred patient learns the rates from the referring doctor.
#[derive(Debug, Clone, Copy, Default)]
pub struct Offer {
    /// Utility common to every resident of an income class, by [uninformed, informed], kind
    /// and income class: constant, expected out-of-pocket cost and waiting.
    pub base: [[[f64; 3]; 4]; 2],
    /// The same for a patient who holds a referral (reimbursement of a referral, green channel).
    pub referred: [[f64; 3]; 4],
    /// Expected out-of-pocket cost of an episode here (yuan), as perceived, by [uninformed,
    /// informed] and kind: what the decision to seek care weighs.
    pub oop: [[f64; 4]; 2],
}

/// The resident-specific part of the utility of facility `f` of `tier`.
#[inline]
#[allow(clippy::too_many_arguments)]
pub fn personal_utility(
    params: &Params,
    kind: Kind,
    tier: Tier,
    trust: f64,
    km: f64,
    is_home_with_doctor: bool,
    is_usual: bool,
) -> f64 {
    let k = kind as usize;
    let mut u = params.beta_quality[k] * trust - params.beta_distance[k] * km;
    if is_home_with_doctor && tier == Tier::Primary {
        u += params.beta_family_doctor;
    }
    if is_usual {
        u += params.beta_continuity;
    }
    u
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::region::lay_out;

    fn residents(n: u32) -> (Layout, Residents) {
        let p = Params::default();
        let mut l = lay_out(n, 0.6, 4, &p);
        let r = Residents::new(&mut l, 4, &p);
        (l, r)
    }

    #[test]
    fn candidates_are_of_the_right_tier_and_nearest() {
        let (l, r) = residents(20_000);
        for i in (0..r.len()).step_by(97) {
            let c = r.candidates(i as u32);
            assert_eq!(l.facilities[c[0] as usize].2, 0);
            assert_eq!(l.facilities[c[1] as usize].2, 1);
            assert_eq!(l.facilities[c[2] as usize].2, 2);
            assert_eq!(c[0], nearest(&l, r.pos(i as u32), 0, 1)[0], "resident {i}");
        }
    }

    #[test]
    fn grid_lookup_finds_the_nearest_and_the_two_nearest_of_each_tier() {
        let p = Params::default();
        let l = lay_out(300_000, 0.6, 6, &p);
        let index = [0u8, 1, 2].map(|t| nearest_index(&l, t, 2));
        let single = [0u8, 1, 2].map(|t| nearest_index(&l, t, 1));
        let side = l.side as f32;
        let corners = [(0.0, 0.0), (side, side), (0.0, side), (side / 2.0, side / 2.0)];
        // Points on the grids' cell edges and corners, where a point may fall in either cell.
        let edges: Vec<(f32, f32)> = index
            .iter()
            .flat_map(|idx| {
                let cell = 1.0 / idx.inv_cell;
                (0..=idx.cols).step_by(7).flat_map(move |k| {
                    (0..=idx.cols).step_by(5).map(move |j| ((k as f64 * cell) as f32, (j as f64 * cell) as f32))
                })
            })
            .collect();
        let points = l.residents.iter().step_by(37).map(|&(x, y, _)| (x, y)).chain(corners).chain(edges);
        for (i, point) in points.enumerate() {
            for (t, idx) in index.iter().enumerate() {
                let brute = nearest(&l, point, t as u8, 2);
                let expect = [brute[0], *brute.last().unwrap()];
                assert_eq!(idx.nearest(point), expect, "point {i} {point:?} tier {t}");
                assert_eq!(single[t].nearest_one(point), brute[0], "point {i} {point:?} tier {t}, one");
            }
        }
    }

    #[test]
    fn residents_are_one_cache_friendly_record_each() {
        assert_eq!(std::mem::size_of::<Resident>(), 32);
        assert_eq!(std::mem::align_of::<Resident>(), 32);
    }

    #[test]
    fn usual_facility_round_trips_through_the_flags() {
        let (_, mut r) = residents(2_000);
        let c = r.candidates(7);
        assert_eq!(r.usual(7), NO_FACILITY);
        for &f in &c {
            r.set_usual(7, f);
            assert_eq!(r.usual(7), f);
        }
        let before = (r.income_class(7), r.is_chronic(7), r.is_urban(7));
        r.set_usual(7, c[0]);
        assert_eq!((r.income_class(7), r.is_chronic(7), r.is_urban(7)), before);
    }

    #[test]
    fn catchments_are_contiguous_and_cover_everyone() {
        let (l, r) = residents(10_000);
        let n = l.facilities.len();
        assert_eq!(r.catchment_start[n] as usize, r.len());
        for i in 0..r.len() {
            let home = r.home(i as u32);
            assert!(r.catchment_start[home] as usize <= i && i < r.catchment_start[home + 1] as usize);
        }
    }

    #[test]
    fn trust_sum_tracks_updates() {
        let (_, mut r) = residents(2_000);
        assert_eq!(r.trust_sum, r.trust_sum_from_scratch());
        let mut rng = SimRng::new(3, Stream::Trust);
        for _ in 0..20_000 {
            let i = rng.below(2_000);
            let tier = rng.below(3) as usize;
            r.learn(i, Tier::from_index(tier), f64::from(rng.below(2)), 0.01 + 0.5 * rng.uniform());
        }
        // Trust values of 2^-10 and more keep the running sums exact.
        assert_eq!(r.trust_sum, r.trust_sum_from_scratch());
        r.set_trust(7, [0.0, 1.0, 0.123_456_7]);
        r.set_trust(8, [1e-30, 0.5, 0.999_999_9]);
        for k in 0..3 {
            assert!((r.trust_sum[k] - r.trust_sum_from_scratch()[k]).abs() < 1e-12);
        }
        for k in 0..3 {
            let mean = (0..2_000u32).map(|i| f64::from(r.trust(i)[k])).sum::<f64>() / 2_000.0;
            assert!(
                (r.mean_trust(Tier::from_index(k)) - mean).abs() < 1e-9,
                "tier {k}: {} vs {mean}",
                r.mean_trust(Tier::from_index(k))
            );
        }
    }

    #[test]
    fn family_doctor_coverage_is_monotone() {
        let (_, r) = residents(5_000);
        let count = |c| (0..5_000u32).filter(|&i| r.has_family_doctor(i, c)).count();
        assert_eq!(count(0.0), 0);
        assert!(count(0.3) < count(0.6));
        assert_eq!(count(1.0), 5_000);
        assert!((count(0.3) as f64 / 5_000.0 - 0.3).abs() < 0.03);
    }
}
