"""Every reader bounded, every value checked before arithmetic (issue 22, defects 6, 7, 8, 10 and 15).

Every file a command or the app reads goes through ``calibration.textfile`` (a regular file of a stated
size, UTF-8, brackets nested at most 32 deep) before a parser sees it; values are checked for
plausibility before any arithmetic; a column given twice is refused; a message names the file as the user
gave it, in the user's language, with the encoding's fix.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from growthsim.calibration.fit import DATA_FILE
from growthsim.cli import app

ROOT = Path(__file__).resolve().parent.parent
runner = CliRunner()


COMMANDS_WITH_LANG = ("run", "compare", "calibrate", "backtest", "params", "targets", "seek", "sensitivity", "sweep",
                      "discover", "monitor")


def cli(*args) -> tuple[int, str]:
    """Run a command; a command prints in its language (Chinese unless --lang en): these checks read English."""
    args = [str(a) for a in args]
    if args and args[0] in COMMANDS_WITH_LANG and "--lang" not in args and "--help" not in args:
        args += ["--lang", "en"]
    res = runner.invoke(app, args)
    assert res.exception is None or isinstance(res.exception, SystemExit), repr(res.exception)  # never a traceback
    return res.exit_code, res.output


# ---------------------------------------------------------------- defect 6: monitor --data


def sparse_terabyte(path: Path) -> Path:
    with open(path, "wb") as fh:
        fh.truncate(10**12)  # 1 TB that takes no disk: a reader without a size check reads zeros for hours
    return path


@pytest.mark.timeout(60)
@pytest.mark.parametrize("kind, fragment", [("device", "not a regular file"), ("fifo", "not a regular file"),
                                            ("sparse", "file too large"), ("folder", "is a folder")])
def test_monitor_data_is_checked_before_it_is_read(kind, fragment, tmp_path):
    path = {"device": lambda: Path("/dev/zero"), "fifo": lambda: (os.mkfifo(tmp_path / "f.csv"), tmp_path / "f.csv")[1],
            "sparse": lambda: sparse_terabyte(tmp_path / "big.csv"), "folder": lambda: tmp_path}[kind]()
    code, text = cli("monitor", "--data", path, "--out", tmp_path / "o", "--lang", "en")
    assert code == 2 and fragment in text, text
    assert not (tmp_path / "o").exists()


def test_a_gbk_monitoring_file_is_named_with_its_line_and_encoding(tmp_path):
    src = ROOT / "cities" / "qingdao" / "monitoring" / "qingdao_2024.csv"
    gbk = tmp_path / "qingdao_2024.csv"
    gbk.write_bytes(src.read_text(encoding="utf-8").encode("gb18030"))
    code, text = cli("monitor", "--data", gbk, "--out", tmp_path / "o", "--lang", "en")
    first_cjk = next(i for i, line in enumerate(src.read_text(encoding="utf-8").splitlines(), 1)
                     if any("\u4e00" <= c <= "\u9fff" for c in line))
    assert code == 2 and "GBK" in text and f"line {first_cjk}" in text and "save it as UTF-8" in text, text


# ---------------------------------------------------------------- defect 7: targets files


TARGET = '''[[target]]
id = "share_2030"
indicator = "mfg_va_share_gdp"
year = 2030
comparator = "at_least"
value = 30
label_zh = "2030年制造业增加值占比不低于30%"
label_en = "Manufacturing share at least 30% in 2030"
source = "illustrative"
quote = "示例"
'''


@pytest.mark.parametrize("text, fragment", [
    ("target = " + "[" * 5000 + "]" * 5000 + "\n", "nested deeper than 32"),
    ("target = 5\n", "[[target]]"),
    ("target = [1, 2]\n", "[[target]]"),
    ('[target]\nid = "a"\n', "[[target]]"),
    ("[[target]]\nid = 5\n" + TARGET.split("\n", 2)[2], "id"),
])
def test_a_broken_targets_file_is_told_not_a_traceback(text, fragment, tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text(text, encoding="utf-8")
    code, out = cli("targets", "--file", path, "--lang", "en")
    assert code == 2 and fragment in out and "mine.toml" in out, out


def test_a_targets_file_whose_only_target_is_in_2030_is_listed(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text(TARGET, encoding="utf-8")
    code, out = cli("targets", "--file", path, "--lang", "en")
    assert code == 0 and "Manufacturing share at least 30% in 2030" in out and "projected" in out, out


# ---------------------------------------------------------------- defect 8: calibration files


def edited(tmp_path: Path, change, name: str = "mine.csv") -> Path:
    lines = DATA_FILE.read_text(encoding="utf-8").splitlines(keepends=True)
    path = tmp_path / name
    path.write_text("".join(change(lines)), encoding="utf-8")
    return path


def replace_value(year: int, indicator: str, value: str, status: str | None = None):
    def change(lines):
        for i, line in enumerate(lines):
            parts = line.split(",")
            if parts[0] == str(year) and parts[1] == indicator and parts[4] in ("final", "lower_bound"):
                parts[2] = value
                if status:
                    parts[4] = status
                lines[i] = ",".join(parts)
                return lines
        raise AssertionError(f"no row {year} {indicator}")
    return change


def set_tolerance(year: int, indicator: str, tolerance: str):
    def change(lines):
        for i, line in enumerate(lines):
            if line.startswith(f"{year},{indicator},") and ",final," in line:
                lines[i] = line.rstrip("\n").rsplit(",", 1)[0] + f",{tolerance}\n"
                return lines
        raise AssertionError(f"no row {year} {indicator}")
    return change


@pytest.mark.parametrize("change, fragment", [
    (replace_value(2020, "gdp", "0"), "implausible for gdp"),                          # was a ZeroDivisionError
    (replace_value(2025, "gdp", "1e-300", "final"), "implausible for gdp"),            # was accepted
    (replace_value(2025, "gdp", "0", "final"), "implausible for gdp"),                 # was accepted
    (set_tolerance(2022, "above_scale_va_growth", "1e300"), "tolerance"),                    # was a ValueError
    (set_tolerance(2022, "above_scale_va_growth", "1e-300"), "tolerance"),
    (lambda lines: lines + ["2035,gdp_real_growth,5,%,final,,2036,x.txt,,,,,q,\n"], "2015-2034"),  # was accepted
    (lambda lines: [lines[0].rstrip("\n") + ",value\n"] + [ln.rstrip("\n") + ",99\n" for ln in lines[1:]],
     "column appears twice"),                                                         # the last one silently won
])
def test_a_calibration_file_is_checked_before_arithmetic(change, fragment, tmp_path):
    data = edited(tmp_path, change)
    code, text = cli("calibrate", "--data", data, "--lang", "en")
    assert code == 2 and fragment in text and "mine.csv" in text, text
    code, text = cli("run", "baseline", "--data", data, "--draws", "20", "--out", tmp_path / "o")
    assert code == 2 and not (tmp_path / "o").exists(), text  # every command reads it the same way


def test_figures_the_model_cannot_reproduce_are_told_not_a_traceback(tmp_path, monkeypatch):
    from growthsim.calibration import smc

    def inconsistent(*a, **k):
        raise smc.InconsistentFigures(2024)
    monkeypatch.setattr("growthsim.calibration.cache.calibrate", inconsistent)
    monkeypatch.setenv("GROWTHSIM_CACHE_DIR", str(tmp_path / "cache"))  # nothing cached: the filter runs
    data = edited(tmp_path, lambda lines: lines)
    code, text = cli("calibrate", "--data", data, "--lang", "en", "--seed", "5")
    assert code == 2 and "2024" in text and "mine.csv" in text, text


# ---------------------------------------------------------------- defect 10: a damaged sweep


@pytest.fixture
def sweep_folder(calibration, tmp_path):
    from growthsim.explore.sweep import SweepSpec, parse_vary, run_sweep
    from growthsim.simulation.scenario import baseline

    out = tmp_path / "sw"
    run_sweep(calibration, SweepSpec(baseline(), parse_vary(["upgrade_target=300:600"]), "lhs", 8, 20,
                                     chunk_size=4), out)
    return out


@pytest.mark.timeout(60)
@pytest.mark.parametrize("damage", ["garbage", "truncated", "other table", "fifo", "empty"])
def test_discover_on_a_damaged_sweep_is_told(sweep_folder, damage):
    results = sweep_folder / "results.parquet"
    if damage == "garbage":
        results.write_bytes(b"PAR1 this is not a parquet file")
    elif damage == "truncated":
        results.write_bytes(results.read_bytes()[: 200])
    elif damage == "other table":
        pd.DataFrame({"x": [1, 2]}).to_parquet(results)
    elif damage == "fifo":
        results.unlink()
        os.mkfifo(results)
    else:
        results.write_bytes(b"")
    code, text = cli("discover", sweep_folder, "--lang", "en")
    assert code == 2 and "results.parquet" in text, text


# ---------------------------------------------------------------- defect 15: messages


def test_calibrate_names_the_data_file_given(tmp_path):
    keep = lambda lines: [lines[0]] + [ln for ln in lines[1:] if ",gdp_real_growth," in ln]  # noqa: E731
    data = edited(tmp_path, keep, "my_figures.csv")
    code, text = cli("calibrate", "--data", data, "--lang", "en")
    assert code == 2 and "my_figures.csv" in text and "reported_figures.csv" not in text, text


def test_calibration_errors_speak_chinese_by_default(tmp_path):
    data = edited(tmp_path, replace_value(2020, "gdp", "0"))
    code, text = cli("calibrate", "--data", data, "--lang", "zh")  # Chinese, the commands' default language
    assert code == 2 and "数值不合理" in text and "implausible" not in text, text
    code, text = cli("backtest", "--data", data, "--lang", "zh")
    assert code == 2 and "数值不合理" in text and "implausible" not in text, text


@pytest.mark.parametrize("encoding, guess", [("utf-16", "UTF-16"), ("gb18030", "GBK")])
def test_a_calibration_file_in_another_encoding_gets_the_fix(encoding, guess, tmp_path):
    data = tmp_path / "mine.csv"
    data.write_bytes(DATA_FILE.read_text(encoding="utf-8").encode(encoding))
    code, text = cli("calibrate", "--data", data)
    assert code == 2 and guess in text and "另存为 UTF-8" in text, text


@pytest.mark.parametrize("name", ["我的情景.toml", "my plan.toml"])
def test_a_scenario_file_named_freely_is_told_how_to_give_it_an_id(name, tmp_path):
    path = tmp_path / name
    path.write_text('[scenario]\ntitle_zh = "我的"\ntitle_en = "mine"\n', encoding="utf-8")
    code, text = cli("compare", path, "--draws", "20", "--lang", "en")
    assert code == 2 and 'id = "' in text and "rename" in text, text
    path.write_text('[scenario]\nid = "mine"\ntitle_zh = "我的"\ntitle_en = "mine"\n', encoding="utf-8")
    assert cli("compare", path, "--draws", "20")[0] == 0  # with an id, any file name is fine
