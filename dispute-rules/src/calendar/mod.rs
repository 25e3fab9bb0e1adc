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
//!
//! Offsets come from a table of the zone's offset changes, computed once per
//! zone from chrono-tz and searched by binary search (1968 to 2200; chrono-tz
//! answers directly outside that span), so every answer is chrono-tz's.
//!
//! ## Supported range
//!
//! The engine reads and computes instants from [`MIN_INSTANT`]
//! (1970-01-01T00:00:00Z) to [`MAX_INSTANT`] (the end of year 9999, UTC).
//! The `checked_*` methods of [`Calendar`] return `None` when an answer
//! leaves that range (or its local time passes the end of year 9999), so a
//! caller can name the input that pushed it out; the other methods compute
//! the true instant whatever its year, and a [`Moment`] is always written
//! with its true year (never clamped).

use chrono::offset::LocalResult;
use chrono::{
    DateTime, Datelike, Days, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc,
};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

pub mod rfc3339;
mod zone;

use rfc3339::Rfc3339;
use zone::Resolved;

/// The first year of the range the engine supports (inputs and computed
/// instants).
pub const MIN_YEAR: i32 = 1970;
/// The last year of the range the engine supports.
pub const MAX_YEAR: i32 = 9999;
/// The earliest instant the engine supports: 1970-01-01T00:00:00Z.
pub const MIN_INSTANT: DateTime<Utc> = instant(0, 0);
/// The latest instant the engine supports: 9999-12-31T23:59:59.999999999Z.
pub const MAX_INSTANT: DateTime<Utc> = instant(253_402_300_799, 999_999_999);

const fn instant(secs: i64, nanos: u32) -> DateTime<Utc> {
    match DateTime::<Utc>::from_timestamp(secs, nanos) {
        Some(t) => t,
        None => DateTime::<Utc>::MIN_UTC,
    }
}

/// Whether `at` lies in the supported range ([`MIN_INSTANT`] to
/// [`MAX_INSTANT`], both included).
pub fn in_supported_range(at: DateTime<Utc>) -> bool {
    MIN_INSTANT <= at && at <= MAX_INSTANT
}

/// How a duration of N days ends (C-1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum DayCounting {
    /// Ends at the same local wall-clock time N calendar days later, like the
    /// countdown timer on the order page (default, C-1).
    SameWallClock,
    /// Ends at the end of the local day N calendar days later (the following
    /// local midnight, exclusive).
    EndOfLocalDay,
}

