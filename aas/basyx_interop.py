"""Hand a model to basyx-python-sdk and take one back: ``aas.to_basyx``, ``aas.from_basyx``.

The model crosses through the official JSON serialisation both ways: the project's JSON
writer, then basyx's JSON deserialiser into a ``DictIdentifiableStore``; basyx's JSON
serialiser, then the project's JSON reader. So everything basyx holds comes across.

basyx is stricter than the metamodel in places (it refuses some references and dates the
metamodel allows), leaves some things out (an empty value) and holds values as Python types
(``"000"`` comes back as ``"0"``). ``to_basyx`` therefore writes the store straight back
through basyx's serialiser and compares that, value by value, with what it handed over: every
difference is a finding located by JSON pointer (of the model's JSON serialisation), so
nothing is lost in silence. Which object basyx refused, and why, is known exactly: json calls
the decoder's object hook once per JSON object, in the order the objects close, so the n-th
call is the n-th object of a post-order walk of the tree handed over.

basyx stays optional (``pip install 'aas-toolkit[basyx]'``): this module imports it only
inside the functions that need it, and ``import aas`` does not import this module.
"""

from __future__ import annotations

import difflib
import io
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import orjson

from aas.api import dump, load
from aas.errors import UsageError
from aas.findings import Finding, Location, escape_pointer_token, pointer
from aas.model import Model, Package, PackagePart
from aas.version_change import change_version
from aas.versions import Version, binding

if TYPE_CHECKING:
    from basyx.aas import model as basyx_model
    from basyx.aas.adapter.aasx import (
        AbstractSupplementaryFileContainer,
        DictSupplementaryFileContainer,
    )

__all__ = ["BasyxStore", "from_basyx", "to_basyx"]

#: The lists of an Environment in its JSON serialisation, by the class of their items.
_LISTS = (
    ("assetAdministrationShells", "AssetAdministrationShell"),
    ("submodels", "Submodel"),
    ("conceptDescriptions", "ConceptDescription"),
)
_LIST_OF = {class_name: key for key, class_name in _LISTS}

#: Defaults of the metamodel (IDTA-01001: Qualifier/kind, HasKind/kind,
#: SubmodelElementList/orderRelevant) that basyx writes out
#: or leaves out: the same model, told otherwise. (owner class, property) -> default.
_DEFAULTS: dict[tuple[str, str], object] = {
    ("Qualifier", "kind"): "ConceptQualifier",
    ("Submodel", "kind"): "Instance",
    ("SubmodelElementList", "orderRelevant"): True,
}

_SHOWN = 80  # characters of a value a message shows
_CLASS = re.compile(r"<class '(?:[\w.]+\.)?(\w+)'>")

Tokens = list[str | int]


@dataclass
class BasyxStore:
    """What :func:`to_basyx` gives: basyx's store of the model's identifiables, the package's
    files in basyx's container (empty for a model read from JSON or XML), and what basyx does
    not hold as the model has it (``findings``)."""

    store: basyx_model.DictIdentifiableStore[basyx_model.Identifiable]
    files: DictSupplementaryFileContainer
    findings: list[Finding] = field(default_factory=list)


def _require_basyx() -> None:
    try:
        import basyx.aas.adapter.json  # noqa: F401
    except ImportError:
        raise UsageError(
            "basyx interop needs basyx-python-sdk: pip install 'aas-toolkit[basyx]'"
        ) from None


