#!/usr/bin/env python3
"""Checks that the repository stands on its own, and runs the README snippets.

    scripts/check_docs.py repo       links, paths, rule ids, package, licences, MSRV
    scripts/check_docs.py snippets   every code block of every Markdown file
    scripts/check_docs.py msrv       builds the packaged crate with its rust-version
                                     toolchain, when rustup has it installed

`repo` (fast, no build):

* every relative link of every tracked Markdown file, and of the Rust doc
  comments and Python docstrings, resolves to a file inside the repository
  (and its `#anchor` to a heading of that file); every path mentioned in
  backticks that looks like a repository path exists;
* no tracked file refers to the project's private notes outside the
  repository (the patterns are spelled in pieces below so that this file
  does not match itself);
* every rule id cited in a tracked file (`C-1`, `R-E1`, ...) has its section
  in docs/rules.md;
* `cargo package -p dispute-rules --list` holds the licences, the README and
  the rules reference;
* no normal or build dependency of a workspace member declares a
  `rust-version` above the member's own, and README.md names both the
  library's and the tests' minimum Rust.

`snippets` runs every fenced block of every tracked Markdown file as the
README says a user would, in a scratch copy of the repository
(`target/snippets/repo`):

* ```` ```rust ```` blocks are doctests: the file must be included with
  `#[doc = include_str!(...)]` by a crate that `cargo test` covers, which
  compiles and runs them (this script only checks the inclusion);
* ```` ```python ```` blocks run with the test virtualenv's Python (the one
  `bindings-py/run-tests.sh` installs the package into); a block of `>>>`
  prompts (or ```` ```pycon ````) runs as a doctest, every output checked;
* ```` ```c ```` and ```` ```cpp ```` blocks are compiled with
  `-Wall -Wextra -Werror` against `bindings-c/include` and the static
  library, and run (under valgrind when it is installed);
* ```` ```sh ```` blocks run with `bash -euo pipefail`, the virtualenv first
  on `PATH`, sharing the build directory;
* a ```` ```text output ```` block right after a run block is what it must
  print on stdout: lines compare exactly (trailing spaces ignored), a line
  `...` stands for any number of lines and `...` inside a line for any text;
* a block that cannot run in a test (a system-wide install, a publish, a
  benchmark of minutes, the test command itself) says so in its info string,
  with the reason in words (rustdoc parses info strings too: letters,
  digits, spaces and `,;:.'-` only): ```` ```sh no-run: installs system-wide ````;
* every other block needs a data language (`text`, `json`, `cmake`, ...,
  see DATA_LANGS), shown and not run; `json` blocks must parse.

`msrv` checks the packaged crate (`target/package/dispute-rules-<version>.crate`,
made by `cargo package`) with the toolchain of its `rust-version`, resolving
dependencies the way an MSRV-aware cargo does; it says so and passes when that
toolchain is not installed (`rustup toolchain install <version> --profile
minimal` makes it run). Clippy's `incompatible_msrv` lint, in the test command,
covers the standard library APIs on every machine.

Exits non-zero with one line per problem. Python 3.8+, standard library only.
"""

from __future__ import annotations

import argparse
import fnmatch
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = "docs/rules.md"

# Spelled in pieces: this file is tracked too, and must not match itself.
FORBIDDEN = ["../" + "shared", "/work/" + "shared", "RULES" + ".md"]

RULE_ID = re.compile(r"(?<![A-Za-z0-9_-])(C-[0-9]+|R-[A-Z][0-9]+)(?![0-9A-Za-z])")
# A deliberately unknown id in a test of `Rule::from_id` is not a citation.
RULE_ID_EXEMPT_LINE = re.compile(r"from_id\(")

PATH_EXTENSIONS = {
    "md", "rs", "json", "jsonl", "py", "pyi", "c", "h", "cpp", "sh", "toml",
    "txt", "in", "typed", "lock", "yml", "yaml", "csv",
}
# Build outputs and installed locations are mentioned but not tracked.
NOT_TRACKED_PREFIXES = ("target/", "build/", "dist/", "/", "~", "$")

problems: list[str] = []


def problem(where: str, what: str) -> None:
    problems.append(f"{where}: {what}")


