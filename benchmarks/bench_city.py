"""Benchmark switching city in the app once both cities' calibrations are cached (goal: under 2 s).

    .venv/bin/python benchmarks/bench_city.py [--repeats 10]

Runs the app in-process with Streamlit's AppTest (no browser): the projections page with 1,000 draws. With
fewer than two installed packs, a copy of the default pack under another id is installed for the run through
$GROWTHSIM_CITY_PATH (same record, so its calibration is the default's). After one untimed visit to each city
(their calibrations and projections then in the server's caches), each timed switch moves the sidebar's city
choice to the other city and reruns the script. The reference, measured in the same run, is a rerun with
nothing changed (the same page drawn again from the caches): the switch's cost beyond it is the city's own.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=10)
    args = parser.parse_args()
    from growthsim.calibration import city

    tmp = Path(tempfile.mkdtemp(prefix="bench-city-"))
    os.environ.setdefault("GROWTHSIM_SAVED_DIR", str(tmp / "saved"))
    if len(city.shipped_ids()) < 2:
        pack = tmp / "packs" / "copycity"
        shutil.copytree(city.DEFAULT_ROOT, pack)
        text = (pack / "city.toml").read_text("utf-8").replace('id = "qingdao"', 'id = "copycity"')
        (pack / "city.toml").write_text(text.replace('name_zh = "青岛市"', 'name_zh = "副本市"'), "utf-8")
        os.environ[city.CITY_PATH_ENV] = str(tmp / "packs")
    sys.path.insert(0, str(ROOT / "tests" / "app"))
    from app_testkit import new_app, run

    ids = city.shipped_ids()[:2]
    at = run(new_app())
    for cid in (ids[1], ids[0]):   # warm-up: each city's calibration and projections into the caches
        at.sidebar.selectbox(key="city").set_value(cid)
        run(at)
    switch, same = [], []
    for i in range(args.repeats):
        t0 = time.perf_counter()
        run(at)
        same.append(time.perf_counter() - t0)
        at.sidebar.selectbox(key="city").set_value(ids[(i + 1) % 2])
        t0 = time.perf_counter()
        run(at)
        switch.append(time.perf_counter() - t0)
    print(f"cities {ids}, {args.repeats} switches each way and back, projections page, 1,000 draws")
    print(f"switch city (cached):      median {statistics.median(switch):.2f} s, max {max(switch):.2f} s")
    print(f"reference, rerun unchanged: median {statistics.median(same):.2f} s, max {max(same):.2f} s")
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
