"""Same inputs and seed, same bytes; another seed, other numbers."""

from __future__ import annotations

import subprocess
import sys

from growthsim.exports import csv_bytes
from growthsim.runner import RunSettings, run
from growthsim.scenario_files import load_scenario


def outputs(calibration, seed: int) -> tuple[bytes, bytes]:
    scenarios = [load_scenario(s, first_year=calibration.base_year + 1) for s in ("baseline", "downside")]
    result = run(scenarios, RunSettings(draws=500, seed=seed, horizon=2027), calibration)
    return csv_bytes(result.projection_table), csv_bytes(result.target_table)


def test_same_seed_same_bytes(calibration):
    assert outputs(calibration, 5) == outputs(calibration, 5)


def test_other_seed_other_numbers(calibration):
    assert outputs(calibration, 5)[0] != outputs(calibration, 6)[0]


def test_cli_runs_are_byte_identical_across_processes(tmp_path):
    # Two separate processes (fresh interpreters, fresh calibration) must agree byte for byte.
    for name in ("a", "b"):
        subprocess.run([sys.executable, "-m", "growthsim.cli", "run", "baseline", "intensified", "--draws", "300",
                        "--seed", "11", "--out", str(tmp_path / name), "--format", "csv", "--format", "parquet"],
                       check=True, capture_output=True)
    for f in ("projections.csv", "targets.csv", "projections.parquet", "targets.parquet"):
        assert (tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes(), f
