"""Sample orders for the benchmark: varied copies of the shared sample facts.

The shared facts files (``dispute-rules/tests/data/*.json``) are the seeds;
each copy moves the dates and varies tracking, receipt, extensions, earlier
disputes, shipping method, destination and payment method, so the batch
exercises every eligibility branch. Deterministic: the same ``n`` gives the
same lines.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parents[2] / "dispute-rules" / "tests" / "data"
NOW = datetime(2026, 3, 20, 12, 0, tzinfo=timezone.utc)

_METHODS = ("standard", "expedited", "economy")
_COUNTRIES = ("US", "RU", "BR", "FR", "DE", "ES")
_PAYMENTS = ("card", "paypal", "wallet", "bank_transfer")


def _iso(t: datetime) -> str:
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def seeds() -> list[dict[str, Any]]:
    """The shared sample facts that describe a shipped, well-formed order."""
    out = []
    for path in sorted(DATA.glob("*.json")):
        doc = json.loads(path.read_text())
        if isinstance(doc, dict) and doc.get("schema_version") == 1 and "order_id" in doc:
            out.append(doc)
    if not out:
        raise SystemExit(f"no sample facts in {DATA}")
    return out


def order(i: int, seed: dict[str, Any]) -> dict[str, Any]:
    """The i-th varied copy of a seed (all facts before NOW)."""
    f = {k: v for k, v in seed.items() if k not in ("receipt", "extensions", "disputes", "tracking")}
    shipped = NOW - timedelta(days=3 + (i * 7) % 80, hours=(i * 5) % 24)
    f["order_id"] = str(100000 + i)
    f["line_id"] = str(1 + i % 3)
    f["placed_at"] = _iso(shipped - timedelta(days=2))
    f["paid_at"] = _iso(shipped - timedelta(days=2) + timedelta(minutes=1))
    f["shipped_at"] = _iso(shipped)
    f["shipping_method"] = _METHODS[i % 3]
    f["destination_country"] = _COUNTRIES[i % 6]
    f["payment_method"] = _PAYMENTS[i % 4]
    f["quantity"] = 1 + i % 4
    since = shipped + timedelta(days=2)
    kind = i % 5
    if kind == 0:
        f["tracking"] = {"status": "none"}
    elif kind == 1:
        f["tracking"] = {"status": "in_transit", "last_event_at": _iso(since)}
    elif kind == 2:
        f["tracking"] = {"status": "delivered", "at": _iso(since)}
        f["receipt"] = {"at": _iso(since + timedelta(hours=6)), "by": "buyer"}
    elif kind == 3:
        f["tracking"] = {"status": "stalled", "since": _iso(since)}
        f["extensions"] = [
            {"requested_at": _iso(since + timedelta(days=1)), "days": 15,
             "status": "approved" if i % 2 else "pending",
             **({"decided_at": _iso(since + timedelta(days=2))} if i % 2 else {})}
        ]
    else:
        f["tracking"] = {"status": "customs_hold", "since": _iso(since)}
        if i % 7 == 0:
            f["disputes"] = [{"opened_at": _iso(since + timedelta(days=1)), "status": "open"}]
    return f


def orders(n: int) -> list[dict[str, Any]]:
    """n varied orders."""
    s = seeds()
    return [order(i, s[i % len(s)]) for i in range(n)]


def jsonl(n: int) -> str:
    """n varied orders as JSON lines."""
    return "\n".join(json.dumps(o, separators=(",", ":")) for o in orders(n)) + "\n"


if __name__ == "__main__":
    import sys

    sys.stdout.write(jsonl(int(sys.argv[1]) if len(sys.argv) > 1 else 10))
