//! The seller's timeline for one customer dispute: every deadline with its
//! rule id, UTC and local instants, where it comes from (the platform's own
//! instant, a fact, or a computed fallback with its confidence) and what to
//! do before it.

use super::facts::{CustomerDispute, CustomerOrder, DayOrInstant, ResolvedReason};
use super::holidays::{BusinessDays, HolidayCalendar};
use super::policy::{
    Anchor, Charged, Confidence, Count, DateReading, Deadline, DeadlineKind, Family, FeeKind,
    Grade, Network, Offset, Platform, SellingPolicy, Unit, Waiver,
};
use super::rules::{SellingRule, SellingRuleSet, Step, Steps};
use crate::calendar::{Calendar, Moment};
use crate::error::{Collector, Error};
use crate::explain::Explain;
use crate::money::Money;
use chrono::{DateTime, Days, NaiveDate, TimeDelta, Utc};
use chrono_tz::Tz;
use serde::Serialize;

/// What a timeline date is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Milestone {
    /// The customer paid (BB-1).
    Paid,
    /// From here the customer can open a dispute.
    FilingWindowOpens,
    /// From here the customer can no longer open one.
    FilingWindowCloses,
    /// The customer opened the dispute.
    DisputeOpened,
    /// The current stage began.
    StageStarted,
    /// The seller's response is due.
    SellerResponse,
    /// The customer can escalate or ask the platform to step in.
    EscalationOpens,
    /// The case closes unless escalated before this.
    EscalationCloses,
    /// The platform is expected to decide.
    PlatformDecision,
    /// An idle request closes.
    IdleClose,
    /// A delivery after opening closes the request.
    DeliveryCloses,
    /// The seller made an offer.
    OfferMade,
    /// The seller's offer lapses.
    OfferLapses,
    /// The refund the seller offered is due.
    RefundDue,
    /// The case was closed.
    CaseClosed,
    /// The seller's appeal window ends.
    AppealCloses,
}

impl Milestone {
    /// The stable name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Milestone::Paid => "paid",
            Milestone::FilingWindowOpens => "filing_window_opens",
            Milestone::FilingWindowCloses => "filing_window_closes",
            Milestone::DisputeOpened => "dispute_opened",
            Milestone::StageStarted => "stage_started",
            Milestone::SellerResponse => "seller_response",
            Milestone::EscalationOpens => "escalation_opens",
            Milestone::EscalationCloses => "escalation_closes",
            Milestone::PlatformDecision => "platform_decision",
            Milestone::IdleClose => "idle_close",
            Milestone::DeliveryCloses => "delivery_closes",
            Milestone::OfferMade => "offer_made",
            Milestone::OfferLapses => "offer_lapses",
            Milestone::RefundDue => "refund_due",
            Milestone::CaseClosed => "case_closed",
            Milestone::AppealCloses => "appeal_closes",
        }
    }

    const fn of(kind: DeadlineKind) -> Milestone {
        match kind {
            DeadlineKind::SellerResponse => Milestone::SellerResponse,
            DeadlineKind::EscalationOpens => Milestone::EscalationOpens,
            DeadlineKind::EscalationCloses => Milestone::EscalationCloses,
            DeadlineKind::PlatformDecision => Milestone::PlatformDecision,
            DeadlineKind::IdleClose => Milestone::IdleClose,
            DeadlineKind::DeliveryCloses => Milestone::DeliveryCloses,
            DeadlineKind::OfferLapses => Milestone::OfferLapses,
            DeadlineKind::RefundDue => Milestone::RefundDue,
            DeadlineKind::AppealCloses => Milestone::AppealCloses,
        }
    }

    const fn before(self) -> &'static str {
        match self {
            Milestone::SellerResponse => "respond on the platform with your evidence; without a response the customer wins",
            Milestone::EscalationOpens => "settle with the customer before they can ask the platform to step in",
            Milestone::EscalationCloses => "settle with the customer; the case closes by itself unless they escalate before this",
            Milestone::PlatformDecision => "make sure every piece of evidence is in",
            Milestone::IdleClose => "keep the request active only if you want it decided",
            Milestone::DeliveryCloses => "nothing: the delivery closes the request unless the customer asks the platform to step in",
            Milestone::OfferLapses => "wait for the customer's answer to your offer",
            Milestone::RefundDue => "issue the refund you offered",
            Milestone::AppealCloses => "appeal with new information if the decision went against you",
            Milestone::FilingWindowCloses => "a customer dispute can still arrive until this",
            Milestone::FilingWindowOpens => "the customer cannot open this kind of dispute yet",
            Milestone::Paid
            | Milestone::DisputeOpened
            | Milestone::StageStarted
            | Milestone::OfferMade
            | Milestone::CaseClosed => "",
        }
    }
}

