//! Patients: the residents of the region, their trust, and how they choose a provider.
//!
//! Each resident is one 32-byte [`Resident`] record (`resident.rs`). Residents are sorted
//! by the primary centre nearest to their home, so that a catchment
//! is a contiguous id range: word of mouth picks a neighbour from that range without any
//! neighbour list.

use crate::num::{count, low_word, to_f32, trunc_u32};
use crate::params::{Kind, Params};
#[cfg(test)]
use crate::region::nearest;
use crate::region::{Layout, NearestIndex, facility_id};
use crate::resident::{Resident, Traits};
use crate::rng::{SimRng, Stream};
use crate::tier::Tier;

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
        assert!(u32::try_from(n).is_ok(), "resident ids are u32: fewer than 2^32 residents");
        let n_fac = layout.facilities.len();
        let mut rng = SimRng::new(seed, Stream::Residents);
        // One nearest primary centre and secondary hospital, two nearest tertiary hospitals.
        let primary = NearestIndex::new(layout, 0, 1);
        let secondary = NearestIndex::new(layout, 1, 1);
        let tertiary = NearestIndex::new(layout, 2, 2);
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
        crate::lookahead::advise_huge_pages(people.spare_capacity_mut());
        let mut chronic_ids = Vec::new();
        let mut trust_sum = [0.0; 3];
        for home in 0..n_fac {
            for id in catchment_start[home]..catchment_start[home + 1] {
                let bits = sorted_pos[id as usize];
                let pos = (f32::from_bits((bits >> 32) as u32), f32::from_bits(low_word(bits)));
                let urban = sorted_urban[id as usize];
                let s = secondary.nearest_one(pos);
                let t = tertiary.nearest(pos);
                let income = income_class(&mut rng, urban, params);
                let chronic = rng.chance(params.chronic_prevalence);
                if chronic {
                    chronic_ids.push(id);
                }
                let contract_rank =
                    u16::try_from(trunc_u32(rng.uniform() * 65_536.0)).expect("a uniform draw is below 1");
                let mut trust = [0.0f32; 3];
                for tier in 0..3 {
                    let gap = if urban && tier == 0 { params.urban_trust_gap } else { 0.0 };
                    let v = params.trust_initial[tier] - gap + 0.12 * (rng.uniform() - 0.5);
                    trust[tier] = to_f32(v.clamp(0.0, 1.0));
                    trust_sum[tier] += f64::from(trust[tier]);
                }
                let informed = rng.chance(params.informed_initial);
                let traits = Traits { urban, chronic, income, informed };
                people.push(Resident::new(pos, trust, [facility_id(home), s, t[0], t[1]], contract_rank, traits));
            }
        }
        Residents { people, chronic_ids, catchment_start, trust_sum }
    }

    /// Number of residents.
    pub fn len(&self) -> usize {
        self.people.len()
    }

    /// Number of residents, as the `u32` their ids are (ids run from 0 to it).
    #[inline]
    #[allow(clippy::cast_possible_truncation, reason = "`new` takes fewer than 2^32 residents (ids are u32)")]
    pub fn population(&self) -> u32 {
        self.people.len() as u32
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

    /// The usual facility of resident `i`, or [`NO_FACILITY`](crate::resident::NO_FACILITY).
    #[inline]
    pub fn usual(&self, i: u32) -> u16 {
        self.people[i as usize].usual()
    }

    /// Makes facility `f` resident `i`'s usual facility; `f` must be one of their
    /// candidates (every facility a patient can reach is).
    pub fn set_usual(&mut self, i: u32, f: u16) {
        let person = &mut self.people[i as usize];
        let slot = person.candidates.iter().position(|&c| c == f).expect("a usual facility is a candidate");
        #[allow(clippy::cast_possible_truncation, reason = "a position among the four candidates")]
        person.set_usual_slot(slot as u8);
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
        self.people[i as usize].set_informed(informed);
    }

    /// Share of residents who know the policy (a pass over every resident).
    pub fn informed_share(&self) -> f64 {
        count(self.people.iter().filter(|p| p.is_informed()).count()) / count(self.len().max(1))
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
        let new = to_f32((old + weight * (target - old)).clamp(0.0, 1.0));
        self.trust_sum[tier] += f64::from(new) - old;
        *t = new;
    }

    /// Mean trust in a tier.
    pub fn mean_trust(&self, tier: Tier) -> f64 {
        self.trust_sum[tier] / count(self.len())
    }

    /// The neighbour [`Residents::neighbour`] would pick for resident `i` from the raw
    /// random word `word`.
    #[inline]
    pub(crate) fn neighbour_from(&self, i: u32, word: u64) -> u32 {
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

    /// Resident `i`'s record, if there is one (for reading ahead: `lookahead.rs`).
    #[inline]
    pub(crate) fn record(&self, i: u32) -> Option<&Resident> {
        self.people.get(i as usize)
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
    use crate::resident::NO_FACILITY;

    fn residents(n: u32) -> (Layout, Residents) {
        let p = Params::default();
        let mut l = lay_out(n, 0.6, 4, &p);
        let r = Residents::new(&mut l, 4, &p);
        (l, r)
    }

    #[test]
    fn candidates_are_of_the_right_tier_and_nearest() {
        let (l, r) = residents(20_000);
        for i in (0..r.population()).step_by(97) {
            let c = r.candidates(i);
            assert_eq!(l.facilities[c[0] as usize].2, 0);
            assert_eq!(l.facilities[c[1] as usize].2, 1);
            assert_eq!(l.facilities[c[2] as usize].2, 2);
            assert_eq!(c[0], nearest(&l, r.pos(i), 0, 1)[0], "resident {i}");
        }
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
        for i in 0..r.population() {
            let home = r.home(i);
            assert!(r.catchment_start[home] <= i && i < r.catchment_start[home + 1]);
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
        let covered = |c| (0..5_000u32).filter(|&i| r.has_family_doctor(i, c)).count();
        assert_eq!(covered(0.0), 0);
        assert!(covered(0.3) < covered(0.6));
        assert_eq!(covered(1.0), 5_000);
        assert!((count(covered(0.3)) / 5_000.0 - 0.3).abs() < 0.03);
    }
}
