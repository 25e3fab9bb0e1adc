//! The compiled part of the `dispute_rules` Python package (issue 8).
//!
//! Deliberately thin: every answer comes from the core's JSON layer
//! (`dispute_rules::api`), so Python, C and Rust answer byte-for-byte alike.
//! The Python package (`python/dispute_rules/__init__.py`) turns the answer
//! envelopes into result objects and exceptions.
//!
//! Every entry point releases the GIL while the engine works and runs inside
//! a panic boundary: a panic becomes a failure envelope of kind `internal`,
//! never a crash or a bare `RuntimeError`.

use dispute_rules::api::{self, Batch, OrderAnswer};
use dispute_rules::{Error, Ineligible, Policy, Status};
use pyo3::prelude::*;
use pyo3::pybacked::{PyBackedBytes, PyBackedStr};
use pyo3::types::{PyDict, PyList, PyString};
use std::panic::{catch_unwind, AssertUnwindSafe};

mod table;

/// A failure envelope of kind `internal` (the engine panicked: a bug).
fn internal(message: &str) -> String {
    let message = serde_json::to_string(&format!("internal error: {message}"))
        .unwrap_or_else(|_| "\"\"".into());
    format!(
        r#"{{"result":"failure","error":{{"kind":"internal","message":{message},"problems":[]}}}}"#
    )
}

/// The text of a panic payload.
fn panic_text(payload: &(dyn std::any::Any + Send)) -> &str {
    payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("the engine panicked")
}

/// Runs `f` inside a panic boundary; a panic gives an `internal` failure.
fn guarded(f: impl FnOnce() -> String) -> String {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or_else(|p| internal(panic_text(p.as_ref())))
}

/// What a batch keeps of one order: where its facts are in the input, and a
/// summary of its answer. The full answer is computed again when asked for
/// (the engine is pure: same facts, policy and `now`, same answer), so a
/// batch holds a few dozen bytes per order instead of every answer.
struct Item {
    src: Src,
    outcome: Outcome,
}

/// Where an order's facts are.
#[derive(Clone, Copy)]
enum Src {
    /// A byte range of JSON-lines input, and its 1-based line number.
    Line {
        start: usize,
        end: usize,
        line: usize,
    },
    /// An element of a list input.
    Elem(usize),
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

impl Outcome {
    /// Runs one order inside a panic boundary and keeps its summary (taken
    /// inside the boundary: the answer itself is not moved around).
    fn run(batch: &Batch, facts_json: &str) -> Outcome {
        let summary = catch_unwind(AssertUnwindSafe(|| {
            batch.run(facts_json).map(|a| {
                let e = a.eligibility();
                (e.map(|e| e.status), e.and_then(|e| e.code))
            })
        }));
        match summary {
            Ok(Ok((status, code))) => Outcome::Answered { status, code },
            Ok(Err(e)) => Outcome::Failed(Box::new(e)),
            Err(p) => Outcome::Panicked(panic_text(p.as_ref()).into()),
        }
    }

    fn is_ok(&self) -> bool {
        matches!(self, Outcome::Answered { .. })
    }

    /// A code column (`status` or `code`), when the answer has one.
    fn column(&self, col: Column) -> Option<&'static str> {
        match (self, col) {
            (Outcome::Answered { status, .. }, Column::Status) => status.map(Status::as_str),
            (Outcome::Answered { code, .. }, Column::Code) => code.map(Ineligible::code),
            _ => None,
        }
    }
}

/// Runs one order inside a panic boundary.
fn run_one(batch: &Batch, facts_json: &str) -> Result<Result<OrderAnswer, Error>, String> {
    catch_unwind(AssertUnwindSafe(|| batch.run(facts_json)))
        .map_err(|p| panic_text(p.as_ref()).to_owned())
}

#[derive(Clone, Copy)]
enum Column {
    Status,
    Code,
}

/// The orders of a batch: JSON-lines text (str or UTF-8 bytes), or a list of
/// JSON texts, one order each. Kept (by reference, not copied) so answers can
/// be recomputed on demand.
#[derive(FromPyObject)]
enum Orders {
    Text(PyBackedStr),
    Bytes(PyBackedBytes),
    List(Vec<PyBackedStr>),
}

