"""The self-contained HTML report: one file, inline CSS and SVG, no scripts, no network."""

from __future__ import annotations

from typing import Any

__all__ = ["render_report"]


def __getattr__(name: str) -> Any:
    # Jinja2 loads with the HTML renderer, not with the package: ``forecast`` prints the headline from
    # ``report.narrative`` without paying for the templates
    if name == "render_report":
        from .html import render_report

        return render_report
    raise AttributeError(name)
