//! Value classes: `Moment` (an exact instant in UTC and in the policy's
//! zone) and `Money` (an exact `Decimal` amount with its currency), plus the
//! conversions between chrono instants and aware Python `datetime`s.

use crate::errors::{field_error, raise};
use crate::{de, types};
use chrono::{DateTime, Datelike, Timelike, Utc};
use chrono_tz::Tz;
use dispute_rules::{Currency, Error};
use pyo3::basic::CompareOp;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDateTime, PyDelta, PyDict, PyFloat, PyString, PyTuple, PyTzInfo};
use rust_decimal::Decimal;
use std::str::FromStr;

/// RFC 3339 text of an instant in UTC, as the engine writes `utc`.
pub fn rfc3339_utc(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
}

/// `datetime.timezone` for an offset in seconds (cached per offset).
fn fixed_zone(py: Python<'_>, offset: i32) -> PyResult<Bound<'_, PyTzInfo>> {
    if offset == 0 {
        return Ok(PyTzInfo::utc(py)?.to_owned());
    }
    static ZONES: PyOnceLock<Py<PyDict>> = PyOnceLock::new();
    let zones = ZONES.get_or_init(py, || PyDict::new(py).unbind()).bind(py);
    if let Some(z) = zones.get_item(offset)? {
        return Ok(z.cast_into::<PyTzInfo>()?);
    }
    let delta = PyDelta::new(py, 0, offset, 0, true)?;
    let z = PyTzInfo::fixed_offset(py, delta)?;
    zones.set_item(offset, &z)?;
    Ok(z)
}

/// An aware `datetime` for an instant shown at a UTC offset (microseconds:
/// Python has no nanoseconds). Instants outside years 1-9999 raise
/// `OverflowError` naming the instant.
pub fn py_datetime<'py>(
    py: Python<'py>,
    t: DateTime<Utc>,
    offset: i32,
) -> PyResult<Bound<'py, PyDateTime>> {
    let wall = t.naive_utc() + chrono::Duration::seconds(i64::from(offset));
    if !(1..=9999).contains(&wall.year()) {
        return Err(pyo3::exceptions::PyOverflowError::new_err(format!(
            "`{}` is beyond Python's datetime range (years 1 to 9999); `to_json()` has the exact instant",
            rfc3339_utc(t)
        )));
    }
    let micro = (wall.nanosecond() / 1000).min(999_999);
    let tz = fixed_zone(py, offset)?;
    let small = |v: u32| u8::try_from(v).unwrap_or(0);
    PyDateTime::new(
        py,
        wall.year(),
        small(wall.month()),
        small(wall.day()),
        small(wall.hour()),
        small(wall.minute()),
        small(wall.second()),
        micro,
        Some(&tz),
    )
}

/// An instant given as an aware `datetime`, a `Moment` or an RFC 3339
/// string; the error names `field`.
pub fn instant(obj: &Bound<'_, PyAny>, field: &str) -> Result<DateTime<Utc>, Error> {
    let py = obj.py();
    if let Ok(m) = obj.cast::<Moment>() {
        return Ok(m.get().v.utc);
    }
    // The same `now` object is typically passed to many calls: the last one
    // read is remembered (held, so its identity cannot be reused; datetimes
    // are immutable).
    static LAST: std::sync::Mutex<Option<(Py<PyAny>, DateTime<Utc>)>> = std::sync::Mutex::new(None);
    if let Ok(last) = LAST.lock() {
        if let Some((o, t)) = last.as_ref() {
            if o.is(obj) {
                return Ok(*t);
            }
        }
    }
    let text = if let Ok(s) = obj.cast::<PyString>() {
        de::str_of(s)
            .map_err(|e| field_error(field, e.to_string()))?
            .to_owned()
    } else if obj
        .is_instance(types::datetime(py).map_err(|e| field_error(field, e.to_string()))?)
        .unwrap_or(false)
    {
        de::datetime_text(obj).map_err(|e| field_error(field, e.to_string()))?
    } else {
        return Err(field_error(
            field,
            format!(
                "expected an aware datetime or an RFC 3339 string, got `{}`",
                de::type_name(obj)
            ),
        ));
    };
    let t = parse_instant(&text).map_err(|m| field_error(field, m))?;
    if !obj.is_instance_of::<PyString>() {
        // The previous object is released after the lock (its finalizer
        // may run Python code).
        let old = LAST
            .lock()
            .ok()
            .and_then(|mut last| last.replace((obj.clone().unbind(), t)));
        drop(old);
    }
    Ok(t)
}

/// RFC 3339 text as an instant (as the JSON layer reads `now`).
pub fn parse_instant(text: &str) -> Result<DateTime<Utc>, String> {
    if let Some(t) = dispute_rules::calendar::rfc3339::fast(text) {
        return Ok(t);
    }
    text.parse::<DateTime<chrono::FixedOffset>>()
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| e.to_string())
}

