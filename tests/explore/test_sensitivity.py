"""Sensitivity over time: structurally right indices, independent of workers, written atomically."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

import growthsim.explore.sensitivity as sens
from growthsim.errors import UserInputError
from growthsim.explore.sensitivity import (Outcome, SensitivitySettings, evaluate, factor_list, load_result,
                                           output_files, run_sensitivity, to_values)
from growthsim.explore.common import write_folder
from simulation.batch import simulate_settings
from calibration.targets import targets

FACTORS = ("upgrade_target", "upgrade_pool_ratio", "upgrade_realisation_rate", "exit_rate",
           "high_tech_growth_premium", "key_firm_growth", "demand_shock_year", "demand_shock_size")


@pytest.fixture(scope="module")
def small(calibration):
    s = SensitivitySettings(n=64, trajectories=8, draws=30, seed=11, parameters=FACTORS, workers=1, resamples=20)
    return run_sensitivity(calibration, s)


def _indices(res, outcome):
    return res.sobol[res.sobol.outcome == outcome].set_index("parameter")


def test_a_factor_that_cannot_reach_an_outcome_gets_exactly_zero(small):
    ht = _indices(small, "high_tech_share:2024")
    others = ht.drop(index="high_tech_growth_premium")
    # common random numbers: changing an unrelated factor changes the outcome not at all, so ST = 0 exactly
    assert (others.ST == 0.0).all()
    # the premium is then the only source of variance (ST near 1; the Sobol estimator's error is a few %)
    assert ht.loc["high_tech_growth_premium", "ST"] == pytest.approx(1.0, abs=0.1)
    mo = small.morris[small.morris.outcome == "high_tech_share:2024"].set_index("parameter")
    assert (mo.drop(index="high_tech_growth_premium").mu_star == 0.0).all()  # Morris agrees: no effect at all


def test_upgrades_depend_only_on_the_upgrade_levers(small):
    up = _indices(small, "firm_upgrades:2022")
    levers = ["upgrade_target", "upgrade_pool_ratio", "upgrade_realisation_rate"]
    assert (up.drop(index=levers).ST == 0.0).all()  # upgrades = binomial(target × ratio, rate): nothing else
    assert (up.loc[levers, "ST"] > 0.05).all()     # each of the three matters over its registry range
    # the target spans 0-1200 firms, the others a factor of 2 or 3: it leads
    assert up.ST.idxmax() == "upgrade_target"


def test_reported_flows_are_constant_and_said_so(small):
    row = small.drivers[small.drivers.outcome == "firm_upgrades:2021"].iloc[0]
    # 2021's upgrades are reported (405, 001_5e00b26a04c94cbe.txt) and imposed in every sample
    assert "constant" in row.note
    assert small.sobol[small.sobol.outcome == "firm_upgrades:2021"].empty


def test_whole_number_factors_take_each_whole_value(calibration):
    fs = factor_list(["upgrade_target", "project_lag_years", "demand_shock_year", "exit_rate"], 2020, 2025,
                     data_through=2021)
    X = np.column_stack([np.linspace(0, 1, 4001) * (f.sample_bounds[1] - f.sample_bounds[0]) + f.sample_bounds[0]
                         for f in fs])
    V = to_values(fs, X)
    assert set(np.unique(V[:, 1])) == {0.0, 1.0, 2.0, 3.0}  # the project lag: 0-3 years, each reached
    # the shock year is sampled over the unreported projection years 2022-2025 only (2021 is reported)
    assert set(np.unique(V[:, 2])) == {2022.0, 2023.0, 2024.0, 2025.0}
    # upgrade_target: whole firms, its registry bounds 0-1200 both reached
    assert np.all(V[:, 0] == np.floor(V[:, 0])) and V[:, 0].min() == 0 and V[:, 0].max() == 1200
    assert V[:, 3].min() == 2.0 and V[:, 3].max() == 10.0  # a continuous factor keeps its registry bounds


def test_outcomes_are_means_and_shares_over_the_draws(calibration):
    names = ["upgrade_target", "key_firm_growth"]
    values = np.array([[300.0, 10.0], [800.0, 25.0]])
    t = targets()["mfg_share_2025"]
    outs = [Outcome("mean", "mfg_va_share_gdp", 2025), Outcome("probability", t.indicator, t.year, t.id)]
    got = evaluate(calibration.base, calibration.posterior, names, values, 2025, 40, 5, outs)
    res = simulate_settings(calibration.base, calibration.posterior, names, values,
                            np.arange(2021, 2026), 40, np.random.default_rng(5))
    share = res["mfg_va_share_gdp"][:, :, -1]
    assert np.array_equal(got[:, 0], share.mean(axis=1))           # the mean over each sample's 40 draws
    assert np.array_equal(got[:, 1], (share >= 28.5).mean(axis=1))  # "about 29" is met at 29 - 0.5


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
    assert {"sobol.csv", "morris.csv", "drivers.csv", "manifest.json", "tornado/plotly.min.js",
            "targets/firms_2024.csv", "tornado/firms_2024.html", "tornado/firms_2024.png"} <= names
    assert [p.name for p in (tmp_path / "out").iterdir() if p.name.startswith(".")] == []  # no temp folder left
    html = (tmp_path / "out" / "tornado" / "firms_2024.html").read_text(encoding="utf-8")
    assert 'src="plotly.min.js"' in html  # charts work offline, from the copy beside them
    assert (tmp_path / "out" / "tornado" / "firms_2024.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
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
    firms = back.sobol[back.sobol.outcome == "probability:firms_2024"].set_index("parameter").ST
    orig = small.sobol[small.sobol.outcome == "probability:firms_2024"].set_index("parameter").ST
    assert np.allclose(firms, orig, rtol=1e-5, atol=1e-12)  # the CSV keeps 6 significant digits


@pytest.mark.parametrize("kw, fragment", [
    ({"n": 1000}, "power of two"), ({"methods": ("sobol", "fast")}, "--method fast"), ({"levels": 3}, "even number"),
    ({"horizon": 2040}, "--horizon 2040"), ({"draws": 0}, "--draws 0"),
])
def test_bad_settings_are_refused(calibration, kw, fragment):
    with pytest.raises(UserInputError) as exc:
        run_sensitivity(calibration, SensitivitySettings(**kw))
    assert fragment in str(exc.value)


def test_unknown_factor_gets_a_suggestion():
    with pytest.raises(UserInputError, match="did you mean exit_rate"):
        factor_list(["exit_rat", "upgrade_target"], 2020, 2025)
