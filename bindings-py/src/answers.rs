//! The result classes: frozen classes wrapping the engine's answer values.
//! Attributes are converted when read (aware `datetime`s, `Decimal`
//! money, `str` enums); `to_dict()` / `to_json()` give the engine's JSON
//! answer; results compare equal when their JSON answers are equal; they
//! pickle by their operation and inputs (the engine is pure: unpickling
//! computes the same answer), and a part of a result by its place in it.

use crate::call::{Answer, Call, Op};
use crate::errors::error_object;
use crate::types::PyEnum;
use crate::values::{py_datetime, Moment, Money};
use chrono::{DateTime, Utc};
use dispute_rules::api::{self, ErrorAnswer, FullAssessment};
use dispute_rules::backtoback::{
    self, BackToBack, Gap, RouteState, Side, SupplierRoute, SupplierSide,
};
use dispute_rules::eligibility::{self, ActionKind, Eligibility, Ineligible, Status};
use dispute_rules::explain::{Explanation, Step};
use dispute_rules::lifecycle::{
    State,
    Actor, Allowed, AllowedAnswer, ClaimRequest, Deadline, DeadlineKind, EventKind, EventKinds,
    Refund, RefundDestination, Report,
};
use dispute_rules::outcome::{
    Confidence, Factor, Factors, OpenApiOutcome, Outcome, OutcomeKind, Points, Prediction,
    Timeliness,
};
use dispute_rules::reasons::interop::CardCategory;
use dispute_rules::reasons::{
    CatalogueEntry, Checklist, ClaimCheck, ClaimInterop, EvidenceKind, EvidenceNeed, EvidenceSet,
    Group, Interop, Payer, Reason, RefundRelease, RefundType, Solution, Suggestion, Suggestions,
};
use dispute_rules::selling::facts::ResolvedReason;
use dispute_rules::selling::policy::{
    Charged, Confidence as SourceConfidence, Family, FeeKind, Grade, Network, Platform, Waiver,
};
use dispute_rules::selling::rules::{AnyRule, RuleIds, SellingRule, SellingRuleSet};
use dispute_rules::selling::timeline::{
    Entry as SellerEntry, Evidence, EvidenceRef, Exposure, FeeLine, FilingWindowAnswer,
    Milestone as SellerMilestone, Missing, Origin as ValueOrigin, SellerAction, SellerActionKind,
    Signature,
};
use dispute_rules::selling::{SellerTimeline, SellingPolicy};
use dispute_rules::timeline::{Entry, Milestone, Timeline};
use dispute_rules::{Dispute, Error, Policy, Rule, RuleSet};
use pyo3::basic::CompareOp;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString, PyTuple};
use serde::Serialize;
use std::sync::Arc;

// ---------------------------------------------------------------------------
// Where a result comes from (for pickling).
// ---------------------------------------------------------------------------

/// Where a result object comes from.
pub enum Origin {
    /// Computed by an operation (item `index` of a list answer).
    Call(Op, Arc<Call>, Option<usize>),
    /// A part of another result: its attribute `attr` (item `index`).
    Part {
        parent: Py<PyAny>,
        attr: &'static str,
        index: Option<usize>,
    },
}

impl Origin {
    /// `__reduce__`: recompute from the inputs, or take the part again.
    fn reduce<'py>(&self, py: Python<'py>) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyTuple>)> {
        let module = py.import("dispute_rules._dispute_rules")?;
        match self {
            Origin::Call(op, call, index) => Ok((
                module.getattr("_recompute")?,
                (op.name(), call.request_json(), *index).into_pyobject(py)?,
            )),
            Origin::Part {
                parent,
                attr,
                index,
            } => Ok((
                module.getattr("_part")?,
                (parent.clone_ref(py), *attr, *index).into_pyobject(py)?,
            )),
        }
    }
}

/// Where a value being converted sits: the attribute `attr` (item `index`)
/// of `parent`.
pub struct Ctx<'a, 'py> {
    parent: &'a Bound<'py, PyAny>,
    attr: &'static str,
    index: Option<usize>,
}

impl<'a, 'py> Ctx<'a, 'py> {
    pub fn new(parent: &'a Bound<'py, PyAny>, attr: &'static str) -> Self {
        Ctx {
            parent,
            attr,
            index: None,
        }
    }

    fn at(&self, i: usize) -> Ctx<'a, 'py> {
        Ctx {
            parent: self.parent,
            attr: self.attr,
            index: Some(i),
        }
    }

    pub fn py(&self) -> Python<'py> {
        self.parent.py()
    }

    fn origin(&self) -> Origin {
        Origin::Part {
            parent: self.parent.clone().unbind(),
            attr: self.attr,
            index: self.index,
        }
    }
}

/// A Rust answer value as a Python attribute value.
pub trait ToPy {
    fn to_py<'py>(&self, ctx: &Ctx<'_, 'py>) -> PyResult<Bound<'py, PyAny>>;
}

macro_rules! plain {
    ($($t:ty),*) => {$(
        impl ToPy for $t {
            fn to_py<'py>(&self, ctx: &Ctx<'_, 'py>) -> PyResult<Bound<'py, PyAny>> {
                Ok(self.into_pyobject(ctx.py())?.to_owned().into_any())
            }
        }
    )*};
}
plain!(bool, u32, i32, u64, usize, String);

impl ToPy for &'static str {
    fn to_py<'py>(&self, ctx: &Ctx<'_, 'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(PyString::new(ctx.py(), self).into_any())
    }
}

impl<T: ToPy> ToPy for Option<T> {
    fn to_py<'py>(&self, ctx: &Ctx<'_, 'py>) -> PyResult<Bound<'py, PyAny>> {
        match self {
            Some(v) => v.to_py(ctx),
            None => Ok(ctx.py().None().into_bound(ctx.py())),
        }
    }
}

fn tuple_of<'py, T: ToPy>(ctx: &Ctx<'_, 'py>, items: &[T]) -> PyResult<Bound<'py, PyAny>> {
    let v: Vec<Bound<'py, PyAny>> = items
        .iter()
        .enumerate()
        .map(|(i, x)| x.to_py(&ctx.at(i)))
        .collect::<PyResult<_>>()?;
    Ok(PyTuple::new(ctx.py(), v)?.into_any())
}

impl<T: ToPy> ToPy for Vec<T> {
    fn to_py<'py>(&self, ctx: &Ctx<'_, 'py>) -> PyResult<Bound<'py, PyAny>> {
        tuple_of(ctx, self)
    }
}

impl<T: ToPy, const N: usize> ToPy for [T; N] {
    fn to_py<'py>(&self, ctx: &Ctx<'_, 'py>) -> PyResult<Bound<'py, PyAny>> {
        tuple_of(ctx, self)
    }
}

impl ToPy for Rule {
    fn to_py<'py>(&self, ctx: &Ctx<'_, 'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(PyString::new(ctx.py(), self.id()).into_any())
    }
}

impl ToPy for RuleSet {
    fn to_py<'py>(&self, ctx: &Ctx<'_, 'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(PyTuple::new(ctx.py(), self.ids())?.into_any())
    }
}

impl ToPy for dispute_rules::Moment {
    fn to_py<'py>(&self, ctx: &Ctx<'_, 'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(Bound::new(ctx.py(), Moment::of(*self))?.into_any())
    }
}

impl ToPy for dispute_rules::Money {
    fn to_py<'py>(&self, ctx: &Ctx<'_, 'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(Bound::new(ctx.py(), Money { v: *self })?.into_any())
    }
}

impl ToPy for DateTime<Utc> {
    fn to_py<'py>(&self, ctx: &Ctx<'_, 'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(py_datetime(ctx.py(), *self, 0)?.into_any())
    }
}

impl ToPy for Explanation {
    fn to_py<'py>(&self, ctx: &Ctx<'_, 'py>) -> PyResult<Bound<'py, PyAny>> {
        tuple_of(ctx, self.steps())
    }
}

/// One explanation step of either side (the supplier's `Step` or the
/// selling side's, whose rule may be of either side): one Python `Step`
/// class, the same JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StepView {
    /// The rule id.
    rule: &'static str,
    /// What it said.
    text: String,
}

impl ToPy for Step {
    fn to_py<'py>(&self, ctx: &Ctx<'_, 'py>) -> PyResult<Bound<'py, PyAny>> {
        let v = StepView {
            rule: self.rule.id(),
            text: self.text.clone(),
        };
        PyStep::wrap(ctx.py(), v, ctx.origin())
    }
}

