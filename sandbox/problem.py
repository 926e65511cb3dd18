"""Problem packages in the Kattis / ICPC problem package format (legacy and 2023-07 drafts).

The loader reads everything the judge and the solver need and checks it once, so a malformed
package fails here with a one-line error naming the problem and the file, never later.
"""

from __future__ import annotations

import configparser
import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import yaml

from sandbox.checkers import CheckerFlags
from sandbox.errors import PackageError, UnsupportedProblem
from sandbox.limits import DEFAULT_MEMORY_MIB, DEFAULT_OUTPUT_MIB, DEFAULT_TIME_MULTIPLIER

TestSet = Literal["sample", "secret", "all"]

# Expected-verdict folders of `submissions/`, as problemtools and BAPCtools name them.
KNOWN_SUBMISSION_FOLDERS = (
    "accepted",
    "wrong_answer",
    "time_limit_exceeded",
    "run_time_error",
    "mixed",
    "rejected",
)


@dataclass(frozen=True)
class TestCase:
    name: str  # the path below data/ without extension: "sample/1", "secret/group1/05"
    input: Path
    answer: Path

    @property
    def is_sample(self) -> bool:
        return self.name.startswith("sample/")


@dataclass(frozen=True)
class Submission:
    path: Path
    expected: str  # the folder under submissions/: "accepted", "wrong_answer", ...

    @property
    def name(self) -> str:
        return f"{self.expected}/{self.path.name}"


@dataclass(frozen=True)
class TimeLimit:
    seconds: float | None  # None: the package states none (legacy Kattis)
    source: str  # where it was read, for messages


@dataclass(frozen=True)
class Problem:
    path: Path
    slug: str
    name: str
    source: str
    license: str
    rights_owner: str
    validation: str  # "default" or "custom"
    interactive: bool
    validator_flags: tuple[str, ...]
    checker_flags: CheckerFlags
    output_validator: Path | None
    input_validators: tuple[Path, ...]
    generators: Path | None
    statement: Path | None
    time_limit: TimeLimit
    time_multiplier: float  # for deriving a limit from the accepted submissions
    memory_mib: int
    output_mib: int
    samples: tuple[TestCase, ...]
    secret: tuple[TestCase, ...]
    submissions: tuple[Submission, ...] = field(default=())

    def tests(self, which: TestSet = "all") -> tuple[TestCase, ...]:
        if which == "sample":
            return self.samples
        if which == "secret":
            return self.secret
        return self.samples + self.secret

    def require_judgeable(self) -> None:
        """Refuses a package the judge cannot judge: today, an interactive one without an
        interactor (a 2023-07 `type: interactive` package with no output validator)."""
        if self.interactive and self.output_validator is None:
            raise UnsupportedProblem(
                self.slug, "output_validators/", "interactive, but no interactor is there"
            )


def _read_yaml(slug: str, path: Path) -> dict:
    try:
        loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        first_line = str(error).strip().splitlines()[0]
        raise PackageError(slug, path.name, f"not valid YAML: {first_line}") from None
    if loaded is None:
        return {}
    if not isinstance(loaded, dict):
        raise PackageError(slug, path.name, "must be a mapping of keys to values")
    return loaded


def _number(slug: str, file: str, key: str, value: object) -> float:
    try:
        number = float(str(value).strip().strip("'\""))
    except ValueError:
        raise PackageError(slug, file, f"{key} must be a number, not {value!r}") from None
    if not number > 0:
        raise PackageError(slug, file, f"{key} must be positive, not {value!r}")
    return number


def _time_limit(slug: str, root: Path, config: dict) -> TimeLimit:
    """The stated limit: `.timelimit` (BAPCtools), then problem.yaml, then DOMjudge's ini.

    None of them in a legacy package means the judge derives it from the accepted
    submissions, as problemtools does.
    """
    dot_file = root / ".timelimit"
    if dot_file.is_file():
        text = dot_file.read_text(errors="replace").strip()
        return TimeLimit(_number(slug, ".timelimit", "the time limit", text), ".timelimit")
    limits = config.get("limits") or {}
    if "time_limit" in limits:
        seconds = _number(slug, "problem.yaml", "limits.time_limit", limits["time_limit"])
        return TimeLimit(seconds, "problem.yaml")
    ini = root / "domjudge-problem.ini"
    if ini.is_file():
        parser = configparser.ConfigParser()
        try:
            parser.read_string("[problem]\n" + ini.read_text(errors="replace"))
        except configparser.Error as error:
            message = str(error).splitlines()[0]
            raise PackageError(slug, ini.name, f"cannot be read: {message}") from None
        if parser.has_option("problem", "timelimit"):
            value = parser.get("problem", "timelimit")
            return TimeLimit(_number(slug, ini.name, "timelimit", value), ini.name)
    return TimeLimit(None, "none stated")


def _test_cases(slug: str, data: Path, group: str) -> tuple[TestCase, ...]:
    folder = data / group
    if not folder.is_dir():
        return ()
    cases = []
    for input_file in sorted(folder.rglob("*.in")):
        answer = input_file.with_suffix(".ans")
        relative = input_file.relative_to(data).with_suffix("")
        if not answer.is_file():
            raise PackageError(slug, f"data/{relative}.ans", "missing answer file for its .in")
        cases.append(TestCase(str(relative), input_file, answer))
    return tuple(cases)


