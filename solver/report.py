"""What `solver solve` shows: progress lines per stage on a stream, the ranked table, files."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import IO, Any

from sandbox.languages import language_by_id
from solver.pipeline import PipelineResult, Reporter


class StreamReporter(Reporter):
    """One line per finished stage; on a terminal, a counter rewritten in place meanwhile."""

    def __init__(self, stream: IO[str] | None = None) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.tty = self.stream.isatty()
        self._last = 0.0

    def update(self, stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        if self.tty and (now - self._last > 0.2 or done == total):
            self._last = now
            self.stream.write(f"\r\x1b[K{stage}: {done}/{total}")
            self.stream.flush()

    def finish(self, stage: str, summary: str, seconds: float) -> None:
        prefix = "\r\x1b[K" if self.tty else ""
        self.stream.write(f"{prefix}{stage}: {summary} ({seconds:.1f} s)\n")
        self.stream.flush()


def submission_file_name(rank: int, language: str) -> str:
    extension = language_by_id(language).extensions[0]
    return f"rank{rank:02d}{extension}"


def write_submissions(result: PipelineResult, out: Path) -> list[Path]:
    """Each submission's source as `rankNN.ext`, and `submissions.json` with the summary."""
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for pick in result.submissions:
        candidate = result.candidates[pick.candidate]
        path = out / submission_file_name(pick.rank, candidate.language)
        path.write_text(candidate.source, encoding="utf-8")
        paths.append(path)
    summary = result.to_json(with_sources=False)
    (out / "submissions.json").write_text(json.dumps(summary, indent=2) + "\n")
    return paths


def solve_json(result: PipelineResult, sampling: dict[str, Any] | None = None) -> dict[str, Any]:
    report = result.to_json()
    if sampling is not None:
        report["sampling"] = sampling
    return report


def table(result: PipelineResult, files: list[Path] | None = None) -> str:
    rows = [("rank", "cluster", "score", "language", "file")]
    for position, pick in enumerate(result.submissions):
        candidate = result.candidates[pick.candidate]
        where = (
            str(files[position])
            if files
            else str(candidate.metadata.get("file") or f"candidate {pick.candidate}")
        ) + (" (slow: picked after the rest)" if pick.candidate in result.slow else "")
        rows.append(
            (str(pick.rank), str(pick.cluster.size), f"{pick.score:.3f}", candidate.language, where)
        )
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = [
        "  ".join(
            cell.rjust(widths[i]) if i < 3 else cell.ljust(widths[i])
            for i, cell in enumerate(row[:4])
        )
        + "  "
        + row[4]
        for row in rows
    ]
    header = (
        f"{result.problem}: {len(result.candidates)} candidates, {result.compiled} compiled, "
        f"{len(result.survivors)} passed the examples, {result.inputs} generated inputs, "
        f"{len(result.clustering.clusters) if result.clustering else 0} clusters"
    )
    if not result.submissions:
        return header + "\nno submissions: no candidate passed the examples"
    return header + "\n" + "\n".join(lines)
