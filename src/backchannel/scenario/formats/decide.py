"""The Decide format: the input of the Decide exchange model (Stokman's group decision tools).

Each line is a record whose first cell tags it:

- ``#A`` actor: id, name, optional description;
- ``#P`` issue: id, name, optional description;
- ``#M`` a labelled point of an issue: issue id, value, optional label; the lowest and highest
  values are the issue's bounds (Decide files give exactly those two; no ``#M`` row means 0..100);
- ``#D`` actor on issue: actor id, issue id, position (in the issue's units), salience (0..1),
  power (the actor's capability on that issue), optional comment;
- ``#O`` the scenario's title, ``#/`` a comment.

Two dialects exist and both are read: cells in single quotes (``'#A'``), as Decide writes them,
and bare cells; cells are tab-separated (``;`` and ``,`` are accepted too), extra empty cells
are ignored and extra text cells are joined into the last free-text field.

Positions are rescaled from the issue's bounds to 0..100 and the bounds kept in
``Issue.bounds`` (unless they are 0 and 100), so rendering converts them back. Power is per
actor and issue: an actor's most common power becomes ``Actor.capability`` and only the rows
that differ carry ``Position.capability``. Comments (``#/``) become the scenario's
description, one line each; ``#M`` labels become the issue's scale labels; ``#D`` comments the
position's assumption. Rows repeated word for word are tolerated (spreadsheet exports repeat
them); a second, different row for the same actor, issue or position is an error.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable

from ..errors import InputError
from ..schema import Scenario
from .cells import (
    SourceLines,
    check_id,
    format_number,
    most_common,
    read_number,
    scenario_id,
    split_row,
    to_scale,
)

__all__ = ["parse_decide", "render_decide"]

TAGS = ("#A", "#P", "#M", "#D", "#O", "#/")
# The cells each record type needs after its tag; anything after them is free text.
_FIELDS = {
    "#A": ("id", "name"),
    "#P": ("id", "name"),
    "#M": ("issue", "value"),
    "#D": ("actor", "issue", "position", "salience", "power"),
}
_LAYOUT = (
    "tagged rows: #A actor, #P issue, #M issue bound, #D actor issue position salience power, #O title, #/ comment"
)


@dataclass(frozen=True)
class _Row:
    line: int
    tag: str
    cells: tuple[str, ...]  # the required cells, after the tag
    text: str | None  # the free text after them, if any


def _dialect(first: str, file: str | None, line: int) -> tuple[str, str | None]:
    """(delimiter, quote character) from the first record, whose tag is '#X' or #X."""
    quoted = first.startswith("'")
    start = 4 if quoted else 2
    tag = first[1:3] if quoted else first[:2]
    delimiter = first[start : start + 1] or "\t"
    if tag not in TAGS or (quoted and first[3:4] != "'") or delimiter not in "\t;,":
        raise InputError(
            "not a Decide record", file=file, line=line, field="row type", value=first[:12], allowed=_LAYOUT
        )
    return delimiter, ("'" if quoted else '"')


def _rows(text: str, file: str | None) -> list[_Row]:
    lines = [(n, line.strip()) for n, line in enumerate(text.splitlines(), 1) if line.strip(" \t;,'\"")]
    if not lines:
        raise InputError("the file is empty", file=file, allowed=_LAYOUT)
    delimiter, quote = _dialect(lines[0][1], file, lines[0][0])
    rows = []
    for n, line in lines:
        cells = split_row(line, delimiter, quote, file=file, number=n)
        tag = cells[0] if cells else ""
        if tag not in TAGS:
            raise InputError(
                "unknown row type", file=file, line=n, field="row type", value=tag, allowed=", ".join(TAGS)
            )
        need = _FIELDS.get(tag, ())
        if len(cells) - 1 < len(need):
            raise InputError(
                f"missing field in a {tag} row",
                file=file,
                line=n,
                field=need[len(cells) - 1],
                allowed=f"{tag} " + " ".join(need),
            )
        rest = " ".join(c for c in cells[1 + len(need) :] if c)
        rows.append(_Row(n, tag, tuple(cells[1 : 1 + len(need)]), rest or None))
    return rows