/// An exact instant (C-1): `utc` (aware, UTC) and `local` (the same
/// instant in the policy's time zone, with its UTC offset then).
/// Immutable, ordered by instant, hashable.
#[pyclass(frozen, module = "dispute_rules", name = "Moment")]
pub struct Moment {
    /// The instant and its zone.
    pub v: dispute_rules::Moment,
    utc: PyOnceLock<Py<PyDateTime>>,
    local: PyOnceLock<Py<PyDateTime>>,
}

impl Moment {
    /// Wraps an engine moment.
    pub fn of(v: dispute_rules::Moment) -> Self {
        Moment {
            v,
            utc: PyOnceLock::new(),
            local: PyOnceLock::new(),
        }
    }

    fn offset(&self) -> i32 {
        use chrono::Offset;
        use chrono::TimeZone;
        self.v
            .tz()
            .offset_from_utc_datetime(&self.v.utc.naive_utc())
            .fix()
            .local_minus_utc()
    }
}

#[pymethods]
impl Moment {
    /// `Moment(utc, time_zone="UTC")`: an instant (aware datetime, RFC 3339
    /// string or Moment) shown in an IANA time zone.
    #[new]
    #[pyo3(signature = (utc, time_zone = "UTC"))]
    fn new(py: Python<'_>, utc: &Bound<'_, PyAny>, time_zone: &str) -> PyResult<Self> {
        let t = instant(utc, "utc").map_err(|e| raise(py, &e))?;
        let tz = Tz::from_str(time_zone).map_err(|_| {
            raise(
                py,
                &field_error(
                    "time_zone",
                    format!("`{time_zone}` is not an IANA time zone name"),
                ),
            )
        })?;
        Ok(Moment::of(dispute_rules::Moment::new(t, tz)))
    }

    /// The instant, as an aware datetime in UTC.
    #[getter]
    fn utc<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDateTime>> {
        self.utc
            .get_or_try_init(py, || py_datetime(py, self.v.utc, 0).map(Bound::unbind))
            .map(|d| d.bind(py).clone())
    }

    /// The same instant in the policy's time zone (an aware datetime with
    /// the zone's UTC offset at that instant).
    #[getter]
    fn local<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDateTime>> {
        self.local
            .get_or_try_init(py, || {
                py_datetime(py, self.v.utc, self.offset()).map(Bound::unbind)
            })
            .map(|d| d.bind(py).clone())
    }

    /// The IANA name of the zone `local` is in.
    #[getter]
    fn time_zone(&self) -> &'static str {
        self.v.tz().name()
    }

    /// The engine's JSON form: `{"utc": ..., "local": ...}`.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        crate::ser::to_py(py, &self.v)
    }

    /// The engine's JSON form as text.
    fn to_json(&self) -> String {
        serde_json::to_string(&self.v).unwrap_or_default()
    }

    fn __str__(&self) -> String {
        self.v.to_string()
    }

    fn __repr__(&self) -> String {
        let json = serde_json::to_value(self.v).unwrap_or_default();
        format!(
            "Moment({:?}, local={:?})",
            json["utc"].as_str().unwrap_or(""),
            json["local"].as_str().unwrap_or("")
        )
        .replace('"', "'")
    }

    fn __richcmp__(&self, other: &Bound<'_, PyAny>, op: CompareOp) -> Py<PyAny> {
        let py = other.py();
        let Ok(o) = other.cast::<Moment>() else {
            return py.NotImplemented();
        };
        let (a, b) = (self.v.utc, o.get().v.utc);
        let same_local = self.offset() == o.get().offset();
        let r = match op {
            CompareOp::Eq => a == b && same_local,
            CompareOp::Ne => !(a == b && same_local),
            CompareOp::Lt => a < b,
            CompareOp::Le => a <= b,
            CompareOp::Gt => a > b,
            CompareOp::Ge => a >= b,
        };
        r.into_pyobject(py)
            .map(|b| b.to_owned().into_any().unbind())
            .unwrap_or_else(|_| py.NotImplemented())
    }

    fn __hash__(&self) -> isize {
        let n = self.v.utc.timestamp().wrapping_mul(1_000_000_007)
            ^ i64::from(self.v.utc.timestamp_subsec_nanos());
        n as isize
    }

    fn __reduce__<'py>(
        slf: &Bound<'py, Self>,
    ) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyTuple>)> {
        let py = slf.py();
        let this = slf.get();
        let args = PyTuple::new(py, [rfc3339_utc(this.v.utc), this.v.tz().name().to_owned()])?;
        Ok((slf.get_type().into_any(), args))
    }

    fn __copy__(slf: &Bound<'_, Self>) -> Py<Self> {
        slf.clone().unbind()
    }

    fn __deepcopy__(slf: &Bound<'_, Self>, _memo: &Bound<'_, PyAny>) -> Py<Self> {
        slf.clone().unbind()
    }
}

