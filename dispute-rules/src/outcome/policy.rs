//! [`OutcomePolicy`]: the likely-outcome model as a table of integer points
//! (R-O1..R-O6), loadable from JSON and validated with errors naming the
//! field.
//!
//! # How the table is read
//!
//! Four outcomes compete: a full refund (R-O1), a full refund with return
//! (R-O2 when the seller pays the return shipping, R-O3 when the buyer does),
//! a partial refund (R-O4) and no refund (R-O5). Every factor that applies
//! to a case adds one row of [`Weights`] to the outcomes' points: the reason
//! (`by_reason`), the evidence band (`evidence_bands`), what tracking shows
//! (`tracking`), the seller's behaviour (`seller`), timeliness
//! (`timeliness`), what the buyer reports (`report`, `shortage`) and the
//! value at stake (`value_bands`). A row's `requested` column goes to the
//! outcome the claim asks for. Totals below zero count as zero; an outcome
//! the reason does not allow gets nothing: a return needs goods that arrived
//! and a reason whose `reasons.by_reason.*.solutions` include it; a partial
//! refund needs `reasons.by_reason.*.partial_refund`, or a starting row here
//! that gives it points (R-O4, 000: delays outside the seller's control, as
//! for customs, although C-4 refunds goods not received in full). Each outcome's likelihood is its share of the total, in exact
//! integer percent (see [`predict`](super::predict) for the rounding).
//!
//! A few facts decide on their own when the policy says so (`decisive`):
//! the seller accepted the claim (an agreement, R-E7), the seller ignored the
//! dispute (R-L2, when `lifecycle.seller_silent` is `resolve_as_requested`:
//! as the buyer asked), the dispute was filed past the deadline (R-O5) or
//! cannot be opened at all (R-E9).
//!
//! Validation keeps two promises of the model for any loaded policy: more
//! evidence never lowers the buyer's odds (the evidence bands, and proof of
//! non-delivery against no proof, only ever move points towards the buyer),
//! and damage caused by the buyer, or lateness, never raises them.

use crate::error::Collector;
use crate::money::Currency;
use crate::reasons::{EvidenceKind, EvidenceSet, Reason};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Largest magnitude of one weight.
pub const MAX_WEIGHT: i32 = 1000;

/// One row of the table: points added to each outcome when a factor applies.
/// In JSON every column is required:
/// `{"full": 10, "with_return": 0, "partial": 75, "none": 15, "requested": 0}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Weights {
    /// Points for a full refund without return (R-O1).
    pub full: i32,
    /// Points for a full refund with return of the goods (R-O2, R-O3).
    pub with_return: i32,
    /// Points for a partial refund (R-O4).
    pub partial: i32,
    /// Points for no refund (R-O5).
    pub none: i32,
    /// Points for whichever outcome the claim asks for (ignored without a
    /// claim).
    pub requested: i32,
}

/// Shorthand for the default tables.
const fn w(full: i32, with_return: i32, partial: i32, none: i32, requested: i32) -> Weights {
    Weights {
        full,
        with_return,
        partial,
        none,
        requested,
    }
}

/// No points.
pub const ZERO: Weights = w(0, 0, 0, 0, 0);

