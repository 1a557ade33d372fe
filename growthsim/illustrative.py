"""The illustrative project list (示例/虚构项目清单): how it is made.

No source lists the city's projects one by one, so the shipped list is made up
— ILLUSTRATIVE, 示例/虚构, in its file name, its header and everywhere it is
shown. It is a sample of the library the event engine's own steady state
holds on 1 January 2026 (the first projected year: the calibration's last
reported year is 2025), sized from the sources' aggregates, as the registry
and the event engine carry them (each with its source there):

- incremental projects (增量项目): those of the pipeline that delivers the
  registry's ``incremental_projects`` a year which are signed but have not
  entered statistics on the list's date;
- technical-renovation projects (技改项目): the renovation library at that date,
  signed at ``renovation_projects_completed`` / (1 - stall) a year;
- stage lengths, stalls and slips: the registry defaults;
- sizes: renovation investment lognormal with the event engine's mean
  (``RENOVATION_MEAN_INVESTMENT``) and the registry's dispersion, output =
  investment × ``output_investment_ratio``; incremental output lognormal with
  mean the calibrated ``project_full_capacity_output``, investment = output / ratio;
- industries and districts: the pack's ``illustrative.toml`` (the city's own
  names in both languages, each with the document that names it), drawn
  uniformly (假设 assumption); its header lines, with their citations, head the file.

Names are invented (the catalogue's ``project_list.illustrative_name_*``:
示例增量项目001（虚构）…). Each group is oversampled and then
thinned systematically (every k-th in order of the engine's expected delivery
date given the project's stage and dates) to its expected size, so the list
holds the expected number of projects, with the population's timing, rather
than one Poisson draw of it.

Regenerate with ``python -m growthsim.illustrative`` (fixed seed: the same file,
byte for byte).
"""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

import numpy as np

from growthsim.calibration import city
from growthsim.calibration.place_names import IllustrativeNames, read_illustrative
from growthsim.i18n import text
from growthsim.simulation.events import (
    COMMISSIONED,
    COMPLETED,
    INCREMENTAL,
    LIBRARY_WINDOW_YEARS,
    RENOVATION,
    RENOVATION_MEAN_INVESTMENT,
    STAGE_ZH,
    STARTED,
    STATISTICS,
    PipelineParams,
    ProjectSet,
    _advance,
    _prepare_list,
    _realised,
    date_of,
)

from .project_list import COLUMNS, SHIPPED_LIST, TYPE_WORDS
from .settings import DEFAULT_SEED

SEED = DEFAULT_SEED  # the list is sampled with the settings' default seed
AS_OF = 2026  # the first projected year (projections start from the last reported year, 2025)
OVERSAMPLE = 100
def _lognormal(rng, mean, sigma, n):
    return mean * np.exp(sigma * rng.standard_normal(n) - sigma ** 2 / 2.0)


def _thin(rng, idx: np.ndarray, order: np.ndarray, expected: float) -> np.ndarray:
    """A systematic subsample of ``idx`` of the expected size: every k-th in ``order`` from a random start.

    Ordered by each project's expected delivery date given its state, the
    sample's timing follows the population's (less noise than a simple random
    subsample).
    """
    n = min(int(round(expected)), len(idx))
    if not n:
        return idx[:0]
    ranked = idx[np.argsort(order, kind="stable")]
    step = len(ranked) / n
    picks = np.floor(rng.uniform(0, step) + step * np.arange(n)).astype(int)
    return np.sort(ranked[np.minimum(picks, len(ranked) - 1)])


def _plan(times: np.ndarray, kind: int, p: PipelineParams, t0: float):
    """A sampled project's stage on the list's date and its planned dates.

    Passed stages keep their dates; stages to come are planned at the
    registry's planned lengths (the engine adds the slip).
    """
    stage = np.where(times[:, COMMISSIONED] < t0, COMMISSIONED,
                     np.where(times[:, COMPLETED] < t0, COMPLETED, np.where(times[:, STARTED] < t0, STARTED, 0)))
    start = np.where(stage >= STARTED, times[:, STARTED], times[:, 0] + p.signing_to_start)
    build = p.incremental_build if kind == INCREMENTAL else p.renovation_build
    commissioning = np.select(
        [stage == COMMISSIONED, stage == COMPLETED, stage == STARTED],
        [times[:, COMMISSIONED], times[:, COMPLETED] + p.commissioning, times[:, STARTED] + build + p.commissioning],
        start + build + p.commissioning)
    return stage, start, np.maximum(commissioning, start)