def tracked_files() -> list[str]:
    """Tracked files, plus new files not ignored (so a check sees new work)."""
    out = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT, check=True, capture_output=True,
    ).stdout.decode()
    files = sorted({f for f in out.split("\0") if f})
    return [f for f in files if (ROOT / f).exists()]


def read_text(rel: str) -> str | None:
    try:
        return (ROOT / rel).read_text(encoding="utf-8")
    except (UnicodeDecodeError, IsADirectoryError):
        return None


# ---------------------------------------------------------------- Markdown

FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")


@dataclass
class Block:
    path: str
    line: int  # 1-based line of the opening fence
    info: str
    code: str
    lang: str = ""
    attrs: str = ""
    output: "Block | None" = None
    is_output: bool = False


def split_markdown(text: str, path: str) -> tuple[list[tuple[int, str]], list[Block]]:
    """The prose lines (numbered) and the fenced blocks of a Markdown text."""
    prose: list[tuple[int, str]] = []
    blocks: list[Block] = []
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m or (m.group("fence")[0] == "`" and "`" in m.group("info")):
            prose.append((i + 1, lines[i]))
            i += 1
            continue
        fence, indent = m.group("fence"), len(m.group("indent"))
        info = m.group("info").strip()
        start = i
        body: list[str] = []
        i += 1
        while i < len(lines):
            c = re.match(r"^[ \t]*(`{3,}|~{3,})[ \t]*$", lines[i])
            if c and c.group(1)[0] == fence[0] and len(c.group(1)) >= len(fence):
                break
            line = lines[i]
            body.append(line[indent:] if line[:indent].strip() == "" else line)
            i += 1
        if i >= len(lines):
            problem(f"{path}:{start + 1}", "code block is never closed")
        i += 1
        parts = re.split(r"[\s,]+", info, maxsplit=1)
        lang = parts[0].lower()
        attrs = parts[1].strip() if len(parts) > 1 else ""
        blocks.append(Block(path, start + 1, info, "\n".join(body) + "\n", lang, attrs))
    return prose, blocks


def slug(heading: str) -> str:
    """GitHub's anchor for a heading (rustdoc's agrees for plain headings)."""
    h = re.sub(r"`|\*\*|\*|_(?=\w)|(?<=\w)_", "", heading.strip()).lower()
    h = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", h)
    h = re.sub(r"[^\w\- ]", "", h)
    return h.replace(" ", "-")


def anchors(rel: str) -> set[str]:
    text = read_text(rel) or ""
    prose, _ = split_markdown(text, rel)
    seen: dict[str, int] = {}
    out = set()
    for _, line in prose:
        m = re.match(r"^#{1,6}\s+(.*?)\s*#*\s*$", line)
        if m:
            s = slug(m.group(1))
            n = seen.get(s, 0)
            seen[s] = n + 1
            out.add(s if n == 0 else f"{s}-{n}")
    return out


INLINE_CODE = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)")
MD_LINK = re.compile(r"!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
REF_LINK = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(\s|$)")
HTML_LINK = re.compile(r"(?:href|src)=\"([^\"]+)\"")


def strip_code(line: str) -> str:
    return INLINE_CODE.sub(lambda m: " " * len(m.group(0)), line)


def inside_repo(p: Path) -> bool:
    try:
        p.resolve().relative_to(ROOT)
        return True
    except ValueError:
        return False


def package_root(rel: str) -> Path:
    """The nearest directory above `rel` with a Cargo.toml or pyproject.toml."""
    d = (ROOT / rel).parent
    while d != ROOT and d != d.parent:
        if (d / "Cargo.toml").exists() or (d / "pyproject.toml").exists():
            return d
        d = d.parent
    return ROOT


def check_link(rel: str, line: int, target: str) -> None:
    where = f"{rel}:{line}"
    if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.I):
        return  # http:, https:, mailto: ...: public addresses, not checked here
    path, _, anchor = target.partition("#")
    base = (ROOT / rel).parent  # the link's own directory (a symlink's, too)
    dest = (base / path) if path else (ROOT / rel)
    if path and not os.path.lexists(dest):
        problem(where, f"link `{target}` does not resolve to a file of the repository")
        return
    if not inside_repo(dest) or not str(os.path.normpath(dest)).startswith(str(ROOT)):
        problem(where, f"link `{target}` leaves the repository")
        return
    if anchor and dest.is_file() and dest.suffix == ".md":
        if anchor not in anchors(str(dest.resolve().relative_to(ROOT))):
            problem(where, f"link `{target}`: no heading with the anchor `#{anchor}`")


