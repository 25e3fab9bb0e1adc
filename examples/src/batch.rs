//! Batch mode: assess a file of order facts, JSON lines or CSV (the flat
//! columns of `dispute_rules::flat`), and write the answers as a table
//! sorted by urgency, as CSV or as JSON lines (both in input order).
//!
//! The input is read as bytes and each record is decoded and judged on its
//! own: a line that is not UTF-8, a byte-order mark, trailing garbage after
//! the JSON, a record over [`MAX_RECORD_BYTES`] or a CSV record with the
//! wrong number of fields is that record's error, reported with its line
//! number; every other record is still answered.
//!
//! A record may carry the **customer side** of the same order too (the
//! seller's own customer, on PayPal, eBay, Amazon or a card): a JSON line
//! `{"facts": {...}, "customer_order": {...}, "customer_dispute": {...}}`
//! (see [`records`]), or a CSV record filling the optional customer columns
//! of `dispute_rules::flat`. Such a record is answered back to back
//! (`dispute_rules::backtoback`): which side's deadline binds first, the
//! supplier route, the next actions of both sides ([`BACK_TO_BACK_COLUMNS`]).
//! A record without one is answered exactly as before.
//!
//! Field names in errors: JSON-lines records name facts paths under
//! `facts.` (`facts.tracking.at`), as `dispute_rules::api` does (and the
//! customer side under `customer_order.` and `customer_dispute.`, as its
//! `back_to_back` operation does); CSV records name columns (`tracking_at`,
//! `extensions[1].days`, `customer_dispute_stage`), as
//! `dispute_rules::flat` does.
//!
//! The work is split in two steps: [`records`] decodes the input into
//! [`Record`]s, and a [`Judge`] answers each one on its own
//! ([`Judge::judge`]), so the two can run on other threads or come from
//! another reader.

use crate::b2b;
use crate::report::{local, relative, utc};
use chrono::{DateTime, SecondsFormat, Utc};
use chrono_tz::Tz;
use dispute_rules::api::{self, Assessment, BatchItem, BatchResult, ErrorAnswer};
use dispute_rules::backtoback::{self, BackToBack};
use dispute_rules::flat::{self, Layout, TextRow};
use dispute_rules::selling::api::{resolve_selling_policy, SellingRequest};
use dispute_rules::selling::{CustomerDispute, CustomerOrder, Platform, SellingPolicy};
use dispute_rules::{
    Eligibility, Error, Explain, Ineligible, Moment, OrderFacts, Policy, Problem, Problems, Status,
};
use std::fmt::Write as _;
use std::io::{self, Write};

/// The largest record (one JSON line, one CSV record) read, in bytes: the
/// engine's limit for one document. A larger one is that record's error.
pub const MAX_RECORD_BYTES: usize = dispute_rules::limits::MAX_REQUEST_BYTES;

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// The input format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// One JSON object of order facts per line.
    Jsonl,
    /// CSV with a header of `dispute_rules::flat` columns.
    Csv,
}

impl Format {
    /// The format a file name implies: `.csv` is CSV, anything else JSON
    /// lines.
    pub fn of_path(path: &str) -> Format {
        let lower = path.to_ascii_lowercase();
        if lower.ends_with(".csv") {
            Format::Csv
        } else {
            Format::Jsonl
        }
    }

    /// A `--format` value.
    pub fn from_name(name: &str) -> Option<Format> {
        match name {
            "jsonl" => Some(Format::Jsonl),
            "csv" => Some(Format::Csv),
            _ => None,
        }
    }
}

/// The output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Output {
    /// A readable table, most urgent first, then the errors.
    Table,
    /// CSV, one row per input record in input order ([`RESULT_COLUMNS`]).
    Csv,
    /// JSON lines, one per input record in input order
    /// (`{"line": n, "result": "success", "answer": ...}`).
    Jsonl,
}

impl Output {
    /// An `--output` value.
    pub fn from_name(name: &str) -> Option<Output> {
        match name {
            "table" => Some(Output::Table),
            "csv" => Some(Output::Csv),
            "jsonl" => Some(Output::Jsonl),
            _ => None,
        }
    }
}

/// One input record, decoded.
#[derive(Debug, Clone)]
pub struct Record {
    /// 1-based line number where the record starts (a CSV header is line 1).
    pub line: usize,
    /// The order and line ids when the record shows them, even if it is
    /// otherwise invalid (so a result row can be matched to its order).
    pub ids: Option<(String, String)>,
    /// The customer's order id, when the record has a customer side that
    /// shows it.
    pub customer_order_id: Option<String>,
    /// The record, or what is wrong with it (fields named as in the
    /// outcome: see the [module documentation](self)).
    pub input: Result<Input, Error>,
}

/// A decoded record: the supplier's order facts and, when the record has
/// one, the customer side.
#[derive(Debug, Clone)]
pub struct Input {
    /// The supplier's order facts.
    pub facts: OrderFacts,
    /// The customer side, for a back-to-back answer.
    pub customer: Option<Customer>,
}

/// The customer side of a record.
#[derive(Debug, Clone)]
pub struct Customer {
    /// The customer's order with the seller.
    pub order: CustomerOrder,
    /// The customer's dispute, when one is open.
    pub dispute: Option<CustomerDispute>,
    /// The record's own selling policy (a JSON line's `selling_policy`);
    /// else the preset of the order's platform.
    pub selling_policy: Option<Box<SellingPolicy>>,
    /// The record's own zone of local times (a JSON line's `time_zone`);
    /// else the supplier policy's.
    pub time_zone: Option<Tz>,
}

