"""Order facts (the JSON form, as ``orders.py`` makes them) as flat columns:
an Arrow table for ``dr.assess_table`` (the benchmark, the tests and the
Spark example share it).

``table(orders)`` types the columns as a data team's table would:
dictionary-encoded codes, ``decimal128`` amounts, ``timestamp[us, tz=UTC]``
instants, integers and booleans. ``table(orders, text=True)`` gives every
column as text, as a CSV holds it.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

import pyarrow as pa  # type: ignore[import-untyped]

_CODE = pa.dictionary(pa.int8(), pa.string())
_AMOUNT = pa.decimal128(18, 2)
_INSTANT = pa.timestamp("us", tz="UTC")

#: The type of every flat column in :func:`table`.
TYPES: dict[str, Any] = {
    "order_id": pa.string(),
    "line_id": pa.string(),
    "unit_price": _AMOUNT,
    "currency": _CODE,
    "quantity": pa.int32(),
    "shipping_cost": _AMOUNT,
    "coupon": _AMOUNT,
    "placed_at": _INSTANT,
    "paid_at": _INSTANT,
    "shipped_at": _INSTANT,
    "shipping_method": _CODE,
    "promised_protection_days": pa.int32(),
    "destination_country": _CODE,
    "tracking_status": _CODE,
    "tracking_at": _INSTANT,
    "delivered_to_correct_address": pa.bool_(),
    "receipt_at": _INSTANT,
    "receipt_by": _CODE,
    "order_cancelled_at": _INSTANT,
    "refund_completed_at": _INSTANT,
    "payment_method": _CODE,
    "extensions": pa.string(),
    "disputes": pa.string(),
}

_INSTANTS = {name for name, t in TYPES.items() if t == _INSTANT}
_AMOUNTS = {"unit_price", "shipping_cost", "coupon"}


def _instant(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text.replace("Z", "+00:00"))


def row(f: dict[str, Any]) -> dict[str, Any]:
    """One order's flat cells (text as in the facts; ``None`` when absent)."""
    tracking = f.get("tracking") or {"status": "none"}
    receipt = f.get("receipt") or {}
    extensions = ";".join(
        "/".join([e["requested_at"], str(e["days"]), e["status"], *([e["decided_at"]] if e.get("decided_at") else [])])
        for e in f.get("extensions", ())
    )
    disputes = ";".join(
        "/".join([d["opened_at"], d["status"], *([d["closed_at"]] if d.get("closed_at") else [])])
        for d in f.get("disputes", ())
    )
    return {
        "order_id": f["order_id"],
        "line_id": f["line_id"],
        "unit_price": f["unit_price"]["amount"],
        "currency": f["unit_price"]["currency"],
        "quantity": f["quantity"],
        "shipping_cost": f["shipping_cost"]["amount"],
        "coupon": (f.get("coupon") or {}).get("amount"),
        "placed_at": f["placed_at"],
        "paid_at": f.get("paid_at"),
        "shipped_at": f.get("shipped_at"),
        "shipping_method": f["shipping_method"],
        "promised_protection_days": f.get("promised_protection_days"),
        "destination_country": f["destination_country"],
        "tracking_status": tracking["status"],
        "tracking_at": tracking.get("at") or tracking.get("since") or tracking.get("last_event_at"),
        "delivered_to_correct_address": tracking.get("to_correct_address"),
        "receipt_at": receipt.get("at"),
        "receipt_by": receipt.get("by"),
        "order_cancelled_at": f.get("order_cancelled_at"),
        "refund_completed_at": f.get("refund_completed_at"),
        "payment_method": f["payment_method"],
        "extensions": extensions or None,
        "disputes": disputes or None,
    }


def columns(orders: list[dict[str, Any]]) -> dict[str, list[Any]]:
    """The flat cells of every order, column by column."""
    rows = [row(f) for f in orders]
    return {name: [r[name] for r in rows] for name in TYPES}


def table(orders: list[dict[str, Any]], *, text: bool = False) -> Any:
    """The orders as a ``pyarrow.Table`` of flat columns: typed, or all text."""
    cols = columns(orders)
    if text:
        def cell(v: Any) -> str | None:
            return None if v is None else str(v).lower() if isinstance(v, bool) else str(v)

        return pa.table({name: pa.array([cell(v) for v in values], pa.string()) for name, values in cols.items()})
    arrays = {}
    for name, values in cols.items():
        if name in _INSTANTS:
            values = [_instant(v) for v in values]
        elif name in _AMOUNTS:
            values = [None if v is None else Decimal(str(v)) for v in values]
        arrays[name] = pa.array(values, TYPES[name])
    return pa.table(arrays)
