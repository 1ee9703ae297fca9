"""Evidence as a person reads it: the document text with extracted items highlighted, and a timeline."""

from __future__ import annotations

import datetime as dt
from html import escape
from typing import Any, Iterable

__all__ = ["highlighted_html", "timeline", "matches"]

KINDS = ("quotes", "claims", "deadlines", "events")


def matches(item: dict[str, Any], kind: str, actor: str | None, issue: str | None) -> bool:
    """Whether an extracted item passes the actor and issue filters."""
    if actor and actor not in (item.get("actor"), item.get("target")):
        return False
    if issue and (kind != "claims" or item.get("issue") != issue):
        return False
    return True


def highlighted_html(doc: dict[str, Any], actor: str | None = None, issue: str | None = None) -> str:
    """The body as HTML: every quote, claim, deadline and event passing the filters is a <mark> with its
    kind as class and a tooltip; overlapping items nest by splitting at every boundary."""
    text: str = doc["text"]
    spans: list[tuple[int, int, str, str]] = []
    for kind in KINDS:
        for item in doc.get(kind, []):
            if item.get("start") is None or not matches(item, kind, actor, issue):
                continue
            spans.append((item["start"], item["end"], kind, _tip(kind, item)))
    cuts = sorted({0, len(text), *(s for s, _, _, _ in spans), *(e for _, e, _, _ in spans)})
    out = []
    for a, b in zip(cuts, cuts[1:]):
        covering = [(k, t) for s, e, k, t in spans if s <= a and b <= e]
        piece = escape(text[a:b])
        if covering:
            classes = " ".join(sorted({k for k, _ in covering}))
            tip = escape(" | ".join(dict.fromkeys(t for _, t in covering)), quote=True)
            piece = f'<mark class="{classes}" title="{tip}">{piece}</mark>'
        out.append(piece)
    return "".join(out)


def _tip(kind: str, item: dict[str, Any]) -> str:
    if kind == "quotes":
        return f"quote by {item.get('speaker') or 'unknown'} ({item.get('actor') or 'no party'})"
    if kind == "claims":
        pos = item.get("position")
        return (
            f"claim: {item.get('actor')} on {item.get('issue')}"
            + (f" ≈ {pos:.0f}" if pos is not None else "")
            + f" (confidence {item.get('confidence', 0):.2f})"
        )
    if kind == "deadlines":
        return (
            "deadline"
            + (f" {item['days']} days" if item.get("days") is not None else "")
            + (f", due {item['due']}" if item.get("due") else "")
            + f" set by {item.get('actor') or '?'} for {item.get('target') or '?'}"
        )
    return f"{item.get('kind', 'event')}: {item.get('actor') or '?'} → {item.get('target') or '?'}"


def timeline(docs: Iterable[dict[str, Any]], actor: str | None = None) -> list[dict[str, Any]]:
    """Deadlines (by due date, else the document's date) and events (by the document's date), oldest first."""
    rows = []
    for doc in docs:
        published = doc.get("published")
        for d in doc.get("deadlines", []):
            if matches(d, "deadlines", actor, None):
                rows.append(
                    {
                        "date": d.get("due") or published,
                        "kind": "deadline",
                        "text": d["text"],
                        "who": f"{d.get('actor') or '?'} → {d.get('target') or '?'}",
                        "doc": doc["id"],
                        "days": d.get("days"),
                    }
                )
        for e in doc.get("events", []):
            if matches(e, "events", actor, None):
                rows.append(
                    {
                        "date": published,
                        "kind": e.get("kind", "event"),
                        "text": e["text"],
                        "who": f"{e.get('actor') or '?'} → {e.get('target') or '?'}",
                        "doc": doc["id"],
                        "days": None,
                    }
                )
    undated = dt.date.max.isoformat()
    return sorted(rows, key=lambda r: (str(r["date"] or undated), r["doc"]))