def _expected_delivery(times: np.ndarray, kind: int, p: PipelineParams, t0: float) -> np.ndarray:
    """The engine's expected delivery date (纳统, 技改: 投产) of each sampled project, given its state."""
    stage, start, commissioning = _plan(times, kind, p, t0)
    m = len(stage)
    blank = ("",) * m
    ps = ProjectSet(ids=blank, names=blank, industries=blank, districts=blank, kind=np.full(m, kind),
                    investment=np.ones(m), output=np.ones(m), planned_start=start,
                    planned_commissioning=commissioning, stage=stage.astype(np.int64), as_of=t0)
    lst = _prepare_list(ps, t0, p)
    dur = _realised(lst.lengths, lst.first_remaining, lst.cur, p.slip, np.ones((m, 4)))  # E[E] = 1
    k = np.arange(1, 5)[None, :]
    todo = (k > lst.cur[:, None]) & (k <= lst.last[:, None])
    return t0 + np.where(todo, dur, 0.0).sum(axis=1)


def pack_names(pack: city.CityPack | None = None) -> IllustrativeNames:
    """The names the illustrative list draws from and its header (the pack's ``illustrative.toml``).

    Parameters
    ----------
    pack : CityPack, optional
        The pack whose list is made (default: the built-in default pack, whose list ships).

    Raises
    ------
    CityPackError
        The pack has no ``illustrative.toml``, or it is not valid.
    """
    pack = pack or city.default_pack()
    names = read_illustrative(pack)
    if names is None:
        raise city.CityPackError("city.missing_file", pack=str(pack.root), file="illustrative.toml",
                                 required="illustrative.toml")
    return names


def _sample(rng, p: PipelineParams, as_of: int) -> list[tuple[np.ndarray, int]]:
    """The sampled projects' stage times by kind: the incremental pipeline's, then the renovation library's."""
    values = city.pack_defaults()  # the pack's own (a lever that scales with the city needs its levers.toml value)
    q, slip, t0 = p.stage_stall, p.slip, float(as_of)
    # incremental: the pipeline delivering `incremental_projects` a year, signed before the list's date
    lam = values["incremental_projects"]
    lengths = p.lengths(INCREMENTAL)
    chosen = []
    for year in range(as_of, as_of + 10):
        n = int(round(OVERSAMPLE * lam / (1.0 - p.stall)))
        v = rng.uniform(1e-9, 1 - 1e-9, n)
        dur = lengths * (1.0 + slip * rng.standard_exponential((n, 4)))
        sign = year + v - dur.sum(axis=1)
        s = rng.random((n, 3))
        times, stall = _advance(sign, np.zeros(n, np.int64), dur, np.full(n, STATISTICS), s[:, :2], s[:, 2], q)
        times[:, 0] = sign
        alive = np.flatnonzero((sign < t0) & (stall >= t0) & (times[:, STATISTICS] >= t0))
        key = _expected_delivery(times[alive], INCREMENTAL, p, t0)
        keep = _thin(rng, alive, key, len(alive) / OVERSAMPLE)
        chosen.append((times[keep], INCREMENTAL))
    # renovation: the library on the list's date
    rate = values["renovation_projects_completed"] / (1.0 - p.stall)
    n = int(round(OVERSAMPLE * rate * LIBRARY_WINDOW_YEARS))
    sign = rng.uniform(t0 - LIBRARY_WINDOW_YEARS, t0, n)
    dur = p.lengths(RENOVATION) * (1.0 + slip * rng.standard_exponential((n, 4)))
    s = rng.random((n, 3))
    times, stall = _advance(sign, np.zeros(n, np.int64), dur, np.full(n, COMMISSIONED), s[:, :2], s[:, 2], q)
    times[:, 0] = sign
    alive = np.flatnonzero((stall >= t0) & (times[:, COMMISSIONED] >= t0))
    key = _expected_delivery(times[alive], RENOVATION, p, t0)
    keep = _thin(rng, alive, key, len(alive) / OVERSAMPLE)
    chosen.append((times[keep], RENOVATION))
    return chosen


ID_PREFIX = {INCREMENTAL: "INC", RENOVATION: "REN"}
NAME_CODE = {INCREMENTAL: "project_list.illustrative_name_incremental",
             RENOVATION: "project_list.illustrative_name_renovation"}


