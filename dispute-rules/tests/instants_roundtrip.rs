//! Every instant the engine writes reads back as the same instant (issue 13):
//! over generated valid facts anywhere in the supported years (1970-9999),
//! in several zones and with both day-counting rules, every moment in the
//! eligibility, timeline, full assessment (with the likely outcome),
//! prediction and lifecycle answers has a UTC form and a local form that
//! both parse to the instant the typed answer holds, the local form with the
//! zone's offset at that instant; every other instant written (the
//! dispute's own document) parses back too.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "test code"
)]

use chrono::{DateTime, Duration, FixedOffset, Offset, TimeZone, Utc};
use chrono_tz::Tz;
use dispute_rules::calendar::{rfc3339, DayCounting, MAX_INSTANT};
use dispute_rules::facts::{ConfirmedBy, ExtensionRequest, ExtensionStatus, Receipt, Tracking};
use dispute_rules::{api, eligibility, timeline, Explain, OrderFacts, Policy};
use proptest::prelude::*;
use serde_json::{json, Value};

const SAMPLE: &str = include_str!("data/not_received.json");

/// Reads an instant as the engine reads facts: its fast reader, else
/// chrono's (which also reads the expanded years past 9999 the engine
/// writes, `+10000-01-30T10:00:00Z`).
fn read(s: &str) -> Option<DateTime<Utc>> {
    rfc3339::fast(s).or_else(|| read_fixed(s).map(|t| t.with_timezone(&Utc)))
}

fn read_fixed(s: &str) -> Option<DateTime<FixedOffset>> {
    s.parse::<DateTime<FixedOffset>>().ok()
}

/// Whether a string is written as an instant (`[+-]YYYY...-MM-DDTHH:MM`).
fn looks_like_instant(s: &str) -> bool {
    let t = s.strip_prefix(['+', '-']).unwrap_or(s);
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    let at = |i: usize| t.as_bytes().get(digits + i).copied();
    digits >= 4 && at(0) == Some(b'-') && at(3) == Some(b'-') && at(6) == Some(b'T')
}

/// Checks every moment and every instant in `v`; returns the moments'
/// instants in document order.
fn check(v: &Value, tz: Tz, path: &str, out: &mut Vec<DateTime<Utc>>) {
    match v {
        Value::Object(m) if m.len() == 2 && m.contains_key("utc") && m.contains_key("local") => {
            let (u, l) = (m["utc"].as_str().unwrap(), m["local"].as_str().unwrap());
            assert!(u.ends_with('Z'), "{path}.utc: {u}");
            let at = read(u).unwrap_or_else(|| panic!("{path}.utc does not read back: {u}"));
            let local =
                read_fixed(l).unwrap_or_else(|| panic!("{path}.local does not read back: {l}"));
            assert_eq!(read(l), Some(at), "{path}: {u} and {l} differ");
            let off = tz.offset_from_utc_datetime(&at.naive_utc()).fix();
            assert_eq!(*local.offset(), off, "{path}.local: {l} in {tz}");
            // Written again, the same text: nothing was lost.
            let again = serde_json::to_value(dispute_rules::Moment::new(at, tz)).unwrap();
            assert_eq!(&again, v, "{path}");
            out.push(at);
        }
        Value::Object(m) => {
            for (k, x) in m {
                check(x, tz, &format!("{path}.{k}"), out);
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                check(x, tz, &format!("{path}[{i}]"), out);
            }
        }
        Value::String(s) if looks_like_instant(s) => {
            assert!(read(s).is_some(), "{path} does not read back: {s}");
        }
        _ => {}
    }
}

/// The answer of a JSON call, if it succeeded; its instants checked.
fn call(op: &str, policy: &Policy, request: &Value) -> Option<Value> {
    let text = api::call_with_policy(op, policy, &request.to_string());
    let v: Value = serde_json::from_str(&text).unwrap();
    let mut seen = Vec::new();
    check(&v, policy.time_zone, op, &mut seen);
    (v["result"] == "success").then(|| v["answer"].clone())
}

fn moments(v: &Value, tz: Tz) -> Vec<DateTime<Utc>> {
    let mut out = Vec::new();
    check(v, tz, "", &mut out);
    out
}

