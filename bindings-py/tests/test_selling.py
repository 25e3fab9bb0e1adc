"""Back-to-back disputes from Python: the customer's dispute (PayPal, Stripe,
eBay, ...) beside the seller's own AliExpress dispute for the same goods.

The three worked examples of ``docs/selling-side.md`` (the shared requests
in ``dispute-rules/tests/data/back_to_back/``) read from Python values (dicts,
aware datetimes, ``Decimal``); the answers equal the engine's JSON answers
byte for byte; errors name the field with its document; results pickle.
"""

from __future__ import annotations

import copy
import json
import pickle
import re
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest

import dispute_rules as dr
from conftest import DATA

UTC = timezone.utc
SAMPLES = {
    "paypal": "paypal_supplier_binds_first",
    "stripe": "stripe_after_supplier_window",
    "ebay": "ebay_business_days_bind_first",
}
INSTANT = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")


def request(name: str) -> dict[str, Any]:
    """A shared back-to-back request, as JSON data."""
    doc: dict[str, Any] = json.loads((DATA / "back_to_back" / f"{SAMPLES[name]}.json").read_text())
    return doc


def pythonic(v: Any) -> Any:
    """JSON data as a Python user writes it: aware datetimes for instants,
    ``Decimal`` amounts (dates without a time stay ``"2026-06-19"``)."""
    if isinstance(v, dict):
        return {k: Decimal(x) if k == "amount" and isinstance(x, str) else pythonic(x) for k, x in v.items()}
    if isinstance(v, list):
        return [pythonic(x) for x in v]
    if isinstance(v, str) and INSTANT.fullmatch(v):
        return datetime.fromisoformat(v.replace("Z", "+00:00"))
    return v


def b2b(name: str, **kw: Any) -> dr.BackToBack:
    r = pythonic(request(name))
    return dr.back_to_back(r["facts"], r["customer_order"], r["now"], customer_dispute=r["customer_dispute"], **kw)


def answer_text(op: str, req: dict[str, Any]) -> str:
    """The engine's answer to a JSON request, as it wrote it."""
    env = dr.call_json(op, json.dumps(req))
    head = '{"result":"success","answer":'
    assert env.startswith(head), env
    return env[len(head) : -1]


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


# --- the three worked examples ------------------------------------------------


def test_example1_paypal_the_supplier_extension_binds_first() -> None:
    b = b2b("paypal")
    assert isinstance(b, dr.BackToBack)
    # BB-3: the AliExpress extension cutoff (R-E5), 28 April 10:00 PDT.
    binding = b.binding
    assert binding is not None
    assert binding.side is dr.Side.SUPPLIER and binding.milestone is dr.Milestone.EXTENSION_REQUEST_DEADLINE
    assert binding.rule == "R-E5" and binding.origin is dr.Origin.COMPUTED and binding.binds_seller
    assert binding.at.utc == utc(2026, 4, 28, 17) and binding.at.local.utcoffset() == timedelta(hours=-7)
    # The supplier route is open and closes before PayPal may decide.
    route = b.supplier_route
    assert route.state is dr.RouteState.OPEN and route.code is None
    assert route.closes_before_customer_decision is True
    assert route.reason is dr.Reason.NOT_RECEIVED_TOO_LONG
    assert route.closes_at is not None and route.closes_at.utc == utc(2026, 5, 1, 17)
    assert route.customer_decision_at is not None and route.customer_decision_at.utc == utc(2026, 5, 5, 21)
    # The next actions in order, each with its deadline and rules.
    kinds = [a.kind for a in b.next_actions]
    assert kinds == [
        dr.BackToBackActionKind.REQUEST_SUPPLIER_EXTENSION,
        dr.BackToBackActionKind.OPEN_SUPPLIER_DISPUTE,
        dr.BackToBackActionKind.RESPOND_TO_CUSTOMER,
        dr.BackToBackActionKind.RESOLVE_BEFORE_ESCALATION,
    ]
    ext, open_, respond, _ = b.next_actions
    assert ext.side is dr.Side.SUPPLIER and ext.rules == ("R-E5", "BB-3")
    assert ext.deadline is not None and ext.deadline.utc == binding.at.utc
    assert open_.supplier_reason is dr.Reason.NOT_RECEIVED_TOO_LONG and open_.rules == ("R-E1", "R-R1", "BB-3")
    assert "now with reason `not_received.too_long`" in open_.text
    assert respond.side is dr.Side.CUSTOMER and respond.deadline is not None
    assert respond.deadline.utc == utc(2026, 5, 5, 21) and "P-L4" in respond.rules
    # BB-2: a customer can still file 117 days after the supplier route closes.
    assert b.gap is not None and b.gap.days == 117 and b.gap.customer_can_file_after_supplier_closes
    assert b.uncovered is None
    # The customer side: PayPal's 10-day fallback (P-L4), computed and flagged.
    due = b.customer.response_due
    assert due is not None and due.milestone is dr.SellerMilestone.SELLER_RESPONSE
    assert (due.rule, due.origin, due.confidence) == ("P-L4", dr.Origin.COMPUTED, dr.SourceConfidence.LOW)
    assert b.customer.platform is dr.Platform.PAYPAL and b.customer.stage == "inquiry"
    assert b.customer.exposure.total_if_lost == dr.Money(Decimal("79.90"), "USD")
    assert b.customer.evidence.signature.required is False
    assert b.supplier.eligibility.status is dr.Status.ELIGIBLE
    for rule in ("R-E1", "R-E5", "P-W1", "P-W2", "P-L4", "BB-2", "BB-3"):
        assert rule in b.rules


