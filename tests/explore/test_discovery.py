"""Scenario discovery: known boxes are found, and the sentences state exactly what the runs show."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from growthsim.errors import UserInputError
from growthsim.explore.discovery import discover, prim_trajectory, tree_boxes
from growthsim.explore.sweep import SweepSpec, load_sweep, parse_vary, run_sweep
from growthsim.simulation.registry import parameters
from growthsim.simulation.scenario import baseline


def synthetic(n=3000, seed=0):
    rng = np.random.default_rng(seed)
    X = pd.DataFrame(rng.random((n, 3)), columns=["a", "b", "c"])
    y = ((X.a > 0.6) & (X.b < 0.3)).to_numpy()
    return X, y


def test_prim_finds_a_known_box():
    X, y = synthetic()
    steps = prim_trajectory(X, y, alpha=0.05, min_support=0.05)
    box, density, coverage, _ = next(s for s in steps if s[1] >= 0.95)
    lo_a, hi_a = box.limits["a"]
    lo_b, hi_b = box.limits["b"]
    # the box of interest is a > 0.6 and b < 0.3: peeling reaches it to within a couple of peels
    assert 0.55 <= lo_a <= 0.65 and hi_a > 0.99
    assert 0.25 <= hi_b <= 0.32 and lo_b < 0.01
    assert box.limits["c"][0] < 0.05 and box.limits["c"][1] > 0.95  # c is irrelevant: at most lightly peeled
    assert coverage > 0.8  # most cases of interest remain inside


def test_a_decision_tree_finds_the_same_box():
    X, y = synthetic()
    boxes = tree_boxes(X, y, seed=0, max_depth=2, min_leaf=0.02)
    best = max(boxes, key=lambda b: y[b.mask(X)].mean() * y[b.mask(X)].sum())
    assert best.limits["a"][0] == pytest.approx(0.6, abs=0.01)   # splits sit between neighbouring samples
    assert best.limits["b"][1] == pytest.approx(0.3, abs=0.01)   # ... on both sides of the true limits
    assert y[best.mask(X)].mean() == 1.0  # the leaf holds cases of interest only


def grid_sweep():
    """A full grid where the (synthetic) target is met exactly when upgrades ≥ 600 and renovation ≥ 15 %."""
    ups = np.arange(0, 1201, 50.0)
    ren = np.arange(-20, 41, 5.0)
    rows = list(itertools.product(ups, ren))
    res = pd.DataFrame(rows, columns=["upgrade_target", "tech_renovation_investment_growth"])
    good = (res.upgrade_target >= 600) & (res.tech_renovation_investment_growth >= 15)
    res["prob__gdp_growth_2026"] = np.where(good, 0.9, 0.1)
    res.insert(0, "run_id", np.arange(len(res)))
    # as sweep.json writes it: data through 2025, projections 2026-2030
    definition = {"vary": [{"id": "upgrade_target", "lower": 0.0, "upper": 1200.0},
                           {"id": "tech_renovation_investment_growth", "lower": -20.0, "upper": 40.0}],
                  "horizon": 2030, "base_year": 2025}
    return definition, res


@pytest.mark.parametrize("method", ["prim", "tree"])
def test_the_sentence_states_the_box_in_both_languages(method):
    definition, res = grid_sweep()
    f = discover(definition, res, "gdp_growth_2026", 0.8, method, scenario_title=("基准情景", "Baseline"))
    inside = (res.upgrade_target >= 600) & (res.tech_renovation_investment_growth >= 15)
    n = int(inside.sum())  # 13 target levels × 6 renovation levels = 78 runs
    # exactly the true box: every run in it counts, and every run that counts is in it
    assert f.in_box == n == 78 and f.density == 1.0 and f.coverage == 1.0
    assert f.mean_probability == pytest.approx(0.9, abs=1e-12)  # every run in the box has 0.9
    # conditions come most important first: without the renovation condition the density would fall to 6/13
    # (a loss of 0.54), without the upgrades condition to 13/25 (a loss of 0.48)
    assert f.restricted == ["tech_renovation_investment_growth", "upgrade_target"]
    assert f.sentence_zh == ("当技改投资增速不低于15.0%且小升规目标不少于每年600家时，"
                             "实现“2026年地区生产总值增长5%以上”"
                             "的概率为90%（78个扫描情景的平均值，其余参数取“基准情景”情景值）。")
    assert f.sentence_en == ("When the technical-renovation investment growth is at least 15.0% and the firm upgrades "
                             "target is at least 600 firms a year, the probability of meeting "
                             "“Real GDP growth 5% or more in 2026” is 90% (mean over 78 sweep runs; other "
                             "parameters as in the “Baseline” scenario).")


def test_on_a_real_sweep_every_figure_is_recomputed_from_the_runs_in_the_box(calibration, tmp_path):
    spec = SweepSpec(baseline(), parse_vary(["upgrade_target", "key_firm_growth", "growth_long_run"]),
                     "lhs", 300, 100, 9, 2030, 100)
    report = run_sweep(calibration, spec, tmp_path / "sw")
    definition, res = load_sweep(tmp_path / "sw")
    assert definition["base_year"] == 2025 and res.equals(report.results)
    f = discover(definition, res, None, 0.5, "prim")
    assert f.target.id == "gdp_growth_2026"  # no target named: the first one after the last reported year
    mask = np.ones(len(res), dtype=bool)
    for k, (lo, hi) in f.box.limits.items():
        mask &= (res[k] >= lo).to_numpy() & (res[k] <= hi).to_numpy()
    probs = res["prob__gdp_growth_2026"].to_numpy()
    assert f.in_box == mask.sum()
    assert f.mean_probability == pytest.approx(probs[mask].mean(), rel=1e-12)   # Z in the sentence
    assert f.density == pytest.approx((probs[mask] >= 0.5).mean(), rel=1e-12)
    stated = f"{int(f.mean_probability * 100)}%"  # rounded down: the sentence never claims more than the runs show
    assert f"概率为{stated}" in f.sentence_zh and f"is {stated} (mean over {f.in_box} sweep runs" in f.sentence_en
    # 2026 GDP growth rises with the long-run growth rate first: it is restricted, from below (seed 9: a long-run
    # rate of at least 6.05 % with key-firm growth of at least 6.9 % gives a mean of 58 % over 82 runs, 30 %
    # outside)
    assert f.restricted[0] == "growth_long_run"
    assert f.box.limits["growth_long_run"][1] == 10.0   # no upper limit: the registry's upper bound stands
    for k in f.restricted:  # every condition is a floor: more of each helps
        assert f.box.limits[k][1] == parameters()[k].upper
    assert f.mean_probability >= 0.5 > f.outside_probability
    # key-firm growth, which leads the levers in the 2026 sensitivity analysis, raises the probability too
    # (rank correlation over the 300 runs: 0.60; upgrades 0.02: they add firms, not growth)
    rank = res[["key_firm_growth", "upgrade_target", "prob__gdp_growth_2026"]].rank()
    assert rank.corr().loc["key_firm_growth", "prob__gdp_growth_2026"] > 0.4


def test_discovery_errors_are_clear():
    definition, res = grid_sweep()
    with pytest.raises(UserInputError, match="did you mean gdp_growth_2026"):
        discover(definition, res, "gdp_growth_2062", 0.8)
    with pytest.raises(UserInputError, match="no run of this sweep meets gdp_growth_2026 with probability 95%"):
        discover(definition, res, "gdp_growth_2026", 0.95)
    with pytest.raises(UserInputError, match="--method forest"):
        discover(definition, res, "gdp_growth_2026", 0.8, "forest")
    with pytest.raises(UserInputError, match="must lie in"):
        discover(definition, res, "gdp_growth_2026", 1.2)
    # a target of a reported year (data through 2025): refused in each language, naming the allowed years
    with pytest.raises(UserInputError) as exc:
        discover(definition, res, "mfg_share_2025", 0.8)
    msg, zh = str(exc.value), exc.value.text("zh")
    assert "its year 2025 is not a projected year" in msg and "allowed target years 2026 to 2030" in msg
    assert "只能选择 2026–2030 年的目标" in zh and "gdp_growth_2026" in zh
    assert discover(definition, res, None, 0.8).target.id == "gdp_growth_2026"  # the default


@pytest.mark.parametrize("method", ["prim", "tree"])
def test_a_box_short_of_the_density_is_noted_in_the_readers_language(method):
    # y drawn at random (seed 1), independent of X: no box holds only cases of interest, so asking a density
    # of 1.0 leaves the densest box and a note (it was an English sentence shown to Chinese readers too)
    from growthsim.explore.discovery import _chosen_box

    X, _ = synthetic()
    y = np.random.default_rng(1).random(len(X)) < 0.5
    _, _, notes = _chosen_box(method, X, y, list(X.columns), 1.0, 0.05, 0.05, 2, 0)
    assert len(notes) == 1
    zh, en = notes[0].text("zh"), notes[0].text("en")
    assert "100%" in zh and not any("a" <= ch.lower() <= "z" for ch in zh), zh
    assert en.startswith(f"no {'box' if method == 'prim' else 'leaf'} reaches a density of 100%"), en
