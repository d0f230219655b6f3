#!/usr/bin/env bash
# provspec's own real Cobbler 3.3.10 for tests: install (apt + PyPI into a virtualenv), start
# cobblerd on 127.0.0.1, wait until it answers, and stop it again by the PID it recorded.
# Written from ../shared/real-cobbler/FINDINGS.md.
#
#   scripts/real-cobbler.sh start   # prints COBBLER_URL=..., COBBLER_USER=..., COBBLER_PASSWORD=...
#   scripts/real-cobbler.sh stop    # stops only what `start` started
#
# Needs root: cobblerd hard-codes /etc/cobbler, /var/lib/cobbler, /var/www/cobbler, /srv/tftpboot.
# If a Cobbler already answers on the port, it is used as it is and `stop` leaves it running.
# Settings: PROVSPEC_COBBLER_VENV (/opt/provspec-cobbler-venv), PROVSPEC_COBBLER_RUN (/tmp/provspec-cobbler),
# PROVSPEC_COBBLER_PORT (25151), PROVSPEC_COBBLER_START_TIMEOUT (60 s), PROVSPEC_COBBLER_PASSWORD
# (cobbler; CI gives a random one, so that it can look for it in every output).
# cobblerd's own settings: /etc/cobbler/settings.yaml is written whole at every start, from the
# settings the embedded fake has (support/cobbler/fake/recorded/settings.json), never taken as found;
# three of them can be the server's own: PROVSPEC_COBBLER_HTTP_PORT (80), PROVSPEC_COBBLER_SERVER
# (127.0.0.1) and PROVSPEC_COBBLER_NEXT_SERVER_V4 (127.0.0.1).
set -euo pipefail

VERSION=3.3.10
VENV=${PROVSPEC_COBBLER_VENV:-/opt/provspec-cobbler-venv}
RUN=${PROVSPEC_COBBLER_RUN:-/tmp/provspec-cobbler}
PORT=${PROVSPEC_COBBLER_PORT:-25151}
START_TIMEOUT=${PROVSPEC_COBBLER_START_TIMEOUT:-60}
USER_NAME=cobbler
PASSWORD=${PROVSPEC_COBBLER_PASSWORD:-cobbler}
URL="http://127.0.0.1:${PORT}/"
HTTP_PORT=${PROVSPEC_COBBLER_HTTP_PORT:-80}
SERVER=${PROVSPEC_COBBLER_SERVER:-127.0.0.1}
NEXT_SERVER_V4=${PROVSPEC_COBBLER_NEXT_SERVER_V4:-127.0.0.1}
SETTINGS_JSON="$(cd "$(dirname "$0")/.." && pwd)/support/cobbler/fake/recorded/settings.json"

