"""Shared fixtures: the shared sample orders and the Rust engine's answers."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "dispute-rules" / "tests" / "data"
NOW = datetime(2026, 3, 20, 12, tzinfo=timezone.utc)

sys.path.insert(0, str(ROOT / "bindings-py" / "bench"))
import orders as bench_orders  # noqa: E402  (the benchmark's order generator)


def sample_facts() -> dict[str, Any]:
    """The shared sample order (shipped 2026-03-01, nothing received)."""
    doc: dict[str, Any] = json.loads((DATA / "not_received.json").read_text())
    return doc


@pytest.fixture
def facts() -> dict[str, Any]:
    return sample_facts()


@pytest.fixture(scope="session")
def varied() -> list[dict[str, Any]]:
    """Varied copies of the shared samples (every eligibility branch)."""
    return bench_orders.orders(400)


@pytest.fixture(scope="session")
def rust_answers() -> list[dict[str, Any]]:
    """The Rust engine's answers on the shared samples (see
    ``examples/rust_answers.rs``): from ``$DISPUTE_RULES_RUST_ANSWERS`` if
    set (run-tests.sh makes it), else by running the example with cargo."""
    path = os.environ.get("DISPUTE_RULES_RUST_ANSWERS")
    if path:
        text = Path(path).read_text()
    else:
        text = subprocess.run(
            ["cargo", "run", "-q", "-p", "dispute-rules-py", "--example", "rust_answers", "--", str(DATA)],
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    return [json.loads(line) for line in text.splitlines() if line.strip()]
