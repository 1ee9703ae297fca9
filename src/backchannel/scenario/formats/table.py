"""Table CSV: one row per actor and issue, the plainest way to bring data from a spreadsheet.

The header names the columns, in any order and any case: ``actor``, ``position`` and
``salience`` are required; ``issue`` (without it the whole file is one issue named after the
file), ``capability`` (``power``; 1 when absent), and the issue-level ``lower``, ``upper``,
``status_quo`` and ``actual`` are optional. Issue-level cells may be left blank and must agree
across the rows of one issue. With ``lower`` and ``upper`` the positions, status quo and actual
outcome are in those units and are rescaled to 0..100; without them they are on 0..100 already.
Saliences are on 0..1. An actor's capability is its most common value across its rows;
rows that differ carry their own per-issue capability.
"""

from __future__ import annotations

from typing import Any

from ..errors import InputError
from ..schema import Scenario
from .cells import (
    SourceLines,
    check_id,
    format_number,
    join_row,
    most_common,
    read_number,
    scenario_id,
    split_row,
    to_scale,
)

__all__ = ["parse_table", "render_table"]

REQUIRED = ("actor", "position", "salience")
OPTIONAL = ("issue", "capability", "lower", "upper", "status_quo", "actual")
ISSUE_LEVEL = ("lower", "upper", "status_quo", "actual")
_ALIASES = {"power": "capability", "statusquo": "status_quo", "sq": "status_quo"}
_COLUMNS = ", ".join(REQUIRED + OPTIONAL)


def _column(name: str) -> str:
    key = name.strip().lower().replace(" ", "_").replace("-", "_")
    return _ALIASES.get(key, key)


def _delimiter(header_line: str) -> str:
    if "\t" in header_line:
        return "\t"
    if ";" in header_line and "," not in header_line:
        return ";"
    return ","


def _header(cells: list[str], file: str | None, line: int) -> list[str]:
    columns = [_column(c) for c in cells]
    seen: set[str] = set()
    for k, (raw, col) in enumerate(zip(cells, columns)):
        where = raw or f"column {k + 1}"
        if col not in REQUIRED + OPTIONAL:
            raise InputError("unknown column", file=file, line=line, field=where, value=raw, allowed=_COLUMNS)
        if col in seen:
            raise InputError("duplicate column", file=file, line=line, field=where, value=raw, allowed=_COLUMNS)
        seen.add(col)
    for col in REQUIRED:
        if col not in seen:
            raise InputError("missing column", file=file, line=line, field=col, allowed=f"a header with {_COLUMNS}")
    return columns


def parse_table(text: str, file: str | None = None) -> Scenario:
    """Parse a table CSV (actor, issue, position, salience, capability, ...) into a Scenario."""
    text = text.removeprefix("\ufeff")
    lines = [(n, line) for n, line in enumerate(text.splitlines(), 1) if line.strip(" \t,;")]
    if not lines:
        raise InputError("the file is empty", file=file, allowed=f"a header line with {_COLUMNS}, then one row each")
    head_line, head_text = lines[0]
    delimiter = _delimiter(head_text)
    columns = _header(split_row(head_text, delimiter, file=file, number=head_line), file, head_line)
    if len(lines) == 1:
        raise InputError(
            "no data rows after the header", file=file, line=head_line, allowed="one row per actor and issue"
        )
    default_issue = scenario_id(file)

    rows: list[tuple[int, dict[str, str]]] = []
    issue_values: dict[str, dict[str, tuple[float, int]]] = {}
    for n, line in lines[1:]:
        cells = split_row(line, delimiter, file=file, number=n)
        if len(cells) > len(columns):
            raise InputError(
                f"too many cells ({len(cells)})",
                file=file,
                line=n,
                field=f"column {len(columns) + 1}",
                value=cells[len(columns)],
                allowed=f"{len(columns)} cells: {', '.join(columns)}",
            )
        row = dict(zip(columns, cells + [""] * (len(columns) - len(cells))))
        row["actor"] = check_id(row["actor"], file=file, line=n, field="actor")
        if "issue" in row:
            row["issue"] = check_id(row["issue"], file=file, line=n, field="issue")
        else:
            row["issue"] = default_issue
        known = issue_values.setdefault(row["issue"], {})
        for col in ISSUE_LEVEL:
            if row.get(col, "").strip():
                value = read_number(row[col], file=file, line=n, field=col)
                if col in known and known[col][0] != value:
                    raise InputError(
                        f"{col} of issue {row['issue']!r} differs from line {known[col][1]}",
                        file=file,
                        line=n,
                        field=col,
                        value=value,
                        allowed=f"the same value as before ({format_number(known[col][0])}) or blank",
                    )
                known.setdefault(col, (value, n))
        rows.append((n, row))

    bounds = {issue: _bounds(values, file) for issue, values in issue_values.items()}
    where = SourceLines()
    issues: list[dict[str, Any]] = []
    for issue, values in issue_values.items():
        entry: dict[str, Any] = {"id": issue}
        if bounds[issue] is not None and bounds[issue] != (0.0, 100.0):
            entry["bounds"] = bounds[issue]
        for col in ("status_quo", "actual"):
            if col in values:
                value, n = values[col]
                entry[col] = _on_scale(value, bounds[issue], file, n, col)
                where.note(n, "issues", len(issues), col)
        issues.append(entry)

    actor_ids: dict[str, int] = {}
    positions: list[dict[str, Any]] = []
    capabilities: dict[str, list[float]] = {}
    seen: dict[tuple[str, str], int] = {}
    for n, row in rows:
        key = (row["actor"], row["issue"])
        if key in seen:
            raise InputError(
                f"duplicate row for actor {key[0]!r} on issue {key[1]!r} (first on line {seen[key]})",
                file=file,
                line=n,
                field="actor",
                value=key[0],
                allowed="one row per actor and issue",
            )
        seen[key] = n
        if row["actor"] not in actor_ids:
            actor_ids[row["actor"]] = n
        position = read_number(row["position"], file=file, line=n, field="position")
        salience = read_number(row["salience"], file=file, line=n, field="salience", low=0.0, high=1.0)
        capability = (
            read_number(row["capability"], file=file, line=n, field="capability", low=0.0)
            if "capability" in row
            else 1.0
        )
        capabilities.setdefault(row["actor"], []).append(capability)
        where.note(n, "positions", len(positions))
        positions.append(
            {
                "actor": row["actor"],
                "issue": row["issue"],
                "position": _on_scale(position, bounds[row["issue"]], file, n, "position"),
                "salience": salience,
                "capability": capability,
            }
        )

    actors = []
    for a, (actor, n) in enumerate(actor_ids.items()):
        where.note(n, "actors", a)
        actors.append({"id": actor, "capability": most_common(capabilities[actor])})
    typical = {a["id"]: a["capability"] for a in actors}
    for p in positions:
        if p["capability"] == typical[p["actor"]]:
            del p["capability"]
    data = {"id": scenario_id(file), "actors": actors, "issues": issues, "positions": positions}
    return where.build(data, file)


