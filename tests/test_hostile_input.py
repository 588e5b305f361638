"""Hostile and broken input: every reader refuses attacks and damage with a clear error.

Each case is a small file made here, with its expected outcome. In every case: no network
access (Python sockets refuse to connect, and a listening socket shows that libxml2 never
connected either), no file outside the input is read (a secret file's content never shows,
and Python opens nothing beside the input outside the toolkit and the interpreter), the error
names what is wrong and where, and the CLI exits 3 for input from which no model can be read
(validate too, listing what it found) or 1 for findings, never with a traceback.

AASX archive attacks (zip slip, absolute names, symlinks, a zip bomb by ratio and by total size
with the limits a user can raise, duplicate and encrypted members, truncated archives, a missing
origin or spec part) are covered by tests/test_aasx.py; this file adds what it lacks.
"""

from __future__ import annotations

import base64
import io
import json
import os
import socket
import subprocess
import sys
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from test_aasx import (
    REL_THUMBNAIL,
    RELS,
    SENSOR_AASX,
    build_zip,
    rels_xml,
    sensor_members,
)

import aas
import aas.converters.aasx.format as aasx_format
import aas.converters.json.format as json_format
from aas.findings import Severity
from aas.limits import Limits

from conftest import REPO, assert_clean_failure, large_model, run_cli

NS_30 = "https://admin-shell.io/aas/3/0"
NS_31 = "https://admin-shell.io/aas/3/1"
MB = 1_000_000

# region guards: no network, no file outside the input

_OPENED: list[str] | None = None


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if event == "open" and _OPENED is not None and isinstance(args[0], str | bytes | os.PathLike):
        _OPENED.append(os.fsdecode(args[0]))


sys.addaudithook(_audit)  # records only while a Guard is active


@dataclass
class Guard:
    """What a hostile input could reach, and what it did reach."""

    port: int  # a local port that listens: libxml2 fetching a URL would connect here
    secret: Path  # a file beside the input whose content must never come out
    marker: str
    opened: list[str] = field(default_factory=list)

    def url(self, name: str = "x") -> str:
        return f"http://127.0.0.1:{self.port}/{name}"

    def assert_not_leaked(self, *texts: str | bytes) -> None:
        for text in texts:
            shown = text.decode("utf-8", "replace") if isinstance(text, bytes) else text
            assert self.marker not in shown
            assert "root:x:0:0" not in shown  # /etc/passwd


@pytest.fixture
def guard(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Guard]:
    global _OPENED
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    listener.setblocking(False)

    def refuse(self: socket.socket, *args: Any) -> Any:
        raise AssertionError(f"network access attempted: {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    secret = tmp_path / "secret.txt"
    marker = "SECRET-7f3a9c-NOT-FOR-OUTPUT"
    secret.write_text(marker)
    found = Guard(listener.getsockname()[1], secret, marker)
    _OPENED = found.opened
    try:
        yield found
    finally:
        _OPENED = None
    try:
        with pytest.raises(BlockingIOError):
            listener.accept()  # nobody connected, not even from C code
    finally:
        listener.close()
    roots = [str(REPO), sys.prefix, sys.base_prefix, sys.exec_prefix]
    outside = [
        path
        for path in found.opened
        if not any(os.path.abspath(path).startswith(root) for root in roots)
        and not path.startswith(str(tmp_path / "in"))
    ]
    assert outside == [], f"files read outside the input: {outside}"


# endregion

# region documents


def xml_environment(elements: str, namespace: str = NS_30) -> bytes:
    """A V3.0 (or V3.1) XML environment with one submodel holding ``elements``."""
    return (
        f'<?xml version="1.0" encoding="utf-8"?>\n<environment xmlns="{namespace}">'
        "<submodels><submodel><id>urn:x:sm</id>"
        f"<submodelElements>{elements}</submodelElements>"
        "</submodel></submodels></environment>"
    ).encode()


def xml_property(value: str) -> str:
    return (
        "<property><idShort>Value</idShort><valueType>xs:string</valueType>"
        f"<value>{value}</value></property>"
    )


def xml_nested(levels: int) -> bytes:
    """Submodel element collections nested ``levels`` deep: 6 + 2 * levels XML levels."""
    head = "".join(
        f"<submodelElementCollection><idShort>c{i}</idShort><value>" for i in range(levels)
    )
    tail = "</value></submodelElementCollection>" * levels
    return xml_environment(head + xml_property("x") + tail)


def json_environment(elements: str) -> bytes:
    return (
        '{"submodels": [{"modelType": "Submodel", "id": "urn:x:sm", '
        f'"submodelElements": [{elements}]}}]}}'
    ).encode()


def json_property(value: str = '"x"', id_short: str = "Value") -> str:
    return (
        f'{{"modelType": "Property", "idShort": "{id_short}", "valueType": "xs:string", '
        f'"value": {value}}}'
    )


def json_nested(levels: int) -> bytes:
    """Submodel element collections nested ``levels`` deep: 5 + 2 * levels JSON levels."""
    head = "".join(
        f'{{"modelType": "SubmodelElementCollection", "idShort": "c{i}", "value": ['
        for i in range(levels)
    )
    return json_environment(head + json_property() + "]}" * levels)


def with_doctype(doctype: str, body: str = "") -> bytes:
    return (
        f'<?xml version="1.0"?>\n{doctype}\n<environment xmlns="{NS_30}">{body}</environment>'
    ).encode()


def billion_laughs() -> bytes:
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)
    ]
    return with_doctype(f"<!DOCTYPE environment [{''.join(entities)}]>", "&lol9;")


# endregion

# region the cases


@dataclass(frozen=True)
class Case:
    """One hostile or broken file and what must come of it."""

    name: str  # the file name (its suffix names the format)
    make: Callable[[Guard], bytes]
    rule: str  # the rule of the error (load) and of the error finding (validate)
    says: str  # part of the message
    line: int | None = None  # the line the error points at, where it has one


