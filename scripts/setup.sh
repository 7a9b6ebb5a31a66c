#!/usr/bin/env bash
# Set up what this project needs on a fresh Debian machine: a virtualenv holding the package and
# its Python dependencies (from PyPI) with JupyterLab for `thera lab`, and with --browser Debian's Chromium for the browser tests.
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
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -e '.[dev,lab]'
  echo "$wanted" > "$stamp"
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
