#!/usr/bin/env python3
"""Input validator for treasure: exit 42 if stdin is a valid input, 43 otherwise."""

import re
import sys

INT = re.compile(rb"^(0|-?[1-9][0-9]*)$")


def fail(msg):
    sys.stderr.write(msg + "\n")
    sys.exit(43)


def ints(line, count):
    parts = line.split(b" ")
    if len(parts) != count:
        fail("wrong number of tokens")
    res = []
    for p in parts:
        if not INT.match(p) or len(p) > 12:
            fail(f"bad integer {p[:20]!r}")
        res.append(int(p))
    return res


def main():
    data = sys.stdin.buffer.read()
    if not data.endswith(b"\n"):
        fail("missing final newline")
    lines = data[:-1].split(b"\n")
    (t,) = ints(lines[0], 1)
    if not 1 <= t <= 200:
        fail("t out of range")
    if len(lines) != t + 1:
        fail("wrong number of lines")
    for i in range(1, t + 1):
        n, x = ints(lines[i], 2)
        if not (1 <= n <= 10**6 and 1 <= x <= n):
            fail(f"bad shaft on line {i + 1}")
    sys.exit(42)


main()
