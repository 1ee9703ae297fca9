"""The native scenario format: YAML or JSON with the fields of :class:`Scenario`."""

from __future__ import annotations

import json
import re
from typing import Any, Callable, TypeVar

import yaml

from ..errors import InputError
from ..schema import Scenario
from ..validation import build_scenario

__all__ = ["MAX_DEPTH", "parse_json", "parse_yaml", "render_json", "render_yaml", "to_plain"]

T = TypeVar("T")

#: The deepest nesting of mappings and lists a scenario file may have (a scenario needs about six levels).
MAX_DEPTH = 32


def _too_deep(file: str | None, line: int | None = None) -> InputError:
    return InputError(
        "the file nests mappings or lists too deeply",
        file=file,
        line=line,
        allowed=f"at most {MAX_DEPTH} levels of nesting",
    )


def _check_depth(text: str, file: str | None) -> None:
    """Refuse flow brackets (``{[``, as in JSON) nested deeper than :data:`MAX_DEPTH` before a recursive
    parser meets them. Brackets inside quoted strings do not count; deep block nesting is caught by
    :func:`_guarded` instead."""
    depth, line, quote, escaped, prev = 0, 1, "", False, "\n"
    for ch in text:
        if ch == "\n":
            line += 1
        if quote:
            if escaped:
                escaped = False
            elif ch == "\\" and quote == '"':
                escaped = True
            elif ch == quote:
                quote = ""
        elif ch in "\"'" and prev in " \t\n[{,:":
            quote = ch
        elif ch in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                raise _too_deep(file, line)
        elif ch in "]}":
            depth = max(0, depth - 1)
        prev = ch


def _nesting(data: object) -> int:
    """How deeply ``data`` nests lists and mappings (iterative: libyaml loads block nesting of any depth
    without recursion, so the depth is measured on what it built)."""
    deepest, stack = 0, [(data, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, (dict, list)):
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > MAX_DEPTH:
                    break
            stack.extend((child, depth) for child in (item.values() if isinstance(item, dict) else item))
    return deepest


def _guarded(load: Callable[[], T], file: str | None) -> T:
    """``load()``, with a parser's RecursionError (block nesting hundreds deep) turned into one line."""
    try:
        return load()
    except RecursionError:
        raise _too_deep(file) from None


def _line_finder(text: str) -> Callable[[tuple[Any, ...]], int | None]:
    """A function mapping a field path to its 1-based line in a YAML/JSON text, if found.

    The text is composed into nodes when a line is first asked for (only an invalid scenario needs one)."""
    roots: list[Any] = []

    def line_of(loc: tuple[Any, ...]) -> int | None:
        if not roots:
            try:
                roots.append(yaml.compose(text, Loader=yaml.SafeLoader))
            except yaml.YAMLError:
                roots.append(None)
        if roots[0] is None:
            return None
        node, line = roots[0], None
        for part in loc:
            if node is None:
                break
            line = node.start_mark.line + 1
            if isinstance(node, yaml.MappingNode):
                nxt = None
                for key, val in node.value:
                    if str(key.value) == str(part):
                        nxt, line = val, key.start_mark.line + 1
                        break
                node = nxt
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
                node = node.value[part]
            else:
                node = None
        if node is not None:
            line = node.start_mark.line + 1
        return line

    return line_of


_KEY = re.compile(r"""^\s*(?:-\s+)?["']?([^\s"'#:{}\[\],-][^"':]*?)["']?\s*:(?:\s|$)""")


def _key_at_or_before(text: str, index: int) -> str | None:
    """The mapping key on the 0-based line ``index`` or the nearest line above it, if any."""
    lines = text.splitlines()
    for line in reversed(lines[: index + 1]):
        m = _KEY.match(line)
        if m:
            return m.group(1).strip()
    return None


#: libyaml's parser where PyYAML has it (the same objects, several times faster); errors are reported by
#: the pure-Python parser, whose messages the error lines are written for
_FAST_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse_yaml(text: str, file: str | None = None) -> Scenario:
    """Parse and validate a native YAML scenario."""
    _check_depth(text, file)
    return _guarded(lambda: _parse_yaml(text, file), file)


def _parse_yaml(text: str, file: str | None) -> Scenario:
    try:
        try:
            data = yaml.load(text, Loader=_FAST_SAFE_LOADER)  # noqa: S506 (a safe loader)
        except yaml.YAMLError:
            data = yaml.safe_load(text)
        if _nesting(data) > MAX_DEPTH:
            raise _too_deep(file)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or "malformed YAML"
        context, start = getattr(exc, "context", None), getattr(exc, "context_mark", None)
        if context and start is not None:
            problem += f" ({context} on line {start.line + 1})"
        # An unclosed [ or { is named by the key that opened it; otherwise by the key where parsing failed.
        anchor = start if start is not None and "flow" in (context or "") else mark
        raise InputError(
            f"malformed YAML: {problem}",
            file=file,
            line=mark.line + 1 if mark else None,
            field=_key_at_or_before(text, anchor.line) if anchor else None,
            allowed="valid YAML",
        ) from None
    return build_scenario(data, file=file, line_of=_line_finder(text))


def parse_json(text: str, file: str | None = None) -> Scenario:
    """Parse and validate a native JSON scenario."""
    _check_depth(text, file)
    return _guarded(lambda: _parse_json(text, file), file)


def _parse_json(text: str, file: str | None) -> Scenario:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"malformed JSON: {exc.msg}",
            file=file,
            line=exc.lineno,
            field=_key_at_or_before(text, exc.lineno - 1),
            allowed="valid JSON",
        ) from None
    # JSON is YAML, so the YAML composer finds lines for JSON too.
    return build_scenario(data, file=file, line_of=_line_finder(text))


def _tidy(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {_tidy(k) if not isinstance(k, str) else k: _tidy(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_tidy(v) for v in value]
    return value


def to_plain(scenario: Scenario) -> dict[str, Any]:
    """The scenario as plain JSON-ready data, leaving out empty and unset fields."""
    data = scenario.model_dump(mode="python", exclude_none=True, exclude_defaults=True)
    # ``id`` fields and the required lists are kept even when they equal a default.
    data = {"id": scenario.id, **data}
    if scenario.as_of is not None:
        data["as_of"] = scenario.as_of.isoformat()
    if scenario.horizon is not None:
        data["horizon"] = scenario.horizon.isoformat()
    for deadline, raw in zip(scenario.deadlines, data.get("deadlines", [])):
        raw["due"] = deadline.due.isoformat()
    for actor, raw in zip(scenario.actors, data.get("actors", [])):
        raw.setdefault("capability", actor.capability)
    for issue in data.get("issues", []):
        if "scale" in issue:
            issue["scale"] = {float(k): v for k, v in issue["scale"].items()}
    tidy: dict[str, Any] = _tidy(data)
    return tidy


def render_yaml(scenario: Scenario) -> str:
    """The scenario as native YAML text."""
    return yaml.safe_dump(to_plain(scenario), sort_keys=False, allow_unicode=True, width=1000)


def render_json(scenario: Scenario) -> str:
    """The scenario as native JSON text (scale labels keyed by strings, as JSON requires)."""
    return json.dumps(to_plain(scenario), indent=2, ensure_ascii=False, default=str) + "\n"
