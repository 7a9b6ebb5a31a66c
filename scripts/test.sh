#!/usr/bin/env bash
# Set up (virtualenv, Debian Chromium, PostgreSQL, nginx) and run every check: lint, types, unit,
# store, service (on DuckDB and on a throwaway PostgreSQL cluster), deployment (nginx), browser
# and notebook tests.
# Arguments go to pytest (e.g. `bash scripts/test.sh tests/service -x` for a quick run).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --browser --postgres --nginx
export PYTHONDONTWRITEBYTECODE=1
echo "== ruff"
.venv/bin/ruff check .
echo "== mypy (core and thera_app)"
.venv/bin/mypy
echo "== pytest"
.venv/bin/pytest "$@"
