"""The charts' stand-in pictures, kept per what they show: Vega's drawing on the server, made now or in the background.

A picture is a chart's Vega-Lite specification drawn by Vega on the server (:func:`growthsim.vega.svg`) as an SVG
data URL. A page lays it over the chart's place until the browser's Vega has drawn the chart (:func:`app.ui.place`).
Drawing one takes the server 0.2-0.3 s of CPU, and vl-convert holds Python's lock while it draws, so that a thread
beside the scripts would stall every session of the server: a picture is made either now, in the script (a
session's first screen, whose browser has no Vega yet), or by a worker process of its own at a lower priority,
for the next time the same chart is drawn afresh (a page switch back to a view already seen).

The worker is a process of its own (:mod:`app.picture_worker`, one JSON line each way), not a
``multiprocessing`` pool: Streamlit makes the app's script the server's ``__main__`` module, which a spawned pool
worker would import again, the whole app with it.
"""

from __future__ import annotations

import base64
import json
import queue
import subprocess
import sys
import threading
import time
from collections import OrderedDict
from collections.abc import Hashable

from growthsim import vega

Picture = tuple[str, int]  # the SVG as a data URL, and its height [px]
WORKER = [sys.executable, "-m", "growthsim.app.picture_worker"]


def as_picture(drawn: tuple[str, int]) -> Picture:
    """Vega's SVG text and height (:func:`growthsim.vega.svg`) as a picture: a base64 data URL and the height."""
    text, height = drawn
    return "data:image/svg+xml;base64," + base64.b64encode(text.encode("utf-8")).decode("ascii"), height


class Pictures:
    """The server's kept pictures (the last ``size`` drawn), and the ones its worker is drawing.

    Parameters
    ----------
    size : int
        How many pictures are kept (~20-60 KB each).
    """

    def __init__(self, size: int = 64) -> None:
        """Nothing kept yet; the worker starts with the first picture drawn in the background."""
        self.size = size
        self._kept: OrderedDict[Hashable, Picture] = OrderedDict()
        self._pending: set[Hashable] = set()
        self._jobs: queue.Queue = queue.Queue()
        self._lock = threading.Lock()
        self._drawer: threading.Thread | None = None

    def get(self, key: Hashable) -> Picture | None:
        """The picture kept under ``key``, or None."""
        with self._lock:
            found = self._kept.get(key)
            if found is not None:
                self._kept.move_to_end(key)
            return found

    def put(self, key: Hashable, picture: Picture) -> None:
        """Keep ``picture`` under ``key`` (the oldest goes when more than :attr:`size` are kept)."""
        with self._lock:
            self._kept[key] = picture
            self._kept.move_to_end(key)
            while len(self._kept) > self.size:
                self._kept.popitem(last=False)

    def draw_now(self, key: Hashable, spec: dict, width: int) -> Picture:
        """Draw the picture in this thread (the caller waits, ~0.2-0.3 s), keep it and return it.

        Parameters
        ----------
        key : Hashable
            What the picture is kept under: its chart, what the chart shows, its width.
        spec : dict
            The chart's Vega-Lite specification, its rows inline as lists.
        width : int
            The width to draw it at [px].
        """
        picture = as_picture(vega.svg(spec, width))
        self.put(key, picture)
        return picture

    def draw_later(self, key: Hashable, spec: dict, width: int) -> None:
        """Have the worker process draw the picture and keep it when done (once per key: a key being drawn or
        kept is left alone). A picture that fails is not kept: its chart is drawn by the browser as before.

        Parameters
        ----------
        key, spec, width
            As for :meth:`draw_now`.
        """
        with self._lock:
            if key in self._pending or key in self._kept:
                return
            self._pending.add(key)
            if self._drawer is None:
                self._drawer = threading.Thread(target=self._drain, daemon=True, name="growthsim-pictures")
                self._drawer.start()
        self._jobs.put((key, spec, width))

    def _drain(self) -> None:
        """The drawer thread: hand each job to the worker process and keep its picture (waiting on the worker's
        pipe leaves Python's lock to the scripts). A worker that fails is started again for the next job."""
        worker = None
        while True:
            key, spec, width = self._jobs.get()
            try:
                if worker is None or worker.poll() is not None:
                    worker = subprocess.Popen(WORKER, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                              stderr=subprocess.DEVNULL, text=True, encoding="utf-8")
                worker.stdin.write(json.dumps({"spec": spec, "width": width}) + "\n")
                worker.stdin.flush()
                reply = json.loads(worker.stdout.readline())
                if "svg" in reply:
                    self.put(key, as_picture((reply["svg"], int(reply["height"]))))
            except (OSError, ValueError):
                worker = None
            finally:
                with self._lock:
                    self._pending.discard(key)

    def wait(self, timeout: float = 60.0) -> None:
        """Wait until the pictures being drawn are kept (or failed): for tests."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            with self._lock:
                if not self._pending:
                    return
            time.sleep(0.02)
