"""The replay store: one SQLite file that keeps every unit of work a replay does.

Everything is content-addressed: a run is keyed by its program (the compile cache's key), the
digest of its input and its limits; a checker call by the validator and the digests of what it
compared; a judgement by the problem's digest, the program and the time limit. A unit of work is
looked up before it is done and written (one committed transaction) as soon as it is done, so a
replay killed at any moment, even with `kill -9`, loses at most the units in flight, and the same
command continues without redoing anything. The write-ahead log keeps the file consistent.

`work_log` appends one row per unit computed: a key that appears twice there is work done twice.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import Any

from sandbox.backends.local import RunResult
from sandbox.batch import RunJob
from sandbox.build import Program
from sandbox.limits import Limits
from solver.errors import SolverError

SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS blobs (digest TEXT PRIMARY KEY, data BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS runs (
    key TEXT PRIMARY KEY, result TEXT NOT NULL, output TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS checks (
    key TEXT PRIMARY KEY, verdict TEXT NOT NULL, message TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS memos (
    kind TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (kind, key));
CREATE TABLE IF NOT EXISTS work_log (
    id INTEGER PRIMARY KEY, kind TEXT NOT NULL, key TEXT NOT NULL, seconds REAL NOT NULL,
    at REAL NOT NULL);
"""


class StoreError(SolverError):
    """The store file cannot be opened or written."""


def digest_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def digest_text(*parts: str) -> str:
    return digest_bytes("\x1f".join(parts).encode())


class FileDigests:
    """sha256 of files by content, remembered per (path, size, mtime) for this process."""

    def __init__(self) -> None:
        self._known: dict[tuple[str, int, int], str] = {}
        self._lock = threading.Lock()

    def of(self, path: Path) -> str:
        stat = path.stat()
        key = (str(path), stat.st_size, stat.st_mtime_ns)
        with self._lock:
            known = self._known.get(key)
        if known is None:
            known = digest_bytes(path.read_bytes())
            with self._lock:
                self._known[key] = known
        return known


def program_key(program: Program) -> str:
    """A built program's identity: the compile cache's entry is keyed by language, compiler
    version, command and normalised source, so equal keys are the same program."""
    return f"{program.language.id}/{program.directory.parent.name}/{program.main}"


def limits_key(limits: Limits) -> str:
    return (
        f"{limits.time_s:g}s/{limits.memory_mib}M/{limits.output_mib}O/"
        f"{limits.processes}P/{limits.wall_limit_s:g}w"
    )


