//! Money: amounts in fen (0.01 yuan) as exact integers, and the books an agent keeps.
//!
//! Every amount is rounded to the fen once, when it is booked, and is an `i64` from then
//! on, so sums are exact and a payment is received to the last fen by whoever it is paid
//! to (a property test checks that no fen appears or disappears in any book).

/// An amount of money in fen (0.01 yuan).
pub type Fen = i64;

/// Converts yuan to fen, rounding to the nearest fen (halves away from zero).
#[inline]
pub fn fen(yuan: f64) -> Fen {
    round_fen(yuan * 100.0)
}

/// Converts fen to yuan.
#[inline]
pub fn yuan(amount: Fen) -> f64 {
    fen_as_f64(amount) / 100.0
}

/// An amount in fen as an `f64` of fen (for ratios and shares of amounts). Exact: every
/// amount in the model is far below 2^53 fen (90 trillion yuan), under which every integer
/// is an `f64`.
#[inline]
#[allow(clippy::cast_precision_loss, reason = "amounts are far below 2^53 fen, where every integer is an f64")]
pub fn fen_as_f64(amount: Fen) -> f64 {
    amount as f64
}

/// An amount in fen computed in floating point, rounded to the nearest fen (halves away
/// from zero): `libm::round(x) as i64` without the call (every bill rounds three amounts).
/// Rounding is exact, so any correct method gives the same integer; a unit test compares
/// the two. `x as i64` truncates toward zero (saturating, NaN to 0) and `x - trunc(x)` is
/// exact.
#[inline]
#[allow(
    clippy::cast_possible_truncation,
    clippy::cast_precision_loss,
    reason = "truncation toward zero is the first step of rounding; `t` is a whole f64, so it converts back exactly"
)]
pub fn round_fen(x: f64) -> Fen {
    let t = x as i64;
    let frac = x - t as f64;
    if frac >= 0.5 {
        t.saturating_add(1)
    } else if frac <= -0.5 {
        t.saturating_sub(1)
    } else {
        t
    }
}

/// An amount in fen computed in floating point, rounded down to the fen (for shares of a
/// pot, where the last share takes what the others leave).
#[inline]
#[allow(clippy::cast_possible_truncation, reason = "rounding down to a whole fen is the point")]
pub fn floor_fen(x: f64) -> Fen {
    libm::floor(x) as Fen
}

/// The money of one facility over an accounting period (a month, or the whole run), in fen.
///
/// Revenue lines are what others paid it; cost lines are what it paid out. Lines that can
/// go both ways (claw-backs, penalties, the consortium's settlement) are signed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Ledger {
    /// Paid by the insurer: fees, budget installments, capitation (less claw-backs).
    pub insurer: Fen,
    /// Paid by patients out of pocket.
    pub oop: Fen,
    /// Paid by the health commission: subsidies, grants, stipends, contract fees, and
    /// appraisal rewards less penalties.
    pub government: Fen,
    /// Received from the consortium's pot less paid into it (semi-close and close integration).
    pub pooled: Fen,
    /// Drugs and consumables of the services billed, and compensation paid for adverse events.
    pub variable: Fen,
    /// Doctors' pay: salaries and bonuses, less penalties the doctors paid back.
    pub staff: Fen,
    /// Beds, buildings and everything else that runs whatever the volume.
    pub fixed: Fen,
    /// Cooperation with the consortium (referral office, shared records) and capability
    /// investment.
    pub other: Fen,
}

impl Ledger {
    /// What the facility earns from its own services and the government, before the
    /// consortium's settlement: insurer, patients and commission.
    pub fn operating_revenue(&self) -> Fen {
        self.insurer + self.oop + self.government
    }

    /// Revenue from every source, the settlement included.
    pub fn revenue(&self) -> Fen {
        self.operating_revenue() + self.pooled
    }

    /// Every cost line.
    pub fn cost(&self) -> Fen {
        self.variable + self.staff + self.fixed + self.other
    }

    /// Revenue minus cost.
    pub fn net(&self) -> Fen {
        self.revenue() - self.cost()
    }

