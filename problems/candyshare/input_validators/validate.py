#!/usr/bin/env python3
"""Input validator for candyshare: exit 42 if stdin is a valid input, 43 otherwise."""
import re
import sys

LINE = re.compile(rb"\A(0|[1-9][0-9]{0,6}) (0|[1-9][0-9]{0,6}) (0|[1-9][0-9]{0,6}) (0|[1-9][0-9]{0,6})\n\Z")


def main():
    data = sys.stdin.buffer.read()
    mt = LINE.match(data)
    if not mt:
        sys.exit(43)
    n, k, lo, hi = map(int, mt.groups())
    if not (0 <= n <= 500000 and 1 <= k <= 500000 and 0 <= lo <= hi <= 500000):
        sys.exit(43)
    sys.exit(42)


main()
