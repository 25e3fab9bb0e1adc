//! Business days as policy data: a weekend and per-country holiday calendars
//! whose holidays are rules (a fixed date with its observed weekday, the Nth
//! weekday of a month, the last weekday of a month, a day relative to Easter,
//! or a single date), so a calendar keeps working year after year.
//!
//! Counting (B-L1, B-L3, B-L4, B-L6): "N business days after D" starts on
//! the day after D and counts the days that are neither weekend days nor
//! observed holidays; the Nth such day is the answer.

use super::policy::Source;
use chrono::{Datelike, Days, NaiveDate};
use serde::{Deserialize, Serialize};

/// A day of the week.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Weekday {
    /// Monday.
    Mon,
    /// Tuesday.
    Tue,
    /// Wednesday.
    Wed,
    /// Thursday.
    Thu,
    /// Friday.
    Fri,
    /// Saturday.
    Sat,
    /// Sunday.
    Sun,
}

impl Weekday {
    /// As chrono's weekday.
    pub const fn chrono(self) -> chrono::Weekday {
        match self {
            Weekday::Mon => chrono::Weekday::Mon,
            Weekday::Tue => chrono::Weekday::Tue,
            Weekday::Wed => chrono::Weekday::Wed,
            Weekday::Thu => chrono::Weekday::Thu,
            Weekday::Fri => chrono::Weekday::Fri,
            Weekday::Sat => chrono::Weekday::Sat,
            Weekday::Sun => chrono::Weekday::Sun,
        }
    }
}

/// When a holiday falls in a given year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "rule", rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum HolidayDate {
    /// The same date every year (a 29 February exists only in leap years).
    Fixed {
        /// Month, 1-12.
        month: u32,
        /// Day of the month.
        day: u32,
    },
    /// The Nth given weekday of a month (`n` 1-5; a missing 5th is no holiday).
    NthWeekday {
        /// Month, 1-12.
        month: u32,
        /// The weekday.
        weekday: Weekday,
        /// Which one, 1-5.
        n: u32,
    },
    /// The last given weekday of a month.
    LastWeekday {
        /// Month, 1-12.
        month: u32,
        /// The weekday.
        weekday: Weekday,
    },
    /// Days from Western (Gregorian) Easter Sunday: -2 Good Friday, +1 Easter
    /// Monday.
    Easter {
        /// Days from Easter Sunday, -100 to 100.
        offset_days: i32,
    },
    /// One date only (a special bank holiday).
    Once {
        /// The date.
        date: NaiveDate,
    },
}

/// How a holiday that falls on a weekend day is observed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Observance {
    /// On its date only, weekend or not.
    OnDate,
    /// US federal rule: a Saturday holiday is observed on the Friday before,
    /// a Sunday one on the Monday after.
    NearestWeekday,
    /// UK substitute day: a weekend holiday moves to the next weekday that is
    /// not already a holiday (Christmas on a Saturday: Monday 27th; Boxing
    /// Day then Tuesday 28th).
    NextFreeWeekday,
}

/// One holiday rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Holiday {
    /// Its name, like `Independence Day`.
    pub name: String,
    /// When it falls.
    pub date: HolidayDate,
    /// How a weekend date is observed.
    pub observed: Observance,
    /// First year it applies (`null`: always).
    pub from_year: Option<i32>,
    /// Last year it applies (`null`: still applies).
    pub until_year: Option<i32>,
    /// Years it does not apply (moved by a one-off, for example).
    pub except_years: Vec<i32>,
}

impl Holiday {
    fn applies(&self, year: i32) -> bool {
        self.from_year.is_none_or(|f| year >= f)
            && self.until_year.is_none_or(|u| year <= u)
            && !self.except_years.contains(&year)
    }

    /// The holiday's actual (not observed) date in `year`, if it has one.
    pub fn actual(&self, year: i32) -> Option<NaiveDate> {
        if !self.applies(year) {
            return None;
        }
        match self.date {
            HolidayDate::Fixed { month, day } => NaiveDate::from_ymd_opt(year, month, day),
            HolidayDate::NthWeekday { month, weekday, n } => {
                let n = u8::try_from(n).ok()?;
                NaiveDate::from_weekday_of_month_opt(year, month, weekday.chrono(), n)
            }
            HolidayDate::LastWeekday { month, weekday } => {
                let first_next = if month == 12 {
                    NaiveDate::from_ymd_opt(year.checked_add(1)?, 1, 1)?
                } else {
                    NaiveDate::from_ymd_opt(year, month.checked_add(1)?, 1)?
                };
                let last = first_next.pred_opt()?;
                let back = (7 + last.weekday().num_days_from_monday()
                    - weekday.chrono().num_days_from_monday())
                    % 7;
                last.checked_sub_days(Days::new(u64::from(back)))
            }
            HolidayDate::Easter { offset_days } => {
                let e = easter(year)?;
                let d = i64::from(offset_days);
                if d >= 0 {
                    e.checked_add_days(Days::new(d.unsigned_abs()))
                } else {
                    e.checked_sub_days(Days::new(d.unsigned_abs()))
                }
            }
            HolidayDate::Once { date } => (date.year() == year).then_some(date),
        }
    }
}

/// Western Easter Sunday (anonymous Gregorian algorithm).
pub fn easter(year: i32) -> Option<NaiveDate> {
    if !(1583..=9999).contains(&year) {
        return None;
    }
    let y = year;
    let a = y % 19;
    let b = y / 100;
    let c = y % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15).rem_euclid(30);
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k).rem_euclid(7);
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    NaiveDate::from_ymd_opt(y, u32::try_from(month).ok()?, u32::try_from(day).ok()?)
}

