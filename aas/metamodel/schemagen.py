"""Generate the project's JSON Schemas and XSDs from the metamodel description.

``python -m aas.metamodel.schemagen`` writes ``schemas/aas-<version>.schema.json`` and
``schemas/aas-<version>.xsd``; a test checks that the committed files are what this module
generates, so the schemas and the description cannot drift apart.

Design, where it differs from the official schemas on purpose:

- Every concrete class is one flat definition holding all its properties, closed with
  ``additionalProperties: false`` (the serialisation defines every property a class has;
  the official JSON Schemas accept unknown ones).
- A property whose type is abstract dispatches on ``modelType`` with ``if``/``then``, so an
  error inside a submodel element is reported for that element, not as "no ``oneOf`` branch
  matched".
- Patterns are written over code points (see ``aas.metamodel.patterns``).
- The XSD declares a global element for every concrete class, so a file holding one instance
  of any class (a Submodel from an API, say) can be validated.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TypeAlias

import orjson
from lxml import etree

from aas.metamodel.description import MetaClass, Metamodel, Property, describe
from aas.metamodel.names import serialized_name
from aas.metamodel.patterns import json_pattern, pattern
from aas.metamodel.schemafiles import schema_folder, schema_names, shapes_name
from aas.metamodel.verification_facts import Constrained, verification_facts
from aas.model import Json
from aas.versions import XML_NAMESPACES, Version

_XS = "http://www.w3.org/2001/XMLSchema"

#: A JSON Schema, or one of its definitions.
Schema: TypeAlias = dict[str, Json]


def _constrained_name(constrained: Constrained) -> str:
    """``id_short_type`` -> ``IdShortType``."""
    return "".join(part[:1].upper() + part[1:] for part in constrained.name.split("_"))


# The constrained types and lengths are read from aas-core's verification code (see
# aas.metamodel.verification_facts): only the schemas need them, so the run-time description
# does not carry them.


def _constrained_types(version: Version) -> list[Constrained]:
    """Every constrained string type of ``version``, by name."""
    return sorted(set(verification_facts(version).constrained.values()), key=lambda c: c.name)


def _constrained(cls: MetaClass, prop: Property, model: Metamodel) -> Constrained | None:
    """The constrained type of ``prop``'s values in ``cls``, if it has one."""
    return verification_facts(model.version).constrained.get((cls.name, prop.name))


def _length(cls: MetaClass, prop: Property, model: Metamodel) -> tuple[int | None, int | None]:
    """The (minimum, maximum) length the invariants of ``cls`` put on ``prop``."""
    return verification_facts(model.version).length(cls.name, prop.name)


# region JSON Schema


def json_schema(version: Version) -> Schema:
    model = describe(version)
    definitions: Schema = {}
    for name, literals in sorted(model.enums.items()):
        definitions[serialized_name(name)] = {"type": "string", "enum": list(literals)}
    for constrained in _constrained_types(version):
        definitions[_constrained_name(constrained)] = _json_constrained(constrained, version)
    for cls in sorted(model.concrete(), key=lambda c: c.serialized_name):
        definitions[cls.serialized_name] = _json_class(cls, model)
    for cls in sorted(model.classes.values(), key=lambda c: c.serialized_name):
        if cls.abstract:
            definitions[f"{cls.serialized_name}_choice"] = _json_dispatch(cls, model)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"urn:aas-toolkit:schema:aas:{version}",
        "title": f"Asset Administration Shell V{version}, JSON serialisation (aas-toolkit)",
        "$ref": "#/$defs/Environment",
        "$defs": definitions,
    }


def _json_constrained(constrained: Constrained, version: Version) -> Schema:
    schema: Schema = {"type": "string"}
    if constrained.base64:
        schema["contentEncoding"] = "base64"
    if constrained.min_length is not None:
        schema["minLength"] = constrained.min_length
    if constrained.max_length is not None:
        schema["maxLength"] = constrained.max_length
    patterns = [json_pattern(name, version) for name in constrained.patterns]
    if len(patterns) == 1:
        schema["pattern"] = patterns[0]
    elif patterns:
        schema["allOf"] = [{"pattern": p} for p in patterns]
    return schema


def _json_class(cls: MetaClass, model: Metamodel) -> Schema:
    properties: Schema = {}
    required: list[str] = []
    for prop in cls.properties:
        properties[prop.json_name] = _json_property(cls, prop, model)
        if prop.required:
            required.append(prop.json_name)
    if cls.model_type:
        properties["modelType"] = {"const": cls.serialized_name}
        required.append("modelType")
    schema: Schema = {"type": "object", "properties": properties}
    if required:
        schema["required"] = required
    schema["additionalProperties"] = False
    return schema


