//! Python objects read directly by serde: the core's own `Deserialize` types
//! (`OrderFacts`, `Claim`, `Policy`, ...) are built from dicts, lists, `str`,
//! `int` (anything with `__index__`), `bool`, `None`, `Decimal` (its exact
//! text) and aware `datetime` (RFC 3339), with the same validation and the
//! same field paths as the JSON layer, and no JSON text made or parsed.
//!
//! Floats are refused (C-2: a float cannot hold an exact amount), and so is
//! nesting deeper than [`MAX_DEPTH`] (a cycle, or a 1,000-deep dict, is an
//! error naming the field, never a `RecursionError` or a stack overflow).

use crate::types;
use dispute_rules::{Error, Problems};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyBytes, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use serde::de::{self, DeserializeSeed, IntoDeserializer, Unexpected, Visitor};
use std::fmt;

/// How deeply Python containers may nest (legitimate documents nest 5 deep).
pub const MAX_DEPTH: usize = 64;

/// A conversion problem (the message; the path comes from
/// `serde_path_to_error`).
#[derive(Debug)]
pub struct DeError(String);

impl fmt::Display for DeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for DeError {}

impl de::Error for DeError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        DeError(msg.to_string())
    }

    // As serde_json: `None` is `null` in messages.
    fn invalid_type(unexp: Unexpected<'_>, exp: &dyn de::Expected) -> Self {
        match unexp {
            Unexpected::Unit => DeError(format!("invalid type: null, expected {exp}")),
            other => DeError(format!("invalid type: {other}, expected {exp}")),
        }
    }
}

fn err(msg: impl Into<String>) -> DeError {
    DeError(msg.into())
}

/// The text of a Python `str` (a lone surrogate cannot be UTF-8).
pub fn str_of<'a>(s: &'a Bound<'_, PyString>) -> Result<&'a str, DeError> {
    s.to_str()
        .map_err(|_| err("the text holds a lone surrogate: it is not valid Unicode"))
}

/// The name of a Python object's type, for messages.
pub fn type_name(o: &Bound<'_, PyAny>) -> String {
    o.get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "object".into())
}

/// RFC 3339 text of an aware `datetime` (its `isoformat()`), or an error
/// for a naive one.
pub fn datetime_text(o: &Bound<'_, PyAny>) -> Result<String, DeError> {
    let iso = o
        .call_method0(pyo3::intern!(o.py(), "isoformat"))
        .and_then(|s| s.extract::<String>())
        .map_err(|e| err(format!("cannot read the datetime: {e}")))?;
    // An aware datetime's isoformat ends with its offset (`+hh:mm`).
    let tail = iso.get(iso.len().saturating_sub(6)..).unwrap_or("");
    let aware = tail.len() == 6
        && (tail.starts_with('+') || tail.starts_with('-'))
        && tail.as_bytes().get(3) == Some(&b':');
    if aware {
        return Ok(iso);
    }
    let offset = o
        .call_method0(pyo3::intern!(o.py(), "utcoffset"))
        .map_err(|e| err(format!("cannot read the datetime: {e}")))?;
    if offset.is_none() {
        return Err(err(NAIVE));
    }
    // An offset with seconds (`+05:30:15`): not expressible in RFC 3339.
    Err(err(format!(
        "`{iso}` has a UTC offset with seconds, which RFC 3339 cannot express"
    )))
}

/// The message for a naive datetime.
pub const NAIVE: &str =
    "a naive datetime is ambiguous: give an aware one (for example `datetime(..., tzinfo=timezone.utc)`)";

/// The message for a float where data is read.
pub fn float_message(v: f64) -> String {
    format!("`{v}` is a float, which cannot hold an exact amount (C-2): pass a `str` such as \"12.50\" or a `Decimal`")
}

/// The Python strings of one read, held until it ends, so their text is
/// lent to serde (`visit_borrowed_str`) without a copy.
pub type Strings<'py> = typed_arena::Arena<Bound<'py, PyString>>;

