"""Saved scenarios: names cannot leave their folder; files round-trip; bad files are reported."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from growthsim.app.store import (
    ID_PATTERN,
    download_name,
    list_saved,
    path_in,
    safe_stem,
    save,
    saved_dir,
    scenario_id_for,
)
from growthsim.simulation.scenario import Scenario

HOSTILE = ["../../etc/passwd", "..\\..\\windows\\system32", "/abs/path", "a/b/c", "....", ".hidden", "-rf",
           "con", "NUL", "name\x00with-nul", "名字/../x", " ", "", "a" * 500, "~/.ssh/id_rsa", "%2e%2e%2f", "\n\r\t"]


@pytest.mark.parametrize("name", HOSTILE)
def test_safe_stem_stays_a_plain_name(name):
    stem = safe_stem(name)
    assert stem and "/" not in stem and "\\" not in stem and "\x00" not in stem
    assert not stem.startswith(".") and not stem.startswith("-")
    assert len(stem) <= 64
    assert stem.lower() not in {"con", "nul", "prn", "aux"}


@given(st.text(max_size=200))
@settings(max_examples=300, deadline=None)
def test_any_name_resolves_inside_the_folder(tmp_path_factory, name):
    folder = tmp_path_factory.mktemp("saved")
    target = path_in(folder, name)
    assert target.parent == folder.resolve()
    assert target.suffix == ".toml"


def test_chinese_names_are_kept_for_downloads():
    assert download_name("我的情景", "toml") == "我的情景.toml"
    assert download_name("../强化 政策", "xlsx") == "强化_政策.xlsx"


@pytest.mark.parametrize("title", ["My plan", "我的情景", "../../x", "强化政策 v2", "", "a" * 200])
def test_scenario_ids_are_valid_ids(title):
    assert ID_PATTERN.fullmatch(scenario_id_for(title))


def test_save_and_list_round_trip(saved_dir):
    s = Scenario("my-plan", "我的方案", "My plan", "描述", "description",
                 {"upgrade_target": 500.0, "incremental_projects": {2024: 60.0}})
    path = save(s)
    assert path.parent == saved_dir.resolve()
    assert (saved_dir / ".gitignore").read_text().strip().endswith("*")  # planners' files stay out of git
    found = list_saved(2021)
    assert found.problems == ()
    assert found.scenarios["my-plan"] == s


def test_save_with_hostile_id_stays_inside(saved_dir):
    s = Scenario("../../escape", "x", "x")
    path = save(s)
    assert path.parent == saved_dir.resolve()
    assert not (saved_dir.parent.parent / "escape.toml").exists()


def test_saving_never_replaces_another_scenario_it_keeps_a_version_with_the_time(saved_dir):
    import datetime as dt

    save(Scenario("plan", "一", "one", values={"upgrade_target": 400.0}))
    again = save(Scenario("plan", "一", "one", values={"upgrade_target": 400.0}))
    assert again.name == "plan.toml"  # the same scenario saved twice: one file
    other = save(Scenario("plan", "二", "two", values={"upgrade_target": 600.0}), now=dt.datetime(2025, 1, 2, 15, 30))
    assert other.name == "plan-20250102-153000.toml"  # another planner's scenario with the same id: kept beside it
    assert sorted(p.name for p in saved_dir.iterdir()) == [".gitignore", "plan-20250102-153000.toml", "plan.toml"]
    found = list_saved(2021)
    assert found.problems == ()
    assert found.scenarios["plan"].values == {"upgrade_target": 400.0}  # the first is unchanged
    assert found.scenarios["plan-20250102-153000"].values == {"upgrade_target": 600.0}


def test_unreadable_files_are_reported_not_fatal(saved_dir):
    saved_dir.mkdir(parents=True)
    (saved_dir / "good.toml").write_text('[scenario]\ntitle_zh = "好"\ntitle_en = "Good"\n', encoding="utf-8")
    (saved_dir / "broken.toml").write_text("[scenario\n", encoding="utf-8")
    (saved_dir
     / "bounds.toml").write_text('[scenario]\ntitle_zh = "a"\ntitle_en = "a"\n[levers]\nupgrade_target = -5\n',
                                           encoding="utf-8")
    (saved_dir / "latin1.toml").write_bytes("[scenario]\ntitle_zh = \"\xe9\"".encode("latin-1"))
    found = list_saved(2021)
    assert list(found.scenarios) == ["good"]
    text = "\n".join(str(p) for p in found.problems)  # each an English message
    assert "broken.toml: not valid TOML" in text
    assert "upgrade_target = -5" in text and "out of bounds" in text
    assert "latin1.toml, line 2: not UTF-8 text" in text and "另存为 UTF-8" in text  # the line, and the fix


def test_saved_dir_from_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("GROWTHSIM_SAVED_DIR", str(tmp_path / "x"))
    assert saved_dir() == tmp_path / "x"
    monkeypatch.delenv("GROWTHSIM_SAVED_DIR")
    assert saved_dir() == Path(os.getcwd()) / "saved_scenarios"
