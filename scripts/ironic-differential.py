#!/usr/bin/env python3
"""Differential check of the fake Ironic against a real Ironic 39: the same calls, answers compared.

  ironic-differential.py FAKE_URL REAL_URL

Sends the fixed sequence STEPS (below) to both servers and compares, step by step:
  - the HTTP status;
  - the response headers that matter: every X-OpenStack-Ironic-API-* header with its value,
    whether Content-Type is present, and Location (masked);
  - the JSON body, with volatile values masked: uuids -> <uuid>, timestamps -> <time>,
    request ids -> <request-id>, scheme://host:port -> <base>. An error body's error_message is
    parsed a second time, so its faultstring is compared exactly (uuids masked).
After a 202 on /v1/nodes/<node>/..., each side is polled (GET /v1/nodes/<node>) until its
target_provision_state and target_power_state are null or its provision_state ends in "failed",
and no conductor holds the node's lock (reservation null), at most SETTLE_TIMEOUT s; the settled
nodes are then compared as part of the same step.

Every request sends X-OpenStack-Ironic-API-Version: 1.115 unless the step says otherwise.
IRONIC_USER and IRONIC_PASSWORD: http_basic on both servers (leave IRONIC_USER unset for noauth).
What it creates is named diff-<pid>-... and is removed from both servers at the end, also after a
failure (maintenance on first where a node refuses the delete).

Prints "ok  STEP" or "DIFF STEP" and the differing values for each step, then
"ironic-differential: N passed, M failed"; exits 1 when anything differed (or cleanup failed).
Standard library only.
"""
import base64
import json
import os
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

API_VERSION = "1.115"
SETTLE_TIMEOUT = 30.0
HTTP_TIMEOUT = 30.0

PID = os.getpid()
PREFIX = "diff-%d-" % PID


def _mac(last, upper=False):
    text = "52:54:%02x:%02x:%02x:%02x" % ((PID >> 16) & 0xFF, (PID >> 8) & 0xFF, PID & 0xFF, last)
    return text.upper() if upper else text


# Template variables shared by both servers; each server adds its own saved values (uuids, ...).
COMMON = {
    "P": PREFIX,
    "MAC1": _mac(1), "MAC1_UPPER": _mac(1, True),
    "MAC2": _mac(2), "MAC2_UPPER": _mac(2, True),
    "MAC3": _mac(3),
    "NO_UUID": "9b1c8f6e-3d2a-4e5f-8a7b-0c1d2e3f4a5b",
}

PROPERTIES = {"cpus": 4, "memory_mb": 8192, "local_gb": 100, "cpu_arch": "x86_64"}


def step(name, method, path, body=None, **opts):
    """One request. Options:
      version  the X-OpenStack-Ironic-API-Version to send; None sends no such header
      expect   the status both servers should answer (a sanity check of the sequence itself)
      save     {variable: key}: keep body[key] of each side's answer as {variable} for later steps
      require  keys the (masked) body must have on both sides
    Strings in path and body may use {P}, {MAC1}, ... and saved variables."""
    return dict(name=name, method=method, path=path, body=body, **opts)


