"""Shared fixtures: one real sandbox backend per session, and small packages written on disk."""

from __future__ import annotations

import os
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from sandbox.backends.local import LocalBackend
from sandbox.build import Builder
from sandbox.judge import Judge

REPO = Path(__file__).resolve().parent.parent
SHARED_PROBLEMSETS = REPO.parent / "shared" / "problemsets"


@pytest.fixture(scope="session")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("solver-cache")


@pytest.fixture(scope="session", autouse=True)
def _isolated_cache(cache_dir: Path) -> Iterator[None]:
    """Tests never read or fill the user's own cache (the CLI reads SOLVER_CACHE_DIR)."""
    previous = os.environ.get("SOLVER_CACHE_DIR")
    os.environ["SOLVER_CACHE_DIR"] = str(cache_dir)
    yield
    if previous is None:
        os.environ.pop("SOLVER_CACHE_DIR", None)
    else:
        os.environ["SOLVER_CACHE_DIR"] = previous


@pytest.fixture(scope="session")
def backend() -> Iterator[LocalBackend]:
    with LocalBackend(warn=False) as local:
        yield local


@pytest.fixture(scope="session")
def builder(backend: LocalBackend, cache_dir: Path) -> Builder:
    return Builder(backend, cache_dir)


@pytest.fixture(scope="session")
def judge(backend: LocalBackend, builder: Builder) -> Judge:
    return Judge(backend, builder)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"))
    return path


def make_package(
    root: Path,
    *,
    problem_yaml: str = "name: Sum\nvalidation: default\n",
    tests: dict[str, tuple[str, str]] | None = None,
    timelimit: str | None = "1",
) -> Path:
    """A package whose default tests ask for the sum of two numbers."""
    if tests is None:
        tests = {
            "sample/1": ("1 2\n", "3\n"),
            "secret/01-small": ("5 7\n", "12\n"),
            "secret/02-large": ("1000000000 1000000000\n", "2000000000\n"),
        }
    root.mkdir(parents=True, exist_ok=True)
    (root / "problem.yaml").write_text(problem_yaml)
    if timelimit is not None:
        (root / ".timelimit").write_text(timelimit)
    for name, (given, expected) in tests.items():
        write(root / "data" / f"{name}.in", given)
        write(root / "data" / f"{name}.ans", expected)
    return root
