"""The upgrade of an AAS V2.0.1 model (its JSON serialisation, as ``json.loads`` gives it) to
the V3.0 or V3.1 JSON serialisation, with a finding for every value V3 cannot hold.

The mapping follows the changes the V3.0 specification lists against V2.0.1 (IDTA-01001 Part 1,
annex "Changes"). Where V3 needs what V2 did not say, the choice made here is documented below
and reported as an info; where V3 has no place for a V2 value, a warning names it and its V2
JSON pointer. Every value that is carried keeps its lexical form.

The choices:

- ``identification {idType, id}`` -> ``id`` (``idType`` has no place in V3 and says nothing
  the id does not). An identifiable without an id is left out with everything in it (one
  ``v2:not-carried`` naming its idShort). A model reference that may have named it (its
  first key is of that class and names no identifiable the model carries) is kept as it was:
  V3 allows references to what is not in the model, and which identifiable it named cannot
  be told. Each is ``v2:dangling-reference`` (warning) at its V2 place.
- A language string without a language (null, empty, blank or absent; the V2 XML schema makes
  ``lang`` optional, and the Package Explorer's own samples leave it out) keeps its text under
  ``und``, BCP 47's "undetermined" language: ``v2:invented-language`` (info) at its V2 place.
  JSON and XML input are treated alike (the XML reader passes the missing language on).
  A language string without text is dropped (``v2:empty-dropped``).
- V1.0's IEC 61360 ``sourceOfDefinition`` (a language string set) -> its English text, else
  the first; the others are ``v2:not-carried``.
- idShort: V3 requires one on every submodel element and a pattern (V3.0 letters, digits and
  ``_``; V3.1 also ``-`` inside, and at least two characters) and uniqueness among siblings.
  A missing idShort becomes the element's class name followed by its position (``Property3``);
  a character the pattern refuses becomes ``_``; a first character that is no letter gets
  ``id_`` before it; a V3.1 idShort of one letter gets ``_`` after it; a clash among siblings
  gets ``_2``, ``_3``... Each change is ``v2:invented-id-short`` (info), and model references
  that named the old idShort name the new one.
- References: the first key decides. A key of an identifiable (``AssetAdministrationShell``,
  ``Submodel``, ``ConceptDescription``) makes a ``ModelReference`` that starts at the last
  identifiable key of the V2 chain (V3 references start at the identifiable that holds the
  element); ``GlobalReference`` makes an ``ExternalReference``. A V2 ``Asset`` key (V3 has no
  Asset) names the asset's global id: an ``ExternalReference`` with a ``GlobalReference`` key.
  A semantic reference (semanticId, isCaseOf, valueId, unitId, dataSpecification) with one
  ``ConceptDescription`` key stays a model reference only when the concept description is in
  the model, else it becomes a global reference. A chain that starts at no identifiable
  becomes an ``ExternalReference`` of ``GlobalReference`` keys. ``local`` and ``idType`` go
  (V3 has neither); ``BasicEvent`` -> ``BasicEventElement``, ``Event`` -> ``EventElement``;
  ``ConceptDictionary``, ``View`` and ``AccessPermissionRule`` keys have no V3 type.
- ``administration``: V2 allowed any text as version and revision, V3 only digits without a
  leading zero, at most four. One V3 refuses (``1.0``, ``A``, ``07``) is kept, as it is, in an
  extension of the identifiable named ``AAS-V2-administration-version`` (or ``-revision``),
  value type ``xs:string``; a refused version takes its revision with it (AASd-005). Each is
  ``v2:administration-moved`` (info). A revision without a version was no valid V2 either
  (AASd-005 holds in V2.0.1): it is carried and V3 says so.
- Lengths: V2 bounded no text; V3 bounds names (category, qualifier type: 128), language
  strings (1023) and the IEC 61360 ones (preferredName 255, shortName 18, definition 1023).
  A longer text is cut to the bound: ``v2:truncated`` (warning, a loss).
- Values of a valueType other than string (Property value, Range min and max, Qualifier
  value): XML Schema collapses white space for those types, so V2 accepted `` 3000.0 `` for
  a double; V3 does not. The white space around goes (``v2:whitespace-collapsed``, info); an
  empty value of such a type is no value and is left out (``v2:empty-dropped``). A value
  outside its type's lexical space (``1.5`` for an int) was no valid V2 either: it is carried
  as it is and V3's check reports it.
- ``kind`` of a Submodel is carried; V3 elements have none (their kind is the submodel's; an
  element whose kind differs from its submodel's is a loss).
- ``Asset`` -> the shell's ``assetInformation``: ``assetKind`` from the asset's ``kind``
  (``Instance`` when the asset is not in the model), ``globalAssetId`` from the asset's id.
  A reference without keys names the model's only Asset, when it has one (``v2:invented``).
  Everything else of the Asset is a loss, reported.
- ``ConceptDictionary`` and ``View`` are gone: their concept descriptions stay in the
  environment; each dictionary and view is reported with what it held.
- ``Qualifier``: ``valueType`` is required in V3 (``xs:string`` where V2 had none), and a
  non-empty ``type`` (``Unnamed`` where V2's was empty, ``v2:invented``);
  ``Formula`` has no V3 class (reported).
- ``category``: V3 allows only CONSTANT, PARAMETER, VARIABLE on data elements; another
  category there is a loss.
- valueType: ``string`` -> ``xs:string``; V2's XSD types V3 lacks become the nearest type
  whose lexical space holds theirs (reported as a warning).
- ``BasicEvent`` -> ``BasicEventElement`` with ``direction: output`` and ``state: off`` (V3
  requires both; V2 said neither).
- ``dataSpecificationIEC61360`` -> ``DataSpecificationIec61360``: ``valueList`` pairs lose
  their ``valueType``; ``levelType`` (a list) becomes the four booleans; the template's
  reference becomes the V3 one.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from typing import Any

from aas.findings import Finding, Location, Severity, escape_pointer_token
from aas.metamodel.patterns import ID_SHORT
from aas.versions import Version
from aas.wording import counted

#: The V3 reference of the IEC 61360 data specification template.
IEC61360_V3 = "https://admin-shell.io/DataSpecificationTemplates/DataSpecificationIec61360/3/0"

#: The language (BCP 47's "undetermined") of a language string whose V2 names none.
UNDETERMINED_LANGUAGE = "und"
_IDENTIFIABLE = ("AssetAdministrationShell", "Submodel", "ConceptDescription")
#: The class of each kind of identifiable ``has_id`` is asked about.
_LEFT_OUT_CLASS = {
    "shell": "AssetAdministrationShell",
    "submodel": "Submodel",
    "concept description": "ConceptDescription",
}
_KEY_RENAMED = {"BasicEvent": "BasicEventElement", "Event": "EventElement"}
_KEY_GONE = ("ConceptDictionary", "View", "AccessPermissionRule", "Asset")
_DATA_ELEMENTS = ("Property", "MultiLanguageProperty", "Range", "Blob", "File", "ReferenceElement")
_DATA_CATEGORIES = ("CONSTANT", "PARAMETER", "VARIABLE")

#: V3's value types (DataTypeDefXsd without the prefix), by their lower-case name.
XSD_TYPES = {
    name.lower(): name
    for name in [
        "anyURI",
        "base64Binary",
        "boolean",
        "byte",
        "date",
        "dateTime",
        "decimal",
        "double",
        "duration",
        "float",
        "gDay",
        "gMonth",
        "gMonthDay",
        "gYear",
        "gYearMonth",
        "hexBinary",
        "int",
        "integer",
        "long",
        "negativeInteger",
        "nonNegativeInteger",
        "nonPositiveInteger",
        "positiveInteger",
        "short",
        "string",
        "time",
        "unsignedByte",
        "unsignedInt",
        "unsignedLong",
        "unsignedShort",
    ]
}
#: V2 value types V3 lacks, and the V3 type whose lexical space holds theirs.
XSD_NEAREST = {
    "datetimestamp": "dateTime",
    "daytimeduration": "duration",
    "yearmonthduration": "duration",
    "anytype": "string",
    "anysimpletype": "string",
    "langstring": "string",
    "normalizedstring": "string",
    "token": "string",
    "language": "string",
    "name": "string",
    "ncname": "string",
    "nmtoken": "string",
    "nmtokens": "string",
    "id": "string",
    "idref": "string",
    "idrefs": "string",
    "entity": "string",
    "entities": "string",
    "qname": "string",
    "notation": "string",
    "anyatomictype": "string",
}
IEC_TYPES = [
    "DATE",
    "STRING",
    "STRING_TRANSLATABLE",
    "INTEGER_MEASURE",
    "INTEGER_COUNT",
    "INTEGER_CURRENCY",
    "REAL_MEASURE",
    "REAL_COUNT",
    "REAL_CURRENCY",
    "BOOLEAN",
    "IRI",
    "IRDI",
    "RATIONAL",
    "RATIONAL_MEASURE",
    "TIME",
    "TIMESTAMP",
    "FILE",
    "HTML",
    "BLOB",
]
#: V3's IEC 61360 data types that need a unit (AASc-3a-009), with the type a V2 concept
#: without a unit becomes.
_UNIT_TYPES = {
    "INTEGER_MEASURE": "INTEGER_COUNT",
    "INTEGER_CURRENCY": "INTEGER_COUNT",
    "REAL_MEASURE": "REAL_COUNT",
    "REAL_CURRENCY": "REAL_COUNT",
    "RATIONAL_MEASURE": "RATIONAL",
}


def _english(string: object) -> bool:
    """Whether a V3 language string is in English (``en`` or ``en-...``), as V3 asks."""
    language = string.get("language") if isinstance(string, dict) else None
    return isinstance(language, str) and language.lower().split("-")[0] == "en"


_ELEMENT_TYPES = (
    "Property",
    "MultiLanguageProperty",
    "Range",
    "Blob",
    "File",
    "ReferenceElement",
    "RelationshipElement",
    "AnnotatedRelationshipElement",
    "Capability",
    "Entity",
    "BasicEvent",
    "Operation",
    "SubmodelElementCollection",
)

#: What every V2 identifiable holds that the upgrade reads the same way for all of them.
_IDENTIFIABLE_KEYS = ("identification", "idShort", "category", "description", "administration")

Json = dict[str, Any]

#: The rules of losses (warnings); every other v2:* rule is an info about a choice.
_WARNINGS = (
    "v2:not-carried",
    "v2:value-type-changed",
    "v2:concept-dictionary",
    "v2:view",
    "v2:truncated",
)
#: V3's version and revision: digits without a leading zero, at most four characters.
_VERSION = re.compile(r"(0|[1-9][0-9]*)")
_VERSION_LENGTH = 4
#: The longest texts V3 allows where V2 set no bound (NameType, LangStringTextType and the
#: IEC 61360 language strings).
NAME_LENGTH = 128
TEXT_LENGTH = 1023
#: The name of the extension that keeps a V2 version or revision V3 refuses (plus the key).
_V2_EXTENSION = "AAS-V2-administration-"
#: The language (BCP 47's "undetermined") of a text V2 wrote without one.
_UNDETERMINED = "und"
_IEC_TEXT_LENGTHS = {"preferredName": 255, "shortName": 18, "definition": 1023}
#: The type of a qualifier that had none (V2 allowed an empty one).
_UNNAMED_QUALIFIER = "Unnamed"
#: XML Schema's white space characters: the types other than string collapse them.
_XSD_SPACE = " \t\r\n"


def upgrade_environment(v2: dict[str, object], target: Version) -> tuple[Json, list[Finding]]:
    """The V3 JSON Environment (of ``target``) of a V2.0.1 JSON Environment, and the findings
    of the upgrade, each located by a JSON pointer into ``v2``."""
    upgrade = _Upgrade(v2, target)
    return upgrade.environment(), upgrade.findings


def upgrade_with_origins(
    v2: dict[str, object], target: Version
) -> tuple[Json, list[Finding], dict[str, str]]:
    """:func:`upgrade_environment`, and where each V3 object came from: a map from the JSON
    pointer of each object of the V3 Environment the upgrade made from a V2 object (an
    identifiable, an element, a qualifier, an operation variable, a data specification) to
    the pointer of that V2 object."""
    upgrade = _Upgrade(v2, target)
    environment = upgrade.environment()
    origins: dict[str, str] = {}
    _walk_origins(environment, "", upgrade.origins, origins)
    return environment, upgrade.findings, origins


def _walk_origins(node: object, at: str, made: dict[int, str], into: dict[str, str]) -> None:
    if isinstance(node, dict):
        origin = made.get(id(node))
        if origin is not None:
            into[at] = origin
        for key, value in node.items():
            if isinstance(value, dict | list):
                _walk_origins(value, _at(at, key), made, into)
    elif isinstance(node, list):
        for index, item in enumerate(node):
            _walk_origins(item, _at(at, index), made, into)


def _at(base: str, *tokens: str | int) -> str:
    return base + "".join("/" + escape_pointer_token(str(token)) for token in tokens)


def _model_type(node: object) -> str | None:
    """The class a V2 object names: ``{"modelType": {"name": X}}`` (or a bare string)."""
    if not isinstance(node, dict):
        return None
    given = node.get("modelType")
    if isinstance(given, dict):
        name = given.get("name")
        return name if isinstance(name, str) else None
    return given if isinstance(given, str) else None


class _Upgrade:
    def __init__(self, v2: dict[str, object], target: Version) -> None:
        self.v2 = v2
        self.target = target
        self.findings: list[Finding] = []
        self.id_short = re.compile(ID_SHORT[target])
        self.concept_ids = {
            _identification(cd)
            for cd in _items(v2.get("conceptDescriptions"))
            if _identification(cd) is not None
        }
        self.assets: dict[str, tuple[Json, str]] = {}
        for index, asset in enumerate(_items(v2.get("assets"))):
            ident = _identification(asset)
            if ident is not None:
                self.assets[ident] = (asset, _at("", "assets", index))
        self.used_assets: set[str] = set()
        # (identifiable id, V2 idShorts from it) -> the V3 idShort, for fixing references.
        self.renamed: dict[tuple[str, tuple[str, ...]], str] = {}
        #: Each model reference made, with the pointer of the V2 reference.
        self.model_references: list[tuple[Json, str]] = []
        #: The idShorts of the identifiables left out for want of an id, by V3 class name.
        self.left_out: dict[str, list[str]] = {}
        #: id() of each V3 object made from a V2 object -> the V2 object's pointer.
        self.origins: dict[int, str] = {}

    def made(self, out: Json, at: str) -> Json:
        """``out`` came from the V2 object at ``at`` (for :func:`upgrade_with_origins`)."""
        self.origins[id(out)] = at
        return out

    # region findings

    def report(self, rule: str, message: str, at: str) -> None:
        severity = Severity.INFO
        if rule in _WARNINGS:
            severity = Severity.WARNING
        self.findings.append(Finding(severity, rule, message, Location(pointer=at)))

    def lost(self, what: str, at: str) -> None:
        self.report("v2:not-carried", f"V3 has no place for {what}; it is not carried", at)

    def leftovers(self, node: Json, known: Iterable[str], at: str, what: str) -> None:
        """Every key of ``node`` the upgrade did not read is a loss."""
        taken = {"modelType", *known}
        for key in node:
            if key not in taken:
                self.lost(f"the {what}'s {key!r}", _at(at, key))

    # endregion

    def environment(self) -> Json:
        v2 = self.v2
        env: Json = {}
        shells = [
            self.shell(shell, where)
            for index, shell in enumerate(_items(v2.get("assetAdministrationShells")))
            if self.has_id(shell, where := _at("", "assetAdministrationShells", index), "shell")
        ]
        submodels = [
            self.submodel(submodel, where)
            for index, submodel in enumerate(_items(v2.get("submodels")))
            if self.has_id(submodel, where := _at("", "submodels", index), "submodel")
        ]
        concepts = [
            self.concept_description(cd, where)
            for index, cd in enumerate(_items(v2.get("conceptDescriptions")))
            if self.has_id(
                cd, where := _at("", "conceptDescriptions", index), "concept description"
            )
        ]
        for ident, (_, at) in self.assets.items():
            if ident not in self.used_assets:
                self.lost(f"the Asset {ident!r}, which no shell names", at)
        self.leftovers(
            v2,
            ("assetAdministrationShells", "submodels", "conceptDescriptions", "assets"),
            "",
            "environment",
        )
        if shells:
            env["assetAdministrationShells"] = shells
        if submodels:
            env["submodels"] = submodels
        if concepts:
            env["conceptDescriptions"] = concepts
        self.fix_references()
        self.dangling(env)
        return env

    # region common attributes

    def referable(
        self, node: Json, out: Json, at: str, siblings: set[str] | None, fallback: str | None
    ) -> str | None:
        """idShort, category, description; the V2 idShort (for renames) is returned."""
        original = node.get("idShort")
        original = original if isinstance(original, str) and original else None
        id_short = self.new_id_short(original, at, siblings, fallback)
        if id_short is not None:
            out["idShort"] = id_short
        category = node.get("category")
        if isinstance(category, str) and category:
            out["category"] = self.bounded(category, NAME_LENGTH, _at(at, "category"), "category")
        elif category not in (None, ""):
            self.lost("a category that is no string", _at(at, "category"))
        description = self.lang_strings(node.get("description"), _at(at, "description"))
        if description:
            out["description"] = description
        return original

    def new_id_short(
        self, original: str | None, at: str, siblings: set[str] | None, fallback: str | None
    ) -> str | None:
        if original is None:
            if fallback is None:
                return None
            chosen = self.unique(fallback, siblings)
            self.report(
                "v2:invented-id-short",
                f"V3 requires an idShort here; {chosen!r} was chosen",
                _at(at, "idShort"),
            )
            return chosen
        chosen = original if len(original) <= 128 else original[:128]
        if not self.id_short.fullmatch(chosen):
            chosen = re.sub(r"[^A-Za-z0-9_]", "_", chosen)
            if not chosen[0].isalpha() or not chosen[0].isascii():
                chosen = "id_" + chosen
            if not self.id_short.fullmatch(chosen):  # V3.1: one letter
                chosen += "_"
        chosen = self.unique(chosen, siblings)
        if chosen != original:
            self.report(
                "v2:invented-id-short",
                f"the idShort {original!r} breaks V{self.target}'s rules (pattern, length or "
                f"uniqueness among siblings); {chosen!r} was chosen",
                _at(at, "idShort"),
            )
        return chosen

    @staticmethod
    def unique(name: str, siblings: set[str] | None) -> str:
        if siblings is None:
            return name
        chosen, number = name, 1
        while chosen in siblings:
            number += 1
            chosen = f"{name}_{number}"
        siblings.add(chosen)
        return chosen

    def bounded(self, text: str, limit: int, at: str, what: str) -> str:
        """``text`` cut to the ``limit`` characters V3 allows (V2 set none), reported."""
        if len(text) <= limit:
            return text
        self.report(
            "v2:truncated",
            f"V3 allows at most {limit} characters in a {what}; the {len(text)} characters "
            f"are cut after {limit} (the rest, {text[limit:][:40]!r}..., is not carried)",
            at,
        )
        return text[:limit]

    def lang_strings(self, value: object, at: str, limit: int = TEXT_LENGTH) -> list[Json]:
        """V2 langStrings (``[{language, text}]``, or ``{"langString": [...]}`` as some tools
        wrote them): the same shape in V3; an entry without text is dropped, reported; a
        text longer than V3 allows (``limit``) is cut, reported."""
        if value is None:
            return []
        if isinstance(value, dict) and "langString" in value:
            value, at = value["langString"], _at(at, "langString")
        if isinstance(value, dict) and "text" in value:
            # V1.0's JSON wrote an IEC 61360 preferred name as one {language, text} object.
            self.report(
                "v2:lang-string-set",
                "a single language string where V3 has a set of them: read as a set of one",
                at,
            )
            value = [value]
        elif isinstance(value, str) and value:
            # ... and a short name as a plain string, with no language at all.
            self.report(
                "v2:lang-string-set",
                f"the text {value[:40]!r} where V3 has a language string set: read as a set "
                f"of one string of the language {_UNDETERMINED!r} (undetermined)",
                at,
            )
            value = [{"language": _UNDETERMINED, "text": value}]
        if not isinstance(value, list):
            self.lost("a language string set that is no list", at)
            return []
        strings: list[Json] = []
        for index, item in enumerate(value):
            where = _at(at, index)
            if not isinstance(item, dict):
                self.lost("a language string that is no object", where)
                continue
            language, text = item.get("language"), item.get("text")
            if not isinstance(text, str) or not text:
                self.report(
                    "v2:empty-dropped",
                    "a language string without text is dropped (V3 requires text)",
                    where,
                )
                continue
            if not isinstance(language, str) or not language.strip():
                # V3 requires a language (a null one would fail the whole file, model:null);
                # the text is kept rather than lost, under "undetermined"
                self.report(
                    "v2:invented-language",
                    f"the language string {text[:40]!r} names no language (language="
                    f"{'absent' if 'language' not in item else repr(language)}); V3 requires "
                    f"one: {UNDETERMINED_LANGUAGE!r} (undetermined) was chosen",
                    where,
                )
                language = UNDETERMINED_LANGUAGE
            text = self.bounded(text, limit, _at(where, "text"), "language string")
            strings.append({"language": language, "text": text})
            self.leftovers(item, ("language", "text"), where, "language string")
        return strings

    def semantics(self, node: Json, out: Json, at: str) -> None:
        """semanticId, qualifiers and embedded data specifications."""
        semantic = self.reference(node.get("semanticId"), _at(at, "semanticId"), semantic=True)
        if semantic is not None:
            out["semanticId"] = semantic
        qualifiers = self.qualifiers(node.get("qualifiers"), _at(at, "qualifiers"))
        if qualifiers:
            out["qualifiers"] = qualifiers
        self.specifications(node, out, at)

    def administration(self, node: Json, out: Json, at: str) -> None:
        given = node.get("administration")
        if not isinstance(given, dict):
            return
        where = _at(at, "administration")
        administration = {
            key: given[key] for key in ("version", "revision") if given.get(key) not in (None, "")
        }
        # V2 allowed any text; V3 only digits. A version V3 refuses takes its revision
        # with it (AASd-005: no revision without a version).
        moved = [
            key
            for key in ("version", "revision")
            if key in administration
            and not (
                isinstance(administration[key], str)
                and len(administration[key]) <= _VERSION_LENGTH
                and _VERSION.fullmatch(administration[key])
            )
        ]
        if "version" in moved and "revision" in administration and "revision" not in moved:
            moved.append("revision")
        extensions: list[Json] = []
        for key in moved:
            text = administration.pop(key)
            text = text if isinstance(text, str) else json.dumps(text)
            extensions.append(
                {"name": f"{_V2_EXTENSION}{key}", "valueType": "xs:string", "value": text}
            )
            self.report(
                "v2:administration-moved",
                f"the {key} {text!r} is no V3 {key} (digits, no leading zero, at most "
                f"{_VERSION_LENGTH}); it is kept as the extension '{_V2_EXTENSION}{key}' of the "
                "identifiable",
                _at(where, key),
            )
        if extensions:
            out["extensions"] = extensions
        if administration:
            out["administration"] = administration
        self.leftovers(given, ("version", "revision"), where, "administration")

    def has_id(self, node: Json, at: str, what: str) -> bool:
        """Whether the V2 identifiable has an id. V3 has no identifiable without one (an empty
        id breaks its minimum length): one without is left out whole, and said so once,
        rather than written with an id V3 refuses."""
        if _identification(node) is not None:
            return True
        id_short = node.get("idShort")
        named = f" {id_short!r}" if isinstance(id_short, str) and id_short else ""
        self.left_out.setdefault(_LEFT_OUT_CLASS[what], []).append(named.strip())
        self.report(
            "v2:not-carried",
            f"the {what}{named} has no identification.id and V3 requires one: it is not "
            "carried, with everything in it",
            at,
        )
        return False

    def identifiable(self, model_type: str, node: Json, at: str) -> tuple[Json, str]:
        """The V3 object of an identifiable with what every identifiable has: its id, its
        referable attributes and its administration; and the id."""
        out: Json = self.made({"modelType": model_type}, at)
        # environment() passes only identifiables with an id (has_id)
        ident = _identification(node) or ""
        out["id"] = ident
        self.referable(node, out, at, None, None)
        self.administration(node, out, at)
        return out, ident

    def specifications(self, node: Json, out: Json, at: str) -> None:
        """The embedded data specifications of ``node``, where it has any."""
        specifications = self.data_specifications(
            node.get("embeddedDataSpecifications"), _at(at, "embeddedDataSpecifications")
        )
        if specifications:
            out["embeddedDataSpecifications"] = specifications

    # endregion

    # region identifiables

    def shell(self, node: Json, at: str) -> Json:
        out, ident = self.identifiable("AssetAdministrationShell", node, at)
        self.specifications(node, out, at)
        derived = self.reference(node.get("derivedFrom"), _at(at, "derivedFrom"))
        if derived is not None:
            out["derivedFrom"] = derived
        out["assetInformation"] = self.asset_information(node, at)
        submodels = [
            ref
            for index, item in enumerate(_items(node.get("submodels")))
            if (ref := self.reference(item, _at(at, "submodels", index))) is not None
        ]
        if submodels:
            out["submodels"] = submodels
        for index, dictionary in enumerate(_items(node.get("conceptDictionaries"))):
            where = _at(at, "conceptDictionaries", index)
            held = len(_items(dictionary.get("conceptDescriptions")))
            self.report(
                "v2:concept-dictionary",
                f"V3 has no ConceptDictionary: the dictionary {dictionary.get('idShort')!r} of "
                f"the shell {ident!r} and its {counted(held, 'reference')} to concept "
                "descriptions are not carried (the concept descriptions stay in the environment)",
                where,
            )
        for index, view in enumerate(_items(node.get("views"))):
            where = _at(at, "views", index)
            held = len(_items(view.get("containedElements")))
            self.report(
                "v2:view",
                f"V3 has no View: the view {view.get('idShort')!r} of the shell {ident!r} and "
                f"its {counted(held, 'reference')} to elements are not carried",
                where,
            )
        self.leftovers(
            node,
            [
                *_IDENTIFIABLE_KEYS,
                "derivedFrom",
                "asset",
                "assetInformation",
                "submodels",
                "conceptDictionaries",
                "views",
                "embeddedDataSpecifications",
            ],
            at,
            "shell",
        )
        return out

    def asset_information(self, shell: Json, at: str) -> Json:
        reference = shell.get("asset")
        where = _at(at, "asset")
        given = shell.get("assetInformation")
        if isinstance(given, dict) and reference is None:
            return self.pre_release_asset_information(given, _at(at, "assetInformation"))
        if given is not None:
            self.lost(
                "the shell's 'assetInformation' beside its asset", _at(at, "assetInformation")
            )
        embedded = reference.get("identification") if isinstance(reference, dict) else None
        if isinstance(reference, dict) and "keys" not in reference and isinstance(embedded, dict):
            # BaSyx Java 1.x's JSON writes the Asset itself where V2 has a reference to it.
            asset_id = embedded.get("id")
            if isinstance(asset_id, str) and asset_id:
                self.report(
                    "v2:reference-changed",
                    f"the shell holds the Asset {asset_id!r} itself, not a reference to it: "
                    "it is read as the shell's asset",
                    where,
                )
                self.assets.setdefault(asset_id, (reference, where))
                reference = {"keys": [{"type": "Asset", "value": asset_id}]}
        keys = _items(reference.get("keys")) if isinstance(reference, dict) else []
        asset_id = keys[-1].get("value") if keys else None
        if not keys and len(_items(self.v2.get("assets"))) == 1 and len(self.assets) == 1:
            # V1.0 vendor files write <assetRef><keys/></assetRef> beside their one Asset:
            # that asset is the shell's (V3 needs a global asset id, AASd-131).
            asset_id = next(iter(self.assets))
            self.report(
                "v2:invented",
                f"the shell's asset reference has no keys; the model's only Asset, "
                f"{asset_id!r}, was taken as its asset",
                where,
            )
        if not isinstance(asset_id, str) or not asset_id:
            self.lost("a shell without an asset (V3 needs a global asset id)", where)
            return {"assetKind": "Instance"}
        information: Json = {"assetKind": "Instance", "globalAssetId": asset_id}
        found = self.assets.get(asset_id)
        if found is None:
            self.report(
                "v2:invented",
                f"the asset {asset_id!r} is not in the model: its kind is taken as Instance",
                where,
            )
            return information
        asset, asset_at = found
        # Several shells may name one asset (BaSyx Java's test model does): what the asset
        # loses is reported once, by the first of them.
        first_use = asset_id not in self.used_assets
        self.used_assets.add(asset_id)
        kind = asset.get("kind")
        if kind in ("Type", "Instance"):
            information["assetKind"] = kind
        elif kind is not None and first_use:
            self.lost(f"the asset kind {kind!r}", _at(asset_at, "kind"))
        for key in asset if first_use else ():
            if key not in ("identification", "kind", "modelType"):
                self.lost(
                    f"the Asset's {key!r} (V3 keeps only the asset's id and kind)",
                    _at(asset_at, key),
                )
        return information

    def pre_release_asset_information(self, given: Json, at: str) -> Json:
        """The ``assetInformation`` of V3.0's release candidate, which some V2-shaped files
        hold instead of V2's asset reference (BaSyx Python's test files of that time): its
        kind, its global asset id (a reference there, a string in V3) and its external asset
        ids (V3's specific asset ids); the rest is reported as not carried."""
        self.report(
            "v2:pre-release-asset-information",
            "the shell holds a V3.0 release candidate's assetInformation instead of a V2 "
            "asset reference; it is read as V3's",
            at,
        )
        information: Json = {"assetKind": "Instance"}
        kind = given.get("assetKind")
        if kind in ("Type", "Instance"):
            information["assetKind"] = kind
        elif kind is not None:
            self.lost(f"the asset kind {kind!r}", _at(at, "assetKind"))
        global_id = given.get("globalAssetId")
        keys = _items(global_id.get("keys")) if isinstance(global_id, dict) else []
        value = keys[-1].get("value") if keys else global_id
        if isinstance(value, str) and value:
            information["globalAssetId"] = value
        specific: list[Json] = []
        for index, item in enumerate(_items(given.get("externalAssetIds"))):
            where = _at(at, "externalAssetIds", index)
            name, text = item.get("key"), item.get("value")
            if not (isinstance(name, str) and name and isinstance(text, str) and text):
                self.lost("an external asset id without key or value", where)
                continue
            entry: Json = {"name": name, "value": text}
            subject = self.reference(item.get("subjectId"), _at(where, "subjectId"))
            if subject is not None:
                entry["externalSubjectId"] = subject
            specific.append(entry)
            self.leftovers(item, ("key", "value", "subjectId"), where, "external asset id")
        if specific:
            information["specificAssetIds"] = specific
        self.leftovers(
            given,
            ("assetKind", "globalAssetId", "externalAssetIds"),
            at,
            "asset information",
        )
        return information

    def submodel(self, node: Json, at: str) -> Json:
        out, ident = self.identifiable("Submodel", node, at)
        kind = node.get("kind")
        if kind in ("Template", "Instance"):
            out["kind"] = kind
        elif kind is not None:
            self.lost(f"the kind {kind!r}", _at(at, "kind"))
        self.semantics(node, out, at)
        elements = self.elements(
            node.get("submodelElements"),
            _at(at, "submodelElements"),
            (ident, ()),
            kind if isinstance(kind, str) else "Instance",
        )
        if elements:
            out["submodelElements"] = elements
        self.leftovers(
            node,
            [
                *_IDENTIFIABLE_KEYS,
                "kind",
                "semanticId",
                "qualifiers",
                "embeddedDataSpecifications",
                "submodelElements",
            ],
            at,
            "submodel",
        )
        return out

    def concept_description(self, node: Json, at: str) -> Json:
        out, _ = self.identifiable("ConceptDescription", node, at)
        self.specifications(node, out, at)
        if node.get("category") == "DOCUMENT":
            self.document_data_type(out, at)
        self.iec61360_repairs(out, node.get("category"), at)
        cases = [
            ref
            for index, item in enumerate(_items(node.get("isCaseOf")))
            if (ref := self.reference(item, _at(at, "isCaseOf", index), semantic=True))
        ]
        if cases:
            out["isCaseOf"] = cases
        self.leftovers(
            node,
            [
                *_IDENTIFIABLE_KEYS,
                "isCaseOf",
                "embeddedDataSpecifications",
            ],
            at,
            "concept description",
        )
        return out

    # endregion

    # region submodel elements

    def elements(
        self, value: object, at: str, path: tuple[str, tuple[str, ...]], kind: str
    ) -> list[Json]:
        if value is None:
            return []
        if not isinstance(value, list):
            self.lost("a list of submodel elements that is no list", at)
            return []
        siblings: set[str] = set()
        result: list[Json] = []
        for index, item in enumerate(value):
            where = _at(at, index)
            # Some V2 writers wrapped each element: {"submodelElement": {...}}.
            if isinstance(item, dict) and set(item) == {"submodelElement"}:
                item, where = item["submodelElement"], _at(where, "submodelElement")
            element = self.element(item, where, siblings, index, path, kind)
            if element is not None:
                result.append(element)
        return result

    def element(
        self,
        node: object,
        at: str,
        siblings: set[str],
        index: int,
        path: tuple[str, tuple[str, ...]],
        kind: str,
    ) -> Json | None:
        name = _model_type(node)
        if not isinstance(node, dict) or name not in _ELEMENT_TYPES:
            self.lost(f"a submodel element of the unknown class {name!r}", at)
            return None
        v3_name = "BasicEventElement" if name == "BasicEvent" else name
        out: Json = self.made({"modelType": v3_name}, at)
        original = self.referable(node, out, at, siblings, f"{v3_name}{index}")
        if original is not None and out.get("idShort") != original:
            self.renamed[(path[0], (*path[1], original))] = out["idShort"]
        inner = (path[0], (*path[1], original or out.get("idShort", "")))
        if name in _DATA_ELEMENTS and out.get("category") not in (None, *_DATA_CATEGORIES):
            self.lost(
                f"the category {out.pop('category')!r} (V3 allows CONSTANT, PARAMETER and "
                "VARIABLE on data elements)",
                _at(at, "category"),
            )
        element_kind = node.get("kind")
        if element_kind is not None and element_kind != kind:
            self.lost(f"the kind {element_kind!r} of an element in a {kind} submodel", at)
        self.semantics(node, out, at)
        known = [
            "idShort",
            "category",
            "description",
            "kind",
            "semanticId",
            "qualifiers",
            "embeddedDataSpecifications",
        ]
        known += _ELEMENT_PARTS[name](self, node, out, at, inner, kind)
        self.leftovers(node, known, at, name)
        return out

    def value_type(self, node: Json, out: Json, at: str, key: str = "valueType") -> None:
        given = node.get(key)
        where = _at(at, key)
        if isinstance(given, dict):  # {"dataObjectType": {"name": "string"}}
            inner = given.get("dataObjectType")
            given = inner.get("name") if isinstance(inner, dict) else None
            where = _at(where, "dataObjectType", "name")
        if not isinstance(given, str) or not given:
            out[key] = "xs:string"
            self.report("v2:invented", "V3 requires a valueType; xs:string was chosen", where)
            return
        bare = given.removeprefix("xs:").lower()
        if bare in XSD_TYPES:
            out[key] = "xs:" + XSD_TYPES[bare]
            return
        nearest = XSD_NEAREST.get(bare, "string")
        out[key] = "xs:" + nearest
        self.report(
            "v2:value-type-changed",
            f"V3 has no value type {given!r}; xs:{nearest} was chosen (the value is kept)",
            where,
        )

    def text_value(self, node: Json, out: Json, at: str, key: str, to: str | None = None) -> None:
        """A value kept as it is written; JSON numbers and booleans (some V2 writers) as the
        JSON text of the value."""
        given = node.get(key)
        if given is None:
            return
        if not isinstance(given, str):
            self.report(
                "v2:invented",
                f"the value {given!r} is no string; it is kept as the text {json.dumps(given)}",
                _at(at, key),
            )
            given = json.dumps(given)
        out[to or key] = given

    def typed_value(self, node: Json, out: Json, at: str, key: str) -> None:
        """A value of ``out``'s valueType: XML Schema collapses the white space around the
        value of every type but string (and those made from it), so V2 allowed it there and
        V3 does not: it goes (``v2:whitespace-collapsed``). An empty value of such a type is
        no value: it is left out (``v2:empty-dropped``); V3's value is optional."""
        self.text_value(node, out, at, key)
        given = out.get(key)
        if not isinstance(given, str) or out.get("valueType") == "xs:string":
            return
        collapsed = given.strip(_XSD_SPACE)
        if not collapsed:
            del out[key]
            self.report(
                "v2:empty-dropped",
                f"an empty {key} of the type {out.get('valueType')} is no value; it is left out",
                _at(at, key),
            )
        elif collapsed != given:
            out[key] = collapsed
            self.report(
                "v2:whitespace-collapsed",
                f"the white space around the {key} {given!r} ({out.get('valueType')}, which "
                "collapses it in V2's XML Schema types) is left out: V3 refuses it",
                _at(at, key),
            )

    def reference_value(self, node: Json, out: Json, at: str, key: str, **how: bool) -> None:
        ref = self.reference(node.get(key), _at(at, key), **how)
        if ref is not None:
            out[key] = ref

    def qualifiers(self, value: object, at: str) -> list[Json]:
        result: list[Json] = []
        for index, item in enumerate(_items(value)):
            where = _at(at, index)
            name = _model_type(item)
            if name == "Formula":
                held = len(_items(item.get("dependsOn")))
                self.lost(f"a Formula (with {counted(held, 'dependsOn reference')})", where)
                continue
            out: Json = self.made({}, where)
            type_ = item.get("type")
            if isinstance(type_, str) and type_:
                out["type"] = self.bounded(type_, NAME_LENGTH, _at(where, "type"), "qualifier type")
            else:
                out["type"] = _UNNAMED_QUALIFIER
                self.report(
                    "v2:invented",
                    f"V3 requires a qualifier type; {_UNNAMED_QUALIFIER!r} was chosen",
                    _at(where, "type"),
                )
            self.value_type(item, out, where)
            self.typed_value(item, out, where, "value")
            self.reference_value(item, out, where, "valueId", semantic=True)
            self.reference_value(item, out, where, "semanticId", semantic=True)
            self.leftovers(
                item, ("type", "valueType", "value", "valueId", "semanticId"), where, "qualifier"
            )
            result.append(out)
        return result

    # endregion

    # region references

    def reference(self, value: object, at: str, semantic: bool = False) -> Json | None:
        if value is None:
            return None
        keys = value.get("keys") if isinstance(value, dict) else None
        if not isinstance(keys, list) or not keys:
            self.report("v2:empty-dropped", "a reference without keys is dropped", at)
            return None
        if isinstance(value, dict):
            self.leftovers(value, ("keys",), at, "reference")
        pairs: list[tuple[str, str]] = []
        for index, key in enumerate(keys):
            where = _at(at, "keys", index)
            if not isinstance(key, dict):
                self.lost("a key that is no object", where)
                continue
            type_, text = key.get("type"), key.get("value")
            pairs.append(
                (type_ if isinstance(type_, str) else "", text if isinstance(text, str) else "")
            )
            self.leftovers(key, ("type", "value", "local", "idType"), where, "key")
        if not pairs:
            return None
        starts = [i for i, (type_, _) in enumerate(pairs) if type_ in _IDENTIFIABLE]
        first = pairs[0][0]
        if starts and first in (*_IDENTIFIABLE, "ConceptDictionary", "View"):
            begin = starts[-1]
            single = semantic and len(pairs) == 1 and first == "ConceptDescription"
            if single and pairs[0][1] not in self.concept_ids:
                return self.external(pairs, at, "the concept description is not in the model")
            if begin:
                self.report(
                    "v2:reference-changed",
                    "V3 model references start at the identifiable that holds the element: "
                    f"the first {counted(begin, 'key')} {'is' if begin == 1 else 'are'} left out",
                    at,
                )
            model_keys: list[Json] = []
            for offset, (type_, text) in enumerate(pairs[begin:]):
                if type_ in _KEY_GONE:
                    self.lost(
                        f"the {type_} key {text!r} of a reference", _at(at, "keys", begin + offset)
                    )
                    continue
                model_keys.append({"type": _KEY_RENAMED.get(type_, type_), "value": text})
            reference = {"type": "ModelReference", "keys": model_keys}
            self.model_references.append((reference, at))
            return reference
        why = {
            "GlobalReference": None,
            "FragmentReference": None,
            "Asset": "V3 has no Asset: the asset's id is a global id",
        }.get(first, f"the reference starts at no identifiable (at a {first} key)")
        return self.external(pairs, at, why)

    def external(self, pairs: list[tuple[str, str]], at: str, why: str | None) -> Json:
        last = len(pairs) - 1
        keys = [
            {
                "type": "FragmentReference"
                if type_ == "FragmentReference" and index == last and index
                else "GlobalReference",
                "value": text,
            }
            for index, (type_, text) in enumerate(pairs)
        ]
        if why is not None:
            self.report("v2:reference-changed", f"an ExternalReference of global keys: {why}", at)
        return {"type": "ExternalReference", "keys": keys}

    def dangling(self, env: Json) -> None:
        """Each model reference that may name an identifiable left out for want of an id:
        its first key is of that class and names no identifiable the model carries. The
        reference is kept as it was (V3 allows references to what is not in the model, and
        which one it named cannot be told) and reported at its V2 place."""
        if not self.left_out:
            return
        carried = {
            item.get("id")
            for key in ("assetAdministrationShells", "submodels", "conceptDescriptions")
            for item in _items(env.get(key))
        }
        for reference, at in self.model_references:
            keys = reference["keys"]
            if not keys or keys[0]["type"] not in self.left_out or keys[0]["value"] in carried:
                continue
            kind = keys[0]["type"]
            names = ", ".join(name or "(no idShort)" for name in self.left_out[kind])
            self.report(
                "v2:dangling-reference",
                f"the reference names the {kind} {keys[0]['value']!r}, which is not in the "
                f"model; the upgrade left out {counted(len(self.left_out[kind]), kind)} without an "
                f"id ({names}), which it may have named: it is kept as it was",
                at,
            )

    def fix_references(self) -> None:
        """Model references that name an idShort the upgrade changed name the new one."""
        if not self.renamed:
            return
        for reference, _ in self.model_references:
            keys = reference["keys"]
            if not keys:
                continue
            root = keys[0]["value"]
            chain: tuple[str, ...] = ()
            for key in keys[1:]:
                chain = (*chain, key["value"])
                new = self.renamed.get((root, chain))
                if new is not None:
                    key["value"] = new

    # endregion

    # region data specifications

    def data_specifications(self, value: object, at: str) -> list[Json]:
        result: list[Json] = []
        for index, item in enumerate(_items(value)):
            where = _at(at, index)
            content = item.get("dataSpecificationContent")
            if not isinstance(content, dict) or "preferredName" not in content:
                self.lost("a data specification other than IEC 61360", where)
                continue
            iec = self.iec61360(content, _at(where, "dataSpecificationContent"))
            reference = item.get("dataSpecification")
            keys = _items(reference.get("keys")) if isinstance(reference, dict) else []
            given = keys[0].get("value") if keys else None
            if given != IEC61360_V3:
                self.report(
                    "v2:reference-changed",
                    f"the IEC 61360 template {given!r} is V3's {IEC61360_V3!r}",
                    _at(where, "dataSpecification"),
                )
            result.append(
                {
                    "dataSpecification": {
                        "type": "ExternalReference",
                        "keys": [{"type": "GlobalReference", "value": IEC61360_V3}],
                    },
                    "dataSpecificationContent": iec,
                }
            )
            self.leftovers(
                item, ("dataSpecification", "dataSpecificationContent"), where, "data specification"
            )
        return result

    def iec61360(self, node: Json, at: str) -> Json:
        out: Json = self.made({"modelType": "DataSpecificationIec61360"}, at)
        for key in ("preferredName", "shortName", "definition"):
            strings = self.lang_strings(node.get(key), _at(at, key), _IEC_TEXT_LENGTHS[key])
            if strings:
                out[key] = strings
        if "preferredName" not in out:
            out["preferredName"] = [{"language": "en", "text": "-"}]
            self.report("v2:invented", "V3 requires a preferredName; '-' (en) was chosen", at)
        for key in ("unit", "sourceOfDefinition", "symbol", "valueFormat", "value"):
            given = node.get(key)
            if isinstance(given, str) and given:
                out[key] = given
        source = node.get("sourceOfDefinition")
        if isinstance(source, list | dict):
            self.source_of_definition(source, out, _at(at, "sourceOfDefinition"))
        self.reference_value(node, out, at, "unitId", semantic=True)
        data_type = node.get("dataType")
        if data_type == "URL":
            out["dataType"] = "IRI"
            self.report(
                "v2:reference-changed", "the data type URL is V3's IRI", _at(at, "dataType")
            )
        elif data_type in IEC_TYPES:
            out["dataType"] = data_type
        elif data_type not in (None, ""):
            self.lost(f"the data type {data_type!r}", _at(at, "dataType"))
        if node.get("valueId") is not None:
            self.lost("the valueId of IEC 61360 content", _at(at, "valueId"))
        value_list = node.get("valueList")
        if isinstance(value_list, dict):
            pairs = self.value_list(value_list, _at(at, "valueList"))
            if pairs:
                out["valueList"] = {"valueReferencePairs": pairs}
        if "value" in out and "valueList" in out:
            # V2.0.1 allowed both; V3 one of them (AASc-3a-010): the list says more.
            self.lost(
                f"the value {out.pop('value')!r} beside a value list (V3 allows one of them, "
                "AASc-3a-010)",
                _at(at, "value"),
            )
        levels = node.get("levelType")
        if isinstance(levels, list) and levels:
            names = {str(level).lower() for level in levels}
            out["levelType"] = {level: level in names for level in ("min", "nom", "typ", "max")}
            for index, level in enumerate(levels):
                if str(level).lower() not in ("min", "nom", "typ", "max"):
                    self.lost(f"the level type {level!r}", _at(at, "levelType", index))
        self.leftovers(
            node,
            [
                "preferredName",
                "shortName",
                "definition",
                "unit",
                "unitId",
                "sourceOfDefinition",
                "symbol",
                "dataType",
                "valueFormat",
                "valueList",
                "value",
                "valueId",
                "levelType",
            ],
            at,
            "IEC 61360 content",
        )
        return out

    def document_data_type(self, out: Json, at: str) -> None:
        """V2.0.1 wanted STRING or URL as the IEC 61360 data type of a DOCUMENT concept
        (AASd-072), V3 one of FILE, BLOB and HTML (AASc-3a-006): FILE is chosen, the V2 data
        type naming where the document is, as a File does."""
        for item in _items(out.get("embeddedDataSpecifications")):
            content = item.get("dataSpecificationContent")
            if not isinstance(content, dict) or content.get("dataType") not in ("STRING", "IRI"):
                continue
            where = self.origins.get(id(content), at)
            self.report(
                "v2:invented",
                "V3 wants FILE, BLOB or HTML as the data type of a DOCUMENT concept "
                "(AASc-3a-006), V2.0.1 STRING or URL (AASd-072): FILE was chosen for "
                f"{'URL' if content['dataType'] == 'IRI' else content['dataType']}",
                _at(where, "dataType"),
            )
            content["dataType"] = "FILE"

    def iec61360_repairs(self, out: Json, category: object, at: str) -> None:
        """Make IEC 61360 content that was valid V2.0.1 valid V3 where V3 added a rule V2 did
        not have, by the least invention (each reported as ``v2:invented`` at the V2 place):

        - a REFERENCE concept's data type other than STRING, IRI or IRDI (AASc-3a-005; V2's
          AASd-071 named STRING the default) becomes STRING;
        - a measure or currency without unit and unitId (AASc-3a-009, new in V3) becomes the
          count of its kind (INTEGER_/REAL_COUNT, RATIONAL): a number without a unit is what a
          count is in V3, and no unit is guessed;
        - a VALUE concept with neither definition in English nor value (V2's AASd-074 excepted
          the category VALUE, V3's AASc-3a-008 only content holding a value) takes its English
          preferred names as its definition: the one text V2 required that says what it is.
        """
        for item in _items(out.get("embeddedDataSpecifications")):
            content = item.get("dataSpecificationContent")
            if not isinstance(content, dict):
                continue
            where = self.origins.get(id(content), at)
            data_type = content.get("dataType")
            if category == "REFERENCE" and data_type not in (None, "STRING", "IRI", "IRDI"):
                content["dataType"] = "STRING"
                self.report(
                    "v2:invented",
                    f"V3 wants STRING, IRI or IRDI as the data type of a REFERENCE concept "
                    f"(AASc-3a-005), V2.0.1 had no such rule: STRING (V2's default, AASd-071) "
                    f"was chosen for {data_type}",
                    _at(where, "dataType"),
                )
            elif (
                data_type in _UNIT_TYPES
                and not content.get("unit")
                and content.get("unitId") is None
            ):
                content["dataType"] = _UNIT_TYPES[data_type]
                self.report(
                    "v2:invented",
                    f"V3 wants a unit or unitId for the data type {data_type} (AASc-3a-009), "
                    f"V2.0.1 had no such rule and the concept names none: "
                    f"{_UNIT_TYPES[data_type]} was chosen",
                    _at(where, "dataType"),
                )
            if category == "VALUE" and "value" not in content:
                names = [s for s in content.get("preferredName", []) if _english(s)]
                if names and not any(_english(s) for s in content.get("definition", [])):
                    content.setdefault("definition", []).extend(dict(s) for s in names)
                    self.report(
                        "v2:invented",
                        "V3 wants a definition in English of a concept that holds no value "
                        "(AASc-3a-008), V2.0.1 excepted the category VALUE: the English "
                        "preferred name was taken as its definition",
                        _at(where, "definition"),
                    )

    def source_of_definition(self, given: object, out: Json, at: str) -> None:
        """V1.0's sourceOfDefinition, a language string set, as V3's string: the English
        text, else the first; the others are losses."""
        strings = self.lang_strings(given, at)
        if not strings:
            return
        chosen = next(
            (s for s in strings if str(s["language"]).lower().split("-")[0] == "en"), strings[0]
        )
        out["sourceOfDefinition"] = chosen["text"]
        for item in strings:
            if item is not chosen:
                self.lost(
                    f"the sourceOfDefinition {item['text'][:40]!r} ({item['language']}): V3's is "
                    f"one string, the {chosen['language']} text was taken",
                    at,
                )

    def value_list(self, node: Json, at: str) -> list[Json]:
        pairs: list[Json] = []
        items = node.get("valueReferencePairTypes")
        for index, pair in enumerate(_items(items)):
            where = _at(at, "valueReferencePairTypes", index)
            out: Json = {"value": pair.get("value") if isinstance(pair.get("value"), str) else ""}
            self.reference_value(pair, out, where, "valueId", semantic=True)
            if "valueId" not in out and self.target is Version.V3_0:
                out["valueId"] = {
                    "type": "ExternalReference",
                    "keys": [{"type": "GlobalReference", "value": out["value"] or "-"}],
                }
                self.report("v2:invented", "V3.0 requires a valueId; the value was chosen", where)
            if pair.get("valueType") is not None:
                self.lost("the valueType of a value list entry", _at(where, "valueType"))
            self.leftovers(pair, ("value", "valueId", "valueType"), where, "value list entry")
            pairs.append(out)
        self.leftovers(node, ("valueReferencePairTypes",), at, "value list")
        return pairs

    # endregion


# region the parts of each element class

Part = Callable[[_Upgrade, Json, Json, str, tuple[str, tuple[str, ...]], str], list[str]]


def _property(u: _Upgrade, node: Json, out: Json, at: str, path: Any, kind: str) -> list[str]:
    u.value_type(node, out, at)
    u.typed_value(node, out, at, "value")
    u.reference_value(node, out, at, "valueId", semantic=True)
    return ["valueType", "value", "valueId"]


def _multi_language(u: _Upgrade, node: Json, out: Json, at: str, path: Any, kind: str) -> list[str]:
    strings = u.lang_strings(node.get("value"), _at(at, "value"))
    if strings:
        out["value"] = strings
    u.reference_value(node, out, at, "valueId", semantic=True)
    return ["value", "valueId"]


def _range(u: _Upgrade, node: Json, out: Json, at: str, path: Any, kind: str) -> list[str]:
    u.value_type(node, out, at)
    u.typed_value(node, out, at, "min")
    u.typed_value(node, out, at, "max")
    return ["valueType", "min", "max"]


def _file(u: _Upgrade, node: Json, out: Json, at: str, path: Any, kind: str) -> list[str]:
    mime = node.get("mimeType")
    if isinstance(mime, str) and mime:
        out["contentType"] = mime
    elif u.target is Version.V3_0:
        out["contentType"] = "application/octet-stream"
        u.report(
            "v2:invented",
            "V3.0 requires a content type; application/octet-stream was chosen",
            _at(at, "mimeType"),
        )
    value = node.get("value")
    if isinstance(value, str) and value:
        out["value"] = value
    return ["mimeType", "value"]


def _reference_element(
    u: _Upgrade, node: Json, out: Json, at: str, path: Any, kind: str
) -> list[str]:
    u.reference_value(node, out, at, "value")
    return ["value"]


def _relationship(u: _Upgrade, node: Json, out: Json, at: str, path: Any, kind: str) -> list[str]:
    u.reference_value(node, out, at, "first")
    u.reference_value(node, out, at, "second")
    known = ["first", "second"]
    if _model_type(node) == "AnnotatedRelationshipElement":
        annotations: list[Json] = []
        siblings: set[str] = set()
        for index, item in enumerate(_items(node.get("annotation") or node.get("annotations"))):
            where = _at(at, "annotation" if "annotation" in node else "annotations", index)
            if "keys" in item:  # some V2 writers held references here
                u.lost("an annotation that is a reference, not a data element", where)
                continue
            element = u.element(item, where, siblings, index, path, kind)
            if element is not None:
                annotations.append(element)
        if annotations:
            out["annotations"] = annotations
        known += ["annotation", "annotations"]
    return known


def _capability(u: _Upgrade, node: Json, out: Json, at: str, path: Any, kind: str) -> list[str]:
    return []


def _entity(u: _Upgrade, node: Json, out: Json, at: str, path: Any, kind: str) -> list[str]:
    statements = u.elements(node.get("statements"), _at(at, "statements"), path, kind)
    if statements:
        out["statements"] = statements
    entity_type = node.get("entityType")
    asset = node.get("asset")
    keys = _items(asset.get("keys")) if isinstance(asset, dict) else []
    asset_id = keys[-1].get("value") if keys else None
    if entity_type in ("CoManagedEntity", "SelfManagedEntity"):
        out["entityType"] = entity_type
    else:
        out["entityType"] = "SelfManagedEntity" if asset_id else "CoManagedEntity"
        u.report(
            "v2:invented",
            f"the entity type {entity_type!r} is none of V3's; {out['entityType']} was chosen",
            _at(at, "entityType"),
        )
    if isinstance(asset_id, str) and asset_id:
        if out["entityType"] == "SelfManagedEntity":
            out["globalAssetId"] = asset_id
        else:
            u.lost("the asset of a co-managed entity", _at(at, "asset"))
    return ["statements", "entityType", "asset"]


def _event(u: _Upgrade, node: Json, out: Json, at: str, path: Any, kind: str) -> list[str]:
    observed = u.reference(node.get("observed"), _at(at, "observed"))
    if observed is not None and observed["type"] != "ModelReference":
        u.lost("an observed reference that names no element of a model", _at(at, "observed"))
        observed = None
    if observed is not None:
        out["observed"] = observed
    out["direction"], out["state"] = "output", "off"
    u.report(
        "v2:invented",
        "V3 requires a direction and a state of an event; output and off were chosen",
        at,
    )
    return ["observed"]


def _operation(u: _Upgrade, node: Json, out: Json, at: str, path: Any, kind: str) -> list[str]:
    siblings: set[str] = set()  # V3: idShorts unique across all variables of an operation
    for old, new in (
        ("inputVariable", "inputVariables"),
        ("outputVariable", "outputVariables"),
        ("inoutputVariable", "inoutputVariables"),
    ):
        variables: list[Json] = []
        for index, variable in enumerate(_items(node.get(old))):
            where = _at(at, old, index)
            value = variable.get("value")
            # V2 (AASd-008) made the values of operation variables templates: no loss.
            element = u.element(value, _at(where, "value"), siblings, index, path, "Template")
            if element is not None:
                variables.append(u.made({"value": element}, where))
            u.leftovers(variable, ("value",), where, "operation variable")
        if variables:
            out[new] = variables
    return ["inputVariable", "outputVariable", "inoutputVariable"]


def _collection(u: _Upgrade, node: Json, out: Json, at: str, path: Any, kind: str) -> list[str]:
    elements = u.elements(node.get("value"), _at(at, "value"), path, kind)
    if elements:
        out["value"] = elements
    for flag in ("ordered", "allowDuplicates"):
        if node.get(flag) is True:
            u.lost(f"{flag}=true of a collection (V3 collections are neither)", _at(at, flag))
    return ["value", "ordered", "allowDuplicates"]


_ELEMENT_PARTS: dict[str, Part] = {
    "Property": _property,
    "MultiLanguageProperty": _multi_language,
    "Range": _range,
    "Blob": _file,
    "File": _file,
    "ReferenceElement": _reference_element,
    "RelationshipElement": _relationship,
    "AnnotatedRelationshipElement": _relationship,
    "Capability": _capability,
    "Entity": _entity,
    "BasicEvent": _event,
    "Operation": _operation,
    "SubmodelElementCollection": _collection,
}

# endregion


def _items(value: object) -> list[Json]:
    """The objects of a V2 list (anything else: none)."""
    if not isinstance(value, list):
        return []
    return [item for item in value if isinstance(item, dict)]


def _identification(node: object) -> str | None:
    if not isinstance(node, dict):
        return None
    identification = node.get("identification")
    if isinstance(identification, dict):
        ident = identification.get("id")
        return ident if isinstance(ident, str) and ident else None
    return None
