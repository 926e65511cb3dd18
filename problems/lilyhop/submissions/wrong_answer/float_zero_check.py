# WRONG: decides that the bank is unreachable by testing the computed success
# probability S[0] <= 0. The sliding window adds and later subtracts the same
# values, so a probability that is exactly 0 can come out as a tiny positive
# number, and a huge bogus expectation is printed instead of -1.
import sys


def main():
    data = sys.stdin.buffer.read().split()
    n, k = int(data[0]), int(data[1])
    s = data[2].decode()
    A = [0.0] * n
    S = [0.0] * n
    ok = [c == '.' for c in s]
    wa = 0.0
    ws = 0.0
    inv = 1.0 / k
    for i in range(n - 1, -1, -1):
        j = i + 1
        if j < n and ok[j]:
            wa += A[j]
            ws += S[j]
        j = i + k + 1
        if j < n and ok[j]:
            wa -= A[j]
            ws -= S[j]
        out = i + k - n + 1
        if out < 0:
            out = 0
        A[i] = 1.0 + wa * inv
        S[i] = (out + ws) * inv
    if S[0] <= 0:
        print(-1)
    else:
        print("%.9f" % (A[0] / S[0]))


main()
