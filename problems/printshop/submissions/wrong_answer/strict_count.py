# Mistake: off by one in the test, asks for MORE than m pages.
import sys


def main():
    data = sys.stdin.buffer.read().split()
    n, m = int(data[0]), int(data[1])
    ts = list(map(int, data[2:2 + n]))
    lo, hi = 0, min(ts) * (m + 1)
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if sum(mid // t for t in ts) > m:
            hi = mid
        else:
            lo = mid
    print(hi)


main()