/// One record's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
#[allow(
    clippy::large_enum_variant,
    reason = "the common answer, the supplier side's, is not boxed"
)]
pub enum Answer {
    /// The supplier side alone: eligibility and timeline
    /// (`dispute_rules::api::assess`).
    Supplier(Assessment),
    /// Both sides (`dispute_rules::backtoback::assess`).
    BackToBack(Box<BackToBack>),
}

impl Answer {
    /// The supplier side's eligibility.
    pub fn eligibility(&self) -> &Eligibility {
        match self {
            Answer::Supplier(a) => &a.eligibility,
            Answer::BackToBack(b) => &b.supplier.eligibility,
        }
    }

    /// The back-to-back answer, for a record with a customer side.
    pub fn back_to_back(&self) -> Option<&BackToBack> {
        match self {
            Answer::BackToBack(b) => Some(b),
            Answer::Supplier(_) => None,
        }
    }
}

/// One record's answer.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// 1-based line number of the record.
    pub line: usize,
    /// Order and line ids, when known.
    pub ids: Option<(String, String)>,
    /// The customer's order id, when known.
    pub customer_order_id: Option<String>,
    /// The answer, or the record's error.
    pub result: Result<Answer, Error>,
}

/// The records of `input`, decoded one by one. The only error is one that
/// stops the whole file: a CSV header that does not name the columns (every
/// problem named).
///
/// A JSON line is either bare order facts, or an object with a `facts`
/// field: `{"facts": {...}, "customer_order": {...}, "customer_dispute":
/// {...}}`, the customer parts optional, plus optionally `selling_policy`
/// and `time_zone` as in a `back_to_back` request (`now`, `policy` and
/// `explain` are the batch's and are refused on a line).
pub fn records(
    input: &[u8],
    format: Format,
) -> Result<Box<dyn Iterator<Item = Record> + '_>, String> {
    match format {
        Format::Jsonl => Ok(Box::new(jsonl_records(input))),
        Format::Csv => csv_records(input.strip_prefix(BOM).unwrap_or(input))
            .map(|it| Box::new(it) as Box<dyn Iterator<Item = Record>>),
    }
}

/// Whether `input` has a customer side: a CSV header naming the customer
/// columns, or a JSON line naming `customer_order`. The CSV output then has
/// the [`BACK_TO_BACK_COLUMNS`] too.
pub fn has_customer_side(input: &[u8], format: Format) -> bool {
    let input = input.strip_prefix(BOM).unwrap_or(input);
    match format {
        Format::Jsonl => names_key(input, b"\"customer_order\""),
        Format::Csv => {
            let mut reader = csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .from_reader(input);
            let mut header = csv::ByteRecord::new();
            matches!(reader.read_byte_record(&mut header), Ok(true))
                && header
                    .iter()
                    .filter_map(|n| std::str::from_utf8(n).ok())
                    .filter_map(|n| flat::Column::from_name(n.trim()))
                    .any(flat::Column::is_customer)
        }
    }
}

/// Whether JSON text names `key` (with its quotes) as an object key: the
/// key followed by a colon. In valid JSON no string value can look so
/// (its quotes would be escaped).
fn names_key(text: &[u8], key: &[u8]) -> bool {
    let mut at = 0;
    while let Some(i) = text
        .get(at..)
        .and_then(|rest| rest.windows(key.len()).position(|w| w == key))
    {
        at += i + key.len();
        let after = text.get(at..).unwrap_or_default();
        if after.trim_ascii_start().first() == Some(&b':') {
            return true;
        }
    }
    false
}

/// What every record of a batch is answered with: one supplier policy, one
/// `now`, and the selling presets (built once).
#[derive(Debug)]
pub struct Judge<'a> {
    policy: &'a Policy,
    now: DateTime<Utc>,
    format: Format,
    presets: Vec<(Platform, SellingPolicy)>,
}

impl<'a> Judge<'a> {
    /// A judge of records read from `format`.
    pub fn new(policy: &'a Policy, now: DateTime<Utc>, format: Format) -> Judge<'a> {
        Judge {
            policy,
            now,
            format,
            presets: Platform::ALL
                .iter()
                .map(|p| (*p, SellingPolicy::for_platform(*p)))
                .collect(),
        }
    }

    fn preset(&self, p: Platform) -> Option<&SellingPolicy> {
        self.presets.iter().find(|(x, _)| *x == p).map(|(_, s)| s)
    }

    /// Answers one record: the supplier side alone, or both sides when the
    /// record has a customer side. Errors name fields as the format does.
    pub fn judge(&self, r: Record) -> Outcome {
        let (csv, now, policy) = (self.format == Format::Csv, self.now, self.policy);
        let result = r.input.and_then(|i| match i.customer {
            None => api::assess(&i.facts, policy, now, Explain::No)
                .map(Answer::Supplier)
                .map_err(|e| match (csv, e) {
                    (true, e) => flat::column_error(e),
                    (false, e @ Error::InvalidFacts(_)) => e.nested("facts"),
                    (false, e) => e,
                }),
            Some(c) => {
                let own;
                let selling = match c.selling_policy {
                    Some(p) => {
                        own = p;
                        &*own
                    }
                    None => match self.preset(c.order.platform) {
                        Some(p) => p,
                        None => {
                            own = Box::new(SellingPolicy::for_platform(c.order.platform));
                            &*own
                        }
                    },
                };
                backtoback::assess(
                    &c.order,
                    c.dispute.as_ref(),
                    selling,
                    &i.facts,
                    policy,
                    now,
                    c.time_zone,
                    Explain::No,
                )
                .map(|b| Answer::BackToBack(Box::new(b)))
                .map_err(|e| if csv { flat::column_error(e) } else { e })
            }
        });
        Outcome {
            line: r.line,
            ids: r.ids,
            customer_order_id: r.customer_order_id,
            result,
        }
    }
}

/// Assesses every record of `input` with one policy and one `now`, in input
/// order, on the calling thread (see [`with_outcomes`] for threads).
pub fn outcomes<'a>(
    input: &'a [u8],
    format: Format,
    policy: &'a Policy,
    now: DateTime<Utc>,
) -> Result<impl Iterator<Item = Outcome> + 'a, String> {
    let judge = Judge::new(policy, now, format);
    Ok(records(input, format)?.map(move |r| judge.judge(r)))
}

