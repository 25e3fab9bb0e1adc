//! The typed hot path: eligibility and key deadlines of one order line from
//! plain C structs, without JSON (R-E1..R-E9).
//!
//! A `dr_order` becomes a `dispute_rules::OrderFacts`; the answer of
//! `dispute_rules::eligibility::assess` is copied into a `dr_eligibility`.
//! Instants are unix seconds (`int64_t`, UTC), 0 meaning absent; amounts are
//! integers in minor units with one scale for the line.

use crate::error::{boundary, dr_error, guard, ErrorOut, Failure};
use crate::policy::{dr_policy, live_policy};
use crate::status::dr_status;
use crate::strings::static_table;
use chrono::{DateTime, Utc};
use dispute_rules::eligibility::{self, ActionKind, Status};
use dispute_rules::facts::{
    ConfirmedBy, ExtensionRequest, ExtensionStatus, PaymentMethod, PriorDispute,
    PriorDisputeStatus, Receipt, Tracking, FACTS_SCHEMA_VERSION,
};
use dispute_rules::{
    Currency, Error, Explain, Ineligible, Money, OrderFacts, Problem, Problems, Rule, RuleSet,
};
use rust_decimal::Decimal;
use std::cell::Cell;
use std::ffi::{c_char, CStr, CString};
use std::fmt;
use std::sync::OnceLock;

/// How the buyer paid (R-L6, R-L7). Values of `dr_order.payment_method`.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum dr_payment_method {
    /// Anything else (the value of a zeroed struct).
    Other = 0,
    /// Credit or debit card.
    Card = 1,
    /// A platform wallet (Alipay balance and the like).
    Wallet = 2,
    /// PayPal.
    Paypal = 3,
    /// Cash payment at a counter.
    CashPayment = 4,
    /// Western Union.
    WesternUnion = 5,
    /// Telegraphic transfer.
    Tt = 6,
    /// Wire or bank transfer.
    BankTransfer = 7,
}

const PAYMENT: [(dr_payment_method, PaymentMethod); 8] = [
    (dr_payment_method::Other, PaymentMethod::Other),
    (dr_payment_method::Card, PaymentMethod::Card),
    (dr_payment_method::Wallet, PaymentMethod::Wallet),
    (dr_payment_method::Paypal, PaymentMethod::Paypal),
    (dr_payment_method::CashPayment, PaymentMethod::CashPayment),
    (dr_payment_method::WesternUnion, PaymentMethod::WesternUnion),
    (dr_payment_method::Tt, PaymentMethod::Tt),
    (dr_payment_method::BankTransfer, PaymentMethod::BankTransfer),
];

/// What tracking shows. Values of `dr_order.tracking`; the instant goes in
/// `dr_order.tracking_at`.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum dr_tracking {
    /// No tracking information (R-R3); `tracking_at` must be 0.
    None = 0,
    /// Moving; `tracking_at` is the last event, or 0 when unknown (R-R1).
    InTransit = 1,
    /// No movement since `tracking_at` (R-R1).
    Stalled = 2,
    /// Held by customs since `tracking_at` (R-R4).
    CustomsHold = 3,
    /// Returned to the sender at `tracking_at` (R-R2).
    ReturnedToSender = 4,
    /// Delivered at `tracking_at` (R-R5, R-R6); see
    /// `dr_order.delivered_to_wrong_address`.
    Delivered = 5,
}

/// Who confirmed receipt (R-E3). Values of `dr_order.receipt_by`.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum dr_confirmed_by {
    /// The buyer pressed "confirm receipt".
    Buyer = 0,
    /// The platform confirmed it when the timer ran out.
    Automatic = 1,
}

/// The seller's answer to an extension request (R-E5). Values of
/// `dr_extension.status`.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum dr_extension_status {
    /// Not answered yet (`decided_at` must be 0).
    Pending = 0,
    /// Approved: the days add to the protection end.
    Approved = 1,
    /// Declined.
    Declined = 2,
}

/// Status of an earlier (or the current) dispute on the line (R-E6..R-E8).
/// Values of `dr_prior_dispute.status`.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum dr_prior_dispute_status {
    /// Still open (R-E6); `closed_at` must be 0.
    Open = 0,
    /// Cancelled (R-E8: may be reopened up to the policy's limit).
    Cancelled = 1,
    /// The buyer accepted a proposal (R-E7: final).
    ClosedByAgreement = 2,
    /// The platform decided it.
    Decided = 3,
}

/// A request to extend purchase protection (R-E5). An element of
/// `dr_order.extensions`: its layout is frozen (no size field); a later
/// version that needs more per-request facts adds a new array to `dr_order`.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct dr_extension {
    /// When the buyer asked (unix seconds, required).
    pub requested_at: i64,
    /// How many days were asked for (1 to 3650).
    pub days: u32,
    /// A `dr_extension_status` value.
    pub status: u32,
    /// When the seller decided (unix seconds; 0 while pending).
    pub decided_at: i64,
}

/// An earlier (or the current) dispute on the line (R-E6..R-E8). An element
/// of `dr_order.disputes`: its layout is frozen, like `dr_extension`'s.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct dr_prior_dispute {
    /// When it was opened (unix seconds, required).
    pub opened_at: i64,
    /// When it was closed (unix seconds; 0 while open).
    pub closed_at: i64,
    /// A `dr_prior_dispute_status` value.
    pub status: u32,
}

