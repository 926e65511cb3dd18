"""Sandbox uids are never shared between two judge processes running at once."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from sandbox.backends.uids import UidPool


def test_two_processes_never_hold_the_same_uid(tmp_path: Path) -> None:
    ours = UidPool(3, lock_dir=tmp_path)
    held = {ours.acquire() for _ in range(3)}
    assert len(held) == 3
    script = (
        "import sys; from pathlib import Path; from sandbox.backends.uids import UidPool\n"
        f"pool = UidPool(3, lock_dir=Path({str(tmp_path)!r}))\n"
        "print(' '.join(str(pool.acquire()) for _ in range(3)))\n"
    )
    other = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    theirs = {int(uid) for uid in other.stdout.split()}
    assert len(theirs) == 3 and not theirs & held
    ours.close()
    # Released on close (and by the kernel when a holder exits): they can be taken again.
    again = UidPool(3, lock_dir=tmp_path)
    assert {again.acquire() for _ in range(3)} == held


def test_a_released_uid_is_reused_within_the_process(tmp_path: Path) -> None:
    pool = UidPool(1, lock_dir=tmp_path)
    uid = pool.acquire()
    pool.release(uid)
    assert pool.acquire() == uid
