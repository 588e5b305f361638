"""What a model holds, counted: the data behind ``aas info``."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from aas.findings import Severity
from aas.model import Model
from aas.versions import binding
from aas.wording import counted


@dataclass
class FileSummary:
    name: str
    content_type: str
    size: int
    role: str  # "supplementary", "thumbnail" or "other"


@dataclass
class ModelSummary:
    source: str | None
    format: str
    version: str
    root_class: str
    upgraded_from: str | None = None
    shells: int = 0
    submodels: int = 0
    concept_descriptions: int = 0
    elements: dict[str, int] = field(default_factory=dict)
    files: list[FileSummary] = field(default_factory=list)
    findings: dict[str, int] = field(default_factory=dict)

    @property
    def element_count(self) -> int:
        return sum(self.elements.values())

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "format": self.format,
            "version": self.version,
            **({"upgradedFrom": self.upgraded_from} if self.upgraded_from else {}),
            "rootClass": self.root_class,
            "shells": self.shells,
            "submodels": self.submodels,
            "conceptDescriptions": self.concept_descriptions,
            "submodelElements": {"total": self.element_count, "byType": self.elements},
            "files": [
                {"name": f.name, "contentType": f.content_type, "size": f.size, "role": f.role}
                for f in self.files
            ],
            "findings": self.findings,
        }

    def to_text(self) -> str:
        lines = [
            f"file:                 {self.source or '<stdin>'}",
            f"format:               {self.format}",
            f"metamodel:            V{self.version}"
            + (f" (upgraded from V{self.upgraded_from})" if self.upgraded_from else ""),
            f"root:                 {self.root_class}",
            f"shells:               {self.shells}",
            f"submodels:            {self.submodels}",
            f"concept descriptions: {self.concept_descriptions}",
            f"submodel elements:    {self.element_count}",
        ]
        lines += [f"  {name:<27} {count}" for name, count in self.elements.items()]
        if self.files:
            lines.append(f"package files:        {len(self.files)}")
            lines += [
                f"  {f.name}  {f.content_type}  {counted(f.size, 'byte')}  ({f.role})"
                for f in self.files
            ]
        counts = (
            ", ".join(counted(count, _SINGULAR[name]) for name, count in self.findings.items())
            or "none"
        )
        lines.append(f"findings:             {counts}")
        return "\n".join(lines)


def summarize(model: Model) -> ModelSummary:
    types = binding(model.version).types
    summary = ModelSummary(
        model.source, model.format or "?", str(model.version), model.class_name, model.upgraded_from
    )
    root = model.root
    if isinstance(root, types.Environment):
        summary.shells = len(root.asset_administration_shells or ())
        summary.submodels = len(root.submodels or ())
        summary.concept_descriptions = len(root.concept_descriptions or ())
    # A file holding one identifiable (a Submodel from an API) holds one of its kind.
    elif isinstance(root, types.AssetAdministrationShell):
        summary.shells = 1
    elif isinstance(root, types.Submodel):
        summary.submodels = 1
    elif isinstance(root, types.ConceptDescription):
        summary.concept_descriptions = 1
    elements: Counter[str] = Counter()
    for node in _self_and_descendants(root):
        if isinstance(node, types.SubmodelElement):
            elements[type(node).__name__] += 1
    summary.elements = dict(sorted(elements.items(), key=lambda item: (-item[1], item[0])))
    if model.package is not None:
        package = model.package
        for part in package.supplementary.values():
            summary.files.append(
                FileSummary(part.name, part.content_type, len(part.data), "supplementary")
            )
        if package.thumbnail is not None:
            thumb = package.thumbnail
            summary.files.append(
                FileSummary(thumb.name, thumb.content_type, len(thumb.data), "thumbnail")
            )
        for part in package.other_parts.values():
            summary.files.append(FileSummary(part.name, part.content_type, len(part.data), "other"))
    by_severity = Counter(finding.severity for finding in model.findings)
    summary.findings = {
        _PLURALS[severity]: by_severity[severity]
        for severity in (Severity.ERROR, Severity.WARNING, Severity.INFO)
        if by_severity[severity]
    }
    return summary


_PLURALS = {Severity.ERROR: "errors", Severity.WARNING: "warnings", Severity.INFO: "notes"}
_SINGULAR = {"errors": "error", "warnings": "warning", "notes": "note"}  # the text's words


def _self_and_descendants(root: Any) -> Any:
    yield root
    yield from root.descend()
