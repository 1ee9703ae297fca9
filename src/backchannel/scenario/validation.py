"""Turning raw mappings into a Scenario, with pydantic's errors made into one-line InputErrors."""

from __future__ import annotations

import re
from typing import Any, Callable

from pydantic import ValidationError

from .bounds import OUT_OF_RANGE, allowed_range
from .errors import InputError
from .schema import Scenario

__all__ = ["build_scenario", "parse_field_path"]

_FIELD_IN_MESSAGE = re.compile(r"^([A-Za-z_][\w\[\]\.\-]*): (.*)$", re.S)
# pydantic's bound-check error types, the comparison they enforce, and their context key.
_BOUNDS = {
    "less_than_equal": ("<=", "le"),
    "greater_than_equal": (">=", "ge"),
    "less_than": ("<", "lt"),
    "greater_than": (">", "gt"),
}
_PATH_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def parse_field_path(field: str) -> tuple[Any, ...]:
    """``positions[3].salience`` -> ('positions', 3, 'salience')."""
    return tuple(int(idx) if idx else name for name, idx in _PATH_PART.findall(field))


def _field_name(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def build_scenario(
    data: Any,
    file: str | None = None,
    line_of: Callable[[tuple[Any, ...]], int | None] | None = None,
) -> Scenario:
    """Validate a mapping into a Scenario; raise InputError naming file, line, field and value."""
    if not isinstance(data, dict):
        raise InputError(
            "a scenario must be a mapping with actors, issues and positions",
            file=file,
            value=type(data).__name__,
            allowed="a mapping (YAML/JSON object)",
        )
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        loc = tuple(err.get("loc", ()))
        msg = str(err.get("msg", "invalid value"))
        msg = msg.removeprefix("Value error, ")
        value = err.get("input")
        m = _FIELD_IN_MESSAGE.match(msg)
        if m:
            # A validator names the field it rejects relative to the model it checks
            # ("range: ...") or, at the root, by its full path ("positions[3].actor: ...").
            loc, msg = loc + parse_field_path(m.group(1)), m.group(2)
            value = None
        field = _field_name(loc) or None
        if isinstance(value, (dict, list, tuple)):
            value = None
        allowed = None
        kind = str(err.get("type", ""))
        ctx = err.get("ctx") or {}
        if kind == OUT_OF_RANGE:
            msg, allowed = "out of range", allowed_range(value, ctx["low"], ctx["high"])
        elif kind in _BOUNDS:
            sign, key = _BOUNDS[kind]
            limit = ctx.get(key, "?")
            msg, allowed = (
                "out of range",
                f"a number {sign} {limit:g}" if isinstance(limit, (int, float)) else f"a number {sign} {limit}",
            )
        elif kind == "finite_number":
            msg, allowed = "not a finite number", "a finite number"
        elif kind in ("float_parsing", "float_type", "int_parsing", "int_type"):
            msg, allowed = "not a number", "a number"
        elif kind == "string_pattern_mismatch" and loc and loc[-1] == "id":
            msg, allowed = "an id cannot contain '.'", "a name without dots (ids form paths like actor.issue.salience)"
        elif kind == "missing":
            msg = "missing required field"
        elif kind == "extra_forbidden":
            msg, allowed = "unknown field", "the fields listed by 'backchannel scenario schema'"
        elif "; known:" in msg:
            msg, allowed = msg.split("; known:", 1)
        elif "; allowed:" in msg:
            msg, allowed = msg.split("; allowed:", 1)
        elif value is not None:
            allowed, msg = msg, "invalid value"
        line = line_of(loc) if line_of else None
        raise InputError(
            msg, file=file, line=line, field=field, value=value, allowed=allowed.strip() if allowed else None
        ) from None
