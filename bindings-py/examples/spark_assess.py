"""Dispute deadlines for millions of orders with Spark: ``dispute_rules``
inside ``mapInArrow``.

Spark hands each task's rows to Python as Arrow record batches;
``dr.assess_table`` takes a batch of flat order columns (the ``assess``
program's CSV columns) and answers a batch, so the library runs inside
Spark unchanged, with no Python object per row. ``assess(df, now)`` is the
whole integration; the rest of this file makes sample orders and times a
run.

Usage (from the repository root; needs ``pip install pyspark`` and Java 17)::

    python bindings-py/examples/spark_assess.py --orders 1000000 --cores 2

It generates the orders (the benchmark's generator), writes them as
Parquet, reads them with Spark, assesses them and prints the time taken,
beside the time Spark takes to pass the same rows through Python unchanged,
and the status counts.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

#: The Spark schema of the answers: the columns of ``dr.TABLE_COLUMNS``
#: but ``row`` (a batch's own row numbers mean nothing across a cluster).
RESULT_SCHEMA = (
    "order_id string, line_id string, status string, code string, "
    "opens_at timestamp, closes_at timestamp, protection_ends_at timestamp, "
    "next_action string, next_deadline timestamp, rules array<string>, "
    "error_kind string, error_field string, error_message string"
)


def assess(df: Any, now: datetime, policy: str = "aliexpress") -> Any:
    """The answers for every row of a Spark DataFrame of flat order columns
    (``dr.FLAT_COLUMNS``), one answer row per order row."""

    def run(batches: Iterator[Any]) -> Iterator[Any]:
        # Runs on the executors: self-contained (only dispute_rules is
        # needed there), one thread per task (Spark runs a task per core).
        import dispute_rules as dr

        for batch in batches:
            answers = dr.assess_table(batch, now, policy=policy, threads=1, dictionary=False)
            yield from answers.drop_columns(["row"]).to_batches()

    return df.mapInArrow(run, RESULT_SCHEMA)


def session(cores: int) -> Any:
    """A local Spark session whose Python workers use this interpreter."""
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    from pyspark.sql import SparkSession

    return (
        SparkSession.builder.master(f"local[{cores}]")
        .appName("dispute_rules")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.shuffle.partitions", str(cores))
        .config("spark.driver.memory", "2g")
        # Small input splits: the sample file is read by several tasks.
        .config("spark.sql.files.maxPartitionBytes", "256k")
        .getOrCreate()
    )


def sample_orders(n: int, path: Path) -> Any:
    """``n`` generated orders as a typed Arrow table, also written to
    ``path`` as Parquet."""
    import pyarrow.parquet as pq  # type: ignore[import-untyped]

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
    import flat_orders
    import orders

    table = flat_orders.table(orders.orders(n))
    pq.write_table(table, path, row_group_size=20_000)
    return table


def timed(df: Any) -> float:
    """Seconds to compute every row of ``df`` (written nowhere)."""
    start = time.perf_counter()
    df.write.format("noop").mode("overwrite").save()
    return time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--orders", type=int, default=100_000, help="orders to generate (default 100000)")
    ap.add_argument("--cores", type=int, default=2, help="Spark local cores (default 2)")
    ap.add_argument("--now", default="2026-03-20T12:00:00+00:00", help="the assessment instant (RFC 3339)")
    args = ap.parse_args()
    now = datetime.fromisoformat(args.now).astimezone(timezone.utc)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "orders.parquet"
        sample_orders(args.orders, path)
        spark = session(args.cores)
        try:
            df = spark.read.parquet(str(path))
            tasks = df.rdd.getNumPartitions()
            # Spark alone: the same rows to Python workers and back. Each
            # timed twice, the best kept (the first runs warm Spark up).
            passed = df.mapInArrow(lambda batches: batches, df.schema)
            spark_only, secs = timed(passed), timed(assess(df, now))
            spark_only, secs = min(spark_only, timed(passed)), min(secs, timed(assess(df, now)))
            counts = {r["status"]: r["count"] for r in assess(df, now).groupBy("status").count().collect()}
        finally:
            spark.stop()
    n = args.orders
    print(f"{n:,} orders, {tasks} tasks on {args.cores} cores: {secs:.1f} s ({n / secs:,.0f} orders/s); "
          f"the same rows through Python unchanged: {spark_only:.1f} s")
    print(", ".join(f"{k or 'error'}: {v:,}" for k, v in sorted(counts.items(), key=lambda kv: str(kv[0]))))


if __name__ == "__main__":
    main()
