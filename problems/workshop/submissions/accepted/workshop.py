import sys


def main():
    data = sys.stdin.buffer.read().split()
    n = int(data[0])
    orders = [(int(data[1 + 2 * i]), int(data[2 + 2 * i])) for i in range(n)]
    # Exchange argument: i goes before j iff t_i / w_i < t_j / w_j.
    # With t, w <= 10^4 two different ratios differ by far more than the
    # rounding error of a double, so the float key orders them exactly.
    orders.sort(key=lambda o: o[0] / o[1])
    time = 0
    total = 0
    for t, w in orders:
        time += t
        total += w * time
    print(total)


main()