#[derive(Debug, Clone)]
struct Case {
    facts: OrderFacts,
    now: DateTime<Utc>,
    policy: Policy,
}

const ZONES: [Tz; 9] = [
    chrono_tz::America::Los_Angeles,
    chrono_tz::Europe::London,
    chrono_tz::Asia::Kolkata,
    chrono_tz::Asia::Kathmandu,
    chrono_tz::Australia::Lord_Howe,
    chrono_tz::Pacific::Apia,
    chrono_tz::Pacific::Kiritimati,
    chrono_tz::America::Sao_Paulo,
    chrono_tz::UTC,
];

/// The latest start that leaves room for the facts after it.
const LAST_START: i64 = 253_402_300_799 - 400 * 86_400;

fn arb_case() -> impl Strategy<Value = Case> {
    (
        prop_oneof![
            0i64..LAST_START,                      // anywhere in 1970-9999
            1_735_689_600i64..1_830_297_600,       // 2025-2027
            LAST_START - 200 * 86_400..LAST_START, // the last months of 9999
            0i64..200 * 86_400,                    // the first months of 1970
        ],
        (0i64..10 * 86_400, any::<bool>()), // shipped after placed
        prop::option::of(1u32..150),        // promised days
        prop::option::of((0i64..130 * 86_400, any::<bool>())), // receipt
        prop::collection::vec(
            (0i64..90 * 86_400, 1u32..3650, 0u8..3, 0i64..5 * 86_400),
            0..3,
        ),
        prop_oneof![
            0i64..400 * 86_400,   // now after the last fact
            -400 * 86_400..-1i64, // early in the window (see below)
        ],
        (
            prop::sample::select(ZONES.to_vec()),
            any::<bool>(),
            any::<bool>(),
        ),
    )
        .prop_map(
            |(placed, (ship, shipped), promised, receipt, exts, after, (tz, legacy, eod))| {
                let mut f = OrderFacts::from_json(SAMPLE).unwrap();
                f.placed_at = DateTime::from_timestamp(placed, 0).unwrap();
                f.paid_at = Some(f.placed_at);
                let s = f.placed_at + Duration::seconds(ship);
                f.shipped_at = shipped.then_some(s);
                f.promised_protection_days = promised;
                let mut last = f.placed_at;
                if shipped {
                    last = s;
                    f.receipt = receipt.map(|(off, buyer)| {
                        let at = s + Duration::seconds(off);
                        last = last.max(at);
                        Receipt {
                            at,
                            by: if buyer {
                                ConfirmedBy::Buyer
                            } else {
                                ConfirmedBy::Automatic
                            },
                        }
                    });
                    for (off, days, st, dec) in exts {
                        let req = s + Duration::seconds(off);
                        let status = [
                            ExtensionStatus::Pending,
                            ExtensionStatus::Approved,
                            ExtensionStatus::Declined,
                        ][usize::from(st)];
                        let decided_at = (status != ExtensionStatus::Pending)
                            .then(|| req + Duration::seconds(dec));
                        last = last.max(decided_at.unwrap_or(req));
                        f.extensions.push(ExtensionRequest {
                            requested_at: req,
                            days,
                            status,
                            decided_at,
                        });
                    }
                    f.tracking = Tracking::InTransit {
                        last_event_at: Some(s),
                    };
                }
                // A negative `after`: 11 to 50 days after shipment (inside most
                // windows), if that is after the last fact.
                let now = if after < 0 {
                    last.max(s + Duration::seconds(11 * 86_400 + (-after) % (39 * 86_400)))
                } else {
                    last + Duration::seconds(after)
                };
                let now = now.min(MAX_INSTANT - Duration::seconds(1));
                let mut policy = if legacy {
                    Policy::aliexpress_legacy()
                } else {
                    Policy::aliexpress()
                };
                policy.time_zone = tz;
                policy.day_counting = if eod {
                    DayCounting::EndOfLocalDay
                } else {
                    DayCounting::SameWallClock
                };
                Case {
                    facts: f,
                    now,
                    policy,
                }
            },
        )
}