/// A decimal amount read exactly from a `Decimal`, `str` or `int` (never
/// from a float, C-2); the error names `field`.
pub fn decimal_of(obj: &Bound<'_, PyAny>, field: &str) -> Result<Decimal, Error> {
    if let Ok(f) = obj.cast::<PyFloat>() {
        return Err(field_error(field, de::float_message(f.value())));
    }
    if obj.is_instance_of::<pyo3::types::PyBool>() {
        return Err(field_error(field, "expected a decimal amount, got a bool"));
    }
    let text = obj
        .str()
        .map_err(|e| field_error(field, e.to_string()))?
        .to_string();
    let ok = obj.is_instance_of::<PyString>()
        || obj.is_instance_of::<pyo3::types::PyInt>()
        || obj
            .is_instance(types::decimal(obj.py()).map_err(|e| field_error(field, e.to_string()))?)
            .unwrap_or(false);
    if !ok {
        return Err(field_error(
            field,
            format!(
                "expected a `Decimal`, `str` or `int` amount, got `{}`",
                de::type_name(obj)
            ),
        ));
    }
    let t = text.trim();
    Decimal::from_str(t)
        .or_else(|_| Decimal::from_scientific(t))
        .map_err(|_| field_error(field, format!("`{text}` is not a decimal amount")))
}

/// A `Decimal` for an exact amount.
pub fn py_decimal<'py>(py: Python<'py>, d: &Decimal) -> PyResult<Bound<'py, PyAny>> {
    types::decimal(py)?.call1((d.to_string(),))
}

/// An exact amount (`Decimal`) with its ISO 4217 currency (C-2). Built from
/// a `Decimal`, `str` or `int` amount; a float is refused.
#[pyclass(frozen, module = "dispute_rules", name = "Money")]
pub struct Money {
    /// The engine's money.
    pub v: dispute_rules::Money,
}

#[pymethods]
impl Money {
    #[new]
    fn new(py: Python<'_>, amount: &Bound<'_, PyAny>, currency: &str) -> PyResult<Self> {
        let amount = decimal_of(amount, "amount").map_err(|e| raise(py, &e))?;
        let currency = Currency::new(currency).ok_or_else(|| {
            raise(
                py,
                &field_error(
                    "currency",
                    format!(
                        "`{currency}` is not a currency code (three uppercase letters, like `USD`)"
                    ),
                ),
            )
        })?;
        Ok(Money {
            v: dispute_rules::Money::new(amount, currency),
        })
    }

    /// The amount, exact.
    #[getter]
    fn amount<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        py_decimal(py, &self.v.amount)
    }

    /// The ISO 4217 code.
    #[getter]
    fn currency(&self) -> &str {
        self.v.currency.as_str()
    }

    /// The engine's JSON form: `{"amount": "12.50", "currency": "USD"}`.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        crate::ser::to_py(py, &self.v)
    }

    /// The engine's JSON form as text.
    fn to_json(&self) -> String {
        serde_json::to_string(&self.v).unwrap_or_default()
    }

    fn __str__(&self) -> String {
        self.v.to_string()
    }

    fn __repr__(&self) -> String {
        format!("Money('{}', '{}')", self.v.amount, self.v.currency)
    }

    fn __richcmp__(&self, other: &Bound<'_, PyAny>, op: CompareOp) -> Py<PyAny> {
        let py = other.py();
        let Ok(o) = other.cast::<Money>() else {
            return py.NotImplemented();
        };
        let same = self.v == o.get().v;
        match op {
            CompareOp::Eq => same
                .into_pyobject(py)
                .map(|b| b.to_owned().into_any().unbind())
                .unwrap_or_else(|_| py.NotImplemented()),
            CompareOp::Ne => (!same)
                .into_pyobject(py)
                .map(|b| b.to_owned().into_any().unbind())
                .unwrap_or_else(|_| py.NotImplemented()),
            _ => py.NotImplemented(),
        }
    }

    fn __hash__(&self) -> isize {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        self.v.amount.normalize().to_string().hash(&mut h);
        self.v.currency.as_str().hash(&mut h);
        h.finish() as isize
    }

    fn __reduce__<'py>(
        slf: &Bound<'py, Self>,
    ) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyTuple>)> {
        let py = slf.py();
        let v = slf.get().v;
        let args = PyTuple::new(py, [v.amount.to_string(), v.currency.as_str().to_owned()])?;
        Ok((slf.get_type().into_any(), args))
    }

    fn __copy__(slf: &Bound<'_, Self>) -> Py<Self> {
        slf.clone().unbind()
    }

    fn __deepcopy__(slf: &Bound<'_, Self>, _memo: &Bound<'_, PyAny>) -> Py<Self> {
        slf.clone().unbind()
    }
}
