//! RFC 3339 text for instants: a fast reader for serde (the common
//! `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)` form is read directly; anything
//! else goes through chrono exactly as before) and the allocation-free
//! writer of [`Moment`](super::Moment)s.

use chrono::{DateTime, FixedOffset, NaiveDate, TimeZone, Utc};
use serde::{Deserialize, Deserializer};
use std::borrow::Cow;

/// Reads the strict common form; `None` for anything else.
pub fn fast(s: &str) -> Option<DateTime<Utc>> {
    let b = s.as_bytes();
    let digit = |i: usize| -> Option<u32> {
        let c = b.get(i)?.wrapping_sub(b'0');
        (c < 10).then_some(u32::from(c))
    };
    let two = |i: usize| -> Option<u32> { Some(digit(i)? * 10 + digit(i + 1)?) };
    let sep = |i: usize, c: u8| b.get(i) == Some(&c);
    if !(sep(4, b'-') && sep(7, b'-') && sep(10, b'T') && sep(13, b':') && sep(16, b':')) {
        return None;
    }
    let year = two(0)? * 100 + two(2)?;
    let (month, day, hour, min, sec) = (two(5)?, two(8)?, two(11)?, two(14)?, two(17)?);
    let mut i = 19;
    let mut nanos = 0u32;
    if sep(i, b'.') {
        i += 1;
        let start = i;
        while let Some(d) = digit(i) {
            if i - start < 9 {
                nanos = nanos * 10 + d;
            }
            i += 1;
        }
        let n = i - start;
        if n == 0 || n > 9 {
            return None;
        }
        nanos *= 10u32.pow(u32::try_from(9 - n).ok()?);
    }
    let offset = match b.get(i)? {
        b'Z' if i + 1 == b.len() => 0,
        c @ (b'+' | b'-') if i + 6 == b.len() && sep(i + 3, b':') => {
            let (h, m) = (two(i + 1)?, two(i + 4)?);
            if h > 23 || m > 59 {
                return None;
            }
            let v = i32::try_from(h * 3600 + m * 60).ok()?;
            if *c == b'-' {
                -v
            } else {
                v
            }
        }
        _ => return None,
    };
    if sec > 59 {
        return None;
    }
    let local = NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)?
        .and_hms_nano_opt(hour, min, sec, nanos)?;
    FixedOffset::east_opt(offset)?
        .from_local_datetime(&local)
        .single()
        .map(|t| t.with_timezone(&Utc))
}

fn slow<E: serde::de::Error>(s: &str) -> Result<DateTime<Utc>, E> {
    s.parse::<DateTime<FixedOffset>>()
        .map(|t| t.with_timezone(&Utc))
        .map_err(E::custom)
}

/// Deserializes an instant.
pub fn de<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime<Utc>, D::Error> {
    let s = Cow::<'de, str>::deserialize(d)?;
    fast(&s).map_or_else(|| slow(&s), Ok)
}

/// Deserializes an optional instant.
pub fn de_opt<'de, D: Deserializer<'de>>(d: D) -> Result<Option<DateTime<Utc>>, D::Error> {
    match Option::<Cow<'de, str>>::deserialize(d)? {
        None => Ok(None),
        Some(s) => fast(&s).map_or_else(|| slow(&s), Ok).map(Some),
    }
}

/// RFC 3339 text written without allocation: `Z` for UTC, else `+hh:mm`;
/// fractional seconds only when present. Years 0 to 9999 take four digits
/// (RFC 3339); any other year is written in full with its sign (ISO 8601's
/// expanded form, `+10000-01-30T00:00:00Z`, as chrono writes it and reads it
/// back): never clamped, so the text always names the true instant.
pub(crate) struct Rfc3339 {
    /// The wall-clock time to write.
    pub(crate) wall: chrono::NaiveDateTime,
    /// Its offset in seconds east of UTC; `None` writes `Z`.
    pub(crate) offset_secs: Option<i32>,
}

/// A small byte buffer (long enough for any `NaiveDateTime`: at most 38
/// bytes; [`push_moment_json`] uses a bigger one for two of them).
struct Buf<const N: usize = 48> {
    b: [u8; N],
    n: usize,
}