impl ToPy for dispute_rules::selling::rules::Step {
    fn to_py<'py>(&self, ctx: &Ctx<'_, 'py>) -> PyResult<Bound<'py, PyAny>> {
        let v = StepView {
            rule: self.rule.id(),
            text: self.text.clone(),
        };
        PyStep::wrap(ctx.py(), v, ctx.origin())
    }
}

impl ToPy for SellingRule {
    fn to_py<'py>(&self, ctx: &Ctx<'_, 'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(PyString::new(ctx.py(), self.id()).into_any())
    }
}

impl ToPy for AnyRule {
    fn to_py<'py>(&self, ctx: &Ctx<'_, 'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(PyString::new(ctx.py(), self.id()).into_any())
    }
}

impl ToPy for SellingRuleSet {
    fn to_py<'py>(&self, ctx: &Ctx<'_, 'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(PyTuple::new(ctx.py(), self.ids())?.into_any())
    }
}

impl ToPy for RuleIds {
    fn to_py<'py>(&self, ctx: &Ctx<'_, 'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(PyTuple::new(ctx.py(), self.ids())?.into_any())
    }
}

impl ToPy for i64 {
    fn to_py<'py>(&self, ctx: &Ctx<'_, 'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(self.into_pyobject(ctx.py())?.into_any())
    }
}

impl ToPy for EvidenceSet {
    fn to_py<'py>(&self, ctx: &Ctx<'_, 'py>) -> PyResult<Bound<'py, PyAny>> {
        let v: Vec<EvidenceKind> = self.iter().collect();
        tuple_of(ctx, &v)
    }
}

impl ToPy for EventKinds {
    fn to_py<'py>(&self, ctx: &Ctx<'_, 'py>) -> PyResult<Bound<'py, PyAny>> {
        let v: Vec<EventKind> = self.iter().collect();
        tuple_of(ctx, &v)
    }
}

impl ToPy for Points {
    fn to_py<'py>(&self, ctx: &Ctx<'_, 'py>) -> PyResult<Bound<'py, PyAny>> {
        let d = PyDict::new(ctx.py());
        for k in OutcomeKind::ALL {
            d.set_item(k.to_py(ctx)?, self.get(k))?;
        }
        Ok(d.into_any())
    }
}

impl ToPy for Factors {
    fn to_py<'py>(&self, ctx: &Ctx<'_, 'py>) -> PyResult<Bound<'py, PyAny>> {
        tuple_of(ctx, self.as_slice())
    }
}

impl ToPy for dispute_rules::outcome::FactorId {
    fn to_py<'py>(&self, ctx: &Ctx<'_, 'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(PyString::new(ctx.py(), self.code()).into_any())
    }
}

impl<T: ToPy> ToPy for Result<T, Error> {
    fn to_py<'py>(&self, ctx: &Ctx<'_, 'py>) -> PyResult<Bound<'py, PyAny>> {
        match self {
            Ok(v) => v.to_py(ctx),
            Err(e) => error_object(ctx.py(), &ErrorAnswer::from(e), None, None),
        }
    }
}

/// The JSON spelling of a code (a unit variant or a code string).
pub fn code_of<T: Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

macro_rules! py_enums {
    ($($t:ty => $name:literal),* $(,)?) => {$(
        impl ToPy for $t {
            fn to_py<'py>(&self, ctx: &Ctx<'_, 'py>) -> PyResult<Bound<'py, PyAny>> {
                static E: PyEnum = PyEnum::new($name);
                E.member(ctx.py(), &code_of(self))
            }
        }
    )*};
}

py_enums!(
    Status => "Status",
    Ineligible => "Ineligible",
    ActionKind => "ActionKind",
    Milestone => "Milestone",
    Reason => "Reason",
    Solution => "Solution",
    Group => "Group",
    Payer => "Payer",
    EvidenceKind => "EvidenceKind",
    OutcomeKind => "OutcomeKind",
    Confidence => "Confidence",
    Timeliness => "Timeliness",
    RefundType => "RefundType",
    RefundRelease => "RefundRelease",
    RefundDestination => "RefundDestination",
    Actor => "Actor",
    EventKind => "EventKind",
    DeadlineKind => "DeadlineKind",
    Platform => "Platform",
    Family => "Family",
    Network => "Network",
    Grade => "Grade",
    SourceConfidence => "SourceConfidence",
    ValueOrigin => "Origin",
    SellerMilestone => "SellerMilestone",
    SellerActionKind => "SellerActionKind",
    FeeKind => "FeeKind",
    Charged => "Charged",
    Waiver => "Waiver",
    Side => "Side",
    RouteState => "RouteState",
    backtoback::ActionKind => "BackToBackActionKind",
);

/// A lifecycle state name as a `DisputeState` member.
fn dispute_state<'py>(py: Python<'py>, name: &str) -> PyResult<Bound<'py, PyAny>> {
    static E: PyEnum = PyEnum::new("DisputeState");
    E.member(py, name)
}

/// Every code of every Rust enum the answers carry, by Python enum name
/// (the test suite checks the Python enums against it), from the engine's
/// own `ALL` lists (checked there by exhaustive matches).
pub fn all_codes() -> Vec<(&'static str, Vec<String>)> {
    fn codes<T: Serialize>(all: &[T]) -> Vec<String> {
        all.iter().map(code_of).collect()
    }
    vec![
        ("Status", codes(Status::ALL)),
        ("Ineligible", codes(&Ineligible::ALL)),
        ("ActionKind", codes(ActionKind::ALL)),
        ("Milestone", codes(Milestone::ALL)),
        ("Reason", codes(Reason::ALL)),
        ("Solution", codes(&Solution::ALL)),
        ("Group", codes(&Group::ALL)),
        ("Payer", codes(&Payer::ALL)),
        ("EvidenceKind", codes(EvidenceKind::ALL)),
        ("OutcomeKind", codes(&OutcomeKind::ALL)),
        ("Confidence", codes(Confidence::ALL)),
        ("Timeliness", codes(Timeliness::ALL)),
        ("RefundType", codes(RefundType::ALL)),
        ("RefundRelease", codes(RefundRelease::ALL)),
        ("RefundDestination", codes(RefundDestination::ALL)),
        ("Actor", codes(&Actor::ALL)),
        ("EventKind", codes(EventKind::ALL)),
        ("DeadlineKind", codes(DeadlineKind::ALL)),
        ("Platform", codes(&Platform::ALL)),
        ("Family", codes(Family::ALL)),
        ("Network", codes(Network::ALL)),
        ("Grade", codes(Grade::ALL)),
        ("SourceConfidence", codes(SourceConfidence::ALL)),
        ("Origin", codes(ValueOrigin::ALL)),
        ("SellerMilestone", codes(SellerMilestone::ALL)),
        ("SellerActionKind", codes(SellerActionKind::ALL)),
        ("FeeKind", codes(FeeKind::ALL)),
        ("Charged", codes(Charged::ALL)),
        ("Waiver", codes(Waiver::ALL)),
        ("Side", codes(Side::ALL)),
        ("RouteState", codes(RouteState::ALL)),
        ("BackToBackActionKind", codes(backtoback::ActionKind::ALL)),
        (
            "DisputeState",
            State::NAMES.iter().map(|s| (*s).to_owned()).collect(),
        ),
    ]
}

// ---------------------------------------------------------------------------
// repr.
// ---------------------------------------------------------------------------

fn py_str(s: &str) -> String {
    format!("'{}'", s.replace('\\', "\\\\").replace('\'', "\\'"))
}

fn render(v: &serde_json::Value) -> String {
    use serde_json::Value;
    match v {
        Value::Null => "None".into(),
        Value::Bool(b) => if *b { "True" } else { "False" }.into(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => py_str(s),
        Value::Object(m) => {
            if let (Some(Value::String(local)), true) = (m.get("local"), m.contains_key("utc")) {
                py_str(local)
            } else if let (Some(Value::String(a)), Some(Value::String(c))) =
                (m.get("amount"), m.get("currency"))
            {
                py_str(&format!("{a} {c}"))
            } else {
                "{...}".into()
            }
        }
        Value::Array(a) => {
            if a.iter().all(|x| !x.is_object() && !x.is_array()) {
                format!("[{}]", a.iter().map(render).collect::<Vec<_>>().join(", "))
            } else {
                format!("[{} items]", a.len())
            }
        }
    }
}

/// `Name(field=value, ...)` from the JSON answer, nested parts abbreviated.
fn generic_repr<T: Serialize>(name: &str, v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::Object(m)) => {
            let fields: Vec<String> = m
                .iter()
                .filter(|(_, x)| !x.is_null())
                .map(|(k, x)| format!("{k}={}", render(x)))
                .collect();
            format!("{name}({})", fields.join(", "))
        }
        Ok(other) => format!("{name}({})", render(&other)),
        Err(_) => format!("{name}(...)"),
    }
}

