# The textbook binary search: it pings until it hears "=", one ping more than the budget
# allows when the treasure sits at a leaf of the search (query limit exceeded).
import sys


def main():
    readline = sys.stdin.readline
    shafts = int(readline())
    for _ in range(shafts):
        n = int(readline())
        lo, hi = 1, n
        while True:
            mid = (lo + hi) // 2
            print("?", mid, flush=True)
            reply = readline().strip()
            if reply == "=":
                break
            if reply == "<":
                hi = mid - 1
            else:
                lo = mid + 1
        print("!", mid, flush=True)


main()
