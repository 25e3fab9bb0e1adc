"""The native binding: Python values read in Rust (exact money or refused,
`__index__` integers, depth limits), result classes that pickle, copy and
cross process boundaries, and an error naming the field for every input."""

from __future__ import annotations

import copy
import importlib
import json
import multiprocessing
import pickle
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest

import dispute_rules as dr
from conftest import DATA, NOW, sample_facts

CLAIM: dict[str, Any] = {
    "reason": "not_received.no_tracking",
    "solution": "refund_only",
    "refund": {"amount": "19.99", "currency": "USD"},
}


def everything() -> list[Any]:
    """One result object of every kind (and parts of them)."""
    f = sample_facts()
    opened = dr.lifecycle_open(f, CLAIM, NOW, explain=True)
    later = NOW + timedelta(days=1)
    offer = {"at": later, "actor": "seller", "kind": "counter_offer",
             "offer": {"solution": "refund_only", "refund": dr.Money("10", "USD")}}
    nego = dr.lifecycle_apply(opened, offer)
    full = dr.assess(f, NOW, claim=CLAIM, seller="silent", explain=True)
    bad = dr.assess(f, NOW, claim={**CLAIM, "refund": {"amount": "1000", "currency": "USD"}})
    e = dr.eligibility(f, NOW, explain=True)
    assert e.window is not None and full.prediction is not None
    assert isinstance(full.prediction, dr.Prediction)
    return [
        e, e.window, e.window.opens_at, e.next_actions[0], e.explanation,
        dr.timeline(f, NOW), dr.timeline(f, NOW).entries[1],
        full, bad, full.reasons, full.reasons.reasons[0], full.checklist, full.claim,
        full.prediction, full.prediction.likely, full.prediction.factors[0], full.prediction.likely.open_api,
        dr.suggest_reasons(f, NOW, report={"received": False}),
        dr.check_claim(f, CLAIM, NOW), dr.evidence_checklist(reason="received.damaged", attachments=[]),
        dr.predict(f, NOW, claim=CLAIM, seller="refused"),
        opened, opened.dispute, opened.allowed, opened.claim, nego,
        dr.lifecycle_advance(nego, NOW + timedelta(days=20)), dr.lifecycle_status(nego, later),
        dr.lifecycle_allowed(nego, "buyer", later),
        dr.reasons(), dr.reasons()[4], dr.reasons()[4].interop,
        dr.load_policy("aliexpress-legacy"), dr.Money("19.99", "USD"),
        dr.batch([f, {**f, "quantity": 0}, json.dumps(f)], NOW),
        dr.batch(json.dumps(f) + "\n\n{junk\n", NOW, op="assess"),
        *back_to_back(),
    ]


def back_to_back() -> list[Any]:
    """The selling side's results (a worked example) and parts of them."""
    r = json.loads((DATA / "back_to_back" / "paypal_supplier_binds_first.json").read_text())
    b = dr.back_to_back(r["facts"], r["customer_order"], r["now"], customer_dispute=r["customer_dispute"],
                        explain=True)
    t = dr.seller_timeline(r["customer_order"], r["now"], selling_policy=dr.load_selling_policy("paypal"))
    assert b.binding is not None and b.gap is not None and b.explanation is not None
    return [b, b.customer, b.supplier, b.binding, b.deadlines[3], b.supplier_route, b.gap, b.next_actions[1],
            b.explanation[0], t, t.windows[0], t.exposure, t.exposure.fees[0], t.evidence, dr.load_selling_policy("ebay")]


def same(a: Any, b: Any) -> bool:
    if isinstance(a, (list, tuple)):
        return type(a) is type(b) and len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, dr.BatchResult):
        return isinstance(b, dr.BatchResult) and a.to_jsonl() == b.to_jsonl() and a.op == b.op
    return type(a) is type(b) and a == b and (not hasattr(a, "to_json") or a.to_json() == b.to_json())


