"""The library inside Spark (``mapInArrow``, local mode) over 100,000
generated orders: every answer row equals the single-machine Arrow batch's.
Runs the example ``examples/spark_assess.py``."""

from __future__ import annotations

import importlib.util
import shutil
import sys
import time
from pathlib import Path
from typing import Any

import pyarrow as pa  # type: ignore[import-untyped]
import pytest

import dispute_rules as dr
from conftest import NOW, ROOT

pytest.importorskip("pyspark")

ORDERS = 100_000


def example() -> Any:
    path = ROOT / "bindings-py" / "examples" / "spark_assess.py"
    spec = importlib.util.spec_from_file_location("spark_assess", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas")
def test_spark_answers_equal_the_arrow_batch(tmp_path: Path) -> None:
    assert shutil.which("java"), "Spark needs Java 17 on PATH"
    ex = example()
    table = ex.sample_orders(ORDERS, tmp_path / "orders.parquet")
    spark = ex.session(2)
    try:
        start = time.perf_counter()
        df = spark.read.parquet(str(tmp_path / "orders.parquet"))
        partitions = df.rdd.getNumPartitions()
        got = ex.assess(df, NOW).toArrow()
        secs = time.perf_counter() - start
    finally:
        spark.stop()
    want = dr.assess_table(table, NOW, dictionary=False).drop_columns(["row"])
    assert got.num_rows == want.num_rows == ORDERS
    # Spark's own names for list items; the same values and types otherwise.
    got = got.cast(want.schema).sort_by([("order_id", "ascending"), ("line_id", "ascending")])
    want = want.sort_by([("order_id", "ascending"), ("line_id", "ascending")])
    for name in want.column_names:
        assert got[name].equals(want[name]), name
    assert pa.compute.count_distinct(want["status"]).as_py() > 1
    assert partitions > 1  # several Spark tasks, each with its own batches
    print(f"\nSpark local[2]: {ORDERS:,} orders in {secs:.1f} s", file=sys.stderr)
