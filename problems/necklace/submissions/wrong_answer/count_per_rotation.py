# Mistake: counts, for every rotation j, the windows equal to that rotation and
# adds everything up. When p is periodic, equal rotations are counted twice.
import sys
from collections import Counter

MOD = (1 << 61) - 1
BASE = 1_000_003


def main():
    data = sys.stdin.buffer.read().split()
    p, t = data[0], data[1]
    m, n = len(p), len(t)
    if m > n:
        print(0)
        return
    top = pow(BASE, m, MOD)

    def windows(s):
        h = 0
        for c in s[:m]:
            h = (h * BASE + c) % MOD
        yield h
        for i in range(m, len(s)):
            h = (h * BASE + s[i] - s[i - m] * top) % MOD
            yield h

    in_text = Counter(windows(t))
    print(sum(in_text[h] for h in windows(p + p[:-1])))


main()
