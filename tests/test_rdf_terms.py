"""The RDF terms the mapping reads and writes (converters/rdf/terms.py): an IRI, a blank node
and a literal are values of their own kind, a graph keyed by them keeps its nodes apart, and
the order of a Reference's keys survives Turtle and N-Triples whatever order the document
states them in."""

from __future__ import annotations

import json

import pyoxigraph
import pytest

import aas
from aas.codec import ReadContext
from aas.converters.rdf.format import TURTLE
from aas.converters.rdf.mapping import Graph, deeper_than, version_of_graph
from aas.converters.rdf.terms import Blank, Iri, Literal
from aas.metamodel.rdf_names import RDF_TYPE, XS_INTEGER, XS_STRING
from aas.versions import Version

NS = "https://admin-shell.io/aas/3/1/"


def test_an_iri_a_blank_node_and_a_literal_of_one_text_are_three_nodes() -> None:
    terms = [Iri("n"), Blank("n"), Literal("n"), Literal("n", XS_INTEGER)]
    assert len(set(terms)) == 4
    assert Iri("n") == Iri("n") and Blank("n") == Blank("n")
    assert Literal("n") == Literal("n", XS_STRING)
    graph = Graph()
    graph.add(Iri("n"), RDF_TYPE, Iri(NS + "Submodel"))
    graph.add(Blank("n"), RDF_TYPE, Iri(NS + "Property"))
    graph.add(Iri("n"), NS + "Identifiable/id", Literal("urn:n"))
    assert list(graph.statements) == [Iri("n"), Blank("n")]
    assert graph.statements[Iri("n")][1] == (NS + "Identifiable/id", Literal("urn:n"))


@pytest.mark.parametrize(
    "text", ["plain", 'quote " and \\ back', "lines\n\r\ttabs", "\x01\x7f ünï"]
)
def test_terms_write_themselves_as_n_triples_read_them(text: str) -> None:
    subject = Blank("s")
    lines = (
        f"{subject} {Iri('urn:p')} {Literal(text)} .\n{subject} {Iri('urn:q')} {Iri('urn:o')} .\n"
    )
    first, second = pyoxigraph.parse(lines.encode(), format=pyoxigraph.RdfFormat.N_TRIPLES)
    assert isinstance(first.subject, pyoxigraph.BlankNode) and first.subject.value == "s"
    assert first.object.value == text and first.object.datatype.value == XS_STRING
    assert isinstance(second.object, pyoxigraph.NamedNode) and second.object.value == "urn:o"


KEYS = [
    {"type": "Submodel", "value": "urn:other"},
    {"type": "SubmodelElementCollection", "value": "collection"},
    {"type": "SubmodelElementList", "value": "list"},
    {"type": "Property", "value": "zeta"},
    {"type": "Property", "value": "alpha"},
]
MODEL = {
    "submodels": [
        {
            "modelType": "Submodel",
            "id": "urn:sm",
            "submodelElements": [
                {
                    "modelType": "ReferenceElement",
                    "idShort": "pointsOn",
                    "value": {"type": "ModelReference", "keys": KEYS},
                }
            ],
        }
    ]
}


def keys_of(model: aas.Model) -> list[tuple[str, str]]:
    reference = model.root.submodels[0].submodel_elements[0].value
    return [(key.type.value, key.value) for key in reference.keys]


@pytest.mark.parametrize("order", [True, False], ids=["annotated", "official"])
def test_a_references_keys_keep_their_order_through_turtle(order: bool) -> None:
    model = aas.load(json.dumps(MODEL).encode(), format="json", verify=False)
    expected = [(key["type"], key["value"]) for key in KEYS]
    assert keys_of(model) == expected
    turtle = aas.dump(model, "turtle", rdf_order=order).data
    assert keys_of(aas.load(turtle, format="turtle", verify=False)) == expected


