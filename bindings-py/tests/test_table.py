"""Arrow tables in and out (``dr.assess_table``): the same answers as the
``assess`` program's CSV batch and the JSON-lines batch, every input flavour,
bad columns named, bad rows reported by index with the others answered,
nulls as absent values, and the same table whatever the number of threads."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.csv as pacsv  # type: ignore[import-untyped]
import pytest

import dispute_rules as dr
from conftest import NOW, ROOT

sys.path.insert(0, str(ROOT / "bindings-py" / "bench"))
import flat_orders  # noqa: E402

ORDERS_CSV = ROOT / "examples" / "data" / "orders.csv"
ORDERS_JSONL = ROOT / "examples" / "data" / "orders.jsonl"
CLI_NOW = "2026-03-20T12:00:00Z"
INSTANTS = ("opens_at", "closes_at", "protection_ends_at", "next_deadline")
# What every flavour of the same orders must agree on (all but `row`).
ANSWER = ("order_id", "line_id", "status", "code", *INSTANTS, "next_action", "rules",
          "error_kind", "error_field", "error_message")


def rfc3339(t: datetime | None) -> str:
    """An instant as the ``assess`` program writes it (UTC, ``Z``)."""
    if t is None:
        return ""
    return t.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")


def rows(table: Any) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = table.to_pylist()
    return out


def answers(table: Any) -> list[tuple[Any, ...]]:
    return [tuple(r[c] for c in ANSWER) for r in rows(table)]


@pytest.fixture(scope="module")
def cli_rows() -> list[dict[str, str]]:
    """``assess --batch examples/data/orders.csv --output csv``: the CLI's rows."""
    done = subprocess.run(
        ["cargo", "run", "-q", "-p", "dispute-rules-examples", "--bin", "assess", "--",
         "--batch", str(ORDERS_CSV), "--output", "csv", "--now", CLI_NOW, "--no-progress"],
        cwd=ROOT, capture_output=True, text=True,
    )
    assert done.returncode == 1, done.stderr  # the sample has one bad line on purpose
    return list(csv.DictReader(io.StringIO(done.stdout)))


def text_table(path: Any) -> Any:
    """A CSV file with every column as text, as the CLI reads it."""
    names = next(csv.reader(open(path)))
    return pacsv.read_csv(path, convert_options=pacsv.ConvertOptions(column_types={n: pa.string() for n in names}))


def typed_csv(path: Any) -> Any:
    """A CSV file with the types a data team would give it."""
    types = {name: (pa.dictionary(pa.int32(), pa.string()) if t == flat_orders.TYPES["currency"] else t)
             for name, t in flat_orders.TYPES.items()}
    return pacsv.read_csv(path, convert_options=pacsv.ConvertOptions(column_types=types))


def test_same_rows_as_the_cli_csv_batch(cli_rows: list[dict[str, str]]) -> None:
    got = rows(dr.assess_table(text_table(ORDERS_CSV), CLI_NOW))
    assert len(got) == len(cli_rows) == 12
    for i, (cli, r) in enumerate(zip(cli_rows, got)):
        assert r["row"] == i and int(cli["line"]) == i + 2
        mine = {
            "order_id": r["order_id"], "line_id": r["line_id"],
            "status": r["status"] or "", "code": r["code"] or "",
            **{c: rfc3339(r[c]) for c in INSTANTS},
            "next_action": r["next_action"] or "",
            "rules": " ".join(r["rules"] or ()),
            "error_kind": r["error_kind"] or "", "error_field": r["error_field"] or "",
            "error_message": r["error_message"] or "",
        }
        assert mine == {k: v for k, v in cli.items() if k != "line"}, f"row {i}"
    assert [r["error_field"] for r in got].count(None) == 11 and got[5]["error_field"] == "unit_price"


