#!/usr/bin/env bash
# Install everything Kyoso needs on Debian 12 with Python 3.11: Debian packages
# (only those missing) and the Python packages into .venv.
#   scripts/setup.sh          what `make run` needs
#   scripts/setup.sh --test   plus what `make test` needs (chromium, PostgreSQL, fonts)
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-run}
python=${PYTHON:-python3}

# gettext: compilemessages; pango and the Noto CJK fonts: PDF invoices in Japanese.
debs=(gettext libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-cjk)
if [ "$mode" = "--test" ]; then
  debs+=(chromium postgresql)
  # The Nu HTML checker (tests/html_check.py) runs on Java and comes from npm (package.json).
  command -v java >/dev/null 2>&1 || debs+=(default-jre-headless)
  command -v npm >/dev/null 2>&1 || debs+=(npm)
fi
missing=()
for deb in "${debs[@]}"; do
  dpkg -s "$deb" >/dev/null 2>&1 || missing+=("$deb")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo=sudo
  echo "Installing Debian packages: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ ! -x .venv/bin/python ]; then
  "$python" -m venv .venv
fi
reqs=(requirements.txt)
[ "$mode" = "--test" ] && reqs+=(requirements-dev.txt)
want=$(cat "${reqs[@]}" | sha256sum | cut -d' ' -f1)
stamp=".venv/.installed-${mode#--}"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "Installing Python packages from ${reqs[*]}"
  .venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip >/dev/null
  args=()
  for r in "${reqs[@]}"; do args+=(-r "$r"); done
  .venv/bin/python -m pip install -q --disable-pip-version-check "${args[@]}"
  echo "$want" >"$stamp"
fi

# The test tools from npm (package-lock.json), into node_modules/: the vnu.jar
# ships inside the package, so its install script (which would fetch a Java
# runtime) is not run.
if [ "$mode" = "--test" ]; then
  lock=$(sha256sum package-lock.json | cut -d' ' -f1)
  if [ ! -f node_modules/.installed ] || [ "$(cat node_modules/.installed)" != "$lock" ]; then
    echo "Installing npm packages from package-lock.json"
    npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
    echo "$lock" >node_modules/.installed
  fi
fi

# Interface translations are compiled, not committed.
.venv/bin/python manage.py compilemessages --ignore=.venv --ignore=node_modules -v0
