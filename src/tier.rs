//! The three tiers of care, and per-tier tables indexed by them.

use serde::Serialize;
use std::ops::{Index, IndexMut};

/// A tier of the care system.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[repr(u8)]
pub enum Tier {
    /// Community and township health centres (基层医疗卫生机构).
    Primary = 0,
    /// District and county hospitals (二级医院).
    Secondary = 1,
    /// City hospitals (三级医院).
    Tertiary = 2,
}

impl Tier {
    /// Every tier, lowest first.
    pub const ALL: [Tier; 3] = [Tier::Primary, Tier::Secondary, Tier::Tertiary];

    /// The tier's position in per-tier tables: 0, 1 or 2.
    #[inline]
    pub fn index(self) -> usize {
        self as usize
    }

    /// The tier at position `i` (0, 1 or 2) of a per-tier table.
    #[inline]
    pub fn from_index(i: usize) -> Tier {
        Tier::ALL[i]
    }

    /// The next tier up, if any.
    #[inline]
    pub fn above(self) -> Option<Tier> {
        match self {
            Tier::Primary => Some(Tier::Secondary),
            Tier::Secondary => Some(Tier::Tertiary),
            Tier::Tertiary => None,
        }
    }

    /// Its name as the outputs spell it: primary, secondary, tertiary.
    pub fn name(self) -> &'static str {
        ["primary", "secondary", "tertiary"][self.index()]
    }
}

// Per-tier parameters and counters are `[T; 3]` in tier order; these let a `Tier` index them.
impl<T> Index<Tier> for [T; 3] {
    type Output = T;
    #[inline]
    fn index(&self, tier: Tier) -> &T {
        &self[tier as usize]
    }
}

impl<T> IndexMut<Tier> for [T; 3] {
    #[inline]
    fn index_mut(&mut self, tier: Tier) -> &mut T {
        &mut self[tier as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tiers_index_tables_in_order_and_know_the_tier_above() {
        let table = [10, 20, 30];
        assert_eq!(Tier::ALL.map(|t| table[t]), [10, 20, 30]);
        assert_eq!(Tier::ALL.map(Tier::index), [0, 1, 2]);
        assert_eq!(Tier::ALL.map(|t| Tier::from_index(t.index())), Tier::ALL);
        assert_eq!(Tier::ALL.map(Tier::above), [Some(Tier::Secondary), Some(Tier::Tertiary), None]);
        assert!(Tier::Primary < Tier::Tertiary);
        assert_eq!(Tier::Secondary.name(), "secondary");
    }
}
