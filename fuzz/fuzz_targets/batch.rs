//! JSON-lines batches over arbitrary bytes: the first byte picks the batch
//! operation (high bit: explanations on), the rest is the input. Nothing is
//! lost: every record (non-blank line) gets exactly one answer, by its line
//! number, equal to the answer for that line alone; `api::assess_jsonl`
//! answers the same records.
#![no_main]

use chrono::{DateTime, Utc};
use dispute_rules::api::{self, Batch, BatchOp, BatchResult};
use dispute_rules::{Explain, OrderFacts, Policy};
use dispute_rules_fuzz::{
    check_envelope, check_error_answer, deterministic, whole_document_at_fault,
};
use libfuzzer_sys::fuzz_target;

const NOW: &str = "2026-03-20T12:00:00Z";

/// The records of the input: (1-based line number, line), for every line
/// that is not blank.
fn records(text: &str) -> Vec<(usize, &str)> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| (i + 1, l))
        .collect()
}

/// The batch API under test: (line number, answer JSON) per record.
///
/// Today's batches read text, so input that is not UTF-8 as a whole is
/// skipped here. The bytes-based batch (each line judged on its own, work
/// split across threads) replaces this body with `batch.run_lines(input,
/// threads)` for one and two threads (the two must be equal), and lets
/// `records` see every line, UTF-8 or not.
fn run_batch(batch: &Batch, input: &[u8]) -> Option<Vec<(usize, String)>> {
    let text = std::str::from_utf8(input).ok()?;
    Some(
        batch
            .run_jsonl(text)
            .into_iter()
            .map(|(line, r)| (line, api::answer(&r)))
            .collect(),
    )
}

fuzz_target!(|data: &[u8]| {
    let Some((&which, input)) = data.split_first() else {
        return;
    };
    let op = BatchOp::ALL[usize::from(which & 0x7f) % BatchOp::ALL.len()];
    let explain = which & 0x80 != 0;
    let shared = format!(r#"{{"now": "{NOW}", "explain": {explain}}}"#);
    let batch = Batch::new(op.name(), &shared).expect("a batch");
    let Some(answers) = deterministic(|| run_batch(&batch, input)) else {
        return;
    };
    let Ok(text) = std::str::from_utf8(input) else {
        return;
    };
    let records = records(text);
    assert_eq!(
        answers.iter().map(|(l, _)| *l).collect::<Vec<_>>(),
        records.iter().map(|(l, _)| *l).collect::<Vec<_>>(),
        "records lost, added or out of order"
    );
    for ((_, answer), (_, line)) in answers.iter().zip(&records) {
        // Errors are named under `facts`, so even a line that is not JSON
        // names a field.
        check_envelope(answer, false);
        assert_eq!(
            *answer,
            api::answer(&batch.run(line)),
            "a record answered apart from its line"
        );
    }

    // The typed batch: the same records, each answered as `api::assess`.
    let policy = Policy::preset_ref("aliexpress").expect("a preset");
    let now: DateTime<Utc> = NOW.parse().expect("an instant");
    let x = Explain::from(explain);
    let items = api::assess_jsonl(policy, now, x, text);
    assert_eq!(
        items.len(),
        records.len(),
        "assess_jsonl lost or added records"
    );
    for (item, (line_no, line)) in items.iter().zip(&records) {
        assert_eq!(item.line, *line_no);
        match &item.result {
            BatchResult::Success { answer } => {
                let alone =
                    OrderFacts::from_json(line).and_then(|f| api::assess(&f, policy, now, x));
                assert_eq!(
                    Ok(answer),
                    alone.as_ref(),
                    "a record answered apart from its line"
                );
            }
            BatchResult::Failure { error } => {
                let v = serde_json::to_value(error).expect("an error serializes");
                check_error_answer(&v, whole_document_at_fault(line), line);
            }
        }
    }
});