@pytest.mark.parametrize("read", [typed_csv, pacsv.read_csv], ids=["declared types", "inferred types"])
def test_typed_columns_answer_as_text_does(read: Any, cli_rows: list[dict[str, str]]) -> None:
    typed = rows(dr.assess_table(read(ORDERS_CSV), CLI_NOW))
    for cli, r in zip(cli_rows, typed):
        assert (r["status"] or "", r["code"] or "", r["next_action"] or "") == (cli["status"], cli["code"], cli["next_action"])
        assert [rfc3339(r[c]) for c in INSTANTS] == [cli[c] for c in INSTANTS]
        assert " ".join(r["rules"] or ()) == cli["rules"]
        assert (r["error_field"] or "") == cli["error_field"]
        assert r["order_id"] == cli["order_id"]  # an int64 id reads as its digits


def test_same_answers_as_the_json_lines_batch() -> None:
    """orders.csv (Arrow) against orders.jsonl (``dr.batch``), row by row."""
    table = rows(dr.assess_table(typed_csv(ORDERS_CSV), NOW))
    batch = [json.loads(line) for line in dr.batch(ORDERS_JSONL.read_text(), NOW).to_jsonl().splitlines()]
    assert len(batch) == len(table) == 12
    for i, (env, r) in enumerate(zip(batch, table)):
        if env["result"] == "failure":
            # The JSON form names facts paths, the table names columns.
            fields = [p["field"] for p in env["error"]["problems"]]
            assert fields == ["facts.unit_price.amount", "facts.tracking.at"] and i == 5
            assert r["error_kind"] == "invalid_facts" and r["error_field"] == "unit_price"
            assert "`tracking_at`:" in r["error_message"] and r["status"] is None
            continue
        assert_same(env["answer"]["eligibility"], r, NOW)
        assert (r["order_id"], r["line_id"]) == (env["answer"]["order_id"], env["answer"]["line_id"])


def utc(moment: dict[str, str] | None) -> datetime | None:
    return None if moment is None else datetime.fromisoformat(moment["utc"].replace("Z", "+00:00"))


def assert_same(e: dict[str, Any], r: dict[str, Any], now: datetime) -> None:
    """A table row against the engine's JSON eligibility answer."""
    window = e.get("window") or {}
    assert (r["status"], r["code"]) == (e["status"], e.get("code"))
    assert r["opens_at"] == utc(window.get("opens_at")) and r["closes_at"] == utc(window.get("closes_at"))
    assert r["protection_ends_at"] == utc(e.get("protection_end"))
    assert r["rules"] == e["rules"]
    # The CLI's next action: the soonest deadline still ahead, else the first.
    ahead = [a for a in e["next_actions"] if a.get("deadline") and utc(a["deadline"]) > now]  # type: ignore[operator]
    if ahead:
        best = min(ahead, key=lambda a: utc(a["deadline"]))  # type: ignore[arg-type,return-value]
        assert (r["next_action"], r["next_deadline"]) == (best["kind"], utc(best["deadline"]))
    elif e["next_actions"]:
        assert (r["next_action"], r["next_deadline"]) == (e["next_actions"][0]["kind"], None)
    else:
        assert (r["next_action"], r["next_deadline"]) == (None, None)


@pytest.mark.parametrize("days", [0, 17, 45])
def test_varied_orders_equal_the_json_batch(varied: list[dict[str, Any]], days: int) -> None:
    now = NOW + timedelta(days=days)
    table = rows(dr.assess_table(flat_orders.table(varied), now))
    text = "\n".join(json.dumps(o) for o in varied)
    batch = [json.loads(line) for line in dr.batch(text, now).to_jsonl().splitlines()]
    assert len(table) == len(batch) == len(varied)
    statuses = set()
    for env, r in zip(batch, table):
        assert env["result"] == "success" and r["error_kind"] is None
        assert_same(env["answer"]["eligibility"], r, now)
        statuses.add(r["status"])
    assert len(statuses) > 1  # the orders exercise several branches


# --- input flavours -------------------------------------------------------


@pytest.fixture(scope="module")
def typed(varied: list[dict[str, Any]]) -> Any:
    return flat_orders.table(varied[:200])


@pytest.fixture(scope="module")
def expected(typed: Any) -> list[tuple[Any, ...]]:
    return answers(dr.assess_table(typed, NOW))


