//! Selling-side rule ids (P-* PayPal, S-* Stripe and the card networks, B-*
//! eBay, A-* Amazon, H-* Shopify Payments, BB-* back-to-back) and a compact
//! set of them.
//!
//! These ids live beside the supplier-side [`Rule`] enum, not in
//! it: the supplier's [`RuleSet`] stays a 64-bit mask (the C
//! binding exposes it as a `uint64_t`), and the ~76 selling-side ids get their
//! own 128-bit [`SellingRuleSet`]. An answer that spans both sides carries a
//! [`RuleIds`], which serializes as one flat JSON list of id strings
//! (supplier ids first, in document order, then selling-side ids), exactly the
//! form every other answer uses.

use crate::rules::{Rule, RuleSet};
use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! selling_rules {
    ($( $(#[$doc:meta])* $v:ident = $s:literal ),+ $(,)?) => {
        /// A selling-side rule id (for example `P-W1`), documented in
        /// `docs/selling-side.md`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[repr(u8)]
        #[non_exhaustive]
        pub enum SellingRule {
            $( $(#[$doc])* $v ),+
        }

        impl SellingRule {
            /// Every rule, in document order.
            pub const ALL: &'static [SellingRule] = &[$(SellingRule::$v),+];

            /// The id as written in the documentation, for example `"P-W1"`.
            pub const fn id(self) -> &'static str {
                match self { $(SellingRule::$v => $s),+ }
            }

            /// Parses an id.
            pub fn from_id(id: &str) -> Option<SellingRule> {
                match id { $($s => Some(SellingRule::$v),)+ _ => None }
            }
        }
    };
}

selling_rules! {
    /// PayPal: a buyer opens a dispute within 180 days of payment.
    PW1 = "P-W1",
    /// PayPal: an inquiry lasts 20 days, then closes unless escalated.
    PW2 = "P-W2",
    /// PayPal: escalating a not-received inquiry waits 7 days from payment.
    PW3 = "P-W3",
    /// PayPal: a seller's offer lapses after 10 days without an answer.
    PW4 = "P-W4",
    /// PayPal: the inquiry stage exists only for not-received and
    /// not-as-described disputes.
    PW5 = "P-W5",
    /// PayPal: the dispute stages (inquiry, claim, pre-arbitration, arbitration).
    PL1 = "P-L1",
    /// PayPal: the platform gives the seller's deadline as an instant.
    PL3 = "P-L3",
    /// PayPal: a claim gives the seller 10 days (fallback only).
    PL4 = "P-L4",
    /// PayPal: claims are decided within about 30 days.
    PL5 = "P-L5",
    /// PayPal: the dispute reason codes.
    PR1 = "P-R1",
    /// PayPal: Seller Protection covers not received and unauthorized, not
    /// not-as-described.
    PR2 = "P-R2",
    /// PayPal: tracking to the buyer's address; a signature at high value.
    PV1 = "P-V1",
    /// PayPal: ship to the Transaction Details address.
    PV2 = "P-V2",
    /// PayPal: the evidence types of the disputes API.
    PV3 = "P-V3",
    /// PayPal: not-as-described claims usually need the item shipped back.
    PV4 = "P-V4",
    /// PayPal: the dispute fee has a standard and a high-volume tier.
    PF1 = "P-F1",
    /// PayPal: when the dispute fee is waived.
    PF2 = "P-F2",
    /// PayPal: the dispute fee amounts (no official figure found).
    PF3 = "P-F3",
    /// PayPal: Seller Protection covers the amount and waives the fee.
    PF4 = "P-F4",
    /// PayPal: an appeal within 10 days of the case closing.
    PF5 = "P-F5",
    /// PayPal: instants as given; day counts in UTC calendar days.
    PT1 = "P-T1",
    /// Card networks: about 120 days to file, in general.
    SN1 = "S-N1",
    /// Visa 13.1 (not received): 120 days from the later of processing and
    /// expected delivery, at most 540; 15 days' wait without a delivery date.
    SN2 = "S-N2",
    /// Visa 13.3 (not as described): 120 days from the later of processing
    /// and delivery, at most 540.
    SN3 = "S-N3",
    /// Mastercard: 120 days; codes 4853 and 4855.
    SN4 = "S-N4",
    /// Stripe: the evidence due instant (`due_by`); none when the issuer
    /// allows no response.
    SL1 = "S-L1",
    /// Card processors: 7 days as a conservative response fallback.
    SL2 = "S-L2",
    /// Card networks: the issuer decides up to 75 days after the evidence.
    SL5 = "S-L5",
    /// Stripe: the dispute reason codes.
    SR1 = "S-R1",
    /// Stripe: reason categories and the Visa codes behind them.
    SR2 = "S-R2",
    /// Stripe: the evidence fields for physical goods.
    SV1 = "S-V1",
    /// Card disputes: what wins (tracking with delivery; description).
    SV2 = "S-V2",
    /// Card disputes: a full refund before a dispute prevents it and its fee.
    SV3 = "S-V3",
    /// Stripe: the dispute fee.
    SF1 = "S-F1",
    /// Stripe: the counter fee, returned on a win.
    SF2 = "S-F2",
    /// Stripe: the dispute fee is kept on a win (conflicting sources).
    SF3 = "S-F3",
    /// Card networks: `due_by` is an instant; day counts in UTC.
    ST1 = "S-T1",
    /// eBay: not received, from the day after the latest estimated delivery
    /// date to 30 days after it.
    BW1 = "B-W1",
    /// eBay: not as described, within 30 days of delivery.
    BW2 = "B-W2",
    /// eBay: the seller has 3 business days, then eBay can step in.
    BL1 = "B-L1",
    /// eBay: decides about 48 hours after stepping in.
    BL2 = "B-L2",
    /// eBay: a request idle for more than 21 business days closes.
    BL3 = "B-L3",
    /// eBay: a refund offered must be issued within 2 business days.
    BL4 = "B-L4",
    /// eBay: delivery after the request closes it within 24 hours.
    BL5 = "B-L5",
    /// eBay: business days skip weekends and public holidays (UK: bank
    /// holidays).
    BL6 = "B-L6",
    /// eBay: payment disputes give 5 calendar days; they close the
    /// Money Back Guarantee case.
    BL7 = "B-L7",
    /// eBay: the reason codes.
    BR1 = "B-R1",
    /// eBay: seller protection on not received (tracking, signature
    /// thresholds).
    BV1 = "B-V1",
    /// eBay: payment-dispute evidence.
    BV2 = "B-V2",
    /// eBay: the guarantee covers price plus original shipping.
    BF1 = "B-F1",
    /// eBay: an appeal within 30 days of the case closing.
    BF2 = "B-F2",
    /// eBay: the payment-dispute fee, when contested and lost.
    BF3 = "B-F3",
    /// eBay: instants are UTC; US business days skip federal holidays
    /// (assumed).
    BT1 = "B-T1",
    /// Amazon: a not-received claim from 3 days after the latest estimated
    /// delivery date, or delivery, whichever is sooner.
    AW1 = "A-W1",
    /// Amazon: claims up to 90 days after the latest estimated delivery date.
    AW2 = "A-W2",
    /// Amazon: contact the seller first and wait 48 hours.
    AW3 = "A-W3",
    /// Amazon: a chargeback ends A-to-z eligibility.
    AW4 = "A-W4",
    /// Amazon: 72 hours to answer, else the claim is granted.
    AL1 = "A-L1",
    /// Amazon: 48 hours to answer an information request.
    AL2 = "A-L2",
    /// Amazon: an appeal within 30 days of a granted claim.
    AL3 = "A-L3",
    /// Amazon: 7 calendar days to answer a card chargeback.
    AL4 = "A-L4",
    /// Amazon: the evidence for delivery and chargebacks.
    AV1 = "A-V1",
    /// Amazon: a granted claim debits its amount; no fee found.
    AF1 = "A-F1",
    /// Amazon: hour clocks are instants; day counts in UTC.
    AT1 = "A-T1",
    /// Shopify Payments: the evidence due date is a date (no time).
    HL1 = "H-L1",
    /// Shopify Payments: evidence is submitted automatically on the due date.
    HL2 = "H-L2",
    /// Shopify Payments: a chargeback takes the amount and fee at once;
    /// review up to 75 days.
    HL3 = "H-L3",
    /// Shopify Payments: the dispute reason codes.
    HR1 = "H-R1",
    /// Shopify Payments: the evidence the API names.
    HV1 = "H-V1",
    /// Shopify Payments: the chargeback fee per country.
    HF1 = "H-F1",
    /// Shopify Payments: a due date is read as 00:00 UTC at its start.
    HT1 = "H-T1",
    /// Back-to-back: the two sides count from different anchors.
    BB1 = "BB-1",
    /// Back-to-back: the exposure gap between the last customer filing and
    /// the last supplier dispute.
    BB2 = "BB-2",
    /// Back-to-back: the binding deadline is the earliest of the seller's.
    BB3 = "BB-3",
    /// Back-to-back: a platform-given instant always wins over a computed one.
    BB4 = "BB-4",
    /// Back-to-back: selling-side day counts in UTC unless documented.
    BB5 = "BB-5",
}

impl fmt::Display for SellingRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

impl Serialize for SellingRule {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.id())
    }
}

impl<'de> Deserialize<'de> for SellingRule {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = std::borrow::Cow::<'de, str>::deserialize(d)?;
        SellingRule::from_id(&s)
            .ok_or_else(|| serde::de::Error::custom(format_args!("unknown rule id `{s}`")))
    }
}

