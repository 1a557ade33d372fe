"""Benchmark of issue 12 item 7: a sweep of 20,000 settings × 200 draws over four levers, against EMA Workbench.

Times, in the same run and on one core (every timed process is pinned to it):

(a) the whole process ``growthsim sweep --vary upgrade_target=200:900 --vary
    incremental_projects=20:150 --vary tech_renovation_investment_growth --vary
    key_firm_growth --samples 20000 --draws 200 --workers 1`` (start-up, the
    calibration, the runs and every file included), with the default chunk size
    (one stacked run of 100,000 rows: 500 runs) and with ``--chunk-size 50``
    (the former default: 400 chunk files, each written with fsync);
(a') the same command with one more outcome in the horizon year, an
    illustrative target (示例 illustrative, benchmark only: 2030 GDP growth at
    least 5 %). Since issue 20 the default outcomes already reach the horizon
    (the shipped targets of 2026-2030, among them GDP in 2030, and each headline
    indicator in the horizon year), so (a) runs all five years of the recursion
    as well, and (a') shows the cost of one more outcome;
(b) EMA Workbench's ``SequentialEvaluator`` calling
    ``growthsim.simulation.model.project`` once per experiment for the same
    experiments (the sweep's own Latin hypercube design, given to EMA as
    policies; the four levers as ``IntegerParameter``/``RealParameter``, the
    outcome the same target probability), plus its start-up. EMA's loop is
    timed on a subset (``--ema-subset``, default 2,000 experiments) and scaled
    linearly to 20,000; the printout says so. Its outcomes are checked equal to
    the sweep's for the same runs.

Medians of ``--repeats`` repeats (default 3), interleaved so both sides see
the same load. The machine is shared with other work: compare medians, and
read the load averages printed before and after.

Install EMA Workbench first (it is an optional dependency, not needed by
``make test``): ``.venv/bin/pip install -e '.[bench]'``.

Run: ``.venv/bin/python benchmarks/bench_sweep.py [--repeats 3] [--ema-subset 2000] [--core 0]``
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
VARY = ["upgrade_target=200:900", "incremental_projects=20:150", "tech_renovation_investment_growth", "key_firm_growth"]
SAMPLES, DRAWS, SEED, HORIZON = 20_000, 200, 20211, 2030
TARGET = "gdp_growth_2026"
GOAL_SECONDS, GOAL_RATIO = 5.0, 3.0


def sweep_args(out: str, *extra: str) -> list[str]:
    args = ["sweep"]
    for v in VARY:
        args += ["--vary", v]
    return args + ["--samples", str(SAMPLES), "--draws", str(DRAWS), "--workers", "1", "--out", out, *extra]


def pinned(core: int):
    def pin():
        os.sched_setaffinity(0, {core})
    return pin


CPU: dict[str, list[float]] = {}   # CPU seconds (user + system) of each timed process, less sensitive to load


def run_timed(cmd: list[str], core: int, label: str = "") -> tuple[float, str]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    done = subprocess.run(cmd, preexec_fn=pinned(core), capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1",
                               "MKL_NUM_THREADS": "1", "PYTHONWARNINGS": "ignore"})
    seconds = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    CPU.setdefault(label, []).append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(cmd[:3])}... failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return seconds, done.stdout


# ---------------------------------------------------------------- children (run pinned, in their own process)

def child_sweep_2030(args: list[str]) -> None:
    """`growthsim sweep ...` with an illustrative 2030 outcome added to the sweep's targets (benchmark only)."""
    import growthsim.explore.sweep as sweep_mod
    from growthsim.cli import main
    from growthsim.simulation.targets import Rule, Target

    extra = Target("bench_gdp_growth_2030", "gdp_real_growth", 2030, Rule("at_least", 5.0),
                   "示例：2030年地区生产总值增长5%以上（仅用于基准测试）",
                   "illustrative: 2030 GDP growth at least 5 % (benchmark only)", unit="%",
                   source="illustrative, not a plan target")
    real = sweep_mod.outcome_targets
    sweep_mod.outcome_targets = lambda base_year, horizon, given=(): real(base_year, horizon, given) + [extra]
    sys.argv = ["growthsim", *args]
    main()


