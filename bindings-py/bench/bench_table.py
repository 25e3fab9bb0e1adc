"""Benchmark of the Arrow batch (``dr.assess_table``) beside the JSON-lines
batch (``dr.batch``), in the same run, on the same orders (``orders.py``,
as flat columns by ``flat_orders.py``).

Each figure is the median of ``--repeat`` runs (the best in brackets), as
orders per second of wall time and per second of CPU time ("per core"):
the calling thread's CPU time when one thread works (the batches run on the
calling thread), the whole process's when several do. The machine's load
average is printed before and after: on a shared machine trust the CPU
figures over the wall-clock ones.

Target (issue 16): >= 2,000,000 orders/s per core for the eligibility and
timeline columns from an Arrow table.

Usage: python bench/bench_table.py [--orders N] [--repeat R] [--threads T ...]
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import dispute_rules as dr

sys.path.insert(0, str(Path(__file__).resolve().parent))
import flat_orders  # noqa: E402
import orders as sample  # noqa: E402

TARGET = 2_000_000  # orders/s per core, Arrow table, eligibility + timeline columns


def measure(repeat: int, threads: int, fn: Callable[[], object]) -> tuple[list[float], list[float]]:
    """Wall and CPU seconds of ``repeat`` runs (GC paused); CPU: the calling
    thread's with one thread, every thread's with more."""
    walls, cpus = [], []
    for _ in range(repeat):
        gc.disable()
        try:
            w, t, p = time.perf_counter(), time.thread_time(), time.process_time()
            fn()
            wall = time.perf_counter() - w
            cpu = time.thread_time() - t if threads == 1 else time.process_time() - p
        finally:
            gc.enable()
        walls.append(wall)
        cpus.append(cpu)
    return walls, cpus


def load() -> str:
    return ", ".join(f"{x:.1f}" for x in os.getloadavg())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--orders", type=int, default=200_000, help="orders (default 200000)")
    ap.add_argument("--repeat", type=int, default=7, help="runs per figure; the median is shown (default 7)")
    ap.add_argument("--threads", type=int, nargs="*", default=[2], help="thread counts for the Arrow batch besides 1")
    args = ap.parse_args()

    now = sample.NOW
    orders = sample.orders(args.orders)
    text = "\n".join(json.dumps(o, separators=(",", ":")) for o in orders) + "\n"
    typed = flat_orders.table(orders)
    as_text = flat_orders.table(orders, text=True)
    n = len(orders)
    print(f"dispute_rules {dr.__version__}, Python {sys.version.split()[0]}, {n:,} orders, "
          f"{os.cpu_count()} cores, median of {args.repeat} (best in brackets); load average {load()}")
    print(f"{'':<46} {'orders/s (wall)':>24}  {'orders/s per core (CPU)':>26}")

    def show(label: str, threads: int, fn: Callable[[], object]) -> float:
        walls, cpus = measure(args.repeat, threads, fn)
        wall, cpu = statistics.median(walls), statistics.median(cpus)
        print(f"  {label:<44} {n / wall:>12,.0f} ({n / min(walls):>9,.0f})  "
              f"{n / cpu:>12,.0f} ({n / min(cpus):>9,.0f})  {cpu / n * 1e9:6.0f} ns/order")
        return n / cpu

    print("JSON lines (dr.batch, one core):")
    show("eligibility + timeline (the default)", 1, lambda: dr.batch(text, now, threads=1))
    show("eligibility only", 1, lambda: dr.batch(text, now, op="eligibility", threads=1))
    print("Arrow table (dr.assess_table), result as a pyarrow.Table:")
    typed_1 = show("typed columns, 1 thread", 1, lambda: dr.assess_table(typed, now, threads=1))
    show("typed columns, plain strings out, 1 thread", 1,
         lambda: dr.assess_table(typed, now, threads=1, dictionary=False))
    show("text columns (as a CSV holds them), 1 thread", 1, lambda: dr.assess_table(as_text, now, threads=1))
    for t in args.threads:
        if t > 1:
            show(f"typed columns, {t} threads", t, lambda t=t: dr.assess_table(typed, now, threads=t))  # type: ignore[misc]
    print(f"load average after: {load()}")
    print(f"\ntarget (Arrow, typed, per core): {TARGET:,} orders/s -> "
          f"{'met' if typed_1 >= TARGET else 'NOT met'} ({typed_1:,.0f} orders/s per core)")


if __name__ == "__main__":
    main()
