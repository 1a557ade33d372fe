"""A city's districts and industries are named by its pack (illustrative.toml and monitoring/regions.toml),
in both languages; the code names none of them."""

from __future__ import annotations

import shutil
import tomllib

import pytest

from growthsim.calibration import city
from growthsim.calibration.place_names import names_by_kind, read_illustrative
from growthsim.illustrative import pack_names
from growthsim.wording import district, industry, project_name


def _pack_toml(*parts: str) -> dict:
    return tomllib.loads(city.DEFAULT_ROOT.joinpath(*parts).read_text("utf-8"))


def test_the_default_packs_names_come_from_its_files():
    listed = _pack_toml("illustrative.toml")
    regions = {r["id"]: r for r in _pack_toml("monitoring", "regions.toml")["region"]}
    first_industry, first_district = listed["industry"][0], listed["district"][0]
    # known answers: what the pack's files say, in English; Chinese as written
    assert industry(first_industry["zh"], "en") == first_industry["en"]
    assert district(first_district["zh"], "en") == first_district["en"]
    assert industry(first_industry["zh"], "zh") == first_industry["zh"]
    # a region no illustrative entry names: its regions.toml name (市南区 is a region, not drawn by the list)
    shinan = regions["shinan"]
    assert shinan["name_zh"] not in {d["zh"] for d in listed["district"]}
    assert district(shinan["name_zh"], "en") == shinan["name_en"]
    # a region named with an aside in brackets is found by the aside alone too (the new area's district)
    xihaian = regions["xihaian"]
    aside = xihaian["name_zh"].split("（")[1].rstrip("）")
    assert district(aside, "en") == xihaian["name_en"]
    # a name neither file gives (a real list's own) stays as written
    assert district("某某区", "en") == "某某区" and industry("某某产业", "en") == "某某产业"


def test_the_illustrative_names_follow_the_catalogue():
    # the generator writes the catalogue's Chinese name; the English is the same code's English
    assert project_name("示例增量项目007（虚构）", "en") == "Illustrative incremental project 007 (made up)"
    assert project_name("示例技改项目120（虚构）", "en") == "Illustrative renovation project 120 (made up)"
    assert project_name("示例技改项目120（虚构）", "zh") == "示例技改项目120（虚构）"
    assert project_name("某公司扩产项目", "en") == "某公司扩产项目"  # a real name is its own


def test_a_pack_without_the_file_shows_names_as_written(tmp_path):
    pack = tmp_path / "plain"
    shutil.copytree(city.DEFAULT_ROOT, pack)
    (pack / "illustrative.toml").unlink()
    shutil.rmtree(pack / "monitoring")
    loaded = city.load_pack(pack)
    assert read_illustrative(loaded) is None and names_by_kind("district", loaded) == {}
    with city.using(loaded):
        assert district(_pack_toml("illustrative.toml")["district"][0]["zh"], "en") == \
            _pack_toml("illustrative.toml")["district"][0]["zh"]
    with pytest.raises(city.CityPackError) as err:
        pack_names(loaded)
    assert "illustrative.toml" in err.value.text("zh") and "illustrative.toml" in err.value.text("en")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_name_without_its_english_is_refused_naming_the_file(tmp_path, lang):
    pack = tmp_path / "broken"
    shutil.copytree(city.DEFAULT_ROOT, pack)
    path = pack / "illustrative.toml"
    path.write_text(path.read_text("utf-8").replace('en = "Modern marine"', 'en = ""'), encoding="utf-8")
    with pytest.raises(city.CityPackError) as err:
        read_illustrative(city.load_pack(pack))
    shown = err.value.text(lang)
    assert "illustrative.toml" in shown and "[[industry]]" in shown and "1" in shown
