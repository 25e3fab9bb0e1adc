//! `batch`: one operation over many orders, with one `now` and one policy,
//! in the engine without the GIL. One Python object for the whole batch:
//! it keeps the input and a few bytes per order, and computes an order's
//! full answer again when asked (the engine is pure).
//!
//! JSON lines (`str` or `bytes`) are judged line by line: a line that is not
//! UTF-8 (or holds a lone surrogate), a byte-order mark, garbage or bad facts
//! fail that line alone, reported by index and line number.

use crate::answers::answer_object;
use crate::call::{self, Answer, Call, Op, PolicyRef};
use crate::errors::{error_object, internal_answer, panic_text};
use crate::types::PyEnum;
use dispute_rules::api::ErrorAnswer;
use dispute_rules::{Error, Ineligible, OrderFacts, Problem, Problems, Status};
use pyo3::prelude::*;
use pyo3::pybacked::{PyBackedBytes, PyBackedStr};
use pyo3::types::{PyBytes, PyDict, PyList, PySlice, PyString, PyTuple};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Arc;

/// The operations `batch` runs.
pub const BATCH_OPS: [Op; 4] = [
    Op::Eligibility,
    Op::Timeline,
    Op::EligibilityTimeline,
    Op::Assess,
];

/// What every order of a batch shares.
#[derive(Clone)]
pub struct Shared {
    op: Op,
    call: Call,
}

impl Shared {
    /// The inputs of one order.
    fn call_for(&self, facts: OrderFacts) -> Call {
        Call {
            facts: Some(facts),
            ..self.call.clone()
        }
    }
}

/// Where an order's facts are.
#[derive(Clone, Copy)]
enum Src {
    /// Bytes `start..end` of JSON-lines input, its 1-based line number.
    Line {
        start: usize,
        end: usize,
        line: usize,
    },
    /// Element `i` of a list input.
    Elem(usize),
}

/// An element of a list input.
enum Elem {
    Text(PyBackedStr),
    Facts(Box<OrderFacts>),
    Bad,
}

/// The input, kept (by reference where Python allows) to recompute answers.
enum Orders {
    Text(PyBackedStr),
    Bytes(PyBackedBytes),
    Owned(Vec<u8>),
    List(Vec<Elem>),
}

impl Orders {
    fn bytes(&self) -> &[u8] {
        match self {
            Orders::Text(t) => t.as_bytes(),
            Orders::Bytes(b) => b,
            Orders::Owned(b) => b,
            Orders::List(_) => &[],
        }
    }
}

/// The summary of one order's answer.
enum Outcome {
    Answered {
        status: Option<Status>,
        code: Option<Ineligible>,
    },
    Failed(Box<Error>),
    Panicked(Box<str>),
}

struct Item {
    src: Src,
    outcome: Outcome,
}

/// Runs one order inside a panic boundary.
fn run_one(
    shared: &Shared,
    facts: Result<OrderFacts, Error>,
) -> Result<Result<Answer, Error>, String> {
    catch_unwind(AssertUnwindSafe(|| {
        facts.map_err(call::nest_facts).and_then(|f| match shared.op {
            // An order of `eligibility_timeline` is summed up by its
            // eligibility: its timeline, from facts that passed the same
            // checks, cannot fail, and is built when the order's answer is
            // asked for.
            Op::Eligibility | Op::EligibilityTimeline => shared.call.eligibility_of(&f),
            op => shared.call_for(f).run(op),
        })
    }))
    .map_err(|p| panic_text(p.as_ref()).to_owned())
}

fn summarize(r: Result<Result<Answer, Error>, String>) -> Outcome {
    match r {
        Ok(Ok(a)) => {
            let e = match &a {
                Answer::Eligibility(e) => Some(e),
                Answer::EligibilityTimeline(a) => Some(&a.eligibility),
                Answer::Assess(a) => Some(&a.assessment.eligibility),
                _ => None,
            };
            Outcome::Answered {
                status: e.map(|e| e.status),
                code: e.and_then(|e| e.code),
            }
        }
        Ok(Err(e)) => Outcome::Failed(Box::new(e)),
        Err(p) => Outcome::Panicked(p.into()),
    }
}

/// A line that is not UTF-8 text.
fn not_utf8(e: std::str::Utf8Error) -> Error {
    Error::InvalidFacts(Problems::one(
        "facts",
        format!(
            "the line is not UTF-8 text (invalid bytes, or a lone surrogate, at byte {})",
            e.valid_up_to()
        ),
    ))
}

