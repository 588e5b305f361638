"""The one finding type shared by every reader, validator, the CLI and the tests.

A finding is small, immutable and serialisable: it never holds the model or the input,
only where the problem is (``Location``) and what it is (``rule`` and ``message``).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import NotRequired, TypedDict, cast

from aas.rules import severity_of
from aas.severity import Severity

__all__ = [
    "Finding",
    "FindingDict",
    "Location",
    "LocationDict",
    "Severity",
    "escape_pointer_token",
    "placed",
    "pointed",
    "pointer",
]


class LocationDict(TypedDict, total=False):
    """``Location.to_dict()``: the fields that are set."""

    file: str
    pointer: str
    xpath: str
    line: int
    column: int
    focus: str
    path: str


class FindingDict(TypedDict):
    """``Finding.to_dict()``, as the JSON report writes a finding."""

    severity: str
    rule: str
    message: str
    location: LocationDict
    also: NotRequired[list[str]]


@dataclass(frozen=True, slots=True)
class Location:
    """Where a finding points: a file, and inside it a JSON pointer or an XPath, or for RDF
    the focus node and the path (predicate) of a SHACL result.

    ``line`` and ``column`` are 1-based and set where the format has them.
    """

    file: str | None = None
    pointer: str | None = None
    xpath: str | None = None
    line: int | None = None
    column: int | None = None
    focus: str | None = None
    path: str | None = None

    def __str__(self) -> str:
        parts: list[str] = []
        if self.file:
            where = self.file
            if self.line is not None:
                where += f":{self.line}"
                if self.column is not None:
                    where += f":{self.column}"
            parts.append(where)
        elif self.line is not None:
            parts.append(f"line {self.line}" + (f":{self.column}" if self.column else ""))
        if self.focus is not None:
            parts.append(self.focus + (f" {self.path}" if self.path else ""))
        if self.pointer is not None:
            parts.append(self.pointer or "/")
        elif self.xpath:
            parts.append(self.xpath)
        return " ".join(parts)

    def to_dict(self) -> LocationDict:
        # LocationDict names every field; the ones set, in the order they are declared
        found = {
            name: value for name in _LOCATION_FIELDS if (value := getattr(self, name)) is not None
        }
        return cast(LocationDict, found)


_LOCATION_FIELDS = tuple(location_field.name for location_field in fields(Location))


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem (or note) about an input, named by rule and located.

    A rule has one severity everywhere: for a rule of the registry (:mod:`aas.rules`) the
    registry's severity is the finding's, whatever the caller passed. ``also`` names the
    rules of other layers that reported the same defect at the same place (see
    :mod:`aas.defects`): the defect is reported once, by this finding.
    """

    severity: Severity
    rule: str
    message: str
    location: Location = field(default_factory=Location)
    also: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        registered = severity_of(self.rule)
        if registered is not None and registered is not self.severity:
            object.__setattr__(self, "severity", registered)

    @classmethod
    def of(cls, rule: str, message: str, location: Location | None = None) -> Finding:
        """A finding of a registered rule, with the registry's severity."""
        severity = severity_of(rule)
        if severity is None:
            raise ValueError(f"{rule!r} is no registered rule (see aas.rules)")
        return cls(severity, rule, message, location or Location())

    @property
    def text(self) -> str:
        """The message, with the other rules that reported the same defect."""
        if not self.also:
            return self.message
        return f"{self.message} (also: {', '.join(self.also)})"

    def __str__(self) -> str:
        return self.render(self.severity.value)

    def render(self, label: str) -> str:
        """One line: ``where: label: [rule] message``."""
        where = str(self.location)
        prefix = f"{where}: " if where else ""
        return f"{prefix}{label}: [{self.rule}] {self.text}"

    def to_dict(self) -> FindingDict:
        found: FindingDict = {
            "severity": self.severity.value,
            "rule": self.rule,
            "message": self.message,
            "location": self.location.to_dict(),
        }
        if self.also:
            found["also"] = list(self.also)
        return found


def placed(finding: Finding, line: int, column: int) -> Finding:
    """``finding`` with its location's line and column set: what ``dataclasses.replace``
    gives, made a slot at a time (a frozen dataclass's ``__init__`` sets each field through
    ``object.__setattr__``, and the finding's severity was settled when it was made): half
    the cost, for formats placing thousands of findings."""
    where = finding.location
    located = _location(
        where.file, where.pointer, where.xpath, line, column, where.focus, where.path
    )
    return _finding(finding.severity, finding.rule, finding.message, located, finding.also)


def pointed(severity: Severity, rule: str, message: str, file: str | None, at: str) -> Finding:
    """``Finding(severity, rule, message, Location(file, at))``, made a slot at a time (see
    :func:`placed`), for a check that reports thousands of findings: ``severity`` is the
    rule's as the registry has it (the caller looks it up once)."""
    where = _location(file, at, None, None, None, None, None)
    return _finding(severity, rule, message, where, ())


def _location(
    file: str | None,
    pointer: str | None,
    xpath: str | None,
    line: int | None,
    column: int | None,
    focus: str | None,
    path: str | None,
) -> Location:
    made = _new(Location)
    set_file, set_pointer, set_xpath, set_line, set_column, set_focus, set_path = _SET_LOCATION
    set_file(made, file)
    set_pointer(made, pointer)
    set_xpath(made, xpath)
    set_line(made, line)
    set_column(made, column)
    set_focus(made, focus)
    set_path(made, path)
    return made


def _finding(
    severity: Severity, rule: str, message: str, location: Location, also: tuple[str, ...]
) -> Finding:
    made = _new(Finding)
    set_severity, set_rule, set_message, set_location, set_also = _SET_FINDING
    set_severity(made, severity)
    set_rule(made, rule)
    set_message(made, message)
    set_location(made, location)
    set_also(made, also)
    return made


_new = object.__new__
#: The setters of the slots of each class's fields, in the order they are declared.
_SET_LOCATION = tuple(getattr(Location, name).__set__ for name in _LOCATION_FIELDS)
_SET_FINDING = tuple(getattr(Finding, f.name).__set__ for f in fields(Finding))


def escape_pointer_token(token: str) -> str:
    """One reference token of a JSON pointer (RFC 6901): ``~`` and ``/`` escaped."""
    return token.replace("~", "~0").replace("/", "~1")


def pointer(tokens: list[str | int]) -> str:
    """The JSON pointer of these tokens: ``["submodels", 0]`` -> ``/submodels/0``."""
    return "".join("/" + escape_pointer_token(str(token)) for token in tokens)
