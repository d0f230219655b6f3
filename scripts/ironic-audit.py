#!/usr/bin/env python3
"""Checks that a feature run against an Ironic left nothing behind and touched nothing foreign.

  ironic-audit.py URL seed          create a pre-existing node "preexisting-node" (fake-hardware)
                                    with a port "preexisting-port", manage it to manageable,
                                    and save both to a snapshot file
  ironic-audit.py URL verify RUN_ID fail (exit 1) if any node, port, portgroup, allocation,
                                    runbook or deploy template of the run is left (its name, or a
                                    template's extra.provspec_name, contains "--RUN_ID-"), or if
                                    the pre-existing node or its ports changed, vanished, or
                                    gained a port
  ironic-audit.py URL unseed        remove the pre-existing node and port again
  ironic-audit.py URL wait-marked RUN_ID
                                    wait (60 s at most) until a node or port of the run is on
                                    the server: it is mid-scenario, for a test that stops it there

Standard library only. Every request sends X-OpenStack-Ironic-API-Version: 1.115.
Settings: IRONIC_USER and IRONIC_PASSWORD (http_basic; leave IRONIC_USER unset or empty for
noauth), AUDIT_SNAPSHOT (default /tmp/provspec-ironic-audit.json), AUDIT_TIMEOUT (seconds to wait
for a provision state, default 60).
"""
import base64
import json
import os
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

API_VERSION = "1.115"
SNAPSHOT = os.environ.get("AUDIT_SNAPSHOT", "/tmp/provspec-ironic-audit.json")
TIMEOUT = float(os.environ.get("AUDIT_TIMEOUT", "60"))
PAGE = int(os.environ.get("AUDIT_PAGE_SIZE", "1000"))  # Ironic's default max_limit is 1000

NODE_NAME = "preexisting-node"
PORT_NAME = "preexisting-port"
PORT_MAC = "52:54:00:ee:ee:01"

# Fields that change by themselves, or that only say where the server is:
#   updated_at            bumped by the conductor's periodic tasks (power sync, ...)
#   reservation           the lock a running task or periodic task holds for a moment
#   conductor             the conductor host that owns the node (changes with the hash ring)
#   driver_internal_info  the conductor's own bookkeeping (e.g. last_power_state_change)
#   links, ports, portgroups, states, volume   hyperlinks that embed the URL the client used
VOLATILE_NODE = {"updated_at", "reservation", "conductor", "driver_internal_info",
                 "links", "ports", "portgroups", "states", "volume"}
VOLATILE_PORT = {"updated_at", "links"}


class ApiError(Exception):
    def __init__(self, method, path, status, body):
        self.status = status
        super().__init__("%s %s: HTTP %s: %s" % (method, path, status, error_text(body)))


def error_text(body):
    """Ironic's three error shapes: {"error_message": "<JSON of {faultstring}|{title,description}>"},
    and for http_basic {"error": {"message"}}."""
    try:
        doc = json.loads(body)
    except ValueError:
        return body[:300] or "(empty body)"
    if isinstance(doc, dict) and "error_message" in doc:
        inner = doc["error_message"]
        try:
            inner = json.loads(inner)
        except (TypeError, ValueError):
            return str(inner)
        if isinstance(inner, dict):
            return inner.get("faultstring") or " ".join(
                str(inner.get(k)) for k in ("title", "description") if inner.get(k)) or str(inner)
        return str(inner)
    if isinstance(doc, dict) and isinstance(doc.get("error"), dict):
        return str(doc["error"].get("message"))
    return body[:300]


