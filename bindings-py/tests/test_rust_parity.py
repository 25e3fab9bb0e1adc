"""Python answers equal the Rust engine's on the shared sample orders.

The Rust side is `examples/rust_answers.rs`: `api::call` run natively (not
through Python) on every sample facts file, for every facts operation at
several `now`s, with and without explanations, under each preset, plus
broken variants and the `policy` operation.
"""

from __future__ import annotations

import inspect
import json
from collections import defaultdict
from datetime import datetime
from typing import Any

import pytest

import dispute_rules as dr
from conftest import DATA

def test_rust_answers_cover_the_samples(rust_answers: list[dict[str, Any]]) -> None:
    files = {a["file"] for a in rust_answers if a["file"]}
    assert files and files == {p.name for p in DATA.glob("*.json") if "order_id" in p.read_text()}
    assert {a["op"] for a in rust_answers} == set(dr.OPERATIONS)  # every operation
    results = {json.loads(a["envelope"])["result"] for a in rust_answers}
    assert results == {"success", "failure"}


def test_call_json_is_byte_identical(rust_answers: list[dict[str, Any]]) -> None:
    for a in rust_answers:
        assert dr.call_json(a["op"], a["request"]) == a["envelope"], a["request"]


def test_python_entry_points_equal_rust(rust_answers: list[dict[str, Any]]) -> None:
    """Every entry point, called with Python values (a dict, an aware
    datetime), answers as Rust did: same answer, or same error."""
    checked = 0
    for a in rust_answers:
        req = json.loads(a["request"])
        env = json.loads(a["envelope"])
        wrapper = getattr(dr, dr.WRAPPERS[a["op"]])
        if a["op"] != "policy" and "now" not in req and "now" in inspect.signature(wrapper).parameters:
            continue  # a request without `now` cannot be written with the typed API
        params = inspect.signature(getattr(dr, dr.WRAPPERS[a["op"]])).parameters
        kwargs: dict[str, Any] = {k: v for k, v in req.items() if k in params or a["op"] == "policy"}
        assert set(req) - set(kwargs) <= {"explain"}, a["request"]  # only an unused switch is dropped
        if "now" in kwargs:
            kwargs["now"] = datetime.fromisoformat(kwargs["now"].replace("Z", "+00:00"))
        if a["op"] == "policy":
            fn: Any = lambda: dr.load_policy(req["policy"])  # noqa: E731
        else:
            fn = lambda op=a["op"], kw=kwargs: getattr(dr, dr.WRAPPERS[op])(**kw)  # noqa: E731
        if env["result"] == "success":
            got = fn()
            data = [x.to_dict() for x in got] if isinstance(got, list) else got if isinstance(got, dict) else got.to_dict()
            assert data == env["answer"], a["request"]
        else:
            with pytest.raises(dr.DisputeRulesError) as e:
                fn()
            assert e.value.to_dict() == env["error"]
        checked += 1
    assert checked > 0


def test_batch_equals_rust(rust_answers: list[dict[str, Any]]) -> None:
    groups: dict[tuple[str, str, str, bool], list[tuple[Any, str]]] = defaultdict(list)
    for a in rust_answers:
        req = json.loads(a["request"])
        if a["op"] in dr.BATCH_OPERATIONS and "now" in req and set(req) <= {"facts", "now", "policy", "explain"}:
            key = (a["op"], req["now"], req.get("policy", "aliexpress"), req.get("explain", False))
            groups[key].append((req["facts"], a["envelope"]))
    assert groups
    for (op, now, policy, explain), items in groups.items():
        text = "\n".join(json.dumps(f, separators=(",", ":")) for f, _ in items)
        r = dr.batch(text, now, op=op, policy=policy, explain=explain)
        assert [r.envelope(i) for i in range(len(r))] == [env for _, env in items]
