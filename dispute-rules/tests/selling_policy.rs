//! Selling-side policies: presets, JSON round trip, committed files,
//! validation errors that name the field, and the sources of every value.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "test code"
)]

use dispute_rules::selling::{Platform, SellingPolicy, SellingRule};
use dispute_rules::Error;
use serde_json::{json, Value};

fn fields(json: &str) -> Vec<String> {
    match SellingPolicy::from_json(json) {
        Err(Error::InvalidPolicy(p)) => p.list().iter().map(|p| p.field().to_owned()).collect(),
        Err(e) => panic!("wrong error kind: {e}"),
        Ok(_) => Vec::new(),
    }
}

fn edit(id: &str, f: impl FnOnce(&mut Value)) -> String {
    let mut v: Value = serde_json::from_str(&SellingPolicy::preset(id).unwrap().to_json()).unwrap();
    f(&mut v);
    v.to_string()
}

#[test]
fn presets_round_trip_unchanged() {
    for id in SellingPolicy::PRESETS {
        let p = SellingPolicy::preset(id).unwrap();
        p.validate().unwrap();
        assert_eq!(p.id, *id);
        let json = p.to_json();
        let back = SellingPolicy::from_json(&json).unwrap();
        assert_eq!(back, p);
        assert_eq!(back.to_json(), json, "serializes back unchanged");
    }
    for p in Platform::ALL {
        assert_eq!(SellingPolicy::for_platform(p).platform, p);
        assert_eq!(SellingPolicy::preset(p.code()).unwrap().platform, p);
    }
    assert!(SellingPolicy::preset("aliexpress").is_none());
}

/// The committed preset files are exactly the built-in presets (regenerate
/// with `DR_BLESS=1 cargo test -p dispute-rules --test selling_policy`).
#[test]
fn committed_preset_files_match_the_presets() {
    for id in SellingPolicy::PRESETS {
        let path = format!("{}/policies/selling/{id}.json", env!("CARGO_MANIFEST_DIR"));
        let want = SellingPolicy::preset(id).unwrap().to_json() + "\n";
        if std::env::var_os("DR_BLESS").is_some() {
            std::fs::create_dir_all(format!("{}/policies/selling", env!("CARGO_MANIFEST_DIR")))
                .unwrap();
            std::fs::write(&path, &want).unwrap();
        }
        let have = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            have == want,
            "{path} is stale: run DR_BLESS=1 cargo test -p dispute-rules --test selling_policy"
        );
        assert_eq!(
            SellingPolicy::from_json(&have).unwrap(),
            SellingPolicy::preset(id).unwrap()
        );
    }
}

#[test]
fn unknown_and_missing_fields_are_named() {
    assert_eq!(
        fields(&edit("paypal", |v| v["windowz"] = json!([]))),
        ["windowz"]
    );
    assert_eq!(
        fields(&edit("paypal", |v| v["stages"][0]["deadlines"][0]["at"]
            ["sourc"] = json!(1))),
        ["stages[0].deadlines[0].at.sourc"]
    );
    assert_eq!(
        fields(&edit("paypal", |v| {
            v.as_object_mut().unwrap().remove("loss");
        })),
        ["loss"]
    );
    assert_eq!(
        fields(&edit("ebay", |v| {
            v["business_days"]["calendars"][0]["holidays"][0]
                .as_object_mut()
                .unwrap()
                .remove("observed");
        })),
        ["business_days.calendars[0].holidays[0].observed"]
    );
}

