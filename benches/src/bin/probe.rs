//! A small, deterministic driver for instruction counts under
//! `valgrind --tool=callgrind` (repeatable on a loaded machine, unlike wall
//! time): runs one path `N` times on the default sample.
//!
//! ```text
//! cargo build --release -p dispute-rules-benches --bin probe
//! valgrind --tool=callgrind target/release/probe assess 1000
//! valgrind --tool=callgrind target/release/probe assess 11000
//! ```
//!
//! The difference of the two totals divided by 10,000 is the cost of one
//! call. Run alone (`probe assess 2000000`), it also prints the thread's
//! CPU time per call (time spent waiting for a core is not counted).
//!
//! Paths: `assess` (typed eligibility + timeline), `json_eligibility`
//! (`api::call("eligibility", ...)` with the preset named in the request),
//! `json_eligibility_loaded` (the same with a loaded policy), `add_days`,
//! `nth_day_start`, `resolve`, `moment` (making a moment), `localize`,
//! `moment_json`.

use dispute_rules::api;
use dispute_rules::{Explain, OrderFacts, Policy};
use dispute_rules_benches::{facts_json, now};
use dispute_rules_examples::samples;
use std::hint::black_box;

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().unwrap_or_else(|| "assess".to_owned());
    let n: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(1000);
    let request = samples::find(samples::DEFAULT_SAMPLE)
        .map(|s| s.json)
        .unwrap_or_default();
    let Ok(facts) = OrderFacts::from_json(&facts_json(samples::DEFAULT_SAMPLE)) else {
        eprintln!("the default sample does not parse");
        std::process::exit(2);
    };
    let policy = Policy::aliexpress();
    let cal = policy.calendar();
    let now = now();
    let no_policy = request.replacen("\"policy\": \"aliexpress\",", "", 1);
    let cpu0 = thread_cpu_ns();
    let mut sink = 0usize;
    for _ in 0..n {
        sink = sink.wrapping_add(match path.as_str() {
            "assess" => {
                usize::from(api::assess(black_box(&facts), &policy, now, Explain::No).is_ok())
            }
            "json_eligibility" => api::call("eligibility", black_box(request)).len(),
            "json_eligibility_loaded" => {
                api::call_with_policy("eligibility", &policy, black_box(&no_policy)).len()
            }
            "add_days" => cal.add_days(black_box(now), 60).timestamp() as usize,
            "nth_day_start" => cal.nth_day_start(black_box(now), 11).timestamp() as usize,
            "moment" => black_box(cal.moment(black_box(now))).utc.timestamp() as usize,
            "localize" => cal.localize(black_box(now)).wall.and_utc().timestamp() as usize,
            "resolve" => cal.resolve(black_box(now).naive_utc()).timestamp() as usize,
            "moment_json" => serde_json::to_string(&cal.moment(black_box(now)))
                .map(|s| s.len())
                .unwrap_or(0),
            other => {
                eprintln!("unknown path `{other}`");
                std::process::exit(2);
            }
        });
    }
    if let (Some(a), Some(b)) = (cpu0, thread_cpu_ns()) {
        eprintln!(
            "{path}: {:.0} ns/op CPU time",
            (b - a) as f64 / n.max(1) as f64
        );
    }
    println!("{sink}");
}

/// This thread's CPU time so far (Linux; time spent waiting for a core is
/// not counted, so the figure holds on a loaded machine).
fn thread_cpu_ns() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    s.split_whitespace().next()?.parse().ok()
}
