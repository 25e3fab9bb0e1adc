//! A compact JSON writer for answers: byte for byte what
//! `serde_json::to_string` writes, faster.
//!
//! Most of an answer is text that needs no escaping (keys, codes, RFC 3339
//! instants, fixed English sentences): runs without a byte to escape are
//! found eight bytes at a time and copied whole, instead of being looked at
//! byte by byte. Anything this writer does not handle exactly as serde_json
//! does (floating point, map keys that are not strings or integers, raw
//! bytes) is an error, and the caller falls back to serde_json.

use serde::ser::{self, Impossible, Serialize};
use std::fmt::{self, Write as _};

pub(super) mod full;

/// Writes `value` as compact JSON; `None` when the value uses something
/// this writer leaves to serde_json.
pub(crate) fn to_string<T: Serialize + ?Sized>(value: &T) -> Option<String> {
    to_string_with_capacity(value, 1024)
}

/// [`to_string`] into a buffer of `capacity` bytes to start with.
pub(crate) fn to_string_with_capacity<T: Serialize + ?Sized>(
    value: &T,
    capacity: usize,
) -> Option<String> {
    let mut out = String::with_capacity(capacity);
    value.serialize(Writer { out: &mut out }).ok()?;
    Some(out)
}

/// Appends `s` to `out` as a JSON string, escaped as serde_json escapes.
#[inline]
pub(crate) fn push_json_str(out: &mut String, s: &str) {
    out.reserve(s.len() + 2);
    out.push('"');
    if is_clean(s.as_bytes()) {
        out.push_str(s);
    } else {
        push_escaped(out, s);
    }
    out.push('"');
}

/// Appends a name from the code (a variant's name or `rename`, never data)
/// as a JSON string, without an escape check, as struct keys are written
/// (the tests compare every answer with serde_json's).
#[inline]
fn push_name(out: &mut String, name: &'static str) {
    out.reserve(name.len() + 2);
    out.push('"');
    out.push_str(name);
    out.push('"');
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// The high bit of each of the eight bytes of `w` that needs escaping
/// (below 0x20, `"` or `\`) is set in the answer, maybe with others: a
/// word with none of them gives 0 (no false negatives).
#[inline]
const fn escape_flags(w: u64) -> u64 {
    let below_space = w.wrapping_sub(ONES * 0x20) & !w;
    let q = w ^ (ONES * b'"' as u64);
    let quote = q.wrapping_sub(ONES) & !q;
    let b = w ^ (ONES * b'\\' as u64);
    let backslash = b.wrapping_sub(ONES) & !b;
    (below_space | quote | backslash) & HIGHS
}

const fn needs_escape(b: u8) -> bool {
    b < 0x20 || b == b'"' || b == b'\\'
}

/// Whether no byte of `bytes` needs escaping: eight bytes at a time, with
/// no early exit (the common answer: nothing to escape).
#[inline]
fn is_clean(bytes: &[u8]) -> bool {
    let words = bytes.chunks_exact(8);
    // The last eight bytes (overlapping the last whole word), or the few
    // bytes of a short text padded with spaces.
    let tail = match bytes.len().checked_sub(8) {
        Some(at) => bytes
            .get(at..)
            .and_then(|w| <[u8; 8]>::try_from(w).ok())
            .unwrap_or([b' '; 8]),
        None => {
            let mut tail = [b' '; 8];
            for (t, &b) in tail.iter_mut().zip(bytes) {
                *t = b;
            }
            tail
        }
    };
    let mut acc = escape_flags(u64::from_le_bytes(tail));
    for w in words {
        acc |= escape_flags(u64::from_le_bytes(<[u8; 8]>::try_from(w).unwrap_or([0; 8])));
    }
    acc == 0
}

/// Appends `s` escaped (the slow path, for text with something to escape).
fn push_escaped(out: &mut String, s: &str) {
    let bytes = s.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if !needs_escape(b) {
            continue;
        }
        // `i` is at an ASCII byte: always a char boundary.
        out.push_str(s.get(start..i).unwrap_or_default());
        start = i + 1;
        match b {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            0x08 => out.push_str("\\b"),
            0x0c => out.push_str("\\f"),
            _ => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.push_str("\\u00");
                out.push(char::from(
                    HEX.get(usize::from(b >> 4)).copied().unwrap_or(b'0'),
                ));
                out.push(char::from(
                    HEX.get(usize::from(b & 15)).copied().unwrap_or(b'0'),
                ));
            }
        }
    }
    out.push_str(s.get(start..).unwrap_or_default());
}

