"""The --json record: exactly the issue's shape, offsets that point at the text, stable output."""

from __future__ import annotations

import json

import backchannel.evidence as evidence
from backchannel.evidence.documents import parse_document

DOC_KEYS = ["source", "url", "title", "published", "text", "mentions", "quotes", "claims", "deadlines", "events"]
ITEM_KEYS = {
    "mentions": ["actor", "text", "start", "end"],
    "quotes": ["text", "start", "end", "speaker", "actor"],
    "claims": ["actor", "issue", "position", "confidence", "text", "start", "end"],
    "deadlines": ["text", "start", "end", "days", "due", "actor", "target"],
    "events": ["kind", "actor", "target", "text", "start", "end"],
}


def test_public_names():
    assert evidence.__all__ == ["Document", "Extractor", "extract_document", "read_document", "read_documents"]


def _check(record: dict) -> None:
    assert list(record) == DOC_KEYS
    text = record["text"]
    for kind, keys in ITEM_KEYS.items():
        for item in record[kind]:
            assert list(item) == keys, kind
            assert text[item["start"] : item["end"]] == item["text"], (kind, item)
    json.dumps(record)  # serialisable as is


def test_every_record_keeps_the_contract(dev_results, heldout_results):
    for record in [*dev_results.values(), *heldout_results.values()]:
        _check(record)


def test_metadata_and_mentions(heldout_results):
    rec = heldout_results["A_witkoff_moscow.txt"]
    assert rec["url"] == "https://example.org/news/witkoff-moscow-deadline"
    assert rec["published"] == "2025-08-06" and rec["title"] == "Witkoff heads to Moscow as Trump's deadline nears"
    first = [(m["actor"], m["text"], m["start"], m["end"]) for m in rec["mentions"][:5]]
    assert first == [
        ("usa", "U.S.", 13, 17),
        ("usa", "Steve Witkoff", 32, 45),
        ("russia", "Moscow", 57, 63),
        ("russia", "Vladimir Putin", 107, 121),
        ("usa", "Donald Trump", 165, 177),
    ]
    actors = {(m["text"], m["actor"]) for m in rec["mentions"]}
    # The gazetteer beats the plain model: people, capitals and affiliation words resolve to actors.
    for pair in [
        ("Steve Witkoff", "usa"),
        ("Moscow", "russia"),
        ("Vladimir Putin", "russia"),
        ("Kremlin", "russia"),
        ("Dmitry Peskov", "russia"),
        ("Kyiv", "ukraine"),
        ("European Commission", "eu"),
    ]:
        assert pair in actors, pair


def test_extract_document_reuses_models_and_is_deterministic(scenario):
    doc = parse_document("DATE: 2025-08-06\n\n“We will not accept it,” Peskov said of the plan.", "mem.txt")
    first = evidence.extract_document(doc, scenario)
    again = evidence.extract_document(doc, scenario)
    assert first == again
    assert first["quotes"] == [
        {"text": "We will not accept it,", "start": 1, "end": 23, "speaker": "Peskov", "actor": "russia"}
    ]
    assert first["source"] == "mem.txt" and first["published"] == "2025-08-06"
