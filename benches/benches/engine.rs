//! Criterion benchmarks of every entry point, typed and JSON, single order
//! and batch, with and without explanations, on the shared sample data.
//!
//! Targets (issue 7): eligibility + timeline < 1 µs per order; full
//! assessment with prediction < 5 µs; JSON round trip < 10 µs; typed batch
//! > 1M orders/s on one core.
//!
//! `cargo bench -p dispute-rules-benches` (about a minute); one group:
//! `cargo bench -p dispute-rules-benches -- single/`.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use dispute_rules::api::{self, Request};
use dispute_rules::lifecycle::{Action, Actor, ClaimRequest, Event};
use dispute_rules::outcome::Case;
use dispute_rules::reasons::{self, BuyerReport, Claim};
use dispute_rules::{eligibility, timeline, Dispute, Explain, OrderFacts, Policy};
use dispute_rules_benches::{all_facts, facts_json, now};
use dispute_rules_examples::generate;
use dispute_rules_examples::samples::{self, ORDERS_JSONL, SAMPLE_NOW};
use std::hint::black_box;
use std::time::Duration;

/// The typical order: not received, no tracking (the default sample).
const TYPICAL: &str = samples::DEFAULT_SAMPLE;
/// A heavier one: a pending extension (more dates and actions).
const HEAVY: &str = "pending_extension";
/// 003's 17 of 18 units: a received-goods claim with a partial refund.
const SHORTAGE: &str = "quantity_shortage";

/// The parts of a sample request the reasons entry points read.
struct Inputs {
    facts: OrderFacts,
    report: BuyerReport,
    claim: Option<Claim>,
}

fn inputs(name: &str) -> Inputs {
    let json = samples::find(name).map(|s| s.json).unwrap_or_default();
    let r = Request::parse(json).unwrap_or_else(|e| panic!("{name}: {e}"));
    Inputs {
        facts: r.facts().unwrap_or_else(|e| panic!("{name}: {e}")),
        report: r.report().ok().flatten().unwrap_or_default(),
        claim: r
            .claim
            .map(|_| r.claim().unwrap_or_else(|e| panic!("{name}: {e}"))),
    }
}

fn single(c: &mut Criterion) {
    let policy = Policy::aliexpress();
    let now = now();
    for name in [TYPICAL, HEAVY, SHORTAGE] {
        let json = facts_json(name);
        let x = inputs(name);
        let facts = &x.facts;
        let mut g = c.benchmark_group(format!("single/{name}"));
        g.throughput(Throughput::Elements(1));
        g.bench_function("facts_parse", |b| {
            b.iter(|| OrderFacts::from_json(black_box(&json)))
        });
        for explain in [Explain::No, Explain::Yes] {
            let e = if explain == Explain::Yes {
                "explain"
            } else {
                "plain"
            };
            // Eligibility plus timeline: the < 1 µs target.
            g.bench_function(BenchmarkId::new("assess", e), |b| {
                b.iter(|| api::assess(black_box(facts), &policy, now, explain))
            });
        }
        // The full assessment (`api::assess_full`: eligibility, timeline,
        // suggestions, checklist, claim check and the likely outcome): the
        // < 5 µs target.
        for explain in [Explain::No, Explain::Yes] {
            let e = if explain == Explain::Yes {
                "explain"
            } else {
                "plain"
            };
            g.bench_function(BenchmarkId::new("full", e), |b| {
                b.iter(|| {
                    api::assess_full(
                        &Case::new(black_box(facts))
                            .report(&x.report)
                            .claim(x.claim.as_ref()),
                        &policy,
                        now,
                        explain,
                    )
                })
            });
        }
        if name == TYPICAL {
            // Where the time goes, per entry point.
            g.bench_function("facts_parse_plain_serde_json", |b| {
                b.iter(|| serde_json::from_str::<OrderFacts>(black_box(&json)).is_ok())
            });
            g.bench_function("facts_validate", |b| {
                b.iter(|| black_box(facts).validate(&policy, now))
            });
            for explain in [Explain::No, Explain::Yes] {
                let e = if explain == Explain::Yes {
                    "explain"
                } else {
                    "plain"
                };
                g.bench_function(BenchmarkId::new("eligibility", e), |b| {
                    b.iter(|| eligibility::assess(black_box(facts), &policy, now, explain))
                });
                g.bench_function(BenchmarkId::new("timeline", e), |b| {
                    b.iter(|| timeline::build(black_box(facts), &policy, now, explain))
                });
            }
            g.bench_function("suggest_reasons", |b| {
                b.iter(|| reasons::suggest(black_box(facts), &x.report, &policy, now, Explain::No))
            });
            if let Some(cl) = &x.claim {
                g.bench_function("check_claim", |b| {
                    b.iter(|| {
                        reasons::check_claim(
                            black_box(facts),
                            Some(&x.report),
                            cl,
                            &policy,
                            now,
                            Explain::No,
                        )
                    })
                });
                g.bench_function("evidence_checklist", |b| {
                    b.iter(|| {
                        reasons::checklist(cl.reason, black_box(&cl.evidence), &policy, Explain::No)
                    })
                });
            }
        }
        g.finish();
    }
}