/// Appends `value` through the serde path of this writer (the parts of an
/// answer with no hand-written writer, such as explanations).
pub(crate) fn push_serde<T: Serialize + ?Sized>(out: &mut String, value: &T) -> Result {
    value.serialize(Writer { out })
}

/// Answers written field by field, without serde: byte for byte what
/// serde_json writes for their [`Serialize`] forms (the tests compare the
/// two on every sample answer). Names from the code (variant names, codes,
/// rule ids) are written without an escape check, as struct keys are (a
/// test checks each against serde_json); English texts and data go through
/// [`push_json_str`].
pub(crate) trait WriteJson {
    /// Appends `self` as compact JSON; an error when some part is left to
    /// serde_json (the caller then writes the whole answer with serde_json).
    fn write(&self, out: &mut Out<'_>) -> Result;

    /// [`WriteJson::write`] into a string.
    fn write_json(&self, out: &mut String) -> Result {
        self.write(&mut Out::new(out))
    }
}

/// The key of a moment's text: its instant, zone and offset (the text is
/// a function of these alone).
type MomentKey = (chrono::DateTime<chrono::Utc>, chrono_tz::Tz, i32);

/// How many distinct moments an answer remembers (an eligibility answer
/// has at most four, a timeline a dozen; more are written again).
const SEEN: usize = 12;

/// The answer being written, with the moments already written in it: an
/// answer names the same instants several times (the window in
/// `eligibility.window`, its next action and the timeline), and a moment
/// written before is copied from the answer instead of formatted again.
pub(crate) struct Out<'a> {
    out: &'a mut String,
    seen: [Option<(MomentKey, usize, usize)>; SEEN],
    n: usize,
}

impl<'a> Out<'a> {
    pub(crate) fn new(out: &'a mut String) -> Out<'a> {
        Out {
            out,
            seen: [None; SEEN],
            n: 0,
        }
    }

    /// Appends a moment's JSON object (see `Moment::write_json`).
    fn moment(&mut self, m: &crate::calendar::Moment) {
        let key = m.json_key();
        let seen = self.seen.get(..self.n).unwrap_or_default();
        if let Some(&(_, start, end)) = seen.iter().flatten().find(|(k, _, _)| *k == key) {
            // Copied through a stack buffer: `out` cannot lend a part of
            // itself to its own `push_str`. A moment's text is at most 97
            // bytes (see `rfc3339::push_moment_json`).
            let mut buf = [0u8; 104];
            let len = end - start;
            if let (Some(dst), Some(src)) =
                (buf.get_mut(..len), self.out.as_bytes().get(start..end))
            {
                dst.copy_from_slice(src);
                if let Ok(text) = std::str::from_utf8(dst) {
                    self.out.push_str(text);
                    return;
                }
            }
        }
        let start = self.out.len();
        m.write_json(self.out);
        if let Some(slot) = self.seen.get_mut(self.n) {
            *slot = Some((key, start, self.out.len()));
            self.n += 1;
        }
    }
}

impl std::ops::Deref for Out<'_> {
    type Target = String;
    fn deref(&self) -> &String {
        self.out
    }
}

impl std::ops::DerefMut for Out<'_> {
    fn deref_mut(&mut self) -> &mut String {
        self.out
    }
}

fn push_opt_moment(out: &mut Out<'_>, m: Option<&crate::calendar::Moment>) {
    match m {
        Some(m) => out.moment(m),
        None => out.push_str("null"),
    }
}

