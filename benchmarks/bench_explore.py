"""Benchmark of issue #5: Sobol analysis, goal seeking and sweeps.

Prints the median wall time (and the fastest) of:

- a Sobol analysis with N = 1024 over every parameter the annual model reads
  (25 factors), 200 draws per sample: sampling, model runs and SALib's
  analysis of every indicator × year and every target's probability — exactly
  what ``growthsim sensitivity --method sobol`` computes (without writing files);
- the same over every registry parameter (parameters of other engines included:
  they get an index of 0, but cost runs);
- a one-lever goal seek (gdp_growth_2026 with key_firm_growth, P = 0.8, 1,000
  draws), a two-lever frontier and the lever-by-lever table;
- a sweep of 2,000 scenarios × 200 draws, in memory.

Goal (issue #5): the Sobol analysis in under 60 s on this 2-core machine; a
published exploratory-modelling tutorial needs 45 s on 10 workers for 12,288
single runs of a small model. The machine is shared, so timings are noisy:
compare medians.

Run: .venv/bin/python benchmarks/bench_explore.py [--repeats N] [--workers W]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time

import numpy as np

from growthsim.calibration.fit import calibrate, read_reported
from growthsim.calibration.targets import targets
from growthsim.explore.seek import seek
from growthsim.explore.sensitivity import SensitivitySettings, run_sensitivity
from growthsim.explore.sweep import SweepSpec, parse_vary, run_sweep
from growthsim.simulation.registry import parameters
from growthsim.simulation.scenario import baseline

TUTORIAL_RUNS, TUTORIAL_SECONDS, TUTORIAL_WORKERS = 12_288, 45.0, 10


def timed(fn, repeats: int, warm: bool = True) -> tuple[list[float], object]:
    if warm:
        fn()
    out, last = [], None
    for _ in range(repeats):
        t0 = time.perf_counter()
        last = fn()
        out.append(time.perf_counter() - t0)
    return out, last


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeats", type=int, default=3, help="repeats of the Sobol analysis (seek: 7x this)")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = ap.parse_args()
    cal = calibrate(read_reported(), np.random.default_rng([20211, 1]))
    T, P = targets(), parameters()
    rows = []

    def sobol(params: tuple[str, ...]):
        s = SensitivitySettings(n=1024, draws=200, methods=("sobol",), workers=args.workers, parameters=params)
        return run_sensitivity(cal, s)

    times, res = timed(lambda: sobol(()), args.repeats, warm=False)
    runs = res.runs["sobol_model_runs"]
    rows.append((f"Sobol N=1024, {len(res.factors)} factors (annual model), 200 draws", times, 60.0))
    parts = dict(res.timings.items())
    times_all, res_all = timed(lambda: sobol(tuple(P)), args.repeats, warm=False)
    rows.append((f"Sobol N=1024, all {len(res_all.factors)} registry parameters, 200 draws", times_all, 60.0))

    seek_reps = 7 * args.repeats
    one, sol = timed(lambda: seek(cal, baseline(), [T["gdp_growth_2026"]], [P["key_firm_growth"]], 0.8, 1000, 20211),
                     seek_reps)
    rows.append(("goal seek, one lever (key_firm_growth), 1,000 draws", one, None))
    two, _ = timed(lambda: seek(cal, baseline(), [T["gdp_growth_2026"]],
                                [P["upgrade_target"], P["key_firm_growth"]], 0.8, 1000, 20211), args.repeats)
    rows.append(("goal seek, two-lever frontier (9 points), 1,000 draws", two, None))
    table, _ = timed(lambda: seek(cal, baseline(), [T["gdp_growth_2026"]], [], 0.8, 1000, 20211), args.repeats)
    rows.append(("goal seek, every lever on its own, 1,000 draws", table, None))

    spec = SweepSpec(baseline(), parse_vary(["upgrade_target", "key_firm_growth", "incremental_projects"]), "lhs",
                     2000, 200, 20211, 2030, 100)

    def sweep():
        with tempfile.TemporaryDirectory() as d:
            return run_sweep(cal, spec, os.path.join(d, "sw"), workers=args.workers)
    sw, _ = timed(sweep, args.repeats, warm=False)
    rows.append(("sweep, 2,000 scenarios x 200 draws, chunks of 100", sw, None))

    print(f"workers: {args.workers}; cores: {os.cpu_count()}")
    print(f"{'what':62s} {'median':>9s} {'min':>9s} {'goal':>7s}")
    for name, t, goal in rows:
        med = statistics.median(t)
        verdict = "" if goal is None else ("met" if med < goal else "MISSED")
        print(f"{name:62s} {med:8.2f}s {min(t):8.2f}s {'' if goal is None else f'{goal:.0f}s':>7s} {verdict}")
    med = statistics.median(times)
    print("Sobol, last run's parts: " + ", ".join(f"{k} {v:.2f}s" for k, v in parts.items()))
    print(f"Sobol: {res.runs['sobol_samples']:,} samples x 200 draws = {runs:,} single runs; "
          f"{len(res.outcomes)} outcomes (indicator x year, target probabilities) analysed")
    print(f"ratio to the 60 s goal: {med / 60.0:.2f} (median / goal)")
    ours = runs / med
    theirs = TUTORIAL_RUNS / TUTORIAL_SECONDS
    print(f"single runs per second: {ours:,.0f} here on {args.workers} workers vs {theirs:,.0f} in the tutorial on "
          f"{TUTORIAL_WORKERS} workers: {ours / theirs:,.0f}x (per worker: "
          f"{(ours / args.workers) / (theirs / TUTORIAL_WORKERS):,.0f}x) — different models, so a comparison "
          f"of throughput, not of like with like")
    print(f"goal seek answer: key_firm_growth >= {sol.solutions[0].value:g}% gives "
          f"{sol.solutions[0].point.probability(0):.1%} (from {sol.evaluations} candidate settings)")


if __name__ == "__main__":
    main()
