"""Counts said as a person says them: "1 error", "2 errors", no plural in brackets."""

from __future__ import annotations

#: Words whose plural is not the singular with an "s" (or that have none).
_PLURALS = {
    "info": "info",  # a severity: "2 info", as one says "2 info messages"
    "was": "were",
    "is": "are",
    "has": "have",
}


def plural(word: str, count: int) -> str:
    """``word`` as it goes with ``count`` things (``plural("file", 2)`` is ``"files"``)."""
    if count == 1:
        return word
    if word in _PLURALS:
        return _PLURALS[word]
    if word.endswith(("s", "x", "ch", "sh")):
        return word + "es"
    if word.endswith("y") and word[-2:-1] not in ("a", "e", "o", "u"):
        return word[:-1] + "ies"
    return word + "s"


def counted(count: int, word: str) -> str:
    """``count`` and ``word`` with its number: ``counted(1, "error")`` is ``"1 error"``,
    ``counted(3, "concept description")`` is ``"3 concept descriptions"`` (the last word
    takes the plural)."""
    head, _, last = word.rpartition(" ")
    return f"{count} {head + ' ' if head else ''}{plural(last, count)}"