impl Orders {
    /// The facts text of an order (`None` if `src` does not belong here).
    fn facts(&self, src: Src) -> Option<&str> {
        match (self, src) {
            (Orders::Text(t), Src::Line { start, end, .. }) => t.get(start..end),
            (Orders::Bytes(b), Src::Line { start, end, .. }) => {
                std::str::from_utf8(b.get(start..end)?).ok()
            }
            (Orders::List(l), Src::Elem(i)) => l.get(i).map(|s| &**s),
            _ => None,
        }
    }
}

/// A batch's answers: one Python object for the whole batch. Keeps the input,
/// the shared request and a summary per order; full answers are computed
/// again on demand.
#[pyclass(frozen, module = "dispute_rules._dispute_rules")]
struct BatchResults {
    batch: Batch,
    orders: Orders,
    items: Vec<Item>,
}

impl BatchResults {
    fn item(&self, index: usize) -> PyResult<&Item> {
        self.items.get(index).ok_or_else(|| {
            pyo3::exceptions::PyIndexError::new_err(format!("batch index {index} out of range"))
        })
    }

    /// The envelope of an item, exactly as `api::call` writes it for the
    /// order alone.
    fn envelope_of(&self, item: &Item) -> String {
        match &item.outcome {
            Outcome::Failed(e) => api::answer::<()>(&Err((**e).clone())),
            Outcome::Panicked(m) => internal(m),
            Outcome::Answered { .. } => match self.orders.facts(item.src) {
                None => internal("batch input lost"),
                Some(facts) => match run_one(&self.batch, facts) {
                    Ok(r) => guarded(|| api::answer(&r)),
                    Err(p) => internal(&p),
                },
            },
        }
    }
}

#[pymethods]
impl BatchResults {
    /// The operation run on every order.
    #[getter]
    fn op(&self) -> &'static str {
        self.batch.op().name()
    }

    /// The number of orders.
    fn __len__(&self) -> usize {
        self.items.len()
    }

    /// The answer envelope of order `index` (JSON text), exactly as
    /// `call_json` gives it for that order alone.
    fn envelope(&self, py: Python<'_>, index: usize) -> PyResult<String> {
        let item = self.item(index)?;
        Ok(py.detach(|| self.envelope_of(item)))
    }

    /// The 1-based input line of order `index` (JSON-lines input), else None.
    fn line(&self, index: usize) -> PyResult<Option<usize>> {
        Ok(match self.item(index)?.src {
            Src::Line { line, .. } => Some(line),
            Src::Elem(_) => None,
        })
    }

    /// Whether order `index` was answered.
    fn is_ok(&self, index: usize) -> PyResult<bool> {
        Ok(self.item(index)?.outcome.is_ok())
    }

    /// The number of orders answered.
    #[getter]
    fn ok_count(&self) -> usize {
        self.items.iter().filter(|i| i.outcome.is_ok()).count()
    }

    /// The indexes of the orders that failed, in order.
    fn failed(&self) -> Vec<usize> {
        self.items
            .iter()
            .enumerate()
            .filter(|(_, i)| !i.outcome.is_ok())
            .map(|(n, _)| n)
            .collect()
    }

    /// One code per order: `column` is `status` (eligibility status) or
    /// `code` (R-E9 ineligibility code). Each code is replaced by
    /// `table[code]` when present (e.g. an enum member), else given as str;
    /// orders without one (failed, timeline only, or eligible for `code`)
    /// give None.
    fn column<'py>(
        &self,
        py: Python<'py>,
        column: &str,
        table: &Bound<'py, PyDict>,
    ) -> PyResult<Bound<'py, PyList>> {
        let col = match column {
            "status" => Column::Status,
            "code" => Column::Code,
            other => {
                return Err(pyo3::exceptions::PyValueError::new_err(format!(
                    "unknown column `{other}` (known: status, code)"
                )))
            }
        };
        // A handful of distinct codes: look each up once.
        let mut cache: Vec<(&'static str, Bound<'py, PyAny>)> = Vec::new();
        let none = py.None().into_bound(py);
        let mut out = Vec::with_capacity(self.items.len());
        for item in &self.items {
            let v = match item.outcome.column(col) {
                None => none.clone(),
                Some(code) => match cache.iter().find(|(c, _)| *c == code) {
                    Some((_, v)) => v.clone(),
                    None => {
                        let key = PyString::new(py, code);
                        let v = match table.get_item(&key)? {
                            Some(v) => v,
                            None => key.into_any(),
                        };
                        cache.push((code, v.clone()));
                        v
                    }
                },
            };
            out.push(v);
        }
        PyList::new(py, out)
    }

    /// Every answer envelope, one JSON line per order, in order.
    fn to_jsonl(&self, py: Python<'_>) -> String {
        py.detach(|| {
            let mut s = String::new();
            for item in &self.items {
                s.push_str(&self.envelope_of(item));
                s.push('\n');
            }
            s
        })
    }
}

