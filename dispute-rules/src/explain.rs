//! Explanations: which rules produced an answer, in plain English.
//!
//! Every answer carries a [`RuleSet`](crate::RuleSet) (free: a 64-bit mask).
//! The plain-English steps are built only when the caller asks for them with
//! [`Explain::Yes`]; with [`Explain::No`] nothing is allocated for them.

use crate::rules::Rule;
use serde::{Deserialize, Serialize};

/// Whether to build the plain-English explanation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Explain {
    /// Rule ids only (default, no extra cost).
    #[default]
    No,
    /// Rule ids plus the steps in plain English.
    Yes,
}

impl From<bool> for Explain {
    fn from(b: bool) -> Self {
        if b {
            Explain::Yes
        } else {
            Explain::No
        }
    }
}

/// One step of an explanation: the rule applied and what it said here.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Step {
    /// The rule applied.
    pub rule: Rule,
    /// What it said for these facts.
    pub text: String,
}

/// The steps that produced an answer, in order. Empty unless requested.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(transparent)]
pub struct Explanation(Vec<Step>);

impl Explanation {
    /// An empty explanation.
    pub const fn new() -> Self {
        Explanation(Vec::new())
    }

    /// The steps.
    pub fn steps(&self) -> &[Step] {
        &self.0
    }

    /// Whether there are no steps.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Collects steps only when asked to; the text closure never runs otherwise.
#[derive(Debug)]
pub struct Tracer {
    on: bool,
    steps: Vec<Step>,
}

impl Tracer {
    /// A tracer that records when `explain` is [`Explain::Yes`].
    pub const fn new(explain: Explain) -> Self {
        Tracer {
            on: matches!(explain, Explain::Yes),
            steps: Vec::new(),
        }
    }

    /// Whether steps are being recorded.
    pub const fn on(&self) -> bool {
        self.on
    }

    /// Records a step; `text` is only called when recording.
    pub fn step(&mut self, rule: Rule, text: impl FnOnce() -> String) {
        if self.on {
            self.steps.push(Step { rule, text: text() });
        }
    }

    /// The recorded explanation (`None` when not requested).
    pub fn finish(self) -> Option<Explanation> {
        if self.on {
            Some(Explanation(self.steps))
        } else {
            None
        }
    }
}
