"""growthsim city new | check, bad packs, levers.toml and compare --city (对标), in both languages."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from growthsim import city_pack
from growthsim.benchmark import VIEW
from growthsim.calibration import city
from growthsim.cli import app
from growthsim.runner import RunSettings, load_calibration
from growthsim.simulation.indicators import shown_in

runner = CliRunner()


def _copy(tmp_path: Path, cid: str = "copycity") -> Path:
    """The default pack under another id and name (the same record: the same numbers for the same seed)."""
    pack = tmp_path / cid
    shutil.copytree(city.DEFAULT_ROOT, pack)
    text = (pack / "city.toml").read_text("utf-8")
    text = text.replace('id = "qingdao"', f'id = "{cid}"').replace('name_zh = "青岛市"', 'name_zh = "副本市"')
    (pack / "city.toml").write_text(text.replace('name_en = "Qingdao"', 'name_en = "Copy city"'), "utf-8")
    return pack


def _invoke(*args: str):
    return runner.invoke(app, list(args))


def _flat(text: str) -> str:
    return " ".join(text.split())


# ---------------------------------------------------------------- city new


def test_city_new_writes_a_skeleton_with_its_readme_and_never_overwrites(tmp_path):
    out = tmp_path / "xm"
    res = _invoke("city", "new", "xiamen", "--out", str(out), "--lang", "en")
    assert res.exit_code == 0, res.output
    names = sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())
    assert names == ["README.md", "city.toml", "levers.toml", "reported_figures.csv", "scenarios/baseline.toml",
                     "sources/README.md", "targets.toml"]
    assert "- `reported_figures.csv` (needed)" in (out / "README.md").read_text("utf-8")
    # city check refuses a targets.toml without a target: the README says so (it said "may be empty")
    assert "- `targets.toml` (needed, at least one target)" in (out / "README.md").read_text("utf-8")
    zh = tmp_path / "xm_zh"   # the READMEs and the files' headers in the command's language
    assert _invoke("city", "new", "xiamen", "--out", str(zh), "--lang", "zh").exit_code == 0
    readme = (zh / "README.md").read_text("utf-8")
    assert readme.startswith("# 城市数据包：xiamen") and "- `targets.toml`（必需，至少一个目标）" in readme, readme
    for name, zh_head, en_head in (("city.toml", "# 城市信息：", "# The city: "),
                                   ("targets.toml", "# 本市的规划目标", "# The city's plan targets"),
                                   ("levers.toml", "# 本市与模型参数表", "# Parameter defaults of this city"),
                                   ("scenarios/baseline.toml", "# 基准情景：", "# The baseline scenario:"),
                                   ("sources/README.md", "# sources/\n\n数据和目标", "# sources/\n\nThe archived")):
        assert (zh / name).read_text("utf-8").startswith(zh_head) and (out / name).read_text("utf-8").startswith(
            en_head), name
    # the example tables below the headers are the same in both languages
    for name, table in (("city.toml", city_pack.CITY_TOML.format(id="xiamen")),
                        ("city.toml", city_pack._commented(city_pack.CITY_SOURCES_EXAMPLE)),
                        ("targets.toml", city_pack._commented(city_pack.TARGETS_EXAMPLE)),
                        ("levers.toml", city_pack._commented(city_pack.LEVERS_EXAMPLE)),
                        ("scenarios/baseline.toml", city_pack.BASELINE_TOML)):
        assert table in (zh / name).read_text("utf-8") and table in (out / name).read_text("utf-8"), name
    assert (out / "reported_figures.csv").read_text("utf-8").startswith("year,indicator,value,unit,")
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    for lang, words in (("zh", "已存在"), ("en", "already exists")):
        res = _invoke("city", "new", "xiamen", "--out", str(out), "--lang", lang)
        assert res.exit_code == 2 and words in res.output, res.output
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before   # nothing touched
    res = _invoke("city", "new", "Xia men", "--out", str(tmp_path / "bad"), "--lang", "zh")
    assert res.exit_code == 2 and "城市编号" in res.output and not (tmp_path / "bad").exists()


def test_an_unfilled_skeleton_is_refused_naming_the_field_and_line(tmp_path):
    out = tmp_path / "xm"
    assert _invoke("city", "new", "xiamen", "--out", str(out)).exit_code == 0
    res = _invoke("city", "check", str(out), "--lang", "en")
    # city.toml's line 7 is name_zh = "" (the skeleton's header is three lines and a blank one, then [city], id)
    assert res.exit_code == 2 and "city.toml, line 7: name_zh is missing or empty" in _flat(res.output), res.output


def test_city_new_asks_for_the_chinese_publisher_and_says_it_may_be_left_out(tmp_path):
    for lang, words in (("en", "the column may be dropped, and Chinese readers then see `publisher` as written"),
                        ("zh", "可整列删去，中文读者则看到 `publisher` 原文")):
        out = tmp_path / lang
        assert _invoke("city", "new", "xiamen", "--out", str(out), "--lang", lang).exit_code == 0
        assert words in _flat((out / "README.md").read_text("utf-8"))
        assert ",publisher,publisher_zh,published," in (out / "reported_figures.csv").read_text("utf-8")
        assert '# publisher_zh = "..."' in (out / "targets.toml").read_text("utf-8")


def _without_publisher_zh(pack: Path) -> None:
    """The pack's record as another city might write it: no publisher_zh column."""
    path = pack / "reported_figures.csv"
    rows = list(csv.reader(io.StringIO(path.read_text("utf-8"))))
    cut = rows[0].index("publisher_zh")
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([r[:cut] + r[cut + 1:] for r in rows])
    path.write_text(out.getvalue(), "utf-8")


