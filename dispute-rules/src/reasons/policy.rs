//! [`ReasonsPolicy`]: every table of reasons, solutions and evidence that a
//! marketplace could change (R-S1, R-S2, R-V1, R-V2, C-4).

use super::evidence::{EvidenceKind as K, EvidenceNeed};
use super::{Group, Payer, Reason, Solution};
use crate::error::{Collector, Error, Problems};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What the policy says about one reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct ReasonRules {
    /// R-S1: the solutions the buyer may ask for, preferred first (at least
    /// one; `return_and_refund` only for received goods).
    pub solutions: Vec<Solution>,
    /// R-S1, C-4: whether "refund only" may be partial (received and kept).
    /// Default: false for every not-received reason (C-4: the full amount,
    /// 002), true for received ones except buyer's remorse.
    pub partial_refund: bool,
    /// R-S2: who pays for shipping a return. Default by fault (001): the
    /// seller when at fault, the buyer otherwise; legacy: the buyer (000).
    pub return_shipping_payer: Payer,
    /// Whether the seller is at fault (R-S2, R-O1..R-O5).
    pub seller_at_fault: bool,
    /// R-V1: the evidence that supports the reason; weights add up to 100.
    pub evidence: Vec<EvidenceNeed>,
}

/// Accepted formats and size for one kind of file (R-V2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileRule {
    /// Accepted formats (lowercase extensions without the dot); `null`
    /// accepts any format.
    pub formats: Option<Vec<String>>,
    /// Largest accepted size in bytes (inclusive).
    pub max_bytes: u64,
}

/// Attachment limits (R-V2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct AttachmentPolicy {
    /// R-V2: images: jpg, jpeg, bmp, gif, png, at most 2 MB each (002, 003),
    /// read as 2 MiB = 2097152 bytes.
    pub image: FileRule,
    /// R-V2: videos at most 200 MB (003), read as 200 MiB = 209715200 bytes;
    /// the sources name no formats, so any format (`null`).
    pub video: FileRule,
    /// Documents (PDF and the like); `null`: not accepted. Default `null`
    /// (the sources mention only pictures and video).
    pub document: Option<FileRule>,
    /// Most attachments on one claim; `null`: no limit (sources silent).
    pub max_count: Option<u32>,
    /// Appendix (legacy official help page): attachments are required when
    /// the goods were received, optional when not. Default false (003: a
    /// shortage was refunded with no attachment); legacy true.
    pub required_when_received: bool,
}

/// Reasons, solutions and evidence (R-R1..R-R15, R-S1..R-S3, R-V1, R-V2,
/// C-4). Every field is required in JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct ReasonsPolicy {
    /// One entry per reason, keyed by its code (all fifteen required).
    pub by_reason: BTreeMap<Reason, ReasonRules>,
    /// R-S1: "Return goods" is for a full refund (000, 001, 003). Default
    /// true; false lets a return come with a partial refund (002's form asks
    /// both questions separately).
    pub return_means_full_refund: bool,
    /// R-R15 (000): a claim that the seller did not refund a cancelled order
    /// does not wait for the shipping timer, so the R-E9 codes `not_shipped`
    /// and `too_early` do not block it (a cancelled order is often never
    /// shipped). Default true.
    pub cancellation_skips_timer: bool,
    /// R-V2: attachment limits.
    pub attachments: AttachmentPolicy,
}

const MIB: u64 = 1024 * 1024;