def test_example2_stripe_after_the_supplier_window() -> None:
    b = b2b("stripe")
    binding = b.binding
    assert binding is not None
    # BB-4: Stripe's due_by, given by the platform, is the deadline (S-L1).
    assert binding.side is dr.Side.CUSTOMER and binding.milestone is dr.SellerMilestone.SELLER_RESPONSE
    assert (binding.rule, binding.origin, binding.confidence) == ("S-L1", dr.Origin.PLATFORM, None)
    assert binding.at.utc == utc(2026, 12, 8, 17, 15)
    # The seller confirmed receipt: the AliExpress window closed 21 October (R-E3).
    assert b.supplier_route.state is dr.RouteState.CLOSED
    assert b.supplier_route.code is dr.Ineligible.CONFIRMATION_WINDOW_PASSED
    # 45.00 + 15 (S-F1) + 15 (S-F2) is uncovered.
    assert b.uncovered == dr.Money("75.00", "USD") and b.uncovered.amount == Decimal("75.00")
    fees = b.customer.exposure.fees
    assert [(f.rule, f.kind, f.returned_on_win) for f in fees] == [
        ("S-F1", dr.FeeKind.DISPUTE, False),
        ("S-F2", dr.FeeKind.COUNTER, True),
    ]
    assert b.next_actions[0].kind is dr.BackToBackActionKind.RESPOND_TO_CUSTOMER
    assert "supplier's tracking (delivered 2026-10-05" in b.next_actions[0].text
    kinds = {a.kind for a in b.next_actions}
    assert dr.BackToBackActionKind.CONSIDER_SUPPLIER_CHARGEBACK in kinds
    assert dr.BackToBackActionKind.OPEN_SUPPLIER_DISPUTE not in kinds
    # S-N2: the Visa window ends with 17 February 2027.
    w = b.customer.windows[0]
    assert (w.family, w.network, w.closes_rule) == (dr.Family.NOT_RECEIVED, dr.Network.VISA, "S-N2")
    assert w.closes_at is not None and w.closes_at.utc == utc(2027, 2, 18)
    reason = b.customer.reason
    assert reason is not None and reason.rule == "S-R2" and reason.network_reason_code == "13.1"
    decision = b.customer.get("platform_decision")
    assert decision is not None and decision.rule == "S-L5" and decision.at.utc == utc(2027, 2, 21, 17, 15)


def test_example3_ebay_business_days_bind_first() -> None:
    b = b2b("ebay")
    binding = b.binding
    assert binding is not None
    # B-L1: Tue 23, Wed 24, Thu 25 June: the seller's time ends with Thursday.
    assert (binding.side, binding.milestone, binding.rule) == (
        dr.Side.CUSTOMER, dr.SellerMilestone.SELLER_RESPONSE, "B-L1")
    assert binding.at.utc == utc(2026, 6, 26)
    assert b.supplier_route.state is dr.RouteState.OPEN
    assert b.supplier_route.closes_before_customer_decision is False
    assert b.next_actions[0].kind is dr.BackToBackActionKind.RESPOND_TO_CUSTOMER
    assert "B-T1" in b.customer.rules
    # The customer side alone: the same timeline.
    r = pythonic(request("ebay"))
    t = dr.seller_timeline(r["customer_order"], r["now"], customer_dispute=r["customer_dispute"])
    assert isinstance(t, dr.SellerTimeline)
    assert t.response_due is not None and t.response_due.at.utc == utc(2026, 6, 26)
    idle = t.get(dr.SellerMilestone.IDLE_CLOSE)  # B-L3: Friday 3 July skipped
    assert idle is not None and idle.rule == "B-L3" and idle.at.utc == utc(2026, 7, 23)
    assert [e.milestone for e in t] == [e.milestone for e in t.entries] and len(t) == len(t.entries)
    assert t.next_actions[0].kind is dr.SellerActionKind.RESPOND
    # The windows of B-W1 in the local zone asked for.
    w = dr.seller_timeline(r["customer_order"], r["now"], time_zone=ZoneInfo("America/New_York")).windows[0]
    assert w.opens_at is not None and w.opens_at.utc == utc(2026, 6, 20)
    assert w.opens_at.local.utcoffset() == timedelta(hours=-4)


