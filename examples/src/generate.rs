//! A generator of large JSON-lines files of valid, varied order facts, for
//! the batch mode's progress indicator and throughput
//! (`assess --generate 100000 > big.jsonl`).
//!
//! `--format csv` writes the same orders as CSV ([`write_csv`]).
//! `--back-to-back` gives every order a customer side too (a customer order
//! on PayPal, eBay, Amazon, Stripe or Shopify Payments, most with a dispute):
//! JSON lines of `{"facts": ..., "customer_order": ..., "customer_dispute":
//! ...}` ([`write_back_to_back`]) or CSV with the customer columns
//! ([`write_back_to_back_csv`]).
//!
//! Deterministic for a seed and a `now`; every fact lies at or before `now`,
//! so `assess --batch big.jsonl --now <same now>` assesses every line.

use chrono::{DateTime, Duration, SecondsFormat, Utc};
use std::fmt::Write as _;
use std::io::{self, Write};

/// A small deterministic generator (SplitMix64): no dependency needed.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator for a seed.
    pub const fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `lo..hi` (`lo` when the range is empty).
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        if hi <= lo {
            return lo;
        }
        let span = (hi - lo).unsigned_abs();
        lo + i64::try_from(self.next_u64() % span).unwrap_or(0)
    }

    /// True with probability `percent` / 100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next_u64() % 100 < percent
    }

    /// One of the items.
    pub fn pick<T: Copy>(&mut self, items: &[T], fallback: T) -> T {
        let n = u64::try_from(items.len()).unwrap_or(1).max(1);
        items
            .get(usize::try_from(self.next_u64() % n).unwrap_or(0))
            .copied()
            .unwrap_or(fallback)
    }
}

const DAY: i64 = 86_400;

