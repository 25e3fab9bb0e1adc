//! The request envelope, read in one pass: the facts, the report and the
//! seller's behaviour are parsed in place; the other documents are kept as
//! raw JSON until an operation reads them.

use crate::error::{Error, Problems};
use crate::explain::Explain;
use crate::facts::OrderFacts;
use crate::lifecycle::Actor;
use crate::outcome::SellerBehaviour;
use crate::policy::Policy;
use crate::reasons::{BuyerReport, Claim};
use chrono::{DateTime, Utc};
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::Deserialize;
use serde_json::value::RawValue;
use std::borrow::Cow;
use std::fmt;

/// A document of the request, parsed when the envelope is read.
#[derive(Debug, Clone)]
enum Part<T> {
    /// Not given, or `null`.
    Absent,
    /// Parsed.
    Value(T),
    /// Given but not valid (fields not yet prefixed).
    Invalid(Error),
}

impl<T> Part<T> {
    fn is_given(&self) -> bool {
        !matches!(self, Part::Absent)
    }
}

/// The request envelope. Unknown fields are refused, and so is a field given
/// twice.
///
/// The order facts, the buyer's report and the seller's behaviour are parsed
/// in place when the envelope is read (a problem with one of them is
/// reported by the operation that reads it, so an operation that does not
/// read the facts is not failed by them); the other documents are kept as raw
/// JSON and parsed by the operation that reads them.
#[derive(Debug)]
pub struct Request<'a> {
    facts: Part<OrderFacts>,
    /// The moment of evaluation (RFC 3339).
    pub now: Option<DateTime<Utc>>,
    /// A preset id or a whole policy; default `aliexpress`.
    pub policy: Option<&'a RawValue>,
    /// Whether to include plain-English explanations.
    pub explain: bool,
    report: Part<BuyerReport>,
    /// A proposed claim.
    pub claim: Option<&'a RawValue>,
    /// A dispute's state or history (lifecycle).
    pub dispute: Option<&'a RawValue>,
    /// A lifecycle event.
    pub event: Option<&'a RawValue>,
    /// Who acts (lifecycle: `buyer`, `seller`, `platform`, `clock`).
    pub actor: Option<Actor>,
    /// Attachments to validate.
    pub attachments: Option<&'a RawValue>,
    /// A reason code (evidence checklist).
    pub reason: Option<&'a RawValue>,
    seller: Part<SellerBehaviour>,
    /// The policy to use when the request names none (a loaded handle).
    pub default_policy: Option<&'a Policy>,
    /// The fields given as `null`.
    nulls: u16,
}

/// The envelope's fields, in the order of their `nulls` bits.
pub(crate) const FIELDS: &[&str] = &[
    "facts",
    "now",
    "policy",
    "explain",
    "report",
    "claim",
    "dispute",
    "event",
    "actor",
    "attachments",
    "reason",
    "seller",
];

#[derive(Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
enum Key {
    Facts,
    Now,
    Policy,
    Explain,
    Report,
    Claim,
    Dispute,
    Event,
    Actor,
    Attachments,
    Reason,
    Seller,
}

impl Key {
    const ALL: [Key; 12] = [
        Key::Facts,
        Key::Now,
        Key::Policy,
        Key::Explain,
        Key::Report,
        Key::Claim,
        Key::Dispute,
        Key::Event,
        Key::Actor,
        Key::Attachments,
        Key::Reason,
        Key::Seller,
    ];

    fn name(self) -> &'static str {
        FIELDS.get(self as usize).copied().unwrap_or("")
    }

    const fn bit(self) -> u16 {
        1 << self as u16
    }
}

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Key, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Key;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a request field name")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key, E> {
                Key::ALL
                    .into_iter()
                    .find(|k| k.name() == v)
                    .ok_or_else(|| E::unknown_field(&crate::limits::echo(v), FIELDS))
            }
        }
        d.deserialize_identifier(V)
    }
}

/// An optional instant, read with the facts' instant reader.
struct OptInstant(Option<DateTime<Utc>>);

impl<'de> Deserialize<'de> for OptInstant {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<OptInstant, D::Error> {
        crate::facts::de::instant::de_opt(d).map(OptInstant)
    }
}

/// The one-pass reading (serde_json only: raw documents are borrowed).
struct Fast<'a>(Request<'a>);

impl<'de> Deserialize<'de> for Fast<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Fast<'de>, D::Error> {
        d.deserialize_map(FastVisitor)
    }
}

struct FastVisitor;

