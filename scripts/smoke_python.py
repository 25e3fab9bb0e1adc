"""Smoke test of an installed `dispute_rules` Python package (wheel or sdist).

Run by scripts/test-dist.sh with the interpreter of a fresh virtualenv:

    python smoke_python.py VERSION FACTS_JSON_FILE

Checks the package metadata a user and PyPI see (version, SPDX licence
expression, licence files, project URLs), then answers one request through
the engine.
"""

import json
import sys
from importlib import metadata

version, facts_path = sys.argv[1], sys.argv[2]
dist = metadata.distribution("dispute-rules")
meta = dist.metadata
problems = []
if dist.version != version:
    problems.append(f"version {dist.version}, expected {version}")
if meta.get("License-Expression") != "MIT OR Apache-2.0":
    problems.append(f"License-Expression is {meta.get('License-Expression')!r}")
license_files = sorted(meta.get_all("License-File") or [])
if license_files != ["LICENSE-APACHE", "LICENSE-MIT"]:
    problems.append(f"License-File entries: {license_files}")
installed = {str(f) for f in dist.files or []}
for name in ("LICENSE-APACHE", "LICENSE-MIT"):
    if not any(f.endswith(f".dist-info/licenses/{name}") for f in installed):
        problems.append(f"{name} is not installed under .dist-info/licenses/")
urls = meta.get_all("Project-URL") or []
if not any(u.startswith("Source, ") for u in urls):
    problems.append(f"no Source project URL in {urls}")

import dispute_rules  # noqa: E402 (after the metadata checks)

with open(facts_path, encoding="utf-8") as f:
    facts = json.load(f)
request = json.dumps({"facts": facts, "now": "2026-03-20T12:00:00Z", "policy": "aliexpress"})
answer = json.loads(dispute_rules.call_json("eligibility", request))
if answer.get("result") != "success" or answer["answer"].get("status") != "eligible":
    problems.append(f"unexpected answer: {answer}")

if problems:
    print("smoke: FAILED\n  " + "\n  ".join(problems))
    sys.exit(1)
print(f"smoke: dispute_rules {dist.version} from {dispute_rules.__file__}: eligible, metadata ok")
