"""A large submodel's XML is checked one element of its ``submodelElements`` at a time, and gives
exactly the findings of the whole-document check.

``aas.converters.xml.pieces`` cuts a submodel whose text is at least ``LARGE_SUBMODEL`` long
into its elements (each checked by the XSD alone, then a stand-in). The threshold is lowered here
so that every submodel is cut, and the findings (severity, rule, message, XPath, line, what they
merged, in order) are compared with the whole-document way's, as ``test_xml_pieces`` does for
the identifiables.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_xml_pieces import HOSTILE, NS30, NS31, Ways, _environment

import aas.converters.xml.pieces as xml_pieces
from aas.validation import validate

from conftest import corpus

PROPERTY = (
    "<property><idShort>p{n}</idShort><valueType>xs:int</valueType><value>{n}</value></property>"
)
#: A property the XSD refuses (idShort after valueType) that aas-core reads.
BAD_PROPERTY = "<property><valueType>xs:int</valueType><idShort>b{n}</idShort></property>"
#: A collection holding, two levels down, an idShort the XSD's pattern refuses.
DEEP = (
    "<submodelElementCollection><idShort>c{n}</idShort><value>"
    "<submodelElementCollection><idShort>d{n}</idShort><value>\n"
    "<property><idShort>not good {n}</idShort><valueType>xs:string</valueType></property>"
    "\n</value></submodelElementCollection></value></submodelElementCollection>"
)
#: Elements whose empty form the XSD accepts (their stand-ins must still draw a complaint).
LENIENT = (
    "<multiLanguageProperty><idShort>m{n}</idShort></multiLanguageProperty>"
    "<referenceElement><idShort>r{n}</idShort></referenceElement>"
    "<capability><idShort>k{n}</idShort></capability>"
)


def _elements(count: int) -> str:
    templates = (PROPERTY, BAD_PROPERTY, DEEP, LENIENT, PROPERTY)
    return "\n".join(templates[n % len(templates)].format(n=n) for n in range(count))


def _submodel(inner: str, before: str = "", after: str = "", n: int = 0) -> str:
    return (
        f"<submodel><idShort>s{n}</idShort>{before}<id>urn:sm:{n}</id>\n"
        f"<submodelElements>\n{inner}\n</submodelElements>{after}\n</submodel>"
    )


CUT: dict[str, bytes] = {
    "broken elements among good ones": _environment(
        f"<submodels>{_submodel(_elements(20))}\n{_submodel(_elements(7), n=1)}</submodels>"
    ),
    "one element": _environment(f"<submodels>{_submodel(BAD_PROPERTY.format(n=0))}</submodels>"),
    "lenient elements only": _environment(
        f"<submodels>{_submodel(LENIENT.format(n=0) + LENIENT.format(n=1))}</submodels>"
    ),
    "the list before the id (libxml2 skips it)": _environment(
        "<submodels><submodel><submodelElements>"
        f"{_elements(6)}</submodelElements><id>urn:sm:0</id></submodel></submodels>"
    ),
    "an unknown element in the list": _environment(
        f"<submodels>{_submodel(_elements(4) + '<foo/>' + _elements(3))}</submodels>"
    ),
    "a non-element name in the list": _environment(
        f"<submodels>{_submodel(_elements(3) + '<submodel/>' + _elements(3))}</submodels>"
    ),
    "two lists": _environment(
        "<submodels><submodel><id>urn:sm:0</id><submodelElements>"
        f"{_elements(3)}</submodelElements><submodelElements>{_elements(3)}"
        "</submodelElements></submodel></submodels>"
    ),
    "text in the list": _environment(
        f"<submodels>{_submodel(_elements(3) + 'stray' + _elements(2))}</submodels>"
    ),
    "an attribute on the list": _environment(
        f"<submodels>{_submodel(_elements(5))}</submodels>".replace(
            "<submodelElements>", "<submodelElements x='1'>"
        )
    ),
    "an empty list": _environment(
        "<submodels><submodel><id>urn:sm:0</id><submodelElements/></submodel>"
        f"{_submodel(_elements(4), n=1)}</submodels>"
    ),
    "comments in the list and the elements": _environment(
        "<submodels>"
        + _submodel(
            "<!--a-->" + _elements(3) + "<!--b--><property><idShort>x<!--c-->y</idShort>"
            "<valueType>xs:int</valueType><?pi z?></property>" + _elements(2),
            before="<!--d-->",
        )
        + "</submodels>"
    ),
    "children before and after the list": _environment(
        "<submodels>"
        + _submodel(
            _elements(6),
            before="<semanticId><type>ExternalReference</type><keys><key><type>GlobalReference"
            "</type><value>urn:x</value></key></keys></semanticId>",
            after="<qualifiers><qualifier><type>q</type><valueType>xs:int</valueType>"
            "</qualifier></qualifiers>",
        )
        + "</submodels>"
    ),
    "an unknown element after the list": _environment(
        f"<submodels>{_submodel(_elements(4), after='<foo/>')}</submodels>"
    ),
    "V3.1": _environment(f"<submodels>{_submodel(_elements(12))}</submodels>", NS31),
    "a prefixed namespace": (
        f'<?xml version="1.0"?>\n<aas:environment xmlns:aas="{NS30}">'
        f"<aas:submodels>{_submodel(_elements(9))}</aas:submodels></aas:environment>\n"
    )
    .replace("<", "<aas:")
    .replace("<aas:/", "</aas:")
    .replace("<aas:?", "<?")
    .replace("<aas:aas:", "<aas:")
    .replace("</aas:aas:", "</aas:")
    .encode(),
    "lines beyond 65535": _environment(
        "<submodels>" + "\n" * 70_000 + _submodel(_elements(10)) + "</submodels>"
    ),
    "many elements": _environment(f"<submodels>{_submodel(_elements(600))}</submodels>"),
}


@pytest.fixture
def ways(monkeypatch: pytest.MonkeyPatch) -> Ways:
    return Ways(monkeypatch)


@pytest.fixture
def cut_always(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Every submodel counts as large; the list counts the submodels checked cut."""
    monkeypatch.setattr(xml_pieces, "LARGE_SUBMODEL", 1)
    cuts: list[int] = []
    check_cut = xml_pieces.PieceChecker.check_cut

    def counted(self: Any, element: Any, parts: Any) -> None:
        check_cut(self, element, parts)
        cuts.append(len(parts))

    monkeypatch.setattr(xml_pieces.PieceChecker, "check_cut", counted)
    return cuts


