"""Marketplace dispute rules (AliExpress Buyer Protection first), from Python.

Eligibility, deadlines, reason codes, likely outcomes and the dispute
lifecycle, computed from the facts of one order line by the Rust engine
``dispute-rules``. Rule ids such as ``R-E1`` are defined in the project's
rules reference, ``docs/rules.md``.

>>> from datetime import datetime, timezone
>>> import dispute_rules as dr
>>> e = dr.eligibility(facts, datetime(2026, 3, 20, 12, tzinfo=timezone.utc))
>>> e.status
<Status.ELIGIBLE: 'eligible'>
>>> e.window.opens_at.utc
datetime.datetime(2026, 3, 12, 7, 0, tzinfo=datetime.timezone.utc)

Inputs, read directly by the compiled module (no JSON on the way): facts and
other documents as mappings whose values are ``str``, ``int`` (or anything
with ``__index__``, such as numpy integers), ``bool``, ``None``, lists,
``Decimal`` or :class:`Money` amounts, aware ``datetime`` instants and
``str`` enums; or as JSON text (``str`` or ``bytes``). ``now`` is an aware
``datetime``, a :class:`Moment` or an RFC 3339 string. A policy is a preset
id (:data:`PRESETS`), a :class:`Policy`, JSON text or a mapping. A float
amount, a naive datetime or a value nested deeper than :data:`MAX_DEPTH`
levels is refused with an error naming its field.

Outputs: frozen result classes wrapping the engine's answer (aware
``datetime`` instants in UTC plus the policy's local time, ``Decimal``
money, ``str`` enums for codes) with a readable ``repr``, equality,
``to_dict()`` and ``to_json()`` (the engine's JSON answer, byte for byte),
pickling and ``copy.deepcopy``.

Errors: :class:`DisputeRulesError` and its subclasses, each carrying
``kind``, ``field``, ``problems`` (``(field, message)`` pairs) and ``code``.

Dropshippers: :func:`back_to_back` puts the customer's dispute (PayPal, eBay,
Amazon, a card through Stripe or Shopify Payments) beside the seller's own
AliExpress dispute for the same goods and answers the deadline that binds
first, the supplier route and the next actions, each with its rule ids
(``P-*``, ``S-*``, ``B-*``, ``A-*``, ``H-*``, ``BB-*``: ``docs/selling-side.md``);
:func:`seller_timeline` is the customer side alone.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from decimal import Decimal
from enum import Enum
from typing import Any, Final, NamedTuple, Union

from . import _dispute_rules as _native
from ._dispute_rules import (
    Action,
    AllowedActions,
    Assessment,
    BackToBack,
    BackToBackAction,
    BackToBackDeadline,
    BatchResult,
    CardCategory,
    CatalogueEntry,
    Checklist,
    ClaimCheck,
    ClaimInterop,
    ClaimRequest,
    CustomerReason,
    Deadline,
    Dispute,
    DisputeReport,
    Eligibility,
    EligibilityTimeline,
    Entry,
    EvidenceItem,
    EvidenceNeed,
    Exposure,
    Factor,
    FeeLine,
    FilingWindow,
    Gap,
    Interop,
    MissingFact,
    Moment,
    Money,
    OpenApiOutcome,
    Outcome,
    Policy,
    Prediction,
    Refund,
    SellerAction,
    SellerEntry,
    SellerEvidence,
    SellerTimeline,
    SellingPolicy,
    Signature,
    Step,
    Suggestion,
    Suggestions,
    SupplierRoute,
    SupplierSide,
    Timeline,
    Window,
    Allowed,
    assess,
    back_to_back,
    batch,
    call,
    call_json,
    check_claim,
    eligibility,
    evidence_checklist,
    lifecycle_advance,
    lifecycle_allowed,
    lifecycle_apply,
    lifecycle_open,
    lifecycle_status,
    load_policy,
    load_selling_policy,
    predict,
    reasons,
    seller_timeline,
    suggest_reasons,
    timeline,
    validate_facts,
)

__all__ = [
    "OPERATIONS",
    "BATCH_OPERATIONS",
    "PRESETS",
    "SELLING_PRESETS",
    "DEFAULT_POLICY",
    "MAX_DEPTH",
    "WRAPPERS",
    # codes
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
    "Payer",
    "EvidenceKind",
    "OutcomeKind",
    "Confidence",
    "Timeliness",
    "RefundType",
    "RefundRelease",
    "RefundDestination",
    "DeadlineKind",
    "Platform",
    "Family",
    "Network",
    "Grade",
    "SourceConfidence",
    "Origin",
    "SellerMilestone",
    "SellerActionKind",
    "FeeKind",
    "Charged",
    "Waiver",
    "Side",
    "RouteState",
    "BackToBackActionKind",
    # values and results
    "Moment",
    "Money",
    "Step",
    "Window",
    "Action",
    "Eligibility",
    "Entry",
    "Timeline",
    "EligibilityTimeline",
    "Assessment",
    "Suggestions",
    "Suggestion",
    "Checklist",
    "EvidenceNeed",
    "ClaimCheck",
    "ClaimInterop",
    "CardCategory",
    "Prediction",
    "Outcome",
    "OpenApiOutcome",
    "Factor",
    "Dispute",
    "DisputeReport",
    "AllowedActions",
    "Allowed",
    "Deadline",
    "ClaimRequest",
    "Refund",
    "CatalogueEntry",
    "Interop",
    "Policy",
    "BatchResult",
    "SellingPolicy",
    "SellerTimeline",
    "SellerEntry",
    "FilingWindow",
    "CustomerReason",
    "SellerEvidence",
    "EvidenceItem",
    "Signature",
    "Exposure",
    "FeeLine",
    "MissingFact",
    "SellerAction",
    "BackToBack",
    "SupplierSide",
    "BackToBackDeadline",
    "SupplierRoute",
    "Gap",
    "BackToBackAction",
    # errors
    "Problem",
    "DisputeRulesError",
    "InvalidFactsError",
    "InvalidPolicyError",
    "InvalidClaimError",
    "InvalidRequestError",
    "IllegalTransitionError",
    "InternalError",
    # entry points
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
    "load_selling_policy",
    "seller_timeline",
    "back_to_back",
    # Arrow tables
    "ArrowTable",
    "FLAT_COLUMNS",
    "TABLE_COLUMNS",
    "assess_table",
    # type aliases
    "Document",
    "PolicyLike",
    "SellingPolicyLike",
    "Instant",
    "Orders",
]

__version__: Final[str] = _native.__version__

#: Every operation of :func:`call` (the engine's ``api::OPERATIONS``).
OPERATIONS: Final[tuple[str, ...]] = tuple(_native.OPERATIONS)
#: The operations :func:`batch` can run.
BATCH_OPERATIONS: Final[tuple[str, ...]] = tuple(_native.BATCH_OPERATIONS)
#: The built-in policy presets.
PRESETS: Final[tuple[str, ...]] = tuple(_native.PRESETS)
#: The built-in selling-policy presets (one per platform where a customer
#: pays: ``paypal``, ``ebay``, ``amazon``, ``stripe``, ``shopify_payments``).
SELLING_PRESETS: Final[tuple[str, ...]] = tuple(_native.SELLING_PRESETS)
#: The policy used when none is given.
DEFAULT_POLICY: Final[str] = "aliexpress"
#: How deeply the containers of an input may nest.
MAX_DEPTH: Final[int] = _native.MAX_DEPTH

#: The Python entry point of every engine operation (a test fails while an
#: engine operation has none).
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
    "selling_policy": "load_selling_policy",
    "seller_timeline": "seller_timeline",
    "back_to_back": "back_to_back",
}

#: A document (facts, claim, report, ...): a mapping, or JSON text.
Document = Union[Mapping[str, Any], str, bytes]
#: A policy: a preset id, a :class:`Policy`, JSON text or a mapping.
PolicyLike = Union[Policy, Mapping[str, Any], str, bytes]
#: A selling policy: a preset id (:data:`SELLING_PRESETS`), a
#: :class:`SellingPolicy`, JSON text or a mapping.
SellingPolicyLike = Union[SellingPolicy, Mapping[str, Any], str, bytes]
#: An instant: an aware datetime, a :class:`Moment` or an RFC 3339 string.
Instant = Union[datetime, Moment, str]
#: The orders of a batch: JSON-lines text, or an iterable of documents.
Orders = Union[str, bytes, Iterable[Union[Mapping[str, Any], str, bytes]]]

# ---------------------------------------------------------------------------
# Codes: str-valued enums (compare equal to their JSON strings). The
# compiled module gives codes as these members; a code this package does not
# know yet (a newer engine) stays a plain ``str``.
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


class Payer(_Code):
    """Who pays for shipping a return (R-S2)."""

    SELLER = "seller"
    BUYER = "buyer"


class EvidenceKind(_Code):
    """A kind of evidence (R-V1)."""

    TRACKING_SCREENSHOT = "tracking_screenshot"
    POSTAL_PROOF = "postal_proof"
    CUSTOMS_NOTICE = "customs_notice"
    ORDER_SCREENSHOT = "order_screenshot"
    LISTING_SCREENSHOT = "listing_screenshot"
    SELLER_MESSAGES = "seller_messages"
    ITEM_PHOTO = "item_photo"
    DAMAGE_PHOTO = "damage_photo"
    PACKAGE_PHOTO = "package_photo"
    ITEM_VIDEO = "item_video"
    UNBOXING_VIDEO = "unboxing_video"
    PAYMENT_STATEMENT = "payment_statement"


class OutcomeKind(_Code):
    """What a dispute ends with (R-O1..R-O5)."""

    FULL_REFUND = "full_refund"
    FULL_REFUND_WITH_RETURN = "full_refund_with_return"
    PARTIAL_REFUND = "partial_refund"
    NO_REFUND = "no_refund"


class Confidence(_Code):
    """How sure a prediction is (R-O6)."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class Timeliness(_Code):
    """Whether a dispute is (or would be) filed in time (R-E1, R-O5, R-E9)."""

    IN_TIME = "in_time"
    NOT_YET = "not_yet"
    LATE = "late"
    BARRED = "barred"