/// Runs every record of JSON-lines input on `threads` threads (0: every
/// core), in the engine's batch over bytes (`dispute_rules::api::for_each_line`):
/// lines end with `\n` (a `\r` before it dropped), a leading byte-order mark
/// is skipped, blank lines are not orders, and each line is decoded and
/// judged on its own, so a line that is not UTF-8 fails alone. The items
/// come in input order, the same whatever the number of threads.
///
/// `trusted_utf8` is the same input as text already known to be UTF-8 (a
/// `str`): its lines are not decoded again.
fn run_jsonl(
    shared: &Shared,
    input: &[u8],
    trusted_utf8: Option<&str>,
    threads: usize,
) -> Vec<Item> {
    let base = input.as_ptr() as usize;
    let mut out = Vec::new();
    dispute_rules::api::for_each_line(
        input,
        threads,
        |l| {
            // Where the line is in the input (kept to compute it again).
            let start = (l.bytes.as_ptr() as usize).wrapping_sub(base);
            let end = start + l.bytes.len();
            let src = Src::Line {
                start,
                end,
                line: l.line,
            };
            let text = match trusted_utf8 {
                Some(t) if l.bytes.len() <= dispute_rules::limits::MAX_LINE_BYTES => {
                    t.get(start..end).ok_or(None)
                }
                _ => l.text().map_err(Some),
            };
            let outcome = match text {
                Ok(t) => summarize(run_one(shared, OrderFacts::from_json(t))),
                Err(Some(e)) => Outcome::Failed(Box::new(e)),
                Err(None) => Outcome::Panicked("batch input lost".into()),
            };
            Item { src, outcome }
        },
        |item| out.push(item),
    );
    out
}

fn run_orders(
    shared: &Shared,
    orders: &Orders,
    bad: &[(usize, Error)],
    threads: usize,
) -> Vec<Item> {
    match orders {
        Orders::Text(t) => run_jsonl(shared, t.as_bytes(), Some(t), threads),
        Orders::Bytes(b) => run_jsonl(shared, b, None, threads),
        Orders::Owned(b) => run_jsonl(shared, b, None, threads),
        Orders::List(list) => list
            .iter()
            .enumerate()
            .map(|(i, e)| {
                let outcome = match e {
                    Elem::Text(t) => summarize(run_one(shared, OrderFacts::from_json(t))),
                    Elem::Facts(f) => summarize(run_one(shared, Ok((**f).clone()))),
                    Elem::Bad => match bad.iter().find(|(j, _)| *j == i) {
                        Some((_, e)) => Outcome::Failed(Box::new(e.clone())),
                        None => Outcome::Panicked("batch input lost".into()),
                    },
                };
                Item {
                    src: Src::Elem(i),
                    outcome,
                }
            })
            .collect(),
    }
}

/// The answers of a batch, in input order; kept in the engine until asked
/// for, so a batch of any size costs one Python object.
///
/// `results[i]` is the i-th order's result object, or the
/// `DisputeRulesError` describing why it failed (not raised: one bad order
/// never loses the others; its `index` and, for JSON lines, `line` say
/// which). `statuses()` and `codes()` give one code per order without
/// building result objects.
#[pyclass(frozen, module = "dispute_rules", name = "BatchResult")]
pub struct BatchResult {
    shared: Shared,
    orders: Orders,
    items: Vec<Item>,
}

impl BatchResult {
    fn index(&self, index: isize) -> PyResult<usize> {
        let n = self.items.len() as isize;
        let i = if index < 0 { index + n } else { index };
        if (0..n).contains(&i) {
            Ok(i as usize)
        } else {
            Err(pyo3::exceptions::PyIndexError::new_err(format!(
                "batch index {index} out of range ({n} orders)"
            )))
        }
    }

    fn facts_of(&self, src: Src) -> Result<OrderFacts, Error> {
        let lost = || Error::InvalidRequest(Problems::one("orders", "batch input lost"));
        match (src, &self.orders) {
            (Src::Line { start, end, .. }, orders) => {
                let bytes = orders.bytes().get(start..end).ok_or_else(lost)?;
                let text = std::str::from_utf8(bytes).map_err(not_utf8)?;
                OrderFacts::from_json(text).map_err(call::nest_facts)
            }
            (Src::Elem(i), Orders::List(list)) => match list.get(i) {
                Some(Elem::Text(t)) => OrderFacts::from_json(t).map_err(call::nest_facts),
                Some(Elem::Facts(f)) => Ok((**f).clone()),
                _ => Err(lost()),
            },
            _ => Err(lost()),
        }
    }

