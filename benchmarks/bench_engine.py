"""Benchmark of the vectorised projection engine (issue: speed goals).

Prints the median wall time of: one deterministic projection; 1,000 draws;
10,000 draws — all from the base year to 2025 on the baseline scenario, with
calibration done once beforehand (the app and CLI cache it). Also prints the
time of the calibration itself and of summarising 10,000 draws into quantiles.

Goals (issue #2): 1,000 draws < 60 ms; 10,000 draws < 400 ms on 2 cores.
Run: .venv/bin/python benchmarks/bench_engine.py [--repeats N]
"""

from __future__ import annotations

import argparse
import statistics

import numpy as np

from calibration.fit import calibrate, read_reported
from simulation.model import project
from simulation.scenario import baseline
from simulation.summary import summarise, target_table
from calibration.targets import tracked_targets
from timing import timed




def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeats", type=int, default=21)
    args = ap.parse_args()
    reported = read_reported()
    cal_times = timed(lambda: calibrate(reported, np.random.default_rng(1)), max(5, args.repeats // 3))
    cal = calibrate(reported, np.random.default_rng(1))
    scen = baseline()

    def run(draws: int, stochastic: bool = True):
        return project(cal.base, scen, cal.posterior, 2025, draws, np.random.default_rng(7), stochastic)

    rows = [
        ("calibration (fit + posterior)", cal_times, None),
        ("deterministic projection to 2025", timed(lambda: run(1, False), args.repeats), None),
        ("1,000 draws to 2025", timed(lambda: run(1_000), args.repeats), 0.060),
        ("10,000 draws to 2025", timed(lambda: run(10_000), args.repeats), 0.400),
    ]
    big = run(10_000)
    rows.append(("summarise + targets, 10,000 draws", timed(lambda: (summarise(big), target_table(big, tracked_targets())), args.repeats), None))
    rows.append(("10,000 draws + summary (what a slider waits for)",
                 timed(lambda: summarise(run(10_000)), args.repeats), None))
    print(f"{'what':52s} {'median':>10s} {'min':>10s} {'goal':>8s}")
    for name, times, goal in rows:
        med = statistics.median(times)
        verdict = "" if goal is None else ("met" if med < goal else "MISSED")
        print(f"{name:52s} {med * 1e3:8.2f}ms {min(times) * 1e3:8.2f}ms "
              f"{'' if goal is None else f'{goal * 1e3:.0f}ms':>8s} {verdict}")
    m1 = statistics.median(rows[2][1])
    m10 = statistics.median(rows[3][1])
    print(f"ratio 10,000 / 1,000 draws: {m10 / m1:.1f}x (linear scaling would be 10x)")


if __name__ == "__main__":
    main()