/// Runs the batch on every order of the input.
fn run_orders(batch: &Batch, orders: &Orders) -> Result<Vec<Item>, Error> {
    Ok(match orders {
        Orders::Text(t) => run_lines(batch, t),
        Orders::Bytes(b) => {
            let t = std::str::from_utf8(b).map_err(|e| {
                Error::InvalidRequest(dispute_rules::Problems::one(
                    "orders",
                    format!("not UTF-8 text: {e}"),
                ))
            })?;
            run_lines(batch, t)
        }
        Orders::List(list) => list
            .iter()
            .enumerate()
            .map(|(i, t)| Item {
                src: Src::Elem(i),
                outcome: Outcome::run(batch, t),
            })
            .collect(),
    })
}

/// Every non-blank line of JSON-lines text (lines as `str::lines` splits
/// them), with its byte range and 1-based line number.
fn run_lines(batch: &Batch, text: &str) -> Vec<Item> {
    let mut out = Vec::new();
    let mut start = 0;
    for (n, raw) in text.split_inclusive('\n').enumerate() {
        let body = raw
            .strip_suffix('\n')
            .map_or(raw, |l| l.strip_suffix('\r').unwrap_or(l));
        if !body.trim().is_empty() {
            let src = Src::Line {
                start,
                end: start + body.len(),
                line: n + 1,
            };
            out.push(Item {
                src,
                outcome: Outcome::run(batch, body),
            });
        }
        start += raw.len();
    }
    out
}

/// A loaded, validated policy, passed to calls by reference so it is parsed
/// and validated once (the core's `call_with_policy`).
#[pyclass(frozen, module = "dispute_rules._dispute_rules")]
struct PolicyHandle {
    policy: Policy,
}

#[pymethods]
impl PolicyHandle {
    /// The policy's id.
    #[getter]
    fn id(&self) -> &str {
        &self.policy.id
    }
}

/// Runs `f` on the policy of an optional handle.
fn with_handle<T>(
    handle: Option<&Bound<'_, PolicyHandle>>,
    f: impl FnOnce(Option<&Policy>) -> T,
) -> T {
    f(handle.map(|h| &h.get().policy))
}

#[pymodule]
mod _dispute_rules {
    use super::*;

    #[pymodule_export]
    use super::{BatchResults, PolicyHandle};

    /// The operations of `call_json`.
    #[pymodule_export]
    const OPERATIONS: &[&str] = api::OPERATIONS;

    /// The operations `run_batch` can run.
    #[pymodule_init]
    fn init(m: &Bound<'_, PyModule>) -> PyResult<()> {
        let batch: Vec<&str> = api::BatchOp::ALL.iter().map(|o| o.name()).collect();
        m.add("BATCH_OPERATIONS", batch)?;
        m.add("PRESETS", dispute_rules::Policy::PRESETS.to_vec())?;
        m.add("__version__", env!("CARGO_PKG_VERSION"))?;
        crate::table::register(m)?;
        Ok(())
    }

