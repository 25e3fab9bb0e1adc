//! A contention-robust companion to the criterion benchmarks: the CPU time
//! per operation of each entry point, read from the thread's own scheduler
//! statistics (`/proc/thread-self/schedstat`, Linux), so time spent waiting
//! for a core shared with other jobs is not counted. Criterion measures wall
//! time; on a busy machine the two differ, and this one is the engine's cost.
//!
//! `cargo run --release -p dispute-rules-benches --bin cputime`

use dispute_rules::api::{self, Request};
use dispute_rules::lifecycle::ClaimRequest;
use dispute_rules::reasons;
use dispute_rules::{eligibility, timeline, Dispute, Explain, OrderFacts, Policy};
use dispute_rules_benches::{all_facts, facts_json, now};
use dispute_rules_examples::samples;
use std::hint::black_box;

/// (CPU ns, wait ns) of this thread so far.
fn sched() -> Option<(u64, u64)> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let mut it = s.split_whitespace().map(|x| x.parse::<u64>().ok());
    Some((it.next()??, it.next()??))
}

/// Runs `f` (which does `per_call` operations) for about `budget_ns` of CPU
/// time; prints CPU ns per operation and the share of time spent waiting.
fn measure(name: &str, per_call: u64, budget_ns: u64, mut f: impl FnMut()) {
    for _ in 0..100 {
        f();
    }
    let Some((c0, w0)) = sched() else {
        println!("{name}: /proc/thread-self/schedstat unavailable");
        return;
    };
    let mut calls = 0u64;
    let mut batch = 64u64;
    loop {
        for _ in 0..batch {
            f();
        }
        calls += batch;
        let Some((c, _)) = sched() else { return };
        if c - c0 >= budget_ns {
            break;
        }
        batch = batch.saturating_mul(2).min(1 << 16);
    }
    let Some((c1, w1)) = sched() else { return };
    let ops = calls * per_call;
    let ns = (c1 - c0) as f64 / ops as f64;
    let wait = (w1 - w0) as f64 / ((c1 - c0) + (w1 - w0)).max(1) as f64 * 100.0;
    let rate = if ns > 0.0 { 1e9 / ns } else { 0.0 };
    println!("{name:<48} {ns:>10.0} ns/op  {rate:>12.0} op/s   (waited {wait:>4.1}% of wall time)");
}