/// The `repr` of a result (generic unless a type says otherwise).
pub trait Repr: Serialize + Sized {
    fn repr(&self, name: &str) -> String {
        generic_repr(name, self)
    }
}

fn local_min(m: &dispute_rules::Moment) -> String {
    m.local().format("%Y-%m-%d %H:%M").to_string()
}

impl Repr for Eligibility {
    fn repr(&self, _: &str) -> String {
        let mut parts = vec![format!("status={}", py_str(self.status.as_str()))];
        if let Some(c) = self.code {
            parts.push(format!("code={}", py_str(c.code())));
        }
        if let Some(w) = &self.window {
            parts.push(format!(
                "window='{} .. {} {}'",
                local_min(&w.opens_at),
                local_min(&w.closes_at),
                w.closes_at.local().format("%:z")
            ));
        }
        parts.push(format!("rules={:?}", self.rules.ids()).replace('"', "'"));
        if !self.next_actions.is_empty() {
            let kinds: Vec<String> = self.next_actions.iter().map(|a| code_of(&a.kind)).collect();
            parts.push(format!("next_actions={kinds:?}").replace('"', "'"));
        }
        format!("Eligibility({})", parts.join(", "))
    }
}

impl Repr for Timeline {
    fn repr(&self, _: &str) -> String {
        let items: Vec<String> = self
            .entries
            .iter()
            .map(|e| {
                format!(
                    "{}@{}{}",
                    e.milestone.as_str(),
                    local_min(&e.at),
                    if e.passed { "*" } else { "" }
                )
            })
            .collect();
        format!(
            "Timeline([{}], rules={})",
            items.join(", "),
            format!("{:?}", self.rules.ids()).replace('"', "'")
        )
    }
}

impl Repr for api::Assessment {
    fn repr(&self, name: &str) -> String {
        format!(
            "{name}(order_id={}, line_id={}, eligibility={}, timeline={} dates)",
            py_str(&self.order_id),
            py_str(&self.line_id),
            self.eligibility.repr(""),
            self.timeline.entries.len()
        )
    }
}

impl Repr for FullAssessment {
    fn repr(&self, name: &str) -> String {
        let a = &self.assessment;
        let reasons: Vec<String> = self
            .reasons
            .reasons
            .iter()
            .map(|s| s.reason.code().to_owned())
            .collect();
        let likely = match &self.prediction {
            Ok(p) => py_str(&code_of(&p.likely.kind)),
            Err(e) => format!("<{}>", e.kind().as_str()),
        };
        format!(
            "{name}(order_id={}, line_id={}, status={}, eligibility={}, timeline={} dates, reasons={}, likely={likely})",
            py_str(&a.order_id),
            py_str(&a.line_id),
            py_str(a.eligibility.status.as_str()),
            a.eligibility.repr(""),
            a.timeline.entries.len(),
            format!("{reasons:?}").replace('"', "'"),
        )
    }
}

impl Repr for Entry {
    fn repr(&self, _: &str) -> String {
        format!(
            "Entry(milestone={}, at={}, rule={}, passed={})",
            py_str(self.milestone.as_str()),
            py_str(&local_min(&self.at)),
            py_str(self.rule.id()),
            if self.passed { "True" } else { "False" }
        )
    }
}

impl Repr for SellerEntry {
    fn repr(&self, _: &str) -> String {
        format!(
            "SellerEntry(milestone={}, at={}, rule={}, origin={}, passed={})",
            py_str(self.milestone.as_str()),
            py_str(&local_min(&self.at)),
            py_str(self.rule.id()),
            py_str(&code_of(&self.origin)),
            if self.passed { "True" } else { "False" }
        )
    }
}

impl Repr for backtoback::Deadline {
    fn repr(&self, _: &str) -> String {
        format!(
            "BackToBackDeadline(side={}, milestone={}, at={}, rule={}, origin={}, passed={})",
            py_str(&code_of(&self.side)),
            py_str(self.milestone),
            py_str(&format!(
                "{} {}",
                local_min(&self.at),
                self.at.local().format("%:z")
            )),
            py_str(self.rule.id()),
            py_str(&code_of(&self.origin)),
            if self.passed { "True" } else { "False" }
        )
    }
}

impl Repr for backtoback::Action {
    fn repr(&self, _: &str) -> String {
        let mut parts = vec![
            format!("side={}", py_str(&code_of(&self.side))),
            format!("kind={}", py_str(&code_of(&self.kind))),
        ];
        if let Some(d) = &self.deadline {
            parts.push(format!(
                "deadline={}",
                py_str(&format!("{} {}", local_min(d), d.local().format("%:z")))
            ));
        }
        if let Some(r) = self.supplier_reason {
            parts.push(format!("supplier_reason={}", py_str(r.code())));
        }
        parts.push(format!("rules={:?}", self.rules.ids()).replace('"', "'"));
        format!("BackToBackAction({})", parts.join(", "))
    }
}

impl Repr for SellerTimeline {
    fn repr(&self, _: &str) -> String {
        let mut parts = vec![
            format!("order_id={}", py_str(&self.order_id)),
            format!("platform={}", py_str(self.platform.code())),
        ];
        if let Some(st) = &self.stage {
            parts.push(format!("stage={}", py_str(st)));
        }
        if let Some(d) = &self.response_due {
            parts.push(format!(
                "response_due='{} {} ({}, {})'",
                local_min(&d.at),
                d.at.local().format("%:z"),
                d.rule.id(),
                code_of(&d.origin)
            ));
        }
        let kinds: Vec<String> = self.next_actions.iter().map(|a| code_of(&a.kind)).collect();
        parts.push(format!("next_actions={kinds:?}").replace('"', "'"));
        parts.push(format!("rules={:?}", self.rules.ids()).replace('"', "'"));
        format!("SellerTimeline({})", parts.join(", "))
    }
}

impl Repr for BackToBack {
    fn repr(&self, _: &str) -> String {
        let binding = match &self.binding {
            Some(b) => format!(
                "'{} {} {} {} ({})'",
                code_of(&b.side),
                b.milestone,
                local_min(&b.at),
                b.at.local().format("%:z"),
                b.rule.id()
            ),
            None => "None".to_owned(),
        };
        let uncovered = self.uncovered.map_or_else(
            || "None".to_owned(),
            |m| py_str(&format!("{} {}", m.amount, m.currency.as_str())),
        );
        let kinds: Vec<String> = self.next_actions.iter().map(|a| code_of(&a.kind)).collect();
        format!(
            "BackToBack(order_id={}, binding={binding}, supplier_route={}, uncovered={uncovered}, next_actions={})",
            py_str(&self.customer.order_id),
            py_str(&code_of(&self.supplier_route.state)),
            format!("{kinds:?}").replace('"', "'")
        )
    }
}

macro_rules! generic_reprs {
    ($($t:ty),*) => {$( impl Repr for $t {} )*};
}
generic_reprs!(
    eligibility::Window,
    eligibility::Action,
    StepView,
    SupplierSide,
    SupplierRoute,
    Gap,
    FilingWindowAnswer,
    ResolvedReason,
    Evidence,
    EvidenceRef,
    Signature,
    Exposure,
    FeeLine,
    Missing,
    SellerAction,
    Suggestions,
    Suggestion,
    Checklist,
    EvidenceNeed,
    ClaimCheck,
    ClaimInterop,
    CardCategory,
    Prediction,
    Outcome,
    OpenApiOutcome,
    Factor,
    Report,
    AllowedAnswer,
    Deadline,
    Allowed,
    ClaimRequest,
    Refund,
    CatalogueEntry,
    Interop
);

// ---------------------------------------------------------------------------
// The classes.
// ---------------------------------------------------------------------------

macro_rules! fpath {
    ($v:expr, $f:ident) => {
        $v.$f
    };
    ($v:expr, $f:ident, $($p:ident).+) => {
        $v.$($p).+
    };
}

