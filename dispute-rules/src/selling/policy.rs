//! Selling-side policies: every window, deadline, reason code, evidence rule
//! and fee of one selling platform, as data.
//!
//! A [`SellingPolicy`] loads from JSON ([`SellingPolicy::from_json`]), is
//! validated with errors naming the field, and serializes back unchanged.
//! Every value carries a [`Source`]: the rule id that defines it, the grade
//! of its source and how sure the project is of it, so an answer built from
//! a weak value can say so.

use super::holidays::BusinessDays;
use super::rules::SellingRule;
use crate::error::{from_json, Collector, Error};
use crate::facts::MAX_DAYS;
use crate::money::Money;
use crate::reasons::Reason;
use chrono::NaiveDate;
use chrono_tz::Tz;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The selling-policy schema version this engine reads.
pub const SELLING_POLICY_SCHEMA_VERSION: u32 = 1;

/// Where a value comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Grade {
    /// An official page or API reference of the platform.
    Official,
    /// A copy of official text elsewhere (generated SDKs, agreement copies).
    Mirror,
    /// Third-party commentary (vendors, blogs).
    ThirdParty,
    /// No public source gave it: a convention or a proposed default.
    Unsourced,
}

/// How sure the project is of a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Confidence {
    /// Official and uncontested.
    High,
    /// Official but contested, or agreed by several copies.
    Medium,
    /// Third-party only, or old.
    Low,
    /// A convention the project adopted where nothing is documented.
    Assumption,
}

/// The rule id, grade and confidence of a policy value, with an optional note
/// (a conflict, an older value).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// The rule that defines the value.
    pub rule: SellingRule,
    /// Where it comes from.
    pub grade: Grade,
    /// How sure the project is.
    pub confidence: Confidence,
    /// A conflict or older value, for the reader (optional, decides nothing).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}

impl Source {
    /// A source without a note.
    pub const fn new(rule: SellingRule, grade: Grade, confidence: Confidence) -> Source {
        Source {
            rule,
            grade,
            confidence,
            note: String::new(),
        }
    }

    /// The same source with a note.
    #[must_use]
    pub fn note(mut self, note: &str) -> Source {
        self.note = note.to_owned();
        self
    }
}

/// A selling platform.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Platform {
    /// PayPal (disputes and claims).
    Paypal,
    /// eBay Money Back Guarantee and eBay payment disputes.
    Ebay,
    /// Amazon A-to-z Guarantee and Amazon card chargebacks.
    Amazon,
    /// Card disputes through Stripe.
    Stripe,
    /// Card disputes through Shopify Payments.
    ShopifyPayments,
}

impl Platform {
    /// Every platform.
    pub const ALL: [Platform; 5] = [
        Platform::Paypal,
        Platform::Ebay,
        Platform::Amazon,
        Platform::Stripe,
        Platform::ShopifyPayments,
    ];

    /// The stable code (also the id of its preset).
    pub const fn code(self) -> &'static str {
        match self {
            Platform::Paypal => "paypal",
            Platform::Ebay => "ebay",
            Platform::Amazon => "amazon",
            Platform::Stripe => "stripe",
            Platform::ShopifyPayments => "shopify_payments",
        }
    }

    /// The platform's name for people.
    pub const fn display(self) -> &'static str {
        match self {
            Platform::Paypal => "PayPal",
            Platform::Ebay => "eBay",
            Platform::Amazon => "Amazon",
            Platform::Stripe => "Stripe",
            Platform::ShopifyPayments => "Shopify Payments",
        }
    }
}

/// What a customer dispute is about, across platforms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Family {
    /// The goods did not arrive.
    NotReceived,
    /// The goods arrived but differ from the description, are defective,
    /// damaged or fake.
    NotAsDescribed,
    /// A promised refund or credit never came.
    CreditNotProcessed,
    /// The customer says they did not make the payment (fraud).
    Unauthorized,
    /// Anything else (duplicate, amount, subscription, processing errors).
    Other,
}

