//! The C typed path beside the same Rust call, in one run (issue 14 target:
//! `dr_order_eligibility` at most 1.1x `eligibility::assess`).
//!
//! Both sides start from what their user holds: Rust from a parsed
//! `OrderFacts`, C from a filled `dr_order` (pointers to the caller's
//! strings and arrays). The C side calls the exported `extern "C"` function
//! of the `dispute-rules-c` rlib, exactly the code a C program links.
//!
//! Measured in CPU time of the benchmark thread
//! (`CLOCK_THREAD_CPUTIME_ID`), not wall time: on a machine shared with
//! other jobs, time spent waiting for a core is not counted, so the ratio
//! of the two sides holds under load.
//!
//! `c_json/back_to_back` (issue 18): the JSON round trip of one back-to-back
//! request (the first worked example) through the C ABI
//! (`dr_back_to_back_json`, and `dr_call_with_policies` with loaded
//! policies), beside `api::call` in Rust: the C wrapper's own cost is
//! copying the request in and the answer out.
//!
//! `c_batch/jsonl`: 1000 generated orders as JSON lines through
//! `dr_batch_jsonl` (eligibility and timeline, one thread: the CPU time of
//! the calling thread is all the work), beside `Batch::write_jsonl` in Rust:
//! the C wrapper's own cost is copying the answer out.
//!
//! `cargo bench -p dispute-rules-benches --bench c_abi`

use criterion::measurement::{Measurement, ValueFormatter};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use dispute_rules::{eligibility, Explain, OrderFacts, Policy};
use dispute_rules_benches::c_order::COrder;
use dispute_rules_benches::now;
use dispute_rules_c::{
    dr_back_to_back_json, dr_batch_jsonl, dr_call_with_policies, dr_eligibility, dr_order_eligibility, dr_policy,
    dr_policy_free, dr_policy_new_preset, dr_selling_policy, dr_selling_policy_free,
    dr_selling_policy_new_preset, dr_status, dr_string_free,
};
use std::ffi::{c_char, CStr, CString};
use dispute_rules_examples::samples;
use std::hint::black_box;
use std::time::Duration;

/// CPU time of the calling thread, in nanoseconds.
fn thread_cpu_ns() -> u64 {
    let mut t = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: a valid clock id and a writable timespec.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut t) };
    assert_eq!(rc, 0, "clock_gettime(CLOCK_THREAD_CPUTIME_ID)");
    u64::try_from(t.tv_sec).unwrap_or(0) * 1_000_000_000 + u64::try_from(t.tv_nsec).unwrap_or(0)
}

/// Criterion's measurement: thread CPU time instead of wall time.
struct ThreadCpuTime;

impl Measurement for ThreadCpuTime {
    type Intermediate = u64;
    type Value = u64;
    fn start(&self) -> u64 {
        thread_cpu_ns()
    }
    fn end(&self, start: u64) -> u64 {
        thread_cpu_ns().saturating_sub(start)
    }
    fn add(&self, a: &u64, b: &u64) -> u64 {
        a + b
    }
    fn zero(&self) -> u64 {
        0
    }
    fn to_f64(&self, v: &u64) -> f64 {
        *v as f64
    }
    fn formatter(&self) -> &dyn ValueFormatter {
        &CpuNanos
    }
}

/// Formats CPU nanoseconds like criterion's wall times.
struct CpuNanos;

impl ValueFormatter for CpuNanos {
    fn scale_values(&self, typical: f64, values: &mut [f64]) -> &'static str {
        let (factor, unit) = if typical < 1e3 {
            (1.0, "ns (cpu)")
        } else if typical < 1e6 {
            (1e-3, "µs (cpu)")
        } else {
            (1e-6, "ms (cpu)")
        };
        values.iter_mut().for_each(|v| *v *= factor);
        unit
    }
    fn scale_throughputs(&self, _typical: f64, throughput: &Throughput, values: &mut [f64]) -> &'static str {
        let n = match throughput {
            Throughput::Elements(n) | Throughput::Bytes(n) | Throughput::BytesDecimal(n) => *n as f64,
        };
        values.iter_mut().for_each(|v| *v = n * 1e9 / *v);
        "elem/s (cpu)"
    }
    fn scale_for_machines(&self, _values: &mut [f64]) -> &'static str {
        "ns"
    }
}

