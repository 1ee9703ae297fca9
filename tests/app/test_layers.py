"""The layers import only what docs/architecture.md allows, and the docs name every package."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src" / "backchannel"
CORE = {"scenario", "models", "agreement", "ensemble", "analysis"}
BELOW_APP = CORE | {"evidence", "store", "(root)"}
# layer -> the other layers (top-level packages of backchannel) it may import; "(root)" is backchannel/__init__
ALLOWED = {
    "scenario": set(),
    "models": {"scenario"},
    "agreement": {"scenario", "models"},
    "ensemble": {"scenario", "models", "agreement"},
    "analysis": {"scenario", "models", "agreement", "ensemble"},
    "evidence": {"scenario"},
    "store": CORE | {"evidence", "(root)"},
    "app": BELOW_APP,
    "report": BELOW_APP | {"app"},
    "web": BELOW_APP | {"app", "report"},
    "cli": BELOW_APP | {"app", "report", "web"},
}


def _imports(path: Path) -> set[str]:
    """The top-level backchannel packages a module imports (relative imports resolved)."""
    rel = path.relative_to(SRC.parent).with_suffix("").parts
    package = rel if path.name == "__init__.py" else rel[:-1]
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = list(package[: len(package) - node.level + 1]) + (node.module.split(".") if node.module else [])
            elif node.module and node.module.split(".")[0] == "backchannel":
                base = node.module.split(".")
            else:
                continue
            targets = [base + [a.name] for a in node.names] if len(base) == 1 else [base]
            out |= {t[1] if len(t) > 1 and (SRC / t[1]).is_dir() else "(root)" for t in targets}
        elif isinstance(node, ast.Import):
            out |= {a.name.split(".")[1] for a in node.names if a.name.startswith("backchannel.")}
    return out


def _layer_modules():
    for layer in sorted(ALLOWED):
        for path in sorted((SRC / layer).rglob("*.py")):
            yield pytest.param(layer, path, id=str(path.relative_to(SRC)))


def test_every_top_level_package_has_a_rule():
    packages = {p.name for p in SRC.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert packages == set(ALLOWED)


@pytest.mark.parametrize("layer, path", list(_layer_modules()))
def test_a_module_imports_only_the_layers_its_layer_may(layer, path):
    wrong = _imports(path) - ALLOWED[layer] - {layer}
    assert not wrong, f"{path.relative_to(SRC)} ({layer}) imports {sorted(wrong)}"


def _packages() -> list[str]:
    return sorted(
        "backchannel." + ".".join(p.parent.relative_to(SRC).parts)
        for p in SRC.rglob("__init__.py")
        if p.parent != SRC and "versions" not in p.parts
    )


@pytest.mark.parametrize("doc", ["docs/architecture.md", "README.md"])
def test_the_docs_name_every_package(doc):
    text = (ROOT / doc).read_text(encoding="utf-8")
    missing = [p for p in _packages() if f"`{p}`" not in text]
    assert not missing, f"{doc} does not name {missing}"
