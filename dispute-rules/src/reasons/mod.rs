//! Reason codes (R-R1..R-R15), solutions (R-S1..R-S3), evidence (R-V1,
//! R-V2) and what the buyer reports.
//!
//! - [`catalogue`]: every reason with its allowed solutions, return-shipping
//!   payer, fault and evidence, so a host can build its dispute form;
//! - [`suggest`]: the fitting reasons for an order and a buyer's report, best
//!   first, each with why;
//! - [`check_claim`]: a proposed [`Claim`] checked against the facts and the
//!   policy (C-4 refund cap, R-S1 solutions, R-V2 attachments, R-E9
//!   eligibility), every problem reported at once;
//! - [`checklist`]: which evidence is present, which is missing, what would
//!   help most (R-V1);
//! - [`interop`]: each reason mapped to PayPal and card-network dispute
//!   categories and, for a claim, to the marketplace open API's fields.
//!
//! Every table a marketplace could change lives in [`ReasonsPolicy`].
//!
//! ```
//! use dispute_rules::reasons::{self, BuyerReport, Reason};
//! use dispute_rules::{OrderFacts, Policy, Explain};
//!
//! let mut facts = OrderFacts::from_json(include_str!("../../tests/data/not_received.json")).unwrap();
//! facts.quantity = 18;
//! let report = BuyerReport::new().with_received(true).with_units_received(17);
//! let now = "2026-03-20T12:00:00Z".parse().unwrap();
//! let s = reasons::suggest(&facts, &report, &Policy::aliexpress(), now, Explain::No).unwrap();
//! // 003: 17 of 18 units arrived: quantity shortage first (R-R10).
//! assert_eq!(s.reasons[0].reason, Reason::ReceivedQuantityShortage);
//! ```

mod catalogue;
mod claim;
mod evidence;
pub(crate) mod exact;
pub mod interop;
mod policy;
mod suggest;

pub use catalogue::{catalogue, CatalogueEntry};
pub(crate) use claim::{
    check_amount, check_claim_with, check_currency, check_document, check_request,
    eligibility_code, return_not_full, Ask, Known,
};
pub use claim::{
    check_claim, check_claim_checked, Claim, ClaimCheck, ClaimInterop, ClaimLimits, ReasonLimits,
    RefundRelease, RefundType,
};
pub(crate) use evidence::{
    attachments_ok, build as build_checklist, check_attachments, checklist_at,
};
pub use evidence::{
    checklist, validate_attachments, Attachment, AttachmentKind, Checklist, EvidenceKind,
    EvidenceNeed, EvidenceSet,
};
pub use interop::Interop;
pub use policy::{AttachmentPolicy, FileRule, ReasonRules, ReasonsPolicy};
pub use suggest::{suggest, suggest_checked, Suggestion, Suggestions};

use serde::{Deserialize, Serialize};

