#!/usr/bin/env python3
"""Input validator for 'inversions': exit 42 if stdin is valid, 43 otherwise."""
import re
import sys

NUM = rb'(0|[1-9][0-9]{0,10})'


def fail():
    sys.exit(43)


def main():
    data = sys.stdin.buffer.read()
    if not data.endswith(b'\n'):
        fail()
    lines = data[:-1].split(b'\n')
    if not re.fullmatch(NUM, lines[0]):
        fail()
    t = int(lines[0])
    if not 1 <= t <= 10**4 or len(lines) != t + 1:
        fail()
    pair = re.compile(NUM + b' ' + NUM)
    total = 0
    for line in lines[1:]:
        m = pair.fullmatch(line)
        if not m:
            fail()
        n, k = int(m.group(1)), int(m.group(2))
        if not (1 <= n <= 10**5 and 0 <= k <= 10**10):
            fail()
        total += n
    if total > 10**5:
        fail()
    sys.exit(42)


if __name__ == '__main__':
    main()