fn sample_facts(name: &str) -> OrderFacts {
    let json = samples::find(name).map(|s| s.json).unwrap_or_default();
    dispute_rules::api::Request::parse(json)
        .and_then(|r| r.facts())
        .unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn c_typed(c: &mut Criterion<ThreadCpuTime>) {
    let rust_policy = Policy::aliexpress();
    let mut policy: *mut dr_policy = std::ptr::null_mut();
    // SAFETY: a NUL-terminated preset id and a writable out-pointer.
    let st = unsafe { dr_policy_new_preset(c"aliexpress".as_ptr(), &mut policy, std::ptr::null_mut()) };
    assert_eq!(st, dr_status::Ok);
    let now = now();
    for name in [samples::DEFAULT_SAMPLE, "pending_extension"] {
        let facts = sample_facts(name);
        let c_order = COrder::new(&facts);
        let mut out = std::mem::MaybeUninit::<dr_eligibility>::zeroed();
        // SAFETY: a local; the API reads the size the caller set.
        unsafe { (*out.as_mut_ptr()).struct_size = std::mem::size_of::<dr_eligibility>() };
        // Same answer on both sides before timing anything.
        // SAFETY: a live policy, a dr_order whose pointers outlive the call.
        let st = unsafe {
            dr_order_eligibility(policy, &c_order.order, now.timestamp(), out.as_mut_ptr(), std::ptr::null_mut())
        };
        assert_eq!(st, dr_status::Ok, "{name}");
        let rust = eligibility::assess(&facts, &rust_policy, now, Explain::No).unwrap();
        // SAFETY: written on success.
        let c_answer = unsafe { out.assume_init() };
        assert_eq!(c_answer.opens_at, rust.window.map_or(0, |w| w.opens_at.utc.timestamp()));

        let mut g = c.benchmark_group(format!("c_typed/{name}"));
        g.throughput(Throughput::Elements(1));
        g.bench_function("rust_eligibility_assess", |b| {
            b.iter(|| eligibility::assess(black_box(&facts), &rust_policy, now, Explain::No))
        });
        g.bench_function("c_dr_order_eligibility", |b| {
            b.iter(|| {
                // SAFETY: as above.
                unsafe {
                    dr_order_eligibility(
                        policy,
                        black_box(&c_order.order),
                        now.timestamp(),
                        out.as_mut_ptr(),
                        std::ptr::null_mut(),
                    )
                }
            })
        });
        g.finish();
    }
    // SAFETY: created above, freed once.
    unsafe { dr_policy_free(policy) };
}

/// The first worked example of `docs/selling-side.md`.
const BACK_TO_BACK: &str =
    include_str!("../../dispute-rules/tests/data/back_to_back/paypal_supplier_binds_first.json");

fn c_json_back_to_back(c: &mut Criterion<ThreadCpuTime>) {
    let request = CString::new(BACK_TO_BACK).unwrap_or_else(|e| panic!("{e}"));
    let (mut policy, mut selling): (*mut dr_policy, *mut dr_selling_policy) =
        (std::ptr::null_mut(), std::ptr::null_mut());
    // SAFETY: NUL-terminated preset ids and writable out-pointers.
    unsafe {
        assert_eq!(
            dr_policy_new_preset(c"aliexpress".as_ptr(), &mut policy, std::ptr::null_mut()),
            dr_status::Ok
        );
        assert_eq!(
            dr_selling_policy_new_preset(c"paypal".as_ptr(), &mut selling, std::ptr::null_mut()),
            dr_status::Ok
        );
    }
    // Same answer on both sides before timing anything.
    let rust = dispute_rules::api::call("back_to_back", BACK_TO_BACK);
    let mut answer: *mut c_char = std::ptr::null_mut();
    // SAFETY: a live C string and a writable out-pointer; freed once.
    unsafe {
        let st = dr_back_to_back_json(request.as_ptr(), &mut answer, std::ptr::null_mut());
        assert_eq!(st, dr_status::Ok);
        assert_eq!(CStr::from_ptr(answer).to_str().ok(), Some(rust.as_str()));
        dr_string_free(answer);
    }
    let mut g = c.benchmark_group("c_json/back_to_back");
    g.throughput(Throughput::Elements(1));
    g.bench_function("rust_api_call", |b| {
        b.iter(|| dispute_rules::api::call("back_to_back", black_box(BACK_TO_BACK)))
    });
    g.bench_function("c_dr_back_to_back_json", |b| {
        b.iter(|| {
            let mut answer: *mut c_char = std::ptr::null_mut();
            // SAFETY: as above.
            unsafe {
                dr_back_to_back_json(black_box(request.as_ptr()), &mut answer, std::ptr::null_mut());
                dr_string_free(answer);
            }
        })
    });
    g.bench_function("c_dr_call_with_policies", |b| {
        b.iter(|| {
            let mut answer: *mut c_char = std::ptr::null_mut();
            // SAFETY: live handles, C strings and a writable out-pointer.
            unsafe {
                dr_call_with_policies(
                    policy,
                    selling,
                    c"back_to_back".as_ptr(),
                    black_box(request.as_ptr()),
                    &mut answer,
                    std::ptr::null_mut(),
                );
                dr_string_free(answer);
            }
        })
    });
    g.finish();
    // SAFETY: created above, freed once.
    unsafe {
        dr_policy_free(policy);
        dr_selling_policy_free(selling);
    }
}

fn c_batch_jsonl(c: &mut Criterion<ThreadCpuTime>) {
    let at = now();
    let mut input = Vec::new();
    if let Err(e) = dispute_rules_examples::generate::write(1000, 1, at, &mut input) {
        panic!("generate: {e}");
    }
    let orders = input.iter().filter(|b| **b == b'\n').count() as u64;
    let batch = dispute_rules::api::Batch::new(
        "eligibility_timeline",
        &format!(r#"{{"now":"{}"}}"#, at.to_rfc3339()),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let mut policy: *mut dr_policy = std::ptr::null_mut();
    // SAFETY: a C string literal and a writable out-pointer.
    let st = unsafe { dr_policy_new_preset(c"aliexpress".as_ptr(), &mut policy, std::ptr::null_mut()) };
    assert_eq!(st, dr_status::Ok);
    let c_batch = |input: &[u8]| -> String {
        let mut out: *mut c_char = std::ptr::null_mut();
        // SAFETY: a live policy, a C string literal, `input` readable for its
        // length, a writable out-pointer; the answer freed once.
        unsafe {
            let st = dr_batch_jsonl(
                policy,
                c"eligibility_timeline".as_ptr(),
                at.timestamp(),
                false,
                input.as_ptr(),
                input.len(),
                1,
                &mut out,
                std::ptr::null_mut(),
            );
            assert_eq!(st, dr_status::Ok);
            let text = CStr::from_ptr(out).to_str().map(str::to_owned).unwrap_or_default();
            dr_string_free(out);
            text
        }
    };
    // Same answer on both sides before timing anything.
    let mut rust = String::new();
    batch.write_jsonl(&input, 1, &mut rust);
    assert_eq!(c_batch(&input), rust);
    let mut g = c.benchmark_group("c_batch/jsonl");
    g.throughput(Throughput::Elements(orders));
    g.bench_function("rust_batch_write_jsonl", |b| {
        b.iter(|| {
            let mut out = String::new();
            batch.write_jsonl(black_box(&input), 1, &mut out);
            out.len()
        })
    });
    g.bench_function("c_dr_batch_jsonl", |b| {
        b.iter(|| {
            let mut out: *mut c_char = std::ptr::null_mut();
            // SAFETY: as above.
            unsafe {
                dr_batch_jsonl(
                    policy,
                    c"eligibility_timeline".as_ptr(),
                    at.timestamp(),
                    false,
                    black_box(input.as_ptr()),
                    input.len(),
                    1,
                    &mut out,
                    std::ptr::null_mut(),
                );
                dr_string_free(out);
            }
        })
    });
    g.finish();
    // SAFETY: created above, freed once.
    unsafe { dr_policy_free(policy) };
}

fn config() -> Criterion<ThreadCpuTime> {
    Criterion::default()
        .with_measurement(ThreadCpuTime)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .sample_size(50)
}

criterion_group! {
    name = benches;
    config = config();
    targets = c_typed, c_json_back_to_back, c_batch_jsonl
}
criterion_main!(benches);
