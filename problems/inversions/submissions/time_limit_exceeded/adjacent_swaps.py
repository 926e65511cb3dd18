# Correct but slow: starts from 1..n and performs k adjacent swaps, each of
# which creates exactly one new inversion. O(n + k) with k up to 5 * 10^9.
import sys


def solve(n, k):
    if k > n * (n - 1) // 2:
        return 'impossible'
    a = list(range(1, n + 1))
    left = k
    end = n - 1
    # pass: move the element at the front (the smallest one not moved yet)
    # to the right, past larger elements only
    while left > 0:
        j = 0
        while j < end and left > 0:
            a[j], a[j + 1] = a[j + 1], a[j]
            j += 1
            left -= 1
        end -= 1
    return ' '.join(map(str, a))


def main():
    data = sys.stdin.buffer.read().split()
    t = int(data[0])
    out = []
    for i in range(t):
        n, k = int(data[1 + 2 * i]), int(data[2 + 2 * i])
        out.append(solve(n, k))
    sys.stdout.write('\n'.join(out) + '\n')


main()
