"""The exception hierarchy: every class, raised from real failures."""

from __future__ import annotations

import json
from typing import Any

import pytest

import dispute_rules as dr
from conftest import NOW

VALUE_ERRORS = [dr.InvalidFactsError, dr.InvalidPolicyError, dr.InvalidClaimError, dr.InvalidRequestError]


def test_hierarchy() -> None:
    for cls in [*VALUE_ERRORS, dr.IllegalTransitionError, dr.InternalError]:
        assert issubclass(cls, dr.DisputeRulesError) and issubclass(cls, Exception)
        assert not issubclass(cls, RuntimeError)
    for cls in VALUE_ERRORS:
        assert issubclass(cls, ValueError)
    assert not issubclass(dr.IllegalTransitionError, ValueError)
    assert not issubclass(dr.InternalError, ValueError)


def _raised(kind: str, error: dict[str, Any]) -> dr.DisputeRulesError:
    """The exception `call` raises for an engine error object (the same
    conversion every entry point uses)."""
    cls: type[dr.DisputeRulesError] = {
        "invalid_facts": dr.InvalidFactsError,
        "invalid_policy": dr.InvalidPolicyError,
        "invalid_claim": dr.InvalidClaimError,
        "invalid_request": dr.InvalidRequestError,
        "illegal_transition": dr.IllegalTransitionError,
        "internal": dr.InternalError,
    }.get(kind, dr.DisputeRulesError)
    return cls(
        error["message"],
        kind=dr.ErrorKind(kind) if kind in {k.value for k in dr.ErrorKind} else kind,
        problems=[(p["field"], p["message"]) for p in error["problems"]],
        code=error.get("code"),
    )


@pytest.mark.parametrize(
    ("kind", "cls"),
    [
        ("invalid_facts", dr.InvalidFactsError),
        ("invalid_policy", dr.InvalidPolicyError),
        ("invalid_claim", dr.InvalidClaimError),
        ("invalid_request", dr.InvalidRequestError),
        ("illegal_transition", dr.IllegalTransitionError),
        ("internal", dr.InternalError),
        ("a_kind_from_a_newer_engine", dr.DisputeRulesError),
    ],
)
def test_engine_error_objects_map_to_classes(kind: str, cls: type[dr.DisputeRulesError]) -> None:
    # The engine's error object, as every failure envelope carries it.
    error = {
        "kind": kind,
        "message": "illegal transition: `open` by `buyer` is not allowed in state `open`: already open",
        "code": "dispute_already_open",
        "problems": [{"field": "event", "message": "already open"}, {"field": "dispute.state", "message": "x"}],
    }
    e = _raised(kind, error)
    assert type(e) is cls
    assert e.kind == kind and (kind == "a_kind_from_a_newer_engine" or isinstance(e.kind, dr.ErrorKind))
    assert e.field == "event" and e.code == "dispute_already_open"
    assert e.problems == [dr.Problem("event", "already open"), dr.Problem("dispute.state", "x")]
    assert e.problems[0] == ("event", "already open")  # plain (field, message) pairs
    assert str(e) == error["message"] == e.message
    assert e.to_dict() == error
    assert (e.index, e.line) == (None, None)


def test_invalid_facts(facts: dict[str, Any]) -> None:
    facts["quantity"] = 0
    facts["shipping_cost"] = {"amount": "-1", "currency": "EUR"}
    with pytest.raises(dr.InvalidFactsError) as e:
        dr.assess(facts, NOW)
    err = e.value
    assert err.kind is dr.ErrorKind.INVALID_FACTS and err.code is None
    fields = [p.field for p in err.problems]
    assert fields[0] == err.field and {"facts.quantity", "facts.shipping_cost.amount", "facts.shipping_cost.currency"} <= set(fields)
    assert isinstance(err, ValueError)
    env = json.loads(dr.call_json("assess", json.dumps({"facts": facts, "now": "2026-03-20T12:00:00Z"})))
    assert err.to_dict() == env["error"]


