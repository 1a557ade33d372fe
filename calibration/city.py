"""City packs: one folder per city holding everything that is the city's (see ``cities/<id>/README.md``).

A pack is a folder::

    city.toml               [city] id, names and the app title in both languages, peers; [sources] titles
    reported_figures.csv    the reported record, each row cited (calibration/record.py)
    sources/                the archived source texts the record and the targets quote
    targets.toml            the plan targets (calibration/targets.py)
    scenarios/*.toml        the city's scenarios (baseline, intensified, downside ...)
    levers.toml             lever defaults that differ from the registry's, each with its source (optional)
    monitoring/             regions.toml, region_weights.toml, <region>_<year>.csv, targets_<region>_<year>.toml
                            (optional: the in-year monitoring and the split among districts)
    projects.csv            illustrative project list (示例, optional; a name holding ``illustrative`` or 示例
                            also serves, as ``illustrative_projects_示例项目清单.csv``)

The shipped packs are package data (``cities/`` in the repository, ``growthsim/cities/`` once installed);
the default is :data:`DEFAULT_CITY`. Which pack a reader takes when none is named is the **active pack**
(:func:`active`), chosen for a stretch of code by :func:`using` (a context variable: one command, one app
session's script run), so a reader's default follows the city the user chose without every caller passing it.
"""

from __future__ import annotations

import contextvars
import difflib
import os
import tomllib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from growthsim import cities as _cities
from growthsim.i18n import Message, MessageError

from .textfile import TextFileError, check_nesting, read_text

# cities/ in the repository, growthsim/cities/ once installed: located through the package.
CITIES_DIR = Path(_cities.__file__).resolve().parent
DEFAULT_CITY = "qingdao"
DEFAULT_ROOT = CITIES_DIR / DEFAULT_CITY
CITY_FILE = "city.toml"
REQUIRED_FILES = ("city.toml", "reported_figures.csv", "targets.toml", "scenarios")
CITY_FIELDS = ("id", "name_zh", "name_en", "short_zh", "short_en", "title_zh", "title_en")
CITY_KEYS = {*CITY_FIELDS, "peers", "note"}
SOURCE_FIELDS = ("title_zh", "title_en", "date", "year_zh", "year_en")
MAX_BYTES = 200_000


class CityPackError(MessageError, ValueError):
    """A pack that cannot be used: a catalogue message (``city.*``) naming the pack, the file, the line."""


@dataclass(frozen=True)
class CityPack:
    """One city's pack: its folder and what ``city.toml`` says of it.

    ``documents`` holds the archived sources' titles by file name (``[sources."<file>"]``: title_zh,
    title_en, date, year_zh, year_en), as the presentation names a cited document.
    """

    root: Path
    id: str
    name_zh: str
    name_en: str
    short_zh: str
    short_en: str
    title_zh: str
    title_en: str
    peers: tuple[str, ...] = ()
    documents: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    def name(self, lang: str = "zh") -> str:
        """The city's name in ``lang``."""
        return self.name_zh if lang == "zh" else self.name_en

    def short(self, lang: str = "zh") -> str:
        """The city's short name in ``lang`` (for table headers)."""
        return self.short_zh if lang == "zh" else self.short_en

    def title(self, lang: str = "zh") -> str:
        """The app's title in ``lang``."""
        return self.title_zh if lang == "zh" else self.title_en

    @property
    def reported_figures(self) -> Path:
        """The reported record (``reported_figures.csv``)."""
        return self.root / "reported_figures.csv"

    @property
    def sources_dir(self) -> Path:
        """The folder of archived source texts (``sources/``)."""
        return self.root / "sources"

    @property
    def targets_file(self) -> Path:
        """The plan targets (``targets.toml``)."""
        return self.root / "targets.toml"

    @property
    def scenarios_dir(self) -> Path:
        """The scenarios' folder (``scenarios/``)."""
        return self.root / "scenarios"

    @property
    def levers_file(self) -> Path:
        """Lever defaults that differ from the registry's (``levers.toml``, optional)."""
        return self.root / "levers.toml"

    @property
    def monitoring_dir(self) -> Path:
        """The in-year monitoring folder (``monitoring/``, optional)."""
        return self.root / "monitoring"

    @property
    def has_monitoring(self) -> bool:
        """Whether the pack holds in-year monitoring (``monitoring/regions.toml``); a pack may have none."""
        return (self.monitoring_dir / "regions.toml").is_file()

    @property
    def projects_file(self) -> Path | None:
        """The illustrative project list: ``projects.csv``, else a CSV whose name marks it illustrative."""
        plain = self.root / "projects.csv"
        if plain.is_file():
            return plain
        marked = sorted(p for p in self.root.glob("*.csv") if "illustrative" in p.name.lower() or "示例" in p.name)
        return marked[0] if marked else None

    @property
    def shipped(self) -> bool:
        """Whether the pack is one of the installed ones (under :data:`CITIES_DIR`)."""
        return self.root.parent == CITIES_DIR