impl Weights {
    /// The four outcome columns plus `requested`, with their JSON names.
    fn columns(&self) -> [(&'static str, i32); 5] {
        [
            ("full", self.full),
            ("with_return", self.with_return),
            ("partial", self.partial),
            ("none", self.none),
            ("requested", self.requested),
        ]
    }

    /// Whether every column is zero.
    pub const fn is_zero(&self) -> bool {
        self.full == 0
            && self.with_return == 0
            && self.partial == 0
            && self.none == 0
            && self.requested == 0
    }

    fn check_range(&self, field: &str, c: &mut Collector) {
        for (name, v) in self.columns() {
            if !(-MAX_WEIGHT..=MAX_WEIGHT).contains(&v) {
                c.push(
                    format!("{field}.{name}"),
                    format!("must be -{MAX_WEIGHT} to {MAX_WEIGHT}, got {v}"),
                );
            }
        }
    }

    /// Checks that `self` favours the buyer at least as much as `worse`:
    /// every refund column (and `requested`) at least `worse`'s, `none` at
    /// most `worse`'s. Problems name `{field}.{column}`.
    fn check_at_least(&self, worse: &Weights, field: &str, why: &str, c: &mut Collector) {
        for ((name, v), (_, w)) in self.columns().into_iter().zip(worse.columns()) {
            if name == "none" && v > w {
                c.push(
                    format!("{field}.{name}"),
                    format!("{v} is above {w}: {why}"),
                );
            } else if name != "none" && v < w {
                c.push(
                    format!("{field}.{name}"),
                    format!("{v} is below {w}: {why}"),
                );
            }
        }
    }

    /// Checks that `self` never favours the buyer: refund columns (and
    /// `requested`) at most 0, `none` at least 0.
    fn check_never_favours(&self, field: &str, why: &str, c: &mut Collector) {
        for (name, v) in self.columns() {
            if name == "none" && v < 0 {
                c.push(
                    format!("{field}.{name}"),
                    format!("must be at least 0, got {v}: {why}"),
                );
            } else if name != "none" && v > 0 {
                c.push(
                    format!("{field}.{name}"),
                    format!("must be at most 0, got {v}: {why}"),
                );
            }
        }
    }
}

/// The starting points of one reason (R-O1..R-O5) and its usual partial
/// refund.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReasonOutcome {
    /// Starting points.
    pub points: Weights,
    /// A partial refund, in percent of the cap (C-4), when nothing more
    /// precise is known (no counter-offer, no partial amount claimed, no
    /// count of missing units). 1..=99.
    pub partial_percent: u32,
}

/// One band of evidence completeness (the reason's checklist score, R-V1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EvidenceBand {
    /// The band applies from this checklist score (0..=100) up to the next
    /// band's. The first band starts at 0.
    pub min_percent: u32,
    /// Points added.
    pub points: Weights,
}

/// What tracking shows, for the not-received reasons (R-R1..R-R6).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct TrackingWeights {
    /// No tracking information: the seller cannot show a shipment (R-R3).
    pub none: Weights,
    /// Still moving (R-R1): the platform tends to wait.
    pub in_transit: Weights,
    /// No movement for a while (R-R1).
    pub stalled: Weights,
    /// Held by customs: a delay outside the seller's control (R-R4, R-O4).
    pub customs_hold: Weights,
    /// Returned to the sender (R-R2).
    pub returned_to_sender: Weights,
    /// Delivered to another address (R-R5).
    pub delivered_wrong_address: Weights,
    /// Delivered to the buyer's address and the buyer has no proof that
    /// nothing came (R-O5).
    pub delivered_no_proof: Weights,
    /// Delivered to the buyer's address, but the buyer has proof (for
    /// example from the postal service) that nothing came (R-V1). Never
    /// worse for the buyer than `delivered_no_proof`.
    pub delivered_with_proof: Weights,
    /// Evidence kinds that count as proof against a "delivered" scan.
    /// Default: `postal_proof` (R-V1, 000).
    pub proof: EvidenceSet,
}

/// The seller's behaviour (R-L1..R-L3, R-O6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct SellerWeights {
    /// The seller let the response window pass (used when
    /// `lifecycle.seller_silent` is `escalate`, R-L2).
    pub silent: Weights,
    /// The seller accepted the claim (used when `decisive.seller_accepted`
    /// is false).
    pub accepted: Weights,
    /// The seller refused the claim (R-L3).
    pub refused: Weights,
    /// The seller made a counter-offer (R-L3).
    pub counter_offered: Weights,
    /// Extra points for the outcome the counter-offer proposes (the buyer
    /// may simply accept it).
    pub offered: i32,
}

/// Which facts decide the outcome on their own. (R-L2, a seller who ignores
/// the dispute, is `lifecycle.seller_silent`: `resolve_as_requested`
/// decides as the buyer asked, `escalate` uses `seller.silent` instead.)
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Decisive {
    /// The seller accepted the claim: an agreement, final (R-E7). Default
    /// true.
    pub seller_accepted: bool,
    /// R-O5: filed past the deadline (the protection window or the window
    /// after confirmed receipt had closed): no refund. Default true.
    pub filed_late: bool,
    /// R-E9: no dispute can be opened at all (refund already complete,
    /// closed by agreement, reopen limit reached): no refund through a
    /// dispute. Default true.
    pub barred: bool,
}