/// Where an entry's instant comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Origin {
    /// A fact of the input.
    Fact,
    /// The platform's own instant (BB-4: always wins).
    Platform,
    /// Computed from the policy: a fallback, as sure as its `confidence`.
    Computed,
}

/// One date of the seller's timeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Entry {
    /// What it is.
    pub milestone: Milestone,
    /// When, in UTC and local time.
    pub at: Moment,
    /// The rule that sets it.
    pub rule: SellingRule,
    /// Where the instant comes from.
    pub origin: Origin,
    /// For a computed instant: the grade of the value's source.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub grade: Option<Grade>,
    /// For a computed instant: how sure the value is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub confidence: Option<Confidence>,
    /// Whether the seller must act before it (BB-3).
    pub binds_seller: bool,
    /// Whether `now` is at or past it.
    pub passed: bool,
    /// What to do before it.
    pub before: &'static str,
}

/// The window in which the customer can open a dispute of one family.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct FilingWindowAnswer {
    /// The family.
    pub family: Family,
    /// The card network, when it chose the window.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub network: Option<Network>,
    /// First instant a dispute can be opened (`null`: from the payment on, or
    /// unknown without a needed date).
    pub opens_at: Option<Moment>,
    /// First instant it can no longer be opened (`null`: unknown without a
    /// needed date).
    pub closes_at: Option<Moment>,
    /// The rule of the end used.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub closes_rule: Option<SellingRule>,
    /// How sure the end is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub confidence: Option<Confidence>,
    /// Whether a dispute of this family can be opened at `now`.
    pub open_now: bool,
    /// For the customer's dispute: whether it was opened inside the window.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub filed_in_window: Option<bool>,
}

/// A fact that would change the answer, missing from the input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Missing {
    /// The input field.
    pub field: &'static str,
    /// The rule that needs it.
    pub rule: SellingRule,
    /// What its absence does.
    pub effect: &'static str,
}

/// One evidence item for the dispute.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct EvidenceRef {
    /// Stable id.
    pub id: String,
    /// What to provide.
    pub text: String,
    /// The platform's API name, when it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub api_name: Option<String>,
    /// The rule.
    pub rule: SellingRule,
}

/// Whether a delivery signature is needed (P-V1, B-V1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Signature {
    /// `true`/`false`; `null` when the policy has no threshold in the order's
    /// currency.
    pub required: Option<bool>,
    /// The threshold used.
    pub threshold: Option<Money>,
    /// Its rule.
    pub rule: Option<SellingRule>,
}

/// The evidence that protects the seller in this dispute.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Evidence {
    /// What to provide.
    pub items: Vec<EvidenceRef>,
    /// Not received: whether a signature is needed at this order value.
    pub signature: Signature,
    /// Whether the platform's seller protection covers this family (`null`:
    /// the platform has none).
    pub seller_protection: Option<bool>,
}

/// One fee in the exposure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct FeeLine {
    /// Its kind.
    pub kind: FeeKind,
    /// Its tier, when tiered.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tier: Option<String>,
    /// The amount.
    pub amount: Money,
    /// When it is charged.
    pub charged: Charged,
    /// Whether it comes back on a win.
    pub returned_on_win: bool,
    /// Waived here by a fact the engine can check (the order is worth less
    /// than twice the fee).
    pub waived: bool,
    /// What else would waive it.
    pub waived_if: Vec<Waiver>,
    /// The rule of the amount.
    pub rule: SellingRule,
    /// How sure the amount is.
    pub confidence: Confidence,
}

/// What the seller stands to lose on the customer's side if the customer wins.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Exposure {
    /// The order's amount.
    pub amount: Money,
    /// The fees that apply (same currency as the order; none converted).
    pub fees: Vec<FeeLine>,
    /// Amount plus the fees charged when contested and lost, not waived.
    pub total_if_lost: Money,
    /// The policy has fees for this case, but none in the order's currency
    /// or the seller's country (they are not converted).
    pub fees_unknown: bool,
    /// What losing costs, in words.
    pub loss: String,
    /// The rules behind the figures.
    pub rules: SellingRuleSet,
}

/// What the seller should do next on the customer's side.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum SellerActionKind {
    /// Respond to the dispute with evidence before the deadline.
    Respond,
    /// Settle before the customer escalates.
    ResolveBeforeEscalation,
    /// Issue a refund already offered.
    IssueRefund,
    /// Appeal a decision.
    Appeal,
    /// The dispute was opened outside the customer's window: say so.
    ContestLateFiling,
    /// The platform allows no response (S-L1).
    NoResponsePossible,
}

/// A next action on the customer's side.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct SellerAction {
    /// What to do.
    pub kind: SellerActionKind,
    /// Before this instant.
    pub deadline: Option<Moment>,
    /// The rules that call for it.
    pub rules: SellingRuleSet,
    /// Plain-English instruction.
    pub text: String,
}

