"""Sweeps: the same bytes on every executor, and an interrupted sweep resumes with nothing lost or duplicated."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from growthsim.calibration.targets import targets
from growthsim.errors import UserInputError
from growthsim.explore.common import file_sha256
from growthsim.explore.sweep import SweepSpec, design_matrix, load_sweep, parse_vary, run_sweep
from growthsim.simulation.model import project
from growthsim.simulation.scenario import baseline


def spec_of(**kw) -> SweepSpec:
    base = dict(scenario=baseline(), vary=parse_vary(["upgrade_target=200:900", "key_firm_growth"]), design="lhs",
                size=36, draws=40, seed=5, horizon=2030, chunk_size=5)   # 2030: the default horizon
    base.update(kw)
    return SweepSpec(**base)


def chunk_hashes(folder):
    return {p.name: file_sha256(p) for p in sorted((folder / "chunks").glob("*.parquet"))}


@pytest.fixture(scope="module")
def reference(calibration, tmp_path_factory):
    out = tmp_path_factory.mktemp("sweep") / "ref"
    report = run_sweep(calibration, spec_of(), out, workers=1)
    return out, report


def test_grid_design_is_the_full_product_in_order():
    spec = spec_of(design="grid", size=3, vary=parse_vary(["upgrade_target=300:500", "exit_rate=2:4"]))
    X = design_matrix(spec)
    # 3 × 3 runs, the first parameter slowest; whole numbers for the count lever
    assert X.tolist() == [[300, 2], [300, 3], [300, 4], [400, 2], [400, 3], [400, 4], [500, 2], [500, 3], [500, 4]]
    assert spec.n_runs() == 9 and spec.n_chunks() == 2  # chunks of 5 runs: 5 + 4


def test_a_sample_design_is_seeded_and_within_the_ranges():
    a, b = design_matrix(spec_of()), design_matrix(spec_of())
    assert np.array_equal(a, b)  # the same seed gives the same design
    assert not np.array_equal(a, design_matrix(spec_of(seed=6)))
    # upgrade_target=200:900 as given, in whole firms
    assert a[:, 0].min() >= 200 and a[:, 0].max() <= 900 and np.all(a[:, 0] == np.floor(a[:, 0]))
    assert a[:, 1].min() >= -10 and a[:, 1].max() <= 30  # key_firm_growth's registry bounds


def test_every_row_is_what_a_plain_projection_gives(calibration, reference):
    _, report = reference
    res = report.results
    assert res.run_id.tolist() == list(range(36))  # size=36 runs, each once, in order
    # every tracked target of a projected year (2026-2030) is recorded, and no target of a reported year
    ahead = [t.id for t in targets().values() if t.tracked and 2025 < t.year <= 2030]
    assert [c for c in res.columns if c.startswith("prob__")] == [f"prob__{i}" for i in ahead]
    assert "gdp_growth_2026" in ahead
    t = targets()["gdp_growth_2026"]
    for i in (0, 17, 35):
        row = res.iloc[i]
        s = baseline().with_values(upgrade_target=float(row.upgrade_target), key_firm_growth=float(row.key_firm_growth))
        proj = project(calibration.base, s, calibration.posterior, 2030, 40, np.random.default_rng(5))
        vals = proj.at(t.indicator, t.year)
        # exactly `growthsim compare --set ... --draws 40 --seed 5`: same probability, same median
        assert row["prob__gdp_growth_2026"] == float(np.mean(t.met(vals)))
        assert row["p50__gdp_growth_2026"] == float(np.median(vals))
    assert res["prob__gdp_growth_2026"].nunique() > 1  # the levers move it: not a constant column


def test_local_processes_give_the_same_bytes(calibration, reference, tmp_path):
    ref_dir, ref = reference
    report = run_sweep(calibration, spec_of(), tmp_path / "proc", workers=2)
    assert report.executor == "processes" and report.computed == 8  # 36 runs in chunks of 5
    assert chunk_hashes(tmp_path / "proc") == chunk_hashes(ref_dir)
    pd.testing.assert_frame_equal(report.results, ref.results, check_exact=True)


def test_a_dask_cluster_gives_the_same_results_as_the_local_run(calibration, reference, tmp_path):
    from distributed import Client, LocalCluster

    ref_dir, ref = reference
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        report = run_sweep(calibration, spec_of(), tmp_path / "dask", scheduler=client)
        assert len(client.scheduler_info()["workers"]) == 2  # two separate worker processes did the work
    assert report.executor == "dask" and report.computed == 8  # 36 runs in chunks of 5
    assert chunk_hashes(tmp_path / "dask") == chunk_hashes(ref_dir)
    pd.testing.assert_frame_equal(report.results, ref.results, check_exact=True)


class Stop(Exception):
    pass


@pytest.mark.parametrize("workers", [1, 2])
def test_an_interrupted_sweep_resumes_with_nothing_lost_or_duplicated(calibration, reference, tmp_path, workers):
    ref_dir, ref = reference
    out = tmp_path / "int"
    seen = []

    def hook(i, done, total):
        seen.append(i)
        if len(seen) == 3:
            raise Stop("interrupted")

    with pytest.raises(Stop):
        run_sweep(calibration, spec_of(), out, workers=workers, on_chunk=hook)
    written = sorted(p.name for p in (out / "chunks").glob("*.parquet"))
    manifest = json.loads((out / "manifest.json").read_text())
    assert len(written) == 3 and sorted(manifest["chunks"]) == sorted(str(i) for i in seen)  # exactly the 3 reported
    assert not (out / "results.parquet").exists()
    report = run_sweep(calibration, spec_of(), out, workers=workers)
    assert (report.skipped, report.computed) == (3, 5)  # only the missing chunks are computed
    assert report.results.run_id.tolist() == list(range(36))  # each run once
    assert chunk_hashes(out) == chunk_hashes(ref_dir)
    pd.testing.assert_frame_equal(report.results, ref.results, check_exact=True)


def test_a_chunk_the_manifest_missed_is_kept_and_a_damaged_one_recomputed(calibration, reference, tmp_path):
    ref_dir, ref = reference
    out = tmp_path / "dmg"
    run_sweep(calibration, spec_of(), out)
    manifest = json.loads((out / "manifest.json").read_text())
    del manifest["chunks"]["2"]                       # a crash between writing chunk 2 and the manifest
    (out / "manifest.json").write_text(json.dumps(manifest))
    bad = out / "chunks" / "chunk-000005.parquet"
    bad.write_bytes(bad.read_bytes()[:100])           # a damaged file (disk trouble, a manual edit)
    (out / "chunks" / ".chunk-000006.parquet.x.tmp").write_bytes(b"half")  # an interrupted write
    (out / "results.parquet").unlink()
    report = run_sweep(calibration, spec_of(), out)
    # chunk 2 is adopted (its runs are the expected ones), chunk 5 recomputed, the other 6 skipped as before
    assert report.repaired == [5] and report.computed == 1 and report.skipped == 7
    assert not list((out / "chunks").glob(".*.tmp"))
    assert chunk_hashes(out) == chunk_hashes(ref_dir)
    pd.testing.assert_frame_equal(report.results, ref.results, check_exact=True)


def test_a_resume_with_other_settings_is_refused(calibration, reference):
    ref_dir, _ = reference
    with pytest.raises(UserInputError) as exc:
        run_sweep(calibration, spec_of(draws=80), ref_dir)
    msg = str(exc.value)
    assert "holds a different sweep" in msg and "draws: this folder has 40, now 80" in msg


def test_a_resume_after_the_model_changed_is_refused(calibration, reference, tmp_path, monkeypatch):
    import growthsim.explore.sweep as sweep_mod

    ref_dir, _ = reference
    monkeypatch.setattr(sweep_mod, "engine_fingerprint", lambda: "0000000000000000")
    with pytest.raises(UserInputError, match="the model's code .* changed since this sweep started"):
        run_sweep(calibration, spec_of(), ref_dir)


def test_a_worker_with_other_model_code_refuses_to_compute(calibration):
    from growthsim.explore.sweep import compute_chunk

    definition = dict(spec_of().definition(), engine="ffffffffffffffff")
    with pytest.raises(RuntimeError, match="this worker runs other model code"):
        compute_chunk((calibration.base, calibration.posterior, baseline()), definition, np.arange(2),
                      np.array([[400.0, 13.0], [500.0, 13.0]]))


def test_a_folder_that_is_not_a_sweep_is_refused(calibration, tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(UserInputError, match="holds no sweep"):
        run_sweep(calibration, spec_of(), tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]  # nothing written


def test_a_live_lock_is_respected_and_a_stale_one_taken_over(calibration, reference, tmp_path):
    from filelock import FileLock

    out = tmp_path / "lock"
    run_sweep(calibration, spec_of(), out)
    held = FileLock(str(out / ".lock"), timeout=0)
    held.acquire()  # another sweep holds the folder
    try:
        with pytest.raises(UserInputError, match="another sweep"):
            run_sweep(calibration, spec_of(), out)
    finally:
        held.release()
    (out / ".lock").write_text("host 12345")  # a lock file left by a killed sweep: no one holds it
    report = run_sweep(calibration, spec_of(), out)
    assert report.skipped == 8  # all 8 chunks were done: nothing recomputed


@pytest.mark.parametrize("kw, fragment", [
    ({"vary": parse_vary(["upgrade_target", "upgrade_target"])}, "given twice"),
    ({"design": "halton"}, "--design halton"),
    ({"design": "grid", "size": 1001, "vary": parse_vary(["upgrade_target", "exit_rate", "key_firm_growth"])},
     "allowed up to 1,000,000"),
    ({"horizon": 2020}, "--horizon 2020"),
])
def test_bad_sweeps_are_refused_before_anything_is_written(calibration, tmp_path, kw, fragment):
    with pytest.raises(UserInputError) as exc:
        run_sweep(calibration, spec_of(**kw), tmp_path / "bad")
    assert fragment in str(exc.value)
    assert not (tmp_path / "bad").exists()


def test_varying_a_parameter_the_annual_model_ignores_is_refused(calibration, tmp_path, monkeypatch):
    import growthsim.explore.sweep as sweep_mod

    real = sweep_mod.used_parameters
    monkeypatch.setattr(sweep_mod, "used_parameters", lambda *a: [p for p in real(*a) if p != "key_firm_growth"])
    with pytest.raises(UserInputError, match="--vary key_firm_growth: the annual projection model does not use"):
        run_sweep(calibration, spec_of(), tmp_path / "idle")
    assert not (tmp_path / "idle").exists()


def test_vary_ranges_are_checked():
    with pytest.raises(UserInputError, match="did you mean upgrade_target"):
        parse_vary(["upgrade_targt=1:2"])
    with pytest.raises(UserInputError, match="outside the registry bounds"):
        parse_vary(["upgrade_target=0:5000"])
    with pytest.raises(UserInputError, match="lower bound 9 is above the upper bound 3"):
        parse_vary(["exit_rate=9:3"])


def test_load_sweep_needs_a_finished_sweep(tmp_path):
    with pytest.raises(UserInputError, match="no sweep here"):
        load_sweep(tmp_path)
    (tmp_path / "sweep.json").write_text("{}")
    with pytest.raises(UserInputError, match="not finished"):
        load_sweep(tmp_path)


def test_the_engine_fingerprint_covers_every_model_and_calibration_source(tmp_path, monkeypatch):
    """A sweep resumes only with the same model code: a change in any source file of simulation/ or
    calibration/ (the filter in smc.py included) gives another fingerprint."""
    import types

    from growthsim.explore import common

    for name in ("simulation", "calibration"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "__init__.py").write_text("", encoding="utf-8")
    (tmp_path / "calibration" / "smc.py").write_text("PARTICLES = 100_000\n", encoding="utf-8")
    monkeypatch.setattr(common, "_simulation", types.SimpleNamespace(__file__=str(tmp_path / "simulation"
                                                                                  / "__init__.py")))
    monkeypatch.setattr(common, "_calibration", types.SimpleNamespace(__file__=str(tmp_path / "calibration"
                                                                                   / "__init__.py")))
    before = common.engine_fingerprint()
    assert common.engine_fingerprint() == before  # the same files, the same fingerprint
    (tmp_path / "calibration" / "smc.py").write_text("PARTICLES = 50_000\n", encoding="utf-8")
    assert common.engine_fingerprint() != before
