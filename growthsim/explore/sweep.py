"""Sweeps: a grid or sample of scenarios, in chunks, resumable, on local processes or Dask.

A sweep varies some levers and uncertainties over ranges; every run is the
scenario with those values set (constant over the projection years), run for
``draws`` draws with the sweep's seed. Each run's numbers are exactly those of
``growthsim run SCENARIO --set K=V ... --draws D --seed S`` (common random
numbers: every run uses the same seed), so any row can be reproduced alone.

Files in the output folder::

    sweep.json            the definition (design, ranges, seed, draws, scenario, data and model fingerprints)
    chunks/chunk-NNNNNN.parquet   the results of runs [N*size, (N+1)*size), each written atomically
    manifest.json         the chunks done, with their row counts and SHA-256, rewritten atomically
    results.parquet, results.csv  every run, in run order, once all chunks are done

Resuming: running the same sweep into the same folder skips every chunk whose
file is complete (its SHA-256 matches the manifest, or, if the manifest missed
it, its runs are exactly the expected ones) and computes the rest, so no result
is lost or duplicated. A different definition is refused with the differences.

Executors: ``workers=1`` runs in this process; more use a local
``ProcessPoolExecutor``; ``scheduler`` (an address, or a ``distributed.Client``)
sends chunks to a Dask cluster. The chunking is part of the definition, not the
executor's, so all executors give the same bytes.
"""

from __future__ import annotations

import concurrent.futures as cf
import functools
import io
import itertools
import json
import math
import os
import re
import shutil
import time
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from growthsim.calibration import city
from growthsim.calibration.fit import Calibration
from growthsim.calibration.record import MAX_BYTES
from growthsim.calibration.targets import tracked_targets
from growthsim.calibration.textfile import TextFileError, check_file
from growthsim.simulation.batch import constant_paths, outcome_draws, used_parameters
from growthsim.simulation.indicators import indicators, shown_in
from growthsim.simulation.registry import nearest_names, parameters
from growthsim.simulation.scenario import HORIZON_MAX, Scenario

from ..candidates import resolve_targets
from ..errors import UserInputError
from ..i18n import Joined, Message
from ..outfolder import file_sha256, read_manifest
from ..settings import DEFAULT_HORIZON, DEFAULT_SEED, DRAWS, SCHEDULER_TIMEOUT_S, check_settings
from .common import (
    atomic_write,
    check_out_dir,
    csv_bytes,
    decimals_for,
    engine_fingerprint,
    json_bytes,
    parse_range,
    process_pool,
    sha256_bytes,
)

DESIGNS = ("grid", "lhs", "sobol", "random")
MAX_RUNS = 1_000_000
MAX_ROWS = 100_000          # rows (runs × draws) per stacked model call inside a chunk
CONNECT_TIMEOUT = f"{SCHEDULER_TIMEOUT_S}s"  # to reach a Dask scheduler and get its first answer
FORMAT_VERSION = 1


@dataclass(frozen=True)
class Vary:
    """One parameter a sweep varies, over ``[lower, upper]`` in its registry unit."""

    id: str
    lower: float
    upper: float


