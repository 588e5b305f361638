"""Broken and hostile RDF: a clear, located error or a finding, never a crash or a fetch."""

from __future__ import annotations

import http.server
import json
import re
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import aas

from conftest import assert_clean_failure, run_cli

NS = "https://admin-shell.io/aas/3/1/"
HEAD = f"@prefix aas: <{NS}> .\n"


def turtle(body: str) -> bytes:
    return (HEAD + body).encode()


SUBMODEL = f'<urn:s> a aas:Submodel ; <{NS}Identifiable/id> "urn:s" '


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a reader tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)


@pytest.mark.parametrize(
    ("data", "fmt", "rule", "words"),
    [
        (turtle('<urn:s> a aas:Submodel ; <urn:p> "open'), "turtle", "rdf:syntax", "Turtle"),
        (b"<urn:a> <urn:b> .\n", "ntriples", "rdf:syntax", "N-Triples"),
        (b"<rdf:RDF", "rdfxml", "rdf:syntax", "RDF/XML"),
        (
            turtle(
                SUBMODEL + f"; <{NS}Submodel/submodelElements> _:a .\n"
                f'_:a a aas:SubmodelElementCollection ; <{NS}Referable/idShort> "ab" ;'
                f" <{NS}SubmodelElementCollection/value> _:a ."
            ),
            "turtle",
            "rdf:cycle",
            "cycle",
        ),
        (
            turtle(f'<urn:s> a aas:Submodel, aas:ConceptDescription ; <{NS}Identifiable/id> "x" .'),
            "turtle",
            "rdf:two-types",
            "exactly one",
        ),
        (
            b'{"@context": "http://127.0.0.1:9/context.jsonld", "@id": "urn:x", "name": "y"}',
            "jsonld",
            "rdf:syntax",
            "never fetched",
        ),
        (turtle("<urn:x> <urn:p> <urn:o> ."), "turtle", "rdf:namespace", "AAS namespace"),
        (
            turtle(SUBMODEL + f"; <{NS}HasKind/kind> <{NS}ModellingKind/Nonsense> ."),
            "turtle",
            "model:enum",
            "ModellingKind",
        ),
    ],
)
def test_broken_rdf_is_refused_with_a_rule_and_a_reason(
    data: bytes, fmt: str, rule: str, words: str
) -> None:
    with pytest.raises(aas.ReadError) as caught:
        aas.load(data, format=fmt)
    assert caught.value.rule == rule
    assert words in str(caught.value)


def test_a_literal_of_the_wrong_datatype_is_a_finding_not_a_failure() -> None:
    model = aas.load(turtle(SUBMODEL + f"; <{NS}Referable/category> 42 ."), format="turtle")
    assert "rdf:datatype" in {f.rule for f in model.findings}
    assert model.root.submodels[0].category == "42"  # the lexical form is kept


def test_an_unknown_predicate_is_reported_not_silently_dropped() -> None:
    model = aas.load(turtle(SUBMODEL + '; <urn:vendor:extra> "kept?" .'), format="turtle")
    (finding,) = [f for f in model.findings if f.rule == "rdf:unknown-predicate"]
    assert "urn:vendor:extra" in finding.message


def test_unparseable_turtle_exits_3_on_the_command_line(tmp_path) -> None:
    path = tmp_path / "broken.ttl"
    path.write_bytes(turtle('<urn:s> a aas:Submodel ; <urn:p> "line\nbreak" .'))
    result = run_cli("validate", str(path))
    assert result.returncode == 3
    assert b"Traceback" not in result.stderr
    assert b"[rdf:syntax] not well-formed Turtle" in result.stdout
    assert_clean_failure(run_cli("convert", str(path), str(tmp_path / "out.json")), 3)


# region hostile RDF: remote contexts, entities, size, depth, identity


