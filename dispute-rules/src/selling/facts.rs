//! The selling side's input: the customer's order ([`CustomerOrder`]) and
//! the customer's dispute or chargeback ([`CustomerDispute`]), each validated
//! with every problem naming its field.

use super::policy::{Family, Network, ReasonCode, SellingPolicy, Stage};
use crate::calendar::rfc3339;
use crate::error::{from_json, Collector, Error};
use crate::money::Money;
use crate::reasons::Reason;
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The customer-order schema version this engine reads.
pub const CUSTOMER_SCHEMA_VERSION: u32 = 1;

/// A date the platform may give as a calendar date (`"2026-06-19"`) or as an
/// exact instant (`"2026-06-19T07:00:00Z"`). Day counts use its date in the
/// policy's zone (BB-5); hour counts use the instant (a bare date: 00:00 of
/// it in the policy's zone).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DayOrInstant {
    /// A calendar date.
    Day(NaiveDate),
    /// An exact instant.
    Instant(DateTime<Utc>),
}

impl Serialize for DayOrInstant {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            DayOrInstant::Day(d) => s.collect_str(d),
            DayOrInstant::Instant(t) => {
                s.serialize_str(&t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true))
            }
        }
    }
}

impl<'de> Deserialize<'de> for DayOrInstant {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = std::borrow::Cow::<'de, str>::deserialize(d)?;
        if let Some(t) = rfc3339::fast(&s) {
            return Ok(DayOrInstant::Instant(t));
        }
        if let Ok(t) = s.parse::<DateTime<chrono::FixedOffset>>() {
            return Ok(DayOrInstant::Instant(t.with_timezone(&Utc)));
        }
        s.parse::<NaiveDate>().map(DayOrInstant::Day).map_err(|_| {
            serde::de::Error::custom(format_args!(
                "`{s}` is neither a date (`2026-06-19`) nor an RFC 3339 instant"
            ))
        })
    }
}

/// The order a customer placed with the seller (the dropshipper), on the
/// selling platform. BB-1: the anchors of the customer's windows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CustomerOrder {
    /// Must be [`CUSTOMER_SCHEMA_VERSION`].
    pub schema_version: u32,
    /// The store's or platform's order id.
    pub order_id: String,
    /// Where the customer paid.
    pub platform: super::policy::Platform,
    /// What the customer paid for these goods (price, shipping, tax), exact
    /// (C-2).
    pub amount: Money,
    /// When the customer paid.
    #[serde(deserialize_with = "rfc3339::de")]
    pub paid_at: DateTime<Utc>,
    /// The delivery date the store promised (card windows, S-N2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected_delivery: Option<DayOrInstant>,
    /// The earliest estimated delivery date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_estimated_delivery: Option<DayOrInstant>,
    /// The latest estimated delivery date (eBay B-W1, Amazon A-W1/A-W2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_estimated_delivery: Option<DayOrInstant>,
    /// When tracking says the goods were delivered to the customer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivered_at: Option<DayOrInstant>,
    /// The seller's country or marketplace site, ISO 3166 alpha-2 (picks
    /// business-day holidays and fees; default: the policy's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// The seller's fee tier where the platform has tiers (PayPal:
    /// `standard`, the default, or `high_volume`; P-F1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fee_tier: Option<String>,
}

impl CustomerOrder {
    /// Parses an order from JSON; the error names the failing field.
    pub fn from_json(json: &str) -> Result<CustomerOrder, Error> {
        from_json(json, Error::InvalidFacts)
    }

    /// The seller's country (the order's, else the policy's default).
    pub fn country<'a>(&'a self, policy: &'a SellingPolicy) -> &'a str {
        self.country.as_deref().unwrap_or(&policy.default_country)
    }

