"""Scenario discovery: the conditions under which a target is met, in plain words.

From a sweep (each run: values of the varied levers and uncertainties, and
the probability, over its draws, of meeting each target), a run is a *case of
interest* when its probability is at least ``probability``. Two methods find
a box of conditions that holds many cases of interest and few others:

- ``prim``: Friedman and Fisher's patient rule induction (peeling). From the
  sweep's ranges, repeatedly peel the ``alpha`` share of runs from one end of
  one parameter, choosing the peel that most raises the share of cases of
  interest (the box's *density*), until fewer than ``min_support`` of the runs
  remain. Of the boxes on the way whose density reaches ``density``, the one
  with the largest coverage × density is kept (*coverage*: the share of all
  cases of interest inside the box; on a tie, the denser box).
- ``tree``: a shallow decision tree (scikit-learn); of the leaves whose
  density reaches ``density``, the one with the largest coverage × density.

Restrictions that do not matter (removing one keeps the density within half a
point) are dropped, so the sentence names only what counts. The box is then
stated with conservative round numbers (lower limits rounded up, upper limits
down) and every figure in the sentence is recomputed from the runs inside the
stated box: the probability ``Z`` is the mean, over those runs, of the
probability of meeting the target, rounded down to a whole percent.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from growthsim.calibration.targets import targets
from growthsim.simulation.registry import nearest_names, parameters
from growthsim.simulation.scenario import baseline
from growthsim.simulation.targets import Target

from ..candidates import resolve_one
from ..errors import UserInputError
from ..i18n import Message, Pair, both
from ..settings import DEFAULT_PROBABILITY, DEFAULT_SEED
from .common import (
    check_probability,
    check_projected,
    condition_text,
    join_conditions,
    projected_targets,
    sentence_decimals,
)

METHODS = ("prim", "tree")


@dataclass
class Box:
    """Inclusive limits per parameter; a missing limit is the sweep's own range."""

    limits: dict[str, tuple[float, float]]

    def mask(self, X: pd.DataFrame) -> np.ndarray:
        """Which runs lie inside the box.

        Parameters
        ----------
        X : pandas.DataFrame
            One row per run, one column per varied parameter.

        Returns
        -------
        numpy.ndarray of bool
            True for the runs within every limit.
        """
        m = np.ones(len(X), dtype=bool)
        for k, (lo, hi) in self.limits.items():
            m &= (X[k].to_numpy() >= lo) & (X[k].to_numpy() <= hi)
        return m


@dataclass
class Finding:
    """The conditions under which a target is met with at least ``probability``, as found and as stated.

    ``box`` holds the stated (rounded, conservative) limits of the ``restricted``
    parameters, ``ranges`` the sweep's own ranges. ``coverage`` is the share of all
    cases of interest inside the box and ``density`` the share of the box's runs
    that are cases; ``mean_probability`` (Z in the sentence) and ``p10_probability``
    describe the runs inside, ``outside_probability`` those outside.
    ``sentence_zh`` and ``sentence_en`` say it in words.
    """

    target: Target
    probability: float
    method: str
    box: Box                       # as stated (rounded, conservative)
    restricted: list[str]          # parameters with a stated limit, most important first
    ranges: dict[str, tuple[float, float]]
    runs: int
    in_box: int
    cases: int                     # runs meeting the target with at least ``probability``
    coverage: float
    density: float
    mean_probability: float        # Z: mean probability of the runs in the box
    p10_probability: float
    outside_probability: float
    sentence_zh: str
    sentence_en: str
    trajectory: pd.DataFrame = field(default_factory=pd.DataFrame)
    notes: list[Message] = field(default_factory=list)  # shown in the reader's language


