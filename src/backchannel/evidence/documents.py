"""Reading articles: plain text, Markdown and HTML files or folders of them, into Documents.

Nothing in a document is executed or fetched: HTML is parsed with the standard library's
tokenizer and only its text is kept; scripts, styles, embedded frames and page furniture are
dropped, and links or external resources are never followed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from ..scenario.errors import InputError

__all__ = [
    "Document",
    "MAX_BYTES",
    "MAX_CHARS",
    "NOT_ARTICLES",
    "SUFFIXES",
    "Scan",
    "parse_document",
    "read_document",
    "read_documents",
    "scan_articles",
]

#: Largest article accepted; real news articles are a few tens of kilobytes.
MAX_BYTES = 5 * 1024 * 1024
#: Longest article text analysed (about 30,000 words): the parser needs memory in proportion to the text, and
#: spaCy refuses texts past 1,000,000 characters; a longer text is refused with one line.
MAX_CHARS = 200_000
#: File names (without suffix, any case) in a folder that are not news: project files, licences, notes.
NOT_ARTICLES = frozenset(
    {
        "readme",
        "license",
        "licence",
        "copying",
        "notice",
        "changelog",
        "changes",
        "contributing",
        "authors",
        "code_of_conduct",
        "security",
        "citation",
        "manifest",
        "todo",
    }
)
_LICENCE_TEXT = re.compile(
    r"permission is hereby granted|gnu (?:lesser |affero )?general public licen[cs]e|"
    r"apache licen[cs]e,? version|creative commons (?:legal code|attribution[^\n]{0,40}licen[cs]e)|"
    r"the software is provided \"as is\"",
    re.IGNORECASE,
)
SUFFIXES = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
}
_HEADER = re.compile(r"^(URL|DATE|TITLE)[ \t]*:[ \t]*(.*?)[ \t]*$", re.IGNORECASE)


@dataclass(frozen=True)
class Document:
    """One article: where it came from, its metadata and the body all offsets refer to."""

    source: str
    text: str
    url: str | None = None
    title: str | None = None
    published: str | None = None  # YYYY-MM-DD

    @property
    def content_hash(self) -> str:
        """sha256 of the body and metadata: the same article ingested twice has the same hash."""
        key = "\x1f".join([self.url or "", self.title or "", self.published or "", self.text])
        return hashlib.sha256(key.encode("utf-8")).hexdigest()

    @property
    def date(self) -> dt.date | None:
        """The publication date as a date, if known."""
        return dt.date.fromisoformat(self.published) if self.published else None


def _iso_date(value: str, source: str) -> str:
    match = re.match(r"^\s*(\d{4}-\d{2}-\d{2})", value)
    try:
        if not match:
            raise ValueError
        return dt.date.fromisoformat(match.group(1)).isoformat()
    except ValueError:
        raise InputError("bad DATE header", file=source, field="DATE", value=value, allowed="YYYY-MM-DD") from None


def _split_headers(text: str, source: str) -> tuple[dict[str, str], str]:
    """Header lines URL:/DATE:/TITLE: at the very top are metadata; the rest is the body."""
    headers: dict[str, str] = {}
    pos = 0
    while pos < len(text):
        end = text.find("\n", pos)
        end = len(text) if end < 0 else end
        match = _HEADER.match(text[pos:end].rstrip("\r"))
        if not match or match.group(1).upper() in headers:
            break
        headers[match.group(1).upper()] = match.group(2)
        pos = end + 1
    if headers:
        # One blank line conventionally separates the headers from the body.
        blank = re.match(r"[ \t]*\r?\n", text[pos:])
        if blank:
            pos += blank.end()
    return headers, text[pos:]


class _ArticleText(HTMLParser):
    """Collects visible text, keeping paragraphs apart and skipping non-article elements."""

    SKIP = {
        "script",
        "style",
        "noscript",
        "template",
        "iframe",
        "object",
        "embed",
        "svg",
        "canvas",
        "nav",
        "header",
        "footer",
        "aside",
        "form",
        "button",
        "select",
        "head",
        "figure",
    }
    BLOCK = {
        "p",
        "div",
        "section",
        "article",
        "main",
        "li",
        "ul",
        "ol",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "blockquote",
        "br",
        "tr",
        "table",
        "pre",
        "dd",
        "dt",
        "hr",
    }
    VOID = {"br", "hr", "img", "meta", "link", "input", "source", "area", "base", "col", "wbr", "track", "param"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.skip_depth = 0
        self.chunks: list[str] = []  # whole page
        self.article: list[str] | None = None  # inside the first <article>, when there is one
        self.article_depth = 0
        self.meta: dict[str, str] = {}
        self.title_parts: list[str] = []
        self.in_title = False

    def handle_starttag(self, tag, attrs):
        attrs = {k.lower(): (v or "") for k, v in attrs}
        if tag == "meta":
            key = (attrs.get("property") or attrs.get("name") or "").lower()
            if key and attrs.get("content"):
                self.meta.setdefault(key, attrs["content"])
            return
        if tag == "link" and "canonical" in attrs.get("rel", "").lower() and attrs.get("href"):
            self.meta.setdefault("canonical", attrs["href"])
        if tag == "time" and attrs.get("datetime"):
            self.meta.setdefault("time", attrs["datetime"])
        if tag == "title":
            self.in_title = True
        if tag in self.VOID:
            if tag in self.BLOCK:
                self._emit("\n")
            return
        self.stack.append(tag)
        if tag in self.SKIP or self.skip_depth:
            self.skip_depth += 1
            return
        if tag == "article" and self.article is None:
            self.article = []
            self.article_depth = len(self.stack)
        if tag in self.BLOCK:
            self._emit("\n")

    def handle_endtag(self, tag):
        if tag == "title":
            self.in_title = False
        if tag in self.VOID or tag not in self.stack:
            return
        while self.stack:  # close unclosed children too (tag soup)
            top = self.stack.pop()
            if self.skip_depth:
                self.skip_depth -= 1
            elif top in self.BLOCK:
                self._emit("\n")
            if self.article is not None and self.article_depth == len(self.stack) + 1:
                self.article_depth = -1  # the article is closed; keep it, stop adding
            if top == tag:
                break

    def handle_data(self, data):
        if self.in_title:
            self.title_parts.append(data)
        if not self.skip_depth and "title" not in self.stack:
            self._emit(data)

    def _emit(self, text: str) -> None:
        self.chunks.append(text)
        if self.article is not None and self.article_depth > 0:
            self.article.append(text)


def _tidy(chunks: list[str]) -> str:
    lines = (" ".join(line.split()) for line in "".join(chunks).split("\n"))
    return "\n".join(line for line in lines if line)


def html_to_text(html: str) -> tuple[str, dict[str, str | None]]:
    """Article text of an HTML page and its metadata (url, title, published)."""
    parser = _ArticleText()
    parser.feed(html)
    parser.close()
    body = _tidy(parser.article) if parser.article else ""
    if not body:
        body = _tidy(parser.chunks)
    meta = parser.meta
    title = meta.get("og:title") or " ".join("".join(parser.title_parts).split()) or None
    date = meta.get("article:published_time") or meta.get("date") or meta.get("time")
    return body, {"url": meta.get("og:url") or meta.get("canonical"), "title": title, "published": date}


_MONTH_NAMES = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_DATE_IN_LINE = re.compile(
    r"(?<![\d-])(?:(?P<iso>\d{4}-\d{2}-\d{2})|(?P<d1>\d{1,2})(?:st|nd|rd|th)?\s+(?P<m1>[A-Za-z]{3,9})\.?,?\s+(?P<y1>\d{4})|"
    r"(?P<m2>[A-Za-z]{3,9})\.?\s+(?P<d2>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y2>\d{4}))(?!\d)"
)


def _date_line(body: str) -> str | None:
    """The publication date of a text or Markdown article without a DATE header: the first date written
    out in one of its first short lines ("**Published:** 2025-08-15 09:05", "_5 December 2025 — updated_",
    "March 3, 2025"), as YYYY-MM-DD; None when the top of the article gives none."""
    lines = [ln for ln in body.split("\n", 12)[:12] if ln.strip()][:6]
    for line in lines:
        if len(line) > 160:
            continue
        for m in _DATE_IN_LINE.finditer(line):
            try:
                if m.group("iso"):
                    return dt.date.fromisoformat(m.group("iso")).isoformat()
                day, month, year = (
                    (m.group("d1"), m.group("m1"), m.group("y1"))
                    if m.group("d1")
                    else (m.group("d2"), m.group("m2"), m.group("y2"))
                )
                if month[:3].lower() not in _MONTH_NAMES:
                    continue
                return dt.date(int(year), _MONTH_NAMES.index(month[:3].lower()) + 1, int(day)).isoformat()
            except ValueError:
                continue
    return None


def parse_document(raw: str, source: str, kind: str = "text") -> Document:
    """A Document from a file's text; kind is text, markdown or html."""
    headers, body = _split_headers(raw.replace("\r\n", "\n"), source)
    meta: dict[str, str | None] = {"url": None, "title": None, "published": None}
    if kind == "html" or (kind == "text" and re.match(r"\s*<(!doctype html|html)\b", body, re.IGNORECASE)):
        body, meta = html_to_text(body)
    if meta.get("published"):
        try:
            meta["published"] = _iso_date(meta["published"], source)
        except InputError:
            meta["published"] = None  # a page's own odd date format is not the user's error
    if "DATE" in headers:
        meta["published"] = _iso_date(headers["DATE"], source)
    if "URL" in headers:
        meta["url"] = headers["URL"] or None
    if "TITLE" in headers:
        meta["title"] = headers["TITLE"] or None
    if meta["published"] is None and kind != "html":
        meta["published"] = _date_line(body)
    if not body.strip():
        raise InputError("document has no text", file=source, allowed="an article in text, Markdown or HTML")
    if len(body) > MAX_CHARS:
        raise InputError(
            "article too long to analyse",
            file=source,
            value=f"{len(body):,} characters",
            allowed=f"at most {MAX_CHARS:,} characters of text (split it into articles)",
        )
    return Document(source=source, text=body, url=meta["url"], title=meta["title"], published=meta["published"])


