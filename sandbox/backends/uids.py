"""Unprivileged uids for sandboxes, unique across every judge process on the machine.

Two judges running at once (two `solver` commands, a test run beside a benchmark) must never
share a uid: RLIMIT_NPROC counts a uid's processes machine-wide, so one judge's fork bomb would
starve the other's sandboxes. Each uid in use is held by an advisory lock on a file; the kernel
drops the lock when its holder exits, however it exits.
"""

from __future__ import annotations

import fcntl
import os
import threading
from pathlib import Path

from sandbox.errors import IsolationError

FIRST_UID = 61000
UID_RANGE = 1000
LOCK_DIR = Path("/run/lock/solver-sandbox-uids")


class UidPool:
    """At most `limit` uids for this process, taken on demand and kept until `close()`."""

    def __init__(self, limit: int, lock_dir: Path = LOCK_DIR) -> None:
        self._limit = limit
        self._lock_dir = lock_dir
        self._held: dict[int, int] = {}  # uid -> lock file descriptor
        self._free: list[int] = []
        self._available = threading.Condition()
        self._next = FIRST_UID

    def acquire(self) -> int:
        with self._available:
            while not self._free:
                if len(self._held) < self._limit:
                    uid, fd = self._lock_one()
                    self._held[uid] = fd
                    return uid
                self._available.wait()
            return self._free.pop()

    def release(self, uid: int) -> None:
        with self._available:
            self._free.append(uid)
            self._available.notify()

    def close(self) -> None:
        with self._available:
            for fd in self._held.values():
                os.close(fd)
            self._held.clear()
            self._free.clear()

    def _lock_one(self) -> tuple[int, int]:
        self._lock_dir.mkdir(parents=True, exist_ok=True)
        for offset in range(UID_RANGE):
            uid = FIRST_UID + (self._next - FIRST_UID + offset) % UID_RANGE
            if uid in self._held:
                continue
            fd = os.open(self._lock_dir / str(uid), os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                continue
            self._next = uid + 1
            return uid, fd
        raise IsolationError(f"all {UID_RANGE} sandbox uids from {FIRST_UID} are in use")