def looks_like_path(token: str) -> bool:
    if " " in token or "/" not in token or "://" in token or "::" in token:
        return False
    if not re.fullmatch(r"[\w.*{},@+-]+(/[\w.*{},@+-]*)+", token):
        return False
    if token.startswith(NOT_TRACKED_PREFIXES):
        return False
    first = token.split("/")[0]
    last = token.rstrip("/").rsplit("/", 1)[-1]
    ext = last.rpartition(".")[2] if "." in last else ""
    return first in ("..", ".") or (ROOT / first).exists() or ext in PATH_EXTENSIONS


def check_path(rel: str, line: int, token: str) -> None:
    bases = [(ROOT / rel).parent, package_root(rel), ROOT]
    pattern = token.rstrip("/")
    for b in bases:
        cand = b / pattern
        if any(ch in pattern for ch in "*{"):
            expanded = [pattern]
            m = re.search(r"\{([^}]*)\}", pattern)
            if m:
                expanded = [pattern[: m.start()] + alt + pattern[m.end():] for alt in m.group(1).split(",")]
            if all(glob.glob(str(b / e)) for e in expanded):
                if all(inside_repo(Path(g)) for e in expanded for g in glob.glob(str(b / e))):
                    return
        elif os.path.lexists(cand) and inside_repo(cand):
            return
    problem(f"{rel}:{line}", f"path `{token}` does not exist in the repository")


def check_markdown(rel: str) -> None:
    text = read_text(rel)
    if text is None:
        return
    prose, _ = split_markdown(text, rel)
    for n, line in prose:
        bare = strip_code(line)
        for m in MD_LINK.finditer(bare):
            check_link(rel, n, m.group(1))
        for m in HTML_LINK.finditer(bare):
            check_link(rel, n, m.group(1))
        m = REF_LINK.match(bare)
        if m:
            check_link(rel, n, m.group(1))
        for m in INLINE_CODE.finditer(line):
            tok = m.group(2).strip()
            if looks_like_path(tok):
                check_path(rel, n, tok)


def doc_lines(rel: str, text: str) -> list[tuple[int, str]]:
    """The documentation lines of a Rust or Python file."""
    out = []
    if rel.endswith(".rs"):
        for i, line in enumerate(text.split("\n"), 1):
            m = re.match(r"^\s*//[/!]\s?(.*)$", line)
            if m:
                out.append((i, m.group(1)))
    else:  # Python: docstrings and comments (any string literal is cheap to scan)
        in_doc = False
        for i, line in enumerate(text.split("\n"), 1):
            s = line.strip()
            quotes = s.count('"""') + s.count("'''")
            if in_doc or quotes or s.startswith("#"):
                out.append((i, s.lstrip("#").strip()))
            if quotes % 2 == 1:
                in_doc = not in_doc
    return out


def check_code_docs(rel: str) -> None:
    text = read_text(rel)
    if text is None:
        return
    for n, line in doc_lines(rel, text):
        bare = strip_code(line)
        for m in MD_LINK.finditer(bare):
            target = m.group(1)
            # Intra-doc links (`crate::x`, `Self::y`, `super::predict`) are rustdoc's.
            # A fragment may follow (`self#field-paths`).
            if re.fullmatch(r"[\w:<>!()]+(#[\w-]+)?", target) and "/" not in target and ".md" not in target:
                continue
            check_link(rel, n, target)
        for m in INLINE_CODE.finditer(line):
            tok = m.group(2).strip()
            if looks_like_path(tok):
                check_path(rel, n, tok)


def check_forbidden(files: list[str]) -> None:
    for rel in files:
        if (ROOT / rel).is_symlink():
            continue  # its target is checked as itself
        text = read_text(rel)
        if text is None:
            continue
        for n, line in enumerate(text.split("\n"), 1):
            for pat in FORBIDDEN:
                if pat in line:
                    problem(f"{rel}:{n}", f"refers to `{pat}`, which is not part of the repository "
                            f"(cite the rules reference, {REFERENCE})")


def defined_rule_ids() -> set[str]:
    text = read_text(REFERENCE) or ""
    return {m.group(1) for m in re.finditer(r"^### (C-[0-9]+|R-[A-Z][0-9]+) ", text, re.M)}


