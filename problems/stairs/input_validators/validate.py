#!/usr/bin/env python3
"""Input validator for 'stairs': exit 42 if stdin is valid, 43 otherwise."""
import re
import sys

NUM = rb'(0|[1-9][0-9]{0,6})'


def fail():
    sys.exit(43)


def main():
    data = sys.stdin.buffer.read()
    if not data.endswith(b'\n'):
        fail()
    lines = data[:-1].split(b'\n')
    if len(lines) != 2:
        fail()
    mt = re.fullmatch(NUM + b' ' + NUM + b' ' + NUM, lines[0])
    if not mt:
        fail()
    n, k, m = (int(mt.group(i)) for i in (1, 2, 3))
    if not (1 <= k <= n <= 10**6 and 0 <= m <= min(n, 10**5)):
        fail()
    if m == 0:
        if lines[1] != b'':
            fail()
    else:
        if not re.fullmatch(NUM + b'( ' + NUM + b')*', lines[1]):
            fail()
        bs = [int(x) for x in lines[1].split(b' ')]
        if len(bs) != m:
            fail()
        prev = 0
        for b in bs:
            if not prev < b <= n:
                fail()
            prev = b
    sys.exit(42)


if __name__ == '__main__':
    main()