macro_rules! reasons {
    ($( $(#[$doc:meta])* $v:ident = $n:literal, $code:literal, $rule:ident, $received:literal; )+) => {
        /// A dispute reason (R-R1..R-R15 of `docs/rules.md`), with a stable string
        /// code (JSON, Python) and a stable number (C).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[repr(u32)]
        #[non_exhaustive]
        pub enum Reason {
            $( $(#[$doc])* $v = $n ),+
        }

        impl Reason {
            /// Every reason, not-received ones first, in the order of the rules
            /// reference.
            pub const ALL: &'static [Reason] = &[$(Reason::$v),+];

            /// The stable string code, like `not_received.customs_hold`.
            pub const fn code(self) -> &'static str {
                match self { $(Reason::$v => $code),+ }
            }

            /// The stable number (for C).
            pub const fn number(self) -> u32 {
                self as u32
            }

            /// The rule id that defines the reason.
            pub const fn rule(self) -> crate::Rule {
                match self { $(Reason::$v => crate::Rule::$rule),+ }
            }

            /// Whether the reason is for goods the buyer received.
            pub const fn is_received(self) -> bool {
                match self { $(Reason::$v => $received),+ }
            }

            /// Parses a string code.
            pub fn from_code(code: &str) -> Option<Reason> {
                match code { $($code => Some(Reason::$v),)+ _ => None }
            }

            /// Parses a number.
            pub fn from_number(n: u32) -> Option<Reason> {
                match n { $($n => Some(Reason::$v),)+ _ => None }
            }
        }
    };
}

reasons! {
    /// R-R1: delivery taking too long; protection running out and the seller did
    /// not approve an extension.
    NotReceivedTooLong = 1, "not_received.too_long", R1, false;
    /// R-R2: the package was returned to the seller.
    NotReceivedReturnedToSeller = 2, "not_received.returned_to_seller", R2, false;
    /// R-R3: no tracking information.
    NotReceivedNoTracking = 3, "not_received.no_tracking", R3, false;
    /// R-R4: held by customs.
    NotReceivedCustomsHold = 4, "not_received.customs_hold", R4, false;
    /// R-R5: shipped to a wrong address.
    NotReceivedWrongAddress = 5, "not_received.wrong_address", R5, false;
    /// R-R6: tracking says delivered but nothing arrived.
    NotReceivedDeliveredNotReceived = 6, "not_received.delivered_not_received", R6, false;
    /// R-R7: not as described: wrong item, colour or size.
    ReceivedNotAsDescribed = 7, "received.not_as_described", R7, true;
    /// R-R8: quality problems, defects, stops working.
    ReceivedQuality = 8, "received.quality", R8, true;
    /// R-R9: arrived damaged.
    ReceivedDamaged = 9, "received.damaged", R9, true;
    /// R-R10: quantity shortage.
    ReceivedQuantityShortage = 10, "received.quantity_shortage", R10, true;
    /// R-R11: missing parts or components.
    ReceivedMissingParts = 11, "received.missing_parts", R11, true;
    /// R-R12: counterfeit.
    ReceivedCounterfeit = 12, "received.counterfeit", R12, true;
    /// R-R13: shipping method not as described.
    ReceivedShippingMethod = 13, "received.shipping_method", R13, true;
    /// R-R14: the buyer's own reasons (ordered by mistake, no longer needed).
    ReceivedBuyerRemorse = 14, "received.buyer_remorse", R14, true;
    /// R-R15: the seller did not refund after a cancellation.
    NotReceivedNoRefundAfterCancellation = 15, "not_received.no_refund_after_cancellation", R15, false;
}

impl std::fmt::Display for Reason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

impl Serialize for Reason {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

impl<'de> Deserialize<'de> for Reason {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = std::borrow::Cow::<'de, str>::deserialize(d)?;
        Reason::from_code(&s).ok_or_else(|| {
            serde::de::Error::custom(format_args!(
                "unknown reason `{}` (see the reasons catalogue)",
                crate::limits::echo(&s)
            ))
        })
    }
}

/// R-S1: the two solutions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[repr(u32)]
#[non_exhaustive]
pub enum Solution {
    /// Refund only: full when not received, partial when received and kept.
    RefundOnly = 1,
    /// Return the goods for a full refund.
    ReturnAndRefund = 2,
}

/// R-S2: who pays for shipping a return.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[repr(u32)]
#[non_exhaustive]
pub enum Payer {
    /// The seller pays (goods not as described, seller's fault).
    Seller = 1,
    /// The buyer pays (buyer's mistake).
    Buyer = 2,
}

/// What the buyer reports about the goods, beyond the order facts. Every
/// field is optional in JSON (absent means "no" or "unknown").
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
#[non_exhaustive]
pub struct BuyerReport {
    /// Did the package arrive ("Did you receive your package?", 002).
    /// `None`: infer from tracking and receipt.
    pub received: Option<bool>,
    /// Units that arrived, when fewer than ordered (R-R10).
    pub units_received: Option<u32>,
    /// Arrived damaged (R-R9).
    pub damaged: bool,
    /// Damage or misuse caused by the buyer (R-O5).
    pub damaged_by_buyer: bool,
    /// Defective or stops working (R-R8).
    pub defective: bool,
    /// Minor defects that do not stop use (R-O4).
    pub minor_defect: bool,
    /// Wrong item, colour or size (R-R7).
    pub wrong_item: bool,
    /// Parts or components missing (R-R11).
    pub missing_parts: bool,
    /// A fake of the brand (R-R12).
    pub counterfeit: bool,
    /// Another carrier or method than promised (R-R13).
    pub other_carrier: bool,
    /// Ordered by mistake, found it cheaper, no longer wanted (R-R14).
    pub no_longer_wanted: bool,
}

/// The two groups of the dispute form's first question, "Did you receive
/// your package?" (002).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[repr(u32)]
pub enum Group {
    /// Not received (R-R1..R-R6, R-R15): the refund is the full amount (C-4).
    NotReceived = 1,
    /// Received (R-R7..R-R14).
    Received = 2,
}

impl Group {
    /// Both groups, in the order of the form.
    pub const ALL: [Group; 2] = [Group::NotReceived, Group::Received];

    /// The stable string code (`not_received`, `received`).
    pub const fn code(self) -> &'static str {
        match self {
            Group::NotReceived => "not_received",
            Group::Received => "received",
        }
    }

    /// The answer to "Did you receive your package?" in English.
    pub const fn label(self) -> &'static str {
        match self {
            Group::NotReceived => "I did not receive the package",
            Group::Received => "I received the package",
        }
    }
}

impl Reason {
    /// The group of the form's first question (002).
    pub const fn group(self) -> Group {
        if self.is_received() {
            Group::Received
        } else {
            Group::NotReceived
        }
    }

    /// An English label for a dispute form.
    pub const fn label(self) -> &'static str {
        match self {
            Reason::NotReceivedTooLong => {
                "Delivery is taking too long and the seller did not extend protection"
            }
            Reason::NotReceivedReturnedToSeller => "The package was returned to the seller",
            Reason::NotReceivedNoTracking => "There is no tracking information",
            Reason::NotReceivedCustomsHold => "The package is held by customs",
            Reason::NotReceivedWrongAddress => "The package was sent to a wrong address",
            Reason::NotReceivedDeliveredNotReceived => {
                "Tracking says delivered but nothing arrived"
            }
            Reason::ReceivedNotAsDescribed => "Not as described: wrong item, colour or size",
            Reason::ReceivedQuality => "Quality problems: defective or stops working",
            Reason::ReceivedDamaged => "The item arrived damaged",
            Reason::ReceivedQuantityShortage => "Fewer units arrived than ordered",
            Reason::ReceivedMissingParts => "Parts or components are missing",
            Reason::ReceivedCounterfeit => "The item is counterfeit",
            Reason::ReceivedShippingMethod => "The shipping method was not as described",
            Reason::ReceivedBuyerRemorse => {
                "Ordered by mistake, found it cheaper or no longer needed"
            }
            Reason::NotReceivedNoRefundAfterCancellation => {
                "The order was cancelled but not refunded"
            }
        }
    }

    /// Every reason in the order of a dispute form: not received first
    /// (R-R1..R-R6, R-R15), then received (R-R7..R-R14).
    pub const FORM_ORDER: [Reason; 15] = [
        Reason::NotReceivedTooLong,
        Reason::NotReceivedReturnedToSeller,
        Reason::NotReceivedNoTracking,
        Reason::NotReceivedCustomsHold,
        Reason::NotReceivedWrongAddress,
        Reason::NotReceivedDeliveredNotReceived,
        Reason::NotReceivedNoRefundAfterCancellation,
        Reason::ReceivedNotAsDescribed,
        Reason::ReceivedQuality,
        Reason::ReceivedDamaged,
        Reason::ReceivedQuantityShortage,
        Reason::ReceivedMissingParts,
        Reason::ReceivedCounterfeit,
        Reason::ReceivedShippingMethod,
        Reason::ReceivedBuyerRemorse,
    ];

    /// Index 0..15 (number minus one), for fixed-size tables.
    pub(crate) const fn index(self) -> usize {
        (self as u32 as usize).saturating_sub(1)
    }
}

