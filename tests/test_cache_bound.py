"""The calibration cache is bounded: the least recently used entries go first, and nothing else is touched.

Unbounded, the folder grew to 51 GB (1,849 calibrations of about 40 MB each) and filled the disk.
"""

from __future__ import annotations

import errno
import os
import pickle

import pytest

from growthsim.calibration import cache

MB = 2**20


def _entry(folder, name, size_mb, mtime):
    path = folder / name
    path.write_bytes(b"x" * int(size_mb * MB))
    os.utime(path, (mtime, mtime))
    return path


def test_the_least_recently_used_entries_go_until_the_rest_fit(tmp_path):
    old = _entry(tmp_path, "calibration-a.pkl", 3, 1_000)
    mid = _entry(tmp_path, "sensitivity-b.pkl", 3, 2_000)
    new = _entry(tmp_path, "calibration-c.pkl", 3, 3_000)
    removed = cache.prune(tmp_path, 7 * MB)  # 9 MB held, 7 allowed: the oldest alone brings it to 6
    assert removed == [old]
    assert mid.exists() and new.exists()


def test_files_the_project_did_not_write_are_neither_removed_nor_counted(tmp_path):
    mine = _entry(tmp_path, "calibration-a.pkl", 2, 1_000)
    notes = _entry(tmp_path, "notes.pkl", 50, 500)  # older and larger than the limit, but not ours
    other = _entry(tmp_path, "calibration-a.pkl.bak", 50, 500)
    assert cache.prune(tmp_path, 3 * MB) == []  # our 2 MB fit within 3
    assert mine.exists() and notes.exists() and other.exists()


def test_the_entry_just_written_is_spared_even_over_the_limit(tmp_path):
    old = _entry(tmp_path, "calibration-a.pkl", 1, 1_000)
    big = _entry(tmp_path, "calibration-b.pkl", 5, 2_000)
    removed = cache.prune(tmp_path, 2 * MB, spare=big)
    assert removed == [old] and big.exists()


def test_a_partial_write_is_removed_only_once_it_is_stale(tmp_path):
    now = __import__("time").time()
    stale = _entry(tmp_path, ".calibration-k3j2", 1, now - 2 * cache.PARTIAL_AGE_S)
    live = _entry(tmp_path, ".sensitivity-q9x1", 1, now)  # another process may be writing it
    assert cache.prune(tmp_path, 100 * MB) == [stale]
    assert live.exists()


def test_an_entry_read_is_removed_last(tmp_path, monkeypatch):
    monkeypatch.setenv("GROWTHSIM_CACHE_DIR", str(tmp_path))
    first = tmp_path / "sensitivity-first.pkl"
    first.write_bytes(pickle.dumps([1, 2, 3]))
    os.utime(first, (1_000, 1_000))
    second = _entry(tmp_path, "sensitivity-second.pkl", 1, 2_000)
    assert cache.kept("sensitivity-first.pkl", list) == [1, 2, 3]  # the read marks it used now
    assert cache.prune(tmp_path, first.stat().st_size + 1) == [second]


def test_keep_bounds_the_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("GROWTHSIM_CACHE_DIR", str(tmp_path))
    monkeypatch.setenv("GROWTHSIM_CACHE_MAX_MB", "2")
    old = _entry(tmp_path, "calibration-old.pkl", 1.5, 1_000)
    cache.keep("sensitivity-new.pkl", b"y" * MB)  # 1.5 + 1 MB > 2 MB: the old entry goes
    assert not old.exists()
    assert cache.kept("sensitivity-new.pkl", bytes) == b"y" * MB


def test_a_limit_of_zero_keeps_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("GROWTHSIM_CACHE_DIR", str(tmp_path))
    monkeypatch.setenv("GROWTHSIM_CACHE_MAX_MB", "0")
    cache.keep("sensitivity-x.pkl", [1])
    assert list(tmp_path.iterdir()) == []


def test_a_full_disk_leaves_no_partial_file(tmp_path, monkeypatch):
    monkeypatch.setenv("GROWTHSIM_CACHE_DIR", str(tmp_path))

    def full(*_a, **_k):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(cache.pickle, "dump", full)
    cache.keep("sensitivity-x.pkl", [1])  # a cache only saves time: no error, and no half-written file
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("raw", ["-1", "2GB", "1.5", "many"])
def test_a_bad_limit_is_said_in_both_languages_before_the_filter_runs(tmp_path, monkeypatch, raw):
    monkeypatch.setenv("GROWTHSIM_CACHE_DIR", str(tmp_path))
    monkeypatch.setenv("GROWTHSIM_CACHE_MAX_MB", raw)

    def never(*_a, **_k):
        raise AssertionError("the filter ran before the bad setting was said")

    monkeypatch.setattr(cache, "calibrate", never)
    with pytest.raises(cache.CacheSettingError) as err:
        cache.calibrate_cached(cache.pd.DataFrame({"year": [2020]}), seed=1)
    assert "GROWTHSIM_CACHE_MAX_MB" in err.value.text("en") and repr(raw) in err.value.text("en")
    assert "不小于 0 的整数" in err.value.text("zh") and str(cache.LIMIT_MB) in err.value.text("zh")
    assert list(tmp_path.iterdir()) == []


def test_unset_or_blank_is_the_default_limit(monkeypatch):
    monkeypatch.delenv("GROWTHSIM_CACHE_MAX_MB", raising=False)
    assert cache.cache_limit() == cache.LIMIT_MB * MB
    monkeypatch.setenv("GROWTHSIM_CACHE_MAX_MB", " ")
    assert cache.cache_limit() == cache.LIMIT_MB * MB


def test_a_command_says_a_bad_limit_and_exits_2(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from growthsim.cli import app

    monkeypatch.setenv("GROWTHSIM_CACHE_DIR", str(tmp_path))
    monkeypatch.setenv("GROWTHSIM_CACHE_MAX_MB", "lots")
    res = CliRunner().invoke(app, ["run", "baseline", "--draws", "100", "--lang", "zh"], env={"COLUMNS": "200"})
    assert res.exit_code == 2, res.output
    assert "GROWTHSIM_CACHE_MAX_MB" in res.output and "不小于 0 的整数" in res.output
    assert list(tmp_path.iterdir()) == []
