//! Order facts: the input, one product line of one order (C-3).
//!
//! JSON schema version [`FACTS_SCHEMA_VERSION`]; unknown fields are refused.
//! [`OrderFacts::validate`] rejects inconsistent facts (delivered before
//! shipped, a negative amount, mixed currencies, a fact dated after `now`, ...)
//! and reports every problem at once, each naming its field.

use crate::error::{from_json, Collector, Error};
use crate::limits::{self, echo};
use crate::money::{Currency, Money};
use crate::policy::Policy;
use chrono::{DateTime, Datelike, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// The facts schema version this engine reads.
pub const FACTS_SCHEMA_VERSION: u32 = 1;

/// The facts of one order line (C-3: one dispute case per product line).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct OrderFacts {
    /// Must be [`FACTS_SCHEMA_VERSION`].
    #[serde(deserialize_with = "crate::facts::de::whole::de")]
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::Version"))]
    pub schema_version: u32,
    /// The marketplace's order id.
    #[cfg_attr(feature = "schema", schemars(regex(pattern = r"\S")))]
    pub order_id: String,
    /// The product line within the order.
    #[cfg_attr(feature = "schema", schemars(regex(pattern = r"\S")))]
    pub line_id: String,
    /// Price of one unit (C-2).
    pub unit_price: Money,
    /// Units bought on this line (at least 1).
    #[serde(deserialize_with = "crate::facts::de::whole::de")]
    #[cfg_attr(feature = "schema", schemars(range(min = 1)))]
    pub quantity: u32,
    /// Shipping cost charged for this line (C-4: refundable).
    pub shipping_cost: Money,
    /// Coupon or discount part of the price: not refundable (C-4, appendix).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coupon: Option<Money>,
    /// When the order was placed.
    #[serde(deserialize_with = "crate::facts::de::instant::de")]
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::Instant"))]
    pub placed_at: DateTime<Utc>,
    /// When it was paid.
    #[serde(
        deserialize_with = "crate::facts::de::instant::de_opt",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::schema::Instant>"))]
    pub paid_at: Option<DateTime<Utc>>,
    /// When the seller marked it shipped (R-E1, R-E2).
    #[serde(
        deserialize_with = "crate::facts::de::instant::de_opt",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::schema::Instant>"))]
    pub shipped_at: Option<DateTime<Utc>>,
    /// Shipping method, a key of the policy's protection table (R-E2), for
    /// example `standard` or `expedited`.
    #[cfg_attr(feature = "schema", schemars(regex(pattern = r"\S")))]
    pub shipping_method: String,
    /// Protection length in days that the listing promised, when known
    /// (R-E2: wins over the policy's table). Open API: `freightCommitDay`.
    #[serde(
        deserialize_with = "crate::facts::de::whole::de_opt",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "schema", schemars(range(min = 1, max = 3650)))]
    pub promised_protection_days: Option<u32>,
    /// Destination country, ISO 3166 alpha-2 (`US`, `RU`, `BR`).
    #[cfg_attr(feature = "schema", schemars(regex(pattern = "^[A-Z]{2}$")))]
    pub destination_country: String,
    /// What tracking shows.
    #[serde(default)]
    pub tracking: Tracking,
    /// Receipt confirmation, if any (R-E3, R-E4).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub receipt: Option<Receipt>,
    /// Protection extension requests (R-E5).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extensions: Vec<ExtensionRequest>,
    /// When the order was cancelled, if it was (R-R15).
    #[serde(
        deserialize_with = "crate::facts::de::instant::de_opt",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::schema::Instant>"))]
    pub order_cancelled_at: Option<DateTime<Utc>>,
    /// When a refund of the line was completed, if one was (R-E9).
    #[serde(
        deserialize_with = "crate::facts::de::instant::de_opt",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::schema::Instant>"))]
    pub refund_completed_at: Option<DateTime<Utc>>,
    /// Earlier and current disputes on this line (R-E6..R-E8).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub disputes: Vec<PriorDispute>,
    /// How the buyer paid (R-L6: where a refund goes).
    pub payment_method: PaymentMethod,
}