def test_invalid_facts_parse_error_names_the_field(facts: dict[str, Any]) -> None:
    del facts["order_id"]
    with pytest.raises(dr.InvalidFactsError) as e:
        dr.eligibility(facts, NOW)
    assert e.value.field == "facts.order_id"
    with pytest.raises(dr.InvalidFactsError) as e:
        dr.eligibility("[1, 2", NOW)
    assert e.value.field.startswith("facts")


def test_invalid_policy() -> None:
    with pytest.raises(dr.InvalidPolicyError) as e:
        dr.load_policy({"schema_version": 1})
    assert e.value.kind is dr.ErrorKind.INVALID_POLICY and e.value.field.startswith("policy.")


def test_invalid_request(facts: dict[str, Any]) -> None:
    with pytest.raises(dr.InvalidRequestError) as e:
        dr.call("assess", {"facts": facts})
    assert e.value.field == "now" and e.value.kind is dr.ErrorKind.INVALID_REQUEST
    with pytest.raises(dr.InvalidRequestError) as e:
        dr.call("assess", {"facts": facts, "now": NOW, "surprise": 1})
    assert "surprise" in str(e.value)


def test_invalid_claim(facts: dict[str, Any]) -> None:
    # From the engine: a claim that is not JSON.
    with pytest.raises(dr.InvalidClaimError) as e:
        dr.call("assess", {"facts": facts, "now": NOW, "claim": "{not json"})
    assert e.value.field == "claim" and e.value.kind is dr.ErrorKind.INVALID_CLAIM
    # From Python: a claim value that cannot be sent.
    with pytest.raises(dr.InvalidClaimError) as e:
        dr.call("assess", {"facts": facts, "now": NOW, "claim": {"amount": {1}}})
    assert e.value.field == "claim.amount"


def test_errors_of_json_requests_are_raised_with_their_class(facts: dict[str, Any]) -> None:
    # `call` with JSON text: the engine's error object becomes the exception.
    with pytest.raises(dr.InvalidFactsError) as e:
        dr.call("eligibility", json.dumps({"facts": {**facts, "quantity": 0}, "now": "2026-03-20T12:00:00Z"}))
    assert e.value.field == "facts.quantity" and e.value.kind is dr.ErrorKind.INVALID_FACTS


def test_catchable_as_value_error(facts: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        dr.eligibility({**facts, "quantity": 0}, NOW)
    with pytest.raises(ValueError):
        dr.load_policy("nope")


def test_errors_pickle_with_their_details(facts: dict[str, Any]) -> None:
    import pickle

    r = dr.batch([facts, {**facts, "quantity": 0}], NOW)
    err = r.errors[0]
    back = pickle.loads(pickle.dumps(err))
    assert type(back) is type(err) and back.to_dict() == err.to_dict()
    assert (back.index, back.line, back.field, back.kind) == (err.index, err.line, err.field, err.kind)


def test_text_that_is_not_unicode_is_reported_not_crashed(facts: dict[str, Any]) -> None:
    bad = "\ud800"  # a lone surrogate: cannot be UTF-8
    with pytest.raises(dr.InvalidFactsError) as e:
        dr.eligibility({**facts, "order_id": bad}, NOW)  # escaped: the engine names the field
    assert e.value.field.startswith("facts")
    with pytest.raises(dr.InvalidFactsError) as e:
        dr.eligibility(json.dumps(facts, ensure_ascii=False).replace("8123", bad), NOW)
    assert e.value.field == "facts"
    with pytest.raises(dr.InvalidRequestError) as req:
        dr.call(bad, {"now": NOW})
    assert req.value.field == "operation"
    env = json.loads(dr.call_json("assess", bad))
    assert env["error"]["problems"][0]["field"] == "request"
    r = dr.batch([facts, json.dumps(facts).replace("8123", bad)], NOW)
    assert r.ok_count == 1 and r.errors[0].index == 1
    # JSON lines: the line with the surrogate fails alone.
    r = dr.batch(json.dumps(facts) + "\n" + json.dumps(facts) + bad + "\n" + json.dumps(facts), NOW)
    assert (len(r), r.ok_count) == (3, 2) and (r.errors[0].index, r.errors[0].line) == (1, 2)
    assert r.errors[0].field == "facts" and "UTF-8" in r.errors[0].message
