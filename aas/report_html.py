"""The HTML rendering of validation reports: one self-contained HTML5 page.

The page needs nothing from elsewhere: its style is inline, it has no script (the groups
fold with ``<details>``), no font, no image. Findings are grouped by file, and in a file by
rule (the most severe rules first); counts per severity head the page, each file and each
rule. Each finding shows its location and, where the input is a text file on disk, the
source line it points at.

Everything taken from the input (file names, messages, idShorts quoted in them, source lines)
is escaped, and characters an HTML5 parser rejects (controls, noncharacters, lone surrogates)
are shown as ``\\uXXXX``: a hostile input shows as text and the page stays valid. The page is
a pure function of the reports and the source lines: no timestamp, no random id.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from pathlib import Path

from aas.about import __version__
from aas.findings import Finding, Location
from aas.report import NOTHING_CHECKED, Report
from aas.rules import lookup
from aas.severity import Severity
from aas.wording import counted

#: Reads the given (1-based) lines of a file: a mapping from line number to its text, or
#: None when the file's source cannot be shown (see :func:`read_source_lines`).
LineReader = Callable[[str, Collection[int]], Mapping[int, str] | None]

#: The most of a source line kept while reading (bytes): a minified JSON file is one line,
#: and a quote of it needs only the part around the column.
_LINE_CAP = 1 << 20
#: The most of a source line quoted (characters), centred on the column.
_QUOTE_WIDTH = 160
_SEVERITIES = (Severity.ERROR, Severity.WARNING, Severity.INFO)


def read_source_lines(path: str, wanted: Collection[int]) -> dict[int, str] | None:
    """The lines ``wanted`` of the text file ``path``, read in one pass that keeps only them
    (and at most :data:`_LINE_CAP` bytes of each). None when the file is gone, is not a
    regular file, or is not text this page can quote (a zip package, gzip, UTF-16 or
    UTF-32)."""
    file = Path(path)
    try:
        if not file.is_file():
            return None
        found: dict[int, str] = {}
        last = max(wanted, default=0)
        with file.open("rb") as handle:
            start = handle.read(4)
            if start == b"PK\x03\x04" or start[:2] in (b"\x1f\x8b", b"\xff\xfe", b"\xfe\xff"):
                # a package (zip), gzip, or UTF-16/32 by its byte order mark: no lines
                return None
            handle.seek(3 if start[:3] == b"\xef\xbb\xbf" else 0)
            number = 0
            while number < last:
                piece = handle.readline(_LINE_CAP)
                if not piece:
                    break
                number += 1
                ended = piece.endswith(b"\n")
                while not ended:  # the rest of an over-long line is skipped, not kept
                    more = handle.readline(_LINE_CAP)
                    ended = not more or more.endswith(b"\n")
                if number in wanted:
                    found[number] = piece.decode("utf-8", "replace").rstrip("\r\n")
        return found
    except OSError:
        return None


def render_html(
    reports: Sequence[Report],
    *,
    title: str = "aas validate",
    read_lines: LineReader = read_source_lines,
) -> str:
    """The page for ``reports``. Source lines are read through ``read_lines``, once per
    file (all the lines its findings need in one call); an input that is no plain file on
    disk (standard input, a part of an AASX package) says "source not available"."""
    totals: Counter[Severity] = Counter()
    per_rule: Counter[str] = Counter()
    files_per_rule: dict[str, set[int]] = {}
    for index, report in enumerate(reports):
        for finding in report.findings:
            totals[finding.severity] += 1
            per_rule[finding.rule] += 1
            files_per_rule.setdefault(finding.rule, set()).add(index)
    unreadable = sum(1 for report in reports if not report.readable)
    invalid = sum(1 for report in reports if report.readable and not report.ok)
    unchecked = sum(1 for report in reports if report.verdict == NOTHING_CHECKED)
    out: list[str] = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_text(title)} report</title>",
        f"<style>{_STYLE}</style>",
        "</head>",
        "<body>",
        f"<h1>{_text(title)} report</h1>",
        f'<p class="tool">aas-toolkit {_text(__version__)}: '
        f"{counted(len(reports), 'file')}, {invalid} invalid, {unreadable} unreadable, "
        + (f"{unchecked} with nothing checked, " if unchecked else "")
        + f"{counted(sum(totals.values()), 'finding')}</p>",
        _severity_counts(totals, "totals"),
    ]
    if per_rule:
        out.append(_rule_table(per_rule, files_per_rule))
    out.append("<h2>Files</h2>")
    for report in reports:
        out.extend(_file_section(report, read_lines))
    out.extend(["</body>", "</html>"])
    return "\n".join(out) + "\n"


def _rule_table(per_rule: Counter[str], files_per_rule: Mapping[str, set[int]]) -> str:
    rows = [
        "<h2>Rules</h2>",
        '<table class="rules">',
        "<thead><tr><th>Rule</th><th>Severity</th><th>Findings</th><th>Files</th>"
        "<th>Clause</th></tr></thead>",
        "<tbody>",
    ]
    for rule_id in _rule_order(per_rule):
        rule = lookup(rule_id)
        severity = rule.severity.value if rule else ""
        clause = rule.clause if rule else ""
        rows.append(
            f'<tr><td><code class="rule">{_text(rule_id)}</code></td>'
            f'<td class="{severity}">{severity}</td><td>{per_rule[rule_id]}</td>'
            f"<td>{len(files_per_rule[rule_id])}</td><td>{_text(clause)}</td></tr>"
        )
    rows.extend(["</tbody>", "</table>"])
    return "\n".join(rows)


def _file_section(report: Report, read_lines: LineReader) -> Iterable[str]:
    name = report.source or "<input>"
    verdict = report.verdict.lower()
    about = ", ".join(
        part
        for part in (
            report.format,
            f"V{report.version}" if report.version else None,
            f"upgraded from V{report.upgraded_from}" if report.upgraded_from else None,
        )
        if part
    )
    about_html = f' <span class="about">({_text(about)})</span>' if about else ""
    head = (
        f'<span class="verdict {verdict.replace(" ", "-")}">{verdict}</span> '
        f'<code class="file">{_text(name)}</code>{about_html} '
        f"{_severity_counts(Counter(f.severity for f in report.findings), 'counts')}"
    )
    if not report.findings:
        yield f'<p class="file clean">{head}</p>'
        return
    yield '<details class="file" open>'
    yield f"<summary>{head}</summary>"
    lines = _source_lines(report, read_lines)
    groups: dict[str, list[Finding]] = {}
    for finding in report.findings:
        groups.setdefault(finding.rule, []).append(finding)
    for rule_id in _rule_order(Counter({rule: len(found) for rule, found in groups.items()})):
        found = groups[rule_id]
        severity = found[0].severity.value
        yield '<details class="rule" open>'
        yield (
            f'<summary><code class="rule">{_text(rule_id)}</code> '
            f'<span class="{severity}">{severity}</span> '
            f"({counted(len(found), 'finding')})</summary>"
        )
        yield '<ol class="findings">'
        for finding in found:
            yield _finding_item(finding, report, lines)
        yield "</ol>"
        yield "</details>"
    yield "</details>"


def _source_lines(report: Report, read_lines: LineReader) -> Mapping[int, str] | None:
    """The source lines the report's findings point at, read in one call for the file."""
    if not _quotable(report):
        return None
    assert report.source is not None  # _quotable says so
    wanted = {
        finding.location.line
        for finding in report.findings
        if finding.location.line is not None and _in_source(finding.location, report)
    }
    if not wanted:
        return {}
    return read_lines(report.source, frozenset(wanted))