/// The seller's timeline for one customer order and, when given, its dispute.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct SellerTimeline {
    /// The customer's order id, echoed.
    pub order_id: String,
    /// The platform.
    pub platform: Platform,
    /// The selling policy used.
    pub policy: String,
    /// The dispute's stage.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stage: Option<String>,
    /// The dispute's reason, resolved.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<ResolvedReason>,
    /// The customer's filing windows (the dispute's family; without a
    /// dispute: not received and not as described).
    pub windows: Vec<FilingWindowAnswer>,
    /// Every date, earliest first.
    pub entries: Vec<Entry>,
    /// The seller's response deadline, when there is one.
    pub response_due: Option<Entry>,
    /// When the platform may decide: its expected decision, else the
    /// response deadline.
    pub decision_at: Option<Entry>,
    /// The first deadline the seller must meet that has not passed (BB-3).
    pub next_deadline: Option<Entry>,
    /// The evidence that protects the seller.
    pub evidence: Evidence,
    /// What losing would cost.
    pub exposure: Exposure,
    /// Facts that would change the answer, missing from the input.
    pub missing: Vec<Missing>,
    /// What to do next, soonest deadline first.
    pub next_actions: Vec<SellerAction>,
    /// Every rule applied.
    pub rules: SellingRuleSet,
    /// Plain-English steps, when asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explanation: Option<Vec<Step>>,
}

impl SellerTimeline {
    /// The first entry of a kind.
    pub fn get(&self, m: Milestone) -> Option<&Entry> {
        self.entries.iter().find(|e| e.milestone == m)
    }
}

#[derive(Debug, Clone, Copy)]
enum Point {
    At(DateTime<Utc>),
    Day(NaiveDate),
}

struct Ctx<'a> {
    cal: Calendar,
    order: &'a CustomerOrder,
    dispute: Option<&'a CustomerDispute>,
    business: Option<(&'a BusinessDays, &'a HolidayCalendar)>,
    response_due: Option<DateTime<Utc>>,
}

fn add_days(d: NaiveDate, n: u32) -> Option<NaiveDate> {
    d.checked_add_days(Days::new(u64::from(n)))
}

impl Ctx<'_> {
    fn point(&self, d: DayOrInstant) -> Point {
        match d {
            DayOrInstant::Day(x) => Point::Day(x),
            DayOrInstant::Instant(t) => Point::At(t),
        }
    }

    fn date(&self, p: Point) -> NaiveDate {
        match p {
            Point::At(t) => self.cal.local_date(t),
            Point::Day(d) => d,
        }
    }

    fn instant(&self, p: Point) -> DateTime<Utc> {
        match p {
            Point::At(t) => t,
            Point::Day(d) => self.cal.start_of_day(d),
        }
    }

    fn later(&self, a: Point, b: Option<DayOrInstant>) -> Point {
        match b.map(|x| self.point(x)) {
            Some(b) if self.date(b) > self.date(a) => b,
            _ => a,
        }
    }

    fn anchor(&self, a: Anchor) -> Option<Point> {
        let o = self.order;
        let pay = Point::At(o.paid_at);
        let d = self.dispute;
        Some(match a {
            Anchor::Payment => pay,
            Anchor::ExpectedDelivery => self.point(o.expected_delivery?),
            Anchor::MaxEstimatedDelivery => self.point(o.max_estimated_delivery?),
            Anchor::Delivery => self.point(o.delivered_at?),
            Anchor::LaterOfPaymentAndExpectedDelivery => self.later(pay, o.expected_delivery),
            Anchor::LaterOfPaymentAndDelivery => {
                self.later(pay, o.delivered_at.or(o.expected_delivery))
            }
            Anchor::PaymentWithoutExpectedDelivery => {
                if o.expected_delivery.is_some() {
                    return None;
                }
                pay
            }
            Anchor::Opened => Point::At(d?.opened_at),
            Anchor::StageStart => Point::At(d?.stage_start()),
            Anchor::ResponseDue => Point::At(self.response_due?),
            Anchor::OfferMade => Point::At(d?.offer_made_at?),
            Anchor::Closed => Point::At(d?.closed_at?),
            Anchor::DeliveredAfterOpening => {
                let at = self.instant(self.point(o.delivered_at?));
                if at <= d?.opened_at {
                    return None;
                }
                Point::At(at)
            }
        })
    }

    fn resolve(&self, o: &Offset) -> Option<DateTime<Utc>> {
        let p = self.anchor(o.from)?;
        match o.unit {
            Unit::Hours => self
                .instant(p)
                .checked_add_signed(TimeDelta::try_hours(i64::from(o.amount))?),
            Unit::CalendarDays => match (o.count, p) {
                (Count::Exact, Point::At(t)) => Some(self.cal.add_days(t, o.amount)),
                (Count::Exact | Count::StartOfDay, _) => {
                    Some(self.cal.start_of_day(add_days(self.date(p), o.amount)?))
                }
                (Count::EndOfDay, _) => Some(
                    self.cal
                        .start_of_day(add_days(self.date(p), o.amount.checked_add(1)?)?),
                ),
            },
            Unit::BusinessDays => {
                let (b, hol) = self.business?;
                let day = b.add(hol, self.date(p), o.amount)?;
                match (o.count, p) {
                    (Count::Exact, Point::At(t)) => {
                        let wall = self.cal.localize(t).wall.time();
                        Some(self.cal.resolve(day.and_time(wall)))
                    }
                    (Count::Exact | Count::StartOfDay, _) => Some(self.cal.start_of_day(day)),
                    (Count::EndOfDay, _) => Some(self.cal.start_of_day(add_days(day, 1)?)),
                }
            }
        }
    }

    /// The earliest of the offsets that resolve, with the offset used.
    fn earliest<'o>(&self, list: &'o [Offset]) -> Option<(DateTime<Utc>, &'o Offset)> {
        list.iter()
            .filter_map(|o| self.resolve(o).map(|t| (t, o)))
            .min_by_key(|(t, _)| *t)
    }

    /// The input field an anchor needs, when it is missing and changes the
    /// answer.
    fn missing_field(&self, a: Anchor, in_closes: bool) -> Option<&'static str> {
        let o = self.order;
        match a {
            Anchor::ExpectedDelivery | Anchor::LaterOfPaymentAndExpectedDelivery
                if o.expected_delivery.is_none() =>
            {
                Some("customer_order.expected_delivery")
            }
            Anchor::MaxEstimatedDelivery if o.max_estimated_delivery.is_none() => {
                Some("customer_order.max_estimated_delivery")
            }
            Anchor::Delivery if in_closes && o.delivered_at.is_none() => {
                Some("customer_order.delivered_at")
            }
            Anchor::LaterOfPaymentAndDelivery
                if o.delivered_at.is_none() && o.expected_delivery.is_none() =>
            {
                Some("customer_order.delivered_at")
            }
            _ => None,
        }
    }
}

