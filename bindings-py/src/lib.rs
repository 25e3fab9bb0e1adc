//! The compiled part of the `dispute_rules` Python package.
//!
//! Every operation reads its Python arguments directly (dicts, aware
//! `datetime`, `Decimal`, `int`, `str`; see `de`), runs the engine's typed
//! functions and answers a frozen result class wrapping the engine's value
//! (see `answers`): no JSON text is made or parsed on the way. JSON text
//! (`str` or `bytes`) is accepted too and goes through the core's JSON
//! readers. Errors are the package's exceptions, naming the field as the
//! JSON layer does.
//!
//! Every engine call runs inside a panic boundary: a panic becomes an
//! `InternalError`, never a crash. Batches release the GIL.

mod answers;
mod batch;
mod call;
mod de;
mod errors;
mod ser;
mod table;
mod types;
mod values;

use call::{Op, Raw};
use errors::{field_error, guarded, Failure};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};
use std::sync::Arc;

/// Converts, runs and wraps one operation.
fn run<'py>(py: Python<'py>, op: Op, raw: &Raw<'py>) -> PyResult<Bound<'py, PyAny>> {
    let done = match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| raw.convert(op))) {
        Ok(Ok(call)) => guarded(|| call.run(op)).map(|a| (call, a)),
        Ok(Err(e)) => Err(Failure::Engine(e)),
        Err(p) => Err(Failure::Panic(errors::panic_text(p.as_ref()).to_owned())),
    };
    match done {
        Ok((call, answer)) => answers::answer_object(py, op, Arc::new(call), answer),
        Err(f) => Err(f.into_pyerr(py)),
    }
}

fn some<'py>(o: Option<&Bound<'py, PyAny>>) -> Option<Bound<'py, PyAny>> {
    o.filter(|o| !o.is_none()).cloned()
}

/// The lifecycle answer's error for a text that is not UTF-8-able.
fn envelope_error(field: &str, message: String) -> String {
    dispute_rules::api::answer::<()>(&Err(field_error(field, message)))
}

#[pymodule]
mod _dispute_rules {
    use super::*;

    #[pymodule_export]
    use super::answers::{
        AllowedActions, Assessment, DisputeReport, EligibilityTimeline, PyAction, PyAllowed,
        PyCardCategory, PyCatalogueEntry, PyChecklist, PyClaimCheck, PyClaimInterop,
        PyClaimRequest, PyDeadline, PyDispute, PyEligibility, PyEntry, PyEvidenceNeed, PyFactor,
        PyInterop, PyOpenApiOutcome, PyOutcome, PyPolicy, PyPrediction, PyRefund, PyStep,
        PySuggestion, PySuggestions, PyTimeline, PyWindow,
    };
    #[pymodule_export]
    use super::answers::{
        PyBackToBack, PyBackToBackAction, PyBackToBackDeadline, PyCustomerReason, PyEvidenceItem,
        PyExposure, PyFeeLine, PyFilingWindow, PyGap, PyMissingFact, PySellerAction, PySellerEntry,
        PySellerEvidence, PySellerTimeline, PySellingPolicy, PySignature, PySupplierRoute,
        PySupplierSide,
    };
    #[pymodule_export]
    use super::batch::BatchResult;
    #[pymodule_export]
    use super::values::{Moment, Money};

    /// The operations of `call` and `call_json`.
    #[pymodule_export]
    const OPERATIONS: &[&str] = dispute_rules::api::OPERATIONS;

    #[pymodule_init]
    fn init(m: &Bound<'_, PyModule>) -> PyResult<()> {
        let batch: Vec<&str> = crate::batch::BATCH_OPS.iter().map(|o| o.name()).collect();
        m.add("BATCH_OPERATIONS", batch)?;
        m.add("PRESETS", dispute_rules::Policy::PRESETS.to_vec())?;
        m.add(
            "SELLING_PRESETS",
            dispute_rules::selling::SellingPolicy::PRESETS.to_vec(),
        )?;
        m.add("MAX_DEPTH", de::MAX_DEPTH)?;
        crate::table::register(m)?;
        m.add("__version__", env!("CARGO_PKG_VERSION"))?;
        Ok(())
    }