@pytest.fixture
def context_server() -> Iterator[tuple[str, list[str]]]:
    """A local HTTP server that serves a JSON-LD context and records every request."""
    requests: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            requests.append(self.path)
            body = json.dumps({"@context": {"aas": NS}}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/ld+json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/context.jsonld", requests
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("place", ["string", "array", "import", "value", "scoped", "graph"])
def test_a_remote_json_ld_context_is_refused_and_never_fetched(
    context_server: tuple[str, list[str]], place: str
) -> None:
    url, requests = context_server
    node = {"@id": "urn:s", "@type": NS + "Submodel", NS + "Identifiable/id": "urn:s"}
    documents: dict[str, Any] = {
        "string": {"@context": url, **node},
        "array": {"@context": [url, {"x": "urn:x#"}], **node},
        "import": {"@context": {"@import": url}, **node},
        "value": {**node, NS + "Referable/category": {"@context": url, "@value": "x"}},
        "scoped": {"@context": {"p": {"@id": "urn:p", "@context": url}}, **node, "p": {}},
        "graph": {"@graph": [{"@context": url, **node}]},
    }
    assert_refused(json.dumps(documents[place]).encode(), "jsonld", "rdf:syntax", "never fetched")
    assert requests == []


def assert_refused(data: bytes, format: str, rule: str, words: str) -> None:
    """Neither ``load`` nor ``validate`` reads a model from ``data``; both say why, the same."""
    with pytest.raises(aas.ReadError) as caught:
        aas.load(data, format=format)
    assert caught.value.rule == rule
    assert words in caught.value.message
    report = aas.validate(data, format=format)
    assert not report.readable
    assert errors(report) == [rule]


def errors(report: aas.Report) -> list[str]:
    return [f.rule for f in report.findings if f.severity is aas.Severity.ERROR]


def laughs(levels: int, prolog: str = "", keyword: str = "DOCTYPE", inside: bool = False) -> bytes:
    """RDF/XML whose id is an entity that expands to 10**levels times 60 characters."""
    entities = ['<!ENTITY l0 "' + "ha" * 30 + '">']
    for level in range(1, levels + 1):
        entities.append(f'<!ENTITY l{level} "' + f"&l{level - 1};" * 10 + '">')
    doctype = f"<!{keyword} rdf:RDF [\n" + "\n".join(entities) + "\n]>\n"
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n{prolog}'
        + ("" if inside else doctype)
        + '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        f'xmlns:aas="{NS}" xmlns:id="{NS}Identifiable/">\n'
        + (doctype if inside else "")
        + f' <aas:Submodel rdf:about="urn:s"><id:id>&l{levels};</id:id></aas:Submodel>\n'
        "</rdf:RDF>\n"
    ).encode()


@pytest.mark.parametrize(
    "data",
    [
        laughs(9),
        laughs(9, "<!-- a comment -->\n"),
        laughs(9, "<!--" + "x" * 100_000 + "-->\n"),
        laughs(9, "<?pi x?>\n"),
        laughs(9, keyword="doctype"),  # pyoxigraph takes any letter case
        laughs(9, keyword="DocType"),
        laughs(9, inside=True),  # and a DOCTYPE inside the root element
    ],
    ids=["plain", "comment", "long-comment", "pi", "lower-case", "mixed-case", "inside"],
)
def test_rdf_xml_with_a_doctype_is_refused_before_any_entity_is_expanded(data: bytes) -> None:
    # pyoxigraph expands internal entities: nine levels would be 60 GB of text.
    started = time.monotonic()
    assert_refused(data, "rdfxml", "xml:doctype", "DOCTYPE")
    assert time.monotonic() - started < 5


def test_rdf_xml_with_a_doctype_exits_3_on_the_command_line(tmp_path: Path) -> None:
    path = tmp_path / "laughs.rdf"
    path.write_bytes(laughs(9))
    result = run_cli("validate", str(path))
    assert result.returncode == 3
    assert b"Traceback" not in result.stderr
    assert b"[xml:doctype]" in result.stdout
    assert_clean_failure(run_cli("convert", str(path), str(tmp_path / "out.json")), 3)


def deep_turtle(levels: int) -> bytes:
    """A submodel whose collections nest ``levels`` deep, as nested blank nodes."""
    collection = f'[ a aas:SubmodelElementCollection ; <{NS}Referable/idShort> "c" ; '
    nested = f"<{NS}SubmodelElementCollection/value> " + collection
    body = collection + nested * (levels - 1) + "]" * levels
    return turtle(SUBMODEL + f"; <{NS}Submodel/submodelElements> {body} .")


def deep_ntriples(levels: int) -> bytes:
    rdf_type = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
    lines = [
        f"<urn:s> {rdf_type} <{NS}Submodel> .",
        f'<urn:s> <{NS}Identifiable/id> "urn:s" .',
        f"<urn:s> <{NS}Submodel/submodelElements> _:b0 .",
    ]
    for level in range(levels):
        lines.append(f"_:b{level} {rdf_type} <{NS}SubmodelElementCollection> .")
        lines.append(f'_:b{level} <{NS}Referable/idShort> "c{level}" .')
        if level + 1 < levels:
            lines.append(f"_:b{level} <{NS}SubmodelElementCollection/value> _:b{level + 1} .")
    return ("\n".join(lines) + "\n").encode()


