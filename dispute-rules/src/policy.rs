//! Policy: every number and contested choice of the rules reference
//! (`docs/rules.md`), as data.
//!
//! A [`Policy`] loads from JSON ([`Policy::from_json`]), is validated with
//! clear errors naming the field, and serializes back unchanged. Presets:
//! [`Policy::aliexpress`] (the defaults the rules reference adopts) and
//! [`Policy::aliexpress_legacy`] (the older values of its appendix).
//! Each field documents its rule id and default.

use crate::calendar::{Calendar, DayCounting};
use crate::error::{from_json, Collector, Error};
use crate::facts::MAX_DAYS;
use chrono_tz::Tz;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::BTreeMap;
use std::sync::LazyLock;

/// The policy schema version this engine reads.
pub const POLICY_SCHEMA_VERSION: u32 = 1;

/// A complete policy. Every field is required in JSON, so a policy file says
/// everything it decides.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Policy {
    /// Must be [`POLICY_SCHEMA_VERSION`].
    pub schema_version: u32,
    /// A short name, like `aliexpress`.
    pub id: String,
    /// What this policy is and where its values come from.
    pub description: String,
    /// C-1: the marketplace's time zone (IANA name). Default
    /// `America/Los_Angeles` (003: the timer is shown in Pacific time).
    #[serde(serialize_with = "ser_tz", deserialize_with = "de_tz")]
    pub time_zone: Tz,
    /// C-1: how a duration of N days ends. Default `same_wall_clock`.
    pub day_counting: DayCounting,
    /// R-E1..R-E9: when a dispute can be opened.
    pub eligibility: EligibilityPolicy,
    /// R-R1..R-R15, R-S1..R-S3, R-V1, R-V2: reasons, solutions and evidence.
    pub reasons: crate::reasons::ReasonsPolicy,
    /// R-L1..R-L7: the dispute lifecycle.
    pub lifecycle: crate::lifecycle::LifecyclePolicy,
    /// R-O1..R-O6: the likely-outcome model.
    pub outcome: crate::outcome::OutcomePolicy,
}

/// When protection (and the timer) starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ProtectionStart {
    /// The day the seller ships (official sale page; default).
    Shipment,
    /// Payment (one copy of the help text says so).
    Payment,
}

/// A destination-specific protection length (R-E2, appendix).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DestinationProtection {
    /// ISO 3166 alpha-2 country.
    pub country: String,
    /// Only for this shipping method (`null`: every method).
    pub method: Option<String>,
    /// Protection length in days.
    pub days: u32,
}

/// Eligibility values (R-E1..R-E9).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct EligibilityPolicy {
    /// R-E1: a dispute opens on this day after shipment, at 00:00 local time.
    /// Default 11 (003; help-text copies); legacy escrow rules: 6.
    pub earliest_open_day: u32,
    /// R-E1: a confirmed receipt opens the window at once. Default true (000).
    pub confirmed_receipt_opens_at_once: bool,
    /// R-E2: when the protection timer starts. Default `shipment`.
    pub protection_starts: ProtectionStart,
    /// R-E2: protection length in days per shipping method. Default
    /// standard 60, economy 60, expedited 100 (000).
    pub protection_days_by_method: BTreeMap<String, u32>,
    /// R-E2: per-destination lengths, checked before the method table
    /// (appendix: 90 for Russia, 120 for Brazil).
    pub protection_days_by_destination: Vec<DestinationProtection>,
    /// R-E2: the listing's promised length wins over the tables. Default true.
    pub listing_promise_wins: bool,
    /// R-E2: an upper bound on any protection length (legacy: 60, seller-stated
    /// at most 60 days). Default none.
    pub max_protection_days: Option<u32>,
    /// Appendix (legacy official): once tracking says delivered, the remaining
    /// protection is cut to this many days. Default none.
    pub delivered_cuts_protection_to_days: Option<u32>,
    /// R-E3: days the window stays open after a confirmed receipt. Default 15
    /// (003); 002 implies 0.
    pub window_after_confirmation_days: u32,
    /// R-E5: days to wait for the seller to approve an extension. Default 3.
    pub extension_approval_wait_days: u32,
    /// R-E8: how many times a cancelled dispute may be reopened. Default 1.
    pub reopen_limit: u32,
}