impl Family {
    /// The stable code.
    pub const fn code(self) -> &'static str {
        match self {
            Family::NotReceived => "not_received",
            Family::NotAsDescribed => "not_as_described",
            Family::CreditNotProcessed => "credit_not_processed",
            Family::Unauthorized => "unauthorized",
            Family::Other => "other",
        }
    }
}

/// A card network.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Network {
    /// Visa.
    Visa,
    /// Mastercard.
    Mastercard,
    /// American Express.
    Amex,
    /// Discover.
    Discover,
}

/// What a day count starts from (BB-1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Anchor {
    /// The customer's payment (`customer_order.paid_at`).
    Payment,
    /// The delivery date the store promised (`expected_delivery`).
    ExpectedDelivery,
    /// The latest estimated delivery date (`max_estimated_delivery`).
    MaxEstimatedDelivery,
    /// The actual delivery (`delivered_at`).
    Delivery,
    /// The later of the payment date and the expected delivery date (the
    /// payment alone when no expected date is known).
    LaterOfPaymentAndExpectedDelivery,
    /// The later of the payment date and the delivery date (actual, else
    /// expected; the payment alone when neither is known).
    LaterOfPaymentAndDelivery,
    /// The payment, only when the order has no expected delivery date.
    PaymentWithoutExpectedDelivery,
    /// The customer's dispute was opened (`customer_dispute.opened_at`).
    Opened,
    /// The dispute's current stage began (`stage_started_at`, else
    /// `opened_at`).
    StageStart,
    /// The seller's response deadline (the platform's, else computed).
    ResponseDue,
    /// The seller made an offer (`offer_made_at`).
    OfferMade,
    /// The case was closed (`closed_at`).
    Closed,
    /// Delivery, only when it came after the dispute was opened.
    DeliveredAfterOpening,
}

impl Anchor {
    /// Whether the anchor is a fact of the order (usable in a filing window).
    pub const fn of_order(self) -> bool {
        matches!(
            self,
            Anchor::Payment
                | Anchor::ExpectedDelivery
                | Anchor::MaxEstimatedDelivery
                | Anchor::Delivery
                | Anchor::LaterOfPaymentAndExpectedDelivery
                | Anchor::LaterOfPaymentAndDelivery
                | Anchor::PaymentWithoutExpectedDelivery
        )
    }

    /// The stable code.
    pub const fn code(self) -> &'static str {
        match self {
            Anchor::Payment => "payment",
            Anchor::ExpectedDelivery => "expected_delivery",
            Anchor::MaxEstimatedDelivery => "max_estimated_delivery",
            Anchor::Delivery => "delivery",
            Anchor::LaterOfPaymentAndExpectedDelivery => "later_of_payment_and_expected_delivery",
            Anchor::LaterOfPaymentAndDelivery => "later_of_payment_and_delivery",
            Anchor::PaymentWithoutExpectedDelivery => "payment_without_expected_delivery",
            Anchor::Opened => "opened",
            Anchor::StageStart => "stage_start",
            Anchor::ResponseDue => "response_due",
            Anchor::OfferMade => "offer_made",
            Anchor::Closed => "closed",
            Anchor::DeliveredAfterOpening => "delivered_after_opening",
        }
    }
}

/// The unit of an offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Unit {
    /// Calendar days in the policy's zone.
    CalendarDays,
    /// Business days (needs the policy's `business_days`).
    BusinessDays,
    /// Exact hours.
    Hours,
}

/// Where an offset of days lands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Count {
    /// The same wall-clock time N days later (C-1 duration; in UTC, N x 24
    /// hours); from a date, 00:00 of the day N days later. Hours are always
    /// exact.
    Exact,
    /// 00:00 of the day N days after the anchor's date ("the Nth day after").
    StartOfDay,
    /// The end of the day N days after the anchor's date, i.e. 00:00 of the
    /// day after it ("within N days after D": day D+N is the last day).
    EndOfDay,
}

/// "`amount` `unit` after `from`", counted as `count`, with its source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Offset {
    /// The anchor.
    pub from: Anchor,
    /// How many units.
    pub amount: u32,
    /// The unit.
    pub unit: Unit,
    /// Where it lands.
    pub count: Count,
    /// Rule, grade and confidence.
    pub source: Source,
}

