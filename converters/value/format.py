"""Value-only JSON as a format: written from any model with submodels, read with a template.

Reading needs the template (``ReadContext.template``): the value-only JSON of one submodel
(an object of its elements' values by idShort) or of several (an object of such objects by
submodel id, as this format writes a model's every submodel). Which of the two a document is
follows from the template: an object none of whose keys is an element of the template
submodel, and whose members are all objects, is keyed by submodel id. The model read is an
Environment of the rebuilt submodels, in the template's metamodel version.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any, BinaryIO

from aas.codec import (
    Codec,
    Document,
    ReadContext,
    Template,
    WriteContext,
    report_package_not_carried,
)
from aas.errors import ReadError, UsageError
from aas.findings import Finding, Location, escape_pointer_token
from aas.model import Model
from aas.versions import binding

from ..json.positions import locate, with_positions
from .rebuild import Rebuild, repeated
from .text import dumps, loads
from .write import choose, submodels, value_only


class ValueDocument(Document[Any]):
    """Value-only JSON text and its value (numbers as their text); findings point into it by
    JSON pointers."""

    style = "json"

    def __init__(self, text: bytes, source: str | None) -> None:
        super().__init__(text, source)
        self._value = loads(text, source, self.findings)

    @property
    def tree(self) -> Any:
        return self._value

    def locate(self, location: Location) -> Location:
        if location.pointer is None or location.line is not None:
            return location
        position = locate(self.text, {location.pointer}).get(location.pointer)
        if position is None:
            return location
        return replace(location, line=position[0], column=position[1])

    def locate_all(self, findings: Sequence[Finding]) -> list[Finding]:
        return with_positions(list(findings), self.text)


class ValueCodec(Codec[ValueDocument]):
    def parse(self, data: bytes, context: ReadContext) -> ValueDocument:
        return ValueDocument(data, context.source)

    def build(self, document: ValueDocument, context: ReadContext) -> Model:
        template = context.template
        if template is None:
            # unreadable, not a wrong call: `aas validate` and folders report the file and go on
            raise ReadError(
                "value-only JSON holds values without their structure, so no model can be "
                "read from it alone: name its submodel template (aas convert --from value "
                "--template T; in Python, template=...)",
                Location(file=context.source),
            )
        value = document.tree
        source = context.source
        wanted = context.version
        if wanted is not None and wanted is not template.model.version:
            raise ReadError(
                f"V{wanted} was asked for, but the template is V{template.model.version}: "
                "values are read into the template's version (change it with --to-version)",
                Location(file=source),
                rule="aas:version-mismatch",
            )
        if not isinstance(value, dict):
            raise ReadError(
                "value-only JSON is an object (of a submodel's element values by idShort, or "
                f"of submodels' by id), not {_kind(value)}",
                Location(file=source, pointer="", line=1, column=1),
            )
        found = submodels(template.model)
        if not found:
            raise UsageError(f"the template {_named(template)} holds no submodel")
        rebuild = Rebuild(template.model.version, source)
        built: list[Any] = []
        if _keyed(value, found, template):
            if template.submodel_id is not None:
                raise UsageError(
                    "the value-only JSON names its submodels by id (the keys of its object): "
                    "--submodel-id is for the value-only JSON of one submodel"
                )
            for id, values in value.items():
                chosen = _template_for(found, template, id)
                at = "/" + escape_pointer_token(id)
                built.append(rebuild.submodel(chosen, values, at, id))
        else:
            chosen = _template_for(found, template, None)
            id = template.submodel_id or chosen.id
            built.append(rebuild.submodel(chosen, value, "", id))
        types = binding(template.model.version).types
        root = types.Environment(submodels=built)
        return Model(root, template.model.version, source, rebuild.findings)

    def write(self, model: Model, stream: BinaryIO, context: WriteContext) -> None:
        report_package_not_carried(model, context, "value-only JSON")
        if not submodels(model):
            raise UsageError(
                f"value-only JSON holds submodels' values; the model ({model.class_name}) "
                "holds no submodel"
            )
        try:
            value, findings = value_only(model, context.submodel, context.target)
        except LookupError as error:
            raise UsageError(str(error.args[0])) from None
        stream.write(dumps(value))
        context.findings.extend(findings)


def _keyed(value: Mapping[str, object], found: list[Any], template: Template) -> bool:
    """Whether ``value`` is keyed by submodel id: none of its keys is an element of the
    template submodel, and each member is an object."""
    if not value or not all(isinstance(member, dict) for member in value.values()):
        return False
    candidates = found if template.submodel is None else [_template_for(found, template, None)]
    for submodel in candidates:
        elements = list(submodel.submodel_elements or [])
        names = {element.id_short for element in elements}
        if any(key in names or repeated(elements, key) is not None for key in value):
            return False
    return True


def _template_for(found: list[Any], template: Template, id: str | None) -> Any:
    """The template submodel for the values of one submodel (keyed by ``id`` where given)."""
    if template.submodel is not None:
        try:
            return choose(found, template.submodel, f"the template {_named(template)}")
        except LookupError as error:
            raise UsageError(str(error.args[0])) from None
    if len(found) == 1:
        return found[0]
    same = [submodel for submodel in found if id is not None and submodel.id == id]
    if same:
        return same[0]
    ids = ", ".join(repr(submodel.id) for submodel in found[:10])
    raise UsageError(
        f"the template {_named(template)} holds {len(found)} submodels ({ids}); "
        "name the one to use with --submodel (in Python, submodel=...)"
    )


def _named(template: Template) -> str:
    return repr(template.model.source) if template.model.source else "given"


def _kind(value: object) -> str:
    if isinstance(value, list):
        return "an array"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, str):
        return "a number" if type(value).__name__ == "Number" else "a string"
    return "null" if value is None else "a number"


CODEC = ValueCodec()
