//! Reading the facts: instants, whole numbers and the tracking state, from
//! any serde deserializer, without buffering and with messages a person can
//! act on.

use super::Tracking;
use crate::limits::echo;
use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use serde::de::{self, Deserializer, MapAccess, Visitor};
use std::fmt;

/// An RFC 3339 instant (`2026-03-01T18:00:00Z`, `2026-03-01T10:00:00-08:00`).
pub mod instant {
    use super::*;

    /// Deserializes an instant.
    pub fn de<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime<Utc>, D::Error> {
        d.deserialize_str(InstantVisitor)
    }

    /// Deserializes an optional instant (`null` or absent: none).
    pub fn de_opt<'de, D: Deserializer<'de>>(d: D) -> Result<Option<DateTime<Utc>>, D::Error> {
        d.deserialize_option(OptInstantVisitor)
    }

    /// Parses an instant; the error says what is wrong and gives an example.
    pub fn parse(s: &str) -> Result<DateTime<Utc>, String> {
        if let Some(t) = crate::calendar::rfc3339::fast(s) {
            return Ok(t);
        }
        match s.parse::<DateTime<FixedOffset>>() {
            Ok(t) => Ok(t.with_timezone(&Utc)),
            Err(e) => Err(diagnose(s, &e.to_string())),
        }
    }
}

/// An example instant for messages.
const EXAMPLE: &str = "`2026-03-01T18:00:00Z` or `2026-03-01T10:00:00-08:00`";

/// Says what is wrong with a text that is not an RFC 3339 instant.
fn diagnose(s: &str, chrono_says: &str) -> String {
    let shown = echo(s);
    let b = s.as_bytes();
    let num = |from: usize, len: usize| -> Option<u32> {
        let digits = b.get(from..from + len)?;
        digits.iter().try_fold(0u32, |acc, &c| {
            c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
        })
    };
    let date = match (num(0, 4), b.get(4), num(5, 2), b.get(7), num(8, 2)) {
        (Some(y), Some(b'-'), Some(m), Some(b'-'), Some(d)) => Some((y, m, d)),
        _ => None,
    };
    let Some((y, m, d)) = date else {
        return format!(
            "`{shown}` is not an RFC 3339 instant ({chrono_says}); write it like {EXAMPLE}"
        );
    };
    if !(1..=12).contains(&m) {
        return format!("`{shown}`: there is no month {m}; write the instant like {EXAMPLE}");
    }
    let year = i32::try_from(y).unwrap_or(0);
    if NaiveDate::from_ymd_opt(year, m, d).is_none() {
        let days = days_in_month(year, m);
        return format!(
            "`{shown}`: the date {y:04}-{m:02}-{d:02} does not exist ({} {y} has {days} days)",
            MONTHS
                .get(usize::try_from(m).unwrap_or(0).saturating_sub(1))
                .copied()
                .unwrap_or("the month")
        );
    }
    if b.len() == 10 {
        return format!(
            "`{shown}` is a date without a time of day and UTC offset; write the instant like `{y:04}-{m:02}-{d:02}T00:00:00Z`"
        );
    }
    // A date and a time of day, then nothing: the offset is missing.
    let time_only = b.get(10).is_some_and(|c| matches!(c, b'T' | b't' | b' '))
        && num(11, 2).is_some()
        && b.get(13) == Some(&b':')
        && num(14, 2).is_some()
        && b.get(16) == Some(&b':')
        && num(17, 2).is_some()
        && match b.get(19) {
            None => true,
            Some(b'.') => b
                .get(20..)
                .is_some_and(|f| !f.is_empty() && f.iter().all(u8::is_ascii_digit)),
            Some(_) => false,
        };
    if time_only {
        return format!(
            "`{shown}` has no UTC offset; add `Z` for UTC or the local offset, like `{}Z` or `{}-08:00`",
            echo(s),
            echo(s)
        );
    }
    format!("`{shown}` is not an RFC 3339 instant ({chrono_says}); write it like {EXAMPLE}")
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

fn days_in_month(year: i32, month: u32) -> u32 {
    (28..=31)
        .rev()
        .find(|&d| NaiveDate::from_ymd_opt(year, month, d).is_some())
        .unwrap_or(28)
}

struct InstantVisitor;

impl Visitor<'_> for InstantVisitor {
    type Value = DateTime<Utc>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "an RFC 3339 instant such as {EXAMPLE}")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<DateTime<Utc>, E> {
        instant::parse(v).map_err(E::custom)
    }
}