impl Offset {
    /// An offset.
    pub const fn new(from: Anchor, amount: u32, unit: Unit, count: Count, source: Source) -> Self {
        Offset {
            from,
            amount,
            unit,
            count,
            source,
        }
    }

    fn check(&self, c: &mut Collector, field: &str, order_only: bool, has_business: bool) {
        if order_only && !self.from.of_order() {
            c.push(
                format!("{field}.from"),
                format!(
                    "`{}` is a fact of the dispute; a filing window counts from the order (payment or delivery dates)",
                    self.from.code()
                ),
            );
        }
        let max = match self.unit {
            Unit::Hours => MAX_DAYS * 24,
            _ => MAX_DAYS,
        };
        if self.amount > max {
            c.push(
                format!("{field}.amount"),
                format!("must be 0 to {max}, got {}", self.amount),
            );
        }
        if self.unit == Unit::Hours && self.count != Count::Exact {
            c.push(format!("{field}.count"), "hours are exact: use `exact`");
        }
        if self.unit == Unit::BusinessDays && !has_business {
            c.push(
                format!("{field}.unit"),
                "business days need the policy's `business_days`",
            );
        }
    }
}

/// The window in which a customer can open a dispute or chargeback.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FilingWindow {
    /// The dispute families it is for (empty: every family).
    pub families: Vec<Family>,
    /// The card networks it is for (empty: any, including unknown).
    pub networks: Vec<Network>,
    /// The earliest opening: the earliest of these that can be computed
    /// (empty: from the payment on).
    pub opens: Vec<Offset>,
    /// The end (exclusive): the earliest of these that can be computed.
    pub closes: Vec<Offset>,
}

impl FilingWindow {
    /// Whether the window is for this family and network.
    pub fn matches(&self, family: Family, network: Option<Network>) -> bool {
        (self.families.is_empty() || self.families.contains(&family))
            && (self.networks.is_empty() || network.is_some_and(|n| self.networks.contains(&n)))
    }
}

/// What a stage deadline is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum DeadlineKind {
    /// The seller must respond (with evidence) before this; silence loses.
    SellerResponse,
    /// From this instant the customer can escalate / ask the platform to step in.
    EscalationOpens,
    /// The case closes unless the customer escalates before this.
    EscalationCloses,
    /// The platform is expected to decide by about this instant.
    PlatformDecision,
    /// A request without activity closes after this.
    IdleClose,
    /// Delivery after opening closes the request by this instant.
    DeliveryCloses,
    /// A seller's offer lapses if the customer has not answered.
    OfferLapses,
    /// A refund the seller offered must be issued before this.
    RefundDue,
    /// The seller's appeal must be filed before this.
    AppealCloses,
}

impl DeadlineKind {
    /// The stable code.
    pub const fn code(self) -> &'static str {
        match self {
            DeadlineKind::SellerResponse => "seller_response",
            DeadlineKind::EscalationOpens => "escalation_opens",
            DeadlineKind::EscalationCloses => "escalation_closes",
            DeadlineKind::PlatformDecision => "platform_decision",
            DeadlineKind::IdleClose => "idle_close",
            DeadlineKind::DeliveryCloses => "delivery_closes",
            DeadlineKind::OfferLapses => "offer_lapses",
            DeadlineKind::RefundDue => "refund_due",
            DeadlineKind::AppealCloses => "appeal_closes",
        }
    }

    /// Whether the seller must act before it (BB-3).
    pub const fn binds_seller(self) -> bool {
        matches!(
            self,
            DeadlineKind::SellerResponse
                | DeadlineKind::EscalationCloses
                | DeadlineKind::RefundDue
                | DeadlineKind::AppealCloses
        )
    }
}

/// A deadline of a stage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Deadline {
    /// What it is.
    pub kind: DeadlineKind,
    /// Only for these families (empty: all).
    pub families: Vec<Family>,
    /// When.
    pub at: Offset,
}

