# Correct greedy, but finds each next concert by scanning all concerts again:
# O(n * answer).
import sys


def main():
    data = sys.stdin.buffer.read().split()
    n = int(data[0])
    iv = [(int(data[1 + 2 * i]), int(data[2 + 2 * i])) for i in range(n)]
    last = -1
    count = 0
    while True:
        best = None
        for l, r in iv:
            if l > last and (best is None or r < best):
                best = r
        if best is None:
            break
        count += 1
        last = best
    print(count)


main()