def _output_validator(slug: str, root: Path) -> Path | None:
    for name in ("output_validators", "output_validator"):
        folder = root / name
        if not folder.is_dir():
            continue
        entries = sorted(p for p in folder.iterdir() if not p.name.startswith("."))
        if not entries:
            continue
        if name == "output_validator" or all(p.is_file() for p in entries):
            return folder  # the folder itself is the validator program
        directories = [p for p in entries if p.is_dir()]
        if len(directories) > 1:
            names = ", ".join(p.name for p in directories)
            raise PackageError(slug, name, f"several output validators ({names}); expected one")
        return directories[0]
    return None


def _programs_in(root: Path, name: str) -> tuple[Path, ...]:
    folder = root / name
    if not folder.is_dir():
        return ()
    entries = sorted(p for p in folder.iterdir() if not p.name.startswith("."))
    if (
        entries
        and all(p.is_file() for p in entries)
        and any(p.name in ("build", "run") for p in entries)
    ):
        return (folder,)
    return tuple(entries)


def _statement(root: Path) -> Path | None:
    for folder in ("problem_statement", "statement"):
        for pattern in (
            "problem.en.md",
            "problem.en.tex",
            "problem.md",
            "problem.tex",
            "problem.*",
        ):
            found = sorted((root / folder).glob(pattern)) if (root / folder).is_dir() else []
            if found:
                return found[0]
    return None


def _submissions(root: Path) -> tuple[Submission, ...]:
    folder = root / "submissions"
    if not folder.is_dir():
        return ()
    found = []
    for verdict_folder in sorted(p for p in folder.iterdir() if p.is_dir()):
        for entry in sorted(verdict_folder.iterdir()):
            if entry.name.startswith("."):
                continue
            found.append(Submission(entry, verdict_folder.name))
    return tuple(found)


def _words(value: object) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, list):
        return tuple(str(v) for v in value)
    return tuple(shlex.split(str(value)))


def load_problem(path: Path | str) -> Problem:
    root = Path(path).resolve()
    slug = root.name
    if not root.is_dir():
        raise PackageError(slug, str(path), "no such problem directory")
    config_path = root / "problem.yaml"
    config = _read_yaml(slug, config_path) if config_path.is_file() else {}
    if not (root / "data").is_dir():
        raise PackageError(slug, "data/", "missing: a package keeps its tests in data/")

    kind = str(config.get("type", "pass-fail"))
    validation = str(config.get("validation", "default"))
    interactive = "interactive" in validation.split() or "interactive" in kind.split()
    if validation.split()[0] not in ("default", "custom"):
        raise PackageError(slug, "problem.yaml", f"unknown validation {validation!r}")

    validator_flags = _words(config.get("validator_flags"))
    output_validator = _output_validator(slug, root)
    custom = validation.startswith("custom") or kind != "pass-fail" and output_validator
    if custom and output_validator is None:
        raise PackageError(slug, "output_validators/", "validation is custom but none is there")
    try:
        checker_flags = CheckerFlags() if custom else CheckerFlags.parse(validator_flags)
    except ValueError as error:
        raise PackageError(slug, "problem.yaml", f"validator_flags: {error}") from None

    limits = config.get("limits") or {}
    if not isinstance(limits, dict):
        raise PackageError(slug, "problem.yaml", "limits must be a mapping")
    memory = limits.get("memory", DEFAULT_MEMORY_MIB)
    output = limits.get("output", DEFAULT_OUTPUT_MIB)
    multiplier = limits.get("time_multiplier", DEFAULT_TIME_MULTIPLIER)

    samples = _test_cases(slug, root / "data", "sample")
    secret = _test_cases(slug, root / "data", "secret")
    if not samples and not secret and not interactive:
        raise PackageError(slug, "data/", "no test cases (.in with .ans) in sample/ or secret/")

    return Problem(
        path=root,
        slug=slug,
        name=str(config.get("name") or slug)
        if not isinstance(config.get("name"), dict)
        else str(next(iter(config["name"].values()))),
        source=str(config.get("source", "")),
        license=str(config.get("license", "unknown")),
        rights_owner=str(config.get("rights_owner", config.get("author", ""))),
        validation="custom" if custom else "default",
        interactive=interactive,
        validator_flags=validator_flags,
        checker_flags=checker_flags,
        output_validator=output_validator if custom else None,
        input_validators=_programs_in(root, "input_validators"),
        generators=root / "generators" if (root / "generators").is_dir() else None,
        statement=_statement(root),
        time_limit=_time_limit(slug, root, config),
        time_multiplier=_number(slug, "problem.yaml", "limits.time_multiplier", multiplier),
        memory_mib=int(_number(slug, "problem.yaml", "limits.memory", memory)),
        output_mib=int(_number(slug, "problem.yaml", "limits.output", output)),
        samples=samples,
        secret=secret,
        submissions=_submissions(root),
    )


_SLUG = re.compile(r"^[A-Za-z0-9_.-]+$")


def is_problem_dir(path: Path) -> bool:
    return path.is_dir() and (path / "data").is_dir() and bool(_SLUG.match(path.name))