def _quotable(report: Report) -> bool:
    # A package's lines are those of a part inside it, not of the file on disk; standard
    # input is gone once read.
    return report.source not in (None, "-", "<stdin>") and report.format != "aasx"


def _in_source(location: Location, report: Report) -> bool:
    return location.file is None or location.file == report.source


def _finding_item(finding: Finding, report: Report, lines: Mapping[int, str] | None) -> str:
    location = finding.location
    parts = [
        f'<li class="finding {finding.severity.value}" data-rule="{_text(finding.rule)}">',
        f'<p class="message">{_text(finding.text)}</p>',
    ]
    where: list[str] = []
    if location.file and location.file != report.source:
        where.append(f'<code class="part">{_text(location.file)}</code>')
    if location.line is not None:
        column = f":{location.column}" if location.column is not None else ""
        where.append(f'<span class="line">line {location.line}{column}</span>')
    logical = location.pointer if location.pointer is not None else location.xpath
    if logical is not None:
        where.append(f'<code class="path">{_text(logical or "/")}</code>')
    if location.focus is not None:
        focus = location.focus + (f" {location.path}" if location.path else "")
        where.append(f'<code class="path">{_text(focus)}</code>')
    if where:
        parts.append(f'<p class="where">{" ".join(where)}</p>')
    if location.line is not None:
        parts.append(_quote(location, report, lines))
    parts.append("</li>")
    return "".join(parts)