/// The facts of one order line (C-3), as in the facts JSON but flat.
///
/// Start from `dr_order o = DR_ORDER_INIT;` (a zeroed struct whose
/// `struct_size` is `sizeof(dr_order)`): zero means absent or the default
/// everywhere. Instants are unix
/// seconds in UTC, 0 when absent. Strings are NUL-terminated UTF-8 and only
/// read during the call. Problems are reported all together as
/// `DR_STATUS_INVALID_FACTS`, each naming its field as in the facts JSON
/// (`unit_price.currency`, `tracking.at`, `extensions[0].days`).
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct dr_order {
    /// `sizeof(dr_order)` as the caller compiled it (required). Lets the
    /// struct grow: a library reads only what the caller's version has
    /// (newer fields read as absent), and refuses fields it does not know
    /// unless they are zero. Wrong sizes are `DR_STATUS_INVALID_ARGUMENT`.
    pub struct_size: usize,
    /// The marketplace's order id (required).
    pub order_id: *const c_char,
    /// The product line within the order (required).
    pub line_id: *const c_char,
    /// ISO 4217 currency of every amount, for example "USD" (required).
    pub currency: *const c_char,
    /// Decimal places of every `*_minor` amount, 0 to 28: with 2, 1999 is
    /// 19.99.
    pub amount_scale: u32,
    /// Units bought on this line (at least 1).
    pub quantity: u32,
    /// Price of one unit, in minor units (C-2).
    pub unit_price_minor: i64,
    /// Shipping cost of the line, in minor units (C-4).
    pub shipping_cost_minor: i64,
    /// The non-refundable coupon part of the price, in minor units; 0 for
    /// none (C-4).
    pub coupon_minor: i64,
    /// When the order was placed (required).
    pub placed_at: i64,
    /// When it was paid; 0 if unknown.
    pub paid_at: i64,
    /// When the seller marked it shipped (R-E1, R-E2); 0 if not shipped.
    pub shipped_at: i64,
    /// Shipping method, a key of the policy's protection table (R-E2), for
    /// example "standard" (required).
    pub shipping_method: *const c_char,
    /// Protection days the listing promised (R-E2: wins over the policy's
    /// table); 0 if unknown.
    pub promised_protection_days: u32,
    /// A `dr_payment_method` value.
    pub payment_method: u32,
    /// Destination country, ISO 3166 alpha-2 such as "US" (required).
    pub destination_country: *const c_char,
    /// A `dr_tracking` value.
    pub tracking: u32,
    /// Non-zero when tracking says delivered to a wrong address (R-R5); only
    /// with `DR_TRACKING_DELIVERED`.
    pub delivered_to_wrong_address: u32,
    /// The instant of the tracking state (see `dr_tracking`); 0 if none.
    pub tracking_at: i64,
    /// When receipt was confirmed (R-E3, R-E4); 0 if not confirmed.
    pub receipt_at: i64,
    /// A `dr_confirmed_by` value (read only when `receipt_at` is set).
    pub receipt_by: u32,
    /// When the order was cancelled (R-R15); 0 if not.
    pub order_cancelled_at: i64,
    /// When a refund of the line completed (R-E9); 0 if none.
    pub refund_completed_at: i64,
    /// `extension_count` extension requests (R-E5); NULL when the count is 0.
    pub extensions: *const dr_extension,
    /// Number of elements of `extensions`.
    pub extension_count: usize,
    /// `dispute_count` earlier or current disputes on the line (R-E6..R-E8);
    /// NULL when the count is 0.
    pub disputes: *const dr_prior_dispute,
    /// Number of elements of `disputes`.
    pub dispute_count: usize,
}

/// Where the line stands. Values of `dr_eligibility.status`.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum dr_eligibility_status {
    /// A dispute can be opened now.
    Eligible = 0,
    /// Not yet: the window opens later (`DR_INELIGIBLE_TOO_EARLY`).
    NotYet = 1,
    /// The window has closed.
    Closed = 2,
    /// Something else rules a dispute out.
    Blocked = 3,
}

/// R-E9: why a dispute cannot be opened, with the stable numbers of the
/// engine (`dr_ineligible_code` gives the JSON code). When several apply, the
/// lowest number wins. Values of `dr_eligibility.ineligible`.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum dr_ineligible {
    /// Eligible: no reason.
    None = 0,
    /// The seller has not shipped the order (R-E1).
    NotShipped = 1,
    /// A refund of the line is already complete (R-E9).
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

/// What the buyer should do next. Values of `dr_eligibility.next_action`.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum dr_action {
    /// Nothing to do.
    None = 0,
    /// Open the dispute (from `next_action_from`, before
    /// `next_action_deadline`).
    OpenDispute = 1,
    /// Ask the seller to extend protection before the deadline (R-E5).
    RequestExtension = 2,
    /// A request is pending: if not approved in time, open the dispute (R-E5).
    OpenDisputeIfExtensionNotApproved = 3,
    /// Follow the dispute already open (R-E6).
    FollowOpenDispute = 4,
    /// Consider a chargeback with the card issuer (R-L7).
    ConsiderChargeback = 5,
}

