"""KTAB's CSV scenario format (the input of the KAPSARC Toolkit for Behavioral Analysis' SMP).

Line 1 holds the scenario's name, its description, the number of actors and the number of
dimensions (any further cells are ignored). Line 2 is a header: actor, description, influence,
then a position and a salience column per dimension ("Policy Position", "Policy Salience" or
"Pstn1", "Sal1"). Each further line is an actor: name, description, capability, then position
and salience per dimension, all on 0..100, the saliences of one actor summing to at most 100.
Trailing commas are allowed.

A scenario maps onto it directly: the dimension names become issue ids, the actor's name its
id and the description its display name, and saliences are divided by 100.
"""

from __future__ import annotations

import re
from typing import Any

from ..errors import InputError
from ..schema import Scenario
from .cells import SourceLines, check_id, format_number, join_row, read_number, scenario_id, split_row

__all__ = ["parse_ktab", "render_ktab"]

_FIRST_LINE = ("name", "description", "n_actors", "n_dims")
_LAYOUT = "line 1: name, description, number of actors, number of dimensions; line 2: header; then one row per actor"
# Rounded saliences written by spreadsheets may sum to a hair over 100.
_SUM_SLACK = 1e-6
_NUMBERED = re.compile(r"^(?:pstn|pos|position)\s*(\d+)$", re.I)
_NAMED = re.compile(r"^(.+?)[\s_-]+(?:position|pstn|pos)$", re.I)


def _count(cell: str, file: str | None, field: str) -> int:
    value = read_number(cell, file=file, line=1, field=field, low=1, allowed="a whole number >= 1")
    if not value.is_integer():
        raise InputError(
            "not a whole number", file=file, line=1, field=field, value=cell, allowed="a whole number >= 1"
        )
    return int(value)


def _dimension(header: str, index: int, file: str | None) -> str:
    """A dimension's name from its position column header: "Policy Position" -> Policy, "Pstn1" -> Dim1."""
    numbered = _NUMBERED.match(header)
    if numbered:
        return f"Dim{numbered.group(1)}"
    named = _NAMED.match(header)
    name = named.group(1).strip() if named else header.strip()
    if not name:
        raise InputError(
            "missing dimension name in the header",
            file=file,
            line=2,
            field=f"column {4 + 2 * index}",
            allowed="a header such as 'Policy Position'",
        )
    return name.replace(".", "_")


