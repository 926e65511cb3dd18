#!/usr/bin/env python3
"""Input validator for 'necklace': exit 42 if stdin is valid, 43 otherwise."""
import re
import sys


def main():
    data = sys.stdin.buffer.read()
    if not re.fullmatch(rb'[a-z]{1,200000}\n[a-z]{1,200000}\n', data):
        sys.exit(43)
    sys.exit(42)


if __name__ == '__main__':
    main()
