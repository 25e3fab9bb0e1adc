//! Zone tables (C-1): the UTC offsets of one time zone and the instants at
//! which they change, computed once per zone (and process) from chrono-tz
//! and then searched by binary search in both directions.
//!
//! A table covers [`TABLE_START`, `TABLE_END`) (1968 to 2200); instants and
//! wall-clock times outside it (the engine accepts years up to 9999) are
//! answered by chrono-tz directly, exactly as before, so the table is only a
//! faster way to the same answers. The tables live in a process-wide array
//! indexed by zone, each written once (when a policy in that zone is built
//! or loaded, or on first use) and immutable afterwards: a table is keyed by
//! the zone itself, so it cannot go stale when a policy's `time_zone`
//! changes.

use chrono::{DateTime, NaiveDateTime, Offset, TimeZone, Utc};
use chrono_tz::Tz;
use std::sync::OnceLock;

/// The first instant a table covers: 1968-01-01T00:00:00Z (two years before
/// the engine's supported range, so computed instants a little before 1970
/// are still fast).
pub(crate) const TABLE_START: i64 = -63_158_400;
/// The end of a table (exclusive): 2201-01-01T00:00:00Z.
pub(crate) const TABLE_END: i64 = 7_289_654_400;
/// The scan step when building a table. Every offset in the time-zone
/// database since 1970 lasts more than six days (the shortest, in
/// America/Cambridge_Bay in 2000, 6.9 days), so stepping a day at a time and
/// bisecting where the offset differs finds every change; the property tests
/// check the tables against chrono-tz hour by hour as well.
const STEP: i64 = 86_400;
/// Wall-clock times at least this far inside the table's range are resolved
/// from the table (offsets are within +-26 hours, checked when built).
const MARGIN: i64 = 2 * 86_400;
/// The index buckets span 2^21 seconds (24 days) each: a lookup reads the
/// bucket's first span, then steps over the few changes inside the bucket.
const BUCKET_SHIFT: u32 = 21;
/// How many buckets cover the table.
const BUCKETS: usize = ((TABLE_END - TABLE_START) >> BUCKET_SHIFT) as usize + 1;

/// One stretch of constant offset: from `utc` (UTC seconds) until the next
/// span's `utc`; `local` is where it starts in wall-clock seconds.
#[derive(Debug, Clone, Copy)]
struct Span {
    utc: i64,
    local: i64,
    off: i32,
}

/// The offsets of one zone over [`TABLE_START`, `TABLE_END`).
#[derive(Debug)]
pub(crate) struct ZoneTable {
    tz: Tz,
    /// Ascending by `utc`; the first starts at [`TABLE_START`].
    spans: Box<[Span]>,
    /// For each bucket, the span in effect at the bucket's first instant.
    by_utc: Box<[u32]>,
    /// For each bucket, the last span starting (in wall-clock time) at or
    /// before the bucket's first second read as a wall-clock time.
    by_local: Box<[u32]>,
    /// Whether wall-clock times can be resolved from the table: local starts
    /// ascend and every wall-clock time lies in at most two spans (checked
    /// when built; otherwise chrono-tz answers).
    local_ok: bool,
}

/// A wall-clock time resolved against a zone (C-1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Resolved {
    /// It exists (the earlier of two instants when it is ambiguous): the
    /// instant is the wall-clock time minus this offset.
    Offset(i32),
    /// It was skipped: the clocks jumped at `utc` (seconds) to offset `off`.
    Gap {
        /// The instant of the jump.
        utc: i64,
        /// The offset from then on.
        off: i32,
    },
}

/// chrono-tz's offset at an instant (seconds east of UTC).
pub(crate) fn chrono_offset(tz: Tz, utc: &NaiveDateTime) -> i32 {
    tz.offset_from_utc_datetime(utc).fix().local_minus_utc()
}

