//! The readable report of one order, written from the engine's answer types
//! (see [`Analysis`]) plus the input it answers.
//!
//! The report is a list of [`SECTIONS`]; each section is a function of the
//! [`Context`].

use crate::request::{Analysis, Loaded};
use crate::samples::Sample;
use chrono::{DateTime, Utc};
use dispute_rules::facts::{ConfirmedBy, ExtensionStatus, Tracking};
use dispute_rules::reasons::{BuyerReport, EvidenceNeed, RefundRelease};
use dispute_rules::{Error, Moment, RuleSet, Status};
use std::fmt::{self, Write};

/// What a section can draw on.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    /// The input, read.
    pub loaded: &'a Loaded,
    /// The engine's answers.
    pub analysis: &'a Analysis,
    /// The built-in sample, when the input is one.
    pub sample: Option<&'a Sample>,
}

/// A section of the report.
pub type Section = fn(&Context<'_>, &mut String) -> fmt::Result;

/// The sections, in order.
pub const SECTIONS: &[Section] = &[
    header,
    order,
    eligibility,
    timeline,
    next_actions,
    reasons,
    evidence,
    claim_check,
    outcome,
    explanation,
    footer,
];

/// Renders the whole report.
pub fn render(cx: &Context<'_>) -> String {
    let mut out = String::with_capacity(4096);
    for section in SECTIONS {
        // Writing to a String cannot fail.
        let _ = section(cx, &mut out);
    }
    out
}

/// Local time in the policy's zone, like `2026-03-20 05:00 PDT`.
pub fn local(m: &Moment) -> String {
    m.local().format("%Y-%m-%d %H:%M %Z").to_string()
}

/// UTC, like `2026-03-20 12:00 UTC`.
pub fn utc(m: &Moment) -> String {
    m.utc.format("%Y-%m-%d %H:%M UTC").to_string()
}

/// Both, like `2026-03-20 05:00 PDT (12:00 UTC)`; the UTC date is shown
/// only when it differs from the local one.
pub fn both(m: &Moment) -> String {
    let l = m.local();
    if l.date_naive() == m.utc.date_naive() {
        format!("{} ({})", local(m), m.utc.format("%H:%M UTC"))
    } else {
        format!("{} ({})", local(m), utc(m))
    }
}

/// A coarse distance from `now`: `in 3 days 4 h`, `2 h 5 min ago`.
pub fn relative(now: DateTime<Utc>, t: DateTime<Utc>) -> String {
    let secs = (t - now).num_seconds();
    let (ahead, s) = (secs >= 0, secs.unsigned_abs());
    let (d, h, m) = (s / 86_400, s % 86_400 / 3600, s % 3600 / 60);
    let text = match (d, h, m) {
        (0, 0, 0) => return "now".into(),
        (0, 0, m) => format!("{m} min"),
        (0, h, m) => format!("{h} h {m} min"),
        (1, 0, _) => "1 day".into(),
        (1, h, _) => format!("1 day {h} h"),
        (d, 0, _) => format!("{d} days"),
        (d, h, _) => format!("{d} days {h} h"),
    };
    if ahead {
        format!("in {text}")
    } else {
        format!("{text} ago")
    }
}

/// The rule ids of a set, space-separated.
pub fn rule_ids(rules: RuleSet) -> String {
    rules.ids().join(" ")
}

fn snake(s: &str) -> String {
    s.replace('_', " ")
}

fn serde_name<T: serde::Serialize>(t: &T) -> String {
    match serde_json::to_value(t) {
        Ok(serde_json::Value::String(s)) => s,
        _ => "?".into(),
    }
}

fn header(cx: &Context<'_>, out: &mut String) -> fmt::Result {
    let a = &cx.analysis.assessment;
    let l = cx.loaded;
    let now = l.policy.calendar().moment(l.now);
    writeln!(
        out,
        "Dispute assessment: order {}, line {}",
        a.order_id, a.line_id
    )?;
    if let Some(s) = cx.sample {
        writeln!(
            out,
            "  Sample      {} - {} [{}]",
            s.name,
            s.title,
            s.rules.join(" ")
        )?;
    }
    writeln!(
        out,
        "  Policy      {} ({}), time zone {}",
        l.policy.id,
        l.policy.description,
        l.policy.time_zone.name()
    )?;
    writeln!(out, "  Now         {}", both(&now))?;
    Ok(())
}

fn order(cx: &Context<'_>, out: &mut String) -> fmt::Result {
    let f = &cx.loaded.facts;
    let cal = cx.loaded.policy.calendar();
    let at = |t: DateTime<Utc>| both(&cal.moment(t));
    writeln!(out, "\nORDER")?;
    let goods = f
        .goods_total()
        .map_or_else(|| "?".into(), |g| format!("{g} {}", f.currency()));
    write!(
        out,
        "  Goods       {} x {} = {goods}, shipping {}",
        f.quantity, f.unit_price, f.shipping_cost
    )?;
    if let Some(c) = &f.coupon {
        write!(out, ", coupon {c} (not refundable)")?;
    }
    writeln!(out)?;
    if let Some(cap) = f.refund_cap() {
        writeln!(
            out,
            "  Refund cap  {cap} (C-4: price plus shipping, less any coupon)"
        )?;
    }
    writeln!(out, "  Placed      {}", at(f.placed_at))?;
    match f.shipped_at {
        Some(s) => writeln!(
            out,
            "  Shipped     {}, {} to {}",
            at(s),
            f.shipping_method,
            f.destination_country
        )?,
        None => writeln!(
            out,
            "  Shipped     not yet ({} to {})",
            f.shipping_method, f.destination_country
        )?,
    }
    if let Some(p) = f.promised_protection_days {
        writeln!(
            out,
            "  Promised    {p} days of protection by the listing (R-E2)"
        )?;
    }
    let tracking = match f.tracking {
        Tracking::None => "no information".to_owned(),
        Tracking::InTransit {
            last_event_at: Some(t),
        } => format!("in transit, last event {}", at(t)),
        Tracking::InTransit {
            last_event_at: None,
        } => "in transit".to_owned(),
        Tracking::Stalled { since } => format!("no movement since {}", at(since)),
        Tracking::CustomsHold { since } => format!("held by customs since {}", at(since)),
        Tracking::ReturnedToSender { at: t } => format!("returned to the sender {}", at(t)),
        Tracking::Delivered {
            at: t,
            to_correct_address: true,
        } => format!("delivered {}", at(t)),
        Tracking::Delivered {
            at: t,
            to_correct_address: false,
        } => {
            format!("delivered to a wrong address {}", at(t))
        }
        // A tracking status added by a later release of the library.
        _ => "other".to_owned(),
    };
    writeln!(out, "  Tracking    {tracking}")?;
    match &f.receipt {
        Some(r) => {
            let who = if r.by == ConfirmedBy::Buyer {
                "the buyer"
            } else {
                "the platform (automatic)"
            };
            writeln!(out, "  Receipt     confirmed by {who} {}", at(r.at))?;
        }
        None => writeln!(out, "  Receipt     not confirmed")?,
    }
    for x in &f.extensions {
        let status = match (x.status, x.decided_at) {
            (ExtensionStatus::Pending, _) => "pending".to_owned(),
            (s, Some(d)) => format!("{} {}", serde_name(&s), at(d)),
            (s, None) => serde_name(&s),
        };
        writeln!(
            out,
            "  Extension   {} days requested {}, {status}",
            x.days,
            at(x.requested_at)
        )?;
    }
    for d in &f.disputes {
        let closed = d
            .closed_at
            .map(|c| format!(", closed {}", at(c)))
            .unwrap_or_default();
        writeln!(
            out,
            "  Dispute     {} (opened {}{closed})",
            snake(&serde_name(&d.status)),
            at(d.opened_at)
        )?;
    }
    if let Some(t) = f.order_cancelled_at {
        writeln!(out, "  Cancelled   {}", at(t))?;
    }
    if let Some(t) = f.refund_completed_at {
        writeln!(out, "  Refunded    {}", at(t))?;
    }
    let refund_to = if f.payment_method.refunds_to_alipay() {
        ", refunds go to an Alipay account (R-L6)"
    } else {
        ""
    };
    writeln!(
        out,
        "  Payment     {}{refund_to}",
        snake(&serde_name(&f.payment_method))
    )?;
    if let Some(r) = &cx.loaded.report {
        writeln!(out, "  Buyer says  {}", describe_report(r, f.quantity))?;
    }
    if let Some(c) = &cx.loaded.claim {
        writeln!(
            out,
            "  Claim       {} ({}), {}, {}",
            c.reason.code(),
            c.reason.rule().id(),
            snake(c.solution.code()),
            c.refund
        )?;
        if c.evidence.is_empty() {
            writeln!(out, "  Evidence    none attached")?;
        }
        for e in &c.evidence {
            writeln!(
                out,
                "  Evidence    {} ({}, {})",
                e.file_name,
                snake(e.shows.code()),
                bytes(e.size_bytes)
            )?;
        }
    }
    Ok(())
}

/// What the buyer reports, in words.
pub fn describe_report(r: &BuyerReport, quantity: u32) -> String {
    let mut parts: Vec<String> = Vec::new();
    match r.received {
        Some(false) => parts.push("not received".into()),
        Some(true) => parts.push("received".into()),
        None => {}
    }
    if let Some(u) = r.units_received {
        parts.push(format!("{u} of {quantity} units arrived"));
    }
    let flags = [
        (r.damaged, "arrived damaged"),
        (r.damaged_by_buyer, "damaged by the buyer"),
        (r.defective, "defective"),
        (r.minor_defect, "minor defect"),
        (r.wrong_item, "wrong item"),
        (r.missing_parts, "parts missing"),
        (r.counterfeit, "counterfeit"),
        (r.other_carrier, "another carrier than promised"),
        (r.no_longer_wanted, "no longer wanted"),
    ];
    parts.extend(
        flags
            .iter()
            .filter(|(on, _)| *on)
            .map(|(_, t)| (*t).to_owned()),
    );
    if parts.is_empty() {
        "nothing specific".into()
    } else {
        parts.join("; ")
    }
}

fn eligibility(cx: &Context<'_>, out: &mut String) -> fmt::Result {
    let e = &cx.analysis.assessment.eligibility;
    let now = cx.loaded.now;
    writeln!(out, "\nELIGIBILITY  [{}]", rule_ids(e.rules))?;
    match (e.status, e.code) {
        (Status::Eligible, _) => writeln!(out, "  ELIGIBLE: a dispute can be opened now")?,
        (s, Some(c)) => writeln!(
            out,
            "  {} ({}, {}): {}",
            s.as_str().to_uppercase().replace('_', " "),
            c.code(),
            c.rule().id(),
            c.describe()
        )?,
        (s, None) => writeln!(out, "  {}", s.as_str())?,
    }
    if let Some(w) = &e.window {
        writeln!(
            out,
            "  Opens       {}  {}",
            both(&w.opens_at),
            relative(now, w.opens_at.utc)
        )?;
        writeln!(
            out,
            "  Closes      {}  {}",
            both(&w.closes_at),
            relative(now, w.closes_at.utc)
        )?;
    }
    if let Some(p) = &e.protection_end {
        writeln!(
            out,
            "  Protection  ends {}  {}",
            both(p),
            relative(now, p.utc)
        )?;
    }
    Ok(())
}

fn timeline(cx: &Context<'_>, out: &mut String) -> fmt::Result {
    let t = &cx.analysis.assessment.timeline;
    let l = cx.loaded;
    writeln!(
        out,
        "\nTIMELINE  ({}; UTC)  [{}]",
        l.policy.time_zone.name(),
        rule_ids(t.rules)
    )?;
    if t.entries.is_empty() {
        writeln!(out, "  no dates yet: the order has not been shipped (R-E1)")?;
        return Ok(());
    }
    let now = l.policy.calendar().moment(l.now);
    let mut now_shown = false;
    let mut next_shown = false;
    for e in &t.entries {
        if !e.passed && !now_shown {
            writeln!(
                out,
                "  --------  {:<20}  {:<20}         now",
                local(&now),
                utc(&now)
            )?;
            now_shown = true;
        }
        let mark = if e.passed {
            "passed"
        } else if !next_shown {
            next_shown = true;
            "NEXT"
        } else {
            "upcoming"
        };
        writeln!(
            out,
            "  {mark:<8}  {:<20}  {:<20}  {:<5}  {}",
            local(&e.at),
            utc(&e.at),
            e.rule.id(),
            snake(e.milestone.as_str())
        )?;
        if !e.passed && !e.before.is_empty() {
            writeln!(
                out,
                "  {:<8}  {:<20}  {:<20}  {:<5}    before then: {}",
                "", "", "", "", e.before
            )?;
        }
    }
    if !now_shown {
        writeln!(
            out,
            "  --------  {:<20}  {:<20}         now",
            local(&now),
            utc(&now)
        )?;
    }
    Ok(())
}

fn next_actions(cx: &Context<'_>, out: &mut String) -> fmt::Result {
    let actions = &cx.analysis.assessment.eligibility.next_actions;
    let now = cx.loaded.now;
    writeln!(out, "\nNEXT ACTIONS")?;
    if actions.is_empty() {
        writeln!(out, "  nothing to do on the platform")?;
    }
    for (i, a) in actions.iter().enumerate() {
        writeln!(
            out,
            "  {}. {} ({})",
            i + 1,
            snake(a.kind.as_str()),
            a.rule.id()
        )?;
        writeln!(out, "     {}", a.text)?;
        if let Some(f) = &a.from {
            if f.utc > now {
                writeln!(out, "     from      {}  {}", both(f), relative(now, f.utc))?;
            }
        }
        if let Some(d) = &a.deadline {
            writeln!(out, "     deadline  {}  {}", both(d), relative(now, d.utc))?;
        }
    }
    Ok(())
}

fn explanation(cx: &Context<'_>, out: &mut String) -> fmt::Result {
    let x = cx.analysis;
    let a = &x.assessment;
    let parts = [
        ("eligibility", a.eligibility.explanation.as_ref()),
        ("timeline", a.timeline.explanation.as_ref()),
        (
            "reasons",
            x.suggestions
                .as_ref()
                .ok()
                .and_then(|s| s.explanation.as_ref()),
        ),
        (
            "evidence",
            x.checklist
                .as_ref()
                .and_then(|c| c.as_ref().ok())
                .and_then(|c| c.explanation.as_ref()),
        ),
        (
            "outcome",
            x.prediction
                .as_ref()
                .ok()
                .and_then(|p| p.explanation.as_ref()),
        ),
        (
            "claim",
            x.claim_check
                .as_ref()
                .and_then(|c| c.as_ref().ok())
                .and_then(|c| c.explanation.as_ref()),
        ),
    ];
    if parts.iter().all(|(_, x)| x.is_none()) {
        return Ok(());
    }
    writeln!(out, "\nEXPLANATION")?;
    for (name, x) in parts {
        let Some(x) = x else { continue };
        writeln!(out, "  {name}:")?;
        for s in x.steps() {
            writeln!(out, "    {:<5}  {}", s.rule.id(), s.text)?;
        }
    }
    Ok(())
}

/// `1240566` -> `1.2 MB`.
fn bytes(n: u64) -> String {
    if n >= 1_000_000 {
        format!("{}.{} MB", n / 1_000_000, n % 1_000_000 / 100_000)
    } else {
        format!("{} kB", n.div_ceil(1000))
    }
}

fn problems(out: &mut String, e: &Error) -> fmt::Result {
    writeln!(out, "  {}", e.kind().as_str())?;
    for p in e.problems() {
        writeln!(out, "    {p}")?;
    }
    Ok(())
}

fn reasons(cx: &Context<'_>, out: &mut String) -> fmt::Result {
    match &cx.analysis.suggestions {
        Err(e) => {
            writeln!(out, "\nSUGGESTED REASONS")?;
            problems(out, e)
        }
        Ok(s) => {
            writeln!(out, "\nSUGGESTED REASONS  [{}]", rule_ids(s.rules))?;
            let how = if s.received_inferred {
                "inferred from the facts"
            } else {
                "as the buyer reports"
            };
            let what = if s.received {
                "received"
            } else {
                "not received"
            };
            writeln!(out, "  Did you receive your package? {what} ({how})")?;
            if s.reasons.is_empty() {
                writeln!(out, "  nothing reported points to a reason yet")?;
            }
            for (i, r) in s.reasons.iter().take(5).enumerate() {
                writeln!(
                    out,
                    "  {}. {:<40} {:<6} score {:>3}  {}",
                    i + 1,
                    r.reason.code(),
                    r.reason.rule().id(),
                    r.score,
                    snake(r.solution.code())
                )?;
                writeln!(out, "     {}", r.why)?;
            }
            if s.reasons.len() > 5 {
                writeln!(out, "  ... {} more", s.reasons.len() - 5)?;
            }
            Ok(())
        }
    }
}

fn need(n: &EvidenceNeed) -> String {
    n.shows
        .iter()
        .map(|k| k.describe())
        .collect::<Vec<_>>()
        .join(", or ")
}

fn evidence(cx: &Context<'_>, out: &mut String) -> fmt::Result {
    let Some(c) = &cx.analysis.checklist else {
        return Ok(());
    };
    match c {
        Err(e) => {
            writeln!(out, "\nEVIDENCE CHECKLIST")?;
            problems(out, e)
        }
        Ok(c) => {
            let whose = if cx.loaded.claim.is_some() {
                "the claim's attachments"
            } else {
                "nothing attached yet"
            };
            writeln!(
                out,
                "\nEVIDENCE CHECKLIST  {} ({}), {whose}: {}% complete  [{}]",
                c.reason.code(),
                c.reason.rule().id(),
                c.score_percent,
                rule_ids(c.rules)
            )?;
            for n in &c.present {
                writeln!(out, "  [x] {:>3}%  {}", n.weight, need(n))?;
            }
            for n in &c.missing {
                writeln!(out, "  [ ] {:>3}%  {}", n.weight, need(n))?;
            }
            if let Some(t) = c.most_helpful_text {
                writeln!(out, "  Most helpful to add: {t}")?;
            }
            if !c.unrelated.is_empty() {
                writeln!(
                    out,
                    "  {} attachment(s) show nothing this reason asks for",
                    c.unrelated.len()
                )?;
            }
            Ok(())
        }
    }
}

fn claim_check(cx: &Context<'_>, out: &mut String) -> fmt::Result {
    let Some(c) = &cx.analysis.claim_check else {
        return Ok(());
    };
    match c {
        Err(e) => {
            writeln!(out, "\nCLAIM CHECK")?;
            writeln!(out, "  NOT ACCEPTED as it stands:")?;
            for p in e.problems() {
                writeln!(out, "    {p}")?;
            }
            Ok(())
        }
        Ok(c) => {
            writeln!(out, "\nCLAIM CHECK  [{}]", rule_ids(c.rules))?;
            writeln!(
                out,
                "  ACCEPTED: {} refund of {} (full amount {}, C-4), {}",
                c.refund_type.code(),
                c.refund,
                c.full_amount,
                snake(c.solution.code())
            )?;
            if let Some(m) = &c.missing_units_value {
                writeln!(out, "  Missing units are worth {m} (R-O4)")?;
            }
            if c.return_goods {
                let payer = c.return_shipping_payer.map_or("?", |p| p.code());
                writeln!(
                    out,
                    "  Return the goods; return shipping paid by the {payer} (R-S2)"
                )?;
            }
            let when = match c.refund_released {
                RefundRelease::OnResolution => "once the dispute is resolved in the buyer's favour",
                RefundRelease::OnSellerConfirmingReturn => {
                    "once the seller confirms receipt of the return (R-S3)"
                }
                _ => "as the platform rules",
            };
            writeln!(out, "  Refund paid {when}")?;
            let fault = if c.seller_at_fault {
                "the seller's fault"
            } else {
                "not the seller's fault"
            };
            writeln!(out, "  This reason is {fault}")?;
            Ok(())
        }
    }
}

fn outcome(cx: &Context<'_>, out: &mut String) -> fmt::Result {
    match &cx.analysis.prediction {
        Err(e) => {
            writeln!(out, "\nLIKELY OUTCOME")?;
            writeln!(out, "  no prediction:")?;
            for p in e.problems() {
                writeln!(out, "    {p}")?;
            }
            Ok(())
        }
        Ok(p) => {
            writeln!(out, "\nLIKELY OUTCOME  [{}]", rule_ids(p.rules))?;
            let what = if p.reason_inferred {
                "the best-fitting reason"
            } else {
                "the claim"
            };
            writeln!(out, "  For {what}: {}", p.reason.code())?;
            let confidence = format!("{:?}", p.confidence).to_lowercase();
            writeln!(
                out,
                "  Most likely: {} of {} ({}%, {} confidence); the buyer gets money back with {}% odds",
                snake(p.likely.kind.code()),
                p.likely.refund,
                p.likely.likelihood_percent,
                confidence,
                p.buyer_odds_percent
            )?;
            for o in p
                .outcomes
                .iter()
                .skip(1)
                .filter(|o| o.possible && o.likelihood_percent > 0)
            {
                writeln!(
                    out,
                    "  or:          {} of {} ({}%)",
                    snake(o.kind.code()),
                    o.refund,
                    o.likelihood_percent
                )?;
            }
            if let Some(payer) = p
                .likely
                .return_shipping_payer
                .filter(|_| p.likely.return_goods)
            {
                writeln!(out, "  Return shipping paid by the {} (R-S2)", payer.code())?;
            }
            if let Some(c) = &p.compensation_up_to {
                writeln!(
                    out,
                    "  Counterfeit: compensation of up to {c} may be added (appendix)"
                )?;
            }
            writeln!(out, "  What moved it (R-O6):")?;
            for f in p.factors.as_slice() {
                let pts = f.points;
                let mark = if f.decisive { " (decisive)" } else { "" };
                writeln!(
                    out,
                    "    {:<5}  {:<34} full {:+} / return {:+} / partial {:+} / none {:+}{mark}",
                    f.rule.id(),
                    f.id.code(),
                    pts.get(dispute_rules::outcome::OutcomeKind::FullRefund),
                    pts.get(dispute_rules::outcome::OutcomeKind::FullRefundWithReturn),
                    pts.get(dispute_rules::outcome::OutcomeKind::PartialRefund),
                    pts.get(dispute_rules::outcome::OutcomeKind::NoRefund),
                )?;
                if let Some(t) = f.text {
                    writeln!(out, "           {t}")?;
                }
            }
            Ok(())
        }
    }
}

fn footer(cx: &Context<'_>, out: &mut String) -> fmt::Result {
    let a = &cx.analysis.assessment;
    let mut rules = a.eligibility.rules;
    rules.extend(a.timeline.rules);
    let x = cx.analysis;
    if let Ok(s) = &x.suggestions {
        rules.extend(s.rules);
    }
    if let Some(Ok(c)) = &x.checklist {
        rules.extend(c.rules);
    }
    if let Some(Ok(c)) = &x.claim_check {
        rules.extend(c.rules);
    }
    if let Ok(p) = &x.prediction {
        rules.extend(p.rules);
    }
    writeln!(out, "\nRules applied: {} (see docs/rules.md)", rule_ids(rules))?;
    Ok(())
}