/// A set of [`SellingRule`]s, stored as a 128-bit mask (no allocation).
/// Iterates and serializes in document order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct SellingRuleSet(u128);

impl SellingRuleSet {
    /// The empty set.
    pub const EMPTY: SellingRuleSet = SellingRuleSet(0);

    const fn bit(rule: SellingRule) -> u128 {
        1u128 << (rule as u8)
    }

    /// A set holding the given rules.
    pub const fn of(rules: &[SellingRule]) -> SellingRuleSet {
        let mut bits = 0u128;
        let mut i = 0;
        while i < rules.len() {
            // `rules[i]` is in bounds: `i < rules.len()` (const fn: no iterators)
            #[allow(clippy::indexing_slicing)]
            let r = rules[i];
            bits |= SellingRuleSet::bit(r);
            i += 1;
        }
        SellingRuleSet(bits)
    }

    /// Adds a rule.
    pub fn insert(&mut self, rule: SellingRule) {
        self.0 |= SellingRuleSet::bit(rule);
    }

    /// Adds every rule of `other`.
    pub fn extend(&mut self, other: SellingRuleSet) {
        self.0 |= other.0;
    }

    /// Whether the set holds `rule`.
    pub const fn contains(self, rule: SellingRule) -> bool {
        self.0 & SellingRuleSet::bit(rule) != 0
    }

