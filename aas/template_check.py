"""``check_template``: models checked against IDTA submodel templates, one report per model.

Templates are given as models or paths: a template file (JSON, XML or AASX holding one or more
submodels of kind Template), or a folder searched for them. Each submodel of the model is
checked against the template whose semanticId it carries (keys compared exactly as written),
or, when the caller names it (``submodel``), against the one template given. The comparison
itself is :mod:`aas.checks.templates`'; here templates are read and matched, and findings
located in the model's text (line and column where the format has them).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, TypedDict

from aas.api import read_as
from aas.checks.constraints import findings_file
from aas.checks.templates import (
    Place,
    SemanticKey,
    Shape,
    check_submodel,
    same_ids,
    semantic_key,
    shape_of,
)
from aas.codec import Document
from aas.errors import AasError, ReadError, UsageError
from aas.findings import Finding, Location, Severity
from aas.metamodel.paths import IndexStep, PropertyStep, Step
from aas.model import Model
from aas.pipeline import Source, finding_of, read_input
from aas.plan import aas_files
from aas.report import NOTHING_CHECKED, Report, ReportDict
from aas.versions import Version, VersionLike, binding

__all__ = ["Match", "Template", "TemplateReport", "check_template", "load_templates"]

TemplateSource = Model | str | os.PathLike[str]


@dataclass(frozen=True, eq=False)
class Template:
    """One submodel of kind Template, and the file it was read from."""

    submodel: Any
    version: Version
    source: str | None

    @property
    def key(self) -> SemanticKey | None:
        return semantic_key(self.submodel)

    @cached_property
    def shape(self) -> Shape:
        """The template compiled for checking (once, however many models it checks)."""
        return shape_of(self.submodel)


class MatchDict(TypedDict):
    submodel: str
    semanticId: str | None
    template: str | None
    templateSource: str | None
    candidates: int


@dataclass(frozen=True)
class Match:
    """Which template a submodel of the model was checked against (None: no template)."""

    submodel: str
    semantic_id: str | None
    template: str | None = None
    template_source: str | None = None
    #: How many templates carried the submodel's semanticId (the best fitting was taken).
    candidates: int = 0

    def __str__(self) -> str:
        if self.template is None:
            return f"submodel {self.submodel!r}: no template (semanticId {self.semantic_id})"
        among = f", the best fitting of {self.candidates}" if self.candidates > 1 else ""
        return (
            f"submodel {self.submodel!r} checked against template {self.template!r}"
            f" ({self.template_source or 'given'}{among})"
        )

    def to_dict(self) -> MatchDict:
        return {
            "submodel": self.submodel,
            "semanticId": self.semantic_id,
            "template": self.template,
            "templateSource": self.template_source,
            "candidates": self.candidates,
        }


class TemplateReportDict(ReportDict):
    templates: list[MatchDict]


@dataclass
class TemplateReport(Report):
    """A validation report of template findings, with which submodel met which template."""

    matches: list[Match] = field(default_factory=list)

    @property
    def nothing_checked(self) -> bool:
        """A model read whose submodels met no template: "ok" would say it conforms."""
        return self.readable and not any(match.template is not None for match in self.matches)

    @property
    def verdict(self) -> str:
        if self.nothing_checked and self.ok:
            return NOTHING_CHECKED
        return super().verdict

    def to_dict(self) -> TemplateReportDict:
        base = super().to_dict()
        return {**base, "templates": [match.to_dict() for match in self.matches]}


def load_templates(templates: TemplateSource | Sequence[TemplateSource]) -> list[Template]:
    """Every submodel of kind Template in the models, files and folders given.

    A folder is searched for AAS files; one that cannot be read as a model (a form
    description beside the templates) is passed over. A file named that cannot be read
    raises its ReadError; one that holds no template, a UsageError."""
    given: Sequence[TemplateSource] = (
        [templates] if isinstance(templates, Model | str | os.PathLike) else templates
    )
    found: list[Template] = []
    for item in given:
        if isinstance(item, Model):
            found.extend(_of_model(item))
            continue
        path = Path(item)
        if path.is_dir():
            for file in aas_files(path):
                try:
                    found.extend(_of_model(_read(file)))
                except AasError:
                    continue  # not a model: the folder holds other files too
            continue
        held = _of_model(_read(path))
        if not held:
            raise UsageError(f"{str(path)!r} holds no submodel of kind Template")
        found.extend(held)
    if not found:
        raise UsageError("no submodel of kind Template in the templates given")
    return found


def _read(path: Path) -> Model:
    return read_as(read_input(path), None, None, None, frozenset()).built()


def _of_model(model: Model) -> list[Template]:
    types = binding(model.version).types
    root = model.root
    submodels = [root] if isinstance(root, types.Submodel) else getattr(root, "submodels", None)
    return [
        Template(submodel, model.version, model.source)
        for submodel in submodels or ()
        if submodel.kind is not None and submodel.kind.value == "Template"
    ]


def check_template(
    model: Model | Source,
    templates: TemplateSource | Sequence[TemplateSource] | Sequence[Template],
    *,
    submodel: str | None = None,
    format: str | None = None,
    version: VersionLike = None,
) -> TemplateReport:
    """Check each submodel of ``model`` (a Model, or a path, bytes or stream to read one
    from) against its template and return the report.

    ``templates`` are models, template files or folders of them (or templates already
    loaded with :func:`load_templates`). A submodel is checked against the template with
    its semanticId; ``submodel`` names the one submodel to check (by id), which, when its
    semanticId matches no template and one template is given, is checked against that one.
    An input no model can be read from gives a report with ``readable=False``."""
    loaded = _templates(templates)
    document: Document[Any] | None = None
    if isinstance(model, Model):
        read = model
    else:
        name = str(model) if isinstance(model, str | os.PathLike) else None
        try:
            reading = read_as(read_input(model), format, version, None, frozenset())
        except ReadError as error:
            return TemplateReport(name, [finding_of(error)], readable=False)
        if reading.model is None:
            return TemplateReport(name, reading.findings, format=reading.format, readable=False)
        read, document = reading.model, reading.document
    findings, matches = _check(read, loaded, submodel)
    if document is not None:
        # In the order of the text, where the format tells lines (stable: else as found).
        findings = sorted(document.locate_all(findings), key=lambda f: f.location.line or 0)
    return TemplateReport(
        read.source,
        findings,
        format=read.format,
        version=str(read.version),
        model_type=read.class_name,
        checks=("templates",),
        upgraded_from=read.upgraded_from,
        matches=matches,
    )


def _templates(
    templates: TemplateSource | Sequence[TemplateSource] | Sequence[Template],
) -> list[Template]:
    """Templates already loaded, or loaded now."""
    if isinstance(templates, Model | str | os.PathLike):
        return load_templates(templates)
    ready = [item for item in templates if isinstance(item, Template)]
    if len(ready) == len(templates):
        return ready
    sources = [item for item in templates if not isinstance(item, Template)]
    return [*ready, *load_templates(sources)]


def _check(
    model: Model, templates: list[Template], named: str | None
) -> tuple[list[Finding], list[Match]]:
    types = binding(model.version).types
    root = model.root
    place = Place(root, findings_file(model), _style(model))
    places: list[tuple[Any, list[Step]]] = []
    if isinstance(root, types.Submodel):
        places.append((root, []))
    else:
        held = getattr(root, "submodels", None) or []
        places.extend(
            (item, [PropertyStep(root, "submodels"), IndexStep(held, index)])
            for index, item in enumerate(held)
        )
    if named is not None:
        places = [(item, steps) for item, steps in places if item.id == named]
        if not places:
            raise UsageError(f"{model.source or 'the model'} holds no submodel {named!r}")
    findings: list[Finding] = []
    matches: list[Match] = []
    for item, steps in places:
        key = semantic_key(item)
        shown = " / ".join(value for _, value in key) if key else None
        candidates = _candidates(item, templates, named is not None)
        if not candidates:
            matches.append(Match(item.id, shown))
            continue
        # Several templates may carry one semanticId (both metamodel versions, JSON and
        # AASX, a variant "with operations"): the one the submodel fits best (the first of
        # the best: one with the submodel's id, then of the model's version, then as given).
        # Tried in that order, until one fits without a finding.
        candidates.sort(key=lambda t: (t.submodel.id != item.id, t.version != model.version))
        outcomes: list[tuple[list[Finding], Template]] = []
        for template in candidates:
            outcomes.append((check_submodel(item, template.shape, place, steps), template))
            if not outcomes[-1][0]:
                break
        found, template = min(outcomes, key=lambda outcome: _weight(outcome[0]))
        matches.append(
            Match(item.id, shown, template.submodel.id, template.source, len(candidates))
        )
        findings.extend(found)
    if not any(match.template is not None for match in matches):
        findings.append(_no_match(model, matches, templates))
    return findings, matches


def _no_match(model: Model, matches: list[Match], templates: list[Template]) -> Finding:
    """The finding of a model none of whose submodels met a template: without it the report
    of a model that was not checked at all would read as that of one that conforms."""
    given = (
        "the template given carries"
        if len(templates) == 1
        else f"none of the {len(templates)} templates given carries"
    )
    if not matches:
        message = "the model holds no submodel, so nothing was checked against the templates"
    else:
        ids = sorted({match.semantic_id or "none" for match in matches})
        message = (
            f"{given} the semanticId of a submodel here, so nothing was checked (the "
            f"submodels' semanticIds: {', '.join(ids)}); give the template of one of them "
            "(--template), or one template and the submodel to check against it (--submodel)"
        )
    return Finding.of("template:no-match", message, Location(file=findings_file(model)))


def _weight(findings: list[Finding]) -> tuple[int, int]:
    errors = sum(1 for finding in findings if finding.severity is Severity.ERROR)
    return errors, len(findings) - errors


def _candidates(submodel: Any, templates: list[Template], named: bool) -> list[Template]:
    key = semantic_key(submodel)
    same = [template for template in templates if key and template.key == key]
    if not same:  # the same ids with other key types (reported: template:semantic-id-form)
        same = [template for template in templates if same_ids(key, template.key)]
    if not same and named and len(templates) == 1:
        return templates
    return same


def _style(model: Model) -> str:
    if model.package is not None and model.package.spec_parts:
        return "xml" if model.package.spec_parts[0].format == "xml" else "json"
    return "xml" if model.format == "xml" else "json"
