#!/usr/bin/env python3
"""Counts the XML-RPC calls a run sends to a Cobbler, by method, as a pass-through proxy.

    scripts/count-calls.py http://127.0.0.1:25151/ -- COMMAND ...

Starts a proxy on a free local port, runs COMMAND with COBBLER_URL pointing at the proxy,
then prints the calls it forwarded: the total, logins, handle look-ups, removals, and each
method's count, as one JSON object on the last line of stdout (scripts/bench.sh reads it).
The exit status is the command's. Nothing is changed on the way: bodies, statuses and
headers go through as they are.
"""
import collections
import http.client
import http.server
import json
import os
import re
import subprocess
import sys
import threading
import urllib.parse

METHOD = re.compile(rb"<methodName>\s*([^<\s]+)\s*</methodName>")


def main():
    if len(sys.argv) < 4 or sys.argv[2] != "--":
        sys.exit("usage: count-calls.py COBBLER_URL -- COMMAND ...")
    target = urllib.parse.urlsplit(sys.argv[1])
    counts = collections.Counter()
    lock = threading.Lock()

    class Proxy(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            found = METHOD.search(body)
            with lock:
                counts[found.group(1).decode() if found else "(not XML-RPC)"] += 1
            conn = http.client.HTTPConnection(target.hostname, target.port or 80, timeout=120)
            headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "connection")}
            conn.request("POST", target.path or "/", body, headers)
            answer = conn.getresponse()
            data = answer.read()
            self.send_response(answer.status, answer.reason)
            for k, v in answer.getheaders():
                if k.lower() not in ("connection", "transfer-encoding", "content-length"):
                    self.send_header(k, v)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            conn.close()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Proxy)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = "http://127.0.0.1:%d%s" % (server.server_address[1], target.path or "/")
    env = dict(os.environ, COBBLER_URL=url)
    code = subprocess.call(sys.argv[3:], env=env)
    server.shutdown()
    total = sum(counts.values())
    summary = {
        "total": total,
        "login": counts["login"],
        "handles": sum(n for m, n in counts.items() if m.endswith("_handle")),
        "removes": sum(n for m, n in counts.items() if m.startswith("remove_")),
        "methods": dict(sorted(counts.items())),
    }
    print(json.dumps(summary))
    sys.exit(code)


if __name__ == "__main__":
    main()
