#!/usr/bin/env bash
# provspec's own real OpenStack Ironic 39.0.0 for tests: install it from PyPI into a cached
# virtualenv, start the all-in-one `ironic` process (API and conductor together) on 127.0.0.1
# with a fresh sqlite DB, wait until it serves the fake-hardware driver, and stop it again by the
# process group it recorded. Written from ../shared/real-ironic/FINDINGS.md.
#
#   scripts/real-ironic.sh start   # prints IRONIC_URL=..., IRONIC_VENV=... (and for http_basic
#                                  # IRONIC_USER=..., IRONIC_PASSWORD=...) for `set -a; . file`
#   scripts/real-ironic.sh stop    # stops only what `start` started; fine to call twice
#
# The server: sqlite, no keystone (noauth or http_basic), no message broker (rpc_transport none),
# fake-hardware with fake/noop interfaces only, automated cleaning off.
# A second `start` while ours runs with the same auth prints the same lines again (DB kept);
# with another auth it fails: `stop` first. Logs go to stderr, prefixed [real-ironic].
#
# Settings:
#   PROVSPEC_IRONIC_VENV           virtualenv, reused when it holds ironic 39.0.0 (/opt/provspec-ironic-venv)
#   PROVSPEC_IRONIC_RUN            state dir: config, DB, logs, pid (/tmp/provspec-ironic)
#   PROVSPEC_IRONIC_PORT           API port on 127.0.0.1 (6386, so never a developer's 6385)
#   PROVSPEC_IRONIC_AUTH           noauth | http_basic (noauth)
#   PROVSPEC_IRONIC_USER           http_basic user (admin)
#   PROVSPEC_IRONIC_PASSWORD       http_basic password (default: a new random one at every start)
#   PROVSPEC_IRONIC_FAKE_DELAY     seconds the fake power/boot/deploy calls sleep, "2" or "1,3" (none)
#   PROVSPEC_IRONIC_REDFISH        1: also enable the redfish power and management interfaces
#                                  (for nodes powered by an emulated BMC, features tagged @bmc), one
#                                  connection attempt to a BMC, 1 s apart (empty: fake/noop only)
#   PROVSPEC_IRONIC_START_TIMEOUT  seconds to wait until ready (90)
#   PROVSPEC_IRONIC_PYTHON         python >= 3.11 to build the venv (first of python3.13..python3)
set -euo pipefail

VERSION=39.0.0
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CONSTRAINTS="$HERE/ironic-constraints.txt"
VENV=${PROVSPEC_IRONIC_VENV:-/opt/provspec-ironic-venv}
RUN=${PROVSPEC_IRONIC_RUN:-/tmp/provspec-ironic}
PORT=${PROVSPEC_IRONIC_PORT:-6386}
AUTH=${PROVSPEC_IRONIC_AUTH:-noauth}
USER_NAME=${PROVSPEC_IRONIC_USER:-admin}
DELAY=${PROVSPEC_IRONIC_FAKE_DELAY:-}
REDFISH=${PROVSPEC_IRONIC_REDFISH:-}
START_TIMEOUT=${PROVSPEC_IRONIC_START_TIMEOUT:-90}
URL="http://127.0.0.1:${PORT}"
PIDFILE="$RUN/ironic.pid"
ENVFILE="$RUN/ironic.env"   # what `start` printed, for a second `start`; mode 600 (it may hold the password)

