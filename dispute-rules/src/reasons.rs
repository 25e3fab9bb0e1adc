//! Reason codes (R-R1..R-R15), solutions (R-S1..R-S3) and what the buyer
//! reports. The catalogue, suggestions, claim check and evidence checklist
//! are built on these types (issue "Reason codes, claims and evidence").

use crate::error::Collector;
use serde::{Deserialize, Serialize};

macro_rules! reasons {
    ($( $(#[$doc:meta])* $v:ident = $n:literal, $code:literal, $rule:ident, $received:literal; )+) => {
        /// A dispute reason of `RULES.md` (R-R1..R-R15), with a stable string
        /// code (JSON, Python) and a stable number (C).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[repr(u32)]
        pub enum Reason {
            $( $(#[$doc])* $v = $n ),+
        }

        impl Reason {
            /// Every reason, not-received ones first, in `RULES.md` order.
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
                "unknown reason `{s}` (see the reasons catalogue)"
            ))
        })
    }
}

/// R-S1: the two solutions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[repr(u32)]
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

/// Policy values for reasons, solutions and evidence (filled in by the
/// reasons issue).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct ReasonsPolicy {}

impl ReasonsPolicy {
    /// `RULES.md` defaults.
    pub fn aliexpress() -> Self {
        ReasonsPolicy {}
    }
    /// The appendix's legacy values.
    pub fn aliexpress_legacy() -> Self {
        ReasonsPolicy {}
    }
    pub(crate) fn check(&self, _c: &mut Collector) {}
}
