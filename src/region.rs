//! The synthetic region: where residents live and where facilities stand.
//!
//! An urban core (a disc at the centre) holds `urban_share` of residents; the rest are
//! spread over a square. Primary centres are placed at the homes of randomly drawn
//! residents, so they follow population density; secondary hospitals sit in the core and
//! in county towns; tertiary hospitals sit in the core.

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
    let count = |tier: usize, min: f64| libm::round(n / params.residents_per_facility[tier]).max(min) as u32;
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
        residents.push((x as f32, y as f32, urban));
    }
    let counts = facility_counts(population, params);
    let mut facilities = Vec::with_capacity(counts.iter().sum::<u32>() as usize);
    for _ in 0..counts[0] {
        let (x, y, _) = residents[rng.below(population) as usize];
        facilities.push((x, y, 0));
    }
    let urban_secondary = libm::round(f64::from(counts[1]) * urban_share).max(1.0) as u32;
    for k in 0..counts[1] {
        let (x, y) = if k < urban_secondary {
            in_disc(&mut rng, radius)
        } else {
            (side * (0.1 + 0.8 * rng.uniform()), side * (0.1 + 0.8 * rng.uniform()))
        };
        facilities.push((x as f32, y as f32, 1));
    }
    for _ in 0..counts[2] {
        let (x, y) = in_disc(&mut rng, 0.6 * radius);
        facilities.push((x as f32, y as f32, 2));
    }
    Layout { side, core: (cx, cy, radius), facilities, residents }
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
        .map(|(i, f)| (distance(point, (f.0, f.1)), i as u16))
        .collect();
    best.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    best.into_iter().take(k).map(|(_, i)| i).collect()
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
        let urban = a.residents.iter().filter(|r| r.2).count() as f64 / 5_000.0;
        assert!((urban - 0.6).abs() < 0.03);
    }

    #[test]
    fn nearest_returns_the_nearest_of_the_tier_in_order() {
        let p = Params::default();
        let l = lay_out(20_000, 0.5, 2, &p);
        let side = l.side as f32;
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
                    for &other in of_tier.iter().filter(|o| !ids[..rank].contains(&(**o as u16))) {
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
}
