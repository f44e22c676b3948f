"""The two lock files: production installs requirements.lock, development the dev lock."""

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==(\S+)")


def _name(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(lines) -> dict[str, str]:
    return {
        _name(match.group(1)): match.group(2)
        for line in lines
        if (match := PIN.match(line.strip()))
    }


RUNTIME = pins((ROOT / "requirements.lock").read_text().splitlines())
DEV = pins((ROOT / "requirements-dev.lock").read_text().splitlines())
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
DIRECT_RUNTIME = pins(PROJECT["dependencies"])
DIRECT_DEV = pins(PROJECT["optional-dependencies"]["dev"])


def test_the_runtime_lock_carries_no_test_or_lint_tools():
    tools = set(DIRECT_DEV) | {"pytest-django", "playwright", "faker", "execnet"}
    assert not tools & set(RUNTIME), sorted(tools & set(RUNTIME))
    assert "gunicorn" in RUNTIME, "production serves through gunicorn"


def test_the_dev_lock_is_the_runtime_lock_and_the_tools():
    disagree = {
        name: (RUNTIME[name], DEV.get(name)) for name in RUNTIME if DEV.get(name) != RUNTIME[name]
    }
    assert not disagree, disagree
    assert set(DIRECT_DEV) <= set(DEV)


def test_the_locks_hold_the_versions_pyproject_pins():
    for direct, lock in ((DIRECT_RUNTIME, RUNTIME), (DIRECT_DEV, DEV)):
        differ = {
            name: (version, lock.get(name))
            for name, version in direct.items()
            if lock.get(name) != version
        }
        assert not differ, differ
