"""Write requirements/constraints.txt: the installed versions of backchannel[all,dev]'s dependency closure.

Run with the virtualenv the suite passed in: `make constraints` (or `.venv/bin/python requirements/make_constraints.py`).
"""
from __future__ import annotations

import importlib.metadata as md
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
EXTRAS = ("postgres", "nlp", "web", "dev")
HEADER = """\
# Versions the test suite passed with (python 3.11, Debian): the dependency closure of backchannel[all,dev],
# from the project's virtualenv. Used as pip constraints by `make install`, `make dev` and CI, so a fresh
# machine installs what was tested. Regenerate after a dependency change: `make constraints`.
# The two NLP model wheels are pinned by hash in nlp-models.txt instead.
"""


def closure() -> list[str]:
    """`name==version` of every installed distribution the project's requirements reach."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    roots = list(project["dependencies"]) + [r for e in EXTRAS for r in project["optional-dependencies"][e]]
    dists = {canonicalize_name(d.metadata["Name"]): d for d in md.distributions()}
    seen: set[tuple[str, tuple[str, ...]]] = set()
    stack = [Requirement(r) for r in roots]
    while stack:
        req = stack.pop()
        name = canonicalize_name(req.name)
        key = (name, tuple(sorted(req.extras)))
        if name == "backchannel" or name not in dists or key in seen:
            continue
        seen.add(key)
        for raw in dists[name].requires or []:
            dep = Requirement(raw)
            if dep.marker is None or any(dep.marker.evaluate({"extra": e}) for e in (sorted(req.extras) or [""])):
                stack.append(dep)
    names = sorted({name for name, _ in seen})
    return [f"{dists[n].metadata['Name']}=={dists[n].version}" for n in names]


if __name__ == "__main__":
    (ROOT / "requirements" / "constraints.txt").write_text(HEADER + "\n".join(closure()) + "\n")
