//! The selling side: the disputes and chargebacks a seller's own customers
//! open on PayPal, eBay, Amazon and card payments (Stripe, Shopify
//! Payments), for sellers who buy the goods from a supplier (dropshippers).
//!
//! - [`SellingPolicy`]: one preset per platform ([`SellingPolicy::preset`]),
//!   every value with its rule id (P-*, S-*, B-*, A-*, H-*), source grade
//!   and confidence; loaded and validated like the supplier's
//!   [`Policy`](crate::Policy);
//! - [`CustomerOrder`] and [`CustomerDispute`]: the input;
//! - [`seller_timeline`]: every deadline of the customer's dispute with its
//!   rule id, UTC and local instants, where it comes from (BB-4: a
//!   platform-given instant always wins over a computed one, and computed
//!   ones are flagged with their confidence), and what to do before it;
//! - the back-to-back assessment with the supplier side is in
//!   [`crate::backtoback`].
//!
//! Selling-side rule ids live in their own [`SellingRule`] enum (see
//! [`rules`]); `docs/selling-side.md` defines each one with its sources.
//!
//! ```
//! use dispute_rules::selling::{self, CustomerDispute, CustomerOrder, SellingPolicy};
//! use dispute_rules::Explain;
//!
//! let order = CustomerOrder::from_json(r#"{
//!   "schema_version": 1, "order_id": "S-1001", "platform": "paypal",
//!   "amount": {"amount": "59.90", "currency": "USD"},
//!   "paid_at": "2026-02-28T03:30:00Z"
//! }"#).unwrap();
//! let dispute = CustomerDispute::from_json(r#"{
//!   "reason": "MERCHANDISE_OR_SERVICE_NOT_RECEIVED", "stage": "inquiry",
//!   "opened_at": "2026-04-25T21:00:00Z"
//! }"#).unwrap();
//! let now = "2026-04-26T12:00:00Z".parse().unwrap();
//! let t = selling::seller_timeline(&order, Some(&dispute), &SellingPolicy::preset("paypal").unwrap(),
//!                                  now, None, Explain::No).unwrap();
//! // No platform instant given: the 10-day fallback (P-L4), flagged as computed.
//! let due = t.response_due.unwrap();
//! assert_eq!(due.at.utc.to_rfc3339(), "2026-05-05T21:00:00+00:00");
//! assert_eq!((due.rule.id(), serde_json::to_string(&due.origin).unwrap().as_str()), ("P-L4", "\"computed\""));
//! ```

pub mod api;
pub mod facts;
pub mod holidays;
pub mod policy;
mod presets;
pub mod rules;
pub mod timeline;

pub use facts::{CustomerDispute, CustomerOrder, DayOrInstant};
pub use policy::{Family, Network, Platform, SellingPolicy};
pub use rules::{AnyRule, RuleIds, SellingRule, SellingRuleSet};
pub use timeline::{seller_timeline, SellerTimeline};
