"""User-facing errors: one clear message, a non-zero exit, nothing written."""


class UserInputError(Exception):
    """Bad input from a file, option or URL. ``str(err)`` is the whole message."""


def print_error(console, err: object) -> None:
    """Print ``error: <message>`` (``错误：<message>`` for a Chinese message) as literal text: brackets, ``[/]``
    and ``:emoji:`` in a name are shown as typed.

    The message is never given to rich's markup parser (a file named
    ``notes[/i].toml`` would crash it, ``[lever]`` would vanish); only the
    ``error:`` label is styled.
    """
    import re

    from rich.text import Text

    text = str(err)
    label = "错误：" if re.search(r"[\u3400-\u9fff]", text) else "error: "  # the message's own language
    console.print(Text.assemble((label.rstrip(" "), "bold red"), "" if label.endswith("：") else " ", text),
                  soft_wrap=True, highlight=False, emoji=False, markup=False)