def _json_property(cls: MetaClass, prop: Property, model: Metamodel) -> Schema:
    item = _json_value(cls, prop, model)
    minimum, maximum = _length(cls, prop, model)
    if not prop.many:
        if minimum is not None:
            item = {**item, "minLength": minimum}
        if maximum is not None:
            item = {**item, "maxLength": maximum}
        return item
    schema: Schema = {"type": "array", "items": item}
    if minimum is not None:
        schema["minItems"] = minimum
    if maximum is not None:
        schema["maxItems"] = maximum
    return schema


def _json_value(cls: MetaClass, prop: Property, model: Metamodel) -> Schema:
    constrained = _constrained(cls, prop, model)
    if constrained is not None:
        return {"$ref": f"#/$defs/{_constrained_name(constrained)}"}
    if prop.kind in ("string", "bytes"):
        return {"type": "string"}
    if prop.kind == "bool":
        return {"type": "boolean"}
    if prop.kind == "int":
        return {"type": "integer"}
    assert prop.type_name is not None
    if prop.kind == "enum":
        return {"$ref": f"#/$defs/{serialized_name(prop.type_name)}"}
    target = model.classes[prop.type_name]
    if target.abstract:
        return {"$ref": f"#/$defs/{target.serialized_name}_choice"}
    return {"$ref": f"#/$defs/{target.serialized_name}"}


def _json_dispatch(cls: MetaClass, model: Metamodel) -> Schema:
    """An abstract class: modelType names the concrete class, whose definition then applies."""
    concrete = model.descendants(cls.name)
    names = [c.serialized_name for c in concrete]
    return {
        "type": "object",
        "required": ["modelType"],
        "properties": {"modelType": {"enum": names}},
        "allOf": [
            {
                "if": {"properties": {"modelType": {"const": name}}, "required": ["modelType"]},
                "then": {"$ref": f"#/$defs/{name}"},
            }
            for name in names
        ],
    }


# endregion

# region XSD


def xsd(version: Version) -> bytes:
    model = describe(version)
    namespace = XML_NAMESPACES[version]
    root = etree.Element(
        f"{{{_XS}}}schema",
        nsmap={"xs": _XS, "aas": namespace},
        targetNamespace=namespace,
        elementFormDefault="qualified",
    )
    root.append(
        etree.Comment(
            f" Asset Administration Shell V{version}, XML serialisation. Generated by "
            "aas-toolkit from its metamodel description (python -m aas.metamodel.schemagen). "
        )
    )
    for cls in sorted(model.concrete(), key=lambda c: c.xml_name):
        etree.SubElement(root, f"{{{_XS}}}element", name=cls.xml_name, type=f"aas:{cls.name}_t")
    for cls in sorted(model.concrete(), key=lambda c: c.name):
        complex_type = etree.SubElement(root, f"{{{_XS}}}complexType", name=f"{cls.name}_t")
        sequence = etree.SubElement(complex_type, f"{{{_XS}}}sequence")
        for prop in cls.properties:
            _xsd_property(sequence, cls, prop, model)
    for name, literals in sorted(model.enums.items()):
        simple = etree.SubElement(root, f"{{{_XS}}}simpleType", name=f"{name}_t")
        restriction = etree.SubElement(simple, f"{{{_XS}}}restriction", base="xs:string")
        for literal in literals:
            etree.SubElement(restriction, f"{{{_XS}}}enumeration", value=literal)
    for constrained in _constrained_types(version):
        _xsd_constrained(root, constrained, version)
    etree.indent(root, space="  ")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _xsd_constrained(root: etree._Element, constrained: Constrained, version: Version) -> None:
    simple = etree.SubElement(
        root, f"{{{_XS}}}simpleType", name=f"{_constrained_name(constrained)}_t"
    )
    base = "xs:base64Binary" if constrained.base64 else "xs:string"
    restriction = etree.SubElement(simple, f"{{{_XS}}}restriction", base=base)
    if constrained.min_length is not None:
        etree.SubElement(restriction, f"{{{_XS}}}minLength", value=str(constrained.min_length))
    if constrained.max_length is not None:
        etree.SubElement(restriction, f"{{{_XS}}}maxLength", value=str(constrained.max_length))
    # Every text an XML document can hold is XML-serialisable, so that pattern adds nothing
    # here; and several patterns on one XSD restriction would be alternatives, not all-of.
    patterns = [name for name in constrained.patterns if name != "xml_serializable_string"]
    assert len(patterns) <= 1, f"{constrained.name}: more than one pattern"
    for name in patterns:
        etree.SubElement(restriction, f"{{{_XS}}}pattern", value=pattern(name, version))


