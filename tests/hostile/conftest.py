"""A fresh store URL on SQLite and (when BACKCHANNEL_TEST_PG_URL is set) on a new PostgreSQL schema."""

from __future__ import annotations

import os
import uuid

import pytest
from sqlalchemy import create_engine, text


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store_url(request, tmp_path):
    """A URL of an empty store nobody has opened yet (not migrated)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'new.db'}"
        return
    url = os.environ.get("BACKCHANNEL_TEST_PG_URL")
    if not url:
        pytest.skip("BACKCHANNEL_TEST_PG_URL is not set (CI's .ci/run starts a PostgreSQL server and sets it)")
    schema = "h_" + uuid.uuid4().hex[:12]
    admin = create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    yield url + f"?options=-csearch_path%3D{schema}"
    with admin.begin() as conn:
        conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    admin.dispose()