    fn line_of(&self, i: usize) -> Option<usize> {
        match self.items.get(i).map(|x| x.src) {
            Some(Src::Line { line, .. }) => Some(line),
            _ => None,
        }
    }

    /// Order `i`: its answer (recomputed) or its error.
    fn outcome(&self, i: usize) -> Result<(Call, Answer), ErrorAnswer> {
        let Some(item) = self.items.get(i) else {
            return Err(internal_answer("batch index lost"));
        };
        match &item.outcome {
            Outcome::Failed(e) => Err(ErrorAnswer::from(&**e)),
            Outcome::Panicked(m) => Err(internal_answer(m)),
            Outcome::Answered { .. } => {
                let r = catch_unwind(AssertUnwindSafe(|| {
                    let facts = self.facts_of(item.src)?;
                    let call = self.shared.call_for(facts);
                    let answer = call.run(self.shared.op)?;
                    Ok::<_, Error>((call, answer))
                }));
                match r {
                    Ok(Ok(x)) => Ok(x),
                    Ok(Err(e)) => Err(ErrorAnswer::from(&e)),
                    Err(p) => Err(internal_answer(panic_text(p.as_ref()))),
                }
            }
        }
    }

    fn item_object<'py>(&self, py: Python<'py>, i: usize) -> PyResult<Bound<'py, PyAny>> {
        match self.outcome(i) {
            Ok((call, answer)) => answer_object(py, self.shared.op, Arc::new(call), answer),
            Err(e) => error_object(py, &e, Some(i), self.line_of(i)),
        }
    }

    fn envelope_of(&self, i: usize) -> String {
        match self.outcome(i) {
            Ok((_, answer)) => format!(
                r#"{{"result":"success","answer":{}}}"#,
                crate::answers::answer_json(&answer)
            ),
            Err(e) => format!(
                r#"{{"result":"failure","error":{}}}"#,
                serde_json::to_string(&e).unwrap_or_default()
            ),
        }
    }
}

static STATUS: PyEnum = PyEnum::new("Status");
static INELIGIBLE: PyEnum = PyEnum::new("Ineligible");