impl Deadline {
    /// A deadline for every family.
    pub const fn new(kind: DeadlineKind, at: Offset) -> Deadline {
        Deadline {
            kind,
            families: Vec::new(),
            at,
        }
    }
}

/// One stage of a customer dispute on the platform.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Stage {
    /// The stage name used in `customer_dispute.stage`, like `inquiry`.
    pub name: String,
    /// The platform's own name for it (API value), like `INQUIRY`.
    pub api_name: String,
    /// The families that can be in this stage (empty: all).
    pub families: Vec<Family>,
    /// Its deadlines.
    pub deadlines: Vec<Deadline>,
    /// Where the stage comes from.
    pub source: Source,
}

/// A platform reason code and what it means here.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReasonCode {
    /// The platform's code, exactly as its API writes it.
    pub code: String,
    /// Its family.
    pub family: Family,
    /// The supplier-side reasons (R-R1..R-R15) it can become, best default
    /// first (empty: no supplier dispute fits).
    pub supplier_reasons: Vec<Reason>,
    /// Where the code comes from.
    pub source: Source,
}

/// A card network's reason code and its family.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NetworkCode {
    /// The network.
    pub network: Network,
    /// Its code, like `13.1` or `4855`.
    pub code: String,
    /// Its family.
    pub family: Family,
    /// The supplier-side reasons it can become, best default first.
    pub supplier_reasons: Vec<Reason>,
    /// Where the mapping comes from.
    pub source: Source,
}

/// Evidence that protects the seller.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EvidenceItem {
    /// A stable id, like `tracking_to_transaction_address`.
    pub id: String,
    /// For these families (empty: all).
    pub families: Vec<Family>,
    /// What to provide.
    pub text: String,
    /// The platform's API name for it, when it has one.
    pub api_name: Option<String>,
    /// Where it comes from.
    pub source: Source,
}

/// An order value at or above which a delivery signature is needed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Threshold {
    /// The amount, in its currency.
    pub amount: Money,
    /// Where it comes from.
    pub source: Source,
}

/// Which dispute families a seller-protection programme covers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Protection {
    /// Covered families.
    pub families: Vec<Family>,
    /// Where it comes from.
    pub source: Source,
}

/// A fee's kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum FeeKind {
    /// A dispute fee (PayPal, Stripe's received fee, eBay's payment-dispute fee).
    Dispute,
    /// A chargeback fee (Shopify Payments).
    Chargeback,
    /// A fee for contesting (Stripe's counter fee).
    Counter,
}

/// When a fee is charged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Charged {
    /// When the dispute is opened.
    OnOpening,
    /// When the seller contests.
    WhenContested,
    /// After a decision against the seller.
    WhenLost,
    /// Only when the seller contests and loses.
    WhenContestedAndLost,
    /// After the platform decides, whatever the outcome (unless waived).
    AfterDecision,
}

/// A condition that waives a fee.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Waiver {
    /// The case was not escalated.
    NotEscalated,
    /// The parties resolved it themselves.
    ResolvedBetweenParties,
    /// Filed directly as unauthorized.
    Unauthorized,
    /// The case qualifies for seller protection.
    SellerProtection,
    /// The order is worth less than twice the fee (computed).
    AmountBelowTwiceFee,
    /// Decided for the seller.
    Won,
    /// A full refund before the dispute was filed.
    RefundedBeforeDispute,
}

/// A yes/no value with its source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Flag {
    /// The value.
    pub value: bool,
    /// Where it comes from.
    pub source: Source,
}

/// A fee tier and its source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tier {
    /// The tier's name, like `standard` or `high_volume`.
    pub name: String,
    /// Where the tier comes from.
    pub source: Source,
}

/// The conditions that waive a fee, with their source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Waivers {
    /// Any one of them waives the fee.
    pub list: Vec<Waiver>,
    /// Where they come from.
    pub source: Source,
}