XML_CASES = [
    Case(
        "xxe-file.xml",
        lambda g: with_doctype(
            '<!DOCTYPE environment [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>', "&xxe;"
        ),
        "xml:doctype",
        "DOCTYPE",
        line=2,  # the declaration's line
    ),
    Case(
        "xxe-secret.xml",
        lambda g: with_doctype(
            f'<!DOCTYPE environment [<!ENTITY xxe SYSTEM "{g.secret.as_uri()}">]>', "&xxe;"
        ),
        "xml:doctype",
        "DOCTYPE",
    ),
    Case(
        "xxe-network.xml",
        lambda g: with_doctype(
            '<!DOCTYPE environment [<!ENTITY xxe SYSTEM "http://127.0.0.1:9/x">]>', "&xxe;"
        ),
        "xml:doctype",
        "DOCTYPE",
    ),
    Case(
        "xxe-listener.xml",
        lambda g: with_doctype(
            f'<!DOCTYPE environment [<!ENTITY xxe SYSTEM "{g.url()}">]>', "&xxe;"
        ),
        "xml:doctype",
        "DOCTYPE",
    ),
    Case("billion-laughs.xml", lambda g: billion_laughs(), "xml:doctype", "DOCTYPE"),
    Case(
        "external-dtd.xml",
        lambda g: with_doctype(f'<!DOCTYPE environment SYSTEM "{g.url("aas.dtd")}">'),
        "xml:doctype",
        "DOCTYPE",
    ),
    Case(
        "parameter-entity.xml",
        lambda g: with_doctype(
            f'<!DOCTYPE environment [<!ENTITY % remote SYSTEM "{g.url("p.dtd")}"> %remote;'
            f'<!ENTITY % local SYSTEM "{g.secret.as_uri()}"> %local;]>'
        ),
        "xml:doctype",
        "DOCTYPE",
    ),
    Case("plain-doctype.xml", lambda g: with_doctype("<!DOCTYPE environment>"), "xml:doctype", ""),
    Case(
        "undeclared-entity.xml",
        lambda g: xml_environment(xml_property("&xxe;")),
        "xml:syntax",
        "Entity 'xxe' not defined",
        line=2,
    ),
    Case(
        "huge-text.xml",
        lambda g: xml_environment(xml_property("a" * 12 * MB)),
        "xml:text-length",
        "AAS_MAX_XML_TEXT_BYTES",
        line=2,
    ),
    Case(
        "deep.xml",
        lambda g: xml_nested(50_000),  # 100,006 levels of elements
        "xml:nesting-depth",
        "deeper than 256 levels of elements",
        line=2,
    ),
    Case(
        "wrong-namespace.xml",
        lambda g: xml_environment(xml_property("x"), "https://admin-shell.io/aas/2/0"),
        "xml:namespace",
        "unknown namespace 'https://admin-shell.io/aas/2/0'",
        line=2,
    ),
    Case(
        "no-namespace.xml",
        lambda g: xml_environment(xml_property("x")).replace(f' xmlns="{NS_30}"'.encode(), b""),
        "xml:namespace",
        "no namespace",
        line=2,
    ),
    Case(
        "invalid-utf8.xml",
        lambda g: xml_environment(xml_property("caf\udce9").replace("\udce9", "@")).replace(
            b"caf@", b"caf\xe9"
        ),
        "xml:syntax",
        "Invalid bytes in character encoding",
        line=2,
    ),
    Case(
        "xinclude.xml",
        lambda g: xml_environment(
            f'<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="{g.secret.as_uri()}"'
            ' parse="text"/>'
        ),
        "model:type",
        "XInclude",
    ),
]

JSON_CASES = [
    Case(
        "deep-arrays.json",
        lambda g: b'{"submodels": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
        "json:nesting-depth",
        "deeper than 1024 levels",
        line=1,
    ),
    Case(
        "deep-collections.json",
        lambda g: json_nested(400),  # 805 levels: beyond the limit, within orjson's 1024
        "json:nesting-depth",
        "deeper than 256 levels of objects and arrays",
        line=1,
    ),
    Case(
        "truncated-deep.json",
        lambda g: b"[" * 600,
        "json:syntax",
        "not well-formed JSON",
        line=1,
    ),
    Case(
        "huge-exponent.json",
        lambda g: json_environment(json_property("1e999")),
        "json:syntax",
        "beyond the range of a double",
        line=1,
    ),
    Case(
        "huge-integer.json",
        lambda g: json_environment(json_property("9" * 5000)),
        "json:syntax",
        "beyond the range of a double",
        line=1,
    ),
    Case(
        "big-number-as-value.json",
        lambda g: json_environment(json_property("123456789012345678901234567890")),
        "model:type",
        "cannot read as an AAS",
    ),
    Case(
        "nan.json",
        lambda g: json_environment(json_property("NaN")),
        "json:syntax",
        "NaN and Infinity are not JSON numbers",
        line=1,
    ),
    Case(
        "infinity.json",
        lambda g: b'{"submodels": [\n  Infinity\n]}',
        "json:syntax",
        "NaN and Infinity are not JSON numbers",
        line=2,
    ),
    Case(
        "minus-infinity.json",
        lambda g: json_environment(json_property("-Infinity")),
        "json:syntax",
        "not well-formed JSON",
        line=1,
    ),
    Case(
        "invalid-utf8.json",
        lambda g: json_environment(json_property('"caf@"')).replace(b"caf@", b"caf\xe9"),
        "json:syntax",
        "the byte 0xe9 at offset",
        line=1,
    ),
    Case(
        "utf16.json",
        lambda g: json_environment(json_property()).decode().encode("utf-16"),
        "json:syntax",
        "is no valid UTF-8",
        line=1,
    ),
    Case(
        "truncated.json",
        lambda g: json_environment(json_property())[:60],
        "json:syntax",
        "unexpected end of data",
        line=1,
    ),
    Case("empty.json", lambda g: b"", "json:syntax", "empty document"),
    Case("array.json", lambda g: b"[{}]", "model:type", "an array"),
    Case("string.json", lambda g: b'"submodels"', "model:type", "a string"),
    Case("number.json", lambda g: b"3.1", "model:type", "a number"),
    Case("boolean.json", lambda g: b"true", "model:type", "a boolean"),
    Case("null.json", lambda g: b"null", "model:type", "null"),
]