def _xsd_property(
    sequence: etree._Element, cls: MetaClass, prop: Property, model: Metamodel
) -> None:
    attributes = {"name": prop.xml_name}
    if not prop.required:
        attributes["minOccurs"] = "0"
    constrained = _constrained(cls, prop, model)
    if prop.many:
        element = etree.SubElement(sequence, f"{{{_XS}}}element", attributes)
        wrapper = etree.SubElement(element, f"{{{_XS}}}complexType")
        inner = etree.SubElement(wrapper, f"{{{_XS}}}sequence")
        minimum, maximum = _length(cls, prop, model)
        least = str(minimum or 0)
        most = "unbounded" if maximum is None else str(maximum)
        if prop.kind == "class":
            assert prop.type_name is not None
            target = model.classes[prop.type_name]
            _xsd_choice(inner, target, model, minOccurs=least, maxOccurs=most)
        else:
            etree.SubElement(
                inner,
                f"{{{_XS}}}element",
                name="item",
                type=_xsd_simple(prop, constrained),
                minOccurs=least,
                maxOccurs=most,
            )
        return
    if prop.kind == "class":
        assert prop.type_name is not None
        target = model.classes[prop.type_name]
        if target.abstract:
            element = etree.SubElement(sequence, f"{{{_XS}}}element", attributes)
            wrapper = etree.SubElement(element, f"{{{_XS}}}complexType")
            _xsd_choice(wrapper, target, model)
        else:
            attributes["type"] = f"aas:{target.name}_t"
            etree.SubElement(sequence, f"{{{_XS}}}element", attributes)
        return
    simple_type = _xsd_simple(prop, constrained)
    minimum, maximum = _length(cls, prop, model)
    if minimum is None and maximum is None:
        attributes["type"] = simple_type
        etree.SubElement(sequence, f"{{{_XS}}}element", attributes)
        return
    # A length the class puts on the property narrows the property's own type.
    element = etree.SubElement(sequence, f"{{{_XS}}}element", attributes)
    simple = etree.SubElement(element, f"{{{_XS}}}simpleType")
    restriction = etree.SubElement(simple, f"{{{_XS}}}restriction", base=simple_type)
    if minimum is not None:
        etree.SubElement(restriction, f"{{{_XS}}}minLength", value=str(minimum))
    if maximum is not None:
        etree.SubElement(restriction, f"{{{_XS}}}maxLength", value=str(maximum))


def _xsd_choice(parent: etree._Element, target: MetaClass, model: Metamodel, **occurs: str) -> None:
    """One element per concrete class of ``target``, named by the class (``<property>``)."""
    choice = etree.SubElement(parent, f"{{{_XS}}}choice", occurs)
    for concrete in model.descendants(target.name):
        etree.SubElement(
            choice, f"{{{_XS}}}element", name=concrete.xml_name, type=f"aas:{concrete.name}_t"
        )


def _xsd_simple(prop: Property, constrained: Constrained | None) -> str:
    if constrained is not None:
        return f"aas:{_constrained_name(constrained)}_t"
    if prop.kind == "enum":
        return f"aas:{prop.type_name}_t"
    if prop.kind == "bool":
        return "xs:boolean"
    if prop.kind == "bytes":
        return "xs:base64Binary"
    if prop.kind == "int":
        return "xs:integer"
    return "xs:string"


# endregion

# region SHACL

_SHAPES = "urn:aas-toolkit:shapes:"


