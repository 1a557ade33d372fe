"""The public API: the namespace, keyword arguments, and that it gives the engine's own numbers."""

from __future__ import annotations

import inspect

import numpy as np

import growthsim


def test_namespace_is_exactly_all():
    # as Mesa's test_import_namespace: every name in __all__ resolves, and nothing else is promised
    for name in growthsim.__all__:
        assert getattr(growthsim, name) is not None, name
    assert set(growthsim.__all__) == {"calibrate", "project", "compare", "backtest", "load_scenario", "parameters",
                                      "indicators", "targets", "Projection", "Calibration", "Scenario"}


def test_functions_take_keywords_and_document_units():
    for name in ("calibrate", "project", "compare", "backtest", "load_scenario"):
        fn = getattr(growthsim, name)
        params = inspect.signature(fn).parameters.values()
        assert all(p.kind in (p.KEYWORD_ONLY, p.VAR_POSITIONAL) or p.name in ("scenario", "name_or_path")
                   for p in params), name
        assert fn.__doc__ and len(fn.__doc__) > 40, name


def test_project_gives_the_engines_numbers(calibration):
    from growthsim.simulation.model import project
    from growthsim.simulation.scenario import baseline

    a = growthsim.project("baseline", calibration=calibration, horizon=2028, draws=200, seed=5)
    b = project(calibration.base, baseline(), calibration.posterior, 2028, 200, np.random.default_rng(5))
    np.testing.assert_array_equal(a.at("mfg_va_share_gdp", 2028), b.at("mfg_va_share_gdp", 2028))
    assert isinstance(a, growthsim.Projection)


def test_compare_uses_common_random_numbers(calibration):
    runs = growthsim.compare("baseline", "intensified", calibration=calibration, horizon=2028, draws=200, seed=3)
    assert set(runs) == {"baseline", "intensified"}
    # same seed, same random numbers: the 2026 PPI draws (no lever touches them) are identical
    np.testing.assert_array_equal(runs["baseline"].at("ppi_national", 2026), runs["intensified"].at("ppi_national",
                                                                                                    2026))