/// Day arithmetic in one time zone with one counting rule (C-1).
///
/// Cheap to build and copy: the zone's offsets live in a table shared by
/// every calendar of that zone (built once, on first use or when a policy
/// in the zone is built or loaded).
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

    /// The day-counting rule.
    pub const fn counting(&self) -> DayCounting {
        self.counting
    }

    /// Builds this calendar's zone table now (it is otherwise built on first
    /// use), so the first computation in the zone costs no more than any
    /// other.
    pub fn prepare(&self) {
        let _ = zone::table(self.tz);
    }

    /// The instant as local time in the zone.
    pub fn local(&self, at: DateTime<Utc>) -> DateTime<Tz> {
        at.with_timezone(&self.tz)
    }

    /// The zone's offset from UTC at `at`.
    pub fn offset(&self, at: DateTime<Utc>) -> FixedOffset {
        fixed(zone::offset(self.tz, at))
    }

    /// The local calendar date of an instant (saturating at the ends of the
    /// calendar).
    pub fn local_date(&self, at: DateTime<Utc>) -> NaiveDate {
        self.wall(at).map_or_else(|| at.date_naive(), |w| w.date())
    }

    /// The local wall-clock time of an instant (`None` off the calendar).
    fn wall(&self, at: DateTime<Utc>) -> Option<NaiveDateTime> {
        let offset = FixedOffset::east_opt(zone::offset(self.tz, at))?;
        at.naive_utc().checked_add_offset(offset)
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
        self.nth_day_stamp(self.stamp(at), n).at()
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
        self.shift_stamp(self.stamp(at), i64::from(n)).at()
    }

    /// "`n` days before `at`" as a duration: the same wall-clock time `n`
    /// calendar days earlier (start of that local day under
    /// [`DayCounting::EndOfLocalDay`]). `n == 0` returns `at` unchanged.
    pub fn sub_days(&self, at: DateTime<Utc>, n: u32) -> DateTime<Utc> {
        self.shift_stamp(self.stamp(at), -i64::from(n)).at()
    }

    /// [`Calendar::add_days`] from a localized instant.
    pub fn add_days_from(&self, from: Local, n: u32) -> Local {
        self.shift(from, i64::from(n))
    }

    /// [`Calendar::sub_days`] from a localized instant.
    pub fn sub_days_from(&self, from: Local, n: u32) -> Local {
        self.shift(from, -i64::from(n))
    }

    /// [`Calendar::nth_day_start`], or `None` when the answer leaves the
    /// supported range ([`Local::is_supported`]).
    pub fn checked_nth_day_start(&self, at: DateTime<Utc>, n: u32) -> Option<DateTime<Utc>> {
        self.checked_nth_day_start_from(self.localize(at), n)
            .map(|l| l.at)
    }

    /// [`Calendar::add_days`], or `None` when the answer leaves the
    /// supported range ([`Local::is_supported`]).
    pub fn checked_add_days(&self, at: DateTime<Utc>, n: u32) -> Option<DateTime<Utc>> {
        self.checked_add_days_from(self.localize(at), n)
            .map(|l| l.at)
    }

    /// [`Calendar::sub_days`], or `None` when the answer leaves the
    /// supported range ([`Local::is_supported`]).
    pub fn checked_sub_days(&self, at: DateTime<Utc>, n: u32) -> Option<DateTime<Utc>> {
        self.checked_sub_days_from(self.localize(at), n)
            .map(|l| l.at)
    }

    /// [`Calendar::nth_day_start_from`], or `None` when the answer leaves
    /// the supported range ([`Local::is_supported`]).
    pub fn checked_nth_day_start_from(&self, from: Local, n: u32) -> Option<Local> {
        Some(self.nth_day_start_from(from, n)).filter(Local::is_supported)
    }

    /// [`Calendar::add_days_from`], or `None` when the answer leaves the
    /// supported range ([`Local::is_supported`]).
    pub fn checked_add_days_from(&self, from: Local, n: u32) -> Option<Local> {
        Some(self.add_days_from(from, n)).filter(Local::is_supported)
    }

    /// [`Calendar::sub_days_from`], or `None` when the answer leaves the
    /// supported range ([`Local::is_supported`]).
    pub fn checked_sub_days_from(&self, from: Local, n: u32) -> Option<Local> {
        Some(self.sub_days_from(from, n)).filter(Local::is_supported)
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
        let secs = local.and_utc().timestamp();
        match zone::table(self.tz).and_then(|t| t.resolve(secs)) {
            Some(Resolved::Offset(off)) => match local.checked_sub_offset(fixed(off)) {
                Some(at) => Local {
                    at: at.and_utc(),
                    wall: local,
                },
                None => self.resolve_local_chrono(local),
            },
            Some(Resolved::Gap { utc, off }) => {
                match DateTime::<Utc>::from_timestamp(utc, 0)
                    .and_then(|at| Some((at, at.naive_utc().checked_add_offset(fixed(off))?)))
                {
                    Some((at, wall)) => Local { at, wall },
                    None => self.resolve_local_chrono(local),
                }
            }
            None => self.resolve_local_chrono(local),
        }
    }

    /// Resolves a local wall-clock time to an instant (C-1): the earlier
    /// instant when ambiguous; the instant the clocks jump when it does not
    /// exist.
    pub fn resolve(&self, local: NaiveDateTime) -> DateTime<Utc> {
        self.resolve_local(local).at
    }

    /// [`Calendar::resolve_local`] by chrono-tz, for wall-clock times outside
    /// the zone table.
    fn resolve_local_chrono(&self, local: NaiveDateTime) -> Local {
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

    /// The instant as a [`Moment`] in this calendar's zone.
    pub fn moment(&self, at: DateTime<Utc>) -> Moment {
        Moment::new(at, self.tz)
    }

    /// A localized instant as a [`Moment`], its offset read from the
    /// wall-clock time it carries (no zone lookup): for a [`Local`] this
    /// calendar made ([`Calendar::localize`], [`Calendar::add_days_from`],
    /// ...). A `Local` whose wall-clock time is not within a day of its
    /// instant (so not one of this calendar's) gets the zone's offset.
    pub fn moment_of(&self, l: Local) -> Moment {
        use chrono::Timelike;
        let (wall, utc) = (l.wall, l.at.naive_utc());
        let (wd, ud) = (wall.date(), utc.date());
        let day = if wd == ud {
            Some(0)
        } else if wd.pred_opt() == Some(ud) {
            Some(86_400)
        } else if wd.succ_opt() == Some(ud) {
            Some(-86_400)
        } else {
            None
        };
        let secs = |t: NaiveDateTime| i32::try_from(t.num_seconds_from_midnight()).ok();
        match (day, secs(wall), secs(utc)) {
            (Some(day), Some(w), Some(u))
                if wall.nanosecond() == utc.nanosecond() && (day + w - u).abs() < 86_400 =>
            {
                Moment {
                    utc: l.at,
                    tz: self.tz,
                    offset: day + w - u,
                    of: l.at,
                }
            }
            _ => self.moment(l.at),
        }
    }
}

