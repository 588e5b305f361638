"""The compiled Turtle parser (aas._turtle.parse, aas/_native/parse.c) against its oracle.

For every input the compiled parser gives exactly the triples pyoxigraph gives, in the same
order and with blank nodes named as the Python reader names them
(``converters.rdf.native.python_triples``), or it does not take the input (a reason, as a str)
and the Python reader reads it. It never takes an input pyoxigraph refuses. Checked on every
Turtle file of the corpus, the IDTA templates and the project's examples written as Turtle,
hand-written cases of each construct, Hypothesis' byte edits of real files and documents drawn
from a small Turtle grammar.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import aas
from aas.converters.rdf import native
from aas.converters.rdf.terms import Blank, Iri, Literal
from aas.errors import ReadError

from conftest import CORPUS, EXAMPLES, REPO, corpus

turtle = pytest.importorskip("aas._turtle", reason="the compiled Turtle reader is not built")

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
XSD = "http://www.w3.org/2001/XMLSchema#"


def verdict(data: bytes) -> str:
    """ "same" (taken, pyoxigraph's triples exactly), "handed" (not taken, pyoxigraph reads
    it), "refused" (neither takes it); anything else is a defect of the compiled parser."""
    try:
        want: list[Any] | None = native.python_triples(data)
    except (SyntaxError, ValueError, MemoryError):
        want = None
    store = native.parse(data)
    if store is None:
        return "handed" if want is not None else "refused"
    if want is None:
        return "TAKES WHAT PYOXIGRAPH REFUSES"
    got = native.triples(store)
    if got != want:
        pairs = enumerate(zip(got, want, strict=False))
        first = next((i for i, (a, b) in pairs if a != b), min(len(got), len(want)))
        return f"DIFFERS at triple {first}: {got[first : first + 1]} != {want[first : first + 1]}"
    return "same"


def _turtle_files() -> list[Path]:
    return sorted(corpus().rglob("*.ttl"))


def test_every_turtle_file_of_the_corpus_gives_pyoxigraphs_triples() -> None:
    files = _turtle_files()
    assert len(files) > 1000, "the corpus holds thousands of Turtle files"
    verdicts: dict[str, list[Path]] = {}
    for path in files:
        verdicts.setdefault(verdict(path.read_bytes()), []).append(path)
    wrong = {
        key: paths[:3]
        for key, paths in verdicts.items()
        if key not in ("same", "handed", "refused")
    }
    assert not wrong
    # Hand-overs are only slower; but the corpus is the Turtle writers produce, and almost
    # all of it is taken (what is not: language-tagged literals, a few relative IRIs of forms
    # not resolved here).
    assert len(verdicts.get("same", [])) > 0.99 * (len(files) - len(verdicts.get("refused", [])))


def _as_turtle(source: Path) -> bytes | None:
    try:
        model = aas.load(source, verify=False)
    except ReadError:
        return None
    return aas.dump(model, "turtle").data


def test_idta_templates_written_as_turtle_give_pyoxigraphs_triples() -> None:
    templates = sorted(corpus("idta-templates", "published").rglob("*.json"))
    assert len(templates) > 50
    taken = 0
    for path in templates:
        data = _as_turtle(path)
        if data is None:
            continue
        result = verdict(data)
        assert result in ("same", "handed"), (path, result)
        taken += result == "same"
    assert taken > 50


def test_the_examples_written_as_turtle_give_pyoxigraphs_triples() -> None:
    sources = sorted(EXAMPLES.rglob("*.json")) + sorted(EXAMPLES.rglob("*.xml"))
    assert sources
    for path in sources:
        data = _as_turtle(path)
        assert data is not None, path
        assert verdict(data) == "same", path


# ---- hand-written cases ----------------------------------------------------------------------

P = "@prefix ex: <http://example.org/> .\n@prefix xs: <http://www.w3.org/2001/XMLSchema#> .\n"

TAKEN = [
    # blank node property lists and collections, nested: pyoxigraph's order is not document order
    "<http://s> <http://p> [ <http://q> [ <http://r> 1 ] ; <http://t> (1 2) ] .",
    "(1 [<http://q> 2] ()) <http://p> (3) .",
    '<http://s> <http://p> ("a" "b"^^<http://d> [] ( ) ((1)) [ <http://q> "x" ]) .',
    '<http://s> <http://q> [ <http://p> "a" ] .',
    "[] <http://p> [] .",
    "[ <http://p> 1 ] .",
    "[ <http://p> 1 ] <http://q> 2 .",
    "() <http://p> () .",
    # numbers and booleans, lexical forms as written
    "<http://s> <http://p> +1, -1, 0, 1.0E2, .5, -0.50, 1.e5, 1e5, 1E+5, 1.5e-3, true, false .",
    "<http://s> <http://p> 1.",
    "<http://s> <http://p> true.",
    # blank node labels: pyoxigraph's form and b<n> renamed, others kept
    "<http://s> <http://p> _:b0, _:foo, _:Q, _:b7, _:abcdef0123456789ab, _:b0, _:x.y .",
    "_:b3 <http://p> _:b1 . _:b1 <http://p> _:b3 .",
    # prefixes, both styles, redefinition, empty prefix, `a`, trailing `;`, `;;`
    P + "ex:a ex:b ex:c, ex:%41, ex:a.b, ex: ; a ex:T; .",
    "PREFIX ex: <http://e/>\nprefix : <http://f/>\n:a ex:b :c ; ex:d :e ;; .",
    P + "@prefix ex: <http://other.org/> .\nex:a ex:b ex:c .",
    P + r"ex:a ex:b ex:\~\.\-\!\$\&\'\(\)\*\+\,\;\=\/\?\@\%41, ex:_a, ex:1, ex::b, ex:a-b .",
    # the four quotes and every escape
    P
    + '''ex:a ex:b """x
