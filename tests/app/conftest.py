"""Fixtures for the app's tests: an isolated saved-scenario folder and captured downloads."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.runtime.media_file_manager import MediaFileManager


@pytest.fixture(autouse=True)
def saved_dir(tmp_path, monkeypatch) -> Path:
    """Every test saves into its own folder, never into the repository."""
    folder = tmp_path / "saved"
    monkeypatch.setenv("GROWTHSIM_SAVED_DIR", str(folder))
    return folder


@pytest.fixture
def downloads(monkeypatch) -> dict:
    """Captures what every download button would serve: file name -> callable returning the bytes.

    Names are ordered by the run that last offered them, so ``[...][-1]`` is the latest.
    """
    captured: dict[str, object] = {}
    real_add, real_deferred = MediaFileManager.add, MediaFileManager.add_deferred

    def add(self, path_or_data, mimetype, coordinates, file_name=None, is_for_static_download=False):
        if file_name:
            captured.pop(file_name, None)  # keep the latest run's files last
            captured[file_name] = lambda data=path_or_data: data
        return real_add(self, path_or_data, mimetype, coordinates, file_name, is_for_static_download)

    def add_deferred(self, data_callable, mimetype, coordinates, file_name=None, **kw):
        if file_name:
            captured.pop(file_name, None)
            captured[file_name] = data_callable
        return real_deferred(self, data_callable, mimetype, coordinates, file_name, **kw)

    monkeypatch.setattr(MediaFileManager, "add", add)
    monkeypatch.setattr(MediaFileManager, "add_deferred", add_deferred)
    return captured