/// Timeliness, when not decisive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct TimelinessWeights {
    /// The window has not opened yet (R-E1): the prediction is for a dispute
    /// opened once it does.
    pub not_yet: Weights,
    /// Filed past the deadline (R-O5), when `decisive.filed_late` is false.
    /// Never favours the buyer.
    pub late: Weights,
    /// Barred (R-E9), when `decisive.barred` is false. Never favours the
    /// buyer.
    pub barred: Weights,
}

/// What the buyer reports about the goods.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct ReportWeights {
    /// Damage or misuse by the buyer (R-O5). Never favours the buyer.
    pub damaged_by_buyer: Weights,
    /// Defective or stops working: badly faulty (R-O1).
    pub defective: Weights,
    /// A minor defect that does not stop use (R-O4), when not also
    /// defective.
    pub minor_defect: Weights,
    /// Wrong item, colour or size: a clear breach of the description (R-O1,
    /// R-O2).
    pub wrong_item: Weights,
    /// A fake (R-O1).
    pub counterfeit: Weights,
    /// Ordered by mistake or no longer wanted: the buyer's mistake (R-O3).
    pub no_longer_wanted: Weights,
}

/// A quantity shortage (R-R10, R-O4: refund the missing part).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct ShortagePolicy {
    /// Points added when the buyer reports fewer units than ordered.
    pub points: Weights,
    /// Whether the missing share includes the shipping cost's share
    /// (shipping x missing / ordered). Default false (003: the missing
    /// part's value is refunded; the parcel was shipped anyway).
    pub include_shipping_share: bool,
    /// Whether the coupon's share (coupon x missing / ordered) is deducted
    /// (appendix: coupon value is not refunded). Default true.
    pub deduct_coupon_share: bool,
}

/// One band of value at stake (R-O6): the refund cap (C-4), in the line's
/// currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ValueBand {
    /// The band applies from this cap (inclusive, a plain decimal in the
    /// currency of its table, written as a string) up to the next band's.
    /// The first band starts at `"0"`.
    #[serde(with = "crate::money::decimal_text")]
    pub min_amount: Decimal,
    /// Points added.
    pub points: Weights,
}

/// How sure a prediction is, from the margin between the two likeliest
/// outcomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct ConfidencePolicy {
    /// At least this many percentage points ahead: high. Default 40.
    pub high_margin_percent: u32,
    /// At least this many (and below `high_margin_percent`): medium; below:
    /// low. Default 15.
    pub medium_margin_percent: u32,
}

/// The likely-outcome model (R-O1..R-O6). Every field is required in JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct OutcomePolicy {
    /// R-O1..R-O5: starting points per reason (all fifteen required).
    pub by_reason: BTreeMap<Reason, ReasonOutcome>,
    /// R-O6, R-V1: evidence completeness bands, ascending, the first from 0.
    /// Each band favours the buyer at least as much as the one below.
    pub evidence_bands: Vec<EvidenceBand>,
    /// R-O5, R-O6: what tracking shows (not-received reasons only).
    pub tracking: TrackingWeights,
    /// R-O6: the seller's behaviour.
    pub seller: SellerWeights,
    /// Facts that decide on their own.
    pub decisive: Decisive,
    /// R-O5: timeliness, when not decisive.
    pub timeliness: TimelinessWeights,
    /// R-O1, R-O3..R-O5: what the buyer reports.
    pub report: ReportWeights,
    /// R-O4: a quantity shortage.
    pub shortage: ShortagePolicy,
    /// R-O6: value at stake, bands per currency (ascending, the first from
    /// `"0"`). A line in a currency without a table gets no value factor.
    pub value_bands: BTreeMap<Currency, Vec<ValueBand>>,
    /// Confidence from the margin.
    pub confidence: ConfidencePolicy,
    /// Decimal places of computed amounts (a share of the cap, of missing
    /// units); rounded down, so never above the exact share. Default 2.
    pub amount_decimals: u32,
    /// Appendix: a counterfeit may be compensated up to this multiple of the
    /// amount paid excluding shipping (official, about 2021: 3; a third
    /// party says 2). Reported beside the refund, which stays capped (C-4).
    /// Default 3; legacy `null` (none).
    pub counterfeit_compensation_multiple: Option<u32>,
}

