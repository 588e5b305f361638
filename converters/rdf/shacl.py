"""SHACL validation of RDF input, as findings: the project's shapes checked natively
(``shapes``, ``shacl_text``), shapes a user brings (``--schema shapes.ttl``) through pySHACL.

Both give a finding per SHACL validation result: the rule ``shacl:<Component>``, the focus
node, the result path and pySHACL's message (with the value where the message does not show
it), control characters shown escaped.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from aas.findings import Finding, Location, Severity
from aas.versions import Version

from .mapping import Graph
from .terms import Blank, Subject, Term, convert

_SH = "http://www.w3.org/ns/shacl#"
_SEVERITIES = {
    _SH + "Violation": Severity.ERROR,
    _SH + "Warning": Severity.WARNING,
    _SH + "Info": Severity.INFO,
}


def check(graph: Graph, version: Version, source: str | None) -> list[Finding]:
    """Every SHACL result of the graph against the project's shapes of ``version``."""
    from .shacl_text import Messages, value_text
    from .shapes import check as check_natively
    from .shapes import project_shapes

    shapes = project_shapes(version)
    results = check_natively(graph, shapes)
    if not results:
        return []
    message = Messages(graph, shapes)
    findings = [
        _finding(
            result.component,
            Severity.ERROR,  # the project's shapes state no severity: sh:Violation
            _subject_name(result.focus),
            result.path,
            message(result),
            value_text(result.value) if result.value is not None else None,
            source,
        )
        for result in results
    ]
    return _in_order(findings)


@cache
def project_shapes_graph(version: Version) -> Any:
    """The project's shapes as an rdflib graph (what pySHACL would be given)."""
    import rdflib

    from aas.metamodel.schemafiles import schema_folder, shapes_name

    shapes = rdflib.Graph()
    shapes.parse(str(schema_folder() / shapes_name(version)), format="turtle")
    return shapes


def to_rdflib(graph: Graph) -> Any:
    import rdflib

    from .shapes import rdflib_literal as literal

    def term(value: Term) -> Any:
        return convert(value, rdflib.URIRef, rdflib.BNode, literal)

    data = rdflib.Graph()
    for subject, statements in graph.statements.items():
        node = term(subject)
        for predicate, obj in statements:
            data.add((node, rdflib.URIRef(predicate), term(obj)))
    return data


def check_with(graph: Graph, shapes: Any, source: str | None) -> list[Finding]:
    """Every SHACL result of the graph against ``shapes`` (an rdflib graph), by pySHACL."""
    import pyshacl
    import rdflib
    from pyshacl.rdfutil.stringify import stringify_blank_node

    # pySHACL caches the text of a blank node by the id() of its graph and the node's label
    # for the life of the process: a graph made later at the same address would be shown
    # with an earlier graph's nodes.
    getattr(stringify_blank_node, "dict_cache", {}).clear()
    data = to_rdflib(graph)
    _, results, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none", advanced=False)
    sh = rdflib.Namespace(_SH)
    findings: list[Finding] = []
    for result in results.subjects(rdflib.RDF.type, sh.ValidationResult):
        component = str(results.value(result, sh.sourceConstraintComponent) or "")
        name = component.removeprefix(_SH).removesuffix("ConstraintComponent") or "shape"
        severity = _SEVERITIES.get(str(results.value(result, sh.resultSeverity)), Severity.ERROR)
        focus = results.value(result, sh.focusNode)
        path = results.value(result, sh.resultPath)
        value = results.value(result, sh.value)
        findings.append(
            _finding(
                name,
                severity,
                _node_name(focus),
                str(path) if path is not None else None,
                str(results.value(result, sh.resultMessage) or f"{name} not met"),
                str(value) if value is not None else None,
                source,
            )
        )
    return _in_order(findings)


def _finding(
    name: str,
    severity: Severity,
    focus: str | None,
    path: str | None,
    message: str,
    value: str | None,
    source: str | None,
) -> Finding:
    if value is not None and value not in message:
        message += f" (value: {_short(value)})"
    return Finding(
        severity,
        f"shacl:{name}",
        _printable(message),
        Location(file=source, focus=focus, path=f"<{path}>" if path is not None else None),
    )


def _in_order(findings: list[Finding]) -> list[Finding]:
    findings.sort(key=lambda f: (f.location.focus or "", f.location.path or "", f.rule, f.message))
    return findings


def _subject_name(node: Subject) -> str:
    return f"_:{node.label}" if isinstance(node, Blank) else f"<{node.value}>"


def _node_name(node: Any) -> str | None:
    import rdflib

    if node is None:
        return None
    if isinstance(node, rdflib.BNode):
        return f"_:{node}"
    return f"<{node}>"


def _short(text: str) -> str:
    return text if len(text) <= 60 else text[:57] + "..."


_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
_ESCAPES = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def _printable(text: str) -> str:
    """Control characters (a pattern's tab and line ends, a value's) as escapes, so that a
    message stays on its line."""
    if _CONTROL.search(text) is None:
        return text
    return _CONTROL.sub(lambda m: _ESCAPES.get(m.group(), f"\\x{ord(m.group()):02x}"), text)
