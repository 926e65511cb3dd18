#!/usr/bin/env python3
"""Interactor for treasure (the Kattis protocol): interactor.py input answer feedback_dir.

It reads the shafts from `input` (t, then t lines "n x"), talks to the program on stdin/stdout,
and exits 42 when every treasure was found within the ping budget, 43 otherwise, with the reason
in feedback_dir/judgemessage.txt. `answer` holds the treasures' depths and is not needed.
"""

import os
import re
import sys

NUMBER = re.compile(r"^(0|-?[1-9][0-9]{0,11})$")


def main() -> None:
    input_path, _answer_path, feedback_dir = sys.argv[1:4]
    with open(input_path) as handle:
        values = [int(token) for token in handle.read().split()]
    count, shafts = values[0], [(values[1 + 2 * i], values[2 + 2 * i]) for i in range(values[0])]
    pings_total = 0

    def finish(code: int, message: str) -> None:
        with open(os.path.join(feedback_dir, "judgemessage.txt"), "w") as note:
            note.write(message + "\n")
        # Unflushed output would be flushed at exit into a pipe the program may have closed,
        # which fails the interactor (exit 120) instead of giving this verdict.
        os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
        sys.exit(code)

    def say(line: str) -> None:
        try:
            sys.stdout.write(line + "\n")
            sys.stdout.flush()
        except BrokenPipeError:
            finish(43, "the program stopped reading")

    say(str(count))
    for number, (n, treasure) in enumerate(shafts, start=1):
        say(str(n))
        budget = n.bit_length() - 1  # floor(log2 n)
        pings = 0
        while True:
            line = sys.stdin.readline()
            if not line:
                finish(43, f"shaft {number}: the program ended before answering")
            parts = line.split()
            if len(parts) != 2 or parts[0] not in ("?", "!") or not NUMBER.match(parts[1]):
                finish(43, f"shaft {number}: cannot read {line[:60]!r}")
            depth = int(parts[1])
            if parts[0] == "!":
                if depth != treasure:
                    finish(43, f"shaft {number}: answered {depth}, the treasure is at {treasure}")
                break
            pings += 1
            pings_total += 1
            if pings > budget:
                finish(43, f"shaft {number}: more than {budget} pings (n = {n})")
            if not 1 <= depth <= n:
                finish(43, f"shaft {number}: ping at {depth}, outside 1..{n}")
            say("<" if treasure < depth else ">" if treasure > depth else "=")
    if sys.stdin.read().strip():
        finish(43, "output after the last shaft")
    finish(42, f"{count} treasures found with {pings_total} pings")


main()
