"""Output folders touch only what the run wrote (issue 22, defects 1-4, 9 and 10's --out cases).

Every command that writes a folder (run, backtest, monitor, seek, sensitivity, discover) goes through
``growthsim.io.replace_folder``: an earlier file is replaced or removed only when a manifest growthsim
itself wrote (signed, for the same command) lists it with the content it still has; every other file --
the planner's notes, a sub-folder, a ``manifest.json`` of another program -- stays where it is, whatever
signal arrives and whenever; the folder keeps its permissions, owner and group. The sweep writes its
resumable folder in place and touches only its own files.
"""

from __future__ import annotations

import ast
import json
import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from growthsim import io as gio
from growthsim import outfolder
from growthsim.cli import app
from growthsim.errors import UserInputError

ROOT = Path(__file__).resolve().parent.parent
runner = CliRunner()
RUN = ["run", "baseline", "--draws", "20", "--format", "csv"]


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


def plant(folder: Path, count: int) -> dict[Path, bytes]:
    """``count`` planner files: a tenth at the top, the rest in sub-folders of 100, each holding its own name."""
    made = {}
    for i in range(count):
        rel = Path(f"note_{i:05d}.txt") if i % 10 == 0 else Path(f"notes_{i // 100:03d}") / f"n{i:05d}.md"
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        data = f"planner file {i}\n".encode()
        path.write_bytes(data)
        made[path] = data
    return made


def missing_or_changed(files: dict[Path, bytes]) -> list[Path]:
    bad = []
    for path, data in files.items():
        try:
            if path.read_bytes() != data:
                bad.append(path)
        except OSError:
            bad.append(path)
    return bad


def snapshot(folder: Path) -> dict[str, bytes | None]:
    return {str(p.relative_to(folder)): (p.read_bytes() if p.is_file() else None) for p in sorted(folder.rglob("*"))}


def manifest_of(out: Path, name: str = "manifest.json") -> dict:
    return json.loads((out / name).read_text(encoding="utf-8"))


# ---------------------------------------------------------------- defect 1: backtest --out


def test_backtest_keeps_the_planners_files_and_never_renames_a_file_given_as_out(tmp_path):
    out = tmp_path / "bt"
    out.mkdir()
    (out / "notes.txt").write_text("my notes")
    (out / "charts").mkdir()
    (out / "charts" / "mine.png").write_bytes(b"my chart")
    code, text = cli("backtest", "--origins", "2024", "--draws", "100", "--out", out)
    assert code == 0, text
    assert (out / "notes.txt").read_text() == "my notes" and (out / "charts" / "mine.png").read_bytes() == b"my chart"
    listed = set(manifest_of(out)["files"])
    assert {"backtest.csv", "backtest_coverage.csv", "charts/gdp.png"} <= listed
    # a second back-test replaces its own files and still keeps the planner's
    code, text = cli("backtest", "--origins", "2024", "--draws", "120", "--out", out)
    assert code == 0, text
    assert (out / "notes.txt").read_text() == "my notes" and (out / "charts" / "mine.png").read_bytes() == b"my chart"
    # a file given as --out is refused and left as it is, under its own name
    plain = tmp_path / "report.docx"
    plain.write_bytes(b"a report")
    code, text = cli("backtest", "--origins", "2024", "--draws", "100", "--out", plain, "--lang", "en")
    assert code == 2 and "not a folder" in text, text
    assert plain.read_bytes() == b"a report"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".bt.growthsim.lock", "bt", "report.docx"]


# ---------------------------------------------------------------- defect 2: a killed run loses nothing


def start(args: list, cwd: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "growthsim.cli", *map(str, args)], cwd=cwd,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)


def staging(parent: Path, out: Path) -> list[Path]:
    return [p for p in parent.glob(f".{out.name}.growthsim-*") if not p.name.endswith(".lock")]


def timed_run(args: list, cwd: Path, out: Path) -> tuple[float, float]:
    """An uninterrupted run: seconds to the staging folder's appearance, and from then to the end."""
    t0 = time.monotonic()
    proc = start(args, cwd)
    seen = None
    while proc.poll() is None:
        if seen is None and staging(cwd, out):
            seen = time.monotonic()
        time.sleep(0.001)
    assert proc.returncode == 0
    end = time.monotonic()
    return (seen or end) - t0, end - (seen or end)