def test_every_result_pickles_and_copies() -> None:
    for x in everything():
        back = pickle.loads(pickle.dumps(x))
        assert same(back, x), repr(x)
        # Immutable: copies are the object itself (tuples copy their items).
        if not isinstance(x, (list, tuple)):
            assert copy.copy(x) is x and copy.deepcopy(x) is x
        assert same(copy.deepcopy(x), x)


def test_a_changed_result_does_not_unpickle_equal() -> None:
    # Pickling keeps the inputs, not a snapshot: different inputs, different answer.
    f = sample_facts()
    a, b = dr.eligibility(f, NOW), dr.eligibility(f, NOW + timedelta(days=90))
    assert pickle.loads(pickle.dumps(a)) != b and pickle.loads(pickle.dumps(b)) == b


def _work(now_days: int) -> tuple[dr.Eligibility, dr.Assessment, dr.BatchResult[Any], dr.Policy]:
    f = sample_facts()
    now = NOW + timedelta(days=now_days)
    return dr.eligibility(f, now), dr.assess(f, now), dr.batch([f, {**f, "quantity": 0}], now), dr.load_policy()


def test_results_cross_a_process_pool() -> None:
    ctx = multiprocessing.get_context("spawn")  # a fresh interpreter: nothing shared
    with ProcessPoolExecutor(max_workers=2, mp_context=ctx) as pool:
        got = list(pool.map(_work, [0, 40]))
    for days, (e, a, r, p) in zip([0, 40], got):
        want = _work(days)
        assert e == want[0] and a == want[1] and p == want[3]
        assert r.to_jsonl() == want[2].to_jsonl() and r.errors[0].field == "facts.quantity"


# --- money: exact or refused ---------------------------------------------------


@pytest.mark.parametrize(
    ("call", "cls", "field"),
    [
        (lambda f: dr.eligibility({**f, "unit_price": {"amount": 0.1 + 0.2, "currency": "USD"}}, NOW),
         dr.InvalidFactsError, "facts.unit_price.amount"),
        (lambda f: dr.eligibility({**f, "coupon": {"amount": 1.0, "currency": "USD"}}, NOW),
         dr.InvalidFactsError, "facts.coupon.amount"),
        (lambda f: dr.check_claim(f, {**CLAIM, "refund": {"amount": 19.99, "currency": "USD"}}, NOW),
         dr.InvalidClaimError, "claim.refund.amount"),
        (lambda f: dr.predict(f, NOW, seller={"status": "counter_offered", "amount": {"amount": 5.0, "currency": "USD"}}),
         dr.InvalidRequestError, "seller.amount.amount"),
        (lambda f: dr.batch([{**f, "shipping_cost": {"amount": 2.5, "currency": "USD"}}], NOW).answer(0),
         dr.InvalidFactsError, "facts.shipping_cost.amount"),
    ],
)
def test_a_float_amount_is_refused_naming_the_field(
    call: Callable[[dict[str, Any]], Any], cls: type[dr.DisputeRulesError], field: str
) -> None:
    with pytest.raises(cls) as e:
        call(sample_facts())
    assert e.value.field == field
    assert "float" in e.value.problems[0].message and "`str`" in e.value.message and "`Decimal`" in e.value.message


def test_a_float_never_becomes_an_exact_amount() -> None:
    f = sample_facts()
    coupon = dr.Money(Decimal("0.1") + Decimal("0.2"), "USD")
    got = dr.validate_facts({**f, "coupon": coupon}, NOW)
    assert got["coupon"] == {"amount": "0.3", "currency": "USD"}
    with pytest.raises(dr.InvalidRequestError):
        dr.Money(0.1 + 0.2, "USD")  # type: ignore[arg-type]


