"""Check that every example in the OpenAPI document validates against its own schema, and none is missing.

Run: `python tools/check_spec_examples.py openapi/laserfiche-repository-v2.yaml` (part of `make lint`).

What is checked:
* every `example` / `examples` on a schema, parameter, header or media type validates against that schema
  (OpenAPI 3.0 semantics: `nullable`, formats such as uuid, int32, date-time);
* every request body and every response media type carries an example, and so does every parameter;
* every `discriminator` is coherent: its `mapping` names exactly the `oneOf`/`anyOf` members, and each member
  requires the discriminating property as a one-value enum equal to its mapping key (so a generator that
  ignores `discriminator` and tries the members in turn still picks the right one).

Examples are validated with the discriminator left out: `oneOf` alone is stricter (exactly one member must
accept the example), and the mapping's coherence is checked separately as above.
Exit status 1 with one line per problem, 0 when all is well.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml
from openapi_schema_validator import OAS30Validator

Json = Any


def _resolve(spec: Json, node: Json, seen: tuple[str, ...] = ()) -> Json:
    """Inline every `$ref` (the spec has no recursive schemas; a cycle is reported as an error)."""
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str):
            if ref in seen:
                raise ValueError(f"recursive $ref {ref}")
            target: Json = spec
            for part in ref.removeprefix("#/").split("/"):
                target = target[part.replace("~1", "/").replace("~0", "~")]
            return _resolve(spec, target, (*seen, ref))
        return {
            key: _resolve(spec, value, seen)
            for key, value in node.items()
            if key not in ("example", "examples", "discriminator")
        }
    if isinstance(node, list):
        return [_resolve(spec, item, seen) for item in node]
    return node


def _examples_of(node: dict[str, Json]) -> Iterator[tuple[str, Json]]:
    if "example" in node:
        yield "example", node["example"]
    examples = node.get("examples")
    if isinstance(examples, dict):
        for name, example in examples.items():
            if isinstance(example, dict) and "value" in example:
                yield f"examples/{name}", example["value"]


def _walk(node: Json, path: tuple[str, ...]) -> Iterator[tuple[tuple[str, ...], dict[str, Json]]]:
    if isinstance(node, dict):
        yield path, node
        for key, value in node.items():
            yield from _walk(value, (*path, str(key)))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _walk(value, (*path, str(index)))


def _pointer(parts: tuple[str, ...]) -> str:
    return "#/" + "/".join(p.replace("~", "~0").replace("/", "~1") for p in parts)


def _member_enum(spec: Json, member: Json, prop: str) -> tuple[list[Json] | None, bool]:
    """The enum the (resolved) member gives `prop`, and whether the member requires `prop`."""
    resolved = _resolve(spec, member)
    parts = [resolved, *resolved.get("allOf", [])]
    enum: list[Json] | None = None
    required = False
    for part in parts:
        schema = part.get("properties", {}).get(prop)
        if isinstance(schema, dict) and "enum" in schema:
            enum = schema["enum"]
        required = required or prop in part.get("required", [])
    return enum, required


def _check_discriminator(spec: Json, pointer: str, node: dict[str, Json]) -> list[str]:
    problems: list[str] = []
    discriminator = node["discriminator"]
    prop = discriminator.get("propertyName")
    members = node.get("oneOf", node.get("anyOf", []))
    refs = [m.get("$ref") for m in members]
    mapping = discriminator.get("mapping", {})
    if sorted(mapping.values()) != sorted(refs):
        targets = sorted(mapping.values())
        problems.append(f"{pointer}/discriminator: mapping {targets} != members {sorted(refs)}")
    for key, ref in mapping.items():
        enum, required = _member_enum(spec, {"$ref": ref}, prop)
        if enum != [key] or not required:
            problems.append(
                f"{pointer}/discriminator: {ref} must require {prop!r} as the one-value enum [{key!r}]"
            )
    return problems


def check(spec: Json) -> list[str]:
    problems: list[str] = []
    for parts, node in _walk(spec, ()):
        pointer = _pointer(parts)
        if isinstance(node.get("discriminator"), dict) and not ("in" in node and "name" in node):
            problems += _check_discriminator(spec, pointer, node)
        is_media_type = len(parts) >= 2 and parts[-2] == "content"
        is_parameter = "in" in node and "name" in node and "schema" in node
        is_header = len(parts) >= 2 and parts[-2] == "headers" and "schema" in node
        is_schema = len(parts) == 3 and parts[:2] == ("components", "schemas")
        if not (is_media_type or is_parameter or is_header or is_schema):
            continue
        schema = node if is_schema else node.get("schema")
        if schema is None:
            problems.append(f"{pointer}: has no schema")
            continue
        examples = list(_examples_of(node))
        if not examples and (is_media_type or is_parameter):
            problems.append(f"{pointer}: has no example")
        validator = OAS30Validator(_resolve(spec, schema), format_checker=OAS30Validator.FORMAT_CHECKER)
        for where, example in examples:
            for error in validator.iter_errors(example):
                location = "/".join(str(p) for p in error.absolute_path) or "(root)"
                problems.append(f"{pointer}/{where}: at {location}: {error.message}")
    return problems


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: check_spec_examples.py SPEC.yaml", file=sys.stderr)
        return 2
    spec = yaml.safe_load(Path(argv[1]).read_text(encoding="utf-8"))
    problems = check(spec)
    for line in problems:
        print(line)
    if problems:
        print(f"{len(problems)} example problem(s) in {argv[1]}")
        return 1
    print(f"{argv[1]}: every example validates against its schema")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