@pytest.mark.timeout(300)
def test_a_run_killed_at_random_moments_loses_none_of_20000_planner_files(tmp_path):
    out = tmp_path / "out"
    assert cli(*RUN, "--out", out)[0] == 0  # an earlier run: its files are replaced, the planner's kept
    planner = plant(out, 20_000)
    args = [*RUN, "--draws", "200", "--out", out]
    before, writing = timed_run(args, tmp_path, out)
    rng = np.random.default_rng(22)  # a fixed seed: a failing moment can be replayed
    for k in range(8):
        proc = start(args, tmp_path)
        if k % 2:  # a moment anywhere in the run
            time.sleep(rng.uniform(0, before + writing))
        else:  # a moment while the folder is being written: files linked, the swap, the earlier run removed
            deadline = time.monotonic() + 120
            while not staging(tmp_path, out) and proc.poll() is None:
                assert time.monotonic() < deadline
                time.sleep(0.001)
            time.sleep(rng.uniform(0, writing))
        proc.send_signal(signal.SIGKILL if k % 4 < 2 else signal.SIGTERM)
        proc.wait()
        lost = missing_or_changed(planner)
        assert lost == [], f"kill {k}: {len(lost)} planner files missing or changed, e.g. {lost[:3]}"
        listed = set(manifest_of(out)["files"]) | {"manifest.json"}
        assert listed <= {p.name for p in out.iterdir()}  # whichever run the folder holds, it holds it whole
    assert cli(*RUN, "--out", out)[0] == 0
    assert missing_or_changed(planner) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == [".out.growthsim.lock", "out"]  # leftovers settled


