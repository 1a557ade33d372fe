"""The interface text of growthsim in Chinese and English: one catalogue, messages chosen by code.

Every sentence the command line, the app and the exports show a reader is a catalogue entry: a code
(``scenario.unknown_key``) with a Chinese and an English template whose named fields (``{file}``,
``{line}``) are filled in when the message is shown. The entries live in ``catalogue/*.toml``, one file
per area (the first part of a code names its file), and are read once.

A message is chosen where it arises and rendered where it is shown, in the reader's language: nothing is
translated after the fact, and no string carries both languages.

- :func:`text` renders a code in one language: ``text("cli.wrote", "en", what="out/")``.
- :class:`Message` is a code with its fields, rendered later (``msg.text(lang)``).
- :class:`MessageError` is an error that is a message; the error classes of every layer derive from it
  (``UserInputError("scenario.not_toml", file=..., detail=...)``), and ``str(err)`` is its English text.

A field's value is shown in the reader's language when it can be: a :class:`Message` (or anything with a
``text(lang)`` method, such as :class:`Pair` or a registry entry's reference) is rendered in the same
language; a list or tuple is joined with the language's list separator (``、`` / ``, ``). Format specs
apply to the value (``{p:.0%}``) or, for a rendered value, to its text.

This package imports nothing else of growthsim, so every layer may use it (tests/test_layers.py).
"""

from __future__ import annotations

import string
import tomllib
from collections.abc import Iterable, Mapping
from functools import cache
from importlib import resources

LANGS = ("zh", "en")
DEFAULT_LANG = "zh"

__all__ = ["LANGS", "DEFAULT_LANG", "Message", "MessageError", "Pair", "Joined", "catalogue", "text", "both", "join",
           "localise", "code_file", "separator", "homes"]


@cache
def _entries() -> dict[str, dict]:
    """Every entry as written in ``catalogue/*.toml``: its own text, or ``same`` (see :func:`_resolved`)."""
    out: dict[str, dict] = {}
    folder = resources.files(__package__) / "catalogue"
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".toml"):
            _flatten(tomllib.loads(entry.read_text(encoding="utf-8")), entry.name[:-len(".toml")], out)
    return out


def homes() -> dict[str, str]:
    """``{code: home}`` for every entry that says what another says (``same = "word.unit"``)."""
    return {code: entry["same"] for code, entry in _entries().items() if "same" in entry}


@cache
def catalogue() -> dict[str, dict]:
    """Every entry, ``{code: {"zh": template, "en": template}}``, read once from ``catalogue/*.toml``.

    An entry may also say which fields a language leaves out (``omits = ["detail"]``: a parser's English
    reason, shown in English only). An entry that says what another says names it instead of repeating it
    (``same = "word.unit"``, ``catalogue/word.toml``): a word is written once and every table that uses it
    keeps its own code.

    Returns
    -------
    dict
        The templates by code; a code's first part is its file's name.
    """
    entries = _entries()
    return {code: _resolved(code, entry, entries) for code, entry in entries.items()}


def _flatten(table: Mapping, prefix: str, out: dict[str, dict]) -> None:
    """Tables with ``zh`` and ``en`` (or ``same``) are entries; other tables group entries under a longer code."""
    if set(table) >= {"zh", "en"} and all(isinstance(table[k], str) for k in ("zh", "en")):
        out[prefix] = dict(table)  # zh, en, and ``omits``: fields one language leaves out (a library's English)
        return
    if isinstance(table.get("same"), str):
        out[prefix] = dict(table)  # says what another entry says: resolved once every file is read
        return
    for key, value in table.items():
        if not isinstance(value, Mapping):
            raise ValueError(f"catalogue {prefix}.{key}: an entry is a table with zh and en")
        _flatten(value, f"{prefix}.{key}", out)


def _resolved(code: str, entry: Mapping, entries: Mapping[str, Mapping]) -> dict:
    """An entry's text: its own, or the text of the entry it names by ``same`` (written once there).

    ``initial = "upper"`` (or ``"lower"``) sets the case of the English text's first letter: a column header
    names the word a sentence uses in lower case. Only an entry with its own text may be named, so a text has
    exactly one home.
    """
    if "same" not in entry:
        return dict(entry)
    home = entries.get(entry["same"])
    if home is None or "same" in home:
        raise ValueError(f"catalogue {code}: same = {entry['same']!r} names no entry with its own text")
    en = home["en"]
    initial = entry.get("initial")
    if initial not in (None, "upper", "lower"):
        raise ValueError(f"catalogue {code}: initial is 'upper' or 'lower', not {initial!r}")
    if initial:
        en = (en[:1].upper() if initial == "upper" else en[:1].lower()) + en[1:]
    return {**home, "en": en}


def separator(code: str, lang: str) -> str:
    """A separator in ``lang``: the catalogue's ``separator.list`` (``、`` / ``, ``), ``separator.clause``
    (``；`` / ``; ``) or ``separator.comma`` (``，`` / ``, ``), as written (no fields)."""
    return catalogue()[code]["en" if lang == "en" else "zh"]


