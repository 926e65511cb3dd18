# Mistake: after the descending prefix it puts the remaining values in
# DECREASING order "to use up the rest of k", which adds extra inversions.
import sys


def solve(n, k):
    if k > n * (n - 1) // 2:
        return 'impossible'
    res = []
    r = n
    while r > 0 and k >= r - 1:
        res.append(r)
        k -= r - 1
        r -= 1
    if r > 0:
        res.append(k + 1)
        rest = [v for v in range(1, r + 1) if v != k + 1]
        res.extend(reversed(rest) if k > 0 else rest)
    return ' '.join(map(str, res))


def main():
    data = sys.stdin.buffer.read().split()
    t = int(data[0])
    out = []
    for i in range(t):
        n, k = int(data[1 + 2 * i]), int(data[2 + 2 * i])
        out.append(solve(n, k))
    sys.stdout.write('\n'.join(out) + '\n')


main()
