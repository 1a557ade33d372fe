"""``--city NAME|PATH`` on every command: the city pack a command reads (calibration/city.py).

:func:`add_city_option` gives every registered command the option once, after the commands are registered
(growthsim/cli/__init__.py), so no command declares it on its own: the command runs inside
``city.using(pack)``, and every reader's default (the record, targets, scenarios, monitoring data, project
list, document titles) is that pack's. A command that takes several cities (``compare``) declares its own
``city`` parameter and is left as it is.
"""

from __future__ import annotations

import functools
import inspect

import typer

from growthsim.calibration import city as packs

from ..errors import UserInputError, print_error
from ..settings import LANGS

CITY_HELP = ("城市数据包：已安装的城市 id（默认 qingdao）或数据包文件夹路径 / City pack: an installed city id "
             "(default qingdao) or the path of a pack folder.")


def city_option(many: bool = False):
    """The ``--city`` option (repeatable when ``many``)."""
    return typer.Option([] if many else None, "--city", help=CITY_HELP)


def resolve_or_exit(name, lang: str | None, err_console):
    """The pack ``name`` names; a bad name prints its message (in ``lang``, or both) and exits 2."""
    try:
        return packs.resolve_city(name)
    except packs.CityPackError as err:
        print_error(err_console, UserInputError(err.message), lang if lang in LANGS else None)
        raise typer.Exit(code=2) from None


def with_city(fn, err_console):
    """``fn`` with a ``--city`` option, run inside ``city.using`` the chosen pack."""
    sig = inspect.signature(fn)
    if "city" in sig.parameters:   # the command takes its cities itself (compare --city A --city B)
        return fn

    @functools.wraps(fn)
    def command(*args, city: str | None = None, **kw):
        pack = resolve_or_exit(city, kw.get("lang"), err_console)
        with packs.using(pack):
            return fn(*args, **kw)

    option = inspect.Parameter("city", inspect.Parameter.KEYWORD_ONLY, default=city_option(),
                               annotation="str | None")
    command.__signature__ = sig.replace(parameters=[*sig.parameters.values(), option])
    command.__annotations__ = {**getattr(fn, "__annotations__", {}), "city": "str | None"}
    return command


def add_city_option(app: typer.Typer, err_console) -> None:
    """Give every command registered on ``app`` the ``--city`` option (once)."""
    for info in app.registered_commands:
        if info.callback is not None and not getattr(info.callback, "_has_city", False):
            info.callback = with_city(info.callback, err_console)
            info.callback._has_city = True