#[pymethods]
impl BatchResult {
    /// The operation run on every order.
    #[getter]
    fn op(&self) -> &'static str {
        self.shared.op.name()
    }

    fn __len__(&self) -> usize {
        self.items.len()
    }

    fn __getitem__<'py>(
        &self,
        py: Python<'py>,
        index: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        if let Ok(s) = index.cast::<PySlice>() {
            let ind = s.indices(self.items.len() as isize)?;
            let mut out = Vec::new();
            let mut i = ind.start;
            for _ in 0..ind.slicelength {
                out.push(self.item_object(py, i as usize)?);
                i += ind.step;
            }
            return Ok(PyList::new(py, out)?.into_any());
        }
        let i = self.index(index.extract::<isize>()?)?;
        self.item_object(py, i)
    }

    fn __iter__(slf: &Bound<'_, Self>) -> BatchIter {
        BatchIter {
            batch: slf.clone().unbind(),
            next: std::sync::atomic::AtomicUsize::new(0),
        }
    }

    /// The result of order `index`; raises its error if it failed.
    fn answer<'py>(&self, py: Python<'py>, index: isize) -> PyResult<Bound<'py, PyAny>> {
        let i = self.index(index)?;
        match self.outcome(i) {
            Ok((call, answer)) => answer_object(py, self.shared.op, Arc::new(call), answer),
            Err(e) => Err(PyErr::from_value(error_object(
                py,
                &e,
                Some(i),
                self.line_of(i),
            )?)),
        }
    }

    /// The error of order `index`, or None if it was answered.
    fn error<'py>(&self, py: Python<'py>, index: isize) -> PyResult<Bound<'py, PyAny>> {
        let i = self.index(index)?;
        match self.items.get(i).map(|x| &x.outcome) {
            Some(Outcome::Answered { .. }) | None => Ok(py.None().into_bound(py)),
            Some(_) => self.item_object(py, i),
        }
    }

    /// Every failed order's error (with `index` and `line`), in order.
    #[getter]
    fn errors<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let errs: Vec<Bound<'py, PyAny>> = self
            .items
            .iter()
            .enumerate()
            .filter(|(_, x)| !matches!(x.outcome, Outcome::Answered { .. }))
            .map(|(i, _)| self.item_object(py, i))
            .collect::<PyResult<_>>()?;
        PyList::new(py, errs)
    }

    /// How many orders were answered.
    #[getter]
    fn ok_count(&self) -> usize {
        self.items
            .iter()
            .filter(|x| matches!(x.outcome, Outcome::Answered { .. }))
            .count()
    }

    /// How many orders failed.
    #[getter]
    fn error_count(&self) -> usize {
        self.items.len() - self.ok_count()
    }

    /// The 1-based input line of order `index` (JSON-lines input), else None.
    fn line(&self, index: isize) -> PyResult<Option<usize>> {
        let i = self.index(index)?;
        Ok(self.line_of(i))
    }

    /// The engine's JSON answer envelope for order `index`, exactly as
    /// `call_json` gives it for that order alone.
    fn envelope(&self, py: Python<'_>, index: isize) -> PyResult<String> {
        let i = self.index(index)?;
        Ok(py.detach(|| self.envelope_of(i)))
    }

    /// The eligibility status of every order (None where it failed, or for
    /// `timeline`), without building result objects.
    fn statuses<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let none = py.None().into_bound(py);
        let mut out = Vec::with_capacity(self.items.len());
        let mut cache: Vec<(Status, Bound<'py, PyAny>)> = Vec::new();
        for x in &self.items {
            out.push(match &x.outcome {
                Outcome::Answered {
                    status: Some(s), ..
                } => match cache.iter().find(|(k, _)| k == s) {
                    Some((_, v)) => v.clone(),
                    None => {
                        let v = STATUS.member(py, s.as_str())?;
                        cache.push((*s, v.clone()));
                        v
                    }
                },
                _ => none.clone(),
            });
        }
        PyList::new(py, out)
    }

    /// The R-E9 code of every order (None where eligible or failed).
    fn codes<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let none = py.None().into_bound(py);
        let mut out = Vec::with_capacity(self.items.len());
        let mut cache: Vec<(Ineligible, Bound<'py, PyAny>)> = Vec::new();
        for x in &self.items {
            out.push(match &x.outcome {
                Outcome::Answered { code: Some(c), .. } => {
                    match cache.iter().find(|(k, _)| k == c) {
                        Some((_, v)) => v.clone(),
                        None => {
                            let v = INELIGIBLE.member(py, c.code())?;
                            cache.push((*c, v.clone()));
                            v
                        }
                    }
                }
                _ => none.clone(),
            });
        }
        PyList::new(py, out)
    }

    /// Every answer envelope as JSON lines, in order.
    fn to_jsonl(&self, py: Python<'_>) -> String {
        py.detach(|| {
            let mut s = String::new();
            for i in 0..self.items.len() {
                s.push_str(&self.envelope_of(i));
                s.push('\n');
            }
            s
        })
    }

    fn __repr__(&self) -> String {
        format!(
            "<BatchResult op='{}' orders={} ok={} failed={}>",
            self.shared.op.name(),
            self.items.len(),
            self.ok_count(),
            self.error_count()
        )
    }

    /// `BatchResult[T]` in annotations.
    #[classmethod]
    fn __class_getitem__<'py>(
        cls: &Bound<'py, pyo3::types::PyType>,
        item: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        crate::types::generic_alias(cls.py())?.call1((cls, item))
    }

    fn __reduce__<'py>(
        &self,
        py: Python<'py>,
    ) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyTuple>)> {
        let module = py.import("dispute_rules._dispute_rules")?;
        let payload: Bound<'py, PyAny> = match &self.orders {
            Orders::Text(t) => PyString::new(py, t).into_any(),
            Orders::Bytes(b) => PyBytes::new(py, b).into_any(),
            Orders::Owned(b) => PyBytes::new(py, b).into_any(),
            Orders::List(list) => {
                let items: Vec<Bound<'py, PyAny>> = list
                    .iter()
                    .enumerate()
                    .map(|(i, e)| -> PyResult<Bound<'py, PyAny>> {
                        Ok(match e {
                            Elem::Text(t) => PyString::new(py, t).into_any(),
                            Elem::Facts(f) => {
                                PyString::new(py, &serde_json::to_string(&**f).unwrap_or_default())
                                    .into_any()
                            }
                            Elem::Bad => {
                                let e = match self.items.get(i).map(|x| &x.outcome) {
                                    Some(Outcome::Failed(e)) => ErrorAnswer::from(&**e),
                                    _ => internal_answer("batch input lost"),
                                };
                                let problems: Vec<(String, String)> = e
                                    .problems
                                    .iter()
                                    .map(|p| (p.field().to_owned(), p.message().to_owned()))
                                    .collect();
                                (e.kind, problems).into_pyobject(py)?.into_any()
                            }
                        })
                    })
                    .collect::<PyResult<_>>()?;
                PyList::new(py, items)?.into_any()
            }
        };
        let args = (
            self.shared.op.name(),
            self.shared.call.request_json(),
            payload,
        )
            .into_pyobject(py)?;
        Ok((module.getattr("_batch")?, args))
    }

    fn __copy__(slf: &Bound<'_, Self>) -> Py<Self> {
        slf.clone().unbind()
    }

    fn __deepcopy__(slf: &Bound<'_, Self>, _memo: &Bound<'_, PyAny>) -> Py<Self> {
        slf.clone().unbind()
    }
}