def test_decimal_amounts_keep_their_exact_text() -> None:
    f = sample_facts()
    for amount in [Decimal("19.990"), Decimal("1999E-2"), "19.99", 20]:
        got = dr.validate_facts({**f, "unit_price": {"amount": amount, "currency": "USD"}}, NOW)
        assert got["unit_price"]["amount"] == str(amount if not isinstance(amount, Decimal) else amount)
        want = dr.validate_facts(json.dumps({**f, "unit_price": {"amount": str(amount), "currency": "USD"}}), NOW)
        assert Decimal(got["unit_price"]["amount"]) == Decimal(want["unit_price"]["amount"])
    with pytest.raises(dr.InvalidFactsError) as e:
        dr.eligibility({**f, "unit_price": {"amount": Decimal("NaN"), "currency": "USD"}}, NOW)
    assert e.value.field == "facts.unit_price.amount"


def test_excess_decimals_are_judged_as_the_core_judges_them() -> None:
    # C-2: an amount with more decimals than its currency has (19.999 USD).
    # Python values and JSON text go through the same core check: same outcome.
    f = {**sample_facts(), "unit_price": {"amount": Decimal("19.999"), "currency": "USD"}}
    text = json.dumps({**f, "unit_price": {"amount": "19.999", "currency": "USD"}})
    env = json.loads(dr.call_json("eligibility", json.dumps({"facts": json.loads(text), "now": "2026-03-20T12:00:00Z"})))
    if env["result"] == "success":
        assert dr.eligibility(f, NOW).to_dict() == env["answer"]
    else:
        with pytest.raises(dr.InvalidFactsError) as e:
            dr.eligibility(f, NOW)
        assert e.value.to_dict() == env["error"] and "C-2" in e.value.message


class Index:
    """An integer-like value (as numpy integers are): it has `__index__`."""

    def __init__(self, n: int) -> None:
        self.n = n

    def __index__(self) -> int:
        return self.n


def test_integers_are_anything_with_index() -> None:
    f = sample_facts()
    want = dr.assess({**f, "quantity": 2}, NOW)
    assert dr.assess({**f, "quantity": Index(2)}, NOW) == want
    with pytest.raises(dr.InvalidFactsError) as e:
        dr.eligibility({**f, "quantity": Index(-1)}, NOW)
    assert e.value.field == "facts.quantity"
    with pytest.raises(dr.InvalidFactsError) as e:
        dr.eligibility({**f, "quantity": 2**70}, NOW)
    assert e.value.field == "facts.quantity"
    try:
        np: Any = importlib.import_module("numpy")  # optional: only when installed
    except ImportError:
        return
    assert dr.assess({**f, "quantity": np.int64(2)}, NOW) == want
    with pytest.raises(dr.InvalidFactsError):
        dr.eligibility({**f, "unit_price": {"amount": np.float64(1.5), "currency": "USD"}}, NOW)


# --- depth ---------------------------------------------------------------------


def deep(n: int, leaf: Any = "x", kind: str = "dict") -> Any:
    v: Any = leaf
    for _ in range(n):
        v = {"a": v} if kind == "dict" else [v]
    return v


@pytest.mark.parametrize("kind", ["dict", "list"])
def test_deep_nesting_is_an_error_naming_the_field(kind: str) -> None:
    f = sample_facts()
    with pytest.raises(dr.InvalidFactsError) as e:
        dr.eligibility({**f, "tracking": {"status": "delivered", "at": deep(1000, kind=kind)}}, NOW)
    # Refused at the first level whose type is wrong (the facts reader does
    # not buffer), or by the depth limit where a value is walked whole:
    # either way an error naming the field, never a RecursionError.
    message = e.value.problems[0].message
    assert e.value.field.startswith("facts.tracking.at")
    assert "levels deep" in message or "invalid type" in message, message
    with pytest.raises(dr.InvalidClaimError) as c:
        dr.check_claim(f, {**CLAIM, "evidence": deep(1000, kind=kind)}, NOW)
    assert c.value.field.startswith("claim.evidence")
    with pytest.raises(dr.InvalidPolicyError) as p:
        dr.load_policy({**dr.load_policy().to_dict(), "eligibility": deep(1000, kind=kind)})
    assert p.value.field.startswith("policy.eligibility")
    # A batch: the deep order fails alone.
    r = dr.batch([f, {**f, "disputes": deep(1000, kind=kind)}, f], NOW)
    assert (r.ok_count, r.errors[0].index) == (2, 1) and r.errors[0].field.startswith("facts.disputes")