/// The English text the code gives an action of kind `kind` (a copy of
/// the texts of `eligibility::next_actions`; a test checks that they need
/// no escaping and that the sample answers use no other).
pub(super) const fn action_text(kind: crate::eligibility::ActionKind) -> &'static str {
    use crate::eligibility::ActionKind as K;
    match kind {
        K::OpenDispute => "open the dispute within the window",
        K::OpenDisputeIfExtensionNotApproved => "if the seller has not approved the extension by then, open the dispute before protection ends",
        K::RequestExtension => "if the goods are still on the way, ask the seller to extend protection before this, so there is time to wait for approval",
        K::FollowOpenDispute => "a dispute is already open on this line: answer it there",
        K::ConsiderChargeback => "the platform's window is closed; as a last resort, a chargeback with the card issuer may be possible",
    }
}

/// The English text the code gives a timeline entry of milestone `m` (a
/// copy of the texts of `timeline::build_checked`, checked as
/// [`action_text`]).
pub(super) const fn entry_text(m: crate::timeline::Milestone) -> &'static str {
    use crate::timeline::Milestone as M;
    match m {
        M::Shipped | M::ReceiptConfirmed | M::ExtensionRequested => "",
        M::ExtensionWaitEnds => "wait for the seller's approval; if none by then, open the dispute",
        M::DisputeWindowOpens => "gather evidence: tracking, photos, messages with the seller",
        M::ExtensionRequestDeadline => {
            "request a protection extension if the goods are still on the way"
        }
        M::ProtectionEnds => "open a dispute or get an extension approved",
        M::ExtendedProtectionEnds => "open a dispute if the goods have not arrived",
        M::DeliveredCutEnds => "open a dispute if the delivered goods never arrived",
        M::ConfirmationWindowEnds => "open a dispute about the goods received",
        M::DisputeWindowCloses => "open the dispute; after this no dispute can be opened",
    }
}

/// Appends `text` as a JSON string: without an escape check when it is
/// `known` (a text from the code, checked by the tests), else escaped.
#[inline]
fn push_text(out: &mut String, text: &str, known: &'static str) {
    if std::ptr::eq(text, known) || text == known {
        push_name(out, known);
    } else {
        push_json_str(out, text);
    }
}

#[inline]
fn push_rules(out: &mut String, rules: crate::rules::RuleSet) {
    out.push('[');
    // The set's rules in the order of the rules reference, stopping at the
    // last one (most answers cite only the first rules of the reference).
    for (i, r) in rules.iter().take(rules.len()).enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_name(out, r.id());
    }
    out.push(']');
}

fn push_seq<T: WriteJson>(out: &mut Out<'_>, items: &[T]) -> Result {
    out.push('[');
    for (i, x) in items.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        x.write(out)?;
    }
    out.push(']');
    Ok(())
}

fn push_explanation(out: &mut Out<'_>, e: Option<&crate::explain::Explanation>) -> Result {
    if let Some(e) = e {
        out.push_str(",\"explanation\":");
        push_serde(out, e)?;
    }
    Ok(())
}

impl WriteJson for crate::eligibility::Window {
    fn write(&self, out: &mut Out<'_>) -> Result {
        out.push_str("{\"opens_at\":");
        out.moment(&self.opens_at);
        out.push_str(",\"closes_at\":");
        out.moment(&self.closes_at);
        out.push('}');
        Ok(())
    }
}

impl WriteJson for crate::eligibility::Action {
    fn write(&self, out: &mut Out<'_>) -> Result {
        out.push_str("{\"kind\":");
        push_name(out, self.kind.as_str());
        if let Some(m) = &self.from {
            out.push_str(",\"from\":");
            out.moment(m);
        }
        if let Some(m) = &self.deadline {
            out.push_str(",\"deadline\":");
            out.moment(m);
        }
        out.push_str(",\"rule\":");
        push_name(out, self.rule.id());
        out.push_str(",\"text\":");
        push_text(out, self.text, action_text(self.kind));
        out.push('}');
        Ok(())
    }
}

