"""A semantic diff of two models: what ``aas diff A B`` and :func:`aas.diff` report.

Both models are read through the one read pipeline (:func:`aas.load`), in any format; an AASX
package and its JSON export are the same model. Models of two metamodel versions are compared
in the newer one: the older is carried there first as ``aas convert --to-version`` carries it
(:mod:`aas.version_change`), so a V3.0 model and its V3.1 upgrade are equal.

The walk is generic over the metamodel description (:mod:`aas.metamodel.description`): every
attribute of every class is compared, in the order the serialisations write them. How the items
of a list are matched depends only on the class the list holds:

- identifiables (shells, submodels, concept descriptions) by ``id``;
- referables (submodel elements of a submodel, a collection, an entity, an annotated
  relationship) by ``idShort``, except the items of a SubmodelElementList, which have none;
- language strings by language, qualifiers by type, extensions by name;
- everything else (the items of a SubmodelElementList, keys, embedded data specifications,
  ...) by position; when the two lists differ in length, aligned on the items equal as
  written, so that one item inserted or removed is one change, not one at every later place.

An element renamed and otherwise unchanged is one change of its idShort (an identifiable whose
id alone changed, of its id), at the place it had.

Values are compared as written (``100`` and ``1.0E2`` differ); with ``numeric`` the values
typed by a numeric ``valueType`` (``value``, ``min``, ``max``) are compared by value. A list
that holds the same items in another order is one ``reordered`` change on the list. An absent
list and an empty one are the same (RDF cannot write an empty list). Where both models come
from AASX packages, their files (supplementary files, thumbnail) are compared by part name and
content; the package's core properties (dates, creator) are not.
"""

from __future__ import annotations

import base64
import difflib
import enum
import hashlib
import io
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import TYPE_CHECKING, Any, Literal

import orjson

from aas.api import load
from aas.errors import ReadError, VersionChangeError
from aas.metamodel.description import MetaClass, Property, describe
from aas.metamodel.names import camel, serialized_name
from aas.model import Json, Model, PackagePart
from aas.version_change import change_version
from aas.versions import Version, VersionLike, as_version, binding

if TYPE_CHECKING:
    from aas.pipeline import Source

__all__ = ["Change", "ChangeKind", "comparable", "diff"]

ChangeKind = Literal["added", "removed", "changed", "reordered"]


@dataclass(frozen=True)
class Change:
    """One difference between two models.

    ``path`` names the place: the identifiable by class and id, then the idShort path below
    it in the form of Part 2 (``a.b[2].c``, list items by index), then the attribute by its
    JSON name: ``Submodel[id=urn:x].Nameplate.Markings[2].value``. Language strings are named
    by their language (``description[en]``), qualifiers by type (``qualifiers[type=x]``),
    extensions by name (``extensions[name=x]``), package files as ``package:/aasx/f.pdf``.

    ``old`` and ``new`` are as written: a value's lexical form (bytes in base64, an enumeration
    by its literal), an element or other object as its JSON serialisation; None where the
    model has nothing (``added``: no ``old``; ``removed``: no ``new``). For ``reordered``, the
    list's items in each model, by key (idShort, id, ...), or for a list matched by position
    ``new`` gives, for each position, the position the item had in the first model.
    """

    kind: ChangeKind
    path: str
    old: Json = None
    new: Json = None

    def to_dict(self) -> dict[str, Json]:
        return {"kind": self.kind, "path": self.path, "old": self.old, "new": self.new}

    def __str__(self) -> str:
        if self.kind == "added":
            return f"added {self.path}: {_shown(self.new)}"
        if self.kind == "removed":
            return f"removed {self.path}: {_shown(self.old)}"
        return f"{self.kind} {self.path}: {_shown(self.old)} -> {_shown(self.new)}"


#: Longest value a text line shows whole (the JSON output always holds it whole).
_SHOWN = 160


def _shown(value: Json) -> str:
    text = orjson.dumps(value).decode()
    if len(text) <= _SHOWN:
        return text
    return f"{text[: _SHOWN - 1]}… ({len(text)} characters)"


