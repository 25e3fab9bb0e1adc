//! Rule ids ([`Rule`]), a compact set of them ([`RuleSet`]), and the rules
//! reference that defines every id.
//!
//! Every answer of the engine carries the [`RuleSet`] of the rules that
//! produced it, so a user can trace a decision back to its source.
//! A [`RuleSet`] is a 64-bit set: carrying it costs no allocation.
//!
//! Every id (`C-1`, `R-E1`, ...) is defined in the project's rules reference,
//! `docs/rules.md` (in the repository and in the crate package), reproduced
//! below: what the rule says, the public sources behind it, where they
//! disagree, and the default each preset adopts.
//!
#![doc = include_str!("../docs/rules.md")]

use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! rules {
    ($( $(#[$doc:meta])* $v:ident = $s:literal ),+ $(,)?) => {
        /// A rule id of the rules reference, `docs/rules.md` (for example `R-E1`).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[repr(u8)]
        #[non_exhaustive]
        pub enum Rule {
            $( $(#[$doc])* $v ),+
        }

        impl Rule {
            /// Every rule, in the order of the rules reference.
            pub const ALL: &'static [Rule] = &[$(Rule::$v),+];

            /// The id as written in the rules reference, for example `"R-E1"`.
            pub const fn id(self) -> &'static str {
                match self { $(Rule::$v => $s),+ }
            }

            /// Parses an id as written in the rules reference.
            pub fn from_id(id: &str) -> Option<Rule> {
                match id { $($s => Some(Rule::$v),)+ _ => None }
            }
        }
    };
}

rules! {
    /// Marketplace time: calendar-day arithmetic in the policy's zone.
    C1 = "C-1",
    /// Money is exact decimals with a currency.
    C2 = "C-2",
    /// One dispute per product line.
    C3 = "C-3",
    /// Refund cap: price plus shipping; full amount when not received.
    C4 = "C-4",
    /// Earliest opening: the Nth day after shipment, or confirmed receipt.
    E1 = "R-E1",
    /// Protection window by shipping method, listing promise wins.
    E2 = "R-E2",
    /// Window after confirmed receipt.
    E3 = "R-E3",
    /// Confirmation timeout ends protection.
    E4 = "R-E4",
    /// Protection extension requests.
    E5 = "R-E5",
    /// One open dispute per line.
    E6 = "R-E6",
    /// Closed by agreement is final.
    E7 = "R-E7",
    /// Cancel and reopen.
    E8 = "R-E8",
    /// Stable ineligibility codes and their precedence.
    E9 = "R-E9",
    /// Not received: delivery taking too long.
    R1 = "R-R1",
    /// Not received: package returned to the seller.
    R2 = "R-R2",
    /// Not received: no tracking information.
    R3 = "R-R3",
    /// Not received: held by customs.
    R4 = "R-R4",
    /// Not received: shipped to a wrong address.
    R5 = "R-R5",
    /// Not received: tracking says delivered.
    R6 = "R-R6",
    /// Received: not as described.
    R7 = "R-R7",
    /// Received: quality problems.
    R8 = "R-R8",
    /// Received: arrived damaged.
    R9 = "R-R9",
    /// Received: quantity shortage.
    R10 = "R-R10",
    /// Received: missing parts.
    R11 = "R-R11",
    /// Received: counterfeit.
    R12 = "R-R12",
    /// Received: shipping method not as described.
    R13 = "R-R13",
    /// Received: buyer's own reasons.
    R14 = "R-R14",
    /// Seller did not refund after a cancellation.
    R15 = "R-R15",
    /// Solutions: refund only or return goods.
    S1 = "R-S1",
    /// Who pays return shipping.
    S2 = "R-S2",
    /// Refund for a return once the seller confirms receipt.
    S3 = "R-S3",
    /// Evidence by reason.
    V1 = "R-V1",
    /// Attachment formats and sizes.
    V2 = "R-V2",
    /// Seller response window.
    L1 = "R-L1",
    /// Seller ignores the dispute.
    L2 = "R-L2",
    /// Negotiation.
    L3 = "R-L3",
    /// Platform review.
    L4 = "R-L4",
    /// Appeal.
    L5 = "R-L5",
    /// Refund timing and destination.
    L6 = "R-L6",
    /// Beyond the platform: chargeback.
    L7 = "R-L7",
    /// Outcome: full refund.
    O1 = "R-O1",
    /// Outcome: full refund with return, seller pays shipping.
    O2 = "R-O2",
    /// Outcome: full refund with return, buyer pays shipping.
    O3 = "R-O3",
    /// Outcome: partial refund.
    O4 = "R-O4",
    /// Outcome: no refund.
    O5 = "R-O5",
    /// Outcome depends on claim, evidence, behaviour and value.
    O6 = "R-O6",
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

impl Serialize for Rule {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.id())
    }
}

impl<'de> Deserialize<'de> for Rule {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = std::borrow::Cow::<'de, str>::deserialize(d)?;
        Rule::from_id(&s)
            .ok_or_else(|| serde::de::Error::custom(format_args!("unknown rule id `{s}`")))
    }
}

/// A set of [`Rule`]s, stored as a 64-bit mask (no allocation).
///
/// Iterates and serializes in the order of the rules reference.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct RuleSet(u64);

impl RuleSet {
    /// The empty set.
    pub const EMPTY: RuleSet = RuleSet(0);

    /// A set holding the given rules.
    pub const fn of(rules: &[Rule]) -> RuleSet {
        let mut bits = 0u64;
        let mut i = 0;
        while i < rules.len() {
            // `rules[i]` is in bounds: `i < rules.len()` (const fn: no iterators)
            #[allow(clippy::indexing_slicing)]
            let r = rules[i];
            bits |= 1u64 << (r as u8);
            i += 1;
        }
        RuleSet(bits)
    }

    /// Adds a rule.
    pub fn insert(&mut self, rule: Rule) {
        self.0 |= 1u64 << (rule as u8);
    }

    /// Adds a rule, by value.
    #[must_use]
    pub const fn with(self, rule: Rule) -> RuleSet {
        RuleSet(self.0 | (1u64 << (rule as u8)))
    }

    /// Adds every rule of `other`.
    pub fn extend(&mut self, other: RuleSet) {
        self.0 |= other.0;
    }

    /// Whether the set holds `rule`.
    pub const fn contains(self, rule: Rule) -> bool {
        self.0 & (1u64 << (rule as u8)) != 0
    }

    /// Number of rules in the set.
    pub const fn len(self) -> usize {
        self.0.count_ones() as usize
    }

    /// Whether the set is empty.
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The rules, in the order of the rules reference.
    pub fn iter(self) -> impl Iterator<Item = Rule> {
        Rule::ALL.iter().copied().filter(move |r| self.contains(*r))
    }

    /// The rule ids as strings, in the order of the rules reference.
    pub fn ids(self) -> Vec<&'static str> {
        self.iter().map(Rule::id).collect()
    }
}

impl FromIterator<Rule> for RuleSet {
    fn from_iter<I: IntoIterator<Item = Rule>>(iter: I) -> Self {
        let mut s = RuleSet::EMPTY;
        for r in iter {
            s.insert(r);
        }
        s
    }
}

impl Serialize for RuleSet {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

impl<'de> Deserialize<'de> for RuleSet {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = Vec::<Rule>::deserialize(d)?;
        Ok(v.into_iter().collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_and_fit_in_the_mask() {
        assert!(Rule::ALL.len() <= 64);
        for r in Rule::ALL {
            assert_eq!(Rule::from_id(r.id()), Some(*r));
        }
        assert_eq!(Rule::from_id("R-X1"), None);
    }

    #[test]
    fn set_keeps_document_order() {
        let s: RuleSet = [Rule::E9, Rule::C1, Rule::E1].into_iter().collect();
        assert_eq!(s.ids(), vec!["C-1", "R-E1", "R-E9"]);
        assert_eq!(
            serde_json::to_string(&s).ok().as_deref(),
            Some(r#"["C-1","R-E1","R-E9"]"#)
        );
        assert!(s.contains(Rule::E1) && !s.contains(Rule::E2));
    }
}