/// Seconds in a calendar day of wall-clock time.
const DAY: i64 = 86_400;

/// An instant (UTC seconds and nanoseconds) with the zone's offset there:
/// the engine's working form of a [`Local`], in plain integers. Its
/// wall-clock time is `secs + off` seconds, so a calendar day later is
/// `DAY` seconds of wall-clock time later, whatever the zone did meanwhile
/// (C-1); only the way back to an instant needs the zone table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Stamp {
    /// UTC seconds since 1970-01-01T00:00:00Z.
    pub(crate) secs: i64,
    /// Nanoseconds within the second.
    pub(crate) nanos: u32,
    /// The zone's offset at the instant (seconds east of UTC).
    pub(crate) off: i32,
}

/// The last second of [`MAX_YEAR`]: 9999-12-31T23:59:59 (as UTC or as a
/// wall-clock time).
const MAX_SECS: i64 = MAX_INSTANT.timestamp();
const _: () = assert!(MIN_INSTANT.timestamp() == 0);
const _: () = assert!(MIN_YEAR == crate::limits::MIN_YEAR && MAX_YEAR == crate::limits::MAX_YEAR);

/// An instant with the zone's offset there, found when it was computed, so
/// that writing it as a [`Moment`] needs no lookup (C-1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Zoned {
    /// The instant.
    pub(crate) at: DateTime<Utc>,
    /// The zone's offset at the instant (seconds east of UTC).
    pub(crate) off: i32,
}

impl Zoned {
    /// As a [`Moment`] in `tz` (the zone the offset was found in).
    pub(crate) const fn moment(self, tz: Tz) -> Moment {
        Moment::with_offset(self.at, tz, self.off)
    }
}

impl Stamp {
    /// The instant with its offset.
    pub(crate) fn zoned(&self) -> Zoned {
        Zoned {
            at: self.at(),
            off: self.off,
        }
    }

    /// The wall-clock time, in seconds as if it were UTC.
    pub(crate) const fn wall(&self) -> i64 {
        self.secs.saturating_add(self.off as i64)
    }

    /// The instant.
    pub(crate) fn at(&self) -> DateTime<Utc> {
        DateTime::<Utc>::from_timestamp(self.secs, self.nanos)
            .or_else(|| DateTime::<Utc>::from_timestamp(self.secs, self.nanos.min(999_999_999)))
            .unwrap_or(if self.secs < 0 {
                DateTime::<Utc>::MIN_UTC
            } else {
                DateTime::<Utc>::MAX_UTC
            })
    }

    /// Whether the instant lies after the supported range, in UTC or as
    /// written in local time (past the end of [`MAX_YEAR`]).
    pub(crate) const fn after_supported(&self) -> bool {
        self.secs > MAX_SECS || self.wall() > MAX_SECS
    }

    /// Whether the instant lies before [`MIN_INSTANT`].
    pub(crate) const fn before_supported(&self) -> bool {
        self.secs < 0
    }

    /// As a [`Local`].
    pub(crate) fn local(&self) -> Local {
        let at = self.at();
        let wall = at
            .naive_utc()
            .checked_add_offset(fixed(self.off))
            .unwrap_or_else(|| at.naive_utc());
        Local { at, wall }
    }
}

impl Calendar {
    /// The instant with the zone's offset there (one table lookup).
    pub(crate) fn stamp(&self, at: DateTime<Utc>) -> Stamp {
        let secs = at.timestamp();
        let off = zone::table(self.tz)
            .and_then(|t| t.offset(secs))
            .unwrap_or_else(|| zone::chrono_offset(self.tz, &at.naive_utc()));
        Stamp {
            secs,
            nanos: at.timestamp_subsec_nanos(),
            off,
        }
    }