/// Validates the order (and the dispute) with fields prefixed
/// `customer_order.` and `customer_dispute.`.
pub(crate) fn validate(
    order: &CustomerOrder,
    dispute: Option<&CustomerDispute>,
    policy: &SellingPolicy,
    now: DateTime<Utc>,
) -> Result<(), Error> {
    let mut a = Collector::new();
    order.check(policy, now, &mut a);
    let a = a
        .finish(Error::InvalidFacts)
        .map_err(|e| e.nested("customer_order"));
    let b = match dispute {
        Some(d) => {
            let mut c = Collector::new();
            d.check(order, policy, now, &mut c);
            c.finish(Error::InvalidFacts)
                .map_err(|e| e.nested("customer_dispute"))
        }
        None => Ok(()),
    };
    match (a, b) {
        (Ok(()), Ok(())) => Ok(()),
        (Err(e), Ok(())) | (Ok(()), Err(e)) => Err(e),
        (Err(e), Err(f)) => {
            let mut list = e.problems();
            list.extend(f.problems());
            Err(Error::InvalidFacts(crate::error::Problems::new(list)))
        }
    }
}

/// The seller's timeline for a customer order and, when given, the
/// customer's dispute, at `now`. Local instants are shown in `zone` (default:
/// the policy's zone). Validates the inputs first: errors name
/// `customer_order.…` and `customer_dispute.…`.
pub fn seller_timeline(
    order: &CustomerOrder,
    dispute: Option<&CustomerDispute>,
    policy: &SellingPolicy,
    now: DateTime<Utc>,
    zone: Option<Tz>,
    explain: Explain,
) -> Result<SellerTimeline, Error> {
    validate(order, dispute, policy, now)?;
    Ok(build(order, dispute, policy, now, zone, explain))
}