def to_basyx(model: Model) -> BasyxStore:
    """The model as basyx-python-sdk holds it (V3.1: a V3.0 model is upgraded first, and
    that is reported), with findings for everything basyx does not hold as the model has it.

    Raises :class:`~aas.errors.UsageError` without the ``basyx`` extra, and
    :class:`~aas.errors.VersionChangeError` for a V3.0 model V3.1 cannot hold.
    """
    _require_basyx()
    from basyx.aas import model as basyx_model
    from basyx.aas.adapter.aasx import DictSupplementaryFileContainer
    from basyx.aas.adapter.json import read_aas_json_file_into

    findings: list[Finding] = []
    if model.version is not Version.V3_1:
        model, changed = change_version(model, Version.V3_1)
        findings.append(
            Finding.of(
                "basyx:upgraded",
                "the V3.0 model was upgraded to V3.1, the version basyx holds",
                Location(file=model.source),
            )
        )
        findings.extend(changed)
    handed = _environment_tree(model)
    refused: dict[str, str] = {}
    store: basyx_model.DictIdentifiableStore[basyx_model.Identifiable] = (
        basyx_model.DictIdentifiableStore()
    )
    decoder = _decoder(list(_post_order(handed, "")), refused)
    read_aas_json_file_into(store, io.BytesIO(orjson.dumps(handed)), decoder=decoder)

    held, unwritable = _written(store)
    findings.extend(_differences_found(handed, held, refused, unwritable, model.source))
    files = DictSupplementaryFileContainer()  # type: ignore[no-untyped-call]  # basyx's own
    findings.extend(_files_into(model.package, files, model.source))
    return BasyxStore(store, files, findings)


def from_basyx(
    store: Iterable[basyx_model.Identifiable],
    *,
    files: AbstractSupplementaryFileContainer | None = None,
) -> Model:
    """A V3.1 model of what a basyx store (any iterable of basyx identifiables) holds, read
    with the project's JSON reader from basyx's JSON serialisation; ``model.findings`` holds
    the metamodel's constraints the model breaks and what basyx could not write
    (``basyx:not-written``). With ``files`` (basyx's supplementary file container) the model
    gets a package holding them, as an AASX would (the one a shell names as its default
    thumbnail as the thumbnail).

    Raises :class:`~aas.errors.UsageError` without the ``basyx`` extra, and
    :class:`~aas.errors.ReadError` when basyx's JSON is no model the project can read.
    """
    _require_basyx()
    tree, unwritable = _written(store)
    model = load(orjson.dumps(tree), format="json", version=Version.V3_1)
    model.findings.extend(
        Finding.of("basyx:not-written", _not_written(class_name, identifier, reason), Location())
        for class_name, identifier, reason in unwritable.values()
    )
    if files is not None:
        model.package = _package(files, _thumbnails(model))
    return model


# region the way there


def _environment_tree(model: Model) -> dict[str, Any]:
    """The model's JSON serialisation, as the project writes it, as an Environment. (What
    the writer says JSON cannot carry, a package's files, goes to basyx's file container.)"""
    written = orjson.loads(dump(model, "json").data)
    if model.is_environment:
        return dict(written)
    key = _LIST_OF.get(model.class_name)
    if key is None:
        raise UsageError(
            f"basyx's store holds identifiables; the model is a {model.class_name}"
            " (hand over an Environment, a shell, a submodel or a concept description)"
        )
    return {key: [written]}


def _post_order(node: Any, place: str) -> Iterator[str]:
    """The JSON pointer of every object in ``node``, in the order its closing brace comes."""
    if isinstance(node, dict):
        for key, value in node.items():
            if isinstance(value, dict | list):
                yield from _post_order(value, f"{place}/{escape_pointer_token(key)}")
        yield place
    elif isinstance(node, list):
        for index, item in enumerate(node):
            if isinstance(item, dict | list):
                yield from _post_order(item, f"{place}/{index}")


def _decoder(places: list[str], refused: dict[str, str]) -> type[Any]:
    """basyx's lenient decoder, which also records (rather than raises) every object basyx
    refuses to build, by its place: basyx's own lenient mode lets some errors (ValueError,
    NotImplementedError) escape and fail the whole document."""
    from basyx.aas.adapter.json import AASFromJsonDecoder

    calls = iter(places)

    class Decoder(AASFromJsonDecoder):
        @classmethod
        def object_hook(cls, dct: dict[str, object]) -> object:
            place = next(calls, "")
            parsers = cls._get_aas_class_parsers()
            model_type = dct.get("modelType")
            if not isinstance(model_type, str) or model_type not in parsers:
                return super().object_hook(dct)
            try:
                return parsers[model_type](dct)
            except Exception as error:  # basyx's own checks, whatever they raise
                refused[place] = _reason(error)
                return dct  # as basyx's lenient mode does: the object is left out

    return Decoder


