//! `assess_table`: an Arrow table of flat order rows in (the columns of
//! `dispute_rules::flat`), an Arrow table of answers out, one row per
//! input row in input order. No Python object is made per row: the input
//! is read through the Arrow PyCapsule interface (pyarrow, polars, pandas,
//! duckdb...), every cell is handed to the flat module typed, and the
//! answers are built as Arrow arrays, with the GIL released and the rows
//! split across threads.
//!
//! The work is cut into chunks of [`CHUNK`] rows, whatever the number of
//! threads, each chunk making one result batch: the answers (and the
//! batches) are the same with one thread or many.

mod ffi;
mod input;
mod output;

use arrow_array::RecordBatch;
use arrow_schema::SchemaRef;
use chrono::{DateTime, Utc};
use dispute_rules::flat::{self, Column, Row};
use dispute_rules::{eligibility, Eligibility, Error, Explain, OrderFacts, Policy, Problems};
use input::BatchCells;
use output::{Dictionaries, Out};
use pyo3::prelude::*;
use pyo3::types::PyCapsule;
use std::sync::Arc;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};

/// Rows per result batch (and per unit of work for a thread).
const CHUNK: usize = 16_384;

/// Adds the table functions and classes to the compiled module.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(assess_table, m)?)?;
    m.add_class::<ArrowTable>()?;
    m.add("TABLE_COLUMNS", output::COLUMNS.to_vec())?;
    m.add(
        "FLAT_COLUMNS",
        flat::COLUMNS.iter().map(|c| c.name()).collect::<Vec<_>>(),
    )?;
    Ok(())
}

/// An Arrow table of answers, exported through the Arrow PyCapsule
/// interface (`pyarrow.table(t)`, `polars.DataFrame(t)`...).
#[pyclass(frozen, module = "dispute_rules._dispute_rules")]
pub(crate) struct ArrowTable {
    schema: SchemaRef,
    batches: Vec<RecordBatch>,
    rows: usize,
    errors: usize,
}

#[pymethods]
impl ArrowTable {
    /// The answers as an Arrow stream (the `requested_schema` is not used:
    /// the columns are always those of `TABLE_COLUMNS`).
    #[pyo3(signature = (requested_schema=None))]
    fn __arrow_c_stream__<'py>(
        &self,
        py: Python<'py>,
        requested_schema: Option<Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyCapsule>> {
        let _ = requested_schema;
        ffi::export_stream(py, self.schema.clone(), self.batches.clone())
    }

    /// The schema, as an Arrow schema capsule.
    fn __arrow_c_schema__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyCapsule>> {
        ffi::export_schema(py, &self.schema)
    }

    /// The number of rows (one per input row).
    fn __len__(&self) -> usize {
        self.rows
    }

    /// The number of rows that failed (an error instead of an answer).
    #[getter]
    fn error_count(&self) -> usize {
        self.errors
    }

    /// The column names.
    #[getter]
    fn column_names(&self) -> Vec<String> {
        self.schema
            .fields()
            .iter()
            .map(|f| f.name().clone())
            .collect()
    }

    /// The number of record batches.
    #[getter]
    fn num_batches(&self) -> usize {
        self.batches.len()
    }

    fn __repr__(&self) -> String {
        format!(
            "ArrowTable(rows={}, errors={}, batches={})",
            self.rows,
            self.errors,
            self.batches.len()
        )
    }
}

/// `now` and the policy, read as every other call reads them.
fn shared(
    now: &Bound<'_, PyAny>,
    policy: Option<&Bound<'_, PyAny>>,
) -> Result<(Arc<Policy>, DateTime<Utc>), Error> {
    let now = crate::values::instant(now, "now")?;
    let policy = crate::call::policy(policy)?;
    Ok((policy, now))
}

/// One unit of work: rows `start..start + len` of input batch `batch`.
struct Task {
    batch: usize,
    start: usize,
    len: usize,
    /// The index of its first row in the whole input.
    first_row: usize,
}

