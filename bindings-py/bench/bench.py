"""Benchmark of the Python package beside a pure-Python implementation of
the eligibility rules and the Rust engine.

Per-call cost from Python (dict facts and an aware datetime in, result
objects out: read and built in Rust, no JSON on the way), the same for the
pure-Python implementation of the eligibility rules (``pure_eligibility.py``,
checked against the engine by ``tests/test_bench.py``), and batch throughput
on one core (eligibility plus timeline from JSON lines: the
``eligibility_timeline`` batch, the default; and the others), on varied
copies of the shared sample orders (``orders.py``). Figures are medians over
``--repeat`` rounds (CPU time of this process by default: robust on a shared
machine), with the load average. With ``--rust``, the same orders timed in
Rust without Python (``examples/rust_bench.rs``).

The JSON-lines batch on 1 and 2 threads (``threads=``) is timed in CPU
time (the cost per order, per core) and wall-clock time (the throughput).

Targets (issue 15): ``eligibility`` <= 4 us per call and >= 6x the
pure-Python implementation; ``assess`` (full answer) <= 15 us; the batch
>= 350,000 orders/s. Back to back (issue 18, no target): ``back_to_back``
per call on the three worked examples (``dispute-rules/tests/data/back_to_back``),
from dicts and an aware datetime, and the same requests through ``call_json``.

Batch targets (issue 14): >= 1,000,000 orders/s per core (<= 1 us of CPU
time per order) and >= 1.8x that on 2 threads (wall-clock).

Usage: python bench/bench.py [--orders N] [--repeat R] [--rust] [--wall] [--batch-only]
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import dispute_rules as dr

sys.path.insert(0, str(Path(__file__).resolve().parent))
import orders as sample  # noqa: E402
import pure_eligibility  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
TARGET = 350_000  # orders/s, the batch target of issue 8
CORE_TARGET = 1_000_000  # orders/s per core (CPU time), issue 14
TWO_THREADS_TARGET = 1.8  # 2 threads vs 1, wall-clock, issue 14
CALL_TARGETS = {"eligibility": 4.0, "assess (full)": 15.0}  # us per call, issue 15
SPEEDUP_TARGET = 6.0  # eligibility vs the pure-Python implementation


CLOCK = time.process_time  # CPU time: robust on a shared machine (--wall to change)


def median(repeat: int, fn: Callable[[], object]) -> float:
    """Median time of ``repeat`` runs, in seconds (GC paused)."""
    times = []
    for _ in range(repeat):
        gc.disable()
        try:
            t = CLOCK()
            fn()
            times.append(CLOCK() - t)
        finally:
            gc.enable()
    return statistics.median(times)


def both_clocks(repeat: int, fn: Callable[[], object]) -> tuple[float, float]:
    """Median CPU time (every thread of the process) and median wall-clock
    time of ``repeat`` runs, in seconds (GC paused)."""
    cpu, wall = [], []
    for _ in range(repeat):
        gc.disable()
        try:
            c, w = time.process_time(), time.perf_counter()
            fn()
            cpu.append(time.process_time() - c)
            wall.append(time.perf_counter() - w)
        finally:
            gc.enable()
    return statistics.median(cpu), statistics.median(wall)


def threads_section(text: str, n: int, now: datetime, repeat: int) -> None:
    """The JSON-lines batch (eligibility + timeline) on 1 and 2 threads."""
    print("\nbatch on threads (elig.+timeline, JSON lines; CPU time of all threads, wall-clock):")
    data = text.encode()
    wall_rate = {}
    cpu_us = {}
    for threads in (1, 2):
        holder: list[dr.BatchResult[Any]] = []
        cpu, wall = both_clocks(repeat, lambda t=threads: holder.append(dr.batch(data, now, threads=t)))  # type: ignore[misc]
        assert holder[-1].error_count == 0 and len(holder[-1]) == n
        cpu_us[threads] = cpu / n * 1e6
        wall_rate[threads] = n / wall
        print(f"  threads={threads}  {cpu_us[threads]:6.2f} us CPU/order ({n / cpu:>10,.0f} orders/s per core)"
              f"  {wall / n * 1e6:6.2f} us wall/order ({n / wall:>10,.0f} orders/s)")
    per_core = 1e6 / cpu_us[1]
    ratio = wall_rate[2] / wall_rate[1]
    print(f"  target per core >= {CORE_TARGET:,} orders/s -> {'met' if per_core >= CORE_TARGET else 'NOT met'} "
          f"({per_core:,.0f})")
    print(f"  target 2 threads >= {TWO_THREADS_TARGET}x 1 thread (wall) -> "
          f"{'met' if ratio >= TWO_THREADS_TARGET else 'NOT met'} ({ratio:.2f}x; "
          f"needs 2 idle cores: load average {os.getloadavg()[0]:.2f})")


def per_call(repeat: int, n: int, fn: Callable[[int], object]) -> float:
    """Median cost of one call, in microseconds, over rounds of n calls."""
    return median(repeat, lambda: [fn(i) for i in range(n)]) / n * 1e6


def rust_figures(text: str, repeat: int) -> dict[str, Any] | None:
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as f:
        f.write(text)
    try:
        env = dict(os.environ)
        env.setdefault("CARGO_TARGET_DIR", str(ROOT / "target"))
        env["CARGO_TARGET_DIR"] = str(Path(env["CARGO_TARGET_DIR"]) / "rust-answers")
        out = subprocess.run(
            ["cargo", "run", "--release", "--quiet", "-p", "dispute-rules-py", "--example", "rust_bench", "--",
             f.name, str(repeat)],
            cwd=ROOT, env=env, check=True, capture_output=True, text=True,
        ).stdout
        figures: dict[str, Any] = json.loads(out)
        return figures
    except (OSError, subprocess.CalledProcessError) as e:
        print(f"(no Rust figures: {e})", file=sys.stderr)
        return None
    finally:
        os.unlink(f.name)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--orders", type=int, default=100_000, help="orders in the batch (default 100000)")
    ap.add_argument("--repeat", type=int, default=7, help="rounds per figure; the median is kept (default 7)")
    ap.add_argument("--rust", action="store_true", help="also time the same work in Rust (cargo)")
    ap.add_argument("--wall", action="store_true", help="wall-clock time instead of CPU time")
    ap.add_argument("--batch-only", action="store_true", help="only the batch on 1 and 2 threads")
    args = ap.parse_args()
    global CLOCK
    if args.wall:
        CLOCK = time.perf_counter

    now = sample.NOW
    orders = sample.orders(args.orders)
    text = "\n".join(json.dumps(o, separators=(",", ":")) for o in orders) + "\n"
    calls = min(5000, len(orders))
    requests = [json.dumps({"facts": o, "now": "2026-03-20T12:00:00Z"}) for o in orders[:calls]]
    load = os.getloadavg()
    print(f"dispute_rules {dr.__version__}, Python {sys.version.split()[0]}, {len(orders)} orders "
          f"({len(text) / len(orders):.0f} bytes each as JSON), median of {args.repeat}, "
          f"{'wall' if args.wall else 'CPU'} time, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} "
          f"on {os.cpu_count()} CPUs")
    if args.batch_only:
        threads_section(text, len(orders), now, args.repeat)
        return

    print("\nper call from Python (dict facts + aware datetime in, result objects out):")
    pure = pure_eligibility.Eligibility(dr.load_policy().to_dict())
    figures: dict[str, float] = {}
    for name, fn in [
        ("eligibility", dr.eligibility),
        ("pure-Python eligibility", pure.assess),
        ("timeline", dr.timeline),
        ("assess (full)", dr.assess),
    ]:
        us = per_call(args.repeat, calls, lambda i, fn=fn: fn(orders[i], now))  # type: ignore[misc]
        figures[name] = us
        target = CALL_TARGETS.get(name)
        note = "" if target is None else f"  (target <= {target:g} us: {'met' if us <= target else 'NOT met'})"
        print(f"  {name:<28} {us:8.2f} us/call{note}")
    speedup = figures["pure-Python eligibility"] / figures["eligibility"]
    print(f"  {'eligibility vs pure Python':<28} {speedup:8.1f}x  "
          f"(target >= {SPEEDUP_TARGET:g}x: {'met' if speedup >= SPEEDUP_TARGET else 'NOT met'})")
    texts = [json.dumps(o) for o in orders[:calls]]
    us = per_call(args.repeat, calls, lambda i: dr.eligibility(texts[i], now))
    print(f"  {'eligibility, JSON text facts':<28} {us:8.2f} us/call")
    us = per_call(args.repeat, calls, lambda i: dr.call_json("eligibility", requests[i]))
    print(f"  {'call_json(eligibility) raw':<28} {us:8.2f} us/call")
    us = per_call(args.repeat, calls, lambda i: dr.eligibility(orders[i], now).window)
    print(f"  {'eligibility + .window':<28} {us:8.2f} us/call")

    print("\nback to back, per call (the three worked examples, dicts + aware datetime in):")
    b2b = [json.loads(p.read_text()) for p in sorted((sample.DATA / "back_to_back").glob("*.json"))]
    b2b_now = [datetime.fromisoformat(r["now"].replace("Z", "+00:00")) for r in b2b]
    b2b_text = [json.dumps(r) for r in b2b]
    n = min(calls, 1500)

    def b2b_call(i: int) -> dr.BackToBack:
        r = b2b[i % len(b2b)]
        return dr.back_to_back(r["facts"], r["customer_order"], b2b_now[i % len(b2b)],
                               customer_dispute=r["customer_dispute"])

    us = per_call(args.repeat, n, b2b_call)
    figures["back_to_back"] = us
    print(f"  {'back_to_back':<28} {us:8.2f} us/call")
    us = per_call(args.repeat, n, lambda i: b2b_call(i).binding)
    print(f"  {'back_to_back + .binding':<28} {us:8.2f} us/call")
    us = per_call(args.repeat, n, lambda i: dr.call_json("back_to_back", b2b_text[i % len(b2b)]))
    print(f"  {'call_json(back_to_back) raw':<28} {us:8.2f} us/call")

    print("\nbatch on one core (whole batch in Rust, GIL released):")
    results: dict[str, float] = {}
    for label, op, payload in [
        ("elig.+timeline, JSON lines", "eligibility_timeline", text),
        ("eligibility, JSON lines", "eligibility", text),
        ("timeline, JSON lines", "timeline", text),
        ("elig.+timeline, dicts", "eligibility_timeline", orders),
        ("assess (full), JSON lines", "assess", text),
    ]:
        holder: list[dr.BatchResult[Any]] = []
        secs = median(args.repeat, lambda op=op, payload=payload: holder.append(dr.batch(payload, now, op=op, threads=1)))  # type: ignore[misc]
        r = holder[-1]
        assert r.error_count == 0 and len(r) == len(orders), r
        results[label] = len(orders) / secs
        print(f"  {label:<28} {len(orders) / secs:>10,.0f} orders/s  ({secs / len(orders) * 1e6:.2f} us/order)")
    r = dr.batch(text, now, threads=1)
    secs = median(args.repeat, r.statuses)
    print(f"  {'+ statuses() column':<28} {secs / len(r) * 1e9:8.1f} ns/order")
    secs = median(3, lambda: [r[i] for i in range(min(len(r), 2000))]) / min(len(r), 2000)
    print(f"  {'+ result object, on access':<28} {secs * 1e6:8.2f} us/order")

    threads_section(text, len(orders), now, args.repeat)

    got = results["elig.+timeline, JSON lines"]
    print(f"\ntarget (eligibility+timeline from JSON lines): {TARGET:,} orders/s -> "
          f"{'met' if got >= TARGET else 'NOT met'} "
          f"({got:,.0f} orders/s)")

    if args.rust:
        fig = rust_figures(text, args.repeat)
        if fig:
            print("\nRust, same orders, no Python:")
            print(f"  api::call(eligibility) per call  {fig['call_us']:8.2f} us")
            print(f"  Batch::run per order             {fig['batch_us']:8.2f} us  "
                  f"({fig['batch_orders_per_s']:,.0f} orders/s)")
            print(f"    of which facts parsing         {fig['parse_us']:8.2f} us")
            print(f"    of which eligibility+timeline  {fig['assess_us']:8.2f} us")
            print(f"  Python batch / Rust batch: {fig['batch_orders_per_s'] / got:.2f}x the Rust cost per order")
            print(f"  api::call(back_to_back) per call {fig['back_to_back_call_us']:8.2f} us  "
                  f"(Python back_to_back: {figures['back_to_back'] / fig['back_to_back_call_us']:.2f}x)")


if __name__ == "__main__":
    main()