/// What tracking shows. In JSON, tagged by `status`: `{"status": "none"}`,
/// `{"status": "delivered", "at": "...", "to_correct_address": true}`. A
/// field the status does not have is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(deny_unknown_fields))]
#[non_exhaustive]
pub enum Tracking {
    /// No tracking information (R-R3).
    #[default]
    None,
    /// Moving; the last event, when known (R-R1).
    InTransit {
        /// Time of the last tracking event.
        #[serde(skip_serializing_if = "Option::is_none")]
        #[cfg_attr(feature = "schema", schemars(with = "Option<crate::schema::Instant>", default))]
        last_event_at: Option<DateTime<Utc>>,
    },
    /// No movement since an instant (R-R1).
    Stalled {
        /// Last movement.
        #[cfg_attr(feature = "schema", schemars(with = "crate::schema::Instant"))]
        since: DateTime<Utc>,
    },
    /// Held by customs (R-R4).
    CustomsHold {
        /// Held since.
        #[cfg_attr(feature = "schema", schemars(with = "crate::schema::Instant"))]
        since: DateTime<Utc>,
    },
    /// Returned to the sender (R-R2).
    ReturnedToSender {
        /// When tracking showed the return.
        #[cfg_attr(feature = "schema", schemars(with = "crate::schema::Instant"))]
        at: DateTime<Utc>,
    },
    /// Tracking says delivered (R-R5, R-R6).
    Delivered {
        /// When.
        #[cfg_attr(feature = "schema", schemars(with = "crate::schema::Instant"))]
        at: DateTime<Utc>,
        /// Whether to the buyer's address (false: R-R5; default true).
        #[cfg_attr(feature = "schema", schemars(default = "yes"))]
        to_correct_address: bool,
    },
}

/// The default of `to_correct_address` (for the schema; the reader applies it).
#[cfg(feature = "schema")]
fn yes() -> bool {
    true
}

impl Tracking {
    /// The status name used in JSON.
    pub const fn name(&self) -> &'static str {
        match self {
            Tracking::None => "none",
            Tracking::InTransit { .. } => "in_transit",
            Tracking::Stalled { .. } => "stalled",
            Tracking::CustomsHold { .. } => "customs_hold",
            Tracking::ReturnedToSender { .. } => "returned_to_sender",
            Tracking::Delivered { .. } => "delivered",
        }
    }

    /// The instant the tracking state carries, if any, with its field name.
    pub fn instant(&self) -> Option<(&'static str, DateTime<Utc>)> {
        match *self {
            Tracking::None => None,
            Tracking::InTransit { last_event_at } => last_event_at.map(|t| ("last_event_at", t)),
            Tracking::Stalled { since } | Tracking::CustomsHold { since } => Some(("since", since)),
            Tracking::ReturnedToSender { at } | Tracking::Delivered { at, .. } => Some(("at", at)),
        }
    }
}

/// A receipt confirmation (R-E3).
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Receipt {
    /// When receipt was confirmed.
    #[serde(deserialize_with = "crate::facts::de::instant::de")]
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::Instant"))]
    pub at: DateTime<Utc>,
    /// By whom.
    pub by: ConfirmedBy,
}

/// Who confirmed receipt.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ConfirmedBy {
    /// The buyer pressed "confirm receipt".
    Buyer,
    /// The platform confirmed it automatically (timer ran out).
    Automatic,
}