def diff(
    a: Model | Source, b: Model | Source, *, numeric: bool = False, version: VersionLike = None
) -> list[Change]:
    """What differs from ``a`` to ``b`` (models, or paths, bytes or streams read as
    :func:`aas.load` reads them), in the order of the models: ``[]`` when they are equal.

    ``version`` (``"3.0"``, ``"3.1"``) is the one both are compared in (see :func:`read_in`
    and :func:`comparable`); by default the newer of theirs.

    Raises :class:`~aas.errors.ReadError` for an input no model can be read from, and
    :class:`~aas.errors.VersionChangeError` when a model cannot be carried to ``version``, or
    (without it) the models are of two versions and neither can be carried to the other's."""
    first, second = comparable(read_in(a, version), read_in(b, version), version)
    differ = _Differ(first.version, numeric)
    changes = list(differ.root(first.root, second.root))
    if first.package is not None and second.package is not None:
        changes.extend(_files(first.package.all_files(), second.package.all_files()))
    return changes


def read_in(
    source: Model | Source, version: VersionLike = None, format: str | None = None
) -> Model:
    """The model of ``source`` (a Model is taken as it is), read as :func:`aas.load` reads it
    but unchecked (findings do not matter to a comparison). With ``version``, a document that
    does not say its version (JSON) is read in it, and one that says another (XML, AASX, RDF,
    V2 JSON) as it is: :func:`comparable` carries it over."""
    if isinstance(source, Model):
        return source
    wanted = as_version(version)
    if wanted is None:
        return load(source, format=format, verify=False)
    data: Source = source
    if not isinstance(source, str | os.PathLike | bytes):  # a stream: read it once, keep its name
        data = _Named(source.read())
        data.name = getattr(source, "name", None)
    try:
        return load(data, format=format, version=wanted, verify=False)
    except ReadError as error:
        if error.rule != "aas:version-mismatch":
            raise
    if isinstance(data, _Named):
        data.seek(0)
    return load(data, format=format, verify=False)


class _Named(io.BytesIO):
    """A stream's bytes under the stream's name (standard input's ``<stdin>``)."""

    name: str | None = None


def comparable(a: Model, b: Model, version: VersionLike = None) -> tuple[Model, Model]:
    """``a`` and ``b`` in one metamodel version: ``version`` when given, each model of another
    carried there as ``aas convert --to-version`` carries it (VersionChangeError when one
    holds what ``version`` cannot); else the newer of theirs, the older model carried there,
    or (when the older model holds what the newer version cannot) the older."""
    wanted = as_version(version)
    if wanted is not None:
        return change_version(a, wanted)[0], change_version(b, wanted)[0]
    if a.version == b.version:
        return a, b
    a_is_older = _number_of(a.version) < _number_of(b.version)
    older, newer = (a, b) if a_is_older else (b, a)
    try:
        older = change_version(older, newer.version)[0]
    except VersionChangeError as upwards:
        try:
            newer = change_version(newer, older.version)[0]
        except VersionChangeError:
            raise upwards from None
    return (older, newer) if a_is_older else (newer, older)


def _number_of(version: Version) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


#: How the items of a list are matched, by the class the list holds (or one it inherits from):
#: the attribute that names an item. Lists of other classes are matched by position.
_KEYS = (
    ("Identifiable", "id"),
    ("Referable", "id_short"),
    ("AbstractLangString", "language"),
    ("Qualifier", "type"),
    ("Extension", "name"),
)

#: Value types whose values ``numeric`` compares by value: the XSD decimal types (exactly)
#: and the floating point ones (as IEEE doubles).
_DECIMAL_TYPES = frozenset(
    "xs:" + name
    for name in [
        "decimal",
        "integer",
        "long",
        "int",
        "short",
        "byte",
        "nonNegativeInteger",
        "positiveInteger",
        "nonPositiveInteger",
        "negativeInteger",
        "unsignedLong",
        "unsignedInt",
        "unsignedShort",
        "unsignedByte",
    ]
)
_FLOAT_TYPES = frozenset({"xs:double", "xs:float"})
#: The attributes a ``valueType`` types (Property, Range, Qualifier, Extension).
_TYPED = frozenset({"value", "min", "max"})


