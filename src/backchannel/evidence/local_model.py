"""Claims proposed by a local model the user already runs, kept only when their evidence is verbatim.

Optional and off by default (``backchannel ingest --local-model URL``). The one back-end is an LLM
server on this machine speaking the OpenAI-compatible chat-completions API (llama.cpp's
``llama-server``, Ollama, vLLM, ...). The model is asked, per article, for claims as JSON objects
``{actor, issue, position, evidence}``; a claim is kept only when its actor and issue are the
scenario's ids, its position lies on 0..100 and its evidence is an exact substring of the article.
Everything else is dropped and counted, so a model that paraphrases or invents adds nothing.

Only loopback hosts are accepted: an article never leaves the machine.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import parse_qs, urlsplit

from ..scenario.errors import InputError
from ..scenario.schema import Scenario

__all__ = [
    "ClaimBackend",
    "ChatServer",
    "LocalModelError",
    "LocalModelUnreachable",
    "open_backend",
    "parse_server_url",
    "verify_claims",
    "local_claims",
    "CONFIDENCE",
    "METHOD",
]

#: The value of a claim's ``method`` field for claims taken from the local model.
METHOD = "local-llm"
#: Confidence given to every kept claim: the model's own confidence is not asked for (it is not
#: calibrated); the rules give 0.1..0.95 by cue and hedging, and ``suggest`` ignores claims below 0.3.
CONFIDENCE = 0.5
#: Evidence shorter than this many words ("Russia", "the talks") would match almost any article.
MIN_EVIDENCE_WORDS = 3

_LOOPBACK = {"127.0.0.1", "::1", "localhost"}
_ALLOWED_URL = "http://127.0.0.1:PORT, http://[::1]:PORT or http://localhost:PORT (optionally /v1 and ?model=NAME)"
_FENCE = re.compile(r"\A```(?:json)?\s*\n(.*)\n```\Z", re.DOTALL)
_DROP_REASONS = (
    "malformed",
    "unknown_actor",
    "unknown_issue",
    "position_out_of_range",
    "evidence_too_short",
    "evidence_not_in_text",
    "duplicate",
)


class LocalModelError(InputError):
    """The local model failed on one document (timeout, HTTP error): that document is not stored."""


class LocalModelUnreachable(InputError):
    """Nothing answers at the local model's address: the whole run stops."""


class ClaimBackend(Protocol):
    """A local model that proposes claims for one article; its proposals are checked afterwards."""

    name: str

    def propose(self, text: str, scenario: Scenario) -> tuple[list[Any], list[str]]:
        """(raw claim proposals, warnings); raises LocalModelError or LocalModelUnreachable."""
        ...

    def close(self) -> None:
        """Release connections."""
        ...


def parse_server_url(url: str) -> tuple[str, str | None]:
    """(base URL ending before ``/chat/completions``, model name or None) of a loopback server URL."""
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname
        port = parts.port
    except ValueError as exc:
        raise InputError(f"not a valid URL ({exc})", field="--local-model", value=url, allowed=_ALLOWED_URL) from None
    if parts.scheme not in ("http", "https"):
        raise InputError(
            "the local model must be an http:// URL of a server on this machine; "
            "NLI model directories are not supported (docs/evidence.md)",
            field="--local-model",
            value=url,
            allowed=_ALLOWED_URL,
        )
    if host not in _LOOPBACK:
        raise InputError(
            "the local model must run on this machine (loopback host only); articles are never sent elsewhere",
            field="--local-model",
            value=url,
            allowed=_ALLOWED_URL,
        )
    netloc = (f"[{host}]" if ":" in host else host) + (f":{port}" if port else "")
    path = parts.path.rstrip("/")
    if path.endswith("/chat/completions"):
        path = path[: -len("/chat/completions")]
    model = parse_qs(parts.query).get("model", [None])[0]
    return f"{parts.scheme}://{netloc}{path or '/v1'}", model


