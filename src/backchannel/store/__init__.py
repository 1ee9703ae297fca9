"""Persistence of scenarios, evidence and runs: SQLite by default, PostgreSQL by URL."""

from .database import default_url
from .repository import Store

__all__ = ["Store", "default_url"]
