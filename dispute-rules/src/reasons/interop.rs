//! Interoperability: each reason mapped to a payment processor's and the card
//! networks' dispute categories, and a claim to the marketplace open API's
//! refund fields (appendix of `docs/rules.md`), so a host can file a chargeback
//! (R-L7) or reconcile with a processor.
//!
//! The mapping is one static table ([`TABLE`]): what a reason *means* does not
//! change with the marketplace's policy, and neither do the networks'
//! categories. The appendix gives no per-reason open-API reason names; it
//! gives the refund fields `issueRefundType` and `isReturnGoods`, mapped per
//! claim by [`open_api_refund_type`] and [`open_api_return_goods`].
//!
//! Where a network has a more precise category than not-received /
//! not-as-described, the table uses it: counterfeit goods are Visa 13.4, a
//! refund that never came after a cancellation is PayPal
//! `CREDIT_NOT_PROCESSED` and Visa 13.6. The buyer's own reasons (R-R14) are
//! no ground for a chargeback (appendix: buyer remorse is not covered), so
//! they map to nothing.

use super::{Reason, RefundType, Solution};
use serde::Serialize;

/// PayPal dispute reason: merchandise or service not received.
pub const PAYPAL_NOT_RECEIVED: &str = "MERCHANDISE_OR_SERVICE_NOT_RECEIVED";
/// PayPal dispute reason: merchandise or service not as described.
pub const PAYPAL_NOT_AS_DESCRIBED: &str = "MERCHANDISE_OR_SERVICE_NOT_AS_DESCRIBED";
/// PayPal dispute reason: a credit (refund) was not processed.
pub const PAYPAL_CREDIT_NOT_PROCESSED: &str = "CREDIT_NOT_PROCESSED";

/// A card network's dispute category: its code and name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[non_exhaustive]
pub struct CardCategory {
    /// The network's code, like `13.1` or `4853`.
    pub code: &'static str,
    /// The network's name for it.
    pub name: &'static str,
}

/// Visa 13.1: merchandise or services not received.
pub const VISA_NOT_RECEIVED: CardCategory = CardCategory {
    code: "13.1",
    name: "Merchandise/Services Not Received",
};
/// Visa 13.3: not as described or defective merchandise.
pub const VISA_NOT_AS_DESCRIBED: CardCategory = CardCategory {
    code: "13.3",
    name: "Not as Described or Defective Merchandise/Services",
};
/// Visa 13.4: counterfeit merchandise.
pub const VISA_COUNTERFEIT: CardCategory = CardCategory {
    code: "13.4",
    name: "Counterfeit Merchandise",
};
/// Visa 13.6: credit not processed.
pub const VISA_CREDIT_NOT_PROCESSED: CardCategory = CardCategory {
    code: "13.6",
    name: "Credit Not Processed",
};
/// Mastercard 4853: cardholder dispute (goods not received, not as
/// described, defective, counterfeit, credit not processed).
pub const MASTERCARD_CARDHOLDER_DISPUTE: CardCategory = CardCategory {
    code: "4853",
    name: "Cardholder Dispute",
};

/// Where one reason maps outside the marketplace (`None`: no such dispute).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[non_exhaustive]
pub struct Interop {
    /// The reason.
    pub reason: Reason,
    /// PayPal's dispute reason.
    pub paypal: Option<&'static str>,
    /// Visa's dispute condition.
    pub visa: Option<CardCategory>,
    /// Mastercard's reason code.
    pub mastercard: Option<CardCategory>,
}

const fn row(reason: Reason, paypal: &'static str, visa: CardCategory) -> Interop {
    Interop {
        reason,
        paypal: Some(paypal),
        visa: Some(visa),
        mastercard: Some(MASTERCARD_CARDHOLDER_DISPUTE),
    }
}

/// The mapping, one row per reason in number order (R-R1..R-R15).
pub const TABLE: [Interop; 15] = [
    row(
        Reason::NotReceivedTooLong,
        PAYPAL_NOT_RECEIVED,
        VISA_NOT_RECEIVED,
    ),
    row(
        Reason::NotReceivedReturnedToSeller,
        PAYPAL_NOT_RECEIVED,
        VISA_NOT_RECEIVED,
    ),
    row(
        Reason::NotReceivedNoTracking,
        PAYPAL_NOT_RECEIVED,
        VISA_NOT_RECEIVED,
    ),
    row(
        Reason::NotReceivedCustomsHold,
        PAYPAL_NOT_RECEIVED,
        VISA_NOT_RECEIVED,
    ),
    row(
        Reason::NotReceivedWrongAddress,
        PAYPAL_NOT_RECEIVED,
        VISA_NOT_RECEIVED,
    ),
    row(
        Reason::NotReceivedDeliveredNotReceived,
        PAYPAL_NOT_RECEIVED,
        VISA_NOT_RECEIVED,
    ),
    row(
        Reason::ReceivedNotAsDescribed,
        PAYPAL_NOT_AS_DESCRIBED,
        VISA_NOT_AS_DESCRIBED,
    ),
    row(
        Reason::ReceivedQuality,
        PAYPAL_NOT_AS_DESCRIBED,
        VISA_NOT_AS_DESCRIBED,
    ),
    row(
        Reason::ReceivedDamaged,
        PAYPAL_NOT_AS_DESCRIBED,
        VISA_NOT_AS_DESCRIBED,
    ),
    row(
        Reason::ReceivedQuantityShortage,
        PAYPAL_NOT_AS_DESCRIBED,
        VISA_NOT_AS_DESCRIBED,
    ),
    row(
        Reason::ReceivedMissingParts,
        PAYPAL_NOT_AS_DESCRIBED,
        VISA_NOT_AS_DESCRIBED,
    ),
    row(
        Reason::ReceivedCounterfeit,
        PAYPAL_NOT_AS_DESCRIBED,
        VISA_COUNTERFEIT,
    ),
    row(
        Reason::ReceivedShippingMethod,
        PAYPAL_NOT_AS_DESCRIBED,
        VISA_NOT_AS_DESCRIBED,
    ),
    Interop {
        reason: Reason::ReceivedBuyerRemorse,
        paypal: None,
        visa: None,
        mastercard: None,
    },
    row(
        Reason::NotReceivedNoRefundAfterCancellation,
        PAYPAL_CREDIT_NOT_PROCESSED,
        VISA_CREDIT_NOT_PROCESSED,
    ),
];

/// The row for `reason`.
pub fn interop(reason: Reason) -> Interop {
    TABLE.get(reason.index()).copied().unwrap_or(Interop {
        reason,
        paypal: None,
        visa: None,
        mastercard: None,
    })
}

/// The open API's `issueRefundType` for a refund (appendix):
/// `full_amount_refund` or `part_amount_refund`.
pub const fn open_api_refund_type(t: RefundType) -> &'static str {
    match t {
        RefundType::Full => "full_amount_refund",
        RefundType::Partial => "part_amount_refund",
    }
}

/// The open API's `isReturnGoods` for a solution (appendix): `Y` or `N`.
pub const fn open_api_return_goods(s: Solution) -> &'static str {
    if s.returns_goods() {
        "Y"
    } else {
        "N"
    }
}
