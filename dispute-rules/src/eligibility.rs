//! Eligibility (R-E1..R-E9): can a dispute be opened now, in what window, and
//! what should the buyer do next.
//!
//! [`assess`] answers for `(facts, policy, now)`; `now` is always an argument.

use crate::calendar::{Calendar, Moment, Stamp, Zoned};
use crate::error::Error;
use crate::explain::{Explain, Explanation, Tracer};
use crate::facts::{
    CheckedFacts, ConfirmedBy, ExtensionStatus, OrderFacts, PriorDisputeStatus, Tracking,
};
use crate::policy::{Policy, ProtectionStart};
use crate::rules::{Rule, RuleSet};
use chrono::{DateTime, Utc};
use serde::Serialize;

/// Where the line stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// A dispute can be opened now.
    Eligible,
    /// Not yet: the window opens later (code `too_early`).
    NotYet,
    /// The window has closed (codes `confirmation_timeout`,
    /// `confirmation_window_passed`).
    Closed,
    /// Something else rules a dispute out (the other codes).
    Blocked,
}

impl Status {
    /// The stable name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Status::Eligible => "eligible",
            Status::NotYet => "not_yet",
            Status::Closed => "closed",
            Status::Blocked => "blocked",
        }
    }
}

/// R-E9: why a dispute cannot be opened. Stable names and numbers; when
/// several apply, the lowest number wins (the order of R-E9).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
#[repr(u32)]
#[non_exhaustive]
pub enum Ineligible {
    /// The seller has not shipped the order (R-E1).
    NotShipped = 1,
    /// A refund of the line is already complete.
    RefundComplete = 2,
    /// A dispute on the line was closed by agreement (R-E7).
    ClosedByAgreement = 3,
    /// A dispute is already open on the line (R-E6).
    DisputeAlreadyOpen = 4,
    /// Cancelled disputes exceed the reopen limit (R-E8).
    ReopenLimitReached = 5,
    /// Protection ended while receipt was unconfirmed (R-E4).
    ConfirmationTimeout = 6,
    /// The window after confirmed receipt has passed (R-E3).
    ConfirmationWindowPassed = 7,
    /// The window has not opened yet (R-E1).
    TooEarly = 8,
}

impl Ineligible {
    /// Every code, in R-E9 order.
    pub const ALL: [Ineligible; 8] = [
        Ineligible::NotShipped,
        Ineligible::RefundComplete,
        Ineligible::ClosedByAgreement,
        Ineligible::DisputeAlreadyOpen,
        Ineligible::ReopenLimitReached,
        Ineligible::ConfirmationTimeout,
        Ineligible::ConfirmationWindowPassed,
        Ineligible::TooEarly,
    ];

    /// The stable snake_case code.
    pub const fn code(self) -> &'static str {
        match self {
            Ineligible::NotShipped => "not_shipped",
            Ineligible::RefundComplete => "refund_complete",
            Ineligible::ClosedByAgreement => "closed_by_agreement",
            Ineligible::DisputeAlreadyOpen => "dispute_already_open",
            Ineligible::ReopenLimitReached => "reopen_limit_reached",
            Ineligible::ConfirmationTimeout => "confirmation_timeout",
            Ineligible::ConfirmationWindowPassed => "confirmation_window_passed",
            Ineligible::TooEarly => "too_early",
        }
    }

    /// The stable number (for C).
    pub const fn number(self) -> u32 {
        self as u32
    }

    /// The code for a stable name.
    pub fn from_code(code: &str) -> Option<Ineligible> {
        Ineligible::ALL.into_iter().find(|c| c.code() == code)
    }

    /// The code for a stable number.
    pub fn from_number(n: u32) -> Option<Ineligible> {
        Ineligible::ALL.into_iter().find(|c| c.number() == n)
    }

    /// The status this code puts the line in.
    pub const fn status(self) -> Status {
        match self {
            Ineligible::TooEarly => Status::NotYet,
            Ineligible::ConfirmationTimeout | Ineligible::ConfirmationWindowPassed => {
                Status::Closed
            }
            _ => Status::Blocked,
        }
    }

    /// The rule that defines this case.
    pub const fn rule(self) -> Rule {
        match self {
            Ineligible::NotShipped | Ineligible::TooEarly => Rule::E1,
            Ineligible::RefundComplete => Rule::E9,
            Ineligible::ClosedByAgreement => Rule::E7,
            Ineligible::DisputeAlreadyOpen => Rule::E6,
            Ineligible::ReopenLimitReached => Rule::E8,
            Ineligible::ConfirmationTimeout => Rule::E4,
            Ineligible::ConfirmationWindowPassed => Rule::E3,
        }
    }

    /// A plain-English sentence.
    pub const fn describe(self) -> &'static str {
        match self {
            Ineligible::NotShipped => "the seller has not shipped the order yet",
            Ineligible::RefundComplete => "the line has already been refunded",
            Ineligible::ClosedByAgreement => {
                "an earlier dispute was closed by agreement, which is final"
            }
            Ineligible::DisputeAlreadyOpen => "a dispute is already open on this line",
            Ineligible::ReopenLimitReached => {
                "the dispute has been cancelled more times than it may be reopened"
            }
            Ineligible::ConfirmationTimeout => {
                "protection ended before receipt was confirmed (confirmation timeout)"
            }
            Ineligible::ConfirmationWindowPassed => "the window after confirmed receipt has passed",
            Ineligible::TooEarly => "the dispute window has not opened yet",
        }
    }
}