def child_ema(n: int, report: str) -> None:
    """EMA Workbench's sequential loop over the sweep's first ``n`` experiments; writes timings and outcomes."""
    import logging
    import warnings

    warnings.simplefilter("ignore")
    import numpy as np
    from ema_workbench import (
        IntegerParameter,
        Model,
        Policy,
        RealParameter,
        ScalarOutcome,
        SequentialEvaluator,
        perform_experiments,
    )
    from ema_workbench.util import ema_logging

    from growthsim.calibration.targets import targets
    from growthsim.explore.sweep import SweepSpec, design_matrix, parse_vary
    from growthsim.runner import RunSettings, load_calibration
    from growthsim.simulation.model import project
    from growthsim.simulation.registry import parameters
    from growthsim.simulation.scenario import baseline

    ema_logging.log_to_stderr(logging.WARNING)
    cal = load_calibration(RunSettings(seed=SEED))   # what `growthsim sweep --seed 20211` loads
    target = targets()[TARGET]
    reg = parameters()
    spec = SweepSpec(baseline(), parse_vary(VARY), "lhs", SAMPLES, DRAWS, SEED, HORIZON)
    X = design_matrix(spec)[:n]
    names = [v.id for v in spec.vary]

    def model(**levers):
        s = baseline().with_values(**{k: float(v) for k, v in levers.items()})
        proj = project(cal.base, s, cal.posterior, HORIZON, DRAWS, np.random.default_rng(SEED))
        return {"prob": float(np.mean(target.met(proj.at(target.indicator, target.year))))}

    m = Model("growthsim", function=model)
    m.levers = [IntegerParameter(k, int(reg[k].lower), int(reg[k].upper)) if reg[k].integer
                else RealParameter(k, reg[k].lower, reg[k].upper) for k in names]
    m.outcomes = [ScalarOutcome("prob")]
    policies = [Policy(f"run{i}", **{k: (int(x) if reg[k].integer else float(x)) for k, x in zip(names, row,
                                                                                                 strict=True)})
                for i, row in enumerate(X)]
    t0 = time.perf_counter()
    with SequentialEvaluator(m) as evaluator:
        _, outcomes = perform_experiments(m, policies=policies, evaluator=evaluator)
    loop = time.perf_counter() - t0
    Path(report).write_text(json.dumps({"loop": loop, "prob": [float(x) for x in outcomes["prob"][:20]]}))


# ---------------------------------------------------------------- the parent