class Ironic:
    def __init__(self, url):
        self.url = url.rstrip("/")
        self.headers = {"X-OpenStack-Ironic-API-Version": API_VERSION, "Accept": "application/json"}
        user = os.environ.get("IRONIC_USER", "")
        if user:
            token = "%s:%s" % (user, os.environ.get("IRONIC_PASSWORD", ""))
            self.headers["Authorization"] = "Basic " + base64.b64encode(token.encode()).decode()

    def call(self, method, path, body=None, ok=(200, 201, 202, 204)):
        """Returns (status, parsed JSON or None). path may be a full URL (a `next` link)."""
        url = path if path.startswith("http") else self.url + path
        data = None
        headers = dict(self.headers)
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        req = urllib.request.Request(url, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=30) as resp:
                status, text = resp.status, resp.read().decode()
        except urllib.error.HTTPError as e:
            status, text = e.code, e.read().decode(errors="replace")
        except urllib.error.URLError as e:
            raise SystemExit("audit: cannot reach %s: %s" % (self.url, e.reason))
        if status not in ok:
            raise ApiError(method, path, status, text)
        return status, (json.loads(text) if text.strip() else None)

    def get(self, path, ok=(200,)):
        return self.call("GET", path, ok=ok)[1]

    def pages(self, path, key):
        """Every item of a list request, following the `next` links page by page. Ironic 39's
        `next` link keeps only sort_key, sort_dir, fields, limit and marker: it drops filters such
        as node_uuid or provision_state, so put the request's own parameters back into it."""
        own = urllib.parse.parse_qsl(urllib.parse.urlsplit(path).query)
        items = []
        while path:
            page = self.get(path)
            items.extend(page[key])
            path = page.get("next")
            if path:
                parts = urllib.parse.urlsplit(path)
                query = urllib.parse.parse_qsl(parts.query)
                names = {name for name, _ in query}
                query += [(name, value) for name, value in own if name not in names]
                path = urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(query, safe=",:")))
        return items

    def list_all(self, collection, fields):
        return self.pages("/v1/%s?limit=%d&fields=%s" % (collection, PAGE, ",".join(fields)), collection)

    def find_node(self, name):
        status, node = self.call("GET", "/v1/nodes/" + urllib.parse.quote(name), ok=(200, 404))
        return node if status == 200 else None

    def ports_of(self, node_uuid):
        # /v1/nodes/<name>/ports is broken in 39.0.0 ("Portgroup None could not be found"): filter
        # by uuid, and check the filter held on every page.
        ports = self.pages("/v1/ports/detail?limit=%d&node_uuid=%s" % (PAGE, node_uuid), "ports")
        return [p for p in ports if p["node_uuid"] == node_uuid]

    def wait_settled(self, ident, want):
        deadline = time.time() + TIMEOUT
        while True:
            node = self.get("/v1/nodes/%s?fields=provision_state,target_provision_state,last_error"
                            % urllib.parse.quote(ident))
            state = node["provision_state"]
            if node["target_provision_state"] is None or (state or "").endswith("failed"):
                if state != want:
                    raise SystemExit("audit: node %s ended in %r, not %r (last_error: %s)"
                                     % (ident, state, want, node["last_error"]))
                return
            if time.time() > deadline:
                raise SystemExit("audit: node %s still %r -> %r after %.0f s"
                                 % (ident, state, node["target_provision_state"], TIMEOUT))
            time.sleep(0.1)


def stable(item, volatile):
    return {k: v for k, v in item.items() if k not in volatile}


def snapshot(api):
    node = api.find_node(NODE_NAME)
    if node is None:
        raise SystemExit("audit: %s is not on the server" % NODE_NAME)
    ports = {p["uuid"]: stable(p, VOLATILE_PORT) for p in api.ports_of(node["uuid"])}
    return {"node": stable(node, VOLATILE_NODE), "ports": ports}


def unseed(url):
    api = Ironic(url)
    # A port with our MAC on another node (a half-done earlier seed) would block the seed: drop it too.
    for port in api.get("/v1/ports?address=" + PORT_MAC)["ports"]:
        api.call("DELETE", "/v1/ports/" + port["uuid"], ok=(204, 404))
    node = api.find_node(NODE_NAME)
    if node is None:
        print("unseed: %s was not there" % NODE_NAME)
        return
    status, _ = api.call("DELETE", "/v1/nodes/" + node["uuid"], ok=(204, 404, 409))
    if status == 409:  # e.g. active, or a transition in progress: maintenance allows the delete
        api.call("PUT", "/v1/nodes/%s/maintenance" % node["uuid"], {"reason": "provspec audit unseed"})
        deadline = time.time() + TIMEOUT
        while True:
            status, _ = api.call("DELETE", "/v1/nodes/" + node["uuid"], ok=(204, 404, 409))
            if status != 409:
                break
            if time.time() > deadline:
                raise SystemExit("audit: could not delete %s within %.0f s" % (NODE_NAME, TIMEOUT))
            time.sleep(0.2)
    print("unseed: removed %s (%s) and its ports" % (NODE_NAME, node["uuid"]))


def seed(url):
    unseed(url)
    api = Ironic(url)
    _, node = api.call("POST", "/v1/nodes", {
        "name": NODE_NAME, "driver": "fake-hardware", "description": "not provspec's",
        "properties": {"cpus": 4, "memory_mb": 8192, "local_gb": 100, "cpu_arch": "x86_64"},
        "extra": {"owner": "someone else", "rack": "r9"}}, ok=(201,))
    api.call("POST", "/v1/ports", {"node_uuid": node["uuid"], "address": PORT_MAC, "name": PORT_NAME,
                                   "extra": {"switch": "sw-9"}}, ok=(201,))
    api.call("PUT", "/v1/nodes/%s/states/provision" % node["uuid"], {"target": "manage"}, ok=(202,))
    api.wait_settled(node["uuid"], "manageable")
    snap = snapshot(api)
    with open(SNAPSHOT, "w") as f:
        json.dump(snap, f, sort_keys=True, indent=1)
    print("seed: %s (%s) is manageable with %d port(s); snapshot in %s"
          % (NODE_NAME, node["uuid"], len(snap["ports"]), SNAPSHOT))


