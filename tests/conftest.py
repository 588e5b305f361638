"""Shared fixtures: where the conformance corpus lies, and helpers to run the CLI."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
CORPUS = Path(os.environ.get("AAS_CORPUS", REPO.parent / "shared" / "corpus"))
EXAMPLES = REPO / "examples"


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
