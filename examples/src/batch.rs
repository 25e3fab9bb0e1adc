//! Batch mode: assess a JSON-lines file of order facts and sort the lines by
//! urgency (what must be opened, answered or shipped soonest).
//!
//! A bad line is reported with its line number; the rest are processed.

use crate::report::{local, relative, utc};
use chrono::{DateTime, Utc};
use dispute_rules::api::{self, Assessment, BatchItem, BatchResult, ErrorAnswer};
use dispute_rules::eligibility::ActionKind;
use dispute_rules::{Error, Explain, Ineligible, Moment, OrderFacts, Policy, Status};
use std::fmt::Write;

/// The most urgent next action of a line: the one with the soonest deadline
/// still ahead of `now`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Urgent {
    /// Its deadline.
    pub deadline: Moment,
    /// What to do.
    pub kind: ActionKind,
}

/// The soonest deadline among the next actions that is still ahead.
pub fn urgency(a: &Assessment, now: DateTime<Utc>) -> Option<Urgent> {
    a.eligibility
        .next_actions
        .iter()
        .filter_map(|x| {
            Some(Urgent {
                deadline: x.deadline.filter(|d| d.utc > now)?,
                kind: x.kind,
            })
        })
        .min_by_key(|u| u.deadline.utc)
}

/// One assessed line, kept small so that large files fit in memory.
#[derive(Debug, Clone)]
pub struct Row {
    /// 1-based line number.
    pub line: usize,
    /// Order id.
    pub order_id: String,
    /// Line id.
    pub line_id: String,
    /// Eligibility status.
    pub status: Status,
    /// R-E9 code when not eligible.
    pub code: Option<Ineligible>,
    /// The most urgent action with a deadline, if any.
    pub urgent: Option<Urgent>,
    /// The first next action (shown when none has a deadline, for example
    /// `consider_chargeback`, R-L7).
    pub first_action: Option<ActionKind>,
    /// The whole answer as JSON (only with `keep_json`).
    pub json: Option<String>,
}

/// A line that could not be assessed.
#[derive(Debug, Clone)]
pub struct LineError {
    /// 1-based line number.
    pub line: usize,
    /// What is wrong.
    pub error: Error,
}

/// The result of a batch.
#[derive(Debug, Clone, Default)]
pub struct Batch {
    /// Assessed lines, most urgent first (after [`Batch::sort`]).
    pub rows: Vec<Row>,
    /// Lines in error, in file order.
    pub errors: Vec<LineError>,
}

/// Options of a batch run.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Keep each answer as JSON (for `--json`).
    pub keep_json: bool,
    /// Call the progress callback every this many lines (0: never).
    pub progress_every: usize,
}

/// Assesses every non-blank line of `text`; `progress(done)` is called every
/// `opts.progress_every` lines. The rows come back sorted by urgency.
pub fn run(
    text: &str,
    policy: &Policy,
    now: DateTime<Utc>,
    opts: Options,
    mut progress: impl FnMut(usize),
) -> Batch {
    let mut b = Batch::default();
    for (i, l) in text.lines().enumerate() {
        if opts.progress_every > 0 && i % opts.progress_every == 0 && i > 0 {
            progress(i);
        }
        if l.trim().is_empty() {
            continue;
        }
        let line = i + 1;
        match OrderFacts::from_json(l).and_then(|f| api::assess(&f, policy, now, Explain::No)) {
            Ok(a) => {
                let json = opts.keep_json.then(|| {
                    let item = BatchItem {
                        line,
                        result: BatchResult::Success { answer: &a },
                    };
                    serde_json::to_string(&item).unwrap_or_default()
                });
                b.rows.push(Row {
                    line,
                    urgent: urgency(&a, now),
                    first_action: a.eligibility.next_actions.first().map(|x| x.kind),
                    status: a.eligibility.status,
                    code: a.eligibility.code,
                    order_id: a.order_id,
                    line_id: a.line_id,
                    json,
                });
            }
            Err(error) => b.errors.push(LineError { line, error }),
        }
    }
    b.sort();
    b
}