impl WriteJson for crate::eligibility::Eligibility {
    fn write(&self, out: &mut Out<'_>) -> Result {
        out.push_str("{\"status\":");
        push_name(out, self.status.as_str());
        out.push_str(",\"code\":");
        match self.code {
            Some(c) => push_name(out, c.code()),
            None => out.push_str("null"),
        }
        out.push_str(",\"window\":");
        match &self.window {
            Some(w) => w.write(out)?,
            None => out.push_str("null"),
        }
        out.push_str(",\"protection_end\":");
        push_opt_moment(out, self.protection_end.as_ref());
        out.push_str(",\"rules\":");
        push_rules(out, self.rules);
        out.push_str(",\"next_actions\":");
        push_seq(out, &self.next_actions)?;
        push_explanation(out, self.explanation.as_ref())?;
        out.push('}');
        Ok(())
    }
}

impl WriteJson for crate::timeline::Entry {
    fn write(&self, out: &mut Out<'_>) -> Result {
        out.push_str("{\"milestone\":");
        push_name(out, self.milestone.as_str());
        out.push_str(",\"at\":");
        out.moment(&self.at);
        out.push_str(",\"rule\":");
        push_name(out, self.rule.id());
        out.push_str(if self.passed {
            ",\"passed\":true,\"before\":"
        } else {
            ",\"passed\":false,\"before\":"
        });
        push_text(out, self.before, entry_text(self.milestone));
        out.push('}');
        Ok(())
    }
}

impl WriteJson for crate::timeline::Timeline {
    fn write(&self, out: &mut Out<'_>) -> Result {
        out.push_str("{\"entries\":");
        push_seq(out, &self.entries)?;
        out.push_str(",\"rules\":");
        push_rules(out, self.rules);
        push_explanation(out, self.explanation.as_ref())?;
        out.push('}');
        Ok(())
    }
}

/// The fields of an [`Assessment`](super::Assessment), without the braces
/// (shared with the flattened full assessment).
fn push_assessment_fields(out: &mut Out<'_>, a: &super::Assessment) -> Result {
    out.push_str("\"order_id\":");
    push_json_str(out, &a.order_id);
    out.push_str(",\"line_id\":");
    push_json_str(out, &a.line_id);
    out.push_str(",\"eligibility\":");
    a.eligibility.write(out)?;
    out.push_str(",\"timeline\":");
    a.timeline.write(out)
}

impl WriteJson for super::Assessment {
    fn write(&self, out: &mut Out<'_>) -> Result {
        out.push('{');
        push_assessment_fields(out, self)?;
        out.push('}');
        Ok(())
    }
}

impl WriteJson for super::OrderAnswer {
    fn write(&self, out: &mut Out<'_>) -> Result {
        match self {
            super::OrderAnswer::Eligibility(e) => e.write(out),
            super::OrderAnswer::Timeline(t) => t.write(out),
            super::OrderAnswer::EligibilityTimeline(a) => a.write(out),
            super::OrderAnswer::Assess(a) => a.write(out),
        }
    }
}

/// The assessment part, then the reasons, checklist, claim and prediction
/// (see [`full`]; `#[serde(flatten)]` writes the same object as these
/// fields in this order).
impl WriteJson for super::FullAssessment {
    fn write(&self, out: &mut Out<'_>) -> Result {
        out.push('{');
        push_assessment_fields(out, &self.assessment)?;
        full::push_full_parts(out, self)?;
        out.push('}');
        Ok(())
    }
}

/// Appends an unsigned integer in decimal.
fn push_u64(out: &mut String, v: u64) {
    if v < 10 {
        out.push(char::from(b'0' + v as u8));
        return;
    }
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    let mut v = v;
    while v > 0 {
        i -= 1;
        if let Some(b) = buf.get_mut(i) {
            *b = b'0' + (v % 10) as u8;
        }
        v /= 10;
    }
    for &d in buf.get(i..).unwrap_or_default() {
        out.push(char::from(d));
    }
}

/// Appends a `usize` in decimal.
pub(crate) fn push_usize(out: &mut String, v: usize) {
    match u64::try_from(v) {
        Ok(v) => push_u64(out, v),
        Err(_) => {
            let _ = write!(out, "{v}");
        }
    }
}