fn ts(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// One line of facts (no trailing newline); `i` makes the order id unique.
pub fn line(rng: &mut Rng, i: usize, now: DateTime<Utc>) -> String {
    let at = |secs_ago: i64| now - Duration::seconds(secs_ago.max(0));
    let (country, currency) = rng.pick(
        &[
            ("US", "USD"),
            ("US", "USD"),
            ("RU", "USD"),
            ("BR", "USD"),
            ("DE", "EUR"),
            ("FR", "EUR"),
            ("ES", "EUR"),
            ("KR", "USD"),
            ("GB", "USD"),
            ("PL", "EUR"),
            ("CA", "USD"),
        ],
        ("US", "USD"),
    );
    let method = rng.pick(
        &["standard", "standard", "standard", "economy", "expedited"],
        "standard",
    );
    let payment = rng.pick(
        &[
            "card",
            "card",
            "card",
            "wallet",
            "paypal",
            "cash_payment",
            "bank_transfer",
        ],
        "card",
    );
    let cents = rng.range(50, 30_000);
    let quantity = if rng.chance(5) {
        rng.range(10, 21)
    } else {
        rng.range(1, 4)
    };
    let shipping_cents = if rng.chance(60) {
        0
    } else {
        rng.range(50, 900)
    };

    let shipped_ago = rng.range(60, 140 * DAY);
    let placed_ago = shipped_ago + rng.range(3600, 5 * DAY);
    let paid_ago = placed_ago - rng.range(10, 600);
    let shipped = !rng.chance(3);

    let mut s = String::with_capacity(512);
    let _ = write!(
        s,
        r#"{{"schema_version":1,"order_id":"{}","line_id":"{}","unit_price":{{"amount":"{}.{:02}","currency":"{currency}"}},"quantity":{quantity},"shipping_cost":{{"amount":"{}.{:02}","currency":"{currency}"}},"placed_at":"{}","paid_at":"{}""#,
        3_013_000_000_000u64 + i as u64,
        rng.range(1, 4),
        cents / 100,
        cents % 100,
        shipping_cents / 100,
        shipping_cents % 100,
        ts(at(placed_ago)),
        ts(at(paid_ago)),
    );
    if !shipped {
        let _ = write!(
            s,
            r#","shipping_method":"{method}","destination_country":"{country}","payment_method":"{payment}"}}"#
        );
        return s;
    }
    let _ = write!(
        s,
        r#","shipped_at":"{}","shipping_method":"{method}","destination_country":"{country}""#,
        ts(at(shipped_ago))
    );

    // Tracking, dated between shipment and now.
    let since_shipped = |rng: &mut Rng| shipped_ago - rng.range(0, shipped_ago);
    let mut delivered_ago = None;
    match rng.range(0, 10) {
        0 => s.push_str(r#","tracking":{"status":"none"}"#),
        1 | 2 => {
            let _ = write!(
                s,
                r#","tracking":{{"status":"in_transit","last_event_at":"{}"}}"#,
                ts(at(since_shipped(rng)))
            );
        }
        3 => {
            let _ = write!(
                s,
                r#","tracking":{{"status":"stalled","since":"{}"}}"#,
                ts(at(since_shipped(rng)))
            );
        }
        4 => {
            let _ = write!(
                s,
                r#","tracking":{{"status":"customs_hold","since":"{}"}}"#,
                ts(at(since_shipped(rng)))
            );
        }
        5 if rng.chance(30) => {
            let _ = write!(
                s,
                r#","tracking":{{"status":"returned_to_sender","at":"{}"}}"#,
                ts(at(since_shipped(rng)))
            );
        }
        _ => {
            let ago = since_shipped(rng);
            delivered_ago = Some(ago);
            let right = if rng.chance(97) { "true" } else { "false" };
            let _ = write!(
                s,
                r#","tracking":{{"status":"delivered","at":"{}","to_correct_address":{right}}}"#,
                ts(at(ago))
            );
        }
    }
    let mut received = false;
    if let Some(d) = delivered_ago {
        if rng.chance(50) {
            received = true;
            let by = if rng.chance(85) { "buyer" } else { "automatic" };
            let _ = write!(
                s,
                r#","receipt":{{"at":"{}","by":"{by}"}}"#,
                ts(at(d - rng.range(0, d.min(6 * DAY))))
            );
        }
    }
    if !received && rng.chance(12) {
        let req = shipped_ago - rng.range(0, shipped_ago);
        let days = rng.pick(&[7, 10, 15, 30], 15);
        match rng.range(0, 3) {
            0 => {
                let _ = write!(
                    s,
                    r#","extensions":[{{"requested_at":"{}","days":{days},"status":"pending"}}]"#,
                    ts(at(req))
                );
            }
            k => {
                let status = if k == 1 { "approved" } else { "declined" };
                let _ = write!(
                    s,
                    r#","extensions":[{{"requested_at":"{}","days":{days},"status":"{status}","decided_at":"{}"}}]"#,
                    ts(at(req)),
                    ts(at(req - rng.range(0, req.min(2 * DAY))))
                );
            }
        }
    }
    if rng.chance(8) {
        let opened = shipped_ago - rng.range(0, shipped_ago);
        match rng.range(0, 6) {
            0 => {
                let _ = write!(
                    s,
                    r#","disputes":[{{"opened_at":"{}","status":"open"}}]"#,
                    ts(at(opened))
                );
            }
            k => {
                let status = [
                    "cancelled",
                    "cancelled",
                    "cancelled",
                    "closed_by_agreement",
                    "decided",
                ]
                .get(usize::try_from(k - 1).unwrap_or(0))
                .copied()
                .unwrap_or("cancelled");
                let _ = write!(
                    s,
                    r#","disputes":[{{"opened_at":"{}","status":"{status}","closed_at":"{}"}}]"#,
                    ts(at(opened)),
                    ts(at(opened - rng.range(0, opened.min(5 * DAY))))
                );
            }
        }
    }
    if rng.chance(1) {
        let _ = write!(
            s,
            r#","refund_completed_at":"{}""#,
            ts(at(shipped_ago - rng.range(0, shipped_ago)))
        );
    }
    let _ = write!(s, r#","payment_method":"{payment}"}}"#);
    s
}

/// Writes `n` lines of facts.
pub fn write(n: usize, seed: u64, now: DateTime<Utc>, out: &mut impl Write) -> io::Result<()> {
    let mut rng = Rng::new(seed);
    for i in 0..n {
        out.write_all(line(&mut rng, i, now).as_bytes())?;
        out.write_all(b"\n")?;
    }
    out.flush()
}

/// Writes the same `n` orders as [`write`], as CSV in the flat columns of
/// `dispute_rules::flat` (a header, then one record per order).
pub fn write_csv(n: usize, seed: u64, now: DateTime<Utc>, out: &mut impl Write) -> io::Result<()> {
    // Keep the kind of an I/O error (a closed pipe is not a failure).
    fn io(e: csv::Error) -> io::Error {
        match e.into_kind() {
            csv::ErrorKind::Io(e) => e,
            other => io::Error::other(format!("{other:?}")),
        }
    }
    let mut rng = Rng::new(seed);
    let mut w = csv::Writer::from_writer(out);
    w.write_record(dispute_rules::flat::COLUMNS.map(dispute_rules::flat::Column::name))
        .map_err(io)?;
    for i in 0..n {
        let facts = dispute_rules::OrderFacts::from_json(&line(&mut rng, i, now))
            .and_then(|f| dispute_rules::flat::to_text(&f))
            .map_err(|e| io::Error::other(e.to_string()))?;
        w.write_record(&facts).map_err(io)?;
    }
    w.flush()
}

/// The customer side of order `facts` (`i` makes its order id unique): a
/// customer order placed (and paid)
/// shortly before the supplier order, on a platform picked at random, and
/// in 70% of cases the customer's dispute (not received, now and then not
/// as described, rarely unauthorized), opened in the 25 days before `now` (and a day after the
/// payment or later). Valid for the platform's preset.
pub fn customer_side(
    rng: &mut Rng,
    i: usize,
    facts: &dispute_rules::OrderFacts,
    now: DateTime<Utc>,
) -> (serde_json::Value, Option<serde_json::Value>) {
    use serde_json::json;
    let platform = rng.pick(
        &[
            "paypal",
            "paypal",
            "paypal",
            "ebay",
            "ebay",
            "amazon",
            "stripe",
            "stripe",
            "shopify_payments",
        ],
        "paypal",
    );
    let paid = facts.placed_at - Duration::seconds(rng.range(600, 6 * 3600));
    let cents = rng.range(1_500, 15_000);
    let day = |rng: &mut Rng, lo: i64, hi: i64| {
        (paid + Duration::seconds(rng.range(lo * DAY, hi * DAY)))
            .date_naive()
            .to_string()
    };
    let mut order = json!({
        "schema_version": 1,
        "order_id": format!("S-{}", 500_000 + i),
        "platform": platform,
        "amount": {"amount": format!("{}.{:02}", cents / 100, cents % 100), "currency": "USD"},
        "paid_at": ts(paid),
    });
    match platform {
        "ebay" | "amazon" => {
            order["max_estimated_delivery"] = json!(day(rng, 12, 35));
        }
        "stripe" | "shopify_payments" if rng.chance(70) => {
            order["expected_delivery"] = json!(day(rng, 10, 30));
        }
        _ => {}
    }
    let since_paid = (now - paid).num_seconds();
    if since_paid < DAY || !rng.chance(70) {
        return (order, None);
    }
    // Mostly recent disputes: their deadlines are still ahead.
    let opened = now - Duration::seconds(rng.range(3600, (since_paid - DAY).min(25 * DAY)));
    if rng.chance(5) {
        // Unauthorized: no supplier counterpart (the route does not apply).
        let (reason, stage) = match platform {
            "paypal" => ("UNAUTHORISED", "claim"),
            "ebay" => ("FRAUD", "payment_dispute"),
            "amazon" => ("unauthorized", "chargeback"),
            "stripe" => ("fraudulent", "chargeback"),
            _ => ("FRAUDULENT", "chargeback"),
        };
        let dispute = json!({"reason": reason, "stage": stage, "opened_at": ts(opened)});
        return (order, Some(dispute));
    }
    let received = rng.chance(80);
    let (reason, stage) = match (platform, received) {
        ("paypal", true) => (
            "MERCHANDISE_OR_SERVICE_NOT_RECEIVED",
            rng.pick(&["inquiry", "inquiry", "claim"], "inquiry"),
        ),
        ("paypal", false) => (
            "MERCHANDISE_OR_SERVICE_NOT_AS_DESCRIBED",
            rng.pick(&["inquiry", "claim"], "inquiry"),
        ),
        ("ebay", true) => ("ITEM_NOT_RECEIVED", "inr_request"),
        ("ebay", false) => ("SIGNIFICANTLY_NOT_AS_DESCRIBED", "return_request"),
        ("amazon", true) => ("not_received", "claim"),
        ("amazon", false) => ("different_than_expected", "claim"),
        ("stripe", true) => ("product_not_received", "chargeback"),
        ("stripe", false) => ("product_unacceptable", "chargeback"),
        (_, true) => (
            "PRODUCT_NOT_RECEIVED",
            rng.pick(&["chargeback", "inquiry"], "chargeback"),
        ),
        (_, false) => ("PRODUCT_UNACCEPTABLE", "chargeback"),
    };
    let mut dispute = json!({"reason": reason, "stage": stage, "opened_at": ts(opened)});
    let due = opened + Duration::seconds(rng.range(7 * DAY, 21 * DAY));
    match platform {
        "stripe" => {
            if rng.chance(60) {
                dispute["network"] = json!("visa");
                dispute["network_reason_code"] = json!(if received { "13.1" } else { "13.3" });
            }
            if rng.chance(70) {
                dispute["respond_by"] = json!(ts(due));
            }
        }
        "shopify_payments" if rng.chance(70) => {
            dispute["respond_by"] = json!(due.date_naive().to_string());
        }
        "paypal" | "ebay" if rng.chance(40) => {
            dispute["respond_by"] = json!(ts(due));
        }
        _ => {}
    }
    (order, Some(dispute))
}

/// One back-to-back record: the supplier facts of [`line`] and their
/// [`customer_side`].
fn back_to_back_record(
    rng: &mut Rng,
    i: usize,
    now: DateTime<Utc>,
) -> io::Result<(
    dispute_rules::OrderFacts,
    String,
    serde_json::Value,
    Option<serde_json::Value>,
)> {
    let text = line(rng, i, now);
    let facts =
        dispute_rules::OrderFacts::from_json(&text).map_err(|e| io::Error::other(e.to_string()))?;
    let (order, dispute) = customer_side(rng, i, &facts, now);
    Ok((facts, text, order, dispute))
}

/// Writes `n` back-to-back records as JSON lines:
/// `{"facts": ..., "customer_order": ..., "customer_dispute": ...}`.
pub fn write_back_to_back(
    n: usize,
    seed: u64,
    now: DateTime<Utc>,
    out: &mut impl Write,
) -> io::Result<()> {
    let mut rng = Rng::new(seed);
    for i in 0..n {
        let (_, facts, order, dispute) = back_to_back_record(&mut rng, i, now)?;
        let mut s = format!(r#"{{"facts":{facts},"customer_order":{order}"#);
        if let Some(d) = dispute {
            let _ = write!(s, r#","customer_dispute":{d}"#);
        }
        s.push_str("}\n");
        out.write_all(s.as_bytes())?;
    }
    out.flush()
}

/// Writes the same `n` records as [`write_back_to_back`], as CSV: the flat
/// columns of `dispute_rules::flat`, then its customer columns.
pub fn write_back_to_back_csv(
    n: usize,
    seed: u64,
    now: DateTime<Utc>,
    out: &mut impl Write,
) -> io::Result<()> {
    use dispute_rules::flat::{self, Column};
    use dispute_rules::selling::{CustomerDispute, CustomerOrder};
    fn io(e: impl std::fmt::Display) -> io::Error {
        io::Error::other(e.to_string())
    }
    let mut rng = Rng::new(seed);
    let mut w = csv::Writer::from_writer(out);
    let header = flat::COLUMNS
        .iter()
        .chain(&flat::CUSTOMER_COLUMNS)
        .map(|c| Column::name(*c));
    w.write_record(header).map_err(csv_io)?;
    for i in 0..n {
        let (facts, _, order, dispute) = back_to_back_record(&mut rng, i, now)?;
        let order = CustomerOrder::from_json(&order.to_string()).map_err(io)?;
        let dispute = dispute
            .map(|d| CustomerDispute::from_json(&d.to_string()))
            .transpose()
            .map_err(io)?;
        let mut cells = flat::to_text(&facts).map_err(io)?;
        cells.extend(flat::customer_to_text(&order, dispute.as_ref()).map_err(io)?);
        w.write_record(&cells).map_err(csv_io)?;
    }
    w.flush()
}

/// Keeps the kind of an I/O error (a closed pipe is not a failure).
fn csv_io(e: csv::Error) -> io::Error {
    match e.into_kind() {
        csv::ErrorKind::Io(e) => e,
        other => io::Error::other(format!("{other:?}")),
    }
}
