"""aas-core's verification, with the verdicts on small repeated values remembered.

A model names the same few concepts thousands of times: the semanticIds of its elements are
mostly equal References. aas-core checks each occurrence anew (on the benchmark's 15 MB model,
24,114 References of which 468 differ). The verification of a Reference depends on nothing but
its own content (its type, keys and referred semanticId), so
within one run a value found clean once is clean wherever it occurs again; only clean verdicts
are remembered (an error carries the path of the instance it is about, and is made anew for
each occurrence). Language strings were tried too: their texts rarely repeat, and
remembering them cost more than it saved (the benchmark's mlp shape, 10 % slower). What is
reported is therefore exactly what aas-core reports, in its order.

The transformer is aas-core's own, subclassed: every check is aas-core's code.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from functools import cache
from typing import Any

from aas.model import Root
from aas.versions import Version, binding


def _reference_key(that: Any) -> Hashable:
    referred = that.referred_semantic_id
    return (
        that.type,
        tuple([(key.type, key.value) for key in that.keys]),
        None if referred is None else _reference_key(referred),
    )


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
        "transform_reference": _remembering("transform_reference", _reference_key)
    }
    return type("RememberingTransformer", (base,), namespace)


def verify(root: Root, version: Version) -> Iterator[Any]:
    """aas-core's ``verification.verify(root)``: the same errors in the same order."""
    transformer = _transformer_class(version)()
    transformer.clean = set()
    yield from transformer.transform(root)
