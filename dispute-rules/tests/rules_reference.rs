//! The rules reference (`docs/rules.md`, shipped in the crate) against the
//! engine: every rule id has its section, the code tables list the engine's
//! codes and numbers, the worked day-counting examples (C-1) compute to the
//! dates they show, and every documented default is the presets' value.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "test code"
)]

use chrono::{DateTime, Utc};
use dispute_rules::reasons::Reason;
use dispute_rules::{Calendar, DayCounting, Ineligible, Policy, Rule};
use serde_json::Value;
use std::collections::BTreeSet;

const REFERENCE: &str = include_str!("../docs/rules.md");

/// The rows (cells trimmed) of the first table whose header row starts with
/// `header`, without the header and the separator.
fn table(header: &str) -> Vec<Vec<String>> {
    let lines: Vec<&str> = REFERENCE.lines().collect();
    let start = lines
        .iter()
        .position(|l| l.starts_with(header))
        .unwrap_or_else(|| panic!("docs/rules.md has no table starting `{header}`"));
    lines[start + 2..]
        .iter()
        .take_while(|l| l.starts_with('|'))
        .map(|l| {
            let inner = l.trim().trim_start_matches('|').trim_end_matches('|');
            inner.split('|').map(|c| c.trim().to_owned()).collect()
        })
        .collect()
}

/// The text inside the first pair of backticks of a cell.
fn code(cell: &str) -> Option<&str> {
    let rest = cell.split_once('`')?.1;
    Some(rest.split_once('`')?.0)
}

fn instant(s: &str) -> DateTime<Utc> {
    s.parse()
        .unwrap_or_else(|e| panic!("`{s}` is not an instant: {e}"))
}

#[test]
fn every_rule_has_a_section_and_every_section_is_a_rule() {
    let headings: Vec<&str> = REFERENCE
        .lines()
        .filter_map(|l| l.strip_prefix("### "))
        .collect();
    for rule in Rule::ALL {
        let prefix = format!("{} ", rule.id());
        assert!(
            headings.iter().any(|h| h.starts_with(&prefix)),
            "docs/rules.md has no `### {} ...` section for rule {}",
            rule.id(),
            rule.id()
        );
    }
    for h in &headings {
        let id = h.split(' ').next().unwrap_or_default();
        let looks_like_id = (id.starts_with("C-") || id.starts_with("R-"))
            && id.ends_with(|c: char| c.is_ascii_digit());
        if looks_like_id {
            assert!(
                Rule::from_id(id).is_some(),
                "docs/rules.md has a section for `{id}`, which the engine does not know"
            );
        }
    }
}

#[test]
fn the_ineligibility_table_lists_every_code_in_order() {
    let rows = table("| number | code | status | rule |");
    assert_eq!(rows.len(), Ineligible::ALL.len(), "one row per R-E9 code");
    for (row, c) in rows.iter().zip(Ineligible::ALL) {
        assert_eq!(row[0], c.number().to_string(), "R-E9 order and numbers");
        assert_eq!(code(&row[1]), Some(c.code()));
        assert_eq!(code(&row[2]), Some(c.status().as_str()), "{}", c.code());
        assert!(
            row[3].starts_with(c.rule().id()),
            "`{}` is defined by {}, the table says `{}`",
            c.code(),
            c.rule().id(),
            row[3]
        );
    }
}

#[test]
fn the_reasons_table_lists_every_reason() {
    let rows = table("| rule | code | number | the buyer's situation | sources |");
    assert_eq!(rows.len(), Reason::ALL.len(), "one row per reason");
    for (row, r) in rows.iter().zip(Reason::ALL) {
        assert_eq!(row[0], r.rule().id());
        assert_eq!(code(&row[1]), Some(r.code()));
        assert_eq!(row[2], r.number().to_string(), "{}", r.code());
    }
}

fn presets() -> [(&'static str, Value); 2] {
    [
        (
            "aliexpress",
            serde_json::to_value(Policy::aliexpress()).unwrap(),
        ),
        (
            "aliexpress-legacy",
            serde_json::to_value(Policy::aliexpress_legacy()).unwrap(),
        ),
    ]
}

/// The value at a dotted path.
fn at<'a>(v: &'a Value, path: &str) -> Option<&'a Value> {
    path.split('.').try_fold(v, |v, k| v.get(k))
}

fn json(cell: &str, what: &str) -> Value {
    let text = code(cell).unwrap_or_else(|| panic!("{what}: `{cell}` has no value in backticks"));
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{what}: `{text}` is not JSON: {e}"))
}

