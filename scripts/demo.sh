#!/usr/bin/env bash
# Set up, generate the sample practice (first run only) and serve the apps.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/thera demo "$@"