/// The dispute window: start inclusive, end exclusive (C-1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Window {
    /// First instant a dispute can be opened.
    pub opens_at: Moment,
    /// First instant it can no longer be opened.
    pub closes_at: Moment,
}

impl Window {
    /// Whether `now` lies in `[opens_at, closes_at)`.
    pub fn contains(&self, now: DateTime<Utc>) -> bool {
        self.opens_at.utc <= now && now < self.closes_at.utc
    }
}

/// What the buyer should do next.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ActionKind {
    /// Open the dispute (from `from`, before `deadline`).
    OpenDispute,
    /// Ask the seller to extend protection before `deadline` (R-E5).
    RequestExtension,
    /// A request is pending: if not approved by `deadline`, open the dispute
    /// (R-E5).
    OpenDisputeIfExtensionNotApproved,
    /// Follow the open dispute (R-E6).
    FollowOpenDispute,
    /// Consider a chargeback with the card issuer (R-L7).
    ConsiderChargeback,
}

impl ActionKind {
    /// The stable name.
    pub const fn as_str(self) -> &'static str {
        match self {
            ActionKind::OpenDispute => "open_dispute",
            ActionKind::RequestExtension => "request_extension",
            ActionKind::OpenDisputeIfExtensionNotApproved => {
                "open_dispute_if_extension_not_approved"
            }
            ActionKind::FollowOpenDispute => "follow_open_dispute",
            ActionKind::ConsiderChargeback => "consider_chargeback",
        }
    }
}

/// A next action with its time limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Action {
    /// What to do.
    pub kind: ActionKind,
    /// Not before this instant.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<Moment>,
    /// Before this instant (exclusive).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deadline: Option<Moment>,
    /// The rule that calls for it.
    pub rule: Rule,
    /// Plain-English instruction.
    pub text: &'static str,
}

/// The eligibility answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Eligibility {
    /// Where the line stands.
    pub status: Status,
    /// Why it is not eligible (`None` when eligible).
    pub code: Option<Ineligible>,
    /// The window, when the line has been shipped.
    pub window: Option<Window>,
    /// End of protection for the unconfirmed order, with approved extensions
    /// (R-E2, R-E5).
    pub protection_end: Option<Moment>,
    /// The rules that decided.
    pub rules: RuleSet,
    /// What to do next, soonest deadline first.
    pub next_actions: Vec<Action>,
    /// Plain-English steps, when requested.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explanation: Option<Explanation>,
}

impl Eligibility {
    /// Whether a dispute can be opened now.
    pub fn is_eligible(&self) -> bool {
        self.status == Status::Eligible
    }
}

