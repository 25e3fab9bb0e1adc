//! Marketplace time (C-1): calendar-day arithmetic in the policy's time zone.
//!
//! Two kinds of day counting, exactly as `RULES.md` C-1 defines them:
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

    /// "The Nth day after `at`": 00:00 local time on the local date of `at`
    /// plus `n` days (C-1, R-E1).
    pub fn nth_day_start(&self, at: DateTime<Utc>, n: u32) -> DateTime<Utc> {
        let date = add_date(self.local_date(at), i64::from(n));
        self.resolve(date.and_time(NaiveTime::MIN))
    }

    /// 00:00 local time on `date`.
    pub fn start_of_day(&self, date: NaiveDate) -> DateTime<Utc> {
        self.resolve(date.and_time(NaiveTime::MIN))
    }

    /// "`n` days after `at`" as a duration (C-1): same wall-clock time `n`
    /// calendar days later, or the end of that local day under
    /// [`DayCounting::EndOfLocalDay`]. `n == 0` returns `at` unchanged.
    pub fn add_days(&self, at: DateTime<Utc>, n: u32) -> DateTime<Utc> {
        self.shift(at, i64::from(n))
    }

    /// "`n` days before `at`" as a duration: the same wall-clock time `n`
    /// calendar days earlier (start of that local day under
    /// [`DayCounting::EndOfLocalDay`]). `n == 0` returns `at` unchanged.
    pub fn sub_days(&self, at: DateTime<Utc>, n: u32) -> DateTime<Utc> {
        self.shift(at, -i64::from(n))
    }

    fn shift(&self, at: DateTime<Utc>, n: i64) -> DateTime<Utc> {
        if n == 0 {
            return at;
        }
        let Some(local) = self.wall(at) else {
            return at;
        };
        match self.counting {
            DayCounting::SameWallClock => {
                let date = add_date(local.date(), n);
                self.resolve(date.and_time(local.time()))
            }
            DayCounting::EndOfLocalDay => {
                // Ends when local day date+n ends: the next local midnight.
                // Going backwards, the start of the local day date+n.
                let days = if n > 0 { n + 1 } else { n };
                self.start_of_day(add_date(local.date(), days))
            }
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
        st.serialize_field(
            "utc",
            &self
                .utc
                .to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true),
        )?;
        st.serialize_field(
            "local",
            &self
                .local()
                .to_rfc3339_opts(chrono::SecondsFormat::AutoSi, false),
        )?;
        st.end()
    }
}

impl std::fmt::Display for Moment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} ({})",
            self.local().format("%Y-%m-%d %H:%M %Z"),
            self.utc.format("%Y-%m-%d %H:%M UTC")
        )
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
    fn extreme_dates_do_not_panic() {
        let t = DateTime::<Utc>::MAX_UTC;
        let _ = cal().add_days(t, 1000);
        let _ = cal().nth_day_start(t, 1000);
        let _ = cal().sub_days(DateTime::<Utc>::MIN_UTC, 1000);
    }
}
