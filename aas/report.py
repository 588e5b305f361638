"""A validation report per input, and its renderings: text, JSON, JUnit XML and SARIF 2.1.0.

The same ``Report`` objects are returned by :func:`aas.validate`, printed by ``aas validate``
and checked by the tests; the renderings are pure functions of a list of reports, so the
output for the same inputs is the same every time.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NotRequired, TypedDict
from urllib.parse import quote

import orjson

from aas.about import __version__
from aas.findings import Finding, FindingDict, Severity
from aas.places import is_url
from aas.rules import is_note, lookup
from aas.wording import counted

#: The verdict on an input that was read and met nothing to check it against (a template
#: check whose templates fit none of its submodels): not "ok", which would say it conforms.
NOTHING_CHECKED = "nothing checked"


class ReportDict(TypedDict):
    """``Report.to_dict()``, one entry of the JSON report's ``reports``."""

    source: str | None
    format: str | None
    version: str | None
    modelType: str | None
    readable: bool
    ok: bool
    #: The text report's word for the input: "ok", "INVALID", "UNREADABLE", or "nothing
    #: checked" (a template check whose templates fit none of its submodels: ``ok`` is then
    #: true, as nothing failed, but nothing passed either).
    verdict: str
    checks: list[str]
    counts: dict[str, int]
    findings: list[FindingDict]
    #: Only for an input upgraded on reading: the version it was written in ("2.0.1").
    upgradedFrom: NotRequired[str]


def failing(findings: Sequence[Finding], threshold: Severity) -> list[Finding]:
    """The findings at or above ``threshold`` that are about the model, not notes about how
    the toolkit read it (see :mod:`aas.rules`)."""
    return [f for f in findings if f.severity >= threshold and not is_note(f.rule)]


@dataclass
class Report:
    """Everything found about one input."""

    source: str | None
    findings: list[Finding] = field(default_factory=list)
    format: str | None = None
    version: str | None = None
    model_type: str | None = None
    #: False when no model can be read from the input (missing, not well-formed, hostile, or
    #: a document no model can be built from): what ``convert`` cannot read either.
    readable: bool = True
    checks: tuple[str, ...] = ()
    #: The version the input was written in when it was upgraded on reading ("2.0.1").
    upgraded_from: str | None = None

    @property
    def ok(self) -> bool:
        """No finding of severity error, and the input could be read."""
        return self.readable and not any(f.severity is Severity.ERROR for f in self.findings)

    def fails(self, threshold: Severity) -> bool:
        """Whether the input was unreadable or holds a finding at or above ``threshold``;
        notes about reading (``aas:version-assumed``, ...) never count."""
        return not self.readable or bool(failing(self.findings, threshold))

    @property
    def verdict(self) -> str:
        """The word the text report gives the input: ok, INVALID or UNREADABLE."""
        if not self.readable:
            return "UNREADABLE"
        return "ok" if self.ok else "INVALID"

    def counts(self) -> dict[str, int]:
        counted = Counter(finding.severity for finding in self.findings)
        return {severity.value: counted[severity] for severity in reversed(Severity)}

    def to_dict(self) -> ReportDict:
        result: ReportDict = {
            "source": self.source,
            "format": self.format,
            "version": self.version,
            "modelType": self.model_type,
            "readable": self.readable,
            "ok": self.ok,
            "verdict": self.verdict,
            "checks": list(self.checks),
            "counts": self.counts(),
            "findings": [finding.to_dict() for finding in self.findings],
        }
        if self.upgraded_from is not None:
            result["upgradedFrom"] = self.upgraded_from
        return result

    def to_text(self) -> str:
        return render_text([self])


def _summary(report: Report) -> str:
    verdict = report.verdict
    counts = report.counts()
    parts = [counted(counts[s.value], s.value) for s in reversed(Severity) if counts[s.value]]
    what = ", ".join(parts) if parts else "no findings"
    version = f"V{report.version}" if report.version else None
    if version and report.upgraded_from:
        version += f" upgraded from V{report.upgraded_from}"
    model = " ".join(part for part in (report.format, version) if part)
    return f"{report.source or '<input>'}: {verdict} ({what}{'; ' + model if model else ''})"


def render_text(reports: Sequence[Report]) -> str:
    lines: list[str] = []
    for report in reports:
        lines.append(_summary(report))
        lines.extend(f"  {finding}" for finding in report.findings)
    if len(reports) > 1:
        bad = sum(1 for report in reports if not report.ok)
        unchecked = sum(1 for report in reports if report.verdict == NOTHING_CHECKED)
        lines.append(
            f"{counted(len(reports), 'file')}, {bad} with errors or unreadable"
            + (f", {unchecked} with nothing checked" if unchecked else "")
        )
    return "\n".join(lines) + "\n"


def render_json(reports: Sequence[Report]) -> str:
    document = {
        "tool": {"name": "aas-toolkit", "version": __version__},
        "ok": all(report.ok for report in reports),
        "reports": [report.to_dict() for report in reports],
    }
    return orjson.dumps(document, option=orjson.OPT_INDENT_2).decode() + "\n"


