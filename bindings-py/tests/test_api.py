"""Every entry point, the Python types at the edge, and the result objects."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest

import dispute_rules as dr
from conftest import NOW

UTC = timezone.utc


def same(a: object, b: object) -> bool:
    """Equality across types (a str enum equals its JSON string)."""
    return a == b


def shipped(facts: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(facts["shipped_at"].replace("Z", "+00:00"))


def engine_answer(op: str, request: dict[str, Any]) -> Any:
    """The raw engine answer, for comparing result objects with."""
    env = json.loads(dr.call_json(op, json.dumps(request)))
    assert env["result"] == "success", env
    return env["answer"]


def test_every_engine_operation_has_a_python_entry_point() -> None:
    # Fails when a new engine operation lands without its wrapper.
    missing = set(dr.OPERATIONS) - set(dr.WRAPPERS)
    assert not missing, f"operations without a Python wrapper: {sorted(missing)}"
    for op, name in dr.WRAPPERS.items():
        assert callable(getattr(dr, name)), op
    assert set(dr.BATCH_OPERATIONS) <= set(dr.OPERATIONS) | {"eligibility_timeline"}
    assert dr.DEFAULT_POLICY in dr.PRESETS
    assert dr.__version__.count(".") == 2


def test_eligibility_types_and_values(facts: dict[str, Any]) -> None:
    e = dr.eligibility(facts, NOW)
    raw = engine_answer("eligibility", {"facts": facts, "now": "2026-03-20T12:00:00Z"})
    assert e.to_dict() == raw
    assert isinstance(e.status, dr.Status) and e.status is dr.Status.ELIGIBLE and same(e.status, "eligible")
    assert e.is_eligible and e.code is None
    assert e.window is not None and e.protection_end is not None
    opens = e.window.opens_at
    # Aware datetimes out: the UTC instant, and the same instant in local time.
    assert opens.utc.tzinfo is UTC
    assert opens.utc == datetime.fromisoformat(raw["window"]["opens_at"]["utc"].replace("Z", "+00:00"))
    assert opens.local == opens.utc and opens.local.utcoffset() == timedelta(hours=-7)  # PDT
    assert opens.local.hour == 0  # R-E1: 00:00 local
    assert e.window.contains(NOW) and not e.window.contains(opens.utc - timedelta(microseconds=1))
    assert e.rules == tuple(raw["rules"]) and "R-E1" in e.rules
    assert [a.kind for a in e.next_actions] == [dr.ActionKind(a["kind"]) for a in raw["next_actions"]]
    for a, r in zip(e.next_actions, raw["next_actions"]):
        assert isinstance(a.kind, dr.ActionKind)
        assert (a.deadline.to_dict() if a.deadline else None) == r.get("deadline")
        assert (a.from_.to_dict() if a.from_ else None) == r.get("from")
        assert a.rule == r["rule"] and a.text == r["text"]
    assert e.explanation is None


@pytest.mark.parametrize(
    ("days", "status", "code"),
    [
        (2, dr.Status.NOT_YET, dr.Ineligible.TOO_EARLY),
        (200, dr.Status.CLOSED, dr.Ineligible.CONFIRMATION_TIMEOUT),
    ],
)
def test_eligibility_codes(facts: dict[str, Any], days: int, status: dr.Status, code: dr.Ineligible) -> None:
    now = shipped(facts) + timedelta(days=days)
    e = dr.eligibility(facts, now)
    assert (e.status, e.code) == (status, code)
    assert isinstance(e.code, dr.Ineligible)
    assert e.to_dict() == engine_answer("eligibility", {"facts": facts, "now": now.isoformat()})


def test_not_shipped_has_no_window(facts: dict[str, Any]) -> None:
    del facts["shipped_at"]
    e = dr.eligibility(facts, NOW)
    assert (e.status, e.code, e.window, e.protection_end) == (dr.Status.BLOCKED, dr.Ineligible.NOT_SHIPPED, None, None)
    assert dr.timeline(facts, NOW).entries == ()


def test_explanations(facts: dict[str, Any]) -> None:
    e = dr.eligibility(facts, NOW, explain=True)
    assert e.explanation and all(isinstance(s, dr.Step) for s in e.explanation)
    assert all(s.rule.startswith(("R-", "C-")) and s.text for s in e.explanation)
    t = dr.timeline(facts, NOW, explain=True)
    assert t.explanation and len(t.explanation) == len(t.entries)
    assert dr.timeline(facts, NOW).explanation is None


def test_timeline(facts: dict[str, Any]) -> None:
    t = dr.timeline(facts, NOW)
    assert t.to_dict() == engine_answer("timeline", {"facts": facts, "now": "2026-03-20T12:00:00Z"})
    assert len(t) == len(t.entries) > 0 and list(t) == list(t.entries)
    assert [e.at.utc for e in t] == sorted(e.at.utc for e in t)
    assert all(isinstance(e.milestone, dr.Milestone) for e in t)
    opens = t.get(dr.Milestone.DISPUTE_WINDOW_OPENS)
    assert opens is not None and opens.passed and opens.rule == "R-E1"
    assert t.get("dispute_window_opens") == opens
    assert t.get(dr.Milestone.DELIVERED_CUT_ENDS) is None
    nxt = t.upcoming()
    assert nxt is not None and not nxt.passed and all(e.passed for e in t.entries[: t.entries.index(nxt)])
    assert all(e.passed == (e.at.utc <= NOW) for e in t)


def test_assess_is_everything_at_once(facts: dict[str, Any]) -> None:
    a = dr.assess(facts, NOW)
    assert (a.order_id, a.line_id) == (facts["order_id"], facts["line_id"])
    assert a.eligibility == dr.eligibility(facts, NOW)
    assert a.timeline == dr.timeline(facts, NOW)
    assert a.status is a.eligibility.status
    assert a.to_dict() == engine_answer("assess", {"facts": facts, "now": "2026-03-20T12:00:00Z"})
    # The other parts: reasons, the checklist of the best one, the likely outcome.
    assert a.reasons.to_dict() == dr.suggest_reasons(facts, NOW).to_dict()
    assert isinstance(a.checklist, dr.Checklist) and a.checklist.reason is a.reasons.reasons[0].reason
    assert a.claim is None
    assert isinstance(a.prediction, dr.Prediction) and a.prediction == dr.predict(facts, NOW)


def test_assess_with_a_claim_and_the_sellers_behaviour(facts: dict[str, Any]) -> None:
    claim = {"reason": "not_received.no_tracking", "solution": "refund_only", "refund": dr.Money("19.99", "USD")}
    a = dr.assess(facts, NOW, claim=claim, seller="silent", report={"received": False})
    assert isinstance(a.claim, dr.ClaimCheck) and a.claim.refund == dr.Money("19.99", "USD")
    assert isinstance(a.prediction, dr.Prediction)
    assert a.prediction.to_dict() == dr.predict(facts, NOW, claim=claim, seller="silent", report={"received": False}).to_dict()
    # A bad claim is reported in its part; the rest of the assessment stands.
    bad = dr.assess(facts, NOW, claim={**claim, "refund": dr.Money("1000", "USD")})
    assert isinstance(bad.claim, dr.InvalidClaimError) and bad.claim.field == "claim.refund.amount"
    assert bad.eligibility == a.eligibility and isinstance(bad.prediction, dr.Prediction)
    with pytest.raises(dr.InvalidRequestError):
        dr.assess(facts, NOW, seller="bribed")


def test_predict(facts: dict[str, Any]) -> None:
    p = dr.predict(facts, NOW, explain=True)
    assert p.reason is dr.Reason.NOT_RECEIVED_NO_TRACKING
    assert p.likely.likelihood_percent == max(o.likelihood_percent for o in p.outcomes)
    assert isinstance(p.likely.refund, dr.Money) and isinstance(p.likely.refund.amount, Decimal)
    assert p.to_dict() == engine_answer("predict", {"facts": facts, "now": "2026-03-20T12:00:00Z", "explain": True})


def test_validate_facts(facts: dict[str, Any]) -> None:
    assert dr.validate_facts(facts, NOW)["order_id"] == facts["order_id"]
    bad = {**facts, "quantity": 0, "order_id": " "}
    with pytest.raises(dr.InvalidFactsError) as e:
        dr.validate_facts(bad, NOW)
    assert {p.field for p in e.value.problems} >= {"facts.quantity", "facts.order_id"}
    assert len(e.value.problems) >= 2  # every problem, not just the first


def test_facts_as_dict_json_text_bytes_and_python_values(facts: dict[str, Any]) -> None:
    want = dr.assess(facts, NOW)
    assert dr.assess(json.dumps(facts), NOW) == want
    assert dr.assess(json.dumps(facts).encode(), NOW) == want
    native = dict(facts)
    # Aware datetimes in any zone, Decimal and Money, str enums.
    native["placed_at"] = shipped(facts).astimezone(ZoneInfo("Asia/Shanghai")) - timedelta(days=2, hours=9)
    native["paid_at"] = datetime.fromisoformat(facts["paid_at"].replace("Z", "+00:00"))
    native["shipped_at"] = shipped(facts).astimezone(timezone(timedelta(hours=8)))
    native["unit_price"] = dr.Money(Decimal("19.99"), "USD")
    native["shipping_cost"] = {"amount": Decimal("0"), "currency": "USD"}
    native["tracking"] = {"status": "none"}
    got = dr.assess(native, NOW)
    assert got.eligibility == want.eligibility and got.timeline == want.timeline


def test_now_forms(facts: dict[str, Any]) -> None:
    want = dr.eligibility(facts, NOW)
    assert dr.eligibility(facts, NOW.astimezone(ZoneInfo("Europe/Moscow"))) == want
    assert dr.eligibility(facts, "2026-03-20T12:00:00Z") == want
    assert dr.eligibility(facts, dr.Moment(NOW)) == want


def test_naive_now_is_refused_naming_the_argument(facts: dict[str, Any]) -> None:
    with pytest.raises(dr.InvalidRequestError) as e:
        dr.eligibility(facts, datetime(2026, 3, 20, 12))
    assert e.value.field == "now" and "naive" in str(e.value)
    with pytest.raises(dr.InvalidRequestError) as e:
        dr.batch([facts], datetime(2026, 3, 20, 12))
    assert e.value.field == "now"
    with pytest.raises(dr.InvalidRequestError) as e:
        dr.timeline(facts, 1773000000)  # type: ignore[arg-type]
    assert e.value.field == "now"


@pytest.mark.parametrize(
    ("path", "field"),
    [
        (("shipped_at",), "facts.shipped_at"),
        (("tracking", "at"), "facts.tracking.at"),
        (("extensions", 0, "requested_at"), "facts.extensions[0].requested_at"),
    ],
)
def test_naive_datetime_in_facts_names_its_field(facts: dict[str, Any], path: tuple[Any, ...], field: str) -> None:
    facts["tracking"] = {"status": "delivered", "at": "2026-03-10T00:00:00Z"}
    facts["extensions"] = [{"requested_at": "2026-03-10T00:00:00Z", "days": 5, "status": "pending"}]
    target: Any = facts
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = datetime(2026, 3, 10)
    with pytest.raises(dr.InvalidFactsError) as e:
        dr.assess(facts, NOW)
    assert e.value.field == field and "naive" in e.value.problems[0].message


@pytest.mark.parametrize("junk", [{1, 2}, object(), float("nan"), datetime(2026, 1, 1).date()])
def test_values_that_cannot_be_sent_name_their_field(facts: dict[str, Any], junk: Any) -> None:
    facts["coupon"] = {"amount": junk, "currency": "USD"}
    with pytest.raises(dr.InvalidFactsError) as e:
        dr.eligibility(facts, NOW)
    assert e.value.field == "facts.coupon.amount"


def test_explain_must_be_a_bool(facts: dict[str, Any]) -> None:
    with pytest.raises(dr.InvalidRequestError) as e:
        dr.eligibility(facts, NOW, explain="yes")  # type: ignore[arg-type]
    assert e.value.field == "explain"


def test_policy_forms(facts: dict[str, Any]) -> None:
    legacy = dr.load_policy("aliexpress-legacy")
    assert isinstance(legacy, dr.Policy) and legacy.id == "aliexpress-legacy"
    assert legacy.time_zone == "America/Los_Angeles" and legacy["eligibility"]["earliest_open_day"] == 6
    assert legacy == dr.load_policy(legacy.to_json()) == dr.load_policy(legacy.to_dict()) == dr.load_policy(legacy)
    assert dr.load_policy() == dr.load_policy("aliexpress") != legacy
    assert legacy.to_dict() == engine_answer("policy", {"policy": "aliexpress-legacy"})
    assert "aliexpress-legacy" in repr(legacy)
    want = dr.eligibility(facts, NOW, policy="aliexpress-legacy")
    for form in (legacy, legacy.to_dict(), legacy.to_json()):
        assert dr.eligibility(facts, NOW, policy=form) == want
    # The legacy preset opens the window on day 6 instead of day 11 (R-E1).
    default = dr.eligibility(facts, NOW)
    assert want.window and default.window and want.window.opens_at < default.window.opens_at


def test_invalid_policy_names_the_field() -> None:
    p = dr.load_policy().to_dict()
    p["eligibility"]["earliest_open_day"] = 100_000
    with pytest.raises(dr.InvalidPolicyError) as e:
        dr.load_policy(p)
    assert e.value.field == "policy.eligibility.earliest_open_day"
    with pytest.raises(dr.InvalidPolicyError) as e:
        dr.load_policy("no-such-preset")
    assert e.value.field == "policy" and "aliexpress" in e.value.problems[0].message
    with pytest.raises(dr.InvalidPolicyError) as e:
        dr.load_policy("{not json")
    assert e.value.field == "policy"


def test_call_and_call_json(facts: dict[str, Any]) -> None:
    text = json.dumps({"facts": facts, "now": "2026-03-20T12:00:00Z", "explain": True})
    env = json.loads(dr.call_json("assess", text))
    assert env["result"] == "success"
    assert dr.call("assess", text) == env["answer"]
    assert dr.call("assess", {"facts": facts, "now": NOW, "explain": True}) == env["answer"]
    assert dr.assess(facts, NOW, explain=True).to_dict() == env["answer"]
    bad = json.loads(dr.call_json("no_such_op", "{}"))
    assert bad["result"] == "failure" and bad["error"]["kind"] == "invalid_request"
    assert json.loads(dr.call_json("assess", "\x00 not json"))["result"] == "failure"
    with pytest.raises(dr.InvalidRequestError) as e:
        dr.call("no_such_op", {})
    assert e.value.field == "operation"
    with pytest.raises(dr.InvalidRequestError) as e:
        dr.call("assess", 42)  # type: ignore[arg-type]
    assert e.value.field == "request"


def test_result_objects_repr_and_to_dict(facts: dict[str, Any]) -> None:
    a = dr.assess(facts, NOW)
    r = repr(a)
    assert "Assessment(order_id='8123'" in r and "status='eligible'" in r and "R-E1" in r
    assert "dispute_window_opens@" in repr(a.timeline)
    assert repr(a.eligibility.window.opens_at if a.eligibility.window else None).startswith("Moment('2026-")
    d = a.to_dict()
    d["eligibility"]["status"] = "changed"
    assert a.to_dict()["eligibility"]["status"] == "eligible"  # a copy
    assert json.loads(a.to_json()) == a.to_dict()
    assert a != dr.assess(facts, NOW + timedelta(days=60))


def test_moment() -> None:
    m = dr.Moment("2026-03-12T07:00:00.120Z", "America/Los_Angeles")
    assert m.utc == datetime(2026, 3, 12, 7, 0, 0, 120000, tzinfo=UTC) and m.utc.tzinfo is UTC
    assert m.local == m.utc and m.local.utcoffset() == timedelta(hours=-7) and m.time_zone == "America/Los_Angeles"
    assert m.to_dict() == {"utc": "2026-03-12T07:00:00.120000000Z", "local": "2026-03-12T00:00:00.120000000-07:00"}
    assert str(m) == "2026-03-12 00:00 PDT (2026-03-12 07:00 UTC)"  # as the engine writes it
    assert repr(m) == "Moment('2026-03-12T07:00:00.120000000Z', local='2026-03-12T00:00:00.120000000-07:00')"
    nanos = dr.Moment("2026-03-12T07:00:00.123456789Z")
    assert nanos.utc.microsecond == 123456 and nanos.to_dict()["utc"] == "2026-03-12T07:00:00.123456789Z"
    assert dr.Moment(NOW) < dr.Moment(NOW + timedelta(seconds=1)) and dr.Moment(NOW) <= dr.Moment(NOW)
    assert hash(dr.Moment(NOW)) == hash(dr.Moment(NOW.astimezone(ZoneInfo("Asia/Tokyo"))))
    assert dr.Moment(NOW) == dr.Moment(dr.Moment(NOW)) != dr.Moment(NOW, "Asia/Tokyo")
    with pytest.raises(dr.InvalidRequestError) as e:
        dr.Moment(datetime(2026, 1, 1))
    assert e.value.field == "utc" and "naive" in e.value.message
    with pytest.raises(dr.InvalidRequestError) as e:
        dr.Moment(NOW, "Mars/Olympus")
    assert e.value.field == "time_zone"


def test_money() -> None:
    m = dr.Money("19.99", "USD")
    assert m.amount == Decimal("19.99") and isinstance(m.amount, Decimal) and m.currency == "USD"
    assert m == dr.Money(Decimal("19.99"), "USD") and m.to_dict() == {"amount": "19.99", "currency": "USD"}
    assert str(m) == "19.99 USD" and repr(m) == "Money('19.99', 'USD')"
    assert len({m, dr.Money(Decimal("19.990"), "USD")}) == 1
    assert dr.Money(5, "JPY").amount == 5 and dr.Money(Decimal("1E+2"), "EUR").amount == 100
    with pytest.raises(dr.InvalidRequestError) as e:
        dr.Money(19.99, "USD")  # type: ignore[arg-type]
    assert e.value.field == "amount" and "float" in e.value.message and "Decimal" in e.value.message
    with pytest.raises(dr.InvalidRequestError) as e:
        dr.Money("19.99", "usd")
    assert e.value.field == "currency"
    with pytest.raises(dr.InvalidRequestError):
        dr.Money("ten", "USD")


def test_codes_are_str_enums() -> None:
    assert same(dr.Status.ELIGIBLE, "eligible") and str(dr.Status.ELIGIBLE) == "eligible"
    assert f"{dr.Ineligible.TOO_EARLY}" == "too_early"
    assert json.dumps([dr.Milestone.SHIPPED]) == '["shipped"]'
    assert dr.Status("closed") is dr.Status.CLOSED


def test_python_enums_hold_every_engine_code() -> None:
    # The compiled module lists every code of every enum the answers carry
    # (by exhaustive matches in Rust): the Python enums must hold them all.
    codes = dr._native._codes()
    assert len(codes) >= 19
    for name, values in codes.items():
        enum = getattr(dr, name)
        assert [m.value for m in enum] == values, name


def test_every_code_in_answers_is_known(varied: list[dict[str, Any]]) -> None:
    seen: set[type] = set()
    for now in (NOW, NOW + timedelta(days=40)):
        for r in dr.batch(varied, now):
            assert isinstance(r, dr.EligibilityTimeline), r
            e = r.eligibility
            values: list[Any] = [e.status, *(a.kind for a in e.next_actions), *(x.milestone for x in r.timeline)]
            if e.code is not None:
                values.append(e.code)
            for v in values:
                assert isinstance(v, dr._Code), f"unknown code {v!r}"
                seen.add(type(v))
    assert seen == {dr.Status, dr.Ineligible, dr.ActionKind, dr.Milestone}


def test_package_ships_stubs_and_py_typed() -> None:
    import importlib.resources

    files = {p.name for p in importlib.resources.files("dispute_rules").iterdir()}
    assert {"py.typed", "_dispute_rules.pyi", "__init__.py"} <= files