/// [`seller_timeline`] for validated inputs.
pub(crate) fn build(
    order: &CustomerOrder,
    dispute: Option<&CustomerDispute>,
    policy: &SellingPolicy,
    now: DateTime<Utc>,
    zone: Option<Tz>,
    explain: Explain,
) -> SellerTimeline {
    let tz = zone.unwrap_or(policy.time_zone.name);
    let mut steps = Steps::new(explain);
    let mut rules = SellingRuleSet::of(&[SellingRule::BB1]);
    rules.insert(policy.time_zone.source.rule);
    let country = order.country(policy);
    let business = policy
        .business_days
        .as_ref()
        .and_then(|b| b.calendar(country).map(|c| (b, c)));
    let mut ctx = Ctx {
        cal: policy.calendar(),
        order,
        dispute,
        business,
        response_due: None,
    };
    let moment = |t: DateTime<Utc>| Moment::new(t, tz);
    let mut entries: Vec<Entry> = Vec::new();
    let mut missing: Vec<Missing> = Vec::new();
    let fact = |m: Milestone, t: DateTime<Utc>, rule: SellingRule| Entry {
        milestone: m,
        at: moment(t),
        rule,
        origin: Origin::Fact,
        grade: None,
        confidence: None,
        binds_seller: false,
        passed: now >= t,
        before: m.before(),
    };
    let computed = |m: Milestone, t: DateTime<Utc>, o: &Offset, binds: bool| Entry {
        milestone: m,
        at: moment(t),
        rule: o.source.rule,
        origin: Origin::Computed,
        grade: Some(o.source.grade),
        confidence: Some(o.source.confidence),
        binds_seller: binds,
        passed: now >= t,
        before: m.before(),
    };
    entries.push(fact(Milestone::Paid, order.paid_at, SellingRule::BB1));

    // The reason and family.
    let reason = dispute.and_then(|d| d.resolve_reason(policy));
    if let Some(r) = &reason {
        rules.insert(r.rule);
        steps.step(r.rule, || {
            format!(
                "reason `{}`{} is a `{}` dispute; supplier-side reasons: {}",
                r.code,
                r.network_reason_code
                    .as_deref()
                    .map(|c| format!(" (network code `{c}`)"))
                    .unwrap_or_default(),
                r.family.code(),
                if r.supplier_reasons.is_empty() {
                    "none".to_owned()
                } else {
                    r.supplier_reasons
                        .iter()
                        .map(|x| x.code())
                        .collect::<Vec<_>>()
                        .join(", ")
                }
            )
        });
    }
    let network = dispute.and_then(|d| d.network);
    let families: Vec<Family> = match &reason {
        Some(r) => vec![r.family],
        None => vec![Family::NotReceived, Family::NotAsDescribed],
    };

    // The customer's filing windows.
    let mut windows = Vec::new();
    for family in &families {
        let Some(w) = policy.window(*family, network) else {
            continue;
        };
        let opens = ctx.earliest(&w.opens);
        let closes = ctx.earliest(&w.closes);
        for (list, in_closes) in [(&w.opens, false), (&w.closes, true)] {
            for o in list {
                if let Some(field) = ctx.missing_field(o.from, in_closes) {
                    if !missing.iter().any(|m| m.field == field) {
                        missing.push(Missing {
                            field,
                            rule: o.source.rule,
                            effect: if in_closes {
                                "the customer's window is counted without it (from the payment) or left unknown"
                            } else {
                                "the opening of the customer's window is unknown"
                            },
                        });
                        rules.insert(SellingRule::BB1);
                    }
                }
            }
        }
        if w.opens
            .iter()
            .any(|o| o.from == Anchor::PaymentWithoutExpectedDelivery)
            && opens.is_none()
            && order.expected_delivery.is_some()
        {
            // S-N2: with a delivery date, there is no 15-day wait.
            if let Some(o) = w.opens.first() {
                rules.insert(o.source.rule);
            }
        }
        let filed = dispute.map(|d| {
            opens.is_none_or(|(t, _)| d.opened_at >= t)
                && closes.is_none_or(|(t, _)| d.opened_at < t)
        });
        if let Some((t, o)) = opens {
            rules.insert(o.source.rule);
            if !entries
                .iter()
                .any(|e| e.milestone == Milestone::FilingWindowOpens && e.at.utc == t)
            {
                entries.push(computed(Milestone::FilingWindowOpens, t, o, false));
            }
        }
        if let Some((t, o)) = closes {
            rules.insert(o.source.rule);
            if !entries
                .iter()
                .any(|e| e.milestone == Milestone::FilingWindowCloses && e.at.utc == t)
            {
                entries.push(computed(Milestone::FilingWindowCloses, t, o, false));
            }
        }
        steps.step(
            closes.map_or(SellingRule::BB1, |(_, o)| o.source.rule),
            || {
                format!(
                    "a `{}` dispute can be opened {} until {}",
                    family.code(),
                    opens.map_or_else(
                        || "from the payment".to_owned(),
                        |(t, _)| format!("from {}", moment(t))
                    ),
                    closes.map_or_else(
                        || "an unknown end (a date is missing)".to_owned(),
                        |(t, o)| format!(
                            "{} ({} days after the {}, {} confidence)",
                            moment(t),
                            o.amount,
                            o.from.code(),
                            conf(o.source.confidence)
                        )
                    )
                )
            },
        );
        windows.push(FilingWindowAnswer {
            family: *family,
            network: if w.networks.is_empty() { None } else { network },
            opens_at: opens.map(|(t, _)| moment(t)),
            closes_at: closes.map(|(t, _)| moment(t)),
            closes_rule: closes.map(|(_, o)| o.source.rule),
            confidence: closes.map(|(_, o)| o.source.confidence),
            open_now: opens.is_none_or(|(t, _)| now >= t) && closes.is_none_or(|(t, _)| now < t),
            filed_in_window: filed,
        });
    }

    // The dispute's stage deadlines.
    let mut response_due: Option<Entry> = None;
    let mut no_response = false;
    let stage = dispute.and_then(|d| policy.stage(&d.stage));
    if let (Some(d), Some(stage)) = (dispute, stage) {
        let family = reason.as_ref().map_or(Family::Other, |r| r.family);
        rules.insert(stage.source.rule);
        entries.push(fact(
            Milestone::DisputeOpened,
            d.opened_at,
            SellingRule::BB1,
        ));
        if let Some(s) = d.stage_started_at.filter(|s| *s != d.opened_at) {
            entries.push(fact(Milestone::StageStarted, s, stage.source.rule));
        }
        let applies = |dl: &&Deadline| dl.families.is_empty() || dl.families.contains(&family);
        let open = d.closed_at.is_none();
        // BB-4: the platform's instant wins over the computed response.
        let computed_response = stage
            .deadlines
            .iter()
            .filter(applies)
            .find(|dl| dl.kind == DeadlineKind::SellerResponse)
            .and_then(|dl| ctx.resolve(&dl.at).map(|t| (t, &dl.at)));
        let pd = &policy.platform_due;
        if d.no_response_allowed {
            no_response = true;
            rules.insert(pd.source.rule);
            rules.insert(SellingRule::BB4);
            steps.step(pd.source.rule, || {
                format!(
                    "{} allows no response to this dispute",
                    policy.platform.display()
                )
            });
        } else if let Some(given) = d.respond_by.filter(|_| open) {
            let (t, extra) = match given {
                DayOrInstant::Instant(t) => (t, None),
                DayOrInstant::Day(day) => {
                    let t = match pd.date_reading {
                        DateReading::StartOfDay => ctx.cal.start_of_day(day),
                        DateReading::EndOfDay => {
                            ctx.cal.start_of_day(add_days(day, 1).unwrap_or(day))
                        }
                    };
                    (t, Some(pd.date_reading_source.rule))
                }
            };
            rules.insert(pd.source.rule);
            rules.insert(SellingRule::BB4);
            if let Some(r) = extra {
                rules.insert(r);
                steps.step(r, || {
                    format!(
                        "the platform's due date {given_day} is read as {}",
                        moment(t),
                        given_day = match given {
                            DayOrInstant::Day(x) => x.to_string(),
                            DayOrInstant::Instant(_) => String::new(),
                        }
                    )
                });
            }
            steps.step(SellingRule::BB4, || match computed_response {
                Some((c, o)) => format!(
                    "the platform's `{}` {} wins over the computed fallback {} ({})",
                    pd.field,
                    moment(t),
                    moment(c),
                    o.source.rule
                ),
                None => format!("the platform's `{}` is {}", pd.field, moment(t)),
            });
            let e = Entry {
                milestone: Milestone::SellerResponse,
                at: moment(t),
                rule: pd.source.rule,
                origin: Origin::Platform,
                grade: None,
                confidence: None,
                binds_seller: true,
                passed: now >= t,
                before: Milestone::SellerResponse.before(),
            };
            response_due = Some(e);
        } else if let Some((t, o)) = computed_response.filter(|_| open) {
            rules.insert(o.source.rule);
            rules.insert(policy.time_zone.source.rule);
            rules.insert(SellingRule::BB5);
            steps.step(o.source.rule, || {
                format!(
                    "no platform instant given: the response is due {} ({} {} after the {}; a computed fallback, {} confidence)",
                    moment(t),
                    o.amount,
                    unit(o.unit),
                    o.from.code(),
                    conf(o.source.confidence)
                )
            });
            response_due = Some(computed(Milestone::SellerResponse, t, o, true));
        }
        ctx.response_due = response_due.map(|e| e.at.utc);
        if let Some(e) = response_due {
            entries.push(e);
        }
        if open {
            for dl in stage.deadlines.iter().filter(applies) {
                if dl.kind == DeadlineKind::SellerResponse {
                    continue;
                }
                if let Some(t) = ctx.resolve(&dl.at) {
                    rules.insert(dl.at.source.rule);
                    if dl.at.unit != Unit::Hours {
                        rules.insert(SellingRule::BB5);
                    }
                    let m = Milestone::of(dl.kind);
                    steps.step(dl.at.source.rule, || {
                        format!(
                            "{}: {} ({} {} after the {})",
                            m.as_str(),
                            moment(t),
                            dl.at.amount,
                            unit(dl.at.unit),
                            dl.at.from.code()
                        )
                    });
                    entries.push(computed(m, t, &dl.at, dl.kind.binds_seller()));
                }
            }
        }
        if let Some(t) = d.offer_made_at {
            entries.push(fact(Milestone::OfferMade, t, SellingRule::BB1));
        }
        if let Some(t) = d.closed_at {
            entries.push(fact(Milestone::CaseClosed, t, SellingRule::BB1));
        }
        for dl in policy.common_deadlines.iter().filter(applies) {
            let relevant = match dl.kind {
                DeadlineKind::AppealCloses => true,
                _ => open,
            };
            if let Some(t) = ctx.resolve(&dl.at).filter(|_| relevant) {
                rules.insert(dl.at.source.rule);
                entries.push(computed(
                    Milestone::of(dl.kind),
                    t,
                    &dl.at,
                    dl.kind.binds_seller(),
                ));
            }
        }
    }
    // Stable: equal instants keep their logical order.
    entries.sort_by_key(|e| e.at.utc);

    let decision_at = entries
        .iter()
        .find(|e| e.milestone == Milestone::PlatformDecision)
        .copied()
        .or(response_due);
    let next_deadline = entries
        .iter()
        .find(|e| e.binds_seller && !e.passed)
        .copied();

    let family = reason.as_ref().map(|r| r.family);
    let evidence = evidence(policy, order, family, &mut rules);
    let exposure = exposure(policy, order, dispute, now, family);
    rules.extend(exposure.rules);

    // Next actions on the customer's side.
    let mut actions = Vec::new();
    if no_response {
        actions.push(SellerAction {
            kind: SellerActionKind::NoResponsePossible,
            deadline: None,
            rules: SellingRuleSet::of(&[policy.platform_due.source.rule]),
            text: format!(
                "{} allows no response to this dispute: it cannot be contested there",
                policy.platform.display()
            ),
        });
    }
    for e in entries.iter().filter(|e| e.binds_seller && !e.passed) {
        let (kind, text) = match e.milestone {
            Milestone::SellerResponse => (
                SellerActionKind::Respond,
                match &policy.platform_due.auto_submission {
                    Some(s) => {
                        rules.insert(s.rule);
                        format!(
                            "add your evidence on {} before {}: it submits what it has on the due date ({})",
                            policy.platform.display(),
                            e.at,
                            s.rule
                        )
                    }
                    None => format!(
                        "respond to {} with your evidence before {}",
                        policy.platform.display(),
                        e.at
                    ),
                },
            ),
            Milestone::EscalationCloses => (
                SellerActionKind::ResolveBeforeEscalation,
                format!(
                    "settle with the customer before they escalate; unless they do, the case closes by itself at {}",
                    e.at
                ),
            ),
            Milestone::RefundDue => (
                SellerActionKind::IssueRefund,
                format!("issue the refund you offered before {}", e.at),
            ),
            Milestone::AppealCloses => (
                SellerActionKind::Appeal,
                format!(
                    "if the decision went against you, appeal with new information before {}",
                    e.at
                ),
            ),
            _ => continue,
        };
        let mut r = SellingRuleSet::of(&[e.rule]);
        if e.origin == Origin::Platform {
            r.insert(SellingRule::BB4);
        }
        actions.push(SellerAction {
            kind,
            deadline: Some(e.at),
            rules: r,
            text,
        });
    }
    if let (Some(d), Some(w)) = (dispute, windows.first()) {
        if w.filed_in_window == Some(false) {
            let rule = w.closes_rule.unwrap_or(SellingRule::BB1);
            let late = w.closes_at.is_some_and(|c| d.opened_at >= c.utc);
            actions.push(SellerAction {
                kind: SellerActionKind::ContestLateFiling,
                deadline: response_due.map(|e| e.at),
                rules: SellingRuleSet::of(&[rule]),
                text: format!(
                    "the customer opened this dispute {} their window ({}): say so in your response",
                    if late { "after the end of" } else { "before the start of" },
                    if late {
                        w.closes_at.map(|m| m.to_string()).unwrap_or_default()
                    } else {
                        w.opens_at.map(|m| m.to_string()).unwrap_or_default()
                    }
                ),
            });
            rules.insert(rule);
        }
    }
    actions.sort_by_key(|a| a.deadline.map(|m| m.utc));
    if next_deadline.is_some() || response_due.is_some() {
        rules.insert(SellingRule::BB3);
    }

    SellerTimeline {
        order_id: order.order_id.clone(),
        platform: policy.platform,
        policy: policy.id.clone(),
        stage: dispute.map(|d| d.stage.clone()),
        reason,
        windows,
        entries,
        response_due,
        decision_at,
        next_deadline,
        evidence,
        exposure,
        missing,
        next_actions: actions,
        rules,
        explanation: steps.finish(),
    }
}