def check_rule_ids(files: list[str]) -> None:
    defined = defined_rule_ids()
    if not defined:
        problem(REFERENCE, "defines no rule ids (`### R-E1 ...` headings)")
        return
    for rel in files:
        if not rel.endswith((".md", ".rs", ".py", ".pyi", ".h", ".c", ".cpp", ".json", ".jsonl", ".toml")):
            continue
        if (ROOT / rel).is_symlink():
            continue
        text = read_text(rel)
        if text is None:
            continue
        for n, line in enumerate(text.split("\n"), 1):
            if RULE_ID_EXEMPT_LINE.search(line):
                continue
            for m in RULE_ID.finditer(line):
                if m.group(1) not in defined:
                    problem(f"{rel}:{n}", f"rule id `{m.group(1)}` is not defined in {REFERENCE}")


def cargo(*args: str) -> str:
    r = subprocess.run(["cargo", *args], cwd=ROOT, capture_output=True, text=True)
    if r.returncode != 0:
        problem("cargo " + " ".join(args), r.stderr.strip() or f"exit {r.returncode}")
        report("cargo failed")
    return r.stdout


def check_package() -> None:
    listed = set(cargo("package", "-p", "dispute-rules", "--list", "--allow-dirty", "--quiet").split())
    for f in ["LICENSE-MIT", "LICENSE-APACHE", "README.md", "docs/rules.md"]:
        if f not in listed:
            problem("dispute-rules", f"`cargo package --list` does not include `{f}`")
    for f in ["LICENSE-MIT", "LICENSE-APACHE"]:
        if not (ROOT / f).is_file():
            problem(f, "missing at the repository root")


def version_key(v: str | None) -> tuple[int, ...]:
    return tuple(int(x) for x in re.findall(r"\d+", v or "0"))[:3]


def check_msrv() -> None:
    meta = json.loads(cargo("metadata", "--format-version", "1", "--locked"))
    rv = {(p["name"], p["version"]): p.get("rust_version") for p in meta["packages"]}
    members = [p for p in meta["packages"] if p["id"] in meta["workspace_members"]]
    for p in members:
        own = p.get("rust_version")
        if not own:
            problem(p["manifest_path"], "no rust-version")
            continue
        tree = cargo("tree", "-p", p["name"], "-e", "normal,build", "--target", "all",
                     "--prefix", "none", "--format", "{p}", "--locked")
        for line in sorted(set(tree.splitlines())):
            parts = line.split()
            if len(parts) < 2:
                continue
            name, ver = parts[0], parts[1].lstrip("v")
            need = rv.get((name, ver))
            if need and version_key(need) > version_key(own):
                problem(p["name"], f"rust-version {own}, but its dependency {name} {ver} needs Rust {need}")
    # README.md names the library's minimum and the tests' (the highest of
    # every dependency of the workspace, dev-dependencies included).
    core = next(p for p in members if p["name"] == "dispute-rules")
    tests_need = max((v for v in rv.values() if v), key=version_key)
    readme = " ".join((read_text("README.md") or "").split())
    for what, v in [("the library's rust-version", core["rust_version"]), ("the tests' minimum Rust", tests_need)]:
        short = ".".join(str(x) for x in version_key(v)[:2])
        if f"Rust {short}" not in readme:
            problem("README.md", f"does not name {what} as `Rust {short}`")


def cmd_repo(_: argparse.Namespace) -> None:
    files = tracked_files()
    for rel in files:
        if rel.endswith(".md"):
            check_markdown(rel)
        elif rel.endswith((".rs", ".py", ".pyi")):
            check_code_docs(rel)
    check_forbidden(files)
    check_rule_ids(files)
    check_package()
    check_msrv()
    for rel in files:
        if rel.endswith(".md"):
            _, blocks = split_markdown(read_text(rel) or "", rel)
            classify(blocks)
    report("repo: links, paths, rule ids, package, MSRV")


# ---------------------------------------------------------------- snippets

RUN_LANGS = {"python", "pycon", "c", "cpp", "sh"}
ALIASES = {"bash": "sh", "shell": "sh", "py": "python", "c++": "cpp"}
# Blocks in these languages are data or fragments: shown, not run.
DATA_LANGS = {"text", "json", "jsonl", "toml", "yaml", "cmake", "csv", "diff", "ini", "xml", "html", "make"}


