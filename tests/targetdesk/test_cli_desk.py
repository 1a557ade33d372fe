"""The target desk's commands end to end: ladder, seek --package, compare --gap, monitor any year; bad input."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from growthsim.cli import app

runner = CliRunner()
SHARE = "mfg_va_share_gdp@2030>=27"


def ok(args):
    res = runner.invoke(app, args)
    assert res.exit_code == 0, res.output
    return " ".join(res.output.split())


def fails(args):
    res = runner.invoke(app, args)
    assert res.exit_code == 2, res.output
    return " ".join(res.output.split())


def test_ladder_prints_and_writes_the_ladder_the_candidate_and_the_split(tmp_path):
    out = ok(["ladder", "--target", SHARE, "--split", "gdp_growth_2026", "--draws", "400", "--out",
              str(tmp_path / "l"), "--format", "csv", "--format", "xlsx"])
    assert "目标梯度" in out and "保底" in out and "测算目标" in out and "指标分解" in out
    ladder = pd.read_csv(tmp_path / "l" / "ladder.csv", encoding="utf-8-sig")
    rows = ladder[ladder["指标编号" if "指标编号" in ladder else "indicator"] == "mfg_va_share_gdp"]
    assert len(rows) == 5                                   # 2026-2030
    assert (rows["保底（90%把握）"] <= rows["力争（70%把握）"]).all()   # a floor is never above the strive rung
    split = pd.read_csv(tmp_path / "l" / "ladder_split.csv", encoding="utf-8-sig")
    w, part = split["权重（%）"] / 100, split["分解值（%）"]
    assert abs(float((w * part).sum()) - 5.0) < 0.1        # the rounded parts weigh up to the city's 5 %
    wb = load_workbook(tmp_path / "l" / "ladder.xlsx")
    assert wb.sheetnames == ["目标测算", "分解表（示例）"]


def test_ladder_writes_a_word_note(tmp_path):
    from docx import Document

    ok(["ladder", "--target", SHARE, "--draws", "300", "--package", "none", "--lang", "en", "--out",
        str(tmp_path / "l"), "--format", "docx"])
    doc = Document(io.BytesIO((tmp_path / "l" / "ladder.docx").read_bytes()))
    heads = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert heads[:4] == ["1. The attainability ladder", "2. Targets and candidates", "3. Assumptions",
                         "4. The model's track record"]
    assert any("coverage" in p.text.lower() for p in doc.paragraphs)   # the back-test's bands, to judge trust


def test_seek_a_package_for_a_posed_target():
    # 27 % by 2030 is a stretch after issue 19 (the share held to industry): the baseline gives it about 17 %
    out = ok(["seek", "--target", SHARE, "--package", "intensified", "--probability", "0.3", "--draws", "400"])
    assert "强化政策" in out and "倍力度" in out and "增量项目纳统数" in out


def test_compare_gap_adds_up_in_words():
    out = ok(["compare", "baseline", "downside", "--gap", "mfg_va_share_gdp@2030", "--draws", "300"])
    assert "差距主要来自" in out and "各项相加等于全部差距" in out


def test_monitor_the_year_that_is_ending_with_its_gdp_target_and_a_candidate(tmp_path):
    out = ok(["monitor", "--year", "2026", "--target", "above_scale_va_growth@2026~6.5", "--out", str(tmp_path / "m")])
    tab = pd.read_csv(tmp_path / "m" / "monitor.csv", encoding="utf-8-sig")
    assert list(tab.target_id) == ["gdp_growth_2026", "above_scale_va_growth@2026~6.5"]
    assert tab.probability.between(0, 1).all() and "先验" in out   # no month yet: the annual model's prior


@pytest.mark.parametrize("args, fragment", [
    (["ladder", "--target", "mfg_share@2030>=27"], "未知指标"),
    (["ladder", "--target", "mfg_va_share_gdp@2024>=27", "--lang", "en"], "is not projected"),
    (["ladder", "--target", "mfg_va_share_gdp@2030<27", "--lang", "en"], "comparator < is not allowed"),
    (["ladder", "--target", "mfg_va_share_gdp@2030>=127", "--lang", "en"], "outside the range 0 to 100"),
    (["ladder", "--split", "mfg_va_share_gdp@2030>=27", "--lang", "en"], "cannot be split"),
    (["compare", "baseline", "downside", "--gap", "nothing@2030"], "未知指标"),
    (["monitor", "--year", "2026", "--target", "mfg_va_share_gdp@2026>=27"], "月度数据无法监测"),
])
def test_bad_targets_exit_2_name_the_problem_and_write_nothing(tmp_path, args, fragment):
    out = fails([*args, "--out", str(tmp_path / "o")] if args[0] != "compare" else args)
    assert fragment.replace(" ", "") in out.replace(" ", "")
    assert not (tmp_path / "o").exists()