fn main() {
    let budget: u64 = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(700)
        * 1_000_000;
    let policy = Policy::aliexpress();
    let now = now();
    for name in [samples::DEFAULT_SAMPLE, "pending_extension"] {
        let json = facts_json(name);
        let Ok(facts) = OrderFacts::from_json(&json) else {
            return;
        };
        println!("-- {name}");
        measure("facts_parse", 1, budget, || {
            black_box(OrderFacts::from_json(black_box(&json)).is_ok());
        });
        measure("facts_parse_plain_serde_json", 1, budget, || {
            black_box(serde_json::from_str::<OrderFacts>(black_box(&json)).is_ok());
        });
        measure("facts_validate", 1, budget, || {
            black_box(black_box(&facts).validate(&policy, now).is_ok());
        });
        for explain in [Explain::No, Explain::Yes] {
            let x = if explain == Explain::Yes {
                "explain"
            } else {
                "plain"
            };
            measure(&format!("eligibility/{x}"), 1, budget, || {
                black_box(eligibility::assess(black_box(&facts), &policy, now, explain).is_ok());
            });
            measure(&format!("timeline/{x}"), 1, budget, || {
                black_box(timeline::build(black_box(&facts), &policy, now, explain).is_ok());
            });
            measure(
                &format!("assess (eligibility+timeline)/{x}"),
                1,
                budget,
                || {
                    black_box(api::assess(black_box(&facts), &policy, now, explain).is_ok());
                },
            );
        }
    }
    println!("-- reasons and the full report (quantity_shortage)");
    let json = samples::find("quantity_shortage")
        .map(|s| s.json)
        .unwrap_or_default();
    let Ok(r) = Request::parse(json) else { return };
    let (Ok(facts), Ok(Some(report)), Ok(claim)) = (r.facts(), r.report(), r.claim()) else {
        return;
    };
    measure("suggest_reasons", 1, budget, || {
        black_box(reasons::suggest(black_box(&facts), &report, &policy, now, Explain::No).is_ok());
    });
    measure("check_claim (includes its checklist)", 1, budget, || {
        black_box(
            reasons::check_claim(
                black_box(&facts),
                Some(&report),
                &claim,
                &policy,
                now,
                Explain::No,
            )
            .is_ok(),
        );
    });
    measure("evidence_checklist", 1, budget, || {
        black_box(
            reasons::checklist(
                claim.reason,
                black_box(&claim.evidence),
                &policy,
                Explain::No,
            )
            .is_ok(),
        );
    });
    measure("full: assess + suggest + check_claim", 1, budget, || {
        black_box(api::assess(black_box(&facts), &policy, now, Explain::No).is_ok());
        black_box(reasons::suggest(&facts, &report, &policy, now, Explain::No).is_ok());
        black_box(
            reasons::check_claim(&facts, Some(&report), &claim, &policy, now, Explain::No).is_ok(),
        );
    });
    let cr = ClaimRequest {
        reason: claim.reason,
        solution: claim.solution,
        refund: claim.refund,
    };
    measure("lifecycle: Dispute::open", 1, budget, || {
        black_box(Dispute::open(black_box(&facts), &policy, cr, now).is_ok());
    });
    println!("-- json");
    let request = samples::find(samples::DEFAULT_SAMPLE)
        .map(|s| s.json)
        .unwrap_or_default();
    measure("call_assess (JSON round trip)", 1, budget, || {
        black_box(api::call("assess", black_box(request)));
    });
    let loaded = Policy::aliexpress();
    let no_policy = request.replacen("\"policy\": \"aliexpress\",", "", 1);
    measure(
        "call_with_policy assess (loaded policy handle)",
        1,
        budget,
        || {
            black_box(api::call_with_policy(
                "assess",
                &loaded,
                black_box(&no_policy),
            ));
        },
    );
    measure("call_check_claim (JSON round trip)", 1, budget, || {
        black_box(api::call("check_claim", black_box(request)));
    });
    measure("part/request_parse", 1, budget, || {
        black_box(Request::parse(black_box(request)).is_ok());
    });
    measure("part/request_parse+facts", 1, budget, || {
        black_box(
            Request::parse(black_box(request))
                .and_then(|r| r.facts())
                .is_ok(),
        );
    });
    measure("part/resolve_policy_preset", 1, budget, || {
        black_box(api::resolve_policy(Some(black_box("\"aliexpress\""))).is_ok());
    });
    let Ok(facts) = OrderFacts::from_json(&facts_json(samples::DEFAULT_SAMPLE)) else {
        return;
    };
    let Ok(answer) = api::assess(&facts, &policy, now, Explain::No) else {
        return;
    };
    measure("part/answer_serialize", 1, budget, || {
        black_box(api::answer(&Ok::<_, dispute_rules::Error>(black_box(
            &answer,
        ))));
    });
    println!("-- calendar");
    let cal = policy.calendar();
    measure("add_days", 1, budget, || {
        black_box(cal.add_days(black_box(now), 60));
    });
    measure("nth_day_start", 1, budget, || {
        black_box(cal.nth_day_start(black_box(now), 11));
    });
    measure("moment_local (utc -> local offset)", 1, budget, || {
        black_box(cal.moment(black_box(now)).local());
    });
    let wall = cal.local(now).naive_local();
    measure("resolve (local -> utc)", 1, budget, || {
        black_box(cal.resolve(black_box(wall)));
    });
    measure("rfc3339 parse (chrono, as serde does)", 1, budget, || {
        black_box(
            black_box("2026-03-20T12:00:00Z")
                .parse::<chrono::DateTime<chrono::Utc>>()
                .is_ok(),
        );
    });
    measure("rfc3339 format (to_rfc3339_opts)", 1, budget, || {
        black_box(black_box(now).to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true));
    });
    println!("-- batch (typed, all samples)");
    let all = all_facts();
    let n = all.len() as u64;
    measure("samples_typed/plain", n, budget, || {
        for f in black_box(&all) {
            black_box(api::assess(f, &policy, now, Explain::No).is_ok());
        }
    });
}