def loadavg() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--ema-subset", type=int, default=2_000, help="EMA experiments timed (scaled to 20,000)")
    ap.add_argument("--core", type=int, default=0, help="the core every timed process is pinned to")
    args = ap.parse_args()
    try:
        import importlib.util
        if importlib.util.find_spec("ema_workbench") is None:
            raise ImportError
    except ImportError:
        raise SystemExit("ema_workbench is not installed: .venv/bin/pip install -e '.[bench]'") from None
    growthsim = str(BIN / "growthsim")
    py = sys.executable
    me = str(Path(__file__).resolve())
    times: dict[str, list[float]] = {"default": [], "chunk50": [], "2030": [], "ema_total": [], "ema_loop": [],
                                     "ema_start": []}
    from growthsim.runner import RunSettings, load_calibration
    load_calibration(RunSettings(seed=SEED))   # fill the calibration cache (after a model change), untimed
    print(f"load average before: {loadavg()} (1, 5, 15 min; {os.cpu_count()} cores, shared with other work)")
    print(f"every timed process pinned to core {args.core}")
    with tempfile.TemporaryDirectory() as tmp:
        check = None
        for r in range(args.repeats):
            out = os.path.join(tmp, f"default{r}")
            t, _ = run_timed([growthsim, *sweep_args(out)], args.core, "default")
            times["default"].append(t)
            if check is None:
                import pandas as pd
                check = pd.read_parquet(os.path.join(out, "results.parquet"))[f"prob__{TARGET}"].to_numpy()
            t, _ = run_timed([growthsim, *sweep_args(os.path.join(tmp, f"c50_{r}"), "--chunk-size", "50")], args.core,
                             "chunk50")
            times["chunk50"].append(t)
            t, _ = run_timed([py, me, "--child-sweep-2030", *sweep_args(os.path.join(tmp, f"y2030_{r}"))], args.core,
                             "2030")
            times["2030"].append(t)
            rep = os.path.join(tmp, f"ema{r}.json")
            t, _ = run_timed([py, me, "--child-ema", str(args.ema_subset), rep], args.core, "ema")
            got = json.loads(Path(rep).read_text())
            start = t - got["loop"]
            times["ema_loop"].append(got["loop"])
            times["ema_start"].append(start)
            times["ema_total"].append(start + got["loop"] * SAMPLES / args.ema_subset)
            k = len(got["prob"])
            if got["prob"] != [float(x) for x in check[:k]]:
                raise SystemExit(f"EMA's outcomes differ from the sweep's for the same runs: {got['prob'][:5]} "
                                 f"vs {check[:5].tolist()}")
            print(f"repeat {r + 1}: sweep {times['default'][-1]:.2f} s, chunks of 50 {times['chunk50'][-1]:.2f} s, "
                  f"2030 outcome {times['2030'][-1]:.2f} s, EMA {args.ema_subset:,} in {got['loop']:.2f} s "
                  f"+ start-up {start:.2f} s", flush=True)
    med = {k: statistics.median(v) for k, v in times.items()}
    print(f"load average after: {loadavg()}")
    print()
    print(f"20,000 settings x 200 draws, four levers ({', '.join(v.split('=')[0] for v in VARY)}), one core, "
          f"median of {args.repeats}:")
    rows = [
        ("growthsim sweep, whole process (default chunks: 500 runs)", med["default"], min(times["default"])),
        ("growthsim sweep, whole process, --chunk-size 50 (400 files)", med["chunk50"], min(times["chunk50"])),
        ("growthsim sweep, whole process, + an outcome in 2030 (5 years)", med["2030"], min(times["2030"])),
        (f"EMA SequentialEvaluator + project(), scaled from {args.ema_subset:,}", med["ema_total"],
         min(times["ema_total"])),
    ]
    cpu = {k: statistics.median(v) for k, v in CPU.items()}
    cpu["ema"] = statistics.median(CPU["ema"])   # the subset's process: its CPU time is not scaled
    print(f"{'what':66s} {'median':>8s} {'min':>8s} {'CPU':>8s}")
    for (name, m, lo), key in zip(rows, ("default", "chunk50", "2030", None), strict=True):
        c = f"{cpu[key]:7.2f}s" if key else "      — "
        print(f"{name:66s} {m:7.2f}s {lo:7.2f}s {c}")
    print(f"  EMA: start-up {med['ema_start']:.2f} s (imports, calibration), loop {med['ema_loop']:.2f} s for "
          f"{args.ema_subset:,} experiments -> {med['ema_loop'] * SAMPLES / args.ema_subset:.1f} s for 20,000 "
          f"(linear scaling of the measured subset); the subset's process used {cpu['ema']:.2f} s of CPU")
    print(f"  EMA's outcomes equal the sweep's for the first {min(20, args.ema_subset)} runs (the same numbers)")
    ratio = med["ema_total"] / med["default"]
    print(f"ratio EMA / growthsim sweep: {ratio:.1f}x (goal >= {GOAL_RATIO:.0f}x: "
          f"{'met' if ratio >= GOAL_RATIO else 'MISSED'}); with an outcome in 2030: "
          f"{med['ema_total'] / med['2030']:.1f}x; chunks of 50: {med['ema_total'] / med['chunk50']:.1f}x")
    print(f"sweep under {GOAL_SECONDS:.0f} s with one worker: {'met' if med['default'] < GOAL_SECONDS else 'MISSED'} "
          f"({med['default']:.2f} s)")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child-sweep-2030":
        child_sweep_2030(sys.argv[2:])
    elif len(sys.argv) > 1 and sys.argv[1] == "--child-ema":
        child_ema(int(sys.argv[2]), sys.argv[3])
    else:
        main()
