#!/usr/bin/env python3
"""Writes support/cobbler/fake/recorded/remote_methods.json: every public method of Cobbler
3.3.10's XML-RPC interface (`CobblerXMLRPCInterface` in `cobbler/remote.py`) with its
positional parameters, as cobblerd's `_dispatch` offers them (a name not starting with `_`,
not `background_load_items`). Read with `ast`, so the module is not imported.

  scripts/record-remote-methods.py [path/to/cobbler/remote.py] > support/cobbler/fake/recorded/remote_methods.json

Without a path it reads the remote.py of the cobbler==3.3.10 that scripts/real-cobbler.sh
installs (PROVSPEC_COBBLER_VENV, default /opt/provspec-cobbler-venv). cobblerd 3.3.10 has no
`system.listMethods`; this is the list it would give.
"""
import ast
import glob
import json
import os
import sys

VERSION = "3.3.10"


def remote_py():
    if len(sys.argv) > 1:
        return sys.argv[1]
    venv = os.environ.get("PROVSPEC_COBBLER_VENV", "/opt/provspec-cobbler-venv")
    found = glob.glob(os.path.join(venv, "lib", "python3*", "site-packages", "cobbler", "remote.py"))
    if not found:
        sys.exit(f"no cobbler/remote.py under {venv}: give its path, or run scripts/real-cobbler.sh start")
    return found[0]


def signature(function):
    args = function.args
    params = [a.arg for a in args.posonlyargs + args.args][1:]  # without self
    return {
        "params": params,
        "required": len(params) - len(args.defaults),
        "varargs": args.vararg is not None,
    }


def main():
    tree = ast.parse(open(remote_py()).read())
    interface = next(
        node for node in tree.body
        if isinstance(node, ast.ClassDef) and node.name == "CobblerXMLRPCInterface"
    )
    methods = {
        node.name: signature(node)
        for node in interface.body
        if isinstance(node, ast.FunctionDef)
        and not node.name.startswith("_")
        and node.name != "background_load_items"
    }
    json.dump({"version": VERSION, "methods": dict(sorted(methods.items()))}, sys.stdout, indent=1)
    sys.stdout.write("\n")


main()
