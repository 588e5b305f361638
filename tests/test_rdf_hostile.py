"""Broken and hostile RDF: a clear, located error or a finding, never a crash or a fetch."""

from __future__ import annotations

import socket

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
