"""The parameter registry: complete, consistent, and checked without `assert`."""

from __future__ import annotations

import subprocess
import sys

import pytest
from pydantic import ValidationError

from growthsim.simulation.registry import NOT_YEAR_KEYED, Parameter, levers, parameters, salib_problem, uncertainties

REQUIRED_LEVERS = {"upgrade_target", "upgrade_realisation_rate", "incremental_projects",
                   "project_lag_years", "tech_renovation_investment_growth",
                   "key_firm_growth", "policy_closures"}
REQUIRED_UNCERTAINTIES = {"exit_rate", "growth_long_run", "growth_persistence", "growth_shock_scale",
                          "downturn_probability", "project_full_capacity_output", "tech_renovation_productivity_effect",
                          "non_mfg_gdp_real_growth",
                          "mfg_relative_price_drift", "demand_shock_size", "demand_shock_year"}


def test_required_levers_and_uncertainties_are_declared_with_their_kind():
    assert set(levers()) >= REQUIRED_LEVERS
    assert set(uncertainties()) >= REQUIRED_UNCERTAINTIES
    assert set(levers()) | set(uncertainties()) == set(parameters())


def test_every_entry_is_complete():
    for pid, p in parameters().items():
        assert p.label_zh and p.label_en and p.unit and p.description and p.description_zh and p.source, pid
        assert 0 < p.step <= p.upper - p.lower, pid
        if p.scale is not None:   # a lever that grows with the city: a rate, its source, no absolute default
            assert p.default is None and p.kind == "lever" and p.scale.rate > 0 and p.scale.source, pid
            continue
        assert p.lower < p.upper and p.lower <= p.default <= p.upper, pid
        if p.integer:
            assert p.default == int(p.default), pid
    assert set(parameters()) >= NOT_YEAR_KEYED


def test_a_bad_entry_is_refused():
    with pytest.raises(ValidationError, match="outside"):
        Parameter(id="x", label_zh="x", label_en="x", unit="%", default=5, lower=0, upper=1, kind="lever",
                  group="economy", description="x", description_zh="x", source="x")
    with pytest.raises(ValidationError, match="description_zh"):  # the Chinese description is required
        Parameter(id="x", label_zh="x", label_en="x", unit="%", default=0.5, lower=0, upper=1, kind="lever",
                  group="economy", description="x", source="x")


def test_salib_problem_uses_the_registry_bounds():
    prob = salib_problem()
    reg = parameters()
    for name, bounds in zip(prob["names"], prob["bounds"], strict=True):
        assert bounds == [reg[name].lower, reg[name].upper]


def test_bounds_are_checked_under_python_dash_O():
    # `assert` vanishes under -O; the validation must not rely on it.
    code = ("from growthsim.simulation.scenario import validate_values, ParameterValueError\n"
            "try:\n    validate_values({'upgrade_target': 99999})\nexcept ParameterValueError as e:\n    "
            "print('refused', e)\n")
    out = subprocess.run([sys.executable, "-O", "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.startswith("refused") and "from 0 to 1200" in out.stdout


def test_an_indicators_precision_is_its_units_unless_it_says_otherwise():
    from growthsim.simulation.indicators import indicators
    from growthsim.simulation.units import unit_of

    meta = indicators()
    assert all(m.decimals == unit_of(m.unit).decimals for m in meta.values() if m.precision is None)
    # money in 亿元 with one decimal, as the bulletins publish it (2024 GDP 16719.5亿元); counts whole
    assert meta["gdp"].decimals == 1 and meta["above_scale_firms"].decimals == 0
    assert meta["gdp"].number_format == "#,##0.0" and meta["mfg_va_share_gdp"].number_format == "0.0"