CITY_PATH_ENV = "GROWTHSIM_CITY_PATH"   # further folders of packs (a bureau's own), separated as PATH is


def pack_folders() -> dict[str, Path]:
    """The installed packs by id: the folders of ``cities/`` holding a ``city.toml``, then those of each folder
    in ``$GROWTHSIM_CITY_PATH`` (an id already found is not replaced)."""
    out: dict[str, Path] = {}
    extra = [Path(p) for p in os.environ.get(CITY_PATH_ENV, "").split(os.pathsep) if p.strip()]
    for folder in (CITIES_DIR, *extra):
        if not folder.is_dir():
            continue
        for p in sorted(folder.iterdir()):
            if (p / CITY_FILE).is_file() and p.name not in out:
                out[p.name] = p
    return out


def shipped_ids() -> list[str]:
    """The ids of the installed packs (:func:`pack_folders`), the default first, then by id."""
    ids = sorted(pack_folders())
    return sorted(ids, key=lambda i: i != DEFAULT_CITY)


def _bad(pack: Path, file: str, line: int | None, problem: Message | str, allowed: Message | str) -> CityPackError:
    where = Message("file.where_line", file=file, line=line) if line else file
    return CityPackError("city.bad_file", pack=str(pack), where=where, problem=problem, allowed=allowed)


def _line_of(text: str, key: str) -> int | None:
    """The first line that sets ``key`` (``key =``) in a TOML text, for a message."""
    for i, line in enumerate(text.splitlines(), start=1):
        if line.strip().startswith(f"{key} ") or line.strip().startswith(f"{key}="):
            return i
    return None


def _text_table(data: Mapping, key: str) -> Mapping:
    got = data.get(key, {})
    return got if isinstance(got, Mapping) else {}


def _documents(root: Path, text: str, data: Mapping) -> dict[str, dict[str, str]]:
    out = {}
    for name, entry in _text_table(data, "sources").items():
        if not isinstance(entry, Mapping) or not all(isinstance(entry.get(k, ""), str) for k in SOURCE_FIELDS):
            raise _bad(root, CITY_FILE, _line_of(text, f'[sources."{name}"]'), Message("city.source_entry", name=name),
                       Message("city.allowed_source_entry", fields=", ".join(SOURCE_FIELDS)))
        out[str(name)] = {k: str(entry.get(k, "")) for k in SOURCE_FIELDS}
    return out


def _city_table(root: Path, text: str, data: Mapping) -> dict[str, object]:
    city = data.get("city")
    if not isinstance(city, Mapping):
        raise _bad(root, CITY_FILE, None, Message("city.no_city_table"), Message("city.allowed_city_table",
                                                                                  fields=", ".join(CITY_FIELDS)))
    for key in city:
        if key not in CITY_KEYS:
            near = difflib.get_close_matches(str(key), sorted(CITY_KEYS), n=1)
            raise _bad(root, CITY_FILE, _line_of(text, str(key)), Message("city.unknown_key", key=key,
                                                                         near=near[0] if near else "—"),
                       ", ".join(sorted(CITY_KEYS)))
    for key in CITY_FIELDS:
        value = city.get(key)
        if not isinstance(value, str) or not value.strip():
            raise _bad(root, CITY_FILE, _line_of(text, key), Message("city.missing_field", key=key),
                       Message("city.allowed_text_field"))
    peers = city.get("peers", [])
    if not isinstance(peers, list) or not all(isinstance(p, str) for p in peers):
        raise _bad(root, CITY_FILE, _line_of(text, "peers"), Message("city.peers_not_list"),
                   Message("city.allowed_peers"))
    return {**{k: city[k].strip() for k in CITY_FIELDS}, "peers": tuple(peers)}


