"""The prior comes from the annual model's public calls; a failure gives a labelled fallback, never a silent one."""

from __future__ import annotations

import numpy as np

from growthsim.monitor import annual_prior, build_report, load_bundle


def test_prior_from_the_annual_model():
    p = annual_prior(2021, draws=500)
    assert not p.fallback and p.draws.shape == (500,)
    assert "数据截至2020年" in p.label_zh  # the monitored year's own figure is not in the prior


def test_fallback_is_labelled(monkeypatch):
    def boom(*a, **k):
        raise RuntimeError("annual model being rewritten")

    monkeypatch.setattr("growthsim.calibration.cache.calibrate_cached", boom)
    p = annual_prior(2024, draws=500, record={2021: 8.1, 2022: 3.8, 2023: 5.8})
    assert p.fallback and "FALLBACK" in p.label_en and "后备" in p.label_zh
    assert "annual model being rewritten" in p.label_en  # the reason is shown
    assert abs(np.mean(p.draws) - 5.9) < 0.2  # centred on the record's mean
    rep = build_report(load_bundle(), 2024, "qingdao")
    assert "FALLBACK" in rep.prior_label_en  # the report carries the label to every output
    counts = annual_prior(2021, "firm_upgrades")
    assert counts.draws is None and "no probability" in counts.label_en


def test_outputs_are_written_when_the_model_cannot_run(monkeypatch, tmp_path):
    # The count targets then have no probability (None): the CSV leaves the cell empty instead of crashing on it.
    from typer.testing import CliRunner

    from growthsim.cli import app

    def boom(*a, **k):
        raise RuntimeError("annual model being rewritten")

    monkeypatch.setattr("growthsim.calibration.cache.calibrate_cached", boom)
    res = CliRunner().invoke(app, ["monitor", "--out", str(tmp_path), "--lang", "en"], env={"COLUMNS": "200"})
    assert res.exit_code == 0, res.output
    assert "the annual model could not be run" in res.output and "no probability" in res.output  # said, labelled
    assert (tmp_path / "monitor.csv").is_file() and (tmp_path / "monitor.xlsx").is_file()


def test_a_bad_cache_setting_is_said_not_hidden_behind_a_fallback(monkeypatch, tmp_path):
    from typer.testing import CliRunner

    from growthsim.cli import app

    monkeypatch.setenv("GROWTHSIM_CACHE_MAX_MB", "lots")
    res = CliRunner().invoke(app, ["monitor", "--out", str(tmp_path), "--lang", "en"], env={"COLUMNS": "200"})
    assert res.exit_code != 0
    assert "GROWTHSIM_CACHE_MAX_MB" in str(res.exception) + res.output
    assert list(tmp_path.iterdir()) == []  # nothing written
