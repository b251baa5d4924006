//! Patients: the residents of the region, their trust, and how they choose a provider.
//!
//! Residents are stored as a struct of arrays (about 34 bytes each) and sorted by the
//! primary centre nearest to their home, so that a catchment is a contiguous id range:
//! word of mouth picks a neighbour from that range without any neighbour list.

use crate::params::{Kind, Params};
use crate::region::{Layout, distance, nearest};
use crate::rng::{SimRng, Stream};

/// Marker for "no usual facility".
pub const NO_FACILITY: u16 = u16::MAX;

const URBAN: u8 = 1;
const CHRONIC: u8 = 2;
const INCOME_SHIFT: u8 = 2;

/// Every resident's state, one array per attribute, indexed by resident id.
#[derive(Debug, Clone)]
pub struct Residents {
    /// Home position in km.
    pub pos: Vec<(f32, f32)>,
    /// Trust in primary, secondary and tertiary care, 0..1.
    pub trust: Vec<[f32; 3]>,
    /// Candidate facilities: nearest primary (home centre), nearest secondary, the two
    /// nearest tertiary hospitals (the second equals the first when there is one).
    pub candidates: Vec<[u16; 4]>,
    /// A chronic patient's usual facility, or [`NO_FACILITY`].
    pub usual: Vec<u16>,
    /// Bit flags: urban, chronic, and the income class in bits 2-3.
    pub flags: Vec<u8>,
    /// Rank for family-doctor contracting: contracted when rank < coverage * 65536, so a
    /// change of coverage needs no sweep over residents.
    pub contract_rank: Vec<u16>,
    /// Ids of chronic residents.
    pub chronic_ids: Vec<u32>,
    /// First resident id of each primary centre's catchment (indexed by facility id;
    /// meaningful for primary centres only), plus a final end marker.
    pub catchment_start: Vec<u32>,
    /// Running sums of trust by tier, kept exact enough for the daily mean.
    pub trust_sum: [f64; 3],
}

impl Residents {
    /// Creates residents at the layout's positions, sorted by home centre.
    pub fn new(layout: &Layout, seed: u64, params: &Params) -> Residents {
        let n = layout.residents.len();
        let mut rng = SimRng::new(seed, Stream::Residents);
        let primary = nearest_index(layout, 0);
        let secondary = nearest_index(layout, 1);
        let tertiary = nearest_index(layout, 2);
        let mut order: Vec<(u16, u32)> =
            layout.residents.iter().enumerate().map(|(i, r)| (primary.nearest((r.0, r.1))[0], i as u32)).collect();
        order.sort_unstable();
        let mut res = Residents {
            pos: Vec::with_capacity(n),
            trust: Vec::with_capacity(n),
            candidates: Vec::with_capacity(n),
            usual: vec![NO_FACILITY; n],
            flags: Vec::with_capacity(n),
            contract_rank: Vec::with_capacity(n),
            chronic_ids: Vec::new(),
            catchment_start: vec![0; layout.facilities.len() + 1],
            trust_sum: [0.0; 3],
        };
        for (id, &(home, src)) in order.iter().enumerate() {
            let (x, y, urban) = layout.residents[src as usize];
            let s = secondary.nearest((x, y))[0];
            let t = tertiary.nearest((x, y));
            res.pos.push((x, y));
            res.candidates.push([home, s, t[0], t[1]]);
            let income = income_class(&mut rng, urban, params);
            let chronic = rng.chance(params.chronic_prevalence);
            if chronic {
                res.chronic_ids.push(id as u32);
            }
            res.flags.push((u8::from(urban) * URBAN) | (u8::from(chronic) * CHRONIC) | (income << INCOME_SHIFT));
            res.contract_rank.push((rng.uniform() * 65_536.0) as u16);
            let mut trust = [0f32; 3];
            for (tier, t) in trust.iter_mut().enumerate() {
                let gap = if urban && tier == 0 { params.urban_trust_gap } else { 0.0 };
                let v = params.trust_initial[tier] - gap + 0.12 * (rng.uniform() - 0.5);
                *t = v.clamp(0.0, 1.0) as f32;
                res.trust_sum[tier] += f64::from(*t);
            }
            res.trust.push(trust);
        }
        // Catchment boundaries: residents are sorted by home centre id.
        let mut k = 0usize;
        for f in 0..=layout.facilities.len() {
            while k < n && usize::from(order[k].0) < f {
                k += 1;
            }
            res.catchment_start[f] = k as u32;
        }
        res
    }

