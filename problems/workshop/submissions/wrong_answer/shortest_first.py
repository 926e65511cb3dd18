# Mistake: "shortest job first" (ties: heavier penalty first), ignoring the
# weights; it is only optimal when all w_i are equal.
import sys


def main():
    data = sys.stdin.buffer.read().split()
    n = int(data[0])
    orders = [(int(data[1 + 2 * i]), int(data[2 + 2 * i])) for i in range(n)]
    orders.sort(key=lambda o: (o[0], -o[1]))
    time = 0
    total = 0
    for t, w in orders:
        time += t
        total += w * time
    print(total)


main()
