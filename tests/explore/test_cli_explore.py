"""The seek, sensitivity, sweep and discover commands end to end; bad input exits 2 and writes nothing."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from typer.testing import CliRunner

import growthsim.explore.sweep as sweep_mod
from growthsim.cli import app

runner = CliRunner()


def ok(args):
    res = runner.invoke(app, args)
    assert res.exit_code == 0, res.output
    return res.output


def fails(args):
    res = runner.invoke(app, args)
    assert res.exit_code == 2, res.output  # the CLI's exit code for bad input
    assert "error:" in res.output
    return " ".join(res.output.split())   # undo line wrapping for matching


def test_seek_prints_the_value_probability_path_and_command(tmp_path):
    out = ok(["seek", "--target", "firms_2024", "--levers", "upgrade_target", "--draws", "400", "--lang", "en",
              "--out", str(tmp_path / "s")])
    flat = " ".join(out.split())
    assert "required: upgrade_target ≥" in flat and "achieved probability: firms_2024" in flat
    assert "path at the solution" in flat and "2024" in flat
    assert "growthsim compare baseline --set upgrade_target=" in flat
    facts = json.loads((tmp_path / "s" / "seek.json").read_text(encoding="utf-8"))
    sols = pd.read_csv(tmp_path / "s" / "solutions.csv", encoding="utf-8-sig")
    assert facts["targets"] == ["firms_2024"] and facts["draws"] == 400  # as asked on the command line
    assert sols.required_value.iloc[0] == int(sols.required_value.iloc[0])  # whole firms
    assert sols.probability_firms_2024.iloc[0] >= 0.8 > sols.previous_probability.iloc[0]  # minimal
    paths = pd.read_csv(tmp_path / "s" / "paths.csv", encoding="utf-8-sig")
    assert sorted(paths.year.unique()) == list(range(2020, 2026))  # base year to the horizon, 2025 by default


def test_seek_accepts_several_values_after_one_option():
    out = ok(["seek", "--target", "mfg_share_2025", "firms_2024", "--levers", "upgrade_target",
              "incremental_projects", "--probability", "0.3", "--draws", "200", "--points", "3", "--lang", "en"])
    assert "frontier" in out and "incremental_projects" in out


@pytest.mark.parametrize("args, fragment", [
    (["--target", "mfg_share_2026"], "did you mean mfg_share_2025"),
    (["--target", "mfg_share_2025", "--levers", "upgrade_targt"], "did you mean upgrade_target"),
    (["--target", "mfg_share_2025", "--probability", "1.5"], "must lie in (0, 1]"),
    (["--target", "mfg_share_2025", "--probability", "80"], "for 80% write 0.8"),
    (["--target", "mfg_share_2025", "--levers", "exit_rate"], "is an uncertainty"),
    (["--target", "mfg_share_2025", "--levers", "upgrade_target", "--probability", "0.9"],
     "cannot be met with probability 90%"),
    (["--target", "firms_2024", "--levers", "upgrade_target", "--bounds", "upgrade_target=0:300"],
     "within [0, 300]"),
    (["--target", "firms_2024", "--levers", "upgrade_target", "--bounds", "upgrade_target=0:9000"],
     "outside the registry bounds"),
    (["--target", "firms_2024", "--from-year", "2026"], "--from-year 2026"),
    (["--target", "mfg_share_2025", "--scenario", "nope"], "no such scenario file"),
])
def test_seek_bad_input(tmp_path, args, fragment):
    out = tmp_path / "never"
    msg = fails(["seek", *args, "--draws", "200", "--out", str(out)])
    assert fragment in msg
    assert not out.exists()  # nothing written


def test_sensitivity_writes_its_folder(tmp_path):
    out = tmp_path / "sens"
    text = ok(["sensitivity", "--n", "8", "--draws", "10", "--trajectories", "4", "--params",
               "upgrade_target,exit_rate,key_firm_growth,high_tech_growth_premium", "--workers", "1", "--no-png",
               "--out", str(out), "--lang", "en"])
    assert "4 factors" in text and "leading factor by year" in text
    names = {p.name for p in out.iterdir()}
    assert {"sobol.csv", "morris.csv", "drivers.csv", "manifest.json", "targets", "tornado"} <= names
    drivers = pd.read_csv(out / "drivers.csv", encoding="utf-8-sig")
    row = drivers[drivers.outcome == "high_tech_share:2025"].iloc[0]
    assert row.driver_1 == "high_tech_growth_premium"  # the only factor that enters the high-tech share


@pytest.mark.parametrize("args, fragment", [
    (["--n", "1000"], "power of two"),
    (["--params", "upgrade_target,exit_rat"], "did you mean exit_rate"),
    (["--method", "fast"], "--method fast"),
    (["--lang", "fr"], "--lang fr"),
])
def test_sensitivity_bad_input(tmp_path, args, fragment):
    out = tmp_path / "never"
    assert fragment in fails(["sensitivity", *args, "--out", str(out)])
    assert not out.exists()


def test_sweep_then_discover(tmp_path):
    out = tmp_path / "sw"
    args = ["sweep", "--vary", "upgrade_target", "--vary", "key_firm_growth", "--samples", "60", "--draws", "50",
            "--chunk-size", "20", "--workers", "1", "--out", str(out)]
    text = ok(args)
    # 60 samples in chunks of 20
    assert "60 runs in 3 chunks: 3 computed, 0 already done" in " ".join(text.split())
    again = " ".join(ok(args).split())
    assert "3 chunks: 0 computed, 3 already done" in again  # the same command resumes, here with nothing to do
    said = " ".join(ok(["discover", str(out), "--target", "firms_2024", "--probability", "0.8", "--lang", "both",
                        "--out", str(tmp_path / "d")]).split())
    assert "当小升规目标不少于每年" in said and "When the firm upgrades target (小升规) is at least" in said
    facts = json.loads((tmp_path / "d" / "discovery.json").read_text(encoding="utf-8"))
    assert facts["sentence_zh"].replace(" ", "") in said.replace(" ", "")
    assert facts["runs"] == 60  # every run of the sweep was considered


@pytest.mark.parametrize("args, fragment", [
    (["--vary", "upgrade_target", "--grid", "3", "--samples", "5"], "either --grid"),
    (["--vary", "upgrade_targt", "--samples", "5"], "did you mean upgrade_target"),
    (["--vary", "upgrade_target=5:1", "--samples", "5"], "lower bound 5 is above the upper bound 1"),
    (["--vary", "upgrade_target", "--samples", "5", "--design", "halton"], "--design halton"),
])
def test_sweep_bad_input(tmp_path, args, fragment):
    out = tmp_path / "never"
    assert fragment in fails(["sweep", *args, "--workers", "1", "--out", str(out)])
    assert not out.exists()


def test_sweep_refuses_a_scheduler_it_cannot_reach(tmp_path, monkeypatch):
    monkeypatch.setattr(sweep_mod, "CONNECT_TIMEOUT", "1s")
    msg = fails(["sweep", "--vary", "upgrade_target", "--samples", "5", "--scheduler", "tcp://127.0.0.1:9",
                 "--out", str(tmp_path / "sw")])
    assert "could not connect to a Dask scheduler" in msg


def test_sweep_resume_with_other_settings_is_refused(tmp_path):
    out = tmp_path / "sw"
    ok(["sweep", "--vary", "upgrade_target", "--samples", "10", "--draws", "20", "--workers", "1", "--out", str(out)])
    msg = fails(["sweep", "--vary", "upgrade_target", "--samples", "10", "--draws", "30", "--workers", "1",
                 "--out", str(out)])
    assert "draws: this folder has 20, now 30" in msg


def test_discover_bad_input(tmp_path):
    assert "no sweep here" in fails(["discover", str(tmp_path), "--target", "firms_2024"])
    assert "did you mean firms_2024" in fails(["discover", str(tmp_path), "--target", "firm_2024"])
