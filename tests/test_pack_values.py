"""A pack's parameter values (issue 23), declared once by ``calibration.city.parameter_values``: the pack's
``levers.toml`` wins; a lever that scales with the city takes a rate (the pack's own, else the registry's
reference rate) times the calibrated start figure, rounded to the unit; every other parameter takes the registry's
city-free default."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np

from growthsim.calibration import city
from growthsim.simulation.model import BaseState
from growthsim.simulation.registry import parameters

XIAMEN = Path(__file__).resolve().parent.parent / "cities" / "xiamen"


def _xiamen_with(tmp_path: Path, levers: str) -> city.CityPack:
    """Xiamen's pack (no levers.toml of its own) with ``levers`` as its levers.toml."""
    pack = tmp_path / "xiamen_levers"
    shutil.copytree(XIAMEN, pack)
    (pack / "levers.toml").write_text(levers, "utf-8")
    return city.load_pack(pack)


def test_a_pack_with_n_start_firms_gets_round_rate_times_n_upgrades_a_year():
    xiamen = city.resolve_city("xiamen")
    rate = parameters()["upgrade_target"].scale.rate
    assert rate == 0.111   # the registry's reference rate: 6.1 % net growth nationally (2024) + 5 % exits
    for n in (1896, 2991, 5000):
        pv = city.parameter_values(xiamen, {"above_scale_firms": n})["upgrade_target"]
        # 0.111 x 1896 = 210.5 -> 210; x 2991 = 332.0 -> 332; x 5000 = 555
        assert pv.value == round(rate * n) and pv.origin == "scaled" and pv.assumed and pv.basis_value == n
        assert "2991" not in pv.source or n == 2991
    # a very large city meets the lever's bound (upper 1,200 a year): 0.111 x 20,000 = 2,220 is kept at 1,200
    assert city.parameter_values(xiamen, {"above_scale_firms": 20_000})["upgrade_target"].value == 1200
    # before a calibration gives the start figure the value is unknown, and a view shows the rate instead
    pv = city.parameter_values(xiamen)["upgrade_target"]
    assert pv.value is None and "0.111" in city.value_note(pv).text("en")


def test_the_start_figure_is_the_posterior_median_of_the_firm_count():
    # three particles holding 2,000, 3,000 and 3,500 firms: the median 3,000, not the mean 2,833
    base = BaseState(year=2025, above_scale_firms=2833.3, revenue=1.0, profit=0.1, gdp=10.0, mfg_va_share_gdp=30.0,
                     high_tech_share=10.0, above_scale_va_growth=5.0,
                     state={"firms": np.array([2000.0, 3000.0, 3500.0])})
    assert city.basis_figures(base) == {"above_scale_firms": 3000.0}
    assert city.pack_defaults(city.resolve_city("xiamen"), city.basis_figures(base))["upgrade_target"] == 333


def test_a_packs_value_wins_over_the_scaled_default_and_the_registrys(tmp_path):
    pack = _xiamen_with(tmp_path, '[levers.upgrade_target]\nvalue = 250\nsource = "假设 assumption: a test"\n'
                                  '[levers.incremental_projects]\nrate = 0.02\nsource = "假设 assumption: a test"\n'
                                  '[levers.growth_long_run]\nvalue = 7.0\nsource = "假设 assumption: a test"\n')
    values = city.parameter_values(pack, {"above_scale_firms": 3000})
    assert (values["upgrade_target"].value, values["upgrade_target"].origin) == (250, "pack")  # not 0.111 x 3000
    # the pack's own rate: 0.02 x 3000 = 60 projects a year (the registry's 0.01 would give 30)
    assert (values["incremental_projects"].value, values["incremental_projects"].origin) == (60, "scaled")
    assert values["growth_long_run"].value == 7.0   # a prior's mode: the pack's, not the registry's 5.2
    assert (values["exit_rate"].value, values["exit_rate"].origin) == (parameters()["exit_rate"].default, "registry")
    # the filter draws growth_long_run around the pack's mode: the prior's mean moves with it
    from growthsim.calibration import smc
    from growthsim.simulation.streams import Streams
    lo, hi = parameters()["growth_long_run"].lower, parameters()["growth_long_run"].upper
    draws = smc.prior_draws(20_000, Streams(1), city.pack_defaults(pack))["growth_long_run"]
    assert abs(draws.mean() - (lo + 7.0 + hi) / 3) < 0.03   # a triangular's mean (2 + 7 + 10) / 3 = 6.33


def test_the_default_pack_holds_the_values_the_registry_held_before_issue_23():
    # known answers: the values read from the default city's documents (its levers.toml now), which the
    # golden files (tests/golden) were made with
    values = city.pack_defaults(city.default_pack())
    expected = {"upgrade_target": 405, "incremental_projects": 60, "tech_renovation_investment_growth": 12.0,
                "key_firm_growth": 13.0, "renovation_projects_completed": 207, "project_full_capacity_output": 4.57,
                "key_firm_base_share": 16.04, "service_capacity": 100, "growth_long_run": 6.5,
                "industry_non_mfg_share": 6.0, "new_capacity_investment_growth": 8.4}
    assert {k: values[k] for k in expected} == expected
    assert all(v.origin == "pack" for k, v in city.parameter_values(city.default_pack()).items()
               if parameters()[k].scale is not None)


def test_growthsim_params_shows_each_packs_value_and_a_scaled_lever_as_an_assumption():
    from typer.testing import CliRunner

    from growthsim.cli import app

    def row(city_id: str, lang: str) -> str:
        res = CliRunner().invoke(app, ["params", "--city", city_id, "--lang", lang], env={"COLUMNS": "400"})
        assert res.exit_code == 0, res.output
        return next(line for line in res.output.splitlines() if "upgrade_target" in line)

    # Xiamen has no levers.toml: the rate, marked an assumption; Qingdao its own 405 (levers.toml)
    assert "0.111" in row("xiamen", "en") and "assumption" in row("xiamen", "en")
    assert "0.111" in row("xiamen", "zh") and "假设" in row("xiamen", "zh")
    assert " 405 " in row("qingdao", "en") and "0.111" not in row("qingdao", "en")