/// What every task shares.
struct Job<'a> {
    cells: Vec<BatchCells<'a>>,
    policy: &'a Policy,
    now: DateTime<Utc>,
    schema: SchemaRef,
    dicts: Dictionaries,
    dictionary: bool,
}

/// The text of a panic payload.
fn panic_text(payload: &(dyn std::any::Any + Send)) -> &str {
    payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("the engine panicked")
}

/// One row's answer, its errors named by column. `facts` holds the facts
/// of the task's last row read: its texts and lists are refilled, not
/// allocated again, row after row.
fn assess_row(
    row: &impl Row,
    facts: &mut Option<OrderFacts>,
    policy: &Policy,
    now: DateTime<Utc>,
) -> Result<Eligibility, Error> {
    let f: &OrderFacts = match facts {
        Some(f) => {
            flat::facts_into(row, f).map_err(flat::column_error)?;
            f
        }
        None => facts.insert(flat::facts(row).map_err(flat::column_error)?),
    };
    eligibility::assess(f, policy, now, Explain::No).map_err(flat::column_error)
}

impl Job<'_> {
    fn run(&self, t: &Task) -> Result<RecordBatch, String> {
        let Some(cells) = self.cells.get(t.batch) else {
            return Err("lost a batch".into());
        };
        let ids = cells.ids(t.start, t.len);
        let mut out = Out::with_capacity(t.len, ids.each_ref().map(Option::is_none));
        let mut facts = None;
        for (n, i) in (t.start..t.start + t.len).enumerate() {
            let row = cells.row(i);
            let ids = (row.get(Column::OrderId), row.get(Column::LineId));
            let index = i64::try_from(t.first_row + n).unwrap_or(i64::MAX);
            match catch_unwind(AssertUnwindSafe(|| assess_row(&row, &mut facts, self.policy, self.now))) {
                Ok(Ok(e)) => out.answer(index, ids, &e, self.now),
                Ok(Err(e)) => out.error(index, ids, &e),
                Err(p) => out.failure(
                    index,
                    ids,
                    "internal",
                    "",
                    &format!("internal error: {}", panic_text(p.as_ref())),
                ),
            }
        }
        out.finish(ids, &self.schema, &self.dicts, self.dictionary)
            .map_err(|e| e.to_string())
    }

    /// Runs every task on `threads` threads; the batches in task order.
    fn run_all(&self, tasks: &[Task], threads: usize) -> Result<Vec<RecordBatch>, String> {
        let next = AtomicUsize::new(0);
        let work = || {
            let mut done = Vec::new();
            while let Some(t) = tasks.get(next.fetch_add(1, Ordering::Relaxed)) {
                let r = catch_unwind(AssertUnwindSafe(|| self.run(t)))
                    .unwrap_or_else(|p| Err(panic_text(p.as_ref()).to_owned()));
                done.push((t.first_row, r));
            }
            done
        };
        let helpers = threads.min(tasks.len()).saturating_sub(1);
        let mut done = std::thread::scope(|s| {
            // A thread that cannot be started leaves its share to the others.
            let handles: Vec<_> = (0..helpers)
                .filter_map(|_| std::thread::Builder::new().spawn_scoped(s, work).ok())
                .collect();
            let mut done = work();
            for h in handles {
                match h.join() {
                    Ok(d) => done.extend(d),
                    Err(p) => done.push((usize::MAX, Err(panic_text(p.as_ref()).to_owned()))),
                }
            }
            done
        });
        done.sort_by_key(|(first, _)| *first);
        done.into_iter().map(|(_, r)| r).collect()
    }
}