class RefundType(_Code):
    """Full or partial refund (R-S1)."""

    FULL = "full"
    PARTIAL = "partial"


class RefundRelease(_Code):
    """When a refund is paid out (R-S3)."""

    ON_RESOLUTION = "on_resolution"
    ON_SELLER_CONFIRMING_RETURN = "on_seller_confirming_return"


class RefundDestination(_Code):
    """Where a refund goes (R-L6)."""

    ORIGINAL_PAYMENT_METHOD = "original_payment_method"
    ALIPAY_ACCOUNT = "alipay_account"


class DeadlineKind(_Code):
    """What a lifecycle deadline ends (R-L1..R-L6, R-E8)."""

    SELLER_RESPONSE = "seller_response"
    REFUND_DUE = "refund_due"
    TURN_LAPSE = "turn_lapse"
    NO_AGREEMENT = "no_agreement"
    RETURN_SHIPMENT = "return_shipment"
    RETURN_RECEIPT = "return_receipt"
    DECISION_DUE = "decision_due"
    APPEAL_WINDOW = "appeal_window"
    APPEAL_RULING = "appeal_ruling"
    REOPEN_WINDOW = "reopen_window"


# --- the selling side (customer disputes; back to back) ----------------------


class Platform(_Code):
    """Where the customer paid the seller."""

    PAYPAL = "paypal"
    EBAY = "ebay"
    AMAZON = "amazon"
    STRIPE = "stripe"
    SHOPIFY_PAYMENTS = "shopify_payments"


