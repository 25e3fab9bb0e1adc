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
//! Field names in errors: JSON-lines records name facts paths under
//! `facts.` (`facts.tracking.at`), as `dispute_rules::api` does; CSV records
//! name columns (`tracking_at`, `extensions[1].days`), as
//! `dispute_rules::flat` does.

use crate::report::{local, relative, utc};
use chrono::{DateTime, SecondsFormat, Utc};
use dispute_rules::api::{self, Assessment, BatchItem, BatchResult, ErrorAnswer};
use dispute_rules::eligibility::ActionKind;
use dispute_rules::flat::{self, Layout, TextRow};
use dispute_rules::{Error, Explain, Ineligible, Moment, OrderFacts, Policy, Problems, Status};
use std::fmt::Write as _;
use std::io::{self, Write};

/// The largest record (one JSON line, one CSV record) read, in bytes. A
/// larger one is that record's error.
// TODO: use the core's request size limit once issue 13's limits land.
pub const MAX_RECORD_BYTES: usize = 1 << 20;

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
    /// The facts, or what is wrong with the record.
    pub facts: Result<OrderFacts, Error>,
}

/// One record's answer.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// 1-based line number of the record.
    pub line: usize,
    /// Order and line ids, when known.
    pub ids: Option<(String, String)>,
    /// Eligibility and timeline, or the record's error.
    pub result: Result<Assessment, Error>,
}

/// The records of `input`, decoded one by one. The only error is one that
/// stops the whole file: a CSV header that does not name the columns (every
/// problem named).
pub fn records(
    input: &[u8],
    format: Format,
) -> Result<Box<dyn Iterator<Item = Record> + '_>, String> {
    let input = input.strip_prefix(BOM).unwrap_or(input);
    match format {
        Format::Jsonl => Ok(Box::new(jsonl_records(input))),
        Format::Csv => {
            csv_records(input).map(|it| Box::new(it) as Box<dyn Iterator<Item = Record>>)
        }
    }
}

/// Assesses every record of `input` with one policy and one `now`, in input
/// order.
// TODO: for JSON lines, `api::Batch` over bytes (per-line decoding and
// threads) replaces `records` + `assess` here; only
// `Outcome` has to be built from its results.
pub fn outcomes<'a>(
    input: &'a [u8],
    format: Format,
    policy: &'a Policy,
    now: DateTime<Utc>,
) -> Result<impl Iterator<Item = Outcome> + 'a, String> {
    let nest: fn(Error) -> Error = match format {
        Format::Jsonl => |e| match e {
            Error::InvalidFacts(_) => e.nested("facts"),
            other => other,
        },
        Format::Csv => flat::column_error,
    };
    Ok(records(input, format)?.map(move |r| Outcome {
        line: r.line,
        ids: r.ids,
        result: r
            .facts
            .and_then(|f| api::assess(&f, policy, now, Explain::No))
            .map_err(nest),
    }))
}

fn jsonl_records(input: &[u8]) -> impl Iterator<Item = Record> + '_ {
    input
        .split(|b| *b == b'\n')
        .enumerate()
        .filter(|(_, raw)| !raw.iter().all(u8::is_ascii_whitespace))
        .map(|(i, raw)| {
            let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
            let facts = json_line(raw);
            let ids = match &facts {
                Ok(f) => Some((f.order_id.clone(), f.line_id.clone())),
                Err(_) if raw.len() <= MAX_RECORD_BYTES => json_ids(raw),
                Err(_) => None,
            };
            Record {
                line: i + 1,
                ids,
                facts,
            }
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
    // `serde_json::from_str` refuses anything after the value; only on
    // failure does the engine's parser name the field. If that parser then
    // succeeds, what failed was the end of the line.
    // TODO: drop once `OrderFacts::from_json` checks the end itself
    // (issue 13, item 1).
    match serde_json::from_str::<OrderFacts>(text) {
        Ok(f) => Ok(f),
        Err(plain) => match OrderFacts::from_json(text) {
            Err(named) => Err(named),
            Ok(_) => Err(whole(plain.to_string())),
        },
    }
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
                facts: Err(whole(e.to_string())),
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
    let facts = if size > MAX_RECORD_BYTES {
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
            flat::facts(&TextRow::new(layout, &cells))
        } else {
            Err(Error::InvalidFacts(Problems::new(problems)))
        }
    };
    let ids = match &facts {
        Ok(f) => Some((f.order_id.clone(), f.line_id.clone())),
        Err(_) => ids(),
    };
    Record { line, ids, facts }
}

/// The most urgent next action of a line: the one with the soonest deadline
/// still ahead of `now`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Urgent {
    /// Its deadline.
    pub deadline: Moment,
    /// What to do.
    pub kind: ActionKind,
}