impl<const L: usize> Buf<L> {
    fn push(&mut self, c: u8) {
        if let Some(x) = self.b.get_mut(self.n) {
            *x = c;
            self.n += 1;
        }
    }

    /// Appends `bytes` (one bounds check for all of them).
    fn extend<const N: usize>(&mut self, bytes: [u8; N]) {
        if let Some(x) = self.b.get_mut(self.n..self.n + N) {
            x.copy_from_slice(&bytes);
            self.n += N;
        }
    }

    fn as_str(&self) -> &str {
        self.b
            .get(..self.n)
            .and_then(|b| std::str::from_utf8(b).ok())
            .unwrap_or("")
    }
}

/// Two decimal digits of `v` (below 100).
const fn two(v: u32) -> [u8; 2] {
    [b'0' + (v / 10 % 10) as u8, b'0' + (v % 10) as u8]
}

impl Rfc3339 {
    fn write(&self) -> Buf {
        let mut buf = Buf { b: [0; 48], n: 0 };
        self.write_to(&mut buf);
        buf
    }

    fn write_to<const L: usize>(&self, buf: &mut Buf<L>) {
        use chrono::{Datelike, Timelike};
        let w = &self.wall;
        let y = w.year();
        let ya = y.unsigned_abs();
        if (0..=9999).contains(&y) {
            let ([a, b], [c, d]) = (two(ya / 100), two(ya % 100));
            buf.extend([a, b, c, d]);
        } else {
            buf.push(if y < 0 { b'-' } else { b'+' });
            let digits = ya.checked_ilog10().unwrap_or(0).max(3);
            for d in (0..=digits).rev() {
                buf.push(b'0' + (ya / 10u32.pow(d) % 10) as u8);
            }
        }
        let ([mo1, mo2], [d1, d2]) = (two(w.month()), two(w.day()));
        let ([h1, h2], [mi1, mi2], [s1, s2]) = (two(w.hour()), two(w.minute()), two(w.second()));
        buf.extend([
            b'-', mo1, mo2, b'-', d1, d2, b'T', h1, h2, b':', mi1, mi2, b':', s1, s2,
        ]);
        let nanos = w.nanosecond() % 1_000_000_000;
        if nanos != 0 {
            let mut digits = [b'.'; 10];
            let mut x = nanos;
            for d in digits.iter_mut().skip(1).rev() {
                *d = b'0' + (x % 10) as u8;
                x /= 10;
            }
            buf.extend(digits);
        }
        match self.offset_secs {
            None => buf.push(b'Z'),
            Some(o) => {
                let a = o.unsigned_abs();
                let ([h1, h2], [m1, m2]) = (two(a / 3600), two((a % 3600) / 60));
                buf.extend([if o < 0 { b'-' } else { b'+' }, h1, h2, b':', m1, m2]);
            }
        }
    }
}

/// Appends a moment's JSON object, `{"utc":"…","local":"…"}`, exactly as
/// serde_json writes the serde form: built in one stack buffer, checked as
/// UTF-8 once and copied once (the text is ASCII with nothing to escape:
/// digits, `-`, `:`, `T`, `.`, `Z`, `+`).
pub(crate) fn push_moment_json(
    out: &mut String,
    utc: chrono::NaiveDateTime,
    local: chrono::NaiveDateTime,
    offset_secs: i32,
) {
    // 8 + 38 + 11 + 38 + 2 = 97 bytes at most.
    let mut buf = Buf { b: [0; 104], n: 0 };
    buf.extend(*b"{\"utc\":\"");
    Rfc3339 {
        wall: utc,
        offset_secs: None,
    }
    .write_to(&mut buf);
    buf.extend(*b"\",\"local\":\"");
    Rfc3339 {
        wall: local,
        offset_secs: Some(offset_secs),
    }
    .write_to(&mut buf);
    buf.extend(*b"\"}");
    out.push_str(buf.as_str());
}

impl serde::Serialize for Rfc3339 {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.write().as_str())
    }
}

