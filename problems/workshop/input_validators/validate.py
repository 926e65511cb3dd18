#!/usr/bin/env python3
"""Input validator for 'workshop': exit 42 if stdin is valid, 43 otherwise."""
import re
import sys


def fail():
    sys.exit(43)


def main():
    data = sys.stdin.buffer.read()
    if not data.endswith(b'\n'):
        fail()
    lines = data[:-1].split(b'\n')
    if not re.fullmatch(rb'[1-9][0-9]{0,5}', lines[0]):
        fail()
    n = int(lines[0])
    if not 1 <= n <= 5 * 10**4 or len(lines) != n + 1:
        fail()
    pair = re.compile(rb'([1-9][0-9]{0,4}) ([1-9][0-9]{0,4})')
    for line in lines[1:]:
        m = pair.fullmatch(line)
        if not m:
            fail()
        if int(m.group(1)) > 10**4 or int(m.group(2)) > 10**4:
            fail()
    sys.exit(42)


if __name__ == '__main__':
    main()