@lru_cache(maxsize=64)
def _load(root: str, mtime_ns: int) -> CityPack:
    path = Path(root)
    for name in REQUIRED_FILES:
        if not (path / name).exists():
            raise CityPackError("city.missing_file", pack=str(path), file=name, required=", ".join(REQUIRED_FILES))
    try:
        text = read_text(path / CITY_FILE, what=Message("city.what_city_toml"), max_bytes=MAX_BYTES, name=CITY_FILE)
        check_nesting(text, name=CITY_FILE, what=Message("city.what_city_toml"))
        data = tomllib.loads(text.lstrip("\ufeff"))
    except TextFileError as err:
        raise _bad(path, CITY_FILE, err.line, err.problem, err.allowed) from None
    except tomllib.TOMLDecodeError as exc:
        raise _bad(path, CITY_FILE, None, Message("city.not_toml", reason=str(exc)),
                   Message("city.allowed_city_table", fields=", ".join(CITY_FIELDS))) from None
    fields = _city_table(path, text, data)
    return CityPack(root=path, documents=_documents(path, text, data), **fields)


def load_pack(root: str | Path) -> CityPack:
    """Read a pack's ``city.toml`` (cached while the file is unchanged); CityPackError naming what is wrong."""
    path = Path(root).resolve()
    if not path.is_dir():
        raise CityPackError("city.not_a_folder", pack=str(root))
    city = path / CITY_FILE
    return _load(str(path), city.stat().st_mtime_ns if city.is_file() else 0)


def resolve_city(name: str | Path | None) -> CityPack:
    """A pack from an installed id (:data:`DEFAULT_CITY`) or a folder (``./cities/xiamen``, ``/data/my_city``).

    An id is looked up among the installed packs first; a name that is neither an id nor a folder raises
    CityPackError ``city.unknown`` with the nearest ids.
    """
    if name is None or str(name).strip() == "":
        return load_pack(CITIES_DIR / DEFAULT_CITY)
    text = str(name).strip()
    folders = pack_folders()
    ids = list(folders)
    if text in folders:
        return load_pack(folders[text])
    path = Path(text).expanduser()
    if path.is_dir():
        return load_pack(path)
    near = difflib.get_close_matches(text.lower(), ids, n=3, cutoff=0.5)
    raise CityPackError("city.unknown", name=text, near=near or "—", ids=ids)


def default_pack() -> CityPack:
    """The built-in default pack (:data:`DEFAULT_CITY`)."""
    return load_pack(CITIES_DIR / DEFAULT_CITY)


_ACTIVE: contextvars.ContextVar[CityPack | None] = contextvars.ContextVar("growthsim_city", default=None)


def active() -> CityPack:
    """The pack readers take by default: the one :func:`using` chose, else the built-in default."""
    return _ACTIVE.get() or default_pack()


@contextmanager
def using(pack: CityPack | str | Path | None) -> Iterator[CityPack]:
    """Make ``pack`` (a pack, an id or a folder; None: the default) the active pack inside the block."""
    chosen = pack if isinstance(pack, CityPack) else resolve_city(pack)
    token = _ACTIVE.set(chosen)
    try:
        yield chosen
    finally:
        _ACTIVE.reset(token)


# ---------------------------------------------------------------- levers.toml

LEVER_KEYS = ("value", "rate", "source")


@dataclass(frozen=True)
class LeverEntry:
    """One ``[levers.<id>]`` table of a pack: its ``value`` or, for a lever that scales with the city, its own
    ``rate`` (per unit of the registry's basis), and its ``source``."""

    value: float | None
    rate: float | None
    source: str


@dataclass(frozen=True)
class ParameterValue:
    """A parameter's value for one pack and where it comes from.

    ``origin`` is ``pack`` (the pack's ``levers.toml`` value), ``scaled`` (a rate times the pack's calibrated
    start figure ``basis_value``: the registry's reference rate, or the pack's own ``rate``) or ``registry``
    (the registry's city-free default). ``value`` is None for a scaled lever before a start figure is known.
    """

    value: float | None
    origin: str
    source: str
    rate: float | None = None
    basis_value: float | None = None
    rate_unit: str = ""

    @property
    def assumed(self) -> bool:
        """Whether a view shows the value as an assumption (假设): scaled from the start figure, not the city's."""
        return self.origin == "scaled"