/// A serde `Deserializer` over one Python object.
pub struct PyDe<'a, 'py> {
    obj: Bound<'py, PyAny>,
    depth: usize,
    strings: &'a Strings<'py>,
}

impl<'a, 'py> PyDe<'a, 'py> {
    /// Reads `obj` (the top of a document).
    pub fn new(obj: &Bound<'py, PyAny>, strings: &'a Strings<'py>) -> Self {
        PyDe {
            obj: obj.clone(),
            depth: 0,
            strings,
        }
    }

    fn child(&self, obj: Bound<'py, PyAny>) -> Self {
        PyDe {
            obj,
            depth: self.depth + 1,
            strings: self.strings,
        }
    }

    /// The text of a Python `str`, lent for the whole read.
    fn text(&self, s: &Bound<'py, PyString>) -> Result<&'a str, DeError> {
        let held: &'a Bound<'py, PyString> = self.strings.alloc(s.clone());
        str_of(held)
    }

    fn deeper(&self) -> Result<usize, DeError> {
        if self.depth >= MAX_DEPTH {
            Err(err(format!(
                "nested more than {MAX_DEPTH} levels deep (a cycle, or not a document of this engine)"
            )))
        } else {
            Ok(self.depth + 1)
        }
    }

    fn int<V: Visitor<'a>>(&self, n: &Bound<'py, PyAny>, v: V) -> Result<V::Value, DeError> {
        if let Ok(x) = n.extract::<i64>() {
            return if x >= 0 {
                v.visit_u64(x.unsigned_abs())
            } else {
                v.visit_i64(x)
            };
        }
        if let Ok(x) = n.extract::<u64>() {
            return v.visit_u64(x);
        }
        if let Ok(x) = n.extract::<i128>() {
            return v.visit_i128(x);
        }
        if let Ok(x) = n.extract::<u128>() {
            return v.visit_u128(x);
        }
        Err(err(format!("the integer `{n}` is too large")))
    }

    fn map<V: Visitor<'a>>(&self, d: &Bound<'py, PyDict>, v: V) -> Result<V::Value, DeError> {
        let depth = self.deeper()?;
        v.visit_map(MapAccess {
            items: Items::Dict(d.iter()),
            value: None,
            depth,
            strings: self.strings,
        })
    }

    fn mapping<V: Visitor<'a>>(&self, v: V) -> Result<V::Value, DeError> {
        let depth = self.deeper()?;
        let read = |e: PyErr| err(format!("cannot read the mapping: {e}"));
        let mut items = Vec::new();
        for item in self
            .obj
            .call_method0(pyo3::intern!(self.obj.py(), "items"))
            .and_then(|i| i.try_iter())
            .map_err(read)?
        {
            let (k, x): (Bound<'py, PyAny>, Bound<'py, PyAny>) =
                item.and_then(|i| i.extract()).map_err(read)?;
            items.push((k, x));
        }
        v.visit_map(MapAccess {
            items: Items::Pairs(items.into_iter()),
            value: None,
            depth,
            strings: self.strings,
        })
    }

    fn seq<V: Visitor<'a>>(
        &self,
        items: Vec<Bound<'py, PyAny>>,
        v: V,
    ) -> Result<V::Value, DeError> {
        let depth = self.deeper()?;
        v.visit_seq(SeqAccess {
            items: items.into_iter(),
            depth,
            strings: self.strings,
        })
    }

    /// Everything but the common exact types.
    fn other<V: Visitor<'a>>(self, v: V) -> Result<V::Value, DeError> {
        let o = &self.obj;
        let py = o.py();
        if let Ok(f) = o.cast::<PyFloat>() {
            return Err(err(float_message(f.value())));
        }
        if o.is_instance(types::decimal(py).map_err(py_err)?)
            .unwrap_or(false)
        {
            let text = o.str().map_err(py_err)?;
            return v.visit_str(str_of(&text)?);
        }
        if o.is_instance(types::datetime(py).map_err(py_err)?)
            .unwrap_or(false)
        {
            return v.visit_str(&datetime_text(o)?);
        }
        if o.is_instance(types::date(py).map_err(py_err)?)
            .unwrap_or(false)
        {
            return Err(err(
                "a date has no time of day: give an aware datetime (or an RFC 3339 string)",
            ));
        }
        if let Ok(m) = o.cast::<crate::values::Money>() {
            let m = m.get().v;
            let pairs = [
                ("amount", m.amount.to_string()),
                ("currency", m.currency.as_str().to_owned()),
            ];
            let depth = self.deeper()?;
            let _ = depth;
            return v.visit_map(de::value::MapDeserializer::new(pairs.into_iter()));
        }
        if let Ok(m) = o.cast::<crate::values::Moment>() {
            return v.visit_str(&crate::values::rfc3339_utc(m.get().v.utc));
        }
        if o.is_instance_of::<PyBytes>() {
            return Err(err("bytes are not text: decode them, or give a `str`"));
        }
        if o.is_instance(types::mapping(py).map_err(py_err)?)
            .unwrap_or(false)
        {
            return self.mapping(v);
        }
        if o.get_type()
            .hasattr(pyo3::intern!(py, "__index__"))
            .unwrap_or(false)
        {
            let n = o
                .call_method0(pyo3::intern!(py, "__index__"))
                .map_err(|e| err(format!("cannot read the integer: {e}")))?;
            return self.int(&n, v);
        }
        Err(err(format!(
            "a `{}` cannot be read here: give a dict, list, str, int, bool, None, Decimal or aware datetime",
            type_name(o)
        )))
    }
}

