import sys


def main():
    readline = sys.stdin.readline
    shafts = int(readline())
    for _ in range(shafts):
        n = int(readline())
        lo, hi = 1, n
        # Stop pinging when one depth is left: the last step is deduced, not asked.
        while lo < hi:
            mid = (lo + hi) // 2
            print("?", mid, flush=True)
            reply = readline().strip()
            if reply == "=":
                lo = hi = mid
            elif reply == "<":
                hi = mid - 1
            else:
                lo = mid + 1
        print("!", lo, flush=True)


main()
