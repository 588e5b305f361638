"""Input that cannot be represented as a model is refused with a located ReadError
(library) or one error line and exit code 3 (CLI), never a traceback."""

from __future__ import annotations

import pytest

import aas

from conftest import assert_clean_failure, corpus, run_cli

#: JSON with a property the metamodel does not define is read without it, and the property
#: reported (see test_unknown_properties.py); every other unserializable file is refused.
TOLERATED = "UnexpectedAdditionalProperty"


@pytest.mark.parametrize(("folder", "suffix"), [("Json", "json"), ("Xml", "xml")])
def test_every_unserializable_file_is_refused(folder: str, suffix: str) -> None:
    files = sorted(corpus("testgen-3.0", folder).rglob(f"Unserializable/**/*.{suffix}"))
    if suffix == "json":
        files = [path for path in files if TOLERATED not in path.parts]
    assert len(files) > 300
    accepted = []
    for path in files:
        try:
            aas.load(path, version="3.0" if suffix == "json" else None)
        except aas.ReadError as error:
            assert error.location.file == str(path)
            assert error.location.pointer is not None or error.location.xpath is not None
            assert error.message
        else:
            accepted.append(path)
    print(f"{folder}: {len(files) - len(accepted)} of {len(files)} refused")
    assert accepted == []


def test_cli_refuses_a_sample_of_unserializable_files(tmp_path) -> None:
    root = corpus("testgen-3.0")
    causes = sorted(
        {p.parent.parent for p in root.rglob("Unserializable/*/*/*.json")}
        - {p.parent.parent for p in root.rglob(f"Unserializable/{TOLERATED}/*/*.json")}
    )
    causes += sorted({p.parent.parent for p in root.rglob("Unserializable/*/*/*.xml")})
    assert len(causes) >= 8
    for cause in causes:
        sample = next(p for p in sorted(cause.rglob("*")) if p.is_file())
        out = tmp_path / "out.json"
        result = run_cli("convert", str(sample), str(out), "--aas-version", "3.0")
        stderr = assert_clean_failure(result, 3)
        assert str(sample) in stderr
        assert not out.exists()


@pytest.mark.parametrize(
    ("content", "suffix", "expected"),
    [
        (b'{"submodels": [', "json", "not well-formed JSON"),
        (b"[1, 2]", "json", "top-level JSON value is an array"),
        (b'{"submodels": [{"modelType": "Submodel"}]}', "json", "cannot read as an AAS"),
        (
            b'<environment xmlns="https://admin-shell.io/aas/3/0"><submodels>',
            "xml",
            "not well-formed",
        ),
        (b'<environment xmlns="urn:other"/>', "xml", "unknown namespace"),
        (b"<environment/>", "xml", "no namespace"),
        (
            b'<?xml version="1.0"?><!DOCTYPE e [<!ENTITY a "x">]>'
            b'<environment xmlns="https://admin-shell.io/aas/3/0">&a;</environment>',
            "xml",
            "DOCTYPE",
        ),
        (b"PK\x03\x04broken", "aasx", "not a readable zip archive"),
    ],
)
def test_broken_input_is_named_and_located(
    tmp_path, content: bytes, suffix: str, expected: str
) -> None:
    path = tmp_path / f"broken.{suffix}"
    path.write_bytes(content)
    with pytest.raises(aas.ReadError) as caught:
        aas.load(path)
    assert expected in str(caught.value)
    assert str(path) in str(caught.value)


def test_json_syntax_error_has_line_and_column(tmp_path) -> None:
    path = tmp_path / "broken.json"
    path.write_bytes(b'{\n  "submodels": [\n    {,\n  ]\n}')
    with pytest.raises(aas.ReadError) as caught:
        aas.load(path)
    assert caught.value.location.line == 3
    assert caught.value.location.column is not None


def test_xml_model_error_points_at_the_element(tmp_path) -> None:
    path = tmp_path / "broken.xml"
    path.write_bytes(
        b'<environment xmlns="https://admin-shell.io/aas/3/0">\n'
        b"  <submodels>\n"
        b"    <submodel>\n"
        b"      <idShort>x</idShort>\n"
        b"    </submodel>\n"
        b"  </submodels>\n"
        b"</environment>\n"
    )
    with pytest.raises(aas.ReadError) as caught:
        aas.load(path)
    location = caught.value.location
    assert location.xpath is not None
    assert location.xpath.startswith("/aas:environment/aas:submodels")
    assert location.line in (3, 5)


def test_an_enumeration_of_the_wrong_type_names_the_type() -> None:
    """aas-core's message for it reads "but got: {type(jsonable)}"; the type is named."""
    import orjson

    base = {"modelType": "Submodel", "id": "urn:example:sm"}
    for kind, named in ((None, "NoneType"), (["Instance"], "list"), (3, "int")):
        document = orjson.dumps({"submodels": [{**base, "kind": kind}]})
        with pytest.raises(aas.ReadError) as caught:
            aas.load(document, format="json", version="3.0")
        assert f"but got: <class '{named}'>" in caught.value.message
        assert caught.value.location.pointer == "/submodels/0/kind"