fn push_i64(out: &mut String, v: i64) {
    if v < 0 {
        out.push('-');
    }
    push_u64(out, v.unsigned_abs());
}

/// Appends a 128-bit unsigned integer in decimal (rare: the slow way).
fn push_u128(out: &mut String, v: u128) {
    match u64::try_from(v) {
        Ok(small) => push_u64(out, small),
        Err(_) => {
            let _ = write!(out, "{v}");
        }
    }
}

fn push_i128(out: &mut String, v: i128) {
    if v < 0 {
        out.push('-');
    }
    push_u128(out, v.unsigned_abs());
}

/// The writer's error: something left to serde_json.
#[derive(Debug)]
pub(crate) struct Unsupported;

impl fmt::Display for Unsupported {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("left to serde_json")
    }
}

impl std::error::Error for Unsupported {}

impl ser::Error for Unsupported {
    fn custom<T: fmt::Display>(_msg: T) -> Self {
        Unsupported
    }
}

type Result<T = ()> = std::result::Result<T, Unsupported>;

struct Writer<'a> {
    out: &'a mut String,
}

/// An object or array being written.
struct Compound<'a> {
    out: &'a mut String,
    first: bool,
    /// The closing bytes (`}`, `]`, or `]}` / `}}` for enum variants).
    close: &'static str,
}

impl Compound<'_> {
    fn comma(&mut self) {
        if self.first {
            self.first = false;
        } else {
            self.out.push(',');
        }
    }

    /// A struct field's key: a name from the code (a Rust identifier or a
    /// `rename`), never data, so written without an escape check (the tests
    /// compare every answer with serde_json's).
    fn key(&mut self, key: &'static str) {
        self.out.reserve(key.len() + 4);
        self.comma();
        self.out.push('"');
        self.out.push_str(key);
        self.out.push_str("\":");
    }

    fn end(self) -> Result {
        self.out.push_str(self.close);
        Ok(())
    }
}

impl<'a> Writer<'a> {
    fn open(self, open: &str, close: &'static str) -> Compound<'a> {
        self.out.push_str(open);
        Compound {
            out: self.out,
            first: true,
            close,
        }
    }

    fn variant_open(self, variant: &'static str, open: char, close: &'static str) -> Compound<'a> {
        self.out.push('{');
        push_name(self.out, variant);
        self.out.push(':');
        self.out.push(open);
        Compound {
            out: self.out,
            first: true,
            close,
        }
    }
}

impl<'a> ser::Serializer for Writer<'a> {
    type Ok = ();
    type Error = Unsupported;
    type SerializeSeq = Compound<'a>;
    type SerializeTuple = Compound<'a>;
    type SerializeTupleStruct = Compound<'a>;
    type SerializeTupleVariant = Compound<'a>;
    type SerializeMap = Compound<'a>;
    type SerializeStruct = Compound<'a>;
    type SerializeStructVariant = Compound<'a>;

