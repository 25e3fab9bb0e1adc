"""Marketplace dispute rules (AliExpress Buyer Protection first), from Python.

Eligibility, deadlines, reason codes, likely outcomes and the dispute
lifecycle, computed from the facts of one order line by the Rust engine
``dispute-rules``. Rule ids such as ``R-E1`` are defined in the project's
rules reference, ``docs/rules.md``.

>>> from datetime import datetime, timezone
>>> import dispute_rules as dr
>>> e = dr.eligibility(facts, now=datetime(2026, 3, 20, 12, tzinfo=timezone.utc))
>>> e.status
<Status.ELIGIBLE: 'eligible'>
>>> e.window.opens_at.utc
datetime.datetime(2026, 3, 12, 7, 0, tzinfo=datetime.timezone.utc)

Inputs: facts and policies as dicts (values may be aware ``datetime``,
``Decimal``, :class:`Money`, ``str`` enums) or as JSON text; ``now`` as an
aware ``datetime`` (a naive one is refused) or an RFC 3339 string; a policy
as a preset id (:data:`PRESETS`), JSON text, a dict or a :class:`Policy`.

Outputs: result objects with Python types (aware ``datetime`` in UTC plus the
policy's local time, ``Decimal`` money, ``str``-valued enums for codes), a
readable ``repr`` and ``to_dict()`` (the engine's JSON answer).

Errors: :class:`DisputeRulesError` and its subclasses, each carrying
``kind``, ``field``, ``problems`` (``(field, message)`` pairs) and ``code``.

Every function is a thin wrapper over the engine's JSON layer
(:func:`call_json`), so Python answers exactly as Rust and C do.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from enum import Enum
from typing import Any, Final, Generic, Literal, NamedTuple, TypeVar, Union, overload

from . import _dispute_rules as _native

__all__ = [
    "OPERATIONS",
    "BATCH_OPERATIONS",
    "PRESETS",
    "DEFAULT_POLICY",
    "Status",
    "Ineligible",
    "ActionKind",
    "Milestone",
    "ErrorKind",
    "Reason",
    "Solution",
    "Group",
    "Actor",
    "DisputeState",
    "EventKind",
    "Moment",
    "Money",
    "Problem",
    "Step",
    "Window",
    "Action",
    "Eligibility",
    "Entry",
    "Timeline",
    "Assessment",
    "Policy",
    "Answer",
    "BatchResult",
    "DisputeRulesError",
    "InvalidFactsError",
    "InvalidPolicyError",
    "InvalidClaimError",
    "InvalidRequestError",
    "IllegalTransitionError",
    "InternalError",
    "call",
    "call_json",
    "eligibility",
    "timeline",
    "assess",
    "validate_facts",
    "load_policy",
    "batch",
    "reasons",
    "suggest_reasons",
    "check_claim",
    "evidence_checklist",
    "lifecycle_open",
    "lifecycle_apply",
    "lifecycle_advance",
    "lifecycle_status",
    "lifecycle_allowed",
    "predict",
    "EligibilityTimeline",
    "WRAPPERS",
]

__version__: Final[str] = _native.__version__

#: Every operation of :func:`call` (the engine's ``api::OPERATIONS``).
OPERATIONS: Final[tuple[str, ...]] = tuple(_native.OPERATIONS)
#: The operations :func:`batch` can run.
BATCH_OPERATIONS: Final[tuple[str, ...]] = tuple(_native.BATCH_OPERATIONS)
#: The built-in policy presets.
PRESETS: Final[tuple[str, ...]] = tuple(_native.PRESETS)
#: The policy used when none is given.
DEFAULT_POLICY: Final[str] = "aliexpress"

# ---------------------------------------------------------------------------
# Codes: str-valued enums (compare equal to their JSON strings).
# ---------------------------------------------------------------------------


class _Code(str, Enum):
    """A stable code: a ``str`` whose value is the engine's JSON string."""

    def __str__(self) -> str:
        return str(self.value)

    def __format__(self, spec: str) -> str:
        return format(str(self.value), spec)


class Status(_Code):
    """Where the line stands (R-E1..R-E9)."""

    ELIGIBLE = "eligible"
    NOT_YET = "not_yet"
    CLOSED = "closed"
    BLOCKED = "blocked"


class Ineligible(_Code):
    """R-E9: why a dispute cannot be opened (lowest applies first)."""

    NOT_SHIPPED = "not_shipped"
    REFUND_COMPLETE = "refund_complete"
    CLOSED_BY_AGREEMENT = "closed_by_agreement"
    DISPUTE_ALREADY_OPEN = "dispute_already_open"
    REOPEN_LIMIT_REACHED = "reopen_limit_reached"
    CONFIRMATION_TIMEOUT = "confirmation_timeout"
    CONFIRMATION_WINDOW_PASSED = "confirmation_window_passed"
    TOO_EARLY = "too_early"


class ActionKind(_Code):
    """What the buyer should do next."""

    OPEN_DISPUTE = "open_dispute"
    REQUEST_EXTENSION = "request_extension"
    OPEN_DISPUTE_IF_EXTENSION_NOT_APPROVED = "open_dispute_if_extension_not_approved"
    FOLLOW_OPEN_DISPUTE = "follow_open_dispute"
    CONSIDER_CHARGEBACK = "consider_chargeback"


class Milestone(_Code):
    """What a timeline date is."""

    SHIPPED = "shipped"
    RECEIPT_CONFIRMED = "receipt_confirmed"
    EXTENSION_REQUESTED = "extension_requested"
    EXTENSION_WAIT_ENDS = "extension_wait_ends"
    DISPUTE_WINDOW_OPENS = "dispute_window_opens"
    EXTENSION_REQUEST_DEADLINE = "extension_request_deadline"
    PROTECTION_ENDS = "protection_ends"
    EXTENDED_PROTECTION_ENDS = "extended_protection_ends"
    DELIVERED_CUT_ENDS = "delivered_cut_ends"
    CONFIRMATION_WINDOW_ENDS = "confirmation_window_ends"
    DISPUTE_WINDOW_CLOSES = "dispute_window_closes"


class ErrorKind(_Code):
    """The kind of a :class:`DisputeRulesError`."""

    INVALID_FACTS = "invalid_facts"
    INVALID_POLICY = "invalid_policy"
    INVALID_CLAIM = "invalid_claim"
    INVALID_REQUEST = "invalid_request"
    ILLEGAL_TRANSITION = "illegal_transition"
    INTERNAL = "internal"


class Reason(_Code):
    """A dispute reason (R-R1..R-R15)."""

    NOT_RECEIVED_TOO_LONG = "not_received.too_long"
    NOT_RECEIVED_RETURNED_TO_SELLER = "not_received.returned_to_seller"
    NOT_RECEIVED_NO_TRACKING = "not_received.no_tracking"
    NOT_RECEIVED_CUSTOMS_HOLD = "not_received.customs_hold"
    NOT_RECEIVED_WRONG_ADDRESS = "not_received.wrong_address"
    NOT_RECEIVED_DELIVERED_NOT_RECEIVED = "not_received.delivered_not_received"
    RECEIVED_NOT_AS_DESCRIBED = "received.not_as_described"
    RECEIVED_QUALITY = "received.quality"
    RECEIVED_DAMAGED = "received.damaged"
    RECEIVED_QUANTITY_SHORTAGE = "received.quantity_shortage"
    RECEIVED_MISSING_PARTS = "received.missing_parts"
    RECEIVED_COUNTERFEIT = "received.counterfeit"
    RECEIVED_SHIPPING_METHOD = "received.shipping_method"
    RECEIVED_BUYER_REMORSE = "received.buyer_remorse"
    NOT_RECEIVED_NO_REFUND_AFTER_CANCELLATION = "not_received.no_refund_after_cancellation"


