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
0.063 s instead of 0.089 s). What is reported is therefore exactly what aas-core reports, in
its order.

The transformer is aas-core's own, subclassed: every error is aas-core's, made by its code;
only the verdict "clean" is reached faster.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from functools import cache
from typing import Any

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


@cache
def _transformer_class(version: Version) -> type:
    base: type = binding(version).verification._Transformer
    namespace: dict[str, Any] = {
        "transform_reference": _remembering("transform_reference", _reference_key),
        **{
            f"transform_{snake(name)}": _lang_string(f"transform_{snake(name)}", limit)
            for name, limit in LANG_STRINGS.items()
        },
    }
    return type("RememberingTransformer", (base,), namespace)


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
    yield from transformer.transform(root)