class OnlyStream:
    """Exports ``__arrow_c_stream__`` and nothing else."""

    def __init__(self, data: Any) -> None:
        self.data = data

    def __arrow_c_stream__(self, requested_schema: object | None = None) -> object:
        return self.data.__arrow_c_stream__(requested_schema)


class OnlyArray:
    """Exports ``__arrow_c_array__`` (one record batch) and nothing else."""

    def __init__(self, batch: Any) -> None:
        self.batch = batch

    def __arrow_c_array__(self, requested_schema: object | None = None) -> object:
        return self.batch.__arrow_c_array__(requested_schema)


def cast(table: Any, **types: Any) -> Any:
    schema = pa.schema([pa.field(f.name, types.get(f.name, f.type)) for f in table.schema])
    return table.cast(schema)


def as_floats(table: Any, **types: Any) -> Any:
    """``table`` with the named decimal columns as floats, each the double
    nearest its decimal (as ``float(Decimal)`` gives; Arrow's own cast of a
    decimal to a double may be one unit off in the last place, and
    ``19.990000000000002`` is not a USD amount)."""
    for name, t in types.items():
        values = [None if v is None else float(v) for v in table[name].to_pylist()]
        table = table.set_column(table.schema.get_field_index(name), name, pa.array(values, t))
    return table


def nulls_of(table: Any, **types: Any) -> Any:
    """``table`` with the named columns replaced by nulls of another type."""
    for name, t in types.items():
        table = table.set_column(table.schema.get_field_index(name), name, pa.nulls(table.num_rows, t))
    return table


def test_flavours_of_pyarrow(varied: list[dict[str, Any]], typed: Any, expected: list[tuple[Any, ...]]) -> None:
    batches = typed.to_batches(max_chunksize=37)
    assert len(batches) > 3
    generated = pa.RecordBatchReader.from_batches(typed.schema, (b for b in batches))  # Python in the producer
    flavours = {
        "chunked table": pa.Table.from_batches(batches),
        "record batch": typed.combine_chunks().to_batches()[0],
        "reader": pa.RecordBatchReader.from_batches(typed.schema, batches),
        "generator reader": generated,
        "stream only": OnlyStream(typed),
        "array only": OnlyArray(typed.combine_chunks().to_batches()[0]),
        "large strings": cast(typed, order_id=pa.large_string(), extensions=pa.large_string()),
        "string views": cast(typed, order_id=pa.string_view(), line_id=pa.string_view(), disputes=pa.string_view()),
        "dictionary keys": cast(typed, shipping_method=pa.dictionary(pa.uint16(), pa.large_string()),
                                payment_method=pa.dictionary(pa.int64(), pa.string_view())),
        "plain codes": cast(typed, currency=pa.string(), tracking_status=pa.string()),
        "seconds, Paris": cast(typed, shipped_at=pa.timestamp("s", tz="Europe/Paris")),
        "ms, +08:00": cast(typed, placed_at=pa.timestamp("ms", tz="+08:00"), tracking_at=pa.timestamp("ms", tz="UTC")),
        "nanoseconds": cast(typed, paid_at=pa.timestamp("ns", tz="UTC"), receipt_at=pa.timestamp("ns", tz="Asia/Tokyo")),
        "decimal32/64": cast(typed, unit_price=pa.decimal32(9, 2), shipping_cost=pa.decimal64(12, 3)),
        "doubles": as_floats(typed, unit_price=pa.float64(), coupon=pa.float32()),
        "integers": cast(typed, quantity=pa.uint8(), promised_protection_days=pa.int64(), shipping_cost=pa.int64()),
        "float counts": cast(typed, quantity=pa.float64()),
        "all text": flat_orders.table(varied[:200], text=True),
    }
    for name, data in flavours.items():
        assert answers(dr.assess_table(data, NOW)) == expected, name


