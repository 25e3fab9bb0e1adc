//! C-1 against chrono-tz: the calendar's zone tables give chrono-tz's
//! answers for every instant from 1970 to 2200, sampled densely around every
//! offset change (the skipped and the repeated hours included) and every six
//! hours in between, in both directions (UTC to local, local to UTC) and for
//! both day-counting rules; random instants up to year 9999 (outside the
//! tables) as well.
//!
//! The reference here is built from chrono-tz alone, following C-1's words:
//! a skipped wall-clock time resolves to the instant the clocks jump
//! (chrono-tz's `GapInfo`), an ambiguous one to the earlier instant.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "test code"
)]

use chrono::offset::LocalResult;
use chrono::{
    DateTime, Datelike, Days, NaiveDateTime, NaiveTime, Offset, TimeDelta, TimeZone, Utc,
};
use chrono_tz::{America, Asia, Australia, Europe, GapInfo, Pacific, Tz};
use dispute_rules::calendar::{in_supported_range, Calendar, DayCounting, Moment, MAX_YEAR};
use proptest::prelude::*;

const ZONES: [Tz; 7] = [
    America::Los_Angeles,
    Europe::London,
    Australia::Lord_Howe, // 30-minute DST
    Asia::Kolkata,        // +05:30, no DST since 1945
    Pacific::Apia,        // skipped 30 December 2011 entirely
    America::Sao_Paulo,
    chrono_tz::UTC,
];
const COUNTINGS: [DayCounting; 2] = [DayCounting::SameWallClock, DayCounting::EndOfLocalDay];

/// 1970-01-01T00:00:00Z and 2200-01-01T00:00:00Z.
const FROM: i64 = 0;
const UNTIL: i64 = 7_258_118_400;

// ---- the reference: chrono-tz and C-1's words ---------------------------

fn utc(secs: i64, nanos: u32) -> DateTime<Utc> {
    DateTime::from_timestamp(secs, nanos).unwrap()
}

fn ref_offset(tz: Tz, at: DateTime<Utc>) -> i32 {
    tz.offset_from_utc_datetime(&at.naive_utc())
        .fix()
        .local_minus_utc()
}

fn ref_wall(tz: Tz, at: DateTime<Utc>) -> NaiveDateTime {
    at.with_timezone(&tz).naive_local()
}

fn ref_resolve(tz: Tz, local: NaiveDateTime) -> DateTime<Utc> {
    match tz.from_local_datetime(&local) {
        LocalResult::Single(t) => t.with_timezone(&Utc),
        LocalResult::Ambiguous(a, b) => a.min(b).with_timezone(&Utc),
        LocalResult::None => GapInfo::new(&local, &tz)
            .and_then(|g| g.end)
            .unwrap_or_else(|| panic!("{tz}: no end to the gap at {local}"))
            .with_timezone(&Utc),
    }
}

fn ref_add_days(tz: Tz, counting: DayCounting, at: DateTime<Utc>, n: u64) -> DateTime<Utc> {
    if n == 0 {
        return at;
    }
    let w = ref_wall(tz, at);
    match counting {
        DayCounting::SameWallClock => ref_resolve(
            tz,
            w.date()
                .checked_add_days(Days::new(n))
                .unwrap()
                .and_time(w.time()),
        ),
        DayCounting::EndOfLocalDay => ref_resolve(
            tz,
            w.date()
                .checked_add_days(Days::new(n + 1))
                .unwrap()
                .and_time(NaiveTime::MIN),
        ),
        _ => unreachable!("a variant newer than this test"),
    }
}

fn ref_sub_days(tz: Tz, counting: DayCounting, at: DateTime<Utc>, n: u64) -> DateTime<Utc> {
    if n == 0 {
        return at;
    }
    let w = ref_wall(tz, at);
    let date = w.date().checked_sub_days(Days::new(n)).unwrap();
    match counting {
        DayCounting::SameWallClock => ref_resolve(tz, date.and_time(w.time())),
        DayCounting::EndOfLocalDay => ref_resolve(tz, date.and_time(NaiveTime::MIN)),
        _ => unreachable!("a variant newer than this test"),
    }
}

fn ref_nth_day_start(tz: Tz, at: DateTime<Utc>, n: u64) -> DateTime<Utc> {
    let w = ref_wall(tz, at);
    ref_resolve(
        tz,
        w.date()
            .checked_add_days(Days::new(n))
            .unwrap()
            .and_time(NaiveTime::MIN),
    )
}