/// The dates the rules derive from the facts, computed once and shared by
/// eligibility and the timeline.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Dates {
    pub(crate) cal: Calendar,
    pub(crate) shipped: Zoned,
    pub(crate) protection_days: u32,
    pub(crate) protection_end_base: Zoned,
    pub(crate) protection_end: Zoned,
    pub(crate) delivered_cut: Option<Zoned>,
    pub(crate) earliest: Zoned,
    /// A confirmation that counts (made before protection ended, R-E3/R-E4).
    pub(crate) confirmed: Option<Zoned>,
    pub(crate) confirmation_window_end: Option<Zoned>,
    pub(crate) opens_at: Zoned,
    pub(crate) closes_at: Zoned,
    pub(crate) closing_code: Ineligible,
    pub(crate) extension_deadline: Option<Zoned>,
}

impl Dates {
    /// One of the dates as a moment in the policy's zone (its offset was
    /// found when it was computed: no lookup).
    pub(crate) const fn moment(&self, z: Zoned) -> Moment {
        z.moment(self.cal.tz())
    }
}

/// Computes the dates for shipped facts (facts already validated). Each
/// date is computed once, on plain integers (C-1), and carries the zone's
/// offset so that it is written without another lookup.
pub(crate) fn dates(
    facts: &OrderFacts,
    policy: &Policy,
    shipped: DateTime<Utc>,
) -> Result<Dates, Error> {
    let e = &policy.eligibility;
    let cal = policy.calendar();
    // R-E2: the listing's promise, the destination, then the method table.
    let protection_days = e
        .protection_days(
            &facts.shipping_method,
            &facts.destination_country,
            facts.promised_protection_days,
        )
        .ok_or_else(|| {
            Error::InvalidFacts(crate::error::Problems::one(
                "shipping_method",
                format!(
                    "`{}` is not in the policy's protection table (R-E2)",
                    crate::limits::echo(&facts.shipping_method)
                ),
            ))
        })?;
    let shipped_s = cal.stamp(shipped);
    let (anchor, anchor_field) = match (e.protection_starts, facts.paid_at) {
        (ProtectionStart::Payment, Some(paid)) => (cal.stamp(paid), "paid_at"),
        _ => (shipped_s, "shipped_at"),
    };
    let base = in_range(
        cal.shift_stamp(anchor, i64::from(protection_days)),
        "protection would end",
        anchor_field,
    )?;
    // R-E5: approved days are summed and added at once.
    let approved = facts.approved_extension_days();
    let mut end = if approved == 0 {
        base
    } else {
        in_range(
            cal.shift_stamp(anchor, i64::from(protection_days.saturating_add(approved))),
            "protection with the approved extensions would end",
            "extensions",
        )?
    };
    // Appendix (legacy): delivered per tracking cuts the remaining time.
    let mut cut_here = false;
    if let (Some(cut), Tracking::Delivered { at, .. }) =
        (e.delivered_cuts_protection_to_days, facts.tracking)
    {
        let t = in_range(
            cal.shift_stamp(cal.stamp(at), i64::from(cut)),
            "delivery would cut protection to end",
            "tracking.at",
        )?;
        if (t.secs, t.nanos) < (end.secs, end.nanos) {
            end = t;
            cut_here = true;
        }
    }
    let protection_end_base = base.zoned();
    let protection_end = if end == base {
        protection_end_base
    } else {
        end.zoned()
    };
    let delivered_cut = cut_here.then_some(protection_end);
    // R-E1: the Nth day after shipment, 00:00 local.
    let earliest = in_range(
        cal.nth_day_stamp(shipped_s, e.earliest_open_day),
        "the dispute window would open",
        "shipped_at",
    )?
    .zoned();
    // R-E3/R-E4: a confirmation counts only before protection ended.
    let confirmed = facts
        .receipt
        .map(|r| r.at)
        .filter(|at| *at < protection_end.at)
        .map(|at| (at, cal.stamp(at)));
    let confirmation_window_end = confirmed
        .map(|(_, c)| {
            in_range(
                cal.shift_stamp(c, i64::from(e.window_after_confirmation_days)),
                "the window after the confirmation would close",
                "receipt.at",
            )
            .map(|l| l.zoned())
        })
        .transpose()?;
    let confirmed = confirmed.map(|(at, c)| Zoned { at, off: c.off });
    let (opens_at, closes_at, closing_code) = match (confirmed, confirmation_window_end) {
        (Some(c), Some(end)) => {
            let opens = if e.confirmed_receipt_opens_at_once {
                earliest.min(c)
            } else {
                earliest
            };
            (opens, end, Ineligible::ConfirmationWindowPassed)
        }
        _ => (earliest, protection_end, Ineligible::ConfirmationTimeout),
    };
    // R-E5: request an extension no later than protection end minus the wait.
    let extension_deadline = if facts.receipt.is_none() {
        let l = in_range(
            cal.shift_stamp(end, -i64::from(e.extension_approval_wait_days)),
            "the last day to request an extension would fall",
            anchor_field,
        )?;
        Some(l.zoned())
    } else {
        None
    };
    Ok(Dates {
        cal,
        shipped: Zoned {
            at: shipped,
            off: shipped_s.off,
        },
        protection_days,
        protection_end_base,
        protection_end,
        delivered_cut,
        earliest,
        confirmed,
        confirmation_window_end,
        opens_at,
        closes_at,
        closing_code,
        extension_deadline,
    })
}

