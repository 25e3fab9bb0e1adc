//! Batches: one operation over many orders (JSON lines), each line judged
//! on its own and the work split across threads; and requests assembled
//! from separate JSON texts (the Python binding).

use super::{
    answer, assess, assess_full, call, call_with_policy, json_string, Assessment, ErrorAnswer,
    FullAssessment, Request,
};
use crate::eligibility::{self, Eligibility};
use crate::error::{Error, Problems};
use crate::explain::Explain;
use crate::facts::OrderFacts;
use crate::outcome::Case;
use crate::policy::Policy;
use crate::timeline::{self, Timeline};
use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::value::RawValue;

/// One line of a batch answer.
#[derive(Debug, Serialize)]
pub struct BatchItem<T> {
    /// 1-based line number in the input.
    pub line: usize,
    /// The answer, or the error for that line.
    #[serde(flatten)]
    pub result: BatchResult<T>,
}

/// Success or failure of one batch line.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "result", rename_all = "snake_case")]
pub enum BatchResult<T> {
    /// The answer.
    Success {
        /// The answer.
        answer: T,
    },
    /// The error.
    Failure {
        /// The error.
        error: ErrorAnswer,
    },
}

/// Assesses every non-blank line of JSON-lines order facts with one policy
/// and one `now`, on the calling thread (see [`Batch`] for threads). Each
/// line is judged on its own (see [`lines`]): a bad line gives its error,
/// with fields named `facts.…`; the other lines are answered. The answer's
/// position in the list is the line's 0-based index.
pub fn assess_jsonl(
    policy: &Policy,
    now: DateTime<Utc>,
    explain: Explain,
    jsonl: impl AsRef<[u8]>,
) -> Vec<BatchItem<Assessment>> {
    lines(jsonl.as_ref())
        .map(|l| {
            let r = l.text().and_then(|text| {
                OrderFacts::from_json(text)
                    .and_then(|f| assess(&f, policy, now, explain))
                    .map_err(nest_facts)
            });
            BatchItem {
                line: l.line,
                result: match r {
                    Ok(answer) => BatchResult::Success { answer },
                    Err(e) => BatchResult::Failure {
                        error: ErrorAnswer::from(&e),
                    },
                },
            }
        })
        .collect()
}

/// Names facts problems under `facts`, as [`call`](super::call) does.
fn nest_facts(e: Error) -> Error {
    match e {
        Error::InvalidFacts(_) => e.nested("facts"),
        other => other,
    }
}

/// One record of JSON-lines input: a non-blank line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Line<'a> {
    /// 0-based position among the records (blank lines are not records).
    pub index: usize,
    /// 1-based line number in the input.
    pub line: usize,
    /// The line's bytes, without the line end (`\n` or `\r\n`).
    pub bytes: &'a [u8],
}

impl<'a> Line<'a> {
    /// The line as text: an error (kind `invalid_facts`, field `facts`) when
    /// it is longer than [`MAX_LINE_BYTES`](crate::limits::MAX_LINE_BYTES)
    /// or not UTF-8.
    pub fn text(&self) -> Result<&'a str, Error> {
        let max = crate::limits::MAX_LINE_BYTES;
        if self.bytes.len() > max {
            return Err(Error::InvalidFacts(Problems::one(
                "facts",
                format!(
                    "the line is {} bytes, over the limit of {max} bytes",
                    self.bytes.len()
                ),
            )));
        }
        std::str::from_utf8(self.bytes).map_err(|e| {
            Error::InvalidFacts(Problems::one(
                "facts",
                format!(
                    "the line is not UTF-8 text: invalid byte at column {}",
                    e.valid_up_to() + 1
                ),
            ))
        })
    }
}

/// The records of JSON-lines input, in order (see [`lines`]).
#[derive(Debug, Clone)]
pub struct Lines<'a> {
    rest: &'a [u8],
    line: usize,
    index: usize,
}

