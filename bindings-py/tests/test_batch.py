"""The batch call: results in order, equal to single calls, bad orders isolated."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

import pytest

import dispute_rules as dr
from conftest import NOW


def jsonl(orders: list[dict[str, Any]]) -> str:
    return "\n".join(json.dumps(o) for o in orders) + "\n"


@pytest.mark.parametrize("op", ["assess", "eligibility", "timeline"])
def test_batch_answers_equal_single_calls(varied: list[dict[str, Any]], op: str) -> None:
    now = NOW + timedelta(days=17)
    orders = varied if op != "assess" else varied[:80]
    r = dr.batch(jsonl(orders), now, op=op, explain=True)
    assert len(r) == len(orders) == r.ok_count and r.error_count == 0 and r.op == op
    request = {"now": "2026-04-06T12:00:00Z", "policy": "aliexpress", "explain": True}
    for i, o in enumerate(orders):
        single = dr.call_json(op, json.dumps({"facts": o, **request}))
        assert r.envelope(i) == single
        assert r.answer(i).to_dict() == json.loads(single)["answer"]
    assert r.to_jsonl().splitlines() == [r.envelope(i) for i in range(len(r))]


def test_eligibility_timeline_is_the_two_answers_with_the_ids(varied: list[dict[str, Any]]) -> None:
    r = dr.batch(jsonl(varied), NOW)  # the default: the lean scan
    assert r.op == "eligibility_timeline"
    for i, o in enumerate(varied):
        x = r.answer(i)
        assert isinstance(x, dr.EligibilityTimeline) and not isinstance(x, dr.Assessment)
        assert (x.order_id, x.line_id) == (o["order_id"], o["line_id"])
        assert x.eligibility == dr.eligibility(o, NOW) and x.timeline == dr.timeline(o, NOW)


def test_input_forms_agree(varied: list[dict[str, Any]]) -> None:
    orders = varied[:50]
    text = jsonl(orders)
    want = dr.batch(text, NOW).to_jsonl()
    assert dr.batch(text.encode(), NOW).to_jsonl() == want
    assert dr.batch(orders, NOW).to_jsonl() == want
    assert dr.batch([json.dumps(o) for o in orders], NOW).to_jsonl() == want
    assert dr.batch((o for o in orders), NOW).to_jsonl() == want
    assert dr.batch(text.replace("\n", "\r\n"), NOW).to_jsonl() == want
    # Pretty-printed JSON is fine as list items (one order per item).
    assert dr.batch([json.dumps(o, indent=2) for o in orders], NOW).to_jsonl() == want


def test_bad_orders_report_index_and_line_without_losing_others(facts: dict[str, Any]) -> None:
    lines = [
        json.dumps(facts),
        "",
        "{not json",
        json.dumps({**facts, "quantity": 0}),
        "   ",
        json.dumps({**facts, "order_id": "2"}),
        "[]",
    ]
    r = dr.batch("\n".join(lines), NOW, op="eligibility")
    assert len(r) == 5 and r.ok_count == 2 and r.error_count == 3
    assert [r.line(i) for i in range(5)] == [1, 3, 4, 6, 7]
    assert isinstance(r[0], dr.Eligibility) and isinstance(r[3], dr.Eligibility)
    errors = r.errors
    assert [(e.index, e.line) for e in errors] == [(1, 3), (2, 4), (4, 7)]
    assert all(isinstance(e, dr.InvalidFactsError) for e in errors)
    assert errors[1].field == "facts.quantity"
    assert "order 1 (line 3)" in str(errors[0])
    e = r[1]
    assert isinstance(e, dr.InvalidFactsError) and r.error(1) is not None and r.error(0) is None
    with pytest.raises(dr.InvalidFactsError):
        r.answer(1)
    assert r.answer(0).status is dr.Status.ELIGIBLE
    assert r.statuses() == [dr.Status.ELIGIBLE, None, None, dr.Status.ELIGIBLE, None]
    assert "failed=3" in repr(r)


def test_python_side_errors_keep_their_index(facts: dict[str, Any]) -> None:
    orders: list[Any] = [facts, {**facts, "shipped_at": datetime(2026, 3, 1)}, json.dumps(facts)]
    r = dr.batch(orders, NOW)
    assert len(r) == 3 and r.ok_count == 2
    err = r[1]
    assert isinstance(err, dr.InvalidFactsError) and err.field == "facts.shipped_at" and err.index == 1
    assert [e.to_dict() for e in r.errors] == [err.to_dict()] and r.errors[0].index == 1 and r.line(1) is None
    lines = r.to_jsonl().splitlines()
    assert json.loads(lines[1])["error"]["problems"][0]["field"] == "facts.shipped_at"
    assert lines[0] == lines[2] == r.envelope(0)


def test_columns_match_result_objects(varied: list[dict[str, Any]]) -> None:
    r = dr.batch(jsonl(varied), NOW + timedelta(days=30), op="eligibility")
    objs = [r.answer(i) for i in range(len(r))]
    assert r.statuses() == [e.status for e in objs]
    assert r.codes() == [e.code for e in objs]
    assert all(s is None or isinstance(s, dr.Status) for s in r.statuses())
    assert len(set(r.statuses())) > 1 and any(c is not None for c in r.codes())
    t = dr.batch(jsonl(varied[:5]), NOW, op="timeline")
    assert t.statuses() == [None] * 5 and isinstance(t[0], dr.Timeline)


def test_indexing(facts: dict[str, Any]) -> None:
    r = dr.batch([facts, {**facts, "order_id": "9"}], NOW)
    assert r[-1] == r[1] and r[0:2] == [r[0], r[1]] and r[::-1][0] == r[1]
    assert [x.order_id for x in r] == ["8123", "9"]  # type: ignore[union-attr]
    with pytest.raises(IndexError):
        r[2]
    with pytest.raises(IndexError):
        r.envelope(-3)
    assert len(dr.batch("", NOW)) == 0 and len(dr.batch([], NOW)) == 0


def test_shared_request_errors_raise(facts: dict[str, Any]) -> None:
    with pytest.raises(dr.InvalidRequestError) as e:
        dr.batch([facts], NOW, op="policy")
    assert e.value.field == "operation"
    with pytest.raises(dr.InvalidPolicyError):
        dr.batch([facts], NOW, policy="nope")
    with pytest.raises(dr.InvalidRequestError) as e:
        dr.batch(facts, NOW)
    assert e.value.field == "orders"
    with pytest.raises(dr.InvalidRequestError) as e:
        dr.batch(42, NOW)  # type: ignore[call-overload]
    assert e.value.field == "orders"


def test_policy_and_explain_apply_to_every_order(facts: dict[str, Any]) -> None:
    r = dr.batch([facts], NOW, op="assess", policy=dr.load_policy("aliexpress-legacy"), explain=True)
    assert r.answer(0) == dr.assess(facts, NOW, policy="aliexpress-legacy", explain=True)
    assert r.answer(0).eligibility.explanation


def test_list_of_dicts_with_python_values(facts: dict[str, Any]) -> None:
    from decimal import Decimal
    from zoneinfo import ZoneInfo

    native = {
        **facts,
        "shipped_at": datetime(2026, 3, 1, 19, tzinfo=ZoneInfo("Europe/Paris")),  # 18:00 UTC
        "unit_price": dr.Money(Decimal("19.99"), "USD"),
    }
    r = dr.batch([native, facts], NOW, op="timeline")
    assert r.ok_count == 2 and r.envelope(0) == r.envelope(1)


def test_answers_are_the_same_whatever_the_number_of_threads(varied: list[dict[str, Any]]) -> None:
    # More lines than the engine hands two threads at once (2 x 4096), with
    # bad lines (garbage, bad facts, invalid UTF-8) and blank lines among them.
    bad_facts = json.dumps({**varied[0], "quantity": 0})
    rows: list[bytes] = []
    for i in range(25 * len(varied)):
        rows.append(json.dumps(varied[i % len(varied)]).encode())
        if i % 997 == 0:
            rows += [b"{not json", bad_facts.encode(), b"", b'{"order_id": "\xff"}']
    text = b"\r\n".join(rows)
    for op in ["eligibility_timeline", "eligibility"]:
        one = dr.batch(text, NOW, op=op, threads=1)
        assert len(one) > 2 * 4096 and one.error_count == 3 * 11
        errors = [(e.index, e.line, e.kind, e.field, e.message) for e in one.errors]
        for threads in [2, 3, None]:
            many = dr.batch(text, NOW, op=op, threads=threads)
            assert many.to_jsonl() == one.to_jsonl(), (op, threads)
            assert [(e.index, e.line, e.kind, e.field, e.message) for e in many.errors] == errors
            assert [many.line(i) for i in range(len(many))] == [one.line(i) for i in range(len(one))]
            assert many.statuses() == one.statuses() and many.codes() == one.codes()
    # The str input (lines not decoded again) answers as the bytes do.
    good = b"\n".join(r for r in rows if b"\xff" not in r).decode()
    assert dr.batch(good, NOW, threads=2).to_jsonl() == dr.batch(good.encode(), NOW, threads=1).to_jsonl()


def test_a_line_of_invalid_utf8_fails_alone(facts: dict[str, Any]) -> None:
    good = json.dumps(facts).encode()
    bad = good.replace(b'"8123', b'"8\xc3\x28', 1)  # a broken two-byte sequence
    assert bad != good
    r = dr.batch(b"\n".join([good, bad, good]), NOW, threads=2)
    assert (len(r), r.ok_count, r.error_count) == (3, 2, 1)
    err = r.errors[0]
    assert (err.index, err.line, err.field, err.kind) == (1, 2, "facts", "invalid_facts")
    assert "not UTF-8" in err.message
    assert r.envelope(0) == r.envelope(2) == dr.batch([facts], NOW).envelope(0)


@pytest.mark.parametrize("threads", [0, -1, 1025, 10**9, 2**70, 1.5, "2", True, False])
def test_threads_must_be_a_whole_number_of_one_or_more(facts: dict[str, Any], threads: Any) -> None:
    with pytest.raises(dr.InvalidRequestError) as e:
        dr.batch(json.dumps(facts), NOW, threads=threads)
    assert e.value.field == "threads"
    assert dr.batch(json.dumps(facts), NOW, threads=1).ok_count == 1