#[test]
fn the_per_reason_defaults_are_the_presets() {
    let rows = table("| code | solutions | partial refund | seller at fault |");
    assert_eq!(rows.len(), Reason::ALL.len(), "one row per reason");
    let [(_, current), (_, legacy)] = presets();
    for row in &rows {
        let reason = code(&row[0]).unwrap();
        // (Reason codes contain a dot: no dotted path here.)
        let now = &current["reasons"]["by_reason"][reason];
        let old = &legacy["reasons"]["by_reason"][reason];
        assert!(now.is_object(), "no reasons.by_reason entry `{reason}`");
        let what = |col: &str| format!("{reason}, {col}");
        assert_eq!(json(&row[1], &what("solutions")), now["solutions"]);
        assert_eq!(json(&row[2], &what("partial")), now["partial_refund"]);
        assert_eq!(json(&row[3], &what("fault")), now["seller_at_fault"]);
        assert_eq!(json(&row[4], &what("payer")), now["return_shipping_payer"]);
        assert_eq!(json(&row[5], &what("legacy payer")), old["return_shipping_payer"]);
    }
}

/// Every leaf of a JSON value, as dotted paths.
fn leaves(v: &Value, path: &str, out: &mut Vec<String>) {
    match v {
        Value::Object(m) if !m.is_empty() => {
            for (k, x) in m {
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                leaves(x, &p, out);
            }
        }
        _ => out.push(path.to_owned()),
    }
}

#[test]
fn every_default_is_documented_with_the_presets_values() {
    let rows = table("| policy field | rule | `aliexpress` | `aliexpress-legacy` |");
    let mut documented = BTreeSet::new();
    let presets = presets();
    for row in &rows {
        let field = code(&row[0]).unwrap_or_else(|| panic!("`{}`: no field", row[0]));
        documented.insert(field.to_owned());
        for rule in row[1].split([',', ' ']).filter(|s| s.starts_with("C-") || s.starts_with("R-")) {
            for id in rule.split("..") {
                assert!(Rule::from_id(id).is_some(), "{field}: unknown rule `{id}`");
            }
        }
        for ((name, preset), cell) in presets.iter().zip(&row[2..4]) {
            let actual = at(preset, field).unwrap_or_else(|| panic!("{name} has no `{field}`"));
            // A cell with a value in backticks is checked; prose describes
            // a points table of the outcome model.
            if code(cell).is_some() {
                assert_eq!(&json(cell, field), actual, "{field} in {name}");
            }
        }
    }
    for (name, preset) in &presets {
        let mut all = Vec::new();
        leaves(preset, "", &mut all);
        for leaf in all {
            let covered = documented
                .iter()
                .any(|d| leaf == *d || leaf.starts_with(&format!("{d}.")));
            assert!(
                covered,
                "`{leaf}` of {name} is not in the table of defaults in docs/rules.md"
            );
        }
    }
}

#[test]
fn the_worked_day_counting_examples_compute() {
    let rows = table("| example | E (UTC) | counting | result (UTC) | result (Los Angeles) |");
    assert!(rows.len() >= 8, "the worked examples are there");
    let tz = Policy::aliexpress().time_zone;
    for row in &rows {
        let what = &row[0];
        let e = instant(code(&row[1]).unwrap());
        let counting = row[2].as_str();
        let n: u32 = counting
            .split(|c: char| !c.is_ascii_digit())
            .next()
            .and_then(|d| d.parse().ok())
            .unwrap_or_else(|| panic!("{what}: no number in `{counting}`"));
        let day_counting = if counting.ends_with(", end of local day") {
            DayCounting::EndOfLocalDay
        } else {
            DayCounting::SameWallClock
        };
        let cal = Calendar::new(tz, day_counting);
        let result = if counting.contains(" day after") && !counting.contains(" days after") {
            cal.nth_day_start(e, n)
        } else if counting.contains(" days after") {
            cal.add_days(e, n)
        } else if counting.contains(" days before") {
            cal.sub_days(e, n)
        } else {
            panic!("{what}: unknown counting `{counting}`")
        };
        assert_eq!(result, instant(code(&row[3]).unwrap()), "{what}");
        let local = cal.local(result).format("%Y-%m-%d %H:%M %Z").to_string();
        assert_eq!(Some(local.as_str()), code(&row[4]), "{what}");
    }
}
