"""Installing the project prints no warning of ours (setuptools reads the licence as SPDX)."""

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_licence_is_an_spdx_expression_setuptools_reads_without_a_warning():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    # A table ({text = ...}) makes setuptools >= 77 print a deprecation warning on every install.
    assert project["project"]["license"] == "BSD-3-Clause"
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("BSD 3-Clause License")
    assert all((ROOT / f).is_file() for f in project["project"]["license-files"])
    assert "setuptools>=77" in project["build-system"]["requires"]
