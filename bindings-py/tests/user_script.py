"""A user's script, as typed as a user would write it: `mypy --strict`
checks it (with the tests) against the package's stubs, and
`test_native.py` runs it."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path

import dispute_rules as dr

DATA = Path(__file__).resolve().parents[2] / "dispute-rules" / "tests" / "data"
FACTS = DATA / "not_received.json"
BACK_TO_BACK = DATA / "back_to_back" / "paypal_supplier_binds_first.json"


def back_to_back() -> bool:
    """A dropshipper's order: the PayPal customer's dispute beside the
    AliExpress order for the same goods."""
    both = json.loads(BACK_TO_BACK.read_text())
    now = datetime(2026, 4, 26, 12, tzinfo=timezone.utc)
    paypal: dr.SellingPolicy = dr.load_selling_policy("paypal")
    b: dr.BackToBack = dr.back_to_back(both["facts"], both["customer_order"], now,
                                       customer_dispute=both["customer_dispute"], selling_policy=paypal)
    binding: dr.BackToBackDeadline | None = b.binding
    if binding is None:
        return False
    rule: str = binding.rule
    when: datetime = binding.at.utc
    what: dr.Milestone | dr.SellerMilestone = binding.milestone
    side: dr.Side = binding.side
    state: dr.RouteState = b.supplier_route.state
    first: dr.BackToBackAction = b.next_actions[0]
    kind: dr.BackToBackActionKind = first.kind
    due: dr.Moment | None = first.deadline
    uncovered: dr.Money | None = b.uncovered
    customer: dr.SellerTimeline = b.customer
    response: dr.SellerEntry | None = customer.response_due
    origin: dr.Origin | None = response.origin if response is not None else None
    alone = dr.seller_timeline(both["customer_order"], now, customer_dispute=both["customer_dispute"],
                               time_zone="America/Los_Angeles")
    return (rule, what, side, state, kind, uncovered, origin) == (
        "R-E5", dr.Milestone.EXTENSION_REQUEST_DEADLINE, dr.Side.SUPPLIER, dr.RouteState.OPEN,
        dr.BackToBackActionKind.REQUEST_SUPPLIER_EXTENSION, None, dr.Origin.COMPUTED,
    ) and when.tzinfo is not None and due is not None and alone.to_json() == customer.to_json()


def main() -> int:
    now = datetime(2026, 3, 20, 12, tzinfo=timezone.utc)
    facts = json.loads(FACTS.read_text())
    e: dr.Eligibility = dr.eligibility(facts, now)
    status: dr.Status = e.status
    assert status is dr.Status.ELIGIBLE
    if e.window is not None:
        opens: datetime = e.window.opens_at.utc
        assert opens.tzinfo is not None
    code: dr.Ineligible | None = e.code
    assert code is None
    for action in e.next_actions:
        kind: dr.ActionKind = action.kind
        deadline: dr.Moment | None = action.deadline
        assert kind and (deadline is None or deadline.local.utcoffset() is not None)

    a = dr.assess(facts, now, claim={"reason": dr.Reason.NOT_RECEIVED_NO_TRACKING,
                                     "solution": dr.Solution.REFUND_ONLY,
                                     "refund": dr.Money(Decimal("19.99"), "USD")})
    if isinstance(a.prediction, dr.Prediction):
        refund: Decimal = a.prediction.likely.refund.amount
        outcome: dr.OutcomeKind = a.prediction.likely.kind
        assert refund >= 0 and outcome in dr.OutcomeKind
    if isinstance(a.claim, dr.ClaimCheck):
        assert a.claim.refund_type in (dr.RefundType.FULL, dr.RefundType.PARTIAL)

    opened = dr.lifecycle_open(facts, {"reason": "not_received.no_tracking", "solution": "refund_only",
                                       "refund": {"amount": "19.99", "currency": "USD"}}, now)
    state: dr.DisputeState = opened.state
    seller_may: tuple[dr.EventKind, ...] = opened.allowed.seller
    assert state is dr.DisputeState.AWAITING_SELLER and dr.EventKind.ACCEPT in seller_may

    results: dr.BatchResult[dr.EligibilityTimeline] = dr.batch([facts, facts], now)
    statuses: list[dr.Status | None] = results.statuses()
    first = results[0]
    if not isinstance(first, dr.DisputeRulesError):
        order_id: str = first.order_id
        assert order_id == facts["order_id"]
    try:
        dr.eligibility({**facts, "quantity": 0}, now)
    except dr.InvalidFactsError as err:
        field: str = err.field
        assert field == "facts.quantity"
    return 0 if statuses == [dr.Status.ELIGIBLE] * 2 and back_to_back() else 1


if __name__ == "__main__":
    raise SystemExit(main())
