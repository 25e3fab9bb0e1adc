//! The result table: one row per input row, in input order, with the
//! columns of the `assess` program's `--output csv` where they overlap
//! (same names, same meanings), typed.

use arrow_array::builder::{
    GenericStringBuilder, Int64Builder, Int8Builder, StringBuilder, TimestampMicrosecondBuilder,
};
use arrow_array::types::Int8Type;
use arrow_array::{
    Array, ArrayRef, DictionaryArray, Int8Array, ListArray, RecordBatch, StringArray,
};
use arrow_buffer::{NullBufferBuilder, OffsetBuffer};
use arrow_schema::{ArrowError, DataType, Field, FieldRef, Schema, SchemaRef, TimeUnit};
use chrono::{DateTime, Utc};
use dispute_rules::eligibility::ActionKind;
use dispute_rules::flat::Value;
use dispute_rules::{Eligibility, Error, Ineligible, Moment, RuleSet, Status};
use std::fmt::Write as _;
use std::sync::Arc;

/// The result columns, in order.
pub(crate) const COLUMNS: [&str; 14] = [
    "row",
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

const STATUSES: [Status; 4] = [
    Status::Eligible,
    Status::NotYet,
    Status::Closed,
    Status::Blocked,
];

const fn status_key(s: Status) -> i8 {
    match s {
        Status::Eligible => 0,
        Status::NotYet => 1,
        Status::Closed => 2,
        Status::Blocked => 3,
    }
}

const ACTIONS: &[ActionKind] = ActionKind::ALL;

/// The dictionary key of an action: its place in [`ActionKind::ALL`] (every
/// action is there; none is a null, never a panic).
fn action_key(a: ActionKind) -> Option<i8> {
    ACTIONS
        .iter()
        .position(|x| *x == a)
        .and_then(|i| i8::try_from(i).ok())
}

fn code_key(c: Ineligible) -> Option<i8> {
    Ineligible::ALL
        .iter()
        .position(|x| *x == c)
        .and_then(|i| i8::try_from(i).ok())
}

/// The dictionaries of the code columns (every value the engine can give),
/// shared by every batch of a result.
#[derive(Clone)]
pub(crate) struct Dictionaries {
    status: ArrayRef,
    code: ArrayRef,
    action: ArrayRef,
}

impl Dictionaries {
    pub(crate) fn new() -> Self {
        let array = |names: Vec<&'static str>| -> ArrayRef { Arc::new(StringArray::from(names)) };
        Dictionaries {
            status: array(STATUSES.iter().map(|s| s.as_str()).collect()),
            code: array(Ineligible::ALL.iter().map(|c| c.code()).collect()),
            action: array(ACTIONS.iter().map(|a| a.as_str()).collect()),
        }
    }
}

fn utc() -> DataType {
    DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into()))
}

fn rule_field() -> FieldRef {
    Arc::new(Field::new("item", DataType::Utf8, true))
}

/// The result schema; code columns dictionary-encoded or plain strings.
pub(crate) fn schema(dictionary: bool) -> SchemaRef {
    let code = if dictionary {
        DataType::Dictionary(Box::new(DataType::Int8), Box::new(DataType::Utf8))
    } else {
        DataType::Utf8
    };
    let text = |name: &str| Field::new(name, DataType::Utf8, true);
    Arc::new(Schema::new(vec![
        Field::new("row", DataType::Int64, false),
        text("order_id"),
        text("line_id"),
        Field::new("status", code.clone(), true),
        Field::new("code", code.clone(), true),
        Field::new("opens_at", utc(), true),
        Field::new("closes_at", utc(), true),
        Field::new("protection_ends_at", utc(), true),
        Field::new("next_action", code, true),
        Field::new("next_deadline", utc(), true),
        Field::new("rules", DataType::List(rule_field()), true),
        text("error_kind"),
        text("error_field"),
        text("error_message"),
    ]))
}

/// The most urgent next action: the one with the soonest deadline still
/// ahead of `now`, else the first one (with no deadline shown), as the
/// `assess` program's `next_action` and `next_deadline`.
fn next_action(e: &Eligibility, now: DateTime<Utc>) -> Option<(ActionKind, Option<Moment>)> {
    let urgent = e
        .next_actions
        .iter()
        .filter_map(|x| Some((x.kind, x.deadline.filter(|d| d.utc > now)?)))
        .min_by_key(|(_, d)| d.utc);
    match (urgent, e.next_actions.first()) {
        (Some((kind, d)), _) => Some((kind, Some(d))),
        (None, Some(x)) => Some((x.kind, None)),
        (None, None) => None,
    }
}

