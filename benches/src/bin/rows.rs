//! The rows of the speed table (issue 14) that the core owns, measured in
//! CPU time of the measuring thread (see `cputime`), plus the batch's wall
//! time with 1 and 2 threads.
//!
//! `cargo run --release -p dispute-rules-benches --bin rows [budget_ms]`

use dispute_rules::api::{self, Batch, Request};
use dispute_rules::outcome::Case;
use dispute_rules::{Explain, Policy};
use dispute_rules_benches::now;
use dispute_rules_examples::generate;
use dispute_rules_examples::samples::{self, SAMPLE_NOW};
use std::hint::black_box;
use std::time::Instant;

/// (CPU ns, wait ns) of this thread so far.
fn sched() -> Option<(u64, u64)> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let mut it = s.split_whitespace().map(|x| x.parse::<u64>().ok());
    Some((it.next()??, it.next()??))
}

/// Runs `f` (`per_call` operations a call) for about `budget_ns` of CPU time
/// and prints the CPU ns per operation.
fn measure(name: &str, per_call: u64, budget_ns: u64, mut f: impl FnMut()) {
    for _ in 0..50 {
        f();
    }
    let Some((c0, w0)) = sched() else {
        println!("{name}: /proc/thread-self/schedstat unavailable");
        return;
    };
    let mut calls = 0u64;
    let mut batch = 16u64;
    loop {
        for _ in 0..batch {
            f();
        }
        calls += batch;
        let Some((c, _)) = sched() else { return };
        if c - c0 >= budget_ns {
            break;
        }
        batch = batch.saturating_mul(2).min(1 << 14);
    }
    let Some((c1, w1)) = sched() else { return };
    let ns = (c1 - c0) as f64 / (calls * per_call) as f64;
    let wait = (w1 - w0) as f64 / ((c1 - c0) + (w1 - w0)).max(1) as f64 * 100.0;
    println!("{name:<56} {ns:>9.0} ns/op CPU   (waited {wait:>4.1}%)");
}

/// CPU time of the whole process so far (all threads), in clock ticks.
fn process_ticks() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/self/stat").ok()?;
    let rest = s.rsplit_once(')')?.1;
    let f: Vec<&str> = rest.split_whitespace().collect();
    Some(f.get(11)?.parse::<u64>().ok()? + f.get(12)?.parse::<u64>().ok()?)
}