class Solution(_Code):
    """What the buyer asks for (R-S1..R-S3)."""

    REFUND_ONLY = "refund_only"
    RETURN_AND_REFUND = "return_and_refund"


class Group(_Code):
    """The two groups of reasons."""

    NOT_RECEIVED = "not_received"
    RECEIVED = "received"


class Actor(_Code):
    """Who acts in the dispute lifecycle."""

    BUYER = "buyer"
    SELLER = "seller"
    PLATFORM = "platform"
    CLOCK = "clock"


class DisputeState(_Code):
    """The state of a dispute (R-L1..R-L7)."""

    AWAITING_SELLER = "awaiting_seller"
    SELLER_ACCEPTED = "seller_accepted"
    NEGOTIATING = "negotiating"
    AWAITING_RETURN_SHIPMENT = "awaiting_return_shipment"
    AWAITING_RETURN_RECEIPT = "awaiting_return_receipt"
    UNDER_REVIEW = "under_review"
    DECIDED = "decided"
    APPEALED = "appealed"
    RESOLVED = "resolved"
    CANCELLED = "cancelled"
    CLOSED_FOR_GOOD = "closed_for_good"


class EventKind(_Code):
    """A lifecycle event."""

    OPEN = "open"
    ACCEPT = "accept"
    REFUSE = "refuse"
    COUNTER_OFFER = "counter_offer"
    ACCEPT_OFFER = "accept_offer"
    REJECT_OFFER = "reject_offer"
    MODIFY_CLAIM = "modify_claim"
    ADD_EVIDENCE = "add_evidence"
    ESCALATE = "escalate"
    SHIP_RETURN = "ship_return"
    CONFIRM_RETURN_RECEIVED = "confirm_return_received"
    DECIDE = "decide"
    APPEAL = "appeal"
    FINAL_RULING = "final_ruling"
    CANCEL = "cancel"
    REOPEN = "reopen"
    TIMEOUT = "timeout"


_C = TypeVar("_C", bound=_Code)


def _code(cls: type[_C], value: str) -> _C | str:
    """The enum member for a code; a code this Python package does not know
    yet (a newer engine) stays a plain ``str`` instead of failing."""
    member: _C | str = cls._value2member_map_.get(value, value)  # type: ignore[assignment]
    return member


# ---------------------------------------------------------------------------
# Errors.
# ---------------------------------------------------------------------------


class Problem(NamedTuple):
    """One problem with an input: the field (a dotted path such as
    ``facts.tracking.at``) and what is wrong with it."""

    field: str
    message: str


