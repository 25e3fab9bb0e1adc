"""Python answers equal the Rust engine's on the shared sample orders.

The Rust side is `examples/rust_answers.rs`: `api::call` run natively (not
through Python) on every sample facts file, for every facts operation at
several `now`s, with and without explanations, under each preset, plus
broken variants and the `policy` operation.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import datetime
from typing import Any

import pytest

import dispute_rules as dr
from conftest import DATA

TYPED = {"eligibility": dr.eligibility, "timeline": dr.timeline, "assess": dr.assess}


def test_rust_answers_cover_the_samples(rust_answers: list[dict[str, Any]]) -> None:
    files = {a["file"] for a in rust_answers if a["file"]}
    assert files and files == {p.name for p in DATA.glob("*.json") if "order_id" in p.read_text()}
    assert {a["op"] for a in rust_answers} == {"eligibility", "timeline", "assess", "validate_facts", "policy"}
    results = {json.loads(a["envelope"])["result"] for a in rust_answers}
    assert results == {"success", "failure"}


def test_call_json_is_byte_identical(rust_answers: list[dict[str, Any]]) -> None:
    for a in rust_answers:
        assert dr.call_json(a["op"], a["request"]) == a["envelope"], a["request"]


def test_python_entry_points_equal_rust(rust_answers: list[dict[str, Any]]) -> None:
    checked = 0
    for a in rust_answers:
        req = json.loads(a["request"])
        env = json.loads(a["envelope"])
        kwargs: dict[str, Any] = {}
        if "policy" in req:
            kwargs["policy"] = req["policy"]
        if a["op"] == "policy":
            assert dr.load_policy(req["policy"]).to_dict() == env["answer"]
            continue
        if "now" not in req:
            continue  # a request without `now` cannot be written with the typed API
        # Python values in: an aware datetime for `now`, a dict for the facts.
        now = datetime.fromisoformat(req["now"].replace("Z", "+00:00"))
        args: dict[str, Any] = {"facts": req["facts"], "now": now, **kwargs}
        if a["op"] in TYPED:
            args["explain"] = req.get("explain", False)
        fn = TYPED.get(a["op"]) or dr.validate_facts
        if env["result"] == "success":
            got = fn(**args)
            assert (got if isinstance(got, dict) else got.to_dict()) == env["answer"]
        else:
            with pytest.raises(dr.DisputeRulesError) as e:
                fn(**args)
            assert e.value.to_dict() == env["error"]
        checked += 1
    assert checked > 0


def test_batch_equals_rust(rust_answers: list[dict[str, Any]]) -> None:
    groups: dict[tuple[str, str, str, bool], list[tuple[Any, str]]] = defaultdict(list)
    for a in rust_answers:
        req = json.loads(a["request"])
        if a["op"] in dr.BATCH_OPERATIONS and "now" in req:
            key = (a["op"], req["now"], req.get("policy", "aliexpress"), req.get("explain", False))
            groups[key].append((req["facts"], a["envelope"]))
    assert groups
    for (op, now, policy, explain), items in groups.items():
        text = "\n".join(json.dumps(f, separators=(",", ":")) for f, _ in items)
        r = dr.batch(text, now, op=op, policy=policy, explain=explain)
        assert [r.envelope(i) for i in range(len(r))] == [env for _, env in items]
