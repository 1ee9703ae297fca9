"""Reading the DEU data format (Decision-making in the European Union, Thomson et al.) for backtests.

One row per controversial issue of a legislative proposal. Columns ``p<actor>`` hold each
actor's position (0..100) and ``s<actor>`` its salience (0..100) for the Commission (``com``),
the Parliament (``ep``) and the member states; ``rp`` is the reference point (the status quo
had no law been adopted), ``out`` the outcome actually adopted, ``counvte`` the Council voting
rule and ``proc`` the legislative procedure. The first data row holds no issue but each
member state's GDP, the capability proxy.

Decisions taken here, all counted in :class:`DeuData` so nothing is dropped silently:

* an actor with a blank position has no position on that issue (it is left out of the
  issue's arrays, which is what the ``mask`` would express, and counted);
* a blank salience next to a recorded position is read as 50 (the reference figure of
  22.7 for the compromise model on ``deu3-dev.tsv`` is computed that way);
* an issue with a blank outcome is read but cannot be scored (counted);
* a blank reference point becomes NaN in ``status_quo`` (counted).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

import numpy as np

from ..arrays import ScenarioArrays
from ..errors import InputError

__all__ = ["BLANK_SALIENCE", "CAPABILITIES", "DeuData", "DeuIssue", "check_capability", "parse_deu", "looks_like_deu"]

#: the salience given to a recorded position whose salience cell is blank (0..100 scale)
BLANK_SALIENCE = 50.0
#: ways to set capabilities: the GDP row of the file, or all equal to 1
CAPABILITIES = ("equal", "gdp")

_META = ("prnr", "isnr", "counvte", "proc", "rp", "out")
# Header names that start with p or s but are not actor columns.
_NOT_ACTORS = {"prnrnmc", "prnr", "prname", "proc", "proccde"}


@dataclass(frozen=True, eq=False)
class DeuIssue:
    """One DEU issue: its arrays (only actors with a position) and what the file says about it."""

    issue: str
    proposal: str
    voting_rule: str
    procedure: str
    reference_point: float
    outcome: float
    arrays: ScenarioArrays
    line: int

    @property
    def has_outcome(self) -> bool:
        """Whether the adopted outcome is recorded."""
        return not np.isnan(self.outcome)

    @property
    def unanimity(self) -> bool:
        """Whether the Council decides by unanimity (otherwise a qualified majority)."""
        return self.voting_rule.lower().startswith("unan")

    @property
    def codecision(self) -> bool:
        """Whether the Parliament co-decides (COD) rather than being consulted (CNS)."""
        return self.procedure.upper() == "COD"


@dataclass(frozen=True, eq=False)
class DeuData:
    """All issues of a DEU file, with counts of everything that was missing."""

    actors: tuple[str, ...]
    gdp: dict[str, float]
    capability: str
    issues: tuple[DeuIssue, ...]
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def scored(self) -> tuple[DeuIssue, ...]:
        """The issues with a recorded outcome."""
        return tuple(i for i in self.issues if i.has_outcome)


def looks_like_deu(text: str) -> bool:
    """Whether a text's header is a DEU table (tab-separated, with rp, out and p/s columns)."""
    head = text.lstrip("\ufeff").split("\n", 1)[0]
    names = {c.strip().strip('"') for c in head.split("\t")}
    return {"rp", "out", "pcom", "scom"} <= names


def _number(cell: str, file: str, line: int, column: str, lo: float, hi: float) -> float:
    cell = cell.strip()
    if not cell:
        return np.nan
    try:
        value = float(cell)
    except ValueError:
        raise InputError(
            "not a number",
            file=file,
            line=line,
            field=column,
            value=cell,
            allowed=f"a number in {lo:g}..{hi:g} or blank",
        ) from None
    if not (lo <= value <= hi):
        raise InputError(
            "out of range", file=file, line=line, field=column, value=cell, allowed=f"{lo:g}..{hi:g} or blank"
        )
    return value


def check_capability(capability: str) -> None:
    """An InputError unless ``capability`` names a capability source of DEU tables."""
    if capability not in CAPABILITIES:
        raise InputError(
            "unknown capability source", field="capability", value=capability, allowed=", ".join(CAPABILITIES)
        )


