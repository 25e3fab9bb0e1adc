//! Back-to-back: one order's two sides at once, the customer's dispute
//! against the seller (PayPal, eBay, Amazon, a card through Stripe or
//! Shopify Payments) and the seller's own dispute against the supplier
//! (AliExpress), read from a request for
//! `dispute_rules::api::call("back_to_back", ...)` and shown as a report.
//!
//! [`load`] reads a request into the engine's types the way the
//! `back_to_back` operation does (the same fields, the same defaults, every
//! error named alike: a test keeps the two equal), so the report and
//! `assess --json` answer the very same input. The pieces ([`customer_order`],
//! [`customer_dispute`], [`selling_policy`], [`time_zone`]) also read the
//! customer side of a JSON-lines batch record.

use crate::report::{both, local, relative, utc};
use crate::samples::BackToBackSample;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use dispute_rules::backtoback::{self, BackToBack, Deadline, RouteState, Side};
use dispute_rules::selling::api::{resolve_selling_policy, SellingRequest};
use dispute_rules::selling::timeline::Origin;
use dispute_rules::selling::{CustomerDispute, CustomerOrder, SellingPolicy};
use dispute_rules::{Error, Explain, OrderFacts, Policy, Problems};
use serde_json::value::RawValue;
use std::fmt::{self, Write};

/// A back-to-back request read into the engine's types.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The customer's order with the seller.
    pub order: CustomerOrder,
    /// The customer's dispute, when one is open.
    pub dispute: Option<CustomerDispute>,
    /// The selling policy (the request's, else the preset of the order's
    /// platform).
    pub selling: SellingPolicy,
    /// The supplier's order facts.
    pub facts: OrderFacts,
    /// The supplier policy (the request's, else `aliexpress`).
    pub policy: Policy,
    /// The moment of evaluation.
    pub now: DateTime<Utc>,
    /// The zone of local times (default: the supplier policy's).
    pub zone: Option<Tz>,
    /// Whether to explain.
    pub explain: Explain,
}

impl Loaded {
    /// The zone local times are shown in.
    pub fn display_zone(&self) -> Tz {
        self.zone.unwrap_or(self.policy.time_zone)
    }
}

/// The customer's order of a request (`customer_order`, required).
pub fn customer_order(raw: Option<&RawValue>) -> Result<CustomerOrder, Error> {
    let raw = raw.ok_or_else(|| {
        Error::InvalidRequest(Problems::one(
            "customer_order",
            "missing field `customer_order`",
        ))
    })?;
    CustomerOrder::from_json(raw.get()).map_err(|e| e.nested("customer_order"))
}

/// The customer's dispute of a request (`customer_dispute`, optional).
pub fn customer_dispute(raw: Option<&RawValue>) -> Result<Option<CustomerDispute>, Error> {
    raw.map(|raw| CustomerDispute::from_json(raw.get()).map_err(|e| e.nested("customer_dispute")))
        .transpose()
}

/// The selling policy of a request: `selling_policy` (a preset id or a
/// whole policy), else the preset of the order's platform.
pub fn selling_policy(
    raw: Option<&RawValue>,
    order: &CustomerOrder,
) -> Result<SellingPolicy, Error> {
    match raw {
        Some(raw) => resolve_selling_policy(raw.get()),
        None => Ok(SellingPolicy::for_platform(order.platform)),
    }
}

/// The supplier's order facts of a request (`facts`, required).
pub fn supplier_facts(raw: Option<&RawValue>) -> Result<OrderFacts, Error> {
    let raw = raw.ok_or_else(|| {
        Error::InvalidRequest(Problems::one(
            "facts",
            "missing field `facts` (the supplier's order facts)",
        ))
    })?;
    OrderFacts::from_json(raw.get()).map_err(|e| e.nested("facts"))
}

