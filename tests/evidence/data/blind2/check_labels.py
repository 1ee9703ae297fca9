"""Check blind2/labels.json against the article files (plain Python, no project imports).

Every start_words, speaker, evidence_words and deadline words string must occur verbatim in its
file; each quote's start_words must follow an opening quotation mark or a transcript speaker label
("NAME: "); claims must be distinct actor-issue pairs with a position in 0..100; each deadline's
due must be the article date plus days. Run: python3 check_labels.py
"""

import datetime as dt
import json
import pathlib
import re
import sys

HERE = pathlib.Path(__file__).resolve().parent
ACTORS = {"usa", "russia", "ukraine", "eu", "uk", "france", "germany", "china", "nato", "turkey", "india"}
ISSUES = {"territory", "nato", "security_guarantees", "military_limits", "sanctions", "ceasefire", "elections"}
DATE_PATTERNS = [
    r"^DATE: (\d{4}-\d{2}-\d{2})",
    r"^Date: (\d{4}-\d{2}-\d{2})",
    r"\*\*Published:\*\* (\d{4}-\d{2}-\d{2})",
    r'article:published_time" content="(\d{4}-\d{2}-\d{2})',
]


def article_date(text):
    for pat in DATE_PATTERNS:
        m = re.search(pat, text, re.M)
        if m:
            return dt.date.fromisoformat(m.group(1))
    return None


def main():
    labels = json.loads((HERE / "labels.json").read_text(encoding="utf-8"))
    errors = []
    files = sorted(p.name for p in HERE.iterdir() if p.suffix in {".txt", ".md", ".html"} and p.name != "README.md")
    labelled = [f["file"] for f in labels]
    if sorted(labelled) != files:
        errors.append(f"files {files} != labelled {labelled}")
    for entry in labels:
        name = entry["file"]
        text = (HERE / name).read_text(encoding="utf-8")
        date = article_date(text)
        if date is None:
            errors.append(f"{name}: no article date")
        words = len(re.sub(r"<[^>]+>", " ", re.sub(r"<(script|style).*?</\1>", " ", text, flags=re.S)).split())
        if not 350 <= words <= 1100:
            errors.append(f"{name}: {words} words")
        for q in entry["quotes"]:
            s = q["start_words"]
            if s not in text:
                errors.append(f"{name}: start_words not found: {s!r}")
            elif not re.search(r"([\"“'‘]|^[A-Z][A-Za-z .]+: )" + re.escape(s), text, re.M):
                errors.append(f"{name}: start_words not at a quote opening: {s!r}")
            if len(s.split()) < 4:
                errors.append(f"{name}: start_words shorter than 4 words: {s!r}")
            if q["speaker"] not in text:
                errors.append(f"{name}: speaker not found: {q['speaker']!r}")
            if q["actor"] is not None and q["actor"] not in ACTORS:
                errors.append(f"{name}: bad actor {q['actor']!r}")
        pairs = set()
        for c in entry["claims"]:
            if c["evidence_words"] not in text:
                errors.append(f"{name}: evidence_words not found: {c['evidence_words']!r}")
            if c["actor"] not in ACTORS or c["issue"] not in ISSUES:
                errors.append(f"{name}: bad actor/issue {c['actor']}/{c['issue']}")
            if not 0 <= c["position"] <= 100:
                errors.append(f"{name}: position out of range {c}")
            pair = (c["actor"], c["issue"])
            if pair in pairs:
                errors.append(f"{name}: duplicate claim pair {pair}")
            pairs.add(pair)
        for d in entry["deadlines"]:
            if d["words"] not in text:
                errors.append(f"{name}: deadline words not found: {d['words']!r}")
            if date and d["days"] is not None:
                due = (date + dt.timedelta(days=d["days"])).isoformat()
                if due != d["due"]:
                    errors.append(f"{name}: due {d['due']} != {due}")
    q = sum(len(f["quotes"]) for f in labels)
    c = sum(len(f["claims"]) for f in labels)
    d = sum(len(f["deadlines"]) for f in labels)
    print(f"{len(labels)} files, {q} quotes, {c} claims, {d} deadlines")
    for e in errors:
        print("ERROR", e)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