ABSENT = "(absent)"


def diff(before, now, prefix=""):
    """One line per changed field, "name: old -> new"; dicts (properties, extra, ...) key by key."""
    lines = []
    for k in sorted(set(before) | set(now)):
        old, new = before.get(k, ABSENT), now.get(k, ABSENT)
        if old == new:
            continue
        if isinstance(old, dict) and isinstance(new, dict):
            lines.extend(diff(old, new, prefix + k + "."))
        else:
            lines.append("%s%s: %s -> %s" % (prefix, k, json.dumps(old, sort_keys=True), json.dumps(new, sort_keys=True)))
    return lines


def verify(url, run_id):
    api = Ironic(url)
    with open(SNAPSHOT) as f:
        before = json.load(f)
    marker = "--%s-" % run_id
    problems = []
    # Every kind provspec creates; a deploy template keeps the run's name in extra.provspec_name
    # (its own name is a trait made from it).
    kinds = (("nodes", ("uuid", "name", "provision_state")), ("ports", ("uuid", "name", "address")),
             ("portgroups", ("uuid", "name")), ("allocations", ("uuid", "name")),
             ("runbooks", ("uuid", "name")), ("deploy_templates", ("uuid", "name", "extra")))
    for collection, fields in kinds:
        run_name = lambda i: (i.get("extra") or {}).get("provspec_name") or i.get("name") or ""
        leftovers = sorted((run_name(i), i["uuid"]) for i in api.list_all(collection, fields)
                           if marker in run_name(i))
        if leftovers:
            problems.append("%d %s of run %s left on the server: %s" % (
                len(leftovers), collection, run_id, ", ".join("%s (%s)" % item for item in leftovers)))
    node_before = before["node"]
    node = api.find_node(node_before["uuid"])
    if node is None:
        problems.append("pre-existing node %s (%s) is gone" % (node_before["name"], node_before["uuid"]))
    else:
        changed = diff(node_before, stable(node, VOLATILE_NODE))
        if changed:
            problems.append("pre-existing node %s changed:\n    %s" % (node_before["name"], "\n    ".join(changed)))
        ports_now = {p["uuid"]: stable(p, VOLATILE_PORT) for p in api.ports_of(node["uuid"])}
        for uuid, port in sorted(before["ports"].items()):
            if uuid not in ports_now:
                status, _ = api.call("GET", "/v1/ports/" + uuid, ok=(200, 404))
                where = "moved to another node" if status == 200 else "is gone"
                problems.append("pre-existing port %s (%s, %s) %s" % (port.get("name"), port["address"], uuid, where))
            else:
                changed = diff(port, ports_now[uuid])
                if changed:
                    problems.append("pre-existing port %s (%s) changed:\n    %s"
                                    % (port.get("name"), port["address"], "\n    ".join(changed)))
        for uuid in sorted(set(ports_now) - set(before["ports"])):
            problems.append("pre-existing node %s gained port %s (%s)"
                            % (node_before["name"], ports_now[uuid]["address"], uuid))
    for problem in problems:
        print("audit: " + problem)
    if problems:
        print("audit: 0 passed, %d failed" % len(problems))
    else:
        print("audit: no leftovers of run %s; pre-existing node and %d port(s) intact"
              % (run_id, len(before["ports"])))
    sys.exit(1 if problems else 0)


def wait_marked(url, run_id):
    """Waits (60 s at most) until a node or port of run `run_id` is on the server."""
    api = Ironic(url)
    marker = "--%s-" % run_id
    deadline = time.time() + 60
    while time.time() < deadline:
        for collection in ("nodes", "ports"):
            found = [i.get("name") for i in api.list_all(collection, ("uuid", "name"))
                     if marker in (i.get("name") or "")]
            if found:
                print("audit: run %s is mid-scenario: %s %s is on the server" % (run_id, collection[:-1], found[0]))
                return
        time.sleep(0.05)
    raise SystemExit("audit: nothing of run %s appeared on the server within 60 s" % run_id)


if __name__ == "__main__":
    try:
        if len(sys.argv) == 3 and sys.argv[2] == "seed":
            seed(sys.argv[1])
        elif len(sys.argv) == 3 and sys.argv[2] == "unseed":
            unseed(sys.argv[1])
        elif len(sys.argv) == 4 and sys.argv[2] == "verify":
            verify(sys.argv[1], sys.argv[3])
        elif len(sys.argv) == 4 and sys.argv[2] == "wait-marked":
            wait_marked(sys.argv[1], sys.argv[3])
        else:
            raise SystemExit(__doc__)
    except ApiError as e:
        raise SystemExit("audit: %s" % e)