    /// The instant with the zone's offset there (one table lookup).
    pub(crate) fn zoned(&self, at: DateTime<Utc>) -> Zoned {
        Zoned {
            at,
            off: zone::offset(self.tz, at),
        }
    }

    /// [`Calendar::add_days`], with the zone's offset at the answer.
    pub(crate) fn add_days_zoned(&self, at: DateTime<Utc>, n: u32) -> Zoned {
        self.shift_stamp(self.stamp(at), i64::from(n)).zoned()
    }

    /// A [`Local`] as a stamp, its offset read from its wall-clock time.
    fn local_of(&self, l: Local) -> Stamp {
        let secs = l.at.timestamp();
        let off = l.wall.and_utc().timestamp().saturating_sub(secs);
        Stamp {
            secs,
            nanos: l.at.timestamp_subsec_nanos(),
            off: i32::try_from(off).unwrap_or(0),
        }
    }

    /// The instant at wall-clock time `wall` (seconds) and `nanos` (C-1:
    /// the earlier instant when ambiguous, the jump when skipped), from the
    /// zone table; `None` when the table does not cover it.
    fn resolve_stamp(&self, wall: i64, nanos: u32) -> Option<Stamp> {
        match zone::table(self.tz)?.resolve(wall)? {
            Resolved::Offset(off) => Some(Stamp {
                secs: wall.checked_sub(i64::from(off))?,
                nanos,
                off,
            }),
            Resolved::Gap { utc, off } => Some(Stamp {
                secs: utc,
                nanos: 0,
                off,
            }),
        }
    }

    /// [`Calendar::shift`] on stamps: `n` calendar days (C-1).
    pub(crate) fn shift_stamp(&self, from: Stamp, n: i64) -> Stamp {
        if n == 0 {
            return from;
        }
        let wall = from.wall();
        let target = match self.counting {
            DayCounting::SameWallClock => n
                .checked_mul(DAY)
                .and_then(|d| wall.checked_add(d))
                .map(|w| (w, from.nanos)),
            DayCounting::EndOfLocalDay => {
                let days = if n > 0 { n.saturating_add(1) } else { n };
                days.checked_mul(DAY)
                    .and_then(|d| (wall - wall.rem_euclid(DAY)).checked_add(d))
                    .map(|w| (w, 0))
            }
        };
        target
            .and_then(|(w, nanos)| self.resolve_stamp(w, nanos))
            .unwrap_or_else(|| self.local_of(self.shift(from.local(), n)))
    }

    /// [`Calendar::nth_day_start_from`] on stamps (C-1, R-E1).
    pub(crate) fn nth_day_stamp(&self, from: Stamp, n: u32) -> Stamp {
        let wall = from.wall();
        i64::from(n)
            .checked_mul(DAY)
            .and_then(|d| (wall - wall.rem_euclid(DAY)).checked_add(d))
            .and_then(|w| self.resolve_stamp(w, 0))
            .unwrap_or_else(|| self.local_of(self.nth_day_start_from(from.local(), n)))
    }
}

/// An offset in seconds (within a day by construction) as a `FixedOffset`.
/// An offset in seconds rounded to the nearest whole minute.
const fn to_minute(secs: i32) -> i32 {
    let rest = secs.rem_euclid(60);
    secs - rest + if rest >= 30 { 60 } else { 0 }
}

fn fixed(secs: i32) -> FixedOffset {
    FixedOffset::east_opt(secs).unwrap_or_else(|| chrono::Offset::fix(&Utc))
}

/// An instant together with its wall-clock time in a calendar's zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Local {
    /// The instant.
    pub at: DateTime<Utc>,
    /// Its local wall-clock time.
    pub wall: NaiveDateTime,
}

impl Local {
    /// Whether the instant lies in the supported range ([`MIN_INSTANT`] to
    /// [`MAX_INSTANT`]) and its wall-clock time is no later than the end of
    /// [`MAX_YEAR`], so both its written forms (UTC and local) have
    /// four-digit years.
    pub fn is_supported(&self) -> bool {
        in_supported_range(self.at) && self.wall.year() <= MAX_YEAR
    }
}