/// Splits JSON-lines input into records: lines end with `\n` (a `\r`
/// before it is dropped); a UTF-8 byte-order mark at the very start is
/// skipped; lines of nothing but spaces and tabs are not records. Nothing is
/// decoded here: each line is judged on its own ([`Line::text`]), so one
/// line of invalid UTF-8 does not stop the others.
///
/// ```
/// use dispute_rules::api::lines;
/// let input = b"\xEF\xBB\xBF{\"a\":1}\r\n\n  \n{\"b\":\xFF}\n{\"c\":3}";
/// let got: Vec<_> = lines(input).map(|l| (l.index, l.line, l.text().is_ok())).collect();
/// assert_eq!(got, [(0, 1, true), (1, 4, false), (2, 5, true)]);
/// ```
pub fn lines(input: &[u8]) -> Lines<'_> {
    Lines {
        rest: input.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(input),
        line: 0,
        index: 0,
    }
}

/// The position of the first `\n` in `bytes`, eight bytes at a time.
fn newline(bytes: &[u8]) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let mut words = bytes.chunks_exact(8);
    let mut at = 0;
    for w in &mut words {
        let x = u64::from_le_bytes(<[u8; 8]>::try_from(w).unwrap_or([0; 8])) ^ (ONES * 0x0a);
        let found = x.wrapping_sub(ONES) & !x & HIGHS;
        if found != 0 {
            // The lowest flagged byte is exact (a false flag only follows
            // a true one).
            return Some(at + (found.trailing_zeros() / 8) as usize);
        }
        at += 8;
    }
    bytes
        .get(at..)
        .and_then(|tail| tail.iter().position(|&b| b == b'\n'))
        .map(|i| at + i)
}

impl<'a> Iterator for Lines<'a> {
    type Item = Line<'a>;

    fn next(&mut self) -> Option<Line<'a>> {
        loop {
            if self.rest.is_empty() {
                return None;
            }
            let (line, rest) = match newline(self.rest) {
                Some(i) => (
                    self.rest.get(..i).unwrap_or_default(),
                    self.rest.get(i + 1..).unwrap_or_default(),
                ),
                None => (self.rest, &[][..]),
            };
            self.rest = rest;
            self.line += 1;
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            if line.iter().all(|b| matches!(b, b' ' | b'\t' | b'\r')) {
                continue;
            }
            let record = Line {
                index: self.index,
                line: self.line,
                bytes: line,
            };
            self.index += 1;
            return Some(record);
        }
    }
}

/// The number of worker threads for `threads`: 0 means every core
/// ([`std::thread::available_parallelism`]); never more than
/// [`limits::MAX_THREADS`](crate::limits::MAX_THREADS).
fn worker_count(threads: usize) -> usize {
    let n = if threads == 0 {
        std::thread::available_parallelism().map_or(1, std::num::NonZero::get)
    } else {
        threads
    };
    n.min(crate::limits::MAX_THREADS)
}

/// Records handed to the threads at once, per thread (bounds the memory a
/// batch holds: the results of one block).
#[cfg(not(test))]
const BLOCK_PER_THREAD: usize = 4096;
/// Small blocks in tests, so that a test input spans several.
#[cfg(test)]
const BLOCK_PER_THREAD: usize = 256;
/// Records a thread takes at a time from a block.
const CHUNK: usize = 64;

/// Runs `work` on every record of `input` (see [`lines`]) on `threads`
/// threads (0: every core) and hands the results to `sink` in input order,
/// on the calling thread, block by block: memory stays bounded whatever the
/// input's size. With one thread, or few records, everything runs on the
/// calling thread. A panic in `work` reaches the caller.
pub fn for_each_line<'a, T, W, S>(input: &'a [u8], threads: usize, work: W, mut sink: S)
where
    T: Send,
    W: Fn(Line<'a>) -> T + Sync,
    S: FnMut(T),
{
    let threads = worker_count(threads);
    let mut records = lines(input);
    if threads <= 1 {
        records.for_each(|l| sink(work(l)));
        return;
    }
    // Grows with the input, up to one block (not reserved up front).
    let mut block = Vec::new();
    loop {
        block.clear();
        block.extend(records.by_ref().take(threads * BLOCK_PER_THREAD));
        if block.is_empty() {
            return;
        }
        if block.len() <= CHUNK {
            block.iter().for_each(|l| sink(work(*l)));
            continue;
        }
        let chunks: Vec<&[Line<'a>]> = block.chunks(CHUNK).collect();
        let next = std::sync::atomic::AtomicUsize::new(0);
        let run = || {
            let mut done = Vec::new();
            loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(chunk) = chunks.get(i) else { break };
                done.push((i, chunk.iter().map(|l| work(*l)).collect::<Vec<T>>()));
            }
            done
        };
        let mut done = std::thread::scope(|s| {
            // A thread the system cannot start is one helper less: the
            // calling thread takes whatever chunks are left.
            let helpers: Vec<_> = (1..threads.min(chunks.len()))
                .map_while(|_| std::thread::Builder::new().spawn_scoped(s, run).ok())
                .collect();
            let mut done = run();
            for h in helpers {
                match h.join() {
                    Ok(part) => done.extend(part),
                    Err(panic) => std::panic::resume_unwind(panic),
                }
            }
            done
        });
        done.sort_unstable_by_key(|(i, _)| *i);
        for (_, results) in done {
            results.into_iter().for_each(&mut sink);
        }
    }
}

/// One record's result in a batch.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct LineResult {
    /// 0-based position among the records.
    pub index: usize,
    /// 1-based line number in the input.
    pub line: usize,
    /// The answer, or the error (facts fields named `facts.…`).
    pub result: Result<OrderAnswer, Error>,
}