/// A fee the seller may pay.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fee {
    /// Its kind.
    pub kind: FeeKind,
    /// Its tier (PayPal: `standard`, `high_volume`), `null` when untiered.
    pub tier: Option<Tier>,
    /// Only in these stages (empty: any).
    pub stages: Vec<String>,
    /// Only for sellers in this country (`null`: any).
    pub country: Option<String>,
    /// The amount (only orders in the same currency use it; no conversion).
    pub amount: Money,
    /// Only for disputes opened on or after this date.
    pub since: Option<NaiveDate>,
    /// When it is charged.
    pub charged: Charged,
    /// Whether it comes back when the seller wins.
    pub returned_on_win: Flag,
    /// What waives it.
    pub waived_when: Waivers,
    /// Where the amount comes from.
    pub source: Source,
}

/// How to read a due date the platform gives as a date without a time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum DateReading {
    /// The last safe moment is 00:00 at the start of the date.
    StartOfDay,
    /// The date is the last day: the deadline is 00:00 of the next day.
    EndOfDay,
}

/// The platform's own response deadline (BB-4: it always wins).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlatformDue {
    /// The platform's field, like `seller_response_due_date`.
    pub field: String,
    /// The rule that says the platform gives it.
    pub source: Source,
    /// How a date without a time is read.
    pub date_reading: DateReading,
    /// Where that reading comes from.
    pub date_reading_source: Source,
    /// When the platform submits the collected evidence by itself on the due
    /// date (Shopify Payments), the rule saying so.
    pub auto_submission: Option<Source>,
}

/// What the seller loses when the customer wins.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Loss {
    /// In words.
    pub text: String,
    /// Where it comes from.
    pub source: Source,
}

/// The time zone of the platform's day counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Zone {
    /// IANA name (`UTC` unless the platform documents another).
    #[serde(serialize_with = "ser_tz", deserialize_with = "de_tz")]
    pub name: Tz,
    /// Where it comes from.
    pub source: Source,
}

fn ser_tz<S: Serializer>(tz: &Tz, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(tz.name())
}

fn de_tz<'de, D: Deserializer<'de>>(d: D) -> Result<Tz, D::Error> {
    let name = std::borrow::Cow::<'de, str>::deserialize(d)?;
    name.parse::<Tz>().map_err(|_| {
        serde::de::Error::custom(format_args!(
            "unknown time zone `{name}` (use an IANA name such as `UTC`)"
        ))
    })
}

/// A complete selling-side policy for one platform. Every field is required
/// in JSON (but a [`Source`]'s `note`), so a policy file says everything it
/// decides.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct SellingPolicy {
    /// Must be [`SELLING_POLICY_SCHEMA_VERSION`].
    pub schema_version: u32,
    /// A short name, like `paypal`.
    pub id: String,
    /// The platform.
    pub platform: Platform,
    /// What this policy is.
    pub description: String,
    /// BB-5: the zone of the platform's day counts.
    pub time_zone: Zone,
    /// The seller's country when the order names none (picks holidays and
    /// fees), ISO 3166 alpha-2.
    pub default_country: String,
    /// When a customer can open a dispute, per family and network.
    pub windows: Vec<FilingWindow>,
    /// The dispute stages and their deadlines.
    pub stages: Vec<Stage>,
    /// Deadlines in every stage (offers, refunds, appeals).
    pub common_deadlines: Vec<Deadline>,
    /// The platform's own deadline field and how to read a bare date.
    pub platform_due: PlatformDue,
    /// What a business day is, when the platform counts them.
    pub business_days: Option<BusinessDays>,
    /// The platform's reason codes.
    pub reasons: Vec<ReasonCode>,
    /// Card networks' reason codes (card platforms only).
    pub network_codes: Vec<NetworkCode>,
    /// What seller protection covers, when the platform has it.
    pub seller_protection: Option<Protection>,
    /// Evidence that protects the seller.
    pub evidence: Vec<EvidenceItem>,
    /// Delivery-signature thresholds per currency.
    pub signature_thresholds: Vec<Threshold>,
    /// Fees.
    pub fees: Vec<Fee>,
    /// What losing costs.
    pub loss: Loss,
}