const ACTIONS: [(dr_action, ActionKind); 5] = [
    (dr_action::OpenDispute, ActionKind::OpenDispute),
    (dr_action::RequestExtension, ActionKind::RequestExtension),
    (
        dr_action::OpenDisputeIfExtensionNotApproved,
        ActionKind::OpenDisputeIfExtensionNotApproved,
    ),
    (dr_action::FollowOpenDispute, ActionKind::FollowOpenDispute),
    (
        dr_action::ConsiderChargeback,
        ActionKind::ConsiderChargeback,
    ),
];

const STATUSES: [(dr_eligibility_status, Status); 4] = [
    (dr_eligibility_status::Eligible, Status::Eligible),
    (dr_eligibility_status::NotYet, Status::NotYet),
    (dr_eligibility_status::Closed, Status::Closed),
    (dr_eligibility_status::Blocked, Status::Blocked),
];

/// The eligibility of one order line and its key deadlines, as unix seconds
/// (UTC; 0 when absent). Windows run from `*_from` / `opens_at` inclusive to
/// the deadline exclusive (C-1).
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct dr_eligibility {
    /// `sizeof(dr_eligibility)` as the caller compiled it: set it before the
    /// call (`DR_ELIGIBILITY_INIT`). The library writes that many bytes: the
    /// fields it knows, zeros after them.
    pub struct_size: usize,
    /// A `dr_eligibility_status` value.
    pub status: u32,
    /// A `dr_ineligible` value: why not eligible, 0 when eligible.
    pub ineligible: u32,
    /// First instant a dispute can be opened (R-E1); 0 when not shipped.
    pub opens_at: i64,
    /// First instant it can no longer be opened (R-E3, R-E4); 0 when not
    /// shipped.
    pub closes_at: i64,
    /// End of protection with approved extensions (R-E2, R-E5); 0 when not
    /// shipped.
    pub protection_end: i64,
    /// Ask the seller for an extension before this (R-E5); 0 when there is
    /// nothing to request now (received, a request pending, or too late).
    pub extension_deadline: i64,
    /// A `dr_action` value: the first thing to do (soonest deadline first).
    pub next_action: u32,
    /// Number of actions the engine suggests (the JSON answer lists them).
    pub action_count: u32,
    /// Not before this instant; 0 when unbounded.
    pub next_action_from: i64,
    /// Before this instant; 0 when unbounded.
    pub next_action_deadline: i64,
    /// The rules that decided, one bit per rule: bit `n` set means rule
    /// `dr_rule_id(n)` applied.
    pub rules: u64,
}

/// A field of `dr_order`, named as in the facts JSON (`extensions[0].days`).
/// The name is only written out when there is a problem to report.
#[derive(Debug, Clone, Copy)]
enum Field {
    /// A top-level field: `placed_at`, `tracking.at`.
    Top(&'static str),
    /// A field of an array element: `extensions[0].days`.
    Item(&'static str, usize, &'static str),
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Field::Top(name) => f.write_str(name),
            Field::Item(array, i, name) => write!(f, "{array}[{i}].{name}"),
        }
    }
}

/// Reads a `dr_order` into `OrderFacts`, collecting every problem.
struct Reader {
    problems: Vec<Problem>,
}

impl Reader {
    fn problem(&mut self, field: Field, message: impl Into<String>) {
        self.problems.push(Problem::new(field.to_string(), message));
    }

    /// A required string field, borrowed from the caller for the call.
    ///
    /// # Safety
    /// `p` must be NULL or a NUL-terminated string valid for `'a`.
    unsafe fn text<'a>(&mut self, p: *const c_char, field: &'static str) -> Result<&'a str, Failure> {
        if p.is_null() {
            self.problem(Field::Top(field), "required (the pointer is NULL)");
            return Ok("");
        }
        // SAFETY: non-NULL and, by this function's contract, a live C string.
        unsafe { c_str(p) }.map_err(|e| Failure::utf8(&format!("order.{field}"), e))
    }

    /// An optional instant (0: absent).
    fn instant(&mut self, secs: i64, field: Field) -> Option<DateTime<Utc>> {
        if secs == 0 {
            return None;
        }
        let t = DateTime::from_timestamp(secs, 0);
        if t.is_none() {
            self.problem(field, format!("{secs} is not a representable unix time"));
        }
        t
    }

    /// A required instant.
    fn required(&mut self, secs: i64, field: Field) -> DateTime<Utc> {
        if secs == 0 {
            self.problem(field, "required (unix seconds, not 0)");
        }
        self.instant(secs, field).unwrap_or_default()
    }

    /// A value of a C enum, through its table.
    fn choice<C: Copy + Into<u32>, T: Copy>(
        &mut self,
        n: u32,
        table: &[(C, T)],
        field: Field,
        what: &str,
    ) -> Option<T> {
        let v = table
            .iter()
            .find(|(c, _)| (*c).into() == n)
            .map(|(_, t)| *t);
        if v.is_none() {
            self.problem(field, format!("{n} is not a {what} value"));
        }
        v
    }
}