# --- the engine's answers, byte for byte ----------------------------------------


@pytest.mark.parametrize("name", SAMPLES)
@pytest.mark.parametrize("explain", [False, True])
def test_answers_are_the_engines(name: str, explain: bool) -> None:
    req = {**request(name), "explain": explain}
    b = b2b(name, explain=explain)
    assert b.to_json() == answer_text("back_to_back", req)
    assert b.to_dict() == json.loads(b.to_json()) == dr.call("back_to_back", req)
    assert dr.call("back_to_back", pythonic(req)) == b.to_dict()
    customer = {k: v for k, v in req.items() if k != "facts"}
    r = pythonic(customer)
    t = dr.seller_timeline(r["customer_order"], r["now"], customer_dispute=r["customer_dispute"], explain=explain)
    assert t.to_json() == answer_text("seller_timeline", customer)
    if name != "stripe":  # (there, BB-1 takes the delivery from the supplier's tracking)
        # The customer side of the back-to-back is the seller's timeline in the supplier's zone.
        assert b.customer.to_json() == answer_text("seller_timeline", {**customer, "time_zone": "America/Los_Angeles"})
    if explain:
        assert b.explanation and all(isinstance(s, dr.Step) for s in b.explanation)
        assert {"BB-3"} <= {s.rule for s in b.explanation}
        assert t.explanation is not None and t.explanation[0].rule
    else:
        assert b.explanation is None and t.explanation is None


def test_inputs_in_every_form_give_one_answer() -> None:
    r = request("paypal")
    want = b2b("paypal").to_json()
    text = {k: json.dumps(v) for k, v in r.items() if k != "now"}
    forms = [
        dr.back_to_back(r["facts"], r["customer_order"], r["now"], customer_dispute=r["customer_dispute"]),
        dr.back_to_back(text["facts"], text["customer_order"], r["now"], customer_dispute=text["customer_dispute"]),
        dr.back_to_back(text["facts"].encode(), text["customer_order"].encode(), r["now"],
                        customer_dispute=text["customer_dispute"].encode()),
        dr.back_to_back(r["facts"], {**r["customer_order"], "amount": dr.Money(Decimal("59.90"), "USD")},
                        dr.Moment(r["now"]), customer_dispute=r["customer_dispute"]),
        dr.back_to_back(r["facts"], r["customer_order"], r["now"], customer_dispute=r["customer_dispute"],
                        policy="aliexpress", selling_policy="paypal"),
        dr.back_to_back(r["facts"], r["customer_order"], r["now"], customer_dispute=r["customer_dispute"],
                        policy=dr.load_policy(), selling_policy=dr.load_selling_policy("paypal")),
        dr.back_to_back(r["facts"], r["customer_order"], r["now"], customer_dispute=r["customer_dispute"],
                        selling_policy=dr.load_selling_policy("paypal").to_dict()),
        dr.back_to_back(r["facts"], r["customer_order"], r["now"], customer_dispute=r["customer_dispute"],
                        selling_policy=dr.load_selling_policy("paypal").to_json()),
    ]
    assert [f.to_json() for f in forms] == [want] * len(forms)
    # The loaded supplier policy is used (the legacy window opens earlier).
    legacy = dr.back_to_back(r["facts"], r["customer_order"], r["now"], customer_dispute=r["customer_dispute"],
                             policy="aliexpress-legacy")
    assert legacy.to_json() == answer_text("back_to_back", {**r, "policy": "aliexpress-legacy"})
    assert legacy.to_json() != want