fn ser_tz<S: Serializer>(tz: &Tz, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(tz.name())
}

fn de_tz<'de, D: Deserializer<'de>>(d: D) -> Result<Tz, D::Error> {
    let name = std::borrow::Cow::<'de, str>::deserialize(d)?;
    name.parse::<Tz>().map_err(|_| {
        serde::de::Error::custom(format_args!(
            "unknown time zone `{name}` (use an IANA name such as `America/Los_Angeles`)"
        ))
    })
}

impl EligibilityPolicy {
    /// The defaults of the rules reference (`docs/rules.md`).
    pub fn aliexpress() -> Self {
        EligibilityPolicy {
            earliest_open_day: 11,
            confirmed_receipt_opens_at_once: true,
            protection_starts: ProtectionStart::Shipment,
            protection_days_by_method: [("economy", 60), ("standard", 60), ("expedited", 100)]
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v))
                .collect(),
            protection_days_by_destination: vec![
                DestinationProtection {
                    country: "RU".into(),
                    method: None,
                    days: 90,
                },
                DestinationProtection {
                    country: "BR".into(),
                    method: None,
                    days: 120,
                },
            ],
            listing_promise_wins: true,
            max_protection_days: None,
            delivered_cuts_protection_to_days: None,
            window_after_confirmation_days: 15,
            extension_approval_wait_days: 3,
            reopen_limit: 1,
        }
    }

    /// The appendix's legacy values.
    pub fn aliexpress_legacy() -> Self {
        EligibilityPolicy {
            earliest_open_day: 6,
            confirmed_receipt_opens_at_once: true,
            protection_starts: ProtectionStart::Shipment,
            protection_days_by_method: [("economy", 60), ("standard", 60), ("expedited", 60)]
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v))
                .collect(),
            protection_days_by_destination: Vec::new(),
            listing_promise_wins: true,
            max_protection_days: Some(60),
            delivered_cuts_protection_to_days: Some(5),
            window_after_confirmation_days: 15,
            extension_approval_wait_days: 2,
            reopen_limit: 1,
        }
    }

    /// R-E2: the protection length for a method, destination and promise.
    pub fn protection_days(
        &self,
        method: &str,
        country: &str,
        promised: Option<u32>,
    ) -> Option<u32> {
        let days = match promised {
            Some(p) if self.listing_promise_wins => Some(p),
            _ => self
                .protection_days_by_destination
                .iter()
                .find(|d| {
                    same_text(&d.country, country)
                        && d.method.as_deref().is_none_or(|m| same_text(m, method))
                })
                .map(|d| d.days)
                .or_else(|| self.days_for_method(method))
                .or(promised),
        }?;
        Some(match self.max_protection_days {
            Some(max) => days.min(max),
            None => days,
        })
    }

    /// The protection table's days for `method` (R-E2).
    pub(crate) fn days_for_method(&self, method: &str) -> Option<u32> {
        self.protection_days_by_method.get(method).copied()
    }

    fn check(&self, c: &mut Collector) {
        let days = |c: &mut Collector, field: &str, v: u32, min: u32| {
            if !(min..=MAX_DAYS).contains(&v) {
                c.push(
                    format!("eligibility.{field}"),
                    format!("must be {min} to {MAX_DAYS} days, got {v}"),
                );
            }
        };
        days(c, "earliest_open_day", self.earliest_open_day, 0);
        days(
            c,
            "window_after_confirmation_days",
            self.window_after_confirmation_days,
            0,
        );
        days(
            c,
            "extension_approval_wait_days",
            self.extension_approval_wait_days,
            0,
        );
        if self.reopen_limit > 100 {
            c.push(
                "eligibility.reopen_limit",
                format!("must be 0 to 100, got {}", self.reopen_limit),
            );
        }
        if self.protection_days_by_method.is_empty() {
            c.push(
                "eligibility.protection_days_by_method",
                "must name at least one shipping method",
            );
        }
        for (k, v) in &self.protection_days_by_method {
            if k.trim().is_empty() {
                c.push(
                    "eligibility.protection_days_by_method",
                    "a method name is empty",
                );
            }
            days(
                c,
                &crate::error::key_path("protection_days_by_method", k),
                *v,
                1,
            );
        }
        for (i, d) in self.protection_days_by_destination.iter().enumerate() {
            if !(d.country.len() == 2 && d.country.bytes().all(|b| b.is_ascii_uppercase())) {
                c.push(
                    format!("eligibility.protection_days_by_destination[{i}].country"),
                    format!("`{}` is not an ISO 3166 alpha-2 code", d.country),
                );
            }
            days(
                c,
                &format!("protection_days_by_destination[{i}].days"),
                d.days,
                1,
            );
        }
        if let Some(m) = self.max_protection_days {
            days(c, "max_protection_days", m, 1);
        }
        if let Some(m) = self.delivered_cuts_protection_to_days {
            days(c, "delivered_cuts_protection_to_days", m, 0);
        }
    }
}