def read_levers(pack: CityPack) -> dict[str, LeverEntry]:
    """The pack's parameter values (``levers.toml``; none when it is absent), validated.

    ``[levers.<id>]`` tables with ``value`` (a number within the registry's bounds; for an uncertainty the filter
    draws, its prior's mode) or, for a lever that scales with the city's size, ``rate`` (a positive number per
    unit of its basis), and ``source`` (a file in ``sources/`` and its quote, a URL, or 假设 assumption).
    CityPackError names the pack, the file, the line and what is allowed for an unknown parameter or key, a value
    outside its bounds, a rate where none applies, or a missing source.
    """
    path = pack.levers_file
    if not path.is_file():
        return {}
    stat = path.stat()
    return dict(_read_levers(str(pack.root), stat.st_mtime_ns, stat.st_size))


@lru_cache(maxsize=16)
def _read_levers(root: str, mtime_ns: int, size: int) -> tuple[tuple[str, LeverEntry], ...]:
    """:func:`read_levers` of the pack in folder ``root``, cached while the file is unchanged (every slider's help
    reads it)."""
    path = Path(root) / "levers.toml"
    try:
        text = read_text(path, what=Message("city.what_levers_toml"), max_bytes=MAX_BYTES, name="levers.toml")
        check_nesting(text, name="levers.toml", what=Message("city.what_levers_toml"))
        data = tomllib.loads(text.lstrip("\ufeff"))
    except TextFileError as err:
        raise _bad(Path(root), "levers.toml", err.line, err.problem, err.allowed) from None
    except tomllib.TOMLDecodeError as exc:
        raise _bad(Path(root), "levers.toml", None, Message("city.not_toml", reason=str(exc)),
                   Message("city.allowed_levers")) from None
    extra = sorted(set(data) - {"levers"})
    table = data.get("levers", {})
    if extra or not isinstance(table, Mapping):
        raise _bad(Path(root), "levers.toml", _line_of(text, extra[0]) if extra else None,
                   Message("city.unknown_key", key=extra[0] if extra else "levers", near="levers"),
                   Message("city.allowed_levers"))
    return tuple((str(pid), _lever_entry(Path(root), text, str(pid), entry)) for pid, entry in table.items())


def _lever_entry(root: Path, text: str, pid: str, entry: object) -> LeverEntry:
    """One ``[levers.<pid>]`` table checked against the registry (CityPackError naming file and line)."""
    # deferred: simulation.registry loads pydantic; only this path needs it
    from growthsim.simulation.registry import nearest_names, parameters

    registry, line = parameters(), _header_line(text, pid)

    def bad(problem: Message, allowed: Message) -> CityPackError:
        return _bad(root, "levers.toml", line, problem, allowed)

    if pid not in registry:
        near = nearest_names(pid)
        raise bad(Message("city.unknown_parameter", key=pid, near=near[0] if near else "—"),
                  Message("city.allowed_parameter"))
    p, entry = registry[pid], entry if isinstance(entry, Mapping) else {}
    unknown = sorted(set(entry) - set(LEVER_KEYS))
    if unknown:
        raise bad(Message("city.lever_unknown_key", key=pid, field=unknown[0]), Message("city.allowed_lever_keys"))
    value, rate = entry.get("value"), entry.get("rate")
    if rate is not None:
        _check_rate(pid, p, value, rate, bad)
    elif isinstance(value, bool) or not isinstance(value, int | float) or not p.lower <= value <= p.upper:
        raise bad(Message("city.lever_out_of_bounds", key=pid, value=value),
                  Message("city.allowed_lever_value", lower=f"{p.lower:g}", upper=f"{p.upper:g}", unit=p.unit))
    source = entry.get("source")
    if not isinstance(source, str) or not source.strip():
        raise bad(Message("city.lever_no_source", key=pid), Message("city.allowed_lever_source"))
    return LeverEntry(value=None if rate is not None else float(value),
                      rate=float(rate) if rate is not None else None, source=source.strip())