@dataclass(frozen=True)
class SweepSpec:
    """The definition of a sweep: what is varied, how it is sampled, and the run settings.

    ``design`` is one of :data:`DESIGNS`; ``size`` is the number of samples, or of
    levels per parameter for a grid; every run has ``draws`` draws with ``seed``;
    runs are computed and written ``chunk_size`` at a time. Without a chunk size,
    a chunk is one stacked model run: :data:`MAX_ROWS` rows, i.e.
    ``MAX_ROWS // draws`` runs (500 at 200 draws); on the stacked engine such a
    chunk takes tens of milliseconds, while writing a file takes a few, so
    smaller chunks mostly cost file writes.
    """

    scenario: Scenario
    vary: tuple[Vary, ...]
    design: str = "lhs"
    size: int = 100              # samples, or levels per parameter for a grid
    draws: int = DRAWS["sweep"].default
    seed: int = DEFAULT_SEED
    horizon: int = DEFAULT_HORIZON
    chunk_size: int | None = None   # None: MAX_ROWS // draws runs, one stacked model run per chunk
    scenario_ref: str = "baseline"
    data: Mapping[str, object] = field(default_factory=dict)   # calibration data fingerprint
    targets: tuple[str, ...] = ()    # shipped ids or compact targets; () = the tracked targets ahead
    outcomes: tuple[str, ...] = ()   # plain outcomes ``indicator@year``; () = the headline indicators at the horizon

    def __post_init__(self):
        """Resolve the default chunk size (one stacked run of :data:`MAX_ROWS` rows)."""
        if self.chunk_size is None:
            draws = self.draws if isinstance(self.draws, int) and self.draws >= 1 else 1
            object.__setattr__(self, "chunk_size", max(1, MAX_ROWS // draws))

    def check(self, base_year: int) -> None:
        """Refuse a definition outside its allowed ranges.

        Parameters
        ----------
        base_year : int
            The calibration's last year; the horizon must be after it.

        Raises
        ------
        UserInputError
            Naming the first setting that is out of range and what is allowed.
        """
        if self.design not in DESIGNS:
            raise UserInputError("explore.choice", option="--design", value=self.design, allowed=list(DESIGNS))
        if not self.vary:
            raise UserInputError("explore.no_vary")
        ids = [v.id for v in self.vary]
        dup = sorted({i for i in ids if ids.count(i) > 1})
        if dup:
            raise UserInputError("explore.given_twice", option="--vary", name=dup[0])
        if self.size < 1:
            raise UserInputError("explore.at_least_one", option="--grid" if self.design == "grid" else "--samples",
                                 value=self.size)
        check_settings(kind="sweep", draws=self.draws, seed=self.seed)  # the draws' limit, every seed's bounds
        if not base_year < self.horizon <= HORIZON_MAX:
            raise UserInputError("explore.range", option="--horizon", value=self.horizon, lo=base_year + 1,
                                 hi=HORIZON_MAX)
        if not 1 <= self.chunk_size <= 100_000:
            raise UserInputError("explore.range", option="--chunk-size", value=self.chunk_size, lo=1, hi=100000)
        n = self.n_runs()
        if n > MAX_RUNS:
            raise UserInputError("explore.too_many_runs", n=n, most=MAX_RUNS)

    def levels(self, v: Vary) -> np.ndarray:
        """The grid values of ``v``: ``size`` evenly spaced values over its range (whole for counts), no repeats."""
        p = parameters()[v.id]
        if p.integer:
            return np.unique(np.rint(np.linspace(v.lower, v.upper, self.size)))
        return np.unique(np.round(np.linspace(v.lower, v.upper, self.size), decimals_for(p) + 1))

    def n_runs(self) -> int:
        """Number of runs: the product of the grid's levels, or ``size`` for a sampled design."""
        if self.design == "grid":
            return int(np.prod([len(self.levels(v)) for v in self.vary]))
        return self.size

    def n_chunks(self) -> int:
        """Number of chunks of ``chunk_size`` runs (the last may be shorter)."""
        return math.ceil(self.n_runs() / self.chunk_size)

    def definition(self) -> dict:
        """Everything that decides the results; a resume must match it exactly."""
        return {
            "format": FORMAT_VERSION,
            "scenario": {"id": self.scenario.id, "title_zh": self.scenario.title_zh, "title_en": self.scenario.title_en,
                         "values": _jsonable(self.scenario.values)},
            "vary": [{"id": v.id, "lower": v.lower, "upper": v.upper} for v in self.vary],
            "design": self.design, "size": self.size, "runs": self.n_runs(), "draws": self.draws,
            "seed": self.seed, "horizon": self.horizon, "chunk_size": self.chunk_size,
            "data": dict(self.data), "engine": engine_fingerprint(),
            "targets": list(self.targets), "outcomes": list(self.outcomes),
        }


def _jsonable(values: Mapping) -> dict:
    out = {}
    for k, v in sorted(values.items()):
        out[k] = {str(y): float(x) for y, x in sorted(v.items())} if isinstance(v, Mapping) else float(v)
    return out


def parse_vary(items: Sequence[str]) -> tuple[Vary, ...]:
    """Parse ``--vary ID=LOWER:UPPER`` items.

    Returns
    -------
    tuple of Vary

    Raises
    ------
    UserInputError
        If an id is unknown or not a lever or uncertainty, or a range is malformed or outside its registry bounds.
    """
    out = []
    for item in items:
        p, lo, hi = parse_range(item, "--vary")
        out.append(Vary(p.id, lo, hi))
    return tuple(out)


def design_matrix(spec: SweepSpec) -> np.ndarray:
    """The runs' values ``(runs, len(vary))``, from the spec alone (seeded for samples)."""
    reg = parameters()
    if spec.design == "grid":
        axes = [spec.levels(v) for v in spec.vary]
        return np.array(list(itertools.product(*axes)), dtype=float).reshape(-1, len(axes))
    d = len(spec.vary)
    rng = np.random.default_rng([spec.seed, 3])
    if spec.design == "lhs":
        # deferred: scipy.stats (427 modules) is needed only on this path
        from scipy.stats import qmc
        U = qmc.LatinHypercube(d, rng=rng).random(spec.size)
    elif spec.design == "sobol":
        # deferred: scipy.stats (427 modules) is needed only on this path
        from scipy.stats import qmc
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # non-powers of two are allowed; balance is slightly worse
            U = qmc.Sobol(d, rng=rng).random(spec.size)
    else:
        U = rng.random((spec.size, d))
    cols = []
    for j, v in enumerate(spec.vary):
        p = reg[v.id]
        if p.integer:
            cols.append(np.clip(np.floor(v.lower + U[:, j] * (v.upper - v.lower + 1)), v.lower, v.upper))
        else:
            cols.append(np.round(v.lower + U[:, j] * (v.upper - v.lower), decimals_for(p) + 1))
    return np.column_stack(cols)


def outcome_targets(base_year: int, horizon: int, given: Sequence[str] = ()) -> list:
    """The targets whose probability and median every run records: those given (shipped ids or compact targets,
    see :mod:`growthsim.candidates`), else the tracked ones in projected years.

    Parameters
    ----------
    base_year : int
        The calibration's last reported year (calendar year); projected years come after it.
    horizon : int
        Last projected year (calendar year).
    given : Sequence[str]
        The ``--target`` (or ``--outcome``) values given (empty: the defaults).
    """
    if given:
        return resolve_targets(list(given), (), base_year + 1, horizon)
    return [t for t in tracked_targets().values() if base_year < t.year <= horizon]


def plain_outcomes(base_year: int, horizon: int, given: Sequence[str] = ()) -> list[tuple[str, int]]:
    """The plain outcomes every run records (P10, median, P90): those given as ``indicator@year``, else each
    headline indicator in the horizon year, so a sweep to 2030 computes 2030.

    Parameters
    ----------
    base_year : int
        The calibration's last reported year (calendar year); projected years come after it.
    horizon : int
        Last projected year (calendar year).
    given : Sequence[str]
        The ``--target`` (or ``--outcome``) values given (empty: the defaults).
    """
    if not given:
        # an assumed path has no spread
        return [(i, int(horizon)) for i in shown_in("headline") if not indicators()[i].set_by]
    out = []
    for text in given:
        ind, _, year = str(text).partition("@")
        if ind not in indicators():
            near = nearest_names(ind, list(indicators()))
            raise UserInputError("explore.outcome_unknown", text=text, horizon=horizon,
                                 near=near or Message("explore.outcome_see_readme"))
        if not year.isdigit() or not base_year < int(year) <= horizon:
            raise UserInputError("explore.outcome_year", text=text, first=base_year + 1, last=horizon)
        out.append((ind, int(year)))
    if len(set(out)) < len(out):
        raise UserInputError("explore.outcome_twice")
    return out


def outcome_columns(targets: Sequence, outcomes: Sequence[tuple[str, int]]) -> list[str]:
    """The result columns of every target (``prob__ID``, ``p50__ID``) and plain outcome (``p10__``, ``p50__``,
    ``p90__`` + ``indicator@year``)."""
    cols = [c for t in targets for c in (f"prob__{t.id}", f"p50__{t.id}")]
    return cols + [f"{q}__{ind}@{y}" for ind, y in outcomes for q in ("p10", "p50", "p90")]


def compute_chunk(ctx: tuple, definition: dict, run_ids: np.ndarray, X: np.ndarray) -> pd.DataFrame:
    """Run a chunk of the sweep: one row per run with its values, each target's probability and median.

    ``ctx`` is ``(base, posterior, scenario)``. Pure: the same arguments give the same frame anywhere.

    Parameters
    ----------
    ctx : tuple
        ``(base, posterior, scenario)``: the model's context.
    definition : dict
        The sweep's definition (``sweep.json``: factors, ranges, outcomes, settings).
    run_ids : numpy.ndarray
        The runs' numbers.
    X : numpy.ndarray
        The runs' factor values ``(runs, factors)``, each in its registry unit.
    """
    return compute_chunks(ctx, definition, [(run_ids, X)])[0]


def compute_chunks(ctx: tuple, definition: dict, chunks: Sequence[tuple[np.ndarray, np.ndarray]]) -> list[pd.DataFrame]:
    """Run several chunks ``(run_ids, X)`` in stacked runs; one frame per chunk, as :func:`compute_chunk` gives it.

    Every run has the same random numbers (common random numbers), so a run's
    numbers do not depend on the chunks it is computed with. The runs go
    through :func:`simulation.batch.outcome_draws`: inputs of all runs from one
    set of draws, and only the target indicators up to the last target year
    (an outcome of 2026 costs one year of the recursion, whatever the
    horizon); the numbers are those of a projection to the horizon.

    Parameters
    ----------
    ctx : tuple
        ``(base, posterior, scenario)``: the model's context.
    definition : dict
        The sweep's definition (``sweep.json``: factors, ranges, outcomes, settings).
    chunks : Sequence[tuple[numpy.ndarray, numpy.ndarray]]
        ``(run_ids, X)`` per chunk.
    """
    base, posterior, scenario = ctx
    here = _engine_here()
    if definition.get("engine") not in (None, here):  # a remote worker with other model code
        raise RuntimeError(f"this worker runs other model code (fingerprint {here}, the sweep's is "
                           f"{definition['engine']}); install the same growthsim version on every worker")
    names = [v["id"] for v in definition["vary"]]
    draws, horizon, seed = definition["draws"], definition["horizon"], definition["seed"]
    targets = outcome_targets(base.year, horizon, definition.get("targets", ()))
    plain = plain_outcomes(base.year, horizon, definition.get("outcomes", ())) if "outcomes" in definition else []
    X_all = np.concatenate([np.asarray(X, dtype=float).reshape(-1, len(names)) for _, X in chunks])
    n = len(X_all)
    cols = {c: np.empty(n) for c in outcome_columns(targets, plain)}
    needs = list(dict.fromkeys([nd for t in targets for nd in t.needs()] + plain))
    per = max(1, MAX_ROWS // draws)
    for start in range(0, n, per):
        part = X_all[start:start + per]
        # whole numbers for counts, as `growthsim run --set` gives them (float(int(x)))
        part = np.column_stack([np.trunc(part[:, j]) if parameters()[nm].integer else part[:, j]
                                for j, nm in enumerate(names)]) if names else part
        years_needed = max((y for _, y in needs), default=base.year) - base.year
        paths = constant_paths(names, part, years_needed)
        got = outcome_draws(base, scenario, posterior, paths, needs, draws, np.random.default_rng(seed))
        stop = start + len(part)
        for t in targets:
            vals = t.values(lambda ind, y, got=got: got[(ind, y)])              # (runs, draws)
            cols[f"prob__{t.id}"][start:stop] = t.met(vals).mean(axis=1)
            cols[f"p50__{t.id}"][start:stop] = np.median(vals, axis=1)
        for ind, y in plain:
            q = np.percentile(got[(ind, y)], [10, 50, 90], axis=1)
            for k, name in enumerate(("p10", "p50", "p90")):
                cols[f"{name}__{ind}@{y}"][start:stop] = q[k]
    frames, at = [], 0
    for run_ids, X in chunks:
        X = np.asarray(X, dtype=float).reshape(-1, len(names))
        rows = slice(at, at + len(X))
        at += len(X)
        frame = {"run_id": np.asarray(run_ids, dtype=np.int64)}
        for j, nm in enumerate(names):
            frame[nm] = np.asarray(X[:, j], dtype=float)
        for c, v in cols.items():
            frame[c] = v[rows]
        frames.append(pd.DataFrame(frame))
    return frames


@functools.lru_cache(maxsize=1)
def _engine_here() -> str:
    return engine_fingerprint()


# ---------- executors: each yields (chunk index, frame) as chunks finish ----------

_CTX: dict = {}


def _init_process(ctx) -> None:
    _CTX["ctx"] = ctx


def _process_chunk(definition, run_ids, X):
    return compute_chunk(_CTX["ctx"], definition, run_ids, X)


def _bounded(submit, tasks, wait_any, limit):
    """Keep at most ``limit`` tasks in flight; yield (index, result, True) as they finish."""
    pending = {}
    it = iter(tasks)
    for task in itertools.islice(it, limit):
        pending[submit(task)] = task[0]
    while pending:
        done = wait_any(list(pending))
        for fut in done:
            idx = pending.pop(fut)
            result = fut.result()
            nxt = next(it, None)
            if nxt is not None:
                pending[submit(nxt)] = nxt[0]
            yield idx, result, True


class InlineExecutor:
    """Runs the chunks one after another in this process (``workers=1``)."""

    name = "inline"

    def __init__(self, ctx):
        """Keep ``ctx`` (base state, posterior, scenario) for every chunk."""
        self.ctx = ctx

    def run(self, definition, tasks) -> Iterator[tuple[int, pd.DataFrame, bool]]:
        """Compute the tasks' chunks, several in one stacked run (up to :data:`MAX_ROWS` rows).

        Yields (chunk index, results, whether it is the last chunk of its stacked run).

        Chunks are taken in order, as many as fill one stacked run, so a sweep of
        small chunks costs no more model calls than one of large chunks; the
        numbers do not depend on the grouping (common random numbers).
        """
        per = max(1, MAX_ROWS // int(definition["draws"]))
        it = iter(tasks)
        group: list = []
        for task in itertools.chain(it, [None]):
            if task is not None and (not group or sum(len(t[2]) for t in group) + len(task[2]) <= per):
                group.append(task)
                continue
            if group:
                frames = compute_chunks(self.ctx, definition, [(t[1], t[2]) for t in group])
                for j, (t, frame) in enumerate(zip(group, frames, strict=True)):
                    yield t[0], frame, j == len(group) - 1
            group = [task] if task is not None else []

    def close(self) -> None:
        """Nothing to release."""
        pass


class ProcessExecutor:
    """Runs the chunks on a local pool of worker processes."""

    name = "processes"

    def __init__(self, ctx, workers: int):
        """Start ``workers`` processes, each given ``ctx`` once."""
        self.workers = workers
        self.pool = process_pool(workers, _init_process, (ctx,))

    def run(self, definition, tasks):
        """Submit the tasks, at most two per worker in flight; yield (chunk index, results, True) as they finish."""
        def submit(task):
            return self.pool.submit(_process_chunk, definition, task[1], task[2])

        def wait_any(futs):
            return cf.wait(futs, return_when=cf.FIRST_COMPLETED).done
        yield from _bounded(submit, tasks, wait_any, 2 * self.workers)

    def close(self) -> None:
        """Stop the pool, cancelling chunks not yet started."""
        self.pool.shutdown(wait=True, cancel_futures=True)


def _seconds(limit: str | float) -> float:
    """``"10s"`` -> 10.0 (Dask's way of writing a time limit)."""
    text = str(limit).strip()
    return float(text[:-1] if text.endswith("s") else text)


def probe_scheduler(address: str, seconds: float) -> dict:
    """Connect to a Dask scheduler and ask who it is, each step within ``seconds``; return its answer.

    ``distributed.Client``'s own timeout covers the connection only: a server
    that accepts the connection and never answers held it for minutes. This
    bounds the connection and the first answer alike (TimeoutError, OSError).
    """
    # deferred: asyncio (32 modules) is needed only on this path
    import asyncio

    async def ask() -> dict:
        # deferred: distributed.comm (362 modules) is needed only on this path
        from distributed.comm import connect

        comm = await asyncio.wait_for(connect(address, timeout=seconds), seconds)
        try:
            await asyncio.wait_for(comm.write({"op": "identity"}), seconds)
            return await asyncio.wait_for(comm.read(), seconds)
        finally:
            comm.abort()

    answer = asyncio.run(ask())
    if not isinstance(answer, dict) or answer.get("type") != "Scheduler":
        raise ValueError(f"{address} answered, but not as a Dask scheduler")
    return answer


class DaskExecutor:
    """Runs the chunks on a Dask cluster."""

    name = "dask"

    def __init__(self, ctx, scheduler):
        """Connect to the cluster and send it ``ctx`` once.

        Parameters
        ----------
        ctx : tuple
            (base state, posterior, scenario).
        scheduler : str or distributed.Client
            A scheduler address, or a client the caller owns (then not closed here).

        Raises
        ------
        UserInputError
            If no scheduler answers at the address.
        """
        try:
            # deferred: distributed (362 modules) is needed only on this path
            from distributed import Client
        except ImportError:  # pragma: no cover - dask is a dependency
            raise UserInputError("explore.no_dask") from None
        self.own = not hasattr(scheduler, "submit")
        if self.own:
            try:
                probe_scheduler(str(scheduler), _seconds(CONNECT_TIMEOUT))
                self.client = Client(str(scheduler), timeout=CONNECT_TIMEOUT)
            except (OSError, TimeoutError, ValueError) as err:
                limit = _seconds(CONNECT_TIMEOUT)
                raise UserInputError("explore.no_scheduler", scheduler=scheduler, limit=f"{limit:g}",
                                     reason=str(err or type(err).__name__)) from None
        else:
            self.client = scheduler
        self.ctx_future = self.client.scatter(ctx, broadcast=True, hash=False)
        self.futures: list = []

    def run(self, definition, tasks):
        """Submit the tasks, at most two per cluster worker in flight.

        Yields (chunk index, results, True) as they finish.
        """
        # deferred: distributed (362 modules) is needed only on this path
        from distributed import wait

        workers = max(1, len(self.client.scheduler_info().get("workers", {})))

        def submit(task):
            fut = self.client.submit(compute_chunk, self.ctx_future, definition, task[1], task[2], pure=False)
            self.futures.append(fut)
            return fut

        def wait_any(futs):
            return wait(futs, return_when="FIRST_COMPLETED").done
        yield from _bounded(submit, tasks, wait_any, 2 * workers)

    def close(self) -> None:
        """Cancel unfinished chunks and close the client if this executor opened it."""
        for f in self.futures:
            if not f.done():
                f.cancel()
        self.futures.clear()
        if self.own:
            self.own = False  # close once
            self.client.close()


# ---------- the folder ----------

@dataclass
class SweepReport:
    """What a sweep did: where, how many runs and chunks, and its results.

    ``computed`` chunks were run now, ``skipped`` were already complete,
    ``repaired`` lists those found damaged and recomputed; ``executor`` names how
    they ran; ``results`` has every run in run order.
    """

    out: Path
    runs: int
    chunks: int
    computed: int
    skipped: int
    repaired: list[int]
    executor: str
    seconds: float
    results: pd.DataFrame


def chunk_name(i: int) -> str:
    """The file name of chunk ``i`` (``chunk-NNNNNN.parquet``)."""
    return f"chunk-{i:06d}.parquet"


def _frame_bytes(frame: pd.DataFrame) -> bytes:
    buf = io.BytesIO()
    frame.to_parquet(buf, index=False, engine="pyarrow", compression="zstd")
    return buf.getvalue()


def _read_json(path: Path) -> dict | None:
    """A JSON object the sweep wrote (read through the bounded reader); None if there is none."""
    return read_manifest(path)


# The files a sweep writes into its folder; atomic_write's temporary names are ".<name>.<random>.tmp".
OWN_FILES = ("sweep.json", "manifest.json", "results.parquet", "results.csv")


def _own_temp(name: str, in_chunks: bool = False) -> bool:
    """Whether ``name`` is a temporary file of the sweep's own (a planner's ``.draft.tmp`` is not)."""
    if not (name.startswith(".") and name.endswith(".tmp")):
        return False
    if in_chunks:
        return re.fullmatch(r"\.chunk-\d{6}\.parquet\.[^.]+\.tmp", name) is not None
    return any(name.startswith(f".{own}.") for own in OWN_FILES)


def _differences(old: dict, new: dict) -> list[Message]:
    out = []
    for key in sorted(set(old) | set(new)):
        if old.get(key) != new.get(key):
            out.append(Message("explore.sweep_difference", key=key, old=json.dumps(old.get(key), ensure_ascii=False),
                               new=json.dumps(new.get(key), ensure_ascii=False)))
    return out


LOCK = ".lock"


def _lock(out: Path):
    """One sweep at a time per folder (filelock: released by the kernel when a sweep is killed)."""
    # deferred: filelock (21 modules) is needed only on this path
    from filelock import FileLock, Timeout

    lock = FileLock(str(out / LOCK), timeout=0)
    try:
        lock.acquire()
    except Timeout:
        raise UserInputError("explore.sweep_locked", out=out) from None
    return lock


def _leftovers_only(out: Path) -> bool:
    """Whether ``out`` holds only what a sweep killed before writing sweep.json leaves.

    That is: the lock, temp files, chunks/.
    """
    for entry in out.iterdir():
        if entry.name == LOCK or _own_temp(entry.name):
            continue
        if entry.name == "chunks" and entry.is_dir() and not any(p.suffix == ".parquet" and not p.name.startswith(".")
                                                                  for p in entry.iterdir()):
            continue
        return False
    return True


def _valid_chunk(path: Path, expected_ids: np.ndarray, X: np.ndarray, names: list[str],
                 columns: list[str]) -> bool:
    """A chunk file not in the manifest is kept only if it holds exactly the expected runs."""
    try:
        frame = pd.read_parquet(path)
    except Exception:  # noqa: BLE001 - any unreadable file is simply recomputed
        return False
    if list(frame.columns) != columns or len(frame) != len(expected_ids):
        return False
    if not np.array_equal(frame.run_id.to_numpy(), expected_ids):
        return False
    return all(np.array_equal(frame[n].to_numpy(dtype=float), X[:, j]) for j, n in enumerate(names))


def run_sweep(calibration: Calibration, spec: SweepSpec, out: str | Path, workers: int = 1,
              scheduler=None, on_chunk: Callable[[int, int, int], None] | None = None) -> SweepReport:
    """Run (or resume) a sweep into ``out``; see the module notes for the files and the guarantees.

    Parameters
    ----------
    calibration : Calibration
        The calibration: base state and posterior.
    spec : SweepSpec
        The sweep's specification: factors, design, runs, draws, seed, horizon.
    out : str | Path
        The output folder.
    workers : int
        Processes to run on (1: this one).
    scheduler
        A Dask scheduler address, or None: local processes.
    on_chunk : Callable[[int, int, int], None] | None
        Called with (chunk, runs done, runs in all) as each chunk is written, or None.
    """
    t0 = time.perf_counter()
    spec.check(calibration.base_year)
    used = set(used_parameters(calibration.base, calibration.posterior, spec.horizon))
    idle = [v.id for v in spec.vary if v.id not in used]
    if idle:
        raise UserInputError("explore.vary_unused", name=idle[0])
    out = check_out_dir(Path(out))
    # the calibration's last year: `discover` refuses a target of it or earlier, and picks the first one after it
    definition = {**spec.definition(), "base_year": int(calibration.base_year)}
    _check_resumable(out, definition)
    if not 1 <= workers <= 256:
        raise UserInputError("explore.range", option="--workers", value=workers, lo=1, hi=256)
    chunks_dir = out / "chunks"
    X = design_matrix(spec)
    names = [v.id for v in spec.vary]
    n, size = len(X), spec.chunk_size
    columns = ["run_id"] + names + outcome_columns(
        outcome_targets(calibration.base_year, spec.horizon, spec.targets),
        plain_outcomes(calibration.base_year, spec.horizon, spec.outcomes))
    ctx = (calibration.base, calibration.posterior, spec.scenario)
    # Start the executor before writing anything: a sweep that cannot start (no Dask scheduler) writes nothing.
    executor = _executor(ctx, scheduler, workers, spec.n_chunks())
    created = not out.exists()
    try:
        out.mkdir(parents=True, exist_ok=True)
        lock = _lock(out)
    except BaseException:
        executor.close()
        if created:
            shutil.rmtree(out, ignore_errors=True)
        raise
    try:
        # sweep.json first: from here on the folder is a sweep that a rerun resumes, whenever it is killed
        if _read_json(out / "sweep.json") is None:
            atomic_write(out / "sweep.json", json_bytes(definition))
        chunks_dir.mkdir(exist_ok=True)
        for tmp in [p for p in out.glob(".*.tmp") if _own_temp(p.name)] + \
                [p for p in chunks_dir.glob(".*.tmp") if _own_temp(p.name, in_chunks=True)]:
            tmp.unlink(missing_ok=True)  # half-written files of an interrupted write (the sweep's own only)
        manifest, repaired = _finished_chunks(out, spec, X, names, columns)
        todo = [i for i in range(spec.n_chunks()) if str(i) not in manifest["chunks"]]
        skipped = spec.n_chunks() - len(todo)
        tasks = ((i, np.arange(i * size, min(n, (i + 1) * size), dtype=np.int64),
                  X[i * size:min(n, (i + 1) * size)]) for i in todo)
        computed, fresh = _compute_chunks(out, executor, definition, tasks, manifest, columns,
                                          lambda i, c: on_chunk(i, skipped + c, spec.n_chunks()) if on_chunk else None)
        frames = [fresh[i] if i in fresh else pd.read_parquet(chunks_dir / chunk_name(i))
                  for i in range(spec.n_chunks())]
        results = pd.concat(frames, ignore_index=True)
        if not np.array_equal(results.run_id.to_numpy(), np.arange(n)):
            raise RuntimeError("the chunks do not hold each run exactly once")
        atomic_write(out / "results.parquet", _frame_bytes(results))
        atomic_write(out / "results.csv", csv_bytes(results, float_format="%.10g"))
    finally:
        executor.close()
        lock.release()
    return SweepReport(out, n, spec.n_chunks(), computed, skipped, repaired, executor.name,
                       time.perf_counter() - t0, results)


def _executor(ctx: tuple, scheduler, workers: int, n_chunks: int):
    """Where the chunks run: a Dask cluster, local worker processes, or this process (one worker or one chunk)."""
    if scheduler is not None:
        return DaskExecutor(ctx, scheduler)
    if workers > 1 and n_chunks > 1:
        return ProcessExecutor(ctx, workers)
    return InlineExecutor(ctx)


def _check_resumable(out: Path, definition: dict) -> None:
    """Refuse a folder that is not empty unless it holds this very sweep (same settings, same model's code)."""
    if out.exists() and any(out.iterdir()) and not _leftovers_only(out):
        old = _read_json(out / "sweep.json")
        if old is None:
            raise UserInputError("explore.sweep_not_empty", out=out)
        diffs = _differences(old, definition)
        if diffs and _differences({**old, "engine": ""}, {**definition, "engine": ""}) == []:
            raise UserInputError("explore.sweep_model_changed", out=out, old=old.get("engine"),
                                 new=definition["engine"])
        if diffs:
            raise UserInputError("explore.sweep_different", out=out, diffs=Joined(diffs))


def _finished_chunks(out: Path, spec: SweepSpec, X: np.ndarray, names: list[str],
                     columns: list[str]) -> tuple[dict, list[int]]:
    """The chunks an earlier run finished (listed with their hash, or valid though unlisted), written back as
    the manifest; a damaged chunk file is removed and its index returned among the repaired."""
    chunks_dir = out / "chunks"
    n, size = len(X), spec.chunk_size
    manifest = _read_json(out / "manifest.json") or {"chunks": {}}
    if not isinstance(manifest.get("chunks"), dict):
        manifest = {"chunks": {}}
    done: dict[str, dict] = {}
    repaired: list[int] = []
    for i in range(spec.n_chunks()):
        path = chunks_dir / chunk_name(i)
        if not path.exists():
            continue
        entry = manifest["chunks"].get(str(i))
        ids = np.arange(i * size, min(n, (i + 1) * size), dtype=np.int64)
        if entry and entry.get("sha256") == file_sha256(path):
            done[str(i)] = entry
        elif entry is None and _valid_chunk(path, ids, X[ids], names, columns):
            done[str(i)] = {"rows": len(ids), "sha256": file_sha256(path)}   # written, manifest missed it
        else:
            path.unlink()
            repaired.append(i)
    manifest = {"chunks": dict(sorted(done.items(), key=lambda kv: int(kv[0])))}
    atomic_write(out / "manifest.json", json_bytes(manifest))
    return manifest, repaired


def _compute_chunks(out: Path, executor, definition: dict, tasks, manifest: dict, columns: list[str],
                    on_chunk) -> tuple[int, dict[int, pd.DataFrame]]:
    """Compute the chunks left, writing each file and, once per group, the manifest (always before returning or
    failing); returns how many were computed and their frames (not read back from their files)."""
    chunks_dir = out / "chunks"
    computed = 0
    fresh: dict[int, pd.DataFrame] = {}   # chunks computed now: not read back from their files
    unlisted = False   # chunk files written that manifest.json does not list yet
    try:
        for i, frame, group_end in executor.run(definition, tasks):
            if list(frame.columns) != columns:  # a worker running other code
                raise RuntimeError(f"chunk {i}: unexpected columns {list(frame.columns)}")
            data = _frame_bytes(frame)
            atomic_write(chunks_dir / chunk_name(i), data)
            manifest["chunks"][str(i)] = {"rows": len(frame), "sha256": sha256_bytes(data)}
            fresh[i] = frame
            unlisted = True
            # once per group of chunks computed together (a file the manifest misses is checked on resume)
            if group_end:
                atomic_write(out / "manifest.json", json_bytes(manifest))
                unlisted = False
            computed += 1
            on_chunk(i, computed)
    finally:
        try:
            if unlisted:
                atomic_write(out / "manifest.json", json_bytes(manifest))
        finally:
            executor.close()
    return computed, fresh


def load_sweep(folder: str | Path) -> tuple[dict, pd.DataFrame]:
    """A finished sweep's definition and results; UserInputError if the folder holds none."""
    folder = Path(folder)
    definition = _read_json(folder / "sweep.json")
    if definition is None:
        raise UserInputError("explore.no_sweep", folder=folder)
    path = folder / "results.parquet"
    if not os.path.lexists(path):
        raise UserInputError("explore.sweep_unfinished", folder=folder)
    if not _definition_ok(definition):
        raise _damaged(folder / "sweep.json", Message("explore.damaged_definition"))
    return definition, _read_results(path, definition)


def _definition_ok(definition: dict) -> bool:
    """Whether a sweep.json has what ``discover`` reads: each varied parameter's id and bounds, seed and draws."""
    vary = definition.get("vary")
    number = (int, float)
    return (isinstance(vary, list) and bool(vary)
            and all(isinstance(v, dict) and isinstance(v.get("id"), str) and isinstance(v.get("lower"), number)
                    and isinstance(v.get("upper"), number) for v in vary)
            and isinstance(definition.get("seed"), int) and isinstance(definition.get("draws"), int))


MAX_RESULTS_BYTES = 2_000_000_000  # a million runs with a dozen columns is some 100 MB


def _damaged(path: Path, problem: Message) -> UserInputError:
    """A sweep's file that cannot be used, and how to rebuild it."""
    return UserInputError("explore.sweep_damaged", path=path, problem=problem)


def _read_results(path: Path, definition: dict) -> pd.DataFrame:
    """A sweep's results through the bounded reader: a regular file, at most 2 GB, a table with the sweep's columns."""
    try:
        check_file(path, what=Message("file.what_sweep_results"), max_bytes=MAX_RESULTS_BYTES)
    except TextFileError as err:
        raise UserInputError(err.message) from None
    try:
        frame = pd.read_parquet(path)
    except Exception as err:  # noqa: BLE001 - pyarrow raises many kinds for a damaged file: each is told the same way
        raise _damaged(path, Message("explore.damaged_file", kind=type(err).__name__)) from None
    names = [v.get("id") for v in definition.get("vary", []) if isinstance(v, dict)]
    needed = ["run_id", *(n for n in names if isinstance(n, str))]
    missing = [c for c in needed if c not in frame.columns]
    if missing or not any(c.startswith("prob__") for c in frame.columns) or frame.empty:
        what = Message("explore.lacks_column", column=missing[0]) if missing else Message("explore.no_columns")
        raise _damaged(path, Message("explore.damaged_results", what=what))
    return frame


def data_fingerprint(data_file: str | None, data_through: int | None) -> dict:
    """The calibration data a sweep was run on, for its definition.

    Parameters
    ----------
    data_file : str or None
        The reported-figures file (None: the shipped one).
    data_through : int or None
        The last year of data used.

    Returns
    -------
    dict
        File name, its SHA-256 ("" when unreadable) and the data-through year.
    """
    path = Path(data_file) if data_file else city.active().reported_figures
    try:
        check_file(path, what="a reported-figures CSV", max_bytes=MAX_BYTES)  # never hash /dev/zero
        digest = file_sha256(path)
    except (OSError, TextFileError):
        digest = ""
    return {"file": path.name, "sha256": digest, "data_through": data_through}
