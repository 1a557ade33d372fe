"""User-facing errors: one clear message in the reader's language, a non-zero exit, nothing written."""

from __future__ import annotations

from growthsim.i18n import Message, MessageError, catalogue


class UserInputError(MessageError):
    """Bad input from a file, option or URL: a catalogue message, ``UserInputError(code, **fields)``.

    ``err.text(lang)`` is the message in the reader's language and ``str(err)`` its English. Another
    error that is a message (a file that cannot be read, a bad calibration row) is passed on whole:
    ``UserInputError(err.message)``.

    During the move to the catalogue a few raise sites still pass finished text (``UserInputError(text,
    zh=...)``); their text is shown as given.
    """

    def __init__(self, code: str | Message = "", /, zh: str | None = None, **fields: object):
        """An error with a catalogue code and its fields, a :class:`Message`, or (for now) finished text."""
        if isinstance(code, Message) or code in catalogue():
            super().__init__(code, **fields)
            self.legacy: tuple[str, str | None] | None = None
        else:
            super().__init__(Message("error.as_written", text=code))
            self.legacy = (code, zh)

    @property
    def zh(self) -> str | None:
        """The Chinese text of an error given as finished text (None for a catalogue message)."""
        return self.legacy[1] if self.legacy else None

    def text(self, lang: str) -> str:
        """The error in ``lang``."""
        if self.legacy:
            return self.legacy[1] if lang == "zh" and self.legacy[1] else self.legacy[0]
        return super().text(lang)

    def __str__(self) -> str:
        """The English text (as written, for an error given as finished text)."""
        return self.legacy[0] if self.legacy else super().__str__()


def error_text(err: object, lang: str) -> str:
    """An error's message in ``lang``: a catalogue message rendered, anything else as written."""
    if isinstance(err, UserInputError) and err.legacy:
        return _legacy_text(err, lang)
    if isinstance(err, MessageError):
        return err.text(lang)
    return str(err)


def _legacy_text(err: UserInputError, lang: str) -> str:
    """An error given as finished text, as the command line showed it before the catalogue."""
    from growthsim.wording import finding_zh, option_zh, units_in_english

    text = str(err)
    if lang == "en":
        return units_in_english(text)  # '0 至 1200 家/年' reads '0 to 1200 firms/yr'; ids stay what to type
    if lang == "zh":
        return err.zh or finding_zh(text) or option_zh(text) or text
    return text


def print_error(console, err: object, lang: str | None = None) -> None:
    """Print ``错误：<message>`` (``error: <message>`` in English) as literal text, in the reader's language.

    ``lang`` is the command's output language; when it is not known (an error outside a command, or a
    ``--lang`` that is itself wrong) the message is printed in both, Chinese first. The message is never
    given to rich's markup parser (a file named ``notes[/i].toml`` would crash it, ``[lever]`` would
    vanish); only the label is styled.
    """
    from rich.text import Text

    from growthsim.i18n import text as catalogue_text
    from growthsim.presentation import has_cjk

    if isinstance(err, UserInputError) and err.legacy:  # finished text: the label follows its language
        shown = error_text(err, lang if lang in ("zh", "en") else None)
        shown_lang = "zh" if has_cjk(shown) else "en"
    elif lang in ("zh", "en"):
        shown, shown_lang = error_text(err, lang), lang
    else:  # the reader's language is not known (no command, or --lang itself is wrong): both, Chinese first
        shown, shown_lang = error_text(err, "zh") + "\n" + error_text(err, "en"), "zh"
    console.print(Text.assemble((catalogue_text("error.label", shown_lang), "bold red"), shown),
                  soft_wrap=True, highlight=False, emoji=False, markup=False)