def _check_rate(pid: str, p, value: object, rate: object, bad) -> None:
    """A pack's own ``rate``: only for a lever with a scale, positive, and not beside a ``value``."""
    # deferred: simulation.registry loads pydantic; only this path needs it
    from growthsim.simulation.registry import parameters

    scaled = [k for k, q in parameters().items() if q.scale is not None]
    allowed = Message("city.allowed_lever_scale", ids=", ".join(scaled), basis="above_scale_firms")
    if p.scale is None:
        why = Message("city.lever_scale_not_scaled")
    elif value is not None:
        why = Message("city.lever_value_and_rate")
    elif isinstance(rate, bool) or not isinstance(rate, int | float) or not rate > 0:
        why = Message("city.lever_scale_not_positive")
    else:
        return
    raise bad(Message("city.lever_bad_scale", key=pid, why=why), allowed)


def read_lever_defaults(pack: CityPack) -> dict[str, float]:
    """The values the pack's ``levers.toml`` gives (its own rates aside: those need a start figure)."""
    return {k: e.value for k, e in read_levers(pack).items() if e.value is not None}


def basis_figures(base) -> dict[str, float]:
    """A calibration's start figures a scale-dependent lever grows with: the above-scale firm count's median
    over the posterior's particles (the reported count where the start year reports one), in 家.

    ``base`` is the calibration's :class:`~growthsim.simulation.model.BaseState`.
    """
    # deferred: numpy (90 modules) is needed only on this path
    import numpy as np

    firms = base.state.get("firms") if base.state else None
    return {"above_scale_firms": float(np.median(firms)) if firms is not None else float(base.above_scale_firms)}


def parameter_values(pack: CityPack | None = None,
                     basis: Mapping[str, float] | None = None) -> dict[str, ParameterValue]:
    """Every parameter's value for ``pack`` (None: the active pack), declared once for every view.

    The pack's ``levers.toml`` value wins; a lever that scales with the city takes its rate (the pack's own, else
    the registry's reference rate) times the start figure in ``basis`` (:func:`basis_figures`; None: not known
    yet, the value is None), rounded to the unit; every other parameter the registry's city-free default.

    Parameters
    ----------
    pack : CityPack | None
        The pack (None: :func:`active`).
    basis : Mapping[str, float] | None
        The start figures the scale-dependent levers grow with (``above_scale_firms``, 家).
    """
    # deferred: simulation.registry loads pydantic; only this path needs it
    from growthsim.simulation.registry import parameters

    own = read_levers(pack or active())
    out: dict[str, ParameterValue] = {}
    for pid, p in parameters().items():
        entry = own.get(pid)
        if entry is not None and entry.value is not None:
            out[pid] = ParameterValue(entry.value, "pack", entry.source)
        elif p.scale is not None:
            rate = entry.rate if entry is not None else p.scale.rate
            source = entry.source if entry is not None else p.scale.source
            at = None if basis is None else basis.get(p.scale.basis)
            value = None if at is None else p.scaled(at, rate)
            out[pid] = ParameterValue(value, "scaled", source, rate=rate, basis_value=at, rate_unit=p.scale.unit)
        else:
            out[pid] = ParameterValue(float(p.default), "registry", p.source)
    return out


def pack_defaults(pack: CityPack | None = None, basis: Mapping[str, float] | None = None) -> dict[str, float]:
    """The known values of :func:`parameter_values` by parameter id (a scaled lever only once ``basis`` is given)."""
    return {k: v.value for k, v in parameter_values(pack, basis).items() if v.value is not None}


def calibration_values(cal) -> dict[str, ParameterValue]:
    """:func:`parameter_values` of the active pack at ``cal``'s start figures: what a run's scenarios start from
    (``cal`` a :class:`~growthsim.calibration.fit.Calibration`, whose posterior carries the same values)."""
    return parameter_values(active(), basis_figures(cal.base))


def value_note(pv: ParameterValue) -> Message | None:
    """How a view marks a value that is not the city's own: 假设 scaled from the start figure, or the rate a
    lever scales with when no start figure is known yet (None: the pack's or the registry's value)."""
    if pv.origin != "scaled":
        return None
    if pv.basis_value is None:
        return Message("city.scales_with", rate=f"{pv.rate:g}", unit=pv.rate_unit)
    return Message("city.scaled_from", basis=f"{pv.basis_value:,.0f}", rate=f"{pv.rate:g}", unit=pv.rate_unit)


def _header_line(text: str, pid: str) -> int | None:
    """The line of ``[levers.<pid>]`` in a levers.toml text."""
    for i, line in enumerate(text.splitlines(), start=1):
        if line.strip().replace(" ", "") in (f"[levers.{pid}]", f'[levers."{pid}"]'):
            return i
    return None