class DisputeRulesError(Exception):
    """Base of every error raised by ``dispute_rules``.

    Attributes: ``kind`` (:class:`ErrorKind`, or a newer kind as ``str``),
    ``message``, ``field`` (the first problem's field), ``problems`` (every
    problem, as :class:`Problem` ``(field, message)`` pairs), ``code`` (a
    stable code when one applies, e.g. for an illegal transition), and, for
    an order of a batch, ``index`` (its position) and ``line`` (its 1-based
    line in JSON-lines input).
    """

    kind: ErrorKind | str
    message: str
    field: str
    problems: list[Problem]
    code: str | None
    index: int | None
    line: int | None

    def __init__(
        self,
        message: str,
        *,
        kind: ErrorKind | str = ErrorKind.INTERNAL,
        problems: Iterable[tuple[str, str]] = (),
        code: str | None = None,
    ) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.problems = [Problem(f, m) for f, m in problems]
        self.field = self.problems[0].field if self.problems else ""
        self.code = code
        self.index = None
        self.line = None

    def __str__(self) -> str:
        where = "" if self.index is None else f"order {self.index}: "
        if self.line is not None:
            where = f"order {self.index} (line {self.line}): "
        return where + self.message

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r}, field={self.field!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        # Picklable (e.g. across multiprocessing), attributes included.
        return (_rebuild_error, (type(self), self.message, self.kind, self.problems, self.code, self.index, self.line))

    def to_dict(self) -> dict[str, Any]:
        """The error as the engine's JSON ``error`` object."""
        d: dict[str, Any] = {"kind": str(self.kind), "message": self.message}
        if self.code is not None:
            d["code"] = self.code
        d["problems"] = [{"field": p.field, "message": p.message} for p in self.problems]
        return d


def _rebuild_error(
    cls: type[DisputeRulesError],
    message: str,
    kind: ErrorKind | str,
    problems: list[Problem],
    code: str | None,
    index: int | None,
    line: int | None,
) -> DisputeRulesError:
    e = cls(message, kind=kind, problems=problems, code=code)
    e.index, e.line = index, line
    return e


class InvalidFactsError(DisputeRulesError, ValueError):
    """The order facts are malformed or inconsistent."""


class InvalidPolicyError(DisputeRulesError, ValueError):
    """The policy is malformed, out of range, or an unknown preset."""


class InvalidClaimError(DisputeRulesError, ValueError):
    """A claim (reason, solution, amount, evidence) is not acceptable."""


class InvalidRequestError(DisputeRulesError, ValueError):
    """A request is malformed outside facts, policy and claim (a missing or
    naive ``now``, an unknown operation, a value that is not JSON, ...)."""


class IllegalTransitionError(DisputeRulesError):
    """A lifecycle event that the dispute's state does not allow; ``code``
    may carry a stable code such as ``dispute_already_open``."""


class InternalError(DisputeRulesError):
    """The engine failed unexpectedly (a bug: please report it)."""


_ERRORS: Final[dict[str, type[DisputeRulesError]]] = {
    "invalid_facts": InvalidFactsError,
    "invalid_policy": InvalidPolicyError,
    "invalid_claim": InvalidClaimError,
    "invalid_request": InvalidRequestError,
    "illegal_transition": IllegalTransitionError,
    "internal": InternalError,
}


def _error(error: Mapping[str, Any]) -> DisputeRulesError:
    """The exception for the engine's JSON ``error`` object."""
    kind = str(error.get("kind", "internal"))
    cls = _ERRORS.get(kind, DisputeRulesError)
    problems = [(str(p.get("field", "")), str(p.get("message", ""))) for p in error.get("problems", ())]
    return cls(
        str(error.get("message", "")),
        kind=_code(ErrorKind, kind),
        problems=problems,
        code=error.get("code"),
    )


def _field_error(field: str, message: str) -> DisputeRulesError:
    """An error found in Python before the engine ran, with the kind the
    field implies (as the engine does for fields that are not JSON)."""
    root = re.split(r"[.\[]", field, maxsplit=1)[0]
    cls, kind = {
        "facts": (InvalidFactsError, ErrorKind.INVALID_FACTS),
        "policy": (InvalidPolicyError, ErrorKind.INVALID_POLICY),
        "claim": (InvalidClaimError, ErrorKind.INVALID_CLAIM),
    }.get(root, (InvalidRequestError, ErrorKind.INVALID_REQUEST))
    label = {
        ErrorKind.INVALID_FACTS: "invalid order facts",
        ErrorKind.INVALID_POLICY: "invalid policy",
        ErrorKind.INVALID_CLAIM: "invalid claim",
    }.get(kind, "invalid request")
    return cls(f"{label}: `{field}`: {message}", kind=kind, problems=[(field, message)])


def _unwrap(envelope: str) -> Any:
    """The answer of an envelope, or raises its error."""
    env = json.loads(envelope)
    if env.get("result") == "success":
        return env.get("answer")
    raise _error(env.get("error") or {})


# ---------------------------------------------------------------------------
# Values: instants and money.
# ---------------------------------------------------------------------------

_RFC3339 = re.compile(
    r"(\d{4})-(\d\d)-(\d\d)[Tt ](\d\d):(\d\d):(\d\d)(?:\.(\d+))?(?:([Zz])|([+-])(\d\d):(\d\d))\Z"
)
_ZONES: dict[str, timezone] = {}


def _parse_instant_slow(text: str) -> datetime:
    """An RFC 3339 instant as an aware datetime (fractions beyond
    microseconds are dropped: Python's datetime has no nanoseconds)."""
    m = _RFC3339.match(text)
    if m is None:
        if text.startswith("+"):
            # Facts near year 9999 can put a deadline past Python's datetime.
            raise _field_error(
                "facts",
                f"the answer has an instant `{text}` beyond Python's datetime range (years 1 to 9999); "
                "`call_json` gives the raw answer",
            )
        raise InternalError(f"internal error: `{text}` is not an RFC 3339 instant")
    y, mo, d, h, mi, s, frac, z, sign, oh, om = m.groups()
    if z:
        tz = timezone.utc
    else:
        key = f"{sign}{oh}:{om}"
        tz = _ZONES.get(key) or _ZONES.setdefault(
            key, timezone((1 if sign == "+" else -1) * timedelta(hours=int(oh), minutes=int(om)))
        )
    micro = int((frac or "0")[:6].ljust(6, "0"))
    sec = int(s)
    if sec == 60:  # a leap second: the last microsecond of the minute
        sec, micro = 59, 999_999
    return datetime(int(y), int(mo), int(d), int(h), int(mi), sec, micro, tzinfo=tz)


def _parse_instant(text: str) -> datetime:
    """An RFC 3339 instant from the engine as an aware datetime."""
    try:
        t = datetime.fromisoformat(text)  # Python >= 3.11 reads RFC 3339 (C, fast)
        if t.tzinfo is not None:
            return t
    except ValueError:
        pass
    return _parse_instant_slow(text)  # 3.10 (`Z`), nanoseconds, leap seconds


_MOMENTS: dict[tuple[str, str], Moment] = {}


def _moment_of(utc: str, local: str) -> Moment:
    """A Moment from the engine's strings; cached (an answer repeats its
    instants, and so do the answers of nearby orders): Moments are immutable."""
    key = (utc, local)
    m = _MOMENTS.get(key)
    if m is None:
        m = object.__new__(Moment)
        object.__setattr__(m, "utc", _parse_instant(utc).astimezone(timezone.utc))
        object.__setattr__(m, "local", _parse_instant(local))
        if len(_MOMENTS) >= 8192:
            _MOMENTS.clear()
        _MOMENTS[key] = m
    return m


class Moment:
    """An exact instant (C-1): ``utc`` (aware, UTC) and ``local`` (the same
    instant in the policy's time zone, with its UTC offset then). Immutable."""

    __slots__ = ("utc", "local")
    utc: datetime
    local: datetime

    def __init__(self, utc: datetime, local: datetime | None = None) -> None:
        utc = _aware(utc, "utc").astimezone(timezone.utc)
        object.__setattr__(self, "utc", utc)
        object.__setattr__(self, "local", utc if local is None else _aware(local, "local"))

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"Moment is immutable (cannot set `{name}`)")

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Moment:
        """From the engine's JSON ``{"utc": ..., "local": ...}``."""
        return _moment_of(d["utc"], d["local"])

    def to_dict(self) -> dict[str, str]:
        """The engine's JSON form."""
        return {"utc": _rfc3339(self.utc, utc=True), "local": _rfc3339(self.local, utc=False)}

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Moment):
            return self.utc == other.utc and self.local.utcoffset() == other.local.utcoffset()
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.utc)

    def __lt__(self, other: Moment) -> bool:
        return self.utc < other.utc

    def __le__(self, other: Moment) -> bool:
        return self.utc <= other.utc

    def __str__(self) -> str:
        return f"{self.local:%Y-%m-%d %H:%M} {_offset(self.local)} ({self.utc:%Y-%m-%d %H:%M} UTC)"

    def __repr__(self) -> str:
        return f"Moment({_rfc3339(self.utc, utc=True)!r}, local={_rfc3339(self.local, utc=False)!r})"


def _offset(t: datetime) -> str:
    off = t.utcoffset() or timedelta(0)
    sign = "-" if off < timedelta(0) else "+"
    minutes = abs(int(off.total_seconds())) // 60
    return f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def _rfc3339(t: datetime, *, utc: bool) -> str:
    """The engine's spelling (chrono's ``AutoSi``): no fraction, or 3 or 6
    digits; UTC as ``Z`` for the ``utc`` half, else the offset."""
    base = t.strftime("%Y-%m-%dT%H:%M:%S")
    if t.microsecond:
        frac = f"{t.microsecond:06d}"
        base += "." + (frac[:3] if t.microsecond % 1000 == 0 else frac)
    return base + ("Z" if utc else _offset(t))


class Money:
    """An exact amount (``Decimal``) with its ISO 4217 currency (C-2)."""

    __slots__ = ("amount", "currency")
    amount: Decimal
    currency: str

    def __init__(self, amount: Decimal | int | str, currency: str) -> None:
        if isinstance(amount, float):
            raise _field_error("amount", "a float is inexact; give a Decimal or a string such as \"12.50\"")
        self.amount = amount if isinstance(amount, Decimal) else Decimal(amount)
        self.currency = currency

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Money:
        """From the engine's JSON ``{"amount": "12.50", "currency": "USD"}``."""
        return cls(Decimal(str(d["amount"])), str(d["currency"]))

    def to_dict(self) -> dict[str, str]:
        """The engine's JSON form (amount as a string: exact)."""
        return {"amount": str(self.amount), "currency": self.currency}

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Money):
            return self.amount == other.amount and self.currency == other.currency
        return NotImplemented

    def __hash__(self) -> int:
        return hash((self.amount, self.currency))

    def __str__(self) -> str:
        return f"{self.amount} {self.currency}"

    def __repr__(self) -> str:
        return f"Money({str(self.amount)!r}, {self.currency!r})"


# ---------------------------------------------------------------------------
# Results.
# ---------------------------------------------------------------------------


class _Result:
    """A result object over the engine's JSON answer."""

    __slots__ = ("_raw",)
    _raw: dict[str, Any]

    def __init__(self, answer: Mapping[str, Any]) -> None:
        self._raw = dict(answer)

    def to_dict(self) -> dict[str, Any]:
        """The engine's JSON answer (a copy: JSON types, instants and amounts
        as strings), exactly as ``call_json`` gives it."""
        return copy.deepcopy(self._raw)

    def to_json(self) -> str:
        """The engine's JSON answer as text."""
        return json.dumps(self._raw, ensure_ascii=False)

    def __eq__(self, other: object) -> bool:
        if type(other) is type(self):
            assert isinstance(other, _Result)
            return self._raw == other._raw
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]