def test_a_record_without_the_chinese_publisher_passes_and_shows_the_publisher_as_written(tmp_path):
    from growthsim.calibration.record import read_reported
    from growthsim.presentation import calibration_document

    pack = _copy(tmp_path)
    _without_publisher_zh(pack)
    res = _invoke("city", "check", str(pack), "--lang", "en")
    assert res.exit_code == 0 and "170 reported figures, each cited" in _flat(res.output), res.output
    with city.using(pack):
        rec = read_reported()
    row = next(r for r in rec.itertuples() if r.publisher.startswith("mirror of"))  # English notes, Chinese names
    assert row.publisher_zh == ""
    assert calibration_document(row, "zh") == f"{row.publisher}，{row.published}"  # as written, not translated


def test_an_empty_chinese_publisher_is_named_with_file_line_and_column(tmp_path):
    pack = _copy(tmp_path)
    path = pack / "reported_figures.csv"
    rows = list(csv.reader(io.StringIO(path.read_text("utf-8"))))
    cut = rows[0].index("publisher_zh")
    line = next(i for i, r in enumerate(rows) if i and r[cut]) + 1   # the first row with a Chinese publisher
    rows[line - 1][cut] = ""
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), "utf-8")
    en, zh = _check_fails(pack, "en"), _check_fails(pack, "zh")
    assert f"line {line}, column publisher_zh" in en and "Chinese publisher is empty" in en, en
    assert f"第 {line} 行 publisher_zh列" in zh and "中文发布者为空" in zh, zh


# ---------------------------------------------------------------- city check


def test_city_check_says_figure_by_figure_what_the_calibration_uses():
    res = _invoke("city", "check", "qingdao", "--lang", "en")
    assert res.exit_code == 0, res.output
    out = _flat(res.output)
    assert "170 reported figures, each cited" in out and "scenarios (3): baseline, downside, intensified" in out
    # GDP is reported 2015-2017 and 2020-2024 in full-year rows (cities/qingdao/reported_figures.csv)
    assert "GDP (current prices) (gdp): reported for 2015–2017, 2020–2024" in out
    assert "Starting year: 2020" in out
    res = _invoke("city", "check", "qingdao", "--lang", "zh")
    assert res.exit_code == 0 and "起点年份：2020" in _flat(res.output)


def test_a_sparse_record_is_reported_figure_by_figure(tmp_path):
    pack = _copy(tmp_path)
    rows = (pack / "reported_figures.csv").read_text("utf-8").splitlines()
    kept = [rows[0]] + [r for r in rows[1:] if r.split(",")[1] == "gdp"]
    (pack / "reported_figures.csv").write_text("\n".join(kept) + "\n", "utf-8")
    res = _invoke("city", "check", str(pack), "--lang", "en")
    out = _flat(res.output)
    assert res.exit_code == 0, out   # a sparse record calibrates (the missing figures get priors)
    assert "above_scale_firms): no year reports it" in out and "gdp): reported for" in out, out
    # the prior each missing figure takes is named with its source (calibration/priors.py, the firm count from
    # revenue per firm, itself from the manufacturing VA)
    assert "above_scale_firms): no year reports it; the calibration starts from a prior: firm count = revenue / 1-6" \
        in out, out
    assert "Starting year: " in out and "the missing ones take a prior" in out, out