/// Defines a result class wrapping an answer value of type `$ty`, with one
/// getter per listed field (`name` or `name = path.in.value`), the common
/// methods, and `extra` methods.
macro_rules! answer_class {
    (
        $(#[doc = $doc:literal])*
        $cls:ident($ty:ty) as $pyname:literal {
            $( $(#[doc = $fdoc:literal])* $field:ident $(= $($path:ident).+)? ; )*
        }
        $( extra { $($extra:tt)* } )?
    ) => {
        $(#[doc = $doc])*
        #[pyclass(frozen, module = "dispute_rules", name = $pyname)]
        pub struct $cls {
            pub v: $ty,
            pub origin: Origin,
        }

        impl $cls {
            /// Wraps a value with its origin.
            pub fn wrap<'py>(py: Python<'py>, v: $ty, origin: Origin) -> PyResult<Bound<'py, PyAny>> {
                Ok(Bound::new(py, $cls { v, origin })?.into_any())
            }
        }

        impl ToPy for $ty {
            fn to_py<'py>(&self, ctx: &Ctx<'_, 'py>) -> PyResult<Bound<'py, PyAny>> {
                $cls::wrap(ctx.py(), self.clone(), ctx.origin())
            }
        }

        #[pymethods]
        impl $cls {
            $(
                $(#[doc = $fdoc])*
                #[getter]
                fn $field<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
                    let this = slf.get();
                    ToPy::to_py(
                        &fpath!(this.v, $field $(, $($path).+)?),
                        &Ctx::new(slf.as_any(), stringify!($field)),
                    )
                }
            )*

            fn __repr__(&self) -> String {
                Repr::repr(&self.v, $pyname)
            }

            fn __richcmp__(&self, other: &Bound<'_, PyAny>, op: CompareOp) -> Py<PyAny> {
                let py = other.py();
                match (op, other.cast::<$cls>()) {
                    (CompareOp::Eq | CompareOp::Ne, Ok(o)) => {
                        let same = same_json(&self.v, &o.get().v);
                        let r = if matches!(op, CompareOp::Eq) { same } else { !same };
                        r.into_pyobject(py)
                            .map(|b| b.to_owned().into_any().unbind())
                            .unwrap_or_else(|_| py.NotImplemented())
                    }
                    _ => py.NotImplemented(),
                }
            }

            /// The engine's JSON answer as Python data (dicts, lists, str,
            /// int, bool, None: instants and amounts as strings).
            fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
                crate::ser::to_py(py, &self.v)
            }

            /// The engine's JSON answer as text (exactly as `call_json`
            /// writes it inside its envelope).
            fn to_json(&self) -> String {
                serde_json::to_string(&self.v).unwrap_or_default()
            }

            fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyTuple>)> {
                self.origin.reduce(py)
            }

            fn __copy__(slf: &Bound<'_, Self>) -> Py<Self> {
                slf.clone().unbind()
            }

            fn __deepcopy__(slf: &Bound<'_, Self>, _memo: &Bound<'_, PyAny>) -> Py<Self> {
                slf.clone().unbind()
            }

            $($($extra)*)?
        }
    };
}

fn same_json<T: Serialize>(a: &T, b: &T) -> bool {
    match (serde_json::to_vec(a), serde_json::to_vec(b)) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}

answer_class! {
    /// Can a dispute be opened now (R-E1..R-E9), in what window, and what
    /// should the buyer do next.
    PyEligibility(Eligibility) as "Eligibility" {
        /// Where the line stands.
        status;
        /// R-E9: why a dispute cannot be opened now (None when eligible).
        code;
        /// The dispute window `[opens_at, closes_at)`, when the line shipped.
        window;
        /// When purchase protection ends.
        protection_end;
        /// The rules that decided (ids such as `R-E1`).
        rules;
        /// What the buyer should do next.
        next_actions;
        /// Plain-English steps (only with `explain=True`).
        explanation;
    }
    extra {
        /// Whether a dispute can be opened now.
        #[getter]
        fn is_eligible(&self) -> bool {
            self.v.status == Status::Eligible
        }
    }
}

answer_class! {
    /// The dispute window: `[opens_at, closes_at)` (C-1).
    PyWindow(eligibility::Window) as "Window" {
        /// When a dispute can first be opened.
        opens_at;
        /// When the window closes (excluded).
        closes_at;
    }
    extra {
        /// Whether an instant (aware datetime, RFC 3339 string or Moment)
        /// lies in the window.
        fn contains(&self, py: Python<'_>, instant: &Bound<'_, PyAny>) -> PyResult<bool> {
            let t = crate::values::instant(instant, "instant").map_err(|e| crate::errors::raise(py, &e))?;
            Ok(self.v.opens_at.utc <= t && t < self.v.closes_at.utc)
        }
    }
}

answer_class! {
    /// A next action for the buyer, with its time limits.
    PyAction(eligibility::Action) as "Action" {
        /// What to do.
        kind;
        /// Not before this moment.
        from_ = from;
        /// Not after this moment.
        deadline;
        /// The rule behind it.
        rule;
        /// What to do, in plain English.
        text;
    }
}

answer_class! {
    /// One plain-English explanation step and the rule it applies.
    PyStep(StepView) as "Step" {
        /// The rule applied.
        rule;
        /// What it said here.
        text;
    }
}

answer_class! {
    /// Every date that matters for the line, earliest first.
    PyTimeline(Timeline) as "Timeline" {
        /// The dates, earliest first.
        entries;
        /// The rules behind them.
        rules;
        /// Plain-English steps (only with `explain=True`).
        explanation;
    }
    extra {
        fn __len__(&self) -> usize {
            self.v.entries.len()
        }

        fn __getitem__<'py>(slf: &Bound<'py, Self>, index: isize) -> PyResult<Bound<'py, PyAny>> {
            let n = slf.get().v.entries.len();
            let i = if index < 0 { index + n as isize } else { index };
            let entry = usize::try_from(i).ok().and_then(|i| slf.get().v.entries.get(i).map(|e| (i, e)));
            match entry {
                Some((i, e)) => e.to_py(&Ctx::new(slf.as_any(), "entries").at(i)),
                None => Err(pyo3::exceptions::PyIndexError::new_err(format!("timeline index {index} out of range"))),
            }
        }

        fn __iter__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
            Ok(Self::entries(slf)?.try_iter()?.into_any())
        }

        /// The first entry of a milestone, if any.
        fn get<'py>(slf: &Bound<'py, Self>, milestone: &str) -> PyResult<Bound<'py, PyAny>> {
            let found = slf.get().v.entries.iter().position(|e| e.milestone.as_str() == milestone);
            match found {
                Some(i) => slf.get().v.entries[i].to_py(&Ctx::new(slf.as_any(), "entries").at(i)),
                None => Ok(slf.py().None().into_bound(slf.py())),
            }
        }

        /// The next date that has not passed, if any.
        fn upcoming<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
            match slf.get().v.entries.iter().position(|e| !e.passed) {
                Some(i) => slf.get().v.entries[i].to_py(&Ctx::new(slf.as_any(), "entries").at(i)),
                None => Ok(slf.py().None().into_bound(slf.py())),
            }
        }
    }
}

answer_class! {
    /// One date of the timeline.
    PyEntry(Entry) as "Entry" {
        /// What the date is.
        milestone;
        /// The instant.
        at;
        /// The rule behind it.
        rule;
        /// Whether it is not after `now`.
        passed;
        /// What to do before it, in plain English.
        before;
    }
}

answer_class! {
    /// Eligibility and timeline of one line together, with its ids: the
    /// lean scan of `batch` (`op="eligibility_timeline"`, the default).
    EligibilityTimeline(api::Assessment) as "EligibilityTimeline" {
        /// The order id.
        order_id;
        /// The line id.
        line_id;
        /// Can a dispute be opened now.
        eligibility;
        /// Every date that matters.
        timeline;
    }
    extra {
        /// The eligibility status.
        #[getter]
        fn status<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
            slf.get().v.eligibility.status.to_py(&Ctx::new(slf.as_any(), "status"))
        }
    }
}

answer_class! {
    /// Everything about one line at once (the `assess` operation):
    /// eligibility and timeline, the fitting `reasons`, the evidence
    /// `checklist`, the `claim` check (when a claim was given) and the
    /// likely outcome (`prediction`). A part that failed (a bad claim, say)
    /// is its `DisputeRulesError`, not raised: the rest still stands.
    Assessment(FullAssessment) as "Assessment" {
        /// The order id.
        order_id = assessment.order_id;
        /// The line id.
        line_id = assessment.line_id;
        /// Can a dispute be opened now.
        eligibility = assessment.eligibility;
        /// Every date that matters.
        timeline = assessment.timeline;
        /// The fitting reasons, best first.
        reasons;
        /// The evidence checklist of the claim's reason, else of the best
        /// suggestion (None when no reason fits).
        checklist;
        /// The claim check, when a claim was given.
        claim;
        /// The likely outcome.
        prediction;
    }
    extra {
        /// The eligibility status.
        #[getter]
        fn status<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
            slf.get().v.assessment.eligibility.status.to_py(&Ctx::new(slf.as_any(), "status"))
        }
    }
}

