"""The Alembic history stays one straight line, so `upgrade head` has one target however branches merge."""

from __future__ import annotations

from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

import backchannel.store.evidence  # noqa: F401  (registers the evidence tables on Base.metadata)
from backchannel.store import Store
from backchannel.store.database import MIGRATIONS
from backchannel.store.tables import Base


def _scripts() -> ScriptDirectory:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return ScriptDirectory.from_config(cfg)


def test_migrations_have_a_single_head():
    heads = _scripts().get_heads()
    assert len(heads) == 1, f"several Alembic heads {heads}: re-chain down_revision so the history is one line"


def test_every_revision_but_the_first_has_one_parent():
    revisions = list(_scripts().walk_revisions())
    roots = [r.revision for r in revisions if r.down_revision is None]
    assert len(roots) == 1, f"several first revisions: {roots}"
    merges = [r.revision for r in revisions if isinstance(r.down_revision, tuple)]
    assert merges == [], f"merge revisions {merges}: re-chain the branches instead"


def test_upgrading_an_empty_database_creates_every_table(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'fresh.db'}")
    try:
        tables = set(inspect(store.engine).get_table_names())
    finally:
        store.close()
    assert {"scenarios", "runs", "evidence_documents", "evidence_claims"} <= set(Base.metadata.tables)
    assert set(Base.metadata.tables) <= tables


def test_the_schema_version_read_from_the_files_is_alembics_head():
    from backchannel.store.database import head_revision

    assert head_revision() == _scripts().get_current_head()


def test_a_store_at_the_newest_schema_opens_without_alembic(tmp_path):
    """The upgrade check is one query: a migrated store opens again without importing Alembic."""
    import subprocess
    import sys

    url = f"sqlite:///{tmp_path / 'store.db'}"
    Store(url).close()  # creates and migrates
    code = f"import sys\nfrom backchannel.store import Store\nStore({url!r}).close()\nprint('alembic' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"