def _stats(mask: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    n = int(mask.sum())
    cases = int(y.sum())
    if n == 0:
        return 0.0, 0.0
    inside = int(y[mask].sum())
    return inside / n, (inside / cases if cases else 0.0)


def prim_trajectory(X: pd.DataFrame, y: np.ndarray, alpha: float = 0.05,
                    min_support: float = 0.05) -> list[tuple[Box, float, float, int]]:
    """Peel from the full box; return (box, density, coverage, runs in box) after each step.

    Parameters
    ----------
    X : pd.DataFrame
        Factor values, one row per run (each in its parameter's registry unit).
    y : numpy.ndarray
        Whether each run meets the target (1) or not (0).
    alpha : float
        Share of the runs peeled off at each step, 0-1.
    min_support : float
        Least share of the runs a box keeps, 0-1.
    """
    cols = list(X.columns)
    data = {c: X[c].to_numpy(dtype=float) for c in cols}
    limits = {c: (float(data[c].min()), float(data[c].max())) for c in cols}
    mask = np.ones(len(X), dtype=bool)
    n_min = max(1, int(math.ceil(min_support * len(X))))
    dens, cov = _stats(mask, y)
    steps = [(Box(dict(limits)), dens, cov, int(mask.sum()))]
    while True:
        m = int(mask.sum())
        k = max(1, int(math.ceil(alpha * m)))
        best = None
        for c in cols:
            vals = np.sort(data[c][mask])
            if vals[0] == vals[-1]:
                continue
            for side in ("lower", "upper"):
                if side == "lower":
                    cut = vals[k - 1]
                    keep = mask & (data[c] > cut)
                else:
                    cut = vals[-k]
                    keep = mask & (data[c] < cut)
                n_keep = int(keep.sum())
                if n_keep < n_min or n_keep == m:
                    continue
                d = float(y[keep].mean())
                # the highest density; on a tie, the peel that removes fewer runs
                score = (d, n_keep)
                if best is None or score > best[0]:
                    best = (score, c, side, keep)
        if best is None:
            break
        _, c, side, keep = best
        kept = data[c][keep]
        lo, hi = limits[c]
        limits[c] = (float(kept.min()), hi) if side == "lower" else (lo, float(kept.max()))
        mask = keep
        dens, cov = _stats(mask, y)
        steps.append((Box(dict(limits)), dens, cov, int(mask.sum())))
    return steps


def tree_boxes(X: pd.DataFrame, y: np.ndarray, seed: int, max_depth: int = 3,
               min_leaf: float = 0.05) -> list[Box]:
    """The leaves of a shallow decision tree as boxes (limits at values present in the data).

    Parameters
    ----------
    X : pd.DataFrame
        Factor values, one row per run (each in its parameter's registry unit).
    y : numpy.ndarray
        Whether each run meets the target (1) or not (0).
    seed : int
        Random seed of the tree's ties.
    max_depth : int
        Deepest split of the tree [levels].
    min_leaf : float
        Least share of the runs in a leaf, 0-1.
    """
    # deferred: sklearn.tree (1007 modules) is needed only on this path
    from sklearn.tree import DecisionTreeClassifier

    if y.all() or not y.any():
        return [Box({c: (float(X[c].min()), float(X[c].max())) for c in X.columns})]
    clf = DecisionTreeClassifier(max_depth=max_depth, min_samples_leaf=max(2, int(min_leaf * len(X))),
                                 random_state=seed)
    clf.fit(X.to_numpy(dtype=float), y.astype(int))
    tree = clf.tree_
    cols = list(X.columns)
    boxes = []

    def walk(node: int, limits: dict[str, tuple[float, float]]):
        if tree.children_left[node] == -1:
            boxes.append(limits)
            return
        c, t = cols[tree.feature[node]], float(tree.threshold[node])
        lo, hi = limits[c]
        walk(tree.children_left[node], {**limits, c: (lo, min(hi, t))})
        walk(tree.children_right[node], {**limits, c: (max(lo, np.nextafter(t, np.inf)), hi)})

    walk(0, dict.fromkeys(cols, (-np.inf, np.inf)))
    out = []
    for limits in boxes:
        snapped = {}
        for c, (lo, hi) in limits.items():
            vals = X[c].to_numpy(dtype=float)
            inside = vals[(vals >= lo) & (vals <= hi)]
            snapped[c] = (float(inside.min()), float(inside.max())) if len(inside) else (lo, hi)
        out.append(Box(snapped))
    return out


def _noise(mask: np.ndarray, y: np.ndarray) -> float:
    """One standard error of a box's density (binomial), at least half a point."""
    n = max(1, int(mask.sum()))
    d = float(y[mask].mean()) if mask.any() else 0.0
    return max(0.005, math.sqrt(d * (1.0 - d) / n))


def _simplify(box: Box, X: pd.DataFrame, y: np.ndarray,
              full: Mapping[str, tuple[float, float]]) -> tuple[Box, list[str]]:
    """Drop restrictions whose removal costs less density than the box's own noise (one standard error).

    ``full`` is the data's range: a limit there is no restriction. The rest are
    ordered by how much density they bring, most first.
    """
    limits = {c: (max(lo, full[c][0]), min(hi, full[c][1])) for c, (lo, hi) in box.limits.items()}
    restricted = [c for c in limits if limits[c] != tuple(full[c])]
    mask = Box(limits).mask(X)
    base_density, _ = _stats(mask, y)
    changed = True
    while changed and restricted:
        changed = False
        losses = []
        for c in restricted:
            trial = {**limits, c: tuple(full[c])}
            d, _ = _stats(Box(trial).mask(X), y)
            losses.append((base_density - d, c))
        losses.sort()
        loss, c = losses[0]
        if loss <= _noise(mask, y):
            limits[c] = tuple(full[c])
            restricted.remove(c)
            mask = Box(limits).mask(X)
            base_density, _ = _stats(mask, y)
            changed = True
    importance = []
    for c in restricted:
        d, _ = _stats(Box({**limits, c: tuple(full[c])}).mask(X), y)
        importance.append((base_density - d, c))
    importance.sort(key=lambda t: (-t[0], t[1]))
    return Box(limits), [c for _, c in importance]


def _state(box: Box, restricted: Sequence[str], data_range: Mapping[str, tuple[float, float]],
           swept: Mapping[str, tuple[float, float]]) -> Box:
    """Round the limits for a sentence, conservatively: lower limits up, upper limits down.

    A side at the edge of the data is no restriction: it becomes the swept bound.
    """
    reg = parameters()
    limits = {}
    for c in restricted:
        p = reg[c]
        lo, hi = box.limits[c]
        scale = 10 ** sentence_decimals(p)
        lo_r = swept[c][0] if lo <= data_range[c][0] else math.ceil(round(lo * scale, 6)) / scale
        hi_r = swept[c][1] if hi >= data_range[c][1] else math.floor(round(hi * scale, 6)) / scale
        limits[c] = (lo_r, hi_r)
    return Box(limits)


def _pct_down(z: float) -> str:
    """A whole percentage rounded down (99.6 % -> 99 %): a sentence never claims more than the runs show."""
    return f"{math.floor(round(z * 100, 9)):d}%"


def _sentences(target: Target, box: Box, restricted: Sequence[str], full, z: float, n: int,
               scenario_title: tuple[str, str]) -> tuple[str, str]:
    reg = parameters()
    zh_parts: list[str] = []
    en_parts: list[str] = []
    for c in restricted:
        lo, hi = box.limits[c]
        flo, fhi = full[c]
        lo_s = None if lo <= flo else lo
        hi_s = None if hi >= fhi else hi
        zh_parts.append(condition_text(reg[c], lo_s, hi_s, "zh"))
        en_parts.append(condition_text(reg[c], lo_s, hi_s, "en"))
    name, pct = Pair(target.label_zh, target.label_en), _pct_down(z)
    if zh_parts:
        conditions = Pair(join_conditions(zh_parts, "zh"), join_conditions(en_parts, "en"))
        zh, en = both("explore.discover_when", conditions=conditions, target=name, p=pct)
    else:
        zh, en = both("explore.discover_everywhere", target=name, p=pct)
    mean_zh, mean_en = both("explore.discover_mean", n=n, scenario=Pair(*scenario_title))
    return zh + mean_zh, en + mean_en


def sweep_target(definition: Mapping, results: pd.DataFrame, target_id: str | None) -> str:
    """The target to discover: the one named, or the first tracked target after the sweep's base year.

    A named target of a reported year (at or before the calibration's last
    year, kept in ``sweep.json`` as ``base_year``) is refused in English and
    Chinese, naming the allowed years: the sweep projects no such year.

    Parameters
    ----------
    definition : Mapping
        The sweep's definition (``sweep.json``: factors, ranges, outcomes, settings).
    results : pd.DataFrame
        The sweep's runs: factor values, each target's probability and median.
    target_id : str | None
        The target's id, or None: the first tracked target after the base year.
    """
    all_t = targets()
    base_year = definition.get("base_year")
    horizon = definition.get("horizon")
    have = [c[len("prob__"):] for c in results.columns if c.startswith("prob__")]
    if target_id is None:
        if base_year is not None:
            first = next((t for t in projected_targets(int(base_year), horizon) if t.id in have), None)
            if first is not None:
                return first.id
        if have:
            return min(have, key=lambda k: (all_t[k].year, list(all_t).index(k)) if k in all_t else (9999, 0))
        raise UserInputError("explore.sweep_no_target")
    if target_id in all_t and base_year is not None:
        check_projected([all_t[target_id]], int(base_year), horizon)
    return target_id


def _posed(text: str):
    """A compact target a sweep recorded (its column is ``prob__<text>``), read back as a posed target."""
    return resolve_one(text, 2000, 2035)


def _probability_column(results: pd.DataFrame, target_id: str) -> str:
    """The sweep's column of a target's probability; a target the sweep did not record is refused."""
    col = f"prob__{target_id}"
    if col not in results.columns:
        have = sorted(c[len("prob__"):] for c in results.columns if c.startswith("prob__"))
        near = nearest_names(target_id, have)
        hint = Message("explore.hint_near", names=near) if near else Message("explore.sweep_has", ids=have)
        raise UserInputError("explore.not_in_sweep", id=target_id, hint=hint)
    return col


def _best_box(scored, density: float):
    """Of (box, density, coverage, ...) tuples, the box with the largest density x coverage among those reaching
    ``density``, else the densest; and whether one reached it.

    Parameters
    ----------
    scored : sequence of tuple
        (box, density (share), coverage (share), ...).
    density : float
        The density a box should reach (share, 0-1).
    """
    good = [s for s in scored if s[1] >= density]
    if good:
        return max(good, key=lambda s: (s[1] * s[2], s[1]))[0], True
    return max(scored, key=lambda s: (s[1], s[2]))[0], False


def _chosen_box(method: str, X: pd.DataFrame, y: np.ndarray, names: list[str], density: float, alpha: float,
                min_support: float, max_depth: int, seed: int) -> tuple[Box, pd.DataFrame, list[Message]]:
    """The box PRIM peels to (or the tree's leaf) with the best density × coverage among those dense enough
    (else the densest), PRIM's trajectory (empty for a tree) and notes."""
    notes: list[Message] = []
    traj = pd.DataFrame()
    if method == "prim":
        steps = prim_trajectory(X, y, alpha, min_support)
        traj = pd.DataFrame([{"step": i, "density": d, "coverage": c, "runs": n,
                              **{f"{k}_lower": b.limits[k][0] for k in names},
                              **{f"{k}_upper": b.limits[k][1] for k in names}}
                             for i, (b, d, c, n) in enumerate(steps)])
        chosen, reached = _best_box(steps, density)
        if not reached:
            notes.append(Message("explore.discover_no_dense_box", density=density))
    else:
        boxes = tree_boxes(X, y, seed, max_depth, min_support)
        scored = []
        for b in boxes:
            d, c = _stats(b.mask(X), y)
            scored.append((b, d, c))
        chosen, reached = _best_box(scored, density)
        if not reached:
            notes.append(Message("explore.discover_no_dense_leaf", density=density))
    return chosen, traj, notes


def discover(definition: Mapping, results: pd.DataFrame, target_id: str | None = None,
             probability: float = DEFAULT_PROBABILITY,
             method: str = "prim", density: float = 0.8, alpha: float = 0.05, min_support: float = 0.05,
             max_depth: int = 3, scenario_title: tuple[str, str] | None = None,
             seed: int = DEFAULT_SEED) -> Finding:
    """Find and state the conditions under which ``target_id`` is met with at least ``probability``.

    ``target_id`` None: the first tracked target after the sweep's base year (see :func:`sweep_target`).

    Parameters
    ----------
    definition : Mapping
        The sweep's definition (``sweep.json``: factors, ranges, outcomes, settings).
    results : pd.DataFrame
        The sweep's runs: factor values, each target's probability and median.
    target_id : str | None
        The target's id, or None: the first tracked target after the base year.
    probability : float
        The probability required, 0-1.
    method : str
        ``prim`` or ``cart``.
    density : float
        Least share of runs in the box that meet the target, 0-1.
    alpha : float
        Share of the runs peeled off at each step, 0-1.
    min_support : float
        Least share of the runs a box keeps, 0-1.
    max_depth : int
        Deepest split of the tree [levels].
    scenario_title : tuple[str, str] | None
        The sweep's scenario title (Chinese, English), or None: the baseline's (its Chinese title and its id).
    seed : int
        Random seed of the tree's ties.
    """
    probability = check_probability(probability)
    check_probability(density, "--density")
    if method not in METHODS:
        raise UserInputError("explore.choice", option="--method", value=method, allowed=list(METHODS))
    if not 0 < alpha < 0.5:
        raise UserInputError("explore.between", option="--alpha", value=alpha, lo=0, hi=0.5, example=0.05)
    if not 0 < min_support < 1:
        raise UserInputError("explore.between", option="--min-support", value=min_support, lo=0, hi=1,
                             example=0.05)
    target_id = sweep_target(definition, results, target_id)
    all_t = targets()
    col = _probability_column(results, target_id)
    target = all_t[target_id] if target_id in all_t else _posed(target_id)
    names = [v["id"] for v in definition["vary"]]
    X = results[names].astype(float)
    probs = results[col].to_numpy(dtype=float)
    y = probs >= probability - 1e-12
    full = {v["id"]: (float(v["lower"]), float(v["upper"])) for v in definition["vary"]}
    if not y.any():
        raise UserInputError("explore.sweep_never_met", id=target_id, p=probability, best=float(probs.max()))
    chosen, traj, notes = _chosen_box(method, X, y, names, density, alpha, min_support, max_depth, seed)
    full_box = {c: (float(X[c].min()), float(X[c].max())) for c in names}
    # a limit at the data's edge is no restriction: compare with the data's range
    limits = {c: chosen.limits.get(c, full_box[c]) for c in names}
    simple, restricted = _simplify(Box(limits), X, y, full_box)
    stated = _state(simple, restricted, full_box, full)
    mask = stated.mask(X)
    n_in = int(mask.sum())
    dens, cov = _stats(mask, y)
    z = float(probs[mask].mean()) if n_in else float("nan")
    p10 = float(np.percentile(probs[mask], 10)) if n_in else float("nan")
    outside = float(probs[~mask].mean()) if (~mask).any() else float("nan")
    if scenario_title is None:
        scenario_title = (baseline().title_zh, baseline().id)
    zh, en = _sentences(target, stated, restricted, full, z, n_in, scenario_title)
    return Finding(target, probability, method, stated, list(restricted), full, len(X), n_in, int(y.sum()), cov,
                   dens, z, p10, outside, zh, en, traj, notes)


def finding_table(f: Finding) -> pd.DataFrame:
    """The finding's restricted parameters as a table.

    Returns
    -------
    pandas.DataFrame
        One row per restricted parameter: kind, labels, unit, the stated lower and upper limits
        (None where the limit is the sweep's own) and the swept range.
    """
    reg = parameters()
    rows = []
    for c in f.restricted:
        lo, hi = f.box.limits[c]
        flo, fhi = f.ranges[c]
        p = reg[c]
        rows.append({"parameter": c, "kind": p.kind, "label_zh": p.label_zh, "label_en": p.label_en, "unit": p.unit,
                     "lower": None if lo <= flo else lo, "upper": None if hi >= fhi else hi,
                     "swept_lower": flo, "swept_upper": fhi})
    return pd.DataFrame(rows)


def finding_facts(f: Finding) -> dict:
    """The finding's figures and sentences as a JSON-ready dict (for ``discovery.json``)."""
    return {"target": f.target.id, "probability": f.probability, "method": f.method, "runs": f.runs,
            "runs_in_box": f.in_box, "cases_of_interest": f.cases, "coverage": f.coverage, "density": f.density,
            "mean_probability_in_box": f.mean_probability, "p10_probability_in_box": f.p10_probability,
            "mean_probability_outside": f.outside_probability, "sentence_zh": f.sentence_zh,
            "sentence_en": f.sentence_en, "notes": [str(n) for n in f.notes]}  # the file's notes in English
