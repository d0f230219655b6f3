#!/usr/bin/env bash
# The readers CI checks provspec's reports with, as their users read them: junitparser and
# xmlschema (with schemas/junit-10.xsd, the JUnit schema of Jenkins' xunit plugin) for the JUnit
# XML, cucumber-html-reporter and multiple-cucumber-html-reporter for the Cucumber JSON (the
# second wants Node.js 22 and runs on this machine's 20 with npm's warning), and Debian's Chromium driven by
# playwright-core for the HTML report. Versions are pinned in scripts/report-readers/.
#
#   scripts/report-readers.sh install   # prints PROVSPEC_REPORT_PYTHON=..., PROVSPEC_REPORT_NODE_PATH=...,
#                                       # PROVSPEC_CHROMIUM=... for `set -a; . file`
#
# Settings: PROVSPEC_REPORT_VENV (/opt/provspec-report-venv), PROVSPEC_REPORT_NPM
# (/opt/provspec-report-npm).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PINS="$HERE/report-readers"
VENV=${PROVSPEC_REPORT_VENV:-/opt/provspec-report-venv}
NPM_DIR=${PROVSPEC_REPORT_NPM:-/opt/provspec-report-npm}

log() { printf '[report-readers] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

apt_install() {
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq --no-install-recommends "$@" >/dev/null 2>&1 || {
    apt-get update -qq >/dev/null 2>&1
    apt-get install -y -qq --no-install-recommends "$@" >/dev/null 2>&1 || die "apt-get install $* failed"
  }
}

install_python() {
  if [ -x "$VENV/bin/python" ] && cmp -s "$PINS/requirements.txt" "$VENV/provspec-requirements.txt"; then
    log "reusing $VENV"
    return
  fi
  python3 -c 'import venv, ensurepip' >/dev/null 2>&1 || apt_install python3-venv
  log "installing $(grep -v '^#' "$PINS/requirements.txt" | tr '\n' ' ')into $VENV"
  rm -rf "$VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q --disable-pip-version-check -r "$PINS/requirements.txt" >"$VENV.pip.log" 2>&1 \
    || { tail -n 20 "$VENV.pip.log" >&2; rm -rf "$VENV"; die "pip install failed"; }
  cp "$PINS/requirements.txt" "$VENV/provspec-requirements.txt"
}

install_node() {
  command -v npm >/dev/null || die "npm is not on PATH (Node.js and npm come with the machine)"
  if [ -d "$NPM_DIR/node_modules" ] && cmp -s "$PINS/package-lock.json" "$NPM_DIR/package-lock.json"; then
    log "reusing $NPM_DIR"
    return
  fi
  log "npm ci cucumber-html-reporter, multiple-cucumber-html-reporter and playwright-core into $NPM_DIR"
  rm -rf "$NPM_DIR"
  mkdir -p "$NPM_DIR"
  cp -r "$PINS/package.json" "$PINS/package-lock.json" "$PINS/env-interpolation-absent" "$NPM_DIR/"
  # playwright-core drives the machine's Chromium: no browser download.
  (cd "$NPM_DIR" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund >"$NPM_DIR.npm.log" 2>&1) \
    || { tail -n 20 "$NPM_DIR.npm.log" >&2; rm -rf "$NPM_DIR"; die "npm ci failed"; }
}

install_chromium() {
  if [ -x /usr/bin/chromium ]; then
    log "reusing /usr/bin/chromium"
  else
    log "apt-get install chromium"
    apt_install chromium
  fi
}

case "${1:-}" in
  install)
    install_python
    install_node
    install_chromium
    echo "PROVSPEC_REPORT_PYTHON=$VENV/bin/python"
    echo "PROVSPEC_REPORT_NODE_PATH=$NPM_DIR/node_modules"
    echo "PROVSPEC_CHROMIUM=/usr/bin/chromium"
    ;;
  *) echo "usage: $0 install" >&2; exit 2 ;;
esac