/// A request to extend purchase protection (R-E5).
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExtensionRequest {
    /// When the buyer asked.
    #[serde(deserialize_with = "crate::facts::de::instant::de")]
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::Instant"))]
    pub requested_at: DateTime<Utc>,
    /// How many days were asked for (at least 1).
    #[serde(deserialize_with = "crate::facts::de::whole::de")]
    #[cfg_attr(feature = "schema", schemars(range(min = 1, max = 3650)))]
    pub days: u32,
    /// What the seller did.
    pub status: ExtensionStatus,
    /// When the seller approved or declined (absent while pending).
    #[serde(
        deserialize_with = "crate::facts::de::instant::de_opt",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::schema::Instant>"))]
    pub decided_at: Option<DateTime<Utc>>,
}

/// The seller's answer to an extension request (R-E5: only approval extends).
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ExtensionStatus {
    /// Not answered yet.
    Pending,
    /// Approved: the days add to the protection end.
    Approved,
    /// Declined.
    Declined,
}

/// An earlier (or the current) dispute on this line.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PriorDispute {
    /// When it was opened.
    #[serde(deserialize_with = "crate::facts::de::instant::de")]
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::Instant"))]
    pub opened_at: DateTime<Utc>,
    /// Where it stands.
    pub status: PriorDisputeStatus,
    /// When it was closed (absent while open).
    #[serde(
        deserialize_with = "crate::facts::de::instant::de_opt",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::schema::Instant>"))]
    pub closed_at: Option<DateTime<Utc>>,
}

/// Status of a dispute on the line (R-E6..R-E8).
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum PriorDisputeStatus {
    /// Still active (R-E6).
    Open,
    /// Cancelled by the buyer or the platform (R-E8: reopenable).
    Cancelled,
    /// The buyer accepted a proposal (R-E7: final).
    ClosedByAgreement,
    /// The platform decided it.
    Decided,
}

/// How the buyer paid (R-L6).
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum PaymentMethod {
    /// Credit or debit card.
    Card,
    /// A platform wallet (Alipay balance and the like).
    Wallet,
    /// PayPal.
    Paypal,
    /// Cash payment at a counter (Russian Post, Euroset, Svyaznoy).
    CashPayment,
    /// Western Union.
    WesternUnion,
    /// Telegraphic transfer.
    Tt,
    /// Wire or bank transfer.
    BankTransfer,
    /// Anything else.
    Other,
}

impl PaymentMethod {
    /// R-L6: these are refunded to an Alipay account, not to the original
    /// payment method.
    pub const fn refunds_to_alipay(self) -> bool {
        matches!(
            self,
            PaymentMethod::CashPayment
                | PaymentMethod::WesternUnion
                | PaymentMethod::Tt
                | PaymentMethod::BankTransfer
        )
    }

    /// R-L7: a chargeback through the card issuer is possible.
    pub const fn chargeback_possible(self) -> bool {
        matches!(self, PaymentMethod::Card | PaymentMethod::Paypal)
    }
}

impl OrderFacts {
    /// Parses facts from JSON; the error names the failing field.
    pub fn from_json(json: &str) -> Result<OrderFacts, Error> {
        if json.len() <= limits::MAX_REQUEST_BYTES {
            if let Some(facts) = fast::parse(json) {
                return Ok(facts);
            }
        }
        from_json(json, Error::InvalidFacts)
    }

    /// The line's currency (that of the unit price).
    pub fn currency(&self) -> Currency {
        self.unit_price.currency
    }

    /// Price of the goods: unit price x quantity (`None` on overflow).
    pub fn goods_total(&self) -> Option<Decimal> {
        self.unit_price
            .amount
            .checked_mul(Decimal::from(self.quantity))
    }

    /// C-4 refund cap: price plus shipping, less the non-refundable coupon
    /// part (`None` on overflow; validated facts never overflow).
    pub fn refund_cap(&self) -> Option<Money> {
        let total = self.goods_total()?.checked_add(self.shipping_cost.amount)?;
        let coupon = self.coupon.map_or(Decimal::ZERO, |c| c.amount);
        let cap = total.checked_sub(coupon)?.max(Decimal::ZERO);
        Some(Money::new(cap, self.currency()))
    }