STEPS = [
    # --- the API's entry points
    step("root", "GET", "/", expect=200),
    step("v1", "GET", "/v1", expect=200),
    step("drivers", "GET", "/v1/drivers", expect=200),
    # --- nodes
    step("node create", "POST", "/v1/nodes",
         {"name": "{P}n1", "driver": "fake-hardware", "description": "{P}node one",
          "properties": PROPERTIES, "extra": {"rack": "r1", "note": "differential"}},
         expect=201, save={"n1": "uuid"}),
    step("node create (second)", "POST", "/v1/nodes",
         {"name": "{P}n2", "driver": "fake-hardware", "description": "{P}node two",
          "properties": PROPERTIES},
         expect=201, save={"n2": "uuid"}),
    step("node get by name", "GET", "/v1/nodes/{P}n1", expect=200),
    step("node list fields+limit", "GET",
         "/v1/nodes?description_contains={P}&fields=uuid,name,provision_state&limit=1",
         expect=200, require=["next"]),
    step("node create: bad name", "POST", "/v1/nodes",
         {"name": "{P}bad name!", "driver": "fake-hardware"}, expect=400),
    step("node create: unknown driver", "POST", "/v1/nodes",
         {"name": "{P}nodriver", "driver": "no-such-driver"}, expect=400),
    step("node create: duplicate name", "POST", "/v1/nodes",
         {"name": "{P}n1", "driver": "fake-hardware"}, expect=409),
    step("node create: missing driver", "POST", "/v1/nodes", {"name": "{P}nod"}, expect=400),
    step("node create: unexpected field", "POST", "/v1/nodes",
         {"name": "{P}odd", "driver": "fake-hardware", "colour": "blue"}, expect=400),
    step("node patch add", "PATCH", "/v1/nodes/{P}n1",
         [{"op": "add", "path": "/extra/added", "value": "yes"},
          {"op": "add", "path": "/properties/capabilities", "value": "boot_mode:uefi"}],
         expect=200),
    step("node patch replace", "PATCH", "/v1/nodes/{P}n1",
         [{"op": "replace", "path": "/description", "value": "{P}node one, replaced"},
          {"op": "replace", "path": "/properties/cpus", "value": 8}],
         expect=200),
    step("node patch remove", "PATCH", "/v1/nodes/{P}n1",
         [{"op": "remove", "path": "/extra/rack"}], expect=200),
    step("node patch remove missing path", "PATCH", "/v1/nodes/{P}n1",
         [{"op": "remove", "path": "/extra/no-such-key"}], expect=400),
    step("node patch /uuid", "PATCH", "/v1/nodes/{P}n1",
         [{"op": "replace", "path": "/uuid", "value": "{NO_UUID}"}], expect=400),
    # --- ports
    step("port create", "POST", "/v1/ports",
         {"node_uuid": "{n1}", "address": "{MAC1}", "name": "{P}p1", "extra": {"switch": "sw1"}},
         expect=201, save={"p1": "uuid"}),
    step("port create: MAC lower-cased", "POST", "/v1/ports",
         {"node_uuid": "{n1}", "address": "{MAC2_UPPER}", "name": "{P}p2"},
         expect=201, save={"p2": "uuid"}),
    step("port create: duplicate MAC (upper case)", "POST", "/v1/ports",
         {"node_uuid": "{n2}", "address": "{MAC1_UPPER}", "name": "{P}p3"}, expect=409),
    step("port create: invalid MAC", "POST", "/v1/ports",
         {"node_uuid": "{n1}", "address": "52:54:00:zz:00:01"}, expect=400),
    step("port create: unknown node", "POST", "/v1/ports",
         {"node_uuid": "{NO_UUID}", "address": "{MAC3}"}, expect=400),
    step("port get by name", "GET", "/v1/ports/{P}p1", expect=200),
    step("port list by address", "GET", "/v1/ports?address={MAC1}", expect=200),
    step("port patch address onto another port's MAC", "PATCH", "/v1/ports/{P}p2",
         [{"op": "replace", "path": "/address", "value": "{MAC1}"}], expect=409),
    # --- provision states (n1): enroll -> manageable -> available -> active
    step("provide in enroll refused", "PUT", "/v1/nodes/{P}n1/states/provision",
         {"target": "provide"}, expect=400),
    step("manage", "PUT", "/v1/nodes/{P}n1/states/provision", {"target": "manage"}, expect=202),
    step("provide", "PUT", "/v1/nodes/{P}n1/states/provision", {"target": "provide"}, expect=202),
    step("active", "PUT", "/v1/nodes/{P}n1/states/provision", {"target": "active"}, expect=202),
    step("delete refused while active", "DELETE", "/v1/nodes/{P}n1", expect=409),
    step("maintenance on with a reason", "PUT", "/v1/nodes/{P}n1/maintenance",
         {"reason": "{P}differential"}, expect=202),
    step("node in maintenance", "GET",
         "/v1/nodes/{P}n1?fields=name,maintenance,maintenance_reason,provision_state",
         expect=200),
    step("delete in maintenance", "DELETE", "/v1/nodes/{P}n1", expect=204),
    step("node gone", "GET", "/v1/nodes/{P}n1", expect=404),
    step("its ports gone (by name)", "GET", "/v1/ports/{P}p1", expect=404),
    step("its ports gone (by address)", "GET", "/v1/ports?address={MAC1}", expect=200),
    # --- a failing clean (n2), then back to manageable
    step("manage (second node)", "PUT", "/v1/nodes/{P}n2/states/provision", {"target": "manage"},
         expect=202),
    step("clean raid delete_configuration fails", "PUT", "/v1/nodes/{P}n2/states/provision",
         {"target": "clean", "clean_steps": [{"interface": "raid", "step": "delete_configuration"}]},
         expect=202),
    step("manage after clean failed", "PUT", "/v1/nodes/{P}n2/states/provision",
         {"target": "manage"}, expect=202),
    # --- power (n2)
    step("power on", "PUT", "/v1/nodes/{P}n2/states/power", {"target": "power on"}, expect=202),
    step("power off", "PUT", "/v1/nodes/{P}n2/states/power", {"target": "power off"}, expect=202),
    # --- microversions
    step("microversion 1.999", "GET", "/v1/nodes/{P}n2", version="1.999", expect=406),
    step("microversion abc", "GET", "/v1/nodes/{P}n2", version="abc", expect=406),
    step("no microversion header, by name", "GET", "/v1/nodes/{P}n2", version=None),
    # --- not found
    step("unknown node", "GET", "/v1/nodes/{P}no-such-node", expect=404),
    step("unknown resource", "GET", "/v1/no-such-resource", expect=404),
]