def test_selling_policies_load_and_round_trip() -> None:
    assert dr.SELLING_PRESETS == ("paypal", "ebay", "amazon", "stripe", "shopify_payments")
    for preset in dr.SELLING_PRESETS:
        p = dr.load_selling_policy(preset)
        assert isinstance(p, dr.SellingPolicy) and p.id == preset and p.platform == preset
        assert isinstance(p.platform, dr.Platform) and p.time_zone == "UTC"
        assert p.to_json() == answer_text("selling_policy", {"selling_policy": preset})
        assert dr.load_selling_policy(p.to_dict()) == p == dr.load_selling_policy(p.to_json())
        assert dr.load_selling_policy(p) == p and p["platform"] == preset and p["fees"] == p.to_dict()["fees"]
        assert repr(p) == f"SellingPolicy(id='{preset}', platform='{preset}')"
    assert dr.load_selling_policy("ebay") != dr.load_selling_policy("paypal")
    # A changed policy is used as given.
    mine = {**dr.load_selling_policy("paypal").to_dict(), "id": "paypal-mine"}
    r = pythonic(request("paypal"))
    t = dr.seller_timeline(r["customer_order"], r["now"], selling_policy=mine)
    assert t.policy == "paypal-mine"


# --- errors name their field -----------------------------------------------------


def order_with(**changes: Any) -> dict[str, Any]:
    return {**pythonic(request("paypal"))["customer_order"], **changes}


def dispute_with(**changes: Any) -> dict[str, Any]:
    return {**pythonic(request("paypal"))["customer_dispute"], **changes}


def facts(**changes: Any) -> dict[str, Any]:
    return {**pythonic(request("paypal"))["facts"], **changes}


NOW = datetime(2026, 4, 26, 12, tzinfo=UTC)
O, D = "customer_order", "customer_dispute"
FACTS_ERR, POLICY_ERR, REQUEST_ERR = dr.InvalidFactsError, dr.InvalidPolicyError, dr.InvalidRequestError


def run(op: str, req: dict[str, Any]) -> Any:
    """`op` through its typed entry point (`call:<op>`: through `dr.call`)."""
    if op.startswith("call:"):
        return dr.call(op[5:], req)
    if op == "selling_policy":
        return dr.load_selling_policy(req["selling_policy"])
    kw = dict(req)
    if op == "back_to_back":
        return dr.back_to_back(kw.pop("facts"), kw.pop(O), kw.pop("now"), **kw)
    return dr.seller_timeline(kw.pop(O), kw.pop("now"), **kw)