def _reason(error: BaseException) -> str:
    text = str(error).splitlines()[0] if str(error) else type(error).__name__
    text = _CLASS.sub(r"\1", text)  # "<class 'basyx.aas.model.base.ModelReference'>"
    return text if len(text) <= 2 * _SHOWN else text[: 2 * _SHOWN] + "..."


# region the way back


def _written(
    store: Iterable[basyx_model.Identifiable],
) -> tuple[dict[str, Any], dict[str, tuple[str, str, str]]]:
    """basyx's JSON serialisation of the store, one identifiable at a time (its serialiser
    fails on some objects it holds; the others still come across), and those it failed on:
    id -> (class, id, reason)."""
    from basyx.aas import model as basyx_model
    from basyx.aas.adapter.json import AASToJsonEncoder
    from basyx.aas.model.concept import ConceptDescription

    classes = (
        ("assetAdministrationShells", basyx_model.AssetAdministrationShell),
        ("submodels", basyx_model.Submodel),
        ("conceptDescriptions", ConceptDescription),
    )
    tree: dict[str, list[Any]] = {}
    failed: dict[str, tuple[str, str, str]] = {}
    for identifiable in store:
        key = next((key for key, kind in classes if isinstance(identifiable, kind)), None)
        name = type(identifiable).__name__
        if key is None:
            failed[identifiable.id] = (name, identifiable.id, "no Environment holds it")
            continue
        try:
            written = json.loads(json.dumps(identifiable, cls=AASToJsonEncoder))
        except Exception as error:  # basyx's serialiser, whatever it raises
            failed[identifiable.id] = (name, identifiable.id, _reason(error))
            continue
        tree.setdefault(key, []).append(_without_nulls(written))
    return tree, failed


def _without_nulls(node: Any) -> Any:
    """basyx writes ``null`` for some properties it does not have (a value reference pair's
    valueId); in the serialisation null is no value, so absent is what it says."""
    if isinstance(node, dict):
        return {key: _without_nulls(value) for key, value in node.items() if value is not None}
    if isinstance(node, list):
        return [_without_nulls(item) for item in node]
    return node


def _not_written(class_name: str, identifier: str, reason: str) -> str:
    return (
        f"basyx holds the {class_name} {identifier!r} but its JSON serialiser fails on it"
        f" ({reason}); it cannot be taken back from basyx"
    )


# region what changed on the way


@dataclass(frozen=True)
class _Difference:
    tokens: Tokens
    kind: str  # "dropped", "added", "changed" or "moved" (before and after: the positions)
    before: Any
    after: Any
    owner: str | None  # the class of the object that has (or gets) the property
    hint: str = ""  # why basyx left it out, where that is known


def _differences_found(
    handed: dict[str, Any],
    held: dict[str, Any],
    refused: dict[str, str],
    unwritable: dict[str, tuple[str, str, str]],
    source: str | None,
) -> list[Finding]:
    """Each place where what basyx writes back differs from what it was handed, once: a
    refused object at its place (with basyx's reason), an identifiable basyx cannot write,
    then every other difference not inside either."""
    findings = [
        Finding.of(
            "basyx:not-held",
            f"basyx refuses this {_class_at(handed, place)} ({reason}); the store lacks it",
            Location(file=source, pointer=place),
        )
        for place, reason in refused.items()
    ]
    explained = set(refused)
    findings.extend(_ids_held_twice(handed, explained, source))
    for key, items in handed.items():
        for index, item in enumerate(items if isinstance(items, list) else ()):
            failure = unwritable.get(str(item.get("id"))) if isinstance(item, dict) else None
            if failure is not None:
                place = pointer([key, index])
                explained.add(place)
                findings.append(
                    Finding.of(
                        "basyx:not-written",
                        _not_written(*failure),
                        Location(file=source, pointer=place),
                    )
                )
    for difference in _differences(handed, held, [], None):
        place = pointer(difference.tokens)
        if any(place == done or place.startswith(done + "/") for done in explained):
            continue
        rule, message = _judged(difference)
        findings.append(Finding.of(rule, message, Location(file=source, pointer=place)))
    return findings


