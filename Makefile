# make app  — set everything up and start the Streamlit app on the built-in data
# make test — set everything up and run every test, browser tests included
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
PORT   ?= 8501

.PHONY: setup browser app test bench bench-app clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

setup: $(STAMP)

# Debian's Chromium serves the browser tests (a test tool's own browser download fails offline);
# Debian's LibreOffice Calc (no GUI) prints the workbook to PDF in tests/app/test_workbook.py.
browser:
	@if ! command -v chromium >/dev/null 2>&1 || ! command -v soffice >/dev/null 2>&1; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver \
			fonts-noto-cjk libreoffice-calc-nogui >/dev/null; \
	fi

app: setup
	$(BIN)/streamlit run app/main.py --server.headless true --server.port $(PORT) --browser.gatherUsageStats false --client.toolbarMode viewer --runner.postScriptGC false

test: setup browser
	$(BIN)/python -m pytest

bench: setup
	$(BIN)/python benchmarks/bench_engine.py
	$(BIN)/python benchmarks/bench_explore.py
	$(BIN)/python benchmarks/bench_events.py

bench-app: setup browser
	$(BIN)/python benchmarks/bench_app.py

clean:
	rm -rf $(VENV) out .pytest_cache .hypothesis