/// Runs `f` (`per_call` operations a call) for about `budget_ns` of wall
/// time; prints the best and median throughput of the rounds.
fn wall(name: &str, per_call: u64, budget_ns: u64, mut f: impl FnMut()) {
    f();
    let start = Instant::now();
    let mut rounds = Vec::new();
    while start.elapsed().as_nanos() < u128::from(budget_ns) || rounds.len() < 5 {
        let t = Instant::now();
        f();
        rounds.push(t.elapsed().as_nanos() as f64 / per_call as f64);
    }
    let ticks0 = process_ticks().unwrap_or(0);
    let t0 = Instant::now();
    let n = rounds.len().max(1);
    for _ in 0..n {
        f();
    }
    let cpu = (process_ticks().unwrap_or(0) - ticks0) as f64 * 1e7 / (n as f64 * per_call as f64);
    let wall_all = t0.elapsed().as_nanos() as f64 / (n as f64 * per_call as f64);
    rounds.sort_by(f64::total_cmp);
    let median = rounds[rounds.len() / 2];
    let best = rounds[0];
    println!(
        "{name:<56} {median:>9.0} ns/op wall (best {best:.0}; {:.0} k/s median, {} rounds; process CPU {cpu:.0} ns/op over {wall_all:.0} ns/op wall)",
        1e6 / median,
        rounds.len()
    );
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    // `rows count <row>`: run one row a fixed number of times (for
    // `valgrind --tool=callgrind`: instructions per operation, load-proof).
    let count = args.get(1).map(String::as_str) == Some("count");
    let only = if count { args.get(2).cloned() } else { None };
    let reps: u64 = args.get(3).and_then(|a| a.parse().ok()).unwrap_or(100);
    let budget: u64 = if count {
        0
    } else {
        args.get(1).and_then(|a| a.parse().ok()).unwrap_or(1000) * 1_000_000
    };
    let measure = |name: &str, per_call: u64, budget: u64, mut f: &mut dyn FnMut()| {
        if !count {
            measure(name, per_call, budget, &mut f);
        } else if only.as_deref().is_some_and(|o| name.starts_with(o)) {
            let _ = per_call;
            for _ in 0..reps {
                f();
            }
        }
    };
    let wall = |name: &str, per_call: u64, budget: u64, f: &mut dyn FnMut()| {
        if !count {
            wall(name, per_call, budget, f);
        }
    };
    let policy = Policy::aliexpress();
    let now = now();
    let request = samples::find(samples::DEFAULT_SAMPLE)
        .map(|s| s.json)
        .unwrap_or_default();
    let r = Request::parse(request).unwrap_or_else(|e| panic!("{e}"));
    let facts = r.facts().unwrap_or_else(|e| panic!("{e}"));
    let report = r.report().ok().flatten().unwrap_or_default();
    let claim = r.claim().ok();

    println!("-- typed ({})", samples::DEFAULT_SAMPLE);
    measure(
        "api::assess (eligibility + timeline)",
        1,
        budget,
        &mut || {
            black_box(api::assess(black_box(&facts), &policy, now, Explain::No).is_ok());
        },
    );
    measure(
        "api::assess_full (with claim and prediction)",
        1,
        budget,
        &mut || {
            black_box(
                api::assess_full(
                    &Case::new(black_box(&facts))
                        .report(&report)
                        .claim(claim.as_ref()),
                    &policy,
                    now,
                    Explain::No,
                )
                .is_ok(),
            );
        },
    );

    // The C typed path beside the same Rust call (issue 14's C row).
    {
        use dispute_rules_benches::c_order::COrder;
        use dispute_rules_c::{dr_eligibility, dr_order_eligibility, dr_policy, dr_policy_free, dr_policy_new_preset, dr_status};
        let mut c_policy: *mut dr_policy = std::ptr::null_mut();
        // SAFETY: a NUL-terminated preset id and a writable out-pointer.
        let st = unsafe { dr_policy_new_preset(c"aliexpress".as_ptr(), &mut c_policy, std::ptr::null_mut()) };
        assert_eq!(st, dr_status::Ok);
        let c_order = COrder::new(&facts);
        let mut out = std::mem::MaybeUninit::<dr_eligibility>::zeroed();
        // SAFETY: a local; the API reads the size the caller set.
        unsafe { (*out.as_mut_ptr()).struct_size = std::mem::size_of::<dr_eligibility>() };
        measure("rust eligibility::assess", 1, budget, &mut || {
            black_box(dispute_rules::eligibility::assess(black_box(&facts), &policy, now, Explain::No).is_ok());
        });
        measure("c dr_order_eligibility", 1, budget, &mut || {
            // SAFETY: a live policy, a dr_order whose pointers outlive the call.
            black_box(unsafe {
                dr_order_eligibility(c_policy, black_box(&c_order.order), now.timestamp(), out.as_mut_ptr(), std::ptr::null_mut())
            });
        });
        // SAFETY: created above, freed once.
        unsafe { dr_policy_free(c_policy) };
    }

    println!("-- json ({})", samples::DEFAULT_SAMPLE);
    let full = api::assess_full(
        &Case::new(&facts).report(&report).claim(claim.as_ref()),
        &policy,
        now,
        Explain::No,
    );
    measure(
        "part/answer write (api::answer, full)",
        1,
        budget,
        &mut || {
            black_box(api::answer(black_box(&full)));
        },
    );
    measure(
        "part/answer write (serde_json, full)",
        1,
        budget,
        &mut || {
            black_box(serde_json::to_string(&black_box(&full).as_ref().ok()).ok());
        },
    );
    let no_policy = request.replacen("\"policy\": \"aliexpress\",", "", 1);
    assert!(!no_policy.contains("\"policy\""));
    for op in ["eligibility", "assess"] {
        assert!(
            api::call_with_policy(op, &policy, &no_policy).starts_with(r#"{"result":"success""#)
        );
        measure(
            &format!("call_with_policy {op} (loaded policy)"),
            1,
            budget,
            &mut || {
                black_box(api::call_with_policy(op, &policy, black_box(&no_policy)));
            },
        );
        measure(&format!("call {op} (preset named)"), 1, budget, &mut || {
            black_box(api::call(op, black_box(request)));
        });
    }

    if count
        && !only
            .as_deref()
            .is_some_and(|o| o.contains("atch") || o.contains("jsonl"))
    {
        return;
    }
    let mut text = Vec::new();
    let gen_now = SAMPLE_NOW.parse().unwrap_or(now);
    generate::write(10_000, 1, gen_now, &mut text).unwrap_or_else(|e| panic!("{e}"));
    let text = String::from_utf8(text).unwrap_or_default();
    let n = text.lines().count() as u64;
    println!("-- batch: eligibility_timeline over {n} generated JSON lines");
    let b = Batch::new(
        "eligibility_timeline",
        &format!(r#"{{"now":"{SAMPLE_NOW}","policy":"aliexpress"}}"#),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let input = text.as_bytes();
    measure("Batch::run_lines, 1 thread (CPU)", n, budget, &mut || {
        black_box(b.run_lines(black_box(input), 1).len());
    });
    for threads in [1, 2] {
        wall(
            &format!("Batch::run_lines, {threads} thread(s)"),
            n,
            budget,
            &mut || {
                black_box(b.run_lines(black_box(input), threads).len());
            },
        );
        // What a binding keeps: a status per order (no answer held).
        wall(
            &format!("Batch::map_lines status only, {threads} thread(s)"),
            n,
            budget,
            &mut || {
                let mut eligible = 0usize;
                b.map_lines(
                    black_box(input),
                    threads,
                    |r| {
                        r.result
                            .ok()
                            .and_then(|a| a.eligibility().map(|e| e.is_eligible()))
                    },
                    |e| eligible += usize::from(e == Some(true)),
                );
                black_box(eligible);
            },
        );
    }
    measure("api::assess_jsonl (CPU)", n, budget, &mut || {
        black_box(api::assess_jsonl(&policy, gen_now, Explain::No, black_box(&text)).len());
    });
}
