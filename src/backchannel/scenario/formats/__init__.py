"""Scenario file formats: detect, parse and render native YAML/JSON, Decide, KTAB and table CSV."""

from __future__ import annotations

from pathlib import PurePath
from typing import Any, Callable

from ..errors import InputError
from ..schema import Scenario
from . import native

__all__ = ["FORMATS", "detect_format", "parse", "render"]

Parser = Callable[[str, str], Scenario]
Renderer = Callable[[Scenario], str]


def _lazy(module: str, name: str) -> Callable[..., Any]:
    def call(*args: Any) -> Any:
        from importlib import import_module

        return getattr(import_module(f"{__name__}.{module}"), name)(*args)

    return call


#: format name -> (parser(text, file), renderer(scenario), file suffixes)
FORMATS: dict[str, tuple[Parser, Renderer, tuple[str, ...]]] = {
    "yaml": (native.parse_yaml, native.render_yaml, (".yaml", ".yml")),
    "json": (native.parse_json, native.render_json, (".json",)),
    "decide": (_lazy("decide", "parse_decide"), _lazy("decide", "render_decide"), (".decide", ".txt")),
    "ktab": (_lazy("ktab", "parse_ktab"), _lazy("ktab", "render_ktab"), (".ktab",)),
    "table": (_lazy("table", "parse_table"), _lazy("table", "render_table"), (".csv",)),
}


def _looks_like_decide(text: str) -> bool:
    for line in text.splitlines():
        s = line.strip().lstrip("'\"")
        if s:
            return s[:2] in ("#A", "#O", "#/", "#P", "#M", "#D")
    return False


def _looks_like_ktab(text: str) -> bool:
    # KTAB's first line ends in the numbers of actors and dimensions; a table's header has names there.
    lines = [ln for ln in text.splitlines() if ln.strip()]
    if len(lines) < 2:
        return False
    first = [c.strip().strip('"') for c in lines[0].split(",")]
    return len(first) >= 4 and first[2].isdigit() and first[3].isdigit()


def detect_format(file: str, text: str | None = None, explicit: str | None = None) -> str:
    """The format of a file, from ``explicit``, its content or its suffix."""
    if explicit:
        if explicit not in FORMATS:
            raise InputError("unknown format", file=file, field="format", value=explicit, allowed=", ".join(FORMATS))
        return explicit
    suffix = PurePath(file).suffix.lower()
    if suffix in (".yaml", ".yml"):
        return "yaml"
    if suffix == ".json":
        return "json"
    if text is not None:
        if _looks_like_decide(text):
            return "decide"
        if _looks_like_ktab(text):
            return "ktab"
    for name, (_, _, suffixes) in FORMATS.items():
        if suffix in suffixes:
            return name
    raise InputError(
        "cannot tell the file's format from its name",
        file=file,
        value=suffix or "(no suffix)",
        allowed="a .yaml, .yml, .json, .csv (table, KTAB or Decide) or .txt (Decide) file",
    )


def parse(text: str, file: str, fmt: str | None = None) -> Scenario:
    """Parse scenario text in the given (or detected) format."""
    text = text.removeprefix("\ufeff")  # spreadsheets often save CSV with a byte-order mark
    fmt = detect_format(file, text, fmt)
    return FORMATS[fmt][0](text, file)


def render(scenario: Scenario, fmt: str) -> str:
    """Render a scenario in a format."""
    if fmt not in FORMATS:
        raise InputError("unknown format", field="format", value=fmt, allowed=", ".join(FORMATS))
    return FORMATS[fmt][1](scenario)