    fn serialize_bool(self, v: bool) -> Result {
        self.out.push_str(if v { "true" } else { "false" });
        Ok(())
    }
    fn serialize_i8(self, v: i8) -> Result {
        push_i64(self.out, i64::from(v));
        Ok(())
    }
    fn serialize_i16(self, v: i16) -> Result {
        push_i64(self.out, i64::from(v));
        Ok(())
    }
    fn serialize_i32(self, v: i32) -> Result {
        push_i64(self.out, i64::from(v));
        Ok(())
    }
    fn serialize_i64(self, v: i64) -> Result {
        push_i64(self.out, v);
        Ok(())
    }
    fn serialize_i128(self, v: i128) -> Result {
        push_i128(self.out, v);
        Ok(())
    }
    fn serialize_u8(self, v: u8) -> Result {
        push_u64(self.out, u64::from(v));
        Ok(())
    }
    fn serialize_u16(self, v: u16) -> Result {
        push_u64(self.out, u64::from(v));
        Ok(())
    }
    fn serialize_u32(self, v: u32) -> Result {
        push_u64(self.out, u64::from(v));
        Ok(())
    }
    fn serialize_u64(self, v: u64) -> Result {
        push_u64(self.out, v);
        Ok(())
    }
    fn serialize_u128(self, v: u128) -> Result {
        push_u128(self.out, v);
        Ok(())
    }
    fn serialize_f32(self, _v: f32) -> Result {
        Err(Unsupported)
    }
    fn serialize_f64(self, _v: f64) -> Result {
        Err(Unsupported)
    }
    fn serialize_char(self, v: char) -> Result {
        let mut buf = [0u8; 4];
        push_json_str(self.out, v.encode_utf8(&mut buf));
        Ok(())
    }
    fn serialize_str(self, v: &str) -> Result {
        push_json_str(self.out, v);
        Ok(())
    }
    fn serialize_bytes(self, _v: &[u8]) -> Result {
        Err(Unsupported)
    }
    fn serialize_none(self) -> Result {
        self.out.push_str("null");
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result {
        self.out.push_str("null");
        Ok(())
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result {
        self.serialize_unit()
    }
    fn serialize_unit_variant(self, _n: &'static str, _i: u32, variant: &'static str) -> Result {
        push_name(self.out, variant);
        Ok(())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _n: &'static str,
        _i: u32,
        variant: &'static str,
        value: &T,
    ) -> Result {
        self.out.push('{');
        push_name(self.out, variant);
        self.out.push(':');
        value.serialize(Writer { out: self.out })?;
        self.out.push('}');
        Ok(())
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Compound<'a>> {
        Ok(self.open("[", "]"))
    }
    fn serialize_tuple(self, _len: usize) -> Result<Compound<'a>> {
        Ok(self.open("[", "]"))
    }
    fn serialize_tuple_struct(self, _n: &'static str, _len: usize) -> Result<Compound<'a>> {
        Ok(self.open("[", "]"))
    }
    fn serialize_tuple_variant(
        self,
        _n: &'static str,
        _i: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Compound<'a>> {
        Ok(self.variant_open(variant, '[', "]}"))
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Compound<'a>> {
        Ok(self.open("{", "}"))
    }
    fn serialize_struct(self, _n: &'static str, _len: usize) -> Result<Compound<'a>> {
        Ok(self.open("{", "}"))
    }
    fn serialize_struct_variant(
        self,
        _n: &'static str,
        _i: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Compound<'a>> {
        Ok(self.variant_open(variant, '{', "}}"))
    }
    fn collect_str<T: fmt::Display + ?Sized>(self, value: &T) -> Result {
        self.out.push('"');
        write!(Escaping { out: self.out }, "{value}").map_err(|_| Unsupported)?;
        self.out.push('"');
        Ok(())
    }
}

/// Escapes what `Display` writes.
struct Escaping<'a> {
    out: &'a mut String,
}

impl fmt::Write for Escaping<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        if is_clean(s.as_bytes()) {
            self.out.push_str(s);
        } else {
            push_escaped(self.out, s);
        }
        Ok(())
    }
}

impl ser::SerializeSeq for Compound<'_> {
    type Ok = ();
    type Error = Unsupported;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result {
        self.comma();
        value.serialize(Writer { out: self.out })
    }
    fn end(self) -> Result {
        Compound::end(self)
    }
}

impl ser::SerializeTuple for Compound<'_> {
    type Ok = ();
    type Error = Unsupported;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> Result {
        Compound::end(self)
    }
}

impl ser::SerializeTupleStruct for Compound<'_> {
    type Ok = ();
    type Error = Unsupported;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> Result {
        Compound::end(self)
    }
}

impl ser::SerializeTupleVariant for Compound<'_> {
    type Ok = ();
    type Error = Unsupported;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> Result {
        Compound::end(self)
    }
}

impl ser::SerializeMap for Compound<'_> {
    type Ok = ();
    type Error = Unsupported;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result {
        self.comma();
        key.serialize(KeyWriter { out: self.out })?;
        self.out.push(':');
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result {
        value.serialize(Writer { out: self.out })
    }
    fn end(self) -> Result {
        Compound::end(self)
    }
}