    /// Number of rules in the set.
    pub const fn len(self) -> usize {
        self.0.count_ones() as usize
    }

    /// Whether the set is empty.
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The rules, in document order.
    pub fn iter(self) -> impl Iterator<Item = SellingRule> {
        SellingRule::ALL
            .iter()
            .copied()
            .filter(move |r| self.contains(*r))
    }

    /// The rule ids as strings, in document order.
    pub fn ids(self) -> Vec<&'static str> {
        self.iter().map(SellingRule::id).collect()
    }
}

impl FromIterator<SellingRule> for SellingRuleSet {
    fn from_iter<I: IntoIterator<Item = SellingRule>>(iter: I) -> Self {
        let mut s = SellingRuleSet::EMPTY;
        for r in iter {
            s.insert(r);
        }
        s
    }
}

impl Serialize for SellingRuleSet {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

/// A rule id of either side: a supplier-side [`Rule`] (`R-E5`) or a
/// selling-side [`SellingRule`] (`P-W1`). Serializes as the id string.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AnyRule {
    /// A supplier-side rule.
    Supplier(Rule),
    /// A selling-side rule.
    Selling(SellingRule),
}

impl AnyRule {
    /// The id string.
    pub const fn id(self) -> &'static str {
        match self {
            AnyRule::Supplier(r) => r.id(),
            AnyRule::Selling(r) => r.id(),
        }
    }

    /// Parses an id of either side.
    pub fn from_id(id: &str) -> Option<AnyRule> {
        Rule::from_id(id)
            .map(AnyRule::Supplier)
            .or_else(|| SellingRule::from_id(id).map(AnyRule::Selling))
    }
}

impl From<Rule> for AnyRule {
    fn from(r: Rule) -> Self {
        AnyRule::Supplier(r)
    }
}

impl From<SellingRule> for AnyRule {
    fn from(r: SellingRule) -> Self {
        AnyRule::Selling(r)
    }
}

impl fmt::Display for AnyRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

impl Serialize for AnyRule {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.id())
    }
}

/// The rules of both sides that produced an answer. Serializes as one flat
/// list of ids: supplier-side ids in document order, then selling-side ids.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct RuleIds {
    /// Supplier-side rules (C-*, R-*).
    pub supplier: RuleSet,
    /// Selling-side rules (P-*, S-*, B-*, A-*, H-*, BB-*).
    pub selling: SellingRuleSet,
}

