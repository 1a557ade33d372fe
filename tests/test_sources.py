"""Every figure traces to a source: each quote stands verbatim in its source file."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from calibration.fit import SOURCES_DIR
from simulation.registry import parameters
from calibration.targets import targets


def source_text(name: str) -> str:
    path = SOURCES_DIR / name
    assert path.exists(), f"source file {name} is not in calibration/sources/"
    return path.read_text(encoding="utf-8")


def test_every_reported_figure_is_quoted_verbatim(reported):
    for row in reported.itertuples():
        assert row.quote in source_text(row.source_file), f"line {row.line}: quote not found in {row.source_file}"


def test_every_reported_value_appears_in_its_quote(reported):
    for row in reported.itertuples():
        number = f"{row.value:.10g}"
        if row.indicator == "project_growth_contribution":
            number = "1"  # 近1个百分点: "nearly one point"
        assert number in row.quote, f"line {row.line}: {number} not in quote {row.quote!r}"


@pytest.mark.parametrize("target", list(targets().values()), ids=lambda t: t.id)
def test_every_target_quote_stands_in_its_source(target):
    file, quote = target.source.split(": ", 1)
    assert quote in source_text(file)


def test_every_parameter_source_names_a_file_or_says_assumption():
    for pid, p in parameters().items():
        files = re.findall(r"\b(\d{3}_[0-9a-f]{16}\.txt|MODEL\.md)\b", p.source)
        for f in files:
            source_text(f)
        assert files or "假设 assumption" in p.source or re.search(r"\b(00[0-4])\b", p.source), pid
