"""User-facing errors: one clear message in the reader's language, a non-zero exit, nothing written."""

from __future__ import annotations

from growthsim.i18n import MessageError
from growthsim.i18n import text as catalogue_text


class UserInputError(MessageError):
    """Bad input from a file, option or URL: a catalogue message, ``UserInputError(code, **fields)``.

    ``err.text(lang)`` is the message in the reader's language and ``str(err)`` its English. Another
    error that is a message (a file that cannot be read, a bad calibration row) is passed on whole:
    ``UserInputError(err.message)``.
    """


def error_text(err: object, lang: str) -> str:
    """An error's message in ``lang``: a catalogue message rendered, anything else as written."""
    if isinstance(err, MessageError):
        return err.text(lang)
    return str(err)


def print_error(console, err: object, lang: str | None = None) -> None:
    """Print ``错误：<message>`` (``error: <message>`` in English) as literal text, in the reader's language.

    ``lang`` is the command's output language; when it is not known (an error outside a command, or a
    ``--lang`` that is itself wrong) the message is printed in both, Chinese first. The message is never
    given to rich's markup parser (a file named ``notes[/i].toml`` would crash it, ``[lever]`` would
    vanish); only the label is styled.

    Parameters
    ----------
    console
        The rich console printed to.
    err : object
        The error (a message with a code and fields) or any exception.
    lang : str | None
        ``zh`` or ``en``: the command's language, or None: unknown (both, Chinese first).
    """
    # deferred: rich.text (31 modules) is needed only on this path
    from rich.text import Text

    if lang in ("zh", "en"):
        shown, shown_lang = error_text(err, lang), lang
    else:  # the reader's language is not known (no command, or --lang itself is wrong): both, Chinese first
        shown, shown_lang = error_text(err, "zh") + "\n" + error_text(err, "en"), "zh"
    console.print(Text.assemble((catalogue_text("error.label", shown_lang), "bold red"), shown),
                  soft_wrap=True, highlight=False, emoji=False, markup=False)