class Family(_Code):
    """What a customer dispute is about, across platforms."""

    NOT_RECEIVED = "not_received"
    NOT_AS_DESCRIBED = "not_as_described"
    CREDIT_NOT_PROCESSED = "credit_not_processed"
    UNAUTHORIZED = "unauthorized"
    OTHER = "other"


class Network(_Code):
    """A card network."""

    VISA = "visa"
    MASTERCARD = "mastercard"
    AMEX = "amex"
    DISCOVER = "discover"


class Grade(_Code):
    """Where a selling-policy value comes from."""

    OFFICIAL = "official"
    MIRROR = "mirror"
    THIRD_PARTY = "third_party"
    UNSOURCED = "unsourced"


class SourceConfidence(_Code):
    """How sure the project is of a selling-policy value."""

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    ASSUMPTION = "assumption"


class Origin(_Code):
    """Where a deadline's instant comes from (BB-4: the platform's wins)."""

    FACT = "fact"
    PLATFORM = "platform"
    COMPUTED = "computed"


class SellerMilestone(_Code):
    """What a date of the seller's timeline (the customer side) is."""

    PAID = "paid"
    FILING_WINDOW_OPENS = "filing_window_opens"
    FILING_WINDOW_CLOSES = "filing_window_closes"
    DISPUTE_OPENED = "dispute_opened"
    STAGE_STARTED = "stage_started"
    SELLER_RESPONSE = "seller_response"
    ESCALATION_OPENS = "escalation_opens"
    ESCALATION_CLOSES = "escalation_closes"
    PLATFORM_DECISION = "platform_decision"
    IDLE_CLOSE = "idle_close"
    DELIVERY_CLOSES = "delivery_closes"
    OFFER_MADE = "offer_made"
    OFFER_LAPSES = "offer_lapses"
    REFUND_DUE = "refund_due"
    CASE_CLOSED = "case_closed"
    APPEAL_CLOSES = "appeal_closes"


