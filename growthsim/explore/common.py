"""Shared checks and helpers: names, probabilities, ranges, wording, atomic folders."""

from __future__ import annotations

import concurrent.futures as cf
import hashlib
import json
import math
import os
import select
import threading
import time
from collections.abc import Iterable, Mapping
from pathlib import Path

import pandas as pd

from growthsim import calibration as _calibration
from growthsim import simulation as _simulation
from growthsim.calibration.targets import targets, tracked_targets
from growthsim.i18n import text as catalogue_text
from growthsim.simulation.registry import Parameter, nearest_names, parameters
from growthsim.simulation.scenario import HORIZON_MAX
from growthsim.simulation.targets import Target
from growthsim.simulation.units import unit_of

from .. import io as gio
from ..errors import UserInputError
from ..i18n import Message, Pair
from ..outfolder import file_sha256 as file_sha256  # the sweep and its tests read it from here
from ..presentation import untracked_pair
from ..settings import DEFAULT_PROBABILITY, check_settings  # noqa: F401 - DEFAULT_PROBABILITY re-exported

CSV_ENCODING = "utf-8-sig"  # a BOM so that Excel shows Chinese text correctly



def split_names(items: Iterable[str]) -> list[str]:
    """``["a,b", "c"]`` -> ``["a", "b", "c"]``: options may be repeated or comma-separated."""
    out: list[str] = []
    for item in items:
        out += [p.strip() for p in str(item).split(",") if p.strip()]
    return out


def _hint(name: str, pool: list[str], listing: str) -> Message:
    """The nearest valid names to a mistyped one, or the command that lists them all."""
    near = nearest_names(name, pool)
    return Message("explore.hint_near", names=near) if near else Message("explore.hint_see", listing=listing)


def resolve_targets(names: Iterable[str], option: str = "--target") -> list[Target]:
    """Tracked targets by id; an unknown or unmodelled one raises UserInputError."""
    ids = split_names(names)
    if not ids:
        raise UserInputError("explore.no_target", option=option)
    all_t = targets()
    out: list[Target] = []
    for tid in ids:
        if tid not in all_t:
            raise UserInputError("explore.unknown_target", option=option, name=tid,
                                 hint=_hint(tid, list(all_t), "growthsim targets"))
        t = all_t[tid]
        if not t.tracked:
            raise UserInputError("explore.untracked_target", option=option, name=tid,
                                 reason=untracked_pair(t))
        if t in out:
            raise UserInputError("explore.given_twice", option=option, name=tid)
        out.append(t)
    return out


def projected_targets(base_year: int, horizon: int | None = None,
                      pool: Mapping[str, Target] | None = None) -> list[Target]:
    """Tracked targets in projected years (after ``base_year``, up to ``horizon``), by year then file order.

    Parameters
    ----------
    base_year : int
        The calibration's last reported year (calendar year); projected years come after it.
    horizon : int | None
        Last projected year (calendar year), or None: no limit.
    pool : Mapping[str, Target] | None
        Targets to choose from by id (None: the shipped plan targets).
    """
    pool = tracked_targets() if pool is None else {k: t for k, t in pool.items() if t.tracked}
    last = HORIZON_MAX if horizon is None else int(horizon)
    return sorted((t for t in pool.values() if base_year < t.year <= last), key=lambda t: t.year)


def _projected_years(base_year: int, horizon: int | None) -> Message:
    """The target years a search may take, and the shipped targets in them."""
    last = HORIZON_MAX if horizon is None else int(horizon)
    ids = [t.id for t in projected_targets(base_year, last)] or ["—"]
    return Message("explore.allowed_target_years_horizon" if horizon is not None else "explore.allowed_target_years",
                   first=base_year + 1, last=last, ids=ids)


def default_target(base_year: int, horizon: int | None = None, pool: Mapping[str, Target] | None = None,
                   option: str = "--target") -> Target:
    """The first tracked target after the calibration's last year (``gdp_growth_2026`` with data through 2025).

    Parameters
    ----------
    base_year : int
        The calibration's last reported year (calendar year); projected years come after it.
    horizon : int | None
        Last projected year (calendar year), or None: no limit.
    pool : Mapping[str, Target] | None
        Targets to choose from by id (None: the shipped plan targets).
    option : str
        The command-line option the value came from, for messages.
    """
    found = projected_targets(base_year, horizon, pool)
    if not found:
        raise UserInputError("explore.no_projected_target", option=option,
                             allowed=_projected_years(base_year, horizon))
    return found[0]