/// The default starting points per reason (R-O1..R-O5): full, with return,
/// partial, none; then the usual partial share of the cap.
const fn default_reason(r: Reason) -> ReasonOutcome {
    let (points, partial_percent) = match r {
        // R-O1: never received; R-O4: delays outside the seller's control.
        Reason::NotReceivedTooLong => (w(70, 0, 10, 20, 0), 50),
        Reason::NotReceivedReturnedToSeller => (w(85, 0, 0, 15, 0), 50),
        Reason::NotReceivedNoTracking => (w(75, 0, 0, 25, 0), 50),
        // R-O4 (000): customs delays are outside the seller's control.
        Reason::NotReceivedCustomsHold => (w(45, 0, 30, 25, 0), 50),
        Reason::NotReceivedWrongAddress => (w(80, 0, 0, 20, 0), 50),
        // R-O5: tracking decides (see `tracking.delivered_*`).
        Reason::NotReceivedDeliveredNotReceived => (w(50, 0, 0, 50, 0), 50),
        // R-O2 (001): not as described: return, the seller pays shipping.
        Reason::ReceivedNotAsDescribed => (w(30, 45, 15, 10, 0), 30),
        // R-O1: badly faulty; R-O4: minor defects.
        Reason::ReceivedQuality => (w(35, 30, 25, 10, 0), 30),
        Reason::ReceivedDamaged => (w(35, 25, 30, 10, 0), 40),
        // R-O4: part of the order missing: refund the missing part.
        Reason::ReceivedQuantityShortage => (w(10, 0, 75, 15, 0), 30),
        Reason::ReceivedMissingParts => (w(15, 20, 50, 15, 0), 30),
        // R-O1: counterfeit.
        Reason::ReceivedCounterfeit => (w(65, 20, 5, 10, 0), 30),
        Reason::ReceivedShippingMethod => (w(10, 0, 45, 45, 0), 15),
        // R-O3 (001): the buyer's mistake: return at the buyer's expense.
        Reason::ReceivedBuyerRemorse => (w(0, 70, 0, 30, 0), 10),
        // R-O1: a cancelled order that was not refunded.
        Reason::NotReceivedNoRefundAfterCancellation => (w(90, 0, 0, 10, 0), 50),
    };
    ReasonOutcome {
        points,
        partial_percent,
    }
}

fn default_value_bands() -> Vec<ValueBand> {
    let band = |min: i64, points: Weights| ValueBand {
        min_amount: Decimal::from(min),
        points,
    };
    vec![
        // Small amounts are often refunded without a fight.
        band(0, w(5, 0, 0, -5, 0)),
        band(20, ZERO),
        // Larger amounts draw scrutiny and a contesting seller.
        band(100, w(-5, 0, 5, 5, 0)),
        band(500, w(-10, 0, 5, 10, 0)),
    ]
}

impl OutcomePolicy {
    /// The defaults of the rules reference (`docs/rules.md`): R-O1..R-O6;
    /// R-L2 as the buyer asked; C-4.
    pub fn aliexpress() -> Self {
        let by_reason = Reason::ALL
            .iter()
            .map(|r| (*r, default_reason(*r)))
            .collect();
        let bands = default_value_bands();
        let value_bands = ["USD", "EUR"]
            .iter()
            .filter_map(|c| Currency::new(c))
            .map(|c| (c, bands.clone()))
            .collect();
        OutcomePolicy {
            by_reason,
            evidence_bands: vec![
                EvidenceBand {
                    min_percent: 0,
                    points: w(-15, -10, -5, 20, 0),
                },
                EvidenceBand {
                    min_percent: 40,
                    points: w(0, 0, 0, 5, 0),
                },
                EvidenceBand {
                    min_percent: 80,
                    points: w(15, 10, 5, -10, 0),
                },
            ],
            tracking: TrackingWeights {
                none: w(10, 0, 0, -5, 0),
                in_transit: w(-10, 0, 0, 15, 0),
                stalled: w(10, 0, 0, -5, 0),
                customs_hold: w(0, 0, 10, 0, 0),
                returned_to_sender: w(15, 0, 0, -10, 0),
                delivered_wrong_address: w(15, 0, 0, -10, 0),
                delivered_no_proof: w(-40, 0, 0, 50, 0),
                delivered_with_proof: w(10, 0, 0, -5, 0),
                proof: EvidenceSet::of(&[EvidenceKind::PostalProof]),
            },
            seller: SellerWeights {
                silent: w(0, 0, 0, -5, 20),
                accepted: w(0, 0, 0, -20, 60),
                refused: w(0, 0, 0, 10, -10),
                counter_offered: w(0, 0, 0, -5, -10),
                offered: 30,
            },
            decisive: Decisive {
                seller_accepted: true,
                filed_late: true,
                barred: true,
            },
            timeliness: TimelinessWeights {
                not_yet: ZERO,
                late: w(-100, -100, -100, 100, -100),
                barred: w(-100, -100, -100, 100, -100),
            },
            report: ReportWeights {
                damaged_by_buyer: w(-40, -30, -20, 60, -20),
                defective: w(15, 5, -10, 0, 0),
                minor_defect: w(-15, -10, 25, 0, 0),
                wrong_item: w(5, 10, 0, -5, 0),
                counterfeit: w(10, 0, 0, -5, 0),
                no_longer_wanted: w(-10, 5, -5, 5, 0),
            },
            shortage: ShortagePolicy {
                points: w(-10, 0, 15, 0, 0),
                include_shipping_share: false,
                deduct_coupon_share: true,
            },
            value_bands,
            confidence: ConfidencePolicy {
                high_margin_percent: 40,
                medium_margin_percent: 15,
            },
            amount_decimals: 2,
            counterfeit_compensation_multiple: Some(3),
        }
    }

