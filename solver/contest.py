"""What a replay runs over: a contest file, a folder of packages, or packages named one by one.

A contest file (`contest.yaml`) orders the problems and states the contest's length and its
scoring rule:

    name: Solver Project Contest 1
    duration_minutes: 300
    scoring: icpc
    penalty_minutes: 20
    problems:
      - {label: A, slug: paving}      # a package folder beside the file
      - {label: B, path: ../other/festival}

A folder holding a `contest.yaml` is that contest; any other folder with package folders in it
is a contest of those packages in name order, labelled A, B, ... (AA, AB, ... past Z).
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from solver.errors import SolverError

DEFAULT_DURATION_MINUTES = 300
DEFAULT_PENALTY_MINUTES = 20
SCORING_RULES = ("icpc",)


class ContestError(SolverError):
    """A contest file or a replay path that cannot be used."""


@dataclass(frozen=True)
class ContestProblem:
    label: str
    path: Path


@dataclass(frozen=True)
class Contest:
    name: str
    problems: tuple[ContestProblem, ...]
    duration_minutes: int = DEFAULT_DURATION_MINUTES
    scoring: str = "icpc"
    penalty_minutes: int = DEFAULT_PENALTY_MINUTES


def _label(number: int) -> str:
    letters = string.ascii_uppercase
    if number < len(letters):
        return letters[number]
    return _label(number // len(letters) - 1) + letters[number % len(letters)]


def _is_package(folder: Path) -> bool:
    return folder.is_dir() and ((folder / "problem.yaml").is_file() or (folder / "data").is_dir())


def _positive_int(raw: dict[str, Any], name: str, default: int, where: Path) -> int:
    value = raw.get(name, default)
    if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
        raise ContestError(f"{where}: {name} must be a positive whole number, not {value!r}")
    return value


def load_contest_file(path: Path) -> Contest:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ContestError(f"{path}: cannot be read ({error.strerror})") from None
    except yaml.YAMLError as error:
        raise ContestError(f"{path}: not valid YAML ({str(error).splitlines()[0]})") from None
    if not isinstance(raw, dict) or not isinstance(raw.get("problems"), list):
        raise ContestError(f"{path}: expected a mapping with a list of problems")
    scoring = raw.get("scoring", "icpc")
    if scoring not in SCORING_RULES:
        raise ContestError(f"{path}: scoring {scoring!r} is not one of {', '.join(SCORING_RULES)}")
    problems = []
    for number, entry in enumerate(raw["problems"]):
        if isinstance(entry, str):
            entry = {"slug": entry}
        if not isinstance(entry, dict) or not ("slug" in entry or "path" in entry):
            raise ContestError(f"{path}: problem {number + 1} needs a slug or a path")
        folder = (path.parent / str(entry.get("path", entry.get("slug")))).resolve()
        if not _is_package(folder):
            raise ContestError(f"{path}: problem {number + 1}: {folder} is not a problem package")
        problems.append(ContestProblem(str(entry.get("label", _label(number))), folder))
    labels = [p.label for p in problems]
    if len(set(labels)) != len(labels):
        raise ContestError(f"{path}: problem labels repeat")
    if not problems:
        raise ContestError(f"{path}: the contest has no problems")
    return Contest(
        name=str(raw.get("name", path.parent.name)),
        problems=tuple(problems),
        duration_minutes=_positive_int(raw, "duration_minutes", DEFAULT_DURATION_MINUTES, path),
        scoring=scoring,
        penalty_minutes=_positive_int(raw, "penalty_minutes", DEFAULT_PENALTY_MINUTES, path),
    )


def load_contest(paths: list[Path]) -> Contest:
    """The contest that `solver replay PATH...` runs: one contest file (or a folder with one),
    or packages and folders of packages, in the order given."""
    if not paths:
        raise ContestError("give a contest file, a folder of problem packages, or packages")
    if len(paths) == 1:
        only = paths[0]
        if only.is_file():
            return load_contest_file(only)
        if only.is_dir() and (only / "contest.yaml").is_file():
            return load_contest_file(only / "contest.yaml")
    folders: list[Path] = []
    for path in paths:
        if not path.exists():
            raise ContestError(f"{path}: no such file or folder")
        if path.is_file():
            raise ContestError(f"{path}: a contest file must be the only path given")
        if _is_package(path):
            folders.append(path.resolve())
        else:
            inside = sorted(p.resolve() for p in path.iterdir() if _is_package(p))
            if not inside:
                raise ContestError(f"{path}: neither a problem package nor a folder of them")
            folders.extend(inside)
    if len(set(folders)) != len(folders):
        raise ContestError("a problem is given twice")
    name = paths[0].resolve().name if len(paths) == 1 else "replay"
    problems = tuple(ContestProblem(_label(n), folder) for n, folder in enumerate(folders))
    return Contest(name=name, problems=problems)
