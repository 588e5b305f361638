"""The compiled Turtle reader, ``aas._turtle`` (C, aas/_native/); everything else about the
package is in pyproject.toml.

Optional: where it cannot be compiled (no C compiler, no Python headers) the package installs
without it and reads Turtle with the Python reader alone (converters/rdf), which is also what
the compiled reader hands anything unusual to.
"""

from pathlib import Path

from setuptools import Extension, setup

_NATIVE = Path("aas") / "_native"

setup(
    ext_modules=[
        Extension(
            "aas._turtle",
            sources=sorted(str(path) for path in _NATIVE.glob("*.c")),
            depends=sorted(str(path) for path in _NATIVE.glob("*.h")),
            extra_compile_args=["-O2", "-std=c11", "-Wall", "-Wextra"],
            optional=True,
        )
    ]
)
