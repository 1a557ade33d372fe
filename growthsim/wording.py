"""Wording that makes each language whole: units, parameter descriptions, names beside ids.

The registry, the indicator list and the target list carry Chinese and English
names, but a few texts reach the user in one language only: the parameters'
descriptions and source notes are English, units are Chinese. This module gives
the app, the command line and the exports the other language, keyed by id, until
the registry carries them itself. Messages are catalogue entries (growthsim.i18n),
chosen by code where they arise: nothing here translates a message after the fact.
"""

from __future__ import annotations

import calendar
import functools
import re
import string

from growthsim.calibration.place_names import place_name
from growthsim.calibration.targets import targets
from growthsim.i18n import Joined, Message, MessageError, text
from growthsim.presentation import (  # noqa: F401 - re-exported
    CJK,
    has_cjk,
    publisher_text,
    unit,
    untracked_reason,
    with_unit,
)
from growthsim.simulation.registry import parameters


def parameter_description(p, lang: str) -> str:
    """A parameter's explanation for the editor: the registry's Chinese text, or the English with each declared
    reference to another parameter (``{downturn_size}``) as that parameter's English name."""
    if lang == "zh":
        return p.description_zh
    reg = parameters()
    out: list[str] = []
    for literal, ref, _spec, _conversion in string.Formatter().parse(p.description):
        out.append(literal)
        if ref is not None:
            out.append(_name_mid_sentence(reg[ref].label_en, "".join(out)))
    return "".join(out)


def _name_mid_sentence(name: str, before: str) -> str:
    """A parameter's English name where a sentence goes on: lower-case ('extra growth lost ...') unless it starts
    the sentence or is an acronym ('GDP ...')."""
    starts = not before.strip() or before.rstrip().endswith((".", ":", ";"))
    return name if starts or name[1:2].isupper() else name[:1].lower() + name[1:]


# ---------------------------------------------------------------- ids shown with their names (the app's way)

# A link's own keys, shown beside their meaning in Chinese ("draws（模拟次数）").
URL_KEY_CODES = {"lang": "link.key_lang", "page": "link.key_page", "draws": "link.key_draws", "seed": "link.key_seed",
                 "horizon": "link.key_horizon", "through": "link.key_through", "cmp": "link.key_cmp"}
NAMED_FIELDS = ("key", "keys", "names", "ids", "value_key")


class Named:
    """A parameter's or target's id with its name beside it ('小升规目标（upgrade_target）'), or its name alone."""

    __slots__ = ("id", "ids")

    def __init__(self, id_: str, ids: bool = True):
        """The id, and whether it is shown beside the name (``ids=False``: the name alone)."""
        self.id, self.ids = id_, ids

    def text(self, lang: str) -> str:
        """The name (with the id) in ``lang``."""
        reg, tgts = parameters(), targets()
        name = (param_label(reg[self.id], lang) if self.id in reg else target_label(tgts[self.id], lang)
                if self.id in tgts else self.id)
        if not self.ids or name == self.id:
            return name
        return text("value.name_aside", lang, name=name, aside=self.id)


class Id:
    """An id as a finding states it: as typed in English, its name beside it in Chinese.

    For example '倍增企业增速（key_firm_growth）'.

    The command line shows a search's findings so; the app shows the name alone (:func:`with_names`).
    """

    __slots__ = ("id",)

    def __init__(self, id_: str):
        """The parameter's or target's id."""
        self.id = id_

    def text(self, lang: str) -> str:
        """The id (English) or the name with the id (Chinese)."""
        return Named(self.id).text("zh") if lang == "zh" else self.id

    def __str__(self) -> str:
        """The id."""
        return self.id


def _names_something(value: object) -> bool:
    """Whether a field's value holds an id to show with its name, or a message that may."""
    if isinstance(value, list | tuple):
        return any(_names_something(v) for v in value)
    return isinstance(value, Id | Message | Joined)


def with_names(value: object, ids: bool = True) -> object:
    """A message (or a field's value) whose parameter and target ids show their names, as the app shows them.

    The fields that name something (``key``, ``names`` ...) are read: a registry or target id becomes
    :class:`Named`, ``id.YEAR`` the id's value in that year, a link's own key its meaning; other text stays.
    """
    if isinstance(value, MessageError):
        value = value.message
    if isinstance(value, Message):
        return Message(value.code, **{k: with_names(v, ids) if k in NAMED_FIELDS or _names_something(v) else v
                                      for k, v in value.fields.items()})
    if isinstance(value, Id):
        return Named(value.id, ids)
    if isinstance(value, Joined):
        return Joined([with_names(v, ids) for v in value.items], value.separator)
    if isinstance(value, list | tuple):
        return [with_names(v, ids) for v in value]
    if not isinstance(value, str):
        return value
    if value in parameters() or value in targets():
        return Named(value, ids)
    if value in URL_KEY_CODES:
        return Message(URL_KEY_CODES[value], key=value)
    m = re.fullmatch(r"([a-z][a-z0-9_]*)\.(\d{4})", value)
    if m and m[1] in parameters():
        return Message("link.key_year", key=Named(m[1], ids), year=m[2])
    return value


