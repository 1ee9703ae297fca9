"""The analyst's workbench: a FastAPI app with pages and a JSON API."""

from .app import create_app

__all__ = ["create_app"]
