//! The batch with the customer side: JSON lines `{"facts", "customer_order",
//! "customer_dispute"}` and CSV records filling the customer columns are
//! answered back to back, with the result columns saying which side binds
//! first; records without a customer side are answered as before, in the
//! same file; bad customer fields and columns are named; exit statuses.

use dispute_rules::flat::{self, Column, COLUMNS, CUSTOMER_COLUMNS};
use dispute_rules::selling::{CustomerDispute, CustomerOrder};
use dispute_rules::{api, OrderFacts, Policy};
use dispute_rules_examples::batch::{
    self, Answer, Batch, Format, Output, BACK_TO_BACK_COLUMNS, RESULT_COLUMNS,
};
use dispute_rules_examples::generate;
use dispute_rules_examples::samples::{
    self, ORDERS_B2B_BAD_LINE, ORDERS_B2B_CSV, ORDERS_B2B_JSONL, ORDERS_JSONL, SAMPLE_NOW,
};
use serde_json::{json, Value};
use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

type Now = chrono::DateTime<chrono::Utc>;

fn now() -> Now {
    SAMPLE_NOW.parse().unwrap()
}

fn outcomes(input: &[u8], format: Format, now: Now) -> Vec<batch::Outcome> {
    batch::outcomes(input, format, &Policy::aliexpress(), now)
        .unwrap()
        .collect()
}

