"""The Python blocks of the READMEs (this package's and the root README's
Python tour) run as written, from the repository root."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from conftest import ROOT

BLOCKS = [
    (path, i, code)
    for path in (ROOT / "bindings-py" / "README.md", ROOT / "README.md")
    for i, code in enumerate(re.findall(r"```python\n(.*?)```", path.read_text(), re.S))
]


@pytest.mark.parametrize(("path", "index", "code"), BLOCKS, ids=[f"{p.parent.name}-{i}" for p, i, _ in BLOCKS])
def test_readme_python_blocks_run(path: Path, index: int, code: str, capsys: pytest.CaptureFixture[str]) -> None:
    here = os.getcwd()
    os.chdir(ROOT)
    try:
        exec(compile(code, f"{path.name} block {index}", "exec"), {"__name__": "readme"})
    finally:
        os.chdir(here)
    assert len(BLOCKS) >= 3
