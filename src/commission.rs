//! The health commission (卫健委): the government's agent. It pays for the policies the user
//! sets (subsidies, primary investment, outreach stipends, the referral bonus, family-doctor
//! fees, the awareness campaign) from its own budget, and appraises facilities on tiered-care
//! indicators with rewards and penalties (the "supervision" of the evolutionary-game
//! literature, evidence 1.2). Everything it pays or receives is booked, so its spending is
//! an output and no lever is free.

use crate::money::Fen;

/// What the commission paid, by purpose, in fen. Appraisal is net: rewards less penalties.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Spending {
    /// Public-health service funds to primary centres.
    pub subsidy: Fen,
    /// Training and equipment grants to primary centres (`primary_investment`).
    pub investment: Fen,
    /// Stipends to hospitals for specialist-days spent in primary centres.
    pub outreach: Fen,
    /// Bonuses to doctors per downward referral made (`referral_bonus`).
    pub referral_bonus: Fen,
    /// Family-doctor contract fees to primary centres.
    pub family_doctors: Fen,
    /// The awareness campaign (paid outside the region's books: media, printing).
    pub campaign: Fen,
    /// Appraisal rewards less penalties (can be negative).
    pub appraisal: Fen,
}

impl Spending {
    /// Everything paid, net of penalties received.
    pub fn total(&self) -> Fen {
        self.subsidy
            + self.investment
            + self.outreach
            + self.referral_bonus
            + self.family_doctors
            + self.campaign
            + self.appraisal
    }
}

/// The health commission's books. Its budget is whatever the policies cost: the treasury
/// covers its spending, so `appropriated` always equals `spent.total()`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Commission {
    /// Received from the treasury.
    pub appropriated: Fen,
    /// Paid out, by purpose.
    pub spent: Spending,
}

impl Commission {
    /// Records a payment of `amount` fen for `purpose` (a penalty received is a negative
    /// amount under `appraisal`); the treasury funds it.
    #[inline]
    pub fn pay(&mut self, amount: Fen, purpose: fn(&mut Spending) -> &mut Fen) {
        *purpose(&mut self.spent) += amount;
        self.appropriated += amount;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_payment_is_booked_by_purpose_and_funded() {
        let mut c = Commission::default();
        c.pay(500, |s| &mut s.subsidy);
        c.pay(300, |s| &mut s.referral_bonus);
        c.pay(-120, |s| &mut s.appraisal);
        assert_eq!(c.spent.subsidy, 500);
        assert_eq!(c.spent.referral_bonus, 300);
        assert_eq!(c.spent.appraisal, -120);
        assert_eq!(c.spent.total(), 680);
        assert_eq!(c.appropriated, c.spent.total());
    }
}