def _moment(d: Mapping[str, Any] | None) -> Moment | None:
    return None if d is None else Moment.from_dict(d)


def _steps(d: Sequence[Mapping[str, Any]] | None) -> tuple[Step, ...] | None:
    return None if d is None else tuple(Step(s["rule"], s["text"]) for s in d)


class Step(NamedTuple):
    """One plain-English explanation step and the rule it applies."""

    rule: str
    text: str


class Window(NamedTuple):
    """The dispute window: ``[opens_at, closes_at)`` (C-1)."""

    opens_at: Moment
    closes_at: Moment

    def contains(self, instant: datetime) -> bool:
        """Whether an (aware) instant lies in the window."""
        return self.opens_at.utc <= _aware(instant, "instant") < self.closes_at.utc


class Action(NamedTuple):
    """A next action for the buyer, with its time limits."""

    kind: ActionKind | str
    from_: Moment | None
    deadline: Moment | None
    rule: str
    text: str

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Action:
        """From the engine's JSON."""
        return cls(_code(ActionKind, d["kind"]), _moment(d.get("from")), _moment(d.get("deadline")), d["rule"], d["text"])


class Eligibility(_Result):
    """Can a dispute be opened now (R-E1..R-E9), in what window, and what
    should the buyer do next."""

    __slots__ = ("status", "code", "window", "protection_end", "rules", "next_actions", "explanation")
    status: Status | str
    code: Ineligible | str | None
    window: Window | None
    protection_end: Moment | None
    rules: tuple[str, ...]
    next_actions: tuple[Action, ...]
    explanation: tuple[Step, ...] | None

    def __init__(self, answer: Mapping[str, Any]) -> None:
        self._raw = dict(answer)
        self.status = _code(Status, answer["status"])
        code = answer.get("code")
        self.code = None if code is None else _code(Ineligible, code)
        w = answer.get("window")
        self.window = None if w is None else Window(Moment.from_dict(w["opens_at"]), Moment.from_dict(w["closes_at"]))
        self.protection_end = _moment(answer.get("protection_end"))
        self.rules = tuple(answer["rules"])
        self.next_actions = tuple(Action.from_dict(a) for a in answer["next_actions"])
        self.explanation = _steps(answer.get("explanation"))

    @property
    def is_eligible(self) -> bool:
        """Whether a dispute can be opened now."""
        return self.status == Status.ELIGIBLE

    def __repr__(self) -> str:
        parts = [f"status={str(self.status)!r}"]
        if self.code is not None:
            parts.append(f"code={str(self.code)!r}")
        if self.window is not None:
            parts.append(f"window='{self.window.opens_at.local:%Y-%m-%d %H:%M} .. {self.window.closes_at.local:%Y-%m-%d %H:%M} {_offset(self.window.closes_at.local)}'")
        parts.append(f"rules={list(self.rules)}")
        if self.next_actions:
            parts.append(f"next_actions={[str(a.kind) for a in self.next_actions]}")
        return f"Eligibility({', '.join(parts)})"


class Entry(NamedTuple):
    """One date of the timeline."""

    milestone: Milestone | str
    at: Moment
    rule: str
    passed: bool
    before: str

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Entry:
        """From the engine's JSON."""
        return cls(_code(Milestone, d["milestone"]), Moment.from_dict(d["at"]), d["rule"], d["passed"], d["before"])


class Timeline(_Result):
    """Every date that matters for the line, earliest first."""

    __slots__ = ("entries", "rules", "explanation")
    entries: tuple[Entry, ...]
    rules: tuple[str, ...]
    explanation: tuple[Step, ...] | None

    def __init__(self, answer: Mapping[str, Any]) -> None:
        self._raw = dict(answer)
        self.entries = tuple(Entry.from_dict(e) for e in answer["entries"])
        self.rules = tuple(answer["rules"])
        self.explanation = _steps(answer.get("explanation"))

    def get(self, milestone: Milestone | str) -> Entry | None:
        """The first entry of a milestone, if any."""
        return next((e for e in self.entries if e.milestone == milestone), None)

    def upcoming(self) -> Entry | None:
        """The next date that has not passed, if any."""
        return next((e for e in self.entries if not e.passed), None)

    def __iter__(self) -> Iterator[Entry]:
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)

    def __repr__(self) -> str:
        items = ", ".join(f"{e.milestone}@{e.at.local:%Y-%m-%d %H:%M}{'*' if e.passed else ''}" for e in self.entries)
        return f"Timeline([{items}], rules={list(self.rules)})"


class EligibilityTimeline(_Result):
    """Eligibility and timeline of one line together, with its ids: the lean
    scan of :func:`batch` (``op="eligibility_timeline"``, the default)."""

    __slots__ = ("order_id", "line_id", "eligibility", "timeline")
    order_id: str
    line_id: str
    eligibility: Eligibility
    timeline: Timeline

    def __init__(self, answer: Mapping[str, Any]) -> None:
        self._raw = dict(answer)
        self.order_id = answer["order_id"]
        self.line_id = answer["line_id"]
        self.eligibility = Eligibility(answer["eligibility"])
        self.timeline = Timeline(answer["timeline"])

    @property
    def status(self) -> Status | str:
        """The eligibility status."""
        return self.eligibility.status

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(order_id={self.order_id!r}, line_id={self.line_id!r}, "
            f"eligibility={self.eligibility!r}, timeline={len(self.timeline)} dates)"
        )


def _answer_part(d: Mapping[str, Any] | None) -> Answer | DisputeRulesError | None:
    """A part of a combined answer: its answer, or its error (not raised)."""
    if d is None:
        return None
    if d.get("result") == "success":
        return Answer(d["answer"])
    return _error(d.get("error") or {})


class Assessment(EligibilityTimeline):
    """Everything about one line at once (the ``assess`` operation):
    eligibility and timeline, the fitting ``reasons``, the evidence
    ``checklist``, the ``claim`` check (when a claim was given) and the
    likely outcome (``prediction``). A part that failed (a bad claim, say)
    is its :class:`DisputeRulesError`, not raised: the rest still stands."""

    __slots__ = ("reasons", "checklist", "claim", "prediction")
    reasons: Answer
    checklist: Answer | DisputeRulesError | None
    claim: Answer | DisputeRulesError | None
    prediction: Answer | DisputeRulesError | None

    def __init__(self, answer: Mapping[str, Any]) -> None:
        super().__init__(answer)
        self.reasons = Answer(answer["reasons"])
        self.checklist = _answer_part(answer.get("checklist"))
        self.claim = _answer_part(answer.get("claim"))
        self.prediction = _answer_part(answer.get("prediction"))


