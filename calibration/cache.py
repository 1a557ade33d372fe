"""The calibration, cached on disk by a fingerprint of the data and the model.

The fingerprint hashes the reported table, the data-through year, the seed,
the particle count and the source of every module the calibration runs
(``simulation/*.py``, ``calibration/*.py``), so a changed figure or a changed
equation is a new entry and an old entry is never served for it. Entries are
written atomically (a temporary file renamed into place); an unreadable entry
is recomputed. The folder is ``$GROWTHSIM_CACHE_DIR`` or ``~/.cache/growthsim``.

The folder is bounded: after each write the least recently used entries this project wrote are removed until
the folder's entries fit ``$GROWTHSIM_CACHE_MAX_MB`` (default :data:`LIMIT_MB`). A calibration is about 40 MB
(20,000 particles' smoothed history), and every edited figure, seed or origin of a back-test is a new entry:
unbounded, the folder once grew to 51 GB and filled the disk.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from growthsim import simulation as _simulation
from growthsim.i18n import MessageError

from . import city, smc
from .fit import Calibration, calibrate
from .targets import announced_growth_targets

# simulation/ and calibration/ in the repository, growthsim/simulation/ and growthsim/calibration/ once
# installed: located through the packages.
_FOLDERS = {"simulation": Path(_simulation.__file__).resolve().parent, "calibration": Path(__file__).resolve().parent}
VERSION = "1"
LIMIT_MB = 2048  # about 50 calibrations: every origin of both packs' back-tests and a planner's edits
OWN_ENTRIES = ("calibration-*.pkl", "sensitivity-*.pkl")  # only what this project writes is ever removed
OWN_PARTIAL = (".calibration-*", ".sensitivity-*", ".keep-*")  # a write stopped half-way (the process killed)
PARTIAL_AGE_S = 3600.0  # a partial file this old is no write in progress


def cache_dir() -> Path:
    """The folder of cached calibrations: ``$GROWTHSIM_CACHE_DIR``, else ``~/.cache/growthsim``."""
    return Path(os.environ.get("GROWTHSIM_CACHE_DIR") or Path.home() / ".cache" / "growthsim")


class CacheSettingError(MessageError, ValueError):
    """A cache setting that is not allowed (``calibration.cache_limit``): ``err.text(lang)`` in the reader's
    language; the command line and the app show it as any bad input (:func:`growthsim.runner.load_calibration`)."""


def cache_limit() -> int:
    """The most bytes the folder's entries may hold: ``$GROWTHSIM_CACHE_MAX_MB`` megabytes, else :data:`LIMIT_MB`.

    Raises
    ------
    CacheSettingError
        The variable is set but is not a whole number of megabytes, 0 or more (0: keep nothing).
    """
    raw = os.environ.get("GROWTHSIM_CACHE_MAX_MB", "").strip()
    if not raw:
        return LIMIT_MB * 2**20
    if not raw.isdigit():
        raise CacheSettingError("calibration.cache_limit", value=raw, default=LIMIT_MB)
    return int(raw) * 2**20


def _touch(path: Path) -> None:
    """Mark an entry as just used (its modification time), so the bound removes it last."""
    with contextlib.suppress(OSError):  # a read-only folder: the entry is still served
        os.utime(path)


def prune(folder: Path, limit: int, spare: Path | None = None) -> list[Path]:
    """Remove the least recently used entries this project wrote until the rest hold at most ``limit`` bytes.

    Only files named as this project names its entries (:data:`OWN_ENTRIES`) are removed, and partial writes
    (:data:`OWN_PARTIAL`) older than :data:`PARTIAL_AGE_S`; anything else in the folder is left alone and not
    counted. ``spare`` (the entry just written) is never removed.

    Parameters
    ----------
    folder : Path
        The cache folder.
    limit : int
        Most bytes of entries kept [bytes].
    spare : Path or None
        An entry kept whatever its size.

    Returns
    -------
    list of Path
        The files removed, oldest first.
    """
    now, entries = time.time(), []
    for pattern in OWN_ENTRIES:
        for p in folder.glob(pattern):
            try:
                st = p.stat()
            except OSError:
                continue  # removed meanwhile by another process
            entries.append((st.st_mtime, st.st_size, p))
    stale = [p for pattern in OWN_PARTIAL for p in folder.glob(pattern) if _age(p, now) > PARTIAL_AGE_S]
    total = sum(size for _, size, _ in entries)
    for _, size, p in sorted(entries, key=lambda e: (e[0], e[2].name)):
        if total <= limit:
            break
        if p != spare:
            stale.append(p)
            total -= size
    for p in stale:
        p.unlink(missing_ok=True)
    return stale


def _age(path: Path, now: float) -> float:
    """Seconds since ``path`` was last written (0 when it is gone)."""
    try:
        return now - path.stat().st_mtime
    except OSError:
        return 0.0


def _write(path: Path, obj, limit: int) -> None:
    """Write ``obj`` as ``path`` whole (a temporary file moved into place), then bound the folder. A folder that
    cannot be written (read-only, full) keeps nothing and no partial file, silently: a cache only saves time."""
    if limit <= 0:
        return  # GROWTHSIM_CACHE_MAX_MB=0: keep nothing
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name.split('-')[0]}-", dir=path.parent)
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(obj, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
        tmp = None
        prune(path.parent, limit, spare=path)
    except OSError:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)


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
    """Keep ``obj`` in the cache folder as ``name`` (one of :data:`OWN_ENTRIES`' names), bounded like every entry;
    a folder that cannot be written keeps nothing, silently: a cache only saves time."""
    _write(cache_dir() / name, obj, cache_limit())


def kept(name: str, kind: type):
    """The object :func:`keep` kept as ``name`` when it is a ``kind`` (a file this project wrote), else None."""
    obj = _read(cache_dir() / name)
    return obj if isinstance(obj, kind) else None


def _read(path: Path):
    """The object pickled in ``path``, marked as just used; None when there is none or it cannot be read."""
    if not path.is_file():
        return None
    try:
        with path.open("rb") as fh:
            obj = pickle.load(fh)
    except Exception:  # noqa: BLE001 - a broken entry is recomputed, never served
        return None
    _touch(path)
    return obj


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
    limit = cache_limit() if use_cache else 0  # a bad bound is said before the filter runs, not after
    path = cache_dir() / f"calibration-{fingerprint(reported, seed, data_through, particles)}.pkl"
    cal = _read(path) if use_cache else None
    if isinstance(cal, Calibration):
        return cal
    cal = calibrate(reported, np.random.default_rng([seed, 1]), data_through, particles)
    if use_cache:
        _write(path, cal, limit)
    return cal