impl LineResult {
    /// The JSON form, one line of a JSON-lines answer:
    /// `{"index":0,"line":1,"result":"success","answer":{...}}` or
    /// `{"index":1,"line":2,"result":"failure","error":{...}}`; the answer
    /// and the error are those of [`call`](super::call) for the order alone.
    pub fn to_json(&self) -> String {
        #[cfg(test)]
        let use_writer = !super::tests::SERDE_JSON_ONLY.with(std::cell::Cell::get);
        #[cfg(not(test))]
        let use_writer = true;
        if let (Ok(answer), true) = (&self.result, use_writer) {
            use super::write::{push_usize, WriteJson};
            let mut out = String::with_capacity(2048);
            out.push_str(r#"{"index":"#);
            push_usize(&mut out, self.index);
            out.push_str(r#","line":"#);
            push_usize(&mut out, self.line);
            out.push_str(r#","result":"success","answer":"#);
            if answer.write_json(&mut out).is_ok() {
                out.push('}');
                return out;
            }
        }
        let item = LineJson {
            index: self.index,
            line: self.line,
            result: match &self.result {
                Ok(answer) => BatchResult::Success { answer },
                Err(e) => BatchResult::Failure {
                    error: ErrorAnswer::from(e),
                },
            },
        };
        super::write::to_string(&item)
            .or_else(|| serde_json::to_string(&item).ok())
            .unwrap_or_else(|| {
                format!(
                    r#"{{"index":{},"line":{},"result":"failure","error":{{"kind":"internal","message":"unwritable answer","problems":[]}}}}"#,
                    self.index, self.line
                )
            })
    }
}

#[derive(Serialize)]
struct LineJson<'a> {
    index: usize,
    line: usize,
    #[serde(flatten)]
    result: BatchResult<&'a OrderAnswer>,
}

// --- batch (python) ---
//
// Additions for the Python binding: a request assembled from fields given as
// separate JSON texts, and a batch that runs one operation over many orders
// with one shared policy and `now` (the policy is resolved once).

/// The error kind for a request field given as malformed JSON text.
fn part_error(field: &str, message: String) -> Error {
    let p = Problems::one(field, message);
    match field {
        "facts" => Error::InvalidFacts(p),
        "policy" => Error::InvalidPolicy(p),
        "claim" => Error::InvalidClaim(p),
        _ => Error::InvalidRequest(p),
    }
}

/// Assembles a JSON request from fields, each given as JSON text (for example
/// `("facts", "{...}")`, `("now", "\"2026-03-20T12:00:00Z\"")`).
///
/// A field whose text is not JSON is reported against that field, with the
/// kind the field implies (`facts`: invalid facts, `policy`: invalid policy,
/// `claim`: invalid claim, others: invalid request), rather than as a
/// malformed request.
pub fn request_from_parts(parts: &[(&str, &str)]) -> Result<String, Error> {
    let mut request = String::with_capacity(
        2 + parts
            .iter()
            .map(|(k, v)| k.len() + v.len() + 4)
            .sum::<usize>(),
    );
    request.push('{');
    for (i, (name, text)) in parts.iter().enumerate() {
        if let Err(e) = serde_json::from_str::<&RawValue>(text) {
            return Err(part_error(name, e.to_string()));
        }
        if i > 0 {
            request.push(',');
        }
        request.push_str(&json_string(name));
        request.push(':');
        request.push_str(text);
    }
    request.push('}');
    Ok(request)
}

/// [`call`] (or [`call_with_policy`] when `default_policy` is given) on a
/// request assembled by [`request_from_parts`]: the answer is exactly that
/// of the call on the assembled request.
pub fn call_parts(
    operation: &str,
    parts: &[(&str, &str)],
    default_policy: Option<&Policy>,
) -> String {
    match request_from_parts(parts) {
        Ok(request) => match default_policy {
            Some(p) => call_with_policy(operation, p, &request),
            None => call(operation, &request),
        },
        Err(e) => answer::<()>(&Err(e)),
    }
}

/// An operation a [`Batch`] can run on each order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum BatchOp {
    /// [`eligibility::assess`], as the `eligibility` operation of [`call`].
    Eligibility,
    /// [`timeline::build`], as the `timeline` operation of [`call`].
    Timeline,
    /// [`assess`]: eligibility plus timeline (one validation, shared dates),
    /// the lean scan. Batch only: its answer is the order and line ids with
    /// the answers of the `eligibility` and `timeline` operations.
    EligibilityTimeline,
    /// [`assess_full`] with no report, claim or seller behaviour, as the
    /// `assess` operation of [`call`].
    Assess,
}

impl BatchOp {
    /// Every batch operation.
    pub const ALL: &'static [BatchOp] = &[
        BatchOp::Eligibility,
        BatchOp::Timeline,
        BatchOp::EligibilityTimeline,
        BatchOp::Assess,
    ];