def test_a_figure_reported_after_the_start_year_starts_from_a_prior_and_weighs_the_later_ones():
    # Xiamen reports its high-tech share for 2025 only (cities/xiamen/reported_figures.csv), its start year is
    # 2018 (GDP and the firm count): the share starts from the national relation and the 2025 figure is weighed
    out = _flat(_invoke("city", "check", "xiamen", "--lang", "en").output)
    assert ("high_tech_share): reported for 2025, not in the start year 2018; it starts from a prior: high-tech share "
            "3-65 % (nationally 15.1 % in 2020) (source: national 2020 (NATIONAL_HIGH_TECH)") in out, out
    zh = _flat(_invoke("city", "check", "xiamen", "--lang", "zh").output)
    assert "起点年份 2018 没有；起点取先验：高技术制造业占比 3%—65%（2020年全国15.1%）（依据：全国2020年" in zh, zh
    assert "assumption" not in zh, zh   # the Chinese report carries the Chinese source


def _check_fails(pack: Path, lang: str) -> str:
    res = _invoke("city", "check", str(pack), "--lang", lang)
    assert res.exit_code == 2, res.output
    return _flat(res.output.replace(str(pack), "<PACK>"))


def test_a_figure_without_a_citation_names_pack_file_and_line(tmp_path):
    pack = _copy(tmp_path)
    lines = (pack / "reported_figures.csv").read_text("utf-8").splitlines()
    cells = lines[3].split(",")
    lines[3] = ",".join(cells[:7] + ["", ""] + cells[9:10] + cells[10:])   # no source file, no url
    (pack / "reported_figures.csv").write_text("\n".join(lines) + "\n", "utf-8")
    en, zh = _check_fails(pack, "en"), _check_fails(pack, "zh")
    assert "<PACK>" in en and "line 4" in en and "source" in en, en
    assert "<PACK>" in zh and "第 4 行" in zh and "没有来源" in zh, zh


def test_a_cited_file_missing_from_sources_is_named(tmp_path):
    pack = _copy(tmp_path)
    (pack / "sources" / "001_5e00b26a04c94cbe.txt").unlink()
    en = _check_fails(pack, "en")
    assert "reported_figures.csv, line" in en and "001_5e00b26a04c94cbe.txt is not in the pack's sources/" in en, en
    assert "不在数据包的 sources/ 中" in _check_fails(pack, "zh")


def test_a_region_unknown_to_the_monitoring_data_is_named(tmp_path):
    pack = _copy(tmp_path)
    f = pack / "monitoring" / "qingdao_2024.csv"
    lines = f.read_text("utf-8").splitlines()
    lines[1] = lines[1].replace(",qingdao,", ",atlantis,", 1)
    f.write_text("\n".join(lines) + "\n", "utf-8")
    en, zh = _check_fails(pack, "en"), _check_fails(pack, "zh")
    assert "<PACK>" in en and "qingdao_2024.csv" in en and "atlantis" in en and "line 2" in en, en
    assert "atlantis" in zh and "第 2 行" in zh and "不是已声明的区域" in zh, zh
    for lang, words in (("en", "line 2, column region: value 'atlantis' is not a declared region"),
                        ("zh", "第 2 行 region列：值 'atlantis' 不是已声明的区域")):
        out = tmp_path / f"out_{lang}"   # the command that reads the file names the pack's folder too
        res = _invoke("monitor", "--city", str(pack), "--year", "2024", "--out", str(out), "--lang", lang)
        said = _flat(res.output.replace(str(pack), "<PACK>"))
        assert res.exit_code == 2 and "<PACK>/monitoring/qingdao_2024.csv" in said and words in said, said
        assert not out.exists()   # nothing written


def test_a_lever_default_outside_the_registry_bounds_is_refused(tmp_path):
    pack = _copy(tmp_path)
    text = '# a comment\n[levers.upgrade_target]\nvalue = 5000\nsource = "假设 assumption"\n'
    (pack / "levers.toml").write_text(text, "utf-8")
    en, zh = _check_fails(pack, "en"), _check_fails(pack, "zh")
    # the registry bounds upgrade_target to 0-1200 firms a year (simulation/registry.py)
    assert "levers.toml, line 2: upgrade_target: default 5000 is outside its bounds" in en, en
    assert "a number from 0 to 1200" in en
    assert "levers.toml，第 2 行" in zh and "0 至 1200" in zh, zh
    assert en.count("<PACK>") == 1 and zh.count("<PACK>") == 1, (en, zh)   # the pack named once
    (pack / "levers.toml").write_text('[levers.upgrade_targte]\nvalue = 500\nsource = "假设 assumption"\n', "utf-8")
    assert "nearest: upgrade_target" in _check_fails(pack, "en")