answer_class! {
    /// The reasons that fit the facts and the buyer's report, best first
    /// (R-R1..R-R15).
    PySuggestions(Suggestions) as "Suggestions" {
        /// Whether the goods arrived (as reported, else inferred).
        received;
        /// Whether `received` was inferred from the facts.
        received_inferred;
        /// The fitting reasons, best first.
        reasons;
        /// Every rule applied.
        rules;
        /// Plain-English steps (only with `explain=True`).
        explanation;
    }
}

answer_class! {
    /// One fitting reason.
    PySuggestion(Suggestion) as "Suggestion" {
        /// The reason.
        reason;
        /// Received or not received.
        group;
        /// How well it fits, 1..100 (a ranking weight).
        score;
        /// Why it fits, in plain English.
        why;
        /// The policy's preferred solution (R-S1).
        solution;
        /// The rules behind it.
        rules;
    }
}

answer_class! {
    /// The evidence a reason needs (R-V1, R-V2) and what the attachments
    /// cover.
    PyChecklist(Checklist) as "Checklist" {
        /// The reason.
        reason;
        /// The needs the attachments cover.
        present;
        /// The needs not covered yet.
        missing;
        /// The most helpful evidence to add, if any.
        most_helpful;
        /// What it is, in plain English.
        most_helpful_text;
        /// How complete the evidence is, in percent.
        score_percent;
        /// Indexes of attachments that cover no need.
        unrelated;
        /// The rules behind it.
        rules;
        /// Plain-English steps (only with `explain=True`).
        explanation;
    }
}

answer_class! {
    /// One piece of evidence a reason needs: any of `shows`, weighted.
    PyEvidenceNeed(EvidenceNeed) as "EvidenceNeed" {
        /// The kinds of evidence that satisfy it (any one).
        shows;
        /// Its weight in the checklist score.
        weight;
    }
}

answer_class! {
    /// A checked claim (C-4, R-S1..R-S3, R-V2): what it asks and what it
    /// gets.
    PyClaimCheck(ClaimCheck) as "ClaimCheck" {
        /// The reason.
        reason;
        /// Received or not received.
        group;
        /// The solution asked for.
        solution;
        /// The refund asked for.
        refund;
        /// Full or partial.
        refund_type;
        /// The full refund (C-4 cap).
        full_amount;
        /// Whether the goods go back.
        return_goods;
        /// Who pays for the return (R-S2), with a return.
        return_shipping_payer;
        /// When the refund is paid out.
        refund_released;
        /// Whether the seller is at fault.
        seller_at_fault;
        /// The value of the missing units (quantity shortage).
        missing_units_value;
        /// The evidence checklist of the claim.
        checklist;
        /// Card-network and open-API codes.
        interop;
        /// The rules behind it.
        rules;
        /// Plain-English steps (only with `explain=True`).
        explanation;
    }
}

answer_class! {
    /// A claim's codes in the open API and the card networks.
    PyClaimInterop(ClaimInterop) as "ClaimInterop" {
        /// `issueRefundType`.
        open_api_issue_refund_type;
        /// `isReturnGoods`.
        open_api_is_return_goods;
        /// PayPal's dispute reason.
        paypal;
        /// Visa's category.
        visa;
        /// Mastercard's category.
        mastercard;
    }
}

answer_class! {
    /// A card network's dispute category.
    PyCardCategory(CardCategory) as "CardCategory" {
        /// The category code.
        code;
        /// Its name.
        name;
    }
}

answer_class! {
    /// The likely outcome of a dispute (R-O1..R-O6).
    PyPrediction(Prediction) as "Prediction" {
        /// The reason predicted for.
        reason;
        /// Whether the reason was inferred (no claim given).
        reason_inferred;
        /// The outcome the claim asks for.
        requested;
        /// The most likely outcome.
        likely;
        /// Every outcome, most likely first.
        outcomes;
        /// How sure.
        confidence;
        /// The lead of the likeliest outcome, in points of percent.
        margin_percent;
        /// The buyer's odds of getting money back, in percent.
        buyer_odds_percent;
        /// The refund cap (C-4).
        cap;
        /// How complete the evidence is, in percent.
        evidence_score_percent;
        /// Whether the dispute is (or would be) filed in time.
        timeliness;
        /// R-E9: why a dispute cannot be opened now, if so.
        eligibility_code;
        /// Compensation the platform may add, up to this amount.
        compensation_up_to;
        /// What moved the prediction.
        factors;
        /// The rules behind it.
        rules;
        /// Plain-English steps (only with `explain=True`).
        explanation;
    }
}

answer_class! {
    /// One possible outcome, with its likelihood.
    PyOutcome(Outcome) as "Outcome" {
        /// What happens.
        kind;
        /// Likelihood in percent.
        likelihood_percent;
        /// The refund.
        refund;
        /// Whether the goods go back first.
        return_goods;
        /// Who pays for the return (R-S2).
        return_shipping_payer;
        /// Whether the outcome is possible here at all.
        possible;
        /// Its total points.
        points;
        /// The rule that describes it.
        rule;
        /// The open API's fields.
        open_api;
    }
}

answer_class! {
    /// The open API's fields for an outcome.
    PyOpenApiOutcome(OpenApiOutcome) as "OpenApiOutcome" {}
    extra {
        /// `issueRefundType`.
        #[getter]
        fn issue_refund_type(&self) -> &'static str {
            self.v.issue_refund_type()
        }

        /// `isReturnGoods` (`Y` or `N`).
        #[getter]
        fn is_return_goods(&self) -> &'static str {
            self.v.is_return_goods()
        }
    }
}

answer_class! {
    /// One fact that moved the prediction.
    PyFactor(Factor) as "Factor" {
        /// Its stable code (like `tracking.delivered_no_proof`).
        id;
        /// The rule behind it.
        rule;
        /// The points it added to each outcome.
        points;
        /// Whether it decided the outcome on its own.
        decisive;
        /// What it means (only with `explain=True`).
        text;
    }
}

answer_class! {
    /// A lifecycle answer: the `dispute` (pass it to the next call) and
    /// where it stands (R-L1..R-L7).
    DisputeReport(Report) as "DisputeReport" {
        /// The dispute, to pass to the next lifecycle call.
        dispute;
        /// The open API's status, if any.
        api_status = summary.api_status;
        /// Whether no event can change it any more.
        terminal = summary.terminal;
        /// When it entered its state.
        entered_at = summary.entered_at;
        /// The next deadline, if any.
        next_deadline = summary.next_deadline;
        /// What each actor may do now.
        allowed = summary.allowed;
        /// The claim as it stands.
        claim = summary.claim;
        /// Appeals made.
        appeals = summary.appeals;
        /// Reopens made.
        reopens = summary.reopens;
        /// The refund, once one is due.
        refund = summary.refund;
        /// Whether a chargeback is possible (R-L7).
        chargeback_possible = summary.chargeback_possible;
        /// The rules behind it.
        rules = summary.rules;
        /// Plain-English steps (only with `explain=True`).
        explanation = summary.explanation;
        /// For `lifecycle_advance`: how many timeouts were applied.
        timeouts_applied;
    }
    extra {
        /// The dispute's state.
        #[getter]
        fn state<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
            dispute_state(py, self.v.summary.state)
        }
    }
}

answer_class! {
    /// What one actor may do on a dispute now (`lifecycle_allowed`).
    AllowedActions(AllowedAnswer) as "AllowedActions" {
        /// The actor asked about.
        actor;
        /// The moment asked about.
        now;
        /// The kinds of event the actor may make now.
        allowed;
        /// The next deadline.
        next_deadline;
        /// The rules behind it.
        rules;
    }
    extra {
        /// The dispute's state.
        #[getter]
        fn state<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
            dispute_state(py, self.v.state)
        }
    }
}

answer_class! {
    /// A lifecycle deadline.
    PyDeadline(Deadline) as "Deadline" {
        /// When.
        at;
        /// What ends.
        kind;
        /// Whether the engine applies it itself (`lifecycle_advance`).
        automatic;
        /// What happens then.
        effect;
        /// The rule behind it.
        rule;
    }
}

answer_class! {
    /// What each actor may do now.
    PyAllowed(Allowed) as "Allowed" {
        /// The buyer's possible events.
        buyer;
        /// The seller's.
        seller;
        /// The platform's.
        platform;
        /// The clock's (timeouts).
        clock;
    }
}

