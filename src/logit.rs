//! The logit choice rule: a patient picks one of a few options with probability
//! proportional to `e^utility`.
//!
//! This is the innermost step of every contact (0.57 million choices in a 100,000-resident
//! year), so its exponential is written for speed without changing a bit of the result.

use crate::num::to_f32;
use crate::rng::SimRng;

/// The weight `e^d` of an option whose utility is `d <= 0` below the best one's, in single
/// precision: `libm::exp2f(d log2 e)`.
///
/// The weights only decide which of a handful of intervals one uniform draw falls in, so a
/// relative error of about 1e-7 moves a choice only when the draw lands that close to a
/// boundary: a year of 100,000 residents and a year of 1,000,000 (0.57 and 5.7 million
/// choices) give byte-identical output with double-precision `libm::exp` weights. `exp2f` is a
/// short polynomial on a 16-entry table with no division and no branch the data can mislead;
/// `exp` divides, and that division's latency was the longest wait of the daily loop. It is
/// `libm` arithmetic in basic IEEE 754 operations, so the bits are the same natively and in
/// WebAssembly; `exp2f` below is that function, copied so that it is inlined on both.
#[inline]
pub fn logit_weight(d: f64) -> f64 {
    f64::from(exp2f(to_f32(d * std::f64::consts::LOG2_E)))
}

/// The weights of a logit over `utilities` (at most 8 entries), with [`logit_weight`]
/// relative to the best option (whose weight is exactly 1), and their total.
#[inline]
pub fn logit_weights(utilities: &[f64]) -> ([f64; 8], f64) {
    // The same maximum as a fold with f64::max (NaN is skipped either way), written as a
    // comparison: in WebAssembly f64::max is a call.
    let mut max = f64::NEG_INFINITY;
    for &u in utilities {
        if u > max {
            max = u;
        }
    }
    let n = utilities.len().min(8);
    let mut weights = [0.0f64; 8];
    let mut total = 0.0;
    for i in 0..n {
        let u = utilities[i];
        // The best option's weight is e^0 = 1 exactly (exp2f returns 1 + x for tiny x), so
        // the call is skipped for it: one fewer per choice, same bits.
        let w = if u == max { 1.0 } else { logit_weight(u - max) };
        weights[i] = w;
        total += w;
    }
    (weights, total)
}

/// Draws an index in `0..n` with probability proportional to `weights` (their sum is
/// `total`), with the uniform draw `u` in [0, 1).
#[inline]
pub fn draw(weights: &[f64], total: f64, u: f64) -> usize {
    let mut x = u * total;
    for (i, &w) in weights.iter().enumerate() {
        if x < w {
            return i;
        }
        x -= w;
    }
    weights.len() - 1
}

/// Draws an index from a logit over `utilities` (at most 8 entries), with the weights of
/// [`logit_weights`].
#[inline]
pub fn logit_choice(utilities: &[f64], rng: &mut SimRng) -> usize {
    logit_choice_with(utilities, rng.uniform())
}

/// [`logit_choice`] with the uniform draw `u` in [0, 1) given.
#[inline]
pub fn logit_choice_with(utilities: &[f64], u: f64) -> usize {
    let (weights, total) = logit_weights(utilities);
    draw(&weights[..utilities.len().min(8)], total, u)
}