    /// Number of residents.
    pub fn len(&self) -> usize {
        self.pos.len()
    }

    /// True when there are no residents.
    pub fn is_empty(&self) -> bool {
        self.pos.is_empty()
    }

    /// Whether resident `i` lives in the urban core.
    pub fn is_urban(&self, i: u32) -> bool {
        self.flags[i as usize] & URBAN != 0
    }

    /// Whether resident `i` is a chronic patient.
    pub fn is_chronic(&self, i: u32) -> bool {
        self.flags[i as usize] & CHRONIC != 0
    }

    /// Income class of resident `i` (0 low, 1 middle, 2 high).
    pub fn income_class(&self, i: u32) -> usize {
        usize::from(self.flags[i as usize] >> INCOME_SHIFT & 3)
    }

    /// Whether resident `i` has a family-doctor contract at this coverage.
    pub fn has_family_doctor(&self, i: u32, coverage: f64) -> bool {
        f64::from(self.contract_rank[i as usize]) < coverage * 65_536.0
    }

    /// Moves resident `i`'s trust in `tier` toward `target` by `weight`.
    pub fn learn(&mut self, i: u32, tier: usize, target: f64, weight: f64) {
        let t = &mut self.trust[i as usize][tier];
        let old = f64::from(*t);
        let new = (old + weight * (target - old)).clamp(0.0, 1.0) as f32;
        self.trust_sum[tier] += f64::from(new) - old;
        *t = new;
    }

    /// Mean trust in a tier.
    pub fn mean_trust(&self, tier: usize) -> f64 {
        self.trust_sum[tier] / self.len() as f64
    }

    /// A random neighbour of `i`: a resident of the same primary catchment.
    pub fn neighbour(&self, i: u32, rng: &mut SimRng) -> u32 {
        let home = usize::from(self.candidates[i as usize][0]);
        let (a, b) = (self.catchment_start[home], self.catchment_start[home + 1]);
        a + rng.below((b - a).max(1))
    }

    /// Recomputes the trust sums exactly (removes floating drift; called monthly).
    pub fn resum_trust(&mut self) {
        let mut s = [0.0; 3];
        for t in &self.trust {
            for k in 0..3 {
                s[k] += f64::from(t[k]);
            }
        }
        self.trust_sum = s;
    }
}

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

/// Nearest-facility lookup for one tier over a coarse grid, so placing a million
/// residents does not scan every facility for each.
struct NearestIndex {
    cell: f64,
    cols: usize,
    /// For each grid cell, the facilities of the tier within reach of that cell, sorted by id.
    cells: Vec<Vec<(u16, (f32, f32))>>,
}

fn nearest_index(layout: &Layout, tier: u8) -> NearestIndex {
    let cols = 32usize;
    let cell = layout.side / cols as f64;
    let mut cells = Vec::with_capacity(cols * cols);
    for r in 0..cols {
        for c in 0..cols {
            let centre = (((c as f64 + 0.5) * cell) as f32, ((r as f64 + 0.5) * cell) as f32);
            // The two nearest facilities to the centre bound the search: anything nearer to a
            // point of the cell than those must lie within their distance plus the cell diagonal.
            let near = nearest(layout, centre, tier, 2);
            let far = near
                .iter()
                .map(|&i| distance(centre, (layout.facilities[i as usize].0, layout.facilities[i as usize].1)))
                .fold(0.0, f64::max);
            let reach = far + cell * std::f64::consts::SQRT_2;
            let list = layout
                .facilities
                .iter()
                .enumerate()
                .filter(|(_, f)| f.2 == tier && distance(centre, (f.0, f.1)) <= reach)
                .map(|(i, f)| (i as u16, (f.0, f.1)))
                .collect();
            cells.push(list);
        }
    }
    NearestIndex { cell, cols, cells }
}