answer_class! {
    /// A dispute's claim: reason, solution and amount.
    PyClaimRequest(ClaimRequest) as "ClaimRequest" {
        /// The reason.
        reason;
        /// The solution.
        solution;
        /// The refund asked for.
        refund;
    }
}

answer_class! {
    /// A refund due (R-L6).
    PyRefund(Refund) as "Refund" {
        /// How much.
        amount;
        /// Where it goes.
        destination;
        /// By when.
        due_by;
        /// In business days.
        business_days;
    }
}

answer_class! {
    /// One reason of the catalogue (R-R1..R-R15) under a policy.
    PyCatalogueEntry(CatalogueEntry) as "CatalogueEntry" {
        /// The reason.
        reason;
        /// Its stable number.
        number;
        /// Received or not received.
        group;
        /// Its label.
        label;
        /// Its rule.
        rule;
        /// The solutions it allows (R-S1).
        solutions;
        /// Whether a partial refund may be asked.
        partial_refund;
        /// Who pays for a return (R-S2).
        return_shipping_payer;
        /// Whether the seller is at fault.
        seller_at_fault;
        /// The evidence it needs (R-V1).
        evidence;
        /// Card-network codes.
        interop;
    }
}

answer_class! {
    /// A reason's codes in PayPal and the card networks.
    PyInterop(Interop) as "Interop" {
        /// The reason.
        reason;
        /// PayPal's dispute reason.
        paypal;
        /// Visa's category.
        visa;
        /// Mastercard's category.
        mastercard;
    }
}

// ---------------------------------------------------------------------------
// The selling side: the seller's timeline and the back-to-back assessment.
// ---------------------------------------------------------------------------

answer_class! {
    /// The seller's timeline for one customer order and, when given, its
    /// dispute on PayPal, eBay, Amazon or a card (Stripe, Shopify
    /// Payments): every deadline with its rule id, UTC and local instants,
    /// where it comes from (the platform's own instant always wins, BB-4;
    /// computed ones say how sure they are), and what to do.
    PySellerTimeline(SellerTimeline) as "SellerTimeline" {
        /// The customer's order id.
        order_id;
        /// Where the customer paid.
        platform;
        /// The id of the selling policy used.
        policy;
        /// The dispute's stage, when a dispute was given.
        stage;
        /// The dispute's reason, resolved (family, supplier reasons, rule).
        reason;
        /// The customer's filing windows.
        windows;
        /// Every date, earliest first.
        entries;
        /// The seller's response deadline, when there is one.
        response_due;
        /// When the platform may decide: its expected decision, else the
        /// response deadline.
        decision_at;
        /// The first deadline the seller must meet that has not passed
        /// (BB-3).
        next_deadline;
        /// The evidence that protects the seller.
        evidence;
        /// What losing would cost (the amount plus fees).
        exposure;
        /// Facts that would change the answer, missing from the input.
        missing;
        /// What to do next, soonest deadline first.
        next_actions;
        /// Every rule applied.
        rules;
        /// Plain-English steps (only with `explain=True`).
        explanation;
    }
    extra {
        fn __len__(&self) -> usize {
            self.v.entries.len()
        }

        fn __iter__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
            Ok(Self::entries(slf)?.try_iter()?.into_any())
        }

        /// The first entry of a milestone, if any.
        fn get<'py>(slf: &Bound<'py, Self>, milestone: &str) -> PyResult<Bound<'py, PyAny>> {
            let found = slf.get().v.entries.iter().position(|e| e.milestone.as_str() == milestone);
            match found {
                Some(i) => slf.get().v.entries[i].to_py(&Ctx::new(slf.as_any(), "entries").at(i)),
                None => Ok(slf.py().None().into_bound(slf.py())),
            }
        }
    }
}

answer_class! {
    /// One date of the seller's timeline.
    PySellerEntry(SellerEntry) as "SellerEntry" {
        /// What it is.
        milestone;
        /// When, in UTC and local time.
        at;
        /// The rule that sets it.
        rule;
        /// Where the instant comes from: a fact, the platform's own instant
        /// (BB-4) or computed from the policy.
        origin;
        /// For a computed instant: the grade of the value's source.
        grade;
        /// For a computed instant: how sure the value is.
        confidence;
        /// Whether the seller must act before it (BB-3).
        binds_seller;
        /// Whether `now` is at or past it.
        passed;
        /// What to do before it.
        before;
    }
}

answer_class! {
    /// The window in which the customer can open a dispute of one family.
    PyFilingWindow(FilingWindowAnswer) as "FilingWindow" {
        /// The family of disputes.
        family;
        /// The card network, when it chose the window.
        network;
        /// The first instant a dispute can be opened (None: from the
        /// payment on, or unknown).
        opens_at;
        /// The first instant it can no longer be opened (None: unknown
        /// without a needed date).
        closes_at;
        /// The rule of the end used.
        closes_rule;
        /// How sure the end is.
        confidence;
        /// Whether a dispute of this family can be opened now.
        open_now;
        /// For the customer's dispute: whether it was opened in the window.
        filed_in_window;
    }
}

answer_class! {
    /// The customer's dispute reason, resolved against the selling policy.
    PyCustomerReason(ResolvedReason) as "CustomerReason" {
        /// The platform's code.
        code;
        /// The card network's code, when given.
        network_reason_code;
        /// The family.
        family;
        /// The supplier-side reasons it can become, best default first.
        supplier_reasons;
        /// The rule of the mapping used.
        rule;
    }
}

answer_class! {
    /// The evidence that protects the seller in the customer's dispute.
    PySellerEvidence(Evidence) as "SellerEvidence" {
        /// What to provide.
        items;
        /// Not received: whether a signature is needed at this order value.
        signature;
        /// Whether the platform's seller protection covers this family
        /// (None: the platform has none).
        seller_protection;
    }
}

answer_class! {
    /// One piece of evidence for the customer's dispute.
    PyEvidenceItem(EvidenceRef) as "EvidenceItem" {
        /// Its stable id.
        id;
        /// What to provide.
        text;
        /// The platform's API name, when it has one.
        api_name;
        /// The rule.
        rule;
    }
}

answer_class! {
    /// Whether a delivery signature is needed (P-V1, B-V1).
    PySignature(Signature) as "Signature" {
        /// True or False; None when the policy has no threshold in the
        /// order's currency.
        required;
        /// The threshold used.
        threshold;
        /// Its rule.
        rule;
    }
}

answer_class! {
    /// What the seller stands to lose on the customer's side.
    PyExposure(Exposure) as "Exposure" {
        /// The order's amount.
        amount;
        /// The fees that apply (in the order's currency; none converted).
        fees;
        /// The amount plus the fees charged when contested and lost.
        total_if_lost;
        /// The policy has fees here, but none in the order's currency or
        /// the seller's country.
        fees_unknown;
        /// What losing costs, in words.
        loss;
        /// The rules behind the figures.
        rules;
    }
}

answer_class! {
    /// One fee in the exposure.
    PyFeeLine(FeeLine) as "FeeLine" {
        /// Its kind.
        kind;
        /// Its tier, when tiered.
        tier;
        /// The amount.
        amount;
        /// When it is charged.
        charged;
        /// Whether it comes back on a win.
        returned_on_win;
        /// Waived here by a fact the engine can check.
        waived;
        /// What else would waive it.
        waived_if;
        /// The rule of the amount.
        rule;
        /// How sure the amount is.
        confidence;
    }
}

answer_class! {
    /// A fact that would change the answer, missing from the input.
    PyMissingFact(Missing) as "MissingFact" {
        /// The input field (`customer_order.expected_delivery`, ...).
        field;
        /// The rule that needs it.
        rule;
        /// What its absence does.
        effect;
    }
}

answer_class! {
    /// A next action on the customer's side.
    PySellerAction(SellerAction) as "SellerAction" {
        /// What to do.
        kind;
        /// Before this moment.
        deadline;
        /// The rules that call for it.
        rules;
        /// What to do, in plain English.
        text;
    }
}

