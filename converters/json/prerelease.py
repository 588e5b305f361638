"""The JSON of the drafts of V3.0 (V3.0RC01, V3.0RC02), read as V3.0.

Before V3.0 was published, its release candidates had a JSON serialisation of their own: the
BaSyx Python SDK, the AASX Package Explorer and the specification's schemas of 2020-2022 wrote
it. JSON names no version, so such a document is told by its shape (:func:`is_pre_release`):

- V3.0RC01 kept V2.0's ``identification {idType, id}`` and ``modelType {"name": ...}``, but the
  shell holds an ``assetInformation`` (V2 a reference to an ``Asset``) and keys carry no
  ``local`` (every V2 key has one);
- V3.0RC02 has V3.0's ``id`` and ``modelType`` strings, but a global reference is typed
  ``GlobalReference`` (V3.0: ``ExternalReference``), and ``globalAssetId`` is a reference
  (V3.0: an identifier).

:func:`upgrade` rewrites the parsed document, in place, into V3.0 JSON, which is then read as
any V3.0 document. Each kind of difference met is one warning (its rule id, how often, the
JSON pointer of the first), named as the XML reader names the same difference
(``converters/xml/prerelease.py``); every lexical value stays as it was, and what V3.0 has no
place for is named, never dropped in silence. :class:`Upgraded` keeps where each renamed
property was, so findings on the V3.0 document are located in the original text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from aas.findings import Finding, Location, Severity, escape_pointer_token
from aas.wording import counted

from ..v2.detect import is_v2_json

# region telling the drafts' JSON by its shape (cheap: a few literal look-ups in the head)

#: A reference typed as the drafts typed a global one (V3.0 calls it ExternalReference): the
#: literal followed by the reference's other members (keys, referredSemanticId). In V3.0 the
#: literal is a key type only, followed by the key's value.
_REFERENCE_MEMBER_FOLLOWS = re.compile(rb'\s*,\s*"(?:keys|referredSemanticId)"')
_GLOBAL = b'"GlobalReference"'
_TYPE_BEFORE = re.compile(rb'"type"\s*:\s*$')
_IDENTIFICATION = b'"identification"'
_OBJECT_FOLLOWS = re.compile(rb"\s*:\s*\{")


def is_pre_release(head: bytes, v2_shape: bool | None = None) -> bool:
    """Whether JSON text (its start) is of a draft's shape. ``v2_shape``: whether the text is
    of V2's shape, if the caller already knows (RC01 is of that shape too)."""
    if v2_shape is None:
        v2_shape = is_v2_json(head)
    if v2_shape:
        # RC01, not V2: identifiables with an identification, and the shell's
        # assetInformation or keys without V2's ``local``
        start = head.find(_IDENTIFICATION)
        if start < 0 or not _OBJECT_FOLLOWS.match(head, start + len(_IDENTIFICATION)):
            return False
        return b'"assetInformation"' in head or (b'"keys"' in head and b'"local"' not in head)
    start = head.find(_GLOBAL)
    while start >= 0:
        if _REFERENCE_MEMBER_FOLLOWS.match(head, start + len(_GLOBAL)) and _TYPE_BEFORE.search(
            head, max(start - 24, 0), start
        ):
            return True
        start = head.find(_GLOBAL, start + 1)
    return False


# endregion

# region what each difference is called, and what it says

