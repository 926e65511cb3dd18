# Polynomial hashing modulo the Mersenne prime 2^61 - 1: hash every rotation of
# p (windows of p + p), then slide a window of length m over t.
import sys

MOD = (1 << 61) - 1
BASE = 1_000_003


def main():
    data = sys.stdin.buffer.read().split()
    p, t = data[0], data[1]
    m, n = len(p), len(t)
    if m > n:
        print(0)
        return
    top = pow(BASE, m, MOD)  # weight of the character leaving the window

    def windows(s):
        h = 0
        for c in s[:m]:
            h = (h * BASE + c) % MOD
        yield h
        for i in range(m, len(s)):
            h = (h * BASE + s[i] - s[i - m] * top) % MOD
            yield h

    rotations = set(windows(p + p[:-1]))
    print(sum(1 for h in windows(t) if h in rotations))


main()
