//! The consortium (医联体) as a collective: under semi-close and close integration its
//! members pool part or all of their monthly result in one pot and share it out by an
//! explicit settlement rule.
//!
//! **The rule.** At each month end every member pays `pool_share[integration]` of its net
//! result (revenue less cost; a deficit is a negative payment) into the pot. A positive pot
//! is shared out partly by running costs (what each member needs to keep going) and partly,
//! `settlement_performance` of it, by tiered-care points: one point for every downward
//! referral a member made and one for every one it received, `upward_points` for every formal
//! upward referral made or received, and `outreach_points` for every specialist-day sent to
//! or hosted in a primary centre, that month. A deficit is shared
//! by running costs only, so cooperating never adds to a member's share of a loss. The pot
//! is paid out to the fen: the last member takes the rounding remainder. What a receiving
//! centre is paid for a recovery-phase patient is what it bills for the stay (to the insurer
//! and the patient, as any stay); the settlement adds its points.

use crate::money::{Fen, fen, fen_as_f64, floor_fen};

/// One member's part in the settlement.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Member {
    /// Net result of the month before settlement, fen.
    pub net: Fen,
    /// Running-cost weight (its fixed costs per day, fen).
    pub running_cost: Fen,
    /// Tiered-care points of the month.
    pub points: f64,
}

/// The transfers of one month's settlement, by member: what each receives from the pot less
/// what it paid in (they sum to zero). `pool` is the share of each net that is pooled and
/// `performance` the share of a positive pot shared by points.
pub fn settle(members: &[Member], pool: f64, performance: f64) -> Vec<Fen> {
    if members.is_empty() || pool <= 0.0 {
        return vec![0; members.len()];
    }
    let paid_in: Vec<Fen> = members.iter().map(|m| fen(pool * fen_as_f64(m.net) / 100.0)).collect();
    let pot: Fen = paid_in.iter().sum();
    let running: f64 = members.iter().map(|m| fen_as_f64(m.running_cost)).sum::<f64>().max(1.0);
    let points: f64 = members.iter().map(|m| m.points).sum();
    let by_points = if pot > 0 && points > 0.0 { performance } else { 0.0 };
    let mut left = pot;
    let last = members.len() - 1;
    members
        .iter()
        .zip(&paid_in)
        .enumerate()
        .map(|(i, (m, &paid))| {
            let weight = (1.0 - by_points) * fen_as_f64(m.running_cost) / running
                + if by_points > 0.0 { by_points * m.points / points } else { 0.0 };
            let share = if i == last { left } else { floor_fen(fen_as_f64(pot) * weight) };
            left -= share;
            share - paid
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn members() -> Vec<Member> {
        vec![
            Member { net: 1_000_000, running_cost: 600, points: 0.0 },
            Member { net: -200_000, running_cost: 300, points: 6.0 },
            Member { net: 50_000, running_cost: 100, points: 4.0 },
        ]
    }

    #[test]
    fn loose_consortia_settle_nothing() {
        assert_eq!(settle(&members(), 0.0, 0.5), vec![0, 0, 0]);
    }

    #[test]
    fn transfers_sum_to_zero_and_points_earn_a_share_of_a_surplus() {
        let t = settle(&members(), 1.0, 0.5);
        assert_eq!(t.iter().sum::<Fen>(), 0, "{t:?}");
        // Pot 850,000: half by running cost (60/30/10%), half by points (0/60/40%), each share
        // rounded down to the fen and the remainder to the last member.
        let after: Vec<Fen> = members().iter().zip(&t).map(|(m, x)| m.net + x).collect();
        for (got, want) in after.iter().zip([255_000, 382_500, 212_500]) {
            assert!((got - want).abs() <= 1, "{after:?}");
        }
        // Without the performance share, the pot follows running costs alone.
        let plain = settle(&members(), 1.0, 0.0);
        let after: Vec<Fen> = members().iter().zip(&plain).map(|(m, x)| m.net + x).collect();
        assert_eq!(after, vec![510_000, 255_000, 85_000]);
    }

    #[test]
    fn a_deficit_is_shared_by_running_costs_only() {
        let mut ms = members();
        ms[0].net = -1_000_000;
        let t = settle(&ms, 1.0, 0.5);
        assert_eq!(t.iter().sum::<Fen>(), 0);
        let after: Vec<Fen> = ms.iter().zip(&t).map(|(m, x)| m.net + x).collect();
        assert_eq!(after, vec![-690_000, -345_000, -115_000]);
    }

    #[test]
    fn half_pooling_keeps_half_of_each_result() {
        let t = settle(&members(), 0.5, 0.0);
        assert_eq!(t.iter().sum::<Fen>(), 0);
        // Pot 425,000 by running cost: 255,000 / 127,500 / 42,500, less the half paid in.
        assert_eq!(t, vec![255_000 - 500_000, 127_500 + 100_000, 42_500 - 25_000]);
    }
}