struct OptInstantVisitor;

impl<'de> Visitor<'de> for OptInstantVisitor {
    type Value = Option<DateTime<Utc>>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "an RFC 3339 instant such as {EXAMPLE}, or null")
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        instant::de(d).map(Some)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        instant::parse(v).map(Some).map_err(E::custom)
    }
}

/// Whole numbers that fit a `u32` (counts and day numbers), with clear
/// messages for negative, fractional and too large numbers.
pub mod whole {
    use super::*;

    /// Deserializes a `u32`.
    pub fn de<'de, D: Deserializer<'de>>(d: D) -> Result<u32, D::Error> {
        d.deserialize_u32(WholeVisitor)
    }

    /// Deserializes an optional `u32` (`null` or absent: none).
    pub fn de_opt<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u32>, D::Error> {
        d.deserialize_option(OptWholeVisitor)
    }
}

struct WholeVisitor;

impl Visitor<'_> for WholeVisitor {
    type Value = u32;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a whole number from 0 to {}", u32::MAX)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<u32, E> {
        u32::try_from(v)
            .map_err(|_| E::custom(format_args!("`{v}` is too large: at most {}", u32::MAX)))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<u32, E> {
        match u64::try_from(v) {
            Ok(u) => self.visit_u64(u),
            Err(_) => Err(E::custom(format_args!("must not be negative, got `{v}`"))),
        }
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> Result<u32, E> {
        u32::try_from(v).map_err(|_| {
            E::custom(format_args!(
                "the number is too large: at most {}",
                u32::MAX
            ))
        })
    }

    fn visit_i128<E: de::Error>(self, v: i128) -> Result<u32, E> {
        match u128::try_from(v) {
            Ok(u) => self.visit_u128(u),
            Err(_) => Err(E::custom("must not be negative")),
        }
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<u32, E> {
        if v.is_nan() || v.fract() != 0.0 {
            Err(E::custom(format_args!("`{v}` is not a whole number")))
        } else if v < 0.0 {
            Err(E::custom("must not be negative"))
        } else {
            // A JSON number read as floating point is beyond every integer
            // type: far above the limit.
            Err(E::custom(format_args!(
                "the number is too large: at most {}",
                u32::MAX
            )))
        }
    }
}

struct OptWholeVisitor;

impl<'de> Visitor<'de> for OptWholeVisitor {
    type Value = Option<u32>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a whole number from 0 to {}, or null", u32::MAX)
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        whole::de(d).map(Some)
    }
}

/// The JSON `status` of [`Tracking`].
#[derive(serde::Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
enum Status {
    None,
    InTransit,
    Stalled,
    CustomsHold,
    ReturnedToSender,
    Delivered,
}

impl Status {
    /// The fields this status allows.
    const fn fields(self) -> &'static [&'static str] {
        match self {
            Status::None => &[],
            Status::InTransit => &["last_event_at"],
            Status::Stalled | Status::CustomsHold => &["since"],
            Status::ReturnedToSender => &["at"],
            Status::Delivered => &["at", "to_correct_address"],
        }
    }
}

/// A key of a tracking object.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Key {
    Status,
    LastEventAt,
    Since,
    At,
    ToCorrectAddress,
}

impl Key {
    const ALL: [&'static str; 5] = [
        "status",
        "last_event_at",
        "since",
        "at",
        "to_correct_address",
    ];

    const fn name(self) -> &'static str {
        match self {
            Key::Status => "status",
            Key::LastEventAt => "last_event_at",
            Key::Since => "since",
            Key::At => "at",
            Key::ToCorrectAddress => "to_correct_address",
        }
    }
}

