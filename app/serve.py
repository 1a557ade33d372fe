"""How the app is served: the command ``make app`` runs, for the browser test and the benchmark.

``--runner.postScriptGC false`` skips the full garbage collection Streamlit
otherwise forces after every rerun (Python's own collector still runs); it
takes about 40% of the server's work per slider change (benchmarks/bench_app.py).
``--global.disableWidgetStateDuplicationWarning true``: the editor's sliders are seeded through the session
state and also given that value (``app/controls.py::_control``, which spares Streamlit a read of the whole
session state per slider), a combination Streamlit otherwise logs, with a stack, once per server.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FLAGS = ("--server.headless", "true", "--browser.gatherUsageStats", "false", "--runner.postScriptGC", "false",
         "--server.fileWatcherType", "none", "--client.toolbarMode", "viewer",  # as make app: no "Deploy" button
         "--global.disableWidgetStateDuplicationWarning", "true")


def command(port: int, address: str = "127.0.0.1") -> list[str]:
    """``streamlit run app/main.py`` on ``address:port`` (run it with ``cwd=ROOT``)."""
    streamlit = Path(sys.executable).with_name("streamlit")
    return [str(streamlit), "run", "app/main.py", "--server.port", str(port), "--server.address", address, *FLAGS]


def environment(**extra: str) -> dict[str, str]:
    """The served app's environment, as ``make app`` sets it: the server prepares the slow pages' defaults at its
    start (GROWTHSIM_PREPARE=1: the sensitivity indices, in the background)."""
    return dict(os.environ, GROWTHSIM_PREPARE="1", **extra)


def free_port() -> int:
    """A free TCP port on the loopback interface."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(url: str, proc: subprocess.Popen, seconds: float = 90) -> None:
    """Wait until the app at ``url`` answers its health check; raise if ``proc`` exits or time runs out.

    Parameters
    ----------
    url : str
        The app's address.
    proc : subprocess.Popen
        The server's process.
    seconds : float
        Time allowed [s].
    """
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
                if r.read().strip() == b"ok":
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"{url} did not answer within {seconds}s")


def stop(proc: subprocess.Popen) -> None:
    """Stop a served app: terminate, and kill it if it has not exited within 15 s."""
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=15)
