"""User-facing errors: one clear message, a non-zero exit, nothing written."""


class UserInputError(Exception):
    """Bad input from a file, option or URL. ``str(err)`` is the whole message (English, or both languages);
    ``zh``, when given, is the same message in Chinese, which a command run with ``--lang zh`` prints."""

    def __init__(self, message: str = "", zh: str | None = None):
        """Keep the message (``str(err)``) and its Chinese text, if any."""
        super().__init__(message)
        self.zh = zh


def print_error(console, err: object, lang: str | None = None) -> None:
    """Print ``error: <message>`` (``错误：<message>`` in Chinese) as literal text: brackets, ``[/]`` and
    ``:emoji:`` in a name are shown as typed.

    ``lang`` is the command's output language. In Chinese a message with a Chinese text
    (``UserInputError.zh``) prints that; a search's finding (no lever value is enough,
    :func:`growthsim.wording.finding_zh`, as the app shows it) or an option out of its range
    (:func:`growthsim.wording.option_zh`) is put whole in Chinese. In English units are English. The label
    follows the message's language.

    The message is never given to rich's markup parser (a file named
    ``notes[/i].toml`` would crash it, ``[lever]`` would vanish); only the
    ``error:`` label is styled.
    """
    from rich.text import Text

    from growthsim.presentation import has_cjk

    text = str(err)
    if lang == "en":
        from growthsim.wording import units_in_english

        text = units_in_english(text)  # '0 至 1200 家/年' reads '0 to 1200 firms/yr'; ids stay what to type
    elif lang == "zh":
        from growthsim.wording import finding_zh, option_zh

        # the message's own Chinese text, or a search's finding or an option's range put whole in Chinese;
        # other messages as written
        text = getattr(err, "zh", None) or finding_zh(text) or option_zh(text) or text
    label = "错误：" if has_cjk(text) else "error: "  # the message's own language
    console.print(Text.assemble((label.rstrip(" "), "bold red"), "" if label.endswith("：") else " ", text),
                  soft_wrap=True, highlight=False, emoji=False, markup=False)