/// Outcomes handed from the worker threads to the reader at once.
const HANDOFF: usize = 1024;

/// Assesses every record of `input` as [`outcomes`] does and hands them,
/// in input order, to `consume` as an iterator, which it may stop early.
/// JSON lines run on `threads` threads (0: every core) through the
/// engine's batch over bytes (`dispute_rules::api::for_each_line`): the
/// lines are split, then decoded and judged on the worker threads, while
/// `consume` reads the outcomes on the calling thread; memory stays bounded
/// whatever the input's size. CSV records are read and judged on the
/// calling thread. The outcomes are the same whatever the number of
/// threads.
pub fn with_outcomes<R>(
    input: &[u8],
    format: Format,
    policy: &Policy,
    now: DateTime<Utc>,
    threads: usize,
    consume: impl FnOnce(&mut dyn Iterator<Item = Outcome>) -> R,
) -> Result<R, String> {
    let one_thread = threads == 1
        || (threads == 0 && std::thread::available_parallelism().map_or(1, |n| n.get()) == 1);
    if format == Format::Csv || one_thread {
        return Ok(consume(&mut outcomes(input, format, policy, now)?));
    }
    let judge = &Judge::new(policy, now, format);
    // Set when the reader stops early: the remaining lines are skipped.
    let stop = &std::sync::atomic::AtomicBool::new(false);
    let stopped = || stop.load(std::sync::atomic::Ordering::Relaxed);
    Ok(std::thread::scope(|s| {
        let (send, receive) = std::sync::mpsc::sync_channel::<Vec<Outcome>>(4);
        s.spawn(move || {
            let mut ready = Vec::with_capacity(HANDOFF);
            api::for_each_line(
                input,
                threads,
                |l| (!stopped()).then(|| judge.judge(jsonl_record(l.line, l.bytes))),
                |o| {
                    ready.extend(o);
                    if ready.len() >= HANDOFF && send.send(std::mem::take(&mut ready)).is_err() {
                        stop.store(true, std::sync::atomic::Ordering::Relaxed);
                    }
                },
            );
            if !ready.is_empty() {
                let _ = send.send(ready);
            }
        });
        let mut all = receive.into_iter().flatten();
        let r = consume(&mut all);
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        drop(all);
        r
    }))
}

/// The JSON lines of `input`, split as the engine's batch splits them
/// (`dispute_rules::api::lines`: a byte-order mark skipped, `\r\n` read as
/// `\n`, lines of spaces and tabs skipped), so that with one thread or
/// many the same lines are records.
fn jsonl_records(input: &[u8]) -> impl Iterator<Item = Record> + '_ {
    api::lines(input).map(|l| jsonl_record(l.line, l.bytes))
}

/// One JSON line (1-based `line`): bare facts, or an object with `facts`
/// and the customer side.
pub fn jsonl_record(line: usize, raw: &[u8]) -> Record {
    let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
    let facts_error = |e: Error| match e {
        Error::InvalidFacts(_) => e.nested("facts"),
        other => other,
    };
    if raw.len() <= MAX_RECORD_BYTES && names_key(raw, b"\"facts\"") {
        if let Ok(text) = std::str::from_utf8(raw) {
            return envelope_record(line, text);
        }
    }
    let facts = json_line(raw);
    let ids = match &facts {
        Ok(f) => Some((f.order_id.clone(), f.line_id.clone())),
        Err(_) if raw.len() <= MAX_RECORD_BYTES => json_ids(raw),
        Err(_) => None,
    };
    Record {
        line,
        ids,
        customer_order_id: None,
        input: facts
            .map(|facts| Input {
                facts,
                customer: None,
            })
            .map_err(facts_error),
    }
}

/// A JSON line with `facts` and, optionally, the customer side.
fn envelope_record(line: usize, text: &str) -> Record {
    // The parser refuses anything after the object (the whole line must be
    // the object).
    let parsed = SellingRequest::parse(text);
    let r = match parsed {
        Ok(r) => r,
        Err(e) => {
            return Record {
                line,
                ids: None,
                customer_order_id: None,
                input: Err(e),
            }
        }
    };
    let ids = r.facts.and_then(|raw| json_ids(raw.get().as_bytes()));
    let customer_order_id = r
        .customer_order
        .and_then(|raw| json_ids(raw.get().as_bytes()))
        .map(|(order, _)| order);
    let input = envelope_input(&r);
    Record {
        line,
        ids: match &input {
            Ok(i) => Some((i.facts.order_id.clone(), i.facts.line_id.clone())),
            Err(_) => ids,
        },
        customer_order_id: match &input {
            Ok(Input {
                customer: Some(c), ..
            }) => Some(c.order.order_id.clone()),
            _ => customer_order_id,
        },
        input,
    }
}

