"""Kill a replay with SIGKILL at random moments, restart it each time, and compare its final
summary with an uninterrupted run's; report whether the store shows any work done twice.

    python3 benchmarks/kill_replay.py [PATH] [--kills 10] [--seed 1] [--out DIR] [-- REPLAY_ARGS]

PATH defaults to the bundled contest (`problems`), replayed with `--pool submissions`.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _command(path: str, store: Path, extra: list[str]) -> list[str]:
    return [
        sys.executable, "-m", "solver", "replay", path, "--pool", "submissions",
        "--store", str(store), "--json", *extra,
    ]  # fmt: skip


def _repeated(store: Path) -> int:
    with sqlite3.connect(store) as db:
        return db.execute(
            "SELECT COUNT(*) FROM (SELECT 1 FROM work_log GROUP BY kind, key HAVING COUNT(*) > 1)"
        ).fetchone()[0]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", default=str(REPO / "problems"))
    parser.add_argument("--kills", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=None, help="keep the stores here")
    parser.add_argument("extra", nargs="*", help="more replay options, after --")
    args = parser.parse_args()
    out = args.out or Path(tempfile.mkdtemp(prefix="kill-replay-"))
    out.mkdir(parents=True, exist_ok=True)
    whole_store, killed_store = out / "whole.sqlite", out / "killed.sqlite"

    started = time.monotonic()
    whole = subprocess.run(
        _command(args.path, whole_store, args.extra), capture_output=True, text=True, check=False
    )
    whole_seconds = time.monotonic() - started
    if whole.returncode not in (0, 1):
        print(f"the uninterrupted replay failed: {whole.stderr.strip()[-500:]}", file=sys.stderr)
        return 2
    print(f"uninterrupted: {whole_seconds:.1f} s", flush=True)

    rng = random.Random(args.seed)
    kills, moments = 0, []
    started = time.monotonic()
    while kills < args.kills:
        # Random moments, each within a share of the uninterrupted run's length, so that all
        # the kills fall before the work is done (each restart continues where it was).
        delay = rng.uniform(0.5, max(1.0, whole_seconds / args.kills))
        process = subprocess.Popen(
            _command(args.path, killed_store, args.extra),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(delay)
        if process.poll() is not None:
            print("the replay finished before the kill: the store is complete", flush=True)
            break
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        kills += 1
        moments.append(round(delay, 1))
        print(f"kill {kills}: after {delay:.1f} s", flush=True)
    final = subprocess.run(
        _command(args.path, killed_store, args.extra), capture_output=True, text=True, check=False
    )
    killed_seconds = time.monotonic() - started
    same = json.loads(final.stdout) == json.loads(whole.stdout)
    result = {
        "kills": kills,
        "kill_after_s": moments,
        "uninterrupted_s": round(whole_seconds, 1),
        "killed_and_resumed_s": round(killed_seconds, 1),
        "same_summary": same,
        "work_done_twice": _repeated(killed_store),
        "stores": str(out),
    }
    print(json.dumps(result, indent=2))
    return 0 if same and result["work_done_twice"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