impl std::str::FromStr for Reason {
    type Err = crate::Error;

    /// Parses a string code, or a number written in decimal.
    fn from_str(s: &str) -> Result<Reason, crate::Error> {
        Reason::from_code(s)
            .or_else(|| s.parse::<u32>().ok().and_then(Reason::from_number))
            .ok_or_else(|| {
                crate::Error::InvalidRequest(crate::Problems::one(
                    "reason",
                    format!(
                        "unknown reason `{}` (see the reasons catalogue)",
                        crate::limits::echo(s)
                    ),
                ))
            })
    }
}

impl Solution {
    /// Both solutions (R-S1).
    pub const ALL: [Solution; 2] = [Solution::RefundOnly, Solution::ReturnAndRefund];

    /// The stable string code (`refund_only`, `return_and_refund`).
    pub const fn code(self) -> &'static str {
        match self {
            Solution::RefundOnly => "refund_only",
            Solution::ReturnAndRefund => "return_and_refund",
        }
    }

    /// The stable number (for C).
    pub const fn number(self) -> u32 {
        self as u32
    }

    /// Parses a string code.
    pub fn from_code(code: &str) -> Option<Solution> {
        Solution::ALL.into_iter().find(|s| s.code() == code)
    }

    /// Parses a number.
    pub fn from_number(n: u32) -> Option<Solution> {
        Solution::ALL.into_iter().find(|s| s.number() == n)
    }

    /// Whether the goods go back to the seller.
    pub const fn returns_goods(self) -> bool {
        matches!(self, Solution::ReturnAndRefund)
    }
}