/// The soonest deadline among the next actions that is still ahead.
pub fn urgency(a: &Assessment, now: DateTime<Utc>) -> Option<Urgent> {
    a.eligibility
        .next_actions
        .iter()
        .filter_map(|x| {
            Some(Urgent {
                deadline: x.deadline.filter(|d| d.utc > now)?,
                kind: x.kind,
            })
        })
        .min_by_key(|u| u.deadline.utc)
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
    /// The most urgent action with a deadline, if any.
    pub urgent: Option<Urgent>,
    /// The first next action (shown when none has a deadline, for example
    /// `consider_chargeback`, R-L7).
    pub first_action: Option<ActionKind>,
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
}

const SHOWN_ERROR_LINES: usize = 5;

impl Tally {
    /// Counts one outcome.
    pub fn add(&mut self, o: &Outcome) {
        match &o.result {
            Ok(a) => self.add_status(a.eligibility.status),
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
    /// `12 lines: 8 eligible, 1 not yet, 1 closed, 1 blocked, 1 error (line 6)`.
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
        match o.result {
            Ok(a) => self.rows.push(Row {
                line: o.line,
                urgent: urgency(&a, now),
                first_action: a.eligibility.next_actions.first().map(|x| x.kind),
                status: a.eligibility.status,
                code: a.eligibility.code,
                order_id: a.order_id,
                line_id: a.line_id,
            }),
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

    /// The readable table, at most `top` rows, then the errors.
    pub fn table(&self, now: DateTime<Utc>, top: Option<usize>) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{:>4}  {:<20}  {:<8}  {:<26}  {:<38}  {:<20}  {:<20}  left",
            "#",
            "order/line",
            "status",
            "why not",
            "most urgent action",
            "deadline (local)",
            "deadline (UTC)"
        );
        let shown = top.unwrap_or(usize::MAX);
        for (i, r) in self.rows.iter().take(shown).enumerate() {
            let why = r.code.map_or("-", Ineligible::code);
            let (what, l, u, left) = match (&r.urgent, r.first_action) {
                (Some(x), _) => (
                    x.kind.as_str(),
                    local(&x.deadline),
                    utc(&x.deadline),
                    relative(now, x.deadline.utc),
                ),
                (None, Some(k)) => (k.as_str(), "-".into(), "-".into(), "-".into()),
                (None, None) => ("-", "-".into(), "-".into(), "-".into()),
            };
            let id = format!("{}/{}", r.order_id, r.line_id);
            let _ = writeln!(
                out,
                "{:>4}  {id:<20}  {:<8}  {why:<26}  {what:<38}  {l:<20}  {u:<20}  {left}",
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

fn instant(m: &Moment) -> String {
    m.utc.to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

/// The CSV output row of an outcome ([`RESULT_COLUMNS`]): instants in UTC
/// (RFC 3339); the next action is the most urgent one with a deadline still
/// ahead, else the first one; rule ids are separated by spaces; an error
/// row gives the error's kind, its first problem's field and the whole
/// message (every problem with its field).
pub fn result_row(o: &Outcome, now: DateTime<Utc>) -> [String; 14] {
    let (order_id, line_id) = o.ids.clone().unwrap_or_default();
    let mut row: [String; 14] = Default::default();
    row[0] = o.line.to_string();
    row[1] = order_id;
    row[2] = line_id;
    match &o.result {
        Ok(a) => {
            let e = &a.eligibility;
            let (action, deadline) = match (urgency(a, now), e.next_actions.first()) {
                (Some(u), _) => (u.kind.as_str(), instant(&u.deadline)),
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

/// The JSON line of an outcome, in the format of `dispute_rules::api`'s
/// batches: `{"line": n, "result": "success", "answer": {...}}` or
/// `{"line": n, "result": "failure", "error": {...}}`.
pub fn result_json(o: &Outcome) -> String {
    let text = match &o.result {
        Ok(a) => serde_json::to_string(&BatchItem {
            line: o.line,
            result: BatchResult::Success { answer: a },
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
/// calling `progress(done)` after each; returns the tally. Stops at the
/// first write error (a closed pipe included), returning the tally so far.
pub fn write_results(
    outcomes: impl IntoIterator<Item = Outcome>,
    output: Output,
    now: DateTime<Utc>,
    out: &mut impl Write,
    mut progress: impl FnMut(usize),
) -> Result<Tally, (Tally, io::Error)> {
    let mut tally = Tally::default();
    let r = if output == Output::Csv {
        let mut w = csv::Writer::from_writer(&mut *out);
        let write = || -> Result<(), csv::Error> {
            w.write_record(RESULT_COLUMNS)?;
            for (i, o) in outcomes.into_iter().enumerate() {
                tally.add(&o);
                w.write_record(result_row(&o, now))?;
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