/// Iterates a batch's results lazily (each built when reached).
#[pyclass(frozen, module = "dispute_rules")]
pub struct BatchIter {
    batch: Py<BatchResult>,
    next: std::sync::atomic::AtomicUsize,
}

#[pymethods]
impl BatchIter {
    fn __iter__(slf: &Bound<'_, Self>) -> Py<Self> {
        slf.clone().unbind()
    }

    fn __next__<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        let batch = self.batch.bind(py).get();
        let i = self.next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        if i >= batch.items.len() {
            return Ok(None);
        }
        batch.item_object(py, i).map(Some)
    }
}

/// An error rebuilt from its kind and problems (unpickling a batch).
fn rebuilt(kind: &str, problems: Vec<(String, String)>) -> Error {
    let p = Problems::new(
        problems
            .into_iter()
            .map(|(f, m)| Problem::new(f, m))
            .collect(),
    );
    match kind {
        "invalid_facts" => Error::InvalidFacts(p),
        "invalid_policy" => Error::InvalidPolicy(p),
        "invalid_claim" => Error::InvalidClaim(p),
        _ => Error::InvalidRequest(p),
    }
}

/// Reads the orders argument: JSON-lines text (`str`, `bytes`) or an
/// iterable of orders (mappings or JSON text). Element conversion errors
/// are returned with their index.
fn read_orders(orders: &Bound<'_, PyAny>) -> Result<(Orders, Vec<(usize, Error)>), Error> {
    let py = orders.py();
    if let Ok(s) = orders.cast::<PyString>() {
        return Ok(match s.extract::<PyBackedStr>() {
            Ok(t) => (Orders::Text(t), Vec::new()),
            // Lone surrogates: the text as bytes, each line judged alone.
            Err(_) => {
                let b = s
                    .call_method1("encode", ("utf-8", "surrogatepass"))
                    .and_then(|b| b.extract::<Vec<u8>>())
                    .map_err(|e| crate::errors::field_error("orders", e.to_string()))?;
                (Orders::Owned(b), Vec::new())
            }
        });
    }
    if orders.is_instance_of::<PyBytes>() || orders.is_instance_of::<pyo3::types::PyByteArray>() {
        let b = orders
            .extract::<PyBackedBytes>()
            .map_err(|e| crate::errors::field_error("orders", PyErr::from(e).to_string()))?;
        return Ok((Orders::Bytes(b), Vec::new()));
    }
    if orders.is_instance_of::<PyDict>()
        || orders
            .is_instance(
                crate::types::mapping(py)
                    .map_err(|e| crate::errors::field_error("orders", e.to_string()))?,
            )
            .unwrap_or(false)
    {
        return Err(crate::errors::field_error(
            "orders",
            "expected JSON-lines text or a list of orders, got one mapping",
        ));
    }
    let iter = orders.try_iter().map_err(|_| {
        crate::errors::field_error(
            "orders",
            format!(
                "expected JSON-lines text or a list of orders, got `{}`",
                crate::de::type_name(orders)
            ),
        )
    })?;
    let mut list = Vec::new();
    let mut bad = Vec::new();
    for (i, o) in iter.enumerate() {
        let o = o.map_err(|e| crate::errors::field_error("orders", e.to_string()))?;
        let elem = if let Ok(s) = o.cast::<PyString>() {
            match s.extract::<PyBackedStr>() {
                Ok(t) => Elem::Text(t),
                Err(_) => {
                    bad.push((
                        i,
                        crate::errors::field_error(
                            "facts",
                            "the text holds a lone surrogate: it is not valid Unicode",
                        ),
                    ));
                    Elem::Bad
                }
            }
        } else {
            match call::facts(&o).map_err(call::nest_facts) {
                Ok(f) => Elem::Facts(Box::new(f)),
                Err(e) => {
                    bad.push((i, e));
                    Elem::Bad
                }
            }
        };
        list.push(elem);
    }
    Ok((Orders::List(list), bad))
}

