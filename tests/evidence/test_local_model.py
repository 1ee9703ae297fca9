"""The optional local model of ``backchannel ingest --local-model``: only verbatim evidence is kept.

A small HTTP server on 127.0.0.1, started here, stands in for the user's LLM server (llama.cpp,
Ollama, vLLM): it lists one model under /v1/models and answers every chat-completions request with
a canned message. The expected spans are computed from the article written below, so every span
asserted here is checked against text this test controls.
"""

from __future__ import annotations

import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from backchannel.scenario.formats import parse

DATA = Path(__file__).resolve().parent / "data"
SCENARIO = str(DATA / "scenario.yaml")

# Written for this test; the third sentence carries no issue keyword and no stance verb, so the
# rules find no claim in it and a claim the model finds there cannot be a duplicate of theirs.
ARTICLE = (
    "DATE: 2025-08-06\n\n"
    "The Kremlin said on Tuesday that Russia would not accept any ceasefire before a settlement.\n"
    "Officials in Kyiv met European envoys in the afternoon.\n"
    "Analysts in Ankara expect Erdogan to keep offering Istanbul as a venue for the next round.\n"
)
BODY = ARTICLE.split("\n\n", 1)[1]
VERBATIM = "keep offering Istanbul as a venue for the next round"
VERBATIM_SENTENCE = "Analysts in Ankara expect Erdogan to keep offering Istanbul as a venue for the next round."


class _Server:
    """A chat-completions server on 127.0.0.1 with a canned answer; records what it receives."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, str, bytes]] = []
        self.content = json.dumps({"claims": []})
        self.status = 200
        self.raw: bytes | None = None  # a whole response body, replacing the chat completion
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def _reply(self, status: int, body: bytes) -> None:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):  # noqa: N802 - http.server's naming
                owner.requests.append(("GET", self.path, b""))
                if self.path == "/v1/models":
                    self._reply(200, json.dumps({"object": "list", "data": [{"id": "canned-7b"}]}).encode())
                else:
                    self._reply(404, b"{}")

            def do_POST(self):  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                owner.requests.append(("POST", self.path, body))
                if owner.raw is not None:
                    return self._reply(owner.status, owner.raw)
                answer = {
                    "id": "x",
                    "object": "chat.completion",
                    "model": "canned-7b",
                    "choices": [
                        {
                            "index": 0,
                            "finish_reason": "stop",
                            "message": {"role": "assistant", "content": owner.content},
                        }
                    ],
                }
                self._reply(owner.status, json.dumps(answer).encode())

            def log_message(self, *args):  # keep the test output quiet
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture()
def server():
    s = _Server()
    yield s
    s.stop()


@pytest.fixture()
def article(tmp_path) -> Path:
    path = tmp_path / "article.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


@pytest.fixture()
def run(cli, monkeypatch):
    """The project's in-process CLI runner (tests/conftest.py) with no local model set in the environment."""
    pytest.importorskip("spacy")
    monkeypatch.delenv("BACKCHANNEL_LOCAL_MODEL", raising=False)
    return cli


def _claim(actor, issue, position, evidence):
    return {"actor": actor, "issue": issue, "position": position, "evidence": evidence}


def test_only_verbatim_claims_on_known_ids_are_kept(run, server, article):
    server.content = json.dumps(
        {
            "claims": [
                _claim("turkey", "territory", 50, VERBATIM),  # kept
                _claim("russia", "ceasefire", 90, "Russia will not agree to a ceasefire before a deal"),  # paraphrase
                _claim("poland", "ceasefire", 10, "Officials in Kyiv met European envoys"),  # unknown actor
                _claim("ukraine", "gas_transit", 10, "Officials in Kyiv met European envoys"),  # unknown issue
                _claim("ukraine", "ceasefire", 140, "Officials in Kyiv met European envoys"),  # off the scale
                _claim("russia", "ceasefire", 90, "the Kremlin"),  # too short
                {"actor": "russia", "issue": "ceasefire", "position": "high", "evidence": "Russia would not accept"},
                "not an object",
            ]
        }
    )
    code, out, err = run("ingest", str(article), "--scenario", SCENARIO, "--json", "--local-model", server.url)
    assert code == 0, err
    assert err == ""
    doc = json.loads(out)["documents"][0]
    assert doc["text"] == BODY
    local = [c for c in doc["claims"] if c.get("method") == "local-llm"]
    assert [c for c in doc["claims"] if "method" in c] == local  # the rules' claims have no method field
    start = BODY.index(VERBATIM)
    sentence_start = BODY.index(VERBATIM_SENTENCE)
    assert local == [
        {
            "actor": "turkey",
            "issue": "territory",
            "position": 50.0,
            "confidence": 0.5,
            "text": VERBATIM_SENTENCE,
            "start": sentence_start,
            "end": sentence_start + len(VERBATIM_SENTENCE),
            "method": "local-llm",
            "evidence": VERBATIM,
            "evidence_start": start,
            "evidence_end": start + len(VERBATIM),
        }
    ]
    # the contract of docs/evidence.md: text[start:end] == item["text"], for the evidence span too
    for c in doc["claims"]:
        assert doc["text"][c["start"] : c["end"]] == c["text"]
    assert doc["text"][local[0]["evidence_start"] : local[0]["evidence_end"]] == VERBATIM
    assert doc["local_model"]["proposed"] == 8 and doc["local_model"]["kept"] == 1
    assert doc["local_model"]["dropped"] == {
        "malformed": 2,
        "unknown_actor": 1,
        "unknown_issue": 1,
        "position_out_of_range": 1,
        "evidence_too_short": 1,
        "evidence_not_in_text": 1,
        "duplicate": 0,
    }
    assert doc["local_model"]["model"] == f"{server.url} (canned-7b)"

    # stored with its method and evidence span (migration 0003): the store gives back what ingest printed
    code, out, _ = run("evidence", "show", "1", "--json")
    stored = json.loads(out)["claims"]
    assert local[0] in stored and local[0]["text"] == VERBATIM_SENTENCE
    assert local[0]["start"] == sentence_start and local[0]["end"] == sentence_start + len(VERBATIM_SENTENCE)
    assert stored == doc["claims"]