CASES = {case.name: case for case in XML_CASES + JSON_CASES}


def write_case(case: Case, guard: Guard, folder: Path) -> Path:
    folder.mkdir(exist_ok=True)
    path = folder / case.name
    path.write_bytes(case.make(guard))
    return path


@pytest.mark.parametrize("name", list(CASES))
def test_hostile_or_broken_document_is_refused_with_a_located_error(
    name: str, tmp_path: Path, guard: Guard
) -> None:
    case = CASES[name]
    source = write_case(case, guard, tmp_path / "in")
    before = (source.read_bytes(), source.stat().st_mtime_ns)

    with pytest.raises(aas.ReadError) as caught:
        aas.load(source)
    error = caught.value
    assert error.rule == case.rule, str(error)
    assert case.says in error.message
    assert error.location.file == str(source)
    if case.line is not None:
        assert error.location.line == case.line, str(error)
    assert "Traceback" not in str(error)

    report = aas.validate(source)
    # what cannot be loaded (convert exits 3) is unreadable for validate too (exit 3)
    assert report.readable is False, report.to_text()
    errors = [f for f in report.findings if f.severity is Severity.ERROR]
    assert case.rule in [f.rule for f in errors], report.to_text()
    assert all(f.location.file == str(source) for f in errors)

    out = tmp_path / "out" / "model.xml"
    out.parent.mkdir()
    with pytest.raises(aas.ReadError):
        aas.convert(source, out)
    assert os.listdir(out.parent) == []

    guard.assert_not_leaked(str(error), report.to_text())
    assert (source.read_bytes(), source.stat().st_mtime_ns) == before


@pytest.mark.parametrize(
    "document",
    [
        f'<environment xmlns="{NS_31}}}"/>',
        f'<environment xmlns="{NS_31}"><submodels xmlns="urn:x}}"/></environment>',
        f'<environment xmlns="{NS_31}"><submodels><submodel xmlns="urn:{{x}}"/></submodels>'
        "</environment>",
    ],
)
def test_a_namespace_holding_a_brace_is_refused_cleanly(document: str) -> None:
    """lxml writes such an element's tag as "{urn:x}}submodels", which its own QName cannot
    take apart (found by the fuzz run)."""
    with pytest.raises(aas.ReadError) as caught:
        aas.load(document.encode(), format="xml")
    assert "namespace" in caught.value.message
    report = aas.validate(document.encode(), format="xml")
    assert not report.readable
    assert "is not a valid URI" in report.findings[0].message


def test_xml_with_a_byte_order_mark_is_read(tmp_path: Path, guard: Guard) -> None:
    plain = xml_environment(xml_property("x"))
    source = tmp_path / "in" / "bom.xml"
    source.parent.mkdir()
    source.write_bytes(b"\xef\xbb\xbf" + plain)
    model = aas.load(source)
    assert not [f for f in model.findings if f.severity >= Severity.WARNING]
    assert aas.dump(model, "json").data == aas.dump(aas.load(plain), "json").data
    assert aas.validate(source).ok


def test_json_with_a_byte_order_mark_is_read_with_a_warning(tmp_path: Path, guard: Guard) -> None:
    plain = json_environment(json_property())
    source = tmp_path / "in" / "bom.json"
    source.parent.mkdir()
    source.write_bytes(b"\xef\xbb\xbf" + plain)
    model = aas.load(source)
    bom = [f for f in model.findings if f.rule == "json:bom"]
    assert [(f.severity, f.location.line) for f in bom] == [(Severity.WARNING, 1)]
    assert aas.dump(model, "json").data == aas.dump(aas.load(plain, format="json"), "json").data
    report = aas.validate(source)
    assert report.ok
    assert "json:bom" in [f.rule for f in report.findings]