fn lifecycle(c: &mut Criterion) {
    let policy = Policy::aliexpress();
    let now = now();
    let x = inputs(TYPICAL);
    let Some(cl) = x.claim else { return };
    let claim = ClaimRequest {
        reason: cl.reason,
        solution: cl.solution,
        refund: cl.refund,
    };
    let mut g = c.benchmark_group("lifecycle");
    g.throughput(Throughput::Elements(1));
    g.bench_function("open", |b| {
        b.iter(|| Dispute::open(black_box(&x.facts), &policy, claim, now))
    });
    // The claim document (attachments, refund type) and the buyer's report,
    // checked as `check_claim` checks them (what `lifecycle_open` runs).
    g.bench_function("open_claim", |b| {
        b.iter(|| Dispute::open_claim(black_box(&x.facts), Some(&x.report), &cl, &policy, now))
    });
    // Open, then let the seller stay silent past the response window (R-L2)
    // and every later timeout run: the whole automatic path.
    let later = now + chrono::Duration::days(60);
    g.bench_function("open_then_advance_60_days", |b| {
        b.iter(|| {
            Dispute::open(black_box(&x.facts), &policy, claim, now).map(|mut d| d.advance(later))
        })
    });
    // One event applied to an open dispute (the seller refuses), and one
    // timeout run by `advance` (the seller stays silent past R-L1): per event.
    let opened = Dispute::open(&x.facts, &policy, claim, now).expect("the sample opens");
    let refuse = Event::new(
        now + chrono::Duration::hours(20),
        Actor::Seller,
        Action::Refuse,
    );
    g.bench_function("apply_event", |b| {
        b.iter_batched(
            || opened.clone(),
            |mut d| d.apply(black_box(refuse)),
            criterion::BatchSize::SmallInput,
        )
    });
    let after_window = now + chrono::Duration::days(6);
    g.bench_function("advance_one_timeout", |b| {
        b.iter_batched(
            || opened.clone(),
            |mut d| d.advance(black_box(after_window)),
            criterion::BatchSize::SmallInput,
        )
    });
    // The JSON operation.
    let request = lifecycle_request(TYPICAL);
    let answer = api::call("lifecycle_open", &request);
    assert!(
        answer.starts_with(r#"{"result":"success""#),
        "lifecycle_open: {answer}"
    );
    g.bench_function("call_lifecycle_open", |b| {
        b.iter(|| api::call("lifecycle_open", black_box(&request)))
    });
    g.finish();
}

/// A sample request (`lifecycle_open` reads the same claim as `check_claim`).
fn lifecycle_request(name: &str) -> String {
    samples::find(name)
        .map(|s| s.json.to_owned())
        .unwrap_or_default()
}

fn json(c: &mut Criterion) {
    let mut g = c.benchmark_group("json");
    g.throughput(Throughput::Elements(1));
    let request = samples::find(TYPICAL).map(|s| s.json).unwrap_or_default();
    let explained = request.replacen("\"policy\"", "\"explain\": true, \"policy\"", 1);
    // Every operation of `api::call` that works on one order's request.
    for op in [
        "assess",
        "eligibility",
        "timeline",
        "validate_facts",
        "suggest_reasons",
        "check_claim",
        "evidence_checklist",
    ] {
        let answer = api::call(op, request);
        assert!(
            answer.starts_with(r#"{"result":"success""#),
            "{op}: {answer}"
        );
        g.bench_function(format!("call_{op}"), |b| {
            b.iter(|| api::call(op, black_box(request)))
        });
    }
    // With a loaded policy (what the C and Python bindings do): no preset
    // is built per call.
    let loaded = Policy::aliexpress();
    let no_policy = request.replacen("\"policy\": \"aliexpress\",", "", 1);
    assert!(!no_policy.contains("\"policy\""));
    for op in ["assess", "eligibility"] {
        let answer = api::call_with_policy(op, &loaded, &no_policy);
        assert!(answer.starts_with(r#"{"result":"success""#), "{answer}");
        g.bench_function(format!("call_with_policy_{op}"), |b| {
            b.iter(|| api::call_with_policy(op, &loaded, black_box(&no_policy)))
        });
    }
    assert!(api::call("assess", &explained).contains(r#""explanation":"#));
    g.bench_function("call_assess_explain", |b| {
        b.iter(|| api::call("assess", black_box(&explained)))
    });

    // Where the round trip's time goes.
    g.bench_function("part/request_parse", |b| {
        b.iter(|| Request::parse(black_box(request)))
    });
    g.bench_function("part/request_facts", |b| {
        b.iter(|| Request::parse(black_box(request)).and_then(|r| r.facts()))
    });
    g.bench_function("part/resolve_policy_preset", |b| {
        b.iter(|| api::resolve_policy(Some(black_box("\"aliexpress\""))))
    });
    g.bench_function("part/policy_aliexpress", |b| b.iter(Policy::aliexpress));
    let facts = OrderFacts::from_json(&facts_json(TYPICAL)).unwrap_or_else(|e| panic!("{e}"));
    let policy = Policy::aliexpress();
    let answer = api::assess(&facts, &policy, now(), Explain::No).unwrap_or_else(|e| panic!("{e}"));
    g.bench_function("part/answer_serialize", |b| {
        b.iter(|| api::answer(&Ok::<_, dispute_rules::Error>(black_box(&answer))))
    });
    g.finish();
}

fn parts(c: &mut Criterion) {
    // The calendar primitives every date goes through (C-1).
    let mut g = c.benchmark_group("calendar");
    let cal = Policy::aliexpress().calendar();
    let t = now();
    g.bench_function("add_days", |b| b.iter(|| cal.add_days(black_box(t), 60)));
    g.bench_function("nth_day_start", |b| {
        b.iter(|| cal.nth_day_start(black_box(t), 11))
    });
    g.bench_function("moment_local", |b| {
        b.iter(|| cal.moment(black_box(t)).local())
    });
    let wall = cal.local(t).naive_local();
    g.bench_function("resolve_local", |b| b.iter(|| cal.resolve(black_box(wall))));
    g.bench_function("rfc3339_utc", |b| {
        b.iter(|| black_box(t).to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true))
    });
    g.bench_function("rfc3339_parse", |b| {
        b.iter(|| black_box(SAMPLE_NOW).parse::<chrono::DateTime<chrono::Utc>>())
    });
    g.finish();
}

fn batch(c: &mut Criterion) {
    let policy = Policy::aliexpress();
    let now = now();
    let mut g = c.benchmark_group("batch");

    // Typed path over every sample.
    let facts = all_facts();
    g.throughput(Throughput::Elements(facts.len() as u64));
    for explain in [Explain::No, Explain::Yes] {
        let x = if explain == Explain::Yes {
            "explain"
        } else {
            "plain"
        };
        g.bench_function(BenchmarkId::new("samples_typed", x), |b| {
            b.iter(|| {
                let mut eligible = 0usize;
                for f in black_box(&facts) {
                    if let Ok(a) = api::assess(f, &policy, now, explain) {
                        eligible += usize::from(a.eligibility.is_eligible());
                    }
                }
                eligible
            })
        });
    }

    // Typed path over 1000 generated orders (every status and tracking kind).
    let mut text = Vec::new();
    let gen_now = SAMPLE_NOW.parse().unwrap_or(now);
    if let Err(e) = generate::write(1000, 1, gen_now, &mut text) {
        panic!("generate: {e}");
    }
    let text = String::from_utf8(text).unwrap_or_default();
    let generated: Vec<OrderFacts> = text
        .lines()
        .filter_map(|l| OrderFacts::from_json(l).ok())
        .collect();
    g.throughput(Throughput::Elements(generated.len() as u64));
    g.bench_function("generated_typed", |b| {
        b.iter(|| {
            black_box(&generated)
                .iter()
                .filter_map(|f| api::assess(f, &policy, gen_now, Explain::No).ok())
                .count()
        })
    });
    g.bench_function("generated_jsonl", |b| {
        b.iter(|| api::assess_jsonl(&policy, gen_now, Explain::No, black_box(&text)).len())
    });
    // The Rust batch (what the Python and C batches call): eligibility and
    // timeline from JSON lines, on 1 and 2 threads.
    let batch = api::Batch::new(
        "eligibility_timeline",
        &format!(r#"{{"now":"{SAMPLE_NOW}","policy":"aliexpress"}}"#),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    for threads in [1, 2] {
        g.bench_function(BenchmarkId::new("batch_run_lines", threads), |b| {
            b.iter(|| batch.run_lines(black_box(text.as_bytes()), threads).len())
        });
    }

    // The JSON-lines sample (with its bad line) through the api batch call.
    let lines = ORDERS_JSONL.lines().count() as u64;
    g.throughput(Throughput::Elements(lines));
    g.bench_function("orders_jsonl", |b| {
        b.iter(|| api::assess_jsonl(&policy, now, Explain::No, black_box(ORDERS_JSONL)).len())
    });
    g.finish();
}

/// Back-to-back (issue 18): the customer's PayPal dispute beside the
/// supplier's AliExpress order (the first worked example of
/// `docs/selling-side.md`), typed and through JSON.
fn back_to_back(c: &mut Criterion) {
    use dispute_rules::backtoback;
    use dispute_rules::selling::{self, CustomerDispute, CustomerOrder, SellingPolicy};
    const ORDER: &str = r#"{"schema_version": 1, "order_id": "S-1001", "platform": "paypal",
        "amount": {"amount": "59.90", "currency": "USD"}, "paid_at": "2026-02-28T03:30:00Z"}"#;
    const DISPUTE: &str = r#"{"reason": "MERCHANDISE_OR_SERVICE_NOT_RECEIVED", "stage": "inquiry",
        "opened_at": "2026-04-25T21:00:00Z"}"#;
    const FACTS: &str = r#"{"schema_version": 1, "order_id": "8123", "line_id": "1",
        "unit_price": {"amount": "12.00", "currency": "USD"}, "quantity": 1,
        "shipping_cost": {"amount": "0", "currency": "USD"},
        "placed_at": "2026-02-28T04:00:00Z", "shipped_at": "2026-03-02T18:00:00Z",
        "shipping_method": "standard", "destination_country": "US",
        "tracking": {"status": "in_transit"}, "payment_method": "card"}"#;
    let order = CustomerOrder::from_json(ORDER).unwrap_or_else(|e| panic!("{e}"));
    let dispute = CustomerDispute::from_json(DISPUTE).unwrap_or_else(|e| panic!("{e}"));
    let facts = OrderFacts::from_json(FACTS).unwrap_or_else(|e| panic!("{e}"));
    let (selling, supplier) = (
        SellingPolicy::preset("paypal").unwrap_or_else(|| panic!("paypal")),
        Policy::aliexpress(),
    );
    let now = "2026-04-26T12:00:00Z"
        .parse()
        .unwrap_or_else(|e| panic!("{e}"));
    let request = format!(
        r#"{{"customer_order": {ORDER}, "customer_dispute": {DISPUTE}, "facts": {FACTS}, "now": "2026-04-26T12:00:00Z"}}"#
    );
    let mut g = c.benchmark_group("back_to_back");
    g.throughput(Throughput::Elements(1));
    g.bench_function("assess", |b| {
        b.iter(|| {
            backtoback::assess(
                black_box(&order),
                Some(&dispute),
                &selling,
                &facts,
                &supplier,
                now,
                None,
                Explain::No,
            )
        })
    });
    g.bench_function("seller_timeline", |b| {
        b.iter(|| {
            selling::seller_timeline(
                black_box(&order),
                Some(&dispute),
                &selling,
                now,
                None,
                Explain::No,
            )
        })
    });
    g.bench_function("call_back_to_back", |b| {
        b.iter(|| api::call("back_to_back", black_box(&request)))
    });
    g.finish();
}

fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(2))
        .sample_size(50)
}

criterion_group! {
    name = benches;
    config = config();
    targets = single, json, lifecycle, parts, batch, back_to_back
}
criterion_main!(benches);
