# Mistake: greedy that prefers the SHORTEST concerts (plausible, but a short
# concert can overlap two longer ones that would both fit).
import sys
from bisect import bisect_left


def main():
    data = sys.stdin.buffer.read().split()
    n = int(data[0])
    iv = [(int(data[1 + 2 * i]), int(data[2 + 2 * i])) for i in range(n)]
    iv.sort(key=lambda p: (p[1] - p[0], p[0]))
    starts = []  # chosen concerts are disjoint, kept sorted by start
    ends = []
    for l, r in iv:
        k = bisect_left(starts, l)
        if k > 0 and ends[k - 1] >= l:
            continue
        if k < len(starts) and starts[k] <= r:
            continue
        starts.insert(k, l)
        ends.insert(k, r)
    print(len(starts))


main()