fn rfc(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn every_written_instant_reads_back(case in arb_case()) {
        let Case { facts, now, policy } = case;
        let tz = policy.time_zone;
        let facts_json = serde_json::to_value(&facts).unwrap();
        let cap = facts.refund_cap().unwrap().amount.to_string();
        let request = json!({
            "facts": facts_json,
            "now": rfc(now),
            "explain": true,
            "report": {"received": false},
            "claim": {
                "reason": "not_received.no_tracking",
                "solution": "refund_only",
                "refund": {"amount": cap, "currency": "USD"},
                "evidence": []
            },
        });
        // Typed and written answers: the moments written are the typed
        // answer's instants, in order.
        if let Ok(e) = eligibility::assess(&facts, &policy, now, Explain::Yes) {
            let v = call("eligibility", &policy, &request).unwrap();
            let mut want: Vec<DateTime<Utc>> = Vec::new();
            if let Some(w) = e.window {
                want.extend([w.opens_at.utc, w.closes_at.utc]);
            }
            let written = moments(&v, tz);
            for t in &want {
                prop_assert!(written.contains(t), "{t:?} not written: {written:?}");
            }
            prop_assert_eq!(v, serde_json::to_value(&e).unwrap());
        }
        if let Ok(t) = timeline::build(&facts, &policy, now, Explain::Yes) {
            let v = call("timeline", &policy, &request).unwrap();
            let written = moments(&v, tz);
            let typed: Vec<DateTime<Utc>> = t.entries.iter().map(|x| x.at.utc).collect();
            prop_assert_eq!(&written, &typed);
        }
        call("assess", &policy, &request);
        call("predict", &policy, &request);
        // The lifecycle, when a dispute can be opened now: open it, let every
        // deadline pass, ask who may act. Near the end of 9999 a dispute's
        // own dates can pass the supported years and later calls may refuse
        // it (with an error naming the field, whose instants are checked
        // too); anywhere else every step succeeds.
        let far_from_the_end = now < "9990-01-01T00:00:00Z".parse::<DateTime<Utc>>().unwrap();
        if let Some(report) = call("lifecycle_open", &policy, &request) {
            let later = (now + Duration::days(400)).min(MAX_INSTANT - Duration::seconds(1));
            let advanced = call(
                "lifecycle_advance",
                &policy,
                &json!({"dispute": report["dispute"], "now": rfc(later)}),
            );
            prop_assert!(advanced.is_some() || !far_from_the_end);
            if let Some(advanced) = advanced {
                let allowed = call(
                    "lifecycle_allowed",
                    &policy,
                    &json!({"dispute": advanced["dispute"], "now": rfc(later), "actor": "buyer"}),
                );
                prop_assert!(allowed.is_some());
                // The dispute's document, read back and written again, is
                // the same.
                let status = call(
                    "lifecycle_status",
                    &policy,
                    &json!({"dispute": advanced["dispute"], "now": rfc(later)}),
                )
                .unwrap();
                prop_assert_eq!(&status["dispute"], &advanced["dispute"]);
            }
        }
    }
}

#[test]
fn issue_13_window_past_9999_is_refused_naming_the_input() {
    // Shipped 9999-12-01, evaluated 9999-12-31: the window would close in
    // year 10000, past the supported years. The answer is neither a window
    // that closes before it opens (the old clamped year) nor an instant the
    // engine cannot read back: it is an error naming the input that pushed
    // the date out (issue 13 item 2).
    let mut f = OrderFacts::from_json(SAMPLE).unwrap();
    let t = |s: &str| s.parse::<DateTime<Utc>>().unwrap();
    f.placed_at = t("9999-11-30T10:00:00Z");
    f.paid_at = Some(f.placed_at);
    f.shipped_at = Some(t("9999-12-01T10:00:00Z"));
    let policy = Policy::aliexpress();
    let now = t("9999-12-31T10:00:00Z");
    let request = json!({"facts": serde_json::to_value(&f).unwrap(), "now": rfc(now)});
    let text = api::call_with_policy("eligibility", &policy, &request.to_string());
    let v: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["result"], "failure", "{v}");
    assert_eq!(v["error"]["kind"], "invalid_facts", "{v}");
    assert_eq!(v["error"]["problems"][0]["field"], "facts.shipped_at", "{v}");
    let message = v["error"]["problems"][0]["message"].as_str().unwrap();
    assert!(message.contains("+10000-01-30") && message.contains("9999-12-31"), "{message}");
}
