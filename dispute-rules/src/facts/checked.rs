//! Facts checked once, with what the check derived, handed to every stage.

use crate::eligibility::{self, Dates};
use crate::error::Error;
use crate::facts::OrderFacts;
use crate::policy::Policy;
use chrono::{DateTime, Utc};

/// Order facts validated against a policy and a moment of evaluation, with
/// the dates the rules derive from them (R-E1..R-E5, C-1), computed once.
///
/// Build one with [`CheckedFacts::new`] (or [`OrderFacts::checked`]) and
/// hand it to every stage: [`eligibility::assess_checked`],
/// [`timeline::build_checked`](crate::timeline::build_checked),
/// [`reasons::suggest_checked`](crate::reasons::suggest_checked),
/// [`outcome::predict_checked`](crate::outcome::predict_checked),
/// [`api::assess_checked`](crate::api::assess_checked) and
/// [`api::assess_full_checked`](crate::api::assess_full_checked). None of
/// them validates again or recomputes a date. The functions that take
/// `&OrderFacts` are wrappers that build a `CheckedFacts` and call these.
///
/// ```
/// use dispute_rules::{eligibility, timeline, Explain, OrderFacts, Policy};
/// # let facts = OrderFacts::from_json(include_str!("../../tests/data/not_received.json")).unwrap();
/// let policy = Policy::aliexpress();
/// let now = "2026-03-20T12:00:00Z".parse().unwrap();
/// let checked = facts.checked(&policy, now)?;
/// let e = eligibility::assess_checked(&checked, Explain::No);
/// let t = timeline::build_checked(&checked, Explain::No);
/// assert!(e.is_eligible() && !t.entries.is_empty());
/// # Ok::<(), dispute_rules::Error>(())
/// ```
#[derive(Debug, Clone, Copy)]
pub struct CheckedFacts<'a> {
    facts: &'a OrderFacts,
    policy: &'a Policy,
    now: DateTime<Utc>,
    dates: Option<Dates>,
}