    /// The appendix's legacy values: evidence weighs more (attachments were
    /// required when the goods arrived), and no counterfeit compensation
    /// (escrow-era rules predate it). (The legacy lifecycle escalates a
    /// silent seller's dispute instead of resolving it as asked: 003.)
    pub fn aliexpress_legacy() -> Self {
        let mut p = OutcomePolicy::aliexpress();
        if let Some(b) = p.evidence_bands.first_mut() {
            b.points = w(-20, -15, -5, 30, 0);
        }
        p.counterfeit_compensation_multiple = None;
        p
    }

    /// The row of `reason` (a validated policy has every reason).
    pub fn reason(&self, reason: Reason) -> Option<&ReasonOutcome> {
        self.by_reason.get(&reason)
    }

    pub(crate) fn check(&self, c: &mut Collector) {
        let p = "outcome";
        for r in Reason::ALL {
            let Some(x) = self.by_reason.get(r) else {
                c.push(
                    format!("{p}.by_reason.{r}"),
                    "missing: every reason needs an entry",
                );
                continue;
            };
            let f = format!("{p}.by_reason.{r}");
            x.points.check_range(&format!("{f}.points"), c);
            let pts = &x.points;
            if [pts.full, pts.with_return, pts.partial, pts.none]
                .iter()
                .all(|v| *v <= 0)
            {
                c.push(
                    format!("{f}.points"),
                    "must give at least one outcome more than zero points",
                );
            }
            if !(1..=99).contains(&x.partial_percent) {
                c.push(
                    format!("{f}.partial_percent"),
                    format!("must be 1 to 99, got {}", x.partial_percent),
                );
            }
        }

        // Evidence bands: ascending from 0; more evidence never lowers the
        // buyer's odds.
        if self.evidence_bands.is_empty() {
            c.push(format!("{p}.evidence_bands"), "must have at least one band");
        }
        for (i, b) in self.evidence_bands.iter().enumerate() {
            let f = format!("{p}.evidence_bands[{i}]");
            b.points.check_range(&format!("{f}.points"), c);
            if i == 0 && b.min_percent != 0 {
                c.push(
                    format!("{f}.min_percent"),
                    format!("the first band must start at 0, got {}", b.min_percent),
                );
            }
            if b.min_percent > 100 {
                c.push(
                    format!("{f}.min_percent"),
                    format!("must be 0 to 100, got {}", b.min_percent),
                );
            }
            if let Some(prev) = i.checked_sub(1).and_then(|j| self.evidence_bands.get(j)) {
                if b.min_percent <= prev.min_percent {
                    c.push(
                        format!("{f}.min_percent"),
                        format!(
                            "must be above the previous band's {}, got {}",
                            prev.min_percent, b.min_percent
                        ),
                    );
                }
                b.points.check_at_least(
                    &prev.points,
                    &format!("{f}.points"),
                    "a band must favour the buyer at least as much as the band below (more evidence never lowers the buyer's odds)",
                    c,
                );
            }
        }

        let t = &self.tracking;
        for (name, row) in [
            ("none", &t.none),
            ("in_transit", &t.in_transit),
            ("stalled", &t.stalled),
            ("customs_hold", &t.customs_hold),
            ("returned_to_sender", &t.returned_to_sender),
            ("delivered_wrong_address", &t.delivered_wrong_address),
            ("delivered_no_proof", &t.delivered_no_proof),
            ("delivered_with_proof", &t.delivered_with_proof),
        ] {
            row.check_range(&format!("{p}.tracking.{name}"), c);
        }
        t.delivered_with_proof.check_at_least(
            &t.delivered_no_proof,
            &format!("{p}.tracking.delivered_with_proof"),
            "proof must favour the buyer at least as much as no proof (more evidence never lowers the buyer's odds)",
            c,
        );
        if t.proof.is_empty() {
            c.push(
                format!("{p}.tracking.proof"),
                "must name at least one evidence kind",
            );
        }

        let s = &self.seller;
        for (name, row) in [
            ("silent", &s.silent),
            ("accepted", &s.accepted),
            ("refused", &s.refused),
            ("counter_offered", &s.counter_offered),
        ] {
            row.check_range(&format!("{p}.seller.{name}"), c);
        }
        if !(-MAX_WEIGHT..=MAX_WEIGHT).contains(&s.offered) {
            c.push(
                format!("{p}.seller.offered"),
                format!("must be -{MAX_WEIGHT} to {MAX_WEIGHT}, got {}", s.offered),
            );
        }

        let tl = &self.timeliness;
        tl.not_yet
            .check_range(&format!("{p}.timeliness.not_yet"), c);
        for (name, row) in [("late", &tl.late), ("barred", &tl.barred)] {
            let f = format!("{p}.timeliness.{name}");
            row.check_range(&f, c);
            row.check_never_favours(&f, "lateness never favours the buyer (R-O5)", c);
        }

        let r = &self.report;
        for (name, row) in [
            ("damaged_by_buyer", &r.damaged_by_buyer),
            ("defective", &r.defective),
            ("minor_defect", &r.minor_defect),
            ("wrong_item", &r.wrong_item),
            ("counterfeit", &r.counterfeit),
            ("no_longer_wanted", &r.no_longer_wanted),
        ] {
            row.check_range(&format!("{p}.report.{name}"), c);
        }
        r.damaged_by_buyer.check_never_favours(
            &format!("{p}.report.damaged_by_buyer"),
            "damage caused by the buyer never favours the buyer (R-O5)",
            c,
        );
        self.shortage
            .points
            .check_range(&format!("{p}.shortage.points"), c);

        for (cur, bands) in &self.value_bands {
            let f = format!("{p}.value_bands.{cur}");
            if bands.is_empty() {
                c.push(f.clone(), "must have at least one band");
            }
            for (i, b) in bands.iter().enumerate() {
                let g = format!("{f}[{i}]");
                b.points.check_range(&format!("{g}.points"), c);
                if i == 0 && !b.min_amount.is_zero() {
                    c.push(
                        format!("{g}.min_amount"),
                        format!("the first band must start at `0`, got `{}`", b.min_amount),
                    );
                }
                if let Some(prev) = i.checked_sub(1).and_then(|j| bands.get(j)) {
                    if b.min_amount <= prev.min_amount {
                        c.push(
                            format!("{g}.min_amount"),
                            format!(
                                "must be above the previous band's `{}`, got `{}`",
                                prev.min_amount, b.min_amount
                            ),
                        );
                    }
                }
            }
        }

        let cf = &self.confidence;
        if cf.high_margin_percent > 100 {
            c.push(
                format!("{p}.confidence.high_margin_percent"),
                format!("must be 0 to 100, got {}", cf.high_margin_percent),
            );
        }
        if cf.medium_margin_percent > cf.high_margin_percent {
            c.push(
                format!("{p}.confidence.medium_margin_percent"),
                format!(
                    "must not exceed high_margin_percent ({}), got {}",
                    cf.high_margin_percent, cf.medium_margin_percent
                ),
            );
        }
        if self.amount_decimals > 8 {
            c.push(
                format!("{p}.amount_decimals"),
                format!("must be 0 to 8, got {}", self.amount_decimals),
            );
        }
        if let Some(m) = self.counterfeit_compensation_multiple {
            if !(1..=10).contains(&m) {
                c.push(
                    format!("{p}.counterfeit_compensation_multiple"),
                    format!("must be 1 to 10 (or null for none), got {m}"),
                );
            }
        }
    }
}

impl Default for OutcomePolicy {
    fn default() -> Self {
        OutcomePolicy::aliexpress()
    }
}