def check_projected(targets: Iterable[Target], base_year: int, horizon: int | None = None,
                    option: str = "--target") -> None:
    """Refuse a target in a reported year (or after the horizon), in English and Chinese, naming the allowed years.

    A target of the calibration's last year or earlier is history: its outcome
    is reported (``growthsim targets`` shows 达成/未达成), not projected.

    Parameters
    ----------
    targets : Iterable[Target]
        The targets to check.
    base_year : int
        The calibration's last reported year (calendar year); projected years come after it.
    horizon : int | None
        Last projected year (calendar year), or None: no limit.
    option : str
        The command-line option the value came from, for messages.
    """
    for t in targets:
        if t.year <= base_year:
            raise UserInputError("explore.target_reported", option=option, id=t.id, year=t.year, base=base_year,
                                 first=base_year + 1, allowed=_projected_years(base_year, horizon))
        if horizon is not None and t.year > horizon:
            raise UserInputError("explore.target_after_horizon", option=option, id=t.id, year=t.year,
                                 horizon=horizon, allowed=_projected_years(base_year, horizon))


def resolve_parameter(name: str, option: str, kinds: tuple[str, ...] = ("lever", "uncertainty")) -> Parameter:
    """A registry parameter by id; unknown names get the nearest valid ones.

    Parameters
    ----------
    name : str
        The parameter id given.
    option : str
        The command-line option the value came from, for messages.
    kinds : tuple[str, ...]
        The parameter kinds allowed (``lever``, ``uncertainty``).
    """
    reg = parameters()
    pool = [k for k, p in reg.items() if p.kind in kinds]
    if name in reg and reg[name].kind not in kinds:
        code = "explore.is_uncertainty" if reg[name].kind == "uncertainty" else "explore.is_lever"
        raise UserInputError(code, option=option, name=name, allowed=pool)
    if name not in reg:
        code = "explore.unknown_lever" if kinds == ("lever",) else "explore.unknown_parameter"
        raise UserInputError(code, option=option, name=name, hint=_hint(name, pool, "growthsim params"))
    return reg[name]


def resolve_levers(names: Iterable[str], option: str = "--levers") -> list[Parameter]:
    """The levers named in a command option, in order.

    Parameters
    ----------
    names : Iterable[str]
        Lever ids, possibly comma-separated.
    option : str
        The option's name, for messages.

    Returns
    -------
    list of Parameter

    Raises
    ------
    UserInputError
        If a name is unknown (naming the nearest levers), is not a lever, or is given twice.
    """
    ids = split_names(names)
    out: list[Parameter] = []
    for lid in ids:
        p = resolve_parameter(lid, option, ("lever",))
        if p in out:
            raise UserInputError("explore.given_twice", option=option, name=lid)
        out.append(p)
    return out


def check_probability(p: float, option: str = "--probability") -> float:
    """A probability within the settings' bounds, (0, 1]; 80 or -0.1 or 1.5 are refused with the reason."""
    try:
        ok = not isinstance(p, bool) and isinstance(p, (int, float)) and bool(check_settings(probability=float(p)))
    except UserInputError:
        ok = False
    if not ok:
        if isinstance(p, (int, float)) and 1 < p <= 100:  # a percentage: say how to write it
            raise UserInputError("explore.probability_percent", option=option, value=p, pct=f"{p:g}",
                                 fraction=f"{p / 100:g}")
        raise UserInputError("explore.probability", option=option, value=p)
    return float(p)


def parse_range(item: str, option: str, kinds: tuple[str, ...] = ("lever", "uncertainty")) -> tuple[Parameter, float,
                                                                                                    float]:
    """``KEY=LO:HI`` (or just ``KEY`` for the registry bounds) -> (parameter, lo, hi), checked.

    Parameters
    ----------
    item : str
        The option's value, ``KEY=LO:HI`` or ``KEY``.
    option : str
        The command-line option the value came from, for messages.
    kinds : tuple[str, ...]
        The parameter kinds allowed (``lever``, ``uncertainty``).
    """
    key, sep, raw = str(item).partition("=")
    p = resolve_parameter(key.strip(), option, kinds)
    if not sep:
        return p, p.lower, p.upper
    try:
        lo_s, hi_s = raw.split(":")
        lo, hi = float(lo_s), float(hi_s)
    except ValueError:
        raise UserInputError("explore.range_form", option=option, item=item, id=p.id, lower=f"{p.lower:g}",
                             upper=f"{p.upper:g}") from None
    if not (math.isfinite(lo) and math.isfinite(hi)):
        raise UserInputError("explore.range_not_finite", option=option, item=item)
    if lo > hi:
        raise UserInputError("explore.range_reversed", option=option, item=item, lo=f"{lo:g}", hi=f"{hi:g}")
    if lo < p.lower or hi > p.upper:
        raise UserInputError("explore.range_outside", option=option, item=item, id=p.id, lower=f"{p.lower:g}",
                             upper=f"{p.upper:g}", unit=unit_of(p.unit))
    if p.integer and (lo != int(lo) or hi != int(hi)):
        raise UserInputError("explore.range_not_whole", option=option, item=item, id=p.id)
    return p, lo, hi