/// Cuts the batches into tasks of at most [`CHUNK`] rows.
fn tasks(batches: &[RecordBatch]) -> Vec<Task> {
    let mut out = Vec::new();
    let mut first_row = 0;
    for (b, batch) in batches.iter().enumerate() {
        let rows = batch.num_rows();
        let mut start = 0;
        while start < rows {
            let len = CHUNK.min(rows - start);
            out.push(Task {
                batch: b,
                start,
                len,
                first_row: first_row + start,
            });
            start += len;
        }
        first_row += rows;
    }
    out
}

/// Assesses every row of an Arrow table of flat order facts (the columns
/// of `FLAT_COLUMNS`) at `now` (JSON text: an RFC 3339 string) under
/// `policy` (JSON text: a preset id or a policy document; default
/// `aliexpress`), on `threads` threads (default: every core). Returns the
/// answers (`ArrowTable`, columns `TABLE_COLUMNS`), or a failure envelope
/// (str) when `now`, the policy, `threads` or the table's columns are bad.
/// Raises `TypeError` for an object that is not an Arrow table.
#[pyfunction]
#[pyo3(signature = (data, now, policy=None, threads=None, dictionary=true))]
fn assess_table<'py>(
    py: Python<'py>,
    data: &Bound<'py, PyAny>,
    now: &Bound<'py, PyAny>,
    policy: Option<&Bound<'py, PyAny>>,
    threads: Option<&Bound<'py, PyAny>>,
    dictionary: bool,
) -> PyResult<Bound<'py, PyAny>> {
    let fail = |e: Error| Err(crate::errors::raise(py, &e));
    let threads = match threads.filter(|t| !t.is_none()) {
        None => std::thread::available_parallelism().map_or(1, |n| n.get()),
        Some(t) => match (t.is_instance_of::<pyo3::types::PyBool>(), t.extract::<usize>()) {
            (false, Ok(n)) if (1..=dispute_rules::limits::MAX_THREADS).contains(&n) => n,
            _ => {
                return fail(Error::InvalidRequest(Problems::one(
                    "threads",
                    format!(
                        "expected a whole number from 1 to {}, got `{}`",
                        dispute_rules::limits::MAX_THREADS,
                        t.repr().map(|r| r.to_string()).unwrap_or_default()
                    ),
                )))
            }
        },
    };
    let (policy, now) = match shared(now, policy.filter(|p| !p.is_none())) {
        Ok(x) => x,
        Err(e) => return fail(e),
    };
    let (schema, batches) = match ffi::import(data)? {
        ffi::Source::Batch(b) => (b.schema(), vec![b]),
        ffi::Source::Stream(reader) => {
            let schema = arrow_array::RecordBatchReader::schema(&reader);
            // Reading happens with the GIL held: a producer may call Python.
            let batches = reader
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| ffi::arrow_error("reading the Arrow stream", &e))?;
            (schema, batches)
        }
    };
    let layout = match input::layout(&schema) {
        Ok(l) => l,
        Err(e) => return fail(e),
    };
    let out_schema = output::schema(dictionary);
    let done = py.detach(|| {
        let job = Job {
            cells: batches.iter().map(|b| BatchCells::new(&layout, b)).collect(),
            policy: &policy,
            now,
            schema: out_schema.clone(),
            dicts: Dictionaries::new(),
            dictionary,
        };
        job.run_all(&tasks(&batches), threads)
    });
    let batches = match done {
        Ok(b) => b,
        Err(m) => {
            let answer = crate::errors::internal_answer(&m);
            return Err(match crate::errors::error_object(py, &answer, None, None) {
                Ok(obj) => PyErr::from_value(obj),
                Err(err) => err,
            });
        }
    };
    let rows = batches.iter().map(RecordBatch::num_rows).sum();
    let errors = batches
        .iter()
        .filter_map(|b| b.column_by_name("error_kind"))
        .map(|c| c.len() - c.null_count())
        .sum();
    Ok(Bound::new(
        py,
        ArrowTable {
            schema: out_schema,
            batches,
            rows,
            errors,
        },
    )?
    .into_any())
}