impl Policy {
    /// The default preset: the defaults the rules reference (`docs/rules.md`)
    /// adopts for AliExpress.
    pub fn aliexpress() -> Policy {
        let p = Policy {
            schema_version: POLICY_SCHEMA_VERSION,
            id: "aliexpress".into(),
            description: "AliExpress Buyer Protection, the defaults adopted in docs/rules.md".into(),
            time_zone: chrono_tz::America::Los_Angeles,
            day_counting: DayCounting::SameWallClock,
            eligibility: EligibilityPolicy::aliexpress(),
            reasons: crate::reasons::ReasonsPolicy::aliexpress(),
            lifecycle: crate::lifecycle::LifecyclePolicy::aliexpress(),
            outcome: crate::outcome::OutcomePolicy::aliexpress(),
        };
        p.calendar().prepare();
        p
    }

    /// The legacy values of the rules reference's appendix (escrow-era rules: 6th day,
    /// seller-stated protection at most 60 days, delivered cuts the remaining
    /// time to 5 days, 15-day seller response, ...).
    pub fn aliexpress_legacy() -> Policy {
        let p = Policy {
            schema_version: POLICY_SCHEMA_VERSION,
            id: "aliexpress-legacy".into(),
            description: "AliExpress escrow-era values from the appendix of docs/rules.md".into(),
            time_zone: chrono_tz::America::Los_Angeles,
            day_counting: DayCounting::EndOfLocalDay,
            eligibility: EligibilityPolicy::aliexpress_legacy(),
            reasons: crate::reasons::ReasonsPolicy::aliexpress_legacy(),
            lifecycle: crate::lifecycle::LifecyclePolicy::aliexpress_legacy(),
            outcome: crate::outcome::OutcomePolicy::aliexpress_legacy(),
        };
        p.calendar().prepare();
        p
    }

    /// A built-in preset by id (`aliexpress`, `aliexpress-legacy`), as a
    /// new value (to change it); [`Policy::preset_ref`] borrows the shared
    /// one instead.
    pub fn preset(id: &str) -> Option<Policy> {
        match id {
            "aliexpress" => Some(Policy::aliexpress()),
            "aliexpress-legacy" => Some(Policy::aliexpress_legacy()),
            _ => None,
        }
    }

