#!/usr/bin/env python3
"""Input validator for 'festival': exit 42 if stdin is valid, 43 otherwise."""
import re
import sys

INT = re.compile(rb'(0|[1-9][0-9]*)')


def fail():
    sys.exit(43)


def main():
    data = sys.stdin.buffer.read()
    if not data.endswith(b'\n'):
        fail()
    lines = data[:-1].split(b'\n')
    if not INT.fullmatch(lines[0]):
        fail()
    n = int(lines[0])
    if not 1 <= n <= 5 * 10**4 or len(lines) != n + 1:
        fail()
    pair = re.compile(rb'(0|[1-9][0-9]{0,6}) (0|[1-9][0-9]{0,6})')
    for line in lines[1:]:
        m = pair.fullmatch(line)
        if not m:
            fail()
        l, r = int(m.group(1)), int(m.group(2))
        if not 0 <= l <= r <= 10**6:
            fail()
    sys.exit(42)


if __name__ == '__main__':
    main()