@dataclass(frozen=True)
class _Plan:
    """How one list attribute of a class is compared."""

    key: str | None  # the attribute that names an item, None: by position
    named_in_path: bool  # whether the path names the attribute (Part 2 leaves it out)


@cache
def _plan(version: Version, owner: str, prop: Property) -> _Plan:
    model = describe(version)
    declared = model.classes[prop.type_name] if prop.type_name else None
    kinds = {declared.name, *model.ancestors(declared)} if declared else set()
    key = next((attribute for name, attribute in _KEYS if name in kinds), None)
    if owner == "SubmodelElementList" and key == "id_short":
        key = None  # its items have no idShort (AASd-120): by position
    # Elements below an element are named by idShort (or index) alone, as Part 2 names them.
    return _Plan(key, "SubmodelElement" not in kinds)


class _Differ:
    def __init__(self, version: Version, numeric: bool) -> None:
        self.version = version
        self.numeric = numeric
        self.model = describe(version)
        self.jsonization = binding(version).jsonization
        self.types = binding(version).types

    def root(self, old: Any, new: Any) -> Iterator[Change]:
        if isinstance(old, self.types.Environment) and isinstance(new, self.types.Environment):
            yield from self.instance(old, new, "")
        elif isinstance(old, self.types.Identifiable) and isinstance(new, self.types.Identifiable):
            # A lone identifiable is matched as one in an Environment's list is: by id.
            yield from self.by_key([old], [new], "id", "")
        else:
            yield from self.instance(old, new, serialized_name(type(new).__name__))

    def jsonable(self, instance: Any) -> Json:
        found: Json = self.jsonization.to_jsonable(instance)
        return found

    def metaclass(self, instance: Any) -> MetaClass:
        # The metamodel's class, also for an instance of a subclass of it made by a caller.
        return next(
            self.model.classes[base.__name__]
            for base in type(instance).__mro__
            if base.__name__ in self.model.classes
        )

    def instance(self, old: Any, new: Any, path: str) -> Iterator[Change]:
        """The changes from ``old`` to ``new``, two instances at ``path``."""
        if type(old) is not type(new):
            yield Change("changed", path, self.jsonable(old), self.jsonable(new))
            return
        cls = self.metaclass(old)
        for prop in cls.properties:
            before, after = getattr(old, prop.name), getattr(new, prop.name)
            if prop.many:
                yield from self.sequence(cls.name, prop, before or [], after or [], path)
                continue
            here = _join(path, prop.json_name)
            if before is None and after is None:
                continue
            if before is None:
                yield Change("added", here, None, self.value(after))
            elif after is None:
                yield Change("removed", here, self.value(before), None)
            elif prop.kind == "class":
                yield from self.instance(before, after, here)
            elif before != after and not self.same_number(old, new, prop, before, after):
                yield Change("changed", here, self.value(before), self.value(after))

    def value(self, value: Any) -> Json:
        if isinstance(value, self.types.Class):
            return self.jsonable(value)
        if isinstance(value, bytes):
            return base64.b64encode(value).decode("ascii")  # as JSON writes a Blob
        if isinstance(value, enum.Enum):
            literal: str = value.value
            return literal
        if isinstance(value, list):
            return [self.value(item) for item in value]
        scalar: Json = value
        return scalar

    def same_number(self, old: Any, new: Any, prop: Property, before: Any, after: Any) -> bool:
        """With ``numeric``: whether two values of a numeric ``valueType`` are one number."""
        if not self.numeric or prop.name not in _TYPED:
            return False
        types = {
            _literal(getattr(old, "value_type", None)),
            _literal(getattr(new, "value_type", None)),
        }
        if len(types) != 1:
            return False
        (value_type,) = types
        if value_type in _DECIMAL_TYPES:
            kind: Callable[[str], Any] = Decimal
        elif value_type in _FLOAT_TYPES:
            kind = _double
        else:
            return False
        first, second = _number(before, kind), _number(after, kind)
        return first is not None and first == second

    def sequence(
        self, owner: str, prop: Property, old: Sequence[Any], new: Sequence[Any], path: str
    ) -> Iterator[Change]:
        if not old and not new:
            return
        if prop.kind != "class":  # a list of values: one change for the whole list
            if list(old) != list(new):
                yield Change(
                    "changed", _join(path, prop.json_name), self.value(old), self.value(new)
                )
            return
        plan = _plan(self.version, owner, prop)
        here = _join(path, prop.json_name) if plan.named_in_path else path
        if plan.key is None:
            yield from self.by_position(old, new, here)
        else:
            yield from self.by_key(old, new, plan.key, here)

    def by_key(
        self, old: Sequence[Any], new: Sequence[Any], key: str, here: str
    ) -> Iterator[Change]:
        """Items matched by ``key``; the n-th of several items with one key (a model that
        breaks a uniqueness rule) is matched with the n-th. An item whose key alone changed
        (a renamed element: equal in everything else to one that is gone) is one change of
        its key, at the place the item had."""
        old_keys, new_keys = _keys(old, key), _keys(new, key)
        old_at = {name: index for index, name in enumerate(old_keys)}
        pairs = {index: old_at[name] for index, name in enumerate(new_keys) if name in old_at}
        renamed = self.renamed(old, new, key, pairs)
        pairs.update(renamed)
        order = [pairs[index] for index in sorted(pairs)]
        if order != sorted(order):
            label = _label_of(key)
            yield Change(
                "reordered",
                here,
                [label(name) for name in old_keys],
                [label(name) for name in new_keys],
            )

        def named(item: Any, name: tuple[Any, int]) -> str:
            return _item_path(key, item, name, here)

        taken = set(pairs.values())
        gone = [index for index in range(len(old)) if index not in taken]
        next_gone = 0
        for index, name in enumerate(new_keys):
            matched = pairs.get(index)
            if matched is None:
                yield Change("added", named(new[index], name), None, self.jsonable(new[index]))
                continue
            while next_gone < len(gone) and gone[next_gone] < matched:
                at = gone[next_gone]
                yield Change("removed", named(old[at], old_keys[at]), self.jsonable(old[at]), None)
                next_gone += 1
            if index in renamed:
                yield Change(
                    "changed",
                    f"{named(old[matched], old_keys[matched])}.{camel(key)}",
                    self.value(getattr(old[matched], key)),
                    self.value(getattr(new[index], key)),
                )
            else:
                yield from self.item(old[matched], new[index], named(new[index], name), key)
        for at in gone[next_gone:]:
            yield Change("removed", named(old[at], old_keys[at]), self.jsonable(old[at]), None)

    def renamed(
        self, old: Sequence[Any], new: Sequence[Any], key: str, pairs: dict[int, int]
    ) -> dict[int, int]:
        """Items of ``new`` left unmatched that are, but for their key, an item of ``old``
        left unmatched (the first such, in order): by position in ``new`` and in ``old``."""
        taken = set(pairs.values())
        gone = [index for index in range(len(old)) if index not in taken]
        fresh = [index for index in range(len(new)) if index not in pairs]
        if not gone or not fresh:
            return {}
        name = camel(key)
        candidates: dict[bytes, list[int]] = {}
        for index in gone:
            candidates.setdefault(self.fingerprint(old[index], name), []).append(index)
        found: dict[int, int] = {}
        for index in fresh:
            same = candidates.get(self.fingerprint(new[index], name))
            if same:
                found[index] = same.pop(0)
        return found

    def item(self, old: Any, new: Any, path: str, key: str) -> Iterator[Change]:
        if key == "language" and type(old) is type(new):
            # A language string is its text, once its language has matched.
            if old.text != new.text:
                yield Change("changed", path, old.text, new.text)
            return
        yield from self.instance(old, new, path)

    def by_position(self, old: Sequence[Any], new: Sequence[Any], here: str) -> Iterator[Change]:
        """Items matched by position; when the lists differ in length, aligned on the items
        that are equal as written, so one item inserted or removed is one change."""
        old_prints = [self.fingerprint(item) for item in old]
        new_prints = [self.fingerprint(item) for item in new]
        if old_prints == new_prints:
            return
        if len(old) == len(new) and sorted(old_prints) == sorted(new_prints):
            yield Change("reordered", here, list(range(len(old))), _moves(old_prints, new_prints))
            return
        if len(old) == len(new):  # as many items: each against the one at its place
            for index, (before, after) in enumerate(zip(old, new, strict=True)):
                if old_prints[index] != new_prints[index]:
                    yield from self.instance(before, after, f"{here}[{index}]")
            return
        # Items inserted or removed: the others are found where they went.
        matcher = difflib.SequenceMatcher(None, old_prints, new_prints, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                continue
            paired = min(i2 - i1, j2 - j1)
            for offset in range(paired):
                yield from self.instance(
                    old[i1 + offset], new[j1 + offset], f"{here}[{j1 + offset}]"
                )
            for at in range(i1 + paired, i2):
                yield Change("removed", f"{here}[{at}]", self.jsonable(old[at]), None)
            for at in range(j1 + paired, j2):
                yield Change("added", f"{here}[{at}]", None, self.jsonable(new[at]))

    def fingerprint(self, instance: Any, leaving: str | None = None) -> bytes:
        """The instance as written, to tell equal ones (``leaving`` out one attribute)."""
        written = self.jsonable(instance)
        if leaving is not None and isinstance(written, dict):
            written = {name: value for name, value in written.items() if name != leaving}
        return orjson.dumps(written, option=orjson.OPT_SORT_KEYS)


def _moves(old: list[bytes], new: list[bytes]) -> list[int]:
    """For each position in ``new``, the position in ``old`` of the item there (equal items
    taken in order)."""
    free: dict[bytes, list[int]] = {}
    for index, item in enumerate(old):
        free.setdefault(item, []).append(index)
    return [free[item].pop(0) for item in new]


def _keys(items: Sequence[Any], key: str) -> list[tuple[Any, int]]:
    seen: dict[Any, int] = {}
    found = []
    for item in items:
        name = getattr(item, key)
        name = _literal(name) if isinstance(name, enum.Enum) else name
        found.append((name, seen.get(name, 0)))
        seen[name] = seen.get(name, 0) + 1
    return found


def _label_of(key: str) -> Callable[[tuple[Any, int]], Json]:
    def label(name: tuple[Any, int]) -> Json:
        text = "" if name[0] is None else str(name[0])
        return text if name[1] == 0 else f"{text}#{name[1] + 1}"

    return label


def _item_path(key: str, item: Any, name: tuple[Any, int], here: str) -> str:
    written = _label_of(key)(name)
    if key == "id":
        return _identified(item, name[1])
    if key == "id_short":
        return _join(here, str(written))
    if key == "language":
        return f"{here}[{written}]"
    return f"{here}[{key}={written}]"


def _identified(item: Any, occurrence: int) -> str:
    suffix = "" if occurrence == 0 else f"#{occurrence + 1}"
    return f"{serialized_name(type(item).__name__)}[id={item.id}]{suffix}"


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def _literal(value: object) -> object:
    return value.value if isinstance(value, enum.Enum) else value


def _double(text: str) -> float:
    # xs:double writes infinity as INF, which Python's float does not read.
    return float({"INF": "inf", "+INF": "inf", "-INF": "-inf"}.get(text, text))


def _number(text: str, kind: Callable[[str], Any]) -> Any:
    """The number ``text`` writes, None when it writes none (nor is NaN compared as one)."""
    try:
        value = kind(text.strip())
    except (ValueError, InvalidOperation):
        return None
    return None if value != value else value  # NaN is no number to compare


def _files(old: list[PackagePart], new: list[PackagePart]) -> Iterator[Change]:
    """The package files (supplementary files, thumbnail) by part name: content and type."""
    before = {part.name: part for part in old}
    after = {part.name: part for part in new}
    for name, part in before.items():
        if name not in after:
            yield Change("removed", f"package:{name}", _file(part), None)
        elif part.data != after[name].data or part.content_type != after[name].content_type:
            yield Change("changed", f"package:{name}", _file(part), _file(after[name]))
    for name, part in after.items():
        if name not in before:
            yield Change("added", f"package:{name}", None, _file(part))


def _file(part: PackagePart) -> Json:
    return {
        "contentType": part.content_type,
        "bytes": len(part.data),
        "sha256": hashlib.sha256(part.data).hexdigest(),
    }