impl std::fmt::Display for Solution {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

impl Payer {
    /// Both payers.
    pub const ALL: [Payer; 2] = [Payer::Seller, Payer::Buyer];

    /// The stable string code (`seller`, `buyer`).
    pub const fn code(self) -> &'static str {
        match self {
            Payer::Seller => "seller",
            Payer::Buyer => "buyer",
        }
    }

    /// The stable number (for C).
    pub const fn number(self) -> u32 {
        self as u32
    }
}

impl BuyerReport {
    /// The empty report: nothing reported (every field absent).
    pub const EMPTY: BuyerReport = BuyerReport {
        received: None,
        units_received: None,
        damaged: false,
        damaged_by_buyer: false,
        defective: false,
        minor_defect: false,
        wrong_item: false,
        missing_parts: false,
        counterfeit: false,
        other_carrier: false,
        no_longer_wanted: false,
    };

    /// The empty report, to build on (the same as [`BuyerReport::EMPTY`]):
    ///
    /// ```
    /// use dispute_rules::reasons::BuyerReport;
    ///
    /// let report = BuyerReport::new().with_received(true).with_damaged(true);
    /// assert_eq!(report.received, Some(true));
    /// assert!(report.damaged && !report.defective);
    /// ```
    pub const fn new() -> BuyerReport {
        BuyerReport::EMPTY
    }

    /// With whether the package arrived ("Did you receive your package?").
    #[must_use]
    pub const fn with_received(mut self, received: bool) -> BuyerReport {
        self.received = Some(received);
        self
    }

    /// With the units that arrived, when fewer than ordered (R-R10).
    #[must_use]
    pub const fn with_units_received(mut self, units: u32) -> BuyerReport {
        self.units_received = Some(units);
        self
    }