log() { printf '[real-cobbler] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

answers() { # exit 0 when a Cobbler XML-RPC API answers ping() on $URL
  python3 - "$URL" <<'PY' >/dev/null 2>&1
import socket, sys, xmlrpc.client
socket.setdefaulttimeout(3)
sys.exit(0 if xmlrpc.client.ServerProxy(sys.argv[1]).ping() is True else 1)
PY
}

alive() { # $1 = pid; zombies count as dead
  [ -r "/proc/$1/stat" ] && [ "$(awk '{print $3}' "/proc/$1/stat")" != Z ]
}

install() {
  export DEBIAN_FRONTEND=noninteractive
  local need=()
  command -v rsync >/dev/null || need+=(rsync)            # sync() shells out to rsync
  [ -x /usr/sbin/fence_dummy ] || need+=(fence-agents)     # power_type must have /usr/sbin/fence_<type>
  ldconfig -p | grep -q 'libmagic\.so\.1' || need+=(libmagic1)
  command -v cc >/dev/null || need+=(gcc)                  # Cheetah3 builds a C extension
  if [ ${#need[@]} -gt 0 ]; then
    log "apt-get install ${need[*]}"
    apt-get install -y -qq --no-install-recommends "${need[@]}" >"$RUN/apt.log" 2>&1 || {
      apt-get update -qq >>"$RUN/apt.log" 2>&1
      apt-get install -y -qq --no-install-recommends "${need[@]}" >>"$RUN/apt.log" 2>&1 \
        || die "apt-get install failed; see $RUN/apt.log"
    }
  fi
  if ! "$VENV/bin/python" -c 'from importlib.metadata import version; import sys; sys.exit(version("cobbler") != "'"$VERSION"'")' 2>/dev/null; then
    log "installing cobbler==$VERSION into $VENV"
    rm -rf "$VENV"
    python3 -m venv "$VENV"
    # The wheel requires mod-wsgi and python-ldap, which cobblerd does not use and which need
    # Apache/LDAP headers to build: install it without dependencies, then its runtime ones.
    "$VENV/bin/pip" install -q --no-deps "cobbler==$VERSION" >"$RUN/pip.log" 2>&1 \
      || die "pip install cobbler failed; see $RUN/pip.log"
    "$VENV/bin/pip" install -q Cheetah3==3.2.6.post1 distro==1.9.0 dnspython==2.9.2 file-magic==0.4.1 \
      netaddr==1.3.0 pymongo==4.20.0 PyYAML==6.0.3 requests==2.34.2 schema==0.7.8 >>"$RUN/pip.log" 2>&1 \
      || die "pip install of cobbler's dependencies failed; see $RUN/pip.log"
  fi
}

configure() {
  local sp
  sp=$("$VENV/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
  # The wheel ships its config and data inside site-packages; cobblerd reads fixed paths.
  [ -f /etc/cobbler/settings.yaml ] || { mkdir -p /etc/cobbler && cp -a "$sp/etc/cobbler/." /etc/cobbler/; }
  [ -f /var/lib/cobbler/distro_signatures.json ] || { mkdir -p /var/lib/cobbler && cp -a "$sp/var/lib/cobbler/." /var/lib/cobbler/; }
  [ -d /var/www/cobbler/svc ] || { mkdir -p /var/www/cobbler && cp -a "$sp/var/www/cobbler/." /var/www/cobbler/; }
  # Start from an empty server; wipe all of /srv/tftpboot (a dangling grub/images link breaks save_distro).
  rm -rf /var/lib/cobbler/collections /var/www/cobbler/images /var/www/cobbler/links \
         /var/www/cobbler/rendered /srv/tftpboot
  # The file serializer does not create its own directories.
  for c in distros profiles systems repos images mgmtclasses packages files menus; do
    mkdir -p "/var/lib/cobbler/collections/$c"
  done
  mkdir -p /var/log/cobbler/tasks /var/log/cobbler/anamon /srv/tftpboot /var/cache/cobbler/buildiso
  write_settings
  local hash
  hash=$("$VENV/bin/python" -c 'import hashlib,sys; print(hashlib.sha3_512(sys.argv[1].encode()).hexdigest())' "$PASSWORD")
  printf '%s:Cobbler:%s\n' "$USER_NAME" "$hash" > /etc/cobbler/users.digest
}

write_settings() { # every setting, as the fake has them, with this server's port and addresses
  "$VENV/bin/python" - "$SETTINGS_JSON" /etc/cobbler/settings.yaml "$PORT" "$HTTP_PORT" "$SERVER" "$NEXT_SERVER_V4" <<'PY' \
    || die "cannot write /etc/cobbler/settings.yaml from $SETTINGS_JSON"
import json, sys, yaml
source, target, port, http_port, server, next_server_v4 = sys.argv[1:]
with open(source) as f:
    settings = json.load(f)
settings.update(xmlrpc_port=int(port), http_port=int(http_port), server=server, next_server_v4=next_server_v4)
with open(target, "w") as f:
    f.write("# Written by provspec's scripts/real-cobbler.sh at every start; changes are lost.\n")
    yaml.safe_dump(settings, f, sort_keys=False, default_flow_style=False)
PY
}

print_env() {
  printf 'COBBLER_URL=%s\nCOBBLER_USER=%s\nCOBBLER_PASSWORD=%s\nCOBBLER_VENV=%s\n' "$URL" "$USER_NAME" "$PASSWORD" "$VENV"
}

start() {
  [ "$(id -u)" = 0 ] || die "must run as root (cobblerd writes /etc/cobbler, /var/lib/cobbler, ...)"
  mkdir -p "$RUN"
  if answers; then
    log "a Cobbler already answers on $URL; using it as it is (stop will leave it running)"
    python3 -c 'import sys, xmlrpc.client; xmlrpc.client.ServerProxy(sys.argv[1]).login(sys.argv[2], sys.argv[3])' \
      "$URL" "$USER_NAME" "$PASSWORD" >/dev/null 2>&1 \
      || die "the Cobbler on $URL does not accept $USER_NAME with the password given (PROVSPEC_COBBLER_PASSWORD); stop it first"
    rm -f "$RUN/cobblerd.pid"
    print_env
    return
  fi
  local started=$SECONDS
  install
  configure
  log "starting cobblerd (log: $RUN/cobblerd.log)"
  # -F keeps cobblerd in the foreground, so $! is cobblerd itself (setsid may fork and hide it).
  local pid deadline=$((SECONDS + START_TIMEOUT))
  pushd / >/dev/null
  "$VENV/bin/cobblerd" -F >"$RUN/cobblerd.log" 2>&1 </dev/null &
  pid=$!
  popd >/dev/null
  echo "$pid" > "$RUN/cobblerd.pid"
  until answers; do
    if ! alive "$pid"; then
      tail -n 40 "$RUN/cobblerd.log" >&2 || true
      die "cobblerd exited during start-up; see $RUN/cobblerd.log"
    fi
    [ "$SECONDS" -lt "$deadline" ] || { tail -n 40 "$RUN/cobblerd.log" >&2; die "cobblerd did not answer within ${START_TIMEOUT}s"; }
    sleep 0.2
  done
  log "cobblerd $VERSION (pid $pid) answers on $URL after $((SECONDS - started)) s"
  print_env
}

stop() {
  local file="$RUN/cobblerd.pid" pid
  if [ ! -s "$file" ]; then
    log "nothing to stop (no cobblerd started by this script)"
    return
  fi
  pid=$(cat "$file")
  if alive "$pid" && tr '\0' ' ' < "/proc/$pid/cmdline" | grep -q cobblerd; then
    kill "$pid"
    for _ in $(seq 50); do alive "$pid" || break; sleep 0.1; done
    if alive "$pid"; then kill -9 "$pid" || true; fi
    log "stopped cobblerd (pid $pid)"
  else
    log "cobblerd (pid $pid) was no longer running"
  fi
  rm -f "$file"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