impl SellingPolicy {
    /// The ids of the built-in presets (one per platform).
    pub const PRESETS: &'static [&'static str] =
        &["paypal", "ebay", "amazon", "stripe", "shopify_payments"];

    /// A built-in preset by id.
    pub fn preset(id: &str) -> Option<SellingPolicy> {
        Some(match id {
            "paypal" => super::presets::paypal(),
            "ebay" => super::presets::ebay(),
            "amazon" => super::presets::amazon(),
            "stripe" => super::presets::stripe(),
            "shopify_payments" => super::presets::shopify_payments(),
            _ => return None,
        })
    }

    /// A built-in preset by id, built once per process (on first use) and
    /// shared: immutable, so every caller sees the same values as
    /// [`SellingPolicy::preset`] builds. The JSON operations and the
    /// bindings borrow named presets from here instead of building them per
    /// call.
    pub fn preset_ref(id: &str) -> Option<&'static SellingPolicy> {
        let p = match id {
            "paypal" => Platform::Paypal,
            "ebay" => Platform::Ebay,
            "amazon" => Platform::Amazon,
            "stripe" => Platform::Stripe,
            "shopify_payments" => Platform::ShopifyPayments,
            _ => return None,
        };
        Some(SellingPolicy::for_platform_ref(p))
    }

    /// The preset of a platform, built once per process and shared (see
    /// [`SellingPolicy::preset_ref`]).
    pub fn for_platform_ref(p: Platform) -> &'static SellingPolicy {
        use std::sync::LazyLock;
        static PAYPAL: LazyLock<SellingPolicy> = LazyLock::new(super::presets::paypal);
        static EBAY: LazyLock<SellingPolicy> = LazyLock::new(super::presets::ebay);
        static AMAZON: LazyLock<SellingPolicy> = LazyLock::new(super::presets::amazon);
        static STRIPE: LazyLock<SellingPolicy> = LazyLock::new(super::presets::stripe);
        static SHOPIFY_PAYMENTS: LazyLock<SellingPolicy> =
            LazyLock::new(super::presets::shopify_payments);
        match p {
            Platform::Paypal => &PAYPAL,
            Platform::Ebay => &EBAY,
            Platform::Amazon => &AMAZON,
            Platform::Stripe => &STRIPE,
            Platform::ShopifyPayments => &SHOPIFY_PAYMENTS,
        }
    }

    /// The preset of a platform.
    pub fn for_platform(p: Platform) -> SellingPolicy {
        match p {
            Platform::Paypal => super::presets::paypal(),
            Platform::Ebay => super::presets::ebay(),
            Platform::Amazon => super::presets::amazon(),
            Platform::Stripe => super::presets::stripe(),
            Platform::ShopifyPayments => super::presets::shopify_payments(),
        }
    }

    /// Parses and validates a policy from JSON.
    pub fn from_json(json: &str) -> Result<SellingPolicy, Error> {
        let p: SellingPolicy = from_json(json, Error::InvalidPolicy)?;
        p.validate()?;
        Ok(p)
    }

    /// The policy as pretty JSON (parses back to an equal policy).
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// A stage by name.
    pub fn stage(&self, name: &str) -> Option<&Stage> {
        self.stages.iter().find(|s| s.name == name)
    }

    /// A reason code.
    pub fn reason(&self, code: &str) -> Option<&ReasonCode> {
        self.reasons.iter().find(|r| r.code == code)
    }

    /// A network reason code.
    pub fn network_code(&self, network: Network, code: &str) -> Option<&NetworkCode> {
        self.network_codes
            .iter()
            .find(|r| r.network == network && r.code == code)
    }

    /// The first filing window for a family and network.
    pub fn window(&self, family: Family, network: Option<Network>) -> Option<&FilingWindow> {
        self.windows.iter().find(|w| w.matches(family, network))
    }

    /// The calendar of this policy's day counts (BB-5).
    pub const fn calendar(&self) -> crate::Calendar {
        crate::Calendar::new(self.time_zone.name, crate::DayCounting::SameWallClock)
    }

    /// Checks every value; all problems are reported, each naming its field.
    pub fn validate(&self) -> Result<(), Error> {
        let mut c = Collector::new();
        if self.schema_version != SELLING_POLICY_SCHEMA_VERSION {
            c.push(
                "schema_version",
                format!(
                    "unsupported schema version {}; this engine reads {SELLING_POLICY_SCHEMA_VERSION}",
                    self.schema_version
                ),
            );
        }
        if self.id.trim().is_empty() {
            c.push("id", "must not be empty");
        }
        if !is_country(&self.default_country) {
            c.push(
                "default_country",
                format!("`{}` is not an ISO 3166 alpha-2 code", self.default_country),
            );
        }
        let business = self.business_days.is_some();
        if self.windows.is_empty() {
            c.push("windows", "must hold at least one filing window");
        }
        for (i, w) in self.windows.iter().enumerate() {
            if w.closes.is_empty() {
                c.push(format!("windows[{i}].closes"), "must hold at least one end");
            }
            for (j, o) in w.opens.iter().enumerate() {
                o.check(&mut c, &format!("windows[{i}].opens[{j}]"), true, business);
            }
            for (j, o) in w.closes.iter().enumerate() {
                o.check(&mut c, &format!("windows[{i}].closes[{j}]"), true, business);
            }
        }
        if self.stages.is_empty() {
            c.push("stages", "must hold at least one stage");
        }
        for (i, s) in self.stages.iter().enumerate() {
            if s.name.trim().is_empty() {
                c.push(format!("stages[{i}].name"), "must not be empty");
            }
            if self.stages.iter().take(i).any(|o| o.name == s.name) {
                c.push(
                    format!("stages[{i}].name"),
                    format!("`{}` is already a stage", s.name),
                );
            }
            check_deadlines(
                &mut c,
                &format!("stages[{i}].deadlines"),
                &s.deadlines,
                business,
            );
        }
        check_deadlines(&mut c, "common_deadlines", &self.common_deadlines, business);
        if let Some(b) = &self.business_days {
            let mut days: Vec<_> = b.weekend.iter().map(|w| w.chrono()).collect();
            days.sort_by_key(chrono::Weekday::num_days_from_monday);
            days.dedup();
            if days.len() != b.weekend.len() || days.len() > 5 {
                c.push(
                    "business_days.weekend",
                    "must name at most 5 distinct days, leaving business days in every week",
                );
            }
            if b.calendar(&self.default_country).is_none() {
                c.push(
                    "business_days.calendars",
                    format!(
                        "no calendar for the default country `{}`",
                        self.default_country
                    ),
                );
            }
            for (i, cal) in b.calendars.iter().enumerate() {
                let f = format!("business_days.calendars[{i}]");
                if !is_country(&cal.country) {
                    c.push(
                        format!("{f}.country"),
                        format!("`{}` is not an ISO 3166 alpha-2 code", cal.country),
                    );
                }
                for (j, h) in cal.holidays.iter().enumerate() {
                    check_holiday(&mut c, &format!("{f}.holidays[{j}]"), h);
                }
            }
        }
        if self.reasons.is_empty() {
            c.push("reasons", "must hold at least one reason code");
        }
        for (i, r) in self.reasons.iter().enumerate() {
            if r.code.trim().is_empty() {
                c.push(format!("reasons[{i}].code"), "must not be empty");
            }
            if self.reasons.iter().take(i).any(|o| o.code == r.code) {
                c.push(
                    format!("reasons[{i}].code"),
                    format!("`{}` is listed twice", r.code),
                );
            }
        }
        for (i, r) in self.network_codes.iter().enumerate() {
            if self
                .network_codes
                .iter()
                .take(i)
                .any(|o| o.code == r.code && o.network == r.network)
            {
                c.push(
                    format!("network_codes[{i}].code"),
                    format!("`{}` is listed twice for this network", r.code),
                );
            }
        }
        for (i, t) in self.signature_thresholds.iter().enumerate() {
            if t.amount.amount <= rust_decimal::Decimal::ZERO {
                c.push(
                    format!("signature_thresholds[{i}].amount.amount"),
                    format!("must be more than zero, got `{}`", t.amount.amount),
                );
            }
            if self
                .signature_thresholds
                .iter()
                .take(i)
                .any(|o| o.amount.currency == t.amount.currency)
            {
                c.push(
                    format!("signature_thresholds[{i}].amount.currency"),
                    format!("`{}` has two thresholds", t.amount.currency),
                );
            }
        }
        for (i, fee) in self.fees.iter().enumerate() {
            if fee.amount.amount.is_sign_negative() && !fee.amount.amount.is_zero() {
                c.push(
                    format!("fees[{i}].amount.amount"),
                    format!("must not be negative, got `{}`", fee.amount.amount),
                );
            }
            for s in &fee.stages {
                if self.stage(s).is_none() {
                    c.push(
                        format!("fees[{i}].stages"),
                        format!("`{s}` is not a stage of this policy"),
                    );
                }
            }
            if let Some(country) = &fee.country {
                if !is_country(country) {
                    c.push(
                        format!("fees[{i}].country"),
                        format!("`{country}` is not an ISO 3166 alpha-2 code"),
                    );
                }
            }
        }
        c.finish(Error::InvalidPolicy)
    }

    /// The fee tiers the policy names (PayPal: `standard`, `high_volume`).
    pub fn fee_tiers(&self) -> Vec<&str> {
        let mut v: Vec<&str> = Vec::new();
        for t in self
            .fees
            .iter()
            .filter_map(|f| f.tier.as_ref().map(|t| t.name.as_str()))
        {
            if !v.contains(&t) {
                v.push(t);
            }
        }
        v
    }
}

