"""``aas diff`` and ``aas.diff``: the same model in several formats is equal, one mutation is
one change at its path, and the command line says so with its exit codes.

- Every model of the corpus present in several formats (examples-3.1 JSON, XML and Turtle;
  testgen-3.0 Json, Xml and Rdf; the IDTA templates' AASX against their JSON) gives no
  change between any two of its forms; the IDTA pairs that differ differ in the published
  files themselves, and each change's values are found in the files as written.
- 200 single mutations of the IDTA templates (a value, an idShort, an element removed or
  added, a list reordered) give exactly one change each, of the right kind at the right path.
- Hypothesis sets values drawn from the templates (IRDIs, ids with spaces, non-ASCII text):
  a model against itself is equal, and the mutation is found.
"""

from __future__ import annotations

import base64
import json
import random
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape as xml_escape

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_real_values import real_values

import aas
from aas import Change
from aas.metamodel.jsonbuild import from_jsonable
from aas.versions import Version, binding

from conftest import EXAMPLES, assert_clean_failure, corpus, run_cli

# region the same model in several formats


def _twins(*folders: tuple[tuple[str, ...], str]) -> list[list[Path]]:
    """The files of each folder (with their suffix) that share a relative path, compared
    without regard to case (the corpus spells class folders differently per format)."""
    found = []
    for parts, suffix in folders:
        base = corpus(*parts)
        found.append(
            {
                str(path.relative_to(base).with_suffix("")).lower(): path
                for path in base.rglob(f"*.{suffix}")
            }
        )
    shared = sorted(set(found[0]).intersection(*found[1:]))
    return [[files[key] for files in found] for key in shared]


FORMATS = {
    "examples-3.1": (
        (("examples-3.1", "json"), "json"),
        (("examples-3.1", "xml"), "xml"),
        (("examples-3.1", "rdf"), "ttl"),
    ),
    "testgen-3.0": (
        (("testgen-3.0", "Json", "ContainedInEnvironment", "Expected"), "json"),
        (("testgen-3.0", "Xml", "ContainedInEnvironment", "Expected"), "xml"),
        (("testgen-3.0", "Rdf", "ContainedInEnvironment", "Expected"), "ttl"),
    ),
}


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_every_corpus_model_is_equal_in_every_format(name: str) -> None:
    triples = _twins(*FORMATS[name])
    assert len(triples) > 2500
    differing: list[str] = []
    pairs = 0
    for paths in triples:
        models = [aas.load(path, verify=False) for path in paths]
        for first in range(len(models)):
            for second in range(first + 1, len(models)):
                pairs += 1
                changes = aas.diff(models[first], models[second])
                if changes:
                    differing.append(f"{paths[first]} / {paths[second]}: {changes[0]}")
    print(f"{name}: {pairs} pairs, {len(differing)} differ")
    assert differing == []


#: The published AASX templates whose JSON twin differs from them: the two files were made
#: apart, and the JSON holds typos put right ("ZerotToOne"), a space dropped from an id, or
#: no default thumbnail. ``test_idta_aasx_changes_are_in_the_files_as_written`` checks that
#: each change is what the files hold.
IDTA_DIFFERING = {
    "IDTA 02032-1-0_Template Inspection Documents of Steel Products.aasx": 1,
    "IDTA_02018_Template_MaintenanceInstructions.aasx": 15,
    "IDTA 02067_Template_ProductionCalendar.aasx": 1,
    "IDTA 02005_Template_ProvisionOfSimulationModel.aasx": 1,
    "IDTA 02047-1-0 Template_TechnicalDataForAGV.aasx": 2,
    "IDTA 02003_Template_TechnicalData.aasx": 1,
}


def _idta_pairs() -> list[tuple[Path, Path]]:
    published = corpus("idta-templates", "published")
    return [
        (package, package.with_suffix(".json"))
        for package in sorted(published.rglob("*.aasx"))
        if package.with_suffix(".json").exists()
    ]


@cache
def _idta_changes() -> dict[Path, list[Change]]:
    return {package: aas.diff(package, twin) for package, twin in _idta_pairs()}


def test_idta_templates_aasx_against_their_json() -> None:
    found = _idta_changes()
    assert len(found) == 102
    differing = {package.name: len(changes) for package, changes in found.items() if changes}
    assert differing == IDTA_DIFFERING


