"""Run the command line's main commands at a git commit and at HEAD and diff the outputs byte for byte.

Each side is checked out in a git worktree of its own (``git worktree add --detach``), installed into a
folder of its own (``pip install --no-deps --target``, so the commit runs its own code, not the editable
install) and run with its own calibration cache, in both languages, with the same seed and draws:

- ``run baseline`` (annual engine; CSV files, the workbook and the manifest),
- ``run baseline --engine event`` (the project pipeline's CSV files),
- ``compare baseline downside`` (what it prints),
- ``targets`` (what it prints),
- ``monitor`` (what it prints and its folder),
- ``ladder`` (what it prints and its folder).

Every file and every command's printed text is compared byte for byte. What differs between any two runs of
the same code is left out, and the report says so: the run's creation time (an ISO time in UTC, in a
manifest and on the workbook's About sheet, replaced by ``<created>``), a workbook's or Word file's
``docProps/`` (the zip archive's own time stamp; the sheets, strings and styles are compared byte for byte)
and, in a manifest, those archives' hashes and the signature over the hashes.

Usage (from the checkout, with the project's venv)::

    .venv/bin/python tools/behaviour_diff.py 81b9ea8            # that commit against HEAD
    .venv/bin/python tools/behaviour_diff.py main --draws 300 --seed 7 --keep /tmp/diff

It prints one line per command and language (``same`` or ``DIFFERS`` with the files that differ and the
first differing line of each), and exits 1 when anything differs, 0 when all is the same.
"""

from __future__ import annotations

import argparse
import difflib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

LANGS = ("zh", "en")


def commands(draws: int, seed: int, lang: str) -> dict[str, list[str]]:
    """The compared commands for one language, by name: each the arguments after ``growthsim``.

    Parameters
    ----------
    draws : int
        Monte Carlo draws per scenario [draws].
    seed : int
        Random seed, the same on both sides.
    lang : str
        ``zh`` or ``en``, the language of the printed text and the files.

    Returns
    -------
    dict[str, list[str]]
        The arguments of each command, keyed by a short name that is also its output folder.
    """
    common = ["--draws", str(draws), "--seed", str(seed)]
    return {
        f"run-{lang}": ["run", "baseline", *common, "--lang", lang, "--format", "csv", "--format", "xlsx",
                        "--out", f"out/run-{lang}"],
        f"event-{lang}": ["run", "baseline", "--engine", "event", *common, "--lang", lang,
                          "--out", f"out/event-{lang}"],
        f"compare-{lang}": ["compare", "baseline", "downside", *common, "--lang", lang],
        f"targets-{lang}": ["targets", "--lang", lang],
        f"monitor-{lang}": ["monitor", "--lang", lang, "--out", f"out/monitor-{lang}"],
        f"ladder-{lang}": ["ladder", *common, "--lang", lang, "--out", f"out/ladder-{lang}"],
    }


def install(repo: Path, rev: str, side: Path) -> Path:
    """Check ``rev`` out in a worktree under ``side`` and install it into ``side/site``; return that folder."""
    src = side / "src"
    subprocess.run(["git", "-C", str(repo), "worktree", "add", "--detach", "--quiet", str(src), rev], check=True)
    site = side / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
                    "--target", str(site), str(src)], check=True)
    return site


def run_side(site: Path, side: Path, draws: int, seed: int) -> dict[str, tuple[int, bytes]]:
    """Run every command of both languages with ``site`` first on the path; return each one's exit code and text.

    Parameters
    ----------
    site : Path
        The folder the side's ``growthsim`` is installed in.
    side : Path
        The side's own folder: the commands run in ``side/work`` with the cache in ``side/cache``.
    draws : int
        Monte Carlo draws per scenario [draws].
    seed : int
        Random seed.

    Returns
    -------
    dict[str, tuple[int, bytes]]
        Each command's exit code and what it printed (stdout, then stderr).
    """
    work = side / "work"
    work.mkdir()
    env = dict(os.environ, PYTHONPATH=str(site), GROWTHSIM_CACHE_DIR=str(side / "cache"),
               PYTHONHASHSEED="0", COLUMNS="100")
    printed = {}
    for lang in LANGS:
        for name, args in commands(draws, seed, lang).items():
            proc = subprocess.run([sys.executable, "-c", "import sys; from growthsim.cli import main; main()",
                                   *args], cwd=work, env=env, capture_output=True)
            printed[name] = (proc.returncode, proc.stdout + b"\n--- stderr ---\n" + proc.stderr)
            (work / f"{name}.printed.txt").write_bytes(printed[name][1])  # kept with --keep
    return printed


