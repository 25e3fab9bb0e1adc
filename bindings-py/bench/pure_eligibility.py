"""A careful pure-Python implementation of the eligibility rules (R-E1..R-E9,
C-1, C-2), for the benchmark to compare the binding with.

It does what a team would write without the engine: read the facts dict
(``Decimal`` money, aware ``datetime`` instants), check them (types, ids,
quantity, currencies, dates in order and not after ``now``), compute the
dates in the policy's zone with ``zoneinfo`` (calendar days, DST-correct:
the same wall-clock time N days later, a time in a spring-forward gap
resolved to the end of the gap, an ambiguous one to the earlier instant),
and answer the status, the R-E9 code, the window and the protection end.
The policy values come from the engine's policy (``Policy.to_dict()``).

``tests/test_bench.py`` checks that it answers as the engine does on the
benchmark's orders, so the comparison is of equal work.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo

UTC = timezone.utc


class FactsError(ValueError):
    """Invalid facts, naming the field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"`{field}`: {message}")
        self.field = field


@dataclass(frozen=True)
class Answer:
    status: str
    code: str | None
    opens_at: datetime | None
    closes_at: datetime | None
    protection_end: datetime | None


def _instant(v: Any, field: str) -> datetime:
    if isinstance(v, datetime):
        t = v
    elif isinstance(v, str):
        try:
            t = datetime.fromisoformat(v.replace("Z", "+00:00"))
        except ValueError:
            raise FactsError(field, f"`{v}` is not an RFC 3339 instant") from None
    else:
        raise FactsError(field, "expected an instant")
    if t.tzinfo is None or t.utcoffset() is None:
        raise FactsError(field, "a naive datetime is ambiguous")
    return t.astimezone(UTC)


def _money(v: Any, field: str) -> tuple[Decimal, str]:
    if not isinstance(v, dict) or set(v) != {"amount", "currency"}:
        raise FactsError(field, "expected {amount, currency}")
    a = v["amount"]
    if isinstance(a, float):
        raise FactsError(f"{field}.amount", "a float is not exact")
    try:
        amount = Decimal(a) if isinstance(a, (str, int, Decimal)) else None
    except InvalidOperation:
        amount = None
    if amount is None or not amount.is_finite():
        raise FactsError(f"{field}.amount", f"`{a}` is not a decimal amount")
    c = v["currency"]
    if not (isinstance(c, str) and len(c) == 3 and c.isascii() and c.isupper()):
        raise FactsError(f"{field}.currency", f"`{c}` is not a currency code")
    return amount, c


