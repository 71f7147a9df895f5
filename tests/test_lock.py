"""The locks are what a fresh machine installs: they must satisfy pyproject.toml exactly.

A dependency added to pyproject.toml without `sh requirements/refresh.sh`, a range narrowed
past the locked version, or a dependency removed but still locked, each fails here, before a
fresh machine installs something CI never tested.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
LOCKS = {
    "app": (),
    "hub": ("hub",),
    "reports": ("reports",),
    "test": ("test", "hub", "reports"),
}
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^ ;\\]+)")


def pins(lock: str) -> dict[str, tuple[str, list[str], list[str]]]:
    """name -> (version, hashes, what asked for it), from a lock written by uv."""
    found: dict[str, tuple[str, list[str], list[str]]] = {}
    current: str | None = None
    for line in (ROOT / "requirements" / f"{lock}.txt").read_text(encoding="utf-8").splitlines():
        match = PIN.match(line)
        if match:
            current = canonicalize_name(match[1])
            found[current] = (match[2], [], [])
            continue
        stripped = line.strip()
        if current is None:
            continue
        if stripped.startswith("--hash=sha256:"):
            found[current][1].append(stripped.removeprefix("--hash=").rstrip(" \\"))
        elif stripped.startswith("# via") or (stripped.startswith("#   ") and stripped[4:]):
            via = stripped.removeprefix("# via").removeprefix("#").strip()
            if via:
                found[current][2].append(via)
    return found


def declared(extras: tuple[str, ...]) -> list[Requirement]:
    texts = list(PYPROJECT["project"]["dependencies"])
    for extra in extras:
        texts += PYPROJECT["project"]["optional-dependencies"][extra]
    texts += PYPROJECT["build-system"]["requires"]
    return [Requirement(text) for text in texts]


@pytest.mark.parametrize("lock", sorted(LOCKS))
def test_every_declared_dependency_is_locked_at_a_version_it_allows(lock: str) -> None:
    locked = pins(lock)
    wrong = []
    for requirement in declared(LOCKS[lock]):
        pinned = locked.get(canonicalize_name(requirement.name))
        if pinned is None or not requirement.specifier.contains(pinned[0], prereleases=True):
            wrong.append(f"{requirement} (locked: {pinned[0] if pinned else 'nothing'})")
    assert wrong == [], f"run `sh requirements/refresh.sh`: {wrong}"


@pytest.mark.parametrize("lock", sorted(LOCKS))
def test_nothing_is_locked_for_a_dependency_pyproject_no_longer_has(lock: str) -> None:
    direct = {canonicalize_name(r.name) for r in declared(LOCKS[lock])}
    stale = [
        name
        for name, (_version, _hashes, via) in pins(lock).items()
        if any("pyproject.toml" in v for v in via) and name not in direct
    ]
    assert stale == [], f"run `sh requirements/refresh.sh`: {stale}"


@pytest.mark.parametrize("lock", sorted(LOCKS))
def test_every_locked_file_has_a_hash(lock: str) -> None:
    locked = pins(lock)
    assert len(locked) > 10
    assert [name for name, (_v, hashes, _via) in locked.items() if not hashes] == []


@pytest.mark.parametrize("lock", ["app", "hub", "reports"])
def test_each_lock_is_the_test_lock_without_the_test_tools(lock: str) -> None:
    """The demo, the hub and the tests run on the same versions of everything they share."""
    part, test = pins(lock), pins("test")
    assert set(part) <= set(test)
    assert {name: part[name][0] for name in part} == {name: test[name][0] for name in part}


def test_the_readme_commands_install_the_locks() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for marker, lock in (("demo-command", "app"), ("test-command", "test")):
        block = readme.split(f"<!-- {marker} -->", 1)[1].split("```sh", 1)[1]
        command = block.split("```", 1)[0]
        assert f"--require-hashes -r requirements/{lock}.txt" in command
        assert "--no-deps" in command  # the project itself adds nothing unlocked