/// The default table, by reason: (solutions, partial, payer, seller at
/// fault, evidence). Not-received reasons allow refund only, full (C-4).
fn default_rules(r: Reason) -> ReasonRules {
    use Solution::{RefundOnly as Refund, ReturnAndRefund as Return};
    let n = EvidenceNeed::new;
    let (solutions, partial, fault, evidence): (&[Solution], bool, bool, Vec<EvidenceNeed>) =
        match r {
            // R-R1: the tracking page, the refused extension, the timer.
            Reason::NotReceivedTooLong => (
                &[Refund],
                false,
                true,
                vec![
                    n(&[K::TrackingScreenshot], 50),
                    n(&[K::SellerMessages], 30),
                    n(&[K::OrderScreenshot], 20),
                ],
            ),
            Reason::NotReceivedReturnedToSeller => (
                &[Refund],
                false,
                true,
                vec![n(&[K::TrackingScreenshot], 70), n(&[K::SellerMessages], 30)],
            ),
            Reason::NotReceivedNoTracking => (
                &[Refund],
                false,
                true,
                vec![
                    n(&[K::TrackingScreenshot], 60),
                    n(&[K::OrderScreenshot], 20),
                    n(&[K::SellerMessages], 20),
                ],
            ),
            // R-R4: customs holds are outside the seller's control (000, R-O4).
            Reason::NotReceivedCustomsHold => (
                &[Refund],
                false,
                false,
                vec![
                    n(&[K::TrackingScreenshot], 40),
                    n(&[K::CustomsNotice], 40),
                    n(&[K::SellerMessages], 20),
                ],
            ),
            Reason::NotReceivedWrongAddress => (
                &[Refund],
                false,
                true,
                vec![
                    n(&[K::TrackingScreenshot], 40),
                    n(&[K::OrderScreenshot], 30),
                    n(&[K::PostalProof], 30),
                ],
            ),
            // R-V1 (000): tracking screenshots and proof from the postal service.
            Reason::NotReceivedDeliveredNotReceived => (
                &[Refund],
                false,
                true,
                vec![
                    n(&[K::PostalProof], 50),
                    n(&[K::TrackingScreenshot], 40),
                    n(&[K::SellerMessages], 10),
                ],
            ),
            // R-V1 (000): photos of what arrived next to the listing.
            Reason::ReceivedNotAsDescribed => (
                &[Refund, Return],
                true,
                true,
                vec![
                    n(&[K::ItemPhoto, K::ItemVideo], 40),
                    n(&[K::ListingScreenshot], 40),
                    n(&[K::UnboxingVideo], 10),
                    n(&[K::SellerMessages], 10),
                ],
            ),
            // R-V1 (000): video and photos.
            Reason::ReceivedQuality => (
                &[Refund, Return],
                true,
                true,
                vec![
                    n(&[K::ItemVideo], 50),
                    n(&[K::ItemPhoto], 40),
                    n(&[K::SellerMessages], 10),
                ],
            ),
            // R-V1 (000): photos of the damage.
            Reason::ReceivedDamaged => (
                &[Refund, Return],
                true,
                true,
                vec![
                    n(&[K::DamagePhoto], 60),
                    n(&[K::PackagePhoto], 25),
                    n(&[K::UnboxingVideo], 15),
                ],
            ),
            // R-V1 (003): an unboxing video helps most; R-O4: refund the missing part.
            Reason::ReceivedQuantityShortage => (
                &[Refund],
                true,
                true,
                vec![
                    n(&[K::UnboxingVideo], 50),
                    n(&[K::ItemPhoto], 30),
                    n(&[K::PackagePhoto], 20),
                ],
            ),
            Reason::ReceivedMissingParts => (
                &[Refund, Return],
                true,
                true,
                vec![
                    n(&[K::UnboxingVideo], 40),
                    n(&[K::ItemPhoto], 40),
                    n(&[K::ListingScreenshot], 20),
                ],
            ),
            // R-V1 (000, 003): the listing plus photos or video.
            Reason::ReceivedCounterfeit => (
                &[Refund, Return],
                true,
                true,
                vec![
                    n(&[K::ListingScreenshot], 50),
                    n(&[K::ItemPhoto, K::ItemVideo], 50),
                ],
            ),
            Reason::ReceivedShippingMethod => (
                &[Refund],
                true,
                true,
                vec![
                    n(&[K::ListingScreenshot], 40),
                    n(&[K::TrackingScreenshot], 40),
                    n(&[K::PackagePhoto], 20),
                ],
            ),
            // R-R14 (001): return at the buyer's expense.
            Reason::ReceivedBuyerRemorse => (
                &[Return],
                false,
                false,
                vec![n(&[K::ItemPhoto], 60), n(&[K::OrderScreenshot], 40)],
            ),
            Reason::NotReceivedNoRefundAfterCancellation => (
                &[Refund],
                false,
                true,
                vec![n(&[K::OrderScreenshot], 60), n(&[K::PaymentStatement], 40)],
            ),
        };
    ReasonRules {
        solutions: solutions.to_vec(),
        partial_refund: partial,
        // R-S2 default: by fault (001).
        return_shipping_payer: if fault { Payer::Seller } else { Payer::Buyer },
        seller_at_fault: fault,
        evidence,
    }
}

