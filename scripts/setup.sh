#!/usr/bin/env bash
# Set up what this project needs on a fresh Debian machine: a virtualenv holding the package and
# its Python dependencies (from PyPI) with JupyterLab for `thera lab`; with --browser Debian's
# Chromium for the browser tests, with --postgres Debian's PostgreSQL server (the tests start
# throwaway clusters of it), with --nginx Debian's nginx (the deployment test runs it in front of
# two servers).
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

apt_install() {  # apt_install PACKAGE WHY
  if [ "$(id -u)" != 0 ]; then
    echo "setup: $2 is missing; install Debian's $1 (apt-get install $1) as root" >&2
    exit 1
  fi
  echo "setup: installing Debian's $1 for $2"
  export DEBIAN_FRONTEND=noninteractive
  if [ -z "${apt_updated:-}" ]; then
    apt-get update -qq >/dev/null
    apt_updated=1
  fi
  apt-get install -y -qq "$1" >/dev/null
}

for flag in "$@"; do
  case "$flag" in
    --browser)
      chromium=${THERA_CHROMIUM:-/usr/bin/chromium}
      [ -x "$chromium" ] || apt_install chromium "the browser tests"
      ;;
    --postgres)
      pg_bin=${THERA_PG_BIN:-/usr/lib/postgresql/15/bin}
      [ -x "$pg_bin/initdb" ] || apt_install postgresql "the PostgreSQL tests"
      ;;
    --nginx)
      # Installed only: the test runs its own nginx as a child (Debian's service stays off).
      [ -x "${THERA_NGINX:-/usr/sbin/nginx}" ] || apt_install nginx "the deployment test"
      ;;
    *)
      echo "setup: unknown option $flag (use --browser, --postgres, --nginx)" >&2
      exit 2
      ;;
  esac
done