STAMP = re.compile(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?\+00:00")  # a run's creation time (UTC)


def unstamped(data: bytes) -> bytes:
    """``data`` with every creation time (an ISO time in UTC) replaced by ``<created>``."""
    return STAMP.sub(b"<created>", data)


def archive_members(data: bytes) -> dict[str, bytes]:
    """The members of a zip archive (workbook, Word file) except ``docProps/``, unstamped."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {n: unstamped(zf.read(n)) for n in sorted(zf.namelist()) if not n.startswith("docProps/")}


def first_difference(a: bytes, b: bytes) -> str:
    """The first differing line of two texts, as ``- old`` / ``+ new`` (or a size note for binary data)."""
    try:
        old, new = a.decode().splitlines(), b.decode().splitlines()
    except UnicodeDecodeError:
        return f"binary, {len(a)} against {len(b)} bytes"
    changed = [x for x in difflib.unified_diff(old, new, lineterm="", n=0) if not x.startswith(("---", "+++"))]
    removed = next((x for x in changed if x.startswith("-")), None)
    added = next((x for x in changed if x.startswith("+")), None)
    shown = [x[:110] for x in (removed, added) if x is not None]
    if shown:
        return " | ".join(shown)
    return "same lines, different bytes (line ends or a final newline)"


def manifest_facts(data: bytes) -> bytes:
    """A run's manifest without what differs between any two runs: its creation time, the archives' hashes
    (they hash their stamped time) and the signature over the hashes."""
    facts = json.loads(data)
    own = facts.get("growthsim", {})
    own.pop("signature", None)
    for name in list(own.get("sha256", {})):
        if name.endswith((".xlsx", ".docx")):
            own["sha256"].pop(name)
    return unstamped(json.dumps(facts, ensure_ascii=False, indent=1, sort_keys=True).encode())


def compare_file(a: bytes, b: bytes, name: str) -> str | None:
    """None when two files are the same (archives: every member but ``docProps/``), else what differs."""
    if name.endswith(".json") and b'"growthsim"' in a + b:
        a, b = manifest_facts(a), manifest_facts(b)
    if name.endswith((".xlsx", ".docx")):
        ma, mb = archive_members(a), archive_members(b)
        differing = [m for m in sorted(set(ma) | set(mb)) if ma.get(m) != mb.get(m)]
        return None if not differing else "members " + ", ".join(differing[:4])
    return None if a == b else first_difference(a, b)


def files_of(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` by its path relative to it."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def report(base: Path, head: Path, printed_base: dict, printed_head: dict) -> bool:
    """Print one line per command (and one per differing file); return True when everything is the same."""
    all_same = True
    for name in printed_base:
        code_a, text_a = printed_base[name]
        code_b, text_b = printed_head[name]
        problems = []
        if code_a != code_b:
            problems.append(f"exit code {code_a} -> {code_b}")
        if text_a != text_b:
            problems.append(f"printed text: {first_difference(text_a, text_b)}")
        folder = Path("out") / name
        fa, fb = files_of(base / "work" / folder), files_of(head / "work" / folder)
        for f in sorted(set(fa) | set(fb)):
            if f not in fa or f not in fb:
                problems.append(f"{f}: only at {'HEAD' if f in fb else 'the commit'}")
                continue
            diff = compare_file(fa[f], fb[f], f)
            if diff:
                problems.append(f"{f}: {diff}")
        files = f"{len(fb)} files" if fb else "printed text only"
        print(f"{name:12s} {'same' if not problems else 'DIFFERS'} (exit {code_b}, {files})")
        for p in problems:
            print(f"    {p}")
        all_same = all_same and not problems
    return all_same


def main(argv: list[str] | None = None) -> int:
    """Check both sides out, run them and print the comparison; 0 when the same, 1 when anything differs."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("commit", help="the commit to compare with HEAD (any git revision)")
    parser.add_argument("--head", default="HEAD", help="the other side (default HEAD)")
    parser.add_argument("--draws", type=int, default=300, help="Monte Carlo draws (default 300)")
    parser.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
    parser.add_argument("--keep", type=Path, help="keep the checkouts and outputs in this new folder")
    args = parser.parse_args(argv)
    repo = Path(__file__).resolve().parent.parent
    root = args.keep or Path(tempfile.mkdtemp(prefix="behaviour-diff-"))
    root.mkdir(parents=True, exist_ok=True)
    sides = {"base": (args.commit, root / "base"), "head": (args.head, root / "head")}
    printed = {}
    try:
        for key, (rev, side) in sides.items():
            side.mkdir()
            site = install(repo, rev, side)
            printed[key] = run_side(site, side, args.draws, args.seed)
        rev_a = subprocess.run(["git", "-C", str(repo), "rev-parse", "--short", args.commit],
                               capture_output=True, text=True).stdout.strip()
        rev_b = subprocess.run(["git", "-C", str(repo), "rev-parse", "--short", args.head],
                               capture_output=True, text=True).stdout.strip()
        print(f"{rev_a} against {rev_b}, draws {args.draws}, seed {args.seed}")
        print("(left out: creation times, workbooks' docProps/, manifests' archive hashes and signature)")
        same = report(sides["base"][1], sides["head"][1], printed["base"], printed["head"])
    finally:
        for _, side in sides.values():
            if (side / "src").exists():
                subprocess.run(["git", "-C", str(repo), "worktree", "remove", "--force", str(side / "src")],
                               check=False)
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