def named_text(err: object, lang: str, ids: bool = True) -> str:
    """An error or message in the reader's language with names beside the ids it names (the app's way).

    Parameters
    ----------
    err : object
        The error (a message with a code and fields) or any exception.
    lang : str
        ``zh`` or ``en``: the reader's language.
    ids : bool
        Show the id beside the parameter's name (False: the name instead).
    """
    if isinstance(err, MessageError | Message):
        return with_names(err, ids).text(lang)
    return str(err)  # not a message (an operating system's error): as it is written


def problem_text(problem, lang: str) -> str:
    """A URL / table problem (key, value, what is wrong, what is allowed) in the reader's language, with names."""
    return text("value.problem", lang, key=with_names(problem.key), value=problem.value,
                problem=with_names(problem.problem), allowed=with_names(problem.allowed))


def param_label(p, lang: str) -> str:
    """A parameter's name in one language (the English without its Chinese aside)."""
    return p.label_zh if lang == "zh" else p.label_en


def param_label_unit(p, lang: str) -> str:
    """A parameter's name with its unit in brackets, in one language."""
    return text("value.name_aside", lang, name=param_label(p, lang), aside=unit(p.unit, lang))


def indicator_name(meta, lang: str) -> str:
    """An indicator's name in one language (the English without its Chinese aside)."""
    return meta.name_zh if lang == "zh" else meta.name_en


def target_label(tg, lang: str) -> str:
    """A plan target's label in one language (the English without its Chinese aside)."""
    return tg.label_zh if lang == "zh" else tg.label_en


def note_text(note: object, lang: str) -> str:
    """A calibration report note (a catalogue message, calibration/fit.py) in the reader's language; '' for none."""
    if note is None or (isinstance(note, float) and note != note):
        return ""
    return note.text(lang) if isinstance(note, Message) else str(note)


def district(name: str, lang: str) -> str:
    """A district's name: the active pack's English name in English (its illustrative.toml or its regions),
    else as written."""
    return place_name("district", name, lang)


def industry(name: str, lang: str) -> str:
    """An industry's name: the active pack's English name in English (its illustrative.toml), else as written."""
    return place_name("industry", name, lang)


@functools.cache
def _illustrative_names() -> dict[str, str]:
    """The made-up names the illustrative list's generator writes (the catalogue's), Chinese -> English."""
    codes = ("project_list.illustrative_name_incremental", "project_list.illustrative_name_renovation")
    return {text(code, "zh", n=n): text(code, "en", n=n) for code in codes for n in range(1, 1000)}


def project_name(name: str, lang: str) -> str:
    """A project's name: a name the illustrative list's generator made, in English in English ('Illustrative
    incremental project 001 (made up)'); a real list's names are its own and stay as written."""
    return _illustrative_names().get(str(name), name) if lang == "en" else name


# ---------------------------------------------------------------- publishers of figures cited by URL

# publisher_text (re-exported from presentation): the record gives each publisher in both languages as data
# (``publisher`` as cited, ``publisher_zh`` for Chinese readers); nothing is translated here.


# ---------------------------------------------------------------- a reported figure's status (calibration/record.py)

FIGURE_STATUSES = ("final", "preliminary", "revised", "derived", "lower_bound", "partial_year")


def figure_status(status: object, period: object, lang: str) -> str:
    """'全年初步' / 'preliminary'; a partial year with its months: '1—6月累计' / 'January–June'.

    Parameters
    ----------
    status : object
        The figure's status (``final``, ``preliminary``, ``partial``).
    period : object
        The months a partial figure covers (``1-6``), or None.
    lang : str
        ``zh`` or ``en``: the reader's language.
    """
    st_ = str(status or "")
    per = "" if period is None or (isinstance(period, float) and period != period) else str(period)
    if st_ == "partial_year" and per:
        last = int(per.split("-")[-1])
        return text("fit.months_plain", lang, n=last, month=calendar.month_name[last])
    return text(f"record.status_{st_}", lang) if st_ in FIGURE_STATUSES else st_