def _package_text(package: Path) -> str:
    with zipfile.ZipFile(package) as archive:
        return "".join(
            archive.read(member).decode("utf-8", "replace")
            for member in archive.namelist()
            if member.endswith((".xml", ".json")) and not member.startswith("[")
        )


def _holds(text: str, value: str) -> bool:
    """Whether ``text`` (XML or JSON) holds ``value`` as a whole text or string."""
    return f">{xml_escape(value)}<" in text or json.dumps(value, ensure_ascii=False) in text


def test_idta_aasx_changes_are_in_the_files_as_written() -> None:
    """What differs is in the files: a changed value's old text in the package, its new text
    in the JSON; a removed thumbnail absent from the JSON; an element's idShort where it is."""
    checked = 0
    for package, changes in _idta_changes().items():
        if not changes:
            continue
        packaged = _package_text(package)
        exported = package.with_suffix(".json").read_text(encoding="utf-8")
        for change in changes:
            if change.kind == "changed":
                assert isinstance(change.old, str) and isinstance(change.new, str)
                assert _holds(packaged, change.old) and _holds(exported, change.new), change
            elif change.path.endswith(".defaultThumbnail"):
                assert change.kind == "removed" and '"defaultThumbnail"' not in exported
                assert "defaultThumbnail" in packaged
            else:
                written = change.old if change.kind == "removed" else change.new
                assert isinstance(written, dict)
                id_short = written["idShort"]
                assert isinstance(id_short, str)
                holder, other = (packaged, exported)
                if change.kind == "added":
                    holder, other = other, holder
                assert _holds(holder, id_short) and not _holds(other, id_short), change
            checked += 1
    assert checked == sum(IDTA_DIFFERING.values())


def test_a_v30_model_equals_its_v31_upgrade() -> None:
    """A V3.0 model against its V3.1 upgrade (written and read again): compared in V3.1, the
    V3.0 model carried there first, every such pair of the corpus is equal."""
    folder = corpus("testgen-3.0", "Xml", "ContainedInEnvironment", "Expected")
    paths = sorted(folder.rglob("*.xml"))
    assert len(paths) > 2500
    differing = []
    for path in paths:
        old = aas.load(path, verify=False)
        upgraded = aas.load(aas.dump(_carried(old), "xml").data, verify=False)
        assert (old.version, upgraded.version) == (Version.V3_0, Version.V3_1)
        if aas.diff(old, upgraded) or aas.diff(upgraded, old):
            differing.append(path)
    assert differing == []


def _carried(model: aas.Model) -> aas.Model:
    from aas.version_change import change_version

    return change_version(model, Version.V3_1)[0]


# region single mutations


@cache
def _templates() -> tuple[aas.Model, ...]:
    """The JSON templates whose identifiables and idShorts are unique (so every place has one
    path): real models of every size, V3.0 and V3.1."""
    found = []
    for path in sorted(corpus("idta-templates", "published").rglob("*.json")):
        try:
            model = aas.load(path, verify=False)
        except aas.ReadError:
            continue  # a form file of the Package Explorer, no model
        if model.is_environment and _unique(model):
            found.append(model)
    return tuple(found)


def _unique(model: aas.Model) -> bool:
    environment: Any = model.root
    for identifiables in (
        environment.asset_administration_shells,
        environment.submodels,
        environment.concept_descriptions,
    ):
        ids = [item.id for item in identifiables or ()]
        if len(ids) != len(set(ids)):
            return False
    return all(
        len(names) == len(set(names))
        for site in _sites(model.root)
        if (names := [item.id_short for item in site.siblings]) and site.keyed
    )


@dataclass
class Site:
    """A submodel element, the list it is in, and its path as Part 2 writes it."""

    path: str
    parent: str  # the path of the submodel or element whose list it is in
    siblings: list[Any]
    index: int
    keyed: bool  # matched by idShort (not an item of a SubmodelElementList)

    @property
    def element(self) -> Any:
        return self.siblings[self.index]


