"""The pictures' worker process (``python -m growthsim.app.picture_worker``, started by :mod:`app.pictures`).

It reads one JSON request a line, ``{"spec": <Vega-Lite specification>, "width": <px>}``, draws the chart with
Vega (:func:`growthsim.vega.svg`) and writes one JSON reply a line, ``{"svg": <text>, "height": <px>}`` or
``{"error": <message>}``, until its input ends (the server has stopped). It runs at a lower priority than the
server: a picture for the next time must not slow a run now.
"""

from __future__ import annotations

import json
import os
import sys

from growthsim import vega

NICENESS = 10


def serve(read=sys.stdin, write=sys.stdout) -> None:
    """Answer requests from ``read`` on ``write`` until ``read`` ends."""
    for line in read:
        try:
            request = json.loads(line)
            text, height = vega.svg(request["spec"], int(request["width"]))
            reply = {"svg": text, "height": height}
        except Exception as error:  # noqa: BLE001 - any failure is the request's: reported, the worker goes on
            reply = {"error": f"{type(error).__name__}: {error}"}
        write.write(json.dumps(reply) + "\n")
        write.flush()


if __name__ == "__main__":
    os.nice(NICENESS)
    serve()