def test_an_xml_text_of_several_megabytes_is_read_and_the_limit_can_be_raised(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    five = xml_environment(xml_property("b" * 5 * MB))
    model = aas.load(five)
    assert len(model.root.submodels[0].submodel_elements[0].value) == 5 * MB
    assert aas.validate(five).readable

    twelve = xml_environment(xml_property("c" * 12 * MB))
    with pytest.raises(aas.ReadError, match="AAS_MAX_XML_TEXT_BYTES"):
        aas.load(twelve)
    monkeypatch.setenv("AAS_MAX_XML_TEXT_BYTES", str(20 * MB))
    assert len(aas.load(twelve).root.submodels[0].submodel_elements[0].value) == 12 * MB
    assert aas.validate(twelve).readable
    # ... and lowered below libxml2's own limit, it is enforced here.
    monkeypatch.setenv("AAS_MAX_XML_TEXT_BYTES", str(MB))
    for check in (aas.load, aas.validate):
        try:
            result = check(five)
        except aas.ReadError as error:
            assert error.rule == "xml:text-length"
            assert "1,000,000 bytes" in error.message
        else:
            assert isinstance(result, aas.Report)
            assert not result.readable or "xml:text-length" in [f.rule for f in result.findings]


@pytest.mark.parametrize("size", [40_000, 3 * MB])
def test_long_xml_texts_are_read_whole(size: int) -> None:
    """lxml hands out an element's start event before its text is complete, and aas-core reads
    the text there: values longer than about 32 KB used to be cut short without a word."""
    blob = base64.b64encode(bytes(range(256)) * (size // 256)).decode()
    elements = ", ".join(
        [
            json_property(json.dumps("v" * size)),
            '{"modelType": "Blob", "idShort": "Data", "contentType": "application/pdf", '
            f'"value": "{blob}"}}',
            '{"modelType": "MultiLanguageProperty", "idShort": "Text", "value": '
            f'[{{"language": "en", "text": "{"t" * size}"}}]}}',
        ]
    )
    model = aas.load(json_environment(elements), format="json")
    as_xml = aas.dump(model, "xml").data
    again = aas.load(as_xml)
    values = again.root.submodels[0].submodel_elements
    assert len(values[0].value) == size
    assert values[1].value == bytes(range(256)) * (size // 256)
    assert len(values[2].value[0].text) == size
    assert aas.dump(again, "json").data == aas.dump(model, "json").data


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("ab<!--c-->cd", "abcd"),
        ("ab<?pi x?>cd<!--e-->ef", "abcdef"),
        ("<!--c-->abc", "abc"),
        ("<![CDATA[a<b]]><!--x-->c", "a<bc"),
    ],
)
def test_text_after_a_comment_inside_a_value_is_kept(written: str, read: str) -> None:
    """aas-core reads an element's first text node only: the text after a comment used to be
    lost without a word (only the comment was reported as dropped)."""
    source = xml_environment(xml_property(written))
    model = aas.load(source)
    assert model.root.submodels[0].submodel_elements[0].value == read
    assert {f.rule for f in model.findings} <= {"xml:comment-dropped", "xml:pi-dropped"}
    assert model.findings
    report = aas.validate(source)
    assert report.ok
    assert report.findings
    assert (
        aas.dump(aas.load(aas.dump(model, "xml").data), "json").data == aas.dump(model, "json").data
    )


@pytest.mark.parametrize("value", ["a\rb", "a\r\nb", "\r", " a\tb\n "])
def test_carriage_returns_and_white_space_survive_xml(value: str) -> None:
    """A raw carriage return in XML text reads back as a line feed: it is written as &#13;."""
    source = json_environment(json_property(json.dumps(value)))
    model = aas.load(source, format="json")
    as_xml = aas.dump(model, "xml").data
    assert b"\r" not in as_xml
    assert aas.load(as_xml).root.submodels[0].submodel_elements[0].value == value


@pytest.mark.parametrize("character", ["\x1f", "\x00", "\ufffe"])
def test_text_xml_cannot_hold_is_refused_not_written_broken(character: str, tmp_path: Path) -> None:
    """JSON can hold any character; XML 1.0 cannot hold these at all. The model says so
    (AASd-130), and the XML writer refuses rather than write a file no reader takes."""
    source = tmp_path / "control.json"
    source.write_bytes(json_environment(json_property(json.dumps(f"a{character}b"))))
    model = aas.load(source)
    assert "AASd-130" in [f.rule for f in model.findings]
    with pytest.raises(aas.FindingsError) as caught:
        aas.dump(model, "xml")
    assert f"U+{ord(character):04X}" in caught.value.message
    assert [f.rule for f in caught.value.findings] == ["xml:unrepresentable-character"]
    target = tmp_path / "out.aasx"
    target.write_bytes(b"old")
    with pytest.raises(aas.FindingsError):
        aas.convert(source, target)
    assert target.read_bytes() == b"old"
    assert sorted(os.listdir(tmp_path)) == ["control.json", "out.aasx"]
    assert aas.load(aas.dump(model, "json").data, format="json").root.submodels[0].id == "urn:x:sm"
    if character == "\x1f":
        stderr = assert_clean_failure(run_cli("convert", str(source), str(target)), 1)
        assert "U+001F" in stderr
        assert target.read_bytes() == b"old"


# endregion

# region nesting depth


def test_the_deepest_model_within_the_limit_goes_everywhere(tmp_path: Path) -> None:
    """125 nested collections: 255 JSON levels, 256 XML levels, both at the default limit.

    orjson writes no more than 254 levels; the JSON writer then falls back to the standard
    library, which gives the same bytes."""
    source = json_nested(125)
    model = aas.load(source, format="json")
    assert aas.validate(source, format="json").readable
    as_json = aas.dump(model, "json").data
    assert aas.load(as_json, format="json").root.submodels[0].id == "urn:x:sm"
    as_xml = aas.dump(model, "xml").data
    assert aas.dump(aas.load(as_xml), "json").data == as_json
    assert aas.validate(as_xml).readable
    as_aasx = aas.dump(model, "aasx").data
    assert aas.dump(aas.load(as_aasx), "json").data == as_json

    with pytest.raises(aas.ReadError, match="deeper than 256"):
        aas.load(json_nested(126), format="json")
    with pytest.raises(aas.ReadError, match="deeper than 256"):
        aas.load(xml_nested(126))


def test_the_json_writer_fallback_gives_the_same_bytes_as_orjson(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    model = aas.load(SENSOR_AASX)
    expected = aas.dump(model, "json").data
    real = json_format.orjson.dumps

    def shallow(value: Any, option: int | None = None) -> bytes:
        if option is not None:
            raise json_format.orjson.JSONEncodeError("Recursion limit reached")
        return real(value)

    monkeypatch.setattr(json_format.orjson, "dumps", shallow)
    assert aas.dump(model, "json").data == expected


@pytest.mark.parametrize("depth", [40, 100])
def test_the_nesting_limit_can_be_lowered(depth: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AAS_MAX_NESTING_DEPTH", str(depth))
    levels = (depth - 4) // 2  # just beyond the limit in both formats
    for source, rule in ((json_nested(levels), "json"), (xml_nested(levels), "xml")):
        with pytest.raises(aas.ReadError) as caught:
            aas.load(source, format=rule)
        assert caught.value.rule == f"{rule}:nesting-depth"
        assert f"deeper than {depth} levels" in caught.value.message
        report = aas.validate(source, format=rule)
        assert not report.readable
        assert f"{rule}:nesting-depth" in [f.rule for f in report.findings]
        aas.load(json_nested(levels - 2), format="json")
        aas.load(xml_nested(levels - 2))


@pytest.mark.parametrize(
    "text",
    [
        '{"a": "[[[[[[[[[[[[[[[[[[[[", "b": [[["{{{{{{{{{{{{{{{{{{{{{"]]]}',
        '{"a": "\\\\", "b": "\\"[[[[[[[[[[[[[[[[[", "c": [[[["]]]]]]]]]]]]]]]]]\\\\"]]]]}',
        '[[[[[[[[[["\\u005b\\"\\\\\\"[[[[[[[[[[[[[[[[[[[[[[[["]]]]]]]]]]',
        '{"k\\"[[[[[[[[[[[": {"v": [1, 2, {"w": "]]]]]]]]]]]]]]]]]]]]]]]]]]]"}]}}',
    ],
)
def test_the_json_depth_scan_ignores_brackets_in_strings(text: str) -> None:
    data = text.encode()
    depth = 0
    deepest = 0

    def measure(node: Any, level: int) -> None:
        nonlocal deepest
        if isinstance(node, dict | list):
            deepest = max(deepest, level + 1)
            for child in node.values() if isinstance(node, dict) else node:
                measure(child, level + 1)

    measure(json.loads(data), depth)
    assert deepest < 12
    for limit in range(1, 14):
        assert json_format._deeper_than(data, limit) is (deepest > limit), (limit, deepest)
        if deepest > limit:
            offset = json_format._offset_beyond(data, limit)
            assert data[offset : offset + 1] in (b"[", b"{")


def test_a_limit_that_is_no_number_is_a_usage_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AAS_MAX_NESTING_DEPTH", "deep")
    with pytest.raises(aas.UsageError, match="AAS_MAX_NESTING_DEPTH='deep' is not a whole number"):
        aas.load(json_environment(json_property()), format="json")
    result = run_cli("validate", "--from", "json", "-", stdin=json_environment(json_property()))
    assert result.returncode == 2  # the command inherits the setting: a usage error


def test_a_raised_nesting_limit_ends_in_a_clean_error_where_python_stops(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Raised far beyond what Python's recursion follows, the readers and writers still fail
    cleanly (a ReadError or WriteError), never with a RecursionError."""
    monkeypatch.setenv("AAS_MAX_NESTING_DEPTH", "2000")
    for levels in (300, 480):
        for source, fmt in ((json_nested(levels), "json"), (xml_nested(levels), "xml")):
            try:
                model = aas.load(source, format=fmt)
            except aas.ReadError as error:
                assert "nesting-depth" in error.rule, str(error)
            else:
                for target in ("json", "xml"):
                    try:
                        aas.dump(model, target)
                    except aas.WriteError as error:
                        assert "nests too deeply" in error.message
            report = aas.validate(source, format=fmt)
            if not report.readable:
                assert [f.rule for f in report.findings if "nesting-depth" in f.rule]


# endregion

# region duplicate keys


def duplicate_rules(findings: list[aas.Finding]) -> list[tuple[str | None, int | None]]:
    return [
        (f.location.pointer, f.location.line) for f in findings if f.rule == "json:duplicate-key"
    ]


def test_duplicate_keys_are_reported_with_their_pointer(tmp_path: Path) -> None:
    source = tmp_path / "duplicate.json"
    source.write_text(
        "{\n"
        '  "submodels": [\n'
        "    {\n"
        '      "modelType": "Submodel",\n'
        '      "id": "urn:x:first",\n'
        '      "id": "urn:x:second",\n'
        '      "submodelElements": [\n'
        f"        {json_property(chr(34) + 'one' + chr(34))[:-1]}, "
        '"value": "two", "value": "three"}\n'
        "      ]\n"
        "    }\n"
        "  ]\n"
        "}\n"
    )
    model = aas.load(source)
    duplicates = [f for f in model.findings if f.rule == "json:duplicate-key"]
    assert [(f.location.pointer, f.location.line) for f in duplicates] == [
        ("/submodels/0/id", 6),
        ("/submodels/0/submodelElements/0/value", 8),
    ]
    # RFC 8259 says the names SHOULD be unique, and does not forbid it: a warning
    assert all(f.severity is Severity.WARNING for f in duplicates)
    assert all(f.location.file == str(source) for f in duplicates)
    assert "'value' appears 3 times" in duplicates[1].message
    assert "the last one is read" in duplicates[0].message
    # The value read is the last one, as orjson (and most readers) take it.
    submodel = model.root.submodels[0]
    assert (submodel.id, submodel.submodel_elements[0].value) == ("urn:x:second", "three")

    report = aas.validate(source)
    assert report.readable
    assert report.ok and report.fails(Severity.WARNING)
    assert duplicate_rules(report.findings) == [
        ("/submodels/0/id", 6),
        ("/submodels/0/submodelElements/0/value", 8),
    ]


def test_duplicate_keys_that_need_escaping_in_the_pointer() -> None:
    source = b'{"a/b~c": 1, "a/b~c": 2, "submodels": [{"x": {"": 1, "": 2}}]}'
    report = aas.validate(source, format="json")
    assert duplicate_rules(report.findings) == [("/a~1b~0c", 1), ("/submodels/0/x/", 1)]


def test_escaped_colons_neither_hide_nor_fake_a_duplicate() -> None:
    clean = json_environment(json_property('"a\\u003ab\\u003Ac:d"'))
    model = aas.load(clean, format="json")
    assert duplicate_rules(model.findings) == []
    assert model.root.submodels[0].submodel_elements[0].value == "a:b:c:d"
    # A duplicate whose colon is escaped away, beside an escaped colon elsewhere.
    # One duplicate (its pair and colon dropped) beside one escaped colon (which the parsed
    # form writes as a literal one): counting only literal colons, the two would cancel out.
    tricky = json_environment(json_property('"x\\u003a"', id_short='Q", "idShort": "Value'))
    model = aas.load(tricky, format="json")
    assert duplicate_rules(model.findings) == [("/submodels/0/submodelElements/0/idShort", 1)]
    assert model.root.submodels[0].submodel_elements[0].value == "x:"


@pytest.mark.parametrize("indented", [True, False])
def test_text_as_orjson_writes_it_is_proven_free_of_duplicates_by_comparison(
    monkeypatch: pytest.MonkeyPatch, indented: bool
) -> None:
    """An Environment's item whose text is what orjson writes of it (indented, as this toolkit
    writes JSON, or compact) needs no colon count; one byte added, a key held twice, and the
    count decides again and the duplicate is reported as ever."""
    import orjson

    option = orjson.OPT_INDENT_2 if indented else 0
    document = orjson.loads(json_environment(json_property() + ", " + json_property('"y"', "B")))
    text = orjson.dumps(document, option=option)
    counted: list[int] = []
    real = json_format._check_structure

    def counting(data: bytes, *args: Any) -> None:
        counted.append(len(data))
        real(data, *args)

    monkeypatch.setattr(json_format, "_check_structure", counting)
    model = aas.load(text, format="json")
    assert duplicate_rules(model.findings) == []
    assert [e.value for e in model.root.submodels[0].submodel_elements] == ["x", "y"]
    assert counted == []

    # The second Property's value said twice, the layout kept: only the text differs.
    said = b'"value": "y"' if indented else b'"value":"y"'
    twice = said.replace(b'"y"', b'"z"') + (b",\n        " if indented else b",") + said
    assert text.count(said) == 1
    repeated = text.replace(said, twice)
    model = aas.load(repeated, format="json")
    assert [f.location.pointer for f in model.findings if f.rule == "json:duplicate-key"] == [
        "/submodels/0/submodelElements/1/value"
    ]
    assert [e.value for e in model.root.submodels[0].submodel_elements] == ["x", "y"]
    assert counted


def test_a_duplicate_key_in_a_json_spec_part_is_reported_with_the_part() -> None:
    members = [(n, d) for n, d in sensor_members() if n != "aasx/_rels/aasx-origin.rels"]
    spec = b'{"submodels": [{"modelType": "Submodel", "id": "urn:x:a", "id": "urn:x:b"}]}'
    package = build_zip(
        [
            *members,
            ("aasx/_rels/aasx-origin.rels", rels_xml((RELS + "aas-spec", "/aasx/more.json"))),
            ("aasx/more.json", spec),
        ]
    )
    model = aas.load(package, format="aasx")
    duplicates = [f for f in model.findings if f.rule == "json:duplicate-key"]
    assert [(f.location.file, f.location.pointer) for f in duplicates] == [
        ("/aasx/more.json", "/submodels/0/id")
    ]
    report = aas.validate(package, format="aasx")
    assert duplicate_rules(report.findings) == [("/submodels/0/id", 1)]


def test_duplicate_detection_takes_the_slow_path_only_when_a_key_repeats(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """On a model without duplicates the cheap comparison decides: the duplicate-aware parse
    (several times slower) never runs. See the measured cost in the commit notes."""
    data = large_model(4000, described=True)
    assert len(data) > 2 * MB
    calls: list[int] = []
    real = json_format._duplicate_keys

    def counted(text: bytes, source: str | None) -> list[aas.Finding]:
        calls.append(len(text))
        return real(text, source)

    monkeypatch.setattr(json_format, "_duplicate_keys", counted)
    assert json_format.parse(data, None, [], Limits()) is not None
    assert calls == []
    repeated = data.replace(b'"idShort": "P3999",', b'"idShort": "P3999", "idShort": "Q",')
    findings: list[aas.Finding] = []
    json_format.parse(repeated, None, findings, Limits())
    assert len(calls) == 1
    [(pointer, line)] = duplicate_rules(findings)
    assert pointer == "/submodels/0/submodelElements/3999/idShort"
    assert line == repeated[: repeated.index(b'"idShort": "Q"')].count(b"\n") + 1


# endregion

# region AASX: what tests/test_aasx.py does not cover


def package_with(replaced: dict[str, bytes], added: list[tuple[str, bytes]] | None = None) -> bytes:
    members = [(n, replaced.get(n, d)) for n, d in sensor_members()]
    return build_zip([*members, *(added or [])])


def test_thousands_of_members_are_read_and_carried() -> None:
    extra = [(f"aasx/extra/file{i}.txt", b"x%d" % i) for i in range(5000)]
    model = aas.load(package_with({}, extra), format="aasx")
    assert model.package is not None
    assert len(model.package.other_parts) == 5000
    again = aas.load(aas.dump(model, "aasx").data, format="aasx")
    assert again.package is not None
    assert again.package.other_parts["/aasx/extra/file4999.txt"].data == b"x4999"


def test_too_many_members_are_refused_before_the_central_directory_is_read(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = package_with({}, [(f"m/{i}", b"") for i in range(20_000)])

    def unreachable(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("the central directory was read")

    with monkeypatch.context() as patched:
        patched.setattr(aasx_format.zipfile, "ZipFile", unreachable)
        with pytest.raises(aas.PackageError, match="20008 members, more than the limit of 10000"):
            aas.load(data, format="aasx")
        report = aas.validate(data, format="aasx")
    assert not report.readable
    assert "AAS_MAX_ARCHIVE_MEMBERS" in report.findings[0].message
    monkeypatch.setenv("AAS_MAX_ARCHIVE_MEMBERS", "30000")
    model = aas.load(data, format="aasx")
    assert model.package is not None
    assert len(model.package.other_parts) == 20_000


def test_zip64_member_count_is_read_from_the_zip64_record() -> None:
    data = package_with({}, [(f"m/{i}", b"") for i in range(70_000)])  # beyond 65535: ZIP64
    assert aasx_format._declared_members(data) == 70_008
    with pytest.raises(aas.PackageError, match="70008 members"):
        aas.load(data, format="aasx")


ORIGIN_RELS = "aasx/_rels/aasx-origin.rels"
DATA_RELS = "aasx/_rels/data.xml.rels"
MANUAL = "/aasx/files/sensor-manual.pdf"


@pytest.mark.parametrize(
    ("target", "says"),
    [
        ("/aasx/aasx-origin", "the origin part itself"),
        ("/aasx/_rels/aasx-origin.rels", "a relationships part"),
        ("/_rels/.rels", "a relationships part"),
        ("/[Content_Types].xml", "the package's content types"),
    ],
)
def test_a_spec_relationship_looping_into_the_structure_is_refused(
    target: str, says: str, tmp_path: Path
) -> None:
    source = tmp_path / "loop.aasx"
    source.write_bytes(package_with({ORIGIN_RELS: rels_xml((RELS + "aas-spec", target))}))
    with pytest.raises(aas.PackageError) as caught:
        aas.load(source)
    assert says in caught.value.message
    assert "relationship loop" in caught.value.message
    assert caught.value.location.file == f"{source}!/{ORIGIN_RELS}"
    report = aas.validate(source)
    assert not report.readable


def supplementary_to(target: str) -> dict[str, bytes]:
    """The spec part's supplementary files: the manual, and ``target``."""
    return {DATA_RELS: rels_xml((RELS + "aas-suppl", target), (RELS + "aas-suppl", MANUAL))}


def thumbnail_to(target: str) -> dict[str, bytes]:
    origin = (RELS + "aasx-origin", "/aasx/aasx-origin")
    return {"_rels/.rels": rels_xml(origin, (REL_THUMBNAIL, target))}


@pytest.mark.parametrize(
    ("replaced", "where"),
    [
        # a spec part that relates to itself as its own supplementary file
        (supplementary_to("/aasx/data.xml"), DATA_RELS),
        # ... or to the origin, the content types, the package relationships
        (supplementary_to("/aasx/aasx-origin"), DATA_RELS),
        (supplementary_to("/[Content_Types].xml"), DATA_RELS),
        (supplementary_to("/_rels/.rels"), DATA_RELS),
        # the package's thumbnail is its own spec part
        (thumbnail_to("/aasx/data.xml"), "_rels/.rels"),
    ],
)
def test_a_file_relationship_looping_into_the_structure_is_a_warning_and_ignored(
    replaced: dict[str, bytes], where: str, tmp_path: Path
) -> None:
    source = tmp_path / "loop.aasx"
    source.write_bytes(package_with(replaced))
    model = aas.load(source)
    loops = [f for f in model.findings if f.rule == "aasx:relationship-loop"]
    assert len(loops) == 1
    assert loops[0].severity is Severity.WARNING
    assert loops[0].location.file == f"{source}!/{where}"
    expected = aas.load(SENSOR_AASX)
    assert aas.dump(model, "json").data == aas.dump(expected, "json").data
    # The package written from it is whole again, and reads back without the loop.
    again = aas.load(aas.dump(model, "aasx").data, format="aasx")
    assert "aasx:relationship-loop" not in [f.rule for f in again.findings]
    assert again.package is not None
    assert again.package.spec_parts[0].name == "/aasx/data.xml"
    report = aas.validate(source)
    assert report.readable
    assert "aasx:relationship-loop" in [f.rule for f in report.findings]


def test_a_spec_part_named_twice_is_read_once() -> None:
    twice = rels_xml((RELS + "aas-spec", "/aasx/data.xml"), (RELS + "aas-spec", "data.xml"))
    model = aas.load(package_with({ORIGIN_RELS: twice}), format="aasx")
    assert "aasx:duplicate-relationship" in [f.rule for f in model.findings]
    assert aas.dump(model, "json").data == aas.dump(aas.load(SENSOR_AASX), "json").data
    aas.load(aas.dump(model, "aasx").data, format="aasx")


def test_a_thumbnail_that_is_also_a_supplementary_file_is_written_once() -> None:
    model = aas.load(package_with(thumbnail_to(MANUAL)), format="aasx")
    written = aas.dump(model, "aasx").data
    with zipfile.ZipFile(io.BytesIO(written)) as archive:
        names = archive.namelist()
    assert names.count(MANUAL[1:]) == 1
    again = aas.load(written, format="aasx")
    assert again.package is not None
    assert again.package.thumbnail is not None
    assert again.package.thumbnail.name == MANUAL


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("aasx/data.bin", bytes(range(256)) * 4),
        ("aasx/data.txt", b"plain text, no model"),
        ("aasx/data", b""),
        ("aasx/data.png", b"\x89PNG\r\n\x1a\n" + bytes(100)),
    ],
)
def test_a_spec_part_that_is_neither_xml_nor_json_is_refused(
    name: str, content: bytes, tmp_path: Path
) -> None:
    source = tmp_path / "odd.aasx"
    source.write_bytes(
        package_with({ORIGIN_RELS: rels_xml((RELS + "aas-spec", "/" + name))}, [(name, content)])
    )
    with pytest.raises(aas.PackageError) as caught:
        aas.load(source)
    assert f"the spec part /{name} is neither XML nor JSON" in caught.value.message
    assert caught.value.location.file == f"{source}!/{name}"
    assert not aas.validate(source).readable


def test_a_spec_part_with_an_unhelpful_name_is_told_by_its_content() -> None:
    data_xml = dict(sensor_members())["aasx/data.xml"]
    source = package_with(
        {ORIGIN_RELS: rels_xml((RELS + "aas-spec", "/aasx/model.bin"))},
        [("aasx/model.bin", data_xml)],
    )
    model = aas.load(source, format="aasx")
    assert aas.dump(model, "json").data == aas.dump(aas.load(SENSOR_AASX), "json").data


def damaged_deflate_stream() -> bytes:
    """The first member's compressed data starts a deflate block of the reserved type."""
    data = bytearray(SENSOR_AASX.read_bytes())
    name_length, extra_length = int.from_bytes(data[26:28], "little"), data[28] | data[29] << 8
    data[30 + name_length + extra_length] |= 0b110
    return bytes(data)


def unknown_compression_method() -> bytes:
    """A member compressed with method 99 (AES, which zipfile cannot read)."""
    data = bytearray(build_zip([*sensor_members(), ("aasx/files/odd.bin", b"x" * 100)]))
    name = b"aasx/files/odd.bin"
    local = data.index(name) - 30
    central = data.index(name, data.index(b"PK\x01\x02")) - 46
    data[local + 8 : local + 10] = (99).to_bytes(2, "little")
    data[central + 10 : central + 12] = (99).to_bytes(2, "little")
    return bytes(data)


@pytest.mark.parametrize(
    ("make", "says"),
    [
        (damaged_deflate_stream, "invalid block type"),
        (unknown_compression_method, "compression method"),
    ],
)
def test_a_member_that_cannot_be_decompressed_is_refused(
    make: Callable[[], bytes], says: str, tmp_path: Path
) -> None:
    """zlib's own error and zipfile's NotImplementedError used to escape (found by fuzzing)."""
    source = tmp_path / "damaged.aasx"
    source.write_bytes(make())
    with pytest.raises(aas.PackageError) as caught:
        aas.load(source)
    assert "cannot read the member" in caught.value.message
    assert says in caught.value.message
    assert caught.value.location.file is not None
    assert caught.value.location.file.startswith(f"{source}!/")
    assert not aas.validate(source).readable


def thumbnail_not_an_image() -> bytes:
    return package_with({"aasx/files/sensor-thumbnail.png": b"%PDF-1.4 not an image"})


def test_a_thumbnail_that_is_no_image_is_a_validation_warning() -> None:
    model = aas.load(thumbnail_not_an_image(), format="aasx")
    assert not [f for f in model.findings if f.severity >= Severity.WARNING]
    report = aas.validate(thumbnail_not_an_image(), format="aasx")
    assert report.ok
    warnings = [f for f in report.findings if f.severity is Severity.WARNING]
    assert [f.rule for f in warnings] == ["aasx:thumbnail-not-image"]
    assert warnings[0].location.file is not None
    assert warnings[0].location.file.endswith("!/aasx/files/sensor-thumbnail.png")


# endregion

# region the command line: a handful of runs


def _limited_memory() -> None:  # pragma: no cover - runs in the child process
    import resource

    limit = 1024**3  # 1 GiB of address space: an expanding input would hit it
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def test_cli_validate_judges_every_hostile_file_in_one_run(tmp_path: Path, guard: Guard) -> None:
    folder = tmp_path / "in"
    paths = [write_case(case, guard, folder) for case in CASES.values()]
    dup = folder / "duplicate.json"
    dup.write_bytes(b'{"submodels": [{"modelType": "Submodel", "id": "a", "id": "b"}]}')
    thumbnail = folder / "thumbnail.aasx"
    thumbnail.write_bytes(thumbnail_not_an_image())
    result = subprocess.run(
        [sys.executable, "-m", "aas", "validate", "--output", "json", *map(str, folder.iterdir())],
        capture_output=True,
        timeout=300,
        check=False,
        preexec_fn=_limited_memory if sys.platform == "linux" else None,
    )
    stderr = result.stderr.decode()
    assert result.returncode == 3, stderr  # some inputs cannot be read at all
    assert "Traceback" not in stderr
    assert "internal error" not in stderr
    reports = {Path(r["source"]).name: r for r in json.loads(result.stdout)["reports"]}
    assert set(reports) == {path.name for path in [*paths, dup, thumbnail]}
    for name, case in CASES.items():
        report = reports[name]
        assert report["readable"] is False, name
        assert case.rule in [f["rule"] for f in report["findings"]], name
    assert reports["duplicate.json"]["readable"]
    assert "json:duplicate-key" in [f["rule"] for f in reports["duplicate.json"]["findings"]]
    assert reports["thumbnail.aasx"]["ok"]
    guard.assert_not_leaked(result.stdout, stderr)


def test_cli_exit_codes_for_hostile_input(tmp_path: Path, guard: Guard) -> None:
    folder = tmp_path / "in"
    xxe = write_case(CASES["xxe-secret.xml"], guard, folder)
    deep = write_case(CASES["deep-collections.json"], guard, folder)
    dup = folder / "duplicate.json"
    dup.write_bytes(b'{"submodels": [{"modelType": "Submodel",\n "id": "a", "id": "b"}]}')
    out = tmp_path / "out.json"

    stderr = assert_clean_failure(run_cli("convert", str(xxe), str(out)), 3)
    assert f"{xxe}:2: the XML document has a DOCTYPE declaration" in stderr
    stderr = assert_clean_failure(run_cli("convert", str(deep), str(out)), 3)
    assert f"{deep}:1:" in stderr and "AAS_MAX_NESTING_DEPTH" in stderr
    assert not out.exists()

    converted = run_cli("convert", str(dup), str(tmp_path / "dup.xml"))
    assert converted.returncode == 0, converted.stderr.decode()
    assert "warning: [json:duplicate-key]" in converted.stderr.decode()
    checked = run_cli("validate", "--fail-on", "warning", str(dup))
    assert checked.returncode == 1, checked.stderr.decode()
    assert f"{dup}:2:" in checked.stdout.decode()
    assert "/submodels/0/id" in checked.stdout.decode()

    thumbnail = folder / "thumbnail.aasx"
    thumbnail.write_bytes(thumbnail_not_an_image())
    warned = run_cli("validate", str(thumbnail), "--fail-on", "warning")
    assert warned.returncode == 1
    assert "aasx:thumbnail-not-image" in warned.stdout.decode()
    for result in (converted, checked, warned):
        assert "Traceback" not in result.stderr.decode()
    guard.assert_not_leaked(converted.stderr, checked.stdout)


# endregion