def _ids_held_twice(
    handed: dict[str, Any], explained: set[str], source: str | None
) -> Iterator[Finding]:
    """An identifiable with the id of one before it (in the order basyx reads them): basyx's
    store holds one identifiable per id and keeps the first."""
    first: dict[str, str] = {}
    for key, _ in _LISTS:
        items = handed.get(key)
        for index, item in enumerate(items if isinstance(items, list) else ()):
            identifier = item.get("id") if isinstance(item, dict) else None
            if not isinstance(identifier, str):
                continue
            place = pointer([key, index])
            if identifier not in first:
                first[identifier] = place
                continue
            explained.add(place)
            yield Finding.of(
                "basyx:not-held",
                f"basyx's store holds one identifiable per id: this {item.get('modelType')} has"
                f" the id of {first[identifier]}, which basyx keeps",
                Location(file=source, pointer=place),
            )


def _class_at(tree: dict[str, Any], place: str) -> str:
    node: Any = tree
    for token in place.split("/")[1:]:
        token = token.replace("~1", "/").replace("~0", "~")
        node = node[int(token)] if isinstance(node, list) else node[token]
    return str(node.get("modelType", "object")) if isinstance(node, dict) else "object"


def _judged(difference: _Difference) -> tuple[str, str]:
    name = difference.tokens[-1] if difference.tokens else "model"
    default = _DEFAULTS.get((difference.owner or "", str(name)))
    if default is not None and default in (difference.before, difference.after):
        told = "writes out" if difference.kind == "added" else "leaves out"
        return "basyx:default", f"basyx {told} {name} at its default, {default}"
    if difference.kind == "moved":
        return "basyx:changed", (
            f"basyx keeps this list as a set, without its order: the item comes back at"
            f" position {difference.after}, not {difference.before}"
        )
    if difference.kind == "dropped":
        hint = f" ({difference.hint})" if difference.hint else ""
        return "basyx:not-held", f"basyx does not hold {name}{hint}: {_shown(difference.before)}"
    if difference.kind == "added":
        return "basyx:changed", f"basyx adds {name}: {_shown(difference.after)}"
    before, after = _shown(difference.before), _shown(difference.after)
    return "basyx:changed", f"basyx holds {before} as {after}"