    /// The fee tier (the order's, else `standard` when the policy has
    /// tiers).
    pub fn fee_tier<'a>(&'a self, policy: &'a SellingPolicy) -> Option<&'a str> {
        match &self.fee_tier {
            Some(t) => Some(t),
            None => policy.fee_tiers().first().copied(),
        }
    }

    /// Checks the order against the policy and `now`; every problem is
    /// reported, each naming its field (without a prefix).
    pub fn validate(&self, policy: &SellingPolicy, now: DateTime<Utc>) -> Result<(), Error> {
        let mut c = Collector::new();
        self.check(policy, now, &mut c);
        c.finish(Error::InvalidFacts)
    }

    pub(crate) fn check(&self, policy: &SellingPolicy, now: DateTime<Utc>, c: &mut Collector) {
        if self.schema_version != CUSTOMER_SCHEMA_VERSION {
            c.push(
                "schema_version",
                format!(
                    "unsupported schema version {}; this engine reads {CUSTOMER_SCHEMA_VERSION}",
                    self.schema_version
                ),
            );
        }
        if self.order_id.trim().is_empty() {
            c.push("order_id", "must not be empty");
        }
        if self.platform != policy.platform {
            c.push(
                "platform",
                format!(
                    "`{}` differs from the selling policy's platform `{}`",
                    self.platform.code(),
                    policy.platform.code()
                ),
            );
        }
        if self.amount.amount.is_sign_negative() && !self.amount.amount.is_zero() {
            c.push(
                "amount.amount",
                format!("must not be negative, got `{}`", self.amount.amount),
            );
        }
        instant(c, "paid_at", self.paid_at, now);
        for (name, v) in [
            ("expected_delivery", self.expected_delivery),
            ("min_estimated_delivery", self.min_estimated_delivery),
            ("max_estimated_delivery", self.max_estimated_delivery),
        ] {
            if let Some(d) = v {
                in_range(c, name, d);
            }
        }
        if let (Some(a), Some(b)) = (self.min_estimated_delivery, self.max_estimated_delivery) {
            if day_of(b) < day_of(a) {
                c.push("max_estimated_delivery", "is before min_estimated_delivery");
            }
        }
        if let Some(d) = self.delivered_at {
            in_range(c, "delivered_at", d);
            let late = match d {
                DayOrInstant::Instant(t) => t > now,
                DayOrInstant::Day(day) => day > now.date_naive(),
            };
            if late {
                c.push(
                    "delivered_at",
                    format!("is after now `{}`", now.to_rfc3339()),
                );
            }
            if day_of(d) < self.paid_at.date_naive() {
                c.push("delivered_at", "is before paid_at");
            }
        }
        if let Some(country) = &self.country {
            if !super::policy::is_country(country) {
                c.push(
                    "country",
                    format!("`{country}` is not an ISO 3166 alpha-2 code (like `US`)"),
                );
            } else if let Some(b) = &policy.business_days {
                if b.calendar(country).is_none() {
                    let known: Vec<&str> = b.calendars.iter().map(|x| x.country.as_str()).collect();
                    c.push(
                        "country",
                        format!(
                            "the policy has no business-day calendar for `{country}` (known: {})",
                            known.join(", ")
                        ),
                    );
                }
            }
        }
        if let Some(t) = &self.fee_tier {
            let tiers = policy.fee_tiers();
            if !tiers.contains(&t.as_str()) {
                c.push(
                    "fee_tier",
                    if tiers.is_empty() {
                        format!("`{t}`: the policy's fees have no tiers")
                    } else {
                        format!("unknown tier `{t}` (known: {})", tiers.join(", "))
                    },
                );
            }
        }
    }
}

