//! The flat-columns reader (`dispute_rules::flat`, used by CSV and Arrow).
//! First byte even: the rest is CSV-like text (a header line of column
//! names, then rows; cells split at `,`); odd: typed cells, as a columnar
//! reader hands them over, decoded from the rest with `arbitrary`.
//!
//! A row read into facts writes back to text cells that read to the same
//! facts, and to JSON that parses to the same facts; every problem names a
//! column (or a list element of one), before and after validation.
#![no_main]

use arbitrary::{Arbitrary, Unstructured};
use chrono::Duration;
use dispute_rules::flat::{self, Column, Layout, Row, TextRow, TimeUnit, Value, COLUMNS};
use dispute_rules::{Error, OrderFacts, Policy};
use dispute_rules_fuzz::{check_error, deterministic, latest_instant};
use libfuzzer_sys::fuzz_target;

/// Every problem names a column: its field is a column name, or a list
/// element of one (`extensions[1].days`, `disputes[0]`).
fn names_columns(e: &Error) {
    check_error(e, false);
    for p in e.problems() {
        let head = p.field().split(['[', '.']).next().unwrap_or("");
        assert!(
            Column::from_name(head).is_some(),
            "a problem names `{}`, not a column: {e:?}",
            p.field()
        );
    }
}

/// Checks one row: problems name columns; facts read back through text
/// cells and JSON; validation's problems name columns too.
fn check_row(row: &impl Row) {
    let facts = match deterministic(|| flat::facts(row)) {
        Ok(f) => f,
        Err(e) => return names_columns(&e),
    };
    let cells = flat::to_text(&facts)
        .unwrap_or_else(|e| panic!("read facts do not write ({e}): {facts:?}"));
    let all = Layout::new(COLUMNS.map(Column::name)).expect("every column");
    let back = flat::facts(&TextRow::new(&all, &cells))
        .unwrap_or_else(|e| panic!("written cells do not read back ({e}): {cells:?}"));
    assert_eq!(back, facts, "facts changed through text cells: {cells:?}");
    let json = serde_json::to_string(&facts).expect("facts serialize");
    let from_json = OrderFacts::from_json(&json)
        .unwrap_or_else(|e| panic!("read facts do not parse back from JSON ({e}): {json}"));
    assert_eq!(from_json, facts, "facts changed through JSON: {json}");

    let written: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    let Some(latest) = latest_instant(&written) else {
        return;
    };
    let policy = Policy::preset_ref("aliexpress").expect("a preset");
    for now in [Some(latest), latest.checked_add_signed(Duration::days(31))]
        .into_iter()
        .flatten()
    {
        if let Err(e) = facts.validate(policy, now) {
            names_columns(&flat::column_error(e));
        }
    }
}

/// A typed row: one value per column.
struct Typed<'a>(Vec<(Column, Value<'a>)>);

impl Row for Typed<'_> {
    fn get(&self, column: Column) -> Value<'_> {
        self.0
            .iter()
            .find(|(c, _)| *c == column)
            .map_or(Value::Null, |(_, v)| *v)
    }
}

/// Plausible text for a column, so typed rows get past the first checks.
const TEXTS: &[&str] = &[
    "",
    " ",
    "8123",
    "1",
    "19.99",
    "-1",
    "0",
    "1e3",
    "USD",
    "EUR",
    "JPY",
    "US",
    "us",
    "standard",
    "expedited",
    "2026-02-27T09:00:00Z",
    "2026-03-01T18:00:00+05:30",
    "2026-03-20T12:00:00Z",
    "9999-12-31T23:59:59Z",
    "+10000-01-01T00:00:00Z",
    "2026-03-01",
    "none",
    "in_transit",
    "stalled",
    "customs_hold",
    "returned_to_sender",
    "delivered",
    "true",
    "FALSE",
    "buyer",
    "automatic",
    "card",
    "paypal",
    "cash_payment",
    "2026-03-18T16:00:00Z/15/pending;2026-03-05T00:00:00Z/10/approved/2026-03-06T00:00:00Z",
    "2026-03-10T20:00:00Z/closed_by_agreement/2026-03-11T03:00:00Z;2026-03-12T00:00:00Z/open",
];

fn typed_value<'a>(u: &mut Unstructured<'a>) -> arbitrary::Result<Value<'a>> {
    Ok(match u.int_in_range(0..=8u8)? {
        0 => Value::Null,
        1 => Value::Text(<&str>::arbitrary(u)?),
        2 => Value::Int(i64::arbitrary(u)?),
        3 => Value::UInt(u64::arbitrary(u)?),
        4 => Value::Float(f64::arbitrary(u)?),
        5 => Value::Bool(bool::arbitrary(u)?),
        6 => Value::Decimal128 {
            mantissa: i128::arbitrary(u)?,
            scale: i8::arbitrary(u)?,
        },
        7 => Value::Timestamp {
            value: i64::arbitrary(u)?,
            unit: *u.choose(&[
                TimeUnit::Seconds,
                TimeUnit::Millis,
                TimeUnit::Micros,
                TimeUnit::Nanos,
            ])?,
        },
        _ => Value::Text(u.choose(TEXTS)?),
    })
}

fn typed(data: &[u8]) {
    let mut u = Unstructured::new(data);
    let mut row = Vec::new();
    for c in COLUMNS {
        match typed_value(&mut u) {
            Ok(v) => row.push((c, v)),
            Err(_) => break,
        }
    }
    check_row(&Typed(row));
}

fn text(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut lines = text.lines();
    let Some(header) = lines.next() else {
        return;
    };
    let layout = match deterministic(|| Layout::new(header.split(','))) {
        Ok(l) => l,
        Err(e) => return names_columns_of_header(&e),
    };
    for line in lines.take(16) {
        let cells: Vec<&str> = line.split(',').collect();
        check_row(&TextRow::new(&layout, &cells));
    }
}

/// A header's problems each name a field (the header cell at fault).
fn names_columns_of_header(e: &Error) {
    check_error(e, false);
}

fuzz_target!(|data: &[u8]| {
    dispute_rules_fuzz::given(data);
    let Some((&which, rest)) = data.split_first() else {
        return;
    };
    if which % 2 == 0 {
        text(rest);
    } else {
        typed(rest);
    }
});