def shacl(version: Version) -> bytes:
    """SHACL shapes for the official RDF mapping, in Turtle.

    One closed node shape per concrete class (targeting ``aas:<Class>``), one property shape
    per property: cardinality, datatype, length and pattern of constrained strings, the
    literal IRIs of an enumeration, and the classes a node value may have. Language strings
    use ``AbstractLangString/text`` as the data does (the official shapes name a
    ``LangString...Type/text`` path no data holds).
    """
    from aas.metamodel.rdf_names import EMPTY, INDEX, NAMESPACES, RDF_TYPE, XS, enum_iris

    model = describe(version)
    namespace = NAMESPACES[version]
    enums = enum_iris(version)
    lines = [
        "@prefix sh: <http://www.w3.org/ns/shacl#> .",
        f"@prefix aas: <{namespace}> .",
        f"@prefix xs: <{XS}> .",
        f"@prefix shapes: <{_SHAPES}{version}/> .",
        "",
        f"# AAS V{version} shapes, generated by aas-toolkit (python -m aas.metamodel.schemagen).",
        "",
    ]
    datatypes = {
        "string": "xs:string",
        "bytes": "xs:base64Binary",
        "bool": "xs:boolean",
        "int": "xs:integer",
    }
    for cls in sorted(model.concrete(), key=lambda c: c.serialized_name):
        if cls.name == "Environment":
            continue  # the mapping gives an Environment no node of its own
        lines.append(f"shapes:{cls.serialized_name} a sh:NodeShape ;")
        lines.append(f"    sh:targetClass aas:{cls.serialized_name} ;")
        lines.append("    sh:closed true ;")
        lines.append(f"    sh:ignoredProperties ( <{RDF_TYPE}> <{INDEX}> <{EMPTY}> ) ;")
        for prop in cls.properties:
            path = f"<{namespace}{serialized_name(prop.declared_by)}/{prop.json_name}>"
            facts = [f"sh:path {path}"]
            minimum, maximum = _length(cls, prop, model)
            if prop.required:
                facts.append(f"sh:minCount {max(1, minimum or 1) if prop.many else 1}")
            if not prop.many:
                facts.append("sh:maxCount 1")
            constrained = _constrained(cls, prop, model)
            if prop.kind in datatypes:
                facts.append(f"sh:datatype {datatypes[prop.kind]}")
                lows = [v for v in (constrained and constrained.min_length, minimum) if v]
                highs = [v for v in (constrained and constrained.max_length, maximum) if v]
                if lows:
                    facts.append(f"sh:minLength {max(lows)}")
                if highs:
                    facts.append(f"sh:maxLength {min(highs)}")
                for name in constrained.patterns if constrained else ():
                    facts.append(f"sh:pattern {_turtle_string(json_pattern(name, version))}")
            elif prop.kind == "enum":
                literals = " ".join(
                    f"<{iri}>" for (enum, _), iri in enums.items() if enum == prop.type_name
                )
                facts.append(f"sh:in ( {literals} )")
            else:
                assert prop.type_name is not None
                targets = model.descendants(prop.type_name)
                if len(targets) == 1:
                    facts.append(f"sh:class aas:{targets[0].serialized_name}")
                else:
                    options = " ".join(f"[ sh:class aas:{t.serialized_name} ]" for t in targets)
                    facts.append(f"sh:or ( {options} )")
                facts.append("sh:nodeKind sh:BlankNodeOrIRI")
            lines.append("    sh:property [ " + " ; ".join(facts) + " ] ;")
        lines[-1] = lines[-1][:-1] + "."
        lines.append("")
    return ("\n".join(lines) + "\n").encode("utf-8")


def _turtle_string(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    escaped = escaped.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")
    return f'"{escaped}"'


# endregion


def generate(folder: Path | None = None) -> list[Path]:
    folder = folder or schema_folder()
    written = []
    for version in Version:
        json_name, xsd_name = schema_names(version)
        json_path = folder / json_name
        json_path.write_bytes(
            orjson.dumps(json_schema(version), option=orjson.OPT_INDENT_2) + b"\n"
        )
        xsd_path = folder / xsd_name
        xsd_path.write_bytes(xsd(version))
        shapes_path = folder / shapes_name(version)
        shapes_path.write_bytes(shacl(version))
        written += [json_path, xsd_path, shapes_path]
    return written


def main(argv: list[str] | None = None) -> int:
    """``python -m aas.metamodel.schemagen [FOLDER]``; ``-h`` prints the usage and writes
    nothing (an option is never taken for a folder)."""
    parser = argparse.ArgumentParser(
        prog="python -m aas.metamodel.schemagen",
        description="Write the JSON Schemas, XSDs and SHACL shapes of every metamodel version, "
        "generated from the metamodel description.",
    )
    parser.add_argument(
        "folder",
        nargs="?",
        type=Path,
        help=f"where to write them (default: the project's schemas folder, {schema_folder()})",
    )
    args = parser.parse_args(argv)
    for path in generate(args.folder):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