def test_a_cycle_is_an_error_not_a_crash() -> None:
    f = sample_facts()
    loop: dict[str, Any] = {"status": "delivered"}
    loop["at"] = loop
    with pytest.raises(dr.InvalidFactsError) as e:
        dr.eligibility({**f, "tracking": loop}, NOW)
    assert e.value.field.startswith("facts.tracking.at")


def test_json_text_nesting_is_limited_too() -> None:
    with pytest.raises(dr.InvalidFactsError) as e:
        dr.eligibility("[" * 1000 + "]" * 1000, NOW)
    assert e.value.field.startswith("facts")


# --- every input kind names its field -------------------------------------------


def dispute_of(f: dict[str, Any]) -> dr.Dispute:
    return dr.lifecycle_open(f, CLAIM, NOW).dispute


def with_int_key(f: dict[str, Any]) -> Any:
    d: dict[Any, Any] = dict(f)
    d[1] = "x"
    return d


CASES: list[tuple[str, Callable[[dict[str, Any]], Any], type[dr.DisputeRulesError], str]] = [
    ("facts dict", lambda f: dr.eligibility({**f, "quantity": "2"}, NOW), dr.InvalidFactsError, "facts.quantity"),
    ("facts missing", lambda f: dr.eligibility({k: v for k, v in f.items() if k != "line_id"}, NOW),
     dr.InvalidFactsError, "facts.line_id"),
    ("facts unknown", lambda f: dr.eligibility({**f, "colour": "red"}, NOW), dr.InvalidFactsError, "facts.colour"),
    ("facts key", lambda f: dr.eligibility(with_int_key(f), NOW), dr.InvalidFactsError, "facts"),
    ("facts nested", lambda f: dr.eligibility({**f, "extensions": [{"requested_at": NOW, "days": "x", "status": "pending"}]}, NOW),
     dr.InvalidFactsError, "facts.extensions[0].days"),
    ("facts type", lambda f: dr.eligibility(42, NOW), dr.InvalidFactsError, "facts"),  # type: ignore[arg-type]
    ("facts bytes", lambda f: dr.eligibility(b"\xff", NOW), dr.InvalidFactsError, "facts"),
    ("facts json", lambda f: dr.eligibility(json.dumps({**f, "quantity": -1}), NOW), dr.InvalidFactsError, "facts.quantity"),
    ("facts date", lambda f: dr.eligibility({**f, "placed_at": NOW.date()}, NOW), dr.InvalidFactsError, "facts.placed_at"),
    ("now naive", lambda f: dr.eligibility(f, datetime(2026, 3, 20)), dr.InvalidRequestError, "now"),
    ("now text", lambda f: dr.eligibility(f, "yesterday"), dr.InvalidRequestError, "now"),
    ("policy preset", lambda f: dr.eligibility(f, NOW, policy="nope"), dr.InvalidPolicyError, "policy"),
    ("policy dict", lambda f: dr.eligibility(f, NOW, policy={**dr.load_policy().to_dict(), "time_zone": "Mars/Base"}),
     dr.InvalidPolicyError, "policy.time_zone"),
    ("policy json", lambda f: dr.eligibility(f, NOW, policy="{"), dr.InvalidPolicyError, "policy"),
    ("explain", lambda f: dr.eligibility(f, NOW, explain=1), dr.InvalidRequestError, "explain"),  # type: ignore[arg-type]
    ("report", lambda f: dr.suggest_reasons(f, NOW, report={"units_received": "many"}), dr.InvalidRequestError,
     "report.units_received"),
    ("claim", lambda f: dr.check_claim(f, {**CLAIM, "solution": "magic"}, NOW), dr.InvalidClaimError, "claim.solution"),
    ("claim json", lambda f: dr.check_claim(f, "{", NOW), dr.InvalidClaimError, "claim"),
    ("seller status", lambda f: dr.predict(f, NOW, seller="bribed"), dr.InvalidRequestError, "seller.status"),
    ("seller dict", lambda f: dr.predict(f, NOW, seller={"status": "silent", "amount": "1"}), dr.InvalidRequestError, "seller.amount"),
    ("dispute dict", lambda f: dr.lifecycle_status({**dispute_of(f).to_dict(), "schema_version": 9}, NOW),
     dr.InvalidRequestError, "dispute.schema_version"),
    ("dispute json", lambda f: dr.lifecycle_status("[]", NOW), dr.InvalidRequestError, "dispute"),
    ("event", lambda f: dr.lifecycle_apply(dispute_of(f), {"at": NOW, "actor": "seller", "kind": "dance"}),
     dr.InvalidRequestError, "event.kind"),
    ("event at", lambda f: dr.lifecycle_apply(dispute_of(f), {"at": datetime(2026, 3, 21), "actor": "seller", "kind": "accept"}),
     dr.InvalidRequestError, "event.at"),
    ("actor", lambda f: dr.lifecycle_allowed(dispute_of(f), "judge", NOW), dr.InvalidRequestError, "actor"),
    ("reason", lambda f: dr.evidence_checklist(reason="received.sad"), dr.InvalidRequestError, "reason"),
    ("attachments", lambda f: dr.evidence_checklist(reason="received.damaged", attachments=[{"kind": "image"}]),
     dr.InvalidClaimError, "attachments[0].file_name"),
    ("orders", lambda f: dr.batch(f, NOW), dr.InvalidRequestError, "orders"),
    ("batch op", lambda f: dr.batch([f], NOW, op="predict"), dr.InvalidRequestError, "operation"),
    ("call op", lambda f: dr.call("nope", {}), dr.InvalidRequestError, "operation"),
    ("call field", lambda f: dr.call("eligibility", {"facts": f, "now": NOW, "colour": 1}), dr.InvalidRequestError,
     "colour"),
]