class Policy(_Result):
    """A loaded, validated policy: every number and contested choice of the
    rules. Pass it as ``policy=`` to any call: it is parsed and validated
    once (the engine keeps it), not per call. See :func:`load_policy`."""

    __slots__ = ("id", "description", "time_zone", "day_counting", "_json", "_handle")
    id: str
    description: str
    time_zone: str
    day_counting: str
    _json: str
    _handle: _native.PolicyHandle | None

    def __init__(self, answer: Mapping[str, Any], handle: _native.PolicyHandle | None = None) -> None:
        self._raw = dict(answer)
        self.id = answer["id"]
        self.description = answer["description"]
        self.time_zone = answer["time_zone"]
        self.day_counting = answer["day_counting"]
        self._json = json.dumps(self._raw, separators=(",", ":"), ensure_ascii=False)
        self._handle = handle

    def to_json(self) -> str:
        """The policy as JSON text (loads back to an equal policy)."""
        return self._json

    def __getitem__(self, section: str) -> Any:
        """A section of the policy (``"eligibility"``, ``"lifecycle"``, ...)
        as JSON data (a copy)."""
        return copy.deepcopy(self._raw[section])

    def __repr__(self) -> str:
        return f"Policy(id={self.id!r}, time_zone={self.time_zone!r})"


class Answer(_Result):
    """A generic answer for an operation without a dedicated result type:
    attribute (or item) access to the JSON answer, with instants as
    :class:`Moment`, amounts as :class:`Money`, nested objects as
    :class:`Answer`, and the main codes (``reason``, ``solution``, ``group``,
    ``actor``, ``state``, ``allowed`` events, ...) as str enums."""

    __slots__ = ("_codes",)
    _codes: type[_Code] | None

    def __init__(self, answer: Mapping[str, Any], codes: type[_Code] | None = None) -> None:
        self._raw = dict(answer)
        self._codes = codes

    def __getattr__(self, name: str) -> Any:
        try:
            return _native_value(self._raw[name], name, self._codes)
        except KeyError:
            raise AttributeError(name) from None

    def __getitem__(self, name: str) -> Any:
        return _native_value(self._raw[name], name, self._codes)

    def __contains__(self, name: object) -> bool:
        return name in self._raw

    def keys(self) -> list[str]:
        """The answer's fields."""
        return list(self._raw)

    def __dir__(self) -> list[str]:
        return sorted(set(super().__dir__()) | set(self._raw))

    def __repr__(self) -> str:
        def short(v: Any) -> bool:
            return isinstance(v, (str, int, bool)) and len(repr(v)) < 40

        shown = [f"{k}={v!r}" for k, v in self._raw.items() if short(v)]
        return f"Answer({', '.join(shown + [k for k, v in self._raw.items() if not short(v)])})"


#: Codes a generic answer gives as str enums, by field name.
_FIELD_CODES: Final[dict[str, type[_Code]]] = {
    "reason": Reason,
    "solution": Solution,
    "group": Group,
    "actor": Actor,
    "state": DisputeState,
    "status": Status,
    "code": Ineligible,
    "milestone": Milestone,
    "allowed": EventKind,
}


#: Fields whose nested values are all codes of one kind (`allowed`: per
#: actor, the events they may make).
_NESTED_CODES: Final[dict[str, type[_Code]]] = {"allowed": EventKind}


def _native_value(v: Any, key: str = "", codes: type[_Code] | None = None) -> Any:
    if isinstance(v, str):
        cls = _FIELD_CODES.get(key) or codes
        return v if cls is None else _code(cls, v)
    if isinstance(v, dict):
        keys = v.keys()
        if keys == {"utc", "local"}:
            return Moment.from_dict(v)
        if keys == {"amount", "currency"}:
            return Money.from_dict(v)
        return Answer(v, _NESTED_CODES.get(key))
    if isinstance(v, list):
        return [_native_value(x, key, codes) for x in v]
    return v


# ---------------------------------------------------------------------------
# Requests: Python values to the engine's JSON request fields.
# ---------------------------------------------------------------------------

#: Facts (or another input document): a mapping, or JSON text.
Document = Union[Mapping[str, Any], str, bytes]
#: A policy: a preset id, JSON text, a mapping, or a :class:`Policy`.
PolicyLike = Union[Policy, Mapping[str, Any], str]
#: An instant: an aware datetime, a :class:`Moment`, or an RFC 3339 string.
Instant = Union[datetime, Moment, str]


class _Unencodable(Exception):
    pass


def _aware(t: datetime, field: str) -> datetime:
    if t.tzinfo is None or t.utcoffset() is None:
        raise _field_error(
            field,
            "a naive datetime is ambiguous; give an aware one (e.g. `datetime(..., tzinfo=timezone.utc)`)",
        )
    return t


def _json_default(o: Any) -> Any:
    if isinstance(o, datetime):
        if o.tzinfo is None or o.utcoffset() is None:
            raise _Unencodable
        return o.astimezone(timezone.utc).isoformat()
    if isinstance(o, Decimal):
        return str(o)
    if isinstance(o, (Money, Moment)):
        return o.to_dict() if isinstance(o, Money) else o.utc.isoformat()
    if isinstance(o, _Result):
        return o._raw
    if isinstance(o, Enum):
        return o.value
    raise _Unencodable


# ensure_ascii: a lone surrogate in a str becomes an escape the engine reports
# against its field, instead of text that cannot be passed as UTF-8.
_ENCODER = json.JSONEncoder(default=_json_default, separators=(",", ":"), ensure_ascii=True, allow_nan=False)


def _utf8_problem(field: str, text: str) -> DisputeRulesError | None:
    """An error if ``text`` cannot be UTF-8 (a lone surrogate), else None."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as e:
        return _field_error(field, f"not valid Unicode text (at character {e.start}: a lone surrogate)")
    return None


def _check_utf8(operation: str, parts: list[tuple[str, str]]) -> None:
    """Raises naming the field when a text cannot be passed as UTF-8 (only
    called after the fast path failed)."""
    for name, text in [("operation", operation), *parts]:
        err = _utf8_problem(name, text)
        if err is not None:
            raise err


def _find_problem(v: Any, path: str) -> tuple[str, str] | None:
    """The first value under ``v`` that cannot be sent, with its path."""
    if isinstance(v, datetime):
        if v.tzinfo is None or v.utcoffset() is None:
            return path, "a naive datetime is ambiguous; give an aware one (e.g. `datetime(..., tzinfo=timezone.utc)`)"
        return None
    if isinstance(v, float) and (v != v or v in (float("inf"), float("-inf"))):
        return path, f"`{v}` is not a finite number"
    if isinstance(v, (str, int, float, bool, Decimal, Money, Moment, _Result, Enum)) or v is None:
        return None
    if isinstance(v, date):
        return path, "a date without a time; give an aware datetime"
    if isinstance(v, Mapping):
        for k, x in v.items():
            if not isinstance(k, (str, int, float, bool)) and k is not None:
                return path, f"key {k!r} is not a string"
            found = _find_problem(x, f"{path}.{k}" if path else str(k))
            if found:
                return found
        return None
    if isinstance(v, (list, tuple)):
        for i, x in enumerate(v):
            found = _find_problem(x, f"{path}[{i}]")
            if found:
                return found
        return None
    return path, f"a `{type(v).__name__}` cannot be sent as JSON"


def _encode(value: Any, field: str) -> str:
    """JSON text for a Python value (datetimes, Decimals, Money, enums
    included); a value that cannot be sent raises naming its field."""
    try:
        return _ENCODER.encode(value)
    except (_Unencodable, TypeError, ValueError, RecursionError):
        found = _find_problem(value, field) or (field, "cannot be sent as JSON")
        raise _field_error(*found) from None


def _document(value: Any, field: str) -> str:
    """A document field: JSON text as given, else encoded."""
    if isinstance(value, str):
        return value
    if isinstance(value, (bytes, bytearray, memoryview)):
        try:
            return bytes(value).decode("utf-8")
        except UnicodeDecodeError as e:
            raise _field_error(field, f"not UTF-8 text: {e}") from None
    return _encode(value, field)


def _instant(value: Any, field: str) -> str:
    if isinstance(value, datetime):
        return '"' + _aware(value, field).astimezone(timezone.utc).isoformat() + '"'
    if isinstance(value, Moment):
        return '"' + value.utc.isoformat() + '"'
    if isinstance(value, str):
        return json.dumps(value)
    raise _field_error(field, f"expected an aware datetime or an RFC 3339 string, got `{type(value).__name__}`")


def _policy(value: Any) -> str:
    if isinstance(value, Policy):
        return value._json
    if isinstance(value, str):
        return value if value.lstrip().startswith("{") else json.dumps(value)
    return _document(value, "policy")


def _flag(value: Any, field: str) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    raise _field_error(field, f"expected True or False, got `{type(value).__name__}`")


def _part(name: str, value: Any) -> tuple[str, str]:
    """One request field as ``(name, JSON text)``."""
    if name == "now":
        return name, _instant(value, name)
    if name == "policy":
        return name, _policy(value)
    if name == "explain":
        return name, _flag(value, name)
    return name, _document(value, name)


def _parts(fields: Mapping[str, Any]) -> list[tuple[str, str]]:
    return [_part(k, v) for k, v in fields.items() if v is not None]


def _request(fields: Mapping[str, Any]) -> tuple[list[tuple[str, str]], _native.PolicyHandle | None]:
    """The request parts, and the handle of a loaded :class:`Policy` (sent
    by reference instead of as JSON)."""
    policy = fields.get("policy")
    if isinstance(policy, Policy) and policy._handle is not None:
        return _parts({k: v for k, v in fields.items() if k != "policy"}), policy._handle
    return _parts(fields), None


def _call_parts(op: str, parts: list[tuple[str, str]], handle: _native.PolicyHandle | None = None) -> str:
    """The engine's envelope for a request given as parts."""
    try:
        return _native.call_parts(op, parts, handle)
    except UnicodeEncodeError:
        _check_utf8(op, parts)
        raise


