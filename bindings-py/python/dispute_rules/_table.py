"""Arrow tables in, Arrow tables out: :func:`assess_table`.

The input is any object that exports Arrow through the PyCapsule interface
(``__arrow_c_stream__`` or ``__arrow_c_array__``): a pyarrow ``Table``,
``RecordBatch`` or ``RecordBatchReader``, a polars or pandas ``DataFrame``, a
duckdb result. Its columns are the order facts flattened (:data:`FLAT_COLUMNS`,
the columns of the ``assess`` program's CSV). The answer is an Arrow table
with one row per input row, in input order (:data:`TABLE_COLUMNS`). No Python
object is made per row: the engine reads the Arrow arrays and writes the
answers as Arrow arrays, without the GIL, on every core.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime, timezone
from decimal import Decimal
from enum import Enum
from typing import Any, Final, NoReturn

from . import _dispute_rules as _native
from ._dispute_rules import ArrowTable

__all__ = ["ArrowTable", "FLAT_COLUMNS", "TABLE_COLUMNS", "assess_table"]

#: The input columns: the order facts flattened (``dispute_rules::flat``).
FLAT_COLUMNS: Final[tuple[str, ...]] = tuple(_native.FLAT_COLUMNS)
#: The result columns of :func:`assess_table`, in order.
TABLE_COLUMNS: Final[tuple[str, ...]] = tuple(_native.TABLE_COLUMNS)

_LABELS: Final[dict[str, str]] = {
    "invalid_request": "invalid request",
    "invalid_policy": "invalid policy",
}


def _raise(error: Mapping[str, Any]) -> NoReturn:
    """Raises the package's exception for the engine's JSON ``error``."""
    from . import (
        DisputeRulesError,
        ErrorKind,
        InternalError,
        InvalidFactsError,
        InvalidPolicyError,
        InvalidRequestError,
    )

    kind = str(error.get("kind", "internal"))
    cls: type[DisputeRulesError] = {
        "invalid_facts": InvalidFactsError,
        "invalid_policy": InvalidPolicyError,
        "invalid_request": InvalidRequestError,
        "internal": InternalError,
    }.get(kind, DisputeRulesError)
    known = {k.value for k in ErrorKind}
    raise cls(
        str(error.get("message", "")),
        kind=ErrorKind(kind) if kind in known else kind,
        problems=[(str(p.get("field", "")), str(p.get("message", ""))) for p in error.get("problems", ())],
        code=error.get("code"),
    )


def _refuse(kind: str, field: str, message: str) -> NoReturn:
    _raise({
        "kind": kind,
        "message": f"{_LABELS[kind]}: `{field}`: {message}",
        "problems": [{"field": field, "message": message}],
    })


def _now(now: Any) -> str:
    """``now`` as JSON text (an RFC 3339 string)."""
    utc = getattr(now, "utc", None)  # a Moment
    if isinstance(utc, datetime):
        now = utc
    if isinstance(now, datetime):
        if now.tzinfo is None or now.utcoffset() is None:
            _refuse("invalid_request", "now",
                    "a naive datetime is ambiguous; give an aware one (e.g. `datetime(..., tzinfo=timezone.utc)`)")
        return json.dumps(now.astimezone(timezone.utc).isoformat())
    if isinstance(now, str):
        return json.dumps(now)
    _refuse("invalid_request", "now", f"expected an aware datetime or an RFC 3339 string, got `{type(now).__name__}`")


def _plain(o: Any) -> Any:
    if isinstance(o, Decimal):
        return str(o)
    if isinstance(o, Enum):
        return o.value
    if isinstance(o, datetime):
        return o.isoformat()
    raise TypeError(f"a `{type(o).__name__}` cannot be sent as JSON")


def _policy(policy: Any) -> str:
    """A policy as JSON text: a preset id, a document, a mapping or a loaded
    ``Policy``."""
    if isinstance(policy, str):
        return policy if policy.lstrip().startswith("{") else json.dumps(policy)
    to_json = getattr(policy, "to_json", None)
    if callable(to_json):
        text = to_json()
        if isinstance(text, str):
            return text
    to_dict = getattr(policy, "to_dict", None)
    if callable(to_dict):
        policy = to_dict()
    if isinstance(policy, Mapping):
        try:
            return json.dumps(policy, default=_plain)
        except (TypeError, ValueError) as e:
            _refuse("invalid_policy", "policy", str(e))
    _refuse("invalid_policy", "policy",
            f"expected a preset id, JSON text, a mapping or a Policy, got `{type(policy).__name__}`")


def assess_table(
    table: Any,
    now: Any,
    *,
    policy: Any = "aliexpress",
    threads: int | None = None,
    dictionary: bool = True,
) -> Any:
    """Eligibility and deadlines for every row of an Arrow table of orders.

    ``table``: any object exporting Arrow through the PyCapsule interface
    (pyarrow ``Table``/``RecordBatch``/``RecordBatchReader``, polars or pandas
    ``DataFrame``, duckdb result), with the columns of :data:`FLAT_COLUMNS`
    (the required ones at least). Values may be strings (also large, view
    or dictionary-encoded), timestamps with a time zone (any unit; a
    timestamp without a zone is refused, as a naive ``datetime`` is),
    decimals, integers, floats (amounts and counts only), booleans; a null
    is an absent value. ``now``: an aware ``datetime`` or RFC 3339 string.
    ``policy``: a preset id, a policy (JSON text, mapping or ``Policy``).
    ``threads``: how many threads share the rows (default: every core); the
    answers are the same whatever the number. ``dictionary``: the code
    columns dictionary-encoded (default) or plain strings.

    Returns a ``pyarrow.Table`` when pyarrow is installed, else an
    :class:`ArrowTable` (read it with ``polars.DataFrame(t)`` or any Arrow
    consumer), with the columns of :data:`TABLE_COLUMNS`, one row per input
    row in input order: ``row`` (the input row's index), ``order_id``,
    ``line_id``, ``status``, ``code``, ``opens_at``, ``closes_at``,
    ``protection_ends_at``, ``next_action``, ``next_deadline`` (instants as
    ``timestamp[us, tz=UTC]``), ``rules`` (list of rule ids), and for a row
    that failed, ``error_kind``, ``error_field`` (the column, like
    ``shipped_at`` or ``extensions[1].days``) and ``error_message``; every
    other row is still answered.

    Raises :class:`InvalidFactsError` naming every bad column at once (not a
    flat column, given twice, a required one missing, a type its values
    cannot be read from), :class:`InvalidRequestError` or
    :class:`InvalidPolicyError` for a bad ``now``, ``threads`` or policy, and
    ``TypeError`` for an object that is not an Arrow table.
    """
    if threads is not None and (isinstance(threads, bool) or not isinstance(threads, int) or threads < 1):
        _refuse("invalid_request", "threads", f"expected a whole number of 1 or more, got `{threads!r}`")
    out = _native.assess_table(
        table, _now(now), None if policy is None else _policy(policy), threads, bool(dictionary)
    )
    if isinstance(out, str):
        _raise(json.loads(out).get("error") or {})
    try:
        import pyarrow  # type: ignore[import-untyped]
    except ImportError:
        return out
    # Not `pyarrow.table(out)` unless pyarrow is older than 15: it imports
    # pandas (if installed) to check its argument, a second on the first call.
    from_stream = getattr(pyarrow.RecordBatchReader, "from_stream", None)
    return pyarrow.table(out) if from_stream is None else from_stream(out).read_all()
