"""Training the scorer from labelled feature records, reproducibly.

A record is one survivor of one problem, as `python -m solver.evaluate --records FILE` writes
it: `{"problem": ..., "candidate": ..., "features": {...}, "label": 0 or 1}` (the label from the
hidden tests, which only the evaluation harness reads). Records are sorted before fitting, so the
same files give the same coefficients whatever order they were written in.
"""

from __future__ import annotations

import json
from pathlib import Path

from solver.errors import SolverError
from solver.scorer import train


class TrainingError(SolverError):
    pass


def read_records(paths: list[Path]) -> list[dict]:
    records = []
    for path in paths:
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except OSError as error:
            raise TrainingError(f"{path}: cannot be read ({error.strerror})") from None
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                raise TrainingError(f"{path}:{number}: not JSON ({error.msg})") from None
            if not isinstance(record, dict) or not {"features", "label"} <= record.keys():
                raise TrainingError(f'{path}:{number}: needs "features" and "label"')
            records.append(record)
    records.sort(key=lambda r: (str(r.get("problem")), int(r.get("candidate", 0))))
    return records


def train_from_records(paths: list[Path], target: Path, *, regularization: float = 1.0) -> str:
    """Fits and writes the model; returns a one-line summary."""
    records = read_records(paths)
    labels = [int(bool(r["label"])) for r in records]
    if len(set(labels)) < 2:
        raise TrainingError(
            f"{len(records)} records: training needs both correct and incorrect candidates"
        )
    problems = sorted({str(r.get("problem")) for r in records})
    scorer = train(
        [r["features"] for r in records],
        labels,
        regularization=regularization,
        info={"problems": len(problems), "regularization": regularization},
    )
    scorer.save(target)
    return (
        f"trained on {len(records)} candidates of {len(problems)} problems "
        f"({sum(labels)} correct); wrote {target}"
    )
