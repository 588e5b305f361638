"""The aas-core model of a V2.0.1 JSON model: upgraded (:mod:`.upgrade`), then built through
the project's JSON building as the target version. The findings of the upgrade point into the
V2 document; ``locate`` turns them into the input's own locations (a JSON pointer into the
JSON text as it is, an XPath and line for V2 XML)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from aas.codec import ReadContext
from aas.errors import ReadError
from aas.findings import Finding, Location, Severity, pointer
from aas.metamodel.classes import deserialization_rule
from aas.metamodel.jsonbuild import from_jsonable
from aas.metamodel.paths import jsonization_tokens
from aas.model import Model
from aas.versions import DEFAULT_JSON_VERSION, Version, binding

from .upgrade import upgrade_environment

#: The version the upgrade starts from, as the model records it.
V2_VERSION = "2.0.1"

#: The identifiables a V2 JSON document may hold alone, and their Environment's array.
_LONE_KEYS = {
    "AssetAdministrationShell": "assetAdministrationShells",
    "Submodel": "submodels",
    "ConceptDescription": "conceptDescriptions",
}


def _lone_class(v2: dict[str, object]) -> str | None:
    """The class of a lone V2 identifiable (``modelType: {"name": ...}`` at the top)."""
    given = v2.get("modelType")
    name = given.get("name") if isinstance(given, dict) else None
    return name if isinstance(name, str) and name in _LONE_KEYS else None


def _unwrapped(finding: Finding, wrapper: str) -> Finding:
    """A finding of the wrapped lone identifiable, pointing into the document as it is."""
    at = finding.location.pointer
    if not wrapper or at is None or not (at == wrapper or at.startswith(wrapper + "/")):
        return finding
    return replace(finding, location=replace(finding.location, pointer=at[len(wrapper) :]))


def build_model(
    v2: dict[str, object],
    context: ReadContext,
    locate: Callable[[Location], Location],
    target: Version = DEFAULT_JSON_VERSION,
) -> Model:
    """The V3 model (of ``target``) of a V2.0.1 JSON Environment; a ReadError when even the
    upgraded model cannot be built (the V2 model lacks what V3 cannot do without)."""
    # A lone identifiable (a V2 server's API gives one Submodel) is upgraded as the one
    # item of an Environment, and built as what it is.
    lone = _lone_class(v2)
    wrapper = f"/{_LONE_KEYS[lone]}/0" if lone is not None else ""
    given = {_LONE_KEYS[lone]: [v2]} if lone is not None else v2
    environment, upgrade_findings = upgrade_environment(given, target)
    upgrade_findings = [_unwrapped(finding, wrapper) for finding in upgrade_findings]
    jsonable: dict[str, object] = environment
    class_name = "Environment"
    if lone is not None:
        jsonable, class_name = environment[_LONE_KEYS[lone]][0], lone
    findings = [
        Finding(
            Severity.INFO,
            "v2:upgraded",
            f"read as AAS V{V2_VERSION} and upgraded to V{target}; what V3 cannot hold is "
            "reported (v2:*)",
            locate(Location(file=context.source)),
        )
    ]
    findings += [
        Finding(
            finding.severity,
            finding.rule,
            finding.message,
            locate(Location(file=context.source, pointer=finding.location.pointer)),
        )
        for finding in upgrade_findings
    ]
    bound = binding(target)
    try:
        root = from_jsonable(bound, jsonable, class_name)
    except bound.jsonization.DeserializationException as error:
        raise ReadError(
            f"the V{V2_VERSION} model cannot be upgraded to an AAS V{target} model: "
            f"{error.cause} (at {pointer(jsonization_tokens(error.path)) or '/'} of the "
            "upgraded model)",
            locate(Location(file=context.source)),
            rule=deserialization_rule(error.cause),
        ) from None
    except RecursionError:
        raise ReadError(
            "the V2 model nests too deeply to be upgraded",
            Location(file=context.source),
            rule="input:nesting-depth",
        ) from None
    return Model(
        root=root,
        version=target,
        source=context.source,
        findings=findings,
        upgraded_from=V2_VERSION,
    )
