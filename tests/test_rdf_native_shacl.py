"""The project's SHACL shapes checked natively give what pySHACL gives with the same shapes:
the same findings (rule, severity, focus node, path, message) on the corpus's Turtle files
(V3.0 and V3.1) and on broken inputs written here. pySHACL runs in the test.

The corpus holds 6,642 Turtle files; pySHACL takes about 45 ms for one, so the suite compares
a sample: every 16th file of each set in sorted order (about 420 files). With
AAS_SHACL_WHOLE_CORPUS=1 it compares every file (some five minutes).

pySHACL lists the values of ``sh:in`` in a message in the order of a Python set, which
changes from process to process; the native messages list them in the shapes' order, and the
comparison takes that list as a set.
"""

from __future__ import annotations

import ast
import os
import re
from pathlib import Path

import pytest

from aas.codec import ReadContext
from aas.converters.rdf.format import TURTLE
from aas.converters.rdf.mapping import version_of_graph
from aas.converters.rdf.shacl import check, check_with, project_shapes_graph
from aas.converters.rdf.shapes import UnsupportedShapes, load_shapes, project_shapes
from aas.errors import ReadError
from aas.findings import Finding
from aas.versions import Version

from conftest import corpus, run_cli

SETS = [("testgen-3.0", "Rdf"), ("examples-3.1", "rdf")]
_IN_LIST = re.compile(r"not in list (\[.*\])")


def _key(finding: Finding) -> tuple[str, str, str | None, str | None, str]:
    message = finding.message
    if finding.rule == "shacl:In":
        message = _IN_LIST.sub(lambda m: f"not in {sorted(ast.literal_eval(m.group(1)))}", message)
    where = finding.location
    return finding.rule, finding.severity.value, where.focus, where.path, message


def _both(data: bytes, source: str) -> tuple[list[Finding], list[Finding]]:
    """(native, pySHACL) findings of one Turtle document."""
    graph = TURTLE.parse(data, ReadContext(source=source)).tree
    version = version_of_graph(graph) or Version.V3_0
    native = check(graph, version, source)
    theirs = check_with(graph, project_shapes_graph(version), source)
    return native, theirs


def _agree(data: bytes, source: str) -> list[Finding]:
    native, theirs = _both(data, source)
    assert sorted(map(_key, native)) == sorted(map(_key, theirs)), source
    return native


def _sample(base: Path) -> list[Path]:
    files = sorted(base.rglob("*.ttl"))
    return files if os.environ.get("AAS_SHACL_WHOLE_CORPUS") else files[::16]


@pytest.mark.parametrize("folder", SETS, ids=["/".join(s) for s in SETS])
def test_native_shacl_agrees_with_pyshacl_on_the_corpus(folder: tuple[str, ...]) -> None:
    compared = with_findings = 0
    for path in _sample(corpus(*folder)):
        try:
            found = _agree(path.read_bytes(), str(path))
        except ReadError:
            continue  # not well-formed Turtle (seven files of testgen-3.0): nothing to check
        compared += 1
        with_findings += bool(found)
    assert compared > 100
    if folder[0] == "testgen-3.0":
        assert with_findings > 10  # the sample holds broken files, not only valid ones
    else:
        assert with_findings == 0  # the official examples conform to the shapes


AAS = "https://admin-shell.io/aas/3/0/"
_HEAD = """@prefix aas: <https://admin-shell.io/aas/3/0/> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xs: <http://www.w3.org/2001/XMLSchema#> .
"""


def _submodel(body: str, *, sm_id: str = '"urn:sm"^^xs:string') -> bytes:
    return (
        _HEAD
        + f"""
<urn:sm> rdf:type aas:Submodel ;
    <https://admin-shell.io/aas/3/0/Identifiable/id> {sm_id} ;
{body} .
"""
    ).encode()


def _property(*facts: str) -> str:
    """A Property in the submodel, with ``facts`` beside its valueType."""
    lines = "\n".join(f"        {fact} ;" for fact in facts)
    return f"""    <https://admin-shell.io/aas/3/0/Submodel/submodelElements> [
        rdf:type aas:Property ;
        <{AAS}Property/valueType> <{AAS}DataTypeDefXsd/String> ;
{lines}
    ]"""


_ID_SHORT = "<https://admin-shell.io/aas/3/0/Referable/idShort>"

