"""Python answers equal the Rust engine's on the shared sample orders.

The Rust side is `examples/rust_answers.rs`: `api::call` run natively (not
through Python) on every sample facts file, for every facts operation at
several `now`s, with and without explanations, under each preset, plus
broken variants and the `policy` operation; and on the shared back-to-back
requests (`back_to_back`, `seller_timeline`, `selling_policy`).
"""

from __future__ import annotations

import inspect
import json
import re
from collections import defaultdict
from datetime import datetime
from typing import Any

import pytest

import dispute_rules as dr
from conftest import DATA

def test_rust_answers_cover_the_samples(rust_answers: list[dict[str, Any]]) -> None:
    files = {a["file"] for a in rust_answers if a["file"]}
    samples = {p.name for p in DATA.glob("*.json") if "order_id" in p.read_text()}
    samples |= {f"back_to_back/{p.name}" for p in (DATA / "back_to_back").glob("*.json")}
    assert files and files == samples
    assert {a["op"] for a in rust_answers} == set(dr.OPERATIONS)  # every operation
    results = {json.loads(a["envelope"])["result"] for a in rust_answers}
    assert results == {"success", "failure"}


def test_call_json_is_byte_identical(rust_answers: list[dict[str, Any]]) -> None:
    for a in rust_answers:
        assert dr.call_json(a["op"], a["request"]) == a["envelope"], a["request"]


POSITION = re.compile(r" at line \d+ column \d+")


def answer_text(envelope: str) -> str:
    """The answer of a success envelope, as the engine wrote it."""
    head, tail = '{"result":"success","answer":', "}"
    assert envelope.startswith(head) and envelope.endswith(tail)
    return envelope[len(head) : -len(tail)]


def without_position(error: dict[str, Any]) -> dict[str, Any]:
    """An error object without serde_json's ` at line L column C` (a Python
    value has no line or column; everything else is the same)."""
    e = json.loads(POSITION.sub("", json.dumps(error)))
    assert isinstance(e, dict)
    return e


def test_python_entry_points_equal_rust(rust_answers: list[dict[str, Any]]) -> None:
    """Every entry point, called with Python values (dicts, an aware
    datetime; read in Rust without JSON), answers as Rust did: `to_json()`
    byte-identical to the engine's answer, or the same error (kind, fields,
    code and message)."""
    checked = 0
    for a in rust_answers:
        req = json.loads(a["request"])
        env = json.loads(a["envelope"])
        wrapper = getattr(dr, dr.WRAPPERS[a["op"]])
        if a["op"] != "policy" and "now" not in req and "now" in inspect.signature(wrapper).parameters:
            continue  # a request without `now` cannot be written with the typed API
        params = inspect.signature(wrapper).parameters
        loader = a["op"] in ("policy", "selling_policy")
        kwargs: dict[str, Any] = {k: v for k, v in req.items() if k in params or loader}
        assert set(req) - set(kwargs) <= {"explain"}, a["request"]  # only an unused switch is dropped
        if "now" in kwargs:
            kwargs["now"] = datetime.fromisoformat(kwargs["now"].replace("Z", "+00:00"))
        if a["op"] == "policy":
            fn: Any = lambda: dr.load_policy(req["policy"])  # noqa: E731
        elif a["op"] == "selling_policy":
            fn = lambda: dr.load_selling_policy(req["selling_policy"])  # noqa: E731
        else:
            fn = lambda op=a["op"], kw=kwargs: getattr(dr, dr.WRAPPERS[op])(**kw)  # noqa: E731
        if env["result"] == "success":
            got = fn()
            text = "[" + ",".join(x.to_json() for x in got) + "]" if isinstance(got, list) else (
                json.dumps(got, separators=(",", ":"), ensure_ascii=False) if isinstance(got, dict) else got.to_json()
            )
            assert text == answer_text(a["envelope"]), a["request"]
        else:
            with pytest.raises(dr.DisputeRulesError) as e:
                fn()
            assert without_position(e.value.to_dict()) == without_position(env["error"]), a["request"]
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
