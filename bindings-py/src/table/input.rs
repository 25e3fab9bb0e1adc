//! Reading an Arrow table as flat order rows: the schema is checked once
//! (every column named by the flat module, of a type it can read), then
//! each row is handed to `dispute_rules::flat` as typed cells, never as text
//! made for the occasion.

use arrow_array::cast::AsArray;
use arrow_array::types::{
    Decimal128Type, Decimal32Type, Decimal64Type, Float32Type, Float64Type, Int16Type, Int32Type,
    Int64Type, Int8Type, TimestampMicrosecondType, TimestampMillisecondType,
    TimestampNanosecondType, TimestampSecondType, UInt16Type, UInt32Type, UInt64Type, UInt8Type,
};
use arrow_array::{
    Array, ArrayRef, ArrowPrimitiveType, BooleanArray, LargeStringArray, PrimitiveArray, RecordBatch,
    StringArray, StringViewArray,
};
use arrow_buffer::NullBuffer;
use arrow_schema::{DataType, Schema, TimeUnit as Unit};
use dispute_rules::flat::{Column, Kind, Layout, Row, TimeUnit, Value, COLUMNS};
use dispute_rules::{Error, Problem, Problems};

/// The layout of a table's columns, or every problem with them at once,
/// each naming its column: a name that is not a flat column, a column
/// named twice, a required column missing (the flat module's checks), and
/// a column of a type its values cannot be read from.
pub(crate) fn layout(schema: &Schema) -> Result<Layout, Error> {
    let names: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
    let mut problems: Vec<Problem> = match Layout::new(&names) {
        Ok(_) => Vec::new(),
        Err(e) => e.problems(),
    };
    for f in schema.fields() {
        if let Some(c) = Column::from_name(f.name().trim()) {
            if let Err(m) = check_type(c, f.data_type()) {
                problems.push(Problem::new(c.name(), m));
            }
        }
    }
    if problems.is_empty() {
        Layout::new(&names)
    } else {
        Err(Error::InvalidFacts(Problems::new(problems)))
    }
}

fn is_text(t: &DataType) -> bool {
    matches!(t, DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View)
}

/// What a column's values may be, in words.
fn expected(c: Column) -> &'static str {
    match c.kind() {
        Kind::Text if matches!(c, Column::OrderId | Column::LineId) => "text or integers",
        Kind::Amount => "an amount: decimal, integer, floating-point or text",
        Kind::Count => "a whole number: integer, floating-point or text",
        Kind::Instant => "an instant: a timestamp with a time zone, or RFC 3339 text",
        Kind::Flag => "`true` or `false`: boolean or text",
        Kind::List => "text (the compact list form)",
        _ => "text",
    }
}

/// Whether column `c` can be read from Arrow type `t` (nulls are absent
/// values in any type; a `null`-typed column is all absent).
fn check_type(c: Column, t: &DataType) -> Result<(), String> {
    use DataType as D;
    let kind = c.kind();
    let ok = match t {
        D::Null => true,
        t if is_text(t) => true,
        D::Dictionary(_, v) => is_text(v),
        D::Int8 | D::Int16 | D::Int32 | D::Int64 | D::UInt8 | D::UInt16 | D::UInt32 | D::UInt64 => {
            matches!(kind, Kind::Amount | Kind::Count)
                || matches!(c, Column::OrderId | Column::LineId)
        }
        D::Float32 | D::Float64 => matches!(kind, Kind::Amount | Kind::Count),
        D::Boolean => kind == Kind::Flag,
        D::Decimal32(..) | D::Decimal64(..) | D::Decimal128(..) => kind == Kind::Amount,
        D::Decimal256(..) if kind == Kind::Amount => {
            return Err(format!(
                "`{}` holds more digits than an amount can (28): use decimal128",
                type_name(t)
            ))
        }
        D::Timestamp(_, Some(_)) => kind == Kind::Instant,
        D::Timestamp(_, None) if kind == Kind::Instant => {
            return Err(format!(
                "`{}` has no time zone, so its instants are ambiguous: give the column one \
                 (pyarrow: `pc.assume_timezone`; polars: `.dt.replace_time_zone(\"UTC\")`; \
                 pandas: `.dt.tz_localize`)",
                type_name(t)
            ))
        }
        D::Date32 | D::Date64 if kind == Kind::Instant => {
            return Err(format!(
                "`{}` is a date without a time: give a timestamp with a time zone",
                type_name(t)
            ))
        }
        _ => false,
    };
    if ok {
        Ok(())
    } else {
        Err(format!("expected {}, got `{}`", expected(c), type_name(t)))
    }
}

