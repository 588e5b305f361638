"""The straightforward implementations that issue 14 replaced, kept as oracles.

``check_references`` here scans an element's children for every key and walks the whole model
once more for the paths of the references that fail; ``locate`` here steps through every token
of the text in Python. Both were right and slow; the fast ones must give the same findings at
the same places, which ``test_linear_findings.py`` checks against these. Not imported by the
library.
"""

from __future__ import annotations

import bisect
import contextlib
import re
from dataclasses import replace
from typing import TYPE_CHECKING, TypeAlias, TypeGuard

from aas.findings import Finding, escape_pointer_token
from aas.metamodel.classes import identifiables as environment_items
from aas.metamodel.walk import instances, location
from aas.model import Model, Root
from aas.versions import Types, binding

if TYPE_CHECKING:
    import aas_core3.types as v30
    import aas_core3_1.types as v31

_Identifiable: TypeAlias = "v30.Identifiable | v31.Identifiable"
_Reference: TypeAlias = "v30.Reference | v31.Reference"
_Key: TypeAlias = "v30.Key | v31.Key"


def check_references(model: Model, style: str = "json") -> list[Finding]:
    types = binding(model.version).types
    environment = model.root if isinstance(model.root, types.Environment) else None
    # An id may be held twice (an error of its own, metamodel:unique-id): a reference then
    # reaches whichever of them is of the kind it names.
    identifiables: dict[str, list[_Identifiable]] = {}
    if environment is not None:
        for item in environment_items(environment):
            identifiables.setdefault(item.id, []).append(item)
    elif isinstance(model.root, types.Identifiable):
        identifiables[model.root.id] = [model.root]

    def is_model_reference(node: Root) -> TypeGuard[_Reference]:
        return (
            isinstance(node, types.Reference) and node.type is types.ReferenceTypes.MODEL_REFERENCE
        )

    # aas-core's generated descend() is the fast way through the model; the (slower) walk
    # that knows paths runs only when a reference failed, to say where it is.
    problems: dict[int, tuple[str, str]] = {}
    for node in model.root.descend():
        if is_model_reference(node):
            problem = _resolve(node, identifiables, types, judge_missing=environment is not None)
            if problem is not None:
                problems[id(node)] = problem
    if not problems:
        return []
    findings: list[Finding] = []
    for path, reference in instances(model.root, types, is_model_reference):
        problem = problems.get(id(reference))
        if problem is not None:
            rule, message = problem
            where = location(model.root, path, model.source, style)
            findings.append(Finding.of(rule, message, where))
    return findings


def _resolve(
    reference: _Reference,
    identifiables: dict[str, list[_Identifiable]],
    types: Types,
    judge_missing: bool,
) -> tuple[str, str] | None:
    keys = reference.keys
    if not keys:
        return None  # an empty reference breaks a metamodel rule, reported elsewhere
    first = keys[0]
    if first.type.value not in _IDENTIFIABLE_KEYS:
        return None  # AASd-123 reports a model reference that starts elsewhere
    held = identifiables.get(first.value)
    if held is None:
        if not judge_missing:
            return None
        return (
            "reference:unresolved",
            f"the model reference names {first.type.value} {first.value!r}, "
            "which is not in this file",
        )
    target = next((item for item in held if _is_of(item, first.type.value, types)), held[0])
    wrong = _wrong_type(target, first, types, "that id belongs to")
    if wrong is not None:
        return wrong
    node: Root = target
    walked = [first.value]
    for key in keys[1:]:
        if key.type.value in ("FragmentReference", "GlobalReference"):
            return None  # a fragment lies inside a file or blob: not a model element
        child = _child(node, key.value, types)
        if child is None:
            return (
                "reference:unresolved",
                f"the model reference walks {' / '.join(walked)} and then finds no element "
                f"{key.value!r} there",
            )
        wrong = _wrong_type(child, key, types, "that element is")
        if wrong is not None:
            return wrong
        node = child
        walked.append(key.value)
    return None


_IDENTIFIABLE_KEYS = frozenset(
    {"AssetAdministrationShell", "Submodel", "ConceptDescription", "Identifiable"}
)


def _wrong_type(node: Root, key: _Key, types: Types, which: str) -> tuple[str, str] | None:
    """The finding when what ``key`` reaches is not of the type the key names."""
    if _is_of(node, key.type.value, types):
        return None
    return (
        "reference:wrong-type",
        f"the model reference names {key.type.value} {key.value!r}, "
        f"but {which} a {type(node).__name__}",
    )


