"""The unit table: every unit the project shows, declared once.

A unit is written in the registries as its Chinese code (``家``, ``%``, ``亿元``).
Its entry gives the name a reader sees in each language, the decimals a value
in it is shown and rounded to (tables, CSV files, charts, the workbook), the
spreadsheet number format with those decimals, and whether it counts things
(firms, projects: whole numbers, "不少于" rather than "不低于" in a sentence).
An indicator's precision, a target's rule text, the workbook's cell formats
and the CLI's numbers all come from here.

A unit that is not declared is shown as written, with two decimals.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class Unit:
    """One unit: code, names, precision, spreadsheet format, whether it counts.

    Attributes
    ----------
    code : str
        As the registries write it (``家``, ``%``, ``亿元``).
    zh, en : str
        As shown in a Chinese or English table (``家``; ``firms``).
    decimals : int
        Decimals a value is shown and rounded to.
    count : bool
        Whether it counts things (firms, projects).
    phrase_en : str or None
        The English words in a sentence, where they differ from ``en``
        (``firms a year`` for ``家/年``, shown ``firms/yr`` in a table).
    phrase_zh : str or None
        The Chinese words after a number in a sentence, where they differ from ``zh``
        (``个百分点`` for ``百分点``: 提高2个百分点).
    per_year_of : str or None
        For a yearly unit, the unit it counts a year (``家`` for ``家/年``: 每年405家), else None.
    """

    code: str
    zh: str
    en: str
    decimals: int
    count: bool = False
    phrase_en: str | None = None
    phrase_zh: str | None = None
    per_year_of: str | None = None

    @property
    def number_format(self) -> str:
        """The spreadsheet number format: thousands separated, ``decimals`` places (``#,##0``, ``#,##0.0``).

        Shares and rates (``%``, ``百分点``, an index) are never in the thousands and keep a plain ``0.0``.
        """
        places = "." + "0" * self.decimals if self.decimals else ""
        return f"0{places}" if self.code in PLAIN_FORMATS else f"#,##0{places}"

    def name(self, lang: str = "zh") -> str:
        """The unit as a table shows it in ``lang`` (``zh`` or ``en``)."""
        return self.en if lang == "en" else self.zh

    def text(self, lang: str = "zh") -> str:
        """The unit as a message's field shows it (growthsim.i18n): its name in ``lang``."""
        return self.name(lang)

    def phrase(self, lang: str = "zh") -> str:
        """The unit as a sentence says it after a number (``firms a year``, ``个百分点``; else as in a table)."""
        if lang == "en":
            return self.phrase_en if self.phrase_en is not None else self.en
        return self.phrase_zh if self.phrase_zh is not None else self.zh

    def attach(self, number_text: str, lang: str = "zh", sentence: bool = False) -> str:
        """A number with its unit: '4,806家' / '4,806 firms'; ``%`` and ``×`` stick to the number in both.

        In a sentence (``sentence``) the unit is its phrase (:meth:`phrase`: '2.0个百分点', '405 firms a year').

        Parameters
        ----------
        number_text : str
            The number, formatted (in this unit).
        lang : str
            ``zh`` or ``en``: the reader's language.
        sentence : bool
            Use the unit's words in a sentence rather than a table's.
        """
        shown = self.phrase(lang) if sentence else self.name(lang)
        if shown in ("%", "×") or (lang == "zh" and _has_cjk(shown)):
            return f"{number_text}{shown}"
        return f"{number_text} {shown}".strip()

    def number(self, x: float, signed: bool = False) -> str:
        """A value at this unit's precision, thousands separated ('4,806', '27.9', '+0.3'); '—' when missing."""
        if x is None or x != x:
            return "—"
        return f"{x:+,.{self.decimals}f}" if signed else f"{x:,.{self.decimals}f}"

    def with_number(self, x: float, lang: str = "zh", signed: bool = False) -> str:
        """A value at this unit's precision with its unit: '4,806家', '27.9%', '24,146.0 × 100 million yuan'.

        Parameters
        ----------
        x : float
            The value, in this unit.
        lang : str
            ``zh`` or ``en``: the reader's language.
        signed : bool
            Write a + before a positive value.
        """
        text = self.number(x, signed)
        return text if text == "—" else self.attach(text, lang)


# Units whose spreadsheet format has no thousands separator (shares, rates, an index: never above 1,000).
PLAIN_FORMATS = frozenset({"%", "百分点", "基年=100"})

# 亿元 in English is '× 100 million yuan': after a number the × keeps two numbers from running together
# ('20,000 × 100 million yuan', it read '20,000 100 million yuan').
_UNITS = (
    Unit("%", "%", "%", 1),
    Unit("百分点", "百分点", "points", 1, phrase_zh="个百分点"),
    Unit("基年=100", "基年=100", "base year = 100", 1),
    Unit("家", "家", "firms", 0, count=True),
    Unit("个", "个", "projects", 0, count=True),
    Unit("家/年", "家/年", "firms/yr", 0, count=True, phrase_en="firms a year", per_year_of="家"),
    Unit("个/年", "个/年", "projects/yr", 0, count=True, phrase_en="projects a year", per_year_of="个"),
    Unit("亿元", "亿元", "× 100 million yuan", 1),
    Unit("万元/人", "万元/人", "× 10,000 yuan/person", 1),
    Unit("亿元/个", "亿元/个", "× 100 million yuan/project", 2, phrase_en="× 100 million yuan per project"),
    Unit("亿元/亿元", "亿元/亿元", "yuan per yuan invested", 2),
    Unit("倍", "倍", "×", 2, phrase_en="times"),
    Unit("比例", "比例", "share", 2, phrase_en="", phrase_zh=""),
    Unit("年", "年", "years", 2),
    Unit("百分点/年", "百分点/年", "points/yr", 2, phrase_en="points a year", per_year_of="百分点"),
    Unit("万亿元", "万亿元", "trillion yuan", 1),
    Unit("百分点/百分点", "百分点/百分点", "points per point", 2),
    Unit("%/百分点", "%/百分点", "% per point", 2),
    Unit("对数标准差", "对数标准差", "log s.d.", 2),
)


@lru_cache(maxsize=1)
def units() -> dict[str, Unit]:
    """Every declared unit by code."""
    out: dict[str, Unit] = {}
    for u in _UNITS:
        if u.code in out:
            raise ValueError(f"unit {u.code} declared twice")
        out[u.code] = u
    return out


def unit_of(code: str) -> Unit:
    """The unit written ``code``; an undeclared one is shown as written, with two decimals."""
    found = units().get(code)
    return found if found is not None else Unit(str(code), str(code), str(code), 2)


def _has_cjk(text: str) -> bool:
    return any("\u2e80" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef" for ch in text)