y""", 'z', \'\'\'a'b''c\'\'\', "\\u00e9\\t\\"\\U0001F600\\n\\r\\b\\f\\'\\\\", """a""b""" .''',
    P + 'ex:a ex:b "\\u0000", "é ü 日本", "x"^^xs:string, "1"^^xs:int, "x"^^<http://d#t> .',
    # comments and blank lines, CRLF line ends
    "# a comment\r\n<http://s> <http://p> <http://o> . # another\r\n\r\n",
    # relative IRIs resolved against the default base, and against @base / BASE
    "<a> <b> <c> . <x/y?q#f> <b> <c> .",
    "@base <http://example.org/dir/> . <a> <b> <c> .\nBASE <http://example.org>\n<a> <b> <c> .",
    "@prefix e: <rel/> . e:a <http://p> e:b .",
    # IRIs: escapes, query, fragment, port, dot segments (absolute IRIs are not normalised)
    "<http://s> <http://p> <http://a:80/b?c=d&e#f>, <urn:a/../b>, <http://a/\\u0062> .",
    "",
    "# only a comment",
    # non-ASCII: PN_CHARS_BASE and PN_CHARS in prefixes, local names and labels; ucschar in IRIs
    "@prefix é: <http://e/> . é:a é:Größe _:日本, _:x‿y, é:a·b, é:_\u0300 .",
    "<http://s> <http://p> <http://a/é?ü#日本>, <http://a/\u00e9\U0001f600> .",
]


@pytest.mark.parametrize("doc", TAKEN)
def test_constructs_the_parser_takes_give_pyoxigraphs_triples(doc: str) -> None:
    data = doc.encode()
    assert native.parse(data) is not None, native.last_reason
    assert verdict(data) == "same"


def test_order_and_names_of_a_nested_document() -> None:
    """The order pyoxigraph gives: a token's triples last first, and inner triples before the
    triple that names their blank node; blank nodes numbered in that order."""
    store = native.parse(b"<http://s> <http://p> [ <http://q> 1 ] , (<http://a> <http://b>) .")
    assert store is not None
    one = Literal("1", XSD + "integer")
    assert native.triples(store) == [
        (Blank("b0"), "http://q", one),
        (Iri("http://s"), "http://p", Blank("b0")),
        (Blank("b1"), RDF + "first", Iri("http://a")),
        (Iri("http://s"), "http://p", Blank("b1")),
        (Blank("b2"), RDF + "first", Iri("http://b")),
        (Blank("b1"), RDF + "rest", Blank("b2")),
        (Blank("b2"), RDF + "rest", Iri(RDF + "nil")),
    ]


NOT_TAKEN = [
    ('<http://s> <http://p> "a"@en .', "language tag"),
    ("<http://s> <http://p> << <http://a> <http://b> <http://c> >> .", "RDF 1.2"),
    ("<http://s> <http://p> <http://o> {| <http://q> 1 |} .", "RDF 1.2"),
    ("<http://s> <http://p> <http://o> ~ <http://r> .", "RDF 1.2"),
    ('VERSION "1.2"\n<http://s> <http://p> <http://o> .', "RDF 1.2"),
    ('@version "1.2" .', "@ keyword"),
    ("<http://s> <http://p> <http://é> .", "IRI"),
    ("<http://s> <http://p> <http://[::1]/> .", "IRI"),
    ("<http://s> <http://p> <../up> .", "relative IRI"),
    ("<http://s> <http://p> <#frag> .", "relative IRI"),
    ("<http://s> <http://p> <//host/x> .", "relative IRI"),
    ("<http://s> <http://p> <http://a#b#c> .", "IRI"),
    ("@prefix ex: <http://e/> . ex:a ex:b ex:a\u00d7b .", "unexpected character"),
    ("<http://s> <http://p> <http://a/\ue000> .", "IRI"),
    ("<http://s> <http://p> <http://a/\ufdd0> .", "IRI"),
    ('<http://s> <http://p> "\\uD800" .', "surrogate"),
    ('<http://s> <http://p> "\\U00110000" .', "out-of-range"),
    ("\ufeff<http://s> <http://p> <http://o> .", "byte order mark"),
    ("<http://s> <http://p> " + "[ <http://p> " * 1001 + "1" + " ]" * 1001 + " .", "deeper"),
    ("<http://s> <http://p> " + "(" * 1001 + ")" * 1001 + " .", "deeper"),
    ("<http://s> <http://p> <http://o>", "'.' expected"),
    ("<http://s> <http://p> .", "object expected"),
    ("<http://s> <http://p> ex:o .", "undeclared prefix"),
    ('<http://s> <http://p> "a\nb" .', "line break"),
    ("<http://s> <http://p> 1e .", "exponent"),
    ('<http://s> <http://p> "x" "y" .', "'.' expected"),
]


@pytest.mark.parametrize(("doc", "reason"), NOT_TAKEN)
def test_what_the_parser_does_not_take_is_handed_back_with_a_reason(doc: str, reason: str) -> None:
    result = turtle.parse(doc.encode(), "urn:aas-toolkit:id/")
    assert isinstance(result, str)
    assert reason in result and "at line" in result
    assert verdict(doc.encode()) in ("handed", "refused")


def test_invalid_utf8_and_long_lines_are_handed_back() -> None:
    bad = b'<http://s> <http://p> "\xff" .'
    assert "invalid UTF-8" in turtle.parse(bad, "urn:x:")
    overlong = b'<http://s> <http://p> "\xc0\xaf" .'
    assert "invalid UTF-8" in turtle.parse(overlong, "urn:x:")
    surrogate = b'<http://s> <http://p> "\xed\xa0\x80" .'
    assert "invalid UTF-8" in turtle.parse(surrogate, "urn:x:")
    long_line = b'<http://s> <http://p> "' + b"x" * (8 * 1024 * 1024 + 1) + b'" .'
    assert "longer than 8 MiB" in turtle.parse(long_line, "urn:x:")
    # the same text in lines of less than 8 MiB each is taken
    lines = b'<http://s> <http://p> """' + (b"x" * 1024 * 1024 + b"\n") * 9 + b'""" .'
    assert not isinstance(turtle.parse(lines, "urn:x:"), str)


def test_hostile_nesting_is_handed_back_without_recursing() -> None:
    deep = b"<http://s> <http://p> " + b"[ <http://p> " * 100_000 + b"1" + b" ]" * 100_000 + b" ."
    assert "deeper" in turtle.parse(deep, "urn:x:")
    open_only = b"<http://s> <http://p> " + b"(" * 100_000
    assert isinstance(turtle.parse(open_only, "urn:x:"), str)


def test_switched_off_or_absent_the_python_reader_reads_turtle_alike(tmp_path: Path) -> None:
    source = tmp_path / "m.ttl"
    model = next(EXAMPLES.rglob("*.json"))
    source.write_bytes(_as_turtle(model) or b"")
    script = (
        "import sys, json\n"
        "{block}"
        "import aas\n"
        "from aas.converters.rdf import native\n"
        "m = aas.load(sys.argv[1])\n"
        "print(native.parse(open(sys.argv[1], 'rb').read()) is not None)\n"
        "print(json.dumps(aas.dump(m, 'json').data.decode()))\n"
    )
    env = {**os.environ}
    runs = {}
    for name, block, extra in [
        ("compiled", "", {}),
        ("off", "", {"AAS_NATIVE_TURTLE": "0"}),
        ("blocked", "sys.modules['aas._turtle'] = None\n", {}),
    ]:
        result = subprocess.run(
            [sys.executable, "-c", script.format(block=block), str(source)],
            capture_output=True,
            env={**env, **extra},
            cwd=REPO,
            timeout=120,
            check=False,
        )
        assert result.returncode == 0, result.stderr.decode()
        runs[name] = result.stdout.decode().splitlines()
    assert runs["compiled"][0] == "True"
    assert runs["off"][0] == runs["blocked"][0] == "False"
    assert runs["compiled"][1] == runs["off"][1] == runs["blocked"][1]


def test_parsing_many_times_does_not_grow_memory() -> None:
    """A leak of the store, its terms or the Python objects triples() makes shows as RSS that
    grows with the runs: each run makes some 10,000 distinct terms (one leaked object each
    would be a megabyte a run)."""
    doc = "".join(
        f'<http://e/s{i}> <http://e/p> "v{i}", _:b{i}, _:n{i}, [ <http://e/q> (1 {i}) ] .\n'
        for i in range(2000)
    ).encode()

    def rss() -> int:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")

    def once() -> None:
        store = native.parse(doc)
        assert store is not None, native.last_reason
        native.triples(store)
        # handed back at the very end: everything made until then is freed too
        assert isinstance(turtle.parse(doc + b" junk", "urn:x:"), str)

    for _ in range(20):
        once()
    before = rss()
    for _ in range(200):
        once()
    assert rss() - before < 4 * 1024 * 1024


# ---- mutations of real files and documents from a grammar ------------------------------------


def _seed_files() -> list[bytes]:
    files = _turtle_files()
    # small files of different kinds, evenly over the corpus: quick to mutate many times
    step = max(1, len(files) // 40)
    chosen = [path.read_bytes() for path in files[::step]]
    return [data for data in chosen if len(data) < 20_000][:30]


_INSERTS = [
    *';.,[]()"<>\\@#_:',
    "'",
    "é",
    "\u00b7",
    "\u2028",
    "a",
    "1",
    " ",
    "\n",
    "^^",
    '"""',
    "\\u00e9",
]