answer_class! {
    /// Back to back: the customer's dispute against the seller beside the
    /// seller's own supplier dispute (AliExpress) for the same goods: the
    /// deadline that binds first (BB-3), where the supplier route stands,
    /// the exposure gap (BB-2), what is uncovered, and the next actions of
    /// both sides in order, each with its rule ids.
    PyBackToBack(BackToBack) as "BackToBack" {
        /// The customer side: the seller's timeline.
        customer;
        /// The supplier side: the engine's eligibility and timeline.
        supplier;
        /// Every date of both sides, earliest first.
        deadlines;
        /// BB-3: the first deadline the seller must meet that has not
        /// passed (None: none left).
        binding;
        /// Where the supplier route stands.
        supplier_route;
        /// BB-2: the gap between the customer's and the supplier's windows.
        gap;
        /// What the seller cannot recover from the supplier if the customer
        /// wins, when the supplier route is closed or does not apply.
        uncovered;
        /// What to do next, soonest deadline first.
        next_actions;
        /// Every rule applied, both sides (supplier ids first).
        rules;
        /// Plain-English steps (only with `explain=True`).
        explanation;
    }
}

answer_class! {
    /// The supplier side of a back-to-back, as the engine answers it.
    PySupplierSide(SupplierSide) as "SupplierSide" {
        /// Can a supplier dispute be opened.
        eligibility;
        /// Every supplier date.
        timeline;
    }
}

answer_class! {
    /// One date of either side of a back-to-back.
    PyBackToBackDeadline(backtoback::Deadline) as "BackToBackDeadline" {
        /// Which side it belongs to.
        side;
        /// When, in UTC and in the display zone.
        at;
        /// The rule that sets it.
        rule;
        /// Where the instant comes from.
        origin;
        /// For a computed customer-side instant: how sure it is.
        confidence;
        /// Whether the seller must act before it (BB-3).
        binds_seller;
        /// Whether `now` is at or past it.
        passed;
        /// What to do before it.
        before;
    }
    extra {
        /// What it is: a `Milestone` of the supplier side or a
        /// `SellerMilestone` of the customer side.
        #[getter]
        fn milestone<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
            static SUPPLIER: PyEnum = PyEnum::new("Milestone");
            static CUSTOMER: PyEnum = PyEnum::new("SellerMilestone");
            match self.v.side {
                Side::Supplier => SUPPLIER.member(py, self.v.milestone),
                Side::Customer => CUSTOMER.member(py, self.v.milestone),
            }
        }
    }
}

answer_class! {
    /// Where the supplier route stands for the customer's problem.
    PySupplierRoute(SupplierRoute) as "SupplierRoute" {
        /// Open, not yet open, closed, ...
        state;
        /// The supplier side's R-E9 code, when not eligible.
        code;
        /// When the supplier window opens.
        opens_at;
        /// When it closes.
        closes_at;
        /// When the customer's platform may decide.
        customer_decision_at;
        /// Whether the supplier window closes before that (None when
        /// either is unknown or the route is not open).
        closes_before_customer_decision;
        /// The supplier-side reason to open with (R-R1..R-R15).
        reason;
        /// The rules behind the answer.
        rules;
    }
}

answer_class! {
    /// BB-2: how long after the supplier route closes a customer can still
    /// file.
    PyGap(Gap) as "Gap" {
        /// The customer's last filing instant.
        customer_last_filing;
        /// The supplier's last dispute instant.
        supplier_last_dispute;
        /// The difference, in seconds.
        seconds;
        /// The same in whole days, rounded toward zero.
        days;
        /// Whether a customer dispute can arrive after the supplier route
        /// closed.
        customer_can_file_after_supplier_closes;
    }
}

answer_class! {
    /// A next action of a back-to-back, on either side, with its time
    /// limits and the rules that call for it.
    PyBackToBackAction(backtoback::Action) as "BackToBackAction" {
        /// The side it acts on.
        side;
        /// What to do.
        kind;
        /// Not before this moment.
        from_ = from;
        /// Before this moment.
        deadline;
        /// The supplier-side reason to use, for a supplier dispute.
        supplier_reason;
        /// The rules that call for it.
        rules;
        /// What to do, in plain English.
        text;
    }
}

// ---------------------------------------------------------------------------
// Value classes of the lifecycle and policy (pickled as themselves).
// ---------------------------------------------------------------------------

/// A dispute (R-L1..R-L7): its terms and whole history. Pass it (or the
/// lifecycle answer holding it) to the next lifecycle call.
#[pyclass(frozen, module = "dispute_rules", name = "Dispute")]
pub struct PyDispute {
    pub v: Dispute,
}

impl ToPy for Dispute {
    fn to_py<'py>(&self, ctx: &Ctx<'_, 'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(Bound::new(ctx.py(), PyDispute { v: self.clone() })?.into_any())
    }
}

#[pymethods]
impl PyDispute {
    /// The dispute's state.
    #[getter]
    fn state<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        dispute_state(py, self.v.state().name())
    }

    /// The number of events in its history.
    fn __len__(&self) -> usize {
        self.v.history().len()
    }

    /// The engine's JSON form (history and terms) as Python data.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        crate::ser::to_py(py, &self.v)
    }

    /// The engine's JSON form as text.
    fn to_json(&self) -> String {
        self.v.to_json()
    }

    fn __repr__(&self) -> String {
        format!(
            "Dispute(state={}, events={})",
            py_str(self.v.state().name()),
            self.v.history().len()
        )
    }

    fn __richcmp__(&self, other: &Bound<'_, PyAny>, op: CompareOp) -> Py<PyAny> {
        let py = other.py();
        match (op, other.cast::<PyDispute>()) {
            (CompareOp::Eq | CompareOp::Ne, Ok(o)) => {
                let same = self.v == o.get().v;
                let r = if matches!(op, CompareOp::Eq) {
                    same
                } else {
                    !same
                };
                r.into_pyobject(py)
                    .map(|b| b.to_owned().into_any().unbind())
                    .unwrap_or_else(|_| py.NotImplemented())
            }
            _ => py.NotImplemented(),
        }
    }

    fn __reduce__<'py>(
        &self,
        py: Python<'py>,
    ) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyTuple>)> {
        let module = py.import("dispute_rules._dispute_rules")?;
        Ok((
            module.getattr("_dispute")?,
            (self.v.to_json(),).into_pyobject(py)?,
        ))
    }

    fn __copy__(slf: &Bound<'_, Self>) -> Py<Self> {
        slf.clone().unbind()
    }

    fn __deepcopy__(slf: &Bound<'_, Self>, _memo: &Bound<'_, PyAny>) -> Py<Self> {
        slf.clone().unbind()
    }
}

/// A loaded, validated policy: every number and contested choice of the
/// rules. Pass it as `policy=` to any call: it is parsed and validated once,
/// not per call. See `load_policy`.
#[pyclass(frozen, module = "dispute_rules", name = "Policy")]
pub struct PyPolicy {
    pub v: Arc<Policy>,
}

#[pymethods]
impl PyPolicy {
    /// Its id (`aliexpress`, ...).
    #[getter]
    fn id(&self) -> &str {
        &self.v.id
    }

    /// What it is and where its values come from.
    #[getter]
    fn description(&self) -> &str {
        &self.v.description
    }

    /// C-1: the marketplace's IANA time zone.
    #[getter]
    fn time_zone(&self) -> &'static str {
        self.v.time_zone.name()
    }

    /// C-1: how a duration of N days ends (`same_wall_clock` or
    /// `end_of_local_day`).
    #[getter]
    fn day_counting(&self) -> String {
        code_of(&self.v.day_counting)
    }

    /// A section of the policy (`"eligibility"`, `"lifecycle"`, ...) as
    /// JSON data (a copy).
    fn __getitem__<'py>(&self, py: Python<'py>, section: &str) -> PyResult<Bound<'py, PyAny>> {
        let d = crate::ser::to_py(py, &*self.v)?;
        d.get_item(section)
    }

    /// The policy as JSON data.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        crate::ser::to_py(py, &*self.v)
    }

    /// The policy as JSON text (loads back to an equal policy; the
    /// engine's `policy` answer).
    fn to_json(&self) -> String {
        serde_json::to_string(&*self.v).unwrap_or_default()
    }

    fn __repr__(&self) -> String {
        format!(
            "Policy(id={}, time_zone={})",
            py_str(&self.v.id),
            py_str(self.v.time_zone.name())
        )
    }

    fn __richcmp__(&self, other: &Bound<'_, PyAny>, op: CompareOp) -> Py<PyAny> {
        let py = other.py();
        match (op, other.cast::<PyPolicy>()) {
            (CompareOp::Eq | CompareOp::Ne, Ok(o)) => {
                let same = *self.v == *o.get().v;
                let r = if matches!(op, CompareOp::Eq) {
                    same
                } else {
                    !same
                };
                r.into_pyobject(py)
                    .map(|b| b.to_owned().into_any().unbind())
                    .unwrap_or_else(|_| py.NotImplemented())
            }
            _ => py.NotImplemented(),
        }
    }

    fn __reduce__<'py>(
        &self,
        py: Python<'py>,
    ) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyTuple>)> {
        let module = py.import("dispute_rules._dispute_rules")?;
        Ok((
            module.getattr("load_policy")?,
            (self.to_json(),).into_pyobject(py)?,
        ))
    }

    fn __copy__(slf: &Bound<'_, Self>) -> Py<Self> {
        slf.clone().unbind()
    }

    fn __deepcopy__(slf: &Bound<'_, Self>, _memo: &Bound<'_, PyAny>) -> Py<Self> {
        slf.clone().unbind()
    }
}

