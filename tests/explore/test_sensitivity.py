"""Sensitivity over time: structurally right indices, independent of workers, written atomically."""

from __future__ import annotations

import difflib
import json
import math
import os
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import growthsim.explore.sensitivity as sens
from growthsim.calibration.targets import targets
from growthsim.errors import UserInputError
from growthsim.explore.common import projected_targets, write_folder
from growthsim.explore.sensitivity import (
    Outcome,
    SensitivitySettings,
    _analyze_one,
    chart_targets,
    evaluate,
    factor_list,
    indicators_over_time,
    load_result,
    output_files,
    problem,
    run_sensitivity,
    sobol_indices,
    to_values,
    year_matrix,
)
from growthsim.simulation.batch import simulate_settings, used_parameters
from growthsim.simulation.registry import parameters

FACTORS = ("upgrade_target", "upgrade_pool_ratio", "upgrade_realisation_rate", "exit_rate",
           "high_tech_growth_premium", "key_firm_growth", "demand_shock_year", "demand_shock_size")


@pytest.fixture(scope="module")
def small(calibration):
    s = SensitivitySettings(n=64, trajectories=8, draws=30, seed=11, parameters=FACTORS, workers=1, resamples=20)
    return run_sensitivity(calibration, s)


def _indices(res, outcome):
    return res.sobol[res.sobol.outcome == outcome].set_index("parameter")


def test_a_factor_that_cannot_reach_an_outcome_gets_exactly_zero(small):
    ht = _indices(small, "high_tech_share:2028")   # 2026-2030 are projected (data through 2025)
    others = ht.drop(index="high_tech_growth_premium")
    # common random numbers: changing an unrelated factor changes the outcome not at all, so ST = 0 exactly
    assert (others.ST == 0.0).all()
    # the premium is then the only source of variance (ST near 1; the Sobol estimator's error is a few %)
    assert ht.loc["high_tech_growth_premium", "ST"] == pytest.approx(1.0, abs=0.1)
    mo = small.morris[small.morris.outcome == "high_tech_share:2028"].set_index("parameter")
    assert (mo.drop(index="high_tech_growth_premium").mu_star == 0.0).all()  # Morris agrees: no effect at all


@pytest.mark.parametrize("year", [2026, 2030])
def test_upgrades_depend_only_on_the_upgrade_levers(small, year):
    up = _indices(small, f"firm_upgrades:{year}")
    levers = ["upgrade_target", "upgrade_pool_ratio", "upgrade_realisation_rate"]
    # upgrades = count around target × ratio × rate, landing with the business climate: the cycle (its AR(1)
    # noise is common to every sample and no factor here moves it) less a demand shock's loss, so the shock's
    # size and year may matter too (a shock before the outcome's year depresses it); nothing else
    shock = [f for f in ("demand_shock_size", "demand_shock_year", "demand_shock_recovery") if f in up.index]
    assert (up.drop(index=levers + shock).ST == 0.0).all()
    assert (up.loc[levers, "ST"] > 0.05).all()     # each of the three matters over its registry range
    # the target spans 0-1200 firms, the others a factor of 2 or 3: it leads
    assert up.ST.idxmax() == "upgrade_target"


def test_the_indicators_over_time_are_those_with_a_year_matrix(small):
    """The page's list of indicators with a factor x year table is read off the results in one look; it names
    exactly the indicators whose table (built one by one before) is not empty."""
    res = small
    with_table = {i for i in res.sobol.indicator.unique() if not year_matrix(res, i).empty}
    assert indicators_over_time(res) == with_table and with_table
    assert indicators_over_time(res, "mu_star") == {i for i in res.morris.indicator.unique()
                                                   if not year_matrix(res, i, "mu_star").empty}


def test_reported_flows_are_constant_and_said_so(calibration):
    # projections start after the last reported year, so the shipped base imposes no flow (base.history is empty);
    # a base state that imposes one (a fixture: 350 upgrades reported for 2026) must hold it in every sample
    assert dict(calibration.base.history) == {}
    cal = replace(calibration, base=replace(calibration.base, history={2026: {"firm_upgrades": 350.0}}))
    res = run_sensitivity(cal, SensitivitySettings(n=16, trajectories=4, draws=10, seed=11, horizon=2027,
                                                   parameters=FACTORS[:4], workers=1, resamples=10))
    row = res.drivers[res.drivers.outcome == "firm_upgrades:2026"].iloc[0]
    assert "constant" in row.note
    assert res.sobol[res.sobol.outcome == "firm_upgrades:2026"].empty
    # the next year is not reported: the upgrade levers drive it again
    assert res.drivers[res.drivers.outcome == "firm_upgrades:2027"].iloc[0].driver_1 == "upgrade_target"