/// The supplier policy of a request: `policy` (a preset id or a whole
/// policy), else `aliexpress`.
pub fn supplier_policy(raw: Option<&RawValue>) -> Result<Policy, Error> {
    let Some(raw) = raw else {
        return Ok(Policy::aliexpress());
    };
    let text = raw.get();
    if text.trim_start().starts_with('"') {
        let id: String = serde_json::from_str(text)
            .map_err(|e| Error::InvalidPolicy(Problems::one("policy", e.to_string())))?;
        Policy::preset(&id).ok_or_else(|| {
            Error::InvalidPolicy(Problems::one(
                "policy",
                format!(
                    "unknown preset `{id}` (known: {})",
                    Policy::PRESETS.join(", ")
                ),
            ))
        })
    } else {
        Policy::from_json(text).map_err(|e| e.nested("policy"))
    }
}

/// The zone of a request's `time_zone` (an IANA name), when given.
pub fn time_zone(name: Option<&str>) -> Result<Option<Tz>, Error> {
    name.map(|name| {
        name.parse::<Tz>().map_err(|_| {
            Error::InvalidRequest(Problems::one(
                "time_zone",
                format!(
                    "unknown time zone `{name}` (use an IANA name such as `America/Los_Angeles`)"
                ),
            ))
        })
    })
    .transpose()
}

/// Reads a `back_to_back` request; errors name the field as the operation
/// does (`customer_order.paid_at`, `customer_dispute.stage`,
/// `facts.shipped_at`, `time_zone`).
pub fn load(request_json: &str) -> Result<Loaded, Error> {
    let r = SellingRequest::parse(request_json)?;
    let order = customer_order(r.customer_order)?;
    let dispute = customer_dispute(r.customer_dispute)?;
    let selling = selling_policy(r.selling_policy, &order)?;
    let facts = supplier_facts(r.facts)?;
    let policy = supplier_policy(r.policy)?;
    let now = r.now.ok_or_else(|| {
        Error::InvalidRequest(Problems::one(
            "now",
            "missing field `now` (an RFC 3339 instant)",
        ))
    })?;
    let zone = time_zone(r.time_zone.as_deref())?;
    Ok(Loaded {
        order,
        dispute,
        selling,
        facts,
        policy,
        now,
        zone,
        explain: Explain::from(r.explain),
    })
}

/// The back-to-back answer for a loaded request.
pub fn assess(l: &Loaded) -> Result<BackToBack, Error> {
    backtoback::assess(
        &l.order,
        l.dispute.as_ref(),
        &l.selling,
        &l.facts,
        &l.policy,
        l.now,
        l.zone,
        l.explain,
    )
}

/// The stable name of a side (`customer`, `supplier`).
pub const fn side_name(s: Side) -> &'static str {
    match s {
        Side::Customer => "customer",
        Side::Supplier => "supplier",
    }
}

/// The stable name of a route state (`open`, `closed`...), as the JSON
/// answer writes it.
pub const fn route_name(s: RouteState) -> &'static str {
    match s {
        RouteState::Open => "open",
        RouteState::NotYetOpen => "not_yet_open",
        RouteState::Closed => "closed",
        RouteState::DisputeOpen => "dispute_open",
        RouteState::Refunded => "refunded",
        RouteState::NotShipped => "not_shipped",
        RouteState::NotApplicable => "not_applicable",
        // A state added by a later release of the library.
        _ => "other",
    }
}

/// The stable name of a back-to-back action (`request_supplier_extension`,
/// `respond_to_customer`...), as the JSON answer writes it.
pub const fn action_name(k: backtoback::ActionKind) -> &'static str {
    use backtoback::ActionKind as K;
    match k {
        K::RequestSupplierExtension => "request_supplier_extension",
        K::OpenSupplierDispute => "open_supplier_dispute",
        K::OpenSupplierDisputeIfExtensionNotApproved => {
            "open_supplier_dispute_if_extension_not_approved"
        }
        K::FollowSupplierDispute => "follow_supplier_dispute",
        K::ConsiderSupplierChargeback => "consider_supplier_chargeback",
        K::RespondToCustomer => "respond_to_customer",
        K::ResolveBeforeEscalation => "resolve_before_escalation",
        K::IssueRefund => "issue_refund",
        K::Appeal => "appeal",
        K::ContestLateFiling => "contest_late_filing",
        K::NoResponsePossible => "no_response_possible",
        // An action added by a later release of the library.
        _ => "other",
    }
}