/// An exact instant reported in UTC and in the policy's zone (C-1).
///
/// A moment knows its offset (computed once, when it is made), so writing it
/// is only formatting.
///
/// In JSON: `{"utc": "2026-03-12T07:00:00Z", "local": "2026-03-12T00:00:00-07:00"}`.
#[derive(Debug, Clone, Copy)]
pub struct Moment {
    /// The instant.
    pub utc: DateTime<Utc>,
    tz: Tz,
    /// The zone's offset (seconds east of UTC) at `of`.
    offset: i32,
    /// The instant `offset` was computed for: `utc` is a public field, so
    /// a changed `utc` is noticed and its offset looked up again.
    of: DateTime<Utc>,
}

impl Moment {
    /// An instant to be shown in `tz`.
    pub fn new(utc: DateTime<Utc>, tz: Tz) -> Moment {
        Moment {
            utc,
            tz,
            offset: zone::offset(tz, utc),
            of: utc,
        }
    }

    /// An instant whose zone offset is already known (`offset`, seconds
    /// east of UTC, found when the instant was computed): no lookup.
    pub(crate) const fn with_offset(utc: DateTime<Utc>, tz: Tz, offset: i32) -> Moment {
        Moment {
            utc,
            tz,
            offset,
            of: utc,
        }
    }

    /// The same instant as local time in the policy's zone.
    pub fn local(&self) -> DateTime<Tz> {
        self.utc.with_timezone(&self.tz)
    }

    /// The zone.
    pub const fn tz(&self) -> Tz {
        self.tz
    }

    /// The zone's offset from UTC at this instant.
    pub fn offset(&self) -> FixedOffset {
        fixed(self.offset_secs())
    }

    fn offset_secs(&self) -> i32 {
        if self.utc == self.of {
            self.offset
        } else {
            zone::offset(self.tz, self.utc)
        }
    }
}

impl PartialEq for Moment {
    fn eq(&self, other: &Self) -> bool {
        self.utc == other.utc && self.tz == other.tz
    }
}

impl Eq for Moment {}

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

impl Moment {
    /// Appends this moment as JSON, byte for byte what serde_json writes
    /// for its [`Serialize`] form, straight into `out` (no escape scan: the
    /// text is known ASCII).
    pub(crate) fn write_json(&self, out: &mut String) {
        let utc = self.utc.naive_utc();
        // As in `serialize`: the offset rounded to the minute.
        let offset = to_minute(self.offset_secs());
        let wall = utc.checked_add_offset(fixed(offset)).unwrap_or(utc);
        rfc3339::push_moment_json(out, utc, wall, offset);
    }

    /// What [`Moment::write_json`] writes depends on: the instant, the
    /// zone and the zone's offset at the instant.
    pub(crate) fn json_key(&self) -> (DateTime<Utc>, Tz, i32) {
        (self.utc, self.tz, self.offset_secs())
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
        // RFC 3339 offsets are whole minutes: a zone's offset with seconds
        // (local mean time, such as Monrovia's -00:44:30 until 1972) is
        // written rounded to the minute, with the wall time of that offset,
        // so that the text still names the instant exactly.
        let offset = to_minute(self.offset_secs());
        let wall = utc.checked_add_offset(fixed(offset)).unwrap_or(utc);
        st.serialize_field(
            "local",
            &Rfc3339 {
                wall,
                offset_secs: Some(offset),
            },
        )?;
        st.end()
    }
}

