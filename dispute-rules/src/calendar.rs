//! Marketplace time (C-1): calendar-day arithmetic in the policy's time zone.
//!
//! Two kinds of day counting, exactly as C-1 of the rules reference
//! (`docs/rules.md`) defines them:
//!
//! * **"the Nth day after E"** ([`Calendar::nth_day_start`]): the local
//!   calendar date of E plus N days, beginning at 00:00 local time on that date.
//! * **"N days after E" as a duration** ([`Calendar::add_days`]): the same
//!   local wall-clock time N calendar days later (not N x 24 hours across a
//!   daylight-saving change), or, when the policy says
//!   [`DayCounting::EndOfLocalDay`], the end of that local day.
//!
//! Local times that do not exist (spring forward) resolve to the instant the
//! clocks jump; ambiguous ones (fall back) take the earlier instant; a duration
//! of 0 days returns the instant unchanged.

use chrono::offset::LocalResult;
use chrono::{DateTime, Days, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeZone, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

/// How a duration of N days ends (C-1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DayCounting {
    /// Ends at the same local wall-clock time N calendar days later, like the
    /// countdown timer on the order page (default, C-1).
    SameWallClock,
    /// Ends at the end of the local day N calendar days later (the following
    /// local midnight, exclusive).
    EndOfLocalDay,
}

/// Day arithmetic in one time zone with one counting rule (C-1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Calendar {
    tz: Tz,
    counting: DayCounting,
}

impl Calendar {
    /// A calendar for `tz` with `counting`.
    pub const fn new(tz: Tz, counting: DayCounting) -> Self {
        Calendar { tz, counting }
    }

    /// The zone.
    pub const fn tz(&self) -> Tz {
        self.tz
    }

    /// The instant as local time in the zone.
    pub fn local(&self, at: DateTime<Utc>) -> DateTime<Tz> {
        at.with_timezone(&self.tz)
    }

    /// The local calendar date of an instant (saturating at the ends of the
    /// calendar).
    pub fn local_date(&self, at: DateTime<Utc>) -> NaiveDate {
        self.wall(at).map_or_else(|| at.date_naive(), |w| w.date())
    }

    /// The local wall-clock time of an instant (`None` off the calendar).
    fn wall(&self, at: DateTime<Utc>) -> Option<NaiveDateTime> {
        let utc = at.naive_utc();
        let offset = self.tz.offset_from_utc_datetime(&utc).fix();
        utc.checked_add_offset(offset)
    }

    /// The instant with its local wall-clock time (one zone lookup), to chain
    /// several day computations from one anchor.
    pub fn localize(&self, at: DateTime<Utc>) -> Local {
        Local {
            at,
            wall: self.wall(at).unwrap_or_else(|| at.naive_utc()),
        }
    }

    /// "The Nth day after `at`": 00:00 local time on the local date of `at`
    /// plus `n` days (C-1, R-E1).
    pub fn nth_day_start(&self, at: DateTime<Utc>, n: u32) -> DateTime<Utc> {
        self.nth_day_start_from(self.localize(at), n).at
    }

    /// [`Calendar::nth_day_start`] from a localized instant.
    pub fn nth_day_start_from(&self, from: Local, n: u32) -> Local {
        let date = add_date(from.wall.date(), i64::from(n));
        self.resolve_local(date.and_time(NaiveTime::MIN))
    }

    /// 00:00 local time on `date`.
    pub fn start_of_day(&self, date: NaiveDate) -> DateTime<Utc> {
        self.resolve(date.and_time(NaiveTime::MIN))
    }

    /// "`n` days after `at`" as a duration (C-1): same wall-clock time `n`
    /// calendar days later, or the end of that local day under
    /// [`DayCounting::EndOfLocalDay`]. `n == 0` returns `at` unchanged.
    pub fn add_days(&self, at: DateTime<Utc>, n: u32) -> DateTime<Utc> {
        self.shift(self.localize(at), i64::from(n)).at
    }

    /// "`n` days before `at`" as a duration: the same wall-clock time `n`
    /// calendar days earlier (start of that local day under
    /// [`DayCounting::EndOfLocalDay`]). `n == 0` returns `at` unchanged.
    pub fn sub_days(&self, at: DateTime<Utc>, n: u32) -> DateTime<Utc> {
        self.shift(self.localize(at), -i64::from(n)).at
    }

    /// [`Calendar::add_days`] from a localized instant.
    pub fn add_days_from(&self, from: Local, n: u32) -> Local {
        self.shift(from, i64::from(n))
    }

    /// [`Calendar::sub_days`] from a localized instant.
    pub fn sub_days_from(&self, from: Local, n: u32) -> Local {
        self.shift(from, -i64::from(n))
    }