def render_junit(
    reports: Sequence[Report], threshold: Severity = Severity.ERROR, name: str = "aas validate"
) -> str:
    """One test case per file; it fails when the file has a finding at or above ``threshold``.
    ``name`` is the command's, which names the suites and (dotted) each case's class."""
    from lxml import etree  # only here: a JSON-only run never loads lxml

    suites = etree.Element("testsuites", name=name)
    suite = etree.SubElement(suites, "testsuite", name=name)
    classname = ".".join(name.split())
    failures = errors = 0
    for report in reports:
        case = etree.SubElement(
            suite, "testcase", classname=classname, name=report.source or "<input>"
        )
        relevant = failing(report.findings, threshold)
        if not report.readable:
            errors += 1
            element = etree.SubElement(case, "error", message="the input cannot be read")
            element.text = "\n".join(str(f) for f in report.findings)
        elif relevant:
            failures += 1
            element = etree.SubElement(
                case, "failure", message=counted(len(relevant), "finding"), type="aas.findings"
            )
            element.text = "\n".join(str(f) for f in relevant)
        others = [f for f in report.findings if f not in relevant]
        if others and report.readable:
            etree.SubElement(case, "system-out").text = "\n".join(str(f) for f in others)
    for element in (suites, suite):
        element.set("tests", str(len(reports)))
        element.set("failures", str(failures))
        element.set("errors", str(errors))
    return etree.tostring(
        suites, pretty_print=True, xml_declaration=True, encoding="UTF-8"
    ).decode()


_SARIF_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


# The parts of SARIF 2.1.0 written here.
class _Text(TypedDict):
    text: str


class _Level(TypedDict):
    level: str


class _RuleProperties(TypedDict):
    layer: str
    note: bool


class _SarifRule(TypedDict):
    id: str
    shortDescription: NotRequired[_Text]
    defaultConfiguration: NotRequired[_Level]
    properties: NotRequired[_RuleProperties]


class _ArtifactLocation(TypedDict):
    uri: str


class _Region(TypedDict):
    startLine: int
    startColumn: NotRequired[int]


class _PhysicalLocation(TypedDict):
    artifactLocation: _ArtifactLocation
    region: NotRequired[_Region]


class _LogicalLocation(TypedDict):
    fullyQualifiedName: str
    kind: str


class _SarifLocation(TypedDict):
    physicalLocation: _PhysicalLocation
    logicalLocations: NotRequired[list[_LogicalLocation]]


class _Also(TypedDict):
    also: list[str]


class _SarifResult(TypedDict):
    ruleId: str
    ruleIndex: int
    level: str
    message: _Text
    locations: list[_SarifLocation]
    properties: NotRequired[_Also]


def render_sarif(reports: Sequence[Report]) -> str:
    """SARIF 2.1.0: one run, one result per finding, with its physical and logical location."""
    rules: dict[str, int] = {}
    results: list[_SarifResult] = []
    for report in reports:
        for finding in report.findings:
            index = rules.setdefault(finding.rule, len(rules))
            results.append(_sarif_result(finding, index, report.source))
    document = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "aas-toolkit",
                        "version": __version__,
                        "rules": [_sarif_rule(rule) for rule in rules],
                    }
                },
                "results": results,
            }
        ],
    }
    return orjson.dumps(document, option=orjson.OPT_INDENT_2).decode() + "\n"


def _sarif_rule(rule_id: str) -> _SarifRule:
    """A rule of the run, with what the registry says of it (its level, layer and clause)."""
    rule = lookup(rule_id)
    if rule is None:
        return {"id": rule_id}
    return {
        "id": rule_id,
        "shortDescription": {"text": rule.clause},
        "defaultConfiguration": {"level": _SARIF_LEVELS[rule.severity]},
        "properties": {"layer": rule.layer, "note": rule.note},
    }


def _sarif_result(finding: Finding, rule_index: int, source: str | None) -> _SarifResult:
    location = finding.location
    physical: _PhysicalLocation = {"artifactLocation": {"uri": _uri(location.file or source)}}
    if location.line is not None:
        region: _Region = {"startLine": location.line}
        if location.column is not None:
            region["startColumn"] = location.column
        physical["region"] = region
    sarif_location: _SarifLocation = {"physicalLocation": physical}
    logical = location.pointer if location.pointer is not None else location.xpath
    if logical is not None:
        # SARIF's logical-location kinds name what an entry is; "element" fits both a JSON
        # pointer's target and an XPath's.
        kind = "element"
        sarif_location["logicalLocations"] = [{"fullyQualifiedName": logical, "kind": kind}]
    result: _SarifResult = {
        "ruleId": finding.rule,
        "ruleIndex": rule_index,
        "level": _SARIF_LEVELS[finding.severity],
        "message": {"text": finding.text},
        "locations": [sarif_location],
    }
    if finding.also:
        result["properties"] = {"also": list(finding.also)}
    return result


def _uri(path: str | None) -> str:
    if not path:
        return "stdin"
    # SARIF wants URI references (RFC 3986): forward slashes, every character a URI cannot
    # hold percent-encoded (spaces, "#", "?", "%", non-ASCII as UTF-8), the rest kept, so a
    # relative path stays relative, an absolute one absolute, and a package member after "!"
    # readable.
    uri = quote(path.replace("\\", "/"), safe=_URI_SAFE)
    first = uri.partition("/")[0]
    if ":" in first and not is_url(path) and not _DRIVE.match(uri):
        uri = "./" + uri  # "a:b.json" would read as a URI of the scheme "a" (RFC 3986 §4.2)
    return uri


#: What a URI path holds as it is (RFC 3986 pchar and "/"), besides letters and digits.
_URI_SAFE = "/!$&'()*+,;=:@-._~"
_DRIVE = re.compile(r"[A-Za-z]:(/|$)")  # C:/data/m.json, as Windows names it
