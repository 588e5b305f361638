"""``aas validate --output html``: one self-contained page that parses as HTML5 without a
single parse error (html5lib in strict mode: no browser on CI), holds every finding of the
report under its rule, quotes the source line where the input is a text file, and shows what
hostile input holds as text."""

from __future__ import annotations

import gzip
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import html5lib
import orjson
import pytest

from aas.findings import Finding, Location, Severity
from aas.report import Report
from aas.report_html import read_source_lines, render_html

from conftest import EXAMPLES, corpus, run_cli

DATA = Path(__file__).parent / "data" / "templates"


def parse(page: bytes | str) -> ElementTree.Element:
    """The page as html5lib builds it; any parse error (a stray character, a bad nesting, a
    missing doctype) raises."""
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    document: ElementTree.Element = parser.parse(page)
    return document


def findings_in(document: ElementTree.Element) -> list[ElementTree.Element]:
    return [li for li in document.iter("li") if "finding" in li.get("class", "").split()]


def text_of(element: ElementTree.Element) -> str:
    return "".join(element.itertext())


def nothing_from_elsewhere(document: ElementTree.Element) -> None:
    assert [element.tag for element in document.iter("script")] == []
    assert [element.tag for element in document.iter("link")] == []
    for element in document.iter():
        for name, value in element.attrib.items():
            assert name not in ("src", "href"), (element.tag, name, value)
            assert not name.startswith("on"), (element.tag, name, value)


@pytest.fixture(scope="module")
def failing_templates() -> Path:
    """A published template with findings, as JSON and as AASX (DEXPI: over 90 each)."""
    return corpus("idta-templates", "published", "DEXPI", "1", "0")


def test_the_page_of_a_failing_template_holds_every_finding(failing_templates: Path) -> None:
    as_json = run_cli("validate", str(failing_templates), "--output", "json")
    as_html = run_cli("validate", str(failing_templates), "--output", "html")
    assert as_html.returncode == as_json.returncode == 1, as_html.stderr
    reports = orjson.loads(as_json.stdout)["reports"]
    expected = [finding for report in reports for finding in report["findings"]]
    assert len(expected) > 100
    document = parse(as_html.stdout)
    nothing_from_elsewhere(document)
    items = findings_in(document)
    assert len(items) == len(expected)
    assert sorted(item.get("data-rule", "") for item in items) == sorted(
        finding["rule"] for finding in expected
    )
    # The rule table names each rule once, with its count.
    table = next(t for t in document.iter("table") if "rules" in t.get("class", ""))
    counted = {
        text_of(row[0]): int(text_of(row[2])) for row in table.iter("tr") if row[0].tag == "td"
    }
    assert counted == {rule: sum(f["rule"] == rule for f in expected) for rule in counted}
    assert set(counted) == {finding["rule"] for finding in expected}
    # Severity totals at the top.
    totals = next(s for s in document.iter("span") if s.get("class") == "totals")
    for severity in ("error", "warning", "info"):
        shown = next(s for s in totals if s.get("class") == severity)
        assert text_of(shown) == f"{sum(f['severity'] == severity for f in expected)} {severity}"


def test_json_findings_quote_their_source_line_and_a_package_says_it_has_none(
    failing_templates: Path,
) -> None:
    page = run_cli("validate", str(failing_templates), "--output", "html").stdout
    reports = orjson.loads(run_cli("validate", str(failing_templates), "--output", "json").stdout)
    lined = {
        report["format"]: sum("line" in f["location"] for f in report["findings"])
        for report in reports["reports"]
    }
    document = parse(page)
    quoted = unavailable = 0
    json_file = next(failing_templates.glob("*.json"))
    source = json_file.read_text(encoding="utf-8").split("\n")
    for item in findings_in(document):
        where = " ".join(text_of(p) for p in item.iter("p") if p.get("class") == "where")
        pre = [p for p in item.iter("pre") if p.get("class") == "source"]
        if pre:
            number, _, shown = text_of(pre[0]).partition(" ")
            assert shown.strip() == source[int(number) - 1].strip()
            assert f"line {number}:" in where
            quoted += 1
        elif any(p.get("class") == "nosource" for p in item.iter("p")):
            assert ".aasx!/" in where  # the finding is in a part of the package
            unavailable += 1
    assert quoted == lined["json"] > 50
    assert unavailable == lined["aasx"] > 40


def test_hostile_names_and_values_show_as_text(tmp_path: Path) -> None:
    name = tmp_path / '<script>alert("file")<script>.json'
    name.write_text(
        '{"submodels": [{"modelType": "Submodel", "id": "urn:x:sm",\n'
        '"idShort": "<script>alert(1)</script>", "submodelElements": [{"modelType": '
        '"Property", "idShort": "p1", "valueType": "xs:int", "value": "<img src=x onerror=y>"}'
        "]}]}\n",
        encoding="utf-8",
    )
    result = run_cli("validate", str(name), "--output", "html")
    assert result.returncode == 1, result.stderr
    document = parse(result.stdout)
    nothing_from_elsewhere(document)
    assert [element.tag for element in document.iter("img")] == []
    page = text_of(document)
    assert '<script>alert("file")<script>.json' in page
    assert "<script>alert(1)</script>" in page  # the quoted source line
    assert "<img src=x onerror=y>" in page


