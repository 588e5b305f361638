"""RDF against the official mapping: JSON -> Turtle is isomorphic to the official Turtle twin
(the project's order annotations aside), the official Turtle reads into the JSON twin's model,
and RDF round trips give the same bytes as the first conversion."""

from __future__ import annotations

from pathlib import Path

import pytest
import rdflib
from rdflib.compare import isomorphic

import aas
from aas.metamodel.rdf_names import INDEX
from aas.rdfids import DEFAULT_BASE
from aas.versions import binding

from conftest import corpus

CASES = [
    (
        "3.0",
        ("testgen-3.0", "Json", "ContainedInEnvironment", "Expected"),
        ("testgen-3.0", "Rdf", "ContainedInEnvironment", "Expected"),
        ("testgen-3.0", "Xml", "ContainedInEnvironment", "Expected"),
    ),
    ("3.1", ("examples-3.1", "json"), ("examples-3.1", "rdf"), ("examples-3.1", "xml")),
]
#: The official files name identifiables whose id is no absolute IRI by a relative IRI (the id
#: itself); resolved against the base our writers mint such ids under, they are the same IRIs.
BASE = DEFAULT_BASE


def graph(data: bytes) -> rdflib.Graph:
    """The Turtle as an rdflib graph, parsed by pyoxigraph (rdflib's Turtle parser cannot
    resolve a relative IRI against a base without '/' after its scheme, such as a URN)."""
    import pyoxigraph

    def term(value: object) -> rdflib.term.Node:
        if isinstance(value, pyoxigraph.NamedNode):
            return rdflib.URIRef(value.value)
        if isinstance(value, pyoxigraph.BlankNode):
            return rdflib.BNode(value.value)
        assert isinstance(value, pyoxigraph.Literal)
        datatype = rdflib.URIRef(value.datatype.value) if value.language is None else None
        return rdflib.Literal(value.value, lang=value.language, datatype=datatype)

    parsed = rdflib.Graph()
    for triple in pyoxigraph.parse(data, format=pyoxigraph.RdfFormat.TURTLE, base_iri=BASE):
        parsed.add((term(triple.subject), term(triple.predicate), term(triple.object)))
    return parsed


def canonical(model: aas.Model) -> object:
    return binding(model.version).jsonization.to_jsonable(model.root)


def twins(first: Path, second: Path, suffix: str) -> list[tuple[Path, Path]]:
    by_key = {
        str(path.relative_to(second).with_suffix("")).lower(): path
        for path in second.rglob(f"*.{suffix}")
    }
    return [
        (path, by_key[str(path.relative_to(first).with_suffix("")).lower()])
        for path in sorted(first.rglob("*.json"))
    ]


@pytest.mark.parametrize(("version", "json_dir", "rdf_dir", "xml_dir"), CASES, ids=["V3.0", "V3.1"])
def test_rdf_matches_the_official_mapping(
    version: str, json_dir: tuple[str, ...], rdf_dir: tuple[str, ...], xml_dir: tuple[str, ...]
) -> None:
    pairs = twins(corpus(*json_dir), corpus(*rdf_dir), "ttl")
    xml_twins = dict(twins(corpus(*json_dir), corpus(*xml_dir), "xml"))
    assert len(pairs) > 2500
    index = rdflib.URIRef(INDEX)
    failures: list[str] = []
    for json_path, ttl_path in pairs:
        model = aas.load(json_path, version=version, verify=False)
        turtle = aas.dump(model, "turtle").data
        ours = graph(turtle)
        ours.remove((None, index, None))
        if not isomorphic(ours, graph(ttl_path.read_bytes())):
            failures.append(f"not isomorphic to the official Turtle: {json_path}")
        official = aas.load(ttl_path, verify=False)
        if official.version != model.version or canonical(official) != canonical(model):
            failures.append(f"the official Turtle reads into another model: {ttl_path}")
        first_json = aas.dump(model, "json").data
        if aas.dump(aas.load(turtle, format="turtle", verify=False), "json").data != first_json:
            failures.append(f"JSON -> Turtle -> JSON not byte-identical: {json_path}")
        from_xml = aas.load(xml_twins[json_path], verify=False)
        first_xml = aas.dump(from_xml, "xml").data
        again = aas.load(aas.dump(from_xml, "turtle").data, format="turtle", verify=False)
        if aas.dump(again, "xml").data != first_xml:
            failures.append(f"XML -> Turtle -> XML not byte-identical: {json_path}")
    print(f"V{version}: {len(pairs) - len(failures)} of {len(pairs)} pass")
    assert failures == []


@pytest.mark.parametrize("version", ["3.0", "3.1"])
@pytest.mark.parametrize("fmt", ["turtle", "ntriples", "jsonld", "rdfxml"])
def test_xml_rdf_xml_round_trips_are_byte_identical(version: str, fmt: str) -> None:
    _, _, _, xml_dir = next(case for case in CASES if case[0] == version)
    paths = sorted(corpus(*xml_dir).rglob("*.xml"))[::25]
    assert len(paths) > 80
    for path in paths:
        model = aas.load(path, verify=False)
        first = aas.dump(model, "xml").data
        rdf = aas.dump(model, fmt).data
        assert aas.dump(aas.load(rdf, format=fmt, verify=False), "xml").data == first, (path, fmt)


@pytest.mark.parametrize("fmt", ["turtle", "ntriples", "jsonld", "rdfxml"])
def test_every_serialisation_parses_in_rdflib_and_turtle_and_ntriples_in_pyoxigraph(
    fmt: str,
) -> None:
    import pyoxigraph

    rdflib_names = {"turtle": "turtle", "ntriples": "nt", "jsonld": "json-ld", "rdfxml": "xml"}
    paths = sorted(corpus("examples-3.1", "json").rglob("*.json"))[::40]
    for path in paths:
        data = aas.dump(aas.load(path, version="3.1", verify=False), fmt).data
        parsed = rdflib.Graph()
        parsed.parse(data=data, format=rdflib_names[fmt], publicID=BASE)
        assert len(parsed) > 0, path
        if fmt in ("turtle", "ntriples"):
            oxi_format = (
                pyoxigraph.RdfFormat.TURTLE if fmt == "turtle" else (pyoxigraph.RdfFormat.N_TRIPLES)
            )
            triples = list(pyoxigraph.parse(data, format=oxi_format, base_iri=BASE))
            assert len(triples) == len(parsed), path


def test_strict_official_output_has_no_order_annotations_and_reading_keeps_document_order(
    tmp_path: Path,
) -> None:
    path = corpus("examples-3.1", "json", "generated", "Submodel", "maximal.json")
    model = aas.load(path, version="3.1", verify=False)
    strict = tmp_path / "strict.ttl"
    aas.save(model, strict, rdf_order=False)
    assert INDEX.encode() not in strict.read_bytes()
    assert INDEX.encode() in aas.dump(model, "turtle").data
    # Without annotations, values come back in the order the document states them.
    again = aas.load(strict, verify=False)
    assert canonical(again) == canonical(model)