def _bounds(values: dict[str, tuple[float, int]], file: str | None) -> tuple[float, float] | None:
    """An issue's (lower, upper) from its rows, or None when it gives neither."""
    if "lower" not in values and "upper" not in values:
        return None
    for col, other in (("lower", "upper"), ("upper", "lower")):
        if col not in values:
            raise InputError(
                f"{other} given without {col}",
                file=file,
                line=values[other][1],
                field=col,
                allowed="both lower and upper, or neither",
            )
    (low, n), (high, _) = values["lower"], values["upper"]
    if not low < high:
        raise InputError(
            "lower must be below upper",
            file=file,
            line=n,
            field="lower",
            value=low,
            allowed=f"a number below upper ({format_number(high)})",
        )
    return (low, high)


def _on_scale(value: float, bounds: tuple[float, float] | None, file: str | None, line: int, field: str) -> float:
    """A value in the issue's units, checked against its bounds (or 0..100) and put on 0..100."""
    low, high = bounds or (0.0, 100.0)
    if not low <= value <= high:
        where = "the issue's lower..upper" if bounds else "the 0..100 scale (give lower and upper for other units)"
        raise InputError(
            "out of range",
            file=file,
            line=line,
            field=field,
            value=value,
            allowed=f"{format_number(low)}..{format_number(high)}, {where}",
        )
    return to_scale(value, bounds)


def render_table(scenario: Scenario) -> str:
    """The scenario's positions as a table CSV, one row per actor and issue, in the issues' own units."""
    columns = ["actor", "issue", "position", "salience", "capability"]
    if any(i.bounds for i in scenario.issues):
        columns += ["lower", "upper"]
    for col in ("status_quo", "actual"):
        if any(getattr(i, col) is not None for i in scenario.issues):
            columns.append(col)
    issues = {i.id: i for i in scenario.issues}
    actors = {a.id: a for a in scenario.actors}
    lines = [join_row(columns)]
    for p in scenario.positions:
        issue = issues[p.issue]
        capability = p.capability if p.capability is not None else actors[p.actor].capability
        cell = {
            "actor": p.actor,
            "issue": p.issue,
            "position": format_number(issue.to_units(p.position)),
            "salience": format_number(p.salience),
            "capability": format_number(capability),
            "lower": format_number(issue.bounds[0]) if issue.bounds else "",
            "upper": format_number(issue.bounds[1]) if issue.bounds else "",
            "status_quo": format_number(issue.to_units(issue.status_quo)) if issue.status_quo is not None else "",
            "actual": format_number(issue.to_units(issue.actual)) if issue.actual is not None else "",
        }
        lines.append(join_row(cell[c] for c in columns))
    return "\n".join(lines) + "\n"