def test_polars_pandas_duckdb(typed: Any, expected: list[tuple[Any, ...]]) -> None:
    pl = pytest.importorskip("polars")
    pd = pytest.importorskip("pandas")
    duckdb = pytest.importorskip("duckdb")
    frame = pl.from_arrow(typed)
    assert answers(dr.assess_table(frame, NOW)) == expected
    pdf = typed.to_pandas()
    assert answers(dr.assess_table(pa.Table.from_pandas(pdf), NOW)) == expected
    assert answers(dr.assess_table(pdf, NOW)) == expected  # pandas' own __arrow_c_stream__
    assert isinstance(pdf, pd.DataFrame)
    con = duckdb.connect()
    con.register("orders", typed)
    assert answers(dr.assess_table(con.sql("select * from orders"), NOW)) == expected
    # The answers read back into polars and pandas.
    back = pl.from_arrow(dr.assess_table(frame, NOW))
    assert back.height == len(expected) and back["status"].dtype == pl.Categorical
    assert dr.assess_table(frame, NOW).to_pandas()["opens_at"].dt.tz is not None


def test_result_types_and_the_native_table(typed: Any) -> None:
    t = dr.assess_table(typed, NOW)
    assert isinstance(t, pa.Table) and tuple(t.column_names) == dr.TABLE_COLUMNS
    stamp = pa.timestamp("us", tz="UTC")
    code = pa.dictionary(pa.int8(), pa.string())
    assert dict(zip(t.column_names, t.schema.types)) == {
        "row": pa.int64(), "order_id": pa.string(), "line_id": pa.string(),
        "status": code, "code": code, "opens_at": stamp, "closes_at": stamp, "protection_ends_at": stamp,
        "next_action": code, "next_deadline": stamp, "rules": pa.list_(pa.string()),
        "error_kind": pa.string(), "error_field": pa.string(), "error_message": pa.string(),
    }
    plain = dr.assess_table(typed, NOW, dictionary=False)
    assert plain.schema.field("status").type == pa.string() and plain.schema.field("next_action").type == pa.string()
    assert plain.column("status").to_pylist() == t.column("status").to_pylist()
    # The compiled function answers an ArrowTable, read by any consumer.
    native = dr._dispute_rules.assess_table(typed, CLI_NOW)
    assert isinstance(native, dr.ArrowTable) and len(native) == typed.num_rows and native.error_count == 0
    assert pa.table(native).equals(dr.assess_table(typed, CLI_NOW))
    assert pa.RecordBatchReader.from_stream(native).read_all().equals(pa.table(native))  # exported twice
    assert pa.schema(native) == t.schema and native.column_names == list(dr.TABLE_COLUMNS)
    assert "rows=200" in repr(native)


def test_empty_table(typed: Any) -> None:
    t = dr.assess_table(typed.slice(0, 0), NOW)
    assert t.num_rows == 0 and tuple(t.column_names) == dr.TABLE_COLUMNS


# --- threads ----------------------------------------------------------------


def test_same_table_whatever_the_threads() -> None:
    import orders as bench_orders

    table = flat_orders.table(bench_orders.orders(40_000))  # three chunks of work
    one = dr.assess_table(table, NOW, threads=1)
    assert one.column("row").to_pylist() == list(range(40_000))
    for threads in (2, 3, 8, None):
        assert dr.assess_table(table, NOW, threads=threads).equals(one), threads
    # Many small input batches too.
    batches = pa.Table.from_batches(table.to_batches(max_chunksize=999))
    assert dr.assess_table(batches, NOW, threads=4).equals(one)


# --- bad columns, bad rows, nulls ---------------------------------------------


def problems(data: Any) -> list[tuple[str, str]]:
    with pytest.raises(dr.InvalidFactsError) as e:
        dr.assess_table(data, NOW)
    return [(p.field, p.message) for p in e.value.problems]


def test_bad_columns_are_named_all_at_once(typed: Any) -> None:
    bad = typed.drop_columns(["currency"]).append_column("colour", pa.array(["red"] * typed.num_rows))
    bad = nulls_of(bad, quantity=pa.timestamp("s", tz="UTC"), shipped_at=pa.timestamp("us"), coupon=pa.bool_())
    got = problems(bad)
    fields = [f for f, _ in got]
    assert fields == ["colour", "currency", "quantity", "coupon", "shipped_at"], got
    messages = dict(got)
    assert messages["colour"].startswith("unknown column `colour`")
    assert messages["currency"] == "missing required column `currency`"
    assert messages["quantity"] == "expected a whole number: integer, floating-point or text, got `timestamp[s, tz=UTC]`"
    assert messages["coupon"] == "expected an amount: decimal, integer, floating-point or text, got `bool`"
    assert "`timestamp[us]` has no time zone" in messages["shipped_at"]


