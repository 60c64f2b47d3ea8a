# Two commands do all set-up: `make run` (the portal on http://127.0.0.1:8000) and `make test`.
# Dependencies come from uv.lock (exact versions), installed by uv, itself pinned and bootstrapped below
# from python3 alone.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
STAMP := $(VENV)/.installed

UV_VERSION := 0.13.9
TOOLS := .venv-tools
UV := $(TOOLS)/bin/uv
UV_STAMP := $(TOOLS)/.uv-$(UV_VERSION)
# uv uses this machine's Python (never downloads one) and installs into .venv.
export UV_PYTHON := $(PYTHON)
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)

# make test-pg: the PostgreSQL-only tests; `make test-pg TEST_PG_SELECT=` runs the whole suite there.
TEST_PG_SELECT ?= -m postgres

.PHONY: run test test-pg prerequisites install compiled-messages lint bench messages check-compose clean

# uv, pinned, in .venv-tools/: by the machine's pip (--target) when python3 has one, else in a small venv
# (python3 -m venv + pip). Nothing else is needed on the machine.
$(UV_STAMP):
	@rm -rf $(TOOLS) && mkdir -p $(TOOLS) && echo '*' > $(TOOLS)/.gitignore
	@echo "Installation de uv $(UV_VERSION) dans $(TOOLS)/"
	@$(PYTHON) -m pip install --quiet --disable-pip-version-check --target $(TOOLS) "uv==$(UV_VERSION)" 2>/dev/null \
	|| { $(PYTHON) -m venv $(TOOLS)/venv \
	     || { echo "« $(PYTHON) -m venv » a échoué : installez python3-venv (apt-get install python3-venv)." >&2; exit 1; }; \
	     $(TOOLS)/venv/bin/python -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)" \
	     && mkdir -p $(TOOLS)/bin && ln -sf ../venv/bin/uv $(UV); }
	@$(UV) --version >/dev/null
	@touch $@

# Reinstall only when uv.lock or pyproject.toml changed since the last install. --locked: exactly the
# locked versions, and a stop if pyproject.toml changed without `uv lock`.
$(STAMP): uv.lock pyproject.toml $(UV_STAMP)
	$(UV) sync --locked --extra dev --quiet
	touch $(STAMP)

install: $(STAMP)

run: install compiled-messages
	@# migrate then seed_demo in one process: one Django start-up instead of two.
	$(PY) manage.py shell --no-startup --no-imports \
		-c "from django.core.management import call_command as c; c('migrate', interactive=False); c('seed_demo')"
	@echo "Double authentification des agents désactivée en démonstration (STAFF_MFA_REQUIRED=false) ; obligatoire en production."
	@echo ""
	@echo "Portail : http://127.0.0.1:$(PORT)/   (Ctrl+C pour arrêter)"
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

# The .mo of every .po, by msgfmt (what compilemessages runs), only when the .po changed: no Django start-up.
PO_FILES := $(shell find . \( -name .venv -o -name $(TOOLS) -o -name .git -o -name node_modules \) -prune \
	-o -path '*/LC_MESSAGES/*.po' -print 2>/dev/null)
%.mo: %.po
	msgfmt --check-format -o $@ $< || echo "msgfmt absent (paquet gettext) : $@ non compilé, textes d'origine affichés."

compiled-messages: $(PO_FILES:.po=.mo)

# System programs the suite needs (pdftotext, Pango, msgfmt, Chromium): installed by apt-get when we may,
# else one line says how.
prerequisites:
	@bash .ci/prerequisites

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	DJANGO_SETTINGS_MODULE=bethune_portal.settings.test $(PY) manage.py makemigrations --check --dry-run

test: prerequisites lint
	$(VENV)/bin/pytest $(PYTEST_ARGS)

test-pg: prerequisites install
	@bash .ci/test-pg $(TEST_PG_SELECT) $(PYTEST_ARGS)

bench: install
	$(PY) -m benchmarks $(BENCH_ARGS)

messages: install
	$(PY) manage.py makemessages -l fr --ignore=.venv --ignore=$(TOOLS) --ignore=staticfiles
	$(PY) manage.py compilemessages --ignore=.venv --ignore=$(TOOLS)

check-compose:
	docker-compose -f docker-compose.yml config -q

clean:
	rm -rf $(VENV) $(TOOLS) staticfiles .pytest_cache