# ---------- numbers and wording ----------

def decimals_for(p: Parameter) -> int:
    """Decimals that show a value of ``p`` at the precision searches use (a tenth of a slider step)."""
    if p.integer:
        return 0
    return max(0, -int(math.floor(math.log10(p.step / 10.0) + 1e-9)))


def fmt_value(p: Parameter, v: float) -> str:
    """A value of ``p`` as text at the precision searches use (:func:`decimals_for`)."""
    d = decimals_for(p)
    return f"{v:.{d}f}" if d else f"{int(round(v))}"


def sentence_decimals(p: Parameter) -> int:
    """Decimals for a sentence: the slider step's (15.7%, not 15.65%)."""
    if p.integer:
        return 0
    return max(0, -int(math.floor(math.log10(p.step) + 1e-9)))


def fmt_sentence(p: Parameter, v: float) -> str:
    """A value of ``p`` as text for a sentence, at its slider step's precision (:func:`sentence_decimals`)."""
    d = sentence_decimals(p)
    return f"{v:.{d}f}" if d else f"{int(round(v))}"


def _count_unit(unit: str) -> bool:
    return unit_of(unit).count


def condition_text(p: Parameter, lo: float | None, hi: float | None, lang: str) -> str:
    """A parameter range as words: 'X不少于每年405家' / 'X is at least 405 firms a year'.

    Parameters
    ----------
    p : Parameter
        The registry entry (its unit names the range's).
    lo : float | None
        Lower end, in the parameter's registry unit (None: open).
    hi : float | None
        Upper end, in the parameter's registry unit (None: open).
    lang : str
        ``zh`` or ``en``: the reader's language.
    """
    unit = p.unit
    per_year = unit_of(unit).per_year_of is not None  # a yearly unit (家/年): 每年 goes before the amount in Chinese
    base = unit_of(unit_of(unit).per_year_of or unit)

    def amount(v: float, with_unit: bool = True) -> Pair:
        num = fmt_sentence(p, v)
        zh = base.attach(num, "zh", sentence=True) if with_unit else num
        zh = catalogue_text("explore.amount_per_year", "zh", amount=zh) if per_year else zh
        return Pair(zh, unit_of(unit).attach(num, "en", sentence=True) if with_unit else num)

    en_label = p.label_en if p.label_en[:2].isupper() else p.label_en[:1].lower() + p.label_en[1:]
    name = Pair(p.label_zh, en_label)
    if lo is not None and hi is not None:
        # the unit is said once, after the upper end: 每年405至600家 / between 405 and 600 firms a year
        once = unit != "%" and bool(unit_of(unit).phrase("en"))
        low = Pair(amount(lo, not per_year).zh, amount(lo, not once).en)
        high = Pair(base.attach(fmt_sentence(p, hi), "zh", sentence=True) if per_year else amount(hi).zh,
                    amount(hi).en)
        return catalogue_text("explore.condition_between", lang, name=name, low=low, high=high)
    kind = "_years" if unit == "年" and lo is None else "_count" if _count_unit(unit) or unit == "年" else ""
    code = f"explore.condition_at_least{kind}" if lo is not None else f"explore.condition_at_most{kind}"
    return catalogue_text(code, lang, name=name, amount=amount(lo if lo is not None else hi))


def join_conditions(parts: list[str], lang: str) -> str:
    """Conditions joined as one clause: 'a, b and c' in English, 'a、b且c' in Chinese."""
    if len(parts) == 1:
        return parts[0]
    return catalogue_text("explore.conditions_and", lang, first=parts[:-1], last=parts[-1])


# ---------- worker processes ----------