fn py_err(e: PyErr) -> DeError {
    err(e.to_string())
}

macro_rules! ints {
    ($($m:ident),*) => {$(
        fn $m<V: Visitor<'de>>(self, v: V) -> Result<V::Value, DeError> {
            if let Ok(f) = self.obj.cast::<PyFloat>() {
                return Err(de::Error::invalid_type(Unexpected::Float(f.value()), &v));
            }
            self.deserialize_any(v)
        }
    )*};
}

impl<'de, 'py> de::Deserializer<'de> for PyDe<'de, 'py> {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, DeError> {
        let o = &self.obj;
        // Exact types first: a pointer comparison each (the subclass checks
        // below call into the interpreter).
        if let Ok(s) = o.cast_exact::<PyString>() {
            return v.visit_borrowed_str(self.text(s)?);
        }
        if let Ok(d) = o.cast_exact::<PyDict>() {
            return self.map(d, v);
        }
        if o.cast_exact::<PyInt>().is_ok() {
            return self.int(o, v);
        }
        if let Ok(s) = o.cast::<PyString>() {
            return v.visit_borrowed_str(self.text(s)?);
        }
        if let Ok(d) = o.cast::<PyDict>() {
            return self.map(d, v);
        }
        if o.is_none() {
            return v.visit_unit();
        }
        if let Ok(b) = o.cast::<PyBool>() {
            return v.visit_bool(b.is_true());
        }
        if o.cast::<PyInt>().is_ok() {
            return self.int(o, v);
        }
        if let Ok(l) = o.cast::<PyList>() {
            return self.seq(l.iter().collect(), v);
        }
        if let Ok(t) = o.cast::<PyTuple>() {
            return self.seq(t.iter().collect(), v);
        }
        self.other(v)
    }

    ints!(
        deserialize_i8,
        deserialize_i16,
        deserialize_i32,
        deserialize_i64,
        deserialize_i128,
        deserialize_u8,
        deserialize_u16,
        deserialize_u32,
        deserialize_u64,
        deserialize_u128
    );

    fn deserialize_f32<V: Visitor<'de>>(self, v: V) -> Result<V::Value, DeError> {
        self.deserialize_f64(v)
    }

    fn deserialize_f64<V: Visitor<'de>>(self, v: V) -> Result<V::Value, DeError> {
        match self.obj.cast::<PyFloat>() {
            Ok(f) => v.visit_f64(f.value()),
            Err(_) => self.deserialize_any(v),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, v: V) -> Result<V::Value, DeError> {
        if self.obj.is_none() {
            v.visit_none()
        } else {
            v.visit_some(self)
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        v: V,
    ) -> Result<V::Value, DeError> {
        v.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        v: V,
    ) -> Result<V::Value, DeError> {
        if let Ok(s) = self.obj.cast::<PyString>() {
            let s = str_of(s)?;
            return v.visit_enum(IntoDeserializer::<DeError>::into_deserializer(s));
        }
        if let Ok(d) = self.obj.cast::<PyDict>() {
            if d.len() == 1 {
                if let Some((k, x)) = d.iter().next() {
                    let key = k
                        .cast::<PyString>()
                        .map_err(|_| err("a variant name must be a `str`"))
                        .and_then(|k| str_of(k).map(str::to_owned))?;
                    let value = self.child(x);
                    return v.visit_enum(Variant { key, value });
                }
            }
        }
        Err(de::Error::invalid_type(unexpected(&self.obj), &v))
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, DeError> {
        v.visit_unit()
    }

    serde::forward_to_deserialize_any! {
        bool char str string bytes byte_buf unit unit_struct seq tuple
        tuple_struct map struct identifier
    }
}

/// What a Python object is, in serde's words (for type errors).
fn unexpected<'a>(o: &Bound<'_, PyAny>) -> Unexpected<'a> {
    if o.is_none() {
        Unexpected::Unit
    } else if o.is_instance_of::<PyString>() {
        Unexpected::Other("string")
    } else if o.is_instance_of::<PyDict>() {
        Unexpected::Map
    } else if o.is_instance_of::<PyList>() || o.is_instance_of::<PyTuple>() {
        Unexpected::Seq
    } else if let Ok(b) = o.cast::<PyBool>() {
        Unexpected::Bool(b.is_true())
    } else {
        Unexpected::Other("value")
    }
}