/// The `rules` column: a list of rule ids per row. Rows share a handful of
/// rule sets, so each set's ids are spelled once and copied as one block.
struct Rules {
    /// Each rule set met, with its ids' bytes and their lengths.
    seen: Vec<(RuleSet, Vec<u8>, Vec<i32>)>,
    lists: Vec<i32>,
    ends: Vec<i32>,
    bytes: Vec<u8>,
    valid: NullBufferBuilder,
}

impl Rules {
    fn with_capacity(n: usize) -> Self {
        let mut lists = Vec::with_capacity(n + 1);
        lists.push(0);
        let mut ends = Vec::with_capacity(n * 7 + 1);
        ends.push(0);
        Rules {
            seen: Vec::new(),
            lists,
            ends,
            bytes: Vec::with_capacity(n * 30),
            valid: NullBufferBuilder::new(n),
        }
    }

    fn append(&mut self, rules: RuleSet) {
        let k = match self.seen.iter().position(|(r, ..)| *r == rules) {
            Some(k) => k,
            None => {
                let ids: Vec<&str> = rules.iter().map(|r| r.id()).collect();
                let lens = ids.iter().map(|s| i32::try_from(s.len()).unwrap_or(0)).collect();
                self.seen.push((rules, ids.concat().into_bytes(), lens));
                self.seen.len() - 1
            }
        };
        if let Some((_, bytes, lens)) = self.seen.get(k) {
            self.bytes.extend_from_slice(bytes);
            let mut end = self.ends.last().copied().unwrap_or(0);
            for len in lens {
                end += len;
                self.ends.push(end);
            }
        }
        self.close(true);
    }

    fn close(&mut self, valid: bool) {
        let n = i32::try_from(self.ends.len() - 1).unwrap_or(i32::MAX);
        self.lists.push(n);
        self.valid.append(valid);
    }

    fn finish(mut self) -> Result<ListArray, ArrowError> {
        let ids = StringArray::try_new(
            OffsetBuffer::new(self.ends.into()),
            self.bytes.into(),
            None,
        )?;
        ListArray::try_new(
            rule_field(),
            OffsetBuffer::new(self.lists.into()),
            Arc::new(ids),
            self.valid.finish(),
        )
    }
}

/// Builds one result batch, row by row.
pub(crate) struct Out {
    row: Int64Builder,
    /// The ids, unless they are taken from the input as they are.
    ids: [Option<StringBuilder>; 2],
    status: Int8Builder,
    code: Int8Builder,
    opens_at: TimestampMicrosecondBuilder,
    closes_at: TimestampMicrosecondBuilder,
    protection_ends_at: TimestampMicrosecondBuilder,
    next_action: Int8Builder,
    next_deadline: TimestampMicrosecondBuilder,
    rules: Rules,
    error_kind: StringBuilder,
    error_field: StringBuilder,
    error_message: StringBuilder,
}

fn stamps(n: usize) -> TimestampMicrosecondBuilder {
    TimestampMicrosecondBuilder::with_capacity(n).with_data_type(utc())
}

fn micros(m: Option<&Moment>) -> Option<i64> {
    m.map(|m| m.utc.timestamp_micros())
}

/// Appends an id cell as text (an integer as its digits).
fn id(b: &mut GenericStringBuilder<i32>, v: Value<'_>) {
    match v {
        Value::Text(s) => b.append_value(s),
        Value::Int(n) => {
            let _ = write!(b, "{n}");
            b.append_value("");
        }
        Value::UInt(n) => {
            let _ = write!(b, "{n}");
            b.append_value("");
        }
        _ => b.append_null(),
    }
}

impl Out {
    /// A batch of `n` rows; `copy_ids`: whether `order_id` and `line_id`
    /// are built (else given to [`Out::finish`]).
    pub(crate) fn with_capacity(n: usize, copy_ids: [bool; 2]) -> Self {
        Out {
            row: Int64Builder::with_capacity(n),
            ids: copy_ids.map(|copy| copy.then(|| StringBuilder::with_capacity(n, n * 16))),
            status: Int8Builder::with_capacity(n),
            code: Int8Builder::with_capacity(n),
            opens_at: stamps(n),
            closes_at: stamps(n),
            protection_ends_at: stamps(n),
            next_action: Int8Builder::with_capacity(n),
            next_deadline: stamps(n),
            rules: Rules::with_capacity(n),
            error_kind: StringBuilder::new(),
            error_field: StringBuilder::new(),
            error_message: StringBuilder::new(),
        }
    }

