"""Streamlit caches around the model (shared by every session of the server).

- the calibration, per (seed, data-through): a resource, not copied;
- a scenario's summary tables, per (seed, data-through, canonical scenario
  values, draws, horizon): data, so each session gets its own copy;
- the shipped scenario files and the saved-scenario folder (re-read when a
  file there changes).
"""

from __future__ import annotations

import functools
from pathlib import Path

import pandas as pd
import streamlit as st

from growthsim import live
from growthsim.calibration import city as packs
from growthsim.calibration.fit import Calibration, CalibrationDataError, base_year, read_reported
from growthsim.calibration.targets import reported_outcomes
from growthsim.live import LeverGrid
from growthsim.runner import RunSettings, load_calibration
from growthsim.simulation.scenario import Scenario

from . import compute, store
from .state import values_from_key


def per_city(decorator):
    """A Streamlit cache decorator whose entries are kept per city pack: the active pack's folder is part of
    the key and the function runs inside ``city.using`` it (a session's city is the active pack of its run)."""
    def wrap(fn):
        def keyed(city_root: str, *args, **kw):
            with packs.using(city_root):
                return fn(*args, **kw)
        # Streamlit tells cached functions apart by module and qualified name: one cache per wrapped function
        keyed.__module__, keyed.__name__, keyed.__qualname__ = fn.__module__, fn.__name__, fn.__qualname__
        cached = decorator(keyed)

        @functools.wraps(fn)
        def call(*args, **kw):
            return cached(str(packs.active().root), *args, **kw)
        call.clear = cached.clear
        return call
    return wrap


@per_city(st.cache_resource(show_spinner=False, max_entries=64))  # ~0.2 MB each
def calibration(seed: int, through: int | None) -> Calibration:
    """The calibration for this seed on reported data up to ``through`` (None: the latest); shared, not copied."""
    return load_calibration(RunSettings(seed=seed, data_through=through))


@per_city(st.cache_data(show_spinner=False, max_entries=64))
def outcomes(seed: int, through: int | None):
    """The calibration's targets of reported years (calibration.targets.reported_outcomes)."""
    return reported_outcomes(calibration(seed, through))


@per_city(st.cache_resource(show_spinner=False, max_entries=512))
def reported(seed: int, through: int | None, indicator: str) -> pd.DataFrame:
    """An indicator's reported full-year figures (:func:`app.context.full_year`), as every chart plots them.

    Shared read-only by every session: filtering the record took some 45 ms of each lever step (four charts,
    profiled with py-spy at load 9), for a table that changes only with the calibration.

    Parameters
    ----------
    seed : int
        The calibration's seed.
    through : int or None
        The last reported year the calibration uses; None for the latest.
    indicator : str
        The indicator's id.
    """
    # deferred: circular (app.context imports app.cache)
    from .context import full_year

    return full_year(calibration(seed, through).reported, indicator)


@per_city(st.cache_data(show_spinner=False, max_entries=4096))
def summary(seed: int, through: int | None, key: tuple, draws: int, horizon: int) -> compute.Summary:
    """A scenario's projection and target tables, cached per run setting; each session gets its own copy.

    Parameters
    ----------
    seed : int
        The run's seed (every scenario uses it: common random numbers).
    through : int or None
        The last reported year the calibration uses; None for the latest.
    key : tuple
        The scenario's values in canonical form (:func:`app.state.values_key`).
    draws : int
        Number of simulated paths [draws].
    horizon : int
        The last projected year (calendar year).

    Returns
    -------
    compute.Summary
        The tables with the scenario column set to a placeholder.
    """
    return compute.summarise_values(calibration(seed, through), key, draws, seed, horizon)


@per_city(st.cache_data(show_spinner=False, max_entries=256))  # ~20 KB each
def lever_grid(seed: int, through: int | None, key: tuple, lever: str, indicator_ids: tuple[str, ...], draws: int,
               horizon: int) -> LeverGrid:
    """A lever's preview runs (growthsim.live.lever_grid) for the scenario whose other values are ``key``.

    Parameters
    ----------
    seed : int
        The run's seed (every run uses it: common random numbers).
    through : int or None
        The last reported year the calibration uses; None for the latest.
    key : tuple
        The scenario's other values in canonical form (:func:`app.state.values_key`, the lever's own left out:
        the runs set it).
    lever : str
        The lever's parameter id.
    indicator_ids : tuple[str, ...]
        The indicators' ids.
    draws : int
        Number of simulated paths [draws].
    horizon : int
        The last projected year (calendar year).
    """
    return live.lever_grid(calibration(seed, through), values_from_key(key), lever, indicator_ids, draws=draws,
                           seed=seed, horizon=horizon)


@per_city(st.cache_resource(show_spinner=False, max_entries=16))
def shipped(first_year: int) -> dict[str, Scenario]:
    """The shipped scenario files (baseline first), validated for this first projected year; read once."""
    return compute.shipped(first_year)


def _signature(folder: Path) -> tuple:
    if not folder.is_dir():
        return ()
    return tuple(sorted((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in folder.glob("*.toml")))


@st.cache_data(show_spinner=False, max_entries=64)
def _saved(first_year: int, folder: str, signature: tuple) -> store.SavedList:
    return store.list_saved(first_year, Path(folder))


def saved(first_year: int) -> store.SavedList:
    """The saved scenarios and problems, re-read when a scenario file there is added, changed or removed."""
    folder = store.saved_dir()
    return _saved(first_year, str(folder), _signature(folder))


@per_city(st.cache_data(show_spinner=False))
def through_years() -> list[int]:
    """Years the calibration may stop at: from the first year with every base figure to the latest."""
    df = read_reported()
    out = []
    for y in sorted(int(y) for y in df.year.unique()):
        try:
            base_year(df[df.year <= y])
        except CalibrationDataError:
            continue
        out.append(y)
    return out
