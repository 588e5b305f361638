"""Telling V2.0.1 JSON from V3 JSON by shape, cheaply: V2 names an identifiable's id in
``identification: {idType, id}`` and a class in ``modelType: {"name": ...}``, where V3 has
``id`` and ``modelType: "..."``; V2's embedded data specifications hold content without a
``modelType``. An environment with an ``assets`` list is V2 too, even with no identifiable in
it (BaSyx Python's V2 test files hold empty lists only): V3 has no property of that name."""

from __future__ import annotations

import re

#: How much of the text is looked at: the first identifiable of a V2 file starts there.
HEAD_BYTES = 1 << 16

_KEYS = (b'"identification"', b'"modelType"')
_OBJECT_FOLLOWS = re.compile(rb"\s*:\s*\{")
_LIST_FOLLOWS = re.compile(rb"\s*:\s*\[")
_STRING_FOLLOWS = re.compile(rb'\s*:\s*"')
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
        if _key_followed_by(head, key, _OBJECT_FOLLOWS):
            return True
    # An assets list tells V2 only where nothing tells V3 (a modelType string): a V3 file
    # that carries an unknown "assets" key stays V3.
    return _key_followed_by(head, b'"assets"', _LIST_FOLLOWS) and not _key_followed_by(
        head, b'"modelType"', _STRING_FOLLOWS
    )


def _key_followed_by(head: bytes, key: bytes, follows: re.Pattern[bytes]) -> bool:
    start = head.find(key)
    while start > 0 and head[start - 1] == 0x5C:  # a backslash: inside a string
        start = head.find(key, start + 1)
    return start >= 0 and follows.match(head, start + len(key)) is not None


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