def parse_deu(text: str, file: str = "<deu>", capability: str = "equal") -> DeuData:
    """Read a DEU table into per-issue arrays; ``capability`` is ``equal`` or ``gdp``."""
    check_capability(capability)
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter="\t"))
    if len(rows) < 3:
        raise InputError("a DEU table needs a header, a GDP row and at least one issue", file=file)
    header = [c.strip() for c in rows[0]]
    col = {name: k for k, name in enumerate(header)}
    for name in _META:
        if name not in col:
            raise InputError(
                "missing column",
                file=file,
                line=1,
                field=name,
                allowed="a DEU header with " + ", ".join(_META) + " and p<actor>/s<actor> columns",
            )
    actors = tuple(n[1:] for n in header if n.startswith("p") and n not in _NOT_ACTORS)
    for a in actors:
        if "s" + a not in col:
            raise InputError(
                "position column without a salience column",
                file=file,
                line=1,
                field="p" + a,
                allowed=f"a matching s{a} column",
            )
    if not actors:
        raise InputError("no actor columns", file=file, line=1, allowed="p<actor> and s<actor> columns")

    gdp_row = rows[1] + [""] * (len(header) - len(rows[1]))
    gdp = {a: _number(gdp_row[col["p" + a]], file, 2, "p" + a, 0.0, np.inf) for a in actors}
    if capability == "gdp":
        missing = [a for a, v in gdp.items() if np.isnan(v)]
        if missing:
            raise InputError(
                "GDP row lacks a value",
                file=file,
                line=2,
                field="p" + missing[0],
                allowed="a GDP figure for every actor, or --capability equal",
            )

    counts = dict(
        issues=0,
        issues_without_outcome=0,
        issues_without_reference_point=0,
        missing_positions=0,
        blank_saliences=0,
        zero_saliences=0,
        issues_without_positions=0,
    )
    issues: list[DeuIssue] = []
    seen: set[str] = set()
    for line, row in enumerate(rows[2:], start=3):
        if not any(c.strip() for c in row):
            continue
        row = row + [""] * (len(header) - len(row))
        issue_id = row[col["isnr"]].strip() or f"line{line}"
        if issue_id in seen:
            raise InputError("duplicate issue id", file=file, line=line, field="isnr", value=issue_id)
        seen.add(issue_id)
        pos = np.array([_number(row[col["p" + a]], file, line, "p" + a, 0, 100) for a in actors])
        sal = np.array([_number(row[col["s" + a]], file, line, "s" + a, 0, 100) for a in actors])
        has = ~np.isnan(pos)
        counts["issues"] += 1
        counts["missing_positions"] += int((~has).sum())
        counts["blank_saliences"] += int((has & np.isnan(sal)).sum())
        counts["zero_saliences"] += int((has & (sal == 0)).sum())
        sal = np.where(np.isnan(sal), BLANK_SALIENCE, sal)
        outcome = _number(row[col["out"]], file, line, "out", 0, 100)
        rp = _number(row[col["rp"]], file, line, "rp", 0, 100)
        counts["issues_without_outcome"] += int(np.isnan(outcome))
        counts["issues_without_reference_point"] += int(np.isnan(rp))
        if not has.any():
            counts["issues_without_positions"] += 1
            continue
        keep = np.flatnonzero(has)
        cap = np.ones(len(actors)) if capability == "equal" else np.array([gdp[a] for a in actors])
        arrays = ScenarioArrays(
            actors=tuple(actors[k] for k in keep),
            issues=(issue_id,),
            position=pos[keep][:, None],
            salience=(sal[keep] / 100.0)[:, None],
            capability=cap[keep][:, None],
            mask=np.ones((len(keep), 1), dtype=bool),
            status_quo=np.array([rp]),
        )
        issues.append(
            DeuIssue(
                issue=issue_id,
                proposal=row[col["prnr"]].strip() or issue_id,
                voting_rule=row[col["counvte"]].strip(),
                procedure=row[col["proc"]].strip(),
                reference_point=rp,
                outcome=outcome,
                arrays=arrays,
                line=line,
            )
        )
    if not issues:
        raise InputError("no issue with any position", file=file)
    return DeuData(actors=actors, gdp=gdp, capability=capability, issues=tuple(issues), counts=counts)
