"""Reads a JUnit XML report as CI servers do and prints its counts as JSON.

  junit-readers.py SCHEMA.xsd REPORT.xml

Validates REPORT against SCHEMA (xmlschema; schemas/junit-10.xsd is the schema Jenkins' xunit
plugin validates with), then loads it with junitparser and prints {"cases": N, "failed": N,
"skipped": N} by junitparser's reading of each case's result. Exits 1 with the reason when
either refuses the file. Needs scripts/report-readers/requirements.txt.
"""
import json
import sys

import junitparser
import xmlschema


def main():
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    schema, report = sys.argv[1:]
    try:
        xmlschema.XMLSchema(schema).validate(report)
    except xmlschema.XMLSchemaException as error:
        raise SystemExit(f"{report} does not validate against {schema}: {error}")
    cases = [case for suite in junitparser.JUnitXml.fromfile(report) for case in suite]
    failed = sum(1 for c in cases if any(isinstance(r, (junitparser.Failure, junitparser.Error)) for r in c.result))
    skipped = sum(1 for c in cases if any(isinstance(r, junitparser.Skipped) for r in c.result))
    print(json.dumps({"cases": len(cases), "failed": failed, "skipped": skipped}))


if __name__ == "__main__":
    main()