    /// The operation's name (as in [`OPERATIONS`](super::OPERATIONS), but for
    /// `eligibility_timeline`, which only batches run).
    pub const fn name(self) -> &'static str {
        match self {
            BatchOp::Eligibility => "eligibility",
            BatchOp::Timeline => "timeline",
            BatchOp::EligibilityTimeline => "eligibility_timeline",
            BatchOp::Assess => "assess",
        }
    }

    /// The batch operation of a name.
    pub fn from_name(name: &str) -> Option<BatchOp> {
        BatchOp::ALL.iter().copied().find(|op| op.name() == name)
    }
}

/// One order's answer in a batch; serializes exactly as the answer of the
/// same operation through [`call`].
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum OrderAnswer {
    /// From [`BatchOp::Eligibility`].
    Eligibility(Eligibility),
    /// From [`BatchOp::Timeline`].
    Timeline(Timeline),
    /// From [`BatchOp::EligibilityTimeline`].
    EligibilityTimeline(Assessment),
    /// From [`BatchOp::Assess`].
    Assess(Box<FullAssessment>),
}

impl OrderAnswer {
    /// The eligibility part, when the operation computes one.
    pub fn eligibility(&self) -> Option<&Eligibility> {
        match self {
            OrderAnswer::Eligibility(e) => Some(e),
            OrderAnswer::EligibilityTimeline(a) => Some(&a.eligibility),
            OrderAnswer::Assess(a) => Some(&a.assessment.eligibility),
            OrderAnswer::Timeline(_) => None,
        }
    }

    /// The timeline part, when the operation computes one.
    pub fn timeline(&self) -> Option<&Timeline> {
        match self {
            OrderAnswer::Timeline(t) => Some(t),
            OrderAnswer::EligibilityTimeline(a) => Some(&a.timeline),
            OrderAnswer::Assess(a) => Some(&a.assessment.timeline),
            OrderAnswer::Eligibility(_) => None,
        }
    }
}

/// One operation run over many orders with one policy, one `now` and one
/// explanation switch. Each order's answer (or error) is the one [`call`]
/// gives for the request `{"facts": <order>, "now", "policy", "explain"}`;
/// error fields are named under `facts` in the same way.
#[derive(Debug, Clone)]
pub struct Batch {
    op: BatchOp,
    policy: Policy,
    now: DateTime<Utc>,
    explain: Explain,
}

impl Batch {
    /// A batch of `operation` with the shared request fields `now` (required),
    /// `policy` and `explain` given as a JSON request without `facts`.
    pub fn new(operation: &str, request_json: &str) -> Result<Batch, Error> {
        Batch::with_policy(operation, request_json, None)
    }

