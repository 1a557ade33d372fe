"""User-facing errors: one clear message, a non-zero exit, nothing written."""


class UserInputError(Exception):
    """Bad input from a file, option or URL. ``str(err)`` is the whole message."""


def print_error(console, err: object, lang: str | None = None) -> None:
    """Print ``error: <message>`` (``错误：<message>`` in Chinese) as literal text: brackets, ``[/]`` and
    ``:emoji:`` in a name are shown as typed.

    ``lang`` is the command's output language: in Chinese a search's finding (no lever value is enough)
    is put whole in Chinese as the app shows it (:func:`growthsim.wording.finding_zh`); in English names
    go beside ids and units are English (:func:`growthsim.wording.message`). The label follows the
    message's language.

    The message is never given to rich's markup parser (a file named
    ``notes[/i].toml`` would crash it, ``[lever]`` would vanish); only the
    ``error:`` label is styled.
    """
    import re

    from rich.text import Text

    text = str(err)
    if lang == "en":
        from growthsim.wording import message

        text = message(text, "en")  # names beside ids, units in English
    elif lang == "zh":
        from growthsim.wording import finding_zh

        text = finding_zh(text) or text  # a search's finding whole in Chinese; other messages as written
    label = "错误：" if re.search(r"[\u3400-\u9fff]", text) else "error: "  # the message's own language
    console.print(Text.assemble((label.rstrip(" "), "bold red"), "" if label.endswith("：") else " ", text),
                  soft_wrap=True, highlight=False, emoji=False, markup=False)