impl<'de> Visitor<'de> for FastVisitor {
    type Value = Fast<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a request object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Fast<'de>, A::Error> {
        let mut r = Request::empty();
        let mut seen = 0u16;
        while let Some(key) = map.next_key::<Key>()? {
            if seen & key.bit() != 0 {
                return Err(de::Error::duplicate_field(key.name()));
            }
            seen |= key.bit();
            let mut null = false;
            match key {
                Key::Facts => match map.next_value::<Option<OrderFacts>>()? {
                    Some(f) => r.facts = Part::Value(f),
                    None => null = true,
                },
                Key::Now => {
                    r.now = map.next_value::<OptInstant>()?.0;
                    null = r.now.is_none();
                }
                Key::Policy => r.policy = map.next_value()?,
                Key::Explain => r.explain = map.next_value()?,
                Key::Report => {
                    if let Some(v) = map.next_value::<Option<BuyerReport>>()? {
                        r.report = Part::Value(v);
                    }
                }
                Key::Claim => r.claim = raw(&mut map, &mut null)?,
                Key::Dispute => r.dispute = raw(&mut map, &mut null)?,
                Key::Event => r.event = raw(&mut map, &mut null)?,
                Key::Actor => {
                    r.actor = map.next_value()?;
                    null = r.actor.is_none();
                }
                Key::Attachments => r.attachments = raw(&mut map, &mut null)?,
                Key::Reason => r.reason = raw(&mut map, &mut null)?,
                Key::Seller => {
                    if let Some(v) = map.next_value::<Option<SellerBehaviour>>()? {
                        r.seller = Part::Value(v);
                    }
                }
            }
            if null {
                r.nulls |= key.bit();
            }
        }
        Ok(Fast(r))
    }
}

/// A raw document; `null` is none (and noted).
fn raw<'de, A: MapAccess<'de>>(
    map: &mut A,
    null: &mut bool,
) -> Result<Option<&'de RawValue>, A::Error> {
    let v = map.next_value::<&'de RawValue>()?;
    if v.get() == "null" {
        *null = true;
        Ok(None)
    } else {
        Ok(Some(v))
    }
}

/// The envelope with every document raw: the reading that names the field
/// of a problem (after the one-pass reading failed).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Slow<'a> {
    #[serde(borrow, default)]
    facts: Option<&'a RawValue>,
    #[serde(borrow, default)]
    now: Option<&'a RawValue>,
    #[serde(borrow, default)]
    policy: Option<&'a RawValue>,
    #[serde(default)]
    explain: bool,
    #[serde(borrow, default)]
    report: Option<&'a RawValue>,
    #[serde(borrow, default)]
    claim: Option<&'a RawValue>,
    #[serde(borrow, default)]
    dispute: Option<&'a RawValue>,
    #[serde(borrow, default)]
    event: Option<&'a RawValue>,
    #[serde(borrow, default)]
    actor: Option<&'a RawValue>,
    #[serde(borrow, default)]
    attachments: Option<&'a RawValue>,
    #[serde(borrow, default)]
    reason: Option<&'a RawValue>,
    #[serde(borrow, default)]
    seller: Option<&'a RawValue>,
}

/// serde_json reads `null` for an `Option<&RawValue>` as none: a second
/// look at the text tells a `null` from an absent field.
fn mentions_null(json: &str, field: &str) -> bool {
    let mut rest = json;
    let quoted = format!("\"{field}\"");
    while let Some(i) = rest.find(&quoted) {
        rest = rest.get(i + quoted.len()..).unwrap_or_default();
        let after = rest.trim_start();
        if let Some(v) = after.strip_prefix(':') {
            if v.trim_start().starts_with("null") {
                return true;
            }
        }
    }
    false
}