/// The CSV output rows (header first) of `outcomes`.
fn csv_rows(out: Vec<batch::Outcome>, b2b: bool, now: Now) -> Vec<Vec<String>> {
    let mut csv = Vec::new();
    batch::write_results(out, Output::Csv, b2b, now, &mut csv, |_| {}).unwrap();
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(csv.as_slice())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

fn jsonl_answers(out: Vec<batch::Outcome>, now: Now) -> Vec<Value> {
    let mut jsonl = Vec::new();
    batch::write_results(out, Output::Jsonl, false, now, &mut jsonl, |_| {}).unwrap();
    String::from_utf8(jsonl)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// A sample request as a batch line: the request without `now`.
fn line_of(request: &str) -> (String, Now) {
    let mut v: Value = serde_json::from_str(request).unwrap();
    let now = v["now"].as_str().unwrap().parse().unwrap();
    v.as_object_mut().unwrap().remove("now");
    (v.to_string(), now)
}

/// The same record as CSV cells: the facts, then the customer side.
fn csv_cells(line: &str) -> Vec<String> {
    let v: Value = serde_json::from_str(line).unwrap();
    let facts = match v.get("facts") {
        Some(f) => OrderFacts::from_json(&f.to_string()).unwrap(),
        None => OrderFacts::from_json(line).unwrap(),
    };
    let mut cells = flat::to_text(&facts).unwrap();
    match v.get("customer_order") {
        Some(o) => {
            let order = CustomerOrder::from_json(&o.to_string()).unwrap();
            let dispute = v
                .get("customer_dispute")
                .map(|d| CustomerDispute::from_json(&d.to_string()).unwrap());
            cells.extend(flat::customer_to_text(&order, dispute.as_ref()).unwrap());
        }
        None => cells.extend(CUSTOMER_COLUMNS.map(|_| String::new())),
    }
    cells
}

fn csv_file(rows: &[Vec<String>]) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(COLUMNS.iter().chain(&CUSTOMER_COLUMNS).map(|c| c.name()))
        .unwrap();
    for r in rows {
        w.write_record(r).unwrap();
    }
    w.into_inner().unwrap()
}

fn column(name: &str) -> usize {
    RESULT_COLUMNS
        .iter()
        .chain(&BACK_TO_BACK_COLUMNS)
        .position(|c| *c == name)
        .unwrap()
}

#[test]
fn every_back_to_back_line_answers_as_the_operation_does() {
    let mut input = Vec::new();
    generate::write_back_to_back(300, 5, now(), &mut input).unwrap();
    let out = outcomes(&input, Format::Jsonl, now());
    assert_eq!(out.len(), 300);
    let answers = jsonl_answers(out.clone(), now());
    for ((line, o), item) in String::from_utf8(input)
        .unwrap()
        .lines()
        .zip(&out)
        .zip(&answers)
    {
        assert!(
            matches!(o.result, Ok(Answer::BackToBack(_))),
            "line {}: {:?}",
            o.line,
            o.result.as_ref().err()
        );
        let mut req: Value = serde_json::from_str(line).unwrap();
        req["now"] = json!(SAMPLE_NOW);
        let want: Value =
            serde_json::from_str(&api::call("back_to_back", &req.to_string())).unwrap();
        assert_eq!(item["answer"], want["answer"], "line {}", o.line);
        assert_eq!(item["line"], o.line);
        assert_eq!(
            o.customer_order_id.as_deref(),
            req["customer_order"]["order_id"].as_str()
        );
    }
}

#[test]
fn csv_with_the_customer_columns_answers_as_json_lines_do() {
    let (mut jsonl, mut csv) = (Vec::new(), Vec::new());
    generate::write_back_to_back(300, 9, now(), &mut jsonl).unwrap();
    generate::write_back_to_back_csv(300, 9, now(), &mut csv).unwrap();
    let j = outcomes(&jsonl, Format::Jsonl, now());
    let c = outcomes(&csv, Format::Csv, now());
    assert_eq!((j.len(), c.len()), (300, 300));
    for (a, b) in j.iter().zip(&c) {
        assert_eq!(b.line, a.line + 1, "the header is line 1");
        assert_eq!(
            (&a.ids, &a.customer_order_id),
            (&b.ids, &b.customer_order_id)
        );
        assert_eq!(
            a.result.as_ref().unwrap(),
            b.result.as_ref().unwrap(),
            "line {}",
            a.line
        );
    }
    // The CSV output has the back-to-back columns after the usual ones.
    assert!(batch::has_customer_side(&csv, Format::Csv));
    assert!(batch::has_customer_side(&jsonl, Format::Jsonl));
    let rows = csv_rows(c, true, now());
    let header: Vec<&str> = RESULT_COLUMNS
        .iter()
        .chain(&BACK_TO_BACK_COLUMNS)
        .copied()
        .collect();
    assert_eq!(rows[0], header);
    assert!(rows[1..].iter().all(|r| r.len() == header.len()));
}

#[test]
fn generated_back_to_back_records_are_valid_varied_and_reproducible() {
    let mut out = Vec::new();
    generate::write_back_to_back(1000, 3, now(), &mut out).unwrap();
    let b = Batch::collect(outcomes(&out, Format::Jsonl, now()), now());
    assert!(b.errors.is_empty(), "{:?}", b.errors.first());
    let [sup, cus, none] = b.tally.binds;
    assert!(sup > 0 && cus > 0 && none > 0, "{:?}", b.tally.binds);
    let text = String::from_utf8(out.clone()).unwrap();
    for p in ["paypal", "ebay", "amazon", "stripe", "shopify_payments"] {
        assert!(text.contains(&format!(r#""platform":"{p}""#)), "{p}");
    }
    let routes: std::collections::BTreeSet<&str> = b
        .rows
        .iter()
        .filter_map(|r| r.back_to_back.map(|x| x.route))
        .collect();
    for r in ["open", "closed", "not_applicable"] {
        assert!(routes.contains(r), "{r}: {routes:?}");
    }
    let mut again = Vec::new();
    generate::write_back_to_back(1000, 3, now(), &mut again).unwrap();
    assert_eq!(out, again);
}

#[test]
fn the_worked_examples_in_a_batch_say_which_side_binds_first() {
    // binds_first, binding_milestone, binding_deadline, binding_rule,
    // supplier_route, supplier_closes_before_decision, customer_decision_at,
    // uncovered_amount, uncovered_currency, first_action, first_action_deadline.
    let want: [(&str, [&str; 11]); 3] = [
        (
            "b2b_paypal_supplier_first",
            [
                "supplier",
                "extension_request_deadline",
                "2026-04-28T17:00:00Z",
                "R-E5",
                "open",
                "true",
                "2026-05-05T21:00:00Z",
                "",
                "",
                "request_supplier_extension",
                "2026-04-28T17:00:00Z",
            ],
        ),
        (
            "b2b_stripe_route_closed",
            [
                "customer",
                "seller_response",
                "2026-12-08T17:15:00Z",
                "S-L1",
                "closed",
                "",
                "2027-02-21T17:15:00Z",
                "75.00",
                "USD",
                "respond_to_customer",
                "2026-12-08T17:15:00Z",
            ],
        ),
        (
            "b2b_ebay_business_days",
            [
                "customer",
                "seller_response",
                "2026-06-26T00:00:00Z",
                "B-L1",
                "open",
                "false",
                "2026-06-28T00:00:00Z",
                "",
                "",
                "respond_to_customer",
                "2026-06-26T00:00:00Z",
            ],
        ),
    ];
    for (name, cells) in want {
        let s = samples::find_back_to_back(name).unwrap();
        let (line, at) = line_of(s.json);
        let customer_id = serde_json::from_str::<Value>(s.json).unwrap()["customer_order"]
            ["order_id"]
            .as_str()
            .unwrap()
            .to_owned();
        let from_json = csv_rows(outcomes(line.as_bytes(), Format::Jsonl, at), true, at);
        let csv = csv_file(&[csv_cells(&line)]);
        let from_csv = csv_rows(outcomes(&csv, Format::Csv, at), true, at);
        for rows in [&from_json, &from_csv] {
            let row = &rows[1];
            assert_eq!(row[column("customer_order_id")], customer_id, "{name}");
            assert_eq!(row[column("binds_first")..], cells, "{name}");
            assert_eq!(
                row[column("status")],
                if cells[4] == "open" {
                    "eligible"
                } else {
                    "closed"
                }
            );
        }
        // The JSON-lines answer is the operation's for the sample.
        let item = &jsonl_answers(outcomes(line.as_bytes(), Format::Jsonl, at), at)[0];
        let want: Value = serde_json::from_str(&api::call("back_to_back", s.json)).unwrap();
        assert_eq!(item["answer"], want["answer"], "{name}");
    }
}

#[test]
fn records_without_a_customer_side_keep_their_answers_in_a_mixed_file() {
    let mut b2b = Vec::new();
    generate::write_back_to_back(12, 4, now(), &mut b2b).unwrap();
    let b2b = String::from_utf8(b2b).unwrap();
    let bare: Vec<&str> = ORDERS_JSONL.lines().collect();
    // Bare lines, a back-to-back line after each, and one `{"facts": ...}`.
    let mut mixed = String::new();
    for (l, b) in bare.iter().zip(b2b.lines()) {
        mixed.push_str(l);
        mixed.push('\n');
        mixed.push_str(b);
        mixed.push('\n');
    }
    mixed.push_str(&format!("{{\"facts\": {}}}\n", bare[0]));
    assert!(batch::has_customer_side(mixed.as_bytes(), Format::Jsonl));
    assert!(!batch::has_customer_side(
        ORDERS_JSONL.as_bytes(),
        Format::Jsonl
    ));

    let alone = csv_rows(
        outcomes(ORDERS_JSONL.as_bytes(), Format::Jsonl, now()),
        false,
        now(),
    );
    let rows = csv_rows(
        outcomes(mixed.as_bytes(), Format::Jsonl, now()),
        true,
        now(),
    );
    assert_eq!(rows.len(), 1 + 2 * bare.len() + 1);
    let width = RESULT_COLUMNS.len();
    for (i, want) in alone[1..].iter().enumerate() {
        let row = &rows[1 + 2 * i];
        // The same answer (its line number aside), and no back-to-back cells.
        assert_eq!(row[1..width], want[1..], "order {}", i + 1);
        assert!(row[width..].iter().all(String::is_empty), "order {}", i + 1);
        let b = &rows[2 + 2 * i];
        assert!(
            ["supplier", "customer", "none"].contains(&b[column("binds_first")].as_str()),
            "{b:?}"
        );
        assert!(b[column("customer_order_id")].starts_with("S-"));
    }
    let last = rows.last().unwrap();
    assert_eq!(
        last[..width][1..],
        alone[1][1..],
        "{{\"facts\": ...}} alone is the facts"
    );
    assert!(last[width..].iter().all(String::is_empty));
    // JSON lines: the bare lines' answers are `api::assess`'s, as before.
    let answers = jsonl_answers(outcomes(mixed.as_bytes(), Format::Jsonl, now()), now());
    let plain = jsonl_answers(
        outcomes(ORDERS_JSONL.as_bytes(), Format::Jsonl, now()),
        now(),
    );
    for (i, want) in plain.iter().enumerate() {
        let got = &answers[2 * i];
        assert_eq!(
            (&got["result"], &got["answer"], &got["error"]),
            (&want["result"], &want["answer"], &want["error"])
        );
    }
    // The table: two more columns; the most urgent action of either side.
    let b = Batch::collect(outcomes(mixed.as_bytes(), Format::Jsonl, now()), now());
    let table = b.table(now(), None);
    let header = table.lines().next().unwrap();
    assert!(
        header.contains("why not                     binds     supplier route  most urgent action"),
        "{header}"
    );
    let plain_table = Batch::collect(
        outcomes(ORDERS_JSONL.as_bytes(), Format::Jsonl, now()),
        now(),
    )
    .table(now(), None);
    assert!(!plain_table.contains("supplier route"));
    let [sup, cus, none] = b.tally.binds;
    assert_eq!(sup + cus + none, 12);
    assert!(b.summary().starts_with("25 lines: "), "{}", b.summary());
    assert!(b.summary().ends_with(&format!(
        "1 error (line 11); 12 back to back: {sup} supplier side binds first, {cus} customer side, {none} none"
    )), "{}", b.summary());
    // Bare rows show `-` in the two columns.
    let first_bare = table
        .lines()
        .find(|l| l.contains(" 3012458817401/1 "))
        .unwrap();
    assert!(
        first_bare.contains("  -         -               request_extension"),
        "{first_bare}"
    );
}

#[test]
fn bad_customer_cells_and_fields_are_named() {
    let (line, at) = line_of(
        samples::find_back_to_back("b2b_paypal_supplier_first")
            .unwrap()
            .json,
    );
    let good = csv_cells(&line);
    let with = |changes: &[(Column, &str)]| {
        let mut r = good.clone();
        for (c, v) in changes {
            let i = COLUMNS
                .iter()
                .chain(&CUSTOMER_COLUMNS)
                .position(|x| x == c)
                .unwrap();
            r[i] = (*v).to_owned();
        }
        r
    };
    let rows = [
        with(&[(Column::CustomerDisputeStage, "claimz")]),
        with(&[
            (Column::CustomerAmount, "lots"),
            (Column::UnitPrice, "cheap"),
        ]),
        with(&[(Column::CustomerPlatform, "")]),
        // Read fine, refused by the engine: paid after now, a negative price.
        with(&[
            (Column::CustomerPaidAt, "2026-05-01T00:00:00Z"),
            (Column::UnitPrice, "-1"),
        ]),
        good.clone(),
    ];
    let out = outcomes(&csv_file(&rows), Format::Csv, at);
    let fields = |i: usize| -> Vec<String> {
        out[i]
            .result
            .as_ref()
            .unwrap_err()
            .problems()
            .iter()
            .map(|p| p.field().to_owned())
            .collect()
    };
    assert_eq!(fields(0), ["customer_dispute_stage"]);
    assert_eq!(
        fields(1),
        ["unit_price", "customer_amount"],
        "facts first, then the customer side"
    );
    assert_eq!(fields(2), ["customer_platform"]);
    let engine = fields(3);
    assert!(
        engine.contains(&"customer_paid_at".to_owned())
            && engine.contains(&"unit_price".to_owned()),
        "{engine:?}"
    );
    assert!(out[4].result.is_ok());
    // Error rows keep both order ids.
    let rows = csv_rows(out, true, at);
    for r in &rows[1..] {
        assert_eq!(r[1], "3013250447718");
        assert_eq!(r[column("customer_order_id")], "S-1001");
    }
    assert_eq!(rows[1][column("error_field")], "customer_dispute_stage");
    assert!(
        rows[1][column("binds_first")].is_empty(),
        "no answer on an error row"
    );

    // JSON lines: fields named as the operation names them.
    let edit = |f: &dyn Fn(&mut Value)| {
        let mut v: Value = serde_json::from_str(&line).unwrap();
        f(&mut v);
        v.to_string()
    };
    let cases: Vec<(String, &str, &str)> = vec![
        (
            edit(&|v| v["customer_dispute"]["stage"] = json!("claimz")),
            "customer_dispute.stage",
            "invalid_facts",
        ),
        (
            edit(&|v| v["facts"]["quantity"] = json!("one")),
            "facts.quantity",
            "invalid_facts",
        ),
        (
            edit(&|v| v["customer_order"]["amount"]["amount"] = json!("-3")),
            "customer_order.amount.amount",
            "invalid_facts",
        ),
        (
            edit(&|v| v["now"] = json!(SAMPLE_NOW)),
            "now",
            "invalid_request",
        ),
        (
            edit(&|v| v["policy"] = json!("aliexpress")),
            "policy",
            "invalid_request",
        ),
        (
            edit(&|v| {
                v.as_object_mut().unwrap().remove("customer_order");
            }),
            "customer_order",
            "invalid_request",
        ),
        (
            edit(&|v| v["custmer_dispute"] = json!({})),
            "custmer_dispute",
            "invalid_request",
        ),
        (
            edit(&|v| v["selling_policy"] = json!("venmo")),
            "selling_policy",
            "invalid_policy",
        ),
        (
            edit(&|v| v["time_zone"] = json!("Mars/Base")),
            "time_zone",
            "invalid_request",
        ),
        (format!("{line} trailing"), "", "invalid_request"),
    ];
    let input: String = cases.iter().map(|(l, _, _)| format!("{l}\n")).collect();
    let out = outcomes(input.as_bytes(), Format::Jsonl, at);
    for ((l, field, kind), o) in cases.iter().zip(&out) {
        let e = o.result.as_ref().unwrap_err();
        assert_eq!(
            (e.field().as_str(), e.kind().as_str()),
            (*field, *kind),
            "{l}: {e}"
        );
    }
    // The ids of a bad line, when it shows them.
    assert_eq!(out[0].ids.as_ref().unwrap().0, "3013250447718");
    assert_eq!(out[0].customer_order_id.as_deref(), Some("S-1001"));
    // A line the operation accepts with `selling_policy` and `time_zone`.
    let own = edit(&|v| {
        v["selling_policy"] = json!("paypal");
        v["time_zone"] = json!("Europe/Berlin");
    });
    let item = &jsonl_answers(outcomes(own.as_bytes(), Format::Jsonl, at), at)[0];
    let mut req: Value = serde_json::from_str(&own).unwrap();
    req["now"] = json!(at.to_rfc3339());
    let want: Value = serde_json::from_str(&api::call("back_to_back", &req.to_string())).unwrap();
    assert_eq!(item["answer"], want["answer"]);
    assert_eq!(
        item["answer"]["binding"]["at"]["local"],
        "2026-04-28T19:00:00+02:00"
    );
}

#[test]
fn a_header_with_customer_columns_must_name_the_needed_ones() {
    let policy = Policy::aliexpress();
    let names: Vec<&str> = COLUMNS
        .iter()
        .map(|c| c.name())
        .chain(["customer_platform", "customer_dispute_stage"])
        .collect();
    let input = format!("{}\n", names.join(","));
    let e = match batch::outcomes(input.as_bytes(), Format::Csv, &policy, now()) {
        Ok(_) => panic!("accepted"),
        Err(e) => e,
    };
    for missing in [
        "customer_order_id",
        "customer_amount",
        "customer_currency",
        "customer_paid_at",
        "customer_dispute_reason",
        "customer_dispute_opened_at",
    ] {
        assert!(
            e.contains(&format!(
                "`{missing}`: missing column `{missing}`, needed with `customer_"
            )),
            "{missing}: {e}"
        );
    }
    assert!(batch::has_customer_side(input.as_bytes(), Format::Csv));
    let plain = COLUMNS
        .iter()
        .map(|c| c.name())
        .collect::<Vec<_>>()
        .join(",");
    assert!(!batch::has_customer_side(plain.as_bytes(), Format::Csv));
}

#[test]
fn a_customer_order_key_is_told_from_a_value() {
    let yes = [
        r#"{"facts": {}, "customer_order": {}}"#,
        r#"{"facts": {}, "customer_order"  : {}}"#,
        "{\"customer_order\"\n:{}}",
    ];
    for t in yes {
        assert!(batch::has_customer_side(t.as_bytes(), Format::Jsonl), "{t}");
    }
    let no = [
        r#"{"shipping_method": "customer_order", "x": 1}"#,
        r#"{"shipping_method": "a \"customer_order\": b"}"#,
        r#"{"customer_orders": {}}"#,
        "",
    ];
    for t in no {
        assert!(
            !batch::has_customer_side(t.as_bytes(), Format::Jsonl),
            "{t}"
        );
    }
}

fn assess(args: &[&str], stdin: &[u8]) -> (i32, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_assess"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    let data = stdin.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = input.write_all(&data);
    });
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn temp(name: &str, content: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("assess-b2b-batch-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, content).unwrap();
    p
}

#[test]
fn exit_statuses_are_those_of_every_batch() {
    let mut csv = Vec::new();
    generate::write_back_to_back_csv(50, 2, now(), &mut csv).unwrap();
    let good = temp("good.csv", &csv);
    let (code, out, err) = assess(
        &[
            "--batch",
            good.to_str().unwrap(),
            "--now",
            SAMPLE_NOW,
            "--output",
            "csv",
        ],
        b"",
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with(&format!(
        "{},{}\n",
        RESULT_COLUMNS.join(","),
        BACK_TO_BACK_COLUMNS.join(",")
    )));
    assert!(err.contains("; 50 back to back: "), "{err}");
    // One bad customer cell: that record's error, the others answered, 1.
    let mut records: Vec<csv::StringRecord> = csv::Reader::from_reader(csv.as_slice())
        .records()
        .map(Result::unwrap)
        .collect();
    let platform = COLUMNS.len() + 1;
    let mut cells: Vec<String> = records[7].iter().map(str::to_owned).collect();
    cells[platform] = "venmo".into();
    records[7] = csv::StringRecord::from(cells);
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(COLUMNS.iter().chain(&CUSTOMER_COLUMNS).map(|c| c.name()))
        .unwrap();
    for r in &records {
        w.write_record(r).unwrap();
    }
    let bad = w.into_inner().unwrap();
    let (code, out, _) = assess(
        &["--batch", "-", "--format", "csv", "--now", SAMPLE_NOW],
        &bad,
    );
    assert_eq!(code, 1);
    assert!(
        out.contains("line 9: invalid order facts: `customer_platform`: unknown variant `venmo`"),
        "{out}"
    );
    assert!(
        out.contains("50 lines: ") && out.contains(", 1 error (line 9); 49 back to back"),
        "{out}"
    );
    // A header missing a needed customer column: 2.
    let header_only = format!(
        "{}\n",
        COLUMNS
            .iter()
            .map(|c| c.name())
            .chain(["customer_amount"])
            .collect::<Vec<_>>()
            .join(",")
    );
    let (code, _, err) = assess(
        &["--batch", "-", "--format", "csv", "--now", SAMPLE_NOW],
        header_only.as_bytes(),
    );
    assert_eq!(code, 2);
    assert!(
        err.contains("missing column `customer_paid_at`, needed with `customer_amount`"),
        "{err}"
    );
    // JSON lines with a bad line: 1; the JSON answers in input order.
    let mut jsonl = Vec::new();
    generate::write_back_to_back(20, 2, now(), &mut jsonl).unwrap();
    jsonl.extend_from_slice(b"{\"facts\": {}, \"customer_order\": {}}\n");
    let (code, out, err) = assess(&["--batch", "-", "--now", SAMPLE_NOW, "--json"], &jsonl);
    assert_eq!(code, 1, "{err}");
    let lines: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 21);
    assert_eq!(
        lines[20]["error"]["problems"][0]["field"],
        "customer_order.schema_version"
    );
}

#[test]
fn orders_b2b_csv_holds_the_records_of_orders_b2b_jsonl() {
    let rows: Vec<Vec<String>> = ORDERS_B2B_JSONL.lines().map(csv_cells).collect();
    let want = String::from_utf8(csv_file(&rows)).unwrap();
    if std::env::var_os("UPDATE_SAMPLES").is_some() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/orders-b2b.csv");
        std::fs::write(path, &want).unwrap();
        return;
    }
    assert_eq!(
        ORDERS_B2B_CSV, want,
        "examples/data/orders-b2b.csv is stale: run `UPDATE_SAMPLES=1 cargo test -p dispute-rules-examples --test batch_back_to_back`"
    );
    let j = outcomes(ORDERS_B2B_JSONL.as_bytes(), Format::Jsonl, now());
    let c = outcomes(ORDERS_B2B_CSV.as_bytes(), Format::Csv, now());
    assert_eq!(j.len(), 8);
    for (a, b) in j.iter().zip(&c) {
        assert_eq!(b.line, a.line + 1);
        assert_eq!(
            (&a.ids, &a.customer_order_id),
            (&b.ids, &b.customer_order_id)
        );
        match (&a.result, &b.result) {
            (Ok(x), Ok(y)) => assert_eq!(x, y, "line {}", a.line),
            (Err(x), Err(y)) => {
                assert_eq!(a.line, ORDERS_B2B_BAD_LINE);
                let paths: Vec<String> = x
                    .problems()
                    .iter()
                    .map(|p| flat::column_of(p.field()))
                    .collect();
                let columns: Vec<String> =
                    y.problems().iter().map(|p| p.field().to_owned()).collect();
                assert_eq!(paths, columns);
                assert_eq!(columns, ["customer_dispute_stage"]);
            }
            _ => panic!("line {}: CSV and JSON lines disagree", a.line),
        }
    }
    // Line 2 has no customer side: answered as the supplier side alone.
    assert!(matches!(j[1].result, Ok(Answer::Supplier(_))));
    assert_eq!(
        j.iter()
            .filter(|o| matches!(o.result, Ok(Answer::BackToBack(_))))
            .count(),
        6
    );
}