@pytest.mark.parametrize("column,arrow_type,words", [
    ("placed_at", pa.date32(), "`date32[day]` is a date without a time"),
    ("unit_price", pa.decimal256(40, 2), "`decimal256(40, 2)` holds more digits"),
    ("payment_method", pa.int32(), "expected text, got `int32`"),
    ("delivered_to_correct_address", pa.int8(), "expected `true` or `false`: boolean or text, got `int8`"),
    ("extensions", pa.list_(pa.string()), "expected text (the compact list form), got `list<item: string>`"),
    ("order_id", pa.float64(), "expected text or integers, got `double`"),
])
def test_wrong_types(typed: Any, column: str, arrow_type: Any, words: str) -> None:
    [(field, message)] = problems(nulls_of(typed, **{column: arrow_type}))
    assert field == column and words in message


def test_a_column_twice(typed: Any) -> None:
    data = typed.append_column("quantity", typed["quantity"])
    assert problems(data) == [("quantity", "column `quantity` appears twice")]


def test_bad_rows_are_reported_by_index_and_the_others_answered(typed: Any) -> None:
    data = pa.Table.from_batches(typed.slice(0, 10).to_batches(max_chunksize=4))
    text = pa.table({n: data[n].cast(pa.string()) if pa.types.is_dictionary(data[n].type) else data[n]
                     for n in data.column_names})

    def set_cell(t: Any, column: str, row: int, value: Any) -> Any:
        values = t[column].to_pylist()
        values[row] = value
        return t.set_column(t.schema.get_field_index(column), column, pa.array(values, t.schema.field(column).type))

    text = set_cell(text, "shipped_at", 0, None)  # not shipped: answered (R-E1), not an error
    text = set_cell(text, "unit_price", 2, Decimal("-1.00"))
    text = set_cell(text, "currency", 3, "usd")
    text = set_cell(text, "extensions", 5, "2026-03-01T00:00:00Z/ten/approved")
    text = set_cell(text, "payment_method", 8, "cheque")
    text = set_cell(text, "order_id", 9, None)
    t = rows(dr.assess_table(text, NOW))
    good = rows(dr.assess_table(data, NOW))
    failed = {r["row"]: (r["error_kind"], r["error_field"]) for r in t if r["error_kind"]}
    assert failed == {
        2: ("invalid_facts", "unit_price"),
        3: ("invalid_facts", "currency"),
        5: ("invalid_facts", "extensions[0].days"),
        8: ("invalid_facts", "payment_method"),
        9: ("invalid_facts", "order_id"),
    }
    assert t[9]["error_message"] == "invalid order facts: `order_id`: must not be empty"
    assert t[5]["order_id"] == good[5]["order_id"]  # the ids of a failed row are kept
    assert t[0]["status"] == "blocked" and t[0]["code"] == "not_shipped"
    for i in (1, 4, 6, 7):
        assert t[i] == good[i]
    assert all(t[i]["status"] is None and t[i]["rules"] is None for i in failed)