BROKEN = {
    "missing required": (
        _HEAD + "<urn:sm> rdf:type aas:Submodel .\n",
        {"shacl:MinCount"},
    ),
    "wrong datatype": (
        _submodel(_property(f'{_ID_SHORT} "5"^^xs:integer')),
        {"shacl:Datatype", "shacl:Pattern"},
    ),
    "not a boolean": (
        _submodel(
            f"""    <{AAS}Submodel/submodelElements> [
        rdf:type aas:SubmodelElementList ;
        <{AAS}SubmodelElementList/typeValueListElement> <{AAS}AasSubmodelElements/Property> ;
        <{AAS}SubmodelElementList/orderRelevant> "yes"^^xs:boolean
    ]"""
        ),
        {"shacl:Datatype"},
    ),
    "pattern mismatch": (
        _submodel(_property(f'{_ID_SHORT} "1st"^^xs:string')),
        {"shacl:Pattern"},
    ),
    "control characters": (
        _submodel(_property(f'{_ID_SHORT} "a\\tb\\u0001"^^xs:string')),
        {"shacl:Pattern"},
    ),
    "too many values": (
        _submodel(_property(f'{_ID_SHORT} "a"^^xs:string, "b"^^xs:string')),
        {"shacl:MaxCount"},
    ),
    "a statement made twice": (
        _submodel(_property(f'{_ID_SHORT} "a"^^xs:string, "a"^^xs:string')),
        set(),
    ),
    "unknown class": (
        _submodel(
            """    <https://admin-shell.io/aas/3/0/Submodel/submodelElements> [
        rdf:type aas:Gadget ;
        <https://admin-shell.io/aas/3/0/Referable/idShort> "g"^^xs:string
    ]"""
        ),
        {"shacl:Or"},
    ),
    "a literal where a node belongs": (
        _submodel(
            '    <https://admin-shell.io/aas/3/0/HasSemantics/semanticId> "urn:x"^^xs:string'
        ),
        {"shacl:Class", "shacl:NodeKind"},
    ),
    "unknown predicate": (
        _submodel(_property('<urn:other:note> "a\\nb"^^xs:string')),
        {"shacl:Closed"},
    ),
    "not a literal of the enumeration": (
        _submodel(
            "    <https://admin-shell.io/aas/3/0/HasKind/kind> "
            "<https://admin-shell.io/aas/3/0/ModellingKind/Sometimes>"
        ),
        {"shacl:In"},
    ),
    "empty and too long": (
        _submodel(
            _property(f'{_ID_SHORT} ""^^xs:string', f'<urn:x> "{"x" * 200}"^^xs:string'),
            sm_id='"' + "i" * 2001 + '"^^xs:string',
        ),
        {"shacl:MinLength", "shacl:MaxLength", "shacl:Pattern", "shacl:Closed"},
    ),
    "another datatype": (
        _submodel(_property(f'{_ID_SHORT} "2024-01-01"^^xs:date')),
        {"shacl:Datatype", "shacl:Pattern"},
    ),
    "an invalid base64 value": (
        _submodel(
            """    <https://admin-shell.io/aas/3/0/Submodel/submodelElements> [
        rdf:type aas:Blob ;
        <https://admin-shell.io/aas/3/0/Blob/contentType> "text/plain"^^xs:string ;
        <https://admin-shell.io/aas/3/0/Blob/value> "abc"^^xs:base64Binary
    ]"""
        ),
        {"shacl:Datatype"},
    ),
    "a class of the data's own below an AAS class": (
        _HEAD
        + """
<urn:Mine> rdfs:subClassOf aas:Submodel .
<urn:sm> rdf:type <urn:Mine> ; <https://admin-shell.io/aas/3/0/Referable/idShort> "1"^^xs:string .
""",
        {"shacl:MinCount", "shacl:Pattern"},
    ),
    "a node of two classes": (
        _submodel(_property("rdf:type aas:Range")),
        {"shacl:Closed", "shacl:MinCount"},
    ),
    "a list in the data": (
        _submodel('    <urn:x> ( "a"^^xs:string [ <urn:y> "b"^^xs:string ] )'),
        {"shacl:Closed"},
    ),
}


@pytest.mark.parametrize("name", list(BROKEN))
def test_native_shacl_agrees_with_pyshacl_on_broken_input(name: str) -> None:
    text, rules = BROKEN[name]
    data = text if isinstance(text, bytes) else text.encode()
    found = _agree(data, f"{name}.ttl")
    assert {f.rule for f in found} == rules
    for finding in found:
        assert finding.location.focus and finding.location.path
        assert not re.search("[\x00-\x1f]", finding.message), finding.message


def test_messages_show_control_characters_escaped() -> None:
    data, _ = BROKEN["control characters"]
    assert isinstance(data, bytes)
    (finding, *_) = _agree(data, "control.ttl")
    assert "'^[\\t\\n\\r" in finding.message
    assert "a\\tb\\x01" in finding.message


def test_the_project_shapes_load_natively_and_other_shacl_is_refused() -> None:
    for version in Version:
        shapes = project_shapes(version)
        assert len(shapes.shapes) > 30
        assert all(shape.closed for shape in shapes.shapes)
    other = (
        _HEAD.encode()
        + b"""@prefix sh: <http://www.w3.org/ns/shacl#> .
<urn:s> a sh:NodeShape ; sh:targetClass aas:Submodel ;
    sh:property [ sh:path aas:x ; sh:qualifiedMinCount 1 ] .
"""
    )
    with pytest.raises(UnsupportedShapes, match="qualifiedMinCount"):
        load_shapes(other)


