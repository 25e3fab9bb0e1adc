//! Business days as policy data (B-L6, B-T1): US federal holidays with
//! observed dates, UK substitute days, and counting properties.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "test code"
)]

use chrono::{Datelike, NaiveDate};
use dispute_rules::selling::holidays::{BusinessDays, HolidayCalendar};
use dispute_rules::selling::SellingPolicy;
use proptest::prelude::*;

fn ebay() -> BusinessDays {
    SellingPolicy::preset("ebay")
        .unwrap()
        .business_days
        .unwrap()
}

fn cal<'a>(b: &'a BusinessDays, country: &str) -> &'a HolidayCalendar {
    b.calendar(country).unwrap()
}

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn days(v: &[NaiveDate]) -> Vec<String> {
    v.iter().map(ToString::to_string).collect()
}

#[test]
fn us_federal_holidays_2026_observed() {
    let b = ebay();
    let got = cal(&b, "US").observed(2026, 2026, &b.weekend);
    assert_eq!(
        days(&got),
        [
            "2026-01-01",
            "2026-01-19",
            "2026-02-16",
            "2026-05-25",
            "2026-06-19", // Juneteenth, a Friday
            "2026-07-03", // Independence Day on a Saturday: observed Friday
            "2026-09-07",
            "2026-10-12",
            "2026-11-11",
            "2026-11-26",
            "2026-12-25",
        ]
    );
}

#[test]
fn observed_dates_cross_years_and_start_when_the_law_does() {
    let b = ebay();
    let us = cal(&b, "US");
    // 1 January 2022 was a Saturday: observed Friday 31 December 2021.
    assert!(us
        .observed(2021, 2021, &b.weekend)
        .contains(&d("2021-12-31")));
    assert!(!us
        .observed(2022, 2022, &b.weekend)
        .contains(&d("2022-01-01")));
    // Juneteenth from 2021 (a Saturday: observed Friday 18 June).
    assert!(!us
        .observed(2020, 2020, &b.weekend)
        .contains(&d("2020-06-19")));
    assert!(us
        .observed(2021, 2021, &b.weekend)
        .contains(&d("2021-06-18")));
    // Christmas 2022 on a Sunday: observed Monday 26.
    assert!(us
        .observed(2022, 2022, &b.weekend)
        .contains(&d("2022-12-26")));
    assert!(
        !b.is_business_day(us, d("2027-06-18")),
        "Juneteenth 2027 (Saturday) observed Friday"
    );
}

#[test]
fn uk_bank_holidays_with_substitute_days() {
    let b = ebay();
    let gb = cal(&b, "GB");
    assert_eq!(
        days(&gb.observed(2026, 2026, &b.weekend)),
        [
            "2026-01-01",
            "2026-04-03",
            "2026-04-06",
            "2026-05-04",
            "2026-05-25",
            "2026-08-31",
            "2026-12-25",
            "2026-12-28", // Boxing Day on a Saturday: Monday 28
        ]
    );
    // Christmas on a Saturday, Boxing Day on a Sunday: Monday 27 and Tuesday 28.
    let y2027 = gb.observed(2027, 2027, &b.weekend);
    assert!(y2027.contains(&d("2027-12-27")) && y2027.contains(&d("2027-12-28")));
    // Christmas on a Sunday: Boxing Day Monday 26, Christmas substitute Tuesday 27.
    let y2022 = gb.observed(2022, 2022, &b.weekend);
    assert!(y2022.contains(&d("2022-12-26")) && y2022.contains(&d("2022-12-27")));
    // The 2022 one-offs replace the usual spring bank holiday.
    assert!(y2022.contains(&d("2022-06-02")) && y2022.contains(&d("2022-06-03")));
    assert!(!y2022.contains(&d("2022-05-30")));
}

#[test]
fn adding_business_days() {
    let b = ebay();
    let us = cal(&b, "US");
    // The example's counts: 3 after Mon 22 June is Thu 25; after Wed 1 July, Tue 7.
    assert_eq!(b.add(us, d("2026-06-22"), 3), Some(d("2026-06-25")));
    assert_eq!(b.add(us, d("2026-07-01"), 3), Some(d("2026-07-07")));
    assert_eq!(b.add(us, d("2026-06-22"), 21), Some(d("2026-07-22")));
    assert_eq!(b.add(us, d("2026-07-01"), 21), Some(d("2026-07-31")));
    // Across a year end and New Year's Day.
    assert_eq!(b.add(us, d("2026-12-30"), 2), Some(d("2027-01-04")));
    assert_eq!(b.add(us, d("2026-12-30"), 0), Some(d("2026-12-30")));
}

proptest! {
    #[test]
    fn business_day_counting_properties(day in 0u32..3650, n in 0u32..60, gb in any::<bool>()) {
        let b = ebay();
        let c = cal(&b, if gb { "GB" } else { "US" });
        let start = d("2020-01-01") + chrono::Days::new(u64::from(day));
        let end = b.add(c, start, n).unwrap();
        if n == 0 {
            prop_assert_eq!(end, start);
        } else {
            // The answer is a business day, and exactly n business days lie in (start, end].
            prop_assert!(b.is_business_day(c, end));
            let mut count = 0;
            let mut x = start;
            while x < end {
                x = x.succ_opt().unwrap();
                if b.is_business_day(c, x) {
                    count += 1;
                }
            }
            prop_assert_eq!(count, n);
            // Monotone in n.
            prop_assert!(b.add(c, start, n + 1).unwrap() > end);
            prop_assert!(end.weekday().number_from_monday() <= 5);
        }
    }
}
