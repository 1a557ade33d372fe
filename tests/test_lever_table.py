"""README's lever table is a known-answer test: every number in it is what the model computes now, and the
model's numbers stand where the evidence beside them puts them."""

from __future__ import annotations

import math
import re
from pathlib import Path

import numpy as np
import pytest

from growthsim.explore.levers import headers, lever_table
from growthsim.simulation.model import project
from growthsim.simulation.scenario import baseline

README = Path(__file__).resolve().parent.parent / "README.md"
COLUMNS = ("first_year", "growth_first_year", "gross_first_year", "growth_horizon", "share_horizon", "firms_horizon")


@pytest.fixture(scope="module")
def table(calibration):
    # the README's command: `growthsim levers --markdown` with its defaults (2,000 draws, seed 20211), on the
    # calibration of seed 20211 (the session's fixture is that calibration)
    return lever_table(calibration).set_index("lever")


def readme_rows() -> dict[str, list[str]]:
    """The README table's cells by lever id (the id is the `code` in the first cell)."""
    text = README.read_text(encoding="utf-8")
    head = "| " + " | ".join(headers("en")) + " |"
    assert head in text, "README has no lever table"
    lines = text[text.index(head):].splitlines()[2:]
    rows = {}
    for line in lines:
        if not line.startswith("|"):
            break
        cells = [c.strip() for c in line.strip("|").split("|")]
        rows[re.search(r"`(\w+)`", cells[0]).group(1)] = cells[1:7]
    return rows


def cell_value(cell: str) -> float:
    return math.nan if cell == "—" else float(cell)


def test_the_readme_table_is_what_the_model_computes(table):
    """Each number as README prints it, against the model's. Tolerance: half a unit of the last digit README
    prints (4 decimals for points, 2 for firms): the computation is the same (same calibration, draws and
    seed), so only README's rounding may differ."""
    rows = readme_rows()
    assert set(rows) == set(table.index)
    for lever, cells in rows.items():
        model = table.loc[lever]
        first = model["first_year"]
        assert cells[0] == ("—" if first is None or first != first else str(int(first))), lever
        for col, cell, digits in zip(COLUMNS[1:], cells[1:], (4, 4, 4, 4, 2), strict=True):
            want, got = cell_value(cell), float(model[col])
            if math.isnan(want):
                assert math.isnan(got), (lever, col)
            else:
                assert abs(got - want) <= 0.5 * 10 ** -digits + 1e-12, (lever, col, got, want)


def test_upgrades_move_firms_and_no_growth(table):
    """Comparable basis: an upgrade adds nothing to growth or the share in any year (exactly 0). By 2030 one
    more upgrade a year adds about 4.5 firms: five years of one more, each surviving the exit rate (2-10 %,
    so between 4.1 and 4.9), times the landing factor's mean near 1."""
    up = table.loc["upgrade_target"]
    assert up["first_year"] is None or up["first_year"] != up["first_year"]
    assert up["growth_first_year"] == up["growth_horizon"] == up["share_horizon"] == 0.0
    assert 4.0 < up["firms_horizon"] < 5.0


def test_a_project_stands_where_the_bureaus_figures_put_it(calibration, table):
    """The project lever acts after its one-year lag: nothing in 2026; in 2027 the gross first-year
    contribution per project (the bureau's accounting) lies between what 2024's projects at their real size
    would add on 2026's output (0.029 x Y2023 / Y2026) and 2024's own 0.029 points; the net effect is the gross
    less displacement, (1 - d) times it, d the posterior mean (within 0.001: the mean of a ratio over draws
    against the ratio of means)."""
    pr = table.loc["incremental_projects"]
    assert pr["first_year"] == calibration.base_year + 2 == 2027 and pr["growth_2026"] == 0.0
    g = calibration.history["above_scale_va_growth"].mean(axis=0)
    years = list(calibration.history_years)
    y2023 = 9589.3 * np.prod(1 + g[years.index(2021):years.index(2023) + 1] / 100)  # 2020's output, grown
    base = project(calibration.base, baseline(), calibration.posterior, 2026, 2000, np.random.default_rng(20211))
    y2026 = float(np.mean(calibration.base.state["output"])) * (1 + np.mean(base.at("above_scale_va_growth", 2026))
                                                                / 100)
    assert 0.029 * y2023 / y2026 < pr["gross_first_year"] < 0.029
    d = calibration.posterior.default("project_displacement")
    assert pr["growth_first_year"] == pytest.approx((1 - d) * pr["gross_first_year"], abs=1e-3)
    # the carry: by 2030 a sustained project a year adds more than its first year (entry plus last year's rest)
    assert pr["growth_horizon"] > pr["growth_first_year"]