def test_the_request_names_the_scenarios_ids_and_carries_the_article(run, server, article):
    code, _, err = run("ingest", str(article), "--scenario", SCENARIO, "--local-model", server.url)
    assert code == 0, err
    assert [(m, p) for m, p, _ in server.requests] == [("GET", "/v1/models"), ("POST", "/v1/chat/completions")]
    request = json.loads(server.requests[1][2])
    assert request["model"] == "canned-7b"  # the first model the server listed
    assert request["temperature"] == 0 and request["seed"] == 0
    prompt = "\n".join(m["content"] for m in request["messages"])
    scenario = parse(Path(SCENARIO).read_text(encoding="utf-8"), SCENARIO, "yaml")
    for issue in scenario.issues:
        assert f"- {issue.id}: " in prompt
        for label in issue.scale.values():
            assert label in prompt
    for actor in scenario.actors:
        assert f"- {actor.id}: " in prompt
    assert BODY in prompt


def test_a_duplicate_of_a_rule_claim_is_dropped(run, server, article, tmp_path):
    # Learn what the rules find first (no local model), then have the model propose the same claim.
    code, out, _ = run(
        "ingest", str(article), "--scenario", SCENARIO, "--json", "--db", f"sqlite:///{tmp_path / 'rules.db'}"
    )
    rules = json.loads(out)["documents"][0]["claims"]
    first = rules[0]
    assert (first["actor"], first["issue"], first["start"]) == ("russia", "ceasefire", 0)  # the Kremlin's sentence
    server.content = json.dumps({"claims": [_claim(first["actor"], first["issue"], 95, first["text"])]})
    code, out, err = run("ingest", str(article), "--scenario", SCENARIO, "--json", "--local-model", server.url)
    doc = json.loads(out)["documents"][0]
    assert code == 0, err
    assert doc["claims"] == rules
    assert doc["local_model"]["dropped"]["duplicate"] == 1


@pytest.mark.parametrize(
    "content",
    [
        'Sure! Here are the claims: {"claims": []}',
        '{"claims": [{"actor": "russia", ',
        '{"positions": []}',
    ],
)
def test_malformed_answers_are_ignored_with_one_warning(run, server, article, content):
    server.content = content
    code, out, err = run("ingest", str(article), "--scenario", SCENARIO, "--json", "--local-model", server.url)
    assert code == 0
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"warning: {article}: local model answer is")
    assert "Traceback" not in err
    doc = json.loads(out)["documents"][0]
    assert doc["local_model"]["kept"] == 0
    assert all("method" not in c for c in doc["claims"])


def test_an_answer_that_is_not_a_chat_completion_is_ignored(run, server, article):
    server.raw = b"<html>not json</html>"
    code, _, err = run("ingest", str(article), "--scenario", SCENARIO, "--local-model", server.url)
    assert code == 0
    assert err.strip().splitlines() == [err.strip()] and "not a chat completion" in err


