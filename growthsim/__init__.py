"""growthsim: scenario projections of a city's industrial growth targets (工业增长目标情景模拟), from its pack.

The public API, with keyword arguments::

    import growthsim
    cal = growthsim.calibrate()                       # the posterior on the whole public record (cached)
    proj = growthsim.project("intensified", calibration=cal, horizon=2030, draws=2000, seed=7)
    proj.at("mfg_va_share_gdp", 2030)                 # draws of the share in 2030 (%)
    runs = growthsim.compare("baseline", "downside", calibration=cal)   # common random numbers
    bt = growthsim.backtest()                         # coverage of the bands against later figures

The registries (:func:`parameters`, :func:`indicators`, :func:`targets`) are the
single declarations every interface is built from. Nothing runs at import.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover - for type checkers only
    from growthsim.calibration.backtest import Backtest
    from growthsim.calibration.fit import Calibration
    from growthsim.simulation.model import Projection
    from growthsim.simulation.scenario import Scenario

__all__ = ["calibrate", "project", "compare", "backtest", "load_scenario", "parameters", "indicators", "targets",
           "Projection", "Calibration", "Scenario"]



def _settings(**given):
    """The run settings (:class:`growthsim.settings.Settings`) with what the caller gave, the rest their defaults.

    Imported on first call, so that ``import growthsim`` stays light.
    """
    # deferred: `import growthsim` stays light; settings loads pydantic, numpy
    from growthsim.settings import check_settings

    return check_settings(**{k: v for k, v in given.items() if v is not None})


def calibrate(*, data: str | None = None, seed: int | None = None, data_through: int | None = None,
              particles: int | None = None, cache: bool = True) -> Calibration:
    """Calibrate the model on the reported figures.

    Parameters
    ----------
    data : str, optional
        Path of a calibration table (default: the city pack's ``reported_figures.csv``).
    seed : int, optional
        Seed of the particle filter's random numbers (default: the settings', 20211).
    data_through : int, optional
        Last year of data used (calendar year; default: the last reported year); earlier years give back-tests.
    particles : int, optional
        Number of particles [particles] (default 100,000).
    cache : bool
        Keep the result on disk under a fingerprint of data, seed and model.

    Returns
    -------
    Calibration : the starting state (last reported year), the joint posterior, the fit report, the prior
    and posterior of every parameter and the filter's diagnostics.
    """
    # deferred: `import growthsim` stays light; calibration.cache loads scipy, pandas, pydantic, numpy
    from growthsim.calibration.cache import calibrate_cached

    # deferred: `import growthsim` stays light; calibration.fit loads scipy, pandas, pydantic, numpy
    from growthsim.calibration.fit import read_reported

    # deferred: `import growthsim` stays light; calibration.smc loads pandas, pydantic, numpy
    from growthsim.calibration.smc import PARTICLES

    seed = _settings(seed=seed).seed
    return calibrate_cached(read_reported(data), seed, data_through, particles or PARTICLES, use_cache=cache)


def load_scenario(name_or_path: str, *, first_year: int = 2026) -> Scenario:
    """A shipped scenario by name (``baseline``, ``intensified``, ``downside``) or a scenario TOML file."""
    # deferred: `import growthsim` stays light; scenario_files loads pydantic, numpy
    from growthsim.scenario_files import load_scenario as _load

    return _load(name_or_path, first_year=first_year)


def _scenario(s, cal) -> Scenario:
    # deferred: `import growthsim` stays light; simulation.scenario loads pydantic, numpy
    from growthsim.simulation.scenario import Scenario as _Scenario

    return s if isinstance(s, _Scenario) else load_scenario(str(s), first_year=cal.base_year + 1)


def project(scenario="baseline", *, calibration: Calibration | None = None, horizon: int | None = None,
            draws: int | None = None, seed: int | None = None) -> Projection:
    """Project one scenario from the last reported year to ``horizon``.

    Parameters
    ----------
    scenario : Scenario or str
        A :class:`Scenario`, a shipped scenario's name or a TOML file's path.
    calibration : Calibration, optional
        From :func:`calibrate` (default: calibrate with ``seed``).
    horizon : int, optional
        Last projected year (calendar year, at most 2035; default 2030).
    draws : int, optional
        Monte Carlo draws [draws] (default 1,000).
    seed : int, optional
        Seed of the projection's random numbers (default 20211).

    Defaults and bounds are the settings' (:class:`growthsim.settings.Settings`), as ``growthsim run``'s.

    Returns
    -------
    Projection : ``values[indicator]`` is a ``draws × years`` array (units in :func:`indicators`).
    """
    # deferred: `import growthsim` stays light without numpy
    import numpy as np

    # deferred: `import growthsim` stays light; simulation.model loads pydantic, numpy
    from growthsim.simulation.model import project as _project

    s = _settings(horizon=horizon, draws=draws, seed=seed)
    cal = calibration or calibrate(seed=s.seed)
    return _project(cal.base, _scenario(scenario, cal), cal.posterior, s.horizon, s.draws,
                    np.random.default_rng(s.seed))


def compare(*scenarios, calibration: Calibration | None = None, horizon: int | None = None,
            draws: int | None = None, seed: int | None = None) -> dict[str, Projection]:
    """Project several scenarios with common random numbers (a difference is the scenarios', not chance's).

    Defaults as :func:`project`'s. Returns a dict from scenario id to :class:`Projection`.

    Parameters
    ----------
    calibration : Calibration | None
        The calibration (None: the cached one).
    horizon : int | None
        Last projected year (calendar year; None: the settings' default).
    draws : int | None
        Monte Carlo draws [draws] (None: the settings' default).
    seed : int | None
        Random seed (None: the settings' default).
    *scenarios
        Scenario names or files, in order.
    """
    cal = calibration or calibrate(seed=seed)
    out = {}
    for s in scenarios or ("baseline",):
        p = project(s, calibration=cal, horizon=horizon, draws=draws, seed=seed)
        out[p.scenario_id] = p
    return out


def backtest(*, data: str | None = None, origins: list[int] | None = None, draws: int | None = None,
             seed: int | None = None) -> Backtest:
    """Calibrate at each origin year, project, and score the bands against what was reported later.

    Defaults are ``growthsim backtest``'s (the settings': 2,000 draws, seed 20211), so it gives the command's
    numbers.

    Parameters
    ----------
    data : str | None
        A reported-figures CSV (None: the shipped one).
    origins : list[int] | None
        The origin years (None: every usable one).
    draws : int | None
        Monte Carlo draws [draws] (None: the settings' default).
    seed : int | None
        Random seed (None: the settings' default).
    """
    # deferred: `import growthsim` stays light; calibration.backtest loads scipy, pandas, scoringrules, pydantic, numpy
    from growthsim.calibration.backtest import run_backtest

    # deferred: `import growthsim` stays light; calibration.fit loads scipy, pandas, pydantic, numpy
    from growthsim.calibration.fit import read_reported

    s = _settings(kind="backtest", draws=draws, seed=seed)
    return run_backtest(read_reported(data), origins, draws=s.draws, seed=s.seed)


def parameters():
    """The parameter registry (levers and uncertainties), by id."""
    # deferred: `import growthsim` stays light; simulation.registry loads pydantic
    from growthsim.simulation.registry import parameters as _p

    return _p()


def indicators():
    """The indicator registry (name, unit, precision, kind), by id."""
    # deferred: `import growthsim` stays light; simulation.indicators loads numpy
    from growthsim.simulation.indicators import indicators as _i

    return _i()


def targets():
    """The plan targets (``cities/<id>/targets.toml``), by id."""
    # deferred: `import growthsim` stays light; calibration.targets loads pandas, numpy
    from growthsim.calibration.targets import targets as _t

    return _t()


def __getattr__(name: str):
    # The classes, imported on first use so that `import growthsim` stays light.
    if name == "Projection":
        # deferred: `import growthsim` stays light; simulation.model loads pydantic, numpy
        from growthsim.simulation.model import Projection
        return Projection
    if name == "Calibration":
        # deferred: `import growthsim` stays light; calibration.fit loads scipy, pandas, pydantic, numpy
        from growthsim.calibration.fit import Calibration
        return Calibration
    if name == "Scenario":
        # deferred: `import growthsim` stays light; simulation.scenario loads pydantic, numpy
        from growthsim.simulation.scenario import Scenario
        return Scenario
    raise AttributeError(f"module 'growthsim' has no attribute {name!r}")
