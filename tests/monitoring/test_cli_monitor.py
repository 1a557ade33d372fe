"""``growthsim monitor`` end to end: the table, the files, the 示例 labels, bad input exits 2 and writes nothing."""

from __future__ import annotations

import pandas as pd
import pytest
from mon_helpers import HEADER, row
from openpyxl import load_workbook
from typer.testing import CliRunner

from growthsim.cli import app

runner = CliRunner()


def _run(*args):
    return runner.invoke(app, ["monitor", *args], env={"COLUMNS": "400"})  # a wide console: no wrapped cells


def test_city_2021(tmp_path):
    res = _run("--year", "2021", "--out", str(tmp_path))
    assert res.exit_code == 0, res.output
    assert "2021年 青岛市 年内监测" in res.output and "达成概率" in res.output
    tab = pd.read_csv(tmp_path / "monitor.csv", encoding="utf-8-sig")
    va = tab[tab.target_id == "va_growth_2021"].iloc[0]
    assert va.month == 12 and va.so_far == 8.1  # the full year 8.1 %
    assert va.probability == 0.0 and va.status == "missed"  # 8.1 < 9.5 (10 左右 = 10 - 0.5)
    assert tab[tab.target_id == "upgrades_2021"].iloc[0].status == "met"  # 405 >= 300
    hist = pd.read_csv(tmp_path / "monitor_history.csv", encoding="utf-8-sig")
    h = hist[hist.target_id == "va_growth_2021"].set_index("month")
    assert list(h.index) == [0, 6, 12]  # prior, 1–6月, full year
    assert bool(h.loc[6, "base_effect"])  # 1–6月 used the two-year average (base effect)
    assert 0.0 < h.loc[6, "probability"] < 0.5  # 9.1 predicted from H1: unlikely, not yet decided
    wb = load_workbook(tmp_path / "monitor.xlsx")
    assert wb.sheetnames == ["年内监测", "概率历史"]
    assert "2021年 青岛市 年内监测" in wb["年内监测"]["A1"].value


def test_west_coast_example_is_labelled_everywhere(tmp_path):
    res = _run("--region", "xihaian", "--lang", "en", "--out", str(tmp_path))
    assert res.exit_code == 0, res.output
    assert "ILLUSTRATIVE" in res.output and "behind plan" in res.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["monitor_示例.csv", "monitor_示例.json", "monitor_示例.xlsx",
                                                          "monitor_示例_history.csv"]  # the three and their manifest
    tab = pd.read_csv(tmp_path / "monitor_示例.csv", encoding="utf-8-sig")
    assert set(tab.illustrative) == {"示例 illustrative"}
    reno = tab[tab.target_id == "xihaian_renovation_completed_2021"].iloc[0]
    assert reno.status == "behind" and reno.behind == 1.0  # 10 done by August, 3 + 8 = 11 due by June
    wb = load_workbook(tmp_path / "monitor_示例.xlsx")
    assert wb.sheetnames[0] == "In-year monitoring (示例)"  # --lang en: the workbook is English, labelled 示例
    assert "示例" in wb.worksheets[0]["A2"].value
    assert "19%" in res.output  # 57 upgrades of the city's 300 target


def test_a_data_file_replaces_the_shipped_figures(tmp_path):
    f = tmp_path / "qingdao_2024.csv"
    f.write_text(HEADER + row(month=2, value="5.0") + row(month=6, value="5.5"), "utf-8")
    out = tmp_path / "out"
    res = _run("--data", str(f), "--out", str(out))
    assert res.exit_code == 0, res.output
    tab = pd.read_csv(out / "monitor.csv", encoding="utf-8-sig")
    va = tab.iloc[0]
    assert va.target_id == "va_growth_2024" and va.month == 6
    assert va.pace_needed == pytest.approx(6.5)  # (12*6.0 - 6*5.5)/6 with equal weights, to the 6.0 floor


@pytest.mark.parametrize("args, needle", [
    (["--region", "atlantis"], "atlantis"), (["--year", "2023"], "2023"), (["--lang", "fr"], "fr"),
])
def test_bad_options_exit_2_and_write_nothing(tmp_path, args, needle):
    out = tmp_path / "out"
    res = _run(*args, "--out", str(out))
    assert res.exit_code == 2
    # in the reader's language (zh by default); both, Chinese first, only when --lang itself is wrong
    assert needle in res.output and "允许" in res.output and ("allowed" in res.output) == ("fr" in args)
    assert not out.exists()
    if "fr" not in args:
        res = _run(*args, "--lang", "en", "--out", str(out))
        assert res.exit_code == 2 and "allowed" in res.output and "允许" not in res.output


def test_bad_data_file_exits_2_and_keeps_earlier_outputs(tmp_path):
    out = tmp_path / "out"
    assert _run("--year", "2024", "--out", str(out)).exit_code == 0
    before = (out / "monitor.csv").read_bytes()
    f = tmp_path / "qingdao_2024.csv"
    f.write_text(HEADER + row(month=6, value="9.8") + row(month=3, value="10.0"), "utf-8")
    res = _run("--data", str(f), "--out", str(out))
    assert res.exit_code == 2
    assert "第 3 行" in res.output and "month" in res.output and "line 3" not in res.output  # Chinese only
    res = _run("--data", str(f), "--out", str(out), "--lang", "en")
    assert res.exit_code == 2 and "line 3" in res.output and "第 3 行" not in res.output
    assert (out / "monitor.csv").read_bytes() == before  # nothing written