def _shown(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= _SHOWN else text[:_SHOWN] + "..."


def _owner(node: dict[str, Any], parent: str | None) -> str | None:
    model_type = node.get("modelType")
    return model_type if isinstance(model_type, str) else parent


def _differences(a: Any, b: Any, tokens: Tokens, owner: str | None) -> Iterator[_Difference]:
    """Where ``b`` differs from ``a``: properties by name, list items aligned by identity
    (an identifiable's id, a referable's idShort, else the whole item), so that one item
    left out is one difference, not a shift of all that follow."""
    if a == b:
        return  # most of a model comes back as it went (and == is fast)
    if isinstance(a, dict) and isinstance(b, dict):
        here = _owner(a, owner)
        for key, value in a.items():
            if key not in b and isinstance(value, list):
                # basyx leaves out a list it holds nothing of: each item is told apart (one
                # it refused has a reason of its own)
                yield from _differences(value, [], [*tokens, key], here)
            elif key not in b:
                yield _Difference([*tokens, key], "dropped", value, None, here)
            else:
                yield from _differences(value, b[key], [*tokens, key], _child_owner(key, here))
        for key, value in b.items():
            if key not in a:
                yield _Difference([*tokens, key], "added", None, value, here)
    elif isinstance(a, list) and isinstance(b, list):
        owner = _child_owner(str(tokens[-1]), owner) if tokens else owner
        yield from _list_differences(a, b, tokens, owner)
    elif a != b:
        yield _Difference(tokens, "changed", a, b, owner)


def _list_differences(
    a: list[Any], b: list[Any], tokens: Tokens, owner: str | None
) -> Iterator[_Difference]:
    """The items of two lists aligned by identity (an identifiable's id, a referable's
    idShort, a text's language, else the whole item); an item that comes back elsewhere in
    the list (basyx keeps a shell's submodel references as a set) is one move."""
    ids_a, ids_b = _identities(a), _identities(b)
    matcher = difflib.SequenceMatcher(None, ids_a, ids_b, autojunk=False)
    dropped: list[int] = []
    added: list[int] = []
    for _, i1, i2, j1, j2 in matcher.get_opcodes():
        common = min(i2 - i1, j2 - j1)
        for offset in range(common):
            yield from _differences(a[i1 + offset], b[j1 + offset], [*tokens, i1 + offset], owner)
        dropped.extend(range(i1 + common, i2))
        added.extend(range(j1 + common, j2))
    for i in dropped:
        j = next((j for j in added if ids_b[j] == ids_a[i]), None)
        if j is None:
            yield _Difference([*tokens, i], "dropped", a[i], None, owner, _why_dropped(a, i))
            continue
        added.remove(j)
        yield _Difference([*tokens, i], "moved", i, j, owner)
        yield from _differences(a[i], b[j], [*tokens, i], owner)
    for j in added:
        yield _Difference([*tokens, j], "added", None, b[j], owner)


def _why_dropped(items: list[Any], index: int) -> str:
    # basyx holds a language string set as a mapping: one text per language, the last
    item = items[index]
    language = item.get("language") if isinstance(item, dict) else None
    if language is None or "text" not in item:
        return ""
    others = [other for other in items if isinstance(other, dict) and other is not item]
    if any(other.get("language") == language for other in others):
        return f"basyx holds one text per language, and {language!r} comes twice"
    return ""


def _child_owner(key: str, owner: str | None) -> str | None:
    # Qualifiers have no modelType in JSON; their list names them.
    return "Qualifier" if key == "qualifiers" else owner


def _identities(items: list[Any]) -> list[object]:
    found: list[object] = []
    for item in items:
        if isinstance(item, dict) and isinstance(item.get("id"), str):
            found.append(("id", item["id"]))
        elif isinstance(item, dict) and isinstance(item.get("idShort"), str):
            found.append(("idShort", item.get("modelType"), item["idShort"]))
        elif isinstance(item, dict) and isinstance(item.get("language"), str) and "text" in item:
            found.append(("language", item["language"]))  # one text per language
        else:
            found.append(orjson.dumps(item, option=orjson.OPT_SORT_KEYS))
    return found


# region files


def _files_into(
    package: Package | None, files: DictSupplementaryFileContainer, source: str | None
) -> list[Finding]:
    """The package's files (its thumbnail among them, as basyx keeps it) into basyx's
    container; what the container has no place for is a finding."""
    if package is None:
        return []
    parts = list(package.supplementary.values())
    if package.thumbnail is not None:
        parts.append(package.thumbnail)
    for part in parts:
        files.add_file(part.name, io.BytesIO(part.data), part.content_type)
    left = list(package.other_parts.values())
    if package.core_properties is not None:
        left.append(package.core_properties)
    return [
        Finding.of(
            "basyx:not-held",
            f"basyx's file container holds the model's files only, not the part {part.name}",
            Location(file=source),
        )
        for part in left
    ]


def _thumbnails(model: Model) -> set[str]:
    """The paths the model's shells name as their default thumbnail."""
    environment = model.root
    if not isinstance(environment, binding(model.version).types.Environment):
        return set()
    return {
        thumbnail.path
        for shell in environment.asset_administration_shells or ()
        if (thumbnail := shell.asset_information.default_thumbnail) is not None
    }


def _package(files: AbstractSupplementaryFileContainer, thumbnails: set[str]) -> Package:
    package = Package()
    for name in files:
        buffer = io.BytesIO()
        files.write_file(name, buffer)
        part = PackagePart(name, files.get_content_type(name), buffer.getvalue())
        if name in thumbnails and package.thumbnail is None:
            package.thumbnail = part
        else:
            package.supplementary[name] = part
    return package