/// `libm::exp2f` (libm 0.2, from FreeBSD's `s_exp2f.c`), the same operations in the same
/// order, so the same bits for every argument (a test compares them).
///
/// Why a copy: natively LLVM inlines `libm::exp2f` into the choice, but in WebAssembly it
/// stays a call (the wasm build links it as the `exp2f` builtin), and in V8 a call costs about
/// 20 instructions of spills and checks on top of the function's 30, for every weight.
/// Marked `inline(always)` so both builds inline it.
///
/// Copyright (c) 2005 David Schultz <das@FreeBSD.ORG>. All rights reserved.
/// Redistribution and use in source and binary forms, with or without modification, are
/// permitted provided that the following conditions are met: 1. Redistributions of source code
/// must retain the above copyright notice, this list of conditions and the following
/// disclaimer. 2. Redistributions in binary form must reproduce the above copyright notice,
/// this list of conditions and the following disclaimer in the documentation and/or other
/// materials provided with the distribution. THIS SOFTWARE IS PROVIDED BY THE AUTHOR AND
/// CONTRIBUTORS "AS IS" AND ANY EXPRESS OR IMPLIED WARRANTIES, INCLUDING, BUT NOT LIMITED TO,
/// THE IMPLIED WARRANTIES OF MERCHANTABILITY AND FITNESS FOR A PARTICULAR PURPOSE ARE
/// DISCLAIMED. IN NO EVENT SHALL THE AUTHOR OR CONTRIBUTORS BE LIABLE FOR ANY DIRECT,
/// INDIRECT, INCIDENTAL, SPECIAL, EXEMPLARY, OR CONSEQUENTIAL DAMAGES (INCLUDING, BUT NOT
/// LIMITED TO, PROCUREMENT OF SUBSTITUTE GOODS OR SERVICES; LOSS OF USE, DATA, OR PROFITS; OR
/// BUSINESS INTERRUPTION) HOWEVER CAUSED AND ON ANY THEORY OF LIABILITY, WHETHER IN CONTRACT,
/// STRICT LIABILITY, OR TORT (INCLUDING NEGLIGENCE OR OTHERWISE) ARISING IN ANY WAY OUT OF THE
/// USE OF THIS SOFTWARE, EVEN IF ADVISED OF THE POSSIBILITY OF SUCH DAMAGE.
#[inline(always)]
fn exp2f(mut x: f32) -> f32 {
    /// 2^(i/16 - 1/2) for i in 0..16.
    const EXP2FT: [u64; 16] = [
        0x3fe6a09e667f3bcd,
        0x3fe7a11473eb0187,
        0x3fe8ace5422aa0db,
        0x3fe9c49182a3f090,
        0x3feae89f995ad3ad,
        0x3fec199bdd85529c,
        0x3fed5818dcfba487,
        0x3feea4afa2a490da,
        0x3ff0000000000000,
        0x3ff0b5586cf9890f,
        0x3ff172b83c7d517b,
        0x3ff2387a6e756238,
        0x3ff306fe0a31b715,
        0x3ff3dea64c123422,
        0x3ff4bfdad5362a27,
        0x3ff5ab07dd485429,
    ];
    let redux = f32::from_bits(0x4b400000) / 16.0;
    let p1 = f32::from_bits(0x3f317218);
    let p2 = f32::from_bits(0x3e75fdf0);
    let p3 = f32::from_bits(0x3d6359a4);
    let p4 = f32::from_bits(0x3c1d964e);

    // Exceptional arguments: NaN, |x| > 126 (overflow, underflow) and tiny |x|. (libm also
    // raises the floating-point underflow flag here, which nothing in Rust reads.)
    let ui = x.to_bits();
    let ix = ui & 0x7fffffff;
    if ix > 0x42fc0000 {
        if ix > 0x7f800000 {
            return x;
        }
        if (0x43000000..0x80000000).contains(&ui) {
            x *= f32::from_bits(0x7f000000);
            return x;
        }
        if ui >= 0xc3160000 {
            return 0.0;
        }
    } else if ix <= 0x33000000 {
        return 1.0 + x;
    }

    // x = k + i/16 + z with |z| <= 1/32: 2^x = 2^k * table[i] * p(z).
    let ui = (x + redux).to_bits();
    let mut i0 = ui + 8;
    let k = i0 / 16;
    let ukf = f64::from_bits(u64::from(0x3ff + k) << 52);
    i0 &= 15;
    let uf = f32::from_bits(ui) - redux;
    let z = f64::from(x - uf);
    let r = f64::from_bits(EXP2FT[i0 as usize]);
    let t = r * z;
    let r = r + t * (f64::from(p1) + z * f64::from(p2)) + t * (z * z) * (f64::from(p3) + z * f64::from(p4));
    to_f32(r * ukf)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::Stream;

    #[test]
    fn exp2f_is_libms_bit_for_bit() {
        // Every 61st single-precision number (70 million, all signs and ranges), then the
        // boundaries of each branch and their neighbours.
        let same = |bits: u32| {
            let x = f32::from_bits(bits);
            let (ours, theirs) = (exp2f(x), libm::exp2f(x));
            assert!(
                ours.to_bits() == theirs.to_bits() || (ours.is_nan() && theirs.is_nan()),
                "exp2f({x:e}): {ours:e} against {theirs:e}"
            );
        };
        (0..=u32::MAX).step_by(61).for_each(same);
        for edge in
            [0x42fc0000u32, 0x7f800000, 0x43000000, 0xc3160000, 0x33000000, 0xc2fc0000, 0xb3000000, 0x80000000, 0]
        {
            (edge.saturating_sub(40)..=edge.saturating_add(40)).for_each(same);
        }
    }

    #[test]
    fn logit_weights_are_exp_to_single_precision() {
        let mut rng = SimRng::new(3, Stream::Choice);
        for i in 0..300_000 {
            let d = -rng.uniform() * [1.0, 10.0, 80.0][i % 3];
            let (w, e) = (logit_weight(d), libm::exp(d));
            // exp2f's own error and the rounding of its argument to single precision.
            let tolerance = (2.5e-7 + 6e-8 * d.abs()) * e;
            assert!((w - e).abs() <= tolerance, "e^{d}: {w} against {e}");
        }
        assert_eq!(logit_weight(0.0), 1.0);
        assert_eq!(logit_weight(-200.0), 0.0);
    }

    #[test]
    fn logit_prefers_higher_utility() {
        let mut rng = SimRng::new(1, Stream::Choice);
        let n = 20_000;
        let first =
            crate::num::count((0..n).filter(|_| logit_choice(&[1.0, 0.0], &mut rng) == 0).count()) / f64::from(n);
        // e / (e + 1) = 0.731
        assert!((first - 0.731).abs() < 0.02, "{first}");
    }
}