class SellerActionKind(_Code):
    """What the seller should do next on the customer's side."""

    RESPOND = "respond"
    RESOLVE_BEFORE_ESCALATION = "resolve_before_escalation"
    ISSUE_REFUND = "issue_refund"
    APPEAL = "appeal"
    CONTEST_LATE_FILING = "contest_late_filing"
    NO_RESPONSE_POSSIBLE = "no_response_possible"


class FeeKind(_Code):
    """A selling-platform fee's kind."""

    DISPUTE = "dispute"
    CHARGEBACK = "chargeback"
    COUNTER = "counter"


class Charged(_Code):
    """When a selling-platform fee is charged."""

    ON_OPENING = "on_opening"
    WHEN_CONTESTED = "when_contested"
    WHEN_LOST = "when_lost"
    WHEN_CONTESTED_AND_LOST = "when_contested_and_lost"
    AFTER_DECISION = "after_decision"


class Waiver(_Code):
    """A condition that waives a selling-platform fee."""

    NOT_ESCALATED = "not_escalated"
    RESOLVED_BETWEEN_PARTIES = "resolved_between_parties"
    UNAUTHORIZED = "unauthorized"
    SELLER_PROTECTION = "seller_protection"
    AMOUNT_BELOW_TWICE_FEE = "amount_below_twice_fee"
    WON = "won"
    REFUNDED_BEFORE_DISPUTE = "refunded_before_dispute"


class Side(_Code):
    """Which side of a back-to-back a date or action belongs to."""

    CUSTOMER = "customer"
    SUPPLIER = "supplier"


class RouteState(_Code):
    """Where the supplier route stands in a back-to-back."""

    OPEN = "open"
    NOT_YET_OPEN = "not_yet_open"
    CLOSED = "closed"
    DISPUTE_OPEN = "dispute_open"
    REFUNDED = "refunded"
    NOT_SHIPPED = "not_shipped"
    NOT_APPLICABLE = "not_applicable"


class BackToBackActionKind(_Code):
    """What a back-to-back next action is (on either side)."""

    REQUEST_SUPPLIER_EXTENSION = "request_supplier_extension"
    OPEN_SUPPLIER_DISPUTE = "open_supplier_dispute"
    OPEN_SUPPLIER_DISPUTE_IF_EXTENSION_NOT_APPROVED = "open_supplier_dispute_if_extension_not_approved"
    FOLLOW_SUPPLIER_DISPUTE = "follow_supplier_dispute"
    CONSIDER_SUPPLIER_CHARGEBACK = "consider_supplier_chargeback"
    RESPOND_TO_CUSTOMER = "respond_to_customer"
    RESOLVE_BEFORE_ESCALATION = "resolve_before_escalation"
    ISSUE_REFUND = "issue_refund"
    APPEAL = "appeal"
    CONTEST_LATE_FILING = "contest_late_filing"
    NO_RESPONSE_POSSIBLE = "no_response_possible"


# ---------------------------------------------------------------------------
# Errors (raised by the compiled module with the engine's error details).
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
        if self.index is None:
            return self.message
        where = f"order {self.index}" + ("" if self.line is None else f" (line {self.line})")
        return f"{where}: {self.message}"

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
    naive ``now``, an unknown operation, a value of the wrong type, ...)."""


class IllegalTransitionError(DisputeRulesError):
    """A lifecycle event that the dispute's state does not allow; ``code``
    may carry a stable code such as ``dispute_already_open``."""


class InternalError(DisputeRulesError):
    """The engine failed unexpectedly (a bug: please report it)."""


# Arrow tables in and out (``_table.py``).
from ._table import FLAT_COLUMNS, TABLE_COLUMNS, ArrowTable, assess_table  # noqa: E402