def classify(blocks: list[Block]) -> list[Block]:
    """Checks every block's info string; pairs output blocks with their code."""
    last_run: Block | None = None
    for b in blocks:
        where = f"{b.path}:{b.line}"
        b.lang = ALIASES.get(b.lang, b.lang)
        if not b.lang:
            problem(where, "code block without a language (use `text` for plain text)")
            continue
        if b.lang == "text" and b.attrs.split(",")[0].strip() == "output":
            b.is_output = True
            if last_run is None or last_run.output is not None:
                problem(where, "a `text output` block must follow the block whose output it shows")
            else:
                last_run.output = b
            last_run = None
            continue
        if b.lang == "rust":
            if re.search(r"\bignore\b", b.attrs):
                problem(where, "a rust block is compiled (`no_run` at most), never `ignore`d")
        elif "no-run" in b.attrs:
            reason = b.attrs.split("no-run", 1)[1].strip(" :,-")
            if not reason:
                problem(where, "`no-run` needs a reason: ```sh no-run: why it cannot run in a test")
            elif re.search(r"[^\w\s,;:.'-]", reason):
                problem(where, "keep the `no-run` reason to words (letters, digits, spaces, `,;:.'-`): "
                        "rustdoc parses the info string of every README it doctests")
        elif b.lang == "json":
            try:
                json.loads(b.code)
            except ValueError as e:
                problem(where, f"json block does not parse: {e}")
        elif b.lang not in RUN_LANGS and b.lang not in DATA_LANGS:
            problem(where, f"`{b.lang}` blocks are neither run nor data: use rust, python, pycon, c, cpp "
                    f"or sh (run by the tests), {', '.join(sorted(DATA_LANGS))} (shown as data), "
                    "or mark the block `no-run: <reason>`")
        last_run = b if b.lang in RUN_LANGS and "no-run" not in b.attrs else None
    return blocks


def doctested_files() -> set[str]:
    """Markdown files a doctest host includes (crates run by `cargo test`)."""
    out = set()
    for rel in tracked_files():
        if not rel.endswith(".rs") or rel.startswith("bindings-py/"):
            continue
        text = read_text(rel) or ""
        for m in re.finditer(r"#!?\[doc\s*=\s*include_str!\(\s*\"([^\"]+\.md)\"\s*\)\s*\]", text):
            p = os.path.normpath((ROOT / rel).parent / m.group(1))
            out.add(os.path.relpath(p, ROOT))
    return out


def matches(expected: str, actual: str) -> bool:
    exp = [l.rstrip() for l in expected.rstrip("\n").split("\n")]
    act = [l.rstrip() for l in actual.rstrip("\n").split("\n")]

    def line_ok(e: str, a: str) -> bool:
        if "..." not in e:
            return e == a
        return re.fullmatch(".*".join(re.escape(p) for p in e.split("...")), a) is not None

    def go(i: int, j: int) -> bool:
        if i == len(exp):
            return j == len(act)
        if exp[i] == "...":
            return any(go(i + 1, k) for k in range(j, len(act) + 1))
        return j < len(act) and line_ok(exp[i], act[j]) and go(i + 1, j + 1)

    return go(0, 0)