def test_the_order_annotation_decides_when_the_document_states_the_keys_backwards() -> None:
    model = aas.load(json.dumps(MODEL).encode(), format="json", verify=False)
    lines = aas.dump(model, "ntriples").data.splitlines(keepends=True)
    backwards = b"".join(reversed(lines))
    read = aas.load(backwards, format="ntriples", verify=False)
    assert keys_of(read) == [(key["type"], key["value"]) for key in KEYS]
    # Without the annotation the document's order is all there is: backwards, as stated.
    official = aas.dump(model, "ntriples", rdf_order=False).data.splitlines(keepends=True)
    read = aas.load(b"".join(reversed(official)), format="ntriples", verify=False)
    assert keys_of(read) == [(key["type"], key["value"]) for key in reversed(KEYS)]


BLANK_ONLY = f"""@prefix aas: <{NS}> .
@prefix xs: <http://www.w3.org/2001/XMLSchema#> .
_:sm a aas:Submodel ; <{NS}Identifiable/id> "urn:sm"^^xs:string ;
  <{NS}Submodel/submodelElements> _:p .
_:p a aas:Property ; <{NS}Referable/idShort> "p1"^^xs:string ;
  <{NS}Property/valueType> <{NS}DataTypeDefXsd/String> .
""".encode()


def test_a_graph_of_blank_nodes_only_is_read_as_blank_nodes() -> None:
    graph = TURTLE.parse(BLANK_ONLY, ReadContext(source="blank.ttl")).tree
    assert list(graph.statements) == [Blank("sm"), Blank("p")]
    assert (NS + "Submodel/submodelElements", Blank("p")) in graph.statements[Blank("sm")]
    assert (NS + "Referable/idShort", Literal("p1")) in graph.statements[Blank("p")]
    assert version_of_graph(graph) is Version.V3_1
    assert deeper_than(graph, 1) == Blank("sm")  # _:sm leads to _:p: two levels
    assert deeper_than(graph, 2) is None


def test_a_submodel_written_as_a_blank_node_is_read_not_lost() -> None:
    model = aas.load(BLANK_ONLY, format="turtle")
    submodels = model.root.submodels or []
    assert [submodel.id for submodel in submodels] == ["urn:sm"]
    assert [element.id_short for element in submodels[0].submodel_elements or []] == ["p1"]
    assert not [f for f in model.findings if f.rule == "rdf:unreached-node"]


def test_a_typed_node_no_identifiable_reaches_is_reported() -> None:
    orphan = (
        BLANK_ONLY
        + f"""@prefix xs: <http://www.w3.org/2001/XMLSchema#> .
_:lost a <{NS}Property> ; <{NS}Referable/idShort> "lost"^^xs:string ;
  <{NS}Property/valueType> <{NS}DataTypeDefXsd/String> .
""".encode()
    )
    model = aas.load(orphan, format="turtle", verify=False)
    unreached = [f for f in model.findings if f.rule == "rdf:unreached-node"]
    assert len(unreached) == 1
    assert unreached[0].severity == "warning" and "typed Property" in unreached[0].message
    report = aas.validate(orphan, format="turtle")
    assert [f.rule for f in report.findings].count("rdf:unreached-node") == 1


def test_terms_are_strings_of_their_kind_and_survive_pickling() -> None:
    import pickle

    iri, blank = Iri("urn:n"), Blank("n")
    assert (str(iri), iri.value, str(blank), blank.label) == ("<urn:n>", "urn:n", "_:n", "n")
    assert iri == "urn:n" and blank != Iri("n") and Blank("urn:n") != iri
    for term in (iri, blank, Literal("n", XS_INTEGER)):
        copy = pickle.loads(pickle.dumps(term))
        assert copy == term and type(copy) is type(term)


def test_the_graph_indexes_the_types_of_its_nodes_as_triples_come() -> None:
    graph = TURTLE.parse(BLANK_ONLY, ReadContext(source="blank.ttl")).tree
    assert graph.types == {Blank("sm"): [Iri(NS + "Submodel")], Blank("p"): [Iri(NS + "Property")]}
    assert not graph.subclasses
    added = Graph()
    added.add(Iri("urn:a"), RDF_TYPE, Literal("not a class"))
    added.add(Iri("urn:a"), RDF_TYPE, Iri(NS + "Submodel"))
    added.add(Iri("urn:Mine"), "http://www.w3.org/2000/01/rdf-schema#subClassOf", Iri("urn:a"))
    assert added.types == {Iri("urn:a"): [Iri(NS + "Submodel")]} and added.subclasses
