"""aas-core's constraints are read from its verification code for the schema generator only:
the run-time description of the metamodel (RDF mapping, paths, unknown properties) never
parses aas-core's source."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from aas.metamodel.verification_facts import verification_facts
from aas.versions import Version

REPO = Path(__file__).resolve().parent.parent


def test_reading_and_writing_every_format_parses_no_source() -> None:
    # inspect.getsource is what reading aas-core's code starts with: refuse it, then read and
    # write the example through the RDF mapping (which describes the metamodel) and validate it.
    code = (
        "import inspect, io, sys, aas\n"
        "def refuse(*args, **kwargs):\n"
        "    raise AssertionError('source read at run time')\n"
        "inspect.getsource = refuse\n"
        "model = aas.load('examples/motor/motor.json')\n"
        "for fmt in ('turtle', 'jsonld', 'xml', 'aasx'):\n"
        "    aas.load(aas.dump(model, fmt).data, format=fmt)\n"
        "aas.validate('examples/motor/motor.json')\n"
        "print('aas.metamodel.verification_facts' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_the_facts_are_those_of_each_version() -> None:
    """The identifier grew from 2000 to 2048 characters in V3.1; idShort stays at 128."""
    for version, longest_id in ((Version.V3_0, 2000), (Version.V3_1, 2048)):
        facts = verification_facts(version)
        identifier = facts.constrained[("Submodel", "id")]
        assert (identifier.name, identifier.max_length) == ("identifier", longest_id)
        id_short = facts.constrained[("Submodel", "id_short")]
        assert (id_short.name, id_short.min_length, id_short.max_length) == (
            "id_short_type",
            1,
            128,
        )
        assert "id_short" in id_short.patterns
        # a submodel's elements, where given, are at least one
        assert facts.length("Submodel", "submodel_elements") == (1, None)