/// The parts of a JSON line's object, read in the order the
/// `back_to_back` operation reads them, so that a line fails as the
/// operation would.
fn envelope_input(r: &SellingRequest<'_>) -> Result<Input, Error> {
    let batch_wide: Vec<Problem> = [
        ("now", r.now.is_some(), "--now"),
        ("policy", r.policy.is_some(), "--policy"),
        ("explain", r.explain, "the batch"),
    ]
    .into_iter()
    .filter(|(_, given, _)| *given)
    .map(|(name, _, flag)| {
        Problem::new(
            name,
            format!("not read from a batch line: {flag} applies to every line"),
        )
    })
    .collect();
    if !batch_wide.is_empty() {
        return Err(Error::InvalidRequest(Problems::new(batch_wide)));
    }
    let has_customer = r.customer_order.is_some()
        || r.customer_dispute.is_some()
        || r.selling_policy.is_some()
        || r.time_zone.is_some();
    let customer = if has_customer {
        let order = b2b::customer_order(r.customer_order)?;
        let dispute = b2b::customer_dispute(r.customer_dispute)?;
        let selling_policy = r
            .selling_policy
            .map(|raw| resolve_selling_policy(raw.get()).map(Box::new))
            .transpose()?;
        Some((order, dispute, selling_policy))
    } else {
        None
    };
    let facts = b2b::supplier_facts(r.facts)?;
    let time_zone = b2b::time_zone(r.time_zone.as_deref())?;
    Ok(Input {
        facts,
        customer: customer.map(|(order, dispute, selling_policy)| Customer {
            order,
            dispute,
            selling_policy,
            time_zone,
        }),
    })
}

fn whole(message: String) -> Error {
    Error::InvalidFacts(Problems::one("", message))
}

fn too_big(len: usize, what: &str) -> Error {
    whole(format!(
        "the {what} is {len} bytes, over the limit of {MAX_RECORD_BYTES} bytes"
    ))
}

/// One JSON line: size, UTF-8, then the facts, with nothing after them.
fn json_line(raw: &[u8]) -> Result<OrderFacts, Error> {
    if raw.len() > MAX_RECORD_BYTES {
        return Err(too_big(raw.len(), "line"));
    }
    let text = std::str::from_utf8(raw).map_err(|e| {
        whole(format!(
            "the line is not valid UTF-8 (at byte {})",
            e.valid_up_to() + 1
        ))
    })?;
    // Refuses anything after the facts, and names the field at fault.
    OrderFacts::from_json(text)
}

/// The ids of a JSON line that is not valid facts, when it shows them.
fn json_ids(raw: &[u8]) -> Option<(String, String)> {
    #[derive(serde::Deserialize)]
    struct Ids {
        order_id: Option<String>,
        line_id: Option<String>,
    }
    let ids: Ids = serde_json::from_slice(raw).ok()?;
    match (ids.order_id, ids.line_id) {
        (None, None) => None,
        (o, l) => Some((o.unwrap_or_default(), l.unwrap_or_default())),
    }
}

fn csv_records(input: &[u8]) -> Result<impl Iterator<Item = Record> + '_, String> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(input);
    let mut header = csv::ByteRecord::new();
    match reader.read_byte_record(&mut header) {
        Ok(true) => {}
        Ok(false) => return Err("the CSV file is empty: it needs a header of columns".into()),
        Err(e) => return Err(format!("the CSV header: {e}")),
    }
    let names: Vec<String> = header
        .iter()
        .map(|n| String::from_utf8_lossy(n).into_owned())
        .collect();
    let layout = Layout::new(&names).map_err(|e| {
        let list: Vec<String> = e.problems().iter().map(|p| format!("  {p}")).collect();
        format!(
            "the CSV header does not name the order columns:\n{}",
            list.join("\n")
        )
    })?;
    let mut record = csv::ByteRecord::new();
    // Line numbers are counted here (the reader's own count is one short
    // after CRLF line ends): the lines before a record's first byte, plus 1.
    let mut lines = LineCounter::new(input);
    Ok(std::iter::from_fn(move || {
        let read = reader.read_byte_record(&mut record);
        let at = |p: Option<&csv::Position>| {
            p.map_or(0, |p| usize::try_from(p.byte()).unwrap_or(usize::MAX))
        };
        match read {
            Ok(false) => None,
            Ok(true) => {
                let line = lines.line_at(at(record.position()));
                Some(csv_record(&layout, &record, line))
            }
            // Reading bytes from a slice, the reader does not fail; were it
            // to, the error is that record's.
            Err(e) => Some(Record {
                line: lines.line_at(at(e.position())),
                ids: None,
                customer_order_id: None,
                input: Err(whole(e.to_string())),
            }),
        }
    }))
}

/// 1-based line numbers of byte offsets, asked in increasing order.
struct LineCounter<'a> {
    input: &'a [u8],
    offset: usize,
    line: usize,
}

impl<'a> LineCounter<'a> {
    fn new(input: &'a [u8]) -> Self {
        LineCounter {
            input,
            offset: 0,
            line: 1,
        }
    }

