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
    assert "error:" in res.output or "错误：" in res.output  # the label follows the message's language
    return " ".join(res.output.split())   # undo line wrapping for matching


def shows(fragment: str, msg: str) -> bool:
    """``fragment`` in ``msg``; Chinese text is compared without spaces (the console may wrap it anywhere)."""
    if fragment.isascii():
        return fragment in msg
    return fragment.replace(" ", "") in msg.replace(" ", "")


def test_seek_prints_the_value_probability_path_and_command(tmp_path):
    # GDP growth 5 % or more in 2026 (the first shipped target after 2025) with 50 %: 39.5 % in the baseline
    out = ok(["seek", "--target", "gdp_growth_2026", "--levers", "key_firm_growth", "--probability", "0.5",
              "--draws", "400", "--lang", "en", "--out", str(tmp_path / "s")])
    flat = " ".join(out.split())
    assert "required: key_firm_growth ≥" in flat and "achieved probability: gdp_growth_2026" in flat
    assert "path at the solution" in flat and "2026" in flat
    assert "growthsim compare baseline --set key_firm_growth=" in flat
    facts = json.loads((tmp_path / "s" / "seek.json").read_text(encoding="utf-8"))
    sols = pd.read_csv(tmp_path / "s" / "solutions.csv", encoding="utf-8-sig")
    assert facts["targets"] == ["gdp_growth_2026"] and facts["draws"] == 400  # as asked on the command line
    v = sols.required_value.iloc[0]
    assert v == round(v, 2)  # a tenth of the lever's slider step (0.1 points): two decimals
    assert sols.probability_gdp_growth_2026.iloc[0] >= 0.5 > sols.previous_probability.iloc[0]  # minimal
    paths = pd.read_csv(tmp_path / "s" / "paths.csv", encoding="utf-8-sig")
    assert sorted(paths.year.unique()) == list(range(2025, 2031))  # base year to the horizon, 2030 by default


def test_seek_without_a_target_seeks_the_first_one_after_the_data(tmp_path):
    ok(["seek", "--levers", "key_firm_growth", "--probability", "0.5", "--draws", "400", "--lang", "en",
        "--out", str(tmp_path / "s")])
    facts = json.loads((tmp_path / "s" / "seek.json").read_text(encoding="utf-8"))
    assert facts["targets"] == ["gdp_growth_2026"]  # data through 2025: the first tracked target after it


def test_seek_accepts_several_values_after_one_option():
    # two levers and a target after one --levers (the shipped file has one future target: gdp_growth_2026)
    out = ok(["seek", "--levers", "key_firm_growth", "incremental_projects", "gdp_growth_2026", "--probability", "0.5",
              "--draws", "200", "--points", "3", "--lang", "en"])
    assert "frontier" in out and "incremental_projects" in out and "GDP growth" in out
    # projects act after their one-year lag, so 2026 does not depend on them: where key firms alone meet the
    # target, the frontier needs no projects, and says the lever does not move it
    assert "≥ 0" in out and "incremental_projects does not move these targets" in out


