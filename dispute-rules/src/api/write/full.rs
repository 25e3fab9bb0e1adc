//! The parts of a full assessment after eligibility and timeline (issue
//! 14): reasons, checklist, claim check and prediction, written field by
//! field as serde_json writes their [`Serialize`](serde::Serialize) forms
//! (the tests compare the two on every sample answer and on hand-made
//! claims). Codes from the code go without an escape check (a test checks
//! each against serde_json); every text (English sentences included) goes
//! through [`push_json_str`]. Explanations and errors, rare, go through
//! [`push_serde`].

use super::{
    push_explanation, push_json_str, push_name, push_rules, push_serde, push_u64, Out, Result,
    WriteJson,
};
use crate::api::ErrorAnswer;
use crate::error::Error;
use crate::money::Money;
use crate::outcome::{Confidence, Factor, OpenApiOutcome, Outcome, OutcomeKind, Prediction};
use crate::outcome::{Points, Timeliness};
use crate::reasons::interop::CardCategory;
use crate::reasons::{Checklist, ClaimCheck, ClaimInterop, EvidenceNeed};
use crate::reasons::{RefundRelease, Suggestion, Suggestions};
use rust_decimal::Decimal;

/// The serde name of a [`RefundRelease`] (checked against serde_json by
/// the tests).
pub(in crate::api) const fn refund_release_name(r: RefundRelease) -> &'static str {
    match r {
        RefundRelease::OnResolution => "on_resolution",
        RefundRelease::OnSellerConfirmingReturn => "on_seller_confirming_return",
    }
}

/// The serde name of a [`Timeliness`].
pub(in crate::api) const fn timeliness_name(t: Timeliness) -> &'static str {
    match t {
        Timeliness::InTime => "in_time",
        Timeliness::NotYet => "not_yet",
        Timeliness::Late => "late",
        Timeliness::Barred => "barred",
    }
}

/// The serde name of a [`Confidence`].
pub(in crate::api) const fn confidence_name(c: Confidence) -> &'static str {
    match c {
        Confidence::Low => "low",
        Confidence::Medium => "medium",
        Confidence::High => "high",
    }
}

fn push_bool(out: &mut String, b: bool) {
    out.push_str(if b { "true" } else { "false" });
}

fn push_u32(out: &mut String, v: u32) {
    push_u64(out, u64::from(v));
}

/// Appends a decimal's text, exactly as its `Display` writes it (the
/// mantissa's digits with the point `scale` digits from the right, a zero
/// before a leading point, `-` for any negative value, negative zero
/// included).
pub(in crate::api) fn push_decimal(out: &mut String, d: &Decimal) {
    let scale = d.scale() as usize;
    let m = d.mantissa().unsigned_abs();
    // Digits, least significant first (at most 29 for a 96-bit mantissa),
    // padded with zeros up to the scale.
    let mut digits = [b'0'; 40];
    let mut n = 0;
    let mut v = m;
    if let Ok(mut small) = u64::try_from(v) {
        while small > 0 {
            if let Some(slot) = digits.get_mut(n) {
                *slot = b'0' + (small % 10) as u8;
            }
            n += 1;
            small /= 10;
        }
    } else {
        while v > 0 {
            if let Some(slot) = digits.get_mut(n) {
                *slot = b'0' + (v % 10) as u8;
            }
            n += 1;
            v /= 10;
        }
    }
    let len = n.max(scale);
    if d.is_sign_negative() {
        out.push('-');
    }
    if len == 0 {
        out.push('0');
        return;
    }
    let whole = len - scale;
    if whole == 0 {
        out.push('0');
    }
    for i in 0..len {
        if i == whole {
            out.push('.');
        }
        let d = digits.get(len - 1 - i).copied().unwrap_or(b'0');
        out.push(char::from(d));
    }
}

fn push_money(out: &mut String, m: &Money) {
    out.push_str("{\"amount\":\"");
    push_decimal(out, &m.amount);
    out.push_str("\",\"currency\":");
    push_json_str(out, m.currency.as_str());
    out.push('}');
}

/// A fallible part: `{"result":"success","answer":...}`, or the failure
/// with its error (through serde: rare).
fn push_part<T: WriteJson>(out: &mut Out<'_>, r: &std::result::Result<T, Error>) -> Result {
    match r {
        Ok(a) => {
            out.push_str("{\"result\":\"success\",\"answer\":");
            a.write(out)?;
        }
        Err(e) => {
            out.push_str("{\"result\":\"failure\",\"error\":");
            push_serde(out, &ErrorAnswer::from(e))?;
        }
    }
    out.push('}');
    Ok(())
}

fn push_part_opt<T: WriteJson>(
    out: &mut Out<'_>,
    r: Option<&std::result::Result<T, Error>>,
) -> Result {
    match r {
        Some(r) => push_part(out, r),
        None => {
            out.push_str("null");
            Ok(())
        }
    }
}

