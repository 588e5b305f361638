"""Pause Python's cycle collector while a model is built, checked or written.

A model is hundreds of thousands of small objects made in one go, none of them garbage yet;
the cycle collector would walk them again and again as they are made (the benchmark measured
a quarter of a conversion's time there, and the cost per element growing with the model).
Reference counting still frees everything as usual; the collector runs again afterwards.
"""

from __future__ import annotations

import functools
import gc
from collections.abc import Callable
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")


def collector_paused(function: Callable[P, R]) -> Callable[P, R]:
    @functools.wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        if not gc.isenabled():  # already paused by a caller: nothing to restore
            return function(*args, **kwargs)
        gc.disable()
        try:
            return function(*args, **kwargs)
        finally:
            gc.enable()

    return wrapper