impl ReasonsPolicy {
    /// The defaults of the rules reference (`docs/rules.md`): R-S2 return
    /// shipping by fault (001), R-V2 limits,
    /// evidence per R-V1.
    pub fn aliexpress() -> Self {
        ReasonsPolicy {
            by_reason: Reason::ALL
                .iter()
                .map(|r| (*r, default_rules(*r)))
                .collect(),
            return_means_full_refund: true,
            cancellation_skips_timer: true,
            attachments: AttachmentPolicy {
                image: FileRule {
                    formats: Some(
                        ["jpg", "jpeg", "bmp", "gif", "png"]
                            .map(str::to_owned)
                            .to_vec(),
                    ),
                    max_bytes: 2 * MIB,
                },
                video: FileRule {
                    formats: None,
                    max_bytes: 200 * MIB,
                },
                document: None,
                max_count: None,
                required_when_received: false,
            },
        }
    }

    /// The appendix's legacy values: the buyer pays return shipping in
    /// general (000), attachments required when the goods were received
    /// (legacy official help page).
    pub fn aliexpress_legacy() -> Self {
        let mut p = ReasonsPolicy::aliexpress();
        for r in p.by_reason.values_mut() {
            r.return_shipping_payer = Payer::Buyer;
        }
        p.attachments.required_when_received = true;
        p
    }

    /// The rules for `reason` (an error if the policy lacks the entry, which
    /// a validated policy never does).
    pub fn rules(&self, reason: Reason) -> Result<&ReasonRules, Error> {
        self.by_reason.get(&reason).ok_or_else(|| {
            Error::InvalidPolicy(Problems::one(
                format!("reasons.by_reason.{reason}"),
                "missing: every reason needs an entry",
            ))
        })
    }

    pub(crate) fn check(&self, c: &mut Collector) {
        for r in Reason::ALL {
            let Some(x) = self.by_reason.get(r) else {
                c.push(
                    format!("reasons.by_reason.{r}"),
                    "missing: every reason needs an entry",
                );
                continue;
            };
            let f = |name: &str| format!("reasons.by_reason.{r}.{name}");
            if x.solutions.is_empty() {
                c.push(f("solutions"), "must allow at least one solution (R-S1)");
            }
            for (i, s) in x.solutions.iter().enumerate() {
                if x.solutions.iter().take(i).any(|o| o == s) {
                    c.push(
                        format!("{}[{i}]", f("solutions")),
                        format!("`{s}` is listed twice"),
                    );
                }
                if s.returns_goods() && r.group() == Group::NotReceived {
                    c.push(
                        format!("{}[{i}]", f("solutions")),
                        "goods that were not received cannot be returned (R-S1)",
                    );
                }
            }
            if x.evidence.is_empty() {
                c.push(
                    f("evidence"),
                    "must list at least one piece of evidence (R-V1)",
                );
            }
            let mut total = 0u32;
            for (i, e) in x.evidence.iter().enumerate() {
                if e.shows.is_empty() {
                    c.push(
                        format!("{}[{i}].shows", f("evidence")),
                        "must name at least one evidence kind",
                    );
                }
                if !(1..=100).contains(&e.weight) {
                    c.push(
                        format!("{}[{i}].weight", f("evidence")),
                        format!("must be 1 to 100, got {}", e.weight),
                    );
                }
                total = total.saturating_add(e.weight);
            }
            if !x.evidence.is_empty() && total != 100 {
                c.push(
                    f("evidence"),
                    format!("weights must add up to 100, got {total}"),
                );
            }
        }
        let a = &self.attachments;
        check_file(c, "image", Some(&a.image));
        check_file(c, "video", Some(&a.video));
        check_file(c, "document", a.document.as_ref());
        if a.max_count == Some(0) {
            c.push(
                "reasons.attachments.max_count",
                "must be at least 1 (or null for no limit)",
            );
        }
    }
}

fn check_file(c: &mut Collector, name: &str, rule: Option<&FileRule>) {
    let Some(rule) = rule else { return };
    if rule.max_bytes == 0 {
        c.push(
            format!("reasons.attachments.{name}.max_bytes"),
            "must be at least 1",
        );
    }
    let Some(formats) = &rule.formats else { return };
    if formats.is_empty() {
        c.push(
            format!("reasons.attachments.{name}.formats"),
            "must name at least one format (or be null to accept any)",
        );
    }
    for (i, f) in formats.iter().enumerate() {
        let ok = !f.is_empty()
            && f.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
        if !ok {
            c.push(
                format!("reasons.attachments.{name}.formats[{i}]"),
                format!("`{f}` is not a lowercase extension without a dot (like `png`)"),
            );
        } else if formats.iter().take(i).any(|o| o == f) {
            c.push(
                format!("reasons.attachments.{name}.formats[{i}]"),
                format!("`{f}` is listed twice"),
            );
        }
    }
}

impl Default for ReasonsPolicy {
    fn default() -> Self {
        ReasonsPolicy::aliexpress()
    }
}
