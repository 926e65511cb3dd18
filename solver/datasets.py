"""Importing third-party problem sets as problem packages, so the judge reads one format.

Codeflaws (CodeContests-shaped JSON lines, Codeforces problems, C submissions): each problem
becomes a package with its tests, its accepted submissions in `submissions/accepted/` and its
incorrect submissions that the kept tests catch in `submissions/rejected/` (must not be AC).
Incorrect submissions that pass every kept test (their failing tests were too large to keep)
are left out; so are the unreliable `generated_tests_unverified`.
"""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

# The data set's own labels ran submissions with a 3 s timeout; Codeforces limits are 1-2 s.
CODEFLAWS_TIME_LIMIT_S = 3


@dataclass(frozen=True)
class ImportSummary:
    problems: int
    accepted: int
    rejected: int
    left_out_incorrect: int


def _records(path: Path) -> Iterator[dict]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as lines:  # type: ignore[operator]
        for number, line in enumerate(lines, start=1):
            if line.strip():
                try:
                    yield json.loads(line)
                except json.JSONDecodeError as error:
                    raise ValueError(f"{path}:{number}: not a JSON object: {error.msg}") from None


def is_clean(record: dict) -> bool:
    """Every accepted solution passes every kept test and some incorrect one fails."""
    return (
        bool(record.get("all_accepted_pass_exact_compare"))
        and record.get("n_incorrect_failing", 0) > 0
    )


def _slug(record: dict) -> str:
    return "cf" + re.sub(r"[^A-Za-z0-9_.-]", "_", str(record["name"]))


def export_codeflaws(
    source: Path, out_dir: Path, *, clean_only: bool = True, limit: int | None = None
) -> ImportSummary:
    problems = accepted = rejected = left_out = 0
    for record in _records(source):
        if clean_only and not is_clean(record):
            continue
        if limit is not None and problems >= limit:
            break
        root = out_dir / _slug(record)
        config = {
            "name": f"Codeforces {record['name']}",
            "source": f"Codeforces (via Codeflaws): {record.get('url', '')}",
            "license": "mit",
            "rights_owner": "Codeflaws authors; programs by Codeforces contestants",
            "validation": "default",
            # Codeflaws compares exactly (but for blank lines and surrounding spaces).
            "validator_flags": "case_sensitive",
        }
        (root / "data" / "sample").mkdir(parents=True, exist_ok=True)
        (root / "data" / "secret").mkdir(parents=True, exist_ok=True)
        (root / "problem.yaml").write_text(yaml.safe_dump(config, sort_keys=False))
        (root / ".timelimit").write_text(f"{CODEFLAWS_TIME_LIMIT_S}\n")
        for index, test in enumerate(record["tests"]):
            # Codeforces shows its first test as the example.
            folder = root / "data" / ("sample" if index == 0 else "secret")
            (folder / f"{index + 1:03d}.in").write_text(test["input"])
            (folder / f"{index + 1:03d}.ans").write_text(test["output"])
        for solution in record["solutions"]:
            _write_submission(root / "submissions" / "accepted", solution)
            accepted += 1
        for solution in record["incorrect_solutions"]:
            if solution.get("verified_on_tests") == "FAIL":
                _write_submission(root / "submissions" / "rejected", solution)
                rejected += 1
            else:
                left_out += 1
        problems += 1
    return ImportSummary(problems, accepted, rejected, left_out)


def _write_submission(folder: Path, solution: dict) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    suffix = ".c" if str(solution.get("language", "C")).upper() == "C" else ".cpp"
    (folder / f"{solution['submission_id']}{suffix}").write_text(solution["code"])
