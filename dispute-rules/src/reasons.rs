//! Placeholder: filled in by its own issue.

use crate::error::Collector;
use serde::{Deserialize, Serialize};

/// Policy values of this area.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct ReasonsPolicy {}

impl ReasonsPolicy {
    /// `RULES.md` defaults.
    pub fn aliexpress() -> Self {
        ReasonsPolicy {}
    }
    /// The appendix's legacy values.
    pub fn aliexpress_legacy() -> Self {
        ReasonsPolicy {}
    }
    pub(crate) fn check(&self, _c: &mut Collector) {}
}
