//! The synthetic region: where residents live and where facilities stand.
//!
//! An urban core (a disc at the centre) holds `urban_share` of residents; the rest are
//! spread over a square. Primary centres are placed at the homes of randomly drawn
//! residents, so they follow population density; secondary hospitals sit in the core and
//! in county towns; tertiary hospitals sit in the core. `NearestIndex` finds the nearest
//! facilities of a tier to a point without scanning them all.

use crate::num::{count, to_f32, trunc_u32, trunc_usize};
use crate::params::Params;
use crate::rng::{SimRng, Stream};

/// Facility counts and positions, by tier.
#[derive(Debug, Clone)]
pub struct Layout {
    /// Side of the square region in km.
    pub side: f64,
    /// Centre and radius of the urban core in km.
    pub core: (f64, f64, f64),
    /// Facility positions in km and tier (0 primary, 1 secondary, 2 tertiary), ordered by
    /// tier and then by placement order; the index is the facility id.
    pub facilities: Vec<(f32, f32, u8)>,
    /// Resident positions in km and urban flag, in placement order.
    pub residents: Vec<(f32, f32, bool)>,
}

/// Facilities of each tier for a population (at least two primary centres and one hospital
/// of each higher tier, so every tier exists).
pub fn facility_counts(population: u32, params: &Params) -> [u32; 3] {
    let n = f64::from(population);
    let count = |tier: usize, min: f64| trunc_u32(libm::round(n / params.residents_per_facility[tier]).max(min));
    [count(0, 2.0), count(1, 1.0), count(2, 1.0)]
}

/// Places residents and facilities for a seed.
pub fn lay_out(population: u32, urban_share: f64, seed: u64, params: &Params) -> Layout {
    let mut rng = SimRng::new(seed, Stream::Region);
    let side = params.side_km * (f64::from(population) / 100_000.0).sqrt();
    let (cx, cy, radius) = (side / 2.0, side / 2.0, side * params.urban_radius);
    let in_disc = |rng: &mut SimRng, r: f64| {
        // Uniform in a disc: radius by the square root of a uniform draw.
        let rho = r * rng.uniform().sqrt();
        let angle = std::f64::consts::TAU * rng.uniform();
        // One argument reduction for both: libm's sincos gives the same bits as cos and sin.
        let (sin, cos) = libm::sincos(angle);
        (cx + rho * cos, cy + rho * sin)
    };
    let mut residents = Vec::with_capacity(population as usize);
    for _ in 0..population {
        let urban = rng.chance(urban_share);
        let (x, y) = if urban { in_disc(&mut rng, radius) } else { (side * rng.uniform(), side * rng.uniform()) };
        residents.push((to_f32(x), to_f32(y), urban));
    }
    let counts = facility_counts(population, params);
    let mut facilities = Vec::with_capacity(counts.iter().sum::<u32>() as usize);
    for _ in 0..counts[0] {
        let (x, y, _) = residents[rng.below(population) as usize];
        facilities.push((x, y, 0));
    }
    let urban_secondary = trunc_u32(libm::round(f64::from(counts[1]) * urban_share).max(1.0));
    for k in 0..counts[1] {
        let (x, y) = if k < urban_secondary {
            in_disc(&mut rng, radius)
        } else {
            (side * (0.1 + 0.8 * rng.uniform()), side * (0.1 + 0.8 * rng.uniform()))
        };
        facilities.push((to_f32(x), to_f32(y), 1));
    }
    for _ in 0..counts[2] {
        let (x, y) = in_disc(&mut rng, 0.6 * radius);
        facilities.push((to_f32(x), to_f32(y), 2));
    }
    Layout { side, core: (cx, cy, radius), facilities, residents }
}

/// Facility `i` of a layout as a 16-bit id. `Simulation::with_params` rejects a region of
/// 65,535 facilities or more before laying it out, so this never fails there.
pub(crate) fn facility_id(i: usize) -> u16 {
    u16::try_from(i).ok().filter(|&id| id != u16::MAX).expect("a layout has fewer than 65,535 facilities")
}

/// Where the next cell's list starts in a grid's `entries`. Lists are a few facilities
/// long (those within reach of the cell) and grids at most 256 x 256 cells.
fn entry_offset(entries: &[Entry]) -> u32 {
    u32::try_from(entries.len()).expect("a grid lists fewer than 2^32 entries")
}

