"""Carry a model from one metamodel version to another (V3.0 -> V3.1, and back).

The two versions share their JSON serialisation for everything they both have, so the
model travels through it; whatever the target version cannot hold stops the conversion
with its location, and every constraint the model breaks only under the target version is
reported. Nothing is dropped in silence.
"""

from __future__ import annotations

from aas.checks.constraints import verify_instance
from aas.errors import VersionChangeError
from aas.findings import Finding, Location, pointer
from aas.metamodel.jsonbuild import from_jsonable
from aas.metamodel.paths import jsonization_tokens
from aas.model import Model
from aas.versions import Version, binding


def change_version(model: Model, target: Version) -> tuple[Model, list[Finding]]:
    """The model in ``target``'s types, and the constraints that it breaks only there."""
    if model.version == target:
        return model, []
    source_binding = binding(model.version)
    target_binding = binding(target)
    jsonable = source_binding.jsonization.to_jsonable(model.root)
    try:
        root = from_jsonable(target_binding, jsonable, model.class_name)
    except target_binding.jsonization.DeserializationException as error:
        raise VersionChangeError(
            f"cannot carry the model from V{model.version} to V{target}: {error.cause}",
            Location(file=model.source, pointer=pointer(jsonization_tokens(error.path))),
        ) from None

    before = {
        (finding.rule, finding.location.pointer)
        for finding in verify_instance(model.root, model.version, model.source)
    }
    findings = [
        Finding(
            finding.severity,
            finding.rule,
            f"after the change to V{target}: {finding.message}",
            finding.location,
        )
        for finding in verify_instance(root, target, model.source)
        if (finding.rule, finding.location.pointer) not in before
    ]
    changed = Model(
        root=root,
        version=target,
        source=model.source,
        findings=list(model.findings),
        package=model.package,
        format=model.format,
    )
    return changed, findings
