#!/usr/bin/env python3
"""Interoperability: validate the example specs with an independent JSON Schema implementation
(Debian's python3-jsonschema and python3-yaml), so the schema works in editors and other tools,
not only with our own validator. Resolves `$inkluder` like the tool does."""
import json
import os
import sys
from importlib.metadata import version

import jsonschema
import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ID_KEYS = {"id", "delkontrakt", "indsats", "element", "indsatsspor", "kan_kombineres_med", "elementer"}


class Loader(yaml.SafeLoader):
    """YAML 1.2-like: dates stay strings (the tool reads YAML 1.2, where 2024-07-01 is text)."""


Loader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load(path):
    with open(path, encoding="utf-8") as f:
        data = yaml.load(f, Loader=Loader)
    return resolve(data, os.path.dirname(path))


def resolve(node, base, key=None):
    if isinstance(node, dict):
        if list(node.keys()) == ["$inkluder"]:
            return load(os.path.join(base, node["$inkluder"]))
        return {k: resolve(v, base, k) for k, v in node.items()}
    if isinstance(node, list):
        return [resolve(v, base, key) for v in node]
    if key in ID_KEYS and isinstance(node, (int, float)) and not isinstance(node, bool):
        return str(node)
    return node


def main():
    with open(os.path.join(ROOT, "schemas", "udbud.schema.json"), encoding="utf-8") as f:
        schema = json.load(f)
    jsonschema.Draft7Validator.check_schema(schema)
    validator = jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker())
    failed = 0
    for spec in sys.argv[1:]:
        data = load(os.path.join(spec, "udbud.yaml"))
        errors = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
        for e in errors:
            print(f"{spec}: {'/'.join(map(str, e.absolute_path))}: {e.message}")
        print(f"{'ok' if not errors else 'FAIL'}: {spec} ({len(errors)} errors, python-jsonschema {version('jsonschema')})")
        failed += bool(errors)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