    fn shift(&self, from: Local, n: i64) -> Local {
        if n == 0 {
            return from;
        }
        let local = from.wall;
        match self.counting {
            DayCounting::SameWallClock => {
                let date = add_date(local.date(), n);
                self.resolve_local(date.and_time(local.time()))
            }
            DayCounting::EndOfLocalDay => {
                // Ends when local day date+n ends: the next local midnight.
                // Going backwards, the start of the local day date+n.
                let days = if n > 0 { n + 1 } else { n };
                self.resolve_local(add_date(local.date(), days).and_time(NaiveTime::MIN))
            }
        }
    }

    /// Like [`Calendar::resolve`], keeping the wall-clock time of the answer.
    pub fn resolve_local(&self, local: NaiveDateTime) -> Local {
        match self.tz.from_local_datetime(&local) {
            LocalResult::Single(t) => Local {
                at: t.with_timezone(&Utc),
                wall: local,
            },
            LocalResult::Ambiguous(a, b) => Local {
                at: a.min(b).with_timezone(&Utc),
                wall: local,
            },
            LocalResult::None => self.localize(self.gap_end(local)),
        }
    }

    /// Resolves a local wall-clock time to an instant (C-1): the earlier
    /// instant when ambiguous; the instant the clocks jump when it does not
    /// exist.
    pub fn resolve(&self, local: NaiveDateTime) -> DateTime<Utc> {
        match self.tz.from_local_datetime(&local) {
            LocalResult::Single(t) => t.with_timezone(&Utc),
            LocalResult::Ambiguous(a, b) => a.min(b).with_timezone(&Utc),
            LocalResult::None => self.gap_end(local),
        }
    }

    /// The first instant whose local time is later than `local` (which lies in
    /// a gap): the moment the clocks jumped over it.
    fn gap_end(&self, local: NaiveDateTime) -> DateTime<Utc> {
        // Offsets are within +-15 hours, so the answer lies in this range.
        let base = local.and_utc().timestamp();
        let (mut lo, mut hi) = (
            base.saturating_sub(16 * 3600),
            base.saturating_add(16 * 3600),
        );
        let wall = |secs: i64| DateTime::<Utc>::from_timestamp(secs, 0).and_then(|u| self.wall(u));
        // Invariant: wall(lo) < local, wall(hi) > local.
        while hi - lo > 1 {
            let mid = lo + (hi - lo) / 2;
            match wall(mid) {
                Some(w) if w > local => hi = mid,
                Some(_) => lo = mid,
                None => break,
            }
        }
        DateTime::<Utc>::from_timestamp(hi, 0).unwrap_or(DateTime::<Utc>::MAX_UTC)
    }
}

/// An instant together with its wall-clock time in a calendar's zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Local {
    /// The instant.
    pub at: DateTime<Utc>,
    /// Its local wall-clock time.
    pub wall: NaiveDateTime,
}

/// An exact instant reported in UTC and in the policy's zone (C-1).
///
/// In JSON: `{"utc": "2026-03-12T07:00:00Z", "local": "2026-03-12T00:00:00-07:00"}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Moment {
    /// The instant.
    pub utc: DateTime<Utc>,
    tz: Tz,
}

impl Moment {
    /// An instant to be shown in `tz`.
    pub const fn new(utc: DateTime<Utc>, tz: Tz) -> Moment {
        Moment { utc, tz }
    }

    /// The same instant as local time in the policy's zone.
    pub fn local(&self) -> DateTime<Tz> {
        self.utc.with_timezone(&self.tz)
    }

    /// The zone.
    pub const fn tz(&self) -> Tz {
        self.tz
    }
}

impl PartialOrd for Moment {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Moment {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.utc.cmp(&other.utc)
    }
}

impl Serialize for Moment {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Moment", 2)?;
        let utc = self.utc.naive_utc();
        st.serialize_field(
            "utc",
            &Rfc3339 {
                wall: utc,
                offset_secs: None,
            },
        )?;
        let offset = self.tz.offset_from_utc_datetime(&utc).fix();
        let wall = utc.checked_add_offset(offset).unwrap_or(utc);
        st.serialize_field(
            "local",
            &Rfc3339 {
                wall,
                offset_secs: Some(offset.local_minus_utc()),
            },
        )?;
        st.end()
    }
}

/// RFC 3339 text written without intermediate allocation: `Z` for UTC,
/// else `+hh:mm`; fractional seconds only when present.
struct Rfc3339 {
    wall: NaiveDateTime,
    offset_secs: Option<i32>,
}

