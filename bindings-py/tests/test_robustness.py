"""Never a crash and never a bare exception, whatever the input."""

from __future__ import annotations

import copy
import json
import random
from datetime import timedelta
from typing import Any

import dispute_rules as dr
from conftest import NOW

JUNK: list[Any] = [
    None, -1, 0, 2**64, 2**200, -(2**63), 1e308, -0.0, "", "x" * 1000, "2026-13-40T25:61:00Z",
    "9999-12-31T23:59:59Z", "0000-01-01T00:00:00Z", "2026-03-01T00:00:00+99:00", [], {}, [1, [2]],
    {"status": "delivered"}, {"amount": "1e30", "currency": "USD"}, {"amount": "NaN", "currency": "usd"},
    "\ud800", "🙂", True,
]


def mutate(rng: random.Random, doc: Any) -> Any:
    """Replaces, deletes or adds one value somewhere in the document."""
    doc = copy.deepcopy(doc)
    node = doc
    while True:
        keys = list(node.keys()) if isinstance(node, dict) else list(range(len(node)))
        if not keys:
            break
        k = rng.choice(keys)
        child = node[k]
        if isinstance(child, (dict, list)) and child and rng.random() < 0.5:
            node = child
            continue
        roll = rng.random()
        if roll < 0.15 and isinstance(node, dict):
            del node[k]
        elif roll < 0.25 and isinstance(node, dict):
            node["unexpected"] = rng.choice(JUNK)
        else:
            node[k] = rng.choice(JUNK)
        break
    return doc


def test_fuzzed_facts_give_answers_or_dispute_rules_errors(varied: list[dict[str, Any]]) -> None:
    rng = random.Random(8)
    texts = []
    for i in range(600):
        doc = mutate(rng, varied[i % len(varied)])
        if rng.random() < 0.3:
            doc = mutate(rng, doc)
        now = NOW + timedelta(days=rng.randint(-30, 300))
        fn = rng.choice([dr.eligibility, dr.timeline, dr.assess])
        try:
            fn(doc, now, explain=rng.random() < 0.3)
        except dr.DisputeRulesError as e:
            assert e.problems or isinstance(e, dr.InternalError), e
            assert not isinstance(e, dr.InternalError), e  # the engine never panicked
        try:
            texts.append(json.dumps(doc))
        except ValueError:
            pass
    # The same orders as one batch: every order answered or failed, none lost.
    r = dr.batch("\n".join(texts), NOW)
    assert len(r) == len(texts)
    assert all(isinstance(x, (dr.EligibilityTimeline, dr.DisputeRulesError)) for x in r)
    assert not any(isinstance(e, dr.InternalError) for e in r.errors)


def test_garbage_requests_always_give_an_envelope() -> None:
    rng = random.Random(3)
    alphabet = '{}[]":,0123456789abcdefnowfactspolicy \\\n\t\x00é'
    for _ in range(500):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 60)))
        op = rng.choice([*dr.OPERATIONS, "", "nope", "\x00"])
        env = json.loads(dr.call_json(op, text))
        assert env["result"] in ("success", "failure")
        if env["result"] == "failure":
            assert env["error"]["kind"] in {k.value for k in dr.ErrorKind}


def test_dates_at_the_edge_of_the_range(facts: dict[str, Any]) -> None:
    # Deadlines of facts near year 9999 fall past the supported years (issue
    # 13): a clear error naming the input that pushed them out, never a
    # crash, in the typed and the JSON answer alike.
    late = "9999-12-01T00:00:00Z"
    doc = {**facts, "placed_at": late, "paid_at": late, "shipped_at": late}
    for policy in dr.PRESETS:
        try:
            dr.assess(doc, "9999-12-31T23:59:59Z", policy=policy)
        except dr.DisputeRulesError as e:
            assert isinstance(e, dr.InvalidFactsError) and e.field == "facts.shipped_at", e
            assert "9999" in e.message
        env = json.loads(dr.call_json("assess", json.dumps({"facts": doc, "now": "9999-12-31T23:59:59Z", "policy": policy})))
        assert env["result"] == "failure"
        assert env["error"]["problems"][0]["field"] == "facts.shipped_at"