_R = TypeVar("_R", bound=_Result)


def _run(op: str, result: type[_R], **fields: Any) -> _R:
    """Runs ``op`` on the request ``fields`` and wraps the answer."""
    return result(_unwrap(_call_parts(op, *_request(fields))))


def _run_any(op: str, **fields: Any) -> Any:
    """Runs ``op`` and gives the answer with Python values (see :class:`Answer`)."""
    return _native_value(_unwrap(_call_parts(op, *_request(fields))))


# ---------------------------------------------------------------------------
# Entry points.
# ---------------------------------------------------------------------------


def call_json(operation: str, request_json: str) -> str:
    """Runs ``operation`` on a JSON request and returns the engine's JSON
    answer envelope exactly (``{"result": "success", "answer": ...}`` or
    ``{"result": "failure", "error": ...}``). Never raises for bad input."""
    try:
        return _native.call_json(operation, request_json)
    except (UnicodeEncodeError, TypeError):
        for field, text in (("operation", operation), ("request", request_json)):
            err = (
                _utf8_problem(field, text)
                if isinstance(text, str)
                else _field_error(field, f"expected str, got `{type(text).__name__}`")
            )
            if err is not None:
                return json.dumps({"result": "failure", "error": err.to_dict()})
        raise


def call(operation: str, request: Mapping[str, Any] | str) -> Any:
    """Runs any operation of :data:`OPERATIONS` on a request (a mapping whose
    values may be Python values, or JSON text) and returns the answer as
    JSON data; raises a :class:`DisputeRulesError` on failure."""
    if isinstance(request, str):
        return _unwrap(call_json(operation, request))
    if not isinstance(request, Mapping):
        raise _field_error("request", f"expected a mapping or JSON text, got `{type(request).__name__}`")
    return _unwrap(_call_parts(operation, *_request(request)))


def eligibility(
    facts: Document, now: Instant, *, policy: PolicyLike = DEFAULT_POLICY, explain: bool = False
) -> Eligibility:
    """Can a dispute be opened at ``now`` (R-E1..R-E9)? Validates the facts."""
    return _run("eligibility", Eligibility, facts=facts, now=now, policy=policy, explain=explain)


def timeline(facts: Document, now: Instant, *, policy: PolicyLike = DEFAULT_POLICY, explain: bool = False) -> Timeline:
    """Every date that matters for the line at ``now``."""
    return _run("timeline", Timeline, facts=facts, now=now, policy=policy, explain=explain)


def assess(
    facts: Document,
    now: Instant,
    *,
    report: Mapping[str, Any] | str | None = None,
    claim: Mapping[str, Any] | str | None = None,
    seller: Mapping[str, Any] | str | None = None,
    policy: PolicyLike = DEFAULT_POLICY,
    explain: bool = False,
) -> Assessment:
    """Everything at once: eligibility and timeline (the facts validated
    once), reasons from the ``report``, the evidence checklist, the ``claim``
    check and the likely outcome (``seller``: what the seller did)."""
    return _run(
        "assess",
        Assessment,
        facts=facts,
        now=now,
        report=report,
        claim=claim,
        seller=_seller(seller),
        policy=policy,
        explain=explain,
    )


def _seller(seller: Mapping[str, Any] | str | None) -> Mapping[str, Any] | str | None:
    """A seller behaviour given by its status alone (``"silent"``) as the
    engine's ``{"status": "silent"}``; a mapping or JSON text as is."""
    if isinstance(seller, str) and not seller.lstrip().startswith("{"):
        return {"status": seller}
    return seller


def validate_facts(facts: Document, now: Instant, *, policy: PolicyLike = DEFAULT_POLICY) -> dict[str, Any]:
    """Checks the facts against each other, the policy and ``now``; returns
    them as the engine read them (JSON data), or raises
    :class:`InvalidFactsError` listing every problem."""
    answer: dict[str, Any] = call("validate_facts", {"facts": facts, "now": now, "policy": policy})
    return answer


def load_policy(source: PolicyLike = DEFAULT_POLICY) -> Policy:
    """A validated :class:`Policy` from a preset id (:data:`PRESETS`), JSON
    text, or a mapping; raises :class:`InvalidPolicyError` naming the field.
    The engine keeps the loaded policy: passing it to calls costs nothing."""
    if isinstance(source, Policy) and source._handle is not None:
        return source
    text = _policy(source)
    try:
        out = _native.load_policy(text)
    except UnicodeEncodeError:
        raise _utf8_problem("policy", text) or _field_error("policy", "not valid Unicode text") from None
    if isinstance(out, str):
        raise _error(json.loads(out).get("error") or {})
    handle, envelope = out
    return Policy(_unwrap(envelope), handle)


# --- reasons, claims and evidence (R-R1..R-R15, R-S1..R-S3, R-V1, R-V2) ---
# Answers are :class:`Answer` objects (attribute access; instants as Moment,
# amounts as Money, reason/solution/... codes as str enums).


def reasons(*, policy: PolicyLike = DEFAULT_POLICY) -> list[Answer]:
    """The reason catalogue (R-R1..R-R15) under a policy: one entry per
    reason with its rule, group, solutions, evidence and card-network codes."""
    answer: list[Answer] = _run_any("reasons", policy=policy)
    return answer


