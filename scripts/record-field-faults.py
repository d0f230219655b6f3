#!/usr/bin/env python3
"""Writes support/cobbler/fake/recorded/field_faults.json from a field sweep of a real
cobblerd 3.3.10 (the `sweep` of probe13's out/02_validation.json: every field of every kind
set to 7, -1, a dict, a list and True, among other values, through modify_item):

  scripts/record-field-faults.py /work/probe13/out/02_validation.json > support/cobbler/fake/recorded/field_faults.json

For each kind and field, the fault cobblerd answers a value of the wrong XML-RPC type with,
keyed by the value's class: "int" (7), "negative" (-1), "dict", "list", "bool" (True). Where
the text shows the value (`7 must be a str or Enum`), it is replaced by {value}, and the
sweep's item name by {name}. String values
are not recorded: their checks depend on the text and are written as code in fields.rs.
"""
import json
import re
import sys

sweep = json.load(open(sys.argv[1]))["sweep"]
CLASSES = {7: "int", -1: "negative"}
out = {}
for kind, fields in sweep.items():
    for field, results in fields.items():
        if not isinstance(results, list):
            continue
        for r in results:
            v = r.get("value")
            if isinstance(v, bool):
                cls = "bool"
            elif isinstance(v, int):
                cls = CLASSES.get(v)
            elif isinstance(v, dict):
                cls = "dict"
            elif isinstance(v, list):
                cls = "list"
            else:
                continue
            fault = r.get("modify", {}).get("fault")
            if not cls or not fault:
                continue
            text = fault["faultString"]
            # The sweep's item name (probe13-v-<kind>) becomes {name}.
            text = re.sub(r"probe13-v-[a-z]+", "{name}", text)
            shown = str(v)
            head, _, message = text.partition(":")
            if isinstance(v, int) and not isinstance(v, bool):
                # A number only where the message starts with it or names it in quotes.
                if message.startswith(shown + " ") or "'%s'" % shown in message or " %s " % shown in message:
                    message = message.replace(shown, "{value}", 1)
            elif shown in message:
                message = message.replace(shown, "{value}")
            text = head + ":" + message
            if "probe13" in text:
                continue  # names a value of the sweep: a check the code does by value
            out.setdefault(kind, {}).setdefault(field, {})[cls] = text
json.dump(out, sys.stdout, indent=1, sort_keys=True)
print()
