"""How the app is served: the command ``make app`` runs, for the browser test and the benchmark.

``--runner.postScriptGC false`` skips the full garbage collection Streamlit
otherwise forces after every rerun (Python's own collector still runs); it
takes about 40% of the server's work per slider change (benchmarks/bench_app.py).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FLAGS = ("--server.headless", "true", "--browser.gatherUsageStats", "false", "--runner.postScriptGC", "false",
         "--server.fileWatcherType", "none", "--client.toolbarMode", "viewer")  # as make app: no "Deploy" button


def command(port: int, address: str = "127.0.0.1") -> list[str]:
    """``streamlit run app/main.py`` on ``address:port`` (run it with ``cwd=ROOT``)."""
    streamlit = Path(sys.executable).with_name("streamlit")
    return [str(streamlit), "run", "app/main.py", "--server.port", str(port), "--server.address", address, *FLAGS]
