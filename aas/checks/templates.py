"""Checking submodels against IDTA submodel templates: the shape and the SMT qualifiers.

A submodel template (a Submodel of kind Template) says which elements an instance holds, how
many of each (the cardinality qualifier), of which class and valueType, with which semanticId,
and what values and languages it allows. This module compares an instance submodel with its
template, both already read; reading template files and picking the template of a submodel
by semanticId is :mod:`aas.template_check`'s.

What the published templates really hold decided what is read here (counted over the 209
models of the IDTA's published folder, the corpus the tests read):

- The cardinality qualifier is spelled ``SMT/Cardinality`` (11,421 times), ``Cardinality``
  (2,750), ``Multiplicity`` (1,194) and ``SMT/SMT/Cardinality`` (132): any qualifier type that
  is ``Cardinality`` or ``Multiplicity`` after leading ``SMT/`` prefixes counts. Its values
  are One, ZeroToOne, ZeroToMany, OneToMany, read without regard to case or surrounding
  blanks (``ZeroToOne `` and ``ZerotoMany`` occur); a value outside these (``Three``,
  ``Recursive``, ``ZerotToOne``) constrains nothing rather than inventing a meaning. The
  qualifier's kind is not looked at: TemplateQualifier, ConceptQualifier and none all occur.
- An element without a cardinality qualifier is optional: assuming One would invent an
  obligation the template does not state.
- ``SMT/AllowedValue`` is a regular expression in the specification, yet most published
  values are lists (``True;False``, ``good | bad | uncertain | others``): a value is allowed
  when the expression matches it whole, or when it is one of the ``;`` or ``|`` separated
  alternatives.
- Siblings may share a semanticId (102 times: ``SimulationAxis`` and ``SwLimitSwitchPos``):
  an element is matched by semanticId, and among several by idShort, list items in their
  order, then to one that still lacks an element, then to the first not yet full.
- Elements whose semanticId is ``https://admin-shell.io/SMT/General/Arbitrary``
  (``ArbitraryProperty``, ``ArbitrarySMC``, ...: 97 in the published JSON files) stand for
  any element of their class that matches nothing else, whatever it holds.
- Repeated elements carry an idShort placeholder (``Mode__00__``, ``Record__0000__``; the
  older spelling ``Document{00}``): the placeholder stands for any text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any

from aas.findings import Finding, Location
from aas.metamodel.paths import IndexStep, PropertyStep, Step
from aas.metamodel.walk import location

__all__ = [
    "Cardinality",
    "Place",
    "Shape",
    "cardinality",
    "check_submodel",
    "semantic_key",
    "shape_of",
]

#: A semanticId as written: its keys' types and values, in order (the reference's own type
#: is not compared: the published templates mix ExternalReference and ModelReference).
SemanticKey = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Cardinality:
    """How many of an element a container holds: at least ``least``, at most ``most``
    (None: no bound)."""

    least: int
    most: int | None
    name: str


_CARDINALITIES = {
    "one": Cardinality(1, 1, "One"),
    "zerotoone": Cardinality(0, 1, "ZeroToOne"),
    "zerotomany": Cardinality(0, None, "ZeroToMany"),
    "onetomany": Cardinality(1, None, "OneToMany"),
}
#: What an element without a (known) cardinality is held to: nothing.
UNCONSTRAINED = Cardinality(0, None, "unstated")


def _qualifier_name(kind: str) -> str:
    while kind.startswith("SMT/"):
        kind = kind[4:]
    return kind


def _qualifiers(element: Any, name: str) -> Iterator[str]:
    """The values of the qualifiers of ``element`` named ``name`` (without ``SMT/``)."""
    for qualifier in getattr(element, "qualifiers", None) or ():
        if _qualifier_name(qualifier.type) == name and qualifier.value is not None:
            yield qualifier.value


def cardinality(element: Any) -> Cardinality:
    """The cardinality the template element states (its first known cardinality qualifier)."""
    for name in ("Cardinality", "Multiplicity"):
        for value in _qualifiers(element, name):
            known = _CARDINALITIES.get(value.strip().lower())
            if known is not None:
                return known
    return UNCONSTRAINED


def semantic_key(element: Any, attribute: str = "semantic_id") -> SemanticKey | None:
    reference = getattr(element, attribute, None)
    if reference is None:
        return None
    # _value_: an enumeration's value without the descriptor (this runs for every element)
    return tuple((key.type._value_, key.value) for key in reference.keys)


def same_ids(key: SemanticKey | None, other: SemanticKey | None) -> bool:
    """Whether two semanticIds name the same ids (the keys' values, in order, as written)
    and differ only in their key types: published templates write some of their own
    semanticIds as a reference to a Submodel where instances write a global reference."""
    return bool(key and other) and [v for _, v in key or ()] == [v for _, v in other or ()]


def _semantic_rule(key: SemanticKey | None, wanted: SemanticKey | None) -> str:
    return "template:semantic-id-form" if same_ids(key, wanted) else "template:semantic-id"


def _show(key: SemanticKey | None) -> str:
    if not key:
        return "none"
    return ", ".join(f"({kind}) {value!r}" for kind, value in key)


#: The semanticId of the template elements that stand for any element of their class
#: (ArbitraryProperty, ArbitrarySMC, ... in 18 published templates: Technical Data and others).
ARBITRARY = "https://admin-shell.io/SMT/General/Arbitrary"

_PLACEHOLDER = re.compile(r"__\d+__|\{\d+\}")


@cache
def _id_short_pattern(template_id_short: str) -> re.Pattern[str] | None:
    """What a placeholder idShort (``Mode__00__``) stands for, or None for a plain one."""
    parts = _PLACEHOLDER.split(template_id_short)
    if len(parts) == 1:
        return None
    return re.compile(".*".join(re.escape(part) for part in parts), re.DOTALL)


def _id_short_fits(id_short: str | None, template_id_short: str | None) -> bool:
    if id_short is None or template_id_short is None:
        return False
    if id_short == template_id_short:
        return True
    pattern = _id_short_pattern(template_id_short)
    return pattern is not None and pattern.fullmatch(id_short) is not None


@dataclass(frozen=True)
class Place:
    """Where findings point: the model's root, the file, and the location style."""

    root: Any
    file: str | None
    style: str

    def at(self, steps: Sequence[Step]) -> Location:
        return location(self.root, list(steps), self.file, self.style)


#: The attribute that holds the elements inside an element of each class.
_HOLDERS = {
    "Submodel": "submodel_elements",
    "SubmodelElementCollection": "value",
    "SubmodelElementList": "value",
    "Entity": "statements",
    "AnnotatedRelationshipElement": "annotations",
}


_HOLDER_NAMES = {
    "Submodel": "the submodel",
    "SubmodelElementList": "the list",
    "Entity": "the entity's statements",
    "AnnotatedRelationshipElement": "the annotations",
}


@dataclass(eq=False)
class Shape:
    """A template element with what checking needs of it read once: a template is compiled
    once and checked against many instances."""

    element: Any
    kind: str
    id_short: str | None
    key: SemanticKey | None
    cardinality: Cardinality
    children: list[Shape]
    #: The children by semanticId, and the SMT/EitherOr groups among them (positions).
    by_key: dict[SemanticKey, list[int]]
    groups: dict[str, list[int]]
    allowed_values: tuple[str, ...]
    allowed_ranges: tuple[str, ...]
    required_langs: tuple[str, ...]
    #: The valueType of a Property or Range, as written ("xs:string").
    value_type: str | None
    #: Of the children, the first placeholder for any element of each class (by class name).
    arbitrary: dict[str, int]

    @property
    def is_arbitrary(self) -> bool:
        return self.key is not None and any(value == ARBITRARY for _, value in self.key)

    @property
    def name(self) -> str:
        if self.id_short is None:
            return f"{self.kind} (a list item)"
        return f"{self.kind} {self.id_short!r}"


def shape_of(element: Any) -> Shape:
    """The template element (a Submodel or a submodel element) compiled for checking."""
    kind = type(element).__name__
    holder = _HOLDERS.get(kind)
    children = [shape_of(child) for child in (getattr(element, holder) or [])] if holder else []
    by_key: dict[SemanticKey, list[int]] = {}
    groups: dict[str, list[int]] = {}
    arbitrary: dict[str, int] = {}
    for number, child in enumerate(children):
        if child.is_arbitrary:
            arbitrary.setdefault(child.kind, number)
        if child.key:
            by_key.setdefault(child.key, []).append(number)
        for group in _qualifiers(child.element, "EitherOr"):
            groups.setdefault(group.strip(), []).append(number)
    return Shape(
        element,
        kind,
        getattr(element, "id_short", None),
        semantic_key(element),
        cardinality(element),
        children,
        by_key,
        groups,
        tuple(_qualifiers(element, "AllowedValue")),
        tuple(_qualifiers(element, "AllowedRange")),
        tuple(_qualifiers(element, "RequiredLang")),
        _enum_value(getattr(element, "value_type", None)),
        arbitrary,
    )


def _enum_value(literal: Any) -> str | None:
    return None if literal is None else str(literal._value_)


@dataclass
class _Found:
    findings: list[Finding]
    place: Place
    either_or: bool

    def add(self, rule: str, message: str, steps: Sequence[Step]) -> None:
        self.findings.append(Finding.of(rule, message, self.place.at(steps)))


def check_submodel(
    submodel: Any, template: Shape | Any, place: Place, steps: Sequence[Step]
) -> list[Finding]:
    """What ``submodel`` (at ``steps`` from the model's root) breaks of ``template`` (a
    template Submodel, or its :func:`shape_of`).

    SMT/EitherOr is not judged in a submodel of kind Template: a template lists every
    alternative of a group by its nature; an instance holds one of them."""
    shape = template if isinstance(template, Shape) else shape_of(template)
    is_template = getattr(submodel.kind, "value", None) == "Template"
    found = _Found([], place, either_or=not is_template)
    base = list(steps)
    key = semantic_key(submodel)
    if shape.key and key != shape.key:
        where = [*base, PropertyStep(submodel, "semantic_id")] if key else base
        found.add(
            _semantic_rule(key, shape.key),
            f"the submodel's semanticId is {_show(key)}; the template's is {_show(shape.key)}",
            where,
        )
    _children(found, submodel, "submodel_elements", shape, base)
    return found.findings


def _children(
    found: _Found, container: Any, attribute: str, shape: Shape, steps: list[Step]
) -> None:
    """Match the elements held in ``container.attribute`` to the template's children, count
    them against each one's cardinality, and compare each with its template."""
    items: list[Any] = getattr(container, attribute, None) or []
    templates = shape.children
    is_list = shape.kind == "SubmodelElementList"
    own = [*steps, PropertyStep(container, attribute)]
    assigned: list[list[int]] = [[] for _ in templates]
    by_key = shape.by_key
    matched_by_key: dict[int, bool] = {}
    for index, item in enumerate(items):
        key = semantic_key(item)
        candidates = by_key.get(key, []) if key else []
        if is_list and len(templates) == 1:
            # The list's one template item stands for every item.
            chosen: int | None = 0
        elif candidates:
            chosen = _pick(item, index, candidates, templates, assigned)
        else:
            named = [
                n for n, t in enumerate(templates) if _id_short_fits(item.id_short, t.id_short)
            ]
            chosen = _pick(item, index, named, templates, assigned) if named else None
            if chosen is None:
                chosen = shape.arbitrary.get(type(item).__name__)
        if chosen is None:
            found.add(
                "template:unexpected",
                f"{_describe(item)} is not in the template",
                [*own, IndexStep(items, index)],
            )
            continue
        assigned[chosen].append(index)
        matched_by_key[index] = chosen in candidates
    holder = _HOLDER_NAMES.get(shape.kind, "the collection")
    for number, template in enumerate(templates):
        count = len(assigned[number])
        limits = template.cardinality
        if count < limits.least:
            found.add(
                "template:missing",
                f"{template.name} is missing from {holder} (cardinality {limits.name})",
                steps,
            )
        if limits.most is not None and count > limits.most:
            for extra in assigned[number][limits.most :]:
                found.add(
                    "template:cardinality",
                    f"{template.name} is held {count} times "
                    f"(cardinality {limits.name}: at most {limits.most})",
                    [*own, IndexStep(items, extra)],
                )
        for index in assigned[number]:
            _compare(
                found,
                items[index],
                template,
                [*own, IndexStep(items, index)],
                matched_by_key[index],
            )
    if found.either_or and shape.groups:
        _either_or(found, items, shape, assigned, own)


def _pick(
    item: Any,
    position: int,
    candidates: list[int],
    templates: list[Shape],
    assigned: list[list[int]],
) -> int:
    """Among template elements that fit ``item``: the one its idShort names (one not yet
    full first), else one that still lacks an element, else one not yet full, else the first.
    (Templates hold siblings that share a semanticId, list items alike, and even siblings
    alike in idShort too.) Of those, the ones of the item's class first: a template may hold
    a Property and a Range of one concept side by side."""
    if len(candidates) == 1:
        return candidates[0]
    kind = type(item).__name__
    candidates = [n for n in candidates if templates[n].kind == kind] or candidates
    if len(candidates) == 1:
        return candidates[0]

    def lacking(number: int) -> bool:
        return len(assigned[number]) < templates[number].cardinality.least

    def open_(number: int) -> bool:
        most = templates[number].cardinality.most
        return most is None or len(assigned[number]) < most

    def named(number: int) -> bool:
        wanted = templates[number].id_short
        return wanted is not None and wanted == item.id_short

    def fits(number: int) -> bool:
        return _id_short_fits(item.id_short, templates[number].id_short)

    # An idShort that names a template element keeps the item there, full or not (a
    # duplicate is too many of that element, not another element sharing its semanticId).
    # Items of a list (no idShort) that share a semanticId meet the template's items in
    # their order.
    for wanted in (
        lambda n: named(n) and open_(n),
        lambda n: fits(n) and open_(n),
        named,
        fits,
        lambda n: n == position and item.id_short is None,
        lacking,
        open_,
    ):
        for number in candidates:
            if wanted(number):
                return number
    return candidates[0]


def _either_or(
    found: _Found, items: list[Any], shape: Shape, assigned: list[list[int]], own: list[Step]
) -> None:
    """SMT/EitherOr: of the template's elements in one group, one is held at most."""
    for group, members in shape.groups.items():
        present = sorted(index for number in members for index in assigned[number])
        for index in present[1:]:
            found.add(
                "template:either-or",
                f"{_describe(items[index])} and {_describe(items[present[0]])} are both held; "
                f"the template allows one of group {group!r}",
                [*own, IndexStep(items, index)],
            )


def _describe(element: Any) -> str:
    if element.id_short is None:
        return f"{type(element).__name__} (a list item)"
    return f"{type(element).__name__} {element.id_short!r}"


def _compare(found: _Found, element: Any, shape: Shape, steps: list[Step], by_key: bool) -> None:
    kind = type(element).__name__
    if kind != shape.kind:
        found.add("template:kind", f"{_describe(element)} is a {shape.kind} in the template", steps)
        return
    if shape.is_arbitrary:
        return  # a placeholder for any element of its class, whatever it holds
    if not by_key and shape.key:
        key = semantic_key(element)
        if key != shape.key:
            where = [*steps, PropertyStep(element, "semantic_id")] if key else steps
            found.add(
                _semantic_rule(key, shape.key),
                f"{_describe(element)} has semanticId {_show(key)}; "
                f"the template's is {_show(shape.key)}",
                where,
            )
    if shape.value_type is not None and _enum_value(element.value_type) != shape.value_type:
        _value_type(found, element, shape.element, "value_type", steps)
    check = _VALUE_CHECKS.get(kind)
    if check is not None:
        check(found, element, shape, steps)
    if kind == "SubmodelElementList":
        _list(found, element, shape, steps)
    else:
        holder = _HOLDERS.get(kind)
        if holder is not None:
            _children(found, element, holder, shape, steps)


def _value_type(
    found: _Found, element: Any, template: Any, attribute: str, steps: list[Step]
) -> None:
    have, want = getattr(element, attribute, None), getattr(template, attribute, None)
    if want is not None and _enum_value(have) != want.value:
        shown = have.value if have is not None else "none"
        found.add(
            "template:value-type",
            f"{_describe(element)} has {_json_name(attribute)} {shown}; "
            f"the template's is {want.value}",
            [*steps, PropertyStep(element, attribute)] if have is not None else steps,
        )


def _json_name(attribute: str) -> str:
    head, *rest = attribute.split("_")
    return head + "".join(part.title() for part in rest)


def _list(found: _Found, element: Any, shape: Shape, steps: list[Step]) -> None:
    template = shape.element
    have, want = element.type_value_list_element, template.type_value_list_element
    if have.value != want.value:
        found.add(
            "template:kind",
            f"{_describe(element)} holds {have.value} items; the template's holds {want.value}",
            [*steps, PropertyStep(element, "type_value_list_element")],
        )
        return
    _value_type(found, element, template, "value_type_list_element", steps)
    key = semantic_key(element, "semantic_id_list_element")
    wanted = semantic_key(template, "semantic_id_list_element")
    if wanted and key != wanted:
        where = [*steps, PropertyStep(element, "semantic_id_list_element")] if key else steps
        found.add(
            _semantic_rule(key, wanted),
            f"{_describe(element)} has semanticIdListElement {_show(key)}; "
            f"the template's is {_show(wanted)}",
            where,
        )
    _children(found, element, "value", shape, steps)


# Values: SMT/AllowedValue, SMT/AllowedRange, SMT/RequiredLang.


def _allowed(value: str, expression: str) -> bool:
    alternatives = {part.strip() for part in re.split(r"[;|]", expression)}
    if value.strip() in alternatives:
        return True
    try:
        return re.fullmatch(expression, value) is not None
    except re.error:
        return False


_RANGE = re.compile(r"\s*([\[(])\s*([^,]*?)\s*,\s*([^,]*?)\s*([\])])\s*")
_OPEN_LOW = ("", "*", "-inf", "-INF")
_OPEN_HIGH = ("", "*", "inf", "INF", "+inf")


def _in_range(value: str, expression: str) -> bool | None:
    """Whether ``value`` lies in one of the intervals (``[0,100]``, ``(0, 1]``; several
    separated by ``|``); None when either cannot be read as numbers."""
    try:
        number = Decimal(value.strip())
    except InvalidOperation:
        return None
    readable = False
    for part in expression.split("|"):
        match = _RANGE.fullmatch(part)
        if match is None:
            continue
        opening, low, high, closing = match.groups()
        try:
            least = Decimal(low) if low not in _OPEN_LOW else None
            most = Decimal(high) if high not in _OPEN_HIGH else None
        except InvalidOperation:
            continue
        readable = True
        above = least is None or (number >= least if opening == "[" else number > least)
        below = most is None or (number <= most if closing == "]" else number < most)
        if above and below:
            return True
    return False if readable else None


def _property_values(found: _Found, element: Any, shape: Shape, steps: list[Step]) -> None:
    value = element.value
    if value is None:
        return
    where = [*steps, PropertyStep(element, "value")]
    for expression in shape.allowed_values:
        if not _allowed(value, expression):
            found.add(
                "template:allowed-value",
                f"{_describe(element)} has value {value!r}; the template allows {expression!r}",
                where,
            )
    for expression in shape.allowed_ranges:
        if _in_range(value, expression) is False:
            found.add(
                "template:allowed-value",
                f"{_describe(element)} has value {value!r}, outside {expression!r}",
                where,
            )


def _range_values(found: _Found, element: Any, shape: Shape, steps: list[Step]) -> None:
    for attribute in ("min", "max"):
        value = getattr(element, attribute)
        if value is None:
            continue
        for expression in shape.allowed_ranges:
            if _in_range(value, expression) is False:
                found.add(
                    "template:allowed-value",
                    f"{_describe(element)} has {attribute} {value!r}, outside {expression!r}",
                    [*steps, PropertyStep(element, attribute)],
                )


def _languages(found: _Found, element: Any, shape: Shape, steps: list[Step]) -> None:
    texts = element.value or []
    if not texts or not shape.required_langs:
        return  # no value at all: nothing says which languages it lacks
    held = {text.language.lower() for text in texts}
    primary = {language.split("-")[0] for language in held}
    for expression in shape.required_langs:
        for language in re.split(r"[\s,;|]+", expression.strip()):
            wanted = language.lower()
            # "en" is met by "en-US"; "en-US" only by itself.
            if wanted and wanted not in held and ("-" in wanted or wanted not in primary):
                found.add(
                    "template:required-lang",
                    f"{_describe(element)} has no text in {language!r} (the template requires it)",
                    [*steps, PropertyStep(element, "value")],
                )


_VALUE_CHECKS: dict[str, Callable[[_Found, Any, Shape, list[Step]], None]] = {
    "Property": _property_values,
    "Range": _range_values,
    "MultiLanguageProperty": _languages,
}
