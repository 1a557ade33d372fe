"""Nothing of the default city's outside its pack: the code names no city, district or reported figure of it.

The words and numbers searched for come from the pack itself (city.toml's names, monitoring/regions.toml's
districts, reported_figures.csv's figures of four significant digits or more, and the two the issue names,
3956 and 24.9), so a pack's own facts are what is looked for. The code is every .py and .toml outside
``cities/`` and ``tests/`` (tests name the default pack on purpose), plus pyproject.toml and the Makefile;
README.md and the docs may name it.

Not all of it has moved yet (issue 23, part A): :data:`LEFT` lists, file by file, how many lines still
carry one and why. The test fails on a file not listed, and on a listed file whose count went up (a new
fact in the code) or down (the list must shrink with the code: lower the count, or remove the file).
"""

from __future__ import annotations

import csv
import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACK = ROOT / "cities" / "qingdao"
CODE = ("growthsim", "app", "calibration", "simulation", "benchmarks")
EXTRA = ("pyproject.toml", "Makefile")

# file -> (lines that still carry the default city's names or figures, why they are still there)
LEFT: dict[str, tuple[int, str]] = {
    "calibration/city.py": (1, "DEFAULT_CITY names the built-in default pack"),
    "simulation/events.py": (1, "the event engine's mean renovation project (758.2/662 亿元, document 001)"),
    "calibration/fit.py": (1, "a comment on the census revision of the record's 2023 GDP (part B owns fit.py)"),
    "app/page_calibration.py": (1, "a comment quoting a citation of the record"),
    "benchmarks/bench_monitor.py": (2, "the monitoring benchmark runs the default pack's regions"),
    "benchmarks/bench_city.py": (2, "makes a copy of the default pack under another name"),
    "benchmarks/bench_calibrate.py": (4, "times a sparse record beside the default pack's whole record"),
    "calibration/priors.py": (1, "24.9 % there is the national manufacturing share in 2024, which the search "
                                 "cannot tell from the default city's 2020 share"),
}


def _words() -> set[str]:
    city = tomllib.loads((PACK / "city.toml").read_text("utf-8"))["city"]
    words = {city["id"], city["name_zh"], city["short_zh"], city["name_en"], city["short_en"]}
    regions = tomllib.loads((PACK / "monitoring" / "regions.toml").read_text("utf-8"))["region"]
    for r in regions:
        words |= {r["id"], r["name_zh"], re.sub(r"（.*）", "", r["name_zh"])}
    # a district's short name (即墨 for 即墨区) and the new area's common short names
    words |= {re.sub(r"[区市]$", "", w) for w in list(words) if re.fullmatch(r"[\u4e00-\u9fff]{2,3}[区市]", w)}
    return {w for w in words | {"西海岸", "黄岛"} if len(w) >= 2}


def _figures() -> set[str]:
    out = {"3956", "24.9"}
    with (PACK / "reported_figures.csv").open(encoding="utf-8-sig") as fh:
        for row in csv.DictReader(fh):
            digits = row["value"].replace(".", "").lstrip("0").rstrip("0")
            if len(digits) >= 4:
                out.add(row["value"].strip())
    return out


def _pattern() -> re.Pattern:
    words = sorted(_words(), key=len, reverse=True)
    figures = sorted(_figures(), key=len, reverse=True)
    latin = [w for w in words if w.isascii()]
    cjk = [w for w in words if not w.isascii()]
    parts = [r"(?<![\w])(?:" + "|".join(map(re.escape, latin)) + r")(?![a-z])", "|".join(map(re.escape, cjk)),
             r"(?<![\w.])(?:" + "|".join(map(re.escape, figures)) + r")(?![\w])"]
    return re.compile("|".join(f"(?:{p})" for p in parts), re.IGNORECASE)


def _code_files() -> list[Path]:
    files = [p for folder in CODE for p in (ROOT / folder).rglob("*") if p.suffix in (".py", ".toml")]
    return sorted(files + [ROOT / name for name in EXTRA])


def _hits() -> dict[str, list[str]]:
    pattern, out = _pattern(), {}
    for path in _code_files():
        for i, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
            if pattern.search(line):
                out.setdefault(str(path.relative_to(ROOT)), []).append(f"{i}: {line.strip()[:100]}")
    return out


def test_the_search_finds_what_it_looks_for():
    # known answers: the pack's own names and figures are in the search, a lookalike is not
    pattern = _pattern()
    for text in ("青岛", "Qingdao", "即墨区", "即墨", "xihaian", "3956", "24.9", "12400.56"):
        assert pattern.search(text), text
    for text in ("qingdaoo", "24.95", "1234", "城市"):
        assert not pattern.search(text), text


def test_no_city_of_the_pack_outside_it_beyond_what_is_left():
    hits = _hits()
    new = {f: lines for f, lines in hits.items() if f not in LEFT}
    assert not new, new
    changed = {f: (len(hits.get(f, [])), LEFT[f][0], hits.get(f, [])) for f in LEFT
               if len(hits.get(f, [])) != LEFT[f][0]}
    assert not changed, changed
