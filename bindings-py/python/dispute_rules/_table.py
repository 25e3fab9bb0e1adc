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

from typing import Any, Final

from . import _dispute_rules as _native
from ._dispute_rules import ArrowTable

__all__ = ["ArrowTable", "FLAT_COLUMNS", "TABLE_COLUMNS", "assess_table"]

#: The input columns: the order facts flattened (``dispute_rules::flat``).
FLAT_COLUMNS: Final[tuple[str, ...]] = tuple(_native.FLAT_COLUMNS)
#: The result columns of :func:`assess_table`, in order.
TABLE_COLUMNS: Final[tuple[str, ...]] = tuple(_native.TABLE_COLUMNS)


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
    out = _native.assess_table(table, now, policy, threads, bool(dictionary))
    try:
        import pyarrow  # type: ignore[import-untyped]
    except ImportError:
        return out
    # Not `pyarrow.table(out)` unless pyarrow is older than 15: it imports
    # pandas (if installed) to check its argument, a second on the first call.
    from_stream = getattr(pyarrow.RecordBatchReader, "from_stream", None)
    return pyarrow.table(out) if from_stream is None else from_stream(out).read_all()