def test_characters_html5_rejects_are_spelled_out() -> None:
    """Controls, noncharacters and lone surrogates (JSON can carry all three) would make the
    page invalid or unwritable as UTF-8: they show as \\uXXXX."""
    message = "bad \x00 \x01 \x0b \x7f \x85 \ufdd0 \uffff \ud800 <b>&amp; \r end"
    report = Report(
        "in\x1b[31m.json",
        [Finding(Severity.ERROR, "toolkit:test", message, Location(pointer="/a\x02"))],
    )
    page = render_html([report], read_lines=lambda path, lines: None)
    page.encode("utf-8")  # no lone surrogate left
    document = parse(page)
    (item,) = findings_in(document)
    shown = text_of(item)
    for spelled in ("\\u0000", "\\u0001", "\\u000b", "\\u007f", "\\u0085", "\\ufdd0"):
        assert spelled in shown
    assert "\\uffff" in shown and "\\ud800" in shown and "\\r end" in shown
    assert "<b>&amp;" in shown and "/a\\u0002" in shown
    assert "in\\u001b[31m.json" in text_of(document)


def test_standard_input_has_no_source_to_quote() -> None:
    data = (EXAMPLES / "motor" / "motor.json").read_bytes().replace(b'"Motor', b'"1Motor', 1)
    result = run_cli("validate", "-", "--output", "html", stdin=data)
    document = parse(result.stdout)
    items = findings_in(document)
    lined = [item for item in items if "line " in text_of(item)]
    assert lined, result.stdout.decode()
    assert all("source not available" in text_of(item) for item in lined)
    assert not any(pre.get("class") == "source" for pre in document.iter("pre"))


def test_the_same_reports_give_the_same_bytes(failing_templates: Path) -> None:
    first = run_cli("validate", str(failing_templates), "--output", "html")
    second = run_cli("validate", str(failing_templates), "--output", "html", "--jobs", "2")
    assert first.stdout == second.stdout


def test_a_clean_run_and_an_unreadable_file(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"submodels": [\n  {"id": \n', encoding="utf-8")
    result = run_cli(
        "validate", str(EXAMPLES / "motor" / "motor.json"), str(broken), "--output", "html"
    )
    assert result.returncode == 3
    document = parse(result.stdout)
    verdicts = [s for s in document.iter("span") if "verdict" in s.get("class", "")]
    assert [text_of(v) for v in verdicts] == ["ok", "unreadable"]
    (syntax,) = [i for i in findings_in(document) if i.get("data-rule", "").startswith("json:")]
    assert "broken.json" in text_of(document) and "line 3" in text_of(syntax)


def test_template_check_writes_the_page_too() -> None:
    args = ("template", "check", str(DATA / "nameplate-defects.json"), "-t")
    as_json = run_cli(*args, str(DATA / "nameplate-template.json"), "--output", "json")
    as_html = run_cli(*args, str(DATA / "nameplate-template.json"), "--output", "html")
    assert as_html.returncode == as_json.returncode == 1
    reports = orjson.loads(as_json.stdout)["reports"]
    expected: list[Any] = [finding for report in reports for finding in report["findings"]]
    document = parse(as_html.stdout)
    assert len(findings_in(document)) == len(expected) > 0
    assert text_of(next(document.iter("h1"))) == "aas template check report"


def test_source_lines_are_read_in_one_pass_and_only_from_text(tmp_path: Path) -> None:
    text = tmp_path / "a.json"
    text.write_bytes(b"\xef\xbb\xbffirst\r\nsecond\n" + b"x" * 3_000_000 + b"\nlast")
    lines = read_source_lines(str(text), {1, 3, 4})
    assert lines is not None
    assert lines[1] == "first" and lines[4] == "last" and 2 not in lines
    assert 0 < len(lines[3]) <= 1 << 20  # an over-long line is kept in part only
    packed = tmp_path / "a.json.gz"
    packed.write_bytes(gzip.compress(b"{}\n"))
    assert read_source_lines(str(packed), {1}) is None
    assert read_source_lines(str(EXAMPLES / "sensor" / "sensor.aasx"), {1}) is None
    wide = tmp_path / "wide.xml"
    wide.write_bytes("<a/>\n".encode("utf-16"))
    assert read_source_lines(str(wide), {1}) is None
    assert read_source_lines(str(tmp_path / "gone.json"), {1}) is None
    assert read_source_lines(str(tmp_path), {1}) is None
