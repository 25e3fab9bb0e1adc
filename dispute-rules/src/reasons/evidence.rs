//! Evidence: attachments (R-V2) and the per-reason checklist (R-V1).

use super::{Reason, ReasonsPolicy};
use crate::error::{Collector, Error};
use crate::explain::{Explain, Explanation, Tracer};
use crate::rules::{Rule, RuleSet};
use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! evidence_kinds {
    ($( $(#[$doc:meta])* $v:ident = $n:literal, $code:literal, $medium:expr, $text:literal; )+) => {
        /// What an attachment shows (R-V1). Stable string codes and numbers.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[repr(u32)]
        #[non_exhaustive]
        pub enum EvidenceKind {
            $( $(#[$doc])* $v = $n ),+
        }

        impl EvidenceKind {
            /// Every kind, in number order.
            pub const ALL: &'static [EvidenceKind] = &[$(EvidenceKind::$v),+];

            /// The stable string code, like `unboxing_video`.
            pub const fn code(self) -> &'static str {
                match self { $(EvidenceKind::$v => $code),+ }
            }

            /// The stable number (for C).
            pub const fn number(self) -> u32 {
                self as u32
            }

            /// Parses a string code.
            pub fn from_code(code: &str) -> Option<EvidenceKind> {
                match code { $($code => Some(EvidenceKind::$v),)+ _ => None }
            }

            /// Parses a number.
            pub fn from_number(n: u32) -> Option<EvidenceKind> {
                match n { $($n => Some(EvidenceKind::$v),)+ _ => None }
            }

            /// The kind of file this evidence must be (`None`: any kind).
            pub const fn medium(self) -> Option<AttachmentKind> {
                match self { $(EvidenceKind::$v => $medium),+ }
            }

            /// What to attach, in plain English.
            pub const fn describe(self) -> &'static str {
                match self { $(EvidenceKind::$v => $text),+ }
            }
        }
    };
}

evidence_kinds! {
    /// A screenshot of the tracking page (R-V1: non-receipt).
    TrackingScreenshot = 1, "tracking_screenshot", Some(AttachmentKind::Image),
        "a screenshot of the tracking page";
    /// Proof from the postal service that nothing was delivered (R-V1).
    PostalProof = 2, "postal_proof", None,
        "a statement from the postal service that the package was not delivered to you";
    /// A customs notice or letter (R-R4).
    CustomsNotice = 3, "customs_notice", None,
        "the customs notice about the held package";
    /// A screenshot of the order details and status (000).
    OrderScreenshot = 4, "order_screenshot", Some(AttachmentKind::Image),
        "a screenshot of the order details and status";
    /// A screenshot of the listing as bought (R-V1: wrong item, counterfeit).
    ListingScreenshot = 5, "listing_screenshot", Some(AttachmentKind::Image),
        "a screenshot of the listing (description, photos, shipping method)";
    /// Screenshots of messages with the seller (000).
    SellerMessages = 6, "seller_messages", Some(AttachmentKind::Image),
        "screenshots of your messages with the seller";
    /// Photos of the item as it arrived (R-V1).
    ItemPhoto = 7, "item_photo", Some(AttachmentKind::Image),
        "photos of the item as it arrived";
    /// Photos of the damage (R-V1: damage).
    DamagePhoto = 8, "damage_photo", Some(AttachmentKind::Image),
        "photos of the damage";
    /// Photos of the package and its label (carrier, weight).
    PackagePhoto = 9, "package_photo", Some(AttachmentKind::Image),
        "photos of the package and its shipping label";
    /// A video of the item showing the problem (R-V1: quality).
    ItemVideo = 10, "item_video", Some(AttachmentKind::Video),
        "a video of the item showing the problem";
    /// A video of opening the package (R-V1, 003: helps most for a shortage).
    UnboxingVideo = 11, "unboxing_video", Some(AttachmentKind::Video),
        "a video of opening the package, showing what was inside";
    /// A payment or card statement showing no refund arrived (R-R15).
    PaymentStatement = 12, "payment_statement", None,
        "a payment statement showing that no refund arrived";
}

impl fmt::Display for EvidenceKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl Serialize for EvidenceKind {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

impl<'de> Deserialize<'de> for EvidenceKind {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = std::borrow::Cow::<'de, str>::deserialize(d)?;
        EvidenceKind::from_code(&s).ok_or_else(|| {
            serde::de::Error::custom(format_args!(
                "unknown evidence kind `{}` (known: {})",
                crate::limits::echo(&s),
                EvidenceKind::ALL
                    .iter()
                    .map(|k| k.code())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        })
    }
}

/// A set of [`EvidenceKind`]s (a bitset: no allocation). In JSON, a list of
/// codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct EvidenceSet(u32);

impl EvidenceSet {
    /// The empty set.
    pub const EMPTY: EvidenceSet = EvidenceSet(0);

    /// A set of the given kinds.
    pub const fn of(kinds: &[EvidenceKind]) -> EvidenceSet {
        let mut bits = 0u32;
        let mut i = 0;
        while i < kinds.len() {
            // `kinds[i]` is in bounds: `i < kinds.len()` (const fn: no iterators)
            #[allow(clippy::indexing_slicing)]
            let k = kinds[i];
            bits |= 1u32 << (k as u32);
            i += 1;
        }
        EvidenceSet(bits)
    }

    /// Adds a kind.
    pub fn insert(&mut self, kind: EvidenceKind) {
        self.0 |= 1u32 << (kind as u32);
    }

    /// Whether the set holds `kind`.
    pub const fn contains(self, kind: EvidenceKind) -> bool {
        self.0 & (1u32 << (kind as u32)) != 0
    }

    /// Whether the two sets share a kind.
    pub const fn intersects(self, other: EvidenceSet) -> bool {
        self.0 & other.0 != 0
    }

    /// Whether the set is empty.
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The kinds, in number order.
    pub fn iter(self) -> impl Iterator<Item = EvidenceKind> {
        EvidenceKind::ALL
            .iter()
            .copied()
            .filter(move |k| self.contains(*k))
    }

    /// The first kind, in number order (the lowest bit set).
    pub fn first(self) -> Option<EvidenceKind> {
        if self.0 == 0 {
            return None;
        }
        EvidenceKind::from_number(self.0.trailing_zeros())
    }

    /// The kinds in either set.
    #[must_use]
    pub(crate) const fn union(self, other: EvidenceSet) -> EvidenceSet {
        EvidenceSet(self.0 | other.0)
    }
}

impl FromIterator<EvidenceKind> for EvidenceSet {
    fn from_iter<I: IntoIterator<Item = EvidenceKind>>(iter: I) -> Self {
        let mut s = EvidenceSet::EMPTY;
        for k in iter {
            s.insert(k);
        }
        s
    }
}

impl Serialize for EvidenceSet {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

impl<'de> Deserialize<'de> for EvidenceSet {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Vec::<EvidenceKind>::deserialize(d)?.into_iter().collect())
    }
}

/// One piece of evidence a reason asks for (R-V1): any of `shows`, worth
/// `weight` percent of a complete file (a reason's weights add up to 100).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EvidenceNeed {
    /// Any of these kinds satisfies the need.
    pub shows: EvidenceSet,
    /// Percent of the completeness score (1..=100).
    pub weight: u32,
}

impl EvidenceNeed {
    /// A need satisfied by any of `kinds`.
    pub const fn new(kinds: &[EvidenceKind], weight: u32) -> EvidenceNeed {
        EvidenceNeed {
            shows: EvidenceSet::of(kinds),
            weight,
        }
    }
}

/// The kind of file (R-V2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[repr(u32)]
#[non_exhaustive]
pub enum AttachmentKind {
    /// A picture (R-V2: jpg, jpeg, bmp, gif, png, at most 2 MB).
    Image = 1,
    /// A video (R-V2: at most 200 MB).
    Video = 2,
    /// A document (not accepted by the AliExpress presets).
    Document = 3,
}

impl AttachmentKind {
    /// The stable string code.
    pub const fn code(self) -> &'static str {
        match self {
            AttachmentKind::Image => "image",
            AttachmentKind::Video => "video",
            AttachmentKind::Document => "document",
        }
    }
}

/// A file attached to a claim (R-V2). In JSON:
/// `{"kind": "video", "file_name": "unboxing.mp4", "format": "mp4",
/// "size_bytes": 52000000, "shows": "unboxing_video"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Attachment {
    /// Image, video or document.
    pub kind: AttachmentKind,
    /// The file's name, as uploaded.
    pub file_name: String,
    /// The format (file extension without the dot, like `jpg`), any case.
    pub format: String,
    /// Size in bytes.
    pub size_bytes: u64,
    /// What it shows (R-V1).
    pub shows: EvidenceKind,
}