/// The parts after eligibility and timeline, starting with their comma.
pub(super) fn push_full_parts(out: &mut Out<'_>, a: &crate::api::FullAssessment) -> Result {
    out.push_str(",\"reasons\":");
    a.reasons.write(out)?;
    out.push_str(",\"checklist\":");
    push_part_opt(out, a.checklist.as_ref())?;
    out.push_str(",\"claim\":");
    push_part_opt(out, a.claim.as_ref())?;
    out.push_str(",\"prediction\":");
    push_part(out, &a.prediction)
}

impl WriteJson for Suggestion {
    fn write(&self, out: &mut Out<'_>) -> Result {
        out.push_str("{\"reason\":");
        push_name(out, self.reason.code());
        out.push_str(",\"group\":");
        push_name(out, self.group.code());
        out.push_str(",\"score\":");
        push_u32(out, self.score);
        out.push_str(",\"why\":");
        push_json_str(out, self.why);
        out.push_str(",\"solution\":");
        push_name(out, self.solution.code());
        out.push_str(",\"rules\":");
        push_rules(out, self.rules);
        out.push('}');
        Ok(())
    }
}

impl WriteJson for Suggestions {
    fn write(&self, out: &mut Out<'_>) -> Result {
        out.push_str("{\"received\":");
        push_bool(out, self.received);
        out.push_str(",\"received_inferred\":");
        push_bool(out, self.received_inferred);
        out.push_str(",\"reasons\":");
        super::push_seq(out, &self.reasons)?;
        out.push_str(",\"rules\":");
        push_rules(out, self.rules);
        push_explanation(out, self.explanation.as_ref())?;
        out.push('}');
        Ok(())
    }
}

impl WriteJson for EvidenceNeed {
    fn write(&self, out: &mut Out<'_>) -> Result {
        out.push_str("{\"shows\":[");
        for (i, k) in self.shows.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            push_name(out, k.code());
        }
        out.push_str("],\"weight\":");
        push_u32(out, self.weight);
        out.push('}');
        Ok(())
    }
}

impl WriteJson for Checklist {
    fn write(&self, out: &mut Out<'_>) -> Result {
        out.push_str("{\"reason\":");
        push_name(out, self.reason.code());
        out.push_str(",\"present\":");
        super::push_seq(out, &self.present)?;
        out.push_str(",\"missing\":");
        super::push_seq(out, &self.missing)?;
        out.push_str(",\"most_helpful\":");
        match self.most_helpful {
            Some(k) => push_name(out, k.code()),
            None => out.push_str("null"),
        }
        out.push_str(",\"most_helpful_text\":");
        match self.most_helpful_text {
            Some(t) => push_json_str(out, t),
            None => out.push_str("null"),
        }
        out.push_str(",\"score_percent\":");
        push_u32(out, self.score_percent);
        out.push_str(",\"unrelated\":[");
        for (i, &x) in self.unrelated.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            super::push_usize(out, x);
        }
        out.push_str("],\"rules\":");
        push_rules(out, self.rules);
        push_explanation(out, self.explanation.as_ref())?;
        out.push('}');
        Ok(())
    }
}

fn push_card(out: &mut String, c: Option<&CardCategory>) {
    match c {
        Some(c) => {
            out.push_str("{\"code\":");
            push_json_str(out, c.code);
            out.push_str(",\"name\":");
            push_json_str(out, c.name);
            out.push('}');
        }
        None => out.push_str("null"),
    }
}

impl WriteJson for ClaimInterop {
    fn write(&self, out: &mut Out<'_>) -> Result {
        out.push_str("{\"open_api_issue_refund_type\":");
        push_json_str(out, self.open_api_issue_refund_type);
        out.push_str(",\"open_api_is_return_goods\":");
        push_json_str(out, self.open_api_is_return_goods);
        out.push_str(",\"paypal\":");
        match self.paypal {
            Some(p) => push_json_str(out, p),
            None => out.push_str("null"),
        }
        out.push_str(",\"visa\":");
        push_card(out, self.visa.as_ref());
        out.push_str(",\"mastercard\":");
        push_card(out, self.mastercard.as_ref());
        out.push('}');
        Ok(())
    }
}