def test_whole_number_factors_take_each_whole_value(calibration):
    fs = factor_list(["upgrade_target", "project_lag_years", "demand_shock_year", "exit_rate"], 2025, 2030,
                     data_through=2025)
    X = np.column_stack([np.linspace(0, 1, 4001) * (f.sample_bounds[1] - f.sample_bounds[0]) + f.sample_bounds[0]
                         for f in fs])
    V = to_values(fs, X)
    assert set(np.unique(V[:, 1])) == {0.0, 1.0, 2.0, 3.0}  # the project lag: 0-3 years, each reached
    # the shock year is sampled over the unreported projection years 2026-2030 only (2025 is reported)
    assert set(np.unique(V[:, 2])) == {2026.0, 2027.0, 2028.0, 2029.0, 2030.0}
    # upgrade_target: whole firms, its registry bounds 0-1200 both reached
    assert np.all(V[:, 0] == np.floor(V[:, 0])) and V[:, 0].min() == 0 and V[:, 0].max() == 1200
    assert V[:, 3].min() == 2.0 and V[:, 3].max() == 10.0  # a continuous factor keeps its registry bounds


def test_outcomes_are_means_and_shares_over_the_draws(calibration):
    names = ["upgrade_target", "key_firm_growth"]
    values = np.array([[300.0, 10.0], [800.0, 25.0]])
    t = targets()["gdp_growth_2026"]
    outs = [Outcome("mean", "gdp_real_growth", 2026), Outcome("probability", t.indicator, t.year, t.id)]
    got = evaluate(calibration.base, calibration.posterior, names, values, 2030, 40, 5, outs)
    res = simulate_settings(calibration.base, calibration.posterior, names, values,
                            np.arange(2026, 2031), 40, np.random.default_rng(5))
    growth = res["gdp_real_growth"][:, :, 1]   # 2026: the column after the base year 2025
    assert np.array_equal(got[:, 0], growth.mean(axis=1))          # the mean over each sample's 40 draws
    assert np.array_equal(got[:, 1], (growth >= 5.0).mean(axis=1))  # "5%以上" is met at 5.0 or more
    assert 0 < got[0, 1] < got[1, 1] < 1  # faster key firms raise the chance (and neither is certain)


def test_results_do_not_depend_on_workers_or_chunking(calibration, monkeypatch):
    s1 = SensitivitySettings(n=16, trajectories=4, draws=20, seed=3, parameters=FACTORS[:5], workers=1,
                             resamples=10)
    a = run_sensitivity(calibration, s1)
    monkeypatch.setattr(sens, "CHUNK_ROWS", 100)  # 5 samples a chunk instead of 1280
    s2 = SensitivitySettings(**{**s1.__dict__, "workers": 2})
    b = run_sensitivity(calibration, s2)
    pd.testing.assert_frame_equal(a.sobol, b.sobol, check_exact=True)
    pd.testing.assert_frame_equal(a.morris, b.morris, check_exact=True)