const fn conf(c: Confidence) -> &'static str {
    match c {
        Confidence::High => "high",
        Confidence::Medium => "medium",
        Confidence::Low => "low",
        Confidence::Assumption => "assumed",
    }
}

const fn unit(u: Unit) -> &'static str {
    match u {
        Unit::CalendarDays => "calendar days",
        Unit::BusinessDays => "business days",
        Unit::Hours => "hours",
    }
}

fn evidence(
    policy: &SellingPolicy,
    order: &CustomerOrder,
    family: Option<Family>,
    rules: &mut SellingRuleSet,
) -> Evidence {
    let fits = |f: &[Family]| match family {
        None => f.is_empty() || f.contains(&Family::NotReceived),
        Some(x) => f.is_empty() || f.contains(&x),
    };
    let items: Vec<EvidenceRef> = policy
        .evidence
        .iter()
        .filter(|e| fits(&e.families))
        .map(|e| {
            rules.insert(e.source.rule);
            EvidenceRef {
                id: e.id.clone(),
                text: e.text.clone(),
                api_name: e.api_name.clone(),
                rule: e.source.rule,
            }
        })
        .collect();
    let not_received = family.is_none_or(|f| f == Family::NotReceived);
    let threshold = policy
        .signature_thresholds
        .iter()
        .find(|t| t.amount.currency == order.amount.currency)
        .filter(|_| not_received);
    if let Some(t) = threshold {
        rules.insert(t.source.rule);
    }
    let signature = Signature {
        required: threshold.map(|t| order.amount.amount >= t.amount.amount),
        threshold: threshold.map(|t| t.amount),
        rule: threshold.map(|t| t.source.rule),
    };
    let seller_protection = policy.seller_protection.as_ref().map(|p| {
        rules.insert(p.source.rule);
        family.is_none_or(|f| p.families.contains(&f))
    });
    Evidence {
        items,
        signature,
        seller_protection,
    }
}