    fn line_at(&mut self, offset: usize) -> usize {
        let mut end = offset.min(self.input.len());
        // After a CRLF the reader's offset is that of the LF: the record
        // starts after the line ends.
        while matches!(self.input.get(end), Some(b'\r' | b'\n')) {
            end += 1;
        }
        if end > self.offset {
            self.line += self.input[self.offset..end]
                .iter()
                .filter(|b| **b == b'\n')
                .count();
            self.offset = end;
        }
        self.line
    }
}

fn csv_record(layout: &Layout, record: &csv::ByteRecord, line: usize) -> Record {
    let ids = || {
        let cell = |c| {
            layout
                .position(c)
                .and_then(|i| record.get(i))
                .map(|b| String::from_utf8_lossy(b).into_owned())
        };
        match (cell(flat::Column::OrderId), cell(flat::Column::LineId)) {
            (None, None) => None,
            (o, l) => Some((o.unwrap_or_default(), l.unwrap_or_default())),
        }
    };
    let size = record.as_slice().len();
    let width = layout.columns().len();
    let input = if size > MAX_RECORD_BYTES {
        Err(too_big(size, "record"))
    } else if record.len() != width {
        Err(whole(format!(
            "the record has {} fields, the header has {width}",
            record.len()
        )))
    } else {
        let mut cells = Vec::with_capacity(width);
        let mut problems = Vec::new();
        for (i, b) in record.iter().enumerate() {
            match std::str::from_utf8(b) {
                Ok(s) => cells.push(s),
                Err(e) => {
                    let name = layout.columns().get(i).map_or("", |c| c.name());
                    problems.push(dispute_rules::Problem::new(
                        name,
                        format!("not valid UTF-8 (at byte {})", e.valid_up_to() + 1),
                    ));
                    cells.push("");
                }
            }
        }
        if problems.is_empty() {
            let row = TextRow::new(layout, &cells);
            let facts = flat::facts(&row);
            let customer = if layout.has_customer() {
                flat::customer(&row)
            } else {
                Ok(None)
            };
            match (facts, customer) {
                (Ok(facts), Ok(side)) => Ok(Input {
                    facts,
                    customer: side.map(|c| Customer {
                        order: c.order,
                        dispute: c.dispute,
                        selling_policy: None,
                        time_zone: None,
                    }),
                }),
                (Err(e), Ok(_)) | (Ok(_), Err(e)) => Err(e),
                // Every problem of the record at once.
                (Err(a), Err(b)) => {
                    let mut list = a.problems();
                    list.extend(b.problems());
                    Err(Error::InvalidFacts(Problems::new(list)))
                }
            }
        } else {
            Err(Error::InvalidFacts(Problems::new(problems)))
        }
    };
    let ids = match &input {
        Ok(i) => Some((i.facts.order_id.clone(), i.facts.line_id.clone())),
        Err(_) => ids(),
    };
    let customer_order_id = match &input {
        Ok(Input {
            customer: Some(c), ..
        }) => Some(c.order.order_id.clone()),
        _ => layout
            .position(flat::Column::CustomerOrderId)
            .and_then(|i| record.get(i))
            .map(|b| String::from_utf8_lossy(b).into_owned())
            .filter(|s| !s.trim().is_empty()),
    };
    Record {
        line,
        ids,
        customer_order_id,
        input,
    }
}

/// The most urgent next action of a line: the one with the soonest deadline
/// still ahead of `now`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Urgent {
    /// Its deadline.
    pub deadline: Moment,
    /// What to do (the action's stable name: `request_extension`, or for a
    /// back-to-back line `respond_to_customer`...).
    pub kind: &'static str,
}

/// The soonest deadline among the next actions that is still ahead.
pub fn urgency(e: &Eligibility, now: DateTime<Utc>) -> Option<Urgent> {
    e.next_actions
        .iter()
        .filter_map(|x| {
            Some(Urgent {
                deadline: x.deadline.filter(|d| d.utc > now)?,
                kind: x.kind.as_str(),
            })
        })
        .min_by_key(|u| u.deadline.utc)
}

/// The soonest deadline among a back-to-back answer's next actions (either
/// side) that is still ahead.
pub fn back_to_back_urgency(b: &BackToBack, now: DateTime<Utc>) -> Option<Urgent> {
    b.next_actions
        .iter()
        .filter_map(|x| {
            Some(Urgent {
                deadline: x.deadline.filter(|d| d.utc > now)?,
                kind: b2b::action_name(x.kind),
            })
        })
        .min_by_key(|u| u.deadline.utc)
}

/// Which side binds first (BB-3): `supplier`, `customer`, or `none` when no
/// deadline the seller must meet is ahead.
pub fn binds_first(b: &BackToBack) -> &'static str {
    b.binding.map_or("none", |d| b2b::side_name(d.side))
}

/// What a back-to-back line adds to its row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BackToBackRow {
    /// [`binds_first`].
    pub binds: &'static str,
    /// The supplier route (`open`, `closed`...).
    pub route: &'static str,
}

/// One assessed line, kept small so that large files fit in memory.
#[derive(Debug, Clone)]
pub struct Row {
    /// 1-based line number.
    pub line: usize,
    /// Order id.
    pub order_id: String,
    /// Line id.
    pub line_id: String,
    /// Eligibility status.
    pub status: Status,
    /// R-E9 code when not eligible.
    pub code: Option<Ineligible>,
    /// The most urgent action with a deadline, if any (for a back-to-back
    /// line, of either side).
    pub urgent: Option<Urgent>,
    /// The first next action (shown when none has a deadline, for example
    /// `consider_chargeback`, R-L7).
    pub first_action: Option<&'static str>,
    /// For a line with a customer side.
    pub back_to_back: Option<BackToBackRow>,
}