    fn ids(&mut self, row: i64, ids: (Value<'_>, Value<'_>)) {
        self.row.append_value(row);
        let [order_id, line_id] = &mut self.ids;
        if let Some(b) = order_id {
            id(b, ids.0);
        }
        if let Some(b) = line_id {
            id(b, ids.1);
        }
    }

    /// An answered row.
    pub(crate) fn answer(
        &mut self,
        row: i64,
        ids: (Value<'_>, Value<'_>),
        e: &Eligibility,
        now: DateTime<Utc>,
    ) {
        self.ids(row, ids);
        self.status.append_value(status_key(e.status));
        self.code.append_option(e.code.and_then(code_key));
        let w = e.window.as_ref();
        self.opens_at.append_option(micros(w.map(|w| &w.opens_at)));
        self.closes_at.append_option(micros(w.map(|w| &w.closes_at)));
        self.protection_ends_at
            .append_option(micros(e.protection_end.as_ref()));
        let next = next_action(e, now);
        self.next_action
            .append_option(next.and_then(|(k, _)| action_key(k)));
        self.next_deadline
            .append_option(micros(next.and_then(|(_, d)| d).as_ref()));
        self.rules.append(e.rules);
        self.error_kind.append_null();
        self.error_field.append_null();
        self.error_message.append_null();
    }

    /// A row that failed: its error's kind, first field and whole message.
    pub(crate) fn error(&mut self, row: i64, ids: (Value<'_>, Value<'_>), e: &Error) {
        self.failure(row, ids, e.kind().as_str(), &e.field(), &e.to_string());
    }

    /// A row that failed, from its parts.
    pub(crate) fn failure(
        &mut self,
        row: i64,
        ids: (Value<'_>, Value<'_>),
        kind: &str,
        field: &str,
        message: &str,
    ) {
        self.ids(row, ids);
        self.status.append_null();
        self.code.append_null();
        self.opens_at.append_null();
        self.closes_at.append_null();
        self.protection_ends_at.append_null();
        self.next_action.append_null();
        self.next_deadline.append_null();
        self.rules.close(false);
        self.error_kind.append_value(kind);
        self.error_field.append_value(field);
        self.error_message.append_value(message);
    }

    /// The batch, with the code columns dictionary-encoded or not, and the
    /// ids not built here.
    pub(crate) fn finish(
        mut self,
        ids: [Option<ArrayRef>; 2],
        schema: &SchemaRef,
        dicts: &Dictionaries,
        dictionary: bool,
    ) -> Result<RecordBatch, ArrowError> {
        let code = |keys: Int8Array, values: &ArrayRef| -> Result<ArrayRef, ArrowError> {
            if dictionary {
                return Ok(Arc::new(DictionaryArray::<Int8Type>::try_new(
                    keys,
                    values.clone(),
                )?));
            }
            let names = values.as_any().downcast_ref::<StringArray>();
            Ok(Arc::new(
                keys.iter()
                    .map(|k| {
                        let i = usize::try_from(k?).ok()?;
                        names.filter(|n| i < n.len()).map(|n| n.value(i))
                    })
                    .collect::<StringArray>(),
            ))
        };
        let [order_id, line_id] = self.ids;
        let id = |built: Option<StringBuilder>, given: Option<ArrayRef>| -> ArrayRef {
            match (built, given) {
                (Some(mut b), _) => Arc::new(b.finish()),
                (None, Some(a)) => a,
                (None, None) => Arc::new(StringArray::new_null(0)),
            }
        };
        let [order_given, line_given] = ids;
        let columns: Vec<ArrayRef> = vec![
            Arc::new(self.row.finish()),
            id(order_id, order_given),
            id(line_id, line_given),
            code(self.status.finish(), &dicts.status)?,
            code(self.code.finish(), &dicts.code)?,
            Arc::new(self.opens_at.finish()),
            Arc::new(self.closes_at.finish()),
            Arc::new(self.protection_ends_at.finish()),
            code(self.next_action.finish(), &dicts.action)?,
            Arc::new(self.next_deadline.finish()),
            Arc::new(self.rules.finish()?),
            Arc::new(self.error_kind.finish()),
            Arc::new(self.error_field.finish()),
            Arc::new(self.error_message.finish()),
        ];
        RecordBatch::try_new(schema.clone(), columns)
    }
}
