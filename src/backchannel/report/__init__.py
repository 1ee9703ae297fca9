"""The self-contained HTML report: one file, inline CSS and SVG, no scripts, no network."""

from .html import render_report

__all__ = ["render_report"]
