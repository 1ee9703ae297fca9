"""Reading scenario files (or built-in scenarios) from disk and writing files atomically."""

from __future__ import annotations

import os
import stat
import tempfile
import threading
from importlib import resources
from pathlib import Path

from ..scenario.errors import InputError
from ..scenario.formats import detect_format, parse, render
from ..scenario.schema import Scenario

__all__ = [
    "atomic_write_text",
    "current_umask",
    "builtin_ids",
    "builtin_article",
    "builtin_text",
    "load_scenario",
    "read_text",
    "save_scenario",
]

_BUILTIN = "backchannel.scenario.builtin"


def builtin_ids() -> list[str]:
    """Ids of the scenarios shipped inside the package."""
    root = resources.files(_BUILTIN)
    return sorted(p.name.removesuffix(".yaml") for p in root.iterdir() if p.name.endswith(".yaml"))


def builtin_text(scenario_id: str) -> str:
    """The YAML text of a built-in scenario (an id from :func:`builtin_ids`)."""
    return resources.files(_BUILTIN).joinpath(f"{scenario_id}.yaml").read_text(encoding="utf-8")


def builtin_article(name: str) -> str:
    """The text of an article shipped with the package (the sources of built-in scenarios)."""
    path = resources.files(_BUILTIN).joinpath("articles", name)
    if not path.is_file():
        raise InputError("unknown article", field="document", value=name, allowed="a file in the package's articles")
    return path.read_text(encoding="utf-8")


def read_text(path: str | Path, limit: int = 50 * 1024 * 1024) -> str:
    """A file's text as UTF-8, or an InputError saying why it cannot be read."""
    p = Path(path)
    try:
        if p.is_dir():
            raise InputError("is a folder, not a file", file=str(path), allowed="a file")
        size = p.stat().st_size
        if size > limit:
            raise InputError("file too large", file=str(path), value=f"{size} bytes", allowed=f"at most {limit} bytes")
        data = p.read_bytes()
    except FileNotFoundError:
        raise InputError("no such file", file=str(path)) from None
    except PermissionError:
        raise InputError("file is not readable (permission denied)", file=str(path)) from None
    except IsADirectoryError:
        raise InputError("is a folder, not a file", file=str(path), allowed="a file") from None
    if b"\x00" in data[:8192]:
        raise InputError("binary file, not text", file=str(path), allowed="UTF-8 text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"not valid UTF-8 at byte {exc.start}", file=str(path), allowed="UTF-8 text") from None


def load_scenario(ref: str | Path, fmt: str | None = None) -> Scenario:
    """A scenario from a built-in id or a file path in any supported format."""
    ref = str(ref)
    if ref in builtin_ids() and not Path(ref).exists():
        return parse(builtin_text(ref), f"{ref}.yaml", "yaml")
    if not Path(ref).exists():
        raise InputError(
            "no such scenario file or built-in scenario",
            file=ref,
            allowed="a file path or one of: " + ", ".join(builtin_ids()),
        )
    return parse(read_text(ref), ref, fmt)


_UMASK_LOCK = threading.Lock()


def current_umask() -> int:
    """The process's umask, read without changing it where the system tells it (Linux), else set and restored
    under a lock."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    with _UMASK_LOCK:
        mask = os.umask(0o022)
        os.umask(mask)
    return mask


def _mode_for(p: Path) -> int:
    """The mode a written file gets: an existing file keeps its own; a new one gets 0666 less the umask,
    as ``open()`` would give it (``mkstemp`` alone would leave 0600)."""
    try:
        return stat.S_IMODE(p.stat().st_mode)
    except FileNotFoundError:
        return 0o666 & ~current_umask()


def atomic_write_text(path: str | Path, text: str) -> None:
    """Write a file so that readers see the old content or the whole new one, never half; its mode respects
    the umask (new file) or stays what it was (replaced file)."""
    p = Path(path)
    if not p.parent.exists():
        raise InputError("folder does not exist", file=str(p.parent), allowed="an existing folder")
    mode = _mode_for(p)
    fd, tmp = tempfile.mkstemp(prefix=f".{p.name}.", suffix=".tmp", dir=p.parent)
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, p)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def save_scenario(scenario: Scenario, path: str | Path, fmt: str | None = None) -> str:
    """Write a scenario in the format named or implied by the path; returns the format used."""
    fmt = fmt or detect_format(str(path))
    atomic_write_text(path, render(scenario, fmt))
    return fmt