    /// Can a dispute be opened at `now` (R-E1..R-E9)? Validates the facts.
    ///
    /// `facts`: a mapping (values may be `str`, `int`, `Decimal`, aware
    /// `datetime`, `Money`, str enums) or JSON text; `now`: an aware
    /// `datetime`, a `Moment` or an RFC 3339 string; `policy`: a `Policy`,
    /// a preset id, JSON text or a mapping (default `aliexpress`).
    #[pyfunction]
    #[pyo3(signature = (facts, now, *, policy=None, explain=None))]
    fn eligibility<'py>(
        py: Python<'py>,
        facts: &Bound<'py, PyAny>,
        now: &Bound<'py, PyAny>,
        policy: Option<&Bound<'py, PyAny>>,
        explain: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let raw = Raw {
            facts: Some(facts.clone()),
            now: Some(now.clone()),
            policy: some(policy),
            explain: some(explain),
            ..Raw::default()
        };
        run(py, Op::Eligibility, &raw)
    }

    /// Every date that matters for the line at `now` (C-1, R-E1..R-E5).
    #[pyfunction]
    #[pyo3(signature = (facts, now, *, policy=None, explain=None))]
    fn timeline<'py>(
        py: Python<'py>,
        facts: &Bound<'py, PyAny>,
        now: &Bound<'py, PyAny>,
        policy: Option<&Bound<'py, PyAny>>,
        explain: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let raw = Raw {
            facts: Some(facts.clone()),
            now: Some(now.clone()),
            policy: some(policy),
            explain: some(explain),
            ..Raw::default()
        };
        run(py, Op::Timeline, &raw)
    }

    /// Everything at once: eligibility and timeline (the facts validated
    /// once), reasons from the `report`, the evidence checklist, the
    /// `claim` check and the likely outcome (`seller`: what the seller did,
    /// a status such as `"silent"` or a mapping).
    #[pyfunction]
    #[pyo3(signature = (facts, now, *, report=None, claim=None, seller=None, policy=None, explain=None))]
    #[allow(clippy::too_many_arguments)]
    fn assess<'py>(
        py: Python<'py>,
        facts: &Bound<'py, PyAny>,
        now: &Bound<'py, PyAny>,
        report: Option<&Bound<'py, PyAny>>,
        claim: Option<&Bound<'py, PyAny>>,
        seller: Option<&Bound<'py, PyAny>>,
        policy: Option<&Bound<'py, PyAny>>,
        explain: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let raw = Raw {
            facts: Some(facts.clone()),
            now: Some(now.clone()),
            report: some(report),
            claim: some(claim),
            seller: some(seller),
            policy: some(policy),
            explain: some(explain),
            ..Raw::default()
        };
        run(py, Op::Assess, &raw)
    }

    /// Checks the facts against each other, the policy and `now`; returns
    /// them as the engine read them (JSON data), or raises
    /// `InvalidFactsError` listing every problem.
    #[pyfunction]
    #[pyo3(signature = (facts, now, *, policy=None))]
    fn validate_facts<'py>(
        py: Python<'py>,
        facts: &Bound<'py, PyAny>,
        now: &Bound<'py, PyAny>,
        policy: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let raw = Raw {
            facts: Some(facts.clone()),
            now: Some(now.clone()),
            policy: some(policy),
            ..Raw::default()
        };
        run(py, Op::ValidateFacts, &raw)
    }

    /// A validated `Policy` from a preset id (`PRESETS`), JSON text, a
    /// mapping or a `Policy`; raises `InvalidPolicyError` naming the field.
    /// Passing the loaded policy to calls costs nothing.
    #[pyfunction]
    #[pyo3(signature = (source=None))]
    fn load_policy<'py>(
        py: Python<'py>,
        source: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let raw = Raw {
            policy: some(source),
            ..Raw::default()
        };
        run(py, Op::Policy, &raw)
    }

    /// The reason catalogue (R-R1..R-R15) under a policy: one entry per
    /// reason with its rule, group, solutions, evidence and card-network
    /// codes.
    #[pyfunction]
    #[pyo3(signature = (*, policy=None))]
    fn reasons<'py>(
        py: Python<'py>,
        policy: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let raw = Raw {
            policy: some(policy),
            ..Raw::default()
        };
        run(py, Op::Reasons, &raw)
    }

    /// The reasons that fit the facts and what the buyer reports
    /// (`report`: `received`, `units_received`, `damaged`, ...).
    #[pyfunction]
    #[pyo3(signature = (facts, now, *, report=None, policy=None, explain=None))]
    fn suggest_reasons<'py>(
        py: Python<'py>,
        facts: &Bound<'py, PyAny>,
        now: &Bound<'py, PyAny>,
        report: Option<&Bound<'py, PyAny>>,
        policy: Option<&Bound<'py, PyAny>>,
        explain: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let raw = Raw {
            facts: Some(facts.clone()),
            now: Some(now.clone()),
            report: some(report),
            policy: some(policy),
            explain: some(explain),
            ..Raw::default()
        };
        run(py, Op::SuggestReasons, &raw)
    }

    /// Checks a proposed claim (reason, solution, refund amount, evidence)
    /// against the facts (C-4 refund cap, R-S1..R-S3, R-V1, R-V2, R-E9).
    #[pyfunction]
    #[pyo3(signature = (facts, claim, now, *, report=None, policy=None, explain=None))]
    #[allow(clippy::too_many_arguments)]
    fn check_claim<'py>(
        py: Python<'py>,
        facts: &Bound<'py, PyAny>,
        claim: &Bound<'py, PyAny>,
        now: &Bound<'py, PyAny>,
        report: Option<&Bound<'py, PyAny>>,
        policy: Option<&Bound<'py, PyAny>>,
        explain: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let raw = Raw {
            facts: Some(facts.clone()),
            claim: some(Some(claim)),
            now: Some(now.clone()),
            report: some(report),
            policy: some(policy),
            explain: some(explain),
            ..Raw::default()
        };
        run(py, Op::CheckClaim, &raw)
    }

    /// The evidence a reason needs (R-V1, R-V2) and what the attachments
    /// cover: from a `claim`, or from a `reason` plus `attachments`.
    #[pyfunction]
    #[pyo3(signature = (*, claim=None, reason=None, attachments=None, policy=None, explain=None))]
    fn evidence_checklist<'py>(
        py: Python<'py>,
        claim: Option<&Bound<'py, PyAny>>,
        reason: Option<&Bound<'py, PyAny>>,
        attachments: Option<&Bound<'py, PyAny>>,
        policy: Option<&Bound<'py, PyAny>>,
        explain: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let raw = Raw {
            claim: some(claim),
            reason: some(reason),
            attachments: some(attachments),
            policy: some(policy),
            explain: some(explain),
            ..Raw::default()
        };
        run(py, Op::EvidenceChecklist, &raw)
    }

    /// Opens a dispute on the line with a claim (`reason`, `solution`,
    /// `refund`); the dispute keeps the policy's terms.
    #[pyfunction]
    #[pyo3(signature = (facts, claim, now, *, policy=None, explain=None))]
    fn lifecycle_open<'py>(
        py: Python<'py>,
        facts: &Bound<'py, PyAny>,
        claim: &Bound<'py, PyAny>,
        now: &Bound<'py, PyAny>,
        policy: Option<&Bound<'py, PyAny>>,
        explain: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let raw = Raw {
            facts: Some(facts.clone()),
            claim: some(Some(claim)),
            now: Some(now.clone()),
            policy: some(policy),
            explain: some(explain),
            ..Raw::default()
        };
        run(py, Op::LifecycleOpen, &raw)
    }

    /// Applies an event (`at`, `actor`, `kind` and its data) to a dispute;
    /// raises `IllegalTransitionError` if it is not allowed.
    #[pyfunction]
    #[pyo3(signature = (dispute, event, *, now=None, explain=None))]
    fn lifecycle_apply<'py>(
        py: Python<'py>,
        dispute: &Bound<'py, PyAny>,
        event: &Bound<'py, PyAny>,
        now: Option<&Bound<'py, PyAny>>,
        explain: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let raw = Raw {
            dispute: some(Some(dispute)),
            event: some(Some(event)),
            now: some(now),
            explain: some(explain),
            ..Raw::default()
        };
        run(py, Op::LifecycleApply, &raw)
    }

    /// Applies the timeouts that have fallen due by `now` (R-L3).
    #[pyfunction]
    #[pyo3(signature = (dispute, now, *, explain=None))]
    fn lifecycle_advance<'py>(
        py: Python<'py>,
        dispute: &Bound<'py, PyAny>,
        now: &Bound<'py, PyAny>,
        explain: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let raw = Raw {
            dispute: some(Some(dispute)),
            now: Some(now.clone()),
            explain: some(explain),
            ..Raw::default()
        };
        run(py, Op::LifecycleAdvance, &raw)
    }

    /// Where a dispute stands at `now`: state, deadline, allowed actions.
    #[pyfunction]
    #[pyo3(signature = (dispute, now, *, explain=None))]
    fn lifecycle_status<'py>(
        py: Python<'py>,
        dispute: &Bound<'py, PyAny>,
        now: &Bound<'py, PyAny>,
        explain: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let raw = Raw {
            dispute: some(Some(dispute)),
            now: Some(now.clone()),
            explain: some(explain),
            ..Raw::default()
        };
        run(py, Op::LifecycleStatus, &raw)
    }

    /// What `actor` may do on the dispute at `now`.
    #[pyfunction]
    #[pyo3(signature = (dispute, actor, now, *, explain=None))]
    fn lifecycle_allowed<'py>(
        py: Python<'py>,
        dispute: &Bound<'py, PyAny>,
        actor: &Bound<'py, PyAny>,
        now: &Bound<'py, PyAny>,
        explain: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let raw = Raw {
            dispute: some(Some(dispute)),
            actor: some(Some(actor)),
            now: Some(now.clone()),
            explain: some(explain),
            ..Raw::default()
        };
        run(py, Op::LifecycleAllowed, &raw)
    }

    /// The likely outcome of a dispute (R-O1..R-O6): `likely` and every
    /// possible `outcomes` with their likelihoods and refunds; of the claim
    /// when given, else of the best fitting reason. `seller`: what the
    /// seller did, by status (`"unknown"`, `"silent"`, `"accepted"`,
    /// `"refused"`) or in full (`{"status": "counter_offered", "amount":
    /// Money(...), "return_goods": False}`).
    #[pyfunction]
    #[pyo3(signature = (facts, now, *, report=None, claim=None, seller=None, policy=None, explain=None))]
    #[allow(clippy::too_many_arguments)]
    fn predict<'py>(
        py: Python<'py>,
        facts: &Bound<'py, PyAny>,
        now: &Bound<'py, PyAny>,
        report: Option<&Bound<'py, PyAny>>,
        claim: Option<&Bound<'py, PyAny>>,
        seller: Option<&Bound<'py, PyAny>>,
        policy: Option<&Bound<'py, PyAny>>,
        explain: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let raw = Raw {
            facts: Some(facts.clone()),
            now: Some(now.clone()),
            report: some(report),
            claim: some(claim),
            seller: some(seller),
            policy: some(policy),
            explain: some(explain),
            ..Raw::default()
        };
        run(py, Op::Predict, &raw)
    }

    /// A validated `SellingPolicy` (the rules of the platform where the
    /// customer paid) from a preset id (`SELLING_PRESETS`: `paypal`,
    /// `ebay`, `amazon`, `stripe`, `shopify_payments`), JSON text, a mapping
    /// or a `SellingPolicy`; raises `InvalidPolicyError` naming the field
    /// (`selling_policy.windows[0]...`).
    #[pyfunction]
    fn load_selling_policy<'py>(
        py: Python<'py>,
        source: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let raw = Raw {
            selling_policy: some(Some(source)),
            ..Raw::default()
        };
        run(py, Op::SellingPolicy, &raw)
    }

    /// The seller's timeline for a customer's order and, when given, the
    /// customer's dispute or chargeback (PayPal, eBay, Amazon, Stripe,
    /// Shopify Payments): every deadline with its rule id, UTC and local
    /// instants, where it comes from (a `respond_by` the platform gave
    /// always wins, BB-4), the evidence, the exposure and the next actions.
    ///
    /// `customer_order` and `customer_dispute`: mappings or JSON text (as
    /// the JSON layer's, with aware datetimes, `Decimal` or `Money`
    /// amounts); `selling_policy`: a `SellingPolicy`, a preset id, JSON
    /// text or a mapping (default: the preset of the order's `platform`);
    /// `time_zone`: an IANA name for the local instants (default: the
    /// selling policy's).
    #[pyfunction]
    #[pyo3(signature = (customer_order, now, *, customer_dispute=None, selling_policy=None, time_zone=None, explain=None))]
    fn seller_timeline<'py>(
        py: Python<'py>,
        customer_order: &Bound<'py, PyAny>,
        now: &Bound<'py, PyAny>,
        customer_dispute: Option<&Bound<'py, PyAny>>,
        selling_policy: Option<&Bound<'py, PyAny>>,
        time_zone: Option<&Bound<'py, PyAny>>,
        explain: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let raw = Raw {
            customer_order: Some(customer_order.clone()),
            now: Some(now.clone()),
            customer_dispute: some(customer_dispute),
            selling_policy: some(selling_policy),
            time_zone: some(time_zone),
            explain: some(explain),
            ..Raw::default()
        };
        run(py, Op::SellerTimeline, &raw)
    }

    /// Back to back: the customer's order (and dispute) on the selling
    /// platform beside the seller's own supplier order on AliExpress
    /// (`facts`, as for `eligibility`) for the same goods. Answers the
    /// deadline that binds first (BB-3), whether the supplier route is
    /// open, closes before the customer's platform decides or has closed
    /// (then what is uncovered), and the next actions of both sides in
    /// order, each with its rule ids.
    ///
    /// `policy`: the supplier policy (default `aliexpress`);
    /// `selling_policy`: as for `seller_timeline`; `time_zone`: the zone of
    /// the local instants (default: the supplier policy's).
    #[pyfunction]
    #[pyo3(signature = (facts, customer_order, now, *, customer_dispute=None, policy=None, selling_policy=None, time_zone=None, explain=None))]
    #[allow(clippy::too_many_arguments)]
    fn back_to_back<'py>(
        py: Python<'py>,
        facts: &Bound<'py, PyAny>,
        customer_order: &Bound<'py, PyAny>,
        now: &Bound<'py, PyAny>,
        customer_dispute: Option<&Bound<'py, PyAny>>,
        policy: Option<&Bound<'py, PyAny>>,
        selling_policy: Option<&Bound<'py, PyAny>>,
        time_zone: Option<&Bound<'py, PyAny>>,
        explain: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let raw = Raw {
            facts: Some(facts.clone()),
            customer_order: Some(customer_order.clone()),
            now: Some(now.clone()),
            customer_dispute: some(customer_dispute),
            policy: some(policy),
            selling_policy: some(selling_policy),
            time_zone: some(time_zone),
            explain: some(explain),
            ..Raw::default()
        };
        run(py, Op::BackToBack, &raw)
    }

    /// Runs `op` (`BATCH_OPERATIONS`: `eligibility_timeline`, the lean scan
    /// and the default; `eligibility`; `timeline`; `assess`, the full
    /// assessment) on many orders with one `now` and one policy, in the
    /// engine without the GIL.
    ///
    /// `orders`: JSON-lines text (`str` or `bytes`; blank lines and a
    /// byte-order mark skipped; each line decoded and judged on its own)
    /// or an iterable of orders, each a mapping or JSON text. Each order's
    /// answer is exactly that of the single call of `op`. JSON lines run on
    /// `threads` threads (an int >= 1; default: every core); the answers
    /// are the same whatever the number. Raises only when the shared
    /// request (`now`, `policy`, `op`, `threads`) is bad.
    #[pyfunction]
    #[pyo3(signature = (orders, now, *, op="eligibility_timeline", policy=None, explain=None, threads=None))]
    fn batch<'py>(
        py: Python<'py>,
        orders: &Bound<'py, PyAny>,
        now: &Bound<'py, PyAny>,
        op: &str,
        policy: Option<&Bound<'py, PyAny>>,
        explain: Option<&Bound<'py, PyAny>>,
        threads: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let f = false.into_pyobject(py)?.to_owned().into_any();
        let explain = some(explain).unwrap_or(f);
        let shared = match crate::batch::BATCH_OPS.iter().any(|o| o.name() == op) {
            true => crate::batch::shared_call(now, some(policy).as_ref(), &explain),
            false => Ok(crate::call::Call::default()),
        };
        let shared = shared.map_err(|e| errors::raise(py, &e))?;
        let threads = crate::batch::threads(threads).map_err(|e| errors::raise(py, &e))?;
        crate::batch::run_batch(py, orders, op, shared, threads).map_err(|f| f.into_pyerr(py))
    }

    /// Runs any operation of `OPERATIONS` on a request (a mapping whose
    /// values may be Python values, or JSON text) and returns the answer as
    /// JSON data; raises a `DisputeRulesError` on failure.
    #[pyfunction]
    fn call<'py>(
        py: Python<'py>,
        operation: &Bound<'py, PyAny>,
        request: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let name = operation
            .cast::<PyString>()
            .map_err(|_| field_error("operation", "expected a str"))
            .and_then(|s| de::str_of(s).map_err(|e| field_error("operation", e.to_string())))
            .and_then(Op::from_name)
            .map_err(|e| errors::raise(py, &e))?;
        if let Ok(d) = request.cast::<PyDict>() {
            let mut raw = Raw::default();
            for (k, v) in d.iter() {
                let key = k
                    .cast::<PyString>()
                    .map_err(|_| field_error("request", "keys must be `str`"))
                    .and_then(|s| de::str_of(s).map_err(|e| field_error("request", e.to_string())))
                    .map(str::to_owned)
                    .map_err(|e| errors::raise(py, &e))?;
                raw.set(name, &key, v).map_err(|e| errors::raise(py, &e))?;
            }
            let call = raw.convert(name).map_err(|e| errors::raise(py, &e))?;
            let answer = guarded(|| call.run(name)).map_err(|f| f.into_pyerr(py))?;
            return answers::answer_data(py, &answer);
        }
        let text: String = if let Ok(s) = request.cast::<PyString>() {
            de::str_of(s)
                .map_err(|e| errors::raise(py, &field_error("request", e.to_string())))?
                .to_owned()
        } else {
            return Err(errors::raise(
                py,
                &field_error(
                    "request",
                    format!(
                        "expected a mapping or JSON text, got `{}`",
                        de::type_name(request)
                    ),
                ),
            ));
        };
        let envelope = dispute_rules::api::call(name.name(), &text);
        json_answer(py, &envelope)
    }

    /// Runs `operation` on a JSON request and returns the engine's JSON
    /// answer envelope exactly (`{"result": "success", "answer": ...}` or
    /// `{"result": "failure", "error": ...}`). Never raises for bad input.
    #[pyfunction]
    fn call_json(
        py: Python<'_>,
        operation: &Bound<'_, PyAny>,
        request_json: &Bound<'_, PyAny>,
    ) -> String {
        let text = |o: &Bound<'_, PyAny>, field: &str| -> Result<String, String> {
            match o.cast::<PyString>() {
                Ok(s) => de::str_of(s)
                    .map(str::to_owned)
                    .map_err(|e| envelope_error(field, e.to_string())),
                Err(_) => Err(envelope_error(
                    field,
                    format!("expected str, got `{}`", de::type_name(o)),
                )),
            }
        };
        let op = match text(operation, "operation") {
            Ok(t) => t,
            Err(env) => return env,
        };
        let req = match text(request_json, "request") {
            Ok(t) => t,
            Err(env) => return env,
        };
        py.detach(|| {
            std::panic::catch_unwind(|| dispute_rules::api::call(&op, &req)).unwrap_or_else(|p| {
                dispute_rules::api::answer::<()>(&Err(dispute_rules::Error::InvalidRequest(
                    dispute_rules::Problems::one(
                        "",
                        format!("internal error: {}", errors::panic_text(p.as_ref())),
                    ),
                )))
            })
        })
    }

    /// Unpickles a result: runs its operation on its inputs again.
    #[pyfunction]
    #[pyo3(signature = (op, request, index=None))]
    fn _recompute<'py>(
        py: Python<'py>,
        op: &str,
        request: &str,
        index: Option<usize>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let op = crate::call::op_named(op).map_err(|e| errors::raise(py, &e))?;
        let call =
            crate::call::Call::from_request_json(request).map_err(|e| errors::raise(py, &e))?;
        let answer = guarded(|| call.run(op)).map_err(|f| f.into_pyerr(py))?;
        let obj = answers::answer_object(py, op, Arc::new(call), answer)?;
        match index {
            Some(i) => obj.get_item(i),
            None => Ok(obj),
        }
    }

    /// Unpickles a part of a result: the attribute (and item) of its parent.
    #[pyfunction]
    #[pyo3(signature = (parent, attr, index=None))]
    fn _part<'py>(
        parent: &Bound<'py, PyAny>,
        attr: &str,
        index: Option<usize>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let v = parent.getattr(attr)?;
        match index {
            Some(i) => v.get_item(i),
            None => Ok(v),
        }
    }

    /// Unpickles a dispute.
    #[pyfunction]
    fn _dispute<'py>(py: Python<'py>, json: &str) -> PyResult<Bound<'py, PyAny>> {
        let d = dispute_rules::Dispute::from_json(json).map_err(|e| errors::raise(py, &e))?;
        Ok(Bound::new(py, answers::PyDispute { v: d })?.into_any())
    }

    /// Unpickles a batch: runs it again on the same input.
    #[pyfunction]
    fn _batch<'py>(
        py: Python<'py>,
        op: &str,
        request: &str,
        payload: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        crate::batch::restore(py, op, request, payload).map_err(|f| f.into_pyerr(py))
    }

    /// Every code of every enum the answers carry, by enum name (for the
    /// test that the package's str enums are complete).
    #[pyfunction]
    fn _codes(py: Python<'_>) -> PyResult<Bound<'_, PyDict>> {
        let d = PyDict::new(py);
        for (name, codes) in answers::all_codes() {
            d.set_item(name, codes)?;
        }
        Ok(d)
    }
}