    /// Whether tracking or receipt says the goods arrived.
    pub fn received(&self) -> bool {
        self.receipt.is_some() || matches!(self.tracking, Tracking::Delivered { .. })
    }

    /// Sum of approved extension days (R-E5: summed and added at once).
    pub fn approved_extension_days(&self) -> u32 {
        self.extensions
            .iter()
            .filter(|e| e.status == ExtensionStatus::Approved)
            .fold(0u32, |acc, e| acc.saturating_add(e.days))
    }

    /// Checks the facts for consistency with each other, the policy and `now`.
    /// Every problem is reported, each naming its field.
    pub fn validate(&self, policy: &Policy, now: DateTime<Utc>) -> Result<(), Error> {
        let mut c = Collector::new();
        self.collect_problems(policy, now, &mut c);
        c.finish(Error::InvalidFacts)
    }

    /// Validates the facts ([`OrderFacts::validate`]) and computes their
    /// dates once, for every stage to use (see [`CheckedFacts`]).
    pub fn checked<'a>(
        &'a self,
        policy: &'a Policy,
        now: DateTime<Utc>,
    ) -> Result<CheckedFacts<'a>, Error> {
        CheckedFacts::new(self, policy, now)
    }

    fn collect_problems(&self, policy: &Policy, now: DateTime<Utc>, c: &mut Collector) {
        // Hot path: no allocation unless a problem is found.
        if self.schema_version != FACTS_SCHEMA_VERSION {
            c.push(
                "schema_version",
                format!(
                    "unsupported schema version {}; this engine reads {FACTS_SCHEMA_VERSION}",
                    self.schema_version
                ),
            );
        }
        for (field, id) in [("order_id", &self.order_id), ("line_id", &self.line_id)] {
            if blank(id) {
                c.push(field, "must not be empty");
            } else if id.len() > limits::MAX_ID_LEN {
                c.push(field, too_long(id.len(), limits::MAX_ID_LEN));
            }
        }
        if self.quantity == 0 {
            c.push("quantity", "must be at least 1");
        }

        // Money (C-2): non-negative, exact in the currency's minor unit, one
        // currency.
        let cur = self.currency();
        let amount = |c: &mut Collector, field: &str, m: &Money| {
            if m.amount.is_sign_negative() && !m.amount.is_zero() {
                c.push(
                    format!("{field}.amount"),
                    format!("must not be negative, got `{}`", m.amount),
                );
            }
            if let Some(problem) = m.decimals_problem() {
                c.push(format!("{field}.amount"), problem);
            }
            if m.currency != cur {
                c.push(
                    format!("{field}.currency"),
                    format!(
                        "`{}` differs from the line's currency `{cur}` (unit_price.currency)",
                        m.currency
                    ),
                );
            }
        };
        amount(c, "unit_price", &self.unit_price);
        amount(c, "shipping_cost", &self.shipping_cost);
        if let Some(cp) = &self.coupon {
            amount(c, "coupon", cp);
        }
        match self
            .goods_total()
            .and_then(|g| g.checked_add(self.shipping_cost.amount))
        {
            None => c.push("unit_price.amount", "amount times quantity is too large"),
            Some(total) => {
                if let Some(cp) = &self.coupon {
                    if cp.amount > total {
                        c.push(
                            "coupon.amount",
                            format!("coupon `{}` exceeds the line total `{total}`", cp.amount),
                        );
                    }
                }
            }
        }

        if !(self.destination_country.len() == 2
            && self
                .destination_country
                .bytes()
                .all(|b| b.is_ascii_uppercase()))
        {
            c.push(
                "destination_country",
                format!(
                    "`{}` is not an ISO 3166 alpha-2 code (like `US`)",
                    echo(&self.destination_country)
                ),
            );
        }
        if blank(&self.shipping_method) {
            c.push("shipping_method", "must not be empty");
        } else if self.shipping_method.len() > limits::MAX_TEXT_LEN {
            c.push(
                "shipping_method",
                too_long(self.shipping_method.len(), limits::MAX_TEXT_LEN),
            );
        } else if self.promised_protection_days.is_none()
            && policy
                .eligibility
                .days_for_method(&self.shipping_method)
                .is_none()
        {
            c.push(
                "shipping_method",
                format!(
                    "`{}` is not in the policy's protection table (R-E2) and the order carries no promised_protection_days",
                    echo(&self.shipping_method)
                ),
            );
        }
        if let Some(d) = self.promised_protection_days {
            if !(1..=MAX_DAYS).contains(&d) {
                c.push(
                    "promised_protection_days",
                    format!("must be 1 to {MAX_DAYS} days, got {d}"),
                );
            }
        }

        // Instants: in range, not after `now`, in a possible order.
        let when = |c: &mut Collector, field: &dyn Fn() -> String, t: DateTime<Utc>| {
            if !limits::supported(t) {
                c.push(
                    field(),
                    format!(
                        "year {} is outside the years {}-{} the engine supports",
                        t.year(),
                        limits::MIN_YEAR,
                        limits::MAX_YEAR
                    ),
                );
            }
            if t > now {
                c.push(
                    field(),
                    format!("`{}` is after now `{}`", t.to_rfc3339(), now.to_rfc3339()),
                );
            }
        };
        let not_before = |c: &mut Collector,
                          field: &dyn Fn() -> String,
                          t: DateTime<Utc>,
                          other: &str,
                          o: DateTime<Utc>| {
            if t < o {
                c.push(
                    field(),
                    format!(
                        "`{}` is before {other} `{}`",
                        t.to_rfc3339(),
                        o.to_rfc3339()
                    ),
                );
            }
        };
        let name = |s: &'static str| move || s.to_owned();
        when(c, &name("placed_at"), self.placed_at);
        if let Some(p) = self.paid_at {
            when(c, &name("paid_at"), p);
            not_before(c, &name("paid_at"), p, "placed_at", self.placed_at);
        }
        let shipped = self.shipped_at;
        if let Some(s) = shipped {
            when(c, &name("shipped_at"), s);
            not_before(c, &name("shipped_at"), s, "placed_at", self.placed_at);
            if let Some(p) = self.paid_at {
                not_before(c, &name("shipped_at"), s, "paid_at", p);
            }
        }
        if let Some((inner, t)) = self.tracking.instant() {
            let field = move || format!("tracking.{inner}");
            when(c, &field, t);
            match shipped {
                Some(s) => not_before(c, &field, t, "shipped_at", s),
                None => c.push(
                    field(),
                    format!(
                        "tracking is `{}` but the order was never shipped",
                        self.tracking.name()
                    ),
                ),
            }
        } else if !matches!(self.tracking, Tracking::None) && shipped.is_none() {
            c.push(
                "tracking",
                format!(
                    "tracking is `{}` but the order was never shipped",
                    self.tracking.name()
                ),
            );
        }
        if let Some(r) = &self.receipt {
            when(c, &name("receipt.at"), r.at);
            match shipped {
                Some(s) => not_before(c, &name("receipt.at"), r.at, "shipped_at", s),
                None => c.push(
                    "receipt.at",
                    "receipt confirmed but the order was never shipped",
                ),
            }
        }
        let extensions = if self.extensions.len() > limits::MAX_EXTENSIONS {
            c.push(
                "extensions",
                format!(
                    "{} extension requests; at most {} (each is checked only below the limit)",
                    self.extensions.len(),
                    limits::MAX_EXTENSIONS
                ),
            );
            &[]
        } else {
            self.extensions.as_slice()
        };
        let requested_days = extensions
            .iter()
            .fold(0u64, |sum, e| sum.saturating_add(u64::from(e.days)));
        if requested_days > u64::from(limits::MAX_EXTENSION_DAYS_TOTAL) {
            c.push(
                "extensions",
                format!(
                    "the requests ask for {requested_days} days in all; at most {} (R-E5)",
                    limits::MAX_EXTENSION_DAYS_TOTAL
                ),
            );
        }
        for (i, e) in extensions.iter().enumerate() {
            let f = |x: &'static str| move || format!("extensions[{i}].{x}");
            when(c, &f("requested_at"), e.requested_at);
            match shipped {
                Some(s) => not_before(c, &f("requested_at"), e.requested_at, "shipped_at", s),
                None => c.push(
                    f("requested_at")(),
                    "extension requested but the order was never shipped",
                ),
            }
            if !(1..=MAX_DAYS).contains(&e.days) {
                c.push(
                    f("days")(),
                    format!("must be 1 to {MAX_DAYS} days, got {}", e.days),
                );
            }
            match (e.status, e.decided_at) {
                (ExtensionStatus::Pending, Some(_)) => {
                    c.push(f("decided_at")(), "a pending request has no decision time")
                }
                (ExtensionStatus::Approved | ExtensionStatus::Declined, None) => c.push(
                    f("decided_at")(),
                    "required when the status is approved or declined",
                ),
                (_, Some(d)) => {
                    when(c, &f("decided_at"), d);
                    not_before(c, &f("decided_at"), d, "requested_at", e.requested_at);
                }
                (ExtensionStatus::Pending, None) => {}
            }
        }
        if let Some(t) = self.order_cancelled_at {
            when(c, &name("order_cancelled_at"), t);
            not_before(
                c,
                &name("order_cancelled_at"),
                t,
                "placed_at",
                self.placed_at,
            );
        }
        if let Some(t) = self.refund_completed_at {
            when(c, &name("refund_completed_at"), t);
            not_before(
                c,
                &name("refund_completed_at"),
                t,
                "placed_at",
                self.placed_at,
            );
        }
        let disputes = if self.disputes.len() > limits::MAX_DISPUTES {
            c.push(
                "disputes",
                format!(
                    "{} disputes; at most {} (each is checked only below the limit)",
                    self.disputes.len(),
                    limits::MAX_DISPUTES
                ),
            );
            &[]
        } else {
            self.disputes.as_slice()
        };
        let mut open = 0;
        for (i, d) in disputes.iter().enumerate() {
            let f = |x: &'static str| move || format!("disputes[{i}].{x}");
            when(c, &f("opened_at"), d.opened_at);
            not_before(c, &f("opened_at"), d.opened_at, "placed_at", self.placed_at);
            match (d.status, d.closed_at) {
                (PriorDisputeStatus::Open, Some(_)) => {
                    c.push(f("closed_at")(), "an open dispute has no closing time")
                }
                (PriorDisputeStatus::Open, None) => open += 1,
                (_, None) => c.push(f("closed_at")(), "required unless the status is open"),
                (_, Some(t)) => {
                    when(c, &f("closed_at"), t);
                    not_before(c, &f("closed_at"), t, "opened_at", d.opened_at);
                }
            }
        }
        if open > 1 {
            c.push(
                "disputes",
                format!("{open} disputes are open on one line; at most one can be (C-3, R-E6)"),
            );
        }
    }
}

pub use crate::limits::MAX_DAYS;

/// Whether a text is empty or only white space (a visible first character
/// answers at once).
fn blank(s: &str) -> bool {
    !s.as_bytes().first().is_some_and(u8::is_ascii_graphic) && s.trim().is_empty()
}

/// The message for a text longer than its limit (the text is not repeated).
fn too_long(len: usize, max: usize) -> String {
    format!("is {len} bytes long; at most {max}")
}

mod checked;
pub mod de;
pub use checked::CheckedFacts;
pub(crate) mod fast;

#[cfg(test)]
mod tests;