    /// [`Batch::new`] with a loaded policy used when the request names none
    /// (as [`call_with_policy`]).
    pub fn with_policy(
        operation: &str,
        request_json: &str,
        default_policy: Option<&Policy>,
    ) -> Result<Batch, Error> {
        let op = BatchOp::from_name(operation).ok_or_else(|| {
            let known: Vec<&str> = BatchOp::ALL.iter().map(|o| o.name()).collect();
            Error::InvalidRequest(Problems::one(
                "operation",
                format!(
                    "`{operation}` cannot run as a batch (batch operations: {})",
                    known.join(", ")
                ),
            ))
        })?;
        let mut r = Request::parse(request_json)?;
        r.default_policy = default_policy;
        let mut unused = Vec::new();
        for (name, given) in [
            ("facts", r.has_facts()),
            ("report", r.has_report()),
            ("claim", r.claim.is_some()),
            ("dispute", r.dispute.is_some()),
            ("event", r.event.is_some()),
            ("actor", r.actor.is_some()),
            ("attachments", r.attachments.is_some()),
            ("reason", r.reason.is_some()),
            ("seller", r.has_seller()),
        ] {
            if given {
                unused.push(crate::error::Problem::new(
                    name,
                    "not used by a batch (each order gives its facts)",
                ));
            }
        }
        if !unused.is_empty() {
            return Err(Error::InvalidRequest(Problems::new(unused)));
        }
        Ok(Batch {
            op,
            policy: r.policy()?.into_owned(),
            now: r.now()?,
            explain: r.explain(),
        })
    }

    /// The operation.
    pub const fn op(&self) -> BatchOp {
        self.op
    }

    /// The resolved policy.
    pub const fn policy(&self) -> &Policy {
        &self.policy
    }

    /// Runs the operation on one order given as JSON facts. Errors in the
    /// facts are named under `facts`, as [`call`] names them.
    pub fn run(&self, facts_json: &str) -> Result<OrderAnswer, Error> {
        OrderFacts::from_json(facts_json)
            .and_then(|f| self.run_facts(&f))
            .map_err(|e| match e {
                Error::InvalidFacts(_) => e.nested("facts"),
                other => other,
            })
    }

    /// Runs the operation on parsed facts (errors not yet nested).
    fn run_facts(&self, f: &OrderFacts) -> Result<OrderAnswer, Error> {
        let (p, now, x) = (&self.policy, self.now, self.explain);
        Ok(match self.op {
            BatchOp::Eligibility => OrderAnswer::Eligibility(eligibility::assess(f, p, now, x)?),
            BatchOp::Timeline => OrderAnswer::Timeline(timeline::build(f, p, now, x)?),
            BatchOp::EligibilityTimeline => OrderAnswer::EligibilityTimeline(assess(f, p, now, x)?),
            BatchOp::Assess => {
                OrderAnswer::Assess(Box::new(assess_full(&Case::new(f), p, now, x)?))
            }
        })
    }

    /// Runs the operation on one record (see [`lines`]): invalid UTF-8, an
    /// oversize line or bad facts are this record's error.
    pub fn run_line(&self, line: &Line<'_>) -> LineResult {
        LineResult {
            index: line.index,
            line: line.line,
            result: line.text().and_then(|text| self.run(text)),
        }
    }

    /// Runs the operation on every record of JSON-lines input (see
    /// [`lines`]) on `threads` threads (0: every core), and gives every
    /// result in input order. The answers are the same whatever the number
    /// of threads.
    ///
    /// ```
    /// use dispute_rules::api::Batch;
    /// # let facts = include_str!("../../tests/data/not_received.json").replace('\n', "");
    /// let batch = Batch::new("eligibility", r#"{"now": "2026-03-20T12:00:00Z"}"#)?;
    /// let input = format!("{facts}\nnot json\n{facts}\n");
    /// let results = batch.run_lines(input.as_bytes(), 2);
    /// assert_eq!(results.len(), 3);
    /// assert!(results[0].result.is_ok() && results[2].result.is_ok());
    /// let bad = results[1].result.as_ref().unwrap_err();
    /// assert_eq!((results[1].index, results[1].line, bad.field().as_str()), (1, 2, "facts"));
    /// # Ok::<(), dispute_rules::Error>(())
    /// ```
    pub fn run_lines(&self, input: &[u8], threads: usize) -> Vec<LineResult> {
        let mut out = Vec::new();
        self.map_lines(input, threads, |r| r, |r| out.push(r));
        out
    }