impl WriteJson for ClaimCheck {
    fn write(&self, out: &mut Out<'_>) -> Result {
        out.push_str("{\"reason\":");
        push_name(out, self.reason.code());
        out.push_str(",\"group\":");
        push_name(out, self.group.code());
        out.push_str(",\"solution\":");
        push_name(out, self.solution.code());
        out.push_str(",\"refund\":");
        push_money(out, &self.refund);
        out.push_str(",\"refund_type\":");
        push_name(out, self.refund_type.code());
        out.push_str(",\"full_amount\":");
        push_money(out, &self.full_amount);
        out.push_str(",\"return_goods\":");
        push_bool(out, self.return_goods);
        if let Some(p) = self.return_shipping_payer {
            out.push_str(",\"return_shipping_payer\":");
            push_name(out, p.code());
        }
        out.push_str(",\"refund_released\":");
        push_name(out, refund_release_name(self.refund_released));
        out.push_str(",\"seller_at_fault\":");
        push_bool(out, self.seller_at_fault);
        if let Some(m) = &self.missing_units_value {
            out.push_str(",\"missing_units_value\":");
            push_money(out, m);
        }
        out.push_str(",\"checklist\":");
        self.checklist.write(out)?;
        out.push_str(",\"interop\":");
        self.interop.write(out)?;
        out.push_str(",\"rules\":");
        push_rules(out, self.rules);
        push_explanation(out, self.explanation.as_ref())?;
        out.push('}');
        Ok(())
    }
}

fn push_points(out: &mut String, p: &Points) {
    for (i, k) in OutcomeKind::ALL.into_iter().enumerate() {
        out.push_str(if i == 0 { "{" } else { "," });
        push_name(out, k.code());
        out.push(':');
        super::push_i64(out, i64::from(p.get(k)));
    }
    out.push('}');
}

fn push_open_api(out: &mut String, o: OpenApiOutcome) {
    out.push_str("{\"issue_refund_type\":");
    push_json_str(out, o.issue_refund_type());
    out.push_str(",\"is_return_goods\":");
    push_json_str(out, o.is_return_goods());
    out.push('}');
}

impl WriteJson for Factor {
    fn write(&self, out: &mut Out<'_>) -> Result {
        out.push_str("{\"id\":");
        push_name(out, self.id.code());
        out.push_str(",\"rule\":");
        push_name(out, self.rule.id());
        out.push_str(",\"points\":");
        push_points(out, &self.points);
        out.push_str(",\"decisive\":");
        push_bool(out, self.decisive);
        if let Some(t) = self.text {
            out.push_str(",\"text\":");
            push_json_str(out, t);
        }
        out.push('}');
        Ok(())
    }
}

impl WriteJson for Outcome {
    fn write(&self, out: &mut Out<'_>) -> Result {
        out.push_str("{\"kind\":");
        push_name(out, self.kind.code());
        out.push_str(",\"likelihood_percent\":");
        push_u32(out, self.likelihood_percent);
        out.push_str(",\"refund\":");
        push_money(out, &self.refund);
        out.push_str(",\"return_goods\":");
        push_bool(out, self.return_goods);
        if let Some(p) = self.return_shipping_payer {
            out.push_str(",\"return_shipping_payer\":");
            push_name(out, p.code());
        }
        out.push_str(",\"possible\":");
        push_bool(out, self.possible);
        out.push_str(",\"points\":");
        super::push_i64(out, i64::from(self.points));
        out.push_str(",\"rule\":");
        push_name(out, self.rule.id());
        out.push_str(",\"open_api\":");
        push_open_api(out, self.open_api);
        out.push('}');
        Ok(())
    }
}

impl WriteJson for Prediction {
    fn write(&self, out: &mut Out<'_>) -> Result {
        out.push_str("{\"reason\":");
        push_name(out, self.reason.code());
        out.push_str(",\"reason_inferred\":");
        push_bool(out, self.reason_inferred);
        if let Some(k) = self.requested {
            out.push_str(",\"requested\":");
            push_name(out, k.code());
        }
        out.push_str(",\"likely\":");
        self.likely.write(out)?;
        out.push_str(",\"outcomes\":");
        super::push_seq(out, &self.outcomes)?;
        out.push_str(",\"confidence\":");
        push_name(out, confidence_name(self.confidence));
        out.push_str(",\"margin_percent\":");
        push_u32(out, self.margin_percent);
        out.push_str(",\"buyer_odds_percent\":");
        push_u32(out, self.buyer_odds_percent);
        out.push_str(",\"cap\":");
        push_money(out, &self.cap);
        out.push_str(",\"evidence_score_percent\":");
        push_u32(out, self.evidence_score_percent);
        out.push_str(",\"timeliness\":");
        push_name(out, timeliness_name(self.timeliness));
        if let Some(c) = self.eligibility_code {
            out.push_str(",\"eligibility_code\":");
            push_name(out, c.code());
        }
        if let Some(m) = &self.compensation_up_to {
            out.push_str(",\"compensation_up_to\":");
            push_money(out, m);
        }
        out.push_str(",\"factors\":");
        super::push_seq(out, self.factors.as_slice())?;
        out.push_str(",\"rules\":");
        push_rules(out, self.rules);
        push_explanation(out, self.explanation.as_ref())?;
        out.push('}');
        Ok(())
    }
}