def suggest_reasons(
    facts: Document,
    now: Instant,
    *,
    report: Mapping[str, Any] | str | None = None,
    policy: PolicyLike = DEFAULT_POLICY,
    explain: bool = False,
) -> Answer:
    """The reasons that fit the facts and what the buyer reports
    (``report``: ``received``, ``units_received``, ``damaged``, ...)."""
    answer: Answer = _run_any(
        "suggest_reasons", facts=facts, now=now, report=report, policy=policy, explain=explain
    )
    return answer


def check_claim(
    facts: Document,
    claim: Mapping[str, Any] | str,
    now: Instant,
    *,
    report: Mapping[str, Any] | str | None = None,
    policy: PolicyLike = DEFAULT_POLICY,
    explain: bool = False,
) -> Answer:
    """Checks a proposed claim (reason, solution, refund amount, evidence)
    against the facts (C-4 refund cap, R-S1..R-S3, R-V1, R-V2, R-E9)."""
    answer: Answer = _run_any(
        "check_claim", facts=facts, claim=claim, now=now, report=report, policy=policy, explain=explain
    )
    return answer


def evidence_checklist(
    *,
    claim: Mapping[str, Any] | str | None = None,
    reason: Reason | str | None = None,
    attachments: Sequence[Mapping[str, Any]] | str | None = None,
    policy: PolicyLike = DEFAULT_POLICY,
    explain: bool = False,
) -> Answer:
    """The evidence a reason needs (R-V1, R-V2) and what the attachments
    cover: from a ``claim``, or from a ``reason`` plus ``attachments``."""
    reason_json = None if reason is None else json.dumps(str(reason))
    answer: Answer = _run_any(
        "evidence_checklist",
        claim=claim,
        reason=reason_json,
        attachments=attachments,
        policy=policy,
        explain=explain,
    )
    return answer


# --- dispute lifecycle (R-L1..R-L7, R-E6..R-E8) -----------------------------
# Each answer carries the `dispute` to pass to the next call (an Answer is
# accepted as is), its `state`, `api_status`, `next_deadline`, `allowed`
# actions per actor, `refund` and `rules`. An event the state does not allow
# raises IllegalTransitionError with its `code`.


def lifecycle_open(
    facts: Document,
    claim: Mapping[str, Any] | str,
    now: Instant,
    *,
    policy: PolicyLike = DEFAULT_POLICY,
    explain: bool = False,
) -> Answer:
    """Opens a dispute on the line with a claim (``reason``, ``solution``,
    ``refund``); the dispute keeps the policy's terms."""
    answer: Answer = _run_any("lifecycle_open", facts=facts, claim=claim, now=now, policy=policy, explain=explain)
    return answer


def lifecycle_apply(
    dispute: Mapping[str, Any] | Answer | str,
    event: Mapping[str, Any] | str,
    *,
    now: Instant | None = None,
    explain: bool = False,
) -> Answer:
    """Applies an event (``at``, ``actor``, ``kind`` and its data) to a
    dispute; raises :class:`IllegalTransitionError` if it is not allowed."""
    answer: Answer = _run_any("lifecycle_apply", dispute=dispute, event=event, now=now, explain=explain)
    return answer


def lifecycle_advance(dispute: Mapping[str, Any] | Answer | str, now: Instant, *, explain: bool = False) -> Answer:
    """Applies the timeouts that have fallen due by ``now`` (R-L3)."""
    answer: Answer = _run_any("lifecycle_advance", dispute=dispute, now=now, explain=explain)
    return answer


def lifecycle_status(dispute: Mapping[str, Any] | Answer | str, now: Instant, *, explain: bool = False) -> Answer:
    """Where a dispute stands at ``now``: state, deadline, allowed actions."""
    answer: Answer = _run_any("lifecycle_status", dispute=dispute, now=now, explain=explain)
    return answer


def lifecycle_allowed(
    dispute: Mapping[str, Any] | Answer | str, actor: Actor | str, now: Instant, *, explain: bool = False
) -> Answer:
    """What ``actor`` may do on the dispute at ``now``."""
    answer: Answer = _run_any(
        "lifecycle_allowed", dispute=dispute, actor=json.dumps(str(actor)), now=now, explain=explain
    )
    return answer


# --- likely outcome (R-O1..R-O6) ---------------------------------------------


def predict(
    facts: Document,
    now: Instant,
    *,
    report: Mapping[str, Any] | str | None = None,
    claim: Mapping[str, Any] | str | None = None,
    seller: Mapping[str, Any] | str | None = None,
    policy: PolicyLike = DEFAULT_POLICY,
    explain: bool = False,
) -> Answer:
    """The likely outcome of a dispute (R-O1..R-O6): ``likely`` and every
    possible ``outcomes`` with their likelihoods and refunds; of the claim
    when given, else of the best fitting reason. ``seller``: what the seller
    did, by status (``"unknown"``, ``"silent"``, ``"accepted"``,
    ``"refused"``) or in full (``{"status": "counter_offered", "amount":
    Money(...), "return_goods": False}``)."""
    answer: Answer = _run_any(
        "predict",
        facts=facts,
        now=now,
        report=report,
        claim=claim,
        seller=_seller(seller),
        policy=policy,
        explain=explain,
    )
    return answer


# --- future operations -------------------------------------------------------
# A new engine operation gets one wrapper like those above (over `_run` with
# a result type, or `_run_any` for a generic Answer) and an entry in WRAPPERS;
# until then `call(op, {...})` runs it. tests/test_api.py fails while an
# operation has no wrapper.

#: The Python entry point of every engine operation.
WRAPPERS: Final[dict[str, str]] = {
    "eligibility": "eligibility",
    "timeline": "timeline",
    "assess": "assess",
    "validate_facts": "validate_facts",
    "policy": "load_policy",
    "reasons": "reasons",
    "suggest_reasons": "suggest_reasons",
    "check_claim": "check_claim",
    "evidence_checklist": "evidence_checklist",
    "lifecycle_open": "lifecycle_open",
    "lifecycle_apply": "lifecycle_apply",
    "lifecycle_advance": "lifecycle_advance",
    "lifecycle_status": "lifecycle_status",
    "lifecycle_allowed": "lifecycle_allowed",
    "predict": "predict",
}


# ---------------------------------------------------------------------------
# Batch.
# ---------------------------------------------------------------------------

_T = TypeVar("_T", Eligibility, Timeline, EligibilityTimeline, Assessment)

_BATCH_RESULT: Final[dict[str, type[_Result]]] = {
    "eligibility": Eligibility,
    "timeline": Timeline,
    "eligibility_timeline": EligibilityTimeline,
    "assess": Assessment,
}
_STATUS_TABLE: Final[dict[str, Status]] = {s.value: s for s in Status}
_CODE_TABLE: Final[dict[str, Ineligible]] = {c.value: c for c in Ineligible}