/// A computed instant, if it lies in the supported years (in UTC and as
/// written in local time; see [`crate::limits`]); else an error naming the
/// input that pushed it out.
#[inline]
fn in_range(s: Stamp, what: &str, field: &str) -> Result<Stamp, Error> {
    let (min, max) = (crate::limits::MIN_YEAR, crate::limits::MAX_YEAR);
    let message = if s.after_supported() {
        format!(
            "{what} on {}, after {max}-12-31, the last day the engine supports",
            s.local().wall.date()
        )
    } else if s.before_supported() {
        format!(
            "{what} on {}, before {min}-01-01, the first day the engine supports",
            s.local().wall.date()
        )
    } else {
        return Ok(s);
    };
    Err(Error::InvalidFacts(crate::error::Problems::one(
        field, message,
    )))
}

/// R-E9 blocking codes that do not depend on dates, in precedence order.
fn blocking(facts: &OrderFacts, policy: &Policy) -> Option<Ineligible> {
    if facts.shipped_at.is_none() {
        return Some(Ineligible::NotShipped);
    }
    blocking_besides_shipment(facts, policy)
}

/// The R-E9 codes after `not_shipped` that need no dates, in order (for an
/// R-R15 claim, which does not wait for a shipment).
pub(crate) fn blocking_besides_shipment(facts: &OrderFacts, policy: &Policy) -> Option<Ineligible> {
    if facts.refund_completed_at.is_some() {
        return Some(Ineligible::RefundComplete);
    }
    if facts
        .disputes
        .iter()
        .any(|d| d.status == PriorDisputeStatus::ClosedByAgreement)
    {
        return Some(Ineligible::ClosedByAgreement);
    }
    if facts
        .disputes
        .iter()
        .any(|d| d.status == PriorDisputeStatus::Open)
    {
        return Some(Ineligible::DisputeAlreadyOpen);
    }
    let cancelled = facts
        .disputes
        .iter()
        .filter(|d| d.status == PriorDisputeStatus::Cancelled)
        .count();
    // R-E8: with k cancelled disputes, a new one is reopen number k.
    if u64::try_from(cancelled).unwrap_or(u64::MAX) > u64::from(policy.eligibility.reopen_limit) {
        return Some(Ineligible::ReopenLimitReached);
    }
    None
}

/// Can a dispute be opened at `now`? Validates the facts first (a wrapper
/// of [`assess_checked`]).
///
/// ```
/// use dispute_rules::{eligibility, OrderFacts, Policy, Status};
/// # let facts = OrderFacts::from_json(include_str!("../tests/data/not_received.json")).unwrap();
/// let now = "2026-03-20T12:00:00Z".parse().unwrap();
/// let answer = eligibility::assess(&facts, &Policy::aliexpress(), now, Default::default()).unwrap();
/// assert_eq!(answer.status, Status::Eligible);
/// ```
pub fn assess(
    facts: &OrderFacts,
    policy: &Policy,
    now: DateTime<Utc>,
    explain: Explain,
) -> Result<Eligibility, Error> {
    Ok(assess_checked(
        &CheckedFacts::new(facts, policy, now)?,
        explain,
    ))
}

