# Keeps the list of depths still possible and halves it with a comprehension after each
# ping: correct and within the ping budget, but linear in n for every shaft.
import sys


def main():
    readline = sys.stdin.readline
    shafts = int(readline())
    for _ in range(shafts):
        n = int(readline())
        possible = list(range(1, n + 1))
        while len(possible) > 1:
            mid = possible[(len(possible) - 1) // 2]
            print("?", mid, flush=True)
            reply = readline().strip()
            if reply == "=":
                possible = [mid]
            elif reply == "<":
                possible = [d for d in possible if d < mid]
            else:
                possible = [d for d in possible if d > mid]
        print("!", possible[0], flush=True)


main()
