//! Policies: presets, JSON round trip, validation errors that name the field.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "test code"
)]

use dispute_rules::{Error, Policy};

fn err_fields(json: &str) -> Vec<String> {
    match Policy::from_json(json) {
        Err(Error::InvalidPolicy(p)) => p.list().iter().map(|p| p.field().to_owned()).collect(),
        Err(e) => panic!("wrong error kind: {e}"),
        Ok(_) => Vec::new(),
    }
}

fn edit(f: impl FnOnce(&mut serde_json::Value)) -> String {
    let mut v: serde_json::Value = serde_json::from_str(&Policy::aliexpress().to_json()).unwrap();
    f(&mut v);
    v.to_string()
}

#[test]
fn presets_round_trip_unchanged() {
    for id in Policy::PRESETS {
        let p = Policy::preset(id).unwrap();
        p.validate().unwrap();
        let json = p.to_json();
        let back = Policy::from_json(&json).unwrap();
        assert_eq!(back, p);
        assert_eq!(back.to_json(), json, "serializes back unchanged");
    }
}

#[test]
fn presets_really_differ() {
    let (a, l) = (Policy::aliexpress(), Policy::aliexpress_legacy());
    assert_eq!(a.eligibility.earliest_open_day, 11);
    assert_eq!(l.eligibility.earliest_open_day, 6);
    assert_eq!(a.time_zone.name(), "America/Los_Angeles");
    assert_ne!(a.to_json(), l.to_json());
}

#[test]
fn unknown_time_zone_is_named() {
    let json = edit(|v| v["time_zone"] = "Mars/Olympus_Mons".into());
    let e = Policy::from_json(&json).unwrap_err();
    assert_eq!(e.field(), "time_zone");
    assert!(
        e.to_string()
            .contains("unknown time zone `Mars/Olympus_Mons`"),
        "{e}"
    );
}

#[test]
fn negative_days_are_named() {
    let json = edit(|v| v["eligibility"]["window_after_confirmation_days"] = (-3).into());
    assert_eq!(
        err_fields(&json),
        vec!["eligibility.window_after_confirmation_days"]
    );
}

#[test]
fn unknown_and_missing_fields_are_named() {
    let json = edit(|v| v["eligibility"]["earliest_day"] = 3.into());
    assert_eq!(err_fields(&json), vec!["eligibility.earliest_day"]);
    let json = edit(|v| {
        v["eligibility"]
            .as_object_mut()
            .unwrap()
            .remove("reopen_limit");
    });
    assert_eq!(err_fields(&json), vec!["eligibility.reopen_limit"]);
}

#[test]
fn out_of_range_values_are_all_reported() {
    let json = edit(|v| {
        v["eligibility"]["protection_days_by_method"]["standard"] = 0.into();
        v["eligibility"]["earliest_open_day"] = 100000.into();
        v["schema_version"] = 9.into();
    });
    let got = err_fields(&json);
    assert!(got.contains(&"schema_version".to_owned()), "{got:?}");
    assert!(
        got.contains(&"eligibility.earliest_open_day".to_owned()),
        "{got:?}"
    );
    assert!(
        got.contains(&"eligibility.protection_days_by_method.standard".to_owned()),
        "{got:?}"
    );
}

#[test]
fn malformed_json_is_an_error_not_a_panic() {
    assert!(matches!(
        Policy::from_json("{"),
        Err(Error::InvalidPolicy(_))
    ));
    assert!(matches!(
        Policy::from_json("[]"),
        Err(Error::InvalidPolicy(_))
    ));
}

/// The committed preset files are exactly the built-in presets (regenerate
/// with `DR_BLESS=1 cargo test -p dispute-rules --test policy`).
#[test]
fn committed_preset_files_match_the_presets() {
    for id in Policy::PRESETS {
        let path = format!("{}/policies/{id}.json", env!("CARGO_MANIFEST_DIR"));
        let want = Policy::preset(id).unwrap().to_json() + "\n";
        if std::env::var_os("DR_BLESS").is_some() {
            std::fs::write(&path, &want).unwrap();
        }
        let have = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(have == want, "{path} is stale: run DR_BLESS=1 cargo test -p dispute-rules --test policy");
        assert_eq!(Policy::from_json(&have).unwrap(), Policy::preset(id).unwrap());
    }
}
