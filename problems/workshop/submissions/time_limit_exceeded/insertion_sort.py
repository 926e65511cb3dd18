# Correct order (exact cross-multiplication), but sorted with insertion sort:
# O(n^2) comparisons.
import sys


def main():
    data = sys.stdin.buffer.read().split()
    n = int(data[0])
    orders = [(int(data[1 + 2 * i]), int(data[2 + 2 * i])) for i in range(n)]
    for i in range(1, n):
        cur = orders[i]
        j = i - 1
        while j >= 0 and cur[0] * orders[j][1] < orders[j][0] * cur[1]:
            orders[j + 1] = orders[j]
            j -= 1
        orders[j + 1] = cur
    time = 0
    total = 0
    for t, w in orders:
        time += t
        total += w * time
    print(total)


main()