/// A line that could not be assessed.
#[derive(Debug, Clone)]
pub struct LineError {
    /// 1-based line number.
    pub line: usize,
    /// What is wrong.
    pub error: Error,
}

/// Counts of a batch: lines per status and the lines in error.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tally {
    /// Lines per status: eligible, not yet, closed, blocked.
    pub counts: [usize; 4],
    /// How many lines failed.
    pub errors: usize,
    /// The first few lines that failed.
    pub first_error_lines: Vec<usize>,
    /// Back-to-back lines by the side that binds first: supplier, customer,
    /// none.
    pub binds: [usize; 3],
}

const SHOWN_ERROR_LINES: usize = 5;

impl Tally {
    /// Counts one outcome.
    pub fn add(&mut self, o: &Outcome) {
        match &o.result {
            Ok(a) => {
                self.add_status(a.eligibility().status);
                if let Some(b) = a.back_to_back() {
                    let i = match binds_first(b) {
                        "supplier" => 0,
                        "customer" => 1,
                        _ => 2,
                    };
                    if let Some(n) = self.binds.get_mut(i) {
                        *n += 1;
                    }
                }
            }
            Err(_) => self.add_error(o.line),
        }
    }

    fn add_status(&mut self, s: Status) {
        if let Some(n) = self.counts.get_mut(usize::from(status_rank(s))) {
            *n += 1;
        }
    }

    fn add_error(&mut self, line: usize) {
        self.errors += 1;
        if self.first_error_lines.len() < SHOWN_ERROR_LINES {
            self.first_error_lines.push(line);
        }
    }

    /// Whether every line was answered.
    pub fn all_answered(&self) -> bool {
        self.errors == 0
    }

    /// The summary line, like
    /// `12 lines: 8 eligible, 1 not yet, 1 closed, 1 blocked, 1 error (line 6)`,
    /// followed, when lines had a customer side, by
    /// `; 11 back to back: 5 supplier side binds first, 6 customer side, 0 none`.
    pub fn summary(&self) -> String {
        let [e, n, c, b] = self.counts;
        let total = e + n + c + b + self.errors;
        let mut s = format!(
            "{total} lines: {e} eligible, {n} not yet, {c} closed, {b} blocked, {} ",
            self.errors
        );
        s.push_str(if self.errors == 1 { "error" } else { "errors" });
        if self.errors > 0 {
            let shown: Vec<String> = self
                .first_error_lines
                .iter()
                .map(ToString::to_string)
                .collect();
            let more = if self.errors > shown.len() {
                ", ..."
            } else {
                ""
            };
            let word = if self.errors == 1 { "line" } else { "lines" };
            let _ = write!(s, " ({word} {}{more})", shown.join(", "));
        }
        let [sup, cus, none] = self.binds;
        if sup + cus + none > 0 {
            let _ = write!(
                s,
                "; {} back to back: {sup} supplier side binds first, {cus} customer side, {none} none",
                sup + cus + none
            );
        }
        s
    }
}

/// A batch collected for the table: rows sorted by urgency, errors in input
/// order.
#[derive(Debug, Clone, Default)]
pub struct Batch {
    /// Assessed lines, most urgent first (after [`Batch::sort`]).
    pub rows: Vec<Row>,
    /// Lines in error, in input order.
    pub errors: Vec<LineError>,
    /// The counts.
    pub tally: Tally,
}

const fn status_rank(s: Status) -> u8 {
    match s {
        Status::Eligible => 0,
        Status::NotYet => 1,
        Status::Closed => 2,
        Status::Blocked => 3,
    }
}

impl Batch {
    /// Collects outcomes (keeping a small row per line) and sorts them.
    pub fn collect(outcomes: impl IntoIterator<Item = Outcome>, now: DateTime<Utc>) -> Batch {
        let mut b = Batch::default();
        for o in outcomes {
            b.push(o, now);
        }
        b.sort();
        b
    }

    /// Adds one outcome (unsorted).
    pub fn push(&mut self, o: Outcome, now: DateTime<Utc>) {
        self.tally.add(&o);
        let (order_id, line_id) = o.ids.unwrap_or_default();
        match o.result {
            Ok(a) => {
                let e = a.eligibility();
                let (urgent, first_action, back_to_back) = match a.back_to_back() {
                    None => (
                        urgency(e, now),
                        e.next_actions.first().map(|x| x.kind.as_str()),
                        None,
                    ),
                    Some(b) => (
                        back_to_back_urgency(b, now),
                        b.next_actions.first().map(|x| b2b::action_name(x.kind)),
                        Some(BackToBackRow {
                            binds: binds_first(b),
                            route: b2b::route_name(b.supplier_route.state),
                        }),
                    ),
                };
                self.rows.push(Row {
                    line: o.line,
                    urgent,
                    first_action,
                    status: e.status,
                    code: e.code,
                    order_id,
                    line_id,
                    back_to_back,
                });
            }
            Err(error) => self.errors.push(LineError {
                line: o.line,
                error,
            }),
        }
    }

