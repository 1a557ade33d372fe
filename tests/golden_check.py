"""Comparing a table with its golden file: one check for every golden test.

A change fails by printing the golden and the new rows (up to 20). ``GROWTHSIM_UPDATE_GOLDEN=1`` writes the
new table first, after an intended change; review the diff before committing it.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest


def golden_text(frame: pd.DataFrame) -> str:
    """The table as its golden file holds it (CSV, 10 significant digits)."""
    return frame.to_csv(index=False, float_format="%.10g")


def compare_golden(path: Path, new_frame: pd.DataFrame) -> None:
    """Fail, printing the rows that differ, unless ``new_frame`` matches the golden file at ``path``.

    Text columns must be equal; numbers within 1e-9 (relative and absolute): the same computation with
    the same seed, so only float noise may differ.
    """
    if os.environ.get("GROWTHSIM_UPDATE_GOLDEN") == "1":
        path.write_text(golden_text(new_frame), encoding="utf-8")
    assert path.exists(), f"{path.name} missing: generate it with GROWTHSIM_UPDATE_GOLDEN=1"
    old = pd.read_csv(path, encoding="utf-8", keep_default_na=False, na_values=[""])
    new = pd.read_csv(io.StringIO(golden_text(new_frame)), keep_default_na=False, na_values=[""])
    assert list(old.columns) == list(new.columns), f"{path.name}: columns changed"
    assert len(old) == len(new), f"{path.name}: row count changed: golden {len(old)}, now {len(new)}"
    numeric = [c for c in old.columns if pd.api.types.is_numeric_dtype(old[c])
               and pd.api.types.is_numeric_dtype(new[c])]
    keys = [c for c in old.columns if c not in numeric]
    keys_equal = (old[keys].astype(str) == new[keys].astype(str)).all(axis=1).to_numpy()
    same = np.isclose(old[numeric].to_numpy(float), new[numeric].to_numpy(float), rtol=1e-9, atol=1e-9,
                      equal_nan=True).all(axis=1)
    bad = ~(keys_equal & same)
    if bad.any():
        lines = []
        for i in np.flatnonzero(bad)[:20]:
            lines.append("golden: " + ",".join(map(str, old.iloc[i].tolist())))
            lines.append("now:    " + ",".join(map(str, new.iloc[i].tolist())))
        pytest.fail(f"{bad.sum()} rows differ from {path.name}:\n" + "\n".join(lines))
