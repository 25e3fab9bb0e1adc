"""The benchmark's pure-Python implementation of the eligibility rules
answers as the engine does on the benchmark's orders (so the benchmark
compares equal work)."""

from __future__ import annotations

import sys
from datetime import timedelta
from typing import Any

import pytest

import dispute_rules as dr
from conftest import NOW, ROOT

sys.path.insert(0, str(ROOT / "bindings-py" / "bench"))
import pure_eligibility  # noqa: E402


@pytest.mark.parametrize("policy", dr.PRESETS)
def test_pure_python_eligibility_agrees_with_the_engine(varied: list[dict[str, Any]], policy: str) -> None:
    pure = pure_eligibility.Eligibility(dr.load_policy(policy).to_dict())
    seen = set()
    for days in (-10, 0, 12, 40, 90, 200):
        now = NOW + timedelta(days=days)
        for f in varied:
            try:
                e = dr.eligibility(f, now, policy=policy)
            except dr.InvalidFactsError:
                with pytest.raises(pure_eligibility.FactsError):
                    pure.assess(f, now)
                seen.add("invalid")
                continue
            p = pure.assess(f, now)
            assert (p.status, p.code) == (e.status, e.code), (f, now)
            assert e.window is not None and e.protection_end is not None
            assert (p.opens_at, p.closes_at, p.protection_end) == (
                e.window.opens_at.utc, e.window.closes_at.utc, e.protection_end.utc), (f, now)
            seen.add(str(e.code))
    # Every branch the orders reach is compared.
    assert {"None", "too_early", "confirmation_timeout", "dispute_already_open", "invalid"} <= seen


def test_pure_python_refuses_what_the_engine_refuses(facts: dict[str, Any]) -> None:
    pure = pure_eligibility.Eligibility(dr.load_policy().to_dict())
    for bad in ({**facts, "quantity": 0}, {**facts, "unit_price": {"amount": 1.5, "currency": "USD"}},
                {**facts, "shipped_at": "2027-01-01T00:00:00Z"}):
        with pytest.raises(dr.InvalidFactsError):
            dr.eligibility(bad, NOW)
        with pytest.raises(pure_eligibility.FactsError):
            pure.assess(bad, NOW)
