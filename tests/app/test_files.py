"""Written files respect the umask (mkstemp alone gives 0600), and a replaced file keeps its mode."""

from __future__ import annotations

import os
import stat

import pytest

from backchannel.app.files import atomic_write_text, current_umask


@pytest.fixture()
def umask():
    def set_(mask: int) -> None:
        os.umask(mask)

    old = os.umask(0o022)
    os.umask(old)
    yield set_
    os.umask(old)


def _mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.parametrize("mask, expected", [(0o022, 0o644), (0o002, 0o664), (0o077, 0o600), (0o027, 0o640)])
def test_a_new_file_gets_0666_less_the_umask(tmp_path, umask, mask, expected):
    umask(mask)
    assert current_umask() == mask
    f = tmp_path / "report.html"
    atomic_write_text(f, "<p>x</p>")
    assert _mode(f) == expected
    assert f.read_text() == "<p>x</p>"
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]  # no temporary file left


def test_a_replaced_file_keeps_its_mode(tmp_path, umask):
    umask(0o022)
    f = tmp_path / "out.yaml"
    f.write_text("old")
    f.chmod(0o640)
    atomic_write_text(f, "new")
    assert _mode(f) == 0o640 and f.read_text() == "new"


def test_convert_and_report_write_files_the_umask_allows(cli, tmp_path, umask):
    umask(0o002)
    out, html = tmp_path / "u.json", tmp_path / "report.html"
    code, _, err = cli("scenario", "convert", "ukraine-2025", str(out))
    assert code == 0, err
    code, _, err = cli("report", "ukraine-2025", "--draws", "0", "-o", str(html))
    assert code == 0, err
    assert _mode(out) == _mode(html) == 0o664