@st.composite
def _mutated(draw: st.DrawFn, seeds: list[bytes]) -> bytes:
    data = bytearray(draw(st.sampled_from(seeds)))
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(data)))
        kind = draw(st.sampled_from(["delete", "insert", "truncate", "byte"]))
        if kind == "delete":
            del data[at : at + draw(st.integers(1, 8))]
        elif kind == "insert":
            data[at:at] = draw(st.sampled_from(_INSERTS)).encode()
        elif kind == "truncate":
            del data[at:]
        else:
            data[at:at] = bytes([draw(st.integers(0, 255))])
    return bytes(data)


_SEED_DATA = _seed_files() if CORPUS.exists() else [b"<http://s> <http://p> <http://o> ."]


@settings(max_examples=600, deadline=None, suppress_health_check=list(HealthCheck))
@given(_mutated(_SEED_DATA))
def test_byte_edits_of_real_files_give_pyoxigraphs_triples_or_are_handed_back(data: bytes) -> None:
    assert verdict(data) in ("same", "handed", "refused")


_iri = st.sampled_from(
    ["<http://e/a>", "<http://e/b#c>", "ex:a", "ex:b.c", "ex:", ":d", "<rel>", "ex:\\,x"]
)
_literal = st.sampled_from(
    [
        '"x"',
        "'y'",
        '"""m\nl"""',
        '"a"^^ex:t',
        '"1"^^<http://e/int>',
        "1",
        "-2.5",
        ".5e1",
        "true",
        "false",
        '"é"',
        '""',
    ]
)
_blank = st.sampled_from(["_:b0", "_:n", "_:b12", "_:fedcba9876543210aa", "[]", "[ ]"])


