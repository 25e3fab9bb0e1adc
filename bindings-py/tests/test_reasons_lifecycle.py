"""Reasons, claims, evidence and the dispute lifecycle from Python."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest

import dispute_rules as dr
from conftest import NOW

UTC = timezone.utc


def raw(op: str, request: dict[str, Any]) -> Any:
    env = json.loads(dr.call_json(op, json.dumps(request, default=str)))
    assert env["result"] == "success", env
    return env["answer"]


@pytest.fixture
def claim() -> dict[str, Any]:
    # Python values in: str enums and Money.
    return {
        "reason": dr.Reason.NOT_RECEIVED_NO_TRACKING,
        "solution": dr.Solution.REFUND_ONLY,
        "refund": dr.Money(Decimal("19.99"), "USD"),
    }


def test_reasons_catalogue() -> None:
    cat = dr.reasons()
    assert sorted(e.reason for e in cat) == sorted(dr.Reason) and len(cat) == len(dr.Reason)  # every reason
    assert all(isinstance(e.reason, dr.Reason) and isinstance(e.group, dr.Group) for e in cat)
    assert all(s in set(dr.Solution) for e in cat for s in e.solutions)
    assert [e.to_dict() for e in cat] == raw("reasons", {})
    legacy = dr.reasons(policy=dr.load_policy("aliexpress-legacy"))
    assert [e.to_dict() for e in legacy] == raw("reasons", {"policy": "aliexpress-legacy"})
    assert "reason='not_received.too_long'" in repr(cat[0])


def test_suggest_reasons(facts: dict[str, Any]) -> None:
    facts["quantity"] = 18
    s = dr.suggest_reasons(facts, NOW, report={"units_received": 17}, explain=True)
    assert s.reasons[0].reason is dr.Reason.RECEIVED_QUANTITY_SHORTAGE
    assert s.to_dict() == raw(
        "suggest_reasons",
        {"facts": facts, "now": "2026-03-20T12:00:00Z", "report": {"units_received": 17}, "explain": True},
    )
    assert s.explanation and isinstance(s, dr.Suggestions) and all(isinstance(x, dr.Suggestion) for x in s.reasons)


def test_check_claim(facts: dict[str, Any], claim: dict[str, Any]) -> None:
    c = dr.check_claim(facts, claim, NOW)
    assert c.reason is dr.Reason.NOT_RECEIVED_NO_TRACKING and c.solution is dr.Solution.REFUND_ONLY
    assert c.refund == dr.Money("19.99", "USD") and isinstance(c.refund.amount, Decimal)
    assert c.checklist.reason is dr.Reason.NOT_RECEIVED_NO_TRACKING
    want = raw("check_claim", {"facts": facts, "now": "2026-03-20T12:00:00Z", "claim": {**claim, "refund": claim["refund"].to_dict()}})
    assert c.to_dict() == want
    with pytest.raises(dr.InvalidClaimError) as e:
        dr.check_claim(facts, {**claim, "refund": dr.Money("100", "USD")}, NOW)
    assert e.value.field == "claim.refund.amount" and "C-4" in e.value.message
    with pytest.raises(dr.InvalidClaimError) as e:
        dr.check_claim(facts, {**claim, "reason": "no_such_reason"}, NOW)
    assert e.value.field == "claim.reason"


def test_evidence_checklist(claim: dict[str, Any]) -> None:
    by_reason = dr.evidence_checklist(reason=dr.Reason.RECEIVED_DAMAGED, attachments=[])
    assert by_reason.reason is dr.Reason.RECEIVED_DAMAGED and by_reason.missing
    assert by_reason.to_dict() == raw("evidence_checklist", {"reason": "received.damaged", "attachments": []})
    by_claim = dr.evidence_checklist(claim=claim)
    assert by_claim.reason is dr.Reason.NOT_RECEIVED_NO_TRACKING
    with pytest.raises(dr.InvalidRequestError) as e:
        dr.evidence_checklist(claim=claim, reason="received.damaged")
    assert e.value.field == "claim"
    with pytest.raises(dr.InvalidRequestError) as e:
        dr.evidence_checklist(reason="nope")
    assert e.value.field.startswith("reason")


def test_lifecycle_round_trip(facts: dict[str, Any], claim: dict[str, Any]) -> None:
    opened = dr.lifecycle_open(facts, claim, NOW, explain=True)
    assert opened.state is dr.DisputeState.AWAITING_SELLER and opened.api_status == "WAIT_SELLER_CONFIRM_REFUND"
    deadline = opened.next_deadline
    assert deadline is not None
    assert isinstance(deadline.at, dr.Moment) and deadline.at.utc > NOW and deadline.at.utc.tzinfo is UTC
    assert dr.EventKind.ACCEPT in opened.allowed.seller and all(isinstance(k, dr.EventKind) for k in opened.allowed.seller)
    assert opened.explanation
    # The previous answer's dispute is passed back as is; the event in Python values.
    offer = {
        "at": NOW + timedelta(days=1),
        "actor": dr.Actor.SELLER,
        "kind": dr.EventKind.COUNTER_OFFER,
        "offer": {"solution": dr.Solution.REFUND_ONLY, "refund": dr.Money("10", "USD")},
    }
    nego = dr.lifecycle_apply(opened.dispute, offer)
    assert nego.state is dr.DisputeState.NEGOTIATING
    allowed = dr.lifecycle_allowed(nego.dispute, dr.Actor.SELLER, NOW + timedelta(days=1, hours=1))
    assert allowed.allowed == (dr.EventKind.ADD_EVIDENCE,) and allowed.actor is dr.Actor.SELLER
    later = NOW + timedelta(days=7)
    advanced = dr.lifecycle_advance(nego.dispute, later)
    assert advanced.state is dr.DisputeState.UNDER_REVIEW and advanced.timeouts_applied == 1
    status = dr.lifecycle_status(advanced.dispute, later)
    assert status.state is dr.DisputeState.UNDER_REVIEW
    # Same answers as the raw JSON calls.
    dispute = opened.to_dict()["dispute"]
    assert nego.to_dict() == raw(
        "lifecycle_apply",
        {"dispute": dispute, "event": {**offer, "at": "2026-03-21T12:00:00Z", "offer": {"solution": "refund_only", "refund": {"amount": "10", "currency": "USD"}}}},
    )
    assert status.to_dict() == raw("lifecycle_status", {"dispute": advanced.to_dict()["dispute"], "now": later.isoformat()})


def test_illegal_transitions_raise_with_their_code(facts: dict[str, Any], claim: dict[str, Any]) -> None:
    opened = dr.lifecycle_open(facts, claim, NOW)
    with pytest.raises(dr.IllegalTransitionError) as e:
        dr.lifecycle_apply(opened.dispute, {"at": NOW + timedelta(hours=1), "actor": "seller", "kind": "cancel"})
    err = e.value
    assert err.code == "actor_not_permitted" and err.field == "event" and err.kind is dr.ErrorKind.ILLEGAL_TRANSITION
    assert not isinstance(err, ValueError)
    with pytest.raises(dr.IllegalTransitionError) as e:
        dr.lifecycle_open(facts, claim, datetime(2026, 3, 5, tzinfo=UTC))
    assert e.value.code == dr.Ineligible.TOO_EARLY  # the R-E9 code
    with pytest.raises(dr.InvalidRequestError) as req:
        dr.lifecycle_allowed(opened.dispute, "judge", NOW)
    assert req.value.field == "actor"
    with pytest.raises(dr.InvalidRequestError) as req:
        dr.lifecycle_status(opened.dispute, datetime(2026, 3, 21))
    assert req.value.field == "now"