def test_nulls_are_absent_values(typed: Any) -> None:
    base = typed.slice(0, 50)
    optional = [c for c in ("coupon", "promised_protection_days", "order_cancelled_at", "refund_completed_at",
                            "disputes")]
    # An all-null optional column (any type, or the null type) is the column left out.
    left_out = answers(dr.assess_table(base.drop_columns(optional), NOW))
    as_nulls = base
    for c in optional:
        i = as_nulls.schema.get_field_index(c)
        as_nulls = as_nulls.set_column(i, c, pa.nulls(base.num_rows, as_nulls.schema.field(c).type))
    assert answers(dr.assess_table(as_nulls, NOW)) == left_out
    null_typed = base.drop_columns(optional)
    for c in optional:
        null_typed = null_typed.append_column(c, pa.nulls(base.num_rows))
    assert answers(dr.assess_table(null_typed, NOW)) == left_out
    # A null in a required column is that row's error, named.
    quantity = base["quantity"].to_pylist()
    quantity[1] = None
    t = rows(dr.assess_table(base.set_column(base.schema.get_field_index("quantity"), "quantity",
                                             pa.array(quantity, pa.int32())), NOW))
    assert (t[1]["error_field"], t[1]["error_message"]) == ("quantity", "invalid order facts: `quantity`: must not be empty")
    assert sum(r["error_kind"] is not None for r in t) == 1


def test_floats_and_integers_where_the_flat_columns_allow_them(typed: Any) -> None:
    base = typed.slice(0, 20)
    exact = answers(dr.assess_table(base, NOW))
    f32 = cast(base, unit_price=pa.float32(), shipping_cost=pa.float32())
    assert answers(dr.assess_table(f32, NOW)) == exact
    prices = pa.array([-19.99] * base.num_rows, pa.float32())
    t = rows(dr.assess_table(f32.set_column(f32.schema.get_field_index("unit_price"), "unit_price", prices), NOW))
    assert "got `-19.99`" in t[0]["error_message"]  # read as its own spelling, not -19.9899997711
    halves = pa.array([1.5] + [2.0] * (base.num_rows - 1), pa.float64())
    t = rows(dr.assess_table(base.set_column(base.schema.get_field_index("quantity"), "quantity", halves), NOW))
    assert t[0]["error_field"] == "quantity" and "`1.5` is not a whole number" in t[0]["error_message"]
    assert t[1]["error_kind"] is None
    ids = cast(base.slice(0, 3), order_id=pa.int64(), line_id=pa.uint32())
    assert [r["order_id"] for r in rows(dr.assess_table(ids, NOW))] == base["order_id"].to_pylist()[:3]


# --- the shared request -------------------------------------------------------


def test_now_policy_and_threads_are_checked(typed: Any) -> None:
    with pytest.raises(dr.InvalidRequestError) as e:
        dr.assess_table(typed, datetime(2026, 3, 20))
    assert e.value.field == "now"
    with pytest.raises(dr.InvalidRequestError) as e:
        dr.assess_table(typed, "yesterday")
    assert e.value.field == "now"
    with pytest.raises(dr.InvalidPolicyError):
        dr.assess_table(typed, NOW, policy="nope")
    for threads in (0, -1, 1.5, True):
        with pytest.raises(dr.InvalidRequestError) as e:
            dr.assess_table(typed, NOW, threads=threads)  # type: ignore[arg-type]
        assert e.value.field == "threads"
    with pytest.raises(TypeError, match="expected an Arrow table"):
        dr.assess_table([{"order_id": "1"}], NOW)
    with pytest.raises(TypeError, match="expected an Arrow table"):
        dr.assess_table(OnlyArray(pa.array([1, 2])), NOW)


def test_the_policy_applies(typed: Any) -> None:
    legacy = dr.assess_table(typed, NOW, policy="aliexpress-legacy")
    assert legacy.equals(dr.assess_table(typed, NOW, policy=dr.load_policy("aliexpress-legacy")))
    default = dr.assess_table(typed, NOW)
    assert not legacy.equals(default)
    assert default.equals(dr.assess_table(typed, NOW, policy=dr.load_policy()))
    moment = dr.assess_table(typed, NOW.astimezone(timezone(timedelta(hours=8))))
    assert moment.equals(default)  # the same instant in another zone


def test_generated_batches_stream(typed: Any) -> None:
    """A reader whose batches come from Python code is read with the GIL."""
    def gen() -> Iterator[Any]:
        yield from typed.to_batches(max_chunksize=50)

    reader = pa.RecordBatchReader.from_batches(typed.schema, gen())
    assert answers(dr.assess_table(reader, NOW)) == answers(dr.assess_table(typed, NOW))
