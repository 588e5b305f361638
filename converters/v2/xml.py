"""AAS V2.0.1 XML (and V1.0, which has the same shape) read into the V2 JSON form.

The result is what ``json.loads`` gives for the V2.0.1 JSON serialisation of the same model, so
that one upgrade (``converters.v2.build``) serves both serialisations. The two differ in a few
ways, each bridged here:

- XML wraps what JSON lists: ``submodelRefs/submodelRef`` is ``submodels``,
  ``submodelElements/submodelElement/property`` is ``submodelElements[i]`` with
  ``modelType: {"name": "Property"}``, ``qualifier/qualifier|formula`` is ``qualifiers``;
- a reference is ``<x><keys><key type= local= idType=>value</key></keys></x>`` in XML and
  ``{"keys": [{"type", "local", "value", "idType"}]}`` in JSON (``local`` a JSON boolean);
- ``identification idType=`` is ``{"id", "idType"}``; a language string
  ``<langString lang=>`` is ``{"language", "text"}``; ``valueType`` text is
  ``{"dataObjectType": {"name": text}}``; an IEC 61360 ``valueList`` of
  ``valueReferencePair`` elements is ``{"valueReferencePairTypes": [...]}``.

Every value keeps its lexical form (text is taken as it stands), but for the layout some
files wrap their texts in: a text that starts or ends with a line break and indentation
(``<idShort>\n\t\tMotor\n\t</idShort>``, as the Package Explorer's V2.0 samples are written)
is trimmed of it, and that is reported once per document (``v2xml:layout-trimmed``). The
schema's ``xs:string`` would keep that white space, but no V2 tool meant it: kept, it makes an
idShort break its pattern and a reference miss the id it names, whose text is indented to
another depth. White space without a line break stays as it is. Only the
three booleans (``local``, ``ordered``, ``allowDuplicates``) change type, and a text that is
no ``xs:boolean`` stays a string and is reported. What the reader has no place for (an element
the V2 serialisation does not define where it stands, an attribute, the security part) is a
finding with its line, never dropped in silence. ``locate`` maps a JSON pointer into the
result back to the element it was read from.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TypeAlias

from lxml import etree

from aas.codec import ReadContext
from aas.errors import ReadError
from aas.findings import Finding, Location, Severity, pointer
from aas.limits import Limits
from aas.model import Model
from aas.versions import Version
from aas.wording import counted
from aas.xmlsafe import parse_xml

from .upgrade import UNDETERMINED_LANGUAGE

#: The namespaces of the older XML serialisations, and the version each names.
AAS_NAMESPACES: dict[str, str] = {
    "http://www.admin-shell.io/aas/2/0": "2.0",
    "http://www.admin-shell.io/aas/1/0": "1.0",
}
#: The other namespaces of those serialisations: IEC 61360 content, the abstract types and
#: access control (security).
_COMPANION_NAMESPACES = frozenset(
    {
        "http://www.admin-shell.io/IEC61360/2/0",
        "http://www.admin-shell.io/IEC61360/1/0",
        "http://www.admin-shell.io/aas/abstract/2/0",
        "http://www.admin-shell.io/aas/abac/2/0",
        "http://www.admin-shell.io/aas_common/2/0",
        "http://www.admin-shell.io/aas/abstract/1/0",
        "http://www.admin-shell.io/aas/abac/1/0",
    }
)
_XSI = "http://www.w3.org/2001/XMLSchema-instance"
#: The version an older model is upgraded to when the caller names none: the current one.
DEFAULT_TARGET = Version.V3_1

V2: TypeAlias = dict[str, object]
Tokens: TypeAlias = tuple[str | int, ...]
Locate: TypeAlias = Callable[[Location], Location]


def old_version_of_namespace(namespace: str | None) -> str | None:
    """The version ("2.0" or "1.0") of the namespace of an older AAS XML root, else None (cheap: the
    V3 reader asks it once, of the root's namespace)."""
    return AAS_NAMESPACES.get(namespace) if namespace else None


def read_v2_xml(data: bytes, source: str | None) -> tuple[V2, Locate, list[Finding]]:
    """The V2 JSON form of a V2.0.1 (or V1.0) XML document, a ``locate`` that maps a JSON
    pointer into that form to the element's XPath and line, and what reading noticed.

    Parsed without entities, DTDs or network (:mod:`aas.xmlsafe`); a document that is not
    well-formed, or whose root is no ``aasenv`` of an older namespace, is a ReadError."""
    return read_v2_tree(parse_xml(data, source, Limits.from_environment()), source)


def read_v2_tree(root: etree._Element, source: str | None) -> tuple[V2, Locate, list[Finding]]:
    """:func:`read_v2_xml` for a document already parsed (its root element)."""
    namespace, localname = _split(root)
    if old_version_of_namespace(namespace) is None:
        raise ReadError(
            f"the root element's namespace {namespace!r} is no AAS V2.0 or V1.0 namespace",
            Location(file=source, line=root.sourceline),
            rule="xml:namespace",
        )
    if localname != "aasenv":
        raise ReadError(
            f"the root element <{localname}> is no AAS V2 environment (aasenv)",
            Location(file=source, xpath=f"/aas:{localname}", line=root.sourceline),
            rule="model:model-type",
        )
    reader = _Reader(source, old_version_of_namespace(namespace) or "2.0")
    environment = reader.read_object(root, (), _ENVIRONMENT)
    reader.report_trimmed()
    for key in _ENVIRONMENT_LISTS:
        environment.setdefault(key, [])
    return environment, reader.locate, reader.findings


# region the reader


Read: TypeAlias = "Callable[[_Reader, etree._Element, Tokens], object]"


@dataclass(frozen=True)
class _Field:
    """Where a child element goes in the JSON object of its parent."""

    key: str
    read: Read
    #: The element may repeat: each one is an item of a list.
    many: bool = False
    #: The element (it may repeat) holds a list: its items join one list.
    extend: bool = False


@dataclass(frozen=True)
class _Class:
    """A V2 class as XML writes it: its JSON ``modelType`` name (None for the structures that
    have none) and its child elements."""

    model_type: str | None
    fields: dict[str, _Field]
    #: Attributes it may carry (attribute name to JSON key).
    attributes: dict[str, str] = field(default_factory=dict)


class _Reader:
    def __init__(self, source: str | None, version: str = "2.0") -> None:
        self.source = source
        #: "2.0" or "1.0": the few places where V1.0's schema differs ask it.
        self.version = version
        self.findings: list[Finding] = []
        self.positions: dict[Tokens, etree._Element] = {}
        #: How many texts had their layout trimmed, and the first element that had.
        self.trimmed = 0
        self.first_trimmed: etree._Element | None = None

    # -- locating

    def locate(self, location: Location) -> Location:
        """The element the pointer of ``location`` was read from (the deepest one that has
        a place in the XML), by XPath and line; a location without a pointer is returned as
        it is."""
        if location.pointer is None:
            return location
        tokens = _tokens(location.pointer)
        while tokens and tokens not in self.positions:
            tokens = tokens[:-1]
        element = self.positions.get(tokens)
        if element is None:
            return location
        return replace(
            location,
            file=location.file or self.source,
            pointer=None,
            xpath=xpath_of(element),
            line=element.sourceline,
            column=None,
        )

    def where(self, element: etree._Element) -> Location:
        return Location(file=self.source, xpath=xpath_of(element), line=element.sourceline)

    def notice(self, rule: str, message: str, element: etree._Element) -> None:
        self.findings.append(Finding.of(rule, message, self.where(element)))

    def unknown(self, element: etree._Element, parent: etree._Element, why: str = "") -> None:
        name = _shown(element)
        self.notice(
            "v2xml:unknown-element",
            f"<{name}> has no place in <{_shown(parent)}> in the AAS V2 XML serialisation"
            f"{why}; it is not read",
            element,
        )

    def content(self, element: etree._Element, text: str | None = None) -> str:
        """The element's text (or ``text``, read from it), without the line breaks and
        indentation that wrap it (see the module's docstring); each trim is counted."""
        raw = element.text if text is None else text
        if not raw:
            return ""
        head = raw[: len(raw) - len(raw.lstrip())]
        tail = raw[len(raw.rstrip()) :]
        if "\n" not in head and "\r" not in head and "\n" not in tail and "\r" not in tail:
            return raw
        self.trimmed += 1
        if self.first_trimmed is None:
            self.first_trimmed = element
        return raw.strip()

    def report_trimmed(self) -> None:
        """One finding for every text whose layout was trimmed (there may be thousands)."""
        if self.first_trimmed is None:
            return
        self.notice(
            "v2xml:layout-trimmed",
            f"{counted(self.trimmed, 'text')} wrapped in line breaks and indentation (a layout, "
            f"not content) {'is' if self.trimmed == 1 else 'are'} read without them, first here",
            self.first_trimmed,
        )

    # -- the kinds of content

    def children(self, element: etree._Element) -> list[etree._Element]:
        """The child elements; comments and processing instructions are reported as the V3
        reader reports them."""
        found: list[etree._Element] = []
        for child in element:
            if isinstance(child.tag, str):
                found.append(child)
            else:
                what = "comment" if isinstance(child, etree._Comment) else "pi"
                label = "comment" if what == "comment" else "processing instruction"
                self.findings.append(
                    Finding(
                        Severity.INFO,
                        f"xml:{what}-dropped",
                        f"an XML {label} is not part of the model and is not carried over",
                        Location(file=self.source, line=child.sourceline),
                    )
                )
        return found

    def text(self, element: etree._Element, tokens: Tokens) -> str:
        self.positions[tokens] = element
        self.check_attributes(element, {})
        for child in self.children(element):
            self.unknown(child, element, " (the element holds a text)")
        return self.content(element)

    def boolean(self, element: etree._Element, tokens: Tokens) -> object:
        return self.to_boolean(self.text(element, tokens), element)

    def to_boolean(self, text: str, element: etree._Element) -> object:
        value = _BOOLEANS.get(text.strip())
        if value is None:
            self.notice(
                "v2xml:not-boolean",
                f"{text!r} in <{_shown(element)}> is no xs:boolean; it is kept as it stands",
                element,
            )
            return text
        return value

    def check_attributes(self, element: etree._Element, known: dict[str, str]) -> None:
        for name in element.attrib:
            if name in known or name.startswith("{" + _XSI + "}"):
                continue  # xsi: attributes are hints for validators, never model content
            self.notice(
                "v2xml:unknown-attribute",
                f"the attribute {name}={element.attrib[name]!r} has no place on "
                f"<{_shown(element)}> in the AAS V2 XML serialisation; it is not read",
                element,
            )

    def read_object(self, element: etree._Element, tokens: Tokens, spec: _Class) -> V2:
        self.positions[tokens] = element
        result: V2 = {}
        if spec.model_type is not None:
            result["modelType"] = {"name": spec.model_type}
        self.check_attributes(element, spec.attributes)
        for attribute, key in spec.attributes.items():
            if attribute in element.attrib:
                result[key] = element.attrib[attribute]
        for child in self.children(element):
            namespace, localname = _split(child)
            known = spec.fields.get(localname)
            if known is None or not _is_ours(namespace):
                self.unknown(child, element)
                continue
            if known.many or known.extend:
                items = result.setdefault(known.key, [])
                assert isinstance(items, list)
                value = known.read(self, child, (*tokens, known.key, len(items)))
                if known.extend and isinstance(value, list):
                    items.extend(value)
                elif known.many and value is not None:
                    items.append(value)
                continue
            if known.key in result:
                self.unknown(child, element, " more than once (the first is read)")
                continue
            value = known.read(self, child, (*tokens, known.key))
            if value is not None:  # None: reported as not read
                result[known.key] = value
        return result

    def reference(self, element: etree._Element, tokens: Tokens) -> V2:
        """``<x><keys><key .../></keys></x>``; several ``keys`` join one list."""
        self.positions[tokens] = element
        self.check_attributes(element, {})
        keys: list[object] = []
        for child in self.children(element):
            namespace, localname = _split(child)
            if localname != "keys" or not _is_ours(namespace):
                self.unknown(child, element)
                continue
            self.positions[(*tokens, "keys")] = child
            for key in self.children(child):
                if _split(key)[1] != "key":
                    self.unknown(key, child)
                    continue
                keys.append(self.key(key, (*tokens, "keys", len(keys))))
        return {"keys": keys}

    def key(self, element: etree._Element, tokens: Tokens) -> V2:
        self.positions[tokens] = element
        self.check_attributes(element, {"type": "", "local": "", "idType": ""})
        for child in self.children(element):
            self.unknown(child, element, " (a key holds a text)")
        result: V2 = {}
        if "type" in element.attrib:
            result["type"] = element.attrib["type"]
        if "local" in element.attrib:
            result["local"] = self.to_boolean(element.attrib["local"], element)
        result["value"] = self.content(element)
        if "idType" in element.attrib:
            result["idType"] = element.attrib["idType"]
        return result

    def lang_strings(self, element: etree._Element, tokens: Tokens) -> object:
        """``<langString lang=>`` children as ``{"language", "text"}``; an element that holds
        a bare text instead (V1.0 wrote some IEC 61360 names so) keeps it as a string."""
        self.positions[tokens] = element
        self.check_attributes(element, {})
        children = self.children(element)
        if not children and (element.text or "").strip():
            self.positions[(*tokens, 0)] = element
            if self.version == "1.0" and _split(element)[1] == "shortName":
                # V1.0's IEC 61360 schema types the short name as a plain string.
                self.notice(
                    "v2:invented-language",
                    f"<{_shown(element)}> is a plain string in V1.0, a language string set in "
                    f"V3: {UNDETERMINED_LANGUAGE!r} (undetermined) was chosen as its language",
                    element,
                )
                return [{"language": UNDETERMINED_LANGUAGE, "text": self.content(element)}]
            # BaSyx Java (1.x) writes a description, a short name or a multi-language value
            # as bare text; the schema wants langString elements. The text is kept as one
            # string of an undetermined language rather than lost.
            self.notice(
                "v2xml:text-as-lang-string",
                f"<{_shown(element)}> holds a text where the AAS V2 XML serialisation has "
                f"langString elements; it is read as one string of the language "
                f"{UNDETERMINED_LANGUAGE!r} (undetermined)",
                element,
            )
            return [{"language": UNDETERMINED_LANGUAGE, "text": self.content(element)}]
        strings: list[object] = []
        for child in children:
            if _split(child)[1] != "langString":
                self.unknown(child, element)
                continue
            item_tokens = (*tokens, len(strings))
            self.positions[item_tokens] = child
            self.check_attributes(child, {"lang": ""})
            for grandchild in self.children(child):
                self.unknown(grandchild, child, " (a language string holds a text)")
            language = self.language(child)
            item: V2 = {"text": self.content(child)}
            if language is not None:
                item["language"] = language
            strings.append(item)
        return strings

    def language(self, element: etree._Element) -> str | None:
        """The ``lang`` of a langString, None where it has none. The V2 schemas make it
        optional (the Package Explorer's own samples leave it out); V3 requires one, and the
        upgrade chooses it, for JSON and XML input alike (``v2:invented-language``)."""
        return element.get("lang")

    def identification(self, element: etree._Element, tokens: Tokens) -> V2:
        self.positions[tokens] = element
        self.check_attributes(element, {"idType": ""})
        for child in self.children(element):
            self.unknown(child, element, " (the identification holds a text)")
        result: V2 = {"id": self.content(element)}
        if "idType" in element.attrib:
            result["idType"] = element.attrib["idType"]
        return result

    def value_type(self, element: etree._Element, tokens: Tokens) -> V2:
        return {"dataObjectType": {"name": self.text(element, tokens)}}

    def constraints(self, element: etree._Element, tokens: Tokens) -> list[object]:
        """The ``qualifier`` wrapper: qualifiers and formulas, in their order. ``tokens`` ends
        with the index the first of them takes in the JSON list."""
        self.check_attributes(element, {})
        *base, start = tokens
        found: list[object] = []
        for child in self.children(element):
            spec = _CONSTRAINTS.get(_split(child)[1])
            if spec is None:
                self.unknown(child, element)
                continue
            assert isinstance(start, int)
            found.append(self.read_object(child, (*base, start + len(found)), spec))
        if found:
            self.positions.setdefault(tuple(base), element)
        return found

    def elements(self, element: etree._Element, tokens: Tokens) -> list[object]:
        """A list of submodel elements: each in its ``submodelElement`` wrapper (V2 XML), or
        standing alone (accepted: some producers leave the wrapper out)."""
        self.positions[tokens] = element
        self.check_attributes(element, {})
        found: list[object] = []
        for child in self.children(element):
            item = self.wrapped_element(child, element, (*tokens, len(found)))
            if item is not None:
                found.append(item)
        return found

    def wrapped_element(
        self, element: etree._Element, parent: etree._Element, tokens: Tokens
    ) -> V2 | None:
        localname = _split(element)[1]
        if localname in _WRAPPERS:
            self.check_attributes(element, {})
            inner = self.children(element)
            if len(inner) != 1:
                self.notice(
                    "v2xml:unknown-element",
                    f"<{_shown(element)}> holds {len(inner)} elements where it wraps one; "
                    + ("it is not read" if not inner else "only the first is read"),
                    element,
                )
                for extra in inner[1:]:
                    self.unknown(extra, element, " (after the wrapped element)")
                if not inner:
                    return None
            return self.submodel_element(inner[0], element, tokens)
        return self.submodel_element(element, parent, tokens)

    def submodel_element(
        self, element: etree._Element, parent: etree._Element, tokens: Tokens
    ) -> V2 | None:
        namespace, localname = _split(element)
        spec = _ELEMENTS.get(localname)
        if spec is None or not _is_ours(namespace):
            self.unknown(element, parent, " (no submodel element of V2)")
            return None
        return self.read_object(element, tokens, spec)

    def operation_variables(self, element: etree._Element, tokens: Tokens) -> list[object]:
        """``inputVariable`` (and the others) as a list of variables: the element holds one
        ``value`` (the schema's form), or ``operationVariable`` wrappers that hold one each
        (BaSyx Java 1.x writes them so, several in one ``inputVariable``). ``tokens`` name the
        first variable; the others follow it."""
        inner = [child for child in element if isinstance(child.tag, str)]
        wrappers = [child for child in inner if _split(child)[1] == "operationVariable"]
        if not wrappers or len(wrappers) != len(inner):
            return [self.operation_variable(element, tokens)]
        self.check_attributes(element, {})
        self.children(element)  # its comments are reported
        first = tokens[-1]
        assert isinstance(first, int)
        return [
            self.operation_variable(wrapper, (*tokens[:-1], first + index))
            for index, wrapper in enumerate(wrappers)
        ]

    def operation_variable(self, holder: etree._Element, tokens: Tokens) -> V2:
        """One variable: ``holder`` holds its ``value`` (the element itself, or a wrapper)."""
        self.positions[tokens] = holder
        self.check_attributes(holder, {})
        result: V2 = {"modelType": {"name": "OperationVariable"}}
        for child in self.children(holder):
            localname = _split(child)[1]
            if localname != "value" or "value" in result:
                self.unknown(child, holder)
                continue
            values = self.children(child)
            for extra in values[1:]:
                self.unknown(extra, child, " (a variable holds one element)")
            if values:
                item = self.wrapped_element(values[0], child, (*tokens, "value"))
                if item is not None:
                    result["value"] = item
        return result

    def not_read(self, element: etree._Element, tokens: Tokens) -> object:
        """An element V2 defines that the upgrade has no place for (security)."""
        self.notice(
            "v2xml:not-read",
            f"<{_shown(element)}> (access control) is not read: V3 has no place for it",
            element,
        )
        return None

    def embedded_data_specification(self, element: etree._Element, tokens: Tokens) -> V2:
        return self.read_object(element, tokens, _EMBEDDED_DATA_SPECIFICATION)

    def data_specification_content(self, element: etree._Element, tokens: Tokens) -> V2:
        """The content is one ``dataSpecificationIEC61360``: its fields are the object."""
        self.positions[tokens] = element
        self.check_attributes(element, {})
        result: V2 = {}
        for child in self.children(element):
            if _split(child)[1] != "dataSpecificationIEC61360" or result:
                self.unknown(child, element, " (the content V2 defines is IEC 61360's)")
                continue
            result = self.read_object(child, tokens, _IEC61360)
        return result


def _object(spec: _Class) -> Read:
    def read(reader: _Reader, element: etree._Element, tokens: Tokens) -> object:
        return reader.read_object(element, tokens, spec)

    return read


def _list_of(child: str, read: Read) -> Read:
    """A container element whose ``child`` elements are the list's items."""

    def read_list(reader: _Reader, element: etree._Element, tokens: Tokens) -> object:
        reader.positions[tokens] = element
        reader.check_attributes(element, {})
        items: list[object] = []
        for item in reader.children(element):
            if _split(item)[1] != child:
                reader.unknown(item, element)
                continue
            items.append(read(reader, item, (*tokens, len(items))))
        return items

    return read_list


_BOOLEANS = {"true": True, "1": True, "false": False, "0": False}
_WRAPPERS = frozenset({"submodelElement", "dataElement"})

_text = _Reader.text
_boolean = _Reader.boolean
_reference = _Reader.reference
_langs = _Reader.lang_strings


def _text_or_langs(reader: _Reader, element: etree._Element, tokens: Tokens) -> object:
    """V1.0's IEC 61360 sourceOfDefinition is a language string set, V2.0's a string: the
    element's langString children when it has child elements, else its text."""
    if any(isinstance(child.tag, str) for child in element):
        return reader.lang_strings(element, tokens)
    return reader.text(element, tokens)


_REFERABLE = {
    "idShort": _Field("idShort", _text),
    "category": _Field("category", _text),
    "description": _Field("description", _langs),
    "parent": _Field("parent", _reference),
}
_IDENTIFIABLE = {
    **_REFERABLE,
    "identification": _Field("identification", _Reader.identification),
    "administration": _Field(
        "administration",
        _object(
            _Class(
                None, {"version": _Field("version", _text), "revision": _Field("revision", _text)}
            )
        ),
    ),
}
_HAS_DATA_SPECIFICATION = {
    "embeddedDataSpecification": _Field(
        "embeddedDataSpecifications", _Reader.embedded_data_specification, many=True
    ),
}
_HAS_SEMANTICS = {"semanticId": _Field("semanticId", _reference)}
_QUALIFIABLE = {"qualifier": _Field("qualifiers", _Reader.constraints, extend=True)}
_HAS_KIND = {"kind": _Field("kind", _text)}
_SUBMODEL_ELEMENT = {
    **_REFERABLE,
    **_HAS_KIND,
    **_HAS_SEMANTICS,
    **_QUALIFIABLE,
    **_HAS_DATA_SPECIFICATION,
}

_CONSTRAINTS = {
    "qualifier": _Class(
        "Qualifier",
        {
            **_HAS_SEMANTICS,
            "type": _Field("type", _text),
            "valueType": _Field("valueType", _Reader.value_type),
            "value": _Field("value", _text),
            "valueId": _Field("valueId", _reference),
        },
    ),
    "formula": _Class(
        "Formula", {"dependsOnRefs": _Field("dependsOn", _list_of("reference", _reference))}
    ),
}

_IEC61360 = _Class(
    None,
    {
        "preferredName": _Field("preferredName", _langs),
        "shortName": _Field("shortName", _langs),
        "unit": _Field("unit", _text),
        "unitId": _Field("unitId", _reference),
        "sourceOfDefinition": _Field("sourceOfDefinition", _text_or_langs),
        "symbol": _Field("symbol", _text),
        "dataType": _Field("dataType", _text),
        "definition": _Field("definition", _langs),
        "valueFormat": _Field("valueFormat", _text),
        "valueList": _Field(
            "valueList",
            _object(
                _Class(
                    None,
                    {
                        "valueReferencePair": _Field(
                            "valueReferencePairTypes",
                            _object(
                                _Class(
                                    None,
                                    {
                                        "value": _Field("value", _text),
                                        "valueId": _Field("valueId", _reference),
                                    },
                                )
                            ),
                            many=True,
                        )
                    },
                )
            ),
        ),
        "value": _Field("value", _text),
        "valueId": _Field("valueId", _reference),
        "levelType": _Field("levelType", _text, many=True),
    },
)

_EMBEDDED_DATA_SPECIFICATION = _Class(
    None,
    {
        "dataSpecification": _Field("dataSpecification", _reference),
        # V1.0's name of the same reference
        "hasDataSpecification": _Field("dataSpecification", _reference),
        "dataSpecificationContent": _Field(
            "dataSpecificationContent", _Reader.data_specification_content
        ),
    },
)

_ELEMENTS: dict[str, _Class] = {}
_ELEMENTS.update(
    {
        "property": _Class(
            "Property",
            {
                **_SUBMODEL_ELEMENT,
                "valueType": _Field("valueType", _Reader.value_type),
                "value": _Field("value", _text),
                "valueId": _Field("valueId", _reference),
            },
        ),
        "multiLanguageProperty": _Class(
            "MultiLanguageProperty",
            {
                **_SUBMODEL_ELEMENT,
                "value": _Field("value", _langs),
                "valueId": _Field("valueId", _reference),
            },
        ),
        "range": _Class(
            "Range",
            {
                **_SUBMODEL_ELEMENT,
                "valueType": _Field("valueType", _Reader.value_type),
                "min": _Field("min", _text),
                "max": _Field("max", _text),
            },
        ),
        "blob": _Class(
            "Blob",
            {
                **_SUBMODEL_ELEMENT,
                "mimeType": _Field("mimeType", _text),
                "value": _Field("value", _text),
            },
        ),
        "file": _Class(
            "File",
            {
                **_SUBMODEL_ELEMENT,
                "mimeType": _Field("mimeType", _text),
                "value": _Field("value", _text),
            },
        ),
        "referenceElement": _Class(
            "ReferenceElement", {**_SUBMODEL_ELEMENT, "value": _Field("value", _reference)}
        ),
        "relationshipElement": _Class(
            "RelationshipElement",
            {
                **_SUBMODEL_ELEMENT,
                "first": _Field("first", _reference),
                "second": _Field("second", _reference),
            },
        ),
        "annotatedRelationshipElement": _Class(
            "AnnotatedRelationshipElement",
            {
                **_SUBMODEL_ELEMENT,
                "first": _Field("first", _reference),
                "second": _Field("second", _reference),
                "annotations": _Field("annotations", _Reader.elements),
            },
        ),
        "submodelElementCollection": _Class(
            "SubmodelElementCollection",
            {
                **_SUBMODEL_ELEMENT,
                "value": _Field("value", _Reader.elements),
                "ordered": _Field("ordered", _boolean),
                "allowDuplicates": _Field("allowDuplicates", _boolean),
            },
        ),
        "operation": _Class(
            "Operation",
            {
                **_SUBMODEL_ELEMENT,
                "inputVariable": _Field("inputVariable", _Reader.operation_variables, extend=True),
                "outputVariable": _Field(
                    "outputVariable", _Reader.operation_variables, extend=True
                ),
                "inoutputVariable": _Field(
                    "inoutputVariable", _Reader.operation_variables, extend=True
                ),
            },
        ),
        "capability": _Class("Capability", dict(_SUBMODEL_ELEMENT)),
        "basicEvent": _Class(
            "BasicEvent", {**_SUBMODEL_ELEMENT, "observed": _Field("observed", _reference)}
        ),
        "entity": _Class(
            "Entity",
            {
                **_SUBMODEL_ELEMENT,
                "entityType": _Field("entityType", _text),
                "statements": _Field("statements", _Reader.elements),
                "assetRef": _Field("asset", _reference),
            },
        ),
    }
)

_VIEW = _Class(
    "View",
    {
        **_REFERABLE,
        **_HAS_SEMANTICS,
        **_HAS_DATA_SPECIFICATION,
        "containedElements": _Field(
            "containedElements", _list_of("containedElementRef", _reference)
        ),
    },
)
_CONCEPT_DICTIONARY = _Class(
    "ConceptDictionary",
    {
        **_REFERABLE,
        **_HAS_DATA_SPECIFICATION,
        "conceptDescriptionRefs": _Field(
            "conceptDescriptions", _list_of("conceptDescriptionRef", _reference)
        ),
    },
)
_SHELL = _Class(
    "AssetAdministrationShell",
    {
        **_IDENTIFIABLE,
        **_HAS_DATA_SPECIFICATION,
        "derivedFrom": _Field("derivedFrom", _reference),
        "assetRef": _Field("asset", _reference),
        "submodelRefs": _Field("submodels", _list_of("submodelRef", _reference)),
        "views": _Field("views", _list_of("view", _object(_VIEW))),
        "conceptDictionaries": _Field(
            "conceptDictionaries", _list_of("conceptDictionary", _object(_CONCEPT_DICTIONARY))
        ),
        "security": _Field("security", _Reader.not_read),
    },
)
_ASSET = _Class(
    "Asset",
    {
        **_IDENTIFIABLE,
        **_HAS_DATA_SPECIFICATION,
        "kind": _Field("kind", _text),
        "assetIdentificationModelRef": _Field("assetIdentificationModel", _reference),
        "billOfMaterialRef": _Field("billOfMaterial", _reference),
    },
)
_SUBMODEL = _Class(
    "Submodel",
    {
        **_IDENTIFIABLE,
        **_HAS_KIND,
        **_HAS_SEMANTICS,
        **_QUALIFIABLE,
        **_HAS_DATA_SPECIFICATION,
        "submodelElements": _Field("submodelElements", _Reader.elements),
    },
)
_CONCEPT_DESCRIPTION = _Class(
    "ConceptDescription",
    {
        **_IDENTIFIABLE,
        **_HAS_DATA_SPECIFICATION,
        "isCaseOf": _Field("isCaseOf", _reference, many=True),
    },
)
_ENVIRONMENT_LISTS = ("assetAdministrationShells", "assets", "submodels", "conceptDescriptions")
_ENVIRONMENT = _Class(
    None,
    {
        "assetAdministrationShells": _Field(
            "assetAdministrationShells", _list_of("assetAdministrationShell", _object(_SHELL))
        ),
        "assets": _Field("assets", _list_of("asset", _object(_ASSET))),
        "submodels": _Field("submodels", _list_of("submodel", _object(_SUBMODEL))),
        "conceptDescriptions": _Field(
            "conceptDescriptions",
            _list_of("conceptDescription", _object(_CONCEPT_DESCRIPTION)),
        ),
    },
)


# region names and paths


def _split(element: etree._Element) -> tuple[str | None, str]:
    tag = str(element.tag)
    if tag.startswith("{"):
        namespace, _, localname = tag[1:].rpartition("}")
        return namespace, localname
    return None, tag


def _is_ours(namespace: str | None) -> bool:
    return namespace in AAS_NAMESPACES or namespace in _COMPANION_NAMESPACES


def _prefix(namespace: str | None) -> str:
    if namespace in AAS_NAMESPACES:
        return "aas:"
    if namespace is not None and "/IEC61360/" in namespace:
        return "IEC:"
    return "" if namespace is None else "*:"


def _shown(element: etree._Element) -> str:
    namespace, localname = _split(element)
    prefix = _prefix(namespace)
    return localname if prefix == "*:" else prefix + localname


def xpath_of(element: etree._Element) -> str:
    """The element's XPath: ``aas:`` for the AAS namespace, ``IEC:`` for IEC 61360's, and a
    position wherever a sibling has the same name."""
    steps: list[str] = []
    node: etree._Element | None = element
    while node is not None:
        parent = node.getparent()
        step = _shown(node)
        if parent is not None:
            same = [sibling for sibling in parent if sibling.tag == node.tag]
            if len(same) > 1:
                step += f"[{same.index(node) + 1}]"
        steps.append(step)
        node = parent
    return "/" + "/".join(reversed(steps))


def _tokens(json_pointer: str) -> Tokens:
    """The tokens of a JSON pointer, array indexes as ints (as :func:`pointer` writes them)."""
    if not json_pointer:
        return ()
    tokens: list[str | int] = []
    for raw in json_pointer.split("/")[1:]:
        token = raw.replace("~1", "/").replace("~0", "~")
        tokens.append(int(token) if token.isdigit() else token)
    return tuple(tokens)


def pointer_of(tokens: Tokens) -> str:
    """The JSON pointer of tokens (the inverse of ``_tokens``)."""
    return pointer(list(tokens))


# region building


def build_v2_model(root: etree._Element, context: ReadContext, findings: list[Finding]) -> Model:
    """The V3 model of an older XML document (its root element parsed whole): read into the
    V2 JSON form here, upgraded by ``converters.v2.build``. ``findings`` (what was noticed
    before, such as comments before the root) come first on the model. The target is the
    version the caller upgrades to (``--to-version``), else V3.1."""
    from .build import V2_VERSION, build_model

    # V1.0 is read through the same V2 form; the model names the version the file is.
    written = old_version_of_namespace(_split(root)[0])
    source_version = V2_VERSION if written in (None, "2.0") else written
    if context.version is not None:
        raise ReadError(
            f"the document is AAS V{source_version} XML (by its namespace), "
            f"not V{context.version}: "
            "leave --aas-version out (or give 2.0) to read it and upgrade it to V3",
            Location(file=context.source, line=root.sourceline),
            rule="aas:version-mismatch",
        )
    v2, locate, noticed = read_v2_tree(root, context.source)
    target = context.upgrade_to or DEFAULT_TARGET
    model: Model = build_model(v2, context, locate, target, source_version)
    model.findings[:0] = [*findings, *noticed]
    return model
