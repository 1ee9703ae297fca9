"""Reading articles: headers, Markdown, HTML reduced to text, and one clear error per bad file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from backchannel.evidence.documents import MAX_BYTES, parse_document, read_document, read_documents
from backchannel.scenario.errors import InputError

DATA = Path(__file__).resolve().parent / "data" / "articles"


def test_header_lines_are_metadata_not_body():
    doc = parse_document("URL: https://x.example/a\nDATE: 2025-08-06\nTITLE: Talks\n\nBody starts here.\n", "a.txt")
    assert (doc.url, doc.published, doc.title) == ("https://x.example/a", "2025-08-06", "Talks")
    assert doc.text == "Body starts here.\n"


def test_text_without_headers_is_all_body():
    doc = parse_document("Title line\nSecond line", "a.txt")
    assert doc.text == "Title line\nSecond line" and doc.url is None and doc.published is None


def test_bad_date_header_is_one_line_error():
    with pytest.raises(InputError) as err:
        parse_document("DATE: 6 August\n\nBody", "a.txt")
    assert "a.txt" in str(err.value) and "YYYY-MM-DD" in str(err.value) and "\n" not in str(err.value)


def test_html_keeps_article_text_and_drops_scripts_styles_and_furniture():
    doc = read_document(DATA / "C_europe_guarantees.html")
    assert doc.title == "Coalition of the willing pledges troops for post-war Ukraine | Example News"
    assert doc.url == "https://example.org/world/coalition-of-the-willing"
    assert doc.published == "2025-09-04"
    assert doc.text.startswith("Coalition of the willing pledges troops for post-war Ukraine\nPARIS — Twenty-six")
    for junk in ("window.location", "trackEvent", "font-family", "Subscribe now", "Privacy", "cdn.example.org"):
        assert junk not in doc.text
    # Entities decoded, paragraphs kept apart, the cut-off last quote kept as written.
    assert "“We have today twenty-six countries" in doc.text
    assert doc.text.rstrip().endswith("“Without Washington, the deterrent value is limited.")


def test_html_without_article_element_uses_body():
    html = "<html><body><script>x()</script><p>First &amp; only</p><p>Second</p></body></html>"
    assert parse_document(html, "p.html", "html").text == "First & only\nSecond"


def test_markdown_with_headers(tmp_path):
    doc = read_document(DATA / "B_istanbul_talks.md")
    assert doc.published == "2025-06-03" and doc.title.startswith("Second round of Istanbul talks")
    assert doc.text.startswith("# Second round of Istanbul talks")


def test_content_hash_is_stable_and_content_based(tmp_path):
    a = tmp_path / "a.txt"
    b = tmp_path / "b.txt"
    a.write_text("DATE: 2025-01-01\n\nSame body.", encoding="utf-8")
    b.write_text("DATE: 2025-01-01\n\nSame body.", encoding="utf-8")
    assert read_document(a).content_hash == read_document(b).content_hash
    b.write_text("DATE: 2025-01-01\n\nOther body.", encoding="utf-8")
    assert read_document(a).content_hash != read_document(b).content_hash


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "empty file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
        (b"caf\xe9 au lait", "not valid UTF-8 at byte 3"),
        (b"   \n\n  ", "document has no text"),
    ],
)
def test_bad_files_give_one_line_errors(tmp_path, content, message):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(InputError) as err:
        read_document(path)
    text = str(err.value)
    assert message in text and str(path) in text and "\n" not in text


def test_fifty_megabyte_file_is_refused_without_reading(tmp_path):
    path = tmp_path / "huge.txt"
    with open(path, "wb") as fh:  # sparse: 50 MB on paper, nothing on disk
        fh.truncate(50 * 1024 * 1024)
    with pytest.raises(InputError) as err:
        read_document(path)
    assert "too large" in str(err.value) and str(MAX_BYTES) in str(err.value)


def test_unreadable_file_is_reported(tmp_path, monkeypatch):
    path = tmp_path / "locked.txt"
    path.write_text("Some text.", encoding="utf-8")

    def denied(self):
        raise PermissionError(13, "Permission denied")

    # Running as root ignores chmod, so the denial is simulated at the read.
    monkeypatch.setattr(Path, "read_bytes", denied)
    with pytest.raises(InputError) as err:
        read_document(path)
    assert "not readable" in str(err.value) and "locked.txt" in str(err.value)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_named_pipe_is_refused_not_read(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    with pytest.raises(InputError) as err:
        read_document(fifo)
    assert "not a regular file" in str(err.value)


def test_folder_reads_good_files_and_reports_each_bad_one(tmp_path):
    (tmp_path / "good.txt").write_text("DATE: 2025-08-06\n\nRussia and Ukraine held talks.", encoding="utf-8")
    (tmp_path / "page.html").write_text("<p>Peskov said nothing.</p>", encoding="utf-8")
    (tmp_path / "empty.md").write_bytes(b"")
    (tmp_path / "latin1.txt").write_bytes(b"\xe9t\xe9")
    (tmp_path / "image.png").write_bytes(b"\x89PNG\x00")  # not an article suffix: not read at all
    docs, errors = read_documents([tmp_path, tmp_path / "missing.txt"])
    assert sorted(Path(d.source).name for d in docs) == ["good.txt", "page.html"]
    assert sorted(e.file.rsplit("/", 1)[-1] for e in errors) == ["empty.md", "latin1.txt", "missing.txt"]
    assert all("\n" not in str(e) for e in errors)
