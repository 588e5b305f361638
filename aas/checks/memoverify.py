"""aas-core's verification, with the verdicts on small repeated values remembered.

A model names the same few concepts thousands of times: the semanticIds of its elements are
mostly equal References. aas-core checks each occurrence anew (on the benchmark's 15 MB model,
24,114 References of which 468 differ). The verification of a Reference depends on nothing but
its own content (its type, keys and referred semanticId), so
within one run a value found clean once is clean wherever it occurs again; only clean verdicts
are remembered (an error carries the path of the instance it is about, and is made anew for
each occurrence). Whole language strings were tried too: their texts rarely repeat, and
remembering them by (language, text) cost more than it saved (the benchmark's mlp shape, 10 %
slower). Their languages do repeat (a handful in a model): a language aas-core's BCP 47
pattern accepted is remembered, and the text of every language string is checked each time
(see :func:`_lang_string`; on the mlp shape, 49,188 language strings, verification took
0.063 s instead of 0.089 s). Plain Properties, and lists of them, are judged by aas-core's
own checks of the few attributes they set, without the rest of its transform (see
:class:`_Plain`). What is reported is therefore exactly what aas-core reports, in its order.

The transformer is aas-core's own, subclassed: every error is aas-core's, made by its code;
only the verdict "clean" is reached faster.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from functools import cache
from typing import Any, cast

from aas.metamodel import verifyok
from aas.metamodel.names import snake
from aas.model import Root
from aas.versions import Version, binding


def _reference_key(that: Any) -> Hashable:
    referred = that.referred_semantic_id
    return (
        that.type,
        tuple([(key.type, key.value) for key in that.keys]),
        None if referred is None else _reference_key(referred),
    )


#: The language-string classes, with the most characters their text may hold (aas-core's own
#: limit, written in its ``transform_<class>``; a test probes aas-core for each).
LANG_STRINGS = {
    "LangStringNameType": 128,
    "LangStringTextType": 1023,
    "LangStringPreferredNameTypeIEC61360": 255,
    "LangStringShortNameTypeIEC61360": 18,
    "LangStringDefinitionTypeIEC61360": 1023,
}


def _lang_string(method: str, limit: int) -> Callable[..., Iterator[Any]]:
    """aas-core checks a language string's text length, its language by a BCP 47 pattern and
    its text as non-empty and XML-serializable. A model holds tens of thousands of them in a
    handful of languages, so a language aas-core found clean is remembered (the pattern's
    verdict depends on the language alone) while the text is checked anew each time: a
    printable text holds no control character, surrogate or noncharacter, so a non-empty
    printable text within the limit passes aas-core's text checks. Anything else -- a
    language not seen clean yet, an empty, long or unprintable text (a tab, a line break) --
    goes to aas-core itself, which then reports exactly what it always does."""

    def transform(self: Any, that: Any) -> Iterator[Any]:
        text = that.text
        if that.language in self.languages and 0 < len(text) <= limit and text.isprintable():
            return iter(())
        errors = list(getattr(super(self.__class__, self), method)(that))
        if not errors:
            self.languages.add(that.language)
        return iter(errors)

    return transform


def _remembering(method: str, key_of: Callable[[Any], Hashable]) -> Callable[..., Iterator[Any]]:
    def transform(self: Any, that: Any) -> Iterator[Any]:
        clean: set[Hashable] = self.clean
        # The instance itself first: a model read for conversion shares equal References.
        if that in clean:
            return iter(())
        key = key_of(that)
        if key in clean:
            return iter(())
        errors = list(getattr(super(self.__class__, self), method)(that))
        if not errors:
            clean.add(key)
            clean.add(that)
        return iter(errors)

    return transform


class _Plain:
    """Clean verdicts on plain Properties and lists of them, reached without aas-core's
    ``transform_property`` and ``transform_submodel_element_list`` (mixed into the
    transformer of one version, whose functions it is given by :func:`_plain_namespace`).

    Most Properties of a large model set nothing but their value type and value, and maybe an
    idShort and a semanticId; a list of samples holds thousands of Properties that set only
    the first two. aas-core then checks only these: the value against its value type and as
    XML-serializable text (AASd-130), the idShort by its type's rules, the semanticId as a
    Reference. Every other invariant of ``transform_property`` is about an attribute left
    unset (extensions, category, names, descriptions, supplemental semanticIds, qualifiers,
    data specifications, valueId), and holds. The same holds of a list that sets nothing but
    its idShort, semanticId, the kind and value type of its elements (Property), and its
    elements: every invariant of the list about its elements (AASd-107, 108, 109, 114, 120)
    holds when each is a plain Property of that value type without idShort and semanticId.
    Those checks are asked of aas-core's own functions here, which spares aas-core's
    generators and its loops over the elements, one per invariant (on the benchmark's
    huge-submodel shape, 99,555 Properties of which 99,306 in 1,656 such lists, verification
    took 0.118 s, now 0.053 s). Anything else set, or any check not clean, goes to aas-core
    itself, which then reports exactly what it always does. Verdicts on idShorts are
    remembered (the verdict depends on the text alone, and a model repeats a few); values are
    not: on that shape two thirds of the values differ."""

    # given per version by _plain_namespace
    consistent: dict[int, Callable[[str], bool]]
    serializable: Callable[[str], bool]
    id_short_errors: Callable[[str], Iterator[Any]]
    property_class: Any
    property_kind: object
    id_shorts: set[str]

    def _plain_value(self, value: str | None, value_type: object) -> bool:
        """Whether aas-core finds ``value`` consistent with ``value_type`` and serializable."""
        if value is None:
            return True
        check = self.consistent.get(id(value_type))
        return (
            check is not None
            and check(value)
            # printable ASCII is serializable: spares the pattern
            and ((value.isascii() and value.isprintable()) or self.serializable(value))
        )

    def _clean_names(self, id_short: str | None, semantic_id: Any) -> bool:
        """Whether an idShort and a semanticId are clean (either may be unset)."""
        if id_short is not None and id_short not in self.id_shorts:
            if next(self.id_short_errors(id_short), None) is not None:
                return False
            self.id_shorts.add(id_short)
        transform: Callable[[Any], Iterator[Any]] = cast(Any, self).transform
        return semantic_id is None or next(transform(semantic_id), None) is None

    def transform_property(self, that: Any) -> Iterator[Any]:
        if (
            that.extensions is None
            and that.category is None
            and that.display_name is None
            and that.description is None
            and that.supplemental_semantic_ids is None
            and that.qualifiers is None
            and that.embedded_data_specifications is None
            and that.value_id is None
            and self._plain_value(that.value, that.value_type)
            and self._clean_names(that.id_short, that.semantic_id)
        ):
            return iter(())
        errors: Iterator[Any] = cast(Any, super()).transform_property(that)
        return errors

    def transform_submodel_element_list(self, that: Any) -> Iterator[Any]:
        elements = that.value
        value_type = that.value_type_list_element
        if (
            that.type_value_list_element is self.property_kind
            and value_type is not None
            and elements
            and that.extensions is None
            and that.category is None
            and that.display_name is None
            and that.description is None
            and that.supplemental_semantic_ids is None
            and that.qualifiers is None
            and that.embedded_data_specifications is None
            and that.semantic_id_list_element is None
            and self._clean_names(that.id_short, that.semantic_id)
            and self._plain_elements(elements, value_type)
        ):
            return iter(())
        errors: Iterator[Any] = cast(Any, super()).transform_submodel_element_list(that)
        return errors

    def _plain_elements(self, elements: list[Any], value_type: object) -> bool:
        """Whether every element is a plain, clean Property of ``value_type`` with neither
        idShort nor semanticId (one loop: this is where a large model spends its checks)."""
        check = self.consistent.get(id(value_type))
        if check is None:
            return False
        kind = self.property_class
        serializable = self.serializable
        for element in elements:
            if not (
                type(element) is kind
                and element.value_type is value_type
                and element.id_short is None
                and element.semantic_id is None
                and element.extensions is None
                and element.category is None
                and element.display_name is None
                and element.description is None
                and element.supplemental_semantic_ids is None
                and element.qualifiers is None
                and element.embedded_data_specifications is None
                and element.value_id is None
            ):
                return False
            value = element.value
            if value is not None and not (
                check(value) and ((value.isascii() and value.isprintable()) or serializable(value))
            ):
                return False
        return True


def _plain_namespace(version: Version) -> dict[str, Any]:
    """What :class:`_Plain` needs of one version's aas-core."""
    bound = binding(version)
    verification = bound.verification
    types: Any = bound.types
    table = verification._DATA_TYPE_DEF_XSD_TO_VALUE_CONSISTENCY
    return {
        # by the value type's identity: an enumeration member hashes in Python, slowly
        "consistent": {id(value_type): check for value_type, check in table.items()},
        "serializable": staticmethod(verification.matches_xml_serializable_string),
        "id_short_errors": staticmethod(verification.verify_id_short_type),
        "property_class": types.Property,
        "property_kind": types.AASSubmodelElements.PROPERTY,
    }


@cache
def _transformer_class(version: Version) -> type:
    base: type = binding(version).verification._Transformer
    namespace: dict[str, Any] = {
        **_plain_namespace(version),
        "transform_reference": _remembering("transform_reference", _reference_key),
        **{
            f"transform_{snake(name)}": _lang_string(f"transform_{snake(name)}", limit)
            for name, limit in LANG_STRINGS.items()
        },
    }
    return type("RememberingTransformer", (_Plain, base), namespace)


def verify(root: Root, version: Version) -> Iterator[Any]:
    """aas-core's ``verification.verify(root)``: the same errors in the same order.

    The generated check of :mod:`aas.metamodel.verifyok` asks first whether there is any
    error at all (aas-core's own conditions, without its generators; on the benchmark's
    shapes a third less time); only when there is, or when the check fails itself, does
    aas-core's verification run and make them."""
    try:
        clean = verifyok.checks(version)[root.__class__](root, set())
    except Exception:  # a class it has no check for, or what aas-core would raise: ask it
        clean = False
    if clean:
        return
    transformer = _transformer_class(version)()
    transformer.clean = set()
    transformer.languages = set()
    transformer.id_shorts = set()
    yield from transformer.transform(root)
