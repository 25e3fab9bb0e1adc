//! JSON-lines batches over arbitrary bytes: the first byte picks the batch
//! operation (high bit: explanations on), the rest is the input. Nothing is
//! lost: every record (non-blank line, UTF-8 or not) gets exactly one
//! answer, by its line number, equal to the answer for that line alone and
//! the same on one thread as on two; `api::assess_jsonl` answers the same
//! records.
#![no_main]

use chrono::{DateTime, Utc};
use dispute_rules::api::{self, Batch, BatchOp, BatchResult};
use dispute_rules::{Explain, OrderFacts, Policy};
use dispute_rules_fuzz::{
    check_envelope, check_error_answer, deterministic, whole_document_at_fault,
};
use libfuzzer_sys::fuzz_target;

const NOW: &str = "2026-03-20T12:00:00Z";

/// The records of the input, as the batch contract says (a model written
/// apart from the engine's splitter): lines end with `\n`, a `\r` before it
/// is dropped, a UTF-8 byte-order mark at the very start is skipped, and
/// lines of nothing but spaces and tabs are not records. (1-based line
/// number, bytes) per record.
fn records(input: &[u8]) -> Vec<(usize, &[u8])> {
    let input = input.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(input);
    if input.is_empty() {
        return Vec::new();
    }
    input
        .split(|&b| b == b'\n')
        .enumerate()
        .map(|(i, l)| (i + 1, l.strip_suffix(b"\r").unwrap_or(l)))
        .filter(|(_, l)| !l.iter().all(|b| matches!(b, b' ' | b'\t' | b'\r')))
        .collect()
}

/// The batch API under test: (line number, answer JSON) per record, for
/// one thread and for two (which must give the same).
fn run_batch(batch: &Batch, input: &[u8]) -> Vec<(usize, String)> {
    let run = |threads| {
        batch
            .run_lines(input, threads)
            .into_iter()
            .enumerate()
            .map(|(i, r)| {
                assert_eq!(r.index, i, "record positions out of order");
                (r.line, api::answer(&r.result))
            })
            .collect::<Vec<_>>()
    };
    let one = run(1);
    assert_eq!(one, run(2), "two threads answered otherwise than one");
    one
}

fuzz_target!(|data: &[u8]| {
    dispute_rules_fuzz::given(data);
    let Some((&which, input)) = data.split_first() else {
        return;
    };
    let op = BatchOp::ALL[usize::from(which & 0x7f) % BatchOp::ALL.len()];
    let explain = which & 0x80 != 0;
    let shared = format!(r#"{{"now": "{NOW}", "explain": {explain}}}"#);
    let batch = Batch::new(op.name(), &shared).expect("a batch");
    let answers = deterministic(|| run_batch(&batch, input));
    let records = records(input);
    assert_eq!(
        answers.iter().map(|(l, _)| *l).collect::<Vec<_>>(),
        records.iter().map(|(l, _)| *l).collect::<Vec<_>>(),
        "records lost, added or out of order"
    );
    for ((_, answer), (_, line)) in answers.iter().zip(&records) {
        // Errors are named under `facts`, so even a line that is not JSON
        // (or not UTF-8) names a field.
        check_envelope(answer, false);
        if let Ok(text) = std::str::from_utf8(line) {
            if text.len() <= dispute_rules::limits::MAX_LINE_BYTES {
                assert_eq!(
                    *answer,
                    api::answer(&batch.run(text)),
                    "a record answered apart from its line"
                );
            }
        }
    }

    // The typed batch: the same records, each answered as `api::assess`.
    let policy = Policy::preset_ref("aliexpress").expect("a preset");
    let now: DateTime<Utc> = NOW.parse().expect("an instant");
    let x = Explain::from(explain);
    let items = api::assess_jsonl(policy, now, x, input);
    assert_eq!(
        items.len(),
        records.len(),
        "assess_jsonl lost or added records"
    );
    for (item, (line_no, line)) in items.iter().zip(&records) {
        assert_eq!(item.line, *line_no);
        let text = std::str::from_utf8(line).ok();
        match &item.result {
            BatchResult::Success { answer } => {
                let text = text.expect("a line that is not UTF-8 was answered");
                let alone =
                    OrderFacts::from_json(text).and_then(|f| api::assess(&f, policy, now, x));
                assert_eq!(
                    Ok(answer),
                    alone.as_ref(),
                    "a record answered apart from its line"
                );
            }
            BatchResult::Failure { error } => {
                let v = serde_json::to_value(error).expect("an error serializes");
                let whole = text.is_none_or(whole_document_at_fault);
                check_error_answer(&v, whole, &String::from_utf8_lossy(line));
            }
        }
    }
});