def code_file(code: str) -> str:
    """The catalogue file that holds ``code`` (``scenario.unknown_key`` -> ``catalogue/scenario.toml``)."""
    return f"catalogue/{code.split('.', 1)[0]}.toml"


def localise(value: object, lang: str) -> object:
    """A field's value as the reader's language shows it (see the module's docstring)."""
    if hasattr(value, "text") and callable(value.text):
        return value.text(lang)
    if isinstance(value, list | tuple):
        return separator("separator.list", lang).join(str(localise(v, lang)) for v in value)
    return value


class _Formatter(string.Formatter):
    """``str.format`` whose fields are localised first; a spec applies to a rendered value's text."""

    def __init__(self, lang: str):
        """Format for ``lang``."""
        self.lang = lang

    def convert_field(self, value: object, conversion: str | None) -> object:
        """``!r`` and ``!s`` see the raw value; otherwise the value is localised."""
        if conversion:
            return super().convert_field(value, conversion)
        return localise(value, self.lang)


def text(code: str, lang: str = DEFAULT_LANG, /, **fields: object) -> str:
    """The catalogue's template for ``code`` in ``lang``, its fields filled in.

    Parameters
    ----------
    code : str
        A catalogue code, e.g. ``"scenario.unknown_key"``.
    lang : str
        ``"zh"`` or ``"en"`` (anything else: Chinese, the default language).
    **fields
        The template's named fields.

    Returns
    -------
    str
        The message in ``lang``.
    """
    template = catalogue()[code]["en" if lang == "en" else "zh"]
    return _Formatter("en" if lang == "en" else "zh").format(template, **fields)


def both(code: str, /, **fields: object) -> tuple[str, str]:
    """``(Chinese, English)`` of one code: for outputs that hold both languages side by side."""
    return text(code, "zh", **fields), text(code, "en", **fields)


def join(items: Iterable[object], lang: str) -> str:
    """Items joined with the language's list separator (``、`` / ``, ``), each shown in ``lang``."""
    return separator("separator.list", lang).join(str(localise(i, lang)) for i in items)


class Message:
    """A catalogue code with its fields: chosen where it arises, rendered where it is shown."""

    __slots__ = ("code", "fields")

    def __init__(self, code: str, /, **fields: object):
        """Keep the code and the fields."""
        self.code = code
        self.fields = fields

    def text(self, lang: str) -> str:
        """The message in ``lang``."""
        return text(self.code, lang, **self.fields)

    def __str__(self) -> str:
        """The English text (logs, tracebacks)."""
        return self.text("en")

    def __repr__(self) -> str:
        """``Message('code', field=...)``."""
        args = "".join(f", {k}={v!r}" for k, v in self.fields.items())
        return f"Message({self.code!r}{args})"

    def __eq__(self, other: object) -> bool:
        """Same code, same fields."""
        return isinstance(other, Message) and (self.code, self.fields) == (other.code, other.fields)

    def __hash__(self) -> int:
        """Hash by code (fields may be unhashable)."""
        return hash(self.code)


class Pair:
    """A name the data give in both languages (a scenario's title, a region's name), shown in the reader's."""

    __slots__ = ("zh", "en")

    def __init__(self, zh: str, en: str):
        """Keep both names."""
        self.zh, self.en = zh, en

    def text(self, lang: str) -> str:
        """The name in ``lang``."""
        return self.en if lang == "en" else self.zh

    def __str__(self) -> str:
        """The English name."""
        return self.en


class Joined:
    """Items shown in the reader's language and joined by that language's separator for clauses (``；`` / ``; ``)."""

    __slots__ = ("items", "separator")

    def __init__(self, items: Iterable[object], between: Mapping[str, str] | str = "separator.clause"):
        """Keep the items; ``between`` is a separator's code (default: a clause's, a semicolon in each language)
        or the separator by language."""
        self.items = list(items)
        self.separator = ({lang: separator(between, lang) for lang in LANGS} if isinstance(between, str)
                          else dict(between))

    def text(self, lang: str) -> str:
        """The items in ``lang``, joined."""
        lang = "en" if lang == "en" else "zh"
        return self.separator[lang].join(str(localise(i, lang)) for i in self.items)

    def __str__(self) -> str:
        """The English text."""
        return self.text("en")


class MessageError(Exception):
    """An error that is a catalogue message: ``err.text(lang)`` in the reader's language, ``str(err)`` English.

    The error classes of every layer derive from it (``UserInputError``, ``CalibrationDataError``,
    ``ProjectListError`` ...), so the command line and the app render any of them the same way.
    """

    def __init__(self, code: str | Message, /, **fields: object):
        """An error with the catalogue's ``code`` and the template's ``fields`` (or a :class:`Message`)."""
        self.message = code if isinstance(code, Message) else Message(code, **fields)
        super().__init__(self.message.code)

    @property
    def code(self) -> str:
        """The catalogue code."""
        return self.message.code

    @property
    def fields(self) -> dict[str, object]:
        """The template's fields."""
        return self.message.fields

    def text(self, lang: str) -> str:
        """The error in ``lang``."""
        return self.message.text(lang)

    def __str__(self) -> str:
        """The English text."""
        return self.message.text("en")