impl ZoneTable {
    fn build(tz: Tz) -> ZoneTable {
        let off = |t: i64| {
            DateTime::<Utc>::from_timestamp(t, 0).map_or(0, |u| chrono_offset(tz, &u.naive_utc()))
        };
        let mut cur = off(TABLE_START);
        let mut spans = vec![Span {
            utc: TABLE_START,
            local: TABLE_START + i64::from(cur),
            off: cur,
        }];
        let mut t = TABLE_START;
        while t < TABLE_END {
            let next = (t + STEP).min(TABLE_END);
            if off(next) == cur {
                t = next;
                continue;
            }
            // The offset changed in (t, next]: find the first second it did.
            let (mut lo, mut hi) = (t, next);
            while hi - lo > 1 {
                let mid = lo + (hi - lo) / 2;
                if off(mid) == cur {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            cur = off(hi);
            spans.push(Span {
                utc: hi,
                local: hi + i64::from(cur),
                off: cur,
            });
            t = hi;
        }
        let local_ok = spans.iter().all(|s| i64::from(s.off).abs() < MARGIN / 2)
            && spans
                .windows(2)
                .all(|w| matches!(w, [a, b] if a.local < b.local))
            && spans.windows(3).all(|w| match w {
                // Where span b starts, span a's wall-clock range ends; it must
                // end before span c's begins (no time in three spans).
                [a, b, c] => b.utc + i64::from(a.off) <= c.local,
                _ => false,
            });
        let index = |key: fn(&Span) -> i64| -> Box<[u32]> {
            (0..BUCKETS)
                .map(|b| {
                    let t = TABLE_START + ((b as i64) << BUCKET_SHIFT);
                    let i = spans.partition_point(|s| key(s) <= t).saturating_sub(1);
                    u32::try_from(i).unwrap_or(0)
                })
                .collect()
        };
        let by_utc = index(|s| s.utc);
        let by_local = index(|s| s.local);
        ZoneTable {
            tz,
            spans: spans.into_boxed_slice(),
            by_utc,
            by_local,
            local_ok,
        }
    }

    /// The last span whose `key` is at or before `t`, starting from the
    /// bucket index `index` (`t` within the table).
    #[inline]
    fn find(&self, index: &[u32], key: fn(&Span) -> i64, t: i64) -> Option<usize> {
        let bucket = usize::try_from((t - TABLE_START) >> BUCKET_SHIFT).ok()?;
        let mut i = usize::try_from(*index.get(bucket)?).ok()?;
        while self.spans.get(i + 1).is_some_and(|s| key(s) <= t) {
            i += 1;
        }
        Some(i)
    }

    /// The offset at `utc` (seconds), if the table covers it.
    #[inline]
    pub(crate) fn offset(&self, utc: i64) -> Option<i32> {
        if !(TABLE_START..TABLE_END).contains(&utc) {
            return None;
        }
        let i = self.find(&self.by_utc, |s| s.utc, utc)?;
        self.spans.get(i).map(|s| s.off)
    }

    /// Resolves a wall-clock time (seconds, as if it were UTC) by C-1, if
    /// the table covers it.
    #[inline]
    pub(crate) fn resolve(&self, local: i64) -> Option<Resolved> {
        if !self.local_ok || !(TABLE_START + MARGIN..TABLE_END - MARGIN).contains(&local) {
            return None;
        }
        let i = self.find(&self.by_local, |s| s.local, local)?;
        let span = self.spans.get(i)?;
        if span.local > local {
            return None;
        }
        if let Some(next) = self.spans.get(i + 1) {
            // Past the wall-clock end of span i but before span i+1 starts:
            // skipped (spring forward); the clocks jumped at next.utc.
            if local >= next.utc + i64::from(span.off) {
                return Some(Resolved::Gap {
                    utc: next.utc,
                    off: next.off,
                });
            }
        }
        if let Some(prev) = i.checked_sub(1).and_then(|j| self.spans.get(j)) {
            // Still inside span i-1's wall-clock range: the time happens
            // twice (fall back); the earlier instant is span i-1's.
            if local < span.utc + i64::from(prev.off) {
                return Some(Resolved::Offset(prev.off));
            }
        }
        Some(Resolved::Offset(span.off))
    }

    /// How many offset changes the table holds.
    #[cfg(test)]
    pub(crate) fn transitions(&self) -> usize {
        self.spans.len().saturating_sub(1)
    }
}

/// The number of zones chrono-tz knows.
const ZONES: usize = chrono_tz::TZ_VARIANTS.len();

/// One table per zone, each built at most once.
static TABLES: [OnceLock<ZoneTable>; ZONES] = [const { OnceLock::new() }; ZONES];

/// The table of `tz` (built on first use), or `None` if the zone has no
/// slot (never for the zones chrono-tz knows; chrono-tz then answers).
#[inline]
pub(crate) fn table(tz: Tz) -> Option<&'static ZoneTable> {
    let t = TABLES
        .get(tz as usize)?
        .get_or_init(|| ZoneTable::build(tz));
    (t.tz == tz).then_some(t)
}

/// The offset of `tz` at `at` (seconds east of UTC): from the table, else
/// from chrono-tz.
#[inline]
pub(crate) fn offset(tz: Tz, at: DateTime<Utc>) -> i32 {
    table(tz)
        .and_then(|t| t.offset(at.timestamp()))
        .unwrap_or_else(|| chrono_offset(tz, &at.naive_utc()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::{America, Asia, Australia, Europe, Pacific};

    #[test]
    fn table_bounds_are_the_documented_instants() {
        let at = |s: &str| s.parse::<DateTime<Utc>>().unwrap().timestamp();
        assert_eq!(TABLE_START, at("1968-01-01T00:00:00Z"));
        assert_eq!(TABLE_END, at("2201-01-01T00:00:00Z"));
    }

    #[test]
    fn tables_hold_the_zones_changes() {
        // Two changes a year from 1968 (LA: 1968-2099 in chrono-tz's data;
        // none after 2099) and none at all in Kolkata (no DST since 1945).
        let la = table(America::Los_Angeles).unwrap();
        assert!(
            (255..=270).contains(&la.transitions()),
            "{}",
            la.transitions()
        );
        assert_eq!(table(Asia::Kolkata).unwrap().transitions(), 0);
        assert_eq!(table(chrono_tz::UTC).unwrap().transitions(), 0);
        for tz in [
            Europe::London,
            Australia::Lord_Howe,
            Pacific::Apia,
            America::Sao_Paulo,
        ] {
            let t = table(tz).unwrap();
            assert!(t.local_ok, "{tz}");
            assert!(t.transitions() > 0, "{tz}");
        }
    }

    #[test]
    fn la_spring_forward_and_fall_back_2026() {
        let t = table(America::Los_Angeles).unwrap();
        let at = |s: &str| s.parse::<DateTime<Utc>>().unwrap().timestamp();
        // 8 March 2026 10:00 UTC: PST until the second before, PDT from it.
        assert_eq!(t.offset(at("2026-03-08T09:59:59Z")), Some(-8 * 3600));
        assert_eq!(t.offset(at("2026-03-08T10:00:00Z")), Some(-7 * 3600));
        let wall = |s: &str| at(s);
        // 02:30 local does not exist: the jump at 10:00 UTC.
        assert_eq!(
            t.resolve(wall("2026-03-08T02:30:00Z")),
            Some(Resolved::Gap {
                utc: at("2026-03-08T10:00:00Z"),
                off: -7 * 3600
            })
        );
        assert_eq!(
            t.resolve(wall("2026-03-08T01:59:59Z")),
            Some(Resolved::Offset(-8 * 3600))
        );
        assert_eq!(
            t.resolve(wall("2026-03-08T03:00:00Z")),
            Some(Resolved::Offset(-7 * 3600))
        );
        // 01:30 on 1 November happens twice: the earlier (PDT) instant.
        assert_eq!(
            t.resolve(wall("2026-11-01T01:30:00Z")),
            Some(Resolved::Offset(-7 * 3600))
        );
        assert_eq!(
            t.resolve(wall("2026-11-01T02:00:00Z")),
            Some(Resolved::Offset(-8 * 3600))
        );
        // Outside the table: no answer (the caller asks chrono-tz).
        assert_eq!(t.offset(TABLE_END), None);
        assert_eq!(t.resolve(TABLE_END), None);
    }
}