def _known(ids: Iterable[str]) -> str:
    ids = list(ids)
    shown = ", ".join(ids[:12])
    return shown + (f", ... ({len(ids)} in all)" if len(ids) > 12 else "") if ids else "none defined"


def _first_once(rows: list[_Row], tag: str, file: str | None, what: str) -> dict[str, _Row]:
    """The rows of one tag by id; an exact repeat is dropped, a conflicting one is an error."""
    found: dict[str, _Row] = {}
    for row in rows:
        if row.tag != tag:
            continue
        key = check_id(row.cells[0], file=file, line=row.line, field="id")
        earlier = found.get(key)
        if earlier is None:
            found[key] = row
        elif (earlier.cells, earlier.text) != (row.cells, row.text):
            raise InputError(
                f"duplicate {what} id with different content (first on line {earlier.line})",
                file=file,
                line=row.line,
                field="id",
                value=key,
                allowed=f"one {tag} row per {what}, or an identical repeat",
            )
    return found


def parse_decide(text: str, file: str | None = None) -> Scenario:
    """Parse a Decide data file (either dialect) into a Scenario on the 0..100 scale."""
    text = text.removeprefix("\ufeff")
    rows = _rows(text, file)
    where = SourceLines()
    actor_rows = _first_once(rows, "#A", file, "actor")
    issue_rows = _first_once(rows, "#P", file, "issue")
    if not actor_rows:
        raise InputError("no actors (#A rows)", file=file, field="#A", allowed=_LAYOUT)
    if not issue_rows:
        raise InputError("no issues (#P rows)", file=file, field="#P", allowed=_LAYOUT)

    points: dict[str, dict[float, str | None]] = {key: {} for key in issue_rows}
    point_lines: dict[str, int] = {}
    for row in rows:
        if row.tag == "#M":
            issue = row.cells[0].strip()
            if issue not in points:
                raise InputError(
                    "#M row for an unknown issue",
                    file=file,
                    line=row.line,
                    field="issue",
                    value=issue,
                    allowed=_known(issue_rows),
                )
            value = read_number(row.cells[1], file=file, line=row.line, field="value")
            if points[issue].get(value) is None:
                points[issue][value] = row.text
            point_lines.setdefault(issue, row.line)
    bounds: dict[str, tuple[float, float]] = {}
    for issue, marks in points.items():
        if not marks:
            bounds[issue] = (0.0, 100.0)  # Decide's default when a file gives no #M rows
        elif len(marks) < 2:
            raise InputError(
                "an issue needs a lower and an upper bound (two #M rows)",
                file=file,
                line=point_lines[issue],
                field="value",
                value=next(iter(marks)),
                allowed="two #M rows with different values",
            )
        else:
            bounds[issue] = (min(marks), max(marks))

    issues: list[dict[str, Any]] = []
    for k, (key, row) in enumerate(issue_rows.items()):
        entry: dict[str, Any] = {"id": key, "name": row.cells[1], "description": row.text}
        if bounds[key] != (0.0, 100.0):
            entry["bounds"] = bounds[key]
        scale_bounds = bounds[key] if bounds[key] != (0.0, 100.0) else None
        labels = {to_scale(v, scale_bounds): label for v, label in sorted(points[key].items()) if label}
        if labels:
            entry["scale"] = labels
        where.note(row.line, "issues", k)
        issues.append(entry)

    positions, powers = _positions(rows, actor_rows, issue_rows, bounds, points, where, file)
    actors: list[dict[str, Any]] = []
    for k, (key, row) in enumerate(actor_rows.items()):
        entry = {"id": key, "name": row.cells[1], "description": row.text}
        if powers.get(key):
            entry["capability"] = most_common(powers[key])
        where.note(row.line, "actors", k)
        actors.append(entry)
    typical = {a["id"]: a.get("capability") for a in actors}
    for p in positions:
        if p["capability"] == typical[p["actor"]]:
            del p["capability"]

    titles = [row.text for row in rows if row.tag == "#O" and row.text]
    comments = [row.text for row in rows if row.tag == "#/" and row.text]
    data = {
        "id": scenario_id(file),
        "title": " ".join(titles),
        "description": "\n".join(comments) or None,
        "actors": actors,
        "issues": issues,
        "positions": positions,
    }
    return where.build(data, file)


