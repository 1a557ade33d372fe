"""The calibration, cached on disk by a fingerprint of the data and the model.

The fingerprint hashes the reported table, the data-through year, the seed,
the particle count and the source of every module the calibration runs
(``simulation/*.py``, ``calibration/*.py``), so a changed figure or a changed
equation is a new entry and an old entry is never served for it. Entries are
written atomically (a temporary file renamed into place); an unreadable entry
is recomputed. The folder is ``$GROWTHSIM_CACHE_DIR`` or ``~/.cache/growthsim``.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from growthsim import simulation as _simulation

from . import city, smc
from .fit import Calibration, calibrate
from .targets import announced_growth_targets

# simulation/ and calibration/ in the repository, growthsim/simulation/ and growthsim/calibration/ once
# installed: located through the packages.
_FOLDERS = {"simulation": Path(_simulation.__file__).resolve().parent, "calibration": Path(__file__).resolve().parent}
VERSION = "1"


def cache_dir() -> Path:
    """The folder of cached calibrations: ``$GROWTHSIM_CACHE_DIR``, else ``~/.cache/growthsim``."""
    return Path(os.environ.get("GROWTHSIM_CACHE_DIR") or Path.home() / ".cache" / "growthsim")


def _code_hash() -> str:
    h = hashlib.sha256()
    for folder in ("simulation", "calibration"):
        for p in sorted(_FOLDERS[folder].glob("*.py")):
            h.update(p.name.encode())
            h.update(p.read_bytes())
    return h.hexdigest()


def fingerprint(reported: pd.DataFrame, seed: int, data_through: int | None, particles: int) -> str:
    """The cache key of one calibration run.

    Hashes the cache version, the reported table, the seed, the data-through year,
    the particle count, the active pack's parameter values (``levers.toml``) and the source of every
    ``simulation`` and ``calibration`` module, so any changed figure or equation gives a new key.

    Parameters
    ----------
    reported : pandas.DataFrame
        The reported figures the filter is fitted to.
    seed : int
        The seed of the filter's generator.
    data_through : int or None
        The last year of data used (None: every reported year).
    particles : int
        Number of particles of the filter.

    Returns
    -------
    str
        32 hexadecimal characters.
    """
    h = hashlib.sha256()
    h.update(VERSION.encode())
    h.update(reported.to_csv(index=False).encode("utf-8"))
    h.update(f"{seed}|{data_through}|{particles}".encode())
    h.update(repr(sorted(announced_growth_targets().items())).encode())  # targets pull growth (fit.calibrate)
    h.update(repr(sorted((k, v.value, v.rate) for k, v in city.parameter_values().items())).encode())  # the pack's
    h.update(_code_hash().encode())
    return h.hexdigest()[:32]


def keep(name: str, obj) -> None:
    """Keep ``obj`` in the cache folder as ``name`` (a pickle written whole, then moved into place); a folder that
    cannot be written keeps nothing, silently: a cache only saves time."""
    try:
        folder = cache_dir()
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".keep-", dir=folder)
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(obj, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, folder / name)
    except OSError:
        pass


def kept(name: str, kind: type):
    """The object :func:`keep` kept as ``name`` when it is a ``kind`` (a file this project wrote), else None."""
    path = cache_dir() / name
    if not path.is_file():
        return None
    try:
        with path.open("rb") as fh:
            obj = pickle.load(fh)
    except Exception:  # noqa: BLE001 - a broken entry is recomputed, never served
        return None
    return obj if isinstance(obj, kind) else None


def calibrate_cached(reported: pd.DataFrame, seed: int, data_through: int | None = None,
                     particles: int = smc.PARTICLES, use_cache: bool = True) -> Calibration:
    """:func:`calibration.fit.calibrate` with ``rng = default_rng([seed, 1])``, cached on disk.

    Parameters
    ----------
    reported : pd.DataFrame
        The reported figures (rows of ``reported_figures.csv``: year, indicator, value in its unit, error, source).
    seed : int
        Random seed; the same seed gives the same numbers.
    data_through : int | None
        Use reported figures up to this year only (calendar year); None: all.
    particles : int
        Particles of the filter [particles].
    use_cache : bool
        Read and write calibrations in the disk cache.
    """
    key = fingerprint(reported, seed, data_through, particles)
    path = cache_dir() / f"calibration-{key}.pkl"
    if use_cache and path.is_file():
        try:
            with path.open("rb") as fh:
                cal = pickle.load(fh)
            if isinstance(cal, Calibration):
                return cal
        except Exception:  # noqa: BLE001 - a broken entry is recomputed, never served
            pass
    cal = calibrate(reported, np.random.default_rng([seed, 1]), data_through, particles)
    if use_cache:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".calibration-", dir=path.parent)
            with os.fdopen(fd, "wb") as fh:
                pickle.dump(cal, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        except OSError:
            pass  # a read-only home still gets its calibration, just not cached
    return cal
