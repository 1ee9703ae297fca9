"""Ingesting hostile folders (issue 14, items 4 and 7; issue 13, item 3): only articles, known ones skipped before
extraction, one bad file never stops the batch, and the ``summary`` of ``ingest --json``, on both stores."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from backchannel.evidence.documents import MAX_CHARS

DATA = Path(__file__).resolve().parents[1] / "evidence" / "data"
SCENARIO = str(DATA / "scenario.yaml")
MIT = "Permission is hereby granted, free of charge, to any person obtaining a copy of this software ...\n"


@pytest.fixture()
def run_cli(store_url, capsys, monkeypatch):
    """The CLI in-process on the store: (exit code, stdout, stderr)."""
    pytest.importorskip("spacy")
    from backchannel.cli import main

    monkeypatch.setenv("BACKCHANNEL_DB", store_url)

    def run(*args: str) -> tuple[int, str, str]:
        capsys.readouterr()
        try:
            main(list(args))
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        out, err = capsys.readouterr()
        return code, out, err

    return run


@pytest.fixture()
def extractions(monkeypatch):
    """The sources the extractor analyses, in order (wrapping the real extractor)."""
    from backchannel.evidence.extract import Extractor

    seen: list[str] = []
    real = Extractor.extract_with_names  # what the service's ingest calls per article

    def counted(self, doc):
        seen.append(Path(doc.source).name)
        return real(self, doc)

    monkeypatch.setattr(Extractor, "extract_with_names", counted)
    return seen


def _ingest(run_cli, *args: str) -> tuple[int, dict, str]:
    code, out, err = run_cli("ingest", *args, "--scenario", SCENARIO, "--json")
    return code, json.loads(out), err


def test_only_articles_are_ingested_and_the_rest_is_counted(run_cli, tmp_path, extractions):
    folder = tmp_path / "news"
    folder.mkdir()
    shutil.copy(DATA / "articles" / "A_witkoff_moscow.txt", folder)
    shutil.copy(DATA / "articles" / "C_europe_guarantees.html", folder)
    (folder / "README.md").write_text("# Articles\n\nThe articles of this folder, one per file.\n")
    (folder / "LICENSE").write_text(MIT)
    (folder / "licence.txt").write_text("Licence\n\n" + MIT)
    (folder / "mit-terms.txt").write_text("Terms\n\n" + MIT)  # a licence by its text, whatever its name
    (folder / "labels.json").write_text("{}")
    (folder / ".hidden.txt").write_text("not even counted")
    code, data, err = _ingest(run_cli, str(folder))
    assert code == 0, err
    assert data["summary"] == {"stored": 2, "skipped_known": 0, "skipped_non_article": 5, "refused": []}
    assert sorted(extractions) == ["A_witkoff_moscow.txt", "C_europe_guarantees.html"]
    _, out, _ = run_cli("evidence", "list", "--json")
    assert sorted(Path(d["source"]).name for d in json.loads(out)) == [
        "A_witkoff_moscow.txt",
        "C_europe_guarantees.html",
    ]


def test_known_articles_are_skipped_before_extraction(run_cli, tmp_path, extractions):
    folder = tmp_path / "news"
    folder.mkdir()
    text = (DATA / "articles" / "D_alaska_summit.txt").read_text(encoding="utf-8")
    for k in range(6):  # one text under six names, the last two with Windows line ends
        (folder / f"copy{k}.txt").write_bytes((text.replace("\n", "\r\n") if k >= 4 else text).encode())
    code, data, err = _ingest(run_cli, str(folder))
    assert code == 0, err
    assert data["summary"] == {"stored": 1, "skipped_known": 5, "skipped_non_article": 0, "refused": []}
    assert extractions == ["copy0.txt"]
    code, data, _ = _ingest(run_cli, str(folder))
    assert data["summary"]["skipped_known"] == 6 and data["summary"]["stored"] == 0 and data["documents"] == []
    assert extractions == ["copy0.txt"]  # the second ingest read no article again
    code, out, _ = run_cli("ingest", str(folder), "--scenario", SCENARIO)
    assert code == 0 and "0 stored, 6 already stored (skipped)" in out


def test_one_bad_file_never_stops_the_batch(run_cli, tmp_path, extractions, monkeypatch):
    from backchannel.evidence.extract import Extractor

    folder = tmp_path / "news"
    folder.mkdir()
    head = "DATE: 2025-08-06\n\n"
    (folder / "a_long.txt").write_text(head + "Talks went on. " * (1_000_000 // 15 + 10))  # past spaCy's 1,000,000
    (folder / "b_edge.txt").write_text(head + "x" * (MAX_CHARS + 1))
    (folder / "c_empty.txt").write_bytes(b"")
    (folder / "d_crash.txt").write_text(head + "Lavrov met Rubio in Istanbul.\n")
    shutil.copy(DATA / "articles" / "A_witkoff_moscow.txt", folder / "e_good.txt")
    shutil.copy(DATA / "articles" / "D_alaska_summit.txt", folder / "f_good.txt")
    counted = Extractor.extract_with_names

    def crash_on_d(self, doc):
        if doc.source.endswith("d_crash.txt"):
            raise ValueError("[E088] a failure inside the pipeline")
        return counted(self, doc)

    monkeypatch.setattr(Extractor, "extract_with_names", crash_on_d)
    code, data, err = _ingest(run_cli, str(folder))
    assert code == 2
    summary = data["summary"]
    assert summary["stored"] == 2 and sorted(Path(d["source"]).name for d in data["documents"]) == [
        "e_good.txt",
        "f_good.txt",
    ]
    refused = {Path(r["file"]).name: r["reason"] for r in summary["refused"]}
    assert set(refused) == {"a_long.txt", "b_edge.txt", "c_empty.txt", "d_crash.txt"}
    assert refused["a_long.txt"].startswith("article too long to analyse") and f"{MAX_CHARS:,}" in refused["a_long.txt"]
    assert refused["d_crash.txt"].startswith("extraction failed: ValueError: [E088]")
    errors = [line for line in err.splitlines() if line.strip()]
    assert len(errors) == 4 and all(line.startswith("error: ") for line in errors)
    assert extractions == ["e_good.txt", "f_good.txt"]  # the long and empty files never reached the pipeline