def test_validate_with_shapes_a_user_brings(tmp_path: Path) -> None:
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(
        _HEAD
        + """@prefix sh: <http://www.w3.org/ns/shacl#> .
<urn:shapes:needs-id-short> a sh:NodeShape ; sh:targetClass aas:Submodel ;
    sh:property [ sh:path <https://admin-shell.io/aas/3/0/Referable/idShort> ; sh:minCount 1 ] .
"""
    )
    model = tmp_path / "sm.ttl"
    model.write_bytes(_submodel(""))
    ours = run_cli("validate", str(model), "--checks", "schema", "--output", "json")
    assert ours.returncode == 0, ours.stdout
    theirs = run_cli(
        "validate", str(model), "--checks", "schema", "--schema", str(shapes), "--output", "json"
    )
    assert theirs.returncode == 1, theirs.stderr
    assert b"shacl:MinCount" in theirs.stdout and b"needs" not in theirs.stderr
    broken = tmp_path / "broken.ttl"
    broken.write_text("not turtle <")
    refused = run_cli("validate", str(model), "--schema", str(broken))
    assert refused.returncode == 2
    assert b"cannot use the SHACL shapes" in refused.stderr
    assert b"Traceback" not in refused.stderr


def test_a_defect_seen_by_shacl_and_the_metamodel_is_one_finding(tmp_path: Path) -> None:
    from aas.validation import validate

    model = tmp_path / "id-short.ttl"
    model.write_bytes(_submodel(f'    {_ID_SHORT} "1st"^^xs:string'))
    report = validate(model)
    at_id_short = [f for f in report.findings if f.rule in ("metamodel:pattern", "shacl:Pattern")]
    assert len(at_id_short) == 1, report.findings
    (finding,) = at_id_short
    assert finding.rule == "metamodel:pattern"
    assert finding.location.pointer == "/submodels/0/idShort"
    assert "shacl:Pattern" in finding.also
    # with the schema alone, SHACL reports it
    alone = validate(model, checks=["schema"])
    assert [f.rule for f in alone.findings] == ["shacl:Pattern"]


@pytest.mark.parametrize("name", list(BROKEN))
def test_shacl_over_the_readers_grouping_finds_what_it_finds_alone(name: str) -> None:
    """The reader leaves each node's values by predicate for SHACL (issue 14: grouped once
    for both); SHACL then finds exactly what it finds on the graph alone, and lets go."""
    import contextlib

    from aas.converters.rdf.mapping import to_jsonable

    text, _ = BROKEN[name]
    data = text if isinstance(text, bytes) else text.encode()
    graph = TURTLE.parse(data, ReadContext(source="broken.ttl")).tree
    stated = version_of_graph(graph)  # none where the data types its nodes by its own class
    version = stated or Version.V3_0
    alone = check(graph, version, "broken.ttl")
    with contextlib.suppress(ReadError):  # what the reader reached before it stopped
        to_jsonable(graph, version, "broken.ttl", [], group=True)
    assert graph.grouped or stated is None  # the reader left its grouping
    assert check(graph, version, "broken.ttl") == alone
    assert not graph.grouped


@pytest.mark.parametrize("name", list(BROKEN))
def test_shacl_checked_while_reading_finds_what_it_finds_alone(name: str) -> None:
    """The reader checks each node of one type as it reads it (``shapes.Fused``, issue 14);
    the check that follows checks only the nodes left (not read, several types, read before
    the reader stopped) and finds, with the results taken over, exactly what it finds on the
    graph alone."""
    import contextlib

    from aas.converters.rdf.mapping import to_jsonable
    from aas.converters.rdf.shapes import Fused
    from aas.converters.rdf.shapes import check as check_natively

    text, _ = BROKEN[name]
    data = text if isinstance(text, bytes) else text.encode()
    version = version_of_graph(TURTLE.parse(data, ReadContext()).tree) or Version.V3_0
    shapes = project_shapes(version)
    alone = check_natively(TURTLE.parse(data, ReadContext()).tree, shapes)
    graph = TURTLE.parse(data, ReadContext()).tree
    fused = Fused(graph, shapes)
    with contextlib.suppress(ReadError):  # what the reader reached before it stopped
        to_jsonable(graph, version, "broken.ttl", [], check=fused)
    assert fused.checked <= set(graph.types)
    together = check_natively(graph, shapes)
    assert sorted(map(repr, together)) == sorted(map(repr, alone))
    assert graph.fused is None  # the check let go of the reader's results


def test_a_conforming_model_is_checked_whole_while_it_is_read() -> None:
    """On a model whose nodes each have one type, every typed node is checked as it is read
    and the check that follows has none left."""
    from aas.converters.rdf.mapping import to_jsonable
    from aas.converters.rdf.shapes import Fused
    from aas.converters.rdf.shapes import check as check_natively

    path = sorted(corpus("examples-3.1", "rdf").rglob("*.ttl"))[0]
    graph = TURTLE.parse(path.read_bytes(), ReadContext()).tree
    shapes = project_shapes(Version.V3_1)
    fused = Fused(graph, shapes)
    to_jsonable(graph, Version.V3_1, str(path), [], check=fused)
    assert graph.types and fused.checked == set(graph.types)
    assert check_natively(graph, shapes) == []