    /// Net over operating revenue, or 0 when there is none: the margin a facility learns
    /// from (the settlement counts in the net, not in the base, so a large transfer into or
    /// out of the pot cannot make the base small or negative).
    pub fn margin(&self) -> f64 {
        let base = self.operating_revenue();
        if base > 0 { fen_as_f64(self.net()) / fen_as_f64(base) } else { 0.0 }
    }

    /// Adds every line of `other` to this ledger.
    pub fn add(&mut self, other: &Ledger) {
        self.insurer += other.insurer;
        self.oop += other.oop;
        self.government += other.government;
        self.pooled += other.pooled;
        self.variable += other.variable;
        self.staff += other.staff;
        self.fixed += other.fixed;
        self.other += other.other;
    }

    /// What was booked between `earlier` (a copy of this ledger taken before) and now, line
    /// by line.
    pub fn since(&self, earlier: &Ledger) -> Ledger {
        Ledger {
            insurer: self.insurer - earlier.insurer,
            oop: self.oop - earlier.oop,
            government: self.government - earlier.government,
            pooled: self.pooled - earlier.pooled,
            variable: self.variable - earlier.variable,
            staff: self.staff - earlier.staff,
            fixed: self.fixed - earlier.fixed,
            other: self.other - earlier.other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_was_booked_since_a_copy_is_the_difference_of_every_line() {
        let earlier =
            Ledger { insurer: 10, oop: 5, government: 1, pooled: -3, variable: 4, staff: 2, fixed: 1, other: 6 };
        let mut now = earlier;
        let booked = Ledger { insurer: 7, oop: 2, government: 3, pooled: 9, variable: 6, staff: 8, fixed: 5, other: 4 };
        now.add(&booked);
        assert_eq!(now.since(&earlier), booked);
    }

    #[test]
    fn fen_rounds_half_away_from_zero() {
        assert_eq!(fen(1.006), 101);
        assert_eq!(fen(330.0 * 0.55), 18150);
        assert_eq!(fen(0.005), 1);
        assert_eq!(fen(-0.005), -1);
        assert_eq!(yuan(18150), 181.5);
    }

    #[test]
    fn margin_is_net_over_operating_revenue_and_zero_without_it() {
        let l = Ledger {
            insurer: 600,
            oop: 300,
            government: 100,
            variable: 500,
            staff: 300,
            fixed: 80,
            other: 20,
            pooled: 0,
        };
        assert_eq!((l.revenue(), l.cost(), l.net()), (1000, 900, 100));
        assert_eq!(l.margin(), 0.1);
        let settled = Ledger { pooled: -300, ..l };
        assert_eq!((settled.revenue(), settled.net()), (700, -200));
        assert_eq!(settled.margin(), -0.2, "the settlement moves the net, not the base");
        assert_eq!(Ledger { fixed: 5, ..Ledger::default() }.margin(), 0.0);
        let mut sum = l;
        sum.add(&settled);
        assert_eq!((sum.insurer, sum.pooled, sum.net()), (1200, -300, -100));
    }

    #[test]
    #[allow(clippy::cast_possible_truncation, reason = "compares with the bare `as` that `round_fen` replaces")]
    fn rounding_matches_libm_round() {
        let same = |x: f64| assert_eq!(round_fen(x), libm::round(x) as i64, "{x:e}");
        let edges = [
            0.0,
            -0.0,
            0.5,
            -0.5,
            1.5,
            -1.5,
            2.5,
            -2.5,
            0.49999999999999994,
            -0.49999999999999994,
            4503599627370495.5,
            -4503599627370495.5,
            4503599627370497.0,
            9007199254740993.0,
            9.223372036854775e18,
            -9.223372036854775e18,
            9.3e18,
            -9.3e18,
            1e300,
            -1e300,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NAN,
            f64::MIN_POSITIVE,
            f64::EPSILON,
        ];
        edges.iter().for_each(|&x| same(x));
        let mut rng = crate::rng::SimRng::new(3, crate::rng::Stream::Clinical);
        for _ in 0..200_000 {
            let scale = libm::pow(10.0, (rng.uniform() * 20.0).floor() - 3.0);
            let x = (rng.uniform() - 0.5) * scale;
            same(x);
            same(libm::round(x * 2.0) / 2.0); // exact halves
        }
    }
}