def _read_bytes(path: Path, source: str) -> str:
    try:
        if path.exists() and not path.is_dir() and not path.is_file():
            # A pipe or device would block or never end: only regular files are articles.
            raise InputError("not a regular file", file=source, allowed="a text, Markdown or HTML file")
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InputError(
                "file too large for an article",
                file=source,
                value=f"{size} bytes",
                allowed=f"at most {MAX_BYTES} bytes",
            )
        if size == 0:
            raise InputError("empty file", file=source, allowed="an article in text, Markdown or HTML")
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError("no such file", file=source) from None
    except PermissionError:
        raise InputError("file is not readable (permission denied)", file=source) from None
    except IsADirectoryError:
        raise InputError("is a folder, not a file", file=source) from None
    except OSError as exc:
        raise InputError(f"cannot read file ({exc.strerror or exc})", file=source) from None
    if b"\x00" in data[:8192]:
        raise InputError("binary file, not text", file=source, allowed="UTF-8 text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"not valid UTF-8 at byte {exc.start}", file=source, allowed="UTF-8 text") from None


def read_document(path: str | Path) -> Document:
    """One file as a Document, or an InputError naming the file and the problem."""
    source = str(path)
    p = Path(path)
    kind = SUFFIXES.get(p.suffix.lower(), "text")
    return parse_document(_read_bytes(p, source), source, kind)


def _expand(path: str | Path) -> tuple[list[Path], list[Path]]:
    """(article files, other files) under a folder, hidden ones left out; a file named by the user is an article."""
    p = Path(path)
    if p.is_dir():
        try:
            found = sorted(
                q
                for q in p.rglob("*")
                if not q.is_dir() and not any(part.startswith(".") for part in q.relative_to(p).parts)
            )
        except PermissionError:
            raise InputError("folder is not readable (permission denied)", file=str(path)) from None
        articles = [q for q in found if q.suffix.lower() in SUFFIXES and q.stem.lower() not in NOT_ARTICLES]
        chosen = set(articles)
        return articles, [q for q in found if q not in chosen]
    return [p], []


@dataclass
class Scan:
    """What reading a batch found: the articles, the files that are not articles, and each refused file."""

    documents: list[Document]
    not_articles: list[str]
    errors: list[InputError]


def scan_articles(paths: list[str | Path]) -> Scan:
    """Every article under the given files and folders. A folder's files that are not articles (README,
    licences, other suffixes, or a licence's text) are counted, not read as news; a file that cannot be read is
    one error, and the others are still read."""
    scan = Scan([], [], [])
    for path in paths:
        try:
            files, others = _expand(path)
        except InputError as exc:
            scan.errors.append(exc)
            continue
        scan.not_articles.extend(str(f) for f in others)
        from_folder = Path(path).is_dir()
        for f in files:
            try:
                doc = read_document(f)
            except InputError as exc:
                scan.errors.append(exc)
                continue
            if from_folder and _LICENCE_TEXT.search(doc.text[:3000]):
                scan.not_articles.append(str(f))
            else:
                scan.documents.append(doc)
    return scan


def read_documents(paths: list[str | Path]) -> tuple[list[Document], list[InputError]]:
    """Every document under the given files and folders, plus one error per file that failed."""
    scan = scan_articles(paths)
    return scan.documents, scan.errors
