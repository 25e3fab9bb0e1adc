//! Smoke test.
#[test]
fn smoke() {
    let facts = include_str!("data/not_received.json");
    let req = format!(r#"{{"facts": {facts}, "now": "2026-03-20T12:00:00Z", "explain": true}}"#);
    println!("{}", dispute_rules::api::call("assess", &req));
    let bad = r#"{"facts": {"schema_version": 2}, "now": "2026-03-20T12:00:00Z"}"#;
    println!("{}", dispute_rules::api::call("assess", bad));
}
