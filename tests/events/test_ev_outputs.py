"""Outputs of the event engine: reproducible numbers, the per-project and pipeline tables in the CSV and
Excel exports (Chinese headers, labelled illustrative), the Gantt chart, the CLI, and bad lists refused
with nothing written."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from growthsim.cli import app
from growthsim.pipeline_report import (
    ILLUSTRATIVE_LABEL,
    delivery_probability,
    extra_tables,
    gantt_figure,
    gantt_frame,
    project_table,
)
from growthsim.runner import RunSettings, run
from growthsim.scenario_files import load_scenario
from growthsim.simulation.events import EVENT_PARAMETERS, INCREMENTAL, STATISTICS, project_events

runner = CliRunner()


@pytest.fixture(scope="module")
def event_dir(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("event")
    res = runner.invoke(app, ["run", "baseline", "downside", "--engine", "event", "--draws", "60", "--seed", "5",
                              "--out", str(out), "--format", "csv", "--format", "xlsx", "--format", "parquet"])
    assert res.exit_code == 0, res.output
    (out / "stdout.txt").write_text(res.output, encoding="utf-8")
    return out


def test_same_seed_same_numbers_byte_for_byte(calibration, shipped_list):
    runs = [project_events(calibration.base, load_scenario("intensified"), calibration.posterior, 2030, 20,
                           np.random.default_rng(seed), shipped_list) for seed in (8, 8, 9)]
    (p1, e1), (p2, e2), (p3, e3) = runs
    for key in p1.values:
        assert p1.values[key].tobytes() == p2.values[key].tobytes(), key
    assert e1.list_times.tobytes() == e2.list_times.tobytes()
    assert e1.list_times.tobytes() != e3.list_times.tobytes()  # another seed, other numbers


def test_the_cli_writes_the_event_files(event_dir):
    names = {p.name for p in event_dir.iterdir()} - {"stdout.txt"}
    assert names == {"projections.csv", "targets.csv", "projects.csv", "pipeline.csv", "projections.xlsx",
                     "projections.parquet", "targets.parquet", "projects.parquet", "pipeline.parquet",
                     "manifest.json"}
    manifest = json.loads((event_dir / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["engine"] == "event" and manifest["projects_illustrative"] is True
    assert manifest["projects_file"] == "illustrative_projects_示例项目清单.csv"
    out = (event_dir / "stdout.txt").read_text(encoding="utf-8")
    assert "示例/虚构" in out and "项目管线" in out  # the list is labelled made-up, in the output's language


def test_projects_csv_has_chinese_headers_and_the_illustrative_label(event_dir, shipped_list):
    df = pd.read_csv(event_dir / "projects.csv", encoding="utf-8-sig")
    for col in ("编号", "项目名称", "类型", "纳统日期(中位)", "截至2030年末纳统概率(技改为投产)",
                "2030年产值贡献(亿元,期望)"):
        assert col in df.columns
    assert (df["清单性质"] == ILLUSTRATIVE_LABEL).all()
    assert len(df) == 2 * len(shipped_list)  # one row per project and scenario
    probs = df[[c for c in df.columns if c.endswith("纳统概率(技改为投产)")]].to_numpy()
    assert ((probs >= 0) & (probs <= 1)).all() and (np.diff(probs, axis=1) >= 0).all()  # by year: never falls
    pipe = pd.read_csv(event_dir / "pipeline.csv", encoding="utf-8-sig")
    assert {"年份", "纳统项目数(均值)", "清单项目纳统数(均值)", "重点技改项目竣工数(均值)"} <= set(pipe.columns)
    assert (pipe["清单性质"] == ILLUSTRATIVE_LABEL).all()


def test_the_workbook_has_labelled_project_sheets(event_dir):
    wb = load_workbook(event_dir / "projections.xlsx")
    assert "项目明细(示例)" in wb.sheetnames and "项目管线汇总(示例)" in wb.sheetnames
    ws = wb["项目明细(示例)"]
    assert "ILLUSTRATIVE" in ws["A1"].value and "虚构" in ws["A1"].value
    assert ws["E2"].value == "项目名称"
    run_sheet = {r[0]: r[1] for r in wb["运行信息"].iter_rows(values_only=True)}
    assert run_sheet["清单性质"] == ILLUSTRATIVE_LABEL
    # the event engine's parameters are listed in the assumptions of an event run
    labels = {r[-1]: r[0] for r in wb["参数假设"].iter_rows(min_row=3, values_only=True)}  # id (last column): label
    assert set(EVENT_PARAMETERS) <= set(labels) and not any(str(v).endswith("（仅事件模型使用）")
                                                            for v in labels.values())


def test_a_vector_run_is_unchanged(tmp_path, calibration):
    res = runner.invoke(app, ["run", "baseline", "--draws", "30", "--out", str(tmp_path)])
    assert res.exit_code == 0, res.output
    assert {p.name for p in tmp_path.iterdir()} == {"projections.csv", "targets.csv", "projections.xlsx",
                                                     "manifest.json"}
    assert "engine" not in json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    wb = load_workbook(tmp_path / "projections.xlsx")
    assert not any(name.startswith("项目") for name in wb.sheetnames)
    labels = {r[-1]: r[0] for r in wb["参数假设"].iter_rows(min_row=3, values_only=True)}  # id (last column): label
    # every parameter is listed; those only the event engine reads say so
    assert all(labels[pid].endswith("（仅事件模型使用）") for pid in EVENT_PARAMETERS)
    assert not labels["upgrade_target"].endswith("（仅事件模型使用）")


def test_a_broken_list_writes_nothing(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("id,name,industry,district,type,investment,planned_start,planned_commissioning,output\n"
                   "A,甲,智能家电,城阳区,增量,-3,2022-01,2023-01,4\n", encoding="utf-8")
    out = tmp_path / "out"
    res = runner.invoke(app, ["run", "baseline", "--engine", "event", "--projects", str(bad), "--draws", "5",
                              "--out", str(out)])
    assert res.exit_code == 2
    assert "bad.csv, line 2, column investment" in res.output and "'-3'" in res.output
    assert not out.exists()
    res = runner.invoke(app, ["run", "baseline", "--projects", str(bad), "--out", str(out)])
    assert res.exit_code == 2 and "needs --engine event" in res.output
    res = runner.invoke(app, ["run", "baseline", "--engine", "simpy", "--out", str(out)])
    assert res.exit_code == 2
    assert "--engine simpy: not allowed; allowed: vector (the annual model) or event" in res.output


def test_a_list_dated_outside_the_projection_is_refused(tmp_path):
    lst = tmp_path / "late.csv"
    lst.write_text("# as_of: 2031\nid,name,industry,district,type,investment,planned_start,planned_commissioning,"
                   "output\nA,甲,智能家电,城阳区,增量,3,2032-01,2033-01,4\n", encoding="utf-8")
    res = runner.invoke(app, ["run", "baseline", "--engine", "event", "--projects", str(lst), "--draws", "5",
                              "--out", str(tmp_path / "o")])
    assert res.exit_code == 2 and "late.csv" in res.output and "1 January of a year from 2026 to 2030" in res.output


def test_table_probabilities_add_up_to_the_listed_entries(calibration, shipped_list):
    _, pipe = project_events(calibration.base, load_scenario("baseline"), calibration.posterior, 2030, 40,
                             np.random.default_rng(2), shipped_list)
    prob = delivery_probability(pipe)
    inc = shipped_list.kind == INCREMENTAL
    # already in statistics before the list's date: none in the shipped list
    assert not (pipe.list_times[0, inc, STATISTICS] == -np.inf).any()
    by_year = np.diff(np.column_stack([np.zeros(inc.sum()), prob[inc]]), axis=1).sum(axis=0)
    # the same draws, counted two ways: only float rounding may differ
    assert np.allclose(by_year, pipe.per_year["entries_listed"].mean(axis=0), atol=1e-9)
    table = project_table(pipe, "baseline", "基准情景")
    assert len(table) == len(shipped_list) and table["情景"].eq("基准情景").all()
    # the same table in English: English titles and fixed values, the same numbers
    english = project_table(pipe, "baseline", "Baseline", "en")
    assert not [c for c in english.columns if re.search(r"[\u3400-\u9fff]", c)]
    assert set(english["Type"]) == {"incremental", "renovation"} and english["Scenario"].eq("Baseline").all()
    assert np.array_equal(english["P(stall)"].to_numpy(), table["停滞概率"].to_numpy())


def test_the_gantt_chart(calibration, shipped_list):
    _, pipe = project_events(calibration.base, load_scenario("baseline"), calibration.posterior, 2030, 30,
                             np.random.default_rng(4), shipped_list)
    frame = gantt_frame(pipe, limit=25)
    assert frame["id"].nunique() == 25
    assert (frame["end"] >= frame["start"]).all()
    for _, bars in frame.groupby("id", sort=False):  # a project's bars follow the stage order
        assert (bars["start"].diff().dropna() >= pd.Timedelta(0)).all()
        assert bars["stage"].tolist() == [s for s in ("签约→开工", "开工→竣工", "竣工→投产", "投产→纳统")
                                        if s in set(bars["stage"])]
    fig = gantt_figure(pipe, limit=25)
    assert "示例/虚构" in "".join(fig["title"]["text"]) and "ILLUSTRATIVE" not in str(fig["title"])  # one language
    assert {r["stage"] for r in fig["data"]["values"]} <= {"签约→开工", "开工→竣工", "竣工→投产", "投产→纳统"}
    assert len({r["project"] for r in fig["data"]["values"]}) == 25
    only = gantt_frame(pipe, kind=INCREMENTAL, districts=["城阳区"], limit=500)
    ids = set(only["id"])
    assert ids and all(i.startswith("INC") for i in ids)
    assert set(only["district"]) == {"城阳区"}
    # to 2030 every listed project delivers; to 2026 some are still under way at the horizon
    _, short = project_events(calibration.base, load_scenario("baseline"), calibration.posterior, 2026, 30,
                              np.random.default_rng(4), shipped_list)
    for events, opened in ((pipe, False), (short, True)):
        shown, fig = gantt_frame(events, limit=500), gantt_figure(events, limit=500)
        assert shown["open"].any() == opened
        rules = [layer for layer in fig["layer"] if layer["mark"]["type"] == "rule"]
        assert len(rules) == int(opened)  # the horizon is marked only when a bar reaches it
        years = (shown["end"].max() - shown["start"].min()).days / 365.25
        assert fig["layer"][0]["encoding"]["x"]["axis"]["format"] == ("%Y" if years >= 3 else "%Y-%m")
    english = gantt_figure(pipe, lang="en", limit=5)
    title = "".join(english["title"]["text"])
    assert "Project pipeline" in title and "illustrative" in title
    # the tooltip names the fields in English
    tooltip = [f["title"] for f in english["layer"][0]["encoding"]["tooltip"]]
    assert "Probability delivered by the horizon" in tooltip and "期末前完成概率" not in tooltip


def test_the_runner_keeps_the_pipelines(calibration):
    settings = RunSettings(draws=10, seed=3, engine="event")
    result = run([load_scenario("baseline")], settings, calibration)
    assert set(result.pipelines) == {"baseline"}
    assert [stem for stem, *_ in result.extra_tables] == ["projects", "pipeline"]
    # the exports ask for the output's language: English sheet names, titles, headers and cells, the same numbers
    english = extra_tables(result, "en")
    assert [sheet for _, sheet, *_ in english] == ["Projects (illustrative)", "Pipeline (illustrative)"]
    for (_, _, title, frame), (_, _, _, zh) in zip(english, result.extra_tables, strict=True):
        cells = " ".join([title, *frame.columns, *frame.select_dtypes(exclude="number").astype(str).stack()])
        assert not re.search(r"[\u3400-\u9fff]", cells.replace("示例", ""))  # 示例: the label in every language
        assert np.array_equal(frame.select_dtypes("number").to_numpy(), zh.select_dtypes("number").to_numpy(),
                              equal_nan=True)