#: The documents whose (first) submodel is read cut: the others are read whole (the reading
#: in pieces gives up on them), and agree for that reason.
READ_CUT = {
    "broken elements among good ones",
    "one element",
    "lenient elements only",
    "the list before the id (libxml2 skips it)",
    "an attribute on the list",
    "an empty list",
    "comments in the list and the elements",
    "children before and after the list",
    "V3.1",
    "a prefixed namespace",
    "lines beyond 65535",
    "many elements",
}


@pytest.mark.parametrize("name", sorted(CUT))
def test_a_cut_submodel_gives_the_same_findings_as_the_whole_check(
    ways: Ways, cut_always: list[int], name: str
) -> None:
    data = CUT[name]
    if name == "comments in the list and the elements":
        data = data.replace(b"<!--", b"\n<!--")  # a line of their own: not the prolog case
    rows = ways.agree(lambda: validate(data))
    ways.agree(lambda: validate(data, checks=["schema"]))
    if name in READ_CUT:
        assert ways.pieces == 2 and cut_always and max(cut_always) > 0
        if name not in ("lenient elements only", "an empty list"):
            assert any(str(row[1]).startswith("xsd:") for row in rows)
    else:
        assert ways.pieces == 0
    if name == "lines beyond 65535":
        lines = [row[4] for row in rows if "submodelElements" in str(row[3])]
        assert lines and all(isinstance(line, int) and line > 70_000 for line in lines)


def test_the_skipped_list_drops_what_its_elements_found(ways: Ways, cut_always: list[int]) -> None:
    # the elements' own checks found things, but libxml2 never reaches them in the whole
    # document (the list is out of place): none of them may be reported
    rows = ways.agree(lambda: validate(CUT["the list before the id (libxml2 skips it)"]))
    assert cut_always and not any("not good" in str(row[2]) for row in rows)


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_the_identifiables_documents_agree_with_every_submodel_cut(
    ways: Ways, cut_always: list[int], name: str
) -> None:
    data = HOSTILE[name]
    if name == "comments inside and around identifiables":
        return  # its prolog comment differs by design (see test_xml_pieces)
    ways.agree(lambda: validate(data))
    ways.agree(lambda: validate(data, checks=["schema"]))


def test_a_large_submodel_is_found_by_its_text(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(xml_pieces, "LARGE_SUBMODEL", 2000)
    small = _submodel(_elements(2))
    large = _submodel(_elements(40), n=1)
    data = _environment(f"<submodels>{small}{large}\n{small}<submodel/>{large}</submodels>")
    assert xml_pieces.large_submodels(data) == {1, 4}
    checker = xml_pieces.checker_for(data, None)
    assert checker is not None and checker.large == {1, 4}
    assert xml_pieces.large_submodels(data[:1999]) == set()


def _with_elements() -> Iterator[Path]:
    for parts in (("testdatagen-3.1", "Xml"), ("examples-3.1", "xml")):
        for path in sorted(corpus(*parts).rglob("*.xml")):
            if b"<submodelElements" in path.read_bytes():
                yield path
    expected = corpus("testgen-3.0", "Xml", "ContainedInEnvironment", "Expected")
    yield from sorted(expected.rglob("*.xml"))


def test_the_corpus_files_with_submodel_elements_agree_with_every_submodel_cut(
    ways: Ways, cut_always: list[int]
) -> None:
    files = list(_with_elements())
    assert len(files) > 500
    for path in files:
        ways.agree(lambda path=path: validate(path))  # type: ignore[misc]
    assert len(cut_always) > 500
