"""Candidates, and recorded pools of them: a JSONL file or a folder of source files.

A JSONL pool holds one object per line, `{"language": ..., "source": ..., ...}`; the other
fields (sample index, temperature, model, a human submission's id) are kept as metadata.
Metadata is for reports and research only: selection never reads it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from sandbox.errors import LanguageError
from sandbox.languages import LANGUAGES, language_by_id
from solver.errors import PoolError


@dataclass(frozen=True)
class Candidate:
    language: str  # a judge language id: c, cpp, python3, java
    source: str
    # Not part of equality or hashing: two candidates are the same program or not.
    metadata: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def to_json(self) -> dict[str, Any]:
        extra = {k: v for k, v in self.metadata.items() if k not in ("language", "source")}
        return {"language": self.language, "source": self.source, **extra}


def normalized_source(source: str) -> str:
    """The program with line endings, trailing spaces and blank edges made uniform: programs
    equal after this behave identically, so they are merged."""
    lines = [line.rstrip() for line in source.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return "\n".join(lines).strip("\n") + "\n"


def merge_identical(candidates: Iterable[Candidate]) -> list[Candidate]:
    """One candidate per distinct program, in order of first appearance. Each keeps the first
    one's metadata, with `count` (how many were merged) and `samples` (their sample indices,
    where they had one)."""
    merged: dict[tuple[str, str], tuple[Candidate, int, list[Any]]] = {}
    for candidate in candidates:
        key = (candidate.language, normalized_source(candidate.source))
        first, count, samples = merged.get(key, (candidate, 0, []))
        count += int(candidate.metadata.get("count", 1))
        if "samples" in candidate.metadata:
            samples.extend(candidate.metadata["samples"])
        elif "sample" in candidate.metadata:
            samples.append(candidate.metadata["sample"])
        merged[key] = (first, count, samples)
    result = []
    for (language, source), (first, count, samples) in merged.items():
        metadata = dict(first.metadata, count=count)
        if samples:
            metadata["samples"] = samples
        result.append(Candidate(language, source, metadata))
    return result


def _language_id(name: object, where: str) -> str:
    if not isinstance(name, str):
        raise PoolError(f"{where}: language must be a string, not {name!r}")
    try:
        return language_by_id(name).id
    except LanguageError as error:
        raise PoolError(f"{where}: {error}") from None


def read_jsonl_pool(path: Path) -> list[Candidate]:
    candidates = []
    try:
        with path.open(encoding="utf-8") as lines:
            for number, line in enumerate(lines, start=1):
                if not line.strip():
                    continue
                where = f"{path}:{number}"
                try:
                    record = json.loads(line)
                except json.JSONDecodeError as error:
                    raise PoolError(f"{where}: not a JSON object ({error.msg})") from None
                if not isinstance(record, dict):
                    raise PoolError(f"{where}: not a JSON object")
                if not isinstance(record.get("source"), str):
                    raise PoolError(f'{where}: no "source" string')
                language = _language_id(record.get("language"), where)
                metadata = {k: v for k, v in record.items() if k not in ("language", "source")}
                metadata.setdefault("pool", str(path))
                metadata.setdefault("line", number)
                candidates.append(Candidate(language, record["source"], metadata))
    except OSError as error:
        raise PoolError(f"{path}: cannot be read ({error.strerror})") from None
    except UnicodeDecodeError:
        raise PoolError(f"{path}: not UTF-8 text") from None
    return candidates


def read_folder_pool(folder: Path) -> list[Candidate]:
    """Every source file below `folder` whose extension names a judge language."""
    by_suffix = {ext: language.id for language in LANGUAGES for ext in language.extensions}
    candidates = []
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if not path.is_file() or any(part.startswith(".") for part in relative.parts):
            continue
        language = by_suffix.get(path.suffix)
        if language is None:
            continue
        try:
            source = path.read_text(encoding="utf-8", errors="replace")
        except OSError as error:
            raise PoolError(f"{path}: cannot be read ({error.strerror})") from None
        candidates.append(Candidate(language, source, {"pool": str(folder), "file": str(relative)}))
    if not candidates:
        raise PoolError(f"{folder}: no source files (.c, .cpp, .py, .java) in the folder")
    return candidates


def load_pool(path: Path | str, *, merge: bool = True) -> list[Candidate]:
    """The candidates of a recorded pool (a JSONL file or a folder), identical programs merged
    unless `merge` is False."""
    path = Path(path)
    if path.is_dir():
        candidates = read_folder_pool(path)
    elif path.is_file():
        candidates = read_jsonl_pool(path)
    else:
        raise PoolError(f"{path}: no such pool file or folder")
    return merge_identical(candidates) if merge else candidates


class PoolWriter:
    """Appends candidates to a JSONL pool one line at a time, flushed, so that an interrupted
    run keeps every line written. `mode="w"` starts the file afresh."""

    def __init__(self, path: Path | str, *, mode: str = "w") -> None:
        self.path = Path(path)
        self.written = 0
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._file: IO[str] = self.path.open(mode, encoding="utf-8")
        except OSError as error:
            raise PoolError(f"{self.path}: cannot be written ({error.strerror})") from None

    def write(self, candidate: Candidate) -> None:
        try:
            self._file.write(json.dumps(candidate.to_json(), ensure_ascii=False) + "\n")
            self._file.flush()
        except OSError as error:
            raise PoolError(f"{self.path}: cannot be written ({error.strerror})") from None
        self.written += 1

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> PoolWriter:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
