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