impl std::fmt::Display for Moment {
    /// `2026-03-12 00:00 PDT (2026-03-12 07:00 UTC)`
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use chrono::Timelike;
        let l = self.local();
        let u = self.utc;
        let (y, mo, d, h, mi) = (l.year(), l.month(), l.day(), l.hour(), l.minute());
        write!(f, "{y:04}-{mo:02}-{d:02} {h:02}:{mi:02} {} ", l.offset())?;
        let (y, mo, d, h, mi) = (u.year(), u.month(), u.day(), u.hour(), u.minute());
        write!(f, "({y:04}-{mo:02}-{d:02} {h:02}:{mi:02} UTC)")
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
    fn a_local_offset_with_seconds_is_written_to_the_minute() {
        // Fuzz finding: Los Angeles in 1013 (local mean time, -07:52:58)
        // was written `1013-03-20T16:07:02-07:52`, 58 seconds off the
        // instant. Monrovia kept -00:44:30 until 1972, inside the supported
        // years.
        use chrono_tz::Africa::Monrovia;
        for (at, tz, local) in [
            ("1013-03-21T00:00:00Z", LA, "1013-03-20T16:07:00-07:53"),
            (
                "1971-06-01T12:00:00Z",
                Monrovia,
                "1971-06-01T11:16:00-00:44",
            ),
            ("1972-06-01T12:00:00Z", Monrovia, "1972-06-01T12:00:00Z"),
        ] {
            let v = serde_json::to_value(Moment::new(utc(at), tz)).unwrap();
            let local = if local.ends_with('Z') {
                local.replace('Z', "+00:00")
            } else {
                local.to_owned()
            };
            assert_eq!(v["local"], local.as_str(), "{at} in {tz}");
            let back: DateTime<FixedOffset> = v["local"].as_str().unwrap().parse().unwrap();
            assert_eq!(back, utc(at), "{at} in {tz}");
        }
        assert_eq!(
            [-28378, -2670, -2640, 29, 30, 19800, 0].map(to_minute),
            [-28380, -2640, -2640, 0, 60, 19800, 0]
        );
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
    fn a_moment_writes_its_json_as_serde_json_writes_it() {
        let same = |m: &Moment| {
            let mut fast = String::from("[");
            m.write_json(&mut fast);
            fast.push(']');
            assert_eq!(
                fast,
                format!("[{}]", serde_json::to_string(m).unwrap()),
                "{m:?}"
            );
        };
        let zones = [
            LA,
            chrono_tz::UTC,
            chrono_tz::Asia::Kolkata,
            chrono_tz::Africa::Monrovia,
            chrono_tz::Pacific::Kiritimati,
            chrono_tz::Pacific::Pago_Pago,
            chrono_tz::Australia::Lord_Howe,
        ];
        let instants = [
            "2026-03-12T07:00:00Z",
            "2026-01-05T10:20:30.000000123Z",
            "2026-03-08T09:59:59.5Z",
            "2026-11-01T08:30:00Z",
            "1950-06-01T12:00:00Z",
            "1971-12-31T23:59:59.999999999Z",
            "0001-01-01T00:00:00Z",
            "9999-12-31T23:59:59Z",
        ];
        for tz in zones {
            for at in instants {
                same(&Moment::new(utc(at), tz));
            }
            // Years past 9999 and before year 0, written in full.
            for at in [
                chrono::NaiveDate::from_ymd_opt(12345, 6, 7),
                chrono::NaiveDate::from_ymd_opt(-44, 3, 15),
            ] {
                let at = at.unwrap().and_hms_opt(1, 2, 3).unwrap().and_utc();
                same(&Moment::new(at, tz));
            }
        }
        // A moment whose public `utc` was moved: the offset of the new instant.
        let mut m = cal().moment(utc("2026-01-15T20:00:00Z"));
        m.utc = utc("2026-07-15T19:00:00Z");
        same(&m);
    }

    #[test]
    fn a_moment_writes_the_offset_of_its_current_instant() {
        // Winter (PST) moment, then its public `utc` moved into summer (PDT):
        // the offset carried for the old instant is not reused.
        let mut m = cal().moment(utc("2026-01-15T20:00:00Z"));
        assert_eq!(m.offset().local_minus_utc(), -8 * 3600);
        m.utc = utc("2026-07-15T19:00:00Z");
        assert_eq!(m.offset().local_minus_utc(), -7 * 3600);
        assert_eq!(
            serde_json::to_string(&m).unwrap(),
            r#"{"utc":"2026-07-15T19:00:00Z","local":"2026-07-15T12:00:00-07:00"}"#
        );
        assert_eq!(m, Moment::new(m.utc, LA));
    }

    #[test]
    fn a_moment_of_a_local_reads_its_offset_from_the_wall_clock() {
        for at in [
            "2026-03-08T09:59:59.5Z",
            "2026-03-08T10:00:00Z",
            "2026-11-01T08:30:00Z",
            "2026-11-01T09:30:00Z",
            "2026-01-01T07:59:59Z",
            "2026-01-01T08:00:00Z",
        ] {
            let l = cal().localize(utc(at));
            let m = cal().moment_of(l);
            assert_eq!(m.offset(), cal().moment(utc(at)).offset(), "{at}");
            assert_eq!(m, cal().moment(utc(at)));
        }
        // Kolkata (+05:30) across its midnight, Apia (+13/+14) and the ends.
        let tz = chrono_tz::Pacific::Apia;
        let apia = Calendar::new(tz, DayCounting::SameWallClock);
        let l = apia.localize(utc("2026-06-30T12:00:00Z"));
        assert_eq!(apia.moment_of(l).offset(), apia.offset(l.at));
        // A `Local` that is not this calendar's: the zone decides.
        let odd = Local {
            at: utc("2026-06-30T12:00:00Z"),
            wall: utc("2026-06-20T12:00:00Z").naive_utc(),
        };
        assert_eq!(apia.moment_of(odd).offset(), apia.offset(odd.at));
    }

    #[test]
    fn supported_range_is_1970_to_9999() {
        assert_eq!(MIN_INSTANT, utc("1970-01-01T00:00:00Z"));
        assert_eq!(MAX_INSTANT, utc("9999-12-31T23:59:59.999999999Z"));
        assert_eq!((MIN_YEAR, MAX_YEAR), (1970, 9999));
        assert_eq!(MIN_INSTANT.year(), MIN_YEAR);
        assert_eq!(MAX_INSTANT.year(), MAX_YEAR);
        assert!(in_supported_range(MIN_INSTANT) && in_supported_range(MAX_INSTANT));
        assert!(!in_supported_range(
            MIN_INSTANT - chrono::TimeDelta::nanoseconds(1)
        ));
        assert!(!in_supported_range(
            MAX_INSTANT + chrono::TimeDelta::nanoseconds(1)
        ));
    }

    #[test]
    fn checked_arithmetic_refuses_answers_past_9999() {
        // Issue 13: shipped 9999-12-01, 60 days of protection.
        let shipped = utc("9999-12-01T10:00:00Z");
        assert_eq!(cal().checked_add_days(shipped, 60), None);
        assert_eq!(cal().checked_nth_day_start(shipped, 40), None);
        // The unchecked answer is the true instant, in year 10000, and is
        // written with its true year.
        let end = cal().add_days(shipped, 60);
        assert_eq!(end, utc("+10000-01-30T10:00:00Z"));
        assert_eq!(
            serde_json::to_string(&cal().moment(end)).unwrap(),
            r#"{"utc":"+10000-01-30T10:00:00Z","local":"+10000-01-30T02:00:00-08:00"}"#
        );
        // Inside the range: the same answers as unchecked.
        assert_eq!(
            cal().checked_add_days(shipped, 20),
            Some(cal().add_days(shipped, 20))
        );
        assert_eq!(
            cal().checked_nth_day_start(shipped, 11),
            Some(utc("9999-12-12T08:00:00Z"))
        );
        assert_eq!(cal().checked_sub_days(shipped, 0), Some(shipped));
        // Below 1970.
        let early = utc("1970-01-02T10:00:00Z");
        assert_eq!(cal().checked_sub_days(early, 2), None);
        assert_eq!(
            cal().checked_sub_days(early, 1),
            Some(utc("1970-01-01T10:00:00Z"))
        );
        // The last hour of 9999 in UTC is already year 10000 in Kolkata:
        // its local form would not have four digits, so it is refused.
        let kolkata = Calendar::new(chrono_tz::Asia::Kolkata, DayCounting::SameWallClock);
        let late = kolkata.localize(utc("9999-12-31T20:00:00Z"));
        assert!(!late.is_supported());
        assert_eq!(kolkata.checked_add_days_from(late, 0), None);
        let l = kolkata.localize(utc("9999-12-30T20:00:00Z"));
        assert!(l.is_supported());
        assert_eq!(kolkata.checked_add_days_from(l, 1), None);
        assert_eq!(
            kolkata.checked_sub_days_from(l, 1).map(|x| x.wall.day()),
            Some(30)
        );
        assert_eq!(
            kolkata.checked_nth_day_start_from(l, 0).map(|x| x.at),
            Some(utc("9999-12-30T18:30:00Z"))
        );
        assert_eq!(kolkata.checked_nth_day_start_from(l, 1), None);
    }

    #[test]
    fn extreme_dates_do_not_panic() {
        let t = DateTime::<Utc>::MAX_UTC;
        let _ = cal().add_days(t, 1000);
        let _ = cal().nth_day_start(t, 1000);
        let _ = cal().sub_days(DateTime::<Utc>::MIN_UTC, 1000);
    }
}