/// `jpg` and `jpeg` name one format; case does not matter.
#[cfg(test)]
fn same_format(a: &str, b: &str) -> bool {
    Format::of(b).is(a)
}

/// A format name to compare others with ([`same_format`]), with whether it
/// is `jpg` or `jpeg` worked out once: comparing is then a length test and,
/// for names of equal length, an ASCII case-blind byte comparison that
/// stops at the first difference (no allocation).
#[derive(Clone, Copy)]
struct Format<'a> {
    name: &'a [u8],
    jpeg: bool,
}

impl<'a> Format<'a> {
    fn of(name: &'a str) -> Format<'a> {
        let name = name.as_bytes();
        Format {
            name,
            jpeg: is_jpeg(name),
        }
    }

    /// Whether `other` names the same format.
    #[inline(always)]
    fn is(self, other: &str) -> bool {
        let other = other.as_bytes();
        (other.len() == self.name.len() && other.eq_ignore_ascii_case(self.name))
            || (self.jpeg && is_jpeg(other))
    }
}

#[inline]
fn is_jpeg(s: &[u8]) -> bool {
    match s.len() {
        3 => s.eq_ignore_ascii_case(b"jpg"),
        4 => s.eq_ignore_ascii_case(b"jpeg"),
        _ => false,
    }
}

/// The part of a file name after its last dot, if it has one (the dot is
/// one byte in UTF-8, never inside another character).
fn extension(name: &str) -> Option<&str> {
    let dot = name.bytes().rposition(|b| b == b'.')?;
    name.get(dot + 1..)
}

/// Whether the name is empty or only white space (what `str::trim` would
/// leave empty), deciding from the first byte when it is printable ASCII.
fn blank(s: &str) -> bool {
    match s.as_bytes().first() {
        Some(b) if b.is_ascii_graphic() => false,
        _ => s.trim().is_empty(),
    }
}

impl Attachment {
    /// Checks the attachment against the policy's limits (R-V2); problems
    /// name `{prefix}[{index}].{field}`.
    pub(crate) fn check(
        &self,
        policy: &ReasonsPolicy,
        prefix: &str,
        index: usize,
        c: &mut Collector,
    ) {
        let field = |f: &str| format!("{prefix}[{index}].{f}");
        let a = &policy.attachments;
        let rule = match self.kind {
            AttachmentKind::Image => Some(&a.image),
            AttachmentKind::Video => Some(&a.video),
            AttachmentKind::Document => a.document.as_ref(),
        };
        if blank(&self.file_name) {
            c.push(field("file_name"), "must not be empty");
        }
        let max = crate::limits::MAX_TEXT_LEN;
        for (name, text) in [("file_name", &self.file_name), ("format", &self.format)] {
            if text.len() > max {
                c.push(
                    field(name),
                    format!("is {} bytes long; at most {max}", text.len()),
                );
                return;
            }
        }
        let dots = self.format.bytes().take_while(|b| *b == b'.').count();
        let format = self.format.get(dots..).unwrap_or_default();
        let fmt = Format::of(format);
        let same = |other: &str| fmt.is(other);
        if format.is_empty() {
            c.push(field("format"), "must not be empty");
        }
        let Some(rule) = rule else {
            c.push(
                field("kind"),
                format!("{}s are not accepted (R-V2)", self.kind.code()),
            );
            return;
        };
        if let Some(list) = &rule.formats {
            if !format.is_empty() && !list.iter().any(|f| same(f)) {
                c.push(
                    field("format"),
                    format!(
                        "`{}` is not an accepted {} format (accepted: {}; R-V2)",
                        crate::limits::echo(&self.format),
                        self.kind.code(),
                        list.join(", ")
                    ),
                );
            }
        }
        if let Some(ext) = extension(&self.file_name) {
            if !ext.is_empty() && !format.is_empty() && !same(ext) {
                c.push(
                    field("file_name"),
                    format!(
                        "`{}` has the extension `{}` but the format is `{}`",
                        crate::limits::echo(&self.file_name),
                        crate::limits::echo(ext),
                        crate::limits::echo(&self.format)
                    ),
                );
            }
        }
        if self.size_bytes == 0 {
            c.push(field("size_bytes"), "the file is empty");
        } else if self.size_bytes > rule.max_bytes {
            c.push(
                field("size_bytes"),
                format!(
                    "{} bytes exceeds the {} limit of {} bytes ({}; R-V2)",
                    self.size_bytes,
                    self.kind.code(),
                    rule.max_bytes,
                    human_bytes(rule.max_bytes)
                ),
            );
        }
        if let Some(m) = self.shows.medium() {
            if m != self.kind {
                c.push(
                    field("shows"),
                    format!(
                        "`{}` must be a {}, got a {}",
                        self.shows.code(),
                        m.code(),
                        self.kind.code()
                    ),
                );
            }
        }
    }