/// Straight-line distance in km.
#[inline]
pub fn distance(a: (f32, f32), b: (f32, f32)) -> f64 {
    let dx = f64::from(a.0) - f64::from(b.0);
    let dy = f64::from(a.1) - f64::from(b.1);
    (dx * dx + dy * dy).sqrt()
}

/// The ids of the `k` nearest facilities of `tier` to a point (ties broken by id).
pub fn nearest(layout: &Layout, point: (f32, f32), tier: u8, k: usize) -> Vec<u16> {
    let mut best: Vec<(f64, u16)> = layout
        .facilities
        .iter()
        .enumerate()
        .filter(|(_, f)| f.2 == tier)
        .map(|(i, f)| (distance(point, (f.0, f.1)), facility_id(i)))
        .collect();
    best.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    best.into_iter().take(k).map(|(_, i)| i).collect()
}

/// Nearest-facility lookup for one tier over a grid, so placing a million residents does
/// not scan every facility for each.
pub(crate) struct NearestIndex {
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

/// Cells per side of the blocks that narrow each cell's search (see [`NearestIndex::new`]).
const BLOCK: usize = 8;

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
    /// The grid of `tier`'s facilities, complete for the `wanted` (1 or 2) nearest of any point.
    pub(crate) fn new(layout: &Layout, tier: u8, wanted: usize) -> NearestIndex {
        debug_assert!(wanted == 1 || wanted == 2);
        let of_tier: Vec<(u16, (f32, f32))> = layout
            .facilities
            .iter()
            .enumerate()
            .filter(|(_, f)| f.2 == tier)
            .map(|(i, f)| (facility_id(i), (f.0, f.1)))
            .collect();
        // About one facility per few cells where they are densest (hospitals cluster in the
        // core), and a bounded build cost: cells times facilities.
        let cols = trunc_usize(16.0 * count(of_tier.len()).sqrt()).clamp(32, 256);
        let cell = layout.side / count(cols);
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
            |col: usize, row: usize, size: f64| (to_f32((count(col) + 0.5) * size), to_f32((count(row) + 0.5) * size));
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
        let block = cell * count(BLOCK);
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
                starts.push(entry_offset(&entries));
                let candidates = &in_block[(r / BLOCK) * blocks + c / BLOCK];
                measure(centre(c, r, cell), candidates, &mut dist);
                // The `wanted` nearest facilities to the centre bound the search: the `wanted`
                // nearest to a point of the cell lie within their distance plus `half` of the
                // point, so within that plus `2 half` of the centre. (Lists for one facility are
                // shorter, and most lookups want one.)
                let reach = far(candidates, &dist) + 2.0 * half;
                let first = entries.len();
                entries.extend(
                    candidates.iter().zip(&dist).filter(|&(_, &d)| d <= reach).map(|(&(id, pos), &d)| Entry {
                        bound: d - half,
                        pos,
                        id,
                    }),
                );
                // Nearest to the centre first, so that a search can stop at the first facility
                // that cannot be nearer than what it has found.
                entries[first..].sort_unstable_by(|a, b| a.bound.total_cmp(&b.bound).then(a.id.cmp(&b.id)));
            }
        }
        starts.push(entry_offset(&entries));
        NearestIndex { wanted, inv_cell: 1.0 / cell, cols, starts, entries }
    }

    /// The facilities of the cell holding `p` (clamped to the grid). A point on a cell's
    /// edge may land in either cell: both account for it, with `GRID_SLACK_KM` to spare.
    fn cell(&self, p: (f32, f32)) -> &[Entry] {
        // Truncated toward zero and saturating, then clamped: points off the grid go to its edge.
        let cell_of = |x: f32| trunc_usize(f64::from(x) * self.inv_cell).min(self.cols - 1);
        let k = cell_of(p.1) * self.cols + cell_of(p.0);
        &self.entries[self.starts[k] as usize..self.starts[k + 1] as usize]
    }

    /// The two nearest facility ids to `p` (the same id twice when only one exists).
    pub(crate) fn nearest(&self, p: (f32, f32)) -> [u16; 2] {
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
    pub(crate) fn nearest_one(&self, p: (f32, f32)) -> u16 {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_region_has_several_facilities_per_tier() {
        let p = Params::default();
        assert_eq!(facility_counts(100_000, &p), [9, 3, 2]);
        let big = facility_counts(1_000_000, &p);
        assert!(big[0] > 80 && big[2] > 10);
        assert_eq!(facility_counts(1_000, &p), [2, 1, 1]);
    }

    #[test]
    fn layout_is_deterministic_and_inside_region() {
        let p = Params::default();
        let a = lay_out(5_000, 0.6, 9, &p);
        let b = lay_out(5_000, 0.6, 9, &p);
        assert_eq!(a.residents, b.residents);
        assert_eq!(a.facilities, b.facilities);
        for &(x, y, _) in &a.residents {
            assert!(x >= 0.0 && f64::from(x) <= a.side && y >= 0.0 && f64::from(y) <= a.side);
        }
        let urban = count(a.residents.iter().filter(|r| r.2).count()) / 5_000.0;
        assert!((urban - 0.6).abs() < 0.03);
    }

    #[test]
    fn nearest_returns_the_nearest_of_the_tier_in_order() {
        let p = Params::default();
        let l = lay_out(20_000, 0.5, 2, &p);
        let side = to_f32(l.side);
        for pt in [(side / 2.0, side / 2.0), (0.0, 0.0), (side, side * 0.3), (side * 0.8, side * 0.9)] {
            for tier in 0..3u8 {
                let ids = nearest(&l, pt, tier, 2);
                let of_tier: Vec<usize> = (0..l.facilities.len()).filter(|&i| l.facilities[i].2 == tier).collect();
                assert_eq!(ids.len(), of_tier.len().min(2));
                let km = |i: usize| distance(pt, (l.facilities[i].0, l.facilities[i].1));
                for (rank, &id) in ids.iter().enumerate() {
                    let id = usize::from(id);
                    assert_eq!(l.facilities[id].2, tier, "a facility of the asked tier");
                    // No facility of the tier outside the first `rank` is nearer.
                    for &other in of_tier.iter().filter(|o| !ids[..rank].contains(&facility_id(**o))) {
                        assert!(
                            km(id) <= km(other),
                            "{pt:?} tier {tier}: {id} at {} but {other} at {}",
                            km(id),
                            km(other)
                        );
                    }
                }
            }
        }
        // Ties go to the smaller id: two facilities at the same place, asked from elsewhere.
        let twins = Layout {
            side: 10.0,
            core: (5.0, 5.0, 1.0),
            facilities: vec![(3.0, 3.0, 0), (3.0, 3.0, 0)],
            residents: vec![],
        };
        assert_eq!(nearest(&twins, (0.0, 0.0), 0, 2), [0, 1]);
    }

    #[test]
    fn grid_lookup_finds_the_nearest_and_the_two_nearest_of_each_tier() {
        let p = Params::default();
        let l = lay_out(300_000, 0.6, 6, &p);
        let index = [0u8, 1, 2].map(|t| NearestIndex::new(&l, t, 2));
        let single = [0u8, 1, 2].map(|t| NearestIndex::new(&l, t, 1));
        let side = to_f32(l.side);
        let corners = [(0.0, 0.0), (side, side), (0.0, side), (side / 2.0, side / 2.0)];
        // Points on the grids' cell edges and corners, where a point may fall in either cell.
        let edges: Vec<(f32, f32)> = index
            .iter()
            .flat_map(|idx| {
                let cell = 1.0 / idx.inv_cell;
                (0..=idx.cols).step_by(7).flat_map(move |k| {
                    (0..=idx.cols).step_by(5).map(move |j| (to_f32(count(k) * cell), to_f32(count(j) * cell)))
                })
            })
            .collect();
        let points = l.residents.iter().step_by(37).map(|&(x, y, _)| (x, y)).chain(corners).chain(edges);
        for (i, point) in points.enumerate() {
            for (t, idx) in index.iter().enumerate() {
                let brute = nearest(&l, point, u8::try_from(t).expect("three tiers"), 2);
                let expect = [brute[0], *brute.last().unwrap()];
                assert_eq!(idx.nearest(point), expect, "point {i} {point:?} tier {t}");
                assert_eq!(single[t].nearest_one(point), brute[0], "point {i} {point:?} tier {t}, one");
            }
        }
    }
}