def _sites(environment: Any) -> Iterator[Site]:
    """Every submodel element, depth first (operations not entered)."""
    stack: list[tuple[str, list[Any], bool]] = [
        (f"Submodel[id={submodel.id}]", submodel.submodel_elements, True)
        for submodel in reversed(environment.submodels or ())
        if submodel.submodel_elements
    ]
    while stack:
        parent, siblings, keyed = stack.pop()
        for index, element in enumerate(siblings):
            path = f"{parent}.{element.id_short}" if keyed else f"{parent}[{index}]"
            yield Site(path, parent, siblings, index, keyed)
            kind = type(element).__name__
            children = None
            if kind in ("SubmodelElementCollection", "SubmodelElementList"):
                children = element.value
            elif kind == "Entity":
                children = element.statements
            elif kind == "AnnotatedRelationshipElement":
                children = element.annotations
            if children:
                stack.append((path, children, kind != "SubmodelElementList"))


def _copy(model: aas.Model) -> aas.Model:
    bound = binding(model.version)
    root = from_jsonable(bound, bound.jsonization.to_jsonable(model.root), model.class_name)
    return aas.Model(root=root, version=model.version)


def _print(version: Version, instance: Any) -> bytes:
    jsonable = binding(version).jsonization.to_jsonable(instance)
    return orjson.dumps(jsonable, option=orjson.OPT_SORT_KEYS)


@dataclass(frozen=True)
class Expected:
    kind: str
    path: str
    old: Any = ...  # ... : not checked
    new: Any = ...


def _mutate(kind: str, model: aas.Model, rng: random.Random, serial: int) -> Expected | None:
    """One mutation of ``kind`` at a place drawn by ``rng``, and the change it should give;
    None when the model has no place for it."""
    sites = list(_sites(model.root))
    if kind == "value":
        properties = [site for site in sites if type(site.element).__name__ == "Property"]
        if not properties:
            return None
        site = rng.choice(_prefer(serial, properties))
        before = site.element.value
        site.element.value = f"{before or ''} {serial}"
        if before is None:
            return Expected("added", f"{site.path}.value", None, site.element.value)
        return Expected("changed", f"{site.path}.value", before, site.element.value)
    if kind == "idShort":
        site = _choose(rng, [site for site in sites if site.keyed])
        if site is None:
            return None
        before = site.element.id_short
        site.element.id_short = f"{before}Renamed{serial}"
        return Expected("changed", f"{site.path}.idShort", before, site.element.id_short)
    if kind == "removed":
        site = _choose(
            rng, _prefer(serial, [site for site in sites if _alone(model.version, site)])
        )
        if site is None:
            return None
        site.siblings.pop(site.index)
        return Expected("removed", site.path)
    if kind == "added":
        return _add(model, sites, rng, serial)
    if kind == "reordered":
        return _reorder(model, sites, rng, serial)
    raise AssertionError(kind)


def _choose(rng: random.Random, sites: list[Site]) -> Site | None:
    return rng.choice(sites) if sites else None


def _prefer(serial: int, sites: list[Site]) -> list[Site]:
    """Every other mutation, the items of SubmodelElementLists where the model has any (they
    are matched by position, the others by idShort)."""
    in_lists = [site for site in sites if not site.keyed]
    return in_lists if serial % 2 and in_lists else sites


def _alone(version: Version, site: Site) -> bool:
    """Whether no other item of a SubmodelElementList is written as this one (so its place in
    the list is what a change names); items matched by idShort always are."""
    if site.keyed:
        return True
    mine = _print(version, site.element)
    return sum(_print(version, item) == mine for item in site.siblings) == 1


def _add(model: aas.Model, sites: list[Site], rng: random.Random, serial: int) -> Expected | None:
    bound = binding(model.version)
    site = _choose(rng, _prefer(serial, sites))
    if site is None:
        return None
    copy: Any = from_jsonable(
        bound, bound.jsonization.to_jsonable(site.element), type(site.element).__name__
    )
    at = rng.randrange(len(site.siblings) + 1)
    if site.keyed:
        copy.id_short = f"Added{serial}"
        site.siblings.insert(at, copy)
        return Expected("added", f"{site.parent}.Added{serial}")
    # An item of a list: made unlike every other item, so its place is the one it has.
    copy.semantic_id = bound.types.Reference(
        bound.types.ReferenceTypes.EXTERNAL_REFERENCE,
        [bound.types.Key(bound.types.KeyTypes.GLOBAL_REFERENCE, f"urn:added:{serial}")],
    )
    site.siblings.insert(at, copy)
    return Expected("added", f"{site.parent}[{at}]")