/// A NUL-terminated UTF-8 string as `&str`: the common ASCII string is
/// checked word by word (`is_ascii`), anything else by `str::from_utf8`.
///
/// # Safety
/// `p` must be non-NULL and a NUL-terminated string valid for `'a`.
unsafe fn c_str<'a>(p: *const c_char) -> Result<&'a str, std::str::Utf8Error> {
    // SAFETY: a live C string (contract).
    let bytes = unsafe { CStr::from_ptr(p) }.to_bytes();
    if bytes.is_ascii() {
        // SAFETY: ASCII is valid UTF-8.
        Ok(unsafe { std::str::from_utf8_unchecked(bytes) })
    } else {
        std::str::from_utf8(bytes)
    }
}

macro_rules! into_u32 {
    ($($t:ty),*) => {$(impl From<$t> for u32 { fn from(v: $t) -> u32 { v as u32 } })*};
}
into_u32!(
    dr_payment_method,
    dr_tracking,
    dr_confirmed_by,
    dr_extension_status,
    dr_prior_dispute_status
);

const EXTENSION_STATUSES: [(dr_extension_status, ExtensionStatus); 3] = [
    (dr_extension_status::Pending, ExtensionStatus::Pending),
    (dr_extension_status::Approved, ExtensionStatus::Approved),
    (dr_extension_status::Declined, ExtensionStatus::Declined),
];

const DISPUTE_STATUSES: [(dr_prior_dispute_status, PriorDisputeStatus); 4] = [
    (dr_prior_dispute_status::Open, PriorDisputeStatus::Open),
    (dr_prior_dispute_status::Cancelled, PriorDisputeStatus::Cancelled),
    (
        dr_prior_dispute_status::ClosedByAgreement,
        PriorDisputeStatus::ClosedByAgreement,
    ),
    (dr_prior_dispute_status::Decided, PriorDisputeStatus::Decided),
];

/// A C array as a slice (empty when `count` is 0, whatever the pointer).
///
/// # Safety
/// When `count > 0` and `p` is not NULL, `p` must point to `count` elements
/// valid during the call.
unsafe fn array<'a, T>(p: *const T, count: usize, name: &str) -> Result<&'a [T], Failure> {
    if count == 0 {
        return Ok(&[]);
    }
    if p.is_null() {
        return Err(Failure::null(&format!("order.{name}")));
    }
    if count > isize::MAX as usize / std::mem::size_of::<T>().max(1) {
        return Err(Failure::from_error(Error::InvalidFacts(Problems::one(
            format!("{name}_count"),
            format!("{count} elements cannot exist in memory"),
        ))));
    }
    // SAFETY: non-NULL, the length fits in isize, and by this function's
    // contract `p` points to `count` initialized elements.
    Ok(unsafe { std::slice::from_raw_parts(p, count) })
}

/// Copies a caller's struct that starts with a `size_t struct_size` into a
/// zeroed `T`: the first `struct_size` bytes are read, fields of a newer
/// struct than the caller's stay zero (absent). A larger struct (a newer
/// header than this library) is accepted when the fields this library does
/// not know are all zero.
///
/// # Safety
/// `p` must be non-NULL, and valid for reading `struct_size` bytes (read
/// first). `T` must be a `#[repr(C)]` struct of integers and raw pointers
/// (every bit pattern valid) whose first field is a `usize`.
unsafe fn read_sized<T: Copy>(p: *const T, name: &str, min: usize) -> Result<T, Failure> {
    // SAFETY: the first field, readable by this function's contract
    // (unaligned: the caller's memory).
    let size = unsafe { p.cast::<usize>().read_unaligned() };
    let ours = std::mem::size_of::<T>();
    if size < min {
        return Err(Failure::invalid_argument(
            &format!("{name}.struct_size"),
            &format!("{size} is not a size of this struct: set it to sizeof({name_t})", name_t = type_name(name)),
        ));
    }
    if size > ours {
        // SAFETY: `size` bytes are readable (contract).
        let tail = unsafe { std::slice::from_raw_parts(p.cast::<u8>().add(ours), size - ours) };
        if tail.iter().any(|b| *b != 0) {
            return Err(Failure::invalid_argument(
                &format!("{name}.struct_size"),
                &format!(
                    "fields past byte {ours} are set, but this library ({}) does not know them: link a newer library",
                    env!("CARGO_PKG_VERSION")
                ),
            ));
        }
    }
    let mut value = std::mem::MaybeUninit::<T>::zeroed();
    // SAFETY: `min(size, ours)` bytes are readable from `p` (contract) and
    // writable in `value`; the two do not overlap; every bit pattern is a
    // valid `T` (contract), so the zeroed rest is valid too.
    unsafe {
        std::ptr::copy_nonoverlapping(p.cast::<u8>(), value.as_mut_ptr().cast::<u8>(), size.min(ours));
        Ok(value.assume_init())
    }
}

fn type_name(argument: &str) -> &'static str {
    match argument {
        "order" => "dr_order",
        _ => "dr_eligibility",
    }
}

/// The smallest `dr_order.struct_size` this library reads: the size of the
/// first published `dr_order` (0.1.0). When a field is added to `dr_order`,
/// this stays the old size, and the new field reads as 0 for older callers.
pub(crate) const DR_ORDER_SIZE_V1: usize = std::mem::size_of::<dr_order>();
/// The smallest `dr_eligibility.struct_size`: the first published size
/// (0.1.0); fields added later are not written for older callers.
pub(crate) const DR_ELIGIBILITY_SIZE_V1: usize = std::mem::size_of::<dr_eligibility>();