/// The first next action whose deadline is still ahead of `now`, else the
/// first next action.
pub fn first_action(b: &BackToBack, now: DateTime<Utc>) -> Option<&backtoback::Action> {
    b.next_actions
        .iter()
        .find(|a| a.deadline.is_some_and(|d| d.utc > now))
        .or_else(|| b.next_actions.first())
}

fn words(s: &str) -> String {
    s.replace('_', " ")
}

fn serde_name<T: serde::Serialize>(t: &T) -> String {
    match serde_json::to_value(t) {
        Ok(serde_json::Value::String(s)) => s,
        _ => "?".into(),
    }
}

/// Renders the report: the binding deadline first, then the supplier route
/// (with what is at stake), the next actions in order, both timelines, the
/// explanation when asked for, and every rule applied.
pub fn render(l: &Loaded, b: &BackToBack, sample: Option<&BackToBackSample>) -> String {
    let mut out = String::with_capacity(4096);
    // Writing to a String cannot fail.
    let _ = write_report(&mut out, l, b, sample);
    out
}

fn write_report(
    out: &mut String,
    l: &Loaded,
    b: &BackToBack,
    sample: Option<&BackToBackSample>,
) -> fmt::Result {
    let tz = l.display_zone();
    let now = dispute_rules::Moment::new(l.now, tz);
    let at = |t: DateTime<Utc>| both(&dispute_rules::Moment::new(t, tz));
    let platform = l.selling.platform.display();
    let f = &l.facts;

    writeln!(
        out,
        "Back-to-back assessment: customer order {} ({platform}), supplier order {}, line {}",
        l.order.order_id, f.order_id, f.line_id
    )?;
    if let Some(s) = sample {
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
        "  Customer    paid {} on {platform}, {}",
        l.order.amount,
        at(l.order.paid_at)
    )?;
    match (&l.dispute, &b.customer.reason) {
        (Some(d), Some(r)) => {
            let network = match (&r.network_reason_code, d.network) {
                (Some(code), Some(n)) => format!(", {} {code}", serde_name(&n)),
                _ => String::new(),
            };
            writeln!(
                out,
                "  Dispute     {} ({}{network}, {}), stage {}, opened {}",
                d.reason,
                words(r.family.code()),
                r.rule,
                d.stage,
                at(d.opened_at)
            )?;
        }
        (Some(d), None) => writeln!(
            out,
            "  Dispute     {}, stage {}, opened {}",
            d.reason,
            d.stage,
            at(d.opened_at)
        )?,
        (None, _) => writeln!(
            out,
            "  Dispute     none yet: the dates are those of a dispute the customer could open"
        )?,
    }
    let shipped = f.shipped_at.map_or_else(
        || "not shipped yet".to_owned(),
        |s| format!("shipped {}", at(s)),
    );
    writeln!(
        out,
        "  Supplier    {} x {} on AliExpress, {shipped}, tracking {}",
        f.quantity,
        f.unit_price,
        words(f.tracking.name())
    )?;
    writeln!(
        out,
        "  Policies    {} (customer side), {} (supplier side); local time {}",
        l.selling.id,
        l.policy.id,
        tz.name()
    )?;
    writeln!(out, "  Now         {}", both(&now))?;

    binding(out, b, l.now, platform)?;
    route(out, b, l.now, platform)?;
    actions(out, b, l.now)?;
    customer_timeline(out, b, l, now)?;
    supplier_timeline(out, b, l, now)?;
    explanation(out, b)?;
    writeln!(
        out,
        "\nRules applied: {} (see docs/rules.md and docs/selling-side.md)",
        b.rules.ids().join(" ")
    )
}

