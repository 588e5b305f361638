"""Every rule a finding can carry: its layer, its one severity, and what backs it.

A rule has one severity in every command: :class:`aas.findings.Finding` takes the severity
from here whenever its rule is registered, so ``validate``, ``load`` and ``convert`` cannot
disagree about one. An error is only what the specification forbids (the schemas, the
metamodel's constraints and invariants, the serialisations' and IDTA-01005's requirements);
everything else the toolkit notices is a warning, and its notes are infos.

Some infos are *notes about reading or writing*, not about the model (``note=True``): which
version a JSON file was read as, an XML comment that is not carried over. They are reported
like every finding but never make a run fail, whatever ``--fail-on`` says.

The README's rule table is generated from :data:`RULES` (``python -m aas.rules``), and a test
keeps it equal, and checks that every rule id the code can emit is registered here.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from functools import cache

from aas.severity import Severity

E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO  # noqa: E741 - a table reads better

#: The clauses the table names, once each.
_PART1 = "IDTA-01001"
_JSON = f"{_PART1} JSON serialisation (RFC 8259)"
_XML = f"{_PART1} XML serialisation (XML 1.0)"
_RDF = f"{_PART1} RDF serialisation"
_OPC = "IDTA-01005 (AASX), on ISO/IEC 29500-2 (OPC)"
_TOOLKIT = "toolkit check"
#: What the drafts of V3.0 (namespace http://www.admin-shell.io/aas/3/0) are read as.
_V30 = f"{_PART1} V3.0 XML serialisation"
_V30J = f"{_PART1} V3.0 JSON serialisation"
_V2 = "IDTA-01001 V3.0 annex (changes from V2.0.1)"
_V2XML = "AAS V2.0.1 XML serialisation (its XSD; not checked, read as far as it goes)"
_VALUE = f"{_PART1} V3.1 value-only serialisation (format Value)"
#: The IDTA's Specification of Submodel Templates: its qualifiers (SMT/Cardinality, ...).
_SMT = "IDTA submodel template specification"
_LIMIT = "toolkit limit (hostile input; raise it through the environment)"


@dataclass(frozen=True)
class Rule:
    """One rule id, or a family of them (``schema:<keyword>``)."""

    id: str
    layer: str
    severity: Severity
    clause: str
    #: A note about how the toolkit read or wrote the input, not about the model: it never
    #: makes a run fail (``--fail-on info`` included).
    note: bool = False

    @property
    def is_family(self) -> bool:
        return "<" in self.id


RULES: tuple[Rule, ...] = (
    # syntax: what keeps the input from being read at all (the input is unreadable)
    Rule("json:syntax", "syntax", E, f"{_JSON}: well-formed JSON text in UTF-8"),
    Rule("json:nesting-depth", "syntax", E, _LIMIT),
    Rule("json:duplicate-key", "syntax", W, "RFC 8259 §4: the names in an object SHOULD be unique"),
    Rule("json:bom", "syntax", W, "RFC 8259 §8.1: JSON text MUST NOT begin with a byte order mark"),
    Rule("xml:syntax", "syntax", E, f"{_XML}: well-formed XML"),
    Rule("xml:doctype", "syntax", E, "a DOCTYPE is refused (entity attacks; an AAS needs none)"),
    Rule("xml:nesting-depth", "syntax", E, _LIMIT),
    Rule("xml:text-length", "syntax", E, _LIMIT),
    Rule("xml:namespace", "syntax", E, f"{_XML}: the namespace of the metamodel version"),
    Rule("xml:root-attribute", "syntax", W, f"{_TOOLKIT}: aas-core reads no attribute on the root"),
    Rule("rdf:syntax", "syntax", E, f"{_RDF}: well-formed Turtle, N-Triples, JSON-LD, RDF/XML"),
    Rule("rdf:nesting-depth", "syntax", E, _LIMIT),
    Rule(
        "rdf:text-length",
        "syntax",
        E,
        "limit of the RDF parser (pyoxigraph reads no longer line or JSON-LD string)",
    ),
    Rule("input:unreadable", "syntax", E, "the input cannot be read (missing, a folder, ...)"),
    Rule("input:nesting-depth", "syntax", E, _LIMIT),
    Rule("input:decompressed-size", "syntax", E, _LIMIT),
    Rule("aas:version-mismatch", "syntax", E, "the version asked for is not the document's"),
    Rule("aasx:broken-package", "syntax", E, f"{_OPC}: a readable zip archive of parts"),
    # reading older models: V2.0.1 and V1.0 XML read into the V2 JSON form
    Rule("v2xml:unknown-element", "model", W, f"{_V2XML}: an element the class has there"),
    Rule("v2xml:unknown-attribute", "model", W, f"{_V2XML}: an attribute the element has"),
    Rule("v2xml:not-boolean", "model", W, f"{_V2XML}: xs:boolean (the text is kept)"),
    Rule("v2xml:not-read", "model", W, f"{_TOOLKIT}: V3 has no place for V2's security"),
    Rule(
        "v2xml:text-as-lang-string",
        "model",
        W,
        f"{_V2XML}: langString elements in a language string set (BaSyx Java 1.x writes text)",
    ),
    Rule(
        "v2xml:layout-trimmed",
        "model",
        I,
        f"{_TOOLKIT}: line breaks and indentation around a text are layout (xs:string keeps them)",
    ),
    # schema: the project's JSON Schema, XSD and SHACL shapes for the version
    Rule("schema:<keyword>", "schema", E, f"{_PART1} JSON Schema (schemas/aas-<v>.schema.json)"),
    Rule("xsd:<code>", "schema", E, f"{_PART1} XML Schema (schemas/aas-<v>.xsd)"),
    Rule("shacl:<Component>", "schema", E, f"{_PART1} RDF shapes (schemas/aas-<v>.shacl.ttl)"),
    Rule(
        "v2schema:<keyword>",
        "schema",
        E,
        "AAS V2.0.1 JSON Schema and XSD: required attributes, enumerations, JSON types "
        "(the facts stated in converters/v2/schema.py)",
    ),
    # model: what keeps aas-core from building the model (the input is unreadable)
    Rule("model:required", "model", E, f"{_PART1}: a mandatory attribute (cardinality 1)"),
    Rule("model:type", "model", E, f"{_PART1}: the attribute's type"),
    Rule("model:enum", "model", E, f"{_PART1}: a literal of the attribute's enumeration"),
    Rule("model:null", "model", E, f"{_JSON}: null is no value of any attribute"),
    Rule("model:model-type", "model", E, f"{_PART1}: a (concrete) class of the metamodel"),
    Rule("model:missing-model-type", "model", E, f"{_JSON}: modelType names the class"),
    Rule(
        "model:unexpected-property",
        "model",
        E,
        f"{_PART1}: an attribute the class does not have",
    ),
    Rule("rdf:namespace", "model", E, f"{_RDF}: the namespace of the metamodel version"),
    Rule("rdf:two-types", "model", E, f"{_RDF}: one rdf:type per node"),
    Rule("rdf:cycle", "model", E, f"{_RDF}: the model is a tree"),
    Rule("rdf:wrong-term", "model", E, f"{_RDF}: a literal, IRI or node where the mapping says"),
    Rule("rdf:too-many-values", "model", E, f"{_RDF}: one value for a single-valued attribute"),
    Rule("rdf:datatype", "model", W, f"{_RDF}: the literal's datatype (the value is read)"),
    Rule("rdf:unknown-predicate", "model", W, f"{_RDF}: a predicate the mapping defines"),
    Rule(
        "rdf:unreached-node",
        "model",
        W,
        f"{_RDF}: every typed node belongs to an identifiable (toolkit check)",
    ),
    # constraints: every constraint and invariant of the metamodel (aas-core's verification)
    Rule("AASd-<n>", "constraints", E, f"{_PART1}: the numbered constraint"),
    Rule("AASc-<n>", "constraints", E, f"{_PART1}: the numbered constraint (data specifications)"),
    Rule("metamodel:pattern", "constraints", E, f"{_PART1}: the pattern of the value's type"),
    Rule("metamodel:max-length", "constraints", E, f"{_PART1}: the length of the value's type"),
    Rule("metamodel:min-length", "constraints", E, f"{_PART1}: the length of the value's type"),
    Rule("metamodel:min-items", "constraints", E, f"{_PART1}: a list holds at least one item"),
    Rule("metamodel:unique", "constraints", E, f"{_PART1}: unique idShorts, languages, names"),
    Rule("metamodel:value-type", "constraints", E, f"{_PART1}: a value of its valueType"),
    Rule("metamodel:invariant", "constraints", E, f"{_PART1}: an unnumbered invariant"),
    Rule(
        "metamodel:unique-id",
        "constraints",
        E,
        f"{_PART1} Identifiable/id: the globally unique identification of the element",
    ),
    # references: model references followed through the file
    Rule("reference:unresolved", "references", W, f"{_TOOLKIT} (no rule requires resolving)"),
    Rule("reference:wrong-type", "references", W, f"{_TOOLKIT} (no rule requires key types)"),
    # package: AASX structure and contents
    Rule(
        "aasx:missing-content-types",
        "package",
        E,
        f"{_OPC}: a package holds [Content_Types].xml",
    ),
    Rule("aasx:missing-part", "package", W, f"{_TOOLKIT}: a relationship names a part not there"),
    Rule("aasx:missing-file", "package", W, f"{_TOOLKIT}: a File names a part not there"),
    Rule("aasx:content-type-mismatch", "package", W, _TOOLKIT),
    Rule("aasx:thumbnail-not-image", "package", W, _TOOLKIT),
    Rule("aasx:relationship-loop", "package", W, f"{_OPC}: relationships name other parts"),
    Rule("aasx:duplicate-relationship", "package", W, _TOOLKIT),
    Rule("aasx:old-relationship-type", "package", I, f"{_OPC}: the relationship types' spelling"),
    Rule("aasx:external-target-mode", "package", W, f"{_OPC}: internal relationships"),
    Rule("aasx:part-name", "package", W, f"{_OPC}: the grammar of part names"),
    Rule("aasx:external-target", "package", W, f"{_OPC}: AASX parts lie inside the package"),
    # upgrade: reading a V2.0.1 model as V3 (aas.converters.v2.upgrade documents each choice)
    Rule("v2:not-carried", "upgrade", W, f"{_V2}: a V2 value V3 has no place for"),
    Rule("v2:concept-dictionary", "upgrade", W, f"{_V2}: ConceptDictionary was removed"),
    Rule("v2:view", "upgrade", W, f"{_V2}: View was removed"),
    Rule("v2:value-type-changed", "upgrade", W, f"{_V2}: V3's value types are fewer"),
    Rule("v2:invented-id-short", "upgrade", I, f"{_V2}: idShort required, its pattern (AASd-002)"),
    Rule("v2:invented", "upgrade", I, f"{_V2}: a value V3 requires that V2 did not have"),
    Rule(
        "v2:invented-language",
        "upgrade",
        I,
        f"{_V2}: V2's lang is optional, V3's language a BCP 47 tag ('und' is chosen)",
    ),
    Rule("v2:reference-changed", "upgrade", I, f"{_V2}: reference and key types"),
    Rule(
        "v2:dangling-reference",
        "upgrade",
        W,
        f"{_TOOLKIT}: a model reference may name an identifiable left out for want of an id",
    ),
    Rule("v2:empty-dropped", "upgrade", I, f"{_V2}: V3 refuses empty values and lists"),
    Rule("v2:administration-moved", "upgrade", I, f"{_V2}: V3's version and revision are digits"),
    Rule(
        "v2:lang-string-set",
        "upgrade",
        I,
        f"{_V2}: V1.0's JSON wrote some language string sets as one object or a plain text",
    ),
    Rule(
        "v2:pre-release-asset-information",
        "upgrade",
        I,
        f"{_V2}: V3.0's release candidate had assetInformation where V2 had an asset",
    ),
    Rule("v2:truncated", "upgrade", W, f"{_V2}: V3 bounds the length of names and texts"),
    Rule(
        "v2:upgrade-constraint",
        "upgrade",
        W,
        "AAS V2.0.1 Part 1 (AASd-070 to -076) against IDTA-01003-a: a V3 constraint V2.0.1 "
        "did not have, broken by the upgraded model (the V3 id in the message)",
    ),
    Rule("v2:whitespace-collapsed", "upgrade", I, f"{_V2}: XML Schema collapses it, V3 refuses it"),
    # reading and writing: notes about what the toolkit did with the input or output
    Rule("aas:version-assumed", "reading", I, f"{_TOOLKIT}: JSON names no version", note=True),
    Rule("aas:version-detected", "reading", I, f"{_TOOLKIT}: JSON names no version", note=True),
    Rule("v2:upgraded", "reading", I, f"{_V2}: the model was V2.0.1 or V1.0", note=True),
    Rule("xml:comment-dropped", "reading", I, f"{_TOOLKIT}: comments are no model", note=True),
    Rule("xml:pi-dropped", "reading", I, f"{_TOOLKIT}: instructions are no model", note=True),
    # reading a draft of V3.0 (the pre-release namespace) as V3.0: each difference met
    Rule("xml:pre-release-namespace", "reading", W, f"{_V30}: the namespace of the published V3.0"),
    Rule("xml:pre-release-environment", "reading", W, f"{_V30}: the root element <environment>"),
    Rule("xml:pre-release-identification", "reading", W, f"{_V30}: Identifiable/id (no idType)"),
    Rule(
        "xml:pre-release-wrapper",
        "reading",
        W,
        f"{_V30}: submodel elements without a wrapper element",
    ),
    Rule("xml:pre-release-key", "reading", W, f"{_V30}: Key/type and Key/value as elements"),
    Rule("xml:pre-release-key-type", "reading", W, f"{_V30}: the literals of KeyTypes"),
    Rule("xml:pre-release-reference-type", "reading", W, f"{_V30}: Reference/type (mandatory)"),
    Rule(
        "xml:pre-release-lang-string",
        "reading",
        W,
        f"{_V30}: language-tagged strings as <language> and <text>",
    ),
    Rule("xml:pre-release-value-type", "reading", W, f"{_V30}: DataTypeDefXsd literals (xs:...)"),
    Rule("xml:pre-release-kind", "reading", W, f"{_V30}: HasKind on Submodel only"),
    Rule(
        "xml:pre-release-data-specification",
        "reading",
        W,
        f"{_V30}: HasDataSpecification/embeddedDataSpecifications",
    ),
    Rule(
        "xml:pre-release-submodel-refs", "reading", W, f"{_V30}: AssetAdministrationShell/submodels"
    ),
    Rule(
        "xml:pre-release-global-asset-id",
        "reading",
        W,
        f"{_V30}: AssetInformation/globalAssetId (an Identifier)",
    ),
    Rule(
        "xml:pre-release-operation-variable",
        "reading",
        W,
        f"{_V30}: Operation/inputVariables ... of OperationVariable",
    ),
    Rule("xml:pre-release-data-type", "reading", W, f"{_V30}: DataTypeIec61360 (IRI, not URL)"),
    Rule("xml:pre-release-mime-type", "reading", W, f"{_V30}: File/contentType, Blob/contentType"),
    Rule("xml:pre-release-level-type", "reading", W, f"{_V30}: LevelType (min, nom, typ, max)"),
    Rule(
        "xml:pre-release-value-reference-pairs",
        "reading",
        W,
        f"{_V30}: ValueList/valueReferencePairs",
    ),
    Rule("xml:pre-release-specific-asset-id", "reading", W, f"{_V30}: SpecificAssetId"),
    Rule("xml:pre-release-event", "reading", W, f"{_V30}: BasicEventElement direction, state"),
    Rule("xml:pre-release-empty-list", "reading", W, f"{_V30}: a list holds at least one item"),
    Rule(
        "xml:pre-release-dropped",
        "reading",
        W,
        f"{_V30}: what the V3.0 metamodel has no attribute for",
    ),
    # reading the JSON of a draft of V3.0 (told by its shape) as V3.0: each difference met
    Rule("json:pre-release-shape", "reading", W, f"{_V30J}: the JSON serialisation of V3.0"),
    Rule("json:pre-release-identification", "reading", W, f"{_V30J}: Identifiable/id (no idType)"),
    Rule("json:pre-release-model-type", "reading", W, f"{_V30J}: modelType, a string"),
    Rule("json:pre-release-key", "reading", W, f"{_V30J}: Key (type, value only)"),
    Rule("json:pre-release-key-type", "reading", W, f"{_V30J}: the literals of KeyTypes"),
    Rule("json:pre-release-reference-type", "reading", W, f"{_V30J}: Reference/type (mandatory)"),
    Rule("json:pre-release-lang-string", "reading", W, f"{_V30J}: Referable/displayName"),
    Rule("json:pre-release-value-type", "reading", W, f"{_V30J}: DataTypeDefXsd literals (xs:...)"),
    Rule("json:pre-release-kind", "reading", W, f"{_V30J}: HasKind on Submodel only"),
    Rule(
        "json:pre-release-data-specification",
        "reading",
        W,
        f"{_V30J}: EmbeddedDataSpecification, DataSpecificationIec61360",
    ),
    Rule(
        "json:pre-release-global-asset-id",
        "reading",
        W,
        f"{_V30J}: AssetInformation/globalAssetId, Entity/globalAssetId (an Identifier)",
    ),
    Rule("json:pre-release-specific-asset-id", "reading", W, f"{_V30J}: SpecificAssetId"),
    Rule("json:pre-release-thumbnail", "reading", W, f"{_V30J}: AssetInformation/defaultThumbnail"),
    Rule(
        "json:pre-release-operation-variable",
        "reading",
        W,
        f"{_V30J}: Operation/inputVariables ... of OperationVariable",
    ),
    Rule("json:pre-release-data-type", "reading", W, f"{_V30J}: DataTypeIec61360 (IRI, not URL)"),
    Rule(
        "json:pre-release-mime-type", "reading", W, f"{_V30J}: File/contentType, Blob/contentType"
    ),
    Rule("json:pre-release-level-type", "reading", W, f"{_V30J}: LevelType (min, nom, typ, max)"),
    Rule(
        "json:pre-release-value-reference-pairs",
        "reading",
        W,
        f"{_V30J}: ValueList/valueReferencePairs",
    ),
    Rule("json:pre-release-event", "reading", W, f"{_V30J}: BasicEventElement direction, state"),
    Rule("json:pre-release-empty-list", "reading", W, f"{_V30J}: a list holds at least one item"),
    Rule(
        "json:pre-release-dropped",
        "reading",
        W,
        f"{_V30J}: what the V3.0 metamodel has no attribute for",
    ),
    Rule("aas:package-files-not-carried", "writing", W, f"{_TOOLKIT}: JSON and XML hold no files"),
    Rule("aasx:file-not-found", "writing", W, f"{_TOOLKIT}: a File names no file beside the input"),
    Rule("aasx:wrapped-in-environment", "writing", I, f"{_OPC}: a package holds an Environment"),
    Rule("xml:unrepresentable-character", "writing", E, f"{_XML} §2.2: the characters of XML"),
    Rule("rdf:unrepresentable-character", "writing", E, "RDF/XML holds text as XML 1.0 (§2.2)"),
    Rule(
        "rdf:empty-list-dropped",
        "writing",
        W,
        f"{_TOOLKIT}: the official RDF mapping has no place for an empty list",
    ),
    # value-only JSON (issue 13): what it cannot hold, and values its template has no place for
    Rule(
        "value:not-carried",
        "writing",
        I,
        f"{_VALUE}: values only (semanticIds, qualifiers, ... come from the template)",
    ),
    Rule("value:omitted", "writing", W, f"{_VALUE}: elements named by idShort; no Operation"),
    Rule(
        "value:as-string",
        "writing",
        W,
        f"{_VALUE}, data type mapping: a number or boolean as JSON writes one (the value's "
        "lexical form is kept as a string)",
    ),
    Rule(
        "value:null-item",
        "writing",
        W,
        f"{_TOOLKIT}: the definition has no form for a list item without value",
    ),
    Rule(
        "value:unexpected",
        "model",
        W,
        f"{_TOOLKIT}: a value the submodel template has no element for (it is not carried)",
    ),
    Rule("value:shape", "model", W, f"{_VALUE}: the JSON form of the element's kind"),
    # templates: an instance checked against its IDTA submodel template (aas template check)
    Rule("template:missing", "templates", E, f"{_SMT}: SMT/Cardinality One or OneToMany"),
    Rule("template:cardinality", "templates", E, f"{_SMT}: SMT/Cardinality One or ZeroToOne"),
    Rule("template:kind", "templates", E, f"{_SMT}: the element's class as in the template"),
    Rule("template:value-type", "templates", E, f"{_SMT}: the valueType as in the template"),
    Rule("template:semantic-id", "templates", E, f"{_SMT}: the semanticId as in the template"),
    Rule(
        "template:semantic-id-form",
        "templates",
        W,
        f"{_TOOLKIT}: the template's ids, with other key or reference types",
    ),
    Rule("template:allowed-value", "templates", E, f"{_SMT}: SMT/AllowedValue, SMT/AllowedRange"),
    Rule("template:required-lang", "templates", E, f"{_SMT}: SMT/RequiredLang"),
    Rule("template:either-or", "templates", E, f"{_SMT}: SMT/EitherOr, one of a group"),
    Rule("template:unexpected", "templates", W, f"{_TOOLKIT}: an element the template lacks"),
    Rule(
        "template:no-match",
        "templates",
        W,
        f"{_TOOLKIT}: no submodel of the model has a template given, so nothing was checked",
    ),
    # basyx interop (issue 15): what basyx-python-sdk does not hold as the model has it
    Rule(
        "basyx:not-held",
        "interop",
        W,
        f"{_TOOLKIT}: basyx-python-sdk refuses or leaves out what the model has",
    ),
    Rule("basyx:changed", "interop", W, f"{_TOOLKIT}: basyx-python-sdk holds a value otherwise"),
    Rule(
        "basyx:not-written",
        "interop",
        W,
        f"{_TOOLKIT}: basyx-python-sdk's JSON serialiser fails on an object it holds",
    ),
    Rule(
        "basyx:default",
        "interop",
        I,
        f"{_PART1}: defaults of Qualifier/kind, HasKind/kind, SubmodelElementList/orderRelevant",
    ),
    Rule("basyx:upgraded", "interop", I, f"{_TOOLKIT}: basyx-python-sdk 2 holds V3.1 only"),
    # the toolkit itself
    Rule("aas:error", "toolkit", E, "the toolkit refused the input"),
    Rule("aas:internal-error", "toolkit", E, "a bug in this toolkit"),
    Rule("aas:worker-died", "toolkit", E, "a worker process of a batch died"),
)

_EXACT: dict[str, Rule] = {rule.id: rule for rule in RULES if not rule.is_family}
_FAMILIES: tuple[tuple[re.Pattern[str], Rule], ...] = tuple(
    (re.compile(pattern), next(rule for rule in RULES if rule.id == family))
    for family, pattern in (
        ("schema:<keyword>", r"schema:[A-Za-z$]+"),
        ("v2schema:<keyword>", r"v2schema:(?:required|enum|type)"),
        ("xsd:<code>", r"xsd:[a-z0-9-]+"),
        ("shacl:<Component>", r"shacl:[A-Za-z]+"),
        ("AASd-<n>", r"AASd-\d+[a-z]?"),
        ("AASc-<n>", r"AASc-(?:\d+[a-z]?-)?\d+[a-z]?"),
    )
)


@cache
def lookup(rule_id: str) -> Rule | None:
    """The registered rule ``rule_id`` is (itself, or a member of a family), or None."""
    found = _EXACT.get(rule_id)
    if found is not None:
        return found
    for pattern, rule in _FAMILIES:
        if pattern.fullmatch(rule_id):
            return rule
    return None


def severity_of(rule_id: str) -> Severity | None:
    rule = lookup(rule_id)
    return None if rule is None else rule.severity


def is_note(rule_id: str) -> bool:
    """Whether findings of ``rule_id`` are notes about reading or writing (never fatal)."""
    rule = lookup(rule_id)
    return rule is not None and rule.note


def markdown_table() -> str:
    """The README's rule table: every rule id, its layer, its severity and what backs it."""
    lines = ["| rule | layer | severity | backed by |", "|---|---|---|---|"]
    for rule in RULES:
        severity = rule.severity.value + (" (note)" if rule.note else "")
        lines.append(f"| `{rule.id}` | {rule.layer} | {severity} | {rule.clause} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.stdout.write(markdown_table())
