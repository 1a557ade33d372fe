"""The app's city choice (城市): the sidebar's packs, the share link's city=, titles from city.toml, 对标."""

from __future__ import annotations

import shutil

import pytest
from app_testkit import keyed, new_app, run

from growthsim.benchmark import VIEW
from growthsim.calibration import city
from growthsim.simulation.indicators import shown_in


@pytest.fixture()
def extra_city(tmp_path, monkeypatch):
    """A second installed pack (the default's record under another name) through $GROWTHSIM_CITY_PATH."""
    pack = tmp_path / "packs" / "copycity"
    shutil.copytree(city.DEFAULT_ROOT, pack)
    text = (pack / "city.toml").read_text("utf-8").replace('id = "qingdao"', 'id = "copycity"')
    text = text.replace('name_zh = "青岛市"', 'name_zh = "副本市"')
    text = text.replace('name_en = "Qingdao"', 'name_en = "Copy city"')
    text = text.replace('title_zh = "青岛工业增长目标情景模拟"', 'title_zh = "副本市工业增长目标情景模拟"')
    (pack / "city.toml").write_text(text, "utf-8")
    monkeypatch.setenv(city.CITY_PATH_ENV, str(tmp_path / "packs"))
    return pack


def test_the_sidebar_chooses_the_city_and_the_link_keeps_it(extra_city):
    at = run(new_app())
    assert at.title[0].value == "青岛工业增长目标情景模拟" and "city" not in at.query_params
    # the widget's key carries its labels' digest (app/controls.py::labelled_choice): found by its label
    choice = next(w for w in at.sidebar.selectbox if w.label == "城市")
    assert choice.options[:2] == ["青岛市", "副本市"]   # the default first, then by id (copycity before xiamen)
    choice.set_value("copycity")
    run(at)
    assert at.title[0].value == "副本市工业增长目标情景模拟"
    assert at.query_params["city"] == ["copycity"] or at.query_params["city"] == "copycity"
    # the link opens the same city
    again = run(new_app({"city": "copycity"}))
    assert again.title[0].value == "副本市工业增长目标情景模拟"


def test_the_city_choice_survives_the_language_switch(extra_city):
    # Streamlit keeps a selectbox's value in the browser as its label; the city's label changes with the
    # language, and a later click once sent "副本市" back as the city (a crash). One widget per set of labels.
    at = run(new_app({"city": "copycity"}))
    at.sidebar.toggle(key="lang_en").set_value(True)
    run(at)
    choice = next(w for w in at.sidebar.selectbox if w.label == "City")
    assert choice.value == "copycity" and choice.format_func(choice.value) == "Copy city"
    assert not at.exception and at.query_params["city"] in ("copycity", ["copycity"])


def test_an_unknown_city_in_the_link_is_reported_and_the_default_shown(extra_city):
    at = run(new_app({"city": "atlantis", "lang": "en"}))
    assert at.title[0].value == "Qingdao industrial growth targets: scenario simulator"
    assert any("atlantis" in e.value and "qingdao, copycity" in e.value for e in at.error), [e.value for e in at.error]


def test_the_benchmark_page_sets_the_cities_side_by_side(extra_city):
    at = run(new_app({"page": "benchmark"}))
    frames = [d.value for d in at.table]  # tables that wrap their text (a grid cut the second city's column)
    wide, targets = frames[0], frames[1]
    assert list(wide.columns) == ["指标", "单位", "青岛市", "副本市"]
    # the targets as every other page writes them: thousands separated, probability in per cent
    assert list(targets.columns) == ["城市", "目标", "年份", "单位", "目标值", "预测中位数", "达成概率"]
    assert all(str(p).endswith("%") or p == "—" for p in targets["达成概率"])
    gdp = targets[targets["目标"].str.contains("2万亿")]
    assert len(gdp) and all(v == "20,000.0" for v in gdp["目标值"]), gdp  # 亿元 at one decimal (unit table)
    # the copy has the default's record: the same calibration and seed, the same cells
    assert (wide["青岛市"] == wide["副本市"]).all() and len(wide) == len(shown_in(VIEW))  # each declared indicator
    assert set(targets["城市"]) == {"青岛市", "副本市"}
    keyed(at.multiselect, "bench_cities").set_value(["qingdao"])
    run(at)
    assert any("至少选择两个城市" in i.value for i in at.info)