/// The entries of a dict (iterated in place) or of another mapping.
enum Items<'py> {
    Dict(pyo3::types::dict::BoundDictIterator<'py>),
    Pairs(std::vec::IntoIter<(Bound<'py, PyAny>, Bound<'py, PyAny>)>),
}

impl<'py> Iterator for Items<'py> {
    type Item = (Bound<'py, PyAny>, Bound<'py, PyAny>);

    fn next(&mut self) -> Option<Self::Item> {
        match self {
            Items::Dict(i) => i.next(),
            Items::Pairs(i) => i.next(),
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        match self {
            Items::Dict(i) => i.size_hint(),
            Items::Pairs(i) => i.size_hint(),
        }
    }
}

struct MapAccess<'a, 'py> {
    items: Items<'py>,
    value: Option<Bound<'py, PyAny>>,
    depth: usize,
    strings: &'a Strings<'py>,
}

impl<'de, 'py> de::MapAccess<'de> for MapAccess<'de, 'py> {
    type Error = DeError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, DeError> {
        let Some((k, x)) = self.items.next() else {
            return Ok(None);
        };
        self.value = Some(x);
        let key = k
            .cast_exact::<PyString>()
            .or_else(|_| k.cast::<PyString>())
            .map_err(|_| {
                err(format!(
                    "keys must be `str`, got the `{}` key `{}`",
                    type_name(&k),
                    k.repr().map(|r| r.to_string()).unwrap_or_default()
                ))
            })?;
        let held: &'de Bound<'py, PyString> = self.strings.alloc(key.clone());
        let key = str_of(held)?;
        seed.deserialize(de::value::BorrowedStrDeserializer::<DeError>::new(key))
            .map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, DeError> {
        let x = self
            .value
            .take()
            .ok_or_else(|| err("a value without a key"))?;
        seed.deserialize(PyDe {
            obj: x,
            depth: self.depth,
            strings: self.strings,
        })
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.size_hint().0)
    }
}