#[test]
fn bad_values_are_named() {
    let e = SellingPolicy::from_json(&edit("paypal", |v| {
        v["time_zone"]["name"] = json!("Mars/Base")
    }))
    .unwrap_err();
    assert_eq!(e.field(), "time_zone.name");
    assert!(
        e.to_string().contains("unknown time zone `Mars/Base`"),
        "{e}"
    );
    let e = SellingPolicy::from_json(&edit("paypal", |v| {
        v["windows"][0]["closes"][0]["source"]["rule"] = json!("P-X1")
    }))
    .unwrap_err();
    assert_eq!(e.field(), "windows[0].closes[0].source.rule");
    assert!(e.to_string().contains("unknown rule id `P-X1`"), "{e}");
    let e = SellingPolicy::from_json(&edit("paypal", |v| {
        v["fees"][0]["amount"]["currency"] = json!("usd")
    }))
    .unwrap_err();
    assert_eq!(e.field(), "fees[0].amount.currency");
    let e = SellingPolicy::from_json(&edit("ebay", |v| {
        v["stages"][0]["deadlines"][0]["kind"] = json!("respond")
    }))
    .unwrap_err();
    assert_eq!(e.field(), "stages[0].deadlines[0].kind");
}

#[test]
fn out_of_range_and_inconsistent_values_are_all_reported() {
    let json = edit("paypal", |v| {
        v["schema_version"] = json!(2);
        v["id"] = json!(" ");
        v["default_country"] = json!("usa");
        v["windows"][0]["closes"][0]["amount"] = json!(99_999);
        // A filing window counts from the order, not from the dispute.
        v["windows"][0]["closes"][0]["from"] = json!("opened");
        // Hours are exact; business days need a calendar.
        v["stages"][0]["deadlines"][0]["at"]["unit"] = json!("hours");
        v["stages"][0]["deadlines"][0]["at"]["count"] = json!("end_of_day");
        v["stages"][1]["deadlines"][0]["at"]["unit"] = json!("business_days");
        v["stages"][1]["name"] = json!("inquiry");
        v["reasons"][1]["code"] = json!("MERCHANDISE_OR_SERVICE_NOT_RECEIVED");
        v["signature_thresholds"][0]["amount"]["amount"] = json!("0");
        v["fees"][0]["stages"] = json!(["appeal"]);
        v["fees"][0]["amount"]["amount"] = json!("-1");
    });
    let got = fields(&json);
    for want in [
        "schema_version",
        "id",
        "default_country",
        "windows[0].closes[0].amount",
        "windows[0].closes[0].from",
        "stages[0].deadlines[0].at.count",
        "stages[1].deadlines[0].at.unit",
        "stages[1].name",
        "reasons[1].code",
        "signature_thresholds[0].amount.amount",
        "fees[0].stages",
        "fees[0].amount.amount",
    ] {
        assert!(got.contains(&want.to_owned()), "{want} not in {got:?}");
    }
    assert_eq!(
        fields(&edit("paypal", |v| v["windows"] = json!([]))),
        ["windows"]
    );
    assert_eq!(
        fields(&edit("paypal", |v| v["stages"][1]["deadlines"][1]["at"]
            ["from"] = json!("response_due"))),
        Vec::<String>::new(),
        "a decision may count from the response"
    );
    assert_eq!(
        fields(&edit("paypal", |v| v["stages"][1]["deadlines"][0]["at"]
            ["from"] = json!("response_due"))),
        ["stages[1].deadlines[0].at.from"],
        "but a response cannot count from itself"
    );
}

#[test]
fn business_day_calendars_are_checked() {
    let json = edit("ebay", |v| {
        v["business_days"]["weekend"] = json!(["mon", "tue", "wed", "thu", "fri", "sat"]);
        let h = &mut v["business_days"]["calendars"][0]["holidays"];
        h[0]["date"] = json!({"rule": "fixed", "month": 2, "day": 30});
        h[1]["date"] = json!({"rule": "nth_weekday", "month": 13, "weekday": "mon", "n": 6});
        h[2]["from_year"] = json!(2030);
        h[2]["until_year"] = json!(2020);
        v["business_days"]["calendars"][1]["country"] = json!("UK!");
    });
    let got = fields(&json);
    for want in [
        "business_days.weekend",
        "business_days.calendars[0].holidays[0].date",
        "business_days.calendars[0].holidays[1].date.month",
        "business_days.calendars[0].holidays[1].date.n",
        "business_days.calendars[0].holidays[2].until_year",
        "business_days.calendars[1].country",
    ] {
        assert!(got.contains(&want.to_owned()), "{want} not in {got:?}");
    }
    assert_eq!(
        fields(&edit("ebay", |v| v["default_country"] = json!("FR"))),
        ["business_days.calendars"]
    );
    let e = SellingPolicy::from_json(&edit("ebay", |v| {
        v["business_days"]["calendars"][0]["holidays"][0]["date"] =
            json!({"rule": "fixed", "month": 1});
    }))
    .unwrap_err();
    assert_eq!(e.field(), "business_days.calendars[0].holidays[0].date.day");
}