fn origin(d: &Deadline) -> String {
    match (d.origin, d.confidence) {
        (Origin::Fact, _) => "fact".into(),
        (Origin::Platform, _) => "the platform's own instant (BB-4)".into(),
        (Origin::Computed, Some(c)) => format!("computed, {} confidence", serde_name(&c)),
        (Origin::Computed, None) => "computed".into(),
        (other, _) => serde_name(&other),
    }
}

fn binding(out: &mut String, b: &BackToBack, now: DateTime<Utc>, platform: &str) -> fmt::Result {
    writeln!(out, "\nBINDING DEADLINE  [BB-3]")?;
    let Some(d) = &b.binding else {
        return writeln!(
            out,
            "  none: no deadline the seller must meet is still ahead"
        );
    };
    let (whose, how) = match d.side {
        Side::Customer => (
            format!("Customer side ({platform})"),
            format!(", {}", origin(d)),
        ),
        Side::Supplier => ("Supplier side (AliExpress)".to_owned(), String::new()),
    };
    writeln!(out, "  {whose}: {} ({}){how}", words(d.milestone), d.rule)?;
    writeln!(
        out,
        "  {}  {}  {}",
        local(&d.at),
        utc(&d.at),
        relative(now, d.at.utc)
    )?;
    if !d.before.is_empty() {
        writeln!(out, "  Before then: {}", d.before)?;
    }
    Ok(())
}

fn route(out: &mut String, b: &BackToBack, now: DateTime<Utc>, platform: &str) -> fmt::Result {
    let r = &b.supplier_route;
    writeln!(out, "\nSUPPLIER ROUTE  [{}]", r.rules.ids().join(" "))?;
    let reason = r
        .reason
        .map(|x| format!(" with reason `{}` ({})", x.code(), x.rule().id()))
        .unwrap_or_default();
    match r.state {
        RouteState::Open => writeln!(
            out,
            "  OPEN: an AliExpress dispute can be opened now{reason}"
        )?,
        RouteState::NotYetOpen => writeln!(
            out,
            "  NOT YET OPEN: the AliExpress dispute window opens {}{reason}",
            r.opens_at.map(|m| both(&m)).unwrap_or_default()
        )?,
        RouteState::Closed => match r.code {
            Some(c) => writeln!(
                out,
                "  CLOSED ({}, {}): {}",
                c.code(),
                c.rule().id(),
                c.describe()
            )?,
            None => writeln!(out, "  CLOSED")?,
        },
        RouteState::DisputeOpen => writeln!(
            out,
            "  DISPUTE OPEN (R-E6): the AliExpress dispute is open; follow it there"
        )?,
        RouteState::Refunded => writeln!(
            out,
            "  REFUNDED: the supplier already refunded the line"
        )?,
        RouteState::NotShipped => writeln!(
            out,
            "  NOT SHIPPED: the supplier has not shipped; no dispute window yet (R-E1)"
        )?,
        RouteState::NotApplicable => writeln!(
            out,
            "  NOT APPLICABLE: this kind of customer dispute has no supplier counterpart; nothing to recover from the supplier"
        )?,
        other => writeln!(out, "  {}", route_name(other).to_uppercase())?,
    }
    if let (Some(o), Some(c)) = (&r.opens_at, &r.closes_at) {
        let when = if c.utc > now { "closes" } else { "closed" };
        writeln!(
            out,
            "  Window      {} to {}  {when} {}",
            both(o),
            both(c),
            relative(now, c.utc)
        )?;
    }
    if let Some(d) = &r.customer_decision_at {
        let verdict = match r.closes_before_customer_decision {
            Some(true) => ": the supplier window closes BEFORE that (BB-3)",
            Some(false) => ": the supplier window is still open then (BB-3)",
            None => "",
        };
        writeln!(
            out,
            "  Decision    {platform} may decide from {}{verdict}",
            both(d)
        )?;
    }
    if let Some(g) = &b.gap {
        if g.customer_can_file_after_supplier_closes {
            writeln!(
                out,
                "  Gap         a customer can file until {}, {} days after the supplier route closes (BB-2)",
                both(&g.customer_last_filing),
                g.days
            )?;
        } else {
            writeln!(
                out,
                "  Gap         none: the customer's last filing day {} comes before the supplier route closes (BB-2)",
                both(&g.customer_last_filing)
            )?;
        }
    }
    let x = &b.customer.exposure;
    match &b.uncovered {
        Some(u) => writeln!(
            out,
            "  UNCOVERED   {u} if {platform} decides for the customer, which the supplier route cannot cover: {}",
            x.loss
        )?,
        None => writeln!(
            out,
            "  At stake    {} if {platform} decides for the customer: {}",
            x.total_if_lost, x.loss
        )?,
    }
    Ok(())
}

