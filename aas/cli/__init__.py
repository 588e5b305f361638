"""The command line: options parsed and results printed; the work is the library's."""

from aas.cli.commands import app, main

__all__ = ["app", "main"]
