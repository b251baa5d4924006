//! `libm::exp` for the arguments of the logit draw, bit for bit, without its branches.
//!
//! The logit draw (`patient::logit_choice`) takes `e^(u - max)` of every option but the
//! best: millions of calls a simulated year, which took a quarter of the time at a million
//! residents through `libm::exp`.
//! `libm::exp` (FreeBSD's `e_exp.c`) picks its argument reduction with two branches on the
//! size of `x`; the logit draw's arguments land on either side of them at random, so the
//! processor guesses wrong on a good share of calls, and the final scaling is a call to
//! `scalbn`. [`exp_nonpositive`] does the same arithmetic in the same order, with the
//! reduction chosen by selects and the scaling a multiplication by an exact power of two, so
//! it returns the same bits as `libm::exp` (the tests compare them over millions of arguments
//! and every boundary, natively and in Chromium). Results stay the same natively and in
//! WebAssembly: only the basic operations of IEEE 754 are used, and each is exactly rounded.

/// `ln 2` split into a high part whose products with small integers are exact, and the rest;
/// the constants are libm's, given by their bits.
const LN2_HI: f64 = f64::from_bits(0x3fe6_2e42_fee0_0000);
const LN2_LO: f64 = f64::from_bits(0x3dea_39ef_3579_3c76);
const INV_LN2: f64 = f64::from_bits(0x3ff7_1547_652b_82fe);
/// Remez coefficients of `e_exp.c` for `r (e^r + 1) / (e^r - 1)` on `[0, ln 2 / 2]`.
const P1: f64 = f64::from_bits(0x3fc5_5555_5555_553e);
const P2: f64 = f64::from_bits(0xbf66_c16c_16be_bd93);
const P3: f64 = f64::from_bits(0x3f11_566a_af25_de2c);
const P4: f64 = f64::from_bits(0xbebb_bd41_c5d2_6bf1);
const P5: f64 = f64::from_bits(0x3e66_3769_72be_a4d0);

/// `e^x`, bit for bit what `libm::exp(x)` returns. Meant for `-708 <= x <= 0`, where it takes
/// no branch the data can mislead; any other argument (and `|x| <= 2^-28`) goes the way
/// `libm` goes.
#[inline]
pub fn exp_nonpositive(x: f64) -> f64 {
    // Also false for NaN. Below -708 the result nears the subnormals, where `scalbn` rounds
    // differently from one multiplication.
    if !(-708.0..=0.0).contains(&x) {
        return libm::exp(x);
    }
    let hx = (x.to_bits() >> 32) as u32 & 0x7fff_ffff;
    if hx <= 0x3e30_0000 {
        return 1.0 + x; // |x| <= 2^-28, as libm
    }
    // libm's three reductions: k = 0 up to ln 2 / 2, k = -1 up to 1.5 ln 2, and
    // k = trunc(x / ln 2 - 1/2) beyond. With k = 0 the general formulas below give exactly
    // libm's hi = x, lo = 0.
    // SAFETY: -708 <= x <= 0 puts x / ln 2 - 1/2 in (-1023, -0.5]: finite and within i32, so
    // the truncation is exactly what `as i32` gives, without its checks for NaN and overflow.
    let far: i32 = unsafe { (INV_LN2 * x - 0.5).to_int_unchecked() };
    let near = -i32::from(hx > 0x3fd6_2e42);
    let k = if hx >= 0x3ff0_a2b2 { far } else { near };
    let kf = f64::from(k);
    let hi = x - kf * LN2_HI;
    let lo = kf * LN2_LO;
    let r = hi - lo;
    let rr = r * r;
    let c = r - rr * (P1 + rr * (P2 + rr * (P3 + rr * (P4 + rr * P5))));
    let y = 1.0 + (r * c / (2.0 - c) - lo + hi);
    // scalbn(y, k) for -1021 <= k <= 0 is this one exact multiplication.
    y * f64::from_bits(((0x3ff + k) as u64) << 52)
}

/// The first argument, of `count` random ones and every boundary of the reductions, where
/// [`exp_nonpositive`] and `libm::exp` return different bits (`None`: they never do). The
/// tests call it natively and in WebAssembly.
pub fn first_difference_from_libm(count: u32, seed: u64) -> Option<f64> {
    use crate::rng::{SimRng, Stream};
    let differs = |x: f64| {
        let (a, b) = (exp_nonpositive(x), libm::exp(x));
        a.to_bits() != b.to_bits() && !(a.is_nan() && b.is_nan())
    };
    let mut rng = SimRng::new(seed, Stream::Choice);
    let mut args = Vec::new();
    for hx in [0x3e30_0000u64, 0x3fd6_2e42, 0x3ff0_a2b2, 0x4086_232b] {
        for lo in [0u64, 1, 0x7fff_ffff, 0xffff_ffff] {
            let bits = (hx << 32 | lo) | 1 << 63;
            args.extend((bits - 3..=bits + 3).map(f64::from_bits));
        }
    }
    args.extend([0.0, -0.0, -708.0, -708.5, -745.2, 1.0, f64::NAN, f64::NEG_INFINITY, f64::MIN_POSITIVE]);
    if let Some(&x) = args.iter().find(|&&x| differs(x)) {
        return Some(x);
    }
    (0..count).find_map(|i| {
        // The logit draw's range, the reductions' neighbourhoods, and the whole domain.
        let scale = [1.0, 2.0, 40.0, 720.0][(i % 4) as usize];
        let near = -rng.uniform() * scale;
        let any = -f64::from_bits(rng.next_word() >> 1);
        [near, any].into_iter().find(|&x| differs(x))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn returns_the_bits_of_libm_exp() {
        assert_eq!(first_difference_from_libm(2_000_000, 1), None);
    }
}
