"""Telling V2.0.1 JSON from V3 JSON by shape, cheaply: V2 names an identifiable's id in
``identification: {idType, id}`` and a class in ``modelType: {"name": ...}``, where V3 has
``id`` and ``modelType: "..."``; V2's embedded data specifications hold content without a
``modelType``."""

from __future__ import annotations

import re

#: How much of the text is looked at: the first identifiable of a V2 file starts there.
HEAD_BYTES = 1 << 16

_KEYS = (b'"identification"', b'"modelType"')
_OBJECT_FOLLOWS = re.compile(rb"\s*:\s*\{")
_ENVIRONMENT_KEYS = ("assetAdministrationShells", "submodels", "conceptDescriptions", "assets")


def is_v2_json(head_or_document: bytes | object) -> bool:
    """Whether JSON text (its start is enough) or a parsed JSON value is of the V2 shape."""
    if isinstance(head_or_document, bytes | bytearray | memoryview):
        return _v2_text(bytes(head_or_document[:HEAD_BYTES]))
    return _v2_value(head_or_document)


def _v2_text(head: bytes) -> bool:
    """The first ``identification`` or ``modelType`` key (not one inside a string, whose
    quotes are escaped) tells the shape: V2 when an object follows it. Finding a literal is
    cheap; a pattern searched over the whole head cost milliseconds on V3 input."""
    for key in _KEYS:
        start = head.find(key)
        while start > 0 and head[start - 1] == 0x5C:  # a backslash: inside a string
            start = head.find(key, start + 1)
        if start >= 0 and _OBJECT_FOLLOWS.match(head, start + len(key)):
            return True
    return False


def _v2_value(document: object) -> bool:
    if not isinstance(document, dict):
        return False
    if _v2_object(document):
        return True
    if "assets" in document and isinstance(document["assets"], list):
        return True
    for key in _ENVIRONMENT_KEYS:
        items = document.get(key)
        if isinstance(items, list) and any(_v2_object(item) for item in items[:3]):
            return True
    return False


def _v2_object(node: object) -> bool:
    return isinstance(node, dict) and (
        isinstance(node.get("identification"), dict) or isinstance(node.get("modelType"), dict)
    )
