//! The Arrow PyCapsule interface, in and out: the only module of the
//! binding with `unsafe` code (three pointer moves, each with its SAFETY
//! note). Everything else reads and builds Arrow arrays safely.
//!
//! In: an object's `__arrow_c_stream__()` (a capsule named
//! `arrow_array_stream` holding an `ArrowArrayStream`) or
//! `__arrow_c_array__()` (capsules `arrow_schema` and `arrow_array`, one
//! record batch). The structs are moved out of the capsules, as the
//! interface prescribes, so the producer's capsule destructor finds them
//! released and does nothing.
//!
//! Out: a capsule `arrow_array_stream` over batches we own; its destructor
//! releases the stream unless a consumer moved it out.
#![allow(unsafe_code)]

use arrow_array::ffi::{from_ffi, FFI_ArrowArray, FFI_ArrowSchema};
use arrow_array::ffi_stream::{ArrowArrayStreamReader, FFI_ArrowArrayStream};
use arrow_array::{RecordBatch, RecordBatchIterator, RecordBatchOptions, StructArray};
use arrow_schema::{ArrowError, DataType, Schema, SchemaRef};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::types::{PyCapsule, PyCapsuleMethods};
use std::sync::Arc;

const STREAM: &std::ffi::CStr = c"arrow_array_stream";
const SCHEMA: &std::ffi::CStr = c"arrow_schema";
const ARRAY: &std::ffi::CStr = c"arrow_array";

/// An Arrow input: a stream of record batches, or one batch.
pub(crate) enum Source {
    /// From `__arrow_c_stream__`.
    Stream(ArrowArrayStreamReader),
    /// From `__arrow_c_array__` (a struct array: one record batch).
    Batch(RecordBatch),
}

/// A Python error for an Arrow error from the producer.
pub(crate) fn arrow_error(what: &str, e: &ArrowError) -> PyErr {
    PyValueError::new_err(format!("{what}: {e}"))
}

fn not_a_table(obj: &Bound<'_, PyAny>) -> PyErr {
    let name = obj
        .get_type()
        .name()
        .map_or_else(|_| "?".to_owned(), |n| n.to_string());
    PyTypeError::new_err(format!(
        "expected an Arrow table (an object with `__arrow_c_stream__` or `__arrow_c_array__`: \
         a pyarrow Table, RecordBatch or RecordBatchReader, a polars or pandas DataFrame, \
         a duckdb result), got `{name}`"
    ))
}

/// Takes the Arrow data of `obj` (called with the GIL held: a producer may
/// run Python code).
pub(crate) fn import(obj: &Bound<'_, PyAny>) -> PyResult<Source> {
    let py = obj.py();
    if obj.hasattr(intern!(py, "__arrow_c_stream__"))? {
        let capsule = obj.call_method0(intern!(py, "__arrow_c_stream__"))?;
        let capsule = capsule.cast_into::<PyCapsule>().map_err(PyErr::from)?;
        let ptr = capsule.pointer_checked(Some(STREAM))?;
        // SAFETY: the capsule is named `arrow_array_stream`, so by the Arrow
        // PyCapsule interface its pointer is a valid, aligned, initialized
        // `ArrowArrayStream`, whose layout `FFI_ArrowArrayStream` has
        // (`repr(C)`). `from_raw` moves the struct out and leaves a released
        // one behind (release = NULL): the capsule, alive until the end of
        // this function, then frees nothing twice.
        let stream = unsafe { FFI_ArrowArrayStream::from_raw(ptr.as_ptr().cast()) };
        let reader = ArrowArrayStreamReader::try_new(stream)
            .map_err(|e| arrow_error("reading the Arrow stream's schema", &e))?;
        return Ok(Source::Stream(reader));
    }
    if obj.hasattr(intern!(py, "__arrow_c_array__"))? {
        let pair = obj.call_method0(intern!(py, "__arrow_c_array__"))?;
        let (schema_capsule, array_capsule): (Bound<'_, PyCapsule>, Bound<'_, PyCapsule>) =
            pair.extract().map_err(|_| not_a_table(obj))?;
        let schema_ptr = schema_capsule.pointer_checked(Some(SCHEMA))?;
        let array_ptr = array_capsule.pointer_checked(Some(ARRAY))?;
        // SAFETY: a capsule named `arrow_schema` holds a valid, aligned,
        // initialized `ArrowSchema` (`FFI_ArrowSchema` is its `repr(C)`
        // layout). It is only borrowed here, while `schema_capsule` (which
        // keeps owning and finally releases it) is alive.
        let schema: &FFI_ArrowSchema = unsafe { schema_ptr.cast::<FFI_ArrowSchema>().as_ref() };
        // SAFETY: a capsule named `arrow_array` holds a valid, aligned,
        // initialized `ArrowArray`; `from_raw` moves it out, leaving a
        // released struct for the capsule's destructor.
        let array = unsafe { FFI_ArrowArray::from_raw(array_ptr.as_ptr().cast()) };
        // SAFETY: the producer exported the array together with this schema
        // (the interface pairs them), so the buffers match the type.
        let data = unsafe { from_ffi(array, schema) }
            .map_err(|e| arrow_error("reading the Arrow array", &e))?;
        if !matches!(data.data_type(), DataType::Struct(_)) {
            return Err(not_a_table(obj));
        }
        let len = data.len();
        let (fields, columns, _) = StructArray::from(data).into_parts();
        let batch = RecordBatch::try_new_with_options(
            Arc::new(Schema::new(fields)),
            columns,
            &RecordBatchOptions::new().with_row_count(Some(len)),
        )
        .map_err(|e| arrow_error("reading the Arrow array", &e))?;
        return Ok(Source::Batch(batch));
    }
    Err(not_a_table(obj))
}

/// A capsule `arrow_array_stream` over `batches`.
pub(crate) fn export_stream<'py>(
    py: Python<'py>,
    schema: SchemaRef,
    batches: Vec<RecordBatch>,
) -> PyResult<Bound<'py, PyCapsule>> {
    let reader = RecordBatchIterator::new(batches.into_iter().map(Ok), schema);
    PyCapsule::new_with_value(py, FFI_ArrowArrayStream::new(Box::new(reader)), STREAM)
}

/// A capsule `arrow_schema` of `schema`.
pub(crate) fn export_schema<'py>(
    py: Python<'py>,
    schema: &Schema,
) -> PyResult<Bound<'py, PyCapsule>> {
    let ffi = FFI_ArrowSchema::try_from(schema)
        .map_err(|e| arrow_error("exporting the result schema", &e))?;
    PyCapsule::new_with_value(py, ffi, SCHEMA)
}
