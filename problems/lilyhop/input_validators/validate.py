#!/usr/bin/env python3
"""Input validator for lilyhop: exit 42 if stdin is a valid input, 43 otherwise.
Also checks the guarantee that a finite answer is at most 10^6."""
import re
import sys

HEAD = re.compile(rb"\A([1-9][0-9]{0,5}) ([1-9][0-9]{0,5})\n([.#]+)\n\Z")


def fail(msg):
    sys.stderr.write(msg + "\n")
    sys.exit(43)


def main():
    data = sys.stdin.buffer.read()
    mt = HEAD.match(data)
    if not mt:
        fail("bad format")
    n, k = int(mt.group(1)), int(mt.group(2))
    s = mt.group(3).decode()
    if not (1 <= n <= 200000 and 1 <= k <= 200000):
        fail("n or k out of range")
    if len(s) != n or s[0] != '.':
        fail("bad pad string")
    if max(len(r) for r in s.split('.')) >= k:
        sys.exit(42)  # unreachable bank: answer -1
    A = [0.0] * n
    S = [0.0] * n
    wa = ws = 0.0
    for i in range(n - 1, -1, -1):
        j = i + 1
        if j < n and s[j] == '.':
            wa += A[j]; ws += S[j]
        j = i + k + 1
        if j < n and s[j] == '.':
            wa -= A[j]; ws -= S[j]
        A[i] = 1.0 + wa / k
        S[i] = (max(0, i + k - n + 1) + ws) / k
    if not (S[0] > 0 and A[0] / S[0] <= 10 ** 6):
        fail("expected number of rolls exceeds 10^6")
    sys.exit(42)


main()
