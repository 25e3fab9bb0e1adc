//! `ALL`: every variant of the public code enums, for bindings and tools
//! that list a type's codes (a Python enum, a column dictionary). The enums
//! are `#[non_exhaustive]`, so code outside this crate cannot match them
//! exhaustively; each list here is checked by an exhaustive match instead,
//! and a new variant fails to compile until it is listed.

use crate::backtoback::{ActionKind as BackToBackAction, RouteState, Side};
use crate::eligibility::{ActionKind, Status};
use crate::lifecycle::{DeadlineKind, RefundDestination, State};
use crate::outcome::{Confidence, Timeliness};
use crate::reasons::{RefundRelease, RefundType};
use crate::selling::policy::{
    Charged, Confidence as SourceConfidence, Family, FeeKind, Grade, Network, Waiver,
};
use crate::selling::timeline::{Milestone as SellerMilestone, Origin, SellerActionKind};
use crate::timeline::Milestone;

macro_rules! all {
    ($t:ident: $($v:ident),+ $(,)?) => {
        impl $t {
            /// Every variant, in declaration order.
            pub const ALL: &'static [$t] = &[$($t::$v),+];
        }
        const _: () = {
            #[allow(dead_code)]
            fn exhaustive(x: $t) {
                match x {
                    $($t::$v)|+ => {}
                }
            }
        };
    };
}

all!(Status: Eligible, NotYet, Closed, Blocked);
all!(ActionKind: OpenDispute, RequestExtension,
    OpenDisputeIfExtensionNotApproved, FollowOpenDispute, ConsiderChargeback);
all!(Milestone: Shipped, ReceiptConfirmed, ExtensionRequested, ExtensionWaitEnds,
    DisputeWindowOpens, ExtensionRequestDeadline, ProtectionEnds, ExtendedProtectionEnds,
    DeliveredCutEnds, ConfirmationWindowEnds, DisputeWindowCloses);
all!(Confidence: Low, Medium, High);
all!(Timeliness: InTime, NotYet, Late, Barred);
all!(RefundType: Full, Partial);
all!(RefundRelease: OnResolution, OnSellerConfirmingReturn);
all!(RefundDestination: OriginalPaymentMethod, AlipayAccount);
all!(DeadlineKind: SellerResponse, RefundDue, TurnLapse, NoAgreement,
    ReturnShipment, ReturnReceipt, DecisionDue, AppealWindow, AppealRuling, ReopenWindow);
all!(Family: NotReceived, NotAsDescribed, CreditNotProcessed, Unauthorized, Other);
all!(Network: Visa, Mastercard, Amex, Discover);
all!(Grade: Official, Mirror, ThirdParty, Unsourced);
all!(SourceConfidence: High, Medium, Low, Assumption);
all!(Origin: Fact, Platform, Computed);
all!(SellerMilestone: Paid, FilingWindowOpens, FilingWindowCloses,
    DisputeOpened, StageStarted, SellerResponse, EscalationOpens, EscalationCloses,
    PlatformDecision, IdleClose, DeliveryCloses, OfferMade, OfferLapses, RefundDue, CaseClosed,
    AppealCloses);
all!(SellerActionKind: Respond, ResolveBeforeEscalation, IssueRefund, Appeal,
    ContestLateFiling, NoResponsePossible);
all!(FeeKind: Dispute, Chargeback, Counter);
all!(Charged: OnOpening, WhenContested, WhenLost, WhenContestedAndLost, AfterDecision);
all!(Waiver: NotEscalated, ResolvedBetweenParties, Unauthorized, SellerProtection,
    AmountBelowTwiceFee, Won, RefundedBeforeDispute);
all!(Side: Customer, Supplier);
all!(RouteState: Open, NotYetOpen, Closed, DisputeOpen, Refunded, NotShipped,
    NotApplicable);
all!(BackToBackAction: RequestSupplierExtension,
    OpenSupplierDispute, OpenSupplierDisputeIfExtensionNotApproved, FollowSupplierDispute,
    ConsiderSupplierChargeback, RespondToCustomer, ResolveBeforeEscalation, IssueRefund, Appeal,
    ContestLateFiling, NoResponsePossible);

impl State {
    /// The name of every state ([`State::name`]), in declaration order.
    pub const NAMES: &'static [&'static str] = &[
        "awaiting_seller",
        "seller_accepted",
        "negotiating",
        "awaiting_return_shipment",
        "awaiting_return_receipt",
        "under_review",
        "decided",
        "appealed",
        "resolved",
        "cancelled",
        "closed_for_good",
    ];
}

const _: () = {
    #[allow(dead_code)]
    fn exhaustive(x: State) {
        match x {
            State::AwaitingSeller { .. }
            | State::SellerAccepted { .. }
            | State::Negotiating { .. }
            | State::AwaitingReturnShipment { .. }
            | State::AwaitingReturnReceipt { .. }
            | State::UnderReview { .. }
            | State::Decided { .. }
            | State::Appealed { .. }
            | State::Resolved { .. }
            | State::Cancelled { .. }
            | State::ClosedForGood { .. } => {}
        }
    }
};

#[cfg(test)]
mod tests {
    use super::*;

    /// The lists hold each variant once, in declaration order, and the
    /// state names are the states' own names.
    #[test]
    fn lists_are_complete_and_ordered() {
        fn distinct<T: PartialEq>(all: &[T]) -> bool {
            all.iter().enumerate().all(|(i, a)| !all[..i].contains(a))
        }
        assert!(distinct(Status::ALL) && Status::ALL.len() == 4);
        assert!(distinct(Milestone::ALL) && Milestone::ALL.len() == 11);
        assert!(distinct(SellerMilestone::ALL) && SellerMilestone::ALL.len() == 16);
        assert!(distinct(BackToBackAction::ALL));
        assert!(distinct(State::NAMES));
        assert_eq!(State::NAMES.len(), 11);
        assert_eq!(State::NAMES[0], "awaiting_seller");
    }
}
