"""Bad input: one clear message naming file, line or key, value and what is allowed; nothing written."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from growthsim.calibration.fit import DATA_FILE, CalibrationDataError, parse_reported
from growthsim.cli import app
from growthsim.errors import UserInputError
from growthsim.scenario_files import parse_scenario

HEAD = '[scenario]\ntitle_zh = "测试"\ntitle_en = "test"\n'


def scenario_error(text: str) -> str:
    with pytest.raises(UserInputError) as exc:
        parse_scenario(text, "bad.toml")
    return str(exc.value)


def test_unknown_key_suggests_the_nearest_name():
    msg = scenario_error(HEAD + "[levers]\nupgrade_targt = 500\n")
    assert "bad.toml, line 5" in msg and "upgrade_targt" in msg and "did you mean upgrade_target" in msg


def test_out_of_bounds_value_names_the_bounds():
    msg = scenario_error(HEAD + "[levers]\nupgrade_target = 5000\n")
    assert "line 5" in msg and "5000" in msg and "from 0 to 1200" in msg


def test_wrongly_typed_value():
    msg = scenario_error(HEAD + '[levers]\nupgrade_target = "many"\n')
    assert "upgrade_target" in msg and "'many'" in msg and "not a number (got text)" in msg


def test_fractional_count_is_refused():
    assert "whole number" in scenario_error(HEAD + "[levers]\nupgrade_target = 400.5\n")


def test_year_outside_the_horizon():
    msg = scenario_error(HEAD + "[levers]\nupgrade_target = { 2040 = 500 }\n")
    assert "upgrade_target.2040" in msg and "outside the horizon" in msg and "2021-2035" in msg


def test_year_key_that_is_not_a_year():
    assert "not a year" in scenario_error(HEAD + '[levers]\nupgrade_target = { soon = 500 }\n')


def test_malformed_toml_names_the_line():
    msg = scenario_error(HEAD + "[levers]\nupgrade_target = \n")
    assert "not valid TOML" in msg and "line 5" in msg


def test_lever_under_uncertainties_is_refused():
    msg = scenario_error(HEAD + "[uncertainties]\nupgrade_target = 500\n")
    assert "upgrade_target is a lever" in msg and "[levers]" in msg


def test_unknown_section_is_refused():
    msg = scenario_error(HEAD + "[lever]\nupgrade_target = 500\n")
    assert "unknown section" in msg and "did you mean [levers]" in msg


def test_titles_are_required():
    assert "title_en" in scenario_error('[scenario]\ntitle_zh = "只有中文"\n')


def test_one_off_parameters_cannot_be_keyed_by_year():
    assert "cannot be keyed by year" in scenario_error(HEAD + "[uncertainties]\ndemand_shock_year = { 2022 = 2023 }\n")


def test_text_is_data_never_code():
    # A value that looks like code is just a wrongly typed string.
    msg = scenario_error(HEAD + '[levers]\nupgrade_target = "__import__(\'os\').system(\'echo hi\')"\n')
    assert "not a number (got text)" in msg


# ---- calibration table ----
GOOD = DATA_FILE.read_text(encoding="utf-8")


def csv_error(text: str) -> str:
    with pytest.raises(CalibrationDataError) as exc:
        parse_reported(text, "figures.csv")
    return str(exc.value)


def test_missing_column():
    msg = csv_error(GOOD.replace(",quote,", ",citation,", 1))
    assert "line 1" in msg and "quote" in msg


def _row(year="2022", indicator="revenue", value="10000", unit="亿元", status="final", period="", vintage="2023",
         source="x.txt", url="", publisher="", published="", quote="quote", tol="", publisher_zh="") -> str:
    return ",".join([year, indicator, value, unit, status, period, vintage, source, url, publisher, publisher_zh,
                     published, quote, tol]) + "\n"


def test_broken_number_names_line_and_column():
    lines = GOOD.splitlines()
    i = next(k for k, line in enumerate(lines) if ",revenue,9589.3," in line)
    lines[i] = lines[i].replace("9589.3", "9589,3x", 1)
    msg = csv_error("\n".join(lines))
    assert f"figures.csv, line {i + 1}" in msg


def test_non_numeric_value():
    msg = csv_error(GOOD + _row(value="lots"))
    assert "column value" in msg and "'lots'" in msg and "not a number" in msg


def test_unknown_indicator_suggests():
    msg = csv_error(GOOD + _row(indicator="revenu"))
    assert "did you mean revenue" in msg


def test_wrong_unit():
    msg = csv_error(GOOD + _row(unit="万元"))
    assert "column unit" in msg and "allowed: 亿元" in msg


def test_same_figure_same_vintage_is_a_conflict():
    # the revenue of 2020 is on a line of its own; the same figure with the same vintage cannot be resolved
    msg = csv_error(GOOD + _row(year="2020", vintage="2021-10-25", value="9000"))
    assert "vintage conflict" in msg and "column vintage" in msg


def test_row_without_source_or_quote():
    assert "needs its source" in csv_error(GOOD + _row(source=""))
    assert "needs a quote" in csv_error(GOOD + _row(quote=""))
    assert "needs a quote" in csv_error(GOOD + _row(source="", url="http://x.cn/a", publisher="p", quote=""))
    assert "needs its publisher" in csv_error(GOOD + _row(source="", url="http://x.cn/a"))


def test_the_chinese_publisher_is_filled_beside_a_publisher_and_only_there():
    # the shipped record has the publisher_zh column: a URL-cited row leaving it empty would show Chinese readers
    # the English notes of that one row; a Chinese publisher on a seed-file row has nothing to name
    web = dict(source="", url="http://x.cn/a", publisher="p", published="2023-01-01")
    msg = csv_error(GOOD + _row(**web))
    assert "column publisher_zh" in msg and "Chinese publisher is empty" in msg and "drop the whole" in msg
    msg = csv_error(GOOD + _row(publisher_zh="某网站"))
    assert "column publisher_zh" in msg and "only for a row with a publisher" in msg
    with pytest.raises(CalibrationDataError) as exc:
        parse_reported(GOOD + _row(**web), "figures.csv")
    assert "中文发布者为空" in exc.value.text("zh") and "publisher_zh列" in exc.value.text("zh")
    filled = parse_reported(GOOD + _row(**web, publisher_zh="某网站"), "figures.csv")
    assert filled.publisher_zh.iloc[-1] == "某网站"


def test_a_record_without_the_chinese_publisher_column_is_read_as_written():
    # another city's pack may have no publisher_zh column: read, and the Chinese reader sees publisher as written
    from growthsim.presentation import publisher_text

    text = ("year,indicator,value,unit,status,period,vintage,source_file,url,publisher,published,quote,tolerance\n"
            "2022,revenue,10000,亿元,final,,2023,,http://x.cn/a,mirror of 国家统计局 release,2023-01-01,quote,\n")
    df = parse_reported(text, "figures.csv")
    assert list(df.publisher_zh) == [""]
    assert publisher_text(df.publisher.iloc[0], df.publisher_zh.iloc[0], "zh") == "mirror of 国家统计局 release"
    assert publisher_text(df.publisher.iloc[0], df.publisher_zh.iloc[0], "en") == "mirror of “国家统计局” release"


def test_share_out_of_range():
    assert "implausible for mfg_va_share_gdp" in csv_error(GOOD + _row(indicator="mfg_va_share_gdp", value="120",
                                                                         unit="%"))


# ---- through the command line: exit 2, nothing written, earlier results kept ----
runner = CliRunner()


def test_bad_scenario_file_writes_nothing_and_keeps_earlier_results(tmp_path):
    out = tmp_path / "out"
    ok = runner.invoke(app, ["run", "baseline", "--draws", "50", "--out", str(out), "--format", "csv"])
    assert ok.exit_code == 0, ok.output
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    bad = tmp_path / "bad.toml"
    bad.write_text(HEAD + "[levers]\nupgrade_target = 99999\n", encoding="utf-8")
    res = runner.invoke(app, ["run", str(bad), "--draws", "50", "--out", str(out), "--seed", "9", "--lang", "en"])
    assert res.exit_code == 2
    assert "out of bounds" in res.output and "bad.toml, line 5" in res.output
    # in the command's language: Chinese unless --lang en (the run's tables and workbook are Chinese too)
    zh = runner.invoke(app, ["run", str(bad), "--draws", "50", "--out", str(out), "--seed", "9"])
    assert zh.exit_code == 2 and "超出范围" in zh.output and "bad.toml，第 5 行" in zh.output
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_broken_calibration_file_through_cli(tmp_path):
    data = tmp_path / "figures.csv"
    data.write_text(GOOD + _row(value="lots"), encoding="utf-8")
    res = runner.invoke(app, ["run", "baseline", "--data", str(data), "--out", str(tmp_path / "o"), "--lang", "en"])
    assert res.exit_code == 2 and "not a number" in res.output
    assert not (tmp_path / "o").exists()


def test_missing_base_figure_through_cli(tmp_path):
    data = tmp_path / "figures.csv"
    data.write_text("\n".join(l for l in GOOD.splitlines() if ",gdp," not in l) + "\n", encoding="utf-8")
    res = runner.invoke(app, ["calibrate", "--data", str(data)])
    assert res.exit_code == 2 and "gdp" in res.output


@pytest.mark.parametrize("args, expected", [
    (["--draws", "0"], "--draws 0"),
    (["--horizon", "2050"], "--horizon 2050"),
    (["--horizon", "2020"], "after the base year"),
    (["--data-through", "1999"], "--data-through 1999"),
    (["--format", "xls"], "--format xls"),
    (["--set", "upgrade_target=-5"], "out of bounds"),
    (["--set", "upgrade_targt=5"], "did you mean upgrade_target"),
    (["--set", "nonsense"], "KEY=VALUE"),
])
def test_bad_options(tmp_path, args, expected):
    res = runner.invoke(app, ["run", "baseline", "--out", str(tmp_path / "o"), "--lang", "en"] + args)
    assert res.exit_code == 2, res.output
    assert expected in res.output
    assert not (tmp_path / "o").exists() or not any((tmp_path / "o").iterdir())


def test_missing_scenario_file(tmp_path):
    res = runner.invoke(app, ["run", str(tmp_path / "nope.toml"), "--out", str(tmp_path / "o"), "--lang", "en"])
    assert res.exit_code == 2 and "no such scenario file" in res.output


def test_scenario_year_before_the_base_is_refused(tmp_path):
    f = tmp_path / "early.toml"
    f.write_text(HEAD + "[levers]\nupgrade_target = { 2024 = 500 }\n", encoding="utf-8")
    res = runner.invoke(app, ["run", str(f), "--out", str(tmp_path / "o"), "--lang", "en"])
    # 2024 is a reported year: the projection starts after the last one (2025)
    assert res.exit_code == 2 and "outside the horizon" in res.output and "2026-2035" in res.output


def test_failed_write_leaves_no_partial_file(tmp_path, monkeypatch):
    out = tmp_path / "out"
    assert runner.invoke(app, ["run", "baseline", "--draws", "50", "--out", str(out)]).exit_code == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}

    def boom(result, lang="zh"):
        raise OSError("disk full (simulated)")

    monkeypatch.setattr("growthsim.exports.workbook_bytes", boom)
    res = runner.invoke(app, ["run", "baseline", "--draws", "80", "--seed", "3", "--out", str(out), "--lang", "en"])
    assert res.exit_code == 2 and "could not write" in res.output and "disk full" in res.output
    # Earlier files intact, byte for byte, and no temporary folder left behind.
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_uncertainty_under_levers_names_the_right_section():
    msg = scenario_error(HEAD + "[levers]\nexit_rate = 5\n")
    assert "exit_rate is an uncertainty" in msg and "[uncertainties]" in msg