    /// Runs `operation` on a JSON request and returns the JSON answer
    /// envelope (`{"result": "success", "answer": ...}` or
    /// `{"result": "failure", "error": ...}`). Never raises.
    #[pyfunction]
    fn call_json(py: Python<'_>, operation: PyBackedStr, request_json: PyBackedStr) -> String {
        py.detach(|| guarded(|| api::call(&operation, &request_json)))
    }

    /// `call_json` on a request assembled from `(field, JSON text)` parts; a
    /// part that is not JSON is reported against its field. With `policy` (a
    /// loaded handle), it applies when the parts name none. Never raises.
    #[pyfunction]
    #[pyo3(signature = (operation, parts, policy=None))]
    fn call_parts(
        py: Python<'_>,
        operation: PyBackedStr,
        parts: Vec<(PyBackedStr, PyBackedStr)>,
        policy: Option<&Bound<'_, PolicyHandle>>,
    ) -> String {
        with_handle(policy, |policy| {
            py.detach(|| {
                guarded(|| {
                    let parts: Vec<(&str, &str)> =
                        parts.iter().map(|(k, v)| (&**k, &**v)).collect();
                    api::call_parts(&operation, &parts, policy)
                })
            })
        })
    }

    /// Loads a policy (a preset id or a policy document, as JSON text): its
    /// handle and the `policy` answer envelope, or the failure envelope.
    #[pyfunction]
    fn load_policy<'py>(py: Python<'py>, policy_json: PyBackedStr) -> PyResult<Bound<'py, PyAny>> {
        let loaded = py.detach(|| {
            catch_unwind(AssertUnwindSafe(|| {
                let envelope = api::call_parts("policy", &[("policy", &policy_json)], None);
                match api::resolve_policy(Some(&policy_json)) {
                    Ok(policy) => Ok((policy, envelope)),
                    Err(_) => Err(envelope),
                }
            }))
            .unwrap_or_else(|p| Err(internal(panic_text(p.as_ref()))))
        });
        match loaded {
            Ok((policy, envelope)) => {
                let handle = Bound::new(py, PolicyHandle { policy })?;
                Ok((handle, envelope).into_pyobject(py)?.into_any())
            }
            Err(envelope) => Ok(PyString::new(py, &envelope).into_any()),
        }
    }

    /// Runs a batch operation on many orders sharing the request `parts`
    /// (`now`, `policy`, `explain`, as `(field, JSON text)` pairs; `policy`
    /// may instead be a loaded handle). `orders` is JSON-lines text (str or
    /// UTF-8 bytes; blank lines skipped) or a list of JSON texts. Returns the
    /// results, or a failure envelope (str) when the shared request is bad.
    #[pyfunction]
    #[pyo3(signature = (operation, parts, orders, policy=None))]
    fn run_batch<'py>(
        py: Python<'py>,
        operation: PyBackedStr,
        parts: Vec<(PyBackedStr, PyBackedStr)>,
        orders: Orders,
        policy: Option<&Bound<'py, PolicyHandle>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let done = with_handle(policy, |policy| {
            py.detach(|| {
                catch_unwind(AssertUnwindSafe(
                    || -> Result<(Batch, Vec<Item>), String> {
                        let parts: Vec<(&str, &str)> =
                            parts.iter().map(|(k, v)| (&**k, &**v)).collect();
                        let batch = api::request_from_parts(&parts)
                            .and_then(|request| Batch::with_policy(&operation, &request, policy))
                            .map_err(|e| api::answer::<()>(&Err(e)))?;
                        let items =
                            run_orders(&batch, &orders).map_err(|e| api::answer::<()>(&Err(e)))?;
                        Ok((batch, items))
                    },
                ))
                .unwrap_or_else(|p| Err(internal(panic_text(p.as_ref()))))
            })
        });
        match done {
            Ok((batch, items)) => Ok(Bound::new(
                py,
                BatchResults {
                    batch,
                    orders,
                    items,
                },
            )?
            .into_any()),
            Err(envelope) => Ok(PyString::new(py, &envelope).into_any()),
        }
    }
}