/// Builds and runs a batch; JSON lines on `threads` threads (0: every
/// core).
pub fn run_batch<'py>(
    py: Python<'py>,
    orders: &Bound<'py, PyAny>,
    op: &str,
    call: Call,
    threads: usize,
) -> Result<Bound<'py, PyAny>, crate::errors::Failure> {
    let op = BATCH_OPS
        .iter()
        .copied()
        .find(|o| o.name() == op)
        .ok_or_else(|| {
            let known: Vec<&str> = BATCH_OPS.iter().map(|o| o.name()).collect();
            Error::InvalidRequest(Problems::one(
                "operation",
                format!(
                    "`{op}` cannot run as a batch (batch operations: {})",
                    known.join(", ")
                ),
            ))
        })?;
    let (orders, bad) = read_orders(orders)?;
    finish(py, Shared { op, call }, orders, bad, threads)
}

fn finish<'py>(
    py: Python<'py>,
    shared: Shared,
    orders: Orders,
    bad: Vec<(usize, Error)>,
    threads: usize,
) -> Result<Bound<'py, PyAny>, crate::errors::Failure> {
    let items = py.detach(|| run_orders(&shared, &orders, &bad, threads));
    Ok(Bound::new(
        py,
        BatchResult {
            shared,
            orders,
            items,
        },
    )?
    .into_any())
}

/// Unpickles a batch: the same inputs, run again.
pub fn restore<'py>(
    py: Python<'py>,
    op: &str,
    request: &str,
    payload: &Bound<'py, PyAny>,
) -> Result<Bound<'py, PyAny>, crate::errors::Failure> {
    let call = Call::from_request_json(request)?;
    let op = BATCH_OPS
        .iter()
        .copied()
        .find(|o| o.name() == op)
        .ok_or_else(|| {
            Error::InvalidRequest(Problems::one("operation", "not a batch operation"))
        })?;
    let shared = Shared { op, call };
    if let Ok(list) = payload.cast::<PyList>() {
        let mut elems = Vec::new();
        let mut bad = Vec::new();
        for (i, x) in list.iter().enumerate() {
            if let Ok(t) = x.extract::<PyBackedStr>() {
                elems.push(Elem::Text(t));
            } else {
                let (kind, problems): (String, Vec<(String, String)>) = x.extract()?;
                bad.push((i, rebuilt(&kind, problems)));
                elems.push(Elem::Bad);
            }
        }
        return finish(py, shared, Orders::List(elems), bad, 0);
    }
    let (orders, bad) = read_orders(payload)?;
    finish(py, shared, orders, bad, 0)
}

/// The most threads a batch takes.
pub const MAX_THREADS: usize = dispute_rules::limits::MAX_THREADS;

/// The `threads` argument: None is every core (0); else an int from 1 to
/// [`MAX_THREADS`] (not a bool).
pub fn threads(threads: Option<&Bound<'_, PyAny>>) -> Result<usize, Error> {
    match threads.filter(|t| !t.is_none()) {
        None => Ok(0),
        Some(t) => match (
            t.is_instance_of::<pyo3::types::PyBool>(),
            t.extract::<usize>(),
        ) {
            (false, Ok(n)) if (1..=MAX_THREADS).contains(&n) => Ok(n),
            _ => Err(Error::InvalidRequest(Problems::one(
                "threads",
                format!(
                    "expected a whole number from 1 to {MAX_THREADS}, got `{}`",
                    t.repr().map(|r| r.to_string()).unwrap_or_default()
                ),
            ))),
        },
    }
}

/// The shared part of a batch request: `now`, `policy`, `explain`.
pub fn shared_call(
    now: &Bound<'_, PyAny>,
    policy: Option<&Bound<'_, PyAny>>,
    explain: &Bound<'_, PyAny>,
) -> Result<Call, Error> {
    let now = crate::values::instant(now, "now")?;
    let explain = call::flag(explain, "explain")?;
    let policy = call::policy(policy)?;
    Ok(Call {
        now: Some(now),
        policy: Some(PolicyRef(policy)),
        explain,
        ..Call::default()
    })
}
