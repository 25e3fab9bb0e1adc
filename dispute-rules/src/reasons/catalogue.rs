//! The reasons catalogue: everything a host needs to build its dispute form.

use super::evidence::EvidenceNeed;
use super::interop::{self, Interop};
use super::{Group, Payer, Reason, Solution};
use crate::error::Error;
use crate::policy::Policy;
use crate::rules::Rule;
use serde::Serialize;

/// One reason, as the policy defines it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct CatalogueEntry {
    /// The reason (serialized as its code).
    pub reason: Reason,
    /// The stable number (for C).
    pub number: u32,
    /// Received or not received (002's first question).
    pub group: Group,
    /// English label.
    pub label: &'static str,
    /// The rule id that defines it (R-R1..R-R15).
    pub rule: Rule,
    /// R-S1: allowed solutions, preferred first.
    pub solutions: Vec<Solution>,
    /// R-S1, C-4: whether "refund only" may be partial.
    pub partial_refund: bool,
    /// R-S2: who pays for shipping a return by default.
    pub return_shipping_payer: Payer,
    /// Whether the seller is at fault.
    pub seller_at_fault: bool,
    /// R-V1: the supporting evidence, with weights adding up to 100.
    pub evidence: Vec<EvidenceNeed>,
    /// PayPal and card-network categories.
    pub interop: Interop,
}

/// Every reason in form order (not received first: R-R1..R-R6, R-R15; then
/// received: R-R7..R-R14), with the policy's tables.
pub fn catalogue(policy: &Policy) -> Result<Vec<CatalogueEntry>, Error> {
    Reason::FORM_ORDER
        .iter()
        .map(|r| {
            let x = policy.reasons.rules(*r)?;
            Ok(CatalogueEntry {
                reason: *r,
                number: r.number(),
                group: r.group(),
                label: r.label(),
                rule: r.rule(),
                solutions: x.solutions.clone(),
                partial_refund: x.partial_refund,
                return_shipping_payer: x.return_shipping_payer,
                seller_at_fault: x.seller_at_fault,
                evidence: x.evidence.clone(),
                interop: interop::interop(*r),
            })
        })
        .collect()
}
