"""Property-based round trips with ids, idShorts and values drawn from what real files hold.

The draws start from the published IDTA templates (``idta-templates/published``): every
Identifiable id, every key value of a reference, every idShort, every Property value with its
valueType, every language string and every File value the JSON templates hold is collected when
this module is imported. Hypothesis samples from those and from variants of them that real
files also show: a trailing or leading space, a space inside, ``#``, ``%``, ``%20``, ``%zz``,
umlauts, CJK, an emoji outside the BMP, ``/./`` and ``..``, the id grown to the metamodel's
2,000 characters, the empty string; values such as ``1.0E2``, ``+007``, ``-0``, ``1`` for a
boolean and dates; empty lists wherever the metamodel has a list. Now and then a character XML
1.0 cannot hold (U+0001, U+FFFE).

Each drawn model (an Environment of shells, submodels with Property, MultiLanguageProperty,
File, Range, ReferenceElement, collections and lists, and concept descriptions, sometimes two
identifiables with one id) is read from JSON and written to every format the toolkit writes.
Read back, each gives JSON byte-identical to the first conversion, or the format refuses with
the project's finding for text XML cannot hold (and only then). The RDF parses in rdflib and
in pyoxigraph (without a base: no relative IRI), every subject is an absolute IRI, and the
identifiables' nodes are the IRIs ``aas.rdfids.iris_of`` gives, one per identifiable.

A second group tests ``aas.rdfids`` itself on any Unicode text.

CI runs a fixed, modest number of cases (``derandomize``). A longer run::

    AAS_FUZZ_EXAMPLES=3000 .venv/bin/pytest tests/test_real_values.py

(a third of ``AAS_FUZZ_EXAMPLES`` model round trips, and ``AAS_FUZZ_EXAMPLES`` cases for each
``aas.rdfids`` property).
"""

from __future__ import annotations

import os
import re
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

import aas_core3_1.types as types31
import orjson
import pyoxigraph
import pytest
import rdflib
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import aas
from aas.metamodel.rdf_names import ENVIRONMENT
from aas.rdfids import (
    DEFAULT_BASE,
    check_base,
    encode,
    iris_of,
    is_absolute_iri,
    minted,
)

from conftest import corpus

_LONG_RUN = int(os.environ.get("AAS_FUZZ_EXAMPLES", "0"))

