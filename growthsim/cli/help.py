"""The language of ``--help``, chosen before typer builds the app, and the help texts in it.

Typer's help is static: each option's ``help=`` is read when the commands are declared (at import). So the
help's language is resolved once, before the command modules are imported, and every help text is the
catalogue's ``cli_help.*`` entry in that language (one language at a time, never both in one string):

1. the command's own ``--lang zh|en`` (``growthsim run --help --lang en``; also ``--lang=en``);
2. else ``GROWTHSIM_LANG`` (``zh`` or ``en``), for the help of commands without ``--lang`` and of the
   ``growthsim`` group itself (``GROWTHSIM_LANG=en growthsim --help``);
3. else the locale (``LC_ALL``, ``LC_MESSAGES``, ``LANG``): ``en…`` gives English, ``zh…`` Chinese;
4. else Chinese, the program's default language.

``GROWTHSIM_LANG`` chooses the help's language only: a command's output follows its ``--lang`` (default
Chinese), as before.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence

from ..i18n import DEFAULT_LANG, LANGS
from ..i18n import text as catalogue_text

LANG_ENV = "GROWTHSIM_LANG"
LOCALE_ENV = ("LC_ALL", "LC_MESSAGES", "LANG")


def help_lang(argv: Sequence[str] | None = None, environ: Mapping[str, str] | None = None) -> str:
    """The language the help is shown in (see the module's docstring for the order).

    Parameters
    ----------
    argv : sequence of str, optional
        The command line's arguments after the program (default: ``sys.argv[1:]``).
    environ : mapping, optional
        The environment (default: ``os.environ``).

    Returns
    -------
    str
        ``zh`` or ``en``.
    """
    args = list(sys.argv[1:] if argv is None else argv)
    env = os.environ if environ is None else environ
    for i, arg in enumerate(args):
        if arg == "--lang" and i + 1 < len(args) and args[i + 1] in LANGS:
            return args[i + 1]
        if arg.startswith("--lang=") and arg.split("=", 1)[1] in LANGS:
            return arg.split("=", 1)[1]
    if env.get(LANG_ENV, "") in LANGS:
        return env[LANG_ENV]
    for name in LOCALE_ENV:
        locale = env.get(name, "").lower()
        if locale:  # the first one set decides, as the C library reads them
            return next((lang for lang in LANGS if locale.startswith(lang)), DEFAULT_LANG)
    return DEFAULT_LANG


HELP_LANG = help_lang()


def h(code: str, /, **fields: object) -> str:
    """The help text of catalogue ``code`` (``cli_help.*``) in the help's language (:data:`HELP_LANG`)."""
    return catalogue_text(code, HELP_LANG, **fields)
