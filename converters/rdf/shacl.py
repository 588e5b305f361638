"""SHACL validation of RDF input with the project's shapes (pySHACL), as findings."""

from __future__ import annotations

from functools import cache
from typing import Any

from aas.findings import Finding, Location, Severity
from aas.versions import Version

from .mapping import Graph
from .terms import Term, convert

_SH = "http://www.w3.org/ns/shacl#"
_SEVERITIES = {
    _SH + "Violation": Severity.ERROR,
    _SH + "Warning": Severity.WARNING,
    _SH + "Info": Severity.INFO,
}


@cache
def project_shapes(version: Version) -> Any:
    import rdflib

    from aas.metamodel.schemafiles import schema_folder, shapes_name

    shapes = rdflib.Graph()
    shapes.parse(str(schema_folder() / shapes_name(version)), format="turtle")
    return shapes


def _to_rdflib(graph: Graph) -> Any:
    import rdflib

    def literal(lexical: str, datatype: str) -> Any:
        return rdflib.Literal(lexical, datatype=rdflib.URIRef(datatype))

    def term(value: Term) -> Any:
        return convert(value, rdflib.URIRef, rdflib.BNode, literal)

    data = rdflib.Graph()
    for subject, statements in graph.statements.items():
        node = term(subject)
        for predicate, obj in statements:
            data.add((node, rdflib.URIRef(predicate), term(obj)))
    return data


def check(graph: Graph, version: Version, source: str | None) -> list[Finding]:
    """Every SHACL result of the graph against the shapes of ``version``."""
    import pyshacl
    import rdflib

    data = _to_rdflib(graph)
    _, results, _ = pyshacl.validate(
        data, shacl_graph=project_shapes(version), inference="none", advanced=False
    )
    sh = rdflib.Namespace(_SH)
    findings: list[Finding] = []
    for result in results.subjects(rdflib.RDF.type, sh.ValidationResult):
        component = str(results.value(result, sh.sourceConstraintComponent) or "")
        name = component.removeprefix(_SH).removesuffix("ConstraintComponent") or "shape"
        severity = _SEVERITIES.get(str(results.value(result, sh.resultSeverity)), Severity.ERROR)
        focus = results.value(result, sh.focusNode)
        path = results.value(result, sh.resultPath)
        message = str(results.value(result, sh.resultMessage) or f"{name} not met")
        value = results.value(result, sh.value)
        if value is not None and str(value) not in message:
            message += f" (value: {_short(value)})"
        findings.append(
            Finding(
                severity,
                f"shacl:{name}",
                message,
                Location(
                    file=source,
                    focus=_node_name(focus),
                    path=f"<{path}>" if path is not None else None,
                ),
            )
        )
    findings.sort(key=lambda f: (f.location.focus or "", f.location.path or "", f.rule))
    return findings


def _node_name(node: Any) -> str | None:
    import rdflib

    if node is None:
        return None
    if isinstance(node, rdflib.BNode):
        return f"_:{node}"
    return f"<{node}>"


def _short(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "..."