    /// Streams the results of every record: `map` turns each record's
    /// result into what the caller keeps (on the worker threads), `sink`
    /// receives them in input order (on the calling thread). Memory stays
    /// bounded whatever the input's size. See [`for_each_line`].
    pub fn map_lines<T, M, S>(&self, input: &[u8], threads: usize, map: M, sink: S)
    where
        T: Send,
        M: Fn(LineResult) -> T + Sync,
        S: FnMut(T),
    {
        for_each_line(input, threads, |l| map(self.run_line(&l)), sink);
    }

    /// Writes the result of every record as one JSON line
    /// ([`LineResult::to_json`]), in input order, to `out`.
    pub fn write_jsonl(&self, input: &[u8], threads: usize, out: &mut String) {
        self.map_lines(
            input,
            threads,
            |r| r.to_json(),
            |line| {
                out.push_str(&line);
                out.push('\n');
            },
        );
    }
}

#[cfg(test)]
mod batch_tests {
    use super::*;

    const FACTS: &str = include_str!("../../tests/data/not_received.json");
    const NOW: &str = "\"2026-03-20T12:00:00Z\"";

    fn single(op: &str, facts: &str) -> String {
        call(
            op,
            &format!(r#"{{"facts":{facts},"now":{NOW},"policy":"aliexpress"}}"#),
        )
    }

    #[test]
    fn batch_answers_equal_single_calls() {
        let bad_line = r#"{"schema_version": 1}"#;
        let flat = FACTS.replace('\n', " ");
        let lines = [
            flat.clone(),
            bad_line.to_owned(),
            flat.replace("\"card\"", "\"paypal\""),
            flat.replace("\"quantity\": 1", "\"quantity\": 0"),
        ]
        .join("\n\n");
        for op in BatchOp::ALL {
            let b = Batch::new(
                op.name(),
                &format!(r#"{{"now":{NOW},"policy":"aliexpress"}}"#),
            )
            .unwrap();
            let out: Vec<_> = b
                .run_lines(lines.as_bytes(), 1)
                .into_iter()
                .map(|r| ((r.index, r.line), r.result))
                .collect();
            assert_eq!(
                out.iter().map(|(l, _)| *l).collect::<Vec<_>>(),
                [(0, 1), (1, 3), (2, 5), (3, 7)]
            );
            for ((_, r), line) in out.iter().zip(lines.split("\n\n")) {
                if *op == BatchOp::EligibilityTimeline {
                    // The ids with the `eligibility` and `timeline` answers.
                    let got: serde_json::Value = serde_json::from_str(&answer(r)).unwrap();
                    let e: serde_json::Value =
                        serde_json::from_str(&single("eligibility", line)).unwrap();
                    let t: serde_json::Value =
                        serde_json::from_str(&single("timeline", line)).unwrap();
                    if e["result"] == "success" {
                        let f: serde_json::Value = serde_json::from_str(line).unwrap();
                        assert_eq!(got["answer"]["order_id"], f["order_id"]);
                        assert_eq!(got["answer"]["line_id"], f["line_id"]);
                        assert_eq!(got["answer"]["eligibility"], e["answer"]);
                        assert_eq!(got["answer"]["timeline"], t["answer"]);
                    } else {
                        assert_eq!(got, e);
                    }
                } else {
                    assert_eq!(answer(r), single(op.name(), line), "{op:?} {line}");
                }
            }
            let err = out[1].1.as_ref().unwrap_err();
            assert_eq!(err.kind(), crate::ErrorKind::InvalidFacts);
            assert_eq!(err.field(), "facts.order_id");
            let invalid = out[3].1.as_ref().unwrap_err();
            assert_eq!(invalid.kind(), crate::ErrorKind::InvalidFacts);
            assert_eq!(invalid.field(), "facts.quantity");
        }
    }

    #[test]
    fn batch_refuses_unknown_op_and_facts_field() {
        let e = Batch::new("policy", &format!(r#"{{"now":{NOW}}}"#)).unwrap_err();
        assert_eq!(
            (e.kind(), e.field()),
            (crate::ErrorKind::InvalidRequest, "operation".to_owned())
        );
        let e = Batch::new("assess", &format!(r#"{{"now":{NOW},"facts":{{}}}}"#)).unwrap_err();
        assert_eq!(e.field(), "facts");
        let e = Batch::new("assess", "{}").unwrap_err();
        assert_eq!(e.field(), "now");
        let e = Batch::new("assess", &format!(r#"{{"now":{NOW},"policy":"nope"}}"#)).unwrap_err();
        assert_eq!(e.kind(), crate::ErrorKind::InvalidPolicy);
        let facts = OrderFacts::from_json(FACTS).unwrap();
        let now = NOW.trim_matches('"').parse().unwrap();
        let t = OrderAnswer::Timeline(
            timeline::build(&facts, &Policy::aliexpress(), now, Explain::No).unwrap(),
        );
        assert!(t.eligibility().is_none() && t.timeline().is_some());
    }

    #[test]
    fn batch_with_a_loaded_policy_equals_call_with_policy() {
        let legacy = Policy::aliexpress_legacy();
        let b = Batch::with_policy("eligibility", &format!(r#"{{"now":{NOW}}}"#), Some(&legacy))
            .unwrap();
        let got = answer(&b.run(FACTS));
        let want = call_with_policy(
            "eligibility",
            &legacy,
            &format!(r#"{{"facts":{FACTS},"now":{NOW}}}"#),
        );
        assert_eq!(got, want);
        assert_ne!(got, single("eligibility", FACTS));
        assert_eq!(b.policy(), &legacy);
    }

    #[test]
    fn call_parts_equals_call_and_names_the_bad_part() {
        let parts = [("facts", FACTS), ("now", NOW), ("explain", "true")];
        let whole = format!(r#"{{"facts":{FACTS},"now":{NOW},"explain":true}}"#);
        assert_eq!(call_parts("assess", &parts, None), call("assess", &whole));
        let legacy = Policy::aliexpress_legacy();
        assert_eq!(
            call_parts("assess", &parts, Some(&legacy)),
            call_with_policy("assess", &legacy, &whole)
        );
        for (field, kind) in [
            ("facts", "invalid_facts"),
            ("policy", "invalid_policy"),
            ("claim", "invalid_claim"),
            ("now", "invalid_request"),
        ] {
            let out = call_parts("assess", &[(field, "{not json")], None);
            let v: serde_json::Value = serde_json::from_str(&out).unwrap();
            assert_eq!(v["error"]["kind"], kind);
            assert_eq!(v["error"]["problems"][0]["field"], field);
        }
    }

    /// Varied orders: every sample shape, with bad lines among them.
    fn varied(n: usize) -> String {
        let flat = FACTS.replace('\n', " ");
        let shapes = [
            flat.clone(),
            flat.replace("\"card\"", "\"paypal\""),
            flat.replace(
                r#"{"status": "none"}"#,
                r#"{"status": "delivered", "at": "2026-03-10T00:00:00Z"}"#,
            ),
            flat.replace("\"quantity\": 1", "\"quantity\": 0"),
            flat.replace("2026-03-01T18:00:00Z", "2026-01-01T18:00:00Z"),
            format!("{flat} trailing garbage"),
            "not json".to_owned(),
            String::new(),
        ];
        (0..n)
            .map(|i| shapes.get(i % shapes.len()).cloned().unwrap_or_default())
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn answers_are_the_same_whatever_the_number_of_threads() {
        // More records than several blocks of two threads (2 x 256 in tests).
        let input = varied(2600);
        for op in BatchOp::ALL {
            let b = Batch::new(op.name(), &format!(r#"{{"now":{NOW}}}"#)).unwrap();
            let one: Vec<String> = b
                .run_lines(input.as_bytes(), 1)
                .iter()
                .map(LineResult::to_json)
                .collect();
            assert_eq!(one.len(), 2600 - 2600 / 8);
            for threads in [2, 3] {
                let many: Vec<String> = b
                    .run_lines(input.as_bytes(), threads)
                    .iter()
                    .map(LineResult::to_json)
                    .collect();
                assert!(one == many, "{op:?} with {threads} threads");
            }
            let mut written = String::new();
            b.write_jsonl(input.as_bytes(), 2, &mut written);
            assert_eq!(written.lines().collect::<Vec<_>>(), one);
        }
    }

    #[test]
    fn for_each_line_keeps_input_order_on_many_threads() {
        let input: String = (0..3000).map(|i| format!("{i}\n")).collect();
        for threads in [1, 2, 5, 0] {
            let mut got = Vec::new();
            for_each_line(
                input.as_bytes(),
                threads,
                |l| {
                    // Slow enough work that every thread takes chunks.
                    std::thread::sleep(std::time::Duration::from_micros(20));
                    (l.index, l.line, l.text().unwrap_or_default().to_owned())
                },
                |x| got.push(x),
            );
            assert_eq!(got.len(), 3000);
            assert!(got
                .iter()
                .enumerate()
                .all(|(i, (index, line, text))| *index == i
                    && *line == i + 1
                    && *text == i.to_string()));
        }
    }

    #[test]
    fn each_line_is_judged_on_its_own() {
        let flat = FACTS.replace('\n', " ");
        let mut input = b"\xEF\xBB\xBF".to_vec();
        input.extend_from_slice(flat.as_bytes()); // line 1: after a BOM
        input.extend_from_slice(b"\r\n");
        // Line 2: invalid UTF-8 inside a JSON string.
        input.extend_from_slice(
            flat.replacen("\"8123\"", "\"81@\"", 1)
                .replace('@', "\u{1}")
                .as_bytes(),
        );
        if let Some(b) = input.iter_mut().rev().find(|b| **b == 1) {
            *b = 0xFF;
        }
        input.extend_from_slice(b"\n\t \n"); // line 3: blank
        input.extend_from_slice(format!("{flat}}}}}}} junk").as_bytes()); // line 4
        input.extend_from_slice(b"\n");
        let mut huge = flat.clone();
        huge.push_str(&" ".repeat(crate::limits::MAX_LINE_BYTES));
        input.extend_from_slice(huge.as_bytes()); // line 5: oversize
        input.extend_from_slice(b"\n");
        input.extend_from_slice(
            flat.replace("\"quantity\": 1", "\"quantity\": 0")
                .as_bytes(),
        ); // line 6
        input.extend_from_slice(b"\n");
        input.extend_from_slice(flat.as_bytes()); // line 7, no final newline
        let b = Batch::new("eligibility", &format!(r#"{{"now":{NOW}}}"#)).unwrap();
        let out = b.run_lines(&input, 2);
        let summary: Vec<(usize, usize, String)> = out
            .iter()
            .map(|r| {
                let what = match &r.result {
                    Ok(_) => "ok".to_owned(),
                    Err(e) => format!("{}:{}", e.kind().as_str(), e.field()),
                };
                (r.index, r.line, what)
            })
            .collect();
        assert_eq!(
            summary,
            [
                (0, 1, "ok".to_owned()),
                (1, 2, "invalid_facts:facts".to_owned()),
                (2, 4, "invalid_facts:facts".to_owned()),
                (3, 5, "invalid_facts:facts".to_owned()),
                (4, 6, "invalid_facts:facts.quantity".to_owned()),
                (5, 7, "ok".to_owned()),
            ]
        );
        let bad_utf8 = out[1].result.as_ref().unwrap_err().to_string();
        assert!(bad_utf8.contains("not UTF-8"), "{bad_utf8}");
        let oversize = out[3].result.as_ref().unwrap_err().to_string();
        assert!(
            oversize.contains("over the limit") && oversize.len() < 300,
            "{oversize}"
        );
        // The JSON form names index and line.
        let j: serde_json::Value = serde_json::from_str(&out[4].to_json()).unwrap();
        assert_eq!(
            (j["index"].as_u64(), j["line"].as_u64()),
            (Some(4), Some(6))
        );
        assert_eq!(j["error"]["problems"][0]["field"], "facts.quantity");
        // assess_jsonl judges lines alike and names fields under `facts`.
        let items = assess_jsonl(
            &Policy::aliexpress(),
            NOW.trim_matches('"').parse().unwrap(),
            Explain::No,
            &input,
        );
        let v = serde_json::to_value(&items).unwrap();
        assert_eq!(v.as_array().unwrap().len(), 6);
        assert_eq!(v[0]["result"], "success");
        assert_eq!(v[4]["line"], 6);
        assert_eq!(v[4]["error"]["problems"][0]["field"], "facts.quantity");
        assert_eq!(v[5]["result"], "success");
    }
}
