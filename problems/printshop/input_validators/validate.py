#!/usr/bin/env python3
"""Input validator for 'printshop': exit 42 if stdin is valid, 43 otherwise."""
import re
import sys

NUM = rb'[1-9][0-9]{0,9}'


def fail():
    sys.exit(43)


def main():
    data = sys.stdin.buffer.read()
    if not data.endswith(b'\n'):
        fail()
    lines = data[:-1].split(b'\n')
    if len(lines) != 2:
        fail()
    m = re.fullmatch(b'(' + NUM + b') (' + NUM + b')', lines[0])
    if not m:
        fail()
    n, pages = int(m.group(1)), int(m.group(2))
    if not (1 <= n <= 5 * 10**4 and 1 <= pages <= 10**9):
        fail()
    if not re.fullmatch(NUM + b'( ' + NUM + b')*', lines[1]):
        fail()
    ts = lines[1].split(b' ')
    if len(ts) != n:
        fail()
    for t in ts:
        if int(t) > 10**9:
            fail()
    sys.exit(42)


if __name__ == '__main__':
    main()