impl<'de> serde::Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Key, D::Error> {
        struct KeyVisitor;
        impl Visitor<'_> for KeyVisitor {
            type Value = Key;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a tracking field name")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key, E> {
                Ok(match v {
                    "status" => Key::Status,
                    "last_event_at" => Key::LastEventAt,
                    "since" => Key::Since,
                    "at" => Key::At,
                    "to_correct_address" => Key::ToCorrectAddress,
                    other => return Err(E::unknown_field(&echo(other), &Key::ALL)),
                })
            }
        }
        d.deserialize_identifier(KeyVisitor)
    }
}

struct Instant(DateTime<Utc>);

impl<'de> serde::Deserialize<'de> for Instant {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Instant, D::Error> {
        instant::de(d).map(Instant)
    }
}

struct OptInstant(Option<DateTime<Utc>>);

impl<'de> serde::Deserialize<'de> for OptInstant {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<OptInstant, D::Error> {
        instant::de_opt(d).map(OptInstant)
    }
}

/// The tracking object, tagged by `status` (anywhere in the object), read
/// field by field: no buffering. Fields that the status does not have are
/// refused, as are unknown fields.
impl<'de> serde::Deserialize<'de> for Tracking {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Tracking, D::Error> {
        d.deserialize_map(TrackingVisitor)
    }
}

struct TrackingVisitor;

impl<'de> Visitor<'de> for TrackingVisitor {
    type Value = Tracking;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a tracking object such as {\"status\": \"in_transit\"}")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Tracking, A::Error> {
        let mut status = None;
        let mut last_event_at: Option<Option<DateTime<Utc>>> = None;
        let mut since = None;
        let mut at = None;
        let mut to_correct_address = None;
        let mut seen = 0u8;
        while let Some(key) = map.next_key::<Key>()? {
            if let Some(s) = status {
                if !Status::fields(s).contains(&key.name()) && key != Key::Status {
                    return Err(de::Error::unknown_field(key.name(), Status::fields(s)));
                }
            }
            let duplicate = match key {
                Key::Status => status.replace(map.next_value::<Status>()?).is_some(),
                Key::LastEventAt => last_event_at
                    .replace(map.next_value::<OptInstant>()?.0)
                    .is_some(),
                Key::Since => since.replace(map.next_value::<Instant>()?.0).is_some(),
                Key::At => at.replace(map.next_value::<Instant>()?.0).is_some(),
                Key::ToCorrectAddress => to_correct_address
                    .replace(map.next_value::<bool>()?)
                    .is_some(),
            };
            if duplicate {
                return Err(de::Error::duplicate_field(key.name()));
            }
            seen |= 1 << key as u8;
        }
        let status = status.ok_or_else(|| de::Error::missing_field("status"))?;
        if let Some(k) = [Key::LastEventAt, Key::Since, Key::At, Key::ToCorrectAddress]
            .into_iter()
            .find(|k| seen & (1 << *k as u8) != 0 && !Status::fields(status).contains(&k.name()))
        {
            return Err(de::Error::unknown_field(k.name(), Status::fields(status)));
        }
        let need = |v: Option<DateTime<Utc>>, name: &'static str| {
            v.ok_or_else(|| de::Error::missing_field(name))
        };
        Ok(match status {
            Status::None => Tracking::None,
            Status::InTransit => Tracking::InTransit {
                last_event_at: last_event_at.flatten(),
            },
            Status::Stalled => Tracking::Stalled {
                since: need(since, "since")?,
            },
            Status::CustomsHold => Tracking::CustomsHold {
                since: need(since, "since")?,
            },
            Status::ReturnedToSender => Tracking::ReturnedToSender {
                at: need(at, "at")?,
            },
            Status::Delivered => Tracking::Delivered {
                at: need(at, "at")?,
                to_correct_address: to_correct_address.unwrap_or(true),
            },
        })
    }
}