impl ser::SerializeStruct for Compound<'_> {
    type Ok = ();
    type Error = Unsupported;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result {
        self.key(key);
        value.serialize(Writer { out: self.out })
    }
    fn end(self) -> Result {
        Compound::end(self)
    }
}

impl ser::SerializeStructVariant for Compound<'_> {
    type Ok = ();
    type Error = Unsupported;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result {
        ser::SerializeStruct::serialize_field(self, key, value)
    }
    fn end(self) -> Result {
        Compound::end(self)
    }
}

/// Map keys: strings, unit variants and integers (quoted), as serde_json
/// writes them; anything else is left to serde_json.
struct KeyWriter<'a> {
    out: &'a mut String,
}

impl KeyWriter<'_> {
    fn quoted(self, f: impl FnOnce(&mut String)) -> Result {
        self.out.push('"');
        f(self.out);
        self.out.push('"');
        Ok(())
    }
}

impl ser::Serializer for KeyWriter<'_> {
    type Ok = ();
    type Error = Unsupported;
    type SerializeSeq = Impossible<(), Unsupported>;
    type SerializeTuple = Impossible<(), Unsupported>;
    type SerializeTupleStruct = Impossible<(), Unsupported>;
    type SerializeTupleVariant = Impossible<(), Unsupported>;
    type SerializeMap = Impossible<(), Unsupported>;
    type SerializeStruct = Impossible<(), Unsupported>;
    type SerializeStructVariant = Impossible<(), Unsupported>;

    fn serialize_str(self, v: &str) -> Result {
        push_json_str(self.out, v);
        Ok(())
    }
    fn serialize_unit_variant(self, _n: &'static str, _i: u32, variant: &'static str) -> Result {
        push_name(self.out, variant);
        Ok(())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result {
        value.serialize(self)
    }
    fn serialize_i8(self, v: i8) -> Result {
        self.quoted(|o| push_i64(o, i64::from(v)))
    }
    fn serialize_i16(self, v: i16) -> Result {
        self.quoted(|o| push_i64(o, i64::from(v)))
    }
    fn serialize_i32(self, v: i32) -> Result {
        self.quoted(|o| push_i64(o, i64::from(v)))
    }
    fn serialize_i64(self, v: i64) -> Result {
        self.quoted(|o| push_i64(o, v))
    }
    fn serialize_u8(self, v: u8) -> Result {
        self.quoted(|o| push_u64(o, u64::from(v)))
    }
    fn serialize_u16(self, v: u16) -> Result {
        self.quoted(|o| push_u64(o, u64::from(v)))
    }
    fn serialize_u32(self, v: u32) -> Result {
        self.quoted(|o| push_u64(o, u64::from(v)))
    }
    fn serialize_u64(self, v: u64) -> Result {
        self.quoted(|o| push_u64(o, v))
    }
    fn serialize_bool(self, _v: bool) -> Result {
        Err(Unsupported)
    }
    fn serialize_f32(self, _v: f32) -> Result {
        Err(Unsupported)
    }
    fn serialize_f64(self, _v: f64) -> Result {
        Err(Unsupported)
    }
    fn serialize_char(self, _v: char) -> Result {
        Err(Unsupported)
    }
    fn serialize_bytes(self, _v: &[u8]) -> Result {
        Err(Unsupported)
    }
    fn serialize_none(self) -> Result {
        Err(Unsupported)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, _value: &T) -> Result {
        Err(Unsupported)
    }
    fn serialize_unit(self) -> Result {
        Err(Unsupported)
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result {
        Err(Unsupported)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _n: &'static str,
        _i: u32,
        _v: &'static str,
        _value: &T,
    ) -> Result {
        Err(Unsupported)
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Self::SerializeSeq> {
        Err(Unsupported)
    }
    fn serialize_tuple(self, _len: usize) -> Result<Self::SerializeTuple> {
        Err(Unsupported)
    }
    fn serialize_tuple_struct(
        self,
        _n: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleStruct> {
        Err(Unsupported)
    }
    fn serialize_tuple_variant(
        self,
        _n: &'static str,
        _i: u32,
        _v: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleVariant> {
        Err(Unsupported)
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Self::SerializeMap> {
        Err(Unsupported)
    }
    fn serialize_struct(self, _n: &'static str, _len: usize) -> Result<Self::SerializeStruct> {
        Err(Unsupported)
    }
    fn serialize_struct_variant(
        self,
        _n: &'static str,
        _i: u32,
        _v: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStructVariant> {
        Err(Unsupported)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde::Serialize;
    use std::collections::BTreeMap;

    fn same<T: Serialize>(v: &T) {
        let want = serde_json::to_string(v).ok();
        assert_eq!(to_string(v), want);
    }

    #[derive(Serialize)]
    #[serde(tag = "result", rename_all = "snake_case")]
    enum Tagged {
        Success { answer: Vec<Option<u8>> },
        Failure { error: String },
    }

    #[derive(Serialize)]
    enum External {
        Unit,
        New(i64),
        Tuple(u8, String),
        Struct { a: bool, b: () },
    }

    #[derive(Serialize)]
    struct Inner {
        x: u32,
        y: &'static str,
    }

    #[derive(Serialize)]
    struct Outer {
        #[serde(flatten)]
        inner: Inner,
        #[serde(skip_serializing_if = "Option::is_none")]
        skipped: Option<u8>,
        list: Vec<External>,
        map: BTreeMap<String, i32>,
        numbers: BTreeMap<u32, char>,
        unit: (),
        tuple: (i8, u128, i128),
        tagged: Vec<Tagged>,
    }

    #[test]
    fn writes_what_serde_json_writes() {
        same(&Outer {
            inner: Inner {
                x: 7,
                y: "a \"quoted\" \\ path\n\t\u{1}\u{7f} é 🎉",
            },
            skipped: None,
            list: vec![
                External::Unit,
                External::New(-42),
                External::Tuple(3, "t".into()),
                External::Struct { a: true, b: () },
            ],
            map: BTreeMap::from([("k\"1".into(), -1), (String::new(), i32::MIN)]),
            numbers: BTreeMap::from([(0, 'a'), (u32::MAX, '"')]),
            unit: (),
            tuple: (i8::MIN, u128::MAX, i128::MIN),
            tagged: vec![
                Tagged::Success {
                    answer: vec![None, Some(255)],
                },
                Tagged::Failure {
                    error: "\u{8}\u{c}\r".into(),
                },
            ],
        });
        same(&Vec::<u8>::new());
        same(&BTreeMap::<String, u8>::new());
        same(&"");
    }

    #[test]
    fn leaves_floats_and_odd_keys_to_serde_json() {
        assert_eq!(to_string(&1.5f64), None);
        assert_eq!(to_string(&BTreeMap::from([(true, 1)])), None);
    }

    proptest! {
        #[test]
        fn decimals_are_written_as_display_writes_them(
            lo in any::<u32>(), mid in any::<u32>(), hi in any::<u32>(),
            negative in any::<bool>(), scale in 0u32..=28, small in any::<i64>(), shift in 0u32..=28,
        ) {
            use rust_decimal::Decimal;
            for d in [
                Decimal::from_parts(lo, mid, hi, negative, scale),
                Decimal::from_parts(lo, 0, 0, negative, scale),
                Decimal::from_parts(0, 0, 0, negative, scale),
                Decimal::new(small, shift),
                // Negative zeros, as parsing "-0.00" or negating zero makes them.
                -Decimal::from_parts(0, 0, 0, false, scale),
                format!("-0.{}", "0".repeat(shift as usize)).parse().unwrap_or_default(),
            ] {
                let mut out = String::new();
                full::push_decimal(&mut out, &d);
                prop_assert_eq!(out, d.to_string());
            }
        }

        #[test]
        fn strings_are_escaped_as_serde_json_escapes(s in "(?s).{0,80}", t in "[\\x00-\\x7f]{0,40}") {
            prop_assert_eq!(to_string(&s), serde_json::to_string(&s).ok());
            prop_assert_eq!(to_string(&t), serde_json::to_string(&t).ok());
        }
    }
}