MODEL_SETTINGS = settings(
    max_examples=max(1, _LONG_RUN // 3) if _LONG_RUN else 120,
    deadline=None,
    derandomize=True,  # the same cases in every run, so CI is deterministic
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
ID_SETTINGS = settings(
    max_examples=_LONG_RUN or 300,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)

WRITTEN = ["json", "xml", "aasx", "turtle", "ntriples", "jsonld", "rdfxml"]
RDF = {"turtle": "turtle", "ntriples": "nt", "jsonld": "json-ld", "rdfxml": "xml"}
OXIGRAPH = {
    "turtle": pyoxigraph.RdfFormat.TURTLE,
    "ntriples": pyoxigraph.RdfFormat.N_TRIPLES,
    "jsonld": pyoxigraph.RdfFormat.JSON_LD,
    "rdfxml": pyoxigraph.RdfFormat.RDF_XML,
}
#: What each writer that holds text as XML refuses, and with which rule.
XML_RULES = {"xml": "xml:unrepresentable-character", "aasx": "xml:unrepresentable-character"}
XML_RULES["rdfxml"] = "rdf:unrepresentable-character"
#: Characters XML 1.0 cannot hold, not even as a character reference (surrogates aside, which
#: no JSON text decodes to here).
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")

Draw = Callable[..., Any]


# region what the real files hold


@dataclass(frozen=True)
class RealValues:
    ids: tuple[str, ...]  # Identifiable ids and the values of reference keys
    id_shorts: tuple[str, ...]
    values: tuple[tuple[str, str], ...]  # (valueType, value) of Property elements
    lang_strings: tuple[tuple[str, str], ...]  # (language, text)
    files: tuple[tuple[str, str], ...]  # (contentType, value) of File elements


@cache
def real_values() -> RealValues:
    """What the published JSON templates hold, each set sorted (the draws are the same in
    every run)."""
    ids: set[str] = set()
    id_shorts: set[str] = set()
    values: set[tuple[str, str]] = set()
    lang_strings: set[tuple[str, str]] = set()
    files: set[tuple[str, str]] = set()

    def strings(*items: Any) -> bool:
        return all(isinstance(item, str) for item in items)

    def walk(node: Any) -> None:
        if isinstance(node, list):
            for item in node:
                walk(item)
            return
        if not isinstance(node, dict):
            return
        if strings(node.get("id")):
            ids.add(node["id"])
        if strings(node.get("idShort")):
            id_shorts.add(node["idShort"])
        if strings(node.get("language"), node.get("text")):
            lang_strings.add((node["language"], node["text"]))
        key_types = ("GlobalReference", "ConceptDescription", "Submodel")
        if strings(node.get("value")) and node.get("type") in key_types and "keys" not in node:
            ids.add(node["value"])
        kind = node.get("modelType")
        if kind == "Property" and strings(node.get("valueType"), node.get("value")):
            values.add((node["valueType"], node["value"]))
        if kind == "File" and strings(node.get("contentType"), node.get("value")):
            files.add((node["contentType"], node["value"]))
        for value in node.values():
            walk(value)

    paths = sorted(corpus("idta-templates", "published").rglob("*.json"))
    for path in paths:
        walk(orjson.loads(path.read_bytes()))
    return RealValues(
        *(tuple(sorted(found)) for found in (ids, id_shorts, values, lang_strings, files))
    )


REAL = real_values()

# What real files also hold, and the corners the metamodel allows (an Identifier holds up to
# 2,000 characters; a value is any text), beyond what this set of templates shows.
SUFFIXES = [" ", "#", "#frag", "%", "%20", "%zz", "/./x", "/../x", "?q=1", " (v2)", "Ä", "中文"]
SUFFIXES += ["\U0001f600", "\u00a0", "\t", "/", "%2F", "\\", "<>", '"', "{}"]
PREFIXES = [" ", "[IRI] ", "../", "./", "#", "%", "urn:", "_:", "aas_:", "xs:"]
XML_ILLEGAL = ["\x01", "\x1f", "\ufffe", "\x0b"]
EXTRA_IDS = [
    "0173-1#02-AAO677#002",
    "0112/2///61987#ABA565#009",
    "https://admin-shell.io/zvei/nameplate/2/0/Nameplate",
    "urn:example:aas:1",
    "urn:aas-toolkit:id/0173-1%2302-AAO677%23002",  # another id's minted IRI, as an id
    "https://example.com/cd/with space",
    "https://example.com/a/../b",
    "https://example.com/b",
    "mailto:someone@example.com",
    "",
    " ",
    ".",
    "..",
    "%",
    "Größe",
    "単位",
]
EXTRA_VALUES = ["1.0E2", "+007", "-0", "1", "0", "true", "2024-02-29", "2024-13-01", "", " "]
EXTRA_VALUES += ["INF", "-INF", "NaN", "1e400", "P1Y2M", "12:00:00Z", "0x1F", "\U0001f4a1"]


def variant(base: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """A real string changed the way real files change them."""

    def grown(text: str, size: int) -> str:
        return (text + "/" + "x" * size)[:size] if text else "y" * size

    return st.one_of(
        base,
        st.builds(lambda text, end: text + end, base, st.sampled_from(SUFFIXES)),
        st.builds(lambda start, text: start + text, st.sampled_from(PREFIXES), base),
        st.builds(lambda text: text.replace("/", " /", 1), base),
        st.builds(lambda text: text.replace("#", "%23"), base),
        st.builds(grown, base, st.sampled_from([255, 1999, 2000])),
    )


def text_like(real: tuple[str, ...], extra: list[str]) -> st.SearchStrategy[str]:
    """Nearly half the time a real string as it is, as often a variant of one, now and then
    generated text (of characters XML can hold: ``environments`` adds those it cannot)."""
    base = st.sampled_from(real) | st.sampled_from(extra)
    characters = st.characters(exclude_categories=["Cs", "Cc"], include_characters="\t\r\n\x85")
    generated = st.text(characters, max_size=30)

    @st.composite
    def weighted(draw: Draw) -> str:
        roll = draw(st.sampled_from(range(200)))  # hypothesis favours 0: a real string
        if roll < 90:
            return draw(st.sampled_from(real))
        if roll < 180:
            return draw(variant(base))
        return draw(generated)

    return weighted()


IDS = text_like(REAL.ids, EXTRA_IDS)
ID_SHORTS = text_like(REAL.id_shorts, ["", "a", "_x", "Größe", "1abc", "x-y"])
TEXTS = text_like(tuple(text for _, text in REAL.lang_strings), ["", "Käufer", "\U0001f600"])
LANGUAGES = st.sampled_from([*sorted({lang for lang, _ in REAL.lang_strings}), "de-DE", "zh-Hans"])
VALUE_TYPES = st.sampled_from([member.value for member in types31.DataTypeDefXSD])
VALUES = text_like(tuple(value for _, value in REAL.values), EXTRA_VALUES)
TYPED_VALUES = st.sampled_from(REAL.values) | st.tuples(VALUE_TYPES, VALUES)
FILES = st.sampled_from(REAL.files) | st.tuples(
    st.sampled_from(["application/pdf", "image/png", "text/plain; charset=utf-8", ""]),
    text_like(tuple(value for _, value in REAL.files), ["/aasx/files/My Manual.pdf", ""]),
)
BASES = st.sampled_from([DEFAULT_BASE, "https://example.com/ids/", "urn:x:", "http://e.org/x#"])


# endregion

# region models as JSON


def maybe(draw: Draw, strategy: st.SearchStrategy[Any]) -> Any:
    return draw(strategy) if draw(st.booleans()) else None


def put(target: dict[str, Any], key: str, value: Any) -> None:
    if value is not None:
        target[key] = value


def lang_strings(draw: Draw, at_least: int = 0) -> list[dict[str, str]]:
    count = draw(st.integers(at_least, 2))
    return [{"language": draw(LANGUAGES), "text": draw(TEXTS)} for _ in range(count)]


def reference(draw: Draw, targets: list[str]) -> dict[str, Any]:
    if targets and draw(st.booleans()):
        keys = [{"type": "Submodel", "value": draw(st.sampled_from(targets))}]
        if draw(st.booleans()):
            keys.append({"type": "Property", "value": draw(ID_SHORTS)})
        return {"type": "ModelReference", "keys": keys}
    count = draw(st.integers(0, 2))  # no key at all is an empty list, too
    keys = [{"type": "GlobalReference", "value": draw(IDS)} for _ in range(count)]
    return {"type": "ExternalReference", "keys": keys}


def referable(draw: Draw, value: dict[str, Any], named: bool = True) -> None:
    if named:
        value["idShort"] = draw(ID_SHORTS)
    if draw(st.integers(0, 3)) == 0:
        value["description"] = lang_strings(draw)
    if draw(st.integers(0, 4)) == 0:
        value["displayName"] = lang_strings(draw)


def semantic(draw: Draw, value: dict[str, Any]) -> None:
    if draw(st.booleans()):
        value["semanticId"] = reference(draw, [])
    if draw(st.integers(0, 5)) == 0:
        value["supplementalSemanticIds"] = [
            reference(draw, []) for _ in range(draw(st.integers(0, 1)))
        ]


def element(draw: Draw, depth: int, targets: list[str], named: bool = True) -> dict[str, Any]:
    kinds = ["Property", "MultiLanguageProperty", "File", "Range", "ReferenceElement"]
    if depth < 2:
        kinds += ["SubmodelElementCollection", "SubmodelElementList"]
    kind = draw(st.sampled_from(kinds))
    value: dict[str, Any] = {"modelType": kind}
    referable(draw, value, named)
    semantic(draw, value)
    if kind == "Property":
        value_type, text = draw(TYPED_VALUES)
        value["valueType"] = value_type
        put(value, "value", text if draw(st.integers(0, 4)) else None)
    elif kind == "MultiLanguageProperty":
        put(value, "value", lang_strings(draw) if draw(st.integers(0, 4)) else None)
    elif kind == "File":
        content_type, text = draw(FILES)
        value["contentType"] = content_type
        put(value, "value", text if draw(st.integers(0, 4)) else None)
    elif kind == "Range":
        value["valueType"] = draw(VALUE_TYPES)
        put(value, "min", maybe(draw, VALUES))
        put(value, "max", maybe(draw, VALUES))
    elif kind == "ReferenceElement":
        put(value, "value", reference(draw, targets) if draw(st.integers(0, 4)) else None)
    elif kind == "SubmodelElementCollection":
        children = [element(draw, depth + 1, targets) for _ in range(draw(st.integers(0, 3)))]
        put(value, "value", children if draw(st.integers(0, 4)) else None)
    else:
        value["typeValueListElement"] = "Property"
        value_type = draw(VALUE_TYPES)
        value["valueTypeListElement"] = value_type
        items = []
        for _ in range(draw(st.integers(0, 3))):
            item: dict[str, Any] = {"modelType": "Property", "valueType": value_type}
            put(item, "value", maybe(draw, VALUES))
            items.append(item)
        put(value, "value", items if draw(st.integers(0, 4)) else None)
    return value


def submodel(draw: Draw, identifier: str, targets: list[str]) -> dict[str, Any]:
    value: dict[str, Any] = {"modelType": "Submodel", "id": identifier}
    referable(draw, value, draw(st.booleans()))
    semantic(draw, value)
    if draw(st.integers(0, 3)) == 0:
        value["administration"] = {"version": draw(st.sampled_from(["1", "2", "10"]))}
    count = draw(st.integers(0, 4))
    elements = [element(draw, 0, targets) for _ in range(count)]
    put(value, "submodelElements", elements if draw(st.integers(0, 4)) else None)
    return value


def shell(draw: Draw, identifier: str, targets: list[str]) -> dict[str, Any]:
    asset: dict[str, Any] = {"assetKind": draw(st.sampled_from(["Instance", "Type"]))}
    put(asset, "globalAssetId", maybe(draw, IDS))
    if draw(st.booleans()):
        asset["specificAssetIds"] = [
            {"name": draw(ID_SHORTS), "value": draw(VALUES)} for _ in range(draw(st.integers(0, 2)))
        ]
    value: dict[str, Any] = {"modelType": "AssetAdministrationShell", "id": identifier}
    referable(draw, value)
    value["assetInformation"] = asset
    if targets and draw(st.booleans()):
        value["submodels"] = [
            {"type": "ModelReference", "keys": [{"type": "Submodel", "value": target}]}
            for target in draw(st.lists(st.sampled_from(targets), max_size=3))
        ]
    return value


IEC61360 = "https://admin-shell.io/DataSpecificationTemplates/DataSpecificationIEC61360/3/0"


def concept(draw: Draw, identifier: str) -> dict[str, Any]:
    value: dict[str, Any] = {"modelType": "ConceptDescription", "id": identifier}
    referable(draw, value, draw(st.booleans()))
    if draw(st.booleans()):
        value["isCaseOf"] = [reference(draw, []) for _ in range(draw(st.integers(0, 2)))]
    if draw(st.booleans()):
        content: dict[str, Any] = {
            "modelType": "DataSpecificationIec61360",
            "preferredName": lang_strings(draw, at_least=1),
        }
        put(content, "unit", maybe(draw, VALUES))
        put(content, "value", maybe(draw, VALUES))
        value["embeddedDataSpecifications"] = [
            {
                "dataSpecification": {
                    "type": "ExternalReference",
                    "keys": [{"type": "GlobalReference", "value": IEC61360}],
                },
                "dataSpecificationContent": content,
            }
        ]
    return value


@st.composite
def environments(draw: Draw) -> dict[str, Any]:
    """An Environment as JSON; sometimes one identifiable's id given to a second one."""
    submodel_ids = draw(st.lists(IDS, max_size=3))
    environment: dict[str, Any] = {}
    if draw(st.integers(0, 3)):
        shell_ids = draw(st.lists(IDS, max_size=2))
        shells = [shell(draw, i, submodel_ids) for i in shell_ids]
        environment["assetAdministrationShells"] = shells
    environment["submodels"] = [submodel(draw, i, submodel_ids) for i in submodel_ids]
    if draw(st.integers(0, 3)):
        concepts = [concept(draw, i) for i in draw(st.lists(IDS, max_size=3))]
        environment["conceptDescriptions"] = concepts
    every = [(key, item) for key, items in environment.items() for item in items]
    if every and draw(st.integers(0, 3)) == 0:  # two identifiables with one id
        key, original = draw(st.sampled_from(every))
        twin = {**original, "id": draw(st.sampled_from(every))[1]["id"], "idShort": "twin"}
        environment[key].insert(draw(st.integers(0, len(environment[key]))), twin)
    places = [
        (holder, key)
        for holder in containers(environment)
        for key, value in (holder.items() if isinstance(holder, dict) else enumerate(holder))
        if isinstance(value, str) and key not in ENUMERATIONS
    ]
    if places and draw(st.integers(0, 9)) == 0:  # one text XML 1.0 cannot hold
        holder, key = draw(st.sampled_from(places))
        at = draw(st.integers(0, len(holder[key])))
        holder[key] = holder[key][:at] + draw(st.sampled_from(XML_ILLEGAL)) + holder[key][at:]
    return environment


ENUMERATIONS = {"modelType", "type", "valueType", "valueTypeListElement", "typeValueListElement"}
ENUMERATIONS |= {"assetKind"}


def containers(node: Any) -> Iterator[Any]:
    if isinstance(node, dict | list):
        yield node
        for value in node.values() if isinstance(node, dict) else node:
            yield from containers(value)


# endregion

# region what a model must survive


def identifiables(model: aas.Model) -> list[tuple[str, str]]:
    return [
        (name, item.id)
        for name in ("asset_administration_shells", "submodels", "concept_descriptions")
        for item in getattr(model.root, name) or ()
    ]


def strings_of(node: Any) -> Iterator[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield key
            yield from strings_of(value)
    elif isinstance(node, list):
        for item in node:
            yield from strings_of(item)


def check_rdf(data: bytes, fmt: str, ids: list[str], base: str) -> None:
    """The RDF parses in pyoxigraph without a base and in rdflib; its identifiable nodes are
    the IRIs the rule gives, one per identifiable; every subject is an absolute IRI or a
    blank node."""
    triples = list(pyoxigraph.parse(data, format=OXIGRAPH[fmt]))  # a relative IRI would fail
    subjects = {t.subject.value for t in triples if isinstance(t.subject, pyoxigraph.NamedNode)}
    expected = iris_of(ids, base)
    assert len(set(expected)) == len(ids)
    assert subjects - {ENVIRONMENT} == set(expected)
    for triple in triples:
        assert isinstance(triple.subject, pyoxigraph.NamedNode | pyoxigraph.BlankNode)
    parsed = rdflib.Graph()
    parsed.parse(data=data, format=RDF[fmt])
    assert len(parsed) == len(set(triples))
    named = set()
    for subject in parsed.subjects(unique=True):
        assert isinstance(subject, rdflib.URIRef | rdflib.BNode), subject
        if isinstance(subject, rdflib.URIRef):
            assert SCHEME.match(str(subject)), subject
            named.add(str(subject))
    assert named == subjects


@MODEL_SETTINGS
@given(environment=environments(), version=st.sampled_from(["3.0", "3.1"]), base=BASES)
def test_real_values_survive_every_format(
    environment: dict[str, Any], version: str, base: str
) -> None:
    source = orjson.dumps(environment)
    model = aas.load(source, format="json", version=version)
    first = aas.dump(model, "json").data
    ids = identifiables(model)
    assert [i for _, i in ids] == [item["id"] for name in environment for item in environment[name]]
    unrepresentable = any(NOT_XML.search(text) for text in strings_of(environment))
    event(f"identifiables: {len(ids)}")
    event(f"elements: {min(source.count(b'idShort'), 20) // 5 * 5}+")
    event(f"ids shared: {len(ids) - len({i for _, i in ids})}")
    event(f"an id no absolute IRI: {any(not is_absolute_iri(i) for _, i in ids)}")
    event(f"an id of 2000 characters: {any(len(i) == 2000 for _, i in ids)}")
    event(f"an empty list: {b'[]' in source}")
    event(f"XML cannot hold it: {unrepresentable}")
    for fmt in WRITTEN:
        try:
            written = aas.dump(model, fmt, rdf_base=base).data
        except aas.FindingsError as error:
            assert fmt in XML_RULES and unrepresentable, (fmt, error)
            assert [f.rule for f in error.findings] == [XML_RULES[fmt]]
            continue
        assert fmt not in XML_RULES or not unrepresentable, fmt
        back = aas.load(written, format=fmt, version=version if fmt == "json" else None)
        assert back.version == model.version, fmt
        assert identifiables(back) == ids, fmt
        assert aas.dump(back, "json").data == first, fmt
        if fmt in RDF:
            check_rdf(written, fmt, [i for _, i in ids], base)


# endregion

# region aas.rdfids on any text


ANY_TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=40)
TRICKY = st.sampled_from(["%", "#", "/./", "..", "/../", ".", "%2E", "%25", " ", "\x00", "\x7f"])
TRICKY |= st.sampled_from(["\U0001f600", "\U000e0001", "\U0010ffff", "\ufffe", "\ud7ff", "a/"])
ID_TEXT = st.one_of(
    ANY_TEXT,
    st.lists(TRICKY | ANY_TEXT, max_size=6).map("".join),
    st.sampled_from(REAL.ids),
    variant(st.sampled_from(REAL.ids)),
)


@ID_SETTINGS
@given(identifier=ID_TEXT)
def test_encoding_is_reversible_and_minted_iris_are_absolute(identifier: str) -> None:
    encoded = encode(identifier)
    assert urllib.parse.unquote(encoded, errors="strict") == identifier
    for base in (DEFAULT_BASE, "https://example.com/ids/", "urn:x:", "http://e.org/x#"):
        iri = minted(identifier, base)
        assert iri.startswith(base)
        assert is_absolute_iri(iri)
        assert pyoxigraph.NamedNode(iri).value == iri
        # and it reads back as itself where a base is in force (no dot segment is removed)
        document = f"<{iri}> <urn:p> <urn:o> .".encode()
        parsed = pyoxigraph.parse(document, format=pyoxigraph.RdfFormat.TURTLE, base_iri=base)
        assert [t.subject.value for t in parsed] == [iri]


@ID_SETTINGS
@given(ids=st.lists(ID_TEXT, min_size=2, max_size=2, unique=True), tweak=TRICKY)
def test_encoding_is_injective(ids: list[str], tweak: str) -> None:
    first, second = ids
    assert encode(first) != encode(second)
    near = {
        first,
        first + tweak,
        tweak + first,
        first.replace("%", tweak),
        first.replace(" ", tweak),
    }
    assert len({encode(text) for text in near}) == len(near)


@ID_SETTINGS
@given(ids=st.lists(ID_TEXT | st.sampled_from(EXTRA_IDS), max_size=8), base=BASES, data=st.data())
def test_iris_of_never_shares_a_node_and_keeps_unique_absolute_ids(
    ids: list[str], base: str, data: st.DataObject
) -> None:
    if ids and data.draw(st.booleans()):  # an id repeated, or another's minted IRI as an id
        chosen = data.draw(st.sampled_from(ids))
        ids.append(data.draw(st.sampled_from([chosen, minted(chosen, base)])))
    iris = iris_of(ids, base)
    assert len(iris) == len(ids)
    assert len(set(iris)) == len(iris)
    for identifier, iri in zip(ids, iris, strict=True):
        assert is_absolute_iri(iri), iri
        if is_absolute_iri(identifier) and ids.count(identifier) == 1:
            assert iri == identifier
        elif not is_absolute_iri(identifier):
            assert iri.startswith(base)
            assert urllib.parse.unquote(iri.removeprefix(base)).endswith(identifier)


@ID_SETTINGS
@given(base=ANY_TEXT | st.sampled_from(["urn:x", "https://e.org/ids", "https://e.org/ids/"]))
def test_check_base_takes_only_absolute_iris_ending_in_a_separator(base: str) -> None:
    good = is_absolute_iri(base) and base.endswith(("/", "#", ":"))
    if not good:
        with pytest.raises(aas.UsageError):
            check_base(base)
        return
    assert check_base(base) == base
    assert is_absolute_iri(minted("0173-1#02-AAO677#002 x", base))


@pytest.mark.parametrize("base", ["", "ids/", "/ids/", "urn:x", "https://e.org/ids", "a b:/"])
def test_check_base_refuses_what_cannot_be_a_base(base: str) -> None:
    with pytest.raises(aas.UsageError, match="--rdf-base"):
        check_base(base)


# endregion


def test_the_draws_come_from_the_real_files() -> None:
    assert len(REAL.ids) > 1000
    assert "0173-1#02-AAO677#002" in REAL.ids
    assert any(" " in i for i in REAL.ids)
    assert any("#" in i and "/" in i for i in REAL.ids)  # 0112/2///61987#...
    assert len(REAL.id_shorts) > 1000
    assert {value_type for value_type, _ in REAL.values} >= {"xs:string", "xs:boolean"}
    assert any(ord(char) > 127 for _, text in REAL.lang_strings for char in text)
    assert REAL.files