/// The customer's dispute, claim or chargeback against the seller.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CustomerDispute {
    /// The platform's reason code, exactly as its API writes it (PayPal
    /// `MERCHANDISE_OR_SERVICE_NOT_RECEIVED`, Stripe `product_not_received`...).
    pub reason: String,
    /// The card network, for card platforms.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub network: Option<Network>,
    /// The network's own reason code (`13.1`, `4855`), when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub network_reason_code: Option<String>,
    /// The stage it is in, a stage name of the policy (`inquiry`, `claim`...).
    pub stage: String,
    /// When it was opened.
    #[serde(deserialize_with = "rfc3339::de")]
    pub opened_at: DateTime<Utc>,
    /// When the current stage began (default: `opened_at`).
    #[serde(
        deserialize_with = "rfc3339::de_opt",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub stage_started_at: Option<DateTime<Utc>>,
    /// The platform's own response deadline, when the host has it (PayPal
    /// `seller_response_due_date`, Stripe `due_by`, eBay `respondByDate`,
    /// Shopify `evidenceDueBy`). BB-4: it always wins over a computed one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub respond_by: Option<DayOrInstant>,
    /// The platform allows no response (Stripe `due_by` of 0 or null, S-L1).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub no_response_allowed: bool,
    /// When the seller made an offer, if they did (P-W4, B-L4).
    #[serde(
        deserialize_with = "rfc3339::de_opt",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub offer_made_at: Option<DateTime<Utc>>,
    /// When the case was closed, if it was (P-F5, B-F2, A-L3).
    #[serde(
        deserialize_with = "rfc3339::de_opt",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub closed_at: Option<DateTime<Utc>>,
}

/// A dispute's reason resolved against the policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct ResolvedReason {
    /// The platform's code.
    pub code: String,
    /// The network code, when given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub network_reason_code: Option<String>,
    /// The family.
    pub family: Family,
    /// The supplier-side reasons it can become, best default first (empty:
    /// no supplier dispute fits).
    pub supplier_reasons: Vec<Reason>,
    /// The rule of the mapping used (the network code's when known: S-R2).
    pub rule: super::rules::SellingRule,
}

impl CustomerDispute {
    /// Parses a dispute from JSON; the error names the failing field.
    pub fn from_json(json: &str) -> Result<CustomerDispute, Error> {
        from_json(json, Error::InvalidFacts)
    }

    /// When the current stage began.
    pub fn stage_start(&self) -> DateTime<Utc> {
        self.stage_started_at.unwrap_or(self.opened_at)
    }

    /// The reason code and, when known, the network code, resolved.
    pub fn resolve_reason(&self, policy: &SellingPolicy) -> Option<ResolvedReason> {
        let code: &ReasonCode = policy.reason(&self.reason)?;
        let network = match (self.network, &self.network_reason_code) {
            (Some(n), Some(c)) => policy.network_code(n, c),
            _ => None,
        };
        Some(match network {
            Some(n) => ResolvedReason {
                code: code.code.clone(),
                network_reason_code: self.network_reason_code.clone(),
                family: n.family,
                supplier_reasons: n.supplier_reasons.clone(),
                rule: n.source.rule,
            },
            None => ResolvedReason {
                code: code.code.clone(),
                network_reason_code: self.network_reason_code.clone(),
                family: code.family,
                supplier_reasons: code.supplier_reasons.clone(),
                rule: code.source.rule,
            },
        })
    }

    /// Checks the dispute against the order, the policy and `now`; every
    /// problem is reported, each naming its field (without a prefix).
    pub fn validate(
        &self,
        order: &CustomerOrder,
        policy: &SellingPolicy,
        now: DateTime<Utc>,
    ) -> Result<(), Error> {
        let mut c = Collector::new();
        self.check(order, policy, now, &mut c);
        c.finish(Error::InvalidFacts)
    }