    /// Whether the attachment meets the policy's limits (R-V2).
    pub fn is_valid(&self, policy: &ReasonsPolicy) -> bool {
        let mut c = Collector::new();
        self.check(policy, "", 0, &mut c);
        c.is_empty()
    }
}

/// `2097152` -> `2 MiB`.
fn human_bytes(n: u64) -> String {
    const MIB: u64 = 1024 * 1024;
    if n >= MIB && n % MIB == 0 {
        format!("{} MiB", n / MIB)
    } else {
        format!("{n} bytes")
    }
}

/// Checks attachments against the policy's limits (R-V2). Every problem is
/// reported, each naming `attachments[i].field`.
pub fn validate_attachments(
    attachments: &[Attachment],
    policy: &crate::Policy,
) -> Result<(), Error> {
    let mut c = Collector::new();
    check_attachments(attachments, &policy.reasons, "attachments", &mut c);
    c.finish(Error::InvalidClaim)
}

pub(crate) fn check_attachments(
    attachments: &[Attachment],
    policy: &ReasonsPolicy,
    prefix: &str,
    c: &mut Collector,
) {
    let max = crate::limits::MAX_ATTACHMENTS;
    if attachments.len() > max {
        c.push(
            prefix,
            format!(
                "{} attachments; at most {max} (each is checked only below the limit)",
                attachments.len()
            ),
        );
        return;
    }
    for (i, a) in attachments.iter().enumerate() {
        a.check(policy, prefix, i, c);
    }
    if let Some(max) = policy.attachments.max_count {
        if u64::try_from(attachments.len()).unwrap_or(u64::MAX) > u64::from(max) {
            c.push(
                prefix,
                format!(
                    "{} attachments exceeds the limit of {max} (R-V2)",
                    attachments.len()
                ),
            );
        }
    }
}

/// Whether the attachments meet the policy's limits (R-V2): exactly when
/// [`check_attachments`] finds no problem, so a caller that checked them
/// once can hand the answer on instead of checking again.
pub(crate) fn attachments_ok(attachments: &[Attachment], policy: &ReasonsPolicy) -> bool {
    let mut c = Collector::new();
    check_attachments(attachments, policy, "", &mut c);
    c.is_empty()
}

/// How complete the evidence for a reason is (R-V1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Checklist {
    /// The reason.
    pub reason: Reason,
    /// Needs that an attachment satisfies.
    pub present: Vec<EvidenceNeed>,
    /// Needs that no attachment satisfies, heaviest first.
    pub missing: Vec<EvidenceNeed>,
    /// The missing evidence that would help most (the heaviest missing
    /// need; an unboxing video for a shortage, R-V1/003).
    pub most_helpful: Option<EvidenceKind>,
    /// What to attach for `most_helpful`, in plain English.
    pub most_helpful_text: Option<&'static str>,
    /// Completeness, exact integer percent 0..=100 (the weights of the
    /// present needs).
    pub score_percent: u32,
    /// Attachments that show nothing this reason asks for (indices).
    pub unrelated: Vec<usize>,
    /// Rules applied (R-V1).
    pub rules: RuleSet,
    /// Plain-English steps, when asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explanation: Option<Explanation>,
}