def test_a_run_killed_while_it_removes_the_earlier_run_is_settled_by_the_next(tmp_path, monkeypatch):
    out = tmp_path / "out"
    gio.replace_folder(out, {"a.csv": b"1", "b.csv": b"2", "c.csv": b"3", "manifest.json": b"{}"}, command="t")
    (out / "notes.txt").write_text("mine")
    real_unlink, calls = os.unlink, []

    def dying_unlink(path, *a, **k):
        calls.append(path)
        if len(calls) == 2:  # the run dies while it removes the earlier run's files (after the swap)
            raise KeyboardInterrupt
        return real_unlink(path, *a, **k)
    monkeypatch.setattr(outfolder.os, "unlink", dying_unlink)
    with pytest.raises(KeyboardInterrupt):
        gio.replace_folder(out, {"d.csv": b"4", "manifest.json": b"{}"}, command="t")
    monkeypatch.undo()
    assert (out / "notes.txt").read_text() == "mine" and (out / "d.csv").read_bytes() == b"4"
    gio.replace_folder(out, {"e.csv": b"5", "manifest.json": b"{}"}, command="t")
    assert sorted(p.name for p in out.iterdir()) == ["e.csv", "manifest.json", "notes.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [".out.growthsim.lock", "out"]  # nothing left behind


# ---------------------------------------------------------------- defect 3: only growthsim's own manifest counts


def test_a_manifest_growthsim_did_not_write_decides_nothing(tmp_path):
    out = tmp_path / "project"
    (out / "src").mkdir(parents=True)
    (out / "src" / "main.py").write_text("print('mine')")
    (out / "README.md").write_text("# my project")
    (out / "manifest.json").write_text(json.dumps({"files": ["src", "README.md"]}))
    before = snapshot(out)
    code, text = cli(*RUN, "--out", out)
    assert code == 2 and "manifest.json" in text and "growthsim did not write" in text, text
    assert snapshot(out) == before
    assert [p.name for p in tmp_path.iterdir() if "growthsim-" in p.name] == []


def test_a_manifest_with_a_list_changed_by_hand_is_not_growthsims(tmp_path):
    out = tmp_path / "out"
    assert cli(*RUN, "--out", out)[0] == 0
    (out / "README.md").write_text("mine")
    m = manifest_of(out)
    m["files"].append("README.md")
    m["growthsim"]["sha256"]["README.md"] = m["growthsim"]["sha256"]["targets.csv"]  # without the signature
    (out / "manifest.json").write_text(json.dumps(m))
    code, text = cli(*RUN, "--out", out)
    assert code == 2 and "growthsim did not write" in text, text
    assert (out / "README.md").read_text() == "mine"


def test_a_folder_of_an_earlier_growthsim_keeps_working_and_loses_nothing(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    for name in ("projections.csv", "targets.csv", "projections.xlsx", "notes.txt"):
        (out / name).write_text(f"old {name}")
    legacy = {"seed": 1, "draws": 20, "package_version": "0.1.0", "created": "2026-11-01T00:00:00+00:00",
              "files": ["projections.csv", "projections.xlsx", "targets.csv", "notes.txt"]}  # unsigned
    (out / "manifest.json").write_text(json.dumps(legacy))
    code, text = cli(*RUN, "--out", out)
    assert code == 0, text
    assert (out / "projections.csv").read_text() != "old projections.csv" and "growthsim" in manifest_of(out)
    # nothing is removed on an unsigned manifest's word, not even the earlier run's workbook it lists
    assert (out / "projections.xlsx").read_text() == "old projections.xlsx"
    assert (out / "notes.txt").read_text() == "old notes.txt"


def test_another_commands_manifest_is_not_this_commands(tmp_path):
    out = tmp_path / "out"
    assert cli("backtest", "--origins", "2024", "--draws", "100", "--out", out)[0] == 0
    before = snapshot(out)
    code, text = cli(*RUN, "--out", out)
    assert code == 2 and "growthsim backtest" in text, text
    assert snapshot(out) == before


def test_an_output_file_changed_since_growthsim_wrote_it_is_kept(tmp_path):
    out = tmp_path / "out"
    assert cli(*RUN, "--out", out)[0] == 0
    (out / "targets.csv").write_text("my edits")
    code, text = cli(*RUN, "--out", out)
    assert code == 2 and "targets.csv" in text and "changed since growthsim wrote it" in text, text
    assert (out / "targets.csv").read_text() == "my edits"
    (out / "targets.csv").unlink()  # the planner moved it away: the run goes ahead
    assert cli(*RUN, "--out", out)[0] == 0


def test_a_planners_file_at_a_name_growthsim_writes_is_never_replaced(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "projections.csv").write_text("my own table")
    code, text = cli(*RUN, "--out", out)
    assert code == 2 and "projections.csv" in text, text
    assert sorted(p.name for p in out.iterdir()) == ["projections.csv"]
    assert (out / "projections.csv").read_text() == "my own table"


# ---------------------------------------------------------------- defect 4: permissions, owner and group


@pytest.mark.parametrize("mode", [0o700, 0o2775, 0o750])
def test_the_folder_keeps_its_permissions_owner_and_group(tmp_path, mode):
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    os.chmod(out, mode)
    owner = (os.stat(out).st_uid, os.stat(out).st_gid)
    if os.geteuid() == 0:  # as root: another user's folder, group 4322 (a shared group folder)
        owner = (4321, 4322)
        os.chown(out, *owner)
        os.chmod(out, mode)
    for seed in ("1", "2"):  # the first run into the folder, then a run replacing it
        code, text = cli(*RUN, "--seed", seed, "--out", out)
        assert code == 0, text
        st = os.stat(out)
        assert (oct(stat.S_IMODE(st.st_mode)), st.st_uid, st.st_gid) == (oct(mode), *owner)
    assert (out / "notes.txt").read_text() == "mine"


def test_a_new_folder_in_a_setgid_parent_keeps_the_group_bit(tmp_path):
    parent = tmp_path / "shared"
    parent.mkdir()
    os.chmod(parent, 0o2775)
    assert cli(*RUN, "--out", parent / "out")[0] == 0
    assert os.stat(parent / "out").st_mode & stat.S_ISGID


# ---------------------------------------------------------------- where the swap cannot be made


def test_where_links_or_the_swap_are_impossible_the_files_are_replaced_in_place(tmp_path, monkeypatch):
    out = tmp_path / "out"
    assert cli(*RUN, "--out", out, "--format", "xlsx")[0] == 0
    planner = plant(out, 50)

    def no_links(*a, **k):
        raise PermissionError(1, "Operation not permitted")
    monkeypatch.setattr(outfolder.os, "link", no_links)
    assert cli(*RUN, "--out", out)[0] == 0
    assert missing_or_changed(planner) == []
    assert set(manifest_of(out)["files"]) == {"projections.csv", "targets.csv"}
    assert not (out / "projections.xlsx").exists()  # the earlier run's file, listed in its manifest
    monkeypatch.undo()
    monkeypatch.setattr(outfolder, "_exchange", lambda a, b: False)  # a file system without RENAME_EXCHANGE
    assert cli(*RUN, "--out", out, "--format", "xlsx")[0] == 0
    assert missing_or_changed(planner) == [] and (out / "projections.xlsx").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == [".out.growthsim.lock", "out"]


# ---------------------------------------------------------------- defects 9 and 10: --out checked by every command

COMMANDS = {
    "run": RUN,
    "backtest": ["backtest", "--origins", "2024", "--draws", "100", "--lang", "en"],
    "monitor": ["monitor"],
    # a firm-count target: upgrades move the count (issue 19: not the growth rate, so not gdp_growth_2026)
    "seek": ["seek", "--target", "above_scale_firms@2028>6600", "--levers", "upgrade_target", "--draws", "50",
             "--probability", "0.5", "--lang", "en"],
    "sensitivity": ["sensitivity", "--n", "8", "--trajectories", "2", "--draws", "10", "--params",
                    "upgrade_target,exit_rate", "--target", "gdp_growth_2026", "--no-png", "--workers", "1", "--lang",
                    "en"],
    "sweep": ["sweep", "--vary", "upgrade_target", "--samples", "4", "--draws", "10", "--lang", "en"],
    "discover": ["discover", "no-such-sweep", "--lang", "en"],
}


@pytest.mark.parametrize("command", list(COMMANDS))
@pytest.mark.parametrize("where", [".", "..", "file", "loop"])
def test_every_commands_out_is_checked(command, where, tmp_path, monkeypatch):
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    (work / "mine.txt").write_text("mine")
    if where == "file":
        (work / "file").write_text("a file")
    if where == "loop":
        os.symlink("loop", work / "loop")
    before = snapshot(tmp_path)
    code, text = cli(*COMMANDS[command], "--out", where)
    assert code == 2, text
    expected = {".": "current folder", "..": "current folder", "file": "not a folder", "loop": "symbolic link"}
    assert expected[where] in text, text
    assert snapshot(tmp_path) == before


def test_a_read_only_out_is_told_not_a_traceback(tmp_path, monkeypatch):
    out = tmp_path / "bt"
    out.mkdir()
    (out / "notes.txt").write_text("mine")

    def refused(*a, **k):
        raise PermissionError(13, "Permission denied")
    monkeypatch.setattr(outfolder.tempfile, "mkdtemp", refused)  # a folder beside it cannot be made
    monkeypatch.setattr(outfolder, "_write_in_place", refused)  # and none inside it
    code, text = cli("backtest", "--origins", "2024", "--draws", "100", "--out", out, "--lang", "en")
    assert code == 2 and "Permission denied" in text and "unchanged" in text, text
    assert sorted(p.name for p in out.iterdir()) == ["notes.txt"]


# ---------------------------------------------------------------- every command, one mechanism


def test_every_command_shares_a_folder_with_the_others_and_the_planner(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    os.chmod(out, 0o700)
    for args in (RUN, COMMANDS["monitor"], COMMANDS["seek"], RUN, COMMANDS["monitor"]):
        code, text = cli(*args, "--out", out)
        assert code == 0, text
    names = {p.name for p in out.iterdir()}
    assert {"notes.txt", "manifest.json", "projections.csv", "monitor.csv", "monitor.json", "seek.json",
            "solutions.csv"} <= names
    assert (out / "notes.txt").read_text() == "mine" and stat.S_IMODE(os.stat(out).st_mode) == 0o700


MOVERS = {"rename", "replace", "unlink", "remove", "rmdir", "rmtree", "removedirs", "move", "chmod", "chown"}
# The one module that moves, renames, removes or re-permissions files in an output folder; the sweep's
# resumable folder and the calibration's disk cache write their own files in place.
ALLOWED = {"growthsim/io.py", "growthsim/outfolder.py", "growthsim/explore/sweep.py", "calibration/cache.py",
           "app/store.py"}


def test_no_other_module_moves_or_deletes_files():
    found = []
    for path in sorted([*ROOT.glob("growthsim/**/*.py"), *ROOT.glob("calibration/*.py"), *ROOT.glob("app/*.py")]):
        rel = str(path.relative_to(ROOT))
        if rel in ALLOWED:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in MOVERS:
                base = node.func.value
                if isinstance(base, ast.Name) and base.id in ("os", "shutil"):
                    found.append(f"{rel}:{node.lineno} {base.id}.{node.func.attr}")
    assert found == []


# ---------------------------------------------------------------- the sweep: only its own files


def test_a_sweep_resumed_keeps_the_planners_files(calibration, tmp_path):
    from growthsim.explore.sweep import SweepSpec, parse_vary, run_sweep
    from growthsim.simulation.scenario import baseline

    out = tmp_path / "sw"
    spec = SweepSpec(baseline(), parse_vary(["upgrade_target=300:600"]), "lhs", 4, 20, chunk_size=2)
    run_sweep(calibration, spec, out)
    (out / ".draft.tmp").write_text("mine")     # a hidden file of the planner's
    (out / "notes.txt").write_text("mine")
    (out / "chunks" / "mine.parquet").write_bytes(b"mine")
    run_sweep(calibration, spec, out)
    assert [(out / n).read_bytes() for n in (".draft.tmp", "notes.txt", "chunks/mine.parquet")] == [b"mine"] * 3


def test_replace_folder_refuses_a_manifest_it_is_not_given():
    with pytest.raises(ValueError):
        gio.replace_folder("never", {"a.txt": b"1"}, manifest="manifest.json")
    with pytest.raises(UserInputError):
        gio.replace_folder("", {"manifest.json": b"{}"}, manifest="manifest.json")