    pub(crate) fn check(
        &self,
        order: &CustomerOrder,
        policy: &SellingPolicy,
        now: DateTime<Utc>,
        c: &mut Collector,
    ) {
        let reason = policy.reason(&self.reason);
        if reason.is_none() {
            let known: Vec<&str> = policy.reasons.iter().map(|r| r.code.as_str()).collect();
            c.push(
                "reason",
                format!(
                    "unknown {} reason `{}` (known: {})",
                    policy.platform.display(),
                    self.reason,
                    known.join(", ")
                ),
            );
        }
        if self.network.is_some() && policy.network_codes.is_empty() {
            c.push(
                "network",
                format!(
                    "{} disputes carry no card network here (card platforms: stripe, shopify_payments)",
                    policy.platform.display()
                ),
            );
        }
        if let Some(code) = &self.network_reason_code {
            match self.network {
                None => c.push(
                    "network_reason_code",
                    "needs `network` (visa, mastercard, amex, discover)",
                ),
                Some(n) if !policy.network_codes.is_empty() => {
                    if policy.network_code(n, code).is_none()
                        && policy.network_codes.iter().any(|x| x.network == n)
                    {
                        c.push(
                            "network_reason_code",
                            format!("`{code}` is not a known code of this network"),
                        );
                    }
                }
                Some(_) => {}
            }
        }
        match policy.stage(&self.stage) {
            None => {
                let known: Vec<&str> = policy.stages.iter().map(|s| s.name.as_str()).collect();
                c.push(
                    "stage",
                    format!(
                        "unknown {} stage `{}` (known: {})",
                        policy.platform.display(),
                        self.stage,
                        known.join(", ")
                    ),
                );
            }
            Some(stage) => {
                if let Some(r) = self.resolve_reason(policy) {
                    stage_fits(c, stage, r.family);
                }
            }
        }
        instant(c, "opened_at", self.opened_at, now);
        if self.opened_at < order.paid_at {
            c.push(
                "opened_at",
                format!(
                    "`{}` is before the payment `{}` (customer_order.paid_at)",
                    self.opened_at.to_rfc3339(),
                    order.paid_at.to_rfc3339()
                ),
            );
        }
        for (name, v) in [
            ("stage_started_at", self.stage_started_at),
            ("offer_made_at", self.offer_made_at),
            ("closed_at", self.closed_at),
        ] {
            if let Some(t) = v {
                instant(c, name, t, now);
                if t < self.opened_at {
                    c.push(
                        name,
                        format!(
                            "`{}` is before opened_at `{}`",
                            t.to_rfc3339(),
                            self.opened_at.to_rfc3339()
                        ),
                    );
                }
            }
        }
        if let Some(d) = self.respond_by {
            in_range(c, "respond_by", d);
            if self.no_response_allowed {
                c.push(
                    "respond_by",
                    "given together with no_response_allowed: give one or the other",
                );
            }
        }
    }
}

fn stage_fits(c: &mut Collector, stage: &Stage, family: Family) {
    if !stage.families.is_empty() && !stage.families.contains(&family) {
        let names: Vec<&str> = stage.families.iter().map(|f| f.code()).collect();
        c.push(
            "stage",
            format!(
                "the `{}` stage is only for {} disputes ({}), not `{}`",
                stage.name,
                names.join(" and "),
                stage.source.rule,
                family.code()
            ),
        );
    }
}

pub(crate) fn day_of(d: DayOrInstant) -> NaiveDate {
    match d {
        DayOrInstant::Day(x) => x,
        DayOrInstant::Instant(t) => t.date_naive(),
    }
}

fn in_range(c: &mut Collector, field: &str, d: DayOrInstant) {
    let y = day_of(d).year();
    if !(1970..=9999).contains(&y) {
        c.push(field, format!("year {y} is out of range 1970-9999"));
    }
}

fn instant(c: &mut Collector, field: &str, t: DateTime<Utc>, now: DateTime<Utc>) {
    if !(1970..=9999).contains(&t.year()) {
        c.push(
            field,
            format!("year {} is out of range 1970-9999", t.year()),
        );
    }
    if t > now {
        c.push(
            field,
            format!("`{}` is after now `{}`", t.to_rfc3339(), now.to_rfc3339()),
        );
    }
}
