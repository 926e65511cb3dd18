import sys


def main():
    data = sys.stdin.buffer.read().split()
    n, m = int(data[0]), int(data[1])
    ts = list(map(int, data[2:2 + n]))
    lo, hi = 0, min(ts) * m  # the fastest printer alone is done by hi
    while hi - lo > 1:  # invariant: lo is too early, hi is enough
        mid = (lo + hi) // 2
        if sum(map(mid.__floordiv__, ts)) >= m:
            hi = mid
        else:
            lo = mid
    print(hi)


main()