fn exposure(
    policy: &SellingPolicy,
    order: &CustomerOrder,
    dispute: Option<&CustomerDispute>,
    now: DateTime<Utc>,
    family: Option<Family>,
) -> Exposure {
    let mut rules = SellingRuleSet::of(&[policy.loss.source.rule]);
    let tier = order.fee_tier(policy);
    let country = order.country(policy);
    let day = dispute.map_or(now, |d| d.opened_at).date_naive();
    let mut fees = Vec::new();
    let mut total = order.amount.amount;
    // Per fee kind: did the policy have a fee for this case, and one in the
    // order's currency and the seller's country?
    let mut seen: Vec<(FeeKind, bool)> = Vec::new();
    for f in &policy.fees {
        let tier_ok = f
            .tier
            .as_ref()
            .is_none_or(|t| Some(t.name.as_str()) == tier);
        let stage_ok =
            f.stages.is_empty() || dispute.is_none_or(|d| f.stages.contains(&d.stage));
        let since_ok = f.since.is_none_or(|s| day >= s);
        let unauthorized_waived = family == Some(Family::Unauthorized)
            && f.waived_when.list.contains(&Waiver::Unauthorized);
        if !(tier_ok && stage_ok && since_ok) || unauthorized_waived {
            continue;
        }
        let matches = f.amount.currency == order.amount.currency
            && f.country.as_deref().is_none_or(|c| c == country);
        match seen.iter_mut().find(|(k, _)| *k == f.kind) {
            Some((_, m)) => *m |= matches,
            None => seen.push((f.kind, matches)),
        }
        if !matches {
            continue;
        }
        let below_twice = f.waived_when.list.contains(&Waiver::AmountBelowTwiceFee)
            && f.amount
                .amount
                .checked_mul(rust_decimal::Decimal::TWO)
                .is_some_and(|twice| order.amount.amount < twice);
        rules.insert(f.source.rule);
        rules.insert(f.returned_on_win.source.rule);
        rules.insert(f.waived_when.source.rule);
        if let Some(t) = &f.tier {
            rules.insert(t.source.rule);
        }
        if !below_twice {
            total = total.checked_add(f.amount.amount).unwrap_or(total);
        }
        fees.push(FeeLine {
            kind: f.kind,
            tier: f.tier.as_ref().map(|t| t.name.clone()),
            amount: f.amount,
            charged: f.charged,
            returned_on_win: f.returned_on_win.value,
            waived: below_twice,
            waived_if: f
                .waived_when
                .list
                .iter()
                .copied()
                .filter(|w| *w != Waiver::AmountBelowTwiceFee)
                .collect(),
            rule: f.source.rule,
            confidence: f.source.confidence,
        });
    }
    let unknown = seen.iter().any(|(_, m)| !m);
    Exposure {
        amount: order.amount,
        fees,
        total_if_lost: Money::new(total, order.amount.currency),
        fees_unknown: unknown,
        loss: policy.loss.text.clone(),
        rules,
    }
}