def parse_ktab(text: str, file: str | None = None) -> Scenario:
    """Parse a KTAB CSV scenario (positions and saliences on 0..100)."""
    text = text.removeprefix("\ufeff")
    rows = [
        (n, cells) for n, line in enumerate(text.splitlines(), 1) if (cells := split_row(line, file=file, number=n))
    ]
    if not rows:
        raise InputError("the file is empty", file=file, allowed=_LAYOUT)
    line1, first = rows[0]
    if len(first) < 4:
        raise InputError(
            "missing field on the first line", file=file, line=line1, field=_FIRST_LINE[len(first)], allowed=_LAYOUT
        )
    n_actors = _count(first[2], file, "n_actors")
    n_dims = _count(first[3], file, "n_dims")
    if len(rows) < 2:
        raise InputError("missing header line", file=file, line=line1 + 1, allowed=_LAYOUT)
    line2, header = rows[1]
    width = 3 + 2 * n_dims
    if len(header) != width:
        raise InputError(
            f"the header has {len(header)} columns but line 1 gives {n_dims} dimensions",
            file=file,
            line=line2,
            field="n_dims",
            value=n_dims,
            allowed=f"3 + 2 per dimension = {width} header columns",
        )
    issues: list[dict[str, Any]] = []
    for k in range(n_dims):
        name = _dimension(header[3 + 2 * k], k, file)
        if any(i["id"] == name for i in issues):
            raise InputError(
                "duplicate dimension name",
                file=file,
                line=line2,
                field=header[3 + 2 * k],
                value=name,
                allowed="distinct dimension names",
            )
        issues.append({"id": name, "name": name})

    actor_rows = rows[2:]
    if len(actor_rows) != n_actors:
        raise InputError(
            f"line 1 gives {n_actors} actors but the file has {len(actor_rows)} actor rows",
            file=file,
            line=line1,
            field="n_actors",
            value=n_actors,
            allowed=f"the number of actor rows ({len(actor_rows)})",
        )
    where = SourceLines()
    actors: list[dict[str, Any]] = []
    positions: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for a, (n, cells) in enumerate(actor_rows):
        if len(cells) < width:
            raise InputError(
                "missing field",
                file=file,
                line=n,
                field=header[len(cells)],
                allowed=f"{width} cells: {', '.join(header)}",
            )
        if len(cells) > width:
            raise InputError(
                f"too many cells ({len(cells)})",
                file=file,
                line=n,
                field=f"column {width + 1}",
                value=cells[width],
                allowed=f"{width} cells: {', '.join(header)}",
            )
        actor_id = check_id(cells[0], file=file, line=n, field=header[0])
        if actor_id in seen:
            raise InputError(
                f"duplicate actor (first on line {seen[actor_id]})",
                file=file,
                line=n,
                field=header[0],
                value=actor_id,
                allowed="one row per actor",
            )
        seen[actor_id] = n
        capability = read_number(cells[2], file=file, line=n, field=header[2], low=0.0)
        actors.append({"id": actor_id, "name": cells[1], "capability": capability})
        where.note(n, "actors", a)
        total = 0.0
        for k, issue in enumerate(issues):
            pos = read_number(cells[3 + 2 * k], file=file, line=n, field=header[3 + 2 * k], low=0.0, high=100.0)
            sal = read_number(cells[4 + 2 * k], file=file, line=n, field=header[4 + 2 * k], low=0.0, high=100.0)
            total += sal
            where.note(n, "positions", len(positions))
            positions.append({"actor": actor_id, "issue": issue["id"], "position": pos, "salience": sal / 100.0})
        if total > 100.0 + _SUM_SLACK:
            raise InputError(
                "the actor's saliences sum to more than 100",
                file=file,
                line=n,
                field="salience",
                value=round(total, 9),
                allowed="saliences of one actor summing to at most 100",
            )
    data = {
        "id": scenario_id(file),
        "title": first[0],
        "description": first[1] or None,
        "actors": actors,
        "issues": issues,
        "positions": positions,
    }
    return where.build(data, file)


def _one_line(text: str) -> str:
    return re.sub(r"\s*[\r\n]+\s*", " ", text)


def render_ktab(scenario: Scenario) -> str:
    """The scenario as KTAB CSV; needs every actor's position on every issue and one capability per actor."""
    header = ["Actor", "Description", "Influence"]
    for issue in scenario.issues:
        header += [f"{issue.id} Position", f"{issue.id} Salience"]
    # One line per record: line breaks in free text become spaces.
    title = _one_line(scenario.title)
    description = _one_line(scenario.description or "")
    lines = [
        join_row([title, description, str(len(scenario.actors)), str(len(scenario.issues))]) + ",",
        join_row(header) + ",",
    ]
    positions = {(p.actor, p.issue): p for p in scenario.positions}
    for actor in scenario.actors:
        cells = [actor.id, actor.name, format_number(actor.capability)]
        total = 0.0
        for issue in scenario.issues:
            p = positions.get((actor.id, issue.id))
            if p is None:
                raise InputError(
                    "KTAB needs every actor's position on every dimension",
                    field="positions",
                    value=f"{actor.id}.{issue.id}",
                    allowed="a scenario without missing positions",
                )
            if p.capability is not None and p.capability != actor.capability:
                raise InputError(
                    "KTAB has one capability per actor, not per issue",
                    field="capability",
                    value=f"{actor.id}.{issue.id}",
                    allowed="positions without their own capability",
                )
            total += p.salience
            cells += [format_number(p.position), format_number(p.salience * 100.0)]
        if total > 1.0 + _SUM_SLACK / 100.0:
            raise InputError(
                "KTAB needs an actor's saliences to sum to at most 1",
                field="salience",
                value=f"{actor.id}: {total:g}",
                allowed="saliences of one actor summing to <= 1",
            )
        lines.append(join_row(cells) + ",")
    return "\n".join(lines) + "\n"