BAD_LEVERS = {   # levers.toml text -> (what the English message says, what the Chinese one says); line 2 each
    '# rate where none applies\n[levers.key_firm_growth]\nrate = 0.1\nsource = "假设 assumption"\n':
        ("key_firm_growth: its `rate` cannot be used: the parameter does not scale with the city's size",
         "不随城市规模缩放"),
    '# a negative rate\n[levers.upgrade_target]\nrate = -0.1\nsource = "假设 assumption"\n':
        ("upgrade_target: its `rate` cannot be used: `rate` must be a positive number", "须为正数"),
    '# both\n[levers.upgrade_target]\nrate = 0.1\nvalue = 300\nsource = "假设 assumption"\n':
        ("give `value` or `rate`, not both", "只能给一个"),
    '# a misspelt key\n[levers.upgrade_target]\nvalu = 300\nsource = "假设 assumption"\n':
        ("upgrade_target: unknown key valu in its table", "未知的键 valu"),
    '# no source\n[levers.upgrade_target]\nvalue = 300\n': ("upgrade_target has no source", "没有注明来源"),
}


@pytest.mark.parametrize("text", list(BAD_LEVERS))
def test_a_bad_levers_toml_gives_one_message_naming_file_and_line_and_writes_nothing(tmp_path, text):
    pack = _copy(tmp_path)
    (pack / "levers.toml").write_text(text, "utf-8")
    en, zh = _check_fails(pack, "en"), _check_fails(pack, "zh")
    says_en, says_zh = BAD_LEVERS[text]
    assert "levers.toml, line 2" in en and says_en in en, en
    assert "levers.toml，第 2 行" in zh and says_zh in zh, zh
    assert en.count("levers.toml, line") == 1   # one message
    out = tmp_path / "out"
    res = _invoke("run", "baseline", "--city", str(pack), "--draws", "10", "--out", str(out), "--lang", "en")
    assert res.exit_code == 2 and "levers.toml, line 2" in _flat(res.output), res.output
    assert not out.exists()   # nothing written


def test_a_pack_lever_default_starts_every_scenario_from_the_citys_value(tmp_path):
    pack = _copy(tmp_path)
    (pack / "levers.toml").write_text('[levers.upgrade_target]\nvalue = 500\nsource = "假设 assumption"\n', "utf-8")
    settings = RunSettings(draws=10)
    with city.using(pack):
        assert load_calibration(settings).posterior.default("upgrade_target") == 500.0
    # the default pack keeps its own 405 (the 2021 count, cities/qingdao/levers.toml)
    assert load_calibration(settings).posterior.default("upgrade_target") == 405.0


# ---------------------------------------------------------------- compare --city (对标)


@pytest.fixture(scope="module")
def bench(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("bench")
    pack, out = _copy(tmp), tmp / "out"
    res = _invoke("compare", "--city", "qingdao", "--city", str(pack), "--draws", "200", "--lang", "zh",
                  "--out", str(out))
    return res, out


def test_compare_two_cities_puts_them_side_by_side(bench):
    res, out = bench
    assert res.exit_code == 0, res.output
    assert "对标：青岛市、副本市" in res.output and "达成概率" in res.output
    table = pd.read_csv(out / "benchmark.csv", encoding="utf-8-sig")
    assert list(table.columns[:4]) == ["指标", "单位", "城市", "基年"]
    assert "规模以上工业企业数" in set(table["指标"]) or any("规模以上" in x for x in table["指标"])
    # the copy has Qingdao's record: same calibration and seed, so every number is the same
    q = table[table["城市"] == "青岛市"].reset_index(drop=True)
    c = table[table["城市"] == "副本市"].reset_index(drop=True)
    shown = len(shown_in(VIEW))  # one row per indicator the benchmark view declares (7 today), per city
    assert len(q) == len(c) == shown and q.drop(columns="城市").equals(c.drop(columns="城市"))
    targets = pd.read_csv(out / "benchmark_targets.csv", encoding="utf-8-sig")
    assert set(targets["城市"]) == {"青岛市", "副本市"} and targets["达成概率(%)"].between(0, 100).all()
    assert {"benchmark.xlsx", "benchmark.json"} <= {p.name for p in out.iterdir()}


def test_compare_cities_refuses_a_city_twice_and_options_of_one_city(tmp_path):
    res = _invoke("compare", "--city", "qingdao", "--city", "qingdao", "--lang", "en")
    assert res.exit_code == 2 and "the same city given twice" in _flat(res.output), res.output
    res = _invoke("compare", "--city", "qingdao", "--city", "qingdo", "--lang", "zh")
    assert res.exit_code == 2 and "qingdao" in res.output and "不是已安装的城市" in _flat(res.output)
    res = _invoke("compare", "--city", "qingdao", "--city", str(_copy(tmp_path)), "--set", "upgrade_target=500",
                  "--lang", "en")
    assert res.exit_code == 2 and "--set cannot be used with several --city" in _flat(res.output), res.output
