"""The compiled part of ``dispute_rules`` (private: use the package)."""

from typing import Any, Final, final

__all__ = [
    "BatchResults",
    "PolicyHandle",
    "load_policy",
    "call_json",
    "call_parts",
    "run_batch",
    "OPERATIONS",
    "BATCH_OPERATIONS",
    "PRESETS",
    "__version__",
    "ArrowTable",
    "assess_table",
    "FLAT_COLUMNS",
    "TABLE_COLUMNS",
]

__version__: Final[str]
OPERATIONS: Final[list[str]]
BATCH_OPERATIONS: Final[list[str]]
PRESETS: Final[list[str]]

def call_json(operation: str, request_json: str) -> str: ...
def call_parts(operation: str, parts: list[tuple[str, str]], policy: PolicyHandle | None = None) -> str: ...
def load_policy(policy_json: str) -> tuple[PolicyHandle, str] | str: ...
def run_batch(
    operation: str,
    parts: list[tuple[str, str]],
    orders: str | bytes | list[str],
    policy: PolicyHandle | None = None,
) -> BatchResults | str: ...
@final
class PolicyHandle:
    @property
    def id(self) -> str: ...

@final
class BatchResults:
    @property
    def op(self) -> str: ...
    @property
    def ok_count(self) -> int: ...
    def __len__(self) -> int: ...
    def envelope(self, index: int) -> str: ...
    def line(self, index: int) -> int | None: ...
    def is_ok(self, index: int) -> bool: ...
    def failed(self) -> list[int]: ...
    def column(self, column: str, table: dict[str, Any]) -> list[Any]: ...
    def to_jsonl(self) -> str: ...

# --- Arrow tables (src/table/; the package's wrapper is _table.py) ---------

FLAT_COLUMNS: Final[list[str]]
TABLE_COLUMNS: Final[list[str]]

def assess_table(
    data: object,
    now: str,
    policy: str | None = None,
    threads: int | None = None,
    dictionary: bool = True,
) -> ArrowTable | str: ...
@final
class ArrowTable:
    def __arrow_c_stream__(self, requested_schema: object | None = None) -> object: ...
    def __arrow_c_schema__(self) -> object: ...
    def __len__(self) -> int: ...
    @property
    def error_count(self) -> int: ...
    @property
    def column_names(self) -> list[str]: ...
    @property
    def num_batches(self) -> int: ...
