//! The C typed path beside the same Rust call, in one run (issue 14 target:
//! `dr_order_eligibility` at most 1.1x `eligibility::assess`).
//!
//! Both sides start from what their user holds: Rust from a parsed
//! `OrderFacts`, C from a filled `dr_order` (pointers to the caller's
//! strings and arrays). The C side calls the exported `extern "C"` function
//! of the `dispute-rules-c` rlib, exactly the code a C program links.
//!
//! `cargo bench -p dispute-rules-benches --bench c_abi`

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use dispute_rules::{eligibility, Explain, OrderFacts, Policy};
use dispute_rules_benches::c_order::COrder;
use dispute_rules_benches::now;
use dispute_rules_c::{
    dr_eligibility, dr_order_eligibility, dr_policy, dr_policy_free, dr_policy_new_preset,
    dr_status,
};
use dispute_rules_examples::samples;
use std::hint::black_box;
use std::time::Duration;

fn sample_facts(name: &str) -> OrderFacts {
    let json = samples::find(name).map(|s| s.json).unwrap_or_default();
    dispute_rules::api::Request::parse(json)
        .and_then(|r| r.facts())
        .unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn c_typed(c: &mut Criterion) {
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

fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .sample_size(50)
}

criterion_group! {
    name = benches;
    config = config();
    targets = c_typed
}
criterion_main!(benches);
