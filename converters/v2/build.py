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

from .constraints import judged
from .upgrade import upgrade_with_origins

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
    source_version: str = V2_VERSION,
) -> Model:
    """The V3 model (of ``target``) of a V2.0.1 JSON Environment; a ReadError when even the
    upgraded model cannot be built (the V2 model lacks what V3 cannot do without).
    ``source_version`` is the version the input was written in: V1.0 XML is read into the
    same V2 form, but the model and its findings name the version the file is."""
    # A lone identifiable (a V2 server's API gives one Submodel) is upgraded as the one
    # item of an Environment, and built as what it is.
    lone = _lone_class(v2)
    wrapper = f"/{_LONE_KEYS[lone]}/0" if lone is not None else ""
    given: dict[str, object] = {_LONE_KEYS[lone]: [v2]} if lone is not None else v2
    environment, upgrade_findings, origins = upgrade_with_origins(given, target)
    upgrade_findings = [_unwrapped(finding, wrapper) for finding in upgrade_findings]
    jsonable: dict[str, object] = environment
    class_name = "Environment"
    if lone is not None:
        if not environment.get(_LONE_KEYS[lone]):
            # the upgrade left the lone identifiable out: it has no id
            raise ReadError(
                f"the V{source_version} {lone} has no identification.id; V3 has no {lone} "
                "without an id, so there is nothing to upgrade",
                locate(Location(file=context.source, pointer="/identification")),
                rule="model:required",
            )
        jsonable, class_name = environment[_LONE_KEYS[lone]][0], lone
    findings = [
        Finding(
            Severity.INFO,
            "v2:upgraded",
            f"read as AAS V{source_version} and upgraded to V{target}; what V3 cannot hold is "
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
            f"the V{source_version} model cannot be upgraded to an AAS V{target} model: "
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
    if wrapper:
        origins = {
            at[len(wrapper) :]: _strip(v2_at, wrapper)
            for at, v2_at in origins.items()
            if at == wrapper or at.startswith(wrapper + "/")
        }
    return Model(
        root=root,
        version=target,
        source=context.source,
        findings=findings,
        upgraded_from=source_version,
        relocate=_Relocate(jsonable, v2, origins, locate),
        judge=lambda finding: judged(finding, lambda at: _category_at(jsonable, at)),
    )


def _strip(at: str, wrapper: str) -> str:
    return at[len(wrapper) :] if at == wrapper or at.startswith(wrapper + "/") else at


class _Relocate:
    """A location on the upgraded model (a V3 JSON pointer, or the XPath the XML checks
    give) as a location in the V2 input: the V2 object the nearest V3 object came from,
    and the rest of the path where the V2 object has the same keys; then the format's
    ``locate`` gives its line."""

    def __init__(
        self,
        v3: dict[str, object],
        v2: dict[str, object],
        origins: dict[str, str],
        locate: Callable[[Location], Location],
    ) -> None:
        self.v3, self.v2, self.origins, self.locate = v3, v2, origins, locate

    def __call__(self, location: Location) -> Location:
        if location.line is not None:
            return location
        tokens: list[str | int] | None = None
        if location.pointer is not None:
            tokens = [_token(raw) for raw in location.pointer.split("/")[1:]]
        elif location.xpath:
            tokens = _xpath_tokens(self.v3, location.xpath)
        if tokens is None:
            return location
        for cut in range(len(tokens), -1, -1):
            origin = self.origins.get(pointer(tokens[:cut]))
            if origin is None:
                continue
            rest = _same_keys(self.v2, origin, tokens[cut:])
            found = self.locate(Location(file=location.file, pointer=origin + rest))
            return found if found.line is not None or found.xpath else location
        return location


def _category_at(v3: dict[str, object], location: Location) -> str | None:
    """The category of the object of the upgraded model a check's location names."""
    tokens: list[str | int] | None = None
    if location.pointer is not None:
        tokens = [_token(raw) for raw in location.pointer.split("/")[1:]]
    elif location.xpath:
        tokens = _xpath_tokens(v3, location.xpath)
    node: object = v3
    for token in tokens or []:
        if isinstance(node, dict) and isinstance(token, str):
            node = node.get(token)
        elif isinstance(node, list) and isinstance(token, int) and token < len(node):
            node = node[token]
        else:
            return None
    category = node.get("category") if isinstance(node, dict) and tokens else None
    return category if isinstance(category, str) else None


def _token(raw: str) -> str | int:
    token = raw.replace("~1", "/").replace("~0", "~")
    return int(token) if token.isdigit() else token


def _same_keys(v2: object, origin: str, rest: list[str | int]) -> str:
    """The part of ``rest`` that the V2 object at ``origin`` holds under the same keys."""
    node: object = v2
    for raw in origin.split("/")[1:]:
        token = _token(raw)
        if isinstance(node, dict) and isinstance(token, str):
            node = node.get(token)
        elif isinstance(node, list) and isinstance(token, int) and token < len(node):
            node = node[token]
        else:
            return ""
    kept: list[str | int] = []
    for token in rest:
        if isinstance(node, dict) and isinstance(token, str) and token in node:
            node = node[token]
        elif isinstance(node, list) and isinstance(token, int) and token < len(node):
            node = node[int(token)]
        else:
            break
        kept.append(token)
    return pointer(kept) if kept else ""


def _xml_name(node: object) -> str | None:
    given = node.get("modelType") if isinstance(node, dict) else None
    return given[0].lower() + given[1:] if isinstance(given, str) and given else None


def _xpath_tokens(v3: dict[str, object], xpath: str) -> list[str | int] | None:
    """The JSON pointer tokens of an XPath into the XML of the V3 model (the steps the XML
    checks write: ``/aas:environment/aas:submodels/aas:submodel[1]/...``)."""
    steps = [step.split(":", 1)[-1] for step in xpath.split("/")[1:]]
    if not steps:
        return None
    node: object = v3
    tokens: list[str | int] = []
    for step in steps[1:]:  # the first is the root element
        name, _, position = step.partition("[")
        if isinstance(node, list):
            wanted = int(position.rstrip("]") or 1)
            seen = 0
            for index, item in enumerate(node):
                if _xml_name(item) in (None, name):
                    seen += 1
                    if seen == wanted:
                        node = item
                        tokens.append(index)
                        break
            else:
                return tokens
        elif isinstance(node, dict) and name in node:
            node = node[name]
            tokens.append(name)
        elif isinstance(node, dict) and _xml_name(node) == name:
            continue  # the element an abstract property's value is wrapped in
        else:
            return tokens
    return tokens
