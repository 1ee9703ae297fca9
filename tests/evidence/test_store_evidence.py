"""Evidence tables: one document per content hash, one extraction per scenario, atomic writes."""

from __future__ import annotations

import os

import pytest

from backchannel.scenario.errors import InputError
from backchannel.store import Store
from backchannel.store.evidence import get_document, list_documents, save_extraction, stored_claims

TEXT = "“We will not accept it,” Peskov said. Russia rejects any ceasefire."
RECORD = {
    "source": "a.txt",
    "url": None,
    "title": "T",
    "published": "2025-08-06",
    "text": TEXT,
    "mentions": [{"actor": "russia", "text": "Peskov", "start": 25, "end": 31}],
    "quotes": [{"text": "We will not accept it,", "start": 1, "end": 23, "speaker": "Peskov", "actor": "russia"}],
    "claims": [
        {
            "actor": "russia",
            "issue": "ceasefire",
            "position": 80.0,
            "confidence": 0.85,
            "text": "Russia rejects any ceasefire.",
            "start": 38,
            "end": 67,
        }
    ],
    "deadlines": [],
    "events": [],
}


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store(request, tmp_path):
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'ev.db'}"
    else:
        url = os.environ.get("BACKCHANNEL_TEST_PG_URL")
        if not url:
            pytest.skip("BACKCHANNEL_TEST_PG_URL is not set (CI's .ci/run starts a PostgreSQL server and sets it)")
    st = Store(url)
    if request.param == "postgres":  # a clean slate on the shared test database
        from backchannel.store.evidence import _KINDS, DocumentRow, ExtractionRow

        with st.sessions.begin() as s:
            for row_type, _ in _KINDS.values():
                s.query(row_type).delete()
            s.query(ExtractionRow).delete()
            s.query(DocumentRow).delete()
    yield st
    st.close()


def test_same_document_twice_changes_nothing(store, scenario):
    first = save_extraction(store, RECORD, "h" * 64, scenario, "0.1.0")
    again = save_extraction(store, RECORD, "h" * 64, scenario, "0.1.0")
    assert first[1] is True and again == (first[0], False)
    docs = list_documents(store)
    assert len(docs) == 1 and (docs[0]["quotes"], docs[0]["claims"], docs[0]["mentions"]) == (1, 1, 1)
    doc = get_document(store, docs[0]["id"])
    assert doc["quotes"] == RECORD["quotes"] and doc["claims"] == RECORD["claims"]
    assert get_document(store, "hhhh")["id"] == docs[0]["id"]  # by hash prefix
    assert stored_claims(store) == [{**RECORD["claims"][0], "document": "a.txt"}]


def test_failed_write_leaves_no_rows(store, scenario):
    broken = {**RECORD, "claims": [{"actor": "russia"}]}  # missing fields: fails halfway
    with pytest.raises(KeyError):
        save_extraction(store, broken, "b" * 64, scenario, "0.1.0")
    assert list_documents(store) == []


def test_unknown_document_is_an_input_error(store):
    with pytest.raises(InputError) as err:
        get_document(store, 42)
    assert "no stored document" in str(err.value)


def test_a_local_models_claim_keeps_its_method_and_evidence(store, scenario):
    # "rejects any ceasefire" is TEXT[45:66]; the rule-based claim stays without the optional fields
    model_claim = {
        "actor": "russia",
        "issue": "ceasefire",
        "position": 90.0,
        "confidence": 0.5,
        "text": "Russia rejects any ceasefire.",
        "start": 38,
        "end": 67,
        "method": "local-llm",
        "evidence": "rejects any ceasefire",
        "evidence_start": 45,
        "evidence_end": 66,
    }
    assert TEXT[45:66] == "rejects any ceasefire"
    doc_id, _ = save_extraction(
        store, {**RECORD, "claims": RECORD["claims"] + [model_claim]}, "m" * 64, scenario, "0.1.0"
    )
    assert get_document(store, doc_id)["claims"] == RECORD["claims"] + [model_claim]


def test_a_store_made_before_0003_upgrades_and_keeps_its_claims(tmp_path, scenario):
    # build the schema up to 0002 (as an older backchannel left it), store a claim row, then open the store
    import sqlalchemy as sa
    from alembic import command
    from alembic.config import Config

    from backchannel.store.database import MIGRATIONS

    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = sa.create_engine(url)
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0002_evidence")
        conn.execute(
            sa.text(
                "INSERT INTO evidence_claims (extraction_id, document_id, scenario_hash, text, "
                "span_start, span_end, actor, issue, position, confidence) "
                "VALUES (1, 1, 'h', 'Russia rejects any ceasefire.', 38, 67, 'russia', 'ceasefire', 80, 0.85)"
            )
        )
    engine.dispose()
    st = Store(url)
    with st.sessions() as s:
        row = s.execute(sa.text("SELECT actor, position, method, evidence_start FROM evidence_claims")).one()
        version = s.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
    st.close()
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from backchannel.store.database import MIGRATIONS

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    head = ScriptDirectory.from_config(cfg).get_current_head()  # 0003_claim_method then any later migration
    assert tuple(row) == ("russia", 80.0, None, None) and version == head and head is not None


@pytest.mark.parametrize("ref", [2**31, 2**63, 10**30])
def test_ids_past_the_id_column_name_no_document(store, ref):
    # SQLite raised OverflowError past 64 bits and PostgreSQL's INTEGER ends at 2**31 - 1: both must be "no document"
    with pytest.raises(InputError, match="no stored document"):
        get_document(store, ref)