def _reorder(
    model: aas.Model, sites: list[Site], rng: random.Random, serial: int
) -> Expected | None:
    lists: dict[int, list[Site]] = {}
    for site in sites:
        lists.setdefault(id(site.siblings), []).append(site)
    candidates = []
    for members in lists.values():
        prints = {_print(model.version, site.element) for site in members}
        if len(members) >= 2 and (members[0].keyed or len(prints) >= 2):
            candidates.append(members)
    in_lists = [members for members in candidates if not members[0].keyed]
    if serial % 2 and in_lists:
        candidates = in_lists
    if not candidates:
        return None
    members = rng.choice(candidates)
    siblings = members[0].siblings
    first = rng.randrange(len(siblings))
    options = [
        index
        for index in range(len(siblings))
        if _print(model.version, siblings[index]) != _print(model.version, siblings[first])
    ]
    second = rng.choice(options)
    names = [item.id_short for item in siblings]
    siblings[first], siblings[second] = siblings[second], siblings[first]
    if members[0].keyed:
        return Expected("reordered", members[0].parent, names, [item.id_short for item in siblings])
    return Expected("reordered", members[0].parent)


KINDS = ("value", "idShort", "removed", "added", "reordered")


def test_200_single_mutations_give_one_change_each_at_its_path() -> None:
    models = _templates()
    assert len(models) > 50
    rng = random.Random(15)
    failures: list[str] = []
    done = {kind: 0 for kind in KINDS}
    serial = 0
    while serial < 200:
        kind = KINDS[serial % len(KINDS)]
        original = rng.choice(models)
        mutated = _copy(original)
        expected = _mutate(kind, mutated, rng, serial)
        if expected is None:
            continue
        serial += 1
        done[kind] += 1
        changes = aas.diff(original, mutated)
        got = [(change.kind, change.path) for change in changes]
        if got != [(expected.kind, expected.path)]:
            failures.append(f"{kind} in {original.source}: expected {expected}, got {got[:3]}")
            continue
        change = changes[0]
        for name in ("old", "new"):
            wanted = getattr(expected, name)
            if wanted is not ... and getattr(change, name) != wanted:
                failures.append(f"{kind}: {name} {getattr(change, name)!r} != {wanted!r}")
    assert done == {kind: 40 for kind in KINDS}
    assert failures == []


# region properties, values drawn from real files

REAL = real_values()
TEXTS = st.sampled_from(sorted({value for _, value in REAL.values} | set(REAL.ids)))
LANG_STRINGS = st.sampled_from(REAL.lang_strings)

PROPERTY_SETTINGS = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)


@cache
def _small_templates() -> tuple[aas.Model, ...]:
    """Templates with Property elements, the smallest first (hypothesis walks them often)."""
    with_properties = [
        model
        for model in _templates()
        if any(type(site.element).__name__ == "Property" for site in _sites(model.root))
    ]
    return tuple(sorted(with_properties, key=lambda model: len(list(_sites(model.root))))[:12])


@PROPERTY_SETTINGS
@given(data=st.data(), text=TEXTS, lang_string=LANG_STRINGS)
def test_a_model_equals_itself_and_a_drawn_value_is_found(
    data: st.DataObject, text: str, lang_string: tuple[str, str]
) -> None:
    original = data.draw(st.sampled_from(_small_templates()))
    assert aas.diff(original, original) == []
    mutated = _copy(original)
    assert aas.diff(original, mutated) == []

    properties = [s for s in _sites(mutated.root) if type(s.element).__name__ == "Property"]
    site = data.draw(st.sampled_from(properties))
    before = site.element.value
    site.element.value = text
    expected = [] if before == text else [Change("changed", f"{site.path}.value", before, text)]
    if before is None:
        expected = [Change("added", f"{site.path}.value", None, text)]
    assert aas.diff(original, mutated) == expected

    # A description in a language the element has not: one language string added.
    element = data.draw(st.sampled_from(list(_sites(mutated.root)))).element
    language, written = lang_string
    if any(item.language == language for item in element.description or ()):
        return
    bound = binding(mutated.version)
    element.description = [
        *(element.description or ()),
        bound.types.LangStringTextType(language, written),
    ]
    changes = aas.diff(original, mutated)
    added = Change(
        "added",
        f"{_path_of(mutated, element)}.description[{language}]",
        None,
        {"language": language, "text": written},
    )
    assert len(changes) == len(expected) + 1 and added in changes