/// The answer of a JSON envelope as Python data, or its error raised.
fn json_answer<'py>(py: Python<'py>, envelope: &str) -> PyResult<Bound<'py, PyAny>> {
    #[derive(serde::Deserialize)]
    struct Env {
        result: String,
        #[serde(default)]
        answer: Option<serde_json::Value>,
        #[serde(default)]
        error: Option<ErrorWire>,
    }
    #[derive(serde::Deserialize)]
    struct ErrorWire {
        kind: String,
        message: String,
        #[serde(default)]
        code: Option<String>,
        #[serde(default)]
        problems: Vec<ProblemWire>,
    }
    #[derive(serde::Deserialize)]
    struct ProblemWire {
        field: String,
        message: String,
    }
    let env: Env = serde_json::from_str(envelope)
        .map_err(|e| pyo3::exceptions::PyValueError::new_err(e.to_string()))?;
    if env.result == "success" {
        return ser::to_py(py, &env.answer.unwrap_or_default());
    }
    let e = env.error.unwrap_or(ErrorWire {
        kind: "internal".into(),
        message: "internal error".into(),
        code: None,
        problems: Vec::new(),
    });
    let kind = match e.kind.as_str() {
        "invalid_facts" => "invalid_facts",
        "invalid_policy" => "invalid_policy",
        "invalid_claim" => "invalid_claim",
        "invalid_request" => "invalid_request",
        "illegal_transition" => "illegal_transition",
        _ => "internal",
    };
    let answer = dispute_rules::api::ErrorAnswer::new(
        kind,
        e.message,
        e.problems
            .into_iter()
            .map(|p| dispute_rules::Problem::new(p.field, p.message))
            .collect(),
    )
    .with_code(e.code);
    Err(PyErr::from_value(errors::error_object(
        py, &answer, None, None,
    )?))
}
