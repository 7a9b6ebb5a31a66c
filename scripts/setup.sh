#!/usr/bin/env bash
# Set up what this project needs on a fresh Debian machine: a virtualenv holding the package and
# its Python dependencies (from PyPI), and with --browser Debian's Chromium for the browser tests.
# Safe to run again: it only installs what is missing or changed.
set -euo pipefail
cd "$(dirname "$0")/.."

python=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv"
  "$python" -m venv .venv
fi

stamp=.venv/.thera-installed
wanted=$(sha256sum pyproject.toml | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$wanted" ]; then
  echo "setup: installing Python packages (a minute or two the first time)"
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
  echo "$wanted" > "$stamp"
fi

# The browser side: esbuild and axe-core from the npm registry (versions pinned in
# package-lock.json), then the calendar's bundle, which the server serves itself (no CDN).
if ! command -v npm >/dev/null; then
  echo "setup: npm is missing; install Debian's npm (apt-get install npm) as root" >&2
  exit 1
fi
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules ]; then
  echo "setup: installing esbuild and axe-core from the npm registry"
  npm ci --no-audit --no-fund --loglevel=error
  touch node_modules
fi
bundle=dashboards/scheduler/WeekGrid.bundle.js
if [ ! -f "$bundle" ] || [ dashboards/scheduler/week_grid.js -nt "$bundle" ] \
   || [ dashboards/scheduler/week_grid.py -nt "$bundle" ]; then
  echo "setup: bundling the week calendar (FullCalendar from the npm registry)"
  rm -f "$bundle"
  # panel compile may exit 1 after writing the bundle: the file is the test.
  PATH="$PWD/node_modules/.bin:$PATH" .venv/bin/panel compile dashboards/scheduler/week_grid.py \
    >/dev/null 2>&1 || true
  if [ ! -s "$bundle" ]; then
    echo "setup: building $bundle failed; run: PATH=node_modules/.bin:\$PATH" \
         ".venv/bin/panel compile dashboards/scheduler/week_grid.py" >&2
    exit 1
  fi
fi

if [ "${1:-}" = "--browser" ]; then
  chromium=${THERA_CHROMIUM:-/usr/bin/chromium}
  if [ ! -x "$chromium" ]; then
    if [ "$(id -u)" != 0 ]; then
      echo "setup: $chromium is missing; install Debian's chromium (apt-get install chromium) as root" >&2
      exit 1
    fi
    echo "setup: installing Debian's chromium for the browser tests"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq chromium >/dev/null
  fi
fi