def _is_of(node: Root, key_type: str, types: Types) -> bool:
    cls = getattr(types, key_type, None)
    return isinstance(node, cls) if isinstance(cls, type) else True


def _child(node: Root, step: str, types: Types) -> Root | None:
    if isinstance(node, types.SubmodelElementList):
        items = node.value or []
        if step.isdigit() and int(step) < len(items):
            return items[int(step)]
        return None
    for child in node.descend_once():
        if isinstance(child, types.OperationVariable):
            child = child.value
        if (
            isinstance(child, types.Referable)
            and not isinstance(child, types.Identifiable)
            and child.id_short == step
        ):
            return child
    return None


# region locating (converters/json/positions.py)

_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_SCALAR = re.compile(r"[^\s,\]\}]+")
_SPACE = re.compile(r"[\s]*")


class _Scanner:
    def __init__(self, text: str, wanted: set[str]) -> None:
        self.text = text
        self.wanted = wanted
        # Pointers along the way to a wanted one: only those branches are named while scanning.
        self.prefixes = {
            "/".join(pointer.split("/")[:count])
            for pointer in wanted
            for count in range(1, pointer.count("/") + 2)
        }
        self.found: dict[str, int] = {}

    def space(self, at: int) -> int:
        match = _SPACE.match(self.text, at)
        return match.end() if match else at

    def value(self, at: int, pointer: str) -> int:
        """Scan the value at ``at`` (after whitespace); return the index after it."""
        at = self.space(at)
        if pointer in self.wanted:
            self.found[pointer] = at
        follow = pointer in self.prefixes
        char = self.text[at : at + 1]
        if char == "{":
            return self.object(at + 1, pointer, follow)
        if char == "[":
            return self.array(at + 1, pointer, follow)
        if char == '"':
            match = _STRING.match(self.text, at)
            return match.end() if match else len(self.text)
        match = _SCALAR.match(self.text, at)
        return match.end() if match else at + 1

    def object(self, at: int, pointer: str, follow: bool) -> int:
        at = self.space(at)
        if self.text[at : at + 1] == "}":
            return at + 1
        while at < len(self.text):
            match = _STRING.match(self.text, self.space(at))
            if match is None:
                return len(self.text)
            key = _decode_key(match.group())
            at = self.space(match.end()) + 1  # past ':'
            child = f"{pointer}/{escape_pointer_token(key)}" if follow else pointer + "/\x00"
            at = self.space(self.value(at, child))
            if self.text[at : at + 1] == ",":
                at += 1
                continue
            return at + 1
        return at

    def array(self, at: int, pointer: str, follow: bool) -> int:
        at = self.space(at)
        if self.text[at : at + 1] == "]":
            return at + 1
        index = 0
        while at < len(self.text):
            child = f"{pointer}/{index}" if follow else pointer + "/\x00"
            at = self.space(self.value(at, child))
            index += 1
            if self.text[at : at + 1] == ",":
                at += 1
                continue
            return at + 1
        return at


def _decode_key(literal: str) -> str:
    import json

    try:
        return str(json.loads(literal))
    except ValueError:
        return literal[1:-1]


def locate(data: bytes, pointers: set[str]) -> dict[str, tuple[int, int]]:
    """(line, column), both 1-based, of each of ``pointers`` that the text holds."""
    if not pointers:
        return {}
    text = data.decode("utf-8", errors="replace").removeprefix("\ufeff")
    scanner = _Scanner(text, pointers)
    with contextlib.suppress(RecursionError):  # absurdly deep text: give what was found
        scanner.value(0, "")
    line_starts = [0] + [match.end() for match in re.finditer("\n", text)]
    positions: dict[str, tuple[int, int]] = {}
    for pointer, offset in scanner.found.items():
        line = bisect.bisect_right(line_starts, offset)
        positions[pointer] = (line, offset - line_starts[line - 1] + 1)
    return positions


def with_positions(findings: list[Finding], data: bytes) -> list[Finding]:
    """The findings, each pointer into ``data`` given its line and column where it has none:
    the text is scanned only when a finding needs it, and only down the branches asked for."""
    wanted = {
        f.location.pointer
        for f in findings
        if f.location.pointer is not None and f.location.line is None
    }
    if not wanted:
        return findings
    positions = locate(data, wanted)
    located: list[Finding] = []
    for finding in findings:
        position = positions.get(finding.location.pointer or "\x00")
        if position is not None and finding.location.line is None:
            location = replace(finding.location, line=position[0], column=position[1])
            finding = replace(finding, location=location)
        located.append(finding)
    return located
