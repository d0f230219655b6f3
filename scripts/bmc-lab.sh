#!/usr/bin/env bash
# The emulated BMC lab's Python side: sushy-tools (a Redfish BMC emulator) and pyghmi (IPMI
# BMCs) in a virtualenv of their own, a self-signed certificate for 127.0.0.1 (fence_redfish
# speaks https only), and ipmitool for fence_ipmilan, extracted from Debian's packages into the
# virtualenv (bin/ipmitool; installing the package would start a service). Written from ../shared/emulated-bmc/FINDINGS.md.
#
#   scripts/bmc-lab.sh install   # prints PROVSPEC_BMC_VENV=... for `set -a; . file`
#
# The BMCs themselves are servers of servers/servers.toml (redfish-bmc, ipmi-bmc), started by
# the features that need them (tagged @bmc) through scripts/bmc/*.py; they listen on 127.0.0.1.
# Settings: PROVSPEC_BMC_VENV (/opt/provspec-bmc-venv).
set -euo pipefail

VENV=${PROVSPEC_BMC_VENV:-/opt/provspec-bmc-venv}
SUSHY=2.2.0
PYGHMI=1.6.19

log() { printf '[bmc-lab] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

installed() {
  "$VENV/bin/python" - "$SUSHY" "$PYGHMI" <<'PY' 2>/dev/null
import sys
from importlib.metadata import version
sys.exit(version("sushy-tools") != sys.argv[1] or version("pyghmi") != sys.argv[2])
PY
}

install() {
  if installed; then
    log "reusing $VENV (sushy-tools $SUSHY, pyghmi $PYGHMI)"
  else
    python3 -c 'import venv, ensurepip' >/dev/null 2>&1 || {
      export DEBIAN_FRONTEND=noninteractive
      apt-get install -y -qq --no-install-recommends python3-venv >/dev/null 2>&1 \
        || { apt-get update -qq >/dev/null 2>&1; apt-get install -y -qq --no-install-recommends python3-venv >/dev/null; }
    }
    log "installing sushy-tools==$SUSHY and pyghmi==$PYGHMI into $VENV"
    rm -rf "$VENV"
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q --disable-pip-version-check "sushy-tools==$SUSHY" "pyghmi==$PYGHMI" bcrypt \
      >"$VENV.pip.log" 2>&1 || { tail -n 20 "$VENV.pip.log" >&2; rm -rf "$VENV"; die "pip install failed"; }
    installed || die "sushy-tools or pyghmi is not importable from $VENV"
  fi
  if [ ! -x /usr/sbin/fence_ipmilan ]; then
    # The fake Cobbler runs the fence agent for ipmilan as cobblerd does (real-cobbler.sh
    # installs the same package).
    log "apt-get install fence-agents"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -qq --no-install-recommends fence-agents >/dev/null 2>&1 || {
      apt-get update -qq >/dev/null 2>&1
      apt-get install -y -qq --no-install-recommends fence-agents >/dev/null 2>&1 || die "apt-get install fence-agents failed"
    }
  fi
  if [ ! -x "$VENV/bin/ipmitool" ]; then
    # fence_ipmilan needs ipmitool; apt's package pulls a service, so extract it here instead.
    local debs; debs=$(mktemp -d)
    (cd "$debs" && { apt-get download ipmitool libfreeipmi17 >/dev/null 2>&1 \
      || { apt-get update -qq >/dev/null 2>&1 && apt-get download ipmitool libfreeipmi17 >/dev/null 2>&1; }; }) \
      || die "apt-get download ipmitool libfreeipmi17 failed"
    for deb in "$debs"/*.deb; do dpkg -x "$deb" "$VENV/ipmitool-root"; done
    rm -rf "$debs"
    local libdir; libdir=$(dirname "$(find "$VENV/ipmitool-root" -name 'libfreeipmi.so.17*' | head -1)")
    printf '#!/bin/sh\nLD_LIBRARY_PATH=%q exec %q "$@"\n' "$libdir" "$VENV/ipmitool-root/usr/bin/ipmitool" >"$VENV/bin/ipmitool"
    chmod +x "$VENV/bin/ipmitool"
    "$VENV/bin/ipmitool" -V >/dev/null || die "the extracted ipmitool does not run"
  fi
  if [ ! -s "$VENV/bmc.crt" ] || [ ! -s "$VENV/bmc.key" ]; then
    command -v openssl >/dev/null || die "openssl is needed for the BMCs' certificate"
    openssl req -x509 -newkey rsa:2048 -nodes -keyout "$VENV/bmc.key" -out "$VENV/bmc.crt" -days 3650 \
      -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 >/dev/null 2>&1 || die "openssl could not make a certificate"
  fi
  printf 'PROVSPEC_BMC_VENV=%q\n' "$VENV"
}

case "${1:-}" in
  install) install ;;
  *) echo "usage: $0 install" >&2; exit 2 ;;
esac