fn unit_name(u: &Unit) -> &'static str {
    match u {
        Unit::Second => "s",
        Unit::Millisecond => "ms",
        Unit::Microsecond => "us",
        Unit::Nanosecond => "ns",
    }
}

/// An Arrow type as pyarrow spells it (`timestamp[us, tz=UTC]`,
/// `decimal128(10, 2)`, `dictionary<values=string, indices=int32>`).
pub(crate) fn type_name(t: &DataType) -> String {
    use DataType as D;
    let s = match t {
        D::Null => "null",
        D::Boolean => "bool",
        D::Int8 => "int8",
        D::Int16 => "int16",
        D::Int32 => "int32",
        D::Int64 => "int64",
        D::UInt8 => "uint8",
        D::UInt16 => "uint16",
        D::UInt32 => "uint32",
        D::UInt64 => "uint64",
        D::Float16 => "halffloat",
        D::Float32 => "float",
        D::Float64 => "double",
        D::Utf8 => "string",
        D::LargeUtf8 => "large_string",
        D::Utf8View => "string_view",
        D::Binary => "binary",
        D::LargeBinary => "large_binary",
        D::BinaryView => "binary_view",
        D::Date32 => "date32[day]",
        D::Date64 => "date64[ms]",
        D::Decimal32(p, s) => return format!("decimal32({p}, {s})"),
        D::Decimal64(p, s) => return format!("decimal64({p}, {s})"),
        D::Decimal128(p, s) => return format!("decimal128({p}, {s})"),
        D::Decimal256(p, s) => return format!("decimal256({p}, {s})"),
        D::Timestamp(u, None) => return format!("timestamp[{}]", unit_name(u)),
        D::Timestamp(u, Some(tz)) => return format!("timestamp[{}, tz={tz}]", unit_name(u)),
        D::Time32(u) => return format!("time32[{}]", unit_name(u)),
        D::Time64(u) => return format!("time64[{}]", unit_name(u)),
        D::Duration(u) => return format!("duration[{}]", unit_name(u)),
        D::Dictionary(k, v) => {
            return format!(
                "dictionary<values={}, indices={}>",
                type_name(v),
                type_name(k)
            )
        }
        D::List(f) => return format!("list<{}: {}>", f.name(), type_name(f.data_type())),
        D::LargeList(f) => {
            return format!("large_list<{}: {}>", f.name(), type_name(f.data_type()))
        }
        D::Struct(fs) => {
            let parts: Vec<String> = fs
                .iter()
                .map(|f| format!("{}: {}", f.name(), type_name(f.data_type())))
                .collect();
            return format!("struct<{}>", parts.join(", "));
        }
        other => return other.to_string().to_lowercase(),
    };
    s.to_owned()
}

/// The values and validity of a primitive column.
pub(crate) struct Prim<'a, T> {
    values: &'a [T],
    nulls: Option<&'a NullBuffer>,
}

impl<'a, T: arrow_buffer::ArrowNativeType> Prim<'a, T> {
    fn of<P: ArrowPrimitiveType<Native = T>>(a: &'a PrimitiveArray<P>) -> Self {
        Prim {
            values: a.values().as_ref(),
            nulls: a.nulls(),
        }
    }

    #[inline]
    fn get(&self, i: usize) -> Option<T> {
        if self.nulls.is_some_and(|n| n.is_null(i)) {
            return None;
        }
        self.values.get(i).copied()
    }
}

