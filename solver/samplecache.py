"""Samples on disk, so that a rerun or a resumed run never requests (or pays for) one twice.

A sample's key is a hash of the endpoint, the API, the request body without `n` (model, prompt,
temperature, max_tokens, stop, extra parameters) and the sample's index: the same request
asked again for another index is another sample. The raw answer is stored, not the extracted
program, so a better extractor applies to old samples too.

One SQLite file in WAL mode: readers never wait for the writer, several runs may share it, and
a row committed before a crash is kept.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

from solver.errors import CacheError

SCHEMA_VERSION = 1
KEY_VERSION = 1  # bump to invalidate every key when what a key means changes


@dataclass(frozen=True)
class CachedSample:
    text: str
    finish_reason: str | None
    prompt_tokens: int  # this sample's share of its request's prompt tokens
    completion_tokens: int
    model: str  # the model name the server reported
    logprob: float | None = None
    logprob_tokens: int = 0


def _encode(sample: CachedSample) -> str:
    # By hand: dataclasses.asdict costs more than the rest of a cache write.
    fields = {
        "text": sample.text,
        "finish_reason": sample.finish_reason,
        "prompt_tokens": sample.prompt_tokens,
        "completion_tokens": sample.completion_tokens,
        "model": sample.model,
        "logprob": sample.logprob,
        "logprob_tokens": sample.logprob_tokens,
    }
    return json.dumps(fields, ensure_ascii=False)


def request_digest(identity: Mapping[str, Any]) -> str:
    """A hash of what identifies a request (see `ModelClient.identity`)."""
    canonical = json.dumps(
        {"v": KEY_VERSION, **identity}, sort_keys=True, ensure_ascii=False, separators=(",", ":")
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def sample_key(digest: str, index: int) -> str:
    return hashlib.sha256(f"{digest}:{index}".encode()).hexdigest()


class SampleCache:
    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, timeout=30.0, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            # In WAL mode NORMAL survives a crash of the process; only power loss can lose the
            # last commits, and they would be requested again, not corrupted.
            self._db.execute("PRAGMA synchronous=NORMAL")
            version = self._db.execute("PRAGMA user_version").fetchone()[0]
            if version not in (0, SCHEMA_VERSION):
                raise CacheError(f"{self.path}: sample cache of an unknown version {version}")
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS samples ("
                "key TEXT PRIMARY KEY, created REAL NOT NULL, value TEXT NOT NULL)"
            )
            self._db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        except sqlite3.Error as error:
            raise CacheError(f"{self.path}: cannot open the sample cache ({error})") from None

    def get_many(self, keys: Sequence[str]) -> dict[str, CachedSample]:
        found: dict[str, CachedSample] = {}
        try:
            for start in range(0, len(keys), 500):  # SQLite limits bound parameters
                chunk = keys[start : start + 500]
                marks = ",".join("?" * len(chunk))
                rows = self._db.execute(
                    f"SELECT key, value FROM samples WHERE key IN ({marks})", chunk
                )
                for key, value in rows:
                    found[key] = CachedSample(**json.loads(value))
        except sqlite3.Error as error:
            raise CacheError(f"{self.path}: cannot read the sample cache ({error})") from None
        except (ValueError, TypeError):
            raise CacheError(f"{self.path}: a cached sample is corrupt") from None
        return found

    def get(self, key: str) -> CachedSample | None:
        return self.get_many([key]).get(key)

    def put_many(self, items: Iterable[tuple[str, CachedSample]]) -> None:
        """Stores samples in one transaction: a request's samples are kept together or not."""
        now = time.time()
        rows = [(key, now, _encode(sample)) for key, sample in items]
        insert = "INSERT OR REPLACE INTO samples (key, created, value) VALUES (?, ?, ?)"
        try:
            if len(rows) == 1:  # a statement is its own transaction: the common case, cheaper
                self._db.execute(insert, rows[0])
                return
            with self._db:
                self._db.execute("BEGIN")
                self._db.executemany(insert, rows)
        except sqlite3.Error as error:
            raise CacheError(f"{self.path}: cannot write the sample cache ({error})") from None

    def __len__(self) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM samples").fetchone()[0])

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> SampleCache:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