# --- masking -------------------------------------------------------------------------------------

UUID_RE = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
REQ_RE = re.compile(r"req-" + UUID_RE.pattern)
TIME_RE = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?")
BASE_RE = re.compile(r"https?://[^/\s\"']+")


def mask_text(text):
    text = REQ_RE.sub("<request-id>", text)
    text = UUID_RE.sub("<uuid>", text)
    text = TIME_RE.sub("<time>", text)
    return BASE_RE.sub("<base>", text)


def mask(doc):
    if isinstance(doc, dict):
        return {mask_text(k): mask(v) for k, v in doc.items()}
    if isinstance(doc, list):
        return [mask(v) for v in doc]
    if isinstance(doc, str):
        return mask_text(doc)
    return doc


def parse_body(text):
    """JSON (with error_message parsed a second time), the text itself when not JSON, or None."""
    if not text.strip():
        return None
    try:
        doc = json.loads(text)
    except ValueError:
        return {"<not json>": text[:2000]}
    if isinstance(doc, dict) and isinstance(doc.get("error_message"), str):
        try:
            doc = dict(doc, error_message=json.loads(doc["error_message"]))
        except ValueError:
            pass
    return doc


# --- HTTP ------------------------------------------------------------------------------------------

class Reply:
    def __init__(self, status, headers, text):
        self.status = status
        self.headers = headers  # {lower-case name: value}
        self.text = text
        self.body = parse_body(text)

    def view(self):
        """What is compared: masked status, headers and body."""
        heads = {k: v for k, v in self.headers.items() if k.startswith("x-openstack-ironic-api-")}
        heads["content-type present"] = "content-type" in self.headers
        if "location" in self.headers:
            heads["location"] = mask_text(self.headers["location"])
        return {"status": self.status, "headers": heads, "body": mask(self.body)}


class Server:
    def __init__(self, label, url):
        self.label = label
        self.url = url.rstrip("/")
        self.vars = dict(COMMON)
        self.nodes = []  # uuids of what this run created, for the cleanup
        self.ports = []
        self.auth = None
        user = os.environ.get("IRONIC_USER", "")
        if user:
            token = "%s:%s" % (user, os.environ.get("IRONIC_PASSWORD", ""))
            self.auth = "Basic " + base64.b64encode(token.encode()).decode()

    def fill(self, value):
        if isinstance(value, str):
            return re.sub(r"\{(\w+)\}", lambda m: str(self.vars.get(m.group(1), m.group(0))), value)
        if isinstance(value, list):
            return [self.fill(v) for v in value]
        if isinstance(value, dict):
            return {k: self.fill(v) for k, v in value.items()}
        return value

    def call(self, method, path, body=None, version=API_VERSION):
        headers = {"Accept": "application/json"}
        if version is not None:
            headers["X-OpenStack-Ironic-API-Version"] = version
        if self.auth:
            headers["Authorization"] = self.auth
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        req = urllib.request.Request(self.url + path, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=HTTP_TIMEOUT) as resp:
                reply = Reply(resp.status, {k.lower(): v for k, v in resp.headers.items()},
                              resp.read().decode(errors="replace"))
        except urllib.error.HTTPError as e:
            reply = Reply(e.code, {k.lower(): v for k, v in e.headers.items()},
                          e.read().decode(errors="replace"))
        except (urllib.error.URLError, OSError) as e:
            reply = Reply(None, {}, "")
            reply.body = {"<unreachable>": str(getattr(e, "reason", e))}
        if reply.status == 201 and isinstance(reply.body, dict) and reply.body.get("uuid"):
            if path.startswith("/v1/nodes"):
                self.nodes.append(reply.body["uuid"])
            elif path.startswith("/v1/ports"):
                self.ports.append(reply.body["uuid"])
        return reply

    def settle(self, ident):
        """Polls the node until no transition is under way; returns the last GET's reply."""
        deadline = time.time() + SETTLE_TIMEOUT
        while True:
            reply = self.call("GET", "/v1/nodes/" + ident)
            node = reply.body if isinstance(reply.body, dict) else {}
            state = node.get("provision_state") or ""
            # The real conductor may hold its lock (reservation) a moment after the targets
            # cleared: settled means that lock is gone too.
            if reply.status != 200 or (
                    (state.endswith("failed") or (node.get("target_provision_state") is None
                                                  and node.get("target_power_state") is None))
                    and node.get("reservation") is None):
                return reply
            if time.time() > deadline:
                reply.body = dict(node, **{"<timeout>": "not settled after %.0f s" % SETTLE_TIMEOUT})
                return reply
            time.sleep(0.2)