def test_evidence_must_match_exactly_and_its_span_grows_to_whole_sentences():
    from backchannel.evidence.local_model import verify_claims

    scenario = parse(Path(SCENARIO).read_text(encoding="utf-8"), SCENARIO, "yaml")
    first = BODY.index("Officials")
    sentences = [(0, first), (first, BODY.index("Analysts")), (BODY.index("Analysts"), len(BODY))]
    across = "a settlement.\nOfficials in Kyiv"  # the end of sentence 1 and the start of sentence 2
    kept, counts = verify_claims(
        [
            _claim("russia", "ceasefire", 80, across),
            _claim("russia", "ceasefire", 80, "RUSSIA WOULD NOT ACCEPT any ceasefire"),
        ],
        BODY,
        scenario,
        sentences,
        existing=[],
    )
    assert counts["evidence_not_in_text"] == 1  # a change of case is not verbatim
    end_of_second = BODY.index("afternoon.") + len("afternoon.")
    assert [(c["start"], c["end"], c["evidence_start"]) for c in kept] == [(0, end_of_second, BODY.index(across))]


def test_a_fenced_json_answer_is_accepted():
    from backchannel.evidence.local_model import _parse_answer

    content = '```json\n{"claims": [{"actor": "a"}]}\n```'
    body = json.dumps({"choices": [{"message": {"content": content}}]}).encode()
    assert _parse_answer(body) == ([{"actor": "a"}], [])


@pytest.mark.parametrize(
    "url",
    [
        "http://192.168.1.5:8080/v1",
        "http://example.org/v1",
        "http://127.0.0.1@example.org/v1",  # user info before the real host
        "http://localhost.example.org:8080/v1",
        "ftp://127.0.0.1/v1",
        "/models/roberta-large-mnli",  # an NLI directory: not supported (docs/evidence.md)
    ],
)
def test_anything_but_a_loopback_server_is_refused_in_one_line(run, article, url, monkeypatch):
    connects = []
    monkeypatch.setattr(socket.socket, "connect", lambda self, addr: connects.append(addr))
    code, out, err = run("ingest", str(article), "--scenario", SCENARIO, "--local-model", url)
    assert code == 2
    assert len(err.strip().splitlines()) == 1 and err.startswith("error: field '--local-model'")
    assert connects == []
    code, out, _ = run("evidence", "list", "--json")
    assert json.loads(out) == []


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_server_that_is_down_stops_the_run_in_one_line(run, article):
    # Decision (docs/evidence.md): fail with exit 2 before anything is stored, since a document
    # stored with rules only would be "unchanged" when ingested again once the server is up.
    code, _, err = run(
        "ingest", str(article), "--scenario", SCENARIO, "--local-model", f"http://127.0.0.1:{_free_port()}/v1"
    )
    assert code == 2
    assert len(err.strip().splitlines()) == 1 and "is not reachable" in err and "Traceback" not in err
    code, out, _ = run("evidence", "list", "--json")
    assert json.loads(out) == []


def test_a_server_error_fails_that_document_only(run, server, article, tmp_path):
    second = tmp_path / "second.txt"
    second.write_text("Russia rejects any ceasefire.\n", encoding="utf-8")
    server.status = 500
    code, _, err = run("ingest", str(article), str(second), "--scenario", SCENARIO, "--local-model", server.url)
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(f"error: {article}: the local model at {server.url}/chat/completions answered HTTP 500")
    assert lines[1].startswith(f"error: {second}: the local model at ")
    code, out, _ = run("evidence", "list", "--json")
    assert json.loads(out) == []


def test_without_the_option_nothing_is_contacted(run, server, article, monkeypatch):
    connects = []
    real = socket.socket.connect

    def spy(self, addr):
        connects.append(addr)
        return real(self, addr)

    monkeypatch.setattr(socket.socket, "connect", spy)
    code, out, err = run("ingest", str(article), "--scenario", SCENARIO, "--json")
    assert code == 0, err
    assert connects == [] and server.requests == []
    doc = json.loads(out)["documents"][0]
    assert "local_model" not in doc and all("method" not in c for c in doc["claims"])


def test_the_environment_variable_turns_it_on(run, server, article, monkeypatch):
    monkeypatch.setenv("BACKCHANNEL_LOCAL_MODEL", server.url + "/chat/completions?model=mine")
    code, _, err = run("ingest", str(article), "--scenario", SCENARIO)
    assert code == 0, err
    assert [(m, p) for m, p, _ in server.requests] == [("GET", "/v1/models"), ("POST", "/v1/chat/completions")]
    assert json.loads(server.requests[1][2])["model"] == "mine"


def test_no_proxy_from_the_environment_is_used(server, monkeypatch):
    from backchannel.evidence.local_model import open_backend

    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    for name in ("HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.setenv(name, "http://127.0.0.1:9")  # discard port: nothing listens there
    backend = open_backend(server.url)  # through the proxy it would be "not reachable"
    try:
        assert backend.model == "canned-7b"
    finally:
        backend.close()
    assert [(m, p) for m, p, _ in server.requests] == [("GET", "/v1/models")]