def _objects(depth: int) -> st.SearchStrategy[str]:
    simple = st.one_of(_iri, _literal, _blank)
    if depth == 0:
        return simple
    inner = _objects(depth - 1)
    return st.one_of(
        simple,
        st.lists(inner, max_size=3).map(lambda items: "( " + " ".join(items) + " )"),
        _predicate_objects(depth - 1).map(lambda pol: "[ " + pol + " ]"),
    )


def _predicate_objects(depth: int) -> st.SearchStrategy[str]:
    verb = st.one_of(_iri.filter(lambda iri: iri != "<rel>"), st.just("a"))
    objects = st.lists(_objects(depth), min_size=1, max_size=3).map(" , ".join)
    pair = st.tuples(verb, objects).map(" ".join)
    return st.tuples(
        st.lists(pair, min_size=1, max_size=3), st.sampled_from(["", " ;", " ; ;"])
    ).map(lambda parts: " ; ".join(parts[0]) + parts[1])


_statement = st.one_of(
    st.tuples(st.one_of(_iri, _blank), _predicate_objects(2)).map(lambda t: f"{t[0]} {t[1]} ."),
    _predicate_objects(2).map(lambda pol: f"[ {pol} ] ."),
    st.tuples(_objects(1).filter(lambda o: o.startswith("(")), _predicate_objects(1)).map(
        lambda t: f"{t[0]} {t[1]} ."
    ),
)

