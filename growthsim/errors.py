"""User-facing errors: one clear message, a non-zero exit, nothing written."""


class UserInputError(Exception):
    """Bad input from a file, option or URL. ``str(err)`` is the whole message."""


def print_error(console, err: object) -> None:
    """Print ``error: <message>`` as literal text: brackets, ``[/]`` and ``:emoji:`` in a name are shown as typed.

    The message is never given to rich's markup parser (a file named
    ``notes[/i].toml`` would crash it, ``[lever]`` would vanish); only the
    ``error:`` label is styled.
    """
    from rich.text import Text

    console.print(Text.assemble(("error:", "bold red"), " ", str(err)), soft_wrap=True, highlight=False,
                  emoji=False, markup=False)