    /// With whether: arrived damaged (R-R9).
    #[must_use]
    pub const fn with_damaged(mut self, yes: bool) -> BuyerReport {
        self.damaged = yes;
        self
    }

    /// With whether: damage or misuse caused by the buyer (R-O5).
    #[must_use]
    pub const fn with_damaged_by_buyer(mut self, yes: bool) -> BuyerReport {
        self.damaged_by_buyer = yes;
        self
    }

    /// With whether: defective or stops working (R-R8).
    #[must_use]
    pub const fn with_defective(mut self, yes: bool) -> BuyerReport {
        self.defective = yes;
        self
    }

    /// With whether: minor defects that do not stop use (R-O4).
    #[must_use]
    pub const fn with_minor_defect(mut self, yes: bool) -> BuyerReport {
        self.minor_defect = yes;
        self
    }

    /// With whether: wrong item, colour or size (R-R7).
    #[must_use]
    pub const fn with_wrong_item(mut self, yes: bool) -> BuyerReport {
        self.wrong_item = yes;
        self
    }

    /// With whether: parts or components missing (R-R11).
    #[must_use]
    pub const fn with_missing_parts(mut self, yes: bool) -> BuyerReport {
        self.missing_parts = yes;
        self
    }

    /// With whether: a fake of the brand (R-R12).
    #[must_use]
    pub const fn with_counterfeit(mut self, yes: bool) -> BuyerReport {
        self.counterfeit = yes;
        self
    }

    /// With whether: another carrier or method than promised (R-R13).
    #[must_use]
    pub const fn with_other_carrier(mut self, yes: bool) -> BuyerReport {
        self.other_carrier = yes;
        self
    }

    /// With whether: ordered by mistake, found it cheaper, no longer wanted (R-R14).
    #[must_use]
    pub const fn with_no_longer_wanted(mut self, yes: bool) -> BuyerReport {
        self.no_longer_wanted = yes;
        self
    }

    /// Parses a report from JSON (unknown fields refused; every field
    /// optional). Errors name the field, without a prefix.
    pub fn from_json(json: &str) -> Result<BuyerReport, crate::Error> {
        crate::error::from_json(json, crate::Error::InvalidRequest)
    }

    /// Whether the report describes the goods themselves (damaged, defective,
    /// wrong, missing parts, counterfeit): only possible once they arrived.
    pub fn describes_goods(&self) -> bool {
        self.damaged
            || self.damaged_by_buyer
            || self.defective
            || self.minor_defect
            || self.wrong_item
            || self.missing_parts
            || self.counterfeit
    }

    /// Whether the goods arrived: what the buyer says, else inferred from a
    /// unit count, a receipt confirmation or tracking delivered to the
    /// buyer's address.
    pub fn received(&self, facts: &crate::OrderFacts) -> bool {
        self.received.unwrap_or_else(|| {
            self.units_received.is_some_and(|n| n > 0)
                || facts.receipt.is_some()
                || matches!(
                    facts.tracking,
                    crate::facts::Tracking::Delivered {
                        to_correct_address: true,
                        ..
                    }
                )
        })
    }

    /// Consistency with the facts; fields are named `report.…`.
    pub(crate) fn check(&self, facts: &crate::OrderFacts, c: &mut crate::error::Collector) {
        if let Some(n) = self.units_received {
            if n > facts.quantity {
                c.push(
                    "report.units_received",
                    format!(
                        "{n} units exceeds the {} ordered (facts.quantity)",
                        facts.quantity
                    ),
                );
            }
            if n > 0 && self.received == Some(false) {
                c.push(
                    "report.units_received",
                    format!("{n} units arrived but the report says the package was not received"),
                );
            }
        }
        if self.received == Some(false) && self.describes_goods() {
            c.push(
                "report.received",
                "the report says the package was not received but describes problems with the goods",
            );
        }
    }
}
