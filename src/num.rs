//! Numeric conversions that `as` would make silently, each named for why it loses nothing
//! or for what it drops on purpose.
//!
//! The crate turns on clippy's cast lints: a conversion is `From` when it is lossless,
//! `try_from` where a value is known to fit (outside the daily loop), and otherwise one of
//! these helpers, which are where the lints are allowed, once, with the reason. Each is
//! `#[inline]` and is exactly the `as` it wraps, so results (and the machine code of the
//! daily loop) are the same as with the bare `as`.

/// A count (of residents, visits, days, facilities, draws, runs) as `f64`. Exact: counts in
/// the model are far below 2^53, under which every integer is an `f64` (a run has at most
/// 20 million residents).
#[inline]
#[allow(clippy::cast_precision_loss, reason = "counts are far below 2^53, where every integer is an f64")]
pub fn count(n: usize) -> f64 {
    n as f64
}

/// `x` rounded toward zero to a `u32`, as `as` does: negative numbers and NaN give 0, and
/// numbers beyond `u32::MAX` give `u32::MAX`. For the floor of a non-negative quantity
/// computed in floating point (days, beds, residents reached), or for a number already
/// rounded to a whole one.
#[inline]
#[allow(
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    reason = "dropping the fraction is the point; out-of-range values saturate, as documented"
)]
pub fn trunc_u32(x: f64) -> u32 {
    x as u32
}

/// `x` rounded toward zero to a `usize` (an index or a count), as `as` does: negative
/// numbers and NaN give 0, numbers beyond `usize::MAX` give `usize::MAX`. For the floor
/// of a non-negative quantity, such as a uniform draw times a number of choices.
#[inline]
#[allow(
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    reason = "dropping the fraction is the point; out-of-range values saturate, as documented"
)]
pub fn trunc_usize(x: f64) -> usize {
    x as usize
}

/// `x` to the nearest `f32`: for state the model keeps in 32 bits on purpose (trust,
/// propensities, positions), where that rounding is part of the model.
#[inline]
#[allow(clippy::cast_possible_truncation, reason = "state kept in 32 bits: rounding to f32 is intended")]
pub fn to_f32(x: f64) -> f32 {
    x as f32
}

/// The low 32 bits of a 64-bit word (its high half is `(x >> 32) as u32`, which the lints
/// see is lossless).
#[inline]
#[allow(clippy::cast_possible_truncation, reason = "keeping the low half of the word is the point")]
pub fn low_word(x: u64) -> u32 {
    x as u32
}

/// A facility or doctor id (an index below their number) in the 16 bits that stays, queues
/// and residents' records keep it in. Lossless: `Simulation::with_params` rejects a region
/// with more than 65,535 doctors or facilities (and every facility has a doctor), so every
/// id of a simulation fits, below the `NO_FACILITY` marker (`u16::MAX`).
#[inline]
#[allow(clippy::cast_possible_truncation, reason = "ids of a simulation are below 65,535, checked when it is built")]
pub(crate) fn id16(id: usize) -> u16 {
    debug_assert!(id < usize::from(u16::MAX), "id {id} does not fit in 16 bits");
    id as u16
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "compares each helper with the bare `as` it wraps"
    )]
    fn every_helper_is_the_as_it_wraps() {
        for x in [0.0, 0.4, 0.99, 1.0, 2.5, -0.7, -3.0, 4.3e9, 1e300, f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            assert_eq!(trunc_u32(x), x as u32, "{x}");
            assert_eq!(trunc_usize(x), x as usize, "{x}");
            assert_eq!(to_f32(x).to_bits(), (x as f32).to_bits(), "{x}");
        }
        assert_eq!((trunc_u32(-0.5), trunc_u32(f64::NAN), trunc_u32(1e10)), (0, 0, u32::MAX));
        assert_eq!(count(20_000_000), 2e7);
        assert_eq!(low_word(0x1234_5678_9abc_def0), 0x9abc_def0);
        assert_eq!(id16(65_534), 65_534);
    }
}