    /// Sorts rows: soonest deadline first; lines without a deadline after
    /// them (by status, then line number).
    pub fn sort(&mut self) {
        self.rows.sort_by_key(|r| {
            (
                r.urgent.is_none(),
                r.urgent.map(|u| u.deadline.utc),
                status_rank(r.status),
                r.line,
            )
        });
    }

    /// Lines per status: eligible, not yet, closed, blocked.
    pub fn counts(&self) -> [usize; 4] {
        self.tally.counts
    }

    /// The summary line (see [`Tally::summary`]).
    pub fn summary(&self) -> String {
        self.tally.summary()
    }

    /// The readable table, at most `top` rows, then the errors. When any
    /// line has a customer side, two columns say which side binds first and
    /// where the supplier route stands, and such a line's most urgent action
    /// is that of either side.
    pub fn table(&self, now: DateTime<Utc>, top: Option<usize>) -> String {
        let b2b = self.rows.iter().any(|r| r.back_to_back.is_some());
        let mut out = String::new();
        let extra = |binds: &str, route: &str| {
            if b2b {
                format!("{binds:<8}  {route:<14}  ")
            } else {
                String::new()
            }
        };
        let _ = writeln!(
            out,
            "{:>4}  {:<20}  {:<8}  {:<26}  {}{:<38}  {:<20}  {:<20}  left",
            "#",
            "order/line",
            "status",
            "why not",
            extra("binds", "supplier route"),
            "most urgent action",
            "deadline (local)",
            "deadline (UTC)"
        );
        let shown = top.unwrap_or(usize::MAX);
        for (i, r) in self.rows.iter().take(shown).enumerate() {
            let why = r.code.map_or("-", Ineligible::code);
            let (what, l, u, left) = match (&r.urgent, r.first_action) {
                (Some(x), _) => (
                    x.kind,
                    local(&x.deadline),
                    utc(&x.deadline),
                    relative(now, x.deadline.utc),
                ),
                (None, Some(k)) => (k, "-".into(), "-".into(), "-".into()),
                (None, None) => ("-", "-".into(), "-".into(), "-".into()),
            };
            let id = format!("{}/{}", r.order_id, r.line_id);
            let more = match r.back_to_back {
                Some(x) => extra(x.binds, x.route),
                None => extra("-", "-"),
            };
            let _ = writeln!(
                out,
                "{:>4}  {id:<20}  {:<8}  {why:<26}  {more}{what:<38}  {l:<20}  {u:<20}  {left}",
                i + 1,
                r.status.as_str()
            );
        }
        if self.rows.len() > shown {
            let _ = writeln!(
                out,
                "      ... {} more (use --top to show more)",
                self.rows.len() - shown
            );
        }
        for e in &self.errors {
            let _ = writeln!(out, "line {}: {}", e.line, e.error);
        }
        out
    }
}

/// The columns of the CSV output, one row per input record.
pub const RESULT_COLUMNS: [&str; 14] = [
    "line",
    "order_id",
    "line_id",
    "status",
    "code",
    "opens_at",
    "closes_at",
    "protection_ends_at",
    "next_action",
    "next_deadline",
    "rules",
    "error_kind",
    "error_field",
    "error_message",
];

/// The columns the CSV output adds after [`RESULT_COLUMNS`] when the input
/// has a customer side ([`has_customer_side`]); empty on a row without one.
pub const BACK_TO_BACK_COLUMNS: [&str; 12] = [
    "customer_order_id",
    "binds_first",
    "binding_milestone",
    "binding_deadline",
    "binding_rule",
    "supplier_route",
    "supplier_closes_before_decision",
    "customer_decision_at",
    "uncovered_amount",
    "uncovered_currency",
    "first_action",
    "first_action_deadline",
];