fn check_deadlines(c: &mut Collector, field: &str, list: &[Deadline], business: bool) {
    for (i, d) in list.iter().enumerate() {
        let f = format!("{field}[{i}]");
        d.at.check(c, &format!("{f}.at"), false, business);
        if d.kind == DeadlineKind::SellerResponse && d.at.from == Anchor::ResponseDue {
            c.push(
                format!("{f}.at.from"),
                "a seller response cannot count from itself",
            );
        }
    }
}

fn check_holiday(c: &mut Collector, f: &str, h: &super::holidays::Holiday) {
    use super::holidays::HolidayDate;
    if h.name.trim().is_empty() {
        c.push(format!("{f}.name"), "must not be empty");
    }
    match h.date {
        HolidayDate::Fixed { month, day } => {
            // Any leap year shows whether the day exists at all.
            if NaiveDate::from_ymd_opt(2024, month, day).is_none() {
                c.push(
                    format!("{f}.date"),
                    format!("month {month}, day {day} is not a date"),
                );
            }
        }
        HolidayDate::NthWeekday { month, n, .. } => {
            if !(1..=12).contains(&month) {
                c.push(
                    format!("{f}.date.month"),
                    format!("must be 1 to 12, got {month}"),
                );
            }
            if !(1..=5).contains(&n) {
                c.push(format!("{f}.date.n"), format!("must be 1 to 5, got {n}"));
            }
        }
        HolidayDate::LastWeekday { month, .. } => {
            if !(1..=12).contains(&month) {
                c.push(
                    format!("{f}.date.month"),
                    format!("must be 1 to 12, got {month}"),
                );
            }
        }
        HolidayDate::Easter { offset_days } => {
            if !(-100..=100).contains(&offset_days) {
                c.push(
                    format!("{f}.date.offset_days"),
                    format!("must be -100 to 100, got {offset_days}"),
                );
            }
        }
        HolidayDate::Once { .. } => {}
    }
    if let (Some(a), Some(b)) = (h.from_year, h.until_year) {
        if a > b {
            c.push(
                format!("{f}.until_year"),
                format!("{b} is before from_year {a}"),
            );
        }
    }
}

pub(crate) fn is_country(s: &str) -> bool {
    s.len() == 2 && s.bytes().all(|b| b.is_ascii_uppercase())
}