def deep_jsonld(levels: int) -> bytes:
    node: dict[str, Any] = {"@type": NS + "SubmodelElementCollection"}
    text = json.dumps(node)
    for _ in range(levels - 1):
        text = text[:-1] + f', "{NS}SubmodelElementCollection/value": ' + json.dumps(node)
    text += "}" * (levels - 1)
    return (
        f'{{"@id": "urn:s", "@type": "{NS}Submodel", "{NS}Identifiable/id": "urn:s", '
        f'"{NS}Submodel/submodelElements": {text}}}'
    ).encode()


def deep_rdfxml(levels: int) -> bytes:
    collection = (
        '<smc:value rdf:parseType="Resource">'
        f'<rdf:type rdf:resource="{NS}SubmodelElementCollection"/><ref:idShort>c</ref:idShort>'
    )
    return (
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        f'xmlns:aas="{NS}" xmlns:id="{NS}Identifiable/" xmlns:ref="{NS}Referable/" '
        f'xmlns:sm="{NS}Submodel/" xmlns:smc="{NS}SubmodelElementCollection/">'
        '<aas:Submodel rdf:about="urn:s"><id:id>urn:s</id:id>'
        + collection.replace("smc:value", "sm:submodelElements")
        + collection * (levels - 1)
        + "</smc:value>" * (levels - 1)
        + "</sm:submodelElements></aas:Submodel></rdf:RDF>"
    ).encode()


@pytest.mark.parametrize(
    ("fmt", "make"),
    [
        ("turtle", deep_turtle),
        ("ntriples", deep_ntriples),
        ("jsonld", deep_jsonld),
        ("rdfxml", deep_rdfxml),
    ],
)
@pytest.mark.parametrize("levels", [200, 10_000])
def test_deeply_nested_blank_nodes_are_refused_clearly(
    fmt: str, make: Callable[[int], bytes], levels: int
) -> None:
    # pyoxigraph's JSON-LD parser dies of a stack overflow (no exception) on some 3,000
    # levels, so this also shows the reader stops it before pyoxigraph parses.
    data = make(levels)
    with pytest.raises(aas.ReadError) as caught:
        aas.load(data, format=fmt)
    assert caught.value.rule == "rdf:nesting-depth"
    assert "AAS_MAX_NESTING_DEPTH" in caught.value.message
    report = aas.validate(data, format=fmt)
    assert "rdf:nesting-depth" in errors(report)


def test_a_deep_graph_exits_3_on_the_command_line(tmp_path: Path) -> None:
    path = tmp_path / "deep.ttl"
    path.write_bytes(deep_turtle(10_000))
    result = run_cli("validate", str(path))
    assert result.returncode == 3, result.stdout
    assert b"Traceback" not in result.stderr
    assert b"[rdf:nesting-depth]" in result.stdout


def nested_json(levels: int) -> bytes:
    """JSON of a submodel whose collections nest ``levels`` deep, a Property at the bottom."""
    element: dict[str, Any] = {
        "modelType": "Property",
        "idShort": "leaf",
        "valueType": "xs:string",
        "semanticId": {
            "type": "ExternalReference",
            "keys": [{"type": "GlobalReference", "value": "urn:x"}],
        },
    }
    for level in range(levels):
        element = {
            "modelType": "SubmodelElementCollection",
            "idShort": f"c{level}",
            "value": [element],
        }
    return json.dumps(
        {"submodels": [{"modelType": "Submodel", "id": "urn:s", "submodelElements": [element]}]}
    ).encode()


@pytest.mark.parametrize("fmt", ["turtle", "ntriples", "jsonld", "rdfxml"])
def test_the_deepest_model_json_reads_round_trips_through_rdf(fmt: str) -> None:
    deepest = nested_json(124)  # 256 levels of JSON objects and arrays: the default limit
    with pytest.raises(aas.ReadError):
        aas.load(nested_json(125), format="json")
    model = aas.load(deepest, format="json", verify=False)
    written = aas.dump(model, fmt).data
    back = aas.load(written, format=fmt, verify=False)
    assert aas.dump(back, "json").data == aas.dump(model, "json").data