const fn status_rank(s: Status) -> u8 {
    match s {
        Status::Eligible => 0,
        Status::NotYet => 1,
        Status::Closed => 2,
        Status::Blocked => 3,
    }
}

impl Batch {
    /// Sorts rows: soonest deadline first; lines without a deadline after
    /// them (by status, then line number).
    pub fn sort(&mut self) {
        self.rows.sort_by_key(|r| {
            (
                r.urgent.is_none(),
                r.urgent.map(|u| u.deadline.utc),
                status_rank(r.status),
                r.line,
            )
        });
    }

    /// Lines per status: eligible, not yet, closed, blocked.
    pub fn counts(&self) -> [usize; 4] {
        let mut c = [0; 4];
        for r in &self.rows {
            if let Some(n) = c.get_mut(usize::from(status_rank(r.status))) {
                *n += 1;
            }
        }
        c
    }

    /// The summary line, like
    /// `12 lines: 8 eligible, 1 not yet, 1 closed, 1 blocked, 1 error (line 6)`.
    pub fn summary(&self) -> String {
        let [e, n, c, b] = self.counts();
        let total = self.rows.len() + self.errors.len();
        let mut s = format!(
            "{total} lines: {e} eligible, {n} not yet, {c} closed, {b} blocked, {} ",
            self.errors.len()
        );
        s.push_str(if self.errors.len() == 1 {
            "error"
        } else {
            "errors"
        });
        if !self.errors.is_empty() {
            let shown: Vec<String> = self
                .errors
                .iter()
                .take(5)
                .map(|x| x.line.to_string())
                .collect();
            let more = if self.errors.len() > 5 { ", ..." } else { "" };
            let word = if self.errors.len() == 1 {
                "line"
            } else {
                "lines"
            };
            let _ = write!(s, " ({word} {}{more})", shown.join(", "));
        }
        s
    }

    /// The readable table, at most `top` rows, then the errors.
    pub fn table(&self, now: DateTime<Utc>, top: Option<usize>) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{:>4}  {:<20}  {:<8}  {:<26}  {:<38}  {:<20}  {:<20}  left",
            "#",
            "order/line",
            "status",
            "why not",
            "most urgent action",
            "deadline (local)",
            "deadline (UTC)"
        );
        let shown = top.unwrap_or(usize::MAX);
        for (i, r) in self.rows.iter().take(shown).enumerate() {
            let why = r.code.map_or("-", Ineligible::code);
            let (what, l, u, left) = match (&r.urgent, r.first_action) {
                (Some(x), _) => (
                    x.kind.as_str(),
                    local(&x.deadline),
                    utc(&x.deadline),
                    relative(now, x.deadline.utc),
                ),
                (None, Some(k)) => (k.as_str(), "-".into(), "-".into(), "-".into()),
                (None, None) => ("-", "-".into(), "-".into(), "-".into()),
            };
            let id = format!("{}/{}", r.order_id, r.line_id);
            let _ = writeln!(
                out,
                "{:>4}  {id:<20}  {:<8}  {why:<26}  {what:<38}  {l:<20}  {u:<20}  {left}",
                i + 1,
                r.status.as_str()
            );
        }
        if self.rows.len() > shown {
            let _ = writeln!(
                out,
                "      ... {} more (use --top to show more)",
                self.rows.len() - shown
            );
        }
        for e in &self.errors {
            let _ = writeln!(out, "line {}: {}", e.line, e.error);
        }
        out
    }

    /// One JSON object per line, most urgent first, then the errors (in the
    /// `api` batch format: `{"line": n, "result": "success", "answer": ...}`).
    pub fn json_lines(&self) -> String {
        let mut out = String::new();
        for r in &self.rows {
            if let Some(j) = &r.json {
                out.push_str(j);
                out.push('\n');
            }
        }
        for e in &self.errors {
            let item: BatchItem<()> = BatchItem {
                line: e.line,
                result: BatchResult::Failure {
                    error: ErrorAnswer::from(&e.error),
                },
            };
            out.push_str(&serde_json::to_string(&item).unwrap_or_default());
            out.push('\n');
        }
        out
    }
}
