"""Shared fixtures: where the conformance corpus lies, and helpers to run the CLI."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent
CORPUS = Path(os.environ.get("AAS_CORPUS", REPO.parent / "shared" / "corpus"))
EXAMPLES = REPO / "examples"
#: Where the V3.0 test generator keeps the Environments in JSON that break a rule.
INVALID_30_JSON = ("testgen-3.0", "Json", "ContainedInEnvironment", "Unexpected", "Invalid")

#: One Property whose idShort V3.0's pattern allows and V3.1's does not (one character).
ID_SHORT_30_ONLY: dict[str, Any] = {
    "submodels": [
        {
            "modelType": "Submodel",
            "id": "urn:example:sm:uri",
            "submodelElements": [
                # V3.0's idShort pattern allows one character; V3.1's wants at least two.
                {
                    "modelType": "Property",
                    "idShort": "u",
                    "valueType": "xs:anyURI",
                    "value": "HCSxO:",
                }
            ],
        }
    ]
}


def corpus(*parts: str) -> Path:
    path = CORPUS.joinpath(*parts)
    if not path.exists():
        pytest.fail(f"the conformance corpus is missing: {path} (set AAS_CORPUS)")
    return path


def run_cli(
    *args: str, stdin: bytes | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[bytes]:
    """Run ``python -m aas`` the way a user runs ``aas``."""
    return subprocess.run(
        [sys.executable, "-m", "aas", *args],
        input=stdin,
        capture_output=True,
        cwd=cwd,
        timeout=120,
        check=False,
    )


def assert_clean_failure(result: subprocess.CompletedProcess[bytes], code: int) -> str:
    """The run failed with ``code``, said so in one error line, and showed no traceback."""
    stderr = result.stderr.decode()
    assert result.returncode == code, stderr
    assert "Traceback" not in stderr, stderr
    assert "aas: error:" in stderr, stderr
    return stderr


def resolve_pointer(document: Any, pointer: str) -> Any:
    """The value an RFC 6901 JSON pointer names in ``document``; LookupError if none."""
    if pointer == "":
        return document
    if not pointer.startswith("/"):
        raise LookupError(f"{pointer!r} is no JSON pointer")
    node = document
    for raw in pointer[1:].split("/"):
        token = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(node, list):
            canonical = token.isdigit() and (token == "0" or not token.startswith("0"))
            if not canonical or int(token) >= len(node):
                raise LookupError(f"{pointer!r}: no item {token!r} in a list of {len(node)}")
            node = node[int(token)]
        elif isinstance(node, dict):
            if token not in node:
                raise LookupError(f"{pointer!r}: no member {token!r}")
            node = node[token]
        else:
            raise LookupError(f"{pointer!r}: {token!r} below a scalar")
    return node


def large_model(properties: int, described: bool = False) -> bytes:
    """Indented JSON of one submodel with many Property elements (about 470 bytes each, 550
    with ``described``), for tests that need a large input."""
    import orjson

    elements = []
    for i in range(properties):
        element: dict[str, Any] = {
            "modelType": "Property",
            "idShort": f"P{i}",
            "semanticId": {
                "type": "ExternalReference",
                "keys": [{"type": "GlobalReference", "value": f"urn:x:concept:{i}"}],
            },
        }
        if described:
            element["description"] = [
                {"language": "en", "text": f"Property {i}: a value, measured"}
            ]
        element["valueType"] = "xs:double"
        element["value"] = f"{i}.5"
        elements.append(element)
    environment = {
        "submodels": [{"modelType": "Submodel", "id": "urn:x:sm", "submodelElements": elements}]
    }
    return orjson.dumps(environment, option=orjson.OPT_INDENT_2)