def generate(capacity_output: float, seed: int = SEED, as_of: int = AS_OF,
             names: IllustrativeNames | None = None) -> list[dict]:
    """The illustrative list's rows (dicts keyed by :data:`growthsim.project_list.COLUMNS`).

    Parameters
    ----------
    capacity_output : float
        Full-capacity output per project [亿元/yr].
    seed : int
        Random seed of the made-up list.
    as_of : int
        The list's date (1 January of this year).
    names : IllustrativeNames, optional
        The industries and districts drawn from (default: the default pack's, :func:`pack_names`).
    """
    names = names or pack_names()
    p = PipelineParams.from_values(city.pack_defaults())
    rng = np.random.default_rng(seed)
    t0 = float(as_of)
    rows: list[dict] = []
    counters = {INCREMENTAL: 0, RENOVATION: 0}
    for times, kind in _sample(rng, p, as_of):
        m = len(times)
        if not m:
            continue
        stage, start, commissioning = _plan(times, kind, p, t0)
        # sizes: lognormal, rescaled so the list's mean is the aggregate's exactly
        if kind == INCREMENTAL:
            output = _lognormal(rng, capacity_output, p.size_dispersion, m)
            output *= capacity_output / output.mean()
            investment = output / p.output_ratio
        else:
            investment = _lognormal(rng, RENOVATION_MEAN_INVESTMENT, p.size_dispersion, m)
            investment *= RENOVATION_MEAN_INVESTMENT / investment.mean()
            output = investment * p.output_ratio
        industry = rng.integers(0, len(names.industries), m)
        district = rng.integers(0, len(names.districts), m)
        for j in range(m):
            counters[kind] += 1
            k = counters[kind]
            a = "{:04d}-{:02d}-{:02d}".format(*date_of(float(start[j])))
            b = "{:04d}-{:02d}-{:02d}".format(*date_of(float(commissioning[j])))
            rows.append({
                "id": f"{ID_PREFIX[kind]}{k:03d}", "name": text(NAME_CODE[kind], "zh", n=k),
                "industry": names.industries[industry[j]].zh, "district": names.districts[district[j]].zh,
                "type": TYPE_WORDS[kind], "investment": f"{max(investment[j], 0.01):.2f}", "planned_start": a,
                "planned_commissioning": b, "output": f"{max(output[j], 0.01):.2f}",
                "stage": STAGE_ZH[int(stage[j])],
            })
    return rows


def csv_text(rows: list[dict], capacity_output: float, seed: int = SEED, as_of: int = AS_OF,
             names: IllustrativeNames | None = None) -> str:
    """The illustrative project list as CSV text: the pack's 示例/ILLUSTRATIVE header lines, then one row per project.

    Parameters
    ----------
    rows : list of dict
        The projects, as :func:`generate` gives them.
    capacity_output : float
        The calibrated full-capacity output of an incremental project, 亿元 a year (named in the header).
    seed : int
        The seed the list was drawn with (named in the header).
    as_of : int
        The list's date, 1 January of this year.
    names : IllustrativeNames, optional
        Where the header lines come from (default: the default pack's, :func:`pack_names`).

    Returns
    -------
    str
    """
    buf = io.StringIO()
    for line in (names or pack_names()).header:
        buf.write(line.format(seed=seed, capacity=capacity_output, as_of=as_of,
                              projects=city.pack_defaults()["incremental_projects"]) + "\n")
    w = csv.DictWriter(buf, fieldnames=list(COLUMNS), lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    return buf.getvalue()


def shipped_capacity_output() -> float:
    """The calibrated full-capacity output on the shipped data (the calibration's point value)."""
    # deferred: calibration.fit loads scipy, pandas; only this path needs it
    from growthsim.calibration.fit import calibrate, read_reported

    cal = calibrate(read_reported(), np.random.default_rng([SEED, 1]))
    return float(cal.posterior.default("project_full_capacity_output"))


def main(argv: list[str] | None = None) -> int:
    """Regenerate the shipped illustrative list (or write it to ``argv[0]``) and say how many projects it has.

    Returns
    -------
    int
        The exit status, 0.
    """
    out = Path(argv[0]) if argv else SHIPPED_LIST
    capacity = shipped_capacity_output()
    rows = generate(capacity)
    out.write_text(csv_text(rows, capacity), encoding="utf-8")
    print(f"wrote {out} ({len(rows)} illustrative projects)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
