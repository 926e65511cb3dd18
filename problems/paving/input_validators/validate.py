#!/usr/bin/env python3
"""Input validator for 'paving': exit 42 if stdin is valid, 43 otherwise."""
import re
import sys

INT = r'(0|-?[1-9][0-9]*)'


def main():
    data = sys.stdin.buffer.read()
    try:
        text = data.decode('ascii')
    except UnicodeDecodeError:
        sys.exit(43)
    m = re.fullmatch(INT + ' ' + INT + ' ' + INT + '\n', text)
    if not m:
        sys.exit(43)
    w, h, a = (int(m.group(i)) for i in (1, 2, 3))
    for v in (w, h, a):
        if not 1 <= v <= 10**9:
            sys.exit(43)
    sys.exit(42)


if __name__ == '__main__':
    main()
