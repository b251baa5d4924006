//! One resident's record: everything a contact with the health system reads or writes.
//!
//! A record is 32 bytes (home, trust, candidate facilities, contract rank and one byte of
//! flags), so a contact touches one cache line: at a million residents the records (32 MB)
//! no longer fit in cache and a contact with a resident drawn at random is a miss to main
//! memory. The flags' bit layout is private to this file.

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

/// What a resident is, fixed when the region is built (except `informed`).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Traits {
    pub urban: bool,
    pub chronic: bool,
    /// Income class (0 low, 1 middle, 2 high).
    pub income: u8,
    pub informed: bool,
}

impl Resident {
    /// A resident with no usual facility yet.
    pub(crate) fn new(
        pos: (f32, f32),
        trust: [f32; 3],
        candidates: [u16; 4],
        contract_rank: u16,
        traits: Traits,
    ) -> Self {
        debug_assert!(traits.income < 3);
        let flags = (u8::from(traits.urban) * URBAN)
            | (u8::from(traits.chronic) * CHRONIC)
            | (traits.income << INCOME_SHIFT)
            | (NO_USUAL << USUAL_SHIFT)
            | (u8::from(traits.informed) * INFORMED);
        Resident { pos, trust, candidates, contract_rank, flags }
    }

    /// Makes candidate slot `slot` (0-3) the usual facility.
    pub(crate) fn set_usual_slot(&mut self, slot: u8) {
        debug_assert!(slot < 4);
        self.flags = (self.flags & !USUAL_MASK) | (slot << USUAL_SHIFT);
    }

    /// Informs the resident of the policy, or (`false`) lets them forget it.
    pub(crate) fn set_informed(&mut self, informed: bool) {
        self.flags = if informed { self.flags | INFORMED } else { self.flags & !INFORMED };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn residents_are_one_cache_friendly_record_each() {
        assert_eq!(std::mem::size_of::<Resident>(), 32);
        assert_eq!(std::mem::align_of::<Resident>(), 32);
    }

    #[test]
    fn flags_keep_each_trait_apart() {
        for (urban, chronic, income, informed) in
            [(true, false, 2, true), (false, true, 0, false), (true, true, 1, false)]
        {
            let mut r =
                Resident::new((1.0, 2.0), [0.5; 3], [3, 4, 5, 6], 9, Traits { urban, chronic, income, informed });
            assert_eq!(r.usual(), NO_FACILITY);
            r.set_usual_slot(2);
            r.set_informed(!informed);
            assert_eq!(
                (r.is_urban(), r.is_chronic(), r.income_class(), r.is_informed()),
                (urban, chronic, usize::from(income), !informed)
            );
            assert_eq!(r.usual(), 5);
        }
    }
}