fn instant(m: &Moment) -> String {
    m.utc.to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

/// The CSV output row of an outcome ([`RESULT_COLUMNS`]): instants in UTC
/// (RFC 3339); the next action is the most urgent one with a deadline still
/// ahead, else the first one; rule ids are separated by spaces; an error
/// row gives the error's kind, its first problem's field and the whole
/// message (every problem with its field). For a back-to-back line these
/// are the supplier side's ([`back_to_back_row`] adds the rest).
pub fn result_row(o: &Outcome, now: DateTime<Utc>) -> [String; 14] {
    let (order_id, line_id) = o.ids.clone().unwrap_or_default();
    let mut row: [String; 14] = Default::default();
    row[0] = o.line.to_string();
    row[1] = order_id;
    row[2] = line_id;
    match &o.result {
        Ok(a) => {
            let e = a.eligibility();
            let (action, deadline) = match (urgency(e, now), e.next_actions.first()) {
                (Some(u), _) => (u.kind, instant(&u.deadline)),
                (None, Some(x)) => (x.kind.as_str(), String::new()),
                (None, None) => ("", String::new()),
            };
            row[3] = e.status.as_str().to_owned();
            row[4] = e.code.map(|c| c.code().to_owned()).unwrap_or_default();
            row[5] = e.window.map(|w| instant(&w.opens_at)).unwrap_or_default();
            row[6] = e.window.map(|w| instant(&w.closes_at)).unwrap_or_default();
            row[7] = e.protection_end.as_ref().map(instant).unwrap_or_default();
            row[8] = action.to_owned();
            row[9] = deadline;
            row[10] = e.rules.ids().join(" ");
        }
        Err(e) => {
            row[11] = e.kind().as_str().to_owned();
            row[12] = e.field();
            row[13] = e.to_string();
        }
    }
    row
}

/// The [`BACK_TO_BACK_COLUMNS`] of an outcome: the customer's order id
/// (also on an error row, when the record shows it); which side binds first
/// (`supplier`, `customer` or `none`, BB-3), that deadline's milestone,
/// instant (UTC) and rule; the supplier route and whether it closes before
/// the customer's platform may decide (`true`/`false`, empty when unknown),
/// and that decision instant; what is uncovered when the route cannot
/// cover a loss; the first next action of either side with a deadline still
/// ahead (else the first) and its deadline. All empty on a row without a
/// customer side.
pub fn back_to_back_row(o: &Outcome, now: DateTime<Utc>) -> [String; 12] {
    let mut row: [String; 12] = Default::default();
    row[0] = o.customer_order_id.clone().unwrap_or_default();
    let Some(b) = o.result.as_ref().ok().and_then(Answer::back_to_back) else {
        return row;
    };
    row[1] = binds_first(b).to_owned();
    if let Some(d) = &b.binding {
        row[2] = d.milestone.to_owned();
        row[3] = instant(&d.at);
        row[4] = d.rule.id().to_owned();
    }
    let r = &b.supplier_route;
    row[5] = b2b::route_name(r.state).to_owned();
    row[6] = r
        .closes_before_customer_decision
        .map(|x| x.to_string())
        .unwrap_or_default();
    row[7] = r
        .customer_decision_at
        .as_ref()
        .map(instant)
        .unwrap_or_default();
    if let Some(u) = &b.uncovered {
        row[8] = u.amount.to_string();
        row[9] = u.currency.to_string();
    }
    if let Some(a) = b2b::first_action(b, now) {
        row[10] = b2b::action_name(a.kind).to_owned();
        row[11] = a.deadline.as_ref().map(instant).unwrap_or_default();
    }
    row
}

/// The JSON line of an outcome, in the format of `dispute_rules::api`'s
/// batches: `{"line": n, "result": "success", "answer": {...}}` or
/// `{"line": n, "result": "failure", "error": {...}}`; a back-to-back
/// line's answer is that of the `back_to_back` operation.
pub fn result_json(o: &Outcome) -> String {
    let text = match &o.result {
        Ok(Answer::Supplier(a)) => serde_json::to_string(&BatchItem {
            line: o.line,
            result: BatchResult::Success { answer: a },
        }),
        Ok(Answer::BackToBack(b)) => serde_json::to_string(&BatchItem {
            line: o.line,
            result: BatchResult::Success { answer: &**b },
        }),
        Err(e) => serde_json::to_string(&BatchItem::<()> {
            line: o.line,
            result: BatchResult::Failure {
                error: ErrorAnswer::from(e),
            },
        }),
    };
    text.unwrap_or_default()
}

/// Writes outcomes in input order as CSV (with a header) or JSON lines,
/// calling `progress(done)` after each; returns the tally. With
/// `back_to_back` (see [`has_customer_side`]) the CSV rows have the
/// [`BACK_TO_BACK_COLUMNS`] too. Stops at the first write error (a closed
/// pipe included), returning the tally so far.
pub fn write_results(
    outcomes: impl IntoIterator<Item = Outcome>,
    output: Output,
    back_to_back: bool,
    now: DateTime<Utc>,
    out: &mut impl Write,
    mut progress: impl FnMut(usize),
) -> Result<Tally, (Tally, io::Error)> {
    let mut tally = Tally::default();
    let r = if output == Output::Csv {
        let mut w = csv::Writer::from_writer(&mut *out);
        let write = || -> Result<(), csv::Error> {
            if back_to_back {
                w.write_record(RESULT_COLUMNS.iter().chain(&BACK_TO_BACK_COLUMNS))?;
            } else {
                w.write_record(RESULT_COLUMNS)?;
            }
            for (i, o) in outcomes.into_iter().enumerate() {
                tally.add(&o);
                let row = result_row(&o, now);
                if back_to_back {
                    w.write_record(row.iter().chain(&back_to_back_row(&o, now)))?;
                } else {
                    w.write_record(row)?;
                }
                progress(i + 1);
            }
            w.flush()?;
            Ok(())
        };
        write().map_err(|e| match e.into_kind() {
            csv::ErrorKind::Io(e) => e,
            other => io::Error::other(format!("{other:?}")),
        })
    } else {
        let mut w = io::BufWriter::with_capacity(64 * 1024, &mut *out);
        let write = || -> io::Result<()> {
            for (i, o) in outcomes.into_iter().enumerate() {
                tally.add(&o);
                w.write_all(result_json(&o).as_bytes())?;
                w.write_all(b"\n")?;
                progress(i + 1);
            }
            w.flush()
        };
        write()
    };
    match r {
        Ok(()) => Ok(tally),
        Err(e) => Err((tally, e)),
    }
}

/// Writes facts as CSV: the header of `dispute_rules::flat::COLUMNS`, then
/// one record per order. Facts flat columns cannot hold are an error.
pub fn facts_csv<'a>(
    facts: impl IntoIterator<Item = &'a OrderFacts>,
    out: impl Write,
) -> Result<(), String> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(flat::COLUMNS.map(flat::Column::name))
        .map_err(|e| e.to_string())?;
    for f in facts {
        let cells = flat::to_text(f).map_err(|e| format!("order `{}`: {e}", f.order_id))?;
        w.write_record(&cells).map_err(|e| e.to_string())?;
    }
    w.flush().map_err(|e| e.to_string())
}