/// Can a dispute be opened at the checked facts' `now`? Nothing is
/// validated or computed again.
pub fn assess_checked(checked: &CheckedFacts<'_>, explain: Explain) -> Eligibility {
    assess_dates(
        checked.facts(),
        checked.policy(),
        checked.now(),
        explain,
        checked.dates(),
    )
}

/// [`assess`] for facts already validated against this policy and `now`
/// (the dates are computed here).
pub(crate) fn assess_valid(
    facts: &OrderFacts,
    policy: &Policy,
    now: DateTime<Utc>,
    explain: Explain,
) -> Result<Eligibility, Error> {
    let d = match facts.shipped_at {
        Some(s) => Some(dates(facts, policy, s)?),
        None => None,
    };
    Ok(assess_dates(facts, policy, now, explain, d.as_ref()))
}

/// Eligibility from dates already computed (`None`: not shipped).
fn assess_dates(
    facts: &OrderFacts,
    policy: &Policy,
    now: DateTime<Utc>,
    explain: Explain,
    dates: Option<&Dates>,
) -> Eligibility {
    let mut t = Tracer::new(explain);
    let mut rules = RuleSet::of(&[Rule::C1, Rule::E9]);
    let d = match dates {
        Some(d) => *d,
        None => {
            t.step(Rule::E1, || {
                "the seller has not marked the order shipped, so the timer has not started".into()
            });
            return Eligibility {
                status: Status::Blocked,
                code: Some(Ineligible::NotShipped),
                window: None,
                protection_end: None,
                rules: rules.with(Rule::E1),
                next_actions: Vec::new(),
                explanation: t.finish(),
            };
        }
    };
    rules.insert(Rule::E1);
    rules.insert(Rule::E2);
    trace_dates(&mut t, facts, policy, &d);
    let window = Window {
        opens_at: d.moment(d.opens_at),
        closes_at: d.moment(d.closes_at),
    };

    let code = blocking(facts, policy).or({
        if now >= d.closes_at.at {
            Some(d.closing_code)
        } else if now < d.opens_at.at {
            Some(Ineligible::TooEarly)
        } else {
            None
        }
    });
    if let Some(c) = code {
        rules.insert(c.rule());
        t.step(Rule::E9, || {
            format!("not eligible: {} (`{}`)", c.describe(), c.code())
        });
    } else {
        t.step(Rule::E1, || {
            format!(
                "eligible now: the window runs from {} until {}",
                window.opens_at, window.closes_at
            )
        });
    }
    if d.confirmed.is_some() {
        rules.insert(Rule::E3);
    } else {
        rules.insert(Rule::E4);
    }
    if !facts.extensions.is_empty() {
        rules.insert(Rule::E5);
    }
    // R-E8: a new dispute after a cancellation is a reopen, counted against
    // the limit.
    if facts
        .disputes
        .iter()
        .any(|x| x.status == PriorDisputeStatus::Cancelled)
    {
        rules.insert(Rule::E8);
    }

    let next_actions = actions(facts, policy, now, &d, code, &mut rules);
    Eligibility {
        status: code.map_or(Status::Eligible, Ineligible::status),
        code,
        window: Some(window),
        protection_end: Some(d.moment(d.protection_end)),
        rules,
        next_actions,
        explanation: t.finish(),
    }
}