impl Rfc3339 {
    /// Writes the text into `buf`, returning its length (at most 35 bytes).
    fn write(&self, buf: &mut [u8; 40]) -> usize {
        use chrono::{Datelike, Timelike};
        fn two(buf: &mut [u8; 40], at: usize, v: u32) {
            if let Some(s) = buf.get_mut(at..at + 2) {
                s.copy_from_slice(&[b'0' + (v / 10 % 10) as u8, b'0' + (v % 10) as u8]);
            }
        }
        let w = &self.wall;
        let y = u32::try_from(w.year()).unwrap_or(0).min(9999);
        two(buf, 0, y / 100);
        two(buf, 2, y % 100);
        let seps = [(4, b'-'), (7, b'-'), (10, b'T'), (13, b':'), (16, b':')];
        for (i, ch) in seps {
            if let Some(b) = buf.get_mut(i) {
                *b = ch;
            }
        }
        two(buf, 5, w.month());
        two(buf, 8, w.day());
        two(buf, 11, w.hour());
        two(buf, 14, w.minute());
        two(buf, 17, w.second());
        let mut n = 19;
        let nanos = w.nanosecond() % 1_000_000_000;
        if nanos != 0 {
            if let Some(b) = buf.get_mut(n) {
                *b = b'.';
            }
            let mut x = nanos;
            for i in (0..9).rev() {
                if let Some(b) = buf.get_mut(n + 1 + i) {
                    *b = b'0' + (x % 10) as u8;
                }
                x /= 10;
            }
            n += 10;
        }
        match self.offset_secs {
            None => {
                if let Some(b) = buf.get_mut(n) {
                    *b = b'Z';
                }
                n + 1
            }
            Some(o) => {
                let a = o.unsigned_abs();
                if let Some(b) = buf.get_mut(n) {
                    *b = if o < 0 { b'-' } else { b'+' };
                }
                two(buf, n + 1, a / 3600);
                if let Some(b) = buf.get_mut(n + 3) {
                    *b = b':';
                }
                two(buf, n + 4, (a % 3600) / 60);
                n + 6
            }
        }
    }
}

impl Serialize for Rfc3339 {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut buf = [0u8; 40];
        let n = self.write(&mut buf);
        let text = buf
            .get(..n)
            .and_then(|b| std::str::from_utf8(b).ok())
            .unwrap_or("");
        s.serialize_str(text)
    }
}

impl std::fmt::Display for Moment {
    /// `2026-03-12 00:00 PDT (2026-03-12 07:00 UTC)`
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use chrono::{Datelike, Timelike};
        let l = self.local();
        let u = self.utc;
        let (y, mo, d, h, mi) = (l.year(), l.month(), l.day(), l.hour(), l.minute());
        write!(f, "{y:04}-{mo:02}-{d:02} {h:02}:{mi:02} {} ", l.offset())?;
        let (y, mo, d, h, mi) = (u.year(), u.month(), u.day(), u.hour(), u.minute());
        write!(f, "({y:04}-{mo:02}-{d:02} {h:02}:{mi:02} UTC)")
    }
}

impl Calendar {
    /// The instant as a [`Moment`] in this calendar's zone.
    pub const fn moment(&self, at: DateTime<Utc>) -> Moment {
        Moment::new(at, self.tz)
    }
}