class BatchResult(Generic[_T]):
    """The answers of a batch, in input order; kept in the engine until
    asked for, so a batch of any size costs one Python object.

    ``results[i]`` is the i-th order's result object, or the
    :class:`DisputeRulesError` describing why it failed (not raised: one bad
    order never loses the others). :meth:`statuses` and :meth:`codes` give
    one code per order without building result objects.
    """

    __slots__ = ("_native", "_op", "_result", "_pre")

    def __init__(self, native: _native.BatchResults, pre: dict[int, DisputeRulesError]) -> None:
        self._native = native
        self._op = native.op
        self._result = _BATCH_RESULT[native.op]
        self._pre = pre

    @property
    def op(self) -> str:
        """The operation run on every order."""
        return self._op

    def __len__(self) -> int:
        return len(self._native)

    def _index(self, index: int) -> int:
        n = len(self._native)
        i = index + n if index < 0 else index
        if not 0 <= i < n:
            raise IndexError(f"batch index {index} out of range ({n} orders)")
        return i

    @overload
    def __getitem__(self, index: int) -> _T | DisputeRulesError: ...
    @overload
    def __getitem__(self, index: slice) -> list[_T | DisputeRulesError]: ...
    def __getitem__(self, index: int | slice) -> _T | DisputeRulesError | list[_T | DisputeRulesError]:
        if isinstance(index, slice):
            return [self._item(i) for i in range(*index.indices(len(self)))]
        return self._item(self._index(index))

    def _item(self, i: int) -> _T | DisputeRulesError:
        pre = self._pre.get(i)
        if pre is not None:
            return pre
        env = json.loads(self._native.envelope(i))
        if env.get("result") == "success":
            return self._result(env["answer"])  # type: ignore[return-value]
        err = _error(env.get("error") or {})
        err.index, err.line = i, self._native.line(i)
        return err

    def __iter__(self) -> Iterator[_T | DisputeRulesError]:
        return (self._item(i) for i in range(len(self)))

    def answer(self, index: int) -> _T:
        """The result of order ``index``; raises its error if it failed."""
        r = self[index]
        if isinstance(r, DisputeRulesError):
            raise r
        return r

    def error(self, index: int) -> DisputeRulesError | None:
        """The error of order ``index``, or None if it was answered."""
        i = self._index(index)
        if i in self._pre:
            return self._pre[i]
        if self._native.is_ok(i):
            return None
        r = self._item(i)
        return r if isinstance(r, DisputeRulesError) else None

    @property
    def errors(self) -> list[DisputeRulesError]:
        """Every failed order's error (with ``index`` and ``line``), in order."""
        out = []
        for i in self._native.failed():
            e = self.error(i)
            if e is not None:
                out.append(e)
        return out

    @property
    def ok_count(self) -> int:
        """How many orders were answered."""
        return self._native.ok_count

    @property
    def error_count(self) -> int:
        """How many orders failed."""
        return len(self) - self._native.ok_count

    def line(self, index: int) -> int | None:
        """The 1-based input line of order ``index`` (JSON-lines input)."""
        return self._native.line(self._index(index))

    def envelope(self, index: int) -> str:
        """The engine's JSON answer envelope for order ``index``."""
        i = self._index(index)
        pre = self._pre.get(i)
        if pre is not None:
            return json.dumps({"result": "failure", "error": pre.to_dict()}, ensure_ascii=False)
        return self._native.envelope(i)

    def statuses(self) -> list[Status | str | None]:
        """The eligibility status of every order (None where it failed, or
        for ``timeline``), without building result objects."""
        return self._native.column("status", _STATUS_TABLE)

    def codes(self) -> list[Ineligible | str | None]:
        """The R-E9 code of every order (None where eligible or failed)."""
        return self._native.column("code", _CODE_TABLE)

    def to_jsonl(self) -> str:
        """Every answer envelope as JSON lines, in order."""
        text = self._native.to_jsonl()
        if not self._pre:
            return text
        lines = text.split("\n")
        for i in self._pre:
            lines[i] = self.envelope(i)
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"<BatchResult op={self._op!r} orders={len(self)} ok={self.ok_count} failed={self.error_count}>"


Orders = Union[str, bytes, Iterable[Union[Mapping[str, Any], str, bytes]]]


@overload
def batch(
    orders: Orders,
    now: Instant,
    *,
    op: Literal["eligibility_timeline"] = ...,
    policy: PolicyLike = ...,
    explain: bool = ...,
) -> BatchResult[EligibilityTimeline]: ...
@overload
def batch(
    orders: Orders,
    now: Instant,
    *,
    op: Literal["assess"],
    policy: PolicyLike = ...,
    explain: bool = ...,
) -> BatchResult[Assessment]: ...
@overload
def batch(
    orders: Orders,
    now: Instant,
    *,
    op: Literal["eligibility"],
    policy: PolicyLike = ...,
    explain: bool = ...,
) -> BatchResult[Eligibility]: ...
@overload
def batch(
    orders: Orders,
    now: Instant,
    *,
    op: Literal["timeline"],
    policy: PolicyLike = ...,
    explain: bool = ...,
) -> BatchResult[Timeline]: ...
@overload
def batch(
    orders: Orders,
    now: Instant,
    *,
    op: str,
    policy: PolicyLike = ...,
    explain: bool = ...,
) -> BatchResult[Any]: ...
def batch(
    orders: Orders,
    now: Instant,
    *,
    op: str = "eligibility_timeline",
    policy: PolicyLike = DEFAULT_POLICY,
    explain: bool = False,
) -> BatchResult[Any]:
    """Runs ``op`` (:data:`BATCH_OPERATIONS`: ``eligibility_timeline``, the
    lean scan and the default; ``eligibility``; ``timeline``; ``assess``, the
    full assessment) on many orders with one ``now`` and one policy, in the
    engine without the GIL.

    ``orders``: JSON-lines text (``str`` or UTF-8 ``bytes``; blank lines
    skipped; the fast path) or an iterable of orders, each a mapping or JSON
    text. Each order's answer is exactly that of the single call of ``op``
    (for ``eligibility_timeline``: the ids with the ``eligibility`` and
    ``timeline`` answers). Raises only when the shared request (``now``,
    ``policy``, ``op``) is bad.
    """
    parts, handle = _request({"now": now, "policy": policy, "explain": explain})
    pre: dict[int, DisputeRulesError] = {}
    payload: str | bytes | list[str]
    if isinstance(orders, (str, bytes)):
        payload = orders
    elif isinstance(orders, Mapping):
        raise _field_error("orders", "expected JSON-lines text or a list of orders, got one mapping")
    else:
        payload = []
        for i, o in enumerate(orders):
            try:
                payload.append(_document(o, "facts"))
            except DisputeRulesError as e:
                e.index = i
                pre[i] = e
                payload.append("null")
    try:
        out = _native.run_batch(op, parts, payload, handle)
    except (UnicodeEncodeError, TypeError):
        # Only texts that cannot be UTF-8 (lone surrogates) fail here.
        _check_utf8(op, parts)
        if isinstance(payload, bytes):
            raise
        if isinstance(payload, str):
            raise _utf8_problem("orders", payload) or _field_error("orders", "not valid Unicode text") from None
        for i, text in enumerate(payload):
            err = _utf8_problem("facts", text)
            if err is not None:
                err.index = i
                pre[i] = err
                payload[i] = "null"
        out = _native.run_batch(op, parts, payload, handle)
    if isinstance(out, str):
        raise _error(json.loads(out).get("error") or {})
    return BatchResult(out, pre)


# Arrow tables in and out (``_table.py``).
from ._table import FLAT_COLUMNS, TABLE_COLUMNS, ArrowTable, assess_table  # noqa: E402

__all__ += ["ArrowTable", "FLAT_COLUMNS", "TABLE_COLUMNS", "assess_table"]
