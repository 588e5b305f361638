"""``python -m aas`` is the ``aas`` command."""

from aas.cli import main

main()
