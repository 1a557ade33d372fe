"""Benchmark of the calibration, the back-test and the vectorised projection engine.

Prints the median wall time of: the particle-filter calibration on the whole
record (100,000 particles) and a cached load of it; the back-test over every
origin; one deterministic projection; 1,000 and 10,000 draws from the last
reported year (2025) to 2030 on the baseline; summarising 10,000 draws.

Goals (issue 8, kept by issue 19): calibration < 5 s; backtest over all origins < 60 s;
1,000 draws to 2030 < 10 ms. Issue 2: 10,000 draws < 400 ms.
Run: .venv/bin/python benchmarks/bench_engine.py [--repeats N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile

import numpy as np
from timing import timed

from growthsim.calibration.backtest import run_backtest
from growthsim.calibration.cache import calibrate_cached
from growthsim.calibration.fit import calibrate, read_reported
from growthsim.calibration.targets import tracked_targets
from growthsim.simulation.model import project
from growthsim.simulation.scenario import baseline
from growthsim.simulation.summary import summarise, target_table


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeats", type=int, default=21)
    args = ap.parse_args()
    reported = read_reported()
    cal_times = timed(lambda: calibrate(reported, np.random.default_rng(1)), 3)
    with tempfile.TemporaryDirectory() as d:
        os.environ["GROWTHSIM_CACHE_DIR"] = d
        calibrate_cached(reported, 1)  # fills the cache
        cached_times = timed(lambda: calibrate_cached(reported, 1), 5)
    # no disk cache: the five origins' calibrations are computed, as on a fresh machine
    bt_times = timed(lambda: run_backtest(reported, draws=2000, seed=0, use_cache=False), 1)
    cal = calibrate(reported, np.random.default_rng(1))
    scen = baseline()

    def run(draws: int, stochastic: bool = True):
        return project(cal.base, scen, cal.posterior, 2030, draws, np.random.default_rng(7), stochastic)

    # a fixed workload measured in the same run, to read the others against the machine's load: ten million
    # standard normals (the filter draws about 4 million per Liu-West move)
    ref_rng = np.random.default_rng(0)
    rows = [
        ("reference: 10 million standard normals", timed(lambda: ref_rng.standard_normal(10_000_000), 5), None),
        ("calibration (particle filter, whole record)", cal_times, 5.0),
        ("calibration, cached load", cached_times, None),
        ("backtest, every origin, 2,000 draws, no cache", bt_times, 60.0),
        ("deterministic projection to 2030", timed(lambda: run(1, False), args.repeats), None),
        ("1,000 draws to 2030", timed(lambda: run(1_000), args.repeats), 0.010),
        ("10,000 draws to 2030", timed(lambda: run(10_000), args.repeats), 0.400),
    ]
    big = run(10_000)
    rows.append(("summarise + targets, 10,000 draws", timed(lambda: (summarise(big), target_table(big,
                                                                                                  tracked_targets())),
                                                            args.repeats), None))
    rows.append(("10,000 draws + summary (what a slider waits for)",
                 timed(lambda: summarise(run(10_000)), args.repeats), None))
    print(f"{'what':52s} {'median':>10s} {'min':>10s} {'goal':>8s}")
    for name, times, goal in rows:
        med = statistics.median(times)
        verdict = "" if goal is None else ("met" if med < goal else "MISSED")
        print(f"{name:52s} {med * 1e3:8.2f}ms {min(times) * 1e3:8.2f}ms "
              f"{'' if goal is None else f'{goal * 1e3:.0f}ms':>8s} {verdict}")
    m1 = statistics.median(rows[5][1])
    m10 = statistics.median(rows[6][1])
    print(f"ratio 10,000 / 1,000 draws: {m10 / m1:.1f}x (linear scaling would be 10x)")


if __name__ == "__main__":
    main()
