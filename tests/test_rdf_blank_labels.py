"""Blank nodes are shown by labels the document decides, not by pyoxigraph's random ones.

pyoxigraph labels an unlabelled blank node (``[ ]`` in Turtle, an object without ``@id`` in
JSON-LD, ``rdf:parseType="Resource"`` in RDF/XML) with a random number, new on every parse;
findings name blank nodes by label, so the reader renames those ``b0``, ``b1``, ... in the
order the document's triples first name them, and two runs on one file give one report.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from aas.codec import ReadContext
from aas.converters.rdf.format import JSONLD, RDFXML, TURTLE, RdfCodec
from aas.converters.rdf.terms import Blank, Iri

from conftest import run_cli

NS = "https://admin-shell.io/aas/3/0/"
_VALUE_TYPE = f"<{NS}Property/valueType> <{NS}DataTypeDefXsd/String>"

# Three Properties in `[ ]`, one written as `_:mine` and one as `_:b0` (the form the renamed
# labels take, so it is renamed too); the first is stated with an idShort typed xs:integer,
# which both the reader (rdf:datatype) and SHACL (shacl:Datatype) report at its blank node.
BROKEN = f"""@prefix aas: <{NS}> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix xs: <http://www.w3.org/2001/XMLSchema#> .

<urn:sm> rdf:type aas:Submodel ;
    <{NS}Identifiable/id> "urn:sm"^^xs:string ;
    <{NS}Submodel/submodelElements> [
        rdf:type aas:Property ; {_VALUE_TYPE} ;
        <{NS}Referable/idShort> "5"^^xs:integer
    ] , _:mine , [
        rdf:type aas:Property ; {_VALUE_TYPE} ;
        <{NS}Referable/idShort> "second"^^xs:string
    ] , _:b0 .
_:mine rdf:type aas:Property ; {_VALUE_TYPE} ;
    <{NS}Referable/idShort> "mine"^^xs:integer .
_:b0 rdf:type aas:Property ; {_VALUE_TYPE} ;
    <{NS}Referable/idShort> "written"^^xs:string .
"""


def _blank_subjects(data: bytes, codec: RdfCodec = TURTLE) -> list[str]:
    """The blank nodes of the document's graph, as the reader names them, in its order."""
    graph = codec.parse(data, ReadContext(source="doc")).tree
    return [str(subject) for subject in graph.statements if isinstance(subject, Blank)]


def test_two_runs_on_one_turtle_file_give_the_same_json_report(tmp_path: Path) -> None:
    path = tmp_path / "blank.ttl"
    path.write_text(BROKEN)
    first, second = (run_cli("validate", str(path), "--output", "json") for _ in range(2))
    assert first.returncode == second.returncode == 1, first.stderr.decode()
    assert first.stdout == second.stdout
    findings = json.loads(first.stdout)["reports"][0]["findings"]
    # The finding of SHACL sits at the first `[ ]`, named as its renamed label.
    focused = {f["location"].get("focus") for f in findings if f["rule"] == "shacl:Datatype"}
    assert focused == {"_:b0", "_:mine"}
    messages = " ".join(f["message"] for f in findings if f["rule"] == "rdf:datatype")
    assert "_:b0 Referable/idShort" in messages and "_:mine Referable/idShort" in messages
    # No label pyoxigraph made up is left in the report.
    assert not re.search(rb"_:[0-9a-f]{17,}", first.stdout)


def test_blank_nodes_are_renamed_in_the_order_the_triples_first_name_them() -> None:
    # pyoxigraph gives a `[ ]`'s own triples before the triple that names it: the first
    # Property is met first, then `_:mine` (kept; an object here, a subject only later), the
    # second `[ ]`, and the written `_:b0` last.
    assert _blank_subjects(BROKEN.encode()) == ["_:b0", "_:b1", "_:mine", "_:b2"]
    graph = TURTLE.parse(BROKEN.encode(), ReadContext(source="doc")).tree
    elements = [
        str(obj)
        for predicate, obj in graph.statements[Iri("urn:sm")]
        if predicate == NS + "Submodel/submodelElements"
    ]
    assert elements == ["_:b0", "_:mine", "_:b1", "_:b2"]


def test_unlabelled_nodes_of_json_ld_and_rdf_xml_are_renamed_too() -> None:
    jsonld = b'{"@id": "urn:a", "urn:p": {"urn:q": "1", "urn:r": {"urn:q": "2"}}}'
    assert sorted(_blank_subjects(jsonld, JSONLD)) == ["_:b0", "_:b1"]
    rdfxml = (
        b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:e="urn:e#">'
        b'<rdf:Description rdf:about="urn:a"><e:p rdf:parseType="Resource"><e:q>1</e:q>'
        b'</e:p><e:r rdf:nodeID="kept"/></rdf:Description>'
        b'<rdf:Description rdf:nodeID="kept"><e:q>2</e:q></rdf:Description></rdf:RDF>'
    )
    assert _blank_subjects(rdfxml, RDFXML) == ["_:b0", "_:kept"]


def test_blank_nodes_inside_a_quoted_triple_are_renamed_too() -> None:
    # An RDF 1.2 triple term is a node of no AAS type, named by its text (SHACL shows it as
    # the value a closed shape refuses); the text holds its blank nodes, renamed like others.
    data = b"<urn:a> <urn:x> <<( [] <urn:p> <<( _:k <urn:q> [] )>> )>> ; <urn:y> [] ."
    graph = TURTLE.parse(data, ReadContext(source="doc")).tree
    objects = [str(obj) for _, obj in graph.statements[Iri("urn:a")]]
    assert objects == ["_:_:b0 <urn:p> <<( _:k <urn:q> _:b1 )>>", "_:b2"]