fn trace_dates(t: &mut Tracer, facts: &OrderFacts, policy: &Policy, d: &Dates) {
    if !t.on() {
        return;
    }
    let cal = d.cal;
    let e = &policy.eligibility;
    t.step(Rule::E1, || {
        format!(
            "shipped {}; the {}th day after shipment begins {}",
            d.moment(d.shipped),
            e.earliest_open_day,
            d.moment(d.earliest)
        )
    });
    let source = match facts.promised_protection_days {
        Some(_) if e.listing_promise_wins => "the listing's promise".to_owned(),
        _ => format!(
            "the policy for `{}` to `{}`",
            facts.shipping_method, facts.destination_country
        ),
    };
    t.step(Rule::E2, || {
        format!(
            "protection lasts {} days ({source}), ending {}",
            d.protection_days,
            d.moment(d.protection_end_base)
        )
    });
    let approved = facts.approved_extension_days();
    if approved > 0 {
        t.step(Rule::E5, || {
            format!(
                "the seller approved {approved} extra days; protection now ends {}",
                d.moment(d.protection_end)
            )
        });
    }
    if let Some(cut) = d.delivered_cut {
        t.step(Rule::E2, || {
            format!(
                "tracking says delivered, which cuts protection to {}",
                d.moment(cut)
            )
        });
    }
    match (facts.receipt, d.confirmed, d.confirmation_window_end) {
        (Some(r), Some(c), Some(end)) => t.step(Rule::E3, || {
            let who = if r.by == ConfirmedBy::Buyer { "the buyer" } else { "the platform" };
            format!(
                "{who} confirmed receipt {}; the window stays open {} days after, until {}",
                d.moment(c),
                e.window_after_confirmation_days,
                d.moment(end)
            )
        }),
        (Some(r), None, _) => t.step(Rule::E4, || {
            format!(
                "receipt was confirmed {}, at or after the protection end: the order had already timed out",
                cal.moment(r.at)
            )
        }),
        _ => t.step(Rule::E4, || {
            format!("receipt is unconfirmed: the window closes when protection ends, {}", d.moment(d.protection_end))
        }),
    }
}

fn actions(
    facts: &OrderFacts,
    policy: &Policy,
    now: DateTime<Utc>,
    d: &Dates,
    code: Option<Ineligible>,
    rules: &mut RuleSet,
) -> Vec<Action> {
    let cal = d.cal;
    // At most two actions apply at once: one allocation, no growth.
    let mut out = Vec::with_capacity(2);
    match code {
        None | Some(Ineligible::TooEarly) => {
            out.push(Action {
                kind: ActionKind::OpenDispute,
                from: Some(d.moment(d.opens_at)),
                deadline: Some(d.moment(d.closes_at)),
                rule: Rule::E1,
                text: "open the dispute within the window",
            });
            if let Some(deadline) = d.extension_deadline {
                let wait = policy.eligibility.extension_approval_wait_days;
                // R-E5: a pending request, waited on for at most `wait` days.
                let pending = facts
                    .extensions
                    .iter()
                    .filter(|x| x.status == ExtensionStatus::Pending)
                    .map(|x| x.requested_at)
                    .max();
                if let Some(req) = pending {
                    let stop = cal.add_days_zoned(req, wait).min(d.closes_at);
                    out.push(Action {
                        kind: ActionKind::OpenDisputeIfExtensionNotApproved,
                        from: Some(d.moment(d.opens_at.max(stop))),
                        deadline: Some(d.moment(d.closes_at)),
                        rule: Rule::E5,
                        text: "if the seller has not approved the extension by then, open the dispute before protection ends",
                    });
                    rules.insert(Rule::E5);
                } else if now < deadline.at && !facts.received() {
                    out.push(Action {
                        kind: ActionKind::RequestExtension,
                        from: None,
                        deadline: Some(d.moment(deadline)),
                        rule: Rule::E5,
                        text: "if the goods are still on the way, ask the seller to extend protection before this, so there is time to wait for approval",
                    });
                    rules.insert(Rule::E5);
                }
            }
        }
        Some(Ineligible::DisputeAlreadyOpen) => out.push(Action {
            kind: ActionKind::FollowOpenDispute,
            from: None,
            deadline: None,
            rule: Rule::E6,
            text: "a dispute is already open on this line: answer it there",
        }),
        Some(
            Ineligible::ConfirmationTimeout
            | Ineligible::ConfirmationWindowPassed
            | Ineligible::ReopenLimitReached,
        ) if facts.payment_method.chargeback_possible() => {
            rules.insert(Rule::L7);
            out.push(Action {
                kind: ActionKind::ConsiderChargeback,
                from: None,
                deadline: None,
                rule: Rule::L7,
                text: "the platform's window is closed; as a last resort, a chargeback with the card issuer may be possible",
            });
        }
        Some(_) => {}
    }
    if !out.is_sorted_by_key(|a| a.deadline.map(|m| m.utc)) {
        out.sort_by_key(|a| a.deadline.map(|m| m.utc));
    }
    out
}

#[cfg(test)]
mod tests;