@dataclass
class Runner:
    target: Path
    scratch: Path
    python: Path | None
    env: dict[str, str] = field(default_factory=dict)
    valgrind: bool = False
    counts: dict[str, int] = field(default_factory=dict)

    def count(self, what: str) -> None:
        self.counts[what] = self.counts.get(what, 0) + 1

    def run(self, b: Block) -> None:
        where = f"{b.path}:{b.line}"
        with tempfile.TemporaryDirectory(prefix="snippet-") as tmp:
            t = Path(tmp)
            if b.lang in ("python", "pycon"):
                if self.python is None:
                    problem(where, "no Python with the package installed (run bindings-py/run-tests.sh first, "
                            "or set DR_SNIPPET_PYTHON)")
                    return
                if b.lang == "pycon" or b.code.lstrip().startswith(">>>"):
                    # An interactive session: every output shown is checked (doctest, with `...`).
                    (t / "session.txt").write_text(b.code)
                    (t / "snippet.py").write_text(
                        "import doctest, sys\n"
                        "r = doctest.testfile(sys.argv[1], module_relative=False, verbose=False,\n"
                        "                     optionflags=doctest.ELLIPSIS)\n"
                        "sys.exit(1 if r.failed else 0)\n")
                    cmd = [str(self.python), str(t / "snippet.py"), str(t / "session.txt")]
                else:
                    (t / "snippet.py").write_text(b.code)
                    cmd = [str(self.python), str(t / "snippet.py")]
            elif b.lang == "sh":
                (t / "snippet.sh").write_text(b.code)
                cmd = ["bash", "-euo", "pipefail", str(t / "snippet.sh")]
            else:  # c, cpp
                src = t / ("snippet.c" if b.lang == "c" else "snippet.cpp")
                src.write_text(b.code)
                lib = self.target / "debug" / "libdispute_rules_c.a"
                compiler = ["gcc", "-std=c11"] if b.lang == "c" else ["g++", "-std=c++17"]
                build = [*compiler, "-Wall", "-Wextra", "-Werror", "-pedantic", "-g",
                         f"-I{self.scratch / 'bindings-c' / 'include'}", str(src), str(lib),
                         "-lgcc_s", "-lutil", "-lrt", "-lpthread", "-lm", "-ldl", "-lc", "-o", str(t / "snippet")]
                r = subprocess.run(build, capture_output=True, text=True)
                if r.returncode != 0:
                    problem(where, f"{b.lang} block does not compile:\n{r.stderr.strip()}")
                    return
                cmd = [str(t / "snippet")]
                if self.valgrind:
                    cmd = ["valgrind", "-q", "--error-exitcode=99", "--leak-check=full",
                           "--errors-for-leak-kinds=definite,indirect", *cmd]
            try:
                r = subprocess.run(cmd, cwd=self.scratch, env=self.env, capture_output=True,
                                   text=True, timeout=600)
            except subprocess.TimeoutExpired:
                problem(where, f"{b.lang} block did not finish within 600 s")
                return
            if r.returncode != 0:
                tail = "\n".join((r.stderr or r.stdout).strip().split("\n")[-15:])
                problem(where, f"{b.lang} block failed (exit {r.returncode}):\n{tail}")
                return
            if b.output is not None and not matches(b.output.code, r.stdout):
                problem(f"{b.path}:{b.output.line}",
                        f"the output shown is not what the block above prints; it prints:\n{r.stdout.rstrip()}")
                return
            self.count(b.lang)


def sync_scratch(scratch: Path) -> None:
    """A copy of the working tree (tracked and new files), mtimes kept."""
    files = set(tracked_files())
    scratch.mkdir(parents=True, exist_ok=True)
    for dirpath, dirnames, filenames in os.walk(scratch, topdown=False):
        for f in filenames:
            p = Path(dirpath) / f
            rel = str(p.relative_to(scratch))
            if rel not in files and not rel.startswith("target"):
                p.unlink()
    for rel in files:
        src, dst = ROOT / rel, scratch / rel
        if dst.exists() and dst.stat().st_mtime == src.stat().st_mtime and dst.stat().st_size == src.stat().st_size:
            continue
        dst.parent.mkdir(parents=True, exist_ok=True)
        if dst.exists() or dst.is_symlink():
            dst.unlink()
        shutil.copy2(src, dst)  # follows symlinks: a plain file, as a package has it


