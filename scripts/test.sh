#!/usr/bin/env bash
# Set up (virtualenv, Debian Chromium) and run every check: lint, types, unit, store, service,
# browser and notebook tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --browser
export PYTHONDONTWRITEBYTECODE=1
echo "== ruff"
.venv/bin/ruff check .
echo "== mypy (core)"
.venv/bin/mypy
echo "== pytest"
.venv/bin/pytest "$@"