@pytest.mark.parametrize(("name", "call", "cls", "field"), CASES, ids=[c[0] for c in CASES])
def test_every_input_kind_names_its_field(
    name: str, call: Callable[[dict[str, Any]], Any], cls: type[dr.DisputeRulesError], field: str
) -> None:
    with pytest.raises(cls) as e:
        call(sample_facts())
    assert type(e.value) is cls and e.value.field == field, e.value
    assert e.value.message == str(e.value) and e.value.problems[0].field == field


def test_python_errors_match_json_errors_field_for_field() -> None:
    # The same bad facts as a dict and as JSON text: the same kind and fields.
    f = sample_facts()
    bad = {**f, "quantity": 0, "shipping_cost": {"amount": "-1", "currency": "EUR"}}
    with pytest.raises(dr.InvalidFactsError) as a:
        dr.assess(bad, NOW)
    with pytest.raises(dr.InvalidFactsError) as b:
        dr.assess(json.dumps(bad), NOW)
    assert a.value.to_dict() == b.value.to_dict()


# --- JSON lines: each line judged alone -------------------------------------------


def test_each_jsonl_line_is_decoded_on_its_own() -> None:
    f = json.dumps(sample_facts()).encode()
    lines = [b"\xef\xbb\xbf" + f, b"\xff\xfe not utf-8", f, b"{junk", b"", f.replace(b"8123", b"\xed\xa0\x80")]
    r = dr.batch(b"\r\n".join(lines), NOW)
    assert len(r) == 5 and [r.line(i) for i in range(5)] == [1, 2, 3, 4, 6]
    assert [x.index for x in r.errors] == [1, 3, 4] and r.ok_count == 2
    assert r.errors[0].field == "facts" and "UTF-8" in r.errors[0].message
    assert r.errors[2].field == "facts" and "UTF-8" in r.errors[2].message
    text = "\ufeff" + f.decode() + "\n" + f.decode()
    assert dr.batch(text, NOW).ok_count == 2  # a byte-order mark in str input too


def test_user_script_type_checks_and_runs() -> None:
    import user_script  # checked by `mypy --strict` with the tests

    assert user_script.main() == 0