def _prompt(text: str, scenario: Scenario) -> list[dict[str, str]]:
    """The chat messages asking for the claims of one article."""
    system = (
        "You read one news article about a negotiation and list the positions the parties take in it. "
        'Answer with one JSON object and nothing else: {"claims": [{"actor": ACTOR_ID, "issue": ISSUE_ID, '
        '"position": NUMBER, "evidence": TEXT}]}. Use only the actor ids and issue ids listed. '
        "position is a number from 0 to 100 placing the actor's stated position on the issue's scale, "
        "read against the labelled points of that scale. evidence is the sentence or phrase of the article "
        "that shows the position, copied character for character: no paraphrase, no summary, no ellipsis. "
        'List a claim only when the article shows the actor holding it; answer {"claims": []} when none does.'
    )
    actors = "\n".join(
        f"- {a.id}: {a.name}" + (f" (also: {', '.join(a.aliases)})" if a.aliases else "") for a in scenario.actors
    )
    issues = "\n".join(
        f"- {i.id}: {i.name}; scale: "
        + ("; ".join(f"{v:g} = {label}" for v, label in sorted(i.scale.items())) or "0 to 100")
        for i in scenario.issues
    )
    user = f"Actors (id: name):\n{actors}\n\nIssues (id: name; scale):\n{issues}\n\nArticle:\n<<<\n{text}\n>>>"
    return [{"role": "system", "content": system}, {"role": "user", "content": user}]


def _parse_answer(body: bytes) -> tuple[list[Any], list[str]]:
    """The claim list of a chat-completions answer; a malformed answer gives no claims and one warning."""
    try:
        content = json.loads(body)["choices"][0]["message"]["content"]
        if not isinstance(content, str):
            raise TypeError("message content is not text")
    except (ValueError, KeyError, IndexError, TypeError) as exc:
        return [], [
            f"local model answer is not a chat completion ({type(exc).__name__}: {exc}); no claims taken from it"
        ]
    content = content.strip()
    fenced = _FENCE.match(content)  # one code fence around the whole answer is the only wrapping accepted
    if fenced:
        content = fenced.group(1).strip()
    try:
        data = json.loads(content)
    except ValueError as exc:
        return [], [f"local model answer is not JSON ({exc}); no claims taken from it"]
    if isinstance(data, dict) and isinstance(data.get("claims"), list):
        return data["claims"], []
    if isinstance(data, list):
        return data, []
    return [], ['local model answer is JSON but not {"claims": [...]}; no claims taken from it']


@dataclass
class ChatServer:
    """An LLM server on this machine speaking the OpenAI-compatible chat-completions API."""

    base: str
    model: str | None
    client: Any  # httpx.Client
    seed: int = 0

    @property
    def name(self) -> str:
        """The server and model, as shown to the user."""
        return f"{self.base} ({self.model or 'default model'})"

    def propose(self, text: str, scenario: Scenario) -> tuple[list[Any], list[str]]:
        """Ask for the claims of one article: (raw proposals, warnings)."""
        import httpx

        payload: dict[str, Any] = {
            "messages": _prompt(text, scenario),
            "temperature": 0,
            "seed": self.seed,
            "response_format": {"type": "json_object"},
            "stream": False,
        }
        if self.model:
            payload["model"] = self.model
        url = self.base + "/chat/completions"
        try:
            response = self.client.post(url, json=payload)
        except httpx.ConnectError as exc:
            raise LocalModelUnreachable(
                f"the local model at {self.base} is not reachable ({exc}); start it or drop --local-model"
            ) from None
        except httpx.TimeoutException:
            raise LocalModelError(
                f"the local model at {self.base} gave no answer within {self.client.timeout.read:g} s"
            ) from None
        except httpx.HTTPError as exc:
            raise LocalModelError(f"the local model at {self.base} failed: {type(exc).__name__}: {exc}") from None
        if response.status_code != 200:
            raise LocalModelError(
                f"the local model at {url} answered HTTP {response.status_code}: {response.text[:200]}"
            )
        return _parse_answer(response.content)

    def close(self) -> None:
        """Close the HTTP connections."""
        self.client.close()