_HEADER = "@prefix ex: <http://e/> .\nPREFIX : <http://f/>\n"


@settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(_statement, min_size=1, max_size=4).map("\n".join))
def test_documents_from_a_grammar_give_pyoxigraphs_triples(doc: str) -> None:
    data = (_HEADER + doc).encode()
    assert verdict(data) == "same", doc


@settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    st.lists(_statement, min_size=1, max_size=4).map("\n".join), st.randoms(use_true_random=False)
)
def test_grammar_documents_with_whitespace_taken_out_or_changed(doc: str, rnd: Any) -> None:
    """Tokens written against each other, comments and line ends in between, and the input
    ending right after a name or a number: where pyoxigraph's lexer is most particular."""
    parts = doc.split(" ")
    out = parts[0]
    for part in parts[1:]:
        out += ("" if rnd.random() < 0.6 else rnd.choice([" ", "\t", "\n", "#c\n", "\r\n"])) + part
    assert verdict((_HEADER + out).encode()) in ("same", "handed", "refused"), out


_IN_STRINGS = [*"ab \"'\\ntrbf\n\r\t#.,;", "\\u00e9", "\\U0001F600", "\\uD800", "\\u0000"]
_IN_STRINGS += ["\\U00110000", "\\x", "é", "\x00", "\x7f", '\\"', "\\'", "\\\\", "\u2028"]
_NUMBERS = ["1", "+1", "-1", ".5", "1.", "1.5", "1e5", "1.e5", ".5e-1", "1E+5", "+.5", "-.5e5"]
_NUMBERS += ["01", "1.2.3", "1e", "1..", "1.e", "+", "-", "1a", "1_"]
_LOCALS = ["a", "a.b", "a.", "\\.a", "a\\.", "%41", "%4", "-a", "a-", "_a", "1", ":a", "a:b"]
_LOCALS += ["\\-", "\\~x", "é", "a·b", ".a", "a..b", "\\,", "\\#"]
_token = st.one_of(
    st.tuples(
        st.sampled_from(['"', "'", '"""', "'''"]),
        st.lists(st.sampled_from(_IN_STRINGS), max_size=8).map("".join),
        st.sampled_from(["", "^^ex:t", "^^<http://d>", "@en", "^^xs", "^^<rel>", "^^ex:"]),
    ).map(lambda t: t[0] + t[1] + t[0] + t[2]),
    st.sampled_from(_NUMBERS),
    st.tuples(
        st.sampled_from(["ex:", ":", "_:", "ex.x:"]),
        st.lists(st.sampled_from(_LOCALS), min_size=1, max_size=3).map("".join),
    ).map("".join),
)


