"""The command line's --help in one language at a time: the command's --lang, else GROWTHSIM_LANG, else the
locale, else Chinese; every help text is a catalogue entry (cli_help.*), never both languages in one string."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from growthsim.cli.help import help_lang
from growthsim.i18n import text

CJK = r"[\u3400-\u9fff]"


@pytest.mark.parametrize(("argv", "environ", "expected"), [
    (["run", "--help", "--lang", "en"], {}, "en"),              # the command's own --lang
    (["run", "--lang=zh", "--help"], {"GROWTHSIM_LANG": "en"}, "zh"),  # ... before the environment
    (["--help"], {"GROWTHSIM_LANG": "en", "LANG": "zh_CN.UTF-8"}, "en"),  # GROWTHSIM_LANG before the locale
    (["--help"], {"LANG": "en_US.UTF-8"}, "en"),                # the locale
    (["--help"], {"LC_ALL": "zh_CN.UTF-8", "LANG": "en_US.UTF-8"}, "zh"),  # LC_ALL before LANG, as libc reads them
    (["--help"], {"LANG": "C.UTF-8"}, "zh"),                    # a locale of neither language: the default
    (["--help"], {}, "zh"),                                     # nothing set: Chinese, the program's default
    (["run", "--lang", "fr", "--help"], {"GROWTHSIM_LANG": "xx"}, "zh"),  # values of no language are passed over
])
def test_the_help_language_is_resolved_in_order(argv, environ, expected):
    assert help_lang(argv, environ) == expected


WALK = """
import json, typer.main
from growthsim.cli import app
def walk(cmd, path):
    yield path, cmd.help or ""
    yield path + ":short", cmd.short_help or ""
    for p in cmd.params:
        if getattr(p, "help", None):
            yield path + ":" + p.name, p.help
    for name, sub in getattr(cmd, "commands", {}).items():
        yield from walk(sub, path + " " + name)
print(json.dumps(dict(walk(typer.main.get_command(app), "growthsim"))))
"""


def _helps(lang: str) -> dict[str, str]:
    env = {**os.environ, "GROWTHSIM_LANG": lang}
    out = subprocess.run([sys.executable, "-c", WALK], capture_output=True, text=True, check=True, env=env)
    return json.loads(out.stdout)


def test_every_help_is_in_the_chosen_language_only():
    import re

    zh, en = _helps("zh"), _helps("en")
    assert set(zh) == set(en) and len(zh) > 150  # every command, its summary and each option (about 170 texts)
    shown = {k: v for k, v in zh.items() if v}
    # Chinese help: each text has Chinese, and none is the English one
    assert all(re.search(CJK, v) for v in shown.values()), [k for k, v in shown.items() if not re.search(CJK, v)]
    assert not [k for k in shown if zh[k] == en[k]]
    # English help: no Chinese at all
    assert not [k for k, v in en.items() if re.search(CJK, v)]
    # known answers: the catalogue's entries
    assert zh["growthsim run:draws"] == text("cli_help.option.draws", "zh")
    assert en["growthsim run:draws"] == text("cli_help.option.draws", "en")
    assert en["growthsim city check"] == text("cli_help.city.check_about", "en")
