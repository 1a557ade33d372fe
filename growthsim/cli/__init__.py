"""The ``growthsim`` command line: a layer of its own beside the app, above the services and the exploration.

``core`` holds run, compare, calibrate, backtest, params and targets; ``explore`` seek, sensitivity, sweep and
discover; ``monitor`` the in-year monitoring. Each module registers its commands on the one typer app here.
Nothing below this package imports it (tests/test_layers.py holds the direction).
"""

from __future__ import annotations

import sys

from ..errors import print_error
from ..i18n import MessageError
from . import desk, explore, monitor
from .city import add_city_option, city_app
from .core import app, err_console

explore.register(app)
desk.register(app)
monitor.register(app)
add_city_option(app, err_console)   # --city NAME|PATH on every command (growthsim/cli/city.py)
app.add_typer(city_app, name="city")  # growthsim city new | check


def main() -> None:
    """Run the ``growthsim`` command line; a bad input outside a command's own handler exits 2 with its message."""
    try:
        app()
    except MessageError as err:  # raised outside a command's own handler (a user input error, a bad setting)
        print_error(err_console, err)
        sys.exit(2)


__all__ = ["app", "main"]