@pytest.mark.parametrize("args, fragment", [
    # the common mistakes in the command's language (default Chinese), and in English with --lang en
    (["--target", "mfg_share_2026"], "未知目标（是否想输入 mfg_share_2025"),
    (["--target", "mfg_share_2026", "--lang", "en"], "did you mean mfg_share_2025"),
    (["--target", "mfg_share_2025", "--levers", "upgrade_targt"], "未知杠杆（是否想输入 upgrade_target"),
    (["--target", "mfg_share_2025", "--levers", "upgrade_targt", "--lang", "en"], "did you mean upgrade_target"),
    (["--target", "mfg_share_2025", "--probability", "1.5"], "概率须在 (0, 1] 之内"),
    (["--target", "mfg_share_2025", "--probability", "1.5", "--lang", "en"], "must lie in (0, 1]"),
    (["--target", "mfg_share_2025", "--probability", "80"], "80% 应写作 0.8"),
    (["--target", "mfg_share_2025", "--probability", "80", "--lang", "en"], "for 80% write 0.8"),
    (["--target", "mfg_share_2025", "--levers", "exit_rate"], "是不确定因素（不由工信局控制）"),
    (["--target", "mfg_share_2025", "--levers", "exit_rate", "--lang", "en"], "is an uncertainty"),
    # a search's finding is put in the command's language (default Chinese), as the app shows it
    (["--target", "gdp_growth_2026", "--levers", "key_firm_growth", "--probability", "0.9"],
     "仅调整倍增企业增速（key_firm_growth）（-10.00 至 30.00 %，其他杠杆取情景值），"
     "2026年地区生产总值增长5%以上（gdp_growth_2026）达成的概率达不到 90%"),
    (["--target", "gdp_growth_2026", "--levers", "key_firm_growth", "--probability", "0.9", "--lang", "en"],
     "gdp_growth_2026 cannot be met with probability 90% by key_firm_growth within [-10.00, 30.00] %"),
    # upgrades do not move growth (comparable basis: an upgraded firm's last year is in the base)
    (["--target", "gdp_growth_2026", "--levers", "upgrade_target", "--probability", "0.9"],
     "小升规目标（upgrade_target）在 0 至 1200 家/年 范围内对2026年地区生产总值增长5%以上（gdp_growth_2026）没有影响"),
    (["--target", "gdp_growth_2026", "--levers", "upgrade_target", "--probability", "0.9", "--lang", "en"],
     "upgrade_target has no effect on gdp_growth_2026 within [0, 1200] firms/yr"),
    (["--target", "gdp_growth_2026", "--levers", "key_firm_growth", "incremental_projects", "--probability", "0.95",
      "--points", "3"], "任何组合都不能使2026年地区生产总值增长5%以上（gdp_growth_2026）达成的概率达到 95%"),
    (["--target", "gdp_growth_2026", "--levers", "upgrade_target", "--bounds", "upgrade_target=0:300"],
     "0 至 300 家/年"),
    (["--target", "gdp_growth_2026", "--levers", "upgrade_target", "--bounds", "upgrade_target=0:9000", "--lang", "en"],
     "outside the registry bounds"),
    (["--target", "gdp_growth_2026", "--levers", "upgrade_target", "--bounds", "upgrade_target=0:9000"],
     "超出 upgrade_target 在参数注册表中的范围"),
    (["--target", "gdp_growth_2026", "--from-year", "2027", "--lang", "en"], "--from-year 2027: allowed 2026"),
    (["--target", "gdp_growth_2026", "--from-year", "2027"], "--from-year 2027：可选 2026（第一个预测年份）"),
    (["--target", "gdp_growth_2026", "--scenario", "nope"], "没有这个情景文件"),
    (["--target", "gdp_growth_2026", "--scenario", "nope", "--lang", "en"], "no such scenario file"),
    # a target of a reported year: the data run through 2025, so 2026 is the first year that can be sought
    (["--target", "mfg_share_2025", "--levers", "upgrade_target", "--lang", "en"],
     "its year 2025 is not a projected year"),
    (["--target", "firms_2024", "--levers", "upgrade_target", "--lang", "en"], "allowed target years 2026 to 2035"),
    (["--target", "firms_2024", "--levers", "upgrade_target"], "目标 firms_2024 的年份 2024 已有统计数据"),
])
def test_seek_bad_input(tmp_path, args, fragment):
    out = tmp_path / "never"
    msg = fails(["seek", *args, "--draws", "200", "--out", str(out)])
    assert shows(fragment, msg)
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
    row = drivers[drivers.outcome == "high_tech_share:2030"].iloc[0]   # the default horizon, 2030
    assert row.driver_1 == "high_tech_growth_premium"  # the only factor that enters the high-tech share
    assert (out / "tornado" / "gdp_growth_2026.html").exists()  # the target after the data's last year
    assert not list((out / "tornado").glob("*2025*"))             # the 2025 targets are history