# (name, operation, request of Python values, error class, field, whether
# the same request can be written as JSON)
CASES: list[tuple[str, str, dict[str, Any], type[dr.DisputeRulesError], str, bool]] = [
    ("naive paid_at", "back_to_back", {"facts": facts(), O: order_with(paid_at=datetime(2026, 2, 28)), "now": NOW},
     FACTS_ERR, "customer_order.paid_at", False),
    ("float amount", "seller_timeline", {O: order_with(amount={"amount": 59.9, "currency": "USD"}), "now": NOW},
     FACTS_ERR, "customer_order.amount.amount", False),
    ("paid after now", "seller_timeline", {O: order_with(paid_at=NOW + timedelta(days=1)), "now": NOW},
     FACTS_ERR, "customer_order.paid_at", True),
    ("bad date", "seller_timeline", {O: order_with(paid_at="2026-02-30T00:00:00Z"), "now": NOW},
     FACTS_ERR, "customer_order.paid_at", True),
    ("unknown platform", "seller_timeline", {O: order_with(platform="venmo"), "now": NOW},
     FACTS_ERR, "customer_order.platform", True),
    ("missing field", "seller_timeline", {O: {k: v for k, v in order_with().items() if k != "paid_at"}, "now": NOW},
     FACTS_ERR, "customer_order.paid_at", True),
    ("order text", "seller_timeline", {O: "{", "now": NOW}, FACTS_ERR, "customer_order", False),
    ("unknown stage", "seller_timeline", {O: order_with(), "now": NOW, D: dispute_with(stage="enquiry")},
     FACTS_ERR, "customer_dispute.stage", True),
    ("dispute field", "seller_timeline", {O: order_with(), "now": NOW, D: dispute_with(colour="red")},
     FACTS_ERR, "customer_dispute.colour", True),
    ("dispute date", "seller_timeline", {O: order_with(), "now": NOW, D: dispute_with(respond_by=42)},
     FACTS_ERR, "customer_dispute.respond_by", True),
    ("both documents", "back_to_back",
     {"facts": facts(quantity=0), O: order_with(order_id=""), "now": NOW, D: dispute_with(stage="enquiry")},
     FACTS_ERR, "customer_order.order_id", True),
    ("supplier facts", "back_to_back", {"facts": facts(quantity=0), O: order_with(), "now": NOW},
     FACTS_ERR, "facts.quantity", True),
    ("supplier facts parse", "back_to_back", {"facts": facts(quantity="one"), O: order_with(), "now": NOW},
     FACTS_ERR, "facts.quantity", True),
    ("selling preset", "seller_timeline", {O: order_with(), "now": NOW, "selling_policy": "venmo"},
     POLICY_ERR, "selling_policy", True),
    ("selling policy", "selling_policy", {"selling_policy": {**dr.load_selling_policy("ebay").to_dict(), "fees": 5}},
     POLICY_ERR, "selling_policy.fees", True),
    ("selling policy type", "selling_policy", {"selling_policy": 5}, POLICY_ERR, "selling_policy", False),
    ("other platform", "seller_timeline", {O: order_with(), "now": NOW, "selling_policy": "ebay"},
     FACTS_ERR, "customer_order.platform", True),
    ("supplier policy", "back_to_back", {"facts": facts(), O: order_with(), "now": NOW, "policy": "nope"},
     POLICY_ERR, "policy", True),
    ("zone", "seller_timeline", {O: order_with(), "now": NOW, "time_zone": "Mars/Base"},
     REQUEST_ERR, "time_zone", True),
    ("zone type", "seller_timeline", {O: order_with(), "now": NOW, "time_zone": 5}, REQUEST_ERR, "time_zone", False),
    ("now", "back_to_back", {"facts": facts(), O: order_with(), "now": datetime(2026, 4, 26)},
     REQUEST_ERR, "now", False),
    ("explain", "back_to_back", {"facts": facts(), O: order_with(), "now": NOW, "explain": "yes"},
     REQUEST_ERR, "explain", False),
    ("call unused", "call:seller_timeline", {O: order_with(), "now": NOW, "facts": facts(), "policy": "aliexpress"},
     REQUEST_ERR, "facts", True),
    ("call unknown", "call:back_to_back", {O: order_with(), "now": NOW, "claim": {}}, REQUEST_ERR, "claim", True),
    ("call core op", "call:eligibility", {"facts": facts(), "now": NOW, O: {}}, REQUEST_ERR, O, True),
    ("call no facts", "call:back_to_back", {O: order_with(), "now": NOW}, REQUEST_ERR, "facts", True),
    ("call no order", "call:seller_timeline", {"now": NOW}, REQUEST_ERR, "customer_order", True),
    ("call no policy", "call:selling_policy", {}, REQUEST_ERR, "selling_policy", True),
    ("call explain unused", "call:selling_policy", {"selling_policy": "ebay", "explain": True},
     REQUEST_ERR, "explain", True),
]


@pytest.mark.parametrize(("name", "op", "req", "cls", "field", "as_json"), CASES, ids=[c[0] for c in CASES])
def test_errors_name_the_field(
    name: str, op: str, req: dict[str, Any], cls: type[dr.DisputeRulesError], field: str, as_json: bool
) -> None:
    with pytest.raises(cls) as e:
        run(op, req)
    assert type(e.value) is cls and e.value.field == field, e.value
    assert e.value.problems[0].field == field
    if not as_json:
        return
    # The same request through the JSON layer: the same error (kind, fields,
    # messages), but for the position serde_json adds to parse errors.
    env = json.loads(dr.call_json(op.removeprefix("call:"), json.dumps(jsonable(req))))
    assert env["result"] == "failure", env
    assert without_position(e.value.to_dict()) == without_position(env["error"])


def test_every_problem_is_reported_with_its_document() -> None:
    with pytest.raises(dr.InvalidFactsError) as e:
        dr.back_to_back(facts(quantity=0), order_with(order_id=""), NOW, customer_dispute=dispute_with(stage="x"))
    assert [p.field for p in e.value.problems] == [
        "customer_order.order_id", "customer_dispute.stage", "facts.quantity"]


POSITION = re.compile(r" at line \d+ column \d+")


def without_position(error: dict[str, Any]) -> Any:
    return json.loads(POSITION.sub("", json.dumps(error)))


