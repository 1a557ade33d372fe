"""City packs: Qingdao's is the default, --city NAME|PATH selects another, and every reader follows it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from growthsim.calibration import city
from growthsim.calibration.fit import read_reported
from growthsim.calibration.monitoring_data import read_regions
from growthsim.calibration.targets import targets
from growthsim.cli import app
from growthsim.presentation import document_name
from growthsim.scenario_files import shipped_scenarios

ROOT = Path(__file__).resolve().parent.parent
runner = CliRunner()

EXTRA_TARGET = '''
[[target]]
id = "firms_2030_copy"
indicator = "above_scale_firms"
year = 2030
comparator = "at_least"
value = 7777
tolerance = 0.0
label_zh = "2030年规上工业企业7777家（测试）"
label_en = "7777 above-scale firms by 2030 (test)"
url = "https://example.org/plan"
publisher = "test publisher"
published = "2026-01-01"
quote = "7777家"
'''


@pytest.fixture()
def copy_pack(tmp_path) -> Path:
    """A copy of the default pack under another id, with one more target and one scenario fewer."""
    pack = tmp_path / "testcity"
    shutil.copytree(city.DEFAULT_ROOT, pack)
    toml = (pack / "city.toml").read_text("utf-8").replace('id = "qingdao"', 'id = "testcity"')
    (pack / "city.toml").write_text(toml.replace('title_en = "Qingdao', 'title_en = "Test city'), "utf-8")
    with (pack / "targets.toml").open("a", encoding="utf-8") as fh:
        fh.write(EXTRA_TARGET)
    (pack / "scenarios" / "downside.toml").unlink()
    return pack


def test_the_default_pack_is_qingdao_and_holds_the_shipped_files():
    pack = city.active()
    assert pack.id == city.DEFAULT_CITY == "qingdao" and pack.root == ROOT / "cities" / "qingdao"
    assert city.resolve_city("qingdao") == city.resolve_city(str(pack.root)) == city.resolve_city(None) == pack
    assert sorted(shipped_scenarios()) == ["baseline", "downside", "intensified"]
    assert pack.projects_file.name == "illustrative_projects_示例项目清单.csv"
    # the document titles come from city.toml's [sources]
    assert document_name("003_98086a54bbfbe68d.txt", "zh") == "《青岛市“十四五”制造业高质量发展规划》，2021-10-25"
    assert "qingdao" in city.shipped_ids()


def test_every_reader_follows_the_active_pack(copy_pack):
    shipped = targets()
    with city.using(copy_pack) as pack:
        assert pack.id == "testcity" and city.active() is pack
        assert set(targets()) == set(shipped) | {"firms_2030_copy"}
        assert sorted(shipped_scenarios()) == ["baseline", "intensified"]
        assert len(read_reported()) == len(read_reported(city.DEFAULT_ROOT / "reported_figures.csv"))
        assert "qingdao" in read_regions()   # the copy's monitoring/regions.toml
    # outside the block the default is back
    assert city.active().id == "qingdao" and "firms_2030_copy" not in targets()


def test_an_unknown_city_names_the_nearest_in_both_languages():
    with pytest.raises(city.CityPackError) as err:
        city.resolve_city("qingdo")
    assert "qingdao" in err.value.text("zh") and "不是已安装的城市" in err.value.text("zh")
    assert "nearest: qingdao" in err.value.text("en")
    for lang, words in (("zh", "不是已安装的城市"), ("en", "not an installed city")):
        res = runner.invoke(app, ["targets", "--city", "qingdo", "--lang", lang])
        assert res.exit_code == 2 and words in res.output and "qingdao" in res.output, res.output


def test_a_pack_without_its_record_is_refused_naming_pack_and_file(copy_pack):
    (copy_pack / "reported_figures.csv").unlink()
    res = runner.invoke(app, ["targets", "--city", str(copy_pack), "--lang", "en"])
    assert res.exit_code == 2, res.output
    assert str(copy_pack) in res.output.replace("\n", "") and "reported_figures.csv is missing" in res.output


def test_the_command_line_reads_the_chosen_pack(copy_pack):
    res = runner.invoke(app, ["targets", "--city", str(copy_pack), "--lang", "en"])
    assert res.exit_code == 0, res.output
    assert "7777 above-scale firms by 2030 (test)" in res.output
    res = runner.invoke(app, ["targets", "--lang", "en"])   # no --city: Qingdao's targets, as before
    assert res.exit_code == 0 and "7777" not in res.output
    res = runner.invoke(app, ["run", "downside", "--city", str(copy_pack), "--draws", "20", "--lang", "en"])
    # the copy has no downside scenario: the message lists the pack's own scenarios
    assert res.exit_code == 2 and "baseline" in res.output and "intensified" in res.output, res.output