_SAYS = {
    "json:pre-release-shape": (
        "the document is of the JSON shape of a draft of V3.0 (V3.0RC01/RC02) and is read as V3.0"
    ),
    "json:pre-release-identification": (
        "identification {idType, id} is read as V3.0's id; the idType is not carried over"
    ),
    "json:pre-release-model-type": (
        'modelType {"name": ...} is read as V3.0\'s modelType string (and left out where '
        "V3.0 has none: Qualifier, OperationVariable, value list entries)"
    ),
    "json:pre-release-key": "a key's idType and local are not carried over (V3.0 has neither)",
    "json:pre-release-key-type": (
        "a key type V3.0 does not have (Asset, ConceptDictionary, View, ...) is read as "
        "GlobalReference"
    ),
    "json:pre-release-reference-type": (
        "a reference is given V3.0's type: ExternalReference for the drafts' GlobalReference "
        "(or when its first key is a global one), else ModelReference"
    ),
    "json:pre-release-lang-string": (
        "a displayName written as one string is read as V3.0's language-tagged strings, with "
        "an empty language (which the constraints then report)"
    ),
    "json:pre-release-value-type": (
        "a value type spelt as the drafts spelt it (without the xs: prefix, or in another "
        "case) is read as V3.0's literal (double as xs:double)"
    ),
    "json:pre-release-kind": (
        "kind on a submodel element is not carried over (V3.0 has it on Submodel only)"
    ),
    "json:pre-release-data-specification": (
        "embedded data specifications of the drafts (hasDataSpecification, content without "
        "modelType, DataSpecificationIEC61360) are read as V3.0's"
    ),
    "json:pre-release-global-asset-id": (
        "a globalAssetId (or an Entity's asset) written as a reference is read as V3.0's "
        "identifier, the value of its last key"
    ),
    "json:pre-release-specific-asset-id": (
        "the drafts' specific asset ids (externalAssetIds, IdentifierKeyValuePair key/subjectId, "
        "an Entity's single specificAssetId) are read as V3.0's specificAssetIds "
        "(name, value, externalSubjectId)"
    ),
    "json:pre-release-thumbnail": (
        "an asset's thumbnail written as a File is read as V3.0's defaultThumbnail "
        "(path, contentType)"
    ),
    "json:pre-release-operation-variable": (
        "inputVariable/outputVariable/inoutputVariable are read as V3.0's "
        "inputVariables/outputVariables/inoutputVariables"
    ),
    "json:pre-release-data-type": "the IEC 61360 data type URL is read as V3.0's IRI",
    "json:pre-release-mime-type": "mimeType is read as V3.0's contentType",
    "json:pre-release-level-type": (
        "the IEC 61360 levelType, a list of Min/Nom/Typ/Max, is read as V3.0's four booleans"
    ),
    "json:pre-release-value-reference-pairs": (
        "valueList/valueReferencePairTypes is read as V3.0's valueList/valueReferencePairs; "
        "an entry's valueType is not carried over"
    ),
    "json:pre-release-event": (
        "a BasicEventElement without direction or state (RC01 had neither; V3.0 requires both) "
        "is given output and off"
    ),
    "json:pre-release-dropped": "a property V3.0 has no place for is not carried over",
    "json:pre-release-empty-list": (
        "an empty list is left out (V3.0 has a list at least one item long or none)"
    ),
}

#: The rule ids of what rewriting met (their pointers are the original's already).
RULES = frozenset(_SAYS)

# endregion

#: Key types of the drafts that V3.0 does not have; their keys name something outside the
#: model (an Asset is no identifiable of V3.0), which V3.0 calls a global reference.
_KEY_TYPE_GONE = frozenset({"Asset", "ConceptDictionary", "View", "AccessPermissionRule"})
_EXTERNAL_KEY_TYPES = frozenset({"GlobalReference", "FragmentReference"})
#: The classes whose ``kind`` V3.0 keeps: Submodel (ModellingKind); Qualifier's is its own.
_KIND_KEPT = frozenset({"Submodel"})
#: Classes V3.0 serialises without a modelType (the drafts gave some one).
_NO_MODEL_TYPE = frozenset({"Qualifier", "OperationVariable", "ValueReferencePair"})
_GONE_ANYWHERE = frozenset({"checksum", "ordered", "allowDuplicates", "security"})
_GONE_IN_ENVIRONMENT = frozenset({"assets", "conceptDictionaries", "dataSpecifications"})
_GONE_IN_SHELL = frozenset({"views", "conceptDictionaries", "asset"})
_OPERATION_VARIABLES = {
    "inputVariable": "inputVariables",
    "outputVariable": "outputVariables",
    "inoutputVariable": "inoutputVariables",
}
_LEVELS = ("min", "nom", "typ", "max")
_LANG_STRING_LISTS = frozenset(
    {"displayName", "description", "preferredName", "shortName", "definition", "value"}
)


@cache
def _value_types() -> dict[str, str]:
    """V3.0's value type literals by their lower-case name without ``xs:`` (the drafts wrote
    ``double``, ``anyUri``, RC02 ``xs:NonNegativeInteger``)."""
    import aas_core3.types as t30

    return {item.value[3:].lower(): item.value for item in t30.DataTypeDefXSD}


@dataclass
class _Seen:
    at: str
    count: int = 0
    names: list[str] = field(default_factory=list)


@dataclass
class Upgraded:
    """What rewriting met: the findings, and the original pointer of each renamed property."""

    findings: list[Finding]
    renamed: dict[str, str]

    def original(self, at: str) -> str:
        """The pointer in the original text of ``at`` (a pointer into the rewritten tree)."""
        if not self.renamed:
            return at
        probe = at
        while probe:
            if probe in self.renamed:
                return self.renamed[probe] + at[len(probe) :]
            probe = probe.rpartition("/")[0]
        return at