@settings(max_examples=1000, deadline=None, suppress_health_check=list(HealthCheck))
@given(_token, st.sampled_from(["", " .", ".", "\n.", ' , "x" .', ".\n", ";.", " ]", ")"]))
def test_strings_numbers_and_names_end_to_end(token: str, end: str) -> None:
    """Each quote, escape, number form and name form in object position, with what may end
    it (or the input ending right there)."""
    head = "@prefix ex: <http://e/> .\n@prefix : <http://f/> .\n@prefix ex.x: <http://g/> .\n"
    data = f"{head}<http://s> <http://p> {token}{end}".encode()
    assert verdict(data) in ("same", "handed", "refused"), data


_CODE_POINTS = [0xB7, 0xBF, 0xC0, 0xD6, 0xD7, 0xD8, 0xF6, 0xF7, 0xF8, 0x2FF, 0x300, 0x36F, 0x370]
_CODE_POINTS += [0x37D, 0x37E, 0x37F, 0x1FFF, 0x2000, 0x200B, 0x200C, 0x200D, 0x200E, 0x203F]
_CODE_POINTS += [0x2040, 0x2041, 0x206F, 0x2070, 0x218F, 0x2190, 0x2BFF, 0x2C00, 0x2FEF, 0x2FF0]
_CODE_POINTS += [0x3000, 0x3001, 0xD7FF, 0xE000, 0xF8FF, 0xF900, 0xFDCF, 0xFDD0, 0xFDEF, 0xFDF0]
_CODE_POINTS += [0xFFEF, 0xFFF0, 0xFFFD, 0xFFFE, 0x10000, 0x1F600, 0xEFFFF, 0xF0000, 0x10FFFD]
_NAME_PIECES = [*"a_-.0:%\\", *map(chr, _CODE_POINTS), "%41", "\\-"]


@settings(max_examples=1000, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    st.sampled_from(["ex:", "é·:", "_:", "<http://a/"]),
    st.lists(st.sampled_from(_NAME_PIECES), min_size=1, max_size=5).map("".join),
    st.sampled_from([" .", ".", "", " ;", "\n."]),
)
def test_names_labels_and_iris_of_code_points_at_the_edges_of_turtles_ranges(
    start: str, name: str, end: str
) -> None:
    head = "@prefix ex: <http://e/> .\n@prefix é·: <http://f/> .\n<http://s> <http://p> "
    term = start + name + (">" if start.startswith("<") else "")
    assert verdict(f"{head}{term}{end}".encode()) in ("same", "handed", "refused"), term


_BASES = ["http://a", "http://a/", "http://a/b", "http://a/b/", "http://a/b/c?q#f", "urn:x"]
_BASES += ["urn:x/y", "h:", "h:/", "http://a/./b/", "http://a/../", "file:///x/y", "http://a:8080"]
_BASES += ["a:b:c/d", "http://a/b/..", "http://a?q", "http://a#f", "", "rel/", "http://a/é/"]
_REFERENCE_PIECES = [*"ab/.?#:%", "..", "./", "../", "é", "%41", "//", "x:y"]


@settings(max_examples=1000, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    st.sampled_from(["@base <{}> .\n", "BASE <{}>\n", ""]),
    st.sampled_from(_BASES),
    st.lists(st.sampled_from(_REFERENCE_PIECES), max_size=5).map("".join),
)
def test_relative_iris_against_bases(directive: str, base: str, reference: str) -> None:
    """Relative references, resolved against the default base or one the document sets, as
    pyoxigraph resolves them (RFC 3986), or handed back."""
    data = f"{directive.format(base)}<http://s> <http://p> <{reference}> .".encode()
    assert verdict(data) in ("same", "handed", "refused"), data
