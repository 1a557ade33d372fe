"""拖动预览 Live lever (app/live.py) in the running script: off by default, then a chart whose slider drags a lever.

What the browser does with it (the chart follows a drag without the server; a release moves the sidebar's slider
and the page) is checked in Chromium (test_app_browser.py::test_a_dragged_lever_is_followed_then_projected).
"""

from __future__ import annotations

import math
import re

import pytest
from app_testkit import charts, keyed, new_app, run

from growthsim.app.live import K_INDICATOR, K_LEVER, K_ON, PARAM, offered_levers, released_value
from growthsim.simulation.registry import parameters

CJK = re.compile(r"[\u3400-\u9fff]")
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


def _words(spec: dict) -> list[str]:
    """Every word the chart shows: title, legend entries, the slider's label, the text alternative."""
    colour = next(layer["encoding"]["color"]["scale"]["domain"] for layer in spec["layer"]
                  if "encoding" in layer and "color" in layer["encoding"])
    title = spec["title"]["text"]
    return [*(title if isinstance(title, list) else [title]), *colour, spec["params"][0]["bind"]["name"]]


def _live(lang: str = "zh"):
    at = run(new_app({"lang": "en"} if lang == "en" else None))
    assert "chart_live" not in charts(at)  # off by default: no grid is run for a planner who does not ask
    at.toggle(key=K_ON).set_value(True)
    return run(at)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_preview_drags_a_lever_over_its_range_in_one_language(lang):
    at = _live(lang)
    spec = charts(at)["chart_live"]
    p = parameters()["upgrade_target"]  # the first lever offered: the editor's first
    assert keyed(at.selectbox, K_LEVER).value == "upgrade_target"
    # 小升规 moves the firm count most (it adds firms one for one): the indicator chosen for it
    assert keyed(at.selectbox, f"{K_INDICATOR}_upgrade_target").value == "above_scale_firms"
    param = spec["params"][0]
    assert param["name"] == PARAM and param["bind"]["input"] == "range"
    assert (param["bind"]["min"], param["bind"]["max"], param["bind"]["step"]) == (p.lower, p.upper, 1)
    assert param["value"] == 405  # the slider starts at the scenario's value: Qingdao's 405 a year (levers.toml)
    grid = sorted({r["g"] for r in spec["data"]["values"] if r["kind"] == "grid"})
    assert grid == [120.0 * k for k in range(11)]
    words = _words(spec)
    if lang == "zh":
        assert not [w for w in words if LATIN_WORD.search(w)], words
    else:
        assert not [w for w in words if CJK.search(w)], words


def test_another_lever_starts_on_the_indicator_it_moves_most():
    at = _live()
    keyed(at.selectbox, K_LEVER).set_value("tech_renovation_investment_growth")
    run(at)
    spec = charts(at)["chart_live"]
    p = parameters()["tech_renovation_investment_growth"]
    assert (spec["params"][0]["bind"]["min"], spec["params"][0]["bind"]["max"]) == (p.lower, p.upper)
    from growthsim.live import lever_grid, moved_most
    from growthsim.runner import RunSettings, load_calibration
    from growthsim.simulation.indicators import shown_in

    cal = load_calibration(RunSettings(seed=20211))
    grid = lever_grid(cal, {}, p.id, shown_in("headline"), draws=1000, seed=20211, horizon=2030)
    assert keyed(at.selectbox, f"{K_INDICATOR}_{p.id}").value == moved_most(grid)
    # and back: 小升规 keeps its own choice, the firm count (a QA walk found the box and the chart disagreeing
    # after two lever changes, and a KeyError, when one choice was shared and reset)
    keyed(at.selectbox, K_LEVER).set_value("upgrade_target")
    run(at)
    assert keyed(at.selectbox, f"{K_INDICATOR}_upgrade_target").value == "above_scale_firms"
    assert charts(at)["chart_live"]["usermeta"]["label"].startswith("规模以上工业企业数量")


def test_a_released_value_is_a_number_on_the_levers_step_within_its_bounds():
    firms, growth = parameters()["upgrade_target"], parameters()["tech_renovation_investment_growth"]
    assert released_value(firms, 480.4) == 480 and isinstance(released_value(firms, 480.4), int)
    assert released_value(firms, 5000) == firms.upper  # brought inside the bounds
    assert released_value(firms, -3) == firms.lower
    assert released_value(growth, 12.26) == 12.5  # on the 0.5-point step
    for bad in (None, "480", True, math.nan, math.inf, [480]):
        assert released_value(firms, bad) is None, bad


def test_the_switch_stays_on_across_pages():
    """The QA walk found the preview off again after a visit to another page (its widget's state was dropped)."""
    at = _live()
    keyed(at.radio, "page").set_value("compare")
    run(at)
    keyed(at.radio, "page").set_value("projections")
    run(at)
    assert at.toggle(key=K_ON).value is True
    assert "chart_live" in charts(at)


def test_only_levers_the_projection_reads_are_offered():
    """The event engine's own levers (帮包服务门槛 and the like) do not enter the page's projection: a preview of
    one was flat at every value (found by the QA walk)."""
    from growthsim.simulation.events import EVENT_PARAMETERS

    offered = offered_levers({})
    assert "upgrade_target" in offered and "service_output_threshold" not in offered
    assert not set(offered) & set(EVENT_PARAMETERS)
    assert "upgrade_target" not in offered_levers({"upgrade_target": {2027: 500.0}})  # a year table is its path


def test_a_year_without_a_band_is_not_drawn_as_zero():
    """Industrial investment growth has no value in the base year: the preview once summed that blank as 0 and
    drew the line from 0 % (QA walk). Every row the chart interpolates has a finite median and band."""
    at = _live()
    keyed(at.selectbox, f"{K_INDICATOR}_upgrade_target").set_value("industrial_investment_growth")
    run(at)
    rows = [r for r in charts(at)["chart_live"]["data"]["values"] if r["kind"] in ("grid", "now")]
    assert rows and all(math.isfinite(r[q]) for r in rows for q in ("p10", "p50", "p90"))
    assert min(r["year"] for r in rows) == 2026  # 2025, the base year, has no growth of its own in the projection