log() { printf '[real-ironic] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

alive() { # $1 = pid; zombies count as dead
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  stat=${stat##*) }
  [ "${stat%% *}" != Z ]
}

group_members() { # $1 = process group id; prints the pids of its live (non-zombie) members
  awk -v pg="$1" '{ s = $0; sub(/^.*\) /, "", s); split(s, f, " ");
                    if (f[3] == pg && f[1] != "Z") { p = FILENAME; gsub(/[^0-9]/, "", p); print p } }' \
    /proc/[0-9]*/stat 2>/dev/null || true
}

ours() { # $1 = pid; true when it is the ironic we started (leader of its own group, our config)
  alive "$1" || return 1
  local stat; stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  stat=${stat##*) }
  [ "$(echo "$stat" | awk '{print $3}')" = "$1" ] || return 1
  tr '\0' ' ' < "/proc/$1/cmdline" 2>/dev/null | grep -qF -- "$RUN/ironic.conf"
}

port_busy() { # exit 0 when something accepts TCP connections on 127.0.0.1:$PORT
  python3 - "$PORT" <<'PY' >/dev/null 2>&1
import socket, sys
s = socket.socket()
s.settimeout(1)
sys.exit(0 if s.connect_ex(("127.0.0.1", int(sys.argv[1]))) == 0 else 1)
PY
}

ready() { # exit 0 when GET /v1/drivers lists fake-hardware (with the credentials, if any)
  IRONIC_U="${USER_NAME}" IRONIC_P="${PASSWORD:-}" IRONIC_A="$AUTH" python3 - "$URL" <<'PY' >/dev/null 2>&1
import base64, json, os, sys, urllib.request
req = urllib.request.Request(sys.argv[1] + "/v1/drivers",
                             headers={"X-OpenStack-Ironic-API-Version": "1.115"})
if os.environ["IRONIC_A"] == "http_basic":
    token = base64.b64encode(("%s:%s" % (os.environ["IRONIC_U"], os.environ["IRONIC_P"])).encode()).decode()
    req.add_header("Authorization", "Basic " + token)
with urllib.request.urlopen(req, timeout=2) as resp:
    names = [d["name"] for d in json.load(resp)["drivers"]]
sys.exit(0 if "fake-hardware" in names else 1)
PY
}

pick_python() {
  local c
  if [ -n "${PROVSPEC_IRONIC_PYTHON:-}" ]; then PY=$PROVSPEC_IRONIC_PYTHON; return; fi
  for c in python3.13 python3.12 python3.11 python3; do
    if command -v "$c" >/dev/null && "$c" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
      PY=$(command -v "$c"); return
    fi
  done
  die "ironic $VERSION needs Python >= 3.11; found $(python3 --version 2>&1 || echo no python3)"
}

installed() { # exit 0 when $VENV holds ironic $VERSION and its `ironic` command
  [ -x "$VENV/bin/ironic" ] && [ -x "$VENV/bin/ironic-dbsync" ] &&
    "$VENV/bin/python" -c 'import sys; from importlib.metadata import version; sys.exit(version("ironic") != sys.argv[1])' \
      "$VERSION" 2>/dev/null
}

install() {
  if installed; then
    log "reusing $VENV (ironic $VERSION)"
    return
  fi
  pick_python
  "$PY" -c 'import sys; sys.exit(sys.version_info < (3, 11))' || die "$PY is older than 3.11"
  if ! "$PY" -c 'import venv, ensurepip' >/dev/null 2>&1; then
    log "apt-get install python3-venv (ensurepip is missing)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -qq --no-install-recommends python3-venv >"$RUN/apt.log" 2>&1 || {
      apt-get update -qq >>"$RUN/apt.log" 2>&1
      apt-get install -y -qq --no-install-recommends python3-venv >>"$RUN/apt.log" 2>&1 \
        || die "apt-get install python3-venv failed; see $RUN/apt.log"
    }
  fi
  if [ -e "$VENV" ] && [ -n "$(ls -A "$VENV" 2>/dev/null)" ] && [ ! -f "$VENV/pyvenv.cfg" ]; then
    die "$VENV exists and is not a virtualenv; set PROVSPEC_IRONIC_VENV elsewhere"
  fi
  [ -f "$CONSTRAINTS" ] || die "missing $CONSTRAINTS"
  local started=$SECONDS
  log "installing ironic==$VERSION into $VENV with $(basename "$CONSTRAINTS") (about 30 s; log: $RUN/pip.log)"
  rm -rf "$VENV"
  "$PY" -m venv "$VENV" >"$RUN/pip.log" 2>&1 || { tail -n 20 "$RUN/pip.log" >&2; die "$PY -m venv $VENV failed"; }
  if ! "$VENV/bin/pip" install --disable-pip-version-check -c "$CONSTRAINTS" "ironic==$VERSION" >>"$RUN/pip.log" 2>&1; then
    tail -n 20 "$RUN/pip.log" >&2
    rm -rf "$VENV"   # no half-installed venv for the next start to trust
    die "pip install ironic==$VERSION failed; see $RUN/pip.log"
  fi
  installed || die "ironic $VERSION is still not importable from $VENV"
  log "installed ironic $VERSION in $((SECONDS - started)) s ($(du -sh "$VENV" 2>/dev/null | cut -f1))"
}

configure() {
  # A fresh, empty DB at every start.
  rm -f "$RUN"/ironic.sqlite "$RUN"/ironic.sqlite-* "$RUN/ironic.log" "$RUN/ironic.out" "$RUN/htpasswd"
  mkdir -p "$RUN/locks"
  local auth_lines="auth_strategy = $AUTH"
  if [ "$AUTH" = http_basic ]; then
    # Ironic accepts only bcrypt entries; hash with the venv's bcrypt (rounds=4: fast, loopback only).
    (umask 077; IRONIC_U="$USER_NAME" IRONIC_P="$PASSWORD" "$VENV/bin/python" -c '
import os, bcrypt
print(os.environ["IRONIC_U"] + ":" + bcrypt.hashpw(os.environ["IRONIC_P"].encode(), bcrypt.gensalt(rounds=4)).decode())
' > "$RUN/htpasswd") || die "could not write $RUN/htpasswd"
    auth_lines="$auth_lines
http_basic_auth_user_file = $RUN/htpasswd"
  fi
  local fake_lines=""
  if [ -n "$DELAY" ]; then
    fake_lines="[fake]
power_delay = $DELAY
boot_delay = $DELAY
deploy_delay = $DELAY"
  fi
  local power_interfaces=fake management_interfaces=fake redfish_lines=""
  if [ -n "$REDFISH" ]; then
    # ../shared/emulated-bmc/FINDINGS.md: fake-hardware takes the redfish interfaces too.
    power_interfaces=fake,redfish
    management_interfaces=fake,redfish
    redfish_lines="[redfish]
connection_attempts = 1
connection_retry_interval = 1"
  fi
  # Without explicit enabled_* lists the defaults (ipmi, redfish, ipxe, direct...) load and start-up fails.
  cat > "$RUN/ironic.conf" <<EOF
[DEFAULT]
# The conductor's host name shows in answers (conductor, reservation, "locked by host …");
# the fake Ironic answers with the same one.
host = ironic-local
$auth_lines
rpc_transport = none
use_stderr = false
log_file = $RUN/ironic.log
debug = false
enabled_hardware_types = fake-hardware
enabled_bios_interfaces = fake,no-bios
enabled_boot_interfaces = fake
enabled_console_interfaces = fake,no-console
enabled_deploy_interfaces = fake
enabled_firmware_interfaces = fake,no-firmware
enabled_inspect_interfaces = fake,no-inspect
enabled_management_interfaces = $management_interfaces
enabled_network_interfaces = noop
enabled_power_interfaces = $power_interfaces
enabled_raid_interfaces = fake,no-raid
enabled_rescue_interfaces = fake,no-rescue
enabled_storage_interfaces = noop
enabled_vendor_interfaces = fake,no-vendor
default_deploy_interface = fake
default_network_interface = noop
minimum_memory_warning_only = true

[api]
host_ip = 127.0.0.1
port = $PORT
api_workers = 1

[conductor]
automated_clean = false

[database]
connection = sqlite:///$RUN/ironic.sqlite

[dhcp]
dhcp_provider = none

[oslo_concurrency]
lock_path = $RUN/locks

$fake_lines

$redfish_lines
EOF
  local started=$SECONDS
  "$VENV/bin/ironic-dbsync" --config-file "$RUN/ironic.conf" create_schema >"$RUN/dbsync.log" 2>&1 \
    || { tail -n 30 "$RUN/dbsync.log" >&2; die "ironic-dbsync create_schema failed; see $RUN/dbsync.log"; }
  log "created an empty schema in $RUN/ironic.sqlite ($((SECONDS - started)) s)"
}

print_env() {
  (umask 077; {
    printf 'IRONIC_URL=%q\nIRONIC_VENV=%q\n' "$URL" "$VENV"
    if [ "$AUTH" = http_basic ]; then printf 'IRONIC_USER=%q\nIRONIC_PASSWORD=%q\n' "$USER_NAME" "$PASSWORD"; fi
  } > "$ENVFILE.new")
  printf 'AUTH=%s\n' "$AUTH" > "$RUN/ironic.auth"
  mv "$ENVFILE.new" "$ENVFILE"
  cat "$ENVFILE"
}

start() {
  case "$AUTH" in noauth|http_basic) ;; *) die "PROVSPEC_IRONIC_AUTH must be noauth or http_basic, not '$AUTH'";; esac
  (umask 077; mkdir -p "$RUN")
  if [ -s "$PIDFILE" ] && ours "$(cat "$PIDFILE")"; then
    local was; was=$(sed -n 's/^AUTH=//p' "$RUN/ironic.auth" 2>/dev/null || true)
    if [ "$was" = "$AUTH" ] && [ -s "$ENVFILE" ] && ready_as_recorded; then
      log "already running (pid $(cat "$PIDFILE"), auth $AUTH) on $URL; DB kept; \`stop\` first for a fresh one"
      cat "$ENVFILE"
      return
    fi
    die "an ironic started by this script runs (pid $(cat "$PIDFILE"), auth ${was:-?}); run \`$0 stop\` first"
  fi
  if [ -s "$PIDFILE" ] && [ -n "$(group_members "$(cat "$PIDFILE")")" ]; then
    die "processes of an earlier start (process group $(cat "$PIDFILE")) still run; run \`$0 stop\` first"
  fi
  rm -f "$PIDFILE" "$ENVFILE" "$RUN/ironic.auth"
  port_busy && die "something that this script did not start listens on 127.0.0.1:$PORT (address in use); set PROVSPEC_IRONIC_PORT"
  local started=$SECONDS
  install
  if [ "$AUTH" = http_basic ]; then
    PASSWORD=${PROVSPEC_IRONIC_PASSWORD:-$(python3 -c 'import secrets; print(secrets.token_hex(16))')}
  else
    PASSWORD=""
  fi
  configure
  # setsid: its own session and process group, so `stop` ends the master and its forked worker
  # together. setsid forks when it is already a group leader, so the child records its own pid
  # ($$ stays the same through exec) rather than trusting $!.
  rm -f "$PIDFILE.new"
  setsid bash -c 'echo $$ > "$1"; exec "$2" --config-file "$3"' _ \
    "$PIDFILE.new" "$VENV/bin/ironic" "$RUN/ironic.conf" >"$RUN/ironic.out" 2>&1 </dev/null &
  local launcher=$! pid="" deadline=$((SECONDS + START_TIMEOUT))
  for _ in $(seq 100); do [ -s "$PIDFILE.new" ] && break; sleep 0.05; done
  [ -s "$PIDFILE.new" ] || { kill "$launcher" 2>/dev/null || true; die "the ironic process did not start"; }
  pid=$(cat "$PIDFILE.new"); mv "$PIDFILE.new" "$PIDFILE"
  log "started ironic (pid and process group $pid); log: $RUN/ironic.log"
  until ready; do
    if ! alive "$pid"; then
      tail -n 40 "$RUN/ironic.out" "$RUN/ironic.log" >&2 2>/dev/null || true
      rm -f "$PIDFILE"
      die "ironic exited during start-up; see $RUN/ironic.log"
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      tail -n 40 "$RUN/ironic.out" "$RUN/ironic.log" >&2 2>/dev/null || true
      stop
      die "ironic did not serve fake-hardware on $URL/v1/drivers within ${START_TIMEOUT}s"
    fi
    sleep 0.2
  done
  log "ironic $VERSION (pid $pid, auth $AUTH) ready on $URL after $((SECONDS - started)) s"
  print_env
}