impl std::fmt::Display for Rfc3339 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.write().as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn chrono(s: &str) -> Option<DateTime<Utc>> {
        s.parse::<DateTime<FixedOffset>>()
            .ok()
            .map(|t| t.with_timezone(&Utc))
    }

    fn write(wall: &str, offset_secs: Option<i32>) -> String {
        let wall: chrono::NaiveDateTime = wall.parse().unwrap();
        Rfc3339 { wall, offset_secs }.to_string()
    }

    #[test]
    fn years_past_9999_are_written_in_full_and_read_back() {
        // Issue 13: 9999-12-01 + 60 days was written `9999-01-30`.
        let s = write("+10000-01-30T10:00:00", None);
        assert_eq!(s, "+10000-01-30T10:00:00Z");
        let t = chrono(&s).unwrap();
        assert_eq!(t.to_rfc3339(), "+10000-01-30T10:00:00+00:00");
        assert_eq!(
            write("+10000-01-01T04:30:00.5", Some(19800)),
            "+10000-01-01T04:30:00.500000000+05:30"
        );
        assert_eq!(
            chrono("+10000-01-01T04:30:00.5+05:30").unwrap(),
            "9999-12-31T23:00:00.5Z".parse::<DateTime<Utc>>().unwrap()
        );
        assert_eq!(
            write("+262142-12-31T23:59:59", None),
            "+262142-12-31T23:59:59Z"
        );
        assert_eq!(
            write("-0001-01-01T00:00:00", Some(-3600)),
            "-0001-01-01T00:00:00-01:00"
        );
        assert_eq!(write("0000-03-01T00:00:00", None), "0000-03-01T00:00:00Z");
        assert_eq!(write("9999-12-31T23:59:59", None), "9999-12-31T23:59:59Z");
        assert_eq!(
            write("1970-01-01T00:00:00", Some(-28800)),
            "1970-01-01T00:00:00-08:00"
        );
    }

    proptest! {
        #[test]
        fn written_text_reads_back(
            secs in -8_000_000_000_000i64..8_000_000_000_000, nanos in prop_oneof![Just(0u32), 0u32..1_000_000_000],
            off in -86_399i32..86_400,
        ) {
            let off = off / 60 * 60; // RFC 3339 offsets are whole minutes
            let at = DateTime::<Utc>::from_timestamp(secs, nanos).unwrap();
            let fixed = FixedOffset::east_opt(off).unwrap();
            let Some(wall) = at.naive_utc().checked_add_offset(fixed) else { return Ok(()) };
            for (wall, off) in [(at.naive_utc(), None), (wall, Some(off))] {
                let s = Rfc3339 { wall, offset_secs: off }.to_string();
                let back = fast(&s).or_else(|| chrono(&s));
                prop_assert_eq!(back, Some(at), "{}", s);
            }
        }
    }

    #[test]
    fn edge_forms_fall_back_or_agree() {
        for s in [
            "2026-03-01T18:00:00Z",
            "2026-03-01T18:00:00.5Z",
            "2026-03-01T18:00:00.123456789+05:30",
            "2026-03-01T18:00:00-00:00",
            "2026-02-29T00:00:00Z",
            "2024-02-29T00:00:00Z",
            "2026-03-01t18:00:00z",
            "2026-03-01 18:00:00Z",
            "2026-03-01T18:00:60Z",
            "2026-03-01T24:00:00Z",
            "2026-03-01T18:00:00+24:00",
            "2026-03-01T18:00:00.Z",
            "2026-03-01T18:00:00.1234567891Z",
            "+2026-03-01T18:00:00Z",
            "2026-03-01T18:00Z",
            "2026-3-01T18:00:00Z",
            "",
        ] {
            if let Some(t) = fast(s) {
                assert_eq!(Some(t), chrono(s), "{s}");
            }
        }
    }

    proptest! {
        #[test]
        fn fast_agrees_with_chrono(
            y in 0u32..10000, mo in 0u32..14, d in 0u32..33, h in 0u32..25, mi in 0u32..61, se in 0u32..62,
            frac in proptest::option::of("[0-9]{0,11}"), off in proptest::option::of((any::<bool>(), 0u32..26, 0u32..61)),
        ) {
            let frac = frac.map(|f| format!(".{f}")).unwrap_or_default();
            let off = match off {
                None => "Z".to_owned(),
                Some((neg, oh, om)) => format!("{}{oh:02}:{om:02}", if neg { '-' } else { '+' }),
            };
            let s = format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{se:02}{frac}{off}");
            if let Some(t) = fast(&s) {
                prop_assert_eq!(Some(t), chrono(&s), "{}", s);
            }
        }
    }
}