/// chrono-tz's offset changes in [FROM, UNTIL): a scan every six hours,
/// bisected to the second (independent of the engine's own scan).
fn ref_transitions(tz: Tz) -> Vec<i64> {
    const STEP: i64 = 6 * 3600;
    let off = |t: i64| ref_offset(tz, utc(t, 0));
    let mut out = Vec::new();
    let (mut t, mut cur) = (FROM, off(FROM));
    while t < UNTIL {
        let next = (t + STEP).min(UNTIL);
        let o = off(next);
        if o == cur {
            t = next;
            continue;
        }
        let (mut lo, mut hi) = (t, next);
        while hi - lo > 1 {
            let mid = lo + (hi - lo) / 2;
            if off(mid) == cur {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        out.push(hi);
        cur = off(hi);
        t = hi;
    }
    out
}

// ---- the checks ------------------------------------------------------------

/// UTC to local: the wall-clock time, the local date, the offset, and the
/// moment's JSON (both forms parse back to the instant; the local form
/// carries the zone's offset).
fn check_utc_to_local(tz: Tz, at: DateTime<Utc>, json: bool) {
    let cal = Calendar::new(tz, DayCounting::SameWallClock);
    let want = ref_wall(tz, at);
    assert_eq!(cal.localize(at).wall, want, "{tz}: wall of {at:?}");
    assert_eq!(cal.local_date(at), want.date(), "{tz}: date of {at:?}");
    let off = ref_offset(tz, at);
    assert_eq!(
        cal.offset(at).local_minus_utc(),
        off,
        "{tz}: offset at {at:?}"
    );
    let m = Moment::new(at, tz);
    assert_eq!(m.offset().local_minus_utc(), off, "{tz}: moment at {at:?}");
    if !json {
        return;
    }
    let v = serde_json::to_value(m).unwrap();
    let (u, l) = (v["utc"].as_str().unwrap(), v["local"].as_str().unwrap());
    assert_eq!(u.parse::<DateTime<Utc>>().unwrap(), at, "{tz}: {u}");
    let local = DateTime::parse_from_rfc3339(l).unwrap();
    assert_eq!(local.with_timezone(&Utc), at, "{tz}: {l}");
    assert_eq!(local.offset().local_minus_utc(), off, "{tz}: {l}");
}

/// Local to UTC: C-1's resolution, and the wall-clock time kept with it.
fn check_local_to_utc(tz: Tz, local: NaiveDateTime) {
    let cal = Calendar::new(tz, DayCounting::SameWallClock);
    let want = ref_resolve(tz, local);
    assert_eq!(cal.resolve(local), want, "{tz}: resolve {local}");
    let l = cal.resolve_local(local);
    assert_eq!(l.at, want, "{tz}: resolve_local {local}");
    assert_eq!(l.wall, ref_wall(tz, want), "{tz}: wall kept for {local}");
}

/// Day counting from `at`, `n` days, both rules, both directions, typed and
/// chained from a localized instant.
fn check_days(tz: Tz, at: DateTime<Utc>, n: u32) {
    for counting in COUNTINGS {
        let cal = Calendar::new(tz, counting);
        let n64 = u64::from(n);
        let ctx = || format!("{tz} {counting:?}: {at:?} and {n} days");
        let add = ref_add_days(tz, counting, at, n64);
        assert_eq!(cal.add_days(at, n), add, "add {}", ctx());
        let from = cal.localize(at);
        let l = cal.add_days_from(from, n);
        assert_eq!(l.at, add, "add_from {}", ctx());
        if n > 0 {
            assert_eq!(l.wall, ref_wall(tz, add), "add_from wall {}", ctx());
        }
        let m = cal.moment_of(l);
        assert_eq!(m.offset().local_minus_utc(), ref_offset(tz, add), "moment_of {}", ctx());
        let sub = ref_sub_days(tz, counting, at, n64);
        assert_eq!(cal.sub_days(at, n), sub, "sub {}", ctx());
        assert_eq!(cal.sub_days_from(from, n).at, sub, "sub_from {}", ctx());
        let nth = ref_nth_day_start(tz, at, n64);
        assert_eq!(cal.nth_day_start(at, n), nth, "nth {}", ctx());
        assert_eq!(
            cal.nth_day_start_from(from, n).at,
            nth,
            "nth_from {}",
            ctx()
        );
        let supported =
            |t: DateTime<Utc>| in_supported_range(t) && ref_wall(tz, t).year() <= MAX_YEAR;
        let checked = Some(add).filter(|&t| supported(t));
        assert_eq!(
            cal.checked_add_days(at, n),
            checked,
            "checked add {}",
            ctx()
        );
        let checked = Some(sub).filter(|&t| supported(t));
        assert_eq!(
            cal.checked_sub_days(at, n),
            checked,
            "checked sub {}",
            ctx()
        );
        let checked = Some(nth).filter(|&t| supported(t));
        assert_eq!(
            cal.checked_nth_day_start(at, n),
            checked,
            "checked nth {}",
            ctx()
        );
    }
}

/// Day counts that land a start near a change (or cross one).
const DAY_COUNTS: [u32; 5] = [0, 1, 11, 60, 100];

#[test]
fn c1_tables_agree_with_chrono_tz_around_every_change_1970_to_2200() {
    let mut changes = 0;
    for tz in ZONES {
        let transitions = ref_transitions(tz);
        changes += transitions.len();
        for &t in &transitions {
            let before = ref_offset(tz, utc(t - 1, 0));
            let after = ref_offset(tz, utc(t, 0));
            // UTC to local: every 5 minutes for 2 hours each side, every
            // second for 3 seconds each side, and the nanosecond edges.
            let mut instants: Vec<DateTime<Utc>> = (-24..=24)
                .map(|k| utc(t + k * 300, 0))
                .chain((-3..=3).map(|k| utc(t + k, 0)))
                .collect();
            instants.push(utc(t - 1, 999_999_999));
            instants.push(utc(t, 1));
            for &at in &instants {
                check_utc_to_local(tz, at, true);
            }
            // Local to UTC across the skipped or repeated wall-clock times:
            // the old span's wall-clock end and the new span's start, every
            // 5 minutes from an hour before the earlier to an hour after the
            // later, and a second either side of each.
            let (end_old, start_new) = (t + i64::from(before), t + i64::from(after));
            let (lo, hi) = (end_old.min(start_new), end_old.max(start_new));
            let mut walls: Vec<i64> = (0..)
                .map(|k| lo - 3600 + k * 300)
                .take_while(|&w| w <= hi + 3600)
                .collect();
            for e in [end_old, start_new] {
                walls.extend([e - 1, e, e + 1]);
            }
            walls.push((lo + hi) / 2);
            for w in walls {
                check_local_to_utc(tz, utc(w, 0).naive_utc());
                check_local_to_utc(tz, utc(w, 500_000_000).naive_utc());
            }
            // Day counting whose answer lands near the change: starts n days
            // (of wall-clock time) before samples around it, and after it
            // for subtraction.
            for k in [-3600i64, -1, 0, 1, 3600] {
                for n in DAY_COUNTS {
                    let days = i64::from(n) * 86_400;
                    check_days(tz, utc(t + k - days, 0), n);
                    check_days(tz, utc(t + k + days, 0), n);
                }
            }
            // Starts inside the repeated or skipped wall-clock hour itself.
            for w in [lo, (lo + hi) / 2, hi - 1] {
                let at = ref_resolve(tz, utc(w, 0).naive_utc());
                for n in DAY_COUNTS {
                    check_days(tz, at, n);
                    check_days(tz, at - TimeDelta::days(i64::from(n)), n);
                }
            }
        }
        // Between the changes: every six hours from 1970 to 2200.
        for t in (FROM..UNTIL).step_by(6 * 3600) {
            check_utc_to_local(tz, utc(t, 0), false);
        }
    }
    // The scan found the changes it should (a sanity check on the test).
    assert!(changes > 800, "{changes}");
}

#[test]
fn c1_zones_with_unusual_changes() {
    // Apia skipped Friday 30 December 2011: every wall-clock time that day
    // resolves to the jump, 2011-12-30T10:00:00Z (31 December 00:00 +14).
    let apia = Calendar::new(Pacific::Apia, DayCounting::SameWallClock);
    let jump: DateTime<Utc> = "2011-12-30T10:00:00Z".parse().unwrap();
    for h in [0, 9, 12, 23] {
        let local = chrono::NaiveDate::from_ymd_opt(2011, 12, 30)
            .unwrap()
            .and_hms_opt(h, 30, 0)
            .unwrap();
        assert_eq!(apia.resolve(local), jump);
    }
    // 29 December 12:00 -10 plus one day lands on the skipped day.
    let start: DateTime<Utc> = "2011-12-29T22:00:00Z".parse().unwrap();
    assert_eq!(apia.add_days(start, 1), jump);
    assert_eq!(apia.nth_day_start(start, 1), jump);
    // Lord Howe moves by 30 minutes: 02:00 -> 02:30 on 4 October 2026
    // (15:00 UTC on the 3rd), and 02:00 -> 01:30 on 5 April 2026.
    let lh = Calendar::new(Australia::Lord_Howe, DayCounting::SameWallClock);
    let skipped = chrono::NaiveDate::from_ymd_opt(2026, 10, 4)
        .unwrap()
        .and_hms_opt(2, 15, 0)
        .unwrap();
    assert_eq!(
        lh.resolve(skipped),
        "2026-10-03T15:30:00Z".parse::<DateTime<Utc>>().unwrap()
    );
    let repeated = chrono::NaiveDate::from_ymd_opt(2026, 4, 5)
        .unwrap()
        .and_hms_opt(1, 45, 0)
        .unwrap();
    // The earlier instant: +11:00 (14:45 UTC on the 4th), not +10:30.
    assert_eq!(
        lh.resolve(repeated),
        "2026-04-04T14:45:00Z".parse::<DateTime<Utc>>().unwrap()
    );
}

fn arb_zone() -> impl Strategy<Value = Tz> {
    prop::sample::select(ZONES.to_vec())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, ..ProptestConfig::default() })]

    /// Random instants from 1970 to 2200 (inside the tables) and past 2200
    /// up to the end of 9999 (chrono-tz directly): both directions, both
    /// rules, any day count.
    #[test]
    fn c1_random_instants_agree_with_chrono_tz(
        tz in arb_zone(),
        secs in prop_oneof![FROM..UNTIL, UNTIL..253_402_300_799 - 200 * 86_400],
        nanos in prop_oneof![Just(0u32), 0u32..1_000_000_000],
        n in prop_oneof![0u32..40, 0u32..4000],
    ) {
        let at = utc(secs, nanos);
        check_utc_to_local(tz, at, true);
        check_local_to_utc(tz, at.naive_utc());
        check_days(tz, at, n);
    }
}