def open_backend(
    spec: str, *, timeout: float = 120.0, connect_timeout: float = 5.0, transport: Any = None
) -> ChatServer:
    """Connect to the local model named by ``--local-model``; refuses non-loopback hosts, checks it answers.

    Without ``?model=NAME`` in the URL, the first model the server lists under ``/models`` is used
    (llama.cpp and vLLM serve one; Ollama lists every model pulled, so name one there).
    """
    import httpx

    base, model = parse_server_url(spec)
    # trust_env=False: no proxy from the environment may carry the article off the machine;
    # redirects are not followed, so a loopback server cannot forward it elsewhere either.
    client = httpx.Client(
        timeout=httpx.Timeout(timeout, connect=connect_timeout),
        trust_env=False,
        follow_redirects=False,
        transport=transport,
    )
    try:
        listing = client.get(base + "/models")
    except (httpx.ConnectError, httpx.TimeoutException) as exc:
        client.close()
        raise LocalModelUnreachable(
            f"the local model at {base} is not reachable ({type(exc).__name__}: {exc}); start it or drop --local-model"
        ) from None
    except httpx.HTTPError as exc:
        client.close()
        raise LocalModelUnreachable(f"the local model at {base} failed: {type(exc).__name__}: {exc}") from None
    if model is None and listing.status_code == 200:
        try:
            ids = [m["id"] for m in listing.json()["data"] if isinstance(m.get("id"), str)]
        except (ValueError, KeyError, TypeError, AttributeError):
            ids = []
        model = ids[0] if ids else None
    return ChatServer(base, model, client)


def _sentence_of(start: int, end: int, sentences: list[tuple[int, int]], text: str) -> tuple[int, int]:
    """The span of the sentences overlapping [start, end), trailing whitespace dropped."""
    inside = [(s, e) for s, e in sentences if s < end and e > start]
    s0 = min([start] + [s for s, _ in inside])
    s1 = max([end] + [e for _, e in inside])
    return s0, s0 + len(text[s0:s1].rstrip())


def verify_claims(
    proposals: list[Any], text: str, scenario: Scenario, sentences: list[tuple[int, int]], existing: list[dict]
) -> tuple[list[dict], Counter]:
    """Keep the proposals that pass every check, as claim records; count the others by reason.

    A kept claim's ``text``/``start``/``end`` are its sentence (as for the rules' claims);
    ``evidence``/``evidence_start``/``evidence_end`` are the verbatim substring the model gave.
    A claim on the same actor, issue and sentence as one already there is a duplicate.
    """
    actors = {a.id for a in scenario.actors}
    issues = {i.id for i in scenario.issues}
    counts: Counter = Counter()
    kept: list[dict] = []
    taken = [(c["actor"], c["issue"], c["start"], c["end"]) for c in existing]
    for p in proposals:
        counts["proposed"] += 1
        if (
            not isinstance(p, dict)
            or not all(isinstance(p.get(k), str) for k in ("actor", "issue", "evidence"))
            or isinstance(p.get("position"), bool)
            or not isinstance(p.get("position"), (int, float))
        ):
            counts["malformed"] += 1
            continue
        if p["actor"] not in actors:
            counts["unknown_actor"] += 1
            continue
        if p["issue"] not in issues:
            counts["unknown_issue"] += 1
            continue
        position = float(p["position"])
        if not 0.0 <= position <= 100.0:  # NaN fails too
            counts["position_out_of_range"] += 1
            continue
        evidence = p["evidence"].strip()
        if len(evidence.split()) < MIN_EVIDENCE_WORDS:
            counts["evidence_too_short"] += 1
            continue
        at = text.find(evidence)
        if at < 0:
            counts["evidence_not_in_text"] += 1
            continue
        s0, s1 = _sentence_of(at, at + len(evidence), sentences, text)
        if any(a == p["actor"] and i == p["issue"] and s < s1 and e > s0 for a, i, s, e in taken):
            counts["duplicate"] += 1
            continue
        taken.append((p["actor"], p["issue"], s0, s1))
        kept.append(
            {
                "actor": p["actor"],
                "issue": p["issue"],
                "position": round(position, 1),
                "confidence": CONFIDENCE,
                "text": text[s0:s1],
                "start": s0,
                "end": s1,
                "method": METHOD,
                "evidence": evidence,
                "evidence_start": at,
                "evidence_end": at + len(evidence),
            }
        )
        counts["kept"] += 1
    return kept, counts


def local_claims(
    backend: ClaimBackend, text: str, scenario: Scenario, sentences: list[tuple[int, int]], existing: list[dict]
) -> tuple[list[dict], dict]:
    """The checked claims of the local model for one document, and the report stored in the record."""
    proposals, warnings = backend.propose(text, scenario)
    kept, counts = verify_claims(proposals, text, scenario, sentences, existing)
    report = {
        "model": backend.name,
        "proposed": counts["proposed"],
        "kept": counts["kept"],
        "dropped": {reason: counts[reason] for reason in _DROP_REASONS},
        "warnings": warnings,
    }
    return kept, report
