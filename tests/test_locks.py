"""The lock files follow pyproject.toml: a dependency added or narrowed without `make lock` fails here."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)", re.M)


def pins(name: str) -> dict[str, Version]:
    text = (ROOT / name).read_text()
    assert "--hash=sha256:" in text, f"{name} has no hashes"
    return {canonicalize_name(found): Version(version) for found, version in PIN.findall(text)}


def project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def unmet(requirements: list[str], locked: dict[str, Version]) -> list[str]:
    """The requirements the lock leaves out or pins outside their range."""
    found = []
    for line in requirements:
        requirement = Requirement(line)
        pinned = locked.get(canonicalize_name(requirement.name))
        if pinned is None or not requirement.specifier.contains(pinned, prereleases=True):
            found.append(f"{line} (locked: {pinned})")
    return found


def test_every_runtime_dependency_is_pinned_within_its_range_in_both_locks():
    dependencies = project()["dependencies"]
    assert unmet(dependencies, pins("requirements.lock")) == [], "run `make lock`"
    assert unmet(dependencies, pins("requirements-test.lock")) == [], "run `make lock`"


def test_every_test_tool_is_pinned_within_its_range_in_the_test_lock():
    assert unmet(project()["optional-dependencies"]["test"], pins("requirements-test.lock")) == [], (
        "run `make lock`"
    )


def test_the_runtime_lock_pins_the_same_versions_as_the_test_lock():
    runtime, test = pins("requirements.lock"), pins("requirements-test.lock")
    assert {name: version for name, version in runtime.items() if test.get(name) != version} == {}


def test_the_locks_say_how_they_were_made():
    for name in ("requirements.lock", "requirements-test.lock"):
        assert "make lock" in (ROOT / name).read_text().split("\n", 3)[1]


def test_the_readme_ci_and_the_image_install_from_the_locks():
    readme = (ROOT / "README.md").read_text()
    assert ".venv/bin/pip install -r requirements.lock && .venv/bin/pip install --no-deps -e ." in readme
    assert "pip install -r requirements-test.lock && .venv/bin/pip install --no-deps -e '.[test]'" in readme
    run = (ROOT / ".ci" / "run").read_text()
    assert "pip install -q -r requirements-test.lock" in run and "--no-deps -e '.[test]'" in run
    assert "bash .ci/audit" in run
    assert "pip install --require-hashes -r requirements.lock" in (ROOT / "Dockerfile").read_text()