/// The keys of a dictionary-encoded column, as stored.
pub(crate) enum Keys<'a> {
    I8(&'a [i8]),
    I16(&'a [i16]),
    I32(&'a [i32]),
    I64(&'a [i64]),
    U8(&'a [u8]),
    U16(&'a [u16]),
    U32(&'a [u32]),
    U64(&'a [u64]),
}

impl Keys<'_> {
    #[inline]
    fn get(&self, i: usize) -> Option<usize> {
        fn at<K: Copy + TryInto<usize>>(k: &[K], i: usize) -> Option<usize> {
            k.get(i).and_then(|k| (*k).try_into().ok())
        }
        match self {
            Keys::I8(k) => at(k, i),
            Keys::I16(k) => at(k, i),
            Keys::I32(k) => at(k, i),
            Keys::I64(k) => at(k, i),
            Keys::U8(k) => at(k, i),
            Keys::U16(k) => at(k, i),
            Keys::U32(k) => at(k, i),
            Keys::U64(k) => at(k, i),
        }
    }
}

/// The keys of a dictionary array, and which are null.
fn keys(a: &dyn Array) -> Option<(Keys<'_>, Option<&NullBuffer>)> {
    macro_rules! try_keys {
        ($t:ty, $variant:ident) => {
            if let Some(d) = a.as_dictionary_opt::<$t>() {
                let k = d.keys();
                return Some((Keys::$variant(k.values().as_ref()), k.nulls()));
            }
        };
    }
    try_keys!(Int8Type, I8);
    try_keys!(Int16Type, I16);
    try_keys!(Int32Type, I32);
    try_keys!(Int64Type, I64);
    try_keys!(UInt8Type, U8);
    try_keys!(UInt16Type, U16);
    try_keys!(UInt32Type, U32);
    try_keys!(UInt64Type, U64);
    None
}

/// One column of one record batch, ready to hand out typed cells.
pub(crate) enum Cells<'a> {
    /// No values (a `null` column, a column the table does not have).
    Null,
    /// `string`
    Str(&'a StringArray),
    /// `large_string`
    LargeStr(&'a LargeStringArray),
    /// `string_view`
    View(&'a StringViewArray),
    /// Dictionary-encoded text: each row's key into `values` (the
    /// dictionary, read once per batch).
    Dict {
        /// The keys.
        keys: Keys<'a>,
        /// Which keys are null.
        nulls: Option<&'a NullBuffer>,
        /// The dictionary's texts (`None`: a null entry).
        values: Vec<Option<&'a str>>,
    },
    /// Signed integers.
    I8(Prim<'a, i8>),
    /// Signed integers.
    I16(Prim<'a, i16>),
    /// Signed integers.
    I32(Prim<'a, i32>),
    /// Signed integers.
    I64(Prim<'a, i64>),
    /// Unsigned integers.
    U8(Prim<'a, u8>),
    /// Unsigned integers.
    U16(Prim<'a, u16>),
    /// Unsigned integers.
    U32(Prim<'a, u32>),
    /// Unsigned integers.
    U64(Prim<'a, u64>),
    /// `float`: read by its own shortest spelling (0.1 stays 0.1).
    F32(Prim<'a, f32>),
    /// `double`
    F64(Prim<'a, f64>),
    /// `bool`
    Bool(&'a BooleanArray),
    /// Decimals, with their scale.
    D32(Prim<'a, i32>, i8),
    /// Decimals, with their scale.
    D64(Prim<'a, i64>, i8),
    /// Decimals, with their scale.
    D128(Prim<'a, i128>, i8),
    /// Timestamps (UTC-based whatever their zone), with their unit.
    Ts(Prim<'a, i64>, TimeUnit),
}

macro_rules! prim {
    ($a:expr, $t:ty, $variant:expr) => {
        $a.as_primitive_opt::<$t>()
            .map_or(Cells::Null, |p| $variant(Prim::of(p)))
    };
}

/// The texts of a string column (`None` where null).
fn texts(a: &dyn Array) -> Vec<Option<&str>> {
    if let Some(s) = a.as_string_opt::<i32>() {
        s.iter().collect()
    } else if let Some(s) = a.as_string_opt::<i64>() {
        s.iter().collect()
    } else if let Some(s) = a.as_string_view_opt() {
        s.iter().collect()
    } else {
        Vec::new()
    }
}

impl<'a> Cells<'a> {
    /// The cells of a column whose type [`layout`] accepted.
    pub(crate) fn of(a: &'a dyn Array) -> Cells<'a> {
        use DataType as D;
        match a.data_type() {
            D::Utf8 => a.as_string_opt::<i32>().map_or(Cells::Null, Cells::Str),
            D::LargeUtf8 => a.as_string_opt::<i64>().map_or(Cells::Null, Cells::LargeStr),
            D::Utf8View => a.as_string_view_opt().map_or(Cells::Null, Cells::View),
            D::Dictionary(..) => match (keys(a), a.as_any_dictionary_opt()) {
                (Some((keys, nulls)), Some(d)) => Cells::Dict {
                    keys,
                    nulls,
                    values: texts(d.values().as_ref()),
                },
                _ => Cells::Null,
            },
            D::Int8 => prim!(a, Int8Type, Cells::I8),
            D::Int16 => prim!(a, Int16Type, Cells::I16),
            D::Int32 => prim!(a, Int32Type, Cells::I32),
            D::Int64 => prim!(a, Int64Type, Cells::I64),
            D::UInt8 => prim!(a, UInt8Type, Cells::U8),
            D::UInt16 => prim!(a, UInt16Type, Cells::U16),
            D::UInt32 => prim!(a, UInt32Type, Cells::U32),
            D::UInt64 => prim!(a, UInt64Type, Cells::U64),
            D::Float32 => prim!(a, Float32Type, Cells::F32),
            D::Float64 => prim!(a, Float64Type, Cells::F64),
            D::Boolean => a.as_boolean_opt().map_or(Cells::Null, Cells::Bool),
            D::Decimal32(_, s) => prim!(a, Decimal32Type, |p| Cells::D32(p, *s)),
            D::Decimal64(_, s) => prim!(a, Decimal64Type, |p| Cells::D64(p, *s)),
            D::Decimal128(_, s) => prim!(a, Decimal128Type, |p| Cells::D128(p, *s)),
            D::Timestamp(Unit::Second, _) => {
                prim!(a, TimestampSecondType, |p| Cells::Ts(p, TimeUnit::Seconds))
            }
            D::Timestamp(Unit::Millisecond, _) => {
                prim!(a, TimestampMillisecondType, |p| Cells::Ts(p, TimeUnit::Millis))
            }
            D::Timestamp(Unit::Microsecond, _) => {
                prim!(a, TimestampMicrosecondType, |p| Cells::Ts(p, TimeUnit::Micros))
            }
            D::Timestamp(Unit::Nanosecond, _) => {
                prim!(a, TimestampNanosecondType, |p| Cells::Ts(p, TimeUnit::Nanos))
            }
            _ => Cells::Null,
        }
    }

    /// Row `i`'s value.
    #[inline]
    pub(crate) fn get(&self, i: usize) -> Value<'a> {
        fn opt<T>(v: Option<T>, f: impl FnOnce(T) -> Value<'static>) -> Value<'static> {
            v.map_or(Value::Null, f)
        }
        match self {
            Cells::Null => Value::Null,
            Cells::Str(a) => text(a.is_null(i), || a.value(i)),
            Cells::LargeStr(a) => text(a.is_null(i), || a.value(i)),
            Cells::View(a) => text(a.is_null(i), || a.value(i)),
            Cells::Dict {
                keys,
                nulls,
                values,
            } => {
                if nulls.is_some_and(|n| n.is_null(i)) {
                    return Value::Null;
                }
                match keys.get(i).and_then(|k| values.get(k)) {
                    Some(Some(s)) => Value::Text(s),
                    _ => Value::Null,
                }
            }
            Cells::I8(p) => opt(p.get(i), |v| Value::Int(v.into())),
            Cells::I16(p) => opt(p.get(i), |v| Value::Int(v.into())),
            Cells::I32(p) => opt(p.get(i), |v| Value::Int(v.into())),
            Cells::I64(p) => opt(p.get(i), Value::Int),
            Cells::U8(p) => opt(p.get(i), |v| Value::UInt(v.into())),
            Cells::U16(p) => opt(p.get(i), |v| Value::UInt(v.into())),
            Cells::U32(p) => opt(p.get(i), |v| Value::UInt(v.into())),
            Cells::U64(p) => opt(p.get(i), Value::UInt),
            // The double whose shortest spelling is the float's own: 0.1f32
            // is read as 0.1, not 0.100000001490116.
            Cells::F32(p) => opt(p.get(i), |v| {
                Value::Float(v.to_string().parse().unwrap_or(f64::NAN))
            }),
            Cells::F64(p) => opt(p.get(i), Value::Float),
            Cells::Bool(a) => {
                if a.is_null(i) {
                    Value::Null
                } else {
                    Value::Bool(a.value(i))
                }
            }
            Cells::D32(p, scale) => opt(p.get(i), |m| Value::Decimal128 {
                mantissa: m.into(),
                scale: *scale,
            }),
            Cells::D64(p, scale) => opt(p.get(i), |m| Value::Decimal128 {
                mantissa: m.into(),
                scale: *scale,
            }),
            Cells::D128(p, scale) => opt(p.get(i), |m| Value::Decimal128 {
                mantissa: m,
                scale: *scale,
            }),
            Cells::Ts(p, unit) => opt(p.get(i), |value| Value::Timestamp { value, unit: *unit }),
        }
    }
}

/// The columns of one record batch, by flat column (`Column as usize`,
/// the flat module's own order; absent columns hold [`Cells::Null`]).
pub(crate) struct BatchCells<'a> {
    by_column: Vec<Cells<'a>>,
    /// `order_id` and `line_id` when they are `string` columns: the
    /// answers take them as they are, without a copy.
    ids: [Option<ArrayRef>; 2],
}

impl<'a> BatchCells<'a> {
    /// The cells of `batch`, whose schema gave `layout`.
    pub(crate) fn new(layout: &Layout, batch: &'a RecordBatch) -> Self {
        let mut by_column: Vec<Cells<'a>> = (0..Column::COUNT).map(|_| Cells::Null).collect();
        for c in COLUMNS {
            let array = layout.position(c).and_then(|p| batch.columns().get(p));
            if let (Some(slot), Some(a)) = (by_column.get_mut(c as usize), array) {
                *slot = Cells::of(a.as_ref());
            }
        }
        let text = |c: Column| {
            layout
                .position(c)
                .and_then(|p| batch.columns().get(p))
                .filter(|a| a.data_type() == &DataType::Utf8)
                .cloned()
        };
        BatchCells {
            by_column,
            ids: [text(Column::OrderId), text(Column::LineId)],
        }
    }

    /// Rows `start..start + len` of the `order_id` and `line_id` columns
    /// when they can be answered as they are (see [`BatchCells::ids`]).
    pub(crate) fn ids(&self, start: usize, len: usize) -> [Option<ArrayRef>; 2] {
        self.ids
            .each_ref()
            .map(|a| a.as_ref().map(|a| a.slice(start, len)))
    }

    /// Row `i` of the batch.
    pub(crate) fn row(&self, i: usize) -> ArrowRow<'_, 'a> {
        ArrowRow { cells: self, i }
    }
}

#[inline]
fn text<'a>(null: bool, value: impl FnOnce() -> &'a str) -> Value<'a> {
    if null {
        Value::Null
    } else {
        Value::Text(value())
    }
}

/// One row of a record batch, as the flat module reads it.
pub(crate) struct ArrowRow<'r, 'a> {
    cells: &'r BatchCells<'a>,
    i: usize,
}

impl Row for ArrowRow<'_, '_> {
    #[inline]
    fn get(&self, column: Column) -> Value<'_> {
        match self.cells.by_column.get(column as usize) {
            Some(c) => c.get(self.i),
            None => Value::Null,
        }
    }
}