/// Facts with empty strings and lists: the start of the per-thread buffer.
fn blank() -> OrderFacts {
    OrderFacts {
        schema_version: FACTS_SCHEMA_VERSION,
        order_id: String::new(),
        line_id: String::new(),
        unit_price: Money::zero(Currency::USD),
        quantity: 0,
        shipping_cost: Money::zero(Currency::USD),
        coupon: None,
        placed_at: DateTime::default(),
        paid_at: None,
        shipped_at: None,
        shipping_method: String::new(),
        promised_protection_days: None,
        destination_country: String::new(),
        tracking: Tracking::None,
        receipt: None,
        extensions: Vec::new(),
        order_cancelled_at: None,
        refund_completed_at: None,
        disputes: Vec::new(),
        payment_method: PaymentMethod::Other,
    }
}

/// Strings and lists longer than this are not kept for the next call.
const KEEP_CAPACITY: usize = 4096;

thread_local! {
    /// The facts of the last `dr_order` read on this thread, kept so that
    /// the next call reuses their buffers: after the first call on a thread,
    /// reading an order allocates nothing (the strings are copied into the
    /// buffers, a few bytes each). Never observable: every field is
    /// overwritten on each call, nothing of the caller's is kept, and a call
    /// that fails or panics leaves nothing behind.
    static BUFFERS: Cell<Option<Box<OrderFacts>>> = const { Cell::new(None) };
}

/// Runs `f` on facts whose buffers come from this thread's last call.
fn with_buffers<R>(f: impl FnOnce(&mut OrderFacts) -> R) -> R {
    let mut facts = BUFFERS
        .try_with(Cell::take)
        .ok()
        .flatten()
        .unwrap_or_else(|| Box::new(blank()));
    let r = f(&mut facts);
    let small = [
        facts.order_id.capacity(),
        facts.line_id.capacity(),
        facts.shipping_method.capacity(),
        facts.destination_country.capacity(),
        facts.extensions.capacity() * std::mem::size_of::<ExtensionRequest>(),
        facts.disputes.capacity() * std::mem::size_of::<PriorDispute>(),
    ]
    .iter()
    .all(|c| *c <= KEEP_CAPACITY);
    if small {
        // Fails only while the thread exits: the box is then dropped.
        let _ = BUFFERS.try_with(|b| b.set(Some(facts)));
    }
    r
}

/// Copies `s` into `buf`, reusing its capacity.
fn set(buf: &mut String, s: &str) {
    buf.clear();
    buf.push_str(s);
}