/// A loaded, validated selling policy: the rules of the platform where the
/// customer paid (PayPal, eBay, Amazon, Stripe, Shopify Payments), every
/// value with its rule id, source grade and confidence. Pass it as
/// `selling_policy=` to `seller_timeline` and `back_to_back`: it is parsed
/// and validated once, not per call. See `load_selling_policy`.
#[pyclass(frozen, module = "dispute_rules", name = "SellingPolicy")]
pub struct PySellingPolicy {
    pub v: Arc<SellingPolicy>,
}

#[pymethods]
impl PySellingPolicy {
    /// Its id (`paypal`, ...).
    #[getter]
    fn id(&self) -> &str {
        &self.v.id
    }

    /// The platform it is for.
    #[getter]
    fn platform<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        slf.get()
            .v
            .platform
            .to_py(&Ctx::new(slf.as_any(), "platform"))
    }

    /// What it is.
    #[getter]
    fn description(&self) -> &str {
        &self.v.description
    }

    /// BB-5: the IANA zone of the platform's day counts.
    #[getter]
    fn time_zone(&self) -> &'static str {
        self.v.time_zone.name.name()
    }

    /// A section of the policy (`"windows"`, `"stages"`, `"fees"`, ...) as
    /// JSON data (a copy).
    fn __getitem__<'py>(&self, py: Python<'py>, section: &str) -> PyResult<Bound<'py, PyAny>> {
        let d = crate::ser::to_py(py, &*self.v)?;
        d.get_item(section)
    }

    /// The policy as JSON data.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        crate::ser::to_py(py, &*self.v)
    }

    /// The policy as JSON text (loads back to an equal policy; the
    /// engine's `selling_policy` answer).
    fn to_json(&self) -> String {
        serde_json::to_string(&*self.v).unwrap_or_default()
    }

    fn __repr__(&self) -> String {
        format!(
            "SellingPolicy(id={}, platform={})",
            py_str(&self.v.id),
            py_str(self.v.platform.code())
        )
    }

    fn __richcmp__(&self, other: &Bound<'_, PyAny>, op: CompareOp) -> Py<PyAny> {
        let py = other.py();
        match (op, other.cast::<PySellingPolicy>()) {
            (CompareOp::Eq | CompareOp::Ne, Ok(o)) => {
                let same = *self.v == *o.get().v;
                let r = if matches!(op, CompareOp::Eq) {
                    same
                } else {
                    !same
                };
                r.into_pyobject(py)
                    .map(|b| b.to_owned().into_any().unbind())
                    .unwrap_or_else(|_| py.NotImplemented())
            }
            _ => py.NotImplemented(),
        }
    }

    fn __reduce__<'py>(
        &self,
        py: Python<'py>,
    ) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyTuple>)> {
        let module = py.import("dispute_rules._dispute_rules")?;
        Ok((
            module.getattr("load_selling_policy")?,
            (self.to_json(),).into_pyobject(py)?,
        ))
    }

    fn __copy__(slf: &Bound<'_, Self>) -> Py<Self> {
        slf.clone().unbind()
    }

    fn __deepcopy__(slf: &Bound<'_, Self>, _memo: &Bound<'_, PyAny>) -> Py<Self> {
        slf.clone().unbind()
    }
}

// ---------------------------------------------------------------------------
// Answers to objects.
// ---------------------------------------------------------------------------

/// The result object of an answer.
pub fn answer_object<'py>(
    py: Python<'py>,
    op: Op,
    call: Arc<Call>,
    answer: Answer,
) -> PyResult<Bound<'py, PyAny>> {
    let origin = |i: Option<usize>| Origin::Call(op, call.clone(), i);
    match answer {
        Answer::Eligibility(v) => PyEligibility::wrap(py, v, origin(None)),
        Answer::Timeline(v) => PyTimeline::wrap(py, v, origin(None)),
        Answer::Assess(v) => Assessment::wrap(py, *v, origin(None)),
        Answer::EligibilityTimeline(v) => EligibilityTimeline::wrap(py, *v, origin(None)),
        Answer::Facts(v) => crate::ser::to_py(py, &*v),
        Answer::Policy(v) => Ok(Bound::new(py, PyPolicy { v })?.into_any()),
        Answer::Catalogue(v) => {
            let items: Vec<Bound<'py, PyAny>> = v
                .into_iter()
                .enumerate()
                .map(|(i, e)| PyCatalogueEntry::wrap(py, e, origin(Some(i))))
                .collect::<PyResult<_>>()?;
            Ok(pyo3::types::PyList::new(py, items)?.into_any())
        }
        Answer::Suggestions(v) => PySuggestions::wrap(py, v, origin(None)),
        Answer::ClaimCheck(v) => PyClaimCheck::wrap(py, *v, origin(None)),
        Answer::Checklist(v) => PyChecklist::wrap(py, v, origin(None)),
        Answer::Report(v) => DisputeReport::wrap(py, *v, origin(None)),
        Answer::Allowed(v) => AllowedActions::wrap(py, v, origin(None)),
        Answer::Prediction(v) => PyPrediction::wrap(py, *v, origin(None)),
        Answer::SellingPolicy(v) => Ok(Bound::new(py, PySellingPolicy { v })?.into_any()),
        Answer::SellerTimeline(v) => PySellerTimeline::wrap(py, *v, origin(None)),
        Answer::BackToBack(v) => PyBackToBack::wrap(py, *v, origin(None)),
    }
}

/// The JSON data of an answer (`call` with a mapping request).
pub fn answer_data<'py>(py: Python<'py>, answer: &Answer) -> PyResult<Bound<'py, PyAny>> {
    use crate::ser::to_py;
    match answer {
        Answer::Eligibility(v) => to_py(py, v),
        Answer::Timeline(v) => to_py(py, v),
        Answer::Assess(v) => to_py(py, &**v),
        Answer::EligibilityTimeline(v) => to_py(py, &**v),
        Answer::Facts(v) => to_py(py, &**v),
        Answer::Policy(v) => to_py(py, &**v),
        Answer::Catalogue(v) => to_py(py, v),
        Answer::Suggestions(v) => to_py(py, v),
        Answer::ClaimCheck(v) => to_py(py, &**v),
        Answer::Checklist(v) => to_py(py, v),
        Answer::Report(v) => to_py(py, &**v),
        Answer::Allowed(v) => to_py(py, v),
        Answer::Prediction(v) => to_py(py, &**v),
        Answer::SellingPolicy(v) => to_py(py, &**v),
        Answer::SellerTimeline(v) => to_py(py, &**v),
        Answer::BackToBack(v) => to_py(py, &**v),
    }
}

/// The answer's JSON text (as inside `call_json`'s envelope).
pub fn answer_json(answer: &Answer) -> String {
    let r = match answer {
        Answer::Eligibility(v) => serde_json::to_string(v),
        Answer::Timeline(v) => serde_json::to_string(v),
        Answer::Assess(v) => serde_json::to_string(&**v),
        Answer::EligibilityTimeline(v) => serde_json::to_string(&**v),
        Answer::Facts(v) => serde_json::to_string(&**v),
        Answer::Policy(v) => serde_json::to_string(&**v),
        Answer::Catalogue(v) => serde_json::to_string(v),
        Answer::Suggestions(v) => serde_json::to_string(v),
        Answer::ClaimCheck(v) => serde_json::to_string(&**v),
        Answer::Checklist(v) => serde_json::to_string(v),
        Answer::Report(v) => serde_json::to_string(&**v),
        Answer::Allowed(v) => serde_json::to_string(v),
        Answer::Prediction(v) => serde_json::to_string(&**v),
        Answer::SellingPolicy(v) => serde_json::to_string(&**v),
        Answer::SellerTimeline(v) => serde_json::to_string(&**v),
        Answer::BackToBack(v) => serde_json::to_string(&**v),
    };
    r.unwrap_or_default()
}