def jsonable(v: Any) -> Any:
    """Python values as the JSON a user of the JSON layer writes."""
    if isinstance(v, dict):
        return {k: jsonable(x) for k, x in v.items()}
    if isinstance(v, list):
        return [jsonable(x) for x in v]
    if isinstance(v, datetime):
        return v.isoformat().replace("+00:00", "Z")
    if isinstance(v, Decimal):
        return str(v)
    return v


# --- result objects ----------------------------------------------------------------


def parts(b: dr.BackToBack) -> list[Any]:
    c = b.customer
    return [
        b, b.customer, b.supplier, b.supplier.eligibility, b.deadlines[0], b.binding, b.supplier_route, b.gap,
        b.next_actions[0], b.next_actions, c.windows[0], c.entries[0], c.response_due, c.evidence,
        c.evidence.items[0], c.evidence.signature, c.exposure, c.next_actions[0], c.reason, b.uncovered,
        b.explanation, b.explanation[0] if b.explanation else None, *c.exposure.fees[:1], *c.missing[:1],
    ]


@pytest.mark.parametrize("name", SAMPLES)
def test_results_pickle_copy_and_compare(name: str) -> None:
    b = b2b(name, explain=True)
    for x in parts(b) + [dr.load_selling_policy("stripe")]:
        if x is None:
            continue
        back = pickle.loads(pickle.dumps(x))
        assert type(back) is type(x) and back == x, repr(x)
        if hasattr(x, "to_json"):
            assert back.to_json() == x.to_json()
        if not isinstance(x, tuple):
            assert copy.copy(x) is x and copy.deepcopy(x) is x
    assert b == b2b(name, explain=True) and b != b2b(name)
    later = b2b(name, explain=True)
    assert pickle.loads(pickle.dumps(later)) == b  # the same inputs, the same answer


def test_reprs_show_what_matters() -> None:
    b = b2b("paypal")
    r = repr(b)
    assert r.startswith("BackToBack(order_id='S-1001', binding='supplier extension_request_deadline "
                        "2026-04-28 10:00 -07:00 (R-E5)', supplier_route='open', uncovered=None"), r
    assert "'request_supplier_extension', 'open_supplier_dispute'" in r
    assert repr(b.binding).startswith("BackToBackDeadline(side='supplier', milestone='extension_request_deadline'")
    assert repr(b.next_actions[0]).startswith("BackToBackAction(side='supplier', kind='request_supplier_extension'")
    assert "response_due='2026-05-05 14:00 -07:00 (P-L4, computed)'" in repr(b.customer)
    assert repr(b.customer.response_due).startswith("SellerEntry(milestone='seller_response'")
    s = repr(b2b("stripe"))
    assert "supplier_route='closed'" in s and "uncovered='75.00 USD'" in s


def codes_in(x: Any, seen: set[type], depth: int = 0) -> None:
    """Every code (str enum member) reachable from a result's attributes."""
    if depth > 6 or x is None or isinstance(x, (bool, int, Decimal, datetime, dr.Moment, dr.Money)):
        return
    if isinstance(x, str):
        return
    if isinstance(x, tuple):
        for y in x:
            if isinstance(y, dr._Code):
                seen.add(type(y))
            codes_in(y, seen, depth + 1)
        return
    for name in dir(type(x)):
        if name.startswith("_") or name in ("to_dict", "to_json", "get", "contains"):
            continue
        v = getattr(x, name)
        if callable(v):
            continue
        if isinstance(v, dr._Code):
            seen.add(type(v))
        elif isinstance(v, str) and name in ("kind", "state", "side", "origin", "family", "platform", "milestone"):
            raise AssertionError(f"{type(x).__name__}.{name} = {v!r} is not a known code")
        codes_in(v, seen, depth + 1)


def test_every_code_in_the_answers_is_known() -> None:
    seen: set[type] = set()
    for name in SAMPLES:
        for days in (0, 40):
            r = pythonic(request(name))
            b = dr.back_to_back(r["facts"], r["customer_order"], r["now"] + timedelta(days=days),
                                customer_dispute=r["customer_dispute"])
            codes_in(b, seen)
    want = {dr.Side, dr.Milestone, dr.SellerMilestone, dr.Origin, dr.RouteState, dr.BackToBackActionKind,
            dr.SellerActionKind, dr.Platform, dr.Family, dr.Network, dr.Grade, dr.SourceConfidence, dr.FeeKind,
            dr.Charged, dr.Waiver, dr.Reason, dr.Status, dr.ActionKind}
    assert want <= seen, want - seen