/// Fills `facts` from a `dr_order`, every field overwritten.
///
/// # Safety
/// Every pointer in `o` must be NULL or valid as documented on `dr_order`.
unsafe fn fill(facts: &mut OrderFacts, o: &dr_order) -> Result<(), Failure> {
    let mut r = Reader {
        problems: Vec::new(),
    };
    // SAFETY: pointers of `o` are NULL or live C strings (contract).
    let order_id = unsafe { r.text(o.order_id, "order_id") }?;
    // SAFETY: as above.
    let line_id = unsafe { r.text(o.line_id, "line_id") }?;
    // SAFETY: as above.
    let currency_text = unsafe { r.text(o.currency, "unit_price.currency") }?;
    // SAFETY: as above.
    let shipping_method = unsafe { r.text(o.shipping_method, "shipping_method") }?;
    // SAFETY: as above.
    let destination_country = unsafe { r.text(o.destination_country, "destination_country") }?;
    // SAFETY: arrays of `o`, `count` elements when non-NULL (contract).
    let extensions = unsafe { array(o.extensions, o.extension_count, "extensions") }?;
    // SAFETY: as above.
    let disputes = unsafe { array(o.disputes, o.dispute_count, "disputes") }?;

    let currency = match Currency::new(currency_text) {
        Some(c) => c,
        None => {
            if !o.currency.is_null() {
                r.problem(
                    Field::Top("unit_price.currency"),
                    format!(
                        "`{currency_text}` is not a currency code (three uppercase letters, like `USD`)"
                    ),
                );
            }
            Currency::USD
        }
    };
    let mut money = |minor: i64, field: &'static str| match Decimal::try_new(minor, o.amount_scale) {
        Ok(d) => Money::new(d, currency),
        Err(_) => {
            r.problem(
                Field::Top(field),
                format!("scale {} is not 0 to 28 (amount_scale)", o.amount_scale),
            );
            Money::zero(currency)
        }
    };
    let unit_price = money(o.unit_price_minor, "unit_price.amount");
    let shipping_cost = money(o.shipping_cost_minor, "shipping_cost.amount");
    let coupon = (o.coupon_minor != 0).then(|| money(o.coupon_minor, "coupon.amount"));

    let tracking_at = r.instant(o.tracking_at, Field::Top("tracking.at"));
    let tracking_kind = r.choice(
        o.tracking,
        &[
            (dr_tracking::None, 0u8),
            (dr_tracking::InTransit, 1),
            (dr_tracking::Stalled, 2),
            (dr_tracking::CustomsHold, 3),
            (dr_tracking::ReturnedToSender, 4),
            (dr_tracking::Delivered, 5),
        ],
        Field::Top("tracking.status"),
        "dr_tracking",
    );
    let mut needs_at = |field: &'static str| {
        if tracking_at.is_none() && o.tracking_at == 0 {
            r.problem(
                Field::Top(field),
                "required for this tracking status (tracking_at)",
            );
        }
        tracking_at.unwrap_or_default()
    };
    let tracking = match tracking_kind {
        Some(1) => Tracking::InTransit {
            last_event_at: tracking_at,
        },
        Some(2) => Tracking::Stalled {
            since: needs_at("tracking.since"),
        },
        Some(3) => Tracking::CustomsHold {
            since: needs_at("tracking.since"),
        },
        Some(4) => Tracking::ReturnedToSender {
            at: needs_at("tracking.at"),
        },
        Some(5) => Tracking::Delivered {
            at: needs_at("tracking.at"),
            to_correct_address: o.delivered_to_wrong_address == 0,
        },
        _ => {
            if tracking_at.is_some() {
                r.problem(
                    Field::Top("tracking.at"),
                    "must be 0 when there is no tracking information",
                );
            }
            Tracking::None
        }
    };
    if o.delivered_to_wrong_address != 0 && tracking_kind != Some(5) {
        r.problem(
            Field::Top("tracking.to_correct_address"),
            "a wrong address needs DR_TRACKING_DELIVERED",
        );
    }

    let receipt = match r.instant(o.receipt_at, Field::Top("receipt.at")) {
        Some(at) => r
            .choice(
                o.receipt_by,
                &[
                    (dr_confirmed_by::Buyer, ConfirmedBy::Buyer),
                    (dr_confirmed_by::Automatic, ConfirmedBy::Automatic),
                ],
                Field::Top("receipt.by"),
                "dr_confirmed_by",
            )
            .map(|by| Receipt { at, by }),
        None => None,
    };
    let payment_method = r
        .choice(
            o.payment_method,
            &PAYMENT,
            Field::Top("payment_method"),
            "dr_payment_method",
        )
        .unwrap_or(PaymentMethod::Other);

    facts.extensions.clear();
    for (i, e) in extensions.iter().enumerate() {
        let at = |name| Field::Item("extensions", i, name);
        let request = ExtensionRequest {
            requested_at: r.required(e.requested_at, at("requested_at")),
            days: e.days,
            status: r
                .choice(e.status, &EXTENSION_STATUSES, at("status"), "dr_extension_status")
                .unwrap_or(ExtensionStatus::Pending),
            decided_at: r.instant(e.decided_at, at("decided_at")),
        };
        facts.extensions.push(request);
    }
    facts.disputes.clear();
    for (i, d) in disputes.iter().enumerate() {
        let at = |name| Field::Item("disputes", i, name);
        let dispute = PriorDispute {
            opened_at: r.required(d.opened_at, at("opened_at")),
            status: r
                .choice(d.status, &DISPUTE_STATUSES, at("status"), "dr_prior_dispute_status")
                .unwrap_or(PriorDisputeStatus::Open),
            closed_at: r.instant(d.closed_at, at("closed_at")),
        };
        facts.disputes.push(dispute);
    }

    facts.schema_version = FACTS_SCHEMA_VERSION;
    set(&mut facts.order_id, order_id);
    set(&mut facts.line_id, line_id);
    facts.unit_price = unit_price;
    facts.quantity = o.quantity;
    facts.shipping_cost = shipping_cost;
    facts.coupon = coupon;
    facts.placed_at = r.required(o.placed_at, Field::Top("placed_at"));
    facts.paid_at = r.instant(o.paid_at, Field::Top("paid_at"));
    facts.shipped_at = r.instant(o.shipped_at, Field::Top("shipped_at"));
    set(&mut facts.shipping_method, shipping_method);
    facts.promised_protection_days =
        (o.promised_protection_days != 0).then_some(o.promised_protection_days);
    set(&mut facts.destination_country, destination_country);
    facts.tracking = tracking;
    facts.receipt = receipt;
    facts.order_cancelled_at = r.instant(o.order_cancelled_at, Field::Top("order_cancelled_at"));
    facts.refund_completed_at = r.instant(o.refund_completed_at, Field::Top("refund_completed_at"));
    facts.payment_method = payment_method;
    if r.problems.is_empty() {
        Ok(())
    } else {
        Err(Failure::from_error(Error::InvalidFacts(Problems::new(
            r.problems,
        ))))
    }
}

fn secs(m: Option<dispute_rules::Moment>) -> i64 {
    m.map_or(0, |m| m.utc.timestamp())
}

/// The bits of `dr_eligibility.rules`: bit `n` for the rule numbered `n`.
fn rule_bits(rules: RuleSet) -> u64 {
    Rule::ALL.iter().fold(0u64, |bits, r| {
        let n = u32::from(*r as u8);
        bits | (u64::from(rules.contains(*r)) << (n & 63))
    })
}

