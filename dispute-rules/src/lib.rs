#![doc = include_str!("../README.md")]
//!
//! ## Modules
//!
//! One module per area: [`facts`] (the input), [`policy`], [`calendar`]
//! (C-1), [`eligibility`] (R-E1..R-E9), [`timeline`], [`reasons`]
//! (R-R1..R-R15, R-S1..R-S3, R-V1, R-V2), [`outcome`] (R-O1..R-O6),
//! [`lifecycle`] (R-L1..R-L7), [`explain`], [`rules`] (every rule id, and
//! the rules reference that defines them all: what each rule says, its
//! public sources, where they conflict and what each preset adopts),
//! [`api`] (the JSON request/answer layer the bindings use) and [`flat`]
//! (orders as flat columns, for CSV and Arrow readers). With the `schema`
//! feature, `schema` gives the JSON Schema of the facts and of a request.
//! The seller's own customer disputes (PayPal, eBay, Amazon, card payments)
//! are in [`selling`], and the back-to-back assessment of both sides in
//! [`backtoback`].
//!
//! ## Eligibility and timeline
//!
//! ```
//! use dispute_rules::{eligibility, timeline, OrderFacts, Policy, Status, Explain};
//!
//! let facts = OrderFacts::from_json(r#"{
//!   "schema_version": 1, "order_id": "8123", "line_id": "1",
//!   "unit_price": {"amount": "19.99", "currency": "USD"}, "quantity": 1,
//!   "shipping_cost": {"amount": "0", "currency": "USD"},
//!   "placed_at": "2026-02-27T09:00:00Z", "paid_at": "2026-02-27T09:01:00Z",
//!   "shipped_at": "2026-03-01T18:00:00Z", "shipping_method": "standard",
//!   "destination_country": "US", "tracking": {"status": "none"},
//!   "payment_method": "card"
//! }"#).unwrap();
//! let policy = Policy::aliexpress();
//! let now = "2026-03-20T12:00:00Z".parse().unwrap();
//!
//! let e = eligibility::assess(&facts, &policy, now, Explain::No).unwrap();
//! assert_eq!(e.status, Status::Eligible);
//! // R-E1: from 00:00 Pacific on 12 March (the 11th day after shipment).
//! assert_eq!(e.window.unwrap().opens_at.utc.to_rfc3339(), "2026-03-12T07:00:00+00:00");
//! assert_eq!(e.rules.ids()[..3], ["C-1", "R-E1", "R-E2"]);
//!
//! let t = timeline::build(&facts, &policy, now, Explain::Yes).unwrap();
//! assert!(t.entries.windows(2).all(|w| w[0].at <= w[1].at));
//! ```

pub mod api;
pub mod backtoback;
pub mod calendar;
pub mod eligibility;
pub mod error;
pub mod explain;
pub mod facts;
pub mod flat;
pub mod lifecycle;
pub mod limits;
pub mod money;
pub mod outcome;
pub mod policy;
pub mod reasons;
pub mod rules;
#[cfg(feature = "schema")]
pub mod schema;
pub mod selling;
pub mod timeline;
mod variants;

pub use calendar::{Calendar, DayCounting, Moment};
pub use eligibility::{Eligibility, Ineligible, Status};
pub use error::{Error, ErrorKind, Problem, Problems};
pub use explain::{Explain, Explanation};
pub use facts::OrderFacts;
pub use lifecycle::Dispute;
pub use money::{Currency, Money};
pub use policy::Policy;
pub use rules::{Rule, RuleSet};
pub use timeline::Timeline;