def _path_of(model: aas.Model, element: Any) -> str:
    return next(site.path for site in _sites(model.root) if site.element is element)


# region values, numbers, packages and the command line


def _one_property(value_type: str, value: str) -> bytes:
    return orjson.dumps(
        {
            "submodels": [
                {
                    "modelType": "Submodel",
                    "id": "urn:example:sm",
                    "submodelElements": [
                        {
                            "modelType": "Property",
                            "idShort": "Speed",
                            "valueType": value_type,
                            "value": value,
                        }
                    ],
                }
            ]
        }
    )


@pytest.mark.parametrize(
    ("value_type", "first", "second", "equal_by_value"),
    [
        ("xs:double", "1.0E2", "100", True),
        ("xs:double", "100.0", "1e2", True),
        ("xs:double", "INF", "1.0E400", True),  # XSD 1.1: beyond the largest double is INF
        ("xs:double", "-INF", "INF", False),
        ("xs:double", "0.1", "0.10000000000000001", True),  # one IEEE double
        ("xs:decimal", "0.1", "0.10", True),
        ("xs:decimal", "0.1", "0.10000000000000001", False),  # exact
        ("xs:int", "+007", "7", True),
        ("xs:int", "7", "8", False),
        ("xs:string", "100", "1.0E2", False),  # a string is never a number
        ("xs:double", "NaN", "NaN", True),  # as written, the same text
        ("xs:double", "abc", "abd", False),
    ],
)
def test_numbers_are_compared_as_written_unless_numeric(
    value_type: str, first: str, second: str, equal_by_value: bool
) -> None:
    a, b = _one_property(value_type, first), _one_property(value_type, second)
    path = "Submodel[id=urn:example:sm].Speed.value"
    as_written = [] if first == second else [Change("changed", path, first, second)]
    assert aas.diff(a, b) == as_written
    assert aas.diff(a, b, numeric=True) == ([] if equal_by_value else as_written)


def test_files_of_two_packages_are_compared(tmp_path: Path) -> None:
    package = EXAMPLES / "sensor" / "sensor.aasx"
    model = aas.load(package)
    assert model.package is not None and model.package.supplementary
    name, part = next(iter(model.package.supplementary.items()))
    part.data = part.data + b"\n"
    changed = tmp_path / "changed.aasx"
    aas.save(model, changed)
    changes = aas.diff(package, changed)
    assert [(change.kind, change.path) for change in changes] == [("changed", f"package:{name}")]
    assert isinstance(changes[0].old, dict) and isinstance(changes[0].new, dict)
    assert changes[0].new["bytes"] == changes[0].old["bytes"] + 1  # type: ignore[operator]
    # A package against its JSON: the files are not compared (JSON holds none).
    assert aas.diff(package, EXAMPLES / "sensor" / "sensor.json") == []


def test_cli_equal_different_and_unreadable(tmp_path: Path) -> None:
    motor = EXAMPLES / "motor"
    equal = run_cli("diff", str(motor / "motor.json"), str(motor / "motor.xml"))
    assert equal.returncode == 0, equal.stderr
    assert equal.stdout == b""
    assert b"are equal" in equal.stderr

    changed = tmp_path / "motor.json"
    changed.write_bytes((motor / "motor.json").read_bytes().replace(b'"7.5"', b'"7.50"', 1))
    different = run_cli("diff", str(motor / "motor.json"), str(changed))
    assert different.returncode == 1, different.stderr
    lines = different.stdout.decode().splitlines()
    assert len(lines) == 1 and lines[0].startswith("changed Submodel[id=")
    assert lines[0].endswith('.value: "7.5" -> "7.50"')
    assert different.stderr.decode().strip() == "aas: 1 change"
    numeric = run_cli("diff", "--numeric", str(motor / "motor.json"), str(changed))
    assert numeric.returncode == 0, numeric.stderr

    as_json = run_cli("diff", str(motor / "motor.json"), str(changed), "--output", "json")
    again = run_cli("diff", str(motor / "motor.json"), str(changed), "--output", "json")
    assert as_json.returncode == 1 and as_json.stdout == again.stdout
    document = orjson.loads(as_json.stdout)
    assert document["equal"] is False and document["version"] == "3.1"
    assert [change["kind"] for change in document["changes"]] == ["changed"]
    assert document["changes"][0]["old"] == "7.5" and document["changes"][0]["new"] == "7.50"

    missing = run_cli("diff", str(motor / "motor.json"), str(tmp_path / "none.json"))
    assert_clean_failure(missing, 3)
    both_stdin = run_cli("diff", "-", "-", stdin=b"{}")
    assert_clean_failure(both_stdin, 2)
    # --from names the format of standard input; A keeps the one its suffix names.
    xml = (motor / "motor.xml").read_bytes()
    piped = run_cli("diff", str(motor / "motor.json"), "-", "--from", "xml", stdin=xml)
    assert piped.returncode == 0, piped.stderr


