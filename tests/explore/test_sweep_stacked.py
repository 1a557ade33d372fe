"""Sweeps on the stacked path: grouping chunks changes no number, and a resumed sweep writes the same bytes."""

from __future__ import annotations

import numpy as np
import pandas as pd

from growthsim.explore.common import file_sha256
from growthsim.explore.sweep import SweepSpec, compute_chunk, compute_chunks, design_matrix, parse_vary, run_sweep
from growthsim.simulation.scenario import baseline


def small_spec(**kw) -> SweepSpec:
    base = dict(scenario=baseline(), vary=parse_vary(["upgrade_target=200:900", "incremental_projects=20:150"]),
                design="lhs", size=12, draws=20, seed=3, horizon=2030, chunk_size=4)
    base.update(kw)
    return SweepSpec(**base)


def test_chunks_computed_together_are_those_computed_alone(calibration):
    spec = small_spec()
    X = design_matrix(spec)
    ctx = (calibration.base, calibration.posterior, baseline())
    definition = spec.definition()
    parts = [(np.arange(i, i + 4), X[i:i + 4]) for i in (0, 4, 8)]   # 12 runs in chunks of 4
    together = compute_chunks(ctx, definition, parts)
    for (ids, x), frame in zip(parts, together, strict=True):
        # common random numbers: a run's numbers do not depend on the runs stacked beside it
        pd.testing.assert_frame_equal(frame, compute_chunk(ctx, definition, ids, x), check_exact=True)


def test_a_resumed_sweep_writes_the_same_results_file(calibration, tmp_path):
    fresh = run_sweep(calibration, small_spec(), tmp_path / "fresh", workers=1)
    out = tmp_path / "resumed"
    run_sweep(calibration, small_spec(), out, workers=1)
    (out / "chunks" / "chunk-000001.parquet").unlink()   # one chunk lost: recomputed, the others read back
    (out / "results.parquet").unlink()
    again = run_sweep(calibration, small_spec(), out, workers=1)
    assert (again.skipped, again.computed) == (2, 1)   # 3 chunks of 4 runs, one missing
    # results from frames kept in memory and from files read back are the same bytes
    assert file_sha256(out / "results.parquet") == file_sha256(tmp_path / "fresh" / "results.parquet")
    assert file_sha256(out / "results.csv") == file_sha256(tmp_path / "fresh" / "results.csv")
    pd.testing.assert_frame_equal(again.results, fresh.results, check_exact=True)