impl RuleIds {
    /// No rules.
    pub const EMPTY: RuleIds = RuleIds {
        supplier: RuleSet::EMPTY,
        selling: SellingRuleSet::EMPTY,
    };

    /// Adds a rule of either side.
    pub fn insert(&mut self, rule: impl Into<AnyRule>) {
        match rule.into() {
            AnyRule::Supplier(r) => self.supplier.insert(r),
            AnyRule::Selling(r) => self.selling.insert(r),
        }
    }

    /// Adds every rule of `other`.
    pub fn extend(&mut self, other: RuleIds) {
        self.supplier.extend(other.supplier);
        self.selling.extend(other.selling);
    }

    /// Whether the set holds `rule`.
    pub fn contains(&self, rule: impl Into<AnyRule>) -> bool {
        match rule.into() {
            AnyRule::Supplier(r) => self.supplier.contains(r),
            AnyRule::Selling(r) => self.selling.contains(r),
        }
    }

    /// Every id, supplier side first.
    pub fn ids(&self) -> Vec<&'static str> {
        let mut v = self.supplier.ids();
        v.extend(self.selling.ids());
        v
    }

    /// Whether no rule is held.
    pub const fn is_empty(&self) -> bool {
        self.supplier.is_empty() && self.selling.is_empty()
    }
}

impl From<SellingRuleSet> for RuleIds {
    fn from(selling: SellingRuleSet) -> Self {
        RuleIds {
            supplier: RuleSet::EMPTY,
            selling,
        }
    }
}

impl Serialize for RuleIds {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(
            self.supplier
                .iter()
                .map(AnyRule::Supplier)
                .chain(self.selling.iter().map(AnyRule::Selling)),
        )
    }
}

/// One step of a selling-side explanation: the rule applied (of either side)
/// and what it said. Same JSON shape as [`crate::explain::Step`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Step {
    /// The rule applied.
    pub rule: AnyRule,
    /// What it said for these facts.
    pub text: String,
}

/// Collects explanation steps only when asked to (the text closure never
/// runs otherwise).
#[derive(Debug)]
pub(crate) struct Steps {
    on: bool,
    steps: Vec<Step>,
}

impl Steps {
    pub(crate) const fn new(explain: crate::Explain) -> Self {
        Steps {
            on: matches!(explain, crate::Explain::Yes),
            steps: Vec::new(),
        }
    }

    pub(crate) fn step(&mut self, rule: impl Into<AnyRule>, text: impl FnOnce() -> String) {
        if self.on {
            self.steps.push(Step {
                rule: rule.into(),
                text: text(),
            });
        }
    }

    pub(crate) fn finish(self) -> Option<Vec<Step>> {
        self.on.then_some(self.steps)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_fit_the_mask_and_do_not_collide() {
        assert!(SellingRule::ALL.len() <= 128);
        for r in SellingRule::ALL {
            assert_eq!(SellingRule::from_id(r.id()), Some(*r));
            assert_eq!(
                Rule::from_id(r.id()),
                None,
                "{r} collides with a supplier id"
            );
            assert_eq!(AnyRule::from_id(r.id()), Some(AnyRule::Selling(*r)));
        }
        for r in Rule::ALL {
            assert_eq!(AnyRule::from_id(r.id()), Some(AnyRule::Supplier(*r)));
        }
        assert_eq!(SellingRule::from_id("P-X9"), None);
        // The last id uses a bit above 64: the set really is wider.
        let last = *SellingRule::ALL.last().unwrap();
        assert!(last as u8 >= 64);
        assert!(SellingRuleSet::of(&[last]).contains(last));
    }

    #[test]
    fn combined_ids_list_supplier_side_first_in_document_order() {
        let mut ids = RuleIds::EMPTY;
        ids.insert(SellingRule::BB3);
        ids.insert(Rule::E5);
        ids.insert(SellingRule::PW1);
        ids.insert(Rule::C1);
        assert_eq!(ids.ids(), ["C-1", "R-E5", "P-W1", "BB-3"]);
        assert_eq!(
            serde_json::to_string(&ids).unwrap(),
            r#"["C-1","R-E5","P-W1","BB-3"]"#
        );
        assert!(ids.contains(Rule::E5) && !ids.contains(SellingRule::PW2));
        let s: SellingRuleSet = [SellingRule::HT1, SellingRule::AW1].into_iter().collect();
        assert_eq!(s.ids(), ["A-W1", "H-T1"]);
        assert_eq!(s.len(), 2);
    }
}