def test_cli_compares_v30_and_v31_in_v31(tmp_path: Path) -> None:
    folder = corpus("testgen-3.0", "Xml", "ContainedInEnvironment", "Expected")
    old = next(iter(sorted(folder.rglob("*.xml"))))
    upgraded = tmp_path / "upgraded.json"
    converted = run_cli("convert", str(old), str(upgraded), "--to-version", "3.1")
    assert converted.returncode == 0, converted.stderr
    result = run_cli("diff", str(old), str(upgraded))
    assert result.returncode == 0, result.stderr
    assert f"{old} is V3.0: compared in V3.1" in result.stderr.decode()


# region every attribute of the metamodel


def _value_attributes(version: Version, node: Any) -> Iterator[tuple[Any, str, str]]:
    """(instance, attribute, JSON name) of every text, bytes or enumeration attribute set
    anywhere under ``node``, found through the metamodel description (not the diff's walk)."""
    from aas.metamodel.description import describe

    model = describe(version)
    stack = [node]
    while stack:
        instance = stack.pop()
        for prop in model.classes[type(instance).__name__].properties:
            value = getattr(instance, prop.name)
            if value is None:
                continue
            if prop.kind in ("string", "bytes", "enum") and not prop.many:
                yield instance, prop.name, prop.json_name
            elif prop.kind == "class":
                stack.extend(value if prop.many else [value])


def _other(value: Any) -> tuple[Any, Any]:
    """Another value of the same type, and how a change writes a value of that type."""
    if isinstance(value, str):
        return value + "Z", lambda written: written
    if isinstance(value, bytes):
        return value + b"Z", lambda written: base64.b64encode(written).decode()
    members = list(type(value))
    return members[(members.index(value) + 1) % len(members)], lambda written: written.value


def test_every_value_attribute_of_every_class_is_compared() -> None:
    """In the official examples that fill every attribute of a class (``maximal.json``), each
    text, bytes or enumeration attribute changed alone is one change of that attribute, with
    both values as written."""
    paths = sorted(corpus("examples-3.1", "json").rglob("maximal.json"))
    assert len(paths) > 30
    seen: set[tuple[str, str]] = set()
    failures: list[str] = []
    for path in paths:
        original = aas.load(path, verify=False)
        count = len(list(_value_attributes(original.version, original.root)))
        for number in range(count):
            mutated = _copy(original)
            found = list(_value_attributes(mutated.version, mutated.root))
            instance, name, json_name = found[number]
            before = getattr(instance, name)
            after, written = _other(before)
            if after == before:
                continue  # an enumeration of one literal
            setattr(instance, name, after)
            seen.add((type(instance).__name__, json_name))
            changes = aas.diff(original, mutated)
            # A language string's text is reported at the language string itself.
            ending = "]" if json_name == "text" else f".{json_name}"
            if (
                len(changes) != 1
                or changes[0].kind != "changed"
                or not changes[0].path.endswith(ending)
                or (changes[0].old, changes[0].new) != (written(before), written(after))
            ):
                failures.append(f"{path.parent.name} {json_name}: {changes[:2]}")
    print(f"{len(seen)} (class, attribute) pairs changed one at a time")
    assert len(seen) > 90
    assert failures == []
