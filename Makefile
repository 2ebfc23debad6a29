# Two entry points (see README): `make demo` and `make test`. Both create .venv on first use
# and install the pinned dependencies of requirements.lock, then the project itself.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint clean browser

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/storyline analyze examples/articles --db storyline.db --json storyline.json --report report.html

test: $(STAMP) browser
	$(BIN)/pytest -q

# The browser tests drive Debian's Chromium; install it when missing and we may (root).
browser:
	@command -v chromium >/dev/null || { [ "$$(id -u)" = 0 ] && \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) \
		|| echo "chromium is not installed: the browser tests will be skipped"; }

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks

clean:
	rm -rf $(VENV) storyline.db storyline.db-* storyline.json report.html