/// The C answer of an eligibility.
fn answer(e: &eligibility::Eligibility) -> dr_eligibility {
    let first = e.next_actions.first();
    dr_eligibility {
        struct_size: std::mem::size_of::<dr_eligibility>(),
        status: STATUSES
            .iter()
            .find(|(_, s)| *s == e.status)
            .map_or(u32::MAX, |(c, _)| *c as u32),
        ineligible: e.code.map_or(0, Ineligible::number),
        opens_at: secs(e.window.map(|w| w.opens_at)),
        closes_at: secs(e.window.map(|w| w.closes_at)),
        protection_end: secs(e.protection_end),
        extension_deadline: secs(
            e.next_actions
                .iter()
                .find(|a| a.kind == ActionKind::RequestExtension)
                .and_then(|a| a.deadline),
        ),
        next_action: first
            .and_then(|a| ACTIONS.iter().find(|(_, k)| *k == a.kind))
            .map_or(0, |(c, _)| *c as u32),
        action_count: u32::try_from(e.next_actions.len()).unwrap_or(u32::MAX),
        next_action_from: secs(first.and_then(|a| a.from)),
        next_action_deadline: secs(first.and_then(|a| a.deadline)),
        rules: rule_bits(e.rules),
    }
}

/// Can a dispute be opened at `now` (unix seconds), and by when? The typed
/// twin of the `eligibility` JSON operation: the same engine, the same
/// validation, no JSON.
///
/// Set `order->struct_size = sizeof(dr_order)` and
/// `eligibility_out->struct_size = sizeof(dr_eligibility)` before the call
/// (`DR_ORDER_INIT` and `DR_ELIGIBILITY_INIT` do it). On success fills
/// `*eligibility_out` (its first `struct_size` bytes). Invalid facts are
/// `DR_STATUS_INVALID_FACTS` with every problem listed; an unrepresentable
/// `now` is `DR_STATUS_INVALID_REQUEST`; a wrong `struct_size` or a `policy`
/// that is not a live `dr_policy` is `DR_STATUS_INVALID_ARGUMENT`.
///
/// The order's strings are read during the call only: nothing is kept and,
/// after a thread's first call, nothing is allocated on success.
///
/// # Safety
/// `policy` must be NULL or a `dr_policy` pointer; `order` NULL or a
/// `dr_order` readable for `order->struct_size` bytes whose pointers are
/// valid as documented there; `eligibility_out` NULL or a `dr_eligibility`
/// whose `struct_size` is set and which is writable for that many bytes;
/// `error_out` NULL or valid for writing a pointer.
#[no_mangle]
pub unsafe extern "C" fn dr_order_eligibility(
    policy: *const dr_policy,
    order: *const dr_order,
    now: i64,
    eligibility_out: *mut dr_eligibility,
    error_out: *mut *mut dr_error,
) -> dr_status {
    // SAFETY: `error_out` is NULL or writable (this function's contract).
    let error_out = unsafe { ErrorOut::new(error_out) };
    boundary(error_out, || {
        // SAFETY: NULL or a policy pointer (contract).
        let policy = unsafe { live_policy(policy, "policy") }?;
        if order.is_null() {
            return Err(Failure::null("order"));
        }
        // SAFETY: non-NULL, readable for its `struct_size` (contract), which
        // is read first (unaligned: the caller's memory).
        let order_size = unsafe { order.cast::<usize>().read_unaligned() };
        let copy;
        let order: &dr_order = if order_size == std::mem::size_of::<dr_order>() {
            // SAFETY: the caller's `dr_order`, of this library's size
            // (contract: readable, pointers valid as documented).
            unsafe { &*order }
        } else {
            // SAFETY: non-NULL, readable for its `struct_size` (contract);
            // `dr_order` is integers and raw pointers.
            copy = unsafe { read_sized(order, "order", DR_ORDER_SIZE_V1) }?;
            &copy
        };
        if eligibility_out.is_null() {
            return Err(Failure::null("eligibility_out"));
        }
        // SAFETY: non-NULL, its `struct_size` set (contract).
        let out_size = unsafe { eligibility_out.cast::<usize>().read_unaligned() };
        if out_size < DR_ELIGIBILITY_SIZE_V1 {
            return Err(Failure::invalid_argument(
                "eligibility_out.struct_size",
                &format!("{out_size} is not a size of this struct: set it to sizeof(dr_eligibility)"),
            ));
        }
        let now = DateTime::from_timestamp(now, 0).ok_or_else(|| {
            Failure::from_error(Error::InvalidRequest(Problems::one(
                "now",
                format!("{now} is not a representable unix time"),
            )))
        })?;
        let e = with_buffers(|facts| {
            // SAFETY: the order's pointers are valid as documented (contract).
            unsafe { fill(facts, order) }?;
            eligibility::assess(facts, policy.policy(), now, Explain::No).map_err(Failure::from_error)
        })?;
        let answer = answer(&e);
        // Written only now, on success: our fields, then zeros up to the
        // caller's size (a newer header's fields this library does not know).
        let ours = std::mem::size_of::<dr_eligibility>();
        // SAFETY: `eligibility_out` is writable for `out_size` bytes
        // (contract); `answer` is a local of `ours` bytes; `n <= out_size`.
        unsafe {
            let dst = eligibility_out.cast::<u8>();
            let n = ours.min(out_size);
            std::ptr::copy_nonoverlapping((&answer as *const dr_eligibility).cast::<u8>(), dst, n);
            if out_size > n {
                std::ptr::write_bytes(dst.add(n), 0, out_size - n);
            }
            // The caller's size stays: it says how much was written.
            eligibility_out.cast::<usize>().write_unaligned(out_size);
        }
        Ok(())
    })
}