@pytest.mark.parametrize("args, fragment", [
    (["--n", "1000"], "Sobol 抽样需要 2 的幂（至少 4），例如 1024"),  # an option's range, whole in Chinese
    (["--n", "1000", "--lang", "en"], "power of two"),
    (["--method", "fast"], "--method fast：可选 sobol、morris"),
    (["--params", "upgrade_target,exit_rat"], "未知参数（是否想输入 exit_rate？）"),  # in the command's language
    (["--params", "upgrade_target,exit_rat", "--lang", "en"], "did you mean exit_rate"),
    (["--method", "fast"], "--method fast"),
    (["--lang", "fr"], "--lang fr"),
    (["--target", "mfg_share_2025", "--lang", "en"], "its year 2025 is not a projected year"),
    (["--target", "mfg_share_2025"], "只能选择 2026–2030 年的目标"),
])
def test_sensitivity_bad_input(tmp_path, args, fragment):
    out = tmp_path / "never"
    assert shows(fragment, fails(["sensitivity", *args, "--out", str(out)]))
    assert not out.exists()


def test_sweep_then_discover(tmp_path):
    out = tmp_path / "sw"
    args = ["sweep", "--vary", "upgrade_target", "--vary", "key_firm_growth", "--samples", "60", "--draws", "50",
            "--chunk-size", "20", "--workers", "1", "--out", str(out), "--lang", "en"]
    text = ok(args)
    # 60 samples in chunks of 20
    assert "60 runs in 3 chunks: 3 computed, 0 already done" in " ".join(text.split())
    again = " ".join(ok(args).split())
    assert "3 chunks: 0 computed, 3 already done" in again  # the same command resumes, here with nothing to do
    flat = " ".join(text.split())
    assert "next: growthsim discover" in flat and "--target gdp_growth_2026" in flat  # the target the sweep holds
    # no --target: the first tracked target after the data's last year (2026 GDP growth 5%以上); with 50 %
    # required, key firms' growth is restricted (at least 9.5 %: a mean of 53 % over 30 of the 60 runs, 37 %
    # outside; upgrades matter less than key firms for one year's GDP)
    said = " ".join(ok(["discover", str(out), "--probability", "0.5", "--lang", "both",
                        "--out", str(tmp_path / "d")]).split())
    zh = said.replace(" ", "")  # the console wraps Chinese lines anywhere
    assert "2026年地区生产总值增长5%以上" in zh and "Real GDP growth 5% or more in 2026" in said
    assert "倍增企业增速不低于" in zh and "When the key doubling firms' growth is at least" in said
    facts = json.loads((tmp_path / "d" / "discovery.json").read_text(encoding="utf-8"))
    assert facts["sentence_zh"].replace(" ", "") in said.replace(" ", "")
    assert facts["runs"] == 60  # every run of the sweep was considered
    assert facts["target"] == "gdp_growth_2026"
    # in Chinese (the default) the summary and the finding are Chinese, the targets by name
    zh_sweep = "".join(ok(args[:-1] + ["zh"]).split())
    assert "共60个情景，分3块：本次计算0块，此前已完成3块" in zh_sweep and "2026年地区生产总值增长5%以上" in zh_sweep
    assert "runs" not in zh_sweep and "already done" not in zh_sweep
    zh_found = "".join(ok(["discover", str(out), "--probability", "0.5"]).split())
    assert "PRIM规则归纳" in zh_found and "in the box" not in zh_found
    past = fails(["discover", str(out), "--target", "firms_2024", "--lang", "both"])  # both: Chinese, then English
    assert "its year 2024 is not a projected year" in past and "只能选择2026–2030年的目标" in past.replace(" ", "")