class Store:
    """A replay's SQLite store; safe to share between threads (one connection, one lock)."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self._lock = threading.RLock()
        self.files = FileDigests()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            # NORMAL with WAL: a committed transaction survives the process being killed
            # (only a power loss can drop the last ones), at a fraction of FULL's cost.
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute("PRAGMA busy_timeout=30000")
            self._db.executescript(_SCHEMA)
            found = self._db.execute("SELECT value FROM meta WHERE name='schema'").fetchone()
            if found is None:
                self._db.execute(
                    "INSERT OR IGNORE INTO meta VALUES ('schema', ?)", (str(SCHEMA_VERSION),)
                )
            elif int(found[0]) != SCHEMA_VERSION:
                raise StoreError(
                    f"{self.path}: store schema {found[0]}, this solver writes "
                    f"{SCHEMA_VERSION}; use a new --store file"
                )
        except sqlite3.DatabaseError as error:
            raise StoreError(f"{self.path}: not a usable store ({error})") from None
        except OSError as error:
            raise StoreError(f"{self.path}: cannot be opened ({error.strerror})") from None

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            try:
                self._db.execute("BEGIN IMMEDIATE")
                try:
                    yield self._db
                except BaseException:
                    self._db.execute("ROLLBACK")
                    raise
                self._db.execute("COMMIT")
            except sqlite3.Error as error:
                raise StoreError(f"{self.path}: cannot be written ({error})") from None

    def _one(self, query: str, args: tuple[Any, ...]) -> tuple[Any, ...] | None:
        with self._lock:
            try:
                return self._db.execute(query, args).fetchone()
            except sqlite3.Error as error:
                raise StoreError(f"{self.path}: cannot be read ({error})") from None

    # Blobs -------------------------------------------------------------------------------

    def _put_blob(self, db: sqlite3.Connection, data: bytes) -> str:
        digest = digest_bytes(data)
        db.execute(
            "INSERT OR IGNORE INTO blobs VALUES (?, ?)", (digest, zlib.compress(data, level=1))
        )
        return digest

    def blob(self, digest: str) -> bytes:
        found = self._one("SELECT data FROM blobs WHERE digest=?", (digest,))
        if found is None:
            raise StoreError(f"{self.path}: blob {digest[:12]} is missing")
        return zlib.decompress(found[0])

    def _log(self, db: sqlite3.Connection, kind: str, key: str, seconds: float) -> None:
        db.execute(
            "INSERT INTO work_log (kind, key, seconds, at) VALUES (?, ?, ?, ?)",
            (kind, key, seconds, time.time()),
        )

    # Runs (the batch API's cache) -----------------------------------------------------------

    def run_key(self, job: RunJob) -> str:
        return digest_text(
            "run", program_key(job.program), self.files.of(job.input), limits_key(job.limits)
        )

    def lookup(self, job: RunJob) -> tuple[RunResult, bytes] | None:
        found = self._one("SELECT result, output FROM runs WHERE key=?", (self.run_key(job),))
        if found is None:
            return None
        fields = json.loads(found[0])
        fields["stdout_path"] = Path("/dev/null")  # the output is the stored blob
        fields["stderr"] = bytes.fromhex(fields["stderr"])
        return RunResult(**fields), self.blob(found[1])

    def record(self, job: RunJob, run: RunResult, output: bytes) -> None:
        if run.wall_timeout and run.cpu_s < job.limits.time_s:
            # Stopped by the wall clock before using its CPU time: that depends on the machine's
            # load (or the program sleeps), so it is not kept as a fact; it runs again.
            return
        fields = asdict(run)
        fields.pop("stdout_path")
        fields["stderr"] = run.stderr.hex()
        key = self.run_key(job)
        with self._transaction() as db:
            digest = self._put_blob(db, output)
            db.execute(
                "INSERT OR REPLACE INTO runs VALUES (?, ?, ?)", (key, json.dumps(fields), digest)
            )
            self._log(db, "run", key, run.wall_s)

    # Checker calls ----------------------------------------------------------------------

    def check_key(self, checker: str, input_file: Path, answer: bytes, output: bytes) -> str:
        return digest_text(
            "check", checker, self.files.of(input_file), digest_bytes(answer), digest_bytes(output)
        )

    def cached_check(self, key: str) -> tuple[str, str] | None:
        found = self._one("SELECT verdict, message FROM checks WHERE key=?", (key,))
        return (found[0], found[1]) if found is not None else None

    def record_check(self, key: str, verdict: str, message: str, seconds: float) -> None:
        with self._transaction() as db:
            db.execute("INSERT OR REPLACE INTO checks VALUES (?, ?, ?)", (key, verdict, message))
            self._log(db, "check", key, seconds)

    # Memos: any larger unit (generated inputs, a judgement, a problem's outcome) ------------

    def memo(self, kind: str, key: str) -> Any | None:
        found = self._one("SELECT value FROM memos WHERE kind=? AND key=?", (kind, key))
        return json.loads(found[0]) if found is not None else None

    def record_memo(
        self, kind: str, key: str, value: Any, seconds: float, blobs: list[bytes] = ()
    ) -> list[str]:
        """Stores `value` (JSON) and `blobs` in one transaction; returns the blobs' digests."""
        with self._transaction() as db:
            digests = [self._put_blob(db, data) for data in blobs]
            db.execute(
                "INSERT OR REPLACE INTO memos VALUES (?, ?, ?)", (kind, key, json.dumps(value))
            )
            self._log(db, kind, key, seconds)
        return digests

    def memo_keys(self, kind: str) -> list[str]:
        with self._lock:
            rows = self._db.execute("SELECT key FROM memos WHERE kind=?", (kind,)).fetchall()
        return [row[0] for row in rows]

    # Accounting -------------------------------------------------------------------------

    def work_counts(self) -> dict[str, dict[str, float]]:
        """Per kind of work: units computed, units computed more than once, seconds spent."""
        with self._lock:
            rows = self._db.execute(
                "SELECT kind, COUNT(*), COUNT(DISTINCT key), SUM(seconds) FROM work_log "
                "GROUP BY kind ORDER BY kind"
            ).fetchall()
        return {
            kind: {"units": distinct, "repeated": total - distinct, "seconds": round(spent, 3)}
            for kind, total, distinct, spent in rows
        }


# What a package's digest covers: everything that decides runs, checks and judgements; not
# its statement or its submissions.
_PACKAGE_PARTS = (
    "problem.yaml",
    ".timelimit",
    "domjudge-problem.ini",
    "data",
    "output_validators",
    "output_validator",
    "input_validators",
    "input_format_validators",
    "generators",
)
_package_digests: dict[tuple[str, float], str] = {}


def package_digest(folder: Path) -> str:
    """sha256 over the judging parts of a problem package (names and bytes), remembered for
    the process (a package does not change under a running replay)."""
    folder = folder.resolve()
    remembered = _package_digests.get((str(folder), folder.stat().st_mtime))
    if remembered is not None:
        return remembered
    hasher = hashlib.sha256()
    for part in _PACKAGE_PARTS:
        base = folder / part
        files = [base] if base.is_file() else sorted(p for p in base.rglob("*") if p.is_file())
        for path in files:
            hasher.update(str(path.relative_to(folder)).encode() + b"\0")
            hasher.update(hashlib.sha256(path.read_bytes()).digest())
    digest = hasher.hexdigest()
    _package_digests[(str(folder), folder.stat().st_mtime)] = digest
    return digest
