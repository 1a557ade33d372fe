"""The live lever preview's grid (growthsim/live.py): exact at its values, linear between them.

The preview is honest only if (a) at a grid value it is exactly the run the page would make for that value, and
(b) between values it is the linear interpolation the chart's Vega expression draws. Both are checked here on
Qingdao's calibration (seed 20211, the default), with 300 draws to keep the test short.
"""

from __future__ import annotations

import numpy as np
import pytest

from growthsim.live import BAND, grid_values, interpolate, lever_grid, moved_most
from growthsim.runner import RunSettings, load_calibration, run
from growthsim.settings import DEFAULT_SEED
from growthsim.simulation.registry import parameters
from growthsim.simulation.scenario import Scenario

DRAWS, HORIZON = 300, 2030
INDICATORS = ("mfg_va_share_gdp", "above_scale_firms")


@pytest.fixture(scope="module")
def cal():
    return load_calibration(RunSettings(seed=DEFAULT_SEED))


@pytest.fixture(scope="module")
def grid(cal):
    return lever_grid(cal, {}, "upgrade_target", INDICATORS, draws=DRAWS, seed=DEFAULT_SEED, horizon=HORIZON)


def test_grid_values_span_the_range_on_the_slider_step():
    reg = parameters()
    # 0-1200 firms a year in 11 values: every 120 (closed form: 1200 / 10)
    assert grid_values(reg["upgrade_target"]) == tuple(float(120 * k) for k in range(11))
    # a whole-number lever with four possible values (0-3 years) gets each once
    assert grid_values(reg["project_lag_years"]) == (0.0, 1.0, 2.0, 3.0)
    for p in (p for p in reg.values() if p.kind == "lever"):
        g = grid_values(p)
        assert g[0] == p.lower and g[-1] == p.upper and list(g) == sorted(set(g)), p.id
        steps = (np.asarray(g) - p.lower) / p.step
        assert np.allclose(steps, np.round(steps)), p.id  # the slider can stop on every grid value


def test_a_grid_of_fewer_than_two_values_is_refused():
    with pytest.raises(ValueError, match="two values"):
        grid_values(parameters()["upgrade_target"], 1)


def test_each_grid_run_is_the_pages_own_run_at_that_value(cal, grid):
    """Same seed, draws and horizon: the grid's band at 360 firms a year is the runner's, number for number."""
    v = grid.values[3]
    settings = RunSettings(draws=DRAWS, seed=DEFAULT_SEED, horizon=HORIZON)
    table = run([Scenario("s", "", "", values={"upgrade_target": v})], settings, cal, desk=False).projection_table
    for ind in INDICATORS:
        exact = table[table.indicator == ind].set_index("year")[list(BAND)]
        got = interpolate(grid, ind, v).set_index("year")[list(BAND)]
        assert got.equals(exact), ind


def test_between_two_grid_values_the_preview_is_linear(grid):
    """At a quarter of the way from 120 to 240 firms, each quantile is 3/4 of the first run's plus 1/4 of the
    second's (closed form of linear interpolation)."""
    a, b = grid.values[1], grid.values[2]
    at_a = interpolate(grid, "above_scale_firms", a).set_index("year")
    at_b = interpolate(grid, "above_scale_firms", b).set_index("year")
    quarter = interpolate(grid, "above_scale_firms", a + (b - a) / 4).set_index("year")
    assert np.allclose(quarter[list(BAND)], 0.75 * at_a[list(BAND)] + 0.25 * at_b[list(BAND)])
    with pytest.raises(ValueError, match="outside"):
        interpolate(grid, "above_scale_firms", 1201)


def test_more_firm_upgrades_raise_the_firm_count_most(grid):
    """小升规 adds firms to the count one for one: of the two indicators it moves the firm count most (relative to
    its band), and the count's 2030 median rises with every step of the grid."""
    assert moved_most(grid) == "above_scale_firms"
    last = grid.table[(grid.table.indicator == "above_scale_firms") & (grid.table.year == HORIZON)]
    assert (np.diff(last.sort_values("value").p50.to_numpy()) > 0).all()


def test_an_uncertainty_is_not_a_lever_to_drag(cal):
    with pytest.raises(ValueError, match="not a lever"):
        lever_grid(cal, {}, "growth_long_run", INDICATORS, draws=10, seed=1, horizon=HORIZON)