/// The evidence checklist for `reason` (R-V1). Attachments are first checked
/// against the limits (R-V2): any problem is an [`Error::InvalidClaim`]
/// naming `attachments[i].field`.
pub fn checklist(
    reason: Reason,
    attachments: &[Attachment],
    policy: &crate::Policy,
    explain: Explain,
) -> Result<Checklist, Error> {
    checklist_at(reason, attachments, policy, explain, "attachments")
}

/// [`checklist`], naming attachment problems `{prefix}[i].field`.
pub(crate) fn checklist_at(
    reason: Reason,
    attachments: &[Attachment],
    policy: &crate::Policy,
    explain: Explain,
    prefix: &str,
) -> Result<Checklist, Error> {
    let mut c = Collector::new();
    check_attachments(attachments, &policy.reasons, prefix, &mut c);
    c.finish(Error::InvalidClaim)?;
    build(reason, attachments, &policy.reasons, explain)
}

/// The checklist for attachments already checked.
pub(crate) fn build(
    reason: Reason,
    attachments: &[Attachment],
    policy: &ReasonsPolicy,
    explain: Explain,
) -> Result<Checklist, Error> {
    let rules = policy.rules(reason)?;
    let mut t = Tracer::new(explain);
    let shown: EvidenceSet = attachments.iter().map(|a| a.shows).collect();
    let n = rules.evidence.len();
    let taken = rules
        .evidence
        .iter()
        .filter(|need| need.shows.intersects(shown))
        .count();
    let mut present = Vec::with_capacity(taken);
    let mut missing = Vec::with_capacity(n.saturating_sub(taken));
    let mut score = 0u32;
    for need in &rules.evidence {
        if need.shows.intersects(shown) {
            score = score.saturating_add(need.weight);
            present.push(*need);
        } else {
            missing.push(*need);
        }
    }
    // Heaviest first; the sort is stable, so ties keep the policy's order.
    missing.sort_by_key(|n| std::cmp::Reverse(n.weight));
    let asked = rules
        .evidence
        .iter()
        .fold(EvidenceSet::EMPTY, |a, n| a.union(n.shows));
    let unrelated: Vec<usize> = attachments
        .iter()
        .enumerate()
        .filter(|(_, a)| !asked.contains(a.shows))
        .map(|(i, _)| i)
        .collect();
    let most_helpful = missing.first().and_then(|n| n.shows.first());
    t.step(Rule::V1, || {
        format!(
            "`{reason}`: {score}% of the evidence the policy lists is attached ({} of {})",
            present.len(),
            rules.evidence.len()
        )
    });
    if let Some(k) = most_helpful {
        t.step(Rule::V1, || {
            format!("what would help most now: {} (`{k}`)", k.describe())
        });
    }
    Ok(Checklist {
        reason,
        present,
        missing,
        most_helpful,
        most_helpful_text: most_helpful.map(EvidenceKind::describe),
        score_percent: score.min(100),
        unrelated,
        rules: RuleSet::of(&[Rule::V1, Rule::V2]).with(reason.rule()),
        explanation: t.finish(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The definition [`Format`] replaces.
    fn same_format_by_text(a: &str, b: &str) -> bool {
        let jpeg = |s: &str| s.eq_ignore_ascii_case("jpg") || s.eq_ignore_ascii_case("jpeg");
        (a.len() == b.len() && a.eq_ignore_ascii_case(b)) || (jpeg(a) && jpeg(b))
    }

    #[test]
    fn same_format_is_case_blind_and_jpg_is_jpeg() {
        let names = [
            "",
            "jpg",
            "JPG",
            "jpeg",
            "JpEg",
            "jpe",
            "jpgg",
            "png",
            "PNG",
            "pn",
            "gif",
            "mp4",
            "MP4",
            "\0png",
            "png\0",
            "tiff",
            "TIFF",
            "averylongformat",
            "AVERYLONGFORMAT",
            "sevenxx",
            "SEVENXX",
            "eightxxx",
            "EIGHTXXX",
            "é",
            "É",
            "jpg\u{e9}",
        ];
        for a in names {
            for b in names {
                assert_eq!(
                    same_format(a, b),
                    same_format_by_text(a, b),
                    "`{a}` and `{b}`"
                );
            }
        }
        assert!(same_format("JPEG", "jpg") && !same_format("png", "jpg"));
    }

    #[test]
    fn extension_and_blank_read_like_the_text_functions() {
        for name in [
            "a.png", "a.b.PNG", "noext", ".hidden", "x.", "", "é.jpg", "a.é",
        ] {
            assert_eq!(
                extension(name),
                name.rsplit_once('.').map(|(_, e)| e),
                "{name}"
            );
        }
        for name in ["", " ", "\t\n", "\u{a0}", " a", "a", "\u{a0}a", "é"] {
            assert_eq!(blank(name), name.trim().is_empty(), "`{name}`");
        }
    }
}
