"""Types of the compiled Turtle reader (C, aas/_native/; built by setup.py where it can be)."""

from collections.abc import Callable
from typing import Any

class Store:
    """A parsed Turtle document: its terms, each once, and its triples in pyoxigraph's order."""

    def triple_count(self) -> int: ...
    def triples(
        self,
        iri: Callable[[str], Any],
        blank: Callable[[str], Any],
        literal: Callable[[str, str], Any],
        /,
    ) -> list[tuple[Any, str, Any]]: ...

def parse(data: bytes, base: str, /) -> Store | str: ...

# map.c (the reading of a store into the AAS jsonable; converters/rdf/native.py)

class Tables:
    """What map.c reads a store by: one version's metamodel and shapes."""

def tables(spec: tuple[Any, ...], /) -> Tables: ...
def read(
    store: Store, tables: Tables, max_depth: int, shacl: bool, origins: bool, /
) -> tuple[dict[str, Any], dict[int, Any] | None, tuple[list[str], ...]] | str: ...
def first_type(store: Store, prefixes: tuple[str, ...], rdf_type: str, /) -> int: ...
def store_from_triples(triples: list[tuple[Any, str, Any]], iri: type, blank: type, /) -> Store: ...