ready_as_recorded() { # ready() with the credentials of the running instance
  ( IRONIC_USER="" IRONIC_PASSWORD=""; . "$ENVFILE"; USER_NAME=$IRONIC_USER PASSWORD=$IRONIC_PASSWORD ready )
}

stop() {
  if [ ! -s "$PIDFILE" ]; then
    log "nothing to stop (no ironic started by this script in $RUN)"
    rm -f "$ENVFILE"
    return 0
  fi
  local pid members
  pid=$(cat "$PIDFILE")
  if ! ours "$pid" && [ -z "$(group_members "$pid")" ]; then
    log "ironic (pid $pid) was no longer running"
    rm -f "$PIDFILE" "$ENVFILE" "$RUN/ironic.auth"
    return 0
  fi
  if ! ours "$pid"; then
    # The master is gone but its group lives on: only end it if every member runs our config.
    for m in $(group_members "$pid"); do
      tr '\0' ' ' < "/proc/$m/cmdline" 2>/dev/null | grep -qF -- "$RUN/ironic.conf" || {
        log "process group $pid now holds pid $m, which is not ours; leaving it alone"
        rm -f "$PIDFILE" "$ENVFILE" "$RUN/ironic.auth"; return 0; }
    done
  fi
  kill -TERM -- "-$pid" 2>/dev/null || true
  for _ in $(seq 100); do [ -z "$(group_members "$pid")" ] && break; sleep 0.1; done
  members=$(group_members "$pid")
  if [ -n "$members" ]; then
    log "process group $pid ignored SIGTERM for 10 s (pids $(echo $members)); sending SIGKILL"
    kill -KILL -- "-$pid" 2>/dev/null || true
    for _ in $(seq 50); do [ -z "$(group_members "$pid")" ] && break; sleep 0.1; done
    [ -z "$(group_members "$pid")" ] || die "process group $pid survived SIGKILL"
  fi
  log "stopped ironic (process group $pid)"
  rm -f "$PIDFILE" "$ENVFILE" "$RUN/ironic.auth"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