impl<'a> CheckedFacts<'a> {
    /// Validates `facts` against `policy` and `now` ([`OrderFacts::validate`])
    /// and computes their dates. Every problem is reported at once, each
    /// naming its field; a computed date outside the supported range (see
    /// [`crate::limits`]) is an error naming the input that pushed it out.
    pub fn new(
        facts: &'a OrderFacts,
        policy: &'a Policy,
        now: DateTime<Utc>,
    ) -> Result<CheckedFacts<'a>, Error> {
        crate::error::check_now(now)?;
        facts.validate(policy, now)?;
        let dates = match facts.shipped_at {
            Some(s) => Some(eligibility::dates(facts, policy, s)?),
            None => None,
        };
        Ok(CheckedFacts {
            facts,
            policy,
            now,
            dates,
        })
    }

    /// The facts.
    pub const fn facts(&self) -> &'a OrderFacts {
        self.facts
    }

    /// The policy they were checked against.
    pub const fn policy(&self) -> &'a Policy {
        self.policy
    }

    /// The moment of evaluation they were checked at.
    pub const fn now(&self) -> DateTime<Utc> {
        self.now
    }

    /// The derived dates (`None`: not shipped, no date can be computed).
    pub(crate) const fn dates(&self) -> Option<&Dates> {
        self.dates.as_ref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::explain::Explain;
    use crate::outcome::Case;
    use crate::reasons::BuyerReport;
    use crate::{api, eligibility, outcome, reasons, timeline};

    fn now() -> DateTime<Utc> {
        "2026-03-20T12:00:00Z".parse().unwrap_or_default()
    }

    #[test]
    fn every_stage_answers_alike_from_checked_facts() {
        let policy = Policy::aliexpress();
        let report = BuyerReport {
            received: Some(false),
            ..BuyerReport::EMPTY
        };
        let shipped =
            OrderFacts::from_json(include_str!("../../tests/data/not_received.json")).unwrap();
        let mut unshipped = shipped.clone();
        unshipped.shipped_at = None;
        unshipped.tracking = crate::facts::Tracking::None;
        for facts in [shipped, unshipped] {
            let c = facts.checked(&policy, now()).unwrap();
            assert_eq!(c.dates().is_some(), facts.shipped_at.is_some());
            for x in [Explain::No, Explain::Yes] {
                assert_eq!(
                    Ok(eligibility::assess_checked(&c, x)),
                    eligibility::assess(&facts, &policy, now(), x)
                );
                assert_eq!(
                    Ok(timeline::build_checked(&c, x)),
                    timeline::build(&facts, &policy, now(), x)
                );
                assert_eq!(
                    Ok(api::assess_checked(&c, x)),
                    api::assess(&facts, &policy, now(), x)
                );
                assert_eq!(
                    reasons::suggest_checked(&c, &report, x),
                    reasons::suggest(&facts, &report, &policy, now(), x)
                );
                let case = Case::new(&facts).report(&report);
                assert_eq!(
                    outcome::predict_checked(&c, &case, x),
                    outcome::predict(&case, &policy, now(), x)
                );
                let full = api::assess_full_checked(&c, &case, x).map(|a| api::answer(&Ok(a)));
                let wrapped =
                    api::assess_full(&case, &policy, now(), x).map(|a| api::answer(&Ok(a)));
                assert_eq!(full, wrapped);
            }
        }
    }

    /// Every part of the full assessment is what the stage alone answers:
    /// the claim check (C-4, R-S1, R-V2, R-E9), the checklist (R-V1) and the
    /// prediction (R-O1..R-O6), with attachments within and outside the
    /// limits (checked once, the result handed on), eligible or not.
    #[test]
    fn the_full_assessment_hands_on_what_each_stage_finds() {
        use crate::reasons::{Attachment, AttachmentKind, Claim, EvidenceKind, Reason, Solution};
        use crate::Money;
        let policy = Policy::aliexpress();
        let facts =
            OrderFacts::from_json(include_str!("../../tests/data/not_received.json")).unwrap();
        let report = BuyerReport {
            received: Some(false),
            ..BuyerReport::EMPTY
        };
        let cap = facts.refund_cap().unwrap();
        let image = |name: &str, format: &str, size: u64| Attachment {
            kind: AttachmentKind::Image,
            file_name: name.into(),
            format: format.into(),
            size_bytes: size,
            shows: EvidenceKind::TrackingScreenshot,
        };
        let evidence = [
            vec![],
            vec![image("tracking.png", "PNG", 1000)],
            vec![
                image("tracking.JPEG", ".jpg", 1000),
                image("m.png", "png", 2000),
            ],
            vec![image("tracking.png", "gif", 1000)],
            vec![image("tracking.tiff", "tiff", 1000)],
            vec![image(" ", "", 0)],
        ];
        let amounts = [cap.amount, rust_decimal::Decimal::ONE];
        let moments = [now(), "2026-04-25T12:00:00Z".parse().unwrap_or_default()];
        let (mut passed, mut failed) = (0, 0);
        for at in moments {
            let c = facts.checked(&policy, at).unwrap();
            for ev in &evidence {
                for amount in amounts {
                    let claim = Claim::new(
                        Reason::NotReceivedNoTracking,
                        Solution::RefundOnly,
                        Money::new(amount, cap.currency),
                    )
                    .with_evidence(ev.clone());
                    for x in [Explain::No, Explain::Yes] {
                        let case = Case::new(&facts).report(&report).claim(Some(&claim));
                        let full = api::assess_full_checked(&c, &case, x).unwrap();
                        let alone =
                            reasons::check_claim(&facts, Some(&report), &claim, &policy, at, x);
                        assert_eq!(
                            reasons::check_claim_checked(&c, Some(&report), &claim, x),
                            alone
                        );
                        assert_eq!(full.claim.as_ref(), Some(&alone));
                        let checklist =
                            reasons::checklist(claim.reason, &claim.evidence, &policy, x)
                                .map_err(|e| e.nested("claim.evidence"));
                        assert_eq!(full.checklist, Some(checklist));
                        let usable = alone.is_ok().then_some(&claim);
                        let alone_case = Case::new(&facts).report(&report).claim(usable);
                        assert_eq!(
                            full.prediction,
                            outcome::predict_checked(&c, &alone_case, x)
                        );
                        if alone.is_ok() {
                            passed += 1;
                        } else {
                            failed += 1;
                        }
                    }
                }
            }
        }
        assert!(passed > 0 && failed > 0, "{passed} passed, {failed} failed");
    }

    #[test]
    fn invalid_facts_give_no_checked_facts() {
        let policy = Policy::aliexpress();
        let mut facts =
            OrderFacts::from_json(include_str!("../../tests/data/not_received.json")).unwrap();
        facts.quantity = 0;
        let e = facts.checked(&policy, now()).unwrap_err();
        assert_eq!(e.field(), "quantity");
    }
}
