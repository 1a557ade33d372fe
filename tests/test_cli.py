"""The command line end to end: run, compare, calibrate, params, and the files it writes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from growthsim.cli import app
from growthsim.simulation.indicators import indicators
from growthsim.simulation.registry import parameters

runner = CliRunner()


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("run")
    res = runner.invoke(app, ["run", "baseline", "intensified", "downside", "--draws", "400", "--seed", "42",
                              "--out", str(out), "--format", "csv", "--format", "xlsx", "--format", "parquet"])
    assert res.exit_code == 0, res.output
    return out


def test_run_writes_every_file(run_dir):
    names = {p.name for p in run_dir.iterdir()}
    assert names == {"projections.csv", "targets.csv", "projections.xlsx", "projections.parquet",
                     "targets.parquet", "manifest.json"}


def test_projections_csv_layout(run_dir):
    df = pd.read_csv(run_dir / "projections.csv", encoding="utf-8-sig")
    assert list(df.columns) == ["scenario", "indicator", "unit", "year", "mean", "p05", "p10", "p50", "p90", "p95"]
    assert set(df.indicator) == set(indicators())  # every registry entry, in every run
    assert set(df.scenario) == {"baseline", "intensified", "downside"}
    assert sorted(df.year.unique()) == list(range(2025, 2031))  # the last reported year to the default 2030
    base = df[(df.year == 2025) & (df.indicator == "above_scale_va_growth")]
    # In the start year every draw agrees with the reported 7.9% (2026 work report) within its measurement
    # error (0.05 point; 5 sd over the draws).
    assert ((base[["mean", "p05", "p50", "p95"]] - 7.9).abs() < 0.25).all().all()
    assumed = [i for i, m in indicators().items() if m.assumed]
    forecast = df[~df.indicator.isin(assumed)]
    known = forecast.dropna(subset=["p05", "p50", "p95"])  # unreported base-year flows are blank
    assert len(known) > 0.9 * len(forecast)
    # what assumptions set (investment) is an assumed path: its quantiles are blank in every year
    assert df[df.indicator.isin(assumed)][["p05", "p10", "p90", "p95"]].isna().all().all()
    assert (known.p05 <= known.p50).all() and (known.p50 <= known.p95).all()
    parquet = pd.read_parquet(run_dir / "projections.parquet")
    # the CSV is rounded to each indicator's precision (whole firms, one decimal for shares); Parquet keeps it all
    pd.testing.assert_frame_equal(parquet[["indicator", "year", "p50"]], df[["indicator", "year", "p50"]],
                                  check_exact=False, rtol=0, atol=0.5)
    share = df[df.indicator == "mfg_va_share_gdp"].p50
    assert (share == share.round(1)).all()  # no float noise in the CSV


def test_targets_csv_layout_and_probabilities(run_dir):
    df = pd.read_csv(run_dir / "targets.csv", encoding="utf-8-sig")
    assert list(df.columns) == ["scenario", "target_id", "indicator", "year", "comparator", "target", "p50", "gap",
                                "probability"]
    assert df.probability.between(0, 1).all()
    # gap = median - target; the CSV keeps 6 significant digits, hence the tolerance.
    assert np.allclose(df.p50 - df.target, df.gap, rtol=1e-5, atol=1e-4)
    gdp = df[df.target_id == "gdp_growth_2026"].set_index("scenario")
    # The downside scenario (weaker investment, upgrades and projects from 2026) cannot beat the baseline's
    # chance of GDP growth of 5% or more in 2026 (same seed: same random numbers).
    assert gdp.loc["downside", "probability"] <= gdp.loc["baseline", "probability"]


def test_workbook_layout(run_dir):
    wb = load_workbook(run_dir / "projections.xlsx")
    assert wb.sheetnames == ["基准情景", "强化政策", "下行压力", "情景比较", "指标比较", "参数假设", "运行信息", "说明",
                             "目标测算", "分解表（示例）"]
    ws = wb["基准情景"]
    header = [c.value for c in ws[2]]
    # indicator, unit, statistic, one column per year (numbers), then the latest target, its year, its probability
    assert header == ["指标", "单位", "统计量", *range(2025, 2031), "目标", "目标年份", "达成概率"]
    first, p10, p90 = ([c.value for c in ws[r]] for r in (3, 4, 5))
    assert first[:3] == ["制造业增加值占全市生产总值比重", "%", "中位数"] and [p10[2], p90[2]] == ["P10", "P90"]
    assert 15 < first[3] < 35  # the 2025 share: estimated (no share is published after 2020's 24.9%)
    assert p10[3] <= first[3] <= p90[3]  # the band below its median
    # the share's latest target: above 30 % by 2026 (the 2022-2026 modern-industry plan, as its English press
    # release words it); the 15th plan's 2030 targets were not found
    assert first[9] == "突破 30%" and first[10] == 2026
    growth = next([c.value for c in r] for r in ws.iter_rows(min_row=3) if r[0].value == "规模以上工业增加值增速")
    assert growth[2] == "中位数" and growth[10] is None  # its targets (2021, 2024) are in the past
    assumptions = wb["参数假设"]
    head = [c.value for c in assumptions[2]]
    ids = {assumptions.cell(row=r, column=head.index("编号") + 1).value for r in range(3, assumptions.max_row + 1)}
    assert ids == set(parameters())
    run_sheet = {r[0].value: r[1].value for r in wb["运行信息"].iter_rows(min_row=3)}
    assert run_sheet["随机种子"] == 42 and run_sheet["模拟次数"] == 400


def test_manifest(run_dir):
    m = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))
    assert m["seed"] == 42 and m["draws"] == 400 and m["base_year"] == 2025 and m["data_through"] == 2025
    assert m["scenarios"] == ["baseline", "intensified", "downside"] and "package_version" in m
    assert "projections.xlsx" in m["files"]


def test_compare_prints_each_scenario_and_target():
    res = runner.invoke(app, ["compare", "baseline", "intensified", "--draws", "200", "--lang", "en"],
                        env={"COLUMNS": "250"})
    assert res.exit_code == 0, res.output
    assert "Baseline" in res.output and "Intensified policy" in res.output
    assert "Real GDP growth 5% or more in 2026" in res.output


def test_calibrate_prints_each_figure_model_value_and_residual():
    res = runner.invoke(app, ["calibrate", "--lang", "en"], env={"COLUMNS": "80"})
    assert res.exit_code == 0, res.output
    # the figures (2020 revenue 9589.3 from 003, one record per block), the prior and posterior of each
    # parameter, and the filter's diagnostics
    for needle in ("[above_scale_va_growth]", "9,589.3", "model median", "[growth_long_run]", "posterior",
                   "effective sample size"):
        assert needle in res.output


def test_params_lists_the_registry():
    res = runner.invoke(app, ["params", "--lang", "en"], env={"COLUMNS": "300"})
    assert res.exit_code == 0
    for pid in parameters():
        assert pid in res.output


def test_set_overrides_a_parameter(tmp_path):
    base = tmp_path / "a"
    more = tmp_path / "b"
    for out, extra in ((base, []), (more, ["--set", "upgrade_target=800"])):
        assert runner.invoke(app, ["run", "baseline", "--draws", "200", "--out", str(out), "--format", "csv"]
                             + extra).exit_code == 0
    firms = [pd.read_csv(d / "projections.csv", encoding="utf-8-sig").query(
        "indicator == 'above_scale_firms' and year == 2028").p50.iloc[0] for d in (base, more)]
    # 800 instead of 405 upgrades a year from 2026 must add firms by 2028: about 3 × 395 less exits.
    assert firms[1] > firms[0] + 900


def test_horizon_2035_and_data_through(tmp_path):
    res = runner.invoke(app, ["run", "baseline", "--draws", "100", "--horizon", "2035", "--data-through", "2020",
                              "--out", str(tmp_path), "--format", "csv"])
    assert res.exit_code == 0, res.output
    df = pd.read_csv(tmp_path / "projections.csv", encoding="utf-8-sig")
    assert df.year.max() == 2035
    manifest = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["data_through"] == 2020


def test_console_script_is_installed():
    exe = Path(sys.executable).with_name("growthsim")
    res = subprocess.run([str(exe), "--help"], capture_output=True, text=True, check=True)
    assert "run" in res.stdout and "calibrate" in res.stdout