fn actions(out: &mut String, b: &BackToBack, now: DateTime<Utc>) -> fmt::Result {
    writeln!(out, "\nNEXT ACTIONS  (soonest deadline first)")?;
    if b.next_actions.is_empty() {
        writeln!(out, "  nothing to do on either side")?;
    }
    for (i, a) in b.next_actions.iter().enumerate() {
        writeln!(
            out,
            "  {}. {}: {}  [{}]",
            i + 1,
            side_name(a.side),
            words(action_name(a.kind)),
            a.rules.ids().join(" ")
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

/// The rows of one side's dates, with the `now` line where it falls.
fn dates(
    out: &mut String,
    b: &BackToBack,
    side: Side,
    now: &dispute_rules::Moment,
    show_origin: bool,
) -> fmt::Result {
    let mut now_shown = false;
    let mut next_shown = false;
    let now_line = |out: &mut String| {
        writeln!(
            out,
            "  --------  {:<20}  {:<20}         now",
            local(now),
            utc(now)
        )
    };
    for d in b.deadlines.iter().filter(|d| d.side == side) {
        if !d.passed && !now_shown {
            now_line(out)?;
            now_shown = true;
        }
        let mark = if d.passed {
            "passed"
        } else if !next_shown {
            next_shown = true;
            "NEXT"
        } else {
            "upcoming"
        };
        let mut notes = Vec::new();
        if show_origin && d.origin != Origin::Fact {
            notes.push(origin(d));
        }
        if d.binds_seller && !d.passed {
            notes.push(if b.binding.as_ref() == Some(d) {
                "BINDS FIRST".to_owned()
            } else {
                "binds the seller".to_owned()
            });
        }
        let notes = if notes.is_empty() {
            String::new()
        } else {
            format!("  ({})", notes.join("; "))
        };
        writeln!(
            out,
            "  {mark:<8}  {:<20}  {:<20}  {:<5}  {}{notes}",
            local(&d.at),
            utc(&d.at),
            d.rule.id(),
            words(d.milestone)
        )?;
        if !d.passed && !d.before.is_empty() {
            writeln!(
                out,
                "  {:<8}  {:<20}  {:<20}  {:<5}    before then: {}",
                "", "", "", "", d.before
            )?;
        }
    }
    if !now_shown {
        now_line(out)?;
    }
    Ok(())
}

fn customer_timeline(
    out: &mut String,
    b: &BackToBack,
    l: &Loaded,
    now: dispute_rules::Moment,
) -> fmt::Result {
    let c = &b.customer;
    writeln!(
        out,
        "\nCUSTOMER SIDE: {} ({}; UTC)  [{}]",
        l.selling.platform.display(),
        l.display_zone().name(),
        c.rules.ids().join(" ")
    )?;
    dates(out, b, Side::Customer, &now, true)?;
    for w in &c.windows {
        let network = w
            .network
            .map(|n| format!(", {}", serde_name(&n)))
            .unwrap_or_default();
        let span = match (&w.opens_at, &w.closes_at) {
            (Some(o), Some(e)) => format!("from {} until {}", both(o), both(e)),
            (None, Some(e)) => format!("until {}", both(e)),
            (Some(o), None) => format!("from {}, end unknown", both(o)),
            (None, None) => "unknown".to_owned(),
        };
        let rule = w
            .closes_rule
            .map(|r| {
                format!(
                    " ({r}{})",
                    w.confidence
                        .map(|c| format!(", {} confidence", serde_name(&c)))
                        .unwrap_or_default()
                )
            })
            .unwrap_or_default();
        let filed = match w.filed_in_window {
            Some(true) => "; the dispute was filed inside it",
            Some(false) => "; the dispute was filed OUTSIDE it",
            None => "",
        };
        writeln!(
            out,
            "  Filing window ({}{network}): {span}{rule}{filed}",
            words(w.family.code())
        )?;
    }
    for m in &c.missing {
        writeln!(out, "  Missing     {} ({}): {}", m.field, m.rule, m.effect)?;
    }
    let sig = &c.evidence.signature;
    match (sig.required, sig.threshold, sig.rule) {
        (Some(true), Some(t), Some(r)) => {
            writeln!(out, "  Signature   needed: the order reaches {t} ({r})")?
        }
        (Some(false), Some(t), Some(r)) => {
            writeln!(out, "  Signature   not needed below {t} ({r})")?
        }
        _ => {}
    }
    for e in &c.evidence.items {
        writeln!(out, "  Evidence    {} ({})", e.text, e.rule)?;
    }
    Ok(())
}

fn supplier_timeline(
    out: &mut String,
    b: &BackToBack,
    l: &Loaded,
    now: dispute_rules::Moment,
) -> fmt::Result {
    let e = &b.supplier.eligibility;
    writeln!(
        out,
        "\nSUPPLIER SIDE: AliExpress ({}; UTC)  [{}]",
        l.display_zone().name(),
        b.supplier.timeline.rules.ids().join(" ")
    )?;
    match (e.status, e.code) {
        (dispute_rules::Status::Eligible, _) => {
            writeln!(out, "  Eligible: a dispute can be opened now")?;
        }
        (s, Some(c)) => writeln!(
            out,
            "  {} ({}, {})",
            words(s.as_str()),
            c.code(),
            c.rule().id()
        )?,
        (s, None) => writeln!(out, "  {}", words(s.as_str()))?,
    }
    if b.supplier.timeline.entries.is_empty() {
        return writeln!(out, "  no dates yet: the order has not been shipped (R-E1)");
    }
    dates(out, b, Side::Supplier, &now, false)
}

fn explanation(out: &mut String, b: &BackToBack) -> fmt::Result {
    let mut parts: Vec<(&str, Vec<(&str, &str)>)> = Vec::new();
    if let Some(steps) = &b.explanation {
        parts.push((
            "back-to-back",
            steps
                .iter()
                .map(|s| (s.rule.id(), s.text.as_str()))
                .collect(),
        ));
    }
    if let Some(steps) = &b.customer.explanation {
        parts.push((
            "customer side",
            steps
                .iter()
                .map(|s| (s.rule.id(), s.text.as_str()))
                .collect(),
        ));
    }
    for (name, x) in [
        (
            "supplier eligibility",
            b.supplier.eligibility.explanation.as_ref(),
        ),
        (
            "supplier timeline",
            b.supplier.timeline.explanation.as_ref(),
        ),
    ] {
        if let Some(x) = x {
            parts.push((
                name,
                x.steps()
                    .iter()
                    .map(|s| (s.rule.id(), s.text.as_str()))
                    .collect(),
            ));
        }
    }
    if parts.is_empty() {
        return Ok(());
    }
    writeln!(out, "\nEXPLANATION")?;
    for (name, steps) in parts {
        writeln!(out, "  {name}:")?;
        for (rule, text) in steps {
            writeln!(out, "    {rule:<5}  {text}")?;
        }
    }
    Ok(())
}
