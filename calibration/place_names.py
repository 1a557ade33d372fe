"""A city's own names in both languages: the districts and industries a project list names (the pack's).

Districts and industries are the city's data, not interface text, so their names in each language sit in its
pack, read through the pack (:mod:`calibration.city`):

- ``illustrative.toml``: how the pack's illustrative project list is made (``python -m growthsim.illustrative``):
  the industries (``[[industry]]``) and districts (``[[district]]``) it draws from, each with ``zh`` and ``en``,
  and the header lines its file carries (``[list] header``);
- ``monitoring/regions.toml``: the regions' ``name_zh`` and ``name_en`` (a region whose Chinese name carries
  an aside in brackets, a new area with its district's name, is also found by its name without the aside
  and by the aside alone).

A name neither file gives (a real list's own) is shown as written in both languages.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from growthsim.i18n import Message, Pair

from . import city
from .textfile import TextFileError, check_nesting, read_text

ILLUSTRATIVE_FILE = "illustrative.toml"
KINDS = ("industry", "district")
ASIDE = re.compile(r"^(?P<name>[^（(]+)[（(](?P<aside>[^）)]+)[）)]$")  # 'name（aside）': the name and its aside


@dataclass(frozen=True)
class IllustrativeNames:
    """What ``illustrative.toml`` holds: the names the illustrative list draws from, and its file's header."""

    industries: tuple[Pair, ...]
    districts: tuple[Pair, ...]
    header: tuple[str, ...]


def _bad(pack: Path, line: int | None, problem: Message) -> city.CityPackError:
    where = Message("file.where_line", file=ILLUSTRATIVE_FILE, line=line) if line else ILLUSTRATIVE_FILE
    return city.CityPackError("city.bad_file", pack=str(pack), where=where, problem=problem,
                              allowed=Message("city.allowed_illustrative"))


def _pairs(root: Path, data: Mapping, kind: str) -> tuple[Pair, ...]:
    items = data.get(kind, [])
    if not isinstance(items, list) or not items:
        raise _bad(root, None, Message("city.illustrative_none", kind=kind))
    for i, item in enumerate(items, start=1):
        if not isinstance(item, Mapping) or not all(isinstance(item.get(k), str) and item[k].strip()
                                                    for k in ("zh", "en")):
            raise _bad(root, None, Message("city.illustrative_entry", kind=kind, n=i))
    return tuple(Pair(item["zh"].strip(), item["en"].strip()) for item in items)


@lru_cache(maxsize=16)
def _load(path: str, mtime_ns: int) -> IllustrativeNames:
    p = Path(path)
    what = Message("city.what_illustrative_toml")
    try:
        text = read_text(p, what=what, max_bytes=city.MAX_BYTES, name=ILLUSTRATIVE_FILE)
        check_nesting(text, name=ILLUSTRATIVE_FILE, what=what)
        data = tomllib.loads(text.lstrip("\ufeff"))
    except TextFileError as err:
        raise _bad(p.parent, err.line, err.problem) from None
    except tomllib.TOMLDecodeError as exc:
        raise _bad(p.parent, None, Message("city.not_toml", reason=str(exc))) from None
    header = data.get("list", {}).get("header", []) if isinstance(data.get("list"), Mapping) else None
    if not isinstance(header, list) or not all(isinstance(h, str) for h in header):
        raise _bad(p.parent, None, Message("city.illustrative_header"))
    return IllustrativeNames(_pairs(p.parent, data, "industry"), _pairs(p.parent, data, "district"), tuple(header))


def read_illustrative(pack: city.CityPack | None = None) -> IllustrativeNames | None:
    """The pack's ``illustrative.toml`` (None when it has none), cached while the file is unchanged.

    Parameters
    ----------
    pack : CityPack, optional
        The pack (default: the active one).

    Raises
    ------
    CityPackError
        The file is not UTF-8 TOML, or lacks an industry's or district's name in a language.
    """
    path = (pack or city.active()).root / ILLUSTRATIVE_FILE
    if not path.is_file():
        return None
    return _load(str(path), path.stat().st_mtime_ns)


@lru_cache(maxsize=16)
def _region_names(path: str, mtime_ns: int) -> dict[str, str]:
    """Each region's Chinese name (also without its aside, and the aside alone) -> its English name."""
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8").lstrip("\ufeff"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return {}  # the monitoring reader says what is wrong with the file; a name is then shown as written
    out: dict[str, str] = {}
    regions = data.get("region", [])
    for region in regions if isinstance(regions, list) else []:
        if not isinstance(region, Mapping):
            continue
        zh, en = str(region.get("name_zh", "")), str(region.get("name_en", ""))
        m = ASIDE.match(zh)
        for name in (m["aside"], m["name"]) if m else ():
            out.setdefault(name.strip(), en)
        out[zh] = en
    return out


def names_by_kind(kind: str, pack: city.CityPack | None = None) -> dict[str, str]:
    """The pack's Chinese names of ``kind`` (``industry`` or ``district``) -> their English names.

    An illustrative list's own names come first; a district may also be a region of ``monitoring/regions.toml``
    (which :func:`calibration.monitoring_data.read_regions` checks; here it is only looked up).
    """
    pack = pack or city.active()
    out: dict[str, str] = {}
    if kind == "district" and pack.has_monitoring:
        regions = pack.monitoring_dir / "regions.toml"
        out.update(_region_names(str(regions), regions.stat().st_mtime_ns))
    names = read_illustrative(pack)
    if names is not None:
        out.update({p.zh: p.en for p in (names.industries if kind == "industry" else names.districts)})
    return out


def place_name(kind: str, name: str, lang: str) -> str:
    """A district's or an industry's name in ``lang``: the active pack's English name in English, else as written.

    Parameters
    ----------
    kind : str
        ``industry`` or ``district``.
    name : str
        The name as a project list writes it (Chinese).
    lang : str
        ``zh`` or ``en``: the reader's language.
    """
    if lang != "en":
        return name
    return names_by_kind(kind).get(name, name)