class _Rewrite:
    def __init__(self) -> None:
        self.seen: dict[str, _Seen] = {}
        self.renamed: dict[str, str] = {}

    def note(self, rule: str, at: str, name: str | None = None) -> None:
        seen = self.seen.setdefault(rule, _Seen(at))
        seen.count += 1
        if name is not None and name not in seen.names:
            seen.names.append(name)

    def rename(
        self, node: dict[str, object], old_key: str, new_key: str, old: str, new: str
    ) -> None:
        """``node[old_key]`` as ``node[new_key]``, remembering where it was."""
        node[new_key] = node.pop(old_key)
        self.renamed[_at(new, new_key)] = _at(old, old_key)

    def drop(self, node: dict[str, object], key: str, old: str) -> None:
        node.pop(key, None)
        self.note("json:pre-release-dropped", _at(old, key), key)

    def findings(self, source: str | None) -> list[Finding]:
        found = []
        for rule, seen in self.seen.items():
            named = f" ({', '.join(seen.names[:8])})" if seen.names else ""
            times = f"{counted(seen.count, 'time')}, first at {seen.at or '/'}"
            found.append(
                Finding(
                    Severity.WARNING,
                    rule,
                    f"{_SAYS[rule]}{named}: {times}",
                    Location(file=source, pointer=seen.at),
                )
            )
        return found

    # region the walk

    def walk(self, node: object, old: str, new: str, holder: str | None) -> None:
        """Rewrite ``node`` (at ``old`` in the original, ``new`` in the rewritten tree), which
        the property ``holder`` holds (directly, or as an item of its list)."""
        if isinstance(node, list):
            for index, item in enumerate(node):
                child = _at(new, index)
                self.walk(item, self.renamed.get(child, _at(old, index)), child, holder)
            return
        if not isinstance(node, dict):
            return
        self.rewrite_object(node, old, new, holder)
        for key, value in node.items():
            if isinstance(value, dict | list):
                child = _at(new, key)
                self.walk(value, self.renamed.get(child, _at(old, key)), child, key)

    def rewrite_object(
        self, node: dict[str, object], old: str, new: str, holder: str | None
    ) -> None:
        def rename(old_key: str, new_key: str) -> None:
            self.rename(node, old_key, new_key, old, new)

        identification = node.get("identification")
        if isinstance(identification, dict) and "id" not in node:
            node.pop("identification")
            node["id"] = identification.get("id")
            self.renamed[_at(new, "id")] = _at(old, "identification", "id")
            self.note("json:pre-release-identification", _at(old, "identification"))
        model_type = node.get("modelType")
        if isinstance(model_type, dict):
            model_type = model_type.get("name")
            node["modelType"] = model_type
            self.note("json:pre-release-model-type", _at(old, "modelType"))
        if model_type in _NO_MODEL_TYPE or (holder == "qualifiers" and "modelType" in node):
            node.pop("modelType")
            self.note("json:pre-release-model-type", _at(old, "modelType"))
            model_type = None
        if model_type == "DataSpecificationIEC61360":
            node["modelType"] = model_type = "DataSpecificationIec61360"
            self.note("json:pre-release-data-specification", _at(old, "modelType"))
        for key in _GONE_ANYWHERE & node.keys():
            self.drop(node, key, old)
        if holder is None:
            for key in _GONE_IN_ENVIRONMENT & node.keys():
                self.drop(node, key, old)
        if model_type == "AssetAdministrationShell":
            for key in _GONE_IN_SHELL & node.keys():
                self.drop(node, key, old)
        if isinstance(node.get("keys"), list):
            self.reference(node, old, new)
        element = isinstance(model_type, str) and model_type not in _KIND_KEPT
        if "kind" in node and element and holder != "qualifiers":
            node.pop("kind")
            self.note("json:pre-release-kind", _at(old, "kind"))
        if isinstance(node.get("displayName"), str):
            node["displayName"] = [{"language": "", "text": node["displayName"]}]
            self.note("json:pre-release-lang-string", _at(old, "displayName"))
        for key in ("valueType", "valueTypeListElement"):
            self.value_type(node, key, old)
        if "mimeType" in node and "contentType" not in node:
            rename("mimeType", "contentType")
            self.note("json:pre-release-mime-type", _at(old, "mimeType"))
        for old_key, new_key in _OPERATION_VARIABLES.items():
            if old_key in node and new_key not in node:
                rename(old_key, new_key)
                self.note("json:pre-release-operation-variable", _at(old, old_key), old_key)
        self.asset_ids(node, old, new, holder, model_type)
        if model_type == "BasicEventElement":
            self.event(node, old)
        if holder == "embeddedDataSpecifications":
            self.embedded(node, old, new)
        elif holder == "dataSpecificationContent":
            self.iec61360(node, old, new)
        elif model_type is not None and "dataSpecifications" in node:
            # RC02's references to data specifications, whose content lay elsewhere
            self.drop(node, "dataSpecifications", old)
        # The drafts wrote empty lists (BaSyx of that time: "submodels": []); V3.0 has a list
        # with items or none. Empty keys stay: a reference without keys is an error to report.
        for key in [key for key, value in node.items() if value == [] and key != "keys"]:
            node.pop(key)
            where = self.renamed.get(_at(new, key), _at(old, key))
            self.note("json:pre-release-empty-list", where, key)

    def reference(self, node: dict[str, object], old: str, new: str) -> None:
        keys = node["keys"]
        assert isinstance(keys, list)
        first: str | None = None
        for index, key in enumerate(keys):
            if not isinstance(key, dict):
                continue
            where = _at(old, "keys", index)
            if "idType" in key or "local" in key:
                key.pop("idType", None)
                key.pop("local", None)
                self.note("json:pre-release-key", where)
            kind = key.get("type")
            if kind in _KEY_TYPE_GONE:
                self.note("json:pre-release-key-type", _at(where, "type"), str(kind))
                key["type"] = kind = "GlobalReference"
            if first is None and isinstance(kind, str):
                first = kind
        declared = node.get("type")
        if declared == "GlobalReference":
            node["type"] = "ExternalReference"
            self.note("json:pre-release-reference-type", _at(old, "type"))
        elif declared is None:
            external = first is None or first in _EXTERNAL_KEY_TYPES
            node["type"] = "ExternalReference" if external else "ModelReference"
            self.note("json:pre-release-reference-type", old)

    def value_type(self, node: dict[str, object], key: str, old: str) -> None:
        given = node.get(key)
        if not isinstance(given, str):
            return
        name = given[3:] if given.startswith("xs:") else given
        known = _value_types().get(name.lower())
        if known is not None and known != given:
            node[key] = known
            self.note("json:pre-release-value-type", _at(old, key), given)

    def asset_ids(
        self,
        node: dict[str, object],
        old: str,
        new: str,
        holder: str | None,
        model_type: object,
    ) -> None:
        """globalAssetId as a reference; the drafts' specific asset ids; RC01's thumbnail."""
        is_asset_information = holder == "assetInformation"
        if not (is_asset_information or model_type == "Entity"):
            return
        reference = node.get("globalAssetId")
        if isinstance(reference, dict):
            node["globalAssetId"] = _last_key_value(reference)
            self.note("json:pre-release-global-asset-id", _at(old, "globalAssetId"))
        if model_type == "Entity" and isinstance(node.get("asset"), dict):
            # V2's and RC01's Entity named its asset by a reference (V3.0: globalAssetId)
            reference = node.pop("asset")
            assert isinstance(reference, dict)
            if "globalAssetId" not in node:
                node["globalAssetId"] = _last_key_value(reference)
                self.renamed[_at(new, "globalAssetId")] = _at(old, "asset")
            self.note("json:pre-release-global-asset-id", _at(old, "asset"), "asset")
        single = node.get("specificAssetId")
        if model_type == "Entity" and isinstance(single, dict):
            node.pop("specificAssetId")
            node.setdefault("specificAssetIds", [single])
            self.renamed[_at(new, "specificAssetIds", 0)] = _at(old, "specificAssetId")
            self.note("json:pre-release-specific-asset-id", _at(old, "specificAssetId"))
        if "externalAssetIds" in node and "specificAssetIds" not in node:
            self.rename(node, "externalAssetIds", "specificAssetIds", old, new)
            self.note("json:pre-release-specific-asset-id", _at(old, "externalAssetIds"))
        for index, pair in enumerate(_list(node.get("specificAssetIds"))):
            if isinstance(pair, dict):
                at = _at(new, "specificAssetIds", index)
                self.specific_asset_id(pair, Upgraded([], self.renamed).original(at), at)
        thumbnail = node.get("thumbnail")
        if is_asset_information and isinstance(thumbnail, dict):
            node.pop("thumbnail")
            if "defaultThumbnail" not in node:
                made: dict[str, object] = {"path": thumbnail.get("value")}
                content_type = thumbnail.get("mimeType", thumbnail.get("contentType"))
                if content_type is not None:
                    made["contentType"] = content_type
                node["defaultThumbnail"] = made
                self.renamed[_at(new, "defaultThumbnail", "path")] = _at(old, "thumbnail", "value")
            self.note("json:pre-release-thumbnail", _at(old, "thumbnail"))
        if is_asset_information and "billOfMaterial" in node:
            self.drop(node, "billOfMaterial", old)

    def specific_asset_id(self, pair: dict[str, object], old: str, new: str) -> None:
        """RC01's IdentifierKeyValuePair (key, value, subjectId) -> SpecificAssetId (name,
        value, externalSubjectId)."""
        changed = False
        for was, now in (("key", "name"), ("subjectId", "externalSubjectId")):
            if was in pair and now not in pair:
                self.rename(pair, was, now, old, new)
                changed = True
        if changed:
            self.note("json:pre-release-specific-asset-id", old)

    def event(self, node: dict[str, object], old: str) -> None:
        """RC01's BasicEventElement had neither direction nor state, which V3.0 requires:
        an event sent out (output) and off, as the V2 upgrade chooses."""
        for key, chosen in (("direction", "output"), ("state", "off")):
            if key not in node:
                node[key] = chosen
                self.note("json:pre-release-event", old, f"{key}={chosen}")

    def embedded(self, node: dict[str, object], old: str, new: str) -> None:
        if "hasDataSpecification" in node and "dataSpecification" not in node:
            self.rename(node, "hasDataSpecification", "dataSpecification", old, new)
            self.note("json:pre-release-data-specification", _at(old, "hasDataSpecification"))
        content = node.get("dataSpecificationContent")
        if isinstance(content, dict) and "modelType" not in content:
            # the drafts' content named no class; V3.0 has IEC 61360's only
            content["modelType"] = "DataSpecificationIec61360"
            self.note("json:pre-release-data-specification", _at(old, "dataSpecificationContent"))

    def iec61360(self, node: dict[str, object], old: str, new: str) -> None:
        if node.get("dataType") == "URL":
            node["dataType"] = "IRI"
            self.note("json:pre-release-data-type", _at(old, "dataType"))
        levels = node.get("levelType")
        if isinstance(levels, list):
            names = {str(level).lower() for level in levels}
            node["levelType"] = {level: level in names for level in _LEVELS}
            self.note("json:pre-release-level-type", _at(old, "levelType"))
            for index, level in enumerate(levels):
                if str(level).lower() not in _LEVELS:
                    self.note("json:pre-release-dropped", _at(old, "levelType", index), str(level))
        elif isinstance(levels, str):  # one level, written as a string
            node["levelType"] = {level: level == levels.lower() for level in _LEVELS}
            self.note("json:pre-release-level-type", _at(old, "levelType"))
        value_list = node.get("valueList")
        if isinstance(value_list, dict) and "valueReferencePairTypes" in value_list:
            pairs = value_list.pop("valueReferencePairTypes")
            value_list.setdefault("valueReferencePairs", pairs)
            self.renamed[_at(new, "valueList", "valueReferencePairs")] = _at(
                old, "valueList", "valueReferencePairTypes"
            )
            self.note(
                "json:pre-release-value-reference-pairs",
                _at(old, "valueList", "valueReferencePairTypes"),
            )
            for index, pair in enumerate(_list(pairs)):
                if isinstance(pair, dict) and "valueType" in pair:
                    pair.pop("valueType")
                    self.note(
                        "json:pre-release-value-reference-pairs",
                        _at(old, "valueList", "valueReferencePairTypes", index, "valueType"),
                    )

    # endregion


def upgrade(document: dict[str, object], source: str | None) -> Upgraded:
    """Rewrite a parsed draft JSON document into V3.0 JSON, in place."""
    rewrite = _Rewrite()
    rewrite.note("json:pre-release-shape", "")
    rewrite.walk(document, "", "", None)
    return Upgraded(rewrite.findings(source), rewrite.renamed)


def _at(base: str, *tokens: str | int) -> str:
    return base + "".join(f"/{escape_pointer_token(str(token))}" for token in tokens)


def _list(value: object) -> list[object]:
    return value if isinstance(value, list) else []


def _last_key_value(reference: dict[str, object]) -> object:
    """The identifier a reference names: the value of its last key (None without keys)."""
    keys = [key for key in _list(reference.get("keys")) if isinstance(key, dict)]
    return keys[-1].get("value") if keys else None