def _positions(
    rows: list[_Row],
    actor_rows: dict[str, _Row],
    issue_rows: dict[str, _Row],
    bounds: dict[str, tuple[float, float]],
    points: dict[str, dict[float, str | None]],
    where: SourceLines,
    file: str | None,
) -> tuple[list[dict[str, Any]], dict[str, list[float]]]:
    """The #D rows as position mappings (on 0..100) and each actor's powers in row order."""
    positions: list[dict[str, Any]] = []
    powers: dict[str, list[float]] = {}
    seen: dict[tuple[str, str], _Row] = {}
    for row in rows:
        if row.tag != "#D":
            continue
        actor, issue = row.cells[0].strip(), row.cells[1].strip()
        if actor not in actor_rows:
            raise InputError(
                "unknown actor", file=file, line=row.line, field="actor", value=actor, allowed=_known(actor_rows)
            )
        if issue not in issue_rows:
            raise InputError(
                "unknown issue", file=file, line=row.line, field="issue", value=issue, allowed=_known(issue_rows)
            )
        earlier = seen.get((actor, issue))
        if earlier is not None:
            if (earlier.cells, earlier.text) == (row.cells, row.text):
                continue
            raise InputError(
                f"second, different #D row for {actor} on {issue} (first on line {earlier.line})",
                file=file,
                line=row.line,
                field="actor",
                value=actor,
                allowed="one #D row per actor and issue",
            )
        seen[(actor, issue)] = row
        low, high = bounds[issue]
        value = read_number(row.cells[2], file=file, line=row.line, field="position")
        if not low <= value <= high:
            source = f"the #M bounds of {issue!r}" if points[issue] else "Decide's default for an issue without #M rows"
            raise InputError(
                "position outside the issue's bounds",
                file=file,
                line=row.line,
                field="position",
                value=value,
                allowed=f"{format_number(low)}..{format_number(high)}, {source}",
            )
        salience = read_number(row.cells[3], file=file, line=row.line, field="salience", low=0.0, high=1.0)
        power = read_number(row.cells[4], file=file, line=row.line, field="power", low=0.0)
        powers.setdefault(actor, []).append(power)
        where.note(row.line, "positions", len(positions))
        scale = bounds[issue] if bounds[issue] != (0.0, 100.0) else None
        positions.append(
            {
                "actor": actor,
                "issue": issue,
                "position": to_scale(value, scale),
                "salience": salience,
                "capability": power,
                "assumption": row.text,
            }
        )
    return positions, powers


def _q(text: str | None) -> str:
    """A text cell in Decide's quoted dialect: single quotes, inner quotes doubled, on one line."""
    flat = " ".join((text or "").split())
    return "'" + flat.replace("'", "''") + "'"


def render_decide(scenario: Scenario) -> str:
    """The scenario as a Decide data file (quoted, tab-separated), positions in the issues' units."""
    out: list[list[str]] = []
    if scenario.title:
        out.append([_q("#O"), _q(scenario.title)])
    for line in (scenario.description or "").splitlines():
        if line.strip():
            out.append([_q("#/"), _q(line)])
    for actor in scenario.actors:
        out.append([_q("#A"), _q(actor.id), _q(actor.name), _q(actor.description)])
    for issue in scenario.issues:
        out.append([_q("#P"), _q(issue.id), _q(issue.name), _q(issue.description)])
        marks = {0.0: None, 100.0: None, **{float(k): v for k, v in issue.scale.items()}}
        for point in sorted(marks):
            row = [_q("#M"), _q(issue.id), format_number(issue.to_units(point))]
            if marks[point]:
                row.append(_q(marks[point]))
            out.append(row)
    capability = {a.id: a.capability for a in scenario.actors}
    issues = {i.id: i for i in scenario.issues}
    for p in scenario.positions:
        issue = issues[p.issue]
        power = p.capability if p.capability is not None else capability[p.actor]
        row = [
            _q("#D"),
            _q(p.actor),
            _q(p.issue),
            format_number(issue.to_units(p.position)),
            format_number(p.salience),
            format_number(power),
        ]
        if p.assumption:
            row.append(_q(p.assumption))
        out.append(row)
    return "".join("\t".join(row) + "\n" for row in out)