# --- comparing -------------------------------------------------------------------------------------

def flatten(doc, path, out):
    if isinstance(doc, dict) and doc:
        for k, v in doc.items():
            flatten(v, "%s.%s" % (path, k) if path else k, out)
    elif isinstance(doc, list) and doc:
        for i, v in enumerate(doc):
            flatten(v, "%s[%d]" % (path, i), out)
    else:
        out[path] = doc
    return out


MISSING = object()


def show(value):
    if value is MISSING:
        return "(absent)"
    text = json.dumps(value)
    return text if len(text) <= 400 else text[:400] + "..."


def differences(fake, real):
    """Lines "path: fake X | real Y" for every leaf that differs."""
    a, b = flatten(fake, "", {}), flatten(real, "", {})
    lines = []
    for key in list(a) + [k for k in b if k not in a]:
        va, vb = a.get(key, MISSING), b.get(key, MISSING)
        if va is MISSING or vb is MISSING or va != vb or type(va) is not type(vb):
            lines.append("    %s: fake %s | real %s" % (key, show(va), show(vb)))
    return lines


NODE_PATH_RE = re.compile(r"^/v1/nodes/([^/?]+)/")


def run_step(spec, fake, real):
    """Returns the lines that differ (empty when the step passed)."""
    views = []
    for server in (fake, real):
        reply = server.call(spec["method"], server.fill(spec["path"]), server.fill(spec["body"]),
                            spec.get("version", API_VERSION))
        for var, key in spec.get("save", {}).items():
            if isinstance(reply.body, dict) and key in reply.body:
                server.vars[var] = reply.body[key]
        view = reply.view()
        match = NODE_PATH_RE.match(spec["path"])
        if reply.status == 202 and match:
            view["settled"] = server.settle(server.fill(match.group(1))).view()
        views.append(view)
    lines = differences(views[0], views[1])
    for label, view in zip(("fake", "real"), views):
        body = view["body"] if isinstance(view["body"], dict) else {}
        for key in spec.get("require", []):
            if key not in body:
                lines.append("    %s: the body has no %r" % (label, key))
    want = spec.get("expect")
    if want is not None and views[0]["status"] == views[1]["status"] != want:
        lines.append("    status: both %s, the step expects %s (the sequence is off)"
                     % (views[0]["status"], want))
    return lines


# --- cleanup ---------------------------------------------------------------------------------------

def cleanup(server):
    """Removes every node and port this run made; returns a list of problems."""
    problems = []
    found = server.call("GET", "/v1/nodes?description_contains=%s&fields=uuid,name&limit=1000"
                        % PREFIX)
    if found.status == 200 and isinstance(found.body, dict):
        for node in found.body.get("nodes", []):
            if (node.get("name") or "").startswith(PREFIX) and node["uuid"] not in server.nodes:
                server.nodes.append(node["uuid"])
    for uuid in server.ports:
        reply = server.call("DELETE", "/v1/ports/" + uuid)
        if reply.status not in (204, 404, 400, 409):  # 400/409: the node is busy; it goes with it
            problems.append("port %s: HTTP %s" % (uuid, reply.status))
    for uuid in server.nodes:
        deadline = time.time() + SETTLE_TIMEOUT
        in_maintenance = False
        while True:
            reply = server.call("DELETE", "/v1/nodes/" + uuid)
            if reply.status in (204, 404):
                break
            if time.time() > deadline:
                problems.append("node %s: HTTP %s: %s" % (uuid, reply.status, reply.text[:300]))
                break
            if reply.status in (400, 409) and not in_maintenance:
                put = server.call("PUT", "/v1/nodes/%s/maintenance" % uuid,
                                  {"reason": PREFIX + "cleanup"})
                in_maintenance = put.status == 202
            time.sleep(0.3)
    return problems


def main(argv):
    if len(argv) != 3:
        sys.stderr.write(__doc__)
        return 2
    fake, real = Server("fake", argv[1]), Server("real", argv[2])
    passed = failed = 0
    try:
        for spec in STEPS:
            lines = run_step(spec, fake, real)
            if lines:
                failed += 1
                print("DIFF " + spec["name"])
                for line in lines[:40]:
                    print(line)
                if len(lines) > 40:
                    print("    ... and %d more" % (len(lines) - 40))
            else:
                passed += 1
                print("ok  " + spec["name"])
            sys.stdout.flush()
    finally:
        for server in (fake, real):
            problems = cleanup(server)
            for problem in problems:
                print("cleanup on %s (%s): %s" % (server.label, server.url, problem))
            if problems:
                failed += 1
        print("ironic-differential: %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
