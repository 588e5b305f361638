"""The IRI of an identifiable in RDF (``aas.rdfids``): one rule for every id and
format."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph
import pytest
import rdflib

import aas
from aas.rdfids import DEFAULT_BASE, check_base, iris_of, minted

from conftest import assert_clean_failure, run_cli

RDF_FORMATS = ("turtle", "ntriples", "jsonld", "rdfxml")
OXI = {
    "turtle": pyoxigraph.RdfFormat.TURTLE,
    "ntriples": pyoxigraph.RdfFormat.N_TRIPLES,
    "jsonld": pyoxigraph.RdfFormat.JSON_LD,
    "rdfxml": pyoxigraph.RdfFormat.RDF_XML,
}
RDFLIB = {"turtle": "turtle", "ntriples": "nt", "jsonld": "json-ld", "rdfxml": "xml"}
SUFFIX = {"turtle": "ttl", "ntriples": "nt", "jsonld": "jsonld", "rdfxml": "rdf"}

#: The issue's smallest reproduction: an IRDI, an IRI with a space, and a plain IRI.
THREE_IDS = [
    "0173-1#02-AAO677#002",
    "https://example.com/cd/with space",
    "https://example.com/cd/ok",
]


def environment(**arrays: list[dict[str, object]]) -> bytes:
    return json.dumps(arrays).encode()


def concept_descriptions(*ids: str) -> list[dict[str, object]]:
    return [{"id": identifier, "modelType": "ConceptDescription"} for identifier in ids]


def subjects(data: bytes, fmt: str) -> set[str]:
    return {
        triple.subject.value
        for triple in pyoxigraph.parse(data, format=OXI[fmt])
        if isinstance(triple.subject, pyoxigraph.NamedNode)
    }


@pytest.mark.parametrize("fmt", RDF_FORMATS)
def test_three_concept_descriptions_come_back_with_their_exact_ids(fmt: str) -> None:
    model = aas.load(
        environment(conceptDescriptions=concept_descriptions(*THREE_IDS)), format="json"
    )
    data = aas.dump(model, fmt).data
    back = aas.load(data, format=fmt)
    assert [cd.id for cd in back.root.concept_descriptions] == THREE_IDS
    # Every format names them by the same absolute IRIs, and other tools read them too.
    assert subjects(data, fmt) == {
        "urn:aas-toolkit:id/0173-1%2302-AAO677%23002",
        "urn:aas-toolkit:id/https://example.com/cd/with%20space",
        "https://example.com/cd/ok",
    }
    parsed = rdflib.Graph()
    parsed.parse(data=data, format=RDFLIB[fmt])
    assert len(set(parsed.subjects(rdflib.RDF.type, None))) == 3


def test_the_cli_reproduction_counts_three_in_every_rdf_format(tmp_path: Path) -> None:
    source = tmp_path / "x.json"
    source.write_bytes(environment(conceptDescriptions=concept_descriptions(*THREE_IDS)))
    for fmt in RDF_FORMATS:
        target = tmp_path / f"x.{SUFFIX[fmt]}"
        assert run_cli("convert", str(source), str(target), "-q").returncode == 0
        shown = run_cli("info", str(target), "--output", "json")
        assert json.loads(shown.stdout)["conceptDescriptions"] == 3, fmt


def test_an_id_that_is_an_absolute_iri_is_its_own_iri() -> None:
    ids = ["https://example.com/ids/sm/1", "urn:example:motor:1", "HCSxO:", "http://x/ä#frag"]
    assert iris_of(ids) == ids


def test_other_ids_are_percent_encoded_behind_the_base_reversibly() -> None:
    assert minted("0173-1#02-AAO677#002") == DEFAULT_BASE + "0173-1%2302-AAO677%23002"
    assert minted("a b%20c") == DEFAULT_BASE + "a%20b%2520c"  # "%" itself is encoded
    assert minted("../x/./y") == DEFAULT_BASE + "%2E%2E/x/%2E/y"  # no resolver removes them
    assert minted("Größe") == DEFAULT_BASE + "Größe"  # IRIs hold non-ASCII letters
    assert minted("tab\there") == DEFAULT_BASE + "tab%09here"


def test_two_identifiables_never_share_a_node() -> None:
    # The same id twice (an AAS and a concept description, as Catena-X models have), and an
    # id that is literally another id's minted IRI.
    ids = ["urn:x:1", "urn:x:1", "a b", DEFAULT_BASE + "a%20b", "urn:x:1"]
    iris = iris_of(ids)
    assert len(set(iris)) == len(ids)
    assert iris[0] == "urn:x:1"
    assert iris[3] == DEFAULT_BASE + "a%20b"  # an absolute-IRI id keeps its IRI
    assert iris[2] == DEFAULT_BASE + "duplicate/2/a%20b"


@pytest.mark.parametrize("fmt", RDF_FORMATS)
def test_a_shell_and_a_concept_description_with_one_id_read_back_as_two(fmt: str) -> None:
    shell = {
        "id": "urn:x:1",
        "modelType": "AssetAdministrationShell",
        "assetInformation": {"assetKind": "Instance", "globalAssetId": "urn:asset"},
    }
    model = aas.load(
        environment(
            assetAdministrationShells=[shell], conceptDescriptions=concept_descriptions("urn:x:1")
        ),
        format="json",
    )
    back = aas.load(aas.dump(model, fmt).data, format=fmt)
    assert back.root.asset_administration_shells[0].id == "urn:x:1"
    assert back.root.concept_descriptions[0].id == "urn:x:1"


def test_the_base_is_chosen_with_rdf_base(tmp_path: Path) -> None:
    model = aas.load(
        environment(conceptDescriptions=concept_descriptions("0173-1#02")), format="json"
    )
    data = aas.dump(model, "ntriples", rdf_base="https://ids.example.com/aas/").data
    assert subjects(data, "ntriples") == {"https://ids.example.com/aas/0173-1%2302"}
    source = tmp_path / "x.json"
    source.write_bytes(environment(conceptDescriptions=concept_descriptions("0173-1#02")))
    target = tmp_path / "x.ttl"
    done = run_cli("convert", str(source), str(target), "--rdf-base", "urn:plant-7:", "-q")
    assert done.returncode == 0, done.stderr
    assert subjects(target.read_bytes(), "turtle") == {"urn:plant-7:0173-1%2302"}


@pytest.mark.parametrize("base", ["not an iri/", "relative/path/", "https://x.example/ids"])
def test_a_base_ids_cannot_follow_is_a_usage_error(tmp_path: Path, base: str) -> None:
    with pytest.raises(aas.UsageError, match="--rdf-base"):
        check_base(base)
    source = tmp_path / "x.json"
    source.write_bytes(environment(conceptDescriptions=concept_descriptions("a")))
    result = run_cli("convert", str(source), str(tmp_path / "x.ttl"), "--rdf-base", base)
    assert "--rdf-base" in assert_clean_failure(result, 2)
    assert not (tmp_path / "x.ttl").exists()


def test_json_ld_terms_do_not_rewrite_ids_that_share_their_name() -> None:
    # A JSON-LD processor expands "prefix:rest" in @id whenever "prefix" is a term.
    ids = ["aas:motor-1", "xs:thing", "index:1", "empty:1"]
    model = aas.load(environment(conceptDescriptions=concept_descriptions(*ids)), format="json")
    data = aas.dump(model, "jsonld").data
    assert subjects(data, "jsonld") == set(ids)
    assert [cd.id for cd in aas.load(data, format="jsonld").root.concept_descriptions] == ids


@pytest.mark.parametrize("fmt", RDF_FORMATS)
def test_empty_lists_are_kept_by_the_annotation_and_reported_without_it(fmt: str) -> None:
    submodel = {"id": "urn:sm", "modelType": "Submodel", "submodelElements": []}
    source = environment(submodels=[submodel], conceptDescriptions=[])
    model = aas.load(source, format="json", verify=False)
    first = aas.dump(model, "json").data
    kept_dump = aas.dump(model, fmt)
    kept, found = kept_dump.data, kept_dump.findings
    assert found == []
    assert aas.dump(aas.load(kept, format=fmt, verify=False), "json").data == first

    dropped_dump = aas.dump(model, fmt, rdf_order=False)
    dropped, found = dropped_dump.data, dropped_dump.findings
    assert b"urn:aas-toolkit:rdf:empty" not in dropped
    assert sorted(f.location.pointer for f in found if f.rule == "rdf:empty-list-dropped") == [
        "/conceptDescriptions",
        "/submodels/0/submodelElements",
    ]


def test_rdf_xml_refuses_text_xml_cannot_hold_and_writes_nothing(tmp_path: Path) -> None:
    submodel = {"id": "urn:sm", "modelType": "Submodel", "idShort": "bad\u0001name"}
    source = tmp_path / "x.json"
    source.write_bytes(environment(submodels=[submodel]))
    model = aas.load(source, verify=False)
    with pytest.raises(aas.FindingsError) as raised:
        aas.dump(model, "rdfxml")
    assert [f.rule for f in raised.value.findings] == ["rdf:unrepresentable-character"]
    assert "U+0001" in raised.value.findings[0].message
    target = tmp_path / "x.rdf"
    result = run_cli("convert", str(source), str(target))
    assert "U+0001" in assert_clean_failure(result, 1)
    assert not target.exists()
    # The other RDF formats escape it and keep it.
    for fmt in ("turtle", "ntriples", "jsonld"):
        back = aas.load(aas.dump(model, fmt).data, format=fmt, verify=False)
        assert back.root.submodels[0].id_short == "bad\u0001name"