static INELIGIBLE_CODES: OnceLock<Vec<CString>> = OnceLock::new();
static INELIGIBLE_TEXTS: OnceLock<Vec<CString>> = OnceLock::new();
static RULE_IDS: OnceLock<Vec<CString>> = OnceLock::new();
static STATUS_NAMES: OnceLock<Vec<CString>> = OnceLock::new();
static ACTION_NAMES: OnceLock<Vec<CString>> = OnceLock::new();

fn lookup(table: &'static [CString], i: Option<usize>) -> *const c_char {
    i.and_then(|i| table.get(i))
        .map_or(std::ptr::null(), |c| c.as_ptr())
}

/// The stable JSON code of a `dr_ineligible` value (`"too_early"`), or NULL
/// for 0 and unknown numbers. Static; do not free.
#[no_mangle]
pub extern "C" fn dr_ineligible_code(ineligible: u32) -> *const c_char {
    guard(std::ptr::null(), || {
        let t = static_table(&INELIGIBLE_CODES, || {
            Ineligible::ALL.iter().map(|c| c.code()).collect()
        });
        lookup(
            t,
            Ineligible::ALL
                .iter()
                .position(|c| c.number() == ineligible),
        )
    })
}

/// A plain-English sentence for a `dr_ineligible` value, or NULL for 0 and
/// unknown numbers. Static; do not free.
#[no_mangle]
pub extern "C" fn dr_ineligible_text(ineligible: u32) -> *const c_char {
    guard(std::ptr::null(), || {
        let t = static_table(&INELIGIBLE_TEXTS, || {
            Ineligible::ALL.iter().map(|c| c.describe()).collect()
        });
        lookup(
            t,
            Ineligible::ALL
                .iter()
                .position(|c| c.number() == ineligible),
        )
    })
}

/// The rule id of bit `bit` of `dr_eligibility.rules` (`"R-E1"`), or NULL
/// when no rule has that bit. Static; do not free.
#[no_mangle]
pub extern "C" fn dr_rule_id(bit: u32) -> *const c_char {
    guard(std::ptr::null(), || {
        let t = static_table(&RULE_IDS, || Rule::ALL.iter().map(|r| r.id()).collect());
        lookup(t, Rule::ALL.iter().position(|r| u32::from(*r as u8) == bit))
    })
}

/// The stable name of a `dr_eligibility_status` value (`"eligible"`), or
/// NULL for an unknown number. Static; do not free.
#[no_mangle]
pub extern "C" fn dr_eligibility_status_name(status: u32) -> *const c_char {
    guard(std::ptr::null(), || {
        let t = static_table(&STATUS_NAMES, || {
            STATUSES.iter().map(|(_, s)| s.as_str()).collect()
        });
        lookup(t, STATUSES.iter().position(|(c, _)| *c as u32 == status))
    })
}

/// The stable name of a `dr_action` value (`"open_dispute"`), or NULL for 0
/// and unknown numbers. Static; do not free.
#[no_mangle]
pub extern "C" fn dr_action_name(action: u32) -> *const c_char {
    guard(std::ptr::null(), || {
        let t = static_table(&ACTION_NAMES, || {
            ACTIONS.iter().map(|(_, a)| a.as_str()).collect()
        });
        lookup(t, ACTIONS.iter().position(|(c, _)| *c as u32 == action))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn c_enums_match_the_engine() {
        // Every R-E9 code has its dr_ineligible constant with the same number.
        let ours = [
            dr_ineligible::NotShipped,
            dr_ineligible::RefundComplete,
            dr_ineligible::ClosedByAgreement,
            dr_ineligible::DisputeAlreadyOpen,
            dr_ineligible::ReopenLimitReached,
            dr_ineligible::ConfirmationTimeout,
            dr_ineligible::ConfirmationWindowPassed,
            dr_ineligible::TooEarly,
        ];
        assert_eq!(ours.len(), Ineligible::ALL.len());
        for (c, e) in ours.iter().zip(Ineligible::ALL) {
            assert_eq!(*c as u32, e.number(), "{}", e.code());
            assert_eq!(format!("{c:?}").to_lowercase(), e.code().replace('_', ""));
        }
        for (c, k) in ACTIONS {
            assert_eq!(format!("{c:?}").to_lowercase(), k.as_str().replace('_', ""));
        }
        for (c, s) in STATUSES {
            assert_eq!(format!("{c:?}").to_lowercase(), s.as_str().replace('_', ""));
        }
        for (c, p) in PAYMENT {
            let json = serde_json::to_string(&p).unwrap();
            assert_eq!(format!("\"{c:?}\"").to_lowercase(), json.replace('_', ""));
        }
    }

    #[test]
    fn rule_bits_name_every_rule() {
        for r in Rule::ALL {
            let p = dr_rule_id(u32::from(*r as u8));
            // SAFETY: a static C string from this library.
            assert_eq!(unsafe { CStr::from_ptr(p) }.to_str().unwrap(), r.id());
        }
        assert!(dr_rule_id(64).is_null());
    }
}