def process_pool(workers: int, initializer=None, initargs=()):
    """A local process pool whose workers start from a clean, single-threaded server (``forkserver``).

    Forking the main process directly could copy a lock held by another
    thread (the progress bar's, a log handler's) and hang a worker. The
    server preloads the exploration modules, so workers start in well under a
    second. Where ``forkserver`` does not exist (Windows), ``spawn`` is used.

    Parameters
    ----------
    workers : int
        Processes to run on (1: this one).
    initializer
        Called in each worker as it starts.
    initargs
        The initializer's arguments.
    """
    # deferred: multiprocessing (5 modules) is needed only here; `growthsim --help` does not load it
    import multiprocessing as mp

    try:
        ctx = mp.get_context("forkserver")
        ctx.set_forkserver_preload(["growthsim.explore.sensitivity", "growthsim.explore.sweep",
                                    "SALib.analyze.sobol", "SALib.analyze.morris"])
    except ValueError:
        ctx = mp.get_context("spawn")
    return cf.ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_start_worker,
                                  initargs=(os.getpid(), initializer, initargs))


WATCH_SECONDS = 0.5  # how often a worker checks that its main process is alive


def _start_worker(main_pid: int, initializer, initargs) -> None:
    """In each worker: end it when the main process is gone (``kill -9`` included), then run ``initializer``.

    The workers are children of the forkserver, not of the main process, so
    the kernel would not tell them; a daemon thread waits on the main process
    (a pidfd on Linux, polling elsewhere) and ends the worker with ``os._exit``.
    """
    threading.Thread(target=_watch_main, args=(main_pid,), daemon=True, name="growthsim-watch-main").start()
    if initializer is not None:
        initializer(*initargs)


def _watch_main(main_pid: int) -> None:
    try:
        fd = os.pidfd_open(main_pid)
    except (AttributeError, OSError):
        fd = None
    if fd is not None:
        select.select([fd], [], [])  # readable when the process has ended
        os._exit(1)
    while True:
        try:
            os.kill(main_pid, 0)
        except ProcessLookupError:
            os._exit(1)
        except PermissionError:
            pass
        time.sleep(WATCH_SECONDS)


# ---------- fingerprints and files ----------

def sha256_bytes(data: bytes) -> str:
    """The SHA-256 of ``data``, as hexadecimal text."""
    return hashlib.sha256(data).hexdigest()


def engine_fingerprint() -> str:
    """A hash of the model's source files: results from a changed model are not mixed with old ones."""
    # simulation/ and calibration/ in the repository, growthsim/simulation/ ... once installed.
    folders = {"simulation": Path(_simulation.__file__).resolve().parent,
               "calibration": Path(_calibration.__file__).resolve().parent}
    h = hashlib.sha256()
    # every source file of both: the mechanisms (dynamics.py), the filter (smc.py), the record's reading and
    # the targets all change the numbers a sweep computes
    for folder, path in folders.items():
        for f in sorted(path.glob("*.py")):
            h.update(f"{folder}/{f.name}".encode())
            h.update(f.read_bytes())
    return h.hexdigest()[:16]


def json_bytes(obj: Mapping) -> bytes:
    """``obj`` as indented UTF-8 JSON (Chinese kept as it is), ending with a newline."""
    return (json.dumps(obj, ensure_ascii=False, indent=2, sort_keys=False) + "\n").encode("utf-8")


def csv_bytes(frame: pd.DataFrame, float_format: str = "%.6g") -> bytes:
    """UTF-8 CSV with a BOM; text a spreadsheet would read as a formula gets the prefix ``'`` (growthsim.io)."""
    return gio.csv_bytes(frame, float_format=float_format)


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temporary file in the same folder and ``os.replace`` (growthsim.io)."""
    gio.atomic_write(path, data)


def check_out_dir(out: Path, option: str = "--out") -> Path:
    """The output folder given to ``option``, refused if it is a file (:func:`growthsim.io.check_out_dir`)."""
    return gio.check_out_dir(out, option)


def write_folder(out: Path, files: Mapping[str, bytes], last: str | None = "manifest.json",
                 command: str = "sensitivity") -> list[Path]:
    """Make ``out`` hold this run of ``command`` (:func:`growthsim.io.replace_folder`): only its own files change.

    ``last`` names the run's manifest (a JSON object of the run's facts).
    Files an earlier run of the same command wrote and this one does not are
    removed; files growthsim did not write are kept. Names may contain a
    sub-folder (``tornado/x.html``).

    Parameters
    ----------
    out : Path
        The output folder.
    files : Mapping[str, bytes]
        File contents by name (names may have sub-folders) [bytes].
    last : str | None
        The run's manifest's name (None: no manifest).
    command : str
        The command's name (``run``, ``ladder`` ...), written in the manifest.
    """
    if last is None or last not in files:
        raise ValueError("write_folder needs the run's manifest among the files")
    return gio.replace_folder(out, files, manifest=last, command=command)