def _quote(location: Location, report: Report, lines: Mapping[int, str] | None) -> str:
    line = location.line
    text = None
    if lines is not None and line is not None and _in_source(location, report):
        text = lines.get(line)
    if text is None:
        return '<p class="nosource">source not available</p>'
    column = location.column
    # The indentation tells nothing of the finding; the column moves with the text.
    indent = len(text) - len(text.lstrip(" \t"))
    text = text[indent:]
    if column is not None:
        column -= indent
    start = 0
    if len(text) > _QUOTE_WIDTH:
        centre = (column or 1) - 1
        start = max(0, min(centre - _QUOTE_WIDTH // 2, len(text) - _QUOTE_WIDTH))
    shown = text[start : start + _QUOTE_WIDTH]
    before = "\u2026" if start > 0 else ""
    after = "\u2026" if start + _QUOTE_WIDTH < len(text) else ""
    mark = None if column is None else column - 1 - start
    if mark is not None and 0 <= mark < len(shown):
        body = f"{_text(shown[:mark])}<mark>{_text(shown[mark])}</mark>{_text(shown[mark + 1 :])}"
    else:
        body = _text(shown)
    return f'<pre class="source"><span class="number">{line}</span> {before}{body}{after}</pre>'


def _severity_counts(counts: Mapping[Severity, int], kind: str) -> str:
    cells = " ".join(
        f'<span class="{severity.value}">{counts.get(severity, 0)} {severity.value}</span>'
        for severity in _SEVERITIES
    )
    return f'<span class="{kind}">{cells}</span>'


def _rule_order(counts: Mapping[str, int]) -> list[str]:
    """The most severe rules first, then the most frequent, then by id: a stable order."""

    def key(rule_id: str) -> tuple[int, int, str]:
        rule = lookup(rule_id)
        rank = rule.severity.rank if rule else -1
        return (-rank, -counts[rule_id], rule_id)

    return sorted(counts, key=key)


#: What an HTML5 parser rejects in text: C0 and C1 controls but tab, line feed, form feed and
#: carriage return; DEL; lone surrogates; noncharacters.
_UNSAFE = re.compile(
    "[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef"
    + "".join(f"{chr(plane << 16 | 0xFFFE)}{chr(plane << 16 | 0xFFFF)}" for plane in range(17))
    + "]"
)


def _text(value: str) -> str:
    """``value`` as HTML text or attribute value: escaped, and with the characters HTML5
    rejects shown as ``\\uXXXX``."""
    # A carriage return is parsed as a line break; spelled out, a quoted line keeps its form.
    escaped = html.escape(value.replace("\r", "\\r"), quote=True)
    return _UNSAFE.sub(lambda match: f"\\u{ord(match.group()):04x}", escaped)


_STYLE = """
body{font:15px/1.45 system-ui,sans-serif;margin:1.5em auto;max-width:70em;padding:0 1em;
color:#1d1d1f;background:#fff}
h1{font-size:1.5em;margin:0 0 .2em}h2{font-size:1.2em;margin:1.4em 0 .5em}
code,pre{font:13px/1.4 ui-monospace,monospace}
.tool{color:#555;margin:0 0 .4em}
.totals span,.counts span{display:inline-block;border-radius:3px;padding:0 .45em;margin-right:.3em}
.error{color:#b00020}.warning{color:#8a5a00}.info{color:#2a5db0}
.totals span.error,.counts span.error{background:#fde7ea}
.totals span.warning,.counts span.warning{background:#fff3d6}
.totals span.info,.counts span.info{background:#e6effc}
table.rules{border-collapse:collapse;width:100%}
table.rules th,table.rules td{border-bottom:1px solid #ddd;padding:.2em .5em;text-align:left;
vertical-align:top}
details.file,p.file{border:1px solid #ddd;border-radius:4px;margin:.4em 0;padding:.3em .6em}
details.rule{margin:.3em 0 .3em 1em}
summary{cursor:pointer}
.verdict{font-weight:600;text-transform:uppercase;font-size:.8em;padding:0 .4em;border-radius:3px}
.verdict.ok{background:#e3f5e1;color:#1b6e1b}.verdict.invalid{background:#fde7ea;color:#b00020}
.verdict.unreadable{background:#444;color:#fff}
.verdict.nothing-checked{background:#fff4ce;color:#7a5b00}
.about{color:#555}
ol.findings{margin:.2em 0;padding-left:2em}
li.finding{margin:.35em 0}
li.finding p{margin:0}
.where{color:#444;font-size:.9em}.where>*{margin-right:.6em}
pre.source{margin:.15em 0;padding:.2em .5em;background:#f5f5f7;overflow-x:auto;
white-space:pre}
pre.source .number{color:#888}
mark{background:#ffd54f}
.nosource{color:#888;font-size:.9em;font-style:italic}
""".strip()