struct SeqAccess<'a, 'py> {
    items: std::vec::IntoIter<Bound<'py, PyAny>>,
    depth: usize,
    strings: &'a Strings<'py>,
}

impl<'de, 'py> de::SeqAccess<'de> for SeqAccess<'de, 'py> {
    type Error = DeError;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, DeError> {
        match self.items.next() {
            None => Ok(None),
            Some(x) => seed
                .deserialize(PyDe {
                    obj: x,
                    depth: self.depth,
                    strings: self.strings,
                })
                .map(Some),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len())
    }
}

/// `{"variant": value}`: an externally tagged enum value.
struct Variant<'a, 'py> {
    key: String,
    value: PyDe<'a, 'py>,
}

impl<'de, 'py> de::EnumAccess<'de> for Variant<'de, 'py> {
    type Error = DeError;
    type Variant = PyDe<'de, 'py>;

    fn variant_seed<S: DeserializeSeed<'de>>(
        self,
        seed: S,
    ) -> Result<(S::Value, PyDe<'de, 'py>), DeError> {
        let k = seed.deserialize(IntoDeserializer::<DeError>::into_deserializer(
            self.key.as_str(),
        ))?;
        Ok((k, self.value))
    }
}

impl<'de, 'py> de::VariantAccess<'de> for PyDe<'de, 'py> {
    type Error = DeError;

    fn unit_variant(self) -> Result<(), DeError> {
        if self.obj.is_none() {
            Ok(())
        } else {
            Err(de::Error::invalid_type(
                unexpected(&self.obj),
                &"unit variant",
            ))
        }
    }

    fn newtype_variant_seed<S: DeserializeSeed<'de>>(self, seed: S) -> Result<S::Value, DeError> {
        seed.deserialize(self)
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, v: V) -> Result<V::Value, DeError> {
        de::Deserializer::deserialize_seq(self, v)
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        v: V,
    ) -> Result<V::Value, DeError> {
        de::Deserializer::deserialize_map(self, v)
    }
}

/// The problem of a path-tracking error, as the core's JSON layer makes it
/// (the same field paths, the same messages in the words of JSON).
fn problem<E: fmt::Display>(e: serde_path_to_error::Error<E>) -> Problems {
    let path = e.path().clone();
    dispute_rules::error::problem_at(&path, &e.into_inner().to_string())
}

/// Reads a `T` from a Python object; the error names the field (unprefixed,
/// as the core's `from_json`), with the kind `make` gives.
pub fn from_py<T: de::DeserializeOwned>(
    obj: &Bound<'_, PyAny>,
    make: fn(Problems) -> Error,
) -> Result<T, Error> {
    // Fast path without path tracking; only a failure reads again.
    {
        let strings = Strings::new();
        if let Ok(v) = T::deserialize(PyDe::new(obj, &strings)) {
            return Ok(v);
        }
    }
    let strings = Strings::new();
    match serde_path_to_error::deserialize::<_, T>(PyDe::new(obj, &strings)) {
        Ok(v) => Ok(v),
        Err(e) => Err(make(problem(e))),
    }
}

/// Reads a `T` from JSON text; the error names the field (as the core's
/// `from_json`, for documents that have no public reader).
pub fn from_json<T: de::DeserializeOwned>(
    text: &str,
    make: fn(Problems) -> Error,
) -> Result<T, Error> {
    if let Ok(v) = serde_json::from_str::<T>(text) {
        return Ok(v);
    }
    let de = &mut serde_json::Deserializer::from_str(text);
    match serde_path_to_error::deserialize::<_, T>(&mut *de) {
        // The fast path failed, so something follows the document.
        Ok(v) => match de.end() {
            Ok(()) => Ok(v),
            Err(e) => Err(make(Problems::one("", e.to_string()))),
        },
        Err(e) => Err(make(problem(e))),
    }
}
