# make app     — set everything up and start the Streamlit app on the built-in data, for this machine only
# make app-lan — the same, served to the local network (set a [login] password in .streamlit/secrets.toml first)
# make test — set everything up and run every test, browser tests included
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
PORT   ?= 8501
# localhost: only this machine can open the app. app-lan serves every interface (see README, "Sharing").
ADDRESS ?= localhost
LAN_ADDRESS ?= 0.0.0.0
APP_FLAGS = --server.headless true --server.port $(PORT) --browser.gatherUsageStats false --client.toolbarMode viewer --runner.postScriptGC false \
            --global.disableWidgetStateDuplicationWarning true

.PHONY: setup browser app app-lan test bench bench-app clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

setup: $(STAMP)

# Debian's Chromium serves the browser tests (a test tool's own browser download fails offline);
# Debian's LibreOffice Calc (no GUI) prints the workbook to PDF in tests/app/test_workbook.py, in Carlito (the
# metrics of Calibri, the workbook's font: without it LibreOffice measured the columns in a wider font and
# scaled a sheet to 8.2 pt).
browser:
	@if ! command -v chromium >/dev/null 2>&1 || ! command -v soffice >/dev/null 2>&1 || \
		! fc-list 2>/dev/null | grep -q Carlito; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver \
			fonts-noto-cjk fonts-crosextra-carlito libreoffice-calc-nogui >/dev/null; \
	fi

app: setup
	GROWTHSIM_PREPARE=1 $(BIN)/streamlit run app/main.py --server.address $(ADDRESS) $(APP_FLAGS)

app-lan: setup
	@test -f .streamlit/secrets.toml && grep -q '^\[login\]' .streamlit/secrets.toml || \
		echo "warning: no [login] in .streamlit/secrets.toml: anyone on the network can open the app (README, Sharing)"
	GROWTHSIM_PREPARE=1 $(BIN)/streamlit run app/main.py --server.address $(LAN_ADDRESS) $(APP_FLAGS)

# ruff first: a finding (a long line, an unsorted import, a missing docstring) fails the build before the tests run
test: setup browser
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -n 2 --dist loadfile

bench: setup
	$(BIN)/pip install --quiet -e '.[bench]'  # EMA Workbench, the reference bench_sweep.py compares with
	$(BIN)/python benchmarks/bench_engine.py
	$(BIN)/python benchmarks/bench_explore.py
	$(BIN)/python benchmarks/bench_events.py
	$(BIN)/python benchmarks/bench_sweep.py

bench-app: setup browser
	$(BIN)/python benchmarks/bench_app.py

clean:
	rm -rf $(VENV) out .pytest_cache .hypothesis .ruff_cache
