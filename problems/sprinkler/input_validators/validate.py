#!/usr/bin/env python3
"""Input validator for sprinkler: exit 42 if stdin is a valid input, 43 otherwise."""
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
            fail("bad integer %r" % p[:20])
        res.append(int(p))
    return res


def main():
    data = sys.stdin.buffer.read()
    if not data.endswith(b"\n"):
        fail("missing final newline")
    lines = data[:-1].split(b"\n")
    (n,) = ints(lines[0], 1)
    if not (1 <= n <= 40000):
        fail("n out of range")
    if len(lines) != n + 1:
        fail("wrong number of lines")
    seen = set()
    for i in range(1, n + 1):
        x, y = ints(lines[i], 2)
        if not (-10 ** 6 <= x <= 10 ** 6 and -10 ** 6 <= y <= 10 ** 6):
            fail("coordinate out of range on line %d" % (i + 1))
        if (x, y) in seen:
            fail("duplicate point on line %d" % (i + 1))
        seen.add((x, y))
    sys.exit(42)


main()