/// Adds (or subtracts) calendar days, saturating at the ends of the calendar.
fn add_date(date: NaiveDate, n: i64) -> NaiveDate {
    let res = if n >= 0 {
        date.checked_add_days(Days::new(n.unsigned_abs()))
    } else {
        date.checked_sub_days(Days::new(n.unsigned_abs()))
    };
    res.unwrap_or(if n >= 0 {
        NaiveDate::MAX
    } else {
        NaiveDate::MIN
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::America::Los_Angeles as LA;

    fn utc(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }
    fn cal() -> Calendar {
        Calendar::new(LA, DayCounting::SameWallClock)
    }

    #[test]
    fn c1_nth_day_starts_at_local_midnight() {
        // Shipped 1 March 2026 10:00 PST -> 12 March 00:00 PDT (after the
        // 8 March spring-forward): 07:00 UTC, not 08:00.
        let shipped = utc("2026-03-01T18:00:00Z");
        assert_eq!(
            cal().nth_day_start(shipped, 11),
            utc("2026-03-12T07:00:00Z")
        );
        // Shipped late evening local time: still the local date that counts.
        let late = utc("2026-03-02T07:30:00Z"); // 1 March 23:30 PST
        assert_eq!(cal().nth_day_start(late, 11), utc("2026-03-12T07:00:00Z"));
    }

    #[test]
    fn c1_duration_keeps_wall_clock_across_spring_forward() {
        // 1 March 10:00 PST + 60 days = 30 April 10:00 PDT (17:00 UTC), not 18:00 UTC.
        let t = utc("2026-03-01T18:00:00Z");
        assert_eq!(cal().add_days(t, 60), utc("2026-04-30T17:00:00Z"));
        assert_ne!(cal().add_days(t, 60), t + chrono::Duration::days(60));
    }

    #[test]
    fn c1_duration_keeps_wall_clock_across_fall_back() {
        // 20 Oct 2026 09:00 PDT (16:00 UTC) + 20 days = 9 Nov 09:00 PST (17:00 UTC).
        let t = utc("2026-10-20T16:00:00Z");
        assert_eq!(cal().add_days(t, 20), utc("2026-11-09T17:00:00Z"));
    }

    #[test]
    fn c1_skipped_time_resolves_to_the_jump() {
        // 02:30 on 8 March 2026 does not exist in LA: 03:00 PDT = 10:00 UTC.
        let local = NaiveDate::from_ymd_opt(2026, 3, 8)
            .unwrap()
            .and_hms_opt(2, 30, 0)
            .unwrap();
        assert_eq!(cal().resolve(local), utc("2026-03-08T10:00:00Z"));
        // A duration ending in the skipped hour: 6 Mar 02:30 PST + 2 days.
        let start = utc("2026-03-06T10:30:00Z");
        assert_eq!(cal().add_days(start, 2), utc("2026-03-08T10:00:00Z"));
    }

    #[test]
    fn c1_ambiguous_time_takes_the_earlier_instant() {
        // 01:30 on 1 Nov 2026 happens twice in LA: PDT (08:30 UTC) first.
        let local = NaiveDate::from_ymd_opt(2026, 11, 1)
            .unwrap()
            .and_hms_opt(1, 30, 0)
            .unwrap();
        assert_eq!(cal().resolve(local), utc("2026-11-01T08:30:00Z"));
        // A start in the repeated hour (second pass, PST) + 1 day = 2 Nov 01:30 PST.
        let start = utc("2026-11-01T09:30:00Z");
        assert_eq!(cal().add_days(start, 1), utc("2026-11-02T09:30:00Z"));
    }

    #[test]
    fn c1_zero_days_is_the_instant_itself() {
        let t = utc("2026-03-08T10:17:03Z");
        assert_eq!(cal().add_days(t, 0), t);
        let end = Calendar::new(LA, DayCounting::EndOfLocalDay);
        assert_eq!(end.add_days(t, 0), t);
    }

    #[test]
    fn c1_end_of_local_day_counting() {
        // 1 March 10:00 PST + 15 days, end of local day = 17 March 00:00 PDT.
        let end = Calendar::new(LA, DayCounting::EndOfLocalDay);
        assert_eq!(
            end.add_days(utc("2026-03-01T18:00:00Z"), 15),
            utc("2026-03-17T07:00:00Z")
        );
        assert_eq!(
            end.sub_days(utc("2026-03-17T07:00:00Z"), 3),
            utc("2026-03-14T07:00:00Z")
        );
    }

    #[test]
    fn sub_days_mirrors_add_days() {
        let t = utc("2026-04-30T17:00:00Z");
        assert_eq!(cal().sub_days(t, 60), utc("2026-03-01T18:00:00Z"));
    }

    #[test]
    fn moments_serialize_as_rfc3339_in_utc_and_local_time() {
        let m = cal().moment(utc("2026-03-12T07:00:00Z"));
        assert_eq!(
            serde_json::to_string(&m).unwrap(),
            r#"{"utc":"2026-03-12T07:00:00Z","local":"2026-03-12T00:00:00-07:00"}"#
        );
        let frac = Calendar::new(chrono_tz::Asia::Kolkata, DayCounting::SameWallClock)
            .moment(utc("2026-01-05T10:20:30.000000123Z"));
        assert_eq!(
            serde_json::to_string(&frac).unwrap(),
            r#"{"utc":"2026-01-05T10:20:30.000000123Z","local":"2026-01-05T15:50:30.000000123+05:30"}"#
        );
        assert_eq!(m.to_string(), "2026-03-12 00:00 PDT (2026-03-12 07:00 UTC)");
    }

    #[test]
    fn extreme_dates_do_not_panic() {
        let t = DateTime::<Utc>::MAX_UTC;
        let _ = cal().add_days(t, 1000);
        let _ = cal().nth_day_start(t, 1000);
        let _ = cal().sub_days(DateTime::<Utc>::MIN_UTC, 1000);
    }
}

/// Fast RFC 3339 reading for serde: the common
/// `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)` form is read directly;
/// anything else goes through chrono exactly as before.
pub mod rfc3339 {
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

    #[cfg(test)]
    mod tests {
        use super::*;
        use proptest::prelude::*;

        fn chrono(s: &str) -> Option<DateTime<Utc>> {
            s.parse::<DateTime<FixedOffset>>()
                .ok()
                .map(|t| t.with_timezone(&Utc))
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
}
