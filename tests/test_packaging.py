"""An installed natowatch (a real wheel, not the checkout) finds its templates and builds."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from paths import ROOT, SEEDS


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A wheel built from this checkout and unpacked into a private folder."""
    work = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(work),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    [wheel] = work.glob("natowatch-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "natowatch/templates/base.html" in names
    assert "natowatch/static/style.css" in names
    assert "natowatch/extract/rules.yml" in names
    # Every module and data file of the checkout, whatever a .gitignore pattern might match.
    package = ROOT / "src"
    shipped = {
        path.relative_to(package).as_posix()
        for path in package.rglob("*")
        if path.suffix in (".py", ".yml") and "__pycache__" not in path.parts
    }
    assert shipped - set(names) == set()
    target = work / "lib"
    zipfile.ZipFile(wheel).extractall(target)
    return target


def test_installed_package_builds_the_seeds_from_its_own_templates(installed, tmp_path):
    env = {**os.environ, "PYTHONPATH": str(installed)}
    probe = subprocess.run(
        [
            sys.executable,
            "-c",
            "import natowatch.publish.resources as r; print(r.templates_dir()); print(r.static_dir())",
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    for line in probe.stdout.splitlines():
        assert Path(line).is_relative_to(installed), line
    out = tmp_path / "site"
    result = subprocess.run(
        [sys.executable, "-m", "natowatch", "build", str(SEEDS), "--out", str(out)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert (out / "index.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