def test_one_level_beyond_what_json_reads_is_refused_in_rdf_too() -> None:
    model = aas.load(nested_json(124), format="json", verify=False)
    written = aas.dump(model, "ntriples").data.decode()
    # wrap the top collection once more: the RDF now nests as JSON beyond the limit would
    top = re.search(r"<urn:s> <[^>]*Submodel/submodelElements> (_:b\d+) \.", written)
    assert top is not None
    extra = (
        f"<urn:s> <{NS}Submodel/submodelElements> _:extra .\n"
        f"_:extra <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
        f"<{NS}SubmodelElementCollection> .\n"
        f'_:extra <{NS}Referable/idShort> "extra" .\n'
        f"_:extra <{NS}SubmodelElementCollection/value> {top.group(1)} .\n"
    )
    written = written.replace(top.group(0) + "\n", extra)
    with pytest.raises(aas.ReadError) as caught:
        aas.load(written.encode(), format="ntriples")
    assert caught.value.rule == "rdf:nesting-depth"


@pytest.mark.parametrize("fmt", ["turtle", "ntriples", "jsonld", "rdfxml"])
def test_a_huge_literal_round_trips_or_is_refused_with_a_finding(fmt: str) -> None:
    # pyoxigraph reads at most 16 MiB on one line of Turtle or N-Triples and 8 MiB in one
    # JSON-LD string; RDF/XML has no such limit.
    value = ("x" * 1000 + 'é\n"\\') * 10_000  # 10 MB of text, 10.1 MB written
    environment = {
        "submodels": [
            {
                "modelType": "Submodel",
                "id": "urn:s",
                "submodelElements": [
                    {
                        "modelType": "Property",
                        "idShort": "p",
                        "valueType": "xs:string",
                        "value": value,
                    }
                ],
            }
        ]
    }
    model = aas.load(json.dumps(environment).encode(), format="json", verify=False)
    try:
        written = aas.dump(model, fmt).data
    except aas.FindingsError as error:
        assert fmt == "jsonld"
        assert [f.rule for f in error.findings] == ["rdf:text-length"]
        return
    back = aas.load(written, format=fmt, verify=False)
    assert back.root.submodels[0].submodel_elements[0].value == value


@pytest.mark.parametrize(
    ("fmt", "data"),
    [
        ("ntriples", b'<urn:s> <urn:p> "' + b"x" * 17_000_000 + b'" .\n'),
        ("turtle", b"<urn:" + b"s" * 17_000_000 + b"> <urn:p> 1 .\n"),
        ("jsonld", b'{"@id": "urn:s", "urn:p": "' + b"x" * 9_000_000 + b'"}'),
    ],
)
def test_a_value_longer_than_the_parser_takes_is_a_clear_error(fmt: str, data: bytes) -> None:
    with pytest.raises(aas.ReadError) as caught:
        aas.load(data, format=fmt)
    assert caught.value.rule == "rdf:text-length"


def test_two_identifiable_nodes_with_one_id_read_as_two_and_stay_two() -> None:
    data = turtle(
        f'<urn:a> a aas:Submodel ; <{NS}Identifiable/id> "urn:same" ; '
        f'<{NS}Referable/idShort> "first" .\n'
        f'<urn:b> a aas:Submodel ; <{NS}Identifiable/id> "urn:same" ; '
        f'<{NS}Referable/idShort> "second" .\n'
    )
    model = aas.load(data, format="turtle")
    assert [(s.id, s.id_short) for s in model.root.submodels] == [
        ("urn:same", "first"),
        ("urn:same", "second"),
    ]
    for fmt in ("turtle", "ntriples", "jsonld", "rdfxml"):
        back = aas.load(aas.dump(model, fmt).data, format=fmt)
        assert [(s.id, s.id_short) for s in back.root.submodels] == [
            ("urn:same", "first"),
            ("urn:same", "second"),
        ], fmt


def test_an_identifiable_without_an_id_literal_is_refused_naming_its_node() -> None:
    data = turtle(
        SUBMODEL + f'.\n<urn:nameless> a aas:ConceptDescription ; <{NS}Referable/idShort> "x" .\n'
    )
    with pytest.raises(aas.ReadError) as caught:
        aas.load(data, format="turtle")
    assert caught.value.rule == "model:type"
    assert "'id'" in caught.value.message
    assert "<urn:nameless>" in caught.value.message


# endregion
