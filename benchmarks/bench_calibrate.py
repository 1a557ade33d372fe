"""Calibration speed on a sparse record beside Qingdao's whole record, measured in the same run.

Records timed (the filter at its full particle count, no cache):

1. Qingdao's whole record (the reference: every base figure reported in 2020);
2. the same record without the manufacturing share, firm count, revenue, profit, profit margin and high-tech
   share (five base figures from priors, calibration/priors.py);
3. Xiamen's pack (cities/xiamen/reported_figures.csv), when present: a real sparse record.

Target: a sparse record calibrates in under 5 s. Run: ``.venv/bin/python benchmarks/bench_calibrate.py``.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(ROOT / "tests"))

from timing import timed  # noqa: E402

REPEATS = 3


def records() -> dict[str, tuple[object, Path | None]]:
    """The tables timed, by name, each with the pack it is calibrated under (None: the default pack)."""
    from test_sparse_calibration import UNREPORTED, without

    from growthsim.calibration.fit import parse_reported, read_reported

    out = {"Qingdao, whole record (reference)": (read_reported(), None),
           "Qingdao without five base figures": (parse_reported(without(UNREPORTED), "sparse.csv"), None)}
    xiamen = ROOT / "cities" / "xiamen"
    if xiamen.exists():  # under its own pack (its targets and parameter values), as `calibrate --city xiamen`
        out["Xiamen (cities/xiamen)"] = (read_reported(xiamen / "reported_figures.csv"), xiamen)
    return out


def main() -> None:
    import numpy as np

    from growthsim.calibration import city
    from growthsim.calibration.fit import calibrate

    print(f"load average at the start: {os.getloadavg()[0]:.1f} ({os.cpu_count()} cores)")
    for name, (table, pack) in records().items():
        cpu = []

        def run(table=table, pack=pack, cpu=cpu):
            start = time.process_time()
            with city.using(pack):
                calibrate(table, np.random.default_rng(7))
            cpu.append(time.process_time() - start)

        seconds = timed(run, REPEATS)
        # CPU seconds beside the wall clock: on a machine shared by others the wall clock counts their work too
        print(f"{name:36s} median {statistics.median(seconds):6.2f} s wall, {statistics.median(cpu[1:]):5.2f} s CPU"
              "  (runs: " + ", ".join(f"{s:.2f}" for s in seconds) + ")")


    print(f"load average at the end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