/// The public holidays of one country (or marketplace site).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HolidayCalendar {
    /// ISO 3166 alpha-2 country the calendar is for (`US`, `GB`).
    pub country: String,
    /// What the calendar is, like `US federal holidays`.
    pub name: String,
    /// The holidays.
    pub holidays: Vec<Holiday>,
    /// Where the list comes from and how sure it is.
    pub source: Source,
}

impl HolidayCalendar {
    /// The observed holiday dates whose year lies in `from..=to`, sorted
    /// (a Saturday 1 January observed on Friday 31 December of the year
    /// before counts in that year).
    pub fn observed(&self, from: i32, to: i32, weekend: &[Weekday]) -> Vec<NaiveDate> {
        let is_weekend = |d: NaiveDate| weekend.iter().any(|w| w.chrono() == d.weekday());
        let mut fixed: Vec<NaiveDate> = Vec::new();
        let mut substitute: Vec<NaiveDate> = Vec::new();
        let (lo, hi) = (from.saturating_sub(1), to.saturating_add(1));
        for year in lo..=hi {
            for h in &self.holidays {
                let Some(d) = h.actual(year) else { continue };
                match h.observed {
                    Observance::OnDate => fixed.push(d),
                    Observance::NearestWeekday => fixed.push(match d.weekday() {
                        chrono::Weekday::Sat => d.pred_opt().unwrap_or(d),
                        chrono::Weekday::Sun => d.succ_opt().unwrap_or(d),
                        _ => d,
                    }),
                    Observance::NextFreeWeekday if is_weekend(d) => substitute.push(d),
                    Observance::NextFreeWeekday => fixed.push(d),
                }
            }
        }
        fixed.sort_unstable();
        substitute.sort_unstable();
        for d in substitute {
            let mut x = d;
            // At most a couple of weeks forward even for crowded calendars.
            for _ in 0..31 {
                match x.succ_opt() {
                    Some(n) => x = n,
                    None => break,
                }
                if !is_weekend(x) && fixed.binary_search(&x).is_err() {
                    if let Err(pos) = fixed.binary_search(&x) {
                        fixed.insert(pos, x);
                    }
                    break;
                }
            }
        }
        fixed.dedup();
        fixed.retain(|d| (from..=to).contains(&d.year()));
        fixed
    }
}

/// What a business day is for a platform (B-L6, B-T1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BusinessDays {
    /// Days that never count (default Saturday and Sunday).
    pub weekend: Vec<Weekday>,
    /// Holiday calendars by country; the order's `country` (or the policy's
    /// `default_country`) picks one.
    pub calendars: Vec<HolidayCalendar>,
    /// Where the business-day rule comes from.
    pub source: Source,
}

impl BusinessDays {
    /// The calendar for a country.
    pub fn calendar(&self, country: &str) -> Option<&HolidayCalendar> {
        self.calendars.iter().find(|c| c.country == country)
    }

    /// Whether `date` is a business day under `calendar`.
    pub fn is_business_day(&self, calendar: &HolidayCalendar, date: NaiveDate) -> bool {
        !self.weekend.iter().any(|w| w.chrono() == date.weekday())
            && !calendar
                .observed(date.year(), date.year(), &self.weekend)
                .contains(&date)
    }

    /// The `n`th business day after `date` (`n == 0`: `date` itself).
    /// `None` when the calendar leaves no business day in reach.
    pub fn add(&self, calendar: &HolidayCalendar, date: NaiveDate, n: u32) -> Option<NaiveDate> {
        if n == 0 {
            return Some(date);
        }
        let mut year = date.year();
        let mut holidays = calendar.observed(year, year, &self.weekend);
        let mut d = date;
        let mut left = n;
        // Bounded: at least two business days in any week (weekend <= 5 days)
        // and at most 366 holidays a year.
        let limit = u64::from(n).saturating_mul(7).saturating_add(800);
        for _ in 0..limit {
            d = d.succ_opt()?;
            if d.year() != year {
                year = d.year();
                holidays = calendar.observed(year, year, &self.weekend);
            }
            let weekend = self.weekend.iter().any(|w| w.chrono() == d.weekday());
            if !weekend && holidays.binary_search(&d).is_err() {
                left -= 1;
                if left == 0 {
                    return Some(d);
                }
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn easter_dates() {
        assert_eq!(easter(2024), Some(d("2024-03-31")));
        assert_eq!(easter(2025), Some(d("2025-04-20")));
        assert_eq!(easter(2026), Some(d("2026-04-05")));
        assert_eq!(easter(2027), Some(d("2027-03-28")));
        assert_eq!(easter(1000), None);
    }

    #[test]
    fn last_and_nth_weekdays() {
        let h = |date| Holiday {
            name: "x".into(),
            date,
            observed: Observance::OnDate,
            from_year: None,
            until_year: None,
            except_years: vec![],
        };
        let memorial = h(HolidayDate::LastWeekday {
            month: 5,
            weekday: Weekday::Mon,
        });
        assert_eq!(memorial.actual(2026), Some(d("2026-05-25")));
        let dec = h(HolidayDate::LastWeekday {
            month: 12,
            weekday: Weekday::Fri,
        });
        assert_eq!(dec.actual(2026), Some(d("2026-12-25")));
        let thanks = h(HolidayDate::NthWeekday {
            month: 11,
            weekday: Weekday::Thu,
            n: 4,
        });
        assert_eq!(thanks.actual(2026), Some(d("2026-11-26")));
        let fifth = h(HolidayDate::NthWeekday {
            month: 2,
            weekday: Weekday::Mon,
            n: 5,
        });
        assert_eq!(fifth.actual(2026), None);
    }
}
