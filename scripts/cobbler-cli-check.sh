#!/usr/bin/env bash
# Checks that the stock `cobbler` command line (from the real Cobbler's virtualenv) works against
# fake-cobbler. The CLI reads /etc/cobbler/settings.yaml and /var/lib/cobbler/web.ss, so this
# runs in a private mount namespace with temporary copies bind-mounted over them: the machine's
# own Cobbler configuration is never touched.
#
#   scripts/cobbler-cli-check.sh FAKE_COBBLER_BINARY COBBLER_VENV
set -euo pipefail
if [ "${PROVSPEC_IN_NAMESPACE:-}" != 1 ]; then
  exec env PROVSPEC_IN_NAMESPACE=1 unshare --mount --propagation private "$0" "$@"
fi
FAKE=$1
VENV=$2
SP=$("$VENV/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
TMP=$(mktemp -d /tmp/provspec-cli.XXXXXX)
PID=""
trap '[ -z "$PID" ] || kill "$PID" 2>/dev/null; rm -rf "$TMP"' EXIT

mkdir -p "$TMP/etc" "$TMP/lib" "$TMP/boot" /etc/cobbler /var/lib/cobbler
cp -a "$SP/etc/cobbler/." "$TMP/etc/"
mount --bind "$TMP/etc" /etc/cobbler
mount --bind "$TMP/lib" /var/lib/cobbler
"$FAKE" --listen 127.0.0.1:0 --write-shared-secret /var/lib/cobbler/web.ss >"$TMP/fake.out" &
PID=$!
for _ in $(seq 100); do [ -s "$TMP/fake.out" ] && break; sleep 0.05; done
PORT=$(sed -n '1s#^listening on http://127\.0\.0\.1:\([0-9]*\)/$#\1#p' "$TMP/fake.out")
[ -n "$PORT" ] || { echo "fake-cobbler did not start" >&2; exit 1; }
sed -i -e "s/^http_port: .*/http_port: $PORT/" -e "s/^xmlrpc_port: .*/xmlrpc_port: $PORT/" \
       -e "s/^server: .*/server: 127.0.0.1/" /etc/cobbler/settings.yaml
echo kernel > "$TMP/boot/vmlinuz"
echo initrd > "$TMP/boot/initrd.img"

cobbler() { "$VENV/bin/cobbler" "$@"; }
failed=0
expect() { # description, expected text, command...
  local what=$1 needle=$2; shift 2
  local out
  if out=$("$@" 2>&1) && grep -qF -- "$needle" <<<"$out"; then
    echo "ok: $what"
  else
    echo "FAILED: $what: expected '$needle' in:"; echo "$out"; failed=$((failed + 1))
  fi
}
expect "distro add" "" cobbler distro add --name cli-d --kernel "$TMP/boot/vmlinuz" --initrd "$TMP/boot/initrd.img" --arch x86_64 --breed ubuntu
expect "distro list" "cli-d" cobbler distro list
expect "distro report" "Kernel                         : $TMP/boot/vmlinuz" cobbler distro report --name cli-d
expect "profile add" "" cobbler profile add --name cli-p --distro cli-d
expect "system add with a MAC" "" cobbler system add --name cli-s --profile cli-p --mac 52:54:00:c1:00:01
expect "system find by MAC" "cli-s" cobbler system find --mac 52:54:00:c1:00:01
expect "system report shows the MAC" "52:54:00:c1:00:01" cobbler system report --name cli-s
expect "distro add of an existing name is refused" "It seems unwise to overwrite the object cli-d" \
  bash -c "! $VENV/bin/cobbler distro add --name cli-d --kernel $TMP/boot/vmlinuz --initrd $TMP/boot/initrd.img"
expect "repo add" "" cobbler repo add --name cli-r --mirror http://127.0.0.1:9/cli/ --breed yum --priority 10
expect "repo edit" "" cobbler repo edit --name cli-r --comment "edited by the cli"
expect "repo list" "cli-r" cobbler repo list
expect "repo report" "edited by the cli" cobbler repo report --name cli-r
expect "menu add" "" cobbler menu add --name cli-m --display-name "CLI menu"
expect "menu edit" "" cobbler menu edit --name cli-m --display-name "CLI menu, edited"
expect "menu list" "cli-m" cobbler menu list
expect "profile edit with repos and a menu" "" cobbler profile edit --name cli-p --repos cli-r --menu cli-m
expect "profile report shows the repo" "cli-r" cobbler profile report --name cli-p
expect "package add" "" cobbler package add --name cli-k --installer yum --version 1.0
expect "package edit" "" cobbler package edit --name cli-k --version 1.1
expect "package list" "cli-k" cobbler package list
expect "file add" "" cobbler file add --name cli-f --path /etc/cli-f --owner root --group root --mode 0644 --template /etc/hostname
expect "file edit" "" cobbler file edit --name cli-f --mode 0600
expect "file list" "cli-f" cobbler file list
expect "mgmtclass add" "" cobbler mgmtclass add --name cli-c --packages cli-k --files cli-f
expect "mgmtclass edit" "" cobbler mgmtclass edit --name cli-c --comment "web servers"
expect "mgmtclass list" "cli-c" cobbler mgmtclass list
expect "mgmtclass report shows its package" "cli-k" cobbler mgmtclass report --name cli-c
expect "mgmtclass remove" "" cobbler mgmtclass remove --name cli-c
expect "file remove" "" cobbler file remove --name cli-f
expect "package remove" "" cobbler package remove --name cli-k
expect "distro remove --recursive" "" cobbler distro remove --name cli-d --recursive
expect "menu remove" "" cobbler menu remove --name cli-m
expect "repo remove" "" cobbler repo remove --name cli-r
expect "nothing left" "" bash -c "[ -z \"\$($VENV/bin/cobbler system list)\" ] && [ -z \"\$($VENV/bin/cobbler distro list)\" ] && [ -z \"\$($VENV/bin/cobbler repo list)\" ] && [ -z \"\$($VENV/bin/cobbler menu list)\" ] && [ -z \"\$($VENV/bin/cobbler mgmtclass list)\" ] && [ -z \"\$($VENV/bin/cobbler package list)\" ] && [ -z \"\$($VENV/bin/cobbler file list)\" ]"
echo "cobbler-cli: $((34 - failed)) passed, $failed failed"
[ "$failed" = 0 ]
