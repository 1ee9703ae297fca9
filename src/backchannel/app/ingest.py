"""Ingesting a batch of articles: read, skip what is not news or already stored, extract the rest, store each.

One bad file never stops a batch: a file that cannot be read, is too long, or fails in extraction is refused
with one line and the others are still ingested. Known articles are found by their content hash before any
extraction (the text is normalised when it is read: line ends, HTML reduced to its text), so ingesting a folder
again costs one look-up per file.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import __version__
from ..scenario.errors import InputError
from ..scenario.identity import scenario_hash
from ..scenario.schema import Scenario
from ..store import Store

__all__ = ["IngestReport", "ingest_batch"]


@dataclass
class IngestReport:
    """What a batch did: the records extracted now, and the counts of the ``summary`` in ``ingest --json``."""

    records: list[dict[str, Any]] = field(default_factory=list)
    added: list[bool] = field(default_factory=list)  # per record: whether it was stored now
    known: list[str] = field(default_factory=list)  # files skipped as already stored for this scenario version
    not_articles: list[str] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        """``{"stored", "skipped_known", "skipped_non_article", "refused": [{"file", "reason"}]}``."""
        return {"stored": sum(self.added), "skipped_known": len(self.known),
                "skipped_non_article": len(self.not_articles),
                "refused": [{"file": e.file or "", "reason": _reason(e)} for e in self.errors]}


def _reason(error: InputError) -> str:
    """The error's line without its file name (the summary gives the file apart)."""
    return InputError(error.message, line=error.line, field=error.field, value=error.value,
                      allowed=error.allowed).render().lstrip(": ")


def _refusal(source: str, exc: Exception) -> InputError:
    first = (str(exc).strip().splitlines() or [""])[0][:200]
    return InputError(f"extraction failed: {type(exc).__name__}: {first}", file=source,
                      allowed="an article the pipeline can analyse (please report this file)")


def ingest_batch(store: Store, paths: list[str | Path], scenario: Scenario, local_model: Any = None) -> IngestReport:
    """Read every article under ``paths``, skip the ones stored already, extract and store the others (each in
    its own transaction). With a local model, a document it fails on is refused; a server that stops answering
    stops the batch (LocalModelError from the backend's connection)."""
    from ..evidence.documents import scan_articles
    from ..evidence.local_model import LocalModelError
    from ..store.evidence import extracted_hashes, save_extraction

    scan = scan_articles(list(paths))
    report = IngestReport(not_articles=scan.not_articles, errors=scan.errors)
    digest = scenario_hash(scenario)
    seen = extracted_hashes(store, [d.content_hash for d in scan.documents], digest)
    todo = []
    for doc in scan.documents:
        if doc.content_hash in seen:
            report.known.append(doc.source)
        else:
            seen.add(doc.content_hash)
            todo.append(doc)
    if not todo:
        return report
    from ..evidence.extract import Extractor

    extractor = Extractor(scenario, local_model=local_model)
    for doc in todo:
        try:
            record = extractor.extract(doc)
        except LocalModelError as exc:
            report.errors.append(InputError(str(exc), file=doc.source))
            continue
        except InputError as exc:
            report.errors.append(exc.at(doc.source))
            continue
        except Exception as exc:  # noqa: BLE001 - one article the pipeline cannot analyse must not stop the batch
            report.errors.append(_refusal(doc.source, exc))
            continue
        _, new = save_extraction(store, record, doc.content_hash, scenario, __version__)
        report.records.append(record)
        report.added.append(new)
    return report