    /// A built-in preset by id (`aliexpress`, `aliexpress-legacy`), built
    /// once per process (on first use, with its zone's table) and shared:
    /// immutable, so every caller sees the same values as
    /// [`Policy::preset`] builds.
    pub fn preset_ref(id: &str) -> Option<&'static Policy> {
        static ALIEXPRESS: LazyLock<Policy> = LazyLock::new(Policy::aliexpress);
        static ALIEXPRESS_LEGACY: LazyLock<Policy> = LazyLock::new(Policy::aliexpress_legacy);
        match id {
            "aliexpress" => Some(&*ALIEXPRESS),
            "aliexpress-legacy" => Some(&*ALIEXPRESS_LEGACY),
            _ => None,
        }
    }

    /// The ids of the built-in presets.
    pub const PRESETS: &'static [&'static str] = &["aliexpress", "aliexpress-legacy"];

    /// Parses and validates a policy from JSON.
    pub fn from_json(json: &str) -> Result<Policy, Error> {
        let p: Policy = from_json(json, Error::InvalidPolicy)?;
        p.validate()?;
        // C-1: the zone's offset table, built here (once per zone and
        // process) rather than in the first assessment.
        p.calendar().prepare();
        Ok(p)
    }

    /// The policy as pretty JSON (parses back to an equal policy).
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Checks every value; all problems are reported, each naming its field.
    pub fn validate(&self) -> Result<(), Error> {
        let mut c = Collector::new();
        if self.schema_version != POLICY_SCHEMA_VERSION {
            c.push(
                "schema_version",
                format!(
                    "unsupported schema version {}; this engine reads {POLICY_SCHEMA_VERSION}",
                    self.schema_version
                ),
            );
        }
        if self.id.trim().is_empty() {
            c.push("id", "must not be empty");
        }
        self.eligibility.check(&mut c);
        self.reasons.check(&mut c);
        self.lifecycle.check(&mut c);
        self.lifecycle
            .check_with_claims(self.reasons.return_means_full_refund, &mut c);
        self.outcome.check(&mut c);
        c.finish(Error::InvalidPolicy)
    }

    /// The calendar of this policy (C-1): its zone and day counting, read
    /// from the fields at each call (so a changed `time_zone` is always the
    /// one used; the zone's offset table is shared by zone, never stale).
    pub const fn calendar(&self) -> Calendar {
        Calendar::new(self.time_zone, self.day_counting)
    }
}

impl Default for Policy {
    fn default() -> Self {
        Policy::aliexpress()
    }
}


/// Whether two short texts are equal, compared inline (no `memcmp` call).
#[inline]
fn same_text(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).all(|(x, y)| x == y)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "test code")]
    use super::*;
    use std::borrow::Cow;

    #[test]
    fn presets_are_built_once_and_equal_fresh_ones() {
        for id in Policy::PRESETS {
            let a = Policy::preset_ref(id).unwrap();
            assert!(std::ptr::eq(a, Policy::preset_ref(id).unwrap()), "{id}");
            assert_eq!(*a, Policy::preset(id).unwrap(), "{id}");
        }
        assert!(Policy::preset_ref("aliexpress-2030").is_none());
    }

    #[test]
    fn a_preset_named_in_a_request_is_borrowed() {
        let borrowed = |json: Option<&str>| {
            matches!(
                crate::api::resolve_policy_ref(json).unwrap(),
                Cow::Borrowed(p) if std::ptr::eq(p, Policy::preset_ref(&p.id).unwrap())
            )
        };
        assert!(borrowed(Some(r#""aliexpress""#)));
        assert!(borrowed(Some(r#""aliexpress-legacy""#)));
        assert!(borrowed(Some(r#""\u0061liexpress""#)));
        assert!(borrowed(None));
        let e = crate::api::resolve_policy_ref(Some(r#""ebay""#)).unwrap_err();
        assert_eq!(
            e.to_string(),
            "invalid policy: `policy`: unknown preset `ebay` (known: aliexpress, aliexpress-legacy)"
        );
        // A policy object is parsed and owned.
        let json = Policy::aliexpress().to_json();
        assert!(matches!(
            crate::api::resolve_policy_ref(Some(&json)).unwrap(),
            Cow::Owned(_)
        ));
    }
}