#[test]
fn malformed_json_is_an_error_not_a_panic() {
    for bad in ["{", "[]", "null", "\"paypal\""] {
        assert!(
            matches!(SellingPolicy::from_json(bad), Err(Error::InvalidPolicy(_))),
            "{bad}"
        );
    }
}

fn sources(v: &Value, out: &mut Vec<(String, String, String)>) {
    match v {
        Value::Object(m) => {
            if let (Some(Value::String(r)), Some(Value::String(g)), Some(Value::String(c))) =
                (m.get("rule"), m.get("grade"), m.get("confidence"))
            {
                out.push((r.clone(), g.clone(), c.clone()));
            }
            m.values().for_each(|x| sources(x, out));
        }
        Value::Array(a) => a.iter().for_each(|x| sources(x, out)),
        _ => {}
    }
}

#[test]
fn every_rule_is_used_and_every_value_says_how_sure_it_is() {
    let mut all = Vec::new();
    for id in SellingPolicy::PRESETS {
        let v: Value = serde_json::from_str(&SellingPolicy::preset(id).unwrap().to_json()).unwrap();
        sources(&v, &mut all);
    }
    for (rule, grade, confidence) in &all {
        // Unsourced values are assumptions; official ones are never mere assumptions.
        match grade.as_str() {
            "unsourced" => assert_eq!(confidence, "assumption", "{rule}"),
            "official" => assert_ne!(confidence, "assumption", "{rule}"),
            "third_party" => assert!(confidence == "low" || confidence == "medium", "{rule}"),
            _ => {}
        }
    }
    // Every selling-side rule id is either a value of some preset or one of
    // the back-to-back rules the engine applies itself.
    for r in SellingRule::ALL {
        let in_presets = all.iter().any(|(id, _, _)| id == r.id());
        assert!(
            in_presets || r.id().starts_with("BB-"),
            "{r} is used nowhere"
        );
    }
}

#[test]
fn adopted_defaults() {
    // The proposed defaults adopted where sources conflict, each a policy value with its rule.
    let p = SellingPolicy::preset("paypal").unwrap();
    let close = &p.windows[0].closes[0];
    assert_eq!((close.amount, close.source.rule), (180, SellingRule::PW1));
    assert_eq!(
        p.signature_thresholds[0].amount.amount.to_string(),
        "750.00"
    );
    assert_eq!(p.time_zone.name.name(), "UTC");
    let s = SellingPolicy::preset("stripe").unwrap();
    assert!(
        !s.fees[0].returned_on_win.value,
        "S-F3: the dispute fee is kept on a win"
    );
    assert!(
        s.fees[1].returned_on_win.value,
        "S-F2: the counter fee comes back"
    );
    let h = SellingPolicy::preset("shopify_payments").unwrap();
    assert_eq!(h.fees.len(), 5, "H-F1: one fee per country");
    assert_eq!(
        serde_json::to_value(h.platform_due.date_reading).unwrap(),
        "start_of_day",
        "H-T1"
    );
    let a = SellingPolicy::preset("amazon").unwrap();
    assert!(a.fees.is_empty(), "A-F1: no fee found");
    let info = a.stage("information_request").unwrap();
    assert_eq!(
        info.deadlines[0].at.amount, 48,
        "A-L2: the stricter 48 hours"
    );
}
