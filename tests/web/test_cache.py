"""Views of stored results are built once, and a cached view never outlives or stands for other content."""

from __future__ import annotations

import threading

from sqlalchemy import delete

from backchannel.scenario.identity import scenario_hash
from backchannel.store.tables import RunRow
from backchannel.web.cache import Memo


def test_memo_builds_once_and_forgets_the_least_recently_used():
    memo, calls = Memo(size=2), []

    def make(k):
        return lambda: calls.append(k) or k * 10

    assert memo.get(1, make(1)) == 10 and memo.get(1, make(1)) == 10
    memo.get(2, make(2))
    memo.get(1, make(1))  # 1 is now the most recent, so 2 goes when 3 arrives
    memo.get(3, make(3))
    assert len(memo) == 2 and calls == [1, 2, 3]
    memo.get(2, make(2))
    assert calls == [1, 2, 3, 2]


def test_memo_is_safe_under_concurrent_use():
    memo, errors = Memo(size=8), []

    def work(seed):
        try:
            for i in range(2000):
                k = (seed * 7 + i) % 20
                assert memo.get(k, lambda k=k: k * k) == k * k
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and len(memo) <= 8


def test_store_keeps_each_version_once_and_resolves_refs_as_before(client, toy):
    store = client.app.state.service.store
    h1 = client.post("/api/scenarios", json={"filename": "toy.yaml", "content": toy}).json()["hash"]
    second = toy.replace("Toy case", "Toy 2")
    h2 = client.post("/api/scenarios", json={"filename": "toy.yaml", "content": second}).json()["hash"]
    d1, s1 = store.scenario_version(h1)
    assert d1 == h1 == scenario_hash(s1)  # the row's key is the content hash of what it parses to
    assert store.scenario_version(h1)[1] is s1  # validated once
    assert store.scenario_version(h2[:10])[0] == h2
    assert store.scenario_version("toy")[0] == h2  # an id means its newest version
    assert store.scenario(h1).title == "Toy case" and store.scenario(h2).title == "Toy 2"


def test_scenario_pages_show_their_own_version(client, toy):
    h1 = client.post("/api/scenarios", json={"filename": "toy.yaml", "content": toy}).json()["hash"]
    h2 = client.post(
        "/api/scenarios", json={"filename": "toy.yaml", "content": toy.replace("position: 70", "position: 83")}
    ).json()["hash"]
    for _ in range(2):  # the second round is served from the cache
        p1, p2 = client.get(f"/scenarios/{h1}").text, client.get(f"/scenarios/{h2}").text
        assert h1[:12] in p1 and 'id="pos-b-x"><td>b</td><td>x</td><td class="num">70<' in p1
        assert h2[:12] in p2 and 'id="pos-b-x"><td>b</td><td>x</td><td class="num">83<' in p2
    assert client.get("/scenarios/toy").text.count(h2[:12]) >= 1  # the id follows the newest version


def test_a_deleted_run_is_404_although_its_views_were_cached(client, toy):
    digest = client.post("/api/scenarios", json={"filename": "toy.yaml", "content": toy}).json()["hash"]
    run_id = client.post("/api/forecasts", json={"scenario": digest, "seed": 3}).json()["run_id"]
    assert client.get(f"/api/runs/{run_id}").json()["seed"] == 3
    assert client.get(f"/runs/{run_id}").status_code == 200
    store = client.app.state.service.store
    with store.sessions.begin() as s:
        s.execute(delete(RunRow).where(RunRow.id == run_id))
    assert client.get(f"/api/runs/{run_id}").status_code == 404
    assert client.get(f"/runs/{run_id}").status_code == 404
    # a new run may get the same id back (SQLite reuses the largest rowid): it must show its own seed
    again = client.post("/api/forecasts", json={"scenario": digest, "seed": 9}).json()["run_id"]
    assert client.get(f"/api/runs/{again}").json()["seed"] == 9
    assert ">9<" in client.get(f"/runs/{again}").text


def test_cached_run_json_is_what_the_store_holds(client, toy):
    digest = client.post("/api/scenarios", json={"filename": "toy.yaml", "content": toy}).json()["hash"]
    made = client.post("/api/forecasts", json={"scenario": digest, "models": ["compromise", "smp"]}).json()
    first = client.get(f"/api/runs/{made['run_id']}")
    second = client.get(f"/api/runs/{made['run_id']}")
    assert first.headers["content-type"] == "application/json" and first.content == second.content
    body = first.json()
    assert body["results"]["models"] == made["models"] and body["scenario_hash"] == digest