def test_the_output_folder_is_complete_and_reproducible(small, tmp_path):
    files = output_files(small, "en", png=True)
    written = write_folder(tmp_path / "out", files)
    names = {p.relative_to(tmp_path / "out").as_posix() for p in written}
    assert {"sobol.csv", "morris.csv", "drivers.csv", "manifest.json",
            "targets/gdp_growth_2026.csv", "tornado/gdp_growth_2026.html", "tornado/gdp_growth_2026.png"} <= names
    # only targets of projected years are charted: the 2024 and 2025 targets are history
    assert not any(n.startswith(("targets/", "tornado/")) and ("2024" in n or "2025" in n) for n in names)
    assert [p.name for p in (tmp_path / "out").iterdir() if p.name.startswith(".")] == []  # no temp folder left
    html = (tmp_path / "out" / "tornado" / "gdp_growth_2026.html").read_text(encoding="utf-8")
    # charts work offline: Vega's script is inside the page, and no script is fetched from anywhere
    assert "<script src" not in html.replace("'", '"') and "vegaEmbed" in html and '<html lang="en">' in html
    assert "Real GDP growth 5% or more in 2026" in html
    assert (tmp_path / "out" / "tornado" / "gdp_growth_2026.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["runs"]["sobol_samples"] == 64 * (len(FACTORS) + 2)  # N (k + 2) without second order
    again = output_files(small, "en", png=False)
    assert again["sobol.csv"] == files["sobol.csv"]  # byte for byte
    write_folder(tmp_path / "out", again)  # a second run without PNGs into the same folder
    assert not list((tmp_path / "out" / "tornado").glob("*.png"))  # the first run's PNGs do not linger
    (tmp_path / "out" / "mine.txt").write_text("kept")
    write_folder(tmp_path / "out", again)
    assert (tmp_path / "out" / "mine.txt").exists()  # only files a manifest listed are ever removed
    back = load_result(tmp_path / "out")
    gdp = back.sobol[back.sobol.outcome == "probability:gdp_growth_2026"].set_index("parameter").ST
    orig = small.sobol[small.sobol.outcome == "probability:gdp_growth_2026"].set_index("parameter").ST
    assert len(orig) == len(FACTORS)  # the probability varies across samples, so it was analysed
    assert np.allclose(gdp, orig, rtol=1e-5, atol=1e-12)  # the CSV keeps 6 significant digits


@pytest.mark.parametrize("kw, fragment", [
    ({"n": 1000}, "power of two"), ({"methods": ("sobol", "fast")}, "--method fast"), ({"levels": 3}, "even number"),
    ({"horizon": 2040}, "--horizon 2040"), ({"draws": 0}, "--draws 0"),
    ({"targets": ("mfg_share_2025",)}, "its year 2025 is not a projected year"),
    ({"targets": ("mfg_share_2025",)}, "只能选择 2026–2030 年的目标"),   # the allowed years, to the horizon
    ({"targets": ("gdp_growth_2062",)}, "did you mean gdp_growth_2026"),
])
def test_bad_settings_are_refused(calibration, kw, fragment):
    with pytest.raises(UserInputError) as exc:
        run_sensitivity(calibration, SensitivitySettings(**kw))
    assert fragment in exc.value.text("en" if fragment.isascii() else "zh")  # each language has its message


def test_unknown_factor_gets_a_suggestion():
    with pytest.raises(UserInputError, match="did you mean exit_rate"):
        factor_list(["exit_rat", "upgrade_target"], 2020, 2025)


def test_targets_default_to_those_after_the_last_reported_year_or_the_ones_named(small, calibration):
    # default: every tracked target in 2026-2030, by year, first the first one after 2025
    ahead = [t.id for t in projected_targets(2025, 2030)]
    assert ahead[0] == "gdp_growth_2026" and len(ahead) > 1
    assert [t.id for t in chart_targets(small)] == ahead
    assert [o.target_id for o in small.outcomes if o.kind == "probability"] == ahead
    named = run_sensitivity(calibration, SensitivitySettings(n=8, trajectories=2, draws=5, seed=11,
                                                             parameters=FACTORS[:3], methods=("morris",),
                                                             targets=("gdp_growth_2026",), workers=1,
                                                             resamples=10))
    assert [t.id for t in chart_targets(named)] == ["gdp_growth_2026"]


def test_factors_are_the_parameters_the_annual_model_reads(calibration):
    res = run_sensitivity(calibration, SensitivitySettings(n=4, trajectories=2, draws=2, seed=1, methods=("morris",),
                                                           workers=1, resamples=10))
    used = used_parameters(calibration.base, calibration.posterior, 2030)
    assert [f.id for f in res.factors] == used   # every parameter the model reads, in registry order
    # the event engine's parameters are left out, and said so
    assert res.not_in_model == [p for p in parameters() if p not in used]
    assert {"project_stall_probability", "service_capacity"} <= set(res.not_in_model)


def ishigami(X, a=7.0, b=0.1):
    return np.sin(X[:, 0]) + a * np.sin(X[:, 1]) ** 2 + b * X[:, 2] ** 4 * np.sin(X[:, 0])


def test_the_sobol_pipeline_recovers_the_ishigami_indices():
    # Known answer (Ishigami & Homma 1990; SALib tests its sobol analysis on it): x1..x3 uniform on [-pi, pi],
    # f = sin x1 + a sin^2 x2 + b x3^4 sin x1 with a = 7, b = 0.1. Analytic variances:
    a, b, pi = 7.0, 0.1, math.pi
    v1 = 0.5 * (1 + b * pi ** 4 / 5) ** 2
    v2 = a ** 2 / 8
    v13 = b ** 2 * pi ** 8 * (1 / 18 - 1 / 50)         # the x1-x3 interaction (x3 acts only through it)
    v = v1 + v2 + v13                                  # = a^2/8 + b pi^4/5 + b^2 pi^8/18 + 1/2 = 13.84
    s1 = np.array([v1 / v, v2 / v, 0.0])               # 0.3139, 0.4424, 0
    st = np.array([(v1 + v13) / v, v2 / v, v13 / v])   # 0.5576, 0.4424, 0.2437
    assert np.allclose(s1, [0.3139, 0.4424, 0.0], atol=1e-4) and np.allclose(st, [0.5576, 0.4424, 0.2437], atol=1e-4)
    prob = {"num_vars": 3, "names": ["x1", "x2", "x3"], "bounds": [[-pi, pi]] * 3}
    X, Y, found = sobol_indices(prob, 4096, ishigami, seed=20211, resamples=100)
    assert X.shape == (4096 * (3 + 2), 3) and Y.shape == (len(X), 1)   # N (k + 2) runs without second order
    si = found[0]
    # N = 4096 Saltelli samples: the estimates lie within 0.02 of the truth (0.007 today; SALib's own test allows
    # 0.05), and the bootstrap 95 % intervals are below 0.05
    assert np.allclose(si["S1"], s1, atol=0.02), si["S1"]
    assert np.allclose(si["ST"], st, atol=0.02), si["ST"]
    assert (si["ST_conf"] < 0.05).all() and (si["S1_conf"] < 0.05).all()
    # second order: the only interaction is x1-x3 (S13 = v13 / v = 0.2437); x1-x2 and x2-x3 are 0
    X2, _, found2 = sobol_indices(prob, 4096, ishigami, seed=20211, second_order=True)
    assert len(X2) == 4096 * (2 * 3 + 2)
    s2 = found2[0]["S2"]
    assert abs(s2[0, 2] - v13 / v) < 0.05 and abs(s2[0, 1]) < 0.05 and abs(s2[1, 2]) < 0.05


def test_the_salib_call_the_project_makes_recovers_the_ishigami_indices():
    # the same known answer through the project's own SALib call (_analyze_one), on a factor problem built by
    # the project (problem()): three factors whose registry bounds are [-pi, pi] in all but name
    from growthsim.explore.sensitivity import Factor
    factors = [Factor(f"x{i}", -math.pi, math.pi, False) for i in (1, 2, 3)]
    prob = problem(factors)
    from SALib.sample import sobol as sobol_sample
    X = sobol_sample.sample(prob, 2048, calc_second_order=False, seed=np.random.default_rng(7))
    si = _analyze_one("sobol", prob, ishigami(to_values(factors, X)), None,
                      {"second_order": False, "resamples": 100, "seed": 7})
    assert np.allclose(si["S1"], [0.3139, 0.4424, 0.0], atol=0.04), si["S1"]
    assert np.allclose(si["ST"], [0.5576, 0.4424, 0.2437], atol=0.04), si["ST"]


def test_the_tornado_draws_a_first_order_estimate_inside_its_bounds_and_tells_it_as_computed(small):
    """0 <= S1 <= ST in theory; an estimate outside (sampling error at small N) is drawn at the bound, while the
    tooltip's field keeps the estimate as computed."""
    from dataclasses import replace as dc_replace

    target = chart_targets(small)[0]
    sobol = small.sobol.copy()
    rows = sobol.outcome.str.startswith(f"{target.indicator}:{target.year}")
    movers = sobol[rows].sort_values("ST", ascending=False).parameter.head(2).tolist()
    above, below = movers  # the two factors that move the target most: both are drawn
    sobol.loc[rows & (sobol.parameter == above), "S1"] = sobol.loc[rows & (sobol.parameter == above), "ST"] + 0.2
    sobol.loc[rows & (sobol.parameter == below), "S1"] = -0.05
    panel = sens.tornado_panels(dc_replace(small, sobol=sobol), target, "en")[0]
    by_factor = {r["factor"]: r for r in panel["data"]["values"]}
    reg = parameters()
    hi, lo = by_factor[reg[above].label_en], by_factor[reg[below].label_en]
    assert hi["first"] == hi["value"] and hi["first_estimate"] == pytest.approx(hi["value"] + 0.2)
    assert lo["first"] == 0.0 and lo["first_estimate"] == pytest.approx(-0.05)
    inside = [r for r in panel["data"]["values"] if r not in (hi, lo)]
    assert all(0.0 <= r["first"] <= r["value"] + 1e-12 for r in inside)
    assert any(layer["encoding"].get("tooltip", [{}])[0].get("field") == "first_estimate" for layer in panel["layer"])


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_long_factor_name_is_drawn_whole_on_two_lines(small, lang):
    """Drawn by Vega itself (vl-convert, the engine the browser runs): a name too long for one line is split in
    two, nothing is cut to '…', and a short name stays on one line."""
    import re

    import vl_convert as vlc

    target = chart_targets(small)[0]
    panel = sens.tornado_panels(small, target, lang)[0]
    panel = panel | {"data": {"values": panel["data"]["values"] + [
        {**panel["data"]["values"][0], "factor": name} for name in (LONG[lang], SHORT[lang])]}}
    panel["layer"][0]["encoding"]["y"]["sort"] = None  # every name drawn, the two added ones included
    svg = vlc.vegalite_to_svg(panel)
    # each <text> as its lines: Vega writes a multi-line label as one <tspan> per line
    labels = [re.findall(r"<tspan[^>]*>(.*?)</tspan>", t) or [t]
              for t in re.findall(r"<text[^>]*>(.*?)</text>", svg, flags=re.S)]
    assert not any("…" in line for lines in labels for line in lines)
    assert list(LINES[lang]) in labels  # the long name whole, on two lines
    assert [SHORT[lang]] in labels  # a short name on one line


LONG = {"en": "Trend real growth outside manufacturing (start year)",
        "zh": "制造业以外GDP趋势增速（起始年）测试用长名称"}
SHORT = {"en": "Demand shock year", "zh": "需求冲击年份"}
# en: the last space within 26 characters; zh: after 12 characters
LINES = {"en": ("Trend real growth outside", "manufacturing (start year)"),
         "zh": ("制造业以外GDP趋势增速", "（起始年）测试用长名称")}


PAGE_GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "sensitivity_page.json"


def _page_views(res) -> dict:
    """What the app's sensitivity page draws from a result, in both languages: the first target's tornado panels
    and index table, the default indicator's heatmap (and the first other one), the leading-factor table."""
    from growthsim.app import page_sensitivity as page

    target = chart_targets(res)[0]
    shown = sorted(indicators_over_time(res))
    heat = ["mfg_va_share_gdp"] + [i for i in shown if i != "mfg_va_share_gdp"][:1]
    return {lang: {"tornado": sens.tornado_panels(res, target, lang),
                   "index_table": page._index_table(sens.target_table(res, target), lang).to_dict("split"),
                   "heatmaps": {i: page.indicator_heatmap(res, i, lang) for i in heat},
                   "leading": page.leading_table(res, lang).to_dict("split")}
            for lang in ("zh", "en")}


def test_the_sensitivity_page_draws_what_it_drew(small):
    # The page's charts' specifications and its tables, byte for byte as the page drew them before its views were
    # cached (tests/golden/sensitivity_page.json, from the `small` analysis: seed 11, N = 64, 8 factors). A
    # change in the model moves the indices: regenerate with GROWTHSIM_UPDATE_GOLDEN=1 and say why.
    text = json.dumps(_page_views(small), ensure_ascii=False, sort_keys=True, indent=1) + "\n"
    if os.environ.get("GROWTHSIM_UPDATE_GOLDEN") == "1":
        PAGE_GOLDEN.write_text(text, encoding="utf-8")
    assert PAGE_GOLDEN.is_file(), f"{PAGE_GOLDEN.name} missing: generate it with GROWTHSIM_UPDATE_GOLDEN=1"
    golden = PAGE_GOLDEN.read_text(encoding="utf-8")
    if text != golden:
        diff = difflib.unified_diff(golden.splitlines(), text.splitlines(), "golden", "now", lineterm="", n=1)
        pytest.fail("the sensitivity page's views differ from the golden:\n" + "\n".join(list(diff)[:40]))