class Eligibility:
    """The rules under one policy (its ``eligibility`` section and zone)."""

    def __init__(self, policy: dict[str, Any]) -> None:
        e = policy["eligibility"]
        self.tz = ZoneInfo(policy["time_zone"])
        self.same_wall_clock = policy["day_counting"] == "same_wall_clock"
        self.earliest_open_day: int = e["earliest_open_day"]
        self.at_once: bool = e["confirmed_receipt_opens_at_once"]
        self.from_payment = e["protection_starts"] == "payment"
        self.by_method: dict[str, int] = e["protection_days_by_method"]
        self.by_destination: list[dict[str, Any]] = e["protection_days_by_destination"]
        self.promise_wins: bool = e["listing_promise_wins"]
        self.max_days: int | None = e["max_protection_days"]
        self.delivered_cut: int | None = e["delivered_cuts_protection_to_days"]
        self.after_confirmation: int = e["window_after_confirmation_days"]
        self.reopen_limit: int = e["reopen_limit"]

    # --- calendar (C-1) ------------------------------------------------------

    def _resolve(self, wall: datetime) -> datetime:
        """A local wall-clock time as an instant: ambiguous -> the earlier,
        in a gap -> the end of the gap."""
        t = wall.replace(tzinfo=self.tz, fold=0).astimezone(UTC)
        if t.astimezone(self.tz).replace(tzinfo=None) == wall:
            return t
        # In a gap: the first instant whose wall clock is past `wall`.
        lo = wall.replace(tzinfo=self.tz, fold=1).astimezone(UTC)
        hi = t
        if lo > hi:
            lo, hi = hi, lo
        while (hi - lo) > timedelta(seconds=1):
            mid = lo + (hi - lo) / 2
            if mid.astimezone(self.tz).replace(tzinfo=None) > wall:
                hi = mid
            else:
                lo = mid
        return hi.replace(microsecond=0)

    def _wall(self, t: datetime) -> datetime:
        return t.astimezone(self.tz).replace(tzinfo=None)

    def _add_days(self, t: datetime, n: int) -> datetime:
        if n == 0:
            return t
        w = self._wall(t)
        if self.same_wall_clock:
            return self._resolve(w + timedelta(days=n))
        days = n + 1 if n > 0 else n
        return self._resolve(datetime.combine(w.date() + timedelta(days=days), time()))

    def _nth_day_start(self, t: datetime, n: int) -> datetime:
        d: date = self._wall(t).date() + timedelta(days=n)
        return self._resolve(datetime.combine(d, time()))

    # --- the rules -------------------------------------------------------------

    def _protection_days(self, method: str, country: str, promised: int | None) -> int:
        if promised is not None and self.promise_wins:
            days = promised
        else:
            found = next(
                (d["days"] for d in self.by_destination
                 if d["country"] == country and d["method"] in (None, method)),
                self.by_method.get(method, promised),
            )
            if found is None:
                raise FactsError("shipping_method", f"`{method}` is not in the protection table (R-E2)")
            days = found
        return days if self.max_days is None else min(days, self.max_days)

    def assess(self, f: dict[str, Any], now: datetime) -> Answer:
        """Validates the facts and answers eligibility at ``now``."""
        now = _instant(now, "now")
        if f.get("schema_version") != 1:
            raise FactsError("schema_version", "unsupported schema version")
        for k in ("order_id", "line_id", "shipping_method", "destination_country"):
            if not isinstance(f.get(k), str) or not f[k].strip():
                raise FactsError(k, "must be a non-empty string")
        q = f.get("quantity")
        if not isinstance(q, int) or isinstance(q, bool) or q < 1:
            raise FactsError("quantity", "must be at least 1")
        price, cur = _money(f.get("unit_price"), "unit_price")
        shipping, c2 = _money(f.get("shipping_cost"), "shipping_cost")
        if price < 0 or shipping < 0:
            raise FactsError("unit_price.amount", "must not be negative")
        if c2 != cur:
            raise FactsError("shipping_cost.currency", "differs from the line's currency")
        if "coupon" in f:
            coupon, c3 = _money(f["coupon"], "coupon")
            if c3 != cur or coupon < 0 or coupon > price * q + shipping:
                raise FactsError("coupon", "not a valid coupon")
        country = f["destination_country"]
        if not (len(country) == 2 and country.isascii() and country.isupper()):
            raise FactsError("destination_country", "not an ISO 3166 code")

        def when(field: str, v: Any, after: datetime | None = None) -> datetime:
            t = _instant(v, field)
            if t > now:
                raise FactsError(field, "is after now")
            if after is not None and t < after:
                raise FactsError(field, "is before an earlier fact")
            return t

        placed = when("placed_at", f.get("placed_at"))
        paid = when("paid_at", f["paid_at"], placed) if f.get("paid_at") is not None else None
        shipped = when("shipped_at", f["shipped_at"], paid or placed) if f.get("shipped_at") is not None else None
        tracking = f.get("tracking") or {"status": "none"}
        delivered = None
        for key in ("at", "since", "last_event_at"):
            if key in tracking:
                if shipped is None:
                    raise FactsError(f"tracking.{key}", "the order was never shipped")
                t = when(f"tracking.{key}", tracking[key], shipped)
                if tracking["status"] == "delivered":
                    delivered = t
        receipt = f.get("receipt")
        received = when("receipt.at", receipt["at"], shipped) if receipt else None
        approved = 0
        for i, x in enumerate(f.get("extensions", ())):
            when(f"extensions[{i}].requested_at", x["requested_at"], shipped)
            if not 1 <= x["days"] <= 3650:
                raise FactsError(f"extensions[{i}].days", "must be 1 to 3650 days")
            if x["status"] == "approved":
                approved += x["days"]
        disputes = f.get("disputes", ())
        statuses = [d["status"] for d in disputes]
        for i, d in enumerate(disputes):
            when(f"disputes[{i}].opened_at", d["opened_at"], placed)
        if f.get("refund_completed_at") is not None:
            when("refund_completed_at", f["refund_completed_at"], placed)
        if shipped is None:
            return Answer("blocked", "not_shipped", None, None, None)

        # Dates (R-E1..R-E5).
        days = self._protection_days(f["shipping_method"], country, f.get("promised_protection_days"))
        anchor = paid if (self.from_payment and paid is not None) else shipped
        end = self._add_days(anchor, days + approved)
        if self.delivered_cut is not None and delivered is not None:
            end = min(end, self._add_days(delivered, self.delivered_cut))
        earliest = self._nth_day_start(shipped, self.earliest_open_day)
        confirmed = received if received is not None and received < end else None
        if confirmed is not None:
            opens = min(earliest, confirmed) if self.at_once else earliest
            closes, closing = self._add_days(confirmed, self.after_confirmation), "confirmation_window_passed"
        else:
            opens, closes, closing = earliest, end, "confirmation_timeout"

        # R-E9: blocking codes first, then the window.
        code: str | None
        if f.get("refund_completed_at") is not None:
            code = "refund_complete"
        elif "closed_by_agreement" in statuses:
            code = "closed_by_agreement"
        elif "open" in statuses:
            code = "dispute_already_open"
        elif statuses.count("cancelled") > self.reopen_limit:
            code = "reopen_limit_reached"
        elif now >= closes:
            code = closing
        elif now < opens:
            code = "too_early"
        else:
            code = None
        status = (
            "eligible" if code is None
            else "not_yet" if code == "too_early"
            else "closed" if code in ("confirmation_timeout", "confirmation_window_passed")
            else "blocked"
        )
        return Answer(status, code, opens, closes, end)