@pytest.mark.parametrize("args, fragment", [
    (["--vary", "upgrade_target", "--grid", "3", "--samples", "5"], "请给出 --grid LEVELS（完整网格）或 --samples N"),
    (["--vary", "upgrade_target", "--grid", "3", "--samples", "5", "--lang", "en"], "either --grid"),
    (["--vary", "upgrade_targt", "--samples", "5"], "是否想输入 upgrade_target"),
    (["--vary", "upgrade_targt", "--samples", "5", "--lang", "en"], "did you mean upgrade_target"),
    (["--vary", "upgrade_target=5:1", "--samples", "5", "--lang", "en"], "lower bound 5 is above the upper bound 1"),
    (["--vary", "upgrade_target=5:1", "--samples", "5"], "下限 5 高于上限 1"),
    (["--vary", "upgrade_target", "--samples", "5", "--design", "halton"], "--design halton：可选 grid、lhs"),
    (["--vary", "upgrade_target", "--samples", "5", "--design", "halton", "--lang", "en"],
     "--design halton: allowed grid, lhs"),
    (["--vary", "upgrade_target", "--samples", "0"], "--samples 0：至少为 1"),
])
def test_sweep_bad_input(tmp_path, args, fragment):
    out = tmp_path / "never"
    assert fragment in fails(["sweep", *args, "--workers", "1", "--out", str(out)])
    assert not out.exists()


def test_sweep_refuses_a_scheduler_it_cannot_reach(tmp_path, monkeypatch):
    monkeypatch.setattr(sweep_mod, "CONNECT_TIMEOUT", "1s")
    msg = fails(["sweep", "--vary", "upgrade_target", "--samples", "5", "--scheduler", "tcp://127.0.0.1:9",
                 "--out", str(tmp_path / "sw"), "--lang", "en"])
    assert "could not connect to a Dask scheduler" in msg
    msg = fails(["sweep", "--vary", "upgrade_target", "--samples", "5", "--scheduler", "tcp://127.0.0.1:9",
                 "--out", str(tmp_path / "sw")])
    assert "无法连接到 Dask 调度器" in msg  # in the command's language, Chinese by default


def test_sweep_resume_with_other_settings_is_refused(tmp_path):
    out = tmp_path / "sw"
    ok(["sweep", "--vary", "upgrade_target", "--samples", "10", "--draws", "20", "--workers", "1", "--out", str(out)])
    msg = fails(["sweep", "--vary", "upgrade_target", "--samples", "10", "--draws", "30", "--workers", "1",
                 "--out", str(out)])
    assert shows("draws：此文件夹中为 20，现在为 30", msg)  # in the command's language, Chinese by default
    msg = fails(["sweep", "--vary", "upgrade_target", "--samples", "10", "--draws", "30", "--workers", "1",
                 "--out", str(out), "--lang", "en"])
    assert "draws: this folder has 20, now 30" in msg


def test_discover_bad_input(tmp_path):
    assert "no sweep here" in fails(["discover", str(tmp_path), "--target", "firms_2024", "--lang", "en"])
    assert shows("这里没有扫描", fails(["discover", str(tmp_path), "--target", "firms_2024"]))
    assert "did you mean firms_2024" in fails(["discover", str(tmp_path), "--target", "firm_2024", "--lang", "en"])
    assert shows("是否想输入 firms_2024", fails(["discover", str(tmp_path), "--target", "firm_2024"]))


def test_levers_prints_each_levers_effect_per_unit():
    # the README's table comes from `growthsim levers --markdown`; here a small run in each form
    md = ok(["levers", "--draws", "50", "--markdown", "--lang", "en"])
    assert md.startswith("| lever (per unit) |") and md.count("\n| ") >= 6  # header, rule and five levers
    assert "`incremental_projects`" in md and "`upgrade_target`" in md
    zh = ok(["levers", "--draws", "50"])
    assert "每单位杠杆的效果" in zh and "增量项目纳统数（incremental_projects），每年1个项目: 工信局口径" in zh
    msg = fails(["levers", "--draws", "0", "--lang", "en"])
    assert "--draws 0: not allowed; allowed: a whole number from 1 to 20,000" in msg  # the settings' limit for levers