def cmd_snippets(args: argparse.Namespace) -> None:
    target = Path(os.environ.get("CARGO_TARGET_DIR") or ROOT / "target").resolve()
    scratch = target / "snippets" / "repo"
    sync_scratch(scratch)
    py = os.environ.get("DR_SNIPPET_PYTHON") or str(target / "py-venv" / "bin" / "python")
    python = Path(py) if Path(py).exists() else None
    env = dict(os.environ)
    env["CARGO_TARGET_DIR"] = str(target)
    if python is not None:
        env["PATH"] = f"{python.parent}{os.pathsep}{env.get('PATH', '')}"
        env["VIRTUAL_ENV"] = str(python.parent.parent)
    runner = Runner(target, scratch, python, env, valgrind=shutil.which("valgrind") is not None)
    doctested = doctested_files()
    files = [f for f in tracked_files() if f.endswith(".md") and not (ROOT / f).is_symlink()]
    if args.files:
        files = [f for f in files if any(fnmatch.fnmatch(f, g) for g in args.files)]
    blocks: list[Block] = []
    for rel in files:
        _, bs = split_markdown(read_text(rel) or "", rel)
        blocks += classify(bs)
    if any(b.lang in ("c", "cpp") and "no-run" not in b.attrs for b in blocks):
        subprocess.run(["cargo", "build", "--quiet", "-p", "dispute-rules-c"], cwd=ROOT, check=True)
    for b in blocks:
        if not b.lang or b.is_output:
            continue
        if b.lang == "rust":
            if b.path in doctested:
                runner.count("rust (doctest)")
            else:
                problem(f"{b.path}:{b.line}", "rust block, but no crate includes this file as doctests "
                        "(`#[doc = include_str!(...)]`, see examples/src/lib.rs)")
        elif b.lang in RUN_LANGS and "no-run" not in b.attrs:
            print(f"  {b.path}:{b.line} ({b.lang})", flush=True)
            runner.run(b)
        elif "no-run" in b.attrs:
            runner.count(f"{b.lang} marked no-run")
        else:
            runner.count(f"{b.lang} (data, not run)")
    summary = ", ".join(f"{n} {k}" for k, n in sorted(runner.counts.items()))
    report(f"snippets of {len(files)} Markdown files: {summary}")


def cmd_msrv(_: argparse.Namespace) -> None:
    meta = json.loads(cargo("metadata", "--format-version", "1", "--no-deps", "--locked"))
    core = next(p for p in meta["packages"] if p["name"] == "dispute-rules")
    msrv = core["rust_version"]
    target = Path(meta["target_directory"])
    have = subprocess.run(["rustup", "run", msrv, "rustc", "--version"], capture_output=True, text=True)
    if have.returncode != 0:
        print(f"check_docs: msrv skipped: the Rust {msrv} toolchain is not installed "
              f"(rustup toolchain install {msrv} --profile minimal)")
        return
    crate = target / "package" / f"dispute-rules-{core['version']}.crate"
    if not crate.exists():
        problem(str(crate), "missing: run `cargo package -p dispute-rules` first")
        report("msrv")
    with tempfile.TemporaryDirectory(prefix="msrv-") as tmp:
        with tarfile.open(crate) as t:
            try:
                t.extractall(tmp, filter="data")
            except TypeError:  # Python without extraction filters
                t.extractall(tmp)
        work = Path(tmp) / f"dispute-rules-{core['version']}"
        (work / "Cargo.lock").unlink(missing_ok=True)
        # A .crate carries one fixed mtime for every file: without this, the
        # build directory's previous result would look fresh.
        for f in work.rglob("*"):
            os.utime(f)
        env = dict(os.environ, CARGO_RESOLVER_INCOMPATIBLE_RUST_VERSIONS="fallback",
                   CARGO_TARGET_DIR=str(target / "msrv"))
        steps = [["cargo", "generate-lockfile", "--quiet"],
                 ["cargo", f"+{msrv}", "check", "--lib", "--quiet"]]
        for cmd in steps:
            r = subprocess.run(cmd, cwd=work, env=env, capture_output=True, text=True)
            if r.returncode != 0:
                problem("dispute-rules", f"`{' '.join(cmd)}` fails with Rust {msrv}:\n{r.stderr.strip()}")
                break
    report(f"msrv: the packaged crate with Rust {msrv}, {have.stdout.strip()}")


def report(what: str) -> None:
    if problems:
        for p in problems:
            print(p, file=sys.stderr)
        print(f"check_docs: {len(problems)} problem(s) ({what})", file=sys.stderr)
        sys.exit(1)
    print(f"check_docs: ok ({what})")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    sub.add_parser("repo", help="links, paths, rule ids, package, MSRV").set_defaults(fn=cmd_repo)
    s = sub.add_parser("snippets", help="run every code block of the Markdown files")
    s.add_argument("files", nargs="*", help="only these Markdown files (glob patterns)")
    s.set_defaults(fn=cmd_snippets)
    sub.add_parser("msrv", help="build the packaged crate with its rust-version toolchain").set_defaults(fn=cmd_msrv)
    args = ap.parse_args()
    args.fn(args)


if __name__ == "__main__":
    main()