impl NearestIndex {
    /// The two nearest facility ids to `p` (the same id twice when only one exists).
    fn nearest(&self, p: (f32, f32)) -> [u16; 2] {
        let c = ((f64::from(p.0) / self.cell) as usize).min(self.cols - 1);
        let r = ((f64::from(p.1) / self.cell) as usize).min(self.cols - 1);
        let mut best = [(f64::INFINITY, u16::MAX); 2];
        for &(id, pos) in &self.cells[r * self.cols + c] {
            let d = distance(p, pos);
            if (d, id) < best[0] {
                best[1] = best[0];
                best[0] = (d, id);
            } else if (d, id) < best[1] {
                best[1] = (d, id);
            }
        }
        if best[1].1 == u16::MAX { [best[0].1, best[0].1] } else { [best[0].1, best[1].1] }
    }
}

/// What a patient weighs about one candidate facility, computed once a day per facility
/// (patients sense yesterday's queues, not today's).
#[derive(Debug, Clone, Copy, Default)]
pub struct Offer {
    /// Utility common to every resident of an income class, by kind and income class:
    /// constant, expected out-of-pocket cost, waiting and policy terms.
    pub base: [[f64; 3]; 4],
    /// The same for a patient who holds a referral (full reimbursement, green channel).
    pub referred: [[f64; 3]; 4],
}

/// The resident-specific part of the utility of facility `f` of `tier`.
#[inline]
#[allow(clippy::too_many_arguments)]
pub fn personal_utility(
    params: &Params,
    kind: Kind,
    tier: usize,
    trust: f64,
    km: f64,
    is_home_with_doctor: bool,
    is_usual: bool,
) -> f64 {
    let k = kind as usize;
    let mut u = params.beta_quality[k] * trust - params.beta_distance[k] * km;
    if is_home_with_doctor && tier == 0 {
        u += params.beta_family_doctor;
    }
    if is_usual {
        u += params.beta_continuity;
    }
    u
}

/// Draws an index from a logit over `utilities` (the last entry may be the outside
/// option). Uses `libm::exp` so the result is the same natively and in WebAssembly.
pub fn logit_choice(utilities: &[f64], rng: &mut SimRng) -> usize {
    let max = utilities.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let mut weights = [0.0f64; 8];
    let mut total = 0.0;
    for (w, &u) in weights.iter_mut().zip(utilities) {
        *w = libm::exp(u - max);
        total += *w;
    }
    let mut x = rng.uniform() * total;
    for (i, w) in weights.iter().take(utilities.len()).enumerate() {
        if x < *w {
            return i;
        }
        x -= *w;
    }
    utilities.len() - 1
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::region::lay_out;

    fn residents(n: u32) -> (Layout, Residents) {
        let p = Params::default();
        let l = lay_out(n, 0.6, 4, &p);
        let r = Residents::new(&l, 4, &p);
        (l, r)
    }

    #[test]
    fn candidates_are_of_the_right_tier_and_nearest() {
        let (l, r) = residents(20_000);
        for i in (0..r.len()).step_by(97) {
            let c = r.candidates[i];
            assert_eq!(l.facilities[c[0] as usize].2, 0);
            assert_eq!(l.facilities[c[1] as usize].2, 1);
            assert_eq!(l.facilities[c[2] as usize].2, 2);
            assert_eq!(c[0], nearest(&l, r.pos[i], 0, 1)[0], "resident {i}");
        }
    }

    #[test]
    fn catchments_are_contiguous_and_cover_everyone() {
        let (l, r) = residents(10_000);
        let n = l.facilities.len();
        assert_eq!(r.catchment_start[n] as usize, r.len());
        for i in 0..r.len() {
            let home = r.candidates[i][0] as usize;
            assert!(r.catchment_start[home] as usize <= i && i < r.catchment_start[home + 1] as usize);
        }
    }

    #[test]
    fn trust_sum_tracks_updates() {
        let (_, mut r) = residents(2_000);
        r.learn(5, 0, 1.0, 0.5);
        let tracked = r.trust_sum;
        r.resum_trust();
        for k in 0..3 {
            assert!((tracked[k] - r.trust_sum[k]).abs() < 1e-6);
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

    #[test]
    fn logit_prefers_higher_utility() {
        let mut rng = SimRng::new(1, Stream::Choice);
        let n = 20_000;
        let first = (0..n).filter(|_| logit_choice(&[1.0, 0.0], &mut rng) == 0).count() as f64 / n as f64;
        // e / (e + 1) = 0.731
        assert!((first - 0.731).abs() < 0.02, "{first}");
    }
}