impl<'a> Request<'a> {
    fn empty() -> Request<'a> {
        Request {
            facts: Part::Absent,
            now: None,
            policy: None,
            explain: false,
            report: Part::Absent,
            claim: None,
            dispute: None,
            event: None,
            actor: None,
            attachments: None,
            reason: None,
            seller: Part::Absent,
            default_policy: None,
            nulls: 0,
        }
    }

    /// Parses the envelope (at most
    /// [`MAX_REQUEST_BYTES`](crate::limits::MAX_REQUEST_BYTES); nothing may
    /// follow the object).
    pub fn parse(json: &'a str) -> Result<Request<'a>, Error> {
        if json.len() > crate::limits::MAX_REQUEST_BYTES {
            return Err(Error::InvalidRequest(Problems::one(
                "",
                format!(
                    "the request is {} bytes, over the limit of {} bytes",
                    json.len(),
                    crate::limits::MAX_REQUEST_BYTES
                ),
            )));
        }
        if let Some(r) = Request::parse_scan(json) {
            return Ok(r);
        }
        match serde_json::from_str::<Fast<'a>>(json) {
            Ok(Fast(r)) => Ok(r),
            Err(_) => Request::parse_slow(json),
        }
    }

    /// The quickest reading: the facts by the facts' fast reader, the raw
    /// documents by a byte scan; `None` (leaving the request to serde) on
    /// anything unusual.
    fn parse_scan(json: &'a str) -> Option<Request<'a>> {
        use crate::facts::fast::Scan;
        fn raw<'a>(s: &mut Scan<'a>) -> Option<&'a RawValue> {
            s.raw()
        }
        let mut r = Request::empty();
        let mut s = Scan::new(json);
        s.fields(FIELDS, |s, k| {
            let key = *Key::ALL.get(k)?;
            if s.null() {
                // Absent; for the documents an operation may require, noted
                // (to say `null` rather than missing).
                if !matches!(key, Key::Policy | Key::Report | Key::Seller) {
                    r.nulls |= key.bit();
                }
                return Some(());
            }
            match key {
                Key::Facts => r.facts = Part::Value(s.facts()?),
                Key::Now => r.now = Some(s.instant()?),
                Key::Policy => r.policy = Some(raw(s)?),
                Key::Explain => r.explain = s.bool()?,
                Key::Report => r.report = Part::Value(s.serde()?),
                Key::Claim => r.claim = Some(raw(s)?),
                Key::Dispute => r.dispute = Some(raw(s)?),
                Key::Event => r.event = Some(raw(s)?),
                Key::Actor => r.actor = Some(s.serde()?),
                Key::Attachments => r.attachments = Some(raw(s)?),
                Key::Reason => r.reason = Some(raw(s)?),
                Key::Seller => r.seller = Part::Value(s.serde()?),
            }
            Some(())
        })?;
        // `explain: null` is an error for serde: leave it to serde.
        if r.nulls & Key::Explain.bit() != 0 || !s.at_end() {
            return None;
        }
        Some(r)
    }

    /// The raw reading, for tests comparing it with the one-pass reading.
    #[cfg(test)]
    pub(crate) fn parse_slow_for_tests(json: &'a str) -> Result<Request<'a>, Error> {
        Request::parse_slow(json)
    }

    /// The serde one-pass reading, for tests comparing it with the others.
    #[cfg(test)]
    pub(crate) fn parse_serde_for_tests(json: &'a str) -> Result<Request<'a>, Error> {
        serde_json::from_str::<Fast<'a>>(json)
            .map(|f| f.0)
            .map_err(|e| Error::InvalidRequest(Problems::one("", e.to_string())))
    }

    /// The byte-scan reading, for tests.
    #[cfg(test)]
    pub(crate) fn parse_scan_for_tests(json: &'a str) -> Option<Request<'a>> {
        Request::parse_scan(json)
    }

    /// Everything the request holds, comparable (tests).
    #[cfg(test)]
    pub(crate) fn summary_for_tests(&self) -> String {
        format!(
            "{:?} {:?} {:?} {} {:?} {:?} {:?} {:?} {:?} {:?} {:?} {:?} {}",
            self.facts().ok(),
            self.now,
            self.policy.map(RawValue::get),
            self.explain,
            self.report().ok(),
            self.claim.map(RawValue::get),
            self.dispute.map(RawValue::get),
            self.event.map(RawValue::get),
            self.actor,
            self.attachments.map(RawValue::get),
            self.reason.map(RawValue::get),
            self.seller().ok(),
            self.nulls,
        )
    }

    /// Reads every document raw, then each one on its own, so that a problem
    /// names its field and is reported by the operation that reads it.
    fn parse_slow(json: &'a str) -> Result<Request<'a>, Error> {
        let s: Slow<'a> = crate::error::from_json(json, Error::InvalidRequest)?;
        let mut r = Request::empty();
        for (key, given) in [
            (Key::Facts, s.facts),
            (Key::Now, s.now),
            (Key::Claim, s.claim),
            (Key::Dispute, s.dispute),
            (Key::Event, s.event),
            (Key::Actor, s.actor),
            (Key::Attachments, s.attachments),
            (Key::Reason, s.reason),
        ] {
            if given.is_none() && mentions_null(json, key.name()) {
                r.nulls |= key.bit();
            }
        }
        if let Some(raw) = s.now {
            r.now = crate::error::from_json::<OptInstant>(raw.get(), Error::InvalidRequest)
                .map_err(|e| e.nested("now"))?
                .0;
        }
        if let Some(raw) = s.actor {
            r.actor = crate::error::from_json(raw.get(), Error::InvalidRequest)
                .map_err(|e| e.nested("actor"))?;
        }
        r.facts = match s.facts {
            None => Part::Absent,
            Some(raw) => match OrderFacts::from_json(raw.get()) {
                Ok(f) => Part::Value(f),
                Err(e) => Part::Invalid(e),
            },
        };
        r.report = match s.report {
            None => Part::Absent,
            Some(raw) => match BuyerReport::from_json(raw.get()) {
                Ok(v) => Part::Value(v),
                Err(e) => Part::Invalid(e.nested("report")),
            },
        };
        r.seller = match s.seller {
            None => Part::Absent,
            Some(raw) => match SellerBehaviour::from_json(raw.get()) {
                Ok(v) => Part::Value(v),
                Err(e) => Part::Invalid(e.nested("seller")),
            },
        };
        r.policy = s.policy;
        r.explain = s.explain;
        r.claim = s.claim;
        r.dispute = s.dispute;
        r.event = s.event;
        r.attachments = s.attachments;
        r.reason = s.reason;
        Ok(r)
    }

    /// The error for a required field that is absent or `null`.
    fn missing(&self, name: &str) -> Error {
        let null = Key::ALL
            .into_iter()
            .find(|k| k.name() == name)
            .is_some_and(|k| self.nulls & k.bit() != 0);
        let what = match name {
            "facts" => "the order facts",
            "now" => "the moment of evaluation, an RFC 3339 instant such as `2026-03-20T12:00:00Z`",
            "claim" => "the claim: `reason`, `solution`, `refund`",
            "dispute" => "the dispute, as an earlier lifecycle answer gave it",
            "event" => "the lifecycle event",
            "reason" => "a reason code",
            _ => "",
        };
        let message = match (null, what.is_empty()) {
            (true, true) => "is `null`, not a value".to_owned(),
            (true, false) => format!("is `null`; give {what}"),
            (false, true) => format!("missing field `{name}`"),
            (false, false) => format!("missing field `{name}` ({what})"),
        };
        Error::InvalidRequest(Problems::one(name, message))
    }

    /// The `now` field (required by most calls).
    pub fn now(&self) -> Result<DateTime<Utc>, Error> {
        self.now.ok_or_else(|| self.missing("now"))
    }

    /// The facts, parsed when the envelope was read (field paths not yet
    /// prefixed with `facts`).
    pub fn facts_ref(&self) -> Result<&OrderFacts, Error> {
        match &self.facts {
            Part::Value(f) => Ok(f),
            Part::Invalid(e) => Err(e.clone()),
            Part::Absent => Err(self.missing("facts")),
        }
    }

    /// The facts, as [`Request::facts_ref`] but owned (a copy).
    pub fn facts(&self) -> Result<OrderFacts, Error> {
        self.facts_ref().cloned()
    }

    /// Whether the request gives facts (valid or not).
    pub fn has_facts(&self) -> bool {
        self.facts.is_given() || self.nulls & Key::Facts.bit() != 0
    }

    /// Whether the request gives a report.
    pub fn has_report(&self) -> bool {
        self.report.is_given()
    }

    /// Whether the request gives the seller's behaviour.
    pub fn has_seller(&self) -> bool {
        self.seller.is_given()
    }

    /// The policy, resolved and validated (errors prefixed with `policy`):
    /// the request's own, else the caller's default, else `aliexpress`.
    pub fn policy(&self) -> Result<Cow<'a, Policy>, Error> {
        match (self.policy, self.default_policy) {
            (None, Some(p)) => Ok(Cow::Borrowed(p)),
            // A named preset is borrowed (built once per process).
            (raw, _) => super::resolve_policy_ref(raw.map(RawValue::get)),
        }
    }

    /// The explanation switch.
    pub fn explain(&self) -> Explain {
        Explain::from(self.explain)
    }

    /// The buyer's report (errors prefixed with `report`); absent means an
    /// empty report.
    pub fn report(&self) -> Result<Option<BuyerReport>, Error> {
        match &self.report {
            Part::Value(r) => Ok(Some(r.clone())),
            Part::Invalid(e) => Err(e.clone()),
            Part::Absent => Ok(None),
        }
    }

    /// The claim, parsed (errors prefixed with `claim`).
    pub fn claim(&self) -> Result<Claim, Error> {
        let raw = self.required("claim", self.claim)?;
        Claim::from_json(raw).map_err(|e| e.nested("claim"))
    }

    /// The claim, parsed (errors prefixed with `claim`), if given.
    pub fn claim_opt(&self) -> Result<Option<Claim>, Error> {
        self.claim.map(|_| self.claim()).transpose()
    }

    /// The seller's behaviour (errors prefixed with `seller`); absent means
    /// unknown.
    pub fn seller(&self) -> Result<SellerBehaviour, Error> {
        match &self.seller {
            Part::Value(s) => Ok(*s),
            Part::Invalid(e) => Err(e.clone()),
            Part::Absent => Ok(SellerBehaviour::default()),
        }
    }

    /// A required raw field.
    pub fn required(&self, name: &str, v: Option<&'a RawValue>) -> Result<&'a str, Error> {
        v.map(RawValue::get).ok_or_else(|| self.missing(name))
    }
}
